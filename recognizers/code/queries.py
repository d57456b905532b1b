"""Tokens of a clean parse from one tree-sitter query, matched in C.

The walk in :mod:`recognizers.code.treesitter` visits every named node in Python; most of its
time went to nodes that hold no name. Here one query per language captures, in C, the comments,
the strings and the identifiers, and its role patterns (``roles/<language>.py``: ``RULES``, in the
order of the language's role function) say which identifiers play which role: an identifier that
no pattern captures is a reference, one that a rule captures with a fixed role has it, and one
that a rule marks :data:`ASK` gets its role from the language's role function, given the same
ancestors the walk would have given it. The tokens are those of the walk, exactly.

Only parses without errors take this path, in the languages that have ``RULES``: ``ERROR``
regions and missing nodes need the walk's regex fallbacks. Whatever looks unusual (a zero-width
node, two strings with one span, a node the ancestry cannot place) also goes back to the walk.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from collections.abc import Sequence
from itertools import pairwise
from operator import itemgetter
from typing import Any

from tree_sitter import Language, Query, QueryCursor, QueryError

from recognizers.code.roles.base import ASK, Action, Inside, Rule
from recognizers.code.tokens import COMMENT, IDENTIFIER, IMPORT, REFERENCE, STRING, Token
from recognizers.code.treesitter import (
    _C_COMMENT,
    _C_IDENT,
    _C_STRING,
    _IMPORT_TYPES,
    INTERPOLATION_TYPES,
    RoleFn,
    WalkContext,
    _classify,
    _string_node,
)

_NAME_RE = re.compile(r"\((\w+)")
_FIELD_RE = re.compile(r"(\w+):")
_IMPOSSIBLE = re.compile(r"Impossible pattern at row (\d+)")
_new = tuple.__new__
_START = itemgetter(0)


class _Compiled:
    """One language's query and what its captures mean."""

    def __init__(self, language: Language, rules: Sequence[Rule]) -> None:
        kinds: dict[int, list[str]] = {_C_COMMENT: [], _C_STRING: [], _C_IDENT: []}
        named = set()
        for i in range(language.node_kind_count):
            name = language.node_kind_for_id(i)
            if not name or not language.node_kind_is_named(i) or \
                    not language.node_kind_is_visible(i):
                continue
            named.add(name)
            c = _classify(name, False)
            if c in kinds and name not in kinds[c]:
                kinds[c].append(name)
        parts = [f"[{' '.join(f'({k})' for k in kinds[c])}] @{name}"
                 for c, name in ((_C_COMMENT, "comment"), (_C_STRING, "string"),
                                 (_C_IDENT, "ident")) if kinds[c]]
        # what may be an import's source: the only strings whose parent matters
        parts += [f"({t} (_) @source)" for t in sorted(_IMPORT_TYPES & named)]
        base = len(parts)
        names: list[str | None] = [None] * base
        self.actions: list[tuple[str, Action]] = []
        for n, (pattern, action) in enumerate(rules):
            if any(k not in named for k in _NAME_RE.findall(pattern) if k != "_") or any(
                language.field_id_for_name(f) is None for f in _FIELD_RE.findall(pattern)
            ):
                continue  # a node kind or field this grammar does not have: never matches
            # Any named node where the identifier stands: a rule's captures count only for
            # identifiers (and one impossible kind in an alternation would void the pattern).
            parts.append(pattern.replace("ID", "(_)").replace("@id", f"@r{n}"))
            names.append(f"r{n}")
            self.actions.append((f"r{n}", action))
        while True:  # one pattern a line; drop those the grammar's shapes rule out
            try:
                self.query = Query(language, "\n".join(parts))
                break
            except QueryError as e:
                row = _IMPOSSIBLE.match(str(e))
                if row is None or int(row[1]) < base:
                    raise
                del parts[int(row[1])]
                dropped = names.pop(int(row[1]))
                self.actions = [a for a in self.actions if a[0] != dropped]


_COMPILED: dict[str, _Compiled | None] = {}
_LOCK = threading.Lock()


