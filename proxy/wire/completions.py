"""Legacy completions and embeddings: prompts and inputs as strings (or lists of strings).

Token-id arrays cannot be read, so they are refused rather than forwarded unexamined.
"""

from __future__ import annotations

from typing import Any

from proxy.policy import Policy
from proxy.veil.engine import Mapping
from proxy.wire.base import Slot, restore_answer
from proxy.wire.chat import ChatStreamRestorer
from proxy.wire.errors import ApiError, bad_request


def _model(body: Any) -> None:
    if not isinstance(body, dict):
        raise bad_request("the request body must be a JSON object")
    if not isinstance(body.get("model"), str) or not body["model"]:
        raise bad_request("'model' is required and must be a string", "model")


def _text_list(body: dict[str, Any], key: str, required: bool) -> list[Slot]:
    """Slots for ``body[key]``: a string or a list of strings; token ids are refused."""
    value = body.get(key)
    if value is None and not required:
        return []
    if isinstance(value, str):
        return [Slot(body, key)]
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return [Slot(value, i) for i in range(len(value))]
    if isinstance(value, list) and value and all(isinstance(v, int | list) for v in value):
        raise bad_request(f"'{key}' as token ids cannot be inspected by CodeVeil; send text",
                          key, code="token_input_refused")
    raise bad_request(f"'{key}' must be a string or a non-empty list of strings", key)


class Completions:
    """``POST /v1/completions``: ``prompt`` and ``suffix``; answers stream ``choices[].text``."""

    always_streams = False  # whether the route streams whatever the body says
    error_event: str | None = None  # the SSE event name of a mid-stream error
    path = "/v1/completions"
    upstream_path = "/completions"

    def slots(self, body: Any, policy: Policy) -> list[Slot]:
        _model(body)
        slots = _text_list(body, "prompt", required=True)
        for key in ("suffix", "user"):
            if isinstance(body.get(key), str):
                slots.append(Slot(body, key))
        return slots

    def restore(self, obj: Any, mapping: Mapping) -> Any:
        return restore_answer(obj, mapping)

    def stream_restorer(self, mapping: Mapping) -> ChatStreamRestorer:
        return ChatStreamRestorer(mapping, delta_key=None)

    def error(self, err: ApiError) -> dict[str, Any]:
        return err.body()


class Embeddings:
    """``POST /v1/embeddings``: inputs anonymized, vectors returned as they come."""

    always_streams = False  # whether the route streams whatever the body says
    error_event: str | None = None  # the SSE event name of a mid-stream error
    path = "/v1/embeddings"
    upstream_path = "/embeddings"

    def slots(self, body: Any, policy: Policy) -> list[Slot]:
        _model(body)
        if body.get("stream"):
            raise bad_request("embeddings cannot be streamed", "stream")
        slots = _text_list(body, "input", required=True)
        if isinstance(body.get("user"), str):
            slots.append(Slot(body, "user"))
        return slots

    def restore(self, obj: Any, mapping: Mapping) -> Any:
        # Vectors (floats, or base64 when the SDK asks for it) pass untouched: a replacement
        # inside base64 would corrupt them. Only an error may quote the input back.
        if isinstance(obj, dict) and "error" in obj:
            return restore_answer(obj, mapping)
        return obj

    def stream_restorer(self, mapping: Mapping) -> ChatStreamRestorer:
        return ChatStreamRestorer(mapping)

    def error(self, err: ApiError) -> dict[str, Any]:
        return err.body()
