"""The echo upstream's Responses API endpoint (see :mod:`proxy.testing.echo`).

``POST /v1/responses`` records the request and answers with one output message whose text is
``echo_text(body)``: the texts of the input in order (``instructions`` first, then each
message's text, each function call as ``name + " " + arguments``, each tool output), joined by
a blank line: the chat echo of the corpus README, for the Responses API. The model name picks a
behaviour as on the chat endpoint: ``echo-tools`` answers with the input's last function call(s)
unchanged, ``error-<status>`` with an OpenAI-style error, ``slow-<seconds>`` waits first. A
stream is the full Responses event sequence, text and arguments cut into 1 to 5 character
deltas (seeded by the ``x-echo-seed`` header).

``from_chat_messages`` turns a chat ``messages`` array into a Responses request body with the
same echo; ``upstream_texts`` lists the strings of a request as the upstream received it.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from typing import Any

from aiohttp import web

from proxy.testing.echo.common import (
    cancelled,
    chunks,
    error_status,
    openai_error,
    record,
    slow,
    stream_rng,
)

_TEXT_PARTS = {"input_text", "output_text"}


# -- the echo ------------------------------------------------------------------------------


def _item_kind(item: dict[str, Any]) -> str | None:
    kind = item.get("type")
    return "message" if kind is None and "role" in item else kind


def _parts_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    return "".join(
        p["text"]
        for p in content or []
        if isinstance(p, dict) and p.get("type") in _TEXT_PARTS and isinstance(p.get("text"), str)
    )


def echo_text(body: dict[str, Any]) -> str:
    """The echo of a responses request: the chat echo of the corpus README, item by item."""
    parts: list[str] = []
    if isinstance(body.get("instructions"), str):
        parts.append(body["instructions"])
    inp = body.get("input")
    if isinstance(inp, str):
        parts.append(inp)
    for item in inp if isinstance(inp, list) else []:
        if not isinstance(item, dict):
            continue
        kind = _item_kind(item)
        if kind == "message":
            parts.append(_parts_text(item.get("content")))
        elif kind == "function_call":
            parts.append(f"{item.get('name', '')} {item.get('arguments', '')}")
        elif kind == "function_call_output":
            parts.append(_parts_text(item.get("output")))
    return "\n\n".join(parts)


def upstream_texts(body: dict[str, Any]) -> list[str]:
    """Every text string of a responses request as the upstream received it (for leak metrics)."""
    out: list[str] = []
    if isinstance(body.get("instructions"), str):
        out.append(body["instructions"])
    inp = body.get("input")
    if isinstance(inp, str):
        out.append(inp)
    for item in inp if isinstance(inp, list) else []:
        if not isinstance(item, dict):
            continue
        kind = _item_kind(item)
        for key in ("content", "output"):
            value = item.get(key)
            if isinstance(value, str):
                out.append(value)
            elif isinstance(value, list):
                out += [p["text"] for p in value if isinstance(p, dict) and "text" in p]
        if kind in ("function_call", "custom_tool_call"):
            out += [item.get("name", ""), item.get("arguments", item.get("input", ""))]
        for part in item.get("summary") or []:
            if isinstance(part, dict) and isinstance(part.get("text"), str):
                out.append(part["text"])
    for tool in body.get("tools") or []:
        for key in ("name", "description"):
            if isinstance(tool.get(key), str):
                out.append(tool[key])
        if tool.get("parameters") is not None:
            out.append(json.dumps(tool["parameters"], ensure_ascii=False))
    return [t for t in out if isinstance(t, str)]


def from_chat_messages(messages: list[dict[str, Any]]) -> dict[str, Any]:
    """A responses request body (without ``model``) for a chat ``messages`` array.

    A leading system message becomes ``instructions``; other messages become message items,
    assistant tool calls ``function_call`` items and tool messages ``function_call_output``
    items, in order, so that ``echo_text`` of the result equals the chat echo of ``messages``.
    """
    body: dict[str, Any] = {}
    items: list[dict[str, Any]] = []
    for i, m in enumerate(messages):
        role, content = m.get("role"), m.get("content")
        if i == 0 and role == "system" and isinstance(content, str):
            body["instructions"] = content
        elif role == "tool":
            output = content if isinstance(content, str) else _chat_parts(content)
            items.append(
                {"type": "function_call_output", "call_id": m.get("tool_call_id"), "output": output}
            )
        else:
            if isinstance(content, str):
                items.append({"type": "message", "role": role, "content": content})
            elif isinstance(content, list):
                parts = _chat_parts(content, "output_text" if role == "assistant" else "input_text")
                items.append({"type": "message", "role": role, "content": parts})
            for tc in m.get("tool_calls") or []:
                fn = tc.get("function") or {}
                items.append(
                    {
                        "type": "function_call",
                        "call_id": tc.get("id"),
                        "name": fn.get("name"),
                        "arguments": fn.get("arguments"),
                    }
                )
    body["input"] = items
    return body


def _chat_parts(content: Any, text_type: str = "input_text") -> list[dict[str, Any]]:
    parts = []
    for p in content or []:
        if isinstance(p, dict) and p.get("type") == "text":
            parts.append({"type": text_type, "text": p.get("text", "")})
        elif isinstance(p, dict) and p.get("type") == "image_url":
            url = (p.get("image_url") or {}).get("url")
            parts.append({"type": "input_image", "image_url": url, "detail": "auto"})
        else:
            parts.append(p)
    return parts


def last_function_calls(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The last run of consecutive function_call items of the input (parallel calls)."""
    inp = body.get("input")
    items = [i for i in inp if isinstance(i, dict)] if isinstance(inp, list) else []
    run: list[dict[str, Any]] = []
    for item in reversed(items):
        if item.get("type") == "function_call":
            run.append(item)
        elif run:
            break
    return run[::-1]


