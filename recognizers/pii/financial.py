"""Payment data: ``CREDIT_CARD`` (issuer prefix, length and Luhn) and ``IBAN`` (ISO 13616).

``luhn_is_valid`` and ``iban_is_valid`` are public: the policy's own recognizers name them as
validators, and the veil's dummy cards and IBANs are checked against them.
"""

from __future__ import annotations

import re

from recognizers.pii.scan import Span


def luhn_is_valid(digits: str) -> bool:
    """Luhn (mod 10) check of a string of decimal digits."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _card_brand_ok(digits: str) -> bool:
    """Known issuer prefix (IIN) with a length that issuer uses."""
    n = len(digits)
    p2 = int(digits[:2])
    p3 = int(digits[:3])
    p4 = int(digits[:4])
    if digits[0] == "4":  # Visa
        return n in (13, 16, 19)
    if 51 <= p2 <= 55 or 2221 <= p4 <= 2720:  # Mastercard
        return n == 16
    if p2 in (34, 37):  # American Express
        return n == 15
    if p4 == 6011 or p2 == 65 or 644 <= p3 <= 649:  # Discover
        return 16 <= n <= 19
    if 3528 <= p4 <= 3589:  # JCB
        return 16 <= n <= 19
    if 300 <= p3 <= 305 or p2 in (36, 38, 39) or p4 == 3095:  # Diners Club
        return 14 <= n <= 19
    return False


#: ISO 13616 IBAN lengths per country (SWIFT IBAN registry).
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22,
    "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32,
    "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24,
    "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31,
    "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28, "TL": 23,
    "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}  # fmt: skip


def iban_is_valid(value: str) -> bool:
    """ISO 13616: known country, right length, mod-97 of the rearranged number equals 1."""
    compact = value.replace(" ", "").upper()
    if len(compact) < 5 or IBAN_LENGTHS.get(compact[:2]) != len(compact):
        return False
    if not compact[2:4].isdigit() or not compact.isalnum() or not compact.isascii():
        return False
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(number) % 97 == 1


_CARD_RE = re.compile(
    r"(?<![\w.,\-])(\d{3,19}(?:([ \-])\d{3,7}(?:\2\d{3,7}){1,4})?)(?![\w\-]|[.,]\d)"
)


def cards_in_run(text: str, s: int, window: int, spans: list[Span]) -> None:
    """Card numbers (plain or grouped by spaces or dashes) in the run starting at ``s``."""
    for card in _CARD_RE.finditer(text, s, window):
        digits = card.group(1).replace(" ", "").replace("-", "")
        if 13 <= len(digits) <= 19 and _card_brand_ok(digits) and luhn_is_valid(digits):
            spans.append((card.start(1), card.end(1), "CREDIT_CARD"))


def iban_at(text: str, start: int, spans: list[Span]) -> None:
    """An IBAN starting at ``start`` (compact or in groups of four)."""
    if start and (text[start - 1].isalnum() or text[start - 1] == "_"):
        return
    length = IBAN_LENGTHS.get(text[start : start + 2])
    if length is None:
        return
    n = len(text)
    i = start + 4
    count = 4
    spaced = i < n and text[i] == " "
    while count < length and i < n:
        ch = text[i]
        if ch == " ":
            if not spaced or count % 4 or text[i - 1] == " ":
                break
            i += 1
            continue
        if not (ch.isascii() and (ch.isdigit() or ch.isupper())):
            break
        count += 1
        i += 1
    if count != length or (i < n and (text[i].isalnum() or text[i] == "_")):
        return
    if iban_is_valid(text[start:i]):
        spans.append((start, i, "IBAN"))
