"""An agent-shaped conversation for the benchmarks, on material the gateway was never tuned on.

Coding agents resend the whole conversation on every turn: a long system prompt, their tool
schemas, and every earlier message, tool call and tool result, plus one new exchange. This
builds such a conversation from the vendored HumanEval tasks (real, public Python) wrapped the
way an agent sees a repository: a user request naming a colleague, a ``read_file`` call, the
file with a settings block (a database URL with a password, an API token, an internal host), a
failing test run from a home directory, and the assistant's answer. Names, hosts and tokens are
drawn with Faker and a seeded generator, in several locales, so no two runs of the generator
with different seeds share a planted value, and none comes from the evaluation corpus.
"""

from __future__ import annotations

import gzip
import json
import random
import string
from collections.abc import Iterator
from typing import Any

from faker import Faker

from proxy.testing.data import HUMANEVAL

COMPANY = "Quorvane"  # the policy's term for the generated company
INTERNAL_DOMAIN = "quorvane.internal"
POLICY: dict[str, Any] = {
    "terms": [COMPANY, "Halvex Ledger"],
    "internal_domains": [INTERNAL_DOMAIN],
}

_LOCALES = ["en_US", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pt_BR", "pl_PL"]

SYSTEM = f"""You are a coding agent working in the {COMPANY} monorepo. You can read and write files,
run shell commands and search the code. Keep changes small and explain them. Always run the
tests after a change. Never print secrets. The repository layout: services/ holds the
deployable services, libs/ the shared libraries, tools/ the developer scripts. The CI runs on
ci.{INTERNAL_DOMAIN}; the package index is pypi.{INTERNAL_DOMAIN}. Style: black, ruff, type
hints everywhere, docstrings on public functions, tests next to the code in tests/.
""" + "\n".join(
    f"- Rule {i}: prefer the standard library; keep functions under forty lines; name tests "
    f"after the behaviour they check; never catch a bare exception; log with structured fields."
    for i in range(1, 31)
)

TOOLS: list[dict[str, Any]] = [
    {"type": "function", "function": {
        "name": name, "description": desc,
        "parameters": {"type": "object", "properties": {
            p: {"type": "string", "description": f"The {p} to use."} for p in params
        }, "required": list(params)},
    }}
    for name, desc, params in [
        ("read_file", "Read a file of the repository and return its content.", ("path",)),
        ("write_file", "Write a file of the repository, replacing its content.",
         ("path", "content")),
        ("run_shell", "Run a shell command in the repository and return its output.",
         ("command",)),
        ("search_code", "Search the repository for a regular expression.", ("pattern",)),
        ("list_dir", "List the files of a directory of the repository.", ("path",)),
        ("apply_patch", "Apply a unified diff to the repository.", ("patch",)),
    ]
]


def _tasks() -> list[dict[str, Any]]:
    with gzip.open(HUMANEVAL, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def _token(rng: random.Random, prefix: str, n: int) -> str:
    return prefix + "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(n))


def turns(seed: int = 7) -> Iterator[list[dict[str, Any]]]:
    """The messages each turn adds (user request, tool call, tool result, answer), forever."""
    rng = random.Random(seed)
    fakers = [Faker(loc) for loc in _LOCALES]
    for i, fk in enumerate(fakers):
        fk.seed_instance(seed * 100 + i)
    tasks = _tasks()
    rng.shuffle(tasks)
    for n in range(10**6):
        fk = fakers[n % len(fakers)]
        task = tasks[n % len(tasks)]
        person, mate = fk.name(), fk.name()
        user = fk.user_name()
        host = f"{rng.choice(['db', 'cache', 'build', 'api'])}-{rng.randint(1, 99):02d}"
        password = _token(rng, "", 18)
        api_token = _token(rng, "ghp_", 36)
        module = task["entry_point"]
        path = f"libs/{module}.py"
        call_id = f"call_{n:04d}"
        code = task["prompt"] + task["canonical_solution"]
        settings = (
            f'\n\nDATABASE_URL = "postgresql://svc_{module[:8]}:{password}@{host}.'
            f'{INTERNAL_DOMAIN}:5432/{module[:12]}"\n'
            f'GITHUB_TOKEN = "{api_token}"\n'
            f"# owner: {person} <{fk.email()}>\n"
        )
        test_run = "\n".join(
            [f"$ cd /home/{user}/src/{COMPANY.lower()} && pytest tests/test_{module}.py -q"]
            + [f"tests/test_{module}.py::test_case_{k} PASSED" for k in range(12)]
            + [f"tests/test_{module}.py::test_edge FAILED",
               f"E   AssertionError: {module}() returned the wrong value",
               "1 failed, 12 passed in 0.41s"]
        )
        yield [
            {"role": "user", "content": (
                f"{mate} asked me to look at `{module}` in {path}: the edge case test fails on "
                f"the build agent {host}.{INTERNAL_DOMAIN}. Can you check it and fix it? "
                f"Loop in {person} if the behaviour has to change."
            )},
            {"role": "assistant", "content": None, "tool_calls": [{
                "id": call_id, "type": "function",
                "function": {"name": "read_file", "arguments": json.dumps({"path": path})},
            }]},
            {"role": "tool", "tool_call_id": call_id, "content": code + settings},
            {"role": "user", "content": f"Here is the test run:\n```\n{test_run}\n```"},
            {"role": "assistant", "content": (
                f"The function `{module}` handles the general case; the failing edge case is an "
                f"empty input. I will add a guard at the top of `{module}` and a test for it, "
                f"then run the suite again. I left the settings block alone: the database URL "
                f"and token belong in the environment, not in {path}; {person} should rotate "
                f"them.\n\n```python\n{task['prompt'].strip()}\n    ...\n```"
            )},
        ]


def conversation(n_turns: int, seed: int = 7) -> list[list[dict[str, Any]]]:
    """The messages of each turn's request: system prompt, then every exchange so far."""
    history: list[dict[str, Any]] = [{"role": "system", "content": SYSTEM}]
    out = []
    for _, added in zip(range(n_turns), turns(seed), strict=False):
        history = [*history, *added]
        out.append(history)
    return out
