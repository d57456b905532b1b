"""Tokens bound to secret-like names whatever their alphabet: a URL's ``?key=``, ``id:secret``
pairs under ``*_KEY``, long numeric client ids under ``api_key``, lower-case random tokens in
YAML; and what stays public next to them (publishable keys, words, versions, hashes' names).

Fake secrets are built at run time from a seeded RNG, so this file holds no secret-looking
literal.
"""

from __future__ import annotations

import random
import string

import pytest

from recognizers.secrets import SecretRecognizer

R = SecretRecognizer()
LOWER_DIGITS = string.ascii_lowercase + string.digits
HEX = "0123456789abcdef"
_rng = random.Random(20261209)


def _rand(n: int, alphabet: str = LOWER_DIGITS) -> str:
    while True:
        v = "".join(_rng.choice(alphabet) for _ in range(n))
        if any(c.isdigit() for c in v) and any(c.isalpha() for c in v):
            return v


def found(text: str) -> set[str]:
    return {text[f.start:f.end] for f in R.analyze(text)}


def test_a_url_key_parameter_holds_an_api_key():
    tok = _rand(32)
    assert tok in found(f"GET https://api.example-maps.io/v1/geo?q=berlin&key={tok}")
    short = _rand(14)
    assert short in found(f"curl 'https://search.vendor.net/v2?key={short}&lang=en'")
    # a cache or object key, words or a path, is no secret
    assert not found("see https://cdn.site.org/get?key=uploads/2024/report.pdf")
    assert not found("https://docs.site.org/find?key=user_profile&sort=asc")


def test_id_secret_pair_under_a_key_name():
    pair = f"{_rand(8, HEX)}:{_rand(8, HEX)}"
    assert pair in found(f"export BUNDLE_GEMS__VENDOR__COM_KEY={pair}")
    # a digest's name and value, a host and port, are not a credential pair
    assert not found(f"CACHE_KEY=sha256:{_rand(64, HEX)[:12]}")
    assert not found("CACHE_KEY=db.internal:5432")


def test_long_numeric_ids_bound_to_api_key_or_token():
    num = "".join(_rng.choice(string.digits) for _ in range(16))
    assert num in found(f'client = Vendor(api_key="{num}")')
    assert num in found(f"vendor:\n  token: {num}\n")
    assert not found("max_tokens: 409600000000")  # not a token's name
    assert not found('api_key = "123456789012"')  # a sequence


def test_random_tokens_with_unusual_alphabets():
    tok = _rand(20) + "=" + _rand(12) + "-" + _rand(8)
    assert tok in found(f'String liveKey = "{tok}";')
    low = _rand(36) + "_" + _rand(3)
    assert low in found(f"chat:\n  token: {low}\n")
    # an identifier of words, a version or a dotted name stays
    assert not found('String cacheKey = "user_settings_cache_v2_enabled";')
    assert not found('const buildKey = "com.example.app-2.14.3-release";')


@pytest.mark.parametrize("text", [
    "PUBLISHABLE_KEY=pk_live_ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "public_key: 3f786850e387550fdab836ed7e6dc881de23001b",
    "request_id: 0f8fad5b-d9cb-469f-a165-70867728950e",
])
def test_public_values_stay(text):
    assert not found(text)


# -- an AWS secret joined from pieces whose joined value has no secret-like name --------------

B64ISH = string.ascii_letters + string.digits + "/+"


def _aws() -> tuple[str, list[str]]:
    while True:
        sk = "".join(_rng.choice(B64ISH) for _ in range(40))
        if any(c.isupper() for c in sk) and any(c.islower() for c in sk) and any(
                c.isdigit() for c in sk):
            return sk, [sk[:13], sk[13:27], sk[27:]]


def _akid() -> str:
    return "AKIA" + "".join(_rng.choice(string.ascii_uppercase + string.digits) for _ in range(16))


