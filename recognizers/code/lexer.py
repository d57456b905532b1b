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

import re
from typing import Any, NamedTuple

from recognizers.code.languages import get_parser


def _ws(text: str) -> frozenset[str]:
    """The whitespace-separated words of a string."""
    return frozenset(text.split())


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


# -- shared tables -------------------------------------------------------------------------------

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

_INTERPOLATION_TYPES = frozenset({
    "interpolation", "template_substitution", "expansion", "simple_expansion",
    "command_substitution", "string_interpolation", "interpolated_expression",
    "line_str_text", "interpolated_identifier",
})

_COMMENT_TYPES = frozenset({
    "comment", "line_comment", "block_comment", "html_comment", "doc_comment", "marginalia",
    "multiline_comment",
})

_KEYWORDS: dict[str, frozenset[str]] = {
    "python": _ws("""
        False None True and as assert async await break class continue def del elif else except
        finally for from global if import in is lambda nonlocal not or pass raise return try
        while with yield match case type
        """),
    "javascript": _ws("""
        break case catch class const continue debugger default delete do else export extends
        finally for function if import in instanceof let new return super switch this throw try
        typeof var void while with yield async await static get set of null true false undefined
        as from
        """),
    "java": _ws("""
        abstract assert boolean break byte case catch char class const continue default do
        double else enum extends final finally float for goto if implements import instanceof
        int interface long native new package private protected public return short static
        strictfp super switch synchronized this throw throws transient try void volatile while
        var record sealed permits yield true false null
        """),
    "go": _ws("""
        break case chan const continue default defer else fallthrough for func go goto if import
        interface map package range return select struct switch type var nil true false iota
        """),
}
_KEYWORDS["typescript"] = _KEYWORDS["javascript"] | _ws(
    """
        interface type enum implements private public protected readonly declare namespace
        module abstract any number string boolean unknown never keyof infer is asserts satisfies
        """)
_KEYWORDS["tsx"] = _KEYWORDS["typescript"]
_GENERIC_KEYWORDS = frozenset().union(*_KEYWORDS.values()) | _ws(
    """
        fn let mut impl trait struct pub use mod crate self Self where loop match def end elif
        unless until begin rescue ensure module then do fun val object when sealed data
        companion namespace using typedef sizeof unsigned signed long short char void auto
        extern inline template typename operator delete friend virtual override echo function
        local export readonly declare elsif foreach
        """)

# the word before a name that declares it, for the regex lexer and for ERROR regions
_DECL_KEYWORDS = {
    "class": "class", "struct": "class", "record": "class", "object": "class", "trait": "type",
    "interface": "type", "enum": "type", "type": "type", "typedef": "type", "protocol": "type",
    "def": "function", "function": "function", "func": "function", "fn": "function",
    "fun": "function", "sub": "function", "proc": "function", "procedure": "function",
    "const": "variable", "let": "variable", "var": "variable", "val": "variable",
    "module": "module", "namespace": "module", "package": "module", "mod": "module",
}

_ID_RE = re.compile(r"[A-Za-z_$\u00c0-\uffff][\w$\u00c0-\uffff]*")


def _keywords(language: str) -> frozenset[str]:
    return _KEYWORDS.get(language, _GENERIC_KEYWORDS)


# -- the regex lexer -----------------------------------------------------------------------------

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


def _regex_lex(code: str, language: str | None, start: int = 0, end: int | None = None,
               out: list[Token] | None = None) -> list[Token]:
    pat = _REGEX_CACHE.get(language)
    if pat is None:
        pat = _REGEX_CACHE[language] = _regex_for(language)
    out = [] if out is None else out
    kw = _keywords(language or "")
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
        elif prev_word in _DECL_KEYWORDS and _only_space_between(code, prev_word, s):
            role, detail = DEFINITION, _DECL_KEYWORDS[prev_word]
        elif prev_word in ("import", "from", "require", "use", "using", "include"):
            role = IMPORT
        out.append(Token(s, e, IDENTIFIER, role, detail))
        prev_word = word if role == IMPORT else ""
    return out


