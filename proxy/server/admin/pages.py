"""The admin page's views: records (searchable, paginated), one record, statistics, the chain.

Each record shows finding types, actions, counts and fingerprints: the store holds no values.
Queries go through :mod:`proxy.audit` and the filters and summaries of ``codeveil audit``.
"""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from typing import Any

from aiohttp import web

from proxy.audit import report
from proxy.audit.report import compute_stats, findings_brief, iso
from proxy.server.admin.charts import bar_chart, bucket_size, series
from proxy.server.admin.render import (
    esc,
    filter_form,
    page,
    parse_filters,
    query_string,
    render,
    respond,
    table,
)
from proxy.server.keys import AUDIT

PAGE_SIZE = 50


async def records(request: web.Request) -> web.Response:
    store = request.app[AUDIT]
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
    body = render(
        "records.html",
        filters=filter_form("/admin", shown, errors),
        count=esc(count),
        page=page_no,
        table=table(["id", "time (UTC)", "tenant", "key", "endpoint", "model", "upstream",
                     "status", "blocked", "findings", "ms"], cells, "records"),
        pager=" ".join(nav),
    )
    return respond(page("Audit records", body), 400 if errors else 200)

async def record(request: web.Request) -> web.Response:
    store = request.app[AUDIT]
    assert store is not None
    text = request.match_info["rid"]
    # SQLite's integers stop at 2**63 - 1: a longer id is no record (not an overflow).
    rid = int(text) if text.isascii() and len(text) <= 19 else 0
    row = await asyncio.to_thread(store.get, rid) if 0 < rid < 2**63 else None
    if row is None:
        return respond(page("Not found", "<p>No such audit record.</p>"), 404)
    plain = report.plain(row)
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
    body = render("record.html", fields=fields, findings=ftable)
    return respond(page(f"Record {rid}", body))

async def stats(request: web.Request) -> web.Response:
    store = request.app[AUDIT]
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
    body = render("stats.html", filters=filter_form("/admin/stats", shown, errors),
                  charts=charts, totals=totals, per_team=per_team, by_type=by_type)
    return respond(page("Statistics", body), 400 if errors else 200)

async def chain(request: web.Request) -> web.Response:
    store = request.app[AUDIT]
    assert store is not None
    v = await asyncio.to_thread(store.verify)
    legacy = (f" {v.legacy} older record(s) from before the chain were not checked."
              if v.legacy else "")
    if v.ok:
        body = render("chain_ok.html", checked=v.checked, head=esc(v.head_hash),
                      legacy=esc(legacy))
    else:
        body = render("chain_failed.html", bad_id=int(v.bad_id or 0), bad_label=esc(v.bad_id),
                      reason=esc(v.reason), checked=v.checked, legacy=esc(legacy))
    return respond(page("Hash chain", body))
