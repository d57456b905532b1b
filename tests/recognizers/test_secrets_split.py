"""Secrets built from several string literals (recognizers.secrets.split).

Fake secrets are built at run time from a seeded RNG, so this file holds no secret-looking
literal. Every fragment of a split secret must be reported with the secret's type, and ordinary
concatenation must stay untouched.
"""

from __future__ import annotations

import random
import re
import string

import pytest

from proxy.evaluation.public_code import load_public_code, message
from proxy.policy import default_policy_path, load_policy
from proxy.testing.data import PUBLIC_CODE
from proxy.veil.engine import Veil
from recognizers.context import DetectionContext
from recognizers.secrets import SecretRecognizer

R = SecretRecognizer()
ALNUM = string.ascii_letters + string.digits
_rng = random.Random(20261207)


def tok(n: int) -> str:
    while True:
        s = "".join(_rng.choice(ALNUM) for _ in range(n))
        if re.search(r"[a-z]", s) and re.search(r"[A-Z]", s) and re.search(r"\d", s):
            return s


def github() -> str:
    return "ghp_" + tok(36)


def stripe() -> str:
    return "sk_live_" + tok(24)


def slack() -> str:
    digits = "".join(_rng.choice(string.digits) for _ in range(12))
    return f"xoxb-{digits}-{digits[::-1]}-{tok(24)}"


