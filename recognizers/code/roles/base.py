"""Helpers every role function uses: a node's ancestors and their field names."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

SCREAMING = re.compile(r"^_*[A-Z][A-Z0-9_]*$")

#: A role rule: a tree-sitter query pattern (``ID``: any identifier kind, ``@id``: the
#: identifier) and the role of what it captures: a fixed (role, detail); a function of the
#: identifier node, its text and the walk's context; or ASK: the language's role function
#: decides, given the identifier's ancestors.
Action = Any  # (role, detail) | Callable[[Any, str, Any], tuple[str, str]] | Inside | ASK
Rule = tuple[str, Action]
ASK = ("?", "?")


class Inside(NamedTuple):
    """A rule whose pattern captures whole nodes (``(import_statement) @id``): an identifier
    anywhere inside one is the role function's to judge (an ``in_types`` test, exact at any
    depth), unless ``role`` (the node, the identifier, its text, the walk's context) gives its
    role: None sends it to the role function."""

    role: Callable[[Any, Any, str, Any], tuple[str, str] | None] | None = None


def within(types: Iterable[str], role: Inside | None = None) -> list[Rule]:
    """The identifiers inside a node of ``types``: the role function (or ``role``) decides."""
    return [(f"({t}) @id", role or Inside()) for t in sorted(types)]


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