def _only_space_between(code: str, prev_word: str, s: int) -> bool:
    i = s - 1
    while i >= 0 and code[i] in " \t*&":
        i -= 1
    return code[i - len(prev_word) + 1:i + 1] == prev_word


# -- tree-sitter ---------------------------------------------------------------------------------

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


class _Ctx:
    __slots__ = ("b2c", "code", "data", "detail_cache", "kw", "language", "out")

    def __init__(self, code: str, data: bytes, language: str) -> None:
        self.code = code
        self.data = data
        self.language = language
        self.b2c = _byte_to_char(code, data)
        self.out: list[Token] = []
        self.kw = _keywords(language)
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


_SCREAMING = re.compile(r"^_*[A-Z][A-Z0-9_]*$")


def _ancestor(stack: list[tuple[Any, Any, int]], depth: int) -> tuple[Any, str | None]:
    """(ancestor, its field name); stack[-1] is the parent, depth 1 = parent, 2 = grandparent."""
    if len(stack) >= depth:
        node, parent, index = stack[-depth]
        return node, (parent.field_name_for_named_child(index) if parent is not None else None)
    return None, None


def _in_types(stack: list[tuple[Any, str | None]], types: frozenset[str], limit: int = 64) -> Any:
    for entry in reversed(stack[-limit:]):
        if entry[0].type in types:
            return entry[0]
    return None


# Roles per language: a function (node, field, stack, ctx) -> (role, detail)

_PY_PARAM_PARENTS = frozenset({"parameters", "lambda_parameters"})
_PY_PATTERN = frozenset({"pattern_list", "tuple_pattern", "list_pattern", "list_splat_pattern"})
_PY_IMPORTS = frozenset({"import_statement", "import_from_statement", "future_import_statement"})


def _py_role(node: Any, field: str | None, stack: list, ctx: _Ctx) -> tuple[str, str]:
    parent, pfield = _ancestor(stack, 1)
    if parent is None:
        return REFERENCE, ""
    pt = parent.type
    imp = _in_types(stack, _PY_IMPORTS, 6)
    if imp is not None:
        module = _py_import_module(imp, ctx)
        if not module:  # import a.b as c: each name is its own module path
            for i, entry in enumerate(stack):
                if entry[0] is imp and i + 1 < len(stack):
                    item = stack[i + 1][0]
                    break
            else:
                item = node
            if item.type == "aliased_import":
                item = item.child_by_field_name("name") or item
            module = ctx.text(item)
        return IMPORT, module
    if pt == "attribute":
        if field == "attribute":
            # self.x = ... declares a field
            if pfield == "left" and _ancestor(stack, 2)[0] is not None and \
                    _ancestor(stack, 2)[0].type == "assignment":
                obj = parent.child_by_field_name("object")
                if obj is not None and ctx.text(obj) in ("self", "cls"):
                    return DEFINITION, "field"
            return ATTRIBUTE, ""
        return REFERENCE, ""
    if field == "name" and pt == "class_definition":
        return DEFINITION, "class"
    if field == "name" and pt == "function_definition":
        gp = _ancestor(stack, 2)[0]
        ggp = _ancestor(stack, 3)[0]
        if gp is not None and gp.type == "decorated_definition":
            gp, ggp = ggp, _ancestor(stack, 4)[0]
        if gp is not None and gp.type == "block" and ggp is not None and \
                ggp.type == "class_definition":
            return DEFINITION, "method"
        return DEFINITION, "function"
    if pt in _PY_PARAM_PARENTS:
        return DEFINITION, "parameter"
    if pt in ("default_parameter", "typed_default_parameter") and field == "name":
        return DEFINITION, "parameter"
    if pt == "typed_parameter" and field is None:
        return DEFINITION, "parameter"
    if pt in ("list_splat_pattern", "dictionary_splat_pattern"):
        gp = _ancestor(stack, 2)[0]
        if gp is not None and gp.type in _PY_PARAM_PARENTS | {"typed_parameter"}:
            return DEFINITION, "parameter"
    if pt == "keyword_argument" and field == "name":
        call = _ancestor(stack, 3)[0]
        callee = ""
        if call is not None and call.type == "call":
            fn = call.child_by_field_name("function")
            if fn is not None:
                callee = ctx.text(fn).rsplit(".", 1)[-1]
        elif call is not None and call.type == "class_definition":
            callee = "class"
        return PROPERTY_KEY, f"kwarg:{callee}"
    if (pt == "assignment" and field == "left") or pt in _PY_PATTERN:
        top = parent
        i = 1
        while top is not None and top.type in _PY_PATTERN:
            i += 1
            top = _ancestor(stack, i)[0]
        if top is not None and top.type in ("assignment", "for_statement", "for_in_clause",
                                             "with_item", "as_pattern_target"):
            if top.type == "assignment":
                block = _ancestor(stack, i + 2)[0]
                cls = _ancestor(stack, i + 3)[0]
                if block is not None and block.type == "block" and cls is not None and \
                        cls.type == "class_definition":
                    return DEFINITION, "field"
                return DEFINITION, "constant" if _SCREAMING.match(ctx.text(node)) else "variable"
            return DEFINITION, "variable"
        return REFERENCE, ""
    if pt in ("for_statement", "for_in_clause") and field == "left":
        return DEFINITION, "variable"
    if pt in ("as_pattern_target", "named_expression") and field in (None, "name"):
        return DEFINITION, "variable"
    if pt == "type_alias_statement" and field == "left":
        return DEFINITION, "type"
    if pt == "type" and _ancestor(stack, 2)[0] is not None and \
            _ancestor(stack, 2)[0].type == "type_alias_statement":
        return DEFINITION, "type"
    return REFERENCE, ""


