"""``codeveil scan``: what the gateway would send upstream for a text, without sending it."""

from __future__ import annotations

import json
import secrets
import sys

from proxy.policy import Policy
from proxy.veil.engine import Blocked, Veil


def scan_text(text: str, policy: Policy, as_json: bool = False, key: bytes | None = None,
              color: bool | None = None) -> str:
    """The upstream text with every replacement marked, and the list of replacements."""
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
