"""Tuning family ``names_places``: people's names where developers paste them.

Meeting notes and action items (``AI: Priya to check``), on-call rotation tables, Jira and
GitHub issue JSON (``assignee.displayName``, ``author.login`` + ``name``), Slack exports
(``real_name``), review threads with quoted replies (``> Rahul wrote:``), e-mail headers with
display names in several scripts, ``git log --format`` and blame output, CSV/TSV of employees,
SQL ``INSERT`` of users, YAML/TOML fixtures (``owner:``, ``maintainer:``), docstrings
(``Contact: ...``), log lines (``user Jane Doe logged in``) and LDAP DNs (``CN=Doe\\, Jane``).
Names come in many shapes: particles (``van der``, ``de la``, ``bin``, ``al-``), hyphens and
apostrophes, initials (``J. R. Smith``), surnames in capitals, and CJK, Cyrillic, Arabic,
Devanagari, Thai, Greek and Hebrew script. Decoys that must stay as written: tool and library
names that are also names (``Jenkins``, ``Ansible``, ``Hugo``), and English words that are
names elsewhere (``Grace period``, ``Will``, ``Mark as read``).
"""

from __future__ import annotations

import json
from typing import Any

from proxy.evaluation.adversarial import values as v
from proxy.evaluation.adversarial.draft import Draft, fence, user
from proxy.evaluation.adversarial.people_world import ascii_fold

Out = tuple[str, str, list[dict[str, Any]]]

_LATIN = ["de_DE", "fr_FR", "es_ES", "pt_BR", "pl_PL", "it_IT", "nl_NL", "en_US", "en_GB",
          "tr_TR", "sv_SE", "cs_CZ", "en_IN", "ro_RO", "hu_HU"]
_SCRIPTS = ["zh_CN", "ja_JP", "ko_KR", "ru_RU", "uk_UA", "ar_AA", "hi_IN", "th_TH", "el_GR",
            "he_IL"]
_PARTICLES = ["van der", "van den", "de la", "del", "von", "di", "da", "bin", "binti", "al-",
              "el-", "ben", "de", "dos", "van"]
_TOOLS = ["Jenkins", "Ansible", "Hugo", "Sphinx", "Celery", "Kafka", "Flask", "Jupyter",
          "Gradle", "Maven", "Pandas", "Hadoop", "Cassandra", "Helm"]
# English words and phrases that look like names in some tool or UI text
_DECOYS = ["Grace period", "Mark as read", "Will retry", "Rich text", "Sterling silver",
           "Frank discussion", "Victor Mono", "Guy wires", "Amber alert", "Ruby gems",
           "Rose Pine", "Bill of materials", "Jack plug", "Pat on the back"]


class _People:
    """Distinct people of one record in the forms that templates ask for."""

    def __init__(self, d: Draft) -> None:
        self.d = d
        self.taken: set[str] = set()

    def _fresh(self, *parts: str, latin: bool = True) -> bool:
        eng = v.english()
        ok = all(p and p not in self.taken and (not latin or (
            len(ascii_fold(p)) >= 3 and ascii_fold(p).lower() not in eng)) for p in parts)
        if ok:
            self.taken.update(parts)
        return ok

    def latin(self) -> tuple[str, str]:
        while True:
            first, last, _ = v.person(self.d.rng, self.d.pick(_LATIN))
            if " " not in first + last and "." not in first + last and self._fresh(first, last):
                return first, last

    def script(self) -> str:
        """A full name in a script without Latin letters."""
        while True:
            loc = self.d.pick(_SCRIPTS)
            f = v.faker(loc)
            f.seed_instance(self.d.rng.getrandbits(32))
            first, last = f.first_name(), f.last_name()
            if " " in first + last or not self._fresh(first, last, latin=False):
                continue
            if loc in ("zh_CN", "ko_KR"):
                return last + first
            return f"{last} {first}" if loc == "ja_JP" else f"{first} {last}"

    def shaped(self) -> str:
        """A Latin name in one of the harder shapes."""
        first, last = self.latin()
        k = self.d.rng.randrange(6)
        if k == 0:
            return f"{first} {self.d.pick(_PARTICLES)} {last}".replace("- ", "-")
        if k == 1:
            return f"{first} {last}-{self.latin()[1]}"
        if k == 2:
            return f"{first} O'{last}" if self.d.rng.random() < 0.5 else f"{first} d'{last}"
        if k == 3:
            return f"{first[0]}. {self.d.pick('ABCDEFGHJKLMNPRSTW')}. {last}"
        if k == 4:
            return f"{first} {last.upper()}"
        return f"{first} {last}"

    def any(self) -> str:
        r = self.d.rng.random()
        if r < 0.2:
            return self.script()
        if r < 0.5:
            return self.shaped()
        return " ".join(self.latin())