def _py_import_module(stmt: Any, ctx: _Ctx) -> str:
    key = stmt.start_byte
    cached = ctx.detail_cache.get(key)
    if cached is not None:
        return cached
    mod = stmt.child_by_field_name("module_name")
    detail = ctx.text(mod) if mod is not None else ""
    ctx.detail_cache[key] = detail
    return detail


_JS_IMPORTS = frozenset({"import_statement", "import_clause", "named_imports", "import_specifier",
                         "namespace_import", "import_require_clause", "import_alias"})
_JS_PARAM_PARENTS = frozenset({"formal_parameters", "required_parameter", "optional_parameter",
                               "rest_pattern", "rest_parameter"})
_JS_FUNC_VALUES = frozenset({"arrow_function", "function_expression", "function",
                             "generator_function"})


def _js_role(node: Any, field: str | None, stack: list, ctx: _Ctx) -> tuple[str, str]:
    parent, _pfield = _ancestor(stack, 1)
    if parent is None:
        return REFERENCE, ""
    pt = parent.type
    nt = node.type
    if pt in _JS_IMPORTS or (pt == "export_specifier" and _has_source(_ancestor(stack, 3)[0])):
        stmt = _in_types(stack, frozenset({"import_statement", "export_statement"}), 6)
        return IMPORT, _js_source(stmt, ctx)
    if pt in ("member_expression", "optional_chain") and field == "property":
        return ATTRIBUTE, ""
    if pt == "nested_type_identifier" and field == "name":
        return ATTRIBUTE, ""
    if field == "name":
        if pt in ("class_declaration", "class", "abstract_class_declaration"):
            return DEFINITION, "class"
        if pt in ("function_declaration", "generator_function_declaration", "function_expression",
                  "function", "generator_function", "function_signature"):
            return DEFINITION, "function"
        if pt in ("method_definition", "method_signature", "abstract_method_signature"):
            return DEFINITION, "method"
        if pt in ("interface_declaration", "type_alias_declaration", "enum_declaration",
                  "type_parameter"):
            return DEFINITION, "type"
        if pt in ("public_field_definition", "property_signature", "field_definition"):
            return DEFINITION, "field"
        if pt == "enum_assignment":
            return DEFINITION, "constant"
        if pt == "variable_declarator":
            value = parent.child_by_field_name("value")
            if value is not None:
                if value.type in _JS_FUNC_VALUES:
                    return DEFINITION, "function"
                if value.type == "call_expression":
                    fn = value.child_by_field_name("function")
                    if fn is not None and ctx.text(fn) == "require":
                        return IMPORT, _require_source(value, ctx)
                if value.type == "class":
                    return DEFINITION, "class"
            decl = _ancestor(stack, 2)[0]
            if decl is not None and _SCREAMING.match(ctx.text(node)) and \
                    decl.children and decl.children[0].type == "const":
                return DEFINITION, "constant"
            return DEFINITION, "variable"
    if pt == "field_definition" and field == "property":
        return DEFINITION, "field"
    if pt == "enum_body":
        return DEFINITION, "constant"
    if pt in _JS_PARAM_PARENTS or (pt == "arrow_function" and field == "parameter"):
        return DEFINITION, "parameter"
    if pt == "assignment_pattern" and field == "left":
        return DEFINITION, "variable"
    if nt == "shorthand_property_identifier_pattern" or pt in ("array_pattern", "object_pattern"):
        return _js_pattern_role(stack, ctx)
    if pt == "pair_pattern":
        if field == "key":
            return PROPERTY_KEY, ""
        return _js_pattern_role(stack, ctx)
    if pt == "catch_clause" and field == "parameter":
        return DEFINITION, "variable"
    if pt == "for_in_statement" and field == "left":
        return DEFINITION, "variable"
    if pt == "pair" and field == "key":
        return PROPERTY_KEY, ""
    if pt == "jsx_attribute" or (nt == "property_identifier" and pt == "jsx_namespace_name"):
        return PROPERTY_KEY, ""
    if pt == "labeled_statement":
        return DEFINITION, "label"
    if nt == "property_identifier":
        return PROPERTY_KEY, ""
    return REFERENCE, ""


