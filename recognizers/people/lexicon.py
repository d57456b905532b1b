"""What single words say about a name: Faker's first and last names, English and programming
vocabulary, tools, organisations, months, places and sentence openers.

The curated lists are package data beside this module (``*.txt``); Faker's lists and the
dictionaries load on first use, once per process.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import unicodedata
from collections.abc import Container
from functools import cache, lru_cache

import regex

from recognizers.english import common_dictionary
from recognizers.people.romanize import CYRILLIC_LOCALES, cyrillic, hangul_given, hangul_surname
from recognizers.wordlists import read_words

_PACKAGE = "recognizers.people"

@cache
def _faker_names() -> tuple[dict[str, int], dict[str, int]]:
    """First and last names of every Faker person locale, with the number of locales each
    appears in (a name that only one locale lists and that is also an English word is weak
    evidence: the ``en`` list holds ``Author``, ``Council``, ``Will``)."""
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    try:
        import faker.providers.person as person
    except ImportError:  # pragma: no cover - Faker is a declared dependency
        return first, last

    def add(into: dict[str, int], names: object, seen: set[str]) -> None:
        if isinstance(names, dict):  # weighted lists are (ordered) dicts
            names = list(names)
        if not isinstance(names, (list, tuple, set, frozenset)):
            return
        for n in names:
            if isinstance(n, str) and n not in seen:
                seen.add(n)
                into[n] = into.get(n, 0) + 1

    for mod in pkgutil.iter_modules(person.__path__):
        try:
            provider = importlib.import_module(f"{person.__name__}.{mod.name}").Provider
        except (ImportError, AttributeError):  # pragma: no cover
            continue
        seen_first: set[str] = set()
        seen_last: set[str] = set()
        for attr in ("first_names", "first_names_male", "first_names_female",
                     "first_names_nonbinary", "first_romanized_names",
                     "first_romanized_names_male", "first_romanized_names_female"):
            add(first, getattr(provider, attr, None), seen_first)
        for attr in ("last_names", "last_names_male", "last_names_female",
                     "last_romanized_names"):
            add(last, getattr(provider, attr, None), seen_last)
        # the same names in Latin letters (romanize.py): Лидия Осипова is Lidiya Osipova
        if mod.name in CYRILLIC_LOCALES:
            add(first, [cyrillic(n) for n in list(seen_first) if _CYRILLIC_END.search(n)],
                set())
            add(last, [cyrillic(n) for n in list(seen_last) if _CYRILLIC_END.search(n)], set())
        elif mod.name == "ko_KR":
            add(first, [r for n in list(seen_first) for r in hangul_given(n)], set())
            add(last, [r for n in list(seen_last) for r in hangul_surname(n)], set())
    return first, last


def first_names() -> frozenset[str]:
    return frozenset(_faker_names()[0])


def last_names() -> frozenset[str]:
    return frozenset(_faker_names()[1])


def _vocab() -> tuple[Container[str], frozenset[str]]:
    """(English words, programming vocabulary), lower case: the words both English dictionaries
    list (see ``recognizers.english``)."""
    from recognizers.code.vocabulary import programming_words

    return common_dictionary(), programming_words()


# Tools, products, languages and platforms that look like names (many are first names too).
_TECH = read_words(_PACKAGE, "tech_words.txt")
# Words that make a sequence an organisation, a team, a place or a thing, never a person.
_ORG = read_words(_PACKAGE, "org_words.txt")
_CALENDAR = read_words(_PACKAGE, "calendar_words.txt")
# Places that are also first names, and very common place words.
_PLACES = read_words(_PACKAGE, "places.txt")
# Words that make a sequence a typeface, whatever its other words are.
TYPEFACE = read_words(_PACKAGE, "typeface_words.txt")
# Words that open a sentence or a clause and must not be taken for the first word of a name.
LEADERS = read_words(_PACKAGE, "leaders.txt")
# Degrees and suffixes after a name (B.Sc., Ph.D., Jr.), without dots, in lower case.
POST_NOMINALS = read_words(_PACKAGE, "post_nominals.txt")


def post_nominal(value: str) -> bool:
    """``B.Sc``, ``Ph.D.``, ``MBA``: a degree or a suffix written after a name, not a name."""
    norm = value.replace(".", "").replace(" ", "").replace("-", "").lower()
    return norm in POST_NOMINALS and (len(norm) > 2 or "." in value)


def fold(word: str) -> str:
    """Lower case without accents: ``Jürgen`` -> ``jurgen``."""
    return "".join(
        c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c)
    )


_CYRILLIC_END = re.compile(r"[\u0430-\u044f]$")
# case endings of Russian names and the nominative ending each replaces (first names in -ий/-ей/
# -а/-я, surnames in -ов/-ин and -ова/-ина)
_RU_CASES = (
    ("ею", "ей"), ("ея", "ей"), ("ем", "ей"), ("ии", "ий"), ("ию", "ий"), ("ия", "ий"),
    ("ием", "ий"), ("ой", "а"), ("ей", "я"), ("у", "а"), ("ы", "а"), ("и", "а"), ("е", "а"),
    ("ю", "я"), ("и", "я"), ("е", "я"), ("а", ""), ("у", ""), ("ом", ""), ("ым", ""),
    ("я", "й"), ("ю", "й"), ("е", ""),
)


class Words:
    """Facts about single words, cached."""

    def __init__(self) -> None:
        self.first, self.last = _faker_names()
        self.dictionary, self.programming = _vocab()
        self._first_lower = frozenset(n.lower() for n in self.first)
        self._cache: dict[str, int] = {}

    # bit flags
    D, P, F, L, FR, LR, STOP, PLACE, CAL = 1, 2, 4, 8, 16, 32, 64, 128, 256

    def flags(self, word: str) -> int:
        got = self._cache.get(word)
        if got is not None:
            return got
        low = word.lower()
        f = 0
        if low in self.dictionary or low.replace("-", "") in self.dictionary:
            f |= self.D
        if low in self.programming or low in _TECH or _is_public(word):
            f |= self.P
        nf = self.first.get(word, 0)
        nl = self.last.get(word, 0)
        if not (nf or nl) and _CYRILLIC_END.search(word):
            nf, nl = self._declined(word)
        if nf:
            f |= self.F
            if not f & self.D or nf >= 2:
                f |= self.FR
        if nl:
            f |= self.L
            if not f & self.D or nl >= 2:
                f |= self.LR
        if low in _ORG:
            f |= self.STOP
        if low in _CALENDAR:  # "May", "June", "August" are first names too
            f |= self.STOP if low not in self._first_lower else self.CAL
        if low in _PLACES:
            f |= self.PLACE
        if len(self._cache) < 200_000:
            self._cache[word] = f
        return f

    def _declined(self, word: str) -> tuple[int, int]:
        """A Russian name in another case (Сергею, Ольги, Петровой, Иванову): the counts of
        its nominative forms."""
        nf = nl = 0
        for suffix, repl in _RU_CASES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 2:
                base = word[:len(word) - len(suffix)] + repl
                nf = nf or self.first.get(base, 0)
                nl = nl or self.last.get(base, 0)
        return nf, nl

    def common(self, word: str) -> bool:
        """A word of English or of programming that is not also a reliable name."""
        f = self.flags(word)
        if f & (self.P | self.STOP | self.CAL):
            return True
        return bool(f & (self.D | self.PLACE)) and not f & (self.FR | self.LR)

    def unknown(self, word: str) -> bool:
        """No English word, no programming word, no stop word, no place: a rare name or a
        coined word."""
        return not self.flags(word) & (self.D | self.P | self.STOP | self.PLACE | self.CAL)


@cache
def word_facts() -> Words:
    return Words()


def _is_public(word: str) -> bool:
    from recognizers.code.vocabulary import is_public_name

    return is_public_name(word)



# with diacritics (stéphanie, gülgüzel; other scripts have no letter case to lose), and two of
# them joined by a hyphen (Ralf-Peter, Hans-Günter)
_LATIN_NAME_RE = regex.compile(r"\p{Latin}+(?:-\p{Latin}+)?")


@lru_cache(maxsize=1)
def reliable_first_names() -> frozenset[str]:
    """Lower-case forms of the first names that are reliable evidence on their own (a first
    name alone in a chat's phrases: ``ask priya``)."""
    W = word_facts()
    bad = W.D | W.P | W.STOP | W.CAL | W.PLACE
    return frozenset(
        n.lower() for n in first_names()
        if _LATIN_NAME_RE.fullmatch(n) and 4 <= len(n) <= 12
        and all(p[:1].isupper() and p[1:].islower() for p in n.split("-"))
        and W.flags(n) & W.FR and not W.flags(n) & bad
        and not W.flags(n.lower()) & bad
    )
