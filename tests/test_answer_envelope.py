"""Restoration touches only what the model wrote, never the protocol around it.

Dummies are chosen per request, so any protocol key or value (``message``, ``content``,
``type``, ``assistant``...) may happen to be one. Whole answers and streams of every API surface
must then keep their envelope as the upstream sent it, and still restore the model's text.
Tool-call names are matched exactly by clients, so a stream must never deliver them in part.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from proxy.veil.engine import Mapping
from proxy.veil.restore import Replacer
from proxy.veil.surrogates import Surrogates
from proxy.wire.anthropic import AnthropicMessages
from proxy.wire.chat import ChatCompletions, ChatStreamRestorer
from proxy.wire.completions import Completions
from proxy.wire.gemini import GeminiGenerateContent
from proxy.wire.responses import Responses

PROTOCOL_WORDS = (
    "candidates", "parts", "STOP", "functionCall", "args",
    "message", "messages", "content", "text", "name", "type", "role", "assistant", "user",
    "choices", "delta", "function", "tool_calls", "output", "output_text", "completed",
    "stop", "end_turn", "tool_use", "index", "object", "model", "status", "response",
    "content_block_delta", "text_delta", "chat.completion", "finish_reason", "usage", "id",
)
DUMMY, REAL = "Kelvadorn", "AcmeBilling"
TEXT = f"call {DUMMY} now."
RESTORED = f"call {REAL} now."
ARGS = json.dumps({"cmd": TEXT})


def mapping_for(protocol_dummies: list[str]) -> Mapping:
    table = {w: f"Private{i}Name" for i, w in enumerate(protocol_dummies)}
    table[DUMMY] = REAL
    return Mapping(reverse=Replacer(table))


def skeleton(obj: Any) -> Any:
    """The answer with the model's text blanked: what must come back exactly as sent."""
    if isinstance(obj, str):
        if DUMMY in obj or REAL in obj:
            return "<text>"
        try:
            doc = json.loads(obj)
        except ValueError:
            return obj
        return json.dumps(skeleton(doc)) if isinstance(doc, dict) else obj
    if isinstance(obj, list):
        return [skeleton(v) for v in obj]
    if isinstance(obj, dict):
        return {k: skeleton(v) for k, v in obj.items()}
    return obj


def texts(obj: Any) -> list[str]:
    if isinstance(obj, str):
        return [obj] if DUMMY in obj or REAL in obj else []
    if isinstance(obj, list):
        return [t for v in obj for t in texts(v)]
    if isinstance(obj, dict):
        return [t for v in obj.values() for t in texts(v)]
    return []


CHAT = {
    "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "m",
    "choices": [{
        "index": 0, "finish_reason": "stop",
        "message": {"role": "assistant", "content": TEXT, "tool_calls": [{
            "id": "call_1", "type": "function",
            "function": {"name": "bash", "arguments": ARGS}}]},
    }],
    "usage": {"prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7},
}
COMPLETION = {
    "id": "cmpl-1", "object": "text_completion", "created": 1, "model": "m",
    "choices": [{"text": TEXT, "index": 0, "logprobs": None, "finish_reason": "stop"}],
}
RESPONSE = {
    "id": "resp_1", "object": "response", "created_at": 1, "status": "completed", "model": "m",
    "output": [
        {"type": "message", "id": "msg_1", "status": "completed", "role": "assistant",
         "content": [{"type": "output_text", "text": TEXT, "annotations": []}]},
        {"type": "function_call", "id": "fc_1", "call_id": "call_1", "name": "bash",
         "arguments": ARGS, "status": "completed"},
    ],
    "usage": {"input_tokens": 3, "output_tokens": 4, "total_tokens": 7},
}
MESSAGE = {
    "id": "msg_1", "type": "message", "role": "assistant", "model": "m",
    "content": [{"type": "text", "text": TEXT},
                {"type": "tool_use", "id": "toolu_1", "name": "bash", "input": {"cmd": TEXT}}],
    "stop_reason": "tool_use", "stop_sequence": None,
    "usage": {"input_tokens": 3, "output_tokens": 4},
}
GEMINI = {
    "candidates": [{"index": 0, "finishReason": "STOP", "content": {"role": "model", "parts": [
        {"text": TEXT}, {"functionCall": {"name": "bash", "args": {"cmd": TEXT}}}]}}],
    "usageMetadata": {"promptTokenCount": 3}, "modelVersion": "gemini-test", "responseId": "r1",
}
WHOLE = [(ChatCompletions(), CHAT), (Completions(), COMPLETION), (Responses(), RESPONSE),
         (AnthropicMessages(), MESSAGE), (GeminiGenerateContent(), GEMINI)]


def chat_stream() -> list[tuple[str | None, Any]]:
    base = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": "m"}

    def chunk(delta: dict, finish: str | None = None) -> tuple[None, dict]:
        return None, {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}

    return [
        chunk({"role": "assistant", "content": ""}),
        chunk({"content": TEXT}),
        chunk({"tool_calls": [{"index": 0, "id": "call_1", "type": "function",
                               "function": {"name": "bash", "arguments": ""}}]}),
        chunk({"tool_calls": [{"index": 0, "function": {"arguments": ARGS}}]}),
        chunk({}, "tool_calls"),
    ]


def responses_stream() -> list[tuple[str | None, Any]]:
    item = {"type": "message", "id": "msg_1", "status": "in_progress", "role": "assistant",
            "content": []}
    events = [
        {"type": "response.created", "response": {**RESPONSE, "status": "in_progress",
                                                  "output": []}},
        {"type": "response.output_item.added", "output_index": 0, "item": item},
        {"type": "response.output_text.delta", "item_id": "msg_1", "output_index": 0,
         "content_index": 0, "delta": TEXT},
        {"type": "response.output_text.done", "item_id": "msg_1", "output_index": 0,
         "content_index": 0, "text": TEXT},
        {"type": "response.output_item.done", "output_index": 0, "item": RESPONSE["output"][0]},
        {"type": "response.completed", "response": RESPONSE},
    ]
    return [(e["type"], {**e, "sequence_number": n}) for n, e in enumerate(events)]


def messages_stream() -> list[tuple[str | None, Any]]:
    events = [
        {"type": "message_start", "message": {**MESSAGE, "content": [], "stop_reason": None}},
        {"type": "content_block_start", "index": 0, "content_block": {"type": "text",
                                                                       "text": ""}},
        {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta",
                                                               "text": TEXT}},
        {"type": "content_block_stop", "index": 0},
        {"type": "content_block_start", "index": 1,
         "content_block": {"type": "tool_use", "id": "toolu_1", "name": "bash", "input": {}}},
        {"type": "content_block_delta", "index": 1,
         "delta": {"type": "input_json_delta", "partial_json": ARGS}},
        {"type": "content_block_stop", "index": 1},
        {"type": "message_delta", "delta": {"stop_reason": "tool_use", "stop_sequence": None},
         "usage": {"output_tokens": 4}},
        {"type": "message_stop"},
    ]
    return [(e["type"], e) for e in events]


