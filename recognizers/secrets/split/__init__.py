"""Secrets split across string literals: evaluate constant string expressions, scan the result.

Code hides a key from scanners by building it from pieces: Python implicit concatenation and
``+``, f-string and template-literal pieces, ``"".join([...])``, ``.append(...)``/``.concat(...)``
chains, Go/Java ``+``, shell ``TOKEN="$A$B"`` or ``PGPASSWORD="abc"'def'``. No single literal
is a secret, so the ordinary scan sees nothing.

:func:`scan_split` reads each code segment (:mod:`.code`; shell in :mod:`.shell`, prose and logs
as one-line literals) lexically, as a stream of string literals, bound names and what stands
between them, and evaluates what is constant (:mod:`.core`):

* a *chain* is a run of operands (literals, names bound earlier to a constant, interpolations
  of such names) joined by concatenation glue (``+``, adjacent literals, parentheses,
  ``.``/``..``/``&``/``||``/``%``, ``x.append(``/``.concat(``/``.push_str(``/``<<``/``strcat(``,
  a format string made only of ``%s``/``{}``); anything else (a call, an unbound name) splits
  it into separate constant runs;
* a chain with commas is a list: its items are concatenated only where a join with an empty
  separator (``"".join(``, ``.join("")``, ``strings.Join(..., "")``, ``String.join("", ...``,
  ``joinToString("")``) consumes it, inline or through the name it is bound to;
* a heredoc or a multi-line literal whose line breaks a call beside it removes
  (:mod:`.heredoc`) is one value, its words the pieces;
* ``NAME = <chain>`` (``:=``, ``NAME = listOf(``, ``#define NAME``, shell ``NAME=``) binds the
  chain to the name; ``NAME +=`` (``.=``, shell ``+=``) extends it; ``Config.NAME`` and
  ``self.NAME`` are uses of it. Keyword arguments are not bindings.

Each run with a stretch a token could span (8+ characters, no whitespace, bracket, comma or
quote) that crosses a literal boundary or comes through a name is written after the key it is
assigned to (the text before the chain on its line, e.g. ``export PGPASSWORD=``) and scanned with
the ordinary secret rules (provider tokens, assignment context, structured formats). A secret
found there is reported on every fragment literal that holds 4+ characters of it, with the
secret's type, so each fragment gets a dummy and the restored text is the original byte for
byte. Ordinary concatenation (messages, paths, SQL, words) gives values the rules do not call
secrets, and a name used alone is only judged where it is assigned to a key.

Work is linear in the text: one regular-expression pass per segment plus one Aho-Corasick pass
for the bound names, chains capped at ``core.MAX_PIECES`` pieces and ``core._MAX_VALUE``
characters, at most ``core._MAX_EVALS`` scans per slot.
"""

from __future__ import annotations

import re

from recognizers.context import DetectionContext
from recognizers.secrets.split.code import PROSE, SKIP_LANGS, scan_code
from recognizers.secrets.split.core import Add, Scan, State
from recognizers.secrets.split.heredoc import scan_multiline
from recognizers.secrets.split.lists import HAS_SET_RE, scan_batch, scan_yaml_items
from recognizers.secrets.split.shell import SHELL_LANGS, scan_env_lines, scan_make, scan_shell
from recognizers.segment import CODE, DIFF, SHELL, TRACEBACK

__all__ = ["scan_split"]

# a literal closed and joined to what follows: "a" + "b", 'a' .. x, "a" || "b", "a" & _
# (or a literal made only of interpolated names: "${local.a}${local.b}" in HCL taken for TOML)
_JOINED_HINT = re.compile(
    r"[\"'`][ \t]*(?:\+|\.\.|\|\||<>|&|\.[ \t]*[\"'$])|\"(?:\$\{[\w.]+\}){2,}\"")
_SPACED_ASSIGN_RE = re.compile(
    r"(?m)^[ \t]*(?:[A-Za-z_]\w*[ \t]+)?\$?[A-Za-z_]\w*[ \t]+=[ \t]+[\"']")
# a shell or .env assignment whose value starts with an expansion: ``KEY="${A}$B"``
_EXPAND_ASSIGN_RE = re.compile(r"(?m)^[ \t]*(?:export[ \t]+)?[A-Za-z_]\w*=\"?\$\{?[A-Za-z_]")


_WINDOW = 450  # a little more than core._AWS_NEAR: the pieces' chain must stand that near


def _aws_windows(text: str, low: str) -> list[tuple[int, int]]:
    """Line-aligned stretches around each AWS key id or word aws, merged."""
    hits: list[int] = []
    for w in ("akia", "asia", "aws"):
        i = low.find(w)
        while i >= 0 and len(hits) < 64:
            hits.append(i)
            i = low.find(w, i + 1)
    out: list[tuple[int, int]] = []
    for h in sorted(hits):
        s = text.rfind("\n", 0, max(0, h - _WINDOW)) + 1
        e = text.find("\n", min(len(text), h + _WINDOW))
        e = len(text) if e < 0 else e
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def scan_split(ctx: DetectionContext, scan: Scan, add: Add) -> None:
    """Report, through ``add``, the fragment literals of every secret built from pieces."""
    text = ctx.text
    batch = "%" in text and HAS_SET_RE.search(text) is not None
    # (the word secret alone is too common to read every line for: quoted pieces still count)
    items = "AKIA" in text or "ASIA" in text or "aws" in ctx.lower
    expands = "$" in text and _EXPAND_ASSIGN_RE.search(text) is not None
    if not any(c in text for c in "\"'`") and not batch and not items and not expands:
        return
    state = State(text, scan, add)
    if batch:  # cmd.exe: set NAME=piece, %A%%B%
        scan_batch(state)
    if items:  # lines or list items whose pieces make an AWS secret, near what names it
        for ws, we in _aws_windows(text, ctx.lower):
            scan_yaml_items(state, ws, we)
    for seg in ctx.segments:
        lang = seg.language
        if seg.kind in (SHELL, CODE):
            scan_multiline(state, seg.start, seg.end)  # heredocs joined into one line
        if seg.kind == SHELL or (seg.kind == CODE and lang in SHELL_LANGS):
            if lang == "makefile":
                scan_make(state, seg.start, seg.end)
            scan_shell(state, seg.start, seg.end)
            if seg.kind == CODE and _SPACED_ASSIGN_RE.search(text, seg.start, seg.end):
                # ``def key = "a"`` is no shell: code the guess missed, read as any syntax
                scan_code(state, seg.start, seg.end, PROSE)
            continue
        if expands and _EXPAND_ASSIGN_RE.search(text, seg.start, seg.end):
            # NAME="$A$B" in a block guessed as data or prose: .env files and shell lines
            scan_env_lines(state, seg.start, seg.end)
        if seg.kind in (CODE, DIFF):
            if lang not in SKIP_LANGS:
                scan_code(state, seg.start, seg.end, lang)
            elif _JOINED_HINT.search(text, seg.start, seg.end):
                # a data language has no concatenation of its own: what reads as one there
                # (``KEY = "a" + "b"`` taken for TOML) is code the guess missed, read as any
                # syntax
                scan_code(state, seg.start, seg.end, PROSE)
        elif seg.kind != TRACEBACK:
            # prose, logs, untagged snippets: literals in any syntax, one line at most each
            scan_code(state, seg.start, seg.end, PROSE)
