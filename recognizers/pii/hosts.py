"""Short host names where the text's structure says a host stands: ``HOSTNAME`` findings.

A single-label name (``db-rastaevon-06``, ``nutyxio21``) has no suffix to recognize it by, so its
place decides:

* the host field of a syslog line (``Mar  3 10:22:01 <host> sshd[21934]: ...``, RFC 5424's
  ``<34>1 2025-03-03T10:22:01Z <host> app ...``);
* the ``NODE`` (or ``HOST``) column of a table whose header names it, as ``kubectl get pods -o
  wide`` and ``docker node ls`` print them, and the ``NAME`` column of ``kubectl get nodes``;
* the value of a host option or key: ``psql -h <host>``, ``--host=<host>``, ``host: <host>``,
  ``PGHOST=<host>``, ssh config's ``HostName``;
* the names of an ``/etc/hosts`` line, ssh config's ``Host``, ping's header, the host of
  ``user@host`` in an ssh command or a shell prompt, ``"host:port"`` in a string.

The value must look like a machine's name: a label with a digit, or hyphenated words of which
one is no common word. Where the structure holds nothing but hosts (a syslog host field, a
node table, the places of the last point) a plain word counts too, unless it is a common word,
a tool or a placeholder. Dotted names are left to the private-suffix and policy-domain recognizers.
"""

from __future__ import annotations

import re

from recognizers.english import dictionary, web_words
from recognizers.pii.host_files import host_file_places
from recognizers.pii.machine_names import machine_names, own_name
from recognizers.pii.ops_accounts import ops_hosts
from recognizers.pii.scan import Span, find_all, find_any, lines_matching
from recognizers.pii.words import is_system, looks_like_word
from recognizers.private_hosts import PUBLIC_TLDS as _PUBLIC_TLDS
from recognizers.private_hosts import SUFFIXES, under_private_suffix

_LABEL_RE = re.compile(r"[A-Za-z][A-Za-z0-9\-]{1,62}")
_SYSLOG_RE = re.compile(
    r"^(?:<\d{1,3}>\d? ?)?(?:[A-Z][a-z]{2} {1,2}\d{1,2} \d\d:\d\d:\d\d|\d{4}-\d\d-\d\dT[\d:.]+"
    r"(?:Z|[+\-]\d\d:?\d\d)?) ([A-Za-z][A-Za-z0-9\-]{1,62}) [\w./\-]+(?:\[\d+\])?:? ",
    re.M,
)
_HOST_COLUMNS = ("NODE", "HOST", "HOSTNAME", "NODE NAME", "SERVER", "Host", "Hostname")
# a table's header: kubectl's and docker's (NAME ...), or led by an ID column (restic snapshots)
_HEADER_RE = re.compile(r"^[ \t]*(?:NAME[ \t]{2,}[A-Z][A-Z0-9 ()\-_/]+"
                        r"|ID[ \t]{2,}[A-Z][A-Za-z0-9 ()\-_/]+)$", re.M)
_CELL_RE = re.compile(r"\S+(?: \S+)*")  # columns are two or more spaces apart
_DB_CLIENTS = r"(?:psql|pg_dump|pg_dumpall|pg_restore|pg_isready|mysql|mysqldump|mysqladmin" \
              r"|redis-cli|mongo|mongosh|mongodump|clickhouse-client|cqlsh|nc|telnet)"
_OPTION_RE = re.compile(
    r"(?:(?<![\w\-])" + _DB_CLIENTS + r"\b[^\n|;&]*?[ \t]-h[ \t]*"
    r"|--host(?:name)?[= \t])"
    r"[\"']?([A-Za-z][A-Za-z0-9\-]{1,62})(?![\w.\-:@/])"
)
_KEY_RE = re.compile(
    r"(?<![A-Za-z])(?:[A-Z_]*HOST(?:NAME)?|[a-z_]*host|[a-z_]*Host|HostName|hostname|[a-z_]*server|node"
    r"|nodeName|instance|kdc)[\"']?[ \t]*[:=][ \t]*[\"']?([A-Za-z][A-Za-z0-9\-]{1,62})"
    # ... at the end of its value, or before the next key of a libpq string (host=x user=y)
    r"(?=[\"']?[ \t]*(?:[,;}\n#]|$)|[ \t]+[A-Za-z_]{2,20}=)",
    re.M,
)
_HOST_KEY_RE = re.compile(r"(?:(?:[A-Z]+_?)*HOST(?:NAME)?|(?:[a-z]+_)*host(?:name)?|Host(?:Name)?)"
                          r"[\"']?[ \t]*[:=]")
