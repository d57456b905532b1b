"""Families: person names in many scripts, user names and handles, phone numbers.

Names come from Faker's locales (CJK, Cyrillic, Arabic, Devanagari, Greek, Hebrew, Latin with
diacritics). A lower-case first name in chat prose is planted only when it is not an English
word, so the corpus asks for names, not for every word that might be one.
"""

from __future__ import annotations

import json
from typing import Any

from proxy.evaluation.adversarial import values as v
from proxy.evaluation.adversarial.draft import Draft, assistant, fence, user

Out = tuple[str, str, list[dict[str, Any]]]


def _people(d: Draft, n: int, scripts: str = "any") -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    names: set[str] = set()
    while len(out) < n:
        if scripts == "latin":
            # a lower-case first name is planted alone: long enough not to occur inside words
            p = v.ascii_person(d.rng)
            if len(p[0]) < 5:
                continue
        else:
            p = v.person(d.rng, d.pick(v.NON_LATIN if len(out) % 2 == 0 else v.LATIN))
        if p[2] not in names and p[0] not in names:
            names.add(p[2])
            out.append(p)
    return out


# -- tuning: names in code ---------------------------------------------------------------------

def names_code(d: Draft, i: int) -> Out:
    ppl = _people(d, 4)
    for p in ppl:
        d.pii(p[2], "PERSON")
    a, b, c, e = (p[2] for p in ppl)
    style = i % 3
    if style == 0:
        rows = ",\n".join(f'    {{"id": {k + 1}, "name": "{p[2]}", "role": "{r}"}}'
                          for k, (p, r) in enumerate(zip(ppl, ["admin", "editor", "viewer",
                                                              "editor"],
                                                         strict=True)))
        code = (f'"""Fixtures for the permissions tests.\n\nMaintainer: {a}\n"""\nimport pytest\n\n'
                f"USERS = [\n{rows},\n]\n\n\n@pytest.fixture\ndef users():\n"
                f"    return list(USERS)\n")
        d.pub("@pytest.fixture", "def users():")
        return "python", "unit_tests", [user(f"Add a test that editors cannot delete:\n\n"
                                             f"{fence('python', code)}")]
    if style == 1:
        code = (f"/**\n * Retry policy for outbound webhooks.\n *\n * @author {a}\n * @author {b}\n"
                f" */\n"
                f"public class RetryPolicy {{\n    // {c}: keep the cap below the gateway timeout\n"
                f"    private static final int MAX_ATTEMPTS = 5;\n\n"
                f"    // TODO({e}) jitter\n    long backoffMillis(int attempt) {{\n"
                "        return Math.min(30_000L, 250L << attempt);\n    }\n}\n")
        d.pub("Math.min", "MAX_ATTEMPTS", "@author")
        return "java", "refactor", [user(f"Add jitter to this, please:\n\n{fence('java', code)}")]
    csv = "name,team,start\n" + "\n".join(f"{p[2]},{t},2023-0{k + 1}-01" for k, (p, t) in enumerate(
        zip(ppl, ["infra", "data", "web", "infra"], strict=True)))
    d.pub("pd.read_csv", "groupby")
    code = ("import pandas as pd\n\ndf = pd.read_csv('staff.csv')\n"
            "print(df.groupby('team').size())\n")
    return "python", "explain", [user(f"staff.csv:\n\n{fence('csv', csv)}\n\n"
                                      f"{fence('python', code)}\n"
                                      "Why does the count for infra show 1?")]


# -- held back: names in chat prose and git metadata --------------------------------------------

def names_chat(d: Draft, i: int) -> Out:
    latin = _people(d, 2, "latin")
    other = _people(d, 2)
    lo1, lo2 = (d.pii(p[0].lower(), "PERSON") for p in latin)
    n1, n2 = (d.pii(p[2], "PERSON") for p in other)
    style = i % 3
    if style == 0:
        d.pub("git log", "Reviewed-by:")
        mail = f"{v.username(d.rng, latin[0][0], latin[0][1])}@example.org"
        d.pii(mail, "EMAIL")
        log = (f"commit {v.hex_token(d.rng)}\nAuthor: {n1} <{mail}>\n"
               f"Date:   Tue Mar 4 10:12:09 2025 +0100\n\n"
               f"    Fix rounding in invoice totals\n\n    Reviewed-by: {n2}\n")
        text = (f"{fence('text', log)}\n"
                f"this came in with the last `git log`. {lo1} says it broke the "
                f"monthly export, {lo2} thinks it was already broken. who is right?")
        return "text", "code_review", [user(text)]
    if style == 1:
        d.pub("standup", "flaky")
        return "text", "prose", [
            user(f"notes from standup: {lo1} is out until thursday, ask {lo2} about the flaky "
                 f"integration test. {n1} will pair with {n2} on the migration."),
            assistant("Got it. Do you want me to draft a plan for the migration?"),
            user(f"yes, and mention that {lo1} owns the rollback."),
        ]
    d.pub("merge conflict", "rebase")
    return "text", "prose", [user(
        f"quick question: {lo1} and me both touched `billing/rates.py` and now there is a merge "
        f"conflict. {n1} suggested a rebase, {n2} said to squash first. {lo2} is on leave. "
        "which is safer?")]


# -- tuning: handles in repository files ----------------------------------------------------------

