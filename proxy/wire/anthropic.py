"""The Anthropic Messages wire format (``POST /v1/messages``).

``request_slots`` finds every string the client wrote: ``system`` (a string or text blocks), each
message's content (a string or blocks: ``text``, ``tool_use`` name and ``input``, ``tool_result``
content, ``thinking``, text documents, search results), tool definitions, the forced tool's name,
``metadata.user_id`` and ``stop_sequences``. Images and binary documents pass only where the
policy allows them; any other block type is refused (fail closed).

A whole answer is restored string by string (``tool_use.input`` keys and values included). A
stream is restored per content block: ``text_delta`` and ``thinking_delta`` text through a
``StreamReplacer`` each, ``input_json_delta`` through one that works on JSON text (a dummy may
arrive JSON-escaped and cut anywhere), and what is still held back when a block ends is sent in
one more delta just before its ``content_block_stop``.
"""

from __future__ import annotations

import json
from typing import Any

from proxy.policy import Policy
from proxy.veil.engine import Mapping
from proxy.veil.restore import Replacer, StreamReplacer
from proxy.wire.base import ENVELOPE, STRUCTURAL, Event, Slot, Turns, strings
from proxy.wire.errors import ApiError
from proxy.wire.hosted import check_anthropic
from proxy.wire.media import image_part

# Claude Code sends "system" messages inside `messages` as well as the top-level `system`.
ROLES = frozenset({"user", "assistant", "system"})
# Anthropic's error type for each HTTP status (anything else: by class, see ``error_type``).
ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    402: "billing_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    500: "api_error",
    502: "api_error",
    503: "overloaded_error",
    504: "timeout_error",
    529: "overloaded_error",
}
# Streamed deltas that carry text, and the field that holds it.
_STREAMED = {"text_delta": "text", "thinking_delta": "thinking", "input_json_delta": "partial_json"}
# Answer fields that are structure or opaque tokens, never text with a dummy in it.
_OPAQUE = frozenset({"id", "type", "role", "model", "signature", "tool_use_id", "stop_reason"})


def error_type(status: int) -> str:
    return ERROR_TYPES.get(status) or ("api_error" if status >= 500 else "invalid_request_error")


def _bad(message: str, param: str | None = None, code: str = "invalid_request") -> ApiError:
    return ApiError(400, message, "invalid_request_error", code, param)


# -- requests ------------------------------------------------------------------------------


def _str_slot(obj: dict[str, Any], key: str, param: str, out: list[Slot], required: bool) -> None:
    value = obj.get(key)
    if isinstance(value, str):
        out.append(Slot(obj, key))
    elif value is not None or required:
        raise _bad(f"'{key}' must be a string", f"{param}.{key}")


def _refused(kind: str, param: str) -> ApiError:
    return ApiError(
        400,
        f"{kind} blocks are refused by the CodeVeil policy: their content cannot be inspected "
        "for sensitive data",
        "invalid_request_error",
        "content_part_refused",
        param,
    )


def _document(block: dict[str, Any], p: str, policy: Policy, out: list[Slot]) -> None:
    source = block.get("source")
    if not isinstance(source, dict):
        raise _bad("a document block needs a source object", f"{p}.source")
    if source.get("type") == "text":  # plain text: read like any other text
        _str_slot(source, "data", f"{p}.source", out, required=True)
    elif source.get("type") == "content":  # a list of text (and image) blocks
        content = source.get("content")
        if isinstance(content, str):
            out.append(Slot(source, "content"))
        else:
            _blocks(content, f"{p}.source.content", policy, out, _DOCUMENT_CONTENT)
    else:  # base64, url, file: a PDF or other binary CodeVeil cannot read
        if not policy.part_allowed("file"):
            raise _refused("document", p)
    for key in ("title", "context"):
        _str_slot(block, key, p, out, required=False)


