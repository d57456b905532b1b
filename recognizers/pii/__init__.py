"""Pattern based recognizer for personal and infrastructure data in source code and prose.

Types: ``EMAIL``, ``PHONE``, ``IP_ADDRESS``, ``IPV6_ADDRESS``, ``CREDIT_CARD``, ``IBAN`` and
``USERNAME``. Every finding spans exactly the value to replace (the user segment of
``/home/<user>/``, not the whole path). No NER: each type is a regex plus a validator (octet
ranges, Luhn, ISO 13616 mod-97, ``ipaddress``, ``phonenumbers`` possible-number check) or, for
user names, a strong context (home directories, ``TODO(<user>)``, shell prompts, ssh targets,
``owner:`` keys, IAM user ARNs ...). All regexes are compiled once at import time and each pass is
gated by a cheap substring test, so a 2 KB text is scanned in well under a millisecond.

One module per family: :mod:`.email` (every ``@``), :mod:`.usernames`, :mod:`.phone`,
:mod:`.network` (IPv4, IPv6) and :mod:`.financial` (cards, IBAN). Runs of digits are found once
here and handed to each family that reads digits.
"""

from __future__ import annotations

import bisect
import re

from recognizers.base import PII, Finding, Recognizer
from recognizers.context import DetectionContext, as_context
from recognizers.pii.email import at_signs, obfuscated_emails
from recognizers.pii.financial import (
    IBAN_LENGTHS,
    cards_in_run,
    iban_at,
    iban_is_valid,
    luhn_is_valid,
)
from recognizers.pii.handles import handles
from recognizers.pii.hosts import short_hosts
from recognizers.pii.national_ids import national_ids
from recognizers.pii.network import ipv4_in_run, ipv6
from recognizers.pii.phone import intl_phones, paren_phones, phones_in_run
from recognizers.pii.phone_regions import national_phones
from recognizers.pii.prose_hosts import address_names, cjk_hosts, prose_hosts
from recognizers.pii.scan import Span
from recognizers.pii.usernames import usernames
from recognizers.pii.words import SYSTEM_ACCOUNTS

__all__ = [
    "IBAN_LENGTHS",
    "SYSTEM_ACCOUNTS",
    "PiiRecognizer",
    "iban_is_valid",
    "luhn_is_valid",
]

# runs of digits, separators and capitals: IPv4, NANP phones, cards and IBANs, in one pass
_RUN_RE = re.compile(r"[\dA-Z][\d .\-A-Z]{5,}\d")
_DIGIT_RUN_RE = re.compile(r"\d[\d .\-]{5,}\d")
_IBAN_START_RE = re.compile(r"[A-Z]{2}\d\d")
_HAS_UPPER_RE = re.compile(r"[A-Z]")


class PiiRecognizer(Recognizer):
    """Finds EMAIL, PHONE, IP_ADDRESS, IPV6_ADDRESS, CREDIT_CARD, IBAN and USERNAME values."""

    name = "pii"
    category = PII

    def analyze(self, ctx: DetectionContext | str) -> list[Finding]:
        ctx = as_context(ctx)
        text = ctx.text
        spans: list[Span] = []
        if "@" in text:
            at_signs(text, spans)
        usernames(text, spans, ctx.lower)
        handles(text, spans)
        _numbers(text, spans)
        address_names(text, spans)
        if "+" in text:
            intl_phones(text, spans)
        if "(" in text:
            paren_phones(text, spans)
        if ":" in text:
            ipv6(text, spans)
        short_hosts(text, spans)
        prose_hosts(ctx, spans)
        cjk_hosts(ctx, spans)
        obfuscated_emails(text, ctx.lower, spans)
        national_ids(text, ctx.lower, spans)
        national_phones(text, ctx.lower, spans)
        return self._resolve(spans)

    def _resolve(self, spans: list[Span]) -> list[Finding]:
        if not spans:
            return []
        # longest first, then earliest; drop spans overlapping an already kept one. The kept
        # spans are disjoint, so checking the neighbours in start order is enough. On one span
        # a checked format (a national ID's check digit, a card's Luhn) wins over a phone, and
        # the type name settles the rest, so the result never depends on set order.
        ordered = sorted(set(spans), key=lambda s: (s[0] - s[1], s[0], s[2] == "PHONE", s[2]))
        starts: list[int] = []
        kept: list[Span] = []
        for span in ordered:
            s, e, _ = span
            if e <= s:
                continue
            i = bisect.bisect_left(starts, s)
            if (i and kept[i - 1][1] > s) or (i < len(kept) and kept[i][0] < e):
                continue
            starts.insert(i, s)
            kept.insert(i, span)
        return [Finding(s, e, t, PII, self.name) for s, e, t in kept]


def _numbers(text: str, spans: list[Span]) -> None:
    for m in _RUN_RE.finditer(text):
        s, e = m.span()
        if _HAS_UPPER_RE.search(m.group()):
            for ib in _IBAN_START_RE.finditer(text, s, e):
                iban_at(text, ib.start(), spans)
            for run in _DIGIT_RUN_RE.finditer(text, s, e):
                _digit_run(text, run.start(), run.end(), spans)
        else:
            _digit_run(text, s, e, spans)


def _digit_run(text: str, s: int, e: int, spans: list[Span]) -> None:
    seg = text[s:e]
    window = min(len(text), e + 2)
    if "." in seg:
        ipv4_in_run(text, s, window, spans)
    ndigits = len(seg) - seg.count(" ") - seg.count(".") - seg.count("-")
    phones_in_run(text, s, e, window, ndigits, spans)
    if ndigits >= 13:
        cards_in_run(text, s, window, spans)
