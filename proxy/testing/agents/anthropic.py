"""Anthropic Messages for the scripted agents' upstream: ``/v1/messages`` and count_tokens."""

from __future__ import annotations

import json
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
    outputs: list[str] = []
    last = messages[-1] if messages else {}
    for block in last.get("content") or [] if isinstance(last.get("content"), list) else []:
        if isinstance(block, dict) and block.get("type") == "tool_result":
            outputs.append(output_text(block.get("content")))
    schema = ((body.get("output_config") or {}).get("format") or {}).get("schema")
    return Request(texts(messages), declared(body.get("tools")), outputs, schema)


def _blocks(turn: Turn) -> list[dict[str, Any]]:
    if turn.tool:
        return [
            {
                "type": "tool_use",
                "id": "toolu_" + turn.call_id[5:],
                "name": turn.tool,
                "input": turn.arguments,
            }
        ]
    return [{"type": "text", "text": turn.text or ""}]


async def messages(request: web.Request) -> web.StreamResponse:
    body = await read_json(request)
    turn = next_turn(parse(body))
    blocks = _blocks(turn)
    stop = "tool_use" if turn.tool else "end_turn"
    usage = {"input_tokens": 10, "output_tokens": 5}
    msg = {
        "id": "msg_scripted",
        "type": "message",
        "role": "assistant",
        "model": body.get("model", ""),
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "usage": usage,
    }
    if not body.get("stream"):
        return web.json_response({**msg, "content": blocks, "stop_reason": stop})
    out = await open_sse(request)
    await out.write(sse({"type": "message_start", "message": msg}, "message_start"))
    for i, block in enumerate(blocks):
        if block["type"] == "text":
            start, deltas = (
                {"type": "text", "text": ""},
                [{"type": "text_delta", "text": p} for p in pieces(block["text"])],
            )
        else:
            start, deltas = (
                {**block, "input": {}},
                [
                    {"type": "input_json_delta", "partial_json": p}
                    for p in pieces(json.dumps(block["input"]), 7)
                ],
            )
        await out.write(
            sse(
                {"type": "content_block_start", "index": i, "content_block": start},
                "content_block_start",
            )
        )
        for d in deltas:
            await out.write(
                sse({"type": "content_block_delta", "index": i, "delta": d}, "content_block_delta")
            )
        await out.write(sse({"type": "content_block_stop", "index": i}, "content_block_stop"))
    await out.write(
        sse(
            {
                "type": "message_delta",
                "usage": {"output_tokens": 5},
                "delta": {"stop_reason": stop, "stop_sequence": None},
            },
            "message_delta",
        )
    )
    await out.write(sse({"type": "message_stop"}, "message_stop"))
    return out


async def count_tokens(request: web.Request) -> web.Response:
    body = await read_json(request)
    return web.json_response({"input_tokens": max(1, len(json.dumps(body)) // 4)})


def add_routes(app: web.Application) -> None:
    app.router.add_post("/v1/messages", messages)
    app.router.add_post("/v1/messages/count_tokens", count_tokens)
