"""Roles of Python identifiers: definitions (classes, functions, methods, parameters, fields
of ``self.x =``, variables, constants, type aliases), imports with their module path, keyword
arguments with the called name."""

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

_PY_PARAM_PARENTS = frozenset({"parameters", "lambda_parameters"})
_PY_PATTERN = frozenset({"pattern_list", "tuple_pattern", "list_pattern", "list_splat_pattern"})
_PY_IMPORTS = frozenset({"import_statement", "import_from_statement", "future_import_statement"})
_PARAM = (DEFINITION, "parameter")
_VARIABLE = (DEFINITION, "variable")


def _constant_or_variable(node: Any, text: str, ctx: WalkContext) -> tuple[str, str]:
    return DEFINITION, "constant" if SCREAMING.match(text) else "variable"


def _import(stmt: Any, node: Any, text: str, ctx: WalkContext) -> tuple[str, str] | None:
    """A name of an import statement (never deeper than 6 in one: the grammar's import
    statements do not nest): its module, or for ``import a.b as c`` the item it is in."""
    module = _py_import_module(stmt, ctx)
    if module:
        return IMPORT, module
    s = node.start_byte
    for item in stmt.named_children:
        if item.start_byte <= s < item.end_byte:
            return IMPORT, _item_module(item, ctx)
    return None


def _item_module(item: Any, ctx: WalkContext) -> str:
    """``import a.b as c``: each name is its own module path."""
    if item.type == "aliased_import":
        item = item.child_by_field_name("name") or item
    return ctx.text(item)


def _self_field(node: Any, text: str, ctx: WalkContext) -> tuple[str, str]:
    """``x.attr = ...``: ``self.x = ...`` (or ``cls.x``) declares a field."""
    obj = node.parent.child_by_field_name("object")
    if obj is not None and ctx.text(obj) in ("self", "cls"):
        return DEFINITION, "field"
    return ATTRIBUTE, ""


def _keyword(node: Any, text: str, ctx: WalkContext) -> tuple[str, str]:
    return PROPERTY_KEY, _kwarg(node.parent.parent.parent, ctx)


#: py_role as query patterns, in its order (see recognizers/code/queries.py)
RULES: list[Rule] = [
    *within(_PY_IMPORTS, Inside(_import)),
    ("(assignment left: (attribute attribute: ID @id))", _self_field),
    ("(attribute attribute: ID @id)", (ATTRIBUTE, "")),
    ("(class_definition name: ID @id)", (DEFINITION, "class")),
    ("(class_definition (block (function_definition name: ID @id)))", (DEFINITION, "method")),
    ("(class_definition (block (decorated_definition (function_definition name: ID @id))))",
     (DEFINITION, "method")),
    ("(function_definition name: ID @id)", (DEFINITION, "function")),
    ("(parameters ID @id)", _PARAM),
    ("(lambda_parameters ID @id)", _PARAM),
    ("(default_parameter name: ID @id)", _PARAM),
    ("(typed_default_parameter name: ID @id)", _PARAM),
    # the grammar gives the name no field (only the annotation, a ``type`` node, has one)
    ("(typed_parameter ID @id)", _PARAM),
    ("(dictionary_splat_pattern ID @id)", ASK),
    ("(keyword_argument name: ID @id)", _keyword),
    ("(class_definition (block (_ (assignment left: ID @id))))", (DEFINITION, "field")),
    ("(assignment left: ID @id)", _constant_or_variable),
    *[(f"({t} ID @id)", ASK) for t in sorted(_PY_PATTERN)],
    ("(for_statement left: ID @id)", _VARIABLE),
    ("(for_in_clause left: ID @id)", _VARIABLE),
    ("(as_pattern_target ID @id)", ASK),
    ("(named_expression ID @id)", ASK),
    ("(type_alias_statement ID @id)", ASK),
    ("(type_alias_statement (type ID @id))", ASK),
]


