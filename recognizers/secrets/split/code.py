"""Constant string expressions in code: literals, the names bound to them and the glue between
them, read with one regular-expression pass per segment (see :mod:`recognizers.secrets.split`).
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

import ahocorasick

from recognizers.budget import check
from recognizers.secrets.split.core import (
    MAX_PIECES,
    VALUE_CALLS,
    Frag,
    Piece,
    State,
    decode,
    joined,
    strip_call,
)

PROSE = "text"  # what non-code segments are read as
SKIP_LANGS = frozenset({"json", "yaml", "xml", "html", "css", "markdown", "ini", "toml",
                         "diff", "graphql"})
# languages where '...' is a character literal (or a lifetime), not a string
_NO_SQUOTE = frozenset({"java", "c", "cpp", "csharp", "go", "rust", "kotlin", "scala", "swift"})
_HASH_COMMENT = frozenset({"python", "ruby", "perl", "r", "hcl", "makefile", "powershell"})
_SLASH_COMMENT = frozenset({"javascript", "typescript", "tsx", "java", "go", "c", "cpp", "csharp",
                            "rust", "kotlin", "scala", "swift", "dart", "php", "groovy"})



def _token_re(language: str | None) -> re.Pattern[str]:
    if language == PROSE:
        comment = r"(?!)"  # prose has no comments, and no literal in it spans lines
    elif language in _HASH_COMMENT:
        comment = r"#[^\n]*"
    elif language in ("fortran", "f90", "f95", "f03", "f08"):  # where // joins strings
        comment = r"![^\n]*"
    elif language in ("sql", "lua"):
        comment = r"--[^\n]*|/\*[\s\S]*?\*/"
    elif language in _SLASH_COMMENT:
        comment = r"//[^\n]*|/\*[\s\S]*?\*/"
    else:
        comment = r"(?<![\w$])#[^\n]*|(?<![:\w])//[^\n]*|/\*[\s\S]*?\*/"
    quotes = [r'"(?:\\.|[^"\\\n])*"']
    if language != PROSE:
        quotes[:0] = [r'"""[\s\S]*?"""', r"'''[\s\S]*?'''"]
    if language == "python":  # b'..', rb'..': no apostrophe stands outside strings/comments
        quotes.append(r"'(?:\\.|[^'\\\n])*'")
    elif language not in _NO_SQUOTE:
        quotes.append(r"(?<![A-Za-z0-9])'(?:\\.|[^'\\\n])*'")
    if language in (None, PROSE, "ruby"):  # Ruby's %w[a b]: a list of words
        quotes.append(r"%[wW](?:\[[^\]\n]*\]|\([^)\n]*\)|\{[^}\n]*\})")
    if language in (None, PROSE, "perl"):  # Perl's qw(a b)
        quotes.append(r"qw(?<![\w$]qw)[ \t]*(?:\([^)\n]*\)|\[[^\]\n]*\]|\{[^}\n]*\}|/[^/\n]*/)")
    if language in (None, "javascript", "typescript", "tsx", "go", "kotlin"):
        quotes.append(r"`(?:\\.|[^`\\])*`")
    elif language == PROSE:
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
                           "powershell", "elixir", "crystal", "hcl"})
_PREFIX_CHARS = frozenset("fFrRbBuU$@s")  # s: Scala's s"$a$b"


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
    # most literals follow a call or an operator: decide those on a short tail first
    tail = text[max(base, at - 24):at].rstrip(" \t\r\n([{")
    if "@" in tail and text[at - 1:at] in (" ", "\t"):  # Elixir: @name "value"
        m = _ATTRIBUTE_RE.search(text, max(base, at - 64), at)
        if m is not None:
            return m.group(1), False
    if not tail.endswith("="):
        c = tail[-1:]
        if not (c.isalnum() or c in ("_", "$", "!", ">", "]")):
            return None
        j = len(tail)
        while j and (tail[j - 1].isalnum() or tail[j - 1] in "_!"):
            j -= 1
        word = tail[j:].rstrip("!")
        if (word not in VALUE_CALLS and not word.endswith("Of") and "define" not in tail
                and c != "]"):
            return None
    w = text[max(base, at - 100):at].rstrip(" \t\r\n([{")
    if not w.endswith("="):
        if w[-1:].isalnum() or w[-1:] in ("_", "$", "!", ">", "]"):
            w = strip_call(w)
        if not w.endswith("="):
            m = _DEFINE_RE.search(w) if "define" in w else None
            return (m.group(1), False) if m else None
    if w.endswith(("==", "!=", "<=", ">=")):
        return None
    augment = w.endswith(("+=", ".="))
    w = w[:-2 if augment else -1].removesuffix(":").rstrip(" \t")
    if ":" in w[-48:]:  # a type annotation: const KEY: &str =, val key: String =
        t = _TYPED_TAIL_RE.search(w, max(0, len(w) - 48))
        if t is not None:
            w = w[:t.start()]
    k = len(w)
    while k and (w[k - 1].isalnum() or w[k - 1] in "_$"):
        k -= 1
    name = w[k:].lstrip("$")  # PHP and Perl sigils; self.x and this.x bind x
    if not name or name[0].isdigit():
        return None
    before = w[:k].rstrip(" \t")
    if before.endswith("(") or (before.endswith(",") and not _declarators(before)):
        return None  # f(a, name="x") is a keyword argument
    return name, augment


_ASSIGNED_RE = re.compile(r"[ \t]*=(?![=>~])")
_DECL_RE = re.compile(r"[ \t]*(?:export[ \t]+)?(?:const|let|var|val|my|local|auto)[ \t]")


def _declarators(before: str) -> bool:
    """``const a = "x", b = "y"``: a name after a comma on a line that declares several, outside
    any call's parentheses."""
    line = before[before.rfind("\n") + 1:]
    return _DECL_RE.match(line) is not None and line.count("(") == line.count(")")


