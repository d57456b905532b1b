"""The Gemini API wire format (``models/{model}:generateContent`` and ``:streamGenerateContent``).

Gemini CLI and Google's SDKs speak only this API. ``request_slots`` finds every string the
client wrote: text parts of ``contents`` and ``systemInstruction``, function calls (name and
``args``) and function responses, executable code and its results, function declarations (name,
description, parameter schemas), the allowed function names, the structured-output schema and
stop sequences. The REST API accepts proto-JSON field names in camelCase and snake_case alike;
both are read. Inline and file data (images, audio, PDFs) pass only where the policy allows
them; a part of a kind not listed here is refused (fail closed).

A whole answer is restored where the model wrote: text parts, function-call names and ``args``,
grounding and citation text. A stream (``alt=sse``) is a sequence of whole
``GenerateContentResponse`` chunks whose text parts continue each other: one ``StreamReplacer``
per candidate (and per thought / answer text) restores them, and what is still held back when
the candidate finishes goes into that chunk's last text part.
"""

from __future__ import annotations

from typing import Any

from proxy.policy import Policy
from proxy.veil.engine import Mapping
from proxy.veil.restore import StreamReplacer
from proxy.wire.base import STRUCTURAL, Event, Slot, Turns, restore_answer, strings
from proxy.wire.errors import ApiError, bad_request
from proxy.wire.hosted import check_gemini
from proxy.wire.media import image_part

ROLES = frozenset({"user", "model", "function", "system"})
# Google's status name for each HTTP status of an error body.
STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    413: "INVALID_ARGUMENT",
    415: "INVALID_ARGUMENT",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    502: "UNAVAILABLE",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}
# Part fields that carry no client text: flags, opaque signatures, media settings.
_OPAQUE_PART = frozenset(
    {"thought", "thoughtSignature", "thought_signature", "videoMetadata", "video_metadata",
     "partMetadata", "part_metadata", "mediaResolution", "media_resolution"}
)  # fmt: skip
# Tools the upstream runs itself; their settings are anonymized like any text.
HOSTED_TOOLS = frozenset(
    {"googleSearch", "google_search", "googleSearchRetrieval", "google_search_retrieval",
     "codeExecution", "code_execution", "urlContext", "url_context", "computerUse",
     "computer_use", "fileSearch", "file_search", "googleMaps", "google_maps", "retrieval"}
)  # fmt: skip
_SKIP = STRUCTURAL | {"mimeType", "mime_type", "mode", "language", "outcome"}
# Top-level request fields that hold no client text.
_PARAMS = frozenset({"safetySettings", "safety_settings", "cachedContent", "cached_content",
                     "model"})


def _get(obj: dict[str, Any], camel: str) -> tuple[str, Any]:
    """A field by its camelCase name or its snake_case spelling: (the key used, the value)."""
    if camel in obj:
        return camel, obj[camel]
    snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in camel)
    return snake, obj.get(snake)


def _refused(kind: str, param: str) -> ApiError:
    return ApiError(
        400,
        f"{kind} parts are refused by the CodeVeil policy: their content cannot be inspected "
        "for sensitive data",
        code="content_part_refused",
        param=param,
    )


def _media_kind(data: dict[str, Any]) -> str:
    _, mime = _get(data, "mimeType")
    mime = mime if isinstance(mime, str) else ""
    if mime.startswith(("image/", "audio/")):
        return mime.split("/")[0]
    return "file"


def _string(obj: dict[str, Any], key: str, param: str, out: list[Slot], required: bool) -> None:
    value = obj.get(key)
    if isinstance(value, str):
        out.append(Slot(obj, key))
    elif required or value is not None:
        raise bad_request(f"'{key}' must be a string", f"{param}.{key}")


def _json_slot(obj: dict[str, Any], key: str, param: str, out: list[Slot]) -> None:
    value = obj.get(key)
    if isinstance(value, dict | list):
        out.append(Slot(obj, key, decode=True))
    elif value is not None:
        raise bad_request(f"'{key}' must be an object", f"{param}.{key}")


