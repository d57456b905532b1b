"""Encodings a secret hides in, other than base64: hex strings (also ``0x``-led, and bytes
one space or colon apart), base32, escape sequences
(``\\x73``, ``\\u0073``, octal ``\\163``), percent-encoding, HTML character references
(``&#115;``, ``&#x73;``), lists of byte values
(``0x73, 0x6b``, ``115, 107``) and of character literals (``'s', 'k'``); rot13 where the line
says so.

Each codec decodes a candidate span to text and encodes text back *in the span's own style*
(case, separators, quotes, padding), so a dummy for an encoded secret is the same encoding of a
fake secret: ``encode(decode(x), like=x) == x`` for every span :func:`find` returns.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator

MIN_CHARS = 6  # shorter decoded texts hold no secret worth the work
_MAX_SPAN = 16384

# escape runs: at least MIN_CHARS escapes in a row, nothing between them
_HTML_REF = r"&#(?:\d{1,7}|[xX][0-9a-fA-F]{1,6});"
# (each pattern starts with a literal, so ``re`` skips ahead to it: a leading group is 20x slower)
_ESCAPE_RES = (
    ("xesc", "\\x", re.compile(r"\\x[0-9a-fA-F]{2}(?:\\x[0-9a-fA-F]{2}){5,4096}")),
    ("uesc", "\\u", re.compile(r"\\u[0-9a-fA-F]{4}(?:\\u[0-9a-fA-F]{4}){5,4096}")),
    ("oesc", "\\", re.compile(r"\\[0-3][0-7]{2}(?:\\[0-3][0-7]{2}){5,4096}")),
    ("pct", "%", re.compile(r"%[0-9a-fA-F]{2}(?:%[0-9a-fA-F]{2}){5,4096}")),
    ("html", "&#", re.compile(rf"{_HTML_REF}(?:{_HTML_REF}){{5,4096}}")),
)
# lists: byte values in hex or decimal, or one-character literals, comma separated
_BYTES_RE = re.compile(
    r"(?:0[xX][0-9a-fA-F]{1,2}|\d{1,3})(?:[ \t]*,[ \t]*(?:0[xX][0-9a-fA-F]{1,2}|\d{1,3}))"
    r"{5,4096}(?![\w.])")
_CHARS_RE = re.compile(r"'(?:\\.|[^'\\\n])'(?:[ \t]*,[ \t]*'(?:\\.|[^'\\\n])'){5,4096}")
_HEX_RE = re.compile(r"[0-9a-fA-F]{12,}")
# hex bytes one separator apart, as dumps and fingerprints print them: "73 6b 5f", "73:6b:5f"
_HEXSEP_RE = re.compile(
    r"(?<![0-9A-Za-z:])[0-9a-fA-F]{2}([ :])[0-9a-fA-F]{2}(?:\1[0-9a-fA-F]{2}){4,4096}"
    r"(?![0-9A-Za-z:])")
_B32_RE = re.compile(r"[A-Z2-7]{16,}=*")
_TERMINATOR_RE = re.compile(r"[ \t]*,[ \t]*(?:'\\0'|0[xX]0{1,2}|0)$")
_CHAR_ESC = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", "'": "'", '"': '"'}


def _printable(s: str) -> bool:
    return len(s) >= MIN_CHARS and all(c.isprintable() or c in "\n\r\t" for c in s)


def decode(kind: str, span: str) -> str | None:
    """The text ``span`` encodes in codec ``kind``, or None when it is not printable text."""
    try:
        if kind == "hex":
            out = bytes.fromhex(span).decode("utf-8")
        elif kind == "hexsep":
            out = bytes.fromhex(span.replace(span[2], "")).decode("utf-8")
        elif kind == "b32":
            core = span.rstrip("=")
            out = base64.b32decode(core + "=" * (-len(core) % 8)).decode("utf-8")
        elif kind == "xesc":  # \xHH
            out = bytes(int(span[i + 2:i + 4], 16) for i in range(0, len(span), 4)).decode()
        elif kind == "pct":  # %HH
            out = bytes(int(span[i + 1:i + 3], 16) for i in range(0, len(span), 3)).decode()
        elif kind == "uesc":
            out = "".join(chr(int(span[i + 2:i + 6], 16)) for i in range(0, len(span), 6))
        elif kind == "oesc":
            out = bytes(int(span[i + 1:i + 4], 8) for i in range(0, len(span), 4)).decode("utf-8")
        elif kind == "bytes":
            out = bytes(int(x, 0) for x in _items(span)).decode("utf-8")
        elif kind == "html":  # &#115; and &#x73;
            out = "".join(chr(int(x[1:], 16) if x[:1] in "xX" else int(x))
                          for x in span[2:-1].split(";&#"))
        elif kind == "chars":
            out = "".join(_CHAR_ESC.get(x[2], x[2]) if x[1] == "\\" else x[1]
                          for x in _items(span))
        else:
            return None
    except (ValueError, UnicodeDecodeError, binascii.Error):
        return None
    return out if _printable(out) else None


def _items(span: str) -> list[str]:
    return [x.strip() for x in re.split(r",(?=[ \t]*(?:'|0[xX]|\d))", span)]


def encode(kind: str, text: str, like: str) -> str:
    """``text`` in codec ``kind``, written as ``like`` is (case, separators, padding)."""
    raw = text.encode("utf-8")
    upper = any(c in "ABCDEF" for c in like) and not any(c in "abcdef" for c in like)
    if kind == "hex":
        out = raw.hex()
        return out.upper() if upper else out
    if kind == "hexsep":
        out = raw.hex(like[2])
        return out.upper() if upper else out
    if kind == "b32":
        out = base64.b32encode(raw).decode()
        return out if like.endswith("=") else out.rstrip("=")
    if kind == "xesc":
        return "".join((f"\\x{b:02X}" if upper else f"\\x{b:02x}") for b in raw)
    if kind == "pct":
        return "".join((f"%{b:02X}" if upper or "%" not in like else f"%{b:02x}") for b in raw)
    if kind == "uesc":
        return "".join((f"\\u{ord(c):04X}" if upper else f"\\u{ord(c):04x}") for c in text)
    if kind == "oesc":
        return "".join(f"\\{b:03o}" for b in raw)
    if kind == "html":
        if "&#x" in like or "&#X" in like:
            return "".join((f"&#x{ord(c):X};" if upper else f"&#x{ord(c):x};") for c in text)
        return "".join(f"&#{ord(c)};" for c in text)
    sep = re.search(r",[ \t]*", like)
    glue = sep.group() if sep else ", "
    if kind == "bytes":
        if like[:2].lower() == "0x":
            return glue.join((f"0x{b:02X}" if upper else f"0x{b:02x}") for b in raw)
        return glue.join(str(b) for b in raw)
    if kind == "chars":
        inv = {v: k for k, v in _CHAR_ESC.items() if k not in "0"}
        return glue.join(f"'\\{inv[c]}'" if c in inv and c not in '"' else f"'{c}'"
                         for c in text)
    raise ValueError(kind)


def kind_of(span: str) -> str | None:
    """The codec a span reported by :func:`find` is written in."""
    for kind, _lead, rx in _ESCAPE_RES:
        if rx.fullmatch(span):
            return kind
    if _BYTES_RE.fullmatch(span):
        return "bytes"
    if _HEXSEP_RE.fullmatch(span):
        return "hexsep"
    if _CHARS_RE.fullmatch(span):
        return "chars"
    if _HEX_RE.fullmatch(span) and len(span) % 2 == 0:
        return "hex"
    if _B32_RE.fullmatch(span):
        return "b32"
    return None


_BYTES_GATE_RE = re.compile(  # three numbers in a row, found from their commas (fast)
    r",[ \t]*(?:0[xX][0-9a-fA-F]{1,2}|\d{1,3})[ \t]*,"
    r"[ \t]*(?:0[xX][0-9a-fA-F]{1,2}|\d{1,3})[ \t]*,")
_LIST_CHARS = frozenset("0123456789abcdefABCDEFxX, \t")


def _byte_lists(text: str) -> list[tuple[str, re.Match[str]]]:
    """The lists of byte values: a number regex tried at every digit of a long text is slow, so
    lists are found from their commas and read from where they start."""
    out: list[tuple[str, re.Match[str]]] = []
    pos = 0
    while (g := _BYTES_GATE_RE.search(text, pos)) is not None:
        j = g.start()
        lo = max(pos, j - 8)
        while j > lo and text[j - 1] in _LIST_CHARS:
            j -= 1
        while j < g.start() and not text[j].isdigit():
            j += 1
        m = _BYTES_RE.match(text, j)
        if m is not None and not (j and (text[j - 1].isalnum() or text[j - 1] in "_.")):
            out.append(("bytes", m))
            pos = m.end()
        else:
            pos = g.end()
    return out


# rot13 is undone only where the text says it is used (codecs.decode(x, 'rot13'), str_rot13,
# tr 'A-Za-z' 'N-ZA-Mn-za-m'): the quoted words on that line
_ROT13_MARK_RE = re.compile(r"[Rr][Oo][Tt][_\-]?13|N-ZA-Mn-za-m|n-za-mN-ZA-M")
_QUOTED_WORD_RE = re.compile(r"(['\"])([^'\"\s\\]{6,256})\1")
_ROT13 = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                       "NOPQRSTUVWXYZABCDEFGHIJKLMnopqrstuvwxyzabcdefghijklm")


def _rot13_words(text: str) -> Iterator[tuple[int, int, str, str]]:
    line_end = -1
    for mk in _ROT13_MARK_RE.finditer(text):
        if mk.start() < line_end:
            continue  # one look per line
        ls = text.rfind("\n", 0, mk.start()) + 1
        line_end = text.find("\n", mk.end())
        line_end = len(text) if line_end < 0 else line_end
        for q in _QUOTED_WORD_RE.finditer(text, ls, line_end):
            word = q.group(2)
            if not _ROT13_MARK_RE.fullmatch(word) and "-" not in word[1:2]:  # not a tr set
                yield q.start(2), q.end(2), "rot13", word.translate(_ROT13)


def find(text: str, words: list[tuple[int, int]]) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, codec, decoded text) of each encoded candidate in ``text``. ``words`` are
    the runs of base64-alphabet characters (the base64 scan's), where hex and base32 hide."""
    for kind, lead, rx in _ESCAPE_RES:
        if lead in text:
            for m in rx.finditer(text):
                dec = decode(kind, m.group())
                if dec is not None:
                    yield m.start(), m.end(), kind, dec
    if "," in text:
        lists = _byte_lists(text)
        if "'" in text:
            lists += [("chars", m) for m in _CHARS_RE.finditer(text)]
        for kind, m in lists:
            if m.end() - m.start() <= _MAX_SPAN:
                s = m.start()
                span = _TERMINATOR_RE.sub("", m.group())  # C's '\0' ends the list, not the text
                dec = decode(kind, span)
                if dec is not None:
                    yield s, s + len(span), kind, dec
    if "13" in text or "N-ZA-M" in text or "n-za-m" in text:
        yield from _rot13_words(text)
    for m in _HEXSEP_RE.finditer(text):
        dec = decode("hexsep", m.group())
        if dec is not None:
            yield m.start(), m.end(), "hexsep", dec
    for s, e in words:
        blob = text[s:e]
        if blob[:2] in ("0x", "0X") and len(blob) % 2 == 0 and _HEX_RE.fullmatch(blob, 2):
            s, blob = s + 2, blob[2:]  # one number written in hex: 0x736b...
        if len(blob) % 2 == 0 and _HEX_RE.fullmatch(blob):
            dec = decode("hex", blob)
            if dec is not None:
                yield s, e, "hex", dec
        elif _B32_RE.fullmatch(blob) and len(blob.rstrip("=")) % 8 in (0, 2, 4, 5, 7):
            dec = decode("b32", blob.rstrip("="))
            if dec is not None:
                while e < len(text) and text[e] == "=" and e - s < len(blob) + 6:
                    e += 1  # base32 pads with up to six
                yield s, e, "b32", dec
