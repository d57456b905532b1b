"""Chat Completions for the scripted agents' upstream: ``/v1/chat/completions`` and models."""

from __future__ import annotations

import json
import time
from typing import Any

from aiohttp import web

from proxy.testing.agents.common import open_sse, read_json, sse
from proxy.testing.agents.script import (
    Request,
    Turn,
    declared,
    next_turn,
    output_text,
    pieces,
    texts,
)


def parse(body: dict[str, Any]) -> Request:
    messages = body.get("messages") or []
    outputs = [
        output_text(m.get("content"))
        for m in messages
        if isinstance(m, dict) and m.get("role") == "tool"
    ]
    fmt = body.get("response_format") or {}
    schema = (
        (fmt.get("json_schema") or {}).get("schema", {})
        if fmt.get("type") == "json_schema"
        else ({} if fmt.get("type") == "json_object" else None)
    )
    convo = [m for m in messages if isinstance(m, dict) and m.get("role") != "tool"]
    return Request(texts(convo), declared(body.get("tools")), outputs, schema)


def _message(turn: Turn) -> dict[str, Any]:
    if turn.tool:
        return {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": turn.call_id,
                    "type": "function",
                    "function": {"name": turn.tool, "arguments": json.dumps(turn.arguments)},
                }
            ],
        }
    return {"role": "assistant", "content": turn.text or ""}


def _chunk(body: dict[str, Any], delta: dict[str, Any], finish: str | None = None) -> dict:
    return {
        "id": "chatcmpl-scripted",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": body.get("model", ""),
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


async def completions(request: web.Request) -> web.StreamResponse:
    body = await read_json(request)
    turn = next_turn(parse(body))
    message = _message(turn)
    finish = "tool_calls" if turn.tool else "stop"
    usage = {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}
    if not body.get("stream"):
        return web.json_response(
            {
                "id": "chatcmpl-scripted",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body.get("model", ""),
                "usage": usage,
                "choices": [{"index": 0, "message": message, "finish_reason": finish}],
            }
        )
    out = await open_sse(request)
    await out.write(sse(_chunk(body, {"role": "assistant", "content": ""})))
    if turn.tool:
        call = message["tool_calls"][0]
        await out.write(
            sse(
                _chunk(
                    body,
                    {
                        "tool_calls": [
                            {
                                "index": 0,
                                "id": call["id"],
                                "type": "function",
                                "function": {"name": turn.tool, "arguments": ""},
                            }
                        ]
                    },
                )
            )
        )
        for p in pieces(call["function"]["arguments"], 7):
            await out.write(
                sse(_chunk(body, {"tool_calls": [{"index": 0, "function": {"arguments": p}}]}))
            )
    else:
        for p in pieces(turn.text or ""):
            await out.write(sse(_chunk(body, {"content": p})))
    await out.write(sse(_chunk(body, {}, finish)))
    if (body.get("stream_options") or {}).get("include_usage"):
        await out.write(sse({**_chunk(body, {}), "choices": [], "usage": usage}))
    await out.write(sse("[DONE]"))
    return out


async def models(request: web.Request) -> web.Response:
    return web.json_response(
        {
            "object": "list",
            "data": [{"id": "scripted", "object": "model", "created": 0, "owned_by": "codeveil"}],
        }
    )


def add_routes(app: web.Application) -> None:
    app.router.add_post("/v1/chat/completions", completions)
    app.router.add_post("/chat/completions", completions)
    app.router.add_get("/v1/models", models)
