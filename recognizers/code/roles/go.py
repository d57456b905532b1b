"""Roles of Go identifiers: types, functions, methods, fields, ``var``/``const``/``:=``, the
package clause and import paths."""

from __future__ import annotations

from typing import Any

from recognizers.code.roles.base import ASK, Rule, ancestor
from recognizers.code.tokens import ATTRIBUTE, DEFINITION, IMPORT, PROPERTY_KEY, REFERENCE
from recognizers.code.treesitter import WalkContext

#: go_role as query patterns, in its order (see recognizers/code/queries.py)
RULES: list[Rule] = [
    ("(package_clause ID @id)", (DEFINITION, "package")),
    ("(import_spec ID @id)", ASK),
    *[(f"({t} name: ID @id)", role) for ts, role in (
        (("type_spec", "type_alias", "type_parameter_declaration"), (DEFINITION, "type")),
        (("function_declaration",), (DEFINITION, "function")),
        (("method_declaration", "method_elem", "method_spec"), (DEFINITION, "method")),
        (("field_declaration",), (DEFINITION, "field")),
        (("parameter_declaration", "variadic_parameter_declaration"), (DEFINITION, "parameter")),
        (("var_spec",), (DEFINITION, "variable")),
        (("const_spec",), (DEFINITION, "constant")),
        (("qualified_type",), (ATTRIBUTE, "")),
    ) for t in ts],
    ("(short_var_declaration left: (expression_list ID @id))", (DEFINITION, "variable")),
    ("(range_clause left: (expression_list ID @id))", (DEFINITION, "variable")),
    ("(short_var_declaration left: ID @id)", (DEFINITION, "variable")),
    ("(range_clause left: ID @id)", (DEFINITION, "variable")),
    ("(selector_expression field: ID @id)", (ATTRIBUTE, "")),
    ("(keyed_element ID @id)", ASK),
    ("(literal_element ID @id)", ASK),
    ("(labeled_statement ID @id)", (DEFINITION, "label")),
]


def go_role(node: Any, field: str | None, stack: list, ctx: WalkContext) -> tuple[str, str]:
    parent, pfield = ancestor(stack, 1)
    if parent is None:
        return REFERENCE, ""
    pt = parent.type
    if pt == "package_clause":
        return DEFINITION, "package"
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
        gp = ancestor(stack, 2)[0]
        if gp is not None and pfield == "left" and gp.type in ("short_var_declaration",
                                                                "range_clause"):
            return DEFINITION, "variable"
    if pt in ("short_var_declaration", "range_clause") and field == "left":
        return DEFINITION, "variable"
    if pt == "selector_expression" and field == "field":
        return ATTRIBUTE, ""
    if pt in ("keyed_element", "literal_element"):
        gp = ancestor(stack, 2)[0]
        key_node = parent if pt == "literal_element" else node
        ke = gp if pt == "literal_element" else parent
        if ke is not None and ke.type == "keyed_element" and \
                ke.start_byte == key_node.start_byte:
            return PROPERTY_KEY, ""
    if pt == "labeled_statement":
        return DEFINITION, "label"
    return REFERENCE, ""

