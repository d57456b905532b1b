"""Secrets in encodings other than base64 (recognizers.secrets.codecs and .encoded).

Fake secrets are built at run time from a seeded RNG, so this file holds no secret-looking
literal. An encoded secret is reported whole, its dummy is the same encoding of a fake, and
restoring gives the original byte for byte.
"""

from __future__ import annotations

import base64
import random
import string

import pytest

from proxy.policy import default_policy_path, load_policy
from proxy.veil.engine import Veil
from recognizers.secrets import SecretRecognizer, codecs

R = SecretRecognizer()
ALNUM = string.ascii_letters + string.digits
_rng = random.Random(20261208)


def tok(n: int) -> str:
    return "".join(_rng.choice(ALNUM) for _ in range(n)) + "7aZ"


def github() -> str:
    return "ghp_" + tok(33)


def password() -> str:
    return "Q" + tok(10) + "#!" + str(_rng.randint(10, 99))


ENCODERS = {
    "hex": lambda s: s.encode().hex(),
    "b32": lambda s: base64.b32encode(s.encode()).decode(),
    "xesc": lambda s: "".join(f"\\x{b:02x}" for b in s.encode()),
    "uesc": lambda s: "".join(f"\\u{ord(c):04x}" for c in s),
    "oesc": lambda s: "".join(f"\\{b:03o}" for b in s.encode()),
    "pct": lambda s: "".join(f"%{b:02X}" for b in s.encode()),
    "html": lambda s: "".join(f"&#{ord(c)};" for c in s),
    "bytes": lambda s: ", ".join(f"0x{b:02x}" for b in s.encode()),
    "chars": lambda s: ", ".join(f"'{c}'" for c in s),
}


def found(text: str) -> dict[str, str]:
    return {text[f.start:f.end]: f.type for f in R.analyze(text)}


@pytest.mark.parametrize("kind", sorted(ENCODERS))
def test_decode_then_encode_in_the_same_style_gives_the_span_back(kind):
    secret = github()
    span = ENCODERS[kind](secret)
    assert codecs.kind_of(span) == kind
    assert codecs.decode(kind, span) == secret
    assert codecs.encode(kind, secret, like=span) == span


def test_encode_keeps_upper_case_hex_and_decimal_lists():
    assert codecs.encode("hex", "ab", like="4A4B") == "6162".upper()
    assert codecs.encode("bytes", "ab", like="1, 2, 3, 4, 5, 6") == "97, 98"
    assert codecs.encode("xesc", "a", like="\\x4A\\x4B") == "\\x61"


@pytest.mark.parametrize("kind", sorted(ENCODERS))
def test_a_provider_token_in_any_encoding_is_reported_whole(kind):
    span = ENCODERS[kind](github())
    text = f"Is this fine to commit?\n\n```c\nconst char *k = \"{span}\";\n```\n"
    if kind in ("bytes", "chars"):
        text = f"Is this fine to commit?\n\n```c\nconst char k[] = {{{span}}};\n```\n"
    assert found(text).get(span) == "ENCODED_GITHUB_TOKEN"


def test_c_string_terminator_stays_outside_the_reported_list():
    secret = github()
    body = ", ".join(f"'{c}'" for c in secret)
    text = f"char k[] = {{{body}, '\\0'}};"
    assert found(text).get(body) == "ENCODED_GITHUB_TOKEN"


@pytest.mark.parametrize("kind", ["hex", "pct", "b32"])
def test_a_bare_password_is_judged_by_the_name_it_is_assigned_to(kind):
    span = ENCODERS[kind](password())
    assert found(f'DB_PASSWORD_ENC = "{span}"').get(span) == "ENCODED_PASSWORD"
    assert found(f"https://api.example.com/login?user=svc&admin_pass={span}").get(span) \
        == "ENCODED_PASSWORD"
    if kind != "pct":  # hex and base32 carry data; a fully percent-escaped token is hidden
        assert not found(f'build_label = "{span}"')  # no secret name: a bare value stays


def test_a_generic_field_is_judged_by_its_parent_object():
    blob = base64.b64encode(password().encode()).decode()
    doc = ('{\n  "credentials": {\n    "encoding": "base64",\n'
           f'    "value": "{blob}"\n  }}\n}}')
    assert blob in found(doc)
    plain = ('{\n  "metadata": {\n    "encoding": "base64",\n'
             f'    "value": "{blob}"\n  }}\n}}')
    assert not found(plain)


def test_a_random_token_hidden_in_escapes_counts_without_a_name():
    span = ENCODERS["oesc"](tok(16))
    assert found(f"printf '{span}' > /run/app/value").get(span) == "ENCODED_SECRET_VALUE"


def test_a_decimal_list_needs_a_name_but_a_hex_one_does_not():
    secret = tok(16)
    decimal = ", ".join(str(b) for b in secret.encode())
    assert not found(f"assert f(x) == [{decimal}]")  # test data, most likely
    assert found(f"const api_token = String.fromCharCode({decimal});").get(decimal)
    hexes = ENCODERS["bytes"](secret)
    assert found(f"k = [{hexes}]").get(hexes) == "ENCODED_SECRET_VALUE"


@pytest.mark.parametrize("text", [
    "printf '" + ENCODERS["oesc"]("Hello world!\n") + "'",  # words
    "const greeting = \"" + ENCODERS["uesc"]("Bonjour") + "\";",
    "version = [1, 2, 3, 4, 5, 6, 7]",  # numbers that are not text
    "sha = 'da39a3ee5e6b4b0d3255bfef95601890afd80709'",  # hex that decodes to no text
    "path = '" + ENCODERS["pct"]("/usr/share/doc") + "'",
])
def test_ordinary_encoded_text_is_left_alone(text):
    assert not found(text)


@pytest.mark.parametrize("kind", sorted(ENCODERS))
def test_the_dummy_is_the_same_encoding_and_restoring_is_exact(kind):
    secret = github()
    span = ENCODERS[kind](secret)
    text = f"Why does this not decode?\n\n```c\nconst char *api_token = \"{span}\";\n```\n"
    if kind in ("bytes", "chars"):
        text = text.replace(f'"{span}"', "{" + span + "}")
    veil = Veil(load_policy(default_policy_path()), b"k" * 32)
    out, mapping = veil.anonymize([text])
    dummy = mapping.forward[span]
    assert span not in out[0] and dummy in out[0]
    assert codecs.kind_of(dummy) == kind
    fake = codecs.decode(kind, dummy)
    assert fake is not None and fake != secret and len(fake) == len(secret)
    runs = {secret[i:i + 3] for i in range(len(secret) - 2)}
    assert not any(fake[i:i + 3] in runs for i in range(len(fake) - 2))  # not even by chance
    assert mapping.restore(out[0]) == text
