"""Every piece of app and request state, as typed aiohttp keys."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from aiohttp import web
from aiohttp.web_urldispatcher import AbstractRoute

if TYPE_CHECKING:
    from proxy.audit import AuditStore
    from proxy.config import Config
    from proxy.loop.service import LoopService
    from proxy.server.exchange import AdminGuard, Endpoint, Exchange
    from proxy.server.metrics import Metrics
    from proxy.server.offload import Offload
    from proxy.server.reload import Tenants
    from proxy.upstream.client import UpstreamClient

CONFIG: web.AppKey[Config] = web.AppKey("config")
TENANTS: web.AppKey[Tenants] = web.AppKey("tenants")
UPSTREAM: web.AppKey[UpstreamClient] = web.AppKey("upstream")
AUDIT: web.AppKey[AuditStore | None] = web.AppKey("audit")
METRICS: web.AppKey[Metrics] = web.AppKey("metrics")
LOOP: web.AppKey[LoopService] = web.AppKey("loop")
# work that outlives its request (background loop runs); awaited at shutdown
BACKGROUND: web.AppKey[set[asyncio.Task[None]]] = web.AppKey("background")
READY: web.AppKey[asyncio.Event] = web.AppKey("ready")
# the child processes that anonymize big requests
OFFLOAD: web.AppKey[Offload] = web.AppKey("offload")
# what the routine does for each route
ENDPOINTS: web.AppKey[dict[AbstractRoute, Endpoint]] = web.AppKey("endpoints")
ADMIN_GUARD: web.AppKey[AdminGuard] = web.AppKey("admin_guard")

EXCHANGE: web.RequestKey[Exchange] = web.RequestKey("exchange")
