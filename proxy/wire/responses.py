"""The Responses API wire format (``POST /v1/responses``): request slots, answers and streams.

``request_slots`` finds every string the client wrote: ``input`` as a string or a list of items
(messages and their text parts, function and custom tool calls with their arguments, tool
outputs, reasoning summaries), ``instructions``, tool definitions and their JSON schemas, the
tool choice, the structured-output schema, ``prompt`` variables, ``user``, ``metadata``. Item,
part and tool types it does not know are refused (fail closed): it cannot tell what text they
carry or what the upstream would do with it.

A whole answer is restored string by string. A stream is a sequence of typed events; every
``*.delta`` event with a text ``delta`` (output text, refusals, function-call arguments,
reasoning summaries, ...) is restored with one ``StreamReplacer`` per (kind, output_index,
content_index, summary_index), so a dummy cut across deltas (or JSON-escaped inside function-call
arguments) comes back whole. Text still held back when its part closes (``*.done``,
``response.content_part.done``, ``response.output_item.done``, ``response.completed``, ...) is
sent in one more delta event just before the closing event; sequence numbers after it shift by
one per inserted event, so they stay strictly increasing.
"""

from __future__ import annotations

import copy
from typing import Any

from proxy.policy import Policy
from proxy.veil.engine import Mapping
from proxy.veil.restore import StreamReplacer
from proxy.wire.base import STRUCTURAL, Event, Slot, Turns, restore_answer, strings
from proxy.wire.chat import _PART_KINDS
from proxy.wire.errors import ApiError, bad_request
from proxy.wire.hosted import check_responses
from proxy.wire.media import image_part

ROLES = {"user", "assistant", "system", "developer"}
# Keys that are structure (ids that link items, enums), never text the client wrote.
_SKIP = STRUCTURAL | {"call_id", "item_id", "file_id", "status", "encrypted_content", "phase"}
# Text parts per place, and the key that holds their text.
_MESSAGE_PARTS = {"input_text": "text", "output_text": "text", "refusal": "refusal"}
_OUTPUT_PARTS = {"input_text": "text"}
_SUMMARY_PARTS = {"summary_text": "text"}
_REASONING_PARTS = {"reasoning_text": "text"}
_TOOLS = ("function", "custom")
# Tools the upstream runs itself. Their settings (allowed domains, a user's location, server
# labels) are anonymized like any text; what they find comes back as output items and is
# restored. The text they act on is the anonymized text, never the real one.
HOSTED_TOOLS = frozenset(
    {
        "web_search", "web_search_preview", "web_search_2025_08_26",
        "web_search_preview_2025_03_11", "file_search", "code_interpreter", "mcp",
        "computer_use_preview", "computer_use", "image_generation", "local_shell", "shell",
        "apply_patch", "tool_search",
    }
)  # fmt: skip
# Top-level parameters that hold no client text: switches, numbers, enums, ids.
_PARAMS = frozenset(
    {
        "model", "stream", "store", "background", "temperature", "top_p", "top_logprobs",
        "max_output_tokens", "max_tool_calls", "parallel_tool_calls", "previous_response_id",
        "conversation", "reasoning", "include", "truncation", "service_tier", "stream_options",
        "prompt_cache_retention",
    }
)  # fmt: skip
# Parameters read above, field by field.
_HANDLED = frozenset(
    {
        "instructions", "input", "tools", "tool_choice", "text", "metadata", "prompt", "user",
        "safety_identifier", "prompt_cache_key",
    }
)  # fmt: skip
_ITEM_KINDS = (
    "message, function_call, function_call_output, custom_tool_call, custom_tool_call_output, "
    "reasoning, item_reference, additional_tools"
)


def _refuse_part(kind: str, param: str) -> ApiError:
    return ApiError(
        400,
        f"{kind} parts are refused by the CodeVeil policy: their "
        "content cannot be inspected for sensitive data",
        code="content_part_refused",
        param=param,
    )


def _parts(
    parts: list[Any], param: str, policy: Policy, out: list[Slot], text: dict[str, str]
) -> None:
    """Slots of a list of content parts; media by policy, unknown kinds refused."""
    for j, part in enumerate(parts):
        p = f"{param}[{j}]"
        if not isinstance(part, dict) or not isinstance(part.get("type"), str):
            raise bad_request("each content part must be an object with a type", p)
        kind = part["type"]
        if kind in text:
            key = text[kind]
            if not isinstance(part.get(key), str):
                raise bad_request(f"a {kind} part needs a string '{key}'", f"{p}.{key}")
            strings(part, out, _SKIP)  # the text, and annotations or logprobs sent back
        elif kind == "input_image":
            url = part.get("image_url")
            image_part(policy, f"{p}.image_url", out, _refuse_part(kind, p), container=part,
                       key="image_url", data_url=True,
                       elsewhere="" if isinstance(url, str) else "by file id")
        elif kind in _PART_KINDS and kind.startswith("input_"):
            if not policy.part_allowed(_PART_KINDS[kind]):
                raise _refuse_part(kind, p)
        else:
            raise bad_request(
                f"content part type '{kind}' is not supported by CodeVeil here "
                f"(text parts: {', '.join(sorted(text))})",
                p,
                code="unsupported_content_part",
            )


