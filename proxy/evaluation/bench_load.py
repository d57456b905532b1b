"""``codeveil bench --scenario throughput``: requests per second at agent scale.

``--clients`` concurrent clients (64 by default, each a keep-alive connection of one aiohttp
session) send ~2 KB chat prompts from the dev corpus for ``--seconds`` to a gateway in front of
the echo upstream, once per worker count in ``--workers-list`` (``1,2``: a single process, then
two workers behind one port). Every request is new text (a counter is appended), so the veil
does its whole work each time; ``--resent`` sends the same few prompts over and over instead, as
agents resend their history. Reported per run: requests/s, p50 and p99 latency, errors, and
the CPU the gateway's processes used (cores busy on average), since on a small machine the
load generator and the echo upstream share the cores with it.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

from proxy.evaluation.bench import ROOT, _pct, _size, _wait
from proxy.evaluation.bench_servers import family_status
from proxy.evaluation.corpus import load_corpus
from proxy.evaluation.evaluate import free_port

WARM_UP_S = 2.0


def prompts(records: list[dict[str, Any]], low: int = 1700, high: int = 2400) -> list[dict]:
    """Up to 16 records of about 2 KB of upstream text, without tool calls."""
    picked = [r for r in records if low <= _size(r) <= high
              and not (r.get("tags") and "tool_calls" in r["tags"])]
    return picked[:16]


def policy_for(picked: list[dict[str, Any]]) -> dict[str, Any]:
    """One policy holding every picked record's terms and internal domains."""
    terms: list[str] = []
    domains: list[str] = []
    for r in picked:
        pol = r.get("policy") or {}
        terms += [t for t in pol.get("terms") or [] if t not in terms]
        domains += [d for d in pol.get("internal_domains") or [] if d not in domains]
    return {"name": "bench-load", "terms": terms, "internal_domains": domains}


def _body(rec: dict[str, Any], n: int | None) -> dict[str, Any]:
    messages = copy.deepcopy(rec["messages"])
    if n is not None:  # new text every time: nothing the gateway saw before
        last = next(m for m in reversed(messages) if isinstance(m.get("content"), str))
        last["content"] += f"\n\n(request {n})"
    return {"model": "echo", "messages": messages}


async def _load(
    url: str, picked: list[dict[str, Any]], clients: int, seconds: float, resent: bool
) -> tuple[list[float], int, float]:
    """(latencies in ms of requests finished in the window, errors, the window in seconds)."""
    counter = iter(range(10**9))
    bodies = [_body(r, None) for r in picked]
    latencies: list[float] = []
    errors = 0
    start = time.perf_counter() + WARM_UP_S
    stop = start + seconds
    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def client() -> None:
            nonlocal errors
            while (now := time.perf_counter()) < stop:
                n = next(counter)
                body = bodies[n % len(bodies)] if resent else _body(picked[n % len(picked)], n)
                try:
                    async with session.post(f"{url}/chat/completions", json=body,
                                            headers={"Authorization": "Bearer bench"}) as r:
                        await r.read()
                        ok = r.status == 200
                except aiohttp.ClientError:
                    ok = False
                done = time.perf_counter()
                if done < start or done > stop:
                    continue  # warm-up, or past the window
                if ok:
                    latencies.append((done - now) * 1000)
                else:
                    errors += 1

        await asyncio.gather(*(client() for _ in range(clients)))
    return latencies, errors, seconds


