"""User names in operations material: tables of command output, login listings, the user
arguments of commands, SQL roles. ``USERNAME`` findings that span the user only.

* A table whose header is a row of upper-case column names (``ps aux``, ``ps -ef``, ``top``,
  ``w``, ``docker top``, ``lsof``): the cells under ``USER``, ``UID``, ``OWNER``, ``LOGIN`` ...
  A cell is the blank-separated token of a row that overlaps its header's characters, which
  reads left- and right-aligned columns alike.
* A login listing without header (``who``, ``last``): a name, then a terminal (``pts/0``,
  ``tty1``, ``console``, ``:0``).
* A command in command position (start of a line or after a prompt, ``sudo``, ``RUN``, ``;``,
  ``&&``, ``|``, a backtick or ``$(``) and the argument that names a user there: the value of
  ``sudo -u``, ``crontab -u``, ``psql -U``, ``mysql -u``, ``docker exec --user``, ``kubectl
  --as`` ...; the login of ``su``, ``chown``, ``useradd``, ``usermod``, ``passwd``, ``id`` ...;
  a Dockerfile's ``USER``.
* SQL: the grantee of ``GRANT ... TO``, ``REVOKE ... FROM``, ``OWNER TO``, ``CREATE/ALTER/DROP
  USER|ROLE``, ``SET ROLE``, ``AUTHORIZATION``.

Every value passes the weak checks of the caller (no system account, common word or tool);
role names with a service suffix (``app_ro``, ``etl_writer``) are left alone.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

from recognizers.code.vocabulary import is_ordinary_word
from recognizers.pii.scan import LUSER, MUSER, find_all, find_any, lines_matching
from recognizers.pii.words import SERVICE_SUFFIX_RE

AddWeak = Callable[[int, int], None]

_LUSER_RE = re.compile(LUSER)
_LUSER_FULL = re.compile(r"(" + LUSER + r")(?:[:.%]\S*)?")  # jdoe, jdoe:staff, jdoe%pass

# -- tables ----------------------------------------------------------------------------------
_USER_COLUMNS = frozenset({"USER", "UID", "OWNER", "LOGIN", "USERNAME", "RUSER", "EUSER",
                           "ACCOUNT", "User", "Username", "UserName", "Login", "Owner"})
# a header is upper-case column names (ps, top) or capitalized ones (lastlog, PBS's qstat)
_HEAD_TOKEN = re.compile(r"[A-Z%#][A-Z0-9%#+@\-_()/.:]*|[A-Z][a-z]+(?:[A-Z][a-z]+)*")
# the NAME column of a listing of accounts (Get-LocalUser, kubectl config get-users): the
# command above the header names users
_NAME_COLUMNS = ("NAME", "Name")
_TOKEN_RE = re.compile(r"\S+")
_USER_CELL_RE = re.compile(MUSER)
_RULE_ROW_RE = re.compile(r"[ \t]*-{2,}(?:[ \t]+-{1,})+[ \t]*$", re.M)
_MAX_ROWS = 500

# -- who / last --------------------------------------------------------------------------------
_UTMP_RE = re.compile(
    r"^(" + LUSER + r")[ \t]+(?:pts/\d+|tty[\w/]*|console|:\d+(?:\.\d+)?)(?=[ \t]|$)", re.M
)
_UTMP_MARKERS = ("pts/", "tty", "console", " :0")

# -- commands ----------------------------------------------------------------------------------
# command -> the options whose value is a user (long options also as --opt=value)
_OPTION_USERS: dict[str, tuple[str, ...]] = {
    "sudo": ("-u", "--user"), "runuser": ("-u", "--user", "-l"), "crontab": ("-u",),
    "doas": ("-u",), "find": ("-user",), "gpasswd": ("-a", "-d", "--add", "--delete"),
    "docker": ("-u", "--user"), "podman": ("-u", "--user"), "nerdctl": ("-u", "--user"),
    "kubectl": ("--as",), "oc": ("--as",),
    "ps": ("-u", "-U", "--user"), "pgrep": ("-u", "-U"), "pkill": ("-u", "-U"),
    "top": ("-u", "-U"), "htop": ("-u", "--user"), "killall": ("-u", "--user"),
    "lsof": ("-u",), "lastlog": ("-u", "--user"), "faillock": ("--user",),
    "psql": ("-U", "--username"), "pg_dump": ("-U", "--username"),
    "pg_dumpall": ("-U", "--username"), "pg_restore": ("-U", "--username"),
    "pg_basebackup": ("-U", "--username"), "createdb": ("-U", "--username"),
    "dropdb": ("-U", "--username"), "vacuumdb": ("-U", "--username"),
    "pgbench": ("-U", "--username"), "pg_isready": ("-U", "--username"),
    "mysql": ("-u", "--user"), "mysqldump": ("-u", "--user"), "mysqladmin": ("-u", "--user"),
    "mysqlimport": ("-u", "--user"), "mariadb": ("-u", "--user"), "mysqlsh": ("-u", "--user"),
    "mongo": ("-u", "--username"), "mongosh": ("-u", "--username"),
    "mongodump": ("-u", "--username"), "mongorestore": ("-u", "--username"),
    "cqlsh": ("-u", "--username"), "clickhouse-client": ("-u", "--user"),
    "redis-cli": ("--user",), "ftp": ("-u",), "smbclient": ("-U", "--user"),
    "curl": ("-u", "--user", "--proxy-user"), "wget": ("--user", "--http-user", "--ftp-user"),
    "install": ("-o", "--owner"), "rsync": ("--chown", "--usermap"), "tar": ("--owner",),
    "chroot": ("--userspec",),
    "ansible": ("-u", "--user", "--become-user"), "ansible-playbook": ("-u", "--user",
                                                                     "--become-user"),
    # Dockerfile instructions: COPY --chown=<user>:<group>
    "COPY": ("--chown",), "ADD": ("--chown",),
}
# commands whose operand is the login, with their short options that take a value
_OPERAND_USERS: dict[str, str] = {
    "useradd": "bcdefgGkKpPRsuZ", "usermod": "cdefgGlpPRsuZ", "userdel": "PR",
    "adduser": "", "deluser": "", "passwd": "nwix", "chage": "dEIimMWR", "chsh": "sR",
    "chfn": "fhorw", "id": "", "groups": "", "finger": "", "pinky": "", "su": "cgGsw",
    "last": "fnst", "lastb": "fnst",
    "chown": "", "smbpasswd": "rRU", "quota": "",
}
# commands whose first operand is a host, with their short options that take a value
_OPERAND_HOSTS: dict[str, str] = {
    "ssh": "bcDEeFIiJLlmOopQRSWw", "mosh": "p", "ssh-copy-id": "iFopJ", "ssh-keyscan": "fpTt",
    "ping": "cisItWwQlpMm", "ping6": "cisItWwQlpMm", "fping": "cipt", "arping": "cIswf",
    "traceroute": "fmpqwzsNiAgtl", "tracepath": "lmp", "mtr": "cinsbBPaFZ", "nslookup": "",
    "telnet": "lnbe", "nc": "psiwqxX", "ncat": "psiwqxX", "netcat": "psiwqxX",
}
# command -> the options whose value is a host (or a list of them: ssh -J a,b; ansible -l x:y)
_OPTION_HOSTS: dict[str, tuple[str, ...]] = {
    "ssh": ("-J",), "scp": ("-J",), "ansible": ("-l", "--limit"),
    "ansible-playbook": ("-l", "--limit"), "ssh-keygen": ("-R",),
}
# commands that are English words too: as a command they take one login
_WORDLIKE_COMMANDS = frozenset({"id", "groups", "finger", "pinky", "quota", "passwd", "su", "last"})
# commands whose verb names a user operand: loginctl enable-linger <user>
_VERB_USERS: dict[str, frozenset[str]] = {
    "loginctl": frozenset({"enable-linger", "disable-linger", "terminate-user", "kill-user",
                           "user-status", "show-user"}),
}
_KUBECTL_NODE_VERBS = frozenset({"drain", "cordon", "uncordon"})
_SSH_COMMANDS = frozenset({"ssh", "scp", "sftp"})  # -o User=<login>
_COMMANDS = (frozenset(_OPTION_USERS) | frozenset(_OPERAND_USERS) | frozenset(_OPERAND_HOSTS)
             | frozenset(_OPTION_HOSTS) | frozenset(_VERB_USERS))
_COMMAND_RE = re.compile(
    # ... also ps' COMMAND column, after the TIME column ("  0:00 ssh -N box")
    r"(?:^[ \t]*(?:[>%][ \t]+|RUN[ \t]+)?|[$#][ \t]+|[;&|`(][ \t]*|\d:\d\d[ \t]+)"
    r"(" + "|".join(sorted((re.escape(c) for c in _COMMANDS), key=len, reverse=True)) + r")"
    r"(?=[ \t])",
    re.M,
)
_COMMAND_NEEDLES = tuple(sorted({c + sep for c in _COMMANDS for sep in (" ", "\t")}))
_ARG_RE = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"|[^\s;&|`)]+")
_END_RE = re.compile(r"[ \t]*(?:[;&|`)]|$)", re.M)
_DOCKER_USER_RE = re.compile(r"^USER[ \t]+(" + LUSER + r")(?::[\w\-]+)?[ \t]*$", re.M)

# -- SQL ---------------------------------------------------------------------------------------
_SQL_IDENT = r"[\"'`]?(" + LUSER + r")[\"'`]?(?:@[\"'`]?[\w.%\-]+[\"'`]?)?"
_SQL_RE = re.compile(
    r"\b(?:GRANT\b[^;\n]{0,300}?\bTO|REVOKE\b[^;\n]{0,300}?\bFROM|OWNER[ \t]+TO"
    r"|(?:CREATE|ALTER|DROP)[ \t]+"
    r"(?:USER|ROLE)(?:[ \t]+IF(?:[ \t]+NOT)?[ \t]+EXISTS)?|SET[ \t]+(?:SESSION[ \t]+)?ROLE"
    r"|AUTHORIZATION)[ \t\n]+(" + _SQL_IDENT + r"(?:[ \t]*,[ \t]*" + _SQL_IDENT + r")*)",
    re.I,
)
_SQL_ONE = re.compile(_SQL_IDENT)
_SQL_NOT_USERS = frozenset({"public", "current_user", "session_user", "current_role", "all",
                            "none", "default", "role", "user", "group"})


_SQL_WORDS = ("grant", "revoke", "owner", "role", "user", "authorization")
# the last text's commands, per thread (big requests are anonymized in worker threads)
_last = threading.local()


def _commands(text: str) -> list[tuple[str, int]]:
    """(command, end) of each command in command position; one scan serves users and hosts."""
    last = getattr(_last, "found", None)
    if last is not None and last[0] is text:
        return last[1]
    # only the lines that name a command are read (a long text's needles: one pass)
    hits = find_any(text, _COMMAND_NEEDLES)
    found = [(m.group(1), m.end(1)) for m in lines_matching(text, hits, _COMMAND_RE)]
    _last.found = (text, found)
    return found


def ops_hosts(text: str, add: AddWeak) -> None:
    """Call ``add(start, end)`` for each host argument of a command (``ping <host>``, ``ssh
    <host>``, ``kubectl drain <node>``); the caller checks that it looks like a machine."""
    if not any(c in text for c in ("ssh", "ping", "trace", "mtr", "nslookup", "telnet", "nc ",
                                   "ncat", "netcat", "kubectl", "ansible", "scp")):
        return
    for cmd, end in _commands(text):
        if cmd in _OPTION_HOSTS:
            _option_value(_args(text, end), _OPTION_HOSTS[cmd], lambda s, e: _host_list(
                text, s, add))
        if cmd in _OPERAND_HOSTS or cmd == "kubectl":
            args = _args(text, end)
            if cmd == "kubectl":
                _kubectl_node(args, add)
            else:
                ops = _operands(args, _OPERAND_HOSTS[cmd])
                if ops:
                    s, tok = ops[0]
                    host = tok.rpartition("@")[2]  # ssh jdoe@box
                    add(s + len(tok) - len(host), s + len(tok))


_HOST_ITEM_RE = re.compile(r"(?:[\w.\-]+@)?([A-Za-z][A-Za-z0-9\-]*)")


def _host_list(text: str, s: int, add: AddWeak) -> None:
    """``a,b``, ``jdoe@a:22,b``, ``web-1:db-2`` (ansible's patterns): each host name."""
    end = s
    while end < len(text) and not text[end].isspace():
        end += 1
    pos = s
    for part in re.split(r"([,:])", text[s:end]):
        m = _HOST_ITEM_RE.fullmatch(part)
        if m:
            add(pos + m.start(1), pos + m.end(1))
        pos += len(part)


def _kubectl_node(args: list[tuple[int, int, str]], add: AddWeak) -> None:
    words = [(s, tok) for s, _e, tok in args if not tok.startswith("-")]
    if not words:
        return
    verb = words[0][1]
    if verb in _KUBECTL_NODE_VERBS and len(words) > 1:
        s, tok = words[1]
    elif len(words) > 2 and words[1][1] in ("node", "nodes", "no"):
        s, tok = words[2]  # kubectl describe node <name>
    else:
        return
    name = tok.removeprefix("node/")
    add(s + len(tok) - len(name), s + len(tok))


def ops_usernames(text: str, low: str, add: AddWeak) -> None:
    """Call ``add(start, end)`` for each user name in tables, listings, commands and SQL."""
    if any(col in text for col in _USER_COLUMNS) or (
            "user" in low and any(col in text for col in _NAME_COLUMNS)):
        _tables(text, add)
    if any(m in text for m in _UTMP_MARKERS):
        for m in _UTMP_RE.finditer(text):
            add(m.start(1), m.end(1))
    if any(c in low for c in ("su", "chown", "user", "-u", "id ", "groups", "passwd", "--as",
                              "-o ", "--owner", "ps ", "doas", "gpasswd", "chage", "loginctl",
                              "last", "runuser")):
        for cmd, end in _commands(text):
            _command(text, cmd, end, add)
    if "USER" in text:
        for m in _DOCKER_USER_RE.finditer(text):
            add(m.start(1), m.end(1))
    if "grant" in low or "revoke" in low or " role" in low or " user" in low \
            or "authorization" in low or "owner to" in low:
        hits = find_any(low, _SQL_WORDS)
        for m in lines_matching(text, hits, _SQL_RE):
            # SQL writes its keywords in capitals, or ends its statement: "grant access to
            # admins" or "authorization context" in a sentence names no role
            keyword = text[m.start():m.start(1)].split(None, 1)[0]
            prose = not keyword.isupper() and ";" not in _line(text, m.end())
            for one in _SQL_ONE.finditer(text, m.start(1), m.end(1)):
                role = one.group(1)
                if role.lower() in _SQL_NOT_USERS or SERVICE_SUFFIX_RE.search(role):
                    continue
                if prose and is_ordinary_word(role.strip('"`[]')):
                    continue
                add(one.start(1), one.end(1))


def _line(text: str, pos: int) -> str:
    """The rest of the line at ``pos``."""
    end = text.find("\n", pos)
    return text[pos:] if end < 0 else text[pos:end]


def _tables(text: str, add: AddWeak) -> None:
    # each line read once: its tokens by start, or None when it is no header
    headers: dict[int, dict[int, tuple[int, str]] | None] = {}
    for col in (*_USER_COLUMNS, *_NAME_COLUMNS):
        for p in find_all(text, col):
            if col in _NAME_COLUMNS and not _lists_users(text, p):
                continue
            if p and text[p - 1] not in " \t\n":
                continue
            start = text.rfind("\n", 0, p) + 1
            end = text.find("\n", p)
            end = len(text) if end < 0 else end
            if start not in headers:
                tokens = {t.start(): (t.end(), t.group())
                          for t in _TOKEN_RE.finditer(text, start, end)}
                # a rule of dashes under it makes any row of words a header (qstat's "Job id")
                headers[start] = tokens if len(tokens) >= 3 and (all(
                    _HEAD_TOKEN.fullmatch(t) for _, t in tokens.values())
                    or _RULE_ROW_RE.match(text, end + 1)) else None
            tokens = headers[start]
            token = tokens.get(p) if tokens is not None else None
            if token is not None and token[1] == col:
                _column(text, end + 1, (p - start, token[0] - start), add)


def _lists_users(text: str, p: int) -> bool:
    """A command on one of the two lines above the header at ``p`` lists accounts
    (``PS> Get-LocalUser``, ``$ kubectl config get-users``)."""
    start = above = text.rfind("\n", 0, p) + 1
    for _ in range(2):
        above = text.rfind("\n", 0, max(0, above - 1)) + 1
    return any(("$" in line or ">" in line) and "user" in line.lower()
               for line in text[above:start].splitlines())


def _column(text: str, pos: int, span: tuple[int, int], add: AddWeak) -> None:
    a, b = span
    for _ in range(_MAX_ROWS):
        if pos >= len(text):
            return
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        row = text[pos:end]
        if not row.strip() or row.lstrip().startswith("```"):
            return
        for t in _TOKEN_RE.finditer(row):
            if t.start() < b and a < t.end():  # the token that overlaps the header
                # "query user" marks the current session with ">"; ps and top cut a login
                # wider than their column to 7 characters and a "+"
                lead = 1 if t.group().startswith(">") else 0
                cell = t.group()[lead:]
                if cell.endswith("+"):
                    cell = cell[:-1].rstrip("._-")
                if _USER_CELL_RE.fullmatch(cell):
                    add(pos + t.start() + lead, pos + t.start() + lead + len(cell))
                break
            if t.start() >= b:
                break
        pos = end + 1


def _args(text: str, pos: int) -> list[tuple[int, int, str]]:
    end = _END_RE.search(text, pos)
    stop = end.start() if end else len(text)
    return [(m.start(), m.end(), m.group()) for m in _ARG_RE.finditer(text, pos, stop)]


def _command(text: str, cmd: str, pos: int, add: AddWeak) -> None:
    if cmd in _SSH_COMMANDS:
        _ssh_user_option(_args(text, pos), add)
    if cmd in _VERB_USERS:
        words = [(s, tok) for s, _e, tok in _args(text, pos) if not tok.startswith("-")]
        if len(words) == 2 and words[0][1] in _VERB_USERS[cmd]:
            _value(words[1][0], words[1][1], add)
        return
    if cmd not in _OPTION_USERS and cmd not in _OPERAND_USERS:
        return  # a host command: ops_hosts'
    args = _args(text, pos)
    if cmd in _OPTION_USERS:
        _option_value(args, _OPTION_USERS[cmd], add)
        if cmd == "sudo":
            _inner(text, args, add)
    else:
        _operand(cmd, args, _OPERAND_USERS[cmd], add)


def _inner(text: str, args: list[tuple[int, int, str]], add: AddWeak) -> None:
    """The command sudo runs: ``sudo -u postgres psql -U jdoe``."""
    skip = False
    for _s, e, tok in args:
        if skip:
            skip = False
        elif tok.startswith("-"):
            skip = tok in ("-u", "-g", "-U", "-C", "-h", "-p", "-r", "-t", "-D") or (
                len(tok) <= 4 and tok[-1] in "ugUCDhprt" and tok[1:].isalpha())
        else:
            if tok in _COMMANDS and tok != "sudo":
                _command(text, tok, e, add)
            return


def _ssh_user_option(args: list[tuple[int, int, str]], add: AddWeak) -> None:
    """``ssh -o User=jdoe host``, ``scp -oUser=jdoe``."""
    for k, (s, _e, tok) in enumerate(args):
        if tok == "-o" and k + 1 < len(args):
            s, tok = args[k + 1][0], args[k + 1][2]
        elif tok.startswith("-o"):
            s, tok = s + 2, tok[2:]
        else:
            continue
        if tok.lower().startswith("user="):
            _value(s + 5, tok[5:], add)


def _option_value(args: list[tuple[int, int, str]], opts: tuple[str, ...], add: AddWeak) -> None:
    short = [o for o in opts if len(o) == 2]
    for k, (s, _e, tok) in enumerate(args):
        if tok.startswith("--"):
            name, eq, value = tok.partition("=")
            if name in opts:
                if eq:
                    _value(s + len(name) + 1, value, add)
                elif k + 1 < len(args):
                    _value(args[k + 1][0], args[k + 1][2], add)
            continue
        if tok in opts and len(tok) > 2:  # find -user jdoe: a long option with one dash
            if k + 1 < len(args):
                _value(args[k + 1][0], args[k + 1][2], add)
            continue
        if tok.startswith("-") and len(tok) >= 2:
            for o in short:
                combined = len(tok) <= 4 and tok[-1] == o[1] and tok[1:].isalpha()
                if tok == o or combined:  # -u jdoe, sudo -iu jdoe
                    if k + 1 < len(args):
                        _value(args[k + 1][0], args[k + 1][2], add)
                elif tok.startswith(o):
                    _value(s + 2, tok[2:], add)  # mysql -ujdoe, psql -Ujdoe


def _operand(cmd: str, args: list[tuple[int, int, str]], takes: str, add: AddWeak) -> None:
    operands = _operands(args, takes)
    if not operands or (cmd in _WORDLIKE_COMMANDS and len(operands) > 1):
        return  # "groups of people met": a sentence, not a command
    if cmd in ("su", "chown", "adduser", "deluser"):
        s, tok = operands[0]  # su <user> [args], chown <user>[:group] <files>, adduser <u> <g>
    else:
        s, tok = operands[-1]
    _value(s, tok, add)


def _operands(args: list[tuple[int, int, str]], takes: str) -> list[tuple[int, str]]:
    """The operands of a command: not options, nor the values of ``takes``' short options."""
    operands: list[tuple[int, str]] = []
    skip = False
    for s, _e, tok in args:
        if skip:
            skip = False
            continue
        if tok.startswith("-") and tok != "-":
            if not tok.startswith("--") and tok[-1] in takes and len(tok) >= 2:
                skip = True  # -s /bin/bash, -aG docker
            continue
        if tok == "-" or tok.startswith(("'", '"', "/", "$", "<", ">", "~")):
            continue
        operands.append((s, tok))
    return operands


def _value(s: int, value: str, add: AddWeak) -> None:
    q = 1 if value[:1] in "'\"" else 0
    m = _LUSER_FULL.fullmatch(value.strip("'\""))
    if m:
        add(s + q + m.start(1), s + q + m.end(1))
