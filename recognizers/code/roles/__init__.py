"""Which role function reads the identifiers of a language's parse tree."""

from __future__ import annotations

from recognizers.code.roles import go, java, javascript, python
from recognizers.code.roles.base import Rule
from recognizers.code.roles.generic import bash_role, generic_role, key_role, sql_role
from recognizers.code.roles.go import go_role
from recognizers.code.roles.java import java_role
from recognizers.code.roles.javascript import js_role
from recognizers.code.roles.python import py_role
from recognizers.code.treesitter import RoleFn

_ROLE_FUNCS: dict[str, RoleFn] = {
    "python": py_role, "javascript": js_role, "typescript": js_role, "tsx": js_role,
    "java": java_role, "go": go_role, "sql": sql_role, "shell": bash_role,
}


def role_for(language: str) -> RoleFn:
    """The role function for ``language``: every key of a data file is a property key."""
    if language in ("yaml", "json", "toml"):
        return key_role
    return _ROLE_FUNCS.get(language, generic_role)


_RULES: dict[str, list[Rule]] = {
    "python": python.RULES, "javascript": javascript.RULES, "typescript": javascript.RULES,
    "tsx": javascript.RULES, "java": java.RULES, "go": go.RULES,
}


QUERY_LANGUAGES = tuple(_RULES)


def rules_for(language: str) -> list[Rule] | None:
    """The language's role function as query patterns, or None: the walk lexes it."""
    return _RULES.get(language)
