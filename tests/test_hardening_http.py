"""Issue #14, the HTTP surface: each test replays an attack of the security review against a real
gateway process in front of a hostile upstream (tests/hostile_upstream.py) that records what
reaches it and misbehaves on request."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import anthropic
import httpx
import openai
import pytest

from tests.conftest import CODEVEIL, REPO, TEST_POLICY, Running, free_port, wait_ready

PRIVATE_KEY = (
    "-----BEGIN RSA PRIVATE KEY-----\n"
    "MIIEowIBAAKCAQEA7bq9x0Yb2uJkq3ZcL8Hs5PdRt1VwXe9fKa2mN4pQr6TsZ2\n"
    "-----END RSA PRIVATE KEY-----"
)
ENV = {"CV_AZ_KEY": "azure-gateway-key", "CV_ADMIN": "admin-key-for-tests"}


class Hostile(Running):
    def recorded(self) -> list[dict]:
        return httpx.get(f"{self.url}/_recorded").json()["requests"]


@pytest.fixture(scope="module")
def hostile() -> Iterator[Hostile]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.hostile_upstream", "--port", str(port)],
        cwd=REPO, stderr=subprocess.PIPE, text=True,
    )
    up = Hostile(f"http://127.0.0.1:{port}", proc)
    wait_ready(f"{up.url}/_recorded", proc)
    yield up
    up.stop()


def serve(tmp: Path, config: str, env: dict[str, str] | None = None, policy: str = "") -> Running:
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "policy.yaml").write_text(TEST_POLICY + policy)
    port = free_port()
    (tmp / "config.yaml").write_text(f"listen: {{host: 127.0.0.1, port: {port}}}\n{config}")
    log = tmp / "gateway.log"
    proc = subprocess.Popen(
        [CODEVEIL, "serve", "--config", str(tmp / "config.yaml"), "--workers", "1"],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=log.open("w"),
        env={**os.environ, **ENV, **(env or {})}, text=True,
    )
    gw = Running(f"http://127.0.0.1:{port}", proc, log)
    try:
        wait_ready(f"{gw.url}/healthz", proc)
    except RuntimeError:
        raise RuntimeError(f"gateway did not start: {log.read_text()}") from None
    return gw


@pytest.fixture(scope="module")
def gw(hostile: Hostile, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    h = hostile.url
    running = serve(tmp_path_factory.mktemp("hardened"), f"""
upstreams:
  - {{name: az, kind: azure, base_url: {h}/openai, api_version: "2024-10-21",
     models: ['az-*'], api_key_env: CV_AZ_KEY}}
  - {{name: claude, kind: anthropic, base_url: {h}/v1, models: ['claude-*']}}
  - {{name: onprem, base_url: {h}/local/v1, models: ['onprem-*'], local: true}}
  - {{name: nokey, base_url: {h}/nokey/v1, models: ['nokey-*'], forward_client_key: false}}
  - {{name: open, base_url: {h}/v1, models: ['*'], timeout: 2, retries: 0}}
policy: policy.yaml
audit: {{path: data/audit.db}}
admin: {{key_env: CV_ADMIN}}
limits: {{max_answer_bytes: 1048576, max_event_bytes: 1048576, body_timeout: 2,
          max_requests_per_client: 6}}