# How far back a name or a call's start is looked for: names are shorter, and an unbounded
# walk over a long run of word characters made a 200 KB prompt quadratic.
_NAME_WINDOW = 256


def _call_start(text: str, base: int, at: int) -> int:
    """Where the call whose first argument starts at ``at`` begins (``fmt.Sprintf(``)."""
    lo = max(base, at - _NAME_WINDOW)  # a bounded look back: no copy of the text before it
    j = len(text[lo:at].rstrip(" \t(")) + lo
    while j > lo and (text[j - 1].isalnum() or text[j - 1] in "_.!:$"):
        j -= 1
    return j


_TYPED_TAIL_RE = re.compile(r"[ \t]*:[ \t]*&?(?:'\w+[ \t]+)?(?:mut[ \t]+)?[A-Za-z_][\w.:<>\[\]?]*$")
_ATTRIBUTE_RE = re.compile(r"(?<![^\n])[ \t]*@([A-Za-z_]\w*)[ \t]+$")
_DEFINE_RE = re.compile(r"#[ \t]*define[ \t]+([A-Za-z_]\w*)$")
# what may stand between two operands of one chain, once whitespace and comments are gone:
# operators, brackets, commas and the calls that append or concatenate
_METHOD = (r"(?:append|concat|push|push_str|extend|write|add|Append|AppendLiteral|join|Join"
           r"|Concat|WriteString|Write|format|plus)")
_GLUE_RE = re.compile(  # (a backtick ends a PowerShell line that goes on)
    r"(?:[+()\[\],.&|\\%*^`~]|&_|<<|<>|;?(?:[A-Za-z_$][\w$]*\.)?" + _METHOD + r"\("
    r"|;?[A-Za-z_$][\w$]*<<|;?(?:strn?cat|strcpy)\([A-Za-z_$][\w$]*,"
    r"|(?:strings\.Join|String\.join|[Ss]tring\.Concat|strcat|concat!|format!)\()*")
# a first, loose test of the same on the raw text (whitespace and comments included, names only
# before what glue puts after them): most gaps, code between two unrelated literals, fail it at
# their first characters, without a copy. Every alternative takes distinct characters, so a gap
# that fails costs linear time.
_RAW_GAP_RE = re.compile(
    r"(?:\s|#[^\n]*|//[^\n]*|/\*[\s\S]*?\*/|[+()\[\],.&|\\%;<>!:*^`~]|(?<=&)\s*_(?=\s)"
    r"|[A-Za-z_$][\w$]*(?=\s*[.(<,!:]))*")
# a name that is appended to (sb.append(, s << ): glue; a name that is joined is an operand
_RECEIVER_RE = re.compile(r"\s*(?:<<|\.\s*(?:append|concat|push|push_str|extend|write|add"
                          r"|Append|AppendLiteral|WriteString|Write)\s*\((?!\s*\)))")
