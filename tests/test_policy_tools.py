"""`codeveil policy check | test | explain`, and hot reload of policy files in a running gateway."""

from __future__ import annotations

import io
import json
import subprocess
import time

import httpx

from proxy.cli.policy import run_check, run_explain, run_test
from tests.conftest import CODEVEIL, REPO, start_gateway

AWS = "AKIA" + "Q7ZB3XK2MV4PLT9R"
PEM_BODY = "MIIEowIBAAKCAQEA7bq9x0Yb2uJkq3ZcL8Hs5PdRt1VwXe9fKa2mN4"


def out_of(fn, *args, **kw) -> tuple[int, str]:
    buf = io.StringIO()
    rc = fn(*args, out=buf, **kw)
    return rc, buf.getvalue()


def test_check_reports_every_error_with_line_and_key(tmp_path):
    (tmp_path / "p.yaml").write_text(
        "name: bad\n"
        "terms: [Acme]\n"
        "actions:\n"
        "  secret: obliterate\n"
        "colour: blue\n"
        "recognizers:\n"
        "  - name: r\n"
        "    type: EMP_ID\n"
        "    category: pii\n"
        "    pattern: 'EMP-(\\d+'\n"
        "  - name: d\n"
        "    type: CUST\n"
        "    category: term\n"
        "    deny_list_file: missing.txt\n"
    )
    rc, out = out_of(run_check, [str(tmp_path / "p.yaml")])
    assert rc == 1
    f = tmp_path / "p.yaml"
    assert f"{f}:4: actions.secret: 'obliterate' is not one of" in out
    assert f"{f}:5: (top level): Additional properties" in out and "colour" in out
    # Schema errors come first; a schema-valid file gets the semantic checks.
    (tmp_path / "p.yaml").write_text(
        "recognizers:\n"
        "  - name: r\n    type: EMP_ID\n    category: pii\n    pattern: 'EMP-(\\d+'\n"
        "  - name: d\n    type: CUST\n    category: term\n    deny_list_file: missing.txt\n"
    )
    rc, out = out_of(run_check, [str(f)])
    assert rc == 1
    assert f"{f}:5: recognizers.0.pattern: the regex does not compile" in out
    assert f"{f}:9: recognizers.1.deny_list_file: no such file" in out


def test_check_reports_yaml_syntax_errors_with_line(tmp_path):
    (tmp_path / "p.yaml").write_text("terms: [Acme\nallow: []\n")
    rc, out = out_of(run_check, [str(tmp_path / "p.yaml")])
    assert rc == 1 and f"{tmp_path / 'p.yaml'}:2: (yaml): not valid YAML" in out


