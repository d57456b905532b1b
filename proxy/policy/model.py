"""The policy as the veil reads it, and :meth:`Policy.decide`: what happens to one finding."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from proxy.policy.schema import validate

ACTIONS = ("pseudonymize", "redact", "block", "monitor", "allow")
# Kinds of built-in tools a policy names in ``hosted_tools`` (the wire adapters map each API's
# tool types onto them: Anthropic's web_search_20250305 and Gemini's googleSearch are web_search).
HOSTED_TOOL_KINDS = (
    "web_search", "web_fetch", "file_search", "code_execution", "mcp", "image_generation",
    "tool_search", "maps", "computer_use", "shell", "apply_patch", "text_editor", "memory",
)  # fmt: skip
# Outcomes of a finding that the veil drops before any action: type off, score too low.
IGNORED = ("off", "below_threshold")


@dataclass(frozen=True)
class Decision:
    """What the policy does with one finding, and the rule that said so (for `explain`)."""

    action: str  # one of ACTIONS, or one of IGNORED
    rule: str  # e.g. "actions.AWS_ACCESS_KEY_ID: block", "default: pseudonymize"
    restore: bool = True


@dataclass(frozen=True)
class Policy:
    name: str = "default"
    terms: tuple[str, ...] = ()
    internal_domains: tuple[str, ...] = ()
    categories: dict[str, bool] = field(
        default_factory=lambda: {"secret": True, "pii": True, "term": True, "identifier": True}
    )
    actions: dict[str, str] = field(default_factory=dict)
    allow: frozenset[str] = frozenset()
    content_parts: dict[str, str] = field(default_factory=dict)
    # Built-in tools per kind (web_search, mcp, ...; "default" for the others): allow | refuse.
    hosted_tools: dict[str, str] = field(default_factory=dict)
    identifiers: str = "proprietary"
    # stable: what was sent for a message is resent as it was, even when a later message reveals
    # a value in it (audited as a late finding); rewrite: every turn is anonymized afresh.
    history: str = "stable"
    internal_packages: tuple[str, ...] = ()
    # {types: [...], upstream: name}: requests with these findings go, unveiled, to a local model
    route_local: dict[str, Any] = field(default_factory=dict)
    types: dict[str, bool] = field(default_factory=dict)
    thresholds: dict[str, float] = field(default_factory=dict)
    restore: dict[str, bool] = field(default_factory=dict)
    # Custom recognizers as written (deny_list_file already read into deny_list).
    recognizers: tuple[dict[str, Any], ...] = ()
    source: str = ""  # the policy file ("" when built in code)
    files: tuple[str, ...] = ()  # every file it was read from: itself, its bases, deny lists

    def enabled(self, category: str) -> bool:
        return self.categories.get(category, False)

    def action(self, type_: str, category: str) -> str:
        return self.actions.get(type_) or self.actions.get(category) or "pseudonymize"

    def restores(self, type_: str, category: str) -> bool:
        if type_ in self.restore:
            return self.restore[type_]
        return self.restore.get(category, True)

    def decide(self, type_: str, category: str, score: float = 1.0) -> Decision:
        if not self.types.get(type_, True):
            return Decision("off", f"types.{type_}: false")
        if not self.categories.get(category, True):
            return Decision("off", f"categories.{category}: false")
        for key in (type_, category):
            if key in self.thresholds:
                if score < self.thresholds[key]:
                    return Decision("below_threshold", f"thresholds.{key}: {self.thresholds[key]}")
                break
        restore = self.restores(type_, category)
        for key in (type_, category):
            if key in self.actions:
                return Decision(self.actions[key], f"actions.{key}: {self.actions[key]}", restore)
        return Decision("pseudonymize", "default: pseudonymize", restore)

    def part_allowed(self, kind: str) -> bool:
        return self.part_action(kind) == "allow"

    def part_action(self, kind: str) -> str:
        """What happens to a non-text part (image, audio, file): allow, refuse or redact (images:
        OCR, the veil on the text, boxes over what it hides). Unlisted kinds are refused."""
        return self.content_parts.get(kind, "refuse")

    def tool_allowed(self, kind: str) -> bool:
        """Whether a built-in tool of this kind (see ``HOSTED_TOOL_KINDS``) may be declared.
        Kinds not listed follow ``default``; without one they are allowed, as before the key."""
        return self.hosted_tools.get(kind, self.hosted_tools.get("default", "allow")) == "allow"

    @classmethod
    def from_dict(
        cls, data: dict[str, Any], source: str = "<policy>", files: tuple[str, ...] = ()
    ) -> Policy:
        validate(data, source)
        cats = {"secret": True, "pii": True, "term": True, "identifier": True}
        cats.update(data.get("categories") or {})
        return cls(
            name=data.get("name") or Path(source).stem,
            terms=tuple(data.get("terms") or ()),
            internal_domains=tuple(data.get("internal_domains") or ()),
            categories=cats,
            actions=dict(data.get("actions") or {}),
            allow=frozenset(data.get("allow") or ()),
            content_parts=dict(data.get("content_parts") or {}),
            hosted_tools=dict(data.get("hosted_tools") or {}),
            identifiers=data.get("identifiers", "proprietary"),
            history=data.get("history", "stable"),
            internal_packages=tuple(data.get("internal_packages") or ()),
            route_local=dict(data.get("route_local") or {}),
            types=dict(data.get("types") or {}),
            thresholds={k: float(v) for k, v in (data.get("thresholds") or {}).items()},
            restore=dict(data.get("restore") or {}),
            recognizers=tuple(dict(r) for r in data.get("recognizers") or ()),
            source=source if source != "<policy>" else "",
            files=files,
        )
