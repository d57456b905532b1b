"""Machine names where a machine's own name stands: ``HOSTNAME`` findings, words included.

Fleets are often named after things (``pluto``, ``kestrel``, ``cedar``). Most host places also
hold services and tools (``redis:6379``, ``ENOTFOUND postgres``), so they refuse dictionary
words. The places below name the machine itself and nothing else, so there an ordinary word is
a machine too; placeholders, system accounts, tools, distributions' default names and container
ids still are not:

* the host of a shell prompt or an ssh target (``jdoe@pluto:~$``, ``ssh jdoe@pluto``) and of an
  ssh-like URL (``DOCKER_HOST=ssh://jdoe@pluto``);
* a syslog line's host field, ``hostnamectl``'s ``Static hostname:``, the line after
  ``cat /etc/hostname``, ``COMPUTERNAME=`` and ``LOGONSERVER=\\\\``, ssh config's ``HostName``;
* the first field of a ``known_hosts`` line (also ``[host]:port``), ``.netrc``'s ``machine``;
* a CI runner's ``Runner name:``/``Machine name:`` and Jenkins' ``Building remotely on``;
* the remote host of ``who`` and ``last`` lines, the server of an NFS export in ``fstab`` and
  ``mount`` output, and of a UNC path (``\\\\pluto\\share``).

Name-resolution failures (``getaddrinfo ENOTFOUND <h>``, ``UnknownHostException: <h>``,
``lookup <h> on``, ``Could not resolve host: <h>``, ``No such host is known. (<h>:443)``) and a
URL under a ``server:``/``host:`` key name a machine too (a compose service's name is as
private; ``redis``, ``postgres`` are tools and stay). CI's ``Running on <h> in`` (or ``via``)
and a core file's ``core.<h>.<pid>`` may name
the program instead: there the name must look like a machine's (``accept``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from recognizers.literals import Literals
from recognizers.pii.scan import INDEXED, MUSER, Span, find_each, lines_matching
from recognizers.pii.words import is_system, looks_like_word

Accept = Callable[[str], bool]

_L = r"([A-Za-z][A-Za-z0-9\-]{0,62}[A-Za-z0-9])"
_LABEL_RE = re.compile(r"[A-Za-z][A-Za-z0-9\-]{0,62}[A-Za-z0-9]")
_HEX_ID_RE = re.compile(r"[0-9a-f]{12,64}")  # a container's id as its hostname
# names no one's machine in particular has: distributions' and images' defaults, generic words
_DEFAULT_NAMES = frozenset({
    "localhost", "raspberrypi", "kali", "debian", "fedora", "centos", "rocky", "alma", "arch",
    "archlinux", "alpine", "buildkitsandbox", "host", "hostname", "myhost", "yourhost", "server",
    "machine", "computer", "box", "pc", "laptop", "desktop", "workstation", "vm", "node",
    "example", "none", "null", "unknown", "default", "any", "all", "self", "local", "remote",
    "true", "false", "pending", "broadcasthost", "ip6-localhost", "ip6-loopback",
    "mbp", "macbook", "macbook-pro", "macbook-air", "imac", "instance", "container", "runner",
    # roles every fleet has (a jump host is a "bastion" everywhere)
    "bastion", "jumpbox", "jumphost", "jump", "gateway", "router", "firewall", "proxy", "master",
    "worker", "primary", "replica", "secondary", "backend", "frontend", "web", "db", "database",
    "cache", "build", "builder", "dev", "devbox", "prod", "production", "staging", "stage",
    "test", "sandbox", "controller", "manager", "head", "headnode", "login", "compute", "storage",
    "nas", "fileserver", "mail", "mailserver", "dns", "vpn", "agent", "minion", "leader",
    "follower", "client", "guest", "vagrant", "target", "source", "origin", "upstream", "app",
    "api", "service", "backup", "monitor", "monitoring", "edge", "control-plane", "main",
})

# (needles, pattern): group 1 of a match is a machine's own name
_OWN_RULES: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = (
    (("hostname:",), re.compile(r"^[ \t]*(?:Static|Transient|Pretty)[ \t]+hostname:[ \t]+" + _L
                                + r"[ \t]*$", re.M)),
    (("COMPUTERNAME=", "LOGONSERVER="), re.compile(
        r"(?<![\w])(?:COMPUTERNAME=|LOGONSERVER=\\\\)" + _L + r"(?![\w.\-])")),
    (("╭─", "┌─"), re.compile(r"^[ \t]*[╭┌]─+[ \t]*" + MUSER + r"@" + _L + r"(?=[ \t:]|$)", re.M)),
    # a URL under a key that says it names a server: kubeconfig's "server: https://<h>:6443"
    (("server", "host", "master"), re.compile(
        r"(?<![\w\-])(?:server|host|hostname|master)[\"']?[ \t]*[:=][ \t]*[\"']?[a-z][\w+.\-]*://"
        r"(?:[^\s/@\"'<>]{1,200}@)?" + _L + r"(?=[:/\"'\s]|$)", re.M)),
    (("HostName",), re.compile(r"^[ \t]*HostName[ \t]+" + _L + r"[ \t]*$", re.M)),
    (("ssh-", "ecdsa-"), re.compile(
        r"^(?:\[" + _L + r"\]:\d{1,5}|" + _L + r")(?:,[\w.:\[\]\-]+)*[ \t]+"
        r"(?:ssh-(?:rsa|ed25519|dss)|ecdsa-sha2-\S+|sk-ssh-\S+)[ \t]+AAAA", re.M)),
    # Windows: systeminfo, ipconfig, the security log, remoting and Remote Desktop
    (("Name:", "Name .", "Server:"), re.compile(
        r"(?:Host|Workstation|Computer)[ \t]+Name[ \t.]*:[ \t]+" + _L + r"[ \t]*$"
        r"|Logon[ \t]+Server:[ \t]+\\\\" + _L, re.M)),
    (("-ComputerName", "/v:"), re.compile(r"(?:-ComputerName[ \t]+[\"']?|mstsc(?:\.exe)?[ \t]+/v:)"
                                          + _L + r"(?![\w.\-])")),
    # configuration management runs: Ansible's task results and recap
    (("ok:", "changed:", "fatal:", "failed:", "skipping:", "unreachable="), re.compile(
        r"^(?:ok|changed|fatal|failed|skipping|unreachable):[ \t]+\[" + _L
        + r"(?:[ \t]+->[^\]]*)?\]"
        r"|^" + _L + r"[ \t]*:[ \t]+ok=\d+[ \t]", re.M)),
    (("-i ", "--inventory"), re.compile(  # an inline inventory: ansible-playbook -i a,b, x.yml
        r"(?<![\w\-])ansible(?:-playbook)?[ \t][^\n]*?(?:-i|--inventory)[ \t=]+" + _L
        + r",(?:" + _L + r",?)?(?=[ \t]|$)", re.M)),
    # Kubernetes: a pod's node, the scheduler's event, a cordoned node
    (("Node:", "assigned", "node/"), re.compile(
        r"^[ \t]*Node:[ \t]+" + _L + r"/\d|Successfully[ \t]+assigned[ \t]+\S+[ \t]+to[ \t]+" + _L
        + r"(?![\w.\-])|(?<![\w/])node/" + _L + r"[ \t]+(?:cordoned|uncordoned|drained|evicted)",
        re.M)),
    # GitLab's runner: "Running on <container> via <host>...", "  on <host>-docker x7kQ2b"
    (("via ", "system ID"), re.compile(r"[ \t]via[ \t]+" + _L + r"\.\.\.|^[ \t]+on[ \t]+" + _L
                                       + r"[ \t]+\w{6,8},?[ \t]+system[ \t]+ID", re.M)),
    # mail: the relays of a Received header
    (("Received:",), re.compile(r"Received:[ \t]+from[ \t]+" + _L + r"[ \t]+\([^)\n]*\)[ \t]+by"
                                r"[ \t]+" + _L + r"(?=[ \t])")),
    # ssh's control sockets (ControlPath %r@%h:%p) and git's identity guessed from the machine
    (("cm-", "master-", "mux-", "sockets/", ".(none)"), re.compile(
        r"(?:cm-|master-|mux-|sockets/)" + MUSER + r"@" + _L + r":\d{1,5}(?![\w.])"
        r"|@" + _L + r"\.\(none\)")),
    # CI runners and agents (GitHub, Azure DevOps, Jenkins, Buildkite)
    (("Runner name:", "achine name:", "Agent name:"), re.compile(
        r"(?:Runner|Machine|Agent|Agent[ \t]+machine)[ \t]+name:[ \t]+'" + _L + r"'")),
    (("remotely on",), re.compile(r"Building[ \t]+remotely[ \t]+on[ \t]+" + _L
                                  + r"(?=[ \t]|$)", re.M)),
    (("buildkite-agent/builds/", "BUILDKITE_AGENT_NAME="), re.compile(
        r"buildkite-agent/builds/" + _L + r"-\d+/|BUILDKITE_AGENT_NAME=[\"']?" + _L
        + r"(?:-\d+)?(?![\w.\-])")),
    # per-host folders: central syslog, Jenkins' agents, Puppet's certificates
    (("/var/log/", "/nodes/", "/ssl/"), re.compile(
        r"(?:/var/log/(?:remote|hosts|clients|rsyslog|syslog-ng)|/jenkins/nodes)/" + _L
        + r"(?=/)|puppet(?:labs/puppet)?/ssl/(?:certs|private_keys|public_keys|ca/signed)/" + _L
        + r"(?=[.\-\w]*\.pem\b)")),
    # the tools of a login session: screen's socket, Emacs' lock, X authority, vim's swap file
    ((".pts-", ".tty"), re.compile(r"(?<![\w.])\d+\.(?:pts-\d+|tty\d*)\." + _L
                                   + r"(?=[\s(]|$)", re.M)),
    ((".#",), re.compile(r"\.#\S+[ \t]+->[ \t]+" + MUSER + r"@" + _L + r"\.\d+:\d+")),
    (("/unix:", "DISPLAY="), re.compile(r"^" + _L + r"/unix:\d+[ \t]|(?<![\w])DISPLAY=" + _L
                                        + r":\d", re.M)),
    (("host name:",), re.compile(r"host[ \t]+name:[ \t]+" + _L + r"[ \t]*$", re.M)),
    # HPC: Slurm's node list, an MPI hostfile
    (("--nodelist", "slots="), re.compile(
        r"--nodelist[= \t]+" + _L + r"(?![\w.\-\[,])|^" + _L
        + r"[ \t]+(?:slots|max_slots|max-slots)=\d", re.M)),
    (("pts/", "tty"), re.compile(  # who: "jdoe  pts/1  2025-03-04 09:12 (pluto)"
        r"^" + MUSER + r"[ \t]+(?:pts/\d+|tty\w*)[ \t]+\S.*\(" + _L + r"\)[ \t]*$"
        # last: "jdoe  pts/0  pluto  Tue Mar  4 08:01"
        r"|^" + MUSER + r"[ \t]+(?:pts/\d+|tty\w*)[ \t]+" + _L
        + r"[ \t]+[A-Z][a-z]{2}[ \t]+[A-Z][a-z]{2}[ \t]", re.M)),
    (("nfs", " on /"), re.compile(  # fstab and mount: "pluto:/export/home  /home  nfs", "... on /"
        r"^[ \t]*" + _L + r":/\S*[ \t]+(?:on[ \t]+/|/\S*[ \t]+nfs)", re.M)),
    (("ssh://", "sftp://", "scp://", "rsync://", "smb://", "afp://", "nfs://", "cifs://",
      "vnc://", "rdp://"), re.compile(
        r"(?<![\w+.\-])(?:ssh|sftp|scp|rsync|smb|afp|nfs|cifs|vnc|rdp)://(?:[^\s/@\"'<>]{1,200}@)?"
        + _L
        + r"(?=[:/\s\"'>]|$)", re.M)),
)
_NETRC_RE = re.compile(r"machine[ \t]+" + _L + r"(?=[ \t]+(?:login|password|account|port)[ \t]"
                       r"|[ \t]*\n[ \t]*(?:login|password|account|port)[ \t])")
_AFTER_HOSTNAME_RE = re.compile(r"[ \t]*\n[ \t]*" + _L + r"[ \t]*(?:\n|$)")
_RESOLVE_RE = re.compile(
    r"(?:ENOTFOUND|EAI_AGAIN|UnknownHostException:|Could[ \t]+not[ \t]+resolve[ \t]+host(?:name)?:?"
    r"|could[ \t]+not[ \t]+translate[ \t]+host[ \t]+name|[Uu]nknown[ \t]+host:?"
    r"|getaddrinfo[ \t]+failed[ \t]+for|address[ \t]+information[ \t]+for"
    r"|No[ \t]+such[ \t]+host[ \t]+is[ \t]+known\.[ \t]+\()[ \t]*[\"'`]?" + _L
    + r"(?=[\"'`]?(?:[\s:),;]|$))"
    r"|(?<![\w])lookup[ \t]+" + _L + r"(?:[ \t]+on[ \t]|:[ \t]+no[ \t]+such[ \t]+host)",
    re.M,
)
_RUNNING_ON_RE = re.compile(r"Running[ \t]+on[ \t]+" + _L + r"[ \t]+(?:in|via)[ \t]")
_BORG_RE = re.compile(r"^" + _L + r"-\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d)?[ \t]", re.M)
_PREV_LINE_RE = re.compile(r"^" + _L + r":[ \t]*$", re.M)  # Salt: "<minion>:" over its result
_QUOTED_LINE_RE = re.compile(r"[ \t]*\n[\"']" + _L + r"[\"'][ \t]*(?:\n|$)")
_CORE_RE = re.compile(r"(?<![\w.\-])core\." + _L + r"\.\d+(?![\w.])")
_RESOLVE_NEEDLES = ("ENOTFOUND", "EAI_AGAIN", "UnknownHost", "resolve host", "translate host",
                    "nknown host", "getaddrinfo", "information for", "such host", "lookup ")


def own_name(label: str) -> bool:
    """A label that can be a machine's own name: anything but a placeholder, a system account,
    a tool, a common word of code or a default name (ordinary English words count)."""
    low = label.lower()
    return (_LABEL_RE.fullmatch(label) is not None and low not in _DEFAULT_NAMES
            and not is_system(low) and not looks_like_word(label)
            and _HEX_ID_RE.fullmatch(low) is None)


# every pattern that runs on the lines of its needles: (needles, pattern, own name or ``accept``)
_LINE_RULES = (
    *((needles, rx, True) for needles, rx in _OWN_RULES),
    (_RESOLVE_NEEDLES, _RESOLVE_RE, True),
    (("Running on ",), _RUNNING_ON_RE, True),  # Jenkins, GitLab: the agent, a job's container
    (("-20",), _BORG_RE, False),  # borg's archives named {hostname}-{now}
    (("core.",), _CORE_RE, False),  # core files named by core_pattern's %h: core.<host>.<pid>
)
_SALT = ("    True", "    False", "Minion did not return")
_REPL = ("gethostname()", "platform.node()", "uname().nodename")
_NEEDLE_LIST = sorted({n for rule in _LINE_RULES for n in rule[0]}
                      | {"machine ", "/etc/hostname", *_SALT, *_REPL})
_INDEX = {n: k for k, n in enumerate(_NEEDLE_LIST)}
_NEEDLES = Literals((n, k) for k, n in enumerate(_NEEDLE_LIST))
_NEEDLE_SET = frozenset(_NEEDLE_LIST)
_RULE_KEYS = tuple((tuple(_INDEX[n] for n in needles), rx, own) for needles, rx, own in _LINE_RULES)
_RULES_OF: dict[int, list[int]] = {}  # needle -> the rules it triggers
for _r, (_keys, _rx, _own) in enumerate(_RULE_KEYS):
    for _k in _keys:
        _RULES_OF.setdefault(_k, []).append(_r)


def machine_names(text: str, spans: list[Span], accept: Accept) -> None:
    """Append the HOSTNAME spans of the places above; ``accept(label)``: whether a name where a
    program's name may stand as well (a core file, a backup archive) is a machine's."""
    def add(m: re.Match[str], ok: Accept) -> None:
        for g in range(1, (m.lastindex or 0) + 1):
            if m.group(g) and ok(m.group(g)):
                spans.append((m.start(g), m.end(g), "HOSTNAME"))

    at: dict[int, list[int]] = {}  # where each needle is: the rules read only their lines
    if len(text) >= INDEXED:  # the PII families' shared pass over a long text has them
        at = {_INDEX[n]: hits for n, hits in find_each(text, _NEEDLE_SET).items()}
    else:  # a short text: one pass of this module's own automaton
        for end, k in _NEEDLES.iter(text):
            at.setdefault(k, []).append(end - len(_NEEDLE_LIST[k]) + 1)
    if not at:
        return
    for r in sorted({r for k in at for r in _RULES_OF.get(k, ())}):  # the rules with hits
        keys, rx, own = _RULE_KEYS[r]
        lists = [at[k] for k in keys if k in at]
        hits = lists[0] if len(lists) == 1 else sorted(p for hs in lists for p in hs)
        for m in lines_matching(text, hits, rx):
            add(m, own_name if own else accept)
    if _INDEX["machine "] in at and ("login" in text or "password" in text):
        for m in _NETRC_RE.finditer(text):
            add(m, own_name)
    for p in at.get(_INDEX["/etc/hostname"], ()):
        end = text.find("\n", p)
        m = _AFTER_HOSTNAME_RE.match(text, end) if end >= 0 else None
        if m:
            add(m, own_name)
    for p in (p for n in _SALT for p in at.get(_INDEX[n], ())):
        start = text.rfind("\n", 0, p) + 1
        if start:  # Salt: "<minion>:" on the line over the result
            m = _PREV_LINE_RE.match(text, text.rfind("\n", 0, start - 1) + 1, start - 1)
            if m:
                add(m, own_name)
    for p in (p for n in _REPL for p in at.get(_INDEX[n], ())):
        end = text.find("\n", p)
        m = _QUOTED_LINE_RE.match(text, end) if end >= 0 else None
        if m:  # the REPL's answer on the next line
            add(m, own_name)
