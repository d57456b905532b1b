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
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from proxy.policy import IGNORED, Policy
from proxy.veil.history import EMPTY, SlotCache, State
from proxy.veil.public import PublicVocabulary
from proxy.veil.request import Prior, SlotRequest
from proxy.veil.restore import Replacer, StreamReplacer
from proxy.veil.surrogates import Surrogates, apply_case
from proxy.veil.tables import Tables
from recognizers.base import IDENTIFIER, PII, SECRET, TERM, Finding, Recognizer
from recognizers.budget import BudgetExceeded, within
from recognizers.context import DetectionContext
from recognizers.phrases import Phrases
from recognizers.private_hosts import under_private_suffix
from recognizers.registry import build_recognizers
from recognizers.terms import TermRecognizer, split_occurrence

MAX_ATTEMPTS = 24
_WORD = "w:"  # key prefix of identifier words among the term-like dummies
# When one value is found as two types, the more specific category decides its dummy.
_CATEGORY_RANK = {SECRET: 0, PII: 1, TERM: 2, IDENTIFIER: 3}
_IGNORED = frozenset({*IGNORED, "allow"})


__all__ = [
    "Blocked", "BudgetExceeded", "FindingSummary", "Mapping", "Veil", "VeilError",
    "at_word_boundary", "restorations",
]


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
    # the longer identifiers a site of this identifier word lies in (``newDepl``): only
    # there is the word replaced inside an identifier, never in ``Deployment`` or ``nn.Conv2d``
    hosts: frozenset[str] = frozenset()


_PLAIN = re.compile(r'[^\x00-\x1f"\\]*\Z')  # nothing JSON escapes (bar non-ASCII, optionally)


def _esc(s: str, ascii_only: bool = False) -> str:
    if _PLAIN.match(s) and (not ascii_only or s.isascii()):
        return s  # most values: one regex instead of an encoder
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


def _ident_char(c: str) -> bool:
    return c.isalnum() or c in "_$"


