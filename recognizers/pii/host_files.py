"""More places that hold nothing but host names: ``HOSTNAME`` findings.

* a name before its address in brackets, as ping, traceroute, ``ssh -v`` and ``curl -v`` print
  it: ``2  core-sw-01 (10.0.0.1)  1.2 ms``;
* an HAProxy ``server <name> <address>`` line: the name is the backend's machine;
* the entries (mapping keys or list items) right under a YAML key that lists machines: Ansible's
  ``hosts:``, ``servers:``, ``nodes:``, ``brokers:`` ...;
* the server of a share written with slashes, as fstab and ``mount -t cifs`` take it:
  ``//nas01/backup``;
* Kali's prompt, ``┌──(jdoe㉿box)-[~]``;
* autofs's ``/net/<host>/`` paths; the host field of ``uname -a`` (``Linux <host> 6.1.0 ...``)
  and the line that ``hostname`` prints after its prompt;
* the domain of an LDAP DN written as ``DC=`` components (``DC=acme,DC=corp``) when it ends in
  a private-use suffix: its labels name the private network.

Each is a place, so a plain word counts too unless it is a common word, a tool or a placeholder
(:func:`recognizers.pii.hosts.host_at_place`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from recognizers.pii.scan import Span, find_all, lines_matching

_LABEL = r"[A-Za-z][A-Za-z0-9\-]{1,62}"
_IPV4 = r"\d{1,3}(?:\.\d{1,3}){3}"
_ADDR_CLOSE_RE = re.compile(_IPV4 + r"\)")
_NAME_END_RE = re.compile(r"(?<![\w.\-/@:])(" + _LABEL + r")$")
_HAPROXY_RE = re.compile(
    r"^[ \t]*server[ \t]+(" + _LABEL + r")[ \t]+(?:[\w.\-]+|\[[0-9a-fA-F:]+\]):\d{1,5}\b", re.M
)
_LIST_KEY_WORDS = ("hosts:", "servers:", "nodes:", "brokers:", "peers:", "seeds:", "members:",
                   "masters:", "workers:", "replicas:")
_LIST_KEYS = r"(?:hosts|servers|nodes|brokers|peers|seeds|members|masters|workers|replicas)"
_LIST_KEY_RE = re.compile(r"^([ \t]*)(?:- )?" + _LIST_KEYS + r":[ \t]*(?:#.*)?$", re.M)
_ENTRY_RE = re.compile(r"([ \t]*)(?:- )?[\"']?(" + _LABEL + r")[\"']?(:?)[ \t]*(?:#.*)?$")
_SLASH_SHARE_RE = re.compile(r"(?:^|(?<=[\s\"'=]))//(" + _LABEL + r")/[\w$]", re.M)
_KALI_RE = re.compile(r"㉿(" + _LABEL + r")\)")
_NET_PATH_RE = re.compile(r"(?:^|(?<=[\s\"'=(:]))/net/(" + _LABEL + r")/", re.M)
_UNAME_RE = re.compile(r"^(?:Linux|Darwin|FreeBSD|OpenBSD|NetBSD|SunOS) (" + _LABEL + r") \d+\.\d+",
                       re.M)
_HOSTNAME_CMD_RE = re.compile(r"(?:hostname|uname -n)[ \t]*\n[ \t]*(" + _LABEL + r")[ \t]*$",
                              re.M)
_DN_RE = re.compile(r"(?<![A-Za-z])DC=(" + _LABEL + r")((?:[ \t]*,[ \t]*DC=" + _LABEL + r")+)",
                    re.I)
_DN_PART_RE = re.compile(r"DC=(" + _LABEL + r")", re.I)

Accept = Callable[[str], bool]
_MAX_BLOCK = 400


def host_file_places(text: str, spans: list[Span], accept: Accept,
                     private_suffix: Callable[[str], bool], own: Accept) -> None:
    """Append the HOSTNAME spans of the places above; ``accept(label)`` says whether a label
    at a host place is a machine's name, ``own(label)`` whether it can be one where nothing
    but a machine's own name stands (a share's server, ``hostname``, ``uname``, /net/)."""
    for i in find_all(text, " ("):
        if _ADDR_CLOSE_RE.match(text, i + 2):  # the address first: it is rarer than a word
            m = _NAME_END_RE.search(text, max(0, i - 63), i)
            if m and accept(m.group(1)):
                spans.append((m.start(1), m.end(1), "HOSTNAME"))
    if "server" in text:
        for m in lines_matching(text, find_all(text, "server"), _HAPROXY_RE):
            if accept(m.group(1)):
                spans.append((m.start(1), m.end(1), "HOSTNAME"))
    # one scan for "s:" (every key ends so), then a look at the word before each
    hits = [i for i in find_all(text, "s:") if text.endswith(_LIST_KEY_WORDS, max(0, i - 8), i + 2)]
    if hits:
        read = -1
        for key in lines_matching(text, hits, _LIST_KEY_RE):
            if key.start() > read:  # a key inside a block already read is one of its entries'
                read = _yaml_entries(text, key.end() + 1, len(key.group(1)), spans, accept)
    if "//" in text:
        for m in lines_matching(text, find_all(text, "//"), _SLASH_SHARE_RE):
            start = text.rfind("\n", 0, m.start()) + 1
            end = text.find("\n", m.end())
            line = text[start:end if end >= 0 else len(text)]
            # in a mount (fstab, mount -t cifs) the server is a machine whatever its name; in a
            # comment "//share/docs" is a path
            if (own if "cifs" in line or "smb" in line or "mount" in line else accept)(
                    m.group(1)):
                spans.append((m.start(1), m.end(1), "HOSTNAME"))
    for needle in ("hostname\n", "uname -n\n"):
        for i in find_all(text, needle):
            before = text[text.rfind("\n", 0, i) + 1:i].rstrip()
            m = _HOSTNAME_CMD_RE.match(text, i)
            if m and (not before or before[-1] in "$#>%") and own(m.group(1)):
                spans.append((m.start(1), m.end(1), "HOSTNAME"))  # the command, then its output
    for needle, rx in (("/net/", _NET_PATH_RE), ("㉿", _KALI_RE), ("Linux ", _UNAME_RE),
                       ("Darwin ", _UNAME_RE), ("BSD ", _UNAME_RE), ("SunOS ", _UNAME_RE)):
        if needle in text:
            for m in lines_matching(text, find_all(text, needle), rx):
                if own(m.group(1)):
                    spans.append((m.start(1), m.end(1), "HOSTNAME"))
    if "DC=" in text or "dc=" in text:
        for m in _DN_RE.finditer(text):
            parts = [p.group(1) for p in _DN_PART_RE.finditer(m.group())]
            if private_suffix(".".join(parts).lower()):
                for p in list(_DN_PART_RE.finditer(m.group()))[:-1]:
                    s = m.start() + p.start(1)
                    spans.append((s, s + len(p.group(1)), "HOSTNAME"))


def _yaml_entries(text: str, pos: int, indent: int, spans: list[Span], accept: Accept) -> int:
    """The entries one level under a key at ``indent``: ``name:`` keys (Ansible's hosts, with
    their variables further in) or ``- name`` items; deeper lines are the entries' own. At most
    ``_MAX_BLOCK`` lines are read. Returns where the block ends."""
    level = -1
    for _ in range(_MAX_BLOCK):
        if pos >= len(text):
            return pos
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        line = text[pos:end]
        pos = end + 1
        if not line.strip():
            continue
        m = _ENTRY_RE.fullmatch(line)
        width = len(line) - len(line.lstrip(" \t"))
        if width <= indent or width < level or line.lstrip().startswith("```"):
            return end - len(line)  # the block ends before this line
        if level < 0:
            level = width
        if width != level:
            continue
        if m is None or (m.group(3) and line.lstrip().startswith("- ")):
            continue
        if accept(m.group(2)):
            s = end - len(line) + line.index(m.group(2), width)
            spans.append((s, s + len(m.group(2)), "HOSTNAME"))
    return pos