def _text_or_parts(
    item: dict[str, Any], key: str, param: str, policy: Policy, out: list[Slot], text: dict
) -> None:
    value = item.get(key)
    if isinstance(value, str):
        out.append(Slot(item, key))
    elif isinstance(value, list):
        _parts(value, f"{param}.{key}", policy, out, text)
    else:
        raise bad_request(f"'{key}' must be a string or a list of content parts", f"{param}.{key}")


def _string(item: dict[str, Any], key: str, param: str, out: list[Slot], required: bool) -> None:
    value = item.get(key)
    if isinstance(value, str):
        out.append(Slot(item, key))
    elif required or value is not None:
        raise bad_request(f"'{key}' must be a string", f"{param}.{key}" if param else key)


def _item_slots(item: Any, p: str, policy: Policy, out: list[Slot]) -> None:
    if not isinstance(item, dict):
        raise bad_request("each input item must be an object", p)
    kind = item.get("type")
    if kind is None and "role" in item:
        kind = "message"
    if kind == "message":
        if item.get("role") not in ROLES:
            raise bad_request(f"role must be one of {sorted(ROLES)}", f"{p}.role")
        _text_or_parts(item, "content", p, policy, out, _MESSAGE_PARTS)
    elif kind == "function_call":
        _string(item, "name", p, out, required=True)
        _string(item, "arguments", p, out, required=True)
    elif kind == "custom_tool_call":
        _string(item, "name", p, out, required=True)
        _string(item, "input", p, out, required=True)
    elif kind in ("function_call_output", "custom_tool_call_output"):
        _text_or_parts(item, "output", p, policy, out, _OUTPUT_PARTS)
    elif kind == "reasoning":
        summary = item.get("summary")
        if not isinstance(summary, list):
            raise bad_request("a reasoning item needs a 'summary' list", f"{p}.summary")
        _parts(summary, f"{p}.summary", policy, out, _SUMMARY_PARTS)
        content = item.get("content")
        if content is not None:
            if not isinstance(content, list):
                raise bad_request("reasoning 'content' must be a list", f"{p}.content")
            _parts(content, f"{p}.content", policy, out, _REASONING_PARTS)
        # encrypted_content is the upstream's own, made from anonymized text: sent back as is.
    elif kind == "item_reference":
        pass  # an item the upstream stored: it holds dummies already
    elif kind == "additional_tools":
        # Codex declares its tools in an input item rather than in `tools`.
        if item.get("role") is not None and item["role"] not in ROLES:
            raise bad_request(f"role must be one of {sorted(ROLES)}", f"{p}.role")
        _tool_slots(item.get("tools"), out, f"{p}.tools")
    else:
        raise bad_request(
            f"input item type '{kind}' is not supported by CodeVeil (supported: {_ITEM_KINDS})",
            f"{p}.type",
            code="unsupported_input_item",
        )


def _tool_slots(tools: Any, out: list[Slot], param: str = "tools") -> None:
    if not isinstance(tools, list):
        raise bad_request(f"'{param}' must be a list", param)
    for t, tool in enumerate(tools):
        p = f"{param}[{t}]"
        if not isinstance(tool, dict) or not isinstance(tool.get("type"), str):
            raise bad_request("each tool must be an object with a type", p)
        kind = tool["type"]
        if kind == "namespace":  # a named group of tools (Codex's sub-agent tools)
            _string(tool, "name", p, out, required=True)
            _string(tool, "description", p, out, required=False)
            _tool_slots(tool.get("tools"), out, f"{p}.tools")
            continue
        if kind in HOSTED_TOOLS:
            # An MCP server's address and credentials: the upstream connects with them.
            strings(tool, out, _SKIP | {"name", "server_url", "connector_id", "authorization",
                                        "headers"})
            continue
        if kind not in _TOOLS:
            raise bad_request(
                f"tool type '{kind}' is not supported by CodeVeil (supported: function, custom, "
                f"namespace and the hosted tools {', '.join(sorted(HOSTED_TOOLS))})",
                f"{p}.type",
                code="unsupported_tool",
            )
        _string(tool, "name", p, out, required=True)
        _string(tool, "description", p, out, required=False)
        if tool["type"] == "function":
            params = tool.get("parameters")
            if params is not None:
                if not isinstance(params, dict):
                    raise bad_request("'parameters' must be a JSON schema", f"{p}.parameters")
                out.append(Slot(tool, "parameters", decode=True))
        else:
            fmt = tool.get("format")
            if fmt is not None:
                if not isinstance(fmt, dict):
                    raise bad_request("'format' must be an object", f"{p}.format")
                _string(fmt, "definition", f"{p}.format", out, required=False)


