"""The evaluation shared by the language scanners: constant pieces, names bound to them, and
the scan of a joined value with the ordinary secret rules (see :mod:`recognizers.secrets.split`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from recognizers.base import Finding

MAX_PIECES = 64
_MAX_VALUE = 1024
_MAX_EVALS = 256
_MAX_BINDINGS = 4096
_MIN_FRAGMENT = 4  # shorter pieces of a secret stay: they carry little and would match anywhere


class Frag(NamedTuple):
    """A constant piece: its value and the span of its content in the text. ``exact`` when the
    content is the value character for character (no escapes), so a part maps back."""

    value: str
    start: int
    end: int
    exact: bool
    via_ref: bool = False


Piece = Frag | None  # None: a value the scan cannot know (a call, an unbound name)
Scan = Callable[[str], list[Finding]]
Add = Callable[[int, int, str, float], None]


_JOIN_BEFORE_RE = re.compile(
    r"(?:(?:join|Join|JOIN|concat|Concat|CONCAT|implode|paste0|string|Sprint|iodata_to_binary|strcat)"
    r"!?\s*\("
    r"(?:\s*(?:\"\"|'')\s*,)?[^()\"'\n]{0,30}"
    r"|\bm?concat\s*\[\s*)$")  # Haskell's concat ["a", "b"]
# OCaml's, F#'s, Elm's String.concat "" ["a"; "b"]: the empty separator opens the chain
_ML_JOIN_RE = re.compile(r"\b(?:concat|join)[ \t]+$")
_JOIN_AFTER_RE = re.compile(
    r"[\s\])}]*(?:\.\s*(?:join|joinToString|mkString|joined)\s*\(\s*(?:separator\s*[:=]\s*)?"
    r"(?:\"\"|''|``)\s*\)|\.\s*(?:joined|concat|join)\(\)"  # Dart's join() takes ''
    r"|\]\s*componentsJoinedByString:\s*@\"\"|\.(?:join|mkString)\b(?!\s*\()|[\])}]\s*,\s*(?:\"\"|'')\s*\)"
    r"|,\s*sep\s*=\s*(?:\"\"|'')\s*\)|\)\s*-join\s*(?:\"\"|'')"
    r"|\)\s*\.\s*collect\s*\(\s*Collectors\.joining\(\s*(?:\"\")?\s*\)"
    # JavaScript's [..].reduce((a, b) => a + b, '')
    r"|\.\s*reduce\s*\(\s*\(\s*(\w+)\s*,\s*(\w+)\s*\)\s*=>\s*\1\s*\+\s*\2\s*"
    r"(?:,\s*(?:\"\"|''|``)\s*)?\))")
# a stretch a token could span (brackets, commas and quotes end one)
_DENSE_RE = re.compile(r"[^\s\"'`,;(){}\[\]<>]{8,}")
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0"}
_ESCAPE_RE = re.compile(r"\\(.)", re.S)


def decode(raw: str, start: int, raw_string: bool) -> Frag:
    if raw_string or "\\" not in raw:
        return Frag(raw, start, start + len(raw), True)
    val = _ESCAPE_RE.sub(lambda m: _SIMPLE_ESCAPES.get(m.group(1), m.group(1)), raw)
    return Frag(val, start, start + len(raw), False)



class State:
    def __init__(self, text: str, scan: Scan, add: Add) -> None:
        self.text = text
        self.scan = scan
        self.add = add
        # name -> (pieces, is a list, where its chain starts: the key is read there)
        self.bindings: dict[str, tuple[list[Piece], bool, int]] = {}
        self.evals = 0

    def resolve(self, name: str, at: int, end: int) -> list[Piece]:
        bound = self.bindings.get(name)
        if bound is None:
            return [None]
        pieces, is_list, _ = bound
        if is_list and not joined(self.text, at, end):
            return [None]
        return [p._replace(via_ref=True) if p is not None else None for p in pieces]

    def bind(self, name: str, pieces: list[Piece], is_list: bool, at: int,
             augment: bool = False) -> tuple[list[Piece], int]:
        """Bind (or, for ``+=``, extend) a name; the chain to evaluate and where it starts."""
        old = self.bindings.get(name)
        if augment and old is not None and not old[1]:
            pieces, at = (old[0] + pieces)[:MAX_PIECES], old[2]
        if len(self.bindings) < _MAX_BINDINGS or old is not None:
            self.bindings[name] = (pieces, is_list, at)
        return pieces, at

    def evaluate(self, pieces: list[Piece], at: int, is_list: bool, end: int) -> None:
        """Scan each constant run of a chain that starts at ``at`` (the first operand)."""
        if len(pieces) < 2 and not (pieces and pieces[0] is not None and pieces[0].via_ref):
            return  # one literal alone: the ordinary scan judges it in place
        if is_list and not joined(self.text, at, end) and not self._aws_parts(pieces, at, end):
            return
        run: list[Frag] = []
        for p in [*pieces, None]:
            if p is not None:
                if p.value:
                    run.append(p)
                continue
            if run and (len(run) > 1 or run[0].via_ref):
                self._scan_run(run, at, end)
            run = []

    def _aws_parts(self, pieces: list[Piece], at: int, end: int) -> bool:
        """A list no join consumes is still one value when its items make exactly an AWS
        secret near a key id or the word aws or secret (a config's list of parts)."""
        if len(pieces) < 2 or any(p is None for p in pieces):
            return False
        value = "".join(p.value for p in pieces if p is not None)
        return len(value) == 40 and bool(_aws_id_near(self.text, at, end, value)
                                         or _aws_word_near(self.text, at, end, value))

    def _scan_run(self, run: list[Frag], at: int, end: int) -> None:
        value = "".join(f.value for f in run)
        if len(value) > _MAX_VALUE or not _crosses(run, value) or self.evals >= _MAX_EVALS:
            return
        pre = _key_before(self.text, at, end)
        if len(run) == 1 and not pre.rstrip().endswith(("=", ":")):
            return  # a name used alone, not assigned: its literal was judged where it stands
        self.evals += 1
        lead = 0  # '"' + 'a' + 'b' + '"' (Gradle's buildConfigField): a literal for code, quoted
        if len(value) > 2 and value[0] in "\"'" and value[-1] == value[0] \
                and value[0] not in value[1:-1]:
            value, lead = value[1:-1], 1
        q = next((c for c in "\"'`" if c not in value), "")
        near = _aws_id_near(self.text, at, end, value)
        if not near and _aws_word_near(self.text, at, end, value):
            pre, q = "aws_secret_access_key = ", '"'  # what the word near it says it is
        synth = near + pre + q + value + q
        v0 = len(near) + len(pre) + len(q)
        for f in self.scan(synth):
            fs, fe = max(f.start, v0) - v0, min(f.end, v0 + len(value)) - v0
            if fe <= fs:
                continue
            hits: list[tuple[Frag, int, int]] = []
            off = -lead
            for frag in run:
                lo, hi = max(fs, off), min(fe, off + len(frag.value))
                if hi > lo:
                    hits.append((frag, lo - off, hi - off))
                off += len(frag.value)
            if len(hits) < 2 and not any(h[0].via_ref for h in hits):
                continue  # one literal alone: the ordinary scan judges it in place
            for frag, lo, hi in hits:
                if hi - lo < _MIN_FRAGMENT:
                    continue
                if frag.exact:
                    self.add(frag.start + lo, frag.start + hi, f.type, f.score)
                else:
                    self.add(frag.start, frag.end, f.type, f.score)


# an AWS secret access key is known by the key id near it (the rules look 300 characters after
# an id): a joined 40-character value is scanned after the id that stands near its chain
_AWS40_RE = re.compile(r"(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")
_AWS_ID_RE = re.compile(r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b")
_AWS_NEAR = 400


def _aws_id_near(text: str, at: int, end: int, value: str) -> str:
    if len(value) < 40 or _AWS40_RE.search(value) is None:
        return ""
    m = _AWS_ID_RE.search(text, max(0, at - _AWS_NEAR), min(len(text), end + _AWS_NEAR))
    return f"{m.group()}\n" if m else ""


# (what else says a cloud key is meant: its bucket, S3, IAM, credentials, an access key)
_AWS_WORD_RE = re.compile(
    r"(?i)(?<![a-z])(?:aws|secret|s3(?![a-z0-9])|iam(?![a-z])|bucket|credential|access[ _-]?key"
    r"|object[ _-]?storage)")


def _aws_word_near(text: str, at: int, end: int, value: str) -> bool:
    """Exactly an AWS secret's shape (40 characters, upper and lower case and digits), with the
    word aws or secret (or S3, IAM, bucket ...) near its chain: what a scanner that knows no key
    id still calls one."""
    if len(value) != 40 or _AWS40_RE.fullmatch(value) is None:
        return False
    if not (any(c.isupper() for c in value) and any(c.islower() for c in value)
            and any(c.isdigit() for c in value)):
        return False
    return _AWS_WORD_RE.search(text, max(0, at - _AWS_NEAR), min(len(text), end + _AWS_NEAR)) \
        is not None


def _crosses(run: list[Frag], value: str) -> bool:
    """Whether a dense stretch of the value spans a piece boundary or comes through a name."""
    bounds, refs, off = [], [], 0
    for f in run:
        if f.via_ref:
            refs.append((off, off + len(f.value)))
        off += len(f.value)
        bounds.append(off)
    bounds.pop()
    for m in _DENSE_RE.finditer(value):
        if any(m.start() < b < m.end() for b in bounds) or any(
                m.start() < e and s < m.end() for s, e in refs):
            return True
    return False


_AS_TYPE_RE = re.compile(r"[ \t]+As[ \t]+[\w.]+(?:\(\))?[ \t]*=$")


def joined(text: str, at: int, end: int) -> bool:
    """Whether the list whose items span text[at:end] is joined with an empty separator."""
    return bool(_JOIN_BEFORE_RE.search(text, max(0, at - 40), at)
                or _JOIN_AFTER_RE.search(text, at, min(len(text), end + 40))
                or (text.startswith(('""', "''"), at)
                    and _ML_JOIN_RE.search(text, max(0, at - 24), at)))


def _key_before(text: str, at: int, end: int) -> str:
    """The text before a chain on its line (the previous line when only brackets precede it):
    where the key it is assigned to stands. A chain of appends to a builder is keyed by what
    the builder is assigned to (:func:`_builder_key`)."""
    ls = text.rfind("\n", 0, at) + 1
    pre = text[ls:at]
    if not pre.strip(" \t([{\\") and ls > 0:
        pls = text.rfind("\n", 0, ls - 1) + 1
        pre = text[pls:ls - 1] + " " + pre
    pre = strip_call(pre[-160:].rstrip(" \t([{\\@"))
    if pre.endswith("+") and pre[:-1].rstrip().endswith("="):
        pre = pre[:-1].rstrip()  # Ruby's unary + (an unfrozen copy): key = +"a"
    if pre.endswith("=") and " As " in pre:
        pre = _AS_TYPE_RE.sub(" =", pre)  # Visual Basic: Dim key As String = "a" & "b"
    if not pre.endswith(("=", ":")):
        pre = _join_call_key(pre) or _builder_key(text, at, end) or pre
    return pre if not pre or pre.endswith("=") else pre + " "


# a call that only glues its arguments, between a key and the chain it holds:
# ``key = string.Join("", new[] {``, ``$key = [string]::Concat(``, ``key := fmt.Sprint(``
_JOIN_CALL_TAIL_RE = re.compile(
    r"(?:\[[\w.]+\]::|[\w.]+\.)?(?:[Jj]oin|[Cc]oncat|CONCAT|Sprint|[Ss]printf|[Ff]ormat|str"
    r"|paste0?|implode)!?[ \t]*\(?[ \t]*(?:(?:@?(?:\"\"|'')|[Ss]tring\.Empty)[ \t]*,[ \t]*)?$")
_C_PRINTF_RE = re.compile(
    r"\b(?:s|sn|as|sw|_sn|_s)printf(?:_s)?[ \t]*\([ \t]*&?([A-Za-z_][\w.\->]*)[ \t]*,"
    r"(?:[^,\n\"']{1,40},)?[ \t]*$")
_ATTR_KEY_RE = re.compile(r"[ \t]*@([A-Za-z_]\w*)[ \t]*")
_LISP_DEF_RE = re.compile(r"\(def(?:var|const|parameter)?[ \t]+([\w\-*!?]+)$")  # (def key (str


def _join_call_key(pre: str) -> str | None:
    """The key before a joining call (``key =``); a Lisp ``(def key`` or an Elixir ``@key``
    as ``key =``."""
    if "printf" in pre:  # C: sprintf(dest, "%s%s", a, b) writes the pieces into dest
        c = _C_PRINTF_RE.search(pre, max(0, len(pre) - 120))
        if c is not None:
            return f"{c.group(1)} ="
    m = _JOIN_CALL_TAIL_RE.search(pre, max(0, len(pre) - 64))
    if m is None:
        a = _ATTR_KEY_RE.fullmatch(pre) if pre[:1] in " \t@" else None
        return f"{a.group(1)} =" if a else None  # Elixir: @key "value"
    head = pre[:m.start()].rstrip(" \t([{")
    if head.endswith(("=", ":")) and not head.endswith(("==", "::")):
        return head
    lm = _LISP_DEF_RE.search(head, max(0, len(head) - 64))
    return f"{lm.group(1)} =" if lm else None


# what stands between a builder and its first piece, read backwards: an append call, ``<<``,
# a constructor or a call without arguments (``new StringBuilder()``), ``buildString {``
_BUILDER_TAIL_RE = re.compile(
    r"(?:\.?\s*(?:append|Append|AppendLiteral|push_str|push|concat|write|Write|WriteString"
    r"|extend|buildString)|<<|(?:\bnew\s+)?[A-Za-z_][\w.:]*(?:<[^<>()\n]{0,40}>)?\s*\(\s*\))"
    r"\s*$")
_BUILDER_WORD_RE = re.compile(r"(?:append|Append|AppendLiteral|push_str|push|concat|write|Write"
                              r"|WriteString|extend|buildString)\s*$")
# NAME = recv.toString(), NAME := String(recv), auto NAME = recv.str()
_CONSUMER_RE = re.compile(
    r"([A-Za-z_]\w*)[ \t]*(?::[^=\n]{0,40})?=[ \t]*(?:[\w.:]+\(\s*)?([A-Za-z_]\w*)\b")
_C_COPY_RE = re.compile(r"\bstr[nl]?(?:cpy|cat)\s*\(\s*([A-Za-z_]\w*)\s*,\s*$")
_RECEIVER_TAIL_RE = re.compile(r"([A-Za-z_]\w*)\s*$")
_MAX_BUILDER_STEPS = 8


def _builder_key(text: str, at: int, end: int) -> str | None:
    """``x = new StringBuilder()\n .append("a")``: the key of a chain that a builder's appends
    make, across lines. A builder named alone (``sb.Append("a"); ... var key = sb.ToString();``,
    ``os << "a"``, ``strcpy(key, "a")``) is keyed by the name that takes its value just after
    the chain, or else by its own name."""
    tail = text[max(0, at - 48):at].rstrip(" \t\r\n([{\\;")
    if not (tail.endswith("<<") or _BUILDER_WORD_RE.search(tail)
            or (tail.endswith(",") and ("cpy" in tail or "cat" in tail))):
        return None  # most chains (messages, paths) follow no builder: decided on a short tail
    w = text[max(0, at - 300):at]
    cm = _C_COPY_RE.search(w, max(0, len(w) - 80))
    if cm is not None:  # strcpy(buf, "a"); strcat(buf, "b"): buf is the builder
        w = cm.group(1)
    stripped = cm is not None
    for _ in range(_MAX_BUILDER_STEPS):
        w = w.rstrip(" \t\r\n([{\\;")
        m = _BUILDER_TAIL_RE.search(w, max(0, len(w) - 80))
        if m is None:
            break
        w, stripped = w[:m.start()], True
    if not stripped:
        return None
    w = w.rstrip()
    if w.endswith(("=", ":")) and not w.endswith(("==", "::")):
        return w[w.rfind("\n") + 1:][-160:]
    rm = _RECEIVER_TAIL_RE.search(w, max(0, len(w) - 64))
    if rm is None:
        return None
    recv = rm.group(1)
    for after in _CONSUMER_RE.finditer(text, end, min(len(text), end + 300)):
        if after.group(2) == recv:
            return f"{after.group(1)} ="
    return f"{recv} ="


def strip_call(w: str) -> str:
    """``key = listOf`` -> ``key =``: a call that builds a value from its arguments (a list,
    a join, a format) is not the key of the chain it holds; other calls (``raw.get``) take
    their arguments elsewhere, and stay."""
    if w.endswith(("=", ":", ",", "<-")):
        return w
    if "[" in w[-48:]:  # an array's type: []string{, new[] {, new String[] {
        a = _ARRAY_TYPE_RE.search(w, max(0, len(w) - 48))
        if a is not None:
            head = w[:a.start()].rstrip(" \t([{")
            return head if head.endswith(("=", ":", ",")) else strip_call(head) if head else w
    j = len(w)
    while j and (w[j - 1].isalnum() or w[j - 1] in "_$.:!<>"):
        j -= 1
    callee = w[j:].rstrip("!")
    callee = callee[max(callee.rfind("."), callee.rfind(":")) + 1:]
    if callee not in VALUE_CALLS and not callee.endswith("Of"):
        return w
    head = w[:j].rstrip()
    if head.endswith("new") and (len(head) == 3 or not head[-4].isalnum()):
        head = head[:-3]
    head = head.rstrip(" \t([{")
    if head.endswith("-") and head[:-1].rstrip().endswith("="):
        head = head[:-1].rstrip()  # PowerShell's unary -join
    # put("X-Api-Key", String.join("", parts)): the join's value is the argument after the key
    return head if j < len(w) and head.endswith(("=", ":", ",", "<-")) else w


_ARRAY_TYPE_RE = re.compile(
    r"(?:\[\d*\][ \t]*[A-Za-z_][\w.]*|\bnew[ \t]*(?:[A-Za-z_][\w.<>]*[ \t]*)?\[\d*\])$")


VALUE_CALLS = frozenset({
    "join", "Join", "concat", "Concat", "format", "Sprintf", "sprintf", "String", "str",
    "bytes", "StringBuilder", "StringBuffer", "asList", "of", "vec", "implode", "list",
    "tuple", "array", "Array", "from", "string", "strings", "Seq", "List", "Vector", "vector",
    "CONCAT", "paste0", "paste", "mconcat", "iodata_to_binary", "strcat",
})
