"""Big requests are anonymized in an offload child process (proxy/server/offload.py): through
the real gateway and its child, the openai SDK in front and the recording echo upstream behind.

The child restores exactly what the veil in the gateway would; a child killed mid-request
refuses that request (fail closed) and is replaced; /healthz answers while the child works; a
policy hot reload reaches the child.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest

from proxy.evaluation.bench_hol import material
from proxy.testing.echo.chat import echo
from proxy.testing.planted import PLANTED, PROMPT
from tests.conftest import TEST_POLICY, Running, Upstream, start_gateway

LIMITS = "limits: {offload_chars: 4000}\n"
OK = 'codeveil_offload_requests_total{outcome="ok"}'
STARTS = "codeveil_offload_processes_started_total"


def metric(gw: Running, name: str) -> float:
    for line in httpx.get(f"{gw.url}/metrics").text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    return 0.0


def wait_for_children(gw: Running, started: float) -> None:
    """Until ``started`` children have started in all (in the background: until one is up, big
    requests are anonymized in the gateway itself)."""
    deadline = time.monotonic() + 180
    while metric(gw, STARTS) < started:
        assert time.monotonic() < deadline, "no offload child started"
        time.sleep(0.2)


def first_child(gw: Running) -> None:
    """A gateway starts no child until a big request comes; that one is anonymized in the
    gateway while the child starts."""
    assert metric(gw, STARTS) == 0
    small = [{"role": "user", "content": "Is the Quorvex ledger up?"}]
    assert chat(gw, small) == echo(small)
    assert metric(gw, STARTS) == 0  # a small request starts none
    big = [{"role": "user", "content": "\n\n".join([PROMPT] * 8)}]
    assert chat(gw, big) == echo(big)
    wait_for_children(gw, 1)


def child_of(gw: Running) -> int:
    """The pid of the gateway's offload child."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (entry / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if ppid == gw.proc.pid and b"offload_child" in cmdline:
            return int(entry.name)
    raise AssertionError("the gateway has no offload child")


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def chat(gw: Running, messages: list[dict[str, Any]]) -> str:
    client = openai.OpenAI(base_url=f"{gw.url}/v1", api_key="sk-client", max_retries=0,
                           timeout=300)
    answer = client.chat.completions.create(model="gpt-test", messages=messages)
    return answer.choices[0].message.content or ""


def in_background(gw: Running, messages: list[dict[str, Any]]) -> tuple[threading.Thread, dict]:
    """Post a request from a thread; the result lands in the dict (response, done_at)."""
    out: dict[str, Any] = {}

    def post() -> None:
        out["response"] = httpx.post(f"{gw.url}/v1/chat/completions", timeout=300,
                                     json={"model": "gpt-test", "messages": messages})
        out["done_at"] = time.monotonic()

    t = threading.Thread(target=post)
    t.start()
    return t, out


def wait_until_working(pid: int, before: int, t: threading.Thread) -> None:
    """Until the child has spent a third of a second of CPU on the request."""
    deadline = time.monotonic() + 120
    while cpu_ticks(pid) - before < 30:
        assert t.is_alive(), "the request finished before the child was seen working"
        assert time.monotonic() < deadline
        time.sleep(0.02)


def long_prompt(seed: int) -> str:
    """About 600 KB of an agent's exchanges: seconds of work for the child."""
    return PROMPT + "\n\n" + material(600_000, seed=seed)


