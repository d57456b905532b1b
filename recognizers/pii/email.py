"""Every ``@``: e-mail addresses, and the user of ``user@host`` where the text says it is a login.

``user@host:path`` (scp, git, rsync), a shell prompt (``jdoe@laptop:~/src$``, ``[jdoe@box ~]#``,
Git Bash's ``jdoe@LAPTOP MINGW64``) and the target of an ssh command on the same line are
``USERNAME`` findings (the user only); anything else with a domain whose top level is no file
extension is an ``EMAIL``; a URL's user (``https://jdoe@host/``) is a ``USERNAME``, and
``scheme://user:password@host`` is left to the secret recognizers. Addresses spelled out
(``jdoe at example dot com``, ``jdoe [at] example.org``) are ``EMAIL`` too.
"""

from __future__ import annotations

import re

from recognizers.code.vocabulary import is_ordinary_word
from recognizers.english import dictionary
from recognizers.pii.machine_names import own_name
from recognizers.pii.scan import (
    MUSER,
    MUSER_RE,
    SSH_CMD_RE,
    SSH_MARKERS,
    LineFirst,
    Span,
    find_all,
    find_any,
    has_ssh,
    line_start,
    lines_matching,
)
from recognizers.pii.words import FILE_EXTENSIONS, TLDS, is_system, looks_like_word

# Mailboxes of machines, not people: the sender of automated mail (a commit trailer's
# `noreply@`, bounce handlers). They identify no one.
AUTOMATED_SENDERS = frozenset(
    {"noreply", "no-reply", "no_reply", "donotreply", "do-not-reply", "do_not_reply",
     "mailer-daemon", "postmaster", "bounce", "bounces", "notifications", "notification"}
)
_LOCAL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
_DOMAIN_RE = re.compile(
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+([A-Za-z]{2,24})(?![\w\-])"
)
_HOST_RE = re.compile(r"[A-Za-z0-9][\w\-]*(?:\.[\w\-]+)*")
_SCP_PATH_RE = re.compile(r"[~/.]|[\w.\-]+/")  # user@host:~/x, git@host:org/repo.git
# jdoe@laptop:~/src$ , (venv) jdoe@box:/srv# , zsh: jdoe@laptop ~/src %
_PROMPT_RE = re.compile(
    r"[ \t]*(?:\([\w.\-]+\)[ \t]*)?(" + MUSER + r")@[A-Za-z0-9][\w.\-]*(?::[ \t]*|[ \t]+)"
    r"[~/][^\s$#%>]*[ \t]*[$#%>](?=[ \t]|$)",  # bash/zsh $ # %, fish >
    re.M,
)
# a machine's name after "@" (no domain): one or more labels, not a version, digest or dist-tag
_MACHINE_RE = re.compile(r"[A-Za-z][A-Za-z0-9\-]{1,62}")
_IPV4_RE = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
_VERSION_RE = re.compile(r"[vV]?\d")
_PACKAGE_LINE_RE = re.compile(
    r"(?<![\w\-])(?:npm|npx|yarn|pnpm|bun|pip3?|pipx|uv|poetry|go|cargo|gem|brew|deno|helm)"
    r"[ \t]+(?:i|add|install|get|run|exec|dlx|x|upgrade|update)\b|(?<![\w\-])uses:")
_NOT_MACHINES = frozenset({"latest", "next", "beta", "alpha", "canary", "rc", "stable", "lts",
                           "main", "master", "dev", "head", "sha256", "sha512", "edge", "nightly",
                           "experimental", "insiders", "types"})
_BRACKET_PROMPT_RE = re.compile(r"\[(" + MUSER + r")@[A-Za-z0-9][\w.\-]*[ \t][^\]\n]{0,80}\][$#]")