def _cpu_seconds(root: int) -> float:
    """User + system CPU of ``root`` and its children (the master and its workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(stat.parent.name), int(fields[1])
        if root in (pid, ppid):
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _run_one(config: Path, workers: int, url: str, args: argparse.Namespace,
             picked: list[dict[str, Any]], echo: int) -> dict[str, Any]:
    gw = subprocess.Popen(
        [sys.executable, "-m", "proxy.cli", "serve", "--config", str(config),
         "--log-level", "warning", "--workers", str(workers)],
        cwd=ROOT,
    )
    try:
        asyncio.run(_wait(f"{url}/healthz"))
        if workers > 1:  # every worker up, not just the first
            asyncio.run(_all_up(url, workers))
        rss = _rss_mb(gw.pid)
        cpu0, t0 = [_cpu_seconds(p) for p in (gw.pid, echo)] + [time.process_time()], \
            time.perf_counter()
        lat, errors, window = asyncio.run(
            _load(f"{url}/v1", picked, args.clients, args.seconds, args.resent))
        wall = time.perf_counter() - t0
        cpu = [_cpu_seconds(p) for p in (gw.pid, echo)] + [time.process_time()]
        cores = [(b - a) / wall for a, b in zip(cpu0, cpu, strict=True)]
    finally:
        gw.terminate()
        gw.wait(60)
    return {
        "workers": workers,
        "rps": len(lat) / window,
        "p50_ms": _pct(lat, 0.5) if lat else float("nan"),
        "p99_ms": _pct(lat, 0.99) if lat else float("nan"),
        "errors": errors,
        "cores": cores,  # the gateway's processes, the echo upstream, this load generator
        "rss_mb": rss,
    }


def _rss_mb(root: int) -> float:
    """Resident memory of ``root`` and its children, before the load."""
    return sum(int(f["VmRSS"].split()[0]) for f in family_status(root) if "VmRSS" in f) / 1024


async def _all_up(url: str, workers: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as s:
        while time.monotonic() < deadline:
            async with s.get(f"{url}/metrics") as r:
                if (await r.text()).count("codeveil_worker_info{") >= workers:
                    return
            await asyncio.sleep(0.2)
    raise RuntimeError("not every worker came up")


def run_load(args: argparse.Namespace) -> int:
    picked = prompts(load_corpus(args.corpus))
    if not picked:
        print("no ~2 KB prompts in the corpus", file=sys.stderr)
        return 2
    counts = [int(w) for w in args.workers_list.split(",")]
    load = os.getloadavg()[0]  # other work on the machine takes cores from the gateway
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        up_port, gw_port = free_port(), free_port()
        echo = subprocess.Popen(
            [sys.executable, "-m", "proxy.testing.echo", "--port", str(up_port)], cwd=ROOT
        )
        try:
            Path(tmp, "policy.yaml").write_text(json.dumps(policy_for(picked)))
            config = Path(tmp, "config.yaml")
            config.write_text(json.dumps({
                "listen": {"host": "127.0.0.1", "port": gw_port},
                "upstreams": [{"name": "echo", "base_url": f"http://127.0.0.1:{up_port}/v1"}],
                "policy": "policy.yaml",
                "audit": {"path": "audit.db"},
            }))
            asyncio.run(_wait(f"http://127.0.0.1:{up_port}/v1/models"))
            for n in counts:
                rows.append(
                    _run_one(config, n, f"http://127.0.0.1:{gw_port}", args, picked, echo.pid))
        finally:
            echo.terminate()
            echo.wait(10)
    sizes = sorted(_size(r) for r in picked)
    print(f"throughput: {args.clients} clients, {len(picked)} prompts of {sizes[0]}-{sizes[-1]} "
          f"chars, {'resent' if args.resent else 'new text every request'}, "
          f"{args.seconds:g} s per run, {len(os.sched_getaffinity(0))} cores visible, "
          f"load average before {load:.2f}")
    print(f"{'workers':>7}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}"
          f"{'RSS MB':>8}   cores busy: gateway / echo / load generator")
    for r in rows:
        gw, up, me = r["cores"]
        print(f"{r['workers']:>7}{r['rps']:9.1f}{r['p50_ms']:9.1f}{r['p99_ms']:9.1f}"
              f"{r['errors']:>8}{r['rss_mb']:8.0f}   {gw:.2f} / {up:.2f} / {me:.2f}")
    return 1 if any(r["errors"] for r in rows) else 0