def handles_repo(d: Draft, i: int) -> Out:
    ppl = [v.ascii_person(d.rng) for _ in range(3)]
    handles = [d.pii(v.username(d.rng, p[0], p[1]), "USERNAME") for p in ppl]
    style = i % 2
    if style == 0:
        d.pub("CODEOWNERS", "*.tf")
        text = (f"# CODEOWNERS\n*.tf @{handles[0]}\n"
                f"/services/payments/ @{handles[1]} @{handles[2]}\n"
                f"/docs/ @{handles[2]}\n")
        return "text", "config_review", [user(
            f"{fence('text', text)}\nWhy does GitHub ask @{handles[1]} to review docs changes?")]
    full = d.pii(ppl[0][2], "PERSON")
    mail = d.pii(f"{handles[0]}@users.noreply.github.com", "EMAIL")
    d.pub("Signed-off-by:", "Co-authored-by:")
    msg = (f"Handle empty pages in the paginator\n\nSigned-off-by: {full} <{mail}>\n"
           f"Co-authored-by: {handles[1]} <{handles[1]}@users.noreply.github.com>\n"
           f"# generated by {handles[2]}'s release script\n")
    d.pii(f"{handles[1]}@users.noreply.github.com", "EMAIL")
    return "text", "code_review", [user(f"Does this commit message follow the DCO?\n\n"
                                        f"{fence('text', msg)}")]


# -- held back: user names in paths, prompts and URLs --------------------------------------------

def handles_paths(d: Draft, i: int) -> Out:
    ppl = [v.ascii_person(d.rng) for _ in range(3)]
    u1, u2, u3 = (d.pii(v.username(d.rng, p[0], p[1]), "USERNAME") for p in ppl)
    host = d.pii(f"{d.word()}-build-{d.rng.randint(1, 20):02d}", "HOSTNAME")
    style = i % 3
    if style == 0:
        d.pub("Traceback (most recent call last)", "ModuleNotFoundError")
        text = (f"{u1}@{host}:~/src/api$ python -m api.main\nTraceback (most recent call last):\n"
                f'  File "/home/{u1}/src/api/api/main.py", line 3, in <module>\n'
                "    import orjson\nModuleNotFoundError: No module named 'orjson'\n")
        return "text", "debug", [user(f"{fence('console', text)}\nIt works on {u2}'s laptop "
                                      f"(/Users/{u2}/work/api) and for {u3}. What's different?")]
    if style == 1:
        d.pub("FileNotFoundError", "os.path.join")
        text = (f"Traceback (most recent call last):\n"
                f"  File \"C:\\Users\\{u1}\\projects\\etl\\run.py\", line 12\n"
                f"FileNotFoundError: [Errno 2] No such file or directory: "
                f"'C:\\\\Users\\\\{u1}\\\\data\\\\in.csv'\n")
        return "text", "debug", [user(f"{fence('text', text)}\nI build the path with os.path.join. "
                                      f"The same script runs under /home/{u3}/etl on Linux "
                                      f"({u2}@{host}).")]
    d.pub("git clone", "Permission denied (publickey)")
    text = (f"$ git clone https://{u1}@git.example.com/platform/deploy.git\n"
            f"$ ssh {u2}@{host}\n{u2}@{host}: Permission denied (publickey).\n")
    return "shell", "debug", [user(f"{fence('console', text)}\n"
                                   f"Ticket assignee: {u3}. What should I check?")]


# -- tuning: phones in fixtures and configs -------------------------------------------------------

def phones_fixtures(d: Draft, i: int) -> Out:
    regions = d.rng.sample(v.PHONE_REGIONS, 4)
    nums = [d.pii(v.fmt_phone(v.phone(d.rng, r), d.pick(["e164", "intl", "national"])), "PHONE")
            for r in regions]
    style = i % 2
    if style == 0:
        data = [{"region": r, "phone": n} for r, n in zip(regions, nums, strict=True)]
        d.pub("phonenumbers.parse", "is_valid_number")
        code = ("import phonenumbers\n\nfor row in rows:\n"
                "    n = phonenumbers.parse(row['phone'], row['region'])\n"
                "    assert phonenumbers.is_valid_number(n), row\n")
        rows = json.dumps(data, indent=2, ensure_ascii=False)
        return "python", "unit_tests", [user(f"{fence('json', rows)}\n"
                                             f"\n"
                                             f"{fence('python', code)}\n"
                                             f"Which of these fail validation and why?")]
    d.pub("on_call", "escalation")
    yml = "on_call:\n" + "".join(f"  - region: {r}\n    phone: \"{n}\"\n"
                                  for r, n in zip(regions, nums, strict=True))
    return "yaml", "config_review", [user(f"Our escalation config:\n\n{fence('yaml', yml)}\n"
                                          "Should these be in E.164?")]


# -- held back: phones as people write them in prose ---------------------------------------

def phones_prose(d: Draft, i: int) -> Out:
    styles = ["trunk", "00", "paren_cc", "slash", "dot", "dash", "national", "intl"]
    regions = d.rng.sample(["FR", "DE", "GB", "IT", "ES", "NL", "BE", "CH", "AT", "US", "AU",
                            "BR", "IN", "JP", "PL", "SE", "IE", "MX"], 3)
    nums = []
    for k, r in enumerate(regions):
        text = v.fmt_phone(v.phone(d.rng, r), styles[(i + k * 3) % len(styles)])
        if k == 2:
            text += d.pick([" ext. 214", " x31", " poste 12", " Durchwahl -27"])
        nums.append(d.pii(text, "PHONE"))
    p = v.ascii_person(d.rng)
    name = d.pii(p[2], "PERSON")
    d.pub("Best regards", "on-call")
    return "text", "prose", [user(
        f"Can you turn this e-mail signature block into a vCard?\n\n--\n{name}\nBest regards\n"
        f"Mobile: {nums[0]}\nOffice: {nums[1]}\nHotline: {nums[2]}\n\n"
        "(we also list these on the on-call page)")]
