"""Company terms and internal domains listed by the policy.

A term is found in any letter case and anywhere, also inside identifiers of every naming
convention (``VeltrixBilling``, ``veltrix_ledger``, ``VELTRIX_URL``, ``orvanta-sync``), in host
names, URLs, paths and prose: the leak we prevent is any case-insensitive occurrence. A term of
several words (``Blue Harbor``) also matches its joined spellings (``BlueHarbor``,
``blue_harbor``, ``BLUE-HARBOR``).

An internal domain is found as written, in any case; the surrogate for it keeps its shape.

Policies list terms by the thousand, so the list is compiled once into Aho-Corasick automata and
a text costs the same however long the list is. Terms are matched on a folded copy of the text
with every separator (``[\\s_\\-.]``) squeezed out, where each term is its words joined; a hit
is mapped back to the text and kept when the term's own rule (:func:`term_pattern`: one
separator or none between words) matches there. The automaton holds only the first
``_PREFIX`` characters of each term, which keeps 100,000 terms in a few MB; the terms sharing a
prefix are then tried one by one, or looked up whole when many share it. Domains are matched on
the folded text.
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from itertools import accumulate

import ahocorasick

from recognizers.base import TERM, Finding, Recognizer
from recognizers.context import DetectionContext, as_context
from recognizers.phrases import Literal, Phrases, fold, leftmost_longest, literal

_WORD_SPLIT = re.compile(r"[\s_\-.]+|(?<=[a-z0-9])(?=[A-Z])")
_SEP = re.compile(r"[\s_\-.]")


def term_words(term: str) -> list[str]:
    return [w for w in _WORD_SPLIT.split(term.strip()) if w]


def term_pattern(term: str, groups: bool = False) -> str:
    """A regex source for ``term`` with any separator (or none) between its words."""
    words = [re.escape(w) for w in term_words(term)]
    if groups:
        words = [f"({w})" for w in words]
        return r"([\s_\-.]?)".join(words)
    return r"[\s_\-.]?".join(words)


@lru_cache(maxsize=8192)
def _term_regex(term: str) -> re.Pattern[str]:
    return re.compile(term_pattern(term), re.IGNORECASE)


def split_occurrence(term: str, occurrence: str) -> list[str]:
    """An occurrence cut into [word, separator, word, ...] along the term's words."""
    m = re.fullmatch(term_pattern(term, groups=True), occurrence, re.IGNORECASE)
    return list(m.groups()) if m else [occurrence]


class _Marks(dict[int, str]):
    """``str.translate`` table: a character folded, or a space for a separator (ASCII text
    takes CPython's fast path: one pass, no regex)."""

    def __missing__(self, cp: int) -> str:
        c = chr(cp)
        out = " " if _SEP.match(c) else fold(c)
        if cp < 0x20000:  # bounded, as fold's own table
            self[cp] = out
        return out


_MARKS = _Marks()


def _squeeze(text: str) -> str:
    """``text`` folded, its separators gone."""
    return text.translate(_MARKS).replace(" ", "")


def _key(term: str) -> str:
    """What the automaton looks for: the term's words joined, folded."""
    return _squeeze(term)


_PREFIX = 6  # characters of each key in the automaton
_FEW = 8  # terms of one prefix tried one by one; more are looked up by their whole key