cors: {{allow_origins: ['https://app.example.com']}}
""", policy="route_local: {types: [PRIVATE_KEY], upstream: onprem}\n")
    yield running
    running.stop()


def chat(gw: Running, body: dict | bytes, headers: dict | None = None) -> httpx.Response:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return httpx.post(
        f"{gw.url}/v1/chat/completions", content=content, timeout=30,
        headers={"Content-Type": "application/json", "Authorization": "Bearer sk-client",
                 **(headers or {})},
    )


def msg(model: str, text: str = "hi", **more: object) -> dict:
    return {"model": model, "messages": [{"role": "user", "content": text}], **more}


def api_error(resp: httpx.Response, status: int) -> dict:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/json")
    return resp.json()["error"]


def events(text: str) -> list[dict]:
    return [json.loads(line[6:]) for line in text.splitlines()
            if line.startswith("data: {")]


# -- 5: SSRF through Azure deployment names --------------------------------------------------


@pytest.mark.parametrize("model", [
    "az-x/../../../admin/secret", "az-x?api-version=1999#", "az-x#frag", "az-%2e%2e",
])
def test_an_azure_deployment_name_stays_one_path_segment(gw, hostile, model):
    before = len(hostile.recorded())
    assert chat(gw, msg(model)).status_code == 200
    sent = hostile.recorded()[before]
    path, _, query = sent["path"].partition("?")
    assert path.startswith("/openai/deployments/")
    assert path.endswith("/chat/completions")
    assert path.count("/") == 5  # /openai/deployments/<one segment>/chat/completions
    assert query == "api-version=2024-10-21"
    assert sent["headers"]["api-key"] == "azure-gateway-key"


def test_a_dot_dot_model_name_is_refused(gw, hostile):
    before = len(hostile.recorded())
    assert api_error(chat(gw, msg("..")), 400)["code"] == "invalid_model"
    assert api_error(chat(gw, msg("m\nX-Injected: 1")), 400)["code"] == "invalid_model"
    assert len(hostile.recorded()) == before


# -- 6: cross-site requests ------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/v1/chat/completions", "/v1/loop/runs", "/v1/messages"])
def test_a_text_plain_post_is_refused_with_415(gw, hostile, path):
    before = len(hostile.recorded())
    body = json.dumps(msg("m") | {"max_tokens": 5})
    resp = httpx.post(f"{gw.url}{path}", content=body, headers={"Content-Type": "text/plain"})
    assert "Content-Type: application/json" in api_error(resp, 415)["message"]
    assert len(hostile.recorded()) == before


def test_a_browser_origin_not_on_the_allow_list_is_refused(gw, hostile):
    before = len(hostile.recorded())
    resp = chat(gw, msg("m"), headers={"Origin": "https://evil.example"})
    assert api_error(resp, 403)["code"] == "origin_not_allowed"
    assert len(hostile.recorded()) == before
    pre = httpx.options(f"{gw.url}/v1/chat/completions", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert pre.status_code == 403
    assert "access-control-allow-origin" not in pre.headers


def test_an_allowed_origin_gets_its_preflight_and_answer(gw):
    origin = "https://app.example.com"
    pre = httpx.options(f"{gw.url}/v1/chat/completions", headers={
        "Origin": origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type"})
    assert pre.status_code == 204
    assert pre.headers["access-control-allow-origin"] == origin
    assert "POST" in pre.headers["access-control-allow-methods"]
    resp = chat(gw, msg("m"), headers={"Origin": origin})
    assert resp.status_code == 200
    assert resp.headers["access-control-allow-origin"] == origin


# -- 7: the event loop keeps serving while a huge prompt is veiled ------------------------------


def test_healthz_answers_while_a_huge_prompt_is_anonymized(gw):
    line = "def handler(event):\n    return Quorvex.process(event, 'jane.doe@quorvex.com')\n"
    text = line * 40000  # ~3 MB, many findings: seconds of veil work
    done = threading.Event()
    result: list[int] = []

    def big() -> None:
        result.append(chat(gw, msg("m", text)).status_code)
        done.set()

    started = time.monotonic()
    worker = threading.Thread(target=big)
    worker.start()
    answered, waits = 0, []
    time.sleep(0.5)  # the body is on its way; the veil starts on it
    while not done.is_set():
        t0 = time.monotonic()
        assert httpx.get(f"{gw.url}/healthz", timeout=120).status_code == 200
        waits.append(time.monotonic() - t0)
        answered += not done.is_set()
        time.sleep(0.2)
    worker.join()
    took = time.monotonic() - started
    assert result == [200]
    assert answered >= 1
    # Relative to the big request, so that a busy machine stretches both alike: a blocked loop
    # would keep the first /healthz waiting for (nearly) the whole prompt to be veiled.
    assert max(waits) < took / 2, (max(waits), took)


# -- 9: bounded upstream answers ---------------------------------------------------------------


def test_an_oversized_answer_is_a_clean_502(gw):
    err = api_error(chat(gw, msg("huge-answer")), 502)
    assert err["code"] == "bad_upstream_response"
    assert "larger than 1048576 bytes" in err["message"]
    assert httpx.get(f"{gw.url}/healthz").status_code == 200


def test_an_oversized_event_ends_the_stream_with_an_error_event(gw):
    resp = chat(gw, msg("huge-event", stream=True))
    assert resp.status_code == 200
    last = events(resp.text)[-1]
    assert last["error"]["code"] == "bad_upstream_response"
    assert "larger than 1048576 bytes" in last["error"]["message"]
    assert httpx.get(f"{gw.url}/healthz").status_code == 200


# -- 10: credentials only to the upstream they belong to ---------------------------------------


def test_pass_through_sends_only_the_header_of_the_upstream_kind(gw, hostile):
    keys = {"Authorization": "Bearer sk-openai", "api-key": "az", "x-api-key": "sk-ant",
            "x-goog-api-key": "goog"}
    before = len(hostile.recorded())
    assert chat(gw, msg("m"), headers=keys).status_code == 200
    resp = httpx.post(f"{gw.url}/v1/messages", headers=keys, json={
        "model": "claude-x", "max_tokens": 5, "messages": [{"role": "user", "content": "hi"}]})
    assert resp.status_code in (200, 502)  # the hostile upstream answers chat's shape
    openai_side, anthropic_side = (
        {k.lower(): v for k, v in r["headers"].items()} for r in hostile.recorded()[before:]
    )
    creds = {"authorization", "api-key", "x-api-key", "x-goog-api-key"}
    assert set(openai_side) & creds == {"authorization"}
    assert openai_side["authorization"] == "Bearer sk-openai"
    assert set(anthropic_side) & creds == {"x-api-key"}
    assert anthropic_side["x-api-key"] == "sk-ant"


def test_the_anthropic_sdk_key_reaches_an_anthropic_upstream_alone(gw, hostile):
    before = len(hostile.recorded())
    client = anthropic.Anthropic(base_url=gw.url, api_key="sk-ant-sdk", max_retries=0)
    with contextlib.suppress(anthropic.APIError):  # the upstream answers in chat's shape
        client.messages.create(model="claude-x", max_tokens=5,
                               messages=[{"role": "user", "content": "hi"}])
    (sent,) = hostile.recorded()[before:]
    headers = {k.lower(): v for k, v in sent["headers"].items()}
    creds = {"authorization", "api-key", "x-api-key", "x-goog-api-key"}
    (name,) = set(headers) & creds  # one credential, in a header Anthropic reads
    assert "sk-ant-sdk" in headers[name]


def test_route_local_and_forward_client_key_false_get_no_client_key(gw, hostile):
    before = len(hostile.recorded())
    assert chat(gw, msg("m", f"deploy with\n{PRIVATE_KEY}")).status_code == 200
    assert chat(gw, msg("nokey-m")).status_code == 200
    local, nokey = hostile.recorded()[before:]
    assert local["path"] == "/local/v1/chat/completions"  # kept in-house by the policy
    assert nokey["path"] == "/nokey/v1/chat/completions"
    for sent in (local, nokey):
        assert "authorization" not in {k.lower() for k in sent["headers"]}
        assert "sk-client" not in json.dumps(sent["headers"])


# -- 11: never half a dummy after a cut ------------------------------------------------------


@pytest.mark.parametrize("fault", ["cut-dummy", "stall-dummy"])
def test_a_cut_stream_never_sends_the_held_half_of_a_dummy(gw, hostile, fault):
    before = len(hostile.recorded())
    resp = chat(gw, msg(fault, "jane.doe@quorvex.com", stream=True))
    dummy = hostile.recorded()[before]["body"]["messages"][-1]["content"]
    assert dummy != "jane.doe@quorvex.com"  # the upstream saw a dummy
    text = "".join(
        e["choices"][0]["delta"].get("content") or "" for e in events(resp.text) if "choices" in e
    )
    assert text.startswith("Here:")
    assert dummy[: len(dummy) // 2] not in resp.text
    assert events(resp.text)[-1]["error"]["code"] in ("upstream_unreachable", "upstream_timeout")


# -- 12 and 3: API-shaped errors, never aiohttp's plain-text 500 -------------------------------


@pytest.mark.parametrize("body", [
    b'{"model": "echo\\ud800", "messages": [{"role": "user", "content": "hi"}]}',
    b'{"model": "m", "messages": [{"role": "user", "content": "hi \\udfff"}]}',
    b'{"model": "m", "stream": true, "messages": [{"role": "user", "content": "\\ud800"}]}',
    b'{"model": "m", "messages": [{"role": "user", "content": "hi"}], "user": "\\ud800"}',
    b'{"model": "m", "messages": [{"role": "user", "content": "hi"}], "tools": 5}',
    b'{"model": "m", "messages": [{"role": "user", "content": "hi"}], "functions": 7}',
    b'{"model": "m", "messages": [{"role": "user", "content": "hi"}], "x": '
    + b"[" * 900 + b"]" * 900 + b"}",
    b"[" * 100000 + b"]" * 100000,
    b'{"model": "m", "messages": [{"role": "user", "content": "hi"}], "temperature": Infinity}',
])
def test_bad_request_bodies_get_an_api_shaped_4xx_and_are_never_forwarded(gw, hostile, body):
    before = len(hostile.recorded())
    resp = chat(gw, body)
    assert 400 <= resp.status_code < 500, resp.text
    assert resp.headers["content-type"].startswith("application/json")
    assert resp.json()["error"]["message"]
    assert len(hostile.recorded()) == before


@pytest.mark.parametrize("fault", ["bad-utf8", "bad-index"])
def test_a_broken_upstream_stream_ends_with_an_error_event(gw, fault):
    resp = chat(gw, msg(fault, stream=True))
    assert resp.status_code == 200
    assert events(resp.text)[-1]["error"]["code"] == "bad_upstream_response"


def test_admin_oddities_get_answers_not_crashes(gw):
    admin = {"Authorization": "Bearer admin-key-for-tests"}
    resp = httpx.get(f"{gw.url}/admin/records/{'9' * 40}", headers=admin)
    assert resp.status_code == 404
    cookie = "codeveil_admin=1.\u00e9".encode()
    resp = httpx.get(f"{gw.url}/admin", headers={"Cookie": cookie}, follow_redirects=False)
    assert resp.status_code in (401, 403, 303)  # refused as not logged in, not a crash


# -- 13: slowloris --------------------------------------------------------------------------


def _half_sent(gw: Running) -> socket.socket:
    port = int(gw.url.rsplit(":", 1)[1])
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
              b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"model\"")
    return s


def test_half_sent_bodies_are_closed_and_capped(hostile, tmp_path):
    # A gateway of its own: requests other tests left in flight would count against the cap.
    gw = serve(tmp_path, f"""
