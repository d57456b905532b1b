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

from recognizers.context import DetectionContext

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
        """Findings per slot of one request. Recognizers whose findings in one slot inform the
        others (a name found in one slot is replaced in all) override this."""
        return [self.analyze(c) for c in ctxs]
