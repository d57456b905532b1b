"""Admin sessions shared by every worker and replica: the session store on SQLite and PostgreSQL,
a real `codeveil serve --workers 2` whose two workers both honour (and both forget) one login,
and two replicas on one PostgreSQL. The PostgreSQL tests need CODEVEIL_TEST_POSTGRES_URL
(``.ci/run`` starts a server and sets it).
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from proxy.server.admin.sessions import MemorySessions, SessionStore
from tests.conftest import PG_URL, REPO, Running, Upstream, pg_schema, start_gateway
from tests.test_workers import handled, scrape, until, workers

ADMIN_KEY = "cv-admin-" + "Hs7Kq2Zx9Lw4"
ENV = {"TEST_ADMIN_KEY": ADMIN_KEY}
EXTRA = "admin: {key_env: TEST_ADMIN_KEY}\n"
COOKIE = "codeveil_admin"
TWELVE_H = 12 * 3600


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _pg_url() -> Iterator[str]:
    """A schema of its own on the test server, dropped afterwards."""
    if not PG_URL:
        pytest.skip("CODEVEIL_TEST_POSTGRES_URL is not set (.ci/run)")
    with pg_schema("s") as url:
        yield url


def rows(target: str) -> list[tuple]:
    """The session table, read straight from the database."""
    sql = "SELECT digest, expires FROM admin_sessions"
    if target.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(target, autocommit=True) as conn:
            return conn.execute(sql).fetchall()
    with sqlite3.connect(target) as db:
        return db.execute(sql).fetchall()


@pytest.fixture(params=["sqlite", "postgres"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield str(tmp_path / "loop.db")
    else:
        yield from _pg_url()


# -- the store: two instances are two workers or replicas ------------------------------------


def test_one_store_two_processes_see_the_same_sessions(target: str):
    a, b = SessionStore(target), SessionStore(target)
    try:
        a.add(digest("one"), TWELVE_H)
        assert b.ok(digest("one")) and not b.ok(digest("two"))
        b.end(digest("one"))  # a logout on the other worker...
        assert not a.ok(digest("one"))  # ...ends it here at once: nothing is cached
        a.add(digest("old"), 0)  # expires as it is made
        assert not b.ok(digest("old"))
        b.add(digest("new"), TWELVE_H)  # and the expired one is swept away
        assert [r[0] for r in rows(target)] == [digest("new")]
    finally:
        a.close()
        b.close()


def test_a_flood_of_logins_keeps_the_newest_up_to_the_bound(target: str):
    stores = [SessionStore(target, max_sessions=5) for _ in range(2)]
    try:
        for i in range(30):  # alternating between the two
            stores[i % 2].add(digest(f"s{i}"), TWELVE_H + i)
        assert sorted(r[0] for r in rows(target)) == sorted(digest(f"s{i}")
                                                            for i in range(25, 30))
        assert stores[0].ok(digest("s29")) and not stores[1].ok(digest("s0"))
    finally:
        for s in stores:
            s.close()


def test_memory_fallback_is_bounded_and_ends_sessions():
    m = MemorySessions(max_sessions=3)
    for i in range(10):
        m.add(digest(f"s{i}"), TWELVE_H)
    assert [m.ok(digest(f"s{i}")) for i in range(10)] == [False] * 7 + [True] * 3
    m.end(digest("s9"))
    m.add(digest("gone"), 0)
    assert not m.ok(digest("s9")) and not m.ok(digest("gone"))


async def test_a_session_store_that_is_down_opens_nothing(tmp_path: Path):
    """Fail closed: no session is opened or honoured while the store is down (503, not a
    login that works on one worker only); the bearer key needs no store and still works."""
    from aiohttp.test_utils import TestClient, TestServer

    from proxy.config import Config, Upstream
    from proxy.policy import Policy
    from proxy.server.app import build_app

    (tmp_path / "loop.db").mkdir()  # where the session store's file should be
    config = Config(source=REPO / "test", host="127.0.0.1", port=0,
                    upstreams=(Upstream("echo", "http://127.0.0.1:9/v1"),), policy_path=REPO,
                    policy=Policy(), audit_path=tmp_path / "audit.db", key=b"k" * 32,
                    admin_key_sha256=digest(ADMIN_KEY))
    async with TestClient(TestServer(build_app(config))) as client:
        r = await client.post("/admin/login", data={"key": ADMIN_KEY}, allow_redirects=False)
        assert r.status == 503 and "Set-Cookie" not in r.headers
        client.session.cookie_jar.update_cookies({COOKIE: "x" * 43})
        r = await client.get("/admin", allow_redirects=False)
        assert r.status == 503 and "<table" not in await r.text()
        r = await client.post("/admin/logout", allow_redirects=False)
        assert r.status == 503  # not ended, and not said to be
        client.session.cookie_jar.clear()
        r = await client.get("/admin", headers={"Authorization": f"Bearer {ADMIN_KEY}"})
        assert r.status == 200


# -- real gateways -------------------------------------------------------------------------


def spread(gw: Running, cookie: str, n: int = 30) -> tuple[list[int], dict[int, float]]:
    """``n`` admin page loads with ``cookie``, each on a new connection: their statuses, and per
    worker how many of those connections it served. (The per-worker counter counts API
    requests only, so each connection then sends one chat request too: a kept-alive connection
    stays with the worker that accepted it.)"""
    before = handled(scrape(gw))
    statuses = []
    for i in range(n):
        with httpx.Client(base_url=gw.url, cookies={COOKIE: cookie},
                          limits=httpx.Limits(max_connections=1)) as c:
            statuses.append(c.get("/admin").status_code)
            r = c.post("/v1/chat/completions", headers={"Authorization": "Bearer sk-client"},
                       json={"model": "m", "messages": [{"role": "user", "content": f"hi {i}"}]})
            assert r.status_code == 200
    after = handled(scrape(gw))
    served = {w: after[w] - before.get(w, 0) for w in after}
    assert sum(served.values()) == n
    return statuses, served


@pytest.fixture(scope="module")
def gw2(upstream: Upstream, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    gw = start_gateway(tmp_path_factory.mktemp("admin-workers"), upstream.url, extra=EXTRA,
                       env=ENV, workers=2)
    try:
        until(lambda: len(workers(scrape(gw))) == 2, what="both workers up")
        yield gw
    finally:
        gw.stop()


def test_one_login_works_on_every_worker_and_one_logout_ends_it_on_all(gw2: Running):
    db = Path(gw2.log_path).parent / "data" / "loop.db"  # type: ignore[union-attr]
    r = httpx.post(f"{gw2.url}/admin/login", data={"key": ADMIN_KEY})
    assert r.status_code == 303
    cookie = r.cookies[COOKIE]
    assert rows(str(db))[0][0] == digest(cookie) and len(rows(str(db))) == 1
    stored = b"".join(p.read_bytes() for p in db.parent.iterdir() if p.is_file())
    assert cookie.encode() not in stored and ADMIN_KEY.encode() not in stored

    statuses, served = spread(gw2, cookie)
    assert statuses == [200] * 30
    assert sorted(served) == [0, 1] and all(n > 0 for n in served.values()), served

    r = httpx.post(f"{gw2.url}/admin/logout", cookies={COOKIE: cookie})
    assert r.status_code == 303
    assert rows(str(db)) == []
    statuses, served = spread(gw2, cookie)
    assert statuses == [401] * 30  # the copied cookie opens nothing, whichever worker answers
    assert sorted(served) == [0, 1] and all(n > 0 for n in served.values()), served


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    yield from _pg_url()


def test_login_on_one_replica_logout_on_another(database: str, upstream: Upstream,
                                                tmp_path_factory: pytest.TempPathFactory):
    gws: list[Running] = []
    try:
        for name in "ab":
            gws.append(start_gateway(tmp_path_factory.mktemp(f"admin-replica-{name}"),
                                     upstream.url, extra=EXTRA, env=ENV,
                                     audit=f"{{url: '{database}'}}"))
        a, b = gws
        with httpx.Client(base_url=a.url) as c:
            assert c.post("/admin/login", data={"key": ADMIN_KEY}).status_code == 303
            cookie = c.cookies[COOKIE]
            assert c.get("/admin").status_code == 200
        assert [r[0] for r in rows(database)] == [digest(cookie)]
        with httpx.Client(base_url=b.url, cookies={COOKIE: cookie}) as c:
            assert c.get("/admin").status_code == 200
            assert c.post("/admin/logout").status_code == 303
        assert rows(database) == []
        for gw in (a, b):
            r = httpx.get(f"{gw.url}/admin", cookies={COOKIE: cookie})
            assert r.status_code == 401 and "<table" not in r.text
    finally:
        for gw in gws:
            gw.stop()
