"""The layout stays readable: imports flow one way, and no module outgrows one concern.

Every import is counted, including those inside functions and under ``TYPE_CHECKING``: a circle
that only type checkers see still means two modules that cannot be read apart.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("proxy", "recognizers", "policies")
MAX_LINES = 600


def modules() -> dict[str, Path]:
    out = {}
    for top in PACKAGES:
        for path in (REPO / top).rglob("*.py"):
            rel = path.relative_to(REPO).with_suffix("")
            parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
            out[".".join(parts)] = path
    return out


def imports() -> dict[str, set[str]]:
    """Module → the project modules it imports (the longest module name each import names)."""
    mods = modules()

    def resolve(name: str) -> str | None:
        while name and name not in mods:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in mods.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package
                    for _ in range(node.level - 1):
                        up = up.rpartition(".")[0]
                    base = f"{up}.{base}" if base else up
                targets = [base, *(f"{base}.{a.name}" for a in node.names)]
            else:
                continue
            for target in targets:
                found = resolve(target)
                if found and found != name and not name.startswith(found + "."):
                    graph[name].add(found)
    return graph


def layer(module: str) -> str:
    """``proxy.wire.chat`` → ``proxy.wire``; ``recognizers.secrets.tokens`` → ``recognizers``."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "proxy" and len(parts) > 1 else parts[0]


def assert_acyclic(graph: dict[str, set[str]], what: str) -> None:
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as err:
        raise AssertionError(f"import circle between {what}: {err.args[1]}") from None


def test_no_module_imports_in_a_circle():
    assert_acyclic(imports(), "modules")


def test_packages_are_layered():
    """wire → veil → recognizers, server → loop → upstream...: never back up."""
    graph: dict[str, set[str]] = defaultdict(set)
    for module, targets in imports().items():
        for target in targets:
            if layer(target) != layer(module):
                graph[layer(module)].add(layer(target))
    assert_acyclic(graph, "packages")
    # Detection knows nothing of the gateway; the product knows nothing of its test doubles.
    assert not {t for t in graph["recognizers"] if t.startswith("proxy")}
    for product in ("proxy.wire", "proxy.veil", "proxy.policy", "proxy.upstream",
                    "proxy.audit", "proxy.loop", "proxy.server"):
        assert "proxy.testing" not in graph[product], product


def test_no_module_over_the_limit():
    long = {str(p.relative_to(REPO)): n for p in modules().values()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"split these by concern: {long}"
