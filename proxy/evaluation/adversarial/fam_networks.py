"""Tuning families: private hosts across a network's files and tools, phones in chat.

Hosts (``hosts_lan``): names under private-use suffixes and bare machine names as /etc/hosts,
ssh config, Ansible (INI and YAML), HAProxy, nginx, Prometheus, syslog and journald,
``kubectl get nodes -o wide``, ``docker run``, ping, traceroute, dig and nslookup print them;
connection URLs, Windows shares, NetBIOS names, Kerberos realms and LDAP DNs; e-mail addresses
spelled out; sentences in several languages (CJK without spaces). Around them, names that must
stay: localhost, example.com, public registries and SaaS hosts, ``kubernetes.default.svc``,
package names with a dot, versions and file names.

Phones (``phones_chat``): numbers as people type them in chat, national forms with their local
separators and extensions, in several languages.
"""

from __future__ import annotations

from typing import Any

from proxy.evaluation.adversarial import values as v
from proxy.evaluation.adversarial.draft import Draft, fence, user

Out = tuple[str, str, list[dict[str, Any]]]

# RFC 6762 appendix G's de-facto private suffixes, RFC 8375's home.arpa, ICANN's .internal
_SUFFIXES = ["internal", "corp", "local", "lan", "intranet", "home.arpa", "localdomain",
             "private"]


def _n(d: Draft, lo: int = 1, hi: int = 40) -> int:
    return d.rng.randint(lo, hi)


def _machine(d: Draft, kind: int) -> str:
    """A machine's own name, in the shapes operators give them."""
    w = d.word()
    n = _n(d)
    shapes = [f"{w}{n:02d}", f"{d.pick(['db', 'app', 'web', 'build', 'ci', 'nas', 'mq'])}-{w}-{n}",
              f"{w}-{d.pick(['node', 'worker', 'runner', 'cache', 'gpu'])}-{n}{d.pick('abc')}",
              f"{d.pick(['srv', 'vm', 'lx', 'pc'])}{w[:5]}{n:03d}", w]
    return shapes[kind % len(shapes)]


_ROLES = ["db", "web", "app", "build", "ci", "nas", "worker", "runner", "srv", "gpu", "cache",
          "mq", "kafka", "redis", "pg", "mongo", "dc", "fs", "lb", "proxy", "edge", "git", "ldap",
          "backup", "mon", "etl", "jenkins", "vault", "k8s-node", "sql", "print"]
_ZONES = ["corp", "int", "internal", "intra", "lan", "priv", "ad", "office", "mgmt", "dmz"]


def _generic(d: Draft) -> str:
    """A name made of role words and a number, as most fleets are named: web-04, db03."""
    role = d.pick(_ROLES)
    n = _n(d, 1, 60)
    shapes = [f"{role}{n:02d}", f"{role}-{n:02d}", f"{role}-{d.pick(_ROLES)}-{n}",
              f"{role}-{n}{d.pick('abc')}", f"{role}-{d.pick(['prod', 'stg', 'dev'])}-{n:02d}"]
    return d.pick(shapes)


def _company_host(d: Draft) -> str:
    """A host in a company's internal zone of its public domain: gitlab.corp.<company>.com."""
    first = d.pick([_generic(d), d.pick(["gitlab", "jira", "wiki", "vpn", "sso", "grafana"])])
    return f"{first}.{d.pick(_ZONES)}.{d.word()}.{d.pick(['com', 'net', 'io', 'de', 'co.uk'])}"


def _ip(d: Draft) -> str:
    return d.pii(v.private_ip(d.rng), "IP_ADDRESS")


