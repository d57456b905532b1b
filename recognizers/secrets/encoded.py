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
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable

from recognizers.base import Finding

MAX_DEPTH = 2  # decoded text is scanned, and blobs inside it once more
_MIN_BLOB = 16
_MAX_BLOB = 65536
_BLOB_RE = re.compile(r"[A-Za-z0-9+/_\-]{16,65536}={0,2}")
_B64_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-")
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


def scan_encoded(
    text: str,
    analyze: Callable[[str, int], list[Finding]],
    depth: int,
    add: Callable[..., None],
) -> None:
    """Report each blob in ``text`` whose decoded text ``analyze`` (at ``depth + 1``) finds a
    secret in."""
    if depth >= MAX_DEPTH:
        return
    n = len(text)
    for m in _BLOB_RE.finditer(text):
        s, e = m.span()
        blob = m.group()
        if (s and text[s - 1] in _B64_CHARS) or (e < n and text[e] in _B64_CHARS):
            continue  # part of a longer run, or a key before "=": not one blob
        if blob.isalpha() or not _HAS_DIGIT_OR_SYMBOL_RE.search(blob):
            continue  # a long identifier, not an encoding
        decoded = decode_text(blob)
        if decoded is None:
            continue
        inner = analyze(decoded[0], depth + 1)
        if inner:
            worst = max(inner, key=lambda f: (f.end - f.start, f.score))
            kind = worst.type.removeprefix("BASE64_")
            add(s, e, f"BASE64_{kind}")