_KEY_WORDS = ("HOST", "host", "Host", "server", "node", "instance", "kdc")  # one is in every key
_NOT_HOSTS = frozenset({"localhost", "none", "null", "true", "false", "default", "unknown",
                        "pending", "any", "all", "self", "host", "node", "myhost", "hostname",
                        "yourhost", "server", "example", "machine", "broadcasthost",
                        "ip6-localhost", "ip6-loopback", "ip6-allnodes", "ip6-allrouters"})
# Places where only a host stands, so that a plain word there is one too (``ledgerbox``):
# /etc/hosts lines, ssh config's Host, ping's header, ``user@host`` of ssh and shell prompts,
# and ``host:port`` in a string.
_ETC_HOSTS_RE = re.compile(
    r"^[ \t]*(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{0,4}:[0-9A-Fa-f:]+)[ \t]+([^\n#]+)", re.M
)
_NAME_TOKEN_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.\-]*[A-Za-z0-9])?")
_SSH_HOST_RE = re.compile(r"^[ \t]*Host[ \t]+([^\n#*?]+)$", re.M)
_PING_RE = re.compile(r"^PING ([A-Za-z][A-Za-z0-9\-]{1,62}) \(", re.M)
_USER_AT_RE = re.compile(
    r"(?:(?<=[\s\[\"'])|^)[a-z_][a-z0-9_.\-]{0,31}@([A-Za-z][A-Za-z0-9\-]{1,62})"
    r"(?=[ \t:'\"\]]|$)",
    re.M,
)
_SSH_LINE_RE = re.compile(
    r"(?:^|[\s;&|(])(?:ssh|scp|sftp|rsync|mosh|ssh-copy-id|sshfs)\b"
    r"|^(?:\([\w.\-]+\)[ \t]+)?\[?[a-z_][\w.\-]*@[\w\-]+[: ]"  # (venv) jdoe@box:~$
)
_HOST_PORT_RE = re.compile(r"[\"']([A-Za-z][A-Za-z0-9\-]{1,62}):\d{2,5}[\"']")
# The host of a URL's authority (jdbc:postgresql://<host>:5432/db, redis://:pw@<host>/0) and a
# bare host:port (an nginx ``server``, a YAML target list): a single label there is a machine
_URL_HOST_RE = re.compile(
    r"(?<![\w+.\-])[a-z][a-z0-9+.\-]{1,20}://(?:[^\s/@\"'<>]{0,200}@)?"
    r"([A-Za-z][A-Za-z0-9\-]{1,62})(?=:\d|[/?#\s\"'<>)\],;]|$)",
    re.M,
)
_BARE_PORT_RE = re.compile(
    r"(?:(?<=[\s=,(\[{])|^)([A-Za-z][A-Za-z0-9\-]{1,62}):(\d{2,5})(?=[\s\"',;)\]}/]|$)", re.M
)
# Ansible's INI inventory: "<host> ansible_host=10.0.0.5 ansible_port=2222"
_INVENTORY_RE = re.compile(
    r"^[ \t]*([A-Za-z][A-Za-z0-9\-]{1,62})(?:[ \t]+ansible_\w+=\S+)+[ \t]*$", re.M
)
# Windows: a UNC share's server (\\fileserver07\finance) and a connection string's server
_UNC_RE = re.compile(r"(?<![\\\w])\\\\(?:\?\\UNC\\)?([A-Za-z][A-Za-z0-9\-]{1,62})\\[\w$]")
_CONN_SERVER_RE = re.compile(
    r"(?<![\w ])(?:Server|Data Source|Address|Addr|Network Address|Host)[ \t]*=[ \t]*"
    r"(?:tcp:)?([A-Za-z][A-Za-z0-9\-]{1,62})(?=[,\\;:]|$)",
    re.I | re.M,
)
# every host of a URL's host list (mongodb://a,b/): a dotted name whose last label is no public
# top-level domain is a cluster-internal one (mongo-0.mongo, redis.default, vault.service.consul)
_URL_HOSTS_RE = re.compile(
    r"(?<![\w+.\-])[a-z][a-z0-9+.\-]{1,20}://(?:[^\s/@\"'<>]{0,200}@)?"
    r"([A-Za-z0-9.\-]+(?::\d{1,5})?(?:,[A-Za-z0-9.\-]+(?::\d{1,5})?)*)(?=[/?#\s\"'<>)\],;]|$)"
)
# the suffixes of names other recognizers report: private-use ones, and localhost
_OTHERWISE = frozenset({"localhost", "arpa", *SUFFIXES})
# every Kubernetes cluster's own API service: the same name in everyone's cluster
_PUBLIC_CLUSTER_NAME = "kubernetes.default."
_HOST_COLON_RE = re.compile(r"(?<=[A-Za-z0-9]):(?=[\d/~:]|[\w.\-]+/)")
# a remote path: scp/rsync/git/NFS's host:/path, host:dir/file, rsync's host::module
_REMOTE_PATH_RE = re.compile(
    r"(?:^|(?<=[\s\"'=(\[,]))([A-Za-z][A-Za-z0-9\-]{1,62})::?(?!//)(?=[~/]|[\w.\-]+/)", re.M
)
_NAME_ADDRESS_RE = re.compile(
    r"(?<![\w.\-])([A-Za-z][A-Za-z0-9\-]{1,62}):\d{1,3}(?:\.\d{1,3}){3}(?![\d.])"
)
# lines that hold hosts by their format: .pgpass (host:port:db:user:password), known_hosts,
# ssh config's ProxyJump, NTP's server lines, ssh's "Permanently added 'host'"
_HOST_LINES_RE = re.compile(
    r"^([A-Za-z][A-Za-z0-9\-]{1,62}):(?:\d{1,5}|\*):[^:\n]*:[^:\n]*:"
    r"|^([A-Za-z][A-Za-z0-9\-]{1,62})(?:,[\d.:a-fA-F\[\]]+)?[ \t]+(?:ssh-(?:rsa|ed25519|dss)"
    r"|ecdsa-sha2-\S+|sk-ssh-\S+)[ \t]"
    r"|^[ \t]*ProxyJump[ \t]+(?:[\w.\-]+@)?([A-Za-z][A-Za-z0-9\-]{1,62})[ \t]*$"
    r"|^[ \t]*(?:server|pool|peer)[ \t]+([A-Za-z][A-Za-z0-9\-]{1,62})[ \t]+(?:iburst|prefer"
    r"|minpoll|maxpoll|burst)",
    re.M,
)
# one of them is in every match: a port or "*" after a colon, a key type, ProxyJump, an NTP option
_HOST_LINE_NEEDLES = (*(f":{d}" for d in range(10)), ":*", "ssh-", "ecdsa-sha2-", "ProxyJump",
                      "burst", "prefer", "minpoll", "maxpoll")
