"""Code inside other code: SQL text in string literals (``cursor.execute("SELECT .. FROM ..")``,
JDBC, ORM ``raw()`` and migrations' ``op.execute``) and schema names passed as strings to
migration and ORM calls (``op.add_column('ledger_events', sa.Column('paid_flag', ..))``,
``knex('orders')``, ``Table('orders', ..)``, ``ForeignKey('orders.id')``).

SQL names (tables, columns, aliases) are the schema of the prompt's own database, apart from
the engine's functions and catalogs, which the usual public-name test keeps public.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from recognizers.code.lexer import PROPERTY_KEY, STRING, Token

# the start of a SQL statement inside a literal, and a clause that makes it one
_SQL_START = re.compile(
    r"(?i)(?<![\w])(select|insert\s+into|update|delete\s+from|with|create\s+(?:table|view|index|"
    r"unique\s+index)|alter\s+table|drop\s+table|merge\s+into)\s")
# what each statement needs after its keyword to be SQL rather than a sentence
_NEEDS = {"select": re.compile(r"(?i)\sfrom\s"), "insert": re.compile(r"(?i)\s(?:values|select)\b"),
          "update": re.compile(r"(?i)^update\s+[\w.\"`]+\s+(?:\w+\s+)?set\s"),
          "with": re.compile(r"(?i)\sas\s*\("), "create": re.compile(r"\(|(?i:\sas\s)")}
# a select list item of three plain words or more: "select the frobnar option from .."
_PROSE_ITEM = re.compile(r"(?i)[a-z]+(?:\s+[a-z]+){2,}")
_SELECT_LIST = re.compile(r"(?is)^select\s+(?:distinct\s+)?(.*?)\sfrom\s")
# a call whose string arguments name tables or columns
_SCHEMA_CALLEE = re.compile(
    r"\w*(?:[Cc]olumn|[Tt]able|[Ii]ndex|[Ff]oreign_?[Kk]ey|[Cc]onstraint)\w*|from_?|join|into|knex")
_SCHEMA_NAME = re.compile(r"[\"'`]([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)[\"'`]")
_QUOTES = "\"'`"
# a literal's opening: a prefix (r, b, f, u, C#'s @ and $), its quotes and blanks; a set of
# characters to strip would eat the statement's own first letters (the U of UPDATE)
_OPENING = re.compile(r"(?:[rbuRBUfF]{1,2}|[@$]{1,2})?[\"'`]+\s*")
# a SQL literal ('...'), a parameter (:name, %(name)s, @name, $1), or a name
_SQL_NAME = re.compile(r"'[^']*'|[:@$%]\(?\w+\)?|([A-Za-z_][A-Za-z0-9_]*)")
_VERBS = ("select", "insert", "update", "delete", "with", "create", "alter", "drop", "merge")


def sql_strings(code: str, toks: list[Token]) -> Iterator[tuple[int, str]]:
    """(offset in ``code``, SQL text) of the string literals that hold a SQL statement."""
    for t in toks:
        if t.kind != STRING or t.end - t.start < 12:
            continue
        opening = _OPENING.match(code, t.start, t.end)
        body_at = opening.end() if opening else t.start
        if not code[body_at:body_at + 8].lower().startswith(_VERBS):
            continue  # SQL must open the literal: "select a size" in a message is prose
        m = _SQL_START.match(code, body_at, t.end)
        if m is None:
            continue
        end = t.end
        while end > m.start() and code[end - 1] in _QUOTES:
            end -= 1
        body = code[m.start():end]
        if _is_sql(m.group(1).split()[0].lower(), body):
            yield m.start(), body


def _is_sql(verb: str, body: str) -> bool:
    needs = _NEEDS.get(verb)
    if needs is not None and not needs.search(body):
        return False
    if verb == "select":
        items = _SELECT_LIST.match(body)
        if items is None:
            return False
        for item in items.group(1).split(","):
            item = item.strip()
            if _PROSE_ITEM.fullmatch(item) and not re.search(r"(?i)\sas\s", item):
                return False
    return True


def sql_names(sql: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, name) of the names of a SQL statement long enough to hold a word of their
    own, outside its string literals and parameters."""
    for m in _SQL_NAME.finditer(sql):
        if m.group(1) is not None and len(m.group(1)) >= 4:
            yield m.start(1), m.end(1), m.group(1)