def _js_pattern_role(stack: list, ctx: _Ctx) -> tuple[str, str]:
    # destructuring: const {a, b} = require('x') imports; in parameters it declares params
    for entry in reversed(stack[-8:]):
        node = entry[0]
        t = node.type
        if t == "variable_declarator":
            value = node.child_by_field_name("value")
            if value is not None and value.type == "call_expression":
                fn = value.child_by_field_name("function")
                if fn is not None and ctx.text(fn) == "require":
                    return IMPORT, _require_source(value, ctx)
            return DEFINITION, "variable"
        if t in _JS_PARAM_PARENTS or t == "arrow_function":
            return DEFINITION, "parameter"
        if t in ("for_in_statement", "catch_clause", "assignment_expression"):
            return DEFINITION, "variable"
    return DEFINITION, "variable"


def _has_source(stmt: Any) -> bool:
    return stmt is not None and stmt.child_by_field_name("source") is not None


def _js_source(stmt: Any, ctx: _Ctx) -> str:
    if stmt is None:
        return ""
    src = stmt.child_by_field_name("source")
    if src is None:
        req = None
        for c in stmt.children:
            if c.type == "import_require_clause":
                req = c.child_by_field_name("source")
        src = req
    return ctx.text(src).strip("'\"`") if src is not None else ""


def _require_source(call: Any, ctx: _Ctx) -> str:
    args = call.child_by_field_name("arguments")
    if args is not None and args.named_child_count:
        return ctx.text(args.named_children[0]).strip("'\"`")
    return ""


_JAVA_TYPES = frozenset({"class_declaration", "record_declaration", "enum_declaration"})
_JAVA_IFACES = frozenset({"interface_declaration", "annotation_type_declaration"})


