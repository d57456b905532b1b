"""The Gemini API wire format: every text slot veiled, answers and streams restored."""

from __future__ import annotations

import json

import pytest

from proxy.policy import Policy
from proxy.veil.engine import Veil
from proxy.wire.errors import ApiError
from proxy.wire.gemini import GeminiGenerateContent, GeminiStreamRestorer, request_slots

POLICY = Policy(
    terms=("Quorvex", "Stellan Labs"),
    internal_domains=("corp.quorvex.internal",),
)
FMT = GeminiGenerateContent()
PROMPT = "Why does QuorvexLedger.sync() time out on db03.corp.quorvex.internal?"
PING = "ping db03.corp.quorvex.internal"


@pytest.fixture(scope="module")
def veil() -> Veil:
    return Veil(POLICY, b"k" * 32)


def request() -> dict:
    return {
        "systemInstruction": {"parts": [{"text": "You review Quorvex code."}]},
        "contents": [
            {"role": "user", "parts": [{"text": PROMPT}]},
            {"role": "model", "parts": [
                {"functionCall": {"name": "run_shell", "args": {"cmd": PING}},
                 "thoughtSignature": "c2ln"}]},
            {"role": "user", "parts": [
                {"functionResponse": {"name": "run_shell",
                                      "response": {"output": "Quorvex host unreachable"}}}]},
        ],
        "tools": [{"functionDeclarations": [{
            "name": "run_shell", "description": "Runs a command on a Quorvex build host.",
            "parameters": {"type": "object", "properties": {"cmd": {"type": "string"}}}}]},
            {"googleSearch": {}}],
        "generationConfig": {"temperature": 0.2, "stopSequences": ["END Quorvex"]},
    }


def veiled(veil: Veil, body: dict):
    slots = request_slots(body, POLICY)
    anon, mapping = veil.anonymize([s.get() for s in slots])
    for slot, text in zip(slots, anon, strict=True):
        slot.set(text)
    return body, mapping


def test_every_text_is_veiled_and_opaque_fields_kept(veil):
    body, _ = veiled(veil, request())
    text = json.dumps(body)
    assert "quorvex" not in text.lower()
    part = body["contents"][1]["parts"][0]
    assert part["thoughtSignature"] == "c2ln"
    assert part["functionCall"]["args"]["cmd"].startswith("ping db03.corp.")
    assert body["generationConfig"]["temperature"] == 0.2
    assert body["tools"][1] == {"googleSearch": {}}


def test_snake_case_fields_are_read_too(veil):
    body = {"system_instruction": {"parts": [{"text": "Quorvex"}]},
            "contents": [{"parts": [{"function_call": {"name": "f", "args": {"q": "Quorvex"}}}]}]}
    body, _ = veiled(veil, body)
    assert "quorvex" not in json.dumps(body).lower()


def test_unknown_parts_and_media_are_refused():
    image = {"inlineData": {"mimeType": "image/png", "data": "AA"}}
    with pytest.raises(ApiError) as err:
        request_slots({"contents": [{"parts": [image]}]}, POLICY)
    assert err.value.code == "content_part_refused"
    assert request_slots({"contents": [{"parts": [image]}]},
                         Policy(content_parts={"image": "allow"})) == []
    with pytest.raises(ApiError) as err:
        request_slots({"contents": [{"parts": [{"hologram": {}}]}]}, POLICY)
    assert err.value.code == "unsupported_content_part"
    assert FMT.error(err.value)["error"]["status"] == "INVALID_ARGUMENT"
    with pytest.raises(ApiError):
        request_slots({"contents": []}, POLICY)


def answer_from(body: dict) -> dict:
    """What a model answers with the request's own (anonymized) words."""
    said = body["contents"][0]["parts"][0]["text"]
    call = body["contents"][1]["parts"][0]["functionCall"]
    return {
        "candidates": [{"index": 0, "finishReason": "STOP", "content": {"role": "model", "parts": [
            {"text": f"About: {said}"}, {"functionCall": call}]}}],
        "usageMetadata": {"promptTokenCount": 3}, "modelVersion": "gemini-test",
    }


def test_whole_answer_is_restored(veil):
    body, mapping = veiled(veil, request())
    restored = FMT.restore(answer_from(body), mapping)
    parts = restored["candidates"][0]["content"]["parts"]
    assert parts[0]["text"] == f"About: {PROMPT}"
    assert parts[1]["functionCall"] == {"name": "run_shell",
                                        "args": {"cmd": PING}}
    assert restored["candidates"][0]["finishReason"] == "STOP"


def test_streamed_text_restores_for_every_split(veil):
    body, mapping = veiled(veil, request())
    text = answer_from(body)["candidates"][0]["content"]["parts"][0]["text"]
    for cut in range(len(text) + 1):
        r = GeminiStreamRestorer(mapping)
        chunks = [
            {"candidates": [{"index": 0, "content": {"role": "model",
                                                     "parts": [{"text": text[:cut]}]}}]},
            {"candidates": [{"index": 0, "content": {"role": "model",
                                                     "parts": [{"text": text[cut:]}]}}]},
            {"candidates": [{"index": 0, "finishReason": "STOP",
                             "content": {"role": "model", "parts": []}}]},
        ]
        out = [ev for c in chunks for ev in r.event(None, c)] + r.close()
        got = "".join(p.get("text", "") for _, ev in out for cand in ev["candidates"]
                      for p in cand.get("content", {}).get("parts", []))
        assert got == f"About: {PROMPT}", cut
        assert out[-1][1]["candidates"][0]["finishReason"] == "STOP"


def test_text_held_at_the_end_of_a_stream_is_sent(veil):
    body, mapping = veiled(veil, request())
    dummy = body["contents"][0]["parts"][0]["text"].split(".")[0]  # ends inside a dummy?
    r = GeminiStreamRestorer(mapping)
    out = r.event(None, {"candidates": [{"content": {"parts": [{"text": dummy}]}}]}) + r.close()
    got = "".join(p["text"] for _, ev in out for c in ev["candidates"]
                  for p in c["content"]["parts"])
    assert got == PROMPT.split(".")[0]
