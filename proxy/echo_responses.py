"""The echo upstream's responses endpoint (see proxy/echo_upstream.py)."""

from __future__ import annotations

from aiohttp import web


def add_routes(app: web.Application) -> None:
    """Register this format's echo routes on the echo upstream's app."""
