"""Cyrillic first names alone where they open a line, a message, a sentence or a clause
(``- Августин до пʼятниці перевірить таймаути``) or in a chat's looser phrases (``з Ольгою``
is declined, ``с Олег`` is not): the Latin ones are found with the other
first names alone (:meth:`recognizers.people.PersonRecognizer._lower_names`)."""

from __future__ import annotations

from functools import lru_cache

import regex as re

from recognizers.people.contexts import chat_context
from recognizers.people.lexicon import first_names

# first names that are ordinary Russian or Ukrainian words as often (faith, hope, love, novel)
_WORDS = frozenset({"вера", "віра", "надежда", "надія", "любовь", "любов", "роман", "мир", "лев",
                    "слава", "май", "сила", "злата", "лада", "ангелина"})
_CYRILLIC_RE = re.compile(r"\p{Cyrillic}{4,}")


@lru_cache(maxsize=1)
def _cyrillic_first_names() -> frozenset[str]:
    return frozenset(n.lower() for n in first_names()
                     if _CYRILLIC_RE.fullmatch(n) and n[0].isupper() and n.lower() not in _WORDS)


def cyrillic_openers(text: str, words: set[str], strength: int) -> list[tuple[int, int, int]]:
    """Spans of capitalised Cyrillic first names that open a message; ``words``: the text's
    words in lower case (the caller's set)."""
    out: list[tuple[int, int, int]] = []
    for name in _cyrillic_first_names().intersection(words):
        cap = name[0].upper() + name[1:]
        pos = text.find(cap)
        while pos >= 0:
            end = pos + len(cap)
            if (not pos or not text[pos - 1].isalpha()) and \
                    (end >= len(text) or not text[end].isalpha()) and \
                    chat_context(text, pos, end):
                out.append((pos, end, strength))
            pos = text.find(cap, end)
    return out
