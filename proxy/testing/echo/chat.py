"""The echo upstream's OpenAI endpoints: chat completions, legacy completions, embeddings, models.

The chat answer is ``echo(messages)`` as defined in the corpus README, so a client behind a
correct gateway gets back exactly what it would get with no gateway. The model name picks a
behaviour:

- ``echo-tools``: answer with the last assistant message's ``tool_calls`` unchanged;
- ``error-<status>``: answer with that HTTP status and an OpenAI-style error quoting the prompt;
- ``slow-<seconds>``: wait, then echo (for disconnect and timeout tests);
- ``gap-<ms>``: echo, and when streaming wait that long after the first event, as a model
  does between its first tokens (``codeveil bench`` times the first byte so);
- ``flaky-<n>``: fail the first n calls with 503 and ``Retry-After: 0``, then echo;
- anything else: echo. Streams are cut into chunks of 1 to 5 characters (seeded).
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from typing import Any

from aiohttp import web

from proxy.testing.echo.common import (
    FLAKY,
    cancelled,
    chunks,
    error_status,
    openai_error,
    record,
    slow,
    stream_rng,
)


def echo(messages: list[dict[str, Any]]) -> str:
    parts = []
    for m in messages:
        if isinstance(m.get("content"), str):
            parts.append(m["content"])
        for tc in m.get("tool_calls") or []:
            parts.append(tc["function"]["name"] + " " + tc["function"]["arguments"])
    return "\n\n".join(parts)


def _last_tool_calls(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for m in reversed(messages):
        if m.get("role") == "assistant" and m.get("tool_calls"):
            return m["tool_calls"]
    return []


async def chat(request: web.Request) -> web.StreamResponse:
    body = await request.json()
    record(request, body, request.path_qs)
    model = str(body.get("model", ""))
    messages = body.get("messages") or []
    if model.startswith("flaky-"):
        # Fails the first N calls for this model with 503 and Retry-After: 0, then echoes.
        failures = request.app[FLAKY]
        failures[model] = failures.get(model, 0) + 1
        if failures[model] <= int(model.split("-", 1)[1]):
            return web.json_response(
                {
                    "error": {
                        "message": "try again",
                        "type": "server_error",
                        "param": None,
                        "code": None,
                    }
                },
                status=503,
                headers={"Retry-After": "0"},
            )
    status = error_status(model)
    if status is not None:
        return openai_error(status, echo(messages))
    await slow(request, model)
    tool_calls = _last_tool_calls(messages) if model == "echo-tools" else []
    # echo-last: an answer the size of an agent's turn, not of its whole history
    content = None if tool_calls else echo(messages[-1:] if model == "echo-last" else messages)
    base = {"id": "chatcmpl-echo", "created": int(time.time()), "model": model}
    n = int(body.get("n") or 1)
    finish = "tool_calls" if tool_calls else "stop"
    if not body.get("stream"):
        message: dict[str, Any] = {"role": "assistant", "content": content}
        if tool_calls:
            message["tool_calls"] = tool_calls
        tokens = len(content or "") // 4
        return web.json_response(
            {
                **base,
                "object": "chat.completion",
                "choices": [
                    {"index": i, "message": message, "finish_reason": finish} for i in range(n)
                ],
                "usage": {
                    "prompt_tokens": tokens,
                    "completion_tokens": 1,
                    "total_tokens": 1 + tokens,
                },
            }
        )
    rng = stream_rng(request)
    # Each choice's deltas, cut independently; with n > 1 they are interleaved.
    per_choice: list[list[tuple[dict[str, Any], str | None]]] = []
    for _ in range(n):
        deltas: list[tuple[dict[str, Any], str | None]] = [
            ({"role": "assistant", "content": ""}, None)
        ]
        for k, tc in enumerate(tool_calls):
            fn = {"name": tc["function"]["name"], "arguments": ""}
            deltas.append(
                (
                    {
                        "tool_calls": [
                            {"index": k, "id": tc.get("id"), "type": "function", "function": fn}
                        ]
                    },
                    None,
                )
            )
            deltas += [
                ({"tool_calls": [{"index": k, "function": {"arguments": piece}}]}, None)
                for piece in chunks(tc["function"]["arguments"], rng)
            ]
        deltas += [({"content": piece}, None) for piece in chunks(content or "", rng)]
        deltas.append(({}, finish))
        per_choice.append(deltas)
    gap = float(model[4:]) / 1000 if model.startswith("gap-") else 0.0
    out = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
    await out.prepare(request)
    try:
        for step in range(max(len(d) for d in per_choice)):
            for i, deltas in enumerate(per_choice):
                if step < len(deltas):
                    delta, fin = deltas[step]
                    ev = {
                        **base,
                        "object": "chat.completion.chunk",
                        "choices": [{"index": i, "delta": delta, "finish_reason": fin}],
                    }
                    await out.write(f"data: {json.dumps(ev)}\n\n".encode())
            if step == 0 and gap:
                await asyncio.sleep(gap)
        await out.write(b"data: [DONE]\n\n")
    except (ConnectionResetError, asyncio.CancelledError):
        cancelled(request)
        raise
    return out


async def completions(request: web.Request) -> web.StreamResponse:
    """Legacy completions: the prompt(s) echoed, one choice per prompt."""
    body = await request.json()
    record(request, body)
    prompts = body["prompt"] if isinstance(body["prompt"], list) else [body["prompt"]]
    base = {
        "id": "cmpl-echo",
        "object": "text_completion",
        "created": int(time.time()),
        "model": body.get("model"),
    }
    if not body.get("stream"):
        return web.json_response(
            {
                **base,
                "choices": [
                    {"index": i, "text": p, "finish_reason": "stop", "logprobs": None}
                    for i, p in enumerate(prompts)
                ],
            }
        )
    rng = stream_rng(request)
    out = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
    await out.prepare(request)
    for i, prompt in enumerate(prompts):
        for piece in [*chunks(prompt, rng), None]:
            choice = {
                "index": i,
                "text": piece or "",
                "logprobs": None,
                "finish_reason": None if piece is not None else "stop",
            }
            await out.write(f"data: {json.dumps({**base, 'choices': [choice]})}\n\n".encode())
    await out.write(b"data: [DONE]\n\n")
    return out


async def embeddings(request: web.Request) -> web.Response:
    """A small deterministic vector per input, derived from its text."""
    body = await request.json()
    record(request, body)
    inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
    data = []
    for i, text in enumerate(inputs):
        rng = random.Random(text)
        data.append(
            {
                "object": "embedding",
                "index": i,
                "embedding": [round(rng.uniform(-1, 1), 6) for _ in range(8)],
            }
        )
    return web.json_response(
        {
            "object": "list",
            "data": data,
            "model": body.get("model"),
            "usage": {"prompt_tokens": 1, "total_tokens": 1},
        }
    )


async def models(_request: web.Request) -> web.Response:
    return web.json_response(
        {
            "object": "list",
            "data": [{"id": "echo", "object": "model", "created": 0, "owned_by": "codeveil"}],
        }
    )


def add_routes(app: web.Application) -> None:
    """Register the OpenAI endpoints on the echo upstream's app."""
    app.router.add_post("/v1/chat/completions", chat)
    # Azure OpenAI's URL shape: the deployment in the path, api-version in the query.
    app.router.add_post("/openai/deployments/{deployment}/chat/completions", chat)
    app.router.add_post("/v1/completions", completions)
    app.router.add_post("/v1/embeddings", embeddings)
    app.router.add_get("/v1/models", models)
