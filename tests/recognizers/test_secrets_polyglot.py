"""Secrets split, encoded or bound by context in less common languages and ops files: joins
and interpolations of Dart, Elixir, Scala, PHP, Rust, Haskell, PowerShell, Go, Objective-C and
Lisp, Makefile variables, rot13, webhooks, one-case session ids and positional CLI passwords.

Fake secrets are built at run time from a seeded RNG, so this file holds no secret-looking
literal.
"""

from __future__ import annotations

import base64
import codecs
import random
import string

import pytest

from recognizers.secrets import SecretRecognizer

R = SecretRecognizer()
ALNUM = string.ascii_letters + string.digits
_rng = random.Random(20261208)


def _rand(n: int, alphabet: str = ALNUM) -> str:
    return "".join(_rng.choice(alphabet) for _ in range(n))


def aws_secret() -> list[str]:
    """A 40-character AWS secret access key in three pieces (only its key names it)."""
    v = _rand(12) + "/" + _rand(13) + "+" + _rand(13)
    return [v[:14], v[14:28], v[28:]]


def fence(lang: str, code: str) -> str:
    return f"Why does the upload fail?\n\n```{lang}\n{code}\n```\n"


def found(text: str) -> set[str]:
    return {text[f.start:f.end] for f in R.analyze(text)}


def _q(p: list[str], q: str = '"') -> list[str]:
    return [f"{q}{x}{q}" for x in p]


FORMS = [
    ("dart", lambda p: f"final awsSecretKey = [{', '.join(_q(p, chr(39)))}].join();"),
    ("elixir", lambda p: "".join(f'@p{j} "{x}"\n' for j, x in enumerate(p))
     + '@aws_secret "' + "".join(f"#{{@p{j}}}" for j in range(len(p))) + '"'),
    ("scala", lambda p: "".join(f'val p{j} = "{x}"\n' for j, x in enumerate(p))
     + 'val awsSecret = s"' + "".join(f"$p{j}" for j in range(len(p))) + '"'),
    ("php", lambda p: "".join(f"$p{j} = '{x}';\n" for j, x in enumerate(p))
     + '$awsSecret = "' + "".join(f"{{$p{j}}}" for j in range(len(p))) + '";'),
    ("rust", lambda p: "".join(f'const P{j}: &str = "{x}";\n' for j, x in enumerate(p))
     + 'let aws_secret = format!("' + "".join(f"{{P{j}}}" for j in range(len(p))) + '");'),
    ("haskell", lambda p: f"awsSecret = concat [{', '.join(_q(p))}]"),
    ("powershell", lambda p: f"$awsSecret = [string]::Concat({', '.join(_q(p, chr(39)))})"),
    ("go", lambda p: f"awsSecret := fmt.Sprint({', '.join(_q(p))})"),
    ("csharp", lambda p: f'var awsSecret = string.Join("", new[] {{ {", ".join(_q(p))} }});'),
    ("objectivec", lambda p: "NSString *awsSecret = [@[" + ", ".join("@" + x for x in _q(p))
     + '] componentsJoinedByString:@""];'),
    ("clojure", lambda p: f"(def aws-secret (str {' '.join(_q(p))}))"),
    ("makefile", lambda p: "".join(f"P{j} := {x}\n" for j, x in enumerate(p))
     + "AWS_SECRET := " + "".join(f"$(P{j})" for j in range(len(p)))),
]


@pytest.mark.parametrize(("lang", "form"), FORMS, ids=[f[0] for f in FORMS])
def test_split_key_found_by_its_name_in_each_language(lang, form) -> None:
    parts = aws_secret()
    text = fence(lang, form(parts))
    assert set(parts) <= found(text)


def test_list_without_a_join_is_not_concatenated() -> None:
    parts = [_rand(14), _rand(14), _rand(14)]  # 42 characters: no AWS secret's shape
    text = fence("dart", f"final awsSecretKey = [{', '.join(_q(parts))}];")
    assert not set(parts) & found(text)
    # unless its items make exactly an AWS secret, near the word aws (a config's parts)
    parts = aws_secret()
    text = fence("dart", f"final awsSecretKey = [{', '.join(_q(parts))}];")
    assert set(parts) <= found(text)


def test_make_reads_hash_as_a_comment() -> None:
    # what follows '#' is no part of a make variable: only the piece before it is joined
    a, b = _rand(10), _rand(8)
    text = fence("makefile", f"P0 := {a}\nP1 := x#{b}\nDB_PASSWORD := $(P0)$(P1)")
    assert not any(b in f for f in found(text))


