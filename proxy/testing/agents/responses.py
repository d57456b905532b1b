"""The Responses API for the scripted agents' upstream: ``/v1/responses``, streamed or not."""

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

_OUTPUTS = {"function_call_output", "custom_tool_call_output", "local_shell_call_output"}


def parse(body: dict[str, Any]) -> Request:
    items = body.get("input")
    items = [{"role": "user", "content": items}] if isinstance(items, str) else items or []
    tools = declared(body.get("tools"))
    convo: list[Any] = []
    outputs: list[str] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        if item.get("type") == "additional_tools":  # Codex declares its tools in the input
            declared(item.get("tools"), tools)
        elif item.get("type") in _OUTPUTS:
            outputs.append(output_text(item.get("output")))
        else:
            convo.append(item)
    fmt = (body.get("text") or {}).get("format") or {}
    schema = fmt.get("schema") if fmt.get("type") == "json_schema" else None
    return Request(texts(convo), tools, outputs, schema)


def _item(turn: Turn) -> dict[str, Any]:
    if turn.custom_input is not None:
        return {
            "type": "custom_tool_call",
            "id": "ctc_" + turn.call_id[5:],
            "status": "completed",
            "call_id": turn.call_id,
            "name": turn.tool,
            "input": turn.custom_input,
        }
    if turn.tool:
        return {
            "type": "function_call",
            "id": "fc_" + turn.call_id[5:],
            "status": "completed",
            "call_id": turn.call_id,
            "name": turn.tool,
            "arguments": json.dumps(turn.arguments),
        }
    return {
        "type": "message",
        "id": "msg_scripted",
        "status": "completed",
        "role": "assistant",
        "content": [{"type": "output_text", "text": turn.text or "", "annotations": []}],
    }


def _response(body: dict[str, Any], status: str, output: list[Any]) -> dict[str, Any]:
    return {
        "id": "resp_scripted",
        "object": "response",
        "created_at": int(time.time()),
        "status": status,
        "error": None,
        "incomplete_details": None,
        "model": body.get("model", ""),
        "output": output,
        "tools": body.get("tools") or [],
        "parallel_tool_calls": body.get("parallel_tool_calls", True),
        "tool_choice": body.get("tool_choice", "auto"),
        "metadata": {},
        "usage": {
            "input_tokens": 10,
            "input_tokens_details": {"cached_tokens": 0},
            "output_tokens": 5,
            "output_tokens_details": {"reasoning_tokens": 0},
            "total_tokens": 15,
        }
        if status == "completed"
        else None,
    }


def _events(body: dict[str, Any], item: dict[str, Any]) -> list[dict[str, Any]]:
    ids = {"item_id": item["id"], "output_index": 0}
    events: list[dict[str, Any]] = [
        {"type": "response.created", "response": _response(body, "in_progress", [])},
        {"type": "response.in_progress", "response": _response(body, "in_progress", [])},
    ]
    if item["type"] == "message":
        text = item["content"][0]["text"]
        events.append(
            {
                "type": "response.output_item.added",
                "output_index": 0,
                "item": {**item, "status": "in_progress", "content": []},
            }
        )
        at = {**ids, "content_index": 0}
        events.append(
            {
                "type": "response.content_part.added",
                **at,
                "part": {"type": "output_text", "text": "", "annotations": []},
            }
        )
        events += [{"type": "response.output_text.delta", **at, "delta": p} for p in pieces(text)]
        events.append({"type": "response.output_text.done", **at, "text": text})
        events.append({"type": "response.content_part.done", **at, "part": item["content"][0]})
    elif item["type"] == "custom_tool_call":
        events.append(
            {
                "type": "response.output_item.added",
                "output_index": 0,
                "item": {**item, "status": "in_progress", "input": ""},
            }
        )
        events += [
            {"type": "response.custom_tool_call_input.delta", **ids, "delta": p}
            for p in pieces(item["input"], 7)
        ]
        events.append(
            {"type": "response.custom_tool_call_input.done", **ids, "input": item["input"]}
        )
    else:
        events.append(
            {
                "type": "response.output_item.added",
                "output_index": 0,
                "item": {**item, "status": "in_progress", "arguments": ""},
            }
        )
        events += [
            {"type": "response.function_call_arguments.delta", **ids, "delta": p}
            for p in pieces(item["arguments"], 7)
        ]
        events.append(
            {
                "type": "response.function_call_arguments.done",
                **ids,
                "name": item["name"],
                "arguments": item["arguments"],
            }
        )
    events.append({"type": "response.output_item.done", "output_index": 0, "item": item})
    events.append({"type": "response.completed", "response": _response(body, "completed", [item])})
    return events


async def responses(request: web.Request) -> web.StreamResponse:
    body = await read_json(request)
    item = _item(next_turn(parse(body)))
    if not body.get("stream"):
        return web.json_response(_response(body, "completed", [item]))
    out = await open_sse(request)
    for seq, ev in enumerate(_events(body, item)):
        await out.write(sse({**ev, "sequence_number": seq}, ev["type"]))
    return out


def add_routes(app: web.Application) -> None:
    app.router.add_post("/v1/responses", responses)
