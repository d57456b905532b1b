"""The echo upstream's Anthropic Messages endpoint (see :mod:`proxy.testing.echo`).

``POST /v1/messages/count_tokens`` records the request and counts a quarter of its echo's
characters. ``POST /v1/messages`` records the request and answers with one text block,
``echo_text(body)``: the request's texts in order (``system`` first, then each message's string
content or blocks: text, ``tool_use`` as ``name + " " + json.dumps(input, ensure_ascii=False)``,
``tool_result`` content, thinking), joined by blank lines. The model name picks a behaviour, as
for chat:

- ``echo-tools``: answer with the last assistant message's ``tool_use`` blocks unchanged;
- ``error-<status>``: answer with that status and an Anthropic-style error quoting the prompt;
- ``midstream-error``: stream half of the echo, then an ``overloaded_error`` event;
- ``slow-<seconds>``: wait, then echo;
- anything else: echo.

Streams send Anthropic's whole event sequence; text comes in 1 to 5 character ``text_delta``s
and tool inputs in ``input_json_delta`` pieces of ``json.dumps(input)`` (seeded by the
``x-echo-seed`` header).

For ``codeveil eval``: ``from_chat_messages`` turns a corpus record's chat ``messages`` into a
Messages request, ``echo_text`` is what a client must get back for it, and ``upstream_texts``
lists every text of a request as the upstream received it (the leak metric's haystack).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aiohttp import web

from proxy.testing.echo.common import cancelled, chunks, error_status, record, slow, stream_rng

_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    500: "api_error",
    503: "overloaded_error",
    504: "timeout_error",
    529: "overloaded_error",
}


# -- what the echo says --------------------------------------------------------------------


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _block_texts(block: Any) -> list[str]:
    if not isinstance(block, dict):
        return []
    kind = block.get("type")
    if kind == "text":
        return [block.get("text", "")]
    if kind == "tool_use":
        return [f"{block.get('name', '')} {_dump(block.get('input', {}))}"]
    if kind == "tool_result":
        return _content_texts(block.get("content"))
    if kind == "thinking":
        return [block.get("thinking", "")]
    return []


def _content_texts(content: Any) -> list[str]:
    if isinstance(content, str):
        return [content]
    if isinstance(content, list):
        return [t for block in content for t in _block_texts(block)]
    return []


def echo_text(body: dict[str, Any]) -> str:
    """The echo's answer to a Messages request: its texts in order, joined by blank lines."""
    parts = _content_texts(body.get("system"))
    for m in body.get("messages") or []:
        if isinstance(m, dict):
            parts.extend(_content_texts(m.get("content")))
    return "\n\n".join(parts)


def _leaves(obj: Any, out: list[str]) -> None:
    if isinstance(obj, str):
        out.append(obj)
    elif isinstance(obj, list):
        for v in obj:
            _leaves(v, out)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            out.append(k)
            _leaves(v, out)


def _upstream_block(block: Any, out: list[str]) -> None:
    if not isinstance(block, dict):
        return
    kind = block.get("type")
    if kind == "tool_use":
        out.append(block.get("name", ""))
        out.append(_dump(block.get("input", {})))
        _leaves(block.get("input"), out)  # decoded too: a quote or newline is escaped above
    elif kind == "tool_result":
        _upstream_content(block.get("content"), out)
    elif kind == "document":
        source = block.get("source") or {}
        if source.get("type") == "text":
            out.append(source.get("data", ""))
        elif source.get("type") == "content":
            _upstream_content(source.get("content"), out)
        out.extend(block[k] for k in ("title", "context") if isinstance(block.get(k), str))
    elif kind == "search_result":
        out.extend(block[k] for k in ("source", "title") if isinstance(block.get(k), str))
        _upstream_content(block.get("content"), out)
    else:
        out.extend(_block_texts(block))


def _upstream_content(content: Any, out: list[str]) -> None:
    if isinstance(content, str):
        out.append(content)
    elif isinstance(content, list):
        for block in content:
            _upstream_block(block, out)


def upstream_texts(body: dict[str, Any]) -> list[str]:
    """Every text of a Messages request: what the leak metric searches."""
    out: list[str] = []
    _upstream_content(body.get("system"), out)
    for m in body.get("messages") or []:
        if isinstance(m, dict):
            _upstream_content(m.get("content"), out)
    for tool in body.get("tools") or []:
        if isinstance(tool, dict):
            out.extend(tool[k] for k in ("name", "description") if isinstance(tool.get(k), str))
            if "input_schema" in tool:
                out.append(_dump(tool["input_schema"]))
                _leaves(tool["input_schema"], out)
    choice = body.get("tool_choice")
    if isinstance(choice, dict) and isinstance(choice.get("name"), str):
        out.append(choice["name"])
    metadata = body.get("metadata")
    if isinstance(metadata, dict) and isinstance(metadata.get("user_id"), str):
        out.append(metadata["user_id"])
    out.extend(s for s in body.get("stop_sequences") or [] if isinstance(s, str))
    return out


def _chat_texts(content: Any) -> list[str]:
    if isinstance(content, str):
        return [content]
    if isinstance(content, list):
        return [
            p["text"]
            for p in content
            if isinstance(p, dict) and p.get("type") == "text" and isinstance(p.get("text"), str)
        ]
    return []


def _tool_input(arguments: Any) -> dict[str, Any]:
    try:
        value = json.loads(arguments or "{}")
    except (TypeError, ValueError):
        return {"arguments": arguments}
    return value if isinstance(value, dict) else {"arguments": value}


