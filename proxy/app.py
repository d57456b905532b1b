"""The gateway's HTTP surface (aiohttp): routes, the veil around each call, the upstream trip.

One handler per endpoint, each the same story: read and validate the body, anonymize every text
slot, forward, restore the answer (whole or streamed), write the audit record. Any failure inside
the veil refuses the request before a byte goes upstream.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
from aiohttp import web

from proxy.audit import AuditRecord, AuditStore
from proxy.config import Config, Upstream
from proxy.errors import ApiError, bad_request
from proxy.upstream import back_headers, timeout_for, unreachable, upstream_headers
from proxy.veil.engine import Blocked, Mapping, Veil
from proxy.wire import chat

log = logging.getLogger("codeveil")

CONFIG = web.AppKey("config", Config)
GATEWAY = web.AppKey("gateway", "Gateway")


class Gateway:
    """What the handlers share: config, veil, upstream session and audit store."""

    def __init__(self, config: Config, veil: Veil | None = None) -> None:
        self.config = config
        self.veil = veil or Veil(config.policy, config.key)
        self.audit = AuditStore(config.audit_path) if config.audit_path else None
        self.session: aiohttp.ClientSession | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.ready = False

    async def start(self, _app: web.Application) -> None:
        self.session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=0, ttl_dns_cache=300), auto_decompress=True
        )
        # Compile every recognizer and load every generator now, not on the first request.
        self.veil.anonymize(["warm-up: admin@example.com 10.1.2.3 password='Warm-Up-42!'"])
        self.ready = True

    async def stop(self, _app: web.Application) -> None:
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self.session is not None:
            await self.session.close()
        if self.audit is not None:
            self.audit.close()

    def record(self, rec: AuditRecord, started: float) -> None:
        rec.latency_ms = (time.perf_counter() - started) * 1000
        log.info(
            "request",
            extra={
                "endpoint": rec.endpoint,
                "status": rec.status,
                "findings": sum(f.count for f in rec.findings),
                "latency_ms": round(rec.latency_ms, 2),
            },
        )
        if self.audit is None:
            return
        task = asyncio.get_running_loop().create_task(self.audit.record(rec))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- the veil --------------------------------------------------------------------------

    def anonymize(self, slots: list[chat.Slot], rec: AuditRecord) -> Mapping:
        try:
            anon, mapping = self.veil.anonymize([s.get() for s in slots])
            for slot, text in zip(slots, anon, strict=True):
                slot.set(text)
        except Blocked as e:
            rec.blocked = True
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

    async def chat_completions(self, request: web.Request) -> web.StreamResponse:
        started = time.perf_counter()
        rec = AuditRecord(endpoint="/v1/chat/completions", policy=self.config.policy.name)
        try:
            body = await read_json(request)
            rec.bytes_in = request.content_length or 0
            slots = chat.request_slots(body, self.config.policy)
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
            rec.upstream = upstream.name
            mapping = self.anonymize(slots, rec)
            if rec.stream:
                return await self._stream(request, upstream, body, mapping, rec)
            return await self._plain(request, upstream, body, mapping, rec)
        except ApiError as e:
            rec.status, rec.error = e.status, e.code
            return e.response()
        finally:
            if rec.status is None:
                rec.status = 499  # the client went away
            self.record(rec, started)

    async def _plain(
        self,
        request: web.Request,
        upstream: Upstream,
        body: dict[str, Any],
        mapping: Mapping,
        rec: AuditRecord,
    ) -> web.Response:
        assert self.session is not None
        try:
            async with self.session.post(
                f"{upstream.base_url}/chat/completions",
                data=json.dumps(body).encode(),
                headers=upstream_headers(upstream, request.headers),
                timeout=timeout_for(upstream),
            ) as resp:
                raw = await resp.read()
                status, headers = resp.status, back_headers(resp.headers)
        except (aiohttp.ClientError, TimeoutError) as e:
            raise unreachable(upstream, e) from None
        try:
            answer = json.loads(raw)
        except ValueError:
            raise ApiError(
                502,
                f"upstream '{upstream.name}' answered with status {status} and a "
                "body that is not JSON",
                "upstream_error",
                "bad_upstream_response",
            ) from None
        out = json.dumps(chat.restore_response(answer, mapping), ensure_ascii=False).encode()
        rec.status, rec.bytes_out = status, len(out)
        return web.Response(
            body=out, status=status, headers=headers, content_type="application/json"
        )

    async def _stream(
        self,
        request: web.Request,
        upstream: Upstream,
        body: dict[str, Any],
        mapping: Mapping,
        rec: AuditRecord,
    ) -> web.StreamResponse:
        assert self.session is not None
        try:
            ctx = self.session.post(
                f"{upstream.base_url}/chat/completions",
                data=json.dumps(body).encode(),
                headers=upstream_headers(upstream, request.headers),
                timeout=timeout_for(upstream),
            )
            resp = await ctx.__aenter__()
        except (aiohttp.ClientError, TimeoutError) as e:
            raise unreachable(upstream, e) from None
        try:
            if resp.status != 200 or "event-stream" not in (resp.content_type or ""):
                raw = await resp.read()
                try:
                    answer = chat.restore_response(json.loads(raw), mapping)
                except ValueError:
                    raise ApiError(
                        502,
                        f"upstream '{upstream.name}' answered with status "
                        f"{resp.status} and a body that is not JSON",
                        "upstream_error",
                        "bad_upstream_response",
                    ) from None
                rec.status = resp.status
                return web.json_response(
                    answer, status=resp.status, headers=back_headers(resp.headers)
                )
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
            restorer = chat.ChatStreamRestorer(mapping)
            try:
                async for data in sse_data(resp.content):
                    if data == "[DONE]":
                        for ev in restorer.close():
                            rec.bytes_out += await write_event(out, ev)
                        await out.write(b"data: [DONE]\n\n")
                        continue
                    try:
                        obj = json.loads(data)
                    except ValueError:
                        # Unreadable: it could hold a dummy we cannot restore, so drop it.
                        log.warning("dropped a malformed upstream event")
                        continue
                    for ev in restorer.event(obj):
                        rec.bytes_out += await write_event(out, ev)
                for ev in restorer.close():
                    rec.bytes_out += await write_event(out, ev)
            except (aiohttp.ClientError, TimeoutError) as e:
                err = unreachable(upstream, e)
                rec.error = err.code
                await out.write(err.sse())
            except ConnectionResetError:
                rec.status, rec.error = 499, "client_disconnected"
                return out
            await out.write_eof()
            return out
        finally:
            await ctx.__aexit__(None, None, None)


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


async def sse_data(stream: aiohttp.StreamReader) -> AsyncIterator[str]:
    """The ``data`` of each server-sent event (multi-line data joined by newlines)."""
    lines: list[str] = []
    async for raw in stream:
        line = raw.decode("utf-8").rstrip("\r\n")
        if not line:
            if lines:
                yield "\n".join(lines)
                lines = []
        elif line.startswith("data:"):
            lines.append(line[5:].lstrip(" ") if line.startswith("data: ") else line[5:])
    if lines:
        yield "\n".join(lines)


async def write_event(out: web.StreamResponse, obj: Any) -> int:
    data = f"data: {json.dumps(obj, ensure_ascii=False)}\n\n".encode()
    await out.write(data)
    return len(data)


@web.middleware
async def openai_errors(request: web.Request, handler: Any) -> web.StreamResponse:
    """aiohttp's own refusals (404, 405, 413) in OpenAI's error shape."""
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
        return ApiError(e.status, message, "invalid_request_error", code).response()


def build_app(config: Config, veil: Veil | None = None) -> web.Application:
    app = web.Application(client_max_size=config.max_body_bytes, middlewares=[openai_errors])
    gw = Gateway(config, veil)
    app[CONFIG] = config
    app[GATEWAY] = gw
    app.on_startup.append(gw.start)
    app.on_cleanup.append(gw.stop)
    app.router.add_get("/healthz", gw.healthz)
    app.router.add_get("/v1/models", gw.models)
    app.router.add_post("/v1/chat/completions", gw.chat_completions)
    return app
