"""Gitleaks' maintained rule set, run as data (``recognizers/rules/gitleaks.toml.gz``).

The file is gitleaks' own ``config/gitleaks.toml`` (MIT, see ``recognizers/rules/PROVENANCE.md``),
shipped unchanged. At import every rule is translated from Go RE2 to Python ``re`` and compiled
once; a rule runs only when one of its ``keywords`` occurs in the lower-cased text (the caller's
Aho-Corasick pass decides, as gitleaks does). A match counts as gitleaks counts it: the secret is
``secretGroup`` or else the first non-empty group; its Shannon entropy must exceed ``entropy``;
the global and the rule's allowlists (regexes on the secret, the match or the line, stopwords)
drop it. Allowlists that need a file path cannot apply to a prompt and are left out.

RE2 → ``re``: a flag group in mid-pattern (``(?i)`` applies to the end of its group in RE2, and
``re`` only takes global flags at the very start) becomes a scoped ``(?i:...)`` up to the end of
the enclosing group; POSIX classes (``[[:alnum:]]``) are spelled out; ``\\z`` is ``\\Z``;
``re.ASCII`` gives ``\\w``, ``\\d``, ``\\s`` and ``\\b`` RE2's ASCII meaning.
Rules that still do not compile are skipped and listed in :data:`SKIPPED`, as are the rules
left out by choice.

Speed: besides its keywords, a rule needs the literals every match holds (``lob``; ``kind:`` and
``data:``) before it runs, and a rule whose every match starts with one of these literals is
tried only where they occur. Both are read from the parsed pattern (``re._parser``, private but
stable; if it changes, the rules simply scan the whole text).
"""

from __future__ import annotations

import gzip
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Any

from recognizers.regex_literals import parse_pattern, prefixes, required
from recognizers.secrets.assignments import _is_placeholder
from recognizers.secrets.entropy import (
    _PLACEHOLDER_RUN,
    _TOKCHARS,
    _WORDCHARS,
    _entropy,
    _left_ok,
)

_Add = Callable[..., None]

# Rules left out on purpose, with the reason (the translation itself skips what does not compile).
BY_CHOICE: dict[str, str] = {
    # keywords "key", "api", "auth", "token" fire on most code; the key/value recognizer
    # (assignments.py) covers the same ground and leaves identifiers and placeholders alone
    "generic-api-key": "covered by recognizers/secrets/assignments.py",
    "pkcs12-file": "matches file paths only",
    # formats our own scanners check more closely (detect-secrets' validation kept)
    "jwt": "structured.py decodes a JWT's header and payload as JSON",
    "pypi-upload-token": "detect-secrets' PypiTokenDetector pattern (tokens.py)",
    "openai-api-key": "secrets.toml's openai rules bound the token's length",
}

# rules whose secret group holds ``key: value``: only the value (group "v") is replaced
NARROW: dict[str, re.Pattern[str]] = {
    "kubernetes-secret-yaml": re.compile(
        r"[\w.-]+:(?:[ \t]*(?:\||>[-+]?)\s+)?[ \t]*[\"']?(?P<v>[^\"'\s]+)[\"']?\s*"
    ),
}

_POSIX = {
    "alnum": "a-zA-Z0-9", "alpha": "a-zA-Z", "digit": "0-9", "lower": "a-z", "upper": "A-Z",
    "space": r" \t\n\r\f\v", "xdigit": "0-9a-fA-F", "word": r"\w", "punct": r"!-/:-@\[-`{-~",
    "blank": r" \t", "cntrl": r"\x00-\x1f\x7f", "print": r" -~", "graph": r"!-~",
}
_FLAGS_RE = re.compile(r"\(\?([imsU-]+)\)")
# gitleaks' generic form starts with a lazy run before the keyword; it only widens the match
# (the secret is a group after it) and makes ``re`` retry at every position, so it is dropped
_LAZY_LEAD = r"[\w.-]{0,50}?"


class TranslationError(ValueError):
    """A Go RE2 construct with no ``re`` equivalent."""