# a format string that only places its arguments side by side: "%s%s", "{}{}", "{0}{1}"
_FORMAT_ONLY_RE = re.compile(r"(?:%(?:\d+\$)?[sv@]|\{\d*\})+")  # %@: Swift, Objective-C
_GAP_NOISE_RE = re.compile(r"\s+|#[^\n]*|//[^\n]*|/\*[\s\S]*?\*/")
# an argument that is itself a join or a format call: put("X-Api-Key", String.join("", p))
# starts a chain of its own, and the argument before it is the key
_ARG_CALL_RE = re.compile(r",(?:[A-Za-z_$][\w$]*\.)?(?:join|Join|Concat|concat|format|Sprintf)!?\(")
_MAX_GAP = 240  # longer glue than this (comments included) ends a chain
# interpolations: {name} (f-strings, C# $""), ${name} (JS, Kotlin, shell), $name, #{name} (Ruby)
_INTERP_BRACE = re.compile(r"\{\{|\}\}|\{\s*([A-Za-z_]\w*)?[^{}]*\}")
_INTERP_SWIFT = re.compile(r"\\\(\s*([A-Za-z_]\w*)?[^()]*\)")
# also PHP's {$name}, Elixir's #{@attribute} and Terraform's ${local.name} / ${var.name}
_INTERP_DOLLAR = re.compile(
    r"\{\$([A-Za-z_]\w*)\}|\$\{\s*(?:(?:local|var)\.)?([A-Za-z_]\w*)?[^{}]*\}|\$([A-Za-z_]\w*)"
    r"|#\{@?([A-Za-z_]\w*)?[^{}]*\}")
_ONLY_REFS_RE = re.compile(r"(?:\$\{?(?:(?:local|var)\.)?[A-Za-z_]\w*\}?){2,16}")
# a bare name, no expression
_SIMPLE_INTERP_RE = re.compile(r"[$#\\]?[{(]?[$@]?\s*(?:(?:local|var)\.)?\w+\s*[})]?")
# Rust's format!("{name}") captures names from the scope
_RUST_FORMAT_RE = re.compile(r"format!\(\s*$")
_NAMED_BRACE_RE = re.compile(r"\{[A-Za-z_]")



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
    if "f" in prefix or "$" in prefix or (
            language == "rust" and _RUST_FORMAT_RE.search(text, max(0, start - 16), start)):
        interp: re.Pattern[str] | None = _INTERP_BRACE
    elif (text[i] == "`" and language != "go") or (
            text[i] == '"' and language in _DOLLAR_LANGS) or _ONLY_REFS_RE.fullmatch(text, cs, ce):
        # a literal made only of $name references reads as an interpolation in any syntax
        # (Kotlin, Dart, Groovy in a block whose language is not known)
        interp = _INTERP_DOLLAR
    elif text[i] == '"' and language == "swift":
        interp = _INTERP_SWIFT
    else:
        interp = None
    if interp is None:
        return [decode(text[cs:ce], cs, raw_string)]
    out: list[Piece | _Ref] = []
    at = cs
    for m in interp.finditer(text, cs, ce):
        tok = m.group(0)
        if tok in ("{{", "}}"):
            continue  # an escaped brace stays in the literal run (inexact, see below)
        if m.start() > at:
            out.append(decode(text[at:m.start()], at, raw_string))
        name = next((g for g in m.groups() if g), None)
        simple = name is not None and _SIMPLE_INTERP_RE.fullmatch(tok) is not None
        out.append(_Ref(name) if simple and name else None)
        at = m.end()
    if ce > at:
        out.append(decode(text[at:ce], at, raw_string))
    return out


_WORD_ITEM_RE = re.compile(r"[^\s\])}/]+")


def _word_items(text: str, start: int, stop: int) -> list[Piece]:
    """The words of ``%w[a b]`` / ``qw(a b)`` at text[start:stop], each a piece of its own."""
    at = start + 2
    while text[at] in " \t":
        at += 1
    return [Frag(m.group(), m.start(), m.end(), True)
            for m in _WORD_ITEM_RE.finditer(text, at + 1, stop - 1)][:MAX_PIECES]


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
    # iter() over the segment alone: given the whole text and bounds, pyahocorasick reads the
    # whole text on every call, and a prompt of many segments became quadratic
    for k, (last, name) in enumerate(ac.iter(text[base:end])):
        if not k & 1023:
            check()  # the request's CPU budget
        s, e = base + last + 1 - len(name), base + last + 1
        b = s - 1 if s and text[s - 1] == "$" else s  # PHP/Perl sigil
        if b > base and text[b - 1] == ".":  # Config.KEY, self.KEY: the path is the name
            q = b - 1
            lo = max(base, q - _NAME_WINDOW)
            while q > lo and (text[q - 1].isalnum() or text[q - 1] in "_$"):
                q -= 1
            if not (text[q:q + 1].isupper() or text[q:b - 1] in _SELF):
                continue  # obj.attr: some object's attribute, not the constant
            b = q
        if (b == 0 or not (text[b - 1].isalnum() or text[b - 1] in "_$")) and (
                e >= len(text) or not (text[e].isalnum() or text[e] in "_$")):
            out.append((b, e, name))
    return out


