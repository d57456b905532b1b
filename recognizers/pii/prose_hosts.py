"""Single-label host names in sentences: ``HOSTNAME`` findings.

"ssh into db07", "the runner pulls from driodryvra35", "restart the worker on gpu-box-3": a name
without a dot is a machine when the words before it say where or what it is and its shape is a
machine's. The words come in two strengths:

* strong: ``ssh``/``ssh into``, ``ping``, ``host``, ``server``, ``node``, ``machine``, ``box``,
  ``vm``, ``runner``, ``instance`` right before the name: any label that looks like a host
  (a digit in it, or hyphenated words one of which is no word) counts;
* weak: a preposition or verb of place (``on``, ``from``, ``to``, ``into``, ``at``, ``via``,
  ``reach``, ``connect to``, ``deploy to``): the label must also carry a run of four or more
  letters that is no word (``driodryvra35``, not ``python3`` or ``utf8``).

Code (snippets, diffs) is left alone: ``from x2 import y`` is a module. Cheap: one regex pass
over the text for labels with a digit or hyphen, then a look at the few words before each.
"""

from __future__ import annotations

import bisect
import re

from recognizers.context import DetectionContext
from recognizers.english import dictionary, web_words
from recognizers.pii.hosts import host_at_place, looks_like_host
from recognizers.pii.scan import Span
from recognizers.pii.words import looks_like_word
from recognizers.segment import CODE, DIFF

# a lookahead: the match ends before the label, which may itself be a context word
_LABEL = (r"(?=[`\"']?(?P<label>[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)[`\"']?"
          r"(?![A-Za-z0-9_\-@]|\.\w|\(|=|:\d))")  # a CJK particle may follow
_STRONG = (r"(?:host|server|machine|box|node|vm|instance)s?[ \t]+(?:is[ \t]+|was[ \t]+)?"
           r"(?:called|named)|ssh(?:[ \t]+(?:into|to|onto))?|ping|resolve|host|server|node"
           r"|machine|box|vm|runner|agent|instance|hostname|hypervisor|bastion|jumphost"
           r"|gateway|router|workstation|laptop"
           # the same words in the other languages of issue #11 written in Latin script
           r"|servidor|serveur|serveurs|servidores|rechner|maschine|máquina|maquina"
           r"|computador|ordinateur")
_WEAK = (r"on|from|to|into|onto|at|via|reach|behind|connect(?:s|ed|ing)?[ \t]+to"
         r"|deploy(?:s|ed|ing)?[ \t]+to|log(?:ged)?[ \t]+(?:in|on)[ \t]+to"
         r"|auf|von|nach|sur|depuis|vers|chez|desde|hacia|en|em|para|na|no|su|da|naar|op"
         # what operators do to a machine
         r"|restart|reboot|drain|cordon|uncordon|decommission|provision|reimage")
# one pass: a context word, then the label it introduces
# on the lower-cased text: a case-insensitive pattern costs three times as much
_PLACE_RE = re.compile(
    r"\b(?=[a-z])(?<!-)(?:(?P<strong>" + _STRONG + r")|(?:" + _WEAK + r")(?:[ \t]+the)?"
    # after a weak word only a label with a digit or a hyphen counts (see prose_hosts): the
    # others are not matched at all (prose has a weak word every few words)
    r"(?=[ \t]+[`\"']?[a-z]+[0-9\-]))"
    r"[ \t]+" + _LABEL
)
# an address then a name, as /etc/hosts pairs them: "I added 10.0.0.9 vektor-db"
_AFTER_ADDRESS_RE = re.compile(r"[ \t]+([A-Za-z][A-Za-z0-9\-]{1,62})(?![\w\-.])")
_LETTER_RUN_RE = re.compile(r"[a-z]{4,}")
# Chinese, Japanese and Korean write no space between words: a Latin-script name that touches
# such a character is a word of its own. Ideographs, kana, Hangul and their punctuation.
_CJK = "\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef"
_CJK_RE = re.compile(f"[{_CJK}]")
_CJK_LABEL_RE = re.compile(
    f"[{_CJK}][ \\t]?" r"([A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)(?![A-Za-z0-9_\-@(=/]|\.\w|:\d)"
)
# the words for a machine in those languages: server, host, machine, node, computer
_CJK_HOST_WORDS = ("サーバー", "サーバ", "ホスト", "マシン", "ノード", "服务器", "伺服器",
                   "主机", "主機", "机器", "機器", "节点", "節點", "서버", "호스트", "노드", "머신")
