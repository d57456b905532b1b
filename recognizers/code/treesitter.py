"""The walk over a tree-sitter parse: which nodes are identifiers, strings and comments, and the
language's role function for each identifier. Strings with interpolations give their literal
pieces and are walked into; ``ERROR`` regions go through the regex lexer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from recognizers.code.keywords import DECL_KEYWORDS, keywords
from recognizers.code.regex_lexer import regex_lex
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

_IDENT_TYPES = frozenset({
    "identifier", "property_identifier", "shorthand_property_identifier",
    "shorthand_property_identifier_pattern", "private_property_identifier", "type_identifier",
    "field_identifier", "package_identifier", "statement_identifier", "namespace_identifier",
    "simple_identifier", "constant", "variable_name", "name", "bare_key",
    "interpreted_string_literal_content",  # never reached: strings are taken whole
})

_STRING_TYPES = frozenset({
    "string", "string_literal", "template_string", "interpreted_string_literal",
    "raw_string_literal", "char_literal", "character_literal", "rune_literal", "text_block",
    "raw_string", "ansi_c_string", "heredoc_body", "heredoc_redirect", "string_scalar",
    "double_quote_scalar", "single_quote_scalar", "block_scalar", "encapsed_string",
    "verbatim_string_literal", "interpolated_string_expression", "string_content",
    "regex", "regex_literal", "line_string_literal", "multi_line_string_literal",
    "shell_fragment", "json_string_array", "interpolated_verbatim_string_expression",
    "concatenated_string", "literal_string",
})

INTERPOLATION_TYPES = frozenset({
    "interpolation", "template_substitution", "expansion", "simple_expansion",
    "command_substitution", "string_interpolation", "interpolated_expression",
    "line_str_text", "interpolated_identifier",
})

_COMMENT_TYPES = frozenset({
    "comment", "line_comment", "block_comment", "html_comment", "doc_comment", "marginalia",
    "multiline_comment",
})

_ID_RE = re.compile(r"[A-Za-z_$\u00c0-\uffff][\w$\u00c0-\uffff]*")


def _byte_to_char(code: str, data: bytes) -> list[int] | None:
    """A byte offset -> character offset table, or None for pure-ASCII code."""
    if len(data) == len(code):
        return None
    table = [0] * (len(data) + 1)
    b = 0
    for i, ch in enumerate(code):
        n = len(ch.encode("utf-8", "surrogatepass"))
        for k in range(n):
            table[b + k] = i
        b += n
    table[b] = len(code)
    return table


class WalkContext:
    """One parse: the code, its UTF-8 bytes, byte-to-character offsets and the tokens so far."""

    __slots__ = ("b2c", "code", "data", "detail_cache", "kw", "language", "out")

    def __init__(self, code: str, data: bytes, language: str) -> None:
        self.code = code
        self.data = data
        self.language = language
        self.b2c = _byte_to_char(code, data)
        self.out: list[Token] = []
        self.kw = keywords(language)
        self.detail_cache: dict[int, str] = {}

    def span(self, node: Any) -> tuple[int, int]:
        s, e = node.start_byte, node.end_byte
        if self.b2c is None:
            return s, e
        return self.b2c[s], self.b2c[e]

    def span_bytes(self, s: int, e: int) -> tuple[int, int]:
        if self.b2c is None:
            return s, e
        return self.b2c[s], self.b2c[e]

    def text(self, node: Any) -> str:
        return self.data[node.start_byte:node.end_byte].decode("utf-8", "replace")



#: (node, its field name in the parent, the ancestors, the walk's context) -> (role, detail)
RoleFn = Callable[[Any, "str | None", list, WalkContext], tuple[str, str]]


_C_PLAIN, _C_COMMENT, _C_STRING, _C_IDENT, _C_ERROR, _C_WORD, _C_KEYISH = range(7)
_YAML_TYPES = frozenset({"flow_node", "string", "bare_key", "quoted_key", "plain_scalar",
                         "double_quote_scalar", "single_quote_scalar"})
_IMPORT_TYPES = frozenset({"import_statement", "import_from_statement", "future_import_statement",
                           "import_declaration", "import_spec", "package_declaration",
                           "export_statement"})
_CLASS_CACHE: dict[tuple[str, bool], int] = {}


def _classify(t: str, yaml_like: bool) -> int:
    key = (t, yaml_like)
    c = _CLASS_CACHE.get(key)
    if c is None:
        if t in _COMMENT_TYPES:
            c = _C_COMMENT
        elif yaml_like and t in _YAML_TYPES:
            c = _C_KEYISH
        elif t in _STRING_TYPES:
            c = _C_STRING
        elif t == "ERROR":
            c = _C_ERROR
        elif t in _IDENT_TYPES or t.endswith("identifier"):
            c = _C_IDENT
        elif t == "word":
            c = _C_WORD
        else:
            c = _C_PLAIN
        _CLASS_CACHE[key] = c
    return c


_C_ANON = -1
# (language, yaml_like) -> {kind id: class}: the class of a node kind, looked up by its number
_KIND_CLASSES: dict[tuple[str, bool], dict[int, int]] = {}


def walk(tree: Any, ctx: WalkContext, role_fn: RoleFn) -> None:
    """Depth-first over the NAMED nodes, in the order of ``node.named_children``.

    A ``TreeCursor`` moves through the tree in C and hands out a node object only where the
    walk stops; the ancestors (``stack``: (node, its parent, its index among the parent's
    named children)) are kept as the cursor goes down and up, for the role functions.
    """
    out = ctx.out
    kw = ctx.kw
    code = ctx.code
    language = ctx.language
    yaml_like = language in ("yaml", "json", "toml")
    classes = _KIND_CLASSES.setdefault((language, yaml_like), {})
    stack: list[tuple[Any, Any, int]] = []  # the ancestors of the current node
    # per ancestor: [its named children so far, error depth of its children, in an
    # interpolated string]
    frames: list[list[Any]] = []
    cursor = tree.walk()
    node = cursor.node
    parent: Any = None
    index = 0
    error_depth = 0
    in_string = False
    while True:
        c = classes.get(node.kind_id)
        if c is None:
            c = classes[node.kind_id] = (
                _classify(node.type, yaml_like) if node.is_named else _C_ANON
            )
        descend = False
        kids_in_string = False
        if in_string and node.type not in INTERPOLATION_TYPES:
            pass  # a literal piece of an interpolated string, already emitted
        elif c == _C_PLAIN:
            descend = True
        elif c == _C_COMMENT:
            s, e = ctx.span(node)
            out.append(Token(s, e, COMMENT))
        elif c == _C_IDENT:
            if node.named_child_count == 0:
                s, e = ctx.span(node)
                text = code[s:e]
                if text in kw and (error_depth or node.type == "identifier"):
                    pass
                elif error_depth:
                    out.append(_error_token(code, s, e, language))
                else:
                    field = parent.field_name_for_named_child(index) if parent else None
                    role, detail = role_fn(node, field, stack, ctx)
                    out.append(Token(s, e, IDENTIFIER, role, detail))
            else:
                descend = True
        elif c == _C_STRING:
            field = parent.field_name_for_named_child(index) if parent else None
            if field in ("source", "path") and parent.type in _IMPORT_TYPES:
                s, e = ctx.span(node)
                out.append(Token(s, e, STRING, IMPORT, code[s:e].strip("'\"`")))
            elif not _string_node(node, ctx):
                s, e = ctx.span(node)
                out.append(Token(s, e, STRING))
            else:  # an interpolated string: walk into its interpolations only
                descend = kids_in_string = True
        elif c == _C_KEYISH:
            s, e = ctx.span(node)
            field = parent.field_name_for_named_child(index) if parent else None
            is_key = field == "key" or (parent is not None and parent.type == "dotted_key") or \
                node.type == "bare_key"
            text = code[s:e]
            if is_key and _ID_RE.fullmatch(text.strip("\"'")):
                q = 1 if text[:1] in "\"'" else 0
                out.append(Token(s + q, e - q, IDENTIFIER, PROPERTY_KEY))
            else:
                out.append(Token(s, e, STRING))
        elif c == _C_ERROR:
            error_depth += 1
            if node.named_child_count == 0:
                s, e = ctx.span(node)
                regex_lex(code, language, s, e, out)
            else:
                # anonymous leaves of an ERROR region may hide names: lex its text between
                # the named children with the regex lexer
                _error_gaps(node, ctx)
                descend = True
        elif c == _C_WORD and language == "shell" and node.named_child_count == 0:
            s, e = ctx.span(node)
            parent_type = parent.type if parent is not None else ""
            if parent_type == "command_name":
                out.append(Token(s, e, IDENTIFIER, REFERENCE))
            elif parent_type == "function_definition":
                out.append(Token(s, e, IDENTIFIER, DEFINITION, "function"))
            else:
                out.append(Token(s, e, STRING))
        else:  # an identifier-like word of another language, or a node to look inside
            descend = True
        # On to the next named node: the first child, else the next sibling, else up.
        if descend and cursor.goto_first_child():
            stack.append((node, parent, index))
            frames.append([-1, error_depth, kids_in_string])
        elif not cursor.goto_next_sibling():
            while True:
                if not frames:
                    return
                cursor.goto_parent()
                frames.pop()
                stack.pop()
                if cursor.goto_next_sibling():
                    break
        while True:  # skip anonymous nodes (punctuation, keywords): they hold no names
            node = cursor.node
            if node.is_named:
                break
            if cursor.goto_next_sibling():
                continue
            while True:
                if not frames:
                    return
                cursor.goto_parent()
                frames.pop()
                stack.pop()
                if cursor.goto_next_sibling():
                    break
        frame = frames[-1]
        frame[0] += 1
        parent = stack[-1][0]
        index = frame[0]
        error_depth = frame[1]
        in_string = frame[2]


def _error_gaps(node: Any, ctx: WalkContext) -> None:
    """Names among the anonymous tokens of an ERROR node (keywords used as names ...)."""
    prev = node.start_byte
    for child in node.children:
        if child.is_named:
            if child.start_byte > prev:
                s, e = ctx.span_bytes(prev, child.start_byte)
                regex_lex(ctx.code, ctx.language, s, e, ctx.out)
            prev = child.end_byte
    if node.end_byte > prev:
        s, e = ctx.span_bytes(prev, node.end_byte)
        regex_lex(ctx.code, ctx.language, s, e, ctx.out)


def _error_token(code: str, s: int, e: int, language: str) -> Token:
    """An identifier inside a region the parser could not place: guess its role from the text."""
    i = s - 1
    while i >= 0 and code[i] in " \t":
        i -= 1
    if i >= 0 and code[i] == ".":
        return Token(s, e, IDENTIFIER, ATTRIBUTE)
    j = i
    while j >= 0 and (code[j].isalnum() or code[j] == "_"):
        j -= 1
    prev = code[j + 1:i + 1]
    if prev in DECL_KEYWORDS:
        return Token(s, e, IDENTIFIER, DEFINITION, DECL_KEYWORDS[prev])
    if prev in ("import", "from"):
        return Token(s, e, IDENTIFIER, IMPORT)
    return Token(s, e, IDENTIFIER, REFERENCE)


def _string_node(node: Any, ctx: WalkContext) -> bool:
    """True when a string has interpolations: its literal pieces are emitted here, and the walk
    then descends into the interpolations only."""
    children = node.children
    for c in children:
        if c.type in INTERPOLATION_TYPES:
            break
    else:
        return False
    start = -1
    end = -1
    for c in children:
        if c.type in INTERPOLATION_TYPES:
            if start >= 0 and end > start:
                s, e = ctx.span_bytes(start, end)
                ctx.out.append(Token(s, e, STRING))
            start = -1
            continue
        if start < 0:
            start = c.start_byte
        end = c.end_byte
    if start >= 0 and end > start:
        s, e = ctx.span_bytes(start, end)
        ctx.out.append(Token(s, e, STRING))
    return True

