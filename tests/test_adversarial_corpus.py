"""The measuring instruments themselves: the adversarial generator, the public-code corpus and the
token comparison behind over-anonymization. No gateway here (tests/test_measure_gates.py runs
them through one)."""

from __future__ import annotations

import gzip
import json
import random
import re
from collections import Counter

import pytest

from proxy.evaluation.adversarial import (
    FAMILIES,
    PARTS,
    fam_provider_wire,
    families,
    generate,
    providers,
)
from proxy.evaluation.adversarial.national_ids import BY_LANGUAGE, valid
from proxy.evaluation.adversarial.regexgen import Generator, python_pattern
from proxy.evaluation.code_tokens import IDENTIFIER, KEYWORD, PUBLIC, classify, compare, parses
from proxy.evaluation.corpus import upstream_text
from proxy.evaluation.public_code import code_of, load_public_code, message
from proxy.testing.data import PUBLIC_CODE

SEEDS = (0, 1, 2)


@pytest.fixture(scope="module")
def corpora() -> dict[tuple[str, int], list[dict]]:
    return {(part, seed): generate(part, seed, 4) for part in PARTS for seed in SEEDS}


def test_every_class_has_a_tuning_and_a_held_back_family_and_no_family_is_in_both():
    classes = {f.klass for f in FAMILIES}
    for klass in classes:
        parts = {f.part for f in FAMILIES if f.klass == klass}
        assert parts == set(PARTS), klass
    assert len({f.name for f in FAMILIES}) == len(FAMILIES)
    # the tuning part may grow (families written to tune a class further); the held-back part
    # keeps at least one family per class, so it still measures every class
    sizes = {p: len(families(p)) for p in PARTS}
    assert sizes["held-back"] >= len(classes)
    assert sizes["tuning"] >= sizes["held-back"]


def test_the_same_seed_gives_the_same_corpus_and_another_seed_fresh_values(corpora):
    again = generate("held-back", 1, 4)
    assert json.dumps(again) == json.dumps(corpora[("held-back", 1)])
    a = {s["text"] for r in corpora[("held-back", 1)] for s in r["sensitive"]}
    b = {s["text"] for r in corpora[("held-back", 2)] for s in r["sensitive"]}
    assert len(a & b) < 0.05 * len(a)


def test_records_follow_the_dev_corpus_format(corpora):
    for records in corpora.values():
        ids = [r["id"] for r in records]
        assert len(ids) == len(set(ids))
        for r in records:
            assert set(r) == {"id", "language", "scenario", "messages", "policy", "sensitive",
                              "public", "tags"}
            texts = upstream_text(r)
            lowered = [t.lower() for t in texts]
            for s in r["sensitive"]:
                assert s["kind"] in ("secret", "pii", "term", "identifier")
                assert re.fullmatch(r"[A-Z0-9_]+", s["type"]), s["type"]
                if s["kind"] == "term":
                    assert any(s["text"].lower() in t for t in lowered)
                else:
                    assert any(s["text"] in t for t in texts), (r["id"], s)
            assert len({s["text"] for s in r["sensitive"]}) == len(r["sensitive"])
            for p in r["public"]:
                assert any(p in t for t in texts)
                assert not any(s["text"] in p for s in r["sensitive"])
            calls = [tc["id"] for m in r["messages"] for tc in m.get("tool_calls") or ()]
            answered = [m["tool_call_id"] for m in r["messages"] if m["role"] == "tool"]
            assert sorted(calls) == sorted(answered)


def test_each_part_plants_every_kind_and_public_strings(corpora):
    for part in PARTS:
        records = corpora[(part, 0)]
        kinds = Counter(s["kind"] for r in records for s in r["sensitive"])
        assert set(kinds) == {"secret", "pii", "term", "identifier"}, part
        assert sum(len(r["public"]) for r in records) > 100


def test_provider_tokens_are_what_gitleaks_itself_reports(corpora):
    rules = {r.type: r for r in providers.rules()}
    seen = 0
    for part in PARTS:
        own = {r.type for r in providers.for_part(part)}
        for r in corpora[(part, 0)]:
            if not r["id"].startswith("adv-provider_"):
                continue
            joined = "\n".join(upstream_text(r)) + "\n"
            for s in r["sensitive"]:
                if r["id"].startswith("adv-provider_wire") and s["type"] not in rules:
                    continue  # its AWS secrets in pieces, and their key ids
                rule = rules[s["type"]]
                assert s["type"] in own, "a held-back provider leaked into tuning or back"
                assert providers.entropy(s["text"]) >= rule.entropy
                # provider_wire hands tokens to code under names that may not say the provider:
                # gitleaks reports each bound to its keyword, if not where it stands
                assert providers.found(rule, joined, s["text"]) or (
                    r["id"].startswith("adv-provider_wire")
                    and fam_provider_wire.reportable(rule, s["text"])), (rule.id, s["text"])
                seen += 1
    assert seen > 50
    tuning = {r.id for r in providers.for_part("tuning")}
    held = {r.id for r in providers.for_part("held-back")}
    assert not tuning & held and len(tuning) > 80 and len(held) > 80


