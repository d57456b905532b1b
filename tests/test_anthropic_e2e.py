"""Anthropic Messages through the gateway: the official anthropic SDK against `codeveil serve`, in
front of the recording echo upstream; and the stream restorer, unit by unit."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import anthropic
import httpx
import pytest

from proxy.policy import Policy
from proxy.testing.echo.anthropic import echo_text, from_chat_messages, upstream_texts
from proxy.testing.planted import (
    AWS,
    EMAIL,
    GH,
    HOST,
    IP,
    PASSWORD,
    PEM,
    PLANTED,
    PROMPT,
    PUBLIC,
    STRIPE,
)
from proxy.veil.engine import Veil
from proxy.wire.anthropic import AnthropicMessages, AnthropicStreamRestorer, request_slots
from proxy.wire.base import declared_names
from proxy.wire.errors import ApiError


def assert_veiled(texts: list[str] | str) -> None:
    text = texts if isinstance(texts, str) else "\n".join(texts)
    for value in [*PLANTED, GH, PEM.splitlines()[1]]:
        assert value not in text, value
    assert "quorvex" not in text.lower()


@pytest.fixture
def client(gateway) -> anthropic.Anthropic:
    # The SDK appends /v1/messages to its base URL.
    return anthropic.Anthropic(base_url=gateway.url, api_key="sk-ant-client", max_retries=0)


def _sent(upstream) -> dict:
    (req,) = upstream.recorded()
    assert req["path"] == "/v1/messages"
    return req["body"]


# -- plain, system, multi-turn --------------------------------------------------------------


def test_system_string_is_veiled_and_answer_restored(client, upstream):
    upstream.clear()
    body = {"system": "You review Quorvex code.", "messages": [{"role": "user", "content": PROMPT}]}
    answer = client.messages.create(model="claude-test", max_tokens=64, **body)
    assert answer.content[0].type == "text"
    assert answer.content[0].text == echo_text(body)
    sent = _sent(upstream)
    texts = upstream_texts(sent)
    assert_veiled(texts)
    joined = "\n".join(texts)
    for value in PUBLIC:
        assert value in joined, value
    assert re.search(r"class [A-Z][a-z]+BillingClient:", joined)
    assert sent["max_tokens"] == 64


def test_system_messages_inside_messages_are_veiled_and_forwarded(client, gateway, upstream):
    """Claude Code sends a `"role": "system"` message inside `messages`."""
    upstream.clear()
    messages = [
        {"role": "user", "content": PROMPT},
        {"role": "system", "content": [{"type": "text", "text": f"Deploy key: {AWS} on {HOST}"}]},
        {"role": "user", "content": "Go on."},
    ]
    answer = client.messages.create(model="claude-test", max_tokens=64, messages=messages)
    assert answer.content[0].type == "text"
    sent = _sent(upstream)
    assert [m["role"] for m in sent["messages"]] == ["user", "system", "user"]
    assert_veiled(upstream_texts(sent))
    assert_veiled(json.dumps(sent))
    url = f"{gateway.url}/v1/messages"
    image = {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "AA"}}
    r = httpx.post(url, json={"model": "m", "max_tokens": 8,
                              "messages": [{"role": "system", "content": [image]}]})
    assert r.status_code == 400 and "not supported" in r.json()["error"]["message"]


def test_system_and_content_blocks_are_veiled(client, upstream):
    upstream.clear()
    body = {
        "system": [
            {"type": "text", "text": "You work for Stellan Labs."},
            {"type": "text", "text": f"Hosts: {HOST}", "cache_control": {"type": "ephemeral"}},
        ],
        "messages": [
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": f"token {STRIPE}"},
                    {"type": "text", "text": f"and {GH} from {EMAIL}"},
                ],
            }
        ],
        "metadata": {"user_id": EMAIL},
        "stop_sequences": ["END OF QUORVEX"],
    }
    answer = client.messages.create(model="claude-test", max_tokens=64, **body)
    assert answer.content[0].text == echo_text(body)
    sent = _sent(upstream)
    assert_veiled(json.dumps(sent))
    assert sent["system"][1]["cache_control"] == {"type": "ephemeral"}
    assert sent["messages"][0]["content"][0]["text"].startswith("token sk_live_")
    assert sent["stop_sequences"][0].startswith("END OF ")


def _tool_turns() -> list[dict]:
    return [
        {"role": "user", "content": "Check the ledger database."},
        {
            "role": "assistant",
            "content": [
                {"type": "text", "text": "Connecting to the Quorvex ledger."},
                {
                    "type": "tool_use",
                    "id": "toolu_01",
                    "name": "run_shell",
                    "input": {
                        "command": f"PGPASSWORD='{PASSWORD}' psql -h {HOST} -U etl",
                        "cwd": "/home/svirtanen/quorvex-api",
                        "env": {"DEPLOY_KEY": PEM, "quorvex_token": GH},
                        "retries": 3,
                    },
                },
            ],
        },
        {
            "role": "user",
            "content": [
                {
                    "type": "tool_result",
                    "tool_use_id": "toolu_01",
                    "content": f"connected to {HOST} ({IP}) as etl; key {AWS}",
                },
                {"type": "text", "text": "Run it again."},
            ],
        },
    ]


TOOLS = [
    {
        "name": "run_shell",
        "description": "Run a command on a Quorvex build host",
        "input_schema": {
            "type": "object",
            "properties": {"command": {"type": "string", "description": "e.g. ssh qvtools"}},
        },
    }
]


def test_multi_turn_tool_use_and_result_are_veiled_and_restored(client, upstream):
    upstream.clear()
    messages = _tool_turns()
    answer = client.messages.create(
        model="claude-test",
        max_tokens=64,
        messages=messages,
        tools=TOOLS,
        tool_choice={"type": "tool", "name": "run_shell"},
    )
    assert answer.content[0].text == echo_text({"messages": messages})
    sent = _sent(upstream)
    assert_veiled(json.dumps(sent))  # messages, tool input keys and values, tool schemas
    assert_veiled(upstream_texts(sent))
    use = sent["messages"][1]["content"][1]
    assert use["id"] == "toolu_01" and use["name"] == "run_shell" and use["input"]["retries"] == 3
    assert use["input"]["env"]["DEPLOY_KEY"].startswith("-----BEGIN RSA PRIVATE KEY-----\n")
    assert sent["messages"][2]["content"][0]["tool_use_id"] == "toolu_01"
    assert sent["tools"][0]["input_schema"]["properties"]["command"]["type"] == "string"


def test_streamed_text_is_restored(client, upstream):
    upstream.clear()
    messages = [{"role": "user", "content": PROMPT}]
    with client.messages.stream(
        model="claude-test", max_tokens=64, system="Quorvex reviewer", messages=messages
    ) as stream:
        pieces = list(stream.text_stream)
        final = stream.get_final_message()
    expected = echo_text({"system": "Quorvex reviewer", "messages": messages})
    assert "".join(pieces) == expected
    assert final.content[0].text == expected and final.stop_reason == "end_turn"
    assert len(pieces) > 100  # the echo cuts its answer into 1-5 character deltas
    assert_veiled(upstream_texts(_sent(upstream)))


# -- tools answered by the model ------------------------------------------------------------


def test_tool_use_answer_is_restored(client, upstream):
    messages = _tool_turns()
    answer = client.messages.create(
        model="echo-tools", max_tokens=64, messages=messages, tools=TOOLS
    )
    assert answer.stop_reason == "tool_use"
    (use,) = answer.content
    assert use.type == "tool_use" and use.id == "toolu_01" and use.name == "run_shell"
    assert use.input == messages[1]["content"][1]["input"]


def test_streamed_tool_use_input_is_restored(client, upstream):
    messages = _tool_turns()
    with client.messages.stream(
        model="echo-tools", max_tokens=64, messages=messages, tools=TOOLS
    ) as stream:
        partial = "".join(e.partial_json for e in stream if e.type == "input_json")
        final = stream.get_final_message()
    original = messages[1]["content"][1]["input"]
    assert json.loads(partial) == original
    (use,) = final.content
    assert use.input == original and final.stop_reason == "tool_use"


# -- errors ---------------------------------------------------------------------------------


def test_upstream_errors_reach_the_client_as_sdk_exceptions(client):
    with pytest.raises(anthropic.RateLimitError) as err:
        client.messages.create(
            model="error-429", max_tokens=8, messages=[{"role": "user", "content": f"ping {HOST}"}]
        )
    assert err.value.status_code == 429
    assert err.value.body["type"] == "error"
    assert err.value.body["error"]["type"] == "rate_limit_error"
    assert HOST in err.value.body["error"]["message"]  # the upstream quoted the dummy
    with pytest.raises(anthropic.OverloadedError) as err:
        client.messages.create(
            model="error-529",
            max_tokens=8,
            messages=[{"role": "user", "content": "x"}],
            stream=True,
        )
    assert err.value.status_code == 529
    assert err.value.body["error"]["type"] == "overloaded_error"


def test_a_midstream_error_event_is_restored(client):
    with pytest.raises(anthropic.APIStatusError) as err:  # noqa: SIM117
        with client.messages.stream(
            model="midstream-error",
            max_tokens=8,
            messages=[{"role": "user", "content": f"ping {HOST}"}],
        ) as stream:
            for _ in stream.text_stream:
                pass
    assert err.value.body["error"]["type"] == "overloaded_error"
    assert HOST in err.value.body["error"]["message"]


def test_refusals_are_anthropic_errors_and_nothing_is_forwarded(client, gateway, upstream):
    upstream.clear()
    image = {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "AA"}}
    with pytest.raises(anthropic.BadRequestError) as err:
        client.messages.create(
            model="claude-test",
            max_tokens=8,
            messages=[{"role": "user", "content": [{"type": "text", "text": "see"}, image]}],
        )
    assert err.value.status_code == 400
    assert err.value.body["type"] == "error"
    assert err.value.body["error"]["type"] == "invalid_request_error"
    assert err.value.body["error"]["message"].startswith("messages.0.content.1: image blocks")
    url = f"{gateway.url}/v1/messages"
    hologram = {"role": "user", "content": [{"type": "hologram", "data": "?"}]}
    r = httpx.post(url, json={"model": "m", "max_tokens": 8, "messages": [hologram]})
    assert r.status_code == 400
    assert r.json() == {
        "type": "error",
        "error": {
            "type": "invalid_request_error",
            "message": "messages.0.content.0.type: content block type 'hologram' is not "
            "supported by CodeVeil here",
        },
    }
    r = httpx.post(url, content=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.json()["error"]["type"] == "invalid_request_error"
    bad_input = {"type": "tool_use", "id": "t", "name": "n", "input": "rm -rf /"}
    r = httpx.post(
        url, json={"model": "m", "messages": [{"role": "assistant", "content": [bad_input]}]}
    )
    assert r.status_code == 400 and "input" in r.json()["error"]["message"]
    assert upstream.recorded() == []


# -- units: requests, errors, the stream restorer -------------------------------------------

POLICY = Policy(
    terms=("Quorvex", "Stellan Labs", "qvtools"),
    internal_domains=("corp.quorvex.internal", "quorvex-int.net"),
)


@pytest.fixture(scope="module")
def veil() -> Veil:
    return Veil(POLICY, b"k" * 32)


def test_error_types_follow_anthropic():
    fmt = AnthropicMessages()
    kinds = {
        s: fmt.error(ApiError(s, "m"))["error"]["type"]
        for s in (400, 401, 403, 404, 413, 429, 500, 502, 503, 504, 529, 418)
    }
    assert kinds == {
        400: "invalid_request_error",
        401: "authentication_error",
        403: "permission_error",
        404: "not_found_error",
        413: "request_too_large",
        429: "rate_limit_error",
        500: "api_error",
        502: "api_error",
        503: "overloaded_error",
        504: "timeout_error",
        529: "overloaded_error",
        418: "invalid_request_error",
    }


def test_policy_allows_images_and_binary_documents_only_when_told():
    pdf = {
        "type": "document",
        "source": {"type": "base64", "media_type": "application/pdf", "data": "JVBERi0="},
    }
    text_doc = {
        "type": "document",
        "source": {"type": "text", "media_type": "text/plain", "data": f"runbook for {HOST}"},
        "title": "Quorvex",
    }
    body = {"model": "m", "messages": [{"role": "user", "content": [text_doc]}]}
    slots = request_slots(body, POLICY)
    assert [s.get() for s in slots] == [f"runbook for {HOST}", "Quorvex"]
    body["messages"][0]["content"].append(pdf)
    with pytest.raises(ApiError) as err:
        request_slots(body, POLICY)
    assert err.value.code == "content_part_refused"
    assert request_slots(body, Policy(content_parts={"file": "allow"}))


def _stream_input(mapping, pieces: list[str]) -> tuple[str, list[tuple]]:
    r = AnthropicStreamRestorer(mapping)
    events = list(
        r.event(
            "content_block_start",
            {
                "type": "content_block_start",
                "index": 1,
                "content_block": {"type": "tool_use", "id": "toolu_1", "name": "run", "input": {}},
            },
        )
    )
    for piece in pieces:
        events += r.event(
            "content_block_delta",
            {
                "type": "content_block_delta",
                "index": 1,
                "delta": {"type": "input_json_delta", "partial_json": piece},
            },
        )
    events += r.event("content_block_stop", {"type": "content_block_stop", "index": 1})
    events += r.close()
    partial = "".join(
        o["delta"]["partial_json"] for n, o in events if o["type"] == "content_block_delta"
    )
    return partial, events


def test_streamed_input_json_restores_for_every_split_of_a_dummy(veil):
    original = {"key": PEM, "host": HOST, "note": 'Qüorvex? no: Quorvex "qvtools"', "gh": GH}
    block = {"type": "tool_use", "id": "t", "name": "run", "input": copy.deepcopy(original)}
    body = {"model": "m", "messages": [{"role": "assistant", "content": [block]}]}
    slots = request_slots(body, POLICY)
    anon, mapping = veil.anonymize([s.get() for s in slots])
    for slot, text in zip(slots, anon, strict=True):
        slot.set(text)
    dummy_input = block["input"]
    assert_veiled(json.dumps(dummy_input))
    for ascii_only in (True, False):  # \u-escaped like json.dumps, or raw like the API
        text = json.dumps(dummy_input, ensure_ascii=ascii_only)
        assert "\\n" in text  # the PEM's dummy arrives JSON-escaped
        for i in range(len(text) + 1):
            partial, events = _stream_input(mapping, [text[:i], text[i:]])
            assert json.loads(partial) == original, i
            assert events[-1][0] == "content_block_stop"
            assert all(n == o["type"] for n, o in events)
    # Three pieces, every pair of cuts around the PEM dummy's first escaped newline.
    text = json.dumps(dummy_input)
    newline = text.index("\\n", text.index("-----BEGIN"))
    start, end = newline - 12, newline + 12
    for i in range(start, end):
        for j in range(i, end + 1):
            partial, _ = _stream_input(mapping, [text[:i], text[i:j], text[j:]])
            assert json.loads(partial) == original, (i, j)


def test_streamed_text_flushes_before_block_stop(veil):
    (anon,), mapping = veil.anonymize([f"Connect to {HOST} for Quorvex"])
    r = AnthropicStreamRestorer(mapping)
    events = []
    for ch in anon:
        events += r.event(
            "content_block_delta",
            {
                "type": "content_block_delta",
                "index": 0,
                "delta": {"type": "text_delta", "text": ch},
            },
        )
    events += r.event("content_block_stop", {"type": "content_block_stop", "index": 0})
    events += r.event("message_stop", {"type": "message_stop"})
    assert events[-2:] == [
        ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        ("message_stop", {"type": "message_stop"}),
    ]
    text = "".join(o["delta"]["text"] for _, o in events[:-2])
    assert text == f"Connect to {HOST} for Quorvex"
    assert r.close() == []


def test_whole_answer_keeps_ids_and_signatures(veil):
    (anon,), mapping = veil.anonymize(["Quorvex"])
    fmt = AnthropicMessages()
    answer = {
        "id": anon,
        "type": "message",
        "content": [
            {"type": "thinking", "thinking": f"about {anon}", "signature": anon},
            {"type": "tool_use", "id": "toolu_1", "name": "x", "input": {anon: [anon, 1]}},
        ],
    }
    out = fmt.restore(answer, mapping)
    assert out["id"] == anon and out["content"][0]["signature"] == anon
    assert out["content"][0]["thinking"] == "about Quorvex"
    assert out["content"][1]["input"] == {"Quorvex": ["Quorvex", 1]}


def test_from_chat_messages_makes_an_alternating_request():
    args = json.dumps({"command": f"ssh {HOST}", "cwd": "/srv/qv"})
    messages = [
        {"role": "system", "content": "You are terse."},
        {"role": "user", "content": "Check the host."},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "run_command", "arguments": args},
                },
                {
                    "id": "call_2",
                    "type": "function",
                    "function": {"name": "read_file", "arguments": '{"path": "a"}'},
                },
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": "ok"},
        {"role": "tool", "tool_call_id": "call_2", "content": "text"},
        {"role": "user", "content": "Thanks."},
    ]
    body = from_chat_messages(messages)
    assert body["system"] == "You are terse."
    assert [m["role"] for m in body["messages"]] == ["user", "assistant", "user"]
    assert body["messages"][1]["content"][0]["input"] == json.loads(args)
    assert [b["type"] for b in body["messages"][2]["content"]] == [
        "tool_result",
        "tool_result",
        "text",
    ]
    assert echo_text(body) == "\n\n".join(
        [
            "You are terse.",
            "Check the host.",
            f"run_command {args}",
            'read_file {"path": "a"}',
            "ok",
            "text",
            "Thanks.",
        ]
    )
    request_slots({"model": "m", **body}, POLICY)  # a valid request


def test_server_tool_blocks_and_unknown_fields_are_veiled(veil):
    body = {
        "model": "m", "max_tokens": 8, "thinking": {"type": "adaptive"},
        "context_management": {"edits": [{"type": "clear_thinking_20251015", "keep": "all"}]},
        "messages": [
            {"role": "user", "content": "Search the Quorvex wiki"},
            {"role": "assistant", "content": [
                {"type": "server_tool_use", "id": "srvtoolu_1", "name": "web_search",
                 "input": {"query": "Quorvex ledger outage"}},
                {"type": "web_search_tool_result", "tool_use_id": "srvtoolu_1", "content": [
                    {"type": "web_search_result", "url": "https://wiki.quorvex-int.net/ledger",
                     "title": "Quorvex ledger", "encrypted_content": "RW5jcnlwdGVk"}]},
            ]},
        ],
        "output_config": {"effort": "high", "format": {
            "type": "json_schema", "schema": {"properties": {"quorvex_id": {"type": "string"}}}}},
        "future_field": {"note": "Quorvex"},
    }
    slots = request_slots(body, POLICY)
    anon, _ = veil.anonymize([s.get() for s in slots])
    for slot, text in zip(slots, anon, strict=True):
        slot.set(text)
    text = json.dumps(body)
    assert "quorvex" not in text.lower()
    block = body["messages"][1]["content"]
    assert block[0]["name"] == "web_search" and block[0]["id"] == "srvtoolu_1"
    assert block[1]["content"][0]["encrypted_content"] == "RW5jcnlwdGVk"
    assert body["context_management"]["edits"][0] == {"type": "clear_thinking_20251015",
                                                      "keep": "all"}
    assert body["thinking"] == {"type": "adaptive"}


def test_claude_code_request_is_accepted_and_veiled(gateway, upstream):
    """Claude Code's own first request (captured from `claude -p`), with planted values."""
    upstream.clear()
    fixture = Path(__file__).parent / "fixtures" / "claude_code_request.json"
    body = json.loads(fixture.read_text())
    body["messages"][0]["content"].append({"type": "text", "text": PROMPT})
    r = httpx.post(f"{gateway.url}/v1/messages", json=body,
                   headers={"anthropic-version": "2023-06-01", "x-api-key": "sk-ant-client"},
                   timeout=60)
    assert r.status_code == 200, r.text
    sent = _sent(upstream)
    assert_veiled(json.dumps(sent))
    assert [m["role"] for m in sent["messages"]] == [m["role"] for m in body["messages"]]
    for key in ("thinking", "context_management", "output_config", "max_tokens", "model"):
        assert sent[key] == body[key], key
    assert "event: message_stop" in r.text
    # Its own vocabulary reaches the upstream as declared: tool and parameter names, schemas.
    assert declared_names(sent) == declared_names(body)
    # Not a word of its own prompt changes: all that differs is the planted text.
    sent["messages"][0]["content"].pop()
    body["messages"][0]["content"].pop()
    assert sent == body



def test_count_tokens_counts_what_would_be_sent(client, upstream):
    """`messages.count_tokens` goes through the veil: the upstream counts the anonymized text."""
    upstream.clear()
    count = client.messages.count_tokens(
        model="claude-test", system="You review Quorvex code.",
        messages=[{"role": "user", "content": PROMPT}])
    (req,) = upstream.recorded()
    assert req["path"] == "/v1/messages/count_tokens"
    assert_veiled(upstream_texts(req["body"]))
    assert count.input_tokens == len(echo_text(req["body"])) // 4 > 0
