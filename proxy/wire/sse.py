"""Server-sent events, read in the batches the network delivers them.

Relaying event by event costs a read and a write per event; a model that streams a token per
event makes that the gateway's main cost. Reading whatever has arrived, splitting it into
events and writing the answer back in one go keeps the stream live without that overhead.

Reading is linear in the bytes received (each byte is scanned for an event boundary once) and
bounded: an event larger than ``max_event`` bytes, or one that is not UTF-8, ends the stream
with :class:`StreamError` instead of growing a buffer or crashing the relay.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp

DEFAULT_MAX_EVENT = 16 * 1024 * 1024


class StreamError(Exception):
    """The upstream's event stream broke a limit or is not valid server-sent events."""


async def sse_batches(
    stream: aiohttp.StreamReader, max_event: int = DEFAULT_MAX_EVENT
) -> AsyncIterator[list[tuple[str | None, str]]]:
    """``(event name, data)`` of every complete event that has arrived, as soon as it has
    (the first one alone)."""
    buf = bytearray()
    first = True
    scanned = 0  # bytes of buf already searched for a boundary
    carry = b""  # a CR at the end of a read, whose LF may come with the next one
    async for raw in stream.iter_any():
        raw = carry + raw
        carry = b"\r" if raw.endswith(b"\r") else b""
        # CRLF, LF and a lone CR all end a line (the SSE spec; the clients' SDKs read it so).
        buf += (raw[:-1] if carry else raw).replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        batch, start = [], 0
        while (end := buf.find(b"\n\n", max(start, scanned))) >= 0:
            if (d := _data(bytes(buf[start:end]))) is not None:
                if first:  # alone and at once, not after the rest of its read: the client's
                    first = False  # time to first byte
                    yield [d]
                else:
                    batch.append(d)
            start = end + 2
        del buf[:start]
        # No boundary in what is left but one that the next read may complete.
        scanned = max(0, len(buf) - 1)
        if len(buf) > max_event:
            raise StreamError(f"an upstream event is larger than {max_event} bytes")
        if batch:
            yield batch
    if bytes(buf).strip():
        last = _data(bytes(buf))
        if last is not None:
            yield [last]


def _data(raw: bytes) -> tuple[str | None, str] | None:
    try:
        event = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise StreamError("an upstream event is not valid UTF-8") from None
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
