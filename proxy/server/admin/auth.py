"""Who may see the admin page: the admin key, as a bearer token or a signed session cookie.

The cookie holds an HMAC of the key's digest and the time it was issued, never the key itself;
it is HttpOnly and SameSite=Strict, and a form posted from another site is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from aiohttp import web

from proxy.server.admin.render import HEADERS, esc, page, render, respond
from proxy.server.keys import AUDIT

COOKIE = "codeveil_admin"
SESSION_S = 12 * 3600


class AdminAuth:
    def __init__(self, digest: str, secret: bytes) -> None:
        self.digest = digest
        # The cookie's MAC key: derived from the gateway's secret key, so every replica sharing
        # it accepts the cookie, and a new admin key ends every session.
        self._mac_key = hmac.new(secret, b"codeveil admin session", "sha256").digest()

    def _key_ok(self, key: str) -> bool:
        return hmac.compare_digest(hashlib.sha256(key.encode()).hexdigest(), self.digest)

    def _mac(self, issued: int) -> str:
        return hmac.new(self._mac_key, f"{issued}.{self.digest}".encode(), "sha256").hexdigest()

    def cookie_value(self, now: float | None = None) -> str:
        issued = int(time.time() if now is None else now)
        return f"{issued}.{self._mac(issued)}"

    def authorized(self, request: web.Request) -> bool:
        auth = request.headers.get("Authorization")
        if auth is not None:
            scheme, _, key = auth.partition(" ")
            return scheme.lower() == "bearer" and bool(key.strip()) and self._key_ok(key.strip())
        value = request.cookies.get(COOKIE, "")
        if not value.isascii():  # compare_digest refuses non-ASCII text; no cookie of ours
            return False
        issued_text, _, mac = value.partition(".")
        if not issued_text.isdigit() or not mac:
            return False
        issued = int(issued_text)
        if not 0 <= time.time() - issued < SESSION_S:
            return False
        return hmac.compare_digest(mac, self._mac(issued))

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
        if not same_origin(request):
            return respond(page("Refused", "<p>Cross-origin login refused.</p>", nav=False), 403)
        form = await request.post()
        key = form.get("key")
        if not isinstance(key, str) or not key or not self._key_ok(key):
            return refuse("Wrong admin key.")
        resp = web.HTTPSeeOther("/admin")
        resp.headers.update(HEADERS)
        resp.set_cookie(COOKIE, self.cookie_value(), max_age=SESSION_S, path="/admin",
                        httponly=True, samesite="Strict", secure=request.secure)
        raise resp


async def logout(_request: web.Request) -> web.Response:
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


def same_origin(request: web.Request) -> bool:
    """Refuse a form posted from another site (browsers say so in these headers)."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = request.headers.get("Origin")
    if origin is None:  # not a browser
        return True
    return origin != "null" and origin.split("://", 1)[-1] == request.host
