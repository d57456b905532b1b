"""Tuning family: private identifiers in the tool output developers paste.

Invented words inside debugger sessions (pdb, IPython ``%debug``), JVM and .NET exceptions with
their ``Caused by`` chains, ``go test`` and Rust test output, JavaScript console errors with
bundler paths, type checker and linter reports, profiler and coverage tables, structured JSON
logs, notebook outputs that carry an ANSI-coloured traceback, and SQL plans.
"""

from __future__ import annotations

import json
from typing import Any

from proxy.evaluation.adversarial.draft import Draft, fence, user

Out = tuple[str, str, list[dict[str, Any]]]


def idents_logs(d: Draft, i: int) -> Out:
    w1, w2, w3 = d.word(), d.word(), d.word()
    return _STYLES[i % len(_STYLES)](d, w1, w2, w3)


def _pdb(d: Draft, w1: str, w2: str, w3: str) -> Out:
    mod = d.ident(f"{w1}_sync", "MODULE_NAME")
    fn = d.ident(f"merge_{w2}_rows", "FUNCTION_NAME")
    var = d.ident(f"{w3}_cursor", "VARIABLE_NAME")
    d.pub("(Pdb)", "-> ", "Uncaught exception. Entering post mortem debugging")
    out = (f"> /opt/svc/{mod}/merge.py(57){fn}()\n"
           f"-> {var} = rows[offset]\n"
           f"(Pdb) p offset, len(rows)\n(120, 120)\n"
           f"(Pdb) where\n  /opt/svc/{mod}/cli.py(12)<module>()\n"
           f"-> {fn}(batch)\n> /opt/svc/{mod}/merge.py(57){fn}()\n(Pdb) ")
    return "python", "debug", [user(f"Stuck in the debugger:\n\n{fence('text', out)}\n"
                                    "Why is offset past the end?")]


def _jvm_caused_by(d: Draft, w1: str, w2: str, w3: str) -> Out:
    cls = d.ident(f"{w1.capitalize()}Repository", "CLASS_NAME")
    svc = d.ident(f"{w2.capitalize()}Scheduler", "CLASS_NAME")
    method = d.ident(f"reserve{w3.capitalize()}", "FUNCTION_NAME")
    d.pub("org.springframework.dao.DataIntegrityViolationException", "Caused by:",
          "org.postgresql.util.PSQLException")
    trace = (f"org.springframework.dao.DataIntegrityViolationException: could not execute "
             f"statement\n\tat io.acme.slots.{svc}.{method}({svc}.kt:88)\n"
             f"\tat io.acme.slots.{svc}$run$1.invokeSuspend({svc}.kt:41)\n"
             f"Caused by: org.postgresql.util.PSQLException: ERROR: duplicate key value\n"
             f"\tat io.acme.slots.{cls}.save({cls}.kt:23)\n\t... 14 more\n")
    return "kotlin", "debug", [user(f"{fence('text', trace)}\nThe retry should make this "
                                    "idempotent. What is missing?")]


def _dotnet(d: Draft, w1: str, w2: str, w3: str) -> Out:
    ns = d.ident(f"{w1.capitalize()}Hub", "MODULE_NAME")
    cls = d.ident(f"{w2.capitalize()}Projector", "CLASS_NAME")
    method = d.ident(f"Apply{w3.capitalize()}Async", "FUNCTION_NAME")
    d.pub("System.NullReferenceException", "--- End of stack trace from previous location ---")
    trace = (f"Unhandled exception. System.NullReferenceException: Object reference not set to "
             f"an instance of an object.\n"
             f"   at {ns}.Events.{cls}.{method}(EventEnvelope env) in "
             f"/src/{ns}/Events/{cls}.cs:line 64\n"
             f"--- End of stack trace from previous location ---\n"
             f"   at {ns}.Program.<Main>$(String[] args) in /src/{ns}/Program.cs:line 19\n")
    return "csharp", "debug", [user(f"{fence('text', trace)}\nenv is never null there, "
                                    "what else could it be?")]


