"""Keywords per language, and the words that declare the name after them.

The keyword table is package data (``data/keywords.json``): Python, JavaScript, Java and Go in
full; TypeScript adds to JavaScript; ``generic_adds`` are the keywords of other languages
(Rust, Ruby, Kotlin, C, PHP, shell ...), which with all of the above make the set used for a
language without its own list.
"""

from __future__ import annotations

import json
from importlib import resources

_TABLE: dict[str, list[str]] = json.loads(
    resources.files("recognizers.code.data").joinpath("keywords.json").read_text(encoding="utf-8")
)
_KEYWORDS: dict[str, frozenset[str]] = {
    lang: frozenset(_TABLE[lang]) for lang in ("python", "javascript", "java", "go")
}
_KEYWORDS["typescript"] = _KEYWORDS["javascript"] | frozenset(_TABLE["typescript_adds"])
_KEYWORDS["tsx"] = _KEYWORDS["typescript"]
_GENERIC_KEYWORDS = frozenset().union(*_KEYWORDS.values()) | frozenset(_TABLE["generic_adds"])

# the word before a name that declares it, for the regex lexer and for ERROR regions
DECL_KEYWORDS = {
    "class": "class", "struct": "class", "record": "class", "object": "class", "trait": "type",
    "interface": "type", "enum": "type", "type": "type", "typedef": "type", "protocol": "type",
    "def": "function", "function": "function", "func": "function", "fn": "function",
    "fun": "function", "sub": "function", "proc": "function", "procedure": "function",
    "const": "variable", "let": "variable", "var": "variable", "val": "variable",
    "module": "module", "namespace": "module", "package": "module", "mod": "module",
}


def keywords(language: str) -> frozenset[str]:
    """The keywords of ``language``; the union of every list for a language without one."""
    return _KEYWORDS.get(language, _GENERIC_KEYWORDS)
