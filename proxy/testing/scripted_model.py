"""A scripted code model (OpenAI-compatible) for the loop's tests and the HumanEval run.

It reads the loop's request kind from the ``[codeveil-loop: KIND]`` tag of the system message
(synthesize, fresh, fix-error, fix-output, summary, paraphrase, tests) and answers from a script:

    {"tasks": [{"match": "text in the prompt",
                "synthesize": [["program for choice 0", "choice 1", ...], ...one list per call],
                "fix-error": [[...]], "fix-output": [[...]], "fresh": [[...]],
                "tests": "assert ...", "summary": "text",
                "delay_s": 0.5}]}   # optional: each answer waits this long (a slow model)

Programs are templates: ``{fn}``/``{fn2}`` are the first two ``def`` names in the prompt and
``{const}`` the first UPPER_CASE name assigned there, ``{assign:NAME}`` the prompt's line that
assigns NAME, so the fake writes the dummies it sees.
With ``--humaneval FILE`` it knows HumanEval: first drafts raise; a fix request that carries an
error back gets the canonical solution, renamed to the prompt's dummies.
A model name containing ``no-n`` ignores ``n`` (one choice per request). ``GET /_recorded``
lists every request it received.

    python -m proxy.testing.scripted_model --port 9200 --script script.json
"""

from __future__ import annotations

import argparse
import asyncio
import difflib
import gzip
import io
import json
import re
import time
import tokenize
from collections import Counter
from pathlib import Path
from typing import Any

from aiohttp import web

KIND = re.compile(r"\[codeveil-loop: ([\w-]+)\]")
DEF = re.compile(r"\bdef ([A-Za-z_]\w*)\s*\(")
CONST = re.compile(r"^[ \t]*([A-Z][A-Z0-9_]{2,})\s*=", re.M)
FENCE = re.compile(r"```(?:python)?\n(.*?)```", re.S)
STATE = web.AppKey("state", dict)


def _names(code: str) -> list[str]:
    toks = tokenize.generate_tokens(io.StringIO(code).readline)
    return [t.string for t in toks if t.type == tokenize.NAME]


class HumanEval:
    def __init__(self, path: Path) -> None:
        with gzip.open(path, "rt") as f:
            self.tasks = [json.loads(line) for line in f]
        self.by_id = {t["task_id"]: t for t in self.tasks}

    def find(self, prompt: str) -> tuple[dict, str] | None:
        m = FENCE.search(prompt)
        if not m:
            return None
        code = m.group(1)
        tid = re.search(r"HumanEval/\d+", prompt)
        task = self.by_id.get(tid.group(0)) if tid else None
        if task is None:
            task = max(self.tasks, key=lambda t: difflib.SequenceMatcher(
                None, t["prompt"][-400:], code[-400:]).quick_ratio())
        return task, code

    def answer(self, kind: str, prompt: str) -> str:
        found = self.find(prompt)
        if found is None:
            return "I cannot tell which task this is."
        task, code = found
        if kind == "fix-error" and re.search(r"Error|Traceback", prompt):
            rename: dict[str, str] = {}
            try:
                orig, anon = _names(task["prompt"]), _names(code)
                if len(orig) == len(anon):
                    rename = {o: a for o, a in zip(orig, anon, strict=True) if o != a}
            except (tokenize.TokenError, SyntaxError, IndentationError):
                rename = {}
            body = re.sub(r"\b[A-Za-z_]\w*\b", lambda m: rename.get(m.group(0), m.group(0)),
                          task["canonical_solution"])
            return f"```python\n{code}{body}\n```"
        return f"```python\n{code}    raise NotImplementedError('first draft')\n```"


def _fill(template: str, prompt: str) -> str:
    defs = list(dict.fromkeys(DEF.findall(prompt)))
    const = CONST.findall(prompt)
    for name in re.findall(r"\{assign:(\w+)\}", template):
        m = re.search(rf"^[ \t]*{name}\s*=.*$", prompt, re.M)
        template = template.replace("{assign:" + name + "}", m.group(0).strip() if m else "")
    return (template.replace("{fn}", defs[0] if defs else "solve")
            .replace("{fn2}", defs[1] if len(defs) > 1 else "helper")
            .replace("{const}", const[0] if const else "CONSTANT"))


