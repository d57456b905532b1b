"""Pieces without quotes (see :mod:`recognizers.secrets.split`): Windows batch variables
joined by ``%A%%B%``, and YAML sequences whose items make an AWS secret access key.

Batch: ``set NAME=value`` (``set "NAME=value"``) binds a name (case-insensitive, as cmd.exe
reads them); a run of ``%NAME%`` references and bare text is a chain, evaluated like any other
(the key before it, an AWS key id near it). YAML: a sequence of scalar items (``- piece`` at
one indentation, or ``[a, b]``) has no concatenation of its own, so its items are joined only
when they make exactly a 40-character AWS secret and an access key id or the word aws or secret
stands near (:func:`.core._aws_id_near`): lists of ids and hashes stay lists.
"""

from __future__ import annotations

import re

from recognizers.secrets.split.core import MAX_PIECES, Frag, Piece, State

_SET_RE = re.compile(
    r"^[ \t]*@?(?i:set)[ \t]+(?P<q>\"?)(?P<name>[A-Za-z_][\w.\-]*)=(?P<v>[^\n\"]*?)(?P=q)[ \t]*$",
    re.M)
_WORD_RE = re.compile(r"[^\s\"'&|<>^=%]*%[A-Za-z_][\w.\-]*%[^\s\"'&|<>^]*")
_REF_RE = re.compile(r"%([A-Za-z_][\w.\-]*)%|[^%]+")
HAS_SET_RE = re.compile(r"(?im)^[ \t]*@?set[ \t]")


def _pieces(state: State, start: int, end: int) -> list[Piece]:
    out: list[Piece] = []
    for m in _REF_RE.finditer(state.text, start, end):
        if m.group(1):
            out += state.resolve("%" + m.group(1).upper(), m.start(), m.end())
        else:
            out.append(Frag(m.group(), m.start(), m.end(), True))
        if len(out) >= MAX_PIECES:
            break
    return out


def scan_batch(state: State) -> None:
    """``set`` bindings first, then every run that references them."""
    text = state.text
    sets = list(_SET_RE.finditer(text))
    for m in sets:
        vs, ve = m.span("v")
        if "%" in m.group("v"):
            pieces = _pieces(state, vs, ve)
            state.bind("%" + m.group("name").upper(), pieces, False, vs)
            state.evaluate(pieces, vs, False, ve)
        elif ve > vs:
            state.bind("%" + m.group("name").upper(), [Frag(m.group("v"), vs, ve, True)],
                       False, vs)
    in_set = {m.start("v") for m in sets}
    for r in _WORD_RE.finditer(text):
        if r.start() not in in_set:
            state.evaluate(_pieces(state, r.start(), r.end()), r.start(), False, r.end())


# a line that ends with a short piece after its head (``  - ``, ``part2 = ``, ``3,``, ``<p>``)
_LINE_PART_RE = re.compile(
    r"(?<![^ \t=:,>\-\n])(?P<v>[A-Za-z0-9/+]{4,36})(?P<tail></[\w:.\-]{1,40}>)?[ \t]*$", re.M)
_DIGITS_RE = re.compile(r"\d+")
_MAX_LINES = 10


def scan_yaml_items(state: State, base: int, end: int) -> None:
    """Consecutive lines of one shape (the head with its numbers left out: YAML items, XML
    elements, ``part1 =``/``part2 =``, CSV rows) whose final pieces, together, make exactly an
    AWS secret; and flow lists (``[a, b, c]``) likewise."""
    text = state.text
    run: list[re.Match[str]] = []
    shape = ""
    for m in [*_LINE_PART_RE.finditer(text, base, end), None]:
        sh = ""
        if m is not None:
            head = text[text.rfind("\n", 0, m.start()) + 1:m.start()]
            # bare lines are the lines of a text (a multi-line literal), not items
            sh = _DIGITS_RE.sub("#", head) + (m.group("tail") or "") if head.strip() else ""
        if m is not None and sh and run and sh == shape and (
                text.rfind("\n", 0, m.start()) == run[-1].end()):
            run.append(m)
            continue
        _join_lines(state, run)
        run, shape = ([m], sh) if m is not None else ([], "")
    for f in _FLOW_RE.finditer(state.text, base, end):  # parts: [a, b, c]
        items = list(_FLOW_ITEM_RE.finditer(state.text, f.start(1), f.end(1)))
        if len(items) >= 2 and sum(len(x.group()) for x in items) == 40:
            pieces = [Frag(x.group(), *x.span(), True) for x in items]
            state.evaluate(pieces, items[0].start(), False, f.end())


def _join_lines(state: State, run: list[re.Match[str]]) -> None:
    """Each stretch of 2+ lines of the run whose pieces make 40 characters, evaluated."""
    for i in range(len(run)):
        total = 0
        for j in range(i, min(len(run), i + _MAX_LINES)):
            total += len(run[j].group("v"))
            if total > 40:
                break
            if total == 40 and j > i:
                pieces: list[Piece] = [Frag(x.group("v"), *x.span("v"), True)
                                       for x in run[i:j + 1]]
                state.evaluate(pieces, run[i].start("v"), False, run[j].end())
                break


_FLOW_RE = re.compile(r"\[[ \t]*([A-Za-z0-9/+]{4,36}(?:[ \t]*,[ \t]*[A-Za-z0-9/+]{4,36}){1,9})"
                      r"[ \t]*\]")
_FLOW_ITEM_RE = re.compile(r"[A-Za-z0-9/+]+")
