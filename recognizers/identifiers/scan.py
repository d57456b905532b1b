"""What one pass over a request's slots collects: the private definitions and the evidence
(public imports, project modules, unresolved references) the replacement policy weighs.
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from recognizers.code.vocabulary import (
    is_proprietary_word,
    is_public_name,
    programming_words,
    split_identifier,
)
from recognizers.identifiers.builtins import is_builtin

_TYPE_OF = {
    "class": "CLASS_NAME", "function": "FUNCTION_NAME", "method": "FUNCTION_NAME",
    "variable": "VARIABLE_NAME", "parameter": "VARIABLE_NAME", "field": "VARIABLE_NAME",
    "label": "VARIABLE_NAME", "table": "VARIABLE_NAME", "constant": "CONSTANT_NAME",
    "module": "MODULE_NAME", "package": "MODULE_NAME", "type": "TYPE_NAME",
}
SCREAMING = re.compile(r"^_*[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$|^_*[A-Z]{2,}[0-9]*$")

# (absolute start, end, the token's text, role, detail, language)
CodeToken = tuple[int, int, str, str, str, str | None]


class Words:
    """A set of words kept as their sorted hashes: a policy of 100,000 terms gives ~150,000
    words, 1 MB this way instead of 12. Two words with one 64-bit hash would make a word the
    company's: vanishingly rare, and on the side of hiding."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        hashes = array("q", map(hash, words))  # 8 bytes a word while it is built, too
        self._hashes = array("q", sorted(set(hashes)))

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        h = hash(word)
        i = bisect.bisect_left(self._hashes, h)
        return i < len(self._hashes) and self._hashes[i] == h

    def __len__(self) -> int:
        return len(self._hashes)


@dataclass(frozen=True)
class Internal:
    """What the policy names as the company's own: words of its terms and internal packages,
    and the package prefixes (lower case)."""

    words: Words = field(default_factory=Words)
    prefixes: tuple[str, ...] = ()

    # the prefixes by length: a module is looked up once per length, not once per prefix
    _by_length: tuple[tuple[int, frozenset[str]], ...] = field(
        init=False, repr=False, compare=False, default=())

    def __post_init__(self) -> None:
        by_length: dict[int, set[str]] = {}
        for p in self.prefixes:
            by_length.setdefault(len(p), set()).add(p)
        object.__setattr__(self, "_by_length", tuple(
            (n, frozenset(same)) for n, same in sorted(by_length.items())))

    def under_prefix(self, module: str) -> bool:
        """Whether ``module`` (lower case) starts with one of the internal package prefixes."""
        return any(module[:n] in same for n, same in self._by_length if n <= len(module))


class ImportRef(NamedTuple):
    """One imported name or path, read from a code segment (offsets absolute in the slot)."""

    name: str
    module: str
    path: bool  # a string import path ("./store"), not a name
    start: int
    end: int


@dataclass
class Def:
    name: str
    type: str
    language: str | None


