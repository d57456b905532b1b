"""Big anonymizations in child processes, so that the serving process's event loop stays free.

Detection is Python and C calls that hold the GIL: even in a worker thread, a big prompt stalls
the event loop of its process, and with it every other request and /healthz. A request whose
new text (what the tenant's detection cache has not seen) is longer than ``limits.offload_chars``
is anonymized in a child process instead (``offload_child.py``): ``limits.offload_processes`` of
them per gateway process, started when the first such request comes (a gateway that never sees
one never pays for a child: about 200 MB and two seconds of CPU), each one request at a time.
The gateway sends the slot texts, the client's public names and the CPU budget; it gets back
the anonymized texts and the Mapping's tables, which the veil in the child has verified to
restore the request exactly.
Agent turns, small and mostly cached, stay in the serving process. A conversation that moves to
a child (a big new tool result) is detected afresh there once; its cache serves it from then on.

Fail closed: a child that crashes, times out or answers nonsense fails its request (the gateway
refuses it: 500 ``anonymization_failed``) and is replaced. A client that goes away does not cut
an exchange with a child short: it finishes, unheard, and the child serves the next request.
"""

from __future__ import annotations

import asyncio
import logging
import os
import pickle
import sys
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from proxy.audit import policy_hash
from proxy.config import Config
from proxy.server.offload_child import _LEN, PIECE, TABLES, Header
from proxy.veil.engine import Blocked, BudgetExceeded, Mapping, Veil
from proxy.veil.public import PublicVocabulary
from proxy.veil.restore import Replacer

if TYPE_CHECKING:
    from proxy.server.metrics import Metrics
    from proxy.server.reload import Tenants

log = logging.getLogger("codeveil")

START_TIMEOUT = 180.0  # seconds for a child to import everything and build its veils
_ROOT = str(Path(__file__).resolve().parents[2])  # where the `proxy` package lives
_BIG_TABLE = 2000  # restore pairs from which the automaton is built in a thread


class OffloadFailed(RuntimeError):
    """The child could not answer (crashed, timed out, sent nonsense): refuse the request."""


