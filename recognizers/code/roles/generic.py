"""Roles for SQL (``CREATE`` objects, columns, CTEs, aliases), shell (assignments,
functions, ``for`` variables), data files (every key is a property key) and any other grammar
(guessed from node type names such as ``*_declaration`` with a ``name`` field)."""

from __future__ import annotations

from typing import Any

from recognizers.code.roles.base import ancestor, in_types
from recognizers.code.tokens import ATTRIBUTE, DEFINITION, IMPORT, PROPERTY_KEY, REFERENCE
from recognizers.code.treesitter import WalkContext

_SQL_CREATE = {
    "create_table": "table", "create_view": "table", "create_materialized_view": "table",
    "create_function": "function", "create_procedure": "function", "create_index": "table",
    "create_type": "type", "create_schema": "module", "create_sequence": "variable",
    "create_trigger": "function", "create_database": "module", "create_role": "variable",
    "create_extension": "",
}


def sql_role(node: Any, field: str | None, stack: list, ctx: WalkContext) -> tuple[str, str]:
    parent, _pfield = ancestor(stack, 1)
    if parent is None:
        return REFERENCE, ""
    pt = parent.type
    if pt == "object_reference":
        gp = ancestor(stack, 2)[0]
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


def bash_role(node: Any, field: str | None, stack: list, ctx: WalkContext) -> tuple[str, str]:
    parent, _ = ancestor(stack, 1)
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


def key_role(node: Any, field: str | None, stack: list, ctx: WalkContext) -> tuple[str, str]:
    return PROPERTY_KEY, ""


_GENERIC_DEF_SUFFIXES = ("_declaration", "_definition", "_item", "_declarator", "_specifier",
                         "_signature", "_statement")
_GENERIC_IMPORT = frozenset({
    "use_declaration", "using_directive", "import_declaration", "import_header",
    "namespace_use_declaration", "preproc_include", "import_statement", "import_list",
    "extern_crate_declaration", "import",
})


def generic_role(node: Any, field: str | None, stack: list, ctx: WalkContext) -> tuple[str, str]:
    parent, _ = ancestor(stack, 1)
    if parent is None:
        return REFERENCE, ""
    pt = parent.type
    if in_types(stack, _GENERIC_IMPORT, 8) is not None:
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
        if any(k in pt for k in ("namespace", "package")):
            return DEFINITION, "package"
        if any(k in pt for k in ("module", "mod_item")):
            return DEFINITION, "module"
        if "field" in pt or "property" in pt:
            return DEFINITION, "field"
        if "const" in pt or "static" in pt:
            return DEFINITION, "constant"
        if "parameter" in pt:
            return DEFINITION, "parameter"
        return DEFINITION, "variable"
    if "parameter" in pt and field != "type":  # a parameter's type is a reference (IntPtr)
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

