"""User names in their strong contexts: ``USERNAME`` findings that span the user only.

Home directories (``/home/<user>/``, ``C:\\Users\\<user>``, ``~<user>/``), ``TODO(<user>)`` and a
``(<user>)`` ending a comment, IAM user ARNs, ssh ``User`` and ``-l``, ``USER=``, ``cc @<user>``,
``@author``, a personal GitLab CI checkout, ``owner:``/``author=`` keys, ``pinned by <user>``,
``issued to <user>`` and ``<user>'s laptop``, ticket fields (``Assignee: <user>``), the user
of a URL's userinfo, and authentication logs (sshd's ``Accepted publickey for <user>``, PAM,
sudo). The weak contexts also refuse common words, tools
and types (:func:`~recognizers.pii.words.looks_like_word`); every context refuses system
accounts. ``user@host`` is :mod:`recognizers.pii.email`'s.
"""

from __future__ import annotations

import re

from recognizers.code.vocabulary import is_ordinary_word
from recognizers.pii.ops_accounts import ops_usernames
from recognizers.pii.scan import (
    LUSER,
    MUSER,
    SSH_CMD_RE,
    SSH_MARKERS,
    Add,
    LineFirst,
    Span,
    find_all,
    find_any,
    has_ssh,
    line_start,
    lines_matching,
)
from recognizers.pii.user_contexts import structured_usernames
from recognizers.pii.words import (
    CODE_QUALIFIERS,
    ENGLISH_SUFFIX,
    FILE_EXTENSIONS,
    PROJECT_WORDS,
    SERVICE_SUFFIX_RE,
    TLDS,
    TYPE_WORDS,
    is_system,
    looks_like_word,
)

_USER = r"[A-Za-z](?:[A-Za-z0-9_\-]|\.(?=[A-Za-z0-9_\-])){0,31}"  # no dot at its end
# where a login in a path ends: at anything that cannot go on a name ("/home/jdoe?", "~jdoe.")
_END = r"(?![\w\-])"

# a login in any script: /home/Łukasz, /Users/jürgen
_UUSER = r"[^\W\d_](?:[\w\-]|\.(?=[\w\-])){0,31}"
_HOME_RE = re.compile(
    r"/(?:home|Users|export/home|usr/home)/(" + _UUSER + r")" + _END, re.M
)
# the authority of a URI before the home: vscode-remote://wsl+Ubuntu/home/<user>, sftp://h/home/
_URI_AUTHORITY_RE = re.compile(r"(?<![\w+.\-])(?!https?:)[a-z][\w+.\-]*://[^/\s\"'<>]{1,100}$")
# a data lake's or a remote file system's home: hdfs://nn:8020/user/<user>/, sftp://h/home/<user>/
_URI_HOME_RE = re.compile(
    r"(?<![\w+.\-])(?!https?:)[a-z][\w+.\-]*://[^/\s\"'<>]{1,100}/(?:user|users|home)/(" + _USER
    + r")(?=/)"
)
_URI_HOMES = ("/user/", "/users/", "/home/")  # one of them is in every _URI_HOME_RE match
# a home hashed by the login's first letters (AFS, large sites): /afs/cell/user/j/jdoe
_HASHED_HOME_RE = re.compile(
    r"/(?:user|users|home|homes)/([a-z]{1,2})/(?=\1)(" + _USER + r")" + _END
)
# per-user folders tools make: pytest's basetemp, the JVM's perf data, removable media mounts
# (Bazel's output base, Hadoop's and Hive's scratch folders too)
_TOOL_HOME_RE = re.compile(
    r"(?:pytest-of-|hsperfdata_|_bazel_|/tmp/hadoop-|/tmp/hive/)(" + _USER + r")" + _END
    + r"|(?<![\w.])/(?:run/)?media/(" + _USER + r")/(?=[\w\-])"
)
# a drive letter's folder before /Users: /mnt/c/Users (WSL), /c/Users (Git Bash), /cygdrive/c/,
# /run/desktop/mnt/host/c/ (Docker Desktop)
_WSL_DRIVE_RE = re.compile(r"(?:^|[/\s\"'=(])[A-Za-z]$")
# Other places a user's files live: NFS and site homes, mail and cron spools, UNC home shares,
# and paths JSON-escaped (\/home\/<user>\/)
_OTHER_HOME_ROOTS = ("/nfs/home/", "/home1", "/home2", "/home3", "/home4", "/u/", "/u1/", "/u2/",
                     "homes$", "Homes$", "redirected", "Redirected", "serdata", "serHomes",
                     "serhomes", "/var/mail/", "/var/spool/", "/google/home/",
                     "\\/home\\/", "\\/Users\\/", "home$", "\\home\\", "\\profiles",
                     "\\Home\\", "\\Profiles",
                     "\\homes\\", "\\Homes\\", "users$", "Users$", "\\users\\", "\\Users\\",
                     "$\\Users\\", "$\\users\\",
                     "%2F", "%2f")