def at_signs(text: str, spans: list[Span]) -> None:
    """Append the EMAIL and ``user@host`` USERNAME spans of ``text`` to ``spans``."""
    prompts: dict[int, re.Match[str] | None] = {}  # one prompt match per line
    ssh = LineFirst(text, SSH_CMD_RE, SSH_MARKERS) if has_ssh(text) else None
    for at in find_all(text, "@"):
        j = at
        while j > 0 and at - j < 64 and text[j - 1] in _LOCAL_CHARS:
            j -= 1
        while j < at and not text[j].isalnum():
            j += 1
        if j == at:
            continue
        local = text[j:at]
        before = text[j - 1] if j else ""
        if before == ":":
            lo = max(0, j - 256)
            tok = max(text.rfind(ch, lo, j) for ch in " \t\n\"'`(<[{") + 1
            if "://" in text[tok:j]:
                continue  # scheme://user:password@host: the secret recognizers' job
        if text[max(0, j - 2) : j] == "//":
            # scheme://user@host: a URL's user (its password, user:pw@, is the secrets'); VS
            # Code's remote URIs put the kind first: vscode-remote://ssh-remote+user@host
            if "+" in local:
                j += local.rfind("+") + 1
                local = text[j:at]
            if MUSER_RE.fullmatch(local) and not is_system(local) and _HOST_RE.match(text, at + 1):
                spans.append((j, at, "USERNAME"))
            continue
        user_ok = MUSER_RE.fullmatch(local) is not None
        host = _HOST_RE.match(text, at + 1)
        if user_ok and host:
            start = line_start(text, j)
            as_user = False
            if text[host.end() : host.end() + 1] == ":" and _SCP_PATH_RE.match(
                text, host.end() + 1
            ):
                as_user = True  # user@host:path (scp, git, rsync, shell prompt)
            elif before == "[" and _BRACKET_PROMPT_RE.match(text, j - 1):
                as_user = True
            elif text.startswith((" MINGW", " MSYS", " UCRT"), host.end()):
                as_user = True  # Git Bash: jdoe@LAPTOP-7 MINGW64 ~/src
            elif text.startswith(("'s password", "'s Password"), host.end()):
                as_user = True  # ssh's prompt: jdoe@build-07's password:
            else:
                if start not in prompts:
                    prompts[start] = _PROMPT_RE.match(text, start)
                prompt = prompts[start]
                if prompt and prompt.start(1) == j:
                    as_user = True
                else:
                    cmd = ssh.before(j) if ssh else None
                    if cmd and not any(s in text[cmd.end() : j] for s in ("|", ";", "&&")):
                        as_user = True
            if as_user:
                if not is_system(local):
                    spans.append((j, at, "USERNAME"))
                _machine_name(host, spans)
                continue
        dom = _DOMAIN_RE.match(text, at + 1)
        if user_ok and host and not dom and _login_at_machine(text, j, local, host):
            spans.append((j, at, "USERNAME"))  # "for jdoe@build-07", "jdoe@gitlab failed"
            # ... and the machine it is the login of; git's identity guessed from the login and
            # the machine ("jdoe <jdoe@pluto>") names the machine whatever the word
            own = text[j - 1:j] == "<" and text.startswith(local + " <", j - len(local) - 2)
            _machine_name(host, spans, own)
            continue
        if not dom or dom.group(1).lower() in FILE_EXTENSIONS:
            continue
        if local[-1] == "." or ".." in local:
            continue
        if local.lower() in AUTOMATED_SENDERS:
            continue  # noreply@vendor.com names no person (its domain is the terms' business)
        spans.append((j, dom.end(), "EMAIL"))


# "jane.doe at example dot com", "jdoe [at] example [dot] org", "jdoe(at)example.de": addresses
# spelled out against scrapers. On the lower-cased text.
# the "@": [at] (at) {at} <at> [@] (@) (a), " at ", " @ " (spaces around it), a fullwidth ＠
_OBF_AT = (r"(?:[ \t]*(?:\[at\]|\(at\)|\{at\}|<at>|\[@\]|\(@\)|\(a\)|＠)[ \t]*|[ \t]+at[ \t]+"
           r"|[ \t]+@[ \t]+|@(?=[a-z0-9\-]+[•·]))")
# the dot: [dot] (dot) {dot} <dot> [.] (.), " dot ", " . ", a bullet, or a dot
_OBF_DOT = (r"(?:[ \t]*(?:\[dot\]|\(dot\)|\{dot\}|<dot>|\[\.\]|\(\.\)|[•·])[ \t]*"
            r"|[ \t]+dot[ \t]+|[ \t]+\.[ \t]+|\.)")
_MAIL_WORD_RE = re.compile(
    r"(?<![\w\-])(?:e-?mail|mail(?:to)?|contact|write[ \t]+to|courriel|correo|邮箱|メール|메일)"
    r"\b[^\n]{0,24}$"
)
_OBFUSCATED_RE = re.compile(
    r"(?<![\w.+\-])([a-z0-9][a-z0-9._%+\-]{0,63}(?:[ \t]+dot[ \t]+[a-z0-9][a-z0-9._%+\-]{0,30})?)"
    r"(" + _OBF_AT + r")"
    r"((?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?" + _OBF_DOT + r")+)([a-z]{2,24})(?![\w\-]|\.\w)"
)
_BRACKETED = ("[", "(", "{", "<", "＠")
_PRIVATE_TLDS = frozenset({"lan", "corp", "local", "internal", "intranet", "localdomain",
                           "private", "arpa"})
