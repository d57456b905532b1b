"""Where audit records live: SQLite (one file) or PostgreSQL (several gateway replicas).

Appends lock the chain head (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: ``SELECT ... FOR
UPDATE``), so replicas writing to one PostgreSQL database keep the chain linear.
"""

from __future__ import annotations

import abc
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from proxy.audit.chain import GENESIS
from proxy.audit.record import COLUMNS

_TYPES = {  # column -> (SQLite type, PostgreSQL type)
    "ts": ("REAL NOT NULL", "DOUBLE PRECISION NOT NULL"),
    "endpoint": ("TEXT NOT NULL", "TEXT NOT NULL"),
    "status": ("INTEGER", "INTEGER"),
    "blocked": ("INTEGER NOT NULL DEFAULT 0", "INTEGER NOT NULL DEFAULT 0"),
    "stream": ("INTEGER NOT NULL DEFAULT 0", "INTEGER NOT NULL DEFAULT 0"),
    "findings": ("TEXT NOT NULL DEFAULT '[]'", "TEXT NOT NULL DEFAULT '[]'"),
    "bytes_in": ("INTEGER", "BIGINT"),
    "bytes_out": ("INTEGER", "BIGINT"),
    "prompt_tokens": ("INTEGER", "BIGINT"),
    "completion_tokens": ("INTEGER", "BIGINT"),
    "latency_ms": ("REAL", "DOUBLE PRECISION"),
    "productivity": ("REAL", "DOUBLE PRECISION"),
}


def _schema(pg: bool) -> list[str]:
    cols = ",\n    ".join(
        f"{c} {_TYPES.get(c, ('TEXT', 'TEXT'))[pg]}" for c in (*COLUMNS, "prev_hash", "hash")
    )
    return [
        f"CREATE TABLE IF NOT EXISTS requests (\n    id {'BIGINT' if pg else 'INTEGER'} "
        f"PRIMARY KEY,\n    {cols}\n)",
        "CREATE TABLE IF NOT EXISTS audit_head (one INTEGER PRIMARY KEY CHECK (one = 1), "
        "last_id BIGINT NOT NULL, last_hash TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS requests_ts ON requests (ts)",
        "CREATE INDEX IF NOT EXISTS requests_tenant ON requests (tenant, ts)",
        *(["ALTER TABLE requests ADD COLUMN IF NOT EXISTS loop_run TEXT"] if pg else []),
    ]


class AuditError(RuntimeError):
    """The audit store cannot be opened or read (the message names no record content)."""


