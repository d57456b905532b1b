"""The Gemini API through the gateway, with Google's own SDK (google-genai), as Gemini CLI uses it.

The gateway runs in front of the echo upstream as a `gemini` kind upstream; each test asserts
what reached the upstream and what the client got back.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
from google import genai
from google.genai import errors, types

from proxy.testing.echo.gemini import echo_text
from proxy.testing.planted import HOST, PLANTED, PROMPT, PUBLIC
from tests.conftest import Running, Upstream, start_gateway

SYSTEM = "You review Quorvex code."


@pytest.fixture(scope="module")
def gemini_gateway(upstream: Upstream, tmp_path_factory) -> Iterator[Running]:
    gw = start_gateway(
        tmp_path_factory.mktemp("gemini"), upstream.url, base_url=f"{upstream.url}/v1beta",
        upstream_extra="    kind: gemini\n",
    )
    yield gw
    gw.stop()


@pytest.fixture
def client(gemini_gateway: Running) -> genai.Client:
    return genai.Client(api_key="AIza-client-key",
                        http_options=types.HttpOptions(base_url=gemini_gateway.url))


def sent(upstream: Upstream) -> dict:
    (req,) = upstream.recorded()
    return req


def assert_veiled(body: dict) -> None:
    text = json.dumps(body, ensure_ascii=False)
    for value in PLANTED:
        assert value not in text, value
    assert "quorvex" not in text.lower()
    for value in PUBLIC:
        assert value in echo_text(body), value


def test_generate_content_is_veiled_and_restored(client, upstream):
    upstream.clear()
    answer = client.models.generate_content(
        model="gemini-test", contents=PROMPT,
        config=types.GenerateContentConfig(system_instruction=SYSTEM))
    assert answer.text == f"{SYSTEM}\n\n{PROMPT}"
    req = sent(upstream)
    assert req["path"] == "/v1beta/models/gemini-test:generateContent"
    assert req["headers"]["x-goog-api-key"] == "AIza-client-key"  # pass-through, as sent
    assert_veiled(req["body"])


def test_streamed_text_is_restored(client, upstream):
    upstream.clear()
    pieces = [chunk.text or "" for chunk in client.models.generate_content_stream(
        model="gemini-test", contents=PROMPT)]
    assert len(pieces) > 10
    assert "".join(pieces) == PROMPT
    req = sent(upstream)
    assert req["path"] == "/v1beta/models/gemini-test:streamGenerateContent"
    assert_veiled(req["body"])


def test_function_calls_are_veiled_and_restored(client, upstream):
    upstream.clear()
    tool = types.Tool(function_declarations=[types.FunctionDeclaration(
        name="run_shell", description="Runs a command on a Quorvex build host.",
        parameters=types.Schema(type="OBJECT", properties={"cmd": types.Schema(type="STRING")}))])
    history = [
        types.Content(role="user", parts=[types.Part(text=PROMPT)]),
        types.Content(role="model", parts=[types.Part(function_call=types.FunctionCall(
            name="run_shell", args={"cmd": f"ping {HOST}"}))]),
        types.Content(role="user", parts=[types.Part(function_response=types.FunctionResponse(
            name="run_shell", response={"output": f"{HOST} unreachable"}))]),
    ]
    for stream in (False, True):
        config = types.GenerateContentConfig(tools=[tool])
        if stream:
            chunks = list(client.models.generate_content_stream(
                model="echo-tools", contents=history, config=config))
            calls = [c for chunk in chunks for c in chunk.function_calls or []]
        else:
            calls = client.models.generate_content(
                model="echo-tools", contents=history, config=config).function_calls
        assert [(c.name, c.args) for c in calls] == [("run_shell", {"cmd": f"ping {HOST}"})]
    for req in upstream.recorded():
        assert HOST not in json.dumps(req["body"])
        assert "quorvex" not in json.dumps(req["body"]).lower()


def test_errors_and_refusals_come_in_googles_shape(client, gemini_gateway, upstream):
    upstream.clear()
    with pytest.raises(errors.ClientError) as err:
        client.models.generate_content(model="error-400", contents=PROMPT)
    assert err.value.code == 400
    upstream.clear()
    image = {"inlineData": {"mimeType": "image/png", "data": "AAAA"}}
    r = httpx.post(f"{gemini_gateway.url}/v1beta/models/gemini-test:generateContent",
                   json={"contents": [{"role": "user", "parts": [{"text": "see"}, image]}]})
    assert r.status_code == 400
    error = r.json()["error"]
    assert error["status"] == "INVALID_ARGUMENT" and error["code"] == 400
    assert "image" in error["message"]
    assert upstream.recorded() == []
