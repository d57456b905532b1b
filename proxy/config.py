"""The gateway's YAML config (the contract in DESIGN.md), validated with clear messages."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import yaml

from proxy.policy import Policy, PolicyError, load_policy

DEFAULT_MAX_BODY = 32 * 1024 * 1024


class ConfigError(ValueError):
    """A config the gateway cannot start with; the message names the file and the key."""


@dataclass(frozen=True)
class Upstream:
    name: str
    base_url: str
    models: tuple[str, ...] = ("*",)
    api_key: str | None = None  # None: pass the client's Authorization through
    timeout: float = 600.0
    connect_timeout: float = 10.0

    def serves(self, model: str) -> bool:
        return any(fnmatchcase(model, glob) for glob in self.models)


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

    def route(self, model: str) -> Upstream | None:
        return next((u for u in self.upstreams if u.serves(model)), None)


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
        upstreams.append(
            Upstream(
                name=str(u.get("name") or f"upstream-{i}"),
                base_url=u["base_url"].rstrip("/"),
                models=tuple(models),
                api_key=_read_secret(source, key, u, base),
                timeout=float(timeout),
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
    data_dir = audit_path.parent if audit_path else base / "data"

    veil = data.get("veil") or {}
    _need(isinstance(veil, dict), source, "veil", "must be a mapping")
    limits = data.get("limits") or {}
    max_body = limits.get("max_body_bytes", DEFAULT_MAX_BODY)
    _need(
        isinstance(max_body, int) and max_body > 0,
        source,
        "limits.max_body_bytes",
        "must be a positive integer",
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
    )