def test_every_shipped_policy_passes_the_cli_check():
    files = [str(p) for p in (REPO / "policies").rglob("*.yaml") if p.name != "cases.yaml"]
    proc = subprocess.run([CODEVEIL, "policy", "check", *files], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout
    assert proc.stdout.count(": ok") == len(files)


def test_policy_test_shipped_cases_pass():
    rc, out = out_of(run_test, str(REPO / "policies" / "default.yaml"),
                     str(REPO / "policies" / "examples" / "cases.yaml"))
    assert rc == 0 and "0 failed" in out


def test_policy_test_reports_failures(tmp_path):
    (tmp_path / "p.yaml").write_text("actions: {PRIVATE_KEY: block, EMAIL: monitor}\n")
    (tmp_path / "cases.yaml").write_text(f"""
- name: masked ok
  text: "key {AWS}"
  expect: {{masked: [{{type: AWS_ACCESS_KEY_ID, text: {AWS}}}]}}
- name: wrong type
  text: "key {AWS}"
  expect: {{masked: [{{type: GITHUB_TOKEN, text: {AWS}}}]}}
- name: monitored
  text: "mail ops.lead@example.org"
  expect: {{monitored: [{{type: EMAIL, text: ops.lead@example.org}}],
           unchanged: [ops.lead@example.org]}}
- name: should be blocked
  text: "hello"
  expect: {{blocked: true}}
- name: unexpectedly masked
  text: "mail {AWS}"
  expect: {{unchanged: ["{AWS}"]}}
- name: is blocked
  text: "-----BEGIN RSA PRIVATE KEY-----\\n{PEM_BODY}\\n-----END RSA PRIVATE KEY-----"
  expect: {{blocked: true}}
""")
    rc, out = out_of(run_test, str(tmp_path / "p.yaml"), str(tmp_path / "cases.yaml"))
    assert rc == 1
    lines = out.splitlines()
    assert "PASS  masked ok" in lines and "PASS  monitored" in lines and "PASS  is blocked" in lines
    assert "FAIL  wrong type" in lines and "FAIL  should be blocked" in lines
    assert "FAIL  unexpectedly masked" in lines
    assert "was masked as AWS_ACCESS_KEY_ID, expected GITHUB_TOKEN" in out
    assert "3 passed, 3 failed" in out


def test_explain_shows_rule_and_outcome(tmp_path):
    (tmp_path / "p.yaml").write_text(
        "terms: [Quorvex]\nallow: [Quorvex SDK]\nactions: {EMAIL: monitor, secret: redact}\n"
        "restore: {TERM: false}\n"
    )
    text = f"Quorvex SDK and Quorvex; ops.lead@example.org; {AWS}"
    rc, out = out_of(run_explain, str(tmp_path / "p.yaml"), text)
    assert rc == 0
    assert "'ops.lead@example.org': EMAIL (pii) by pii" in out
    assert "rule actions.EMAIL: monitor => monitored" in out
    assert "rule actions.secret: redact => redacted -> [AWS_ACCESS_KEY_ID]" in out
    assert "rule allow list => allowed" in out
    assert "(not restored in answers)" in out
    rc, out = out_of(run_explain, str(tmp_path / "p.yaml"), text, as_json=True)
    report = json.loads(out)
    assert report["blocked"] == [] and "Quorvex SDK" in report["upstream_text"]


def test_explain_cli_reads_stdin_and_shows_a_block(tmp_path):
    (tmp_path / "p.yaml").write_text("actions: {AWS_ACCESS_KEY_ID: block}\n")
    proc = subprocess.run([CODEVEIL, "policy", "explain", str(tmp_path / "p.yaml"), "-"],
                          input=f"key {AWS}", capture_output=True, text=True)
    assert proc.returncode == 0
    assert "=> blocked" in proc.stdout and "verdict: BLOCKED (AWS_ACCESS_KEY_ID)" in proc.stdout


def _sent(gw, upstream, text: str) -> str:
    upstream.clear()
    r = httpx.post(f"{gw.url}/v1/chat/completions", timeout=10, json={
        "model": "gpt-4o", "messages": [{"role": "user", "content": text}]})
    assert r.status_code == 200, r.text
    return upstream.recorded()[0]["body"]["messages"][0]["content"]


def _wait(cond, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.2)
    return False


def test_hot_reload_swaps_a_valid_edit_and_keeps_the_policy_on_a_bad_one(tmp_path, upstream):
    gw = start_gateway(tmp_path, upstream.url, policy="terms: [Quorvex]\n")
    try:
        text = "Quorvex and Nimbral"
        assert _sent(gw, upstream, text).endswith(" and Nimbral")
        (tmp_path / "policy.yaml").write_text("terms: [Quorvex, Nimbral]\n")
        assert _wait(lambda: "Nimbral" not in _sent(gw, upstream, text))
        assert "policy reloaded" in gw.log_path.read_text()
        # A broken edit: the running policy stays, and the log says why, loudly.
        (tmp_path / "policy.yaml").write_text("terms: [Quorvex, Nimbral\n")
        assert _wait(lambda: "reload FAILED" in gw.log_path.read_text())
        line = next(json.loads(x) for x in gw.log_path.read_text().splitlines()
                    if "reload FAILED" in x)
        assert line["level"] == "error" and "policy.yaml" in line["msg"]
        assert "not valid YAML" in line["error"]
        sent = _sent(gw, upstream, text)
        assert "Nimbral" not in sent and "Quorvex" not in sent
        # A schema error is reported with its line and key, too.
        (tmp_path / "policy.yaml").write_text("terms: [Quorvex]\nactions: {pii: shred}\n")
        assert _wait(lambda: "actions.pii" in gw.log_path.read_text())
        assert "Nimbral" not in _sent(gw, upstream, text)
    finally:
        gw.stop()
