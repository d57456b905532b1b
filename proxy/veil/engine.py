"""The veil: anonymize the text slots of one request, and restore the answer.

``Veil.anonymize(texts)`` runs the policy's recognizers over every slot, turns each distinct
sensitive value into a dummy, replaces every occurrence of every value in every slot in one pass
(so a password found in a ``.env`` line is also hidden where it reappears in a shell command),
and returns the request's ``Mapping``. Before anything is returned the Mapping is checked to
restore every slot byte for byte; a request that fails the check is refused (fail closed).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from proxy.policy import IGNORED, Policy
from proxy.veil.public import PublicVocabulary
from proxy.veil.restore import Replacer, StreamReplacer
from proxy.veil.surrogates import Surrogates, apply_case
from recognizers.base import IDENTIFIER, PII, SECRET, TERM, Finding, Recognizer
from recognizers.context import DetectionContext
from recognizers.phrases import Phrases
from recognizers.registry import build_recognizers
from recognizers.terms import TermRecognizer, split_occurrence

MAX_ATTEMPTS = 24
_WORD = "w:"  # key prefix of identifier words among the term-like dummies
# When one value is found as two types, the more specific category decides its dummy.
_CATEGORY_RANK = {SECRET: 0, PII: 1, TERM: 2, IDENTIFIER: 3}
_IGNORED = frozenset({*IGNORED, "allow"})


class VeilError(RuntimeError):
    """The veil could not anonymize a request safely; nothing may be forwarded."""


@dataclass(frozen=True)
class FindingSummary:
    """What the audit log keeps of a finding: never the value itself."""

    type: str
    category: str
    recognizer: str
    action: str
    count: int
    fingerprint: str


class Blocked(Exception):
    """The policy refuses requests that contain these finding types."""

    def __init__(self, types: Sequence[str], findings: Sequence[FindingSummary] = ()) -> None:
        super().__init__(", ".join(types))
        self.types = list(types)
        self.findings = list(findings)  # what caused it, for the audit log (no values)


@dataclass
class _Atom:
    value: str
    type: str
    category: str
    recognizer: str
    bounded: bool = True  # every detection site had a word boundary on both sides
    count: int = 0
    score: float = 0.0


def _esc(s: str, ascii_only: bool = False) -> str:
    return json.dumps(s, ensure_ascii=ascii_only)[1:-1]


def _unescaped(value: str) -> str:
    """A value found in its JSON-escaped spelling (a PEM key inside tool-call arguments) as the
    text it stands for, when escaping that text gives the same spelling back: then one value has
    one dummy, and the escaped variants of the tables cover the raw occurrence."""
    if "\\" not in value:
        return value
    try:
        decoded = json.loads(f'"{value}"')
    except ValueError:
        return value
    return decoded if value in (_esc(decoded), _esc(decoded, True)) else value


def _allowed_at(allow: frozenset[str], text: str, start: int, end: int) -> bool:
    """Whether text[start:end] lies inside an occurrence of a string on the allow list."""
    return _allow_phrases(allow).covers(text, start, end)


@lru_cache(maxsize=128)
def _allow_phrases(allow: frozenset[str]) -> Phrases:
    """One automaton per allow list (the policy's, built by the warm-up; a request's declared
    names), so a check costs the same however long the list is."""
    return Phrases(allow, ignore_case=False)


def _is_word(c: str) -> bool:
    return c.isalnum()


@dataclass
class Mapping:
    """The dummies of one request, and the way back to the real values."""

    forward: dict[str, str] = field(default_factory=dict)
    reverse: Replacer = field(default_factory=lambda: Replacer({}))
    redacted: Replacer = field(default_factory=lambda: Replacer({}))
    findings: list[FindingSummary] = field(default_factory=list)
    # The forward replacement, and (type, category, recognizer, score, action) per value: for
    # `codeveil scan`, which shows where each replacement happened. Memory only.
    replacer: Replacer = field(default_factory=lambda: Replacer({}))
    origins: dict[str, tuple[str, str, str, float, str]] = field(default_factory=dict)

    def restore(self, text: str) -> str:
        return self.reverse.replace(text)

    def restorer(self) -> StreamReplacer:
        return self.reverse.stream()

    def restore_json(self, obj: Any) -> Any:
        """Restore every string (and key) of a parsed JSON value."""
        if isinstance(obj, str):
            return self.reverse.replace(obj)
        if isinstance(obj, list):
            return [self.restore_json(v) for v in obj]
        if isinstance(obj, dict):
            return {self.restore_json(k): self.restore_json(v) for k, v in obj.items()}
        return obj

    def counts(self) -> Counter[str]:
        c: Counter[str] = Counter()
        for f in self.findings:
            c[f.type] += f.count
        return c


class Veil:
    """Anonymizes requests under one policy with one tenant key."""

    def __init__(
        self, policy: Policy, key: bytes, recognizers: Iterable[Recognizer] | None = None
    ) -> None:
        self.policy = policy
        self.terms = TermRecognizer(policy.terms, policy.internal_domains)
        self.recognizers: list[Recognizer] = (
            list(recognizers) if recognizers is not None else build_recognizers(policy, self.terms)
        )
        self.surrogates = Surrogates(key)

    # -- detection -------------------------------------------------------------------------

    def detect(self, text: str) -> list[Finding]:
        ctx = DetectionContext(text)
        found: list[Finding] = []
        for r in self.recognizers:
            found.extend(r.analyze(ctx))
        return found

    def _findings(self, texts: Sequence[str]) -> list[list[Finding]]:
        """Findings per text. One detection context per text, shared by every recognizer; each
        sees the whole request at once (a name found in one slot is replaced in all)."""
        ctxs = [DetectionContext(t) for t in texts]
        out: list[list[Finding]] = [[] for _ in texts]
        for r in self.recognizers:
            for acc, found in zip(out, r.analyze_request(ctxs), strict=True):
                acc.extend(found)
        return out

    def vocabulary(self, names: Iterable[str]) -> PublicVocabulary:
        """The client's declared names as public vocabulary; the policy's terms stay private."""
        return PublicVocabulary.of(names, lambda word: bool(self.terms.analyze(word)))

    def _collect(
        self, texts: Sequence[str], public: PublicVocabulary | None = None
    ) -> dict[str, _Atom]:
        atoms: dict[str, _Atom] = {}
        decide = self.policy.decide
        leaves = [leaf for text in texts for leaf in _json_leaves(text)]
        for leaf, findings in zip([*texts, *leaves], self._findings([*texts, *leaves]),
                                  strict=True):
            for f in findings:
                value = _unescaped(leaf[f.start : f.end])
                if not value.strip() or value in self.policy.allow:
                    continue
                if self.policy.allow and _allowed_at(self.policy.allow, leaf, f.start, f.end):
                    continue  # part of a public phrase on the allow list
                if public and public.judges(f.type, f.category) and (
                    public.covers(value) or _allowed_at(public.names, leaf, f.start, f.end)
                ):
                    continue  # the client's own vocabulary: its tools, parameters, model
                # Types turned off, scores under the threshold and allowed types: ignored.
                if decide(f.type, f.category, f.score).action in _IGNORED:
                    continue
                bounded = (
                    f.start == 0 or not _is_word(leaf[f.start - 1]) or not _is_word(value[0])
                ) and (f.end == len(leaf) or not _is_word(leaf[f.end]) or not _is_word(value[-1]))
                atom = atoms.get(value)
                if atom is None or (
                    _CATEGORY_RANK.get(f.category, 9) < _CATEGORY_RANK.get(atom.category, 9)
                ):
                    prev = atom
                    atom = _Atom(value, f.type, f.category, f.recognizer)
                    if prev is not None:
                        atom.bounded, atom.count = prev.bounded, prev.count
                    atoms[value] = atom
                atom.bounded = atom.bounded and bounded
                atom.count += 1
                atom.score = max(atom.score, f.score)
        return atoms

    # -- anonymization ---------------------------------------------------------------------

    def anonymize(
        self, texts: Sequence[str], public: PublicVocabulary | None = None
    ) -> tuple[list[str], Mapping]:
        """``texts`` with every finding replaced, and the Mapping back. ``public``: the names the
        client declared (tools, parameters, its model), left alone wherever they appear."""
        atoms = self._collect(texts, public)
        blocked = sorted(
            {a.type for a in atoms.values() if self.policy.action(a.type, a.category) == "block"}
        )
        if blocked:
            raise Blocked(blocked, [
                FindingSummary(a.type, a.category, a.recognizer, "block", a.count,
                               self.surrogates.fingerprint(a.type, a.value))
                for a in atoms.values() if a.type in blocked
            ])
        if not atoms:
            return list(texts), Mapping()
        joined = "\x00".join(texts)
        for salt in range(3):
            mapping, anon = self._attempt(texts, joined, atoms, salt)
            # Restoring must give back the request exactly, bar what the policy redacts.
            expected = [mapping.redacted.replace(t) for t in texts] if mapping.redacted else texts
            if all(mapping.restore(a) == t for a, t in zip(anon, expected, strict=True)):
                return anon, mapping
        raise VeilError("the dummies of this request would not restore exactly")

    def _attempt(
        self, texts: Sequence[str], joined: str, atoms: dict[str, _Atom], salt: int
    ) -> tuple[Mapping, list[str]]:
        joined_lower = joined.lower()
        dummies = _Dummies(self, joined, joined_lower, salt)
        forward: dict[str, str] = {}
        reverse: dict[str, str] = {}
        unbounded: set[str] = set()
        redacted: set[str] = set()
        origins: dict[str, tuple[str, str, str, float, str]] = {}
        summaries: Counter[tuple[str, str, str, str, str]] = Counter()
        for value, atom in atoms.items():
            action = self.policy.action(atom.type, atom.category)
            if action == "monitor":
                # Recorded for the audit log, left as it is in the request.
                origins[value] = (atom.type, atom.category, atom.recognizer, atom.score, action)
                fp = self.surrogates.fingerprint(atom.type, value)
                summaries[(atom.type, atom.category, atom.recognizer, action, fp)] += atom.count
                continue
            if action == "redact":
                dummy = f"[{atom.type}]"
                redacted.add(value)
            else:
                dummy = dummies.for_atom(atom)
                if self.policy.restores(atom.type, atom.category):
                    reverse[dummy] = value
                else:
                    redacted.add(value)  # the dummy stays in the answer, like a redaction
            forward[value] = dummy
            if not atom.bounded or atom.category == TERM or (
                atom.category == IDENTIFIER and self.policy.identifiers != "all"
            ):
                unbounded.add(value)
            origins[value] = (atom.type, atom.category, atom.recognizer, atom.score, action)
            fp = self.surrogates.fingerprint(atom.type, value)
            summaries[(atom.type, atom.category, atom.recognizer, action, fp)] += atom.count
        # Case variants a model derives from a term's dummy (KELVA_URL from Kelva) map back.
        for word_key, base in dummies.term_bases.items():
            if "#" in word_key:
                continue  # one word of a longer term: restored with its neighbours only
            if not (
                self.policy.restores(IDENTIFIER, IDENTIFIER)
                if word_key.startswith(_WORD) else self.policy.restores("TERM", TERM)
            ):
                continue
            original = word_key.removeprefix(_WORD)
            for variant in (str.upper, str.lower, str.capitalize):
                reverse.setdefault(variant(base), variant(original))
        # The same pairs as they appear inside JSON strings (tool-call arguments, tool results).
        for table in (forward, reverse):
            for k, v in list(table.items()):
                for ascii_only in (False, True):
                    ek = _esc(k, ascii_only)
                    if ek != k:
                        table.setdefault(ek, _esc(v, ascii_only))
                        if table is forward and k in unbounded:
                            unbounded.add(ek)
                        if table is forward and k in redacted:
                            redacted.add(ek)

        allow = self.policy.allow

        def accept(text: str, start: int, end: int) -> bool:
            if allow and _allowed_at(allow, text, start, end):
                return False
            key = text[start:end]
            if key in unbounded:
                return True
            if start > 0 and _is_word(key[0]) and _is_word(text[start - 1]):
                return False
            return not (end < len(text) and _is_word(key[-1]) and _is_word(text[end]))

        fwd = Replacer(forward, accept=accept)
        anon = [fwd.replace(t) for t in texts]
        redactions = {k: v for k, v in forward.items() if k in redacted}
        mapping = Mapping(
            forward=forward,
            reverse=Replacer(reverse),
            redacted=Replacer(redactions, accept=accept),
            replacer=fwd,
            origins=origins,
            findings=[
                FindingSummary(t, c, r, a, n, fp) for (t, c, r, a, fp), n in summaries.items()
            ],
        )
        return mapping, anon


class _Dummies:
    """Chooses collision-free dummies for one request."""

    def __init__(self, veil: Veil, joined: str, joined_lower: str, salt: int) -> None:
        self.veil = veil
        self.s = veil.surrogates
        self.joined = joined
        self.joined_lower = joined_lower
        self.salt = salt
        self.used: dict[str, str] = {}
        self.term_bases: dict[str, str] = {}
        self._domain_cache: dict[str, str] = {}

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
        return not self.veil.terms.analyze(dummy)

    def _pick(self, value: str, make, case_insensitive: bool = False) -> str:
        for attempt in range(self.salt * MAX_ATTEMPTS, (self.salt + 1) * MAX_ATTEMPTS):
            dummy = make(attempt)
            if self._free(dummy, value, case_insensitive):
                self.used[dummy] = value
                return dummy
        raise VeilError("no collision-free dummy found")

    def _base(self, word_key: str, length: int) -> str:
        if word_key not in self.term_bases:
            self.term_bases[word_key] = self._pick(
                word_key, lambda a: self.s.term_word(word_key, length, a), case_insensitive=True
            )
        return self.term_bases[word_key]

    def term(self, occurrence: str) -> str:
        """The dummy of one spelling of a term: each word swapped, case and separators kept."""
        canonical = self.veil.terms.canonical_term(occurrence) or occurrence
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
        return apply_case(occurrence, self._base(_WORD + occurrence.lower(), len(occurrence)))

    def sub_terms(self, text: str) -> str:
        out, pos = [], 0
        for s, e in self.veil.terms.find_terms(text):
            out += [text[pos:s], self.term(text[s:e])]
            pos = e
        return "".join(out) + text[pos:]

    def sub_known(self, text: str) -> str:
        """Replace the policy's domains and terms inside a dummy built around them."""
        out, pos = [], 0
        for f in sorted(self.veil.terms.analyze(text), key=lambda f: (f.start, -f.length)):
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

    def for_atom(self, atom: _Atom) -> str:
        if atom.type == "TERM":
            dummy = self.term(atom.value)
            self.used.setdefault(dummy, atom.value)
            return dummy
        if atom.type == "INTERNAL_DOMAIN":
            return self.domain(atom.value)
        if atom.category == IDENTIFIER:
            if self.veil.policy.identifiers == "all":
                return self._pick(atom.value, lambda a: self.s.identifier(atom.value, a))
            dummy = self.word(atom.value)
            self.used.setdefault(dummy, atom.value)
            return dummy
        if atom.type == "EMAIL":

            def make(a: int) -> str:
                fake = self.s.value(atom.type, atom.category, atom.value, a)
                local, _, dom = fake.rpartition("@")
                return f"{local}@{self.sub_known(dom)}"

            return self._pick(atom.value, make)
        return self._pick(
            atom.value, lambda a: self.s.value(atom.type, atom.category, atom.value, a)
        )


