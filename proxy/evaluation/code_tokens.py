"""What changed in a piece of code: its tokens before and after the gateway, aligned.

Tree-sitter (the grammar wheels, used directly so the measure does not lean on the detector's own
lexer) says which tokens are identifiers, which are keywords and directives (``def``,
``#endif``), and which words sit in comments and strings. The original and the anonymized text
are cut into words and aligned (``difflib``); a token is changed when a word it covers falls
outside the aligned runs.
"""

from __future__ import annotations

import bisect
import difflib
import importlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from tree_sitter import Language, Parser

# language -> (grammar module, function returning the language)
_GRAMMARS = {
    "python": ("tree_sitter_python", "language"),
    "javascript": ("tree_sitter_javascript", "language"),
    "typescript": ("tree_sitter_typescript", "language_typescript"),
    "tsx": ("tree_sitter_typescript", "language_tsx"), "go": ("tree_sitter_go", "language"),
    "java": ("tree_sitter_java", "language"), "rust": ("tree_sitter_rust", "language"),
    "csharp": ("tree_sitter_c_sharp", "language"), "c": ("tree_sitter_c", "language"),
    "cpp": ("tree_sitter_cpp", "language"), "ruby": ("tree_sitter_ruby", "language"),
    "php": ("tree_sitter_php", "language_php"), "kotlin": ("tree_sitter_kotlin", "language"),
    "bash": ("tree_sitter_bash", "language"),
}
_IDENT = {"identifier", "constant", "name", "variable_name", "simple_identifier", "word",
          "self", "this", "super", "primitive_type", "predefined_type", "integral_type",
          "floating_point_type", "boolean_type", "void_type", "sized_type_specifier"}
_WORD = re.compile(r"[#@$]?[^\W\d][\w$]*|\d[\w.]*")

IDENTIFIER, PUBLIC, KEYWORD, PROSE = "identifier", "public", "keyword", "prose"
KINDS = (IDENTIFIER, PUBLIC, KEYWORD, PROSE)

# A name is the file's own when it occurs once where something is defined: the name of a
# definition or declaration, a parameter, the target of an assignment or a loop. Every other
# name (imported, built in, a member of something imported) comes from outside: public.
_DEF_FIELDS = {"name", "declarator", "left", "pattern", "parameter", "type_parameter", "alias"}
# Inside what a definition binds (a declarator, an assignment target), these parts are not bound.
_STOP_FIELDS = {"value", "right", "arguments", "default", "body", "type", "return_type",
                "condition", "object", "function", "index", "operand", "superclass",
                "superclasses", "bases", "result", "initializer", "size", "scope", "path"}
_DEF_PARENT = re.compile(r"definition|declaration|declarator|parameter|assignment|binding|spec"
                         r"|_item|signature|pattern|for_|let_|lambda|catch|closure|enum|struct"
                         r"|class|interface|trait|impl|field_decl|property_decl|constructor|_arm")
_USE_PARENT = re.compile(r"invocation|access|call|selector|member_expression|attribute|reference"
                         r"|subscript|argument|import|scoped|qualified|generic_type|type_arguments")


@cache
def parser(language: str) -> Parser | None:
    spec = _GRAMMARS.get(language)
    if spec is None:
        return None
    module = importlib.import_module(spec[0])
    fn: Callable[[], Any] = getattr(module, spec[1])
    return Parser(Language(fn()))


def parses(language: str, code: str) -> bool | None:
    """Whether tree-sitter parses the code without an error node (None: no grammar)."""
    p = parser(language)
    if p is None:
        return None
    return not p.parse(code.encode("utf-8")).root_node.has_error


@dataclass(frozen=True)
class Tok:
    start: int  # character offsets
    end: int
    kind: str  # IDENTIFIER, KEYWORD or PROSE (a word in a comment or a string)
    text: str


def _is_comment(t: str) -> bool:
    return "comment" in t


def _is_string(t: str) -> bool:
    return ("string" in t and not t.endswith("identifier")) or t in (
        "char_literal", "character_literal", "rune_literal", "text_block", "heredoc_body",
        "template_string", "regex", "raw_string_literal", "jsx_text")