def scan_code(state: State, base: int, end: int, language: str | None) -> None:
    text = state.text
    token_re = _TOKEN_RES.get(language)
    if token_re is None:
        token_re = _TOKEN_RES[language] = _token_re(language)
    found: list[tuple[int, int, str, Any]] = []
    names = set(state.bindings)
    for k, m in enumerate(token_re.finditer(text, base, end)):
        if not k & 1023:
            check()
        if m.group()[0] not in "#/-":
            start = _with_prefix(text, base, m.start())
            # a name is looked for where it is bound to a literal that could be part of a
            # token: no whitespace (messages, SQL and paths with spaces are not)
            lit = m.group()
            bound = _bound_name(text, base, start)
            if bound is not None and " " not in lit and "\n" not in lit and "\t" not in lit:
                names.add(bound[0])
            found.append((start, m.end(), "s", bound))
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
    groups: list[tuple[int, int]] = []  # where each comma-separated operand run starts
    last = base

    def close(stop: int) -> None:
        nonlocal pieces, first, is_list, bind, concat, groups
        if pieces:
            at = first
            if bind is not None:
                pieces, at = state.bind(bind[0], pieces, is_list, first, bind[1])
            state.evaluate(pieces, at, is_list, stop)
            if is_list and bind is None and len(groups) > 1 and not joined(text, first, stop):
                # arguments, not a list: put("db.password", "a" + "b") joins within each one
                for (a, g_at), (b, _) in zip(groups, [*groups[1:], (len(pieces), stop)],
                                             strict=True):
                    state.evaluate(pieces[a:b], g_at, False, stop)
        pieces, first, is_list, bind, concat, groups = [], -1, False, None, False, []

    for start, stop, kind, val in found:
        if start < last:
            continue  # a name inside a literal
        if kind == "r" and _ASSIGNED_RE.match(text, stop):
            close(last)  # ``a = "x", b = "y"``: b is assigned to, no operand of a's chain
            last = stop
            prev_string = False
            continue
        if kind == "r" and (_RECEIVER_RE.match(text, stop) or text[max(base, start - 8):start]
                            .endswith(("strcat(", "strcpy(", "strncat("))):
            continue  # the buffer appended to: part of the glue
        if pieces and (start - last > _MAX_GAP
                       or not _RAW_GAP_RE.fullmatch(text, last, start)):
            close(last)
        elif pieces:  # does this operand continue the chain? (what stands between them)
            gap = text[last:start]
            if not gap or gap.isspace():
                gap = ""
            elif len(gap) > _MAX_GAP or (language == PROSE and "\n" in gap
                                          and not gap.strip() and not (
                                              bind is not None and gap.count("\n") == 1
                                              and kind == "s" and gap[-1:] in " \t")):
                # prose: a chain stays on its line, unless an operator carries it on, or it is
                # assigned and goes on with literals alone on indented lines (C's "a"\n  "b")
                gap = "?"
            elif "#" in gap or "/" in gap:
                gap = _GAP_NOISE_RE.sub("", gap)
            else:
                gap = "".join(gap.split())
            # only two literals concatenate by standing side by side
            adjacent_ok = bool(gap) or (kind == "s" and prev_string)
            if gap == ";" and "\n" not in text[last:start]:
                is_list = True  # ML lists: ["a"; "b"] (a statement ends at a line's end)
                groups.append((len(pieces), start))
            elif (not adjacent_ok or not _GLUE_RE.fullmatch(gap) or "..." in gap
                    or ("," in gap and _ARG_CALL_RE.search(gap))):
                close(last)
            elif "cat" in gap and ("oncat" in gap or "strcat" in gap or "strncat" in gap):
                concat = True  # a concat call's arguments are concatenated, not a list
            elif "," in gap and not concat:
                is_list = True
                groups.append((len(pieces), start))
        last = stop
        prev_string = kind == "s"
        lit = text[start:stop] if kind == "s" else ""
        if lit[:1] in ("%", "q"):  # %w[a b], qw(a b): the words are the items of a list
            new = _word_items(text, start, stop)
            if not pieces:
                is_list = True
        elif lit[:1] in ("\"", "'") and "\\" not in lit and (
                language not in _DOLLAR_LANGS or ("$" not in lit and "#{" not in lit)) and (
                lit[1:2] != "$" or not _ONLY_REFS_RE.fullmatch(lit, 1, len(lit) - 1)) and (
                language != "rust" or not _NAMED_BRACE_RE.search(lit)):
            q = 3 if stop - start >= 6 and text[start + 1] == text[start + 2] == text[start] else 1
            new = [Frag(text[start + q:stop - q], start + q, stop - q, True)]
            if ("%" in lit or "{" in lit) and _FORMAT_ONLY_RE.fullmatch(new[0].value):
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
            bind = val if kind == "s" else _bound_name(text, base, start)
            groups = [(0, start)]
        if len(pieces) < MAX_PIECES:
            pieces += new
    close(last)
