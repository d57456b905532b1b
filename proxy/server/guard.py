"""What every request passes before its route: browser origins (CORS) and a cap per client.

A browser page on another site can POST to a gateway on localhost; a CORS allow-list decides
which origins may, and a request carrying any other ``Origin`` is refused before it is read.
Allowed origins get their preflight ``OPTIONS`` answered. The admin page (``/admin``) checks
origins itself. A cap on the requests in flight from one client address, with the body read
timeout of :func:`proxy.server.routine.read_json`, keeps half-sent bodies from piling up.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from aiohttp import web

from proxy.server.exchange import Handler
from proxy.server.keys import CONFIG
from proxy.wire.errors import ApiError

ErrorShape = Callable[[str], Callable[[ApiError], dict[str, Any]]]
_ALLOW_HEADERS = (
    "Authorization, Content-Type, api-key, x-api-key, x-goog-api-key, anthropic-version, "
    "anthropic-beta, openai-organization, openai-project, openai-beta"
)


def _allowed(request: web.Request) -> str | None:
    """The request's Origin when the config allows it (None: no Origin, or not allowed)."""
    origin = request.headers.get("Origin")
    if origin is not None and origin.rstrip("/") in request.app[CONFIG].cors_allow_origins:
        return origin
    return None


def cors(error_shape: ErrorShape) -> Any:
    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        if "Origin" not in request.headers or request.path.startswith("/admin"):
            return await handler(request)
        origin = _allowed(request)
        if origin is None:
            err = ApiError(
                403,
                "requests from this browser origin are not allowed (cors.allow_origins)",
                "invalid_request_error",
                "origin_not_allowed",
            )
            return web.json_response(error_shape(request.path)(err), status=403)
        if request.method == "OPTIONS":
            return web.Response(
                status=204,
                headers={
                    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                    "Access-Control-Allow-Headers": request.headers.get(
                        "Access-Control-Request-Headers", _ALLOW_HEADERS
                    ),
                    "Access-Control-Max-Age": "600",
                },
            )
        return await handler(request)

    return middleware


async def cors_headers(request: web.Request, response: web.StreamResponse) -> None:
    """``on_response_prepare``: an allowed origin may read the answer (streams too)."""
    origin = _allowed(request)
    if origin is not None and not request.path.startswith("/admin"):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Vary"] = "Origin"


def per_client(error_shape: ErrorShape) -> Any:
    """At most ``limits.max_requests_per_client`` requests in flight from one address."""
    in_flight: Counter[str] = Counter()

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        peer = request.remote or ""
        if in_flight[peer] >= request.app[CONFIG].max_requests_per_client:
            err = ApiError(
                429,
                "too many requests in flight from this address",
                "rate_limit_error",
                "too_many_connections",
            )
            resp = web.json_response(error_shape(request.path)(err), status=429)
            resp.force_close()
            return resp
        in_flight[peer] += 1
        try:
            return await handler(request)
        finally:
            in_flight[peer] -= 1
            if not in_flight[peer]:
                del in_flight[peer]

    return middleware
