"""``codeveil audit list|show|stats|export|verify``: review the audit log from the shell."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from proxy.audit import COLUMNS, AuditError, AuditStore, Filters
from proxy.audit.report import compute_stats, findings_brief, iso, parse_time, plain, yes_no


def _open(args: argparse.Namespace) -> AuditStore:
    target: str | Path | None = args.db
    if target is None:
        from proxy.config import ConfigError, load_config

        try:
            config = load_config(args.config)
        except ConfigError as e:
            raise AuditError(str(e)) from None
        target = config.audit_url or config.audit_path
        if target is None:
            raise AuditError(f"{args.config}: no audit store configured (key 'audit')")
    text = str(target)
    if not text.startswith(("postgresql://", "postgres://")) and not Path(text).is_file():
        raise AuditError(f"{text}: no such audit database")
    return AuditStore(target, writer=False)


def _filters(args: argparse.Namespace) -> Filters:
    return Filters(
        tenant=args.tenant,
        since=args.since,
        until=args.until,
        blocked=args.blocked,
        types=tuple(args.type or ()),
        actions=tuple(args.action or ()),
        endpoint=args.endpoint,
    )


def table(headers: list[str], rows: list[list[Any]], out: TextIO, width: int = 48) -> None:
    cells = [[("" if v is None else str(v))[:width] for v in r] for r in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    out.write("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for r in cells:
        out.write("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() + "\n")


def cmd_list(store: AuditStore, args: argparse.Namespace, out: TextIO) -> int:
    rows = store.query(_filters(args), newest_first=True, limit=args.limit)
    if args.json:
        for r in rows:
            out.write(json.dumps(plain(r), ensure_ascii=False) + "\n")
        return 0
    table(
        ["id", "time (UTC)", "tenant", "key", "endpoint", "model", "upstream", "status",
         "blocked", "findings", "ms"],
        [[r["id"], iso(r["ts"])[:19].replace("T", " "), r["tenant"], r["key_id"] or "-",
          r["endpoint"], r["model"] or "-", r["upstream"] or "-", r["status"],
          "BLOCKED" if r["blocked"] else "", findings_brief(r["findings"]),
          f"{r['latency_ms']:.1f}" if r["latency_ms"] is not None else ""]
         for r in rows],
        out,
    )
    out.write(f"{len(rows)} record(s)\n")
    return 0


def cmd_show(store: AuditStore, args: argparse.Namespace, out: TextIO) -> int:
    row = store.get(args.id)
    if row is None:
        print(f"codeveil: no audit record {args.id}", file=sys.stderr)
        return 1
    if args.json:
        out.write(json.dumps(plain(row), ensure_ascii=False, indent=2) + "\n")
        return 0
    fields = plain(row)
    findings = fields.pop("findings")
    width = max(len(k) for k in fields)
    for k, v in fields.items():
        out.write(f"{k.ljust(width)}  {'-' if v is None else v}\n")
    out.write("\nfindings:\n")
    if findings:
        table(["type", "category", "recognizer", "action", "count", "fingerprint"],
              [[f.get("type"), f.get("category"), f.get("recognizer"), f.get("action"),
                f.get("count"), f.get("fingerprint")] for f in findings], out)
    else:
        out.write("  none\n")
    return 0


def cmd_stats(store: AuditStore, args: argparse.Namespace, out: TextIO) -> int:
    s = compute_stats(store.query(_filters(args)))
    if args.json:
        out.write(json.dumps(s, indent=2) + "\n")
        return 0
    lat = s["latency_ms"]

    def ms(v: float | None) -> str:
        return "-" if v is None else f"{v:.1f} ms"

    table(["measure", "value"], [
        ["requests", s["requests"]],
        ["blocked", s["blocked"]],
        ["errors (status >= 400)", s["errors"]],
        ["first", s["first"] or "-"],
        ["last", s["last"] or "-"],
        ["bytes in / out", f"{s['bytes_in']} / {s['bytes_out']}"],
        ["tokens prompt / completion",
         f"{s['prompt_tokens'] if s['prompt_tokens'] is not None else '-'} / "
         f"{s['completion_tokens'] if s['completion_tokens'] is not None else '-'}"],
        ["latency p50 / p95 / max", f"{ms(lat['p50'])} / {ms(lat['p95'])} / {ms(lat['max'])}"],
        ["productivity (mean)", s["productivity_mean"] if s["productivity_mean"] is not None
         else "-"],
    ], out)
    for title, key in (("tenant", "by_tenant"), ("endpoint", "by_endpoint"),
                       ("status", "by_status"), ("action", "findings_by_action"),
                       ("late finding (sent in clear before)", "late_findings_by_type")):
        if s[key]:
            out.write("\n")
            table([title, "count"], [[k, v] for k, v in s[key].items()], out)
    if s["findings_by_type"]:
        out.write("\n")
        table(["finding type", "values", "requests"],
              [[t, n, s["requests_by_finding_type"].get(t, 0)]
               for t, n in s["findings_by_type"].items()], out)
    return 0


def cmd_export(store: AuditStore, args: argparse.Namespace, out: TextIO) -> int:
    rows = [plain(r) for r in store.query(_filters(args), limit=args.limit)]
    dest = open(args.output, "w", encoding="utf-8", newline="") if args.output else out  # noqa: SIM115
    try:
        if args.format == "jsonl":
            for r in rows:
                dest.write(json.dumps(r, ensure_ascii=False) + "\n")
        else:
            fields = ["id", "time", *COLUMNS, "finding_types", "prev_hash", "hash"]
            w = csv.DictWriter(dest, fieldnames=fields, lineterminator="\n")
            w.writeheader()
            for r in rows:
                flat = dict(r)
                flat["finding_types"] = " ".join(sorted({f["type"] for f in r["findings"]}))
                flat["findings"] = json.dumps(r["findings"], separators=(",", ":"))
                flat["blocked"] = int(bool(r["blocked"]))
                flat["stream"] = int(bool(r["stream"]))
                w.writerow(flat)
    finally:
        if dest is not out:
            dest.close()
    if args.output:
        print(f"wrote {len(rows)} record(s) to {args.output}", file=sys.stderr)
    return 0


def cmd_verify(store: AuditStore, args: argparse.Namespace, out: TextIO) -> int:
    v = store.verify()
    legacy = f" ({v.legacy} older record(s) from before the chain not checked)" if v.legacy else ""
    if v.ok:
        out.write(f"OK: {v.checked} record(s), hash chain intact, head {v.head_hash[:16]}"
                  f"{legacy}\n")
        return 0
    out.write(f"FAILED: record {v.bad_id}: {v.reason} "
              f"({v.checked} record(s) before it check out){legacy}\n")
    return 1


COMMANDS = {"list": cmd_list, "show": cmd_show, "stats": cmd_stats, "export": cmd_export,
            "verify": cmd_verify}


def run_audit(args: argparse.Namespace) -> int:
    try:
        store = _open(args)
    except AuditError as e:
        print(f"codeveil: {e}", file=sys.stderr)
        return 2
    try:
        return COMMANDS[args.audit_command](store, args, sys.stdout)
    finally:
        store.close()


def add_parser(sub: Any) -> None:
    """The ``audit`` subcommand and its own subcommands, on the main parser's subparsers."""
    where = argparse.ArgumentParser(add_help=False)
    g = where.add_argument_group("audit store")
    g.add_argument("--config", default="config.yaml",
                   help="the gateway's config; its 'audit' key names the store "
                   "(default: %(default)s)")
    g.add_argument("--db", help="the store itself: a SQLite file or a postgresql:// URL")

    filt = argparse.ArgumentParser(add_help=False)
    f = filt.add_argument_group("filters")
    f.add_argument("--tenant")
    f.add_argument("--endpoint", help="e.g. /v1/chat/completions")
    f.add_argument("--since", type=parse_time, help="ISO time or date (UTC), Unix time, or 2h/7d")
    f.add_argument("--until", type=parse_time, help="same forms as --since; exclusive")
    f.add_argument("--type", action="append", help="a finding type, e.g. EMAIL (repeatable)")
    f.add_argument("--action", action="append",
                   help="a finding action, e.g. pseudonymize, block (repeatable)")
    f.add_argument("--blocked", type=yes_no, metavar="yes|no")

    p = sub.add_parser("audit", help="review and verify the audit log")
    asub = p.add_subparsers(dest="audit_command", required=True)
    q = asub.add_parser("list", parents=[where, filt], help="the newest records, as a table")
    q.add_argument("--limit", type=int, default=50)
    q.add_argument("--json", action="store_true", help="one JSON object per line")
    q = asub.add_parser("show", parents=[where], help="one record in full")
    q.add_argument("id", type=int)
    q.add_argument("--json", action="store_true")
    q = asub.add_parser("stats", parents=[where, filt], help="totals, findings, latency")
    q.add_argument("--json", action="store_true")
    q = asub.add_parser("export", parents=[where, filt], help="records as JSON lines or CSV")
    q.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    q.add_argument("--output", "-o", help="a file (default: standard output)")
    q.add_argument("--limit", type=int, default=None)
    asub.add_parser("verify", parents=[where],
                    help="check the hash chain; name the first bad record")
    p.set_defaults(func=run_audit)
