"""``codeveil eval``: leaks, over-anonymization and restoration on a corpus, through the gateway.

The metrics are those of the corpus README. Each record goes through the real gateway over HTTP,
with the record's own policy, in front of the recording echo upstream: plain, streamed (the echo
cut into 1-5 character chunks) and, for records with tool calls, with the upstream answering the
last assistant message's tool calls (plain and streamed).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import secrets
import socket
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from proxy.config import Config, Upstream
from proxy.evaluation.apis import Api
from proxy.evaluation.corpus import leaked, load_corpus, record_policy, strict_secret_leak
from proxy.policy import Policy, default_policy_path, load_policy
from proxy.server.app import build_app
from proxy.testing.echo import RECORDED, build_echo_app


@dataclass
class Figures:
    items: Counter[str] = field(default_factory=Counter)
    leaks: Counter[str] = field(default_factory=Counter)
    strict_secret_leaks: int = 0
    examples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    public: int = 0
    over: int = 0
    over_examples: list[str] = field(default_factory=list)
    records: int = 0
    restored: Counter[str] = field(default_factory=Counter)
    tried: Counter[str] = field(default_factory=Counter)
    failures: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    refused: list[str] = field(default_factory=list)
    # per template family (records tagged ``family:<name>``, as the adversarial corpus is)
    family_items: Counter[str] = field(default_factory=Counter)
    family_leaks: Counter[str] = field(default_factory=Counter)
    family_public: Counter[str] = field(default_factory=Counter)
    family_over: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "items": dict(self.items),
            "leaks": dict(self.leaks),
            "leak_rate": self.leaks["all"] / max(1, self.items["all"]),
            "strict_secret_leaks": self.strict_secret_leaks,
            "public": self.public,
            "over_anonymized": self.over,
            "over_rate": self.over / max(1, self.public),
            "restoration": {k: self.restored[k] / max(1, self.tried[k]) for k in self.tried},
            "refused": self.refused,
            "families": {f: {"items": self.family_items[f], "leaks": self.family_leaks[f],
                             "public": self.family_public[f], "over": self.family_over[f]}
                         for f in sorted(set(self.family_items) | set(self.family_public))},
        }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def start_app(app: web.Application) -> tuple[web.AppRunner, str]:
    """Serve an app on a free local port: (its runner, its base URL)."""
    runner = web.AppRunner(app, access_log=None, handler_cancellation=True)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, f"http://127.0.0.1:{port}"


async def _send(session: aiohttp.ClientSession, url: str, api: Api, body: dict[str, Any],
                seed: str) -> tuple[int, Any]:
    """(status, parsed answer) — for a stream, the list of (event name, data) it carried."""
    headers = {"Authorization": "Bearer eval", "x-api-key": "eval", "x-echo-seed": seed,
               "anthropic-version": "2023-06-01"}
    async with session.post(url + api.path, json=body, headers=headers) as r:
        if not body.get("stream") or r.status != 200:
            return r.status, await r.json()
        events: list[tuple[str | None, Any]] = []
        name: str | None = None
        async for raw in r.content:
            line = raw.decode().strip()
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data: ") and line != "data: [DONE]":
                events.append((name, json.loads(line[6:])))
                name = None
        return 200, events


async def evaluate(records: list[dict[str, Any]], base: Policy, api: str = "chat",
                   key: bytes | None = None) -> Figures:
    """``key``: the gateway's key (dummies derive from it); a fixed one makes a run repeatable."""
    fig = Figures()
    echo_runner, echo_url = await start_app(build_echo_app())
    recorded = echo_runner.app[RECORDED]
    key = key or secrets.token_bytes(32)
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in records:
        groups[json.dumps(r.get("policy") or {}, sort_keys=True)].append(r)
    try:
        async with aiohttp.ClientSession() as session:
            for group in groups.values():
                config = Config(
                    source=Path.cwd() / "eval",
                    host="127.0.0.1",
                    port=0,
                    upstreams=(Upstream("echo", f"{echo_url}/v1"),),
                    policy_path=default_policy_path(),
                    policy=record_policy(base, group[0]),
                    audit_path=None,
                    key=key,
                )
                runner, url = await start_app(build_app(config))
                try:
                    for rec in group:
                        await _one(session, url, Api(api), rec, recorded, fig)
                finally:
                    await runner.cleanup()
    finally:
        await echo_runner.cleanup()
    return fig


