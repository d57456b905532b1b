"""What the veil remembers of a conversation: detection only on new slots, what was sent for a
message resent byte for byte (``history: stable``), late findings audited, ``history: rewrite``,
the cache's bounds, and the CPU budget."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Sequence
from typing import Any

import openai
import pytest

from proxy.policy import Policy
from proxy.veil.engine import BudgetExceeded, Veil
from proxy.veil.history import SlotCache
from recognizers.base import Recognizer
from recognizers.context import DetectionContext
from recognizers.registry import build_recognizers
from recognizers.terms import TermRecognizer
from tests.conftest import start_gateway

KEY = b"k" * 32
# The first message mentions a word that only the second one shows to be the project's own
# (a class it defines): sent in clear in turn 1, a late finding in turn 2.
FIRST = "Why does the Trelvano cache miss so often? Ask Dana about it."
SECOND = ("Here it is:\n```python\nclass TrelvanoCache:\n    def get(self, key):\n"
          "        return None\n```")
SECRET_LINE = 'DB_PASSWORD = "hX9!vQ2@pL7#mR4s"'


def veil(history: str = "stable", cache: SlotCache | None = None,
         recognizers: Sequence[Recognizer] | None = None) -> Veil:
    policy = Policy.from_dict({"name": "t", "history": history})
    return Veil(policy, KEY, recognizers, cache=cache if cache is not None else SlotCache())


def test_a_sent_message_is_resent_as_it_went_out_and_the_late_finding_is_audited():
    v = veil()
    (first,), _ = v.anonymize([FIRST])
    assert "Trelvano" in first  # nothing in turn 1 says it is private
    (again, second), mapping = v.anonymize([FIRST, SECOND])
    assert again == first  # byte for byte: the provider's prompt cache keeps hitting
    assert "Trelvano" not in second  # protected in new text from now on
    assert mapping.restore(second) == SECOND
    late = [f for f in mapping.findings if f.action == "late"]
    assert [f.category for f in late] == ["identifier"]
    assert late[0].fingerprint == v.surrogates.fingerprint(late[0].type, "Trelvano")
    assert all("Trelvano" not in repr(f) for f in mapping.findings)  # fingerprints, no values


def test_a_process_new_to_the_conversation_replays_its_earlier_requests():
    """Another worker (or a restarted one) gets the conversation at turn 2: it anonymizes
    turn 1 first, as the client sent it, and so sends turn 1's message as it went out."""
    answer = "Show me the class."
    first_worker = veil()
    (sent1,), _ = first_worker.anonymize([FIRST])
    (old, new2, _a), _ = first_worker.anonymize([FIRST, answer, SECOND])
    other = veil()  # same tenant key, its own memory
    (again, second, _b), mapping = other.anonymize([FIRST, answer, SECOND], turns=[0, 1, 1])
    assert again == sent1 == old  # the prefix the provider cached, byte for byte
    assert second == new2 and "Trelvano" not in second
    assert [f.category for f in mapping.findings if f.action == "late"] == ["identifier"]
    # without the earlier requests, the whole history is detected at once: turn 1 changes
    (rewritten, _c, _d), _ = veil().anonymize([FIRST, answer, SECOND])
    assert rewritten != sent1


def test_history_rewrite_anonymizes_every_turn_afresh():
    v = veil("rewrite")
    (first,), _ = v.anonymize([FIRST])
    (again, second), mapping = v.anonymize([FIRST, SECOND])
    assert again != first and "Trelvano" not in again and "Trelvano" not in second
    assert [mapping.restore(a) for a in (again, second)] == [FIRST, SECOND]
    assert any(f.action == "late" for f in mapping.findings)  # it went out in clear before


def test_values_keep_their_dummies_across_turns():
    v = veil()
    (a,), m1 = v.anonymize([SECRET_LINE])
    (a2, b), m2 = v.anonymize([SECRET_LINE, f"I rotated it, it was {SECRET_LINE.split()[-1]}"])
    assert a2 == a
    dummy = m1.forward['hX9!vQ2@pL7#mR4s']
    assert dummy in b and "hX9!vQ2@pL7#mR4s" not in b
    assert m2.restore(b).endswith('"hX9!vQ2@pL7#mR4s"')


def test_a_key_holding_a_checked_dummy_is_proven_absent_from_what_went_out():
    """A later turn skips searching the earlier messages for its new restore keys when each
    holds a dummy this turn checked absent from them; any other key is still searched."""
    from proxy.veil.dummies import Dummies

    hay = "we ship Zorvek builds"
    v = veil()
    d = Dummies(v.surrogates, v.terms, False, hay, hay.lower(), 0)
    assert d._pick("v1", lambda a: ["Zorvek", "Quenta"][a]) == "Quenta"  # the first is taken
    assert d.proven_absent("Quenta") and d.proven_absent('\\"Quenta\\"')
    assert not d.proven_absent("Zorvek") and not d.proven_absent("quenta")
    assert d._pick("v2", lambda a: ["zorVEK", "Brandl"][a], case_insensitive=True) == "Brandl"
    assert d.proven_absent("BRANDL_URL") and not d.proven_absent("Zorvek builds")


