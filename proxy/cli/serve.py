"""``codeveil serve``: run the gateway, logging one JSON object per line.

``--workers N`` (or ``workers:`` in the config; default one per core) runs N worker processes
on the one port under a small master (``proxy/server/master.py``); ``--workers 1`` is a single
process, as before. SIGHUP reloads every policy file now, in every worker.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import logging
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from proxy.config import Config, ConfigError, load_config


class JsonLogFormatter(logging.Formatter):
    """One JSON object per line; only fields the code puts there, never request text."""

    FIELDS = (
        "endpoint", "status", "findings", "latency_ms", "error", "host", "port", "record_ts",
        "worker", "workers", "pid", "returncode", "delay_s",
    )

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


def _logging(level: str, worker: int | None = None) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLogFormatter())
    if worker is not None:  # every line of a worker says which one wrote it

        def stamp(record: logging.LogRecord) -> bool:
            record.worker = worker
            return True

        handler.addFilter(stamp)
    root = logging.getLogger("codeveil")
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    root.propagate = False


def cmd_serve(args: argparse.Namespace) -> int:
    from proxy.server.workers import WorkerSlot, default_workers

    _logging(args.log_level, args.worker_index)
    try:
        config = load_config(args.config)
    except ConfigError as e:
        print(f"codeveil: {e}", file=sys.stderr)
        return 2
    workers = args.workers or config.workers or default_workers()
    if args.worker_index is None and workers > 1:
        return _master(args, config, workers)
    from aiohttp import web  # the master needs neither

    from proxy.audit import AuditError
    from proxy.server.app import build_app

    try:
        app = build_app(config)
    except AuditError as e:  # a bad audit path, the database down: one line, no traceback
        print(f"error: audit: {e}", file=sys.stderr)
        return 2
    app.cleanup_ctx.append(_reload_on_sighup)
    port = config.port
    if args.worker_index is not None:  # after the SIGHUP handler: the socket says "up"
        WorkerSlot(args.worker_index, workers, Path(args.worker_dir)).attach(app)
        port = args.worker_port
    app.on_startup.append(_freeze_heap)  # after every resource started and warmed up
    log = logging.getLogger("codeveil")
    log.info("listening", extra={"host": config.host, "port": port})
    web.run_app(
        app,
        host=config.host,
        port=port,
        print=None,
        access_log=None,
        handler_cancellation=True,
        shutdown_timeout=5,
        reuse_port=True if args.worker_index is not None else None,
    )
    return 0


async def _reload_on_sighup(app: Any) -> AsyncIterator[None]:
    from proxy.server.keys import TENANTS

    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGHUP, app[TENANTS].reload_now)
    yield
    loop.remove_signal_handler(signal.SIGHUP)


def _master(args: argparse.Namespace, config: Config, workers: int) -> int:
    """Check what a worker would fail on at start, then run the master."""
    from proxy.audit import AuditError, AuditStore
    from proxy.server.master import Master, port_taken, reserve_port

    target = config.audit_url or config.audit_path
    if target:
        try:  # the same one-line error as a single process, before any worker starts
            AuditStore(target, writer=False, lock_timeout_s=config.audit_lock_timeout_s).close()
        except AuditError as e:
            print(f"error: audit: {e}", file=sys.stderr)
            return 2
    # SO_REUSEPORT would let the workers share the port with another gateway left running.
    if config.port and port_taken(config.host, config.port):
        print(f"error: listen: {config.host}:{config.port} is already in use", file=sys.stderr)
        return 2
    reserved, port = reserve_port(config.host) if config.port == 0 else (None, config.port)

    def command(index: int, directory: Path) -> list[str]:
        return [
            sys.executable, "-m", "proxy.cli", "serve", "--config", str(config.source),
            "--log-level", args.log_level, "--workers", str(workers),
            "--worker-index", str(index), "--worker-dir", str(directory),
            "--worker-port", str(port),
        ]

    logging.getLogger("codeveil").info(
        "listening", extra={"host": config.host, "port": port, "workers": workers}
    )
    try:
        return Master(command, workers).run()
    finally:
        if reserved is not None:
            reserved.close()


def _positive(text: str) -> int:
    n = int(text)
    if not 1 <= n <= 256:
        raise argparse.ArgumentTypeError("must be from 1 to 256")
    return n


async def _freeze_heap(_app: Any) -> None:
    """What start-up built (NER models, recognizers, vocabularies) lives as long as the process:
    kept out of the garbage collector's sight, a full collection takes milliseconds instead of
    holding the event loop for some 200 ms. (A policy reload collects and freezes again.)"""
    gc.collect()
    gc.freeze()


def add_parser(sub: Any) -> None:
    p = sub.add_parser("serve", help="run the gateway")
    p.add_argument("--config", required=True, help="the gateway's YAML config")
    p.add_argument("--log-level", default="info")
    p.add_argument(
        "--workers", type=_positive, default=None,
        help="worker processes sharing the port (default: the config's `workers`, else one per "
        "core); 1 runs a single process",
    )
    # Set by the master for the workers it starts; not for people.
    p.add_argument("--worker-index", type=int, default=None, help=argparse.SUPPRESS)
    p.add_argument("--worker-dir", default=None, help=argparse.SUPPRESS)
    p.add_argument("--worker-port", type=int, default=None, help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_serve)
