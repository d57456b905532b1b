"""``codeveil bench`` scenario: an agent's conversation, turn after turn.

Every turn resends the whole history plus one new exchange (agent_material.py). Each turn goes
through the gateway once (its first time: what an agent pays) and straight to the echo
upstream, alternating which goes first. Reported: the added time of the late turns (median of
the last ten), and how much of what the gateway had already sent upstream for earlier messages
it sent again byte for byte (what keeps the providers' prompt caches hitting), read from the
recording of the upstream behind the gateway.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import statistics
import time
from typing import Any

import aiohttp

from proxy.evaluation.agent_material import POLICY, TOOLS, conversation
from proxy.evaluation.bench_servers import Servers, peak_rss_mb, servers


async def _post(session: aiohttp.ClientSession, url: str, body: dict[str, Any]) -> float:
    t0 = time.perf_counter()
    async with session.post(f"{url}/chat/completions", json=body,
                            headers={"Authorization": "Bearer bench"}) as r:
        await r.read()
        if r.status != 200:
            raise RuntimeError(f"{url} answered {r.status}")
    return (time.perf_counter() - t0) * 1000


async def _turns(srv: Servers, requests: list[dict[str, Any]], reconnect: bool = False
                 ) -> list[float]:
    added = []
    # reconnect: a new connection every request, which the kernel hands to any of the
    # gateway's workers (as a client's pooled connections expire between an agent's turns)
    connector = aiohttp.TCPConnector(force_close=reconnect)
    async with aiohttp.ClientSession(connector=connector) as session:
        for _ in range(3):  # warm both paths (a request of its own, not a turn)
            warm = {"model": "echo-last", "messages": [{"role": "user", "content": "hello"}]}
            await _post(session, srv.direct, warm)
            await _post(session, srv.gateway, warm)
        for i, body in enumerate(requests):
            if i % 2:
                d = await _post(session, srv.direct, body)
                g = await _post(session, srv.gateway, body)
            else:
                g = await _post(session, srv.gateway, body)
                d = await _post(session, srv.direct, body)
            added.append(g - d)
    return added


async def _recorded(url: str) -> list[dict[str, Any]]:
    async with aiohttp.ClientSession() as s, s.get(url.removesuffix("/v1") + "/_recorded") as r:
        data = await r.json()
    return [q["body"] for q in data["requests"] if q["path"].endswith("/chat/completions")]


def prefix_stability(bodies: list[dict[str, Any]]) -> tuple[int, int, int]:
    """(bytes sent before and sent again unchanged, bytes sent before, turns that changed
    something already sent), comparing each request with the one before it."""
    same = total = changed = 0
    for prev, cur in itertools.pairwise(bodies):
        parts_prev = [json.dumps(prev.get("tools"), sort_keys=True)] + [
            json.dumps(m, sort_keys=True) for m in prev["messages"]]
        parts_cur = [json.dumps(cur.get("tools"), sort_keys=True)] + [
            json.dumps(m, sort_keys=True) for m in cur["messages"]]
        turn_changed = False
        for a, b in zip(parts_prev, parts_cur, strict=False):
            total += len(a)
            if a == b:
                same += len(a)
            else:
                turn_changed = True
        changed += turn_changed
    return same, total, changed


def run_agent(n_turns: int = 50, seed: int = 7, config: dict[str, Any] | None = None,
              reconnect: bool = False) -> dict[str, Any]:
    history = conversation(n_turns, seed)
    if reconnect:
        # every call an agent makes, each ending where the model answers: the user's message
        # (its answer, a tool call), then the tool's result and what followed it (its reply)
        steps = []
        for prev, h in zip([[], *history[:-1]], history, strict=True):
            steps += [h[:len(prev) + 1] if prev else h[:2], h[:-1]]
        history = steps
    # the answer echoes the last message: an agent's turn, not its whole history
    requests = [{"model": "echo-last", "messages": h, "tools": TOOLS} for h in history]
    with servers(POLICY, config) as srv:
        added = asyncio.run(_turns(srv, requests, reconnect))
        bodies = [b for b in asyncio.run(_recorded(srv.behind)) if b.get("tools")]
        rss = peak_rss_mb(srv.gateway_pid)
    same, total, changed = prefix_stability(bodies)
    return {
        "turns": len(requests),
        "history_chars": len(json.dumps(requests[-1])),
        "first_turns_added_ms": statistics.median(added[:10]),
        "late_turns_added_ms": statistics.median(added[-10:]),
        "stable_bytes": same,
        "sent_before_bytes": total,
        "stable_share": same / total if total else 1.0,
        "changed_turns": changed,
        "rss_mb": rss,
    }


def report_agent(r: dict[str, Any], label: str = "") -> list[str]:
    return [
        f"agent conversation{label}: {r['turns']} turns, {r['history_chars'] / 1024:.0f} KB of "
        f"history at the end",
        f"  added per turn, median: first ten {r['first_turns_added_ms']:.1f} ms, last ten "
        f"{r['late_turns_added_ms']:.1f} ms",
        f"  prefix stability: {100 * r['stable_share']:.2f}% of the bytes already sent sent "
        f"again unchanged; {r['changed_turns']} turns changed an earlier message",
        f"  gateway peak RSS: {r['rss_mb']:.0f} MB",
    ]
