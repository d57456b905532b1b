"""Segmentation of prompts: prose, fenced and inline code, tracebacks, logs, diffs, sessions."""

from __future__ import annotations

import itertools

import pytest

from recognizers.code.languages import normalize_language
from recognizers.segment import guess_language, segment


def kinds(text: str) -> list[tuple[str, str | None, str]]:
    return [(s.kind, s.language, text[s.start:s.end]) for s in segment(text)
            if s.kind != "prose"]


def check_cover(text: str) -> None:
    segs = segment(text)
    assert segs[0].start == 0 and segs[-1].end == len(text)
    for a, b in itertools.pairwise(segs):
        assert a.end == b.start


@pytest.mark.parametrize(("tag", "lang"), [
    ("py", "python"), ("python3", "python"), ("js", "javascript"), ("jsx", "javascript"),
    ("ts", "typescript"), ("tsx", "tsx"), ("sh", "shell"), ("bash", "shell"), ("zsh", "shell"),
    ("console", "shell"), ("yml", "yaml"), ("golang", "go"), ("Java", "java"),
    ("main.go", "go"), ("python title=x.py", "python"),
])
def test_normalize_language(tag: str, lang: str) -> None:
    assert normalize_language(tag) == lang


def test_fenced_with_tag_body_only() -> None:
    text = "Look:\n\n```py\nx = 1\nprint(x)\n```\n\nthanks"
    check_cover(text)
    assert kinds(text) == [("code", "python", "x = 1\nprint(x)\n")]


def test_tilde_fence_and_unclosed_fence() -> None:
    text = "a\n~~~go\npackage main\n~~~\nb\n```ts\nconst x: number = 1;\n"
    check_cover(text)
    got = kinds(text)
    assert got[0] == ("code", "go", "package main\n")
    assert got[1][:2] == ("code", "typescript")


@pytest.mark.parametrize(("code", "lang"), [
    ("def f(x):\n    return x + 1\n", "python"),
    ("import os\nprint(os.getcwd())\n", "python"),
    ("package main\n\nfunc main() {\n\tx := 1\n\tfmt.Println(x)\n}\n", "go"),
    ("public class A {\n  public static void main(String[] args) {}\n}\n", "java"),
    ("const x = require('y');\nmodule.exports = () => x;\n", "javascript"),
    ("interface P { a: string }\nexport type Q = P & { b: number };\n", "typescript"),
    ("SELECT id, name\nFROM users\nWHERE id = 1;\n", "sql"),
    ("FROM python:3.12\nRUN pip install x\nCMD [\"x\"]\n", "dockerfile"),
    ('{\n  "a": 1,\n  "b": [1, 2]\n}\n', "json"),
    ("services:\n  web:\n    image: nginx\n    ports:\n      - 80:80\n", "yaml"),
    ("# app/settings.py\nDEBUG = False\n", "python"),
    ("use std::sync::Arc;\n\npub fn total(xs: &[u32]) -> Option<u32> {\n    let mut n = 0;\n"
     "    Some(n)\n}\n", "rust"),
    ("#include <stdio.h>\n#include <stdlib.h>\n\nint main(void) {\n  char *p = malloc(4);\n"
     "  free(p);\n  return 0;\n}\n", "c"),
    ("#include <vector>\n\nnamespace app {\nclass Box {\n public:\n  int size() const;\n};\n"
     "}\nint Box::size() const { return std::vector<int>().size(); }\n", "cpp"),
    ("using System;\n\nnamespace App.Core\n{\n    /// <summary>A box.</summary>\n"
     "    public partial class Box : Base\n    {\n        public string Name { get; set; }\n"
     "        internal Box(int n) : base(n) { }\n    }\n}\n", "csharp"),
])
def test_guess_language(code: str, lang: str) -> None:
    assert guess_language(code) == lang


def test_python_with_doctest_arrows_is_python() -> None:
    # a docstring's examples write "=>" (JavaScript's arrow): the comprehension and the
    # docstring still say Python, and the bare message is segmented as Python code
    code = ('\ndef even_digits(a, b):\n    """\n    Even digits between a and b.\n\n'
            '    even_digits(2, 8) => [2, 4, 6, 8]\n    even_digits(8, 2) => [2, 4, 6, 8]\n'
            '    even_digits(10, 14) => []\n    """\n    lo, hi = min(a, b), max(a, b)\n'
            '    return [i for i in range(lo, hi + 1) if i % 2 == 0]\n')
    assert guess_language(code) == "python"
    assert [s.language for s in segment(code) if s.kind == "code"] == ["python"]


