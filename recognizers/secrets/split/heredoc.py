"""Multi-line literals whose line breaks the code removes: a heredoc (Ruby ``<<~KEY``, PHP
``<<<EOT``, shell ``<<EOF``) or a triple-quoted / template literal, with
``.delete("\\n")``, ``.gsub(/\\s+/, "")``, ``.replace(/\\n/g, "")``, ``"".join(x.split())``,
``str_replace("\\n", "", ...)`` or ``tr -d '\\n'`` beside it. The body's words are the pieces
of one value (see :mod:`recognizers.secrets.split`).

Without such a call a multi-line literal is text (a docstring, a template, a query) and is
left to the ordinary scan.
"""

from __future__ import annotations

import re

from recognizers.secrets.split.core import MAX_PIECES, Frag, Piece, State

# a call that removes line breaks or all whitespace
_WS_STRIP_RE = re.compile(
    r"(?:delete|tr|gsub!?|replace(?:All)?|str_replace|sub)[ \t]*\([ \t]*"
    r"(?:r?[\"']\\[ns]\+?[\"']|/\\[ns]\+?/g?|/\\r\?\\n/g?|\[[^\]\n]{0,20}\\n[^\]\n]{0,20}\])"
    r"|tr[ \t]+-d[ \t]+['\"](?:\\n|\[:space:\])['\"]"
    r"|\.split\(\)[ \t]*\.[ \t]*join\([ \t]*(?:\"\"|'')?[ \t]*\)"
    r"|(?:\"\"|'')\.join\(")
# Ruby/shell <<~KEY, <<-'KEY', PHP <<<EOT: the delimiter, then the rest of the opening line
_HEREDOC_RE = re.compile(r"<<(?:<[ \t]*|[~\-]?)([\"']?)([A-Za-z_]\w*)\1([^\n]*)\n")
# triple-quoted and template literals (each closed by the next same quote)
_LONG_QUOTE_RE = re.compile(r"\"\"\"|'''|`")
_WORD_RE = re.compile(r"\S+")
_NEAR = 64  # how far from the literal the call may stand
_MAX_LITERALS = 256  # per segment: each may search to the segment's end for its close


# the last assignment on the line before the literal: its key names the joined value
_ASSIGN_RE = re.compile(r"[A-Za-z_$][\w$.\-]*[\"']?[ \t]*(?::=|=>|=|:)(?![=:])[ \t]*")


def _key_end(text: str, base: int, at: int) -> int:
    """Where the value assigned on the line of ``at`` starts (``at`` when nothing is)."""
    ls = max(base, text.rfind("\n", 0, at) + 1, at - 160)
    ends = [m.end() for m in _ASSIGN_RE.finditer(text, ls, at)]
    return ends[-1] if ends else at


def _words(text: str, start: int, end: int) -> list[Piece]:
    out: list[Piece] = []
    for w in _WORD_RE.finditer(text, start, end):
        out.append(Frag(w.group(), w.start(), w.end(), True))
        if len(out) >= MAX_PIECES:
            break
    return out


def scan_multiline(state: State, base: int, end: int) -> None:
    """Report the fragments of secrets in multi-line literals joined into one line."""
    text = state.text
    if "<<" in text[base:end]:
        for k, m in enumerate(_HEREDOC_RE.finditer(text, base, end)):
            if k >= _MAX_LITERALS:
                break
            ls = text.rfind("\n", base, m.start()) + 1
            if not _WS_STRIP_RE.search(text, ls, m.end()):
                continue
            close_re = re.compile(rf"^[ \t]*{re.escape(m.group(2))}\b", re.M)
            close = close_re.search(text, m.end(), end)
            if close is not None:
                state.evaluate(_words(text, m.end(), close.start()),
                               _key_end(text, base, m.start()), False, close.end())
    at, n = base, 0
    while n < _MAX_LITERALS and (o := _LONG_QUOTE_RE.search(text, at, end)) is not None:
        q = o.group()
        close = text.find(q, o.end(), end)
        if close < 0:
            break
        at, n = close + len(q), n + 1
        if "\n" not in text[o.end():close] or not (
                _WS_STRIP_RE.search(text, at, min(end, at + _NEAR))
                or _WS_STRIP_RE.search(text, max(base, o.start() - _NEAR), o.start())):
            continue
        state.evaluate(_words(text, o.end(), close), _key_end(text, base, o.start()), False, at)
