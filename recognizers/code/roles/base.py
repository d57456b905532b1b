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


#: A rule whose pattern captures whole nodes (``(import_statement) @id``): the role function
#: decides for every identifier inside them (an ``in_types`` test, exact whatever the depth).
INSIDE = ("?", "inside")


def within(types: Iterable[str]) -> list[Rule]:
    """The identifiers inside a node of ``types``: the role function decides."""
    return [(f"({t}) @id", INSIDE) for t in sorted(types)]


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

