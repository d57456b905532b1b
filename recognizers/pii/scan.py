"""Scanning helpers the PII families share: line starts, per-line first matches, needles.

Python's ``re`` scans fast only for patterns that start with a literal, so every pass is driven
by a cheap trigger (``str.find`` or a literal-prefixed regex) and the detailed pattern is then
matched at the trigger position.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache

import ahocorasick

from recognizers.literals import Literals

#: (start, end, type) of one value found
Span = tuple[int, int, str]
#: add(start, end, weak=False): report a user name unless it is a system account or a word
Add = Callable[..., None]

#: a lower-case user name: jdoe, j.doe, jane_doe2
LUSER = r"[a-z][a-z0-9]*(?:[._\-][a-z0-9]+){0,3}"
LUSER_RE = re.compile(LUSER)
#: a user name in any case, for the places that hold nothing else (prompts, URL users, ~user):
#: Windows and Git Bash logins are often capitalized (JaneDoe, MKowalski)
MUSER = r"[A-Za-z][A-Za-z0-9]*(?:[._\-][A-Za-z0-9]+){0,3}"
MUSER_RE = re.compile(MUSER)

SSH_CMD_RE = re.compile(r"(?<![\w\-])(?:ssh|scp|sftp|rsync|mosh|autossh|ssh-copy-id|sshpass)\b")
SSH_MARKERS = ("ssh", "scp", "sftp", "rsync", "mosh")

_LOOKBACK = 512  # no context rule looks further back on a line (keeps huge lines linear)


def line_start(text: str, pos: int) -> int:
    lo = max(0, pos - _LOOKBACK)
    nl = text.rfind("\n", lo, pos)
    return nl + 1 if nl >= 0 else lo


class LineFirst:
    """Whether a line has a match of ``regex`` (a comment mark, an ssh command) before a
    position. The first match of each line is computed once; inside very long lines (minified
    JSON) only the last ``_LOOKBACK`` characters count. ``markers`` are substrings every match
    contains, tested first because ``str`` scans are much faster than regex scans."""

    __slots__ = ("cache", "markers", "regex", "text")

    def __init__(self, text: str, regex: re.Pattern[str], markers: tuple[str, ...]) -> None:
        self.text, self.regex, self.markers = text, regex, markers
        self.cache: dict[int, re.Match[str] | None] = {}

    def _search(self, start: int, end: int) -> re.Match[str] | None:
        segment = self.text[start:end]
        if not any(marker in segment for marker in self.markers):
            return None
        return self.regex.search(self.text, start, end)

    def before(self, pos: int) -> re.Match[str] | None:
        """A match on the line of ``pos`` that ends at or before ``pos``."""
        text = self.text
        lo = max(0, pos - _LOOKBACK)
        nl = text.rfind("\n", lo, pos)
        if nl < 0 and lo > 0:  # deep inside a long line: bounded and uncached
            return self._search(lo, pos)
        line_start = nl + 1
        if line_start not in self.cache:
            end = text.find("\n", line_start)
            self.cache[line_start] = self._search(line_start, len(text) if end < 0 else end)
        m = self.cache[line_start]
        return m if m is not None and m.end() <= pos else None


def has_ssh(text: str) -> bool:
    return any(cmd in text for cmd in SSH_MARKERS)


class _Needles:
    """Every needle the PII families ask for, found in a text by one pass (they
    ask for some 400 per text, many in word lists: one ``str.find`` scan each cost several
    times the one pass). A needle first asked for joins the automaton (at warm-up). The last
    texts' hits are kept per thread, by value: the families lower-case a text each on their
    own, and big requests are anonymized in worker threads."""

    def __init__(self) -> None:
        self.words: frozenset[str] = frozenset()
        self.automaton: Literals | None = None
        self.lock = threading.Lock()
        self.local = threading.local()

    def learn(self, needles: Iterable[str]) -> None:
        with self.lock:
            words = self.words.union(needles)
            self.automaton, self.words = Literals((w, w) for w in sorted(words)), words

    def index(self, text: str) -> dict[str, list[int]]:
        kept: dict[str, tuple[object, dict[str, list[int]]]] | None = getattr(
            self.local, "kept", None)
        if kept is None:
            kept = self.local.kept = {}
        automaton = self.automaton
        entry = kept.get(text)
        if entry is not None and entry[0] is automaton:
            return entry[1]
        found: dict[str, list[int]] = {}
        if automaton is not None:
            for end, word in automaton.iter(text):
                found.setdefault(word, []).append(end - len(word) + 1)
        kept.pop(text, None)
        kept[text] = (automaton, found)
        if len(kept) > _KEPT:
            del kept[next(iter(kept))]
        return found

    def hits(self, text: str, needle: str) -> list[int]:
        if needle not in self.words:
            self.learn((needle,))
        return self.index(text).get(needle, [])

    def any_hits(self, text: str, needles: tuple[str, ...]) -> list[int]:
        if not self.words.issuperset(needles):
            self.learn(needles)
        found = self.index(text)
        out: list[int] = []
        for w in needles:
            got = found.get(w)
            if got:
                out += got
        out.sort()
        return out


_NEEDLES = _Needles()
_INDEXED = 256  # shorter texts: a few str.find scans cost less than the pass
# longer texts (a 16 MB prompt): the word lists are not kept in the index (millions of hits)
_HUGE = 1 << 20
INDEXED = _INDEXED  # from this length find_all answers from the shared pass
_KEPT = 8
_MANY = 24


def needle_index(text: str, needles: tuple[str, ...]) -> dict[str, list[int]] | None:
    """Where each needle the families ask for starts in ``text`` (``needles`` among them), from
    the text's one shared pass; None for a short text (its own scan is cheaper)."""
    if not _INDEXED <= len(text) <= _HUGE:
        return None
    if not _NEEDLES.words.issuperset(needles):
        _NEEDLES.learn(needles)
    return _NEEDLES.index(text)