def translate(go: str) -> str:
    """The Python ``re`` spelling of a Go RE2 pattern (see the module docstring)."""
    if go.startswith("(?i)" + _LAZY_LEAD):
        go = "(?i)" + go[4 + len(_LAZY_LEAD):]
    out: list[str] = []
    closers: list[int] = [0]  # per open group: scoped flag groups to close at its end
    i, n = 0, len(go)
    in_class = False
    while i < n:
        c = go[i]
        if c == "\\":
            nxt = go[i + 1:i + 2]
            if nxt in ("p", "P", "Q", "E", "C"):
                raise TranslationError(f"\\{nxt} at {i}")
            out.append(r"\Z" if nxt == "z" else go[i:i + 2])
            i += 2
            continue
        if in_class:
            if go.startswith("[:", i):
                end = go.find(":]", i + 2)
                name = go[i + 2:end] if end > 0 else ""
                if name not in _POSIX:
                    raise TranslationError(f"POSIX class {name!r}")
                out.append(_POSIX[name])
                i = end + 2
                continue
            if c == "]":
                in_class = False
            elif c == "[" or go.startswith(("--", "&&", "||", "~~"), i):
                out.append("\\")  # literal in RE2, a future set operation in re
            out.append(c)
            i += 1
            continue
        if c == "[":
            in_class = True
            out.append(c)
            i += 1
            if go[i:i + 1] == "^":
                out.append("^")
                i += 1
            if go[i:i + 1] == "]":  # a leading ] is literal
                out.append(r"\]")
                i += 1
            continue
        m = _FLAGS_RE.match(go, i)
        if m:
            flags = m.group(1)
            if "U" in flags:
                raise TranslationError("ungreedy flag")
            if i == 0:
                out.append(m.group())
            else:
                out.append(f"(?{flags}:")
                closers[-1] += 1
            i = m.end()
            continue
        if c == "(":
            closers.append(0)
        elif c == ")":
            out.append(")" * closers.pop())
            if not closers:
                raise TranslationError("unbalanced )")
        out.append(c)
        i += 1
    if len(closers) != 1:
        raise TranslationError("unbalanced (")
    out.append(")" * closers[0])
    return "".join(out)


def _compile(go: str) -> re.Pattern[str]:
    return re.compile(translate(go), re.ASCII)


def _compile_rule(go: str) -> tuple[re.Pattern[str], bool]:
    """The rule's pattern, and whether its leading ``\\b`` was taken out to be checked on each
    match: ``re`` skips ahead to a literal prefix only when the pattern starts with one, and a
    leading ``\\b`` hides it (10 to 20 times slower on a long text)."""
    if go.startswith("\\b") and not go.startswith("\\b{"):
        return _compile(go[2:]), True
    return _compile(go), False


def anchors(regex: re.Pattern[str], literals: tuple[str, ...]) -> tuple[str, ...]:
    """Those of ``literals`` (the keywords, the required literals) one of which starts every
    match, or () when the match may start elsewhere. Where there are some, the rule is tried
    only where they occur (``match`` at each), not by a scan of the whole text."""
    try:
        found = prefixes(parse_pattern(regex))
    except Exception:
        return ()
    if found is None or not all(any(f.startswith(c) for c in literals) for f in found[0]):
        return ()
    return tuple(c for c in literals if any(f.startswith(c) for f in found[0]))


def required_literals(regex: re.Pattern[str], keywords: tuple[str, ...]) -> tuple[str, ...]:
    """What a text must hold besides one of the keywords for the rule to match at all: gitleaks'
    keywords are often the token's prefix while the pattern also needs the provider's name
    (``lob``), or both ``kind:`` and ``data:``. Checked with ``in`` on the lower-cased text, far
    cheaper than a regex that fails."""
    try:
        lits = required(parse_pattern(regex))
    except Exception:  # a parser detail changed: no pre-filter, the regex decides
        return ()
    return tuple(sorted(x for x in lits if not all(x in k for k in keywords)))


@dataclass(frozen=True)
class Allow:
    """One allowlist: any (or, with ``all_of``, every) check that holds drops the match."""

    target: str  # "secret", "match" or "line"
    regexes: tuple[re.Pattern[str], ...] = ()
    stopwords: tuple[str, ...] = ()
    all_of: bool = False

    def drops(self, secret: str, match: str, line: str) -> bool:
        subject = {"match": match, "line": line}.get(self.target, secret)
        checks = []
        if self.regexes:
            checks.append(any(r.search(subject) for r in self.regexes))
        if self.stopwords:
            low = secret.lower()
            checks.append(any(w in low for w in self.stopwords))
        if not checks:
            return False
        return all(checks) if self.all_of else any(checks)


