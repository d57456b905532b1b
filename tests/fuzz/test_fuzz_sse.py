"""The SSE reader against random upstream bytes, delivered in random reads.

Whatever arrives, ``sse_batches`` yields events or raises :class:`StreamError` (the only failure
it documents; the gateway turns it into the stream's error event), and the events it yields do
not depend on where the network cut the bytes.
"""

from __future__ import annotations

import asyncio
import itertools
import json

from hypothesis import example, given, settings
from hypothesis import strategies as st

from proxy.wire import sse
from tests.fuzz import examples


class Reads:
    """What ``sse_batches`` needs of an aiohttp StreamReader: the reads, as they arrived."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks

    async def iter_any(self):
        for chunk in self.chunks:
            yield chunk


def parse(chunks: list[bytes], max_event: int = 1024) -> list[tuple[str | None, str]] | str:
    """The events read, or ``"StreamError"``; any other exception escapes (a failure)."""

    async def run() -> list[tuple[str | None, str]]:
        return [ev async for batch in sse.sse_batches(Reads(chunks), max_event) for ev in batch]

    try:
        return asyncio.run(run())
    except sse.StreamError:
        return "StreamError"


def split(data: bytes, points: list[int]) -> list[bytes]:
    bounds = sorted({0, len(data), *(p % (len(data) + 1) for p in points)})
    return [data[a:b] for a, b in itertools.pairwise(bounds)]


# Bytes an upstream sends: SSE syntax, line ends of every kind, UTF-8 cut mid-character, junk.
pieces = st.one_of(
    st.sampled_from([b"data: ", b"data:", b"event: ", b"event:x", b": comment", b"\n", b"\r",
                     b"\r\n", b"\n\n", b"[DONE]", b'{"a": 1}', b"\xe2\x82", b"\xac", b"\xff",
                     b"id: 1", b"retry: 5"]),
    st.binary(max_size=6),
    st.text(max_size=6).map(lambda t: t.encode("utf-8", "surrogatepass")),
)
noise = st.lists(pieces, max_size=40).map(b"".join)


@settings(max_examples=examples(150), deadline=None)
@given(noise, st.lists(st.integers(0, 400), max_size=10))
@example(b"data: x\r", [])  # a stream that ends on a lone CR
@example(b"data: \xe2\x82\xac\n\n", [7])  # a character cut across two reads
@example(b'data: {"a": 1}\r\rdata: 2\r\r', [15])  # lone CRs end lines and events (was: one event)
def test_random_bytes_give_events_or_a_stream_error_whatever_the_reads(data, points):
    whole = parse([data])
    assert parse(split(data, points)) == whole
    if whole != "StreamError":  # CRLF, LF and a lone CR all end a line, as the SDKs read them
        for name, text in whole:
            assert "\r" not in text and (name is None or "\r" not in name)


events = st.lists(st.tuples(
    st.one_of(st.none(), st.from_regex(r"[a-z_.]{1,20}", fullmatch=True)),
    st.recursive(st.one_of(st.none(), st.integers(), st.text(max_size=10)),
                 lambda inner: st.lists(inner, max_size=3)
                 | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=8),
), max_size=8)


@settings(max_examples=examples(100), deadline=None)
@given(events, st.lists(st.integers(0, 2000), max_size=10), st.sampled_from(["\n", "\r\n"]))
def test_well_formed_events_come_through_exactly(sent, points, newline):
    data = b"".join(sse.encode(obj, name).replace(b"\n", newline.encode()) for name, obj in sent)
    got = parse(split(data, points), max_event=1 << 20)
    assert [(n, json.loads(d)) for n, d in got] == sent


@settings(max_examples=examples(50), deadline=None)
@given(st.integers(1, 64), st.lists(st.integers(0, 400), max_size=10))
def test_an_event_over_the_limit_is_a_stream_error(limit, points):
    data = b"data: " + b"x" * (limit + 10)  # no boundary ever: the buffer would grow for good
    assert parse(split(data, points), max_event=limit) == "StreamError"