def find_all(text: str, needle: str) -> Iterable[int]:
    if len(text) >= _INDEXED and len(needle) > 1:
        return _NEEDLES.hits(text, needle)
    return _find_all(text, needle)


def find_each(text: str, needles: frozenset[str]) -> dict[str, list[int]]:
    """Where each of ``needles`` that occurs in a long text starts, from the shared pass."""
    if not _NEEDLES.words.issuperset(needles):
        _NEEDLES.learn(needles)
    found = _NEEDLES.index(text)
    return {n: found[n] for n in needles.intersection(found)}


def _find_all(text: str, needle: str) -> list[int]:
    out = []
    i = text.find(needle)
    while i >= 0:
        out.append(i)
        i = text.find(needle, i + 1)
    return out


def find_any(text: str, words: Iterable[str]) -> list[int]:
    """Where any of ``words`` occurs, ascending: the lines a line-bound pattern can match on."""
    words = tuple(words)
    if _INDEXED <= len(text) <= _HUGE:
        return _NEEDLES.any_hits(text, words)
    if len(words) > _MANY:
        # many needles in a short text: one pass of their own automaton
        return sorted(end - len(w) + 1 for end, w in _automaton(words).iter(text))
    return sorted(i for w in words for i in _find_all(text, w))


@lru_cache(maxsize=64)
def _automaton(words: tuple[str, ...]) -> ahocorasick.Automaton:
    ac = ahocorasick.Automaton()
    for w in words:
        ac.add_word(w, w)
    ac.make_automaton()
    return ac


def lines_matching(text: str, hits: Iterable[int], rx: re.Pattern[str]) -> Iterator[re.Match[str]]:
    """``rx.finditer(text)`` for a pattern whose matches never cross a line and always hold
    one of the ``hits`` (positions, ascending): it runs only on the lines that have one, so a
    pattern that costs something at every line start costs nothing on the others."""
    done = -1
    for i in hits:
        if i < done:
            continue
        start = text.rfind("\n", 0, i) + 1
        end = text.find("\n", i)
        done = end = len(text) if end < 0 else end
        yield from rx.finditer(text, start, end)
