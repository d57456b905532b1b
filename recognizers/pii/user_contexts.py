"""User names by the structure around them: columns, listings, trailers, logfmt and lists.

The contexts of :mod:`recognizers.pii.usernames` are phrases; these are places. A value is a
user because of the column or key it sits under, wherever the words around it are:

* a Markdown table's column headed ``Assignee``, ``Owner``, ``Reporter``, ``User`` ...;
* the owner column of an ``ls -l`` listing;
* git trailers naming a bare login (``Approved-by: rsingh``, ``Reviewed-by: jdoe``);
* ``user=ncho`` in a log line of ``key=value`` pairs (logfmt), ``user 'x'`` in an audit line;
* a list under a people key (``reviewers: [mhassan, jlee]``, YAML ``- mhassan`` items).

Every value still passes the weak checks (no common word, tool, type or system account).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from recognizers.code.vocabulary import is_ordinary_word
from recognizers.pii.scan import LUSER

AddWeak = Callable[[int, int], None]

_PEOPLE_COLUMNS = frozenset({
    "assignee", "assignees", "owner", "owners", "reporter", "author", "authors", "user",
    "username", "user name", "login", "reviewer", "reviewers", "maintainer", "maintainers",
    "handle", "on-call", "oncall", "assigned to", "created by", "requested by", "approver",
})
_LUSER_FULL = re.compile(r"@?(" + LUSER + r")")
_ROW_RE = re.compile(r"^[ \t]*\|(.*)\|[ \t]*$", re.M)
_RULE_CELL = re.compile(r"[ \t]*:?-{3,}:?[ \t]*")

_LS_RE = re.compile(
    r"^[-dlcbps][rwxsStT\-]{9}[.+@]?[ \t]+\d+[ \t]+(" + LUSER + r")[ \t]+" + LUSER + r"[ \t]+\d",
    re.M,
)
_TRAILER_RE = re.compile(
    r"(?:^|(?<=[ \t]))(?:Approved|Reviewed|Acked|Tested|Reported|Suggested|Requested"
    r"|Signed-off|Authored|Co-authored|Helped|Cc)-by:[ \t]+@?(" + LUSER + r")[ \t]*$",
    re.M | re.I,
)
_LOGFMT_USER_RE = re.compile(
    r"(?<![\w.\-])(?:user|username|user_name|login|uid|actor|principal)=([\"']?)(" + LUSER
    + r")\1(?=[ \t]|$)",
    re.M,
)
_LOGFMT_PAIR_RE = re.compile(r"(?<![\w.\-])[a-z_]{2,20}=[^ \t=]")
_AUDIT_USER_RE = re.compile(r"(?<![\w.\-])user[ \t]+([\"'])(" + LUSER + r")\1")
_LIST_KEY_RE = re.compile(
    r"^([ \t]*)[\"']?(?:reviewers|assignees|owners|maintainers|approvers|authors|members"
    r"|collaborators|watchers|admins|users)[\"']?[ \t]*[:=][ \t]*(\[[^\]\n]*\])?[ \t]*$",
    re.M,
)
_ITEM_RE = re.compile(r"[\"']?@?(" + LUSER + r")[\"']?")
_BLOCK_ITEM_RE = re.compile(r"^([ \t]*)-[ \t]+[\"']?@?(" + LUSER + r")[\"']?[ \t]*$", re.M)


def structured_usernames(text: str, add: AddWeak) -> None:
    """Call ``add(start, end)`` for each user name these structures hold."""
    if "|" in text:
        _table_columns(text, add)
    if "rw" in text or "r-" in text:
        for m in _LS_RE.finditer(text):
            add(m.start(1), m.end(1))
    if "-by:" in text or "-By:" in text:
        for m in _TRAILER_RE.finditer(text):
            add(m.start(1), m.end(1))
    if "=" in text:
        for m in _LOGFMT_USER_RE.finditer(text):
            line_start = text.rfind("\n", 0, m.start()) + 1
            line_end = text.find("\n", m.end())
            line = text[line_start: line_end if line_end != -1 else len(text)]
            if len(_LOGFMT_PAIR_RE.findall(line)) >= 2:  # a log line, not `user=current`
                add(m.start(2), m.end(2))
    if "user " in text:
        for m in _AUDIT_USER_RE.finditer(text):
            add(m.start(2), m.end(2))
    if ":" in text or "=" in text:
        _people_lists(text, add)


def _cells(line: str, offset: int) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for part in line.split("|"):
        out.append((offset + pos, offset + pos + len(part), part))
        pos += len(part) + 1
    return out


def _table_columns(text: str, add: AddWeak) -> None:
    rows = list(_ROW_RE.finditer(text))
    i = 0
    while i + 1 < len(rows):
        head, rule = rows[i], rows[i + 1]
        rule_cells = rule.group(1).split("|")
        if not all(_RULE_CELL.fullmatch(c) for c in rule_cells) or rule.start() != head.end() + 1:
            i += 1
            continue
        names = [c.strip().lower().strip("*_`") for c in head.group(1).split("|")]
        columns = {k for k, name in enumerate(names) if name in _PEOPLE_COLUMNS}
        j, prev = i + 2, rule
        while j < len(rows) and rows[j].start() == prev.end() + 1:
            if columns:
                for k, (s, _e, cell) in enumerate(_cells(rows[j].group(1), rows[j].start(1))):
                    m = _LUSER_FULL.fullmatch(cell.strip())
                    if k in columns and m:
                        lead = len(cell) - len(cell.lstrip())
                        add(s + lead + m.start(1), s + lead + m.end(1))
            prev = rows[j]
            j += 1
        i = j


def _people_lists(text: str, add: AddWeak) -> None:
    def item(s: int, e: int) -> None:
        value = text[s:e]
        if not (value.isalpha() and is_ordinary_word(value)):  # members: [read, write]
            add(s, e)

    for m in _LIST_KEY_RE.finditer(text):
        if m.group(2):  # reviewers: [mhassan, jlee]
            base = m.start(2) + 1
            for it in _ITEM_RE.finditer(m.group(2)[1:-1]):
                item(base + it.start(1), base + it.end(1))
            continue
        indent = len(m.group(1))
        pos = m.end() + 1
        while pos < len(text):
            it = _BLOCK_ITEM_RE.match(text, pos)
            if not it or len(it.group(1)) < indent:
                break
            item(it.start(2), it.end(2))
            pos = it.end() + 1
