"""Provider tokens: formats with a fixed literal (``ghp_``, ``AKIA``, ``xoxb-`` ...).

The formats are data, in ``recognizers/rules/secrets.toml`` (after gitleaks' rule set): each rule
has its keywords, a regex that starts with a literal, and ``match``/``no_match`` examples that
``tests/rules/test_secret_rules.py`` walks. What needs code stays here, named from the rules:

* ``CHECKS``: extra tests of a token (``check = "aws_id"``);
* ``DERIVED``: rules whose patterns are taken at import from a maintained detect-secrets plugin's
  ``denylist`` (SendGrid, Square OAuth, GitLab's many token kinds, PyPI), wrapped with our
  boundaries (the PyPI length capped), so those formats stay in sync with it (``derive = ...``);
* Discord bot and Facebook app tokens, which have no multi-character literal to trigger on.

Matches are checked against placeholders (``xxxx``, ``EXAMPLE``) and a minimum Shannon entropy.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Any

from detect_secrets.plugins.discord import DiscordBotTokenDetector
from detect_secrets.plugins.gitlab_token import GitLabTokenDetector
from detect_secrets.plugins.pypi_token import PypiTokenDetector
from detect_secrets.plugins.sendgrid import SendGridDetector
from detect_secrets.plugins.square_oauth import SquareOAuthDetector

from recognizers.secrets.entropy import (
    _WORDCHARS,
    _entropy,
    _left_ok,
    _mixed3,
    _token_plausible,
)

_Add = Callable[..., None]
_END_DASH = r"(?![A-Za-z0-9_\-])"


class RuleError(ValueError):
    """A rule in the rules file is malformed."""


@dataclass(frozen=True)
class Rule:
    """One provider token format, compiled."""

    id: str
    type: str
    keywords: tuple[str, ...]  # lower case, for the Aho-Corasick trigger
    regex: re.Pattern[str]
    min_entropy: float = 3.0
    group: str | int = 0
    left: bool = True
    check: Callable[[str], bool] | None = None
    before: re.Pattern[str] | None = None
    left_chars: frozenset[str] = _WORDCHARS


def _aws_id_ok(tok: str) -> bool:
    return "EXAMPLE" not in tok and len(set(tok[4:])) >= 6


CHECKS: dict[str, Callable[[str], bool]] = {"aws_id": _aws_id_ok, "mixed3": _mixed3}


_LITERAL_PREFIX_RE = re.compile(r"(?:[A-Za-z0-9_]|\\[.\-]|-)+")


def _with_left_boundary(pattern: str) -> str:
    """Insert a lookbehind after the pattern's literal prefix: the match must start a token
    (or follow an escaped ``\\n``). Keeping the literal first lets ``re`` search for it fast,
    and the lookbehind stops retries inside long runs (``eyJeyJeyJ...``) from going quadratic."""
    m = _LITERAL_PREFIX_RE.match(pattern)
    if not m or pattern[m.end():m.end() + 1] in ("?", "*", "+", "{"):
        return pattern  # the last literal char is quantified: keep the pattern as it is
    lit = m.group()
    return lit + rf"(?:(?<![A-Za-z0-9_\-]{lit})|(?<=\\[nrt]{lit}))" + pattern[len(lit):]


def _ds(detector: type, index: int = 0) -> str:
    """The pattern text of one of a detect-secrets plugin's denylist regexes."""
    return detector.denylist[index].pattern


def _gitlab() -> list[tuple[tuple[str, ...], str]]:
    """detect-secrets' GitLab patterns but ``glpat-`` (a rule of its own), split by literal."""
    out = []
    for rx in GitLabTokenDetector.denylist:
        pat = rx.pattern.replace(r"(?!\w)", "")
        lit = re.match(r"[A-Za-z0-9]+-?", pat)
        if lit and lit.group() not in ("glpat-",):
            out.append(((lit.group(),), pat + _END_DASH))
        elif not lit:  # "(glpat|gldt|...)-" alternation
            for pre in re.findall(r"[a-z]+", pat.split(")")[0]):
                if pre != "glpat":
                    out.append(((pre + "-",), pre + "-" + pat.split(")-", 1)[1] + _END_DASH))
    return out


def _pypi() -> str:
    return (r"pypi-Ag(?:" + _ds(PypiTokenDetector, 0).removeprefix("pypi-Ag") + "|"
            + _ds(PypiTokenDetector, 1).removeprefix("pypi-Ag") + ")").replace("{70,}", "{70,600}")


