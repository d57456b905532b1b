"""The Chat Completions wire format: where the text is in a request, and how answers come back.

``request_slots`` finds every string the client wrote (all roles, content parts, tool calls and
their arguments, tool schemas, the ``user`` field) and refuses what it cannot read. ``restore_*``
put the real values back into a whole answer or a stream of chunks; a stream is restored per
choice and per field, so a dummy split across chunks (or JSON-escaped inside tool-call
arguments) comes back whole.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from proxy.policy import Policy
from proxy.veil.engine import Mapping
from proxy.veil.restore import StreamReplacer
from proxy.wire.base import STRUCTURAL, WHOLE, Event, Slot, Turns, restore_answer
from proxy.wire.base import strings as _base_strings
from proxy.wire.errors import ApiError, bad_request
from proxy.wire.media import image_part, refused

ROLES = {"system", "developer", "user", "assistant", "tool", "function"}
_STRUCTURAL = STRUCTURAL
# Keys of a legacy completion choice that are not streamed text.
_CHOICE_META = STRUCTURAL | {"finish_reason", "logprobs"}
# Non-text content parts and the policy switch that lets them through.
_PART_KINDS = {
    "image_url": "image",
    "input_image": "image",
    "input_audio": "audio",
    "file": "file",
    "input_file": "file",
}


def _content_slots(content: Any, param: str, policy: Policy, out: list[Slot]) -> None:
    if content is None or isinstance(content, str):
        return
    if not isinstance(content, list):
        raise bad_request("content must be a string, null or a list of content parts", param)
    for j, part in enumerate(content):
        p = f"{param}[{j}]"
        if not isinstance(part, dict) or not isinstance(part.get("type"), str):
            raise bad_request("each content part must be an object with a type", p)
        kind = part["type"]
        if kind == "text":
            if not isinstance(part.get("text"), str):
                raise bad_request("a text part needs a string 'text'", f"{p}.text")
            _base_strings(part, out)
        elif kind == "image_url":
            image = part.get("image_url")
            if not isinstance(image, dict) or not isinstance(image.get("url"), str):
                raise bad_request("an image_url part needs an object with a 'url'",
                                  f"{p}.image_url")
            image_part(policy, f"{p}.image_url.url", out, refused(kind, p), container=image,
                       key="url", data_url=True)
        elif kind in _PART_KINDS:
            if not policy.part_allowed(_PART_KINDS[kind]):
                raise refused(kind, p)
        else:
            raise bad_request(
                f"content part type '{kind}' is not supported by CodeVeil",
                p,
                code="unsupported_content_part",
            )


def request_slots(body: Any, policy: Policy) -> list[Slot]:
    """Validate a chat completions body and return every text slot in it."""
    if not isinstance(body, dict):
        raise bad_request("the request body must be a JSON object")
    if not isinstance(body.get("model"), str) or not body["model"]:
        raise bad_request("'model' is required and must be a string", "model")
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise bad_request("'messages' must be a non-empty list", "messages")
    slots: list[Slot] = []
    turns = Turns()
    for i, m in enumerate(messages):
        p = f"messages[{i}]"
        if not isinstance(m, dict):
            raise bad_request("each message must be an object", p)
        if m.get("role") not in ROLES:
            raise bad_request(f"role must be one of {sorted(ROLES)}", f"{p}.role")
        first = len(slots)
        _content_slots(m.get("content"), f"{p}.content", policy, slots)
        calls = m.get("tool_calls")
        if calls is not None:
            if not isinstance(calls, list):
                raise bad_request("tool_calls must be a list", f"{p}.tool_calls")
            for k, call in enumerate(calls):
                fn = call.get("function") if isinstance(call, dict) else None
                if not isinstance(fn, dict) or not isinstance(fn.get("arguments", ""), str):
                    raise bad_request(
                        "a tool call needs a function with string arguments", f"{p}.tool_calls[{k}]"
                    )
        # Everything else the client wrote in a message is text: names, arguments, refusals.
        for k, v in m.items():
            if k in _STRUCTURAL or (k == "content" and not isinstance(v, str)):
                continue
            if isinstance(v, str):
                slots.append(Slot(m, k))
            else:
                _base_strings(v, slots)
        turns.mark(slots, first, m["role"] == "assistant")
    for key in ("tools", "functions"):
        if not isinstance(body.get(key) or [], list):
            raise bad_request(f"'{key}' must be a list", key)
    for t, tool in enumerate(body.get("tools") or []):
        fn = tool.get("function") if isinstance(tool, dict) else None
        if not isinstance(fn, dict):
            raise bad_request("each tool must have a function", f"tools[{t}]")
        for key in ("name", "description"):
            if isinstance(fn.get(key), str):
                slots.append(Slot(fn, key))
        if fn.get("parameters") is not None:
            slots.append(Slot(fn, "parameters", decode=True))
    for f, fn in enumerate(body.get("functions") or []):
        if not isinstance(fn, dict):
            raise bad_request("each function must be an object", f"functions[{f}]")
        _base_strings(fn, slots, skip=set())
    choice = body.get("tool_choice")
    if isinstance(choice, dict):
        _base_strings(choice, slots, skip={"type"})
    if isinstance(body.get("user"), str):
        slots.append(Slot(body, "user"))
    if isinstance(body.get("prediction"), dict):
        _base_strings(body["prediction"], slots)
    fmt = body.get("response_format")
    if isinstance(fmt, dict) and isinstance(fmt.get("json_schema"), dict):
        slots.append(Slot(fmt, "json_schema", decode=True))
    for key, value in body.items():
        if key in FORWARDED or key in _READ_ABOVE:
            continue
        # `stop` (the model writes dummies, so it must stop at the dummy), `metadata`, web
        # search options, and any field CodeVeil does not know yet: every string is text.
        if isinstance(value, str):
            slots.append(Slot(body, key))
        else:
            _base_strings(value, slots)
    return slots


# What happens to each top-level field of a request: FORWARDED fields carry no text the client
# wrote (switches, numbers, enums); the fields read above are anonymized field by field; any
# other field (``stop``, ``metadata``, ``web_search_options``, fields added later) has every
# string in it anonymized. What cannot be read is refused above (fail closed).
FORWARDED = frozenset(
    {"model", "frequency_penalty", "logit_bias", "logprobs", "top_logprobs", "max_tokens",
     "max_completion_tokens", "n", "presence_penalty", "seed", "service_tier", "stream",
     "stream_options", "temperature", "top_p", "parallel_tool_calls", "reasoning_effort",
     "modalities", "audio", "store", "verbosity", "prompt_cache_retention"}
)  # fmt: skip
_READ_ABOVE = frozenset(
    {"messages", "tools", "functions", "tool_choice", "user", "prediction", "response_format"}
)


# -- answers -------------------------------------------------------------------------------


def restore_response(obj: Any, mapping: Mapping) -> Any:
    """A whole answer (or error body): the text the model wrote restored, envelope kept."""
    return restore_answer(obj, mapping)


PathKey = tuple[Any, ...]


class ChatStreamRestorer:
    """Restores ``chat.completion.chunk`` events, holding back only possible dummy prefixes.

    Legacy completions stream their text in the choice itself rather than in a ``delta``:
    ``delta_key=None`` restores those.
    """

    def __init__(self, mapping: Mapping, delta_key: str | None = "delta") -> None:
        self.mapping = mapping
        self.delta_key = delta_key
        self._streams: dict[tuple[int, PathKey], StreamReplacer] = {}
        self._last: dict[str, Any] | None = None

    def _feed(self, index: int, path: PathKey, text: str) -> str:
        if path and path[-1] in WHOLE:  # a tool name is matched exactly: never held in part
            return self.mapping.restore(text)
        key = (index, path)
        stream = self._streams.get(key)
        if stream is None:
            stream = self._streams[key] = self.mapping.restorer()
        return stream.feed(text)

    def event(self, name: str | None, obj: Any) -> list[Event]:
        """The events to send for one upstream event (a flush may come before it)."""
        if not isinstance(obj, dict) or not isinstance(obj.get("choices"), list):
            return [(name, restore_answer(obj, self.mapping))]
        self._last = obj
        before: list[Any] = []
        for choice in obj["choices"]:
            if not isinstance(choice, dict):
                continue
            index = choice.get("index", 0)
            delta = choice.get(self.delta_key) if self.delta_key else choice
            if isinstance(delta, dict):
                skip = _CHOICE_META if self.delta_key is None else _STRUCTURAL
                _walk_delta(delta, (), lambda path, s, i=index: self._feed(i, path, s), skip)
            if choice.get("finish_reason") is not None:
                flushed = self._flush(index)
                if flushed:
                    before.append((name, self._envelope(obj, index, flushed)))
        return [*before, (name, obj)]

    def close(self) -> list[Event]:
        """Whatever is still held when the upstream stream ends without a finish_reason."""
        out: list[Event] = []
        for index in sorted({i for i, _ in self._streams}):
            flushed = self._flush(index)
            if flushed and self._last is not None:
                out.append((None, self._envelope(self._last, index, flushed)))
        return out

    def _flush(self, index: int) -> dict[str, Any]:
        delta: dict[str, Any] = {}
        for (i, path), stream in list(self._streams.items()):
            if i != index:
                continue
            rest = stream.flush()
            del self._streams[(i, path)]
            if rest:
                _put(delta, path, rest)
        return delta

    def _envelope(self, like: dict[str, Any], index: int, delta: dict[str, Any]) -> dict[str, Any]:
        """A synthetic chunk carrying text that was held back, shaped like ``like``."""
        ev = {k: copy.deepcopy(v) for k, v in like.items() if k not in ("choices", "usage")}
        if self.delta_key:
            choice = {"index": index, self.delta_key: delta}
        else:
            choice = {"index": index, **delta}
        ev["choices"] = [{**choice, "finish_reason": None}]
        return ev


def _walk_delta(
    obj: Any, path: PathKey, feed: Callable[[PathKey, str], str], skip: frozenset[str] = STRUCTURAL
) -> None:
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k in skip:
                continue
            if isinstance(v, str):
                obj[k] = feed((*path, k), v)
            else:
                _walk_delta(v, (*path, k), feed)
    elif isinstance(obj, list):
        for pos, v in enumerate(obj):
            # Tool-call deltas are identified by their own index, not their list position.
            ident = v.get("index", pos) if isinstance(v, dict) else pos
            if isinstance(v, str):
                obj[pos] = feed((*path, ("#", ident)), v)
            else:
                _walk_delta(v, (*path, ("#", ident)), feed)


def _put(delta: dict[str, Any], path: PathKey, text: str) -> None:
    """Insert ``text`` at ``path`` into a delta being built (lists hold indexed items)."""
    node: Any = delta
    for n, step in enumerate(path):
        last = n == len(path) - 1
        nxt = path[n + 1] if not last else None
        if isinstance(step, tuple):  # a list item, identified by index
            ident = step[1]
            item = next((x for x in node if isinstance(x, dict) and x.get("index") == ident), None)
            if item is None:
                item = {"index": ident}
                node.append(item)
            node = item
            continue
        if last:
            node[step] = node.get(step, "") + text
        else:
            node = node.setdefault(step, [] if isinstance(nxt, tuple) else {})


class ChatCompletions:
    """``POST /v1/chat/completions``."""

    always_streams = False  # whether the route streams whatever the body says
    error_event: str | None = None  # the SSE event name of a mid-stream error
    path = "/v1/chat/completions"
    upstream_path = "/chat/completions"

    def slots(self, body: Any, policy: Policy) -> list[Slot]:
        return request_slots(body, policy)

    def restore(self, obj: Any, mapping: Mapping) -> Any:
        return restore_answer(obj, mapping)

    def stream_restorer(self, mapping: Mapping) -> ChatStreamRestorer:
        return ChatStreamRestorer(mapping)

    def error(self, err: ApiError) -> dict[str, Any]:
        return err.body()