def _text_format_slots(text: Any, out: list[Slot]) -> None:
    if not isinstance(text, dict):
        raise bad_request("'text' must be an object", "text")
    fmt = text.get("format")
    if fmt is None:
        return
    if not isinstance(fmt, dict):
        raise bad_request("'text.format' must be an object", "text.format")
    if fmt.get("type") == "json_schema":
        _string(fmt, "name", "text.format", out, required=False)
        _string(fmt, "description", "text.format", out, required=False)
        if isinstance(fmt.get("schema"), dict):
            out.append(Slot(fmt, "schema", decode=True))


# input items the model wrote (a reply of its own resent with the history)
_MODEL_ITEMS = frozenset({
    "function_call", "custom_tool_call", "reasoning", "local_shell_call", "web_search_call",
    "file_search_call", "computer_call", "image_generation_call", "code_interpreter_call",
    "mcp_call", "mcp_list_tools", "mcp_approval_request",
})


def _from_model(item: Any) -> bool:
    return isinstance(item, dict) and (
        item.get("type") in _MODEL_ITEMS or item.get("role") == "assistant")


def request_slots(body: Any, policy: Policy) -> list[Slot]:
    """Validate a responses request body and return every text slot in it."""
    if not isinstance(body, dict):
        raise bad_request("the request body must be a JSON object")
    if not isinstance(body.get("model"), str) or not body["model"]:
        raise bad_request("'model' is required and must be a string", "model")
    slots: list[Slot] = []
    _string(body, "instructions", "", slots, required=False)
    inp = body.get("input")
    if isinstance(inp, str):
        slots.append(Slot(body, "input"))
    elif isinstance(inp, list):
        turns = Turns()
        for i, item in enumerate(inp):
            first = len(slots)
            _item_slots(item, f"input[{i}]", policy, slots)
            turns.mark(slots, first, _from_model(item))
    elif inp is not None:
        raise bad_request("'input' must be a string or a list of input items", "input")
    if body.get("tools") is not None:
        _tool_slots(body["tools"], slots)
    choice = body.get("tool_choice")
    if isinstance(choice, dict):
        strings(choice, slots, skip={"type", "mode"})
    elif choice is not None and not isinstance(choice, str):
        raise bad_request("'tool_choice' must be a string or an object", "tool_choice")
    if body.get("text") is not None:
        _text_format_slots(body["text"], slots)
    for key in ("user", "safety_identifier", "prompt_cache_key"):
        _string(body, key, "", slots, required=False)
    metadata = body.get("metadata")
    if metadata is not None:
        if not isinstance(metadata, dict):
            raise bad_request("'metadata' must be an object", "metadata")
        slots.extend(Slot(metadata, k) for k, v in metadata.items() if isinstance(v, str))
    prompt = body.get("prompt")
    if isinstance(prompt, dict) and isinstance(prompt.get("variables"), dict):
        for name, value in prompt["variables"].items():
            if isinstance(value, str):
                slots.append(Slot(prompt["variables"], name))
            else:
                _parts([value], f"prompt.variables.{name}", policy, slots, _OUTPUT_PARTS)
    # Parameters CodeVeil does not know yet may hold text: every string in them is anonymized.
    for key, value in body.items():
        if key in _PARAMS or key in _HANDLED:
            continue
        if isinstance(value, str):
            slots.append(Slot(body, key))
        else:
            strings(value, slots, _SKIP)
    check_responses(body, policy)  # built-in tools the policy refuses (hosted_tools)
    return slots


# -- streams -------------------------------------------------------------------------------

# Deltas that are not text (base64 audio, images): passed on as they are.
_BINARY_DELTAS = frozenset({"response.audio.delta"})
# Events after which no more text comes for the parts they name (all parts when they name none).
_TERMINAL = frozenset(
    {"response.completed", "response.failed", "response.incomplete", "response.cancelled", "error"}
)
_CLOSING = {
    "response.content_part.done": ("output_index", "content_index"),
    "response.reasoning_summary_part.done": ("output_index", "summary_index"),
    "response.output_item.done": ("output_index",),
}
_INDICES = ("output_index", "content_index", "summary_index")
# Fields of a delta event that are never text: its kind, the item it belongs to, padding.
_PLAIN = frozenset({"type", "item_id", "obfuscation"})

StreamKey = tuple[Any, ...]


