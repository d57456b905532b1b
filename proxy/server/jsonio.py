"""Big JSON bodies read and written a piece at a time, so that the event loop keeps turning.

``json.loads`` and ``json.dumps`` of a 16 MB body are single C calls of 60 to 140 ms that hold
the GIL: every other request, and /healthz, waits for them. Nearly all of a big body is string
literals (the prompt, files, tool results), so from ``BIG`` bytes on, the longer literals are cut
out of the raw bytes and decoded piece by piece, with a turn of the event loop between pieces;
the rest (the skeleton) is parsed by ``json`` as before and the strings are put back in. The
result is exactly ``json.loads``'s: any body this way cannot read (invalid JSON, a UTF-16 body)
is parsed in one call, so that its error is ``json``'s own. Writing is the mirror image, byte for
byte ``json.dumps``'s output.
"""

from __future__ import annotations

import asyncio
import json
import re
import secrets
from collections.abc import Callable
from typing import Any

BIG = 1 << 20  # bytes from which a body is read (characters: written) in pieces
LONG = 1024  # a string literal this long is decoded (encoded) on its own, out of the skeleton
PIECE = 1 << 18  # bytes decoded (characters encoded) in one call: a millisecond or two
_BACKSLASH = 0x5C
_HIGH_SURROGATE = re.compile(rb"\\u[dD][89abAB][0-9a-fA-F]{2}")
_COLON = re.compile(rb"[ \t\r\n]*:")


async def loads(raw: bytes, parse_constant: Callable[[str], Any] | None = None) -> Any:
    """``json.loads(raw, parse_constant=parse_constant)``, holding the GIL a few ms at a time."""
    if len(raw) < BIG or json.detect_encoding(raw) != "utf-8":
        return json.loads(raw, parse_constant=parse_constant)
    try:
        return await in_pieces(raw, parse_constant)
    except (ValueError, RecursionError):
        # Not the JSON it looked like: json reads it (or says why not) in one call.
        return json.loads(raw, parse_constant=parse_constant)


async def in_pieces(raw: bytes, parse_constant: Callable[[str], Any] | None = None) -> Any:
    """The long string literals of a UTF-8 JSON text decoded on their own, a piece at a time,
    and put back into the rest. ValueError where this reading does not apply."""
    quotes = await _quotes(raw)
    if len(quotes) % 2:
        raise ValueError("unpaired quote")
    nonce = secrets.token_hex(16)
    parts: list[bytes] = []
    texts: dict[str, str] = {}
    pos = done = 0
    for i in range(0, len(quotes), 2):
        s, e = quotes[i] + 1, quotes[i + 1]
        if e - s < LONG or _COLON.match(raw, e + 1):
            continue  # short, or a key: left in the skeleton
        marker = f"cv-{nonce}-{len(texts)}"
        parts += [raw[pos:s], marker.encode()]
        texts[marker] = await _decode(raw, s, e)
        pos = e
        done += e - s
        if done >= PIECE:
            done = 0
            await asyncio.sleep(0)
    parts.append(raw[pos:])
    body = json.loads(b"".join(parts), parse_constant=parse_constant)
    return _put_back(body, texts)


async def dumps(obj: Any, size: int, ensure_ascii: bool = True) -> bytes:
    """``json.dumps(obj, ensure_ascii=ensure_ascii).encode()`` (and its UnicodeEncodeError),
    holding the GIL a few ms at a time when ``size`` (of the body, roughly) is ``BIG`` or more."""
    if size < BIG:
        return json.dumps(obj, ensure_ascii=ensure_ascii).encode()
    nonce = secrets.token_hex(16)
    swapped = _swap_long(obj, nonce)
    try:
        skeleton = json.dumps(obj, ensure_ascii=ensure_ascii)
    finally:
        for container, key, value in swapped:
            container[key] = value
    out: list[bytes] = []
    pos = done = 0
    for m in re.finditer(f'"cv-{nonce}-([0-9]+)"', skeleton):
        out.append(skeleton[pos : m.start()].encode())
        value = swapped[int(m.group(1))][2]
        out.append(b'"')
        for i in range(0, len(value), PIECE):
            piece = value[i : i + PIECE]
            out.append(json.dumps(piece, ensure_ascii=ensure_ascii)[1:-1].encode())
            done += len(piece)
            if done >= PIECE:
                done = 0
                await asyncio.sleep(0)
        out.append(b'"')
        pos = m.end()
    out.append(skeleton[pos:].encode())
    return b"".join(out)


