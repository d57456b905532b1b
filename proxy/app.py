"""The gateway's HTTP surface (aiohttp): routes, the veil around each call, the upstream trip.

One handler per endpoint, each the same story: read and validate the body, anonymize every text
slot, forward, restore the answer (whole or streamed), write the audit record. Any failure inside
the veil refuses the request before a byte goes upstream.
"""

from __future__ import annotations

import asyncio
import copy
import hashlib
import hmac
import json
import logging
import time
from typing import Any

import aiohttp
from aiohttp import web

from proxy import admin, sse
from proxy.audit import AuditRecord, AuditStore, policy_hash, productivity, usage_of
from proxy.config import Config, Upstream
from proxy.errors import ApiError, bad_request
from proxy.loop.service import LoopService
from proxy.loop.service import chat as loop_chat
from proxy.loop.service import is_alias as loop_alias
from proxy.loop.service import routes as loop_routes
from proxy.metrics import Metrics
from proxy.metrics import handler as metrics_handler
from proxy.policy import Policy
from proxy.upstream import (
    back_headers,
    client_key,
    retry_delay,
    timeout_for,
    unreachable,
    upstream_headers,
)
from proxy.veil.engine import Blocked, Mapping, Veil
from proxy.wire.anthropic import AnthropicMessages
from proxy.wire.base import Slot, StreamRestorer, WireFormat
from proxy.wire.chat import ChatCompletions
from proxy.wire.completions import Completions, Embeddings
from proxy.wire.responses import Responses
from recognizers import ner

log = logging.getLogger("codeveil")

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
WIRE_FORMATS: tuple[WireFormat, ...] = (
    ChatCompletions(),
    Completions(),
    Embeddings(),
    Responses(),
    AnthropicMessages(),
)

CONFIG = web.AppKey("config", Config)
GATEWAY = web.AppKey("gateway", "Gateway")