def test_one_case_session_ids_by_their_key() -> None:
    sid = _rand(32, string.ascii_lowercase + string.digits)
    assert sid in found(f'cookies = {{"sessionid": "{sid}", "theme": "dark"}}')
    assert sid in found(f'session_cookie = "{sid}"')
    # words or a name are no session id
    assert not found('session_id = "user_profile_settings_2024"')
    assert not found('sessionId = "abcdefghijklmnopqrstuvwxyz"')


def test_webhooks() -> None:
    hook = f"{_rand(18, string.digits)}/{_rand(68, ALNUM + '-_')}"
    assert hook in found(f"url = https://discord.com/api/webhooks/{hook}")
    g = "8f9c2f0e-5b8a-4c2e-9d1b-2f3a4b5c6d7e"
    teams = f"{g}@{g}/IncomingWebhook/{_rand(32, '0123456789abcdef')}/{g}"
    assert teams in found(f"webhook: https://acme.webhook.office.com/webhookb2/{teams}")
    assert not found("see https://discord.com/api/webhooks/{id}/{token} in the docs")


def test_positional_passwords_in_commands() -> None:
    pw = "Q" + _rand(12) + "!7"
    for line in (f"rabbitmqctl add_user metrics {pw}", f"net user svc_backup {pw} /add",
                 f"db=jdbc:oracle:thin:scott/{pw}@db.example.net:1521/ORCL",
                 f"sqlplus scott/{pw}@ORCL", f"requirepass {pw}\nmasterauth {pw}"):
        assert pw in found(line), line
    assert not found("net user svc * /add")
    key = _rand(64, "0123456789abcdef")
    assert key in found(f"openssl enc -aes-256-cbc -K {key} -iv 00 -in a -out b")


def test_rot13_only_where_the_line_says_so() -> None:
    tok = "ghp_" + _rand(36)
    enc = codecs.encode(tok, "rot13")
    assert enc in found(f"API_KEY = codecs.decode('{enc}', 'rot13')")
    assert enc in found(f"export T=$(echo '{enc}' | tr 'A-Za-z' 'N-ZA-Mn-za-m')")
    assert not found(f"label = '{enc[:6]}'")  # no marker: the word stays


def test_public_lookalikes_stay() -> None:
    digest = _rand(64, "0123456789abcdef")
    sha = _rand(40, "0123456789abcdef")
    sri = base64.b64encode(_rng.randbytes(48)).decode()
    for text in (f'local image = "registry.example.com/web" .. "@sha256:" .. "{digest}"',
                 f"- uses: actions/checkout@{sha}",
                 f'<script src="x.js" integrity="sha384-{sri}"></script>',
                 "Get-PnpDevice -ClassGuid '{4d36e972-e325-11ce-bfc1-08002be10318}'",
                 "DB_PASSWORD: ${DB_PASSWORD}", "mysql_root_password: \"{{ vault_pw }}\""):
        assert not found(text), text


def test_split_aws_secret_known_by_the_key_id_near_it() -> None:
    parts = aws_secret()
    key_id = "AKIA" + _rand(16, string.ascii_uppercase + "234567")
    chain = " .. ".join(_q(parts))
    assert set(parts) <= found(fence("lua", f"-- key id {key_id}\nlocal blob = {chain}"))
    # without the id, a neutral name says nothing
    assert not set(parts) & found(fence("lua", f"local blob = {chain}"))


def test_c_sprintf_writes_into_its_first_argument() -> None:
    parts = aws_secret()
    args = ", ".join(_q(parts))
    for call in (f'sprintf(aws_secret, "%s%s%s", {args});',
                 f'snprintf(aws_secret, sizeof aws_secret, "%s%s%s", {args});'):
        assert set(parts) <= found(fence("c", f"char aws_secret[64];\n{call}")), call


HEREDOCS = [
    ("ruby", lambda p: 'AWS_SECRET = <<~KEY.delete("\\n")\n' + "".join(f"  {x}\n" for x in p)
     + "KEY"),
    ("php", lambda p: '$awsSecret = str_replace("\\n", "", <<<EOT\n' + "\n".join(p) + "\nEOT);"),
    ("python", lambda p: 'AWS_SECRET = textwrap.dedent("""\n' + "".join(f"    {x}\n" for x in p)
     + '""").replace("\\n", "")'),
    ("javascript", lambda p: "const awsSecret = `\n" + "\n".join(p) + "`.replace(/\\s+/g, '');"),
    ("shell", lambda p: "export AWS_SECRET=$(tr -d '\\n' <<'EOF'\n" + "\n".join(p) + "\nEOF\n)"),
]


@pytest.mark.parametrize(("lang", "form"), HEREDOCS, ids=[h[0] for h in HEREDOCS])
def test_heredoc_whose_line_breaks_are_removed(lang, form) -> None:
    parts = aws_secret()
    assert set(parts) <= found(fence(lang, form(parts)))


