"""``codeveil bench``: added latency and memory of the gateway (see
:mod:`proxy.evaluation.bench`), and its throughput under many clients
(:mod:`proxy.evaluation.bench_load`)."""

from __future__ import annotations

import argparse
from typing import Any

from proxy.testing.data import CORPUS


def cmd_bench(args: argparse.Namespace) -> int:
    from proxy.evaluation.bench import run_bench
    from proxy.evaluation.bench_load import run_load

    rc = 0
    if args.scenario in ("latency", "all"):
        rc = run_bench(args)
    if args.scenario in ("throughput", "all"):
        print()
        rc = run_load(args) or rc
    return rc


def add_parser(sub: Any) -> None:
    p = sub.add_parser("bench", help="added latency, memory and throughput of the gateway")
    p.add_argument("--corpus", default=str(CORPUS))
    p.add_argument("--scenario", choices=("latency", "throughput", "all"), default="all")
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
