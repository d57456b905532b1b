"""The loop's side of the veil, and its calls to the public LLM.

``RunVeil`` keeps one run's veil state: every prompt is anonymized together with the run's
context (the task), so a value found anywhere in the task is replaced in every prompt, including
sandbox output where no recognizer would see it; dummies the run has used before are applied
again; restoration uses every dummy the run has handed out.

A candidate program runs with the real values restored, so it can print them in disguise
(reversed, spaced out, base64, in pieces) where no recognizer and no exact replacement would see
them. Every prompt is therefore also scanned for the disguises of every value the run has
replaced so far (``proxy/veil/derivatives.py``); what that scan replaces is counted, by type,
in the run's findings and reported to ``on_derivative`` (the run's trace).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
from multidict import CIMultiDictProxy

from proxy.config import Upstream
from proxy.upstream.client import UpstreamClient
from proxy.veil.derivatives import Derivatives
from proxy.veil.engine import FindingSummary, Veil, at_word_boundary, restorations
from proxy.veil.restore import Replacer
from recognizers.base import SECRET


class RunVeil:
    def __init__(self, veil: Veil, context: list[str]) -> None:
        self.veil = veil
        self.context = list(context)
        self.forward: dict[str, str] = {}
        self.reverse: dict[str, str] = {}
        self._restorer: Replacer | None = None
        # what the veil replaced over the whole run, by fingerprint (never the values)
        self._found: dict[tuple[str, ...], Any] = {}
        self._known: dict[str, tuple[str, str, str]] = {}  # value -> (dummy, type, category)
        self._derivatives: Derivatives | None = None
        self._derived: dict[tuple[str, ...], FindingSummary] = {}
        self.on_derivative: Callable[[list[str]], None] | None = None

    def findings(self) -> list[Any]:
        return [*self._found.values(), *self._derived.values()]

    def anonymize(self, texts: list[str]) -> list[str]:
        """May raise ``proxy.veil.engine.Blocked`` or a veil error: then nothing is sent."""
        anon, mapping = self.veil.anonymize([*texts, *self.context])
        anon = anon[: len(texts)]
        earlier = {k: v for k, v in self.forward.items()
                   if k not in mapping.forward and k != v and len(k) > 2}
        if earlier:
            fwd = Replacer(earlier, accept=at_word_boundary)
            anon = [fwd.replace(t) for t in anon]
        for f in mapping.findings:  # each prompt repeats the context: keep the largest count
            k = (f.type, f.category, f.recognizer, f.action, f.fingerprint)
            if k not in self._found or self._found[k].count < f.count:
                self._found[k] = f
        self.forward.update(mapping.forward)
        self.reverse.update(restorations(mapping))
        self._restorer = None
        for value, dummy in mapping.forward.items():
            origin = mapping.origins.get(value)
            if origin is not None and value not in self._known:
                self._known[value] = (dummy, origin[0], origin[1])
                self._derivatives = None
        return [self._undisguise(t) for t in anon]

    def _undisguise(self, text: str) -> str:
        if not self._known:
            return text
        if self._derivatives is None:
            self._derivatives = Derivatives(
                (v, d, t, c == SECRET) for v, (d, t, c) in self._known.items())
        scan = self._derivatives.scan(text)
        if scan.hits:
            types = []
            for i, n in scan.hits.items():
                value, _dummy, type_ = self._derivatives.pairs[i]
                category = self._known[value][2]
                fp = self.veil.surrogates.fingerprint(type_, value)
                key = (type_, category, "derivative", fp)
                old = self._derived.get(key)
                self._derived[key] = FindingSummary(type_, category, "derivative", "replace",
                                                    n + (old.count if old else 0), fp)
                types.append(type_)
            if self.on_derivative is not None:
                self.on_derivative(sorted(set(types)))
        return scan.text

    def restore(self, text: str) -> str:
        if self._restorer is None:
            self._restorer = Replacer(self.reverse)
        return self._restorer.replace(text)


class LLMError(RuntimeError):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Usage:
    calls: int = 0
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    prompt_chars: int = 0
    answer_chars: int = 0


class LLM:
    """Chat calls through the veil. ``n`` candidates in one request where the upstream
    supports it, otherwise (or for what it left out) concurrent single requests."""

    def __init__(self, client: UpstreamClient, upstream: Upstream, model: str,
                 run_veil: RunVeil, headers: CIMultiDictProxy[str] | None = None,
                 temperature: float = 0.8) -> None:
        self.client = client
        self.upstream = upstream
        self.model = model
        self.veil = run_veil
        self.headers = headers
        self.temperature = temperature
        self.supports_n = True
        self.usage = Usage()
        self.sent: list[dict[str, Any]] = []  # the anonymized messages, for the trace

    async def ask(self, kind: str, system: str, user: str, n: int = 1,
                  temperature: float | None = None) -> list[str]:
        system = f"{system}\n[codeveil-loop: {kind}]"
        anon_system, anon_user = self.veil.anonymize([system, user])
        messages = [{"role": "system", "content": anon_system},
                    {"role": "user", "content": anon_user}]
        self.usage.calls += 1
        self.usage.prompt_chars += len(user)
        self.sent.append({"kind": kind, "messages": messages, "n": n})
        temp = self.temperature if temperature is None else temperature
        answers: list[str] = []
        if n > 1 and self.supports_n:
            answers = await self._post(messages, n, temp)
            if len(answers) < n:
                self.supports_n = False
        if len(answers) < n:
            more = await asyncio.gather(*[self._post(messages, None, temp)
                                          for _ in range(n - len(answers))])
            answers += [a for batch in more for a in batch[:1]]
        restored = [self.veil.restore(a) for a in answers[:n]]
        self.usage.answer_chars += sum(len(a) for a in restored)
        return restored

    async def _post(self, messages: list[dict[str, Any]], n: int | None,
                    temperature: float) -> list[str]:
        body: dict[str, Any] = {"model": self.model, "messages": messages,
                                "temperature": temperature}
        if n is not None:
            body["n"] = n
        try:
            async with await self.client.post(self.upstream, "/chat/completions", self.model,
                                               json.dumps(body).encode(), self.headers) as resp:
                raw = await resp.read()
        except (aiohttp.ClientError, TimeoutError) as e:
            raise LLMError(502, f"upstream '{self.upstream.name}' is unreachable: "
                           f"{type(e).__name__}") from None
        self.usage.requests += 1
        try:
            obj = json.loads(raw)
        except ValueError:
            obj = None
        if resp.status != 200 or not isinstance(obj, dict):
            msg = ""
            if isinstance(obj, dict) and isinstance(obj.get("error"), dict):
                msg = str(obj["error"].get("message", ""))
            raise LLMError(resp.status, self.veil.restore(
                f"upstream '{self.upstream.name}' answered {resp.status}: {msg}"))
        usage = obj.get("usage") or {}
        choices = sorted(obj.get("choices") or [], key=lambda c: c.get("index", 0))
        texts = [str((c.get("message") or {}).get("content") or "") for c in choices]
        self.usage.prompt_tokens += int(usage.get("prompt_tokens") or
                                        sum(len(m["content"]) for m in messages) // 4)
        self.usage.completion_tokens += int(usage.get("completion_tokens") or
                                            sum(len(t) for t in texts) // 4)
        return texts