def _java_role(node: Any, field: str | None, stack: list, ctx: _Ctx) -> tuple[str, str]:
    parent, _pfield = _ancestor(stack, 1)
    if parent is None:
        return REFERENCE, ""
    pt = parent.type
    top = _in_types(stack, frozenset({"import_declaration", "package_declaration"}), 12)
    if top is not None:
        path = ctx.text(top).split(None, 1)[-1].rstrip(";").strip()
        if path.startswith("static "):
            path = path[7:].strip()
        if top.type == "package_declaration":
            return DEFINITION, "module"
        return IMPORT, path
    if field == "name":
        if pt in _JAVA_TYPES:
            return DEFINITION, "class"
        if pt in _JAVA_IFACES:
            return DEFINITION, "type"
        if pt in ("method_declaration", "constructor_declaration",
                  "compact_constructor_declaration", "annotation_type_element_declaration"):
            return DEFINITION, "method"
        if pt == "variable_declarator":
            gp = _ancestor(stack, 2)[0]
            if gp is not None and gp.type in ("field_declaration", "constant_declaration"):
                mods = gp.children[0] if gp.children else None
                text = ctx.text(mods) if mods is not None and mods.type == "modifiers" else ""
                if gp.type == "constant_declaration" or (
                        "static" in text and "final" in text) or _SCREAMING.match(ctx.text(node)):
                    return DEFINITION, "constant"
                return DEFINITION, "field"
            if gp is not None and gp.type == "spread_parameter":
                return DEFINITION, "parameter"
            return DEFINITION, "variable"
        if pt in ("formal_parameter", "catch_formal_parameter", "receiver_parameter"):
            return DEFINITION, "parameter"
        if pt in ("enhanced_for_statement", "resource", "pattern", "type_pattern",
                  "record_pattern_component"):
            return DEFINITION, "variable"
        if pt == "enum_constant":
            return DEFINITION, "constant"
        if pt in ("method_invocation",):
            return (ATTRIBUTE if parent.child_by_field_name("object") is not None
                    else REFERENCE), ""
        if pt in ("marker_annotation", "annotation"):
            return REFERENCE, ""
        if pt in ("scoped_identifier", "scoped_type_identifier"):
            return ATTRIBUTE, ""
    if pt == "type_parameter":
        return DEFINITION, "type"
    if (pt == "lambda_expression" and field == "parameters") or pt == "inferred_parameters":
        return DEFINITION, "parameter"
    if pt == "field_access" and field == "field":
        return ATTRIBUTE, ""
    if pt == "method_reference" and node.start_byte != parent.start_byte:
        return ATTRIBUTE, ""
    if pt == "element_value_pair" and field == "key":
        return PROPERTY_KEY, ""
    if pt == "scoped_type_identifier" and node.start_byte != parent.start_byte:
        return ATTRIBUTE, ""
    return REFERENCE, ""


def _go_role(node: Any, field: str | None, stack: list, ctx: _Ctx) -> tuple[str, str]:
    parent, pfield = _ancestor(stack, 1)
    if parent is None:
        return REFERENCE, ""
    pt = parent.type
    if pt == "package_clause":
        return DEFINITION, "module"
    if pt == "import_spec":
        path = parent.child_by_field_name("path")
        return IMPORT, ctx.text(path).strip('"`') if path is not None else ""
    if field == "name":
        if pt in ("type_spec", "type_alias", "type_parameter_declaration"):
            return DEFINITION, "type"
        if pt == "function_declaration":
            return DEFINITION, "function"
        if pt in ("method_declaration", "method_elem", "method_spec"):
            return DEFINITION, "method"
        if pt == "field_declaration":
            return DEFINITION, "field"
        if pt in ("parameter_declaration", "variadic_parameter_declaration"):
            return DEFINITION, "parameter"
        if pt == "var_spec":
            return DEFINITION, "variable"
        if pt == "const_spec":
            return DEFINITION, "constant"
        if pt == "qualified_type":
            return ATTRIBUTE, ""
    if pt == "qualified_type" and field == "package":
        return REFERENCE, ""
    if pt == "expression_list":
        gp = _ancestor(stack, 2)[0]
        if gp is not None and pfield == "left" and gp.type in ("short_var_declaration",
                                                                "range_clause"):
            return DEFINITION, "variable"
    if pt in ("short_var_declaration", "range_clause") and field == "left":
        return DEFINITION, "variable"
    if pt == "selector_expression" and field == "field":
        return ATTRIBUTE, ""
    if pt in ("keyed_element", "literal_element"):
        gp = _ancestor(stack, 2)[0]
        key_node = parent if pt == "literal_element" else node
        ke = gp if pt == "literal_element" else parent
        if ke is not None and ke.type == "keyed_element" and \
                ke.start_byte == key_node.start_byte:
            return PROPERTY_KEY, ""
    if pt == "labeled_statement":
        return DEFINITION, "label"
    return REFERENCE, ""


