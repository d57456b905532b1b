"""IdentifierRecognizer: modes on hand-written snippets, and the corpus / HumanEval figures."""

from __future__ import annotations

import gzip
import json
import statistics
from functools import cache

import pytest

from proxy.testing.data import CORPUS, HUMANEVAL
from recognizers.base import IDENTIFIER
from recognizers.identifiers import IdentifierRecognizer


def found(text: str, mode: str = "proprietary", **kw: object) -> list[tuple[str, str]]:
    rec = IdentifierRecognizer(mode, **kw)  # type: ignore[arg-type]
    return [(text[f.start:f.end], f.type) for f in rec.analyze(text)]


def masked(text: str, mode: str = "proprietary", **kw: object) -> str:
    chars = list(text)
    for f in IdentifierRecognizer(mode, **kw).analyze(text):  # type: ignore[arg-type]
        chars[f.start:f.end] = "X" * (f.end - f.start)
    return "".join(chars)


PY = '''Our billing code:

```python
from decimal import Decimal, ROUND_HALF_EVEN
import requests

OBSIDRA_FEE_BPS = 35


class CravixDocumentMapper:
    def to_document(self, row):
        return {"id": row.id, "fee": _cravix_round(row.amount)}


def _cravix_round(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)


def calculate_total(lines):
    resp = requests.get("https://example.com/rates")
    resp.raise_for_status()
    return sum(l.amount for l in lines)
```

Why is `CravixDocumentMapper` slow? The obsidra team says cravix rounding is fine.
'''


def test_protocol_surface() -> None:
    rec = IdentifierRecognizer()
    assert rec.name == "identifiers" and rec.category == IDENTIFIER
    findings = rec.analyze(PY)
    assert findings and all(f.category == IDENTIFIER and f.recognizer == "identifiers"
                            for f in findings)
    with pytest.raises(ValueError):
        IdentifierRecognizer("everything")


def test_proprietary_words_every_occurrence_python() -> None:
    got = found(PY)
    words = {w.lower() for w, _ in got}
    assert words == {"cravix", "obsidra"}
    out = masked(PY)
    for item in ("CravixDocumentMapper", "_cravix_round", "OBSIDRA_FEE_BPS"):
        assert item not in out
    assert "cravix rounding" not in out and "obsidra team" not in out  # prose too
    types = dict(got)
    assert types["Cravix"] == "CLASS_NAME" and types["OBSIDRA"] == "CONSTANT_NAME"
    # ordinary-word identifiers and public APIs are left alone
    for public in ("DocumentMapper", "calculate_total", "to_document", "Decimal", "quantize",
                   "ROUND_HALF_EVEN", "requests.get", "raise_for_status", "FEE_BPS"):
        assert public in out, public


def test_modes_off_terms_all() -> None:
    assert found(PY, "off") == [] and found(PY, "terms") == []
    got = found(PY, "all")
    names = {n for n, _ in got}
    assert {"CravixDocumentMapper", "_cravix_round", "OBSIDRA_FEE_BPS", "calculate_total",
            "to_document"} <= names
    assert not names & {"Decimal", "quantize", "requests", "get", "ROUND_HALF_EVEN", "self",
                        "sum", "raise_for_status"}
    out = masked(PY, "all")
    assert "`CravixDocumentMapper`" not in out


def test_javascript_and_typescript() -> None:
    js = ("```js\nconst express = require('express');\n"
          "const kestruneOrdersRouter = express.Router();\n"
          "class PlinkettOrder { constructor(total) { this.total = total; } }\n"
          "module.exports = { kestruneOrdersRouter, PlinkettOrder };\n```\n")
    words = {w.lower() for w, _ in found(js)}
    assert words == {"kestrune", "plinkett"}
    ts = ("```tsx\nimport { useEffect, useState } from 'react';\n"
          "export type YarrowbyEvent = { id: string };\n"
          "export function useYarrowbyFeed(url: string) {\n"
          "  const [events, setEvents] = useState<YarrowbyEvent[]>([]);\n"
          "  useEffect(() => { setEvents([]); }, [url]);\n  return events;\n}\n```")
    got = found(ts)
    assert {w.lower() for w, _ in got} == {"yarrowby"}
    out = masked(ts)
    assert "useEffect" in out and "useState" in out and "YarrowbyEvent" not in out


def test_java_and_go() -> None:
    java = ("```java\npackage com.acme.notify;\n\nimport java.util.List;\n\n"
            "public class TreskelNotificationService {\n"
            "    public String render(List<String> to) { return VantolixTemplates.toJson(to); }\n"
            "}\n```")
    out = masked(java)
    assert "TreskelNotificationService" not in out
    assert "VantolixTemplates" not in out  # same package: referenced, not imported
    assert "List<String>" in out and "NotificationService" in out
    go = ("```go\npackage api\n\nimport (\n\t\"context\"\n\t\"fmt\"\n)\n\n"
          "type FerrowindQuotaHandler struct{}\n\n"
          "func loadCravixQuota(ctx context.Context) (int, error) {\n"
          "\treturn 0, fmt.Errorf(\"no quota\")\n}\n```")
    out = masked(go)
    assert "FerrowindQuotaHandler" not in out and "loadCravixQuota" not in out
    assert "context.Context" in out and "fmt.Errorf" in out and "QuotaHandler" in out


def test_internal_packages_and_terms() -> None:
    text = ("```python\nfrom ledgrix.fx import yumbrik_rates\nimport numpy as np\n"
            "print(yumbrik_rates(np.ones(3)))\n```")
    assert found(text) == [] or "yumbrik" not in masked(text)  # unknown package: public
    out = masked(text, internal_packages=["ledgrix"])
    assert "yumbrik_rates" not in out and "ledgrix" not in out
    assert "numpy" in out and "np.ones" in out
    ts = 'import { obeluneFx } from "@pandrell/ledgrix";\nconst rate = obeluneFx(1);\n'
    assert "obeluneFx" not in masked(ts, terms=["Pandrell"])


