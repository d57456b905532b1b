"""The stream restorers against random upstream events: a dummy never reaches the client.

Every format's restorer is driven as the gateway drives it (``event`` per upstream event, then
``close``). A dummy split across deltas at any cut is restored whole; random events, hostile
shapes and wrong types mixed in neither crash the restorer with an undocumented exception nor
let the dummy through.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from proxy.veil.engine import Mapping
from proxy.veil.restore import Replacer
from proxy.wire.anthropic import AnthropicMessages
from proxy.wire.base import ENVELOPE, WireFormat
from proxy.wire.chat import ChatCompletions
from proxy.wire.gemini import GeminiGenerateContent
from proxy.wire.responses import Responses
from tests.fuzz import examples

DUMMY, REAL = "Kelvadorn_Vault", "AcmeBilling"
MAPPING = lambda: Mapping(reverse=Replacer({DUMMY: REAL}))  # noqa: E731


def chat(delta: str) -> tuple[str | None, Any]:
    return None, {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m",
                  "choices": [{"index": 0, "delta": {"content": delta}, "finish_reason": None}]}


def responses(delta: str) -> tuple[str | None, Any]:
    return "response.output_text.delta", {
        "type": "response.output_text.delta", "item_id": "msg_1", "output_index": 0,
        "content_index": 0, "delta": delta}


def anthropic(delta: str) -> tuple[str | None, Any]:
    return "content_block_delta", {"type": "content_block_delta", "index": 0,
                                   "delta": {"type": "text_delta", "text": delta}}


def gemini(delta: str) -> tuple[str | None, Any]:
    return None, {"candidates": [{"index": 0, "content": {"role": "model",
                                                          "parts": [{"text": delta}]}}]}


def chat_text(obj: Any) -> str:
    return "".join(c.get("delta", {}).get("content") or "" for c in obj.get("choices", []))


def responses_text(obj: Any) -> str:
    return obj.get("delta", "") if obj.get("type") == "response.output_text.delta" else ""


def anthropic_text(obj: Any) -> str:
    return obj.get("delta", {}).get("text", "") if obj.get("type") == "content_block_delta" \
        else ""


def gemini_text(obj: Any) -> str:
    return "".join(p.get("text", "") for c in obj.get("candidates", [])
                   for p in c.get("content", {}).get("parts", []))


Delta = Callable[[str], tuple[str | None, Any]]
FORMATS: list[tuple[WireFormat, Delta, Callable[[Any], str]]] = [
    (ChatCompletions(), chat, chat_text), (Responses(), responses, responses_text),
    (AnthropicMessages(), anthropic, anthropic_text), (GeminiGenerateContent(), gemini,
                                                       gemini_text),
]
# The text around the dummy: bits of the dummy itself (false starts), unicode, JSON-ish noise.
noise = st.lists(st.sampled_from([*DUMMY, "Kelv", " ", "\n", "é", "\u2028", "\"", "\\", "{"]),
                max_size=20).map("".join)


def drive(fmt: WireFormat, events: list[tuple[str | None, Any]]) -> list[tuple[str | None, Any]]:
    restorer = fmt.stream_restorer(MAPPING())
    out = [ev for name, obj in events for ev in restorer.event(name, obj)]
    return out + restorer.close()


def cuts(text: str, points: list[int]) -> list[str]:
    bounds = sorted({0, len(text), *(p % (len(text) + 1) for p in points)})
    return [text[a:b] for a, b in itertools.pairwise(bounds)]


@settings(max_examples=examples(150), deadline=None)
@given(st.sampled_from(range(len(FORMATS))), noise, noise, st.lists(st.integers(0, 200),
                                                                    max_size=12))
@example(0, "", "", list(range(1, 16)))  # a character per delta
@example(3, "Kelv", "Kelvadorn", [4, 8])  # a false start, then the dummy across two deltas
def test_a_dummy_split_anywhere_comes_back_whole(which, before, after, points):
    fmt, delta, text_of = FORMATS[which]
    text = before + DUMMY + after
    out = drive(fmt, [delta(part) for part in cuts(text, points)])
    assert "".join(text_of(obj) for _, obj in out) == text.replace(DUMMY, REAL)
    for _, obj in out:
        assert DUMMY not in json.dumps(obj, ensure_ascii=False)


def planted(s: str) -> st.SearchStrategy[str]:
    return st.builds(lambda a, b: a + DUMMY + b, s, s)


leaf = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8), planted(st.text(max_size=4)),
    st.sampled_from(["", "text", "content", "delta", "index", "tool_calls", "parts",
                     "content_block_delta", "text_delta", "input_json_delta",
                     "response.output_text.delta", "response.completed", "[DONE]"]),
)
KEYS = st.sampled_from(["choices", "delta", "content", "text", "index", "type", "parts",
                        "candidates", "tool_calls", "function", "arguments", "name",
                        "partial_json", "item", "output", "response", "content_block",
                        "functionCall", "args", "message", "output_index", "content_index"])
hostile = st.recursive(leaf, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(KEYS, inner, max_size=4)), max_leaves=12)
NAMES = st.one_of(st.none(), st.sampled_from(["content_block_delta", "content_block_start",
                                              "message_start", "response.output_text.delta",
                                              "response.completed", "error", "ping"]))


@settings(max_examples=examples(150), deadline=None)
@given(st.sampled_from(range(len(FORMATS))),
       st.lists(st.one_of(st.tuples(NAMES, hostile), st.builds(lambda t: ("text", t), noise)),
                max_size=8))
def test_random_events_neither_crash_nor_leak_a_dummy(which, events):
    fmt, delta, _ = FORMATS[which]
    stream = [delta(e[1]) if e[0] == "text" else e for e in events]  # hostile events and text
    out = drive(fmt, json.loads(json.dumps(stream)))
    for _, obj in out:
        assert not [t for t in model_text(obj) if DUMMY in t], obj


def model_text(obj: Any) -> list[str]:
    """Every string the model may have written: all but the envelope's fields (ids, types,
    indexes, status), which are passed on as the upstream sent them by design (base.ENVELOPE)."""
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, list):
        return [t for v in obj for t in model_text(v)]
    if isinstance(obj, dict):
        return [t for k, v in obj.items() if k not in ENVELOPE for t in model_text(v)]
    return []
