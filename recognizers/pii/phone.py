"""Phone numbers: ``PHONE`` findings.

International numbers (``+44 20 7946 0958``) are cut to the longest prefix that ``phonenumbers``
calls possible (NANP numbers by their own rule); national ones need a NANP shape
(``(415) 555-0134``, ``415-555-0134``) or a label before them (``Tel: 06 60 36 31 33``).
Arithmetic (``a + 1234567``), exponents and signed decimals are left alone.
"""

from __future__ import annotations

import re

from recognizers.pii.scan import Span

try:  # phonenumbers ships with presidio; the recognizer degrades gracefully without it
    import phonenumbers as _phonenumbers
except ImportError:  # pragma: no cover
    _phonenumbers = None

_PHONE_INTL_RE = re.compile(r"\+\d{1,3}(?:[ .\-]?\(?\d{1,5}\)?){1,6}(?![\w])")
_PLUS_DIGIT_RE = re.compile(r"\+\d")
_SIGNED_DECIMAL_RE = re.compile(r"\+\d+\.\d+")  # Decimal('+35236450.6')
_PHONE_NANP_PAREN_RE = re.compile(r"\(([2-9]\d\d)\)[ ]?([2-9]\d\d)[\-. ](\d{4})(?![\w]|[.\-]\d)")
_PAREN3_RE = re.compile(r"\(\d{3}\)")
_PHONE_NANP_RE = re.compile(
    r"(?<![\w.+\-/:])(?:1([.\-]))?([2-9]\d\d)([.\-])([2-9]\d\d)\3(\d{4})(?![\w]|[.\-:]\d)"
)

# a number right after a phone label: "phone": "020 7946 0958", Tel: 06 60 36 31 33, fax=...
_PHONE_LABEL_RE = re.compile(
    r"(?<![\w])(?:phone|tel|telephone|mobile|cell|fax|sms|whatsapp)(?:[_ \-]?(?:number|no|num|nr))?"
    r"[\"']?[ \t]*[:=]?[ \t]*[\"']?(\(\d{1,4}\)[ \t]?)?$",
    re.I,
)


def paren_phones(text: str, spans: list[Span]) -> None:
    """NANP numbers with the area code in parentheses: ``(415) 555-0134``."""
    for m in _PAREN3_RE.finditer(text):
        p = _PHONE_NANP_PAREN_RE.match(text, m.start())
        if p and (m.start() == 0 or not (text[m.start() - 1].isalnum())):
            spans.append((p.start(), p.end(), "PHONE"))


def phones_in_run(
    text: str, s: int, e: int, window: int, ndigits: int, spans: list[Span]
) -> None:
    """NANP and labelled numbers in the run of digits and separators ``text[s:e]``."""
    seg = text[s:e]
    if ndigits >= 10 and ("-" in seg or "." in seg):
        for ph in _PHONE_NANP_RE.finditer(text, s, window):
            spans.append((ph.start(), ph.end(), "PHONE"))
    if 7 <= ndigits <= 15 and (s == 0 or text[s - 1] != "+"):
        label = _PHONE_LABEL_RE.search(text, max(0, s - 30), s)
        if label and (e == len(text) or not text[e].isalnum()):
            spans.append((label.start(1) if label.group(1) else s, e, "PHONE"))


def intl_phones(text: str, spans: list[Span]) -> None:
    """Numbers in international form: ``+`` and a country code."""
    for t in _PLUS_DIGIT_RE.finditer(text):
        s = t.start()
        if s and (text[s - 1].isalnum() or text[s - 1] in "_)]+"):
            continue  # a + 1234567 arithmetic, 1e+10
        m = _PHONE_INTL_RE.match(text, s)
        if m and not _SIGNED_DECIMAL_RE.fullmatch(m.group(0)):
            length = _intl_phone(m.group(0))
            if length:
                spans.append((s, s + length, "PHONE"))


def _intl_phone(candidate: str) -> int:
    """Length of the longest prefix of ``candidate`` that is a plausible phone number."""
    cuts = [i for i in range(1, len(candidate)) if candidate[i] in " .-"] + [len(candidate)]
    for cut in reversed(cuts):
        value = candidate[:cut].rstrip(" .-(")
        if value.count("(") != value.count(")"):
            continue
        digits = "".join(ch for ch in value if ch.isdigit())
        if not 8 <= len(digits) <= 15:
            continue
        if re.search(r"[ .\-]{2}", value):
            continue
        if digits[0] == "1":  # NANP: area code and exchange start with 2-9
            national = digits[1:]
            if len(national) != 10 or national[0] in "01" or national[3] in "01":
                continue
            return len(value)
        if _phonenumbers is None:
            return len(value)
        try:
            number = _phonenumbers.parse(value, None)
        except _phonenumbers.NumberParseException:
            continue
        if _phonenumbers.is_possible_number(number):
            return len(value)
    return 0
