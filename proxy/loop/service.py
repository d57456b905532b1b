"""The loop's ways in over HTTP: the ``codeveil-loop/<model>`` chat alias and ``/v1/loop/runs``.

Config (optional, top-level ``loop:`` in the gateway config)::

    loop:
      candidates: 3          # N per request (n=N where the upstream supports it)
      rounds: 2              # R debug rounds before fresh candidates
      restarts: 1
      generated_tests: 8     # CodeT tests asked from the LLM (0: none)
      retrieval: [path/to/code]      # local folders for lexical retrieval
      sandbox: {mode: bwrap, allow_limits_only: false, limits: {memory_mb: 512, wall_s: 20}}

Runs live in this process's memory (a replica's runs are its own), at most ``MAX_RUNS``.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiohttp
import yaml
from aiohttp import web
from multidict import CIMultiDictProxy

from proxy import sse
from proxy.config import Config, Upstream
from proxy.errors import ApiError, bad_request
from proxy.loop.engine import Loop, LoopOptions, Run
from proxy.loop.llm import LLM, LLMError, RunVeil
from proxy.loop.sandbox import Sandbox, SandboxConfig, SandboxUnavailable
from proxy.veil.engine import Blocked, Veil

if TYPE_CHECKING:
    from proxy.app import Gateway

PREFIX = "codeveil-loop/"
MAX_RUNS = 200


class LoopService:
    def __init__(self, config: Config) -> None:
        spec: dict[str, Any] = {}
        try:
            raw = yaml.safe_load(Path(config.source).read_text()) or {}
            spec = raw.get("loop") or {}
        except (OSError, yaml.YAMLError, AttributeError):
            spec = {}
        base = Path(config.source).parent
        self.config = config
        self.options = LoopOptions.from_dict(
            {k: v for k, v in spec.items() if k not in ("retrieval", "sandbox")})
        self.dirs = [(base / p).resolve() for p in (spec.get("retrieval") or [])]
        self.sandbox = Sandbox(SandboxConfig.from_dict(spec.get("sandbox")))
        self.runs: OrderedDict[str, Run] = OrderedDict()

    def route(self, model: str) -> tuple[str, Upstream]:
        inner = model.removeprefix(PREFIX)
        upstream = self.config.route(inner)
        if not inner or upstream is None:
            raise ApiError(404, f"no upstream serves model '{inner}'", "invalid_request_error",
                           "model_not_found", "model")
        return inner, upstream

    def new_run(self, task: str, model: str, options: dict[str, Any] | None) -> Run:
        if not isinstance(task, str) or not task.strip():
            raise bad_request("the loop needs a task: a non-empty string", param="task")
        if options is not None and not isinstance(options, dict):
            raise bad_request("options must be an object", param="options")
        run = Run(task, model, LoopOptions.from_dict(options, self.options))
        self.runs[run.id] = run
        while len(self.runs) > MAX_RUNS:
            self.runs.popitem(last=False)
        return run

    async def execute(self, run: Run, veil: Veil, session: aiohttp.ClientSession,
                      upstream: Upstream, inner: str,
                      headers: CIMultiDictProxy[str] | None = None) -> Run:
        """Run to the end; failures become the run's status and error, never an exception."""
        llm = LLM(session, upstream, inner, RunVeil(veil, [run.task_text]), headers,
                  run.options.temperature)
        try:
            await Loop(run, llm, self.sandbox, self.dirs).execute()
        except SandboxUnavailable as e:
            run.status, run.error = "error", str(e)
        except Blocked as e:
            run.status = "error"
            run.error = (f"CodeVeil's policy does not allow sending {', '.join(e.types)} to an "
                         "external model")
        except LLMError as e:
            run.status, run.error = "error", str(e)
        except ValueError as e:
            run.status, run.error = "error", str(e)
        except Exception as e:  # the veil or the sandbox failed: say so, never the text
            run.status, run.error = "error", f"the loop failed: {type(e).__name__}"
        if run.status == "error":
            run.emit("run.error", error=run.error)
        run.done.set()
        return run


def _error_of(run: Run) -> ApiError:
    err = run.error or "the loop failed"
    if "bubblewrap" in err or "prlimit" in err:
        return ApiError(503, err, "server_error", "sandbox_unavailable")
    if "policy" in err:
        return ApiError(403, err, "policy_violation", "blocked_by_policy")
    if "upstream" in err:
        return ApiError(502, err, "upstream_error", "upstream_failed")
    return ApiError(500, err, "server_error", "loop_failed")


def _task_of(body: dict[str, Any]) -> str:
    for m in reversed(body.get("messages") or []):
        if isinstance(m, dict) and m.get("role") == "user":
            content = m.get("content")
            if isinstance(content, list):
                content = "\n".join(p.get("text", "") for p in content
                                    if isinstance(p, dict) and p.get("type") == "text")
            if isinstance(content, str) and content.strip():
                return content
    raise bad_request("the loop needs a user message with the task", param="messages")


