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


async def sse_batches(
    stream: aiohttp.StreamReader,
) -> AsyncIterator[list[tuple[str | None, str]]]:
    """``(event name, data)`` of every complete event that has arrived, as soon as it has."""
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


def _data(event: str) -> tuple[str | None, str] | None:
    name, lines = None, []
    for line in event.split("\n"):
        if line.startswith("data:"):
            lines.append(line[6:] if line.startswith("data: ") else line[5:])
        elif line.startswith("event:"):
            name = line[6:].strip()
    return (name, "\n".join(lines)) if lines else None


def encode(obj: Any, name: str | None = None) -> bytes:
    head = f"event: {name}\n" if name else ""
    return f"{head}data: {json.dumps(obj, ensure_ascii=False)}\n\n".encode()


DONE = b"data: [DONE]\n\n"
