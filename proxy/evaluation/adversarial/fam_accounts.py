"""Tuning families: accounts in operations output and hosts in infrastructure configuration.

User names where operators meet them: the user columns of ``ps aux``, ``top``, ``who`` and
``last``, the arguments of ``sudo -u``, ``su -``, ``chown``, ``crontab -u``, ``psql -U``,
``mysql -u``, ``docker exec --user``, ``useradd``, SQL ``GRANT ... TO``, audit logs, review
trailers, ticket fields, chat mentions and home directories in stack traces. Hosts: single
private labels in prose and configuration files (Ansible inventories, Prometheus targets, nginx
upstreams, JDBC/Redis/AMQP URLs), cluster-internal service names, cloud-internal names and
spelled-out e-mail addresses.
"""

from __future__ import annotations

from typing import Any

from proxy.evaluation.adversarial import values as v
from proxy.evaluation.adversarial.draft import Draft, fence, user

Out = tuple[str, str, list[dict[str, Any]]]


def _handles(d: Draft, n: int) -> list[str]:
    out: list[str] = []
    while len(out) < n:
        p = v.ascii_person(d.rng)
        h = v.username(d.rng, p[0], p[1])
        if h not in out and len(h) >= 4:
            out.append(d.pii(h, "USERNAME"))
    return out


def _ps_aux(d: Draft, u: list[str]) -> str:
    head = "USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n"
    rows = [("root", "1", "0.0", "0.1", "/sbin/init"),
            (u[0], str(d.rng.randint(2000, 9000)), "97.3", "12.4", "python train.py --epochs 40"),
            ("postgres", "812", "0.2", "3.1", "postgres: checkpointer"),
            (u[1], str(d.rng.randint(2000, 9000)), "0.0", "0.0", "-bash"),
            (u[2], str(d.rng.randint(2000, 9000)), "1.2", "0.4", "vim notes.md")]
    body = "".join(f"{a:<12}{b:>5} {c:>4} {e:>4} 812344 90212 pts/1    Rl   09:14  42:10 {f}\n"
                   for a, b, c, e, f in rows)
    return head + body


