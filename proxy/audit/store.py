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
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from proxy.audit.backends import Backend, Postgres, SQLite
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


_STOP = object()


class AuditStore:
    """The audit log. ``target``: a SQLite file path, or a ``postgresql://`` URL."""

    def __init__(
        self,
        target: str | Path,
        on_error: Callable[[str], None] | None = None,
        writer: bool = True,
    ) -> None:
        text = str(target)
        self.is_postgres = text.startswith(("postgresql://", "postgres://"))
        self.path = None if self.is_postgres else Path(target)
        self._db: Backend = Postgres(text) if self.is_postgres else SQLite(Path(target))
        self._db.connect()
        self._lock = threading.Lock()
        self._on_error = on_error
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        if writer:
            self._thread = threading.Thread(target=self._drain, name="audit-writer", daemon=True)
            self._thread.start()

    # -- writing -----------------------------------------------------------------------------

    def submit(self, r: AuditRecord) -> None:
        """Queue a record for the writer thread; never blocks."""
        if self._thread is None:
            self.write(r)
        else:
            self._queue.put(r)

    def _drain(self) -> None:
        while True:
            batch = [self._queue.get()]
            while len(batch) < 256:  # whatever else is waiting goes in the same transaction
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            records = [r for r in batch if isinstance(r, AuditRecord)]
            if records:
                self._write_logged(records)
            for item in batch:
                if isinstance(item, _Marker):
                    item.event.set()
            if any(item is _STOP for item in batch):
                return

    def _write_logged(self, records: list[AuditRecord]) -> None:
        for attempt in range(2):
            try:
                self.write_many(records)
                return
            except Exception as e:  # never the message: a driver could quote parameters
                self._failed(e)
                if attempt == 0:
                    self._reconnect()
        if len(records) > 1:
            # One bad record must not take the rest of its batch with it.
            for r in records:
                try:
                    self.write_many([r])
                except Exception as e:
                    self._failed(e)

    def _failed(self, e: Exception) -> None:
        log.error("audit write failed", extra={"error": type(e).__name__})
        if self._on_error is not None:
            self._on_error(type(e).__name__)

    def _reconnect(self) -> None:
        with self._lock:
            with contextlib.suppress(Exception):  # a broken connection may fail to close
                self._db.close()
            try:
                self._db.connect()
            except Exception as e:
                log.error("audit reconnect failed", extra={"error": type(e).__name__})

    def write(self, r: AuditRecord) -> int:
        return self.write_many([r])[-1]

    def write_many(self, records: Sequence[AuditRecord]) -> list[int]:
        """Append records to the chain in one transaction; returns their ids."""
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
                for r in records:
                    row = {"id": int(last_id) + 1, **row_values(r)}
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
                db.rollback()
                raise
        return ids

    async def record(self, r: AuditRecord) -> None:
        await asyncio.to_thread(self.write, r)

    def flush(self, timeout: float = 10) -> None:
        """Wait until everything submitted so far is written (tests, shutdown)."""
        if self._thread is None:
            return
        done = threading.Event()
        self._queue.put(_Marker(done))
        done.wait(timeout)

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

    def close(self) -> None:
        if self._thread is not None:
            self._queue.put(_STOP)
            self._thread.join(30)
            self._thread = None
        with self._lock:
            self._db.close()


@dataclass
class _Marker:
    event: threading.Event

