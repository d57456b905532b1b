"""The shared vocabulary of detection: a Finding and the Recognizer protocol.

Every recognizer scans one text and returns Findings: character spans of that text, each with a
type (``AWS_ACCESS_KEY_ID``, ``EMAIL``, ``COMPANY`` ...) and the category the policy acts on.
A Finding spans exactly the part that must be replaced (the password inside a connection string,
not the whole URL), so the veil can keep the public rest of the text intact.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

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


class Recognizer(Protocol):
    """Anything with a name, a category and ``analyze(text) -> list[Finding]``."""

    name: str
    category: str

    def analyze(self, text: str) -> list[Finding]: ...
