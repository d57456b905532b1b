"""The client's own vocabulary is public: what a request declares is never renamed.

Coding agents declare their tools and parameters and name their model; their prompts talk about
them. Renaming ``EnterWorktree`` or ``timeout_ms`` breaks the agent, and "Claude Opus" is a
model, not a person. The policy's terms still win inside a declared name.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from proxy.policy import Policy, load_policy
from proxy.policy.loader import default_policy_path
from proxy.veil.engine import Veil
from proxy.wire.base import declared_names

FIXTURES = Path(__file__).parent / "fixtures"
PROSE = (
    "Use EnterWorktree to start a worktree, then ExitWorktree. Call write_stdin with a "
    "timeout_ms. Commits end with: Co-Authored-By: Claude Opus 4.8."
)
TOOLS = [{"name": "EnterWorktree", "input_schema": {"type": "object", "properties": {}}},
         {"name": "ExitWorktree", "input_schema": {"type": "object"}},
         {"name": "write_stdin", "input_schema": {
             "type": "object", "properties": {"timeout_ms": {"type": "number"}}}}]


@pytest.fixture(scope="module")
def veil() -> Veil:
    return Veil(load_policy(default_policy_path()), b"k" * 32)


def test_declared_names_in_every_api():
    chat = {"model": "gpt-5", "tools": [{"type": "function", "function": {
        "name": "run_shell", "parameters": {"properties": {"cmd": {}, "opts": {
            "properties": {"cwd": {}}}}}}}]}
    assert declared_names(chat, "gpt-5") == {"run_shell", "cmd", "opts", "cwd", "gpt-5"}
    codex = json.loads((FIXTURES / "codex_exec_request.json").read_text())
    names = declared_names(codex)
    assert {"functions", "exec", "wait_agent", "timeout_ms", "spawn_agent"} <= names
    gemini = {"tools": [{"functionDeclarations": [{"name": "read_file", "parameters": {
        "properties": {"absolute_path": {}}}}]}]}
    assert declared_names(gemini, "gemini-2.5-pro") == {"read_file", "absolute_path",
                                                       "gemini-2.5-pro"}
    assert declared_names({}, None, "claude-cli/2.1.332 (external, sdk-cli) node/20") == {
        "claude-cli", "node"}


def test_declared_vocabulary_is_left_alone(veil):
    names = declared_names({"tools": TOOLS}, "claude-opus-4-8")
    (plain,), _ = veil.anonymize([PROSE])
    assert plain != PROSE  # without the client's vocabulary these look private
    (kept,), mapping = veil.anonymize([PROSE], veil.vocabulary(names))
    assert kept == PROSE
    assert not mapping.findings


def test_policy_terms_win_inside_declared_names():
    veil = Veil(Policy(terms=("Quorvex",)), b"k" * 32)
    names = declared_names({"tools": [{"name": "quorvex_deploy", "input_schema": {}}]})
    (sent,), _ = veil.anonymize(["run quorvex_deploy for Quorvex"], veil.vocabulary(names))
    assert "quorvex" not in sent.lower()


def test_private_values_stay_private_next_to_declared_names(veil):
    names = declared_names({"tools": TOOLS}, "claude-opus-4-8")
    text = "EnterWorktree for sanna.virtanen@example.org, key AKIAQ7ZB3XK2MV4PLT9R"
    (sent,), _ = veil.anonymize([text], veil.vocabulary(names))
    assert sent.startswith("EnterWorktree for ")
    assert "sanna.virtanen" not in sent and "AKIAQ7ZB3XK2MV4PLT9R" not in sent
