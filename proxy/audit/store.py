"""The audit store: appends records to the hash chain, reads and verifies them.

SQLite by default (``audit: {path: ...}``); PostgreSQL with ``audit: {url: postgresql://...}``
(see :mod:`.backends`). Writes happen on one writer thread fed by a queue: the request path only
enqueues.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from proxy.audit.backends import AuditError, Backend, Postgres, SQLite
from proxy.audit.chain import Verdict, chain_hash, verify_rows
from proxy.audit.record import COLUMNS, AuditRecord, row_values, typed

log = logging.getLogger("codeveil")


@dataclass
class Filters:
    tenant: str | None = None
    since: float | None = None
    until: float | None = None
    blocked: bool | None = None
    types: Sequence[str] = ()
    actions: Sequence[str] = ()
    endpoint: str | None = None

    def sql(self) -> tuple[str, list[Any]]:
        where, args = [], []
        if self.tenant is not None:
            where.append("tenant = ?")
            args.append(self.tenant)
        if self.since is not None:
            where.append("ts >= ?")
            args.append(self.since)
        if self.until is not None:
            where.append("ts < ?")
            args.append(self.until)
        if self.blocked is not None:
            where.append("blocked = ?")
            args.append(int(self.blocked))
        if self.endpoint is not None:
            where.append("endpoint = ?")
            args.append(self.endpoint)
        return (" WHERE " + " AND ".join(where)) if where else "", args

    def keep(self, row: dict[str, Any]) -> bool:
        fs = row["findings"]
        if self.types and not any(f.get("type") in self.types for f in fs):
            return False
        return not self.actions or any(f.get("action") in self.actions for f in fs)


@dataclass
class Health:
    """The writer's state, for /healthz and /metrics."""

    degraded: bool
    reason: str | None  # the error type of the last failure (never its message)
    since: float | None  # when the store stopped taking records (time.time())
    queued: int  # records waiting to be written
    reserved: int  # requests admitted and not yet filed