def _name(d: Draft, text: str) -> str:
    return d.pii(text, "PERSON")


def _uname(d: Draft, full: str) -> str:
    parts = [ascii_fold(p) for p in full.replace("-", " ").split() if ascii_fold(p).isalpha()]
    first = parts[0] if parts else v.coin(d.rng)
    last = parts[-1] if len(parts) > 1 else v.coin(d.rng)
    return d.pii(v.username(d.rng, first, last), "USERNAME")


def _decoys(d: Draft, k: int = 2) -> list[str]:
    out = d.rng.sample(_TOOLS, k) + d.rng.sample(_DECOYS, k)
    d.pub(*out)
    return out


def _meeting(d: Draft, p: _People) -> Out:
    a, b, c = (_name(d, p.any()) for _ in range(3))
    fa = _name(d, p.latin()[0])
    t1, t2, w1, w2 = _decoys(d)
    text = (f"## Sync notes\nAttendees: {a}, {b}, {c}\n\n"
            f"- {t1} nightly is red again; {w1} for the trial plan stays 14 days\n"
            f"- {fa} thinks the flaky test is the cache warm-up\n\n"
            f"Action items:\n- AI: {fa} to check the {t2} job config\n"
            f"- [ ] {b}: write the postmortem\n- [ ] @{_uname(d, c)} — rotate the key\n"
            f"- Owner: {c}\n\nUI copy: \"{w2}\" button stays as is.\n")
    return "markdown", "docs", [user(f"Turn these notes into a Jira epic:\n\n{text}")]


def _oncall(d: Draft, p: _People) -> Out:
    names = [_name(d, p.any()) for _ in range(4)]
    tool, _t, w, _w = _decoys(d)
    rows = "\n".join(f"| 2025-W{10 + k:02d} | {names[k]} | {names[(k + 1) % 4]} |"
                     for k in range(4))
    text = (f"| Week | Primary | Secondary |\n|---|---|---|\n{rows}\n\n"
            f"Escalation: {names[0]} → {names[2]}\n"
            f"Pager policy: {w} applies to {tool} alerts.\n")
    return "markdown", "ops", [user(f"Who is on call in week 12?\n\n{text}")]


def _jira(d: Draft, p: _People) -> Out:
    a, b = _name(d, p.any()), _name(d, p.any())
    c = _name(d, " ".join(p.latin()))
    tool, _t, w, _w = _decoys(d)
    issue = {"key": f"OPS-{d.rng.randint(100, 9999)}", "fields": {
        "summary": f"{tool} deploy fails after upgrade", "status": {"name": "In Progress"},
        "assignee": {"displayName": a, "accountId": v.hex_token(d.rng, 24)},
        "reporter": {"displayName": b, "active": True},
        "comment": {"comments": [{"author": {"displayName": c}, "body": f"{w} — see logs"}]}}}
    gh = {"number": d.rng.randint(10, 999), "title": "Fix retry", "user": {
        "login": _uname(d, c), "name": c, "type": "User"}, "labels": [{"name": "bug"}]}
    body = (f"{fence('json', json.dumps(issue, indent=2, ensure_ascii=False))}\n\n"
            f"{fence('json', json.dumps(gh, ensure_ascii=False))}")
    return "json", "debug", [user(f"Summarize the issue and PR below.\n\n{body}")]


