"""Base64 blobs that hold a secret once decoded (issue #11, encoded secrets).

A Kubernetes ``data:`` field, a ``*_B64`` variable or the input of ``base64 -d`` carries a PEM
key, a service-account JSON or a token that no rule sees in its encoded form. Every run of 16+
base64 characters (standard or url-safe, padded or not) that decodes to printable UTF-8 text is
scanned again by the secret recognizer, to a bounded depth (a blob inside a blob is found, a
blob of a blob of ... is not chased further). When the decoded text holds a secret, the whole
blob is reported as ``BASE64_<type of the inner secret>``. Its dummy is a fake blob in the same
alphabet and length (not the encoding of a faked text: that would share the encoding of the
public parts, PEM armour or JSON keys, with the original), and restoring it gives the exact
original.

Other encodings (:mod:`.codecs`: hex, base32, ``\\x``/``\\u``/octal escapes, percent-encoding,
byte-value and character lists) are decoded and scanned the same way, and reported as
``ENCODED_<type>``; their dummy is the same encoding of a fake secret. A decoded text that is
a bare value (a password) is also scanned after the name it is assigned to on its line
(``DB_PASSWORD_HEX = "..."``, ``?pwd=%55%64...``), so context counts as it does for plain text.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable

from recognizers.base import Finding
from recognizers.secrets import codecs
from recognizers.secrets.entropy import _entropy, _mixed3

MAX_DEPTH = 2  # decoded text is scanned, and blobs inside it once more
_MIN_BLOB = 16
_MAX_BLOB = 65536
_B64_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-")
# every other character becomes a space, so split() yields the base64 runs
_SEPARATE = {c: " " for c in range(128) if chr(c) not in _B64_CHARS}
_HAS_DIGIT_OR_SYMBOL_RE = re.compile(r"[0-9+/=]")
_PRINTABLE_EXTRA = frozenset("\n\r\t")


def decode_text(blob: str) -> tuple[str, bool] | None:
    """The UTF-8 text a base64 blob encodes, and whether it is url-safe; None when the blob
    is not base64 or does not decode to printable text."""
    urlsafe = "-" in blob or "_" in blob
    if urlsafe and ("+" in blob or "/" in blob):
        return None
    core = blob.rstrip("=")
    if len(core) % 4 == 1:
        return None
    try:
        raw = base64.b64decode(
            core + "=" * (-len(core) % 4), altchars=b"-_" if urlsafe else None, validate=True
        )
        text = raw.decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    if len(text) < 6 or not all(c.isprintable() or c in _PRINTABLE_EXTRA for c in text):
        return None
    return text, urlsafe


def _runs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each run of 16+ base64 characters, padding included. ``str.translate``
    and ``split`` find the runs in C; a regex retrying inside every shorter word was 3x slower."""
    out: list[tuple[int, int]] = []
    cursor, n = 0, len(text)
    ascii_ = text if text.isascii() else text.encode("ascii", "replace").decode("ascii")
    for word in ascii_.translate(_SEPARATE).split():  # one "?" for each other character
        if len(word) < _MIN_BLOB:
            continue
        s = text.find(word, cursor)  # the run itself: a shorter run cannot hold it
        e = cursor = s + len(word)
        while e < n and e - cursor < 2 and text[e] == "=":
            e += 1
        if e - s <= _MAX_BLOB:
            out.append((s, e))
    return out


def scan_encoded(
    text: str,
    analyze: Callable[[str, int], list[Finding]],
    depth: int,
    add: Callable[..., None],
) -> list[tuple[int, int, str]]:
    """Report each blob in ``text`` whose decoded text ``analyze`` (at ``depth + 1``) finds a
    secret in. Blobs judged by the name they are assigned to are returned instead, for the
    caller to add after its other rules: where one of those reads the blob too (a ``Basic``
    header), it names the type."""
    if depth >= MAX_DEPTH:
        return []
    later: list[tuple[int, int, str]] = []
    runs = _runs(text)
    taken: list[tuple[int, int]] = []
    for s, e, codec, decoded in codecs.find(text, runs):
        judged = _inner_type(text, s, decoded, codec, analyze, depth)
        if judged:
            _report(judged, s, e, "ENCODED_", add, later)
            taken.append((s, e))
    for s, e in runs:
        blob = text[s:e]
        if blob.isalpha() or not _HAS_DIGIT_OR_SYMBOL_RE.search(blob):
            continue  # a long identifier, not an encoding
        if any(a <= s < b for a, b in taken):
            continue  # hex or base32, already judged
        decoded = decode_text(blob)
        if decoded is None:
            continue
        judged = _inner_type(text, s, decoded[0], "b64", analyze, depth)
        if judged:
            _report(judged, s, e, "BASE64_", add, later)
    return later


