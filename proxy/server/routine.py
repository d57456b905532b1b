"""The one request routine every route shares, as middleware.

For each request: who is calling (a client of the API, whose key names its tenant, or the admin,
or anyone), an audit record opened before the handler runs and always filed after it (499 when
the client went away), the JSON body read with API-shaped errors, and any :class:`ApiError`
answered in the shape of the API that was asked. Handlers only handle; what the routine does for
a route is its :class:`Endpoint`, given when the route is added (:func:`add_route`).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import re
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web
from aiohttp.web_protocol import RequestPayloadError

from proxy.audit import AuditRecord
from proxy.server import jsonio
from proxy.server.exchange import Endpoint, Exchange, Handler
from proxy.server.keys import (
    ADMIN_GUARD,
    AUDIT,
    CONFIG,
    ENDPOINTS,
    EXCHANGE,
    METRICS,
    TENANTS,
)
from proxy.upstream.headers import client_key
from proxy.wire.errors import ApiError, bad_request

log = logging.getLogger("codeveil")

def internal_error(e: Exception) -> ApiError:
    """A bug, answered in the API's shape rather than as aiohttp's plain-text 500."""
    # Never log the exception text: it could quote the prompt.
    log.error("internal error", extra={"error": type(e).__name__})
    return ApiError(500, "CodeVeil failed on this request", "server_error", "internal_error")


def add_route(
    app: web.Application, method: str, path: str, handler: Handler, endpoint: Endpoint
) -> None:
    route = app.router.add_route(method, path, handler)
    app[ENDPOINTS][route] = endpoint


def tenant_of(app: web.Application, request: web.Request, rec: AuditRecord) -> str:
    """Pass-through mode: everyone is the default tenant. Gateway-key mode: the key decides."""
    config = app[CONFIG]
    key = client_key(request.headers)
    digest = hashlib.sha256(key.encode()).hexdigest() if key else ""
    admin_digest = config.admin_key_sha256
    # The admin key opens /admin only: refused here, and so never forwarded upstream.
    if admin_digest and digest and hmac.compare_digest(digest, admin_digest):
        raise ApiError(
            401,
            "the CodeVeil admin key is not a gateway or upstream key",
            "authentication_error",
            "invalid_api_key",
        )
    if not config.gateway_keys:
        return "default"
    entry = config.client_keys.get(digest)
    if entry is None:
        raise ApiError(
            401,
            "a valid CodeVeil gateway key is required (Authorization: Bearer <key>)",
            "authentication_error",
            "invalid_api_key",
        )
    rec.key_id, rec.tenant = entry
    return entry[1]


# Content codings a client may compress its body with (Codex sends zstd); aiohttp decodes them
# (brotli and backports.zstd provide br and zstd) before the veil reads a byte.
CODINGS = ("gzip", "x-gzip", "deflate", "br", "zstd")


async def read_json(request: web.Request) -> Any:
    coding = request.headers.get("Content-Encoding", "").strip().lower()
    if coding not in ("", "identity", *CODINGS):
        raise ApiError(
            415,
            f"content encoding '{coding}' is not supported (supported: {', '.join(CODINGS)})",
            "invalid_request_error",
            "unsupported_content_encoding",
        )
    timeout = request.app[CONFIG].body_timeout
    try:
        raw = await asyncio.wait_for(request.read(), timeout)
    except TimeoutError:
        raise ApiError(
            408,
            f"the request body did not arrive within {timeout:g} seconds",
            "invalid_request_error",
            "request_timeout",
        ) from None
    except web.HTTPRequestEntityTooLarge:
        raise ApiError(
            413,
            f"the request body is larger than {request.app[CONFIG].max_body_bytes} bytes",
            "invalid_request_error",
            "request_too_large",
        ) from None
    except RequestPayloadError:
        raise bad_request(
            f"the request body could not be decoded as {coding or 'plain bytes'}",
            code="invalid_content_encoding",
        ) from None
    try:
        body = await jsonio.loads(raw, parse_constant=_not_json)  # a big body: in pieces
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise bad_request("the request body is not valid JSON", code="invalid_json") from None
    # A lone surrogate can only come from a \\uD800-\\uDFFF escape (raw bytes must be UTF-8).
    check_json(body, strings=_SURROGATE_ESCAPE.search(raw) is not None)
    return body


def _not_json(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # Python reads NaN and Infinity; JSON has neither


MAX_DEPTH = 64  # deeper JSON is no API request; the veil and the restorers walk it recursively


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def check_json(body: Any, strings: bool = True) -> None:
    """Every string (key or value) valid Unicode, and no deeper nesting than ``MAX_DEPTH``:
    checked before anything is veiled or forwarded (JSON's ``\\ud800`` escape decodes to a
    lone surrogate that no UTF-8 writer accepts). ``strings=False``: the body had no such
    escape, only the nesting is checked."""
    if not strings:
        _check_nesting(body, 0)
        return
    stack: list[tuple[Any, int]] = [(body, 0)]
    while stack:
        obj, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise bad_request(
                f"the request body nests deeper than {MAX_DEPTH} levels", code="invalid_json"
            )
        if isinstance(obj, str):
            _check_text(obj)
        elif isinstance(obj, dict):
            for k in obj:
                _check_text(k)
            stack.extend((v, depth + 1) for v in obj.values())
        elif isinstance(obj, list):
            stack.extend((v, depth + 1) for v in obj)


def _check_nesting(obj: Any, depth: int) -> None:
    """Only containers are visited (an agent's body is mostly strings), recursion bounded by
    ``MAX_DEPTH``; ``json`` gives exact dicts and lists."""
    if depth > MAX_DEPTH:
        raise bad_request(
            f"the request body nests deeper than {MAX_DEPTH} levels", code="invalid_json"
        )
    kind = type(obj)
    if kind is not dict and kind is not list:
        return
    for v in obj.values() if kind is dict else obj:
        if type(v) is dict or type(v) is list:
            _check_nesting(v, depth + 1)


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise bad_request(
            "the request body holds text that is not valid Unicode (a lone surrogate)",
            code="invalid_unicode",
        ) from None


async def read_object(request: web.Request) -> dict[str, Any]:
    body = await read_json(request)
    if not isinstance(body, dict):
        raise bad_request("the request body must be a JSON object")
    return body


def file_record(app: web.Application, ex: Exchange) -> None:
    """Finish a record: latency, policy hash, metrics, log line, and the audit store."""
    rec = ex.record
    if rec.status is None:
        rec.status = 499  # the client went away
    rec.latency_ms = (time.perf_counter() - ex.started) * 1000
    if rec.policy_hash is None:
        rec.policy_hash = app[TENANTS].policy_hash(rec.tenant)
    app[METRICS].observe(rec)
    log.info(
        "request",
        extra={
            "endpoint": rec.endpoint,
            "status": rec.status,
            "findings": sum(f.count for f in rec.findings),
            "latency_ms": round(rec.latency_ms, 2),
        },
    )
    audit = app[AUDIT]
    if audit is not None:
        # the writer thread appends it; nothing waits here. An admitted request's room in the
        # queue was reserved before it was forwarded (:func:`admit`).
        audit.submit(rec, admitted=ex.admitted)
        ex.admitted = False


def admit(app: web.Application, ex: Exchange) -> None:
    """Before anything is forwarded: room for the record in the audit queue. Under
    ``audit.on_failure: refuse`` a request is refused (503) while the store does not take
    records, so that no request reaches an upstream without its record."""
    audit = app[AUDIT]
    if audit is None:
        return
    if not audit.admit():
        raise ApiError(
            503,
            "the audit store is not taking records; requests are refused until it is back "
            "(audit.on_failure: refuse)",
            "server_error",
            "audit_unavailable",
        )
    ex.admitted = True


@web.middleware
async def routine(request: web.Request, handler: Handler) -> web.StreamResponse:
    endpoint = request.app[ENDPOINTS].get(request.match_info.route)
    if endpoint is None or endpoint.caller == "anyone":
        return await handler(request)
    if endpoint.caller == "admin":
        refusal = await request.app[ADMIN_GUARD](request)
        return refusal if refusal is not None else await handler(request)
    ex = request[EXCHANGE] = Exchange(AuditRecord(endpoint=endpoint.name))
    rec = ex.record
    try:
        if request.method == "POST" and request.content_type != "application/json":
            # A browser sends text/plain or a form cross-site without asking first (CORS).
            raise ApiError(
                415,
                "the request body must be JSON, sent as Content-Type: application/json",
                "invalid_request_error",
                "unsupported_media_type",
            )
        ex.tenant = tenant_of(request.app, request, rec)
        ex.veil = request.app[TENANTS].veil(ex.tenant)
        rec.policy = ex.veil.policy.name
        if endpoint.audited:
            admit(request.app, ex)
        resp = await handler(request)
        if rec.status is None:
            rec.status = resp.status
        return resp
    except ApiError as e:
        rec.status, rec.error = e.status, e.code
        resp = web.json_response(endpoint.error_shape(e), status=e.status)
        if e.status == 408:
            resp.force_close()  # the rest of the body is not worth waiting for
        return resp
    except web.HTTPException:
        raise  # aiohttp's own answers (404, 413): shaped by api_errors
    except Exception as e:
        err = internal_error(e)
        rec.status, rec.error = err.status, err.code
        return web.json_response(endpoint.error_shape(err), status=err.status)
    finally:
        if endpoint.audited and not ex.deferred:
            file_record(request.app, ex)


def api_errors(error_shape: Callable[[str], Callable[[ApiError], dict[str, Any]]]) -> Any:
    """aiohttp's own refusals (404, 405, 413) in the error shape of the API asked for;
    ``error_shape`` picks that shape from the request's path."""

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            return await handler(request)
        except web.HTTPException as e:
            if e.status < 400:
                raise
            code = {
                404: "unknown_endpoint",
                405: "method_not_allowed",
                413: "request_too_large",
            }.get(e.status, "http_error")
            message = (
                f"unknown endpoint {request.method} {request.path}" if e.status == 404 else e.reason
            )
            err = ApiError(e.status, message, "invalid_request_error", code)
            return web.json_response(error_shape(request.path)(err), status=e.status)
        except Exception as e:
            err = internal_error(e)
            return web.json_response(error_shape(request.path)(err), status=500)

    return middleware
