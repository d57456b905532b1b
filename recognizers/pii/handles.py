"""``@handles`` and git trailers: ``USERNAME`` findings that span the handle only.

* An owners line (CODEOWNERS, OWNERS, GitLab's approval rules): a path pattern followed by
  ``@owner`` tokens. Every owner is a user (``@org/team`` names a team and is left alone).
* A mention anywhere else: ``@`` after a blank or an opening bracket, a handle, then a blank or a
  punctuation mark. Code spells words after ``@`` too (decorators, annotations, doc tags, CSS
  at-rules), so a mention counts only when it is not the first thing on its line (a decorator),
  is lower-case (annotations and doc tags are camel-cased) and is no English or programming word
  (``@param``, ``@media``, ``@autowired``); the dictionary check is the code vocabulary's.
* Git trailers and headers: ``Co-authored-by: <handle> <mail>``, ``Signed-off-by``,
  ``Author:`` and the like, when the name is a single token (a full name is a person's, found by
  the people recognizer).
"""

from __future__ import annotations

import re

from recognizers.code.vocabulary import is_ordinary_word
from recognizers.pii.scan import Span, find_all, lines_matching
from recognizers.pii.words import FILE_EXTENSIONS, is_system

# a digit, a dot or an underscore: what logins are written with and words are not
_LOGIN_MARK = re.compile(r"[\d._]")
_HANDLE = r"[A-Za-z0-9](?:[A-Za-z0-9_]|[.\-](?=[A-Za-z0-9])){0,38}"
_OWNERS_LINE_RE = re.compile(
    r"^[ \t]*(?:[\w.*/\[\]!?\-]*[/*.][\w.*/\[\]!?\-]*)((?:[ \t]+@[\w.\-/]+)+)[ \t]*$", re.M
)
_OWNER_RE = re.compile(r"@(" + _HANDLE + r")(?=[ \t]|$)", re.M)
_MENTION_RE = re.compile(r"@([a-z0-9]" + _HANDLE[len("[A-Za-z0-9]"):] + r")"
                         r"(?=[\s,;:)\]!?'’]|\.(?:\s|$)|$)", re.M)
# what follows a handle that opens a chat line: a comma or colon, or two words
_ADDRESSED_RE = re.compile(r"[,:][ \t]+\S|[ \t]+[a-z][a-z']*[ \t]+[a-z]")
_TRAILER_RE = re.compile(
    r"^[ \t]*(?:Co-authored-by|Signed-off-by|Reviewed-by|Acked-by|Tested-by|Reported-by"
    r"|Suggested-by|Helped-by|Approved-by|Author|Committer|Commit|From):[ \t]*"
    r"(" + _HANDLE + r")[ \t]*<[^<>\s]+>",
    re.M | re.I,
)


def handles(text: str, spans: list[Span]) -> None:
    """Append the USERNAME spans of ``@handles`` and single-token git trailers."""
    if "@" in text:
        owners: set[int] = set()
        ats = list(find_all(text, "@"))
        for line in lines_matching(text, ats, _OWNERS_LINE_RE):
            for m in _OWNER_RE.finditer(text, line.start(1), line.end(1)):
                owners.add(m.start())
                if not is_system(m.group(1)):
                    spans.append((m.start(1), m.end(1), "USERNAME"))
        for at in ats:
            if at not in owners:
                _mention(text, at, spans)
    if "-by:" in text or "uthor:" in text or "ommit" in text or "From:" in text:
        # a trailer stays on its line and ends in <mail>: only the lines with a "<" are read
        for m in lines_matching(text, find_all(text, "<"), _TRAILER_RE):
            user = m.group(1)
            if not is_system(user) and user.lower() not in ("noreply", "no-reply"):
                spans.append((m.start(1), m.end(1), "USERNAME"))


def _mention(text: str, at: int, spans: list[Span]) -> None:
    if at and not (text[at - 1] in " \t\n([{\"'" or text[at - 1] == "（"):
        return  # user@host, a@b: e-mail and login shapes are email.py's
    line = text.rfind("\n", 0, at) + 1
    m = _MENTION_RE.match(text, at)
    if not m:
        return
    if not text[line:at].strip():
        # first on its line: a decorator or an annotation, unless a sentence follows it
        # ("@jdoe can you take this?", "@jdoe: thoughts?")
        end = text.find("\n", m.end())
        rest = text[m.end(): len(text) if end < 0 else end].rstrip()
        if not _ADDRESSED_RE.match(rest) or rest.endswith((";", "{", "}", ")", ",")):
            return
    handle = m.group(1)
    if len(handle) < 3 or not handle.islower() or handle.isdigit():
        return
    if is_system(handle) or (is_ordinary_word(handle) and not _LOGIN_MARK.search(handle)):
        return  # @param, @media, @plugin-name; not @ahmed92, @li.wei, @tobias_m: a login
    if "." in handle and handle.rsplit(".", 1)[1] in FILE_EXTENSIONS:
        return  # '@this1_is6_valid.exe': a file name
    spans.append((m.start(1), m.end(1), "USERNAME"))
