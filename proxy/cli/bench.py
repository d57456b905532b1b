"""``codeveil bench``: added latency and memory of the gateway (see
:mod:`proxy.evaluation.bench`)."""

from __future__ import annotations

import argparse
from typing import Any

from proxy.testing.data import CORPUS


def cmd_bench(args: argparse.Namespace) -> int:
    from proxy.evaluation.bench import run_bench

    return run_bench(args)


def add_parser(sub: Any) -> None:
    p = sub.add_parser("bench", help="added latency and memory of the gateway")
    p.add_argument("--corpus", default=str(CORPUS))
    p.add_argument("--rounds", type=int, default=60, help="requests per size and mode, each way")
    p.add_argument("--scenarios", default="latency,policy,agent,hol",
                   help="comma-separated: latency (2 KB and 20 KB prompts), policy (policy "
                        "size), agent (a 50-turn agent conversation, prefix stability), hol "
                        "(head-of-line blocking)")
    p.add_argument("--policy-sizes", default="10,10000,100000",
                   help="terms in the policies of the policy-size scenario ('' skips it)")
    p.add_argument("--policy-rounds", type=int, default=30,
                   help="requests per prompt through each policy-size gateway")
    p.set_defaults(func=cmd_bench)
