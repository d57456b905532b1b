"""GET /metrics: Prometheus text with requests, findings, blocks, upstream errors and latency."""

from __future__ import annotations

import re

import httpx

from proxy.audit import AuditRecord
from proxy.server.metrics import Metrics
from proxy.veil.engine import FindingSummary

JSON = {"Content-Type": "application/json"}
SECRET_EMAIL = "dana.whitlock@quorvex.com"


def _value(text: str, series: str) -> float:
    m = re.search(rf"^{re.escape(series)} (\S+)$", text, re.M)
    return float(m.group(1)) if m else 0.0


def test_metrics_count_requests_findings_errors_and_latency(gateway):
    before = httpx.get(f"{gateway.url}/metrics").text
    url = f"{gateway.url}/v1/chat/completions"
    msg = [{"role": "user", "content": f"Mail {SECRET_EMAIL} about Quorvex"}]
    for _ in range(2):
        assert httpx.post(url, json={"model": "gpt-test", "messages": msg}).status_code == 200
    assert httpx.post(url, json={"model": "error-400", "messages": msg}).status_code == 400
    assert httpx.post(url, content=b"{not json", headers=JSON).status_code == 400

    r = httpx.get(f"{gateway.url}/metrics")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain; version=0.0.4")
    text = r.text

    def delta(series: str) -> float:
        return _value(text, series) - _value(before, series)

    ep = 'endpoint="/v1/chat/completions"'
    assert delta(f'codeveil_requests_total{{{ep},status="200"}}') == 2
    assert delta(f'codeveil_requests_total{{{ep},status="400"}}') == 2
    assert delta('codeveil_findings_total{type="EMAIL",action="pseudonymize"}') == 3
    assert delta('codeveil_findings_total{type="TERM",action="pseudonymize"}') >= 3
    assert delta('codeveil_upstream_errors_total{upstream="echo",code="http_400"}') == 1
    assert delta(f'codeveil_request_duration_seconds_count{{{ep}}}') == 4
    assert delta(f'codeveil_request_duration_seconds_bucket{{{ep},le="+Inf"}}') == 4
    assert "# TYPE codeveil_request_duration_seconds histogram" in text
    assert "# TYPE codeveil_blocked_requests_total counter" in text
    assert SECRET_EMAIL not in text and "Quorvex" not in text


def test_blocks_and_upstream_failures_are_counted():
    m = Metrics()
    f = FindingSummary("PRIVATE_KEY", "secret", "pem", "block", 1, "0" * 16)
    m.observe(AuditRecord("/v1/messages", status=403, blocked=True, findings=[f],
                          error="blocked_by_policy", latency_ms=2))
    m.observe(AuditRecord("/v1/messages", upstream="up", status=504, error="upstream_timeout",
                          latency_ms=30_000))
    m.observe(AuditRecord("/v1/messages", upstream="up", status=499, latency_ms=1))
    text = m.render()
    assert 'codeveil_blocked_requests_total{endpoint="/v1/messages"} 1' in text
    assert 'codeveil_findings_total{type="PRIVATE_KEY",action="block"} 1' in text
    assert 'codeveil_upstream_errors_total{upstream="up",code="upstream_timeout"} 1' in text
    assert "http_499" not in text
    assert 'codeveil_request_duration_seconds_bucket{endpoint="/v1/messages",le="0.005"} 2' in text
    assert 'codeveil_request_duration_seconds_bucket{endpoint="/v1/messages",le="30"} 3' in text
    assert 'codeveil_request_duration_seconds_count{endpoint="/v1/messages"} 3' in text


def test_workers_snapshots_sum_into_one_exposition():
    """What one worker serves for all: counters and histograms summed, the audit queue summed,
    degraded if any worker is, and which worker (pid) handled how many requests."""
    from proxy.server.metrics import merged

    a, b = Metrics(), Metrics()
    a.worker, b.worker = (0, 101), (1, 202)
    f = FindingSummary("EMAIL", "pii", "email", "pseudonymize", 2, "0" * 16)
    a.observe(AuditRecord("/v1/chat/completions", status=200, findings=[f], latency_ms=3))
    a.observe(AuditRecord("/v1/chat/completions", status=200, latency_ms=700))
    b.observe(AuditRecord("/v1/chat/completions", status=200, findings=[f], latency_ms=40))
    b.observe(AuditRecord("/v1/messages", status=502, upstream="up", error="upstream_unreachable",
                          latency_ms=1))
    a.audit_health = lambda: type("H", (), {"queued": 3, "degraded": False})()
    b.audit_health = lambda: type("H", (), {"queued": 4, "degraded": True})()
    text = merged([a.snapshot(), b.snapshot()])
    ep = 'endpoint="/v1/chat/completions"'
    assert f'codeveil_requests_total{{{ep},status="200"}} 3' in text
    assert 'codeveil_requests_total{endpoint="/v1/messages",status="502"} 1' in text
    assert 'codeveil_findings_total{type="EMAIL",action="pseudonymize"} 4' in text
    assert 'codeveil_upstream_errors_total{upstream="up",code="upstream_unreachable"} 1' in text
    assert f'codeveil_request_duration_seconds_bucket{{{ep},le="0.005"}} 1' in text
    assert f'codeveil_request_duration_seconds_bucket{{{ep},le="0.05"}} 2' in text
    assert f'codeveil_request_duration_seconds_bucket{{{ep},le="+Inf"}} 3' in text
    assert f"codeveil_request_duration_seconds_sum{{{ep}}} 0.743" in text
    assert "codeveil_audit_queue_depth 7" in text
    assert "codeveil_audit_degraded 1" in text
    assert 'codeveil_worker_info{worker="0",pid="101"} 1' in text
    assert 'codeveil_worker_requests_total{worker="0"} 2' in text
    assert 'codeveil_worker_requests_total{worker="1"} 2' in text
    assert text.count("# TYPE codeveil_requests_total counter") == 1
