"""The gateway as users meet it: the official openai SDK against `codeveil serve`, in front of a
recording upstream. Each test asserts what reached the upstream and what the client got back."""

from __future__ import annotations

import gzip
import json
import re
import sqlite3
import time
import zlib

import brotli
import httpx
import openai
import pytest
from backports import zstd

from proxy.testing.echo import echo
from proxy.testing.planted import AWS, EMAIL, HOST, IP, PASSWORD, PLANTED, PROMPT, PUBLIC, STRIPE


def upstream_texts(body: dict) -> str:
    parts = []
    for m in body["messages"]:
        if isinstance(m.get("content"), str):
            parts.append(m["content"])
        for tc in m.get("tool_calls") or []:
            parts += [tc["function"]["name"], tc["function"]["arguments"]]
    return "\n".join(parts)


def assert_veiled(text: str) -> None:
    for value in PLANTED:
        assert value not in text, value
    assert "quorvex" not in text.lower()
    for value in PUBLIC:
        assert value in text, value


@pytest.fixture
def client(gateway) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{gateway.url}/v1", api_key="sk-client-key", max_retries=0)


def test_plain_completion_is_veiled_and_restored(client, upstream):
    upstream.clear()
    messages = [
        {"role": "system", "content": "You review Quorvex code."},
        {"role": "user", "content": PROMPT},
    ]
    answer = client.chat.completions.create(model="gpt-test", messages=messages)
    assert answer.choices[0].message.content == echo(messages)
    (req,) = upstream.recorded()
    sent = upstream_texts(req["body"])
    assert_veiled(sent)
    # Realistic dummies that keep the structure: the class keeps its public suffix.
    assert re.search(r"class [A-Z][a-z]+BillingClient:", sent)
    assert re.search(r"\b[A-Z]+_URL = \"https://api\.[a-z]+-int\.net/v2\"", sent)
    assert re.search(r"AKIA[A-Z0-9]{16}", sent)
    # The client's key is passed to the upstream when the gateway holds none.
    assert req["headers"]["Authorization"] == "Bearer sk-client-key"


def test_streaming_restores_every_chunk_boundary(client, upstream):
    upstream.clear()
    messages = [{"role": "user", "content": PROMPT}]
    stream = client.chat.completions.create(model="gpt-test", messages=messages, stream=True)
    chunks = [c.choices[0].delta.content or "" for c in stream if c.choices]
    assert "".join(chunks) == echo(messages)
    assert len(chunks) > 100  # the echo upstream cuts its answer into 1-5 character pieces
    assert_veiled(upstream_texts(upstream.recorded()[0]["body"]))


def test_the_first_event_is_relayed_while_the_model_still_pauses(client, upstream):
    """A stream is relayed as it arrives: the client holds the first event while the upstream
    still pauses after sending it (``gap-<ms>``), so hanging up then cancels the upstream's
    answer midway (a gateway that waited for more would only pass it on once it was over)."""
    upstream.clear()
    messages = [{"role": "user", "content": PROMPT}]
    stream = client.chat.completions.create(model="gap-3000", messages=messages, stream=True)
    first = next(iter(stream))
    assert first.choices[0].delta.role == "assistant" and not first.choices[0].delta.content
    stream.close()
    deadline = time.monotonic() + 2.5
    while upstream.cancelled() == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert upstream.cancelled() == 1


def test_same_dummy_in_every_message_and_turn(client, upstream):
    upstream.clear()
    first = [{"role": "user", "content": f"Connect QuorvexBillingClient to {HOST} as {EMAIL}"}]
    a1 = client.chat.completions.create(model="gpt-test", messages=first)
    history = [
        *first,
        {"role": "assistant", "content": a1.choices[0].message.content},
        {"role": "user", "content": f"And the quorvex_ledger on {HOST}?"},
    ]
    client.chat.completions.create(model="gpt-test", messages=history)
    r1, r2 = (r["body"]["messages"] for r in upstream.recorded())
    host_dummy = re.search(r"db03\.corp\.([a-z]+)\.internal", r1[0]["content"]).group(1)
    assert host_dummy != "quorvex"
    # Turn 2 resends turn 1 and the answer: all three carry the same dummies as turn 1.
    assert r2[0]["content"] == r1[0]["content"]
    assert r2[1]["content"] == r1[0]["content"]
    assert f"db03.corp.{host_dummy}.internal" in r2[2]["content"]
    term = re.search(r"Connect ([A-Z][a-z]+)BillingClient", r1[0]["content"]).group(1)
    assert f"{term.lower()}_ledger" in r2[2]["content"]


