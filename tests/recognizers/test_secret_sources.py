"""Secrets from gitleaks' rule set, ids bound to secret names, and base64-encoded secrets.

Fake values are built at run time from a seeded RNG, so this file holds no secret-looking
literals.
"""

from __future__ import annotations

import base64
import dataclasses
import gzip
import json
import random
import re
import string

import pytest

from proxy.policy import default_policy_path, load_policy
from proxy.testing.data import SECRETS
from proxy.veil.engine import Veil
from recognizers.secrets import SecretRecognizer, gitleaks
from recognizers.secrets.encoded import MAX_DEPTH, decode_text

R = SecretRecognizer()
HEX = "0123456789abcdef"
ALNUM = string.ascii_letters + string.digits
_rng = random.Random(20261207)


def rand(n: int, alphabet: str = ALNUM) -> str:
    while True:
        v = "".join(_rng.choice(alphabet) for _ in range(n))
        if alphabet != ALNUM or (re.search("[0-9]", v) and re.search("[a-z]", v)
                                 and re.search("[A-Z]", v)):
            return v


def found(text: str) -> set[str]:
    return {text[f.start:f.end] for f in R.analyze(text)}


def b64(s: str) -> str:
    return base64.b64encode(s.encode()).decode()


# -- gitleaks' rule set ---------------------------------------------------------------------------

def test_every_gitleaks_rule_translates_or_is_left_out_on_purpose():
    raw = gzip.decompress(
        (gitleaks.resources.files("recognizers.rules") / "gitleaks.toml.gz").read_bytes())
    total = len(gitleaks.tomllib.loads(raw.decode())["rules"])
    assert total == 222
    failed = {k: v for k, v in gitleaks.SKIPPED.items() if k not in gitleaks.BY_CHOICE}
    assert failed == {}  # RE2 constructs the translation does not handle yet
    assert len(gitleaks.TRANSLATED) == total - len(gitleaks.BY_CHOICE) == 217
    assert gitleaks.RULES == gitleaks.TRANSLATED + gitleaks.BY_PREFIX


def test_a_token_prefix_of_its_own_is_evidence_without_the_provider_name():
    by_id = {r.id: r for r in gitleaks.BY_PREFIX}
    assert {"typeform-api-token", "new-relic-browser-api-token", "lob-api-key"} <= set(by_id)
    assert "github-pat" not in by_id  # its rule starts at the prefix already
    tf = "tfp_" + rand(59, "abcdefghijklmnopqrstuvwxyz0123456789-_.=")
    nr = "NRJS-" + rand(19, HEX)
    lob = "live_" + rand(35, HEX)
    text = f'const formsKey = "{tf}";\nexport BROWSER_KEY={nr}\nString testKey = "{lob}";'
    assert {tf, nr, lob} <= found(text)
    # a longer run that only starts with a prefix (an identifier, a piece of a token) is not it
    assert not found(f"x = live_{rand(35, HEX)}{rand(10)}\n")
    assert not found("LIVE_KEY_ROTATION_ENABLED_FOR_ALL_TENANTS_AND_REGIONS=1")


@pytest.mark.parametrize(("go", "py"), [
    (r"\b(p8e-(?i)[a-z0-9]{32})(?:x|$)", r"\b(p8e-(?i:[a-z0-9]{32}))(?:x|$)"),
    (r"a(?i)b|c", r"a(?i:b|c)"),
    (r"(?i)[\w.-]{0,50}?(?:lob)x", r"(?i)(?:lob)x"),
    (r"pat[[:alnum:]]{14}", r"pat[a-zA-Z0-9]{14}"),
    (r"(?:\s|\z)", r"(?:\s|\Z)"),
    (r"[[:alpha:]\[]", r"[a-zA-Z\[]"),
])
def test_re2_translation(go, py):
    assert gitleaks.translate(go) == py
    re.compile(py)


