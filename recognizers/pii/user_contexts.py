"""User names by the structure around them: columns, listings, trailers, logfmt and lists.

The contexts of :mod:`recognizers.pii.usernames` are phrases; these are places. A value is a
user because of the column or key it sits under, wherever the words around it are:

* a Markdown table's column headed ``Assignee``, ``Owner``, ``Reporter``, ``User`` ...;
* the owner column of an ``ls -l`` listing;
* git trailers naming a bare login (``Approved-by: rsingh``, ``Reviewed-by: jdoe``);
* ``user=ncho`` in a log line of ``key=value`` pairs (logfmt), ``user 'x'`` in an audit line;
* a list under a people key (``reviewers: [mhassan, jlee]``, YAML ``- mhassan`` items);
* a home directory deeper in an absolute path (``/data/users/<u>/``, ``/usr/local/home/<u>``,
  ``/srv/homes/<u>``, a WSL share's ``home`` folder);
* the owner of a repository URL on a public forge (``https://github.com/<u>/repo``,
  ``git@gitlab.com:<u>/x.git``, ``https://<u>.github.io``) unless the owner is a word or a
  project's name (``pytorch``, ``spring-projects``);
* ``user <u>`` / ``login <u>`` / ``account <u>`` in a sentence or a log, and the words for an
  account of other languages (``usuario x,``, ``Benutzer: x``, ``账号是x，``, ``계정은 x,``);
* the speaker of a chat export or a review thread (``[09:14] akemi:``, ``**akemi** commented``).

Every value still passes the weak checks (no common word, tool, type or system account).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from recognizers.code.vocabulary import programming_words
from recognizers.english import dictionary, web_words
from recognizers.pii.scan import LUSER, MUSER, find_all, find_any, lines_matching
from recognizers.pii.user_records import record_usernames
from recognizers.pii.words import FILE_EXTENSIONS, PROJECT_WORDS, looks_like_word

AddWeak = Callable[[int, int], None]

_PEOPLE_COLUMNS = frozenset({
    "assignee", "assignees", "owner", "owners", "reporter", "author", "authors", "user",
    "username", "user name", "login", "reviewer", "reviewers", "maintainer", "maintainers",
    "handle", "on-call", "oncall", "assigned to", "created by", "requested by", "approver",
})
_LUSER_FULL = re.compile(r"@?(" + LUSER + r")")
_ROW_RE = re.compile(r"^[ \t]*\|(.*)\|[ \t]*$", re.M)
_RULE_CELL = re.compile(r"[ \t]*:?-{3,}:?[ \t]*")

# the owner of an ls -l line; the group may be numeric or two words (AD's "domain users")
_LS_RE = re.compile(
    r"^[-dlcbps][rwxsStT\-]{9}[.+@]?[ \t]+\d+[ \t]+(" + MUSER + r")[ \t]+\S+"
    r"(?:[ \t][a-z][\w\-]*)?[ \t]+\d",
    re.M,
)
_TRAILER_RE = re.compile(
    r"(?:^|(?<=[ \t]))(?:Approved|Reviewed|Acked|Tested|Reported|Suggested|Requested"
    r"|Signed-off|Authored|Co-authored|Helped|Cc)-by:[ \t]+@?(" + LUSER + r")[ \t]*$",
    re.M | re.I,
)
# also audit's acct="jdoe", and mount options (uid=jdoe,vers=3.0)
_LOGFMT_USER_RE = re.compile(  # ... and a command's filters: git log --author=jdoe
    r"(?:(?<![\w.\-])|(?<=[ \t]--))(?:user|username|user_name|login|uid|actor|principal|acct"
    r"|assignee|reporter"
    r"|owner|author|approver|reviewer)=([\"']?)(" + LUSER
    + r")\1(?=[ \t,]|$)",
    re.M,
)
_LOGFMT_PAIR_RE = re.compile(r"(?<![\w.\-])[a-z_]{2,20}=[^ \t=]")
_LOGFMT_KEYS = ("user=", "username=", "user_name=", "login=", "uid=", "actor=", "principal=",
                "acct=", "assignee=", "reporter=", "owner=", "author=", "approver=", "reviewer=")
# the login of a directory entry: its DN (uid=jdoe,ou=people,dc=corp), a search filter
# ((uid=jdoe)) and LDIF attributes (uid: jdoe)
_DN_USER_RE = re.compile(
    r"(?<![\w.\-])(?i:uid|samaccountname)=(" + LUSER + r"),[ \t]*(?i:ou|dc|o|cn)="
    r"|(?<=[\"'(&|)])\((?i:uid|samaccountname)=(" + LUSER + r")\)"
    r"|^(?i:uid|samaccountname|userprincipalname)::?[ \t]+(" + LUSER + r")(?=[ \t]*$|@)",
    re.M,
)
_DN_KEYS = ("uid", "samaccountname", "userprincipalname")  # one of them is in every match
# /etc/passwd and getent: "<login>:x:1001:1001:..."
_PASSWD_RE = re.compile(r"^(" + LUSER + r"):[x*!]?:\d+:\d+:", re.M)
_LIST_KEYS = ("reviewers", "assignees", "owners", "maintainers", "approvers", "authors", "members",
              "collaborators", "watchers", "admins", "users")
# an absolute path (after a blank, a quote, "=" or the start) with a home container inside
_SEP = r"(?:/|\\{1,2})"  # a path separator, also JSON-escaped
_DEEP_HOME_RE = re.compile(
    r"(?:^|(?<=[\s\"'`(=,\[/]))(?:[A-Za-z]:|\\{2,4}[\w.$\-]+)?" + _SEP
    + r"(?:[\w.$\-]+" + _SEP + r"){0,4}?(?:home|homes|users|Users|user|people|profiles)" + _SEP
    + r"([A-Za-z][A-Za-z0-9._\-]{1,31})(?![\w\-])"
    # relative, the container first and a folder after the user: users/<u>/avatar.png, and
    # personal git branches: refs/heads/user/<u>/fix, origin/users/<u>/x
    r"|(?:^|(?<=[\s\"'`(=,\[:])|(?<=refs/heads/)|(?<=origin/)|(?<=/tree/)|(?<=GB))"
    r"(?:home|users|Users|user)(?:/|\\{1,2})([A-Za-z][A-Za-z0-9._\-]{1,31})(?=(?:/|\\{1,2})\.?\w)",
    re.M,
)
# a repository's URL on a forge: the public ones, a self-hosted one (its host's first label names
# the forge: gitlab.acme.com, git.example.org, gitea.internal), or any git@host:owner/repo
_FORGE_HOST = (r"(?:github\.com|gitlab\.com|bitbucket\.org|codeberg\.org|gitee\.com"
               r"|gist\.github\.com|raw\.githubusercontent\.com|(?:git|gitlab|github|gitea|forgejo"
               r"|gogs|bitbucket|stash|scm|code|source|repos?)(?:\.[\w\-]+)+)")
_FORGE_RE = re.compile(
    r"(?:(?:https?://(?:[^\s/@\"'<>]{1,200}@)?(?:www\.)?|ssh://git@|git\+https://)" + _FORGE_HOST
    + r"(?::\d{1,5})?/|git@[\w.\-]+:(?!\d+/)|(?<![\w.\-])ghcr\.io/"
    r"|(?<![\w\-])brew[ \t]+(?:tap|install)[ \t]+(?=[\w\-]+/))"
    r"([A-Za-z0-9](?:[A-Za-z0-9\-_.]{0,38}[A-Za-z0-9])?)/([\w.\-]+)"
)
# profile pages: /u/<u>, /user/<u>, /users/123/<u>, /in/<u>, /~<u>, /@<u>, and the root page of
# a forge or a social network (github.com/<u>)
_PROFILE_RE = re.compile(
    r"https?://(?:www\.)?[\w\-]+(?:\.[\w\-]+)*(?::\d{1,5})?/(?:(?:u|user|users|people|profile"
    r"|profiles|personal|in|member|members|author|authors)/(?:\d+/)?|~|@)([A-Za-z0-9][\w.\-]{0,38})"
    r"(?=[/?#\s\"'<>)\],;]|$)"
    r"|https?://(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org|codeberg\.org|gitee\.com"
    r"|twitter\.com|x\.com|instagram\.com|facebook\.com|keybase\.io|dev\.to)/"
    r"([A-Za-z0-9][\w.\-]{0,38})/?(?=[?#\s\"'<>)\],;]|$)",
    re.M,
)
# a query parameter that names a user: ?user=<u>, &assignee_username=<u>, jql=assignee%3D<u>,
# query=user.username:<u>
_QUERY_USER_RE = re.compile(
    r"(?:[?&;=]|%26|%3[Dd])(?:[\w\-.]*[_\-.])?(?:user|username|login|author|assignee|owner"
    r"|reporter|creator|account)(?:=|%3[Dd]|%3[Aa]|:)(" + LUSER + r")(?=[&#;\s\"'<>)]|%26|$)",
    re.M,
)
# who a session is: "Logged in as <u>", "running as <u>", "Welcome, <u>!", git's user.name
_SESSION_RE = re.compile(
    r"(?:(?:[Ll]og(?:ged)?|[Ss]ign(?:ed)?)[ \t]*(?:in|on)[ \t]+as|[Ii]mpersonate"
    r"|(?:[Rr]unning|[Rr]an|[Rr]uns|[Ee]xecuted"
    r"|[Bb]uilt|[Dd]eployed|[Cc]onnected|[Cc]onnecting)[ \t]+as|[Aa]uthenticated"
    r"[ \t]+as|[Ii]mpersonating|Welcome,?|user\.name(?:[ \t]*[=:])?|GIT_(?:AUTHOR|COMMITTER)_NAME"
    r"[ \t]*=)"
    r"[ \t]*[\"']?(" + LUSER + r")[\"']?(?=[\s,;:.!)]|$)",
    re.M,
)
# the answer of whoami / echo $USER on the next line
_WHOAMI_RE = re.compile(
    r"(?<![\w\-])(?:whoami|logname|id[ \t]+-un|echo[ \t]+(?:\$\{?(?:USER|LOGNAME)\}?|%USERNAME%"
    r"|\$env:USERNAME))"
    r"[^\n]{0,24}\n(?:[ \t]*(?:```|~~~)\w*[ \t]*\n)?[ \t]*(?:[\w\-]{1,15}\\)?(" + MUSER
    + r")[ \t]*$",  # jdoe, ACME\jdoe, also as the first line of a block after "whoami prints:"
    re.M,
)
_WHOAMI_NEEDLES = ("whoami", "logname", "-un", "USER", "LOGNAME")
# prompts without a directory or without a host: "[jdoe@box]$ ", "jdoe@box$ ", "jdoe:~$ "
_SHORT_PROMPT_RE = re.compile(
    r"^[ \t]*(?:\([\w.\-]+\)[ \t]*)?(?:\[(" + MUSER + r")@[\w.\-]+\]|(" + MUSER
    + r")@[\w.\-]+|(" + MUSER + r"):[~/][^\s$#]*)[$#%](?=[ \t]|$)"
    # zsh's "user@host dir %" and fish's "user@host ~/s/app (main)>"
    r"|^[ \t]*(?:\([\w.\-]+\)[ \t]*)?(" + MUSER + r")@[\w.\-]+[ \t]+(?:~|[\w.\-]+)[^\s$#%>]*"
    r"(?:[ \t]+\([\w./\-]+\))?[ \t]*[%#>](?=[ \t]|$)",
    re.M,
)
# a sentence that names an account: "my username is <u>", "handle: <u>", "I'm <u> on GitHub",
# "log in with <u> / ...", "ask <u> (on Slack)"
_NAMING_RE = re.compile(
    r"(?<![\w\-])(?:user[ _\-]?name|login(?:[ _]name)?|(?:my|your|his|her|their|github|gitlab"
    r"|slack|twitter|discord|irc)[ \t]+handle|account[ _]name|nick(?:name)?"
    r"|user[ _]?id)(?:[ \t]+(?:is|was))?[ \t]*[:=]?[ \t]+[`\"'@]?(" + MUSER + r")[`\"']?"
    r"(?=[\s,;:!?)]|\.(?:\s|$)|$)"
    r"|(" + MUSER + r")[ \t]+\(?on[ \t]+(?:GitHub|GitLab|Slack|Discord|Teams|Twitter|IRC|Matrix"
    r"|Mattermost|Bitbucket|Telegram|Keybase)\b"
    r"|log(?:ged)?[ \t]*(?:in|on)[ \t]+(?:with|using)[ \t]+(" + MUSER + r")(?=[ \t]*[/:,]|\s|$)",
    re.I | re.M,
)
# after a bare "login x", a word that carries on the sentence (not "login jdoe and ...")
_SENTENCE_GOES_ON = re.compile(
    r"[ \t]+(?!(?:and|or|with|to|on|in|at|for|from|via|as|has|is|was|failed|succeeded|ok)\b)"
    r"[^\W\d_]")
_ACCOUNTISH = re.compile(r"[\d._\-]")
# words one of which is on every line _NAMING_RE matches (on the lower-cased text)
_BARE_LOGIN_RE = re.compile(r"login[ \t]+", re.I)
_NAMING_WORDS = ("username", "user name", "user_name", "user-name", "login", "log in", "log on",
                 "logged", "account name", "account_name", "handle", "nick", "user id", "userid",
                 "user_id", "github", "gitlab", "slack", "discord", "teams", "twitter", "irc",
                 "matrix", "mattermost", "bitbucket", "telegram", "keybase")
# a Windows account, DOMAIN\user, where the words before it say it is one
_DOMAIN_USER_RE = re.compile(
    r"(?:/u(?:ser)?:|(?<![\w\-])(?:as|user(?:name)?|login|logon|account|runas|owner)"
    r"(?::s:|[ \t]*[:= \t][ \t]*))"  # username:s:CORP\jdoe in an .rdp file
    r"[\"']?[A-Za-z][A-Za-z0-9\-]{1,14}\\{1,2}(" + MUSER + r")(?=[\s\"'`,;)]|$)",
    re.I | re.M,
)
# macOS bash's prompt: "MacBook-Pro:~ jdoe$ ", "host:dir user$ "
_MAC_PROMPT_RE = re.compile(
    r"^[ \t]*(?:\([\w.\-]+\)[ \t]*)?[A-Za-z0-9][\w.\-]*:\S*[ \t]+(" + MUSER + r")\$(?=[ \t]|$)",
    re.M,
)
_PAGES_RE = re.compile(r"https?://([A-Za-z0-9](?:[A-Za-z0-9\-]{0,37}[A-Za-z0-9])?)\.github\.io\b")
# the name either quoted, or ending its clause, or the subject of what follows ("user jdoe is
# locked"): "the balance of account falls below zero" is a sentence going on
_USER_WORD_RE = re.compile(
    r"(?<![\w\-])(?:[Uu]ser|[Ll]ogin|[Aa]ccount)[ \t]+(?:[`'\"](" + LUSER + r")[`'\"]|(" + LUSER
    + r")(?=[ \t]*(?:[,;:)!?]|\.(?:\s|$)|$)|[ \t]+(?:is|was|has|had|does|did|can|cannot|could"
    r"|must|should|will|owns|logged|failed|tried|needs|gets|got|in|on|from|with|at)\b))",
    re.M,
)
_PARTS_RE = re.compile(r"[a-z]+")
_AUDIT_USER_RE = re.compile(r"(?<![\w.\-])user[ \t]+([\"'])(" + LUSER + r")\1")
# a people key, also with a qualifier and in code (ALLOWED_USERS = ["jdoe", "mlee"])
_LIST_KEY_RE = re.compile(
    r"^([ \t]*)[\"']?(?:[A-Za-z]+[_\-])*(?i:reviewers|assignees|owners|maintainers|approvers"
    r"|authors|members|collaborators|watchers|admins|users)[\"']?[ \t]*[:=][ \t]*"
    r"(\[[^\]\n]*\]|\{[^}\n]*\}|\([^)\n]*\))?[ \t]*[;,]?[ \t]*$",
    re.M,
)
_ITEM_RE = re.compile(r"[\"']?@?(" + LUSER + r")[\"']?")
# "- jdoe", and cloud-init's and Kubernetes' "- name: jdoe" items of a users list
_BLOCK_ITEM_RE = re.compile(r"^([ \t]*)-[ \t]+(?:(?:name|login|username)[ \t]*:[ \t]*)?[\"']?@?("
                            + LUSER + r")[\"']?[ \t]*$", re.M)
_DEEPER_RE = re.compile(r"([ \t]*)\S[^\n]*")


def structured_usernames(text: str, add: AddWeak) -> None:
    """Call ``add(start, end)`` for each user name these structures hold."""
    low = text.lower()
    if "|" in text and ("|-" in text or "| -" in text or "|:" in text or "| :" in text):
        _table_columns(text, add)  # only where a table has its rule row
    if "rw" in text or "r-" in text:
        for m in _LS_RE.finditer(text):
            add(m.start(1), m.end(1))
    if "-by:" in text or "-By:" in text:
        for m in _TRAILER_RE.finditer(text):
            add(m.start(1), m.end(1))
    hits = find_any(text, _LOGFMT_KEYS)
    if hits:
        for m in lines_matching(text, hits, _LOGFMT_USER_RE):
            line_start = text.rfind("\n", 0, m.start()) + 1
            line_end = text.find("\n", m.end())
            line = text[line_start: line_end if line_end != -1 else len(text)]
            flag = text[max(0, m.start() - 2):m.start()] == "--"  # git log --author=jdoe
            if not flag and len(_LOGFMT_PAIR_RE.findall(line)) < 2:
                continue  # a log line, not `user=current`
            if text.startswith(",", m.end()) and ("(" in line or ", " in line):
                continue  # a comma joins mount options (uid=jdoe,vers=3.0), not arguments
            add(m.start(2), m.end(2))
    if "id=" in text or "ID=" in text or "uid:" in text or "Name:" in text or "name:" in text:
        # the lines with a key (lower-cased in place: same length, same lines), or every line
        found = (lines_matching(text, find_any(low, _DN_KEYS), _DN_USER_RE)
                 if len(low) == len(text) else _DN_USER_RE.finditer(text))
        for m in found:
            add(m.start(m.lastindex), m.end(m.lastindex))
    for p in find_all(text, "user "):
        m = _AUDIT_USER_RE.match(text, p)
        if m:
            add(m.start(2), m.end(2))
    hits = find_any(low, _LIST_KEYS)
    if hits:
        _people_lists(text, hits, add)
    if ":x:" in text or ":*:" in text or ":!:" in text:
        for m in _PASSWD_RE.finditer(text):
            add(m.start(1), m.end(1))
    if "ome" in text or "user" in text or "Users" in text or "people" in text \
            or "profiles" in text:
        for m in lines_matching(text, find_any(text, _HOME_WORDS), _DEEP_HOME_RE):
            g = 1 if m.group(1) else 2
            # a home folder on a Windows or UNC path (\\wsl$\Ubuntu\home\mdv, C:\msys64\home\)
            # is no web route: only common words are refused there
            windows = g == 1 and "\\home" in text[m.start():m.start(g)].lower()
            if not (_common_only if windows else _words_only)(m.group(g)) \
                    and not _has_extension(m.group(g)):
                add(m.start(g), m.end(g))
    if "://" in text:
        for m in lines_matching(text, find_all(text, "://"), _QUERY_USER_RE):
            if not _words_only(m.group(1)):
                add(m.start(1), m.end(1))
        for m in lines_matching(text, find_all(text, "://"), _PROFILE_RE):
            # a profile path (/u/<u>, /@<u>) holds a user; a forge's root page may be an org's
            g = 1 if m.group(1) else 2
            if not (_common_only if g == 1 else _words_only)(m.group(g)):
                add(m.start(g), m.end(g))
    if "as" in text or "Welcome" in text or "user.name" in text or "_NAME" in text \
            or "mpersonate" in text:
        for m in lines_matching(text, find_any(text, _SESSION_WORDS), _SESSION_RE):
            if not _words_only(m.group(1)):
                add(m.start(1), m.end(1))
    if "whoami" in text or "logname" in text or "-un" in text or "USER" in text \
            or "LOGNAME" in text:  # also npm whoami, echo %USERNAME%
        # from each command's line on, over the lines its answer may take
        done = -1
        for p in find_any(text, _WHOAMI_NEEDLES):
            start = text.rfind("\n", 0, p) + 1
            if start < done:
                continue
            stop = text.find("\n", min(len(text), p + 200))
            done = stop = len(text) if stop < 0 else stop
            for m in _WHOAMI_RE.finditer(text, start, stop):
                add(m.start(1), m.end(1))
    if "$" in text and ":" in text:
        for m in lines_matching(text, find_all(text, "$"), _MAC_PROMPT_RE):
            add(m.start(1), m.end(1))
    for m in lines_matching(text, find_any(low, _NAMING_WORDS), _NAMING_RE):
        g = next(i for i in (1, 2, 3) if m.group(i))
        # "username: x", "my handle is x" say it is an account: any non-word. A bare "login x"
        # is as often a noun phrase ("the login flow", "login page"): a word is no login there
        bare = g == 1 and _BARE_LOGIN_RE.fullmatch(text, m.start(), m.start(1)) is not None
        if g == 1 and m.group(1).isupper() and text[m.start():m.start(1)].isupper():
            continue  # "USERNAME   SESSIONNAME": a header row
        if bare and _SENTENCE_GOES_ON.match(text, m.end(g)) and not _ACCOUNTISH.search(m.group(g)):
            continue  # "Il login fallisce dopo", "O login falha desde": another language's verb
        if not (_words_only if bare else _common_only)(m.group(g)):
            add(m.start(g), m.end(g))
    if "\\" in text:
        for m in lines_matching(text, find_all(text, "\\"), _DOMAIN_USER_RE):
            add(m.start(1), m.end(1))
    if "$" in text or "#" in text or "%" in text or ">" in text:
        # every prompt holds "user@" or "user:~" (":/"): only those lines are read
        hits = sorted([*find_all(text, "@"), *find_all(text, ":~"), *find_all(text, ":/")])
        for m in lines_matching(text, hits, _SHORT_PROMPT_RE):
            g = next(i for i in (1, 2, 3, 4) if m.group(i))
            add(m.start(g), m.end(g))
    if any(w in text for w in _FORGE_WORDS):
        for m in lines_matching(text, find_any(text, _FORGE_WORDS), _FORGE_RE):
            owner, repo = m.group(1), m.group(2).removesuffix(".git")
            if _PUBLIC_FORGE_RE.search(m.group(0)) and _organization(owner, repo):
                continue  # a project's URL on a public forge: its owner is often an org
            add(m.start(1), m.end(1))
        for m in _PAGES_RE.finditer(text):
            if not _common_only(m.group(1)):
                add(m.start(1), m.end(1))
    if ":" in text or "**" in text:
        for m in _SPEAKER_RE.finditer(text):
            g = 1 if m.group(1) else 2
            if not _common_only(m.group(g)):
                add(m.start(g), m.end(g))
    hits = find_any(low, _LOCAL_USER_WORDS)
    if hits:
        for m in lines_matching(text, hits, _LOCAL_USER_RE):
            if not _common_only(m.group(1)):
                add(m.start(1), m.end(1))
    record_usernames(text, add, _words_or_plain, _common_only)
    for word in _USER_WORDS:
        if word in text:
            for m in lines_matching(text, find_any(text, _USER_WORDS), _USER_WORD_RE):
                g = 1 if m.group(1) else 2
                if not _words_or_plain(m.group(g)):
                    add(m.start(g), m.end(g))
            break


_HOME_WORDS = ("home", "users", "Users", "user/", "people", "profiles")
_SESSION_WORDS = ("in as", "on as", "ing as", "ted as", "mpersonate", "ran as", "uns as",
                  "ilt as", "yed as", "Welcome", "user.name", "_NAME")
_FORGE_WORDS = ("git", "bitbucket", "codeberg", "gitee", "ghcr.io", "brew ", "stash", "scm",
                "code.", "source.", "repo")
_USER_WORDS = ("user ", "User ", "login ", "Login ", "account ", "Account ")
# The same in the other languages the gateway's users write: "usuario gmelero,", "Benutzer:
# jdoe", "пользователь ivan.p.", "账号是xjiang，", "ユーザーはtanaka、", "계정은 choiye,". The value
# must end the clause (punctuation, line end, or CJK text after it): in "der Benutzer kann
# sich ..." the next word is no login.
# who speaks in a chat export ("[09:14] akemi: ..", "09:14 <akemi> ..") or in a review thread
# ("**akemi** commented on ..", "**akemi**: ..")
_SPEAKER_RE = re.compile(
    r"^[ \t>]*(?:\[\d{1,2}:\d{2}(?::\d{2})?\]|\d{1,2}:\d{2}(?::\d{2})?)[ \t]+<?@?(" + LUSER
    + r")>?:?[ \t]"
    r"|^[ \t>]*\*\*@?(" + LUSER + r")\*\*(?::|[ \t]+(?:commented|replied|wrote|reviewed"
    r"|approved|requested|left|opened|closed|merged|pushed|suggested|said)\b)",
    re.M,
)
_LOCAL_USER_WORDS = (
    "usuari", "usuári", "utilisateur", "benutzer", "nutzer", "utente", "gebruiker", "użytkownik",
    "kullanıcı", "пользовател", "логин", "用户", "用戶", "账号", "賬號", "帳號", "账户", "ユーザ",
    "アカウント", "사용자", "계정", "아이디",
)
_LOCAL_USER_RE = re.compile(
    r"(?:(?<![^\W\d_])(?:usu[aá]rio|utilisateur|(?:be)?nutzer(?:name)?|utente|gebruiker(?:snaam)?"
    r"|użytkownik|kullanıcı(?:[ \t]+adı)?|пользователь|логин)(?:[ \t]+(?:es|é|est|ist|è|is|jest))?"
    r"[ \t]*[:：=]?[ \t]+"
    r"|(?:用户名?|用戶名?|账号|賬號|帳號|账户|ユーザー?名?|ユーザーID|アカウント名?"
    r"|사용자(?:[ \t]?이름)?|계정"
    r"|아이디)[ \t]*(?:是|为|為|は|が|은|는|이|가|[:：=])?[ \t]*)"
    r"[`'\"@「]?(" + MUSER + r")[`'\"」]?"
    r"(?=[ \t]*(?:[,;:)，。、）：]|\.(?:\s|$)|$)|[\u3040-\u9fff\uac00-\ud7af])",
    re.I | re.M,
)


_MARKED_RE = re.compile(r"\d|[a-z][._][a-z]")


def _words_or_plain(name: str) -> bool:
    """``_words_only`` for a plain word; a digit or a separator between letters (``josee38``,
    ``peter_szabo``) marks a login, which the narrower ``_common_only`` judges."""
    return (_common_only if _MARKED_RE.search(name.lower()) else _words_only)(name)


def _words_only(name: str) -> bool:
    """Every part of the name is a word as it stands: a project or a route, not a person
    (``spring-projects``, ``sign_in``, ``pytorch``). Exact look-ups only: the code vocabulary's
    compounds and one-letter prefixes would also take ``vmanole`` (an initial and a surname)."""
    parts = _PARTS_RE.findall(name.lower())
    return not parts or all(len(p) <= 2 or p in PROJECT_WORDS or p in dictionary()
                            or p in web_words() or p in programming_words() for p in parts)


_PUBLIC_FORGE_RE = re.compile(r"github\.com|gitlab\.com|bitbucket\.org|codeberg\.org|gitee\.com"
                              r"|githubusercontent\.com|ghcr\.io|brew")
_ORG_SUFFIX_RE = re.compile(r"[\-_.]?(?:js|rs|py|go|io|hq|dev|org|inc|labs?|team|corp|app|tech"
                            r"|sh|cli|oss|project|projects|community|foundation)$")


def _organization(owner: str, repo: str) -> bool:
    """The owner reads as a project or an organization: a word (``pytorch``, ``facebook``),
    a word with an organization's suffix (``preactjs``, ``tokio-rs``), or a name the repository
    shares (``preactjs/preact``, ``django/django``)."""
    o, r = owner.lower(), repo.lower().removesuffix(".git")
    if o == r or (len(r) >= 3 and r in o) or (len(o) >= 3 and o in r):
        return True
    return _words_only(owner) or _words_only(_ORG_SUFFIX_RE.sub("", o) or o)


def _common_only(name: str) -> bool:
    """Every part of the name is a common word, a tool or a project (the narrower test, for the
    places that hold a user or an organization: ``yuki.tanaka`` passes, ``spring-projects`` and
    ``pytorch`` do not)."""
    parts = _PARTS_RE.findall(name.lower())
    return not parts or all(looks_like_word(p) or p in PROJECT_WORDS for p in parts)


def _has_extension(name: str) -> bool:
    return "." in name and name.rsplit(".", 1)[1].lower() in FILE_EXTENSIONS


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


def _people_lists(text: str, hits: list[int], add: AddWeak) -> None:
    def item(s: int, e: int) -> None:
        value = text[s:e]
        # members: [read, write] are permissions; kwong and lyu are logins
        if not (value.isalpha() and (looks_like_word(value) or value.lower() in dictionary())):
            add(s, e)

    for m in lines_matching(text, hits, _LIST_KEY_RE):
        if m.group(2):  # reviewers: [mhassan, jlee]
            base = m.start(2) + 1
            for it in _ITEM_RE.finditer(m.group(2)[1:-1]):
                item(base + it.start(1), base + it.end(1))
            continue
        indent = len(m.group(1))
        pos = m.end() + 1
        item_indent = None
        while pos < len(text):
            it = _BLOCK_ITEM_RE.match(text, pos)
            if not it or len(it.group(1)) < indent:
                # an item's own keys (groups:, shell:) sit deeper than its "-"
                deeper = _DEEPER_RE.match(text, pos)
                if it is None and item_indent is not None and deeper \
                        and len(deeper.group(1)) > item_indent and "\n" not in deeper.group():
                    pos = deeper.end() + 1
                    continue
                break
            item(it.start(2), it.end(2))
            item_indent = len(it.group(1))
            pos = it.end() + 1