def handles_ops(d: Draft, i: int) -> Out:
    u = _handles(d, 3)
    style = i % 8
    if style == 0:
        d.pub("ps aux", "checkpointer")
        listing = fence("text", _ps_aux(d, u))
        return "shell", "debug", [user(f"$ ps aux --sort=-%cpu | head\n{listing}\n"
                                       "Who is hogging the GPU box and can I kill it?")]
    if style == 1:
        d.pub("still logged in", "pts/0")
        ip = d.pii(v.private_ip(d.rng), "IP_ADDRESS")
        who = (f"{u[0]}   pts/0        2025-03-03 09:12 ({ip})\n"
               f"{u[1]}   pts/2        2025-03-03 10:40 (tmux(4411).%0)\n")
        last = (f"{u[2]}   pts/1        {ip}     Mon Mar  3 08:01   still logged in\n"
                f"{u[0]}   pts/0        {ip}     Sun Mar  2 22:14 - 23:50  (01:36)\n"
                "reboot   system boot  6.1.0-18-amd64   Sun Mar  2 21:58   still running\n")
        return "shell", "debug", [user(f"$ who\n{fence('text', who)}\n$ last -n 3\n"
                                       f"{fence('text', last)}\nWho rebooted the box last night?")]
    if style == 2:
        d.pub("crontab -u", "docker exec")
        cmds = (f"sudo -u {u[0]} psql -d reports -c 'select 1'\n"
                f"su - {u[1]}\n"
                f"chown -R {u[0]}:staff /srv/reports\n"
                f"crontab -u {u[2]} -l\n"
                f"docker exec --user {u[1]} -it web bash\n")
        return "shell", "debug", [user(f"I ran these on the reports server:\n"
                                       f"{fence('bash', cmds)}\nWhy does the cron job still run "
                                       "as the old owner?")]
    if style == 3:
        d.pub("useradd", "usermod")
        cmds = (f"useradd -m -s /bin/bash {u[0]}\n"
                f"usermod -aG docker {u[0]}\n"
                f"passwd -l {u[1]}\n"
                f"psql -U {u[2]} -d analytics\n"
                f"mysql -u {u[1]} -p shop\n")
        return "shell", "config_review", [user(f"Onboarding script:\n{fence('bash', cmds)}\n"
                                               "Is locking the account enough for offboarding?")]
    if style == 4:
        d.pub("GRANT SELECT", "REVOKE")
        sql = (f"GRANT SELECT, INSERT ON orders TO {u[0]};\n"
               f"GRANT USAGE ON SCHEMA billing TO {u[1]};\n"
               f"REVOKE ALL ON invoices FROM {u[2]};\n"
               f"ALTER ROLE {u[0]} SET search_path = billing;\n")
        return "sql", "code_review", [user(f"{fence('sql', sql)}\n"
                                           "Does the role also need USAGE on the sequence?")]
    if style == 5:
        d.pub("Reviewed-by:", "Assignee:")
        msg = (f"Assignee: {u[0]}\nPriority: High\n\nThe export job fails since Friday. "
               f"@{u[1]} can you take a look? cc @{u[2]}\n\n"
               f"Fix: retry the upload\n\nReviewed-by: {u[1]}\nReported-by: {u[2]}\n")
        return "text", "code_review", [user(f"{fence('text', msg)}\nPlease draft a reply to the "
                                            "ticket summarizing the fix.")]
    if style == 6:
        d.pub("Traceback (most recent call last):", "site-packages")
        tb = ("Traceback (most recent call last):\n"
              f'  File "/home/{u[0]}/src/etl/run.py", line 12, in <module>\n'
              f'  File "/Users/{u[1]}/.pyenv/versions/3.11.6/lib/python3.11/site-packages/'
              'pandas/io/parsers.py", line 912, in read_csv\n'
              f'  File "C:\\Users\\{u[2]}\\AppData\\Local\\Temp\\job.py", line 3\n'
              f"FileNotFoundError: /data/users/{u[0]}/exports/2025-03.csv\n")
        return "python", "debug", [user(f"{fence('text', tb)}\nThe file is there, why is it not "
                                        f"found? It also fails from ~{u[1]}/bin/run.sh")]
    d.pub("top -", "load average")
    top = ("top - 10:22:01 up 12 days,  3:01,  2 users,  load average: 7.91, 6.02, 4.11\n"
           "    PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND\n"
           f"  48211 {u[0]:<9} 20   0   12.1g   9.8g  12044 R 398.0  62.3 812:10.44 java\n"
           f"   1022 {u[1]:<9} 20   0  812344  90212  31020 S   2.3   0.6   0:12.01 node\n"
           "    711 root      20   0  112344  10212   8020 S   0.3   0.1   1:02.33 sshd\n"
           f"   2210 {u[2]:<9} 20   0   22344   5212   3020 S   0.0   0.0   0:00.41 bash\n")
    return "shell", "debug", [user(f"{fence('text', top)}\nThe java process eats 62% memory. "
                                   "Heap settings?")]


def _host(d: Draft, kind: int) -> str:
    w = d.word()
    n = d.rng.randint(1, 40)
    shapes = [f"{w}{n:02d}", f"{w}-{d.pick(['db', 'app', 'web', 'build', 'cache'])}-{n}",
              f"{d.pick(['build', 'ci', 'gpu', 'edge'])}-{w}", w]
    return shapes[kind % len(shapes)]


