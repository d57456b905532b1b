"""Jupyter notebooks pasted as JSON (``.ipynb``): the code of each cell, decoded from its
``"source"`` strings, with the offset in the slot of every decoded character, so the code is
lexed like any other and its names are reported where they stand in the JSON.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_SOURCE_RE = re.compile(r'"source"\s*:\s*(\[|")')
_LANGUAGE_RE = re.compile(r'"(?:language|name)"\s*:\s*"(python|r|julia|scala|javascript|sql)"')
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "/": "/", "b": "\b",
            "f": "\f"}
_MAX_CELL = 200_000


def notebook_cells(text: str) -> Iterator[tuple[str, list[int], str]]:
    """(decoded code, slot offset of each of its characters, language) of each code cell."""
    if '"cell_type"' not in text or '"source"' not in text:
        return
    lang = _LANGUAGE_RE.search(text)
    language = lang.group(1) if lang and lang.group(1) != "r" else "python"
    for m in _SOURCE_RE.finditer(text):
        chars: list[str] = []
        offsets: list[int] = []
        i = m.end(1) - 1
        if m.group(1) == "[":
            i += 1
            while i < len(text) and len(chars) < _MAX_CELL:
                while i < len(text) and text[i] in " \t\r\n,":
                    i += 1
                if i >= len(text) or text[i] != '"':
                    break
                i = _string(text, i, chars, offsets)
                if i < 0:
                    break
        else:
            _string(text, i, chars, offsets)
        if chars:
            yield "".join(chars), offsets, language


_OUTPUT_RE = re.compile(r'"(?:text/plain|text)"\s*:\s*(\[|")')


def output_texts(text: str) -> Iterator[str]:
    """The decoded text of each cell output (an ``execute_result``'s ``text/plain`` repr, a
    ``stream``'s lines): what the project's code printed, its names included."""
    for m in _OUTPUT_RE.finditer(text):
        chars: list[str] = []
        i = m.end(1) - 1
        if m.group(1) == "[":
            i += 1
            while i < len(text) and len(chars) < _MAX_CELL:
                while i < len(text) and text[i] in " \t\r\n,":
                    i += 1
                if i >= len(text) or text[i] != '"':
                    break
                i = _string(text, i, chars, [])
                if i < 0:
                    break
        else:
            _string(text, i, chars, [])
        if chars:
            yield "".join(chars)


def _string(text: str, i: int, chars: list[str], offsets: list[int]) -> int:
    """Decode the JSON string that opens at ``text[i]``; return the index after it (-1: not
    closed on its line)."""
    i += 1
    n = len(text)
    while i < n:
        c = text[i]
        if c == '"':
            return i + 1
        if c == "\n":
            return -1
        if c == "\\" and i + 1 < n:
            e = text[i + 1]
            if e == "u" and i + 6 <= n:
                try:
                    chars.append(chr(int(text[i + 2:i + 6], 16)))
                except ValueError:
                    return -1
                offsets.append(i)
                i += 6
                continue
            chars.append(_ESCAPES.get(e, e))
            offsets.append(i)
            i += 2
            continue
        chars.append(c)
        offsets.append(i)
        i += 1
    return -1
