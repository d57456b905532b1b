"""Fault injection: the audit store failing under a running gateway (SQLite directory removed,
database locked by another process, a real PostgreSQL stopped and restarted) under both
``audit.on_failure`` modes, and upstream faults (refused connection, reset mid-stream, 5xx).

Invariants: under ``refuse`` nothing reaches the upstream while the store does not take records,
and the client gets an API-shaped 503; under ``serve`` requests go through and /healthz and
/metrics say the store is degraded; after recovery every queued record is written and
``codeveil audit verify`` passes.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import socket
import sqlite3
import struct
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import (
    CODEVEIL,
    PG_URL,
    REPO,
    TEST_POLICY,
    Running,
    Upstream,
    free_port,
    start_gateway,
    wait_ready,
)
from tests.conftest import pg_schema as pg_schema_of

PG_CTL = os.environ.get("CODEVEIL_TEST_PG_CTL")
PG_DATA = os.environ.get("CODEVEIL_TEST_PG_DATA")


def chat(gw: Running, model: str = "echo", stream: bool = False) -> httpx.Response:
    return httpx.post(
        f"{gw.url}/v1/chat/completions",
        json={"model": model, "stream": stream,
              "messages": [{"role": "user", "content": "hello from Quorvex"}]},
        timeout=30,
    )


def wait_for(check: Callable[[], bool], what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"not within {timeout}s: {what}")


def health(gw: Running) -> tuple[int, dict]:
    r = httpx.get(f"{gw.url}/healthz", timeout=10)
    return r.status_code, r.json()


def metric(gw: Running, name: str) -> float:
    for line in httpx.get(f"{gw.url}/metrics", timeout=10).text.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{name} not in /metrics")


def audit_cli(tmp: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CODEVEIL, "audit", *args, "--config", str(tmp / "config.yaml")],
                          cwd=REPO, capture_output=True, text=True, timeout=60)


def stored(tmp: Path) -> list[tuple[str | None, int]]:
    """(model, status) of every stored record, in order."""
    out = audit_cli(tmp, "export", "--format", "jsonl")
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    return [(r["model"], r["status"]) for r in rows]


def healthy(gw: Running) -> bool:
    code, body = health(gw)
    return code == 200 and body["status"] == "ok"


def verified(tmp: Path) -> None:
    out = audit_cli(tmp, "verify")
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.fixture
def clean(upstream: Upstream) -> Upstream:
    upstream.clear()
    return upstream


# -- SQLite --------------------------------------------------------------------------------------


def test_refuse_directory_removed_nothing_goes_upstream_until_it_is_back(clean, tmp_path):
    tmp = tmp_path / "gw"
    gw = start_gateway(tmp, clean.url, audit="{path: audit/audit.db, on_failure: refuse}",
                       extra="veil: {key_file: surrogate.key}\n")
    try:
        assert chat(gw, "m-before").status_code == 200
        wait_for(lambda: metric(gw, "codeveil_audit_queue_depth") == 0, "m-before written")
        shutil.rmtree(tmp / "audit")
        wait_for(lambda: health(gw)[0] == 503, "/healthz reports the store down")
        body = health(gw)[1]
        assert body["status"] == "degraded" and body["reasons"]
        assert metric(gw, "codeveil_audit_degraded") == 1
        clean.clear()
        refused = chat(gw, "m-refused")
        assert refused.status_code == 503
        assert refused.json()["error"]["code"] == "audit_unavailable"
        assert chat(gw, "m-refused", stream=True).status_code == 503
        assert clean.recorded() == []  # nothing reached the upstream without its record
        (tmp / "audit").mkdir()  # the operator puts the directory back
        wait_for(lambda: healthy(gw), "/healthz ok again")
        assert chat(gw, "m-after").status_code == 200
        assert metric(gw, "codeveil_audit_degraded") == 0
    finally:
        gw.stop()
    # a new file: the refused requests' records (kept in the queue; refused before the handler
    # read the model) and the one after
    assert stored(tmp) == [(None, 503), (None, 503), ("m-after", 200)]
    verified(tmp)
    assert metric_free_log(tmp)


def metric_free_log(tmp: Path) -> bool:
    """The gateway's log names the failure and never a prompt."""
    log = (tmp / "gateway.log").read_text()
    return "audit write failed" in log and "Quorvex" not in log