def _report(judged: tuple[str, bool], s: int, e: int, prefix: str,
            add: Callable[[int, int, str], None], later: list[tuple[int, int, str]]) -> None:
    """An encoded secret (``judged``: its inner type, and whether it waits for the names around
    it), reported now or kept for later."""
    kind = prefix + judged[0].removeprefix(prefix)
    if judged[1]:
        later.append((s, e, kind))
    else:
        add(s, e, kind)


# the last name assigned to on a line: ``name =``, ``name:``, ``name :=``, ``name[] =``, ``&name=``
_NAME_BEFORE_RE = re.compile(r"([A-Za-z_][\w\-]*)[\"']?[ \t]*(?:\[\][ \t]*)?(?::=|=>|=|:)(?![=:/])")
# a line that opens an object or a block under a name: ``"credentials": {``, ``auth:``
_PARENT_RE = re.compile(
    r"[ \t]*-?[ \t]*[\"']?([A-Za-z_][\w\-]*)[\"']?[ \t]*[:=][ \t]*[{\[]?[ \t]*\r?$")
# codecs nobody uses for ordinary text: a random token written so is hidden on purpose
_OBFUSCATIONS = frozenset({"xesc", "uesc", "oesc", "pct", "html", "bytes", "chars", "rot13"})
# hex carries data (labels, ids), but hex the code decodes to text is hidden on purpose: a
# decode call (fromhex, hex.DecodeString, Buffer.from(.., 'hex'), pack('H*'), xxd) on its line
# or the line before, or a 0x before it
_HEX_CODECS = frozenset({"hex", "hexsep"})
_HEX_DECODED_RE = re.compile(r"hex|xxd|pack\s*\(\s*['\"]H", re.I)
_MAX_PARENT_LINES = 12


def _names(text: str, at: int) -> list[str]:
    """The name a value at ``at`` is assigned to on its line, then that name under the name of
    the object holding it (``credentials`` + ``value``: ``credentials_value``)."""
    ls = text.rfind("\n", 0, at) + 1
    found = _NAME_BEFORE_RE.findall(text, max(ls, at - 160), at)
    if not found:
        return []
    out = [found[-1]]
    indent = len(text[ls:at]) - len(text[ls:at].lstrip(" \t"))
    end = ls - 1
    for _ in range(_MAX_PARENT_LINES):
        if end <= 0:
            break
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end]
        end = start - 1
        if not line.strip():
            continue
        ind = len(line) - len(line.lstrip(" \t"))
        if ind < indent:
            pm = _PARENT_RE.fullmatch(line)
            if pm is not None:
                out.append(f"{pm.group(1)}_{found[-1]}")
            break
    return out


def _inner_type(text: str, at: int, decoded: str, codec: str,
                analyze: Callable[[str, int], list[Finding]],
                depth: int) -> tuple[str, bool] | None:
    """The type of the secret a decoded text holds, and whether only its context says so: found
    in it alone, or, for a bare value, after the name it is assigned to (or that name under its
    parent object's). A random token in an escape or list encoding counts without a name."""
    inner = analyze(decoded, depth + 1)
    by_context = False
    if not inner and not any(c.isspace() for c in decoded):
        by_context = True
        q = next((c for c in "\"'`" if c not in decoded), "")
        for name in _names(text, at):
            inner = analyze(f"{name} = {q}{decoded}{q}", depth + 1)
            if inner:
                break
        hidden = codec in _OBFUSCATIONS or (codec in _HEX_CODECS and _hex_decoded(text, at))
        if (not inner and hidden and _random_token(decoded)
                and not (codec == "bytes" and "0x" not in text[at:at + 4].lower())):
            return "SECRET_VALUE", True  # (a decimal list is more often data than text)
    if not inner:
        return None
    return max(inner, key=lambda f: (f.end - f.start, f.score)).type, by_context


def _hex_decoded(text: str, at: int) -> bool:
    if text[max(0, at - 2):at] in ("0x", "0X"):
        return True
    ls = text.rfind("\n", 0, max(0, text.rfind("\n", 0, at))) + 1  # the line before
    le = text.find("\n", at)
    return _HEX_DECODED_RE.search(text, max(ls, at - 240), le if le >= 0 else len(text)) is not None


def _random_token(v: str) -> bool:
    return (12 <= len(v) <= 256 and not any(c.isspace() for c in v) and _mixed3(v)
            and _entropy(v) >= 3.5)