async def _one(session: aiohttp.ClientSession, url: str, api: Api, rec: dict[str, Any],
               recorded: list[dict[str, Any]], fig: Figures) -> None:
    rid = rec["id"]
    fig.records += 1
    messages = rec["messages"]
    recorded.clear()
    status, answer = await _send(session, url, api, api.body(messages, "echo", False), rid)
    if status != 200 or not recorded:
        fig.refused.append(f"{rid}: {status} {json.dumps(answer)[:200]}")
        return
    texts = api.upstream_texts(recorded[-1]["body"])
    family = next((t[7:] for t in rec.get("tags") or () if t.startswith("family:")), None)
    for item in rec["sensitive"]:
        for k in ("all", item["kind"], f"{item['kind']}/{item['type']}"):
            fig.items[k] += 1
        if family:
            fig.family_items[family] += 1
        if leaked(item, texts):
            for k in ("all", item["kind"], f"{item['kind']}/{item['type']}"):
                fig.leaks[k] += 1
            if family:
                fig.family_leaks[family] += 1
            fig.examples[f"{item['kind']}/{item['type']}"].append(f"{rid}: {item['text'][:80]}")
        elif item["kind"] == "secret" and strict_secret_leak(item["text"], texts):
            fig.strict_secret_leaks += 1
            fig.examples["strict/" + item["type"]].append(f"{rid}: {item['text'][:80]}")
    for pub in rec["public"]:
        fig.public += 1
        if family:
            fig.family_public[family] += 1
        if not any(pub in t for t in texts):
            fig.over += 1
            fig.over_examples.append(f"{rid}: {pub}")
            if family:
                fig.family_over[family] += 1

    expected = api.expected(messages)
    _check(fig, "plain", rid, api.read(answer)[0] == expected)
    status, events = await _send(session, url, api, api.body(messages, "echo", True), rid)
    _check(fig, "stream", rid, status == 200 and api.read_stream(events)[0] == expected)

    if any(m.get("tool_calls") for m in messages if m.get("role") == "assistant"):
        want = api.expected_tools(messages)
        status, answer = await _send(session, url, api, api.body(messages, "echo-tools", False),
                                     rid)
        _check(fig, "tools", rid, status == 200 and api.read(answer)[1] == want)
        status, events = await _send(session, url, api, api.body(messages, "echo-tools", True),
                                     rid)
        _check(fig, "tools-stream", rid, status == 200 and api.read_stream(events)[1] == want)


def _check(fig: Figures, mode: str, rid: str, ok: bool) -> None:
    fig.tried[mode] += 1
    if ok:
        fig.restored[mode] += 1
    else:
        fig.failures[mode].append(rid)


