"""Families: internal hosts, and private identifiers wherever code appears.

Hosts: cloud-internal names that embed addresses, short host names in columns and syslog, names
under private-use suffixes (planted under a policy with no internal domains: those suffixes are
internal under every policy), obfuscated e-mail addresses. Identifiers: names holding an
invented word, in SQL, REPL transcripts, notebooks, stack traces and diffs.
"""

from __future__ import annotations

import json
from typing import Any

from proxy.evaluation.adversarial import values as v
from proxy.evaluation.adversarial.draft import Draft, fence, user

Out = tuple[str, str, list[dict[str, Any]]]


def _ec2(d: Draft) -> tuple[str, str]:
    ip = "10." + ".".join(str(d.rng.randint(0, 254)) for _ in range(3))
    region = d.pick(v.AWS_REGIONS)
    dashed = "ip-" + ip.replace(".", "-")
    if region == "us-east-1":
        return f"{dashed}.ec2.internal", ip
    name = f"{dashed}.{region}.compute.internal"
    return name, ip


# -- tuning: cloud-internal names, kubectl columns, syslog ---------------------------------

def hosts_cloud(d: Draft, i: int) -> Out:
    style = i % 3
    if style == 0:
        nodes = [d.pii(_ec2(d)[0], "HOSTNAME") for _ in range(2)]
        short = d.pii(f"{d.word()}-node-{d.rng.randint(1, 9)}", "HOSTNAME")
        ips = [d.pii(f"10.42.{d.rng.randint(0, 9)}.{d.rng.randint(2, 250)}", "IP_ADDRESS")
               for _ in range(3)]
        d.pub("CrashLoopBackOff", "NOMINATED NODE", "kubectl get pods -o wide")
        rows = [("api-7d9f8c6b5-x2kqp", "1/1", "Running", "0"),
                ("worker-5c7b9d8f4-9wz7m", "0/1", "CrashLoopBackOff", "12"),
                ("cron-28471230-zq8lp", "0/1", "Completed", "0")]
        table = (f"{'NAME':<27}READY   {'STATUS':<19}RESTARTS   AGE   {'IP':<14}{'NODE':<52}"
                 "NOMINATED NODE\n")
        for (name, ready, status, restarts), ip, node in zip(
                rows, ips, [nodes[0], short, nodes[1]], strict=True):
            table += (f"{name:<27}{ready:<8}{status:<19}{restarts:<11}3d    {ip:<14}{node:<52}"
                      "<none>\n")
        return "shell", "debug", [user(f"$ kubectl get pods -o wide\n{fence('text', table)}\n"
                                       "Why does only the worker crash?")]
    if style == 1:
        host1 = d.pii(f"{d.word()}-db-0{d.rng.randint(1, 9)}", "HOSTNAME")
        host2 = d.pii(f"{d.word()}{d.rng.randint(1, 30)}", "HOSTNAME")
        src = d.pii(v.private_ip(d.rng), "IP_ADDRESS")
        d.pub("Accepted publickey", "Out of memory: Killed process")
        log = (f"Mar  3 10:22:01 {host1} sshd[21934]: Accepted publickey "
               f"for deploy from {src} port 52144 ssh2\n"
               f"Mar  3 10:22:17 {host1} kernel: [812345.1] Out of "
               f"memory: Killed process 4412 (postgres)\n"
               f"Mar  3 10:23:02 {host2} systemd[1]: Started Daily "
               f"apt upgrade and clean activities.\n")
        return "text", "debug", [user(f"syslog from this morning:\n\n{fence('text', log)}\n"
                                      "Is the OOM related to the ssh login?")]
    project = f"{d.word()}-prod-{d.rng.randint(100000, 999999)}"
    vm = d.pii(f"{d.word()}-vm-1.europe-west1-b.c.{project}.internal", "HOSTNAME")
    ec2, ip = _ec2(d)
    d.pii(ec2, "HOSTNAME")
    d.pii(ip, "IP_ADDRESS")
    d.pub("terraform output", "private_dns")
    out = (f'gce_instance = "{vm}"\nprivate_dns = "{ec2}"\nprivate_ip = "{ip}"\n')
    return "hcl", "debug", [user(f"$ terraform output\n{fence('text', out)}\n"
                                 "The GCE VM cannot resolve the EC2 name. "
                                 "What do we need for DNS between them?")]


# -- held back: private-use suffixes, obfuscated e-mail addresses ------------------------------