upstreams: [{{name: open, base_url: {hostile.url}/v1}}]
policy: policy.yaml
limits: {{body_timeout: 2, max_requests_per_client: 6}}
""")
    socks = [_half_sent(gw) for _ in range(6)]  # the cap: 6 in flight from one address
    try:
        time.sleep(0.5)
        over = httpx.get(f"{gw.url}/healthz", timeout=5)
        assert api_error(over, 429)["code"] == "too_many_connections"
        for s in socks:
            s.settimeout(20)
            answer = s.recv(4096)  # the body timeout (2 s) answers 408 and closes
            assert b" 408 " in answer.split(b"\r\n", 1)[0]
            while s.recv(4096):
                pass  # closed by the server: recv returns b""
        assert httpx.get(f"{gw.url}/healthz", timeout=5).status_code == 200
    finally:
        for s in socks:
            s.close()
        gw.stop()


# -- 14: /v1/models in gateway-key mode ---------------------------------------------------------


def test_models_needs_a_gateway_key(hostile, tmp_path):
    g = serve(tmp_path, f"""
upstreams: [{{name: open, base_url: {hostile.url}/v1, api_key_env: CV_AZ_KEY}}]
policy: policy.yaml
auth: {{mode: gateway_keys, keys: [{{id: laptop, key_env: CV_CLIENT}}]}}
""", env={"CV_CLIENT": "cv-client-key"})
    try:
        before = len(hostile.recorded())
        assert api_error(httpx.get(f"{g.url}/v1/models"), 401)["code"] == "invalid_api_key"
        wrong = httpx.get(f"{g.url}/v1/models", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        assert len(hostile.recorded()) == before
        ok = openai.OpenAI(base_url=f"{g.url}/v1", api_key="cv-client-key").models.list()
        assert ok.data == []
        sent = hostile.recorded()[-1]["headers"]
        assert sent["Authorization"] == "Bearer azure-gateway-key"  # the gateway's, not ours
    finally:
        g.stop()