_OTHER_HOME_RE = re.compile(
    r"(?:(?<![\w.])/(?:nfs/home|home\d{1,2}|u\d{0,2}|var/mail|var/spool/mail"
    r"|var/spool/cron(?:/crontabs)?"
    r"|usr/local/google/home)/"
    r"|\\/(?:home|Users)\\/"
    r"|%2F(?:home|Users)%2F"  # URL-encoded: ?path=%2Fhome%2F<user>%2F
    r"|\\\\[\w.\-]+\\(?:homes?\$?|users\$?|profiles\$?|[a-z]\$\\users|redirected\$?|userdata\$?"
    r"|userhomes\$?)\\)"  # \\pc\c$\Users\<u>
    r"(" + _USER + r")" + _END,
    re.M | re.I,
)
# C:\Users\<user>, also c:/users/, escaped once or twice (JSON in JSON), URL-encoded
# (file:///c%3A/Users/<user>), with the letters of any script and 8.3 short names (JDOE~1)
_WIN_HOME_RE = re.compile(
    r"(?:(?<![\w])[A-Za-z](?::|%3[Aa])|%(?i:systemdrive|homedrive)%|\$env:(?i:systemdrive))"
    r"(?:\\{1,4}|/|¥|₩)(?:[Uu]sers|Documents and Settings)"
    r"(?:\\{1,4}|/|¥|₩)([^\W\d_][\w.\- ~]{0,31}?)(?=[\\/¥₩\"'\s>:;,)\]?!|*&=#<{}]|\.(?!\w)|$)",
    re.M,
)
# a home under a macOS volume: /Volumes/Macintosh HD/Users/<user>
_VOLUME_RE = re.compile(r"/Volumes/[^/\n]{1,40}$")
# folders that group the homes of a site: /home/staff/<user>, /home/corp.example.com/<user>
_HOME_GROUPS = frozenset({"users", "staff", "students", "faculty", "people", "employees",
                          "guests", "members", "researchers", "interns", "contractors", "external",
                          "ldap", "domain", "grad", "ugrad", "postdocs", "visitors"})
_DOMAIN_FOLDER_RE = re.compile(r"(?:[a-z0-9\-]+\.){2,}[a-z]{2,}|[a-z0-9\-]+\.(?:com|org|net|edu"
                               r"|local|lan|corp|internal)")