def hosts_lan(d: Draft, i: int) -> Out:
    style = i % 8
    if style == 0:
        ws = d.pii(_machine(d, 0), "HOSTNAME")
        db = d.pii(f"db{_n(d):02d}", "HOSTNAME")
        sfx = d.pick(_SUFFIXES)
        dbf = d.pii(f"{db}.{sfx}", "HOSTNAME")
        nas = d.pii(f"{d.word()}.home.arpa", "HOSTNAME")
        alias = d.pii(_machine(d, 4), "HOSTNAME")
        build = d.pii(f"build-{_n(d):02d}.{d.pick(_SUFFIXES)}", "HOSTNAME")
        jump = d.pii(_machine(d, 1), "HOSTNAME")
        ips = [_ip(d) for _ in range(3)]
        d.pub("localhost", "github.com", "IdentityFile", "ip6-localhost")
        hosts = (f"127.0.0.1\tlocalhost\n127.0.1.1\t{ws}.localdomain {ws}\n"
                 f"::1\tlocalhost ip6-localhost ip6-loopback\n"
                 f"{ips[0]}\t{dbf} {db}\n{ips[1]}\t{nas}\n")
        cfg = (f"Host {alias}\n    HostName {build}\n    User deploy\n    ProxyJump {jump}\n"
               f"    Port 2222\n\nHost github.com\n    HostName github.com\n"
               f"    IdentityFile ~/.ssh/id_ed25519\n\nHost {jump}\n    HostName {ips[2]}\n")
        mnt = d.pii(_generic(d), "HOSTNAME")
        cmds = f"ssh-keygen -R {jump}\nsshfs deploy@{mnt}:/srv/data /mnt/data\n"
        return "text", "debug", [user(f"/etc/hosts:\n{fence('text', hosts)}\n~/.ssh/config:\n"
                                      f"{fence('ssh-config', cfg)}\n{fence('bash', cmds)}\n"
                                      f"`ssh {alias}` hangs after the ProxyJump, the sshfs mount "
                                      "too. Which file is wrong?")]
    if style == 1:
        sfx = d.pick(_SUFFIXES)
        zone = d.word()
        webs = [d.pii(f"web-{_n(d):02d}.{zone}.{sfx}", "HOSTNAME") for _ in range(2)]
        db = d.pii(_machine(d, 2), "HOSTNAME")
        ip = _ip(d)
        be = [d.pii(_machine(d, k), "HOSTNAME") for k in (0, 1)]
        app = d.pii(f"{d.word()}.{d.pick(_SUFFIXES)}", "HOSTNAME")
        d.pub("ansible_host", "roundrobin", "httpchk")
        inv = (f"all:\n  children:\n    web:\n      hosts:\n        {webs[0]}:\n"
               f"        {webs[1]}:\n    db:\n      hosts:\n        {db}:\n"
               f"          ansible_host: {ip}\n          ansible_user: ubuntu\n")
        ha = (f"backend app\n    balance roundrobin\n    option httpchk GET /healthz\n"
              f"    server {be[0]} {app}:8080 check\n    server {be[1]} {ip}:8080 check backup\n")
        return "yaml", "config_review", [user(f"{fence('yaml', inv)}\n{fence('haproxy', ha)}\n"
                                              "HAProxy marks the backup server down although "
                                              "ansible reaches it. Any idea?")]
    if style == 2:
        h1 = d.pii(_machine(d, 1), "HOSTNAME")
        h2 = d.pii(_machine(d, 0), "HOSTNAME")
        h3 = d.pii(_machine(d, 4), "HOSTNAME")
        src = _ip(d)
        d.pub("sshd", "Failed password", "postgres:16", "redis:7-alpine", "--add-host")
        log = (f"Mar  3 10:01:02 {h1} sshd[{_n(d, 100, 9999)}]: Failed password for invalid user "
               f"admin from {src} port 51344 ssh2\n"
               f"Mar  3 10:01:09 {h1} kernel: [ 4411.120] eth0: link down\n"
               f"2025-03-03T10:02:11.482913+01:00 {h2} dockerd[{_n(d, 100, 9999)}]: "
               f"level=warning msg=\"restart loop\"\n"
               f"Mar 03 10:03:44 {h3} systemd[1]: postgresql.service: Failed with result "
               "'exit-code'.\n")
        h4 = d.pii(_machine(d, d.rng.randint(0, 4)), "HOSTNAME")
        h5 = d.pii(_generic(d), "HOSTNAME")
        run = (f"docker run -d --name db -h {h3} --add-host {h2}:{src} postgres:16\n"
               f"docker run -d --hostname {h2} redis:7-alpine\n"
               f"$ hostname\n{h4}\n$ uname -a\nLinux {h4} 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC "
               f"Debian 6.1.76-1 x86_64 GNU/Linux\n$ ls /net/{h5}/export/pg\n")
        return "text", "debug", [user(f"$ journalctl --since today\n{fence('text', log)}\n"
                                      f"{fence('bash', run)}\nWhy does postgres fail right "
                                      "after the link goes down?")]
    if style == 3:
        sfx = d.pick(_SUFFIXES)
        h = d.pii(_machine(d, 1), "HOSTNAME")
        hf = d.pii(f"{h}.{sfx}", "HOSTNAME")
        gw = d.pii(f"{d.word()}-gw.{d.pick(_SUFFIXES)}", "HOSTNAME")
        core = d.pii(_machine(d, 3), "HOSTNAME")
        svc = d.pii(f"{d.word()}.{d.word()}.{d.pick(_SUFFIXES)}", "HOSTNAME")
        other = d.pii(_machine(d, 0), "HOSTNAME")
        otherf = d.pii(f"{other}.{d.pick(_SUFFIXES)}", "HOSTNAME")
        ips = [_ip(d) for _ in range(4)]
        d.pub("icmp_seq", "one.one.one.one", "Non-authoritative answer:")
        box = d.pii(_machine(d, d.rng.randint(0, 4)), "HOSTNAME")
        prompt = d.pick([f"(venv) ops@{box}:~$ ", f"(base) ops@{box} ~ % ",
                         f"┌──(ops㉿{box})-[~]\n└─$ "])
        out = (f"{prompt}ping -c1 {h}\nPING {hf} ({ips[0]}) 56(84) bytes of data.\n"
               f"64 bytes from {hf} ({ips[0]}): icmp_seq=1 ttl=63 time=0.412 ms\n"
               f"$ traceroute -n1 {hf}\n 1  {gw} ({ips[1]})  0.51 ms\n"
               f" 2  {core} ({ips[2]})  1.20 ms\n 3  one.one.one.one (1.1.1.1)  9.8 ms\n"
               f"$ dig +noall +answer {svc}\n{svc}.\t300\tIN\tA\t{ips[3]}\n"
               f"$ nslookup {other}\nServer:\t\t127.0.0.53\nAddress:\t127.0.0.53#53\n\n"
               f"Non-authoritative answer:\nName:\t{otherf}\nAddress: {ips[3]}\n")
        return "shell", "debug", [user(f"{fence('console', out)}\nWhy does traceroute leave "
                                       "the LAN when the target is local?")]
    if style == 4:
        db = d.pii(f"{d.word()}-pg-{_n(d)}.{d.pick(_SUFFIXES)}", "HOSTNAME")
        cache = d.pii(_machine(d, 2), "HOSTNAME")
        mq = d.pii(f"mq.{d.word()}.{d.pick(_SUFFIXES)}", "HOSTNAME")
        m1, m2 = (d.pii(_machine(d, k), "HOSTNAME") for k in (0, 1))
        octets = [str(_n(d, 0, 254)) for _ in range(3)]
        pod = d.pii(f"10-{'-'.join(octets)}", "HOSTNAME")
        ns = d.word()
        d.pub("registry.npmjs.org", "pypi.org", "kubernetes.default.svc", "s3.amazonaws.com",
              "replicaSet")
        env = (f"DATABASE_URL=jdbc:postgresql://{db}:5432/orders?sslmode=require\n"
               f"REDIS_URL=redis://{cache}:6379/0\nAMQP_URL=amqps://svc@{mq}:5671/%2f\n"
               f"MONGO_URL=mongodb://{m1}:27017,{m2}:27017/app?replicaSet=rs0\n"
               f"SEARCH_URL=http://{pod}.{ns}.pod.cluster.local:9200\n"
               f"NPM_CONFIG_REGISTRY=https://registry.npmjs.org/\n"
               f"PIP_INDEX_URL=https://pypi.org/simple\n"
               f"KUBE_API=https://kubernetes.default.svc\n"
               f"BACKUP_BUCKET=https://s3.amazonaws.com/backups\n")
        plain = [d.pii(f"{d.word()}.{d.pick(_SUFFIXES)}", "HOSTNAME") for _ in range(3)]
        netrc = f"machine {plain[0]}\n  login ci-bot\n"
        unit = (f"[Service]\nEnvironment=API_HOST={plain[1]}\n"
                f"ExecStart=/usr/bin/rsync -a /srv/out/ {plain[2]}::drop/\n")
        return "ini", "config_review", [user(f".env of the staging stack:\n{fence('ini', env)}\n"
                                             f"~/.netrc:\n{fence('netrc', netrc)}\n"
                                             f"{fence('systemd', unit)}\n"
                                             "Search times out only in staging.")]
    if style == 5:
        w = d.word()
        fs = d.pii(_machine(d, 3).upper(), "HOSTNAME")
        dom = d.pii(f"{w}.{d.pick(['corp', 'local', 'lan', 'internal'])}", "HOSTNAME")
        realm = d.pii(dom.upper(), "HOSTNAME")
        dc = d.pii(f"dc{_n(d, 1, 9):02d}.{dom}", "HOSTNAME")
        nb = d.pii(f"{w[:6].upper()}-{d.pick(['PC', 'LT', 'WS'])}{_n(d, 10, 99)}", "HOSTNAME")
        label, sfx = dom.split(".", 1)
        dn = d.pii(f"DC={label},DC={sfx}", "HOSTNAME")
        d.pub("Kerberos", "default_realm", "OU=Service Accounts")
        krb = (f"[libdefaults]\n    default_realm = {realm}\n[realms]\n    {realm} = {{\n"
               f"        kdc = {dc}\n        admin_server = {dc}\n    }}\n")
        share = d.pii(f"{d.word()}.{d.pick(_SUFFIXES)}", "HOSTNAME")
        ps = (f"Test-NetConnection {share} -Port 445\n"
              f"Enter-PSSession -ComputerName {share} -Credential $cred\n")
        return "text", "debug", [user(
            f"{fence('powershell', ps)}\n"
            f"net use Z: \\\\{fs}\\finance$ works from {nb}, but the service account "
            f"CN=svc_backup,OU=Service Accounts,{dn} gets a Kerberos error.\n"
            f"{fence('ini', krb)}\nnbtstat -a {nb} shows the name registered. Ticket "
            "expired or wrong SPN?")]
    if style == 6:
        p = v.ascii_person(d.rng)
        local = d.pii(v.username(d.rng, p[0], p[1]), "USERNAME")
        w = d.word()
        mails = [f"{local} at {w} dot lan", f"{local} [at] {w} [dot] corp",
                 f"{local} (at) {w} (dot) local", f"{local} AT {w} DOT internal",
                 f"{local} arroba {w} punto com", f"{local} {{at}} {w} {{dot}} de"]
        mail = d.pii(d.pick(mails), "EMAIL")
        hs = [d.pii(_machine(d, k), "HOSTNAME") for k in (0, 1, 2, 3)]
        lang = d.pick(["de", "fr", "es", "ja", "zh", "pt"])
        prose = {
            "de": f"Der Build auf dem Server {hs[0]} schlägt fehl, auf {hs[1]} läuft er.",
            "fr": f"Le serveur {hs[0]} ne répond plus depuis ce matin ; la machine {hs[1]} oui.",
            "es": f"El servidor {hs[0]} no responde; en la máquina {hs[1]} sí funciona.",
            "ja": f"サーバー{hs[0]}に接続できません。{hs[1]}からは接続できます。",
            "zh": f"无法连接到服务器{hs[0]}，但是从{hs[1]}可以连接。",
            "pt": f"O servidor {hs[0]} caiu de novo; a máquina {hs[1]} está ok.",
        }[lang]
        g = [d.pii(_generic(d), "HOSTNAME") for _ in range(4)]
        c = [d.pii(_company_host(d), "HOSTNAME") for _ in range(2)]
        status = d.pick([
            f"Status: {g[0]} is down again and {g[1]} went offline after the patch. "
            f"I moved the jobs from {g[2]} to {g[3]}.",
            f"{g[0]} rebooted at 3am, {g[1]} is unreachable, and the cron on {g[2]} "
            f"now runs on {g[3]}.",
            f"Can you restart {g[0]}? Also drain {g[1]}, then copy the dumps to {g[2]} "
            f"and {g[3]}.",
        ])
        d.pub("setup.py", "index.js", "v1.2.3", "socket.io", "example.com", "github.com",
              "registry.npmjs.org")
        return lang, "chat", [user(
            f"{prose}\nBoth run v1.2.3 of setup.py and index.js, socket.io on top. "
            f"Logs go to {hs[2]}:514 and metrics to {hs[3]}. "
            f"Docs say to write to {mail} (not admin@example.com).\n\n{status} "
            f"SSO at {c[0]} works, {c[1]} does not; github.com and registry.npmjs.org "
            "are reachable.")]
    nodes = [d.pii(_machine(d, k), "HOSTNAME") for k in (2, 1)]
    ips = [_ip(d) for _ in nodes]
    octs = ips[0].split(".")
    emb = d.pii(f"ip-{'-'.join(octs)}", "HOSTNAME")
    targets = [d.pii(_machine(d, k), "HOSTNAME") for k in (0, 3)]
    up = d.pii(f"{d.word()}.{d.pick(_SUFFIXES)}", "HOSTNAME")
    d.pub("INTERNAL-IP", "containerd://1.7.2", "static_configs", "proxy_pass")
    table = ("NAME                 STATUS   ROLES           AGE   VERSION   INTERNAL-IP    "
             "EXTERNAL-IP   OS-IMAGE             CONTAINER-RUNTIME\n")
    for n, ip in zip([*nodes, emb], [*ips, ips[0]], strict=True):
        table += (f"{n:<20} Ready    <none>          12d   v1.29.2   {ip:<14} <none>        "
                  "Ubuntu 22.04.4 LTS   containerd://1.7.2\n")
    prom = (f"scrape_configs:\n  - job_name: node\n    static_configs:\n"
            f"      - targets: [\"{targets[0]}:9100\", \"{targets[1]}:9100\"]\n")
    ngx = f"location /grafana/ {{\n    proxy_pass http://{up}:3000/;\n}}\n"
    site = d.pii(f"{d.word()}.{d.pick(_SUFFIXES)}", "HOSTNAME")
    bare = (f"server {{\n    listen 443 ssl;\n    server_name {site};\n"
            f"    location / {{ proxy_pass http://{up}:3000; }}\n}}\n")
    return "shell", "debug", [user(f"$ kubectl get nodes -o wide\n{fence('text', table)}\n"
                                   f"{fence('yaml', prom)}\n{fence('nginx', ngx)}\n"
                                   f"and the other site, pasted as is:\n\n{bare}\n"
                                   "Node exporter targets are down since the node rename.")]


