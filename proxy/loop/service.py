"""The loop's ways in over HTTP: the ``codeveil-loop/<model>`` chat alias and ``/v1/loop/runs``.

Config (optional, top-level ``loop:`` in the gateway config)::

    loop:
      candidates: 3          # N per request (n=N where the upstream supports it)
      rounds: 2              # R debug rounds before fresh candidates
      restarts: 1
      generated_tests: 8     # CodeT tests asked from the LLM (0: none)
      retrieval: [path/to/code]      # local folders for lexical retrieval
      sandbox: {mode: bwrap, allow_limits_only: false, limits: {memory_mb: 512, wall_s: 20}}
      corrections_dir: data/loop-corrections   # default: next to the audit database

Runs live in this process's memory (a replica's runs are its own), at most ``MAX_RUNS``.

People in the loop, on a finished run of their own tenant::

    POST /v1/loop/runs/{id}/tests/{test_id}  {"approved": true|false}   re-ranks the run
    POST /v1/loop/runs/{id}/verdict          {"verdict": "right"|"wrong", "note": "..."}
    POST /v1/loop/runs/{id}/correction       {"program": "...", "note": "..."}

A correction (and a program marked right) is stored for the tenant, encrypted
(``proxy/loop/feedback.py``), and later runs of the same tenant get the closest ones as
examples in their synthesis prompts, through the veil. Every run and every review writes an
audit record: the run's metrics and the veil's finding summaries, never text.
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
from proxy.loop.feedback import Correction, CorrectionStore, as_example
from proxy.loop.llm import LLM, LLMError, RunVeil
from proxy.loop.sandbox import Sandbox, SandboxConfig, SandboxUnavailable, evaluate, language_for
from proxy.veil.engine import Blocked, Veil

if TYPE_CHECKING:
    from proxy.app import Gateway
    from proxy.audit import AuditRecord

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
            {k: v for k, v in spec.items()
             if k not in ("retrieval", "sandbox", "corrections_dir")})
        self.dirs = [(base / p).resolve() for p in (spec.get("retrieval") or [])]
        self.sandbox = Sandbox(SandboxConfig.from_dict(spec.get("sandbox")))
        self.runs: OrderedDict[str, Run] = OrderedDict()
        data = config.audit_path.parent if config.audit_path else base / "data"
        folder = (base / spec["corrections_dir"] if spec.get("corrections_dir")
                  else data / "loop-corrections")
        self.corrections = CorrectionStore(folder.resolve())

    def key(self, tenant: str) -> bytes:
        t = self.config.tenants.get(tenant)
        return t.key if t is not None and tenant != "default" else self.config.key

    def route(self, model: str) -> tuple[str, Upstream]:
        inner = model.removeprefix(PREFIX)
        upstream = self.config.route(inner)
        if not inner or upstream is None:
            raise ApiError(404, f"no upstream serves model '{inner}'", "invalid_request_error",
                           "model_not_found", "model")
        return inner, upstream

    def new_run(self, task: str, model: str, options: dict[str, Any] | None,
                tenant: str = "default") -> Run:
        if not isinstance(task, str) or not task.strip():
            raise bad_request("the loop needs a task: a non-empty string", param="task")
        if options is not None and not isinstance(options, dict):
            raise bad_request("options must be an object", param="options")
        run = Run(task, model, LoopOptions.from_dict(options, self.options), tenant=tenant)
        self.runs[run.id] = run
        while len(self.runs) > MAX_RUNS:
            self.runs.popitem(last=False)
        return run

    async def execute(self, run: Run, veil: Veil, session: aiohttp.ClientSession,
                      upstream: Upstream, inner: str,
                      headers: CIMultiDictProxy[str] | None = None) -> Run:
        """Run to the end; failures become the run's status and error, never an exception."""
        examples: list[tuple[str, str]] = []
        if run.options.corrections_k > 0:
            try:
                found = await asyncio.to_thread(self.corrections.similar, run.tenant,
                                                self.key(run.tenant), run.task_text,
                                                run.options.corrections_k)
                examples = [(c.id, as_example(c)) for c in found]
            except Exception:  # the store is an aid: a run goes on without it
                examples = []
        run_veil = RunVeil(veil, [run.task_text, *(t for _, t in examples)])
        llm = LLM(session, upstream, inner, run_veil, headers, run.options.temperature)
        run.usage = llm.usage
        try:
            await Loop(run, llm, self.sandbox, self.dirs, examples).execute()
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
        run.findings = run_veil.findings()
        if run.status == "error":
            run.emit("run.error", error=run.error)
        run.done.set()
        return run

    def store(self, run: Run, program: str, kind: str, note: str) -> str:
        lang = (run.result or {}).get("language") or "python"
        return self.corrections.add(run.tenant, self.key(run.tenant), Correction(
            run.task_text, program, kind, note, run.id, run.model, lang))