class Gateway:
    """What the handlers share: config, veil, upstream session and audit store."""

    def __init__(self, config: Config, veil: Veil | None = None) -> None:
        self.config = config
        ner.configure(config.ner_spacy_model, config.ner_flair_model)
        self.veil = veil or Veil(config.policy, config.key)
        # Each tenant has its own policy and surrogate key, so its dummies differ.
        self.veils = {"default": self.veil} | {
            name: Veil(t.policy, t.key) for name, t in config.tenants.items()
        }
        self.metrics = Metrics()
        target = config.audit_url or config.audit_path
        self.audit = AuditStore(target, self.metrics.audit_errors.inc) if target else None
        self.policy_hashes = {name: policy_hash(v.policy) for name, v in self.veils.items()}
        self.session: aiohttp.ClientSession | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.ready = False
        self.loop: LoopService | None = None  # set by build_app

    async def start(self, _app: web.Application) -> None:
        self.session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=0, ttl_dns_cache=300), auto_decompress=True
        )
        # Compile every recognizer and load every generator now, not on the first request.
        for veil in self.veils.values():
            veil.anonymize(["warm-up: admin@example.com 10.1.2.3 password='Warm-Up-42!'"])
        # Hot reload: a valid edit of a policy file swaps that tenant's veil; a bad one is
        # logged and the running policy stays.
        from proxy.policy.watch import watch_policies

        self._watcher = asyncio.get_running_loop().create_task(watch_policies(self))
        self.ready = True

    async def stop(self, _app: web.Application) -> None:
        watcher = getattr(self, "_watcher", None)
        if watcher is not None:
            watcher.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self.session is not None:
            await self.session.close()
        if self.audit is not None:
            await asyncio.to_thread(self.audit.close)  # writes what is still queued

    def record(self, rec: AuditRecord, started: float) -> None:
        rec.latency_ms = (time.perf_counter() - started) * 1000
        if rec.policy_hash is None:
            rec.policy_hash = self.policy_hashes.get(rec.tenant)
        self.metrics.observe(rec)
        log.info(
            "request",
            extra={
                "endpoint": rec.endpoint,
                "status": rec.status,
                "findings": sum(f.count for f in rec.findings),
                "latency_ms": round(rec.latency_ms, 2),
            },
        )
        if self.audit is not None:
            self.audit.submit(rec)  # the writer thread appends it; nothing waits here

    # -- the veil --------------------------------------------------------------------------

    def tenant(self, request: web.Request, rec: AuditRecord) -> str:
        """Pass-through mode: everyone is the default tenant. Gateway-key mode: the key decides."""
        key = client_key(request.headers)
        digest = hashlib.sha256(key.encode()).hexdigest() if key else ""
        admin_digest = self.config.admin_key_sha256
        # The admin key opens /admin only: refused here, and so never forwarded upstream.
        if admin_digest and digest and hmac.compare_digest(digest, admin_digest):
            raise ApiError(
                401,
                "the CodeVeil admin key is not a gateway or upstream key",
                "authentication_error",
                "invalid_api_key",
            )
        if not self.config.gateway_keys:
            return "default"
        entry = self.config.client_keys.get(digest)
        if entry is None:
            raise ApiError(
                401,
                "a valid CodeVeil gateway key is required (Authorization: Bearer <key>)",
                "authentication_error",
                "invalid_api_key",
            )
        rec.key_id, rec.tenant = entry
        return entry[1]

    def anonymize(self, veil: Veil, slots: list[Slot], rec: AuditRecord) -> Mapping:
        try:
            anon, mapping = veil.anonymize([s.get() for s in slots])
            for slot, text in zip(slots, anon, strict=True):
                slot.set(text)
        except Blocked as e:
            rec.blocked = True
            rec.findings = e.findings
            raise ApiError(
                403,
                "CodeVeil's policy does not allow sending "
                f"{', '.join(e.types)} to an external model; remove it and retry.",
                "policy_violation",
                "blocked_by_policy",
            ) from None
        except Exception as e:
            # Never log the exception text: it could quote the prompt.
            log.error("veil failure", extra={"error": type(e).__name__})
            raise ApiError(
                500,
                "CodeVeil could not anonymize this request, so nothing was sent upstream.",
                "veil_error",
                "anonymization_failed",
            ) from None
        rec.findings = mapping.findings
        return mapping

    # -- handlers --------------------------------------------------------------------------

    async def healthz(self, _request: web.Request) -> web.Response:
        if not self.ready:
            return web.json_response({"status": "starting"}, status=503)
        return web.json_response({"status": "ok", "policy": self.config.policy.name})

    async def models(self, request: web.Request) -> web.Response:
        upstream = self.config.upstreams[0]
        assert self.session is not None
        try:
            async with self.session.get(
                f"{upstream.base_url}/models",
                headers=upstream_headers(upstream, request.headers),
                timeout=timeout_for(upstream),
            ) as resp:
                body = await resp.read()
                return web.Response(
                    body=body,
                    status=resp.status,
                    content_type=resp.content_type or "application/json",
                )
        except (aiohttp.ClientError, TimeoutError) as e:
            return unreachable(upstream, e).response()

    def handler(self, fmt: WireFormat):
        """The one request story, for any wire format."""

        async def handle(request: web.Request) -> web.StreamResponse:
            started = time.perf_counter()
            rec = AuditRecord(endpoint=fmt.path)
            try:
                veil = self.veils[self.tenant(request, rec)]
                policy = veil.policy
                rec.policy = policy.name
                body = await read_json(request)
                if loop_alias(fmt, body):
                    rec.model = body["model"]
                    resp = await loop_chat(self, self.loop, request, body, veil, rec)
                    rec.status = resp.status
                    return resp
                rec.bytes_in = request.content_length or 0
                slots = fmt.slots(body, policy)
                rec.model = body["model"]
                rec.stream = body.get("stream") is True
                upstream = self.config.route(body["model"])
                if upstream is None:
                    raise ApiError(
                        404,
                        f"no upstream serves model '{body['model']}'",
                        "invalid_request_error",
                        "model_not_found",
                        "model",
                    )
                original = copy.deepcopy(body) if policy.route_local else None
                mapping = self.anonymize(veil, slots, rec)
                local = self._local_route(policy, mapping)
                if local is not None and original is not None:
                    # Kept in-house: the local model gets the real text, nothing to restore.
                    upstream, body, mapping = local, original, Mapping()
                rec.upstream = upstream.name
                return await self._forward(request, fmt, upstream, body, mapping, rec)
            except ApiError as e:
                rec.status, rec.error = e.status, e.code
                return web.json_response(fmt.error(e), status=e.status)
            finally:
                if rec.status is None:
                    rec.status = 499  # the client went away
                self.record(rec, started)

        return handle

    def _local_route(self, policy: Policy, mapping: Mapping) -> Upstream | None:
        rule = policy.route_local
        if not rule or not set(rule["types"]) & {f.type for f in mapping.findings}:
            return None
        return self.config.upstream(rule["upstream"])

    async def _post(
        self, request: web.Request, url: str, upstream: Upstream, data: bytes
    ) -> aiohttp.ClientResponse:
        """POST with retries on connection errors, 429 and 5xx; nothing has reached the client
        yet, so a retry is invisible to it. Retry-After is honoured."""
        assert self.session is not None
        headers = upstream_headers(upstream, request.headers)
        for attempt in range(upstream.retries + 1):
            last = attempt == upstream.retries
            try:
                resp = await self.session.post(
                    url, data=data, headers=headers, timeout=timeout_for(upstream)
                )
            except (aiohttp.ClientConnectionError, TimeoutError):
                if last:
                    raise
                await asyncio.sleep(retry_delay(None, attempt))
                continue
            if resp.status in RETRY_STATUSES and not last:
                delay = retry_delay(resp.headers, attempt)
                resp.release()
                log.warning("upstream retry", extra={"status": resp.status})
                await asyncio.sleep(delay)
                continue
            return resp
        raise AssertionError("unreachable")

    async def _forward(
        self,
        request: web.Request,
        fmt: WireFormat,
        upstream: Upstream,
        body: dict[str, Any],
        mapping: Mapping,
        rec: AuditRecord,
    ) -> web.StreamResponse:
        try:
            url = upstream.url(fmt.upstream_path, body["model"])
            async with await self._post(request, url, upstream, json.dumps(body).encode()) as resp:
                if rec.stream and resp.status == 200 and "event-stream" in resp.content_type:
                    return await self._relay(request, fmt, upstream, resp, mapping, rec)
                # A whole answer, or an error (also for a stream that never started).
                answer = fmt.restore(await _upstream_json(resp, upstream), mapping)
                out = json.dumps(answer, ensure_ascii=False).encode()
                rec.status, rec.bytes_out = resp.status, len(out)
                rec.prompt_tokens, rec.completion_tokens = usage_of(answer)
                rec.productivity = productivity(_text_chars(body), _answer_text(answer))
                return web.Response(
                    body=out,
                    status=resp.status,
                    headers=back_headers(resp.headers),
                    content_type="application/json",
                )
        except (aiohttp.ClientError, TimeoutError) as e:
            raise unreachable(upstream, e) from None

    async def _relay(
        self,
        request: web.Request,
        fmt: WireFormat,
        upstream: Upstream,
        resp: aiohttp.ClientResponse,
        mapping: Mapping,
        rec: AuditRecord,
    ) -> web.StreamResponse:
        """Pass an upstream event stream on, restored, batch by batch as it arrives."""
        out = web.StreamResponse(
            status=200,
            headers={
                "Content-Type": "text/event-stream",
                "Cache-Control": "no-cache",
                **back_headers(resp.headers),
            },
        )
        await out.prepare(request)
        rec.status = 200
        restorer = fmt.stream_restorer(mapping)
        try:
            try:
                async for batch in sse.sse_batches(resp.content):
                    data = b"".join(_restored_event(n, d, restorer) for n, d in batch)
                    if data:
                        rec.bytes_out += len(data)
                        await out.write(data)
            except (aiohttp.ClientError, TimeoutError) as e:
                err = unreachable(upstream, e)
                rec.error = err.code
                # The stream has started: the error becomes its last event, in the format's shape.
                await out.write(sse.encode(fmt.error(err), fmt.error_event))
            tail = b"".join(sse.encode(obj, name) for name, obj in restorer.close())
            if tail:
                await out.write(tail)
            await out.write_eof()
        except ConnectionResetError:
            rec.status, rec.error = 499, "client_disconnected"
        return out