@dataclass
class Scan:
    """What one pass over a request's texts found."""

    defs: dict[str, Def] = field(default_factory=dict)  # private identifier -> definition
    public_words: set[str] = field(default_factory=set)  # lower-case words of public imports
    public_names: set[str] = field(default_factory=set)  # names bound by public imports
    # names the code reaches through a public import or header (``nn.Conv2d``, ``klog.Infof``,
    # C's ``curl_easy_setopt``): no word inside them is ever replaced
    public_uses: set[str] = field(default_factory=set)
    public_paths: set[str] = field(default_factory=set)  # parts of public import paths
    # of those, the members of a standard or well-known module (``nn.LSTM``, ``F.relu``): a
    # private name of the same word (``self.lstm``) is no reason to hide the word
    public_members: set[str] = field(default_factory=set)
    # per text: (absolute start, end, text of the token, role, detail, language)
    code_tokens: list[list[tuple[int, int, str, str, str, str | None]]] = field(
        default_factory=list)
    member_defs: set[str] = field(default_factory=set)  # names defined as fields/methods/params
    project_modules: set[str] = field(default_factory=set)  # dirs and stems of project files
    module_prefixes: set[str] = field(default_factory=set)  # go.mod `module` paths (lower case)
    imported: set[str] = field(default_factory=set)  # every name bound by an import
    # references nothing in the prompt declares or imports: (name, language, type)
    # (name, language, kind, receiver it is a member of)
    unresolved: list[tuple[str, str | None, str, str]] = field(default_factory=list)
    declared: set[str] = field(default_factory=set)  # every name any code declares or imports
    jvm_packages: set[str] = field(default_factory=set)  # "com.acme" of `package com.acme.x;`
    # variable -> the class it was made from (``c = VekrufexClient(...)``): the members of an
    # instance of a private class are the project's own
    instances: dict[str, str] = field(default_factory=dict)
    # (slot, imports, language) of each code segment: judged once every slot is scanned
    imports: list[tuple[int, tuple[ImportRef, ...], str | None]] = field(default_factory=list)

    def copy(self) -> Scan:
        """A copy to merge more slots into (``code_tokens`` is not copied)."""
        return Scan(
            defs=dict(self.defs), public_words=set(self.public_words),
            public_names=set(self.public_names), public_uses=set(self.public_uses),
            public_paths=set(self.public_paths), public_members=set(self.public_members),
            member_defs=set(self.member_defs),
            project_modules=set(self.project_modules),
            module_prefixes=set(self.module_prefixes), imported=set(self.imported),
            unresolved=list(self.unresolved), declared=set(self.declared),
            jvm_packages=set(self.jvm_packages), imports=list(self.imports),
            instances=dict(self.instances),
        )

    def merge(self, other: Scan, slot: int) -> None:
        """Add what the ``slot``-th slot's own scan found (``self`` wins on a name both
        define)."""
        self.imports.extend((slot, refs, lang) for _, refs, lang in other.imports)
        for name, d in other.defs.items():
            self.defs.setdefault(name, d)
        self.public_words |= other.public_words
        self.public_names |= other.public_names
        self.public_uses |= other.public_uses
        self.public_paths |= other.public_paths
        self.public_members |= other.public_members
        self.member_defs |= other.member_defs
        self.project_modules |= other.project_modules
        self.module_prefixes |= other.module_prefixes
        self.imported |= other.imported
        self.unresolved.extend(other.unresolved)
        self.declared |= other.declared
        self.jvm_packages |= other.jvm_packages
        for var, cls in other.instances.items():
            self.instances.setdefault(var, cls)



def define(name: str, detail: str, language: str | None, scan: Scan) -> None:
    """Record ``name`` as a private definition unless it is short, known or public."""
    if len(name) < 3 or name in scan.defs:
        return
    if is_public_name(name, language, scan.public_names) or is_builtin(name):
        return
    typ = _TYPE_OF.get(detail, "VARIABLE_NAME")
    if typ == "VARIABLE_NAME" and SCREAMING.match(name):
        typ = "CONSTANT_NAME"
    scan.defs[name] = Def(name, typ, language)


def identifier_words(name: str) -> list[str]:
    return [name[s:e] for s, e in split_identifier(name)]


def has_proprietary(name: str, public_words: set[str] | frozenset[str] = frozenset()) -> bool:
    if name.lower() in programming_words():
        return False  # PostgreSQL, ClickHouse: one word of the trade, whatever its parts are
    return any(is_proprietary_word(name[s:e]) and name[s:e].lower() not in public_words
               for s, e in split_identifier(name))



@lru_cache(maxsize=8192)  # a prompt's names recur; this is asked for each occurrence
def kind_from_case(name: str) -> str:
    if SCREAMING.match(name):
        return "constant"
    if name[:1].isupper():
        return "class"
    return "function"

