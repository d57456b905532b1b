"""Big bodies read and written in pieces give exactly what json gives in one call."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proxy.server import jsonio

# Escapes, multi-byte UTF-8, astral characters (surrogate pairs when escaped), lone surrogates.
chars = st.sampled_from([*'ab "\\/\n\t\x01é€😀\ud83d\ude00', "\ud800", "\udfff"])
texts = st.lists(chars, max_size=40).map("".join)
values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=12,
)


@contextmanager
def tiny(piece: int = 3) -> Iterator[None]:
    """Everything counts as big, and pieces are a few bytes: every cut is exercised."""
    saved = jsonio.BIG, jsonio.LONG, jsonio.PIECE
    jsonio.BIG, jsonio.LONG, jsonio.PIECE = 0, 2, piece
    try:
        yield
    finally:
        jsonio.BIG, jsonio.LONG, jsonio.PIECE = saved


def outcome(f: Any) -> Any:
    try:
        return ("ok", f())
    except Exception as e:
        return ("error", type(e))


def read(raw: bytes) -> Any:
    return asyncio.run(jsonio.loads(raw))


@settings(max_examples=400, deadline=None)
@given(values, st.booleans(), st.integers(1, 9))
def test_loads_in_pieces_is_json_loads(value, ascii_only, piece):
    raw = json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
    # read in pieces, never by falling back to json (repr: "😀" is not "\ud83d\ude00")
    with tiny(piece):
        got = asyncio.run(jsonio.in_pieces(raw))
    assert repr(got) == repr(json.loads(raw))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=30) | texts.map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_loads_of_anything_fails_or_succeeds_as_json_does(raw):
    with tiny():
        got = outcome(lambda: read(raw))
    want = outcome(lambda: json.loads(raw))
    assert got[0] == want[0]
    if got[0] == "ok":
        assert repr(got[1]) == repr(want[1])
    else:
        assert issubclass(got[1], ValueError) == issubclass(want[1], ValueError)


@settings(max_examples=400, deadline=None)
@given(values, st.booleans(), st.integers(1, 9))
def test_dumps_in_pieces_is_json_dumps(value, ascii_only, piece):
    before = json.dumps(value)
    want = outcome(lambda: json.dumps(value, ensure_ascii=ascii_only).encode())
    with tiny(piece):
        got = outcome(lambda: asyncio.run(jsonio.dumps(value, 1, ensure_ascii=ascii_only)))
    assert got == want
    assert json.dumps(value) == before  # the value is left as it was


def test_a_big_body_with_long_strings_and_a_refused_constant():
    text = "line é 😀 \"quoted\" \\ back\n" * 200_000  # ~5 MB
    body = {"model": "m", "messages": [{"role": "user", "content": text}, {"x": [text, 1.5]}]}
    raw = json.dumps(body).encode()
    assert len(raw) > jsonio.BIG
    assert repr(asyncio.run(jsonio.in_pieces(raw))) == repr(body)
    assert asyncio.run(jsonio.dumps(body, len(raw))) == raw

    def refuse(name: str) -> Any:
        raise ValueError(name)

    bad = raw[:-1] + b', "n": NaN}'
    with pytest.raises(ValueError):
        asyncio.run(jsonio.loads(bad, parse_constant=refuse))