_ADDED_RE = re.compile(r"Permanently added '([A-Za-z][A-Za-z0-9\-]{1,62})[',]")
_CONN_WORDS = ("erver", "ERVER", "ource", "OURCE", "ddr", "DDR", "ost", "OST")
_SECTION_RE = re.compile(r"^\[([\w\-.:]+)\][ \t]*$", re.M)


def short_hosts(text: str, spans: list[Span]) -> None:
    """Append the HOSTNAME spans of single-label host names in host places."""
    if ":" in text:
        for m in _SYSLOG_RE.finditer(text):
            _add(m, spans, own=True)
    _places(text, spans)
    machine_names(text, spans, lambda x: host_at_place(x) or looks_like_host(x))
    if ("NAME" in text or "ID " in text) and ("NODE" in text or "HOST" in text or "ROLES" in text
                                              or "SERVER" in text or "Host" in text):
        _tables(text, spans)
    low_has = "host" in text or "HOST" in text or "Host" in text or " -h" in text
    # Both patterns stay on one line and hold a word of their own ("-h", a key word): they
    # run only on the lines with one, not from every position of the text.
    if low_has:
        for m in lines_matching(text, find_all(text, "-h"), _OPTION_RE):
            _add(m, spans)
    if low_has or "server" in text or "node" in text or "instance" in text or "kdc" in text:
        hits = find_any(text, _KEY_WORDS)
        for m in lines_matching(text, hits, _KEY_RE):
            # a host key (host=, PGHOST=, hostname:) names a machine; server/node/instance keys
            # name roles and modes as often ("server: production")
            _add(m, spans, own=_HOST_KEY_RE.match(text, m.start(), m.start(1)) is not None)


