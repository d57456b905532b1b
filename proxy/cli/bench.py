"""``codeveil bench``: what the gateway adds (latency, memory), and how it holds at agent scale:
policy size, throughput, an agent's conversation, head-of-line blocking (see
:mod:`proxy.evaluation.bench` and its ``bench_*`` scenario modules)."""

from __future__ import annotations

import argparse
from typing import Any

from proxy.testing.data import CORPUS

SCENARIOS = ("latency", "policy", "throughput", "agent", "hol")


def cmd_bench(args: argparse.Namespace) -> int:
    chosen = {s.strip() for s in args.scenarios.split(",") if s.strip()}
    unknown = chosen - set(SCENARIOS)
    if unknown:
        print(f"codeveil bench: unknown scenario {', '.join(sorted(unknown))}; "
              f"choose from {', '.join(SCENARIOS)}")
        return 2
    if "latency" in chosen:
        from proxy.evaluation.bench import run_latency

        run_latency(args)
    if "policy" in chosen and args.policy_sizes:
        from proxy.evaluation.bench_policy import run_policy_bench
        from proxy.evaluation.corpus import load_corpus

        records = [r for r in load_corpus(args.corpus)
                   if not r.get("tags") or "tool_calls" not in r["tags"]]
        sizes = tuple(int(n) for n in args.policy_sizes.split(",") if n.strip())
        run_policy_bench(records, sizes, args.policy_rounds)
    if "throughput" in chosen:
        from proxy.evaluation.bench_load import run_load

        print()
        run_load(args)
    if "agent" in chosen:
        from proxy.evaluation.bench_agent import report_agent, run_agent

        print()
        print("\n".join(report_agent(run_agent())))
        print("\n".join(report_agent(
            run_agent(reconnect=True),
            ", every call an agent makes (two a turn), each on a new connection that any "
            "worker may take")))
    if "hol" in chosen:
        from proxy.evaluation.bench_hol import report_hol, run_hol

        print()
        print("\n".join(report_hol(run_hol())))
    return 0


def add_parser(sub: Any) -> None:
    p = sub.add_parser("bench", help="added latency, memory and throughput of the gateway")
    p.add_argument("--corpus", default=str(CORPUS))
    p.add_argument("--scenarios", default=",".join(SCENARIOS),
                   help="comma-separated, of: latency (2 KB and 20 KB prompts, seen and fresh), "
                        "policy (policy size), throughput (64 clients), agent (a 50-turn agent "
                        "conversation, prefix stability), hol (head-of-line blocking)")
    p.add_argument("--rounds", type=int, default=60, help="latency: requests per size and mode")
    p.add_argument("--policy-sizes", default="10,10000,100000",
                   help="terms in the policies of the policy-size scenario ('' skips it)")
    p.add_argument("--policy-rounds", type=int, default=30,
                   help="requests per prompt through each policy-size gateway")
    p.add_argument("--clients", type=int, default=64, help="throughput: concurrent clients")
    p.add_argument("--seconds", type=float, default=10.0, help="throughput: length of each run")
    p.add_argument("--workers-list", default="1,2",
                   help="throughput: the worker counts to run, one gateway each")
    p.add_argument("--resent", action="store_true",
                   help="throughput: resend the same prompts (as agents resend their history) "
                   "instead of new text every request")
    p.set_defaults(func=cmd_bench)
