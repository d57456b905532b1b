"""The security team's policy: what is detected and what happens to each finding.

Loaded from YAML and validated against ``policies/schema.json`` at start-up; every error names
the file, the line, the key and what is wrong, and the gateway does not start with a policy it
cannot read. A policy may ``extends: base.yaml`` (a path relative to the file): lists extend the
base's lists, mappings override the base's keys one by one, other values replace the base's.

The decision for one finding (:meth:`Policy.decide`), in order:

1. ``types: {TYPE: false}`` turns a type off (``categories`` turns a whole category off);
2. ``thresholds: {TYPE or category: 0.8}``: a finding scored below is ignored;
3. ``actions: {TYPE or category: ...}`` (a type overrides its category; default pseudonymize):
   pseudonymize (a realistic dummy, restored in the answer), redact (a ``[TYPE]`` marker),
   block (refuse the request), monitor (record the finding, change nothing), allow (ignore);
4. ``restore: {TYPE or category: false}``: the dummy stays in the answer (e.g. secrets).

Values on the ``allow`` list are never touched, whatever a recognizer says.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "policies" / "schema.json"
ACTIONS = ("pseudonymize", "redact", "block", "monitor", "allow")
# Outcomes of a finding that the veil drops before any action: type off, score too low.
IGNORED = ("off", "below_threshold")
REGEX_FLAGS = {"ignorecase": re.IGNORECASE, "multiline": re.MULTILINE, "dotall": re.DOTALL}
_VALIDATE = re.compile(r"^(luhn|iban|entropy>=(\d+(\.\d+)?))$")


@dataclass(frozen=True)
class Issue:
    """One problem of a policy file, where it is."""

    file: str
    line: int
    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.key}: {self.message}"


class PolicyError(ValueError):
    """A policy file that cannot be used; the message names the file, line and key."""

    def __init__(self, message: str, issues: list[Issue] | None = None) -> None:
        super().__init__(message)
        self.issues = issues or []


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
    identifiers: str = "proprietary"
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
        return self.content_parts.get(kind, "refuse") == "allow"

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
            identifiers=data.get("identifiers", "proprietary"),
            internal_packages=tuple(data.get("internal_packages") or ()),
            route_local=dict(data.get("route_local") or {}),
            types=dict(data.get("types") or {}),
            thresholds={k: float(v) for k, v in (data.get("thresholds") or {}).items()},
            restore=dict(data.get("restore") or {}),
            recognizers=tuple(dict(r) for r in data.get("recognizers") or ()),
            source=source if source != "<policy>" else "",
            files=files,
        )


@lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text())


def _key(path: Any) -> str:
    return ".".join(str(p) for p in path) or "(top level)"


def _schema_issues(data: Any, source: str, locate: Any) -> list[Issue]:
    if not isinstance(data, dict):
        return [Issue(source, 1, "(top level)",
                      f"a policy must be a mapping of keys, not {type(data).__name__}")]
    out = []
    validator = jsonschema.Draft202012Validator(_schema())
    for e in sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.path]):
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


def _semantic_issues(data: dict[str, Any], source: str, locate: Any) -> list[Issue]:
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
    issues = _schema_issues(data, source, lambda path, key=False: 0)
    if not issues:
        issues = _semantic_issues(data, source, lambda path, key=False: 0)
    if issues:
        raise PolicyError(_message(issues), issues)


def _message(issues: list[Issue]) -> str:
    return "\n".join(
        f"{i.file}:{i.line}: key '{i.key}': {i.message}" if i.line
        else f"{i.file}: key '{i.key}': {i.message}"
        for i in issues
    )


# -- reading files, with line numbers and `extends` --------------------------------------------


def _locator(root: yaml.Node | None) -> Any:
    """path -> 1-based line of that key's value (or of the key itself) in the YAML node tree."""

    def locate(path: list[Any], key: bool = False) -> int:
        node = root
        if node is None:
            return 1
        line = node.start_mark.line + 1
        for i, part in enumerate(path):
            last = i == len(path) - 1  # a key's own line, also when its value starts below
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if k.value == str(part):
                        line = (v if not last and isinstance(v, yaml.ScalarNode) else k)
                        line = line.start_mark.line + 1
                        node = v
                        break
                else:
                    return line
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                if part >= len(node.value):
                    return line
                node = node.value[part]
                line = node.start_mark.line + 1
            else:
                return line
        return line

    return locate


def _merge(base: Any, child: Any) -> Any:
    if isinstance(base, dict) and isinstance(child, dict):
        out = dict(base)
        for k, v in child.items():
            if k == "recognizers" and isinstance(v, list) and isinstance(out.get(k), list):
                # Merged by name: a child recognizer of the same name replaces the base's.
                names = {r.get("name") for r in v if isinstance(r, dict)}
                out[k] = [r for r in out[k] if r.get("name") not in names] + v
            else:
                out[k] = _merge(out[k], v) if k in out else v
        return out
    if isinstance(base, list) and isinstance(child, list):
        return base + [v for v in child if v not in base]
    return child


def _read(path: Path, chain: tuple[Path, ...]) -> tuple[dict[str, Any], list[Issue], list[str]]:
    """A policy file's data merged over its bases; issues of every file; the files read."""
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        return {}, [Issue(source, 0, "(file)", f"cannot read the policy: {e.strerror}")], []
    files = [source]
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(e, "problem", None) or str(e)
        return {}, [Issue(source, line, "(yaml)", f"not valid YAML: {problem}")], files
    data = {} if data is None else data
    locate = _locator(root)
    issues = _schema_issues(data, source, locate)
    if issues:
        return {}, issues, files
    issues = _semantic_issues(data, source, locate)
    # Deny lists from files are read now, relative to the file that names them.
    recognizers = []
    for r in data.get("recognizers") or ():
        r = dict(r)
        name = r.pop("deny_list_file", None)
        if name is not None and (path.parent / name).is_file():
            list_path = path.parent / name
            files.append(str(list_path))
            words = [w.strip() for w in list_path.read_text(encoding="utf-8").splitlines()]
            r["deny_list"] = list(r.get("deny_list") or ()) + [
                w for w in words if w and not w.startswith("#")
            ]
        recognizers.append(r)
    if "recognizers" in data:
        data["recognizers"] = recognizers
    parent = data.pop("extends", None)
    if parent is not None:
        base_path = (path.parent / parent).resolve()
        line = locate(["extends"])
        if base_path in chain or base_path == path.resolve():
            issues.append(Issue(source, line, "extends", f"circular extends: {base_path}"))
        elif not base_path.is_file():
            issues.append(Issue(source, line, "extends", f"no such policy file: {base_path}"))
        else:
            base, base_issues, base_files = _read(base_path, (*chain, path.resolve()))
            issues += base_issues
            files += [f for f in base_files if f not in files]
            if not base_issues:
                base.pop("name", None)  # the child is its own policy, named after its file
                base.pop("description", None)
                data = _merge(base, data)
    return data, issues, files


def check_policy(path: str | Path) -> list[Issue]:
    """Every problem of a policy file and the files it extends (empty: it is valid)."""
    path = Path(path)
    data, issues, files = _read(path, ())
    if issues:
        return issues
    try:
        Policy.from_dict(data, str(path), tuple(files))
    except PolicyError as e:
        return e.issues or [Issue(str(path), 0, "(policy)", str(e))]
    return []


def load_policy(path: str | Path) -> Policy:
    path = Path(path)
    data, issues, files = _read(path, ())
    if issues:
        raise PolicyError(_message(issues), issues)
    return Policy.from_dict(data, str(path), tuple(files))
