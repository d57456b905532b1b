"""The security team's policy: what is detected and what happens to each finding.

Loaded from YAML and validated against ``policies/schema.json`` at start-up; an error names the
file, the key and what is wrong, and the gateway does not start with a policy it cannot read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from recognizers.base import CATEGORIES

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "policies" / "schema.json"
ACTIONS = ("pseudonymize", "redact", "block")


class PolicyError(ValueError):
    """A policy file that cannot be used; the message names the file and the key."""


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
    identifiers: str = "proprietary"
    internal_packages: tuple[str, ...] = ()
    # {types: [...], upstream: name}: requests with these findings go, unveiled, to a local model
    route_local: dict[str, Any] = field(default_factory=dict)

    def enabled(self, category: str) -> bool:
        return self.categories.get(category, False)

    def action(self, type_: str, category: str) -> str:
        return self.actions.get(type_) or self.actions.get(category) or "pseudonymize"

    def part_allowed(self, kind: str) -> bool:
        return self.content_parts.get(kind, "refuse") == "allow"

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "<policy>") -> Policy:
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
            identifiers=data.get("identifiers", "proprietary"),
            internal_packages=tuple(data.get("internal_packages") or ()),
            route_local=dict(data.get("route_local") or {}),
        )


def _schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text())


def validate(data: Any, source: str) -> None:
    if not isinstance(data, dict):
        raise PolicyError(
            f"{source}: a policy must be a mapping of keys, not {type(data).__name__}"
        )
    errors = sorted(
        jsonschema.Draft202012Validator(_schema()).iter_errors(data),
        key=lambda e: list(e.absolute_path),
    )
    if errors:
        lines = []
        for e in errors:
            key = ".".join(str(p) for p in e.absolute_path) or "(top level)"
            lines.append(f"{source}: key '{key}': {e.message}")
        raise PolicyError("\n".join(lines))
    unknown = set(data.get("categories") or {}) - set(CATEGORIES)
    if unknown:
        raise PolicyError(f"{source}: key 'categories': unknown categories {sorted(unknown)}")


def load_policy(path: str | Path) -> Policy:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise PolicyError(f"{path}: cannot read the policy: {e.strerror}") from e
    except yaml.YAMLError as e:
        raise PolicyError(f"{path}: not valid YAML: {e}") from e
    return Policy.from_dict(data or {}, str(path))