class _Open:
    """One text stream of a response (a part's text, a call's arguments) being restored."""

    __slots__ = ("name", "replacer", "template")

    def __init__(self, replacer: StreamReplacer, name: str | None) -> None:
        self.replacer = replacer
        self.name = name
        self.template: dict[str, Any] = {}


class ResponsesStreamRestorer:
    """Restores a stream of Responses API events, holding back only possible dummy prefixes."""

    def __init__(self, mapping: Mapping) -> None:
        self.mapping = mapping
        self._open: dict[StreamKey, _Open] = {}
        self._shift = 0  # events inserted so far: later sequence numbers move up by this much
        self._last_seq: int | None = None

    def event(self, name: str | None, obj: Any) -> list[Event]:
        """The events to send for one upstream event (flushed text may come before it)."""
        if not isinstance(obj, dict):
            return [(name, restore_answer(obj, self.mapping))]
        kind = obj.get("type") if isinstance(obj.get("type"), str) else name or ""
        seq = obj.get("sequence_number")
        if kind in _BINARY_DELTAS:
            self._number(obj, seq)
            return [(name, obj)]
        if kind.endswith(".delta") and isinstance(obj.get("delta"), str):
            return [(name, self._delta(kind, name, obj))]
        out: list[Event] = []
        for key in self._closed_by(kind, obj):
            flushed = self._flush(key, seq)
            if flushed is not None:
                out.append(flushed)
        restored = restore_answer(obj, self.mapping)
        self._number(restored, seq)
        out.append((name, restored))
        return out

    def close(self) -> list[Event]:
        """Whatever is still held when the upstream stream ends without closing its parts."""
        out: list[Event] = []
        for key in list(self._open):
            flushed = self._flush(key, None)
            if flushed is not None:
                out.append(flushed)
        return out

    # -- inside ----------------------------------------------------------------------------

    def _delta(self, kind: str, name: str | None, obj: dict[str, Any]) -> dict[str, Any]:
        key = (kind[: -len(".delta")], *(obj.get(i) for i in _INDICES))
        stream = self._open.get(key)
        if stream is None:
            stream = self._open[key] = _Open(self.mapping.restorer(), name)
        ev = {
            k: stream.replacer.feed(v)
            if k == "delta"
            else (v if k in _PLAIN else restore_answer({k: v}, self.mapping)[k])
            for k, v in obj.items()
        }
        stream.template = ev
        self._number(ev, obj.get("sequence_number"))
        return ev

    def _closed_by(self, kind: str, obj: dict[str, Any]) -> list[StreamKey]:
        if not self._open:
            return []
        if kind in _TERMINAL:
            return list(self._open)
        if kind.endswith(".done"):
            family = kind[: -len(".done")]
            fields = _CLOSING.get(kind, ())
            closed = []
            for key in self._open:
                if key[0] == family or fields:
                    idx = dict(zip(_INDICES, key[1:], strict=True))
                    names = fields or tuple(i for i in _INDICES if i in obj)
                    if all(idx[i] == obj.get(i) for i in names):
                        closed.append(key)
            return closed
        return []

    def _flush(self, key: StreamKey, before_seq: Any) -> Event | None:
        stream = self._open.pop(key)
        rest = stream.replacer.flush()
        if not rest:
            return None
        ev = copy.deepcopy(stream.template)
        ev["delta"] = rest
        if "logprobs" in ev:
            ev["logprobs"] = []
        if "sequence_number" in ev:
            if isinstance(before_seq, int):
                ev["sequence_number"] = before_seq + self._shift
                self._shift += 1
                self._last_seq = ev["sequence_number"]
            elif self._last_seq is not None:
                self._shift += 1
                self._last_seq = ev["sequence_number"] = self._last_seq + 1
            else:
                del ev["sequence_number"]
        return (stream.name, ev)

    def _number(self, ev: dict[str, Any], seq: Any) -> None:
        if isinstance(seq, int) and not isinstance(seq, bool):
            ev["sequence_number"] = seq + self._shift
            self._last_seq = ev["sequence_number"]


class Responses:
    """``POST /v1/responses``."""

    always_streams = False  # whether the route streams whatever the body says
    error_event: str | None = "error"  # the SSE event name of a mid-stream error
    path = "/v1/responses"
    upstream_path = "/responses"

    def slots(self, body: Any, policy: Policy) -> list[Slot]:
        return request_slots(body, policy)

    def restore(self, obj: Any, mapping: Mapping) -> Any:
        return restore_answer(obj, mapping)

    def stream_restorer(self, mapping: Mapping) -> ResponsesStreamRestorer:
        return ResponsesStreamRestorer(mapping)

    def error(self, err: ApiError) -> dict[str, Any]:
        return err.body()