def _block(block: Any, p: str, policy: Policy, out: list[Slot], allowed: frozenset[str]) -> None:
    if not isinstance(block, dict) or not isinstance(block.get("type"), str):
        raise _bad("each content block must be an object with a type", p)
    kind = block["type"]
    if kind not in allowed:
        raise _bad(
            f"content block type '{kind}' is not supported by CodeVeil here",
            f"{p}.type",
            code="unsupported_content_part",
        )
    if kind == "text":
        _str_slot(block, "text", p, out, required=True)
        if block.get("citations") is not None:
            # Quoted passages and document titles: text, whatever the citation's kind.
            strings(block["citations"], out, STRUCTURAL | {"file_id", "encrypted_index"})
    elif kind == "tool_use":
        _str_slot(block, "name", p, out, required=True)
        if not isinstance(block.get("input"), dict):
            raise _bad("a tool_use block needs an 'input' object", f"{p}.input")
        out.append(Slot(block, "input", decode=True))
    elif kind == "tool_result":
        content = block.get("content")
        if isinstance(content, str):
            out.append(Slot(block, "content"))
        elif content is not None:
            _blocks(content, f"{p}.content", policy, out, _TOOL_RESULT_CONTENT)
    elif kind == "thinking":
        # The signature covers the text the upstream wrote, with its dummies: as dummies are
        # stable, the restored thinking anonymized again is normally that very text.
        _str_slot(block, "thinking", p, out, required=True)
    elif kind == "redacted_thinking":
        pass  # encrypted by the upstream itself: no client text in it
    elif kind == "image":
        source = block.get("source")
        if not isinstance(source, dict):
            raise _bad("an image block needs a source object", f"{p}.source")
        how = {"url": "by URL", "file": "by file id"}.get(source.get("type"), "")
        image_part(policy, f"{p}.source", out, _refused("image", p), container=source,
                   key="data", media_type=source.get("media_type"), elsewhere=how)
    elif kind == "document":
        _document(block, p, policy, out)
    elif kind == "search_result":
        for key in ("source", "title"):
            _str_slot(block, key, p, out, required=True)
        _blocks(block.get("content"), f"{p}.content", policy, out, frozenset({"text"}))
    elif kind in _SERVER_TOOL_USE:
        # A call the upstream made to its own tool (web search, code execution, an MCP server):
        # the tool's name is the upstream's; what it was asked is text.
        if block.get("name") is not None and kind == "mcp_tool_use":
            _str_slot(block, "name", p, out, required=True)
        if not isinstance(block.get("input"), dict):
            raise _bad(f"a {kind} block needs an 'input' object", f"{p}.input")
        out.append(Slot(block, "input", decode=True))
    elif kind in _SERVER_TOOL_RESULTS:
        # What the upstream's tool found (titles, URLs, page text, program output): text.
        # Encrypted content is the upstream's own and goes back as it came.
        strings(block, out, _RESULT_SKIP)


_TOOL_RESULT_CONTENT = frozenset({"text", "image", "document", "search_result"})
_SERVER_TOOL_USE = frozenset({"server_tool_use", "mcp_tool_use"})
_SERVER_TOOL_RESULTS = frozenset(
    {
        "web_search_tool_result", "web_fetch_tool_result", "code_execution_tool_result",
        "bash_code_execution_tool_result", "text_editor_code_execution_tool_result",
        "tool_search_tool_result", "mcp_tool_result",
    }
)  # fmt: skip
_RESULT_SKIP = STRUCTURAL | {
    "tool_use_id", "encrypted_content", "encrypted_index", "file_id", "page_age",
    "media_type", "retrieved_at", "cache_control",
}  # fmt: skip
_SYSTEM_CONTENT = frozenset({"text"})
_DOCUMENT_CONTENT = frozenset({"text", "image"})
_MESSAGE_CONTENT = frozenset(
    {
        "text",
        "tool_use",
        "tool_result",
        "thinking",
        "redacted_thinking",
        "image",
        "document",
        "search_result",
        *_SERVER_TOOL_USE,
        *_SERVER_TOOL_RESULTS,
    }
)