_JSON_START = re.compile(r"\s*[\[{]")


def _json_leaves(text: str) -> list[str]:
    """The decoded strings (keys and values) of a text that is a JSON document, else []."""
    if not _JSON_START.match(text) or ("\\" not in text and '"' not in text):
        return []
    try:
        doc = json.loads(text)
    except ValueError:
        return []
    out: list[str] = []

    def walk(o: Any) -> None:
        if isinstance(o, str):
            if "\\" in json.dumps(o, ensure_ascii=False) or not o.isascii():
                out.append(o)  # only strings that look different escaped need a second look
        elif isinstance(o, list):
            for v in o:
                walk(v)
        elif isinstance(o, dict):
            for k, v in o.items():
                walk(k)
                walk(v)

    walk(doc)
    return out


def at_word_boundary(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` neither starts nor ends inside a word: the test the veil's
    replacement applies to bounded values, for callers that replay a mapping (the loop)."""
    if start > 0 and _is_word(text[start]) and _is_word(text[start - 1]):
        return False
    return not (end < len(text) and _is_word(text[end - 1]) and _is_word(text[end]))


def restorations(mapping: Mapping) -> dict[str, str]:
    """A copy of every dummy -> real value pair of a mapping, for callers that merge mappings."""
    return dict(mapping.reverse.table)
