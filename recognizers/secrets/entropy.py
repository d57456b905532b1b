"""Whether a value is a plausible secret: entropy, placeholders and alphabets.

The entropy measure is detect-secrets' ``calculate_shannon_entropy`` (bits per character),
re-implemented over ``collections.Counter`` because the plugin version loops over its whole
charset and is several times slower."""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections import Counter
from collections.abc import Callable

_XLOGX = [0.0] + [c * math.log2(c) for c in range(1, 4097)]


def _entropy(s: str) -> float:
    """Shannon entropy in bits per character (as detect-secrets computes it)."""
    n = len(s)
    if n == 0 or n > 4096:
        return 0.0 if n == 0 else _entropy(s[:4096])
    return math.log2(n) - sum(map(_XLOGX.__getitem__, Counter(s).values())) / n


_WORDCHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
_TOKCHARS = _WORDCHARS | {"-"}


def _left_ok(text: str, i: int, chars: frozenset[str] = _WORDCHARS) -> bool:
    """True when position ``i`` starts a token: no word char before it, or an escape ``\\n``."""
    if i == 0:
        return True
    c = text[i - 1]
    if c not in chars:
        return True
    return c in "nrt" and i >= 2 and text[i - 2] == "\\"


_PLACEHOLDER_RUN = re.compile(r"(?i)xxxx|\*\*\*|\.\.\.|…|#{4}|_{5}|0{8}|([a-z])\1{7}")
_SEQ_RUN_RE = re.compile(
    "|".join(
        re.escape(alpha[i:i + 8])
        for alpha in ("0123456789", "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        for i in range(len(alpha) - 7)
    )
)


def _has_seq_run(v: str) -> bool:
    """``abcdefgh``, ``12345678``: keyboard-walk fillers, not secrets."""
    return _SEQ_RUN_RE.search(v) is not None


def _token_plausible(tok: str, min_entropy: float) -> bool:
    """A provider token: no placeholder run, enough entropy."""
    if min_entropy and _PLACEHOLDER_RUN.search(tok):
        return False
    return _entropy(tok) >= min_entropy


_UPPER_RE = re.compile(r"[A-Z]")
_LOWER_RE = re.compile(r"[a-z]")
_DIGIT_RE = re.compile(r"[0-9]")
_ALPHA_RE = re.compile(r"[A-Za-z]")
_ALNUM_RE = re.compile(r"[A-Za-z0-9]")
_SYMBOL_RE = re.compile(r"[^A-Za-z0-9]")
_SPACE_RE = re.compile(r"\s")


def _mixed(tok: str) -> bool:
    """At least two of upper case, lower case, digits."""
    up = _UPPER_RE.search(tok) is not None
    lo = _LOWER_RE.search(tok) is not None
    di = _DIGIT_RE.search(tok) is not None
    return up + lo + di >= 2


def _mixed3(tok: str) -> bool:
    """Upper case, lower case and digits."""
    return bool(_UPPER_RE.search(tok) and _LOWER_RE.search(tok) and _DIGIT_RE.search(tok))


def _b64decode(s: str) -> bytes | None:
    s = s.rstrip("=").replace("+", "-").replace("/", "_")
    try:
        return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
    except (binascii.Error, ValueError):
        return None


def _b64_json(seg: str, loose: bool = False) -> bool:
    raw = _b64decode(seg)
    if raw is None:
        return False
    if loose:
        return raw[:1] == b"{"
    try:
        return isinstance(json.loads(raw), dict)
    except (ValueError, UnicodeDecodeError):
        return False


def _b64_has_colon(v: str) -> bool:
    raw = _b64decode(v)
    return raw is not None and b":" in raw


def _words(s: str) -> frozenset[str]:
    """A frozenset from a whitespace-separated word list."""
    return frozenset(s.split())


_Add = Callable[..., None]  # add(start, end, type, score=1.0): report one finding
