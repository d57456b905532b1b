"""Roles of JavaScript and TypeScript identifiers: declarations, ``import``/``require`` with
their source, destructuring patterns, object keys and JSX attributes."""

from __future__ import annotations

from typing import Any

from recognizers.code.roles.base import ASK, SCREAMING, Rule, ancestor, in_types
from recognizers.code.tokens import ATTRIBUTE, DEFINITION, IMPORT, PROPERTY_KEY, REFERENCE
from recognizers.code.treesitter import WalkContext

_JS_IMPORTS = frozenset({"import_statement", "import_clause", "named_imports", "import_specifier",
                         "namespace_import", "import_require_clause", "import_alias"})
_JS_PARAM_PARENTS = frozenset({"formal_parameters", "required_parameter", "optional_parameter",
                               "rest_pattern", "rest_parameter"})
_JS_FUNC_VALUES = frozenset({"arrow_function", "function_expression", "function",
                             "generator_function"})
_JS_NAMED = (  # the parents whose ``name`` js_role looks at
    "class_declaration", "class", "abstract_class_declaration", "function_declaration",
    "generator_function_declaration", "function_expression", "function", "generator_function",
    "function_signature", "method_definition", "method_signature", "abstract_method_signature",
    "interface_declaration", "type_alias_declaration", "enum_declaration", "type_parameter",
    "public_field_definition", "property_signature", "field_definition", "enum_assignment",
    "variable_declarator",
)

#: js_role as query patterns, in its order (see recognizers/code/queries.py)
RULES: list[Rule] = [
    *[(f"({t} ID @id)", ASK) for t in sorted(_JS_IMPORTS)],
    ("(export_specifier ID @id)", ASK),
    ("(member_expression property: ID @id)", (ATTRIBUTE, "")),
    ("(optional_chain property: ID @id)", (ATTRIBUTE, "")),
    ("(nested_type_identifier name: ID @id)", (ATTRIBUTE, "")),
    *[(f"({t} name: ID @id)", ASK) for t in _JS_NAMED],
    ("(field_definition property: ID @id)", ASK),
    ("(enum_body ID @id)", ASK),
    *[(f"({t} ID @id)", ASK) for t in sorted(_JS_PARAM_PARENTS)],
    ("(arrow_function parameter: ID @id)", ASK),
    ("(assignment_pattern left: ID @id)", ASK),
    ("(shorthand_property_identifier_pattern) @id", ASK),
    ("(array_pattern ID @id)", ASK),
    ("(object_pattern ID @id)", ASK),
    ("(pair_pattern ID @id)", ASK),
    ("(catch_clause parameter: ID @id)", ASK),
    ("(for_in_statement left: ID @id)", ASK),
    ("(pair key: ID @id)", ASK),
    ("(jsx_attribute ID @id)", ASK),
    ("(jsx_namespace_name ID @id)", ASK),
    ("(labeled_statement ID @id)", ASK),
    ("(property_identifier) @id", ASK),
]


def js_role(node: Any, field: str | None, stack: list, ctx: WalkContext) -> tuple[str, str]:
    parent, _pfield = ancestor(stack, 1)
    if parent is None:
        return REFERENCE, ""
    pt = parent.type
    nt = node.type
    if pt in _JS_IMPORTS or (pt == "export_specifier" and _has_source(ancestor(stack, 3)[0])):
        stmt = in_types(stack, frozenset({"import_statement", "export_statement"}), 6)
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
            decl = ancestor(stack, 2)[0]
            if decl is not None and SCREAMING.match(ctx.text(node)) and \
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


def _js_pattern_role(stack: list, ctx: WalkContext) -> tuple[str, str]:
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


def _js_source(stmt: Any, ctx: WalkContext) -> str:
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


def _require_source(call: Any, ctx: WalkContext) -> str:
    args = call.child_by_field_name("arguments")
    if args is not None and args.named_child_count:
        return ctx.text(args.named_children[0]).strip("'\"`")
    return ""

