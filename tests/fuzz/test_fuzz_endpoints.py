"""Every API surface's JSON, fuzzed: valid requests, hostile values and random bytes.

The gateway (``build_app``) and the recording echo upstream run in this process on real ports,
in a thread of their own; hypothesis sends each example over HTTP. Valid request shapes carry
planted values (a company term, an email, a token) anywhere in their strings, and get mutated:
a value replaced by another type, a huge number, deep nesting, a lone surrogate, a NaN-ish
string, random JSON, or bytes that are no JSON at all. After every example:

- the status is below 500, or 502/503/504 (an upstream failure), never aiohttp's text 500;
- an error body is JSON in the surface's own shape;
- nothing the upstream recorded contains a planted value;
- a valid request's answer holds the request's text exactly (the echo answers with it), so no
  dummy reached the client;
and once the examples are done, the audit hash chain verifies.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiohttp import web
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from proxy.config import Config, Upstream
from proxy.policy import Policy
from proxy.server.app import build_app
from proxy.server.keys import AUDIT
from proxy.testing.echo import RECORDED, build_echo_app
from tests.conftest import REPO, free_port
from tests.fuzz import examples

PLANTED = ("Quorvex", "jane.holloway@example.org", "ghp_" + "R8xk2LmQ9vTz4WbN7pYc3HdJ6sFa1Ue5Gq0K")
TEXT_OF_SURFACE = {  # the surface, and where a request's text goes in its valid shape
    "chat": "/v1/chat/completions", "completions": "/v1/completions",
    "embeddings": "/v1/embeddings", "responses": "/v1/responses", "messages": "/v1/messages",
    "count_tokens": "/v1/messages/count_tokens",
    "gemini": "/v1beta/models/gemini-test:generateContent",
    "gemini_stream": "/v1beta/models/gemini-test:streamGenerateContent",
}


class Stack:
    """The echo upstream and the gateway, served from one event loop in a thread."""

    def __init__(self, tmp: Path) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.echo_runner, echo_url = self.call(self._serve(build_echo_app()))
        config = Config(
            source=REPO / "test", host="127.0.0.1", port=0, policy_path=REPO,
            upstreams=(Upstream("gemini", f"{echo_url}/v1beta", ("gemini-*",), kind="gemini",
                                retries=0),
                       Upstream("echo", f"{echo_url}/v1", retries=0)),
            policy=Policy(terms=("Quorvex",)), audit_path=tmp / "audit.db", key=b"k" * 32)
        self.app = build_app(config)
        self.gw_runner, self.url = self.call(self._serve(self.app))

    def call(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(60)

    @staticmethod
    async def _serve(app: web.Application) -> tuple[web.AppRunner, str]:
        runner = web.AppRunner(app)
        await runner.setup()
        port = free_port()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        return runner, f"http://127.0.0.1:{port}"

    def recorded(self) -> list[dict]:
        return self.echo_runner.app[RECORDED]

    def close(self) -> None:
        self.call(self.gw_runner.cleanup())
        self.call(self.echo_runner.cleanup())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    s = Stack(tmp_path_factory.mktemp("fuzz"))
    yield s
    s.close()


# --- request bodies ----------------------------------------------------------------------------

words = st.sampled_from(["def ", "fix ", "the ", "bug", " in ", "\n", "é", "日本", "\t", "{", "\"",
                         "\\", "\u2028", "NaN", "Infinity", "-0", "1e999", "\x00", "\ufeff"])
plain = st.lists(words, max_size=12).map("".join)


@st.composite
def with_planted(draw: st.DrawFn) -> str:
    """Text with zero to three planted values at arbitrary positions."""
    parts = [draw(plain)]
    for value in draw(st.lists(st.sampled_from(PLANTED), max_size=3)):
        parts += [" " + value + draw(st.sampled_from([" ", ".", ", ", "\n"])), draw(plain)]
    return "".join(parts)


def valid(surface: str, text: str, stream: bool) -> dict[str, Any]:
    user = {"role": "user", "content": text}
    if surface == "chat":
        return {"model": "m", "messages": [user], "stream": stream}
    if surface == "completions":
        return {"model": "m", "prompt": text, "stream": stream}
    if surface == "embeddings":
        return {"model": "m", "input": [text]}
    if surface == "responses":
        return {"model": "m", "input": text, "stream": stream}
    if surface in ("messages", "count_tokens"):
        body: dict[str, Any] = {"model": "claude-test", "max_tokens": 64, "messages": [user]}
        return {**body, "stream": stream} if surface == "messages" else body
    return {"contents": [{"role": "user", "parts": [{"text": text}]}]}


hostile_leaf = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.just(10**400), st.floats(allow_nan=False, allow_infinity=False), plain, with_planted(),
    st.sampled_from(["NaN", "Infinity", "-Infinity", "\ud800", "\udfff", "", " ", "[DONE]"]),
)
random_json = st.recursive(hostile_leaf, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=6) | st.sampled_from(
                               ["model", "messages", "content", "role", "input", "prompt",
                                "stream", "contents", "parts", "text", "tools"]), inner,
                               max_size=4), max_leaves=16)


def deep(depth: int) -> Any:
    value: Any = "bottom"
    for i in range(depth):
        value = [value] if i % 2 else {"content": value}
    return value


def deep_raw(depth: int) -> bytes:
    """A body nested deeper than Python's own JSON encoder goes (written out as bytes)."""
    return b'{"model": "m", "messages": ' + b'[{"content": ' * depth + b'"x"' + b"}]" * depth + b"}"