# -- the endpoint --------------------------------------------------------------------------


def _usage(text: str) -> dict[str, Any]:
    return {
        "input_tokens": len(text) // 4,
        "input_tokens_details": {"cached_tokens": 0},
        "output_tokens": 1,
        "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": 1 + len(text) // 4,
    }


def _output(body: dict[str, Any], model: str) -> list[dict[str, Any]]:
    if model == "echo-tools":
        calls = last_function_calls(body)
        if calls:
            return [
                {
                    "type": "function_call",
                    "id": f"fc_echo_{k}",
                    "call_id": call.get("call_id") or f"call_echo_{k}",
                    "name": call.get("name"),
                    "arguments": call.get("arguments"),
                    "status": "completed",
                }
                for k, call in enumerate(calls)
            ]
    text = echo_text(body)
    return [
        {
            "type": "message",
            "id": "msg_echo",
            "status": "completed",
            "role": "assistant",
            "content": [{"type": "output_text", "text": text, "annotations": [], "logprobs": []}],
        }
    ]


def _response(body: dict[str, Any], model: str, status: str, output: list[Any]) -> dict[str, Any]:
    return {
        "id": "resp_echo",
        "object": "response",
        "created_at": int(time.time()),
        "status": status,
        "error": None,
        "incomplete_details": None,
        "instructions": body.get("instructions"),
        "max_output_tokens": body.get("max_output_tokens"),
        "model": model,
        "output": output,
        "parallel_tool_calls": body.get("parallel_tool_calls", True),
        "previous_response_id": body.get("previous_response_id"),
        "temperature": body.get("temperature", 1.0),
        "text": body.get("text") or {"format": {"type": "text"}},
        "tool_choice": body.get("tool_choice", "auto"),
        "tools": body.get("tools") or [],
        "top_p": body.get("top_p", 1.0),
        "truncation": "disabled",
        "usage": _usage(echo_text(body)) if status == "completed" else None,
        "user": body.get("user"),
        "metadata": body.get("metadata") or {},
    }


def _in_progress(item: dict[str, Any]) -> dict[str, Any]:
    if item["type"] == "message":
        return {**item, "status": "in_progress", "content": []}
    return {**item, "status": "in_progress", "arguments": ""}


def _events(body: dict[str, Any], model: str, rng: random.Random) -> list[dict[str, Any]]:
    """The whole event sequence of a streamed answer, without sequence numbers."""
    output = _output(body, model)
    events: list[dict[str, Any]] = [
        {"type": "response.created", "response": _response(body, model, "in_progress", [])},
        {"type": "response.in_progress", "response": _response(body, model, "in_progress", [])},
    ]
    for n, item in enumerate(output):
        events.append(
            {"type": "response.output_item.added", "output_index": n, "item": _in_progress(item)}
        )
        ids = {"item_id": item["id"], "output_index": n}
        if item["type"] == "function_call":
            for piece in chunks(item["arguments"] or "", rng):
                events.append(
                    {"type": "response.function_call_arguments.delta", **ids, "delta": piece}
                )
            events.append(
                {
                    "type": "response.function_call_arguments.done",
                    **ids,
                    "name": item["name"],
                    "arguments": item["arguments"],
                }
            )
        else:
            for c, part in enumerate(item["content"]):
                at = {**ids, "content_index": c}
                empty = {**part, "text": ""}
                events.append({"type": "response.content_part.added", **at, "part": empty})
                for piece in chunks(part["text"], rng):
                    events.append(
                        {"type": "response.output_text.delta", **at, "delta": piece, "logprobs": []}
                    )
                events.append(
                    {
                        "type": "response.output_text.done",
                        **at,
                        "text": part["text"],
                        "logprobs": [],
                    }
                )
                events.append({"type": "response.content_part.done", **at, "part": part})
        events.append({"type": "response.output_item.done", "output_index": n, "item": item})
    events.append(
        {"type": "response.completed", "response": _response(body, model, "completed", output)}
    )
    return events


async def responses(request: web.Request) -> web.StreamResponse:
    body = await request.json()
    record(request, body)
    model = str(body.get("model", ""))
    status = error_status(model)
    if status is not None:
        return openai_error(status, echo_text(body))
    await slow(request, model)
    if not body.get("stream"):
        return web.json_response(_response(body, model, "completed", _output(body, model)))
    rng = stream_rng(request)
    out = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
    await out.prepare(request)
    try:
        for seq, ev in enumerate(_events(body, model, rng)):
            ev["sequence_number"] = seq
            await out.write(f"event: {ev['type']}\ndata: {json.dumps(ev)}\n\n".encode())
    except (ConnectionResetError, asyncio.CancelledError):
        cancelled(request)
        raise
    return out


def add_routes(app: web.Application) -> None:
    """Register the Responses endpoint on the echo upstream's app."""
    app.router.add_post("/v1/responses", responses)
