"""One loop run: pre-process, synthesize, execute, rank, debug, report.

Branches: a candidate passes at once; a crash or error → "Fix {stderr}"; a wrong answer → an LLM
bug summary, then "{task} {program} make {input} -> {expected output}"; after R debug rounds
without success → fresh candidates. Ranking: the user's tests and the task's examples first, then
CodeT dual-execution agreement over the tests the LLM generated.
"""

from __future__ import annotations

import asyncio
import math
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from proxy.loop import retrieval
from proxy.loop.llm import LLM, Usage
from proxy.loop.sandbox import Evaluation, Sandbox, evaluate, language_for
from proxy.loop.task import Task, extract_asserts, extract_code, parse_task

SYSTEM = ("You are a careful programmer. Answer with one complete {lang} program in a single "
          "fenced ```{lang} block, no tests, no example usage.")
SYSTEM_TESTS = "You write unit tests as plain assert statements in one fenced ```{lang} block."
SYSTEM_PLAIN = "You are a careful programmer. Answer briefly."


WANTED = {bool: "true or false", str: "a string", int: "an integer", float: "a finite number"}


def _option(name: str, value: Any, kind: type) -> Any:
    """One option as its declared type; ValueError (a 400 for the API) for anything else."""
    t = type(value)
    ok = (t is kind or (kind is float and t is int)
          or (kind is int and t is float and math.isfinite(value) and value.is_integer()))
    if not ok or (t is float and not math.isfinite(value)):
        raise ValueError(f"options.{name} must be {WANTED.get(kind, kind.__name__)}")
    return kind(value)


@dataclass
class LoopOptions:
    candidates: int = 3  # N
    rounds: int = 2  # R debug rounds before fresh candidates
    restarts: int = 1  # how many times fresh candidates are drawn
    generated_tests: int = 8  # 0: no CodeT tests
    paraphrase: bool = True
    bug_summary: bool = True
    retrieval_k: int = 2
    retrieval_mode: str = "auto"  # auto (embeddings where installed) | embedding | lexical
    corrections_k: int = 2  # the team's stored corrections shown as examples (0: none)
    temperature: float = 0.8

    @classmethod
    def from_dict(cls, spec: dict[str, Any] | None, base: LoopOptions | None = None
                  ) -> LoopOptions:
        out = LoopOptions(**vars(base)) if base else LoopOptions()
        for k, v in (spec or {}).items():
            if hasattr(out, k):
                setattr(out, k, _option(k, v, type(getattr(out, k))))
        out.candidates = max(1, min(out.candidates, 16))
        out.rounds = max(0, min(out.rounds, 10))
        out.restarts = max(0, min(out.restarts, 5))
        out.corrections_k = max(0, min(out.corrections_k, 5))
        out.generated_tests = max(0, min(out.generated_tests, 32))
        out.retrieval_k = max(0, min(out.retrieval_k, 10))
        return out


@dataclass
class Candidate:
    program: str
    origin: str  # synthesis | fresh | fix-error | fix-output
    round: int
    ev: Evaluation
    index: int = 0

    def passed(self, ids: set[str]) -> int:
        return len(self.ev.passed(ids))


@dataclass
class Run:
    task_text: str
    model: str
    options: LoopOptions
    id: str = field(default_factory=lambda: "loop_" + uuid.uuid4().hex[:20])
    status: str = "queued"  # queued | running | succeeded | failed | error
    events: list[dict[str, Any]] = field(default_factory=list)
    result: dict[str, Any] | None = None
    error: str | None = None
    listeners: list[Callable[[dict[str, Any]], None]] = field(default_factory=list)
    done: asyncio.Event = field(default_factory=asyncio.Event)
    tenant: str = "default"
    feedback: dict[str, Any] = field(default_factory=dict)  # verdict, correction, test reviews
    loop: Loop | None = None  # kept for re-ranking after a person reviews generated tests
    usage: Any = None  # the LLM's Usage, also when the run failed
    findings: list[Any] = field(default_factory=list)  # FindingSummary: what the veil replaced
    state: dict[str, Any] | None = None  # Loop.state() of a finished run, as stored

    def emit(self, type_: str, **data: Any) -> None:
        ev = {"seq": len(self.events), "type": type_, "t": round(time.time(), 3), **data}
        self.events.append(ev)
        for fn in list(self.listeners):
            fn(ev)

    def public(self) -> dict[str, Any]:
        return {"id": self.id, "object": "loop.run", "status": self.status, "model": self.model,
                "error": self.error, "result": self.result, "feedback": self.feedback,
                "trace": self.events}


