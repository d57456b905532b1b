"""The loop end to end: gateway and a scripted fake code model as real processes.

Every branch (pass at once, Fix {stderr}, wrong output with a bug summary, fresh candidates,
CodeT ranking, upstreams without ``n``), the three ways in, and privacy: the upstream never sees a
planted secret, company term, internal host or private identifier, from the task, the programs,
stderr or tracebacks.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import CODEVEIL, REPO, Running, free_port, start_gateway, wait_ready

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None,
                                reason="bubblewrap is needed to run generated code")

TOKEN = "ghp_R8tZq4LmX2vN7pK9sW3yB6cD1fH5jE0aQ2uV"
PLANTED = [TOKEN, "quorvex", "Quorvex", "QUORVEX", "Stellan", "corp.quorvex.internal"]
HEADER = f"""Write `quorvex_total(items)` for Stellan Labs: sum the `amount` of each item.

```python
LEDGER_TOKEN = "{TOKEN}"
BILLING_HOST = "ledger.corp.quorvex.internal"

def quorvex_total(items):
    ...
```
"""
TASK = HEADER + """
```python
assert quorvex_total([{"amount": 2}, {"amount": 3}]) == 5
assert quorvex_total([]) == 0
```
"""
CORRECT = 'def {fn}(items):\n    return sum(i["amount"] for i in items)\n'
WRONG = 'def {fn}(items):\n    return sum(i["amount"] for i in items) + 1\n'
ZERO = "def {fn}(items):\n    return 0\n"
CRASH = ("{assign:LEDGER_TOKEN}\n{assign:BILLING_HOST}\n\n\ndef {fn}(items):\n"
         "    raise PermissionError(f'token {LEDGER_TOKEN} rejected by {BILLING_HOST}')\n")
GEN_TESTS = 'assert {fn}([{"amount": 1}]) == 1\nassert {fn}([]) == 0'


class Fake(Running):
    def script(self, **task) -> None:
        httpx.put(f"{self.url}/_script", json={"tasks": [{"match": "", **task}]})
        httpx.delete(f"{self.url}/_recorded")

    def recorded(self) -> list[dict]:
        return httpx.get(f"{self.url}/_recorded").json()["requests"]

    def kinds(self) -> list[str]:
        out = []
        for r in self.recorded():
            system = r["body"]["messages"][0]["content"]
            out.append(system.rsplit("[codeveil-loop: ", 1)[1].rstrip("]"))
        return out

    def assert_private(self) -> None:
        sent = json.dumps(self.recorded(), ensure_ascii=False)
        for value in PLANTED:
            assert value not in sent, value


def start_fake(*extra: str) -> Fake:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "proxy.testing.scripted_model",
                             "--port", str(port), *extra], cwd=REPO, stderr=subprocess.PIPE,
                            text=True)
    fake = Fake(f"http://127.0.0.1:{port}", proc)
    wait_ready(f"{fake.url}/v1/models", proc)
    return fake


LOOP_CONFIG = "loop:\n  candidates: 2\n  rounds: 1\n  restarts: 1\n  generated_tests: 4\n"


@pytest.fixture(scope="module")
def fake() -> Iterator[Fake]:
    f = start_fake()
    yield f
    f.stop()


@pytest.fixture(scope="module")
def gw(fake: Fake, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    g = start_gateway(tmp_path_factory.mktemp("loopgw"), fake.url, extra=LOOP_CONFIG)
    yield g
    g.stop()


def ask(gw: Running, task: str = TASK, model: str = "codeveil-loop/fake", **opts) -> dict:
    body = {"model": model, "messages": [{"role": "user", "content": task}]}
    if opts:
        body["codeveil_loop"] = opts
    r = httpx.post(f"{gw.url}/v1/chat/completions", json=body, timeout=60)
    assert r.status_code == 200, r.text
    return r.json()


def program_of(answer: dict) -> str:
    return answer["choices"][0]["message"]["content"].split("```python\n", 1)[1].split("```")[0]


def test_pass_at_once(gw, fake):
    fake.script(synthesize=[[CORRECT]], tests=GEN_TESTS)
    a = ask(gw)
    m = a["codeveil_loop"]["metrics"]
    assert m["solved"] and m["rounds"] == 0 and m["candidates"] == 2
    assert m["tests"]["user"] == {"passed": 1, "total": 1}
    assert m["tests"]["generated"] == {"passed": 2, "total": 2}
    assert program_of(a) == CORRECT.replace("{fn}", "quorvex_total")  # restored
    content = a["choices"][0]["message"]["content"]
    assert "Solved: tests passed" in content and "rounds 0" in content
    assert fake.kinds().count("synthesize") == 1
    assert {"paraphrase", "tests"} <= set(fake.kinds())
    assert m["llm_calls"] == 3 and m["prompt_tokens"] > 0 and m["code_to_prompt_ratio"] > 0
    fake.assert_private()


def test_fix_stderr_branch(gw, fake):
    fake.script(synthesize=[[CRASH]], **{"fix-error": [[CORRECT]]})
    a = ask(gw)
    m = a["codeveil_loop"]["metrics"]
    assert m["solved"] and m["rounds"] == 1 and m["chosen_origin"] == "fix-error"
    fix = [r for r in fake.recorded()
           if r["body"]["messages"][0]["content"].endswith("fix-error]")]
    assert len(fix) == 1
    prompt = fix[0]["body"]["messages"][1]["content"]
    assert prompt.startswith("Fix ") and "PermissionError: token ghp_" in prompt
    assert "Traceback" in prompt and "/tmp/work/main.py" in prompt
    fake.assert_private()  # the traceback quoted the real token and host: veiled


def test_wrong_output_with_bug_summary(gw, fake):
    fake.script(synthesize=[[WRONG]], **{"fix-output": [[CORRECT]]},
                summary="It adds one to the total.")
    a = ask(gw)
    m = a["codeveil_loop"]["metrics"]
    assert m["solved"] and m["rounds"] == 1 and m["chosen_origin"] == "fix-output"
    kinds = fake.kinds()
    assert kinds.index("summary") < kinds.index("fix-output")
    prompt = fake.recorded()[kinds.index("fix-output")]["body"]["messages"][1]["content"]
    assert "}]) -> 5 (it gives 6)" in prompt and "make " in prompt
    assert "The bug: It adds one to the total." in prompt
    fake.assert_private()


def test_fresh_candidates_after_r_rounds(gw, fake):
    fake.script(synthesize=[[WRONG]], **{"fix-output": [[WRONG]], "fresh": [[CORRECT]]})
    a = ask(gw)
    m = a["codeveil_loop"]["metrics"]
    assert m["solved"] and m["chosen_origin"] == "fresh" and m["rounds"] == 1
    assert fake.kinds().count("fresh") == 1
    fake.assert_private()


def test_unsolved_run_reports_best_program(gw, fake):
    fake.script(synthesize=[[WRONG]], **{"fix-output": [[WRONG]], "fresh": [[WRONG]]})
    a = ask(gw, rounds=1, restarts=1)
    m = a["codeveil_loop"]["metrics"]
    assert not m["solved"] and m["rounds"] == 2
    assert "Not solved" in a["choices"][0]["message"]["content"]


def test_codet_ranking_without_user_tests(gw, fake):
    fake.script(synthesize=[[ZERO, CORRECT, CORRECT]], tests=GEN_TESTS)
    a = ask(gw, task=HEADER, candidates=3)
    m = a["codeveil_loop"]["metrics"]
    assert m["solved"] and m["candidates"] == 3 and m["chosen"] in (1, 2)
    assert program_of(a) == CORRECT.replace("{fn}", "quorvex_total")


def test_upstream_without_n_gets_concurrent_requests(gw, fake):
    fake.script(synthesize=[[CORRECT]])
    a = ask(gw, model="codeveil-loop/fake-no-n", candidates=3, generated_tests=0,
            paraphrase=False)
    assert a["codeveil_loop"]["metrics"]["candidates"] == 3
    assert fake.kinds() == ["synthesize"] * 3


def test_runs_api_streams_progress_and_keeps_trace(gw, fake):
    fake.script(synthesize=[[CRASH]], **{"fix-error": [[CORRECT]]})
    events, run = [], None
    with httpx.stream("POST", f"{gw.url}/v1/loop/runs", timeout=60,
                      json={"model": "fake", "task": TASK, "stream": True}) as r:
        assert r.status_code == 200
        name = None
        for line in r.iter_lines():
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: ") and line != "data: [DONE]":
                obj = json.loads(line[6:])
                (events.append(obj) if name == "progress" else None)
                run = obj if name == "run" else run
    types = [e["type"] for e in events]
    assert types[0] == "run.started" and types[-1] == "run.finished"
    assert "debug" in types and "candidate" in types
    assert run["status"] == "succeeded" and run["id"].startswith("loop_")
    got = httpx.get(f"{gw.url}/v1/loop/runs/{run['id']}").json()
    assert got["status"] == "succeeded" and len(got["trace"]) == len(events)
    debug = next(e for e in got["trace"] if e["type"] == "debug")
    assert TOKEN in debug["stderr"]  # the trace is for the client: real values
    fake.assert_private()


def test_runs_api_background_and_errors(gw, fake):
    fake.script(synthesize=[[CORRECT]])
    r = httpx.post(f"{gw.url}/v1/loop/runs", json={"model": "fake", "task": TASK,
                                                     "background": True})
    assert r.status_code == 202
    rid = r.json()["id"]
    for _ in range(100):
        run = httpx.get(f"{gw.url}/v1/loop/runs/{rid}").json()
        if run["status"] not in ("queued", "running"):
            break
        time.sleep(0.1)
    assert run["status"] == "succeeded" and run["result"]["program"]
    assert httpx.get(f"{gw.url}/v1/loop/runs/nope").status_code == 404
    bad = httpx.post(f"{gw.url}/v1/loop/runs", json={"model": "fake", "task": ""})
    assert bad.status_code == 400


def test_events_of_a_background_run_are_followed_from_the_store(gw, fake):
    fake.script(synthesize=[[CRASH]], **{"fix-error": [[CORRECT]]}, delay_s=0.3)
    r = httpx.post(f"{gw.url}/v1/loop/runs", json={"model": "fake", "task": TASK,
                                                     "background": True})
    assert r.status_code == 202
    rid = r.json()["id"]
    events, run, name = [], None, None
    with httpx.stream("GET", f"{gw.url}/v1/loop/runs/{rid}/events", timeout=60) as s:
        assert s.status_code == 200 and s.headers["content-type"] == "text/event-stream"
        for line in s.iter_lines():
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: ") and line != "data: [DONE]":
                obj = json.loads(line[6:])
                (events.append(obj) if name == "progress" else None)
                run = obj if name == "run" else run
    types = [e["type"] for e in events]
    assert types[0] == "run.started" and types[-1] == "run.finished" and "debug" in types
    assert [e["seq"] for e in events] == list(range(len(events)))
    assert run is not None and run["status"] == "succeeded" and run["trace"] == events
    assert httpx.get(f"{gw.url}/v1/loop/runs/nope/events").status_code == 404


@pytest.mark.parametrize("options", [{"candidates": "3"}, {"candidates": True}, {"rounds": [1]},
                                     {"temperature": 1e999}, {"paraphrase": "false"},
                                     {"candidates": 2.5}, {"retrieval_mode": None}])
def test_loop_options_of_the_wrong_type_are_a_400(gw, fake, options):
    """Issue #14, finding 12: such options used to end in a plain-text 500."""
    fake.script(synthesize=[[CORRECT]])
    key = next(iter(options))
    raw = json.dumps({"model": "fake", "task": TASK, "options": options})  # 1e999: Infinity
    for path, body in (("/v1/loop/runs", raw),
                       ("/v1/chat/completions", json.dumps({
                           "model": "codeveil-loop/fake", "codeveil_loop": options,
                           "messages": [{"role": "user", "content": TASK}]}))):
        r = httpx.post(f"{gw.url}{path}", content=body,
                       headers={"content-type": "application/json"}, timeout=30)
        assert r.status_code == 400, (path, r.text)
        err = r.json()["error"]
        assert err["type"] == "invalid_request_error"
        assert key in err["message"] or "JSON" in err["message"], err
    assert fake.recorded() == []  # nothing reached the model


def test_cli_loop_runs_a_task_file(gw, fake, tmp_path):
    fake.script(synthesize=[[CRASH]], **{"fix-error": [[CORRECT]]})
    task = tmp_path / "task.md"
    task.write_text(TASK)
    config = next(p for p in gw.proc.args if p.endswith("config.yaml"))
    out = subprocess.run([CODEVEIL, "loop", str(task), "--config", config, "--model", "fake"],
                         capture_output=True, text=True, timeout=60, cwd=REPO)
    assert out.returncode == 0, out.stderr
    assert "[loop] run.started" in out.stderr and "[loop] debug" in out.stderr
    assert "return sum(i[\"amount\"] for i in items)" in out.stdout
    assert "def quorvex_total(items)" in out.stdout
    fake.assert_private()
