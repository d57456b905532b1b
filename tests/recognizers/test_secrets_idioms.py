"""Secrets joined in many languages' idioms (word lists, Terraform interpolations, ML lists,
``~``, ``//``, builders, ``reduce``, ``String.Empty`` joins, Gradle fields, make's ``?=``) and
secrets told in other languages' sentences (after a change verb, a bare space, a user and a
slash, passphrase words, the borrowed word "token").

Fake secrets are built at run time from a seeded RNG, so this file holds no secret-looking
literal.
"""

from __future__ import annotations

import random
import string

import pytest

from recognizers.secrets import SecretRecognizer

R = SecretRecognizer()
ALNUM = string.ascii_letters + string.digits
_rng = random.Random(20261208)


def _rand(n: int, alphabet: str = ALNUM) -> str:
    while True:
        v = "".join(_rng.choice(alphabet) for _ in range(n))
        if alphabet != ALNUM or (any(c.isupper() for c in v) and any(c.islower() for c in v)
                                 and any(c.isdigit() for c in v)):
            return v


def aws_secret() -> list[str]:
    """A 40-character AWS secret access key in three pieces."""
    v = _rand(12) + "/" + _rand(13) + "+" + _rand(13)
    return [v[:14], v[14:28], v[28:]]


def password() -> list[str]:
    """A password in two pieces: letters, digits and a symbol in each."""
    return [_rand(7) + "!" + _rand(3, string.digits), _rand(6) + "*" + _rand(2, string.digits)]


def found(text: str) -> set[str]:
    return {text[f.start:f.end] for f in R.analyze(text)}


def fence(lang: str, code: str) -> str:
    return f"Why does the upload fail?\n\n```{lang}\n{code}\n```\n"


def _q(p: list[str], q: str = '"') -> list[str]:
    return [f"{q}{x}{q}" for x in p]


# -- split ----------------------------------------------------------------------------------------

SPLIT = [
    ("ruby", lambda p: f"db_password = %w[{' '.join(p)}].join"),
    ("perl", lambda p: f"my $db_password = join('', qw({' '.join(p)}));"),
    ("hcl", lambda p: "locals {\n" + "".join(f'  p{j} = "{x}"\n' for j, x in enumerate(p))
     + '  db_password = "' + "".join(f"${{local.p{j}}}" for j in range(len(p))) + '"\n}'),
    ("haskell", lambda p: f"dbPassword :: String\ndbPassword = mconcat [{', '.join(_q(p))}]"),
    ("ocaml", lambda p: f'let db_password = String.concat "" [{"; ".join(_q(p))}]'),
    ("d", lambda p: "immutable dbPassword = " + " ~ ".join(_q(p)) + ";"),
    ("fortran", lambda p: "character(len=*), parameter :: db_password = "
     + " // ".join(_q(p, "'"))),
    ("swift", lambda p: 'let dbPassword = String(format: "' + "%@" * len(p) + '", '
     + ", ".join(_q(p)) + ")"),
    ("powershell", lambda p: f"$dbPassword = '{p[0]}' + `\n    '{p[1]}'"),
    ("java", lambda p: f"String dbPassword = Stream.of({', '.join(_q(p))})"
     ".collect(Collectors.joining());"),
    ("csharp", lambda p: f"var dbPassword = string.Join(string.Empty, {', '.join(_q(p))});"),
    ("javascript", lambda p: f"const dbPassword = [{', '.join(_q(p, chr(39)))}]"
     ".reduce((a, b) => a + b, '');"),
    ("matlab", lambda p: f"dbPassword = strcat({', '.join(_q(p, chr(39)))});"),
    ("makefile", lambda p: "".join(f"_P{j} = {x}\n" for j, x in enumerate(p))
     + "export DB_PASSWORD ?= " + "".join(f"$(_P{j})" for j in range(len(p)))),
]


@pytest.mark.parametrize(("lang", "form"), SPLIT, ids=[f[0] for f in SPLIT])
def test_a_password_joined_in_each_idiom(lang, form) -> None:
    parts = password()
    assert set(parts) <= found(fence(lang, form(parts)))


def test_an_ml_list_stays_a_list_where_no_join_takes_it() -> None:
    parts = password()
    assert not set(parts) & found(fence("ocaml", f"let db_password = [{'; '.join(_q(parts))}]"))


def test_a_semicolon_at_a_line_end_ends_a_statement() -> None:
    # C#: two statements, then the next block's fence: nothing joins the two literals
    a, b = _rand(12), _rand(12)
    text = f'var x = "{a}";\nvar y = "{b}";\n\n```sh\nls\n```'
    assert not {a, b} & found(text)