def test_untagged_fence_guessed() -> None:
    text = "```\ndef f(a):\n    return a\n```"
    assert kinds(text) == [("code", "python", "def f(a):\n    return a\n")]


def test_inline_code() -> None:
    text = "Call `fetch_pending(limit=5)` and then ``a `b` c``."
    check_cover(text)
    got = kinds(text)
    assert got == [("inline_code", None, "fetch_pending(limit=5)"),
                   ("inline_code", None, "a `b` c")]


def test_python_traceback_in_prose() -> None:
    text = ("It fails:\n\nTraceback (most recent call last):\n"
            '  File "/home/u/src/app/main.py", line 3, in <module>\n'
            "    main()\n"
            "ValueError: bad\n\nAny idea?")
    check_cover(text)
    got = kinds(text)
    assert got[0][0:2] == ("traceback", "python")
    assert got[0][2].startswith("Traceback") and "ValueError: bad" in got[0][2]


def test_java_and_js_stack_traces() -> None:
    java = ("```\njava.lang.IllegalStateException: boom\n"
            "\tat com.acme.Foo.bar(Foo.java:10)\n"
            "\tat java.base/java.lang.Thread.run(Thread.java:1)\n"
            "```")
    assert [k[:2] for k in kinds(java)] == [("traceback", "java")]
    js = ("TypeError: x is undefined\n    at load (/app/src/store.js:10:5)\n"
          "    at process (node:internal/process:1:1)\n")
    assert [k[:2] for k in kinds(js)] == [("traceback", "javascript")]


def test_go_panic() -> None:
    text = ("panic: runtime error: index out of range\n\ngoroutine 1 [running]:\n"
            "main.load(...)\n\t/home/u/src/app/main.go:12 +0x1d\n")
    got = kinds(text)
    assert got and got[0][:2] == ("traceback", "go")


def test_unified_diff() -> None:
    text = ("Review this:\n\n```diff\n--- a/app/x.py\n+++ b/app/x.py\n@@ -1,2 +1,2 @@\n-x = 1\n"
            "+x = 2\n```\n")
    got = kinds(text)
    assert got[0][:2] == ("diff", "python")
    unfenced = "diff --git a/x.go b/x.go\n--- a/x.go\n+++ b/x.go\n@@ -1 +1 @@\n-a\n+b\n"
    assert kinds(unfenced)[0][:2] == ("diff", "go")


def test_shell_session() -> None:
    text = ("```console\nuser@laptop:~/src$ curl -s https://example.com\n200\n"
            "$ echo done\ndone\n```")
    got = kinds(text)
    assert got[0][:2] == ("shell", "shell")


def test_logs() -> None:
    text = ("```\n2024-06-18 03:12:44.918 ERROR 1 --- [main] a.b.C : failed\n"
            "2024-06-18 03:12:45.002 INFO 1 --- [main] a.b.C : restarting\n```")
    assert [k[:2] for k in kinds(text)] == [("log", None)]


def test_indented_code_block() -> None:
    text = "Here:\n\n    def f(x):\n        return x * 2\n    print(f(2))\n\nDone."
    got = kinds(text)
    assert got[0][:2] == ("code", "python")


def test_whole_message_is_code() -> None:
    text = "import os\n\n\ndef main():\n    print(os.getcwd())\n\n\nmain()\n"
    assert kinds(text) == [("code", "python", text)]
    prose = "This is a question.\nIt spans two lines, but it is plain English.\n"
    assert kinds(prose) == []


def test_prose_only_and_empty() -> None:
    assert segment("") == []
    assert [s.kind for s in segment("hello world")] == ["prose"]


PY_FILE_WITH_FENCES = '''"""
store.auth
~~~~~~~~~~

Signing of requests.
"""
import hmac


def sign(key: bytes, body: bytes) -> str:
    """Sign a body.

    ```python
    >>> sign(b"k", b"x")
    ```
    """
    return hmac.new(key, body, "sha256").hexdigest()
'''


def test_a_bare_source_file_whose_docstrings_hold_fences_is_one_code_segment() -> None:
    # the ``` of a docstring's example and an rst ~~~ underline are not markdown fences when
    # the whole message parses as one language
    assert [(s.kind, s.language) for s in segment(PY_FILE_WITH_FENCES)] == [("code", "python")]


def test_prose_around_a_fenced_block_is_still_prose() -> None:
    text = "# Signing\n\nHere is the code:\n\n```python\nimport hmac\n```\n\nIs it right?\n"
    check_cover(text)
    assert kinds(text) == [("code", "python", "import hmac\n")]