def hosts_private(d: Draft, i: int) -> Out:
    suffixes = v.PRIVATE_SUFFIXES
    style = i % 3
    if style == 2:
        ppl = [v.ascii_person(d.rng) for _ in range(2)]
        dom1, dom2 = d.word(), d.word()
        forms = [f"{v.username(d.rng, *ppl[0][:2])} at {dom1} dot com",
                 f"{v.username(d.rng, *ppl[1][:2])} [at] {dom2} [dot] io",
                 f"{ppl[0][0].lower()}(at){dom1}(dot)de"]
        for f in forms:
            d.pii(f, "EMAIL")
        d.pub("mailing list", "unsubscribe")
        return "text", "prose", [user(
            f"Write a polite reply to the mailing list saying we will fix the unsubscribe link. "
            f"Contacts: {forms[0]} (maintainer), {forms[1]} (release manager), "
            f"or {forms[2]} for the German mirror.")]
    hosts = [f"build-{d.rng.randint(1, 40):02d}.{suffixes[(i + 0) % 7]}",
             f"{d.pick(['gitlab', 'nas', 'jenkins', 'vault', 'grafana'])}.{suffixes[(i + 2) % 7]}",
             f"api.{d.word()}.{suffixes[(i + 4) % 7]}",
             f"{d.word()}-{d.rng.randint(1, 9)}.{suffixes[(i + 5) % 7]}"]
    for h in hosts:
        d.pii(h, "HOSTNAME")
    ip = d.pii(v.private_ip(d.rng), "IP_ADDRESS")
    if style == 0:
        d.pub("ProxyJump", "IdentityFile", "StrictHostKeyChecking")
        text = (f"Host build\n    HostName {hosts[0]}\n    User deploy\n    ProxyJump {hosts[1]}\n"
                f"    IdentityFile ~/.ssh/id_ed25519\n\nHost api\n    HostName {hosts[2]}\n"
                f"    StrictHostKeyChecking no\n\nHost legacy\n    HostName {ip}\n")
        return "text", "config_review", [user(
            f"{fence('ssh-config', text)}\n"
            f"`ssh build` hangs, but `ssh deploy@{hosts[0]}` works. Also "
            f"can {hosts[3]} use the same jump host?")]
    d.pub("proxy_pass", "upstream backend")
    text = (f"upstream backend {{\n    server {hosts[2]}:8080;\n"
            f"    server {hosts[3]}:8080 backup;\n}}\n"
            f"server {{\n    listen 443 ssl;\n    server_name {hosts[1]};\n"
            f"    location / {{ proxy_pass http://backend; }}\n}}\n")
    return "nginx", "config_review", [user(
        f"/etc/hosts has `{ip} {hosts[0]}`. nginx:\n\n{fence('nginx', text)}\nWhy 502?")]


# -- tuning: SQL, ORM strings, migrations, REPL transcripts ---------------------------------------

def idents_sql_repl(d: Draft, i: int) -> Out:
    w1, w2, w3 = d.word(), d.word(), d.word()
    style = i % 3
    if style == 0:
        t1 = d.ident(f"{w1}_ledger", "TABLE_NAME")
        c1 = d.ident(f"{w2}_score", "COLUMN_NAME")
        t2 = d.ident(f"{w3}_accounts", "TABLE_NAME")
        d.pub("PRIMARY KEY", "timestamptz", "LEFT JOIN", "GROUP BY")
        sql = (f"CREATE TABLE {t1} (\n  id bigserial PRIMARY KEY,\n  account_id bigint NOT NULL,\n"
               f"  {c1} numeric(10,2),\n  created_at timestamptz DEFAULT now()\n);\n\n"
               f"SELECT a.id, avg(l.{c1})\nFROM {t2} a\nLEFT JOIN {t1} l ON l.account_id = a.id\n"
               "GROUP BY a.id;\n")
        return "sql", "optimize", [user(f"This query got slow after we hit 40M rows:\n\n"
                                        f"{fence('sql', sql)}")]
    if style == 1:
        t1 = d.ident(f"{w1}_events", "TABLE_NAME")
        c1 = d.ident(f"{w2}_flag", "COLUMN_NAME")
        fn = d.ident(f"load_{w3}_batch", "FUNCTION_NAME")
        d.pub("op.add_column", "sa.Column", "cursor.execute", "sa.Boolean()")
        code = (f"def upgrade():\n"
                f"    op.add_column('{t1}', sa.Column('{c1}', sa.Boolean(), nullable=True))\n\n\n"
                f"def {fn}(cursor, since):\n    cursor.execute(\n"
                f"        \"SELECT id, payload FROM {t1} WHERE {c1} "
                f"AND created_at > %s\", (since,)\n"
                f"    )\n"
                "    return cursor.fetchall()\n")
        return "python", "debug", [user(f"After this migration the loader returns nothing:\n\n"
                                        f"{fence('python', code)}")]
    mod = d.ident(f"{w1}_core", "MODULE_NAME")
    cls = d.ident(f"{w2.capitalize()}Client", "CLASS_NAME")
    fn = d.ident(f"fetch_{w3}_frame", "FUNCTION_NAME")
    d.pub("Traceback (most recent call last)", "KeyError", "In [3]:")
    repl = (f">>> from {mod} import {cls}\n>>> c = {cls}(timeout=5)\n>>> c.{fn}('2024-01')\n"
            "Traceback (most recent call last):\n  File \"<stdin>\", line 1, in <module>\n"
            "KeyError: 'region'\n\nIn [3]: df = c." + fn + "('2024-02')\nIn [4]: df.shape\n"
                                                           "Out[4]: (0, 7)\n")
    return "python", "debug", [user(f"{fence('pycon', repl)}\n"
                                    f"Why the KeyError, and why is February empty?")]