def compiled(language: str, grammar: Language, rules: Sequence[Rule]) -> _Compiled | None:
    """The language's query, compiled on first use (None: the walk lexes the language)."""
    got = _COMPILED.get(language, False)
    if got is False:
        with _LOCK:
            got = _COMPILED.get(language, False)
            if got is False:
                try:
                    got = _Compiled(grammar, rules)
                except Exception:  # a grammar the patterns do not fit: the walk lexes it
                    got = None
                _COMPILED[language] = got
    return got  # type: ignore[return-value]


class _Path:
    """The ancestors the walk would have kept for a node (``(node, its parent, its index among
    the parent's named children)``, root first), found with one cursor that only moves forward:
    asked in document order, it reads each part of the tree once at most (``node.parent``
    searches down from the root every time)."""

    def __init__(self, tree: Any) -> None:
        self.cursor = tree.walk()
        root = self.cursor.node
        self.path: list[tuple[Any, Any, int]] = [(root, None, 0)]
        self.named = [0]  # per level below the root: named children passed so far
        self.fresh = True  # the cursor stands on the last node of the path (not a child yet)

    def locate(self, node: Any) -> tuple[list[tuple[Any, Any, int]], str | None]:
        """(the ancestors of ``node``, its field name in its parent)."""
        cursor, path, named = self.cursor, self.path, self.named
        s, e, nid = node.start_byte, node.end_byte, node.id
        while len(path) > 1:  # up to the nearest node of the path that holds ``node``
            top = path[-1][0]
            if top.start_byte <= s and e <= top.end_byte and top.id != nid:
                break
            if not self.fresh:
                cursor.goto_parent()
                named.pop()
            path.pop()
            self.fresh = False
        while True:  # down, through the children that hold it
            if self.fresh:
                if not cursor.goto_first_child():
                    raise _Fallback
                named.append(0)
                self.fresh = False
            elif not cursor.goto_next_sibling():
                raise _Fallback
            child = cursor.node
            if not child.is_named:
                continue
            index = named[-1]
            named[-1] += 1
            if child.id == nid:
                parent = path[-1][0]
                return path[:], parent.field_name_for_named_child(index)
            if child.start_byte <= s and e <= child.end_byte:
                path.append((child, path[-1][0], index))
                self.fresh = True


class _Fallback(Exception):
    """Something the query path does not handle exactly: lex with the walk instead."""


def query_lex(tree: Any, ctx: WalkContext, grammar: Language, rules: Sequence[Rule],
              role_fn: RoleFn) -> bool:
    """Append the tokens of ``tree`` to ``ctx.out``; False (and nothing appended) when the
    walk must lex it instead."""
    if tree.root_node.has_error:
        return False
    query = compiled(ctx.language, grammar, rules)
    if query is None:
        return False
    cursor = QueryCursor(query.query)
    caps = cursor.captures(tree.root_node)
    if cursor.did_exceed_match_limit:
        return False
    n = len(ctx.out)
    try:
        _emit(caps, query, ctx, tree, role_fn)
    except (_Fallback, KeyError):
        del ctx.out[n:]
        return False
    # captures come in no useful order: put them in text order by start alone, cheaply, so
    # that the lexer's sort of whole tokens (which decides any tie) finds them in order
    ctx.out[n:] = sorted(ctx.out[n:], key=_START)
    return True


