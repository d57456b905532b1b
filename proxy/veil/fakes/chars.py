"""Character-class substitution, the base of every other fake: digit → digit, lower → lower,
upper → upper, hex stays hex; and the alphabets the formats share.
"""

from __future__ import annotations

import re
import string
from random import Random

DIGITS = string.digits
LOWER = string.ascii_lowercase
UPPER = string.ascii_uppercase
HEX_LOWER = "0123456789abcdef"
HEX_UPPER = "0123456789ABCDEF"
BASE62 = DIGITS + UPPER + LOWER  # GitHub's checksum alphabet: 0-9, A-Z, a-z
BASE32 = UPPER + "234567"  # AWS key ids
CONSONANTS_LOWER = "bcdfghjklmnprstvwz"
VOWELS_LOWER = "aeiou"

MAX_TRIES = 16



def _is_hex(value: str, alphabet: str) -> bool:
    """All characters from ``alphabet`` and hex-looking (a hash, not a word like "face")."""
    if not value or any(ch not in alphabet for ch in value):
        return False
    has_digit = any(ch.isdigit() for ch in value)
    has_letter = any(not ch.isdigit() for ch in value)
    return has_letter and ((has_digit and len(value) >= 4) or len(value) >= 16)


_ALNUM_RUN_RE = re.compile(r"[0-9A-Za-z]+|[^0-9A-Za-z]+")


def _substitute(value: str, rng: Random) -> str:
    """Character-class substitution, run by run: a hex run stays hex (xoxp-...-<hex>)."""
    return "".join(_substitute_run(run, rng) for run in _ALNUM_RUN_RE.findall(value))


def _substitute_run(value: str, rng: Random) -> str:
    if _is_hex(value, HEX_LOWER):
        return "".join(rng.choice(HEX_LOWER) for _ in value)
    if _is_hex(value, HEX_UPPER):
        return "".join(rng.choice(HEX_UPPER) for _ in value)
    out = []
    for ch in value:
        if ch.isascii() and ch.isdigit():
            out.append(rng.choice(DIGITS))
        elif ch.isascii() and ch.islower():
            out.append(rng.choice(LOWER))
        elif ch.isascii() and ch.isupper():
            out.append(rng.choice(UPPER))
        else:
            out.append(ch)
    return "".join(out)


def force_different(original: str, fake: str, rng: Random) -> str:
    """If ``fake`` equals ``original``, change one alphanumeric character (within its class)."""
    if fake != original:
        return fake
    positions = [i for i, ch in enumerate(fake) if ch.isascii() and ch.isalnum()]
    if not positions:
        return fake
    i = rng.choice(positions)
    ch = fake[i]
    if ch in HEX_LOWER and _is_hex(original, HEX_LOWER):
        pool = HEX_LOWER
    elif ch in HEX_UPPER and _is_hex(original, HEX_UPPER):
        pool = HEX_UPPER
    else:
        pool = DIGITS if ch.isdigit() else LOWER if ch.islower() else UPPER
    pool = pool.replace(ch, "")
    return fake[:i] + rng.choice(pool) + fake[i + 1 :]


def fake_chars(value: str, rng: Random, keep_prefix: int = 0) -> str:
    """Character-class substitution: digit -> digit, lower -> lower, upper -> upper.

    Everything else (punctuation, ``+/=-_``, whitespace, non-ASCII) is kept, so a base64, hex,
    base62 or base32 value stays in its alphabet; an all-hex value (lower or upper case) gets
    hex characters of the same case. The first ``keep_prefix`` characters are kept verbatim.
    """
    keep_prefix = max(0, min(keep_prefix, len(value)))
    head, tail = value[:keep_prefix], value[keep_prefix:]
    for _ in range(MAX_TRIES):
        fake = _substitute(tail, rng)
        if fake != tail:
            return head + fake
    return head + force_different(tail, _substitute(tail, rng), rng)


def fake_in_alphabet(value: str, alphabet: str, rng: Random) -> str:
    for _ in range(MAX_TRIES):
        fake = "".join(rng.choice(alphabet) if ch in alphabet else ch for ch in value)
        if fake != value:
            return fake
    return fake_chars(value, rng)

def refill(template: str, digits: str) -> str:
    """``template`` with its digits replaced, in order, by ``digits``."""
    it = iter(digits)
    return "".join(next(it) if ch.isdigit() else ch for ch in template)
