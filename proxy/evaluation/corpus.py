"""A corpus record and what reached the upstream: loading, the record's policy, leak tests.

The record format and the metrics are those of the corpus README
(``proxy/testing/data/corpus/README.md``).
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from typing import Any

from proxy.policy import Policy


def load_corpus(path: str | Path) -> list[dict[str, Any]]:
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def upstream_text(body: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for m in body.get("messages") or []:
        if isinstance(m.get("content"), str):
            out.append(m["content"])
        for tc in m.get("tool_calls") or []:
            out.append(tc["function"]["name"])
            out.append(tc["function"]["arguments"])
    return out


def leaked(item: dict[str, Any], texts: list[str]) -> bool:
    if item["kind"] == "term":
        needle = item["text"].lower()
        return any(needle in t.lower() for t in texts)
    return any(item["text"] in t for t in texts)


# Parts of a secret that are public structure, not secret: PEM armour, well-known prefixes, a
# JWT's header, and everything of a URL or connection string but its password or key.
_PUBLIC_PARTS = [
    re.compile(r"-----(BEGIN|END)[A-Z ]*-----\s*"),
    re.compile(
        r"^(sk|rk)_(live|test)_|^xox[a-z]-|^pypi-AgEIcHlwaS5vcmc|^gh[pousr]_|^github_pat_"
        r"|^glpat-|^npm_|^AIza|^sk-proj-|^sk-ant-api03-|^SG\.|^AKIA|^ASIA"
    ),
    re.compile(r"^eyJ[A-Za-z0-9_-]*\."),
    # openssh-key-v1, cipher "none", kdf "none", one key: the same in every unencrypted key.
    re.compile(r"b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAAB"),
    re.compile(r"^https://hooks\.slack\.com/services/"),
    # the syntax of an escaped or listed encoding (\u0073\u006b, 0x73, 0x6b, 's', 'k'): the
    # same in every secret so written
    re.compile(r"\\u00|\\x(?=[0-9a-fA-F]{2})|0x(?=[0-9a-fA-F]{2}, )|'?,[ \t]+'?"),
    re.compile(r"^[a-z0-9+.-]+://[^:/@\s]*:|@[^\s]*$"),
    re.compile(
        r"(DefaultEndpointsProtocol|AccountName|EndpointSuffix|BlobEndpoint|Endpoint)"
        r"=[^;]*;?|(AccountKey|SharedAccessKeyName|SharedAccessKey)="
    ),
]


def strict_secret_leak(secret: str, texts: list[str]) -> bool:
    """A 16-character piece of the secret reached the upstream, half of it or more secret.

    A piece that is mostly structure (armour, a prefix, a URL's host, base64 padding) plus a
    character or two that a format-preserving fake keeps does not count.
    """
    public = [False] * len(secret)
    for rx in _PUBLIC_PARTS:
        for m in rx.finditer(secret):
            for i in range(m.start(), m.end()):
                public[i] = True
    joined = "\x00".join(texts)
    for i in range(len(secret) - 15):
        if public[i : i + 16].count(False) < 8:
            continue
        if secret[i : i + 16] in joined:
            return True
    return False


def record_policy(base: Policy, record: dict[str, Any]) -> Policy:
    pol = record.get("policy") or {}
    return Policy(
        name=f"{base.name}+record",
        terms=tuple(pol.get("terms") or ()),
        internal_domains=tuple(pol.get("internal_domains") or ()),
        categories=base.categories,
        actions=base.actions,
        allow=base.allow,
        content_parts=base.content_parts,
        identifiers=pol.get("identifiers") or base.identifiers,
    )


