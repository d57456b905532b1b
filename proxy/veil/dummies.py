"""Dummies for one request: each value's surrogate, drawn until it is free (in no text of the
request, not the value itself, not another value's), and the proofs of absence that let a later
turn skip searching what went out before (``proven_absent``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from proxy.veil.surrogates import Surrogates, apply_case
from recognizers.base import IDENTIFIER
from recognizers.private_hosts import under_private_suffix
from recognizers.terms import TermRecognizer, split_occurrence

MAX_ATTEMPTS = 24
WORD_KEY = "w:"  # key prefix of identifier words among the term-like dummies


class VeilError(RuntimeError):
    """The veil could not anonymize a request safely; nothing may be forwarded."""


class Dummies:
    """Chooses collision-free dummies for one request."""

    def __init__(self, surrogates: Surrogates, terms: TermRecognizer, all_identifiers: bool,
                 joined: str, joined_lower: str, salt: int) -> None:
        self.s = surrogates
        self.terms = terms
        self.all_identifiers = all_identifiers  # `identifiers: all`: whole names, not words
        self.joined = joined
        self.joined_lower = joined_lower
        self.salt = salt
        self.used: dict[str, str] = {}
        self.term_bases: dict[str, str] = {}
        self._domain_cache: dict[str, str] = {}
        # Dummies chosen here, each checked absent from the haystack (exactly, or in any
        # letter case): a key holding one of them cannot occur there either.
        self._absent: set[str] = set()
        self._absent_folded: set[str] = set()
        # the request's own people: a dummy name must not hold one of them as a part (遠藤 京助
        # made 渡辺 智也 beside a real 渡辺, which then read as that person)
        self.people: frozenset[str] = frozenset()
        self._people_folded: frozenset[str] = frozenset()

    def _free(self, dummy: str, value: str, case_insensitive: bool = False) -> bool:
        if not dummy or dummy == value:
            return False
        if self.used.get(dummy, value) != value:
            return False
        haystack, needle = (
            (self.joined_lower, dummy.lower()) if case_insensitive else (self.joined, dummy)
        )
        if needle in haystack:
            return False
        return not self.terms.analyze(dummy)

    def _pick(self, value: str, make, case_insensitive: bool = False) -> str:
        for attempt in range(self.salt * MAX_ATTEMPTS, (self.salt + 1) * MAX_ATTEMPTS):
            dummy = make(attempt)
            if self._free(dummy, value, case_insensitive):
                self.used[dummy] = value
                (self._absent_folded if case_insensitive else self._absent).add(
                    dummy.lower() if case_insensitive else dummy)
                return dummy
        raise VeilError("no collision-free dummy found")

    def proven_absent(self, key: str) -> bool:
        """Whether ``key`` provably does not occur in the haystack: it holds a dummy this
        request checked against it (if ``key`` occurred, so would that dummy)."""
        if any(d in key for d in self._absent):
            return True
        folded = key.lower()
        return any(d in folded for d in self._absent_folded)

    def _base(self, word_key: str, length: int) -> str:
        if word_key not in self.term_bases:
            self.term_bases[word_key] = self._pick(
                word_key, lambda a: self.s.term_word(word_key, length, a), case_insensitive=True
            )
        return self.term_bases[word_key]

    def term(self, occurrence: str) -> str:
        """The dummy of one spelling of a term: each word swapped, case and separators kept."""
        canonical = self.terms.canonical_term(occurrence) or occurrence
        pieces = split_occurrence(canonical, occurrence)
        if len(pieces) == 1:
            return apply_case(occurrence, self._base(canonical.lower(), len(canonical)))
        out = []
        for i, piece in enumerate(pieces):
            if i % 2:  # a separator
                out.append(piece)
            else:
                out.append(
                    apply_case(piece, self._base(f"{canonical.lower()}#{i // 2}", len(piece)))
                )
        return "".join(out)

    def word(self, occurrence: str) -> str:
        """A proprietary word of an identifier: swapped like a term, in every case alike."""
        return apply_case(occurrence, self._base(WORD_KEY + occurrence.lower(), len(occurrence)))

    def sub_terms(self, text: str) -> str:
        out, pos = [], 0
        for s, e in self.terms.find_terms(text):
            out += [text[pos:s], self.term(text[s:e])]
            pos = e
        return "".join(out) + text[pos:]

    def sub_known(self, text: str) -> str:
        """Replace the policy's domains and terms inside a dummy built around them."""
        out, pos = [], 0
        for f in sorted(self.terms.analyze(text), key=lambda f: (f.start, -f.length)):
            if f.start < pos:
                continue
            out.append(text[pos : f.start])
            piece = text[f.start : f.end]
            out.append(self.domain(piece) if f.type == "INTERNAL_DOMAIN" else self.term(piece))
            pos = f.end
        out.append(text[pos:])
        return "".join(out)

    def domain(self, value: str) -> str:
        if value not in self._domain_cache:
            self._domain_cache[value] = self._pick(
                value, lambda a: self.s.domain(value, self.sub_terms, a), case_insensitive=True
            )
        return self._domain_cache[value]

    def for_atom(self, atom: Any) -> str:  # engine._Atom
        if atom.type == "TERM":
            dummy = self.term(atom.value)
            self.used.setdefault(dummy, atom.value)
            return dummy
        if atom.type == "INTERNAL_DOMAIN" or (atom.type == "HOSTNAME" and "." not in atom.value):
            # a short host name swaps its words as the first label of its full name does
            # (build-07 beside build-07.lan), so the two still name one machine
            return self.domain(atom.value)
        if atom.category == IDENTIFIER:
            if self.all_identifiers:
                return self._pick(atom.value, lambda a: self.s.identifier(atom.value, a))
            dummy = self.word(atom.value)
            self.used.setdefault(dummy, atom.value)
            return dummy
        if atom.type == "EMAIL":

            def make(a: int) -> str:
                fake = self.s.value(atom.type, atom.category, atom.value, a)
                local, _, dom = fake.rpartition("@")
                if under_private_suffix(dom):  # deploy@build-07.lan: the host is private too
                    return f"{local}@{self.domain(dom)}"
                return f"{local}@{self.sub_known(dom)}"

            return self._pick(atom.value, make)
        if atom.type == "PERSON" and self.people:
            try:
                return self._pick(atom.value,
                                  lambda a: self._other_person(atom.value, atom.category, a))
            except VeilError:
                pass  # every draw held someone: any free dummy rather than a refusal
        return self._pick(
            atom.value, lambda a: self.s.value(atom.type, atom.category, atom.value, a)
        )

    def set_people(self, names: Iterable[str]) -> None:
        self.people = frozenset(names)
        # the names looked for inside a dummy: a request's few (a table of thousands would cost
        # a scan of them per draw; its dummies are still checked word by word)
        self._people_folded = frozenset(p.lower() for p in self.people) \
            if len(self.people) <= 64 else frozenset()

    def _other_person(self, value: str, category: str, attempt: int) -> str:
        """A dummy name that holds no other person of the request: none of its words is one, and
        no name of four letters or more (two in a script without spaces) is inside it (a dummy
        Helena beside a real elena); an empty one (never free) otherwise."""
        dummy = self.s.value("PERSON", category, value, attempt)
        folded = dummy.lower()
        if any(w in self.people for w in dummy.split()) or any(
                p in folded for p in self._people_folded
                if len(p) >= 4 or (len(p) >= 2 and not p.isascii())):
            return ""
        return dummy
