"""``codeveil bench``, policy size: a request must cost the same with 10 terms or 100,000.

Security teams list codenames, products and customers by the thousand. One gateway per policy
size (the same corpus prompts' own terms and domains, plus N generated codenames, some of several
words) runs behind the same echo upstream; the same 2-4 KB prompts go straight to the upstream
and through every gateway, interleaved, so all see the same machine load. Reported per size: the
median added latency and its ratio to the smallest policy's, the gateway's start-up (process
start to ``/healthz``), the time to load the policy and build its veil in-process (what a hot
reload costs, off the request path), and the gateway's RSS (now and peak).
"""

from __future__ import annotations

import asyncio
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

from proxy.evaluation.bench_servers import ROOT, wait_up
from proxy.evaluation.corpus import upstream_text
from proxy.evaluation.evaluate import free_port
from proxy.server.reload import build_veil
from recognizers.phrases import fold
from recognizers.terms import term_words

SIZES = (10, 10_000, 100_000)
TARGETS = "targets: 10k <= 2x, 100k <= 3x the 10-term median; load <= 5 s; RSS <= 300 MB"

_ONSETS = ("b br c d dr f g gr h k kr l m n p r s sk st t th tr v vr z qu").split()
_VOWELS = ("a e i o u ae ia ou y").split()
_CODAS = ("", "", "", "n", "r", "l", "x", "s", "nd", "rk", "th")
_ENDINGS = ("wick moor fin wise vale dor rix ton ara ion ex is an or ia ven mark holt").split()


def _word(rng: random.Random) -> str:
    syllables = "".join(
        rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS)
        for _ in range(rng.choice((1, 1, 2)))
    )
    return syllables + rng.choice(_ONSETS) + rng.choice(_ENDINGS)


def codenames(n: int, avoid: str = "", seed: int = 7) -> list[str]:
    """``n`` made-up codenames, products and customers (``Veltrix``, ``haulwise``, ``Dravos
    Kelmoor``, ``Tiravex Sunholt Grenwick``) of which none occurs in ``avoid``, so every
    policy size finds the same values in the bench prompts."""
    rng = random.Random(seed)
    avoid_key = fold("".join(term_words(avoid)))
    out: set[str] = set()
    while len(out) < n:
        r, first = rng.random(), _word(rng)
        if len(first) < 6:
            continue
        if r < 0.6:
            term = first.capitalize()
        elif r < 0.7:
            term = first  # lower-case product names
        else:
            words = [first] + [_word(rng) for _ in range(1 if r < 0.9 else 2)]
            term = " ".join(w.capitalize() for w in words)
        if fold("".join(term_words(term))) not in avoid_key:
            out.add(term)
    return sorted(out)


def _write_policy(folder: Path, size: int, base: dict[str, Any], texts: str) -> Path:
    path = folder / f"policy-{size}.yaml"
    terms = base["terms"] + codenames(size, texts)
    # JSON is YAML: the policy loader reads it as a user's file would be read
    path.write_text(json.dumps({"name": f"bench-{size}", **base, "terms": terms}))
    return path


def _rss_mb(pid: int) -> tuple[float, float]:
    """(resident now, peak) in MB."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
        if ":" in line
    )
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


async def _post(session: aiohttp.ClientSession, url: str, body: dict[str, Any]) -> float:
    t0 = time.perf_counter()
    async with session.post(
        f"{url}/chat/completions", json=body, headers={"Authorization": "Bearer bench"}
    ) as r:
        await r.read()
        if r.status != 200:
            raise RuntimeError(f"{url} answered {r.status}")
    return (time.perf_counter() - t0) * 1000


async def _measure(
    direct: str, gateways: dict[int, str], bodies: list[dict[str, Any]], rounds: int
) -> dict[int, list[float]]:
    """Added ms per size: each gateway's time minus the direct time of the same round."""
    added: dict[int, list[float]] = {size: [] for size in gateways}
    order = [None, *gateways]
    async with aiohttp.ClientSession() as session:
        for body in bodies:
            for url in [direct, *gateways.values()] * 3:  # warm every path
                await _post(session, url, body)
            for i in range(rounds):
                turn = order[i % len(order):] + order[:i % len(order)]  # rotate who goes first
                times = {size: await _post(session, gateways[size] if size else direct, body)
                         for size in turn}
                for size in gateways:
                    added[size].append(times[size] - times[None])
    return added