async def _quotes(raw: bytes) -> list[int]:
    """Where the unescaped quotes of a JSON text are: every string literal starts and ends at
    one. Escaped backslashes, then escaped quotes, are blanked out a window at a time (never
    splitting a run of backslashes, which pair up from its start)."""
    out: list[int] = []
    n, a = len(raw), 0
    while a < n:
        b = min(n, a + PIECE)
        while b < n and raw[b - 1] == _BACKSLASH:
            b += 1
        window = raw[a:b].replace(b"\\\\", b"__").replace(b'\\"', b"__")
        i = window.find(b'"')
        while i != -1:
            out.append(a + i)
            i = window.find(b'"', i + 1)
        a = b
        await asyncio.sleep(0)
    return out


async def _decode(raw: bytes, s: int, e: int) -> str:
    """The string whose JSON literal's content is ``raw[s:e]``, decoded a piece at a time."""
    parts: list[str] = []
    lo = s
    while e - lo > PIECE:
        c = _cut(raw, lo, lo + PIECE)
        if c <= lo:
            break  # nowhere to cut near here (a megabyte of backslashes): the rest at once
        parts.append(_string(raw[lo:c]))
        lo = c
        await asyncio.sleep(0)
    parts.append(_string(raw[lo:e]))
    return parts[0] if len(parts) == 1 else "".join(parts)


def _string(content: bytes) -> str:
    # as json.loads(bytes) decodes a body: UTF-8, surrogates passed through
    return json.loads('"' + content.decode("utf-8", "surrogatepass") + '"')


def _cut(raw: bytes, lo: int, c: int) -> int:
    """A place at or before ``c`` (after ``lo``, else ``lo``) to split a string literal's
    content: not inside a UTF-8 sequence, an escape, or the two escapes of a surrogate pair."""
    while c > lo and 0x80 <= raw[c] < 0xC0:
        c -= 1
    if raw.rfind(b"\\", max(lo, c - 5), c) != -1:
        # maybe inside an escape (at most 6 bytes): back to the first backslash of that run,
        # which starts an escape (the others pair up after it)
        c = raw.rfind(b"\\", max(lo, c - 5), c)
        while c > lo and raw[c - 1] == _BACKSLASH:
            c -= 1
    while c - 6 >= lo and _HIGH_SURROGATE.fullmatch(raw, c - 6, c):
        c -= 6
        while c > lo and raw[c - 1] == _BACKSLASH:
            c -= 1
    return c


def _put_back(body: Any, texts: dict[str, str]) -> Any:
    """The skeleton with each marker replaced by its string; every marker exactly once."""
    found: list[str] = []
    if isinstance(body, str):
        found = [body] if body in texts else []
        body = texts.get(body, body)
    elif isinstance(body, (dict, list)):
        stack = [body]
        while stack:
            o = stack.pop()
            items = o.items() if isinstance(o, dict) else enumerate(o)
            for k, v in items:
                if isinstance(v, str):
                    if v in texts:
                        found.append(v)
                        o[k] = texts[v]
                elif isinstance(v, (dict, list)):
                    stack.append(v)
    if len(found) != len(texts) or set(found) != texts.keys():
        raise ValueError("a string was not where it was cut out (a duplicate key?)")
    return body


def _swap_long(obj: Any, nonce: str) -> list[tuple[Any, Any, str]]:
    """Put a marker in place of every long string value (not key) of ``obj``; what was there."""
    swapped: list[tuple[Any, Any, str]] = []
    if not isinstance(obj, (dict, list)):
        return swapped
    stack = [obj]
    while stack:
        o = stack.pop()
        items = list(o.items() if isinstance(o, dict) else enumerate(o))
        for k, v in items:
            if isinstance(v, str):
                if len(v) >= LONG:
                    o[k] = f"cv-{nonce}-{len(swapped)}"
                    swapped.append((o, k, v))
            elif isinstance(v, (dict, list)):
                stack.append(v)
    return swapped