def classify(language: str, code: str) -> list[Tok]:
    """The tokens of the code a grammar knows: identifiers (PUBLIC when the file never defines
    the name), keywords and directives, and the words of comments and strings (PROSE)."""
    p = parser(language)
    if p is None:
        return []
    data = code.encode("utf-8")
    b2c = _byte_to_char(code, data)
    out: list[Tok] = []
    defined: set[str] = set()
    for node, literal, defines in _leaves(p.parse(data).root_node):
        s, e = b2c(node.start_byte), b2c(node.end_byte)
        text = code[s:e]
        if literal:
            out += [Tok(s + m.start(), s + m.end(), PROSE, m.group()) for m in _WORD.finditer(text)]
        elif node.is_named and (node.type in _IDENT or node.type.endswith(
                ("identifier", "identifier_pattern"))):
            out.append(Tok(s, e, IDENTIFIER, text))
            if defines:
                defined.add(text)
        elif not node.is_named and _WORD.fullmatch(text) and not text[0].isdigit():
            out.append(Tok(s, e, KEYWORD, text))
    return [Tok(t.start, t.end, PUBLIC, t.text) if t.kind == IDENTIFIER and t.text not in defined
            else t for t in out]


def _leaves(root: Any) -> Iterator[tuple[Any, bool, bool]]:
    """(leaf, taken whole as a comment or string, at a definition site), in document order."""
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, defines = stack.pop()
        if _is_comment(node.type) or (_is_string(node.type) and node.is_named):
            yield node, True, False
            continue
        if node.child_count == 0:
            yield node, False, defines
            continue
        kids = []
        for i, child in enumerate(node.children):
            fld = node.field_name_for_child(i)
            if defines:
                here = fld not in _STOP_FIELDS
            else:
                here = ((fld in _DEF_FIELDS or (fld is None and "parameter" in node.type))
                        and bool(_DEF_PARENT.search(node.type))
                        and not _USE_PARENT.search(node.type))
            kids.append((child, here))
        stack.extend(reversed(kids))


def _byte_to_char(code: str, data: bytes) -> Callable[[int], int]:
    if len(data) == len(code):
        return lambda b: b
    table = [0] * (len(data) + 1)
    b = 0
    for i, ch in enumerate(code):
        for k in range(len(ch.encode("utf-8"))):
            table[b + k] = i
        b += len(ch.encode("utf-8"))
    table[b] = len(code)
    return table.__getitem__


@dataclass
class Changes:
    """Counts per kind; IDENTIFIER counts every identifier, PUBLIC the subset never defined here."""

    total: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    changed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    # (kind, original, what it became) of every changed identifier or keyword
    renamed: list[tuple[str, str, str]] = field(default_factory=list)


def compare(language: str, before: str, after: str) -> Changes:
    """Which of the original code's tokens the anonymized code no longer has as written."""
    toks = classify(language, before)
    words_a = list(_WORD.finditer(before))
    words_b = list(_WORD.finditer(after))
    sm = difflib.SequenceMatcher(None, [m.group() for m in words_a], [m.group() for m in words_b],
                                 autojunk=False)
    kept = [False] * len(words_a)
    became: dict[int, str] = {}
    for op, a1, a2, b1, b2 in sm.get_opcodes():
        if op == "equal":
            for i in range(a1, a2):
                kept[i] = True
        elif op == "replace":
            for k, i in enumerate(range(a1, a2)):
                became[i] = words_b[b1 + k].group() if b1 + k < b2 else ""
    starts = [m.start() for m in words_a]
    out = Changes()
    for tok in toks:
        kinds = (IDENTIFIER, PUBLIC) if tok.kind == PUBLIC else (tok.kind,)
        for k in kinds:
            out.total[k] += 1
        i = bisect.bisect_right(starts, tok.start) - 1
        idx = []
        while 0 <= i < len(words_a) and words_a[i].start() < tok.end:
            if words_a[i].end() > tok.start:
                idx.append(i)
            i += 1
        if idx and not all(kept[i] for i in idx):
            for k in kinds:
                out.changed[k] += 1
            if tok.kind != PROSE:
                out.renamed.append((tok.kind, tok.text, " ".join(became.get(i, "?") for i in idx)))
    return out
