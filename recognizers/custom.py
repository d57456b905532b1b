"""Recognizers a policy defines itself: a regex and/or a deny list (``recognizers:`` key).

A regex match may be validated (``luhn``, ``iban``, ``entropy>=X``), may replace one capture
group only, and may need a context word (``context``) within ``context_window`` characters;
``score_without_context`` keeps matches without one at a lower score, for ``thresholds`` to judge.
A deny list reports each listed value as a whole word, in any letter case unless
``ignore_case: false``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Any

from recognizers.base import Finding, Recognizer
from recognizers.context import DetectionContext, as_context
from recognizers.phrases import Phrases
from recognizers.pii import iban_is_valid, luhn_is_valid

_WORD = re.compile(r"\w")
_FLAGS = {"ignorecase": re.IGNORECASE, "multiline": re.MULTILINE, "dotall": re.DOTALL}


def entropy(value: str) -> float:
    """Shannon entropy in bits per character."""
    if not value:
        return 0.0
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in Counter(value).values())


def _validator(spec: str | None) -> Any:
    if not spec:
        return None
    if spec == "luhn":
        return lambda v: len(d := re.sub(r"[\s-]", "", v)) >= 2 and d.isdigit() and luhn_is_valid(d)
    if spec == "iban":
        return lambda v: iban_is_valid(re.sub(r"\s", "", v))
    m = re.fullmatch(r"entropy>=(\d+(?:\.\d+)?)", spec)
    if m:
        minimum = float(m.group(1))
        return lambda v: entropy(v) >= minimum
    raise ValueError(f"unknown validation {spec!r}")


def _whole_word(text: str, start: int, end: int) -> bool:
    """Neither preceded nor followed by a word character (``\\w``), as a deny-list value must."""
    return not (start > 0 and _WORD.match(text, start - 1)) and not _WORD.match(text, end)


class CustomRecognizer(Recognizer):
    """One entry of the policy's ``recognizers`` list."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.name = spec["name"]
        self.type = spec["type"]
        self.category = spec["category"]
        self.score = float(spec.get("score", 1.0))
        flags = 0
        for f in spec.get("flags") or ():
            flags |= _FLAGS[f]
        self.pattern = re.compile(spec["pattern"], flags) if spec.get("pattern") else None
        self.group = spec.get("group", 0)
        self.validate = _validator(spec.get("validate"))
        words = [w.lower() for w in spec.get("context") or ()]
        self.context = (
            re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
            if words else None
        )
        self.window = int(spec.get("context_window", 100))
        self.score_without_context = spec.get("score_without_context")
        # one automaton however long the list (deny_list_file may hold thousands of values)
        self.deny = Phrases(
            (w for w in spec.get("deny_list") or () if w.strip()),
            ignore_case=spec.get("ignore_case", True),
        )

    def analyze(self, ctx: DetectionContext | str) -> list[Finding]:
        text = as_context(ctx).text
        out: list[Finding] = []
        if self.deny:
            out += [Finding(s, e, self.type, self.category, self.name, self.score)
                    for s, e in self.deny.find(text, accept=_whole_word)]
        if self.pattern is None:
            return out
        low = text.lower() if self.context is not None else ""
        for m in self.pattern.finditer(text):
            start, end = m.span(self.group)
            if start < 0 or start == end:
                continue
            value = text[start:end]
            if self.validate is not None and not self.validate(value):
                continue
            score = self.score
            if self.context is not None and not self.context.search(
                low, max(0, m.start() - self.window), m.end() + self.window
            ):
                if self.score_without_context is None:
                    continue
                score = float(self.score_without_context)
            out.append(Finding(start, end, self.type, self.category, self.name, score))
        return out