def _strings_under(obj: Any, keys: frozenset[str]) -> list[str]:
    out: list[str] = []
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k in keys and isinstance(v, str):
                out.append(v)
            else:
                out += _strings_under(v, keys)
    elif isinstance(obj, list):
        for v in obj:
            out += _strings_under(v, keys)
    return out


_TEXT_KEYS = frozenset({"content", "text", "input", "instructions", "system", "prompt"})


def _text_chars(body: Any) -> int:
    """How much text the client sent (the productivity ratio's denominator)."""
    return sum(len(t) for t in _strings_under(body, _TEXT_KEYS))


def _answer_text(answer: Any) -> str:
    return "\n".join(_strings_under(answer, frozenset({"content", "text"})))


def _restored_event(name: str | None, data: str, restorer: StreamRestorer) -> bytes:
    if data == "[DONE]":
        flushed = b"".join(sse.encode(obj, n) for n, obj in restorer.close())
        return flushed + sse.DONE
    try:
        obj = json.loads(data)
    except ValueError:
        # Unreadable: it could hold a dummy we cannot restore, so it is dropped.
        log.warning("dropped a malformed upstream event")
        return b""
    return b"".join(sse.encode(o, n) for n, o in restorer.event(name, obj))


async def _upstream_json(resp: aiohttp.ClientResponse, upstream: Upstream) -> Any:
    raw = await resp.read()
    try:
        return json.loads(raw)
    except ValueError:
        raise ApiError(
            502,
            f"upstream '{upstream.name}' answered with status {resp.status} and a body that "
            "is not JSON",
            "upstream_error",
            "bad_upstream_response",
        ) from None


