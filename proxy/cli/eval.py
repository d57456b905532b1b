"""``codeveil eval``: leaks, over-anonymization and restoration on a corpus (see
:mod:`proxy.evaluation.evaluate`)."""

from __future__ import annotations

import argparse
from typing import Any


def cmd_eval(args: argparse.Namespace) -> int:
    from proxy.evaluation.adversarial import DEFAULT_PER_FAMILY, DEFAULT_SEED
    from proxy.evaluation.evaluate import run_eval
    from proxy.testing.data import CORPUS

    if args.public_code:
        return _public_code(args)
    args.corpus = args.corpus or str(CORPUS)
    args.seed = DEFAULT_SEED if args.seed is None else args.seed
    args.per_family = args.per_family or DEFAULT_PER_FAMILY
    return run_eval(args)


def _public_code(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from proxy.evaluation.public_code import MODES, run_public_code
    from proxy.testing.data import PUBLIC_CODE

    modes = (args.identifiers,) if args.identifiers else MODES
    figs = run_public_code(Path(args.public_code_data or PUBLIC_CODE), args.json, args.show,
                           modes, args.limit)
    failed = []
    for fig in figs:
        d = fig.as_dict()
        rate = d["changed"]["rate"]
        if args.max_public_changed is not None and rate > args.max_public_changed:
            failed.append(f"{fig.mode}: {rate:.2%} of identifiers changed > "
                          f"{args.max_public_changed:.2%}")
        if args.max_parse_broken is not None and len(d["parse_broken"]) > args.max_parse_broken:
            failed.append(f"{fig.mode}: {len(d['parse_broken'])} files no longer parse")
        if d["refused"]:
            failed.append(f"{fig.mode}: {len(d['refused'])} files refused")
    if failed:
        print("\nFAILED: " + "; ".join(failed), file=sys.stderr)
        return 1
    return 0


def add_parser(sub: Any) -> None:
    p = sub.add_parser("eval", help="measure leaks, over-anonymization and restoration on a corpus")
    p.add_argument("--corpus", default=None,
                   help="a corpus .jsonl(.gz) file (default: the vendored dev corpus), or "
                        "adversarial:tuning / adversarial:held-back to generate one")
    p.add_argument("--seed", type=int, default=None,
                   help="seed of a generated adversarial corpus (default: a fixed one)")
    p.add_argument("--per-family", type=int, default=None,
                   help="records per template family of a generated adversarial corpus")
    p.add_argument("--identifiers", choices=["off", "terms", "proprietary", "all"], default=None,
                   help="override the policy's identifier mode")
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
    p.add_argument("--public-code", action="store_true",
                   help="measure what the gateway changes in real public source files instead "
                        "(fenced and bare; default policy and identifiers: all)")
    p.add_argument("--public-code-data", default=None, metavar="FILE",
                   help="the public source files (default: the vendored set)")
    p.add_argument("--max-public-changed", type=float, default=None,
                   help="with --public-code: fail when more than this share (0..1) of "
                        "identifier occurrences changed")
    p.add_argument("--max-parse-broken", type=int, default=None,
                   help="with --public-code: fail when more files than this stop parsing")
    p.add_argument("--limit", type=int, default=None, help="only the first N records")
    p.add_argument("--api", choices=["chat", "responses", "messages"], default="chat",
                   help="send the records through this API surface")
    p.add_argument("--show", type=int, default=5, help="list up to N leaks of each type")
    p.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    p.set_defaults(func=cmd_eval)
