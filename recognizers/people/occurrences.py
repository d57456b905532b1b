"""Every occurrence of a request's known names in a text, standing as words of their own."""

from __future__ import annotations

import ahocorasick
import regex as re

from recognizers.people.shapes import AFTER, BEFORE

_BEFORE_RE = re.compile(BEFORE)
_AFTER_RE = re.compile(AFTER)


def occurrences(text: str, names: dict[str, int]) -> list[tuple[int, int, int]]:
    """(start, end, strength) of every occurrence of the names that stands as a word of its
    own (overlaps included: the longest wins when findings are resolved). Plain searches, not
    one alternation: a conversation's set of names changes every turn, and compiling an
    alternation of them each time cost more than the searches."""
    out: list[tuple[int, int, int]] = []
    if len(names) > MANY_NAMES:  # a table of names: one automaton pass, not a scan per name
        ac = ahocorasick.Automaton()
        for k, name in enumerate(names):
            ac.add_word(name, k)
        ac.make_automaton()
        keyed: list[list[tuple[int, int, int]]] = [[] for _ in names]
        items = list(names.items())
        for last, k in ac.iter(text):
            name, strength = items[k]
            pos, end = last + 1 - len(name), last + 1
            if _BEFORE_RE.match(text, pos) and _AFTER_RE.match(text, end):
                keyed[k].append((pos, end, strength))
        return [o for found in keyed for o in found]  # in the order of the plain searches
    for name, strength in names.items():
        pos = text.find(name)
        while pos != -1:
            end = pos + len(name)
            if _BEFORE_RE.match(text, pos) and _AFTER_RE.match(text, end):
                out.append((pos, end, strength))
            pos = text.find(name, pos + 1)
    return out


MANY_NAMES = 64


def present(text: str, words: tuple[str, ...]) -> set[str]:
    """Which of ``words`` occur in ``text`` at all. A conversation's names come back every turn
    (hundreds of them, their parts included): one automaton pass costs less than a scan of the
    text per name."""
    if len(words) <= MANY_NAMES:
        return {w for w in words if w in text}
    ac = ahocorasick.Automaton()
    for k, w in enumerate(words):
        ac.add_word(w, k)
    ac.make_automaton()
    return {words[k] for _, k in ac.iter(text)}
