"""``codeveil bench`` scenario: head-of-line blocking.

One client sends ~200 KB prompts, one after the other, while another sends ~2 KB prompts; every
prompt is new (nothing the gateway's cache has seen). Reported: the small requests' latency
with and without the big ones beside them (p50, p99), then ``/healthz``'s latency while the
gateway anonymizes one 16 MB prompt.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from typing import Any

import aiohttp

from proxy.evaluation.agent_material import POLICY, turns
from proxy.evaluation.bench_servers import Servers, peak_rss_mb, servers, wait_offload


def _pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


def material(chars: int, seed: int = 11) -> str:
    """About ``chars`` characters of an agent's exchanges flattened to text; prompts are cut
    from it at different offsets, so each is new to the gateway."""
    parts: list[str] = []
    size = 0
    for added in turns(seed):
        for m in added:
            text = m.get("content") or ""
            parts.append(text)
            size += len(text)
        if size >= chars:
            break
    return "\n\n".join(parts)


def cut(text: str, i: int, chars: int) -> str:
    start = (i * 997) % max(1, len(text) - chars)
    return text[start:start + chars]


def _body(text: str) -> dict[str, Any]:
    return {"model": "echo-last", "messages": [{"role": "user", "content": text}]}


async def _post(session: aiohttp.ClientSession, url: str, body: dict[str, Any] | bytes,
                ok: tuple[int, ...] = (200,)) -> float:
    # bytes: encoded beforehand, so that encoding does not stall this client's own loop
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    t0 = time.perf_counter()
    async with session.post(f"{url}/chat/completions", data=data,
                            headers={"Authorization": "Bearer bench",
                                     "Content-Type": "application/json"}) as r:
        await r.read()
        if r.status not in ok:
            raise RuntimeError(f"{url} answered {r.status}")
    return (time.perf_counter() - t0) * 1000


async def _small_requests(srv: Servers, seconds: float, text: str, first: int) -> list[float]:
    out = []
    deadline = time.monotonic() + seconds
    async with aiohttp.ClientSession() as session:
        i = first
        while time.monotonic() < deadline:
            out.append(await _post(session, srv.gateway, _body(cut(text, i, 2048))))
            i += 1
    return out


async def _big_requests(srv: Servers, stop: asyncio.Event, text: str) -> int:
    n = 0
    async with aiohttp.ClientSession() as session:
        while not stop.is_set():
            await _post(session, srv.gateway, _body(cut(text, 7 * n + 3, 200_000)))
            n += 1
    return n


async def _scenario(srv: Servers, seconds: float, text: str) -> dict[str, Any]:
    # warm up, then the small requests alone, then beside the big ones
    await _small_requests(srv, 1.0, text, 10_000)
    alone = await _small_requests(srv, seconds, text, 20_000)
    stop = asyncio.Event()
    big = asyncio.create_task(_big_requests(srv, stop, text))
    # The first big request starts the offload child: the steady state is measured, not the
    # seconds in which the first big requests are anonymized in the gateway's own threads.
    await wait_offload(srv.gateway.removesuffix("/v1") + "/metrics")
    await asyncio.sleep(0.5)
    beside = await _small_requests(srv, seconds, text, 40_000)
    stop.set()
    n_big = await big
    # /healthz while one 16 MB prompt is anonymized
    huge = json.dumps(_body((text * (16_000_000 // len(text) + 1))[:16_000_000])).encode()
    health: list[float] = []
    # (refused with 413 once it has used up its CPU budget, or 500 when the offload child
    # timed out on an overloaded machine: what is measured is /healthz)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=None)) as session:
        task = asyncio.create_task(_post(session, srv.gateway, huge, ok=(200, 413, 500)))
        while not task.done():
            t0 = time.perf_counter()
            async with session.get(srv.gateway.removesuffix("/v1") + "/healthz") as r:
                await r.read()
            health.append((time.perf_counter() - t0) * 1000)
            await asyncio.sleep(0.05)
        huge_ms = await task
    return {
        "alone_p50": statistics.median(alone), "alone_p99": _pct(alone, 0.99),
        "beside_p50": statistics.median(beside), "beside_p99": _pct(beside, 0.99),
        "n_small": len(beside), "n_big": n_big,
        "healthz_p50": statistics.median(health), "healthz_max": max(health),
        "huge_ms": huge_ms,
    }


def run_hol(seconds: float = 10.0, serve_args: tuple[str, ...] = ()) -> dict[str, Any]:
    config = {"limits": {"max_body_bytes": 64 * 1024 * 1024}}
    text = material(1_000_000)
    with servers(POLICY, config, serve_args) as srv:
        r = asyncio.run(_scenario(srv, seconds, text))
        r["rss_mb"] = peak_rss_mb(srv.gateway_pid)
    return r


def report_hol(r: dict[str, Any], label: str = "") -> list[str]:
    return [
        f"head-of-line{label}: fresh ~2 KB prompts, alone: p50 {r['alone_p50']:.1f} ms, "
        f"p99 {r['alone_p99']:.1f} ms",
        f"  beside a client sending ~200 KB prompts ({r['n_big']} of them): p50 "
        f"{r['beside_p50']:.1f} ms, p99 {r['beside_p99']:.1f} ms ({r['n_small']} requests)",
        f"  /healthz during a 16 MB prompt ({r['huge_ms'] / 1000:.1f} s): p50 "
        f"{r['healthz_p50']:.1f} ms, max {r['healthz_max']:.1f} ms; peak RSS "
        f"{r['rss_mb']:.0f} MB",
    ]
