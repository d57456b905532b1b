"""Who may see the admin page: the admin key, as a bearer token or a session cookie.

Sessions are server-side, in this process's memory: the cookie holds a random session id (never
the key), the gateway keeps the id's digest and its expiry, and logging out deletes it, so a
copied cookie stops working at logout. A replica does not know another's sessions (use sticky
sessions, or the bearer key, in front of several replicas); a restart ends every session. The
cookie is HttpOnly and SameSite=Strict, and every state-changing route (login, logout: each
non-GET route, see ``add_routes``) refuses a request posted from another site (Origin /
Sec-Fetch-Site).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Awaitable, Callable

from aiohttp import web

from proxy.server.admin.render import HEADERS, esc, page, render, respond
from proxy.server.keys import AUDIT

COOKIE = "codeveil_admin"
SESSION_S = 12 * 3600
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
MAX_SESSIONS = 1000  # the oldest goes first beyond this (a flood of logins cannot grow memory)


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8", "replace")).hexdigest()


class AdminAuth:
    def __init__(self, digest: str, secret: bytes) -> None:
        self.digest = digest
        self._sessions: dict[str, float] = {}  # sha256(session id) -> expiry (time.time())
        self._lock = threading.Lock()

    def _key_ok(self, key: str) -> bool:
        return hmac.compare_digest(
            hashlib.sha256(key.encode("utf-8", "replace")).hexdigest(), self.digest
        )

    def new_session(self) -> str:
        session_id = secrets.token_urlsafe(32)
        now = time.time()
        with self._lock:
            for d in [d for d, exp in self._sessions.items() if exp <= now]:
                del self._sessions[d]
            while len(self._sessions) >= MAX_SESSIONS:
                del self._sessions[next(iter(self._sessions))]
            self._sessions[_digest(session_id)] = now + SESSION_S
        return session_id

    def end_session(self, session_id: str) -> None:
        with self._lock:
            self._sessions.pop(_digest(session_id), None)

    def session_ok(self, session_id: str) -> bool:
        if not session_id:
            return False
        with self._lock:
            expiry = self._sessions.get(_digest(session_id))
        return expiry is not None and time.time() < expiry

    def authorized(self, request: web.Request) -> bool:
        auth = request.headers.get("Authorization")
        if auth is not None:
            scheme, _, key = auth.partition(" ")
            return scheme.lower() == "bearer" and bool(key.strip()) and self._key_ok(key.strip())
        return self.session_ok(request.cookies.get(COOKIE, ""))

    def guard(self, request: web.Request) -> web.Response | None:
        """The routine's check for admin routes: a refusal, or None to let the request in."""
        if not self.authorized(request):
            return refuse()
        if request.app[AUDIT] is None:
            return respond(page("No audit store", render("no_audit.html")))
        return None

    async def login_page(self, request: web.Request) -> web.Response:
        if self.authorized(request):
            raise web.HTTPSeeOther("/admin")
        return respond(page("Log in", login_form(), nav=False))

    async def login(self, request: web.Request) -> web.Response:
        form = await request.post()
        key = form.get("key")
        if not isinstance(key, str) or not key or not self._key_ok(key):
            return refuse("Wrong admin key.")
        resp = web.HTTPSeeOther("/admin")
        resp.headers.update(HEADERS)
        resp.set_cookie(COOKIE, self.new_session(), max_age=SESSION_S, path="/admin",
                        httponly=True, samesite="Strict", secure=request.secure)
        raise resp

    async def logout(self, request: web.Request) -> web.Response:
        """Ends the session server-side: the cookie, even copied elsewhere, no longer opens."""
        self.end_session(request.cookies.get(COOKIE, ""))
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