def py_role(node: Any, field: str | None, stack: list, ctx: WalkContext) -> tuple[str, str]:
    parent, pfield = ancestor(stack, 1)
    if parent is None:
        return REFERENCE, ""
    pt = parent.type
    imp = in_types(stack, _PY_IMPORTS, 6)
    if imp is not None:
        module = _py_import_module(imp, ctx)
        if not module:  # import a.b as c: each name is its own module path
            for i, entry in enumerate(stack):
                if entry[0] is imp and i + 1 < len(stack):
                    item = stack[i + 1][0]
                    break
            else:
                item = node
            module = _item_module(item, ctx)
        return IMPORT, module
    if pt == "attribute":
        if field == "attribute":
            # self.x = ... declares a field
            if pfield == "left" and ancestor(stack, 2)[0] is not None and \
                    ancestor(stack, 2)[0].type == "assignment":
                obj = parent.child_by_field_name("object")
                if obj is not None and ctx.text(obj) in ("self", "cls"):
                    return DEFINITION, "field"
            return ATTRIBUTE, ""
        return REFERENCE, ""
    if field == "name" and pt == "class_definition":
        return DEFINITION, "class"
    if field == "name" and pt == "function_definition":
        gp = ancestor(stack, 2)[0]
        ggp = ancestor(stack, 3)[0]
        if gp is not None and gp.type == "decorated_definition":
            gp, ggp = ggp, ancestor(stack, 4)[0]
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
        gp = ancestor(stack, 2)[0]
        if gp is not None and gp.type in _PY_PARAM_PARENTS | {"typed_parameter"}:
            return DEFINITION, "parameter"
    if pt == "keyword_argument" and field == "name":
        return PROPERTY_KEY, _kwarg(ancestor(stack, 3)[0], ctx)
    if (pt == "assignment" and field == "left") or pt in _PY_PATTERN:
        top = parent
        i = 1
        while top is not None and top.type in _PY_PATTERN:
            i += 1
            top = ancestor(stack, i)[0]
        if top is not None and top.type in ("assignment", "for_statement", "for_in_clause",
                                             "with_item", "as_pattern_target"):
            if top.type == "assignment":
                block = ancestor(stack, i + 2)[0]
                cls = ancestor(stack, i + 3)[0]
                if block is not None and block.type == "block" and cls is not None and \
                        cls.type == "class_definition":
                    return DEFINITION, "field"
                return DEFINITION, "constant" if SCREAMING.match(ctx.text(node)) else "variable"
            return DEFINITION, "variable"
        return REFERENCE, ""
    if pt in ("for_statement", "for_in_clause") and field == "left":
        return DEFINITION, "variable"
    if pt in ("as_pattern_target", "named_expression") and field in (None, "name"):
        return DEFINITION, "variable"
    if pt == "type_alias_statement" and field == "left":
        return DEFINITION, "type"
    if pt == "type" and ancestor(stack, 2)[0] is not None and \
            ancestor(stack, 2)[0].type == "type_alias_statement":
        return DEFINITION, "type"
    return REFERENCE, ""


def _kwarg(call: Any, ctx: WalkContext) -> str:
    """``kwarg:`` and the name a keyword argument is passed to (``class`` for a class's)."""
    callee = ""
    if call is not None and call.type == "call":
        fn = call.child_by_field_name("function")
        if fn is not None:
            callee = ctx.text(fn).rsplit(".", 1)[-1]
    elif call is not None and call.type == "class_definition":
        callee = "class"
    return f"kwarg:{callee}"


def _py_import_module(stmt: Any, ctx: WalkContext) -> str:
    key = stmt.start_byte
    cached = ctx.detail_cache.get(key)
    if cached is not None:
        return cached
    mod = stmt.child_by_field_name("module_name")
    detail = ctx.text(mod) if mod is not None else ""
    ctx.detail_cache[key] = detail
    return detail

