"""``codeveil eval``: leaks, over-anonymization and restoration on a corpus (see
:mod:`proxy.evaluation.evaluate`)."""

from __future__ import annotations

import argparse
from typing import Any


def cmd_eval(args: argparse.Namespace) -> int:
    from proxy.evaluation.evaluate import run_eval
    from proxy.testing.data import CORPUS

    args.corpus = args.corpus or str(CORPUS)
    return run_eval(args)


def add_parser(sub: Any) -> None:
    p = sub.add_parser("eval", help="measure leaks, over-anonymization and restoration on a corpus")
    p.add_argument("--corpus", default=None,
                   help="a corpus .jsonl(.gz) file (default: the vendored dev corpus)")
    p.add_argument(
        "--max-leak-rate",
        type=float,
        default=None,
        help="fail when the overall leak rate is above this (0..1)",
    )
    p.add_argument(
        "--max-leaks",
        action="append",
        default=[],
        metavar="KIND_OR_TYPE=N",
        help="fail when more than N items of this kind or type leak (repeatable)",
    )
    p.add_argument(
        "--max-over",
        type=float,
        default=None,
        help="fail when the over-anonymization rate is above this (0..1)",
    )
    p.add_argument(
        "--min-restore",
        type=float,
        default=None,
        help="fail when the restoration rate (plain or streamed) is below this (0..1)",
    )
    p.add_argument("--limit", type=int, default=None, help="only the first N records")
    p.add_argument("--api", choices=["chat", "responses", "messages"], default="chat",
                   help="send the records through this API surface")
    p.add_argument("--show", type=int, default=5, help="list up to N leaks of each type")
    p.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    p.set_defaults(func=cmd_eval)
