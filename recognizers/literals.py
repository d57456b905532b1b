"""Many literal strings found in a text in one pass.

Detection asks, per text, where hundreds of short literals occur (the needles that gate each
rule). pyahocorasick walks a unicode text at about 16 us per KB in this setting; Intel's
Hyperscan (the ``hyperscan`` package, SIMD) finds the same literals in an ASCII text at a few
us per KB. Hyperscan serves ASCII texts where it is installed (it needs x86-64 with SSSE3);
pyahocorasick serves every other text and every other machine. Both give the same matches in
the same order: ``iter`` is pyahocorasick's ``Automaton.iter``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

import ahocorasick

try:  # optional: a wheel for x86-64 Linux and macOS
    import hyperscan
except ImportError:  # pragma: no cover - the fallback is tested by forcing it
    hyperscan = None


# Above this, pyahocorasick's walk: Hyperscan's matches are sorted at once, and a sort of a huge
# text's millions of them would hold the GIL for a second (pyahocorasick yields them in order,
# and the Python loop over them lets other threads run)
_BIG = 1 << 20


class Literals:
    """A fixed set of literals with a payload each (several literals may share one)."""

    def __init__(self, pairs: Iterable[tuple[str, Any]], use_hyperscan: bool = True) -> None:
        unique: dict[str, Any] = {}
        for w, p in pairs:
            if w:
                unique[w] = p  # a literal given twice keeps its last payload, as add_word does
        self._words = list(unique)
        self._payloads = list(unique.values())
        self._ac = ahocorasick.Automaton()
        for k, w in enumerate(self._words):
            self._ac.add_word(w, k)
        if self._words:
            self._ac.make_automaton()
        self._db = None
        self._local = threading.local()
        ascii_words = [k for k, w in enumerate(self._words) if w.isascii()]
        if hyperscan is not None and use_hyperscan and ascii_words:
            db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
            db.compile(
                expressions=[b"".join(b"\\x%02x" % c for c in self._words[k].encode())
                             for k in ascii_words],
                ids=ascii_words, elements=len(ascii_words),
            )
            self._db = db

    def __len__(self) -> int:
        return len(self._words)

    def iter(self, text: str) -> list[tuple[int, Any]]:
        """(index of the last character, payload) of every occurrence, overlapping ones too,
        by end, the longer first at one end (as ``ahocorasick.Automaton.iter``)."""
        if not self._words:
            return []
        payloads = self._payloads
        if self._db is None or not text.isascii() or len(text) > _BIG:
            return [(end, payloads[k]) for end, k in self._ac.iter(text)]
        found: list[tuple[int, int, int]] = []
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = hyperscan.Scratch(self._db)
        words = self._words

        def hit(k: int, _start: int, end: int, _flags: int, _ctx: object) -> None:
            found.append((end - 1, -len(words[k]), k))

        self._db.scan(text.encode("ascii"), match_event_handler=hit, scratch=scratch)
        found.sort()
        return [(end, payloads[k]) for end, _neg, k in found]