_SQL_CREATE = {
    "create_table": "table", "create_view": "table", "create_materialized_view": "table",
    "create_function": "function", "create_procedure": "function", "create_index": "table",
    "create_type": "type", "create_schema": "module", "create_sequence": "variable",
    "create_trigger": "function", "create_database": "module", "create_role": "variable",
    "create_extension": "",
}


def _sql_role(node: Any, field: str | None, stack: list, ctx: _Ctx) -> tuple[str, str]:
    parent, _pfield = _ancestor(stack, 1)
    if parent is None:
        return REFERENCE, ""
    pt = parent.type
    if pt == "object_reference":
        gp = _ancestor(stack, 2)[0]
        if gp is not None and gp.type in _SQL_CREATE and _SQL_CREATE[gp.type] and \
                field == "name":
            return DEFINITION, _SQL_CREATE[gp.type]
        if field == "schema" and gp is not None and gp.type == "create_schema":
            return DEFINITION, "module"
        return REFERENCE, ""
    if _SQL_CREATE.get(pt):
        return DEFINITION, _SQL_CREATE[pt]
    if pt == "column_definition" and field == "name":
        return DEFINITION, "field"
    if pt == "cte" and parent.start_byte == node.start_byte:
        return DEFINITION, "table"
    if field == "alias":
        return DEFINITION, "variable"
    if pt == "function_argument":
        return DEFINITION, "parameter"
    if pt == "field" and field == "name":
        return ATTRIBUTE, ""
    return REFERENCE, ""


def _bash_role(node: Any, field: str | None, stack: list, ctx: _Ctx) -> tuple[str, str]:
    parent, _ = _ancestor(stack, 1)
    if parent is None:
        return REFERENCE, ""
    pt = parent.type
    if pt == "variable_assignment" and field == "name":
        return DEFINITION, "variable"
    if pt == "function_definition" and field == "name":
        return DEFINITION, "function"
    if pt == "for_statement" and field == "variable":
        return DEFINITION, "variable"
    return REFERENCE, ""


def _key_role(node: Any, field: str | None, stack: list, ctx: _Ctx) -> tuple[str, str]:
    return PROPERTY_KEY, ""


_GENERIC_DEF_SUFFIXES = ("_declaration", "_definition", "_item", "_declarator", "_specifier",
                         "_signature", "_statement")
_GENERIC_IMPORT = frozenset({
    "use_declaration", "using_directive", "import_declaration", "import_header",
    "namespace_use_declaration", "preproc_include", "import_statement", "import_list",
    "extern_crate_declaration", "import",
})


