"""Every provider token rule in recognizers/rules/secrets.toml against its own examples."""

from __future__ import annotations

import re
import tomllib
from importlib import resources

import pytest

from recognizers.secrets import SecretRecognizer
from recognizers.secrets.tokens import RULES, RuleError, load_rules

SPECS = tomllib.loads(
    resources.files("recognizers.rules").joinpath("secrets.toml").read_text("utf-8")
)["rule"]
R = SecretRecognizer()
KEYWORDS = {r.id: set() for r in RULES}
for _r in RULES:
    KEYWORDS[_r.id].update(_r.keywords)


def _examples(field: str) -> list[tuple[str, str, str]]:
    return [(s["id"], s["type"], text) for s in SPECS for text in s.get(field, ())]


def test_ids_are_unique_kebab_case_and_every_rule_has_examples() -> None:
    ids = [s["id"] for s in SPECS]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", i) for i in ids)
    assert all(s.get("match") and s.get("no_match") for s in SPECS)


@pytest.mark.parametrize(("rid", "type_", "text"), _examples("match"),
                         ids=[f"{r}-{i}" for i, (r, _, _) in enumerate(_examples("match"))])
def test_rule_finds_its_match_examples(rid: str, type_: str, text: str) -> None:
    found = [f for f in R.analyze(text) if f.type == type_]
    assert found, f"{rid} missed {text!r}"
    low = text.lower()
    # the keyword that switched the rule on lies in the match or just before it (gitleaks #1746)
    assert any(kw in low[max(0, f.start - 40):f.end] for f in found for kw in KEYWORDS[rid])


@pytest.mark.parametrize(("rid", "type_", "text"), _examples("no_match"),
                         ids=[f"{r}-{i}" for i, (r, _, _) in enumerate(_examples("no_match"))])
def test_rule_leaves_its_no_match_examples(rid: str, type_: str, text: str) -> None:
    assert not [f for f in R.analyze(text) if f.type == type_], f"{rid} flagged {text!r}"


def test_a_rule_without_keywords_is_refused() -> None:
    with pytest.raises(RuleError, match="no keywords"):
        load_rules('[[rule]]\nid = "x"\ntype = "X"\nregex = "x_[a-z]{9}"\n')
    with pytest.raises(RuleError, match="unknown check"):
        load_rules('[[rule]]\nid = "x"\ntype = "X"\nkeywords = ["x_"]\nregex = "x_"\n'
                   'check = "nope"\n')
