"""Split secrets in compiled and scripting languages: builders keyed across lines and by the
name that takes their value, array literals, joins as arguments, declared types.

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
_rng = random.Random(20261209)


def password() -> list[str]:
    """A password without a provider prefix, in two pieces: only its key says it is one."""
    pw = "P" + "".join(_rng.choice(ALNUM) for _ in range(14)) + "#%" + str(_rng.randint(10, 99))
    return [pw[:9], pw[9:]]


def fence(lang: str, code: str) -> str:
    return f"The login fails, why?\n\n```{lang}\n{code}\n```\n"


def found(text: str) -> dict[str, str]:
    return {text[f.start:f.end]: f.type for f in R.analyze(text)}


def q(parts: list[str], quote: str = '"') -> list[str]:
    return [f"{quote}{p}{quote}" for p in parts]


CASES = {
    "java builder over lines": ("java", lambda p: (
        "String redisPassword = new StringBuilder()\n"
        + "".join(f"        .append({x})\n" for x in q(p)) + "        .toString();")),
    "csharp builder then ToString": ("csharp", lambda p: (
        "var sb = new StringBuilder();\n" + "".join(f"sb.Append({x});\n" for x in q(p))
        + "var smtpPassword = sb.ToString();")),
    "cpp stream then str": ("cpp", lambda p: (
        "std::ostringstream os;\nos << " + " << ".join(q(p))
        + ";\nconst auto dbPassword = os.str();")),
    "c strcpy and strcat": ("c", lambda p: (
        f"char dbPassword[64];\nstrcpy(dbPassword, {q(p)[0]});\n"
        f"strcat(dbPassword, {q(p)[1]});")),
    "kotlin buildString": ("kotlin", lambda p: (
        "val adminPwd = buildString {\n" + "".join(f"    append({x})\n" for x in q(p)) + "}")),
    "rust concat! with a declared type": ("rust", lambda p: (
        f"const DB_PASSWORD: &str = concat!({', '.join(q(p))});")),
    "go array literal joined through its name": ("go", lambda p: (
        "parts := []string{" + ", ".join(q(p)) + "}\n"
        'cfg := Config{DbPassword: strings.Join(parts, "")}')),
    "csharp new[] joined through its name": ("csharp", lambda p: (
        "var parts = new[] {" + ", ".join(q(p)) + "};\n"
        'options.DbPassword = string.Join("", parts);')),
    "java join as the argument after its key": ("java", lambda p: (
        "private static final String[] PARTS = {" + ", ".join(q(p)) + "};\n"
        'props.put("db.password", String.join("", PARTS));')),
    "rust concat() of a bound array": ("rust", lambda p: (
        "let parts = [" + ", ".join(q(p)) + "];\n"
        "let c = Config { db_password: parts.concat(), ..Default::default() };")),
    "scala mkString": ("scala", lambda p: (
        "val adminPwd = Seq(" + ", ".join(q(p)) + ").mkString")),
    "ruby unary plus and <<": ("ruby", lambda p: (
        f"admin_pwd = +{q(p, chr(39))[0]}\nadmin_pwd << {q(p, chr(39))[1]}")),
    "r paste0": ("r", lambda p: f"db_password <- paste0({', '.join(q(p))})"),
    "r paste with an empty sep": ("r", lambda p: (
        f'db_password <- paste({", ".join(q(p))}, sep = "")')),
    "elixir <>": ("elixir", lambda p: "db_password = " + " <> ".join(q(p))),
    "julia *": ("julia", lambda p: "db_password = " + " * ".join(q(p))),
    "visual basic &": ("vb", lambda p: "Dim dbPassword As String = " + " & ".join(q(p))),
    "ocaml ^": ("ocaml", lambda p: "let db_password = " + " ^ ".join(q(p))),
    "sql CONCAT": ("sql", lambda p: f"SET @db_password = CONCAT({', '.join(q(p, chr(39)))});"),
    "kotlin plus": ("kotlin", lambda p: f"val dbPassword = {q(p)[0]}.plus({q(p)[1]})"),
    "powershell -join": ("powershell", lambda p: (
        f"$dbPassword = @({', '.join(q(p, chr(39)))}) -join ''")),
    "an argument built with +": ("java", lambda p: (
        'props.setProperty("db.password", ' + " + ".join(q(p)) + ");")),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_piece_of_a_password_built_so_is_reported(case):
    lang, make = CASES[case]
    parts = password()
    got = found(fence(lang, make(parts)))
    assert all(p in got for p in parts), got  # each piece gets a dummy
    assert "PASSWORD" in got.values(), got


@pytest.mark.parametrize("lang,code", [
    ("java", 'String greeting = new StringBuilder()\n    .append("Hello, ")\n'
             '    .append("dear customer")\n    .toString();'),
    ("csharp", 'var sb = new StringBuilder();\nsb.Append("SELECT id ");\n'
               'sb.Append("FROM orders");\nvar sql = sb.ToString();'),
    ("go", 'parts := []string{"usr", "local", "bin"}\npath := strings.Join(parts, "/")'),
    ("c", 'char buf[64];\nstrcpy(buf, "/var/lib/");\nstrcat(buf, "reports.db");'),
    ("scala", 'val path = Seq("home", "deploy", "releases").mkString("/")'),
    ("java", 'log.info("Connecting to " + "database-primary", "on port " + "5432");'),
    ("julia", 'banner = "=" * "Hello" * "World"'),
    ("r", 'path <- paste("reports", "quarterly", sep = "/")'),
])
def test_builders_of_ordinary_text_stay(lang, code):
    assert found(fence(lang, code)) == {}


@pytest.mark.parametrize("line", [
    'const DB_PASSWORD: &str = "{v}";',
    'val dbPassword: String = "{v}"',
    'var dbPassword string = "{v}"',
    'let apiSecret: string = "{v}";',
])
def test_a_declared_type_between_the_name_and_the_value(line):
    v = "".join(password())
    assert v in found(line.format(v=v))


def test_a_value_with_an_equals_sign_is_not_read_as_a_declared_type():
    got = found("password: k9x8w7v6u5='tail'\n")  # YAML: one value, not "type = 'tail'"
    assert "tail" not in got and got
