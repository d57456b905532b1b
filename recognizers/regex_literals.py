"""What every match of a regular expression must hold, read from its parsed form: literals to
look for with ``in`` (far cheaper than a regex that fails), and the literals a match starts with.
Used to skip rules and branches that cannot match a text at all."""

from __future__ import annotations

import re
import re._constants as _sre
import re._parser as _sre_parse
from typing import Any


def parse_pattern(regex: re.Pattern[str] | str, flags: int = 0) -> Any:
    """The parsed form of a pattern (``re``'s own parser)."""
    if isinstance(regex, re.Pattern):
        return _sre_parse.parse(regex.pattern, regex.flags)
    return _sre_parse.parse(regex, flags)


def alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern's text (``a|b(c|d)`` -> ``a``, ``b(c|d)``)."""
    out: list[str] = []
    depth, in_class, start, i = 0, False, 0, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if pattern.startswith("]", i + 1) or pattern.startswith("^]", i + 1):
                i += 2 if pattern[i + 1] == "]" else 3  # a leading "]" is a member
                continue
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    out.append(pattern[start:])
    return out


def required(items: Any, min_len: int = 3) -> set[str]:
    """Lower-cased literals of ``min_len``+ characters that every match of a parsed pattern
    holds."""
    out: set[str] = set()
    run: list[str] = []

    def flush() -> None:
        if len(run) >= min_len:
            out.add("".join(run))
        run.clear()

    for op, av in items:
        if op is _sre.LITERAL:
            run.append(chr(av).lower())
            continue
        flush()
        if op is _sre.SUBPATTERN:
            out |= required(av[3], min_len)
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and av[0] >= 1:
            out |= required(av[2], min_len)
        elif op is _sre.BRANCH and av[1]:
            out |= set.intersection(*(required(b, min_len) for b in av[1]))
    flush()
    return out


def _item_prefixes(op: Any, av: Any) -> tuple[set[str], bool] | None:
    if op is _sre.LITERAL:
        return {chr(av).lower()}, True
    if op is _sre.SUBPATTERN:
        return prefixes(av[3])
    if op is _sre.BRANCH:
        out: set[str] = set()
        complete = True
        for b in av[1]:
            f = prefixes(b)
            if f is None:
                return None
            out |= f[0]
            complete = complete and f[1]
        return out, complete
    return None


def prefixes(items: Any) -> tuple[set[str], bool] | None:
    """Lower-cased literals one of which starts every match, and whether they are the whole
    match (None: not known)."""
    acc = {""}
    for op, av in items:
        f = _item_prefixes(op, av)
        if f is None:
            return (acc, False) if acc != {""} else None
        acc = {a + x for a in acc for x in f[0]}
        if len(acc) > 64 or not f[1]:
            return acc, False
    return acc, True