# derive = name -> [(keywords or () for the rule's own, pattern)]
DERIVED: dict[str, Callable[[], list[tuple[tuple[str, ...], str]]]] = {
    "gitlab": _gitlab,
    "sendgrid": lambda: [((), _ds(SendGridDetector) + _END_DASH)],
    "pypi": lambda: [((), _pypi())],
    "square-oauth": lambda: [((), _ds(SquareOAuthDetector).replace("\\\\", "") + _END_DASH)],
}


def _compile(spec: dict[str, Any]) -> Iterator[Rule]:
    rid = spec.get("id", "?")
    if "derive" in spec:
        patterns = DERIVED[spec["derive"]]()
    elif "regex" in spec:
        patterns = [((), spec["regex"])]
    else:
        raise RuleError(f"rule {rid}: neither regex nor derive")
    check = spec.get("check")
    if check is not None and check not in CHECKS:
        raise RuleError(f"rule {rid}: unknown check {check!r}")
    left = spec.get("left", True)
    for own, pattern in patterns:
        keywords = tuple(k.lower() for k in (own or spec.get("keywords", ())))
        if not keywords:
            # a rule without keywords would run on every text (gitleaks #1675)
            raise RuleError(f"rule {rid}: no keywords")
        yield Rule(
            id=rid, type=spec["type"], keywords=keywords,
            regex=re.compile(_with_left_boundary(pattern) if left else pattern),
            min_entropy=float(spec.get("min_entropy", 3.0)), group=spec.get("group", 0),
            left=left, check=CHECKS[check] if check else None,
            before=re.compile(spec["before"] + "$") if spec.get("before") else None,
            left_chars=_WORDCHARS | frozenset(spec.get("also_after", "")),
        )


def load_rules(text: str | None = None) -> tuple[Rule, ...]:
    """The rules of ``recognizers/rules/secrets.toml`` (or of ``text``), in file order."""
    if text is None:
        text = resources.files("recognizers.rules").joinpath("secrets.toml").read_text("utf-8")
    return tuple(r for spec in tomllib.loads(text)["rule"] for r in _compile(spec))


RULES = load_rules()

_AWS_SECRET_NEAR_RE = re.compile(r"(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")

# rules without a multi-character keyword: run on every text that has their literal
_DISCORD_RE = re.compile(r"\.[A-Za-z0-9_\-]{6}\.[A-Za-z0-9_\-]{27,38}(?![A-Za-z0-9_\-])")
_DISCORD_BEFORE_RE = re.compile(_ds(DiscordBotTokenDetector).split(r"\.")[0] + "$")
_FB_APP_RE = re.compile(r"\|[0-9A-Za-z_\-]{27,40}(?![A-Za-z0-9_\-])")
_FB_APP_BEFORE_RE = re.compile(r"(?<![0-9])[0-9]{15,16}$")


def scan_tokens(text: str, rule_ids: list[int], add: _Add) -> None:
    """The rules ``rule_ids`` (indexes into ``RULES``) whose keywords the text holds."""
    for i in rule_ids:
        rule = RULES[i]
        for m in rule.regex.finditer(text):
            s, e = m.span(rule.group)
            if rule.left and not _left_ok(text, s, rule.left_chars):
                continue
            if rule.before is not None:
                b = rule.before.search(text, max(0, s - 40), s)
                if b is None:
                    continue
                s = b.start()
            tok = text[s:e]
            if rule.check is not None and not rule.check(tok):
                continue
            if not _token_plausible(tok, rule.min_entropy):
                continue
            add(s, e, rule.type)
            if rule.type == "AWS_ACCESS_KEY_ID":  # its secret often follows (credentials.csv)
                for sm in _AWS_SECRET_NEAR_RE.finditer(text, e, min(len(text), e + 300)):
                    v = sm.group()
                    if _mixed3(v) and _entropy(v) >= 4.0 and "EXAMPLE" not in v:
                        add(*sm.span(), "AWS_SECRET_ACCESS_KEY")


def scan_discord(text: str, add: _Add) -> None:
    for m in _DISCORD_RE.finditer(text):
        b = _DISCORD_BEFORE_RE.search(text, max(0, m.start() - 26), m.start())
        if b is None:
            continue
        tok = text[b.start():m.end()]
        if _mixed3(tok) and _token_plausible(tok, 3.5):
            add(b.start(), m.end(), "DISCORD_BOT_TOKEN")


def scan_facebook_app(text: str, add: _Add) -> None:
    for m in _FB_APP_RE.finditer(text):
        b = _FB_APP_BEFORE_RE.search(text, max(0, m.start() - 16), m.start())
        if b is not None and _mixed3(m.group()) and _token_plausible(m.group(), 3.0):
            add(b.start(), m.end(), "FACEBOOK_ACCESS_TOKEN")
