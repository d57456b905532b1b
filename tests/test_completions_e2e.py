"""Legacy completions and embeddings through the gateway, with the official openai SDK."""

from __future__ import annotations

import random

import openai
import pytest

from proxy.testing.planted import HOST, PLANTED, PROMPT, STRIPE


@pytest.fixture
def client(gateway) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{gateway.url}/v1", api_key="sk-client", max_retries=0)


def test_completion_prompts_are_veiled_and_restored(client, upstream):
    upstream.clear()
    prompts = [PROMPT, f"deploy to {HOST} with {STRIPE}"]
    answer = client.completions.create(model="gpt-3.5-turbo-instruct", prompt=prompts)
    assert [c.text for c in sorted(answer.choices, key=lambda c: c.index)] == prompts
    sent = upstream.recorded()[0]["body"]["prompt"]
    assert len(sent) == 2
    for value in PLANTED:
        assert all(value not in p for p in sent)


def test_streamed_completion_restores_each_choice(client, upstream):
    prompts = [PROMPT, f"deploy to {HOST}"]
    texts = {0: "", 1: ""}
    for chunk in client.completions.create(model="m", prompt=prompts, stream=True):
        for choice in chunk.choices:
            texts[choice.index] += choice.text or ""
    assert texts == {0: prompts[0], 1: prompts[1]}


def test_token_prompts_are_refused(client, upstream):
    upstream.clear()
    with pytest.raises(openai.BadRequestError) as err:
        client.completions.create(model="m", prompt=[[101, 2023, 102]])
    assert err.value.body["code"] == "token_input_refused"
    assert upstream.recorded() == []


def test_embedding_inputs_are_veiled_and_vectors_returned(client, upstream):
    upstream.clear()
    inputs = [f"ticket from {HOST}", "plain words"]
    result = client.embeddings.create(model="text-embedding-3-small", input=inputs)
    sent = upstream.recorded()[0]["body"]["input"]
    assert HOST not in sent[0] and sent[1] == "plain words"
    # The vectors are the upstream's, computed on what it received, passed through unchanged.
    rng = random.Random(sent[0])
    expected = [round(rng.uniform(-1, 1), 6) for _ in range(8)]
    assert result.data[0].embedding == pytest.approx(expected)
