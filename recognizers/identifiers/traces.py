"""Project code named outside code blocks: traceback frames (Python, JavaScript, Go), fully
qualified JVM names in stack traces and logger names, and file paths of code files.

A frame or a path under a library location (``site-packages``, ``node_modules``, the Go module
cache ...) is public; anything else is the project's own.
"""

from __future__ import annotations

import re

from recognizers.code.languages import CODE_EXTENSIONS, language_of_path
from recognizers.code.lexer import DEFINITION, REFERENCE, lex
from recognizers.identifiers.imports import PUBLIC_JVM
from recognizers.identifiers.scan import Scan, define, has_proprietary, kind_from_case
from recognizers.segment import Segment

_FQN = re.compile(r"(?<![\w./-])((?:[a-z_][a-z0-9_]*\.){2,}(?:[A-Z][\w$]*)(?:\.[\w$<>]+)*)")
_PY_FRAME = re.compile(r'^[ \t]+File "([^"]+)", line \d+, in ([\w<>.]+)', re.M)
_JS_FRAME = re.compile(r"^[ \t]+at (?:async )?(?:new )?([\w$.<>\[\] ]+?) \(([^()\n]+?):\d+:\d+\)",
                       re.M)
_GO_FRAME = re.compile(r"^([\w./-]+)\.(?:\(\*?(\w+)\)\.)?(\w+)\(.*\)\s*\n\t(\S+\.go):\d+", re.M)
_PATH = re.compile(r"(?<![\w.@/-])((?:[\w.@-]+/)*[\w-]+(?:\.[\w-]+)*\.(\w+))(?![\w/])")
# (Node's own frames: "node:internal/..", older ones a bare "internal/.."; a project's Go code
# lives under its own "internal/" directory, which is no library)
LIB_PATH = re.compile(r"site-packages|dist-packages|/lib/python\d|node_modules|<frozen|"
                       r"/usr/(?:local/)?lib/|/usr/local/go/|/go/pkg/mod/|\\Lib\\|(?<![\w/.-])internal/|"
                       r"node:|<anonymous>|/rustc/|\.cargo/registry|/jvm/|/opt/homebrew/")


def scan_traceback(text: str, seg: Segment, scan: Scan, tokens: list) -> None:
    """Project frames of a traceback: their modules, functions and source lines."""
    body = text[seg.start:seg.end]
    lang = seg.language
    if lang == "python":
        frames = list(_PY_FRAME.finditer(body))
        for i, m in enumerate(frames):
            path, func = m.group(1), m.group(2)
            if LIB_PATH.search(path):
                continue
            define_path(path, scan)
            if not func.startswith("<"):
                define(func.rsplit(".", 1)[-1], "function", "python", scan)
            # the source line(s) under a project frame
            end = frames[i + 1].start() if i + 1 < len(frames) else len(body)
            start = body.find("\n", m.end())
            if start < 0 or start >= end:
                continue
            code_lines = body[start + 1:end]
            tail = re.search(r"^\S", code_lines, re.M)
            if tail:
                code_lines = code_lines[:tail.start()]
            _scan_frame_code(text, seg.start + start + 1, code_lines, scan, tokens)
    elif lang == "javascript":
        for m in _JS_FRAME.finditer(body):
            fn, path = m.group(1), m.group(2)
            if LIB_PATH.search(path):
                continue
            define_path(path, scan)
            for part in fn.replace("<anonymous>", "").split("."):
                part = part.strip()
                if part and part not in ("Object", "Module", "async", "new"):
                    define(part, kind_from_case(part), "javascript", scan)
    elif lang == "go":
        for m in _GO_FRAME.finditer(body):
            pkg, typ, fn, path = m.groups()
            if LIB_PATH.search(path) or ("/" not in pkg and pkg in ("runtime", "net/http")):
                continue
            define_path(path, scan)
            if typ:
                define(typ, "type", "go", scan)
            define(fn, "function", "go", scan)
            # the packages of the project's own module path (example.org/<ours>/internal/x)
            for part in pkg.split("/")[1 if "." in pkg.split("/")[0] else 0:]:
                if part not in ("internal", "cmd", "pkg", "main") and has_proprietary(part):
                    define(part, "module", "go", scan)
    scan_fqns(text, seg, scan)
    scan_frames(text, seg.start, seg.end, scan)