def test_a_keyword_the_regex_writes_with_wildcards_is_drawn_as_written():
    # gitleaks runs slack-webhook-url only where "hooks.slack.com" stands, though its regex's
    # dots match any character: a token drawn as hooksXslackYcom is none it would report
    rule = next(r for r in providers.rules() if r.id == "slack-webhook-url")
    for k in range(10):
        drawn = providers.draw(rule, random.Random(k))
        assert drawn is not None and "hooks.slack.com/" in drawn[0]


def test_the_regex_generator_draws_matches_of_rules_written_for_go():
    rng = random.Random(3)
    for pattern in [r"(?i)\b(p8e-(?i)[a-z0-9]{32})(?:[\x60'\"\s;]|$)",
                    r"\bpat[[:alnum:]]{14}\.[a-f0-9]{64}\b",
                    r"AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}"]:
        pat, flags = python_pattern(pattern)
        gen, rx = Generator(pat, flags), re.compile(pat, flags)
        for _ in range(20):
            assert rx.search(gen(rng))


@pytest.mark.parametrize("example", [
    ("CN_RESIDENT_ID", "110101199003074514"), ("JP_MY_NUMBER", "1234 5678 9018"),
    ("ES_DNI", "12345678Z"), ("BR_CPF", "529.982.247-25"), ("DE_TAX_ID", "86095742719"),
    ("RU_SNILS", "112-233-445 95"), ("FR_NIR", "2 55 08 14 168 025 38")])
def test_national_identifiers_check_digits_match_published_examples(example):
    type_, text = example
    assert valid(type_, text)
    last = text[-1]
    wrong = text[:-1] + ("0" if last != "0" else "1")
    assert not valid(type_, wrong)


def test_generated_national_identifiers_are_valid():
    rng = random.Random(5)
    for make in BY_LANGUAGE.values():
        for _ in range(50):
            assert valid(*make(rng))


# -- the token comparison ------------------------------------------------------------------------

def test_identifiers_defined_in_the_file_are_told_from_public_ones():
    code = ("import torch.nn as nn\n\nclass Net(nn.Module):\n    def __init__(self, width):\n"
            "        self.conv1 = nn.Conv2d(1, width, 3)\n")
    kinds = {t.text: t.kind for t in classify("python", code)}
    assert kinds["Conv2d"] == PUBLIC and kinds["Module"] == PUBLIC
    assert kinds["conv1"] == IDENTIFIER and kinds["width"] == IDENTIFIER
    assert kinds["Net"] == IDENTIFIER


def test_compare_counts_a_renamed_api_and_a_renamed_directive_not_a_comment():
    code = "#ifndef A_H\n#define A_H\n/* by Jane Roe */\nint conv1 = memcpy_s(0);\n#endif\n"
    after = code.replace("memcpy_s", "mexdrop_s").replace("#endif", "#enxif").replace(
        "Jane Roe", "Ada Poe")
    ch = compare("c", code, after)
    assert ch.changed[PUBLIC] == 1 and ch.changed[KEYWORD] == 1
    assert ("public", "memcpy_s", "mexdrop_s") in ch.renamed
    assert compare("c", code, code).changed == dict.fromkeys(ch.changed, 0)


# -- the public-code corpus ---------------------------------------------------------------

def test_public_code_files_carry_provenance_and_licences():
    records = load_public_code(PUBLIC_CODE)
    assert 40 <= len(records) <= 60
    assert len({r["language"] for r in records}) >= 8
    provenance = (PUBLIC_CODE.parent / "PROVENANCE.md").read_text()
    licences = PUBLIC_CODE.parent / "licenses"
    for r in records:
        assert f"`{r['path']}`" in provenance, r["path"]
        slug = r["path"].split("/")[1]
        assert (licences / slug / "LICENSE").is_file() or "Apache-2.0" in r["licence"], slug
    with gzip.open(PUBLIC_CODE, "rt") as f:
        assert sum(1 for _ in f) == len(records)


def test_public_code_originals_parse_and_their_fences_come_back():
    records = load_public_code(PUBLIC_CODE)
    unparsed = [r["path"] for r in records if parses(r["language"], r["text"]) is False]
    assert not unparsed
    for r in records[:5]:
        assert code_of(message(r, "fenced"), "fenced") == r["text"].rstrip("\n") + "\n"