def test_translation_refuses_what_re_cannot_mean():
    with pytest.raises(gitleaks.TranslationError):
        gitleaks.translate(r"\p{Greek}+")


def _upstream(kind: str) -> list[dict]:
    with gzip.open(SECRETS / "gitleaks" / "rule_examples_upstream.jsonl.gz", "rt") as f:
        return [r for r in map(json.loads, f) if r["kind"] == kind]


# true-positive rows that hold a bare value without the rule's keyword or context
_NO_CONTEXT = {"gcp-service-account", "messagebird-client-id", "snyk-api-token",
               "sonar-api-token", "generic-api-key", "pkcs12-file"}


def test_gitleaks_true_positives_are_found():
    missed = {r["rule_id"] for r in _upstream("tp") if not R.analyze(r["text"])}
    assert missed <= _NO_CONTEXT


# upstream "fp" rows that the rules flag here, and why that is right in a prompt: gitleaks
# limits these rules to a file path (``path = '\\.tf$'``), which a prompt does not have, or the
# row holds a token of another format that its own rule reports
_FP_EXPECTED = {"hashicorp-tf-password", "nuget-config-password", "freemius-secret-key",
                "anthropic-api-key", "anthropic-admin-api-key", "curl-auth-header"}


def rule_types(text: str, *rule_ids: str) -> list[str]:
    """The types the named gitleaks rules report in ``text``."""
    idx = [[r.id for r in gitleaks.RULES].index(rid) for rid in rule_ids]
    out: list[str] = []
    gitleaks.scan_gitleaks(text, text.lower(), idx, lambda s, e, t: out.append(t))
    return out


def test_gitleaks_false_positives_stay_out():
    flagged = set()
    for row in _upstream("fp"):
        low = row["text"].lower()
        ids = [r.id for r in gitleaks.RULES if any(k in low for k in r.keywords)]
        if rule_types(row["text"], *ids):
            flagged.add(row["rule_id"])
    assert flagged <= _FP_EXPECTED


def _provider_lines() -> list[tuple[str, str]]:
    h = lambda n: rand(n, HEX)  # noqa: E731
    pat = "pat" + rand(14) + "." + h(64)
    return [
        (f"AIRTABLE_TOKEN={pat}", pat),
        (f"NEW_RELIC_BROWSER_KEY=NRJS-{h(19)}", None),
        (f"gocardless_token: live_{rand(40, string.ascii_lowercase + string.digits)}", None),
        (f"LOB_API_KEY=test_{h(35)}", None),
        (f'"BUNDLE_ENTERPRISE__CONTRIBSYS__COM": "{h(8)}:{h(8)}"', None),
        (f"asana_client_id = {rand(16, string.digits)}", None),
        (f"curl -u deploy:{rand(14)} https://ci.example.com/api", None),
        (f"SONAR_TOKEN=squ_{rand(40, string.ascii_lowercase + string.digits)}", None),
    ]


@pytest.mark.parametrize(("line", "value"), _provider_lines())
def test_provider_formats_from_gitleaks(line, value):
    got = found(line)
    assert got, line
    if value:
        assert value in got


def test_a_rule_runs_only_where_its_keyword_occurs():
    pair = f"{rand(8, HEX)}:{rand(8, HEX)}"
    assert found(f"BUNDLE_ENTERPRISE__CONTRIBSYS__COM={pair}\n")
    assert not found(f"release={pair}\n")  # the same value, no keyword: no rule runs


def test_entropy_limit_and_allowlists_apply():
    assert gitleaks.RULES[[r.id for r in gitleaks.RULES].index("twilio-api-key")].entropy == 3
    assert rule_types("key SK" + "ab" * 16 + " end", "twilio-api-key") == []  # 1 bit per char
    assert rule_types("key SK" + rand(32, HEX) + " end", "twilio-api-key") == ["TWILIO_API_KEY"]
    # the rule's allowlist: ...EXAMPLE
    assert rule_types("AKIAIOSFODNN7EXAMPLE", "aws-access-token") == []


