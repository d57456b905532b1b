"""Real coding agents, run with their defaults, through the gateway and (as a control) without it.

Each agent gets a prompt holding planted values (an internal host, a company term, an AWS key)
and ``RUN: <the same values>``; the scripted upstream (:mod:`proxy.testing.agents`) answers with
a call to the agent's own shell tool printing those values joined by ``|``, then with a text
quoting the tool's output. Through the gateway, under the default policy plus the planted terms:

- the agent exits 0;
- no planted value reaches the upstream, in any request;
- the tool ran on the real values: their ``|``-joined form, which only the tool's output holds,
  is in what the agent printed or kept (its transcript, its display);
- the final answer the agent prints holds the real values;
- every tool and parameter name the agent declares reaches the upstream unchanged (compared with
  what the same agent declares in the control run).

An agent that is not installed (``make install-agents``) is skipped; nothing else is.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from proxy.testing.agents.script import EDIT_FILE, FINAL, SEP
from tests.agents.agents import AGENTS, Agent
from tests.conftest import REPO, Running, Upstream, free_port, start_gateway, wait_ready

HOST = "db03.corp.quorvex.internal"
TERM = "Quorvex"
AWS_KEY = "AKIAQ7ZK3MXD2WPL5RTB"
WORDS = [HOST, TERM, AWS_KEY]
PROMPT = (
    f"The deploy host is {HOST}, run by {TERM}; its access key is {AWS_KEY}.\n"
    f"RUN: {' '.join(WORDS)}"
)
PLANTED = ["quorvex", AWS_KEY.lower()]  # looked for in lower case: host, term and key
TOOL_OUTPUT = SEP.join(WORDS) + SEP  # what `printf '%s|' <words>` prints on the real values
POLICY = f"""extends: {REPO / "policies" / "default.yaml"}
terms: [{TERM}]
internal_domains: [corp.quorvex.internal]
"""
KINDS = {"anthropic": "    kind: anthropic\n", "openai": "", "gemini": "    kind: gemini\n"}
TIMEOUT = 240
CONTROL: dict[str, set[str]] = {}  # agent -> the names it declared in the control run


@pytest.fixture(scope="module")
def scripted() -> Iterator[Upstream]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "proxy.testing.agents", "--port", str(port)],
        cwd=REPO,
        stderr=subprocess.PIPE,
        text=True,
    )
    up = Upstream(f"http://127.0.0.1:{port}", proc)
    wait_ready(f"{up.url}/v1/models", proc)
    yield up
    up.stop()


@pytest.fixture(scope="module")
def gateways(scripted: Upstream, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """One gateway per upstream kind, started on first use."""
    running: dict[str, Running] = {}

    def get(api: str) -> Running:
        if api not in running:
            base = f"{scripted.url}/v1beta" if api == "gemini" else None
            running[api] = start_gateway(
                tmp_path_factory.mktemp(f"gw-{api}"),
                scripted.url,
                policy=POLICY,
                upstream_extra=KINDS[api],
                base_url=base,
            )
        return running[api]

    yield get
    for gw in running.values():
        gw.stop()


def declared_names(requests: list[dict[str, Any]]) -> set[str]:
    """Every tool name and parameter name declared in the requests (``tool:param`` pairs)."""
    names: set[str] = set()

    def walk(obj: Any, tool: str) -> None:
        if isinstance(obj, list):
            for v in obj:
                walk(v, tool)
        elif isinstance(obj, dict):
            if isinstance(obj.get("name"), str):
                tool = obj["name"]
                names.add(tool)
            props = obj.get("properties")
            if isinstance(props, dict):
                names.update(f"{tool}:{key}" for key in props)
            for v in obj.values():
                walk(v, tool)

    for req in requests:
        body = req.get("body") or {}
        walk(body.get("tools"), "")
        for item in body.get("input") if isinstance(body.get("input"), list) else []:
            if isinstance(item, dict) and item.get("type") == "additional_tools":
                walk(item.get("tools"), "")
    return names


def run_agent(agent: Agent, root: str, tmp: Path) -> tuple[subprocess.CompletedProcess, Path, Path]:
    home, work = tmp / "home", tmp / "work"
    (home / "tmp").mkdir(parents=True)
    work.mkdir()
    subprocess.run(["git", "init", "-q", str(work)], check=True)
    env = {
        "PATH": f"{agent.exe.parent}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(home),
        "TMPDIR": str(home / "tmp"),
        "LANG": "C.UTF-8",
        "NO_COLOR": "1",
    }
    env.update(agent.setup(home, root))
    proc = subprocess.run(
        agent.argv(PROMPT, home),
        cwd=work,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    return proc, home, work


def kept_texts(proc: subprocess.CompletedProcess, *dirs: Path) -> str:
    """What the agent printed and every text file it wrote (transcripts, sessions, edits)."""
    out = [proc.stdout, proc.stderr]
    for d in dirs:
        for path in d.rglob("*"):
            if path.is_file() and ".git" not in path.parts and path.stat().st_size < 20_000_000:
                out.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(out)


def check_round_trip(
    agent: Agent, proc: subprocess.CompletedProcess, home: Path, work: Path
) -> None:
    said = f"exit {proc.returncode}\nstdout: {proc.stdout[-3000:]}\nstderr: {proc.stderr[-3000:]}"
    assert proc.returncode == 0, said
    if agent.tool_output_evidence:
        assert TOOL_OUTPUT in kept_texts(proc, home, work), (
            f"the tool did not print the real values\n{said}"
        )
        # The final answer quotes the tool's output (which some agents frame with more text).
        answer = proc.stdout[proc.stdout.rfind(FINAL) :] if FINAL in proc.stdout else ""
        assert " ".join(WORDS) in answer, said
    else:  # Aider: the edit it applied holds the real values
        assert (work / EDIT_FILE).read_text().split() == WORDS, said


def installed(agent: Agent) -> Agent:
    if not agent.exe.exists():
        pytest.skip(f"{agent.name} is not installed (make install-agents)")
    return agent


def clear(up: Upstream) -> None:
    httpx.delete(f"{up.url}/_recorded")


# An agent is a program of its own, run on two busy cores: now and then one loses its shell
# tool's output (Qwen Code once printed "Output: (empty)" for a printf that ran). A run whose
# round trip fails is run once more; what reached the upstream is checked on every attempt.
ATTEMPTS = 2


def completed_run(
    agent: Agent, url: str, tmp: Path, check_sent: Callable[[list[dict]], None],
    scripted: Upstream,
) -> list[dict]:
    """Run ``agent`` against ``url`` until its round trip completes; what the upstream saw."""
    for attempt in range(1, ATTEMPTS + 1):
        clear(scripted)
        proc, home, work = run_agent(agent, url, tmp / f"attempt{attempt}")
        recorded = scripted.recorded()
        check_sent(recorded)
        try:
            check_round_trip(agent, proc, home, work)
        except AssertionError:
            if attempt == ATTEMPTS:
                raise
            continue
        return recorded
    raise AssertionError("unreachable")


def _nothing(recorded: list[dict]) -> None:
    return None


@pytest.mark.parametrize("agent", AGENTS, ids=[a.name for a in AGENTS])
def test_agent_direct(agent: Agent, scripted: Upstream, tmp_path: Path) -> None:
    """The control: the agent itself completes the scenario against the scripted upstream."""
    installed(agent)
    recorded = completed_run(agent, scripted.url, tmp_path, _nothing, scripted)
    CONTROL[agent.name] = declared_names(recorded)


@pytest.mark.parametrize("agent", AGENTS, ids=[a.name for a in AGENTS])
def test_agent_through_gateway(agent: Agent, scripted: Upstream, gateways, tmp_path: Path) -> None:
    installed(agent)
    if agent.name not in CONTROL:  # run alone: take the control's names first
        control = completed_run(agent, scripted.url, tmp_path / "control", _nothing, scripted)
        CONTROL[agent.name] = declared_names(control)
    gateway = gateways(agent.api)

    def nothing_planted(recorded: list[dict]) -> None:
        assert recorded, "the agent never reached the upstream"
        for req in recorded:
            sent = (json.dumps(req["body"], ensure_ascii=False) + req.get("query", "")).lower()
            leaked = [v for v in PLANTED if v in sent]
            assert not leaked, f"{leaked} reached the upstream in {req['path']}"

    recorded = completed_run(agent, gateway.url, tmp_path / "gateway", nothing_planted, scripted)
    names = declared_names(recorded)
    changed = sorted(CONTROL[agent.name] - names)
    assert not changed, f"declared names changed on the way: {changed[:40]}"
    invented = sorted(names - CONTROL[agent.name])
    assert not invented, f"names the agent never declared reached the upstream: {invented[:40]}"
