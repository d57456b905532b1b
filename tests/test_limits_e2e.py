"""Choices, parallel tool calls, limits and upstream failures, each in OpenAI's error shape."""

from __future__ import annotations

import json

import httpx
import openai
import pytest

from proxy.testing.planted import AWS, HOST, IP, PASSWORD, PROMPT
from tests.conftest import free_port, start_gateway

pytestmark = pytest.mark.usefixtures("upstream")


@pytest.fixture
def client(gateway) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{gateway.url}/v1", api_key="k", max_retries=0)


def test_n_choices_are_restored_independently(client, upstream):
    messages = [{"role": "user", "content": PROMPT}]
    plain = client.chat.completions.create(model="m", messages=messages, n=3)
    assert [c.message.content for c in plain.choices] == [PROMPT] * 3
    texts = {0: "", 1: "", 2: ""}
    for chunk in client.chat.completions.create(model="m", messages=messages, n=3, stream=True):
        for c in chunk.choices:
            texts[c.index] += c.delta.content or ""
    assert texts == {0: PROMPT, 1: PROMPT, 2: PROMPT}


def test_parallel_tool_calls_restore_each_argument_stream(client, upstream):
    calls = [
        {"id": f"call_{i}", "type": "function",
         "function": {"name": "run_shell", "arguments": json.dumps({"cmd": cmd})}}
        for i, cmd in enumerate([f"PGPASSWORD='{PASSWORD}' psql -h {HOST}", f"ping {IP}",
                                 f"aws configure set aws_access_key_id {AWS}"])
    ]
    messages = [{"role": "user", "content": "check all three"},
                {"role": "assistant", "content": None, "tool_calls": calls},
                *[{"role": "tool", "tool_call_id": c["id"], "content": "ok"} for c in calls]]
    args: dict[int, str] = {}
    for chunk in client.chat.completions.create(model="echo-tools", messages=messages,
                                                stream=True):
        for tc in (chunk.choices[0].delta.tool_calls or []) if chunk.choices else []:
            args[tc.index] = args.get(tc.index, "") + (tc.function.arguments or "")
    assert [args[i] for i in range(3)] == [c["function"]["arguments"] for c in calls]
    sent = json.dumps(upstream.recorded()[-1]["body"])
    for value in (HOST, PASSWORD, IP, AWS):
        assert value not in sent


def test_body_too_large_is_413(upstream, tmp_path):
    gw = start_gateway(tmp_path, upstream.url, extra="limits: {max_body_bytes: 4096}\n")
    try:
        upstream.clear()
        r = httpx.post(f"{gw.url}/v1/chat/completions", json={
            "model": "m", "messages": [{"role": "user", "content": "x" * 10_000}]})
        assert r.status_code == 413
        assert r.json()["error"]["code"] == "request_too_large"
        assert upstream.recorded() == []
    finally:
        gw.stop()


def test_unreachable_upstream_is_502_and_a_slow_one_504(upstream, tmp_path):
    closed = free_port()
    more = (f"  - name: dead\n    base_url: http://127.0.0.1:{closed}/v1\n"
            "    models: ['dead-*']\n    retries: 0\n")
    gw = start_gateway(tmp_path, upstream.url, more_upstreams=more,
                       upstream_extra="    timeout: 1\n    retries: 0\n")
    try:
        client = openai.OpenAI(base_url=f"{gw.url}/v1", api_key="k", max_retries=0)
        msg = [{"role": "user", "content": "hi"}]
        # The first upstream whose globs match serves the model: 'dead-*' is listed second.
        with pytest.raises(openai.APIStatusError) as err:
            client.chat.completions.create(model="slow-3", messages=msg)
        assert err.value.status_code == 504 and err.value.body["code"] == "upstream_timeout"
        assert err.value.body["type"] == "upstream_error"
    finally:
        gw.stop()
    gw = start_gateway(tmp_path, f"http://127.0.0.1:{closed}",
                       upstream_extra="    retries: 1\n")
    try:
        client = openai.OpenAI(base_url=f"{gw.url}/v1", api_key="k", max_retries=0)
        with pytest.raises(openai.APIStatusError) as err:
            client.chat.completions.create(model="m", messages=msg, stream=True)
        assert err.value.status_code == 502 and err.value.body["code"] == "upstream_unreachable"
    finally:
        gw.stop()