def _blocks(content: Any, p: str, policy: Policy, out: list[Slot], allowed: frozenset[str]) -> None:
    if not isinstance(content, list):
        raise _bad("content must be a string or a list of content blocks", p)
    for j, block in enumerate(content):
        _block(block, f"{p}.{j}", policy, out, allowed)


def _tools(tools: Any, out: list[Slot]) -> None:
    if not isinstance(tools, list):
        raise _bad("'tools' must be a list", "tools")
    for t, tool in enumerate(tools):
        p = f"tools.{t}"
        if not isinstance(tool, dict):
            raise _bad("each tool must be an object", p)
        if tool.get("type") in (None, "custom") or "input_schema" in tool:
            _str_slot(tool, "name", p, out, required=True)
            _str_slot(tool, "description", p, out, required=False)
            if not isinstance(tool.get("input_schema"), dict):
                raise _bad("a tool needs an 'input_schema' object", f"{p}.input_schema")
            out.append(Slot(tool, "input_schema", decode=True))
        else:
            # A server tool (web search, bash, text editor...): its name is Anthropic's, fixed;
            # its settings (domains, a user's location) are text.
            strings(tool, out, STRUCTURAL | {"name", "cache_control"})


# What happens to each top-level field of a request. Fields read field by field are in
# ANONYMIZED; FORWARDED fields carry no text the client wrote (switches, numbers, enums); any
# other field may hold text and has every string in it anonymized.
ANONYMIZED = frozenset(
    {"system", "messages", "tools", "tool_choice", "metadata", "stop_sequences", "mcp_servers",
     "output_config", "output_format"}
)  # fmt: skip
FORWARDED = frozenset(
    {"model", "max_tokens", "stream", "temperature", "top_p", "top_k", "thinking",
     "context_management", "service_tier", "container", "inference_geo"}
)  # fmt: skip
# Where an MCP server is, what it is called and the token to reach it: the upstream connects to
# it with them (only where the policy allows hosted MCP, see hosted.py).
_MCP_SKIP = STRUCTURAL | {"url", "name", "authorization_token"}


def _output_format(fmt: Any, param: str, out: list[Slot]) -> None:
    """Structured output: its JSON schema is text (property names may be private)."""
    if not isinstance(fmt, dict):
        raise _bad(f"'{param}' must be an object", param)
    if isinstance(fmt.get("schema"), dict):
        out.append(Slot(fmt, "schema", decode=True))


