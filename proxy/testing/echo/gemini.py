"""The echo upstream's Gemini API endpoints (see :mod:`proxy.testing.echo`).

``POST /v1beta/models/{model}:generateContent`` records the request and answers with one text
part, ``echo_text(body)``: the request's texts in order (``systemInstruction`` first, then each
content's text parts, function calls as ``name + " " + json.dumps(args)`` and function responses
as ``json.dumps(response)``), joined by blank lines. ``:streamGenerateContent?alt=sse`` sends the
same text as server-sent ``GenerateContentResponse`` chunks of 1 to 5 characters (seeded by the
``x-echo-seed`` header), the last one with ``finishReason``. The model name picks a behaviour:

- ``echo-tools``: answer with the last model turn's ``functionCall`` parts unchanged;
- ``error-<status>``: that status, with a Google-style error quoting the prompt;
- anything else: echo.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aiohttp import web

from proxy.testing.echo.common import cancelled, chunks, error_status, record, stream_rng


def _get(obj: dict[str, Any], camel: str) -> Any:
    snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in camel)
    return obj.get(camel, obj.get(snake))


def _part_texts(part: Any) -> list[str]:
    if not isinstance(part, dict):
        return []
    if isinstance(part.get("text"), str):
        return [part["text"]]
    call = _get(part, "functionCall")
    if isinstance(call, dict):
        return [f"{call.get('name', '')} {json.dumps(call.get('args', {}), ensure_ascii=False)}"]
    result = _get(part, "functionResponse")
    if isinstance(result, dict):
        return [json.dumps(result.get("response", {}), ensure_ascii=False)]
    return []


def _content_texts(content: Any) -> list[str]:
    if isinstance(content, str):
        return [content]
    if isinstance(content, dict):
        return [t for part in content.get("parts") or [] for t in _part_texts(part)]
    return []


def echo_text(body: dict[str, Any]) -> str:
    """The echo's answer to a generateContent request: its texts in order."""
    parts = _content_texts(_get(body, "systemInstruction"))
    for content in body.get("contents") or []:
        parts.extend(_content_texts(content))
    return "\n\n".join(parts)


def _last_calls(contents: list[Any]) -> list[dict[str, Any]]:
    for content in reversed(contents):
        if isinstance(content, dict) and content.get("role") == "model":
            calls = [p for p in content.get("parts") or [] if _get(p, "functionCall")]
            if calls:
                return [{"functionCall": _get(p, "functionCall")} for p in calls]
    return []


def _answer(parts: list[dict[str, Any]], model: str, finish: str | None) -> dict[str, Any]:
    cand: dict[str, Any] = {"index": 0, "content": {"role": "model", "parts": parts}}
    if finish:
        cand["finishReason"] = finish
    return {"candidates": [cand], "modelVersion": model,
            "usageMetadata": {"promptTokenCount": 1, "candidatesTokenCount": 1}}


async def generate(request: web.Request) -> web.StreamResponse:
    body = await request.json()
    record(request, body)
    model = request.match_info["model"]
    status = error_status(model)
    text = echo_text(body)
    if status is not None:
        return web.json_response(
            {"error": {"code": status, "message": f"upstream refused: {text[:200]}",
                       "status": "INVALID_ARGUMENT"}}, status=status)
    calls = _last_calls(body.get("contents") or []) if model == "echo-tools" else []
    parts = calls or [{"text": text}]
    if not request.path.endswith(":streamGenerateContent"):
        return web.json_response(_answer(parts, model, "STOP"))
    out = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
    await out.prepare(request)
    pieces = [calls] if calls else [[{"text": p}] for p in chunks(text, stream_rng(request))]
    try:
        for n, piece in enumerate(pieces):
            finish = "STOP" if n == len(pieces) - 1 else None
            await out.write(f"data: {json.dumps(_answer(piece, model, finish))}\r\n\r\n".encode())
    except (ConnectionResetError, asyncio.CancelledError):
        cancelled(request)
        raise
    return out


def add_routes(app: web.Application) -> None:
    """Register this format's echo routes on the echo upstream's app."""
    app.router.add_post("/v1beta/models/{model}:generateContent", generate)
    app.router.add_post("/v1beta/models/{model}:streamGenerateContent", generate)
