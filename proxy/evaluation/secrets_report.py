"""``codeveil secrets-report``: recall and needless masks on labelled secret examples, per rule.

The rows are gitleaks' own rule tests (``tp``: must be caught; ``fp``: must be left alone) and
detect-secrets' plugin tests (``expected`` true or false). A row counts as masked when the veil
(default policy) changes its text at all; the secret recognizer alone is shown beside it.
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from proxy.policy import default_policy_path, load_policy
from proxy.veil.engine import Veil
from recognizers.secrets import SecretRecognizer

SOURCES = {
    "gitleaks": ("gitleaks/rule_examples_upstream.jsonl.gz", "rule_id", "kind", "tp"),
    "detect-secrets": ("detect-secrets/plugin_test_cases.jsonl.gz", "plugin", "expected", True),
}


def load_rows(data_dir: Path, source: str) -> list[dict[str, Any]]:
    rel = SOURCES[source][0]
    with gzip.open(data_dir / rel, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def score(rows: list[dict[str, Any]], source: str, veil: Veil) -> dict[str, dict[str, int]]:
    """rule -> counts of positives/negatives and how many of each the veil and recognizer masked."""
    _, rule_key, label_key, positive = SOURCES[source]
    secrets = SecretRecognizer()
    stats: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        text = row["text"]
        if not text:
            continue
        (anon,), _ = veil.anonymize([text])
        kind = "pos" if row[label_key] == positive else "neg"
        st = stats[row[rule_key]]
        st[kind] += 1
        st[f"{kind}_veil"] += anon != text
        st[f"{kind}_rec"] += bool(secrets.analyze(text))
    return stats


def report(stats: dict[str, dict[str, int]], source: str) -> str:
    lines = [f"{source}: {'rule':<40}{'recall veil':>12}{'(secrets)':>10}"
             f"{'needless veil':>15}{'(secrets)':>10}"]
    total: dict[str, int] = defaultdict(int)
    for rule in sorted(stats):
        st = stats[rule]
        for k, v in st.items():
            total[k] += v
        lines.append(_row(rule, st))
    lines.append(_row("ALL", total))
    return "\n".join(lines)


def _row(rule: str, st: dict[str, int]) -> str:
    def frac(k: str, n: str) -> str:
        return f"{st.get(k, 0)}/{st.get(n, 0)}" if st.get(n) else "-"

    return (f"  {rule:<48}{frac('pos_veil', 'pos'):>12}{frac('pos_rec', 'pos'):>10}"
            f"{frac('neg_veil', 'neg'):>15}{frac('neg_rec', 'neg'):>10}")


def run_secrets_report(args: argparse.Namespace) -> int:
    data_dir = Path(args.data)
    veil = Veil(load_policy(default_policy_path()), b"secrets-report")
    for source in SOURCES:
        stats = score(load_rows(data_dir, source), source, veil)
        print(report(stats, source))
        print()
    return 0
