"""Runs inside the sandbox: one candidate program against its tests; prints JSON results.

Reads ``{"program", "tests", "timeout", "marker"}`` on stdin. A test is either a ``block`` (code
with asserts, run in the program's namespace) or an ``example`` (``input`` expression and
``expected`` text). Comparisons in blocks (``assert a == b``) are rewritten so a failure reports
the input, the expected and the actual value. The results follow ``marker`` on stdout.

Two processes, so the candidate cannot forge the verdict: this one (trusted) never runs
candidate code. It marks itself non-dumpable (no reading its memory or file descriptors through
``/proc``), then starts a worker (``--worker``, a fresh interpreter with pipes of its own) that
loads the program. The tests run here, with each function the program defines replaced by a
stand-in that sends the call's arguments to the worker and gets the result back as plain data
(None, bool, int, float, str, list, tuple, dict, set, frozenset; anything else fails the test).
Comparisons run here on values decoded here; only this process writes to stdout. A test that
runs past its time kills the worker, which is restarted for the next test.
Standard library only: it runs under whatever interpreter the sandbox has.
"""

import ast
import builtins
import contextlib
import io
import json
import linecache
import os
import signal
import subprocess
import sys
import traceback

FILENAME = "/tmp/work/main.py"
OUT_CAP = 4000
LINE_CAP = 64 * 1024 * 1024
TAGS = {"l": list, "t": tuple, "s": set, "f": frozenset}


class TestTimeout(BaseException):
    pass


class NotPlain(TypeError):
    pass


class WorkerGone(Exception):
    pass


def _alarm(_sig, _frame):
    raise TestTimeout("the test ran past its time limit")


# -- plain data --------------------------------------------------------------------------------


def encode(v):
    """Plain data as JSON-able values: scalars as they are, containers tagged by type."""
    t = type(v)
    if v is None or t in (bool, int, float, str):
        return v
    for tag, kind in TAGS.items():
        if t is kind:
            return {tag: [encode(x) for x in v]}
    if t is dict:
        return {"d": [[encode(k), encode(x)] for k, x in v.items()]}
    raise NotPlain(f"a {t.__name__} is not plain data")


def decode(v):
    t = type(v)
    if v is None or t in (bool, int, float, str):
        return v
    if t is dict and len(v) == 1:
        (tag, items), = v.items()
        if type(items) is list:
            if tag in TAGS:
                return TAGS[tag](decode(x) for x in items)
            if tag == "d" and all(type(p) is list and len(p) == 2 for p in items):
                return {decode(k): decode(x) for k, x in items}
    raise NotPlain("not plain data")


# -- the worker: runs the candidate ------------------------------------------------------------


def _tb_frames(exc, keep):
    return [f for f in traceback.extract_tb(exc.__traceback__) if f.filename in keep]


def _exc_reply(e):
    return {"ok": False, "type": type(e).__name__,
            "message": str(e)[:OUT_CAP] if not isinstance(e, RecursionError) else "",
            "frames": "".join(traceback.format_list(_tb_frames(e, {FILENAME})))[-OUT_CAP:],
            "only": "".join(traceback.format_exception_only(type(e), e))[-OUT_CAP:]}


def worker():
    # the protocol keeps private copies; stray writes to fd 1 land on stderr
    rx, tx = os.fdopen(os.dup(0), "rb"), os.fdopen(os.dup(1), "wb")
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(2, 1)
    sys.stdin = io.StringIO("")
    ns = {"__name__": "solution"}
    while line := rx.readline():
        msg = json.loads(line)
        buf = io.StringIO()
        try:
            with contextlib.redirect_stdout(buf):
                if msg["op"] == "load":
                    linecache.cache[FILENAME] = (len(msg["program"]), None,
                                                 msg["program"].splitlines(True), FILENAME)
                    exec(compile(msg["program"], FILENAME, "exec"), ns)
                    reply = {"ok": True, "calls": [], "values": {}}
                    for k, v in list(ns.items()):
                        if k.startswith("__"):
                            continue
                        if callable(v):
                            reply["calls"].append(k)
                        else:
                            with contextlib.suppress(Exception):
                                reply["values"][k] = encode(v)
                else:
                    value = ns[msg["name"]](*decode(msg["args"]), **decode(msg["kwargs"]))
                    try:
                        reply = {"ok": True, "value": encode(value)}
                    except (NotPlain, RecursionError) as e:
                        reply = {"ok": False, "plain": str(e)}
        except BaseException as e:
            reply = _exc_reply(e)
        reply["stdout"] = buf.getvalue()[:OUT_CAP]
        tx.write(json.dumps(reply).encode() + b"\n")
        tx.flush()


# -- the harness: runs the tests ---------------------------------------------------------------


