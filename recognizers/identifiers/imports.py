"""Where an imported module comes from: the project (its names are private definitions), the
standard library or a well-known package (its words are public), or some third party.

Language-specific: relative paths and aliases, go.mod ``module`` paths and Go hosts, JVM package
prefixes and the ``package`` of the prompt's own classes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from recognizers.code.lexer import IMPORT, STRING, Token
from recognizers.code.vocabulary import (
    is_proprietary_word,
    is_public_name,
    is_stdlib_module,
    programming_words,
)
from recognizers.identifiers.scan import (
    ImportRef,
    Internal,
    Scan,
    define,
    has_proprietary,
    identifier_words,
    kind_from_case,
)

# Java/Kotlin package prefixes of public libraries (anything else in a stack trace or a log's
# logger name is the project's own code)
PUBLIC_JVM = (
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
_PUBLIC_GO_HOSTS = frozenset({
    "github.com", "gitlab.com", "bitbucket.org", "golang.org", "google.golang.org", "gopkg.in",
    "go.uber.org", "k8s.io", "sigs.k8s.io", "cloud.google.com", "go.opentelemetry.io",
    "gorm.io", "go.etcd.io", "go.mongodb.org", "gocloud.dev", "honnef.co", "mvdan.cc",
    "go.temporal.io", "connectrpc.com", "buf.build", "entgo.io", "modernc.org", "filippo.io",
    "nhooyr.io", "gotest.tools", "dario.cat", "golang.zx2c4.com", "go.mozilla.org",
    "cuelang.org", "helm.sh", "istio.io", "knative.dev", "tailscale.com", "storj.io",
})


def module_status(module: str, language: str | None, scan: Scan, internal: Internal) -> str:
    """'internal', 'public' (standard library or a well-known package) or 'unknown' (some
    third-party package: its names are public, its words teach us nothing)."""
    m = module.strip().strip("'\"`")
    if not m:
        return "unknown"
    if m.startswith((".", "@/", "~/", "#/", "src/")):
        return "internal"
    low = m.lower()
    if internal.prefixes and internal.under_prefix(low):
        return "internal"
    if internal.words:
        for part in re.split(r"[/.@:_-]+", low):
            if part in internal.words:
                return "internal"
    if any(low.startswith(p) for p in scan.module_prefixes):
        return "internal"
    if is_stdlib_module(m, language):
        return "public"
    if language in ("java", "kotlin", "scala", "groovy"):
        if m.startswith(PUBLIC_JVM):
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
    if language == "python" and _project_shaped(top):
        return "internal"
    return "unknown"


def _project_shaped(top: str) -> bool:
    """A Python package named like a project's own part: an invented word joined to the words
    of the trade (``trylaty_etl``, ``zorvath_billing``). Third-party packages of that shape join
    a brand the vocabulary knows (``qdrant_client``, ``langchain_core``); one invented word alone
    (``tqdm``, ``einops``) is as often a public package, and stays unknown."""
    parts = top.split("_")
    if len(parts) < 2 or not all(parts):
        return False
    invented = [is_proprietary_word(p) for p in parts]
    return any(invented) and not all(invented)


_USE_PATH = re.compile(r"\buse\s+((?:\w+::)*\w+)$")


def import_refs(code: str, imports: list[Token], base: int) -> list[ImportRef]:
    """The import tokens of one code segment, detached from it (offsets absolute)."""
    return [ImportRef(code[t.start:t.end], t.detail or _module_of(code, t), t.kind == STRING,
                      base + t.start, base + t.end) for t in imports]


def _module_of(code: str, t: Token) -> str:
    """The module of an import token the lexer gives none: Rust's ``use std::backtrace::X``
    names its path before the name."""
    name = code[t.start:t.end]
    if t.start >= 2 and code[t.start - 2:t.start] == "::":
        m = _USE_PATH.search(code, max(0, t.start - 200), t.end)
        if m:
            return m.group(1)
    return name


def scan_imports(imports: Sequence[ImportRef], language: str | None, scan: Scan,
                 tokens: list, internal: Internal) -> None:
    """Define the project's imported names; learn the public ones and their words. Run once
    the whole request is scanned: where a module comes from can depend on another slot (a
    go.mod ``module`` line, the ``package`` of a Java class)."""
    # Every name of ``import a.b.C`` comes with the same module: judge (and learn the words of)
    # each module once; nothing here changes what module_status reads.
    statuses: dict[str, str] = {}
    learned: set[str] = set()
    for module in _own_unknowns(imports, language, scan, internal):
        statuses[module] = "internal"
    for ref in imports:
        name, module = ref.name, ref.module
        status = statuses.get(module)
        if status is None:
            status = statuses[module] = module_status(module, language, scan, internal)
        if ref.path:  # an import path: "./store", "github.com/acme/x/ledger"
            if status == "internal":
                for part in re.split(r"[/@.:]+", module):
                    if part and not part.startswith(".") and part not in ("src", "lib",
                                                                            "internal") \
                            and has_proprietary(part, scan.public_words):
                        define_import(part, "module", language, scan)
            else:
                if status == "public":
                    scan.public_words.update(w.lower() for w in identifier_words(module))
                # the parts of a public path keep their words: k8s.io/client-go/kubernetes
                scan.public_paths.update(p for p in re.split(r"[/@.:<>'\"`-]+", module) if p)
                last = package_name(module)
                scan.public_names.add(last)
                scan.imported.add(last)
            continue
        scan.imported.add(name)
        if status == "internal":
            parts = module.split(".")
            if name in parts[:-1] and not has_proprietary(name, scan.public_words):
                continue  # a part of a package path (com.getcapacitor.X): public by its words
            detail = "module" if (name in parts or (name.islower() and
                                  language in ("java", "go"))) else kind_from_case(name)
            define_import(name, detail, language, scan)
            tokens.append((ref.start, ref.end, name, IMPORT, module, language))
        else:
            scan.public_names.add(name)
            if status == "public":
                scan.public_words.update(w.lower() for w in identifier_words(name))
                if module not in learned:
                    learned.add(module)
                    scan.public_words.update(w.lower() for w in identifier_words(module))


def _own_unknowns(imports: Sequence[ImportRef], language: str | None, scan: Scan,
                  internal: Internal) -> set[str]:
    """Modules of no known origin that the prompt's own code must be: a third-party package
    exports names made of ordinary words or of its own brand (``from tqdm import tqdm``,
    ``from qdrant_client import QdrantClient``), while ``from trutrytus_core import
    VekrufexClient`` brings an invented word the module's name does not hold."""
    if language not in ("python", None):
        return set()
    names: dict[str, list[str]] = {}
    for ref in imports:
        if not ref.path and ref.name != ref.module and ref.name not in ref.module.split("."):
            names.setdefault(ref.module, []).append(ref.name)
    own = set()
    for module, imported in names.items():
        brand = module.lower().replace("_", "").replace(".", "")
        for name in imported:
            if is_public_name(name, language, scan.public_names):
                continue
            if any(is_proprietary_word(w) and w.lower() not in brand
                   for w in identifier_words(name)):
                if module_status(module, language, scan, internal) == "unknown":
                    own.add(module)
                break
    return own


_GO_VERSION = re.compile(r"v\d+")


def package_name(path: str) -> str:
    """The name an import path binds: its last part, less a Go major version (``k8s.io/klog/v2``
    is ``klog``, ``gopkg.in/yaml.v3`` is ``yaml``)."""
    parts = [p for p in path.strip("'\"`<> ").strip("/").split("/") if p]
    if not parts:
        return path
    last = parts[-1]
    if _GO_VERSION.fullmatch(last) and len(parts) > 1:
        last = parts[-2]
    return re.sub(r"\.v\d+$", "", last)


def define_import(name: str, detail: str, language: str | None, scan: Scan) -> None:
    if name and name not in scan.defs and not is_stdlib_module(name, language):
        define(name, detail, language, scan)
