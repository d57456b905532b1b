"""How ``codeveil eval`` sends a corpus record through one API surface and reads the answer."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from proxy.evaluation.corpus import upstream_text
from proxy.testing.echo import anthropic as echo_anthropic
from proxy.testing.echo import echo
from proxy.testing.echo import responses as echo_responses


class Api:
    """How one API surface sends a corpus record and reads the answer back."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.path = {"chat": "/v1/chat/completions", "responses": "/v1/responses",
                     "messages": "/v1/messages"}[name]

    def body(self, messages: list[dict[str, Any]], model: str, stream: bool) -> dict[str, Any]:
        if self.name == "chat":
            rest: dict[str, Any] = {"messages": messages}
        elif self.name == "responses":
            rest = echo_responses.from_chat_messages(messages)
        else:
            rest = echo_anthropic.from_chat_messages(messages)
        return {"model": model, **rest, "stream": stream}

    def upstream_texts(self, body: dict[str, Any]) -> list[str]:
        if self.name == "chat":
            return upstream_text(body)
        if self.name == "responses":
            return echo_responses.upstream_texts(body)
        return echo_anthropic.upstream_texts(body)

    def expected(self, messages: list[dict[str, Any]]) -> str:
        if self.name == "messages":
            return echo_anthropic.echo_text(echo_anthropic.from_chat_messages(messages))
        return echo(messages)

    def expected_tools(self, messages: list[dict[str, Any]]) -> list[Any]:
        last = next(m["tool_calls"] for m in reversed(messages)
                    if m.get("role") == "assistant" and m.get("tool_calls"))
        args = [tc["function"]["arguments"] for tc in last]
        return [json.loads(a) for a in args] if self.name == "messages" else args

    def read(self, answer: dict[str, Any]) -> tuple[str, list[Any]]:
        """(text, tool-call arguments) of a whole answer."""
        if self.name == "chat":
            msg = answer["choices"][0]["message"]
            return msg.get("content") or "", [
                tc["function"]["arguments"] for tc in msg.get("tool_calls") or []]
        if self.name == "responses":
            text, args = "", []
            for item in answer.get("output") or []:
                if item.get("type") == "message":
                    text += "".join(c.get("text", "") for c in item.get("content") or [])
                elif item.get("type") == "function_call":
                    args.append(item["arguments"])
            return text, args
        blocks = answer.get("content") or []
        return ("".join(b.get("text", "") for b in blocks if b.get("type") == "text"),
                [b["input"] for b in blocks if b.get("type") == "tool_use"])

    def read_stream(self, events: list[tuple[str | None, Any]]) -> tuple[str, list[Any]]:
        text: list[str] = []
        args: dict[int, list[str]] = defaultdict(list)
        for name, ev in events:
            if self.name == "chat":
                for ch in ev.get("choices") or []:
                    delta = ch.get("delta") or {}
                    text.append(delta.get("content") or "")
                    for tc in delta.get("tool_calls") or []:
                        args[tc.get("index", 0)].append(
                            (tc.get("function") or {}).get("arguments") or "")
            elif self.name == "responses":
                kind = ev.get("type")
                if kind == "response.output_text.delta":
                    text.append(ev["delta"])
                elif kind == "response.function_call_arguments.delta":
                    args[ev["output_index"]].append(ev["delta"])
            elif name == "content_block_delta":
                delta = ev["delta"]
                if delta.get("type") == "text_delta":
                    text.append(delta["text"])
                elif delta.get("type") == "input_json_delta":
                    args[ev["index"]].append(delta["partial_json"])
        joined = ["".join(args[k]) for k in sorted(args)]
        if self.name == "messages":
            return "".join(text), [json.loads(a) if a else {} for a in joined]
        return "".join(text), joined


