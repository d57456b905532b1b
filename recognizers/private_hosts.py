"""Host names under private-use suffixes: internal under every policy.

``build-07.lan``, ``api.corp.local``, ``git@gitlab.intranet:ops/deploy``, ``nas.home.arpa`` and
``db03.corp.acme.internal`` name machines on a private network whatever the policy's
``internal_domains`` says: these suffixes (RFC 6762 ``.local``, RFC 8375 ``.home.arpa``, ICANN's
reserved ``.internal``, and the de-facto ``.corp``, ``.lan``, ``.intranet``, ``.localdomain``) never
resolve on the public internet. Each host is reported as ``INTERNAL_DOMAIN`` (category ``term``),
like the policy's own internal domains, so it gets the same realistic dummy (its labels swapped,
its suffix kept) and is restored exactly. An e-mail under such a host keeps its local part; the
host is what the upstream must not see.

What it leaves alone is code that reads like a host: ``self.local``, ``config.internal``,
``os.path``, ``window.location``. A dotted name only counts as a host when its shape or its place
says so:

* a label with a digit or a hyphen (``build-07.lan``, ``db03.corp.acme.internal``): no
  identifier has a hyphen, and attribute chains rarely end in ``v2.local``;
* a host context: after ``@`` or ``://``, or followed by a port (``gitlab.intranet:8443``) or by
  ``:path`` of an scp-style remote;
* ``.home.arpa``, which no code attribute spells;
* plain labels (``api.corp.local``, ``vault.internal``) in prose, a comment, a string or a
  configuration file's values (YAML, INI, TOML, JSON, nginx, HCL), never among the code tokens
  of a snippet (``self.config.local``); a single label that qualifies code (``self``,
  ``settings``, ``threading`` and the other standard modules) is no host there either.
"""

from __future__ import annotations

import bisect
import re
import sys
from collections.abc import Iterable, Iterator

from recognizers.base import TERM, Finding, Recognizer
from recognizers.context import DetectionContext, as_context
from recognizers.segment import CODE

SUFFIXES = ("home.arpa", "localdomain", "internal", "intranet", "private", "local", "corp",
            "lan")

_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
# On the lower-cased text: labels, then a private suffix that ends the name.
_HOST_RE = re.compile(
    r"(?<![\w.$-])((?:" + _LABEL + r"\.)+(?:"
    + "|".join(re.escape(s) for s in SUFFIXES) + r"))(?![\w-]|\.\w|\()"
)
# top-level domains of the public internet (a name ending in one can resolve publicly)
PUBLIC_TLDS = frozenset(
    "com net org io dev app ai co edu gov mil int info biz cloud tech xyz online site me tv us eu"
    " uk de fr jp cn ru br in au ca es it nl se ch pl be at dk no fi ie pt cz kr tw hk sg nz mx ar"
    " za tr il gr hu ro ua sk bg hr si lt lv ee is lu page blog shop store news wiki pro name"
    " mobi asia tel travel museum aero jobs coop cat ly gg sh to fm am so cc ws la md rs ms vc"
    " goog google amazon aws azure microsoft apple run sites codes tools software systems"
    " network email link click one top club live life world today services solutions digital"
    " agency media studio design space host website academy ventures global group team zone".split()
)
# A company's internal zone inside its public domain: gitlab.corp.<company>.com,
# db-11.mgmt.<company>.net. The zone label stands between a host and the company's domain.
ZONES = ("corp", "int", "internal", "intra", "intranet", "lan", "priv", "private", "ad",
         "mgmt", "dmz", "office", "hq", "onprem")
