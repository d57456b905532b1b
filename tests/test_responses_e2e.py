"""The Responses API through the gateway: the official openai SDK against `codeveil serve`, in
front of the recording echo upstream. Each test asserts what reached the upstream and what the
client got back; the unit tests at the end cut streamed dummies at every position."""

from __future__ import annotations

import gzip
import json
import re
from difflib import SequenceMatcher
from itertools import pairwise
from pathlib import Path

import httpx
import openai
import pytest

from proxy.policy import Policy
from proxy.testing.data import CORPUS
from proxy.testing.echo import echo
from proxy.testing.echo.responses import echo_text, from_chat_messages, upstream_texts
from proxy.testing.planted import AWS, EMAIL, HOST, IP, PASSWORD, PLANTED, PROMPT, PUBLIC, STRIPE
from proxy.veil.engine import Veil
from proxy.wire.base import declared_names
from proxy.wire.responses import ResponsesStreamRestorer, request_slots

ARGS = json.dumps(
    {
        "command": f"PGPASSWORD='{PASSWORD}' psql -h {HOST} -U etl",
        "cwd": "/home/svirtanen/quorvex-api",
    }
)


def assert_veiled(body: dict) -> None:
    text = "\n".join(upstream_texts(body))
    for value in PLANTED:
        assert value not in text, value
    assert "quorvex" not in json.dumps(body).lower()  # every field, tools and schemas too
    for value in PUBLIC:
        assert value in text, value


def chat_history() -> list[dict]:
    """An agent conversation in chat form: a user turn, a tool call, its result, a user turn."""
    return [
        {"role": "system", "content": "You review Quorvex code."},
        {"role": "user", "content": PROMPT},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "run_shell", "arguments": ARGS},
                }
            ],
        },
        {
            "role": "tool",
            "tool_call_id": "call_1",
            "content": f"connected to {HOST} ({IP}) as etl; key {AWS}",
        },
        {"role": "user", "content": "Run it again on the Quorvex ledger."},
    ]


TOOLS = [
    {
        "type": "function",
        "name": "run_shell",
        "description": "Run a command on a Quorvex build host",
        "parameters": {
            "type": "object",
            "properties": {"command": {"type": "string", "description": "e.g. ssh " + HOST}},
        },
    }
]


@pytest.fixture
def client(gateway) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{gateway.url}/v1", api_key="sk-client-key", max_retries=0)


# -- whole answers -------------------------------------------------------------------------


def test_string_input_is_veiled_and_restored(client, upstream):
    upstream.clear()
    answer = client.responses.create(
        model="gpt-test", instructions="You review Quorvex code.", input=PROMPT
    )
    assert answer.output_text == f"You review Quorvex code.\n\n{PROMPT}"
    (req,) = upstream.recorded()
    assert req["path"] == "/v1/responses"
    assert_veiled(req["body"])
    assert re.search(r"class [A-Z][a-z]+BillingClient:", req["body"]["input"])
    assert req["headers"]["Authorization"] == "Bearer sk-client-key"
    assert answer.instructions == "You review Quorvex code."  # the echoed request, restored


def test_items_are_veiled_and_restored(client, upstream):
    upstream.clear()
    messages = chat_history()
    body = from_chat_messages(messages)
    kinds = [item["type"] for item in body["input"]]
    assert kinds == ["message", "function_call", "function_call_output", "message"]
    answer = client.responses.create(model="gpt-test", tools=TOOLS, **body)
    assert answer.output_text == echo(messages)
    (req,) = upstream.recorded()
    sent = req["body"]
    assert_veiled(sent)
    call = sent["input"][1]
    assert call["call_id"] == "call_1" and call["name"] == "run_shell"
    assert "svirtanen" not in call["arguments"]
    json.loads(call["arguments"])  # still a JSON document, with dummies inside
    assert sent["input"][2]["call_id"] == "call_1"
    assert "quorvex" not in json.dumps(sent["tools"]).lower()


