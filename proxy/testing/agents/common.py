"""What the scripted agents' upstream shares: recording, body decoding, server-sent events."""

from __future__ import annotations

import gzip
import json
import zlib
from typing import Any

from aiohttp import web

RECORDED = web.AppKey("agents_recorded", list)


async def read_json(request: web.Request) -> dict[str, Any]:
    """The request's JSON body, decoded from gzip or deflate, recorded as the upstream saw it."""
    raw = await request.read()
    coding = request.headers.get("Content-Encoding", "").lower()
    if coding == "gzip":
        raw = gzip.decompress(raw)
    elif coding == "deflate":
        raw = zlib.decompress(raw)
    elif coding not in ("", "identity"):
        raise web.HTTPUnsupportedMediaType(text=f"content coding {coding!r} not supported here")
    body = json.loads(raw or b"{}")
    request.app[RECORDED].append(
        {
            "path": request.path,
            "query": request.query_string,
            "headers": dict(request.headers),
            "body": body,
        }
    )
    return body


async def open_sse(request: web.Request) -> web.StreamResponse:
    out = web.StreamResponse(
        headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}
    )
    await out.prepare(request)
    return out


def sse(data: Any, event: str | None = None) -> bytes:
    head = f"event: {event}\n" if event else ""
    payload = data if isinstance(data, str) else json.dumps(data)
    return f"{head}data: {payload}\n\n".encode()
