"""One audit record: what was found and done for a request, never the values; and the figures
filled into it (the policy's hash, token usage, productivity)."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the engine pulls in every recognizer: too slow for `codeveil audit`
    from proxy.veil.engine import FindingSummary

# Stored columns, in order; the chain hash covers these and the id.
COLUMNS = (
    "ts", "endpoint", "tenant", "key_id", "model", "upstream", "policy", "policy_hash",
    "status", "blocked", "stream", "findings", "bytes_in", "bytes_out", "prompt_tokens",
    "completion_tokens", "latency_ms", "productivity", "error", "loop_run",
)
# Columns added after the chain existed: in the hash only when set, so older records verify.
OPTIONAL = frozenset({"loop_run"})
_INT = {"id", "status", "blocked", "stream", "bytes_in", "bytes_out", "prompt_tokens",
        "completion_tokens"}
_FLOAT = {"ts", "latency_ms", "productivity"}


@dataclass
class AuditRecord:
    endpoint: str
    tenant: str = "default"
    key_id: str | None = None
    model: str | None = None
    upstream: str | None = None
    policy: str | None = None
    policy_hash: str | None = None  # sha256 of the policy's canonical JSON
    status: int | None = None
    blocked: bool = False
    stream: bool = False
    findings: list[FindingSummary] = field(default_factory=list)
    bytes_in: int = 0
    bytes_out: int = 0
    prompt_tokens: int | None = None  # from the upstream's `usage`, where it gave one
    completion_tokens: int | None = None
    latency_ms: float = 0.0
    productivity: float | None = None  # code characters in the answer / prompt characters
    error: str | None = None  # an error code, never a message that could quote the prompt
    # a loop run (/v1/loop/runs, the codeveil-loop/ alias): its id, status and metrics, never
    # its text; stored as canonical JSON
    loop_run: dict[str, Any] | None = None
    ts: float = field(default_factory=time.time)


def canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def policy_hash(policy: Any) -> str:
    """sha256 of a policy's canonical JSON (a dataclass such as proxy.policy.Policy)."""
    data = asdict(policy) if hasattr(policy, "__dataclass_fields__") else policy

    def norm(o: Any) -> Any:
        if isinstance(o, dict):
            return {str(k): norm(v) for k, v in o.items()}
        if isinstance(o, (set, frozenset)):
            return sorted(norm(v) for v in o)
        if isinstance(o, (list, tuple)):
            return [norm(v) for v in o]
        return o

    text = json.dumps(norm(data), sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def usage_of(answer: Any) -> tuple[int | None, int | None]:
    """(prompt, completion) tokens from an OpenAI or Anthropic answer's `usage`, if any."""
    usage = answer.get("usage") if isinstance(answer, dict) else None
    if not isinstance(usage, dict):
        return None, None

    def num(*names: str) -> int | None:
        for n in names:
            v = usage.get(n)
            if isinstance(v, int) and not isinstance(v, bool):
                return v
        return None

    return num("prompt_tokens", "input_tokens"), num("completion_tokens", "output_tokens")


def code_chars(text: str) -> int:
    """Characters inside markdown code fences (``` or ~~~) of a text."""
    total, inside, fence = 0, False, ""
    for line in text.splitlines(keepends=True):
        stripped = line.lstrip()
        if not inside and stripped[:3] in ("```", "~~~"):
            inside, fence = True, stripped[:3]
        elif inside and stripped.startswith(fence):
            inside = False
        elif inside:
            total += len(line)
    return total


def productivity(prompt_chars: int, answer_text: str) -> float | None:
    """Generated code length / prompt length, or None without a prompt."""
    if prompt_chars <= 0:
        return None
    return round(code_chars(answer_text) / prompt_chars, 4)


MAX_TEXT = 256  # a stored text field's length cap, in characters


def storable(v: Any) -> str | None:
    """A text field as every backend can store it: a client-chosen string (the model name) may
    hold NUL (PostgreSQL refuses it) or a lone surrogate (not UTF-8); both become U+FFFD, and
    the length is capped, so that such a request still gets its record."""
    if v is None:
        return None
    text = v if isinstance(v, str) else str(v)
    if len(text) > MAX_TEXT:
        text = text[: MAX_TEXT - 1] + "\u2026"
    return "".join("\ufffd" if c == "\0" or "\ud800" <= c <= "\udfff" else c for c in text)


def _fields(summary: Any) -> dict[str, Any]:
    """A finding summary's fields (plain values) as a dict: what ``asdict`` gives, without its
    deep copy, which takes some 50 ms on the event loop for the thousands of a big request."""
    return {name: getattr(summary, name) for name in summary.__dataclass_fields__}


def row_values(r: AuditRecord) -> dict[str, Any]:
    """A record as stored: findings as canonical JSON text, flags as 0/1, floats rounded, text
    made storable (:func:`storable`)."""
    return {
        "ts": round(float(r.ts), 6),
        "endpoint": storable(r.endpoint) or "",
        "tenant": storable(r.tenant),
        "key_id": storable(r.key_id),
        "model": storable(r.model),
        "upstream": storable(r.upstream),
        "policy": storable(r.policy),
        "policy_hash": storable(r.policy_hash),
        "status": r.status,
        "blocked": int(bool(r.blocked)),
        "stream": int(bool(r.stream)),
        "findings": canonical([_fields(f) for f in r.findings]),
        "bytes_in": int(r.bytes_in or 0),
        "bytes_out": int(r.bytes_out or 0),
        "prompt_tokens": r.prompt_tokens,
        "completion_tokens": r.completion_tokens,
        "latency_ms": round(float(r.latency_ms), 3),
        "productivity": None if r.productivity is None else round(float(r.productivity), 4),
        "error": storable(r.error),
        "loop_run": None if r.loop_run is None else canonical(r.loop_run),
    }


def typed(name: str, v: Any) -> Any:
    """A stored value as its column's Python type (drivers differ: Decimal, str, ...)."""
    if v is None:
        return None
    if name in _INT:
        return int(v)
    if name in _FLOAT:
        return float(v)
    return v