def _go_test(d: Draft, w1: str, w2: str, w3: str) -> Out:
    test = d.ident(f"Test{w1.capitalize()}Rebalance", "FUNCTION_NAME")
    pkg = d.ident(f"{w2}shard", "MODULE_NAME")
    typ = d.ident(f"{w3.capitalize()}Ring", "CLASS_NAME")
    d.pub("--- FAIL:", "=== RUN", "FAIL", "ok ")
    out = (f"=== RUN   {test}\n=== RUN   {test}/three_nodes\n"
           f"    ring_test.go:71: {typ}.Owner(\"k-17\") = node-2, want node-1\n"
           f"--- FAIL: {test} (0.00s)\n    --- FAIL: {test}/three_nodes (0.00s)\n"
           f"FAIL\nFAIL\t{pkg}/internal/ring\t0.012s\n")
    return "go", "debug", [user(f"{fence('text', out)}\nIs the hash ring wrong or the test?")]


def _rust_test(d: Draft, w1: str, w2: str, w3: str) -> Out:
    crate = d.ident(f"{w1}_codec", "MODULE_NAME")
    fn = d.ident(f"decodes_{w2}_frames", "FUNCTION_NAME")
    typ = d.ident(f"{w3.capitalize()}Frame", "CLASS_NAME")
    d.pub("running 1 test", "test result: FAILED", "RUST_BACKTRACE=1")
    out = (f"running 1 test\ntest tests::{fn} ... FAILED\n\nfailures:\n\n"
           f"---- tests::{fn} stdout ----\nthread 'tests::{fn}' panicked at "
           f"src/{crate}/frame.rs:112:9:\nassertion `left == right` failed\n"
           f"  left: {typ} {{ len: 4 }}\n right: {typ} {{ len: 5 }}\n"
           f"note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n\n"
           f"test result: FAILED. 0 passed; 1 failed; 0 ignored\n")
    return "rust", "debug", [user(f"{fence('text', out)}\nOff by one in the length prefix?")]


def _js_console(d: Draft, w1: str, w2: str, w3: str) -> Out:
    comp = d.ident(f"{w1.capitalize()}Timeline", "CLASS_NAME")
    hook = d.ident(f"use{w2.capitalize()}Feed", "FUNCTION_NAME")
    util = d.ident(f"{w3}Bucketize", "FUNCTION_NAME")
    d.pub("Uncaught TypeError", "webpack-internal:///", "node_modules")
    out = (f"Uncaught TypeError: Cannot read properties of undefined (reading 'length')\n"
           f"    at {util} (webpack-internal:///./src/lib/time.ts:14:22)\n"
           f"    at {hook} (webpack-internal:///./src/hooks/feed.ts:31:17)\n"
           f"    at {comp} (webpack-internal:///./src/components/{comp}.tsx:9:64)\n"
           f"    at renderWithHooks (webpack-internal:///./node_modules/react-dom/cjs/"
           f"react-dom.development.js:16305:18)\n")
    return "typescript", "debug", [user(f"In the browser console:\n\n{fence('text', out)}")]


def _type_checkers(d: Draft, w1: str, w2: str, w3: str) -> Out:
    cls = d.ident(f"{w1.capitalize()}Quote", "CLASS_NAME")
    fn = d.ident(f"price_{w2}", "FUNCTION_NAME")
    attr = d.ident(f"{w3}_margin", "VARIABLE_NAME")
    d.pub("error:", "Found 2 errors in 1 file", "[attr-defined]", "[arg-type]")
    out = (f'pricing/engine.py:41: error: "{cls}" has no attribute "{attr}"  [attr-defined]\n'
           f'pricing/engine.py:57: error: Argument 1 to "{fn}" has incompatible type '
           f'"str"; expected "{cls}"  [arg-type]\n'
           f"Found 2 errors in 1 file (checked 12 source files)\n")
    return "python", "debug", [user(f"mypy says\n\n{fence('text', out)}\nHow do I fix both?")]


