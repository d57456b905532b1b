"""The shared vocabulary of detection: a Finding and the Recognizer base class.

Every recognizer scans one text and returns Findings: character spans of that text, each with a
type (``AWS_ACCESS_KEY_ID``, ``EMAIL``, ``COMPANY`` ...) and the category the policy acts on.
A Finding spans exactly the part that must be replaced (the password inside a connection string,
not the whole URL), so the veil can keep the public rest of the text intact.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from recognizers.budget import check
from recognizers.context import DetectionContext, as_context

SECRET = "secret"
PII = "pii"
TERM = "term"
IDENTIFIER = "identifier"
CATEGORIES = (SECRET, PII, TERM, IDENTIFIER)


@dataclass(frozen=True, slots=True)
class Finding:
    start: int
    end: int
    type: str
    category: str
    recognizer: str
    score: float = 1.0

    @property
    def length(self) -> int:
        return self.end - self.start


class Recognizer(ABC):
    """A recognizer finds one family of sensitive values in a :class:`DetectionContext`.

    An abstract base rather than a protocol looked up with ``getattr``: a missing or misspelled
    hook fails when the class is built, not silently at request time.
    """

    name: str
    category: str

    @abstractmethod
    def analyze(self, ctx: DetectionContext | str) -> list[Finding]:
        """Findings in one slot. A bare string is accepted (wrap it with ``as_context``)."""

    def analyze_request(self, ctxs: Sequence[DetectionContext | str]) -> list[list[Finding]]:
        """Findings per slot of one request: a name found in one slot is found in all."""
        contexts = [as_context(c) for c in ctxs]
        return self.combine(self.evidence(contexts), list(enumerate(contexts)))

    # Detection in two steps, so that a gateway can cache the costly first one per slot: agents
    # resend the whole conversation every turn, and only the new slots need detecting.

    def evidence(self, ctxs: Sequence[DetectionContext]) -> list[Any]:
        """What this recognizer learns from each slot on its own. A pure function of the slot's
        text (and the recognizer's configuration), never mutated afterwards: it is cached."""
        out = []
        for c in ctxs:
            check()
            out.append(self.analyze(c))
        return out

    def combine(
        self, evidence: Sequence[Any], targets: Sequence[tuple[int, DetectionContext]]
    ) -> list[list[Finding]]:
        """Findings in the ``targets`` slots (index into ``evidence``, context), given the
        evidence of every slot of the request. Recognizers whose findings in one slot inform the
        others (a name defined in one message is replaced where a later one mentions it)
        override this and ``evidence``."""
        return [list(evidence[i]) for i, _ in targets]
