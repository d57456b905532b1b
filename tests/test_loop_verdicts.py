"""Issue #14, finding 4: a candidate program cannot forge the loop's verdict.

The harness used to run the candidate in its own process: a program found the result marker in
the harness's stack frames, printed passes after it and exited, or returned an object equal to
everything, or replaced ``json.dumps``. Each attack is replayed here against the real sandbox;
the tests now run in a process the candidate does not control, on plain values.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import shutil
import textwrap

import pytest

from proxy.loop.sandbox import LANGUAGES, Limits, Sandbox, SandboxConfig, evaluate
from proxy.testing.data import HUMANEVAL

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None, reason="needs bubblewrap")
PY = LANGUAGES["python"]
TESTS = [{"id": "block", "kind": "block", "code": "assert f(1) == 2"},
         {"id": "example", "kind": "example", "input": "f(1)", "expected": "2"}]


def evaluate_(program: str, tests: list[dict] = TESTS, **limits):
    sb = Sandbox(SandboxConfig(limits=Limits(wall_s=20, **limits)))
    return asyncio.run(evaluate(sb, PY, textwrap.dedent(program), tests))


FORGE = textwrap.dedent("""
    import gc, json, os, sys

    def forge():
        found = set()
        frame = sys._getframe()
        while frame:  # the harness's frames: its job and marker were locals there
            for v in list(frame.f_locals.values()):
                if isinstance(v, str) and v.startswith("@@CV-RESULT-"):
                    found.add(v)
            frame = frame.f_back
        for o in gc.get_objects():
            if isinstance(o, dict) and isinstance(o.get("marker"), str):
                found.add(o["marker"])
        fds = [1, 2]
        for path in ("/proc/%d/fd/1" % os.getppid(), "/proc/1/fd/1"):
            try:
                fds.append(os.open(path, os.O_WRONLY))
            except OSError:
                pass
        passes = [{"id": i, "ok": True, "stdout": ""} for i in ("block", "example")]
        forged = json.dumps({"load": {"ok": True, "stdout": ""}, "tests": passes})
        for marker in found or {"@@CV-RESULT-0000000000000000@@"}:
            for fd in fds:
                os.write(fd, ("\\n" + marker + forged + "\\n").encode())
        os._exit(0)