def _generic_role(node: Any, field: str | None, stack: list, ctx: _Ctx) -> tuple[str, str]:
    parent, _ = _ancestor(stack, 1)
    if parent is None:
        return REFERENCE, ""
    pt = parent.type
    if _in_types(stack, _GENERIC_IMPORT, 8) is not None:
        return IMPORT, ""
    if (field in ("name", "declarator") and pt.endswith(_GENERIC_DEF_SUFFIXES)) or \
            pt in ("class", "module", "method", "singleton_method", "function_declaration",
                   "class_declaration", "object_declaration", "type_alias"):
        if any(k in pt for k in ("class", "struct", "enum", "record", "object", "union")):
            return DEFINITION, "class"
        if any(k in pt for k in ("interface", "trait", "type", "protocol")):
            return DEFINITION, "type"
        if any(k in pt for k in ("function", "method", "fn", "constructor", "func")):
            return DEFINITION, "function" if "method" not in pt else "method"
        if any(k in pt for k in ("module", "namespace", "package", "mod_item")):
            return DEFINITION, "module"
        if "field" in pt or "property" in pt:
            return DEFINITION, "field"
        if "const" in pt or "static" in pt:
            return DEFINITION, "constant"
        if "parameter" in pt:
            return DEFINITION, "parameter"
        return DEFINITION, "variable"
    if "parameter" in pt:
        return DEFINITION, "parameter"
    if field in ("field", "property", "attribute", "member") or pt in (
            "field_expression", "member_access_expression", "navigation_suffix",
            "scoped_identifier", "member_expression", "call" if field == "method" else ""):
        return ATTRIBUTE, ""
    if field == "method":
        return ATTRIBUTE, ""
    if pt in ("pair", "table", "dotted_key") or field == "key":
        return PROPERTY_KEY, ""
    return REFERENCE, ""


_ROLE_FUNCS = {
    "python": _py_role, "javascript": _js_role, "typescript": _js_role, "tsx": _js_role,
    "java": _java_role, "go": _go_role, "sql": _sql_role, "shell": _bash_role,
}

# grammar to retry with when the first parse has errors
_ALTERNATE = {"javascript": "tsx", "typescript": "tsx", "tsx": "typescript"}


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


def _walk(tree: Any, ctx: _Ctx, role_fn: Any) -> None:
    """Depth-first over the NAMED nodes only (punctuation and keywords are skipped in C)."""
    out = ctx.out
    kw = ctx.kw
    code = ctx.code
    language = ctx.language
    yaml_like = language in ("yaml", "json", "toml")
    cache = _CLASS_CACHE
    stack: list[tuple[Any, Any, int]] = []  # ancestors: (node, its parent, index in parent)
    # (node, parent, index among the parent's named children, depth, error depth, in string)
    todo: list[tuple[Any, Any, int, int, int, bool]] = [(tree.root_node, None, 0, 0, 0, False)]
    pop = todo.pop
    push = todo.append
    while todo:
        node, parent, index, depth, error_depth, in_string = pop()
        if len(stack) > depth:
            del stack[depth:]
        t = node.type
        c = cache.get((t, yaml_like))
        if c is None:
            c = _classify(t, yaml_like)
        descend = True
        if in_string and t not in _INTERPOLATION_TYPES:
            continue  # a literal piece of an interpolated string, already emitted
        if c == _C_PLAIN:
            pass
        elif c == _C_COMMENT:
            s, e = ctx.span(node)
            out.append(Token(s, e, COMMENT))
            continue
        elif c == _C_IDENT:
            if node.named_child_count == 0:
                s, e = ctx.span(node)
                text = code[s:e]
                if text in kw and (error_depth or t == "identifier"):
                    pass
                elif error_depth:
                    out.append(_error_token(code, s, e, language))
                else:
                    field = parent.field_name_for_named_child(index) if parent else None
                    role, detail = role_fn(node, field, stack, ctx)
                    out.append(Token(s, e, IDENTIFIER, role, detail))
                continue
        elif c == _C_STRING:
            field = parent.field_name_for_named_child(index) if parent else None
            if field in ("source", "path") and parent.type in _IMPORT_TYPES:
                s, e = ctx.span(node)
                out.append(Token(s, e, STRING, IMPORT, code[s:e].strip("'\"`")))
                continue
            if not _string_node(node, ctx):
                s, e = ctx.span(node)
                out.append(Token(s, e, STRING))
                continue
            # an interpolated string: walk into its interpolations only
            kids = node.named_children
            stack.append((node, parent, index))
            for i in range(len(kids) - 1, -1, -1):
                push((kids[i], node, i, depth + 1, error_depth, True))
            continue
        elif c == _C_KEYISH:
            s, e = ctx.span(node)
            field = parent.field_name_for_named_child(index) if parent else None
            is_key = field == "key" or (parent is not None and parent.type == "dotted_key") or \
                t == "bare_key"
            text = code[s:e]
            if is_key and _ID_RE.fullmatch(text.strip("\"'")):
                q = 1 if text[:1] in "\"'" else 0
                out.append(Token(s + q, e - q, IDENTIFIER, PROPERTY_KEY))
            else:
                out.append(Token(s, e, STRING))
            continue
        elif c == _C_ERROR:
            error_depth += 1
            if node.named_child_count == 0:
                s, e = ctx.span(node)
                _regex_lex(code, language, s, e, out)
                continue
            # anonymous leaves of an ERROR region may hide names: lex its text between
            # the named children with the regex lexer
            _error_gaps(node, ctx)
        elif c == _C_WORD and language == "shell" and node.named_child_count == 0:
            s, e = ctx.span(node)
            parent_type = parent.type if parent is not None else ""
            if parent_type == "command_name":
                out.append(Token(s, e, IDENTIFIER, REFERENCE))
            elif parent_type == "function_definition":
                out.append(Token(s, e, IDENTIFIER, DEFINITION, "function"))
            else:
                out.append(Token(s, e, STRING))
            continue
        if descend:
            kids = node.named_children
            if kids:
                stack.append((node, parent, index))
                d = depth + 1
                for i in range(len(kids) - 1, -1, -1):
                    push((kids[i], node, i, d, error_depth, False))


