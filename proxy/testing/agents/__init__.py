"""A scripted upstream for real coding agents: one shell tool call, then an answer quoting it.

It speaks Anthropic Messages (with count_tokens, :mod:`.anthropic`), the Responses API
(:mod:`.responses`), Chat Completions (:mod:`.chat`) and the Gemini API (:mod:`.gemini`),
streamed or not, and follows the script of :mod:`.script` on each: the user's ``RUN: <words>``
becomes a call to the client's own shell tool running ``echo <words>``, and the tool's output,
once it comes back, is quoted in the final answer. Every request is kept as received:
``GET /_recorded`` lists them, ``DELETE /_recorded`` forgets them; a path it does not serve is
recorded too and answered 404, so a test can say what an agent asked for.

    python -m proxy.testing.agents --port 9300
"""

from __future__ import annotations

from aiohttp import web

from proxy.testing.agents import anthropic, chat, gemini, responses
from proxy.testing.agents.common import RECORDED

__all__ = ["RECORDED", "build_agents_app"]


async def _recorded(request: web.Request) -> web.Response:
    return web.json_response({"requests": request.app[RECORDED], "cancelled": 0})


async def _clear(request: web.Request) -> web.Response:
    request.app[RECORDED].clear()
    return web.json_response({"ok": True})


async def _unknown(request: web.Request) -> web.Response:
    request.app[RECORDED].append(
        {
            "path": request.path,
            "query": request.query_string,
            "method": request.method,
            "headers": dict(request.headers),
            "body": None,
        }
    )
    return web.json_response(
        {"error": {"message": f"no route {request.method} {request.path}", "type": "not_found"}},
        status=404,
    )


def build_agents_app() -> web.Application:
    app = web.Application(client_max_size=64 * 1024 * 1024)
    app[RECORDED] = []
    for surface in (anthropic, responses, chat, gemini):
        surface.add_routes(app)
    app.router.add_get("/_recorded", _recorded)
    app.router.add_delete("/_recorded", _clear)
    app.router.add_route("*", "/{tail:.*}", _unknown)
    return app
