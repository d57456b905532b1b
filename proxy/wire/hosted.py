"""Built-in tools under the policy's ``hosted_tools``: which kind each API's tool type is.

The three APIs name their built-in tools differently (``web_search_preview_2025_03_11``,
``web_search_20250305``, ``googleSearch``); a policy names kinds (``web_search``), so that one
line covers every API. ``check_*`` run after an adapter has validated a request and refuse it
(400, the tool named, nothing forwarded) when it declares a tool whose kind the policy refuses.
Tool types an adapter does not know are refused by the adapter itself; an Anthropic tool type
not listed here follows the policy's ``default``.
"""

from __future__ import annotations

import re
from typing import Any

from proxy.policy import Policy
from proxy.wire.errors import ApiError

# Responses API tool types (``HOSTED_TOOLS`` in responses.py) → kind.
RESPONSES_KINDS = {
    "web_search": "web_search", "web_search_preview": "web_search",
    "web_search_2025_08_26": "web_search", "web_search_preview_2025_03_11": "web_search",
    "file_search": "file_search", "code_interpreter": "code_execution", "mcp": "mcp",
    "computer_use_preview": "computer_use", "computer_use": "computer_use",
    "image_generation": "image_generation", "local_shell": "shell", "shell": "shell",
    "apply_patch": "apply_patch", "tool_search": "tool_search",
}  # fmt: skip
# Anthropic tool types without their version date (web_search_20250305 → web_search).
ANTHROPIC_KINDS = {
    "web_search": "web_search", "web_fetch": "web_fetch", "code_execution": "code_execution",
    "bash": "shell", "text_editor": "text_editor", "computer": "computer_use",
    "memory": "memory", "tool_search_tool_regex": "tool_search",
    "tool_search_tool_bm25": "tool_search", "mcp_toolset": "mcp",
}  # fmt: skip
# Gemini tool fields (``HOSTED_TOOLS`` in gemini.py), camelCase and snake_case → kind.
GEMINI_KINDS = {
    "googleSearch": "web_search", "google_search": "web_search",
    "googleSearchRetrieval": "web_search", "google_search_retrieval": "web_search",
    "codeExecution": "code_execution", "code_execution": "code_execution",
    "urlContext": "web_fetch", "url_context": "web_fetch",
    "computerUse": "computer_use", "computer_use": "computer_use",
    "fileSearch": "file_search", "file_search": "file_search", "retrieval": "file_search",
    "googleMaps": "maps", "google_maps": "maps",
}  # fmt: skip
_DATED = re.compile(r"_\d{8}$")


def anthropic_kind(tool_type: str) -> str:
    base = _DATED.sub("", tool_type)
    return ANTHROPIC_KINDS.get(base, base)


def refused_tool(tool: str, kind: str, param: str) -> ApiError:
    return ApiError(
        400,
        f"the tool '{tool}' ({kind}) is refused by the CodeVeil policy (hosted_tools.{kind}): "
        "remove it from the request or ask for the policy to allow it",
        code="tool_refused",
        param=param,
    )


def _check(policy: Policy, tool: str, kind: str, param: str) -> None:
    if not policy.tool_allowed(kind):
        raise refused_tool(tool, kind, param)


def _responses_tools(tools: Any, policy: Policy, param: str) -> None:
    for t, tool in enumerate(tools if isinstance(tools, list) else ()):
        if not isinstance(tool, dict):
            continue
        kind = tool.get("type")
        if kind == "namespace":
            _responses_tools(tool.get("tools"), policy, f"{param}[{t}].tools")
        elif kind in RESPONSES_KINDS:
            _check(policy, kind, RESPONSES_KINDS[kind], f"{param}[{t}].type")


def check_responses(body: dict[str, Any], policy: Policy) -> None:
    """Tools in ``tools`` and in ``additional_tools`` input items (Codex), namespaces included."""
    _responses_tools(body.get("tools"), policy, "tools")
    items = body.get("input")
    for i, item in enumerate(items if isinstance(items, list) else ()):
        if isinstance(item, dict) and item.get("type") == "additional_tools":
            _responses_tools(item.get("tools"), policy, f"input[{i}].tools")


def check_anthropic(body: dict[str, Any], policy: Policy) -> None:
    """Server and Anthropic-defined client tools in ``tools``, and ``mcp_servers``."""
    tools = body.get("tools")
    for t, tool in enumerate(tools if isinstance(tools, list) else ()):
        if not isinstance(tool, dict) or tool.get("type") in (None, "custom"):
            continue
        if "input_schema" in tool:
            continue  # a client tool the adapter reads as custom
        kind = anthropic_kind(str(tool["type"]))
        _check(policy, str(tool["type"]), kind, f"tools.{t}.type")
    servers = body.get("mcp_servers")
    if servers:
        _check(policy, "mcp_servers", "mcp", "mcp_servers")


def check_gemini(body: dict[str, Any], policy: Policy) -> None:
    tools = body.get("tools")
    for t, tool in enumerate(tools if isinstance(tools, list) else ()):
        for key in tool if isinstance(tool, dict) else ():
            if key in GEMINI_KINDS:
                _check(policy, key, GEMINI_KINDS[key], f"tools[{t}].{key}")
