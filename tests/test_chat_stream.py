"""Chat completion chunks: tool-call arguments restore for every split position of a dummy."""

from __future__ import annotations

import json

from proxy.policy import Policy
from proxy.veil.engine import Veil
from proxy.wire.chat import ChatStreamRestorer

PEM = ("-----BEGIN RSA PRIVATE KEY-----\n"
       "MIIEowIBAAKCAQEA7bq9x0Yb2uJkq3ZcL8Hs5PdRt1VwXe9fKa2mN4pQr6Ts\n"
       "-----END RSA PRIVATE KEY-----")


def chunk(index: int, args: str | None = None, finish: str | None = None) -> dict:
    delta = {} if args is None else {"tool_calls": [{"index": index,
                                                     "function": {"arguments": args}}]}
    return {"id": "c", "object": "chat.completion.chunk",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}


def replay(mapping, pieces: list[str]) -> str:
    r = ChatStreamRestorer(mapping)
    out = []
    for ev in [*(chunk(0, p) for p in pieces), chunk(0, finish="tool_calls")]:
        for _name, obj in r.event(None, ev):
            for tc in obj["choices"][0]["delta"].get("tool_calls") or []:
                out.append(tc["function"].get("arguments") or "")
    for _name, obj in r.close():
        out += [tc["function"]["arguments"] for tc in obj["choices"][0]["delta"]["tool_calls"]]
    return "".join(out)


def test_tool_call_arguments_restore_for_every_split_position():
    original = json.dumps({"host": "db03.corp.quorvex.internal", "key": PEM})
    veil = Veil(Policy(internal_domains=("corp.quorvex.internal",)), b"k" * 32)
    (sent,), mapping = veil.anonymize([original])
    assert "quorvex" not in sent and "MIIEowIBAAKCAQEA7bq9" not in sent
    # The model answers with the anonymized arguments; cut them at every pair of positions.
    for i in range(len(sent) + 1):
        for j in range(i, len(sent) + 1, 7):
            assert replay(mapping, [sent[:i], sent[i:j], sent[j:]]) == original, (i, j)
    assert replay(mapping, list(sent)) == original  # one character per chunk