def _slack(d: Draft, p: _People) -> Out:
    a, b = _name(d, p.any()), _name(d, " ".join(p.latin()))
    first_b = b.split()[0]
    tool, _t, w, _w = _decoys(d)
    msgs = [
        {"type": "message", "user": "U0" + v.rand(d.rng, 8, "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"),
         "user_profile": {"real_name": a, "display_name": _uname(d, a)},
         "text": f"{tool} is stuck, can someone look?", "ts": "1712345678.000100"},
        {"type": "message", "user": "U0" + v.rand(d.rng, 8, "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"),
         "user_profile": {"real_name": b, "first_name": first_b},
         "text": f"on it. {w} though", "ts": "1712345690.000200"},
    ]
    msgs[1]["text"] += f" <@U0{v.rand(d.rng, 8, 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789')}|" \
        f"{_uname(d, a)}>"
    first, last = p.latin()
    c, dd = _name(d, f"{last}, {first}"), _name(d, p.latin()[0])
    teams = (f"[10:42 AM] {c}\n{tool} is red again\n[10:44 AM] {b}\nlooking\n"
             f"{dd}: restarted the agent, should be fine\n")
    return "json", "chat", [user(
        f"Slack export:\n{fence('json', json.dumps(msgs, indent=1, ensure_ascii=False))}\n\n"
        f"Teams:\n{fence('text', teams)}")]


def _review(d: Draft, p: _People) -> Out:
    a, b = _name(d, " ".join(p.latin())), _name(d, p.any())
    ea = d.pii(f"{_uname(d, a)}@{d.company().lower()}.io", "EMAIL")
    tool, _t, w, _w = _decoys(d)
    text = (f"On Tue, 4 Mar 2025 at 10:04, {a} <{ea}> wrote:\n"
            f"> Why not move the retry into the {tool} step?\n>\n"
            f"> {b} wrote:\n>> It only fails on the second run.\n\n"
            f"Agreed with {b.split()[0] if ' ' in b else b}'s point. {w} is fine for now.\n")
    return "text", "code_review", [user(f"Draft my reply:\n\n{fence('text', text)}")]


def _email(d: Draft, p: _People) -> Out:
    first, last = p.latin()
    a = _name(d, f"{last}, {first}")
    b, c = _name(d, p.script()), _name(d, p.shaped())
    comp = d.company().lower()
    ea, eb, ec = (d.pii(f"{_uname(d, n)}@{comp}.com", "EMAIL") for n in (first + " " + last, b, c))
    tool, _t, w, _w = _decoys(d)
    hdr = (f"From: \"{a}\" <{ea}>\nTo: {b} <{eb}>\nCc: {c} <{ec}>\n"
           f"Subject: {tool} upgrade window\n\n{w}: we keep the old runners until Friday.\n")
    return "text", "docs", [user(f"Translate the mail to English:\n\n{fence('eml', hdr)}")]


def _gitlog(d: Draft, p: _People) -> Out:
    names = [_name(d, p.any()) for _ in range(3)]
    tool, _t, w, _w = _decoys(d)
    log = "\n".join(
        f"{v.hex_token(d.rng, 7)}|{n}|2025-0{k + 1}-1{k}|fix({tool.lower()}): retry {k}"
        for k, n in enumerate(names))
    blame = (f"{v.hex_token(d.rng, 8)} ({names[1]} 2025-02-11 14:02:11 +0100 42) "
             f"    retries = 3  # {w}\n")
    return "text", "code_review", [user(
        f"$ git log --format='%h|%an|%ad|%s' --date=short\n{fence('text', log)}\n\n"
        f"$ git blame -L 42,42 ci.py\n{fence('text', blame)}")]


def _tables(d: Draft, p: _People) -> Out:
    names = [_name(d, p.any()) for _ in range(2)] + [_name(d, " ".join(p.latin()))]
    comp = d.company().lower()
    tool, _t, w, _w = _decoys(d)
    sep = d.pick([",", "\t"])
    csv = sep.join(["id", "full_name", "team", "start_date"]) + "\n" + "\n".join(
        sep.join([str(100 + k), n, d.pick(["Platform", "Data", "Web"]), f"2023-0{k + 1}-01"])
        for k, n in enumerate(names[:2]))
    mail = d.pii(f"{_uname(d, names[2])}@{comp}.dev", "EMAIL")
    sql = (f"INSERT INTO users (id, display_name, email, role) VALUES\n"
           f"  (7, '{names[2]}', '{mail}', 'admin');")
    return "sql", "debug", [user(
        f"employees.{'csv' if sep == ',' else 'tsv'}:\n{fence('text', csv)}\n\n"
        f"{fence('sql', sql)}\n\nWhy does the {tool} import skip rows? ({w})")]


