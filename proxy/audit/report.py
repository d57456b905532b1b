"""Summaries of audit records for people: times, finding counts, statistics, export rows.

``codeveil audit`` and the admin page show the same figures, computed here.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from proxy.audit.record import COLUMNS

_REL = re.compile(r"^(\d+(?:\.\d+)?)([smhdw])$")
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_time(text: str) -> float:
    """An ISO 8601 date or time (UTC when it names no zone), a Unix time, or an age: 30m, 2h, 7d."""
    m = _REL.match(text.strip())
    if m:
        return time.time() - float(m.group(1)) * _UNIT[m.group(2)]
    try:
        return float(text)
    except ValueError:
        pass
    try:
        dt = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a time: use 2025-01-31, 2025-01-31T12:00, 1700000000 or 2h/7d"
        ) from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.timestamp()


def yes_no(text: str) -> bool:
    v = text.lower()
    if v in ("yes", "true", "1", "y"):
        return True
    if v in ("no", "false", "0", "n"):
        return False
    raise argparse.ArgumentTypeError("use yes or no")


def iso(ts: float | None) -> str:
    """A Unix time as ISO 8601 UTC with milliseconds, ``Z``-suffixed ("" for None)."""
    if ts is None:
        return ""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def findings_brief(findings: list[dict[str, Any]]) -> str:
    """``EMAIL×2 PERSON×1``: the values found per type, ``-`` for none."""
    counts: Counter[str] = Counter()
    for f in findings:
        counts[f.get("type", "?")] += int(f.get("count") or 0)
    return " ".join(f"{t}×{n}" for t, n in sorted(counts.items())) or "-"


def plain(row: dict[str, Any]) -> dict[str, Any]:
    """A record for export: every stored field, the time also as ISO 8601."""
    return {"id": row["id"], "time": iso(row["ts"]), **{c: row.get(c) for c in COLUMNS},
            "prev_hash": row.get("prev_hash"), "hash": row.get("hash")}


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def compute_stats(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Totals, counts per tenant, endpoint, status, finding type and action, latency."""
    lat = [r["latency_ms"] for r in rows if r["latency_ms"] is not None]
    prod = [r["productivity"] for r in rows if r.get("productivity") is not None]
    by_type: Counter[str] = Counter()
    req_by_type: Counter[str] = Counter()
    by_action: Counter[str] = Counter()
    late: Counter[str] = Counter()
    for r in rows:
        # A late finding (a value an earlier message had sent in clear) is the same value as
        # the finding beside it: counted apart, not twice per type.
        found = [f for f in r["findings"] if f.get("action") != "late"]
        for t in {f.get("type") for f in found}:
            req_by_type[t] += 1
        for f in found:
            by_type[f.get("type")] += int(f.get("count") or 0)
            by_action[f.get("action")] += int(f.get("count") or 0)
        for f in r["findings"]:
            if f.get("action") == "late":
                late[f.get("type")] += 1

    def tokens(name: str) -> int | None:
        vals = [r[name] for r in rows if r.get(name) is not None]
        return sum(vals) if vals else None

    return {
        "requests": len(rows),
        "blocked": sum(1 for r in rows if r["blocked"]),
        "errors": sum(1 for r in rows if (r["status"] or 0) >= 400),
        "first": iso(min((r["ts"] for r in rows), default=None)),
        "last": iso(max((r["ts"] for r in rows), default=None)),
        "by_tenant": dict(Counter(r["tenant"] for r in rows).most_common()),
        "by_endpoint": dict(Counter(r["endpoint"] for r in rows).most_common()),
        "by_status": {str(k): v for k, v in Counter(r["status"] for r in rows).most_common()},
        "findings_by_type": dict(by_type.most_common()),
        "requests_by_finding_type": dict(req_by_type.most_common()),
        "findings_by_action": dict(by_action.most_common()),
        "late_findings_by_type": dict(late.most_common()),
        "bytes_in": sum(r["bytes_in"] or 0 for r in rows),
        "bytes_out": sum(r["bytes_out"] or 0 for r in rows),
        "prompt_tokens": tokens("prompt_tokens"),
        "completion_tokens": tokens("completion_tokens"),
        "latency_ms": {
            "p50": _pct(lat, 0.5), "p95": _pct(lat, 0.95), "max": max(lat, default=None),
        },
        "productivity_mean": round(statistics.fmean(prod), 4) if prod else None,
    }
