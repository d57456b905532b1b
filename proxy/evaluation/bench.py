"""``codeveil bench``: what the gateway adds, measured against the echo upstream it fronts.

The gateway and the echo upstream run as separate processes. For each prompt size and mode the
same request goes straight to the upstream and through the gateway, interleaved (alternating
which goes first), so both see the same machine load. Reported: medians and p95 of each, the
added latency (median of the paired differences), the added time to first byte when streaming,
and the gateway's peak RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

from proxy.evaluation.bench_servers import ROOT, wait_up
from proxy.evaluation.corpus import load_corpus, upstream_text
from proxy.evaluation.evaluate import free_port
from proxy.policy import Policy
from proxy.veil.engine import Veil
from recognizers.context import DetectionContext


def _size(rec: dict[str, Any]) -> int:
    return sum(len(t) for t in upstream_text(rec))


def pick(records: list[dict[str, Any]], target: int) -> dict[str, Any]:
    """The record whose upstream text is closest to ``target`` characters."""
    return min(records, key=lambda r: abs(_size(r) - target))


def _pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


_wait = wait_up  # the scenarios share one way to wait for a process


async def _once(
    session: aiohttp.ClientSession, url: str, body: dict[str, Any]
) -> tuple[float, float]:
    """(total seconds, seconds to the first byte of the answer)."""
    t0 = time.perf_counter()
    async with session.post(
        f"{url}/chat/completions", json=body, headers={"Authorization": "Bearer bench"}
    ) as r:
        first = None
        async for _chunk in r.content.iter_any():
            if first is None:
                first = time.perf_counter() - t0
        if r.status != 200:
            raise RuntimeError(f"{url} answered {r.status}")
    return time.perf_counter() - t0, first or 0.0


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _measure(
    direct: str, gateway: str, prompts: dict[str, dict[str, Any]], rounds: int
) -> list[dict[str, Any]]:
    rows = []
    async with aiohttp.ClientSession() as session:
        for label, rec, stream, fresh in [
            (label, rec, stream, fresh) for label, rec in prompts.items()
            for fresh in (False, True) for stream in (False, True)
        ]:
            if True:
                body = {"model": "echo", "messages": rec["messages"], "stream": stream}
                for _ in range(5):  # warm both paths
                    await _once(session, direct, body)
                    await _once(session, gateway, body)
                d_tot, g_tot, d_ttfb, g_ttfb = [], [], [], []
                for i in range(rounds):
                    if fresh:  # every slot new to the gateway: nothing comes from its cache
                        body = {**body, "messages": _fresh(rec["messages"], f"{stream}{i}")}
                    order = [(direct, d_tot, d_ttfb), (gateway, g_tot, g_ttfb)]
                    for url, tot, ttfb in order if i % 2 == 0 else order[::-1]:
                        t, f = await _once(session, url, body)
                        tot.append(t * 1000)
                        ttfb.append(f * 1000)
                added = [g - d for g, d in zip(g_tot, d_tot, strict=True)]
                added_ttfb = [g - d for g, d in zip(g_ttfb, d_ttfb, strict=True)]
                rows.append(
                    {
                        "prompt": label,
                        "chars": _size(rec),
                        "stream": stream,
                        "fresh": fresh,
                        "direct_median_ms": statistics.median(d_tot),
                        "gateway_median_ms": statistics.median(g_tot),
                        "added_median_ms": statistics.median(added),
                        "added_p95_ms": _pct(added, 0.95),
                        "ratio": statistics.median(g_tot) / statistics.median(d_tot),
                        "added_ttfb_median_ms": statistics.median(added_ttfb) if stream else None,
                    }
                )
    return rows


def _fresh(messages: list[dict[str, Any]], tag: str) -> list[dict[str, Any]]:
    """The messages with a line of their own before each text: new slots, same work."""
    return [
        {**m, "content": f"(request {tag})\n{m['content']}"} if isinstance(m.get("content"), str)
        else m
        for m in messages
    ]


def recognizer_times(prompts: dict[str, dict[str, Any]], rounds: int = 15) -> list[str]:
    """Median time of each recognizer, and of the whole anonymize step, per prompt (in-process)."""
    lines = []
    for label, rec in prompts.items():
        policy = Policy.from_dict({"name": "bench", **rec["policy"]})
        veil = Veil(policy, b"bench-key")
        texts = upstream_text(rec)
        veil.anonymize(texts)
        cols = []
        for r in veil.recognizers:
            times = []
            for _ in range(rounds):
                t0 = time.perf_counter()
                # fresh contexts: each recognizer is timed with its share of segmenting/lexing
                r.analyze_request([DetectionContext(t) for t in texts])
                times.append((time.perf_counter() - t0) * 1000)
            cols.append(f"{r.name} {statistics.median(times):.2f}")
        times = []
        for _ in range(rounds):
            t0 = time.perf_counter()
            veil.anonymize(texts)
            times.append((time.perf_counter() - t0) * 1000)
        cols.append(f"anonymize (all of it) {statistics.median(times):.2f}")
        lines.append(f"{label}: " + ", ".join(cols) + " ms")
    return lines


def run_latency(args: argparse.Namespace) -> None:
    records = [
        r for r in load_corpus(args.corpus) if not r.get("tags") or "tool_calls" not in r["tags"]
    ]
    prompts = {"~2KB": pick(records, 2048), "~20KB": pick(records, 20480)}
    policy = prompts["~2KB"]["policy"]
    procs: list[subprocess.Popen] = []
    with tempfile.TemporaryDirectory() as tmp:
        try:
            up_port, gw_port = free_port(), free_port()
            procs.append(
                subprocess.Popen(
                    [sys.executable, "-m", "proxy.testing.echo", "--port", str(up_port)], cwd=ROOT
                )
            )
            Path(tmp, "policy.yaml").write_text(json.dumps({"name": "bench", **policy}))
            Path(tmp, "config.yaml").write_text(
                json.dumps(
                    {
                        "listen": {"host": "127.0.0.1", "port": gw_port},
                        "upstreams": [
                            {"name": "echo", "base_url": f"http://127.0.0.1:{up_port}/v1"}
                        ],
                        "policy": "policy.yaml",
                        "audit": {"path": "audit.db"},
                    }
                )
            )
            gw = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "proxy.cli",
                    "serve",
                    "--config",
                    str(Path(tmp, "config.yaml")),
                    "--log-level",
                    "warning",
                    "--workers",  # one process: its latency and its peak RSS
                    "1",
                ],
                cwd=ROOT,
            )
            procs.append(gw)
            asyncio.run(_wait(f"http://127.0.0.1:{up_port}/v1/models"))
            asyncio.run(_wait(f"http://127.0.0.1:{gw_port}/healthz"))
            rows = asyncio.run(
                _measure(
                    f"http://127.0.0.1:{up_port}/v1",
                    f"http://127.0.0.1:{gw_port}/v1",
                    prompts,
                    args.rounds,
                )
            )
            rss = _peak_rss_mb(gw.pid)
        finally:
            for p in procs:
                p.terminate()
                p.wait(10)
    print(
        f"{'prompt':<7}{'chars':>7} {'slots':<7}{'mode':<7}{'direct':>9}{'gateway':>9}"
        f"{'added':>8}{'p95':>8}{'ratio':>7}{'+ttfb':>8}   (ms, medians of {args.rounds} "
        "interleaved pairs; slots: seen = the same request again, served from the detection "
        "cache; fresh = every slot new)"
    )
    for r in rows:
        ttfb = f"{r['added_ttfb_median_ms']:8.2f}" if r["stream"] else f"{'':>8}"
        print(
            f"{r['prompt']:<7}{r['chars']:>7} {'fresh' if r['fresh'] else 'seen':<7}"
            f"{'stream' if r['stream'] else 'plain':<7}"
            f"{r['direct_median_ms']:9.2f}{r['gateway_median_ms']:9.2f}"
            f"{r['added_median_ms']:8.2f}{r['added_p95_ms']:8.2f}{r['ratio']:7.2f}{ttfb}"
        )
    print(f"gateway peak RSS: {rss:.1f} MB")
    print("\nveil, in-process medians:")
    for line in recognizer_times(prompts):
        print("  " + line)