def request_slots(body: Any, policy: Policy) -> list[Slot]:
    """Validate a messages request and return every text slot in it."""
    if not isinstance(body, dict):
        raise _bad("the request body must be a JSON object")
    if not isinstance(body.get("model"), str) or not body["model"]:
        raise _bad("'model' is required and must be a string", "model")
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise _bad("'messages' must be a non-empty list", "messages")
    slots: list[Slot] = []
    system = body.get("system")
    if isinstance(system, str):
        slots.append(Slot(body, "system"))
    elif system is not None:
        _blocks(system, "system", policy, slots, frozenset({"text"}))
    turns = Turns()
    for i, m in enumerate(messages):
        p = f"messages.{i}"
        if not isinstance(m, dict):
            raise _bad("each message must be an object", p)
        if m.get("role") not in ROLES:
            raise _bad(f"role must be one of {sorted(ROLES)}", f"{p}.role")
        allowed = _SYSTEM_CONTENT if m["role"] == "system" else _MESSAGE_CONTENT
        first = len(slots)
        if isinstance(m.get("content"), str):
            slots.append(Slot(m, "content"))
        else:
            _blocks(m.get("content"), f"{p}.content", policy, slots, allowed)
        turns.mark(slots, first, m["role"] == "assistant")
    if body.get("tools") is not None:
        _tools(body["tools"], slots)
    choice = body.get("tool_choice")
    if choice is not None:
        if not isinstance(choice, dict):
            raise _bad("'tool_choice' must be an object", "tool_choice")
        _str_slot(choice, "name", "tool_choice", slots, required=False)
    metadata = body.get("metadata")
    if metadata is not None:
        if not isinstance(metadata, dict):
            raise _bad("'metadata' must be an object", "metadata")
        _str_slot(metadata, "user_id", "metadata", slots, required=False)
    stops = body.get("stop_sequences")
    if stops is not None:
        if not isinstance(stops, list) or not all(isinstance(s, str) for s in stops):
            raise _bad("'stop_sequences' must be a list of strings", "stop_sequences")
        # The model writes dummies, so it must be told to stop at the dummy.
        slots.extend(Slot(stops, k) for k in range(len(stops)))
    if body.get("mcp_servers") is not None:
        strings(body["mcp_servers"], slots, _MCP_SKIP)
    if isinstance(body.get("output_config"), dict) and "format" in body["output_config"]:
        _output_format(body["output_config"]["format"], "output_config.format", slots)
    if body.get("output_format") is not None:
        _output_format(body["output_format"], "output_format", slots)
    for key, value in body.items():
        if key in ANONYMIZED or key in FORWARDED:
            continue
        if isinstance(value, str):
            slots.append(Slot(body, key))
        else:
            strings(value, slots)
    check_anthropic(body, policy)  # built-in tools the policy refuses (hosted_tools)
    return slots


# -- answers -------------------------------------------------------------------------------


class AnswerRestorer:
    """Restores whole answers (and errors, and stream events) of one request."""

    def __init__(self, mapping: Mapping) -> None:
        self.mapping = mapping
        self._json_text: Replacer | None = None

    def json_text(self) -> Replacer:
        if self._json_text is None:
            self._json_text = json_text_replacer(self.mapping)
        return self._json_text

    def input(self, value: Any) -> Any:
        """A tool's input, restored as the JSON text the veil saw: a dummy the veil made for a
        value's JSON-escaped spelling comes back too. Decoded strings are the fallback."""
        if not value:
            return value
        try:
            return json.loads(self.json_text().replace(json.dumps(value, ensure_ascii=False)))
        except ValueError:
            return self.mapping.restore_json(value)

    def __call__(self, obj: Any) -> Any:
        """Every string restored; ids, types and signatures kept as sent."""
        if isinstance(obj, list):
            return [self(v) for v in obj]
        if not isinstance(obj, dict):
            return self.mapping.restore(obj) if isinstance(obj, str) else obj
        out: dict[str, Any] = {}
        for k, v in obj.items():
            if (k in _OPAQUE and isinstance(v, str)) or k in ENVELOPE or (
                k == "data" and obj.get("type") == "redacted_thinking"
            ):
                out[k] = v
            elif k == "input":  # a tool's arguments: every key and value is the model's text
                out[k] = self.input(v)
            else:  # keys are the protocol's: never restored (a dummy may equal `text`)
                out[k] = self(v)
        return out


def restore_answer(obj: Any, mapping: Mapping) -> Any:
    return AnswerRestorer(mapping)(obj)


def _esc(s: str, ascii_only: bool) -> str:
    return json.dumps(s, ensure_ascii=ascii_only)[1:-1]


def json_text_replacer(mapping: Mapping) -> Replacer:
    """Restores dummies inside JSON text: each as written in a JSON string, both escapings.

    The values come back escaped too, so a real value with a quote, backslash or newline in it
    keeps the document valid wherever its dummy needed no escaping. The Mapping's own pairs
    follow: among them the dummies the veil chose for values found already escaped.
    """
    table: dict[str, str] = {}
    for dummy, value in mapping.reverse.table.items():
        for ascii_only in (False, True):
            table.setdefault(_esc(dummy, ascii_only), _esc(value, ascii_only))
    for dummy, value in mapping.reverse.table.items():
        table.setdefault(dummy, value)
    return Replacer(table)


