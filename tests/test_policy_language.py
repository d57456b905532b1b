"""The policy language: actions, types, thresholds, restore, custom recognizers, allow lists,
extends, and every shipped policy is valid."""

from __future__ import annotations

from pathlib import Path

import pytest

from proxy.policy import Policy, PolicyError, check_policy, load_policy
from proxy.veil.engine import Blocked, Veil
from tests.conftest import REPO

KEY = b"p" * 32
AWS = "AKIA" + "Q7ZB3XK2MV4PLT9R"
PEM = (
    "-----BEGIN RSA PRIVATE KEY-----\n"
    "MIIEowIBAAKCAQEA7bq9x0Yb2uJkq3ZcL8Hs5PdRt1VwXe9fKa2mN4pQr6Ts\n"
    "-----END RSA PRIVATE KEY-----"
)


def veil_for(tmp: Path, text: str, name: str = "p.yaml") -> Veil:
    (tmp / name).write_text(text)
    return Veil(load_policy(tmp / name), KEY)


def test_monitor_records_but_changes_nothing(tmp_path):
    veil = veil_for(tmp_path, "actions: {pii: monitor}\n")
    text = f"mail ops.lead@example.org key {AWS}"
    (anon,), mapping = veil.anonymize([text])
    assert "ops.lead@example.org" in anon and AWS not in anon
    actions = {f.type: f.action for f in mapping.findings}
    assert actions["EMAIL"] == "monitor" and actions["AWS_ACCESS_KEY_ID"] == "pseudonymize"
    assert mapping.restore(anon) == text


def test_allow_action_ignores_a_type(tmp_path):
    veil = veil_for(tmp_path, "actions: {EMAIL: allow}\n")
    (anon,), mapping = veil.anonymize(["mail ops.lead@example.org"])
    assert anon == "mail ops.lead@example.org" and not mapping.findings


def test_redact_and_block_per_type(tmp_path):
    veil = veil_for(tmp_path, "actions: {EMAIL: redact, PRIVATE_KEY: block}\n")
    (anon,), _ = veil.anonymize(["mail ops.lead@example.org"])
    assert anon == "mail [EMAIL]"
    with pytest.raises(Blocked) as err:
        veil.anonymize([f"key:\n{PEM}"])
    assert "PRIVATE_KEY" in err.value.types


def test_types_off_and_thresholds(tmp_path):
    veil = veil_for(tmp_path, "types: {EMAIL: false}\n")
    (anon,), _ = veil.anonymize(["mail ops.lead@example.org from 10.20.30.40"])
    assert "ops.lead@example.org" in anon
    # A custom recognizer scoring 0.5 is ignored under a 0.8 threshold, kept under 0.4.
    rec = ("recognizers:\n  - {name: tk, type: TICKET, category: pii, pattern: 'TCK-\\d{4}', "
           "score: 0.5}\n")
    high = veil_for(tmp_path, rec + "thresholds: {TICKET: 0.8}\n")
    assert high.anonymize(["see TCK-1234"])[0] == ["see TCK-1234"]
    low = veil_for(tmp_path, rec + "thresholds: {pii: 0.4}\n")
    assert "TCK-1234" not in low.anonymize(["see TCK-1234"])[0][0]


def test_restore_false_keeps_the_dummy_in_answers(tmp_path):
    veil = veil_for(tmp_path, "restore: {secret: false}\nterms: [Quorvex]\n")
    (anon,), mapping = veil.anonymize([f"Quorvex key {AWS} mail ops.lead@example.org"])
    dummy_key = next(w for w in anon.split() if w.startswith("AKIA"))
    restored = mapping.restore(anon)
    assert dummy_key in restored and AWS not in restored
    assert "Quorvex" in restored and "ops.lead@example.org" in restored


def test_custom_regex_with_validation_context_and_group(tmp_path):
    veil = veil_for(tmp_path, """
recognizers:
  - name: emp
    type: EMPLOYEE_ID
    category: pii
    pattern: 'EMP-(\\d{6})'
    group: 1
    context: [employee, badge]
    context_window: 20
  - name: card
    type: LOYALTY_CARD
    category: pii
    pattern: '\\bLC\\d{10}\\b'
    validate: entropy>=2.5
""")
    (anon,), mapping = veil.anonymize(["employee EMP-123456 and order EMP-654321"])
    assert "EMP-" in anon and "123456" not in anon and "654321" in anon
    assert {f.type for f in mapping.findings} == {"EMPLOYEE_ID"}
    (anon,), _ = veil.anonymize(["cards LC0000000000 LC3819274650"])
    assert "LC0000000000" in anon and "LC3819274650" not in anon


