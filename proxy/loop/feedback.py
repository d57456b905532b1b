"""People in the loop: corrected programs, kept per tenant, encrypted at rest.

A correction (or a program a person marked right) holds the team's real code and task, so it is
never written in plaintext. Each record is one JSON line ``{"v": 1, "id", "nonce", "ct"}``: the
whole record (task, program, note, run, model, language, time) sealed with AES-256-GCM under a key
derived by HKDF-SHA256 from the tenant's surrogate key (``info`` names the purpose and the tenant),
with the tenant and record id as associated data. Only the gateway, which holds the surrogate key,
can read them; a record copied into another tenant's file does not open.

Why encrypted and not only anonymized: retrieval must compare the plaintext task with a new
task, and a stored dummy form is only as private as the key that maps it back anyway. Prompts
built from corrections still go through the veil like every other prompt.

Where: one process, ``<dir>/<sha256(tenant)[:24]>.jsonl`` (the tenant name is not in the file
name); several replicas on PostgreSQL, one row a record in the loop store
(``proxy/loop/store.py``), the same sealed line.
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Protocol

from proxy.loop import retrieval
from proxy.loop.sealed import InvalidTag, Sealer, tenant_tag

MAX_RECORDS = 2000  # per tenant: the oldest are read past, never more than this many


@dataclass
class Correction:
    task: str
    program: str
    kind: str = "correction"  # correction | confirmed (a program a person marked right)
    note: str = ""
    run_id: str = ""
    model: str = ""
    language: str = "python"
    id: str = field(default_factory=lambda: "corr_" + uuid.uuid4().hex[:16])
    ts: float = field(default_factory=time.time)


class Lines(Protocol):
    """Where sealed records live: files (one process) or the loop store (several replicas)."""

    def append(self, tag: str, rid: str, ts: float, line: str) -> None: ...

    def read(self, tag: str, limit: int) -> list[str]:
        """The tenant's newest ``limit`` lines, oldest first."""
        ...


class FileLines:
    """One JSON-lines file per tenant, named by the tenant's tag."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.Lock()

    def path(self, tag: str) -> Path:
        return self.folder / (tag + ".jsonl")

    def append(self, tag: str, rid: str, ts: float, line: str) -> None:
        with self._lock:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path(tag), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            with os.fdopen(fd, "a", encoding="utf-8") as f:
                f.write(line + "\n")

    def read(self, tag: str, limit: int) -> list[str]:
        try:
            return self.path(tag).read_text(encoding="utf-8").splitlines()[-limit:]
        except (OSError, UnicodeDecodeError):
            return []


class CorrectionStore:
    def __init__(self, lines: Lines) -> None:
        self.lines = lines

    @staticmethod
    def _sealer(tenant: str, key: bytes) -> Sealer:
        return Sealer(key, tenant, "loop-corrections")

    def add(self, tenant: str, key: bytes, c: Correction) -> str:
        line = json.dumps({"v": 1, "id": c.id, **self._sealer(tenant, key).seal(asdict(c), c.id)})
        self.lines.append(tenant_tag(tenant), c.id, c.ts, line)
        return c.id

    def load(self, tenant: str, key: bytes) -> list[Correction]:
        lines = self.lines.read(tenant_tag(tenant), MAX_RECORDS)
        sealer = self._sealer(tenant, key)
        out = []
        for line in lines:
            try:
                rec = json.loads(line)
                out.append(Correction(**sealer.open(rec, rec["id"])))
            except (ValueError, KeyError, TypeError, InvalidTag):
                continue  # not ours, damaged, or from another tenant: skipped
        return out

    def similar(self, tenant: str, key: bytes, task: str, k: int = 2,
                min_overlap: float = 0.3) -> list[Correction]:
        """The k stored corrections whose task is lexically closest to this one (BM25), among
        those sharing at least ``min_overlap`` of this task's distinct words."""
        items = self.load(tenant, key)
        q = set(retrieval.tokens(task))
        if not items or k <= 0 or not q:
            return []
        by_id = {c.id: c for c in items
                 if len(q & set(retrieval.tokens(c.task))) >= min_overlap * len(q)}
        hits = retrieval.rank([(i, c.task) for i, c in by_id.items()], task, k)
        return [by_id[i] for i, _ in hits]


def as_example(c: Correction, max_chars: int = 2500) -> str:
    task = c.task.strip()
    task = task if len(task) <= 600 else task[:600] + " ..."
    label = ("A program a reviewer corrected" if c.kind == "correction"
             else "A program a reviewer confirmed")
    note = f"\nReviewer's note: {c.note.strip()}" if c.note.strip() else ""
    program = c.program.strip()[:max_chars]
    return (f"{label} for a similar earlier task (an example, not this task):\n"
            f"Earlier task: {task}{note}\n```{c.language}\n{program}\n```")