_CODE_KINDS = frozenset({CODE, DIFF})
# What fleets are named with: a role, an environment and a number (web-04, db03, pg-prod-27,
# k8s-node-2a). Such a name after a weak word is a machine even without a coined word in it.
_ROLES = frozenset(
    "db web app api build ci cd nas node worker runner srv server host vm gpu cache mq kafka"
    " redis pg psql mysql mongo sql dc fs file lb proxy edge gw git gitlab jenkins ldap backup"
    " mon monitor metrics log logs etl vault consul etcd zk k8s kube master replica primary"
    " standby dns ns mail smtp print printer nfs san storage compute hdfs spark jump bastion fw"
    " rtr sw core ingress prod stg stage staging dev test qa uat".split()
)
# words that say nothing alone: "node-16" is as often Node.js 16 as a cluster's node
_WEAK_ROLES = frozenset("prod stg stage staging dev test qa uat node".split())
_NUMBER_PART_RE = re.compile(r"\d{1,4}[a-z]?")
_ROLE_NUMBER_RE = re.compile(r"([a-z][a-z0-9]*?)(\d{2,4}[a-z]?)")
# a list goes on: "to web-04 and web-05", "db03, db04"
_LIST_NEXT_RE = re.compile(
    r"[`\"']?(?:,[ \t]*(?:and[ \t]+|or[ \t]+)?|[ \t]+(?:and|or|und|oder|et|ou|y|o|e|i)[ \t]+)"
    r"[`\"']?([A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)(?![A-Za-z0-9_\-@]|\.\w|\(|=|:\d)"
)
# what is said of a machine after its name
_STATE_RE = re.compile(
    r" (?:is (?:down|offline|unreachable|not responding|back up|out of disk)|went (?:down|offline)"
    r"|rebooted|restarted|crashed|timed out|times out|ran out of disk)\b"
    # a resolver's answer for a name (ping, ssh, curl, getaddrinfo): the name before it
    r"|: (?:name or service not known|temporary failure in name resolution"
    r"|no address associated with hostname|nodename nor servname provided|unknown host)"
)
_NAME_BEFORE_RE = re.compile(r"(?:^|(?<=[\s(\[`\"',:;]))([A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+"
                             r"|[A-Za-z][A-Za-z0-9]*\d)[`\"']?$")


def prose_hosts(ctx: DetectionContext, spans: list[Span]) -> None:
    """Append the HOSTNAME spans of single-label hosts named in sentences."""
    text = ctx.text
    starts: list[int] | None = None
    found: list[int] = []  # where each name ends: a list may go on from there
    for m in _PLACE_RE.finditer(ctx.lower):
        label = text[m.start("label"):m.end("label")]
        strong = m.group("strong") is not None
        if any(c.isdigit() or c == "-" for c in label) and looks_like_host(label):
            if not strong and not (_coined(label) or fleet_name(label)):
                continue
        elif not (strong and label.isalpha() and host_at_place(label) and _coined(label)):
            continue  # a plain word names a host only right after "the host", "ssh to" ...
        if text.startswith(" import", m.end()):
            continue  # from x2 import y
        s, e = m.span("label")
        if starts is None:
            starts = [g.start for g in ctx.segments]
        i = bisect.bisect_right(starts, s) - 1
        if i >= 0 and ctx.segments[i].kind in _CODE_KINDS:
            continue
        spans.append((s, e, "HOSTNAME"))
        found.append(e)
    _states(ctx, found, spans)
    _lists(text, found, spans)