@dataclass(frozen=True)
class GlRule:
    """One gitleaks rule, compiled."""

    id: str
    type: str
    keywords: tuple[str, ...]
    regex: re.Pattern[str]
    left_boundary: bool = False  # the match must start at a word boundary (RE2 ``\\b``)
    needs: tuple[str, ...] = ()  # lower-cased literals every match holds
    anchors: tuple[str, ...] = ()  # lower-cased literals one of which starts every match
    entropy: float = 0.0
    group: int = 0
    allows: tuple[Allow, ...] = ()


def _allow(spec: dict[str, Any]) -> Allow | None:
    all_of = spec.get("condition", "OR").upper() == "AND"
    if (spec.get("paths") or spec.get("commits")) and all_of:
        return None  # needs a path to hold: never drops a match in a prompt
    return Allow(
        target=spec.get("regexTarget", "secret"),
        regexes=tuple(_compile(r) for r in spec.get("regexes", ())),
        stopwords=tuple(w.lower() for w in spec.get("stopwords", ())),
        all_of=all_of,
    )


def _type(rule_id: str) -> str:
    return rule_id.upper().replace("-", "_")


def load_gitleaks(
    data: bytes | None = None,
) -> tuple[tuple[GlRule, ...], Allow, dict[str, str]]:
    """The rules that translate, the global allowlist, and ``{skipped rule id: reason}``."""
    if data is None:
        data = resources.files("recognizers.rules").joinpath("gitleaks.toml.gz").read_bytes()
    conf = tomllib.loads(gzip.decompress(data).decode("utf-8"))
    g = conf.get("allowlist", {})
    glob = Allow("secret", tuple(_compile(r) for r in g.get("regexes", ())),
                 tuple(w.lower() for w in g.get("stopwords", ())))
    rules: list[GlRule] = []
    skipped: dict[str, str] = {}
    for spec in conf.get("rules", ()):
        rid = spec["id"]
        if rid in BY_CHOICE:
            skipped[rid] = BY_CHOICE[rid]
            continue
        if "regex" not in spec or not spec.get("keywords"):
            skipped[rid] = "no regex or no keywords"
            continue
        try:
            allows = tuple(a for a in map(_allow, spec.get("allowlists", ())) if a is not None)
            regex, left_boundary = _compile_rule(spec["regex"])
            keywords = tuple(k.lower() for k in spec["keywords"])
            needs = required_literals(regex, keywords)
            rules.append(GlRule(
                id=rid, type=_type(rid),
                keywords=keywords,
                regex=regex, left_boundary=left_boundary,
                needs=needs, anchors=anchors(regex, keywords + needs),
                entropy=float(spec.get("entropy", 0.0)),
                group=int(spec.get("secretGroup", 0)), allows=allows,
            ))
        except (re.error, TranslationError) as exc:
            skipped[rid] = f"does not translate: {exc}"
    return tuple(rules), glob, skipped


def _group_text(pattern: str, n: int) -> str | None:
    """The text of capturing group ``n`` of a pattern, or None."""
    count, depth, in_class, i, start, want = 0, 0, False, 0, -1, -1
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if pattern[i + 1:i + 2] == "]" or pattern[i + 1:i + 3] == "^]":
                i += 2 if pattern[i + 1] == "]" else 3
                continue
        elif c == "(":
            depth += 1
            if not pattern.startswith("(?", i) or pattern.startswith("(?P<", i):
                count += 1
                if count == n:
                    start, want = i + 1, depth
        elif c == ")":
            if depth == want:
                return pattern[start:i]
            depth -= 1
        i += 1
    return None


def by_prefix(rule: GlRule) -> GlRule | None:
    """The rule's token alone, for a rule that needs the provider's name before a token that
    carries a prefix of its own (``tfp_``, ``NRJS-``, ``live_``): that prefix, with the
    token's length and alphabet, is evidence by itself (the name is often elsewhere, or
    abbreviated). Only prefixes of 4+ characters with 3+ letters; the rule's entropy and
    allowlists still apply."""
    grp = _group_text(rule.regex.pattern, rule.group or 1)
    if not grp or "(?i)" in grp:
        return None
    glob = "(?i)" if rule.regex.pattern.startswith("(?i)") else ""
    try:
        # ends a token: a longer run that merely starts with the prefix is not this token
        regex = re.compile(f"{glob}({grp})(?![A-Za-z0-9_\\-])", re.ASCII)
        found = prefixes(parse_pattern(regex))
    except (re.error, Exception):
        return None
    if not found or not found[0] or found[1]:
        return None
    lits = tuple(sorted(found[0]))
    if not all(len(p) >= 4 and sum(ch.isalpha() for ch in p) >= 3 for p in lits):
        return None
    if rule.anchors and all(any(p.startswith(a) or a.startswith(p) for p in lits)
                            for a in rule.anchors):
        return None  # every match already starts at the token's prefix
    return GlRule(id=rule.id, type=rule.type, keywords=lits, regex=regex, left_boundary=True,
                  anchors=lits, entropy=rule.entropy, group=1, allows=rule.allows)


