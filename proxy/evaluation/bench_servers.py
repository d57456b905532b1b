"""The processes a benchmark scenario measures: echo upstreams and a gateway in front of one.

Every scenario compares the gateway with the same request sent straight to an echo upstream.
Two echo upstreams run: one only the gateway talks to (its recording is what went out through
the veil), one for the direct requests.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from proxy.evaluation.evaluate import free_port

# The processes import the same code as this one: the folder holding the proxy package.
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Servers:
    direct: str  # the echo upstream for the direct requests (…/v1)
    gateway: str  # the gateway (…/v1)
    behind: str  # the echo upstream behind the gateway (…/v1)
    gateway_pid: int


async def wait_up(url: str, timeout: float = 60, proc: subprocess.Popen | None = None) -> None:
    """Until ``url`` answers 200; ``proc``: the process serving it, which must not exit."""
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as s:
        while time.monotonic() < deadline:
            if proc is not None and proc.poll() is not None:
                raise RuntimeError(f"{url}: the process exited ({proc.returncode})")
            try:
                async with s.get(url) as r:
                    if r.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


async def wait_offload(url: str, timeout: float = 120) -> None:
    """Until the gateway's offload child has started (in the background, with the first big
    request)."""
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as s:
        while time.monotonic() < deadline:
            async with s.get(url) as r:
                for line in (await r.text()).splitlines():
                    name, _, value = line.partition(" ")
                    if name == "codeveil_offload_processes_started_total" and float(value) > 0:
                        return
            await asyncio.sleep(0.2)
    raise RuntimeError("the gateway's offload child did not start")


def family_status(pid: int) -> Iterator[dict[str, str]]:
    """The ``/proc/<pid>/status`` fields of ``pid`` and of its children."""
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines())
        except (OSError, ValueError):
            continue
        if pid in (int(fields["Pid"]), int(fields["PPid"])):
            yield fields


def peak_rss_mb(pid: int) -> float:
    """The highest peak RSS of one gateway process: ``pid`` itself, or each of its workers
    (its children) when it runs several."""
    peaks = [int(f["VmHWM"].split()[0]) / 1024 for f in family_status(pid) if "VmHWM" in f]
    return max(peaks, default=float("nan"))


@contextmanager
def servers(policy: dict[str, Any], config: dict[str, Any] | None = None,
            serve_args: tuple[str, ...] = ()) -> Iterator[Servers]:
    """Start two echo upstreams and a gateway with ``policy`` (and extra ``config`` keys)."""
    procs: list[subprocess.Popen] = []
    with tempfile.TemporaryDirectory() as tmp:
        try:
            direct_port, behind_port, gw_port = free_port(), free_port(), free_port()
            for port in (direct_port, behind_port):
                procs.append(subprocess.Popen(
                    [sys.executable, "-m", "proxy.testing.echo", "--port", str(port)], cwd=ROOT
                ))
            Path(tmp, "policy.yaml").write_text(json.dumps({"name": "bench", **policy}))
            Path(tmp, "config.yaml").write_text(json.dumps({
                "listen": {"host": "127.0.0.1", "port": gw_port},
                "upstreams": [{"name": "echo", "base_url": f"http://127.0.0.1:{behind_port}/v1"}],
                "policy": "policy.yaml",
                "audit": {"path": "audit.db"},
                **(config or {}),
            }))
            gw = subprocess.Popen(
                [sys.executable, "-m", "proxy.cli", "serve", "--config",
                 str(Path(tmp, "config.yaml")), "--log-level", "warning", *serve_args],
                cwd=ROOT,
            )
            procs.append(gw)
            for port in (direct_port, behind_port):
                asyncio.run(wait_up(f"http://127.0.0.1:{port}/v1/models"))
            asyncio.run(wait_up(f"http://127.0.0.1:{gw_port}/healthz", timeout=120))
            yield Servers(
                direct=f"http://127.0.0.1:{direct_port}/v1",
                gateway=f"http://127.0.0.1:{gw_port}/v1",
                behind=f"http://127.0.0.1:{behind_port}/v1",
                gateway_pid=gw.pid,
            )
        finally:
            for p in procs:
                p.terminate()
            for p in procs:
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
