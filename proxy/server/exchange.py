"""What the request routine knows about a route and about one request.

Kept apart from :mod:`proxy.server.routine` so that the typed keys (:mod:`proxy.server.keys`)
can name these types without importing the routine that uses the keys.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from aiohttp import web

from proxy.audit import AuditRecord
from proxy.veil.engine import Veil
from proxy.wire.errors import ApiError

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
# The admin page's check: a refusal to answer with, or None to let the request in.
AdminGuard = Callable[[web.Request], Awaitable[web.StreamResponse | None]]


def _error_body(e: ApiError) -> dict[str, Any]:
    return e.body()


@dataclass(frozen=True)
class Endpoint:
    """What the routine does around one route."""

    name: str  # the audit record's endpoint
    caller: Literal["client", "admin", "anyone"] = "client"
    audited: bool = True  # file an audit record (client routes only)
    error_shape: Callable[[ApiError], dict[str, Any]] = _error_body  # the API's error body


@dataclass
class Exchange:
    """One client request as the routine sees it: its tenant, veil and audit record."""

    record: AuditRecord
    started: float = field(default_factory=time.perf_counter)
    tenant: str = "default"
    veil: Veil | None = None
    deferred: bool = False
    admitted: bool = False  # room for its audit record is reserved (routine.admit)

    def defer(self) -> None:
        """The handler files the record itself, later (:func:`file_record`)."""
        self.deferred = True
