"""The regular-expression lexer: for languages without a grammar wheel, and for the spans a
parser could not place (``ERROR`` regions). Comments by the language's comment marks, strings in
every common quoting, identifiers with a role guessed from the word before them.
"""

from __future__ import annotations

import re

from recognizers.code.keywords import DECL_KEYWORDS, keywords
from recognizers.code.tokens import (
    ATTRIBUTE,
    COMMENT,
    DEFINITION,
    IDENTIFIER,
    IMPORT,
    REFERENCE,
    STRING,
    Token,
)

_HASH_COMMENT_LANGS = frozenset({
    "python", "shell", "yaml", "toml", "ini", "makefile", "dockerfile", "ruby", "perl", "r",
    "elixir", "nginx", "hcl", "powershell", "text", "graphql", "apache",
})
_SLASH_COMMENT_LANGS = frozenset({
    "javascript", "typescript", "tsx", "java", "go", "c", "cpp", "csharp", "rust", "kotlin",
    "swift", "scala", "dart", "php", "groovy", "protobuf", "hcl", "css", "json", "text",
})

_STRING_SRC = (r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:\\.|[^"\\\n])*"|'
               r"'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`")
_ID_SRC = r"[A-Za-z_$\u00c0-\uffff][\w$\u00c0-\uffff]*"


def _regex_for(language: str | None) -> re.Pattern[str]:
    parts = []
    lang = language or "text"
    if lang in ("xml", "html", "markdown"):
        parts.append(r"(?P<c><!--[\s\S]*?-->)")
    if lang in _SLASH_COMMENT_LANGS or lang not in _HASH_COMMENT_LANGS:
        parts.append(r"(?P<c2>//[^\n]*|/\*[\s\S]*?\*/)")
    if lang in _HASH_COMMENT_LANGS or lang not in _SLASH_COMMENT_LANGS:
        # a '#' that starts a comment: line start or after whitespace (not inside a URL#frag)
        parts.append(r"(?P<c3>(?:(?<=\s)|^)#[^\n]*)")
    if lang == "sql":
        parts.append(r"(?P<c4>--[^\n]*)")
    if lang in ("xml", "html", "markdown", "text", "ini", "makefile"):
        parts.append(r"(?P<s2>\"(?:\\.|[^\"\\\n])*\")")
    else:
        parts.append(f"(?P<s>{_STRING_SRC})")
    parts.append(f"(?P<i>{_ID_SRC})")
    return re.compile("|".join(parts), re.M)


_REGEX_CACHE: dict[str | None, re.Pattern[str]] = {}
# Scripting languages that declare by assigning (R's ``x <- ...``, Lua's ``x = ...``): a name
# that opens a line and is assigned there is defined. Not data files, where ``key = value``
# names a setting of someone else's program.
_ASSIGN_DEFINES = frozenset({
    "r", "perl", "lua", "julia", "matlab", "octave", "tcl", "awk", "elixir", "erlang",
    "haskell", "ocaml", "fsharp", "nim", "crystal", "vb", "vbnet", "fortran", "zig", "powershell",
    "groovy", "dart", "coffeescript", "clojure", "scheme", "racket", "lisp", "elisp",
})
_ASSIGN_RE = re.compile(r"[ \t]*(?:<<?-(?!-)|:?=(?!=)|:=)[ \t]*(function\b)?")
_LOAD_CALLS = ("library(", "require(", "requireNamespace(", "import(")


def regex_lex(code: str, language: str | None, start: int = 0, end: int | None = None,
               out: list[Token] | None = None) -> list[Token]:
    pat = _REGEX_CACHE.get(language)
    if pat is None:
        pat = _REGEX_CACHE[language] = _regex_for(language)
    out = [] if out is None else out
    kw = keywords(language or "")
    assigns = language in _ASSIGN_DEFINES
    end = len(code) if end is None else end
    prev_word = ""
    for m in pat.finditer(code, start, end):
        group = m.lastgroup or ""
        s, e = m.start(), m.end()
        if group.startswith("c"):
            out.append(Token(s, e, COMMENT))
            prev_word = ""
            continue
        if group.startswith("s"):
            out.append(Token(s, e, STRING))
            prev_word = ""
            continue
        word = m.group()
        if word in kw:
            prev_word = word
            continue
        if word[0].isdigit():
            continue
        role, detail = REFERENCE, ""
        before = code[max(start, s - 2):s]
        if before.endswith(".") or before.endswith("->") or before.endswith("::"):
            role = ATTRIBUTE
        elif prev_word in DECL_KEYWORDS and _only_space_between(code, prev_word, s):
            role, detail = DEFINITION, DECL_KEYWORDS[prev_word]
        elif assigns and _opens_line(code, s) and (am := _ASSIGN_RE.match(code, e)):
            role, detail = DEFINITION, "function" if am.group(1) else "variable"
        elif code.endswith(_LOAD_CALLS, max(start, s - 18), s):
            role = IMPORT  # R's library(dplyr): a package
        elif prev_word in ("import", "from", "require", "use", "using", "include"):
            role = IMPORT
        out.append(Token(s, e, IDENTIFIER, role, detail))
        prev_word = word if role == IMPORT else ""
    return out


def _opens_line(code: str, s: int) -> bool:
    i = s
    while i and code[i - 1] in " \t":
        i -= 1
    return i == 0 or code[i - 1] == "\n"


def _only_space_between(code: str, prev_word: str, s: int) -> bool:
    i = s - 1
    while i >= 0 and code[i] in " \t*&":
        i -= 1
    return code[i - len(prev_word) + 1:i + 1] == prev_word