hostile = st.one_of(hostile_leaf, random_json, st.integers(50, 300).map(deep))


def paths(obj: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in a body a value can be swapped (the body itself excluded)."""
    out = []
    items = obj.items() if isinstance(obj, dict) else enumerate(obj) if isinstance(obj, list) \
        else ()
    for k, v in items:
        out.append((*prefix, k))
        out += paths(v, (*prefix, k))
    return out


def swap(obj: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(obj, dict):
        return {**obj, head: swap(obj[head], rest, value)}
    return [swap(v, rest, value) if i == head else v for i, v in enumerate(obj)]


@st.composite
def requests(draw: st.DrawFn) -> tuple[str, bytes, str | None]:
    """(surface, raw body, the text when the body is a valid request)."""
    surface = draw(st.sampled_from(sorted(TEXT_OF_SURFACE)))
    text = draw(with_planted())
    body = valid(surface, text, draw(st.booleans()))
    kind = draw(st.sampled_from(["valid", "valid", "mutated", "mutated", "random", "bytes",
                                 "deep"]))
    if kind == "bytes":
        return surface, draw(st.binary(max_size=64)), None
    if kind == "deep":
        return surface, deep_raw(draw(st.integers(100, 20000))), None
    if kind == "random":
        body = draw(random_json)
    elif kind == "mutated":
        body = swap(body, draw(st.sampled_from(paths(body))), draw(hostile))
    raw = json.dumps(body)  # ASCII: a lone surrogate goes as its \\u escape, as clients send it
    return surface, raw.encode(), text if kind == "valid" else None


# --- invariants --------------------------------------------------------------------------------

def error_shape_ok(surface: str, status: int, body: Any) -> bool:
    if not isinstance(body, dict) or not isinstance(body.get("error"), dict):
        return False
    err = body["error"]
    if not isinstance(err.get("message"), str):
        return False
    if surface in ("messages", "count_tokens"):
        return body.get("type") == "error" and isinstance(err.get("type"), str)
    if surface.startswith("gemini"):
        return err.get("code") == status and isinstance(err.get("status"), str)
    return isinstance(err.get("type"), str)


def strings(obj: Any) -> list[str]:
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, list):
        return [s for v in obj for s in strings(v)]
    if isinstance(obj, dict):
        return [s for v in obj.values() for s in strings(v)]
    return []


def check(stack: Stack, surface: str, raw: bytes, text: str | None) -> int:
    before = len(stack.recorded())
    r = httpx.post(stack.url + TEXT_OF_SURFACE[surface], content=raw, timeout=60,
                   headers={"Content-Type": "application/json", "Authorization": "Bearer k",
                            "x-goog-api-key": "k", "x-api-key": "k"})
    assert r.status_code < 500 or r.status_code in (502, 503, 504), (r.status_code, r.text)
    sent = json.dumps([rec["body"] for rec in stack.recorded()[before:]], ensure_ascii=False)
    for value in PLANTED:
        assert value not in sent, (surface, value)
    if r.status_code >= 400:
        assert r.headers["content-type"].startswith("application/json"), r.text
        assert error_shape_ok(surface, r.status_code, r.json()), r.text
        for value in PLANTED:  # an error names the problem, never the request's values
            assert value not in r.text, (surface, r.text)
        return r.status_code
    if text is None or surface in ("embeddings", "count_tokens"):
        return r.status_code
    if r.headers["content-type"].startswith("text/event-stream"):
        events = [json.loads(line[6:]) for line in r.text.split("\n")
                  if line.startswith("data: ") and line != "data: [DONE]"]
        assert not [e for e in events if isinstance(e.get("error"), dict)
                    or e.get("type") == "error"], r.text  # a valid request's stream has no error
        # The echo streams the request's text back in pieces: restored, they make it up again.
        assert text in "".join(stream_text(surface, e) for e in events), (text, r.text)
        return r.status_code
    # The echo answers with the request's text: restored, the answer holds it exactly.
    assert text.strip() == "" or any(text in s for s in strings(r.json())), (text, r.text)
    return r.status_code


def stream_text(surface: str, event: dict) -> str:
    """The model's text in one streamed event of ``surface``."""
    if surface in ("chat", "completions"):
        return "".join((c.get("delta") or {}).get("content") or c.get("text") or ""
                       for c in event.get("choices", []))
    if surface == "responses":
        return event["delta"] if event.get("type") == "response.output_text.delta" else ""
    if surface == "messages":
        return (event.get("delta") or {}).get("text", "") \
            if event.get("type") == "content_block_delta" else ""
    return "".join(p.get("text", "") for c in event.get("candidates", [])
                   for p in c.get("content", {}).get("parts", []))


@pytest.mark.parametrize("surface", sorted(TEXT_OF_SURFACE))
def test_each_surface_answers_a_valid_request_with_its_own_text(stack, surface):
    """The baseline the fuzzing builds on: a plain request with every planted value."""
    text = "Ask Quorvex: mail jane.holloway@example.org the token " + PLANTED[2] + " now."
    before = len(stack.recorded())
    check(stack, surface, json.dumps(valid(surface, text, False)).encode(), text)
    assert len(stack.recorded()) == before + 1  # it was forwarded, anonymized


def test_fuzzed_requests_keep_every_invariant(stack):
    @settings(max_examples=examples(120), deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(requests())
    @example(("chat", json.dumps({"model": "m", "messages": [
        {"role": "user", "content": "\ud800 Quorvex"}]}).encode(), "\ud800 Quorvex"))
    @example(("gemini", deep_raw(100_000), None))
    @example(("messages", b'{"model": "m", "max_tokens": 1e999, "messages": []}', None))
    def run(request: tuple[str, bytes, str | None]) -> None:
        status = check(stack, *request)
        seen[("valid" if request[2] is not None else "hostile", status // 100)] += 1

    seen: Counter[tuple[str, int]] = Counter()
    run()
    print("fuzzed requests (kind, status class): count", dict(seen))
    # the examples reached both sides: valid requests answered, hostile ones refused
    assert seen["valid", 2] > 10 and seen["hostile", 4] > 10, seen
    store = stack.app[AUDIT]
    store.flush()
    verdict = store.verify()
    assert verdict.ok and verdict.checked > 0, verdict