def _emit(caps: dict[str, list[Any]], query: _Compiled, ctx: WalkContext, tree: Any,
          role_fn: RoleFn) -> None:
    """The tokens of the captures, in no particular order."""
    code, kw, out, b2c = ctx.code, ctx.kw, ctx.out, ctx.b2c
    hidden = _stoppers(caps, ctx, out)
    decided: dict[int, Action] = {}
    regions: list[tuple[int, int, Any, Inside]] = []  # where the role function decides
    for name, action in query.actions:
        if isinstance(action, Inside):
            regions += ((*ctx.span(n), n, action) for n in caps.get(name, ()))
            continue
        for node in caps.get(name, ()):
            decided.setdefault(node.id, action)
    get = decided.get
    regions.sort(key=_START)
    region_starts = [r[0] for r in regions]
    region_end = max((r[1] for r in regions), default=-1)
    if any(a[1] > b[0] for a, b in pairwise(regions)):  # nested: the role function decides
        region_starts, ends = _union([r[:2] for r in regions])
        regions = [(s, e, None, Inside()) for s, e in zip(region_starts, ends, strict=True)]
    ask: list[tuple[int, int, int, Any]] = []
    for node in caps.get("ident", ()):
        s = node.start_byte
        e = node.end_byte
        if b2c is not None:
            s = b2c[s]
            e = b2c[e]
        if s == e:
            raise _Fallback
        if hidden[s] or node.named_child_count:
            continue  # inside a string or comment; or made of names (a.b), looked inside
        text = code[s:e]
        if text in kw and node.type == "identifier":
            continue
        action = None
        if s < region_end:
            r = bisect_right(region_starts, s) - 1
            if r >= 0 and s < regions[r][1]:
                role = regions[r][3].role
                action = (role and role(regions[r][2], node, text, ctx)) or ASK
        if action is None:
            action = get(node.id)
        if action is None:
            out.append(_new(Token, (s, e, IDENTIFIER, REFERENCE, "")))
        elif action is ASK:
            ask.append((s, e, len(ask), node))
        elif action.__class__ is tuple:
            out.append(_new(Token, (s, e, IDENTIFIER, *action)))
        else:
            out.append(_new(Token, (s, e, IDENTIFIER, *action(node, text, ctx))))
    if ask:
        ask.sort()
        path = _Path(tree)
        for s, e, _k, node in ask:
            stack, field = path.locate(node)
            role, detail = role_fn(node, field, stack, ctx)
            out.append(_new(Token, (s, e, IDENTIFIER, role, detail)))


def _stoppers(caps: dict[str, list[Any]], ctx: WalkContext,
              out: list[Token]) -> bytearray:
    """Emit the comments and strings the walk would reach; return which characters lie where
    it would not look (inside them)."""
    span = ctx.span
    spans = [(*span(n), COMMENT, n) for n in caps.get("comment", ())]
    spans += [(*span(n), STRING, n) for n in caps.get("string", ())]
    spans.sort(key=_outer_first)
    sources = {n.id for n in caps.get("source", ())}
    pruned: list[tuple[int, int]] = []
    # the comments and strings around the current one: (end, the spans of its holes, or None)
    open_: list[tuple[int, list[tuple[int, int]] | None]] = []
    prev = (-1, -1)
    for s, e, kind, node in spans:
        if s == e or (s, e) == prev:
            raise _Fallback  # the order of two nodes with one span is not clear from spans
        prev = (s, e)
        while open_ and open_[-1][0] <= s:
            open_.pop()
        if open_:
            holes = open_[-1][1]
            if holes is None or not any(hs <= s and e <= he for hs, he in holes):
                continue  # inside a comment or string, or in an interpolated string's text
        if kind == COMMENT:
            out.append(_new(Token, (s, e, COMMENT, "", "")))
        elif node.id in sources and _import_source(node):
            text = ctx.code[s:e]
            out.append(_new(Token, (s, e, STRING, IMPORT, text.strip("'\"`"))))
        elif _string_node(node, ctx):  # interpolated: the walk looks inside the holes
            holes = []
            for child in node.named_children:
                cs, ce = span(child)
                if child.type in INTERPOLATION_TYPES:
                    holes.append((cs, ce))
                else:
                    pruned.append((cs, ce))
            open_.append((e, holes))
            continue
        else:
            out.append(_new(Token, (s, e, STRING, "", "")))
        pruned.append((s, e))
        open_.append((e, None))
    hidden = bytearray(len(ctx.code) + 1)  # 1 where the walk would not look
    for s, e in pruned:
        hidden[s:e] = b"\x01" * (e - s)
    return hidden


def _union(spans: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """The spans merged where they overlap, sorted: (starts, ends)."""
    starts: list[int] = []
    ends: list[int] = []
    for s, e in sorted(spans):
        if ends and s < ends[-1]:
            ends[-1] = max(ends[-1], e)
        else:
            starts.append(s)
            ends.append(e)
    return starts, ends


def _outer_first(span: tuple[int, int, str, Any]) -> tuple[int, int]:
    return span[0], -span[1]


def _import_source(node: Any) -> bool:
    """Whether a string is the source or path of an import, as the walk decides it."""
    p = node.parent
    for i, child in enumerate(p.named_children):
        if child.id == node.id:
            return p.field_name_for_named_child(i) in ("source", "path")
    raise _Fallback