def _gateway(folder: Path, size: int, policy: Path, upstream: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    config = folder / f"config-{size}.yaml"
    config.write_text(json.dumps({
        "listen": {"host": "127.0.0.1", "port": port},
        "upstreams": [{"name": "echo", "base_url": upstream}],
        "policy": policy.name,
        "audit": {"path": f"audit-{size}.db"},
    }))
    proc = subprocess.Popen(
        # one process: its load time and its RSS are what is measured
        [sys.executable, "-m", "proxy.cli", "serve", "--config", str(config),
         "--log-level", "warning", "--workers", "1"], cwd=ROOT,
    )
    return proc, f"http://127.0.0.1:{port}"


def run_policy_bench(records: list[dict[str, Any]], sizes: tuple[int, ...], rounds: int) -> None:
    """Print the policy-size scenario (see the module docstring)."""
    prompts = [r for r in records if 2048 <= sum(len(t) for t in upstream_text(r)) <= 4096][:3]
    base: dict[str, Any] = {"terms": [], "internal_domains": []}
    for r in prompts:
        for key in base:
            base[key] += [v for v in (r.get("policy") or {}).get(key) or () if v not in base[key]]
    texts = "\n".join(t for r in prompts for t in upstream_text(r))
    bodies = [{"model": "echo", "messages": r["messages"]} for r in prompts]
    procs: list[subprocess.Popen] = []
    rows: dict[int, dict[str, float]] = {size: {} for size in sizes}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        try:
            up_port = free_port()
            upstream = f"http://127.0.0.1:{up_port}/v1"
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "proxy.testing.echo", "--port", str(up_port)], cwd=ROOT))
            asyncio.run(wait_up(f"{upstream}/models", 120, procs[0]))
            gateways: dict[int, str] = {}
            # models and word lists load once here, so the timed builds hold the policy's part
            build_veil(str(_write_policy(folder, 0, base, texts)), b"bench-key")
            for size in sizes:
                policy = _write_policy(folder, size, base, texts)
                t0 = time.perf_counter()
                build_veil(str(policy), b"bench-key")  # load, build, warm up: a hot reload
                rows[size]["load_s"] = time.perf_counter() - t0
                t0 = time.perf_counter()
                proc, url = _gateway(folder, size, policy, upstream)
                procs.append(proc)
                asyncio.run(wait_up(f"{url}/healthz", 120, proc))  # one at a time: start-ups alone
                rows[size]["startup_s"] = time.perf_counter() - t0
                gateways[size] = f"{url}/v1"
            added = asyncio.run(_measure(upstream, gateways, bodies, rounds))
            for size, proc in zip(sizes, procs[1:], strict=True):
                rows[size]["added_ms"] = statistics.median(added[size])
                rows[size]["rss_mb"], rows[size]["peak_mb"] = _rss_mb(proc.pid)
        finally:
            for p in procs:
                p.terminate()
                p.wait(10)
    small = rows[sizes[0]]["added_ms"]
    print(f"\npolicy size: {len(bodies)} prompts of 2-4 KB, {rounds} interleaved rounds each; "
          f"{len(base['terms'])} corpus terms + N generated")
    print(f"{'terms':>8}{'added ms':>10}{'ratio':>7}{'load s':>8}{'start s':>9}"
          f"{'RSS MB':>8}{'peak MB':>9}")
    for size, row in rows.items():
        print(f"{size:>8}{row['added_ms']:10.2f}{row['added_ms'] / small:7.2f}"
              f"{row['load_s']:8.2f}{row['startup_s']:9.2f}{row['rss_mb']:8.0f}"
              f"{row['peak_mb']:9.0f}")
    print(TARGETS)
