"""The replacement tables of a request, built on those of the conversation's previous turn.

A conversation's values and dummies only grow from turn to turn, so the tables of a turn are
the previous turn's plus the pairs of its new values: copying them and adding those costs far
less than deriving every JSON-escaped and case variant of every value again. The automata are
rebuilt only when their table gained keys.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from proxy.veil.restore import Replacer

# (type, category, recognizer, action, fingerprint): one line of the audit log's findings
SummaryKey = tuple[str, str, str, str, str]


@dataclass
class Tables:
    forward: dict[str, str] = field(default_factory=dict)  # value (and escapes) -> dummy
    reverse: dict[str, str] = field(default_factory=dict)  # dummy (and variants) -> value
    kept: dict[str, str] = field(default_factory=dict)  # reverse without the JSON escapes
    unbounded: set[str] = field(default_factory=set)  # replaced inside words too
    # identifier word -> the longer identifiers it is replaced inside (engine._Atom.hosts)
    hosts: dict[str, frozenset[str]] = field(default_factory=dict)
    redacted: set[str] = field(default_factory=set)  # never restored
    origins: dict[str, tuple[str, str, str, float, str]] = field(default_factory=dict)
    summaries: Counter[SummaryKey] = field(default_factory=Counter)
    # the audit log's line of each key, as last built (most keys keep their count every turn)
    summary_lines: dict[SummaryKey, Any] = field(default_factory=dict)
    bases_done: set[str] = field(default_factory=set)  # term words whose variants are in
    dummies: dict[str, str] = field(default_factory=dict)  # value -> dummy (no escapes)
    # built for these tables (None: to build)
    fwd: Replacer | None = None
    rev: Replacer | None = None
    red: Replacer | None = None

    def copy(self) -> Tables:
        """The tables to extend (the automata are shared until a table gains keys)."""
        return Tables(
            forward=dict(self.forward), reverse=dict(self.reverse), kept=dict(self.kept),
            unbounded=set(self.unbounded), hosts=dict(self.hosts), redacted=set(self.redacted),
            origins=dict(self.origins), summaries=Counter(self.summaries),
            summary_lines=dict(self.summary_lines),
            bases_done=set(self.bases_done), dummies=dict(self.dummies), fwd=self.fwd,
            rev=self.rev, red=self.red,
        )

    @property
    def size(self) -> int:
        """Roughly the characters held: what the cache counts against its budget."""
        fwd = self.forward
        return (sum(map(len, fwd)) + sum(map(len, fwd.values()))) * 3 + 64 * len(self.origins)