# frames that name a file and a function on one line, in any text (a log, prose, a notebook's
# error output with its ANSI colours still JSON-escaped):
_ESC = r"(?:(?:\\u001b|\x1b)\[[0-9;]*m)*"
_FRAMES = (
    # IPython / Jupyter: File ~/work/x_sync/router.py:31, in Router.route(self, ev)
    re.compile(r"File " + _ESC + r"([~\w./\\-]+\.py):\d+" + _ESC + r", in " + _ESC
               + r"([\w.]+)"),
    # Ruby: from /app/lib/x/client.rb:12:in `fetch'
    re.compile(r"([\w./~-]+\.rb):\d+:in [`']([\w?!]+)'"),
    # PHP: #0 /var/www/src/X/Client.php(42): X\Client->settle()
    re.compile(r"#\d+ ([\w./~\\-]+\.php)\(\d+\): ([\w\\]+(?:->|::)\w+)\("),
    # a Python warning: /srv/x_etl/steps.py:88: FutureWarning: ... (no function named)
    re.compile(r"([\w./~\\-]+\.py):\d+: \w*Warning()\b"),
    # pdb and its `where`: > /srv/x_sync/merge.py(57)merge_rows()
    re.compile(r"([\w./~\\-]+\.py)\(\d+\)([\w<>]+)\(\)"),
    # cProfile and IPython's %prun: ... 0.901 0.000 x_ops.py:40(merge_rows)
    re.compile(r"(?<![\w.-])([\w./~\\-]+\.py):\d+\(([\w<>]+)\)"),
)
_FRAME_HINT = re.compile(r"\.py:\d|\.rb:\d|\.php\(\d|\.py\(\d")


# what IPython's ``name?`` prints: the signature (its name, a return type in quotes) and the file
_HELP_SIGNATURE = re.compile(r"^(?:Init )?[Ss]ignature: +(\w+)\([^\n]*?\)"
                             r"(?: -> '?([A-Z]\w*)'?)?[ \t]*$", re.M)
_HELP_FILE = re.compile(r"^File: +([~\w./\\-]+\.py)[ \t]*$", re.M)
# the logger and function of a ``logging`` line: basicConfig's "WARNING:x_ops.worker:..." and
# a format's "[x_ops.scheduler:merge_rows:77]"
_LOG_LEVEL = re.compile(r"^(?:DEBUG|INFO|WARNING|ERROR|CRITICAL):([A-Za-z_][\w.]*):", re.M)
# pytest's explanation of an assertion: "E   +  where [1, 2] = merge_rows([1], [2])" (the
# function the test called; a public one, len or sorted, is no project word)
_PYTEST_WHERE = re.compile(r"^E\s+\+\s+where .*? = ([A-Za-z_][\w.]*)\(", re.M)
_LOG_WHERE = re.compile(r"\[([A-Za-z_][\w.]*):([A-Za-z_]\w*):\d+\]")


def _scan_help_and_loggers(text: str, start: int, end: int, scan: Scan) -> None:
    if text.find("ignature: ", start, end) >= 0:
        for m in _HELP_SIGNATURE.finditer(text, start, end):
            for name in m.groups():
                if name and has_proprietary(name):
                    define(name, kind_from_case(name), "python", scan)
        for m in _HELP_FILE.finditer(text, start, end):
            if not LIB_PATH.search(m.group(1)):
                define_path(m.group(1), scan)
    if text.find("+  where ", start, end) >= 0:
        for m in _PYTEST_WHERE.finditer(text, start, end):
            for part in m.group(1).split("."):
                if has_proprietary(part):
                    define(part, kind_from_case(part), "python", scan)
    loggers: list[tuple[str, str]] = []
    if any(text.find(f"{w}:", start, end) >= 0 for w in ("DEBUG", "INFO", "WARNING", "ERROR")):
        loggers += [(m.group(1), "") for m in _LOG_LEVEL.finditer(text, start, end)]
    if text.find(":", start, end) >= 0 and text.find("]", start, end) >= 0:
        loggers += [m.groups() for m in _LOG_WHERE.finditer(text, start, end)]
    for logger, func in loggers:
        # a logger is named after its module (``__name__``): the project's parts of it
        for part in logger.split("."):
            if part and not part.startswith("_") and has_proprietary(part):
                define(part, "module", "python", scan)
        if func and has_proprietary(func):
            define(func, "function", "python", scan)


def scan_frames(text: str, start: int, end: int, scan: Scan) -> None:
    """One-line frames of IPython, pdb, cProfile, Ruby and PHP traces: the project's files and
    functions; IPython's help output and the names of ``logging`` lines."""
    _scan_help_and_loggers(text, start, end, scan)
    if not _FRAME_HINT.search(text, start, end):
        return
    for k, pattern in enumerate(_FRAMES):
        for m in pattern.finditer(text, start, end):
            path, func = m.group(1), m.group(2)
            if LIB_PATH.search(path):
                continue
            define_path(path, scan)
            if k == 0:  # IPython prints the frame's numbered source lines under it
                _ipython_frame_code(text, m.end(), end, scan)
            for part in re.split(r"->|::|\\|\.", func):
                if part and not part.startswith("<"):
                    define(part, kind_from_case(part), language_of_path(path), scan)


# a numbered source line of an IPython frame: "     86 def f(x):", "---> 88     return g(x)"
_IPY_LINE = re.compile(r"\n(?:" + _ESC + r"-*> ?|[ \t]+)" + _ESC + r"\d+" + _ESC + r" ([^\n]*)")


def _ipython_frame_code(text: str, pos: int, end: int, scan: Scan) -> None:
    """The code under a project frame of IPython: its references are the project's own."""
    pos = text.find("\n", pos, end)
    while pos >= 0:
        m = _IPY_LINE.match(text, pos, end)
        if m is None:
            return
        _scan_frame_code(text, m.start(1), m.group(1), scan, [])
        pos = m.end()


