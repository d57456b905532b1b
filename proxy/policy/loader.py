"""Reading policy files: YAML with line numbers for every error, and ``extends``."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from proxy.policy.issues import Issue, PolicyError, format_issues
from proxy.policy.model import Policy
from proxy.policy.schema import schema_issues, semantic_issues


def _load(text: str) -> Any:
    """The document; libyaml's loader where PyYAML has it (100,000 terms parse in a second,
    not ten), and the pure-Python one for a bad file, whose messages the issues quote."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return yaml.load(text, Loader=fast)
        except yaml.YAMLError:
            pass
    return yaml.safe_load(text)


def _locator(text: str) -> Any:
    """path -> 1-based line of that key's value (or of the key itself) in the YAML node tree.
    The tree is composed when the first issue asks: a valid policy never pays for it."""
    tree: list[yaml.Node | None] = []

    def locate(path: list[Any], key: bool = False) -> int:
        if not tree:
            tree.append(yaml.compose(text, Loader=yaml.SafeLoader))
        node = tree[0]
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
        # a set for the strings of term and allow lists: thousands each side, no n*m scan
        seen = {v for v in base if isinstance(v, str)}
        return base + [v for v in child
                       if (v not in seen if isinstance(v, str) else v not in base)]
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
        data = _load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(e, "problem", None) or str(e)
        return {}, [Issue(source, line, "(yaml)", f"not valid YAML: {problem}")], files
    data = {} if data is None else data
    locate = _locator(text)
    issues = schema_issues(data, source, locate)
    if issues:
        return {}, issues, files
    issues = semantic_issues(data, source, locate)
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
        if base_path in chain or base_path == path.resolve():
            issues.append(Issue(source, locate(["extends"]), "extends",
                                f"circular extends: {base_path}"))
        elif not base_path.is_file():
            issues.append(Issue(source, locate(["extends"]), "extends",
                                f"no such policy file: {base_path}"))
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
        raise PolicyError(format_issues(issues), issues)
    return Policy.from_dict(data, str(path), tuple(files))


def default_policy_path() -> Path:
    """The default policy shipped with CodeVeil (``policies/default.yaml``, package data).

    A path, not a resource: policies are read by path, and ``extends`` is relative to the file.
    """
    return Path(str(resources.files("policies").joinpath("default.yaml")))
