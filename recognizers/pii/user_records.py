"""User names in the records systems and tools write about accounts.

Where :mod:`recognizers.pii.user_contexts` reads places a value sits in (columns, keys), these
are the fixed formats of account records and events, each with the field that holds the login:

* account files: ``/etc/group`` members, sudoers rules, ``/etc/subuid``, ``passwd -S``, the user
  column of the system crontab, ``sshd_config``'s ``AllowUsers``/``DenyUsers``/``Match User``,
  the comment of an ``authorized_keys`` line;
* events: sshd's closed and dropped sessions, ``useradd``/``usermod``/``passwd`` logs, cron's
  ``(<user>) CMD``, sudo's refusals and ``sudo -l``, the remote user of an access log line;
* tools that say who is logged in or who wrote what: ``gh auth status``, ``git shortlog -sn``,
  ``git blame``, merge commits of pull requests and personal branches, a code host's timeline
  (``<user> approved these changes``), LDAP entries and Kerberos principals, the documented
  environment variables of CI and session managers (``GITHUB_ACTOR``, ``SUDO_USER``), Windows
  ACL entries and per-user hidden shares, code that compares the current user with a literal;
* ticket fields in many languages (``Zugewiesen an:``, ``担当者:``, ``Исполнитель:``);
* the listing of the homes' folder (``ls /home``, ``ls -l /Users``): its names are logins;
* the user column of a query's result as psql and mysql print it (``usename``, ``user``,
  ``grantee``, ``rolname``).

Every rule runs only on the lines that hold one of its literal needles. Values still pass the
caller's weak checks (no system account, common word or tool).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from recognizers.literals import Literals
from recognizers.pii.scan import LUSER, MUSER, find_all, find_any, lines_matching, needle_index
from recognizers.pii.words import looks_like_word

AddWeak = Callable[[int, int], None]
Check = Callable[[str], bool]

_TICKET_LABELS = (
    # en, de, fr, es/pt, it, nl, pl, tr, ru, ja, zh, ko
    "assignee", "assigned to", "reporter", "reviewer", "owner", "watchers", "watcher",
    "verantwortlich", "zugewiesen an", "bearbeiter", "ersteller", "gemeldet von", "melder",
    "prüfer", "assigné à", "assignée à", "rapporteur", "relecteur", "auteur",
    "asignado a", "informador", "revisor", "responsable", "responsável", "atribuído a",
    "relator", "assegnato a", "segnalato da", "revisore", "toegewezen aan", "eigenaar",
    "przypisany do", "zgłaszający", "właściciel", "recenzent", "atanan", "raporlayan",
    "cc", "bcc", "reviewers", "approvers", "assignees", "assigned", "requested by", "raised by",
    "reported by", "created by", "opened by", "contact", "on-call", "oncall",
    "исполнитель", "ответственный", "ревьюер", "назначено", "担当者", "担当", "報告者",
    "起票者", "レビュー担当", "レビュアー", "负责人", "負責人", "经办人", "經辦人", "处理人",
    "报告人", "報告人", "审核人", "담당자", "보고자", "검토자",
)
_TICKET_SET = frozenset(_TICKET_LABELS)
_FIELD_MARKS = (":", "：", "—", "–", "|")
_MD_RULE_RE = re.compile(r"[ \t]*\|?[ \t]*:?-{3,}")
# a field: a label of at most three words at the start of a line or a table cell, a colon, a
# login, then the end of the field; the label is looked up in _TICKET_SET
_TICKET_RE = re.compile(
    r"^[ \t]*(?:\|[ \t]*)?(?:[-*+][ \t]+)?([*_]{0,2})"
    r"([^\W\d_](?:[^\W\d_]|-(?=[^\W\d_]))*(?:[ \t][^\W\d_]+){0,2})"
    r"(?:[ \t]*[:：][ \t]*\1|\1[ \t]*[:：]|\1[ \t]+[—–][ \t]|\1[ \t]*\|)"  # **Owner:** / — / | cell
    r"[ \t]*@?(" + MUSER + r")((?:[ \t]*,[ \t]*@?" + MUSER + r")*)(?=[ \t]*(?:$|[|;(])|[ \t]{2,})",
    re.M,
)
_LIST_ITEM_RE = re.compile(r"@?(" + MUSER + r")")
_SESSION_VARS = ("SUDO_USER", "GITHUB_ACTOR", "GITHUB_TRIGGERING_ACTOR", "GITLAB_USER_LOGIN",
                 "JUPYTERHUB_USER", "BUILD_USER_ID", "CIRCLE_USERNAME", "CIRCLE_PR_USERNAME",
                 "PAM_USER", "PAM_RUSER", "REMOTE_USER")
# one of them is in every line the timeline pattern matches
_TIMELINE_WORDS = ("ed ", "force-pushed")

# (needles, pattern, check): every named group "u" of a match is a login
_DIGIT_COLONS = tuple(f"{d}:" for d in range(10))  # a time's "10:12" holds one
_RULES: list[tuple[tuple[str, ...], re.Pattern[str], str]] = [
    # sudoers: "jdoe ALL=(ALL) NOPASSWD: ALL"
    (("ALL",), re.compile(r"^[ \t]*(" + LUSER + r")[ \t]+ALL[ \t]*=[ \t]*\(", re.M), ""),
    # sshd, useradd, usermod, passwd, cron and sudo logs
    (("closed by", "Disconnected from", "password changed for", "new user:"), re.compile(
        r"(?:(?:Connection[ \t]+closed[ \t]+by|Disconnected[ \t]+from)[ \t]+(?:(?:authenticating"
        r"|invalid)[ \t]+)?user|password[ \t]+changed[ \t]+for|new[ \t]+user:[ \t]+name=)"
        r"[ \t]*(" + LUSER + r")(?=[ \t,]|$)", re.M), ""),
    (("to group", "from group"), re.compile(
        r"(?<![\w])(?:add|delete|remove)[ \t]+'(" + LUSER + r")'[ \t]+(?:to|from)[ \t]+group"),
     ""),
    (("CMD",), re.compile(r"CRON\[\d+\]:[ \t]+\((" + LUSER + r")\)[ \t]+CMD"), ""),
    (("sudoers file",), re.compile(r"(?:^|[ \t:])(" + LUSER + r")[ \t]+is[ \t]+not[ \t]+in"
                                   r"[ \t]+the[ \t]+sudoers[ \t]+file", re.M), ""),
    (("may run the",), re.compile(r"User[ \t]+(" + LUSER + r")[ \t]+may[ \t]+run[ \t]+the"), ""),
    # a login session's tools: screen's socket folder, vim's swap file, an Emacs lock
    (("/screen/S-",), re.compile(r"/run/screen/S-(" + MUSER + r")(?=[/.\s]|$)", re.M), ""),
    (("owned by:", "user name:"), re.compile(r"(?:owned[ \t]+by|user[ \t]+name):[ \t]+("
                                             + MUSER + r")[ \t]+(?:dated|host[ \t]+name):"), ""),
    ((".#",), re.compile(r"\.#\S+[ \t]+->[ \t]+(" + MUSER + r")@[\w\-]+\.\d+:\d+"), ""),
    # git's identity guessed from the login and the machine: "jdoe <jdoe@box.(none)>"
    ((".(none)>", ".local>", ".localdomain>", ".lan>", ".home>"), re.compile(
        r"^(" + MUSER + r")[ \t]+<\1@[\w\-]+(?:\.[\w\-]+)*\.(?:\(none\)|local|localdomain|lan"
        r"|home)>", re.M), ""),
    # svn log: "r1412 | jdoe | 2025-03-04 ..."
    (("| 20", "| 19"), re.compile(r"^r\d+[ \t]+\|[ \t]+(" + MUSER
                                  + r")[ \t]+\|[ \t]+\d{4}-\d\d-\d\d", re.M), ""),
    # PowerShell's -Credential DOMAIN\jdoe
    (("-Credential",), re.compile(r"-Credential[ \t]+[\"']?(?:[A-Za-z][\w\-]*\\{1,2})?(" + MUSER
                                  + r")(?=[\"'\s]|$)", re.M), ""),
    # a connection string's login (ADO.NET, ODBC), libpq's PGUSER, Ansible's per-host login
    (("User Id=", "User ID=", "UserId=", "UID="), re.compile(
        r"(?<![\w])(?:User[ \t]?I[Dd]|UID)[ \t]*=[ \t]*(" + MUSER + r")(?=[ \t]*(?:;|$))", re.M),
     "words"),
    (("PGUSER=", "ansible_user=", "ansible_ssh_user="), re.compile(
        r"(?<![\w])(?:PGUSER|ansible_user|ansible_ssh_user)=[\"']?(" + MUSER + r")(?=[\"'\s;]|$)",
        re.M), "words"),
    # PuTTY's "login as:", kinit's principal, Apache's per-user public_html, a two-line prompt
    (("login as:",), re.compile(r"login[ \t]+as:[ \t]+(" + MUSER + r")[ \t]*$", re.M), ""),
    (("kinit",), re.compile(r"(?<![\w\-])kinit[ \t]+(?:-\S+[ \t]+(?:[^\s\-]\S*[ \t]+)?)*?("
                            + MUSER + r")(?:@[\w.\-]+)?[ \t]*$", re.M), "words"),
    (("/public_html",), re.compile(r"/(" + MUSER + r")/public_html(?![\w\-])"), "words"),
    (("╭─", "┌─"), re.compile(r"^[ \t]*[╭┌]─+[ \t]*(" + MUSER + r")@[A-Za-z0-9][\w\-]*(?=[ \t:])",
                              re.M), ""),
    # JupyterHub's single-user pods and their label
    (("jupyter-",), re.compile(r"^jupyter-(" + LUSER + r")[ \t]+\d+/\d+[ \t]", re.M), "common"),
    (("jupyter-",), re.compile(r"(?<![\w\-])pods?[ \t]+jupyter-(" + LUSER + r")(?=\s)"),
     "common"),
    (("jupyter.org/username",), re.compile(r"hub\.jupyter\.org/username[\"']?:[ \t]*[\"']?("
                                           + LUSER + r")"), ""),
    # sshd_config
    (("Match User", "Match user"), re.compile(r"Match[ \t]+[Uu]ser[ \t]+(" + LUSER + r")"), ""),
    # an authorized_keys or .pub line: type, key, then the comment "<user>@<host>"
    (("ssh-", "ecdsa-"), re.compile(
        r"(?:ssh-(?:ed25519|rsa|dss)|ecdsa-sha2-nistp\d+|sk-ssh-ed25519@openssh\.com)[ \t]+"
        r"AAAA[A-Za-z0-9+/=]{8,}[ \t]+(" + MUSER + r")@[\w.\-]+[ \t]*$", re.M), ""),
    # tar tvf: "-rw-r--r-- jdoe/staff 1204 2025-03-01 10:12 home/jdoe/.bashrc"
    (("rw-", "r--", "rwx", "r-x"), re.compile(
        r"^[-dlhcbps][rwxsStT\-]{9}[ \t]+(" + LUSER + r")/[\w\-]+[ \t]+\d+[ \t]+\d{4}-\d\d-\d\d",
        re.M), ""),
    # ACL entries (setfacl -m u:jdoe:rx, getfacl's user:jdoe:r-x), id's uid=1001(jdoe), and
    # the process titles of sshd sessions (sshd: jdoe [priv], sshd: jdoe@pts/3)
    (("u:", "user:"), re.compile(r"(?<![\w\-])(?:u|user):(" + LUSER + r"):[rwxX\-]{1,4}(?![\w:])"),
     ""),
    (("uid=",), re.compile(r"(?<![\w])uid=\d+\((" + LUSER + r")\)"), ""),
    (("sshd:",), re.compile(r"sshd:[ \t]+(" + LUSER + r")(?:[ \t]+\[priv\]|@(?:pts/\d+|notty))"),
     ""),
    # git shortlog -sn: "    42\tjdoe"
    (("\t",), re.compile(r"^[ \t]*\d+\t(" + MUSER + r")[ \t]*$", re.M), "common"),
    # git blame: "^3f2a1c9 (jdoe 2024-11-02 10:12:33 +0100 41) ..."
    ((" (",), re.compile(r"^\^?[0-9a-f]{7,40}[ \t]+(?:[\w./\-]+[ \t]+)?\((" + MUSER
                         + r")[ \t]+\d{4}-\d\d-\d\d[ \t]", re.M), ""),
    # merge commits: the pull request's fork owner, a personal branch
    (("Merge ",), re.compile(
        r"Merge[ \t]+(?:pull[ \t]+request[ \t]+#\d+[ \t]+from|branch[ \t]+'[^'\n]{1,100}'"
        r"[ \t]+(?:of[ \t]+\S+[ \t]+)?into|branch[ \t]+')[ \t]*(" + MUSER + r")/[\w.\-]"),
     "common"),
    # gh auth status
    (("Logged in to",), re.compile(r"Logged[ \t]+in[ \t]+to[ \t]+[\w.\-]+[ \t]+(?:account|as)"
                                   r"[ \t]+(" + MUSER + r")(?=[ \t(]|$)", re.M), ""),
    # LDAP and Kerberos
    (("uid=",), re.compile(r"(?<![\w])uid=(" + LUSER + r"),[ \t]*(?:ou|cn|dc)=", re.I), ""),
    (("sAMAccountName", "memberUid", "uid:"), re.compile(
        r"^[ \t]*(?:sAMAccountName|memberUid|uid)[ \t]*:[ \t]*(" + MUSER + r")[ \t]*$", re.M),
     ""),
    (("rincipal",), re.compile(r"[Pp]rincipal:[ \t]*(" + MUSER + r")@[A-Z0-9][A-Z0-9.\-]*"), ""),
    # an access log line (common and combined formats): host, ident, then the remote user
    (("/20", "/19"), re.compile(r"^\S+[ \t]\S+[ \t](" + MUSER + r")[ \t]\[\d{1,2}/[A-Z][a-z]{2}"
                                r"/\d{4}:", re.M), ""),
    # documented variables that name the person running a session or a pipeline
    (tuple(v + "=" for v in _SESSION_VARS), re.compile(
        r"(?<![\w])(?:" + "|".join(_SESSION_VARS) + r")=[\"']?(" + MUSER
        + r")[\"']?(?=[\s;,]|$)", re.M), ""),
    (("ENV ", "setenv ", "set "), re.compile(
        r"(?:^|[ \t])(?:ENV|setenv|set)[ \t]+(?:USER|LOGNAME|USERNAME)[ \t]+(" + MUSER
        + r")[ \t]*$", re.M), ""),
    # icacls: "CORP\jdoe:(OI)(CI)(F)"
    ((":(",), re.compile(r"(?<![\w\\])[A-Za-z][\w\-]{0,14}\\(" + MUSER
                         + r"):\((?:OI|CI|IO|NP|I|F|M|RX|R|W|D)\)"), ""),
    # a per-user hidden share: \\filer\jdoe$ (not admin$, print$, ipc$)
    (("$",), re.compile(r"\\\\[\w.\-]+\\(" + MUSER + r")\$(?=[\\\s\"'`,;)]|$)", re.M), "common"),
    # code that compares the current user with a literal
    (("getuser", "getlogin", "USER", "whoami", "userInfo", "UserName"), re.compile(
        r"(?:getuser\(\)|getlogin\(\)|\$\{?USER\}?\"?|%USERNAME%|\$env:USERNAME"
        r"|Environment\.UserName|userInfo\(\)\.username|\$\(whoami\)\"?)[ \t]*"
        r"(?:==|!=|===|!==|=|-eq|-ne)[ \t]*[\"'](" + MUSER + r")[\"']"), ""),
    # an API's person object: "assignee": {"name": "jdoe", ...}
    (('"assignee"', '"reporter"', '"creator"', '"author"', '"user"', '"owner"', '"committer"'),
     re.compile(r"\"(?:assignee|reporter|creator|author|user|owner|committer|approver|reviewer)\""
                r"[ \t]*:[ \t]*\{[^{}\n]{0,200}?\"(?:name|login|username|key)\"[ \t]*:[ \t]*\"("
                + MUSER + r")\""), ""),
    # chat: "<jdoe> anyone?" after a time, "10:12 jdoe: hi", Slack's "jdoe [10:12 AM]", a quoted
    # mail's "jdoe wrote:", a greeting ("thanks jdoe!", "hi jdoe,"), "jdoe is on call"
    (("<",), re.compile(r"^[ \t]*\[?\d{1,2}:\d\d(?::\d\d)?\]?[ \t]+<[@+%~&]?(" + MUSER
                        + r")>[ \t]", re.M), "common"),
    (_DIGIT_COLONS, re.compile(r"^[ \t]*\[?\d{1,2}:\d\d(?::\d\d)?\]?[ \t]+(" + MUSER
                               + r"):[ \t]+\S", re.M), "words"),
    (("M]",), re.compile(r"^[ \t]*(" + MUSER + r")[ \t]+\[\d{1,2}:\d\d(?:[ \t]?[AP]M)?\]"
                             r"[ \t]*$", re.M), "words"),
    (("wrote:",), re.compile(r"(?:^|[ \t])(" + MUSER + r")[ \t]+wrote:[ \t]*$", re.M), "common"),
    (("Hi ", "Hey ", "Hello ", "Thank", "Thx ", "Ping ", "Ask ", "hi ", "hey ", "thank", "ping ",
      "ask "), re.compile(
        r"(?<![\w\-])(?:[Hh]i|[Hh]ey|[Hh]ello|[Tt]hanks|[Tt]hx|[Pp]ing|[Aa]sk)[ \t]+(" + LUSER
        + r")(?=[,!?:]|\.(?:\s|$)|[ \t]+(?:for|about|if|when|to)\b|[ \t]*$)", re.M), "words"),
    (("on call", "on-call"), re.compile(r"(?:^|[ \t])(" + LUSER + r")[ \t]+is[ \t]+(?:the[ \t]+)?"
                                        r"on[ \t-]call", re.M), "words"),
    # what belongs to an account: "the home dir of jdoe", "the jdoe account", a sudoers drop-in
    (("of ",), re.compile(r"(?<![\w\-])(?:home|home[ \t]+dir(?:ectory)?|homedir|crontab|mailbox"
                          r"|quota|processes|account|profile)[ \t]+of[ \t]+(" + LUSER
                          + r")(?![\w\-])", re.I), "words"),
    ((" account", " login"), re.compile(r"(?<![\w\-])(?:the|my|your|his|her|their|our)[ \t]+("
                                        + LUSER + r")[ \t]+(?:user[ \t]+)?(?:account|login)\b",
                                        re.I), "words"),
    (("sudoers.d/",), re.compile(r"/etc/sudoers\.d/(" + LUSER + r")(?=[\s\"'`:;,)]|$)", re.M),
     "words"),
    # a personal branch: its first segment is its owner's login (checkout -b jdoe/fix, origin/
    # jdoe/x, refs/heads/jdoe/x, "* jdoe/x" in git branch), unless it is a kind of change
    (("checkout", "switch", "origin/", "refs/heads/", "branch", "push", "* "), re.compile(
        r"(?:(?:checkout[ \t]+-[bB]|switch[ \t]+-[cC]|push[ \t]+(?:-u[ \t]+)?[\w\-]+|branch"
        r"(?:[ \t]+-[a-zA-Z])?)[ \t]+['\"]?|(?<![\w/])(?:origin|upstream|remotes/origin"
        r"|refs/heads|refs/remotes/origin)/|^[ \t]*\*[ \t]+)(?!(?:origin|upstream|remotes|refs)/)("
        + MUSER
        + r")/[\w.\-]+(?:/[\w.\-]+)*(?=[\s'\"`,;:)]|$)", re.M), "branch"),
    # a code host's timeline: "<user> approved these changes"
    (_TIMELINE_WORDS, re.compile(
        r"^[ \t]*@?(" + MUSER + r")[ \t]+(?:(?:committed|authored)[ \t]+(?:\d|an?[ \t]|on[ \t]"
        r"|yesterday|last)|(?:opened|closed|reopened|merged|locked)[ \t]+this[ \t]|merged"
        r"[ \t]+commit|approved[ \t]+these[ \t]+changes|requested[ \t]+(?:changes|a[ \t]+review)"
        r"|force-pushed|self-assigned[ \t]+this|left[ \t]+a[ \t]+comment|(?:added|removed)"
        r"[ \t]+the[ \t]|mentioned[ \t]+this|changed[ \t]+the[ \t]+title)", re.M), "words"),
]
# every rule's needles in one automaton: one scan of the text says which rules can match where
_NEEDLE_LIST = sorted({n for needles, _rx, _c in _RULES for n in needles})
_NEEDLE_INDEX = {n: k for k, n in enumerate(_NEEDLE_LIST)}
_NEEDLE_TUPLE = tuple(_NEEDLE_LIST)
_NEEDLES = Literals((n, k) for k, n in enumerate(_NEEDLE_LIST))
# each rule with the automaton's keys of its needles
_RULE_KEYS = [(tuple(_NEEDLE_INDEX[n] for n in needles), rx, check)
              for needles, rx, check in _RULES]
_RULES_OF: dict[int, list[int]] = {}  # needle -> the rules it triggers
for _r, (_keys, _rx, _c) in enumerate(_RULE_KEYS):
    for _k in _keys:
        _RULES_OF.setdefault(_k, []).append(_r)
_GROUP_LINE_RE = re.compile(r"^[a-z_][\w\-]*:[x*!]?:\d+:((?:" + LUSER + r")(?:,(?:" + LUSER
                            + r"))*)[ \t]*$", re.M)
_SUBID_RE = re.compile(r"^(" + LUSER + r"):\d{4,}:\d{3,}[ \t]*$", re.M)
_PASSWD_STATUS_RE = re.compile(r"^(" + LUSER + r")[ \t]+(?:P|PS|NP|L|LK)[ \t]+\d\d/\d\d/\d{4}"
                               r"[ \t]", re.M)
_CRONTAB_RE = re.compile(r"^[ \t]*(?:[\d*/,\-]+[ \t]+){5}(" + LUSER + r")[ \t]+\S", re.M)
_CRON_PATH_RE = re.compile(r"^[ \t]*(?:[\d*/,\-]+[ \t]+){5}(" + LUSER + r")[ \t]+[/~]", re.M)
# commands a cron line runs with a script's path after them (the rest are tools or words)
_CRON_COMMANDS = frozenset({"flock", "timeout", "nice", "ionice", "sleep", "run-parts", "curl",
                            "wget", "find", "rsync", "tar", "chown", "chmod", "xargs", "pg_dump",
                            "mysqldump", "certbot", "sudo", "nohup", "setlock", "chronic"})
_NETRC_RE = re.compile(r"machine[ \t]+\S+(?:[ \t]+|[ \t]*\n[ \t]*)login[ \t]+(" + MUSER
                       + r")(?=\s|$)")
_MYCNF_USER_RE = re.compile(r"^user[ \t]*=[ \t]*[\"']?(" + MUSER + r")[\"']?[ \t]*$", re.M)
_QUOTED_LINE_RE = re.compile(r"[ \t]*\n[\"'](" + MUSER + r")[\"'][ \t]*(?:\n|$)")
_ALLOW_RE = re.compile(r"^[ \t]*(?:AllowUsers|DenyUsers)[ \t]+([^\n#]+)", re.M)
_ALLOW_ITEM_RE = re.compile(r"(" + LUSER + r")(?:@\S+)?")
_ITEM_RE = re.compile(LUSER)
# psql's "-----+------" under its header, mysql's "+------+------+" around it
_ASCII_RULE_RE = re.compile(r"^[ \t]*\+?-{2,}(?:\+-{2,})+\+?[ \t]*$", re.M)
_ASCII_COLUMNS = frozenset({"user", "usename", "username", "user_name", "rolname", "grantee",
                            "owner", "login", "author", "assignee", "reporter", "grantor"})
_CELL_RE = re.compile(MUSER)
_MAX_ROWS = 500
_FEW = 64  # needles below which a rule reads only their lines
# a listing of the folder that holds the homes: its entries are logins
_LS_HOMES_RE = re.compile(
    r"(?:^[ \t]*|[$#%>][ \t]+)(?:ls|dir|Get-ChildItem|gci)(?:[ \t]+-[\w\-]+)*[ \t]+"
    r"(?:/home|/Users|/export/home|[A-Za-z]:\\Users)[/\\]?[ \t]*$", re.M)
_ENTRY_RE = re.compile(r"\S+")
_LISTERS = ("ls ", "dir ", "Get-ChildItem", "gci ")
_LONG_ROW_RE = re.compile(r"[-dlcbps][rwxsStT\-]{9}")


def _no(_value: str) -> bool:
    return False


# the kinds of change branches are named after (feature/x, fix/x), and bots' prefixes
_BRANCH_KINDS = frozenset({
    "feature", "features", "feat", "fix", "fixes", "bugfix", "hotfix", "release", "releases",
    "chore", "docs", "doc", "refactor", "test", "tests", "perf", "ci", "build", "style", "wip",
    "experiment", "experimental", "spike", "poc", "dev", "develop", "main", "master", "support",
    "dependabot", "renovate", "snyk", "users", "user", "team", "teams", "topic", "origin", "tmp",
    "temp", "backport", "revert", "sandbox", "deps", "update", "upgrade", "security", "infra",
})


def _branch_kind(value: str) -> bool:
    return value.lower() in _BRANCH_KINDS


def record_usernames(text: str, add: AddWeak, words: Check, common: Check) -> None:
    """Call ``add(start, end)`` for each login in these records; ``words`` says a value is only
    words (a project or a route, not a person), ``common`` the narrower test for labels."""
    at: dict[int, list[int]] = {}  # needle -> where it starts, from one scan of the text
    shared = needle_index(text, _NEEDLE_TUPLE)  # the PII families' pass, for a long text
    if shared is not None:
        for n, positions in shared.items():
            k = _NEEDLE_INDEX.get(n)
            if k is not None:
                at[k] = positions
    else:
        for end, k in _NEEDLES.iter(text):
            at.setdefault(k, []).append(end - len(_NEEDLE_LIST[k]) + 1)
    # only the rules whose needles are there, in their order (the cost follows the hits)
    for r in sorted({r for k in at for r in _RULES_OF[k]}):
        keys, rx, check = _RULE_KEYS[r]
        lists = [at[k] for k in keys if k in at]
        hits = lists[0] if len(lists) == 1 else sorted(p for hs in lists for p in hs)
        # line-bound patterns: on the lines of their needles, or when those are many and the
        # pattern is anchored at a line's start, over the text
        anchored = rx.pattern.startswith("^")
        found = (rx.finditer(text) if anchored and len(hits) > _FEW
                 else lines_matching(text, hits, rx))
        for m in found:
            judge = {"words": words, "common": common, "branch": _branch_kind}.get(check, _no)
            if not judge(m.group(1)) and not (check == "branch" and words(m.group(1))):
                add(m.start(1), m.end(1))
    # the lines that hold a ticket label (lower-cased in place: same length, same lines)
    low = text.lower()
    hits = find_any(low, _TICKET_LABELS) if len(low) == len(text) else find_any(text, _FIELD_MARKS)
    if hits:
        for m in lines_matching(text, hits, _TICKET_RE):
            if m.group(2).lower() not in _TICKET_SET or common(m.group(3)):
                continue
            end = text.find("\n", m.end())
            if end >= 0 and _MD_RULE_RE.match(text, end + 1):
                continue  # "| Assignee | Status |" over "|---|---|": a header row
            add(m.start(3), m.end(3))
            for it in _LIST_ITEM_RE.finditer(text, m.start(4), m.end(4)):  # cc: a, b, c
                if not common(it.group(1)):
                    add(it.start(1), it.end(1))
    if ":x:" in text or ":!:" in text or ":*:" in text:
        for m in _GROUP_LINE_RE.finditer(text):  # getent group, /etc/group: the members
            for it in _ITEM_RE.finditer(text, m.start(1), m.end(1)):
                add(it.start(), it.end())
    if "subuid" in text or "subgid" in text:
        for m in _SUBID_RE.finditer(text):
            add(m.start(1), m.end(1))
    if "passwd" in text:
        for m in _PASSWD_STATUS_RE.finditer(text):
            add(m.start(1), m.end(1))
    if "/etc/crontab" in text or "cron.d" in text:  # the system crontab has a user column
        for m in _CRONTAB_RE.finditer(text):
            if not words(m.group(1)):
                add(m.start(1), m.end(1))
    elif "* * " in text:  # elsewhere: a sixth field before a path, that names no command
        for m in lines_matching(text, find_all(text, "* * "), _CRON_PATH_RE):
            u = m.group(1)
            if not common(u) and not looks_like_word(u) and u.lower() not in _CRON_COMMANDS:
                add(m.start(1), m.end(1))
    if "machine " in text and "login" in text:  # .netrc: machine <host> login <user>
        for m in _NETRC_RE.finditer(text):
            add(m.start(1), m.end(1))
    if "/home" in text or "/Users" in text or "\\Users" in text:
        for m in lines_matching(text, find_any(text, _LISTERS), _LS_HOMES_RE):
            _home_entries(text, m.end() + 1, add)
    if "-+-" in text or "+--" in text:
        _ascii_tables(text, add)
    if "[client]" in text or "[mysql" in text:  # my.cnf: the client's login
        for m in _MYCNF_USER_RE.finditer(text):
            if not words(m.group(1)):
                add(m.start(1), m.end(1))
    for p in find_any(text, ("getuser()", "getlogin()", "os.userInfo().username")):
        end = text.find("\n", p)  # a REPL's answer on the next line: '<login>'
        m = _QUOTED_LINE_RE.match(text, end) if end >= 0 else None
        if m:
            add(m.start(1), m.end(1))
    if "AllowUsers" in text or "DenyUsers" in text:
        for m in _ALLOW_RE.finditer(text):
            for it in _ALLOW_ITEM_RE.finditer(text, m.start(1), m.end(1)):
                add(it.start(1), it.end(1))


def _ascii_tables(text: str, add: AddWeak) -> None:
    """The cells under a user column of the tables psql and mysql print: the header is the
    line above a rule, the rows follow it to the first line without a ``|``."""
    for rule in _ASCII_RULE_RE.finditer(text):
        if rule.start() == 0:
            continue
        head_start = text.rfind("\n", 0, rule.start() - 1) + 1
        head = text[head_start:rule.start() - 1]
        if "|" not in head:
            continue
        columns = {k for k, c in enumerate(head.split("|")) if c.strip().lower() in _ASCII_COLUMNS}
        if not columns:
            continue
        pos = rule.end() + 1
        for _ in range(_MAX_ROWS):
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
            if pos >= len(text) or "|" not in text[pos:end]:
                break
            cell_start = pos
            for k, cell in enumerate(text[pos:end].split("|")):
                if k in columns:
                    lead = len(cell) - len(cell.lstrip())
                    value = cell.strip()
                    if _CELL_RE.fullmatch(value):
                        add(cell_start + lead, cell_start + lead + len(value))
                cell_start += len(cell) + 1
            pos = end + 1


def _home_entries(text: str, pos: int, add: AddWeak) -> None:
    """The entries listed from ``pos`` on: every name of a short listing, the last column of a
    long one, to the first blank line, prompt or closing fence."""
    if text.startswith(("```", "~~~"), pos):
        pos = text.find("\n", pos) + 1 or len(text)
    for _ in range(_MAX_ROWS):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        row = text[pos:end]
        if pos >= len(text) or not row.strip() or row.lstrip().startswith(("```", "~~~", "$", "#",
                                                                           "PS ", ">")):
            return
        tokens = list(_ENTRY_RE.finditer(row))
        if _LONG_ROW_RE.match(row.lstrip()):
            tokens = tokens[-1:]
        elif row.lstrip().startswith("total "):
            tokens = []
        for t in tokens:
            if _CELL_RE.fullmatch(t.group()):
                add(pos + t.start(), pos + t.end())
        pos = end + 1