class _Child:
    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self.known: set[tuple[str, str]] = set()  # (tenant, policy hash) it has a veil for
        self.ready = False  # started: its veils are built

    @property
    def alive(self) -> bool:
        return self.proc.returncode is None

    async def send(self, header: Header, texts: Sequence[str] = ()) -> None:
        """A message with ``texts`` as UTF-8 pieces, encoded one at a time as they go."""
        counts = [-(-len(t) // PIECE) for t in texts]
        pipe = self.proc.stdin
        assert pipe is not None
        head = pickle.dumps({**header, "pieces": counts, "blobs": sum(counts)})
        pipe.write(_LEN.pack(len(head)))
        pipe.write(head)
        for t in texts:
            for i in range(0, len(t), PIECE):
                blob = t[i : i + PIECE].encode("utf-8", "surrogatepass")
                pipe.write(_LEN.pack(len(blob)))
                pipe.write(blob)
                await pipe.drain()
        await pipe.drain()

    async def recv(self) -> tuple[Header, list[bytes]]:
        pipe = self.proc.stdout
        assert pipe is not None
        n = _LEN.unpack(await pipe.readexactly(_LEN.size))[0]
        header = pickle.loads(await pipe.readexactly(n))
        blobs = []
        for _ in range(header["blobs"]):
            n = _LEN.unpack(await pipe.readexactly(_LEN.size))[0]
            blobs.append(await pipe.readexactly(n))
        return header, blobs

    def kill(self) -> None:
        if self.alive:
            self.proc.kill()


@dataclass
class _Job:
    tenant: str
    veil: Veil
    key: bytes
    texts: list[str]
    public: PublicVocabulary | None
    cpu_seconds: float
    turns: Sequence[int] = ()  # the request of the conversation that first carried each slot
    abandoned: bool = False  # the client went away before the job was sent


class Offload:
    """The child processes of one gateway process, and the way a request is sent to one."""

    def __init__(self, config: Config, tenants: Tenants, metrics: Metrics) -> None:
        self.chars = config.offload_chars
        self.processes = config.offload_processes
        self._config = config
        self._tenants = tenants
        self._metrics = metrics
        self._slots: asyncio.Queue[_Child | None] | None = None
        self._children: set[_Child] = set()
        self._tags: weakref.WeakKeyDictionary[Veil, str] = weakref.WeakKeyDictionary()
        self._filler: asyncio.Task[None] | None = None
        self._jobs: set[asyncio.Task[Any]] = set()
        self._closing = False

    @property
    def enabled(self) -> bool:
        return self.chars > 0

    # -- which requests go to a child --------------------------------------------------------

    async def takes(self, tenant: str, veil: Veil, texts: list[str]
                    ) -> tuple[bool, list[bytes] | None]:
        """Whether this request's new text is the child's work: more than ``chars`` of it that
        the tenant's detection cache has not seen (hashed in a thread: a big text takes a few
        milliseconds); and the slots' cache keys where they were computed, for the veil here
        (an agent's request is mostly slots seen before: hashed once, not twice)."""
        if not self.enabled or sum(map(len, texts)) <= self.chars:
            return False, None
        if not self._tenants.offloadable(tenant, veil):
            return False, None  # a veil built in code (tests): the child could not build it
        if not any(c.ready and c.alive for c in self._children):
            # None started yet (or all died): this one is anonymized here, as before
            self._refill()
            return False, None
        cache = veil.cache
        if cache is None:
            return True, None
        keys = await asyncio.to_thread(lambda: [cache.key(t) for t in texts])
        new = sum(len(t) for t, k in zip(texts, keys, strict=True) if not cache.has(k))
        return new > self.chars, keys

    # -- life cycle ------------------------------------------------------------------------------

    def start(self) -> None:
        """Make room for the children. They start in the background with the first big request
        (see ``takes``), which the gateway anonymizes itself, in a thread, as it does every big
        request until one is ready."""
        self._slots = asyncio.Queue()
        for _ in range(self.processes):
            self._slots.put_nowait(None)

    async def close(self) -> None:
        self._closing = True
        tasks = [t for t in (self._filler, *self._jobs) if t is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for child in list(self._children):
            child.kill()
            await child.proc.wait()
        self._children.clear()

    def _refill(self) -> None:
        if not self._closing and (self._filler is None or self._filler.done()):
            self._filler = asyncio.get_running_loop().create_task(self._fill())

    async def _fill(self) -> None:
        """A running child in every slot (one start after the other)."""
        assert self._slots is not None
        for _ in range(self.processes):
            child = await self._slots.get()
            try:
                if child is None or not child.alive:
                    child = await self._spawn()
            except Exception as e:
                log.error("offload child did not start", extra={"error": type(e).__name__})
                child = None
            finally:
                self._slots.put_nowait(child)

    async def _spawn(self) -> _Child:
        env = {**os.environ,
               "PYTHONPATH": os.pathsep.join(p for p in (_ROOT, os.environ.get("PYTHONPATH"))
                                             if p)}
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "proxy.server.offload_child",
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, env=env,
            limit=4 * PIECE,
        )
        child = _Child(proc)
        self._children.add(child)
        specs = [self._spec(*tenant) for tenant in self._tenants.offloadable_veils()]
        config = self._config
        try:
            async with asyncio.timeout(START_TIMEOUT):
                await child.send({
                    "cache_bytes": config.detection_cache_bytes,
                    "spacy_model": config.ner_spacy_model, "flair_model": config.ner_flair_model,
                    "log_level": logging.getLevelName(log.getEffectiveLevel()),
                    "tenants": specs,
                })
                reply, _ = await child.recv()
            if reply.get("status") != "ready":
                raise OffloadFailed("the child did not start")
        except BaseException:
            await self._drop(child)
            raise
        child.known = {(s["tenant"], s["tag"]) for s in specs}
        child.ready = True
        self._metrics.offload_starts.inc()
        return child

    async def _drop(self, child: _Child) -> None:
        child.kill()
        self._children.discard(child)
        await child.proc.wait()

    def _spec(self, tenant: str, veil: Veil, key: bytes) -> Header:
        """What a child builds a tenant's veil from: its policy, key, and policy hash (tag)."""
        return {"tenant": tenant, "tag": self._tag(veil), "policy": veil.policy, "key": key}

    def _tag(self, veil: Veil) -> str:
        tag = self._tags.get(veil)
        if tag is None:
            tag = self._tags[veil] = policy_hash(veil.policy)
        return tag

    # -- one request -----------------------------------------------------------------------------

    async def anonymize(
        self, tenant: str, veil: Veil, key: bytes, texts: list[str],
        public: PublicVocabulary | None, cpu_seconds: float,
        turns: Sequence[int] = (),
    ) -> tuple[list[str], Mapping]:
        """``veil.anonymize(texts, public, cpu_seconds, turns=turns)``, in a child. Blocked
        and BudgetExceeded as the veil raises them; OffloadFailed when the child fails."""
        job = _Job(tenant, veil, key, texts, public, cpu_seconds, turns)
        task = asyncio.get_running_loop().create_task(self._run(job))
        self._jobs.add(task)
        task.add_done_callback(_settled(self._jobs))
        try:
            return await asyncio.shield(task)
        except asyncio.CancelledError:
            job.abandoned = True  # not sent yet: it never will be; sent: finished unheard
            raise

    async def _run(self, job: _Job) -> tuple[list[str], Mapping]:
        assert self._slots is not None
        child = await self._slots.get()
        sent = False
        try:
            if job.abandoned:
                raise asyncio.CancelledError  # never sent: the child is as it was
            if child is None or not child.alive:
                child = await self._spawn()
            sent = True
            # The child counts the CPU budget itself; this bounds a child that hangs.
            async with asyncio.timeout(max(60.0, 4 * job.cpu_seconds)):
                reply, blobs = await self._exchange(child, job)
            outcome = reply["status"]
        except asyncio.CancelledError:
            if sent and child is not None:  # shutting down mid-exchange
                await self._drop(child)
                child = None
            raise
        except Exception as e:
            log.error("offload child failed", extra={"error": type(e).__name__})
            self._metrics.offload.inc("failed")
            if child is not None:
                await self._drop(child)
                child = None
            raise OffloadFailed(type(e).__name__) from None
        finally:
            self._slots.put_nowait(child)
            if child is None:
                self._refill()  # a new child starts now, not with the next request
        self._metrics.offload.inc(outcome)
        if outcome == "blocked":
            raise Blocked(reply["types"], reply["findings"])
        if outcome == "budget":
            raise BudgetExceeded(reply["seconds"])
        if outcome != "ok":
            raise OffloadFailed(str(reply.get("error")))
        return await _result(reply, blobs)

    async def _exchange(self, child: _Child, job: _Job) -> tuple[Header, list[bytes]]:
        tag = self._tag(job.veil)
        header: Header = {"tenant": job.tenant, "tag": tag, "public": job.public,
                          "cpu_seconds": job.cpu_seconds,
                          "turns": list(job.turns)}
        if (job.tenant, tag) not in child.known:  # new to this child, or a reloaded policy
            header |= self._spec(job.tenant, job.veil, job.key)
        await child.send(header, job.texts)
        reply, blobs = await child.recv()
        if reply["status"] == "unknown":
            raise OffloadFailed("the child has no veil for this tenant")
        if reply["status"] != "error":
            child.known.add((job.tenant, tag))
        return reply, blobs


async def _result(reply: Header, blobs: list[bytes]) -> tuple[list[str], Mapping]:
    """The anonymized texts and the Mapping from a child's answer, a piece at a time. The
    Mapping restores and audits; the forward automata stay in the child (nothing here uses them:
    images to redact are never sent to a child)."""
    texts, pos = [], 0
    for n in reply["pieces"]:
        parts = []
        for blob in blobs[pos : pos + n]:
            parts.append(blob.decode("utf-8", "surrogatepass"))
            await asyncio.sleep(0)
        texts.append("".join(parts))
        pos += n
    tables: dict[str, list[Any]] = {}
    for name in TABLES:
        rows: list[Any] = []
        for blob in blobs[pos : pos + reply["tables"][name]]:
            rows += pickle.loads(blob)
            await asyncio.sleep(0)
        tables[name] = rows
        pos += reply["tables"][name]
    reverse = dict(tables["reverse"])
    restorer = (Replacer(reverse) if len(reverse) < _BIG_TABLE
                else await asyncio.to_thread(Replacer, reverse))
    mapping = Mapping(forward=dict(tables["forward"]), reverse=restorer,
                      findings=tables["findings"], origins=dict(tables["origins"]))
    return texts, mapping


def _settled(jobs: set[asyncio.Task[Any]]) -> Any:
    def done(task: asyncio.Task[Any]) -> None:
        jobs.discard(task)
        if not task.cancelled():
            task.exception()  # retrieved: a job nobody waited for is not an error to report

    return done