def gemini_stream() -> list[tuple[str | None, Any]]:
    def chunk(parts: list[dict], finish: str | None = None) -> tuple[None, dict]:
        cand: dict[str, Any] = {"index": 0, "content": {"role": "model", "parts": parts}}
        if finish:
            cand["finishReason"] = finish
        return None, {"candidates": [cand], "modelVersion": "gemini-test", "responseId": "r1"}

    return [chunk([{"text": TEXT}]),
            chunk([{"functionCall": {"name": "bash", "args": {"cmd": TEXT}}}], "STOP")]


STREAMS = [(ChatCompletions(), chat_stream), (Responses(), responses_stream),
           (AnthropicMessages(), messages_stream), (GeminiGenerateContent(), gemini_stream)]
protocol_dummies = st.lists(st.sampled_from(PROTOCOL_WORDS), min_size=1, max_size=8, unique=True)


@settings(max_examples=60, deadline=None)
@given(protocol_dummies)
def test_whole_answers_keep_their_envelope(dummies):
    mapping = mapping_for(dummies)
    for fmt, answer in WHOLE:
        restored = fmt.restore(json.loads(json.dumps(answer)), mapping)
        assert skeleton(restored) == skeleton(answer), fmt.path
        assert texts(restored), fmt.path
        for text in texts(restored):
            assert DUMMY not in text and REAL in text, (fmt.path, text)


@settings(max_examples=60, deadline=None)
@given(protocol_dummies)
def test_streamed_answers_keep_their_envelope(dummies):
    mapping = mapping_for(dummies)
    for fmt, events in STREAMS:
        sent = events()
        restorer = fmt.stream_restorer(mapping)
        out = [ev for name, obj in json.loads(json.dumps(sent))
               for ev in restorer.event(name, obj)]
        out += restorer.close()
        assert [skeleton(obj) for _, obj in out] == [skeleton(obj) for _, obj in sent], fmt.path
        assert [name for name, _ in out] == [name for name, _ in sent], fmt.path
        streamed = "".join(t for _, obj in out for t in texts(obj))
        assert DUMMY not in streamed and REAL in streamed, fmt.path


def tool_name_deltas(mapping: Mapping, name: str) -> list[str]:
    """The names a client receives for one streamed tool call named ``name``."""
    restorer = ChatStreamRestorer(mapping)

    def chunk(delta: dict, finish: str | None = None) -> dict:
        return {"id": "c", "object": "chat.completion.chunk",
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}

    events = [
        chunk({"tool_calls": [{"index": 0, "id": "call_1", "type": "function",
                               "function": {"name": name, "arguments": ""}}]}),
        chunk({"tool_calls": [{"index": 0, "function": {"arguments": "{}"}}]}),
        chunk({}, "tool_calls"),
    ]
    names = []
    for ev in [*(e for raw in events for e in restorer.event(None, raw)), *restorer.close()]:
        for call in ev[1]["choices"][0]["delta"].get("tool_calls") or []:
            if "name" in call.get("function", {}):
                names.append(call["function"]["name"])
    return names


def test_streamed_tool_names_arrive_whole_against_every_dummy_prefix():
    dummies = ["bashful_node", "run_commandsXq", "read_file_slot", "Kelvadorn"]
    mapping = Mapping(reverse=Replacer({d: f"real{i}" for i, d in enumerate(dummies)}))
    for dummy in dummies:
        for cut in range(1, len(dummy)):
            name = dummy[:cut]  # a real tool name that is the start of a dummy
            assert tool_name_deltas(mapping, name) == [name], name
        assert tool_name_deltas(mapping, dummy) == [mapping.restore(dummy)]


@settings(max_examples=200, deadline=None)
@given(st.from_regex(r"[a-z]{1,12}|[A-Z][a-z]{1,10}|[A-Z]{2,8}", fullmatch=True),
       st.integers(0, 50))
def test_identifier_dummies_are_never_one_word(name, attempt):
    """In `all` mode a one-word name gets two words: a single word could be the model's own."""
    from recognizers.code.vocabulary import split_identifier

    dummy = Surrogates(b"k" * 32).identifier(name, attempt)
    assert len(split_identifier(dummy)) >= 2, (name, dummy)