_AT_MARKERS = (" at", "\tat", "[at]", "(at)", "{at}", "<at>", " @ ", "[@]", "(@)", "(a)", "＠",
               "•", "·")


def obfuscated_emails(text: str, low: str, spans: list[Span]) -> None:
    """Append EMAIL spans of addresses whose ``@`` and dots are written as words."""
    if not any(marker in low for marker in _AT_MARKERS):
        return
    # a match stays on one line and holds an "at": only the lines with one are searched
    hits = find_any(low, _AT_MARKERS)
    for m in lines_matching(low, hits, _OBFUSCATED_RE):
        local, at, domain, tld = m.group(1), m.group(2), m.group(3), m.group(4)
        if tld in FILE_EXTENSIONS or local[-1] in ".-" or is_system(local):
            continue
        spelled_dot = "." not in domain.replace(" ", "") or "dot" in domain
        bracketed = any(c in at for c in _BRACKETED)
        # "look at github.com" is prose: a plain "at" needs a spelled "dot" too, or a local
        # part no sentence has (a dot, an underscore or a digit in it)
        marked = any(c in local for c in "._0123456789") or " dot " in local
        # "email: jdoe at example.com": a mail word before it says what the "at" means
        mailed = _MAIL_WORD_RE.search(low, max(0, m.start(1) - 32), m.start(1)) is not None
        # "deploy at build-07 dot lan": no sentence spells its way to a private-use suffix
        private = (spelled_dot or "@" in at) and tld in _PRIVATE_TLDS
        if not (bracketed or marked or private
                or ((spelled_dot or mailed) and not is_ordinary_word(local))):
            continue
        if ("@" in at and "[" not in at and "(" not in at and tld not in TLDS and len(tld) != 2
                and not private):
            continue  # "a @ b . transpose" is matrix algebra; an address ends in a known TLD
        spans.append((m.start(1), m.end(4), "EMAIL"))


def _machine_name(host: re.Match[str], spans: list[Span], own: bool = False) -> None:
    """The host of ``user@host`` when it reads as a machine's own name: git@gitlab-int:x.git,
    ops@build-07:~/src, "for jdoe@build-07" (not a word such as jdoe@laptop, unless ``own``:
    only a machine's own name stands there)."""
    name = host.group()
    if "." in name or not _MACHINE_RE.fullmatch(name):
        return
    if own_name(name) if own else (not looks_like_word(name)
                                   and any(c.isdigit() or c == "-" for c in name)):
        spans.append((host.start(), host.end(), "HOSTNAME"))


def _login_at_machine(text: str, j: int, local: str, host: re.Match[str]) -> bool:
    """``user@machine`` standing alone in a sentence or a log: a login on a host without a
    domain or at an IPv4 address (``ssh`` targets, prompts and ``scp`` paths are found
    before). Not a package specifier (``lodash@latest``, ``setup-node@v4``, a line that installs
    packages), a decorator or a product of two words (``weights@inputs``, ``sales@acme``)."""
    if j and not (text[j - 1] in " \t\n\"'`(<[=,;|" or text[j - 1] == "："):
        return False
    if len(local) < 3 or is_system(local):
        return False
    machine = host.group()
    if _IPV4_RE.fullmatch(machine):
        return True  # nothing but a login stands before an address
    if not _MACHINE_RE.fullmatch(machine) or _VERSION_RE.match(machine) \
            or machine.lower() in _NOT_MACHINES:
        return False
    if text[host.end():host.end() + 1] in ("(", "[", "{", "@", "/"):
        return False
    if local.isalpha() and (looks_like_word(local) or _english(local)):
        return False
    if _english(machine) and _english(local):
        return False
    line = text[text.rfind("\n", 0, j) + 1:j]
    return _PACKAGE_LINE_RE.search(line) is None


def _english(word: str) -> bool:
    """An English word, also in its plural (``weights``, ``sales``)."""
    w, words = word.lower(), dictionary()
    return w in words or (w.endswith("s") and (w[:-1] in words or w[:-2] in words))
