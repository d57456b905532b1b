"""Every API surface: veil each request, forward it, restore the answer (whole or streamed).

Every surface is the same story on a different :class:`WireFormat`: validate the body, anonymize
every text slot, forward, restore. Any failure inside the veil refuses the request before a byte
goes upstream. Tenant, audit record and errors are the routine's (``proxy/server/routine.py``).
"""

from __future__ import annotations

import asyncio
import copy
import json
import logging
import re
from typing import Any

import aiohttp
from aiohttp import web

from proxy.audit import AuditRecord, productivity, usage_of
from proxy.config import Upstream, path_segment
from proxy.policy import Policy
from proxy.server import jsonio
from proxy.server.exchange import Handler
from proxy.server.keys import CONFIG, EXCHANGE, LOOP, OFFLOAD, TENANTS, UPSTREAM
from proxy.server.loop_api import is_alias, loop_chat
from proxy.server.offload import Offload
from proxy.server.routine import read_json
from proxy.upstream.client import unreachable
from proxy.upstream.headers import back_headers
from proxy.veil.engine import Blocked, BudgetExceeded, Mapping, Veil
from proxy.veil.public import PublicVocabulary
from proxy.wire import WIRE_FORMATS, sse
from proxy.wire.base import Slot, StreamRestorer, WireFormat, declared_names
from proxy.wire.errors import ApiError
from proxy.wire.media import ImageSlot, read_images, redact_images

log = logging.getLogger("codeveil")

def _route_pattern(path: str) -> re.Pattern[str]:
    """An aiohttp route (``{name}``, ``{name:regex}``) as a regular expression."""
    out, pos = [], 0
    for m in re.finditer(r"\{(\w+)(?::([^{}]+))?\}", path):
        out += [re.escape(path[pos : m.start()]), f"(?:{m.group(2) or '[^/]+'})"]
        pos = m.end()
    return re.compile("".join([*out, re.escape(path[pos:])]) + "$")


_PATTERNS = [(_route_pattern(f.path), f) for f in WIRE_FORMATS]


def format_for(path: str) -> WireFormat:
    """The wire format whose errors a request to ``path`` gets (chat's for anything else)."""
    return next((f for rx, f in _PATTERNS if rx.match(path)), WIRE_FORMATS[0])


def handler(fmt: WireFormat) -> Handler:
    """The request story for one wire format."""

    async def handle(request: web.Request) -> web.StreamResponse:
        ex = request[EXCHANGE]
        rec = ex.record
        assert ex.veil is not None
        policy = ex.veil.policy
        body = await read_json(request)
        if is_alias(fmt, body):
            rec.model = body["model"]
            return await loop_chat(request, request.app[LOOP], body, ex.veil, rec)
        rec.bytes_in = request.content_length or 0
        slots = fmt.slots(body, policy)
        # Gemini names the model in the route; every other API in the body (checked by slots).
        model = request.match_info.get("model") or body["model"]
        check_model(model)
        rec.model = model
        rec.stream = fmt.always_streams or body.get("stream") is True
        upstream = request.app[CONFIG].route(model)
        if upstream is None:
            raise ApiError(
                404,
                f"no upstream serves model '{model}'",
                "invalid_request_error",
                "model_not_found",
                "model",
            )
        original = copy.deepcopy(body) if policy.route_local else None
        # Read before anonymizing: what the client declares is its own vocabulary, kept public.
        public = ex.veil.vocabulary(
            declared_names(body, model, request.headers.get("User-Agent"))
        )
        # Images the policy redacts: read before the veil, painted over after it (wire/media.py).
        await read_images(slots)
        mapping = await anonymize(ex.veil, slots, rec, public,
                                  request.app[CONFIG].veil_cpu_seconds,
                                  _offload_to(request, ex.tenant))
        await redact_images(slots, mapping)
        local = _local_route(request, policy, mapping)
        forward_key = True
        if local is not None and original is not None:
            # Kept in-house: the local model gets the real text, nothing to restore, and not
            # the client's key, which belongs to the external provider.
            upstream, body, mapping, forward_key = local, original, Mapping(), False
        rec.upstream = upstream.name
        return await _forward(request, fmt, upstream, model, body, mapping, rec, forward_key)

    return handle


