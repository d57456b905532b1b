"""Fake card numbers (issuer prefix and length kept, Luhn-valid) and IBANs (country and
length kept, valid check digits).
"""

from __future__ import annotations

from random import Random

from proxy.veil.fakes.chars import DIGITS, MAX_TRIES, UPPER, fake_chars, refill


def luhn_check_digit(payload: str) -> str:
    """The digit that makes ``payload + digit`` Luhn-valid."""
    total = 0
    for i, ch in enumerate(reversed(payload)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def _iin_length(digits: str) -> int:
    """How many leading digits name the issuer (kept so the fake stays the same brand)."""
    if digits[:1] == "4":  # Visa
        return 1
    if (
        digits[:4] == "6011" or digits[:1] == "2" or digits[:2] == "35"
    ):  # Discover, MC 2-series, JCB
        return 4
    if digits[:3] in ("644", "645", "646", "647", "648", "649") or digits[:2] == "30":
        return 3  # Discover 644-649, Diners 300-305
    return 2  # Amex 34/37, Mastercard 51-55, Discover 65, Diners 36/38


def fake_card(value: str, rng: Random) -> str:
    """Same issuer prefix (first 1-4 digits), length and grouping; Luhn-valid; not the original."""
    digits = "".join(ch for ch in value if ch.isdigit())
    if len(digits) < 2:
        return fake_chars(value, rng)
    keep = min(_iin_length(digits), len(digits) - 1)
    fake = digits
    for _ in range(MAX_TRIES):
        payload = digits[:keep] + "".join(rng.choice(DIGITS) for _ in digits[keep:-1])
        fake = payload + luhn_check_digit(payload)
        if fake != digits:
            break
    return refill(value, fake)


def _iban_number(text: str) -> int:
    return int("".join(str(int(ch, 36)) for ch in text))


def iban_check_digits(country: str, bban: str) -> str:
    """ISO 13616 check digits for ``country`` + ``bban``."""
    return f"{98 - _iban_number(bban + country + '00') % 97:02d}"


def fake_iban(value: str, rng: Random) -> str:
    """Same country code, length and grouping (spaces kept); valid mod-97 check digits."""
    compact = value.replace(" ", "")
    if len(compact) < 5 or not compact[:2].isalpha():
        return fake_chars(value, rng)
    country = compact[:2].upper()
    bban = compact[4:]
    fake = compact
    for _ in range(MAX_TRIES):
        # digits stay digits and letters letters: BBAN formats fix which positions are which
        new_bban = "".join(
            rng.choice(DIGITS) if ch.isdigit() else rng.choice(UPPER) if ch.isalpha() else ch
            for ch in bban.upper()
        )
        fake = compact[:2] + iban_check_digits(country, new_bban) + new_bban
        if fake != compact:
            break
    it = iter(fake)
    return "".join(ch if ch == " " else next(it) for ch in value)
