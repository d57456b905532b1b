"""Built-in tools under the policy's ``hosted_tools``: allowed ones are forwarded with their
settings veiled, refused ones get a 400 in the API's shape naming the tool and nothing is
forwarded; the agents' own requests pass under the default policy."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import anthropic
import openai
import pytest

from proxy.policy import Policy, PolicyError, check_policy, default_policy_path, load_policy
from proxy.wire import anthropic as anthropic_wire
from proxy.wire import gemini, responses
from proxy.wire.errors import ApiError
from tests.conftest import Running, Upstream, start_gateway

FIXTURES = Path(__file__).parent / "fixtures"
POLICY = """
name: tools
terms: [Quorvex]
hosted_tools: {default: allow, mcp: refuse, code_execution: refuse}
"""


@pytest.fixture(scope="module")
def gw(upstream: Upstream, tmp_path_factory) -> Iterator[Running]:
    g = start_gateway(tmp_path_factory.mktemp("tools"), upstream.url, policy=POLICY)
    yield g
    g.stop()


def _openai(gw: Running) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{gw.url}/v1", api_key="k", max_retries=0)


def _anthropic(gw: Running) -> anthropic.Anthropic:
    return anthropic.Anthropic(base_url=gw.url, api_key="k", max_retries=0)


def _sent(upstream: Upstream) -> dict:
    (req,) = upstream.recorded()
    return req["body"]


def test_responses_allowed_tool_is_forwarded_veiled_refused_one_is_not(gw, upstream):
    upstream.clear()
    search = {"type": "web_search", "search_context_size": "low",
              "user_location": {"type": "approximate", "city": "Quorvex Park", "country": "FI"}}
    _openai(gw).responses.create(model="gpt-test", input="Search the Quorvex docs", tools=[search])
    tool = _sent(upstream)["tools"][0]
    assert tool["type"] == "web_search" and tool["search_context_size"] == "low"
    assert tool["user_location"]["country"] == "FI"
    assert "Quorvex" not in json.dumps(_sent(upstream))
    upstream.clear()
    for tools in ([{"type": "code_interpreter", "container": {"type": "auto"}}],
                  [{"type": "mcp", "server_label": "wiki", "server_url": "https://mcp.example"}]):
        with pytest.raises(openai.BadRequestError) as err:
            _openai(gw).responses.create(model="gpt-test", input="hi", tools=tools)
        assert err.value.code == "tool_refused"
        assert tools[0]["type"] in err.value.message and err.value.param == "tools[0].type"
    # Declared in a namespace inside Codex's additional_tools item: refused all the same.
    item = {"type": "additional_tools", "tools": [{"type": "namespace", "name": "ns",
                                                   "tools": [{"type": "code_interpreter"}]}]}
    with pytest.raises(openai.BadRequestError) as err:
        _openai(gw).responses.create(model="gpt-test", input=[item, {"role": "user",
                                                                      "content": "hi"}])
    assert err.value.param == "input[0].tools[0].tools[0].type"
    assert upstream.recorded() == []


def test_anthropic_server_tools_by_kind_and_mcp_servers(gw, upstream):
    upstream.clear()
    client = _anthropic(gw)
    search = {"type": "web_search_20250305", "name": "web_search", "max_uses": 2,
              "user_location": {"type": "approximate", "city": "Quorvex Park"}}
    bash = {"type": "bash_20250124", "name": "bash"}  # client-run, Anthropic's schema
    client.messages.create(model="claude-test", max_tokens=32, tools=[search, bash],
                           messages=[{"role": "user", "content": "What is new at Quorvex?"}])
    sent = _sent(upstream)
    assert [t["name"] for t in sent["tools"]] == ["web_search", "bash"]
    assert sent["tools"][0]["max_uses"] == 2 and "Quorvex" not in json.dumps(sent)
    upstream.clear()
    refused = [
        {"tools": [{"type": "code_execution_20250825", "name": "code_execution"}]},
        {"mcp_servers": [{"type": "url", "url": "https://mcp.example", "name": "wiki"}]},
    ]
    for extra in refused:
        with pytest.raises(anthropic.BadRequestError) as err:
            client.messages.create(model="claude-test", max_tokens=32, extra_body=extra,
                                   messages=[{"role": "user", "content": "hi"}])
        error = err.value.body["error"]
        assert error["type"] == "invalid_request_error"
        assert "refused by the CodeVeil policy (hosted_tools." in error["message"]
    assert upstream.recorded() == []


def test_gemini_tools_by_kind():
    policy = Policy(hosted_tools={"default": "allow", "code_execution": "refuse"})
    body = {"contents": [{"parts": [{"text": "hi"}]}],
            "tools": [{"googleSearch": {}}, {"urlContext": {}}]}
    gemini.request_slots(body, policy)
    with pytest.raises(ApiError) as err:
        gemini.request_slots({**body, "tools": [{"codeExecution": {}}]}, policy)
    assert (err.value.code, err.value.param) == ("tool_refused", "tools[0].codeExecution")
    assert "hosted_tools.code_execution" in gemini.error_body(err.value)["error"]["message"]
    # One policy line covers every API: web_search refuses Google Search too.
    with pytest.raises(ApiError):
        gemini.request_slots(body, Policy(hosted_tools={"web_search": "refuse"}))


def test_the_agents_run_under_the_default_policy():
    """Codex (gpt-5-codex declares web_search) and Claude Code pass the default policy's tool
    rules; a hosted MCP server does not."""
    policy = load_policy(default_policy_path())
    codex = json.loads((FIXTURES / "codex_exec_gpt5_codex_request.json").read_text())
    assert any(t.get("type") == "web_search" for t in codex["tools"])
    assert responses.request_slots(codex, policy)
    claude = json.loads((FIXTURES / "claude_code_request.json").read_text())
    assert anthropic_wire.request_slots(claude, policy)
    assert not policy.tool_allowed("mcp") and policy.tool_allowed("web_search")
    assert policy.tool_allowed("some_future_kind")


def test_policy_keys_are_checked(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nhosted_tools:\n  web_serach: refuse\ncontent_parts:\n"
                   "  file: redact\n")
    issues = check_policy(bad)
    assert {(i.line, i.key) for i in issues} >= {(3, "hosted_tools"), (5, "content_parts.file")}
    with pytest.raises(PolicyError):
        load_policy(bad)
    assert Policy().tool_allowed("mcp")  # built in code without the key: as before it existed
    assert not Policy(hosted_tools={"default": "refuse"}).tool_allowed("web_search")
