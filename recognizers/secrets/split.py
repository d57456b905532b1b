"""Secrets split across string literals: evaluate constant string expressions, scan the result.

Code hides a key from scanners by building it from pieces: Python implicit concatenation and
``+``, f-string and template-literal pieces, ``"".join([...])``, ``.append(...)``/``.concat(...)``
chains, Go/Java ``+``, shell ``TOKEN="$A$B"`` or ``PGPASSWORD="abc"'def'``. No single literal
is a secret, so the ordinary scan sees nothing.

:func:`scan_split` reads each code segment lexically, as a stream of string literals, names and
the operators between them, and evaluates what is constant:

* a *chain* is a run of operands (literals, names bound earlier to a constant, interpolations)
  joined by concatenation glue (``+``, adjacency, parentheses, ``.``/``..``/``&``/``||``,
  ``.append(``/``.concat(``/``.push(`` receivers); a name or an expression the scan cannot
  evaluate splits it into separate constant runs;
* a chain with commas is a list: its items are concatenated only where a join with an empty
  separator (``"".join(``, ``.join("")``, ``strings.Join(..., "")``, ``String.join("", ...``)
  consumes it, inline or through the name it is bound to;
* ``NAME = <chain>`` (``:=``, shell ``NAME=``) binds the chain to the name for later references.

Each run whose value holds a dense stretch (8+ characters without whitespace) that crosses a
literal boundary or comes through a name is written after the key it is assigned to (the text
before the chain on its line, e.g. ``export PGPASSWORD=``) and scanned with the ordinary
secret rules (provider tokens, assignment context, structured formats). A secret found there is
reported on every fragment literal that holds a part of it (4+ characters), with the secret's
type, so each fragment gets a dummy and the restored text is the original byte for byte.
Ordinary concatenation (messages, paths, words) gives values the rules do not call secrets.

Work is linear in the text: one regular-expression pass per segment, chains capped at
``_MAX_PIECES`` pieces and ``_MAX_VALUE`` characters, at most ``_MAX_EVALS`` scans per slot.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

import ahocorasick

from recognizers.base import Finding
from recognizers.context import DetectionContext
from recognizers.segment import CODE, DIFF, SHELL, TRACEBACK

_MAX_PIECES = 64
_MAX_VALUE = 1024
_MAX_EVALS = 256
_MAX_BINDINGS = 4096
_MIN_FRAGMENT = 4  # shorter pieces of a secret stay: they carry little and would match anywhere

_PROSE = "text"  # what non-code segments are read as
_SHELL_LANGS = frozenset({"shell", "dockerfile", "makefile"})
_SKIP_LANGS = frozenset({"json", "yaml", "xml", "html", "css", "markdown", "ini", "toml",
                         "diff", "graphql"})
# languages where '...' is a character literal (or a lifetime), not a string
_NO_SQUOTE = frozenset({"java", "c", "cpp", "csharp", "go", "rust", "kotlin", "scala", "swift"})
_HASH_COMMENT = frozenset({"python", "ruby", "perl", "r", "hcl", "makefile", "powershell"})
_SLASH_COMMENT = frozenset({"javascript", "typescript", "tsx", "java", "go", "c", "cpp", "csharp",
                            "rust", "kotlin", "scala", "swift", "dart", "php", "groovy"})


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


def _token_re(language: str | None) -> re.Pattern[str]:
    if language == _PROSE:
        comment = r"(?!)"  # prose has no comments, and no literal in it spans lines
    elif language in _HASH_COMMENT:
        comment = r"#[^\n]*"
    elif language in ("sql", "lua"):
        comment = r"--[^\n]*|/\*[\s\S]*?\*/"
    elif language in _SLASH_COMMENT:
        comment = r"//[^\n]*|/\*[\s\S]*?\*/"
    else:
        comment = r"(?<![\w$])#[^\n]*|(?<![:\w])//[^\n]*|/\*[\s\S]*?\*/"
    quotes = [r'"(?:\\.|[^"\\\n])*"']
    if language != _PROSE:
        quotes[:0] = [r'"""[\s\S]*?"""', r"'''[\s\S]*?'''"]
    if language == "python":  # b'..', rb'..': no apostrophe stands outside strings/comments
        quotes.append(r"'(?:\\.|[^'\\\n])*'")
    elif language not in _NO_SQUOTE:
        quotes.append(r"(?<![A-Za-z0-9])'(?:\\.|[^'\\\n])*'")
    if language in (None, "javascript", "typescript", "tsx", "go", "kotlin"):
        quotes.append(r"`(?:\\.|[^`\\])*`")
    elif language == _PROSE:
        quotes.append(r"`(?:\\.|[^`\\\n])*`")
    # names are not tokens: a name between two literals leaves a gap that is not glue, which
    # ends the chain as an unknown value would; bound names are found separately (_references).
    # String prefixes (f, rb, $, @) are read off the text before the quote: a pattern that
    # starts with them is several times slower to search.
    # no named groups: a flat alternation of literal starts is searched twice as fast
    return re.compile(rf"{comment}|{'|'.join(quotes)}")


_TOKEN_RES: dict[str | None, re.Pattern[str]] = {}
# languages whose "..." strings interpolate $name / ${...} / #{...}
_DOLLAR_LANGS = frozenset({"kotlin", "scala", "php", "ruby", "dart", "groovy", "perl",
                           "powershell"})
_PREFIX_CHARS = frozenset("fFrRbBuU$@")


def _with_prefix(text: str, base: int, start: int) -> int:
    """Where a literal starts once its prefix letters (f"", rb'', $"", @"") are included."""
    j = start
    while j > base and start - j < 2 and text[j - 1] in _PREFIX_CHARS:
        j -= 1
    if j < start and j > base and (text[j - 1].isalnum() or text[j - 1] in "_$"):
        return start  # the end of a name, not a prefix
    return j


def _bound_name(text: str, base: int, at: int) -> tuple[str, bool] | None:
    """The name a chain starting at ``at`` is assigned to (``NAME = ``, ``NAME := (``,
    ``NAME = listOf(``, ``#define NAME``), and whether it is appended to (``NAME += ``,
    PHP ``$name .= ``)."""
    w = text[max(base, at - 100):at].rstrip(" \t\r\n([{")
    if not w.endswith("="):
        if w[-1:].isalnum() or w[-1:] in ("_", "$", "!", ">"):
            w = _strip_call(w)
        if not w.endswith("="):
            m = _DEFINE_RE.search(w) if "define" in w else None
            return (m.group(1), False) if m else None
    if w.endswith(("==", "!=", "<=", ">=")):
        return None
    augment = w.endswith(("+=", ".="))
    w = w[:-2 if augment else -1].removesuffix(":").rstrip(" \t")
    k = len(w)
    while k and (w[k - 1].isalnum() or w[k - 1] in "_$"):
        k -= 1
    name = w[k:].lstrip("$")  # PHP and Perl sigils; self.x and this.x bind x
    if not name or name[0].isdigit() or w[:k].rstrip(" \t").endswith(("(", ",")):
        return None  # f(a, name="x") is a keyword argument
    return name, augment


def _call_start(text: str, base: int, at: int) -> int:
    """Where the call whose first argument starts at ``at`` begins (``fmt.Sprintf(``)."""
    j = len(text[base:at].rstrip(" \t(")) + base
    while j > base and (text[j - 1].isalnum() or text[j - 1] in "_.!:$"):
        j -= 1
    return j


_DEFINE_RE = re.compile(r"#[ \t]*define[ \t]+([A-Za-z_]\w*)$")
# what may stand between two operands of one chain, once whitespace and comments are gone:
# operators, brackets, commas and the calls that append or concatenate
_METHOD = (r"(?:append|concat|push|push_str|extend|write|add|Append|AppendLiteral|join|Join"
           r"|Concat|WriteString|Write|format)")
_GLUE_RE = re.compile(
    r"(?:[+()\[\],.&|\\%]|<<|;?(?:[A-Za-z_$][\w$]*\.)?" + _METHOD + r"\("
    r"|;?[A-Za-z_$][\w$]*<<|;?(?:strn?cat|strcpy)\([A-Za-z_$][\w$]*,"
    r"|(?:strings\.Join|String\.join|[Ss]tring\.Concat|strcat|concat!|format!)\()*")
# a name that is appended to (sb.append(, s << ): glue; a name that is joined is an operand
_RECEIVER_RE = re.compile(r"\s*(?:<<|\.\s*(?:append|concat|push|push_str|extend|write|add"
                          r"|Append|AppendLiteral|WriteString|Write)\s*\()")
# a format string that only places its arguments side by side: "%s%s", "{}{}", "{0}{1}"
_FORMAT_ONLY_RE = re.compile(r"(?:%[sv]|\{\d*\})+")
_JOIN_BEFORE_RE = re.compile(
    r"(?:join|Join|JOIN|concat|Concat|CONCAT|implode)\s*\([^()\"'\n]{0,30}$")
_JOIN_AFTER_RE = re.compile(
    r"[\s\])}]*(?:\.\s*(?:join|joinToString|mkString|joined)\s*\(\s*(?:separator\s*[:=]\s*)?"
    r"(?:\"\"|''|``)\s*\)|\.\s*(?:joined|concat)\(\)|\.join\b(?!\s*\()|[\])}]\s*,\s*(?:\"\"|'')\s*\))")
_GAP_NOISE_RE = re.compile(r"\s+|#[^\n]*|//[^\n]*|/\*[\s\S]*?\*/")
_DENSE_RE = re.compile(r"\S{8,}")
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0"}
_ESCAPE_RE = re.compile(r"\\(.)", re.S)
# interpolations: {name} (f-strings, C# $""), ${name} (JS, Kotlin, shell), $name, #{name} (Ruby)
_INTERP_BRACE = re.compile(r"\{\{|\}\}|\{\s*([A-Za-z_]\w*)?[^{}]*\}")
_INTERP_SWIFT = re.compile(r"\\\(\s*([A-Za-z_]\w*)?[^()]*\)")
_INTERP_DOLLAR = re.compile(
    r"\$\{\s*([A-Za-z_]\w*)?[^{}]*\}|\$([A-Za-z_]\w*)|#\{([A-Za-z_]\w*)?[^{}]*\}")


def _decode(raw: str, start: int, raw_string: bool) -> Frag:
    if raw_string or "\\" not in raw:
        return Frag(raw, start, start + len(raw), True)
    val = _ESCAPE_RE.sub(lambda m: _SIMPLE_ESCAPES.get(m.group(1), m.group(1)), raw)
    return Frag(val, start, start + len(raw), False)


class _Ref(NamedTuple):
    name: str  # a name interpolated into a literal, resolved by the caller


def _literal_pieces(text: str, start: int, end: int, language: str | None) -> list[Piece | _Ref]:
    """The pieces of one string literal text[start:end] (prefix and quotes included)."""
    i = start
    while text[i] not in "\"'`":
        i += 1
    prefix = text[start:i].lower()
    q = 3 if text.startswith(text[i] * 3, i) and end - i >= 6 else 1
    cs, ce = i + q, end - q
    raw_string = "r" in prefix or (text[i] == "`" and language == "go")
    if "f" in prefix or "$" in prefix:
        interp: re.Pattern[str] | None = _INTERP_BRACE
    elif (text[i] == "`" and language != "go") or (text[i] == '"' and language in _DOLLAR_LANGS):
        interp = _INTERP_DOLLAR
    elif text[i] == '"' and language == "swift":
        interp = _INTERP_SWIFT
    else:
        interp = None
    if interp is None:
        return [_decode(text[cs:ce], cs, raw_string)]
    out: list[Piece | _Ref] = []
    at = cs
    for m in interp.finditer(text, cs, ce):
        tok = m.group(0)
        if tok in ("{{", "}}"):
            continue  # an escaped brace stays in the literal run (inexact, see below)
        if m.start() > at:
            out.append(_decode(text[at:m.start()], at, raw_string))
        name = next((g for g in m.groups() if g), None)
        simple = name is not None and re.fullmatch(r"[$#\\]?[{(]?\s*\w+\s*[})]?", tok) is not None
        out.append(_Ref(name) if simple and name else None)
        at = m.end()
    if ce > at:
        out.append(_decode(text[at:ce], at, raw_string))
    return out


class _State:
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
        if is_list and not _joined(self.text, at, end):
            return [None]
        return [p._replace(via_ref=True) if p is not None else None for p in pieces]

    def bind(self, name: str, pieces: list[Piece], is_list: bool, at: int,
             augment: bool = False) -> tuple[list[Piece], int]:
        """Bind (or, for ``+=``, extend) a name; the chain to evaluate and where it starts."""
        old = self.bindings.get(name)
        if augment and old is not None and not old[1]:
            pieces, at = (old[0] + pieces)[:_MAX_PIECES], old[2]
        if len(self.bindings) < _MAX_BINDINGS or old is not None:
            self.bindings[name] = (pieces, is_list, at)
        return pieces, at

    def evaluate(self, pieces: list[Piece], at: int, is_list: bool, end: int) -> None:
        """Scan each constant run of a chain that starts at ``at`` (the first operand)."""
        if len(pieces) < 2 and not (pieces and pieces[0] is not None and pieces[0].via_ref):
            return  # one literal alone: the ordinary scan judges it in place
        if is_list and not _joined(self.text, at, end):
            return
        run: list[Frag] = []
        for p in [*pieces, None]:
            if p is not None:
                if p.value:
                    run.append(p)
                continue
            if run and (len(run) > 1 or run[0].via_ref):
                self._scan_run(run, at)
            run = []

    def _scan_run(self, run: list[Frag], at: int) -> None:
        value = "".join(f.value for f in run)
        if len(value) > _MAX_VALUE or not _crosses(run, value) or self.evals >= _MAX_EVALS:
            return
        pre = _key_before(self.text, at)
        if len(run) == 1 and not pre.rstrip().endswith(("=", ":")):
            return  # a name used alone, not assigned: its literal was judged where it stands
        self.evals += 1
        q = next((c for c in "\"'`" if c not in value), "")
        synth = pre + q + value + q
        v0 = len(pre) + len(q)
        for f in self.scan(synth):
            fs, fe = max(f.start, v0) - v0, min(f.end, v0 + len(value)) - v0
            if fe <= fs:
                continue
            hits: list[tuple[Frag, int, int]] = []
            off = 0
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


def _joined(text: str, at: int, end: int) -> bool:
    """Whether the list whose items span text[at:end] is joined with an empty separator."""
    return bool(_JOIN_BEFORE_RE.search(text, max(0, at - 40), at)
                or _JOIN_AFTER_RE.search(text, at, min(len(text), end + 40)))


def _key_before(text: str, at: int) -> str:
    """The text before a chain on its line (the previous line when only brackets precede it):
    where the key it is assigned to stands."""
    ls = text.rfind("\n", 0, at) + 1
    pre = text[ls:at]
    if not pre.strip(" \t([{\\") and ls > 0:
        pls = text.rfind("\n", 0, ls - 1) + 1
        pre = text[pls:ls - 1] + " " + pre
    pre = _strip_call(pre[-160:].rstrip(" \t([{\\"))
    return pre if not pre or pre.endswith("=") else pre + " "


def _strip_call(w: str) -> str:
    """``key = listOf`` -> ``key =``: a call that builds a value from its arguments (a list,
    a join, a format) is not the key of the chain it holds; other calls (``raw.get``) take
    their arguments elsewhere, and stay."""
    if w.endswith(("=", ":", ",")):
        return w
    j = len(w)
    while j and (w[j - 1].isalnum() or w[j - 1] in "_$.:!<>"):
        j -= 1
    callee = re.split(r"[.:]+", w[j:].rstrip("!"))[-1]
    if callee not in _VALUE_CALLS and not callee.endswith("Of"):
        return w
    head = w[:j].rstrip()
    if head.endswith("new") and (len(head) == 3 or not head[-4].isalnum()):
        head = head[:-3]
    head = head.rstrip(" \t([{")
    return head if j < len(w) and head.endswith(("=", ":")) else w


_VALUE_CALLS = frozenset({
    "join", "Join", "concat", "Concat", "format", "Sprintf", "sprintf", "String", "str",
    "bytes", "StringBuilder", "StringBuffer", "asList", "of", "vec", "implode", "list",
    "tuple", "array", "Array", "from", "string", "strings",
})


_SELF = frozenset({"self", "this", "cls", "static", "Self"})


def _references(text: str, base: int, end: int, names: set[str]) -> list[tuple[int, int, str]]:
    """Where a bound name is used (not as part of a longer name; ``Config.KEY`` is a use)."""
    if not names:
        return []
    ac = ahocorasick.Automaton()
    for n in names:
        ac.add_word(n, n)
    ac.make_automaton()
    out = []
    for last, name in ac.iter(text, base, end):
        s, e = last + 1 - len(name), last + 1
        b = s - 1 if s and text[s - 1] == "$" else s  # PHP/Perl sigil
        if b > base and text[b - 1] == ".":  # Config.KEY, self.KEY: the path is the name
            q = b - 1
            while q > base and (text[q - 1].isalnum() or text[q - 1] in "_$"):
                q -= 1
            if not (text[q:q + 1].isupper() or text[q:b - 1] in _SELF):
                continue  # obj.attr: some object's attribute, not the constant
            b = q
        if (b == 0 or not (text[b - 1].isalnum() or text[b - 1] in "_$")) and (
                e >= len(text) or not (text[e].isalnum() or text[e] in "_$")):
            out.append((b, e, name))
    return out


def _scan_code(state: _State, base: int, end: int, language: str | None) -> None:
    text = state.text
    token_re = _TOKEN_RES.get(language)
    if token_re is None:
        token_re = _TOKEN_RES[language] = _token_re(language)
    found: list[tuple[int, int, str, str | None]] = []
    names = set(state.bindings)
    for m in token_re.finditer(text, base, end):
        if m.group()[0] not in "#/-":
            start = _with_prefix(text, base, m.start())
            # a name is looked for where it is bound to a literal that could be part of a
            # token: no whitespace (messages, SQL and paths with spaces are not)
            lit = m.group()
            if " " not in lit and "\n" not in lit and "\t" not in lit:
                bound = _bound_name(text, base, start)
                if bound is not None:
                    names.add(bound[0])
            found.append((start, m.end(), "s", None))
    refs = new_refs = _references(text, base, end, names)
    for _ in range(2):  # names bound to chains of names (b = a + "x"; c = b + "y")
        more = {b[0] for s, _e, _n in new_refs if (b := _bound_name(text, base, s))} - names
        if not more:
            break
        names |= more
        new_refs = _references(text, base, end, more)
        refs = refs + new_refs
    found += [(s, e, "r", n) for s, e, n in refs]
    found.sort()
    pieces: list[Piece] = []
    first = -1
    is_list = concat = prev_string = False
    bind: tuple[str, bool] | None = None
    last = base

    def close(stop: int) -> None:
        nonlocal pieces, first, is_list, bind, concat
        if pieces:
            at = first
            if bind is not None:
                pieces, at = state.bind(bind[0], pieces, is_list, first, bind[1])
            state.evaluate(pieces, at, is_list, stop)
        pieces, first, is_list, bind, concat = [], -1, False, None, False

    for start, stop, kind, val in found:
        if start < last:
            continue  # a name inside a literal
        if kind == "r" and (_RECEIVER_RE.match(text, stop) or text[max(base, start - 8):start]
                            .endswith(("strcat(", "strcpy(", "strncat("))):
            continue  # the buffer appended to: part of the glue
        gap = text[last:start]
        if not gap or gap.isspace():
            gap = ""
        elif "#" in gap or "/" in gap:
            gap = _GAP_NOISE_RE.sub("", gap)
        else:
            gap = "".join(gap.split())
        # only two literals concatenate by standing side by side
        adjacent_ok = bool(gap) or (kind == "s" and prev_string)
        if pieces and (not adjacent_ok or not _GLUE_RE.fullmatch(gap)):
            close(last)
        elif "cat" in gap and ("oncat" in gap or "strcat" in gap or "strncat" in gap):
            concat = True  # a concat call's arguments are concatenated, not a list
        elif "," in gap and not concat:
            is_list = True
        last = stop
        prev_string = kind == "s"
        lit = text[start:stop] if kind == "s" else ""
        if lit[:1] in ("\"", "'") and "\\" not in lit and (
                language not in _DOLLAR_LANGS or ("$" not in lit and "#{" not in lit)):
            q = 3 if stop - start >= 6 and text[start + 1] == text[start + 2] == text[start] else 1
            new = [Frag(text[start + q:stop - q], start + q, stop - q, True)]
            if _FORMAT_ONLY_RE.fullmatch(new[0].value):
                # its arguments follow, joined; the key stands before the call
                new, concat, prev_string = [], True, False
                if first < 0:
                    first = _call_start(text, base, start)
                    bind = _bound_name(text, base, first)
        elif kind == "s":
            new = []
            for p in _literal_pieces(text, start, stop, language):
                if isinstance(p, _Ref):
                    new += state.resolve(p.name, start, stop)
                else:
                    new.append(p)
        else:
            new = state.resolve(val or "", start, stop)
        if first < 0:
            first = start
            bind = _bound_name(text, base, start)
        if len(pieces) < _MAX_PIECES:
            pieces += new
    close(last)


# -- shell: words made of quoted, bare and $-expanded pieces --------------------------------------

_SH_WORD_RE = re.compile(
    r"(?P<c>(?<![^\s;|&(])#[^\n]*)"
    r"|(?P<w>(?:\"(?:\\.|[^\"\\])*\"|'[^']*'|\$\{[^}\n]*\}|\$\(\([^\n]*?\)\)|\$\([^()\n]*\)"
    r"|\$\w+|`[^`\n]*`|\\.|[^\s\"'$;|&<>()`\\])+)"
)
_SH_PIECE_RE = re.compile(
    r"\"(?P<dq>(?:\\.|[^\"\\])*)\"|'(?P<sq>[^']*)'|\$\{(?P<bv>[A-Za-z_]\w*)\}|\$(?P<v>[A-Za-z_]\w*)"
    r"|(?P<unk>\$\{[^}\n]*\}|\$\([\s\S]*?\)|\$.|`[^`]*`)|(?P<bare>(?:\\.|[^\"'$`\\])+)"
)
_SH_DQ_RE = re.compile(r"\$\{(?P<bv>[A-Za-z_]\w*)\}|\$(?P<v>[A-Za-z_]\w*)|\$\{[^}]*\}|\$\([^)]*\)"
                       r"|`[^`]*`")
_SH_ARG = r"(?:\"(?:\\.|[^\"\\\n])*\"|'[^'\n]*'|\$\{?\w+\}?|[^\s;|&<>()`\"'$\\])+"
_SH_ARG_RE = re.compile(_SH_ARG)
_PRINTF_RE = re.compile(
    r"(?:\$\()?\bprintf[ \t]+(?:-v[ \t]+(?P<var>[A-Za-z_]\w*)[ \t]+)?(?P<q>[\"']?)(?:%s)+(?P=q)"
    rf"(?P<args>(?:[ \t]+{_SH_ARG}){{1,{_MAX_PIECES}}})"
)
_SH_ASSIGN_RE = re.compile(r"[A-Za-z_]\w*(?=\+?=)")


def _sh_dq(state: _State, text: str, cs: int, ce: int) -> list[Piece]:
    out: list[Piece] = []
    at = cs
    for m in _SH_DQ_RE.finditer(text, cs, ce):
        if m.start() > at:
            out.append(_decode(text[at:m.start()], at, False))
        name = m.group("bv") or m.group("v")
        out += state.resolve(name, m.start(), m.end()) if name else [None]
        at = m.end()
    if ce > at:
        out.append(_decode(text[at:ce], at, False))
    return out


def _sh_pieces(state: _State, text: str, start: int, end: int) -> list[Piece]:
    out: list[Piece] = []
    for m in _SH_PIECE_RE.finditer(text, start, end):
        if m.group("dq") is not None:
            out += _sh_dq(state, text, m.start("dq"), m.end("dq"))
        elif m.group("sq") is not None:
            out.append(Frag(m.group("sq"), m.start("sq"), m.end("sq"), True))
        elif m.group("bv") or m.group("v"):
            out += state.resolve(m.group("bv") or m.group("v"), m.start(), m.end())
        elif m.group("bare") is not None:
            out.append(_decode(m.group("bare"), m.start(), False))
        else:
            out.append(None)
        if len(out) >= _MAX_PIECES:
            break
    return out


def _scan_printf(state: _State, base: int, end: int) -> None:
    """``printf '%s%s' "a" "b"`` (in ``$(...)`` or with ``-v NAME``) prints its pieces joined."""
    text = state.text
    for m in _PRINTF_RE.finditer(text, base, end):
        pieces: list[Piece] = []
        for w in _SH_ARG_RE.finditer(text, m.start("args"), m.end("args")):
            pieces += _sh_pieces(state, text, w.start(), w.end())
        if m.group("var"):
            state.bind(m.group("var"), pieces, False, m.start())
        state.evaluate(pieces[:_MAX_PIECES], m.start(), False, m.end())


def _scan_shell(state: _State, base: int, end: int) -> None:
    text = state.text
    if "printf" in text[base:end]:
        _scan_printf(state, base, end)
    for m in _SH_WORD_RE.finditer(text, base, end):
        if m.lastgroup != "w":
            continue
        ws, we = m.span()
        a = _SH_ASSIGN_RE.match(text, ws, we)
        if a is not None:
            vs = text.index("=", a.end(), we) + 1
            pieces = _sh_pieces(state, text, vs, we)
            pieces, at = state.bind(a.group(), pieces, False, vs, text[vs - 2] == "+")
            state.evaluate(pieces, at, False, we)
        elif we - ws > 8 and any(c in text[ws:we] for c in "\"'$"):
            state.evaluate(_sh_pieces(state, text, ws, we), ws, False, we)


def scan_split(ctx: DetectionContext, scan: Scan, add: Add) -> None:
    """Report, through ``add``, the fragment literals of every secret built from pieces."""
    text = ctx.text
    if not any(c in text for c in "\"'`"):
        return
    state = _State(text, scan, add)
    for seg in ctx.segments:
        lang = seg.language
        if seg.kind == SHELL or (seg.kind == CODE and lang in _SHELL_LANGS):
            _scan_shell(state, seg.start, seg.end)
        elif seg.kind in (CODE, DIFF):
            if lang not in _SKIP_LANGS:
                _scan_code(state, seg.start, seg.end, lang)
        elif seg.kind != TRACEBACK:
            # prose, logs, untagged snippets: literals in any syntax, one line at most each
            _scan_code(state, seg.start, seg.end, _PROSE)
