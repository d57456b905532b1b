"""HumanEval through the veil: anonymized programs still pass their tests and restore exactly.

Each task's whole program (prompt, canonical solution, tests and the check call) is sent as one
fenced Python block, in the default identifier mode and in `identifiers: all`.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import textwrap

import pytest

from proxy.policy import Policy
from proxy.testing.data import HUMANEVAL
from proxy.veil.engine import Veil

RUNNER = textwrap.dedent("""
    import json, sys
    results = {}
    for task_id, program in json.load(sys.stdin).items():
        try:
            exec(compile(program, task_id, "exec"), {"__name__": "__humaneval__"})
            results[task_id] = "passed"
        except BaseException as e:  # noqa: BLE001 - a task's failure is a result
            results[task_id] = f"{type(e).__name__}: {e}"[:200]
    json.dump(results, sys.stdout)
""")


def tasks() -> list[dict]:
    with gzip.open(HUMANEVAL, "rt") as f:
        return [json.loads(line) for line in f]


def program(task: dict) -> str:
    return (f"{task['prompt']}{task['canonical_solution']}\n\n{task['test']}\n\n"
            f"check({task['entry_point']})\n")


def run_all(programs: dict[str, str]) -> dict[str, str]:
    out = subprocess.run([sys.executable, "-c", RUNNER], input=json.dumps(programs),
                         capture_output=True, text=True, timeout=300, check=True)
    return json.loads(out.stdout)


@pytest.mark.parametrize("mode", ["proprietary", "all"])
def test_humaneval_passes_after_anonymization_and_restores_exactly(mode):
    veil = Veil(Policy(identifiers=mode), b"humaneval-key")
    sent, changed = {}, 0
    for task in tasks():
        message = f"Please review:\n\n```python\n{program(task)}```\n"
        (anon,), mapping = veil.anonymize([message])
        assert mapping.restore(anon) == message, task["task_id"]
        changed += anon != message
        body = anon.split("```python\n", 1)[1].rsplit("```", 1)[0]
        sent[task["task_id"]] = body
    results = run_all(sent)
    failed = {k: v for k, v in results.items() if v != "passed"}
    assert not failed, failed
    assert len(results) == 164
    if mode == "all":
        assert changed == 164  # every program's own names were renamed