# `go test` summaries: "FAIL\tledger/internal/ring\t0.012s", "ok  \tledger/api\t(cached)",
# and the tests they ran: "--- FAIL: TestRebalance (0.00s)", "=== RUN   TestRebalance/sub"
_GO_TEST_PKG = re.compile(r"^(?:FAIL|ok)\s+([\w.-]+(?:/[\w.-]+)*)\s+(?:[\d.]+s|\(cached\))",
                          re.M)
_GO_TEST_RUN = re.compile(r"^\s*(?:=== (?:RUN|PAUSE|CONT)|--- (?:FAIL|PASS|SKIP):)\s+"
                          r"(Test\w+|Benchmark\w+|Fuzz\w+|Example\w*)", re.M)


def scan_go_test(text: str, start: int, end: int, scan: Scan) -> None:
    """`go test` output: its test functions, and the packages of a module whose path has no
    domain (``module ledger``: a local module, never fetched, so the project's own)."""
    if "--- " not in text[start:end] and "=== " not in text[start:end]:
        return
    for m in _GO_TEST_RUN.finditer(text, start, end):
        define(m.group(1), "function", "go", scan)
    for m in _GO_TEST_PKG.finditer(text, start, end):
        parts = m.group(1).split("/")
        if "." in parts[0] or LIB_PATH.search(m.group(1)):
            continue  # a fetched module's path (github.com/...): public or not, not ours to say
        for p in parts:
            if p != "internal" and re.fullmatch(r"[A-Za-z_][\w-]*", p) and has_proprietary(p):
                define(p, "module", "go", scan)


def _scan_frame_code(text: str, start: int, code: str, scan: Scan, tokens: list) -> None:
    """Names in a project frame's source line: references there are the project's own."""
    for t in lex(code, "python"):
        if t.kind != "identifier":
            continue
        name = code[t.start:t.end]
        tokens.append((start + t.start, start + t.end, name, t.role, t.detail, "python"))
        if t.role in (DEFINITION, REFERENCE) and has_proprietary(name):
            define(name, t.detail or kind_from_case(name), "python", scan)


def scan_fqns(text: str, seg: Segment, scan: Scan) -> None:
    """Fully qualified JVM names of the project's own code (stack frames, logger names)."""
    body = text[seg.start:seg.end]
    if "." not in body:
        return
    for m in _FQN.finditer(body):
        fqn = m.group(1)
        if fqn.startswith(PUBLIC_JVM) or _public_fqn(fqn):
            continue
        parts = fqn.split(".")
        for p in parts:
            p = p.split("$")[0]
            if not p or p in ("<init>", "<clinit>") or p.startswith("lambda"):
                continue
            if p[0].isupper():
                define(p, "class", "java", scan)
            elif p == parts[-1]:
                define(p, "method", "java", scan)
            else:
                define(p, "module", "java", scan)


def scan_paths(text: str, start: int, end: int, scan: Scan, project_only: bool) -> None:
    """File names of code files: the module they name is the project's."""
    chunk = text[start:end]
    if "." not in chunk:
        return
    for m in _PATH.finditer(chunk):
        path, ext = m.group(1), m.group(2).lower()
        if ext not in CODE_EXTENSIONS:
            continue
        if LIB_PATH.search(path) or "://" in chunk[max(0, m.start() - 12):m.start()]:
            continue
        if project_only and "/" not in path and "_" not in path and "-" not in path and \
                not has_proprietary(path.rsplit(".", 1)[0]):
            continue
        define_path(path, scan)


def define_path(path: str, scan: Scan) -> None:
    path = path.replace("\\", "/")
    parts = [p for p in path.split("/") if p]
    if not parts:
        return
    stem = parts[-1].split(".", 1)[0]
    lang = language_of_path(parts[-1])
    modules = scan.project_modules
    # the directories of a project path (not the home directory or the user name in it)
    dirs = parts[:-1]
    for i, d in enumerate(dirs):
        if d in ("home", "Users", "builds", "runner", "work", "workspace", "src", "app",
                 "opt", "srv", "var", "tmp", "mnt", "C:") or (
                i > 0 and dirs[i - 1] in ("home", "Users")):
            continue
        if re.fullmatch(r"[A-Za-z_][\w-]*", d):
            modules.add(d)
            if has_proprietary(d):
                define(d, "module", lang, scan)
    if re.fullmatch(r"[A-Za-z_][\w-]*", stem) and stem not in ("__init__", "index", "main"):
        modules.add(stem)
        define(stem, "module", lang, scan)


def _public_fqn(fqn: str) -> bool:
    """A dotted name whose package is a well-known public one (or not a package at all)."""
    first = fqn.split(".", 1)[0]
    return first in ("java", "javax", "jakarta", "jdk", "sun", "kotlin", "scala", "android",
                     "androidx", "os", "sys", "self", "this", "www", "http", "https")

