"""Fail closed: when anything inside the veil breaks, nothing is forwarded.

The gateway runs in this process (so a recognizer can be made to fail) and serves the official
openai SDK over real HTTP, in front of the recording echo upstream.
"""

from __future__ import annotations

import json
import sqlite3

import openai
import pytest
from aiohttp import web

from proxy.config import Config, Upstream
from proxy.policy import Policy
from proxy.server.app import build_app
from proxy.testing.echo import RECORDED, build_echo_app
from proxy.veil.engine import Veil
from recognizers.base import Recognizer
from recognizers.context import DetectionContext, as_context
from tests.conftest import REPO, free_port


class Exploding(Recognizer):
    name, category = "exploding", "secret"

    def __init__(self) -> None:
        self.armed = False

    def analyze(self, ctx: DetectionContext | str) -> list:
        if self.armed:
            raise RuntimeError(f"boom while reading {as_context(ctx).text[:10]}")
        return []


async def serve(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, f"http://127.0.0.1:{port}"


@pytest.mark.parametrize("stream", [False, True])
async def test_a_failing_recognizer_refuses_the_request(stream):
    echo_runner, echo_url = await serve(build_echo_app())
    bomb = Exploding()
    policy = Policy(terms=("Quorvex",))
    config = Config(source=REPO / "test", host="127.0.0.1", port=0,
                    upstreams=(Upstream("echo", f"{echo_url}/v1"),), policy_path=REPO,
                    policy=policy, audit_path=None, key=b"k" * 32)
    gw_runner, gw_url = await serve(build_app(config, Veil(policy, b"k" * 32, [bomb])))
    try:
        client = openai.AsyncOpenAI(base_url=f"{gw_url}/v1", api_key="k", max_retries=0)
        ok = await client.chat.completions.create(
            model="m", messages=[{"role": "user", "content": "hello"}])
        assert ok.choices[0].message.content == "hello"
        bomb.armed = True
        with pytest.raises(openai.InternalServerError) as err:
            await client.chat.completions.create(
                model="m", messages=[{"role": "user", "content": "Quorvex secret"}],
                stream=stream)
        assert err.value.status_code == 500
        assert err.value.body["code"] == "anonymization_failed"
        assert "nothing was sent upstream" in err.value.body["message"]
        assert "Quorvex" not in str(err.value.body)
        assert len(echo_runner.app[RECORDED]) == 1  # only the request before the failure
    finally:
        await gw_runner.cleanup()
        await echo_runner.cleanup()


async def test_a_blocked_type_is_refused_with_403_and_not_forwarded(tmp_path):
    echo_runner, echo_url = await serve(build_echo_app())
    policy = Policy(actions={"AWS_ACCESS_KEY_ID": "block"})
    config = Config(source=REPO / "test", host="127.0.0.1", port=0,
                    upstreams=(Upstream("echo", f"{echo_url}/v1"),), policy_path=REPO,
                    policy=policy, audit_path=tmp_path / "audit.db", key=b"k" * 32)
    gw_runner, gw_url = await serve(build_app(config))
    try:
        client = openai.AsyncOpenAI(base_url=f"{gw_url}/v1", api_key="k", max_retries=0)
        with pytest.raises(openai.PermissionDeniedError) as err:
            await client.chat.completions.create(model="m", messages=[
                {"role": "user", "content": "aws_access_key_id = AKIAQ7ZB3XK2MV4PLT9R"}])
        assert err.value.body["code"] == "blocked_by_policy"
        assert "AWS_ACCESS_KEY_ID" in err.value.body["message"]
        assert echo_runner.app[RECORDED] == []
    finally:
        await gw_runner.cleanup()  # writes the queued audit record
        await echo_runner.cleanup()
    with sqlite3.connect(tmp_path / "audit.db") as db:
        blocked, findings = db.execute("SELECT blocked, findings FROM requests").fetchone()
    # The audit says what caused the block: the type and action, never the value.
    assert blocked == 1
    assert [(f["type"], f["action"]) for f in json.loads(findings)] == [
        ("AWS_ACCESS_KEY_ID", "block")]
    assert "AKIAQ7ZB3XK2MV4PLT9R" not in findings
