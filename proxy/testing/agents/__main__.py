"""``python -m proxy.testing.agents --port 9300``: the agents' scripted upstream as a process."""

from __future__ import annotations

import argparse

from aiohttp import web

from proxy.testing.agents import build_agents_app


def main() -> None:
    ap = argparse.ArgumentParser(description="A scripted upstream for coding agents")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=9300)
    args = ap.parse_args()
    web.run_app(build_agents_app(), host=args.host, port=args.port, print=None)


if __name__ == "__main__":
    main()
