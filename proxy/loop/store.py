"""Where loop runs, their events and people's corrections live: SQL, SQLite or PostgreSQL.

One process: a SQLite file next to the audit database (``loop.db``). Several replicas: the
PostgreSQL database of ``audit.url``, so that any replica can answer for any run. Every text
value is sealed before it gets here (``proxy/loop/sealed.py``); in the clear are only ids, the
tenant's tag, a run's status and times.

Tables::

    loop_runs(id, tenant, status, done, created, heartbeat, body)   body: the sealed run
    loop_events(run_id, seq, body)                                   body: one sealed event
    loop_corrections(id, tenant, ts, body)                           body: one sealed record

Times (``created``, ``heartbeat``) are the database's clock, so replicas with skewed clocks agree
on how long ago a run's replica last said it was alive. The connection, the tables' creation and
the transactions are :class:`proxy.sqlstore.SqlStore`'s. Methods block: call them off the event
loop.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from proxy.sqlstore import SqlStore, SqlStoreError

T = TypeVar("T")

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS loop_runs (id TEXT PRIMARY KEY, tenant TEXT NOT NULL, "
    "status TEXT NOT NULL, done INTEGER NOT NULL DEFAULT 0, created DOUBLE PRECISION NOT NULL, "
    "heartbeat DOUBLE PRECISION NOT NULL, body TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS loop_runs_created ON loop_runs (created)",
    "CREATE TABLE IF NOT EXISTS loop_events (run_id TEXT NOT NULL, seq INTEGER NOT NULL, "
    "body TEXT NOT NULL, PRIMARY KEY (run_id, seq))",
    "CREATE TABLE IF NOT EXISTS loop_corrections (id TEXT PRIMARY KEY, tenant TEXT NOT NULL, "
    "ts DOUBLE PRECISION NOT NULL, body TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS loop_corrections_tenant ON loop_corrections (tenant, ts)",
)
SCHEMA_LOCK = 7263540142  # replicas starting together: one creates the tables (audit: ...141)


class LoopStoreError(SqlStoreError):
    """The loop store cannot be reached (the message names no content)."""


@dataclass
class RunRow:
    id: str
    tenant: str  # the tenant's tag
    status: str
    done: bool
    age_s: float  # since the heartbeat, by the database's clock
    body: str
    events: list[tuple[int, str]]  # (seq, sealed event)


class LoopStore(SqlStore):
    """``target``: a SQLite file path, or a ``postgresql://`` URL."""

    SCHEMA = SCHEMA
    SCHEMA_LOCK = SCHEMA_LOCK
    NAME = "loop store"
    Error = LoopStoreError

    def __init__(self, target: str | Path, max_runs: int = 1000) -> None:
        super().__init__(target)
        self.max_runs = max_runs

    # -- runs ----------------------------------------------------------------------------------

    def insert_run(self, rid: str, tenant: str, status: str, body: str) -> None:
        """A new run; past ``max_runs`` the oldest finished runs go, with their events."""

        def go(conn: Any) -> None:
            with self._write(conn) as x:
                # A retry after a commit whose answer was lost finds its own row: nothing to do.
                x(f"INSERT INTO loop_runs VALUES (?, ?, ?, 0, {self.now}, {self.now}, ?) "
                  "ON CONFLICT (id) DO NOTHING", (rid, tenant, status, body))
                old = ("SELECT id FROM loop_runs WHERE done = 1 AND created < (SELECT created "
                       "FROM loop_runs ORDER BY created DESC LIMIT 1 OFFSET ?)")
                x(f"DELETE FROM loop_events WHERE run_id IN ({old})", (self.max_runs,))
                x(f"DELETE FROM loop_runs WHERE id IN ({old})", (self.max_runs,))

        self._call(go)

    def write(self, events: Sequence[tuple[str, int, str]],
              runs: Sequence[tuple[str, str, str | None, bool]]) -> None:
        """In one transaction: new events ``(run_id, seq, body)``, then each run's
        ``(id, status, body or None to keep it, done)`` and heartbeat."""

        def go(conn: Any) -> None:
            with self._write(conn) as x:
                for rid, seq, body in events:
                    x("INSERT INTO loop_events VALUES (?, ?, ?) ON CONFLICT (run_id, seq) "
                      "DO NOTHING", (rid, seq, body))
                for rid, status, body, done in runs:
                    if body is None:
                        x(f"UPDATE loop_runs SET status = ?, heartbeat = {self.now} "
                          "WHERE id = ?", (status, rid))
                    else:
                        x(f"UPDATE loop_runs SET status = ?, body = ?, done = ?, "
                          f"heartbeat = {self.now} WHERE id = ?", (status, body, int(done), rid))

        self._call(go)

    def beat(self, ids: Sequence[str]) -> None:
        """The runs this replica is executing are alive."""
        if ids:
            marks = ", ".join("?" * len(ids))
            self._call(lambda conn: self._x(
                conn, f"UPDATE loop_runs SET heartbeat = {self.now} WHERE id IN ({marks}) "
                "AND done = 0", ids))

    def _row(self, x: Callable[..., Any], rid: str, after: int, lock: bool) -> RunRow | None:
        row = x(f"SELECT id, tenant, status, done, {self.now} - heartbeat, body FROM loop_runs "
                f"WHERE id = ?{' FOR UPDATE' if lock and self.pg else ''}", (rid,)).fetchone()
        if row is None:
            return None
        # The run first, then its events: a run seen done has all its events committed.
        events = x("SELECT seq, body FROM loop_events WHERE run_id = ? AND seq > ? ORDER BY seq",
                   (rid, after)).fetchall()
        return RunRow(row[0], row[1], row[2], bool(row[3]), float(row[4]), row[5],
                      [(int(s), b) for s, b in events])

    def run(self, rid: str, after: int = -1) -> RunRow | None:
        """The run and its events with ``seq > after``."""
        return self._call(lambda conn: self._row(lambda s, a=(): self._x(conn, s, a), rid, after,
                                                 lock=False))

    def update(self, rid: str, fn: Callable[[RunRow], tuple[T, list[tuple[int, str]],
                                                           tuple[str, str] | None]]) -> T | None:
        """Read-modify-write one run under its row lock (another replica's review waits):
        ``fn(row)`` returns (its result, new events, (status, body) or None). None: no run."""

        def go(conn: Any) -> T | None:
            with self._write(conn) as x:
                row = self._row(x, rid, -1, lock=True)
                if row is None:
                    return None
                out, events, new = fn(row)
                for seq, body in events:
                    x("INSERT INTO loop_events VALUES (?, ?, ?)", (rid, seq, body))
                if new is not None:
                    x("UPDATE loop_runs SET status = ?, body = ? WHERE id = ?", (*new, rid))
                return out

        return self._call(go)

    # -- corrections (the ``Lines`` of proxy/loop/feedback.py) ---------------------------------

    def append(self, tag: str, rid: str, ts: float, line: str) -> None:
        def go(conn: Any) -> None:
            with self._write(conn) as x:
                x("INSERT INTO loop_corrections VALUES (?, ?, ?, ?)", (rid, tag, ts, line))

        self._call(go)

    def read(self, tag: str, limit: int) -> list[str]:
        rows = self._call(lambda conn: self._x(
            conn, "SELECT body FROM loop_corrections WHERE tenant = ? ORDER BY ts DESC, id DESC "
            "LIMIT ?", (tag, limit)).fetchall())
        return [r[0] for r in reversed(rows)]