def test_batch_variables_joined_by_references():
    _, p = _aws()
    sets = "\n".join(f"set P{k}={x}" for k, x in enumerate(p))
    text = (f"```batch\n@echo off\nset AWS_ACCESS_KEY_ID={_akid()}\n{sets}\n"
            f"set K=%P0%%P1%%P2%\naws s3 ls\n```")
    assert set(p) <= found(text)
    # references to words and paths join into no secret
    assert not found("```batch\nset A=C:\\tools\nset B=bin\nset PATH=%A%\\%B%;%PATH%\n```")


def test_yaml_items_that_make_an_aws_secret_near_a_key_id():
    _, p = _aws()
    items = "\n".join(f"    - {x}" for x in p)
    assert set(p) <= found(f"aws:\n  access_key_id: {_akid()}\n  parts:\n{items}\n")
    # a list of ids near the word aws is a list, not a secret (not 40 characters together)
    ids = "\n".join(f"  - {_rand(12)}" for _ in range(4))
    assert not found(f"aws_instances:\n{ids}\n")


def test_a_word_alone_says_a_joined_40_character_value_is_an_aws_secret():
    sk, p = _aws()
    sk = "/" + sk[1:]  # a secret may start with a slash: still no path
    p = [sk[:13], sk[13:27], sk[27:]]
    sql = f"SELECT '{p[0]}' || '{p[1]}' || '{p[2]}' AS secret;"
    assert set(p) <= found(f"```sql\n{sql}\n```")
    # the same concatenation of words stays
    assert not found("SELECT 'first_name' || ' ' || 'last_name_of_the_customer' AS secret;")


def test_flow_lists_and_env_expansions_outside_shell_blocks():
    _, p = _aws()
    assert set(p) <= found(f"aws_key_id: {_akid()}\nparts: [{p[0]}, {p[1]}, {p[2]}]\n")
    _, p = _aws()
    env = f"ID={_akid()}\nP1={p[0]}\nP2={p[1]}\nP3={p[2]}\nJOINED=${{P1}}${{P2}}${{P3}}"
    assert set(p) <= found(env)
    # a flow list of versions and an expansion of paths stay
    assert not found("aws_regions: [eu-west-1, us-east-1]\nBIN=$HOME/bin\nPATH=$BIN:$PATH")


def test_dollar_interpolation_of_bound_names_in_a_block_of_unknown_language():
    _, p = _aws()
    decl = "\n".join(f'def p{k} = "{x}"' for k, x in enumerate(p))
    text = f"Key id {_akid()}:\n```\n{decl}\ndef key = \"${{p0}}${{p1}}${{p2}}\"\n```"
    assert set(p) <= found(text)
    # names bound to words join into words
    text = '```\ndef a = "hello"\ndef b = "world"\ndef s = "${a}${b}"\n```'
    assert not found(text)


def test_numbered_config_lines_and_elements_that_make_an_aws_secret():
    _, p = _aws()
    ini = "[aws]\n" + "\n".join(f"part{k} = {x}" for k, x in enumerate(p))
    assert set(p) <= found(ini)
    _, p = _aws()
    xml = "<aws>\n" + "\n".join(f"  <p>{x}</p>" for x in p) + "\n</aws>"
    assert set(p) <= found(xml)
    # lines of one shape whose pieces do not make 40 characters stay
    assert not found("[aws]\nregion1 = euwest1\nregion2 = useast1\nregion3 = apsouth1")


@pytest.mark.parametrize("template", [
    'const a = "{0}", b = "{1}", c = "{2}";\nconst s = a + b + c;',
    '$a = "{0}"; $b = "{1}"; $c = "{2}"\n$s = $a + $b + $c',
])
def test_several_bindings_on_one_line(template):
    _, p = _aws()
    text = f"Key id {_akid()}, why does this fail?\n\n```\n{template.format(*p)}\n```\n"
    assert set(p) <= found(text)
