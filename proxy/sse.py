"""Server-sent events, read in the batches the network delivers them.

Relaying event by event costs a read and a write per event; a model that streams a token per
event makes that the gateway's main cost. Reading whatever has arrived, splitting it into
events and writing the answer back in one go keeps the stream live without that overhead.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp


async def sse_batches(stream: aiohttp.StreamReader) -> AsyncIterator[list[str]]:
    """The ``data`` of every complete event that has arrived, as soon as it has arrived."""
    buf = ""
    async for raw in stream.iter_any():
        buf += raw.decode("utf-8", errors="surrogateescape").replace("\r\n", "\n")
        if "\n\n" not in buf:
            continue
        *events, buf = buf.split("\n\n")
        batch = [d for d in map(_data, events) if d is not None]
        if batch:
            yield batch
    if buf.strip():
        last = _data(buf)
        if last is not None:
            yield [last]


def _data(event: str) -> str | None:
    lines = [
        line[6:] if line.startswith("data: ") else line[5:]
        for line in event.split("\n")
        if line.startswith("data:")
    ]
    return "\n".join(lines) if lines else None


def encode(obj: Any) -> bytes:
    return f"data: {json.dumps(obj, ensure_ascii=False)}\n\n".encode()


DONE = b"data: [DONE]\n\n"