_NEXT_FOLDER_RE = re.compile(r"/(" + _USER + r")" + _END)
# an upper-case domain folder between the home root and the user: /home/CORP/<user>
_DOMAIN_DIR_RE = re.compile(r"[A-Z][A-Z0-9\-]{1,14}/(" + _USER + r")" + _END)
# HPC and lab scratch space is per user: /scratch/<user>/, /lustre/scratch/<user>/
_SCRATCH_RE = re.compile(
    r"(?<![\w.])/(?:[\w.\-]+/){0,2}scratch\d?/(" + _USER + r")(?=/)"
)
_TILDE_RE = re.compile(r"~(" + MUSER + r")(?=[/\"'`)\s,;:!?]|\.(?!\w)|'s\b|$)", re.M)
_PAREN_RE = re.compile(r"\((@?)(" + LUSER + r")([,)])")
_TODO_BEFORE_RE = re.compile(r"(?<![\w])(?:TODO|FIXME|XXX|HACK|NOTE|BUG|OPTIMIZE|REVIEW)$")
_PAREN_USER_RE = re.compile(r"[a-z][a-z0-9]{2,19}(?:\.[a-z][a-z0-9]{1,19})?")
_PAREN_AFTER_RE = re.compile(r"[ \t]*(?::|--|-->|\*/|$)", re.M)
_COMMENT_MARK_RE = re.compile(
    r"(?:^|[ \t])(?:#|//|/\*|<!--|--)(?:[ \t]|$)|^[ \t]*(?:#|//|\*|;)", re.M
)
_ARN_USER_RE = re.compile(r"arn:aws[\w\-]*:iam::\d{12}:user/(?:[\w+=,.@\-]+/)*([\w+=,.@\-]+)")
_SSH_CONFIG_USER_RE = re.compile(r"^[ \t]*User[ \t]+(" + LUSER + r")[ \t]*$", re.M)
_SSH_LOGIN_OPT_RE = re.compile(r"[ \t]-l[ \t]*(" + LUSER + r")(?=[ \t]|$)", re.M)
_ENV_USER_RE = re.compile(r"(?:USER|LOGNAME|USERNAME)=([\"']?)(" + LUSER + r")\1(?![\w.\-@/])")
# "cc @jdoe", "thanks @jdoe": matched backwards from " @"
_MENTION_BEFORE_RE = re.compile(
    r"(?:(?<![\w])(?:cc|/cc|ping|pinging|paging|thanks|thx|ask|asked|hey|hi)[:,]?"
    # the owner of a Markdown task: "- [ ] @jdoe: write the postmortem"
    r"|^[ \t]*[-*+][ \t]+\[[ xX]\])[ \t]+$", re.I | re.M
)
_MENTION_RE = re.compile(r"@(" + LUSER + r")(?=[\s,;:)!?]|\.(?:\s|$)|$)", re.M)
# a reply that opens by addressing someone: "@jdoe: looks good", "**@jdoe**, thanks"
_ADDRESS_RE = re.compile(r"[ \t>]*(?:\*\*)?@(" + LUSER + r")(?:\*\*)?[:,](?=[ \t])")
# a mention as Slack's API writes it: <@U024BE7LH|jane.doe>
_SLACK_MENTION_RE = re.compile(r"<@[UW][A-Z0-9]{6,12}\|(" + LUSER + r")>")
_AUTHOR_HANDLE_RE = re.compile(r"@author[ \t]+(" + LUSER + r")[ \t]*(?:\*/)?[ \t]*$", re.M)
# GitLab CI checkout of a personal copy: /builds/<group>/<project>-<user>
_BUILDS_RE = re.compile(
    r"/builds/[\w.\-]+/(?:[\w.\-]+/)*?[\w.\-]*?-([a-z][a-z0-9]*(?:[._][a-z0-9]+)?)"
    r"(?=[/\s\"'`]|$)",
    re.M,
)

