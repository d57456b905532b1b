"""The admin web page at ``/admin``: the audit log in a browser, behind its own key.

Server-rendered HTML, no script and nothing from another origin: a searchable, paginated list of
records, one record's detail (finding types, actions, counts and fingerprints: the store holds no
values), statistics per team and finding type over time with charts drawn as inline SVG, and the
hash chain's verification status. Queries go through :mod:`proxy.audit` and the filters and
summaries of :mod:`proxy.audit.report`, the same as ``codeveil audit``.

Auth: the admin key (``admin: {key_env: VAR}`` or ``{key_sha256: hex}``), never a client key, as
``Authorization: Bearer <key>`` or through the login form, which sets an HttpOnly, SameSite=Strict
cookie holding an HMAC of the key's digest and the time it was issued (never the key itself).
Without an admin key in the config the routes do not exist (404).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import hmac
import html
import time
from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from aiohttp import web
from multidict import MultiDictProxy

from proxy.audit import Filters
from proxy.audit.report import compute_stats, findings_brief, iso, parse_time
from proxy.audit.report import plain as _plain
from proxy.audit.report import yes_no as _yes_no

if TYPE_CHECKING:
    from proxy.app import Gateway

COOKIE = "codeveil_admin"
SESSION_S = 12 * 3600
PAGE_SIZE = 50
MAX_BUCKETS = 120
MAX_SERIES = 8
COLORS = ("#4269d0", "#efb118", "#ff725c", "#6cc5b0", "#3ca951", "#ff8ab7", "#a463f2",
          "#97bbf5", "#9c6b4e")

STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{background:#1d2330;color:#fff;padding:.6em 1.2em;display:flex;gap:1.2em;align-items:center}
header a{color:#cfe0ff;text-decoration:none}header b{margin-right:1em}
header form{margin-left:auto}main{padding:1em 1.2em}
table{border-collapse:collapse;background:#fff;margin:.5em 0 1em}
th,td{border:1px solid #d8dce3;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#eef0f4}td.num{text-align:right}
form.filters{display:flex;flex-wrap:wrap;gap:.5em;align-items:end;margin-bottom:.8em}
form.filters label{display:flex;flex-direction:column;font-size:12px}
input,select,button{font:inherit;padding:.2em .4em}
.ok{color:#176a2b;font-weight:bold}.bad{color:#b00020;font-weight:bold}
.blocked{color:#b00020}.err{background:#fde8ea;padding:.5em;border:1px solid #e3a1a8}
.muted{color:#667}svg{background:#fff;border:1px solid #d8dce3}
code{font-size:12px}
"""
_STYLE_HASH = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
HEADERS = {
    "Content-Security-Policy": (
        f"default-src 'self'; style-src 'sha256-{_STYLE_HASH}'; script-src 'none'; "
        "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def esc(v: Any) -> str:
    return html.escape("" if v is None else str(v), quote=True)


def page(title: str, body: str, nav: bool = True) -> str:
    links = ""
    if nav:
        links = (
            '<a href="/admin">Records</a><a href="/admin/stats">Statistics</a>'
            '<a href="/admin/chain">Chain</a>'
            '<form method="post" action="/admin/logout"><button>Log out</button></form>'
        )
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{esc(title)} · '
        f"CodeVeil admin</title><style>{STYLE}</style></head><body><header><b>CodeVeil admin</b>"
        f"{links}</header><main><h1>{esc(title)}</h1>{body}</main></body></html>"
    )


def respond(text: str, status: int = 200) -> web.Response:
    return web.Response(text=text, status=status, content_type="text/html", charset="utf-8",
                        headers=HEADERS)


def table(headers: list[str], rows: list[list[str]], cls: str = "") -> str:
    """A table from headers (plain text) and cells (already HTML)."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


# -- filters -----------------------------------------------------------------------------------

FILTER_KEYS = ("tenant", "type", "action", "blocked", "since", "until", "endpoint")


def _words(q: MultiDictProxy[str], name: str) -> tuple[str, ...]:
    return tuple(w.strip() for v in q.getall(name, []) for w in v.split(",") if w.strip())


def parse_filters(q: MultiDictProxy[str]) -> tuple[Filters, dict[str, str], list[str]]:
    """Filters from query parameters, the values to put back in the form, and any errors."""
    errors: list[str] = []
    shown = {k: ",".join(q.getall(k, [])).strip() for k in FILTER_KEYS}
    f = Filters(tenant=shown["tenant"] or None, endpoint=shown["endpoint"] or None,
                types=_words(q, "type"), actions=_words(q, "action"))
    if shown["blocked"]:
        try:
            f.blocked = _yes_no(shown["blocked"])
        except argparse.ArgumentTypeError:
            errors.append("blocked: use yes or no")
    for name in ("since", "until"):
        if shown[name]:
            try:
                setattr(f, name, parse_time(shown[name]))
            except argparse.ArgumentTypeError as e:
                errors.append(f"{name}: {e}")
    return f, shown, errors


def filter_form(action: str, shown: dict[str, str], errors: list[str]) -> str:
    def field(name: str, label: str, hint: str = "") -> str:
        return (f'<label>{esc(label)}<input name="{name}" value="{esc(shown.get(name))}" '
                f'placeholder="{esc(hint)}"></label>')

    opts = "".join(
        f'<option value="{v}"{" selected" if shown.get("blocked") == v else ""}>{t}</option>'
        for v, t in (("", "any"), ("yes", "yes"), ("no", "no"))
    )
    err = "".join(f'<p class="err">{esc(e)}</p>' for e in errors)
    return (
        f'{err}<form class="filters" method="get" action="{action}">'
        + field("tenant", "tenant")
        + field("type", "finding type", "EMAIL,AWS_ACCESS_KEY_ID")
        + field("action", "action", "block")
        + f'<label>blocked<select name="blocked">{opts}</select></label>'
        + field("since", "since", "2h, 7d, 2025-01-31")
        + field("until", "until")
        + field("endpoint", "endpoint", "/v1/chat/completions")
        + f'<button type="submit">Filter</button><a href="{action}">clear</a></form>'
    )


def query_string(shown: dict[str, str], **more: Any) -> str:
    items = [(k, v) for k, v in shown.items() if v] + [(k, str(v)) for k, v in more.items()]
    return ("?" + urlencode(items)) if items else ""


# -- charts ------------------------------------------------------------------------------------


def bucket_size(first: float, last: float) -> tuple[int, str]:
    for size, name in ((3600, "hour"), (86400, "day"), (7 * 86400, "week")):
        if (last // size) - (first // size) < MAX_BUCKETS:
            return size, name
    return 30 * 86400, "30 days"


def series(rows: list[dict[str, Any]], key: Any, size: int) -> dict[str, Counter[int]]:
    """name -> bucket -> count, from ``key(row)``: (name, count) pairs for each row."""
    out: dict[str, Counter[int]] = defaultdict(Counter)
    for r in rows:
        b = int(r["ts"] // size)
        for name, n in key(r):
            out[name][b] += n
    return out


def bar_chart(title: str, data: dict[str, Counter[int]], size: int, unit: str) -> str:
    """Stacked bars per time bucket, one colour per series, drawn as inline SVG."""
    if not data:
        return f'<p class="muted">{esc(title)}: nothing in this range.</p>'
    totals = Counter({k: sum(v.values()) for k, v in data.items()})
    names = [k for k, _ in totals.most_common(MAX_SERIES)]
    if len(totals) > MAX_SERIES:
        other: Counter[int] = Counter()
        for k, v in data.items():
            if k not in names:
                other.update(v)
        data = {**{k: data[k] for k in names}, "(other)": other}
        names.append("(other)")
    buckets = [b for v in data.values() for b in v]
    lo, hi = min(buckets), max(buckets)
    hi = max(hi, lo + 1)
    if hi - lo >= MAX_BUCKETS:
        lo = hi - MAX_BUCKETS + 1
    n = hi - lo + 1
    peak = max(sum(data[k][b] for k in names) for b in range(lo, hi + 1)) or 1
    w, h, left, top, bottom = 760, 200, 44, 10, 24
    bw = (w - left - 10) / n
    legend_rows = (len(names) + 3) // 4
    total_h = top + h + bottom + 18 * legend_rows + 6
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{total_h}" '
        f'viewBox="0 0 {w} {total_h}" role="img" aria-label="{esc(title)}">'
        f"<title>{esc(title)}</title>",
        f'<line x1="{left}" y1="{top + h}" x2="{w - 10}" y2="{top + h}" stroke="#889"/>',
        f'<text x="{left - 4}" y="{top + 10}" font-size="11" text-anchor="end">{peak}</text>',
        f'<text x="{left - 4}" y="{top + h}" font-size="11" text-anchor="end">0</text>',
    ]
    for i, b in enumerate(range(lo, hi + 1)):
        y = top + h
        for j, k in enumerate(names):
            v = data[k].get(b, 0)
            if not v:
                continue
            bh = v / peak * h
            y -= bh
            label = f"{k}: {v} ({iso(b * size)[:16].replace('T', ' ')} UTC, per {unit})"
            parts.append(
                f'<rect x="{left + i * bw + 1:.1f}" y="{y:.1f}" width="{max(bw - 2, 1):.1f}" '
                f'height="{bh:.1f}" fill="{COLORS[j % len(COLORS)]}"><title>{esc(label)}</title>'
                "</rect>"
            )
    fmt = 16 if size < 86400 else 10
    for b, anchor, x in ((lo, "start", left), (hi, "end", w - 10)):
        parts.append(
            f'<text x="{x}" y="{top + h + 16}" font-size="11" text-anchor="{anchor}">'
            f"{esc(iso(b * size)[:fmt].replace('T', ' '))}</text>"
        )
    for j, k in enumerate(names):
        x = left + (j % 4) * 180
        y = top + h + bottom + 18 * (j // 4) + 4
        parts.append(
            f'<rect x="{x}" y="{y}" width="12" height="12" fill="{COLORS[j % len(COLORS)]}"/>'
            f'<text x="{x + 16}" y="{y + 11}" font-size="12">{esc(k)} '
            f"({sum(data[k].values())})</text>"
        )
    parts.append("</svg>")
    return f"<h2>{esc(title)}</h2>" + "".join(parts)


# -- the handlers ------------------------------------------------------------------------------


class Admin:
    def __init__(self, gw: Gateway) -> None:
        self.gw = gw
        digest = gw.config.admin_key_sha256
        assert digest is not None
        self.digest = digest
        # The cookie's MAC key: derived from the gateway's secret key, so every replica sharing
        # it accepts the cookie, and a new admin key ends every session.
        self._mac_key = hmac.new(gw.config.key, b"codeveil admin session", "sha256").digest()

    # -- auth ----------------------------------------------------------------------------------

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
        issued_text, _, mac = value.partition(".")
        if not issued_text.isdigit() or not mac:
            return False
        issued = int(issued_text)
        if not 0 <= time.time() - issued < SESSION_S:
            return False
        return hmac.compare_digest(mac, self._mac(issued))

    @staticmethod
    def login_form(message: str = "") -> str:
        msg = f'<p class="err">{esc(message)}</p>' if message else ""
        return (
            f'{msg}<form method="post" action="/admin/login"><label>Admin key '
            '<input type="password" name="key" autocomplete="current-password" autofocus>'
            '</label> <button type="submit">Log in</button></form>'
            '<p class="muted">Or send <code>Authorization: Bearer &lt;admin key&gt;</code>. '
            "Client (gateway) keys are not accepted here.</p>"
        )

    def refuse(self, message: str = "An admin key is required.") -> web.Response:
        resp = respond(page("Log in", self.login_form(message), nav=False), status=401)
        resp.headers["WWW-Authenticate"] = 'Bearer realm="codeveil-admin"'
        return resp

    @staticmethod
    def same_origin(request: web.Request) -> bool:
        """Refuse a form posted from another site (browsers say so in these headers)."""
        site = request.headers.get("Sec-Fetch-Site")
        if site is not None:
            return site in ("same-origin", "none")
        origin = request.headers.get("Origin")
        if origin is None:  # not a browser
            return True
        return origin != "null" and origin.split("://", 1)[-1] == request.host

    async def login_page(self, request: web.Request) -> web.Response:
        if self.authorized(request):
            raise web.HTTPSeeOther("/admin")
        return respond(page("Log in", self.login_form(), nav=False))

    async def login(self, request: web.Request) -> web.Response:
        if not self.same_origin(request):
            return respond(page("Refused", "<p>Cross-origin login refused.</p>", nav=False), 403)
        form = await request.post()
        key = form.get("key")
        if not isinstance(key, str) or not key or not self._key_ok(key):
            return self.refuse("Wrong admin key.")
        resp = web.HTTPSeeOther("/admin")
        resp.headers.update(HEADERS)
        resp.set_cookie(COOKIE, self.cookie_value(), max_age=SESSION_S, path="/admin",
                        httponly=True, samesite="Strict", secure=request.secure)
        raise resp

    async def logout(self, request: web.Request) -> web.Response:
        resp = web.HTTPSeeOther("/admin/login")
        resp.headers.update(HEADERS)
        resp.del_cookie(COOKIE, path="/admin")
        raise resp

    def guarded(self, handler: Any) -> Any:
        async def run(request: web.Request) -> web.StreamResponse:
            if not self.authorized(request):
                return self.refuse()
            if self.gw.audit is None:
                body = "<p>No audit store is configured (key <code>audit</code>).</p>"
                return respond(page("No audit store", body))
            return await handler(request)

        return run

    # -- pages ---------------------------------------------------------------------------------

    async def records(self, request: web.Request) -> web.Response:
        store = self.gw.audit
        assert store is not None
        f, shown, errors = parse_filters(request.query)
        try:
            page_no = max(1, int(request.query.get("page", "1")))
        except ValueError:
            page_no = 1
        rows: list[dict[str, Any]] = []
        if not errors:
            rows = await asyncio.to_thread(
                store.query, f, newest_first=True, limit=page_no * PAGE_SIZE + 1
            )
        more = len(rows) > page_no * PAGE_SIZE
        rows = rows[(page_no - 1) * PAGE_SIZE: page_no * PAGE_SIZE]
        cells = [
            [f'<a href="/admin/records/{int(r["id"])}">{int(r["id"])}</a>',
             esc(iso(r["ts"])[:19].replace("T", " ")), esc(r["tenant"]), esc(r["key_id"] or "-"),
             esc(r["endpoint"]), esc(r["model"] or "-"), esc(r["upstream"] or "-"),
             esc(r["status"]), '<span class="blocked">BLOCKED</span>' if r["blocked"] else "",
             esc(findings_brief(r["findings"])),
             esc(f"{r['latency_ms']:.1f}" if r["latency_ms"] is not None else "")]
            for r in rows
        ]
        nav = []
        if page_no > 1:
            nav.append(f'<a href="/admin{esc(query_string(shown, page=page_no - 1))}">'
                       "&larr; newer</a>")
        if more:
            nav.append(f'<a href="/admin{esc(query_string(shown, page=page_no + 1))}" '
                       'rel="next">older &rarr;</a>')
        first = (page_no - 1) * PAGE_SIZE + 1
        count = (f"records {first}–{first + len(rows) - 1}" if rows else "no records")
        body = (
            filter_form("/admin", shown, errors)
            + f'<p class="muted" id="count">{esc(count)} (page {page_no}, newest first)</p>'
            + table(["id", "time (UTC)", "tenant", "key", "endpoint", "model", "upstream",
                     "status", "blocked", "findings", "ms"], cells, "records")
            + f'<p class="pager">{" ".join(nav)}</p>'
        )
        return respond(page("Audit records", body), 400 if errors else 200)

    async def record(self, request: web.Request) -> web.Response:
        store = self.gw.audit
        assert store is not None
        rid = int(request.match_info["rid"])
        row = await asyncio.to_thread(store.get, rid)
        if row is None:
            return respond(page("Not found", f"<p>No audit record {rid}.</p>"), 404)
        plain = _plain(row)
        findings = plain.pop("findings") or []
        fields = table(["field", "value"],
                       [[esc(k), esc("-" if v is None else v)] for k, v in plain.items()],
                       "fields")
        if findings:
            ftable = table(
                ["type", "category", "recognizer", "action", "count", "fingerprint"],
                [[esc(x.get("type")), esc(x.get("category")), esc(x.get("recognizer")),
                  esc(x.get("action")), esc(x.get("count")), f"<code>{esc(x.get('fingerprint'))}"
                  "</code>"] for x in findings],
                "findings",
            )
        else:
            ftable = '<p class="muted">No findings.</p>'
        body = (fields + "<h2>Findings</h2>" + ftable
                + '<p class="muted">Fingerprints are keyed hashes: the store holds no values.</p>')
        return respond(page(f"Record {rid}", body))

    async def stats(self, request: web.Request) -> web.Response:
        store = self.gw.audit
        assert store is not None
        f, shown, errors = parse_filters(request.query)
        rows = [] if errors else await asyncio.to_thread(store.query, f)
        s = compute_stats(rows)
        lat = s["latency_ms"]

        def num(v: Any) -> str:
            return "-" if v is None else esc(v)

        totals = table(["measure", "value"], [
            ["requests", num(s["requests"])], ["blocked", num(s["blocked"])],
            ["errors (status &ge; 400)", num(s["errors"])],
            ["first", num(s["first"] or None)], ["last", num(s["last"] or None)],
            ["bytes in / out", f"{num(s['bytes_in'])} / {num(s['bytes_out'])}"],
            ["tokens prompt / completion",
             f"{num(s['prompt_tokens'])} / {num(s['completion_tokens'])}"],
            ["latency p50 / p95 / max (ms)",
             " / ".join(num(None if v is None else round(v, 1))
                        for v in (lat["p50"], lat["p95"], lat["max"]))],
            ["productivity (mean)", num(s["productivity_mean"])],
        ])
        # per team and type: values found, and requests with at least one
        matrix: dict[str, Counter[str]] = defaultdict(Counter)
        for r in rows:
            for x in r["findings"]:
                matrix[r["tenant"]][x.get("type", "?")] += int(x.get("count") or 0)
        types = list(s["findings_by_type"])
        team_rows = [
            [esc(t), esc(n)]
            + [esc(matrix[t].get(ty, 0) or "") for ty in types]
            for t, n in s["by_tenant"].items()
        ]
        per_team = table(["team (tenant)", "requests", *types], team_rows, "teams")
        by_type = table(
            ["finding type", "values", "requests"],
            [[esc(t), esc(n), esc(s["requests_by_finding_type"].get(t, 0))]
             for t, n in s["findings_by_type"].items()],
        )
        charts = ""
        if rows:
            size, unit = bucket_size(min(r["ts"] for r in rows), max(r["ts"] for r in rows))
            by_type_t = series(rows, lambda r: [(x.get("type", "?"), int(x.get("count") or 0))
                                                for x in r["findings"]], size)
            by_team_t = series(rows, lambda r: [(r["tenant"], 1)], size)
            charts = (bar_chart(f"Findings per type, per {unit}", by_type_t, size, unit)
                      + bar_chart(f"Requests per team, per {unit}", by_team_t, size, unit))
        body = (filter_form("/admin/stats", shown, errors) + charts + "<h2>Totals</h2>" + totals
                + "<h2>Per team and finding type</h2>" + per_team
                + "<h2>Per finding type</h2>" + by_type)
        return respond(page("Statistics", body), 400 if errors else 200)

    async def chain(self, request: web.Request) -> web.Response:
        store = self.gw.audit
        assert store is not None
        v = await asyncio.to_thread(store.verify)
        legacy = (f" {v.legacy} older record(s) from before the chain were not checked."
                  if v.legacy else "")
        if v.ok:
            body = (f'<p id="chain-status" class="ok">OK</p><p>{v.checked} record(s), hash chain '
                    f"intact, head <code>{esc(v.head_hash)}</code>.{esc(legacy)}</p>")
        else:
            body = (
                f'<p id="chain-status" class="bad">FAILED</p><p>Record '
                f'<a href="/admin/records/{int(v.bad_id or 0)}">{esc(v.bad_id)}</a>: '
                f"{esc(v.reason)} ({v.checked} record(s) before it check out).{esc(legacy)}</p>"
            )
        return respond(page("Hash chain", body))


def routes(app: web.Application, gw: Gateway) -> Admin | None:
    """Add the /admin pages when the config names an admin key; without one they do not exist."""
    if not gw.config.admin_key_sha256:
        return None
    admin = Admin(gw)
    r = app.router
    r.add_get("/admin/login", admin.login_page)
    r.add_post("/admin/login", admin.login)
    r.add_post("/admin/logout", admin.logout)
    r.add_get("/admin", admin.guarded(admin.records))
    r.add_get("/admin/", admin.guarded(admin.records))
    r.add_get("/admin/records/{rid:\\d+}", admin.guarded(admin.record))
    r.add_get("/admin/stats", admin.guarded(admin.stats))
    r.add_get("/admin/chain", admin.guarded(admin.chain))
    return admin
