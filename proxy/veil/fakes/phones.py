"""Fake phone numbers: the original's separators, length and country code, fresh digits
(NANP numbers get a valid area code).
"""

from __future__ import annotations

import re
from random import Random

from proxy.veil.fakes.chars import DIGITS, MAX_TRIES, force_different, refill

_AREA_CODES = (
    "201", "202", "206", "212", "213", "214", "303", "305", "312", "313", "314", "404", "412",
    "415", "425", "469", "503", "504", "512", "602", "612", "617", "646", "650", "702", "713",
    "720", "737", "747", "773", "786", "801", "808", "818", "832", "858", "901", "904", "917",
    "919", "929", "971",
)  # fmt: skip


def _nanp_digits(original: str, rng: Random) -> str:
    """Ten NANP digits in the fictional 555-01xx range with a real area code."""
    for _ in range(MAX_TRIES):
        fake = rng.choice(_AREA_CODES) + "5550" + "1" + "".join(rng.choice(DIGITS) for _ in "xx")
        if fake != original:
            return fake
    return fake



def _country_code_length(digits: str) -> int:
    if digits[:1] in ("1", "7"):
        return 1
    try:
        import phonenumbers  # optional: ships with presidio

        for n in (2, 3):
            if int(digits[:n]) in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
                return n
    except ImportError:  # pragma: no cover
        pass
    return 2


def fake_phone(value: str, rng: Random) -> str:
    """Same format: country code, digit count and separators kept; never the original.

    US/NANP numbers (10 digits, optionally ``+1``/``1``) become ``<area>-555-01xx``.
    International numbers keep the country code and the first national digit (mobile or
    landline prefix); the other digits are random.
    """
    digits = "".join(ch for ch in value if ch.isdigit())
    if not digits:
        return value
    stripped = value.lstrip()
    plus = stripped.startswith("+")
    if plus:
        # country code: the first digit group, or the known code of a compact number
        m = re.match(r"\s*\+(\d{1,3})(?=\D)", value)
        cc_len = len(m.group(1)) if m else _country_code_length(digits)
    else:
        cc_len = 1 if len(digits) == 11 and digits[0] == "1" else 0
    cc, national = digits[:cc_len], digits[cc_len:]
    nanp = len(national) == 10 and national[0] in "23456789" and national[3] in "23456789"
    if cc in ("", "1") and nanp:
        new_national = _nanp_digits(national, rng)
    else:
        new_national = national
        for _ in range(MAX_TRIES):
            keep = 1 if len(national) > 4 else 0
            new_national = national[:keep] + "".join(rng.choice(DIGITS) for _ in national[keep:])
            if new_national != national:
                break
        if new_national == national:
            new_national = force_different(national, new_national, rng)
    return refill(value, cc + new_national)