_KEY_TRIGGERS = (
    "owner", "user", "login", "slack", "github", "assignee", "author", "Author", "maintainer",
    "reviewer", "created_by", "updated_by", "oncall", "remote_user", "ansible_user", "ssh_user",
    "Assignee", "Owner", "Reporter", "reporter", "Maintainer", "Reviewer",
    # chat exports and profiles (Slack's user_profile): the handle beside the real name
    "display_name", "displayName", "screen_name", "nickname",
)  # fmt: skip
_KV_AT_RE = re.compile(
    r"(?:owner|username|user_name|userName|user|login|slack_handle|slack|github_user|github"
    r"|assignee|author|Author|maintainer|reviewer|created_by|updated_by|oncall|remote_user"
    r"|Assignee|Owner|Reporter|reporter|Maintainer|Reviewer"
    r"|ansible_user|ssh_user|display_name|displayName|screen_name|nickname)"
    r"([\"']?)[ \t]*([:=])[ \t]*([\"']?)(" + LUSER + r")(?![\w.\-@])"
)
# Ticket fields on one line: "Assignee: jdoe  Reporter: rgupta | Status: open"
_FIELD_TAIL_RE = re.compile(r"[ \t]*(?:$|[|,;\u2014\u2013]|-[ \t])|[ \t]{2,}", re.M)
# The user part of URL userinfo: https://jdoe:pw@git.example.com, ssh://jdoe@host
_URL_USER_RE = re.compile(r"(?<![\w+.\-])[a-z][a-z0-9+.\-]{1,15}://(" + MUSER + r")(?=[:@])")
# Authentication logs (sshd, PAM, sudo, su): who logged in, failed, or ran what
_AUTH_LOG_RE = re.compile(
    r"(?:(?:Accepted|Failed)[ \t]+[\w\-]+[ \t]+for(?:[ \t]+invalid[ \t]+user)?"
    r"|[Ii]nvalid[ \t]+user|session[ \t]+(?:opened|closed)[ \t]+for[ \t]+user"
    r"|authentication[ \t]+failure;.*?[ \t]user=|sudo:|su:[ \t]+\(to[ \t]+\w+\))"
    r"[ \t]+(" + LUSER + r")(?=[ \t(:]|$)",
    re.M,
)
_AUTH_LOG_WORDS = ("Accepted ", "Failed ", "nvalid user", "session opened", "session closed",
                   "failure;", "sudo:", "su: (")  # one is on every line the pattern matches
_EMAIL_AFTER_RE = re.compile(r"[ \t]+<[^<>\s@]+@[^<>\s]+>")  # Author: jdoe <jdoe@example.com>
_YAML_KEY_PREFIX_RE = re.compile(r"[ \t]*(?:-[ \t]+)?[\"']?")
_LINE_TAIL_RE = re.compile(r"[ \t]*(?:#.*)?$", re.M)
_INLINE_TAIL_RE = re.compile(r"[ \t]*(?:\)|,|;|--|$)", re.M)

_BY_VERB_RE = re.compile(
    r"(?<![\w])(?:pinned|reported|requested|reviewed|approved|owned|maintained|authored|signed"
    r"|filed|bumped|vendored|patched|forked|generated|created|written|built|run|triggered"
    r"|started|deployed|committed|pushed|merged|opened|closed|edited|modified|updated|raised"
    r"|escalated|assigned|submitted|flagged|claimed|taken|handled|fixed|investigated"
    r"|commit|commits|change|changes|patch|pr|comment|review|post|answer|edit|edits)[ \t]+$",
    re.I,
)
_TO_VERB_RE = re.compile(
    r"(?<![\w])(?:issued|granted|assigned|belongs|handed|delegated|reassigned|denied)[ \t]+$",
    re.I,
)
# "reassigned from <user> to ...": who had it before
_FROM_VERB_RE = re.compile(r"(?<![\w])(?:reassigned|unassigned|transferred|moved|handed[ \t]+over)"
                           r"[ \t]+$", re.I)
_FROM_USER_RE = re.compile(r"[ \t]+@?(" + LUSER + r")(?=[ \t]+to[ \t])")
_BY_USER_RE = re.compile(
    r"[ \t]+@?(" + LUSER + r")(?=[ \t]*(?:[,;):]|--|$|\.(?:\s|$)|[ \t]\()|'s[ \t]"
    r"|[ \t]+(?:on|at|via|from|in|using|with|to|into|and|for|after|before|when|\d))", re.M
)
# "issued to <user> (expires ...)": an infinitive ("issued to satisfy") never has these after it
_TO_USER_RE = re.compile(r"[ \t]+@?(" + LUSER + r")(?=[ \t]*(?:[,;)]|--|[ \t]\()|\.(?:\s|$)|$"
                         r"|[ \t]+(?:and|but|for|since|until|from|today|yesterday|who|on)\b)",
                         re.M)