def test_content_parts_and_structured_output_schema_are_veiled(client, upstream):
    upstream.clear()
    schema = {
        "type": "object",
        "properties": {"quorvex_host": {"type": "string", "description": f"like {HOST}"}},
        "required": ["quorvex_host"],
        "additionalProperties": False,
    }
    answer = client.responses.create(
        model="gpt-test",
        input=[
            {
                "role": "user",
                "content": [
                    {"type": "input_text", "text": f"token {STRIPE}"},
                    {"type": "input_text", "text": f" host {HOST}"},
                ],
            }
        ],
        text={"format": {"type": "json_schema", "name": "QuorvexHost", "schema": schema}},
        metadata={"project": "Quorvex ledger"},
        user=EMAIL,
    )
    assert answer.output_text == f"token {STRIPE} host {HOST}"
    sent = upstream.recorded()[0]["body"]
    raw = json.dumps(sent)
    assert STRIPE not in raw and HOST not in raw and EMAIL not in raw and "token sk_live_" in raw
    assert "quorvex" not in raw.lower()
    assert sent["text"]["format"]["schema"]["required"] == [
        next(iter(sent["text"]["format"]["schema"]["properties"]))
    ]


# -- streams -------------------------------------------------------------------------------

EVENT_TYPES = [
    "response.created",
    "response.in_progress",
    "response.output_item.added",
    "response.content_part.added",
    "response.output_text.delta",
    "response.output_text.done",
    "response.content_part.done",
    "response.output_item.done",
    "response.completed",
]


def _check_sequence(events: list) -> None:
    numbers = [e.sequence_number for e in events]
    assert numbers == sorted(set(numbers)), "sequence numbers must strictly increase"


def test_stream_helper_restores_every_delta(client, upstream):
    upstream.clear()
    messages = chat_history()
    expected = echo(messages)
    with client.responses.stream(model="gpt-test", **from_chat_messages(messages)) as stream:
        events = list(stream)
        final = stream.get_final_response()
    deltas = [e.delta for e in events if e.type == "response.output_text.delta"]
    assert len(deltas) > 100  # cut into 1-5 character pieces
    assert "".join(deltas) == expected
    (done,) = [e for e in events if e.type == "response.output_text.done"]
    assert done.text == expected
    assert final.output_text == expected
    assert [t for t in EVENT_TYPES if t in {e.type for e in events}] == EVENT_TYPES
    _check_sequence(events)
    assert_veiled(upstream.recorded()[0]["body"])


def test_create_stream_true_keeps_event_names_and_types(client, upstream, gateway):
    upstream.clear()
    text = f"{PROMPT}\n\nIt ends with a dummy: {HOST}"  # held back until its part is done
    stream = client.responses.create(model="gpt-test", input=text, stream=True)
    events = list(stream)
    assert [e.type for e in events][:4] == EVENT_TYPES[:4]
    assert events[-1].type == "response.completed"
    done_at = [e.type for e in events].index("response.output_text.done")
    deltas = [e.delta for e in events[:done_at] if e.type == "response.output_text.delta"]
    assert "".join(deltas) == text
    assert deltas[-1].endswith(HOST[-5:])  # the held-back text, sent just before the done event
    assert events[done_at].text == text
    assert events[-1].response.output_text == text
    _check_sequence(events)
    assert_veiled(upstream.recorded()[0]["body"])
    # On the wire, each event names itself twice: the SSE `event:` field and the data's `type`;
    # with one delta event more than the upstream sent, the numbers still count up one by one.
    upstream.clear()
    with httpx.stream(
        "POST",
        f"{gateway.url}/v1/responses",
        json={"model": "gpt-test", "input": f"ping {HOST}", "stream": True},
    ) as r:
        raw = r.read().decode()
    sent = upstream.recorded()[0]["body"]["input"]
    blocks = [b for b in raw.split("\n\n") if b.strip()]
    data = []
    for block in blocks:
        name, line = block.split("\n", 1)
        assert name.startswith("event: ") and line.startswith("data: ")
        data.append(json.loads(line[6:]))
        assert data[-1]["type"] == name[7:]
    assert [d["sequence_number"] for d in data] == list(range(len(data)))
    n_deltas = sum(d["type"] == "response.output_text.delta" for d in data)
    assert n_deltas > len(sent) // 5  # 1-5 characters each, plus the flushed tail
    assert data[-1]["response"]["output"][0]["content"][0]["text"] == f"ping {HOST}"


