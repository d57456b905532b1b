"""Three gateway replicas on one PostgreSQL: any replica answers for any loop run.

Three real ``codeveil serve`` processes share one database (audit log, loop runs, corrections)
and the surrogate keys, in front of the scripted (slow) code model. Chat requests go to all three
at once; a loop run starts on A, is followed live on B (its SSE events, polled from the store),
corrected on C, re-ranked on B, and its correction comes back in a later run on B. Then the one
audit chain verifies, and the store holds no planted value in the clear.

Needs CODEVEIL_TEST_POSTGRES_URL (``.ci/run`` starts a server and sets it) and bubblewrap.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import threading
from collections.abc import Iterator

import httpx
import pytest
from openai import OpenAI

from tests.conftest import CODEVEIL, PG_URL, REPO, Running, pg_schema, start_gateway
from tests.test_loop import CORRECT, HEADER, PLANTED, TASK, TOKEN, WRONG, ZERO, Fake, start_fake

pytestmark = [
    pytest.mark.skipif(not PG_URL, reason="CODEVEIL_TEST_POSTGRES_URL is not set (.ci/run)"),
    pytest.mark.skipif(shutil.which("bwrap") is None,
                       reason="bubblewrap is needed to run generated code"),
]

KEYS = {"team-a": "cv-replica-team-a", "team-b": "cv-replica-team-b"}
POLICY = """
name: {name}
terms: [Quorvex, Stellan Labs, qvtools]
internal_domains: [corp.quorvex.internal, quorvex-int.net]
actions: {{secret: pseudonymize, pii: pseudonymize, term: pseudonymize}}
"""
FIXED = ("def quorvex_total(items):\n"
         "    # Stellan Labs rule: skip refunds (negative amounts)\n"
         '    return sum(i["amount"] for i in items if i["amount"] >= 0)\n')


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    """A schema of its own on the test server: the replicas' one database."""
    with pg_schema("r") as url:
        yield url


@pytest.fixture(scope="module")
def fake() -> Iterator[Fake]:
    f = start_fake()
    yield f
    f.stop()


@pytest.fixture(scope="module")
def replicas(database: str, fake: Fake, tmp_path_factory: pytest.TempPathFactory
             ) -> Iterator[list[Running]]:
    shared = tmp_path_factory.mktemp("keys")  # what a Deployment mounts in every replica
    for name in KEYS:
        (shared / f"{name}.yaml").write_text(POLICY.format(name=name))
    keys = "".join(f"    - {{id: {n}-key, key_sha256: {hashlib.sha256(k.encode()).hexdigest()}, "
                   f"tenant: {n}}}\n" for n, k in KEYS.items())
    tenants = "".join(f"  {n}: {{policy: {shared}/{n}.yaml, "
                      f"surrogate_key_file: {shared}/surrogate-{n}.key}}\n" for n in KEYS)
    extra = (f"veil: {{key_file: {shared}/surrogate.key}}\ntenants:\n{tenants}"
             f"auth:\n  mode: gateway_keys\n  keys:\n{keys}"
             "loop:\n  candidates: 2\n  rounds: 1\n  restarts: 0\n  generated_tests: 0\n")
    gws: list[Running] = []
    try:
        for name in "abc":
            gws.append(start_gateway(tmp_path_factory.mktemp(f"replica-{name}"), fake.url,
                                     extra=extra, audit=f"{{url: '{database}'}}",
                                     env={"RP_UPSTREAM_KEY": "sk-up"},
                                     upstream_extra="    api_key_env: RP_UPSTREAM_KEY\n"))
        yield gws
    finally:
        for gw in gws:
            gw.stop()


def auth(tenant: str = "team-a") -> dict[str, str]:
    return {"Authorization": f"Bearer {KEYS[tenant]}"}


def post(gw: Running, path: str, tenant: str = "team-a", **body) -> httpx.Response:
    return httpx.post(f"{gw.url}{path}", json=body, headers=auth(tenant), timeout=60)


def follow(gw: Running, rid: str) -> tuple[list[dict], dict]:
    """The run's SSE events on ``gw``: the progress events, then the whole run."""
    events, run, name = [], None, None
    with httpx.stream("GET", f"{gw.url}/v1/loop/runs/{rid}/events", headers=auth(),
                      timeout=60) as r:
        assert r.status_code == 200, r.read()
        for line in r.iter_lines():
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: ") and line != "data: [DONE]":
                obj = json.loads(line[6:])
                if name == "progress":
                    events.append(obj)
                else:
                    run = obj
    assert run is not None
    return events, run


def chat_burst(gws: list[Running], per_replica: int) -> list[str]:
    """Chat requests to every replica at once (each files an audit record); the answers."""
    answers: list[str] = []
    lock = threading.Lock()

    def client(gw: Running) -> None:
        sdk = OpenAI(base_url=f"{gw.url}/v1", api_key=KEYS["team-a"], max_retries=0)
        for i in range(per_replica):
            r = sdk.chat.completions.create(model="fake", messages=[
                {"role": "user", "content": f"Tidy this ({i}):\n```python\nTOKEN = '{TOKEN}'\n"
                                            "def quorvex_total(items):\n    pass\n```"}])
            with lock:
                answers.append(r.choices[0].message.content or "")

    threads = [threading.Thread(target=client, args=(gw,)) for gw in gws]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers


