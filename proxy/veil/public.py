"""The client's own vocabulary: names a request declares, which are public by definition.

A coding agent declares its tools (``EnterWorktree``, ``write_stdin``), their parameters
(``timeout_ms``) and the model it talks to (``claude-opus-4-8``), and its system prompt talks about
them ("a worktree", "Claude Opus"). None of that is the company's: renaming it breaks the agent
(the model calls a tool that does not exist) and teaches an observer nothing. So the words of
those names are public for the request, wherever they appear in it.

Only identifier and person-like findings are dropped for them. A policy term is never public,
even inside a declared name (``quorvex_deploy`` still hides ``quorvex``), and secrets, e-mail
addresses, hosts and numbers are never judged by their words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from recognizers.base import IDENTIFIER
from recognizers.code.vocabulary import split_identifier

# Finding types that are names made of words, and so can be the client's own words.
_WORDY_TYPES = frozenset({"PERSON", "USERNAME"})
_SPACES = re.compile(r"\s+")


def words_of(name: str) -> list[str]:
    """The lower-cased words of a name or phrase (``EnterWorktree`` → enter, worktree)."""
    return [
        piece[s:e].lower()
        for piece in _SPACES.split(name)
        for s, e in split_identifier(piece)
        if not piece[s:e].isdigit()
    ]


@dataclass(frozen=True)
class PublicVocabulary:
    """Declared names and their words, minus anything the policy lists as a term."""

    names: frozenset[str] = frozenset()
    words: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, names: Iterable[str], is_term: Callable[[str], bool]) -> PublicVocabulary:
        names = frozenset(n for n in names if n and not is_term(n))
        words = {w for n in names for w in words_of(n)}
        return cls(names, frozenset(w for w in words if not is_term(w)))

    def __bool__(self) -> bool:
        return bool(self.names)

    @staticmethod
    def judges(type_: str, category: str) -> bool:
        """Whether findings of this kind can be the client's words (names, not values)."""
        return category == IDENTIFIER or type_ in _WORDY_TYPES

    def covers(self, value: str) -> bool:
        """Whether ``value`` is a declared name or made only of their words."""
        if value in self.names:
            return True
        words = words_of(value)
        return bool(words) and all(w in self.words for w in words)