TRANSLATED, GLOBAL_ALLOW, SKIPPED = load_gitleaks()
BY_PREFIX = tuple(r for r in map(by_prefix, TRANSLATED) if r is not None)
RULES = TRANSLATED + BY_PREFIX


def _line(text: str, s: int, e: int) -> str:
    return text[text.rfind("\n", 0, s) + 1:(text.find("\n", e) + 1 or len(text) + 1) - 1]


def _is_word(c: str) -> bool:
    return c in _WORDCHARS


def _starts(low: str, keywords: tuple[str, ...]) -> list[int]:
    out: set[int] = set()
    for k in keywords:
        i = low.find(k)
        while i >= 0:
            out.add(i)
            i = low.find(k, i + 1)
    return sorted(out)


def _matches(rule: GlRule, text: str, low: str) -> Iterator[re.Match[str]]:
    """The rule's matches, as RE2 finds them (leftmost first, not overlapping)."""
    if rule.anchors:
        done = 0
        for p in _starts(low, rule.anchors):
            if p < done:
                continue
            if rule.left_boundary and (p > 0 and _is_word(text[p - 1])) == _is_word(text[p]):
                continue
            m = rule.regex.match(text, p)
            if m is not None:
                done = max(m.end(), p + 1)
                yield m
        return
    if not rule.left_boundary:
        yield from rule.regex.finditer(text)
        return
    pos, n = 0, len(text)
    while pos <= n:
        m = rule.regex.search(text, pos)
        if m is None:
            return
        s = m.start()
        if (s > 0 and _is_word(text[s - 1])) == (s < n and _is_word(text[s])):
            pos = s + 1  # no word boundary here: the leftmost match starts further on
            continue
        yield m
        pos = m.end() if m.end() > s else s + 1


def scan_gitleaks(text: str, low: str, rule_ids: list[int], add: _Add) -> None:
    """The rules ``rule_ids`` (indexes into :data:`RULES`) whose keywords the text holds
    (``low``: the text lower-cased, same length)."""
    for i in rule_ids:
        rule = RULES[i]
        if rule.needs and not all(x in low for x in rule.needs):
            continue
        for m in _matches(rule, text, low):
            k = rule.group
            if not k and m.lastindex:
                k = next((j for j in range(1, m.re.groups + 1) if m.group(j)), 0)
            s, e = m.span(k)
            narrow = NARROW.get(rule.id)
            if narrow is not None:
                nm = narrow.fullmatch(text, s, e)
                if nm is None:
                    continue
                s, e = nm.span("v")
            if e - s > 2 and text[s] in "\"'" and text[e - 1] == text[s]:
                s, e = s + 1, e - 1  # a rule that takes the quotes in: the value is inside
            # a token the pattern does not bound (the secret is where the match starts or ends)
            # must not be a piece of a longer one: gitleaks' patterns rarely check that
            if (s == m.start() and text[s] in _TOKCHARS and not _left_ok(text, s, _TOKCHARS)) or (
                e == m.end() < len(text) and text[e] in _TOKCHARS and text[e - 1] in _TOKCHARS
            ):
                continue
            secret = text[s:e]
            if not secret.strip() or _PLACEHOLDER_RUN.search(secret) or _is_placeholder(secret):
                continue  # placeholders (changeme, ${VAR}, <token>) stay, as everywhere
            if rule.entropy and _entropy(secret) <= rule.entropy:
                continue
            if GLOBAL_ALLOW.drops(secret, m.group(), ""):
                continue
            if rule.allows:
                line = _line(text, m.start(), m.end())
                if any(a.drops(secret, m.group(), line) for a in rule.allows):
                    continue
            add(s, e, rule.type)
