"""Code understanding for the veil: a lexer for identifiers, strings and comments, and the
vocabulary that tells public names and ordinary words from project-private ones."""

from recognizers.code.languages import get_parser, has_grammar, normalize_language
from recognizers.code.lexer import (
    ATTRIBUTE,
    COMMENT,
    DEFINITION,
    IDENTIFIER,
    IMPORT,
    PROPERTY_KEY,
    REFERENCE,
    STRING,
    Token,
    lex,
)

__all__ = [
    "ATTRIBUTE", "COMMENT", "DEFINITION", "IDENTIFIER", "IMPORT", "PROPERTY_KEY", "REFERENCE",
    "STRING", "Token", "get_parser", "has_grammar", "lex", "normalize_language",
]