def test_a_later_turns_new_values_are_restored_inside_json_strings_too():
    """Values first seen in later turns (extended automata, not rebuilt ones) come back from
    their JSON-escaped dummies too, as a tool call's arguments carry them."""
    v = veil()
    turns = ['API_TOKEN = "Zq8mW2xR7tLp4Nv9Kc3Hd6Yb"', 'OTHER_TOKEN = "Pp4Nv9Kc3Hd6YbZq8mW2xR7t"',
             'DB_PASSWORD = "hX9!v\\"Q2@pL7#mR4s"', 'SECOND_PASSWORD = "aB3!k\\"Z9@qW2#eR5t"']
    for n in range(1, len(turns) + 1):
        _, mapping = v.anonymize(turns[:n])
    assert mapping.reverse._extra_ac is not None  # the automaton was extended, not rebuilt
    for secret in ('hX9!v"Q2@pL7#mR4s', 'aB3!k"Z9@qW2#eR5t'):
        dummy = mapping.forward[secret]
        assert '"' in dummy
        assert mapping.restore(json.dumps({"a": dummy})) == json.dumps({"a": secret})


class Counting(Recognizer):
    """Wraps a recognizer and counts the slots it is asked to detect in."""

    def __init__(self, inner: Recognizer) -> None:
        self.inner, self.name, self.category = inner, inner.name, inner.category
        self.seen: list[str] = []

    def analyze(self, ctx: DetectionContext | str) -> list:
        return self.inner.analyze(ctx)

    def evidence(self, ctxs: Sequence[DetectionContext]) -> list[Any]:
        self.seen += [c.text for c in ctxs]
        return self.inner.evidence(ctxs)

    def combine(self, evidence, targets):
        return self.inner.combine(evidence, targets)


def test_only_new_slots_are_detected_and_a_dropped_message_changes_nothing():
    policy = Policy.from_dict({"name": "t"})
    counting = [Counting(r) for r in build_recognizers(policy, TermRecognizer())]
    v = veil(recognizers=counting)
    turns = [FIRST, SECOND, SECRET_LINE, "Thanks, and the tests?"]
    sent: dict[str, str] = {}
    for n in range(1, len(turns) + 1):
        for c in counting:
            c.seen.clear()
        anon, mapping = v.anonymize(turns[:n])
        assert all(c.seen == [turns[n - 1]] for c in counting)  # the new message alone
        for text, out in zip(turns[:n], anon, strict=True):
            assert sent.setdefault(text, out) == out
            assert mapping.restore(out) == text
    # A client that compacts its history (drops a message) resends the others unchanged.
    anon, mapping = v.anonymize([turns[0], turns[2], turns[3]])
    assert anon == [sent[turns[0]], sent[turns[2]], sent[turns[3]]]


def test_the_cache_stays_within_its_budget():
    cache = SlotCache(max_bytes=64 * 1024)
    v = veil(cache=cache)
    for i in range(200):
        v.anonymize([f"message {i}: " + "lorem ipsum dolor sit amet " * 20])
    assert cache.bytes <= cache.max_bytes and 0 < len(cache) < 200
    # keyed: another cache (another process, tenant or policy) files the same text elsewhere
    assert SlotCache().key("same text") != cache.key("same text")


def test_detection_over_its_cpu_budget_is_refused():
    v = veil()
    text = "\n".join(f"Ping Dana Whitfield at dana{i}@example.org about ticket {i}."
                     for i in range(20_000))
    with pytest.raises(BudgetExceeded):
        v.anonymize([text], cpu_seconds=0.01)
    (out,), mapping = v.anonymize([text[:2000]], cpu_seconds=30)
    assert mapping.restore(out) == text[:2000]


def test_through_the_gateway_earlier_messages_go_out_unchanged(tmp_path, upstream):
    gw = start_gateway(tmp_path / "gw", upstream.url, policy="name: t\n")
    try:
        client = openai.OpenAI(base_url=f"{gw.url}/v1", api_key="sk-x", max_retries=0)
        upstream.clear()
        history: list[dict[str, str]] = [{"role": "user", "content": FIRST}]
        client.chat.completions.create(model="gpt-test", messages=history)
        history += [{"role": "assistant", "content": "Show me the class."},
                    {"role": "user", "content": SECOND}]
        answer = client.chat.completions.create(model="gpt-test", messages=history)
        one, two = (r["body"]["messages"] for r in upstream.recorded())
        assert two[0] == one[0]  # what went out in turn 1, byte for byte
        assert "Trelvano" not in two[2]["content"]
        assert "class TrelvanoCache" in answer.choices[0].message.content  # restored
        time.sleep(0.3)  # the audit record is written off the request path
        with sqlite3.connect(tmp_path / "gw" / "data" / "audit.db") as db:
            (findings,) = db.execute(
                "SELECT findings FROM requests ORDER BY id DESC LIMIT 1").fetchone()
        assert any(f["action"] == "late" for f in json.loads(findings))
        assert "Trelvano" not in findings
    finally:
        gw.stop()