def _add(m: re.Match[str], spans: list[Span], place: bool = False, own: bool = False) -> None:
    """``place``: the structure holds only hosts there, a plain word counts too; ``own``: only
    a machine's own name stands there, an English word counts too."""
    label = m.group(1)
    if looks_like_host(label) or (place and host_at_place(label)) or (own and own_name(label)):
        spans.append((m.start(1), m.end(1), "HOSTNAME"))


def host_at_place(label: str) -> bool:
    """A label where only a host stands: anything but a placeholder, a system account, an
    English word or a tool's name (``redis:6379`` is a service, ``vaultkeeper`` a machine;
    ``bastion`` and ``laptop`` name no one's machine in particular)."""
    low = label.lower()
    return (low not in _NOT_HOSTS and not is_system(low) and not looks_like_word(label)
            and low not in dictionary() and low not in web_words()  # bastion, laptop
            and _LABEL_RE.fullmatch(label) is not None)


def _places(text: str, spans: list[Span]) -> None:
    def names(m: re.Match[str]) -> None:
        for w in re.finditer(r"\S+", m.group(1)):
            label = w.group()
            if "." not in label and host_at_place(label):
                spans.append((m.start(1) + w.start(), m.start(1) + w.end(), "HOSTNAME"))

    if "." in text or ":" in text:
        for m in _ETC_HOSTS_RE.finditer(text):
            tokens = m.group(1).split()
            # a hosts line holds names only; "10.4.1.9 is the recon service." is prose
            if all(_NAME_TOKEN_RE.fullmatch(t)
                   and not (len(t) > 2 and t.isalpha() and looks_like_word(t)) for t in tokens):
                names(m)
    if "Host" in text:
        for m in _SSH_HOST_RE.finditer(text):
            names(m)
    if "PING " in text:
        for m in _PING_RE.finditer(text):
            _add(m, spans, place=True)
    if "@" in text:
        for m in lines_matching(text, find_all(text, "@"), _USER_AT_RE):
            start = text.rfind("\n", 0, m.start()) + 1
            end = text.find("\n", m.end())
            if _SSH_LINE_RE.search(text[start: end if end >= 0 else len(text)]):
                _add(m, spans, own=True)
    if ":" in text:
        for m in _HOST_PORT_RE.finditer(text):
            _add(m, spans, place=True)
        if "://" in text:
            for m in lines_matching(text, find_all(text, "://"), _URL_HOST_RE):
                _add(m, spans, place=True)
        # one scan for the colons a host can stand before: :port, :/path, ::module, :dir/x
        colons = [m.start() for m in _HOST_COLON_RE.finditer(text)]
        ports = [p for p in colons if text[p + 1:p + 2].isdigit()]
        for m in lines_matching(text, ports, _BARE_PORT_RE):
            if 1 <= int(m.group(2)) <= 65535:
                _add(m, spans, place=True)
    if "ansible_" in text:
        _inventory(text, spans)
    if ":" in text:
        for m in lines_matching(text, colons, _REMOTE_PATH_RE):
            start = text.rfind("\n", 0, m.start()) + 1
            ssh = _SSH_LINE_RE.search(text, start, m.start())  # scp box:/x, rsync -a . box:/x
            _add(m, spans, place=True, own=ssh is not None)
        for m in lines_matching(text, ports, _NAME_ADDRESS_RE):
            _add(m, spans, own=True)  # extra_hosts "name:10.0.0.5", --add-host name:ip
    if "Permanently added" in text:
        for m in _ADDED_RE.finditer(text):
            _add(m, spans, place=True)
    for m in lines_matching(text, find_any(text, _HOST_LINE_NEEDLES), _HOST_LINES_RE):
        g = next(i for i in range(1, 5) if m.group(i))
        if host_at_place(m.group(g)) or looks_like_host(m.group(g)):
            spans.append((m.start(g), m.end(g), "HOSTNAME"))
    if "\\\\" in text:
        for m in _UNC_RE.finditer(text):
            _add(m, spans, own=True)
    if "=" in text:
        hits = find_any(text, _CONN_WORDS)
        for m in lines_matching(text, hits, _CONN_SERVER_RE):
            _add(m, spans, place=True)
    if "://" in text:
        _url_host_lists(text, spans)
    host_file_places(text, spans, lambda x: host_at_place(x) or looks_like_host(x),
                     under_private_suffix, lambda x: own_name(x) or looks_like_host(x))

    def command_host(s: int, e: int) -> None:  # the target of ssh, ping, kubectl drain
        label = text[s:e]
        if _LABEL_RE.fullmatch(label) and (looks_like_host(label) or own_name(label)):
            spans.append((s, e, "HOSTNAME"))

    ops_hosts(text, command_host)


