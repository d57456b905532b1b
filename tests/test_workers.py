"""`codeveil serve --workers 2`: real processes behind one port, driven with the openai SDK.

Both workers serve, /metrics sums them whichever answers, SIGHUP reloads the policy in each,
a killed worker is replaced, SIGTERM lets the request in flight finish, and a worker that
cannot start stops the whole gateway with the error a single process gives.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import httpx
import openai
import pytest

from proxy.testing.echo import echo
from tests.conftest import CODEVEIL, REPO, Running, Upstream, free_port, start_gateway

T = TypeVar("T")
CHAT = 'codeveil_requests_total{endpoint="/v1/chat/completions",status="200"}'


def _value(text: str, series: str) -> float:
    m = re.search(rf"^{re.escape(series)} (\S+)$", text, re.M)
    return float(m.group(1)) if m else 0.0


def scrape(gw: Running) -> str:
    r = httpx.get(f"{gw.url}/metrics", timeout=10)  # a new connection each time
    assert r.status_code == 200
    return r.text


def workers(text: str) -> dict[int, int]:
    """worker index -> pid, as /metrics lists the workers it sums."""
    return {int(w): int(p) for w, p in
            re.findall(r'^codeveil_worker_info\{worker="(\d+)",pid="(\d+)"\} 1$', text, re.M)}


def handled(text: str) -> dict[int, float]:
    return {int(w): float(v) for w, v in
            re.findall(r'^codeveil_worker_requests_total\{worker="(\d+)"\} (\S+)$', text, re.M)}


def parent(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[1])


def gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def until(check: Callable[[], T], timeout: float = 90, what: str = "condition") -> T:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (got := check()):
            return got
        time.sleep(0.2)
    raise AssertionError(f"{what} not reached in {timeout}s")


async def _ask(gw: Running, clients: int, each: int, word: str) -> list[tuple[list, str]]:
    """``clients`` SDK clients (each its own connection pool), ``each`` requests apiece, all at
    once: (messages, answer) per request."""

    async def one(client: openai.AsyncOpenAI, i: int) -> tuple[list, str]:
        messages = [{"role": "user", "content": f"Why does {word} ticket {i} fail?"}]
        answer = await client.chat.completions.create(model="gpt-test", messages=messages)
        return messages, answer.choices[0].message.content or ""

    pool = [openai.AsyncOpenAI(base_url=f"{gw.url}/v1", api_key="sk-client", max_retries=0)
            for _ in range(clients)]
    try:
        return await asyncio.gather(*(one(c, k * each + j)
                                      for k, c in enumerate(pool) for j in range(each)))
    finally:
        await asyncio.gather(*(c.close() for c in pool))


def ask(gw: Running, clients: int, each: int, word: str = "Quorvex") -> None:
    for messages, answer in asyncio.run(_ask(gw, clients, each, word)):
        assert answer == echo(messages)  # the real values restored


@pytest.fixture(scope="module")
def gw2(upstream: Upstream, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    gw = start_gateway(tmp_path_factory.mktemp("workers"), upstream.url, workers=2)
    until(lambda: len(workers(scrape(gw))) == 2, what="both workers up")
    yield gw
    gw.stop()


def test_both_workers_serve_and_every_scrape_sums_them(gw2: Running, upstream: Upstream):
    before = scrape(gw2)
    upstream.clear()
    ask(gw2, clients=16, each=3)  # 48 requests over 16+ connections
    sent = json.dumps(upstream.recorded())
    assert "Quorvex" not in sent and sent.count("ticket") == 48

    pids = workers(before)
    assert sorted(pids) == [0, 1]
    assert all(parent(pid) == gw2.proc.pid for pid in pids.values())
    scrapes = [scrape(gw2) for _ in range(8)]  # new connections: both workers answer some
    for text in scrapes:
        assert workers(text) == pids
        assert _value(text, CHAT) - _value(before, CHAT) == 48
        assert _value(text, 'codeveil_findings_total{type="TERM",action="pseudonymize"}') - \
            _value(before, 'codeveil_findings_total{type="TERM",action="pseudonymize"}') == 48
        count = 'codeveil_request_duration_seconds_count{endpoint="/v1/chat/completions"}'
        assert _value(text, count) - _value(before, count) == 48
        per_worker = {w: n - handled(before)[w] for w, n in handled(text).items()}
        assert sum(per_worker.values()) >= 48  # the scrapes themselves count too
        assert all(n > 0 for n in per_worker.values()), per_worker  # both workers served


def test_sighup_reloads_the_policy_in_every_worker(gw2: Running, upstream: Upstream):
    policy = Path(gw2.log_path).parent / "policy.yaml"
    old = policy.read_text()
    assert "qvtools" in old
    st = policy.stat()
    # Same size, same mtime: the file watcher cannot see this edit, only SIGHUP applies it.
    policy.write_text(old.replace("qvtools", "Zentrix"))
    os.utime(policy, ns=(st.st_atime_ns, st.st_mtime_ns))
    time.sleep(2.5)  # more than the watcher's one-second round
    upstream.clear()
    ask(gw2, clients=4, each=2, word="Zentrix")
    assert json.dumps(upstream.recorded()).count("Zentrix") == 8  # not a term yet

    log_lines = len(Path(gw2.log_path).read_text().splitlines())
    gw2.proc.send_signal(signal.SIGHUP)

    def reloaded() -> bool:
        lines = Path(gw2.log_path).read_text().splitlines()[log_lines:]
        events = [json.loads(line) for line in lines if line.startswith("{")]
        return {e.get("worker") for e in events if e["msg"].startswith("policy reloaded")} \
            == {0, 1}

    until(reloaded, timeout=60, what="a reload logged by each worker")
    before = scrape(gw2)
    upstream.clear()
    ask(gw2, clients=12, each=2, word="Zentrix")
    sent = json.dumps(upstream.recorded())
    assert sent.count("ticket") == 24 and "Zentrix" not in sent
    after = scrape(gw2)
    assert all(after_n > handled(before)[w] for w, after_n in handled(after).items())
    assert gw2.proc.poll() is None  # SIGHUP did not stop the master


def test_sighup_reloads_a_single_process_too(gateway: Running):
    """`--workers 1` has no master: SIGHUP reaches the gateway itself, which reloads (it used to
    end the process)."""
    seen = len(Path(gateway.log_path).read_text().splitlines())
    gateway.proc.send_signal(signal.SIGHUP)
    until(lambda: any("policy reloaded" in line for line in
                      Path(gateway.log_path).read_text().splitlines()[seen:]),
          timeout=30, what="a reload logged")
    assert gateway.proc.poll() is None
    assert httpx.get(f"{gateway.url}/healthz").status_code == 200


def test_a_killed_worker_is_replaced(gw2: Running):
    pids = workers(scrape(gw2))
    os.kill(pids[0], signal.SIGKILL)
    until(lambda: gone(pids[0]), timeout=10, what="worker 0 dead")
    ask(gw2, clients=4, each=2)  # the other worker serves meanwhile
    now = until(lambda: (w := workers(scrape(gw2))).get(0) not in (None, pids[0]) and w,
                what="worker 0 replaced")
    assert now[1] == pids[1] and parent(now[0]) == gw2.proc.pid
    before = scrape(gw2)
    ask(gw2, clients=16, each=2)
    after = scrape(gw2)
    assert _value(after, CHAT) - _value(before, CHAT) == 32
    assert handled(after)[0] > handled(before)[0]  # the new worker takes connections


def test_sigterm_finishes_the_request_in_flight_then_exits_0(
    upstream: Upstream, tmp_path: Path
):
    gw = start_gateway(tmp_path, upstream.url, workers=2)
    try:
        pids = until(lambda: (w := workers(scrape(gw))) and len(w) == 2 and w, what="2 workers")
        argv = Path(f"/proc/{pids[0]}/cmdline").read_text().split("\0")
        sockets = Path(argv[argv.index("--worker-dir") + 1])  # the metrics sockets' directory
        assert sockets.stat().st_mode & 0o777 == 0o700
        upstream.clear()
        messages = [{"role": "user", "content": "Slow answer for Quorvex, please"}]
        result: dict[str, str] = {}

        def slow() -> None:
            client = openai.OpenAI(base_url=f"{gw.url}/v1", api_key="sk-client", max_retries=0)
            answer = client.chat.completions.create(model="slow-2", messages=messages)
            result["answer"] = answer.choices[0].message.content or ""

        thread = threading.Thread(target=slow)
        thread.start()
        until(upstream.recorded, timeout=30, what="the slow request upstream")
        gw.proc.send_signal(signal.SIGTERM)
        assert gw.proc.wait(30) == 0
        thread.join(10)
        assert result["answer"] == echo(messages)  # finished, restored, after the SIGTERM
        assert all(gone(pid) for pid in pids.values())
        assert not sockets.exists()
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"{gw.url}/healthz")
        log = Path(gw.log_path).read_text()
        assert "Traceback" not in log and '"msg": "stopped"' in log
    finally:
        gw.stop()


def test_workers_stop_when_the_master_is_killed(upstream: Upstream, tmp_path: Path):
    gw = start_gateway(tmp_path, upstream.url, workers=2)
    try:
        pids = until(lambda: (w := workers(scrape(gw))) and len(w) == 2 and w, what="2 workers")
        argv = Path(f"/proc/{pids[0]}/cmdline").read_text().split("\0")
        sockets = Path(argv[argv.index("--worker-dir") + 1])
        gw.proc.kill()  # SIGKILL: the master cannot pass anything on
        gw.proc.wait(10)
        until(lambda: all(gone(pid) for pid in pids.values()), timeout=30,
              what="the orphaned workers gone")
        assert not sockets.exists()  # the last one out removed the sockets' folder
    finally:
        gw.stop()


def _config(tmp: Path, port: int, audit: str = "data/audit.db") -> Path:
    (tmp / "policy.yaml").write_text("name: p\n")
    (tmp / "config.yaml").write_text(
        f"listen: {{host: 127.0.0.1, port: {port}}}\nupstreams:\n"
        "  - {name: echo, base_url: 'http://127.0.0.1:9/v1'}\n"
        f"policy: policy.yaml\naudit: {{path: {audit}}}\nworkers: 2\n")
    return tmp / "config.yaml"


def test_start_errors_stop_the_master_with_one_line(tmp_path: Path):
    (tmp_path / "blocker").mkdir()  # a directory where the database file should be
    config = _config(tmp_path, free_port(), audit="blocker")
    out = subprocess.run([CODEVEIL, "serve", "--config", str(config)], cwd=REPO,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    last = out.stderr.strip().splitlines()[-1]
    assert last.startswith("error: audit:") and "blocker" in last

    with socket.socket() as taken:  # another program on the port: no silent sharing
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        config = _config(tmp_path, taken.getsockname()[1])
        out = subprocess.run([CODEVEIL, "serve", "--config", str(config)], cwd=REPO,
                             capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert "already in use" in out.stderr.strip().splitlines()[-1]


def test_a_worker_that_cannot_start_stops_the_gateway(tmp_path: Path):
    config = _config(tmp_path, free_port())
    config.write_text(config.read_text() + "ner: {spacy_model: no_such_model}\n")
    out = subprocess.run([CODEVEIL, "serve", "--config", str(config)], cwd=REPO,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 1  # the worker's own status, not a restart loop
    assert "no_such_model" in out.stderr and '"msg": "worker failed to start' in out.stderr


def test_workers_key_is_validated(tmp_path: Path):
    config = _config(tmp_path, free_port())
    config.write_text(config.read_text().replace("workers: 2", "workers: 0"))
    out = subprocess.run([CODEVEIL, "serve", "--config", str(config)], cwd=REPO,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "'workers'" in out.stderr


def test_default_workers_follow_affinity_and_cgroup_quota(tmp_path: Path):
    from proxy.server.workers import _cgroup_cpu_limit

    script = ("import os; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))}); "
              "from proxy.server.workers import default_workers; print(default_workers())")
    pinned = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True,
                            text=True, timeout=60)
    assert pinned.stdout.strip() == "1", pinned.stderr
    own = tmp_path / "cgroup"
    own.write_text("0::/kubepods/pod1/c1\n")
    root = tmp_path / "fs"
    (root / "kubepods" / "pod1" / "c1").mkdir(parents=True)
    (root / "kubepods" / "pod1" / "c1" / "cpu.max").write_text("max 100000\n")
    (root / "kubepods" / "pod1" / "cpu.max").write_text("250000 100000\n")  # 2.5 CPUs
    assert _cgroup_cpu_limit(own, root) == 3
    (root / "kubepods" / "cpu.max").write_text("100000 100000\n")
    assert _cgroup_cpu_limit(own, root) == 1
    assert _cgroup_cpu_limit(tmp_path / "none", root) is None