def hosts_ops(d: Draft, i: int) -> Out:
    style = i % 8
    if style == 0:
        suffix = d.pick(v.PRIVATE_SUFFIXES)
        h1 = d.pii(f"{_host(d, 0)}.{suffix}", "HOSTNAME")
        tool = d.pick(["gitlab", "jenkins", "runner"])
        h2 = d.pii(f"{tool}-{d.word()}.{d.pick(v.PRIVATE_SUFFIXES)}", "HOSTNAME")
        h3 = d.pii(_host(d, 0), "HOSTNAME")
        d.pub("ssh", "runner")
        return "text", "debug", [user(f"I can ssh into {h1} fine, but the runner on {h2} times "
                                      f"out when it pulls from {h3}. Firewall?")]
    if style == 1:
        nodes = [d.pii(_host(d, k), "HOSTNAME") for k in range(3)]
        d.pub("INTERNAL-IP", "control-plane")
        ips = [d.pii(v.private_ip(d.rng), "IP_ADDRESS") for _ in nodes]
        table = ("NAME            STATUS     ROLES           AGE   VERSION   INTERNAL-IP     "
                 "EXTERNAL-IP   OS-IMAGE\n")
        for n, ip, role, st in zip(nodes, ips, ["control-plane", "<none>", "<none>"],
                                   ["Ready", "Ready", "NotReady"], strict=True):
            table += (f"{n:<15} {st:<11}{role:<16}41d   v1.29.2   {ip:<16}<none>        "
                      "Ubuntu 22.04\n")
        return "shell", "debug", [user(f"$ kubectl get nodes -o wide\n{fence('text', table)}\n"
                                       "Why is one node NotReady?")]
    if style == 2:
        hs = [d.pii(_host(d, k), "HOSTNAME") for k in range(3)]
        ips = [d.pii(v.private_ip(d.rng), "IP_ADDRESS") for _ in hs]
        d.pub("ansible_host", "[webservers]")
        inv = (f"[webservers]\n{hs[0]} ansible_host={ips[0]}\n{hs[1]} ansible_host={ips[1]}\n\n"
               f"[dbservers]\n{hs[2]} ansible_host={ips[2]} ansible_port=2222\n")
        return "ini", "config_review", [user(f"{fence('ini', inv)}\n"
                                             "ansible can't reach the db group. Why?")]
    if style == 3:
        hs = [d.pii(_host(d, k), "HOSTNAME") for k in range(3)]
        d.pub("static_configs", "targets")
        yml = ("scrape_configs:\n  - job_name: node\n    static_configs:\n"
               f"      - targets: ['{hs[0]}:9100', '{hs[1]}:9100']\n"
               f"  - job_name: postgres\n    static_configs:\n      - targets:\n"
               f"          - {hs[2]}:9187\n")
        return "yaml", "config_review", [user(f"{fence('yaml', yml)}\n"
                                              "The postgres target shows as down.")]
    if style == 4:
        hs = [d.pii(_host(d, k), "HOSTNAME") for k in range(3)]
        d.pub("proxy_pass", "upstream")
        conf = (f"upstream backend {{\n    server {hs[0]}:8080 weight=3;\n"
                f"    server {hs[1]}:8080;\n}}\n\nserver {{\n    location /admin/ {{\n"
                f"        proxy_pass http://{hs[2]}:9000;\n    }}\n}}\n")
        return "nginx", "config_review", [user(f"{fence('nginx', conf)}\n"
                                               "Admin requests return 502.")]
    if style == 5:
        hs = [d.pii(_host(d, k), "HOSTNAME") for k in range(3)]
        d.pub("jdbc:postgresql", "spring.datasource.url")
        props = (f"spring.datasource.url=jdbc:postgresql://{hs[0]}:5432/orders\n"
                 f"spring.redis.url=redis://{hs[1]}:6379/0\n"
                 f"spring.rabbitmq.addresses=amqp://{hs[2]}:5672/%2f\n")
        return "properties", "config_review", [user(f"{fence('properties', props)}\n"
                                                    "Startup hangs on the Redis connection.")]
    if style == 6:
        ns, svc = d.word(), d.word()
        h1 = d.pii(f"{svc}.{ns}.svc.cluster.local", "HOSTNAME")
        ip = "10." + ".".join(str(d.rng.randint(0, 254)) for _ in range(3))
        region = d.pick(v.AWS_REGIONS)
        h2 = d.pii(f"ip-{ip.replace('.', '-')}.{region}.compute.internal", "HOSTNAME")
        d.pii(ip, "IP_ADDRESS")
        d.pub("svc.cluster.local", "compute.internal")
        return "text", "debug", [user(f"Pods resolve {h1} but the node {h2} ({ip}) cannot. "
                                      "Is CoreDNS only for pods?")]
    name = v.ascii_person(d.rng)
    local = d.pii(v.username(d.rng, name[0], name[1]), "USERNAME")
    dom = d.word()
    mails = [f"{local} at {dom} dot com", f"{local} [at] {dom} [dot] io",
             f"{local}(at){dom}(dot)de"]
    m = d.pii(d.pick(mails), "EMAIL")
    d.pub("contact")
    return "text", "docs", [user(f"The README says: for access, contact {m}. "
                                 "Should we put that in SECURITY.md instead?")]