def _short(text: str, n: int = 3000) -> str:
    return text if len(text) <= n else text[: n // 2] + "\n...\n" + text[-n // 2:]


class Loop:
    def __init__(self, run: Run, llm: LLM, sandbox: Sandbox,
                 retrieval_dirs: list[Path] | None = None,
                 examples: list[tuple[str, str]] | None = None) -> None:
        self.run = run
        run.loop = self
        self.examples = examples or []  # (id, text): the team's corrections for similar tasks
        self.approved: set[str] = set()  # generated tests a person approved / rejected
        self.rejected: set[str] = set()
        self.wall = 0.0
        self.llm = llm
        # Disguised known values caught on their way out: the trace says so, by type only.
        llm.veil.on_derivative = lambda types: run.emit("veil.derivative", types=types)
        self.sandbox = sandbox
        self.dirs = retrieval_dirs or []
        self.opt = run.options
        self.pool: list[Candidate] = []
        self.rounds = 0
        self.task: Task = parse_task(run.task_text)
        self.tests: list[dict[str, Any]] = []
        self.required: set[str] = set()
        self.generated: set[str] = set()
        self.context = ""  # paraphrase and retrieved examples, for synthesis prompts
        self.usage = llm.usage

    def state(self) -> dict[str, Any]:
        """What re-ranking needs after the run, as plain data: stored with the run (sealed), so
        a person's review re-ranks it on whichever replica gets the review."""
        return {"tests": self.tests, "approved": sorted(self.approved),
                "rejected": sorted(self.rejected), "wall": self.wall, "rounds": self.rounds,
                "usage": asdict(self.usage), "examples": [i for i, _ in self.examples],
                "pool": [{"program": c.program, "origin": c.origin, "round": c.round,
                          "index": c.index, "ev": asdict(c.ev)} for c in self.pool]}

    @classmethod
    def restore(cls, run: Run) -> Loop:
        """A finished run's loop from its stored state: it ranks and reports, it calls nothing."""
        st = run.state
        if st is None:
            raise KeyError("the run kept no loop state")
        loop = cls.__new__(cls)
        run.loop, loop.run, loop.opt = loop, run, run.options
        loop.llm, loop.sandbox, loop.dirs, loop.context = None, None, [], ""  # runs nothing
        loop.task = parse_task(run.task_text)
        loop.examples = [(i, "") for i in st["examples"]]
        loop.approved, loop.rejected = set(st["approved"]), set(st["rejected"])
        loop.wall, loop.rounds, loop.usage = st["wall"], st["rounds"], Usage(**st["usage"])
        loop.tests = st["tests"]
        loop.pool = [Candidate(c["program"], c["origin"], c["round"], Evaluation(**c["ev"]),
                               c["index"]) for c in st["pool"]]
        loop._sets()
        return loop

    # -- the run ---------------------------------------------------------------------------

    async def execute(self) -> dict[str, Any]:
        started = time.perf_counter()
        run, task, opt = self.run, self.task, self.opt
        run.status = "running"
        lang = language_for(task.language)
        if lang is None:
            raise ValueError(f"the loop cannot run {task.language} programs yet")
        self.lang = lang
        self.sandbox.check()
        run.emit("run.started", language=task.language, entry_point=task.entry_point,
                 user_tests=len(task.tests), examples=len(task.examples))
        await self._prepare()
        best = None
        for attempt in range(opt.restarts + 1):
            origin = "synthesis" if attempt == 0 else "fresh"
            if attempt:
                run.emit("fresh", attempt=attempt)
            best = await self._synthesize(origin)
            if self._solved(best):
                break
            for _ in range(opt.rounds):
                self.rounds += 1
                best = await self._debug(best)
                if self._solved(best):
                    break
            if self._solved(best):
                break
        assert best is not None
        solved = self._solved(best)
        run.status = "succeeded" if solved else "failed"
        self.wall = time.perf_counter() - started
        result = self._report(best, solved, self.wall)
        run.result = result
        run.emit("run.finished", status=run.status, metrics=result["metrics"])
        return result

    async def _prepare(self) -> None:
        task, opt, lang = self.task, self.opt, self.task.language
        parts: list[str] = []
        if opt.retrieval_k and self.dirs:
            # Embedding a folder is CPU work: keep it off the event loop.
            hits = await asyncio.to_thread(retrieval.search, self.dirs, task.text,
                                           opt.retrieval_k, mode=opt.retrieval_mode)
            self.run.emit("retrieval", files=[n for n, _ in hits])
            for name, text in hits:
                parts.append(f"Related code from the codebase ({name}):\n```\n{text}\n```")
        if self.examples:
            self.run.emit("corrections", ids=[i for i, _ in self.examples])
            parts += [text for _, text in self.examples]
        jobs = []
        if opt.paraphrase:
            jobs.append(self.llm.ask(
                "paraphrase", SYSTEM_PLAIN,
                f"Restate this programming task precisely in a few sentences, keeping every "
                f"name, input and output format:\n\n{task.text}", temperature=0.2))
        if opt.generated_tests and task.entry_point:
            jobs.append(self.llm.ask(
                "tests", SYSTEM_TESTS.format(lang=lang),
                f"{task.text}\n\nWrite {opt.generated_tests} assert statements that check "
                f"`{task.entry_point}` on typical and edge-case inputs with their exact expected "
                f"results.", temperature=0.2))
        answers = await asyncio.gather(*jobs)
        if opt.paraphrase:
            para = answers.pop(0)[0].strip()
            self.run.emit("paraphrase", text=para)
            parts.insert(0, f"The task restated:\n{para}")
        gen: list[str] = []
        if opt.generated_tests and task.entry_point:
            gen = extract_asserts(answers.pop(0)[0], opt.generated_tests)
            self.run.emit("tests.generated", tests=gen, ids=[f"gen{i}" for i in range(len(gen))])
        self.context = "\n\n".join(parts)
        self.tests = task.test_specs() + [
            {"id": f"gen{i}", "kind": "block", "code": a, "source": "generated"}
            for i, a in enumerate(gen)]
        self._sets()

    def _sets(self) -> None:
        """Required: the user's tests (else the examples) and generated tests a person approved;
        generated (CodeT): the rest of the generated tests, less those a person rejected."""
        users = {t["id"] for t in self.tests if t["source"] == "user"}
        examples = {t["id"] for t in self.tests if t["source"] == "example"}
        gen = {t["id"] for t in self.tests if t["source"] == "generated"}
        self.required = (users or examples) | (self.approved & gen)
        self.generated = gen - self.approved - self.rejected

    def review(self, test_id: str, approved: bool) -> dict[str, Any]:
        """A person approved or rejected a generated test: re-rank the run's candidates."""
        if test_id not in {t["id"] for t in self.tests if t["source"] == "generated"}:
            raise KeyError(test_id)
        (self.approved if approved else self.rejected).add(test_id)
        (self.rejected if approved else self.approved).discard(test_id)
        self._sets()
        best = self._best()
        self.run.emit("test.reviewed", test=test_id, approved=approved)
        if best is not None:
            solved = self._solved(best)
            self.run.status = "succeeded" if solved else "failed"
            self.run.result = self._report(best, solved, self.wall)
            self.run.emit("reranked", chosen=best.index, status=self.run.status,
                          metrics=self.run.result["metrics"])
        return self.run.result or {}

    async def _candidates(self, programs: list[str], origin: str) -> list[Candidate]:
        programs = [p for p in programs if p.strip()]
        evs = await asyncio.gather(*[evaluate(self.sandbox, self.lang, p, self.tests)
                                     for p in programs])
        new = [Candidate(p, origin, self.rounds, ev, len(self.pool) + i)
               for i, (p, ev) in enumerate(zip(programs, evs, strict=True))]
        self.pool += new
        for c in new:
            self.run.emit("candidate", index=c.index, origin=origin, round=self.rounds,
                          program=c.program, loads=c.ev.load_ok,
                          required=f"{c.passed(self.required)}/{len(self.required)}",
                          generated=f"{c.passed(self.generated)}/{len(self.generated)}",
                          wall_s=round(c.ev.wall_s, 3))
        return new

    def _programs(self, answers: list[str]) -> list[str]:
        out = []
        for a in answers:
            code = extract_code(a, self.task.language)
            if code:
                out.append(code)
        return out

    async def _synthesize(self, origin: str) -> Candidate | None:
        lang = self.task.language
        fresh = ("\n\nEarlier attempts failed; take a different approach."
                 if origin == "fresh" else "")
        prompt = f"{self.task.text}\n\n{self.context}{fresh}".strip()
        answers = await self.llm.ask("synthesize" if origin == "synthesis" else "fresh",
                                     SYSTEM.format(lang=lang), prompt,
                                     n=self.opt.candidates)
        await self._candidates(self._programs(answers), origin)
        return self._best()

    async def _debug(self, best: Candidate | None) -> Candidate | None:
        lang, task = self.task.language, self.task
        if best is None:  # nothing usable came back: ask again
            return await self._synthesize("fresh")
        stderr = self._stderr(best)
        if stderr:
            kind = "fix-error"
            self.run.emit("debug", round=self.rounds, kind=kind, stderr=stderr)
            prompt = (f"Fix {_short(stderr)}\n\nThe task:\n{task.text}\n\nThe program:\n"
                      f"```{lang}\n{best.program}\n```")
        else:
            kind = "fix-output"
            cases = self._failing_cases(best)
            summary = ""
            listing = "\n".join(f"make {c['input']} -> {c['expected']}"
                                + (f" (it gives {c['actual']})" if c.get("actual") else "")
                                for c in cases)
            if self.opt.bug_summary:
                summary = (await self.llm.ask(
                    "summary", SYSTEM_PLAIN,
                    f"{task.text}\n\n```{lang}\n{best.program}\n```\n\nThis program fails "
                    f"these cases:\n{listing}\n\nSummarize the bug in one or two sentences.",
                    temperature=0.2))[0].strip()
                self.run.emit("bug.summary", text=summary)
            self.run.emit("debug", round=self.rounds, kind=kind, cases=cases)
            prompt = (f"{task.text}\n\n```{lang}\n{best.program}\n```\n\n{listing}"
                      + (f"\n\nThe bug: {summary}" if summary else "")
                      + "\n\nAnswer with the corrected program.")
        answers = await self.llm.ask(kind, SYSTEM.format(lang=lang), prompt,
                                     n=self.opt.candidates)
        await self._candidates(self._programs(answers), kind)
        return self._best()

    # -- evaluation ------------------------------------------------------------------------

    def _stderr(self, c: Candidate) -> str:
        if not c.ev.load_ok:
            return c.ev.load_error.strip()
        by_id = {t["id"]: t for t in c.ev.tests}
        order = sorted(self.required) + sorted(self.generated_agreed(c))
        for tid in order:
            t = by_id.get(tid)
            if t and not t.get("ok") and t.get("kind") in ("exception", "timeout"):
                return (c.ev.stderr.strip() + "\n" + t.get("error", "")).strip()
        return ""

    def generated_agreed(self, c: Candidate) -> set[str]:
        """Generated tests the best consensus group passes: trusted enough to debug against."""
        if self.required:
            return set()
        groups = self._groups()
        if not groups:
            return set()
        top = max(groups.items(), key=lambda kv: len(kv[1]) * len(kv[0]))[0]
        return set(top)

    def _failing_cases(self, c: Candidate) -> list[dict[str, str]]:
        by_id = {t["id"]: t for t in c.ev.tests}
        specs = {t["id"]: t for t in self.tests}
        out = []
        for tid in sorted(self.required) + sorted(self.generated_agreed(c)):
            t = by_id.get(tid)
            if t is None or t.get("ok"):
                continue
            if t.get("input") is not None:
                inp = t["input"]
                if self.task.entry_point:
                    inp = inp.replace("candidate(", f"{self.task.entry_point}(")
                out.append({"input": inp, "expected": t.get("expected", "?"),
                            "actual": t.get("actual", "")})
            else:
                code = specs[tid].get("code") or ""
                out.append({"input": f"`{_short(code, 600)}`", "expected": "pass"})
            if len(out) == 3:
                break
        return out

    def _groups(self) -> dict[frozenset[str], list[Candidate]]:
        groups: dict[frozenset[str], list[Candidate]] = defaultdict(list)
        for c in self.pool:
            if c.ev.load_ok:
                groups[frozenset(c.ev.passed(self.generated))].append(c)
        return groups

    def _best(self) -> Candidate | None:
        if not self.pool:
            return None
        groups = self._groups()
        codet = {id(c): len(g) * len(k) for k, g in groups.items() for c in g}
        users = {t["id"] for t in self.tests if t["source"] == "user"} | self.approved
        examples = {t["id"] for t in self.tests if t["source"] == "example"}

        def key(c: Candidate) -> tuple:
            return (c.ev.load_ok, c.passed(self.required), c.passed(users),
                    c.passed(examples), codet.get(id(c), 0), c.passed(self.generated),
                    -len(c.program), -c.index)

        return max(self.pool, key=key)

    def _solved(self, c: Candidate | None) -> bool:
        if c is None or not c.ev.load_ok:
            return False
        if self.required:
            return c.passed(self.required) == len(self.required)
        return not self._stderr(c)

    # -- the answer ------------------------------------------------------------------------

    def _report(self, best: Candidate, solved: bool, wall: float) -> dict[str, Any]:
        u = self.usage
        counts = {}
        for source in ("user", "example", "generated"):
            ids = {t["id"] for t in self.tests if t["source"] == source} - self.rejected
            counts[source] = {"passed": best.passed(ids), "total": len(ids)}
        passed = sum(v["passed"] for v in counts.values())
        total = sum(v["total"] for v in counts.values())
        code_chars = sum(len(c.program) for c in self.pool)
        metrics = {
            "candidates": len(self.pool), "rounds": self.rounds, "tests_passed": passed,
            "tests_total": total, "tests": counts, "llm_calls": u.calls,
            "llm_requests": u.requests, "prompt_tokens": u.prompt_tokens,
            "completion_tokens": u.completion_tokens, "wall_s": round(wall, 3),
            "code_to_prompt_ratio": round(code_chars / max(u.prompt_chars, 1), 4),
            "solved": solved, "chosen": best.index, "chosen_origin": best.origin,
            "tests_approved": len(self.approved), "tests_rejected": len(self.rejected),
            "examples": len(self.examples),
        }
        lang = self.task.language
        parts = [f"{k} {v['passed']}/{v['total']}" for k, v in counts.items() if v["total"]]
        report = (f"{'Solved' if solved else 'Not solved'}: tests passed {passed}/{total}"
                  f" ({', '.join(parts) or 'no tests'}); rounds {self.rounds}; "
                  f"candidates {len(self.pool)}; LLM calls {u.calls}.")
        content = f"```{lang}\n{best.program.rstrip()}\n```\n\n{report}"
        by_id = {t["id"]: t for t in best.ev.tests}
        generated = [{"id": t["id"], "code": t.get("code", ""),
                      "passed": bool(by_id.get(t["id"], {}).get("ok")),
                      "review": ("approved" if t["id"] in self.approved else
                                 "rejected" if t["id"] in self.rejected else None)}
                     for t in self.tests if t["source"] == "generated"]
        return {"program": best.program, "content": content, "report": report,
                "metrics": metrics, "language": lang, "generated_tests": generated}