def test_any_replica_answers_for_any_run_and_the_chain_holds(replicas, fake, database):
    a, b, c = replicas
    fake.script(synthesize=[["def {fn}(items):\n    pass\n"]])
    answers = chat_burst(replicas, 6)
    assert len(answers) == 18 and all("def quorvex_total" in t for t in answers)  # restored

    # A run started on A, with a slow model: B follows it while it runs.
    fake.script(synthesize=[[WRONG, ZERO]], **{"fix-output": [[CORRECT]]}, delay_s=0.4)
    r = post(a, "/v1/loop/runs", model="fake", task=TASK, background=True,
             options={"paraphrase": True})
    assert r.status_code == 202, r.text
    rid = r.json()["id"]
    early = httpx.get(f"{b.url}/v1/loop/runs/{rid}", headers=auth(), timeout=30)
    assert early.status_code == 200 and early.json()["status"] in ("queued", "running")
    events, run = follow(b, rid)
    types = [e["type"] for e in events]
    assert types[0] == "run.started" and types[-1] == "run.finished", types
    assert "debug" in types and "candidate" in types
    assert [e["seq"] for e in events] == list(range(len(events)))  # none lost, none twice
    assert run["status"] == "succeeded" and run["trace"] == events
    debug = next(e for e in events if e["type"] == "debug")
    assert debug["cases"] and run["result"]["program"].startswith("def quorvex_total")
    # Another team sees no such run, on any replica.
    for gw in replicas:
        assert httpx.get(f"{gw.url}/v1/loop/runs/{rid}", headers=auth("team-b"),
                         timeout=30).status_code == 404

    # Corrected on C (checked against the run's tests in C's sandbox), seen on A.
    assert post(c, f"/v1/loop/runs/{rid}/verdict", verdict="wrong").status_code == 200
    r = post(c, f"/v1/loop/runs/{rid}/correction", program=FIXED, note=f"no need for {TOKEN}")
    assert r.status_code == 200, r.text
    assert r.json()["tests"] == {"loads": True, "passed": 1, "total": 1}
    seen = httpx.get(f"{a.url}/v1/loop/runs/{rid}", headers=auth(), timeout=30).json()
    assert seen["feedback"]["verdict"] == "wrong"
    assert seen["feedback"]["correction"] == r.json()["id"]
    assert [e["type"] for e in seen["trace"]][-2:] == ["verdict", "correction"]

    # A run through the chat alias on C, re-ranked on B from its stored state.
    tests = ('assert {fn}([]) == 0\nassert {fn}([{"amount": 1}]) == 0\n'
             'assert {fn}([{"amount": 2}]) == 2')
    fake.script(synthesize=[[ZERO, ZERO, CORRECT]], tests=tests)
    r = post(c, "/v1/chat/completions", model="codeveil-loop/fake",
             messages=[{"role": "user", "content": HEADER}],
             codeveil_loop={"candidates": 3, "rounds": 0, "generated_tests": 3,
                            "paraphrase": False, "corrections_k": 0})
    assert r.status_code == 200, r.text
    alias_run = r.json()["codeveil_loop"]["run_id"]
    r = post(b, f"/v1/loop/runs/{alias_run}/tests/gen1", approved=False)
    assert r.status_code == 200, r.text
    assert r.json()["result"]["metrics"]["chosen"] == 2
    got = httpx.get(f"{a.url}/v1/loop/runs/{alias_run}", headers=auth(), timeout=30).json()
    assert got["feedback"]["tests"] == {"gen1": "rejected"} and "return sum(" in (
        got["result"]["program"])

    # C's correction is an example in team A's next similar run, on B.
    fake.script(synthesize=[[CORRECT]])
    r = post(b, "/v1/loop/runs", model="fake", task=TASK.replace("sum the", "add up the"),
             options={"rounds": 0, "paraphrase": False, "candidates": 1})
    assert r.status_code == 200 and r.json()["result"]["metrics"]["examples"] == 1
    synth = [q for q in fake.recorded()
             if q["body"]["messages"][0]["content"].endswith("[codeveil-loop: synthesize]")]
    assert "A program a reviewer corrected" in synth[-1]["body"]["messages"][1]["content"]
    fake.assert_private()

    for gw in replicas:  # the audit writers flush on the way out
        gw.stop()
    out = subprocess.run([CODEVEIL, "audit", "verify", "--db", database], capture_output=True,
                         text=True, timeout=60, cwd=REPO)
    assert out.returncode == 0 and out.stdout.startswith("OK"), out.stdout + out.stderr
    rows = at_rest(database)
    # 18 chats, 2 runs, the follow-up's GET/SSE are not audited, 2 reviews of run 1, the alias
    # run, its review, the last run.
    assert rows["requests"] == 18 + 1 + 2 + 1 + 1 + 1, rows
    assert rows["loop_runs"] == 3 and rows["loop_corrections"] == 1


def at_rest(database: str) -> dict[str, int]:
    """Row counts; and no planted value, no word of a task or program in the clear in any
    table (nor, in the loop's, the tenant's name: the audit log names tenants by design)."""
    import psycopg

    counts = {}
    with psycopg.connect(database, autocommit=True) as conn:
        for table in ("requests", "loop_runs", "loop_events", "loop_corrections"):
            rows = conn.execute(f"SELECT * FROM {table}").fetchall()
            counts[table] = len(rows)
            text = json.dumps([[str(v) for v in r] for r in rows])
            words = [*PLANTED, "quorvex_total", "skip refunds", "amount", "def "]
            for value in words + (["team-a"] if table.startswith("loop_") else []):
                assert value not in text, (table, value)
    return counts
