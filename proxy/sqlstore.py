"""A small SQL store on SQLite (one gateway, all its workers) or PostgreSQL (replicas).

The connection handling the loop store (``proxy/loop/store.py``) and the admin sessions
(``proxy/server/admin/sessions.py``) share: the connection opens on first use and after a
failure, once per call, so a store that was down is picked up again without a restart; the
tables are created on connect (``CREATE TABLE IF NOT EXISTS``), on PostgreSQL under an advisory
lock so replicas starting together do not race; SQLite runs in WAL mode, so the workers of one
gateway read while one writes. ``now`` is the database's clock, so replicas with skewed clocks
agree on times. Methods block: call them off the event loop.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar, TypeVar

T = TypeVar("T")


class SqlStoreError(RuntimeError):
    """The store cannot be reached (the message names no content)."""


class SqlStore:
    """``target``: a SQLite file path, or a ``postgresql://`` URL."""

    SCHEMA: ClassVar[tuple[str, ...]] = ()
    SCHEMA_LOCK: ClassVar[int] = 0  # the advisory lock id taken while creating the tables
    NAME: ClassVar[str] = "store"  # in error messages
    Error: ClassVar[type[SqlStoreError]] = SqlStoreError

    def __init__(self, target: str | Path) -> None:
        text = str(target)
        self.pg = text.startswith(("postgresql://", "postgres://"))
        self.target = text if self.pg else Path(target)
        self._conn: Any = None
        self._lock = threading.Lock()
        self.now = ("EXTRACT(EPOCH FROM clock_timestamp())" if self.pg
                    else "((julianday('now') - 2440587.5) * 86400.0)")

    def _connect(self) -> Any:
        if self.pg:
            try:
                import psycopg
            except ImportError:
                raise self.Error(f"a PostgreSQL {self.NAME} needs the psycopg package") from None
            conn = psycopg.connect(str(self.target), autocommit=True, connect_timeout=10)
            try:
                with conn.transaction():
                    conn.execute(f"SELECT pg_advisory_xact_lock({self.SCHEMA_LOCK})")
                    for stmt in self.SCHEMA:
                        conn.execute(stmt)
            except BaseException:
                conn.close()
                raise
            return conn
        path = Path(self.target)
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=10)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        for stmt in self.SCHEMA:
            conn.execute(stmt)
        return conn

    def _errors(self) -> tuple[type[BaseException], ...]:
        if self.pg:
            import psycopg

            return (psycopg.Error, OSError)
        return (sqlite3.Error, OSError)

    def _call(self, fn: Callable[[Any], T]) -> T:
        """``fn(conn)`` under the lock; a failure closes the connection and tries once more on a
        fresh one (the database was restarted, say). Errors of ``fn``'s own pass through."""
        errors = self._errors()
        with self._lock:
            for attempt in (1, 2):
                try:
                    if self._conn is None:
                        self._conn = self._connect()
                    return fn(self._conn)
                except errors as e:
                    self._drop()
                    if attempt == 2:
                        raise self.Error(
                            f"the {self.NAME} failed: {type(e).__name__}") from None
        raise AssertionError("unreachable")

    def _drop(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):  # a broken connection may fail to close
                self._conn.close()
            self._conn = None

    @contextlib.contextmanager
    def _write(self, conn: Any) -> Iterator[Callable[..., Any]]:
        """One write transaction; yields ``x(sql, args)`` with ``?`` placeholders."""
        conn.execute("BEGIN ISOLATION LEVEL READ COMMITTED" if self.pg else "BEGIN IMMEDIATE")
        try:
            yield lambda sql, args=(): self._x(conn, sql, args)
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(Exception):
                conn.execute("ROLLBACK")
            raise

    def _x(self, conn: Any, sql: str, args: Sequence[Any] = ()) -> Any:
        return conn.execute(sql.replace("?", "%s") if self.pg else sql, list(args))

    def close(self) -> None:
        with self._lock:
            self._drop()
