"""Which headers go to the upstream and back, and how each kind of upstream wants its key."""

from __future__ import annotations

from multidict import CIMultiDict, CIMultiDictProxy

from proxy.config import Upstream

# Client headers worth passing on; everything else (Host, Cookie, hop-by-hop) stays here.
_FORWARD = (
    "accept",
    "openai-organization",
    "openai-project",
    "openai-beta",
    "anthropic-version",
    "anthropic-beta",
    "user-agent",
    "x-stainless-arch",
    "x-stainless-lang",
    "x-stainless-os",
    "x-stainless-package-version",
    "x-stainless-runtime",
    "x-stainless-runtime-version",
    "x-stainless-retry-count",
    "x-goog-api-client",
)
# Upstream headers the client may care about.
_BACK = (
    "x-request-id",
    "request-id",
    "openai-processing-ms",
    "openai-version",
    "retry-after",
    "x-ratelimit-limit-requests",
    "x-ratelimit-limit-tokens",
    "x-ratelimit-remaining-requests",
    "x-ratelimit-remaining-tokens",
    "x-ratelimit-reset-requests",
    "x-ratelimit-reset-tokens",
)


ANTHROPIC_VERSION = "2023-06-01"
# How each kind of upstream wants its key.
_AUTH = {
    "openai": lambda key: ("Authorization", f"Bearer {key}"),
    "azure": lambda key: ("api-key", key),
    "anthropic": lambda key: ("x-api-key", key),
    "gemini": lambda key: ("x-goog-api-key", key),
}


def client_key(headers: CIMultiDictProxy[str]) -> str | None:
    """The key a client sent, from whichever header its SDK uses."""
    auth = headers.get("Authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip() or None
    return headers.get("x-api-key") or headers.get("api-key") or headers.get("x-goog-api-key")


# The headers each kind of upstream reads a client's credential from, its own first: in
# pass-through mode one of them goes on, never a header another provider would read.
_CLIENT_AUTH = {
    "openai": ("Authorization",),
    "azure": ("api-key", "Authorization"),  # Authorization: an Entra ID token
    "anthropic": ("x-api-key", "Authorization"),  # Authorization: an OAuth token
    "gemini": ("x-goog-api-key", "Authorization"),
}


def upstream_headers(
    upstream: Upstream, client: CIMultiDictProxy[str], forward_key: bool = True
) -> CIMultiDict[str]:
    """What goes upstream: a few client headers, and one credential. ``forward_key=False``
    keeps the client's own key here (a request diverted to an on-premise upstream)."""
    out: CIMultiDict[str] = CIMultiDict()
    for name in _FORWARD:
        if name in client:
            out[name] = client[name]
    if upstream.api_key:
        name, value = _AUTH[upstream.kind](upstream.api_key)
        out[name] = value
    elif forward_key and upstream.forward_client_key:
        # Pass-through mode: the client's own key, in this kind's header only.
        name = next((n for n in _CLIENT_AUTH[upstream.kind] if n in client), None)
        if name is not None:
            out[name] = client[name]
        elif (key := client_key(client)) is not None:
            name, value = _AUTH[upstream.kind](key)
            out[name] = value
    if upstream.kind == "anthropic" and "anthropic-version" not in out:
        out["anthropic-version"] = ANTHROPIC_VERSION
    out["Content-Type"] = "application/json"
    return out


def back_headers(upstream: CIMultiDictProxy[str]) -> dict[str, str]:
    out = {name: upstream[name] for name in _BACK if name in upstream}
    out.update((k, v) for k, v in upstream.items() if k.lower().startswith("anthropic-ratelimit-"))
    return out
