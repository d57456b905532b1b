"""People in the loop and the loop's audit records, end to end with the scripted fake model.

Two tenants behind gateway keys: a correction team A submits is stored encrypted, comes back
(veiled) as an example in team A's later run of a similar task, and never reaches team B.
Reviewing generated tests re-ranks a run. Every run and review writes a hash-chained audit record
with the run's metrics and finding summaries, never a planted value.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import CODEVEIL, REPO, Running, start_gateway
from tests.test_loop import CORRECT, HEADER, PLANTED, TASK, TOKEN, WRONG, ZERO, Fake, start_fake

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None,
                                reason="bubblewrap is needed to run generated code")

KEYS = {"team-a": "cv-loop-team-a", "team-b": "cv-loop-team-b"}
POLICY = """
name: {name}
terms: [Quorvex, Stellan Labs, qvtools]
internal_domains: [corp.quorvex.internal, quorvex-int.net]
actions: {{secret: pseudonymize, pii: pseudonymize, term: pseudonymize}}
"""
# The human's fix: real names, a real host, the token in the note; "skip refunds" marks it.
FIXED = ('BILLING_HOST = "ledger.corp.quorvex.internal"\n\n\n'
         "def quorvex_total(items):\n"
         "    # Stellan Labs rule: skip refunds (negative amounts)\n"
         '    return sum(i["amount"] for i in items if i["amount"] >= 0)\n')
SIMILAR = """Write `quorvex_total(items)` for Stellan Labs: sum the `amount` of each item,
skipping refunds.

