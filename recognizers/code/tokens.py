"""What the lexer returns: a :class:`Token` per identifier, string literal and comment, and the
role an identifier plays (see :mod:`recognizers.code.lexer`)."""

from __future__ import annotations

from typing import NamedTuple

IDENTIFIER = "identifier"
STRING = "string"
COMMENT = "comment"

DEFINITION = "definition"
REFERENCE = "reference"
IMPORT = "import"
ATTRIBUTE = "attribute"
PROPERTY_KEY = "property_key"


class Token(NamedTuple):
    start: int
    end: int
    kind: str  # identifier | string | comment
    role: str = ""  # identifiers only: definition | reference | import | attribute | property_key
    detail: str = ""  # definition kind, import module path, "kwarg:<callee>"

    def text(self, code: str) -> str:
        return code[self.start:self.end]
