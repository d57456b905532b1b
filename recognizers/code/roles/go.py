"""Roles of Go identifiers: types, functions, methods, fields, ``var``/``const``/``:=``, the
package clause and import paths."""

from __future__ import annotations

from typing import Any

from recognizers.code.roles.base import ancestor
from recognizers.code.tokens import ATTRIBUTE, DEFINITION, IMPORT, PROPERTY_KEY, REFERENCE
from recognizers.code.treesitter import WalkContext


def go_role(node: Any, field: str | None, stack: list, ctx: WalkContext) -> tuple[str, str]:
    parent, pfield = ancestor(stack, 1)
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