def _tool_messages() -> list[dict]:
    args = json.dumps(
        {
            "command": f"PGPASSWORD='{PASSWORD}' psql -h {HOST} -U etl",
            "cwd": "/home/svirtanen/quorvex-api",
        }
    )
    return [
        {"role": "user", "content": "Check the ledger database."},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "run_shell", "arguments": args},
                }
            ],
        },
        {
            "role": "tool",
            "tool_call_id": "call_1",
            "content": f"connected to {HOST} ({IP}) as etl; key {AWS}",
        },
        {"role": "user", "content": "Run it again."},
    ]


def test_tool_calls_are_veiled_and_arguments_restored(client, upstream):
    upstream.clear()
    messages = _tool_messages()
    tools = [
        {
            "type": "function",
            "function": {
                "name": "run_shell",
                "description": "Run a command on a Quorvex build host",
                "parameters": {"type": "object", "properties": {"command": {"type": "string"}}},
            },
        }
    ]
    answer = client.chat.completions.create(model="echo-tools", messages=messages, tools=tools)
    call = answer.choices[0].message.tool_calls[0]
    assert call.function.name == "run_shell"
    assert call.function.arguments == messages[1]["tool_calls"][0]["function"]["arguments"]
    (req,) = upstream.recorded()
    sent = upstream_texts(req["body"])
    for value in (PASSWORD, HOST, IP, AWS, "svirtanen"):
        assert value not in sent
    assert "quorvex" not in json.dumps(req["body"]).lower()  # tool schemas too
    json.loads(req["body"]["messages"][1]["tool_calls"][0]["function"]["arguments"])


def test_streamed_tool_call_arguments_are_restored(client, upstream):
    messages = _tool_messages()
    stream = client.chat.completions.create(model="echo-tools", messages=messages, stream=True)
    args = "".join(
        c.choices[0].delta.tool_calls[0].function.arguments or ""
        for c in stream
        if c.choices and c.choices[0].delta.tool_calls
    )
    assert args == messages[1]["tool_calls"][0]["function"]["arguments"]


def test_upstream_error_reaches_client_with_status_and_restored_body(client, upstream):
    with pytest.raises(openai.RateLimitError) as err:
        client.chat.completions.create(
            model="error-429", messages=[{"role": "user", "content": f"ping {HOST}"}]
        )
    assert err.value.status_code == 429
    assert (
        HOST in err.value.body["message"]
    )  # the upstream quoted the dummy; the client sees the real host
    with pytest.raises(openai.InternalServerError) as err:
        client.chat.completions.create(
            model="error-503", messages=[{"role": "user", "content": "x"}], stream=True
        )
    assert err.value.status_code == 503


