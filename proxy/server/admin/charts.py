"""The statistics page's charts: stacked bars per time bucket, drawn as inline SVG."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from proxy.audit.report import iso
from proxy.server.admin.render import esc, render

MAX_BUCKETS = 120
MAX_SERIES = 8
COLORS = ("#4269d0", "#efb118", "#ff725c", "#6cc5b0", "#3ca951", "#ff8ab7", "#a463f2",
          "#97bbf5", "#9c6b4e")


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
    svg = render("chart.svg", width=w, height=total_h, title=esc(title), marks="".join(parts))
    return f"<h2>{esc(title)}</h2>" + svg
