"""The loop store on SQLite and PostgreSQL: two replicas (two stores, two connections) at once.

Reviews of one run on two replicas at the same time all land (the run's row lock), a run whose
replica stopped is reported as lost, and what is stored is sealed: no text in the clear, and a
sealed value moved to another place does not open. The PostgreSQL variant needs
CODEVEIL_TEST_POSTGRES_URL (``.ci/run`` starts a server and sets it).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from proxy.loop.engine import LoopOptions, Run
from proxy.loop.runs import LOST, RunBook
from proxy.loop.store import LoopStore
from proxy.wire.errors import ApiError
from tests.conftest import PG_URL, pg_schema, store_sql

TASK = "Write `stellan_total(items)` for the ledger at ledger.corp.example.internal."
KEYS = {"team-a": b"a" * 64, "team-b": b"b" * 64}


@pytest.fixture(params=["sqlite", "postgres"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield str(tmp_path / "loop.db")
        return
    if not PG_URL:
        pytest.skip("CODEVEIL_TEST_POSTGRES_URL is not set")
    with pg_schema("l") as url:
        yield url


def replicas(target: str, n: int = 2) -> list[RunBook]:
    return [RunBook(LoopStore(target), KEYS.__getitem__) for _ in range(n)]


async def close(books: list[RunBook]) -> None:
    for b in books:
        await b.close()
        b.store.close()


async def finished_run(book: RunBook) -> Run:
    run = Run(TASK, "fake", LoopOptions(), tenant="team-a")
    await book.add(run)
    run.emit("run.started", language="python")
    run.status, run.result = "succeeded", {"program": "def stellan_total(items): ..."}
    await book.finish(run)
    return run


async def test_reviews_on_two_replicas_at_once_all_land(target):
    books = replicas(target)
    try:
        run = await finished_run(books[0])

        def review(i: int) -> Callable[[Run], int]:
            def change(r: Run) -> int:
                r.feedback[f"review{i}"] = i
                if i % 2:  # some reviews add an event, some only change the run
                    r.emit("verdict", verdict="wrong", i=i)
                time.sleep(0.02)  # the other replica's review comes in meanwhile
                return i

            return change

        done = await asyncio.gather(*[books[i % 2].update(run.id, "team-a", review(i))
                                      for i in range(12)])
        assert sorted(out for out, _ in done) == list(range(12))
        got = await books[1].load(run.id, "team-a")
        assert got is not None and got.status == "succeeded" and got.done.is_set()
        assert {f"review{i}" for i in range(12)} == set(got.feedback)  # no review lost
        assert [e["seq"] for e in got.events] == list(range(7))
        assert got.result == run.result and got.task_text == TASK
        # Another team's run is no run, on reading and on changing.
        assert await books[1].load(run.id, "team-b") is None
        assert await books[0].update(run.id, "team-b", review(99)) is None
    finally:
        await close(books)


async def test_a_run_whose_replica_stopped_is_lost_and_followers_see_events(target):
    mine, other = replicas(target)
    try:
        run = Run(TASK, "fake", LoopOptions(), tenant="team-a")
        await mine.add(run)
        run.status = "running"
        run.emit("run.started", language="python")
        run.emit("paraphrase", text="Restated: " + TASK)
        await mine.close()  # what it wrote is in the store; then it stops, mid-run
        seen = await other.load(run.id, "team-a")
        assert seen is not None and seen.status == "running" and not seen.done.is_set()
        assert [e["type"] for e in seen.events] == ["run.started", "paraphrase"]
        newer = await other.load(run.id, "team-a", after=0)  # a follower's poll
        assert newer is not None and [e["seq"] for e in newer.events] == [1]

        store_sql(target, "UPDATE loop_runs SET heartbeat = heartbeat - 3600")
        lost = await other.load(run.id, "team-a")
        assert lost is not None and lost.done.is_set()
        assert lost.status == "error" and lost.error == LOST
    finally:
        await close([mine, other])


async def test_what_is_stored_is_sealed_in_its_place(target):
    books = replicas(target, 1)
    try:
        run = await finished_run(books[0])
        stored = repr(store_sql(target, "SELECT * FROM loop_runs") +
                      store_sql(target, "SELECT * FROM loop_events"))
        for word in ("stellan", "ledger", "def ", "team-a", "fake", "run.started"):
            assert word not in stored, word
        other = await finished_run(books[0])
        # A sealed body moved to another run does not open there.
        store_sql(target, f"UPDATE loop_runs SET body = (SELECT body FROM loop_runs WHERE "
                    f"id = '{run.id}') WHERE id = '{other.id}'")
        with pytest.raises(ApiError) as e:
            await books[0].load(other.id, "team-a")
        assert e.value.status == 500 and e.value.code == "run_unreadable"
        assert (await books[0].load(run.id, "team-a")) is not None
    finally:
        await close(books)
