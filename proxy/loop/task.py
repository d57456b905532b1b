"""What a task is made of: the description, the user's tests, I/O examples, the language."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

FENCE = re.compile(r"```([\w+.#-]*)[^\n]*\n(.*?)```", re.S)
DOCTEST = re.compile(r"^[ \t]*>>> (.+)\n[ \t]*(?!>>>|\"\"\"|\'\'\')(\S.*)$", re.M)
ARROW = re.compile(
    r"^[ \t]*(?:[-*][ \t]+)?`?([A-Za-z_]\w*\(.*\))`?[ \t]*(?:->|=>|==)[ \t]*`?(.+?)`?[ \t]*$",
    re.M,
)
DEF = re.compile(r"^[ \t]*def ([A-Za-z_]\w*)\s*\(", re.M)


@dataclass
class Task:
    text: str  # the whole description as the user wrote it
    language: str = "python"
    tests: list[str] = field(default_factory=list)  # the user's test blocks (code with asserts)
    examples: list[tuple[str, str]] = field(default_factory=list)  # (input expr, expected)
    entry_point: str | None = None

    def test_specs(self) -> list[dict]:
        specs = [{"id": f"user{i}", "kind": "block", "code": t, "source": "user"}
                 for i, t in enumerate(self.tests)]
        specs += [{"id": f"ex{i}", "kind": "example", "input": a, "expected": b,
                   "source": "example"} for i, (a, b) in enumerate(self.examples)]
        return specs


def has_assert(code: str) -> bool:
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return bool(re.search(r"^\s*assert\b", code, re.M))
    return any(isinstance(n, ast.Assert) for n in ast.walk(tree))


def _valid_expr(text: str) -> bool:
    try:
        ast.parse(text, mode="eval")
    except SyntaxError:
        return False
    return True


def parse_task(text: str, language: str | None = None) -> Task:
    tests: list[str] = []
    fences: list[str] = []
    for m in FENCE.finditer(text):
        lang, code = m.group(1).lower(), m.group(2)
        if lang:
            fences.append(lang)
        if has_assert(code):
            tests.append(code)
    lang = language or next((f for f in fences if f not in ("text", "console")), None) or "python"
    if lang in ("py", "python3"):
        lang = "python"
    examples: list[tuple[str, str]] = []
    for m in DOCTEST.finditer(text):
        expr = m.group(1).strip()
        expected = m.group(2).strip()
        if _valid_expr(expr) and expected:
            examples.append((expr, expected))
    prose = FENCE.sub("", text)
    for m in ARROW.finditer(prose):
        expr, expected = m.group(1).strip(), m.group(2).strip()
        if _valid_expr(expr):
            examples.append((expr, expected))
    no_tests = FENCE.sub(lambda m: "" if has_assert(m.group(2)) else m.group(0), text)
    defs = DEF.findall(no_tests)
    entry = defs[-1] if defs else None
    if entry is None:
        called = re.findall(r"\b([A-Za-z_]\w*)\(", " ".join(e for e, _ in examples))
        entry = called[0] if called else None
    return Task(text=text, language=lang, tests=tests, examples=examples, entry_point=entry)


def extract_code(answer: str, language: str = "python") -> str | None:
    """The program in a model's answer: the longest fenced block, or the whole answer if it
    parses as code."""
    blocks = [m.group(2) for m in FENCE.finditer(answer)
              if m.group(1).lower() in ("", language, "py", "python3")]
    if blocks:
        return max(blocks, key=len)
    if language == "python":
        try:
            ast.parse(answer)
        except SyntaxError:
            return None
        return answer
    return None


def extract_asserts(answer: str, limit: int = 20) -> list[str]:
    """Single assert statements from a model's test-generation answer."""
    out: list[str] = []
    for code in [m.group(2) for m in FENCE.finditer(answer)] or [answer]:
        try:
            tree = ast.parse(code)
        except SyntaxError:
            lines = [ln.strip() for ln in code.splitlines() if ln.strip().startswith("assert ")]
            out += [ln for ln in lines if _valid_stmt(ln)]
            continue
        out += [ast.get_source_segment(code, n) or ast.unparse(n)
                for n in tree.body if isinstance(n, ast.Assert)]
    seen: dict[str, None] = {}
    for a in out:
        seen.setdefault(a, None)
    return list(seen)[:limit]


def _valid_stmt(line: str) -> bool:
    try:
        ast.parse(line)
    except SyntaxError:
        return False
    return True
