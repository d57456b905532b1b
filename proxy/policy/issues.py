"""A problem of a policy file, where it is, and the error that carries a file's problems."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Issue:
    """One problem of a policy file, where it is."""

    file: str
    line: int
    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.key}: {self.message}"


class PolicyError(ValueError):
    """A policy file that cannot be used; the message names the file, line and key."""

    def __init__(self, message: str, issues: list[Issue] | None = None) -> None:
        super().__init__(message)
        self.issues = issues or []


def format_issues(issues: list[Issue]) -> str:
    """The issues one per line, as a PolicyError says them."""
    return "\n".join(
        f"{i.file}:{i.line}: key '{i.key}': {i.message}" if i.line
        else f"{i.file}: key '{i.key}': {i.message}"
        for i in issues
    )
