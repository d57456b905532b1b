"""The whole dev corpus through a real gateway: nothing planted is at rest afterwards.

No sensitive text of any record may occur in the audit store's files or in the gateway's log,
and the audit chain must verify.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import time

import httpx

from proxy.testing.data import CORPUS
from tests.conftest import CODEVEIL, start_gateway


def test_no_planted_value_in_audit_store_or_logs(upstream, tmp_path):
    with gzip.open(CORPUS, "rt") as f:
        records = [json.loads(line) for line in f]
    terms = sorted({t for r in records for t in r["policy"]["terms"]})
    domains = sorted({d for r in records for d in r["policy"]["internal_domains"]})
    policy = f"name: corpus\nterms: {json.dumps(terms)}\ninternal_domains: {json.dumps(domains)}\n"
    gw = start_gateway(tmp_path, upstream.url, policy=policy)
    try:
        with httpx.Client(base_url=gw.url, timeout=60) as client:
            for r in records:
                resp = client.post("/v1/chat/completions", json={
                    "model": "echo", "messages": r["messages"], "stream": r["id"].endswith("1")})
                assert resp.status_code == 200, (r["id"], resp.text[:200])
        time.sleep(0.5)
    finally:
        gw.stop()  # writes what is still queued
    log = gw.log_path.read_text()
    at_rest = b"".join(p.read_bytes() for p in (tmp_path / "data").iterdir() if p.is_file())
    leaks = [(r["id"], s["type"]) for r in records for s in r["sensitive"]
             if s["text"] in log or s["text"].encode() in at_rest]
    assert leaks == []
    out = subprocess.run([CODEVEIL, "audit", "verify", "--config", str(tmp_path / "config.yaml")],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.startswith("OK: 160 record(s)")