def from_chat_messages(messages: list[dict[str, Any]], max_tokens: int = 1024) -> dict[str, Any]:
    """A Messages request (without ``model``) saying what a chat ``messages`` array says.

    System and developer messages become ``system``; tool calls become ``tool_use`` blocks
    (``input`` parsed from the arguments) and tool messages ``tool_result`` blocks of a user
    turn; consecutive turns of one role are merged, as the API wants roles to alternate.
    """
    system: list[str] = []
    turns: list[dict[str, Any]] = []

    def add(role: str, blocks: list[dict[str, Any]]) -> None:
        if turns and turns[-1]["role"] == role:
            turns[-1]["content"].extend(blocks)
        else:
            turns.append({"role": role, "content": blocks})

    for n, m in enumerate(messages):
        role, content = m.get("role"), m.get("content")
        if role in ("system", "developer"):
            system.extend(_chat_texts(content))
        elif role in ("tool", "function"):
            result: Any = content
            if not isinstance(content, str):
                result = [{"type": "text", "text": t} for t in _chat_texts(content)]
            add(
                "user",
                [
                    {
                        "type": "tool_result",
                        "tool_use_id": m.get("tool_call_id") or f"toolu_{n}",
                        "content": result,
                    }
                ],
            )
        else:
            blocks = [{"type": "text", "text": t} for t in _chat_texts(content)]
            for k, call in enumerate(m.get("tool_calls") or []):
                fn = call.get("function") or {}
                blocks.append(
                    {
                        "type": "tool_use",
                        "id": call.get("id") or f"toolu_{n}_{k}",
                        "name": fn.get("name", ""),
                        "input": _tool_input(fn.get("arguments")),
                    }
                )
            add("assistant" if role == "assistant" else "user", blocks)
    for turn in turns:  # a lone text block reads as plain string content
        blocks = turn["content"]
        if len(blocks) == 1 and blocks[0]["type"] == "text":
            turn["content"] = blocks[0]["text"]
    body: dict[str, Any] = {"max_tokens": max_tokens, "messages": turns}
    if len(system) == 1:
        body["system"] = system[0]
    elif system:
        body["system"] = [{"type": "text", "text": s} for s in system]
    return body


# -- the endpoint --------------------------------------------------------------------------


def _last_tool_uses(messages: list[Any]) -> list[dict[str, Any]]:
    for m in reversed(messages):
        if (
            isinstance(m, dict)
            and m.get("role") == "assistant"
            and isinstance(m.get("content"), list)
        ):
            uses = [b for b in m["content"] if isinstance(b, dict) and b.get("type") == "tool_use"]
            if uses:
                return uses
    return []


def _error(status: int, message: str) -> dict[str, Any]:
    kind = _ERROR_TYPES.get(status) or ("api_error" if status >= 500 else "invalid_request_error")
    return {"type": "error", "error": {"type": kind, "message": message}}


async def messages(request: web.Request) -> web.StreamResponse:
    body = await request.json()
    record(request, body)
    model = str(body.get("model", ""))
    status = error_status(model)
    if status is not None:
        return web.json_response(
            _error(status, f"upstream refused: {echo_text(body)[:200]}"),
            status=status,
            headers={"request-id": "req_echo_error"},
        )
    await slow(request, model)
    uses = _last_tool_uses(body.get("messages") or []) if model == "echo-tools" else []
    text = echo_text(body)
    content: list[dict[str, Any]] = uses or [{"type": "text", "text": text}]
    stop = "tool_use" if uses else "end_turn"
    message = {
        "id": "msg_echo",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content,
        "stop_reason": stop,
        "stop_sequence": None,
        "usage": {"input_tokens": len(text) // 4, "output_tokens": 1},
    }
    if not body.get("stream"):
        return web.json_response(message)
    rng = stream_rng(request)
    out = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
    await out.prepare(request)

    async def send(ev: dict[str, Any]) -> None:
        await out.write(f"event: {ev['type']}\ndata: {json.dumps(ev)}\n\n".encode())

    try:
        await send(
            {"type": "message_start", "message": {**message, "content": [], "stop_reason": None}}
        )
        await send({"type": "ping"})
        for i, block in enumerate(content):
            if block["type"] == "tool_use":
                start = {**block, "input": {}}
                kind, field, pieces = "input_json_delta", "partial_json", json.dumps(block["input"])
            else:
                start = {"type": "text", "text": ""}
                kind, field, pieces = "text_delta", "text", block["text"]
            await send({"type": "content_block_start", "index": i, "content_block": start})
            cut = chunks(pieces, rng)
            if model == "midstream-error":
                cut = cut[: len(cut) // 2]
            for piece in cut:
                await send(
                    {
                        "type": "content_block_delta",
                        "index": i,
                        "delta": {"type": kind, field: piece},
                    }
                )
            if model == "midstream-error":
                await send(_error(529, f"overloaded while answering: {text[:200]}"))
                return out
            await send({"type": "content_block_stop", "index": i})
        await send(
            {
                "type": "message_delta",
                "delta": {"stop_reason": stop, "stop_sequence": None},
                "usage": {"output_tokens": 1},
            }
        )
        await send({"type": "message_stop"})
    except (ConnectionResetError, asyncio.CancelledError):
        cancelled(request)
        raise
    return out


async def count_tokens(request: web.Request) -> web.Response:
    """A count of what arrived: a quarter of the echo's characters, as the echo's usage says."""
    body = await request.json()
    record(request, body)
    return web.json_response({"input_tokens": len(echo_text(body)) // 4})


def add_routes(app: web.Application) -> None:
    """Register this format's echo routes on the echo upstream's app."""
    app.router.add_post("/v1/messages", messages)
    app.router.add_post("/v1/messages/count_tokens", count_tokens)