def _fixtures(d: Draft, p: _People) -> Out:
    a, b, c = _name(d, p.any()), _name(d, " ".join(p.latin())), _name(d, p.shaped())
    tool, _t, w, _w = _decoys(d)
    yaml = (f"service: billing\nowner: {a}\nmaintainer: \"{b}\"\nci: {tool.lower()}\n"
            f"notes: {w}\n")
    toml = f"[project]\nname = \"billing\"\nauthors = [{{ name = \"{c}\" }}]\n"
    return "yaml", "code_review", [user(
        f"{fence('yaml', yaml)}\n\n{fence('toml', toml)}\n\nMerge these into one file.")]


def _docs_logs(d: Draft, p: _People) -> Out:
    a, b = _name(d, p.any()), _name(d, " ".join(p.latin()))
    first, last = p.latin()
    dn_name = _name(d, f"{last}\\, {first}")
    tool, _t, w, _w = _decoys(d)
    code = (f'def rotate(keys):\n    """Rotate the signing keys.\n\n    Contact: {a}\n    """\n'
            f"    return keys[::-1]\n")
    logs = (f"2025-03-02T10:11:12Z INFO user {b} logged in from 10.2.3.4\n"
            f"2025-03-02T10:11:40Z INFO ldap bind CN={dn_name},OU=Engineering,DC=corp,DC=local\n"
            f"2025-03-02T10:12:00Z WARN {tool} agent: {w}\n")
    return "python", "debug", [user(f"{fence('python', code)}\n\n{fence('log', logs)}")]


def _rotation(d: Draft, p: _People) -> Out:
    a, b, c = _name(d, p.any()), _name(d, p.any()), _name(d, " ".join(p.latin()))
    first_c = _name(d, c.split()[0])
    tool, _t, w, _w = _decoys(d)
    yaml = (f"rotation:\n  - start: 2025-03-03\n    primary: {a}\n    secondary: {b}\n"
            f"  - start: 2025-03-10\n    primary: {c}\n    secondary: {a}\n"
            f"escalation_policy: {tool.lower()}-default\n")
    notes = (f"Present: {a} (PM), {c} (Eng)\nApologies: {b}\n\n"
             f"AI ({first_c}): move the {tool} alerts to the new policy\n"
             f"Decision: {w} stays at 14 days.\n")
    return "yaml", "ops", [user(f"{fence('yaml', yaml)}\n\n{notes}\nWho covers week 11?")]


def _directory(d: Draft, p: _People) -> Out:
    first, last = p.latin()
    full = _name(d, f"{first} {last}")
    uid = _uname(d, full)
    b, c = _name(d, p.any()), _name(d, " ".join(p.latin()))
    comp = d.company().lower()
    tool, _t, w, _w = _decoys(d)
    ldif = (f"dn: uid={uid},ou=people,dc={comp},dc=local\ncn: {full}\nsn: {last}\n"
            f"givenName: {first}\nmail: {d.pii(f'{uid}@{comp}.com', 'EMAIL')}\n")
    short = (f"    {d.rng.randint(20, 90)}\t{b}\n    {d.rng.randint(2, 19)}\t{c}\n")
    return "text", "ops", [user(
        f"{fence('ldif', ldif)}\n\n$ git shortlog -sn\n{fence('text', short)}\n\n"
        f"Why does {tool} sync drop this entry? ({w})")]


_SHAPES = (_rotation, _directory, _meeting, _oncall, _jira, _slack, _review, _email, _gitlog,
           _tables, _fixtures, _docs_logs)


def names_places(d: Draft, i: int) -> Out:
    return _SHAPES[(i + i // len(_SHAPES)) % len(_SHAPES)](d, _People(d))