def test_leading_word_boundary_is_kept():
    token = "AKIA" + rand(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    for text, want in ((f"t={token} ", 1), (f"x{token} ", 0), (f"{token} ", 1)):
        assert len(rule_types(text, "aws-access-token")) == want, text


def test_a_piece_of_a_longer_token_is_not_the_format():
    body = rand(20, ALNUM + "_-")
    assert rule_types(f"t = glsoat-{body}\\n", "gitlab-scim-token") == ["GITLAB_SCIM_TOKEN"]
    assert rule_types(f"t = glsoat-{body}{rand(30)}\\n", "gitlab-scim-token") == []


def test_required_literals_prefilter():
    lob = gitleaks.RULES[[r.id for r in gitleaks.RULES].index("lob-api-key")]
    assert lob.needs == ("lob",)  # keywords test_/live_; the pattern also needs the name
    k8s = gitleaks.RULES[[r.id for r in gitleaks.RULES].index("kubernetes-secret-yaml")]
    assert set(k8s.needs) == {"kind:", "data:"}
    assert rule_types(f"LOB_API_KEY=test_{rand(35, HEX)}\n", "lob-api-key")
    assert not rule_types(f"KEY=test_{rand(35, HEX)}\n", "lob-api-key")


def test_kubernetes_secret_rule_replaces_the_value_not_the_key():
    text = f"kind: Secret\ndata:\n  api.cfg: {rand(24)}\n"
    assert [text[f.start:f.end] for f in R.analyze(text)] == [text.split(": ")[-1].strip()]


# -- ids bound to secret names --------------------------------------------------------------------

SID = "AC" + rand(32, HEX)
KID = rand(40, HEX)


@pytest.mark.parametrize("text", [
    f'{{"account_sid": "{SID}", "private_key_id": "{KID}"}}',
    f"creds:\n  account_sid: {SID}\n  private_key_id: {KID}\n",
    f'account_sid = "{SID}"\nprivate_key_id = "{KID}"\n',
    f"[twilio]\naccount_sid = {SID}\nprivate_key_id = {KID}\n",
    f"TWILIO_ACCOUNT_SID={SID}\nGCP_PRIVATE_KEY_ID={KID}\n",
    f"twilio.account-sid={SID}\ngcp.private-key-id={KID}\n",
    f"<account_sid>{SID}</account_sid>\n<private_key_id>{KID}</private_key_id>",
    f'  account_sid = "{SID}"\n  private_key_id = "{KID}"\n',
    f"ENV ACCOUNT_SID={SID} PRIVATE_KEY_ID={KID}",
    f"./notify --account-sid {SID} --private-key-id={KID}",
    f"client = Client(account_sid='{SID}', private_key_id='{KID}')",
])
def test_account_and_key_ids_in_every_syntax(text):
    assert {SID, KID} <= found(text)


@pytest.mark.parametrize("text", [
    "account_sid = os.environ['TWILIO_ACCOUNT_SID']",
    "account_sid: ${TWILIO_ACCOUNT_SID}",
    "account_sid: <your-account-sid>",
    "private_key_id = creds.private_key_id",
    "session_id = 42",
    "sid: user_profile_2024_v1",
    "account_sid = 'ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'",
    "key_id = 0123456789abcdef0123",  # the id of any key: not a secret by its name
    "Consider the side effects inside the handler.",
])
def test_ids_that_stay(text):
    assert found(text) == set()


def test_b64_suffix_keeps_the_key_meaning():
    pw = b64(rand(12) + "!#")
    assert found(f"SMTP_PASSWORD_B64={pw}\n") == {pw}
    assert found(f"smtpPasswordBase64: '{pw}'") == {pw}


# -- base64-encoded secrets -----------------------------------------------------------------------

def _pem() -> str:
    body = "\n".join(rand(64, ALNUM + "+/") for _ in range(3))
    return f"-----BEGIN EC PRIVATE KEY-----\n{body}\n-----END EC PRIVATE KEY-----\n"


def _service_account() -> str:
    return json.dumps({"type": "service_account", "private_key_id": rand(40, HEX),
                       "private_key": _pem().replace("EC ", "")})


@pytest.mark.parametrize("make", [
    lambda blob: f"users:\n- name: ci\n  user:\n    client-key-data: {blob}\n",
    lambda blob: f"GCP_SA_KEY_B64={blob}\n",
    lambda blob: f"echo {blob} | base64 -d > key.pem",
    lambda blob: f'{{"data": {{"tls.key": "{blob}"}}}}',
])
@pytest.mark.parametrize("inner", [_pem, _service_account,
                                   lambda: "glpat-" + rand(20)])
def test_base64_blob_holding_a_secret_is_replaced_whole(make, inner):
    blob = b64(inner())
    assert blob in found(make(blob))


def test_url_safe_and_unpadded_blobs():
    raw = ("token: ghp_" + rand(36)).encode()
    for blob in (base64.urlsafe_b64encode(raw).decode().rstrip("="),
                 base64.b64encode(raw).decode().rstrip("=")):
        assert decode_text(blob) is not None
        assert blob in found(f"cfg = {blob}\n")


def test_nesting_is_bounded():
    blob = "ghp_" + rand(36)
    for _ in range(MAX_DEPTH):
        blob = b64(blob)
    assert blob in found(f"x = {blob}\n")  # decoded MAX_DEPTH times: found
    deeper = b64(blob)
    assert deeper not in found(f"x = {deeper}\n")  # one more: not chased


@pytest.mark.parametrize("text", [
    f"payload = {b64('hello world, this is a plain config value')}\n",
    f"icon = {base64.b64encode(bytes(range(200))).decode()}\n",  # binary: not text
    "getUserAccountNameForDisplayPurposes2 = 1\n",
    "value = SGVsbG8gV29ybGQgZnJvbSBhIHRlc3Q=\n",
    f"config_b64 = {b64('user: ${DB_USER} password: ${DB_PASSWORD}')}\n",
])
def test_blobs_that_stay(text):
    assert found(text) == set()


def test_veil_restores_an_encoded_secret_exactly():
    blob = b64(_service_account())
    text = f"My .env:\nGCP_SA_KEY_B64={blob}\nand it fails to load."
    veil = Veil(load_policy(default_policy_path()), b"k" * 32)
    (anon,), mapping = veil.anonymize([text])
    assert blob not in anon and "GCP_SA_KEY_B64=" in anon
    assert mapping.restore(anon) == text


def test_trying_anchored_rules_at_their_keywords_finds_what_a_scan_finds():
    texts = [r["text"] for r in _upstream("tp") + _upstream("fp")]
    texts.append(" ".join(texts))
    checked = 0
    for rule in gitleaks.RULES:
        if not rule.anchors:
            continue
        scan = dataclasses.replace(rule, anchors=())
        for text in texts:
            low = text.lower()
            want = [m.span() for m in gitleaks._matches(scan, text, low)]
            assert [m.span() for m in gitleaks._matches(rule, text, low)] == want, rule.id
            checked += bool(want)
    assert checked >= 100


def test_a_uuid_session_id_is_a_correlation_id_not_a_secret():
    from recognizers.secrets import SecretRecognizer

    r = SecretRecognizer()
    meta = '{"session_id":"01a250d3-c137-7543-9fa8-132aa8663bff","turn":3}'
    assert not r.analyze(meta)
    sid = "5f2a9c0e7b4d1a8f3e6c9b2d0a7f4e1c"  # a Rails session id
    cookie = f'session_id = "{sid}"'
    assert [cookie[f.start:f.end] for f in r.analyze(cookie)] == [sid]