def audit_run(rec: AuditRecord, run: Run) -> None:
    """The run's metrics and the veil's finding summaries on its audit record (no text)."""
    m = dict((run.result or {}).get("metrics") or {})
    u = run.usage
    if not m and u is not None:
        m = {"llm_calls": u.calls, "llm_requests": u.requests, "prompt_tokens": u.prompt_tokens,
             "completion_tokens": u.completion_tokens}
    rec.loop_run = {"run_id": run.id, "status": run.status, "metrics": m}
    rec.findings = list(run.findings)
    rec.prompt_tokens = m.get("prompt_tokens")
    rec.completion_tokens = m.get("completion_tokens")
    rec.productivity = m.get("code_to_prompt_ratio")
    if run.status == "error" and rec.error is None:
        rec.error = _error_of(run).code


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
               veil: Veil, rec: AuditRecord | None = None) -> web.StreamResponse:
    """``model: codeveil-loop/<model>`` on /v1/chat/completions: the answer is the program."""
    assert svc is not None
    inner, upstream = svc.route(str(body.get("model")))
    tenant = rec.tenant if rec is not None else "default"
    run = svc.new_run(_task_of(body), inner, body.get("codeveil_loop"), tenant)
    assert gw.session is not None
    if rec is not None:
        rec.upstream = upstream.name
    await svc.execute(run, veil, gw.session, upstream, inner, request.headers)
    if rec is not None:
        audit_run(rec, run)
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
    """Register ``POST /v1/loop/runs``, ``GET /v1/loop/runs/{id}``, ``.../events`` and the
    review endpoints (``.../tests/{test_id}``, ``.../verdict``, ``.../correction``)."""
    svc = LoopService(gw.config)
    gw.loop = svc  # type: ignore[attr-defined]

    async def create(request: web.Request) -> web.StreamResponse:
        from proxy.app import read_json
        from proxy.audit import AuditRecord

        rec = AuditRecord(endpoint="/v1/loop/runs")
        started = time.perf_counter()
        deferred = False
        try:
            veil = gw.veils[gw.tenant(request, rec)]
            rec.policy = veil.policy.name
            body = await read_json(request)
            if not isinstance(body, dict):
                raise bad_request("the request body must be a JSON object")
            inner, upstream = svc.route(str(body.get("model") or ""))
            rec.model, rec.upstream = inner, upstream.name
            run = svc.new_run(body.get("task"), inner, body.get("options"), rec.tenant)
            assert gw.session is not None
            job = svc.execute(run, veil, gw.session, upstream, inner, request.headers)
            if body.get("stream") is True:
                rec.status, rec.stream = 200, True
                resp = await _stream(request, run, asyncio.ensure_future(job))
                audit_run(rec, run)
                return resp
            if body.get("background") is True:

                async def finish() -> None:  # the record waits for the run's metrics
                    try:
                        await job
                    finally:
                        audit_run(rec, run)
                        gw.record(rec, started)

                task = asyncio.ensure_future(finish())
                gw._tasks.add(task)
                task.add_done_callback(gw._tasks.discard)
                rec.status, deferred = 202, True
                return web.json_response(run.public(), status=202)
            await job
            rec.status = 200
            audit_run(rec, run)
            return web.json_response(run.public())
        except ApiError as e:
            rec.status, rec.error = e.status, e.code
            return e.response()
        finally:
            if rec.status is None:
                rec.status = 499
            if not deferred:
                gw.record(rec, started)

    def _own_run(request: web.Request, rec: AuditRecord) -> Run:
        """The run, if it is the caller's tenant's (another tenant's run is 'no such run')."""
        tenant = gw.tenant(request, rec)
        run = svc.runs.get(request.match_info["id"])
        if run is None or run.tenant != tenant:
            raise ApiError(404, "no such loop run", "invalid_request_error", "run_not_found")
        return run

    async def get(request: web.Request) -> web.Response:
        from proxy.audit import AuditRecord

        try:
            run = _own_run(request, AuditRecord(endpoint="/v1/loop/runs/{id}"))
        except ApiError as e:
            return e.response()
        return web.json_response(run.public())

    async def events(request: web.Request) -> web.StreamResponse:
        from proxy.audit import AuditRecord

        try:
            run = _own_run(request, AuditRecord(endpoint="/v1/loop/runs/{id}/events"))
        except ApiError as e:
            return e.response()
        return await _stream(request, run, None)

    def review(what: str, act: Any) -> Any:
        """A review endpoint: the caller's finished run, an audit record of what was done."""

        async def handle(request: web.Request) -> web.Response:
            from proxy.app import read_json
            from proxy.audit import AuditRecord

            rec = AuditRecord(endpoint=f"/v1/loop/runs/{{id}}/{what}")
            started = time.perf_counter()
            try:
                run = _own_run(request, rec)
                rec.model = run.model
                if not run.done.is_set():
                    raise ApiError(409, "the run has not finished yet", "invalid_request_error",
                                   "run_not_finished")
                body = await read_json(request)
                if not isinstance(body, dict):
                    raise bad_request("the request body must be a JSON object")
                out, label = await act(request, run, body)
                rec.status = 200
                rec.loop_run = {"run_id": run.id, "status": run.status, "feedback": label}
                if run.result:
                    rec.loop_run["metrics"] = run.result["metrics"]
                return web.json_response(out)
            except ApiError as e:
                rec.status, rec.error = e.status, e.code
                return e.response()
            finally:
                if rec.status is None:
                    rec.status = 499
                gw.record(rec, started)

        return handle

    async def test_review(request: web.Request, run: Run, body: dict[str, Any]
                          ) -> tuple[dict[str, Any], str]:
        approved = body.get("approved")
        if body.get("action") in ("approve", "reject"):
            approved = body["action"] == "approve"
        if not isinstance(approved, bool):
            raise bad_request('say {"approved": true} or {"approved": false}', param="approved")
        tid = request.match_info["test_id"]
        try:
            assert run.loop is not None
            run.loop.review(tid, approved)
        except (KeyError, AssertionError):
            raise ApiError(404, "no such generated test in this run", "invalid_request_error",
                           "test_not_found") from None
        run.feedback.setdefault("tests", {})[tid] = "approved" if approved else "rejected"
        return run.public(), f"test:{'approved' if approved else 'rejected'}"

    async def verdict(request: web.Request, run: Run, body: dict[str, Any]
                      ) -> tuple[dict[str, Any], str]:
        v, note = body.get("verdict"), body.get("note") or ""
        if v not in ("right", "wrong") or not isinstance(note, str):
            raise bad_request('verdict must be "right" or "wrong" (note: a string)',
                              param="verdict")
        run.feedback["verdict"] = v
        run.emit("verdict", verdict=v)
        if v == "right" and run.result and run.result.get("program"):
            cid = await asyncio.to_thread(svc.store, run, run.result["program"], "confirmed",
                                          note)
            run.feedback["confirmed"] = cid
        return run.public(), f"verdict:{v}"

    async def correction(request: web.Request, run: Run, body: dict[str, Any]
                         ) -> tuple[dict[str, Any], str]:
        program, note = body.get("program"), body.get("note") or ""
        if not isinstance(program, str) or not program.strip() or not isinstance(note, str):
            raise bad_request("a correction needs the corrected program: a non-empty string",
                              param="program")
        checked: dict[str, Any] | None = None
        loop = run.loop
        lang = language_for((run.result or {}).get("language") or "python")
        if loop is not None and lang is not None and loop.tests:
            try:  # how the corrected program does on the run's tests (the verdict stays human)
                ev = await evaluate(svc.sandbox, lang, program, loop.tests)
                ids = loop.required | loop.generated
                checked = {"loads": ev.load_ok, "passed": len(ev.passed(ids)), "total": len(ids)}
            except SandboxUnavailable:
                checked = None
        cid = await asyncio.to_thread(svc.store, run, program, "correction", note)
        run.feedback |= {"verdict": "wrong", "correction": cid, "correction_tests": checked}
        run.emit("correction", id=cid, tests=checked)
        return {"id": cid, "object": "loop.correction", "run_id": run.id, "stored": True,
                "encrypted": True, "tests": checked}, "correction"

    app.router.add_post("/v1/loop/runs", create)
    app.router.add_get("/v1/loop/runs/{id}", get)
    app.router.add_get("/v1/loop/runs/{id}/events", events)
    app.router.add_post("/v1/loop/runs/{id}/tests/{test_id}", review("tests", test_review))
    app.router.add_post("/v1/loop/runs/{id}/verdict", review("verdict", verdict))
    app.router.add_post("/v1/loop/runs/{id}/correction", review("correction", correction))
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