class TermRecognizer(Recognizer):
    """Finds the policy's ``terms`` (type TERM) and ``internal_domains`` (INTERNAL_DOMAIN)."""

    name = "policy_terms"
    category = TERM

    def __init__(self, terms: Iterable[str] = (), internal_domains: Iterable[str] = ()) -> None:
        # Longest first, as the policy spells them: the first that fits an occurrence is its
        # canonical spelling (the alphabet breaks ties, so every process picks the same one).
        self.terms = sorted(sorted({t for t in terms if t.strip()}), key=len, reverse=True)
        self.domains = Phrases(d.strip(".") for d in internal_domains if d.strip("."))
        # Terms grouped by the first _PREFIX characters of their key; group g holds the terms
        # self._ids[self._at[g]:self._at[g + 1]], in the order above (the sort is stable). A
        # large group also maps whole keys to its terms.
        prefixes = [_key(t)[:_PREFIX] for t in self.terms]
        self.separators_only = [t for t, p in zip(self.terms, prefixes, strict=True) if not p]
        self._ids = array("i", sorted((i for i, p in enumerate(prefixes) if p),
                                      key=prefixes.__getitem__))
        self._at = array("i", [0])
        self._prefix_len = array("b")
        self._whole: dict[int, tuple[list[int], dict[str, list[int]]]] = {}
        self._ac: ahocorasick.Automaton | None = None
        if not self._ids:
            return
        ac = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        for n, i in enumerate(self._ids):
            prefix = prefixes[i]
            if n + 1 < len(self._ids) and prefixes[self._ids[n + 1]] == prefix:
                continue  # not the group's last term yet
            g = len(self._prefix_len)
            ac.add_word(prefix, g)
            self._at.append(n + 1)
            self._prefix_len.append(len(prefix))
            if n + 1 - self._at[g] > _FEW:
                by_key: dict[str, list[int]] = {}
                for j in self._ids[self._at[g]:n + 1]:
                    by_key.setdefault(_key(self.terms[j]), []).append(j)
                self._whole[g] = (sorted({len(k) for k in by_key}), by_key)
        ac.make_automaton()
        self._ac = ac

    def analyze(self, ctx: DetectionContext | str) -> list[Finding]:
        text = as_context(ctx).text
        terms = sorted(self._term_spans(text))
        # Domains first: at the same position the domain wins, however long a term there is;
        # terms are also reported inside a domain match, so their dummies stay consistent.
        domains = [(s, e, 0) for s, e in self.domains.occurrences(text)]
        out: list[Finding] = []
        pos = 0
        for s, e, kind in sorted(domains + [(s, e, 1) for s, e in terms],
                                 key=lambda h: (h[0], h[2], h[0] - h[1])):
            if s < pos:
                continue
            if kind == 0:
                out.append(Finding(s, e, "INTERNAL_DOMAIN", TERM, self.name))
                inside = [t for t in terms[bisect.bisect_left(terms, (s, s)):
                                           bisect.bisect_left(terms, (e, e))] if t[1] <= e]
                out += [Finding(ts, te, "TERM", TERM, self.name)
                        for ts, te in leftmost_longest(inside)]
            else:
                out.append(Finding(s, e, "TERM", TERM, self.name))
            pos = e
        return out

    def find_terms(self, text: str) -> list[tuple[int, int]]:
        """The terms alone (no domains), leftmost-longest: what the veil swaps inside a dummy."""
        return leftmost_longest(self._term_spans(text))

    def _candidates(self, g: int, squeezed: str, start: int) -> Sequence[int]:
        """The terms of group ``g`` that may start at ``squeezed[start]``, in policy order."""
        whole = self._whole.get(g)
        if whole is None:
            return self._ids[self._at[g]:self._at[g + 1]]
        lengths, by_key = whole
        found: list[int] = []
        for n in lengths:
            found += by_key.get(squeezed[start:start + n], ())
        return sorted(found)

    def _term_spans(self, text: str) -> list[tuple[int, int]]:
        """Every (start, end) where some term occurs, overlapping ones included."""
        if self._ac is None or not text:
            return []
        marked = text.translate(_MARKS)
        squeezed = marked.replace(" ", "")
        hits = list(self._ac.iter(squeezed))
        if not hits:
            return []
        # the squeezed character i lies in the k-th separator-free run of the text, so it sits
        # at i + k there (a run per separator; consecutive separators leave empty runs)
        runs = list(accumulate(map(len, marked.split(" ")), initial=0)) \
            if len(squeezed) < len(marked) else [0]
        out: list[tuple[int, int]] = []
        for end, g in hits:
            first = end + 1 - self._prefix_len[g]
            s = first + bisect.bisect_right(runs, first) - 1
            # a term's rule matches at most one span from a given start
            seen: set[int] = set()
            for i in self._candidates(g, squeezed, first):
                m = _term_regex(self.terms[i]).match(text, s)
                if m and m.end() not in seen:
                    seen.add(m.end())
                    out.append((s, m.end()))
        return out

    def literal_in(self, value: str, rule: Callable[[str], Literal] = literal) -> bool:
        """Whether a term occurs in ``value`` as the policy spells it (``rule``: in any case)."""
        if self._ac is None or not value:
            return False
        squeezed = _squeeze(value)
        for end, g in self._ac.iter(squeezed):
            for i in self._candidates(g, squeezed, end + 1 - self._prefix_len[g]):
                if rule(self.terms[i].strip()).search(value):
                    return True
        return False

    def canonical_term(self, occurrence: str) -> str | None:
        """The policy spelling of a term occurrence (any case, any separator)."""
        if self._ac is None:
            return None
        key = _squeeze(occurrence)
        g = self._ac.get(key[:_PREFIX], -1)
        if g < 0:
            return None
        for i in self._candidates(g, key, 0):
            if _term_regex(self.terms[i]).fullmatch(occurrence):
                return self.terms[i]
        return None
