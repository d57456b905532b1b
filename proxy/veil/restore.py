"""Replacing many literal strings in one pass, whole texts and streams alike.

Both directions of the veil are the same operation over different tables: the forward table maps
originals to dummies, the restore table maps dummies back. One Aho-Corasick automaton
(pyahocorasick) finds every key in a single scan, leftmost-longest and non-overlapping.

``StreamReplacer`` gives the same result over a text that arrives in chunks: it releases
everything at once except a tail that could still grow into a key, however the text is cut.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping
from operator import itemgetter

import ahocorasick

# Matches sorted at once (see Replacer.matches): a few milliseconds of GIL at most.
_BATCH = 4096
# Pairs added to a Replacer stay in a side automaton until there are more than this many, or
# more than a fourth of the table: then the whole automaton is built again.
_EXTRA_MIN = 64
_EXTRA_SHARE = 4
# A predicate on (text, start, end) that may veto a match, e.g. a whole-word rule.
Accept = Callable[[str, int, int], bool]


class Replacer:
    """Replaces every key of ``table`` by its value, leftmost-longest, in one scan.

    A conversation's tables only grow, a few pairs a turn: ``extended`` adds pairs in a small
    automaton beside the big one (both scanned, their matches merged) instead of building the
    big one again, and folds them in once they outgrow a share of it."""

    def __init__(self, table: Mapping[str, str], accept: Accept | None = None) -> None:
        self.table = dict(table)
        self.accept = accept
        self.max_key = max((len(k) for k in self.table), default=0)
        self._ac = _automaton(self.table)
        self._extra: dict[str, str] = {}  # the pairs of ``_extra_ac``, not in ``_ac``
        self._extra_ac: ahocorasick.Automaton | None = None

    def extended(self, pairs: Mapping[str, str], accept: Accept | None = None) -> Replacer:
        """A Replacer of this table plus ``pairs`` (this one is left as it is)."""
        new = {k: v for k, v in pairs.items() if k and self.table.get(k) != v}
        extra = {**self._extra, **new}
        if (
            self._ac is None
            or any(k in self.table for k in new)  # a key changes its value: build anew
            or len(extra) > max(_EXTRA_MIN, len(self.table) // _EXTRA_SHARE)
        ):
            return Replacer({**self.table, **new}, accept)
        out = Replacer.__new__(Replacer)
        out.table = {**self.table, **new}
        out.accept = accept
        out.max_key = max(self.max_key, max((len(k) for k in new), default=0))
        out._ac = self._ac
        out._extra = extra
        out._extra_ac = (self._extra_ac if not new else _automaton(extra))
        return out

    def __bool__(self) -> bool:
        return self._ac is not None

    def matches(self, text: str, start: int = 0) -> list[tuple[int, int, str]]:
        """Leftmost-longest non-overlapping ``(start, end, value)`` matches from ``start``.

        pyahocorasick's own ``iter_long`` misses a short key inside a failed longer candidate
        ('b' in 'ab' with keys 'b', 'aba'), so selection is done here from all matches. They are
        sorted a batch at a time, never all at once: a single sort of a big answer's matches
        would hold the GIL for long. The automaton reports them by end position, so once one
        ends at ``e``, every match starting before ``e - max_key + 1`` has been seen.
        """
        if self._ac is None:
            return []
        out: list[tuple[int, int, str]] = []
        pending: list[tuple[int, int, str]] = []
        pos, batch = start, _BATCH
        found: Iterable[tuple[int, tuple[int, str]]] = self._ac.iter(text, start)
        if self._extra_ac is not None:  # both by end position, as one automaton would
            found = heapq.merge(found, self._extra_ac.iter(text, start), key=itemgetter(0))
        for end, (length, value) in found:
            pending.append((end - length + 1, -length, value))
            if len(pending) >= batch:
                pending.sort()
                done = bisect_left(pending, (end - self.max_key + 1,))
                pos = self._select(text, pending[:done], pos, out)
                del pending[:done]
                batch = max(_BATCH, 2 * len(pending))  # many keys overlapping: sort less often
        pending.sort()
        self._select(text, pending, pos, out)
        return out

    def _select(self, text: str, found: list[tuple[int, int, str]], pos: int,
                out: list[tuple[int, int, str]]) -> int:
        """Append the matches of ``found`` (sorted) that start at or after ``pos`` and that
        ``accept`` takes, each after the last; the end of the last one taken."""
        for s, neg_len, value in found:
            e = s - neg_len
            if s < pos:
                continue
            if self.accept is not None and not self.accept(text, s, e):
                continue
            out.append((s, e, value))
            pos = e
        return pos

    def replace(self, text: str) -> str:
        if self._ac is None or not text:
            return text
        found = self.matches(text)
        if not found:
            return text
        out: list[str] = []
        pos = 0
        for start, end, value in found:
            out.append(text[pos:start])
            out.append(value)
            pos = end
        out.append(text[pos:])
        return "".join(out)

    def is_partial(self, fragment: str) -> bool:
        """True when ``fragment`` is a prefix of some key (so more text could complete it)."""
        return self._ac is not None and (
            self._ac.match(fragment)
            or (self._extra_ac is not None and self._extra_ac.match(fragment))
        )

    def stream(self) -> StreamReplacer:
        return StreamReplacer(self)


def _automaton(table: Mapping[str, str]) -> ahocorasick.Automaton | None:
    ac = ahocorasick.Automaton()
    for key, value in table.items():
        if key:
            ac.add_word(key, (len(key), value))
    if not len(ac):
        return None
    ac.make_automaton()
    return ac


class StreamReplacer:
    """Incremental ``Replacer.replace``: ``feed`` chunks, then ``flush``.

    The concatenation of everything returned equals ``replacer.replace`` of the whole text, for
    every way of cutting it. Only a suffix that is still a prefix of some key is held back.
    """

    def __init__(self, replacer: Replacer) -> None:
        if replacer.accept is not None:
            raise ValueError("a streamed replacement cannot use a context predicate")
        self._r = replacer
        self._buf = ""
        # Positions of _buf before this one are known not to start a partial key: a suffix that
        # is no key prefix now never becomes one as text is appended.
        self._scan_from = 0

    def feed(self, chunk: str) -> str:
        if not self._r or not chunk:
            return chunk if not self._r else ""
        self._buf += chunk
        buf = self._buf
        out: list[str] = []
        pos = 0
        while True:
            hold = self._first_partial(max(pos, self._scan_from))
            if hold == len(buf):
                out.append(self._r.replace(buf[pos:]))
                pos = hold
                break
            # Matches starting before `hold` are final: no key can start there and grow.
            last, spanned = pos, None
            for start, end, value in self._r.matches(buf, pos):
                if start >= hold:
                    break
                out.append(buf[last:start])
                out.append(value)
                last = end
                if last > hold:
                    spanned = last
                    break
            if spanned is None:
                out.append(buf[last:hold])
                pos = hold
                break
            pos = spanned  # a final match covered `hold`; look for a partial key after it
        self._buf = buf[pos:]
        self._scan_from = max(0, self._scan_from - pos)
        return "".join(out)

    def flush(self) -> str:
        rest, self._buf, self._scan_from = self._buf, "", 0
        return self._r.replace(rest)

    def _first_partial(self, frm: int) -> int:
        buf, r = self._buf, self._r
        n = len(buf)
        for p in range(max(frm, n - r.max_key + 1), n):
            if r.is_partial(buf[p:]):
                return p
            self._scan_from = p + 1
        return n