@pytest.fixture(scope="module")
def gw(upstream: Upstream, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    g = start_gateway(tmp_path_factory.mktemp("offload"), upstream.url, extra=LIMITS)
    first_child(g)
    yield g
    g.stop()


def test_a_big_request_goes_through_the_child_and_is_restored_exactly(gw, upstream):
    upstream.clear()
    big = "\n\n".join(PROMPT.replace("owner", f"owner {i}") for i in range(12))
    messages = [{"role": "system", "content": "You review Quorvex code."},
                {"role": "user", "content": big}]
    before = metric(gw, OK)
    assert chat(gw, messages) == echo(messages)
    assert metric(gw, OK) == before + 1
    (req,) = upstream.recorded()
    sent = "\n".join(m["content"] for m in req["body"]["messages"])
    assert sent.count("def charge(self, amount)") == 12  # public code left as it was
    for value in PLANTED:
        assert value not in sent, value
    # The next turn resends it: cached in the child, which anonymizes it again.
    turn = [*messages, {"role": "assistant", "content": "Looked at it."},
            {"role": "user", "content": "And the Quorvex ledger?"}]
    assert chat(gw, turn) == echo(turn)
    assert metric(gw, OK) == before + 2
    # A small request stays in the gateway process.
    small = [{"role": "user", "content": f"Ping {PLANTED[0]}"}]
    assert chat(gw, small) == echo(small)
    assert metric(gw, OK) == before + 2


def test_agent_turns_with_little_new_text_stay_in_the_gateway(gw):
    """A conversation longer than offload_chars, each turn adding a little: cached, not sent."""
    ok = metric(gw, OK)
    messages: list[dict[str, Any]] = [{"role": "system", "content": "You review Quorvex code."}]
    for i in range(8):
        messages.append({"role": "user", "content": PROMPT.replace("owner", f"owner {i}")})
        reply = chat(gw, messages)
        assert reply == echo(messages)
        messages.append({"role": "assistant", "content": f"Turn {i} looked at."})
    assert sum(len(m["content"]) for m in messages) > 4000
    assert metric(gw, OK) == ok


def test_healthz_answers_while_the_child_anonymizes(gw):
    pid = child_of(gw)
    messages = [{"role": "user", "content": long_prompt(seed=3)}]
    before = cpu_ticks(pid)
    t, out = in_background(gw, messages)
    wait_until_working(pid, before, t)
    health = httpx.get(f"{gw.url}/healthz", timeout=60)
    answered_at = time.monotonic()
    t.join(300)
    assert health.status_code == 200
    assert answered_at < out["done_at"]  # answered while the big request was in the child
    r = out["response"]
    assert r.status_code == 200
    assert r.json()["choices"][0]["message"]["content"] == echo(messages)


def test_a_child_killed_mid_request_refuses_it_and_is_replaced(upstream, tmp_path):
    gw = start_gateway(tmp_path, upstream.url, extra=LIMITS)
    try:
        first_child(gw)
        pid = child_of(gw)
        upstream.clear()
        before = cpu_ticks(pid)
        t, out = in_background(gw, [{"role": "user", "content": long_prompt(seed=5)}])
        wait_until_working(pid, before, t)
        os.kill(pid, signal.SIGKILL)
        t.join(300)
        r = out["response"]
        assert r.status_code == 500
        assert r.json()["error"]["code"] == "anonymization_failed"
        assert upstream.recorded() == []  # nothing went upstream
        # The next big request goes through (here while a new child starts, or in it) ...
        messages = [{"role": "user", "content": "\n\n".join([PROMPT] * 8)}]
        assert chat(gw, messages) == echo(messages)
        assert len(upstream.recorded()) == 1
        # ... and a new child takes the next ones.
        wait_for_children(gw, 2)
        assert child_of(gw) != pid
        ok = metric(gw, OK)
        again = [*messages, {"role": "user", "content": "\n\n".join([PROMPT] * 9)}]
        assert chat(gw, again) == echo(again)
        assert metric(gw, OK) == ok + 1
    finally:
        gw.stop()


def test_a_policy_reload_reaches_the_child(upstream, tmp_path):
    gw = start_gateway(tmp_path, upstream.url, extra=LIMITS)
    try:
        first_child(gw)
        word = "bluefinch"
        filler = "\n\n".join([PROMPT] * 8)

        def sent_through(content: str) -> str:
            upstream.clear()
            messages = [{"role": "user", "content": content}]
            assert chat(gw, messages) == echo(messages)
            return upstream.recorded()[0]["body"]["messages"][0]["content"]

        ok = metric(gw, OK)
        assert word in sent_through(f"The {word} team asks:\n\n{filler}")
        assert metric(gw, OK) == ok + 1
        (tmp_path / "policy.yaml").write_text(
            TEST_POLICY.replace("terms: [", f"terms: [{word}, ")
        )
        deadline = time.monotonic() + 60
        while word in sent_through(f"Is {word} a term yet?"):  # small: this process's veil
            assert time.monotonic() < deadline, "the policy was not reloaded"
            time.sleep(0.5)
        sent = sent_through(f"The {word} team asks again:\n\n{filler}")
        assert word not in sent.lower()
        assert metric(gw, OK) == ok + 2
    finally:
        gw.stop()
