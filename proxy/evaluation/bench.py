"""``codeveil bench``: what the gateway adds, measured against the echo upstream it fronts.

The gateway and the echo upstream run as separate processes. For each prompt size and mode the
same request goes straight to the upstream and through the gateway, interleaved (alternating
which goes first), so both see the same machine load. Reported: medians and p95 of each, the
added latency (median of the paired differences), the added time to first byte when streaming,
and the gateway's peak RSS.

The echo upstream streams its whole answer at once, thousands of events in a few milliseconds:
the gateway relays that flood while the client waits for its first byte, three busy processes
on two cores, so the flood's time to first byte also measures the scheduler. A model pauses
between its first tokens; the ``paced`` time to first byte asks the echo for such a pause
(``gap-20``: 20 ms after the first event), which leaves the gateway's own latency.
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
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp

from proxy.evaluation.bench_servers import ROOT, wait_up
from proxy.evaluation.corpus import load_corpus, upstream_text
from proxy.evaluation.evaluate import free_port
from proxy.policy import Policy
from proxy.veil.engine import Veil
from proxy.veil.request import SlotRequest
from recognizers.context import DetectionContext
from recognizers.segment import CODE, Segment


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
                paced: tuple[list[float], list[float]] = ([], [])  # direct, gateway TTFB
                for i in range(rounds):
                    if fresh:  # every slot new to the gateway: nothing comes from its cache
                        body = {**body, "messages": _fresh(rec["messages"], f"{stream}{i}")}
                    order = [(direct, d_tot, d_ttfb, paced[0]), (gateway, g_tot, g_ttfb, paced[1])]
                    for url, tot, ttfb, _ in order if i % 2 == 0 else order[::-1]:
                        t, f = await _once(session, url, body)
                        tot.append(t * 1000)
                        ttfb.append(f * 1000)
                    if stream:
                        if fresh:
                            body = {**body, "messages": _fresh(rec["messages"], f"paced{i}")}
                        for url, _, _, first in order if i % 2 else order[::-1]:
                            first.append((await _once(session, url, {**body, "model": "gap-20"})
                                          )[1] * 1000)
                added = [g - d for g, d in zip(g_tot, d_tot, strict=True)]
                added_ttfb = [g - d for g, d in zip(g_ttfb, d_ttfb, strict=True)]
                added_paced = [g - d for g, d in zip(paced[1], paced[0], strict=True)]
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
                        "added_ttfb_paced_median_ms": (statistics.median(added_paced) if stream
                                                       else None),
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


def _median_ms(fn: Callable[[int], object], rounds: int) -> float:
    times = []
    for i in range(rounds):
        t0 = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def recognizer_times(prompts: dict[str, dict[str, Any]], rounds: int = 15) -> list[str]:
    """Median time of each stage of anonymizing fresh text, per prompt (in-process):
    segmenting, lexing (tree-sitter parse and roles), each recognizer on contexts already
    segmented and lexed, choosing dummies and replacing, the restore check, and the whole
    anonymize step. Every round's text is new (a line of its own before each slot)."""
    return [f"{label}: " + ", ".join(f"{k} {v:.2f}" for k, v in _stages(rec, rounds)) + " ms"
            for label, rec in prompts.items()]


def _stages(rec: dict[str, Any], rounds: int) -> list[tuple[str, float]]:
    policy = Policy.from_dict({"name": "bench", **rec["policy"]})
    veil = Veil(policy, b"bench-key")
    texts = upstream_text(rec)
    veil.anonymize(texts)

    def fresh(i: int) -> list[str]:
        return [f"(stage {i:04d})\n{t}" for t in texts]

    # what detection lexes (not every segment: a traceback is read, not parsed)
    probe = [DetectionContext(t) for t in fresh(0)]
    for r in veil.recognizers:
        r.analyze_request(probe)
    lexed = [[Segment(*key[:2], CODE, key[2]) for key in c._lexed] for c in probe]

    def ready(i: int) -> list[DetectionContext]:
        ctxs = [DetectionContext(t) for t in fresh(i)]
        for c, segs in zip(ctxs, lexed, strict=True):
            c.segments  # noqa: B018 (computed here, timed as segmenting)
            for seg in segs:
                c.tokens(seg)
        return ctxs

    seg = _median_ms(lambda i: [DetectionContext(t).segments for t in fresh(i)], rounds)
    out = [("segment", seg), ("lex/roles", _median_ms(ready, rounds) - seg)]
    for r in veil.recognizers:
        contexts = [ready(i) for i in range(rounds)]
        out.append((r.name, _median_ms(lambda i, r=r, c=contexts: r.analyze_request(c[i]),
                                       rounds)))
    detect = _median_ms(
        lambda i: SlotRequest(veil.recognizers, None, fresh(i), False).detect(), rounds
    )
    whole = _median_ms(lambda i: veil.anonymize(fresh(i)), rounds)
    done = [veil.anonymize(fresh(i)) for i in range(rounds)]
    verify = _median_ms(lambda i: [done[i][1].restore(a) for a in done[i][0]], rounds)
    return [*out, ("dummies/replacement", whole - detect - verify), ("restore verify", verify),
            ("anonymize (all of it)", whole)]


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
        f"{'added':>8}{'p95':>8}{'ratio':>7}{'+ttfb':>8}{'paced':>8}   (ms, medians of "
        f"{args.rounds} interleaved pairs; slots: seen = the same request again, served from the "
        "detection cache; fresh = every slot new; +ttfb: added time to first byte, the echo "
        "streaming its whole answer at once; paced: the same, the echo pausing 20 ms after its "
        "first event as a model does)"
    )
    for r in rows:
        ttfb = (f"{r['added_ttfb_median_ms']:8.2f}{r['added_ttfb_paced_median_ms']:8.2f}"
                if r["stream"] else f"{'':>16}")
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
