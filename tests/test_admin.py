"""The /admin page: auth, filters, detail, stats and chain status; over HTTP and in Chromium."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest

from proxy.config import ConfigError, load_config
from tests.conftest import Running, start_gateway

ADMIN_KEY = "cv-admin-" + "Vq3xL9pT2mW8"
TEAM_A_KEY = "cv-team-a-" + "k7Rz2Qw"
TEAM_B_KEY = "cv-team-b-" + "p4Yd8Ns"
EMAIL = "jane.holloway@example.org"
AWS = "AKIA" + "Q7ZB3XK2MV4PLT9R"
PLANTED = (EMAIL, AWS, "holloway", ADMIN_KEY, TEAM_A_KEY, TEAM_B_KEY)

POLICY = """
name: admin-e2e
terms: [Quorvex]
actions: {secret: pseudonymize, pii: pseudonymize, term: pseudonymize, AWS_ACCESS_KEY_ID: block}
"""
EXTRA = (
    "tenants:\n  payments: {policy: policy.yaml}\n"
    "auth:\n  mode: gateway_keys\n  keys:\n"
    "    - {id: team-a-laptops, key_env: TEST_TEAM_A_KEY}\n"
    "    - {id: payments-ci, key_env: TEST_TEAM_B_KEY, tenant: payments}\n"
    "admin: {key_env: TEST_ADMIN_KEY}\n"
)
ENV = {"TEST_ADMIN_KEY": ADMIN_KEY, "TEST_TEAM_A_KEY": TEAM_A_KEY,
       "TEST_TEAM_B_KEY": TEAM_B_KEY, "TEST_UPSTREAM_KEY": "sk-upstream"}
BEARER = {"Authorization": f"Bearer {ADMIN_KEY}"}
RECORDS = 6  # in order: email, hello, email + term, term, blocked AWS key, the admin key


def chat(gw: Running, key: str, text: str) -> None:
    client = openai.OpenAI(base_url=f"{gw.url}/v1", api_key=key, max_retries=0)
    client.chat.completions.create(model="m", messages=[{"role": "user", "content": text}])


def record_ids(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'<a href="/admin/records/(\d+)">', page)]


@pytest.fixture(scope="module")
def gw(upstream, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    tmp = tmp_path_factory.mktemp("admin")
    gw = start_gateway(tmp, upstream.url, policy=POLICY, extra=EXTRA, env=ENV,
                       upstream_extra="    api_key_env: TEST_UPSTREAM_KEY\n")
    try:
        chat(gw, TEAM_A_KEY, f"Write to {EMAIL} about the release.")
        chat(gw, TEAM_A_KEY, "Say hello.")
        chat(gw, TEAM_B_KEY, f"The Quorvex ledger owner is {EMAIL}.")
        chat(gw, TEAM_B_KEY, "Refactor the Quorvex billing module.")
        with pytest.raises(openai.PermissionDeniedError):
            chat(gw, TEAM_A_KEY, f"Why does aws_access_key_id = {AWS} fail?")
        # the admin key is not a gateway key, and is never forwarded upstream
        with pytest.raises(openai.AuthenticationError):
            chat(gw, ADMIN_KEY, "hello")
        deadline = time.monotonic() + 10
        while len(record_ids(httpx.get(f"{gw.url}/admin", headers=BEARER).text)) < RECORDS:
            assert time.monotonic() < deadline, "the audit records did not appear"
            time.sleep(0.1)
        yield gw
    finally:
        gw.stop()


# -- plain HTTP ----------------------------------------------------------------------------------


def test_admin_is_off_without_an_admin_key(gateway):
    assert httpx.get(f"{gateway.url}/admin", headers=BEARER).status_code == 404
    assert httpx.get(f"{gateway.url}/admin/login").status_code == 404


def test_refusals_and_keys_never_cross(gw):
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": ADMIN_KEY},
                    {"Authorization": f"Bearer {TEAM_A_KEY}"}, {"x-api-key": ADMIN_KEY}):
        r = httpx.get(f"{gw.url}/admin", headers=headers)
        assert r.status_code == 401, headers
        assert 'name="key"' in r.text and "<table" not in r.text
    assert httpx.get(f"{gw.url}/admin/records/1").status_code == 401
    forged = {"codeveil_admin": f"{int(time.time())}.abc"}
    assert httpx.get(f"{gw.url}/admin/chain", cookies=forged).status_code == 401


def test_admin_key_must_differ_from_client_keys(tmp_path, monkeypatch):
    (tmp_path / "p.yaml").write_text("name: p\n")
    monkeypatch.setenv("TEST_SAME_KEY", "cv-same-key")
    monkeypatch.setenv("TEST_UP", "sk-up")
    config = tmp_path / "config.yaml"
    base = ("upstreams:\n  - {name: u, base_url: 'http://127.0.0.1:9/v1', models: ['*'], "
            "api_key_env: TEST_UP}\npolicy: p.yaml\n"
            "auth: {mode: gateway_keys, keys: [{key_env: TEST_SAME_KEY}]}\n")
    config.write_text(base + "admin: {key_env: TEST_SAME_KEY}\n")
    with pytest.raises(ConfigError, match="admin"):
        load_config(config)
    config.write_text(base + "admin: {key_sha256: nothex}\n")
    with pytest.raises(ConfigError, match=r"admin\.key_sha256"):
        load_config(config)
    digest = hashlib.sha256(b"other").hexdigest()
    config.write_text(base + f"admin: {{key_sha256: {digest}}}\n")
    assert load_config(config).admin_key_sha256 == digest


def test_login_cookie_is_a_server_side_session_httponly_and_strict(gw):
    with httpx.Client(base_url=gw.url) as c:
        r = c.post("/admin/login", data={"key": "wrong"})
        assert r.status_code == 401 and "Wrong admin key" in r.text
        r = c.post("/admin/login", data={"key": ADMIN_KEY},
                   headers={"Origin": "http://evil.example"})
        assert r.status_code == 403
        r = c.post("/admin/login", data={"key": ADMIN_KEY},
                   headers={"Sec-Fetch-Site": "cross-site"})
        assert r.status_code == 403 and "set-cookie" not in r.headers
        r = c.post("/admin/login", data={"key": ADMIN_KEY})
        assert r.status_code == 303 and r.headers["location"] == "/admin"
        cookie = r.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/admin" in cookie
        value = c.cookies["codeveil_admin"]
        assert ADMIN_KEY not in cookie and hashlib.sha256(ADMIN_KEY.encode()).hexdigest() \
            not in cookie
        assert c.get("/admin").status_code == 200
        c.cookies.set("codeveil_admin", value[:-1] + ("A" if value[-1] != "A" else "B"),
                      path="/admin")
        assert c.get("/admin").status_code == 401
        c.cookies.set("codeveil_admin", value, path="/admin")
        r = c.post("/admin/logout")
        assert r.status_code == 303 and r.headers["location"] == "/admin/login"
        assert re.search(r"codeveil_admin=\"?\"?;.*Max-Age=0", r.headers["set-cookie"])
    # the replay: the cookie, kept by whoever copied it, no longer opens anything after logout
    assert httpx.get(f"{gw.url}/admin", cookies={"codeveil_admin": value}).status_code == 401
    assert httpx.get(f"{gw.url}/admin/login", cookies={"codeveil_admin": value},
                     follow_redirects=False).status_code == 200


def test_logout_posted_from_another_site_is_refused_and_ends_nothing(gw):
    with httpx.Client(base_url=gw.url) as c:
        assert c.post("/admin/login", data={"key": ADMIN_KEY}).status_code == 303
        for headers in ({"Origin": "http://evil.example"}, {"Origin": "null"},
                        {"Sec-Fetch-Site": "cross-site"}):
            r = c.post("/admin/logout", headers=headers)
            assert r.status_code == 403 and "set-cookie" not in r.headers, headers
            assert c.get("/admin").status_code == 200  # the session was not ended
        assert c.post("/admin/logout", headers={"Origin": gw.url}).status_code == 303
        assert c.get("/admin").status_code == 401


def test_security_headers(gw):
    for r in (httpx.get(f"{gw.url}/admin", headers=BEARER), httpx.get(f"{gw.url}/admin")):
        csp = r.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "script-src 'none'" in csp
        assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["cache-control"] == "no-store"
        assert r.headers["content-type"].startswith("text/html")


def test_filters(gw):
    def ids(**params: str) -> list[int]:
        r = httpx.get(f"{gw.url}/admin", headers=BEARER, params=params)
        assert r.status_code == 200
        return record_ids(r.text)

    every = ids()
    assert len(every) == RECORDS and every == sorted(every, reverse=True)
    email = ids(type="EMAIL")
    assert len(email) == 2
    assert ids(blocked="yes") == [every[1]]
    assert len(ids(blocked="no")) == RECORDS - 1
    assert len(ids(tenant="default")) == 4
    assert len(ids(tenant="payments")) == 2
    assert ids(tenant="payments", type="EMAIL") == [every[3]]
    assert ids(action="pseudonymize", type="EMAIL") == email
    assert len(ids(since="1h", endpoint="/v1/chat/completions")) == RECORDS
    assert ids(until="2000-01-01") == []
    r = httpx.get(f"{gw.url}/admin", headers=BEARER, params={"since": "yesterday-ish"})
    assert r.status_code == 400 and "is not a time" in r.text
    # pagination keeps the filters
    r = httpx.get(f"{gw.url}/admin", headers=BEARER, params={"type": "EMAIL", "page": "2"})
    assert record_ids(r.text) == [] and "newer" in r.text and "type=EMAIL" in r.text


def test_detail_stats_chain_and_no_values_anywhere(gw):
    pages = {}
    index = httpx.get(f"{gw.url}/admin", headers=BEARER).text
    for rid in record_ids(index):
        pages[rid] = httpx.get(f"{gw.url}/admin/records/{rid}", headers=BEARER)
    blocked = pages[sorted(pages)[-2]].text
    assert "blocked_by_policy" in blocked
    first = pages[min(pages)].text
    assert "EMAIL" in first and "pseudonymize" in first and "fingerprint" in first
    assert httpx.get(f"{gw.url}/admin/records/99999", headers=BEARER).status_code == 404
    stats = httpx.get(f"{gw.url}/admin/stats", headers=BEARER)
    assert stats.status_code == 200 and stats.text.count("<svg") == 2
    assert "payments" in stats.text and "EMAIL" in stats.text
    chain = httpx.get(f"{gw.url}/admin/chain", headers=BEARER)
    assert '<p id="chain-status" class="ok">OK</p>' in chain.text
    filtered = httpx.get(f"{gw.url}/admin/stats", headers=BEARER,
                         params={"type": "EMAIL", "tenant": "payments"})
    for r in [*pages.values(), stats, chain, filtered,
              httpx.get(f"{gw.url}/admin/login"), httpx.get(f"{gw.url}/admin")]:
        for value in PLANTED:
            assert value not in r.text, value


def test_chain_page_names_an_edited_record(gw):
    db = sqlite3.connect(Path(gw.log_path).parent / "data" / "audit.db")  # type: ignore[arg-type]
    try:
        rid = db.execute("SELECT MIN(id) FROM requests").fetchone()[0]
        db.execute("UPDATE requests SET status = 299 WHERE id = ?", (rid,))
        db.commit()
        page = httpx.get(f"{gw.url}/admin/chain", headers=BEARER).text
        assert "FAILED" in page and f'href="/admin/records/{rid}"' in page and "edited" in page
        db.execute("UPDATE requests SET status = 200 WHERE id = ?", (rid,))
        db.commit()
        assert ">OK<" in httpx.get(f"{gw.url}/admin/chain", headers=BEARER).text
    finally:
        db.close()


# -- headless Chromium ---------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason="Debian's chromium not installed")
def test_browser_login_filter_open_record(gw):
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager reach out
    profile = tempfile.mkdtemp(prefix="codeveil-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                 f"--user-data-dir={profile}"):
        opts.add_argument(flag)
    driver = webdriver.Chrome(options=opts, service=Service(executable_path=CHROMEDRIVER))
    try:
        driver.set_page_load_timeout(20)
        driver.get(f"{gw.url}/admin")
        assert ADMIN_KEY not in driver.page_source
        driver.find_element(By.NAME, "key").send_keys(ADMIN_KEY)
        button = driver.find_element(By.CSS_SELECTOR, "form[action='/admin/login'] button")
        button.click()
        # the login page is /admin as well: wait for it to go and the records page to come
        WebDriverWait(driver, 20).until(expected_conditions.staleness_of(button))
        WebDriverWait(driver, 20).until(expected_conditions.presence_of_element_located(
            (By.CSS_SELECTOR, "table.records")))
        assert driver.current_url.endswith("/admin")
        # the inline style sheet is allowed by its hash in the CSP
        header = driver.find_element(By.TAG_NAME, "header")
        assert header.value_of_css_property("background-color") == "rgba(29, 35, 48, 1)"
        rows = driver.find_elements(By.CSS_SELECTOR, "table.records tbody tr")
        assert len(rows) == RECORDS

        box = driver.find_element(By.NAME, "type")
        box.clear()
        box.send_keys("EMAIL")
        driver.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
        # A click starts the navigation; on a busy machine it may not have finished yet.
        WebDriverWait(driver, 20).until(expected_conditions.url_contains("type=EMAIL"))
        assert "type=EMAIL" in driver.current_url
        rows = driver.find_elements(By.CSS_SELECTOR, "table.records tbody tr")
        assert len(rows) == 2
        assert all("EMAIL" in r.find_elements(By.TAG_NAME, "td")[9].text for r in rows)

        rows[0].find_element(By.CSS_SELECTOR, "td a").click()
        WebDriverWait(driver, 20).until(expected_conditions.url_contains("/admin/records/"))
        assert "/admin/records/" in driver.current_url
        cells = [c.text for c in driver.find_elements(By.CSS_SELECTOR, "table.findings td")]
        assert "EMAIL" in cells and "pseudonymize" in cells
        assert any(re.fullmatch(r"[0-9a-f]{8,}", c) for c in cells), cells
        for value in PLANTED:
            assert value not in driver.page_source

        driver.find_element(By.LINK_TEXT, "Chain").click()
        assert driver.find_element(By.ID, "chain-status").text == "OK"
        driver.find_element(By.LINK_TEXT, "Statistics").click()
        assert len(driver.find_elements(By.TAG_NAME, "svg")) == 2
        assert driver.find_elements(By.CSS_SELECTOR, "svg rect[fill]")
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def test_login_posted_from_another_site_is_refused_and_opens_nothing(gw):
    """Login CSRF: a page on another site posts the form (with a key it knows) into a browser."""
    with httpx.Client(base_url=gw.url) as c:
        for headers in ({"Origin": "https://evil.example"}, {"Origin": "null"},
                        {"Sec-Fetch-Site": "cross-site"}):
            r = c.post("/admin/login", data={"key": ADMIN_KEY}, headers=headers)
            assert r.status_code == 403 and "set-cookie" not in r.headers, headers
            assert "codeveil_admin" not in c.cookies
            assert c.get("/admin").status_code == 401  # no session was opened
        # the same origin, and a client that is no browser (no Origin), log in as before
        for headers in ({"Origin": gw.url}, {"Sec-Fetch-Site": "same-origin"}, {}):
            c.cookies.clear()
            r = c.post("/admin/login", data={"key": ADMIN_KEY}, headers=headers)
            assert r.status_code == 303 and "codeveil_admin" in c.cookies, headers
            assert c.get("/admin").status_code == 200


async def test_every_state_changing_admin_route_checks_the_origin(tmp_path):
    """Whatever non-GET route /admin gains, a cross-site request to it changes nothing."""
    from aiohttp.test_utils import TestClient, TestServer

    from proxy.config import Config, Upstream
    from proxy.policy import Policy
    from proxy.server.app import build_app
    from tests.conftest import REPO

    config = Config(source=REPO / "test", host="127.0.0.1", port=0,
                    upstreams=(Upstream("echo", "http://127.0.0.1:9/v1"),), policy_path=REPO,
                    policy=Policy(), audit_path=tmp_path / "audit.db", key=b"k" * 32,
                    admin_key_sha256=hashlib.sha256(ADMIN_KEY.encode()).hexdigest())
    async with TestClient(TestServer(build_app(config))) as client:
        routes = {(r.method, r.resource.canonical) for r in client.app.router.routes()
                  if r.resource is not None and r.resource.canonical.startswith("/admin")
                  and r.method not in ("GET", "HEAD", "OPTIONS")}
        assert {("POST", "/admin/login"), ("POST", "/admin/logout")} <= routes
        for method, path in sorted(routes):
            r = await client.request(method, path, data={"key": ADMIN_KEY},
                                     headers={"Origin": "https://evil.example"},
                                     allow_redirects=False)
            assert r.status == 403 and "Set-Cookie" not in r.headers, path
        r = await client.post("/admin/login", data={"key": ADMIN_KEY}, allow_redirects=False)
        assert r.status == 303