def _enclosing(text: str, start: int, end: int) -> str:
    """The identifier text[start:end] lies in (itself when nothing word-like touches it)."""
    while start > 0 and _ident_char(text[start - 1]):
        start -= 1
    while end < len(text) and _ident_char(text[end]):
        end += 1
    return text[start:end]


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
    state: State | None = None  # what later turns of the conversation keep (history.py)

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
        self, policy: Policy, key: bytes, recognizers: Iterable[Recognizer] | None = None,
        cache: SlotCache | None = None,
    ) -> None:
        self.policy = policy
        self.cache = cache
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

    def vocabulary(self, names: Iterable[str]) -> PublicVocabulary:
        """The client's declared names as public vocabulary; the policy's terms stay private."""
        return PublicVocabulary.of(names, lambda word: bool(self.terms.analyze(word)))

    def _collect(
        self, found: Iterable[tuple[str, list[Finding]]], public: PublicVocabulary | None = None
    ) -> dict[str, _Atom]:
        """The distinct values of the findings (``found``: each text with its findings) that
        the policy acts on."""
        atoms: dict[str, _Atom] = {}
        decide = self.policy.decide
        for leaf, findings in found:
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
                        atom.hosts = prev.hosts
                    atoms[value] = atom
                atom.bounded = atom.bounded and bounded
                if f.category == IDENTIFIER:
                    host = _enclosing(leaf, f.start, f.end)
                    if host != value:
                        atom.hosts = atom.hosts | {host}
                atom.count += 1
                atom.score = max(atom.score, f.score)
        return atoms

    # -- anonymization ---------------------------------------------------------------------

    def anonymize(
        self, texts: Sequence[str], public: PublicVocabulary | None = None,
        cpu_seconds: float | None = None,
    ) -> tuple[list[str], Mapping]:
        """``texts`` with every finding replaced, and the Mapping back. ``public``: the names the
        client declared (tools, parameters, its model), left alone wherever they appear.

        With a cache, slots seen before are not detected again, and under ``history: stable``
        a slot already sent goes out exactly as it went out then (see ``history.py``).
        ``cpu_seconds``: the CPU time detection may take (BudgetExceeded beyond it), counted
        in the calling thread."""
        with within(cpu_seconds):
            return self._anonymize(texts, public, reuse=True)

    def _anonymize(
        self, texts: Sequence[str], public: PublicVocabulary | None, reuse: bool
    ) -> tuple[list[str], Mapping]:
        req = SlotRequest(self.recognizers, self.cache, texts,
                          stable=reuse and self.policy.history == "stable")
        found = req.detect()
        atoms = self._collect(found, public)
        blocked = sorted(
            {a.type for a in atoms.values() if self.policy.action(a.type, a.category) == "block"}
        )
        if blocked:
            raise Blocked(blocked, [
                FindingSummary(a.type, a.category, a.recognizer, "block", a.count,
                               self.surrogates.fingerprint(a.type, a.value))
                for a in atoms.values() if a.type in blocked
            ])
        prior = req.prior()
        hay = req.haystack(prior)
        late = [
            FindingSummary(a.type, a.category, a.recognizer, "late", a.count,
                           self.surrogates.fingerprint(a.type, a.value))
            for a in req.late(atoms, req.known(), hay)
            if self.policy.action(a.type, a.category) != "monitor"
        ]
        if not atoms and not prior.atoms:
            req.remember(list(texts), State({}, {}, {}, {}, slots=frozenset(req.keys),
                                            ancestors=prior.ancestors), hay)
            return list(texts), Mapping(findings=late)
        joined, joined_lower = hay.text, hay.lower
        for salt in range(3):
            mapping, anon, tables = self._attempt(texts, (joined, joined_lower), atoms, salt,
                                                  prior, req.sent)
            # Restoring must give back the request exactly, bar what the policy redacts; what
            # was sent before, as it restored then.
            redact = mapping.redacted
            if all(
                mapping.restore(a) == (redact.replace(t) if redact else t)
                for i, (a, t) in enumerate(zip(anon, texts, strict=True)) if i not in req.sent
            ) and req.sent_restore(mapping.restore, mapping.reverse.table, prior):
                mapping.findings.extend(late)
                if mapping.state is not None:
                    mapping.state = replace(mapping.state, slots=frozenset(req.keys),
                                            ancestors=prior.ancestors)
                req.remember(anon, mapping.state or EMPTY, hay, tables)
                return anon, mapping
        if req.sent:
            # What went out before cannot be kept with this request's values: send it afresh.
            return self._anonymize(texts, public, reuse=False)
        raise VeilError("the dummies of this request would not restore exactly")

    def _attempt(
        self, texts: Sequence[str], haystack: tuple[str, str], found: dict[str, _Atom],
        salt: int, prior: Prior, sent: dict[int, str],
    ) -> tuple[Mapping, list[str], Tables]:
        """One try at dummies for every value (``prior``'s keep theirs), and the slots with
        them (``sent`` slots as they went out before)."""
        dummies = _Dummies(self, *haystack, salt)
        for value, dummy in prior.dummies.items():
            dummies.used.setdefault(dummy, value)
        dummies.term_bases.update(prior.term_bases)
        base = (self.cache.tables(prior.latest.serial)
                if self.cache is not None and prior.latest is not None and prior.single
                else None)
        atoms = dict(prior.atoms)
        todo: dict[str, _Atom] = {}
        for value, atom in found.items():
            old = atoms.get(value)
            if old is None:
                atoms[value] = todo[value] = atom
            elif atom.count > old.count or not atom.hosts <= old.hosts:
                atoms[value] = todo[value] = replace(old, count=max(atom.count, old.count),
                                                     hosts=old.hosts | atom.hosts)
        if base is None:
            t, todo = Tables(), atoms
        else:
            t = base.copy()
        hosts_grew = False
        for value, atom in atoms.items():
            if atom.category == IDENTIFIER and self.policy.identifiers != "all" and \
                    not atom.hosts <= t.hosts.get(value, frozenset()):
                t.hosts[value] = t.hosts.get(value, frozenset()) | atom.hosts
                hosts_grew = True
        new_fwd: dict[str, str] = {}
        new_rev: dict[str, str] = {}
        for value, atom in todo.items():
            action = self.policy.action(atom.type, atom.category)
            key = (atom.type, atom.category, atom.recognizer, action,
                   self.surrogates.fingerprint(atom.type, value))
            old = prior.atoms.get(value) if base is not None else None
            if old is not None:  # known, seen more often now: only the count changes
                t.summaries[key] += atom.count - old.count
                continue
            t.origins[value] = (atom.type, atom.category, atom.recognizer, atom.score, action)
            t.summaries[key] += atom.count
            if action == "monitor":
                continue  # recorded for the audit log, left as it is in the request
            if action == "redact":
                dummy = f"[{atom.type}]"
                t.redacted.add(value)
            else:
                dummy = prior.dummies.get(value) or dummies.for_atom(atom)
                if self.policy.restores(atom.type, atom.category):
                    t.reverse[dummy] = new_rev[dummy] = value
                else:
                    t.redacted.add(value)  # the dummy stays in the answer, like a redaction
            t.forward[value] = new_fwd[value] = t.dummies[value] = dummy
            if not atom.bounded or atom.category == TERM or (
                atom.category == IDENTIFIER and self.policy.identifiers != "all"
            ):
                t.unbounded.add(value)
        # Case variants a model derives from a term's dummy (KELVA_URL from Kelva) map back.
        for word_key, word in dummies.term_bases.items():
            if word_key in t.bases_done:
                continue
            t.bases_done.add(word_key)
            if "#" in word_key:
                continue  # one word of a longer term: restored with its neighbours only
            if not (
                self.policy.restores(IDENTIFIER, IDENTIFIER)
                if word_key.startswith(_WORD) else self.policy.restores("TERM", TERM)
            ):
                continue
            original = word_key.removeprefix(_WORD)
            for variant in (str.upper, str.lower, str.capitalize):
                if variant(word) not in t.reverse:
                    t.reverse[variant(word)] = new_rev[variant(word)] = variant(original)
        t.kept.update(new_rev)  # what later turns restore with (they add the escapes anew)
        # The same pairs as they appear inside JSON strings (tool-call arguments, tool results).
        for table, pairs in ((t.forward, new_fwd), (t.reverse, new_rev)):
            for k, v in list(pairs.items()):
                for ascii_only in (False, True):
                    ek = _esc(k, ascii_only)
                    if ek != k and ek not in table:
                        table[ek] = _esc(v, ascii_only)
                        if table is t.forward:
                            new_fwd[ek] = table[ek]
                            if k in t.unbounded:
                                t.unbounded.add(ek)
                            if k in t.redacted:
                                t.redacted.add(ek)

        allow = self.policy.allow
        unbounded = t.unbounded
        hosts = t.hosts
        identifier_words = {v for v, o in t.origins.items() if o[1] == IDENTIFIER} \
            if self.policy.identifiers != "all" else set()

        def accept(text: str, start: int, end: int) -> bool:
            if allow and _allowed_at(allow, text, start, end):
                return False
            key = text[start:end]
            if key in unbounded:
                inside = (start > 0 and _ident_char(text[start - 1])) or (
                    end < len(text) and _ident_char(text[end]))
                if not inside or key not in identifier_words:
                    return True
                # an identifier word inside a longer identifier: only where it was found
                return _enclosing(text, start, end) in hosts.get(key, ())
            if start > 0 and _is_word(key[0]) and _is_word(text[start - 1]):
                return False
            return not (end < len(text) and _is_word(key[-1]) and _is_word(text[end]))

        if t.fwd is None or new_fwd or hosts_grew:
            t.fwd = Replacer(t.forward, accept=accept)
            t.red = Replacer({k: v for k, v in t.forward.items() if k in t.redacted},
                             accept=accept)
        if t.rev is None or new_rev:
            t.rev = Replacer(t.reverse)
        assert t.red is not None
        anon = [sent[i] if i in sent else t.fwd.replace(tx) for i, tx in enumerate(texts)]
        mapping = Mapping(
            forward=t.forward,
            reverse=t.rev,
            redacted=t.red,
            replacer=t.fwd,
            origins=t.origins,
            findings=[
                FindingSummary(ty, c, r, a, n, fp) for (ty, c, r, a, fp), n in t.summaries.items()
            ],
            state=State(atoms, t.dummies, dict(dummies.term_bases), t.kept, t.reverse),
        )
        return mapping, anon, t


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
                if under_private_suffix(dom):  # deploy@build-07.lan: the host is private too
                    return f"{local}@{self.domain(dom)}"
                return f"{local}@{self.sub_known(dom)}"

            return self._pick(atom.value, make)
        return self._pick(
            atom.value, lambda a: self.s.value(atom.type, atom.category, atom.value, a)
        )


def at_word_boundary(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` neither starts nor ends inside a word: the test the veil's
    replacement applies to bounded values, for callers that replay a mapping (the loop)."""
    if start > 0 and _is_word(text[start]) and _is_word(text[start - 1]):
        return False
    return not (end < len(text) and _is_word(text[end - 1]) and _is_word(text[end]))


def restorations(mapping: Mapping) -> dict[str, str]:
    """A copy of every dummy -> real value pair of a mapping, for callers that merge mappings."""
    return dict(mapping.reverse.table)