MAX_MODEL_CHARS = 256
# Text above this many characters is anonymized off the event loop: in an offload child when
# most of it is new (offload.py), else (mostly cached: cheap) in a worker thread.
OFF_LOOP_CHARS = 64 * 1024


def _offload_to(request: web.Request, tenant: str) -> tuple[Offload, str, bytes] | None:
    offload = request.app[OFFLOAD]
    if not offload.enabled:
        return None
    return offload, tenant, request.app[TENANTS].key(tenant)


def check_model(model: str) -> None:
    """A model name goes into URLs and the audit log: printable, bounded, never a path."""
    if (
        len(model) > MAX_MODEL_CHARS
        or model in (".", "..")
        or any(ord(c) < 0x20 or ord(c) == 0x7F for c in model)
    ):
        raise ApiError(
            400,
            f"the model name must be 1 to {MAX_MODEL_CHARS} printable characters",
            "invalid_request_error",
            "invalid_model",
            "model",
        )


async def anonymize(
    veil: Veil, slots: list[Slot], rec: AuditRecord, public: PublicVocabulary | None = None,
    cpu_seconds: float | None = None, offload: tuple[Offload, str, bytes] | None = None,
) -> Mapping:
    """Anonymize every slot (in place); the Mapping back. ``offload``: the child processes
    that take requests with much new text, with the request's tenant and its key."""
    try:
        texts = [s.get() for s in slots]
        taken, keys = False, None
        if (
            offload is not None and cpu_seconds is not None
            and not any(isinstance(s, ImageSlot) for s in slots)  # painted here, after the veil
        ):
            taken, keys = await offload[0].takes(offload[1], veil, texts)
        turns = [s.turn for s in slots]  # earlier requests are replayed where they were missed
        if taken:
            pool, tenant, key = offload  # type: ignore[misc]
            anon, mapping = await pool.anonymize(tenant, veil, key, texts, public, cpu_seconds,
                                                 turns)
        elif sum(map(len, texts)) > OFF_LOOP_CHARS:
            anon, mapping = await asyncio.to_thread(veil.anonymize, texts, public, cpu_seconds,
                                                    keys, turns)
        else:
            anon, mapping = veil.anonymize(texts, public, cpu_seconds, keys, turns)
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
    except BudgetExceeded as e:
        rec.error = "veil_budget_exceeded"
        raise ApiError(
            413,
            f"CodeVeil could not anonymize this request within its CPU budget ({e.seconds:g} s;"
            " limits.veil_cpu_seconds), so nothing was sent upstream: send less text at once.",
            "invalid_request_error",
            "veil_budget_exceeded",
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


def _local_route(request: web.Request, policy: Policy, mapping: Mapping) -> Upstream | None:
    rule = policy.route_local
    if not rule or not set(rule["types"]) & {f.type for f in mapping.findings}:
        return None
    return request.app[CONFIG].upstream(rule["upstream"])


async def _forward(
    request: web.Request,
    fmt: WireFormat,
    upstream: Upstream,
    model: str,
    body: dict[str, Any],
    mapping: Mapping,
    rec: AuditRecord,
    forward_key: bool = True,
) -> web.StreamResponse:
    try:
        client = request.app[UPSTREAM]
        # the size of what the client sent: from a megabyte on, JSON is written in pieces
        size = len(await request.read())
        data = await jsonio.dumps(body, size)
        # A model name in a URL path is one segment, whatever it holds ("../", "?", "#").
        path = fmt.upstream_path.replace("{model}", path_segment(model))
        post = client.post(upstream, path, model, data, request.headers, forward_key)
        async with await post as resp:
            if rec.stream and resp.status == 200 and "event-stream" in resp.content_type:
                return await _relay(request, fmt, upstream, resp, mapping, rec)
            # A whole answer, or an error (also for a stream that never started).
            raw, size = await _upstream_json(resp, upstream, request.app[CONFIG].max_answer_bytes)
            try:
                if size > OFF_LOOP_CHARS:  # a big answer is restored in a thread
                    answer, ratio = await asyncio.to_thread(_restored, fmt, raw, mapping, body)
                else:
                    answer, ratio = _restored(fmt, raw, mapping, body)
            except Exception as e:  # a shape the restorer cannot walk: refused, not a crash
                log.error("unreadable upstream answer", extra={"error": type(e).__name__})
                raise _bad_upstream(upstream, "an answer CodeVeil cannot read") from None
            try:
                out = await jsonio.dumps(answer, size, ensure_ascii=False)
            except UnicodeEncodeError:  # a lone surrogate escaped in the upstream's JSON
                raise _bad_upstream(upstream, "text that is not valid Unicode") from None
            rec.status, rec.bytes_out = resp.status, len(out)
            rec.prompt_tokens, rec.completion_tokens = usage_of(answer)
            rec.productivity = ratio
            return web.Response(
                body=out,
                status=resp.status,
                headers=back_headers(resp.headers),
                content_type="application/json",
            )
    except (aiohttp.ClientError, TimeoutError) as e:
        raise unreachable(upstream, e) from None


def _restored(fmt: WireFormat, raw: Any, mapping: Mapping, body: Any) -> tuple[Any, float | None]:
    """The answer with the real values back, and its productivity ratio."""
    answer = fmt.restore(raw, mapping)
    return answer, productivity(_text_chars(body), _answer_text(answer))


async def _relay(
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
    max_event = request.app[CONFIG].max_event_bytes
    try:
        err: ApiError | None = None
        try:
            async for batch in sse.sse_batches(resp.content, max_event):
                data = b"".join(_restored_event(n, d, restorer) for n, d in batch)
                if data:
                    rec.bytes_out += len(data)
                    await out.write(data)
        except (aiohttp.ClientError, TimeoutError) as e:
            err = unreachable(upstream, e)
        except sse.StreamError as e:
            err = _bad_upstream(upstream, str(e).removeprefix("an upstream "))
        except ConnectionResetError:
            raise
        except Exception as e:  # an event the restorer cannot walk: the stream ends cleanly
            log.error("unreadable upstream event", extra={"error": type(e).__name__})
            err = _bad_upstream(upstream, "an event CodeVeil cannot read")
        if err is not None:
            rec.error = err.code
            # The stream has started: the error becomes its last event, in the format's shape.
            # What the restorer still holds may be the start of a dummy: it is dropped.
            await out.write(sse.encode(fmt.error(err), fmt.error_event))
        else:
            tail = b"".join(sse.encode(obj, name) for name, obj in restorer.close())
            if tail:
                await out.write(tail)
        await out.write_eof()
    except ConnectionResetError:
        rec.status, rec.error = 499, "client_disconnected"
    return out


def _strings_under(obj: Any, keys: frozenset[str], out: list[str] | None = None) -> list[str]:
    out = [] if out is None else out
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k in keys and isinstance(v, str):
                out.append(v)
            elif isinstance(v, (dict, list)):
                _strings_under(v, keys, out)
    elif isinstance(obj, list):
        for v in obj:
            if isinstance(v, (dict, list)):
                _strings_under(v, keys, out)
    return out


_TEXT_KEYS = frozenset({"content", "text", "input", "instructions", "system", "prompt"})


def _text_chars(body: Any) -> int:
    """How much text the client sent (the productivity ratio's denominator)."""
    return sum(map(len, _strings_under(body, _TEXT_KEYS)))


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


def _bad_upstream(upstream: Upstream, what: str) -> ApiError:
    return ApiError(
        502,
        f"upstream '{upstream.name}' sent {what}",
        "upstream_error",
        "bad_upstream_response",
    )


async def _upstream_json(
    resp: aiohttp.ClientResponse, upstream: Upstream, limit: int
) -> tuple[Any, int]:
    """The upstream's answer, parsed, and its size in bytes."""
    if (resp.content_length or 0) > limit:
        raise _bad_upstream(upstream, f"an answer larger than {limit} bytes")
    raw = bytearray()
    async for chunk in resp.content.iter_any():
        raw += chunk
        if len(raw) > limit:
            raise _bad_upstream(upstream, f"an answer larger than {limit} bytes")
    try:
        return await jsonio.loads(bytes(raw)), len(raw)
    except (ValueError, RecursionError):
        raise ApiError(
            502,
            f"upstream '{upstream.name}' answered with status {resp.status} and a body that "
            "is not JSON",
            "upstream_error",
            "bad_upstream_response",
        ) from None
