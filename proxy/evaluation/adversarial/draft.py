"""One record in the making: the values a template plants, then the checks of the corpus README.

A template asks the draft for values (``d.secret(text, type)`` returns the text, so templates
read as f-strings) and hands it the messages; ``finish`` returns a record in the dev corpus's
format, or raises when a planted value does not occur verbatim in what is sent.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from typing import Any

from proxy.evaluation.adversarial import values as v
from proxy.evaluation.corpus import upstream_text


class TemplateError(AssertionError):
    """A template planted a value that does not reach the upstream text as written."""


@dataclass
class Draft:
    family: str
    rng: random.Random
    sensitive: list[dict[str, str]] = field(default_factory=list)
    public: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    internal_domains: list[str] = field(default_factory=list)

    # -- planting -------------------------------------------------------------------------
    def _add(self, kind: str, text: str, type_: str) -> str:
        if text and all(s["text"] != text for s in self.sensitive):
            self.sensitive.append({"text": text, "kind": kind, "type": type_})
        return text

    def secret(self, text: str, type_: str) -> str:
        return self._add("secret", text, type_)

    def pii(self, text: str, type_: str) -> str:
        return self._add("pii", text, type_)

    def ident(self, text: str, type_: str) -> str:
        return self._add("identifier", text, type_)

    def term(self, text: str, type_: str) -> str:
        """A policy term (company, codename, internal package or domain)."""
        if type_ == "INTERNAL_DOMAIN":
            if text not in self.internal_domains:
                self.internal_domains.append(text)
        elif text not in self.terms:
            self.terms.append(text)
        return self._add("term", text, type_)

    def pub(self, *texts: str) -> None:
        for t in texts:
            if t not in self.public:
                self.public.append(t)

    # -- common values --------------------------------------------------------------------
    def company(self) -> str:
        """The record's company: an invented word, listed in the policy as a term."""
        return self.term(v.coin(self.rng).capitalize(), "COMPANY")

    def word(self) -> str:
        """An invented word the policy does not list (for private identifiers)."""
        taken = {t.lower() for t in self.terms}
        while True:
            w = v.coin(self.rng)
            if w not in taken:
                return w

    def pick(self, seq: list[Any] | tuple[Any, ...]) -> Any:
        return self.rng.choice(seq)

    # -- the record -----------------------------------------------------------------------
    def finish(self, rid: str, language: str, scenario: str, messages: list[dict[str, Any]],
               tags: list[str] | None = None) -> dict[str, Any]:
        texts = upstream_text({"messages": messages})
        lowered = [t.lower() for t in texts]
        for s in self.sensitive:
            found = (any(s["text"].lower() in t for t in lowered) if s["kind"] == "term"
                     else any(s["text"] in t for t in texts))
            if not found:
                raise TemplateError(f"{rid}: {s['type']} not in the upstream text: {s['text']!r}")
        for term in self.terms + self.internal_domains:
            if not any(s["kind"] == "term" and s["text"] == term for s in self.sensitive):
                raise TemplateError(f"{rid}: policy term {term!r} is not planted")
        public = [p for p in self.public if _public_ok(p, texts, self.sensitive)]
        return {
            "id": rid,
            "language": language,
            "scenario": scenario,
            "messages": messages,
            "policy": {"terms": self.terms, "internal_domains": self.internal_domains},
            "sensitive": self.sensitive,
            "public": public,
            "tags": [f"family:{self.family}", *(tags or [])],
        }


def _public_ok(pub: str, texts: list[str], sensitive: list[dict[str, str]]) -> bool:
    """The README's rule: occurs outside every sensitive span, holds no sensitive text or term."""
    low = pub.lower()
    for s in sensitive:
        if s["text"] in pub or (s["kind"] == "term" and s["text"].lower() in low):
            return False
    for t in texts:
        spans = []
        tl = t.lower()
        for s in sensitive:
            hay, needle = (tl, s["text"].lower()) if s["kind"] == "term" else (t, s["text"])
            spans += [(m.start(), m.start() + len(needle))
                      for m in re.finditer(re.escape(needle), hay)]
        for m in re.finditer(re.escape(pub), t):
            if not any(a < m.end() and m.start() < b for a, b in spans):
                return True
    return False


def user(content: str) -> dict[str, Any]:
    return {"role": "user", "content": content}


def system(content: str) -> dict[str, Any]:
    return {"role": "system", "content": content}


def assistant(content: str) -> dict[str, Any]:
    return {"role": "assistant", "content": content}


def tool_call(call_id: str, name: str, args: dict[str, Any]) -> dict[str, Any]:
    return {"id": call_id, "type": "function",
            "function": {"name": name, "arguments": json.dumps(args, ensure_ascii=False)}}


def calls(*tcs: dict[str, Any]) -> dict[str, Any]:
    return {"role": "assistant", "content": None, "tool_calls": list(tcs)}


def tool(call_id: str, content: str) -> dict[str, Any]:
    return {"role": "tool", "tool_call_id": call_id, "content": content}


def fence(lang: str, code: str) -> str:
    return f"```{lang}\n{code.rstrip()}\n```"
