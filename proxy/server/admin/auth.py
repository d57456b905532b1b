"""Who may see the admin page: the admin key, as a bearer token or a session cookie.

Sessions are server-side: the cookie holds a random session id (never the key), the gateway
keeps the id's digest and its expiry in the session store (``sessions``), which every worker and
every replica shares (the loop store's database), and logging out deletes it there, so a copied
cookie stops working at logout on every worker and replica at once (nothing is cached). A store
that cannot be reached opens no session: the page answers 503 (the bearer key still works). The
cookie is HttpOnly and SameSite=Strict, and every state-changing route (login, logout: each
non-GET route, see ``add_routes``) refuses a request posted from another site (Origin /
Sec-Fetch-Site).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable

from aiohttp import web

from proxy.server.admin.render import HEADERS, esc, page, render, respond
from proxy.server.admin.sessions import Sessions, SessionStoreError
from proxy.server.keys import AUDIT

COOKIE = "codeveil_admin"
SESSION_S = 12 * 3600
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8", "replace")).hexdigest()


class AdminAuth:
    def __init__(self, digest: str, sessions: Sessions) -> None:
        self.digest = digest
        self.sessions = sessions

    def _key_ok(self, key: str) -> bool:
        return hmac.compare_digest(
            hashlib.sha256(key.encode("utf-8", "replace")).hexdigest(), self.digest
        )

    async def new_session(self) -> str:
        session_id = secrets.token_urlsafe(32)
        await asyncio.to_thread(self.sessions.add, _digest(session_id), SESSION_S)
        return session_id

    async def end_session(self, session_id: str) -> None:
        if session_id:
            await asyncio.to_thread(self.sessions.end, _digest(session_id))

    async def session_ok(self, session_id: str) -> bool:
        if not session_id:
            return False
        return await asyncio.to_thread(self.sessions.ok, _digest(session_id))

    async def authorized(self, request: web.Request) -> bool:
        """Raises SessionStoreError when a cookie cannot be checked (the store is down)."""
        auth = request.headers.get("Authorization")
        if auth is not None:
            scheme, _, key = auth.partition(" ")
            return scheme.lower() == "bearer" and bool(key.strip()) and self._key_ok(key.strip())
        return await self.session_ok(request.cookies.get(COOKIE, ""))

    async def guard(self, request: web.Request) -> web.Response | None:
        """The routine's check for admin routes: a refusal, or None to let the request in."""
        try:
            if not await self.authorized(request):
                return refuse()
        except SessionStoreError:
            return unavailable()
        if request.app[AUDIT] is None:
            return respond(page("No audit store", render("no_audit.html")))
        return None

    async def login_page(self, request: web.Request) -> web.Response:
        with contextlib.suppress(SessionStoreError):  # the form is shown all the same
            if await self.authorized(request):
                raise web.HTTPSeeOther("/admin")
        return respond(page("Log in", login_form(), nav=False))

    async def login(self, request: web.Request) -> web.Response:
        form = await request.post()
        key = form.get("key")
        if not isinstance(key, str) or not key or not self._key_ok(key):
            return refuse("Wrong admin key.")
        try:
            session_id = await self.new_session()
        except SessionStoreError:
            return unavailable()
        resp = web.HTTPSeeOther("/admin")
        resp.headers.update(HEADERS)
        resp.set_cookie(COOKIE, session_id, max_age=SESSION_S, path="/admin",
                        httponly=True, samesite="Strict", secure=request.secure)
        raise resp

    async def logout(self, request: web.Request) -> web.Response:
        """Ends the session server-side: the cookie, even copied elsewhere, no longer opens."""
        try:
            await self.end_session(request.cookies.get(COOKIE, ""))
        except SessionStoreError:
            return unavailable()  # not ended: say so, never pretend it was
        resp = web.HTTPSeeOther("/admin/login")
        resp.headers.update(HEADERS)
        resp.del_cookie(COOKIE, path="/admin")
        raise resp


def login_form(message: str = "") -> str:
    return render("login.html", message=f'<p class="err">{esc(message)}</p>' if message else "")


def refuse(message: str = "An admin key is required.") -> web.Response:
    resp = respond(page("Log in", login_form(message), nav=False), status=401)
    resp.headers["WWW-Authenticate"] = 'Bearer realm="codeveil-admin"'
    return resp


def unavailable() -> web.Response:
    return respond(page("Unavailable", "<p>The admin session store cannot be reached; try "
                        "again shortly.</p>", nav=False), status=503)


def same_origin_only(handler: Handler) -> Handler:
    """Wrap a state-changing route: a request posted from another site changes nothing."""

    async def checked(request: web.Request) -> web.StreamResponse:
        if not same_origin(request):
            return respond(page("Refused", "<p>Cross-origin request refused.</p>", nav=False), 403)
        return await handler(request)

    return checked


def same_origin(request: web.Request) -> bool:
    """Refuse a form posted from another site (browsers say so in these headers)."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = request.headers.get("Origin")
    if origin is None:  # not a browser
        return True
    return origin != "null" and origin.split("://", 1)[-1] == request.host