def _part(part: Any, p: str, policy: Policy, out: list[Slot]) -> None:
    if not isinstance(part, dict):
        raise bad_request("each part must be an object", p)
    fields = [k for k in part if k not in _OPAQUE_PART]
    if not fields:
        return
    if len(fields) > 1:
        raise bad_request(f"a part holds one kind of data, not {sorted(fields)}", p)
    (key,) = fields
    value = part[key]
    if key == "text":
        _string(part, "text", p, out, required=True)
    elif key in ("inlineData", "inline_data", "fileData", "file_data"):
        if not isinstance(value, dict):
            raise bad_request(f"'{key}' must be an object", f"{p}.{key}")
        if _media_kind(value) == "image":
            inline = key in ("inlineData", "inline_data")
            image_part(policy, f"{p}.{key}", out, _refused("image", p), container=value,
                       key="data", media_type=_get(value, "mimeType")[1],
                       elsewhere="" if inline else "by file URI")
        elif not policy.part_allowed(_media_kind(value)):
            raise _refused(_media_kind(value), p)
    elif key in ("functionCall", "function_call"):
        _string(value, "name", f"{p}.{key}", out, required=True)
        _json_slot(value, "args", f"{p}.{key}", out)
    elif key in ("functionResponse", "function_response"):
        _string(value, "name", f"{p}.{key}", out, required=True)
        _json_slot(value, "response", f"{p}.{key}", out)
    elif key in ("executableCode", "executable_code"):
        _string(value, "code", f"{p}.{key}", out, required=True)
    elif key in ("codeExecutionResult", "code_execution_result"):
        _string(value, "output", f"{p}.{key}", out, required=False)
    else:
        raise bad_request(
            f"part type '{key}' is not supported by CodeVeil", p, code="unsupported_content_part"
        )


def _content(content: Any, p: str, policy: Policy, out: list[Slot]) -> None:
    if not isinstance(content, dict):
        raise bad_request("each content must be an object with parts", p)
    role = content.get("role")
    if role is not None and role not in ROLES:
        raise bad_request(f"role must be one of {sorted(ROLES)}", f"{p}.role")
    parts = content.get("parts")
    if not isinstance(parts, list):
        raise bad_request("'parts' must be a list", f"{p}.parts")
    for j, part in enumerate(parts):
        _part(part, f"{p}.parts[{j}]", policy, out)


def _tools(tools: Any, out: list[Slot]) -> None:
    if not isinstance(tools, list):
        raise bad_request("'tools' must be a list", "tools")
    for t, tool in enumerate(tools):
        p = f"tools[{t}]"
        if not isinstance(tool, dict):
            raise bad_request("each tool must be an object", p)
        for key, value in tool.items():
            if key in ("functionDeclarations", "function_declarations"):
                if not isinstance(value, list):
                    raise bad_request(f"'{key}' must be a list", f"{p}.{key}")
                for d, decl in enumerate(value):
                    q = f"{p}.{key}[{d}]"
                    if not isinstance(decl, dict):
                        raise bad_request("each function declaration must be an object", q)
                    _string(decl, "name", q, out, required=True)
                    _string(decl, "description", q, out, required=False)
                    for schema in ("parameters", "parametersJsonSchema", "parameters_json_schema",
                                   "response", "responseJsonSchema", "response_json_schema"):
                        _json_slot(decl, schema, q, out)
            elif key in HOSTED_TOOLS:
                strings(value, out, _SKIP)
            else:
                raise bad_request(
                    f"tool '{key}' is not supported by CodeVeil", f"{p}.{key}",
                    code="unsupported_tool",
                )


def request_slots(body: Any, policy: Policy) -> list[Slot]:
    """Validate a generateContent request body and return every text slot in it."""
    if not isinstance(body, dict):
        raise bad_request("the request body must be a JSON object")
    contents = body.get("contents")
    if not isinstance(contents, list) or not contents:
        raise bad_request("'contents' must be a non-empty list", "contents")
    slots: list[Slot] = []
    key, system = _get(body, "systemInstruction")
    if isinstance(system, str):
        slots.append(Slot(body, key))
    elif system is not None:
        _content(system, key, policy, slots)
    turns = Turns()
    for i, content in enumerate(contents):
        first = len(slots)
        _content(content, f"contents[{i}]", policy, slots)
        turns.mark(slots, first, isinstance(content, dict) and content.get("role") == "model")
    if body.get("tools") is not None:
        _tools(body["tools"], slots)
    _, config = _get(body, "toolConfig")
    if isinstance(config, dict):
        _, calling = _get(config, "functionCallingConfig")
        if isinstance(calling, dict):
            _, names = _get(calling, "allowedFunctionNames")
            if isinstance(names, list):
                slots.extend(Slot(names, n) for n, v in enumerate(names) if isinstance(v, str))
    _, generation = _get(body, "generationConfig")
    if isinstance(generation, dict):
        for schema in ("responseSchema", "responseJsonSchema"):
            field, value = _get(generation, schema)
            if value is not None:
                _json_slot(generation, field, "generationConfig", slots)
        _, stops = _get(generation, "stopSequences")
        if isinstance(stops, list):  # the model writes dummies: it must stop at the dummy
            slots.extend(Slot(stops, n) for n, v in enumerate(stops) if isinstance(v, str))
    handled = {"contents", "tools", "systemInstruction", "system_instruction", "toolConfig",
               "tool_config", "generationConfig", "generation_config"}
    # Fields CodeVeil does not know yet may hold text: every string in them is anonymized.
    for field, value in body.items():
        if field in handled or field in _PARAMS:
            continue
        if isinstance(value, str):
            slots.append(Slot(body, field))
        else:
            strings(value, slots, _SKIP)
    check_gemini(body, policy)  # built-in tools the policy refuses (hosted_tools)
    return slots


