"""One of several worker processes behind one port (``codeveil serve --workers N``).

The master (``proxy/server/master.py``) starts N copies of ``codeveil serve``, each binding the
gateway's port with SO_REUSEPORT, so the kernel spreads new connections over them. Every worker
is the whole gateway; what they must share lives in the audit store, as between replicas.

Metrics are the one thing summed across workers. Each worker also listens on a Unix socket,
``worker-<i>.sock``, in a directory only this user can enter (0700, created by the master and
removed when it exits). Connecting to it returns that worker's raw metrics as one JSON document
(:meth:`Metrics.snapshot`, counts only: never request text) and closes; nothing is read from
the caller. The worker that answers GET /metrics gathers its siblings' snapshots this way and
serves their sums, so a scrape of the one port covers every worker, and nothing is written to
disk. A sibling that does not answer within a second (dead, restarting) is left out of that
scrape; ``codeveil_worker_info`` lists the workers an answer sums.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import os
import signal
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web

from proxy.server.keys import METRICS

log = logging.getLogger("codeveil")

GATHER_TIMEOUT_S = 1.0
MAX_SNAPSHOT = 8 * 1024 * 1024  # a sibling's answer; far above any real one


def socket_path(directory: str | Path, index: int) -> Path:
    """Where worker ``index`` serves its metrics; the master waits for it to know it is up."""
    return Path(directory) / f"worker-{index}.sock"


def default_workers() -> int:
    """One worker per core this process may use: its CPU affinity, capped by a cgroup CPU quota
    (a container limited to 2 CPUs on a 64-core node gets 2, not 64)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    quota = _cgroup_cpu_limit()
    return max(1, min(cores, quota) if quota else cores)


def _cgroup_cpu_limit(
    own: Path = Path("/proc/self/cgroup"), root: Path = Path("/sys/fs/cgroup")
) -> int | None:
    """The smallest CPU quota of this process's cgroup and its parents (cgroup v2, then v1)."""
    limits = []
    try:
        lines = own.read_text().splitlines()
    except OSError:
        lines = []
    for line in lines:
        if line.startswith("0::"):  # cgroup v2: walk up from our group to the root
            group = root / line[3:].strip().lstrip("/")
            for d in (group, *group.parents):
                if not d.is_relative_to(root):
                    break
                with contextlib.suppress(OSError, ValueError):
                    quota, period = (d / "cpu.max").read_text().split()[:2]
                    if quota != "max":
                        limits.append(math.ceil(int(quota) / int(period)))
    with contextlib.suppress(OSError, ValueError):  # cgroup v1
        quota_us = int((root / "cpu" / "cpu.cfs_quota_us").read_text())
        period_us = int((root / "cpu" / "cpu.cfs_period_us").read_text())
        if quota_us > 0 and period_us > 0:
            limits.append(math.ceil(quota_us / period_us))
    return min(limits) if limits else None


@dataclass(frozen=True)
class WorkerSlot:
    """This process's place among the master's workers."""

    index: int
    count: int
    directory: Path

    def attach(self, app: web.Application) -> None:
        """Serve this worker's snapshot to its siblings, sum theirs into /metrics, and stop when
        the master is gone. The socket appears once the worker is up: the master waits for it
        (and forwards SIGHUP only then, so append this after the SIGHUP handler's context)."""
        app[METRICS].worker = (self.index, os.getpid())
        app[METRICS].siblings = self.gather
        app.cleanup_ctx.append(self._serve)

    async def _serve(self, app: web.Application) -> AsyncIterator[None]:
        metrics = app[METRICS]

        async def answer(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            try:
                writer.write(json.dumps(metrics.snapshot()).encode())
                await writer.drain()
            except ConnectionError:
                pass  # the sibling gave up waiting
            finally:
                writer.close()

        master = os.getppid()
        path = socket_path(self.directory, self.index)
        server = await asyncio.start_unix_server(answer, path=path)
        orphaned = asyncio.get_running_loop().create_task(self._exit_without(master))
        yield
        orphaned.cancel()
        server.close()
        with contextlib.suppress(OSError):
            path.unlink()
        if os.getppid() != master:  # nobody else will: the last worker out removes the folder
            with contextlib.suppress(OSError):
                self.directory.rmdir()

    @staticmethod
    async def _exit_without(master: int) -> None:
        """A worker whose master died (SIGKILL, OOM) stops gracefully instead of serving on."""
        while os.getppid() == master:
            await asyncio.sleep(1.0)
        log.error("the master process is gone; stopping")
        os.kill(os.getpid(), signal.SIGTERM)

    async def gather(self) -> list[dict[str, Any]]:
        """The snapshots of the siblings that answer in time."""
        others = [i for i in range(self.count) if i != self.index]
        got = await asyncio.gather(*(self._fetch(i) for i in others))
        return [s for s in got if s is not None]

    async def _fetch(self, index: int) -> dict[str, Any] | None:
        path = socket_path(self.directory, index)
        try:
            async with asyncio.timeout(GATHER_TIMEOUT_S):
                reader, writer = await asyncio.open_unix_connection(path)
                data = b""
                try:
                    while (chunk := await reader.read(65536)) and len(data) <= MAX_SNAPSHOT:
                        data += chunk
                finally:
                    writer.close()
            snap = json.loads(data)
            return snap if isinstance(snap, dict) and isinstance(snap.get("series"), dict) else None
        except (OSError, TimeoutError, ValueError):
            return None  # dead, restarting or stuck: this scrape goes without it