def test_custom_luhn_and_iban_validation():
    from recognizers.custom import CustomRecognizer

    luhn = CustomRecognizer({"name": "c", "type": "CARD", "category": "pii",
                             "pattern": r"\d{16}", "validate": "luhn"})
    assert [f.start for f in luhn.analyze("4111111111111111 4111111111111112")] == [0]
    iban = CustomRecognizer({"name": "i", "type": "ACCT", "category": "pii",
                             "pattern": r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", "validate": "iban"})
    assert len(iban.analyze("GB82WEST12345698765432 GB82WEST12345698765433")) == 1


def test_context_optional_with_lower_score():
    from recognizers.custom import CustomRecognizer

    r = CustomRecognizer({"name": "t", "type": "T", "category": "pii", "pattern": r"X\d{3}",
                          "context": ["ticket"], "score_without_context": 0.3})
    scores = sorted(f.score for f in r.analyze("ticket X123 ................. " * 1 + " " * 120
                                                + "X456"))
    assert scores == [0.3, 1.0]


def test_deny_lists_inline_and_from_file(tmp_path):
    (tmp_path / "names.txt").write_text("# customers\nInitech\n\nUmbrella Corp\n")
    veil = veil_for(tmp_path, """
recognizers:
  - name: customers
    type: CUSTOMER
    category: pii
    deny_list: [Globex]
    deny_list_file: names.txt
""")
    text = "Globex, initech and Umbrella Corp; not Initechnology"
    (anon,), mapping = veil.anonymize([text])
    assert "Globex" not in anon and "initech" not in anon and "Umbrella Corp" not in anon
    assert "Initechnology" in anon
    assert mapping.restore(anon) == text
    assert str(tmp_path / "names.txt") in load_policy(tmp_path / "p.yaml").files


def test_allow_list_protects_a_public_phrase(tmp_path):
    veil = veil_for(tmp_path, "terms: [Quorvex]\nallow: [Quorvex Cloud SDK, ops@example.org]\n")
    text = "Install the Quorvex Cloud SDK; Quorvex internal notes; ops@example.org"
    (anon,), mapping = veil.anonymize([text])
    assert anon.startswith("Install the Quorvex Cloud SDK; ")
    assert "Quorvex internal" not in anon and "ops@example.org" in anon
    assert mapping.restore(anon) == text


def test_identifier_mode_and_extends(tmp_path):
    (tmp_path / "base.yaml").write_text(
        "name: base\nterms: [Quorvex]\nactions: {secret: redact, pii: redact}\n"
        "recognizers:\n  - {name: r, type: A_ID, category: pii, pattern: 'AID\\d+'}\n"
    )
    (tmp_path / "team.yaml").write_text(
        "extends: base.yaml\nterms: [Nimbral]\nidentifiers: all\nactions: {pii: pseudonymize}\n"
        "recognizers:\n  - {name: r, type: B_ID, category: pii, pattern: 'BID\\d+'}\n"
    )
    team = load_policy(tmp_path / "team.yaml")
    assert team.name == "team" and team.terms == ("Quorvex", "Nimbral")
    assert team.actions == {"secret": "redact", "pii": "pseudonymize"}
    assert team.identifiers == "all" and [r["type"] for r in team.recognizers] == ["B_ID"]
    assert set(team.files) == {str(tmp_path / "team.yaml"), str(tmp_path / "base.yaml")}


def test_extends_errors(tmp_path):
    (tmp_path / "a.yaml").write_text("extends: b.yaml\n")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\n")
    with pytest.raises(PolicyError, match="circular extends"):
        load_policy(tmp_path / "a.yaml")
    (tmp_path / "c.yaml").write_text("terms: [Acme]\nextends: nothere.yaml\n")
    issues = check_policy(tmp_path / "c.yaml")
    assert [(i.line, i.key) for i in issues] == [(2, "extends")]


def test_tenant_policy_extends_a_base_in_config(tmp_path):
    from proxy.config import load_config

    (tmp_path / "base.yaml").write_text("terms: [Quorvex]\n")
    (tmp_path / "team.yaml").write_text("extends: base.yaml\nterms: [Nimbral]\n")
    (tmp_path / "config.yaml").write_text(
        "upstreams: [{base_url: 'http://127.0.0.1:9/v1'}]\npolicy: base.yaml\n"
        "tenants: {team: {policy: team.yaml}}\naudit: {path: data/audit.db}\n"
    )
    cfg = load_config(tmp_path / "config.yaml")
    assert cfg.tenants["team"].policy.terms == ("Quorvex", "Nimbral")


def test_policy_from_dict_still_works_in_code():
    p = Policy.from_dict({"terms": ["Acme"], "actions": {"EMAIL": "monitor"}})
    assert p.decide("EMAIL", "pii").action == "monitor"
    assert p.decide("X", "secret").rule == "default: pseudonymize"


SHIPPED = sorted(p for p in (REPO / "policies").rglob("*.yaml") if p.name != "cases.yaml")


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_policy_passes_check(path):
    assert check_policy(path) == []


def test_strict_and_monitor_policies_do_what_they_say():
    strict = Veil(load_policy(REPO / "policies" / "strict.yaml"), KEY)
    assert strict.policy.identifiers == "all"
    with pytest.raises(Blocked):
        strict.anonymize([PEM])
    (anon,), mapping = strict.anonymize([f"key {AWS}"])
    assert AWS not in mapping.restore(anon)
    monitor = Veil(load_policy(REPO / "policies" / "monitor.yaml"), KEY)
    text = f"key {AWS} mail ops.lead@example.org"
    (anon,), mapping = monitor.anonymize([text])
    assert anon == text and {f.action for f in mapping.findings} == {"monitor"}
