"""HTML for the admin page: templates and the stylesheet are files beside this module.

Templates use :class:`string.Template` placeholders. Every value is escaped with :func:`esc`
before it is put in, except fragments that are already HTML (built here from escaped values).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import html
from functools import cache
from importlib.resources import files
from string import Template
from typing import Any
from urllib.parse import urlencode

from aiohttp import web
from multidict import MultiDictProxy

from proxy.audit import Filters
from proxy.audit.report import parse_time, yes_no


@cache
def template(name: str) -> Template:
    """``templates/<name>``, without the file's final newline."""
    text = (files(__package__) / "templates" / name).read_text(encoding="utf-8")
    return Template(text.removesuffix("\n"))


def render(template_name: str, /, **values: Any) -> str:
    return template(template_name).substitute(values)


STYLE = (files(__package__) / "static" / "style.css").read_text(encoding="utf-8")
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
    return render("page.html", title=esc(title), style=STYLE, body=body,
                  nav=render("nav.html") if nav else "")


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
            f.blocked = yes_no(shown["blocked"])
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
        return render("field.html", name=name, label=esc(label), value=esc(shown.get(name)),
                      hint=esc(hint))

    opts = "".join(
        f'<option value="{v}"{" selected" if shown.get("blocked") == v else ""}>{t}</option>'
        for v, t in (("", "any"), ("yes", "yes"), ("no", "no"))
    )
    fields = (
        field("tenant", "tenant")
        + field("type", "finding type", "EMAIL,AWS_ACCESS_KEY_ID")
        + field("action", "action", "block")
        + render("blocked.html", options=opts)
        + field("since", "since", "2h, 7d, 2025-01-31")
        + field("until", "until")
        + field("endpoint", "endpoint", "/v1/chat/completions")
    )
    err = "".join(f'<p class="err">{esc(e)}</p>' for e in errors)
    return render("filters.html", errors=err, action=action, fields=fields)


def query_string(shown: dict[str, str], **more: Any) -> str:
    items = [(k, v) for k, v in shown.items() if v] + [(k, str(v)) for k, v in more.items()]
    return ("?" + urlencode(items)) if items else ""
