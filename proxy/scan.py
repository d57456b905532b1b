"""``codeveil scan``: what the gateway would send upstream for a text, without sending it."""

from __future__ import annotations

import json
import secrets

from proxy.policy import Policy
from proxy.veil.engine import Blocked, Veil


def scan_text(text: str, policy: Policy, as_json: bool = False, key: bytes | None = None) -> str:
    veil = Veil(policy, key or secrets.token_bytes(32))
    findings = sorted(veil.detect(text), key=lambda f: (f.start, -f.length))
    try:
        (anon,), mapping = veil.anonymize([text])
        blocked: list[str] = []
    except Blocked as e:
        anon, mapping, blocked = "", None, e.types
    rows = [
        {
            "start": f.start,
            "end": f.end,
            "type": f.type,
            "category": f.category,
            "recognizer": f.recognizer,
            "score": f.score,
            "action": policy.action(f.type, f.category),
            "replacement": mapping.forward.get(text[f.start : f.end]) if mapping else None,
        }
        for f in findings
    ]
    if as_json:
        return json.dumps({"blocked": blocked, "upstream_text": anon, "findings": rows}, indent=2)
    if blocked:
        return f"BLOCKED by policy '{policy.name}': {', '.join(blocked)}"
    out = ["--- what the upstream would receive ---", anon, "", "--- replacements ---"]
    for r in rows:
        out.append(
            f"{r['start']:>6}-{r['end']:<6} {r['type']:<24} {r['recognizer']:<14} "
            f"{r['score']:.2f} {r['action']:<12} -> {r['replacement']}"
        )
    if not rows:
        out.append("(none)")
    return "\n".join(out)