def cut(secret: str, n: int) -> list[str]:
    size = -(-len(secret) // n)
    return [secret[i:i + size] for i in range(0, len(secret), size)]


def found(text: str) -> dict[str, str]:
    """Reported value -> type."""
    return {text[f.start:f.end]: f.type for f in R.analyze(text)}


def fence(lang: str, code: str) -> str:
    return f"Why does this fail?\n\n```{lang}\n{code}\n```\n"


def assert_all_fragments(text: str, parts: list[str], type_: str) -> None:
    got = found(text)
    for p in parts:
        assert got.get(p) == type_, (p, got)


# -- languages -----------------------------------------------------------------------------------

def test_python_implicit_concatenation_and_plus():
    a, b = cut(stripe(), 2), cut(slack(), 3)
    code = ("API_KEY = (\n" + "".join(f'    "{p}"\n' for p in a) + ")\n"
            + "BOT = " + " + ".join(f"'{p}'" for p in b) + "\n")
    text = fence("python", code)
    assert_all_fragments(text, a, "STRIPE_SECRET_KEY")
    assert_all_fragments(text, b, "SLACK_BOT_TOKEN")


def test_python_join_of_a_bound_list_and_f_string_of_bound_names():
    a, b = cut(github(), 3), cut(stripe(), 2)
    code = ("_CHUNKS = [\n" + "".join(f'    "{p}",\n' for p in a) + "]\n"
            'TOKEN = "".join(_CHUNKS)\n'
            + "".join(f'_K{i} = "{p}"\n' for i, p in enumerate(b))
            + 'SECRET = f"{_K0}{_K1}"\n')
    text = fence("python", code)
    assert_all_fragments(text, a, "GITHUB_TOKEN")
    assert_all_fragments(text, b, "STRIPE_SECRET_KEY")


def test_python_append_chain_and_password_by_key():
    a = cut(slack(), 3)
    pw = cut("Tr0ub4dor" + tok(6) + "&3x!", 2)
    code = ("parts = []\n" + "".join(f'parts.append("{p}")\n' for p in a)
            + 'token = "".join(parts)\n'
            + f'db_password = "{pw[0]}" + "{pw[1]}"\n')
    text = fence("python", code)
    assert_all_fragments(text, a, "SLACK_BOT_TOKEN")
    assert_all_fragments(text, pw, "PASSWORD")


def test_javascript_plus_template_join_and_concat():
    a, b, c, d = cut(stripe(), 3), cut(github(), 2), cut(slack(), 3), cut(github(), 3)
    code = ("const key = " + " + ".join(f'"{p}"' for p in a) + ";\n"
            f'const A = "{b[0]}";\nconst B = \'{b[1]}\';\n'
            "export const gh = `${A}${B}`;\n"
            "const slack = [" + ", ".join(f'"{p}"' for p in c) + '].join("");\n'
            f'const t = "{d[0]}".concat("{d[1]}", "{d[2]}");\n')
    text = fence("javascript", code)
    assert_all_fragments(text, a, "STRIPE_SECRET_KEY")
    assert_all_fragments(text, b, "GITHUB_TOKEN")
    assert_all_fragments(text, c, "SLACK_BOT_TOKEN")
    assert_all_fragments(text, d, "GITHUB_TOKEN")


def test_go_and_java():
    a, b, c = cut(github(), 2), cut(stripe(), 2), cut(github(), 2)
    go = (f'package main\n\nconst prefix = "{b[0]}"\n\nfunc main() {{\n'
          f'\ttoken := "{a[0]}" +\n\t\t"{a[1]}"\n\tkey := prefix + "{b[1]}"\n'
          "\tfmt.Println(token, key)\n}")
    java = ("class A {\n  String build() {\n    StringBuilder sb = new StringBuilder();\n"
            f'    sb.append("{c[0]}").append("{c[1]}");\n    return sb.toString();\n  }}\n}}')
    text = fence("go", go) + fence("java", java)
    assert_all_fragments(text, a, "GITHUB_TOKEN")
    assert_all_fragments(text, b, "STRIPE_SECRET_KEY")
    assert_all_fragments(text, c, "GITHUB_TOKEN")


def test_shell_variables_adjacent_quotes_and_printf():
    a, b, c = cut(github(), 2), cut(stripe(), 2), cut("Zq9" + tok(10) + "#x", 2)
    d, e = cut(slack(), 2), cut(github(), 2)
    script = (f'T_A="{a[0]}"; T_B=\'{a[1]}\'\nTOKEN="$T_A$T_B"\n'
              f'K1={b[0]}\nK2="{b[1]}"\nexport STRIPE="${{K1}}${{K2}}"\n'
              f'PGPASSWORD="{c[0]}"\'{c[1]}\' psql -h db -U app\n'
              f"SLACK=$(printf '%s%s' \"{d[0]}\" \"{d[1]}\")\n"
              f'GH="{e[0]}""{e[1]}"\n'
              'curl -H "Authorization: Bearer $TOKEN" https://api.example.com/v1/x\n')
    text = fence("bash", script)
    assert_all_fragments(text, a, "GITHUB_TOKEN")
    assert_all_fragments(text, b, "STRIPE_SECRET_KEY")
    assert_all_fragments(text, c, "PASSWORD")
    assert_all_fragments(text, d, "SLACK_BOT_TOKEN")
    assert_all_fragments(text, e, "GITHUB_TOKEN")


def test_a_fragment_that_also_holds_public_text_is_cut_at_the_secret():
    s = github()
    code = f'HEADER = "Bearer {s[:20]}" + "{s[20:]}"\n'
    text = fence("python", code)
    assert_all_fragments(text, [s[:20], s[20:]], "GITHUB_TOKEN")
    assert "Bearer" not in "".join(found(text))


# -- what stays --------------------------------------------------------------------------------

NEGATIVE = {
    "python": (
        'msg = "Hello, " + name + "! Your report is at " + "/var/lib/reports/" + "q3-summary.pdf"\n'
        'url = "https://api.example.com" + "/v1/users/" + str(uid)\n'
        'log.info("Connecting to " + "database-primary" + " on port " + "5432")\n'
        'path = "/".join(["usr", "local", "bin"])\n'
        'SQL = ("SELECT id, name FROM users "\n       "WHERE created_at > %s "\n'
        '       "ORDER BY name")\n'
        'token_type = "Bearer" + "Token"\n'
        'KEY_PREFIX = "cache:" + "user_profile:" + "v2"\n'
        'password_hint = "Use at least " + "twelve characters"\n'
    ),
    "javascript": (
        'const label = "Total: " + count + " items";\n'
        'const cls = ["btn", "btn-primary", "active"].join(" ");\n'
        "const greeting = `Hello ${user.firstName} ${user.lastName}`;\n"
        'const api = BASE_URL + "/api/v2/" + "accounts/" + id;\n'
    ),
    "bash": (
        'PREFIX="/opt/app"\nBIN="$PREFIX/bin"\nexport PATH="$BIN:$PATH"\n'
        'LOG_DIR="${PREFIX}/logs"\necho "deploying to ""$HOST"\n'
        "printf '%s%s' \"release-\" \"2024.10.1\"\n"
    ),
}


@pytest.mark.parametrize("lang", sorted(NEGATIVE))
def test_ordinary_concatenation_is_not_a_secret(lang):
    assert found(fence(lang, NEGATIVE[lang])) == {}


def test_chunks_never_joined_stay():
    parts = cut(github(), 3)
    code = "CHUNKS = [" + ", ".join(f'"{p}"' for p in parts) + "]\nprint(len(CHUNKS))\n"
    assert found(fence("python", code)) == {}


def test_public_code_gains_no_split_finding():
    for rec in load_public_code(PUBLIC_CODE):
        for text in (message(rec, "fenced"), rec["text"]):
            plain = {(f.start, f.end) for f in R._scan(DetectionContext(text), 0)}
            extra = [f for f in R.analyze(text) if (f.start, f.end) not in plain]
            assert extra == [], (rec.get("path"), [text[f.start:f.end] for f in extra])


def test_a_long_chain_is_bounded():
    s = github()
    filler = " + ".join(['" ab"'] * 5000)
    # pieces past the cap are not read, the secret before the filler still is
    code = f'X = "{s[:20]}" + "{s[20:]}" + {filler}\n'
    got = found(fence("python", code))
    assert got.get(s[:20]) == "GITHUB_TOKEN" and got.get(s[20:]) == "GITHUB_TOKEN"


# -- through the veil ----------------------------------------------------------------------------

def test_veil_hides_every_fragment_and_restores_the_original():
    a, b, c = cut(stripe(), 3), cut(github(), 2), cut("Pq7" + tok(9) + "!z", 2)
    text = (fence("python", "API_KEY = (\n" + "".join(f'    "{p}"\n' for p in a) + ")\n")
            + fence("bash", f'A="{b[0]}"\nB="{b[1]}"\nTOKEN="$A$B"\n'
                            f'PGPASSWORD="{c[0]}""{c[1]}" pg_dump app\n'))
    veil = Veil(load_policy(default_policy_path()), b"k" * 32)
    (anon,), mapping = veil.anonymize([text])
    for p in a + b + c:
        assert p not in anon
    assert mapping.restore(anon) == text
    # the model's answer quoting the dummies comes back with the real fragments
    assert mapping.restore(anon.replace("Why does", "Here is why")) == \
        text.replace("Why does", "Here is why")


def test_a_prompt_of_many_code_segments_is_scanned_within_the_cpu_budget():
    # Each segment once searched the whole text for its names (quadratic: a 16 MB prompt took
    # minutes and ignored the CPU budget). Now the budget stops even a pathological one.
    from recognizers.budget import BudgetExceeded, within
    from recognizers.secrets import SecretRecognizer

    block = "```python\nA = 'x'\nB = A + 'y'\nprint(B)\n```\n\nSee above.\n\n"
    text = block * 4000
    with pytest.raises(BudgetExceeded), within(0.05):
        SecretRecognizer().analyze(text * 4)