def handles_web(d: Draft, i: int) -> Out:
    """Accounts in URLs, prompts, Windows logins and sentences."""
    u = _handles(d, 3)
    style = i % 8
    cap = u[0][:1].upper() + u[0][1:]  # Windows and Git Bash logins are often capitalized
    if style in (0, 7):  # these write the capitalized form only
        d.sensitive = [s for s in d.sensitive if s["text"] != u[0]]
    if style == 0:
        d.pii(cap, "USERNAME")
        d.pub("MINGW64")
        log = (f"{cap}@DESKTOP-{d.rng.randint(1000, 9999)} MINGW64 ~/src/app (main)\n$ git push\n"
               f"remote: Permission to acme/app.git denied to {u[1]}.\n")
        return "shell", "debug", [user(f"{fence('console', log)}\nWhy is it denied? My GitHub "
                                       f"handle is {u[2]}.")]
    if style == 1:
        d.pub("git clone")
        return "shell", "debug", [user(
            f"git clone https://gitlab.{d.word()}.com/{u[0]}/etl-scripts.git works, but "
            f"git@git.{d.word()}.org:{u[1]}/dotfiles.git asks for a password. "
            f"Raw file: https://raw.githubusercontent.com/{u[2]}/tools/main/install.sh")]
    if style == 2:
        d.pub("runas")
        return "text", "debug", [user(
            f"runas /user:ACME\\{u[0]} cmd fails, and whoami prints:\n"
            f"{fence('text', 'acme' + chr(92) + u[1])}\nLogin as CONTOSO\\{u[2]} works.")]
    if style == 3:
        d.pub("Grafana")
        return "text", "docs", [user(
            f"Grafana link: https://grafana.{d.word()}.io/d/x?var-user={u[0]}&from=now-1h and "
            f"the Jira filter https://jira.{d.word()}.io/issues/?jql=assignee%3D{u[1]}; "
            f"profile https://{d.word()}.atlassian.net/wiki/people/{u[2]}")]
    if style == 4:
        d.pub("log in")
        return "text", "chat", [user(
            f"My username is {u[0]} and I can't log in. {u[1]} on Slack says it works for "
            f"them; log in with {u[2]} / the usual password works too.")]
    if style == 5:
        d.pub("Logged in as")
        out = f"$ whoami\n{u[0]}\n$ kubectl auth whoami\nLogged in as {u[1]}\n"
        return "shell", "debug", [user(f"{fence('console', out)}\nWhy does ~{u[2]} not expand "
                                       "in the container?")]
    if style == 6:
        d.pub("refs/heads")
        return "shell", "code_review", [user(
            f"git push origin HEAD:refs/heads/users/{u[0]}/fix-login\n"
            f"curl -u {u[1]}:$TOKEN https://api.{d.word()}.com/v1/me\n"
            f"s3://{d.word()}-backups/home/{u[2]}/db.dump")]
    d.pub("prompt")
    prompt = (f"[{cap}@{d.word()}]$ make\n{u[1]}:~$ ls\n"
              f"Macbook-Pro:src {u[2]}$ npm test\n")
    d.pii(cap, "USERNAME")
    return "shell", "debug", [user(f"Three prompts, three machines:\n{fence('console', prompt)}")]