class Backend(abc.ABC):
    """One connection to the store; the SQL is written once, with ``?`` placeholders."""

    pg = False

    def __init__(self, target: str | Path) -> None:
        self.target = target
        self.conn: Any = None

    def q(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.pg else sql

    @abc.abstractmethod
    def connect(self, create: bool = True) -> None:
        """Open (and with ``create``, set up) the store; raise AuditError when it cannot."""

    def connected(self) -> Any:
        if self.conn is None:  # a reconnect failed: the writer retries
            raise AuditError("not connected to the audit database")
        return self.conn

    def probe(self) -> None:
        """Raise unless the store can be written to now (the writer's health check): take the
        chain head's write lock and let it go."""
        self.begin_write()
        try:
            self.head_for_update()
        finally:
            self.rollback()


class SQLite(Backend):
    def __init__(self, target: str | Path, lock_timeout_s: float = 10.0) -> None:
        super().__init__(target)
        self.lock_timeout_s = lock_timeout_s
        self.inode: tuple[int, int] | None = None

    def connect(self, create: bool = True) -> None:
        """``create``: make the directory (at start-up). A reconnect does not: a directory that
        was removed stays missing until someone puts it back, and the store stays degraded."""
        path = Path(self.target)
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
        elif not path.parent.is_dir():
            raise AuditError(f"{path.parent}: the audit directory is missing")
        db = sqlite3.connect(
            path, check_same_thread=False, isolation_level=None, timeout=self.lock_timeout_s
        )
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("BEGIN IMMEDIATE")
        try:
            for stmt in _schema(pg=False)[:2]:
                db.execute(stmt)
            have = {r[1] for r in db.execute("PRAGMA table_info(requests)")}
            for c in (*COLUMNS, "prev_hash", "hash"):  # an audit.db from before the chain
                if c not in have:
                    kind = _TYPES.get(c, ("TEXT",))[0].split()[0]
                    db.execute(f"ALTER TABLE requests ADD COLUMN {c} {kind}")
            for stmt in _schema(pg=False)[2:]:
                db.execute(stmt)
            if db.execute("SELECT 1 FROM audit_head").fetchone() is None:
                last = db.execute("SELECT COALESCE(MAX(id), 0) FROM requests").fetchone()[0]
                db.execute("INSERT INTO audit_head VALUES (1, ?, ?)", (last, GENESIS))
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            db.close()
            raise
        st = path.stat()
        self.inode = (st.st_dev, st.st_ino)
        self.conn = db

    def _same_file(self) -> None:
        """SQLite goes on writing to a file that was deleted or replaced (into nothing): refuse."""
        try:
            st = Path(self.target).stat()
        except OSError:
            raise AuditError("the audit database file is gone") from None
        if (st.st_dev, st.st_ino) != self.inode:
            raise AuditError("the audit database file was replaced")

    def begin_write(self) -> None:
        self._same_file()
        self.connected().execute("BEGIN IMMEDIATE")

    def begin_read(self) -> None:
        self.conn.execute("BEGIN")

    def commit(self) -> None:
        self.conn.execute("COMMIT")

    def rollback(self) -> None:
        if self.conn is not None and self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def head_for_update(self) -> tuple[int, str]:
        return self.conn.execute("SELECT last_id, last_hash FROM audit_head").fetchone()

    def execute(self, sql: str, args: Sequence[Any] = ()) -> Any:
        return self.conn.execute(sql, args)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


class Postgres(Backend):
    pg = True

    def connect(self, create: bool = True) -> None:
        try:
            import psycopg
        except ImportError:
            raise AuditError("audit.url needs the psycopg package (pip install psycopg)") from None
        try:
            conn = psycopg.connect(str(self.target), autocommit=True, connect_timeout=10)
        except psycopg.Error as e:
            raise AuditError(f"cannot connect to the audit database: {type(e).__name__}") from None
        try:
            self._schema(conn)
        except BaseException:
            conn.close()
            raise
        self.conn = conn

    @staticmethod
    def _schema(conn: Any) -> None:
        with conn.transaction():
            # Replicas starting together: one creates the tables, the others wait.
            conn.execute("SELECT pg_advisory_xact_lock(7263540141)")
            for stmt in _schema(pg=True):
                conn.execute(stmt)
            conn.execute(
                "INSERT INTO audit_head VALUES (1, "
                "(SELECT COALESCE(MAX(id), 0) FROM requests), %s) ON CONFLICT (one) DO NOTHING",
                (GENESIS,),
            )

    def begin_write(self) -> None:
        # READ COMMITTED whatever the server's default: a writer that waited for the head's row
        # lock then reads the head another replica just committed, and links to it. (Under
        # REPEATABLE READ it would fail with a serialization error and retry instead.)
        self.connected().execute("BEGIN ISOLATION LEVEL READ COMMITTED")

    def begin_read(self) -> None:
        self.conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")

    def commit(self) -> None:
        self.conn.execute("COMMIT")

    def rollback(self) -> None:
        if self.conn is not None and not self.conn.closed:
            self.conn.execute("ROLLBACK")

    def head_for_update(self) -> tuple[int, str]:
        return self.conn.execute(
            "SELECT last_id, last_hash FROM audit_head WHERE one = 1 FOR UPDATE"
        ).fetchone()

    def execute(self, sql: str, args: Sequence[Any] = ()) -> Any:
        return self.conn.execute(self.q(sql), list(args))

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None