def test_traceback_and_log_mentions() -> None:
    tb = ("Traceback (most recent call last):\n"
          '  File "/home/dev/src/mirabex-sync/sync/main.py", line 71, in main\n'
          "    worker = MirabexSyncWorker(dsn=settings.DATABASE_URL)\n"
          '  File "/usr/lib/python3.11/site-packages/psycopg2/__init__.py", line 122, in connect\n'
          "    conn = _connect(dsn, connection_factory=connection_factory, **kwasync)\n"
          "psycopg2.OperationalError: connection refused\n")
    out = masked(tb)
    assert "MirabexSyncWorker" not in out
    assert "psycopg2.OperationalError" in out and "connection_factory" in out
    log = ("```\n2024-06-18 03:12:44.918 ERROR 1 --- [main] "
           "com.lumiqa.search.TreskelSearchIndexer : failed\n"
           "java.lang.NullPointerException: boom\n"
           "\tat com.lumiqa.search.VantolixMapper.toDoc(VantolixMapper.java:57)\n"
           "\tat java.base/java.lang.Thread.run(Thread.java:1583)\n```")
    out = masked(log)
    assert "TreskelSearchIndexer" not in out and "VantolixMapper" not in out
    assert "NullPointerException" in out and "Thread.run" in out


def test_ordinary_identifiers_never_reported() -> None:
    text = ("```python\nclass UserRepository:\n    def get_account(self, account_id):\n"
            "        return calculate_total(account_id)\n```\n"
            "The `UserRepository.get_account` call is slow.")
    assert found(text) == []


def test_analyze_many_shares_definitions() -> None:
    first = "```python\ndef reconcile_zorvath_batch(batch_id):\n    pass\n```"
    second = "It still says reconcile_zorvath_batch is pending."
    rec = IdentifierRecognizer()
    a, b = rec.analyze_request([first, second])
    assert a and b
    assert all(second[f.start:f.end].lower() == "zorvath" for f in b)


# -- corpus and HumanEval figures ----------------------------------------------------------------

@cache
def corpus() -> list[dict]:
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def upstream(record: dict) -> list[str]:
    out = []
    for m in record["messages"]:
        if isinstance(m.get("content"), str):
            out.append(m["content"])
        for tc in m.get("tool_calls") or []:
            out += [tc["function"]["name"], tc["function"]["arguments"]]
    return out


def corpus_figures(with_terms: bool) -> tuple[float, float]:
    """(share of identifier items hidden, share of public strings touched), per message."""
    hidden = total = touched = public = 0
    for r in corpus():
        rec = IdentifierRecognizer(terms=r["policy"]["terms"] if with_terms else ())
        texts = []
        for t in upstream(r):
            chars = list(t)
            for f in rec.analyze(t):
                chars[f.start:f.end] = "X" * (f.end - f.start)
            texts.append("".join(chars))
        for item in r["sensitive"]:
            if item["kind"] == "identifier":
                total += 1
                hidden += not any(item["text"] in t for t in texts)
        for p in r["public"]:
            public += 1
            touched += not any(p in t for t in texts)
    return hidden / total, touched / public


def test_corpus_identifiers_with_policy_terms() -> None:
    hidden, touched = corpus_figures(with_terms=True)
    assert hidden >= 0.98  # measured 202/202
    assert touched <= 0.005  # measured 0/1539


def test_corpus_identifiers_without_terms() -> None:
    hidden, touched = corpus_figures(with_terms=False)
    assert hidden >= 0.95  # measured 197/202 (the rest only the policy can tell)
    assert touched <= 0.005


@cache
def humaneval() -> list[str]:
    path = HUMANEVAL
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        tasks = [json.loads(line) for line in fh]
    return [t["prompt"] + t["canonical_solution"] + "\n\n" + t["test"] +
            f"\n\ncheck({t['entry_point']})\n" for t in tasks]


def test_humaneval_proprietary_findings_are_rare() -> None:
    rec = IdentifierRecognizer()
    counts = [len(rec.analyze(src)) for src in humaneval()]
    assert statistics.mean(counts) <= 0.6  # measured 0.35 (collatz, fibfib, cycpattern ...)
    assert sum(1 for c in counts if c) <= 15  # measured 8 of 164 tasks


def test_humaneval_all_mode_renaming_compiles() -> None:
    rec = IdentifierRecognizer("all")
    total = 0
    for i, src in enumerate(humaneval()):
        findings = sorted(rec.analyze(src), key=lambda f: f.start)
        names: dict[str, str] = {}
        parts, pos = [], 0
        for f in findings:
            value = src[f.start:f.end]
            names.setdefault(value, f"name_x{len(names) + 1}")
            parts += [src[pos:f.start], names[value]]
            pos = f.end
        parts.append(src[pos:])
        compile("".join(parts), f"HumanEval/{i}", "exec")
        total += len(findings)
    assert total / len(humaneval()) >= 5  # measured ~17 renamed names per task


def test_public_vocabulary_includes_grammar_keywords_and_stdlib_words() -> None:
    """Words of real public vocabularies (Dockerfile's WORKDIR, ENTRYPOINT; Python's AF_UNIX)
    are ordinary; coined names are not."""
    from recognizers.code.vocabulary import is_proprietary_word

    for word in ("workdir", "entrypoint", "unix", "tinyint", "noexcept"):
        assert not is_proprietary_word(word), word
    for word in ("quorvex", "zorvath", "kelvador"):
        assert is_proprietary_word(word), word
