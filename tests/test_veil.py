"""The veil engine: what it replaces, with what, and that every request restores exactly."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proxy.policy import Policy
from proxy.veil.engine import Blocked, Veil

KEY = b"k" * 32
POLICY = Policy(
    terms=("Quorvex", "Nimbral", "Stellan Labs", "qvtools"),
    internal_domains=("corp.quorvex.internal", "quorvex-int.net"),
)
GH = "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"
AWS = "AKIA" + "Q7ZB3XK2MV4PLT9R"


@pytest.fixture(scope="module")
def veil() -> Veil:
    return Veil(POLICY, KEY)


def test_terms_in_every_convention_are_replaced_keeping_case(veil):
    text = (
        "QuorvexBillingClient quorvex_ledger QUORVEX_URL createQuorvexStore quorvex-sync "
        "@quorvex/ui-kit Stellan Labs stellan_labs StellanLabs qvtools.billing"
    )
    (anon,), mapping = veil.anonymize([text])
    assert "quorvex" not in anon.lower() and "stellan" not in anon.lower()
    assert "qvtools" not in anon.lower()
    word = re.match(r"([A-Z][a-z]+)BillingClient", anon).group(1)
    assert f"{word.lower()}_ledger" in anon and f"{word.upper()}_URL" in anon
    assert f"create{word}Store" in anon and f"@{word.lower()}/ui-kit" in anon
    two = re.search(r" ([A-Z][a-z]+) ([A-Z][a-z]+) ([a-z]+)_([a-z]+) ", anon)
    assert two and two.group(1).lower() == two.group(3) and two.group(2).lower() == two.group(4)
    assert mapping.restore(anon) == text


def test_hosts_under_internal_domains_keep_their_shape(veil):
    text = "psql -h db03.corp.quorvex.internal; curl https://build-7.quorvex-int.net/api"
    (anon,), _ = veil.anonymize([text])
    assert re.search(r"db03\.corp\.[a-z]+\.internal", anon)
    assert re.search(r"https://build-7\.[a-z]+-int\.net/api", anon)
    assert "quorvex" not in anon


def test_same_value_same_dummy_across_requests_and_keys_differ(veil):
    a, _ = veil.anonymize([f"key {AWS} for Quorvex"])
    b, _ = veil.anonymize([f"again: {AWS}, and Quorvex"])
    dummy = re.search(r"AKIA[A-Z0-9]{16}", a[0]).group()
    assert dummy != AWS and dummy in b[0]
    other, _ = Veil(POLICY, b"another tenant key").anonymize([f"key {AWS} for Quorvex"])
    assert dummy not in other[0]


def test_dummies_never_collide_with_request_text(veil):
    (anon,), _ = veil.anonymize(["Quorvex"])
    taken = anon
    # The dummy the key would give is already in the request: a different one is chosen.
    text = f"Quorvex and {taken} are different companies"
    (anon2,), mapping = veil.anonymize([text])
    assert anon2.count(taken) == 1
    assert mapping.restore(anon2) == text


def test_distinct_values_never_share_a_dummy(veil):
    emails = [f"user{i}@example.org" for i in range(40)]
    (anon,), mapping = veil.anonymize([" ".join(emails)])
    dummies = anon.split()
    assert len(set(dummies)) == 40 and not set(dummies) & set(emails)
    assert mapping.restore(anon) == " ".join(emails)


def test_json_escaped_values_in_tool_arguments(veil):
    pem = (
        "-----BEGIN RSA PRIVATE KEY-----\n"
        "MIIEowIBAAKCAQEA7bq9x0Yb2uJkq3ZcL8Hs5PdRt1VwXe9fKa2mN4pQr6Ts\n"
        "-----END RSA PRIVATE KEY-----"
    )
    args = json.dumps({"path": "/srv/quorvex/key.pem", "content": pem, "token": GH})
    (anon,), mapping = veil.anonymize([args])
    decoded = json.loads(anon)
    assert "MIIEowIBAAKCAQEA7bq9x0Yb2uJkq3ZcL8Hs5PdRt1VwXe9fKa2mN4pQr6Ts" not in anon
    assert decoded["content"].startswith("-----BEGIN RSA PRIVATE KEY-----\n")
    assert GH not in anon and "quorvex" not in anon
    assert mapping.restore(anon) == args


def test_derived_case_variants_of_a_term_dummy_map_back(veil):
    (anon,), mapping = veil.anonymize(["class QuorvexClient: pass"])
    word = re.match(r"class ([A-Z][a-z]+)Client", anon).group(1)
    answer = f"Set {word.upper()}_URL and use {word.lower()}_client = {word}Client()"
    assert mapping.restore(answer) == "Set QUORVEX_URL and use quorvex_client = QuorvexClient()"


def test_block_and_redact_actions():
    blocking = Policy(actions={"AWS_ACCESS_KEY_ID": "block"})
    with pytest.raises(Blocked) as err:
        Veil(blocking, KEY).anonymize([f"aws {AWS}"])
    assert err.value.types == ["AWS_ACCESS_KEY_ID"]
    redacting = Veil(Policy(actions={"pii": "redact"}), KEY)
    (anon,), mapping = redacting.anonymize(["mail ops.lead@example.org now"])
    assert anon == "mail [EMAIL] now"
    assert mapping.restore(anon) == anon  # a redaction is never restored


def test_allow_list_and_disabled_categories_are_untouched():
    veil = Veil(
        Policy(
            terms=("Quorvex",),
            allow=frozenset({"ops@example.org"}),
            categories={"secret": True, "pii": True, "term": False},
        ),
        KEY,
    )
    text = "Quorvex support: ops@example.org, dev@example.org"
    (anon,), _ = veil.anonymize([text])
    assert anon.startswith("Quorvex support: ops@example.org, ")
    assert "dev@example.org" not in anon


def test_a_value_found_once_is_replaced_everywhere(veil):
    text = 'DB_PASSWORD="Tulip!Marlin58"\nmysql -u etl -pTulip!Marlin58 ledger'
    (anon,), _ = veil.anonymize([text])
    assert "Tulip!Marlin58" not in anon


def test_public_code_is_left_alone(veil):
    code = (
        "import requests, json\n\ndef get_account(session, account_id: str) -> dict:\n"
        "    r = requests.get(f'/accounts/{account_id}', timeout=10)\n"
        "    r.raise_for_status()\n    return json.loads(r.text)\n"
    )
    (anon,), _ = veil.anonymize([code])
    assert anon == code


words = st.sampled_from(
    [
        "Quorvex",
        "quorvex_api",
        "QUORVEX",
        "Stellan Labs",
        "qvtools",
        AWS,
        GH,
        "ops.lead@example.org",
        "10.20.30.40",
        "db1.corp.quorvex.internal",
        "the",
        "def",
        "x",
        " ",
        "\n",
        "_",
        "-",
        ".",
        "Kelva",
        "json.loads",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(words, max_size=25), st.lists(words, max_size=10))
def test_anonymize_then_restore_is_identity(veil, first, second):
    # Glued together (restoration only) and separated by spaces (nothing may leak either).
    texts = ["".join(first), " ".join(first), " ".join(second)]
    anon, mapping = veil.anonymize(texts)
    assert [mapping.restore(a) for a in anon] == texts
    for a in anon[1:]:
        assert AWS not in a and GH not in a and "ops.lead@example.org" not in a
        assert "quorvex" not in a.lower()


def test_a_value_found_escaped_and_decoded_has_one_dummy(veil):
    pem = (
        "-----BEGIN RSA PRIVATE KEY-----\n"
        "MIIEowIBAAKCAQEA7bq9x0Yb2uJkq3ZcL8Hs5PdRt1VwXe9fKa2mN4pQr6Ts\n"
        "-----END RSA PRIVATE KEY-----"
    )
    args = json.dumps({"content": pem})
    (in_json, in_text), mapping = veil.anonymize([args, f"key:\n{pem}"])
    dummy = json.loads(in_json)["content"]
    assert dummy != pem and in_text == f"key:\n{dummy}"
    # The model may quote the dummy in plain text or inside JSON: both come back.
    assert mapping.restore(f"use {dummy}") == f"use {pem}"
    assert mapping.restore(json.dumps({"k": dummy})) == json.dumps({"k": pem})


def test_a_verb_with_only_digits_is_still_renamed():
    # `handle_401` is a common verb and a number: keeping the verb would leave nothing to
    # replace, and the request was refused for want of a dummy.
    code = "def handle_401(r):\n    return r\n\nhandle_401(None)\n"
    veil = Veil(Policy(identifiers="all"), KEY)
    (anon,), mapping = veil.anonymize([code])
    assert "handle_401" not in anon
    assert mapping.restore(anon) == code


def test_a_name_whose_length_only_it_has_still_gets_another():
    # Faker's only two-letter first name is `Jo`: a same-length dummy would be the name itself,
    # and the request was refused for want of one.
    from proxy.veil.surrogates import Surrogates

    s = Surrogates(KEY)
    assert all(s.person_name("Jo", attempt).lower() != "jo" for attempt in range(5))
    assert all(s.person_name("Jo Li", attempt).split()[0] != "Jo" for attempt in range(5))
