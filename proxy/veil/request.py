"""One request's slots as detection sees them: which are new, which were seen (and sent) before.

A slot is detected in units: its text, then each JSON string inside it that reads differently
unescaped (a PEM key inside tool-call arguments). The recognizers' evidence for a unit is taken
from the cache when the slot was seen before; only the new units are detected, in one batch per
recognizer. Findings are then computed from the evidence of every unit (a name defined in the
first message is found where the last one mentions it) for the units that will be replaced:
the new slots, and under ``history: rewrite`` the resent ones too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import ahocorasick

from proxy.veil.history import SlotCache, SlotRecord, State
from proxy.veil.restore import Replacer
from proxy.veil.tables import Tables
from recognizers.base import IDENTIFIER, TERM, Finding, Recognizer
from recognizers.budget import check
from recognizers.context import DetectionContext


@dataclass
class Prior:
    """The dummies the slots already sent in this request went out with (their States,
    merged): they keep them, so that what was sent stays what is sent."""

    atoms: dict[str, Any] = field(default_factory=dict)
    dummies: dict[str, str] = field(default_factory=dict)  # value -> dummy
    term_bases: dict[str, str] = field(default_factory=dict)
    reverse: dict[str, str] = field(default_factory=dict)  # dummy -> value (without escapes)
    latest: State | None = None  # the newest State merged
    single: bool = True  # whether it held all the others
    ancestors: frozenset[int] = frozenset()  # the serials of every State merged


@dataclass(frozen=True)
class Haystack:
    new: str  # the new slots, as the client sent them
    new_lower: str
    old: str = ""  # the slots sent before, as they went out
    old_lower: str = ""

    @property
    def text(self) -> str:
        return f"{self.new}\x00{self.old}" if self.old else self.new

    @property
    def lower(self) -> str:
        return f"{self.new_lower}\x00{self.old_lower}" if self.old else self.new_lower


class SlotRequest:
    def __init__(self, recognizers: Sequence[Recognizer], cache: SlotCache | None,
                 texts: Sequence[str], stable: bool, keys: Sequence[bytes] | None = None
                 ) -> None:
        self.recognizers = recognizers
        self.cache = cache
        self.texts = list(texts)
        self.keys: list[bytes] = (
            [] if cache is None else list(keys) if keys is not None
            else [cache.key(t) for t in texts]
        )
        self.records: list[SlotRecord | None] = (
            [cache.get(k) for k in self.keys] if cache is not None else [None] * len(texts)
        )
        # slot -> the text sent for it before (kept as it is under `history: stable`)
        self.sent: dict[int, str] = {
            i: r.sent for i, r in enumerate(self.records)
            if stable and r is not None and r.sent is not None and r.state is not None
        }
        self.units: list[str] = []
        self.owner: list[int] = []  # the slot of each unit
        self.evidence: list[tuple[Any, ...] | None] = []
        self.leaves: list[tuple[str, ...]] = []

    def detect(self) -> list[tuple[str, list[Finding]]]:
        """(unit text, findings) of every unit that will be replaced."""
        fresh: list[int] = []
        for i, text in enumerate(self.texts):
            rec = self.records[i]
            leaves = rec.leaves if rec is not None else tuple(json_leaves(text))
            self.leaves.append(leaves)
            for j, unit in enumerate((text, *leaves)):
                self.units.append(unit)
                self.owner.append(i)
                if rec is not None:
                    self.evidence.append(rec.evidence[j])
                else:
                    self.evidence.append(None)
                    fresh.append(len(self.units) - 1)
        ctxs = {u: DetectionContext(self.units[u]) for u in fresh}
        if fresh:
            per_recognizer = []
            for r in self.recognizers:
                check()
                per_recognizer.append(r.evidence([ctxs[u] for u in fresh]))
            for k, u in enumerate(fresh):
                self.evidence[u] = tuple(ev[k] for ev in per_recognizer)
        targets = [
            (u, ctxs.get(u) or DetectionContext(self.units[u]))
            for u in range(len(self.units)) if self.owner[u] not in self.sent
        ]
        found: dict[int, list[Finding]] = {u: [] for u, _ in targets}
        if targets:
            for k, r in enumerate(self.recognizers):
                check()
                got = r.combine([ev[k] for ev in self.evidence], targets)  # type: ignore[index]
                for (u, _), findings in zip(targets, got, strict=True):
                    found[u].extend(findings)
        return [(self.units[u], found[u]) for u, _ in targets]

    def prior(self) -> Prior:
        """The States the slots sent before went out with, merged: they keep their dummies."""
        out = Prior()
        states = {id(r.state): r.state for i, r in enumerate(self.records)
                  if i in self.sent and r is not None and r.state is not None}
        # A conversation's latest State holds all of its earlier ones: merge it alone.
        covered: set[int] = set()
        for state in sorted(states.values(), key=lambda st: -len(st.ancestors)):
            if state.serial in covered:
                continue
            if out.latest is None:
                out.latest = state
            else:
                out.single = False
            covered |= state.ancestors | {state.serial}
            for value, atom in state.atoms.items():
                if value not in out.atoms or atom.count > out.atoms[value].count:
                    out.atoms[value] = atom
            for value, dummy in state.dummies.items():
                out.dummies.setdefault(value, dummy)
            for word, base in state.term_bases.items():
                out.term_bases.setdefault(word, base)
            for dummy, value in state.reverse.items():
                out.reverse.setdefault(dummy, value)
        out.ancestors = frozenset(covered)
        return out

    def sent_restore(self, restore: Callable[[str], str], table: dict[str, str],
                     prior: Prior, absent: Callable[[str], bool] = lambda _: False) -> bool:
        """Whether every slot sent before restores under ``table`` (``restore``) as it did when
        it went out. Proven without a pass over them when the conversation's latest State
        verified them all, this table keeps its pairs, and no new key occurs in them: the
        dummies chosen now were checked absent from what went out (``absent``), so only the
        other new keys (JSON escapes of a dummy, mostly none) are searched for."""
        if not self.sent:
            return True
        latest = prior.latest
        if latest is not None and prior.single and all(
            self.keys[i] in latest.slots for i in self.sent
        ):
            old = latest.restore_table
            if old.items() <= table.items():  # every old pair kept (a set test, in C)
                fresh = [k for k in table if k not in old and not absent(k)]
                if not fresh or not _occurs(fresh, "\x00".join(self.sent.values())):
                    return True
        replacers: dict[int, Replacer] = {}  # many sent slots share a State
        for i, text in self.sent.items():
            state = self.records[i].state  # type: ignore[union-attr]
            r = replacers.get(id(state))
            if r is None:
                r = replacers[id(state)] = Replacer(state.restore_table)
            if restore(text) != r.replace(text):
                return False
        return True

    def haystack(self, prior: Prior) -> Haystack:
        """The text a new dummy must not occur in: the new slots, and what went out for the
        slots sent before (kept from the last turn, so not lower-cased again)."""
        new = "\x00".join(t for i, t in enumerate(self.texts) if i not in self.sent)
        if not self.sent:
            return Haystack(new, new.lower())
        latest = prior.latest
        kept = (
            self.cache.haystack(latest.serial)
            if self.cache is not None and latest is not None and prior.single
            and all(self.keys[i] in latest.slots for i in self.sent) else None
        )
        if kept is None:
            old = "\x00".join(self.sent.values())
            kept = (old, old.lower())
        return Haystack(new, new.lower(), *kept)

    def late(self, atoms: dict[str, Any], known: Sequence[str], haystack: Haystack
             ) -> list[Any]:
        """Values found now that an earlier slot, sent before they were known, holds in clear:
        a later message revealed them (a definition, a person's context)."""
        if not atoms:
            return []
        if self.sent:
            text, lower = haystack.old, haystack.old_lower  # the sent slots, as they went out
        else:
            earlier = [self.texts[i] for i, r in enumerate(self.records)
                       if r is not None and r.state is not None]
            if not earlier:
                return []
            text, lower = "\x00".join(earlier), ""
        known_values = set(known)
        out = []
        for value, atom in atoms.items():
            if value in known_values:
                continue
            if atom.category in (TERM, IDENTIFIER):  # found in any letter case
                lower = lower or text.lower()
                hit = value.lower() in lower
            else:
                hit = value in text
            if hit:
                out.append(atom)
        return out

    def known(self) -> list[str]:
        """Every value a State of this request's slots already held."""
        # many slots share one State (a turn's): each is merged once
        states = {id(r.state): r.state for r in self.records
                  if r is not None and r.state is not None}
        out: set[str] = set()
        for state in states.values():
            out.update(state.atoms)
        return list(out)

    def remember(self, anon: Sequence[str], state: State, haystack: Haystack,
                 tables: Tables | None = None) -> None:
        """Keep each slot's evidence, and what was sent for it, for the turns to come."""
        if self.cache is None:
            return
        start = 0
        new_anon = []
        # the State is shared by the slots it first went out with: its size counts once
        extra = state.size
        for i, text in enumerate(self.texts):
            n = 1 + len(self.leaves[i])
            if i in self.sent:
                start += n
                continue
            evidence = tuple(self.evidence[start:start + n])
            start += n
            new_anon.append(anon[i])
            self.cache.put(
                self.keys[i],
                SlotRecord(evidence, self.leaves[i], sent=anon[i], state=state),
                len(text) + extra,
            )
            extra = 0
        # all that went out this turn, for the next one's checks
        added = "\x00".join(new_anon)
        self.cache.keep_turn(state.serial, f"{added}\x00{haystack.old}",
                             f"{added.lower()}\x00{haystack.old_lower}", tables)


def _occurs(keys: Sequence[str], text: str) -> bool:
    ac = ahocorasick.Automaton()
    for k in keys:
        if k:
            ac.add_word(k, k)
    if not len(ac):
        return False
    ac.make_automaton()
    return next(ac.iter(text), None) is not None


_JSON_START = re.compile(r"\s*[\[{]")


def json_leaves(text: str) -> list[str]:
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