_ZONE_RE = re.compile(r"\.(?:" + "|".join(ZONES) + r")\.(?=[a-z0-9])")
_ZONE_HOST_RE = re.compile(r"(?:" + _LABEL + r"\.){3,}" + _LABEL)
_ZONE_SET = frozenset(ZONES)
# a machine's own name: letters with a digit or a hyphen in it (build-07, db03, nas-2)
_FLEET_LABEL_RE = re.compile(
    r"(?=[a-z0-9-]*[a-z]{2})(?=[a-z0-9-]*[\d-])[a-z][a-z0-9-]{2,40}[a-z0-9]", re.I
)
# Suffixes no attribute or file name spells (unlike `settings.local`, `config.internal`): one
# plain label before them (`gitlab.intranet`, `printer.localdomain`) is a host outside code.
_RARE_SUFFIXES = frozenset({"intranet", "localdomain", "lan", "corp"})
_SUFFIX_RE = re.compile(r"\.(?:" + "|".join(re.escape(s) for s in SUFFIXES) + ")")
_PORT_OR_REMOTE_AFTER = re.compile(r":(?:\d{1,5}\b|[\w~./-]+/)")
# shell sessions are not among them: their arguments are hosts and paths, not attribute chains;
# nor inline code (`vault.internal`, `ssh nas.lan`) and diffs, where the qualifier test above
# tells `self.local` from a host
_CODE_KINDS = frozenset({CODE})
# Languages with member access, where `a.b.local` can be an attribute chain. Any other fenced
# language (configuration: ssh-config, haproxy, hosts, netrc, systemd, csv; shells, whose
# arguments are hosts and paths) holds data, not attribute chains; unlabelled code too is code.
_PROGRAM_LANGUAGES = frozenset(
    "python javascript typescript tsx java go sql csharp rust ruby php c cpp kotlin groovy scala"
    " dart swift lua perl r elixir haskell clojure graphql protobuf objc objectivec nix vim"
    " julia matlab fsharp ocaml erlang zig crystal nim solidity vb vbnet coffeescript".split()
)
# names a single label before .local/.internal spells in code or prose about code
_QUALIFIERS = frozenset(
    "self this cls super settings config conf app g ctx request req response res window document"
    " process env module object obj thread threading local global django flask".split()
) | frozenset(sys.stdlib_module_names)


def under_private_suffix(host: str) -> bool:
    """Whether a host name (an e-mail's domain) lies under a private-use suffix: its e-mail
    dummy must not keep it."""
    low = host.lower().rstrip(".")
    return any(low.endswith("." + s) and len(low) > len(s) + 1 for s in SUFFIXES)


class PrivateHostRecognizer(Recognizer):
    """Finds host names under private-use suffixes (type INTERNAL_DOMAIN)."""

    name = "private_hosts"
    category = TERM

    def __init__(self, internal_domains: Iterable[str] = ()) -> None:
        # hosts under the policy's own internal domains are the terms recognizer's: it keeps
        # their public labels (db03.corp.<company>.internal) and swaps the company part only
        self._policy_domains = frozenset(
            d.strip(".").lower() for d in internal_domains if d.strip(".")
        )

    def analyze(self, ctx: DetectionContext | str) -> list[Finding]:
        ctx = as_context(ctx)
        if "." not in ctx.text:
            return []
        low = ctx.lower
        out: list[Finding] = []
        if any(s in low for s in SUFFIXES):
            for m in _host_matches(low):
                s, e = m.span(1)
                host = m.group(1)
                if _is_host(ctx, host, s, e) and not self._policy_domain(host):
                    out.append(Finding(s, e, "INTERNAL_DOMAIN", TERM, self.name))
        if ".corp." in low or any("." + z + "." in low for z in ZONES):
            for s, e in _zone_hosts(low):
                host = low[s:e]
                if _is_host(ctx, host, s, e) and not self._policy_domain(host):
                    out.append(Finding(s, e, "INTERNAL_DOMAIN", TERM, self.name))
        if out:
            out += self._short_names(ctx.text, out)
        return out

    def _short_names(self, text: str, found: list[Finding]) -> list[Finding]:
        """The same machines by their short names (``ping build-07`` beside
        ``build-07.local``): a first label that is a fleet name, with a digit or a hyphen, is
        that host wherever it stands alone."""
        labels = {text[f.start:f.end].split(".", 1)[0] for f in found}
        out: list[Finding] = []
        taken = {(f.start, f.end) for f in found}
        n = len(text)
        for label in labels:
            if not _FLEET_LABEL_RE.fullmatch(label):
                continue
            s = text.find(label)
            while s >= 0:
                e = s + len(label)
                # standing alone: not inside a longer name, a path, an address or a variable
                if (not s or not (text[s - 1].isalnum() or text[s - 1] in "_.@/$-")) and (
                        e == n or (not (text[e].isalnum() or text[e] in "_-") and not (
                            text[e] == "." and e + 1 < n and text[e + 1].isalnum()))) and (
                        (s, e) not in taken):
                    out.append(Finding(s, e, "INTERNAL_DOMAIN", TERM, self.name))
                s = text.find(label, e)
        return out

    def _policy_domain(self, host: str) -> bool:
        """The host is a policy domain or under one: each of its suffixes looked up once."""
        if not self._policy_domains:
            return False
        return host in self._policy_domains or any(
            host[i + 1:] in self._policy_domains for i, c in enumerate(host) if c == "."
        )


def _host_matches(low: str) -> Iterator[re.Match[str]]:
    r"""``_HOST_RE.finditer(low)``, without running the pattern at every position: a match
    starts where a run of ``[\w.$-]`` characters starts (its look-behind) and holds a private
    suffix, so only the runs around a suffix are tried, once each (a second match in one run
    would start inside it)."""
    tried = -1
    for m in _SUFFIX_RE.finditer(low):
        if m.start() < tried:
            continue  # in the run already tried
        start = m.start()
        while start > 0 and (low[start - 1].isalnum() or low[start - 1] in "_.$-"):
            start -= 1
        end = m.end()
        n = len(low)
        while end < n and (low[end].isalnum() or low[end] in "_.$-"):
            end += 1
        tried = end
        host = _HOST_RE.match(low, start)
        if host is not None:
            yield host


def _zone_hosts(low: str) -> Iterator[tuple[int, int]]:
    """Names with an internal zone label between a host and a public domain: a label or more,
    the zone, then two or more labels of which the last is a public top-level domain."""
    done = -1
    for m in _ZONE_RE.finditer(low):
        if m.start() < done:
            continue
        start = m.start()
        while start > 0 and (low[start - 1].isalnum() or low[start - 1] in ".-"):
            start -= 1
        end = m.end()
        while end < len(low) and (low[end].isalnum() or low[end] in ".-"):
            end += 1
        done = end
        while end > start and low[end - 1] in ".-":
            end -= 1  # a sentence's full stop
        if low[start - 1:start] in ("$", "_") or low[end:end + 1] in ("_", "("):
            continue  # an identifier or a call
        name = low[start:end]
        labels = name.split(".")
        if (not _ZONE_HOST_RE.fullmatch(name) or labels[-1] not in PUBLIC_TLDS
                or not any(x in _ZONE_SET for x in labels[1:-2])):
            continue
        yield start, end


def _is_host(ctx: DetectionContext, host: str, s: int, e: int) -> bool:
    labels = host.split(".")
    if host.endswith("home.arpa"):
        return True
    before = labels[:-1]
    if any(c.isdigit() or c == "-" for label in before for c in label):
        return True
    low = ctx.lower
    if low[s - 1:s] == "@" or low[max(0, s - 3):s] == "://" or _PORT_OR_REMOTE_AFTER.match(
        low, e
    ):
        return True  # after @ or ://, or with a port or an scp path
    if (len(before) == 1 and before[0] in SUFFIXES) or (
            labels[-1] not in _RARE_SUFFIXES and before[0] in _QUALIFIERS):
        return False  # corp.local (a zone); settings.local, request.app.internal (code)
    return not _among_code_tokens(ctx, s, e)


# a configuration line's value: "server_name wiki.local;", "Environment=API=vault.internal"
_KEY_BEFORE_RE = re.compile(r"(?:^[ \t]*[A-Za-z_][\w.\-]*[ \t]+|[=:][ \t]*)$", re.M)
_VALUE_END_RE = re.compile(r"[;,\"']?[ \t]*(?:#.*)?$", re.M)


def _is_config_value(text: str, s: int, e: int) -> bool:
    start = text.rfind("\n", 0, s) + 1
    return (_KEY_BEFORE_RE.search(text, max(start, s - 80), s) is not None
            and _VALUE_END_RE.match(text, e) is not None)


def _among_code_tokens(ctx: DetectionContext, s: int, e: int) -> bool:
    """The span lies in code (a snippet, a diff, inline code), outside its string literals and
    comments."""
    segs = ctx.segments
    i = bisect.bisect_right([g.start for g in segs], s) - 1
    lang = segs[i].language if i >= 0 else None
    if i < 0 or segs[i].kind not in _CODE_KINDS or (lang is not None
                                                     and lang not in _PROGRAM_LANGUAGES):
        return False
    if lang is None and _is_config_value(ctx.text, s, e):
        return False  # code of no known language: a whole value of a key is data
    spans = ctx.literal_spans
    j = bisect.bisect_right([a for a, _, _ in spans], s) - 1
    return not (j >= 0 and spans[j][1] >= e)
