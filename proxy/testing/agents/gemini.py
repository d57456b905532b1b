"""The Gemini API for the scripted agents' upstream: generateContent, streamed or not."""

from __future__ import annotations

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


def _get(obj: dict[str, Any], camel: str) -> Any:
    snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in camel)
    return obj.get(camel, obj.get(snake))


def parse(body: dict[str, Any]) -> Request:
    convo: list[Any] = []
    outputs: list[str] = []
    for content in body.get("contents") or []:
        for part in (content.get("parts") or []) if isinstance(content, dict) else []:
            result = _get(part, "functionResponse") if isinstance(part, dict) else None
            if isinstance(result, dict):
                outputs.append(output_text(result.get("response")))
            else:
                convo.append(part)
    config = _get(body, "generationConfig") or {}
    schema = None
    if _get(config, "responseMimeType") == "application/json":
        schema = _get(config, "responseJsonSchema") or _get(config, "responseSchema") or {}
    return Request(texts(convo), declared(body.get("tools")), outputs, schema)


def _part(turn: Turn) -> dict[str, Any]:
    if turn.tool:
        return {"functionCall": {"name": turn.tool, "args": turn.arguments, "id": turn.call_id}}
    return {"text": turn.text or ""}


def _answer(model: str, parts: list[dict[str, Any]], finish: str | None) -> dict[str, Any]:
    cand: dict[str, Any] = {"index": 0, "content": {"role": "model", "parts": parts}}
    if finish:
        cand["finishReason"] = finish
    return {
        "candidates": [cand],
        "modelVersion": model,
        "usageMetadata": {"promptTokenCount": 10, "candidatesTokenCount": 5, "totalTokenCount": 15},
    }


async def model_call(request: web.Request) -> web.StreamResponse:
    model, _, method = request.match_info["call"].partition(":")
    body = await read_json(request)
    if method == "countTokens":
        return web.json_response({"totalTokens": 10})
    turn = next_turn(parse(body))
    if method != "streamGenerateContent":
        return web.json_response(_answer(model, [_part(turn)], "STOP"))
    out = await open_sse(request)
    if turn.tool:
        await out.write(sse(_answer(model, [_part(turn)], "STOP")))
    else:
        texts_ = pieces(turn.text or "")
        for i, p in enumerate(texts_):
            await out.write(
                sse(_answer(model, [{"text": p}], "STOP" if i == len(texts_) - 1 else None))
            )
    return out


def add_routes(app: web.Application) -> None:
    for prefix in ("/v1beta", "/v1"):
        app.router.add_post(prefix + "/models/{call}", model_call)
