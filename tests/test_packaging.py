"""A plain wheel install works on its own: `pip install .` (not editable) into a fresh venv, then
`codeveil policy check`, `codeveil scan -` and `codeveil serve` from another directory.

Policies, the policy schema and the data sets are package data; an editable install hides a
missing one, because the repository is on the path. So the wheel is built from a copy of the
sources, installed without its dependencies (the project environment's are put on the new venv's
path by a .pth file: only its directory is added, so its editable-install hook never runs), and
every command runs from a directory holding no code, with no PYTHONPATH.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO, Running, free_port, wait_ready

SOURCES = ("pyproject.toml", "README.md", "proxy", "recognizers", "policies")
AWS = "AKIA" + "Q7ZB3XK2MV4PLT9R"


@dataclass
class Install:
    bin: Path
    elsewhere: Path  # a directory with no code in it: the commands run here
    env: dict[str, str]

    def run(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(self.bin / args[0]), *args[1:]], input=stdin,
                              capture_output=True, text=True, cwd=self.elsewhere, env=self.env,
                              timeout=300)


def _copy_sources(dest: Path) -> None:
    for name in SOURCES:
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, dest / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"))
        else:
            shutil.copy2(path, dest / name)


@pytest.fixture(scope="module")
def install(tmp_path_factory: pytest.TempPathFactory) -> Install:
    tmp = tmp_path_factory.mktemp("wheel")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    src = tmp / "src"
    src.mkdir()
    _copy_sources(src)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "-w", str(tmp / "dist"), str(src)], check=True, cwd=tmp, env=env, timeout=600)
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True, env=env).stdout.strip()
    Path(purelib, "project-dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    wheel = next((tmp / "dist").glob("codeveil-*.whl"))
    # pip comes from the project environment; it installs into the interpreter that runs it.
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
                    "--ignore-installed", str(wheel)], check=True, cwd=tmp, env=env, timeout=300)
    elsewhere = tmp / "elsewhere"
    (elsewhere / "policies").mkdir(parents=True)
    shutil.copy2(REPO / "policies" / "default.yaml", elsewhere / "policies" / "default.yaml")
    return Install(venv / "bin", elsewhere, env)


def test_the_installed_copy_is_the_one_imported(install: Install) -> None:
    out = install.run("python", "-c", "import policies, proxy, recognizers; "
                      "print(proxy.__file__, policies.__file__, recognizers.__file__)")
    assert out.returncode == 0, out.stderr
    venv = install.bin.parent
    assert all(Path(f).is_relative_to(venv) for f in out.stdout.split()), out.stdout


def test_policy_check_from_another_directory(install: Install) -> None:
    installed = install.run("python", "-c", "from proxy.policy import default_policy_path; "
                            "print(default_policy_path())").stdout.strip()
    out = install.run("codeveil", "policy", "check", installed, "policies/default.yaml")
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.splitlines() == [f"{installed}: ok", "policies/default.yaml: ok"]


def test_scan_stdin_with_the_default_policy(install: Install) -> None:
    out = install.run("codeveil", "scan", "-", "--json",
                      stdin=f"aws_access_key_id = {AWS}\nmail sanna@quorvex.com\n")
    assert out.returncode == 0, out.stderr
    assert AWS not in out.stdout.split('"replacements"')[0]
    assert '"AWS_ACCESS_KEY_ID"' in out.stdout and '"EMAIL"' in out.stdout


@pytest.fixture
def served(install: Install) -> Iterator[Running]:
    port = free_port()
    (install.elsewhere / "config.yaml").write_text(
        f"listen: {{host: 127.0.0.1, port: {port}}}\n"
        "upstreams:\n  - {name: echo, base_url: 'http://127.0.0.1:9/v1'}\n"
        "policy: policies/default.yaml\naudit: {path: data/audit.db}\n"
    )
    proc = subprocess.Popen([str(install.bin / "codeveil"), "serve", "--config", "config.yaml"],
                            cwd=install.elsewhere, env=install.env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    gw = Running(f"http://127.0.0.1:{port}", proc)
    yield gw
    gw.stop()


def test_serve_answers_healthz(served: Running) -> None:
    wait_ready(f"{served.url}/healthz", served.proc)  # raises unless it answers 200
