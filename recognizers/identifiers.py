"""Project-private identifiers in code: the names a prompt's code declares for itself.

``IdentifierRecognizer`` segments a text (prose, fenced and inline code, tracebacks, logs, diffs,
shell sessions), lexes the code, and collects the names the prompt DEFINES (classes, functions,
variables, constants, types, modules, fields, parameters; the project frames of tracebacks; the
modules named by file paths) or imports from internal packages. A name that is public (keyword,
builtin, standard library, well-known API, or imported from a public package) is never reported.

Modes:

* ``off`` and ``terms``: nothing (terms are the term recognizer's job);
* ``proprietary`` (default): the proprietary WORDS of private identifiers, i.e. the words that
  are neither English nor programming vocabulary (``Cravix`` in ``CravixDocumentMapper``,
  ``zorvath`` in ``fetch_zorvath_pending``), reported at every occurrence anywhere in the text,
  in any letter case (identifiers, strings, comments, prose, paths, host names). Identifiers made
  of ordinary words only (``calculate_total``, ``UserRepository``) are left alone;
* ``all``: every occurrence of every whole private identifier.

``analyze_request(ctxs)`` does the same over the slots of one request at once, so a class defined
in the first message is also found where a later message only mentions it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from recognizers.base import IDENTIFIER, Finding, Recognizer
from recognizers.code.languages import CODE_EXTENSIONS, language_of_path
from recognizers.code.lexer import (
    ATTRIBUTE,
    COMMENT,
    DEFINITION,
    IMPORT,
    PROPERTY_KEY,
    REFERENCE,
    STRING,
    Token,
    lex,
)
from recognizers.code.vocabulary import (
    is_ordinary_word,
    is_proprietary_word,
    is_public_name,
    is_stdlib_module,
    preload,
    programming_words,
    split_identifier,
)
from recognizers.context import DetectionContext, as_context
from recognizers.segment import (
    CODE,
    DIFF,
    INLINE_CODE,
    LOG,
    PROSE,
    SHELL,
    TRACEBACK,
    Segment,
    guess_language,
)

MODES = ("off", "terms", "proprietary", "all")

_TYPE_OF = {
    "class": "CLASS_NAME", "function": "FUNCTION_NAME", "method": "FUNCTION_NAME",
    "variable": "VARIABLE_NAME", "parameter": "VARIABLE_NAME", "field": "VARIABLE_NAME",
    "label": "VARIABLE_NAME", "table": "VARIABLE_NAME", "constant": "CONSTANT_NAME",
    "module": "MODULE_NAME", "type": "TYPE_NAME",
}
# when one word comes from several definitions, the more telling kind names it
_TYPE_RANK = {"CLASS_NAME": 0, "TYPE_NAME": 1, "FUNCTION_NAME": 2, "CONSTANT_NAME": 3,
              "MODULE_NAME": 4, "VARIABLE_NAME": 5}

_SCREAMING = re.compile(r"^_*[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$|^_*[A-Z]{2,}[0-9]*$")
_IDENT_CHARS = re.compile(r"[\w$]")

# Java/Kotlin package prefixes of public libraries (anything else in a stack trace or a log's
# logger name is the project's own code)
_PUBLIC_JVM = (
    "java.", "javax.", "jakarta.", "jdk.", "sun.", "com.sun.", "kotlin.", "kotlinx.", "scala.",
    "org.springframework.", "org.apache.", "org.hibernate.", "org.junit.", "org.mockito.",
    "org.slf4j.", "ch.qos.", "com.fasterxml.", "io.netty.", "io.grpc.", "com.google.",
    "org.postgresql.", "com.zaxxer.", "reactor.", "io.micrometer.", "org.eclipse.", "okhttp3.",
    "retrofit2.", "org.jboss.", "io.undertow.", "org.glassfish.", "com.mysql.", "org.flywaydb.",
    "org.liquibase.", "io.lettuce.", "redis.clients.", "org.mongodb.", "com.mongodb.",
    "software.amazon.", "com.amazonaws.", "io.opentelemetry.", "org.aspectj.", "net.bytebuddy.",
    "org.gradle.", "org.codehaus.", "org.testcontainers.", "io.projectreactor.", "lombok.",
    "org.yaml.", "com.zaxxer.", "io.vertx.", "io.quarkus.", "io.micronaut.", "org.jetbrains.",
    "io.jsonwebtoken.", "com.auth0.", "io.swagger.", "org.openapitools.", "feign.",
    "org.elasticsearch.", "co.elastic.", "org.assertj.", "org.hamcrest.", "io.restassured.",
    "o.s.", "o.a.", "o.h.", "o.e.", "c.z.", "i.n.",
)
_FQN = re.compile(r"(?<![\w./-])((?:[a-z_][a-z0-9_]*\.){2,}(?:[A-Z][\w$]*)(?:\.[\w$<>]+)*)")
_PY_FRAME = re.compile(r'^[ \t]+File "([^"]+)", line \d+, in ([\w<>.]+)', re.M)
_JS_FRAME = re.compile(r"^[ \t]+at (?:async )?(?:new )?([\w$.<>\[\] ]+?) \(([^()\n]+?):\d+:\d+\)",
                       re.M)
_GO_FRAME = re.compile(r"^([\w./-]+)\.(?:\(\*?(\w+)\)\.)?(\w+)\(.*\)\s*\n\t(\S+\.go):\d+", re.M)
_SEMANTIC = frozenset({"python", "javascript", "typescript", "tsx", "java", "go", "kotlin",
                       "csharp", "rust", "ruby", "php", "c", "cpp", "scala", "swift", "dart",
                       "groovy"})
_GO_MODULE = re.compile(r"^module\s+([\w.-]+\.[\w.-]+/[\w./-]+)\s*$", re.M)
_BLAME = re.compile(r"^\^?[0-9a-f]{7,40}\s+(?:[\w./-]+\s+)?\([^()\n]*?\d+\)\s?")
_PUBLIC_GO_HOSTS = frozenset({
    "github.com", "gitlab.com", "bitbucket.org", "golang.org", "google.golang.org", "gopkg.in",
    "go.uber.org", "k8s.io", "sigs.k8s.io", "cloud.google.com", "go.opentelemetry.io",
    "gorm.io", "go.etcd.io", "go.mongodb.org", "gocloud.dev", "honnef.co", "mvdan.cc",
    "go.temporal.io", "connectrpc.com", "buf.build", "entgo.io", "modernc.org", "filippo.io",
    "nhooyr.io", "gotest.tools", "dario.cat", "golang.zx2c4.com", "go.mozilla.org",
    "cuelang.org", "helm.sh", "istio.io", "knative.dev", "tailscale.com", "storj.io",
})
_PATH = re.compile(r"(?<![\w.@/-])((?:[\w.@-]+/)*[\w-]+(?:\.[\w-]+)*\.(\w+))(?![\w/])")
_MENTION = re.compile(r"(?<![\w$-])[A-Za-z_$][\w$]*(?:[a-z0-9][A-Z]|[A-Za-z0-9]_[A-Za-z0-9])"
                      r"[\w$]*")
_KEBAB = re.compile(r"(?<![\w$./@-])[a-z][a-z0-9]*(?:-[a-z0-9]+)+(?![\w$/@-]|\.\w)")
_LIB_PATH = re.compile(r"site-packages|dist-packages|/lib/python\d|node_modules|<frozen|"
                       r"/usr/(?:local/)?lib/|/usr/local/go/|/go/pkg/mod/|\\Lib\\|internal/|"
                       r"node:|<anonymous>|/rustc/|\.cargo/registry|/jvm/|/opt/homebrew/")


# (absolute start, end, the token's text, role, detail, language)
_CodeToken = tuple[int, int, str, str, str, str | None]


@dataclass
class _Def:
    name: str
    type: str
    language: str | None


@dataclass
class _Scan:
    """What one pass over a request's texts found."""

    defs: dict[str, _Def] = field(default_factory=dict)  # private identifier -> definition
    public_words: set[str] = field(default_factory=set)  # lower-case words of public imports
    public_names: set[str] = field(default_factory=set)  # names bound by public imports
    # per text: (absolute start, end, text of the token, role, detail, language)
    code_tokens: list[list[tuple[int, int, str, str, str, str | None]]] = field(
        default_factory=list)
    member_defs: set[str] = field(default_factory=set)  # names defined as fields/methods/params
    project_modules: set[str] = field(default_factory=set)  # dirs and stems of project files
    module_prefixes: set[str] = field(default_factory=set)  # go.mod `module` paths (lower case)
    imported: set[str] = field(default_factory=set)  # every name bound by an import
    # references nothing in the prompt declares or imports: (name, language, type)
    # (name, language, kind, receiver it is a member of)
    unresolved: list[tuple[str, str | None, str, str]] = field(default_factory=list)
    declared: set[str] = field(default_factory=set)  # every name any code declares or imports
    jvm_packages: set[str] = field(default_factory=set)  # "com.acme" of `package com.acme.x;`