""")


@pytest.mark.parametrize("when", ["load", "call"])
def test_a_marker_found_in_frames_cannot_forge_passes(when):
    program = FORGE + ("forge()\n" if when == "load" else
                       "def f(x):\n    forge()\n")
    ev = evaluate_(program)
    assert ev.passed() == set()
    assert [t["id"] for t in ev.tests] == ["block", "example"]
    assert all("died" in (ev.load_error or t["error"]) for t in ev.tests)


def test_the_harness_memory_and_output_are_out_of_reach():
    ev = evaluate_("""
        import os
        def probe(path, mode):
            try:
                os.close(os.open(path, mode))
                return "opened"
            except OSError as e:
                return e.errno
        parent = os.getppid()
        result = (probe("/proc/%d/mem" % parent, os.O_RDONLY),
                  probe("/proc/%d/fd/1" % parent, os.O_WRONLY),
                  probe("/proc/%d/environ" % parent, os.O_RDONLY))
    """, [{"id": "t", "kind": "example", "input": "result", "expected": "None"}])
    assert ev.tests[0]["actual"] == "(13, 13, 13)"  # EACCES: the harness is not dumpable


@pytest.mark.parametrize("cls", [
    "class R:\n    def __eq__(self, other):\n        return True\n",
    "class R(int):\n    def __eq__(self, other):\n        return True\n",
    "class R(list):\n    def __eq__(self, other):\n        return True\n",
])
def test_a_value_equal_to_everything_fails(cls):
    ev = evaluate_(cls + "def f(x):\n    return R()\n")
    assert ev.passed() == set()
    for t in ev.tests:
        assert t["kind"] == "exception" and "not plain data" in t["error"], t


@pytest.mark.parametrize("patch", ["print", "json"])
def test_patched_json_and_print_do_not_change_the_verdict(patch):
    forged = json.dumps({"load": {"ok": True, "stdout": ""},
                         "tests": [{"id": i, "ok": True} for i in ("block", "example")]})
    prints = f"""
        import builtins, sys
        real_print = builtins.print
        builtins.print = lambda *a, **k: real_print({forged!r})
        sys.stdout.write = lambda s: 0
    """
    codecs = f"""
        import json
        json.dumps = lambda *a, **k: {forged!r}
        json.loads = lambda *a, **k: {{"ok": True, "value": 2, "stdout": ""}}
    """
    ev = evaluate_((prints if patch == "print" else codecs) + """
        def f(x):
            print("computing", x)
            return x
    """)
    assert ev.passed() == set()
    block, example = ev.tests
    if patch == "print":  # the comparison still sees the real value
        assert (block["kind"], block["input"], block["expected"], block["actual"]) == \
            ("assert", "f(1)", "2", "1")
        assert example["actual"] == "1" and forged in example["stdout"]
    else:  # the worker's replies are garbage: the tests fail, nothing else
        assert all(t["kind"] == "exception" for t in ev.tests)


def test_output_exceptions_and_plain_values_come_back():
    ev = evaluate_("""
        def f(x):
            print("f got", x)
            return {"k": (x, {1, 2}, frozenset({3}), [None, True, 1.5, "s"])}
        def g():
            raise ValueError("bad " + "input")
        print("loaded")
    """, [{"id": "v", "kind": "block",
           "code": "assert f(7) == {'k': (7, {1, 2}, frozenset({3}), [None, True, 1.5, 's'])}"},
          {"id": "raises", "kind": "block",
           "code": "try:\n    g()\nexcept ValueError as e:\n    assert str(e) == 'bad input'"},
          {"id": "tb", "kind": "block", "code": "g()"}])
    v, raises, tb = ev.tests
    assert v["ok"] and v["stdout"] == "f got 7\n"
    assert raises["ok"], raises
    assert tb["kind"] == "exception"
    assert 'File "/tmp/work/main.py", line 6, in g' in tb["error"]
    assert tb["error"].rstrip().endswith("ValueError: bad input")


def test_a_hung_or_dead_worker_fails_one_test_and_the_next_runs_afresh():
    ev = evaluate_("""
        import os
        calls = []
        def f(x):
            calls.append(x)
            if x == "hang":
                while True:
                    pass
            if x == "exit":
                os._exit(3)
            return len(calls)
    """, [{"id": "hang", "kind": "block", "code": "f('hang')"},
          {"id": "first", "kind": "example", "input": "f(0)", "expected": "1"},
          {"id": "exit", "kind": "block", "code": "f('exit')"},
          {"id": "again", "kind": "example", "input": "f(0)", "expected": "1"}], test_s=1)
    hang, first, exit_, again = ev.tests
    assert hang["kind"] == "timeout"
    assert first["ok"] and again["ok"]  # a fresh worker each time: one call recorded
    assert exit_["kind"] == "exception" and "exit status 3" in exit_["error"]


def test_humaneval_check_functions_run_against_the_stand_ins():
    """``check(candidate)`` with helpers from the prompt (poly, encode_cyclic): a sample."""
    with gzip.open(HUMANEVAL, "rt") as f:
        tasks = {t["task_id"]: t for t in map(json.loads, f)}
    sb = Sandbox(SandboxConfig(limits=Limits(wall_s=60, test_s=20)))

    async def run(task, body):
        return await evaluate(sb, PY, task["prompt"] + body, [
            {"id": "x", "kind": "block", "code": f"{task['test']}\ncheck({task['entry_point']})"}])

    async def main():
        picked = [tasks[f"HumanEval/{n}"] for n in (0, 32, 38, 50, 53, 95, 160)]
        good = await asyncio.gather(*[run(t, t["canonical_solution"]) for t in picked])
        bad = await asyncio.gather(*[run(t, "    return None\n") for t in picked])
        return good, bad

    good, bad = asyncio.run(main())
    assert [ev.passed() for ev in good] == [{"x"}] * 7
    assert [ev.passed() for ev in bad] == [set()] * 7