def _error_gaps(node: Any, ctx: _Ctx) -> None:
    """Names among the anonymous tokens of an ERROR node (keywords used as names ...)."""
    prev = node.start_byte
    for child in node.children:
        if child.is_named:
            if child.start_byte > prev:
                s, e = ctx.span_bytes(prev, child.start_byte)
                _regex_lex(ctx.code, ctx.language, s, e, ctx.out)
            prev = child.end_byte
    if node.end_byte > prev:
        s, e = ctx.span_bytes(prev, node.end_byte)
        _regex_lex(ctx.code, ctx.language, s, e, ctx.out)


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
    if prev in _DECL_KEYWORDS:
        return Token(s, e, IDENTIFIER, DEFINITION, _DECL_KEYWORDS[prev])
    if prev in ("import", "from"):
        return Token(s, e, IDENTIFIER, IMPORT)
    return Token(s, e, IDENTIFIER, REFERENCE)


def _string_node(node: Any, ctx: _Ctx) -> bool:
    """True when a string has interpolations: its literal pieces are emitted here, and the walk
    then descends into the interpolations only."""
    children = node.children
    for c in children:
        if c.type in _INTERPOLATION_TYPES:
            break
    else:
        return False
    start = -1
    end = -1
    for c in children:
        if c.type in _INTERPOLATION_TYPES:
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


def lex(code: str, language: str | None) -> list[Token]:
    """Identifier, string and comment tokens of ``code``, sorted by start offset."""
    lang = language or ""
    parser = get_parser(lang) if lang else None
    if parser is None:
        return _regex_lex(code, language)
    data = code.encode("utf-8", "surrogatepass")
    tree = parser.parse(data)
    if tree.root_node.has_error and lang in _ALTERNATE:
        alt = get_parser(_ALTERNATE[lang])
        if alt is not None:
            tree2 = alt.parse(data)
            if not tree2.root_node.has_error:
                tree, lang = tree2, _ALTERNATE[lang]
    ctx = _Ctx(code, data, lang)
    if lang in ("yaml", "json", "toml"):
        role_fn = _key_role
    else:
        role_fn = _ROLE_FUNCS.get(lang, _generic_role)
    _walk(tree, ctx, role_fn)
    out = ctx.out
    out.sort()
    return out


def identifiers(tokens: list[Token]) -> list[Token]:
    return [t for t in tokens if t.kind == IDENTIFIER]