class AnthropicStreamRestorer:
    """Restores a Messages event stream, holding back only possible dummy prefixes."""

    def __init__(self, mapping: Mapping) -> None:
        self.mapping = mapping
        self.restore = AnswerRestorer(mapping)
        self._streams: dict[tuple[int, str], StreamReplacer] = {}

    def _stream(self, index: int, kind: str) -> StreamReplacer:
        stream = self._streams.get((index, kind))
        if stream is None:
            if kind == "input_json_delta":
                stream = self.restore.json_text().stream()
            else:
                stream = self.mapping.restorer()
            self._streams[(index, kind)] = stream
        return stream

    def event(self, name: str | None, obj: Any) -> list[Event]:
        """The events to send for one upstream event (held text may be flushed before it)."""
        if not isinstance(obj, dict):
            return [(name, self.restore(obj))]
        kind = obj.get("type", name)
        if kind == "ping":
            return [(name, obj)]
        if kind == "content_block_delta" and isinstance(obj.get("delta"), dict):
            delta = obj["delta"]
            field = _STREAMED.get(delta.get("type"))
            if field is None:  # signature_delta, citations_delta...
                return [(name, self.restore(obj))]
            text = delta.get(field)
            if not isinstance(text, str):
                return [(name, self.restore(obj))]
            out = self._stream(obj.get("index", 0), delta["type"]).feed(text)
            if not out:
                return []  # all of it could still be the start of a dummy
            delta[field] = out
            return [(name, obj)]
        if kind == "content_block_stop":
            return [*self._flush(obj.get("index", 0), name), (name, obj)]
        if kind == "message_stop":
            return [*self._flush(None, name), (name, obj)]
        return [(name, self.restore(obj))]

    def close(self) -> list[Event]:
        """Whatever is still held when the upstream stream ends without stopping its blocks."""
        return self._flush(None, "content_block_delta")

    def _flush(self, index: int | None, name: str | None) -> list[Event]:
        out: list[Event] = []
        for key in sorted(k for k in self._streams if index is None or k[0] == index):
            rest = self._streams.pop(key).flush()
            if rest:
                i, kind = key
                ev = {"type": "content_block_delta", "index": i, "delta": {"type": kind}}
                ev["delta"][_STREAMED[kind]] = rest
                out.append(("content_block_delta" if name is not None else None, ev))
        return out


class AnthropicMessages:
    """``POST /v1/messages``."""

    always_streams = False  # whether the route streams whatever the body says
    error_event: str | None = "error"  # the SSE event name of a mid-stream error
    path = "/v1/messages"
    upstream_path = "/messages"

    def slots(self, body: Any, policy: Policy) -> list[Slot]:
        return request_slots(body, policy)

    def restore(self, obj: Any, mapping: Mapping) -> Any:
        return restore_answer(obj, mapping)

    def stream_restorer(self, mapping: Mapping) -> AnthropicStreamRestorer:
        return AnthropicStreamRestorer(mapping)

    def error(self, err: ApiError) -> dict[str, Any]:
        message = f"{err.param}: {err.message}" if err.param else err.message
        return {"type": "error", "error": {"type": error_type(err.status), "message": message}}


class AnthropicCountTokens(AnthropicMessages):
    """``POST /v1/messages/count_tokens``: the same request, anonymized, so the count is the
    count of what would be sent. The answer (``input_tokens``) holds no text."""

    path = "/v1/messages/count_tokens"
    upstream_path = "/messages/count_tokens"

    def slots(self, body: Any, policy: Policy) -> list[Slot]:
        if isinstance(body, dict) and body.get("stream"):
            raise _bad("token counts cannot be streamed", "stream")
        return request_slots(body, policy)

