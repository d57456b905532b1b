"""A code lexer that knows identifiers, string literals and comments, and what each name does.

``lex(code, language)`` returns :class:`Token` spans (character offsets into ``code``), sorted by
start. Identifiers carry a *role*:

* ``definition``: a name being declared (class, function, method, variable, constant,
  parameter, field, type, module); ``detail`` says which;
* ``import``: a name in an import statement (module path parts, imported names, aliases);
  ``detail`` is the module path it comes from (``"./store"``, ``"os.path"``, ``"java.util.List"``);
* ``attribute``: the name after a dot (``x.attr``, ``obj.method()``);
* ``property_key``: a dict/object key or a keyword argument name (``detail`` is ``"kwarg"`` for
  keyword arguments, with the called name after a colon: ``"kwarg:sorted"``);
* ``reference``: every other use of a name.

Tree-sitter grammars do the work where a grammar wheel is installed (Python, JavaScript,
TypeScript/TSX, Java, Go, Bash, SQL, YAML, JSON, C#, Rust, Ruby, PHP, C, C++, Kotlin, Dockerfile,
TOML); other languages, and spans the parser could not place (``ERROR`` nodes), go through a
small regular-expression lexer. Broken or partial code still yields its identifiers.
"""

from __future__ import annotations

from recognizers.code.languages import get_language, parse
from recognizers.code.queries import compiled, query_lex
from recognizers.code.regex_lexer import regex_lex
from recognizers.code.roles import QUERY_LANGUAGES, role_for, rules_for
from recognizers.code.tokens import (
    ATTRIBUTE,
    COMMENT,
    DEFINITION,
    IDENTIFIER,
    IMPORT,
    PROPERTY_KEY,
    REFERENCE,
    STRING,
    Token,
)
from recognizers.code.treesitter import WalkContext, walk

__all__ = [
    "ATTRIBUTE", "COMMENT", "DEFINITION", "IDENTIFIER", "IMPORT", "PROPERTY_KEY", "REFERENCE",
    "STRING", "Token", "identifiers", "lex",
]

# grammar to retry with when the first parse has errors
_ALTERNATE = {"javascript": "tsx", "typescript": "tsx", "tsx": "typescript"}


def lex(code: str, language: str | None) -> list[Token]:
    """Identifier, string and comment tokens of ``code``, sorted by start offset."""
    lang = language or ""
    data = code.encode("utf-8", "surrogatepass")
    tree = parse(lang, data) if lang else None
    if tree is None:
        return regex_lex(code, language)
    if tree.root_node.has_error and lang in _ALTERNATE:
        tree2 = parse(_ALTERNATE[lang], data)
        if tree2 is not None and not tree2.root_node.has_error:
            tree, lang = tree2, _ALTERNATE[lang]
    ctx = WalkContext(code, data, lang)
    rules = rules_for(lang)
    if rules is None or not query_lex(tree, ctx, tree.language, rules, role_for(lang)):
        walk(tree, ctx, role_for(lang))
    out = ctx.out
    out.sort()
    return out


def preload() -> None:
    """Compile the role queries of every language that has them (~0.3 s, once per process)
    now rather than on the first request with code in that language."""
    for language in QUERY_LANGUAGES:
        grammar = get_language(language)
        if grammar is not None:
            compiled(language, grammar, rules_for(language) or ())


def identifiers(tokens: list[Token]) -> list[Token]:
    return [t for t in tokens if t.kind == IDENTIFIER]
