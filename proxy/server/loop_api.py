"""The loop over HTTP: the ``codeveil-loop/<model>`` chat alias and ``/v1/loop/runs``.

The loop itself is ``proxy/loop/``; here are only its routes. Every run and every review files
an audit record through the routine: the run's metrics and the veil's finding summaries, never
text. See ``proxy/loop/service.py`` for the config and the review endpoints' bodies.

A run executes on the replica that got the request that started it; every other route reads the
run from the loop store (``proxy/loop/runs.py``), so it may land on any replica.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from proxy.audit import AuditRecord
from proxy.loop.engine import Loop, Run
from proxy.loop.runs import POLL_S
from proxy.loop.sandbox import SandboxUnavailable, evaluate, language_for
from proxy.loop.service import PREFIX, LoopService
from proxy.server.exchange import Endpoint, Handler
from proxy.server.keys import BACKGROUND, EXCHANGE, LOOP
from proxy.server.routine import add_route, file_record, read_object
from proxy.veil.engine import Veil
from proxy.wire import sse
from proxy.wire.base import WireFormat
from proxy.wire.errors import ApiError, bad_request


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


async def loop_chat(request: web.Request, svc: LoopService, body: dict[str, Any], veil: Veil,
                    rec: AuditRecord) -> web.StreamResponse:
    """``model: codeveil-loop/<model>`` on /v1/chat/completions: the answer is the program."""
    inner, upstream = svc.route(str(body.get("model")))
    run = await svc.new_run(_task_of(body), inner, body.get("codeveil_loop"), rec.tenant)
    rec.upstream = upstream.name
    await svc.execute(run, veil, upstream, inner, request.headers)
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


def add_routes(app: web.Application) -> None:
    """``POST /v1/loop/runs``, ``GET /v1/loop/runs/{id}``, ``.../events`` and the review
    endpoints (``.../tests/{test_id}``, ``.../verdict``, ``.../correction``)."""
    runs = "/v1/loop/runs"
    add_route(app, "POST", runs, create, Endpoint(runs))
    add_route(app, "GET", runs + "/{id}", get, Endpoint(runs + "/{id}", audited=False))
    add_route(app, "GET", runs + "/{id}/events", events,
              Endpoint(runs + "/{id}/events", audited=False))
    for what, act in (("tests", review_test), ("verdict", verdict), ("correction", correction)):
        path = runs + "/{id}/" + (what + "/{test_id}" if what == "tests" else what)
        add_route(app, "POST", path, review(act), Endpoint(f"{runs}/{{id}}/{what}"))


async def create(request: web.Request) -> web.StreamResponse:
    svc = request.app[LOOP]
    ex = request[EXCHANGE]
    rec = ex.record
    assert ex.veil is not None
    body = await read_object(request)
    inner, upstream = svc.route(str(body.get("model") or ""))
    rec.model, rec.upstream = inner, upstream.name
    run = await svc.new_run(body.get("task"), inner, body.get("options"), rec.tenant)
    job = svc.execute(run, ex.veil, upstream, inner, request.headers)
    if body.get("stream") is True:
        rec.status, rec.stream = 200, True
        resp = await _stream(request, run, asyncio.ensure_future(job))
        audit_run(rec, run)
        return resp
    if body.get("background") is True:
        app = request.app

        async def finish() -> None:  # the record waits for the run's metrics
            try:
                await job
            finally:
                audit_run(rec, run)
                file_record(app, ex)

        task = asyncio.ensure_future(finish())
        app[BACKGROUND].add(task)
        task.add_done_callback(app[BACKGROUND].discard)
        rec.status = 202
        ex.defer()
        return web.json_response(run.public(), status=202)
    await job
    rec.status = 200
    audit_run(rec, run)
    return web.json_response(run.public())


def _no_run() -> ApiError:
    return ApiError(404, "no such loop run", "invalid_request_error", "run_not_found")


async def _own_run(request: web.Request, after: int = -1) -> Run:
    """The run from the store, if it is the caller's tenant's (another tenant's run is 'no such
    run'), with its events after ``after``."""
    run = await request.app[LOOP].runs.load(request.match_info["id"],
                                             request[EXCHANGE].tenant, after)
    if run is None:
        raise _no_run()
    return run


async def get(request: web.Request) -> web.Response:
    return web.json_response((await _own_run(request)).public())


async def events(request: web.Request) -> web.StreamResponse:
    """The run's events as SSE, from the store: those so far, then new ones as the replica
    that executes the run writes them (polled), then the whole run and [DONE]."""
    run = first = await _own_run(request)
    out = web.StreamResponse(headers={"Content-Type": "text/event-stream",
                                      "Cache-Control": "no-cache"})
    await out.prepare(request)
    seen = -1
    while True:
        for ev in run.events:
            await out.write(sse.encode(ev, "progress"))
            seen = ev["seq"]
        if run.done.is_set():
            break
        await asyncio.sleep(POLL_S)
        newer = await request.app[LOOP].runs.load(run.id, run.tenant, seen)
        if newer is None:  # gone from the store (the oldest runs make room)
            break
        run = newer
    whole = first if run is first else await request.app[LOOP].runs.load(run.id, run.tenant)
    if whole is not None:
        await out.write(sse.encode(whole.public(), "run"))
    await out.write(sse.DONE)
    await out.write_eof()
    return out


Review = Callable[[web.Request, Run, dict[str, Any]],
                  Awaitable[tuple[dict[str, Any], str, Run]]]


def review(act: Review) -> Handler:
    """A review endpoint: the caller's finished run, an audit record of what was done. The act
    changes the run through the store, under the run's row lock, so replicas do not clash."""

    async def handle(request: web.Request) -> web.Response:
        rec = request[EXCHANGE].record
        run = await _own_run(request)
        rec.model = run.model
        if not run.done.is_set():
            raise ApiError(409, "the run has not finished yet", "invalid_request_error",
                           "run_not_finished")
        body = await read_object(request)
        out, label, run = await act(request, run, body)
        rec.status = 200
        rec.loop_run = {"run_id": run.id, "status": run.status, "feedback": label}
        if run.result:
            rec.loop_run["metrics"] = run.result["metrics"]
        return web.json_response(out)

    return handle


async def _change(request: web.Request, run: Run, fn: Callable[[Run], dict[str, Any]]
                  ) -> tuple[dict[str, Any], Run]:
    done = await request.app[LOOP].runs.update(run.id, run.tenant, fn)
    if done is None:
        raise _no_run()
    return done


async def review_test(request: web.Request, run: Run, body: dict[str, Any]
                      ) -> tuple[dict[str, Any], str, Run]:
    approved = body.get("approved")
    if body.get("action") in ("approve", "reject"):
        approved = body["action"] == "approve"
    if not isinstance(approved, bool):
        raise bad_request('say {"approved": true} or {"approved": false}', param="approved")
    tid = request.match_info["test_id"]

    def rerank(r: Run) -> dict[str, Any]:
        try:
            loop = Loop.restore(r)
            loop.review(tid, approved)
        except KeyError:
            raise ApiError(404, "no such generated test in this run", "invalid_request_error",
                           "test_not_found") from None
        r.state = loop.state()
        r.feedback.setdefault("tests", {})[tid] = "approved" if approved else "rejected"
        return r.public()

    out, run = await _change(request, run, rerank)
    return out, f"test:{'approved' if approved else 'rejected'}", run


async def verdict(request: web.Request, run: Run, body: dict[str, Any]
                  ) -> tuple[dict[str, Any], str, Run]:
    v, note = body.get("verdict"), body.get("note") or ""
    if v not in ("right", "wrong") or not isinstance(note, str):
        raise bad_request('verdict must be "right" or "wrong" (note: a string)',
                          param="verdict")
    cid = None
    if v == "right" and run.result and run.result.get("program"):
        cid = await asyncio.to_thread(request.app[LOOP].keep_correction, run,
                                      run.result["program"], "confirmed", note)

    def mark(r: Run) -> dict[str, Any]:
        r.feedback["verdict"] = v
        r.emit("verdict", verdict=v)
        if cid is not None:
            r.feedback["confirmed"] = cid
        return r.public()

    out, run = await _change(request, run, mark)
    return out, f"verdict:{v}", run


async def correction(request: web.Request, run: Run, body: dict[str, Any]
                     ) -> tuple[dict[str, Any], str, Run]:
    program, note = body.get("program"), body.get("note") or ""
    if not isinstance(program, str) or not program.strip() or not isinstance(note, str):
        raise bad_request("a correction needs the corrected program: a non-empty string",
                          param="program")
    checked: dict[str, Any] | None = None
    loop = Loop.restore(run) if run.state is not None else None
    lang = language_for((run.result or {}).get("language") or "python")
    if loop is not None and lang is not None and loop.tests:
        try:  # how the corrected program does on the run's tests (the verdict stays human)
            ev = await evaluate(request.app[LOOP].sandbox, lang, program, loop.tests)
            ids = loop.required | loop.generated
            checked = {"loads": ev.load_ok, "passed": len(ev.passed(ids)), "total": len(ids)}
        except SandboxUnavailable:
            checked = None
    cid = await asyncio.to_thread(request.app[LOOP].keep_correction, run, program,
                                  "correction", note)

    def note_it(r: Run) -> dict[str, Any]:
        r.feedback |= {"verdict": "wrong", "correction": cid, "correction_tests": checked}
        r.emit("correction", id=cid, tests=checked)
        return {"id": cid, "object": "loop.correction", "run_id": r.id, "stored": True,
                "encrypted": True, "tests": checked}

    out, run = await _change(request, run, note_it)
    return out, "correction", run


async def _stream(request: web.Request, run: Run, job: asyncio.Future[Run]
                  ) -> web.StreamResponse:
    """The run this request executes: its progress events as SSE, straight from memory, then the
    whole run, then [DONE]."""
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
        await job
    return out


def is_alias(fmt: WireFormat, body: Any) -> bool:
    """A chat request for ``codeveil-loop/<model>``: the loop answers it."""
    return (fmt.path == "/v1/chat/completions" and isinstance(body, dict)
            and str(body.get("model", "")).startswith(PREFIX))
