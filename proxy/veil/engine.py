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
from proxy.veil.dummies import WORD_KEY, Dummies, VeilError
from proxy.veil.history import EMPTY, SlotCache, State
from proxy.veil.public import PublicVocabulary
from proxy.veil.request import Prior, SlotRequest
from proxy.veil.restore import Replacer, StreamReplacer
from proxy.veil.surrogates import Surrogates
from proxy.veil.tables import SummaryKey, Tables
from recognizers.base import IDENTIFIER, PII, SECRET, TERM, Finding, Recognizer
from recognizers.budget import BudgetExceeded, within
from recognizers.context import DetectionContext
from recognizers.english import dictionary
from recognizers.identifiers.scan import has_proprietary
from recognizers.phrases import Phrases
from recognizers.registry import build_recognizers
from recognizers.terms import TermRecognizer

# When one value is found as two types, the more specific category decides its dummy.
_CATEGORY_RANK = {SECRET: 0, PII: 1, TERM: 2, IDENTIFIER: 3}
_IGNORED = frozenset({*IGNORED, "allow"})


__all__ = [
    "Blocked", "BudgetExceeded", "FindingSummary", "Mapping", "Veil", "VeilError",
    "at_word_boundary", "restorations",
]


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
    # the unit of the request it was first found in (in message order): the people a dummy
    # name must not hold are those found up to there (see Veil._attempt)
    first: int = 0


def _case_variants(atoms: dict[str, _Atom], text: str) -> None:
    """A login found once names its account in any letter case (Windows and directory services
    compare logins without case: ``C:\\Users\\JDoe`` and ``jdoe``): its other spellings in the
    request, as whole words, become values of their own."""
    for value, atom in list(atoms.items()):
        if atom.type != "USERNAME" or len(value) < 4 or value.lower() in dictionary():
            continue  # a word taken for a login in one place stays a word elsewhere
        for m in re.finditer(re.escape(value), text, re.IGNORECASE):
            variant, s, e = m.group(), m.start(), m.end()
            if variant == value or variant in atoms:
                continue
            if (s and _joins(text[s - 1], variant[0])) or (
                    e < len(text) and _joins(variant[-1], text[e])):
                continue
            atoms[variant] = _Atom(variant, atom.type, atom.category, atom.recognizer,
                                   count=1, score=atom.score)


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


def _cjk(c: str) -> bool:
    """Han, kana and hangul: scripts written without spaces between words."""
    return "\u2e80" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7af" or "\uf900" <= c <= "\ufaff" \
        or c >= "\U00020000"


def _joins(a: str, b: str) -> bool:
    """Whether two adjacent characters are one word: both alphanumeric, and both CJK or both
    not (``账号是xjiang，`` holds the word ``xjiang``: Chinese runs into Latin without a space)."""
    return a.isalnum() and b.isalnum() and _cjk(a) == _cjk(b)


def _ident_char(c: str) -> bool:
    return c.isalnum() or c in "_$"


_PATH_CHARS = re.compile(r"[\w$.:/-]*")
_PATH_REACH = 256  # characters looked at on each side: each candidate costs a bounded look


