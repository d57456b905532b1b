"""Upstream kinds, retries, tenants with gateway keys, and on-premise routing, end to end."""

from __future__ import annotations

import hashlib
import sqlite3
import time

import openai
import pytest

from tests.conftest import start_gateway

HOST = "db03.corp.quorvex.internal"


def test_retries_on_5xx_before_the_first_byte(upstream, tmp_path):
    gw = start_gateway(tmp_path, upstream.url, extra="")
    try:
        upstream.clear()
        client = openai.OpenAI(base_url=f"{gw.url}/v1", api_key="k", max_retries=0)
        msg = [{"role": "user", "content": f"ping {HOST}"}]
        answer = client.chat.completions.create(model="flaky-2", messages=msg)
        assert answer.choices[0].message.content == f"ping {HOST}"
        assert len(upstream.recorded()) == 3  # two 503s, honoured Retry-After: 0, then success
        upstream.clear()
        with pytest.raises(openai.InternalServerError) as err:
            client.chat.completions.create(model="flaky-5", messages=msg, stream=True)
        assert err.value.status_code == 503
        assert len(upstream.recorded()) == 3  # the default: two retries, then the error
    finally:
        gw.stop()


def test_azure_upstream_gets_deployment_url_and_api_key_header(upstream, tmp_path):
    gw = start_gateway(
        tmp_path, upstream.url, env={"TEST_AZURE_KEY": "azure-secret"},
        base_url=f"{upstream.url}/openai",
        upstream_extra="    kind: azure\n    api_version: 2024-10-21\n"
        "    deployments: {gpt-4o: prod-gpt4o}\n    api_key_env: TEST_AZURE_KEY\n",
    )
    try:
        upstream.clear()
        client = openai.OpenAI(base_url=f"{gw.url}/v1", api_key="client-key", max_retries=0)
        client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "x"}])
        (req,) = upstream.recorded()
        path = "/openai/deployments/prod-gpt4o/chat/completions?api-version=2024-10-21"
        assert req["path"] == path
        assert req["headers"]["api-key"] == "azure-secret"
        assert "Authorization" not in req["headers"]  # the client's key never leaves
    finally:
        gw.stop()


TENANT_POLICY = "name: {name}\nterms: [Quorvex]\n"


def test_gateway_keys_map_clients_to_tenants_with_their_own_dummies(upstream, tmp_path):
    (tmp_path / "team-a.yaml").write_text(TENANT_POLICY.format(name="team-a"))
    (tmp_path / "team-b.yaml").write_text(TENANT_POLICY.format(name="team-b"))
    digest_b = hashlib.sha256(b"cv-team-b-key").hexdigest()
    extra = (
        "tenants:\n  team-a: {policy: team-a.yaml}\n  team-b: {policy: team-b.yaml}\n"
        "auth:\n  mode: gateway_keys\n  keys:\n"
        "    - {id: team-a-laptops, key_env: TEST_TEAM_A_KEY, tenant: team-a}\n"
        f"    - {{id: team-b-ci, key_sha256: {digest_b}, tenant: team-b}}\n"
    )
    env = {"TEST_TEAM_A_KEY": "cv-team-a-key", "TEST_UPSTREAM_KEY": "sk-upstream"}
    gw = start_gateway(tmp_path, upstream.url, extra=extra, env=env,
                       upstream_extra="    api_key_env: TEST_UPSTREAM_KEY\n")
    try:
        upstream.clear()
        msg = [{"role": "user", "content": "Quorvex billing"}]
        for key in ("cv-team-a-key", "cv-team-b-key"):
            client = openai.OpenAI(base_url=f"{gw.url}/v1", api_key=key, max_retries=0)
            answer = client.chat.completions.create(model="m", messages=msg)
            assert answer.choices[0].message.content == "Quorvex billing"
        a, b = (r["body"]["messages"][0]["content"] for r in upstream.recorded())
        assert "Quorvex" not in a and "Quorvex" not in b and a != b
        for req in upstream.recorded():
            assert req["headers"]["Authorization"] == "Bearer sk-upstream"
        bad = openai.OpenAI(base_url=f"{gw.url}/v1", api_key="sk-guess", max_retries=0)
        with pytest.raises(openai.AuthenticationError) as err:
            bad.chat.completions.create(model="m", messages=msg)
        assert err.value.body["code"] == "invalid_api_key"
        assert len(upstream.recorded()) == 2
    finally:
        gw.stop()


def test_route_local_sends_matching_requests_unveiled_to_the_local_upstream(upstream, tmp_path):
    policy = (
        "name: onprem\nterms: [Quorvex]\n"
        "route_local: {types: [PRIVATE_KEY], upstream: local}\n"
    )
    extra_upstream = (
        f"  - name: local\n    base_url: {upstream.url}/v1\n    models: ['*']\n    local: true\n"
    )
    gw = start_gateway(tmp_path, upstream.url, policy=policy, more_upstreams=extra_upstream)
    try:
        upstream.clear()
        client = openai.OpenAI(base_url=f"{gw.url}/v1", api_key="k", max_retries=0)
        key = ("-----BEGIN RSA PRIVATE KEY-----\n"
               "MIIEowIBAAKCAQEA7bq9x0Yb2uJkq3ZcL8Hs5PdRt1VwXe9fKa2mN4pQr6TsZ2\n"
               "-----END RSA PRIVATE KEY-----")
        plain = [{"role": "user", "content": "Quorvex rocks"}]
        secret = [{"role": "user", "content": f"Quorvex key:\n{key}"}]
        client.chat.completions.create(model="m", messages=plain)
        client.chat.completions.create(model="m", messages=secret)
        first, second = upstream.recorded()
        assert "Quorvex" not in first["body"]["messages"][0]["content"]  # public: veiled
        assert second["body"]["messages"][0]["content"] == secret[0]["content"]  # local: as is
        time.sleep(0.3)  # the audit record is written off the request path
        with sqlite3.connect(tmp_path / "data" / "audit.db") as db:
            routes = db.execute("SELECT upstream FROM requests ORDER BY id").fetchall()
        assert routes == [("echo",), ("local",)]
    finally:
        gw.stop()