class IdentifierRecognizer(Recognizer):
    """Finds project-private identifiers (category IDENTIFIER)."""

    name = "identifiers"
    category = IDENTIFIER

    def __init__(self, mode: str = "proprietary", terms: Iterable[str] = (),
                 internal_packages: Iterable[str] = ()) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown identifier mode {mode!r}; expected one of {MODES}")
        self.mode = mode
        words: set[str] = set()
        for t in [*terms, *internal_packages]:
            for part in re.split(r"[\s/@.:]+", t.strip()):
                if part:
                    words.add(part.lower())
                    words.update(w.lower() for w in _words(part))
        self._internal = frozenset(w for w in words if len(w) >= 3)
        self._internal_prefixes = tuple(sorted({p.strip().lower() for p in internal_packages
                                                if p.strip()}))
        if mode in ("proprietary", "all"):
            preload()

    # -- API -----------------------------------------------------------------------------------

    def analyze(self, ctx: DetectionContext | str) -> list[Finding]:
        return self.analyze_request([ctx])[0]

    def analyze_request(self, ctxs: Sequence[DetectionContext | str]) -> list[list[Finding]]:
        if self.mode in ("off", "terms"):
            return [[] for _ in ctxs]
        contexts = [as_context(c) for c in ctxs]
        texts = [c.text for c in contexts]
        scan = _Scan()
        for ctx in contexts:
            scan.code_tokens.append(self._scan_text(ctx, scan))
        self._resolve(scan)
        if self.mode == "all":
            return [self._all_findings(text, scan, i) for i, text in enumerate(texts)]
        words = self._proprietary_words(scan)
        if not words:
            return [[] for _ in texts]
        return [_word_findings(text, words) for text in texts]

    # -- collecting definitions ----------------------------------------------------------------

    def _scan_text(self, ctx: DetectionContext, scan: _Scan) -> list[_CodeToken]:
        text = ctx.text
        tokens: list[_CodeToken] = []
        if "module " in text:
            for m in _GO_MODULE.finditer(text):
                scan.module_prefixes.add(m.group(1).lower())
        for seg in ctx.segments:
            kind = seg.kind
            if kind == CODE:
                self._scan_code(text[seg.start:seg.end], seg.start, seg.language,
                                ctx.tokens(seg), scan, tokens)
            elif kind == DIFF:
                self._scan_diff(text, seg, scan, tokens)
            elif kind == SHELL:
                shell = seg._replace(language="shell")
                self._scan_code(text[seg.start:seg.end], seg.start, "shell", ctx.tokens(shell),
                                scan, tokens)
                self._scan_blame(text, seg, scan, tokens)
                self._scan_mentions(text, seg, scan)
            elif kind == TRACEBACK:
                self._scan_traceback(text, seg, scan, tokens)
            elif kind == LOG:
                self._scan_fqns(text, seg, scan)
                self._scan_paths(text, seg.start, seg.end, scan, project_only=True)
                self._scan_blame(text, seg, scan, tokens)
                self._scan_mentions(text, seg, scan)
            elif kind == INLINE_CODE:
                for t in ctx.tokens(seg._replace(language=None)):
                    if t.kind == "identifier":
                        name = text[seg.start + t.start:seg.start + t.end]
                        tokens.append((seg.start + t.start, seg.start + t.end, name,
                                       REFERENCE if t.role == DEFINITION else t.role, "", None))
                        if t.role != ATTRIBUTE and _MENTION.fullmatch(name):
                            # a mention of code: the project's own when nothing public
                            scan.unresolved.append((name, None, _kind_from_case(name), ""))
                self._scan_paths(text, seg.start, seg.end, scan, project_only=True)
            elif kind == PROSE:
                self._scan_paths(text, seg.start, seg.end, scan, project_only=True)
                self._scan_mentions(text, seg, scan)
        return tokens

    def _scan_code(self, code: str, base: int, language: str | None, toks: list[Token],
                   scan: _Scan, tokens: list) -> None:
        """``code`` starts at ``base`` in the slot; ``toks`` are its lexed tokens."""
        if language in ("java", "kotlin", "scala", "groovy") and "package " in code:
            for m in re.finditer(r"^\s*package\s+([\w.]+)", code, re.M):
                scan.jvm_packages.add(".".join(m.group(1).split(".")[:2]))
        imports: list[Token] = []
        for t in toks:
            if t.kind == "identifier":
                if t.role == IMPORT:
                    imports.append(t)
                    continue
                tokens.append((base + t.start, base + t.end, code[t.start:t.end], t.role,
                               t.detail, language))
            elif t.kind == STRING and t.role == IMPORT:
                imports.append(t)
            elif t.kind == COMMENT:
                self._scan_paths(code, t.start, t.end, scan, project_only=False)
        self._scan_imports(code, imports, language, scan, tokens, base)
        # languages whose grammar tells a reference from a declaration well enough to trust
        # that a name nothing declares or imports comes from elsewhere in the project
        semantic = language in _SEMANTIC
        for t in toks:
            if t.kind == "identifier" and t.role in (DEFINITION, IMPORT):
                scan.declared.add(code[t.start:t.end])
        root = ""  # the first name of the current a.b.c chain
        prev_end = -1
        for t in toks:
            if t.kind != "identifier":
                continue
            name = code[t.start:t.end]
            chained = t.role == ATTRIBUTE and prev_end >= 0 and \
                code[prev_end:t.start].strip() in (".", "?.", "->", "::")
            if not chained:
                root = name
            prev_end = t.end
            if t.role == REFERENCE:
                if semantic and len(name) >= 4 and name not in scan.imported:
                    scan.unresolved.append((name, language, _kind_from_case(name), ""))
                continue
            if t.role == ATTRIBUTE and semantic and chained and root not in scan.imported:
                # a member of something nothing declares or imports: ledgerpb.NewLedgerClient
                if len(name) >= 4 and _has_proprietary(name):
                    scan.unresolved.append((name, language, _kind_from_case(name), root))
                continue
            if t.role != DEFINITION:
                continue
            if t.detail in ("field", "method", "parameter"):
                scan.member_defs.add(name)
            self._define(name, t.detail, language, scan)

    def _define(self, name: str, detail: str, language: str | None, scan: _Scan) -> None:
        if len(name) < 3 or name in scan.defs:
            return
        if is_public_name(name, language, scan.public_names):
            return
        typ = _TYPE_OF.get(detail, "VARIABLE_NAME")
        if typ == "VARIABLE_NAME" and _SCREAMING.match(name):
            typ = "CONSTANT_NAME"
        scan.defs[name] = _Def(name, typ, language)

    def _module_status(self, module: str, language: str | None, scan: _Scan) -> str:
        """'internal', 'public' (standard library or a well-known package) or 'unknown' (some
        third-party package: its names are public, its words teach us nothing)."""
        m = module.strip().strip("'\"`")
        if not m:
            return "unknown"
        if m.startswith((".", "@/", "~/", "#/", "src/")):
            return "internal"
        low = m.lower()
        if self._internal_prefixes and low.startswith(self._internal_prefixes):
            return "internal"
        if self._internal:
            for part in re.split(r"[/.@:_-]+", low):
                if part in self._internal:
                    return "internal"
        if any(low.startswith(p) for p in scan.module_prefixes):
            return "internal"
        if is_stdlib_module(m, language):
            return "public"
        if language in ("java", "kotlin", "scala", "groovy"):
            if m.startswith(_PUBLIC_JVM):
                return "public"
            if ".".join(m.split(".")[:2]) in scan.jvm_packages:
                return "internal"
            return "unknown"
        if language == "go":
            host = m.split("/")[0]
            if "/internal/" in m or m.endswith("/internal"):
                return "internal"
            if "." in host and host not in _PUBLIC_GO_HOSTS and not host.endswith(
                    (".googlesource.com", ".k8s.io", ".io")):
                return "internal"
            return "public" if host in ("golang.org", "google.golang.org") else "unknown"
        top = re.split(r"[./]", m.lstrip("@"))[0]
        if top in scan.project_modules:
            return "internal"
        if top.lower() in programming_words() or is_public_name(top, language):
            return "public"
        return "unknown"

    def _scan_imports(self, code: str, imports: list[Token], language: str | None, scan: _Scan,
                      tokens: list, base: int) -> None:
        if not imports:
            return
        for t in imports:
            name = code[t.start:t.end]
            module = t.detail or name
            status = self._module_status(module, language, scan)
            if t.kind == STRING:  # an import path: "./store", "github.com/acme/x/ledger"
                if status == "internal":
                    for part in re.split(r"[/@.:]+", module):
                        if part and not part.startswith(".") and part not in ("src", "lib",
                                                                                "internal"):
                            self._define_import(part, "module", language, scan)
                else:
                    if status == "public":
                        scan.public_words.update(w.lower() for w in _words(module))
                    last = module.rstrip("/").rsplit("/", 1)[-1]
                    scan.public_names.add(last)
                    scan.imported.add(last)
                continue
            scan.imported.add(name)
            if status == "internal":
                detail = "module" if (name in module.split(".") or (name.islower() and
                                      language in ("java", "go"))) else _kind_from_case(name)
                self._define_import(name, detail, language, scan)
                tokens.append((base + t.start, base + t.end, name, IMPORT, module, language))
            else:
                scan.public_names.add(name)
                if status == "public":
                    scan.public_words.update(w.lower() for w in _words(name))
                    scan.public_words.update(w.lower() for w in _words(module))

    def _define_import(self, name: str, detail: str, language: str | None, scan: _Scan) -> None:
        if name and name not in scan.defs and not is_stdlib_module(name, language):
            self._define(name, detail, language, scan)

    def _scan_mentions(self, text: str, seg: Segment, scan: _Scan) -> None:
        """Identifier-shaped words of prose and logs (``the TreskelSearchIndexer crashed``,
        ``Task frembly_tasks.reconcile_batch received``): mentions of code."""
        for m in _MENTION.finditer(text, seg.start, seg.end):
            s, e = m.span()
            if (s > 0 and text[s - 1] in "@/\\") or (e < len(text) and text[e] == "@"):
                continue
            name = m.group()
            scan.unresolved.append((name, None, _kind_from_case(name), ""))
        if self._internal and "-" in text[seg.start:seg.end]:
            # package names: haulwise-client (only with a word the policy lists)
            for m in _KEBAB.finditer(text, seg.start, seg.end):
                scan.unresolved.append((m.group(), None, "module", "-"))

    def _scan_blame(self, text: str, seg: Segment, scan: _Scan, tokens: list) -> None:
        """`git blame` output: the code after each line's prefix."""
        body = text[seg.start:seg.end]
        if not _BLAME.search(body):
            return
        kept = []
        for line in body.split("\n"):
            m = _BLAME.match(line)
            kept.append(" " * m.end() + line[m.end():] if m else " " * len(line))
        stripped = "\n".join(kept)
        lang = guess_language(stripped)
        self._scan_code(stripped, seg.start, lang, lex(stripped, lang), scan, tokens)

    def _scan_diff(self, text: str, seg: Segment, scan: _Scan, tokens: list) -> None:
        body = text[seg.start:seg.end]
        lines = body.split("\n")
        kept = []
        for line in lines:
            if line.startswith(("+++", "---", "diff ", "index ", "@@")):
                m = re.match(r"(?:\+\+\+ b/|--- a/|diff --git a/)(\S+)", line)
                if m:
                    self._scan_paths(line, 0, len(line), scan, project_only=False)
                kept.append(" " * len(line))
            elif line[:1] in ("+", "-", " "):
                kept.append(" " + line[1:])
            else:
                kept.append(line)
        stripped = "\n".join(kept)
        lang = seg.language or guess_language(stripped)
        self._scan_code(stripped, seg.start, lang, lex(stripped, lang), scan, tokens)

    def _scan_traceback(self, text: str, seg: Segment, scan: _Scan, tokens: list) -> None:
        body = text[seg.start:seg.end]
        lang = seg.language
        if lang == "python":
            frames = list(_PY_FRAME.finditer(body))
            for i, m in enumerate(frames):
                path, func = m.group(1), m.group(2)
                if _LIB_PATH.search(path):
                    continue
                self._define_path(path, scan)
                if not func.startswith("<"):
                    self._define(func.rsplit(".", 1)[-1], "function", "python", scan)
                # the source line(s) under a project frame
                end = frames[i + 1].start() if i + 1 < len(frames) else len(body)
                start = body.find("\n", m.end())
                if start < 0 or start >= end:
                    continue
                code_lines = body[start + 1:end]
                tail = re.search(r"^\S", code_lines, re.M)
                if tail:
                    code_lines = code_lines[:tail.start()]
                self._scan_frame_code(text, seg.start + start + 1, code_lines, scan, tokens)
        elif lang == "javascript":
            for m in _JS_FRAME.finditer(body):
                fn, path = m.group(1), m.group(2)
                if _LIB_PATH.search(path):
                    continue
                self._define_path(path, scan)
                for part in fn.replace("<anonymous>", "").split("."):
                    part = part.strip()
                    if part and part not in ("Object", "Module", "async", "new"):
                        self._define(part, _kind_from_case(part), "javascript", scan)
        elif lang == "go":
            for m in _GO_FRAME.finditer(body):
                pkg, typ, fn, path = m.groups()
                if _LIB_PATH.search(path) or ("/" not in pkg and pkg in ("runtime", "net/http")):
                    continue
                self._define_path(path, scan)
                if typ:
                    self._define(typ, "type", "go", scan)
                self._define(fn, "function", "go", scan)
        self._scan_fqns(text, seg, scan)

    def _scan_frame_code(self, text: str, start: int, code: str, scan: _Scan,
                         tokens: list) -> None:
        """Names in a project frame's source line: references there are the project's own."""
        for t in lex(code, "python"):
            if t.kind != "identifier":
                continue
            name = code[t.start:t.end]
            tokens.append((start + t.start, start + t.end, name, t.role, t.detail, "python"))
            if t.role in (DEFINITION, REFERENCE) and _has_proprietary(name):
                self._define(name, t.detail or _kind_from_case(name), "python", scan)

    def _scan_fqns(self, text: str, seg: Segment, scan: _Scan) -> None:
        """Fully qualified JVM names of the project's own code (stack frames, logger names)."""
        body = text[seg.start:seg.end]
        if "." not in body:
            return
        for m in _FQN.finditer(body):
            fqn = m.group(1)
            if fqn.startswith(_PUBLIC_JVM) or _public_fqn(fqn):
                continue
            parts = fqn.split(".")
            for p in parts:
                p = p.split("$")[0]
                if not p or p in ("<init>", "<clinit>") or p.startswith("lambda"):
                    continue
                if p[0].isupper():
                    self._define(p, "class", "java", scan)
                elif p == parts[-1]:
                    self._define(p, "method", "java", scan)
                else:
                    self._define(p, "module", "java", scan)

    def _scan_paths(self, text: str, start: int, end: int, scan: _Scan,
                    project_only: bool) -> None:
        """File names of code files: the module they name is the project's."""
        chunk = text[start:end]
        if "." not in chunk:
            return
        for m in _PATH.finditer(chunk):
            path, ext = m.group(1), m.group(2).lower()
            if ext not in CODE_EXTENSIONS:
                continue
            if _LIB_PATH.search(path) or "://" in chunk[max(0, m.start() - 12):m.start()]:
                continue
            if project_only and "/" not in path and "_" not in path and "-" not in path and \
                    not _has_proprietary(path.rsplit(".", 1)[0]):
                continue
            self._define_path(path, scan)

    def _define_path(self, path: str, scan: _Scan) -> None:
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
                if _has_proprietary(d):
                    self._define(d, "module", lang, scan)
        if re.fullmatch(r"[A-Za-z_][\w-]*", stem) and stem not in ("__init__", "index", "main"):
            modules.add(stem)
            self._define(stem, "module", lang, scan)

    # -- proprietary words ---------------------------------------------------------------------

    def _resolve(self, scan: _Scan) -> None:
        """References that nothing declares or imports, with a proprietary word in them, name
        the project's own code declared elsewhere (``MirabexSyncWorker(dsn)`` in a traceback,
        ``VantolixTemplates.toJson`` in a Java class of the same package)."""
        for name, language, kind, receiver in scan.unresolved:
            if name in scan.defs or name in scan.imported:
                continue
            if receiver == "-":
                if any(w.lower() in self._internal for w in _words(name)):
                    self._define(name, kind, language, scan)
                continue
            if receiver and (receiver in scan.declared or receiver in scan.imported or
                             is_public_name(receiver, language, scan.public_names)):
                continue
            if is_public_name(name, language, scan.public_names):
                continue
            if _has_proprietary(name, scan.public_words) and _plausible(name):
                self._define(name, kind, language, scan)
        scan.unresolved.clear()

    def _proprietary_words(self, scan: _Scan) -> dict[str, str]:
        """lower-case proprietary word -> finding type."""
        words: dict[str, str] = {}
        for name, d in scan.defs.items():
            for s, e in split_identifier(name):
                w = name[s:e]
                low = w.lower()
                if low in scan.public_words and low not in self._internal:
                    continue
                if not is_proprietary_word(w):
                    continue
                if is_public_name(w, d.language) or is_public_name(low, None):
                    continue  # a public API name used as a word: isupper, setdefault
                prev = words.get(low)
                if prev is None or _TYPE_RANK[d.type] < _TYPE_RANK[prev]:
                    words[low] = d.type
        return words

    # -- all mode ------------------------------------------------------------------------------

    def _all_findings(self, text: str, scan: _Scan, index: int) -> list[Finding]:
        defs = scan.defs
        if not defs:
            return []
        out: list[Finding] = []
        covered: set[tuple[int, int]] = set()
        for s, e, name, role, detail, _lang in scan.code_tokens[index]:
            d = defs.get(name)
            if d is None:
                continue
            if role in (ATTRIBUTE, PROPERTY_KEY):
                if name not in scan.member_defs:
                    continue
                if detail.startswith("kwarg:"):
                    callee = detail[6:]
                    if callee not in defs and callee != "class":
                        continue
            out.append(Finding(s, e, d.type, IDENTIFIER, self.name))
            covered.add((s, e))
        # mentions outside code tokens: strings, comments, prose, paths
        names = [n for n in defs if _identifier_like(n)]
        if names:
            rx = re.compile(r"(?<![\w$])(?:" + "|".join(
                re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")(?![\w$])")
            for m in rx.finditer(text):
                if (m.start(), m.end()) in covered:
                    continue
                if m.start() > 0 and text[m.start() - 1] == "." and \
                        m.group() not in scan.member_defs and _in_code_token(m.start(), scan,
                                                                             index):
                    continue
                out.append(Finding(m.start(), m.end(), defs[m.group()].type, IDENTIFIER,
                                   self.name))
        out.sort(key=lambda f: (f.start, f.end))
        return _dedupe(out)


def _in_code_token(pos: int, scan: _Scan, index: int) -> bool:
    return any(s <= pos < e for s, e, *_ in scan.code_tokens[index])


def _dedupe(findings: list[Finding]) -> list[Finding]:
    out: list[Finding] = []
    last_end = -1
    for f in findings:
        if f.start < last_end:
            continue
        out.append(f)
        last_end = f.end
    return out


def _identifier_like(name: str) -> bool:
    """Worth finding in prose too: made of several words, or with a non-dictionary word."""
    spans = split_identifier(name)
    if len(spans) > 1 or any(not c.isalpha() for c in name):
        return True
    return not is_ordinary_word(name)


def _words(name: str) -> list[str]:
    return [name[s:e] for s, e in split_identifier(name)]


def _has_proprietary(name: str, public_words: set[str] | frozenset[str] = frozenset()) -> bool:
    return any(is_proprietary_word(name[s:e]) and name[s:e].lower() not in public_words
               for s, e in split_identifier(name))


_VOWEL = re.compile(r"[aeiouyAEIOUY]")


def _plausible(name: str) -> bool:
    """Shaped like a name people chose, not like a random token (``g5QEqxofi40edx``)."""
    spans = split_identifier(name)
    singles = 0
    prev_digit = False
    prev_len = 0
    for s, e in spans:
        w = name[s:e]
        if w.isdigit():
            if prev_len == 1:
                return False  # g5...
            prev_digit = True
            prev_len = len(w)
            continue
        if prev_digit and w[0].islower():
            return False  # ...40edx
        if len(w) == 1:
            singles += 1
        elif not _VOWEL.search(w) and len(w) > 4:
            return False
        prev_digit = False
        prev_len = len(w)
    return singles <= 1


def _kind_from_case(name: str) -> str:
    if _SCREAMING.match(name):
        return "constant"
    if name[:1].isupper():
        return "class"
    return "function"


def _public_fqn(fqn: str) -> bool:
    """A dotted name whose package is a well-known public one (or not a package at all)."""
    first = fqn.split(".", 1)[0]
    return first in ("java", "javax", "jakarta", "jdk", "sun", "kotlin", "scala", "android",
                     "androidx", "os", "sys", "self", "this", "www", "http", "https")


# -- reporting proprietary words -----------------------------------------------------------------

def _word_findings(text: str, words: dict[str, str]) -> list[Finding]:
    """Every occurrence of the proprietary words in text, in any case, at word boundaries."""
    if not text:
        return []
    rx = _word_regex(tuple(sorted(words, key=len, reverse=True)))
    out: list[Finding] = []
    n = len(text)
    for m in rx.finditer(text):
        s, e = m.start(), m.end()
        if s > 0 and not _left_boundary(text[s - 1], text[s]):
            continue
        if e < n and not _right_boundary(text[e - 1], text, e):
            continue
        out.append(Finding(s, e, words[m.group().lower()], IDENTIFIER, "identifiers"))
    return out


_REGEX_CACHE: dict[tuple[str, ...], re.Pattern[str]] = {}


def _word_regex(words: tuple[str, ...]) -> re.Pattern[str]:
    rx = _REGEX_CACHE.get(words)
    if rx is None:
        if len(_REGEX_CACHE) > 256:
            _REGEX_CACHE.clear()
        rx = _REGEX_CACHE[words] = re.compile("|".join(re.escape(w) for w in words),
                                              re.IGNORECASE)
    return rx


def _left_boundary(prev: str, first: str) -> bool:
    if not prev.isalpha():
        return True
    return prev.islower() and first.isupper()  # camelCase hump


def _right_boundary(last: str, text: str, e: int) -> bool:
    nxt = text[e]
    if not nxt.isalpha():
        return True
    if nxt.isupper() and not last.isupper():
        return True  # CravixPager
    if nxt.isupper() and last.isupper():
        # CRAVIXPager would be odd; SCREAMING words end at '_' anyway
        return e + 1 < len(text) and text[e + 1].islower()
    # a plural or possessive of the word: Cravixes, cravixs
    tail = re.match(r"(?:es|s)(?![A-Za-z])", text[e:e + 3])
    return tail is not None