def hosts_infra(d: Draft, i: int) -> Out:
    """Hosts in Windows shares, connection strings, errors, commands and private zones."""
    style = i % 8
    w = [d.word() for _ in range(3)]
    if style == 0:
        a = d.pii(f"fs-{w[0]}{d.rng.randint(1, 9)}", "HOSTNAME")
        b = d.pii(f"SQL{w[1].upper()}0{d.rng.randint(1, 9)}", "HOSTNAME")
        d.pub("Initial Catalog")
        return "text", "debug", [user(
            f"The share \\\\{a}\\finance is gone and the app cannot open "
            f"`Data Source={b}\\SQLEXPRESS;Initial Catalog=Sales;Integrated Security=True`.")]
    if style == 1:
        a = d.pii(f"pg-{w[0]}-0{d.rng.randint(1, 9)}", "HOSTNAME")
        b = d.pii(w[1], "HOSTNAME")
        d.pub("Connection refused")
        err = (f'psql: error: connection to server on host "{a}" failed: Connection refused\n'
               f"ssh: Could not resolve hostname {b}: Name or service not known\n")
        return "text", "debug", [user(fence("text", err))]
    if style == 2:
        a = d.pii(f"{w[0]}-agent-{d.rng.randint(1, 9)}", "HOSTNAME")
        b = d.pii(w[1], "HOSTNAME")
        c = d.pii(f"{w[2]}{d.rng.randint(10, 99)}", "HOSTNAME")
        d.pub("offline")
        return "text", "chat", [user(f"Jenkins agent {a} went offline again. The host {b} "
                                     f"reboots every night, so we moved the jobs to {c}.")]
    if style == 3:
        a = d.pii(f"web-{w[0]}-{d.rng.randint(1, 9)}", "HOSTNAME")
        b = d.pii(f"bastion-{w[1]}", "HOSTNAME")
        c = d.pii(f"worker-{w[2][:4]}{d.rng.randint(1, 9)}", "HOSTNAME")
        d.pub("ansible-playbook")
        cmds = (f"ansible-playbook -l {a} site.yml\nssh -J {b} admin@10.0.0.5\n"
                f"kubectl drain {c} --ignore-daemonsets\n")
        return "shell", "debug", [user(fence("bash", cmds))]
    if style == 4:
        a = d.pii(f"mongo-0.{w[0]}", "HOSTNAME")
        b = d.pii(f"mongo-1.{w[0]}", "HOSTNAME")
        c = d.pii(f"{w[1]}.service.consul", "HOSTNAME")
        d.pub("replicaSet")
        conf = f"MONGO_URL=mongodb://{a},{b}/?replicaSet=rs0\nVAULT_ADDR=https://{c}:8200\n"
        return "ini", "config_review", [user(fence("ini", conf))]
    if style == 5:
        suffix = d.pick(["internal", "local"])
        a = d.pii(f"{w[0]}.{suffix}", "HOSTNAME")
        b = d.pii(f"{w[1]}.lan", "HOSTNAME")
        d.pub("vault:")
        yml = f"vault:\n  address: https://{a}:8200\n  fallback: {b}\n"
        return "yaml", "config_review", [user(fence("yaml", yml) + "\nIs the fallback used?")]
    if style == 6:
        a = d.pii(f"{w[0]}-db", "HOSTNAME")
        ip = d.pii(v.private_ip(d.rng), "IP_ADDRESS")
        b = d.pii(f"{w[1]}.{d.pick(['internal', 'local'])}", "HOSTNAME")
        d.pub("/etc/hosts")
        return "text", "chat", [user(f"In /etc/hosts I added {ip} {a}, and our NAS is {b}; "
                                     "the build still resolves the old address.")]
    a = d.pii(f"{w[0]}{d.rng.randint(1, 9)}", "HOSTNAME")
    b = d.pii(f"kafka-{w[1]}-1", "HOSTNAME")
    d.pub("bootstrap.servers")
    props = f"bootstrap.servers={b}:9092\nServer={a};Database=Sales;Trusted_Connection=True;\n"
    return "properties", "config_review", [user(fence("properties", props))]