def report(fig: Figures, show: int) -> str:
    lines = [
        f"records: {fig.records}   refused: {len(fig.refused)}",
        "",
        f"{'leaks':<34}{'leaked':>8}{'items':>8}{'rate':>9}",
    ]
    kinds = sorted(k for k in fig.items if "/" not in k and k != "all")
    for kind in ["all", *kinds]:
        lines.append(
            f"{kind:<34}{fig.leaks[kind]:>8}{fig.items[kind]:>8}"
            f"{fig.leaks[kind] / max(1, fig.items[kind]):>9.1%}"
        )
        types = sorted(k for k in fig.items if k.startswith(kind + "/"))
        # a kind with very many types (one per provider rule) lists only those that leaked
        for t in types:
            if fig.leaks[t] or (kind != "all" and len(types) <= 40):
                lines.append(
                    f"  {t.split('/', 1)[1]:<32}{fig.leaks[t]:>8}{fig.items[t]:>8}"
                    f"{fig.leaks[t] / max(1, fig.items[t]):>9.1%}"
                )
    lines.append(
        f"secrets partly leaked (strict: a 16-char piece, half of it secret): "
        f"{fig.strict_secret_leaks}"
    )
    lines += [
        "",
        f"over-anonymized public strings: {fig.over}/{fig.public} "
        f"({fig.over / max(1, fig.public):.2%})",
    ]
    if fig.family_items or fig.family_public:
        lines += ["", f"{'family':<34}{'leaked':>8}{'items':>8}{'over':>8}{'public':>8}"]
        for f in sorted(set(fig.family_items) | set(fig.family_public)):
            lines.append(f"  {f:<32}{fig.family_leaks[f]:>8}{fig.family_items[f]:>8}"
                         f"{fig.family_over[f]:>8}{fig.family_public[f]:>8}")
    lines.append("")
    for mode in ("plain", "stream", "tools", "tools-stream"):
        if fig.tried[mode]:
            lines.append(
                f"restored ({mode}): {fig.restored[mode]}/{fig.tried[mode]} "
                f"({fig.restored[mode] / fig.tried[mode]:.1%})"
            )
    if show:
        for t, ex in sorted(fig.examples.items()):
            lines.append(f"\nleaked {t}:")
            lines += [f"  {e}" for e in ex[:show]]
        if fig.over_examples:
            lines.append("\nover-anonymized:")
            lines += [f"  {e}" for e in fig.over_examples[: show * 4]]
        for mode, ids in fig.failures.items():
            lines.append(f"\nnot restored ({mode}): {', '.join(ids[: show * 4])}")
        for r in fig.refused[:show]:
            lines.append(f"\nrefused: {r}")
    return "\n".join(lines)


def thresholds_failed(fig: Figures, args: argparse.Namespace) -> list[str]:
    failed = []
    rate = fig.leaks["all"] / max(1, fig.items["all"])
    if args.max_leak_rate is not None and rate > args.max_leak_rate:
        failed.append(f"leak rate {rate:.2%} > {args.max_leak_rate:.2%}")
    for spec in args.max_leaks:
        name, _, n = spec.partition("=")
        keys = [k for k in fig.items if k == name or k.endswith("/" + name)]
        total = sum(fig.leaks[k] for k in keys)
        if total > int(n or 0):
            failed.append(f"{name}: {total} leaks > {n}")
    over = fig.over / max(1, fig.public)
    if args.max_over is not None and over > args.max_over:
        failed.append(f"over-anonymization {over:.2%} > {args.max_over:.2%}")
    if args.min_restore is not None:
        for mode, tried in fig.tried.items():
            r = fig.restored[mode] / tried
            if r < args.min_restore:
                failed.append(f"restoration ({mode}) {r:.2%} < {args.min_restore:.2%}")
    if fig.refused:
        failed.append(f"{len(fig.refused)} records refused by the gateway")
    return failed


def load_records(args: argparse.Namespace) -> list[dict[str, Any]]:
    """The corpus a ``--corpus`` names: a .jsonl(.gz) file, or ``adversarial:<part>`` generated."""
    spec = str(args.corpus)
    if spec.startswith("adversarial:"):
        from proxy.evaluation.adversarial import PARTS, generate

        part = spec.partition(":")[2]
        if part not in PARTS:
            raise SystemExit(f"--corpus adversarial:<part>, part one of: {', '.join(PARTS)}")
        return generate(part, args.seed, args.per_family)
    return load_corpus(spec)


def run_eval(args: argparse.Namespace) -> int:
    records = load_records(args)[: args.limit]
    base = load_policy(default_policy_path())
    if args.identifiers:
        base = replace(base, identifiers=args.identifiers)
    fig = asyncio.run(evaluate(records, base, args.api))
    print(f"corpus: {args.corpus}" + (f" (seed {args.seed}, {args.per_family} per family)"
                                      if str(args.corpus).startswith("adversarial:") else ""))
    print(f"api: {args.api}   identifiers: {base.identifiers}")
    print(report(fig, args.show))
    if args.json:
        Path(args.json).write_text(json.dumps(fig.as_dict(), indent=2))
    failed = thresholds_failed(fig, args)
    if failed:
        print("\nFAILED: " + "; ".join(failed), file=sys.stderr)
        return 1
    return 0
