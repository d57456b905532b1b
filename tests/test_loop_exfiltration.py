"""A candidate program that carries a restored secret out in disguise (issue #14, finding 1).

The program runs with the real values restored. Here it raises an exception that prints the
token reversed, spaced out, dotted, one character per line, base64 at two alignments, url-safe
base64, hex, percent-encoded, upper-cased and cut in two halves: the next ``Fix {stderr}`` prompt
must carry none of these, the loop must still finish, and the run's trace and audit record must
say (by type only) that disguised values were caught.
"""

from __future__ import annotations

import base64
import json
import sqlite3
import time
from collections.abc import Iterator

import httpx
import pytest

from proxy.veil.derivatives import Derivatives
from tests.conftest import Running, start_gateway
from tests.test_loop import CORRECT, LOOP_CONFIG, TASK, TOKEN, Fake, pytestmark, start_fake  # noqa: F401  (pytestmark: skipped without bubblewrap)

EXFIL = (
    "import base64, urllib.parse\n{assign:LEDGER_TOKEN}\n\n\ndef {fn}(items):\n"
    "    t = LEDGER_TOKEN\n"
    "    raise RuntimeError('|'.join([\n"
    "        'rev=' + t[::-1], 'spaced=' + ' '.join(t), 'dots=' + '.'.join(t),\n"
    "        'lines=' + chr(10).join(t), 'b64=' + base64.b64encode(t.encode()).decode(),\n"
    "        'b64x=' + base64.b64encode(b'x' + t.encode()).decode(),\n"
    "        'b64u=' + base64.urlsafe_b64encode(b'yz' + t.encode()).decode(),\n"
    "        'hex=' + t.encode().hex(), 'pct=' + ''.join('%%%02X' % b for b in t.encode()),\n"
    "        'up=' + t.upper(), 'a=' + t[:19], 'b=' + t[19:]]))\n"
)


def disguises(t: str) -> list[str]:
    raw = t.encode()
    return [t, t[::-1], " ".join(t), ".".join(t), "\n".join(t), "\\n".join(t),
            base64.b64encode(raw).decode()[:40], base64.b64encode(b"x" + raw).decode()[4:44],
            base64.urlsafe_b64encode(b"yz" + raw).decode()[4:44], raw.hex(), raw.hex().upper(),
            "".join(f"%{b:02X}" for b in raw), t.upper(), t[:19], t[19:]]


@pytest.fixture(scope="module")
def fake() -> Iterator[Fake]:
    f = start_fake()
    yield f
    f.stop()


@pytest.fixture(scope="module")
def gw(fake: Fake, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    tmp = tmp_path_factory.mktemp("exfilgw")
    g = start_gateway(tmp, fake.url, extra=LOOP_CONFIG)
    g.data = tmp / "data"  # type: ignore[attr-defined]
    yield g
    g.stop()


def test_disguised_secret_in_stderr_never_goes_upstream(gw, fake):
    fake.script(synthesize=[[EXFIL]], **{"fix-error": [[CORRECT]]})
    r = httpx.post(f"{gw.url}/v1/loop/runs", timeout=60,
                   json={"model": "fake", "task": TASK, "options": {"generated_tests": 0}})
    assert r.status_code == 200, r.text
    run = r.json()
    assert run["status"] == "succeeded"  # the loop still works: the fix came back and passed
    debug = next(e for e in run["trace"] if e["type"] == "debug")
    assert TOKEN[::-1] in debug["stderr"]  # the candidate did print it, in the client's trace
    caught = [e for e in run["trace"] if e["type"] == "veil.derivative"]
    assert caught and all(e["types"] and TOKEN not in json.dumps(e) for e in caught)

    fix = [x for x in fake.recorded()
           if x["body"]["messages"][0]["content"].endswith("fix-error]")]
    assert len(fix) == 1
    prompt = fix[0]["body"]["messages"][1]["content"]
    assert prompt.startswith("Fix ") and "RuntimeError" in prompt and "rev=" in prompt
    sent = json.dumps(fake.recorded(), ensure_ascii=False)
    for form in disguises(TOKEN):
        assert form not in sent, form
        assert form not in prompt, form
    # No 8-character piece of the token, however spelt, made it out either.
    probe = Derivatives([(TOKEN, "x" * len(TOKEN), "t", True)])
    assert not probe.scan(prompt).hits, [prompt[s - 60:e + 60] for s, e, _ in probe._spans(prompt)]
    fake.assert_private()

    db = gw.data / "audit.db"
    for _ in range(300):  # records are written off the request path
        with sqlite3.connect(db) as conn:
            rows = conn.execute("SELECT findings FROM requests WHERE loop_run LIKE ?",
                                (f'%{run["id"]}%',)).fetchall()
        if rows:
            break
        time.sleep(0.1)
    findings = [f for row in rows for f in json.loads(row[0])]
    assert any(f["recognizer"] == "derivative" and f["category"] == "secret" for f in findings)
    assert TOKEN not in json.dumps(findings)


def test_derivatives_replace_each_disguise_and_spare_ordinary_text():
    t, dummy = TOKEN, "ghp_Q1wE2rT3yU4iO5pA6sD7fG8hJ9kL0zX1cV2b"
    d = Derivatives([(t, dummy, "github_token", True),
                     ("ledger.corp.quorvex.internal", "pay.corp.zentrix.internal", "host", False)])
    for form in disguises(t):
        out = d.scan(f"error: {form} at line 3")
        assert out.hits and form not in out.text and out.text.startswith("error: ")
    assert d.scan(f"x {t[::-1]} y").text == f"x {dummy[::-1]} y"  # same disguise, dummy's
    assert d.scan(" ".join(t)).text == dummy
    host = d.scan("to l.e.d.g.e.r.c.o.r.p.q.u.o.r.v.e.x.i.n.t.e.r.n.a.l now")
    assert host.hits and "q.u.o.r" not in host.text
    ordinary = ("Traceback (most recent call last):\n  File \"/tmp/work/main.py\", line 4\n"
                "ValueError: internal ledger totals differ; corporate policy")
    assert d.scan(ordinary).text == ordinary  # a host's words alone are not the host
