"""The admin web page at ``/admin``: the audit log in a browser, behind its own key.

Server-rendered HTML (``templates/``, ``static/``), no script and nothing from another origin:
a searchable, paginated list of records, one record's detail, statistics per team and finding
type over time with charts drawn as inline SVG, and the hash chain's verification status.

Auth (``auth``): the admin key (``admin: {key_env: VAR}`` or ``{key_sha256: hex}``), never a
client key; a login's session lives in the store every worker and replica shares
(``sessions``). Without an admin key in the config the routes do not exist (404).
"""

from __future__ import annotations

import asyncio

from aiohttp import web

from proxy.config import Config
from proxy.server.admin import auth, pages
from proxy.server.admin.sessions import MemorySessions, Sessions, SessionStore
from proxy.server.exchange import Endpoint
from proxy.server.keys import ADMIN_GUARD, CONFIG
from proxy.server.routine import add_route


def add_routes(app: web.Application) -> None:
    """Add the /admin pages when the config names an admin key; without one they do not exist."""
    config = app[CONFIG]
    if not config.admin_key_sha256:
        return
    sessions = session_store(config)
    admin = auth.AdminAuth(config.admin_key_sha256, sessions)

    async def close(_app: web.Application) -> None:
        await asyncio.to_thread(sessions.close)

    app.on_cleanup.append(close)
    app[ADMIN_GUARD] = admin.guard
    anyone, guarded = Endpoint("/admin", caller="anyone"), Endpoint("/admin", caller="admin")
    add_route(app, "GET", "/admin/login", admin.login_page, anyone)
    # every state-changing route goes through the Origin check (a login CSRF, a forced logout)
    for path, handler in (("/admin/login", admin.login), ("/admin/logout", admin.logout)):
        add_route(app, "POST", path, auth.same_origin_only(handler), anyone)
    add_route(app, "GET", "/admin", pages.records, guarded)
    add_route(app, "GET", "/admin/", pages.records, guarded)
    add_route(app, "GET", "/admin/records/{rid:\\d+}", pages.record, guarded)
    add_route(app, "GET", "/admin/stats", pages.stats, guarded)
    add_route(app, "GET", "/admin/chain", pages.chain, guarded)


def session_store(config: Config) -> Sessions:
    """The loop store's database (``LoopSettings.store``): PostgreSQL of ``audit.url`` shared by
    the replicas, else ``loop.db`` next to the audit database, shared by this gateway's workers;
    without an audit store, this process's memory."""
    if config.audit_url:
        return SessionStore(config.audit_url)
    if config.audit_path:
        return SessionStore((config.audit_path.parent / "loop.db").resolve())
    return MemorySessions()
