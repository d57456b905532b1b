"""``codeveil scan``: what the gateway would send upstream for a text, without sending it."""

from __future__ import annotations

import argparse
import json
import secrets
import sys
from pathlib import Path
from typing import Any

from proxy.policy import Policy, PolicyError, default_policy_path, load_policy


def scan_text(text: str, policy: Policy, as_json: bool = False, key: bytes | None = None,
              color: bool | None = None) -> str:
    """The upstream text with every replacement marked, and the list of replacements."""
    from proxy.veil.engine import Blocked, Veil  # loads every recognizer: only when scanning

    veil = Veil(policy, key or secrets.token_bytes(32))
    try:
        (anon,), mapping = veil.anonymize([text])
    except Blocked as e:
        if as_json:
            return json.dumps({"blocked": e.types, "upstream_text": None, "replacements": []})
        return f"BLOCKED by policy '{policy.name}': {', '.join(e.types)}"
    rows, marked, pos = [], [], 0
    color = sys.stdout.isatty() if color is None else color
    left, right = ("\033[1;33m", "\033[0m") if color else ("⟦", "⟧")
    for start, end, dummy in mapping.replacer.matches(text):
        value = text[start:end]
        type_, category, recognizer, score, action = mapping.origins.get(
            value, ("JSON_ESCAPED", "", "", 1.0, "pseudonymize"))
        rows.append({"start": start, "end": end, "type": type_, "category": category,
                     "recognizer": recognizer, "score": score, "action": action,
                     "replacement": dummy})
        marked += [text[pos:start], left, dummy, right]
        pos = end
    marked.append(text[pos:])
    if as_json:
        return json.dumps({"blocked": [], "upstream_text": anon, "replacements": rows}, indent=2)
    out = ["--- what the upstream would receive (replacements marked) ---", "".join(marked), "",
           f"--- {len(rows)} replacements ---"]
    for r in rows:
        out.append(f"{r['start']:>6}-{r['end']:<6} {r['type']:<22} {r['category']:<10} "
                   f"{r['recognizer']:<14} {r['score']:.2f} {r['action']:<12} -> "
                   f"{r['replacement']}")
    return "\n".join(out)


def cmd_scan(args: argparse.Namespace) -> int:
    try:
        policy = load_policy(args.policy)
    except PolicyError as e:
        print(f"codeveil: {e}", file=sys.stderr)
        return 2
    text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
    print(scan_text(text, policy, as_json=args.json))
    return 0


def add_parser(sub: Any) -> None:
    p = sub.add_parser("scan", help="show what would be sent upstream, without sending it")
    p.add_argument("file", help="a file, or - for standard input")
    p.add_argument("--policy", default=str(default_policy_path()))
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_scan)
