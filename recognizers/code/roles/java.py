"""Roles of Java identifiers: types, methods, fields and constants (``static final`` or
SCREAMING), parameters, imports and the ``package`` declaration."""

from __future__ import annotations

from typing import Any

from recognizers.code.roles.base import (
    ASK,
    SCREAMING,
    Inside,
    Rule,
    ancestor,
    in_types,
    within,
)
from recognizers.code.tokens import ATTRIBUTE, DEFINITION, IMPORT, PROPERTY_KEY, REFERENCE
from recognizers.code.treesitter import WalkContext

_JAVA_TYPES = frozenset({"class_declaration", "record_declaration", "enum_declaration"})
_JAVA_IFACES = frozenset({"interface_declaration", "annotation_type_declaration"})
_JAVA_IMPORTS = frozenset({"import_declaration", "package_declaration"})


def _path(statement: str) -> str:
    path = statement.split(None, 1)[-1].rstrip(";").strip()
    return path[7:].strip() if path.startswith("static ") else path


def _import(stmt: Any, node: Any, text: str, ctx: WalkContext) -> tuple[str, str] | None:
    """A name of ``import a.b.C;``: with 8 dots at most no name lies deeper than 12 (the
    role function's reach); a package declaration may hold annotations: the role function."""
    statement = ctx.text(stmt)
    if stmt.type != "import_declaration" or statement.count(".") > 8:
        return None
    return IMPORT, _path(statement)


def _named(types: tuple[str, ...] | frozenset[str], role: tuple[str, str]) -> list[Rule]:
    return [(f"({t} name: ID @id)", role) for t in sorted(types)]


#: java_role as query patterns, in its order (see recognizers/code/queries.py)
RULES: list[Rule] = [
    *within(_JAVA_IMPORTS, Inside(_import)),
    *_named(_JAVA_TYPES, (DEFINITION, "class")),
    *_named(_JAVA_IFACES, (DEFINITION, "type")),
    *_named(("method_declaration", "constructor_declaration", "compact_constructor_declaration",
             "annotation_type_element_declaration"), (DEFINITION, "method")),
    ("(variable_declarator name: ID @id)", ASK),
    *_named(("formal_parameter", "catch_formal_parameter", "receiver_parameter"),
            (DEFINITION, "parameter")),
    *_named(("enhanced_for_statement", "resource", "pattern", "type_pattern",
             "record_pattern_component"), (DEFINITION, "variable")),
    ("(enum_constant name: ID @id)", (DEFINITION, "constant")),
    ("(method_invocation object: _ name: ID @id)", (ATTRIBUTE, "")),
    ("(method_invocation name: ID @id)", (REFERENCE, "")),
    *_named(("marker_annotation", "annotation"), (REFERENCE, "")),
    *_named(("scoped_identifier", "scoped_type_identifier"), (ATTRIBUTE, "")),
    ("(type_parameter ID @id)", (DEFINITION, "type")),
    ("(lambda_expression parameters: ID @id)", (DEFINITION, "parameter")),
    ("(inferred_parameters ID @id)", (DEFINITION, "parameter")),
    ("(field_access field: ID @id)", (ATTRIBUTE, "")),
    ("(method_reference ID @id)", ASK),
    ("(element_value_pair key: ID @id)", (PROPERTY_KEY, "")),
    ("(scoped_type_identifier ID @id)", ASK),
]


def java_role(node: Any, field: str | None, stack: list, ctx: WalkContext) -> tuple[str, str]:
    parent, _pfield = ancestor(stack, 1)
    if parent is None:
        return REFERENCE, ""
    pt = parent.type
    top = in_types(stack, _JAVA_IMPORTS, 12)
    if top is not None:
        if top.type == "package_declaration":
            return DEFINITION, "package"
        return IMPORT, _path(ctx.text(top))
    if field == "name":
        if pt in _JAVA_TYPES:
            return DEFINITION, "class"
        if pt in _JAVA_IFACES:
            return DEFINITION, "type"
        if pt in ("method_declaration", "constructor_declaration",
                  "compact_constructor_declaration", "annotation_type_element_declaration"):
            return DEFINITION, "method"
        if pt == "variable_declarator":
            gp = ancestor(stack, 2)[0]
            if gp is not None and gp.type in ("field_declaration", "constant_declaration"):
                mods = gp.children[0] if gp.children else None
                text = ctx.text(mods) if mods is not None and mods.type == "modifiers" else ""
                if gp.type == "constant_declaration" or (
                        "static" in text and "final" in text) or SCREAMING.match(ctx.text(node)):
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

