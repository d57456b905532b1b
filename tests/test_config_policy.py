"""Config and policy loading: what starts, and errors that name the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from proxy.config import ConfigError, load_config
from proxy.policy import PolicyError, load_policy
from tests.conftest import REPO


def write(tmp: Path, config: str, policy: str = "terms: [Acme]\n") -> Path:
    (tmp / "policy.yaml").write_text(policy)
    (tmp / "config.yaml").write_text(config)
    return tmp / "config.yaml"


BASE = (
    "listen: {host: 127.0.0.1, port: 8081}\n"
    "upstreams:\n  - name: a\n    base_url: http://127.0.0.1:9/v1\n    models: ['gpt-*']\n"
    "  - name: b\n    base_url: http://127.0.0.1:10/v1\n"
    "policy: policy.yaml\naudit: {path: data/audit.db}\n"
)


def test_contract_config_loads_relative_paths_and_routes_by_glob(tmp_path):
    cfg = load_config(write(tmp_path, BASE))
    assert cfg.port == 8081 and cfg.policy.terms == ("Acme",)
    assert cfg.policy_path == tmp_path / "policy.yaml"
    assert cfg.audit_path == tmp_path / "data" / "audit.db"
    assert cfg.route("gpt-4o").name == "a" and cfg.route("claude-3").name == "b"
    assert cfg.upstreams[0].api_key is None  # the client's key is passed through
    key_file = tmp_path / "data" / "surrogate.key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert load_config(tmp_path / "config.yaml").key == cfg.key  # stable across restarts
    # big requests are anonymized in one child process per gateway process
    assert (cfg.offload_chars, cfg.offload_processes) == (64 * 1024, 1)


def test_upstream_key_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("TEST_UPSTREAM_KEY", "sk-from-env")
    cfg = load_config(write(tmp_path, BASE.replace(
        "models: ['gpt-*']", "models: ['gpt-*']\n    api_key_env: TEST_UPSTREAM_KEY")))
    assert cfg.upstreams[0].api_key == "sk-from-env"
    monkeypatch.delenv("TEST_UPSTREAM_KEY")
    with pytest.raises(ConfigError, match=r"upstreams\[0\]\.api_key_env"):
        load_config(tmp_path / "config.yaml")


def test_workers_and_audit_url_from_a_mounted_secret(tmp_path):
    """What deploy/ relies on: the worker count, and the PostgreSQL URL (with its password) read
    from a secret file, never echoed in an error."""
    secret = tmp_path / "audit_url"
    secret.write_text("postgresql://codeveil:s3cret-pw@db:5432/codeveil\n")
    assert load_config(write(tmp_path, BASE)).workers is None  # one per core
    cfg = load_config(write(tmp_path, BASE.replace(
        "audit: {path: data/audit.db}", f"audit: {{url_file: {secret}}}\nworkers: 3")))
    assert cfg.audit_url == "postgresql://codeveil:s3cret-pw@db:5432/codeveil"
    assert cfg.workers == 3
    secret.write_text("mysql://codeveil:s3cret-pw@db/codeveil")
    with pytest.raises(ConfigError, match=r"'audit\.url'") as err:
        load_config(tmp_path / "config.yaml")
    assert "s3cret-pw" not in str(err.value)
    secret.unlink()
    with pytest.raises(ConfigError, match=r"'audit\.url_file'"):
        load_config(tmp_path / "config.yaml")


@pytest.mark.parametrize(("config", "key"), [
    (BASE.replace("port: 8081", "port: http"), "listen.port"),
    (BASE + "workers: 0\n", "workers"),
    (BASE + "workers: two\n", "workers"),
    (BASE.replace("http://127.0.0.1:9/v1", "ftp://x"), "upstreams[0].base_url"),
    (BASE.replace("policy: policy.yaml", "policy: missing.yaml"), "policy"),
    ("listen: {}\n", "upstreams"),
    (BASE + "limits: {offload_chars: -1}\n", "limits.offload_chars"),
    (BASE + "limits: {offload_processes: 0}\n", "limits.offload_processes"),
])
def test_config_errors_name_the_file_and_key(tmp_path, config, key):
    path = write(tmp_path, config)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(path) in str(err.value) and f"'{key}'" in str(err.value)


@pytest.mark.parametrize(("policy", "key", "what"), [
    ("terms: Acme\n", "terms", "is not of type 'array'"),
    ("actions: {secret: obliterate}\n", "actions.secret", "obliterate"),
    ("identifiers: some\n", "identifiers", "some"),
    ("colour: blue\n", "(top level)", "colour"),
])
def test_policy_errors_name_the_file_and_key(tmp_path, policy, key, what):
    (tmp_path / "p.yaml").write_text(policy)
    with pytest.raises(PolicyError) as err:
        load_policy(tmp_path / "p.yaml")
    message = str(err.value)
    assert str(tmp_path / "p.yaml") in message and f"'{key}'" in message and what in message


def test_shipped_policies_are_valid():
    for path in (REPO / "policies").glob("*.yaml"):
        load_policy(path)
    default = load_policy(REPO / "policies" / "default.yaml")
    assert default.identifiers == "proprietary" and default.action("AWS_KEY", "secret") == (
        "pseudonymize")
