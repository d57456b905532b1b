"""The audit log: hash chain, review CLI and an end-to-end corpus run, on SQLite and PostgreSQL.

The PostgreSQL variant needs CODEVEIL_TEST_POSTGRES_URL (``.ci/run`` starts a server and sets it);
each test gets its own schema there.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from proxy.audit import AuditRecord, AuditStore, code_chars, policy_hash, usage_of
from proxy.policy import Policy
from proxy.testing.data import CORPUS
from proxy.veil.engine import FindingSummary
from tests.conftest import CODEVEIL, PG_URL, REPO, pg_schema, start_gateway, store_sql


@pytest.fixture(params=["sqlite", "postgres"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield str(tmp_path / "audit.db")
        return
    if not PG_URL:
        pytest.skip("CODEVEIL_TEST_POSTGRES_URL is not set")
    with pg_schema("t") as url:
        yield url


def audit(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([CODEVEIL, "audit", *args], capture_output=True, text=True, cwd=REPO,
                          timeout=60)
    if check:
        assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def finding(type_: str, action: str = "pseudonymize", count: int = 1) -> FindingSummary:
    return FindingSummary(type_, "pii", "test", action, count, "f" * 16)


def fill(target: str) -> None:
    store = AuditStore(target)
    t0 = 1_700_000_000.0
    recs = [
        AuditRecord("/v1/chat/completions", tenant="alpha", model="gpt-4o", upstream="echo",
                    status=200, findings=[finding("EMAIL", count=2)], ts=t0, latency_ms=12.5,
                    bytes_in=100, bytes_out=200, prompt_tokens=10, completion_tokens=20),
        AuditRecord("/v1/chat/completions", tenant="beta", model="gpt-4o", status=403,
                    blocked=True, findings=[finding("PRIVATE_KEY", "block")], ts=t0 + 3600,
                    error="blocked_by_policy"),
        AuditRecord("/v1/responses", tenant="alpha", model="gpt-4o", upstream="echo",
                    status=200, findings=[finding("TERM"), finding("EMAIL")], ts=t0 + 7200,
                    latency_ms=30.0, productivity=0.75),
        AuditRecord("/v1/messages", tenant="beta", model="claude", upstream="echo",
                    status=502, error="upstream_unreachable", ts=t0 + 10800),
        AuditRecord("/v1/chat/completions", tenant="alpha", model="gpt-4o", upstream="echo",
                    status=200, stream=True, ts=t0 + 14400, latency_ms=8.0),
    ]
    for r in recs:
        store.submit(r)
    store.close()


def test_verify_passes_then_names_an_edited_record(target):
    fill(target)
    out = audit("verify", "--db", target).stdout
    assert out.startswith("OK: 5 record(s)")
    store_sql(target, "UPDATE requests SET tenant = 'gamma' WHERE id = 3")
    proc = audit("verify", "--db", target, check=False)
    assert proc.returncode == 1
    assert "FAILED: record 3:" in proc.stdout and "edited" in proc.stdout


def test_an_edited_record_with_a_recomputed_hash_breaks_the_next_link(target):
    fill(target)
    store_sql(target, "UPDATE requests SET hash = 'ab' WHERE id = 2")
    proc = audit("verify", "--db", target, check=False)
    assert proc.returncode == 1 and "record 2:" in proc.stdout  # its own hash no longer fits


def test_a_deleted_record_is_named_by_the_next_one(target):
    fill(target)
    store_sql(target, "DELETE FROM requests WHERE id = 3")
    proc = audit("verify", "--db", target, check=False)
    assert proc.returncode == 1
    assert "FAILED: record 4:" in proc.stdout and "deleted" in proc.stdout


def test_deleting_the_last_record_is_caught_by_the_chain_head(target):
    fill(target)
    store_sql(target, "DELETE FROM requests WHERE id = 5")
    proc = audit("verify", "--db", target, check=False)
    assert proc.returncode == 1 and "FAILED: record 5:" in proc.stdout


def test_replicas_appending_together_keep_one_chain(target):
    stores = [AuditStore(target) for _ in range(3)]

    def burst(store: AuditStore) -> None:
        for i in range(40):
            store.submit(AuditRecord("/v1/chat/completions", status=200, latency_ms=i))
            if i % 7 == 0:
                time.sleep(0.001)

    threads = [threading.Thread(target=burst, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in stores:
        s.close()
    store = AuditStore(target, writer=False)
    try:
        v = store.verify()
        assert v.ok and v.checked == 120, v
        assert [r["id"] for r in store.query()] == list(range(1, 121))
    finally:
        store.close()


def test_cli_list_show_stats(target):
    fill(target)
    out = audit("list", "--db", target).stdout
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["id", "time", "(UTC)"]
    assert [ln.split()[0] for ln in lines[2:7]] == ["5", "4", "3", "2", "1"]  # newest first
    assert "BLOCKED" in out and "EMAIL×2" in out and "5 record(s)" in out

    out = audit("list", "--db", target, "--tenant", "alpha", "--type", "EMAIL").stdout
    assert [ln.split()[0] for ln in out.splitlines()[2:-1]] == ["3", "1"]
    out = audit("list", "--db", target, "--blocked", "yes", "--json").stdout
    assert [json.loads(ln)["id"] for ln in out.splitlines()] == [2]
    out = audit("list", "--db", target, "--action", "block", "--json").stdout
    assert [json.loads(ln)["id"] for ln in out.splitlines()] == [2]
    out = audit("list", "--db", target, "--since", "2023-11-14T23:00:00Z",
                "--until", "1700012000", "--json").stdout
    assert [json.loads(ln)["id"] for ln in out.splitlines()] == [4, 3, 2]

    out = audit("show", "3", "--db", target).stdout
    assert "productivity       0.75" in out and "TERM" in out and "/v1/responses" in out
    shown = json.loads(audit("show", "1", "--db", target, "--json").stdout)
    assert shown["prompt_tokens"] == 10 and shown["findings"][0]["count"] == 2
    assert audit("show", "99", "--db", target, check=False).returncode == 1

    stats = json.loads(audit("stats", "--db", target, "--json").stdout)
    assert stats["requests"] == 5 and stats["blocked"] == 1 and stats["errors"] == 2
    assert stats["findings_by_type"] == {"EMAIL": 3, "PRIVATE_KEY": 1, "TERM": 1}
    assert stats["by_tenant"] == {"alpha": 3, "beta": 2}
    text = audit("stats", "--db", target, "--tenant", "beta").stdout
    assert "requests" in text and "PRIVATE_KEY" in text and "EMAIL" not in text


def test_cli_export_jsonl_and_csv(target, tmp_path):
    fill(target)
    rows = [json.loads(ln) for ln in audit("export", "--db", target).stdout.splitlines()]
    assert [r["id"] for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0]["time"] == "2023-11-14T22:13:20.000Z" and rows[0]["hash"]
    assert rows[1]["findings"][0]["type"] == "PRIVATE_KEY"

    dest = tmp_path / "out.csv"
    audit("export", "--db", target, "--format", "csv", "--tenant", "alpha", "-o", str(dest))
    table = list(csv.DictReader(io.StringIO(dest.read_text())))
    assert [r["id"] for r in table] == ["1", "3", "5"]
    assert table[1]["finding_types"] == "EMAIL TERM"
    assert json.loads(table[0]["findings"])[0]["fingerprint"] == "f" * 16


def test_an_audit_db_from_before_the_chain_is_upgraded(tmp_path):
    db = tmp_path / "audit.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE requests (id INTEGER PRIMARY KEY AUTOINCREMENT, ts REAL NOT "
                     "NULL, endpoint TEXT NOT NULL, tenant TEXT, findings TEXT NOT NULL)")
        conn.execute("INSERT INTO requests (ts, endpoint, tenant, findings) "
                     "VALUES (1.0, '/v1/chat/completions', 'default', '[]')")
    store = AuditStore(db)
    store.submit(AuditRecord("/v1/chat/completions", status=200))
    store.close()
    out = audit("verify", "--db", str(db)).stdout
    assert "OK: 1 record(s)" in out and "1 older record(s)" in out


def test_helpers():
    assert usage_of({"usage": {"prompt_tokens": 3, "completion_tokens": 4}}) == (3, 4)
    assert usage_of({"usage": {"input_tokens": 5, "output_tokens": 6}}) == (5, 6)
    assert usage_of({}) == (None, None)
    assert code_chars("x\n```py\nab\ncd\n```\ny") == 6
    assert policy_hash(Policy(terms=("A",))) == policy_hash(Policy(terms=("A",)))
    assert policy_hash(Policy(terms=("A",))) != policy_hash(Policy(terms=("B",)))


# -- end to end: dev-corpus records through a real gateway ----------------------------------------


def _corpus(n: int) -> list[dict]:
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        recs = [json.loads(line) for line in f]
    # a spread of languages and scenarios, the large ones left out to keep this fast
    picked = [r for r in recs if "large" not in r.get("tags", [])][:: 9][:n]
    assert len(picked) == n
    return picked


def test_corpus_run_leaves_no_value_in_the_audit_store_or_log(target, upstream, tmp_path):
    records = _corpus(6)
    terms = sorted({t for r in records for t in r["policy"]["terms"]})
    domains = sorted({d for r in records for d in r["policy"]["internal_domains"]})
    policy = (f"name: corpus\nterms: {json.dumps(terms)}\ninternal_domains: {json.dumps(domains)}\n"
              "actions: {secret: pseudonymize, pii: pseudonymize, term: pseudonymize}\n")
    pg = target.startswith("postgresql://")
    extra = f"audit: {{url: '{target}'}}\n" if pg else ""
    gw = start_gateway(tmp_path / "gw", upstream.url, policy=policy, extra=extra)
    config = str(tmp_path / "gw" / "config.yaml")
    try:
        for i, rec in enumerate(records):
            body = {"model": "gpt-test", "messages": rec["messages"], "stream": i % 2 == 1}
            r = httpx.post(f"{gw.url}/v1/chat/completions", json=body, timeout=60)
            assert r.status_code == 200, r.text[:300]
        metrics = httpx.get(f"{gw.url}/metrics").text
    finally:
        gw.stop()  # flushes the audit writer
    assert 'codeveil_requests_total{endpoint="/v1/chat/completions",status="200"} 6' in metrics

    if pg:
        rows = store_sql(target, "SELECT requests::text FROM requests")
        rows += store_sql(target, "SELECT audit_head::text FROM audit_head")
        stored = "\n".join(r[0] for r in rows)
        stored_bytes = stored.encode()
    else:
        data = tmp_path / "gw" / "data"
        stored_bytes = b"".join(p.read_bytes() for p in data.iterdir()
                                if p.name.startswith("audit.db"))
    log = gw.log_path.read_text()
    values = {s["text"] for r in records for s in r["sensitive"] if len(s["text"]) >= 6}
    assert len(values) > 15
    for v in values:
        assert v.encode() not in stored_bytes, v[:4]
        assert v not in log, v[:4]

    out = audit("verify", "--config", config).stdout
    assert out.startswith("OK: 6 record(s)")
    rows = [json.loads(ln) for ln in audit("export", "--config", config).stdout.splitlines()]
    assert len(rows) == 6 and all(r["policy_hash"] and len(r["policy_hash"]) == 64 for r in rows)
    assert sum(f["count"] for r in rows for f in r["findings"]) > 15
    assert [r["stream"] for r in rows] == [False, True] * 3


def test_one_unwritable_record_does_not_lose_its_batch(tmp_path):
    errors: list[str] = []
    store = AuditStore(tmp_path / "audit.db", errors.append)
    good = [AuditRecord(endpoint="/v1/chat/completions", model=f"m{i}") for i in range(3)]
    bad = AuditRecord(endpoint="/v1/loop/runs", loop_run={"cannot": {1, 2}})  # not JSON
    for r in (good[0], bad, good[1], good[2]):
        store.submit(r)
    store.flush()
    models = [row["model"] for row in store.query()]
    verdict = store.verify()
    store.close()
    assert models == ["m0", "m1", "m2"]
    assert verdict.ok and verdict.checked == 3
    assert errors and set(errors) == {"TypeError"}


def test_every_text_field_is_made_storable(target):
    """NUL (PostgreSQL refuses it), a lone surrogate (not UTF-8) and a huge string in a
    client-chosen field: the record is still written, and the chain verifies."""
    errors: list[str] = []
    store = AuditStore(target, errors.append)
    for model in ("echo\x00x", "echo\ud800", "m" * 5000):
        store.submit(AuditRecord(endpoint="/v1/chat/completions", model=model,
                                 tenant="t\x00", error="e\udfff"))
    store.flush()
    rows = store.query()
    verdict = store.verify()
    store.close()
    assert errors == []
    assert [r["model"] for r in rows][:2] == ["echo\ufffdx", "echo\ufffd"]
    assert len(rows[2]["model"]) == 256 and rows[2]["model"].startswith("mmm")
    assert {r["tenant"] for r in rows} == {"t\ufffd"} and {r["error"] for r in rows} == {"e\ufffd"}
    assert verdict.ok and verdict.checked == 3


def test_a_nul_or_lone_surrogate_in_the_model_still_leaves_a_record(target, upstream, tmp_path):
    pg = target.startswith("postgresql://")
    gw = start_gateway(tmp_path / "gw", upstream.url, extra="veil: {key_file: surrogate.key}\n",
                       audit=f"{{{'url' if pg else 'path'}: '{target}'}}")
    upstream.clear()
    try:
        for model in ('"echo\\u0000x"', '"echo\\ud800"'):
            body = '{"model": ' + model + ', "messages": [{"role": "user", "content": "hi"}]}'
            httpx.post(f"{gw.url}/v1/chat/completions", content=body.encode(), timeout=30,
                       headers={"Content-Type": "application/json"})
        forwarded = len(upstream.recorded())
    finally:
        gw.stop()  # flushes the audit writer
    store = AuditStore(target, writer=False)
    rows, verdict = store.query(), store.verify()
    store.close()
    assert len(rows) == 2 and verdict.ok  # every request has its record, forwarded or not
    assert forwarded <= len(rows)
    assert all(r["model"] is None or "\x00" not in r["model"] for r in rows)