def test_bad_requests_get_openai_errors_and_are_not_forwarded(gateway, upstream):
    upstream.clear()
    url = f"{gateway.url}/v1/chat/completions"
    r = httpx.post(url, content=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_json"
    r = httpx.post(url, json={"model": "m", "messages": "hello"})
    assert r.status_code == 400 and r.json()["error"]["param"] == "messages"
    r = httpx.post(
        url,
        json={
            "model": "m",
            "messages": [
                {
                    "role": "user",
                    "content": [
                        {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}
                    ],
                }
            ],
        },
    )
    assert r.status_code == 400 and r.json()["error"]["code"] == "content_part_refused"
    r = httpx.post(
        url,
        json={
            "model": "m",
            "messages": [{"role": "user", "content": [{"type": "hologram", "data": "?"}]}],
        },
    )
    assert r.status_code == 400 and r.json()["error"]["code"] == "unsupported_content_part"
    r = httpx.get(f"{gateway.url}/v1/nothing-here")
    assert r.status_code == 404 and r.json()["error"]["code"] == "unknown_endpoint"
    assert upstream.recorded() == []


def test_text_content_parts_are_veiled(client, upstream):
    upstream.clear()
    messages = [
        {
            "role": "user",
            "content": [
                {"type": "text", "text": f"token {STRIPE}"},
                {"type": "text", "text": f"host {HOST}"},
            ],
        }
    ]
    client.chat.completions.create(model="gpt-test", messages=messages)
    sent = json.dumps(upstream.recorded()[0]["body"])
    assert STRIPE not in sent and HOST not in sent and "token sk_live_" in sent


def test_models_and_health(gateway):
    assert httpx.get(f"{gateway.url}/healthz").json()["status"] == "ok"
    models = openai.OpenAI(base_url=f"{gateway.url}/v1", api_key="k").models.list()
    assert [m.id for m in models] == ["echo"]


def test_client_disconnect_cancels_the_upstream_request(gateway, upstream):
    upstream.clear()
    body = {"model": "slow-5", "messages": [{"role": "user", "content": "hi"}]}
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(f"{gateway.url}/v1/chat/completions", json=body, timeout=0.5)
    deadline = time.monotonic() + 4
    while upstream.cancelled() == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert upstream.cancelled() == 1


def test_logs_and_audit_hold_no_values(gateway, client, upstream):
    client.chat.completions.create(model="gpt-test", messages=[{"role": "user", "content": PROMPT}])
    time.sleep(0.3)  # the audit record is written off the request path
    log = gateway.log_path.read_text()
    data = gateway.log_path.parent / "data"
    stored = b"".join(p.read_bytes() for p in data.iterdir() if p.name.startswith("audit.db"))
    for value in PLANTED:
        assert value not in log
        assert value.encode() not in stored
    with sqlite3.connect(data / "audit.db") as db:
        row = db.execute(
            "SELECT findings, prompt_tokens, completion_tokens, productivity FROM requests "
            "ORDER BY id DESC LIMIT 1"
        ).fetchone()
    types = {f["type"] for f in json.loads(row[0])}
    assert {"AWS_ACCESS_KEY_ID", "EMAIL", "IP_ADDRESS", "TERM", "INTERNAL_DOMAIN"} <= types
    # Token usage from the answer, and generated code length over prompt length (the echo
    # repeats the prompt's code block, so the ratio is that block's share of the prompt).
    sent = upstream.recorded()[-1]["body"]["messages"][0]["content"]
    assert row[1] == len(sent) // 4 and row[2] == 1  # as the echo upstream counts them
    assert 0.3 < row[3] < 1


def _compressed(coding: str, data: bytes) -> bytes:
    if coding == "gzip":
        return gzip.compress(data)
    if coding == "deflate":
        return zlib.compress(data)
    if coding == "br":
        return brotli.compress(data)
    return zstd.compress(data)


@pytest.mark.parametrize("coding", ["gzip", "deflate", "br", "zstd"])
def test_compressed_bodies_are_decoded_veiled_and_restored(gateway, upstream, coding):
    """Codex compresses its requests with zstd; every coding a client may send is read."""
    upstream.clear()
    body = {"model": "gpt-test", "messages": [{"role": "user", "content": PROMPT}]}
    r = httpx.post(f"{gateway.url}/v1/chat/completions",
                   content=_compressed(coding, json.dumps(body).encode()),
                   headers={"Content-Type": "application/json", "Content-Encoding": coding})
    assert r.status_code == 200, r.text
    assert r.json()["choices"][0]["message"]["content"] == PROMPT
    (req,) = upstream.recorded()
    assert_veiled(upstream_texts(req["body"]))


def test_unknown_or_broken_codings_are_refused_in_the_apis_shape(gateway, upstream):
    upstream.clear()
    body = json.dumps({"model": "gpt-test", "messages": [{"role": "user", "content": PROMPT}]})
    url = f"{gateway.url}/v1/chat/completions"
    r = httpx.post(url, content=gzip.compress(body.encode()),
                   headers={"Content-Type": "application/json", "Content-Encoding": "xz"})
    assert r.status_code == 415
    assert r.json()["error"]["code"] == "unsupported_content_encoding"
    r = httpx.post(f"{gateway.url}/v1/messages", content=body.encode(),
                   headers={"Content-Type": "application/json", "Content-Encoding": "compress"})
    assert r.status_code == 415 and r.json()["type"] == "error"
    r = httpx.post(url, content=b"not gzip at all",
                   headers={"Content-Type": "application/json", "Content-Encoding": "gzip"})
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "invalid_content_encoding"
    assert upstream.recorded() == []


def test_every_field_is_forwarded_or_veiled_as_listed(gateway, upstream):
    """Switches and numbers go as sent; stop sequences, metadata and fields CodeVeil does not
    know yet are text, and are veiled."""
    upstream.clear()
    body = {"model": "gpt-test", "messages": [{"role": "user", "content": PROMPT}],
            "temperature": 0.3, "reasoning_effort": "low", "seed": 7, "max_completion_tokens": 99,
            "stop": ["END OF QUORVEX"], "metadata": {"project": "Quorvex ledger", "ticket": "42"},
            "some_future_field": {"note": f"ask {EMAIL}"}}
    r = httpx.post(f"{gateway.url}/v1/chat/completions", json=body)
    assert r.status_code == 200, r.text
    (req,) = upstream.recorded()
    sent = req["body"]
    for key in ("temperature", "reasoning_effort", "seed", "max_completion_tokens"):
        assert sent[key] == body[key], key
    assert "quorvex" not in json.dumps(sent).lower() and EMAIL not in json.dumps(sent)
    assert sent["metadata"]["ticket"] == "42"
    assert sent["stop"][0].startswith("END OF ")