async def read_json(request: web.Request) -> Any:
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge:
        raise ApiError(
            413,
            f"the request body is larger than {request.app[CONFIG].max_body_bytes} bytes",
            "invalid_request_error",
            "request_too_large",
        ) from None
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise bad_request("the request body is not valid JSON", code="invalid_json") from None


@web.middleware
async def api_errors(request: web.Request, handler: Any) -> web.StreamResponse:
    """aiohttp's own refusals (404, 405, 413) in the error shape of the API asked for."""
    try:
        return await handler(request)
    except web.HTTPException as e:
        if e.status < 400:
            raise
        code = {404: "unknown_endpoint", 405: "method_not_allowed", 413: "request_too_large"}.get(
            e.status, "http_error"
        )
        message = (
            f"unknown endpoint {request.method} {request.path}" if e.status == 404 else e.reason
        )
        err = ApiError(e.status, message, "invalid_request_error", code)
        fmt = next((f for f in WIRE_FORMATS if request.path.startswith(f.path)), ChatCompletions())
        return web.json_response(fmt.error(err), status=e.status)


def build_app(config: Config, veil: Veil | None = None) -> web.Application:
    app = web.Application(client_max_size=config.max_body_bytes, middlewares=[api_errors])
    gw = Gateway(config, veil)
    app[CONFIG] = config
    app[GATEWAY] = gw
    app.on_startup.append(gw.start)
    app.on_cleanup.append(gw.stop)
    app.router.add_get("/healthz", gw.healthz)
    app.router.add_get("/v1/models", gw.models)
    app.router.add_get("/metrics", metrics_handler(gw.metrics))
    for fmt in WIRE_FORMATS:
        app.router.add_post(fmt.path, gw.handler(fmt))
    gw.loop = loop_routes(app, gw)  # the generate / execute / debug loop: proxy/loop/
    admin.routes(app, gw)  # the /admin pages, when the config names an admin key
    return app
