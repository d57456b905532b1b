"""Policy lists matched in one pass, whatever their length.

A policy lists terms, allow phrases and deny-list values by the thousand. A regex alternation of
them costs time per request in proportion to the list; an Aho-Corasick automaton
(pyahocorasick) built once finds every listed string in one scan of the text instead.

Matching "in any case" is done on a case-folded copy of the text of the same length, so offsets
stay valid. :func:`fold` maps every character to one representative of the characters that
``re.IGNORECASE`` takes for it (``İ``, ``ı`` and ``I`` all fold to ``i``; ``ſ`` to ``s``; ``ς``
to ``σ``); folding may join a few more, so every candidate is then checked with the exact rule
it stands for (a regex compiled on demand), and results are those of the regex exactly.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Protocol

import ahocorasick

# Characters ``re.IGNORECASE`` takes for one another that no str method relates (their upper
# case is several characters): Greek letters with dialytika and tonos, the ``st`` ligatures.
_SAME = {"\u1fd3": "\u0390", "\u1fe3": "\u03b0", "\ufb05": "\ufb06"}


_CASED_END = 0x20000


class _FoldTable(dict[int, str]):
    """``str.translate`` table: code point -> its folded character, computed on first sight."""

    def __missing__(self, cp: int) -> str:
        c = chr(cp)
        upper = c.upper()
        # one character per character, so offsets hold (str.lower turns İ into two)
        out = (upper.lower() if len(upper) == 1 else c.lower())[0]
        out = _SAME.get(out, out)
        if cp < _CASED_END:  # bounded: every cased character lies below
            self[cp] = out
        return out


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """A case-folded copy of ``text`` of the same length (see the module docstring)."""
    return text.lower() if text.isascii() else text.translate(_FOLD)


class Literal(Protocol):
    """A compiled rule for one phrase (an ``re`` or ``regex`` pattern)."""

    def fullmatch(self, string: str, pos: int, endpos: int) -> object: ...

    def search(self, string: str) -> object: ...


@lru_cache(maxsize=8192)
def literal(phrase: str) -> Literal:
    """The ``re`` rule a phrase stands for in any case (``regex`` users pass their own)."""
    return re.compile(re.escape(phrase), re.IGNORECASE)


def leftmost_longest(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The non-overlapping spans a left-to-right scan keeps: at each start, the longest."""
    out: list[tuple[int, int]] = []
    pos = 0
    for s, e in sorted(spans, key=lambda p: (p[0], -p[1])):
        if s >= pos:
            out.append((s, e))
            pos = e
    return out


class Phrases:
    """Literal strings, found in any case (``ignore_case``) or exactly as written."""

    def __init__(
        self,
        phrases: Iterable[str],
        ignore_case: bool = True,
        rule: Callable[[str], Literal] = literal,
    ) -> None:
        self.ignore_case = ignore_case
        self._rule = rule
        self.phrases: tuple[str, ...] = tuple(sorted({p for p in phrases if p}))
        self._ac: ahocorasick.Automaton | None = None
        self._longest = max(map(len, self.phrases), default=0)
        # phrases that fold alike, after the first (the automaton holds the first's index)
        self._alike: dict[int, list[int]] = {}
        if not self.phrases:
            return
        ac = ahocorasick.Automaton(ahocorasick.STORE_INTS)  # no object per phrase
        for i, p in enumerate(self.phrases):
            key = fold(p) if ignore_case else p
            first = ac.get(key, -1)
            if first < 0:
                ac.add_word(key, i)
            else:
                self._alike.setdefault(first, []).append(i)
        ac.make_automaton()
        self._ac = ac

    def __bool__(self) -> bool:
        return self._ac is not None

    def occurrences(self, text: str) -> list[tuple[int, int]]:
        """Every (start, end) where a phrase occurs, overlapping ones included."""
        if self._ac is None or not text:
            return []
        phrases = self.phrases
        if not self.ignore_case:
            return [(end + 1 - len(phrases[i]), end + 1) for end, i in self._ac.iter(text)]
        out = []
        for end, i in self._ac.iter(fold(text)):
            s, e = end + 1 - len(phrases[i]), end + 1  # folding keeps lengths
            # a folded hit is a candidate: the phrase's own case-insensitive rule decides
            if any(self._rule(phrases[j]).fullmatch(text, s, e)
                   for j in (i, *self._alike.get(i, ()))):
                out.append((s, e))
        return out

    def search(self, text: str) -> bool:
        return bool(self.occurrences(text))

    def find(
        self, text: str, accept: Callable[[str, int, int], bool] | None = None
    ) -> list[tuple[int, int]]:
        """Leftmost-longest non-overlapping occurrences that ``accept`` (if given) keeps."""
        spans = self.occurrences(text)
        if accept is not None:
            spans = [(s, e) for s, e in spans if accept(text, s, e)]
        return leftmost_longest(spans)

    def covers(self, text: str, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` lies inside an occurrence of a phrase. Only the window
        a phrase could span is scanned: a check costs the same however long the list."""
        lo = max(0, end - self._longest)
        hi = min(len(text), start + self._longest)
        return any(s <= start - lo and e >= end - lo for s, e in self.occurrences(text[lo:hi]))