class Worker:
    def __init__(self, program):
        self.out = []
        self.proc = subprocess.Popen(
            [sys.executable, "-I", "-B", os.path.abspath(__file__), "--worker"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True)
        self.loaded = self.ask({"op": "load", "program": program})

    def ask(self, msg):
        try:
            self.proc.stdin.write(json.dumps(msg).encode() + b"\n")
            self.proc.stdin.flush()
            line = self.proc.stdout.readline(LINE_CAP)
        except (BrokenPipeError, ConnectionResetError):
            line = b""
        if not line.endswith(b"\n"):
            self.stop()
            raise WorkerGone(f"the program's process died (exit status {self.proc.returncode})")
        reply = json.loads(line)
        if type(reply) is not dict or type(reply.get("stdout")) is not str:
            raise WorkerGone("the program's process broke the harness protocol")
        self.out.append(reply["stdout"])
        return reply

    def stop(self):
        with contextlib.suppress(ProcessLookupError):
            self.proc.kill()
        self.proc.wait()

    def take_output(self):
        text, self.out = "".join(self.out)[:OUT_CAP], []
        return text


def _text(reply, key):
    v = reply.get(key, "")
    return v if type(v) is str else ""


def _remote_error(reply):
    """The candidate's exception, rebuilt here as a builtin type where one has that name."""
    if "plain" in reply:
        e = TypeError("the function returned something that is not plain data (" +
                      _text(reply, "plain") + "); return None, bool, int, float, str, list, "
                      "tuple, dict, set or frozenset")
        e.cv_remote = ("", "TypeError: " + str(e) + "\n")
        return e
    name, message = _text(reply, "type"), _text(reply, "message")
    cls = getattr(builtins, name, None)
    e = None
    if (isinstance(cls, type) and issubclass(cls, Exception)
            and not issubclass(cls, (TestTimeout, WorkerGone))):
        with contextlib.suppress(Exception):
            e = cls(message)
    if e is None:
        e = RuntimeError(f"{name}: {message}")
    e.cv_remote = (_text(reply, "frames"), _text(reply, "only"))
    return e


def _stand_in(state, name):
    def call(*args, **kwargs):
        try:
            msg = {"op": "call", "name": name, "args": encode(list(args)),
                   "kwargs": encode(kwargs)}
        except NotPlain as e:
            raise TypeError(f"{name}: an argument is not plain data ({e})") from None
        reply = state["worker"].ask(msg)
        if reply.get("ok") is True and "value" in reply:
            return decode(reply["value"])
        raise _remote_error(reply)

    call.__name__ = call.__qualname__ = name
    return call


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
    frames = _tb_frames(exc, keep)
    remote, only = getattr(exc, "cv_remote", ("", None))
    lines = ["Traceback (most recent call last):\n"] if frames or remote else []
    lines += [*traceback.format_list(frames), remote]
    lines += [only] if only is not None else traceback.format_exception_only(type(exc), exc)
    return "".join(lines)[-OUT_CAP:]


def _undumpable():
    """No process of the same uid may read this one's memory or descriptors through /proc."""
    import ctypes

    if ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0) != 0:  # PR_SET_DUMPABLE, 0
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE) failed")


def _load(program, timeout):
    """A fresh worker with the program loaded, and the namespace the tests run in."""
    signal.setitimer(signal.ITIMER_REAL, timeout)
    w = None
    try:
        w = Worker(program)
        reply = w.loaded
    except TestTimeout:
        reply = {"ok": False, "only": "TimeoutError: loading the program timed out"}
    except (WorkerGone, ValueError, RecursionError) as e:
        reply = {"ok": False, "only": str(e)}
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    if reply.get("ok") is not True:
        if w:
            w.stop()
        frames, only = _text(reply, "frames"), _text(reply, "only")
        head = "Traceback (most recent call last):\n" if frames else ""
        return w, None, {"ok": False, "error": (head + frames + only)[-OUT_CAP:]}
    state = {"worker": w}
    ns = {"__name__": "__cv_tests__", "__cv_check_eq": _check_eq}
    calls, values = reply.get("calls"), reply.get("values")
    for k in calls if type(calls) is list else []:
        if type(k) is str:
            ns[k] = _stand_in(state, k)
    for k, v in (values.items() if type(values) is dict else ()):
        with contextlib.suppress(NotPlain, TypeError, RecursionError):
            ns[k] = decode(v)
    return w, ns, {"ok": True}


def _test(t, i, ns, timeout):
    out = {"id": t["id"], "ok": False}
    name = f"/tmp/work/test_{i}.py"
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        if t["kind"] == "example":
            out["input"], out["expected"] = t["input"], t["expected"]
            _register(name, t["input"])
            actual = eval(compile(t["input"], name, "eval"), ns)
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
            exec(compile(tree, name, "exec"), ns)
            out["ok"] = True
    except TestTimeout:
        out.update(kind="timeout", error="TimeoutError: the test ran past its time limit")
    except _Fail as e:
        out.update(kind="assert", input=e.source, expected=repr(e.expected),
                   actual=repr(e.actual)[:OUT_CAP], error=_tb(e, {name}))
    except AssertionError as e:
        out.update(kind="assert", error=_tb(e, {name}))
    except BaseException as e:
        out.update(kind="exception", error=_tb(e, {name}))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return out


def main():
    job = json.loads(sys.stdin.read())
    real_out = sys.stdout
    marker, timeout = job["marker"], float(job.get("timeout", 5))
    signal.signal(signal.SIGALRM, _alarm)
    res = {"load": {"ok": False, "error": "", "stdout": ""}, "tests": []}
    try:
        _undumpable()
        worker, ns, res["load"] = _load(job["program"], timeout)
    except OSError as e:
        worker, ns = None, None
        res["load"] = {"ok": False, "error": f"the harness could not isolate itself: {e}"}
    res["load"]["stdout"] = worker.take_output() if worker else ""
    for i, t in enumerate(job.get("tests", [])):
        if not res["load"]["ok"]:
            res["tests"].append({"id": t["id"], "ok": False, "kind": "exception",
                                 "error": res["load"]["error"]})
            continue
        if worker.proc.poll() is not None:  # killed or dead after the last test: start afresh
            worker, ns, loaded = _load(job["program"], timeout)
            if not loaded["ok"]:
                res["tests"].append({"id": t["id"], "ok": False, "kind": "exception",
                                     "error": loaded["error"]})
                continue
        out = _test(t, i, ns, timeout)
        if out.get("kind") == "timeout":
            worker.stop()
        out["stdout"] = worker.take_output()
        res["tests"].append(out)
    if worker:
        worker.stop()
    real_out.write("\n" + marker + json.dumps(res) + "\n")
    real_out.flush()


if __name__ == "__main__":
    worker() if sys.argv[1:] == ["--worker"] else main()