# -- tool calls ----------------------------------------------------------------------------


def test_tool_call_arguments_come_back_exactly(client, upstream):
    upstream.clear()
    body = from_chat_messages(chat_history()[:3])  # ends with the assistant's call
    answer = client.responses.create(model="echo-tools", tools=TOOLS, **body)
    (call,) = answer.output
    assert call.type == "function_call" and call.name == "run_shell"
    assert call.call_id == "call_1"
    assert call.arguments == ARGS
    assert "svirtanen" not in upstream.recorded()[0]["body"]["input"][1]["arguments"]


def test_streamed_tool_call_arguments_come_back_exactly(client, upstream):
    body = from_chat_messages(chat_history()[:3])
    with client.responses.stream(model="echo-tools", tools=TOOLS, **body) as stream:
        events = list(stream)
        final = stream.get_final_response()
    deltas = [e.delta for e in events if e.type == "response.function_call_arguments.delta"]
    assert len(deltas) > 10
    assert "".join(deltas) == ARGS
    (done,) = [e for e in events if e.type == "response.function_call_arguments.done"]
    assert done.arguments == ARGS
    assert final.output[0].arguments == ARGS
    _check_sequence(events)


# -- errors --------------------------------------------------------------------------------


def test_upstream_error_reaches_client_with_status_and_restored_body(client):
    with pytest.raises(openai.RateLimitError) as err:
        client.responses.create(model="error-429", input=f"ping {HOST}")
    assert err.value.status_code == 429
    assert HOST in err.value.body["message"]  # the upstream quoted the dummy
    with pytest.raises(openai.InternalServerError) as err:
        client.responses.create(model="error-503", input="x", stream=True)
    assert err.value.status_code == 503


def test_refused_requests_are_not_forwarded(client, gateway, upstream):
    upstream.clear()
    image = {"type": "input_image", "image_url": "data:image/png;base64,AAAA"}
    with pytest.raises(openai.BadRequestError) as err:
        client.responses.create(
            model="gpt-test",
            input=[{"role": "user", "content": [{"type": "input_text", "text": "hi"}, image]}],
        )
    assert err.value.code == "content_part_refused"
    assert err.value.param == "input[0].content[1]"
    url = f"{gateway.url}/v1/responses"
    cases = [
        ({"model": "m", "input": 42}, "input", "invalid_request"),
        (
            {"model": "m", "input": [{"type": "computer_call", "action": {}}]},
            "input[0].type",
            "unsupported_input_item",
        ),
        (
            {"model": "m", "input": [{"role": "user", "content": [{"type": "hologram"}]}]},
            "input[0].content[0]",
            "unsupported_content_part",
        ),
        (
            {"model": "m", "input": [{"type": "function_call", "name": "f", "arguments": {}}]},
            "input[0].arguments",
            "invalid_request",
        ),
        (
            {"model": "m", "input": "hi", "tools": [{"type": "hologram", "server_url": "x"}]},
            "tools[0].type",
            "unsupported_tool",
        ),
        ({"input": "hi"}, "model", "invalid_request"),
    ]
    for body, param, code in cases:
        r = httpx.post(url, json=body)
        assert r.status_code == 400, body
        assert (r.json()["error"]["param"], r.json()["error"]["code"]) == (param, code)
    assert upstream.recorded() == []


# -- units: the stream restorer and the echo helpers ---------------------------------------

POLICY = Policy(
    terms=("Quorvex", "Stellan Labs", "qvtools"),
    internal_domains=("corp.quorvex.internal", "quorvex-int.net"),
)


