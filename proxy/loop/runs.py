"""Loop runs in the loop store, so any replica answers for any run.

The replica that executes a run keeps the running task and its :class:`Run` in memory, and writes
the run, each event as it comes and the finished run (with the loop's ranking state) to the
store. Everything a client can ask about is read back from the store: the run and its trace, its
events as they come (a replica that does not execute the run polls for new ones), and people's
reviews, which read, change and write the run under its row lock. A run whose replica stopped
saying it is alive (a heartbeat every few seconds) for ``LOST_AFTER_S`` is reported as an error.

All text is sealed with the tenant's key (``proxy/loop/sealed.py``): the task, the options, the
result, the feedback, the ranking state (programs, tests, their outputs) and every event.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from proxy.loop.engine import LoopOptions, Run
from proxy.loop.sealed import InvalidTag, Sealer, tenant_tag
from proxy.loop.store import LoopStore, LoopStoreError, RunRow
from proxy.wire.errors import ApiError

T = TypeVar("T")
log = logging.getLogger("codeveil")

HEARTBEAT_S = 5.0  # how often the executing replica says its runs are alive
LOST_AFTER_S = 60.0  # no heartbeat for this long: the replica is gone, and so is the run
POLL_S = 0.2  # how often a follower looks for new events
RETRY_S = 30.0  # how long a write is retried while the store is down, before it is dropped
LOST = "the gateway that ran this run stopped before it finished"


def unavailable() -> ApiError:
    return ApiError(503, "the loop's run store is unavailable", "server_error",
                    "loop_store_unavailable")


@dataclass
class _Write:
    run: Run
    event: dict[str, Any] | None  # an event, or None: the finished run
    status: str
    done: asyncio.Future[None] | None = field(default=None)


class RunBook:
    """The runs of every replica, through ``store``; ``key_of(tenant)``: its surrogate key."""

    def __init__(self, store: LoopStore, key_of: Callable[[str], bytes]) -> None:
        self.store = store
        self.key_of = key_of
        self.mine: dict[str, Run] = {}  # runs this replica is executing
        self._sealers: dict[tuple[str, bytes], Sealer] = {}
        self._queue: asyncio.Queue[_Write | None] | None = None
        self._writer: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._beat = 0.0

    def _sealer(self, tenant: str) -> Sealer:
        key = self.key_of(tenant)
        s = self._sealers.get((tenant, key))
        if s is None:
            s = self._sealers[(tenant, key)] = Sealer(key, tenant, "loop-runs")
        return s

    @staticmethod
    def _body(run: Run) -> dict[str, Any]:
        return {"task": run.task_text, "model": run.model, "options": vars(run.options),
                "error": run.error, "result": run.result, "feedback": run.feedback,
                "state": run.state}

    # -- the executing replica -----------------------------------------------------------------

    async def add(self, run: Run) -> None:
        """Store a new run before anyone is told its id; then its events follow it there."""
        body = self._sealer(run.tenant).seal_text(self._body(run), f"{run.id}:run")
        try:
            await asyncio.to_thread(self.store.insert_run, run.id, tenant_tag(run.tenant),
                                    run.status, body)
        except LoopStoreError:
            raise unavailable() from None
        self._start()
        self.mine[run.id] = run
        run.listeners.append(lambda ev: self._put(_Write(run, ev, run.status)))

    async def finish(self, run: Run) -> None:
        """The finished run, after its events; returns once the store has it (or gave up)."""
        self._start()
        done = asyncio.get_running_loop().create_future()
        self._put(_Write(run, None, run.status, done))
        try:
            await done
        finally:
            self.mine.pop(run.id, None)

    def _start(self) -> None:
        if self._queue is None:
            self._loop = asyncio.get_running_loop()
            self._queue = asyncio.Queue()
            self._writer = self._loop.create_task(self._write_loop())

    def _put(self, w: _Write | None) -> None:
        assert self._loop is not None and self._queue is not None
        try:
            here = asyncio.get_running_loop()
        except RuntimeError:
            here = None
        if here is self._loop:
            self._queue.put_nowait(w)
        else:  # an event emitted in a worker thread: queued in order, by the event loop
            self._loop.call_soon_threadsafe(self._queue.put_nowait, w)

    async def _write_loop(self) -> None:
        assert self._queue is not None
        q, stopping = self._queue, False
        while not stopping:
            try:
                batch = [await asyncio.wait_for(q.get(), HEARTBEAT_S)]
            except TimeoutError:  # nothing to write: time for the heartbeat
                batch = []
            while not q.empty():
                batch.append(q.get_nowait())
            stopping = None in batch
            writes = [w for w in batch if w is not None]
            if writes:
                await self._flush(writes)
            if time.monotonic() - self._beat >= HEARTBEAT_S:
                self._beat = time.monotonic()
                alive = [rid for rid, r in self.mine.items() if not r.done.is_set()]
                if alive:
                    with contextlib.suppress(LoopStoreError):
                        await asyncio.to_thread(self.store.beat, alive)

    async def _flush(self, writes: list[_Write]) -> None:
        """One transaction for the batch, retried with backoff while the store is down."""
        deadline, backoff = time.monotonic() + RETRY_S, 0.1
        while True:
            try:
                await asyncio.to_thread(self._apply, writes)
                break
            except LoopStoreError as e:
                if time.monotonic() >= deadline:
                    log.error("loop store write failed", extra={"error": str(e)})
                    break
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
            except Exception as e:  # a value that cannot be stored: it never will be
                log.error("loop store write failed", extra={"error": type(e).__name__})
                break
        for w in writes:
            if w.done is not None and not w.done.done():
                w.done.set_result(None)

    def _apply(self, writes: list[_Write]) -> None:
        events: list[tuple[str, int, str]] = []
        runs: dict[str, tuple[str, str, str | None, bool]] = {}
        for w in writes:
            rid, sealer = w.run.id, self._sealer(w.run.tenant)
            if w.event is not None:
                seq = w.event["seq"]
                events.append((rid, seq, sealer.seal_text(w.event, f"{rid}:{seq}")))
                if rid not in runs or runs[rid][2] is None:
                    runs[rid] = (rid, w.status, None, False)
            else:
                runs[rid] = (rid, w.status, sealer.seal_text(self._body(w.run), f"{rid}:run"),
                             True)
        self.store.write(events, list(runs.values()))

    async def close(self) -> None:
        """Write what is queued, then stop the writer."""
        if self._writer is not None:
            self._put(None)
            await self._writer
            self._writer, self._queue, self._loop = None, None, None

    # -- any replica ---------------------------------------------------------------------------

    def _open(self, row: RunRow, tenant: str) -> Run:
        """The stored run (with the events in ``row``); ApiError 500 if it does not open."""
        s = self._sealer(tenant)
        try:
            b = s.open_text(row.body, f"{row.id}:run")
            run = Run(b["task"], b["model"], LoopOptions.from_dict(b["options"]), id=row.id,
                      status=row.status, result=b["result"], error=b["error"], tenant=tenant,
                      feedback=b["feedback"], state=b["state"])
            run.events = [s.open_text(body, f"{row.id}:{seq}") for seq, body in row.events]
        except (InvalidTag, ValueError, KeyError, TypeError):
            raise ApiError(500, "the stored loop run does not open with this gateway's key",
                           "server_error", "run_unreadable") from None
        if row.done:
            run.done.set()
        elif row.age_s > LOST_AFTER_S:
            run.status, run.error = "error", LOST
            run.done.set()
        return run

    def _read(self, rid: str, tenant: str, after: int) -> Run | None:
        row = self.store.run(rid, after)
        if row is None or row.tenant != tenant_tag(tenant):
            return None  # another tenant's run is no run at all
        return self._open(row, tenant)

    async def load(self, rid: str, tenant: str, after: int = -1) -> Run | None:
        """The tenant's run, with its events after ``after`` (all by default)."""
        try:
            return await asyncio.to_thread(self._read, rid, tenant, after)
        except LoopStoreError:
            raise unavailable() from None

    async def update(self, rid: str, tenant: str, fn: Callable[[Run], T]) -> tuple[T, Run] | None:
        """``fn`` changes the tenant's run (its feedback, status, result, state; new events by
        ``run.emit``) under the run's row lock, and the change is stored; None: no such run."""
        tag = tenant_tag(tenant)

        def change(row: RunRow) -> tuple[tuple[T, Run] | None, list[tuple[int, str]],
                                          tuple[str, str] | None]:
            if row.tenant != tag:
                return None, [], None
            run = self._open(row, tenant)
            before = len(run.events)
            out = fn(run)
            s = self._sealer(tenant)
            events = [(ev["seq"], s.seal_text(ev, f"{rid}:{ev['seq']}"))
                      for ev in run.events[before:]]
            return (out, run), events, (run.status, s.seal_text(self._body(run), f"{rid}:run"))

        try:
            return await asyncio.to_thread(self.store.update, rid, change) or None
        except LoopStoreError:
            raise unavailable() from None

