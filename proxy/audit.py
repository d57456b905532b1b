"""The audit store: one record per request, what was found and done, never the values.

Records are hash-chained: each holds ``prev_hash`` and ``hash = sha256(prev_hash + canonical JSON
of its fields)``, and a one-row chain head holds the last id and hash, so an edited, deleted or
appended-by-hand record is found by :meth:`AuditStore.verify`. Appends lock the chain head
(SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: ``SELECT ... FOR UPDATE``), so several gateway replicas
writing to one PostgreSQL database keep the chain linear.

SQLite by default (``audit: {path: ...}``); PostgreSQL with ``audit: {url: postgresql://...}``.
Writes happen on one writer thread fed by a queue: the request path only enqueues.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import queue
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the engine pulls in every recognizer: too slow for `codeveil audit`
    from proxy.veil.engine import FindingSummary

log = logging.getLogger("codeveil")

GENESIS = "0" * 64

# Stored columns, in order; the chain hash covers these and the id.
COLUMNS = (
    "ts", "endpoint", "tenant", "key_id", "model", "upstream", "policy", "policy_hash",
    "status", "blocked", "stream", "findings", "bytes_in", "bytes_out", "prompt_tokens",
    "completion_tokens", "latency_ms", "productivity", "error", "loop_run",
)
# Columns added after the chain existed: in the hash only when set, so older records verify.
OPTIONAL = frozenset({"loop_run"})
_INT = {"id", "status", "blocked", "stream", "bytes_in", "bytes_out", "prompt_tokens",
        "completion_tokens"}
_FLOAT = {"ts", "latency_ms", "productivity"}

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


@dataclass
class AuditRecord:
    endpoint: str
    tenant: str = "default"
    key_id: str | None = None
    model: str | None = None
    upstream: str | None = None
    policy: str | None = None
    policy_hash: str | None = None  # sha256 of the policy's canonical JSON
    status: int | None = None
    blocked: bool = False
    stream: bool = False
    findings: list[FindingSummary] = field(default_factory=list)
    bytes_in: int = 0
    bytes_out: int = 0
    prompt_tokens: int | None = None  # from the upstream's `usage`, where it gave one
    completion_tokens: int | None = None
    latency_ms: float = 0.0
    productivity: float | None = None  # code characters in the answer / prompt characters
    error: str | None = None  # an error code, never a message that could quote the prompt
    # a loop run (/v1/loop/runs, the codeveil-loop/ alias): its id, status and metrics, never
    # its text; stored as canonical JSON
    loop_run: dict[str, Any] | None = None
    ts: float = field(default_factory=time.time)


def canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def policy_hash(policy: Any) -> str:
    """sha256 of a policy's canonical JSON (a dataclass such as proxy.policy.Policy)."""
    data = asdict(policy) if hasattr(policy, "__dataclass_fields__") else policy

    def norm(o: Any) -> Any:
        if isinstance(o, dict):
            return {str(k): norm(v) for k, v in o.items()}
        if isinstance(o, (set, frozenset)):
            return sorted(norm(v) for v in o)
        if isinstance(o, (list, tuple)):
            return [norm(v) for v in o]
        return o

    text = json.dumps(norm(data), sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def usage_of(answer: Any) -> tuple[int | None, int | None]:
    """(prompt, completion) tokens from an OpenAI or Anthropic answer's `usage`, if any."""
    usage = answer.get("usage") if isinstance(answer, dict) else None
    if not isinstance(usage, dict):
        return None, None

    def num(*names: str) -> int | None:
        for n in names:
            v = usage.get(n)
            if isinstance(v, int) and not isinstance(v, bool):
                return v
        return None

    return num("prompt_tokens", "input_tokens"), num("completion_tokens", "output_tokens")


def code_chars(text: str) -> int:
    """Characters inside markdown code fences (``` or ~~~) of a text."""
    total, inside, fence = 0, False, ""
    for line in text.splitlines(keepends=True):
        stripped = line.lstrip()
        if not inside and stripped[:3] in ("```", "~~~"):
            inside, fence = True, stripped[:3]
        elif inside and stripped.startswith(fence):
            inside = False
        elif inside:
            total += len(line)
    return total


def productivity(prompt_chars: int, answer_text: str) -> float | None:
    """Generated code length / prompt length, or None without a prompt."""
    if prompt_chars <= 0:
        return None
    return round(code_chars(answer_text) / prompt_chars, 4)


def row_values(r: AuditRecord) -> dict[str, Any]:
    """A record as stored: findings as canonical JSON text, flags as 0/1, floats rounded."""
    return {
        "ts": round(float(r.ts), 6),
        "endpoint": r.endpoint,
        "tenant": r.tenant,
        "key_id": r.key_id,
        "model": r.model,
        "upstream": r.upstream,
        "policy": r.policy,
        "policy_hash": r.policy_hash,
        "status": r.status,
        "blocked": int(bool(r.blocked)),
        "stream": int(bool(r.stream)),
        "findings": canonical([asdict(f) for f in r.findings]),
        "bytes_in": int(r.bytes_in or 0),
        "bytes_out": int(r.bytes_out or 0),
        "prompt_tokens": r.prompt_tokens,
        "completion_tokens": r.completion_tokens,
        "latency_ms": round(float(r.latency_ms), 3),
        "productivity": None if r.productivity is None else round(float(r.productivity), 4),
        "error": r.error,
        "loop_run": None if r.loop_run is None else canonical(r.loop_run),
    }


def _norm(name: str, v: Any) -> Any:
    if v is None:
        return None
    if name in _INT:
        return int(v)
    if name in _FLOAT:
        return float(v)
    return v


def chain_hash(prev_hash: str, row: dict[str, Any]) -> str:
    fields = {c: _norm(c, row.get(c)) for c in ("id", *COLUMNS)
              if c not in OPTIONAL or row.get(c) is not None}
    return hashlib.sha256((prev_hash + canonical(fields)).encode()).hexdigest()


@dataclass
class Verdict:
    ok: bool
    checked: int
    bad_id: int | None = None
    reason: str = ""
    legacy: int = 0  # records from before the chain existed (no hash), not checked
    head_hash: str = GENESIS


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


class AuditError(RuntimeError):
    """The audit store cannot be opened or read (the message names no record content)."""


class _Backend:
    pg = False

    def __init__(self, target: str | Path) -> None:
        self.target = target
        self.conn: Any = None

    def q(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.pg else sql


class _SQLite(_Backend):
    def connect(self) -> None:
        path = Path(self.target)
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=10)
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
            db.execute("ROLLBACK")
            raise
        self.conn = db

    def begin_write(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

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


class _Postgres(_Backend):
    pg = True

    def connect(self) -> None:
        try:
            import psycopg
        except ImportError:
            raise AuditError("audit.url needs the psycopg package (pip install psycopg)") from None
        try:
            conn = psycopg.connect(str(self.target), autocommit=True, connect_timeout=10)
        except psycopg.Error as e:
            raise AuditError(f"cannot connect to the audit database: {type(e).__name__}") from None
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
        self.conn = conn

    def begin_write(self) -> None:
        self.conn.execute("BEGIN")

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
        self._db: _Backend = _Postgres(text) if self.is_postgres else _SQLite(Path(target))
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
        out = {k: _norm(k, v) for k, v in row.items()}
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
                return self._verify()
            finally:
                self._db.rollback()

    def _verify(self) -> Verdict:
        head = self._db.execute("SELECT last_id, last_hash FROM audit_head").fetchone()
        head_id, head_hash = (int(head[0]), head[1]) if head else (0, GENESIS)
        prev, checked, legacy, started = GENESIS, 0, 0, False
        seen_head, after_head = False, None
        for row in self._select("SELECT * FROM requests ORDER BY id"):
            rid = int(row["id"])
            if row["hash"] is None and not started:
                legacy += 1
                continue
            started = True
            if row["prev_hash"] != prev:
                why = (
                    "does not link to the record before it: a record before it was deleted, "
                    "or the one before was edited"
                )
                return Verdict(False, checked, rid, why, legacy)
            if row["hash"] != chain_hash(row["prev_hash"], row):
                return Verdict(False, checked, rid, "its fields do not match its hash: edited",
                               legacy)
            prev = row["hash"]
            checked += 1
            if rid == head_id:
                seen_head = prev == head_hash
            elif rid > head_id and after_head is None:
                after_head = rid
        if prev != head_hash:
            if seen_head and after_head is not None:
                return Verdict(False, checked, after_head,
                               "added after the chain head, not by the gateway", legacy)
            return Verdict(
                False, checked, head_id,
                "the chain head names this record as the last one and it is missing or edited "
                "(deleted from the end of the log?)", legacy,
            )
        return Verdict(True, checked, legacy=legacy, head_hash=prev)

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