# -- answers -------------------------------------------------------------------------------


class GeminiStreamRestorer:
    """Restores ``alt=sse`` chunks, holding back only possible dummy prefixes of the text."""

    def __init__(self, mapping: Mapping) -> None:
        self.mapping = mapping
        self._streams: dict[tuple[int, bool], StreamReplacer] = {}

    def _stream(self, key: tuple[int, bool]) -> StreamReplacer:
        if key not in self._streams:
            self._streams[key] = self.mapping.restorer()
        return self._streams[key]

    def event(self, name: str | None, obj: Any) -> list[Event]:
        if not isinstance(obj, dict) or not isinstance(obj.get("candidates"), list):
            return [(name, restore_answer(obj, self.mapping))]
        # Everything but the candidates as a whole answer: envelope fields stay as they are.
        out = restore_answer({k: v for k, v in obj.items() if k != "candidates"}, self.mapping)
        out["candidates"] = [self._candidate(c) for c in obj["candidates"]]
        return [(name, out)]

    def _candidate(self, cand: Any) -> Any:
        if not isinstance(cand, dict):
            return restore_answer(cand, self.mapping)
        index = cand.get("index", 0)
        out = restore_answer({k: v for k, v in cand.items() if k != "content"}, self.mapping)
        content = cand.get("content")
        parts = content.get("parts") if isinstance(content, dict) else None
        if isinstance(parts, list):
            new_parts = []
            for part in parts:
                if isinstance(part, dict) and isinstance(part.get("text"), str):
                    key = (index, bool(part.get("thought")))
                    new_parts.append({**part, "text": self._stream(key).feed(part["text"])})
                else:
                    new_parts.append(restore_answer(part, self.mapping))
            out["content"] = {**content, "parts": new_parts}
        elif content is not None:
            out["content"] = restore_answer(content, self.mapping)
        if cand.get("finishReason") or cand.get("finish_reason"):
            self._flush_into(out, index)
        return out

    def _flush_into(self, cand: dict[str, Any], index: int) -> None:
        content = cand.setdefault("content", {"role": "model", "parts": []})
        parts = content.setdefault("parts", [])
        for thought in (True, False):
            stream = self._streams.pop((index, thought), None)
            rest = stream.flush() if stream is not None else ""
            if not rest:
                continue
            last = next((p for p in reversed(parts) if isinstance(p, dict) and "text" in p
                         and bool(p.get("thought")) == thought), None)
            if last is not None:
                last["text"] += rest
            else:
                parts.insert(0, {"text": rest, **({"thought": True} if thought else {})})

    def close(self) -> list[Event]:
        """Text still held when the stream ends without a finish reason."""
        out: list[Event] = []
        for index in sorted({i for i, _ in self._streams}):
            cand: dict[str, Any] = {"index": index, "content": {"role": "model", "parts": []}}
            self._flush_into(cand, index)
            if cand["content"]["parts"]:
                out.append((None, {"candidates": [cand]}))
        return out


def error_body(err: ApiError) -> dict[str, Any]:
    message = f"{err.param}: {err.message}" if err.param else err.message
    fallback = "INTERNAL" if err.status >= 500 else "INVALID_ARGUMENT"
    status = STATUS_NAMES.get(err.status, fallback)
    return {"error": {"code": err.status, "message": message, "status": status}}


class GeminiGenerateContent:
    """``POST /v1beta/models/{model}:generateContent``: the model is named by the route."""

    always_streams = False
    error_event: str | None = None  # the SSE event name of a mid-stream error
    # Google's SDKs say /v1beta by default, and /v1 when given a base URL of their own.
    path = "/{version:v1|v1beta|v1alpha}/models/{model}:generateContent"
    upstream_path = "/models/{model}:generateContent"

    def slots(self, body: Any, policy: Policy) -> list[Slot]:
        return request_slots(body, policy)

    def restore(self, obj: Any, mapping: Mapping) -> Any:
        return restore_answer(obj, mapping)

    def stream_restorer(self, mapping: Mapping) -> GeminiStreamRestorer:
        return GeminiStreamRestorer(mapping)

    def error(self, err: ApiError) -> dict[str, Any]:
        return error_body(err)


class GeminiStreamGenerateContent(GeminiGenerateContent):
    """``POST /v1beta/models/{model}:streamGenerateContent``: always a stream, asked of the
    upstream as server-sent events (``alt=sse``, as Google's SDKs and Gemini CLI ask for it)."""

    always_streams = True
    path = "/{version:v1|v1beta|v1alpha}/models/{model}:streamGenerateContent"
    upstream_path = "/models/{model}:streamGenerateContent?alt=sse"

