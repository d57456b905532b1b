"""Runs inside the sandbox: load one candidate program, run each test, print JSON results.

Reads ``{"program", "tests", "timeout", "marker"}`` on stdin. A test is either a ``block`` (code
with asserts, run after the program in its namespace) or an ``example`` (``input`` expression and
``expected`` text). Comparisons in blocks (``assert a == b``) are rewritten so a failure reports
the input, the expected and the actual value. The results follow ``marker`` on stdout.
Standard library only: it runs under whatever interpreter the sandbox has.
"""

import ast
import contextlib
import io
import json
import linecache
import signal
import sys
import traceback

FILENAME = "/tmp/work/main.py"
OUT_CAP = 4000


class TestTimeout(BaseException):
    pass


def _alarm(_sig, _frame):
    raise TestTimeout("the test ran past its time limit")


class _Fail(AssertionError):
    def __init__(self, source, expected, actual):
        super().__init__(f"{source} -> {actual!r}, expected {expected!r}")
        self.source, self.expected, self.actual = source, expected, actual


_Fail.__qualname__ = _Fail.__name__ = "AssertionError"
_Fail.__module__ = "builtins"


def _check_eq(actual, expected, source):
    if actual != expected:
        raise _Fail(source, expected, actual)
    return True


class _Rewrite(ast.NodeTransformer):
    def __init__(self, text):
        self.text = text

    def visit_Assert(self, node):
        t = node.test
        if (isinstance(t, ast.Compare) and len(t.ops) == 1 and isinstance(t.ops[0], ast.Eq)):
            src = ast.get_source_segment(self.text, t.left) or ast.unparse(t.left)
            call = ast.Call(
                func=ast.Name("__cv_check_eq", ast.Load()),
                args=[t.left, t.comparators[0], ast.Constant(src)],
                keywords=[],
            )
            node.test = call
            return ast.fix_missing_locations(node)
        return node


def _register(name, text):
    linecache.cache[name] = (len(text), None, text.splitlines(True), name)


def _tb(exc, keep):
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename in keep]
    lines = ["Traceback (most recent call last):\n"] if frames else []
    lines += traceback.format_list(frames)
    lines += traceback.format_exception_only(type(exc), exc)
    return "".join(lines)[-OUT_CAP:]


def _run(code, ns, timeout):
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        exec(code, ns)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def main():
    job = json.loads(sys.stdin.read())
    sys.stdin = io.StringIO("")
    real_out = sys.stdout
    marker, timeout = job["marker"], float(job.get("timeout", 5))
    signal.signal(signal.SIGALRM, _alarm)
    program = job["program"]
    _register(FILENAME, program)
    ns = {"__name__": "solution", "__cv_check_eq": _check_eq}
    res = {"load": {"ok": True}, "tests": []}
    buf = io.StringIO()
    try:
        with contextlib.redirect_stdout(buf):
            _run(compile(program, FILENAME, "exec"), ns, timeout)
    except TestTimeout:
        res["load"] = {"ok": False, "error": "TimeoutError: loading the program timed out"}
    except BaseException as e:
        res["load"] = {"ok": False, "error": _tb(e, {FILENAME})}
    res["load"]["stdout"] = buf.getvalue()[:OUT_CAP]
    for i, t in enumerate(job.get("tests", [])):
        out = {"id": t["id"], "ok": False}
        name = f"/tmp/work/test_{i}.py"
        buf = io.StringIO()
        if not res["load"]["ok"]:
            out.update(kind="exception", error=res["load"]["error"])
            res["tests"].append(out)
            continue
        try:
            with contextlib.redirect_stdout(buf):
                if t["kind"] == "example":
                    out["input"], out["expected"] = t["input"], t["expected"]
                    _register(name, t["input"])
                    signal.setitimer(signal.ITIMER_REAL, timeout)
                    try:
                        actual = eval(compile(t["input"], name, "eval"), ns)
                    finally:
                        signal.setitimer(signal.ITIMER_REAL, 0)
                    out["actual"] = repr(actual)
                    try:
                        want = ast.literal_eval(t["expected"])
                        ok = actual == want
                    except (ValueError, SyntaxError):
                        ok = repr(actual) == t["expected"] or str(actual) == t["expected"]
                    out["ok"] = bool(ok)
                    if not ok:
                        out["kind"] = "assert"
                else:
                    text = t["code"]
                    _register(name, text)
                    tree = _Rewrite(text).visit(ast.parse(text))
                    _run(compile(tree, name, "exec"), ns, timeout)
                    out["ok"] = True
        except TestTimeout:
            out.update(kind="timeout", error="TimeoutError: the test ran past its time limit")
        except _Fail as e:
            out.update(kind="assert", input=e.source, expected=repr(e.expected),
                       actual=repr(e.actual)[:OUT_CAP], error=_tb(e, {name}))
        except AssertionError as e:
            out.update(kind="assert", error=_tb(e, {name}))
        except BaseException as e:
            out.update(kind="exception", error=_tb(e, {FILENAME, name}))
        out["stdout"] = buf.getvalue()[:OUT_CAP]
        res["tests"].append(out)
    real_out.write("\n" + marker + json.dumps(res) + "\n")
    real_out.flush()


if __name__ == "__main__":
    main()
