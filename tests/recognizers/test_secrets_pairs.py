"""Secrets by context in operations material (recognizers.secrets.pairs): name/value records,
directive lines, cookies, .pgpass lines and signed URLs.

Fake secrets are built at run time from a seeded RNG, so this file holds no secret-looking
literal.
"""

from __future__ import annotations

import base64
import json
import random
import string
from urllib.parse import quote

import pytest

from recognizers.secrets import SecretRecognizer

R = SecretRecognizer()
ALNUM = string.ascii_letters + string.digits
_rng = random.Random(20261210)


def tok(n: int = 32) -> str:
    return "".join(_rng.choice(ALNUM) for _ in range(n)) + "4kQ"


def password() -> str:
    return "W" + tok(11) + "!#" + str(_rng.randint(10, 99))


def found(text: str) -> dict[str, str]:
    return {text[f.start:f.end]: f.type for f in R.analyze(text)}


def test_har_headers_are_read_as_name_value_pairs():
    t, pw = tok(), password()
    har = {"request": {"headers": [{"name": "Authorization", "value": f"Token {t}"},
                                   {"name": "Cookie", "value": f"session={pw}"},
                                   {"name": "Accept", "value": "application/json"}]}}
    got = found(json.dumps(har, indent=1))
    assert t in got and pw in got
    assert "application/json" not in got


def test_kubernetes_env_entries_are_read_as_name_value_pairs():
    pw = password()
    doc = (f"env:\n  - name: LOG_LEVEL\n    value: debug\n"
           f"  - name: DB_PASSWORD\n    value: {pw}\n")
    assert found(doc) == {pw: "PASSWORD"}


@pytest.mark.parametrize("line,want", [
    ('    proxy_set_header Authorization "Bearer {t}";', "{t}"),
    ("    proxy_set_header X-Db-Pass {pw};", "{pw}"),
    ("  http-request set-header X-Api-Key {t}", "{t}"),
    ("  stats auth admin:{pw}", "{pw}"),
    ("127.0.0.1:6379> AUTH {pw}", "{pw}"),
])
def test_a_secret_name_then_its_value_at_the_end_of_a_directive_line(line, want):
    t, pw = tok(), password()
    assert want.format(t=t, pw=pw) in found(line.format(t=t, pw=pw))


@pytest.mark.parametrize("text", [
    "Please reset the password tomorrow",
    "The token expires after one hour",
    "  stats auth admin:password",
    "main.py:10:5:E501:line-too-long",
    "Set-Cookie: theme=dark; Path=/",
    "proxy_set_header X-Api-Key $http_x_api_key;",
])
def test_ordinary_lines_stay(text):
    assert found(text) == {}


def test_session_cookies_in_a_cookie_header():
    sess, remember = tok(24), tok(40)
    got = found(f"GET / HTTP/1.1\nCookie: theme=dark; session={sess}; lang=en\n"
                f"set-cookie: remember_user={remember}; Path=/; HttpOnly\n")
    assert got == {sess: "SESSION_COOKIE", remember: "SESSION_COOKIE"}


def test_a_pgpass_line_gives_its_password():
    pw = password()
    assert found(f"db-main.example.net:5432:app:report:{pw}\n") == {pw: "PASSWORD"}


def test_signed_url_signatures():
    sig = quote(base64.b64encode(_rng.randbytes(32)).decode(), safe="")
    hex_sig = _rng.randbytes(32).hex()
    text = (f"https://files.example.net/r.pdf?expires=1712000000&sig={sig}\n"
            f"https://b.s3.amazonaws.com/k?X-Amz-Expires=60&X-Amz-Signature={hex_sig}\n")
    got = found(text)
    assert got.get(sig) == "URL_SIGNATURE" and got.get(hex_sig) == "URL_SIGNATURE"
    assert found("https://example.net/docs?section=signature&sig=placeholder") == {}


@pytest.mark.parametrize("line,want", [
    ("openssl pkcs12 -export -passout pass:{pw} -out a.p12", "{pw}"),
    ("openssl enc -aes-256-cbc -k {pw} -in a -out b", "{pw}"),
    ("htpasswd -b .htpasswd admin {pw}", "{pw}"),
    ('echo "{pw}" | sudo -S apt-get update', "{pw}"),
    ("vault login {t}", "{t}"),
    ("gh auth login --with-token <<< {t}", "{t}"),
    ('$s = ConvertTo-SecureString "{pw}" -AsPlainText -Force', "{pw}"),
])
def test_command_lines_that_take_a_secret_by_position(line, want):
    t, pw = tok(), password()
    assert want.format(t=t, pw=pw) in found(line.format(t=t, pw=pw))


@pytest.mark.parametrize("text", [
    "ssh deploy@host 'sudo systemctl restart app' && vault login -method=oidc",
    "Then run `gh auth login` and follow the prompts.",
    "openssl enc -aes-256-cbc -k $PASSPHRASE -in a -out b",
])
def test_command_lines_without_a_literal_secret_stay(text):
    assert found(text) == {}


@pytest.mark.parametrize("code", [
    "axios.get(url, {{ headers: {{ Authorization: `Bearer {t}` }} }})",
    'conn.setRequestProperty("Authorization", "Bearer {t}");',
])
def test_an_authorization_header_set_in_code(code):
    t = tok()
    assert t in found(code.format(t=t))


def test_a_hash_sign_inside_a_password_in_a_jdbc_url_is_not_a_fragment():
    pw = "Hq7#" + tok(10)
    assert pw in found(f"jdbc:mysql://db:3306/app?user=app&password={pw}")


def test_the_api_key_told_in_a_sentence():
    t = tok()
    assert found(f"The API key is {t}.") == {t: "SECRET_VALUE"}
    assert found("The token is valid for one hour and the key was rotated yesterday.") == {}