def test_multiline_text_without_a_join_stays() -> None:
    parts = aws_secret()
    body = "\n".join(parts)
    assert not set(parts) & found(fence("python", f'AWS_SECRET = """\n{body}\n"""'))
    assert not set(parts) & found(fence("ruby", f"AWS_SECRET = <<~KEY\n{body}\nKEY"))


def test_hex_spaced_colon_and_0x_led() -> None:
    raw = ("sk_live_" + _rand(32)).encode()
    for enc in (raw.hex(" "), raw.hex(":").upper()):
        assert enc in found(f'KEY = bytes.fromhex("{enc}")'), enc
    assert raw.hex() in found(f"the vault returned 0x{raw.hex()} for the key")
    # a password in hex needs no name: hashes and ids never decode to printable text
    pw = ("P" + _rand(12) + "%4").encode()
    assert pw.hex() in found(f'k = bytes.fromhex("{pw.hex()}")')
    # public text, MAC addresses, digests
    assert not found(f'greeting = "{b"Hello, world".hex(" ")}"')
    assert not found("link/ether 00:1a:2b:3c:4d:5e brd ff:ff:ff:ff:ff:ff")
    assert not found(f"sha256 {_rand(64, '0123456789abcdef')}")


def test_random_letters_under_a_secret_name_on_an_env_line() -> None:
    letters = "".join(_rng.choice(string.ascii_letters) for _ in range(32))
    assert letters in found(f"WEBHOOK_SECRET={letters}")
    # a name's words (one capital per word) stay: an identifier, not a value
    assert not found("CLIENT_SECRET=MyApplicationClientSecretValue")


def test_secret_stores_set_from_the_command_line() -> None:
    tok = _rand(32)
    assert tok in found(f"gh secret set DEPLOY_TOKEN --body '{tok}'")
    assert tok in found(f"az keyvault secret set --vault-name kv --name api --value {tok}")
    assert not found('gh secret set DEPLOY_TOKEN --body "$DEPLOY_TOKEN"')


def test_a_password_directive_takes_the_rest_of_its_line() -> None:
    # redis.conf and other `directive value` files: a word-and-digits password counts
    assert found("# redis.conf\nbind 0.0.0.0\nmasterauth Banana*85\n") == {"Banana*85"}
    assert found("requirepass Orchid-2291\n") == {"Orchid-2291"}
    # the same words in a sentence, a heading, before a placeholder or more words: nothing
    for text in ("password reset is broken for Banana*85 users\n", "Password Policy\n",
                 "masterauth ${REDIS_PASSWORD}\n", "password changeme\n",
                 "requirepass is set in the secret\n"):
        assert not found(text), text


def test_credential_headers_on_a_command_line() -> None:
    tok = _rand(5) + "." + _rand(4)
    for form in (f'curl -H "Token: {tok}" https://api.example.io/v1',
                 f'curl -H"Token:{tok}" https://api.example.io/v1',
                 f"curl --header 'X-Api-Key: {tok}' https://api.example.io/v1",
                 f'wget --header="X-Session-Id: {tok}" https://api.example.io/v1'):
        assert found(form) == {tok}, form
    # headers that carry no credential, references and placeholders stay
    for text in ('curl -H "X-Request-Id: abc123def" x', 'curl -H "X-Api-Key: $API_KEY" x',
                 'curl -H "X-Api-Key: <your-key>" x', 'curl -H "Content-Type: text/plain" x'):
        assert not found(text), text


def _aws_split() -> tuple[str, str, str, str]:
    rng = random.Random(11)
    value = "".join(rng.choice(ALNUM + "+/") for _ in range(40))
    return value, value[:14], value[14:27], value[27:]


def test_a_split_key_beside_its_key_id_in_code_guessed_as_a_data_language() -> None:
    # two `NAME = "..."` lines read as TOML; the chain is still evaluated
    _, a, b, c = _aws_split()
    text = f'AWS_ACCESS_KEY_ID = "AKIA{"Q7" * 8}"\naws_secret = "{a}" + "{b}" + "{c}"\n'
    assert {a, b, c} <= found(text)


@pytest.mark.parametrize("body", [
    'val secret = "{a}" + "{b}" +\n    "{c}"',  # an operator ends the line
    'SECRET = "{a}" \\\n  "{b}" \\\n  "{c}"',  # a line continuation
    'secret = "{a}" & _\n    "{b}" & _\n    "{c}"',  # Visual Basic's
])
def test_a_chain_in_an_untagged_block_goes_on_after_an_operator(body: str) -> None:
    _, a, b, c = _aws_split()
    text = "```\n" + body.format(a=a, b=b, c=c) + "\n```\n"
    assert {a, b, c} <= found(text)
    # literals on separate lines with nothing joining them stay separate values
    assert not found('```\nlabel = "Quarterly revenue"\n"forecast for the"\n```\n')
