"""Tuning families: person names in chat prose and git output, private identifiers in traces,
diffs, notebooks and SQL.

People: lower-case first names in chat lines (planted only when they are not English words,
like the names of ``fam_people``), names after the words that sit next to people (said, asked,
maintainer, on-call, cc), git trailers, ``git log`` / ``git blame`` / ``shortlog`` output, data
tables and fixtures, in Latin (with diacritics) and in other scripts. Identifiers: invented
words inside Python tracebacks and pytest summaries, Java stack traces, Go panics, unified
diffs, IPython sessions, notebook JSON and SQL inside ORM strings and migrations.
"""

from __future__ import annotations

import json
from typing import Any

from proxy.evaluation.adversarial import values as v
from proxy.evaluation.adversarial.draft import Draft, fence, user

Out = tuple[str, str, list[dict[str, Any]]]


def _lower_first(d: Draft, n: int) -> list[str]:
    """Distinct lower-case first names of 5+ letters that are no English word."""
    out: list[str] = []
    while len(out) < n:
        first = v.ascii_person(d.rng)[0].lower()
        if len(first) >= 5 and first not in out and first.isalpha():
            out.append(first)
    return out


def _full(d: Draft, locales: list[str]) -> tuple[str, str, str]:
    return v.person(d.rng, d.pick(locales))


def names_prose_git(d: Draft, i: int) -> Out:
    style = i % 6
    if style == 4:
        return _names_local_prose(d)
    if style == 5:
        return _names_trailers_scripts(d)
    if style == 0:
        a, b, c = (d.pii(n, "PERSON") for n in _lower_first(d, 3))
        d.pub("LGTM", "feature flag")
        chat = (f"[10:02] {a}: the retry storm is back on checkout\n"
                f"[10:04] me: ask {b} about the feature flag, she wrote the limiter\n"
                f"[10:05] {a}: {b} is out today, cc {c}\n"
                f"[10:09] {c}: LGTM if the cap stays at 5, agreed with {a} on the jitter\n")
        return "text", "explain", [user(f"Summarize this thread for the incident doc:\n\n"
                                        f"{fence('text', chat)}")]
    if style == 1:
        p1, p2, p3 = (_full(d, v.LATIN) for _ in range(3))
        n1, n2, n3 = (d.pii(p[2], "PERSON") for p in (p1, p2, p3))
        sha = v.hex_token(d.rng, 7)
        d.pub("Reviewed-by:", "Co-authored-by:", "git shortlog -sn")
        log = (f"commit {v.hex_token(d.rng, 40)}\nAuthor: {n1} <dev{d.rng.randint(1, 99)}"
               f"@example.org>\nDate:   Tue Mar 4 10:12:09 2025 +0100\n\n"
               f"    Cap webhook retries at five\n\n    Reviewed-by: {n2}\n"
               f"    Co-authored-by: {n3}\n\n"
               f"$ git blame -L 40,41 retry.py\n"
               f"{sha} ({n2} 2025-03-04 10:12:09 +0100 40)     MAX_ATTEMPTS = 5\n"
               f"{sha} ({n2} 2025-03-04 10:12:09 +0100 41)     BASE_DELAY = 0.25\n\n"
               f"$ git shortlog -sn\n    42\t{n1}\n    17\t{n3}\n")
        return "text", "code_review", [user(f"{fence('text', log)}\n"
                                            "Who should I ask about the retry cap?")]
    if style == 2:
        ppl = [_full(d, v.NON_LATIN if k % 2 else v.LATIN) for k in range(4)]
        names = [d.pii(p[2], "PERSON") for p in ppl]
        d.pub("primary", "secondary", "INSERT INTO")
        table = "| week | primary | secondary |\n|---|---|---|\n" + "\n".join(
            f"| 2025-W{10 + k} | {names[k]} | {names[(k + 1) % 4]} |" for k in range(4))
        sql = ("INSERT INTO oncall (week, primary_name) VALUES\n" + ",\n".join(
            f"  ('2025-W{10 + k}', '{names[k]}')" for k in range(4)) + ";\n")
        return "sql", "debug", [user(f"Our on-call rota:\n\n{table}\n\nand the seed script:\n\n"
                                     f"{fence('sql', sql)}\nWhy does the dashboard show the "
                                     "secondary as NULL?")]
    p1, p2, p3 = (_full(d, v.NON_LATIN) for _ in range(3))
    n1, n2, n3 = (d.pii(p[2], "PERSON") for p in (p1, p2, p3))
    d.pub("pool_size", "max_overflow")
    text = (f"Maintainer: {n1}\n\nThe owner of the pool settings is {n2}; {n3} said the "
            f"pool_size of 5 was enough, but the reviewer asked for max_overflow.\n")
    return "text", "explain", [user(f"{text}\nWho is right about the pool?")]