def _profile(d: Draft, w1: str, w2: str, w3: str) -> Out:
    mod = d.ident(f"{w1}_index", "MODULE_NAME")
    hot = d.ident(f"score_{w2}", "FUNCTION_NAME")
    cold = d.ident(f"{w3}_tokens", "FUNCTION_NAME")
    d.pub("ncalls  tottime  percall  cumtime  percall filename:lineno(function)")
    out = ("   ncalls  tottime  percall  cumtime  percall filename:lineno(function)\n"
           f"   120000    4.210    0.000    6.930    0.000 {mod}/rank.py:88({hot})\n"
           f"   120000    2.011    0.000    2.011    0.000 {mod}/text.py:12({cold})\n"
           "        1    0.002    0.002    7.104    7.104 cli.py:5(main)\n")
    return "python", "debug", [user(f"cProfile of the ranking job:\n\n{fence('text', out)}\n"
                                    "Where would caching help most?")]


def _json_logs(d: Draft, w1: str, w2: str, w3: str) -> Out:
    logger = d.ident(f"{w1}.{w2}_worker", "MODULE_NAME")
    task = d.ident(f"refresh_{w3}_cache", "FUNCTION_NAME")
    d.pub('"level": "error"', '"logger":', "celery")
    lines = [
        {"ts": "2025-04-02T10:14:07Z", "level": "info", "logger": logger,
         "msg": f"task {task} received", "retries": 0},
        {"ts": "2025-04-02T10:14:09Z", "level": "error", "logger": logger,
         "msg": f"task {task} raised TimeoutError", "retries": 3},
    ]
    body = "\n".join(json.dumps(x) for x in lines)
    return "json", "debug", [user(f"From our log pipeline:\n\n{fence('json', body)}\n"
                                  "Why do the retries not back off?")]


