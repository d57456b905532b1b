"""The audit store: one record per request, what was found and done, never the values.

SQLite, written from a worker thread so the event loop never waits on the disk.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from proxy.veil.engine import FindingSummary

_SCHEMA = """
CREATE TABLE IF NOT EXISTS requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts REAL NOT NULL,
    endpoint TEXT NOT NULL,
    tenant TEXT,
    key_id TEXT,
    model TEXT,
    upstream TEXT,
    policy TEXT,
    status INTEGER,
    blocked INTEGER NOT NULL DEFAULT 0,
    stream INTEGER NOT NULL DEFAULT 0,
    findings TEXT NOT NULL,
    bytes_in INTEGER,
    bytes_out INTEGER,
    latency_ms REAL,
    error TEXT
);
"""


@dataclass
class AuditRecord:
    endpoint: str
    tenant: str = "default"
    key_id: str | None = None
    model: str | None = None
    upstream: str | None = None
    policy: str | None = None
    status: int | None = None
    blocked: bool = False
    stream: bool = False
    findings: list[FindingSummary] = field(default_factory=list)
    bytes_in: int = 0
    bytes_out: int = 0
    latency_ms: float = 0.0
    error: str | None = None  # an error code, never a message that could quote the prompt
    ts: float = field(default_factory=time.time)


class AuditStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def write(self, r: AuditRecord) -> None:
        findings = json.dumps([asdict(f) for f in r.findings])
        with self._lock:
            self._db.execute(
                "INSERT INTO requests (ts, endpoint, tenant, key_id, model, upstream, policy, "
                "status, blocked, stream, findings, bytes_in, bytes_out, latency_ms, error) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    r.ts,
                    r.endpoint,
                    r.tenant,
                    r.key_id,
                    r.model,
                    r.upstream,
                    r.policy,
                    r.status,
                    int(r.blocked),
                    int(r.stream),
                    findings,
                    r.bytes_in,
                    r.bytes_out,
                    r.latency_ms,
                    r.error,
                ),
            )

    async def record(self, r: AuditRecord) -> None:
        await asyncio.to_thread(self.write, r)

    def rows(self, limit: int = 100) -> list[dict[str, Any]]:
        with self._lock:
            cur = self._db.execute("SELECT * FROM requests ORDER BY id DESC LIMIT ?", (limit,))
            names = [d[0] for d in cur.description]
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def close(self) -> None:
        with self._lock:
            self._db.close()