def schema_names(code: str, toks: list[Token]) -> Iterator[tuple[int, int, str]]:
    """(start, end, name) of table and column names passed as strings to schema calls, and the
    keys of an object literal passed to one (``createTable('t', {quandril_score: {..}})``,
    ``sequelize.define('T', {..})``, ``new Schema({..})``: the columns)."""
    # only code that calls a schema function pays for the look-back at its object keys
    schema_call = _SCHEMA_CALL.search(code) is not None
    for t in toks:
        if t.kind == "identifier" and t.role == PROPERTY_KEY:
            if schema_call and _column_key(code, t.start):
                yield t.start, t.end, code[t.start:t.end]
            continue
        if t.kind != STRING or t.end - t.start > 80:
            continue
        callee = _callee(code, t.start)
        if not callee or not _SCHEMA_CALLEE.fullmatch(callee):
            eq = _back(code, t.start)
            kw = _SCHEMA_KWARG.search(code, max(0, t.start - 24), t.start) \
                if eq >= 0 and code[eq] == "=" else None
            if kw is None or not _MIGRATION_CALLEE.fullmatch(_enclosing(code, kw.start()) or ""):
                continue
        m = _SCHEMA_NAME.fullmatch(code, t.start, t.end)
        if m is None:
            continue
        s = m.start(1)
        for part in m.group(1).split("."):
            yield s, s + len(part), part
            s += len(part) + 1


# ORM migrations name models and tables in keyword arguments:
# migrations.CreateModel(name='Allocation', ..), AddField(model_name='allocation', ..)
_SCHEMA_KWARG = re.compile(r"(?<![\w.])(?:model_name|name|db_table|table_name|old_name|new_name)"
                           r"\s*=\s*$")
_MIGRATION_CALLEE = re.compile(r"(?:Create|Delete|Rename|Alter)Model|(?:Add|Alter|Remove|Rename)"
                               r"(?:Field|Index|Constraint)|AlterModelTable|\w*[Tt]able")


def _enclosing(code: str, i: int) -> str | None:
    """The name of the call whose parentheses hold ``code[i]`` (looking back 400 characters)."""
    depth = 0
    j = i - 1
    stop = max(0, i - 400)
    while j >= stop:
        c = code[j]
        if c in ")]}":
            depth += 1
        elif c in "([{":
            if depth == 0:
                if c != "(":
                    return None
                end = _back(code, j) + 1
                k = end
                while k > 0 and (code[k - 1].isalnum() or code[k - 1] == "_"):
                    k -= 1
                return code[k:end] or None
            depth -= 1
        j -= 1
    return None


_SCHEMA_CALL = re.compile(r"(?:[Tt]able|[Cc]olumns?|define|Schema|model)\s*\(")
_OBJECT_SCHEMA_CALLEE = re.compile(r"\w*(?:[Tt]able|[Cc]olumns?)|define|Schema|model")


def _column_key(code: str, start: int) -> bool:
    """A key of the object literal that is an argument of a schema call (the object's
    nearest opening brace, right inside the call's parenthesis)."""
    depth = 0
    j = start - 1
    stop = max(0, start - 400)
    while j >= stop:
        c = code[j]
        if c in ")]}":
            depth += 1
        elif c in "([":
            if depth == 0:
                return False
            depth -= 1
        elif c == "{":
            if depth == 0:
                callee = _enclosing(code, j)
                return bool(callee and _OBJECT_SCHEMA_CALLEE.fullmatch(callee))
            depth -= 1
        j -= 1
    return False


def _back(code: str, i: int) -> int:
    """The index of the last character before ``i`` that is no whitespace (-1: none)."""
    i -= 1
    while i >= 0 and code[i] in " \t\r\n":
        i -= 1
    return i


def _callee(code: str, start: int) -> str | None:
    """The name of the call whose first argument, or whose second after a string, starts at
    ``start``: ``op.add_column('t', ..`` -> ``add_column``."""
    j = _back(code, start)
    if j >= 0 and code[j] == ",":
        q = _back(code, j)
        if q < 0 or code[q] not in _QUOTES:
            return None
        opening = code.rfind(code[q], max(0, q - 80), q)
        if opening < 0:
            return None
        j = _back(code, opening)
    if j < 0 or code[j] != "(":
        return None
    end = _back(code, j) + 1
    i = end
    while i > 0 and (code[i - 1].isalnum() or code[i - 1] == "_"):
        i -= 1
    return code[i:end] or None
