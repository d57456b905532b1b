"""A recording, echoing upstream for every wire format the gateway serves.

Chat and legacy completions, embeddings and models (:mod:`.chat`), the Responses API
(:mod:`.responses`), Anthropic Messages (:mod:`.anthropic`) and the Gemini API (:mod:`.gemini`),
on one aiohttp app. Each answer
is the echo of its request, so a client behind a correct gateway gets back exactly what it would
get with no gateway; the model name picks a behaviour (``error-<status>``, ``slow-<seconds>``,
``echo-tools``, ``echo-last``, ...). Every request is kept: ``GET /_recorded`` lists them (and
how many streams the client cancelled), ``DELETE /_recorded`` forgets them.

Run it alone with ``python -m proxy.testing.echo --port 9100``.
"""

from __future__ import annotations

from aiohttp import web

from proxy.testing.echo import anthropic, chat, gemini, responses
from proxy.testing.echo.chat import echo
from proxy.testing.echo.common import CANCELLED, FLAKY, RECORDED

__all__ = ["CANCELLED", "RECORDED", "build_echo_app", "echo"]


async def _recorded(request: web.Request) -> web.Response:
    return web.json_response(
        {"requests": request.app[RECORDED], "cancelled": len(request.app[CANCELLED])}
    )


async def _clear(request: web.Request) -> web.Response:
    request.app[RECORDED].clear()
    request.app[CANCELLED].clear()
    request.app[FLAKY].clear()
    return web.json_response({"ok": True})


def build_echo_app() -> web.Application:
    app = web.Application(client_max_size=64 * 1024 * 1024)
    app[RECORDED] = []
    app[CANCELLED] = []
    app[FLAKY] = {}
    for surface in (chat, responses, anthropic, gemini):
        surface.add_routes(app)
    app.router.add_get("/_recorded", _recorded)
    app.router.add_delete("/_recorded", _clear)
    return app
