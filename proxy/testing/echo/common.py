"""What every echo endpoint shares: the recorded requests, the model-name behaviours, chunking."""

from __future__ import annotations

import asyncio
import random
import time
from typing import Any

from aiohttp import web

RECORDED = web.AppKey("recorded", list)
CANCELLED = web.AppKey("cancelled", list)
FLAKY = web.AppKey("flaky", dict)


def record(request: web.Request, body: dict[str, Any], path: str | None = None) -> None:
    """Keep a request as the upstream saw it (``GET /_recorded`` lists them)."""
    request.app[RECORDED].append(
        {"path": path or request.path, "headers": dict(request.headers), "body": body}
    )


async def slow(request: web.Request, model: str) -> None:
    """``slow-<seconds>``: wait that long; a cancelled wait (the gateway hung up) is counted."""
    if not model.startswith("slow-"):
        return
    try:
        await asyncio.sleep(float(model.split("-", 1)[1]))
    except asyncio.CancelledError:
        request.app[CANCELLED].append(time.time())
        raise


def error_status(model: str) -> int | None:
    """The status an ``error-<status>`` model asks for, or None for any other model."""
    return int(model.split("-", 1)[1]) if model.startswith("error-") else None


def openai_error(status: int, prompt: str) -> web.Response:
    """That status, with an OpenAI-style error quoting the prompt (the gateway must not)."""
    return web.json_response(
        {"error": {"message": f"upstream refused: {prompt[:200]}", "type": "server_error",
                   "param": None, "code": f"status_{status}"}},
        status=status,
        headers={"x-request-id": "req_echo_error"},
    )


def stream_rng(request: web.Request) -> random.Random:
    """The chunking of a stream, seeded by the ``x-echo-seed`` header so runs repeat."""
    return random.Random(request.headers.get("x-echo-seed", "0"))


def chunks(text: str, rng: random.Random) -> list[str]:
    """``text`` cut into pieces of 1 to 5 characters."""
    out, i = [], 0
    while i < len(text):
        n = rng.randint(1, 5)
        out.append(text[i : i + n])
        i += n
    return out


def cancelled(request: web.Request) -> None:
    """Count a stream the client hung up on."""
    request.app[CANCELLED].append(time.time())
