"""Every API surface: veil each request, forward it, restore the answer (whole or streamed).

Every surface is the same story on a different :class:`WireFormat`: validate the body, anonymize
every text slot, forward, restore. Any failure inside the veil refuses the request before a byte
goes upstream. Tenant, audit record and errors are the routine's (``proxy/server/routine.py``).
"""

from __future__ import annotations

import copy
import json
import logging
import re
from typing import Any
from urllib.parse import quote

import aiohttp
from aiohttp import web

from proxy.audit import AuditRecord, productivity, usage_of
from proxy.config import Upstream
from proxy.policy import Policy
from proxy.server.exchange import Handler
from proxy.server.keys import CONFIG, EXCHANGE, LOOP, UPSTREAM
from proxy.server.loop_api import is_alias, loop_chat
from proxy.server.routine import read_json
from proxy.upstream.client import unreachable
from proxy.upstream.headers import back_headers
from proxy.veil.engine import Blocked, Mapping, Veil
from proxy.veil.public import PublicVocabulary
from proxy.wire import WIRE_FORMATS, sse
from proxy.wire.base import Slot, StreamRestorer, WireFormat, declared_names
from proxy.wire.errors import ApiError
from proxy.wire.media import read_images, redact_images

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
        mapping = anonymize(ex.veil, slots, rec, public)
        await redact_images(slots, mapping)
        local = _local_route(request, policy, mapping)
        if local is not None and original is not None:
            # Kept in-house: the local model gets the real text, nothing to restore.
            upstream, body, mapping = local, original, Mapping()
        rec.upstream = upstream.name
        return await _forward(request, fmt, upstream, model, body, mapping, rec)

    return handle


def anonymize(
    veil: Veil, slots: list[Slot], rec: AuditRecord, public: PublicVocabulary | None = None
) -> Mapping:
    try:
        anon, mapping = veil.anonymize([s.get() for s in slots], public)
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
) -> web.StreamResponse:
    try:
        client = request.app[UPSTREAM]
        data = json.dumps(body).encode()
        # A model name in a URL path is one segment, whatever it holds ("../", "?", "#").
        path = fmt.upstream_path.replace("{model}", quote(model, safe=""))
        post = client.post(upstream, path, model, data, request.headers)
        async with await post as resp:
            if rec.stream and resp.status == 200 and "event-stream" in resp.content_type:
                return await _relay(request, fmt, upstream, resp, mapping, rec)
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
