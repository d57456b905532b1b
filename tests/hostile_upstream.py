"""An upstream that misbehaves on request, for the hardening tests: ``python -m
tests.hostile_upstream --port N``. The model name (in the body, or the path's last
``models/<name>:`` segment) picks the fault; every request is recorded with its raw path and
headers (``GET /_recorded``)."""

from __future__ import annotations

import argparse
import asyncio
import json
from typing import Any

from aiohttp import web

RECORDED = web.AppKey("recorded", list)
BIG = 2 * 1024 * 1024  # above the limits the tests configure (1 MiB)


def _chunk(content: Any, index: Any = 0) -> bytes:
    event = {
        "id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "m",
        "choices": [{"index": index, "delta": {"content": content}, "finish_reason": None}],
    }
    return f"data: {json.dumps(event)}\n\n".encode()


def _prompt(body: dict[str, Any]) -> str:
    messages = body.get("messages") or [{}]
    content = messages[-1].get("content")
    return content if isinstance(content, str) else ""


async def _stream(request: web.Request) -> web.StreamResponse:
    resp = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
    await resp.prepare(request)
    return resp


async def handle(request: web.Request) -> web.StreamResponse:
    raw = await request.read()
    try:
        body = json.loads(raw) if raw else {}
    except ValueError:
        body = {}
    request.app[RECORDED].append(
        {"method": request.method, "path": request.raw_path, "headers": dict(request.headers),
         "body": body}
    )
    model = str(body.get("model") or "")
    if model == "huge-answer":
        text = "x" * BIG
        return web.json_response({"choices": [{"index": 0, "message": {"content": text}}]})
    if model == "huge-event":
        resp = await _stream(request)
        await resp.write(b"data: " + b"x" * BIG)  # no line break, ever
        await resp.write_eof()
        return resp
    if model == "bad-utf8":
        resp = await _stream(request)
        await resp.write(_chunk("fine "))
        await resp.write(b'data: {"choices": [{"index": 0, "delta": {"content": "\xff\xfe"}}]}\n\n')
        await resp.write_eof()
        return resp
    if model == "bad-index":
        resp = await _stream(request)
        await resp.write(_chunk("fine ", index=[1]))
        await resp.write(b"data: [DONE]\n\n")
        await resp.write_eof()
        return resp
    if model in ("cut-dummy", "stall-dummy"):
        # The prompt is one value, so what arrives here is its dummy: send half of it, then
        # drop the connection (or go silent past the gateway's read timeout).
        dummy = _prompt(body)
        resp = await _stream(request)
        await resp.write(_chunk("Here: "))
        await resp.write(_chunk(dummy[: len(dummy) // 2]))
        if model == "stall-dummy":
            await asyncio.sleep(30)
        assert request.transport is not None
        request.transport.close()
        return resp
    if request.method == "GET":
        return web.json_response({"object": "list", "data": []})
    return web.json_response(
        {"id": "c1", "object": "chat.completion", "created": 1, "model": model,
         "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"},
                      "finish_reason": "stop"}]}
    )


async def recorded(request: web.Request) -> web.Response:
    return web.json_response({"requests": request.app[RECORDED]})


def build() -> web.Application:
    app = web.Application(client_max_size=64 * 1024 * 1024)
    app[RECORDED] = []
    app.router.add_get("/_recorded", recorded)
    app.router.add_route("*", "/{tail:.*}", handle)
    return app


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    web.run_app(build(), host="127.0.0.1", port=ap.parse_args().port, print=None)