def answer(state: dict[str, Any], kind: str, prompt: str, n: int) -> list[str]:
    if state["humaneval"] is not None and kind in ("synthesize", "fresh", "fix-error",
                                                    "fix-output"):
        return [state["humaneval"].answer(kind, prompt) for _ in range(n)]
    if kind == "paraphrase":
        return ["Restated: " + prompt.split("\n\n", 1)[-1].strip().split("\n")[0][:200]]
    task_i, spec = next(((i, t) for i, t in enumerate(state["script"].get("tasks", []))
                         if t.get("match", "") in prompt), (-1, {}))
    if kind == "tests":
        return [f"```python\n{_fill(spec.get('tests', ''), prompt)}\n```"]
    if kind == "summary":
        return [spec.get("summary", "The program returns the wrong value for these inputs.")]
    calls = spec.get(kind) or spec.get("synthesize") or [["```python\npass\n```"]]
    count = state["calls"][(task_i, kind)]
    state["calls"][(task_i, kind)] += 1
    batch = calls[min(count, len(calls) - 1)]
    return [f"```python\n{_fill(batch[j % len(batch)], prompt)}\n```" for j in range(n)]


async def chat(request: web.Request) -> web.Response:
    state = request.app[STATE]
    body = await request.json()
    state["recorded"].append({"path": request.path, "body": body})
    messages = body.get("messages") or []
    system = next((m["content"] for m in messages if m.get("role") == "system"), "")
    prompt = "\n\n".join(m["content"] for m in messages if m.get("role") == "user")
    m = KIND.search(system)
    kind = m.group(1) if m else "synthesize"
    model = str(body.get("model", ""))
    n = 1 if "no-n" in model else int(body.get("n") or 1)
    texts = answer(state, kind, prompt, n)
    delay = next((float(t.get("delay_s") or 0) for t in state["script"].get("tasks", [])
                  if t.get("match", "") in prompt), 0.0)
    if delay:
        await asyncio.sleep(delay)
    return web.json_response({
        "id": f"chatcmpl-fake{len(state['recorded'])}", "object": "chat.completion",
        "created": int(time.time()), "model": model,
        "choices": [{"index": i, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": t}}
                    for i, t in enumerate(texts)],
        "usage": {"prompt_tokens": len(prompt) // 4,
                  "completion_tokens": sum(len(t) for t in texts) // 4,
                  "total_tokens": len(prompt) // 4 + sum(len(t) for t in texts) // 4},
    })


async def recorded(request: web.Request) -> web.Response:
    return web.json_response({"requests": request.app[STATE]["recorded"]})


async def clear(request: web.Request) -> web.Response:
    state = request.app[STATE]
    state["recorded"].clear()
    state["calls"].clear()
    return web.json_response({"ok": True})


async def models(_request: web.Request) -> web.Response:
    return web.json_response({"object": "list", "data": [{"id": "fake", "object": "model"}]})


async def set_script(request: web.Request) -> web.Response:
    state = request.app[STATE]
    state["script"] = await request.json()
    state["calls"].clear()
    return web.json_response({"ok": True})


def build(script: dict[str, Any] | None = None, humaneval: Path | None = None) -> web.Application:
    app = web.Application(client_max_size=64 * 1024 * 1024)
    app[STATE] = {"script": script or {}, "recorded": [], "calls": Counter(),
                  "humaneval": HumanEval(humaneval) if humaneval else None}
    app.router.add_post("/v1/chat/completions", chat)
    app.router.add_get("/v1/models", models)
    app.router.add_get("/_recorded", recorded)
    app.router.add_delete("/_recorded", clear)
    app.router.add_put("/_script", set_script)
    return app


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=9200)
    ap.add_argument("--script", help="a JSON script")
    ap.add_argument("--humaneval", help="HumanEval.jsonl.gz: answer HumanEval tasks")
    args = ap.parse_args()
    script = json.loads(Path(args.script).read_text()) if args.script else None
    web.run_app(build(script, Path(args.humaneval) if args.humaneval else None),
                host="127.0.0.1", port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
