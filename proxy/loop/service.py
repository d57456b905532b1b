"""The loop as a service of the gateway it runs in: its settings, its runs, its corrections.

The HTTP side (the ``codeveil-loop/<model>`` chat alias and ``/v1/loop/runs``) is
``proxy/server/loop_api.py``; the loop sees the gateway only through :class:`LoopHost`.

Config (optional, top-level ``loop:`` in the gateway config)::

    loop:
      candidates: 3          # N per request (n=N where the upstream supports it)
      rounds: 2              # R debug rounds before fresh candidates
      restarts: 1
      generated_tests: 8     # CodeT tests asked from the LLM (0: none)
      retrieval: [path/to/code]      # local folders for lexical retrieval
      sandbox: {mode: bwrap, allow_limits_only: false, limits: {memory_mb: 512, wall_s: 20}}
      corrections_dir: data/loop-corrections   # default: next to the audit database

Runs, their events and people's corrections live in the loop store (``proxy/loop/store.py``,
``proxy/loop/runs.py``), sealed with the tenant's key, the newest ``MAX_RUNS`` runs: a SQLite
file next to the audit database (``loop.db``; corrections in ``corrections_dir``) in one process,
the PostgreSQL database of ``audit.url`` for several replicas. Only the running task stays in the
memory of the replica that executes it; any replica answers for any run.

People in the loop, on a finished run of their own tenant::

    POST /v1/loop/runs/{id}/tests/{test_id}  {"approved": true|false}   re-ranks the run
    POST /v1/loop/runs/{id}/verdict          {"verdict": "right"|"wrong", "note": "..."}
    POST /v1/loop/runs/{id}/correction       {"program": "...", "note": "..."}

A correction (and a program marked right) is stored for the tenant, encrypted
(``proxy/loop/feedback.py``), and later runs of the same tenant get the closest ones as
examples in their synthesis prompts, through the veil. Every run and every review writes an
audit record: the run's metrics and the veil's finding summaries, never text.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from multidict import CIMultiDictProxy

from proxy.config import Config, Upstream
from proxy.loop.engine import Loop, LoopOptions, Run
from proxy.loop.feedback import Correction, CorrectionStore, FileLines, as_example
from proxy.loop.llm import LLM, LLMError, RunVeil
from proxy.loop.runs import RunBook
from proxy.loop.sandbox import Sandbox, SandboxConfig, SandboxUnavailable
from proxy.loop.store import LoopStore
from proxy.upstream.client import UpstreamClient
from proxy.veil.engine import Blocked, Veil
from proxy.wire.errors import ApiError, bad_request

PREFIX = "codeveil-loop/"
MAX_RUNS = 1000  # in the store, across replicas: past it the oldest finished runs go


@dataclass(frozen=True)
class LoopSettings:
    """The ``loop:`` section of the gateway config, read once."""

    options: LoopOptions
    retrieval: tuple[Path, ...]
    sandbox: SandboxConfig
    corrections_dir: Path
    # the loop store: audit.url (PostgreSQL; it may hold a password), else a SQLite file
    store: str | Path = field(repr=False)

    @classmethod
    def from_config(cls, config: Config) -> LoopSettings:
        spec = config.loop
        base = Path(config.source).parent
        data = config.audit_path.parent if config.audit_path else base / "data"
        folder = (base / spec["corrections_dir"] if spec.get("corrections_dir")
                  else data / "loop-corrections")
        return cls(
            options=LoopOptions.from_dict(
                {k: v for k, v in spec.items()
                 if k not in ("retrieval", "sandbox", "corrections_dir")}),
            retrieval=tuple((base / p).resolve() for p in (spec.get("retrieval") or [])),
            sandbox=SandboxConfig.from_dict(spec.get("sandbox")),
            corrections_dir=folder.resolve(),
            store=config.audit_url or (data / "loop.db").resolve(),
        )


@dataclass(frozen=True)
class LoopHost:
    """All the loop needs from the gateway it runs in."""

    upstream: UpstreamClient
    route: Callable[[str], Upstream | None]  # model -> the upstream that serves it
    tenant_key: Callable[[str], bytes]  # tenant -> its secret key (corrections are encrypted)

    @classmethod
    def of(cls, config: Config, upstream: UpstreamClient) -> LoopHost:
        def tenant_key(tenant: str) -> bytes:
            t = config.tenants.get(tenant)
            return t.key if t is not None and tenant != "default" else config.key

        return cls(upstream, config.route, tenant_key)


class LoopService:
    """The runs (of every replica, in the store) and the corrections."""

    def __init__(self, settings: LoopSettings, host: LoopHost) -> None:
        self.host = host
        self.options = settings.options
        self.dirs = list(settings.retrieval)
        self.sandbox = Sandbox(settings.sandbox)
        self.store = LoopStore(settings.store, MAX_RUNS)
        self.runs = RunBook(self.store, host.tenant_key)
        # Replicas share PostgreSQL's; one process keeps its files where they always were.
        self.corrections = CorrectionStore(
            self.store if self.store.pg else FileLines(settings.corrections_dir))

    async def close(self) -> None:
        """Write what is still queued for the store, then let it go."""
        await self.runs.close()
        await asyncio.to_thread(self.store.close)

    def route(self, model: str) -> tuple[str, Upstream]:
        inner = model.removeprefix(PREFIX)
        upstream = self.host.route(inner)
        if not inner or upstream is None:
            raise ApiError(404, f"no upstream serves model '{inner}'", "invalid_request_error",
                           "model_not_found", "model")
        return inner, upstream

    async def new_run(self, task: str, model: str, options: dict[str, Any] | None,
                      tenant: str = "default") -> Run:
        """A run, in the store before its id is given to anyone (503 if the store is down)."""
        if not isinstance(task, str) or not task.strip():
            raise bad_request("the loop needs a task: a non-empty string", param="task")
        if options is not None and not isinstance(options, dict):
            raise bad_request("options must be an object", param="options")
        try:
            opts = LoopOptions.from_dict(options, self.options)
        except ValueError as e:
            raise bad_request(str(e), param="options") from None
        run = Run(task, model, opts, tenant=tenant)
        await self.runs.add(run)
        return run

    async def execute(self, run: Run, veil: Veil, upstream: Upstream, inner: str,
                      headers: CIMultiDictProxy[str] | None = None) -> Run:
        """Run to the end; failures become the run's status and error, never an exception."""
        examples: list[tuple[str, str]] = []
        if run.options.corrections_k > 0:
            try:
                found = await asyncio.to_thread(self.corrections.similar, run.tenant,
                                                self.host.tenant_key(run.tenant), run.task_text,
                                                run.options.corrections_k)
                examples = [(c.id, as_example(c)) for c in found]
            except Exception:  # the store is an aid: a run goes on without it
                examples = []
        run_veil = RunVeil(veil, [run.task_text, *(t for _, t in examples)])
        llm = LLM(self.host.upstream, upstream, inner, run_veil, headers, run.options.temperature)
        run.usage = llm.usage
        try:
            await Loop(run, llm, self.sandbox, self.dirs, examples).execute()
        except SandboxUnavailable as e:
            run.status, run.error = "error", str(e)
        except Blocked as e:
            run.status = "error"
            run.error = (f"CodeVeil's policy does not allow sending {', '.join(e.types)} to an "
                         "external model")
        except LLMError as e:
            run.status, run.error = "error", str(e)
        except ValueError as e:
            run.status, run.error = "error", str(e)
        except Exception as e:  # the veil or the sandbox failed: say so, never the text
            run.status, run.error = "error", f"the loop failed: {type(e).__name__}"
        except asyncio.CancelledError:  # the gateway is stopping: the run ends, and says so
            run.status, run.error = "error", "the loop run was cancelled"
            raise
        finally:
            run.findings = run_veil.findings()
            if run.status == "error":
                run.emit("run.error", error=run.error)
            if run.loop is not None:
                run.state = run.loop.state()  # a review re-ranks from it, on any replica
            await asyncio.shield(self.runs.finish(run))
            run.done.set()
        return run

    def keep_correction(self, run: Run, program: str, kind: str, note: str) -> str:
        lang = (run.result or {}).get("language") or "python"
        return self.corrections.add(run.tenant, self.host.tenant_key(run.tenant), Correction(
            run.task_text, program, kind, note, run.id, run.model, lang))