def _notebook_outputs(d: Draft, w1: str, w2: str, w3: str) -> Out:
    mod = d.ident(f"{w1}_features", "MODULE_NAME")
    fn = d.ident(f"window_{w2}", "FUNCTION_NAME")
    var = d.ident(f"{w3}_frame", "VARIABLE_NAME")
    d.pub("ename", "evalue", "traceback", "output_type")
    tb = ["\x1b[0;31m---------------------------------------------------------------------------"
          "\x1b[0m", "\x1b[0;31mKeyError\x1b[0m                                  Traceback "
          "(most recent call last)",
          f"Cell \x1b[0;32mIn[4], line 2\x1b[0m\n\x1b[1;32m      1\x1b[0m {var} \x1b[38;5;241m="
          f"\x1b[39m load()\n\x1b[0;32m----> 2\x1b[0m {fn}({var}, days\x1b[38;5;241m=\x1b[39m7)",
          f"File \x1b[0;32m/home/jovyan/{mod}/rolling.py:19\x1b[0m, in \x1b[0;36m{fn}\x1b[0;34m"
          "(df, days)\x1b[0m", "\x1b[0;31mKeyError\x1b[0m: 'event_ts'"]
    nb = {"cells": [{"cell_type": "code", "execution_count": 4, "metadata": {},
                     "source": [f"{var} = load()\n", f"{fn}({var}, days=7)"],
                     "outputs": [{"output_type": "error", "ename": "KeyError",
                                  "evalue": "'event_ts'", "traceback": tb}]}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    return "json", "debug", [user(f"{fence('json', json.dumps(nb, indent=1))}\n"
                                  "The column exists in the CSV, so why the KeyError?")]


def _sql_plan(d: Draft, w1: str, w2: str, w3: str) -> Out:
    table = d.ident(f"{w1}_ledger", "TABLE_NAME")
    index = d.ident(f"ix_{w2}_posted", "INDEX_NAME")
    col = d.ident(f"{w3}_ref", "COLUMN_NAME")
    d.pub("Seq Scan on", "Index Scan using", "Planning Time:", "Execution Time:")
    plan = (f"Gather  (cost=1000.00..48213.11 rows=1 width=64)\n  Workers Planned: 2\n"
            f"  ->  Parallel Seq Scan on {table}  (cost=0.00..47213.01 rows=1 width=64)\n"
            f"        Filter: (({col})::text = 'X-88'::text)\n"
            f"Planning Time: 0.214 ms\nExecution Time: 812.330 ms\n")
    return "sql", "debug", [user(f"{fence('text', plan)}\nWhy is {index} not used here?")]


def _warnings_and_logging(d: Draft, w1: str, w2: str, w3: str) -> Out:
    mod = d.ident(f"{w1}_pipeline", "MODULE_NAME")
    fn = d.ident(f"flatten_{w2}", "FUNCTION_NAME")
    job = d.ident(f"{w3}_nightly", "FUNCTION_NAME")
    d.pub("FutureWarning", "ERROR", "WARNING")
    out = (f"/srv/etl/{mod}/steps.py:88: FutureWarning: The frame.append method is deprecated\n"
           f"  out = {fn}(frame).append(row)\n"
           f"2025-03-02 10:01:02,123 ERROR [{mod}.jobs:142] {job} failed after 3 attempts\n"
           f"2025-03-02 10:01:02,124 WARNING [{mod}.jobs:150] rescheduling {job}\n")
    return "python", "debug", [user(f"Our job log:\n\n{out}\nDo the warning and the failure "
                                    "have the same cause?")]


def _ipykernel_chained(d: Draft, w1: str, w2: str, w3: str) -> Out:
    mod = d.ident(f"{w1}_client", "MODULE_NAME")
    fn = d.ident(f"fetch_{w2}_page", "FUNCTION_NAME")
    cls = d.ident(f"{w3.capitalize()}Error", "CLASS_NAME")
    d.pub("During handling of the above exception, another exception occurred:",
          "ConnectionResetError")
    out = (f"ConnectionResetError                      Traceback (most recent call last)\n"
           f"File /tmp/ipykernel_4242/3170.py:3\n      1 from {mod} import {fn}\n"
           f"----> 3 page = {fn}(cursor)\n\n"
           f"ConnectionResetError: [Errno 104] Connection reset by peer\n\n"
           f"During handling of the above exception, another exception occurred:\n\n"
           f"{cls}                           Traceback (most recent call last)\n"
           f"{cls}: page fetch gave up\n")
    return "python", "debug", [user(f"From Jupyter:\n\n{out}\nHow do I keep the original "
                                    "error visible?")]


def _percent_script(d: Draft, w1: str, w2: str, w3: str) -> Out:
    mod = d.ident(f"{w1}_model", "MODULE_NAME")
    cls = d.ident(f"{w2.capitalize()}Forecaster", "CLASS_NAME")
    var = d.ident(f"{w3}_horizon", "VARIABLE_NAME")
    d.pub("# %%", "%timeit")
    code = (f"# %%\nfrom {mod}.core import {cls}\n{var} = 14\n\n"
            f"# %%\n%timeit {cls}(days={var}).fit(train)\n")
    return "python", "explain", [user(f"{fence('python', code)}\nWhy is fit so slow in the "
                                      "second cell?")]


def _notebook_stderr(d: Draft, w1: str, w2: str, w3: str) -> Out:
    mod = d.ident(f"{w1}_loader", "MODULE_NAME")
    fn = d.ident(f"read_{w2}_parquet", "FUNCTION_NAME")
    var = d.ident(f"{w3}_rows", "VARIABLE_NAME")
    d.pub("output_type", "stream", "stderr")
    nb = {"cells": [{"cell_type": "code", "execution_count": 7, "metadata": {},
                     "source": f"{var} = {fn}('s3://bucket/day=1')\nlen({var})",
                     "outputs": [{"output_type": "stream", "name": "stderr", "text": [
                         f"/home/jovyan/work/{mod}/io.py:40: UserWarning: schema mismatch\n",
                         "  warnings.warn(msg)\n"]}]}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    return "json", "debug", [user(f"{fence('json', json.dumps(nb))}\nWhich column mismatches?")]


def _databricks(d: Draft, w1: str, w2: str, w3: str) -> Out:
    mod = d.ident(f"{w1}_lakehouse", "MODULE_NAME")
    fn = d.ident(f"dedupe_{w2}_events", "FUNCTION_NAME")
    table = d.ident(f"{w3}_bronze", "TABLE_NAME")
    d.pub("# COMMAND ----------", "# MAGIC %sql", "spark.table")
    code = (f"# Databricks notebook source\nfrom {mod}.jobs import {fn}\n\n"
            f"# COMMAND ----------\n\ndf = spark.table(\"{table}\")\nout = {fn}(df)\n\n"
            f"# COMMAND ----------\n\n# MAGIC %sql\n# MAGIC SELECT count(*) FROM {table}\n")
    return "python", "debug", [user(f"{fence('python', code)}\nThe count doubles after the "
                                    "second run. Why?")]


def _rmarkdown(d: Draft, w1: str, w2: str, w3: str) -> Out:
    fn = d.ident(f"{w1}_summary", "FUNCTION_NAME")
    var = d.ident(f"{w2}_cohort", "VARIABLE_NAME")
    col = d.ident(f"{w3}_score", "COLUMN_NAME")
    d.pub("```{r}", "dplyr", "library(dplyr)")
    doc = (f"```{{r}}\nlibrary(dplyr)\n{var} <- read.csv(\"cohort.csv\")\n"
           f"{fn} <- function(df) df %>% group_by(site) %>% summarise(m = mean({col}))\n"
           f"{fn}({var})\n```\n")
    return "r", "debug", [user(f"In my R Markdown report\n\n{doc}\nthe means come out NA.")]


def _execute_result(d: Draft, w1: str, w2: str, w3: str) -> Out:
    cls = d.ident(f"{w1.capitalize()}Basket", "CLASS_NAME")
    fn = d.ident(f"load_{w2}", "FUNCTION_NAME")
    attr = d.ident(f"{w3}_total", "VARIABLE_NAME")
    d.pub("execute_result", "text/plain", "output_type")
    nb = {"cells": [{"cell_type": "code", "execution_count": 3, "metadata": {},
                     "source": [f"b = {fn}(42)\n", "b"],
                     "outputs": [{"output_type": "execute_result", "execution_count": 3,
                                  "metadata": {}, "data": {"text/plain": [
                                      f"{cls}(id=42, {attr}=Decimal('19.90'), items=3)"]}}]}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    return "json", "debug", [user(f"{fence('json', json.dumps(nb, indent=1))}\n"
                                  f"Why is the total not a float?")]


def _suppressed_trace(d: Draft, w1: str, w2: str, w3: str) -> Out:
    cls = d.ident(f"{w1.capitalize()}Exporter", "CLASS_NAME")
    pkg = d.ident(f"{w2}sync", "MODULE_NAME")
    method = d.ident(f"flush{w3.capitalize()}", "FUNCTION_NAME")
    d.pub("Suppressed:", "java.io.IOException", "Caused by:")
    trace = (f"java.io.IOException: stream closed\n\tat org.{pkg}.io.{cls}.{method}"
             f"({cls}.java:77)\n\tSuppressed: java.io.IOException: close failed\n"
             f"\t\tat org.{pkg}.io.{cls}.close({cls}.java:91)\n")
    return "java", "debug", [user(f"```\n{trace}```\nDo I lose the first error here?")]


def _goroutine_dump(d: Draft, w1: str, w2: str, w3: str) -> Out:
    pkg = d.ident(f"{w1}queue", "MODULE_NAME")
    typ = d.ident(f"{w2.capitalize()}Pool", "CLASS_NAME")
    fn = d.ident(f"drain{w3.capitalize()}", "FUNCTION_NAME")
    d.pub("goroutine 42 [chan receive, 5 minutes]:", "created by")
    dump = (f"goroutine 42 [chan receive, 5 minutes]:\n"
            f"example.org/{pkg}/internal/work.(*{typ}).{fn}(0xc000123000)\n"
            f"\t/src/internal/work/pool.go:88 +0x65\n"
            f"created by example.org/{pkg}/internal/work.New{typ} in goroutine 1\n"
            f"\t/src/internal/work/pool.go:40 +0x1a5\n")
    return "go", "debug", [user(f"A goroutine dump:\n\n{fence('text', dump)}\nIs this a leak?")]


_STYLES = (_pdb, _jvm_caused_by, _dotnet, _go_test, _rust_test, _js_console, _type_checkers,
           _profile, _json_logs, _notebook_outputs, _sql_plan, _warnings_and_logging,
           _ipykernel_chained, _percent_script, _notebook_stderr, _databricks, _rmarkdown,
           _execute_result, _suppressed_trace, _goroutine_dump)