@pytest.mark.parametrize("mode", ["refuse", "serve"])
def test_database_locked_by_another_process(clean, tmp_path, mode):
    tmp = tmp_path / "gw"
    gw = start_gateway(tmp, clean.url,
                       audit=f"{{path: data/audit.db, on_failure: {mode}, lock_timeout_s: 0.3}}")
    try:
        assert chat(gw, "m0").status_code == 200
        holder = sqlite3.connect(tmp / "data" / "audit.db", isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        held = chat(gw, "m1")  # admitted before the store is known to be locked
        assert held.status_code == 200
        wait_for(lambda: health(gw)[1]["status"] == "degraded", "/healthz reports degraded")
        assert health(gw)[0] == (503 if mode == "refuse" else 200)
        clean.clear()
        r = chat(gw, "m2")
        if mode == "refuse":
            assert r.status_code == 503 and r.json()["error"]["code"] == "audit_unavailable"
            assert clean.recorded() == []
        else:
            assert r.status_code == 200 and len(clean.recorded()) == 1
            assert metric(gw, "codeveil_audit_queue_depth") >= 2
        assert metric(gw, "codeveil_audit_write_failures_total") > 0
        holder.execute("ROLLBACK")
        holder.close()
        wait_for(lambda: healthy(gw), "/healthz ok again")
        wait_for(lambda: metric(gw, "codeveil_audit_queue_depth") == 0, "queue drained")
        assert metric(gw, "codeveil_audit_records_lost_total") == 0
    finally:
        gw.stop()
    assert stored(tmp) == [("m0", 200), ("m1", 200),
                           (None, 503) if mode == "refuse" else ("m2", 200)]
    verified(tmp)


def test_bad_audit_path_is_one_line_error(tmp_path, upstream):
    (tmp_path / "policy.yaml").write_text("name: p\n")
    (tmp_path / "blocker").write_text("a file, not a directory")
    (tmp_path / "config.yaml").write_text(
        f"listen: {{host: 127.0.0.1, port: 1}}\nupstreams:\n  - {{name: echo, base_url: "
        f"'{upstream.url}/v1', models: ['*']}}\npolicy: policy.yaml\n"
        "audit: {path: blocker/audit.db}\nveil: {key_file: surrogate.key}\n")
    out = subprocess.run([CODEVEIL, "serve", "--config", str(tmp_path / "config.yaml")],
                         cwd=REPO, capture_output=True, text=True, timeout=60)
    assert out.returncode != 0
    assert "Traceback" not in out.stderr
    line = out.stderr.strip().splitlines()[-1]
    assert "audit" in line and "blocker" in line


# -- PostgreSQL, stopped and restarted inside the test ------------------------------------------


@pytest.fixture
def pg_schema() -> Iterator[str]:
    if not (PG_URL and PG_CTL and PG_DATA):
        pytest.skip("CODEVEIL_TEST_POSTGRES_URL, _PG_CTL and _PG_DATA are not set (.ci/run)")
    with pg_schema_of("f") as url:
        yield url


def pg_ctl(*args: str) -> None:
    as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run([*as_pg, str(PG_CTL), "-D", str(PG_DATA), *args], check=True,
                   capture_output=True, timeout=60)


def pg_restart_options() -> list[str]:
    """The server's own start options (postmaster.opts), to start it again as it was."""
    words = shlex.split((Path(str(PG_DATA)) / "postmaster.opts").read_text())[1:]
    opts, skip = [], False
    for w in words:
        if skip:
            skip = False
        elif w == "-D":
            skip = True
        else:
            opts.append(w)
    return ["-o", shlex.join(opts)]


@pytest.mark.parametrize("mode", ["refuse", "serve"])
def test_postgres_stopped_and_restarted(clean, tmp_path, pg_schema, mode):
    tmp = tmp_path / "gw"
    gw = start_gateway(tmp, clean.url, audit=f"{{url: '{pg_schema}', on_failure: {mode}}}")
    opts = pg_restart_options()
    started = False
    try:
        assert chat(gw, "m0").status_code == 200
        pg_ctl("-m", "fast", "-w", "stop")
        wait_for(lambda: health(gw)[1]["status"] == "degraded", "/healthz reports degraded")
        assert metric(gw, "codeveil_audit_degraded") == 1
        clean.clear()
        r = chat(gw, "m1")
        if mode == "refuse":
            assert r.status_code == 503 and r.json()["error"]["code"] == "audit_unavailable"
            assert clean.recorded() == []
        else:
            assert r.status_code == 200 and len(clean.recorded()) == 1
        pg_ctl("-w", "-l", str(Path(str(PG_DATA)).parent / "restart.log"), *opts, "start")
        started = True
        wait_for(lambda: healthy(gw), "/healthz ok again", timeout=60)
        assert chat(gw, "m2").status_code == 200
        wait_for(lambda: metric(gw, "codeveil_audit_queue_depth") == 0, "queue drained")
    finally:
        if not started:
            pg_ctl("-w", "-l", str(Path(str(PG_DATA)).parent / "restart.log"), *opts, "start")
        gw.stop()
    assert stored(tmp) == [("m0", 200), (None, 503) if mode == "refuse" else ("m1", 200),
                           ("m2", 200)]
    verified(tmp)


# -- upstream faults: every forwarded request still has its record ------------------------------


def _reset_mid_stream_server() -> tuple[str, socket.socket]:
    """An upstream that starts an SSE answer, then resets the connection."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)

    def serve() -> None:
        while True:
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                         b"Transfer-Encoding: chunked\r\n\r\n")
            chunk = b'data: {"choices":[{"index":0,"delta":{"content":"hel"}}]}\n\n'
            conn.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.close()

    threading.Thread(target=serve, daemon=True).start()
    return f"http://127.0.0.1:{srv.getsockname()[1]}", srv


@pytest.mark.parametrize("mode", ["refuse", "serve"])
def test_upstream_faults_are_answered_and_audited(clean, tmp_path, mode):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    dead_port = closed.getsockname()[1]
    closed.close()  # nothing listens there: connection refused
    reset_url, srv = _reset_mid_stream_server()
    tmp = tmp_path / "gw"
    tmp.mkdir()
    (tmp / "policy.yaml").write_text(TEST_POLICY)
    port = free_port()
    (tmp / "config.yaml").write_text(
        f"listen: {{host: 127.0.0.1, port: {port}}}\nupstreams:\n"
        f"  - {{name: dead, base_url: 'http://127.0.0.1:{dead_port}/v1', models: ['dead-*']}}\n"
        f"  - {{name: reset, base_url: '{reset_url}/v1', models: ['reset-*']}}\n"
        f"  - {{name: echo, base_url: '{clean.url}/v1', models: ['*']}}\n"
        f"policy: policy.yaml\naudit: {{path: data/audit.db, on_failure: {mode}}}\n")
    proc = subprocess.Popen([CODEVEIL, "serve", "--config", str(tmp / "config.yaml"),
                             "--workers", "1"], cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    gw = Running(f"http://127.0.0.1:{port}", proc)
    wait_ready(f"{gw.url}/healthz", proc)
    try:
        refused = chat(gw, "dead-1")
        assert refused.status_code == 502 and "error" in refused.json()
        with httpx.stream("POST", f"{gw.url}/v1/chat/completions", timeout=30, json={
            "model": "reset-1", "stream": True,
            "messages": [{"role": "user", "content": "hi"}],
        }) as r:
            body = b"".join(r.iter_bytes()) if r.status_code == 200 else r.read()
        assert b"error" in body
        five = chat(gw, "error-500")
        assert five.status_code == 500 and "error" in five.json()
        ok = chat(gw, "echo")
        assert ok.status_code == 200
        assert health(gw)[1]["status"] == "ok"  # upstream faults are not audit faults
    finally:
        gw.stop()
        srv.close()
    assert [m for m, _ in stored(tmp)] == ["dead-1", "reset-1", "error-500", "echo"]
    verified(tmp)


def test_a_record_that_cannot_be_queued_is_logged_and_counted_never_silent(tmp_path, caplog):
    from proxy.audit import AuditRecord, AuditStore

    lost: list[int] = []
    store = AuditStore(tmp_path / "audit.db", on_failure="serve", queue_max=2,
                       lock_timeout_s=0.2, on_lost=lambda: lost.append(1))
    holder = sqlite3.connect(tmp_path / "audit.db", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        for i in range(4):
            store.submit(AuditRecord(endpoint="/v1/chat/completions", model=f"secret-{i}",
                                     status=200, ts=1000.0 + i))
        wait_for(lambda: store.health().degraded, "the store degraded")
        assert store.admit()  # serve mode admits while degraded
        assert len(lost) == 2 and store.health().queued == 2
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    store.flush()
    assert [r["model"] for r in store.query()] == ["secret-0", "secret-1"]
    refuse = AuditStore(tmp_path / "other.db", queue_max=1)
    assert refuse.admit() and not refuse.admit()  # refuse mode: no room, no admission
    refuse.close()
    store.close()
    lines = [r for r in caplog.records if r.getMessage() == "audit record lost"]
    assert [getattr(r, "record_ts", None) for r in lines] == [1002.0, 1003.0]
    assert all("secret" not in str(r.__dict__) for r in lines)