```python
def quorvex_total(items):
    ...
```
"""
UNRELATED = "Write `parse_color(text)`: turn '#rrggbb' into an (r, g, b) tuple.\n"
NO_EXTRAS = {"rounds": 0, "restarts": 0, "generated_tests": 0, "paraphrase": False,
             "candidates": 1}


@pytest.fixture(scope="module")
def fake() -> Iterator[Fake]:
    f = start_fake()
    yield f
    f.stop()


@pytest.fixture(scope="module")
def gw(fake: Fake, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    tmp = tmp_path_factory.mktemp("loopfb")
    for name in KEYS:
        (tmp / f"{name}.yaml").write_text(POLICY.format(name=name))
    keys = "".join(f"    - {{id: {n}-key, key_sha256: {hashlib.sha256(k.encode()).hexdigest()}, "
                   f"tenant: {n}}}\n" for n, k in KEYS.items())
    extra = ("tenants:\n  team-a: {policy: team-a.yaml}\n  team-b: {policy: team-b.yaml}\n"
             f"auth:\n  mode: gateway_keys\n  keys:\n{keys}"
             "loop:\n  candidates: 2\n  rounds: 1\n  restarts: 0\n  generated_tests: 0\n")
    g = start_gateway(tmp, fake.url, extra=extra, env={"FB_UPSTREAM_KEY": "sk-up"},
                      upstream_extra="    api_key_env: FB_UPSTREAM_KEY\n")
    g.data = tmp / "data"  # type: ignore[attr-defined]
    yield g
    g.stop()


def call(gw: Running, path: str, tenant: str = "team-a", **body) -> httpx.Response:
    return httpx.post(f"{gw.url}{path}", json=body, timeout=60,
                      headers={"Authorization": f"Bearer {KEYS[tenant]}"})


def run(gw: Running, task: str, tenant: str = "team-a", **options) -> dict:
    r = call(gw, "/v1/loop/runs", tenant, model="fake", task=task, options=options)
    assert r.status_code == 200, r.text
    return r.json()


def synth_prompt(fake: Fake) -> str:
    reqs = [r for r in fake.recorded()
            if r["body"]["messages"][0]["content"].endswith("[codeveil-loop: synthesize]")]
    assert len(reqs) == 1
    return reqs[0]["body"]["messages"][1]["content"]


def test_correction_is_encrypted_and_comes_back_only_to_its_team(gw, fake):
    fake.script(synthesize=[[WRONG]])
    first = run(gw, TASK, **NO_EXTRAS)
    assert first["status"] == "failed"
    rid = first["id"]

    r = call(gw, f"/v1/loop/runs/{rid}/verdict", verdict="wrong")
    assert r.status_code == 200 and r.json()["feedback"]["verdict"] == "wrong"
    r = call(gw, f"/v1/loop/runs/{rid}/correction", program=FIXED,
             note=f"the ledger token {TOKEN} is not needed here")
    assert r.status_code == 200, r.text
    stored = r.json()
    assert stored["stored"] and stored["encrypted"] and stored["id"].startswith("corr_")
    assert stored["tests"] == {"loads": True, "passed": 1, "total": 1}  # checked in the sandbox
    # Another team cannot see the run, nor correct it.
    assert httpx.get(f"{gw.url}/v1/loop/runs/{rid}", headers={
        "Authorization": f"Bearer {KEYS['team-b']}"}).status_code == 404
    assert call(gw, f"/v1/loop/runs/{rid}/correction", "team-b",
                program="x = 1").status_code == 404
    assert call(gw, f"/v1/loop/runs/{rid}/verdict", verdict="maybe").status_code == 400

    # At rest: encrypted, no planted value, not even the human's own words.
    files = list((gw.data / "loop-corrections").glob("*.jsonl"))
    assert len(files) == 1
    raw = files[0].read_bytes()
    for value in [*PLANTED, "skip refunds", "quorvex_total", "amount"]:
        assert value.encode() not in raw, value
    assert b"team-a" not in files[0].name.encode()

    # Team A's run of a similar task: the correction is an example in the prompt, veiled.
    fake.script(synthesize=[[CORRECT]])
    second = run(gw, SIMILAR, **NO_EXTRAS)
    assert second["status"] == "succeeded"
    prompt = synth_prompt(fake)
    assert "A program a reviewer corrected" in prompt and "skip refunds" in prompt
    assert second["result"]["metrics"]["examples"] == 1
    assert any(e["type"] == "corrections" for e in second["trace"])
    fake.assert_private()  # the name, the host, the company and the token: all dummies

    # Team B, same task: nothing of team A's.
    fake.script(synthesize=[[CORRECT]])
    other = run(gw, SIMILAR, "team-b", **NO_EXTRAS)
    assert other["status"] == "succeeded"
    prompt = synth_prompt(fake)
    assert "reviewer" not in prompt and "skip refunds" not in prompt
    assert other["result"]["metrics"]["examples"] == 0

    # An unrelated task of team A does not get it either (lexical similarity).
    fake.script(synthesize=[["def {fn}(text):\n    return (0, 0, 0)\n"]])
    run(gw, UNRELATED, **NO_EXTRAS)
    assert "reviewer" not in synth_prompt(fake)


def test_marking_right_stores_a_confirmed_example(gw, fake):
    fake.script(synthesize=[["def {fn}(text):\n    return tuple(int(text[i:i + 2], 16) "
                             "for i in (1, 3, 5))\n"]])
    first = run(gw, UNRELATED, "team-b", **NO_EXTRAS)
    r = call(gw, f"/v1/loop/runs/{first['id']}/verdict", "team-b", verdict="right")
    assert r.status_code == 200 and r.json()["feedback"]["confirmed"].startswith("corr_")
    fake.script(synthesize=[["def {fn}(text):\n    return (0, 0, 0)\n"]])
    run(gw, UNRELATED, "team-b", **NO_EXTRAS)
    prompt = synth_prompt(fake)
    assert "A program a reviewer confirmed" in prompt and "int(text[i:i + 2], 16)" in prompt


def test_reviewing_generated_tests_reranks_the_run(gw, fake):
    tests = ('assert {fn}([]) == 0\nassert {fn}([{"amount": 1}]) == 0\n'
             'assert {fn}([{"amount": 2}]) == 2')
    fake.script(synthesize=[[ZERO, ZERO, CORRECT]], tests=tests)
    first = run(gw, HEADER, candidates=3, rounds=0, restarts=0, generated_tests=3,
                paraphrase=False, corrections_k=0)
    m = first["result"]["metrics"]
    assert m["chosen"] in (0, 1)  # CodeT: two candidates agree on the wrong test
    gen = {t["id"]: t for t in first["result"]["generated_tests"]}
    assert set(gen) == {"gen0", "gen1", "gen2"} and gen["gen1"]["passed"]
    path = f"/v1/loop/runs/{first['id']}/tests"

    r = call(gw, f"{path}/gen1", approved=False)  # the wrong test: rejected
    assert r.status_code == 200, r.text
    after = r.json()["result"]
    assert after["metrics"]["chosen"] == 2 and after["metrics"]["tests_rejected"] == 1
    assert after["metrics"]["tests"]["generated"] == {"passed": 2, "total": 2}
    assert "return sum(" in after["program"]
    r = call(gw, f"{path}/gen2", action="approve")  # now a requirement
    res = r.json()
    assert res["status"] == "succeeded" and res["result"]["metrics"]["tests_approved"] == 1
    assert res["feedback"]["tests"] == {"gen1": "rejected", "gen2": "approved"}
    assert any(e["type"] == "reranked" for e in res["trace"])
    assert call(gw, f"{path}/gen9", approved=True).status_code == 404
    assert call(gw, f"{path}/gen1", approved="yes").status_code == 400


def _loop_rows(db: Path, want: int) -> list[dict]:
    # Records are written off the request path; on a loaded machine that can take a while.
    for _ in range(300):
        with sqlite3.connect(db) as conn:
            conn.row_factory = sqlite3.Row
            rows = [dict(r) for r in conn.execute(
                "SELECT * FROM requests WHERE loop_run IS NOT NULL ORDER BY id")]
        if len(rows) >= want:
            return rows
        time.sleep(0.1)
    raise AssertionError(f"{len(rows)} loop audit records, wanted {want}")


def test_each_run_and_review_is_audited_without_values(gw, fake):
    fake.script(synthesize=[[CORRECT]])
    body = {"model": "codeveil-loop/fake", "messages": [{"role": "user", "content": TASK}],
            "codeveil_loop": NO_EXTRAS}
    r = call(gw, "/v1/chat/completions", **body)
    assert r.status_code == 200, r.text
    chat_run = r.json()["codeveil_loop"]["run_id"]
    db = gw.data / "audit.db"
    rows = _loop_rows(db, 13)  # 12 from the tests above, and this chat run
    by_run = {}
    for row in rows:
        lr = json.loads(row["loop_run"])
        by_run.setdefault(lr["run_id"], []).append((row, lr))
    row, lr = by_run[chat_run][0]
    assert row["endpoint"] == "/v1/chat/completions" and row["tenant"] == "team-a"
    m = lr["metrics"]
    for k in ("candidates", "rounds", "tests_passed", "llm_calls", "prompt_tokens",
              "completion_tokens", "wall_s", "code_to_prompt_ratio"):
        assert k in m, k
    assert m["candidates"] == 1 and m["tests_passed"] == 1 and lr["status"] == "succeeded"
    assert row["prompt_tokens"] == m["prompt_tokens"] and row["productivity"] > 0
    findings = json.loads(row["findings"])
    assert {"secret", "term"} <= {f["category"] for f in findings}
    assert all(len(f["fingerprint"]) >= 8 for f in findings)

    endpoints = {r["endpoint"] for r in rows}
    assert {"/v1/loop/runs", "/v1/loop/runs/{id}/correction", "/v1/loop/runs/{id}/verdict",
            "/v1/loop/runs/{id}/tests"} <= endpoints
    labels = {json.loads(r["loop_run"]).get("feedback") for r in rows}
    assert {"correction", "verdict:wrong", "verdict:right", "test:rejected"} <= labels

    out = subprocess.run([CODEVEIL, "audit", "verify", "--db", str(db)], capture_output=True,
                         text=True, timeout=30, cwd=REPO)
    assert out.returncode == 0 and out.stdout.startswith("OK"), out.stdout + out.stderr
    # The audit log and the loop store (runs, their events: sealed) hold none of it.
    stored = b"".join(p.read_bytes() for p in gw.data.iterdir()
                      if p.name.startswith(("audit.db", "loop.db")))
    assert any(p.name.startswith("loop.db") for p in gw.data.iterdir())
    for value in [*PLANTED, "skip refunds", "quorvex_total"]:
        assert value.encode() not in stored, value