def idents_trace_diff(d: Draft, i: int) -> Out:
    w1, w2, w3 = d.word(), d.word(), d.word()
    style = i % 8
    if style == 4:
        return _ipython_pytest(d, w1, w2, w3)
    if style == 5:
        return _notebook_error(d, w1, w2, w3)
    if style == 6:
        return _node_rust_traces(d, w1, w2, w3)
    if style == 7:
        return _csharp_ts_diff(d, w1, w2, w3)
    if style == 0:
        mod = d.ident(f"{w1}_billing", "MODULE_NAME")
        fn = d.ident(f"settle_{w2}_batch", "FUNCTION_NAME")
        test = d.ident(f"test_{w3}_rollover", "FUNCTION_NAME")
        d.pub("Traceback (most recent call last)", "ZeroDivisionError", "short test summary info")
        out = (f"Traceback (most recent call last):\n"
               f'  File "/srv/app/{mod}/ledger.py", line 88, in {fn}\n'
               f"    share = total / len(rows)\n"
               f"ZeroDivisionError: division by zero\n\n"
               f"=========================== short test summary info ============================\n"
               f"FAILED tests/test_ledger.py::{test} - ZeroDivisionError: division by zero\n"
               f"1 failed, 41 passed in 3.20s\n")
        return "python", "debug", [user(f"{fence('text', out)}\nHow do I guard this?")]
    if style == 1:
        cls = d.ident(f"{w1.capitalize()}InvoiceService", "CLASS_NAME")
        store = d.ident(f"{w2.capitalize()}Store", "CLASS_NAME")
        method = d.ident(f"flush{w3.capitalize()}", "FUNCTION_NAME")
        d.pub("java.lang.IllegalStateException", "goroutine 1 [running]:")
        trace = (f"java.lang.IllegalStateException: invoice already settled\n"
                 f"\tat com.example.billing.{cls}.settle({cls}.java:42)\n"
                 f"\tat com.example.billing.{cls}.lambda$run$0({cls}.java:17)\n"
                 f"\tat java.base/java.util.ArrayList.forEach(ArrayList.java:1596)\n")
        panic = (f"panic: runtime error: invalid memory address or nil pointer dereference\n\n"
                 f"goroutine 1 [running]:\nmain.(*{store}).{method}(0x0)\n"
                 f"\t/app/cmd/worker/store.go:57 +0x1d\nmain.main()\n"
                 f"\t/app/cmd/worker/main.go:23 +0x85\n")
        return "java", "debug", [user(f"The Java side fails with\n\n{fence('text', trace)}\n"
                                      f"and the Go worker with\n\n{fence('text', panic)}\n"
                                      "Are they related?")]
    if style == 2:
        fn = d.ident(f"reconcile_{w1}", "FUNCTION_NAME")
        cls = d.ident(f"{w2.capitalize()}Mapper", "CLASS_NAME")
        const = d.ident(f"{w3.upper()}_LIMIT", "CONSTANT_NAME")
        d.pub("diff --git", "@@ -10,7 +10,9 @@")
        diff = (f"diff --git a/src/sync/core.py b/src/sync/core.py\n"
                f"--- a/src/sync/core.py\n+++ b/src/sync/core.py\n"
                f"@@ -10,7 +10,9 @@ class {cls}:\n"
                f"-{const} = 100\n+{const} = 500\n \n"
                f"     def {fn}(self, rows):\n"
                f"-        return [self.map(r) for r in rows]\n"
                f"+        batch = rows[:{const}]\n"
                f"+        return [self.map(r) for r in batch]\n")
        return "diff", "code_review", [user(f"Review this change:\n\n{fence('diff', diff)}")]
    mod = d.ident(f"{w1}_etl", "MODULE_NAME")
    fn = d.ident(f"load_{w2}", "FUNCTION_NAME")
    table = d.ident(f"{w3}_quota", "TABLE_NAME")
    d.pub("cell_type", "execution_count", "session.execute")
    nb = {"cells": [
        {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [],
         "source": [f"from {mod} import {fn}\n", f"df = {fn}('2025-03')\n"]},
        {"cell_type": "code", "execution_count": 2, "metadata": {}, "outputs": [],
         "source": ["session.execute(text(\n",
                    f"    \"UPDATE {table} SET used = used + :n WHERE tenant_id = :t\"\n",
                    "), {'n': len(df), 't': 7})\n"]},
    ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    return "json", "debug", [user(f"This notebook double-counts usage:\n\n"
                                  f"{fence('json', json.dumps(nb, indent=1))}")]


def _ipython_pytest(d: Draft, w1: str, w2: str, w3: str) -> Out:
    mod = d.ident(f"{w1}_ops", "MODULE_NAME")
    cls = d.ident(f"{w2.capitalize()}Planner", "CLASS_NAME")
    test = d.ident(f"test_{w3}_window", "FUNCTION_NAME")
    d.pub("Cell In[12], line 1", "Traceback (most recent call last)", "AssertionError")
    session = (f"In [11]: from {mod}.plan import {cls}\n\n"
               f"In [12]: {cls}(days=3).solve()\n"
               "---------------------------------------------------------------------------\n"
               "AssertionError                            Traceback (most recent call last)\n"
               "Cell In[12], line 1\n"
               f"----> 1 {cls}(days=3).solve()\n\n"
               f"File /opt/svc/{mod}/plan.py:31, in {cls}.solve(self)\n"
               "     29 def solve(self):\n"
               "---> 31     assert self.days > 3\n\n"
               "AssertionError: \n\nOut[13]: 0\n")
    report = (f"_______________________________ {test} _______________________________\n\n"
              f"    def {test}():\n>       assert {cls}(days=3).solve() == 2\n"
              "E       AssertionError\n\n"
              f"tests/test_plan.py:14: AssertionError\n")
    return "python", "debug", [user(f"{fence('ipython', session)}\n\nand pytest says\n\n"
                                    f"{fence('text', report)}\nWhy does solve assert?")]


def _notebook_error(d: Draft, w1: str, w2: str, w3: str) -> Out:
    mod = d.ident(f"{w1}_feeds", "MODULE_NAME")
    fn = d.ident(f"parse_{w2}_rows", "FUNCTION_NAME")
    model = d.ident(f"{w3.capitalize()}Allocation", "CLASS_NAME")
    d.pub("output_type", "migrations.CreateModel", "models.FloatField()")
    tb = ["\u001b[0;31m----------------------------------------------------------------"
          "-----------\u001b[0m",
          "\u001b[0;31mValueError\u001b[0m                                Traceback "
          "(most recent call last)",
          f"File \u001b[0;32m/work/{mod}/reader.py:40\u001b[0m, in \u001b[0;36m{fn}"
          "\u001b[0;34m(path)\u001b[0m",
          "\u001b[0;31mValueError\u001b[0m: could not convert string to float: 'n/a'"]
    nb = {"cells": [{"cell_type": "code", "execution_count": 4, "metadata": {},
                     "source": [f"from {mod}.reader import {fn}\n", f"{fn}('march.csv')"],
                     "outputs": [{"output_type": "error", "ename": "ValueError",
                                  "evalue": "could not convert string to float: 'n/a'",
                                  "traceback": tb}]}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    migration = ("operations = [\n    migrations.CreateModel(\n"
                 f"        name='{model}',\n"
                 "        fields=[('id', models.AutoField(primary_key=True)),\n"
                 "                ('ratio', models.FloatField())],\n    ),\n]\n")
    return "python", "debug", [user(f"The notebook fails:\n\n{fence('json', json.dumps(nb))}\n\n"
                                    f"and the migration it feeds:\n\n{fence('python', migration)}"
                                    "\nShould the parser skip 'n/a'?")]


def _node_rust_traces(d: Draft, w1: str, w2: str, w3: str) -> Out:
    cls = d.ident(f"{w1.capitalize()}Dispatcher", "CLASS_NAME")
    crate = d.ident(f"{w2}_sync", "MODULE_NAME")
    fn = d.ident(f"drain_{w3}", "FUNCTION_NAME")
    d.pub("TypeError: Cannot read properties of undefined", "RUST_BACKTRACE=1")
    node = ("TypeError: Cannot read properties of undefined (reading 'id')\n"
            f"    at {cls}.dispatch (/app/src/events/dispatcher.js:88:21)\n"
            "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)\n")
    rust = (f"thread 'tokio-runtime-worker' panicked at src/worker.rs:57:14:\n"
            "called `Option::unwrap()` on a `None` value\nstack backtrace:\n"
            f"   0: {crate}::worker::{fn}\n             at ./src/worker.rs:57:14\n"
            "   1: tokio::runtime::task::harness::poll_future\n")
    return "javascript", "debug", [user(f"Node logs\n\n{fence('text', node)}\n\nand with "
                                        f"RUST_BACKTRACE=1 the sidecar prints\n\n"
                                        f"{fence('text', rust)}\nSame root cause?")]


def _csharp_ts_diff(d: Draft, w1: str, w2: str, w3: str) -> Out:
    cls = d.ident(f"{w1.capitalize()}Reconciler", "CLASS_NAME")
    method = d.ident(f"Apply{w2.capitalize()}", "FUNCTION_NAME")
    hook = d.ident(f"use{w3.capitalize()}Totals", "FUNCTION_NAME")
    d.pub("System.NullReferenceException", "useMemo")
    trace = ("System.NullReferenceException: Object reference not set to an instance of an "
             f"object.\n   at Billing.Core.{cls}.{method}(Invoice inv) in "
             f"/src/Billing.Core/{cls}.cs:line 42\n"
             "   at System.Threading.Tasks.Task.InnerInvoke()\n")
    diff = (f"--- a/web/src/totals.ts\n+++ b/web/src/totals.ts\n@@ -3,6 +3,7 @@\n"
            f" export function {hook}(rows: Row[]) {{\n"
            "-  return rows.reduce((a, r) => a + r.amount, 0);\n"
            "+  return useMemo(() => rows.reduce((a, r) => a + r.amount, 0), [rows]);\n"
            " }\n")
    return "csharp", "debug", [user(f"{fence('text', trace)}\n\nThe front-end change that "
                                    f"shipped with it:\n\n{fence('diff', diff)}\n"
                                    "Could the hook be the cause?")]


# a sentence per language around one full name; {n} is the name
_LOCAL = {
    "ja_JP": "このリトライ設定は{n}さんが書きました。{n}さんに確認してください。",
    "zh_CN": "这个重试逻辑是{n}写的，请联系{n}确认一下。",
    "ko_KR": "이 재시도 로직은 {n} 님이 작성했습니다. {n} 님에게 물어보세요.",
    "ru_RU": "Эту логику повторов написал {n}, по словам {n} лимит должен быть 5.",
    "es_ES": "Según {n}, el límite de reintentos debe ser 5; pregunta a {n} si dudas.",
    "fr_FR": "D'après {n}, la limite doit rester à 5 ; demande à {n} en cas de doute.",
    "pt_BR": "Segundo {n}, o limite deve ser 5; fale com {n} se tiver dúvida.",
    "de_DE": "Laut {n} soll das Limit bei 5 bleiben; frag {n}, wenn du unsicher bist.",
    "ar_AA": "حسب {n} يجب أن يبقى الحد 5، اسأل {n} إذا لم تكن متأكدا.",
    "hi_IN": "{n} के अनुसार सीमा 5 रहनी चाहिए, संदेह हो तो {n} से पूछें।",
}


def _names_local_prose(d: Draft) -> Out:
    locale = d.pick(sorted(_LOCAL))
    name = d.pii(v.person(d.rng, locale)[2], "PERSON")
    d.pub("MAX_RETRIES")
    code = "MAX_RETRIES = 5\n"
    return "python", "explain", [user(f"{_LOCAL[locale].format(n=name)}\n\n"
                                      f"{fence('python', code)}")]


def _names_trailers_scripts(d: Draft) -> Out:
    p1, p2, p3 = (_full(d, v.NON_LATIN) for _ in range(3))
    n1, n2, n3 = (d.pii(p[2], "PERSON") for p in (p1, p2, p3))
    d.pub("Signed-off-by:", "Acked-by:")
    msg = (f"Fix double counting in the usage meter\n\nReported-by: {n1}\n"
           f"Acked-by: {n2}\nSigned-off-by: {n3} <dev{d.rng.randint(1, 99)}@example.org>\n")
    return "text", "code_review", [user(f"Is this trailer block complete?\n\n"
                                        f"{fence('text', msg)}")]