def _url_host_lists(text: str, spans: list[Span]) -> None:
    for m in lines_matching(text, find_all(text, "://"), _URL_HOSTS_RE):
        pos = m.start(1)
        for part in m.group(1).split(","):
            name = part.split(":", 1)[0]
            labels = name.split(".")
            if (len(labels) > 1 and all(_LABEL_RE.fullmatch(x) or x.isdigit() for x in labels)
                    and not name.replace(".", "").isdigit()
                    and labels[-1].lower() not in _PUBLIC_TLDS
                    and labels[-1].lower() not in _OTHERWISE
                    and not (name.lower() + ".").startswith(_PUBLIC_CLUSTER_NAME)):
                spans.append((pos, pos + len(name), "HOSTNAME"))  # the private-hosts' otherwise
            pos += len(part) + 1


def _inventory(text: str, spans: list[Span]) -> None:
    """Hosts of an INI inventory: lines with ``ansible_*`` variables, and the bare names listed
    under a group header (not under ``[group:vars]``, whose lines are variables)."""
    for m in _INVENTORY_RE.finditer(text):
        _add(m, spans, place=True)
    for sec in _SECTION_RE.finditer(text):
        if sec.group(1).endswith(":vars"):
            continue
        pos = sec.end() + 1
        while pos < len(text):
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
            line = text[pos:end].strip()
            if not line or line.startswith("["):
                break
            m = _LABEL_RE.fullmatch(line)
            if m and (looks_like_host(line) or host_at_place(line)):
                s = text.index(line, pos)
                spans.append((s, s + len(line), "HOSTNAME"))
            pos = end + 1


def looks_like_host(label: str) -> bool:
    """A machine's name rather than a word: a digit in it, or hyphenated words of which one is
    no common word (``db-rastaevon``, not ``read-only``)."""
    low = label.lower()
    if low in _NOT_HOSTS or is_system(low) or low.startswith("-") or low.endswith("-"):
        return False
    if any(c.isdigit() for c in low):
        return sum(c.isalpha() for c in low) >= 2
    if "-" not in low:
        return False
    return any(len(p) >= 4 and not looks_like_word(p) for p in low.split("-"))


def _tables(text: str, spans: list[Span]) -> None:
    for h in _HEADER_RE.finditer(text):
        header = h.group()
        cols = [(c.start(), c.group()) for c in _CELL_RE.finditer(header)]
        names = [name for _, name in cols]
        wanted = {i for i, name in enumerate(names) if name in _HOST_COLUMNS}
        if "ROLES" in names and "VERSION" in names:
            wanted.add(0)  # kubectl get nodes: the NAME column holds the nodes
        if not wanted:
            continue
        pos = h.end() + 1
        while pos < len(text):
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
            row = text[pos:end]
            if not row.strip() or row.lstrip().startswith("```"):
                break
            for i in wanted:
                start = cols[i][0]
                if start >= len(row):
                    continue
                # the cell starts at its header's column and runs to the next blank
                if start and row[start - 1] not in " \t":
                    continue
                cell = _LABEL_RE.match(row, start)
                if (cell and (cell.end() == len(row) or row[cell.end()] in " \t")
                        and (looks_like_host(cell.group()) or host_at_place(cell.group()))):
                    spans.append((pos + cell.start(), pos + cell.end(), "HOSTNAME"))
            pos = end + 1
