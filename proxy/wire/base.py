"""What every wire format provides to the gateway, and the text slots they share.

A wire format knows where the client's text is in a request body (``slots``), how to put the
real values back into a whole answer (``restore``) and into a stream of events
(``stream_restorer``), and how its errors look. The gateway's handler is the same for all.
"""

from __future__ import annotations

import json
import re
from typing import Any, Protocol

from proxy.policy import Policy
from proxy.veil.engine import Mapping
from proxy.wire.errors import ApiError

# Keys that are structure, not text the client wrote.
STRUCTURAL = frozenset({"role", "tool_call_id", "id", "type", "index"})

# Fields of an answer that are the protocol's, never text the model wrote: their values are
# passed on as they are, so a dummy that happens to equal one (``message``, ``assistant``)
# cannot rewrite the envelope the client parses.
ENVELOPE = STRUCTURAL | frozenset(
    {
        "object", "model", "created", "created_at", "status", "finish_reason", "stop_reason",
        "call_id", "item_id", "system_fingerprint", "service_tier", "code", "param",
        "sequence_number", "output_index", "content_index", "summary_index", "obfuscation",
        "finishReason", "modelVersion", "responseId",
    }
)
# Values the model writes as JSON documents of its own (tool-call input, structured output)
# and schemas the client declared: there keys are text too (a parameter name may be a dummy).
FREE_FORM = frozenset({"input", "arguments", "args", "parameters", "input_schema", "schema"})
# Names a client matches exactly: restored whole in the delta that carries them, never held
# back in part, so a stream never splits ``bash`` into ``bas`` + ``h``.
WHOLE = frozenset({"name"})


def restore_answer(obj: Any, mapping: Mapping) -> Any:
    """An answer (or error body, or stream event) with the real values put back.

    Only the text the model wrote is restored: string values outside the envelope. Keys stay as
    they are (``choices[0].message`` must stay ``message`` whatever the dummies are), except
    inside model-written JSON documents and declared schemas, where keys are text as well.
    """
    if isinstance(obj, str):
        return mapping.restore(obj)
    if isinstance(obj, list):
        return [restore_answer(v, mapping) for v in obj]
    if isinstance(obj, dict):
        out: dict[Any, Any] = {}
        for k, v in obj.items():
            if k in ENVELOPE:
                out[k] = v
            elif k in FREE_FORM and isinstance(v, dict | list):
                out[k] = mapping.restore_json(v)
            else:
                out[k] = restore_answer(v, mapping)
        return out
    return obj


class Slot:
    """One string inside the request body, read and written in place."""

    __slots__ = ("container", "decode", "key", "turn")

    def __init__(self, container: Any, key: Any, decode: bool = False) -> None:
        self.container = container
        self.key = key
        self.decode = decode  # the value is a JSON document serialised into this slot
        # the client's request that first carried it: 0 for the first (and for what every
        # request carries: system prompt, tools), n after the model's n-th reply
        self.turn = 0

    def get(self) -> str:
        value = self.container[self.key]
        return json.dumps(value, ensure_ascii=False) if self.decode else value

    def set(self, text: str) -> None:
        self.container[self.key] = json.loads(text) if self.decode else text


class Turns:
    """Numbers a conversation's items by the client's request that first carried them: each
    run of the model's items (a reply: its text, tool calls, reasoning) begins a request."""

    def __init__(self) -> None:
        self.turn = 0
        self._model = False

    def mark(self, slots: list[Slot], start: int, from_model: bool) -> None:
        """The slots from ``start`` on belong to one item, the model's own or not."""
        if from_model and not self._model:
            self.turn += 1
        self._model = from_model
        for s in slots[start:]:
            s.turn = self.turn


def strings(obj: Any, out: list[Slot], skip: frozenset[str] | set[str] = STRUCTURAL) -> None:
    """A slot for every string value below ``obj`` (values under keys in ``skip`` excepted)."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k in skip:
                continue
            if isinstance(v, str):
                out.append(Slot(obj, k))
            else:
                strings(v, out, skip)
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            if isinstance(v, str):
                out.append(Slot(obj, i))
            else:
                strings(v, out, skip)


# Where requests declare tools, in every API: chat's `tools` (each a `function`) and legacy
# `functions`, Responses' `tools` and Codex's `additional_tools` items (with `namespace` groups),
# Anthropic's `tools`, Gemini's `tools[].functionDeclarations`.
_TOOL_LISTS = frozenset(
    {"tools", "functions", "functionDeclarations", "function_declarations"}
)
_PRODUCT = re.compile(r"([A-Za-z][\w.-]*)/[\w.-]+")


def declared_names(body: Any, model: str | None = None, user_agent: str | None = None) -> set[str]:
    """The names a request declares itself: tools, namespaces, parameters, its model, and the
    products in its User-Agent (``claude-cli/2.1``). They are the client's vocabulary."""
    names: set[str] = set()

    def schema(obj: Any) -> None:
        if isinstance(obj, dict):
            for key, value in obj.items():
                if key == "properties" and isinstance(value, dict):
                    names.update(k for k in value if isinstance(k, str))
                schema(value)
        elif isinstance(obj, list):
            for value in obj:
                schema(value)

    def walk(obj: Any, in_tools: bool = False) -> None:
        # only containers are visited: an agent's body is mostly strings
        if isinstance(obj, dict):
            if in_tools:
                tool = obj.get("function") if isinstance(obj.get("function"), dict) else obj
                if isinstance(tool.get("name"), str):
                    names.add(tool["name"])
                schema(tool)
            for key, value in obj.items():
                if isinstance(value, (dict, list)):
                    walk(value, key in _TOOL_LISTS and isinstance(value, list))
        else:
            for value in obj:
                if isinstance(value, (dict, list)):
                    walk(value, in_tools)

    if isinstance(body, (dict, list)):
        walk(body)
    if model:
        names.add(model)
    names.update(_PRODUCT.findall(user_agent or ""))
    return names


# A stream event: the SSE event name (None when the format sends none) and its JSON data.
Event = tuple[str | None, Any]


class StreamRestorer(Protocol):
    def event(self, name: str | None, obj: Any) -> list[Event]: ...

    def close(self) -> list[Event]: ...


class WireFormat(Protocol):
    """One API surface: chat completions, responses, completions, embeddings, messages."""

    path: str  # the gateway's route; a ``{model}`` in it names the model (Gemini)
    upstream_path: str  # appended to the upstream's base URL (``{model}`` filled in, quoted)
    always_streams: bool  # the route streams whatever the body says (Gemini's stream route)
    error_event: str | None  # the SSE event name of an error once a stream has started

    def slots(self, body: Any, policy: Policy) -> list[Slot]: ...

    def restore(self, obj: Any, mapping: Mapping) -> Any: ...

    def stream_restorer(self, mapping: Mapping) -> StreamRestorer: ...

    def error(self, err: ApiError) -> dict[str, Any]: ...