@pytest.fixture(scope="module")
def veil() -> Veil:
    return Veil(POLICY, b"k" * 32)


def _replay(mapping, events: list[tuple[str, dict]]) -> list[tuple[str | None, dict]]:
    restorer = ResponsesStreamRestorer(mapping)
    out: list[tuple[str | None, dict]] = []
    for seq, (name, ev) in enumerate(events):
        out += restorer.event(name, {"type": name, **ev, "sequence_number": seq})
    return out + restorer.close()


def _split_events(kind: str, text: str, cuts: list[int], done: dict) -> list[tuple[str, dict]]:
    at = {"item_id": "x", "output_index": 0}
    if kind == "response.output_text":
        at["content_index"] = 0
    bounds = [0, *cuts, len(text)]
    deltas = [(f"{kind}.delta", {**at, "delta": text[a:b]}) for a, b in pairwise(bounds)]
    return [*deltas, (f"{kind}.done", {**at, **done}), ("response.completed", {"response": {}})]


def test_streamed_arguments_restore_for_every_split_of_a_dummy(veil):
    args = json.dumps(
        {
            "command": f"PGPASSWORD='Tu\"lip!Mar\\lin58' psql -h {HOST} -U etl",
            "cwd": "C:\\Users\\svirtanen\\Quorvex \u00e9",
        }
    )
    (anon,), mapping = veil.anonymize([args])
    assert HOST not in anon and "svirtanen" not in anon and 'Tu\\"lip' not in anon
    kind = "response.function_call_arguments"
    for cut in range(1, len(anon)):
        events = _split_events(kind, anon, [cut], {"arguments": anon})
        out = _replay(mapping, events)
        names = [name for name, _ in out]
        before = out[: names.index(f"{kind}.done")]  # all of the text comes before its done
        deltas = [ev["delta"] for name, ev in before if name == f"{kind}.delta"]
        assert "".join(deltas) == args, cut
        (done,) = [ev for name, ev in out if name == f"{kind}.done"]
        assert done["arguments"] == args
        numbers = [ev["sequence_number"] for _, ev in out]
        assert numbers == sorted(set(numbers))
    # And one character per delta, every dummy cut everywhere at once.
    out = _replay(mapping, _split_events(kind, anon, list(range(1, len(anon))), {}))
    assert "".join(ev["delta"] for name, ev in out if name.endswith(".delta")) == args


def test_held_back_text_is_sent_before_the_done_event(veil):
    text = f"Ask {HOST} and Stellan Labs"
    (anon,), mapping = veil.anonymize([text])
    dummy = anon.split()[-2]  # the first word of the dummy of "Stellan Labs"
    tail = anon + " " + dummy[:3]  # ends with what could still become a dummy
    for cut in range(1, len(tail)):
        events = _split_events("response.output_text", tail, [cut], {"text": tail})
        out = _replay(mapping, events)
        names = [name for name, _ in out]
        done_at = names.index("response.output_text.done")
        restored = "".join(ev["delta"] for name, ev in out[:done_at] if name.endswith(".delta"))
        assert restored == text + " " + dummy[:3]
        assert out[done_at][1]["text"] == restored
        numbers = [ev["sequence_number"] for _, ev in out]
        assert numbers == list(range(len(out)))  # renumbered: one more event than upstream sent
        assert [ev["type"] for _, ev in out] == names


def test_request_slots_cover_every_text(veil):
    body = {
        "model": "m",
        "instructions": "i",
        "input": [
            {"role": "user", "content": "a"},
            {
                "type": "message",
                "role": "assistant",
                "content": [{"type": "output_text", "text": "b", "annotations": []}],
            },
            {"type": "function_call", "call_id": "c1", "name": "n", "arguments": "{}"},
            {"type": "function_call_output", "call_id": "c1", "output": "o"},
            {"type": "reasoning", "id": "r", "summary": [{"type": "summary_text", "text": "s"}]},
        ],
        "tools": [{"type": "function", "name": "t", "description": "d", "parameters": {}}],
        "tool_choice": {"type": "function", "name": "t"},
        "metadata": {"k": "v"},
        "user": "u",
        "temperature": 0.2,
    }
    texts = [s.get() for s in request_slots(body, POLICY)]
    assert texts == ["i", "a", "b", "n", "{}", "o", "s", "t", "d", "{}", "t", "u", "v"]


