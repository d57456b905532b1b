"""``python -m proxy.testing.echo --port 9100``: the echo upstream as a process."""

from __future__ import annotations

import argparse

from aiohttp import web

from proxy.testing.echo import build_echo_app


def main() -> None:
    ap = argparse.ArgumentParser(description="A recording, echoing upstream for every wire format")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=9100)
    args = ap.parse_args()
    web.run_app(
        build_echo_app(), host=args.host, port=args.port, print=None, handler_cancellation=True
    )


if __name__ == "__main__":
    main()
