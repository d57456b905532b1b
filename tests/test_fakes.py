"""Format-preserving fakes: format, validity, determinism and difference from the original."""

from __future__ import annotations

import base64
import ipaddress
import random
import re
import string
import zlib

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from proxy.veil.fakes import (
    fake_card,
    fake_chars,
    fake_email,
    fake_iban,
    fake_ipv4,
    fake_ipv6,
    fake_password,
    fake_phone,
    fake_secret,
    fake_username,
    github_checksum,
    iban_check_digits,
    luhn_check_digit,
)
from recognizers.pii import IBAN_LENGTHS, PiiRecognizer, iban_is_valid, luhn_is_valid

SETTINGS = settings(max_examples=100, deadline=None)
SEEDS = st.integers(min_value=0, max_value=2**32 - 1)
R = PiiRecognizer()


def rng(seed: int) -> random.Random:
    return random.Random(seed)


def digits_of(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def shape(value: str) -> str:
    """Positions of non-alphanumeric characters (separators) with the character itself."""
    return "".join(ch if not ch.isalnum() else "x" for ch in value)


def only_finding(text: str) -> tuple[str, str]:
    findings = R.analyze(text)
    assert len(findings) == 1, findings
    f = findings[0]
    return text[f.start : f.end], f.type


# --------------------------------------------------------------------------------------------
# fake_chars
# --------------------------------------------------------------------------------------------

ALNUM_TEXT = st.text(
    alphabet=string.ascii_letters + string.digits + "-_./+=:@ ", min_size=1, max_size=60
).filter(lambda s: any(ch.isalnum() for ch in s))


def hex_like(run: str, alphabet: str) -> bool:
    """A run fake_chars treats as hex: hex letters, and a digit (4+ chars) or 16+ chars."""
    if not re.fullmatch(f"[{alphabet}]+", run) or run.isdigit():
        return False
    return (len(run) >= 4 and any(c.isdigit() for c in run)) or len(run) >= 16


@SETTINGS
@given(value=ALNUM_TEXT, seed=SEEDS, keep=st.integers(min_value=0, max_value=5))
def test_fake_chars_keeps_classes(value: str, seed: int, keep: int) -> None:
    fake = fake_chars(value, rng(seed), keep_prefix=keep)
    assert len(fake) == len(value)
    assert fake[:keep] == value[:keep]
    assert fake == fake_chars(value, rng(seed), keep_prefix=keep)  # deterministic
    if any(ch.isalnum() for ch in value[keep:]):
        assert fake != value
    runs = re.findall(r"[0-9A-Za-z]+|[^0-9A-Za-z]+", value[keep:])
    pos = keep
    for run in runs:
        new = fake[pos : pos + len(run)]
        if not run[0].isalnum():
            assert new == run
        elif hex_like(run, "0-9a-f"):
            assert re.fullmatch(r"[0-9a-f]+", new)
        elif hex_like(run, "0-9A-F"):
            assert re.fullmatch(r"[0-9A-F]+", new)
        else:
            for a, b in zip(run, new, strict=True):
                assert (a.isdigit(), a.islower(), a.isupper()) == (
                    b.isdigit(),
                    b.islower(),
                    b.isupper(),
                )
        pos += len(run)


@SETTINGS
@given(data=st.binary(min_size=3, max_size=60), seed=SEEDS)
def test_fake_chars_base64_and_hex_stay_valid(data: bytes, seed: int) -> None:
    b64 = base64.b64encode(data).decode()
    fake = fake_chars(b64, rng(seed))
    assert len(fake) == len(b64)
    base64.b64decode(fake, validate=True)
    hexed = data.hex()
    fake_hex = fake_chars(hexed, rng(seed))
    assert len(fake_hex) == len(hexed)
    if any(c.isdigit() for c in hexed) or len(hexed) >= 16:
        assert re.fullmatch(r"[0-9a-f]+", fake_hex)
    else:  # a short all-letter run ("cafafa") reads as a word: letters stay letters
        assert re.fullmatch(r"[a-z]+", fake_hex)
    assert fake_hex != hexed
    upper = fake_chars(hexed.upper(), rng(seed))
    assert re.fullmatch(r"[0-9A-F]+", upper)


def test_fake_chars_edge_cases() -> None:
    assert fake_chars("", rng(1)) == ""
    assert fake_chars("---", rng(1)) == "---"
    assert fake_chars("7", rng(1)) != "7"
    assert fake_chars("abc", rng(1), keep_prefix=10) == "abc"


# --------------------------------------------------------------------------------------------
# fake_secret
# --------------------------------------------------------------------------------------------

BASE62 = string.digits + string.ascii_uppercase + string.ascii_letters[:26]


@SETTINGS
@given(
    body=st.text(alphabet=string.ascii_letters + string.digits, min_size=30, max_size=30),
    prefix=st.sampled_from(["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]),
    seed=SEEDS,
)
def test_github_classic_checksum(body: str, prefix: str, seed: int) -> None:
    token = prefix + body + github_checksum(body)
    fake = fake_secret(token, "GITHUB_TOKEN", rng(seed))
    assert fake.startswith(prefix) and len(fake) == 40 and fake != token
    assert re.fullmatch(r"gh[pousr]_[0-9A-Za-z]{36}", fake)
    assert github_checksum(fake[4:34]) == fake[34:]
    assert fake == fake_secret(token, "GITHUB_TOKEN", rng(seed))


def test_github_checksum_matches_known_token() -> None:
    body = "bp4L1wet5GhitBMViBuBfmpmHBqdnN"  # from the dev corpus (a fake, valid-format token)
    n = zlib.crc32(body.encode())
    assert github_checksum(body) == "0TSaYC"
    assert n > 0


SECRETS = [
    ("AWS_ACCESS_KEY_ID", "AKIANLGCSYUFNNFJIXIS", "AKIA"),
    ("AWS_ACCESS_KEY_ID", "ASIAY34FZKBOKMUTVV7A", "ASIA"),
    (
        "GITHUB_FINE_GRAINED_PAT",
        "github_pat_11ABCDEFG0123456789abc_" + "x1" * 29 + "z",
        "github_pat_",
    ),
    ("GITLAB_TOKEN", "glpat-spVxLv4nQCEHIKBwSMTn", "glpat-"),
    ("SLACK_BOT_TOKEN", "xoxb-89315424090-5470037705805-e90YuRJbZYQX8BMdltnNsLh6", "xoxb-"),
    (
        "SLACK_USER_TOKEN",
        "xoxp-81384463134-16619870450-8638374053680-961fbfe903ef9ddc03e8e1aea43f5e90",
        "xoxp-",
    ),
    ("STRIPE_SECRET_KEY", "sk_live_51TBGP1kEl9kT2Iiq6f8ZrHNyOy6hTg5CYdqZwny4UyB", "sk_live_"),
    ("STRIPE_RESTRICTED_KEY", "rk_live_b6ksZqvRIo7SjzH5wotyusr7", "rk_live_"),
    ("STRIPE_SECRET_KEY", "sk_test_4eC39HqLyjWDarjtT1zdp7dc", "sk_test_"),
    ("GOOGLE_API_KEY", "AIzavp1am-fnEL6UXee4hSP3UUnOFBc_2ak1XaZ", "AIza"),
    (
        "OPENAI_API_KEY",
        "sk-proj-tTct2sygnSuU1TkgI3FoEFIZld8-CFnz4PpWc52T3BlbkFJaJkStIpE2TTGKeZ",
        "sk-proj-",
    ),
    (
        "ANTHROPIC_API_KEY",
        "sk-ant-api03-wmWru4e6f9yDEMxZHEdoVAinpcDN99pIKOthpxqks19uAA",
        "sk-ant-api03-",
    ),
    (
        "SENDGRID_API_KEY",
        "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",
        "SG.",
    ),
    ("TWILIO_API_KEY", "SK7791e5feda1fa55f19bfecfc28943303", "SK"),
    ("NPM_TOKEN", "npm_Z99lG3PHG0rTqVK66lXPRYnu9tjblptr2Kul", "npm_"),
    (
        "PYPI_TOKEN",
        "pypi-AgEIcHlwaS5vcmc2TEtyQt82bClZmNZsbusl7cB5ySmF3PzViXSITu17kTY1fS",
        "pypi-AgEIcHlwaS5vcmc",
    ),
    ("HF_TOKEN", "hf_AbCdEfGhIjKlMnOpQrStUvWxYz01234567", "hf_"),
    ("DIGITALOCEAN_TOKEN", "dop_v1_" + "ab12" * 16, "dop_v1_"),
    ("PASSWORD_HASH", "$2b$12$wxszv6qBbbgubNtKxlSqD9f16Jr16AwNw.QBNqlu09M1D38PCe5U2", "$2b$12$"),
    (
        "DJANGO_SECRET_KEY",
        "django-insecure-nu_jh-=_448ks(ftk3b(cz)*hda@y2dvf=bxav&z#_9#w",
        "django-insecure-",
    ),
    (
        "SLACK_WEBHOOK_URL",
        "https://hooks.slack.com/services/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",
        "https://hooks.slack.com/services/T",
    ),
]


@pytest.mark.parametrize(("kind", "value", "prefix"), SECRETS)
def test_fake_secret_keeps_public_prefix(kind: str, value: str, prefix: str) -> None:
    fake = fake_secret(value, kind, rng(7))
    assert fake.startswith(prefix)
    assert len(fake) == len(value)
    assert shape(fake) == shape(value)
    assert fake != value
    assert fake == fake_secret(value, kind, rng(7))
    # no 16-character run of the sensitive part survives
    sensitive = value[len(prefix) :]
    for i in range(len(sensitive) - 15):
        assert sensitive[i : i + 16] not in fake


def test_fake_secret_specifics() -> None:
    aws = fake_secret("AKIANLGCSYUFNNFJIXIS", "AWS_ACCESS_KEY_ID", rng(3))
    assert re.fullmatch(r"AKIA[A-Z2-7]{16}", aws)
    twilio = fake_secret("SK7791e5feda1fa55f19bfecfc28943303", "TWILIO_API_KEY", rng(3))
    assert re.fullmatch(r"SK[0-9a-f]{32}", twilio)
    slack = fake_secret(SECRETS[5][1], "SLACK_USER_TOKEN", rng(3))
    assert re.fullmatch(r"xoxp-\d{11}-\d{11}-\d{13}-[0-9a-f]{32}", slack)
    openai = fake_secret(SECRETS[10][1], "OPENAI_API_KEY", rng(3))
    assert "T3BlbkFJ" in openai
    anthropic = fake_secret(SECRETS[11][1], "ANTHROPIC_API_KEY", rng(3))
    assert anthropic.endswith("AA")
    webhook = fake_secret(SECRETS[-1][1], "SLACK_WEBHOOK_URL", rng(3))
    assert re.fullmatch(
        r"https://hooks\.slack\.com/services/T[A-Z0-9]{8}/B[A-Z0-9]{10}/\w{24}", webhook
    )


def pem(label: str, body_lines: list[str], newline: str) -> str:
    return newline.join([f"-----BEGIN {label}-----", *body_lines, f"-----END {label}-----"])


@pytest.mark.parametrize("newline", ["\n", "\\n", "\r\n"])
@pytest.mark.parametrize("label", ["RSA PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY"])
def test_fake_secret_pem(newline: str, label: str) -> None:
    gen = random.Random(label)
    alphabet = string.ascii_letters + string.digits + "+/"
    lines = ["".join(gen.choice(alphabet) for _ in range(64)) for _ in range(5)] + ["abcd+/=="]
    value = pem(label, lines, newline)
    fake = fake_secret(value, "PRIVATE_KEY_RSA", rng(11))
    assert fake != value and len(fake) == len(value)
    assert fake.startswith(f"-----BEGIN {label}-----{newline}")
    assert fake.endswith(f"{newline}-----END {label}-----")
    new_lines = fake.split(newline)
    assert [len(x) for x in new_lines] == [len(x) for x in value.split(newline)]
    for old, new in zip(lines, new_lines[1:-1], strict=True):
        assert old != new
    assert fake == fake_secret(value, "PRIVATE_KEY_RSA", rng(11))


def test_fake_secret_jwt_keeps_header() -> None:
    header = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
    payload = "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
    signature = "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
    value = f"{header}.{payload}.{signature}"
    fake = fake_secret(value, "JWT", rng(5))
    h, p, s = fake.split(".")
    assert h == header
    assert len(p) == len(payload) and p != payload and p.startswith("eyJ")
    assert len(s) == len(signature) and s != signature
    assert re.fullmatch(r"[A-Za-z0-9_\-]+", p + s)


def test_fake_secret_urls_and_connection_strings() -> None:
    url = "postgresql://lumiqa_rw:Copper!Badger32@pg-primary-7.corp.lumiqa.internal:5432/ledger"
    fake = fake_secret(url, "DATABASE_URL", rng(2))
    assert fake.startswith("postgresql://")
    assert fake.endswith("@pg-primary-7.corp.lumiqa.internal:5432/ledger")
    assert "Copper" not in fake and "Badger32" not in fake and "lumiqa_rw" not in fake
    assert len(fake) == len(url)
    azure = (
        "DefaultEndpointsProtocol=https;AccountName=acmeprodstore;"
        "AccountKey=NMI1z1+f4c99V/prnqOy1218/GkAdnuyq0mxh9thUBMJtAHfTt1J5QXNEV3cJfbZ7Q90U==;"
        "EndpointSuffix=core.windows.net"
    )
    fake = fake_secret(azure, "AZURE_CONNECTION_STRING", rng(2))
    assert fake.startswith("DefaultEndpointsProtocol=https;AccountName=")
    assert fake.endswith("==;EndpointSuffix=core.windows.net")
    assert "acmeprodstore" not in fake and "NMI1z1" not in fake and len(fake) == len(azure)


@SETTINGS
@given(
    user=st.text(alphabet=string.ascii_lowercase + "-_.", min_size=1, max_size=20),
    password=st.text(
        alphabet=string.ascii_letters + string.digits + "!*~_-", min_size=1, max_size=30
    ),
    seed=SEEDS,
)
def test_fake_basic_auth_decodes_to_same_shape(user: str, password: str, seed: int) -> None:
    assume(any(c.isalnum() for c in user + password))
    value = base64.b64encode(f"{user}:{password}".encode()).decode()
    fake = fake_secret(value, "BASIC_AUTH", rng(seed))
    assert len(fake) == len(value) and fake != value
    new_user, sep, new_password = base64.b64decode(fake).decode().partition(":")
    assert sep == ":" and len(new_user) == len(user) and len(new_password) == len(password)


@SETTINGS
@given(
    value=st.text(
        alphabet=string.ascii_letters + string.digits + "!?*~#&_-.", min_size=1, max_size=40
    ).filter(lambda s: any(c.isalnum() for c in s)),
    seed=SEEDS,
)
def test_fake_password_same_classes(value: str, seed: int) -> None:
    for fake in (fake_password(value, rng(seed)), fake_secret(value, "PASSWORD", rng(seed))):
        assert len(fake) == len(value) and fake != value
        for a, b in zip(value, fake, strict=True):
            if a.isalnum():
                assert (a.isdigit(), a.islower(), a.isupper()) == (
                    b.isdigit(),
                    b.islower(),
                    b.isupper(),
                )
            else:
                assert a == b


def test_fake_password_is_pronounceable() -> None:
    fake = fake_password("Copper!Badger32", rng(1))
    assert re.fullmatch(r"[A-Z][a-z]{5}![A-Z][a-z]{5}\d\d", fake)
    assert fake != "Copper!Badger32"


# --------------------------------------------------------------------------------------------
# E-mail and user names
# --------------------------------------------------------------------------------------------

EMAILS = [
    ("sanjay.iyer@veltrix.com", r"ana\.kowalski@veltrix\.com"),
    ("jasper_kowalczyk46@hotmail.co.uk", r"ana_kowalski\d\d@hotmail\.co\.uk"),
    ("twierzbicki@brenmoor.co.uk", r"akowalski@brenmoor\.co\.uk"),
    ("kwame@lumiqa.io", r"ana@lumiqa\.io"),
    ("Rosa.Quintero@example.org", r"Ana\.Kowalski@example\.org"),
]


@pytest.mark.parametrize(("value", "pattern"), EMAILS)
def test_fake_email_style(value: str, pattern: str) -> None:
    fake = fake_email(value, rng(4), "Ana", "Kowalski")
    assert re.fullmatch(pattern, fake), fake
    assert fake == fake_email(value, rng(4), "Ana", "Kowalski")


def test_fake_email_odd_names_and_collisions() -> None:
    fake = fake_email("jose.muller@web.de", rng(1), "José", "Müller-O'Brien")
    assert fake.endswith("@web.de") and fake.split("@")[0] != "jose.muller"
    assert re.fullmatch(r"[a-z.]+@web\.de", fake)
    same = fake_email("ana.kowalski@x.com", rng(1), "Ana", "Kowalski")
    assert same != "ana.kowalski@x.com" and same.endswith("@x.com")


USERNAMES = [
    ("dmitri.sokolov", r"ana\.kowalski"),
    ("tqureshi", r"[a-z]+"),
    ("lucia_marchetti", r"ana_kowalski"),
    ("jdoe42", r"[a-z]+\d\d"),
]


@pytest.mark.parametrize(("value", "pattern"), USERNAMES)
def test_fake_username_style(value: str, pattern: str) -> None:
    fake = fake_username(value, rng(9), "Ana", "Kowalski")
    assert re.fullmatch(pattern, fake), fake
    assert fake != value and fake == fake.lower()
    assert fake == fake_username(value, rng(9), "Ana", "Kowalski")
    assert fake_username("akowalski", rng(9), "Ana", "Kowalski") != "akowalski"


def test_fake_username_single_token_uses_names() -> None:
    fake = fake_username("tqureshi", rng(9), "Ana", "Kowalski")
    assert fake in {"akowalski", "ana", "kowalskia", "anak", "kowalski", "anakow", "anakowalski"}


# --------------------------------------------------------------------------------------------
# Phones
# --------------------------------------------------------------------------------------------

PHONES = [
    "+91 95903 89983",
    "+65 9164 4338",
    "(212) 517-8194",
    "737-315-8896",
    "+55 11 94534-3634",
    "737.728.4073",
    "+33 6 60 36 31 33",
    "+44 7700 900735",
    "+52 55 8576 9146",
    "+61 495 303 692",
    "+81 3-3578-8880",
    "+1 737-555-0163",
    "+16285550115",
    "+49 151 1266 5460",
    "+49 30 37027939",
    "+15122762745",
    "+65 6198 7866",
    "(212) 555-0153",
    "+49 30 1234567",
    "1-800-234-5678",
]


@pytest.mark.parametrize("value", PHONES)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fake_phone_format(value: str, seed: int) -> None:
    fake = fake_phone(value, rng(seed))
    assert fake != value and len(fake) == len(value) and shape(fake) == shape(value)
    assert fake == fake_phone(value, rng(seed))
    if value.startswith("+"):
        cc = re.match(r"\+(\d+)", value).group(1)
        cc = cc if len(cc) <= 3 else ("1" if cc[0] == "1" else cc[:2])
        assert digits_of(fake).startswith(cc)
    if value.startswith(("+1 ", "+1(", "1-")) or (value[0] != "+" and len(digits_of(value)) == 10):
        assert digits_of(fake)[-7:-2] == "55501"  # fictional 555-01xx range
    assert only_finding(f"phone: {fake} ") == (fake, "PHONE")


@SETTINGS
@given(
    area=st.integers(200, 999),
    exchange=st.integers(200, 999),
    line=st.integers(0, 9999),
    fmt=st.sampled_from(["({a}) {e}-{l}", "{a}-{e}-{l}", "{a}.{e}.{l}", "+1 {a}-{e}-{l}"]),
    seed=SEEDS,
)
def test_fake_phone_nanp_property(area: int, exchange: int, line: int, fmt: str, seed: int) -> None:
    value = fmt.format(a=area, e=exchange, l=f"{line:04d}")
    fake = fake_phone(value, rng(seed))
    assert fake != value and shape(fake) == shape(value)
    assert fake == fake_phone(value, rng(seed))


# --------------------------------------------------------------------------------------------
# IP addresses
# --------------------------------------------------------------------------------------------

NETWORKS = [
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "100.64.0.0/10",
    "192.0.2.0/24",
    "198.51.100.0/24",
    "203.0.113.0/24",
]


@SETTINGS
@given(net=st.sampled_from(NETWORKS), offset=st.integers(min_value=1), seed=SEEDS)
def test_fake_ipv4_same_range(net: str, offset: int, seed: int) -> None:
    network = ipaddress.ip_network(net)
    addr = network[1 + offset % (network.num_addresses - 2)]
    value = str(addr)
    fake = fake_ipv4(value, rng(seed))
    assert fake != value
    assert ipaddress.ip_address(fake) in network
    assert fake == fake_ipv4(value, rng(seed))
    if net not in ("172.16.0.0/12", "100.64.0.0/10"):
        assert len(fake) == len(value) or value.split(".")[3] in ("0", "255")


@SETTINGS
@given(
    octets=st.tuples(
        st.integers(1, 223), st.integers(0, 255), st.integers(0, 255), st.integers(1, 254)
    ),
    seed=SEEDS,
)
def test_fake_ipv4_public_stays_public(octets: tuple[int, int, int, int], seed: int) -> None:
    value = ".".join(map(str, octets))
    original = ipaddress.ip_address(value)
    fake = ipaddress.ip_address(fake_ipv4(value, rng(seed)))
    assert str(fake) != value
    if original.is_global:
        assert fake.is_global
    if original.is_private:
        assert fake.is_private


@SETTINGS
@given(
    groups=st.lists(st.integers(0, 0xFFFF), min_size=6, max_size=6),
    start=st.integers(0, 5),
    seed=SEEDS,
)
def test_fake_ipv6_ula_shape(groups: list[int], start: int, seed: int) -> None:
    full = ipaddress.IPv6Address(
        ":".join(["fd%02x" % (groups[0] & 0xFF)] + [f"{g:x}" for g in groups] + ["1"])
    )
    compressed = str(full)
    exploded_short = ":".join(f"{int(g, 16):x}" for g in full.exploded.split(":"))
    for value in (compressed, exploded_short):
        fake = fake_ipv6(value, rng(seed))
        assert fake != value
        ipaddress.IPv6Address(fake)
        assert fake.startswith("fd")
        assert ("::" in fake) == ("::" in value)
        assert fake.count(":") == value.count(":")
        assert [len(g) for g in fake.split(":")] == [len(g) for g in value.split(":")]
        assert fake == fake_ipv6(value, rng(seed))


def test_fake_ipv6_examples() -> None:
    for value in (
        "fd14:68e:77d:5c27::9b0f",
        "fd3b:16c5:d699:129:0:0:0:fad",
        "2001:db8::8a2e:370:7334",
        "fe80::1ff:fe23:4567:890a",
    ):
        fake = fake_ipv6(value, rng(1))
        assert fake != value and len(fake) == len(value)
        assert fake.split(":")[0] in (value.split(":")[0], "fd" + fake[2:4])
        assert only_finding(f"ip={fake} ok") == (fake, "IPV6_ADDRESS")
    assert fake_ipv6("fd3b:16c5:d699:129:0:0:0:fad", rng(1)).split(":")[4:7] == ["0", "0", "0"]
    assert fake_ipv6("2001:db8::1", rng(1)).startswith("2001:db8:")


# --------------------------------------------------------------------------------------------
# Cards and IBANs
# --------------------------------------------------------------------------------------------

CARD_PREFIXES = {
    "4": 16,
    "51": 16,
    "55": 16,
    "2221": 16,
    "34": 15,
    "37": 15,
    "6011": 16,
    "65": 16,
    "3528": 16,
    "36": 14,
}


@st.composite
def cards(draw: st.DrawFn) -> str:
    prefix = draw(st.sampled_from(sorted(CARD_PREFIXES)))
    length = CARD_PREFIXES[prefix]
    body = draw(
        st.text(
            alphabet=string.digits,
            min_size=length - len(prefix) - 1,
            max_size=length - len(prefix) - 1,
        )
    )
    number = prefix + body
    number += luhn_check_digit(number)
    grouping = draw(st.sampled_from(["", " ", "-"]))
    if not grouping:
        return number
    sizes = [4, 6, 5] if length == 15 else [4, 6, 4] if length == 14 else [4, 4, 4, 4]
    parts, i = [], 0
    for size in sizes:
        parts.append(number[i : i + size])
        i += size
    return grouping.join(parts)


@SETTINGS
@given(value=cards(), seed=SEEDS)
def test_fake_card(value: str, seed: int) -> None:
    assert luhn_is_valid(digits_of(value))
    fake = fake_card(value, rng(seed))
    assert fake != value and len(fake) == len(value) and shape(fake) == shape(value)
    assert luhn_is_valid(digits_of(fake))
    keep = 1 if value[0] == "4" else 4 if value[:2] in ("60", "22", "35") else 2
    assert fake[:keep] == value[:keep]
    assert fake == fake_card(value, rng(seed))
    assert only_finding(f"card={fake} ok") == (fake, "CREDIT_CARD")


@st.composite
def ibans(draw: st.DrawFn) -> str:
    country = draw(st.sampled_from(["DE", "GB", "FR", "NL", "ES", "IT", "CH", "BE", "NO", "PL"]))
    length = IBAN_LENGTHS[country]
    # realistic BBAN: an optional 4-letter bank code, then digits and some capitals
    bank = draw(st.text(alphabet=string.ascii_uppercase, min_size=4, max_size=4))
    rest = draw(
        st.text(alphabet=string.digits * 3 + "ABCXYZ", min_size=length - 12, max_size=length - 12)
    )
    bban = (bank if draw(st.booleans()) else "1234") + "00" + rest[:2] + "12" + rest[2:]
    compact = country + iban_check_digits(country, bban) + bban
    if draw(st.booleans()):
        return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))
    return compact


@SETTINGS
@given(value=ibans(), seed=SEEDS)
def test_fake_iban(value: str, seed: int) -> None:
    assert iban_is_valid(value)
    fake = fake_iban(value, rng(seed))
    assert fake != value and len(fake) == len(value) and shape(fake) == shape(value)
    assert fake[:2] == value[:2]
    assert iban_is_valid(fake)
    for a, b in zip(value[4:], fake[4:], strict=True):
        assert a.isdigit() == b.isdigit()
    assert fake == fake_iban(value, rng(seed))
    assert only_finding(f'"iban": "{fake}",') == (fake, "IBAN")


def test_check_digit_helpers() -> None:
    assert luhn_check_digit("411111111111111") == "1"
    assert iban_check_digits("GB", "WEST12345698765432") == "82"
    assert iban_check_digits("DE", "370400440532013000") == "89"