def fleet_name(label: str) -> bool:
    """A name made of role and environment words and a number: ``web-04``, ``db03``,
    ``pg-prod-27``, ``k8s-node-2a`` (not ``web3``, ``db2``, ``es2015`` or ``node-16``: one digit,
    no role, a role that is also a product)."""
    parts = label.lower().split("-")
    last = parts[-1]
    if len(parts) > 1 and _NUMBER_PART_RE.fullmatch(last):
        words = parts[:-1]
    else:
        m = _ROLE_NUMBER_RE.fullmatch(last)
        if m is None:
            return False
        words = [*parts[:-1], m.group(1)]
    return all(w in _ROLES for w in words) and any(w not in _WEAK_ROLES for w in words)


def _host_shaped(label: str) -> bool:
    return looks_like_host(label) and (_coined(label) or fleet_name(label))


def _states(ctx: DetectionContext, found: list[int], spans: list[Span]) -> None:
    """Names before what is said of a machine: ``db03 is down``, ``web-04 rebooted``."""
    text = ctx.text
    starts: list[int] | None = None
    for st in _STATE_RE.finditer(ctx.lower):
        i = st.start()
        m = _NAME_BEFORE_RE.search(text, max(0, i - 64), i)
        if m is None or not _host_shaped(m.group(1)):
            continue
        if starts is None:
            starts = [g.start for g in ctx.segments]
        j = bisect.bisect_right(starts, m.start(1)) - 1
        if j < 0 or ctx.segments[j].kind not in _CODE_KINDS:
            spans.append((m.start(1), m.end(1), "HOSTNAME"))
            found.append(m.end(1))


def _lists(text: str, found: list[int], spans: list[Span]) -> None:
    """The names that go on a list after a machine's name."""
    todo = list(found)
    while todo:
        m = _LIST_NEXT_RE.match(text, todo.pop())
        if m and _host_shaped(m.group(1)):
            spans.append((m.start(1), m.end(1), "HOSTNAME"))
            todo.append(m.end(1))


def cjk_hosts(ctx: DetectionContext, spans: list[Span]) -> None:
    """Append the HOSTNAME spans of Latin-script machine names that touch CJK text
    (``サーバーdb-kex-3に``, ``从gpu-vexa-2连接``): after a word for a machine any host-shaped
    label counts, elsewhere it must also hold a coined run, as after a weak word."""
    text = ctx.text
    if not _CJK_RE.search(text):
        return
    starts: list[int] | None = None
    for m in _CJK_LABEL_RE.finditer(text):
        s, e = m.span(1)
        label = m.group(1)
        if not (any(c.isdigit() or c == "-" for c in label) and looks_like_host(label)):
            continue
        strong = text[max(0, s - 6):s].rstrip().endswith(_CJK_HOST_WORDS)
        if not strong and not _coined(label):
            continue
        if starts is None:
            starts = [g.start for g in ctx.segments]
        i = bisect.bisect_right(starts, s) - 1
        if i >= 0 and ctx.segments[i].kind in _CODE_KINDS:
            continue
        spans.append((s, e, "HOSTNAME"))


def address_names(text: str, spans: list[Span]) -> None:
    """The name right after each IPv4 address already found, when it looks like a machine's."""
    for _start, end, type_ in list(spans):
        if type_ == "IP_ADDRESS":
            m = _AFTER_ADDRESS_RE.match(text, end)
            if m and looks_like_host(m.group(1)):
                spans.append((m.start(1), m.end(1), "HOSTNAME"))


def _coined(label: str) -> bool:
    """A run of four or more letters that no dictionary lists: a name made up for a machine."""
    for run in _LETTER_RUN_RE.findall(label.lower()):
        if not looks_like_word(run) and run not in dictionary() and run not in web_words():
            return True
    return False