_TICKET_RE = re.compile(r"(?:issue|bug|bpo|gh|pr|msg|rfc|cve|pep|ticket|case|jira)[\-_]?\d+$")
_POSSESSIVE_TAIL_RE = re.compile(
    r"(?:old[ \t]+|work[ \t]+|dev[ \t]+|personal[ \t]+|local[ \t]+)?"
    r"(?:laptop|machine|session|workstation|desktop|box|computer|macbook|mac|pc|vm|account"
    r"|dotfiles|sandbox|fork|workspace|credentials|home|homedir|home[ \t]+dir(?:ectory)?|profile"
    r"|crontab|mailbox|quota|ssh[ \t]+keys?|processes|jobs|login)\b"
)
_POSSESSIVE_HEAD_RE = re.compile(r"(?:^|(?<=[\s(\"'`]))(" + LUSER + r")$")
_DETERMINER_RE = re.compile(
    r"(?<![\w])(?:the|a|an|my|your|our|their|his|her|its|this|that|each|every|some|any|other"
    r"|another)[ \t]+$",
    re.I,
)


_COMMENT_MARKERS = ("#", "//", "/*", "*", "<!--", "--", ";")


def usernames(text: str, spans: list[Span], low: str | None = None) -> None:
    """Append the USERNAME spans of ``text`` (other than ``user@host``) to ``spans``
    (``low``: the lower-cased text, when the caller has it)."""
    def add(start: int, end: int, weak: bool = False) -> None:
        user = text[start:end]
        if not user or is_system(user) or (weak and looks_like_word(user)):
            return
        spans.append((start, end, "USERNAME"))

    comments = LineFirst(text, _COMMENT_MARK_RE, _COMMENT_MARKERS)
    if "/home/" in text or "/Users/" in text or "/export/home/" in text or "/usr/home/" in text:
        for m in _HOME_RE.finditer(text):
            s = m.start()
            if s == 0 or not (text[s - 1].isalnum() or text[s - 1] in "._") or \
                    _WSL_DRIVE_RE.search(text, max(0, s - 2), s) or \
                    _VOLUME_RE.search(text, max(0, s - 50), s) or \
                    _URI_AUTHORITY_RE.search(text, max(0, s - 120), s):  # /mnt/c/Users/<user>
                group = m.group(1)
                if group.lower() in _HOME_GROUPS or _DOMAIN_FOLDER_RE.fullmatch(group):
                    # /home/staff/<user>, /home/corp.example.com/<user>: the next folder
                    d = _NEXT_FOLDER_RE.match(text, m.end(1))
                    if d:
                        add(d.start(1), d.end(1))
                    continue
                add(m.start(1), m.end(1))
                if m.group(1).isupper():
                    d = _DOMAIN_DIR_RE.match(text, m.start(1))
                    if d:
                        add(d.start(1), d.end(1))
    if "://" in text and ("/user" in text or "/home/" in text):
        # on the lines of the home (fewer than a text's URLs), each also holding a "://"
        for m in lines_matching(text, find_any(text, _URI_HOMES), _URI_HOME_RE):
            if not is_ordinary_word(m.group(1)):
                add(m.start(1), m.end(1), weak=True)
    if "/user/" in text or "/users/" in text or "/home/" in text or "/homes/" in text:
        for m in _HASHED_HOME_RE.finditer(text):
            add(m.start(2), m.end(2))
    if "pytest-of-" in text or "hsperfdata_" in text or "media/" in text or "_bazel_" in text \
            or "/tmp/h" in text:
        for m in _TOOL_HOME_RE.finditer(text):
            g = 1 if m.group(1) else 2
            user = m.group(g)
            if g == 2 and is_ordinary_word(user):
                continue  # /media/uploads/: a web app's
            if g == 1 and text.startswith("/tmp/h", m.start()) and user.isalpha() \
                    and is_ordinary_word(user):
                continue  # /tmp/hadoop-common: a package's
            add(m.start(g), m.end(g), weak=True)
    if "scratch" in text:
        for m in _SCRATCH_RE.finditer(text):
            if not is_ordinary_word(m.group(1)):
                add(m.start(1), m.end(1), weak=True)
    # each match holds its root and stays on one line: only the lines with a root are read
    for m in lines_matching(text, find_any(text, _OTHER_HOME_ROOTS), _OTHER_HOME_RE):
        add(m.start(1), m.end(1))
    if "sers\\" in text or "sers/" in text or "Settings\\" in text or "sers¥" in text \
            or "sers₩" in text:
        for m in _WIN_HOME_RE.finditer(text):
            add(m.start(1), m.end(1))
    if "~" in text:
        for m in _TILDE_RE.finditer(text):
            s = m.start()
            if s == 0 or not (text[s - 1].isalnum() or text[s - 1] in "_)]~\\"):
                alone = not text.startswith("/", m.end(1))
                if alone and (text[s - 1:s] == "`" or "." in m.group(1)):
                    continue  # :class:`~pkg.mod.Name` (Sphinx), not ~user
                add(m.start(1), m.end(1), weak=True)
    if "(" in text:
        _parens(text, add, comments)
    if "arn:aws" in text:
        for m in _ARN_USER_RE.finditer(text):
            add(m.start(1), m.end(1))
    if "User " in text or "User\t" in text:
        for m in _SSH_CONFIG_USER_RE.finditer(text):
            add(m.start(1), m.end(1))
    if " -l" in text and has_ssh(text):
        ssh = LineFirst(text, SSH_CMD_RE, SSH_MARKERS)
        for m in _SSH_LOGIN_OPT_RE.finditer(text):  # ssh -l jdoe host
            if ssh.before(m.start()):
                add(m.start(1), m.end(1))
    for needle in ("USER=", "LOGNAME="):
        for p in find_all(text, needle):
            if p and (text[p - 1].isalnum() or text[p - 1] in "_.-$"):
                continue  # POSTGRES_USER=, DB_USER=
            m = _ENV_USER_RE.match(text, p)
            if m:
                add(m.start(2), m.end(2), weak=True)
    if "@" in text:
        for needle in (" @", "\t@"):
            for p in find_all(text, needle):
                if _MENTION_BEFORE_RE.search(text, max(0, p - 12), p + 1):
                    m = _MENTION_RE.match(text, p + 1)
                    if m:
                        add(m.start(1), m.end(1), weak=True)
        for p in find_all(text, "@"):
            if p == 0 or text[p - 1] in "\n \t>*":
                m = _ADDRESS_RE.match(text, text.rfind("\n", 0, p) + 1)
                if m and m.start(1) == p + 1:
                    add(m.start(1), m.end(1), weak=True)
        if "<@" in text:
            for m in _SLACK_MENTION_RE.finditer(text):
                add(m.start(1), m.end(1), weak=True)
        if "@author" in text:
            for m in _AUTHOR_HANDLE_RE.finditer(text):
                add(m.start(1), m.end(1), weak=True)
    if "://" in text:
        for m in lines_matching(text, find_all(text, "://"), _URL_USER_RE):
            user = m.group(1)
            at = text.find("@", m.end(1), m.end(1) + 200)
            if at != -1 and not any(c in " \t\n/" for c in text[m.end(1):at]):
                add(m.start(1), m.end(1))  # the user of a URL's userinfo
    hits = find_any(text, _AUTH_LOG_WORDS)
    for m in lines_matching(text, hits, _AUTH_LOG_RE):
        add(m.start(1), m.end(1))
    if "/builds/" in text:
        for m in _BUILDS_RE.finditer(text):
            if m.group(1).lower() not in PROJECT_WORDS:
                add(m.start(1), m.end(1), weak=True)
    for key in _KEY_TRIGGERS:
        for p in find_all(text, key):
            _key_value(text, p, add, comments)
    structured_usernames(text, lambda s, e: add(s, e, weak=True))
    ops_usernames(text, text.lower() if low is None else low, lambda s, e: add(s, e, weak=True))
    for needle, verbs, after in (
        (" by ", _BY_VERB_RE, _BY_USER_RE),
        (" to ", _TO_VERB_RE, _TO_USER_RE),
        (" from ", _FROM_VERB_RE, _FROM_USER_RE),
    ):
        for p in find_all(text, needle):
            if verbs.search(text, max(0, p - 14), p + 1):
                m = after.match(text, p + len(needle) - 1)
                user = m.group(1) if m else ""
                if not m or "_" in user:  # current_thread is code
                    continue
                if user.isalpha() and is_ordinary_word(user):
                    continue  # "created by mistake", "run by hand"
                add(m.start(1), m.end(1), weak=True)
    for p in find_all(text, "'s "):
        head = _POSSESSIVE_HEAD_RE.search(text, max(0, p - 40), p)
        if not head or not _POSSESSIVE_TAIL_RE.match(text, p + 3):
            continue
        if "_" in head.group(1) and all(is_ordinary_word(w) for w in head.group(1).split("_")):
            continue  # current_user's: code; peter_szabo's laptop: a login
        if _DETERMINER_RE.search(text, max(0, head.start(1) - 10), head.start(1)):
            continue  # "the user's laptop": a noun phrase, not a name
        add(head.start(1), head.end(1), weak=True)

