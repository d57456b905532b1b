"""Fixtures that run the real thing: the gateway and a recording upstream as processes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from hypothesis import settings

# Property tests draw the same examples on every run: CI stays reproducible, and new examples
# are explored by running with HYPOTHESIS_PROFILE=explore.
settings.register_profile("ci", derandomize=True, deadline=None)
settings.register_profile("explore", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

REPO = Path(__file__).resolve().parents[1]
CODEVEIL = str(Path(sys.executable).with_name("codeveil"))

TEST_POLICY = """
name: e2e
terms: [Quorvex, Stellan Labs, qvtools]
internal_domains: [corp.quorvex.internal, quorvex-int.net]
actions: {secret: pseudonymize, pii: pseudonymize, term: pseudonymize}
content_parts: {image: refuse, audio: refuse, file: refuse}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = proc.stderr.read() if proc.stderr else ""
            raise RuntimeError(f"process exited with {proc.returncode}: {err}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} not ready after {timeout}s")


@dataclass
class Running:
    url: str
    proc: subprocess.Popen
    log_path: Path | None = None

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class Upstream(Running):
    def recorded(self) -> list[dict]:
        return httpx.get(f"{self.url}/_recorded").json()["requests"]

    def cancelled(self) -> int:
        return httpx.get(f"{self.url}/_recorded").json()["cancelled"]

    def clear(self) -> None:
        httpx.delete(f"{self.url}/_recorded")


def start_upstream() -> Upstream:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "proxy.testing.echo", "--port", str(port)],
        cwd=REPO,
        stderr=subprocess.PIPE,
        text=True,
    )
    up = Upstream(f"http://127.0.0.1:{port}", proc)
    wait_ready(f"{up.url}/v1/models", proc)
    return up


def start_gateway(
    tmp: Path,
    upstream_url: str,
    policy: str = TEST_POLICY,
    extra: str = "",
    env: dict[str, str] | None = None,
    upstream_extra: str = "",
    more_upstreams: str = "",
    base_url: str | None = None,
    audit: str = "{path: data/audit.db}",
    workers: int = 1,
) -> Running:
    """`codeveil serve` on a free port in front of the echo upstream.

    ``upstream_extra`` adds keys to that upstream, ``more_upstreams`` adds upstreams and
    ``extra`` adds top-level config. One worker process unless ``workers`` says otherwise
    (tests/test_workers.py runs several).
    """
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "policy.yaml").write_text(policy)
    port = free_port()
    (tmp / "config.yaml").write_text(
        f"listen: {{host: 127.0.0.1, port: {port}}}\n"
        f"upstreams:\n  - name: echo\n    base_url: {base_url or upstream_url + '/v1'}\n"
        f"    models: ['*']\n{upstream_extra}{more_upstreams}"
        f"policy: policy.yaml\naudit: {audit}\n{extra}"
    )
    log = tmp / "gateway.log"
    proc = subprocess.Popen(
        [CODEVEIL, "serve", "--config", str(tmp / "config.yaml"), "--workers", str(workers)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
        env={**os.environ, **(env or {})},
        text=True,
    )
    gw = Running(f"http://127.0.0.1:{port}", proc, log)
    try:
        wait_ready(f"{gw.url}/healthz", proc)
    except RuntimeError:
        raise RuntimeError(f"gateway did not start: {log.read_text()}") from None
    return gw


@pytest.fixture(scope="session")
def upstream() -> Iterator[Upstream]:
    up = start_upstream()
    yield up
    up.stop()


@pytest.fixture(scope="session")
def gateway(upstream: Upstream, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    gw = start_gateway(tmp_path_factory.mktemp("gw"), upstream.url)
    yield gw
    gw.stop()


PG_URL = os.environ.get("CODEVEIL_TEST_POSTGRES_URL")  # the test server .ci/run starts


@contextmanager
def pg_schema(prefix: str) -> Iterator[str]:
    """A schema of its own on the test PostgreSQL server, dropped afterwards: the URL whose
    connections use it."""
    import uuid

    import psycopg

    assert PG_URL
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def store_sql(target: str, sql: str) -> list[tuple]:
    """SQL straight at a store (a SQLite file or a PostgreSQL URL), as someone reading or
    tampering with it would."""
    if target.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(target, autocommit=True) as conn:
            cur = conn.execute(sql)
            return cur.fetchall() if cur.description else []
    import sqlite3

    with sqlite3.connect(target) as db:
        return db.execute(sql).fetchall()