# -- phones in chat ------------------------------------------------------------------------------

_CHAT = {
    "en": "ping me on {p} (ext {x}) if the deploy stalls, or whatsapp {q}",
    "de": "ruf mich an: {p} App. {x}, privat {q}",
    "fr": "appelle-moi au {p} poste {x} ou sur mon portable {q}",
    "es": "llámame al {p} ext. {x} o al móvil {q}",
    "it": "chiamami al {p} int. {x}, cellulare {q}",
    "nl": "bel me op {p} toestel {x} of mobiel {q}",
    "pl": "zadzwoń na {p} wew. {x} albo kom. {q}",
    "ru": "звони на {p} доб. {x} или на мобильный {q}",
    "ja": "{p}（内線{x}）か携帯{q}に電話して",
    "zh": "打我座机{p}转{x}或者手机{q}",
    "ko": "{p} 내선 {x} 또는 휴대폰 {q}로 연락 주세요",
    "pt": "me liga no {p} ramal {x} ou no celular {q}",
}
_CHAT_REGION = {"en": "US", "de": "DE", "fr": "FR", "es": "ES", "it": "IT", "nl": "NL",
                "pl": "PL", "ru": "RU", "ja": "JP", "zh": "CN", "ko": "KR", "pt": "BR"}


def _local(d: Draft, region: str) -> str:
    """A national number with the separators people use locally."""
    num = v.phone(d.rng, region)
    national = v.fmt_phone(num, "national")
    style = d.pick(["national", "dots", "dashes", "tight", "intl"])
    if style == "dots":
        national = ".".join(national.replace("-", " ").replace("(", "").replace(")", "").split())
    elif style == "dashes":
        national = "-".join(national.replace("(", "").replace(")", "").split())
    elif style == "tight":
        national = "".join(c for c in national if c.isdigit())
    elif style == "intl":
        national = v.fmt_phone(num, d.pick(["intl", "e164", "00", "trunk"]))
    return national


def phones_chat(d: Draft, i: int) -> Out:
    lang = list(_CHAT)[i % len(_CHAT)]
    region = _CHAT_REGION[lang]
    p = d.pii(_local(d, region), "PHONE")
    q = d.pii(_local(d, region), "PHONE")
    x = _n(d, 10, 9999)
    line = _CHAT[lang].format(p=p, q=q, x=x)
    who = d.pick(["alex", "sam", "kim"])
    d.pub("deploy", "v2.4.1")
    chat = (f"[09:41] {who}: prod deploy v2.4.1 is stuck at 80%\n[09:42] {who}: {line}\n"
            "[09:43] bot: rollback scheduled\n")
    return "text", "chat", [user(f"{fence('text', chat)}\nSummarize this chat for the "
                                 "incident report, without personal data.")]
