"""What every wire format provides to the gateway, and the text slots they share.

A wire format knows where the client's text is in a request body (``slots``), how to put the
real values back into a whole answer (``restore``) and into a stream of events
(``stream_restorer``), and how its errors look. The gateway's handler is the same for all.
"""

from __future__ import annotations

import json
from typing import Any, Protocol

from proxy.policy import Policy
from proxy.veil.engine import Mapping
from proxy.wire.errors import ApiError

# Keys that are structure, not text the client wrote.
STRUCTURAL = frozenset({"role", "tool_call_id", "id", "type", "index"})


class Slot:
    """One string inside the request body, read and written in place."""

    __slots__ = ("container", "decode", "key")

    def __init__(self, container: Any, key: Any, decode: bool = False) -> None:
        self.container = container
        self.key = key
        self.decode = decode  # the value is a JSON document serialised into this slot

    def get(self) -> str:
        value = self.container[self.key]
        return json.dumps(value, ensure_ascii=False) if self.decode else value

    def set(self, text: str) -> None:
        self.container[self.key] = json.loads(text) if self.decode else text


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


# A stream event: the SSE event name (None when the format sends none) and its JSON data.
Event = tuple[str | None, Any]


class StreamRestorer(Protocol):
    def event(self, name: str | None, obj: Any) -> list[Event]: ...

    def close(self) -> list[Event]: ...


class WireFormat(Protocol):
    """One API surface: chat completions, responses, completions, embeddings, messages."""

    path: str  # the gateway's route
    upstream_path: str  # appended to the upstream's base URL
    error_event: str | None  # the SSE event name of an error once a stream has started

    def slots(self, body: Any, policy: Policy) -> list[Slot]: ...

    def restore(self, obj: Any, mapping: Mapping) -> Any: ...

    def stream_restorer(self, mapping: Mapping) -> StreamRestorer: ...

    def error(self, err: ApiError) -> dict[str, Any]: ...
