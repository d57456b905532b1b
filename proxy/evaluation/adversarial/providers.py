"""Provider tokens drawn from gitleaks' rule set (vendored as data: ``secrets/gitleaks``).

Each rule's regex is turned into a generator (``regexgen``); a token is drawn until it clears the
rule's entropy limit, its allowlists and the global ones, so every planted token is one gitleaks
itself would report. Rules are split between the tuning and the held-back part by a stable
hash of their id, so the held-back part holds providers the tuning part never shows.
"""

from __future__ import annotations

import gzip
import hashlib
import math
import random
import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from functools import cache

from proxy.evaluation.adversarial.regexgen import Generator, python_pattern
from proxy.testing.data import SECRETS

# Rules whose match is a whole file or a multi-line block, not a token to plant in a line.
_SKIP = {"private-key", "pkcs12-file", "generic-api-key"}


@dataclass(frozen=True)
class Rule:
    id: str
    keyword: str
    regex: re.Pattern[str]
    generator: Generator
    group: int | None
    entropy: float
    allow: tuple[re.Pattern[str], ...]
    stopwords: tuple[str, ...]
    keywords: tuple[str, ...] = ()

    @property
    def type(self) -> str:
        return re.sub(r"[^A-Z0-9]+", "_", self.id.upper()).strip("_")

    @property
    def part(self) -> str:
        h = int(hashlib.sha256(self.id.encode()).hexdigest(), 16)
        return "tuning" if h % 2 == 0 else "held-back"


def entropy(s: str) -> float:
    counts = Counter(s)
    return -sum(n / len(s) * math.log2(n / len(s)) for n in counts.values())


@cache
def rules() -> tuple[Rule, ...]:
    with gzip.open(SECRETS / "gitleaks" / "gitleaks.toml.gz", "rt", encoding="utf-8") as f:
        cfg = tomllib.loads(f.read())
    glob = cfg.get("allowlist", {})
    global_allow = tuple(_compile(p) for p in glob.get("regexes", []))
    global_stop = tuple(glob.get("stopwords", []))
    out = []
    for r in cfg["rules"]:
        if r["id"] in _SKIP or "regex" not in r or not r.get("keywords"):
            continue
        pat, flags = python_pattern(r["regex"])
        allow = list(global_allow)
        stop = list(global_stop)
        for al in r.get("allowlists", []):
            allow += [_compile(p) for p in al.get("regexes", [])]
            stop += al.get("stopwords", [])
        out.append(Rule(
            id=r["id"], keyword=r["keywords"][0], regex=re.compile(pat, flags),
            generator=Generator(pat, flags), group=r.get("secretGroup"),
            entropy=float(r.get("entropy", 0)), allow=tuple(allow), stopwords=tuple(stop),
            keywords=tuple(r["keywords"]),
        ))
    return tuple(out)


def _compile(p: str) -> re.Pattern[str]:
    pat, flags = python_pattern(p)
    return re.compile(pat, flags)


def secret_of(rule: Rule, m: re.Match[str]) -> str:
    if rule.group is not None:
        return m.group(rule.group) or ""
    for g in m.groups():
        if g:
            return g
    return m.group(0)


def draw(rule: Rule, rng: random.Random) -> tuple[str, str] | None:
    """(the generated match, the secret inside it) that gitleaks would report, or None."""
    for _ in range(40):
        text = _with_keyword(rule, rule.generator(rng))
        m = rule.regex.search(text)
        if not m:
            continue
        secret = secret_of(rule, m).strip()
        if len(secret) < 8 or entropy(secret) < rule.entropy:
            continue
        if any(a.search(secret) for a in rule.allow):
            continue
        if any(w.lower() in secret.lower() for w in rule.stopwords):
            continue
        return text, secret
    return None


def _with_keyword(rule: Rule, text: str) -> str:
    """The generated text with a keyword that the regex's ``.`` drew as another character
    written as the keyword (``hooksXslackYcom`` -> ``hooks.slack.com``), as tokens are."""
    for k in rule.keywords:
        if "." in k and k.lower() not in text.lower():
            pat = re.compile(".".join(re.escape(p) for p in k.split(".")), re.I)
            text = pat.sub(lambda _m, k=k: k, text, count=1)
    return text


def found(rule: Rule, text: str, secret: str) -> bool:
    """The rule reports exactly this secret somewhere in ``text``."""
    return any(secret_of(rule, m).strip() == secret for m in rule.regex.finditer(text))


def for_part(part: str) -> list[Rule]:
    return [r for r in rules() if r.part == part]


def contexts(rule: Rule, secret: str, raw: str) -> list[str]:
    """Lines that bind the secret to the rule's keyword, in several syntaxes; the raw match last.

    A token that carries its own prefix needs no keyword; one that gitleaks only recognizes by
    its keyword gets it as part of the variable name, as people write them.
    """
    kw = re.sub(r"[^A-Za-z0-9]+", "_", rule.keyword).strip("_") or "api"
    upper = kw.upper()
    return [
        f'{upper}_TOKEN="{secret}"',
        f"{kw}_api_key: {secret}",
        f'"{kw}_secret": "{secret}",',
        f"export {upper}_KEY={secret}",
        raw,
    ]
