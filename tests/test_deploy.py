"""deploy/: the Kubernetes manifests against the API schemas (kubernetes-validate, offline), and
both deployments against what the image and the CLI really offer: the command parses, the
config it names loads from the files mounted where the config says, ports match the Dockerfile,
probes and health checks hit /healthz, and no key is written into a deployment file."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from proxy.cli import serve
from proxy.config import load_config
from proxy.server.master import STOP_GRACE_S
from tests.conftest import REPO

DEPLOY = REPO / "deploy"
K8S = DEPLOY / "k8s"
KUBERNETES = "1.30"  # the oldest version these manifests promise to work with
DOCKERFILE = (REPO / "Dockerfile").read_text()


def manifests() -> list[dict[str, Any]]:
    return [d for f in sorted(K8S.glob("*.yaml")) if f.name != "kustomization.yaml"
            for d in yaml.safe_load_all(f.read_text()) if d]


def kind(name: str) -> list[dict[str, Any]]:
    return [d for d in manifests() if d["kind"] == name]


def serve_args(command: list[str]) -> Any:
    """The command as `codeveil serve` parses it (argparse exits on an unknown flag)."""
    assert command[:2] == ["codeveil", "serve"]
    import argparse

    parser = argparse.ArgumentParser(prog="codeveil")
    serve.add_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(command[1:])


def dockerfile_port() -> int:
    return int(re.search(r"^EXPOSE (\d+)$", DOCKERFILE, re.M).group(1))


def load_mounted(tmp: Path, config_path: str, files: dict[str, str]) -> Any:
    """Load ``config_path`` as the container would, each file of ``files`` (its path in the
    container -> its text) written under ``tmp``; the image's /app/policies is this repo's."""
    def here(path: str) -> str:
        return str(tmp) + path

    for path, text in files.items():
        Path(here(path)).parent.mkdir(parents=True, exist_ok=True)
        text = re.sub(r"(?<=[\s{:])/(etc|run)/", lambda m: f"{tmp}/{m.group(1)}/", text)
        Path(here(path)).write_text(text.replace("/app/policies/", f"{REPO}/policies/"))
    return load_config(here(config_path))


# -- Kubernetes ----------------------------------------------------------------------------------


def test_manifests_are_valid_kubernetes_resources():
    docs = manifests()
    assert {d["kind"] for d in docs} >= {
        "Deployment", "Service", "ConfigMap", "Secret", "HorizontalPodAutoscaler"}
    for doc in docs:  # strict: an unknown or misspelt field fails too
        kubernetes_validate.validate(doc, KUBERNETES, strict=True)
    broken = kind("Deployment")[0]
    broken["spec"]["replica"] = broken["spec"].pop("replicas")
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES, strict=True)
    listed = yaml.safe_load((K8S / "kustomization.yaml").read_text())["resources"]
    assert sorted(listed) == sorted(f.name for f in K8S.glob("*.yaml")
                                    if f.name != "kustomization.yaml")


def test_the_deployment_runs_what_the_image_and_config_offer(tmp_path: Path):
    (deployment,) = kind("Deployment")
    pod = deployment["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    args = serve_args(container["command"])
    volumes = {v["name"]: v for v in pod["volumes"]}
    sources = {d["metadata"]["name"]: d for d in kind("ConfigMap") + kind("Secret")}
    files = {}
    for mount in container["volumeMounts"]:
        volume = volumes[mount["name"]]
        ref = volume.get("configMap", {}).get("name") or volume.get("secret", {}).get("secretName")
        if ref:
            source = sources[ref]
            for key, text in (source.get("data") or source.get("stringData")).items():
                files[f"{mount['mountPath']}/{key}"] = text
    config = load_mounted(tmp_path, args.config, files)
    assert config.host == "0.0.0.0" and config.audit_url and config.audit_url.startswith(
        "postgresql://")
    assert "Acme" in config.policy.terms and len(config.policy.files) == 2  # extends the default
    (secret,) = kind("Secret")
    assert config.key == secret["stringData"]["surrogate-key"].encode()  # read, not created
    assert config.audit_url == secret["stringData"]["audit-url"]
    port = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert config.port == port["http"] == dockerfile_port()
    # one worker per CPU the pod may use
    assert config.workers == int(container["resources"]["limits"]["cpu"])
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        assert container[probe]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert pod["securityContext"]["runAsUser"] == int(
        re.search(r"useradd .*--uid (\d+)", DOCKERFILE).group(1))
    assert pod["terminationGracePeriodSeconds"] > STOP_GRACE_S + 5  # + the preStop sleep
    assert "/tmp" in {m["mountPath"] for m in container["volumeMounts"]}  # read-only root

    labels = deployment["spec"]["template"]["metadata"]["labels"]
    (service,) = kind("Service")
    assert service["spec"]["selector"].items() <= labels.items()
    assert {p["targetPort"] for p in service["spec"]["ports"]} <= set(port)
    (hpa,) = kind("HorizontalPodAutoscaler")
    assert hpa["spec"]["scaleTargetRef"]["name"] == deployment["metadata"]["name"]
    assert container["resources"]["requests"]["cpu"]  # the HPA's utilization needs a request


def test_the_secret_is_a_template_without_keys():
    (secret,) = kind("Secret")
    for value in secret["stringData"].values():
        assert "REPLACE_WITH" in value


# -- compose ---------------------------------------------------------------------------------


def test_compose_runs_the_image_the_cli_and_healthcheck_offer(tmp_path: Path):
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    gw = compose["services"]["gateway"]
    assert (DEPLOY / gw["build"]["context"] / gw["build"]["dockerfile"]).resolve() == \
        REPO / "Dockerfile"
    args = serve_args(gw["command"])
    files = {}
    for volume in gw["volumes"]:
        host, container, *_ = volume.split(":")
        files[container] = (DEPLOY / host).read_text()
    for name in gw["secrets"]:  # the operator makes these files; stand-ins here
        assert compose["secrets"][name]["file"].startswith("./secrets/")
        files[f"/run/secrets/{name}"] = {
            "audit_url": "postgresql://codeveil:pw@postgres:5432/codeveil"}.get(name, "k" * 64)
    config = load_mounted(tmp_path, args.config, files)
    assert config.audit_url == files["/run/secrets/audit_url"] and config.key == b"k" * 64
    assert config.workers == int(gw["deploy"]["resources"]["limits"]["cpus"])
    assert [str(config.port)] == gw["expose"] and config.port == dockerfile_port()
    check = gw["healthcheck"]["test"]
    assert check[0] == "CMD" and f"http://127.0.0.1:{config.port}/healthz" in check[-1]
    assert check[1:] == shlex.split(re.search(r"CMD (python -c .*)$", DOCKERFILE, re.M).group(1))
    assert gw["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert _seconds(gw["stop_grace_period"]) > STOP_GRACE_S
    assert "/tmp" in gw["tmpfs"]

    pg = compose["services"]["postgres"]
    assert pg["environment"]["POSTGRES_PASSWORD_FILE"] == "/run/secrets/postgres_password"
    assert "postgres_password" in pg["secrets"]
    nginx = compose["configs"]["nginx_conf"]["content"]
    assert f"http://gateway:{config.port}" in nginx and "proxy_buffering off" in nginx
    listen = re.search(r"listen (\d+);", nginx).group(1)
    assert compose["services"]["proxy"]["ports"][0].endswith(f":{listen}")


def test_deployment_files_hold_no_keys_and_interpolate_nothing_by_accident():
    text = (DEPLOY / "compose.yaml").read_text()
    # compose interpolates $VAR everywhere: nginx's variables must be written $$var
    assert re.findall(r"(?<!\$)\$(?!\$)[{A-Za-z_]\S*", text) == ["${GATEWAY_REPLICAS:-2}"]
    for service in yaml.safe_load(text)["services"].values():
        for name, value in (service.get("environment") or {}).items():
            assert not re.search(r"PASSWORD$|KEY$|SECRET$|TOKEN$", name), name
            assert "postgresql://" not in str(value)
    assert (DEPLOY / "secrets" / ".gitignore").read_text().split("\n")[-3:-1] == [
        "*", "!.gitignore"]


def _seconds(duration: str) -> float:
    return float(duration.rstrip("s"))
