"""The policy schema (``policies/schema.json``, package data) and the checks it cannot express."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from proxy.policy.issues import Issue, PolicyError, format_issues

REGEX_FLAGS = {"ignorecase": re.IGNORECASE, "multiline": re.MULTILINE, "dotall": re.DOTALL}


@lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    return json.loads(resources.files("policies").joinpath("schema.json").read_text())


def _key(path: Any) -> str:
    return ".".join(str(p) for p in path) or "(top level)"


def schema_issues(data: Any, source: str, locate: Any) -> list[Issue]:
    if not isinstance(data, dict):
        return [Issue(source, 1, "(top level)",
                      f"a policy must be a mapping of keys, not {type(data).__name__}")]
    out = []
    validator = jsonschema.Draft202012Validator(_schema())
    lean = _lean(data, _schema())
    for e in sorted(validator.iter_errors(lean), key=lambda e: [str(p) for p in e.path]):
        path = list(e.absolute_path)
        line = locate(path)
        if e.validator == "additionalProperties" and isinstance(e.instance, dict):
            known = set(e.schema.get("properties", {}))
            extra = [k for k in e.instance if k not in known]
            if extra:
                line = locate([*path, extra[0]], key=True)
        elif e.validator == "propertyNames":
            line = locate([*path, e.instance], key=True)
        out.append(Issue(source, line, _key(path), e.message))
    return out


def _lean(data: Any, schema: dict[str, Any]) -> Any:
    """``data`` with each long list of plain strings cut to its first item when every item
    passes the item schema: jsonschema walks a policy of 100,000 terms in milliseconds, not
    seconds. A list with a bad item stays whole, for jsonschema to report."""
    if isinstance(data, dict) and isinstance(schema.get("properties"), dict):
        props = schema["properties"]
        return {k: _lean(v, props[k]) if k in props else v for k, v in data.items()}
    items = schema.get("items")
    if isinstance(data, list) and isinstance(items, dict):
        if len(data) > 16 and _plain_strings(data, items):
            return data[:1]
        return [_lean(v, items) for v in data]
    return data


def _plain_strings(values: list[Any], items: dict[str, Any]) -> bool:
    """Every value passes ``items``, a schema of strings with at most a length and a pattern."""
    if items.get("type") != "string" or set(items) - {"type", "minLength", "pattern",
                                                      "description"}:
        return False
    least = items.get("minLength", 0)
    rx = re.compile(items["pattern"]) if "pattern" in items else None
    return all(isinstance(v, str) and len(v) >= least and (rx is None or rx.search(v))
               for v in values)


def semantic_issues(data: dict[str, Any], source: str, locate: Any) -> list[Issue]:
    """What the schema cannot say: regexes that compile, deny-list files that exist."""
    out = []
    base = Path(source).parent
    for i, r in enumerate(data.get("recognizers") or ()):
        if not isinstance(r, dict):
            continue
        where = ["recognizers", i]
        if isinstance(r.get("pattern"), str):
            flags = 0
            for f in r.get("flags") or ():
                flags |= REGEX_FLAGS.get(f, 0)
            try:
                rx = re.compile(r["pattern"], flags)
            except re.error as e:
                out.append(Issue(source, locate([*where, "pattern"]), _key([*where, "pattern"]),
                                 f"the regex does not compile: {e}"))
            else:
                group = r.get("group")
                if group is not None and not (
                    (isinstance(group, int) and 0 <= group <= rx.groups)
                    or (isinstance(group, str) and group in rx.groupindex)
                ):
                    out.append(Issue(source, locate([*where, "group"]), _key([*where, "group"]),
                                     f"the pattern has no group {group!r}"))
            if rx_matches_empty(r["pattern"], flags):
                out.append(Issue(source, locate([*where, "pattern"]), _key([*where, "pattern"]),
                                 "the regex matches the empty string"))
        dl = r.get("deny_list_file")
        if isinstance(dl, str) and not (base / dl).is_file():
            out.append(Issue(source, locate([*where, "deny_list_file"]),
                             _key([*where, "deny_list_file"]), f"no such file: {base / dl}"))
    return out


def rx_matches_empty(pattern: str, flags: int = 0) -> bool:
    try:
        return re.fullmatch(pattern, "", flags) is not None
    except re.error:
        return False


def validate(data: Any, source: str) -> None:
    """Schema and semantic checks of already-parsed policy data (no line numbers)."""
    issues = schema_issues(data, source, lambda path, key=False: 0)
    if not issues:
        issues = semantic_issues(data, source, lambda path, key=False: 0)
    if issues:
        raise PolicyError(format_issues(issues), issues)
