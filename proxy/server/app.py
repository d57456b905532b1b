"""The app factory: one ``build_app`` wires config, state, resources and routes together.

Each long-lived resource opens and closes in its own cleanup context (upstream connections, the
audit writer, the loop store, the policy watcher, background loop runs), so a failed startup
closes exactly what had opened. The request routine (``routine``) wraps every route as middleware.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import aiohttp
from aiohttp import web

from proxy.audit import AuditStore
from proxy.config import Config
from proxy.loop.service import LoopHost, LoopService, LoopSettings
from proxy.server import admin, gateway, guard, loop_api
from proxy.server.exchange import Endpoint
from proxy.server.keys import (
    AUDIT,
    BACKGROUND,
    CONFIG,
    ENDPOINTS,
    LOOP,
    METRICS,
    OFFLOAD,
    READY,
    TENANTS,
    UPSTREAM,
)
from proxy.server.metrics import Metrics
from proxy.server.metrics import handler as metrics_handler
from proxy.server.offload import Offload
from proxy.server.reload import Tenants
from proxy.server.routine import add_route, api_errors, routine
from proxy.upstream.client import UpstreamClient, unreachable
from proxy.veil.engine import Veil
from recognizers import ner


def build_app(config: Config, veil: Veil | None = None) -> web.Application:
    """The gateway for ``config``; ``veil`` replaces the default tenant's (tests use it)."""
    ner.configure(config.ner_spacy_model, config.ner_flair_model)
    shape = lambda path: gateway.format_for(path).error  # noqa: E731
    app = web.Application(
        client_max_size=config.max_body_bytes,
        middlewares=[guard.per_client(shape), guard.cors(shape), api_errors(shape), routine],
    )
    app.on_response_prepare.append(guard.cors_headers)
    app[CONFIG] = config
    app[ENDPOINTS] = {}
    app[TENANTS] = Tenants(config, veil)
    app[METRICS] = metrics = Metrics()
    target = config.audit_url or config.audit_path
    app[AUDIT] = store = AuditStore(
        target, metrics.audit_errors.inc, on_failure=config.audit_on_failure,
        queue_max=config.audit_queue_max, lock_timeout_s=config.audit_lock_timeout_s,
        on_lost=metrics.audit_lost.inc,
    ) if target else None  # an AuditError (bad path, database down) stops the start-up
    if store is not None:
        metrics.audit_health = store.health
    app[UPSTREAM] = client = UpstreamClient()
    app[LOOP] = LoopService(LoopSettings.from_config(config), LoopHost.of(config, client))
    app[BACKGROUND] = set()
    app[READY] = asyncio.Event()
    app[OFFLOAD] = Offload(config, app[TENANTS], metrics)
    app.cleanup_ctx.extend(
        [_upstream, _audit, _loop_store, _policies, _offload, _background, _ready]
    )

    add_route(app, "GET", "/healthz", healthz, Endpoint("/healthz", caller="anyone"))
    # A client route: in gateway-key mode it needs a key like every other.
    add_route(app, "GET", "/v1/models", models, Endpoint("/v1/models", audited=False))
    add_route(app, "GET", "/metrics", metrics_handler(metrics), Endpoint("/metrics", "anyone"))
    for fmt in gateway.WIRE_FORMATS:
        add_route(app, "POST", fmt.path, gateway.handler(fmt),
                  Endpoint(fmt.path, error_shape=fmt.error))
    loop_api.add_routes(app)  # the generate / execute / debug loop: proxy/loop/
    admin.add_routes(app)  # the /admin pages, when the config names an admin key
    return app


# -- resources, one cleanup context each (cleaned up in reverse order) ----------------------


async def _upstream(app: web.Application) -> AsyncIterator[None]:
    async with app[UPSTREAM]:
        yield


async def _audit(app: web.Application) -> AsyncIterator[None]:
    yield
    store = app[AUDIT]
    if store is not None:
        await asyncio.to_thread(store.close)  # writes what is still queued


async def _loop_store(app: web.Application) -> AsyncIterator[None]:
    yield
    await app[LOOP].close()  # after the background runs: their last writes go first


async def _policies(app: web.Application) -> AsyncIterator[None]:
    tenants = app[TENANTS]
    tenants.warm_up()
    # Hot reload: a valid edit of a policy file swaps that tenant's veil; a bad one is
    # logged and the running policy stays.
    watcher = asyncio.get_running_loop().create_task(tenants.watch())
    yield
    watcher.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await watcher


async def _offload(app: web.Application) -> AsyncIterator[None]:
    offload = app[OFFLOAD]
    if offload.enabled:
        offload.start()
    yield
    await offload.close()


async def _background(app: web.Application) -> AsyncIterator[None]:
    yield
    if app[BACKGROUND]:
        await asyncio.gather(*app[BACKGROUND], return_exceptions=True)


async def _ready(app: web.Application) -> AsyncIterator[None]:
    app[READY].set()
    yield


# -- small routes ------------------------------------------------------------------------------


async def healthz(request: web.Request) -> web.Response:
    """200 ``ok`` when healthy. While the audit store does not take records: ``degraded`` with
    reasons, 503 under ``audit.on_failure: refuse`` (requests are being refused: a load
    balancer should send them elsewhere) and 200 under ``serve`` (they are served)."""
    if not request.app[READY].is_set():
        return web.json_response({"status": "starting"}, status=503)
    body: dict[str, object] = {"status": "ok", "policy": request.app[CONFIG].policy.name}
    store = request.app[AUDIT]
    if store is not None:
        h = store.health()
        body["audit"] = {"degraded": h.degraded, "queued": h.queued,
                         "on_failure": "refuse" if store.refuse else "serve"}
        if h.degraded:
            body["status"] = "degraded"
            body["reasons"] = [f"audit store not writable since {h.since:.3f}: {h.reason}"]
            return web.json_response(body, status=503 if store.refuse else 200)
    return web.json_response(body)


async def models(request: web.Request) -> web.Response:
    upstream = request.app[CONFIG].upstreams[0]
    try:
        async with await request.app[UPSTREAM].get(upstream, "/models", request.headers) as resp:
            body = await resp.read()
            return web.Response(
                body=body,
                status=resp.status,
                content_type=resp.content_type or "application/json",
            )
    except (aiohttp.ClientError, TimeoutError) as e:
        return unreachable(upstream, e).response()