def test_gradle_build_config_field() -> None:
    key = "".join(aws_secret())
    text = fence("gradle", f'buildConfigField "String", "API_KEY", "\\"{key}\\""')
    assert key in found(text)
    parts = aws_secret()  # and the same, glued from pieces, next to an S3 bucket
    text = fence("gradle", "// uploads to the S3 bucket\nbuildConfigField 'String', 'ACCESS', "
                           "'\"' + " + " + ".join(_q(parts, "'")) + " + '\"'")
    assert set(parts) <= found(text)


@pytest.mark.parametrize("context", ["// S3 uploads (eu-west-1)", "// IAM user for CI",
                                     "// object storage for the media uploads"])
def test_a_cloud_key_under_a_neutral_name_known_by_what_is_near(context: str) -> None:
    parts = aws_secret()
    code = f"{context}\n" + "".join(f"def part{j} = '{x}'\n" for j, x in enumerate(parts)) \
        + 'def blob = "' + "".join(f"${{part{j}}}" for j in range(len(parts))) + '"'
    assert set(parts) <= found(fence("groovy", code))


def test_a_neutral_name_with_nothing_near_stays() -> None:
    parts = aws_secret()
    code = "".join(f"def part{j} = '{x}'\n" for j, x in enumerate(parts)) \
        + 'def blob = "' + "".join(f"${{part{j}}}" for j in range(len(parts))) + '"'
    assert not set(parts) & found(fence("groovy", code))


def test_assigned_literals_on_indented_lines_in_prose() -> None:
    parts = [_rand(10), _rand(10), _rand(10)]
    key = "AIza" + parts[0]
    text = ("Our build fails:\n\nstatic const char *mapsApiKey =\n"
            f'    "{key}"\n    "{parts[1]}"\n    "{parts[2]}";\n\nAny idea?')
    assert {key, parts[1], parts[2]} <= found(text)
    # quoted words on their own lines in a message are no chain
    text = f'He wrote "{parts[0]}"\n    "{parts[1]}" and left.'
    assert not set(parts[:2]) & found(text)


# -- told in a sentence ---------------------------------------------------------------------------

def _pw() -> str:
    return _rand(8) + "!" + _rand(2, string.digits)


def _tok() -> str:
    return _rand(32)


@pytest.mark.parametrize("template", [
    "ich habe das Passwort auf {v} geändert",
    "j'ai changé le mot de passe en {v}",
    "le mdp c'est {v}",
    "cambié la contraseña a {v}",
    "usuario: admin, contraseña {v}",
    "a palavra-passe é {v}",
    "usuário admin e senha {v}",
    "la parola d'ordine è {v}",
    "ho cambiato la password in {v}",
    "ik heb het wachtwoord veranderd in {v}",
    "nowe hasło to {v}",
    "zmieniłem hasło na {v}",
    "я поменял пароль на {v}",
    "логин admin, пароль {v}",
    "kullanıcı admin, şifresi {v}",
    "şifreyi {v} olarak değiştirdim",
    "パスワードを{v}に変更しました",
    "密码改成了{v}",
    "비밀번호를 {v}로 바꿨어요",
    "Zugang: Benutzer admin, PW {v}",
    "identifiants : admin / {v}",
    "inlog: admin / {v}",
    "usuário admin e senha {v}\na frase-senha é outra",
])
def test_a_password_in_another_language(template: str) -> None:
    v = _pw()
    assert v in found(template.format(v=v))


@pytest.mark.parametrize("template", [
    "das Zugriffstoken lautet {v}",
    "der API-Token ist {v}",
    "o token de acesso é {v}",
    "het toegangstoken is {v}",
    "token dostępu to {v}",
    "la chiave segreta: {v}",
    "вот токен {v}",
    "la frase de paso es {v}",
    "la phrase secrète est {v}",
    "кодовая фраза: {v}",
    "de wachtzin is {v}",
])
def test_a_token_or_passphrase_in_another_language(template: str) -> None:
    v = _tok()
    assert v in found(template.format(v=v))


def test_a_key_that_starts_with_a_slash() -> None:
    v = "/v/" + _rand(37)
    assert v in found(f"de geheime sleutel: {v}")


@pytest.mark.parametrize("text", [
    "password reset for the admin account",
    "la contraseña nueva está en el gestor",
    "das Passwort auf Vault ändern",
    "password VARCHAR(255) NOT NULL",
    "token dostępu to TOKEN_FROM_ENV",
    "login: api/v2/users",
    "Set the password in config/app.yaml and restart.",
])
def test_words_and_references_are_no_secret(text: str) -> None:
    assert found(text) == set()


def test_code_after_a_token_word_is_no_value_said() -> None:
    text = "const api_token = String.fromCharCode(83, 71, 46, 78, 87, 120, 73, 99)"
    assert not any(f.startswith("String") for f in found(text))