class AuditStore:
    """The audit log. ``target``: a SQLite file path, or a ``postgresql://`` URL.

    Records wait in a bounded queue for one writer thread. A write that fails (the file gone, the
    disk full, the database locked, PostgreSQL down) leaves them queued and the store *degraded*;
    the writer reconnects and retries with backoff until the store takes them. Requests are
    admitted (:meth:`admit`) before anything is forwarded: with ``on_failure="refuse"`` none is
    admitted while the store is degraded or the queue has no room for its record.
    """

    def __init__(
        self,
        target: str | Path,
        on_error: Callable[[str], None] | None = None,
        writer: bool = True,
        *,
        on_failure: str = "refuse",
        queue_max: int = 10_000,
        lock_timeout_s: float = 10.0,
        on_lost: Callable[[], None] | None = None,
    ) -> None:
        text = str(target)
        self.is_postgres = text.startswith(("postgresql://", "postgres://"))
        self.path = None if self.is_postgres else Path(target)
        self._db: Backend = (
            Postgres(text) if self.is_postgres else SQLite(Path(target), lock_timeout_s)
        )
        try:
            self._db.connect(create=True)
        except AuditError:
            raise
        except Exception as e:  # a bad path, a read-only file, not a database...
            raise AuditError(f"cannot open {text}: {_why(e)}") from None
        self.refuse = on_failure == "refuse"
        self.queue_max = queue_max
        self._lock = threading.Lock()  # the connection
        self._cv = threading.Condition()  # the queue and the health below
        self._pending: deque[tuple[AuditRecord, dict[str, Any]]] = deque()
        self._reserved = 0
        self._degraded: tuple[str, float] | None = None
        self._stopping = False
        self._busy = False  # the writer holds records taken from the queue
        self._on_error = on_error
        self._on_lost = on_lost
        self._thread: threading.Thread | None = None
        if writer:
            self._thread = threading.Thread(target=self._run, name="audit-writer", daemon=True)
            self._thread.start()

    # -- admission and health ----------------------------------------------------------------

    def admit(self) -> bool:
        """Reserve room for one request's record before it is forwarded. False (refuse mode
        only): the store is degraded or the queue is full, so the request must not go on."""
        with self._cv:
            if self.refuse and (
                self._degraded is not None
                or len(self._pending) + self._reserved >= self.queue_max
            ):
                return False
            self._reserved += 1
            return True

    def health(self) -> Health:
        with self._cv:
            d = self._degraded
            return Health(d is not None, d[0] if d else None, d[1] if d else None,
                          len(self._pending), self._reserved)

    # -- writing -----------------------------------------------------------------------------

    def submit(self, r: AuditRecord, admitted: bool = False) -> None:
        """Queue a record for the writer thread; never blocks. ``admitted``: its request was
        admitted, and its room in the queue was reserved then."""
        if self._thread is None:
            self.write(r)
            return
        try:
            row = row_values(r)
        except Exception as e:  # a value that is not JSON: it never will be
            with self._cv:
                if admitted:
                    self._reserved = max(0, self._reserved - 1)
            self._error(e)
            self._lost(r, "unstorable")
            return
        with self._cv:
            if admitted:
                self._reserved = max(0, self._reserved - 1)
            elif len(self._pending) + self._reserved >= self.queue_max:
                self._lost(r, "queue_full")  # serve mode, or a request that was never admitted
                return
            self._pending.append((r, row))
            self._cv.notify_all()

    def _run(self) -> None:
        backoff = 0.1
        while True:
            with self._cv:
                if not self._pending and not self._stopping:
                    self._cv.wait(PROBE_S)
                if self._stopping and (not self._pending or self._degraded is not None):
                    return  # close() reports what is left
                batch = list(islice(self._pending, 256))
                self._busy = bool(batch)
            done = self._write_batch(batch) if batch else int(self._probe()) - 1
            with self._cv:
                for _ in range(max(done, 0)):
                    self._pending.popleft()
                ok = done == len(batch)
                if ok and self._degraded is not None:
                    log.warning("audit store back", extra={"error": self._degraded[0]})
                    self._degraded = None
                if ok:
                    backoff = 0.1
                self._busy = False
                self._cv.notify_all()
                if not ok:
                    self._cv.wait(backoff)  # close() wakes it
                    backoff = min(backoff * 2, 5.0)

    def _probe(self) -> bool:
        try:
            with self._lock:
                self._db.probe()
            return True
        except Exception as e:
            self._fail(e)
            return False

    def _write_batch(self, batch: list[tuple[AuditRecord, dict[str, Any]]]) -> int:
        """Write the batch; returns how many records are done with: all, or 0 when the store
        did not take them (they stay queued for the retry). Every queued row is storable (text
        fields are made so by :func:`~proxy.audit.record.storable`, and a record that is not
        JSON is refused at :meth:`submit`), so a failed write is the store's."""
        try:
            self.write_rows([row for _, row in batch])
        except Exception as e:
            self._fail(e)
            return 0
        return len(batch)

    def _error(self, e: Exception) -> None:
        log.error("audit write failed", extra={"error": type(e).__name__})
        if self._on_error is not None:
            self._on_error(type(e).__name__)

    def _fail(self, e: Exception) -> None:
        """The store did not take a write: degraded until it does; reconnect for the retry."""
        self._error(e)
        with self._cv:
            if self._degraded is None:
                self._degraded = (type(e).__name__, time.time())
        self._reconnect()

    def _lost(self, r: AuditRecord, why: str) -> None:
        # Never the record's content: when and which endpoint, so an auditor can match it.
        log.error("audit record lost", extra={"error": why, "endpoint": r.endpoint,
                                              "status": r.status, "record_ts": round(r.ts, 6)})
        if self._on_lost is not None:
            self._on_lost()

    def _reconnect(self) -> None:
        with self._lock:
            with contextlib.suppress(Exception):  # a broken connection may fail to close
                self._db.close()
            try:
                self._db.connect(create=False)
            except Exception as e:
                log.error("audit reconnect failed", extra={"error": type(e).__name__})

    def write(self, r: AuditRecord) -> int:
        return self.write_many([r])[-1]

    def write_many(self, records: Sequence[AuditRecord]) -> list[int]:
        """Append records to the chain in one transaction; returns their ids."""
        return self.write_rows([row_values(r) for r in records])

    def write_rows(self, rows: Sequence[dict[str, Any]]) -> list[int]:
        cols = ("id", *COLUMNS, "prev_hash", "hash")
        insert = (
            f"INSERT INTO requests ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
        )
        ids = []
        with self._lock:
            db = self._db
            db.begin_write()
            try:
                last_id, last_hash = db.head_for_update()
                for values in rows:
                    row = {"id": int(last_id) + 1, **values}
                    h = chain_hash(last_hash, row)
                    db.execute(insert, [row[c] for c in cols[:-2]] + [last_hash, h])
                    last_id, last_hash = row["id"], h
                    ids.append(last_id)
                db.execute(
                    "UPDATE audit_head SET last_id = ?, last_hash = ? WHERE one = 1",
                    (last_id, last_hash),
                )
                db.commit()
            except BaseException:
                with contextlib.suppress(Exception):  # a broken connection cannot roll back
                    db.rollback()
                raise
        return ids

    async def record(self, r: AuditRecord) -> None:
        await asyncio.to_thread(self.write, r)

    def flush(self, timeout: float = 10) -> None:
        """Wait until everything submitted so far is written (tests, shutdown)."""
        deadline = time.monotonic() + timeout
        with self._cv:
            while (self._pending or self._busy) and self._thread is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    return
                self._cv.wait(left)

    # -- reading -----------------------------------------------------------------------------

    def _select(self, sql: str, args: Sequence[Any] = ()) -> Iterator[dict[str, Any]]:
        cur = self._db.execute(sql, args)
        names = [d[0] for d in cur.description]
        while True:
            chunk = cur.fetchmany(500)
            if not chunk:
                return
            for row in chunk:
                yield dict(zip(names, row, strict=True))

    @staticmethod
    def _decode(row: dict[str, Any]) -> dict[str, Any]:
        out = {k: typed(k, v) for k, v in row.items()}
        try:
            out["findings"] = json.loads(row["findings"] or "[]")
        except (TypeError, ValueError):
            out["findings"] = []
        out["blocked"] = bool(out.get("blocked"))
        out["stream"] = bool(out.get("stream"))
        return out

    def query(
        self, filters: Filters | None = None, newest_first: bool = False, limit: int | None = None
    ) -> list[dict[str, Any]]:
        f = filters or Filters()
        where, args = f.sql()
        order = "DESC" if newest_first else "ASC"
        out: list[dict[str, Any]] = []
        with self._lock:
            self._db.begin_read()
            try:
                for raw in self._select(f"SELECT * FROM requests{where} ORDER BY id {order}", args):
                    row = self._decode(raw)
                    if f.keep(row):
                        out.append(row)
                        if limit is not None and len(out) >= limit:
                            break
            finally:
                self._db.rollback()
        return out

    def get(self, rid: int) -> dict[str, Any] | None:
        with self._lock:
            rows = list(self._select("SELECT * FROM requests WHERE id = ?", (rid,)))
        return self._decode(rows[0]) if rows else None

    def rows(self, limit: int = 100) -> list[dict[str, Any]]:
        """The newest records, as stored (findings as JSON text)."""
        with self._lock:
            return list(self._select("SELECT * FROM requests ORDER BY id DESC LIMIT ?", (limit,)))

    def verify(self) -> Verdict:
        """Walk the chain in id order; name the first record that does not check out."""
        with self._lock:
            self._db.begin_read()
            try:
                head = self._db.execute("SELECT last_id, last_hash FROM audit_head").fetchone()
                return verify_rows(self._select("SELECT * FROM requests ORDER BY id"), head)
            finally:
                self._db.rollback()

    def close(self, timeout: float = 30) -> None:
        """Write what is queued (unless the store is down), then close. A record still queued
        is logged as lost: never silently."""
        if self._thread is not None:
            with self._cv:
                self._stopping = True
                self._cv.notify_all()
            self._thread.join(timeout)
            self._thread = None
        with self._cv:
            left, self._pending = list(self._pending), deque()
        for r, _ in left:
            self._lost(r, "store_unavailable_at_shutdown")
        with self._lock:
            self._db.close()


PROBE_S = 1.0  # an idle writer checks the store this often, so /healthz sees a failure early


def _why(e: Exception) -> str:
    """A one-line reason: OS and SQLite errors name paths, not record content."""
    if isinstance(e, OSError):
        return f"{e.strerror or type(e).__name__} ({e.filename})" if e.filename else str(e)
    if isinstance(e, sqlite3.Error):
        return str(e)
    return type(e).__name__