def _in_path(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is a part of a path or URL (``<curl/curl.h>``, ``curl.se/docs``):
    a path names something public or a file, not a name the prompt's code defines."""
    if not ((start > 0 and text[start - 1] == "/") or (end < len(text) and text[end] == "/")):
        return False
    left, floor = start, max(0, start - _PATH_REACH)
    while left > floor and _PATH_CHARS.fullmatch(text[left - 1]):
        left -= 1
    run = _PATH_CHARS.match(text, left, min(len(text), end + _PATH_REACH)).group()
    return "://" in run or "." in run.rsplit("/", 1)[-1]


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


# earlier requests replayed at most for a conversation new to this process (history.py), and
# the fewest not sent here that make a gap worth replaying
MAX_REPLAY = 200
_GAP = 3


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
        self._vocabularies = lru_cache(maxsize=16)(self._vocabulary)

    # -- detection -------------------------------------------------------------------------

    def detect(self, text: str) -> list[Finding]:
        ctx = DetectionContext(text)
        found: list[Finding] = []
        for r in self.recognizers:
            found.extend(r.analyze(ctx))
        return found

    def vocabulary(self, names: Iterable[str]) -> PublicVocabulary:
        """The client's declared names as public vocabulary; the policy's terms stay private.
        An agent declares the same tools every turn: the last few vocabularies are kept."""
        return self._vocabularies(frozenset(names))

    def _vocabulary(self, names: frozenset[str]) -> PublicVocabulary:
        return PublicVocabulary.of(names, lambda word: bool(self.terms.analyze(word)))

    def _collect(
        self, found: Iterable[tuple[str, list[Finding]]], public: PublicVocabulary | None = None
    ) -> dict[str, _Atom]:
        """The distinct values of the findings (``found``: each text with its findings) that
        the policy acts on."""
        atoms: dict[str, _Atom] = {}
        decide = self.policy.decide
        for unit, (leaf, findings) in enumerate(found):
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
                bounded = (f.start == 0 or not _joins(leaf[f.start - 1], value[0])) and (
                    f.end == len(leaf) or not _joins(value[-1], leaf[f.end]))
                atom = atoms.get(value)
                if atom is None or (
                    _CATEGORY_RANK.get(f.category, 9) < _CATEGORY_RANK.get(atom.category, 9)
                ):
                    prev = atom
                    atom = _Atom(value, f.type, f.category, f.recognizer, first=unit)
                    if prev is not None:
                        atom.bounded, atom.count = prev.bounded, prev.count
                        atom.hosts, atom.first = prev.hosts, prev.first
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
        cpu_seconds: float | None = None, keys: Sequence[bytes] | None = None,
        turns: Sequence[int] = (),
    ) -> tuple[list[str], Mapping]:
        """``texts`` with every finding replaced, and the Mapping back. ``public``: the names the
        client declared (tools, parameters, its model), left alone wherever they appear.

        With a cache, slots seen before are not detected again, and under ``history: stable``
        a slot already sent goes out exactly as it went out then (see ``history.py``).
        ``cpu_seconds``: the CPU time detection may take (BudgetExceeded beyond it), counted
        in the calling thread. ``keys``: the slots' cache keys, where the caller has them.
        ``turns``: for each slot, the client's request of the conversation that first carried
        it (``wire.base.Slot.turn``: 0 for the first; this request is the last)."""
        with within(cpu_seconds):
            if turns and self.cache is not None and self.policy.history == "stable":
                keys = keys if keys is not None else [self.cache.key(t) for t in texts]
                self._replay(texts, public, keys, turns)
            return self._anonymize(texts, public, reuse=True, keys=keys)

    def _replay(self, texts: Sequence[str], public: PublicVocabulary | None,
                keys: Sequence[bytes], turns: Sequence[int]) -> None:
        """A conversation that went out from elsewhere (another worker or replica, or this
        one before a restart or an eviction): its earlier requests are anonymized first, in
        order, as the client sent them, so that every message goes out as it went out then
        (a value a later message revealed stays as it was sent, a late finding) and the
        provider's prompt cache keeps hitting. Only from the first request not sent here."""
        assert self.cache is not None
        last = max(turns)
        if not last:
            return
        sent = self.cache.sent_all(keys)
        # the first earlier request that holds a slot this process never sent
        first = min((t for t, ok in zip(turns, sent, strict=True) if t < last and not ok),
                    default=None)
        # Replayed when the conversation is new here, or when a stretch of it went out from
        # elsewhere; not for the last request or two a client may never have sent as such (a
        # prefill, a step it took without asking the model)
        if first is None or (first and last - first < _GAP) or last - first > MAX_REPLAY:
            return
        for t in range(first, last):
            idx = [i for i, turn in enumerate(turns) if turn <= t]
            try:
                self._anonymize([texts[i] for i in idx], public, reuse=True,
                                keys=[keys[i] for i in idx])
            except Blocked:
                continue  # refused then: nothing of it went out

    def _anonymize(
        self, texts: Sequence[str], public: PublicVocabulary | None, reuse: bool,
        keys: Sequence[bytes] | None = None,
    ) -> tuple[list[str], Mapping]:
        req = SlotRequest(self.recognizers, self.cache, texts,
                          stable=reuse and self.policy.history == "stable", keys=keys)
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
        _case_variants(atoms, hay.new)
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
            mapping, anon, tables, dummies = self._attempt(
                texts, (joined, joined_lower), atoms, salt, prior, req.sent)
            # Restoring must give back the request exactly, bar what the policy redacts; what
            # was sent before, as it restored then.
            redact = mapping.redacted
            if all(
                mapping.restore(a) == (redact.replace(t) if redact else t)
                for i, (a, t) in enumerate(zip(anon, texts, strict=True)) if i not in req.sent
            ) and req.sent_restore(mapping.restore, mapping.reverse.table, prior,
                                   dummies.proven_absent):
                mapping.findings.extend(late)
                if mapping.state is not None:
                    mapping.state = replace(mapping.state, slots=frozenset(req.keys),
                                            ancestors=prior.ancestors)
                req.remember(anon, mapping.state or EMPTY, hay, tables)
                return anon, mapping
        if req.sent:
            # What went out before cannot be kept with this request's values: send it afresh.
            return self._anonymize(texts, public, reuse=False, keys=req.keys)
        raise VeilError("the dummies of this request would not restore exactly")

    def _attempt(
        self, texts: Sequence[str], haystack: tuple[str, str], found: dict[str, _Atom],
        salt: int, prior: Prior, sent: dict[int, str],
    ) -> tuple[Mapping, list[str], Tables, Dummies]:
        """One try at dummies for every value (``prior``'s keep theirs), and the slots with
        them (``sent`` slots as they went out before); the dummies chosen, with their proofs."""
        dummies = Dummies(self.surrogates, self.terms, self.policy.identifiers == "all",
                          *haystack, salt)
        for value, dummy in prior.dummies.items():
            dummies.used.setdefault(dummy, value)
        dummies.term_bases.update(prior.term_bases)
        # A dummy name holds no other person of the conversation up to where its value first
        # stands (people mentioned earlier, in the same message included): a process that sees
        # the conversation only from a later request draws the same dummy as the one that saw
        # it first (a person introduced later cannot change it).
        earlier_people = {v for v, a in prior.atoms.items() if a.type == "PERSON"}
        new_people = sorted((a.first, v) for v, a in found.items()
                            if a.type == "PERSON" and v not in prior.atoms)
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
        counted: dict[SummaryKey, None] = {}  # audit lines whose count changed, in order
        new_rev: dict[str, str] = {}
        for value, atom in todo.items():
            action = self.policy.action(atom.type, atom.category)
            key = (atom.type, atom.category, atom.recognizer, action,
                   self.surrogates.fingerprint(atom.type, value))
            old = prior.atoms.get(value) if base is not None else None
            if old is not None:  # known, seen more often now: only the count changes
                t.summaries[key] += atom.count - old.count
                counted[key] = None
                continue
            t.origins[value] = (atom.type, atom.category, atom.recognizer, atom.score, action)
            t.summaries[key] += atom.count
            counted[key] = None
            if action == "monitor":
                continue  # recorded for the audit log, left as it is in the request
            if action == "redact":
                dummy = f"[{atom.type}]"
                t.redacted.add(value)
            else:
                if atom.type == "PERSON" and value not in prior.dummies:
                    dummies.set_people(earlier_people.union(
                        v for first, v in new_people if first <= atom.first))
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
                if word_key.startswith(WORD_KEY) else self.policy.restores("TERM", TERM)
            ):
                continue
            original = word_key.removeprefix(WORD_KEY)
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
                        pairs[ek] = table[ek]  # the automata get them with the turn's pairs
                        if table is t.forward:
                            if k in t.unbounded:
                                t.unbounded.add(ek)
                            if k in t.redacted:
                                t.redacted.add(ek)

        allow = self.policy.allow
        unbounded = t.unbounded
        hosts = t.hosts
        identifier_words = {v for v, o in t.origins.items() if o[1] == IDENTIFIER} \
            if self.policy.identifiers != "all" else set()
        # identifiers: all renames whole names; one of ordinary words only (`curl`,
        # `precision`) is no word to hide inside a longer name (`curl_easy_init`)
        whole_names = {v for v, o in t.origins.items() if o[1] == IDENTIFIER and
                       not has_proprietary(v)} if self.policy.identifiers == "all" else set()

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
            if key in whole_names:
                return _enclosing(text, start, end) == key and not _in_path(text, start, end)
            if start > 0 and _joins(text[start - 1], key[0]):
                return False
            return not (end < len(text) and _joins(key[-1], text[end]))

        # The previous turn's automata, with this turn's pairs beside them (restore.py).
        if t.fwd is None or t.red is None:
            t.fwd = Replacer(t.forward, accept=accept)
            t.red = Replacer({k: v for k, v in t.forward.items() if k in t.redacted},
                             accept=accept)
        elif new_fwd or hosts_grew:
            t.fwd = t.fwd.extended(new_fwd, accept)
            t.red = t.red.extended({k: v for k, v in new_fwd.items() if k in t.redacted},
                                   accept)
        if t.rev is None:
            t.rev = Replacer(t.reverse)
        elif new_rev:
            t.rev = t.rev.extended(new_rev)
        assert t.red is not None
        for key in counted:
            ty, c, r, a, fp = key
            t.summary_lines[key] = FindingSummary(ty, c, r, a, t.summaries[key], fp)
        anon = [sent[i] if i in sent else t.fwd.replace(tx) for i, tx in enumerate(texts)]
        mapping = Mapping(
            forward=t.forward,
            reverse=t.rev,
            redacted=t.red,
            replacer=t.fwd,
            origins=t.origins,
            findings=list(t.summary_lines.values()),
            state=State(atoms, t.dummies, dict(dummies.term_bases), t.kept, t.reverse),
        )
        return mapping, anon, t, dummies


def at_word_boundary(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` neither starts nor ends inside a word: the test the veil's
    replacement applies to bounded values, for callers that replay a mapping (the loop)."""
    if start > 0 and _joins(text[start - 1], text[start]):
        return False
    return not (end < len(text) and _joins(text[end - 1], text[end]))


def restorations(mapping: Mapping) -> dict[str, str]:
    """A copy of every dummy -> real value pair of a mapping, for callers that merge mappings."""
    return dict(mapping.reverse.table)
