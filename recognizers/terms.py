"""Company terms and internal domains listed by the policy.

A term is found in any letter case and anywhere, also inside identifiers of every naming
convention (``VeltrixBilling``, ``veltrix_ledger``, ``VELTRIX_URL``, ``orvanta-sync``), in host
names, URLs, paths and prose: the leak we prevent is any case-insensitive occurrence. A term of
several words (``Blue Harbor``) also matches its joined spellings (``BlueHarbor``,
``blue_harbor``, ``BLUE-HARBOR``).

An internal domain is found as written, in any case; the surrogate for it keeps its shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from recognizers.base import TERM, Finding, Recognizer
from recognizers.context import DetectionContext, as_context

_WORD_SPLIT = re.compile(r"[\s_\-.]+|(?<=[a-z0-9])(?=[A-Z])")


def term_words(term: str) -> list[str]:
    return [w for w in _WORD_SPLIT.split(term.strip()) if w]


def term_pattern(term: str, groups: bool = False) -> str:
    """A regex source for ``term`` with any separator (or none) between its words."""
    words = [re.escape(w) for w in term_words(term)]
    if groups:
        words = [f"({w})" for w in words]
        return r"([\s_\-.]?)".join(words)
    return r"[\s_\-.]?".join(words)


def split_occurrence(term: str, occurrence: str) -> list[str]:
    """An occurrence cut into [word, separator, word, ...] along the term's words."""
    m = re.fullmatch(term_pattern(term, groups=True), occurrence, re.IGNORECASE)
    return list(m.groups()) if m else [occurrence]


class TermRecognizer(Recognizer):
    """Finds the policy's ``terms`` (type TERM) and ``internal_domains`` (INTERNAL_DOMAIN)."""

    name = "policy_terms"
    category = TERM

    def __init__(self, terms: Iterable[str] = (), internal_domains: Iterable[str] = ()) -> None:
        self.terms = sorted({t for t in terms if t.strip()}, key=len, reverse=True)
        self.domains = sorted(
            {d.strip(".") for d in internal_domains if d.strip(".")}, key=len, reverse=True
        )
        parts: list[str] = []
        # Domains first: at the same position the longer, more specific match wins.
        parts += [f"(?P<d{i}>{re.escape(d)})" for i, d in enumerate(self.domains)]
        parts += [f"(?P<t{i}>{term_pattern(t)})" for i, t in enumerate(self.terms)]
        self._re = re.compile("|".join(parts), re.IGNORECASE) if parts else None
        # Terms are also reported inside a domain match, so their dummies stay consistent.
        self._terms_re = (
            re.compile("|".join(term_pattern(t) for t in self.terms), re.IGNORECASE)
            if self.terms
            else None
        )

    def analyze(self, ctx: DetectionContext | str) -> list[Finding]:
        if self._re is None:
            return []
        text = as_context(ctx).text
        out: list[Finding] = []
        for m in self._re.finditer(text):
            group = m.lastgroup or ""
            if group.startswith("d"):
                out.append(Finding(m.start(), m.end(), "INTERNAL_DOMAIN", TERM, self.name))
                if self._terms_re is not None:
                    for t in self._terms_re.finditer(text, m.start(), m.end()):
                        out.append(Finding(t.start(), t.end(), "TERM", TERM, self.name))
            else:
                out.append(Finding(m.start(), m.end(), "TERM", TERM, self.name))
        return out

    def canonical_term(self, occurrence: str) -> str | None:
        """The policy spelling of a term occurrence (any case, any separator)."""
        for t in self.terms:
            if re.fullmatch(term_pattern(t), occurrence, re.IGNORECASE):
                return t
        return None