def test_echo_of_converted_corpus_records_equals_the_chat_echo():
    path = CORPUS
    if not path.exists():
        pytest.skip("no corpus")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    for rec in records:
        body = from_chat_messages(rec["messages"])
        assert echo_text(body) == echo(rec["messages"]), rec["id"]
        texts = upstream_texts(body)
        for item in rec["sensitive"]:
            assert any(item["text"] in t for t in texts), (rec["id"], item["type"])


def test_codex_tool_declarations_are_read():
    """Codex (`codex exec`, captured) declares its tools in an `additional_tools` input item,
    grouped in `namespace` tools; every description and schema in them is a slot."""
    body = json.loads((Path(__file__).parent / "fixtures" / "codex_exec_request.json").read_text())
    slots = request_slots(body, POLICY)
    texts = [slot.get() for slot in slots]
    assert any("Run JavaScript code to orchestrate" in t for t in texts)  # a custom tool
    assert any('"timeout_ms"' in t for t in texts)  # a function's schema inside a namespace
    assert any(t == "say hi" for t in texts)
    hosted = {"model": "m", "input": "hi", "tools": [
        {"type": "web_search", "filters": {"allowed_domains": ["wiki.quorvex-int.net"]}},
        {"type": "mcp", "server_label": "Quorvex docs", "server_url": "https://mcp.example.com"},
    ]}
    texts = [slot.get() for slot in request_slots(hosted, POLICY)]
    assert "wiki.quorvex-int.net" in texts and "Quorvex docs" in texts
    assert "https://mcp.example.com" not in texts  # where the upstream connects: kept as is


@pytest.mark.parametrize("fixture", ["codex_exec_request.json",
                                     "codex_exec_gpt5_codex_request.json"])
def test_codex_requests_are_accepted_and_keep_their_declared_names(gateway, upstream, fixture):
    """Codex's own requests (captured from `codex exec`, default model and gpt-5-codex)."""
    upstream.clear()
    body = json.loads((Path(__file__).parent / "fixtures" / fixture).read_text())
    body["input"].append({"type": "message", "role": "user",
                          "content": [{"type": "input_text", "text": PROMPT}]})
    r = httpx.post(f"{gateway.url}/v1/responses", json=body, timeout=60,
                   headers={"User-Agent": "codex_exec/0.171.0"})
    assert r.status_code == 200, r.text
    assert "response.completed" in r.text
    (req,) = upstream.recorded()
    sent = req["body"]
    text = json.dumps(sent)
    for value in PLANTED:
        assert value not in text, value
    # Tool, namespace and parameter names reach the upstream as Codex declared them.
    assert declared_names(sent) == declared_names(body)
    assert {"exec_command", "wait_agent", "timeout_ms"} & declared_names(sent)
    # Its own prompt: all that differs is the planted text, except, for the default model, one
    # font name of its typography list that reads like a private class name.
    sent["input"].pop()
    body["input"].pop()
    changed = changed_words(json.dumps(body), json.dumps(sent))
    known = ["UnifrakturMaguntia"] if fixture == "codex_exec_request.json" else []
    assert [old for old, _ in changed] == known


def changed_words(before: str, after: str) -> list[tuple[str, str]]:
    """The words of ``before`` that ``after`` replaced, in order."""
    a, b = re.findall(r"\w+", before), re.findall(r"\w+", after)
    return [(" ".join(a[i1:i2]), " ".join(b[j1:j2]))
            for op, i1, i2, j1, j2 in SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
            if op != "equal"]

