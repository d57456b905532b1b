"""The hash chain: each record holds ``prev_hash`` and ``hash = sha256(prev_hash + canonical JSON
of its fields)``, and a one-row chain head holds the last id and hash, so an edited, deleted or
appended-by-hand record is found by :func:`verify_rows`."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from proxy.audit.record import COLUMNS, OPTIONAL, canonical, typed

GENESIS = "0" * 64


def chain_hash(prev_hash: str, row: dict[str, Any]) -> str:
    fields = {c: typed(c, row.get(c)) for c in ("id", *COLUMNS)
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


def verify_rows(rows: Iterable[dict[str, Any]], head: tuple[int, str] | None) -> Verdict:
    """Walk stored rows in id order against the chain head; name the first that does not check
    out. Rows from before the chain existed (no hash) are counted as legacy, not checked."""
    head_id, head_hash = (int(head[0]), head[1]) if head else (0, GENESIS)
    prev, checked, legacy, started = GENESIS, 0, 0, False
    seen_head, after_head = False, None
    for row in rows:
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
