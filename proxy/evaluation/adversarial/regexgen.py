"""Strings that match a regular expression, drawn from a seeded RNG (for gitleaks' rules).

gitleaks writes its rules in Go's RE2 syntax; ``python_pattern`` turns the few RE2 spellings
Python's ``re`` lacks (POSIX classes, ``(?i)`` after the start, ``\\z``) into Python's. The
generator walks Python's own parse of the pattern. Optional context (a repeat that may be empty)
is left empty and an alternative that is an anchor is preferred, so what comes out is the
shortest plausible match around a full-length secret.
"""

from __future__ import annotations

import random
import re
import string
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as P  # type: ignore[attr-defined]
from typing import Any

_POSIX = {
    "alnum": "a-zA-Z0-9", "alpha": "a-zA-Z", "digit": "0-9", "xdigit": "0-9a-fA-F",
    "upper": "A-Z", "lower": "a-z", "space": r"\s", "word": r"\w", "punct": r"!-/:-@\[-`{-~",
}
_PRINTABLE = [c for c in string.printable if c not in "\t\n\r\x0b\x0c"]
_CATEGORIES = {
    C.CATEGORY_DIGIT: string.digits,
    C.CATEGORY_WORD: string.ascii_letters + string.digits + "_",
    C.CATEGORY_SPACE: " ",
    C.CATEGORY_NOT_DIGIT: string.ascii_letters,
    C.CATEGORY_NOT_WORD: " .-",
    C.CATEGORY_NOT_SPACE: string.ascii_letters + string.digits,
}


def python_pattern(go: str) -> tuple[str, int]:
    """(Python pattern, flags) for a Go RE2 pattern."""
    flags = 0
    if "(?i)" in go:
        flags |= re.IGNORECASE
        go = go.replace("(?i)", "")
    go = re.sub(r"\[:(\w+):\]", lambda m: _POSIX[m.group(1)], go)
    return go.replace(r"\z", r"\Z"), flags


class Generator:
    """Draws one match of ``pattern`` per call; ``max_extra`` bounds unbounded repeats."""

    def __init__(self, pattern: str, flags: int = 0, max_extra: int = 8) -> None:
        self.tree = P.parse(pattern, flags)
        self.max_extra = max_extra

    def __call__(self, rng: random.Random) -> str:
        groups: dict[int, str] = {}
        return self._seq(self.tree, rng, groups)

    def _seq(self, items: Any, rng: random.Random, groups: dict[int, str]) -> str:
        return "".join(self._one(op, av, rng, groups) for op, av in items)

    def _one(self, op: Any, av: Any, rng: random.Random, groups: dict[int, str]) -> str:
        if op is C.LITERAL:
            return chr(av)
        if op is C.NOT_LITERAL:
            return rng.choice([c for c in string.ascii_letters if ord(c) != av])
        if op is C.ANY:
            return rng.choice(string.ascii_letters + string.digits)
        if op is C.IN:
            return rng.choice(_charset(av))
        if op is C.BRANCH:
            alts = av[1]
            empty = [a for a in alts if all(o is C.AT for o, _ in a)]
            return self._seq(empty[0] if empty else rng.choice(alts), rng, groups)
        if op is C.SUBPATTERN:
            gid, _add, _del, sub = av
            text = self._seq(sub, rng, groups)
            if gid:
                groups[gid] = text
            return text
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
            lo, hi, sub = av
            if lo == 0:
                n = 0
            else:
                top = lo + self.max_extra if hi is C.MAXREPEAT else hi
                n = rng.randint(lo, max(lo, min(top, lo + self.max_extra)))
            return "".join(self._seq(sub, rng, groups) for _ in range(n))
        if op is C.GROUPREF:
            return groups.get(av, "")
        if op is C.CATEGORY:
            return rng.choice(_CATEGORIES.get(av, string.ascii_letters))
        # anchors, lookarounds, conditional groups: contribute nothing
        return ""


def _charset(items: Any) -> list[str]:
    allowed: set[str] = set()
    negate = False
    for op, av in items:
        if op is C.NEGATE:
            negate = True
        elif op is C.LITERAL:
            allowed.add(chr(av))
        elif op is C.RANGE:
            lo, hi = av
            allowed.update(chr(c) for c in range(lo, min(hi, 0x7E) + 1))
        elif op is C.CATEGORY:
            allowed.update(_CATEGORIES.get(av, ""))
    if negate:
        allowed = {c for c in _PRINTABLE if c not in allowed and c not in "\"'`\\"}
    # whitespace in a class is context: a space reads better than a tab or a newline
    out = sorted(c for c in allowed if c in _PRINTABLE or c == " ")
    return out or sorted(allowed) or ["x"]
