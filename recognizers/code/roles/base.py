"""Helpers every role function uses: a node's ancestors and their field names."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

SCREAMING = re.compile(r"^_*[A-Z][A-Z0-9_]*$")

#: A role rule: a tree-sitter query pattern (``ID``: any identifier kind, ``@id``: the
#: identifier) and the role of what it captures: a fixed (role, detail); a function of the
#: identifier node, its text and the walk's context; or ASK: the language's role function
#: decides, given the identifier's ancestors.
Action = tuple[str, str] | Callable[[Any, str, Any], tuple[str, str]]
Rule = tuple[str, Action]
ASK = ("?", "?")


def within(types: Iterable[str], depth: int) -> list[Rule]:
    """ASK for identifiers up to ``depth`` levels below a node of ``types`` (``in_types``)."""
    return [(f"({t} {'(_ ' * d}ID @id{')' * d})", ASK)
            for t in sorted(types) for d in range(depth)]


def ancestor(stack: list[tuple[Any, Any, int]], depth: int) -> tuple[Any, str | None]:
    """(ancestor, its field name); stack[-1] is the parent, depth 1 = parent, 2 = grandparent."""
    if len(stack) >= depth:
        node, parent, index = stack[-depth]
        return node, (parent.field_name_for_named_child(index) if parent is not None else None)
    return None, None


def in_types(stack: list[tuple[Any, str | None]], types: frozenset[str], limit: int = 64) -> Any:
    for entry in reversed(stack[-limit:]):
        if entry[0].type in types:
            return entry[0]
    return None

