"""Where admin page sessions live, so that every worker and every replica knows the same ones.

A session is the SHA-256 digest of its random id (never the id itself: a copy of the table opens
nothing) and its expiry. With an audit store configured they live in the database the loop store
uses (``proxy/loop/store.py``): ``loop.db``, the SQLite file next to the audit database, which
every worker of one gateway opens; or the PostgreSQL database of ``audit.url``, which every
replica shares. Without an audit store they live in this process's memory (the admin page has
no records to show then anyway).

Table::

    admin_sessions(digest, expires)      expires: the database's clock, so replicas agree

Nothing is cached: every check asks the store, so a logout ends the session on every worker and
replica at once. (An admin page reads the audit store anyway; this is one indexed lookup more.)
At most ``MAX_SESSIONS`` live at once, across replicas: a login past that ends the oldest, so a
flood of logins cannot grow the table. Logins take a lock (SQLite: ``BEGIN IMMEDIATE``;
PostgreSQL: an advisory lock), so replicas logging in together keep that bound exact.
Methods block: call them off the event loop.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any, Protocol

from proxy.sqlstore import SqlStore, SqlStoreError

MAX_SESSIONS = 1000
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS admin_sessions (digest TEXT PRIMARY KEY, "
    "expires DOUBLE PRECISION NOT NULL)",
    "CREATE INDEX IF NOT EXISTS admin_sessions_expires ON admin_sessions (expires)",
)
SCHEMA_LOCK = 7263540143  # the loop store's is ...142, the audit store's ...141
LOGIN_LOCK = 7263540144  # one login at a time across replicas: the bound stays exact


class SessionStoreError(SqlStoreError):
    """The session store cannot be reached."""


class Sessions(Protocol):
    """Session digests and their expiries."""

    def add(self, digest: str, ttl_s: float) -> None: ...
    def ok(self, digest: str) -> bool: ...
    def end(self, digest: str) -> None: ...
    def close(self) -> None: ...


class SessionStore(SqlStore):
    """``target``: a SQLite file path, or a ``postgresql://`` URL."""

    SCHEMA = SCHEMA
    SCHEMA_LOCK = SCHEMA_LOCK
    NAME = "session store"
    Error = SessionStoreError

    def __init__(self, target: str | Path, max_sessions: int = MAX_SESSIONS) -> None:
        super().__init__(target)
        self.max_sessions = max_sessions

    def add(self, digest: str, ttl_s: float) -> None:
        """A new session; expired ones go, and past ``max_sessions`` the oldest."""

        def go(conn: Any) -> None:
            with self._write(conn) as x:
                if self.pg:
                    x("SELECT pg_advisory_xact_lock(?)", (LOGIN_LOCK,))
                x(f"DELETE FROM admin_sessions WHERE expires <= {self.now}")
                # A retry after a commit whose answer was lost finds its own row.
                x(f"INSERT INTO admin_sessions VALUES (?, {self.now} + ?) "
                  "ON CONFLICT (digest) DO NOTHING", (digest, float(ttl_s)))
                x("DELETE FROM admin_sessions WHERE digest NOT IN (SELECT digest FROM "
                  "admin_sessions ORDER BY expires DESC, digest LIMIT ?)", (self.max_sessions,))

        self._call(go)

    def ok(self, digest: str) -> bool:
        row = self._call(lambda conn: self._x(
            conn, f"SELECT 1 FROM admin_sessions WHERE digest = ? AND expires > {self.now}",
            (digest,)).fetchone())
        return row is not None

    def end(self, digest: str) -> None:
        self._call(lambda conn: self._x(conn, "DELETE FROM admin_sessions WHERE digest = ?",
                                        (digest,)))


class MemorySessions:
    """This process's own sessions (no audit store configured)."""

    def __init__(self, max_sessions: int = MAX_SESSIONS) -> None:
        self.max_sessions = max_sessions
        self._sessions: dict[str, float] = {}  # digest -> expiry (time.time())
        self._lock = threading.Lock()

    def add(self, digest: str, ttl_s: float) -> None:
        now = time.time()
        with self._lock:
            for d in [d for d, exp in self._sessions.items() if exp <= now]:
                del self._sessions[d]
            while len(self._sessions) >= self.max_sessions:
                del self._sessions[next(iter(self._sessions))]  # the oldest
            self._sessions[digest] = now + ttl_s

    def ok(self, digest: str) -> bool:
        with self._lock:
            expiry = self._sessions.get(digest)
        return expiry is not None and time.time() < expiry

    def end(self, digest: str) -> None:
        with self._lock:
            self._sessions.pop(digest, None)

    def close(self) -> None:
        pass