def test_a_restarted_gateway_sends_the_earlier_messages_as_they_went_out(tmp_path, upstream):
    """The conversation's second turn reaches a gateway process that never saw its first (a
    restart here; another worker or replica alike): what went out in turn 1 goes out again."""
    gw = start_gateway(tmp_path / "gw", upstream.url, policy="name: t\n")
    history: list[dict[str, str]] = [{"role": "user", "content": FIRST}]
    try:
        client = openai.OpenAI(base_url=f"{gw.url}/v1", api_key="sk-x", max_retries=0)
        upstream.clear()
        client.chat.completions.create(model="gpt-test", messages=history)
    finally:
        gw.stop()
    gw = start_gateway(tmp_path / "gw", upstream.url, policy="name: t\n")  # same key, no memory
    try:
        client = openai.OpenAI(base_url=f"{gw.url}/v1", api_key="sk-x", max_retries=0)
        history += [{"role": "assistant", "content": "Show me the class."},
                    {"role": "user", "content": SECOND}]
        answer = client.chat.completions.create(model="gpt-test", messages=history)
        one, two = (r["body"]["messages"] for r in upstream.recorded())
        assert two[0] == one[0] and "Trelvano" in one[0]["content"]
        assert "Trelvano" not in two[2]["content"]
        assert "class TrelvanoCache" in answer.choices[0].message.content
    finally:
        gw.stop()


def test_each_api_tells_which_earlier_request_carried_each_slot():
    from proxy.wire import anthropic, chat, responses

    def turns(slots):
        return [(s.get(), s.turn) for s in slots]

    body = {"model": "m", "messages": [
        {"role": "user", "content": "u1"}, {"role": "assistant", "content": "a1"},
        {"role": "tool", "tool_call_id": "c", "content": "t1"},
        {"role": "assistant", "content": "a2"}, {"role": "user", "content": "u2"}],
        "tools": [{"type": "function", "function": {"name": "f", "description": "d"}}]}
    assert turns(chat.request_slots(body, Policy())) == [
        ("u1", 0), ("a1", 1), ("t1", 1), ("a2", 2), ("u2", 2), ("f", 0), ("d", 0)]
    body = {"model": "m", "system": "s", "messages": [
        {"role": "user", "content": "u1"}, {"role": "assistant", "content": "a1"},
        {"role": "user", "content": "u2"}]}
    assert turns(anthropic.request_slots(body, Policy())) == [
        ("s", 0), ("u1", 0), ("a1", 1), ("u2", 1)]
    # a reply of several items (reasoning, a call) is one: the next request starts after it
    body = {"model": "m", "instructions": "i", "input": [
        {"role": "user", "content": "u1"},
        {"type": "function_call", "call_id": "c", "name": "f", "arguments": "{}"},
        {"type": "message", "role": "assistant", "content": "a1"},
        {"type": "function_call_output", "call_id": "c", "output": "o1"},
        {"role": "user", "content": "u2"}]}
    got = turns(responses.request_slots(body, Policy()))
    assert [t for text, t in got if text in ("i", "u1", "a1", "o1", "u2")] == [0, 0, 1, 1, 1]


def test_replay_only_where_requests_went_out_from_elsewhere(monkeypatch):
    passes: list[int] = []
    real = Veil._anonymize

    def counted(self, texts, *a, **k):
        passes.append(len(texts))
        return real(self, texts, *a, **k)

    monkeypatch.setattr(Veil, "_anonymize", counted)
    msgs = [f"message {n}: the Trelvano{n} cache" for n in range(8)]
    here = veil()
    for n in range(1, 8):  # a conversation served here turn by turn: one pass each
        passes.clear()
        here.anonymize(msgs[:n], turns=list(range(n)))
        assert passes == [n]
    other = veil()
    other.anonymize(msgs[:2], turns=[0, 1])  # turns 1-2 here, then 3-6 elsewhere
    passes.clear()
    other.anonymize(msgs[:7], turns=list(range(7)))
    assert passes == [3, 4, 5, 6, 7]  # the requests it missed, then this one
    # the last request or two not sent here (a prefill): no replay
    passes.clear()
    here.anonymize([*msgs[:8], "prefill"], turns=list(range(9)))
    assert passes == [9]


def test_a_person_mentioned_later_does_not_change_an_earlier_dummy():
    """A dummy name must not hold another person of the conversation, but only of those named
    up to its own message: a process that sees the conversation from a later request (another
    worker, without a replay) draws the dummy the first one drew."""
    first_msg = "Please loop in Annika Lindqvist before the release."
    first_worker = veil()
    (sent,), mapping = first_worker.anonymize([first_msg])
    dummy = mapping.forward["Annika Lindqvist"]
    surname = dummy.split()[-1]
    # a real person, named only later, who shares a word with that dummy
    later = f"Update: {surname.capitalize()} said the migration is done. Thanks, Bo {surname}!"
    (again, _), _ = first_worker.anonymize([first_msg, later])
    assert again == sent
    (direct, _), mapping2 = veil().anonymize([first_msg, later])
    assert mapping2.forward["Annika Lindqvist"] == dummy
    assert direct == sent