async def chat(gw: Gateway, svc: LoopService | None, request: web.Request, body: dict[str, Any],
               veil: Veil) -> web.StreamResponse:
    """``model: codeveil-loop/<model>`` on /v1/chat/completions: the answer is the program."""
    assert svc is not None
    inner, upstream = svc.route(str(body.get("model")))
    run = svc.new_run(_task_of(body), inner, body.get("codeveil_loop"))
    assert gw.session is not None
    await svc.execute(run, veil, gw.session, upstream, inner, request.headers)
    if run.status == "error" or run.result is None:
        raise _error_of(run)
    result = run.result
    m = result["metrics"]
    answer = {
        "id": "chatcmpl-" + uuid.uuid4().hex[:24], "object": "chat.completion",
        "created": int(time.time()), "model": body["model"],
        "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                     "message": {"role": "assistant", "content": result["content"]}}],
        "usage": {"prompt_tokens": m["prompt_tokens"], "completion_tokens": m["completion_tokens"],
                  "total_tokens": m["prompt_tokens"] + m["completion_tokens"]},
        "codeveil_loop": {"run_id": run.id, "status": run.status, "metrics": m},
    }
    if body.get("stream") is not True:
        return web.json_response(answer)
    out = web.StreamResponse(headers={"Content-Type": "text/event-stream",
                                      "Cache-Control": "no-cache"})
    await out.prepare(request)
    chunk = {k: answer[k] for k in ("id", "created", "model")} | {
        "object": "chat.completion.chunk"}
    await out.write(sse.encode(chunk | {"choices": [{"index": 0, "delta": {
        "role": "assistant", "content": result["content"]}, "finish_reason": None}]}))
    await out.write(sse.encode(chunk | {"choices": [{"index": 0, "delta": {},
                                                     "finish_reason": "stop"}]}))
    await out.write(sse.DONE)
    await out.write_eof()
    return out


def routes(app: web.Application, gw: Gateway) -> LoopService:
    """Register ``POST /v1/loop/runs``, ``GET /v1/loop/runs/{id}`` and ``.../events``."""
    svc = LoopService(gw.config)
    gw.loop = svc  # type: ignore[attr-defined]

    async def create(request: web.Request) -> web.StreamResponse:
        from proxy.app import read_json
        from proxy.audit import AuditRecord

        rec = AuditRecord(endpoint="/v1/loop/runs")
        started = time.perf_counter()
        try:
            veil = gw.veils[gw.tenant(request, rec)]
            body = await read_json(request)
            if not isinstance(body, dict):
                raise bad_request("the request body must be a JSON object")
            inner, upstream = svc.route(str(body.get("model") or ""))
            rec.model, rec.upstream = inner, upstream.name
            run = svc.new_run(body.get("task"), inner, body.get("options"))
            assert gw.session is not None
            job = svc.execute(run, veil, gw.session, upstream, inner, request.headers)
            if body.get("stream") is True:
                rec.status = 200
                return await _stream(request, run, asyncio.ensure_future(job))
            if body.get("background") is True:
                task = asyncio.ensure_future(job)
                gw._tasks.add(task)
                task.add_done_callback(gw._tasks.discard)
                rec.status = 202
                return web.json_response(run.public(), status=202)
            await job
            rec.status = 200
            return web.json_response(run.public())
        except ApiError as e:
            rec.status, rec.error = e.status, e.code
            return e.response()
        finally:
            if rec.status is None:
                rec.status = 499
            gw.record(rec, started)

    async def get(request: web.Request) -> web.Response:
        run = svc.runs.get(request.match_info["id"])
        if run is None:
            return ApiError(404, "no such loop run", "invalid_request_error",
                            "run_not_found").response()
        return web.json_response(run.public())

    async def events(request: web.Request) -> web.StreamResponse:
        run = svc.runs.get(request.match_info["id"])
        if run is None:
            return ApiError(404, "no such loop run", "invalid_request_error",
                            "run_not_found").response()
        return await _stream(request, run, None)

    app.router.add_post("/v1/loop/runs", create)
    app.router.add_get("/v1/loop/runs/{id}", get)
    app.router.add_get("/v1/loop/runs/{id}/events", events)
    return svc


async def _stream(request: web.Request, run: Run, job: asyncio.Future | None
                  ) -> web.StreamResponse:
    """Progress events as SSE (replayed from the start), then the whole run, then [DONE]."""
    queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    for ev in run.events:
        queue.put_nowait(ev)
    run.listeners.append(queue.put_nowait)
    out = web.StreamResponse(headers={"Content-Type": "text/event-stream",
                                      "Cache-Control": "no-cache"})
    await out.prepare(request)
    try:
        while True:
            if run.done.is_set() and queue.empty():
                break
            getter = asyncio.ensure_future(queue.get())
            waiter = asyncio.ensure_future(run.done.wait())
            await asyncio.wait({getter, waiter}, return_when=asyncio.FIRST_COMPLETED)
            waiter.cancel()
            if getter.done():
                await out.write(sse.encode(getter.result(), "progress"))
            else:
                getter.cancel()
        await out.write(sse.encode(run.public(), "run"))
        await out.write(sse.DONE)
        await out.write_eof()
    finally:
        run.listeners.remove(queue.put_nowait)
        if job is not None:
            await job
    return out


def is_alias(fmt: Any, body: Any) -> bool:
    """A chat request for ``codeveil-loop/<model>``: the loop answers it."""
    return (getattr(fmt, "path", None) == "/v1/chat/completions" and isinstance(body, dict)
            and str(body.get("model", "")).startswith(PREFIX))
