"""``codeveil loop``: run the loop on a task file in this process, with a progress display;
``--humaneval`` sends HumanEval tasks through a running gateway's chat alias and reports."""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import sys
import time
from pathlib import Path

from proxy.testing.data import HUMANEVAL


def _show(ev: dict) -> None:
    t = ev["type"]
    extra = {k: v for k, v in ev.items() if k not in ("seq", "type", "t", "program", "text",
                                                       "stderr", "tests", "cases", "metrics")}
    if t == "tests.generated":
        extra["count"] = len(ev["tests"])
    print(f"[loop] {t:<16} {json.dumps(extra)[:150]}", file=sys.stderr, flush=True)


async def _run_file(args: argparse.Namespace) -> int:
    from proxy.config import load_config
    from proxy.loop.service import LoopHost, LoopService, LoopSettings
    from proxy.upstream.client import UpstreamClient
    from proxy.veil.engine import Veil

    config = load_config(args.config)
    options = {k: v for k, v in (("candidates", args.candidates), ("rounds", args.rounds))
               if v is not None}
    async with UpstreamClient() as client:
        svc = LoopService(LoopSettings.from_config(config), LoopHost.of(config, client))
        try:
            inner, upstream = svc.route(args.model)
            run = await svc.new_run(Path(args.task_file).read_text(encoding="utf-8"), inner,
                                    options)
            if not args.quiet:
                run.listeners.append(_show)
            await svc.execute(run, Veil(config.policy, config.key), upstream, inner)
        finally:
            await svc.close()
    if args.json:
        print(json.dumps(run.public(), ensure_ascii=False, indent=2))
    elif run.result:
        print(run.result["content"])
    else:
        print(f"codeveil loop: {run.error}", file=sys.stderr)
    return {"succeeded": 0, "failed": 1}.get(run.status, 2)


def humaneval_message(task: dict) -> str:
    return (f"Complete this Python function ({task['task_id']}).\n\n```python\n{task['prompt']}"
            f"```\n\nTests:\n\n```python\n{task['test']}\n\ncheck({task['entry_point']})\n```\n")


def run_humaneval(gateway: str, model: str, data: Path, limit: int | None = None,
                  options: dict | None = None, out=sys.stderr) -> dict:
    """Each task through ``POST {gateway}/v1/chat/completions`` with the loop alias."""
    import httpx

    with gzip.open(data, "rt") as f:
        tasks = [json.loads(line) for line in f][:limit]
    rows = []
    for task in tasks:
        started = time.perf_counter()
        r = httpx.post(f"{gateway}/v1/chat/completions", timeout=300, json={
            "model": model, "messages": [{"role": "user", "content": humaneval_message(task)}],
            "codeveil_loop": options or {"generated_tests": 0, "paraphrase": False,
                                         "candidates": 1}})
        wall = time.perf_counter() - started
        body = r.json()
        m = body.get("codeveil_loop", {}).get("metrics", {}) if r.status_code == 200 else {}
        row = {"task_id": task["task_id"], "status": r.status_code,
               "solved": bool(m.get("solved")), "rounds": m.get("rounds"),
               "llm_calls": m.get("llm_calls"), "wall_s": round(wall, 3)}
        rows.append(row)
        print(json.dumps(row), file=out, flush=True)
    solved = sum(r["solved"] for r in rows)
    summary = {"tasks": len(rows), "solved": solved,
               "mean_rounds": round(sum(r["rounds"] or 0 for r in rows) / max(len(rows), 1), 3),
               "mean_wall_s": round(sum(r["wall_s"] for r in rows) / max(len(rows), 1), 3),
               "rows": rows}
    print(json.dumps({k: v for k, v in summary.items() if k != "rows"}), file=out)
    return summary


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("loop", help="generate, run, test and debug a program for a task")
    p.add_argument("task_file", nargs="?", help="the task (text/markdown with tests)")
    p.add_argument("--config", help="the gateway's YAML config (upstreams, policy, loop)")
    p.add_argument("--model", default="", help="the upstream model (codeveil-loop/ optional)")
    p.add_argument("--candidates", type=int, default=None, help="N candidates per request")
    p.add_argument("--rounds", type=int, default=None, help="R debug rounds")
    p.add_argument("--json", action="store_true", help="print the whole run as JSON")
    p.add_argument("--quiet", action="store_true", help="no progress display")
    p.add_argument("--humaneval", action="store_true",
                   help="run HumanEval through a running gateway's chat alias (--gateway)")
    p.add_argument("--gateway", default="http://127.0.0.1:8080")
    p.add_argument("--data", default=str(HUMANEVAL))
    p.add_argument("--limit", type=int, default=None, help="HumanEval: only the first N tasks")
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    if args.humaneval:
        model = args.model if args.model.startswith("codeveil-loop/") else (
            "codeveil-loop/" + args.model)
        s = run_humaneval(args.gateway, model, Path(args.data), args.limit)
        return 0 if s["solved"] == s["tasks"] else 1
    if not args.task_file or not args.config:
        print("codeveil loop: give a TASK_FILE and --config", file=sys.stderr)
        return 2
    return asyncio.run(_run_file(args))
