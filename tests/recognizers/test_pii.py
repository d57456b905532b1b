"""PiiRecognizer: examples per type, corpus recall, precision on HumanEval and public strings."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from functools import cache
from itertools import pairwise

import pytest

from proxy.testing.data import CORPUS, HUMANEVAL
from recognizers.base import PII, Finding, Recognizer
from recognizers.pii import PiiRecognizer, iban_is_valid, luhn_is_valid

FULL_RECALL_TYPES = ("EMAIL", "PHONE", "IP_ADDRESS", "IPV6_ADDRESS", "CREDIT_CARD", "IBAN")
MY_TYPES = (*FULL_RECALL_TYPES, "USERNAME", "HOSTNAME")

R = PiiRecognizer()


def found(text: str) -> list[tuple[str, str]]:
    return [(text[f.start : f.end], f.type) for f in R.analyze(text)]


# --------------------------------------------------------------------------------------------
# Protocol
# --------------------------------------------------------------------------------------------


def test_protocol_and_finding_fields() -> None:
    recognizer: Recognizer = R
    assert recognizer.name == "pii"
    assert recognizer.category == PII
    findings = R.analyze("mail jdoe@example.org please")
    assert findings == [Finding(5, 21, "EMAIL", PII, "pii", 1.0)]
    assert R.analyze("") == []


def test_findings_are_sorted_and_disjoint() -> None:
    text = (
        "ssh jdoe@10.1.2.3; mail a.b@corp.example.com; call +44 7700 900123; "
        "card 4111 1111 1111 1111; iban DE89 3704 0044 0532 0130 00; TODO(jdoe): x"
    )
    findings = R.analyze(text)
    assert [f.type for f in findings] == [
        "USERNAME",
        "IP_ADDRESS",
        "EMAIL",
        "PHONE",
        "CREDIT_CARD",
        "IBAN",
        "USERNAME",
    ]
    for a, b in pairwise(findings):
        assert a.end <= b.start


# --------------------------------------------------------------------------------------------
# Positive examples: (text, [(value, type), ...]) exactly
# --------------------------------------------------------------------------------------------

POSITIVE = [
    # EMAIL
    ("Maintainer: Ana Ruiz <ana.ruiz@example-corp.com>", [("ana.ruiz@example-corp.com", "EMAIL")]),
    ('"email": "k_lee77@mail.co.uk",', [("k_lee77@mail.co.uk", "EMAIL")]),
    ("WHERE email LIKE '%jdoe@web.de%'", [("jdoe@web.de", "EMAIL")]),
    ("mailto:first.last+tag@sub.example.org.", [("first.last+tag@sub.example.org", "EMAIL")]),
    ("user=ops.lead@corp.example.net ip=", [("ops.lead@corp.example.net", "EMAIL")]),
    # PHONE: US
    ('phone: "(212) 517-8194",', [("(212) 517-8194", "PHONE")]),
    ('"phone": "737-315-8896"', [("737-315-8896", "PHONE")]),
    ("sms failed phone=737.728.4073 customer=x", [("737.728.4073", "PHONE")]),
    ("call +1 737-555-0163 now", [("+1 737-555-0163", "PHONE")]),
    ("on-call phone +15122762745\n", [("+15122762745", "PHONE")]),
    ("tel +1 (415) 555-0132", [("+1 (415) 555-0132", "PHONE")]),
    # PHONE: international
    ('"phone": "+91 95903 89983"', [("+91 95903 89983", "PHONE")]),
    ("+65 9164 4338", [("+65 9164 4338", "PHONE")]),
    ("phone=+55 11 94534-3634 customer", [("+55 11 94534-3634", "PHONE")]),
    ("phone=+33 6 60 36 31 33 customer", [("+33 6 60 36 31 33", "PHONE")]),
    ("|+44 7700 900735|2024-06-01T10:00:00Z|", [("+44 7700 900735", "PHONE")]),
    ("+52 55 8576 9146", [("+52 55 8576 9146", "PHONE")]),
    ("+61 495 303 692", [("+61 495 303 692", "PHONE")]),
    ("Büro: +49 30 1234567.", [("+49 30 1234567", "PHONE")]),
    ("|+81 3-3578-8880|", [("+81 3-3578-8880", "PHONE")]),
    # PHONE: national formats after a phone label
    ('"phone": "020 7946 0958",', [("020 7946 0958", "PHONE")]),
    ("Tel: 06 60 36 31 33", [("06 60 36 31 33", "PHONE")]),
    ("mobile_number=4155550132 ", [("4155550132", "PHONE")]),
    # IP_ADDRESS
    ('server at "db.internal" (192.168.233.20), port 5432', [("192.168.233.20", "IP_ADDRESS")]),
    ("upstream 10.49.110.89:8443 timed out", [("10.49.110.89", "IP_ADDRESS")]),
    ("  ip: 172.22.165.93\n", [("172.22.165.93", "IP_ADDRESS")]),
    ("ip=203.0.113.197 path=/", [("203.0.113.197", "IP_ADDRESS")]),
    ("(server bastion-3.example.net/172.22.118.60)", [("172.22.118.60", "IP_ADDRESS")]),
    (
        "allow 10.0.0.0/8 and 100.89.100.227",
        [("10.0.0.0", "IP_ADDRESS"), ("100.89.100.227", "IP_ADDRESS")],
    ),
    # IPV6_ADDRESS
    ("ip=fd14:68e:77d:5c27::9b0f path=/healthz", [("fd14:68e:77d:5c27::9b0f", "IPV6_ADDRESS")]),
    ("ip=fd3b:16c5:d699:129:0:0:0:fad ok", [("fd3b:16c5:d699:129:0:0:0:fad", "IPV6_ADDRESS")]),
    (
        "64 bytes from fd9c:2a17:eda0:e7ad::a262:92fb: icmp_seq=1",
        [("fd9c:2a17:eda0:e7ad::a262:92fb", "IPV6_ADDRESS")],
    ),
    (
        "PING x(fd83:8023:6a0b:e7dc::d244:b5a) 56",
        [("fd83:8023:6a0b:e7dc::d244:b5a", "IPV6_ADDRESS")],
    ),
    ("listen [2001:db8::8a2e:370:7334]:443", [("2001:db8::8a2e:370:7334", "IPV6_ADDRESS")]),
    ("gw fe80::1ff:fe23:4567:890a%eth0", [("fe80::1ff:fe23:4567:890a", "IPV6_ADDRESS")]),
    # CREDIT_CARD
    ('"card_number": "344286974561748",', [("344286974561748", "CREDIT_CARD")]),
    ('"card_number": "4050 8112 1823 8104",', [("4050 8112 1823 8104", "CREDIT_CARD")]),
    ("charging card=4853116962073734 amount=129.00", [("4853116962073734", "CREDIT_CARD")]),
    ('card: "3726-508800-41969", lines', [("3726-508800-41969", "CREDIT_CARD")]),
    ("// card on file for Ana: 6011393158048812\n", [("6011393158048812", "CREDIT_CARD")]),
    ("mc 5373 5484 2135 0592", [("5373 5484 2135 0592", "CREDIT_CARD")]),
    # IBAN
    ('"iban": "NL27RABO2739377054",', [("NL27RABO2739377054", "IBAN")]),
    ('"iban": "CH80815040FJS3GR2FG1B",', [("CH80815040FJS3GR2FG1B", "IBAN")]),
    ('iban: "ES77 3741 3536 1535 9848 9463", lines', [("ES77 3741 3536 1535 9848 9463", "IBAN")]),
    ('iban: "NL85 ABNA 0206 3459 66", lines', [("NL85 ABNA 0206 3459 66", "IBAN")]),
    (
        'BigDecimal("250.00"), "FR328448089132O0KTHEQ9OE112");',
        [("FR328448089132O0KTHEQ9OE112", "IBAN")],
    ),
    ("GB82 WEST 1234 5698 7654 32 EUR", [("GB82 WEST 1234 5698 7654 32", "IBAN")]),
    # USERNAME: home directories
    ('  File "/home/dmitri.sokolov/src/app/main.py", line 8', [("dmitri.sokolov", "USERNAME")]),
    ("    at /Users/olatunjiz/code/api/server.js:21:7", [("olatunjiz", "USERNAME")]),
    ('{"cwd": "/home/tqureshi/src/sync"}', [("tqureshi", "USERNAME")]),
    ("C:\\Users\\jdoe\\AppData\\Local", [("jdoe", "USERNAME")]),
    ('{"path": "C:\\\\Users\\\\jdoe\\\\repo"}', [("jdoe", "USERNAME")]),
    ("see ~mkowal/.bashrc", [("mkowal", "USERNAME")]),
    # USERNAME: TODO, prompts, ssh
    ("# TODO(dmitri.sokolov): switch to Testcontainers", [("dmitri.sokolov", "USERNAME")]),
    ('"""Customer. FIXME(raffig, 2024-05): split KYC."""', [("raffig", "USERNAME")]),
    ("yuki.takahashi@laptop:~/src/app$ curl -s x", [("yuki.takahashi", "USERNAME")]),
    ("[jdoe@build-7 src]$ make", [("jdoe", "USERNAME"), ("build-7", "HOSTNAME")]),
    # a virtualenv's prefix changes nothing: the prompt's host as without it
    ("(venv) jdoe@dev-box:~$ ls", [("jdoe", "USERNAME"), ("dev-box", "HOSTNAME")]),
    (
        "\tssh tndlovu@app.corp.example.internal 'sudo systemctl restart x'",
        [("tndlovu", "USERNAME")],
    ),
    (
        "ssh -L 5433:db.corp.example:5432 petrescub@bastion-9.example.net -N &",
        [("petrescub", "USERNAME")],
    ),
    ("scp dump.sql jdoe@files.example.net:/tmp/", [("jdoe", "USERNAME")]),
    ("Host bastion\n  User mkowal\n", [("mkowal", "USERNAME")]),
    # USERNAME: owners, keys, comments
    ('default_args = {\n    "owner": "bmontoya",\n}', [("bmontoya", "USERNAME")]),
    (
        'def logs(host="bastion-3.example.net", user="praghunathan"):',
        [("praghunathan", "USERNAME")],
    ),
    ('ONCALL = { name: "Ana", slack: "decmor" };', [("decmor", "USERNAME")]),
    ("  labels:\n    app: api\n    owner: ruairig\n", [("ruairig", "USERNAME")]),
    ("# owner: hamfar -- weekly churn export", [("hamfar", "USERNAME")]),
    (
        "pod 10.78.5.51 restarting consumer (owner: tqureshi)",
        [("10.78.5.51", "IP_ADDRESS"), ("tqureshi", "USERNAME")],
    ),
    ("# pinned by matcas, see PROJ-812", [("matcas", "USERNAME")]),
    ("// client cert for mTLS, issued to sigrida (expires 2025-01)", [("sigrida", "USERNAME")]),
    ("// temporary token from valfer's session, remove", [("valfer", "USERNAME")]),
    ("# ~/.pypirc on avogelsang's laptop", [("avogelsang", "USERNAME")]),
    ("# token for local testing (lindqvisti):", [("lindqvisti", "USERNAME")]),
    ("// local checkout, remove before tagging (chidi.okeke)", [("chidi.okeke", "USERNAME")]),
    ("<!-- ~/.m2/settings.xml (siobhand) -->", [("siobhand", "USERNAME")]),
    ("User: arn:aws:iam::243812313024:user/chidi.okeke is not", [("chidi.okeke", "USERNAME")]),
    ("rootdir: /builds/acme/payments-iyers\n", [("iyers", "USERNAME")]),
    ("PS C:\\Users\\jdoe> dir", [("jdoe", "USERNAME")]),
    ("jdoe@LAPTOP-7 MINGW64 ~/src (main)", [("jdoe", "USERNAME"), ("LAPTOP-7", "HOSTNAME")]),
    ("jdoe@laptop ~/src % ls", [("jdoe", "USERNAME")]),
    ("Author: jdoe <j.doe@example.com>", [("jdoe", "USERNAME"), ("j.doe@example.com", "EMAIL")]),
    ("  remote_user: mkowal\n", [("mkowal", "USERNAME")]),
    ("export USER=mkowal", [("mkowal", "USERNAME")]),
    ("ssh -p 2222 -l mkowal bastion.example.net", [("mkowal", "USERNAME")]),
    ("LGTM, cc @mkowal for the migration", [("mkowal", "USERNAME")]),
    (" * @author mkowal\n", [("mkowal", "USERNAME")]),
]


@pytest.mark.parametrize(("text", "expected"), POSITIVE)
def test_positive(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


# --------------------------------------------------------------------------------------------
# Negative examples: no finding at all
# --------------------------------------------------------------------------------------------

NEGATIVE = [
    # numbers in code and logs
    "x = 1000000",
    "pi = 3.14159",
    "n = 1_000_000",
    "start = '2024-01-15'",
    "t = '12:30:45'",
    "ts=2024-06-01T11:30:00+02:00|0.8",
    "created_at = 1718000000000",
    "MAX = 9223372036854775807",
    "Ran 1234 tests in 0.123s",
    "===== 12 passed, 3 failed in 4.56s =====",
    "test_foo.py::test_bar[1-2-3] PASSED",
    "ISBN 978-3-16-148410-0",
    "id 550e8400-e29b-41d4-a716-446655440000",
    "sha 3f2a9c1b7e8d4f60a1b2c3d4e5f60718",
    "mask = 0x7fffffff",
    "x = a +16 * b",
    "1e+10",
    "price 1,234,567.89",
    "seq 4111 1111 1111 1112",  # not Luhn-valid
    "order 1234567890123456",  # no issuer prefix
    "count = 5551234",
    "Decimal('+35236450.6')",
    "see section 8.1.2.2 of the spec",
    # addresses that are not personal, versions
    "bind 0.0.0.0:8000",
    "curl http://127.0.0.1:8080/",
    "netmask 255.255.255.0",
    "metadata at 169.254.169.254",
    "Python 3.11.9",
    "release v1.2.3.4",
    "version = '1.2.3.4'",
    "pip install foo==1.2.3.4",
    "oid 1.3.6.1.4.1.311",
    "listen [::1]:80 and ::",
    "std::vector<int> v; std::map<a, b>",
    "use crate::a::b;",
    "x = arr[1::2]; y = arr[10:20:2]",
    "mac 00:1a:2b:3c:4d:5e",
    # not e-mail addresses
    "git clone git@github.com:org/repo.git",
    "icon@2x.png",
    "npm i @types/node@20.1.0 left-pad@latest",
    "docker pull alpine@sha256:abcdef0123456789",
    "@dataclass\nclass A:\n    pass",
    "postgres://app:s3cret@db.example.com:5432/app",
    "https://user:p4ss@host.example.com/x",
    # not user names
    "def f(owner: str, user: str) -> None:",
    "    owner: str\n    user: Optional[str] = None",
    "f(user=current_user, owner=owner)",
    "user = user",
    "ssh root@bastion && ssh ubuntu@host && ssh ec2-user@host",
    "ssh -i key.pem deploy@app.example.net",
    "/home/runner/work/repo/repo",
    "/Users/Shared/Data",
    "/home/user/project",
    "# compute the total (optional)",
    "# retries (deprecated)",
    "y = a * (rate)",
    "# created by mistake, remove",
    "the user's laptop and my colleague's machine",
    "TODO(v2): later",
    "# TODO(perf): speed up",
    "  user: postgres\n  owner: team\n",
    "    username: app_user\n",
    "python's setup",
    "# timeout in seconds (default)",
    "# amount in cents (eur)",
]


@pytest.mark.parametrize("text", NEGATIVE)
def test_negative(text: str) -> None:
    assert found(text) == []


def test_ip_inside_ssh_target_and_cidr() -> None:
    assert found("ssh root@10.0.0.1") == [("10.0.0.1", "IP_ADDRESS")]
    assert found("route 10.20.0.0/16 via 192.168.1.1") == [
        ("10.20.0.0", "IP_ADDRESS"),
        ("192.168.1.1", "IP_ADDRESS"),
    ]


def test_validators() -> None:
    assert luhn_is_valid("4111111111111111")
    assert not luhn_is_valid("4111111111111112")
    assert iban_is_valid("GB82 WEST 1234 5698 7654 32")
    assert iban_is_valid("DE89370400440532013000")
    assert not iban_is_valid("DE89370400440532013001")
    assert not iban_is_valid("XX89370400440532013000")


# --------------------------------------------------------------------------------------------
# Corpus and HumanEval
# --------------------------------------------------------------------------------------------


@cache
def corpus() -> list[dict]:
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def upstream_texts(record: dict) -> list[str]:
    texts = []
    for message in record["messages"]:
        if isinstance(message.get("content"), str):
            texts.append(message["content"])
        for call in message.get("tool_calls") or []:
            texts.append(call["function"]["arguments"])
    return texts


@cache
def analyzed() -> list[tuple[dict, list[tuple[str, list[Finding]]]]]:
    return [(rec, [(t, R.analyze(t)) for t in upstream_texts(rec)]) for rec in corpus()]


def covered(text: str, findings: list[Finding], start: int, end: int) -> bool:
    mask = bytearray(end - start)
    for f in findings:
        for i in range(max(f.start, start), min(f.end, end)):
            mask[i - start] = 1
    return all(mask)


def item_recalled(text_findings: list[tuple[str, list[Finding]]], value: str) -> bool:
    for text, findings in text_findings:
        i = text.find(value)
        while i >= 0:
            if not covered(text, findings, i, i + len(value)):
                return False
            i = text.find(value, i + 1)
    return True


@cache
def corpus_recall() -> tuple[Counter, Counter, list]:
    total, hit, missed = Counter(), Counter(), []
    for rec, text_findings in analyzed():
        for item in rec["sensitive"]:
            if item["type"] not in MY_TYPES:
                continue
            total[item["type"]] += 1
            if item_recalled(text_findings, item["text"]):
                hit[item["type"]] += 1
            else:
                missed.append((rec["id"], item["type"], item["text"]))
    return total, hit, missed


@pytest.mark.parametrize("pii_type", FULL_RECALL_TYPES)
def test_corpus_full_recall(pii_type: str) -> None:
    total, hit, missed = corpus_recall()
    assert total[pii_type] > 0
    assert hit[pii_type] == total[pii_type], [m for m in missed if m[1] == pii_type]


def test_corpus_username_recall() -> None:
    total, hit, missed = corpus_recall()
    assert total["USERNAME"] > 100
    assert hit["USERNAME"] / total["USERNAME"] >= 0.98, missed


def test_corpus_public_strings_untouched() -> None:
    bad = []
    for rec, text_findings in analyzed():
        for public in rec["public"]:
            for text, findings in text_findings:
                i = text.find(public)
                while i >= 0:
                    end = i + len(public)
                    hits = [text[f.start : f.end] for f in findings if f.start < end and i < f.end]
                    if hits:
                        bad.append((rec["id"], public, hits))
                    i = text.find(public, i + 1)
    assert bad == []


def test_corpus_findings_are_pii_of_my_types() -> None:
    for _, text_findings in analyzed():
        for _, findings in text_findings:
            for f in findings:
                assert f.type in MY_TYPES
                assert f.category == PII
                assert f.recognizer == "pii"


# Values of a different shape than the dev corpus: the rules must not depend on its names.
OTHER_VALUES = {
    "EMAIL": ["h.zimmermann@mail.example.de", "oconnor_k12@example.ie", "li@example.cn"],
    "USERNAME": ["hzimmermann", "kenta.ito", "ngozie", "pvanderberg", "lwu", "m.okafor"],
    "PHONE": ["+353 87 123 4567", "(305) 555-0147", "+86 138 0013 8000", "503.555.0199"],
    "IP_ADDRESS": ["10.200.3.4", "172.31.255.1", "198.51.100.23", "52.14.201.9"],
    "IPV6_ADDRESS": ["fdc2:9a1:0:7::3", "2001:db8:85a3::8a2e:370:7334"],
    "CREDIT_CARD": ["5555 5555 5555 4444", "3714-496353-98431", "4012888888881881"],
    "IBAN": ["IE29 AIBK 9311 5212 3456 78", "PL61109010140000071219812874", "BE71096123456769"],
}


def test_corpus_recall_with_other_values() -> None:
    """Plant differently shaped values where the dev corpus has its own and re-measure."""
    total, hit, missed = Counter(), Counter(), []
    for n, rec in enumerate(corpus()):
        replace: dict[str, str] = {}
        for item in rec["sensitive"]:
            options = OTHER_VALUES.get(item["type"])
            if options and item["text"] not in replace:
                replace[item["text"]] = options[(n + len(replace)) % len(options)]
        if not replace:
            continue
        order = sorted(replace, key=len, reverse=True)
        texts = []
        for text in upstream_texts(rec):
            for i, old in enumerate(order):
                text = text.replace(old, f"\x00{i}\x00")
            for i, old in enumerate(order):
                text = text.replace(f"\x00{i}\x00", replace[old])
            texts.append(text)
        text_findings = [(t, R.analyze(t)) for t in texts]
        for item in rec["sensitive"]:
            if item["type"] in OTHER_VALUES and item["text"] in replace:
                total[item["type"]] += 1
                if item_recalled(text_findings, replace[item["text"]]):
                    hit[item["type"]] += 1
                else:
                    missed.append((rec["id"], item["type"], replace[item["text"]]))
    for pii_type in FULL_RECALL_TYPES:
        assert hit[pii_type] == total[pii_type] > 0, [m for m in missed if m[1] == pii_type]
    assert hit["USERNAME"] / total["USERNAME"] >= 0.98, missed


def test_humaneval_zero_findings() -> None:
    with gzip.open(HUMANEVAL, "rt", encoding="utf-8") as fh:
        tasks = [json.loads(line) for line in fh]
    assert len(tasks) == 164
    hits = []
    for task in tasks:
        for field in ("prompt", "canonical_solution", "test"):
            text = task[field]
            hits += [(task["task_id"], field, text[f.start : f.end]) for f in R.analyze(text)]
    assert hits == []


@pytest.mark.parametrize("text", [
    "Co-Authored-By: Claude <noreply@anthropic.com>",
    "Bounces go to mailer-daemon@example.org",
    '{"taskId": "1", "owner": "my-name"}',
    "owner: your_user",
])
def test_machine_mailboxes_and_placeholder_users_are_no_one(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize("text, expected", [
    ("Co-Authored-By: Sanna <sanna.virtanen@example.org>",
     [("sanna.virtanen@example.org", "EMAIL")]),
    ('{"owner": "jvirtanen"}', [("jvirtanen", "USERNAME")]),
])
def test_people_next_to_them_still_are(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected
