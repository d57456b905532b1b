"""Operational metrics in the Prometheus text exposition format (version 0.0.4).

Labels are endpoints, status codes, finding types and error codes: never request text.

With several worker processes (``codeveil serve --workers N``) each keeps its own
:class:`Metrics`; :meth:`Metrics.snapshot` is one worker's raw values as plain data, and
:func:`merged` sums the snapshots of all workers into one exposition (``proxy/server/workers.py``
gathers them), so every worker's /metrics answers for the whole gateway.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
UPSTREAM_ERRORS = frozenset({"upstream_timeout", "upstream_unreachable", "bad_upstream_response"})


def _escape(v: str) -> str:
    return v.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _labels(names: Sequence[str], values: Sequence[str], extra: str = "") -> str:
    parts = [f'{n}="{_escape(str(v))}"' for n, v in zip(names, values, strict=True)]
    if extra:
        parts.append(extra)
    return "{" + ",".join(parts) + "}" if parts else ""


def _num(v: float) -> str:
    if math.isinf(v):
        return "+Inf"
    return repr(float(v)) if not float(v).is_integer() else str(int(v))


class Counter:
    def __init__(self, name: str, help_: str, labels: Sequence[str] = ()) -> None:
        self.name, self.help, self.labels = name, help_, tuple(labels)
        self.values: dict[tuple[str, ...], float] = {}
        self._lock = threading.Lock()

    def inc(self, *labels: Any, amount: float = 1) -> None:
        key = tuple(str(v) for v in labels)
        with self._lock:
            self.values[key] = self.values.get(key, 0) + amount

    def dump(self) -> list[Any]:
        with self._lock:
            return [[list(k), v] for k, v in self.values.items()]

    def absorb(self, dumped: list[Any]) -> None:
        for key, value in dumped:
            self.inc(*key, amount=value)

    def render(self) -> list[str]:
        out = [f"# HELP {self.name} {self.help}", f"# TYPE {self.name} counter"]
        with self._lock:
            items = sorted(self.values.items())
        if not items and not self.labels:
            items = [((), 0)]
        out += [f"{self.name}{_labels(self.labels, k)} {_num(v)}" for k, v in items]
        return out


class Gauge:
    """A value read when /metrics is rendered (``read`` returns it); ``combine`` makes one value
    of several workers' (a sum by default; ``max`` for a 0/1 state)."""

    def __init__(
        self,
        name: str,
        help_: str,
        read: Callable[[], float],
        combine: Callable[[Iterable[float]], float] = sum,
    ) -> None:
        self.name, self.help, self.read, self.combine = name, help_, read, combine
        self._absorbed: list[float] | None = None

    def dump(self) -> float:
        return self.read()

    def absorb(self, dumped: float) -> None:
        self._absorbed = [*(self._absorbed or []), dumped]

    def render(self) -> list[str]:
        value = self.read() if self._absorbed is None else self.combine(self._absorbed)
        return [f"# HELP {self.name} {self.help}", f"# TYPE {self.name} gauge",
                f"{self.name} {_num(value)}"]


class Histogram:
    def __init__(
        self,
        name: str,
        help_: str,
        labels: Sequence[str] = (),
        buckets: Sequence[float] = LATENCY_BUCKETS,
    ) -> None:
        self.name, self.help, self.labels = name, help_, tuple(labels)
        self.buckets = tuple(buckets)
        self.values: dict[tuple[str, ...], tuple[list[int], float, int]] = {}
        self._lock = threading.Lock()

    def observe(self, value: float, *labels: Any) -> None:
        key = tuple(str(v) for v in labels)
        with self._lock:
            counts, total, n = self.values.get(key) or ([0] * len(self.buckets), 0.0, 0)
            for i, bound in enumerate(self.buckets):
                if value <= bound:
                    counts[i] += 1
            self.values[key] = (counts, total + value, n + 1)

    def dump(self) -> list[Any]:
        with self._lock:
            return [[list(k), list(c), s, n] for k, (c, s, n) in self.values.items()]

    def absorb(self, dumped: list[Any]) -> None:
        with self._lock:
            for key, counts, total, n in dumped:
                k = tuple(key)
                mine, mine_total, mine_n = self.values.get(k) or ([0] * len(self.buckets), 0.0, 0)
                if len(counts) != len(mine):
                    raise ValueError(f"{self.name}: another worker has other buckets")
                summed = [a + b for a, b in zip(mine, counts, strict=True)]
                self.values[k] = (summed, mine_total + total, mine_n + n)

    def render(self) -> list[str]:
        out = [f"# HELP {self.name} {self.help}", f"# TYPE {self.name} histogram"]
        with self._lock:
            items = sorted((k, (list(c), s, n)) for k, (c, s, n) in self.values.items())
        for key, (counts, total, n) in items:
            for bound, c in zip(self.buckets, counts, strict=True):
                le = f'le="{_num(bound)}"'
                out.append(f"{self.name}_bucket{_labels(self.labels, key, le)} {c}")
            inf = _labels(self.labels, key, 'le="+Inf"')
            out.append(f"{self.name}_bucket{inf} {n}")
            out.append(f"{self.name}_sum{_labels(self.labels, key)} {_num(total)}")
            out.append(f"{self.name}_count{_labels(self.labels, key)} {n}")
        return out


class Metrics:
    """The gateway's metrics; :meth:`observe` takes one finished request's audit record."""

    def __init__(self) -> None:
        self.requests = Counter(
            "codeveil_requests_total", "Requests handled, by endpoint and status.",
            ("endpoint", "status"),
        )
        self.findings = Counter(
            "codeveil_findings_total", "Sensitive values found, by type and action.",
            ("type", "action"),
        )
        self.blocked = Counter(
            "codeveil_blocked_requests_total", "Requests refused by policy, by endpoint.",
            ("endpoint",),
        )
        self.upstream_errors = Counter(
            "codeveil_upstream_errors_total",
            "Upstream failures, by upstream and code (http_NNN: the upstream's own status).",
            ("upstream", "code"),
        )
        self.audit_errors = Counter(
            "codeveil_audit_write_failures_total",
            "Failed audit writes (each retry counts), by error type.", ("error",),
        )
        self.audit_lost = Counter(
            "codeveil_audit_records_lost_total",
            "Audit records never written (each logged at error level with its time).",
        )
        self.offload = Counter(
            "codeveil_offload_requests_total",
            "Requests anonymized in an offload child process, by outcome "
            "(ok, blocked, budget, error, failed: the child crashed or hung).", ("outcome",),
        )
        self.offload_starts = Counter(
            "codeveil_offload_processes_started_total",
            "Offload child processes started (one replaces each that failed).",
        )
        self.audit_health: Callable[[], Any] | None = None  # AuditStore.health, when audited
        # with several workers: this worker's (index, pid), and how to fetch its siblings'
        # snapshots (proxy/server/workers.py); None when the gateway is one process
        self.worker: tuple[int, int] | None = None
        self.siblings: Callable[[], Awaitable[list[dict[str, Any]]]] | None = None
        self.latency = Histogram(
            "codeveil_request_duration_seconds",
            "Time from request to the last byte of the answer, by endpoint.",
            ("endpoint",),
        )
        self._all: list[Counter | Gauge | Histogram] = [
            self.requests, self.findings, self.blocked, self.upstream_errors, self.audit_errors,
            self.audit_lost, self.offload, self.offload_starts,
            Gauge("codeveil_audit_queue_depth", "Audit records waiting to be written.",
                  lambda: self.audit_health().queued if self.audit_health else 0),
            Gauge("codeveil_audit_degraded",
                  "1 while the audit store does not take records, else 0.",
                  lambda: int(self.audit_health().degraded) if self.audit_health else 0, max),
            self.latency,
        ]

    def observe(self, rec: Any) -> None:
        self.requests.inc(rec.endpoint, rec.status)
        per: dict[tuple[str, str], int] = {}  # a conversation's findings come back every turn
        for f in rec.findings:
            per[(f.type, f.action)] = per.get((f.type, f.action), 0) + f.count
        for (type_, action), n in per.items():
            self.findings.inc(type_, action, amount=n)
        if rec.blocked:
            self.blocked.inc(rec.endpoint)
        if rec.error in UPSTREAM_ERRORS:
            self.upstream_errors.inc(rec.upstream or "", rec.error)
        elif rec.upstream and rec.error is None and (rec.status or 0) >= 400 and rec.status != 499:
            self.upstream_errors.inc(rec.upstream, f"http_{rec.status}")
        self.latency.observe(rec.latency_ms / 1000, rec.endpoint)

    def render(self) -> str:
        lines: list[str] = []
        for m in self._all:
            lines += m.render()
        return "\n".join(lines) + "\n"

    def snapshot(self) -> dict[str, Any]:
        """This process's raw values as JSON-able data, for :func:`merged` in a sibling."""
        index, pid = self.worker or (0, 0)
        return {"worker": index, "pid": pid, "series": {m.name: m.dump() for m in self._all}}


def merged(snapshots: list[dict[str, Any]]) -> str:
    """One exposition for the whole gateway: counters and histograms summed over the workers'
    snapshots, gauges combined, and per worker its pid and how many requests it handled."""
    total = Metrics()
    for snap in snapshots:
        for m in total._all:
            if m.name in snap["series"]:
                m.absorb(snap["series"][m.name])
    info = Gauge("codeveil_worker_info", "The worker processes this answer sums (value 1).",
                 lambda: 1)
    handled = Counter("codeveil_worker_requests_total",
                      "Requests each worker process handled since it started.", ("worker",))
    lines = [f"# HELP {info.name} {info.help}", f"# TYPE {info.name} gauge"]
    for snap in sorted(snapshots, key=lambda s: s["worker"]):
        lines.append(f'{info.name}{{worker="{snap["worker"]}",pid="{snap["pid"]}"}} 1')
        requests = snap["series"].get(total.requests.name, [])
        handled.inc(snap["worker"], amount=sum(v for _k, v in requests))
    return total.render() + "\n".join(lines + handled.render()) + "\n"


def handler(metrics: Metrics) -> Any:
    """The aiohttp handler for GET /metrics: this process's, or with several workers the sums
    over all of them (a sibling that does not answer in time is left out, and shows so in
    ``codeveil_worker_info``)."""
    from aiohttp import web

    async def serve(_request: web.Request) -> web.Response:
        if metrics.siblings is None:
            text = metrics.render()
        else:
            text = merged([metrics.snapshot(), *await metrics.siblings()])
        return web.Response(body=text.encode(), headers={"Content-Type": CONTENT_TYPE})

    return serve