def _parens(text: str, add: Add, comments: LineFirst) -> None:
    for m in _PAREN_RE.finditer(text):
        s = m.start()
        if _TODO_BEFORE_RE.search(text, max(0, s - 9), s):
            add(m.start(2), m.end(2), weak=True)  # TODO(user), FIXME(user, 2024-05)
            continue
        # "(user)" at the end of a comment: "# token for local testing (jdoe):"
        if m.group(1) or m.group(3) != ")" or s == 0 or text[s - 1] not in " \t":
            continue
        user = m.group(2)
        if not _PAREN_USER_RE.fullmatch(user) or looks_like_word(user):
            continue
        if "." not in user and (ENGLISH_SUFFIX.search(user) or _TICKET_RE.match(user)):
            continue
        if "." in user:
            head, tail = user.split(".", 1)
            if tail in FILE_EXTENSIONS or tail in TLDS or head in CODE_QUALIFIERS:
                continue  # config.yaml, example.com, sys.prefix
        if not _PAREN_AFTER_RE.match(text, m.end()):
            continue
        if not comments.before(s):
            continue
        add(m.start(2), m.end(2), weak=True)

def _key_value(text: str, p: int, add: Add, comments: LineFirst) -> None:
    if p and (text[p - 1].isalnum() or text[p - 1] in "_.-"):
        return  # db_user, superuser, pg.user
    m = _KV_AT_RE.match(text, p)
    if not m:
        return
    key_quote, sep, value_quote = m.group(1), m.group(2), m.group(3)
    user = m.group(4)
    if SERVICE_SUFFIX_RE.search(user) or user in TYPE_WORDS:
        return
    if value_quote:
        if text[m.end() : m.end() + 1] == value_quote:  # "owner": "jdoe"
            add(m.start(4), m.end(4), weak=True)
        return
    if sep != ":" or key_quote:
        return  # user=current_user is code
    if _EMAIL_AFTER_RE.match(text, m.end()):
        add(m.start(4), m.end(4), weak=True)  # git log: "Author: jdoe <jdoe@example.com>"
        return
    start = line_start(text, p)
    if _YAML_KEY_PREFIX_RE.fullmatch(text, start, p) and _LINE_TAIL_RE.match(
        text, m.end()
    ):
        add(m.start(4), m.end(4), weak=True)  # YAML: "  owner: jdoe"
        return
    if text[p].isupper() and _FIELD_TAIL_RE.match(text, m.end()):
        add(m.start(4), m.end(4), weak=True)  # ticket fields: "Assignee: jdoe  Reporter: rg"
        return
    before = text[p - 1] if p else ""
    inline = before == "(" or comments.before(p)
    if inline and _INLINE_TAIL_RE.match(text, m.end()):
        add(m.start(4), m.end(4), weak=True)  # (owner: jdoe) / # owner: jdoe -- export
