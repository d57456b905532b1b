"""Names in the columns of data tables: Markdown tables, CSV, TSV and ``;``-separated rows.

A column is read as a whole, not cell by cell: under a header that names people (``name``,
``owner``, ``assignee``, ``primary``) every cell is a name candidate of a data shape, and in a
column where most cells are names already, the other name-shaped cells are names too
(``Us Akçay`` between ``Phillip Hamilton`` and ``Оксана Швайка``: one word of it is English).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# header words of columns that hold people (lower case, separators dropped)
PERSON_HEADERS = frozenset(
    "name fullname author authors owner owners assignee assignees reviewer reviewers maintainer "
    "maintainers contact employee member person user customer client primary secondary oncall "
    "lead manager requester reporter approver who staff engineer developer teammate "
    "firstname lastname surname displayname username participant attendee speaker host "
    "autor nom nombre nome name_de responsable".split()
)
# (possessive blanks: two runs of them around an optional "|" must not backtrack)
_SEPARATOR_ROW = re.compile(r"^\s*+\|?\s*+:?-{2,}:?\s*+(?:\|\s*+:?-{2,}:?\s*+)*\|?\s*+$")
_MIN_ROWS = 3  # a header and two rows, or three rows


Cell = tuple[int, int]  # start, end in the text (trimmed of blanks and quotes)


def tables(text: str) -> Iterator[list[list[Cell]]]:
    """The tables of ``text``: runs of three lines or more that split into the same number of
    fields (two or more) on one delimiter; each a list of rows of cells."""
    lines: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    i = 0
    while i < len(lines):
        delim, width = _shape(lines[i][1])
        if not delim:
            i += 1
            continue
        j = i + 1
        while j < len(lines) and (_shape(lines[j][1]) == (delim, width)
                                  or (delim == "|" and _SEPARATOR_ROW.match(lines[j][1]))):
            j += 1
        if j - i >= _MIN_ROWS:
            yield [_cells(start, line, delim) for start, line in lines[i:j]
                   if not (delim == "|" and _SEPARATOR_ROW.match(line))]
        i = j


_CODE_CHARS = re.compile(r"[={}\[\]]")  # code, not a record


def _shape(line: str) -> tuple[str, int]:
    """(delimiter, number of fields) of a line that could be a table row, else ("", 0)."""
    stripped = line.strip()
    if not stripped:
        return "", 0
    if stripped[0] == "|":
        n = stripped.count("|")
        return ("|", n - 1) if n >= 3 else ("", 0)
    if "\t" in line:
        return "\t", line.count("\t") + 1
    for d in (";", ","):
        if d in line:
            if _CODE_CHARS.search(line) or "(" in stripped[1:]:
                return "", 0  # a VALUES tuple may open with a parenthesis, code calls
            return d, line.count(d) + 1
    return "", 0


def _cells(start: int, line: str, delim: str) -> list[Cell]:
    out: list[Cell] = []
    body_at = 0
    if delim == "|":
        body_at = line.find("|") + 1
        end = line.rfind("|")
        body = line[body_at:end]
    else:
        body = line
    at = start + body_at
    for field in body.split(delim):
        s, e = 0, len(field)
        while s < e and field[s] in " \t\"'(":
            s += 1
        while e > s and field[e - 1] in " \t\"'\r);":
            e -= 1
        out.append((at + s, at + e))
        at += len(field) + 1
    return out


# a quoted value after a key: "name": "Floor Appelman", name='..', key: '..' (the search
# starts at the separator, the key is read back from there: far fewer starting points)
_VALUE = re.compile(r"""[:=][ \t]*(["'])([^"'\n\\]{2,80})\1""")
_KEY_BEFORE = re.compile(r"""([A-Za-z_][\w-]{0,30})["']?[ \t]*$""")


def keyed_columns(text: str) -> Iterator[list[Cell]]:
    """The quoted values of each key that recurs three times or more (records of a fixture, a
    list of dicts, a YAML list): a column whose header is the key."""
    by_key: dict[str, list[Cell]] = {}
    for m in _VALUE.finditer(text):
        s = m.start()
        key = _KEY_BEFORE.search(text, max(0, s - 34), s)
        if key:
            by_key.setdefault(key.group(1), []).append(m.span(2))
    for cells in by_key.values():
        if len(cells) >= 3:
            yield cells


def person_header(header: str) -> bool:
    """A column header that names people: ``name``, ``Owner``, ``primary_name``, ``on-call``."""
    h = re.sub(r"[\s_\-.]+", "", header.lower())
    return h in PERSON_HEADERS or (h.endswith("name") and h not in ("filename", "hostname",
                                                                    "pathname", "tablename",
                                                                    "dbname", "servicename"))
