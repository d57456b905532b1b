"""Shell: words made of quoted, bare and ``$``-expanded pieces, and ``printf '%s%s'`` (see
:mod:`recognizers.secrets.split`)."""

from __future__ import annotations

import re

from recognizers.secrets.split.core import MAX_PIECES, Frag, Piece, State, decode

SHELL_LANGS = frozenset({"shell", "dockerfile", "makefile"})

_SH_WORD_RE = re.compile(
    r"(?P<c>(?<![^\s;|&(])#[^\n]*)"
    r"|(?P<w>(?:\"(?:\\.|[^\"\\])*\"|'[^']*'|\$\{[^}\n]*\}|\$\(\([^\n]*?\)\)|\$\([^()\n]*\)"
    r"|\$\w+|`[^`\n]*`|\\.|[^\s\"'$;|&<>()`\\])+)"
)
_SH_PIECE_RE = re.compile(
    r"\"(?P<dq>(?:\\.|[^\"\\])*)\"|'(?P<sq>[^']*)'|\$\{(?P<bv>[A-Za-z_]\w*)\}|\$(?P<v>[A-Za-z_]\w*)"
    r"|(?P<unk>\$\{[^}\n]*\}|\$\([\s\S]*?\)|\$.|`[^`]*`)|(?P<bare>(?:\\.|[^\"'$`\\])+)"
)
_SH_DQ_RE = re.compile(r"\$\{(?P<bv>[A-Za-z_]\w*)\}|\$(?P<v>[A-Za-z_]\w*)|\$\{[^}]*\}|\$\([^)]*\)"
                       r"|`[^`]*`")
_SH_ARG = r"(?:\"(?:\\.|[^\"\\\n])*\"|'[^'\n]*'|\$\{?\w+\}?|[^\s;|&<>()`\"'$\\])+"
_SH_ARG_RE = re.compile(_SH_ARG)
_PRINTF_RE = re.compile(
    r"(?:\$\()?\bprintf[ \t]+(?:-v[ \t]+(?P<var>[A-Za-z_]\w*)[ \t]+)?(?P<q>[\"']?)(?:%s)+(?P=q)"
    rf"(?P<args>(?:[ \t]+{_SH_ARG}){{1,{MAX_PIECES}}})"
)
_SH_ASSIGN_RE = re.compile(r"[A-Za-z_]\w*(?=\+?=)")


def _sh_dq(state: State, text: str, cs: int, ce: int) -> list[Piece]:
    out: list[Piece] = []
    at = cs
    for m in _SH_DQ_RE.finditer(text, cs, ce):
        if m.start() > at:
            out.append(decode(text[at:m.start()], at, False))
        name = m.group("bv") or m.group("v")
        out += state.resolve(name, m.start(), m.end()) if name else [None]
        at = m.end()
    if ce > at:
        out.append(decode(text[at:ce], at, False))
    return out


def _sh_pieces(state: State, text: str, start: int, end: int) -> list[Piece]:
    out: list[Piece] = []
    for m in _SH_PIECE_RE.finditer(text, start, end):
        if m.group("dq") is not None:
            out += _sh_dq(state, text, m.start("dq"), m.end("dq"))
        elif m.group("sq") is not None:
            out.append(Frag(m.group("sq"), m.start("sq"), m.end("sq"), True))
        elif m.group("bv") or m.group("v"):
            out += state.resolve(m.group("bv") or m.group("v"), m.start(), m.end())
        elif m.group("bare") is not None:
            out.append(decode(m.group("bare"), m.start(), False))
        else:
            out.append(None)
        if len(out) >= MAX_PIECES:
            break
    return out


def _scan_printf(state: State, base: int, end: int) -> None:
    """``printf '%s%s' "a" "b"`` (in ``$(...)`` or with ``-v NAME``) prints its pieces joined."""
    text = state.text
    for m in _PRINTF_RE.finditer(text, base, end):
        pieces: list[Piece] = []
        for w in _SH_ARG_RE.finditer(text, m.start("args"), m.end("args")):
            pieces += _sh_pieces(state, text, w.start(), w.end())
        if m.group("var"):
            state.bind(m.group("var"), pieces, False, m.start())
        state.evaluate(pieces[:MAX_PIECES], m.start(), False, m.end())


# make: NAME := value (=, ?=, +=, ::=), the value to the end of the line, $(NAME) and ${NAME}
_MAKE_ASSIGN_RE = re.compile(
    r"^(?:export[ \t]+|override[ \t]+)?([A-Za-z_][\w.]*)[ \t]*(::?=|\?=|\+=|=)[ \t]*([^\n#]*)",
    re.M)
_MAKE_PIECE_RE = re.compile(r"\$[({]([A-Za-z_][\w.]*)[)}]|\$.|[^$]+")


def scan_make(state: State, base: int, end: int) -> None:
    """Makefile variables: a value made of ``$(NAME)`` references is joined and scanned."""
    text = state.text
    for m in _MAKE_ASSIGN_RE.finditer(text, base, end):
        vs, ve = m.start(3), m.start(3) + len(m.group(3).rstrip())
        pieces: list[Piece] = []
        for p in _MAKE_PIECE_RE.finditer(text, vs, ve):
            if p.group(1):
                pieces += state.resolve(p.group(1), p.start(), p.end())
            elif p.group().startswith("$"):
                pieces.append(None)
            else:
                pieces.append(Frag(p.group(), p.start(), p.end(), True))
            if len(pieces) >= MAX_PIECES:
                break
        pieces, at = state.bind(m.group(1), pieces, False, vs, m.group(2) == "+=")
        state.evaluate(pieces, at, False, ve)


def scan_shell(state: State, base: int, end: int) -> None:
    text = state.text
    if "printf" in text[base:end]:
        _scan_printf(state, base, end)
    for m in _SH_WORD_RE.finditer(text, base, end):
        if m.lastgroup != "w":
            continue
        ws, we = m.span()
        a = _SH_ASSIGN_RE.match(text, ws, we)
        if a is not None:
            vs = text.index("=", a.end(), we) + 1
            pieces = _sh_pieces(state, text, vs, we)
            pieces, at = state.bind(a.group(), pieces, False, vs, text[vs - 2] == "+")
            state.evaluate(pieces, at, False, we)
        elif we - ws > 8 and any(c in text[ws:we] for c in "\"'$"):
            state.evaluate(_sh_pieces(state, text, ws, we), ws, False, we)


_ENV_LINE_RE = re.compile(
    r"^[ \t]*(?:export[ \t]+)?(?P<name>[A-Za-z_]\w*)=(?P<v>(?:\"(?:\\.|[^\"\\\n])*\"|'[^'\n]*'"
    r"|\$\{\w+\}|\$\w+|[^\s\"'$;|&<>()`\\])+)[ \t]*$", re.M)


def scan_env_lines(state: State, base: int, end: int) -> None:
    """Only the ``NAME=value`` lines of a block that is not read as shell (a .env file guessed
    as data, lines in prose): bindings, and values made of ``$NAME`` expansions."""
    text = state.text
    for m in _ENV_LINE_RE.finditer(text, base, end):
        vs, ve = m.span("v")
        pieces = _sh_pieces(state, text, vs, ve)
        pieces, at = state.bind(m.group("name"), pieces, False, vs)
        if "$" in m.group("v"):
            state.evaluate(pieces, at, False, ve)
