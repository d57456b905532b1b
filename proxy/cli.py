"""The ``codeveil`` command: serve, scan, eval, bench, policy."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from proxy.config import ConfigError, load_config
from proxy.policy import PolicyError, load_policy

REPO = Path(__file__).resolve().parent.parent


class JsonLogFormatter(logging.Formatter):
    """One JSON object per line; only fields the code puts there, never request text."""

    FIELDS = ("endpoint", "status", "findings", "latency_ms", "error", "host", "port")

    def format(self, record: logging.LogRecord) -> str:
        out = {
            "ts": round(record.created, 3),
            "level": record.levelname.lower(),
            "msg": record.getMessage(),
        }
        for name in self.FIELDS:
            if hasattr(record, name):
                out[name] = getattr(record, name)
        return json.dumps(out)


def _logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLogFormatter())
    root = logging.getLogger("codeveil")
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    root.propagate = False


def cmd_serve(args: argparse.Namespace) -> int:
    from aiohttp import web

    from proxy.app import build_app

    _logging(args.log_level)
    try:
        config = load_config(args.config)
    except ConfigError as e:
        print(f"codeveil: {e}", file=sys.stderr)
        return 2
    app = build_app(config)
    log = logging.getLogger("codeveil")
    log.info("listening", extra={"host": config.host, "port": config.port})
    web.run_app(
        app,
        host=config.host,
        port=config.port,
        print=None,
        access_log=None,
        handler_cancellation=True,
        shutdown_timeout=5,
    )
    return 0


def cmd_scan(args: argparse.Namespace) -> int:
    from proxy.scan import scan_text

    try:
        policy = load_policy(args.policy)
    except PolicyError as e:
        print(f"codeveil: {e}", file=sys.stderr)
        return 2
    text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
    print(scan_text(text, policy, as_json=args.json))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from proxy.evaluate import run_eval

    return run_eval(args)


def cmd_bench(args: argparse.Namespace) -> int:
    from proxy.bench import run_bench

    return run_bench(args)


def cmd_secrets_report(args: argparse.Namespace) -> int:
    from proxy.secret_report import run_secrets_report

    return run_secrets_report(args)


def cmd_policy(args: argparse.Namespace) -> int:
    from proxy import policy_tools

    if args.policy_command == "check":
        return policy_tools.run_check(args.files)
    if args.policy_command == "test":
        return policy_tools.run_test(args.file, args.cases)
    return policy_tools.run_explain(args.file, args.text, as_json=args.json)


def _policy_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("policy", help="check, test and explain policy files")
    p.set_defaults(func=cmd_policy)
    ps = p.add_subparsers(dest="policy_command", required=True)
    c = ps.add_parser("check", help="every error of a policy, as FILE:LINE: key: message")
    c.add_argument("files", nargs="+", metavar="FILE")
    t = ps.add_parser("test", help="run expected outcomes (a cases file) against a policy")
    t.add_argument("file", metavar="FILE")
    t.add_argument("--cases", required=True, help="the cases YAML file")
    e = ps.add_parser("explain", help="which rule fired on what, for a text")
    e.add_argument("file", metavar="FILE")
    e.add_argument("text", metavar="TEXT", help="the text, or - for standard input")
    e.add_argument("--json", action="store_true", help="machine-readable output")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="codeveil", description="CodeVeil privacy gateway")
    sub = ap.add_subparsers(dest="command", required=True)

    p = sub.add_parser("serve", help="run the gateway")
    p.add_argument("--config", required=True, help="the gateway's YAML config")
    p.add_argument("--log-level", default="info")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("scan", help="show what would be sent upstream, without sending it")
    p.add_argument("file", help="a file, or - for standard input")
    p.add_argument("--policy", default=str(REPO / "policies" / "default.yaml"))
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_scan)

    p = sub.add_parser("eval", help="measure leaks, over-anonymization and restoration on a corpus")
    p.add_argument("--corpus", required=True, help="a corpus .jsonl(.gz) file")
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

    p = sub.add_parser("bench", help="added latency and memory of the gateway")
    p.add_argument("--corpus", default=str(REPO.parent / "shared" / "corpus" / "dev.jsonl.gz"))
    p.add_argument("--rounds", type=int, default=60, help="requests per size and mode, each way")
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("secrets-report", help="recall and needless masks on labelled secrets")
    p.add_argument("--data", default=str(REPO.parent / "shared" / "data" / "secrets"))
    p.set_defaults(func=cmd_secrets_report)

    _policy_parser(sub)

    from proxy.audit_cli import add_parser as add_audit_parser

    add_audit_parser(sub)

    from proxy.loop.cli import add_parser as add_loop_parser

    add_loop_parser(sub)

    args = ap.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
