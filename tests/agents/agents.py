"""The coding agents the live tests run: how each is installed, pointed at a URL and started.

Every agent runs with its own defaults in a fresh HOME; only what it needs to reach a local
endpoint is configured (its base URL and a dummy key), plus, for the Gemini-CLI family, the
permission to run ``printf`` without a prompt (their headless mode offers no shell tool
otherwise).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
NODE_BIN = HERE / "node_modules" / ".bin"
AIDER = HERE / ".venv-aider" / "bin" / "aider"


@dataclass(frozen=True)
class Agent:
    name: str
    exe: Path
    api: str  # the wire format it speaks: anthropic | openai | gemini
    argv: Callable[[str, Path], list[str]]  # (prompt, HOME) -> the command line
    setup: Callable[[Path, str], dict[str, str]]  # (HOME, endpoint root) -> environment
    tool_output_evidence: bool = True  # False: no tool round trip (Aider edits a file instead)


def _claude(home: Path, root: str) -> dict[str, str]:
    return {
        "ANTHROPIC_BASE_URL": root,
        "ANTHROPIC_API_KEY": "sk-ant-live-test",
        "DISABLE_AUTOUPDATER": "1",
        "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
    }


def _codex(home: Path, root: str) -> dict[str, str]:
    codex_home = home / ".codex"
    codex_home.mkdir(parents=True, exist_ok=True)
    (codex_home / "config.toml").write_text(
        'model_provider = "codeveil"\n[model_providers.codeveil]\nname = "codeveil"\n'
        f'base_url = "{root}/v1"\nwire_api = "responses"\nenv_key = "CODEVEIL_KEY"\n'
        "request_max_retries = 0\nstream_max_retries = 0\n"
    )
    return {"CODEX_HOME": str(codex_home), "CODEVEIL_KEY": "sk-live-test"}


def _gemini_family(dirname: str, auth: str) -> Callable[[Path, str], dict[str, str]]:
    def setup(home: Path, root: str) -> dict[str, str]:
        (home / dirname).mkdir(parents=True, exist_ok=True)
        settings = {
            "security": {"auth": {"selectedType": auth}},
            "tools": {"allowed": ["run_shell_command(printf)"]},
        }
        (home / dirname / "settings.json").write_text(json.dumps(settings))
        if auth == "gemini-api-key":
            return {
                "GEMINI_API_KEY": "live-test",
                "GOOGLE_GEMINI_BASE_URL": root,
                "GEMINI_CLI_TRUST_WORKSPACE": "true",
            }
        return {
            "OPENAI_API_KEY": "sk-live-test",
            "OPENAI_BASE_URL": f"{root}/v1",
            "OPENAI_MODEL": "scripted",
        }

    return setup


def _opencode(home: Path, root: str) -> dict[str, str]:
    config = {
        "$schema": "https://opencode.ai/config.json",
        "model": "anthropic/claude-sonnet-4-5",
        "provider": {
            "anthropic": {"options": {"baseURL": f"{root}/v1", "apiKey": "sk-ant-live-test"}}
        },
    }
    (home / "opencode.json").write_text(json.dumps(config))
    return {"OPENCODE_CONFIG": str(home / "opencode.json")}


def _continue(home: Path, root: str) -> dict[str, str]:
    (home / "continue.yaml").write_text(
        "name: codeveil\nversion: 0.0.1\nschema: v1\nmodels:\n  - name: scripted\n"
        f"    provider: openai\n    model: scripted\n    apiBase: {root}/v1\n"
        "    apiKey: sk-live-test\n    roles: [chat]\n"
    )
    return {}


def _aider(home: Path, root: str) -> dict[str, str]:
    return {
        "OPENAI_API_BASE": f"{root}/v1",
        "OPENAI_API_KEY": "sk-live-test",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }


AGENTS = [
    Agent(
        "claude-code", NODE_BIN / "claude", "anthropic", lambda p, h: ["claude", "-p", p], _claude
    ),
    Agent("codex", NODE_BIN / "codex", "openai", lambda p, h: ["codex", "exec", p], _codex),
    Agent(
        "codex-gpt-5-codex",
        NODE_BIN / "codex",
        "openai",
        lambda p, h: ["codex", "exec", "-m", "gpt-5-codex", p],
        _codex,
    ),
    Agent(
        "gemini-cli",
        NODE_BIN / "gemini",
        "gemini",
        lambda p, h: ["gemini", "-p", p],
        _gemini_family(".gemini", "gemini-api-key"),
    ),
    Agent(
        "qwen-code",
        NODE_BIN / "qwen",
        "openai",
        lambda p, h: ["qwen", "-p", p],
        _gemini_family(".qwen", "openai"),
    ),
    Agent(
        "opencode",
        NODE_BIN / "opencode",
        "anthropic",
        lambda p, h: ["opencode", "run", p],
        _opencode,
    ),
    Agent(
        "continue-cli",
        NODE_BIN / "cn",
        "openai",
        lambda p, h: ["cn", "-p", "--config", str(h / "continue.yaml"), p],
        _continue,
    ),
    Agent(
        "aider",
        AIDER,
        "openai",
        lambda p, h: [
            str(AIDER),
            "--model",
            "openai/scripted",
            "--yes-always",
            "--no-check-update",
            "--analytics-disable",
            "--no-show-model-warnings",
            "--message",
            p,
        ],
        _aider,
        tool_output_evidence=False,
    ),
]
