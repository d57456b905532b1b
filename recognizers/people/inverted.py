"""Names written surname first with a comma, where a format says that it is one person.

Directories and mail clients write ``Last, First``: an e-mail display name in quotes
(``From: "Doe, Jane" <jdoe@..>``), the common name of an LDAP or Active Directory entry,
whose comma is escaped (``CN=Doe\\, Jane,OU=Engineering,DC=corp``), and the speaker of a chat
line copied from Microsoft Teams (``[10:42 AM] Doe, Jane``). The comma keeps the pair out
of the usual name runs, so they are found here, as one name, from the format alone: the quote
closed right before an address, or the DN's next attribute. A plain ``Smith, John`` in prose is
a list as often as a name and is left to the other rules.
"""

from __future__ import annotations

import re

from recognizers.people.lexicon import word_facts
from recognizers.people.shapes import STRONG, WORD_RE

# where one may start: an opening quote whose closing quote stands before an address, "CN=",
# or the time of a chat line as Microsoft Teams copies it ("[10:42 AM] Doe, Jane")
_CLOSE_RE = re.compile(r"\"[ \t]*[<(]")
_CHAT_TIME_RE = re.compile(r"\[\d{1,2}:\d{2}(?::\d{2})?(?:[ \u202f]?[AaPp][Mm])?\][ \t]+")
_INVERTED_RE = re.compile(
    r"([^\W\d_][^\W\d_'’-]*(?:[-'’][^\W\d_]+)*)(\\?,)[ \u00a0]"
    r"([^\W\d_][^\W\d_'’-]*(?:[-'’][^\W\d_]+)*(?:[ \u00a0](?:[A-Z]\.|[^\W\d_]+)){0,2})"
    r"(?=\\?,[ \t]*(?:[Oo][Uu]|[Dd][Cc]|[Oo]|[Cc][Nn]|[Ll])=|\"[ \t]*[<(]|[ \t]*\r?$)",
    re.M,
)
_EOL_RE = re.compile(r"[ \t]*\r?(?:\n|\Z)")


def inverted_names(text: str) -> list[tuple[int, int, int]]:
    """(start, end, strength) of the ``Last, First`` names of quoted display names, DNs and
    chat speakers."""
    starts: list[tuple[int, bool]] = []  # (where, a chat line's speaker)
    if '"' in text:
        for c in _CLOSE_RE.finditer(text):
            o = text.rfind('"', max(0, c.start() - 80), c.start())
            if o >= 0:
                starts.append((o + 1, False))
    for key in ("CN=", "cn="):
        p = text.find(key)
        while p >= 0:
            starts.append((p + 3, False))
            p = text.find(key, p + 3)
    if "] " in text:  # the lines that open with "[": a find per line, not a scan per character
        q = -1 if text.startswith("[") else text.find("\n[")
        while q >= -1:
            t = _CHAT_TIME_RE.match(text, q + 1)
            if t:
                starts.append((t.end(), True))
            q = text.find("\n[", q + 2)
            if q < 0:
                break
    if not starts:
        return []
    W = word_facts()
    out = []
    for start, chat in starts:
        m = _INVERTED_RE.match(text, start)
        if m is None or (not chat and _EOL_RE.match(text, m.end())):
            continue  # a line's end closes only the speaker of a chat line
        last, first = m.group(1), m.group(3)
        words = [last, *first.split()]
        if not all(WORD_RE.fullmatch(w) or (len(w) == 2 and w[1] == ".") for w in words):
            continue  # each part a capitalised name word or an initial
        name_words = [w for w in words if WORD_RE.fullmatch(w)]
        flags = [W.flags(w) for w in name_words]
        if any(f & (W.STOP | W.P) for f in flags):
            continue
        # a surname and a given name, by the lexicon or as words no dictionary knows
        lf, ff = W.flags(last), W.flags(first.split()[0])
        last_ok = bool(lf & (W.L | W.F)) or W.unknown(last)
        first_ok = bool(ff & (W.F | W.L)) or W.unknown(first.split()[0]) or first[1:2] == "."
        if last_ok and first_ok and not all(W.common(w) for w in name_words):
            out.append((m.start(1), m.end(3), STRONG))
    return out
