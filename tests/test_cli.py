"""The `codeveil` command's offline tools, run as a user would run them."""

from __future__ import annotations

import json
import subprocess

from proxy.testing.data import SECRETS
from tests.conftest import CODEVEIL

TEXT = """Ask Quorvex ops (ops.lead@example.org) why this fails:
```python
class CravixLedgerSync:
    API_KEY = "sk_live_51Hc7QmZr2LkD9xWvBn4TsYp0aEfGhJk8uVwXyZ3bC"
    def sync(self):
        return requests.get("https://api.example.org", timeout=5)
```
"""


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([CODEVEIL, *args], input=stdin, capture_output=True, text=True,
                          timeout=120)


def test_scan_marks_every_replacement_and_contacts_nothing(tmp_path):
    (tmp_path / "p.yaml").write_text("terms: [Quorvex]\n")
    out = run("scan", "-", "--policy", str(tmp_path / "p.yaml"), "--json", stdin=TEXT)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    sent = report["upstream_text"]
    for value in ("Quorvex", "ops.lead@example.org", "Cravix", "sk_live_51Hc7QmZr2Lk"):
        assert value not in sent
    assert "requests.get" in sent and "LedgerSync" in sent
    types = {r["type"]: r for r in report["replacements"]}
    assert {"TERM", "EMAIL", "CLASS_NAME", "STRIPE_SECRET_KEY"} <= set(types)
    stripe = types["STRIPE_SECRET_KEY"]
    assert stripe["recognizer"] == "secrets" and stripe["action"] == "pseudonymize"
    assert TEXT[stripe["start"]:stripe["end"]].startswith("sk_live_")
    human = run("scan", "-", "--policy", str(tmp_path / "p.yaml"), stdin=TEXT)
    assert "⟦" in human.stdout and "STRIPE_SECRET_KEY" in human.stdout


def test_scan_reports_a_blocked_request(tmp_path):
    (tmp_path / "p.yaml").write_text("actions: {STRIPE_SECRET_KEY: block}\n")
    out = run("scan", "-", "--policy", str(tmp_path / "p.yaml"), stdin=TEXT)
    assert "BLOCKED" in out.stdout and "STRIPE_SECRET_KEY" in out.stdout


def test_serve_refuses_a_bad_policy_naming_file_and_key(tmp_path):
    (tmp_path / "p.yaml").write_text("actions: {secret: shred}\n")
    (tmp_path / "c.yaml").write_text(
        "upstreams: [{base_url: 'http://127.0.0.1:9/v1'}]\npolicy: p.yaml\n")
    out = run("serve", "--config", str(tmp_path / "c.yaml"))
    assert out.returncode == 2
    assert "p.yaml" in out.stderr and "actions.secret" in out.stderr and "shred" in out.stderr


def test_secrets_report_lists_rules_with_recall_and_needless_masks():
    out = run("secrets-report", "--data", str(SECRETS))
    assert out.returncode == 0, out.stderr
    lines = {line.split()[0]: line.split()[1:] for line in out.stdout.splitlines()
             if line.startswith("  ")}
    assert lines["private-key"][0] == lines["private-key"][1] == "3/3"
    assert "ALL" in lines