# -- held back: notebooks, stack traces, diffs --------------------------------------------------

def idents_notebook_trace(d: Draft, i: int) -> Out:
    w1, w2, w3 = d.word(), d.word(), d.word()
    style = i % 3
    if style == 0:
        fn = d.ident(f"compute_{w1}_drift", "FUNCTION_NAME")
        cls = d.ident(f"{w2.capitalize()}Scaler", "CLASS_NAME")
        var = d.ident(f"{w3}_window", "VARIABLE_NAME")
        d.pub("execution_count", "cell_type", "np.mean")
        nb = {"cells": [
            {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [],
             "source": ["import numpy as np\n", f"{var} = 30\n"]},
            {"cell_type": "code", "execution_count": 2, "metadata": {}, "outputs": [],
             "source": [f"class {cls}:\n", "    def fit(self, x):\n", "        self.mu = "
                                                                      "np.mean(x)\n",
                        "        return self\n", "\n", f"def {fn}(series):\n",
                        f"    return series.rolling({var}).mean().diff()\n"]}],
            "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        return "json", "refactor", [user(f"Turn this notebook into a module:\n\n"
                                         f"{fence('json', json.dumps(nb, indent=1))}")]
    if style == 1:
        pkg = d.ident(w1, "MODULE_NAME")
        fn = d.ident(f"run_{w2}_batch", "FUNCTION_NAME")
        cls = d.ident(f"{w3.capitalize()}Router", "CLASS_NAME")
        d.pub("Traceback (most recent call last)", "java.lang.NullPointerException", "TimeoutError")
        trace = (f"Traceback (most recent call last):\n"
                 f"  File \"/srv/app/{pkg}/pipeline.py\", line 88, in {fn}\n"
                 "    result = future.result(timeout=30)\nTimeoutError\n\n"
                 f"java.lang.NullPointerException\n"
                 f"\tat com.example.{pkg}.{cls}.dispatch({cls}.java:41)\n"
                 "\tat java.base/java.lang.Thread.run(Thread.java:1583)\n")
        return "text", "debug", [user(f"Both services fail at the same time:\n\n"
                                      f"{fence('text', trace)}")]
    typ = d.ident(f"{w1.capitalize()}Store", "TYPE_NAME")
    fn = d.ident(f"Flush{w2.capitalize()}", "FUNCTION_NAME")
    file_mod = d.ident(f"{w3}_sync", "MODULE_NAME")
    d.pub("sync.Mutex", "defer s.mu.Unlock()", "@@")
    diff = (f"--- a/internal/{file_mod}.go\n+++ b/internal/{file_mod}.go\n@@ -40,6 +40,12 @@\n"
            f" type {typ} struct {{\n \tmu sync.Mutex\n }}\n+\n+func (s *{typ}) {fn}() error {{\n"
            "+\ts.mu.Lock()\n+\tdefer s.mu.Unlock()\n+\treturn nil\n+}\n")
    return "diff", "code_review", [user(f"Review this diff:\n\n{fence('diff', diff)}")]
