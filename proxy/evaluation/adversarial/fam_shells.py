"""Tuning family: a private login where developers paste it from their own machines.

Home directories on Linux, macOS and Windows (also escaped in JSON, URL-encoded in editor URIs,
under WSL shares), the user columns and lines of ``ls -l``, ``ps``, ``top``, ``w``, ``stat``,
``id``, ``getent``, ``query user``, authentication and journal logs, database errors, the
arguments of ``crontab``, ``chown``, ``setfacl``, ``docker``, ``ssh`` configuration, ``scp`` and
Gerrit URLs, package caches in tracebacks, shell prompts, Jupyter and VS Code paths, environment
dumps, SMB shares, merge commits, review events and ticket fields in several languages.

Logins come in many shapes: ``first.last``, ``flast``, ``first_last``, with digits, three
initials, mixed case (directory accounts, Windows profiles) and transliterated from other
scripts. The same snippets carry the accounts every machine has (``root``, ``www-data``,
``postgres``, ``ubuntu``, ``ec2-user``, CI runners' homes): those must reach the model unchanged
and are counted as public strings.

Each record takes ten snippet makers in turn (each with logins of its own), so the default
eight records use them all.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

from proxy.evaluation.adversarial import shell_logs
from proxy.evaluation.adversarial import values as v
from proxy.evaluation.adversarial.draft import Draft, calls, fence, tool, tool_call, user

Out = tuple[str, str, list[dict[str, Any]]]
Snippet = Callable[[Draft, list[str]], str]

_SHAPES = ("first.last", "flast", "first_last", "digits", "short", "mixed", "translit", "firstl")
_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe",
                         "Ü": "Ue"})
_CYRILLIC = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюяієїґ",
                     "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya"
                     " i ye yi g".split(), strict=True))


def _translit(s: str) -> str:
    """Latin letters as a login spells them: umlauts expanded, Cyrillic romanized, marks off."""
    s = s.translate(_GERMAN).lower()
    s = "".join(_CYRILLIC.get(c, c) for c in s).replace("_", "")
    out = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    return "".join(c for c in out if c.isalpha())


def _foreign(d: Draft) -> tuple[str, str]:
    """A first and last name from a locale whose names are not written in plain ASCII."""
    loc = d.pick(["de_DE", "pl_PL", "cs_CZ", "tr_TR", "ru_RU", "uk_UA", "zh_CN", "ja_JP",
                  "hu_HU", "ro_RO"])
    if loc in ("zh_CN", "ja_JP"):
        f = v.faker(loc)
        f.seed_instance(d.rng.getrandbits(32))
        return f.first_romanized_name(), f.last_romanized_name()
    first, last, _ = v.person(d.rng, loc)
    return first, last


def _login(d: Draft, shape: str) -> str:
    """One login of the shape; never an English word, nor one of the record's other logins."""
    taken = {s["text"].lower() for s in d.sensitive}
    while True:
        if shape == "translit":
            fi, la = (_translit(x) for x in _foreign(d))
        else:
            p = v.ascii_person(d.rng)
            fi, la = v._ascii(p[0]).lower(), v._ascii(p[1]).lower()
        if len(fi) < 3 or len(la) < 3:
            continue
        n = d.rng.randint(2, 99)
        out = {
            "first.last": f"{fi}.{la}", "flast": fi[0] + la, "first_last": f"{fi}_{la}",
            "digits": d.pick([f"{fi[0]}{la}{n}", f"{fi}{n}", f"{la}{fi[0]}{n:02d}"]),
            "short": fi[0] + d.pick("bcdfghjklmnprstvwz") + la[0],
            "mixed": d.pick([fi[0].upper() + la.capitalize(),
                             f"{fi.capitalize()}.{la.capitalize()}",
                             fi.capitalize() + la[0].upper(), la.capitalize() + fi[:2]]),
            "translit": d.pick([f"{fi}.{la}", fi[0] + la, f"{la}{fi[0]}"]),
            "firstl": fi + la[0],
        }[shape]
        if out.lower() in taken or out.lower() in v.english() or not out[0].isalpha():
            continue
        if shape == "short" and (out[1] in out[0] + out[2] or any(c in "aeiouy" for c in out)):
            continue  # initials without vowels: no English word holds them by chance
        return d.pii(out, "USERNAME")


_lo = shell_logs.lo


def _short(u: str) -> str:
    """How ``ps`` and ``top`` print a login wider than their 8-column user field."""
    return u if len(u) <= 8 else u[:7] + "+"


def _plant_short(d: Draft, u: str) -> str:
    s = _short(u)
    if s != u:
        d.pii(s[:-1], "USERNAME")
    return s


# -- snippets: each writes one pasted fragment for the logins ``u`` --------------------------

def _py_trace(d: Draft, u: list[str]) -> str:
    a = _lo(d, u[0])
    d.pub("/usr/lib/python3.11/", "/home/runner/work/")
    return fence("text", "Traceback (most recent call last):\n"
                 f'  File "/home/{a}/projects/ingest/.venv/lib/python3.11/site-packages/'
                 'requests/adapters.py", line 486, in send\n'
                 '  File "/usr/lib/python3.11/ssl.py", line 1342, in do_handshake\n'
                 "ssl.SSLCertVerificationError: certificate verify failed\n") + (
        "\nOn CI (/home/runner/work/ingest/ingest) the same test passes.")


def _mac_caches(d: Draft, u: list[str]) -> str:
    d.pub("/Users/Shared/", "_cacache")
    return fence("text", f"npm ERR! A complete log of this run can be found in: "
                 f"/Users/{u[0]}/.npm/_logs/2025-03-04T09_12_44_019Z-debug-0.log\n"
                 f"npm ERR! EACCES: permission denied, mkdir '/Users/Shared/_cacache'\n"
                 f"  Created wheel in /Users/{u[1]}/Library/Caches/pip/wheels/3f/9a\n")


def _win_appdata(d: Draft, u: list[str]) -> str:
    d.pub(r"C:\Users\Public\Documents", r"C:\Program Files\Git\bin")
    return ("PS> where.exe python\n"
            f"C:\\Users\\{u[0]}\\AppData\\Local\\Programs\\Python\\Python311\\python.exe\n"
            f"C:\\Users\\{u[0]}\\AppData\\Local\\Microsoft\\WindowsApps\\python.exe\n"
            "Git comes from C:\\Program Files\\Git\\bin and the shared data from "
            "C:\\Users\\Public\\Documents.")


def _vscode_json(d: Draft, u: list[str]) -> str:
    d.pub('"python.terminal.activateEnvironment": true')
    js = ("{\n"
          f'  "python.defaultInterpreterPath": "C:\\\\Users\\\\{u[0]}\\\\miniconda3\\\\envs\\\\ml'
          '\\\\python.exe",\n'
          '  "python.terminal.activateEnvironment": true,\n'
          f'  "jupyter.notebookFileRoot": "/home/{_lo(d, u[1])}/notebooks"\n}}')
    return "My settings.json:\n" + fence("json", js)


def _wsl(d: Draft, u: list[str]) -> str:
    a = _lo(d, u[0])
    d.pub("/mnt/c/Windows/System32")
    return (f"Explorer opens \\\\wsl$\\Ubuntu-22.04\\home\\{a}\\src\\portal fine, and "
            f"\\\\wsl.localhost\\Ubuntu\\home\\{a}\\.ssh too, but cmd.exe from "
            "/mnt/c/Windows/System32 says the UNC path is not supported.")


def _tilde(d: Draft, u: list[str]) -> str:
    a, b = _lo(d, u[0]), _lo(d, u[1])
    d.pub("~/.bashrc")
    return (f"I copied ~{a}/bin/rotate-logs.sh into my ~/.bashrc, but "
            f"`ls ~{b}/shared` says permission denied.")


def _ls_l(d: Draft, u: list[str]) -> str:
    a, b = _lo(d, u[0]), _lo(d, u[1])
    d.pub("www-data www-data", "root     root")
    rows = (f"drwxr-xr-x  5 {a:<8} staff     160 Mar  3 10:12 src\n"
            f"-rw-r-----  1 {b:<8} {b:<8} 2210 Mar  3 09:58 .env\n"
            "-rw-r--r--  1 www-data www-data 4096 Feb 28 17:40 index.php\n"
            "drwx------  2 root     root     4096 Jan 11 08:02 lost+found\n")
    return "$ ls -la /srv/app\n" + fence("text", rows)


def _ps_aux(d: Draft, u: list[str]) -> str:
    a, b = _lo(d, u[0]), _lo(d, u[1])
    d.pub("postgres: walwriter", "www-data")
    sa, sb = _plant_short(d, a), _plant_short(d, b)
    rows = ("USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n"
            "root           1  0.0  0.1 168532 12044 ?        Ss   Mar01   0:09 /sbin/init\n"
            f"{sa:<9}{d.rng.randint(2000, 9999):>7} 99.1 41.0 9812344 6702212 ?  Rl   08:14"
            "  312:10 python train.py\n"
            "postgres     812  0.0  0.4 215332 31210 ?        Ss   Mar01   0:02 "
            "postgres: walwriter\n"
            "www-data    1290  0.1  0.3 201220 24410 ?        S    Mar01   1:40 php-fpm: pool www\n"
            f"{sb:<9}{d.rng.randint(2000, 9999):>7}  0.0  0.0  10044  4120 pts/3    Ss+  09:02"
            "   0:00 -bash\n")
    return "$ ps aux --sort=-%cpu | head\n" + fence("text", rows)


def _top(d: Draft, u: list[str]) -> str:
    a = _plant_short(d, _lo(d, u[0]))
    d.pub("load average:", "nobody")
    rows = ("top - 11:02:41 up 9 days,  2:11,  3 users,  load average: 12.01, 9.80, 7.66\n"
            "    PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND\n"
            f"  31544 {a:<9} 20   0   21.2g  14.1g  40212 R 780.0  88.1  90:12.77 java\n"
            "    902 nobody    20   0  712344  20212  11020 S   0.7   0.1   3:10.01 dnsmasq\n")
    return fence("text", rows)


def _who_last(d: Draft, u: list[str]) -> str:
    a, b = _lo(d, u[0]), _lo(d, u[1])
    ip = d.pii(v.private_ip(d.rng), "IP_ADDRESS")
    d.pub("system boot", "ubuntu   pts/1")
    out = (f"$ w -h\n{a:<8} pts/0    {ip}     09:12    3:01m  0.05s  0.05s -bash\n"
           "ubuntu   pts/1    tmux(1822).%0    10:40    0.00s  0.02s  0.00s w -h\n"
           f"$ last -n 3\n{b:<8} pts/2        {ip}     Tue Mar  4 08:01   still logged in\n"
           "reboot   system boot  6.8.0-41-generic Mon Mar  3 21:58   still running\n")
    return fence("text", out)


def _id_groups(d: Draft, u: list[str]) -> str:
    a = _lo(d, u[0])
    d.pub("27(sudo)", "999(docker)")
    return fence("console", f"$ id\nuid=1001({a}) gid=1001({a}) groups=1001({a}),27(sudo),"
                 f"999(docker)\n$ groups {a}\n{a} : {a} sudo docker\n")


def _auth_log(d: Draft, u: list[str]) -> str:
    a, b = _lo(d, u[0]), _lo(d, u[1])
    ip = d.pii(v.private_ip(d.rng), "IP_ADDRESS")
    d.pub("USER=root ; COMMAND=/usr/bin/apt", "Invalid user admin")
    log = (f"Mar  4 10:12:01 bastion sudo:  {a} : TTY=pts/0 ; PWD=/srv ; USER=root ; "
           "COMMAND=/usr/bin/apt upgrade\n"
           f"Mar  4 10:12:01 bastion sudo: pam_unix(sudo:session): session opened for user "
           f"root(uid=0) by {a}(uid=1001)\n"
           f"Mar  4 10:13:55 bastion sshd[2214]: Accepted publickey for {b} from {ip} port "
           "52144 ssh2: ED25519 SHA256:q9c\n"
           f"Mar  4 10:14:07 bastion sshd[2290]: Invalid user admin from {ip} port 40022\n")
    return "/var/log/auth.log:\n" + fence("text", log)


def _journal(d: Draft, u: list[str]) -> str:
    a = _lo(d, u[0])
    d.pub("systemd-logind", "Started Session")
    log = (f"Mar 04 09:01:12 ws42 systemd-logind[712]: New session 41 of user {a}.\n"
           f"Mar 04 09:01:12 ws42 systemd[1]: Started Session 41 of User {a}.\n"
           "Mar 04 09:01:13 ws42 systemd[1]: Started User Manager for UID 1001.\n")
    return "$ journalctl -b | grep -i session\n" + fence("text", log)


def _cron_chown(d: Draft, u: list[str]) -> str:
    a, b = _lo(d, u[0]), _lo(d, u[1])
    d.pub("chown -R www-data:www-data", "sudo -u postgres")
    cmds = (f"sudo crontab -u {a} -l\nsudo chown -R {b}:developers /opt/reports\n"
            "sudo chown -R www-data:www-data /var/www/html\n"
            "sudo -u postgres pg_dump shop > shop.sql\n"
            f"sudo setfacl -m u:{a}:rwx /srv/shared\n")
    return "What I ran:\n" + fence("bash", cmds)


def _ssh_config(d: Draft, u: list[str]) -> str:
    a = _lo(d, u[0])
    d.pub("User ec2-user", "User git")
    conf = (f"Host bastion\n  HostName 10.20.0.4\n  User {a}\n  IdentityFile ~/.ssh/id_ed25519\n\n"
            "Host legacy-*\n  User ec2-user\n  ProxyJump bastion\n\n"
            "Host github.com\n  User git\n")
    return "~/.ssh/config:\n" + fence("ssh-config", conf)


def _scp_clone(d: Draft, u: list[str]) -> str:
    a, b = _lo(d, u[0]), _lo(d, u[1])
    d.pub("ssh://git@github.com/")
    return fence("bash", f"scp {a}@build-07:/tmp/report.csv .\n"
                 f"git clone ssh://{b}@review.example.net:29418/platform/infra\n"
                 "git clone ssh://git@github.com/psf/requests.git\n")


def _docker(d: Draft, u: list[str]) -> str:
    a = _lo(d, u[0])
    d.pub("docker run -u root", "-u 1000:1000")
    return fence("bash", f"docker exec -it -u {a} api bash\n"
                 f"docker run --rm -v /home/{a}/data:/data -u 1000:1000 etl:latest\n"
                 "docker run -u root alpine id\n")


def _go_rust_java(d: Draft, u: list[str]) -> str:
    a = _lo(d, u[0])
    d.pub("index.crates.io", "/root/.m2/repository")
    return fence("text", f"/home/{a}/go/pkg/mod/github.com/spf13/cobra@v1.8.0/command.go:1041\n"
                 f"  --> /Users/{u[1]}/.cargo/registry/src/index.crates.io-6f17d22bba15001f/"
                 "serde-1.0.197/src/de/mod.rs:12\n"
                 "[ERROR] Failed to read artifact descriptor: /root/.m2/repository/org/"
                 "slf4j/slf4j-api/2.0.9\n")


def _prompts(d: Draft, u: list[str]) -> str:
    a, b = _lo(d, u[0]), _lo(d, u[1])
    d.pub("[ubuntu@", "root@")
    return fence("console", f"{a}@devbox:~/src/portal$ make test\n"
                 f"(.venv) {b}@ws-0412:~/ml$ python -m pytest -x\n"
                 "[ubuntu@ip-10-0-3-7 ~]$ sudo systemctl restart nginx\n"
                 "root@5f2c9d1e8a77:/app# ls\n"
                 f"PS C:\\Users\\{u[2]}\\source\\repos\\Portal> dotnet build\n")


def _zsh_prompt(d: Draft, u: list[str]) -> str:
    d.pub("% brew upgrade")
    return fence("console", f"{u[0]}@MacBook-Pro ~ % brew upgrade\n"
                 f"{u[1]}@Air-de-Lea projects % git status\n")


def _jupyter(d: Draft, u: list[str]) -> str:
    a = _lo(d, u[0])
    d.pub("/home/jovyan/work", "ServerApp")
    log = (f"[I 2025-03-04 09:12:01.123 ServerApp] Serving notebooks from local directory: "
           f"/home/{a}/notebooks\n"
           f"[I 2025-03-04 09:12:03.551 ServerApp] Kernel started: /Users/{u[1]}/Library/"
           "Jupyter/runtime/kernel-7f1c.json\n"
           "[W 2025-03-04 09:12:04.002 ServerApp] /home/jovyan/work is not writable\n")
    return fence("text", log)


def _vscode_uri(d: Draft, u: list[str]) -> str:
    a = _lo(d, u[0])
    d.pub("vscode-remote://ssh-remote+", ".vscode-server/bin/")
    return (f"The tab shows vscode-remote://ssh-remote+gpu01/home/{a}/src/train.py and the log "
            f"says /home/{a}/.vscode-server/bin/e170252f/node crashed. Locally the file is "
            f"file:///c%3A/Users/{u[1]}/src/train.py")


def _envs(d: Draft, u: list[str]) -> str:
    a = _lo(d, u[0])
    d.pub("SHELL=/bin/bash", "USER=node")
    out = (f"$ env | sort\nHOME=/home/{a}\nLOGNAME={a}\n"
           f"PATH=/home/{a}/.local/bin:/home/{a}/.cargo/bin:/usr/local/bin:/usr/bin\n"
           f"SHELL=/bin/bash\nSUDO_USER={a}\nUSER={a}\n")
    win = f"C:\\> set USER\nUSERDOMAIN=CORP\nUSERNAME={u[1]}\nUSERPROFILE=C:\\Users\\{u[1]}\n"
    return (fence("text", out) + "\nThe Dockerfile sets ENV USER=node; on Windows:\n"
            + fence("text", win))


def _smb(d: Draft, u: list[str]) -> str:
    a = _lo(d, u[0])
    d.pub("vers=3.0")
    return (f"`net use H: \\\\fs01\\home$\\{a}` maps fine and \\\\fs01\\public opens, but "
            f"\\\\nas02\\users\\{u[1]}\\Documents is empty. On Linux: "
            f"`mount -t cifs //nas02/homes/{a} /mnt/h -o username={a},domain=CORP,vers=3.0`")


def _merge_commits(d: Draft, u: list[str]) -> str:
    a, b = _lo(d, u[0]), _lo(d, u[1])
    d.pub("Merge pull request #", "dependabot/pip/")
    log = (f"e1f2a3b Merge pull request #412 from {a}/fix-retry-backoff\n"
           f"9c8d7e6 Merge pull request #409 from dependabot/pip/urllib3-2.2.2\n"
           f"4b5c6d7 Merge branch 'main' into {b}/feature-export\n")
    return "$ git log --oneline --merges\n" + fence("text", log)


def _review_events(d: Draft, u: list[str]) -> str:
    a, b = _lo(d, u[0]), _lo(d, u[1])
    d.pub("requested changes", "github-actions")
    return (f"{a} force-pushed the fix-cache branch from 1a2b3c4 to 9f8e7d6\n"
            f"{b} requested changes\ngithub-actions bot commented: coverage 81%\n"
            f"/assign @{a}\n/cc @{b}")


_TICKET_FIELDS = {
    "de": "Verantwortlich: {a}\nGemeldet von: {b}\nBearbeiter: {c}\nStatus: In Arbeit",
    "fr": "Assigné à : {a}\nRapporteur : {b}\nRelecteur : {c}\nStatus : en cours",
    "es": "Asignado a: {a}\nInformador: {b}\nRevisor: {c}\nStatus: en curso",
    "pt": "Responsável: {a}\nRelator: {b}\nRevisor: {c}\nStatus: em andamento",
    "ja": "担当者: {a}\n報告者: {b}\nレビュー担当: {c}\nStatus: 対応中",
    "zh": "负责人：{a}\n报告人：{b}\n经办人: {c}\nStatus: 处理中",
    "ru": "Исполнитель: {a}\nАвтор: {b}\nРевьюер: {c}\nStatus: в работе",
    "ko": "담당자: {a}\n보고자: {b}\n검토자: {c}\nStatus: 진행 중",
}


def _ticket(d: Draft, u: list[str], langs: tuple[str, ...]) -> str:
    a, b, c = _lo(d, u[0]), _lo(d, u[1]), _lo(d, u[2])
    d.pub("Status")
    fields = _TICKET_FIELDS[d.pick(langs)].format(a=a, b=b, c=c)
    return "Ticket:\n" + fence("text", f"Assignee: {a}\nReporter: {b}\n{fields}\n")


def _tickets_eu(d: Draft, u: list[str]) -> str:
    return _ticket(d, u, ("de", "fr", "es", "pt"))


def _tickets_asia(d: Draft, u: list[str]) -> str:
    return _ticket(d, u[1:] + u[:1], ("ja", "zh", "ru", "ko"))


def _pr_text(d: Draft, u: list[str]) -> str:
    a, b = _lo(d, u[0]), _lo(d, u[1])
    d.pub("Fixes #231")
    return (f"PR description:\n> Fixes #231. Reported by {a} on the staging cluster; "
            f"merci à @{b} pour les tests. Reviewer: {a}\n")


def _db_errors(d: Draft, u: list[str]) -> str:
    a, b = _lo(d, u[0]), _lo(d, u[1])
    d.pub('role "postgres"', "'root'@'localhost'")
    return fence("text", f'psql: error: FATAL:  password authentication failed for user "{a}"\n'
                 f"ERROR 1045 (28000): Access denied for user '{b}'@'10.0.4.%' (using password: "
                 "YES)\nERROR 1045 (28000): Access denied for user 'root'@'localhost'\n"
                 'FATAL:  role "postgres" does not exist\n')


def _sudoers(d: Draft, u: list[str]) -> str:
    a, b = _lo(d, u[0]), _lo(d, u[1])
    d.pub("This incident will be reported.")
    return fence("text", f"{a} is not in the sudoers file.  This incident will be reported.\n"
                 f"$ sudo -l -U {b}\nUser {b} may run the following commands on ci-03:\n"
                 "    (ALL) NOPASSWD: /usr/bin/systemctl\n")


def _getent_stat(d: Draft, u: list[str]) -> str:
    a = _lo(d, u[0])
    d.pub("/usr/sbin/nologin", "Uid: (")
    return fence("text", f"$ getent passwd {a} www-data\n"
                 f"{a}:x:1001:1001:,,,:/home/{a}:/bin/bash\n"
                 "www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n"
                 "$ stat -c '%U' .env && stat .env | grep Uid\n"
                 f"{a}\nAccess: (0640/-rw-r-----)  Uid: ( 1001/{a:>8})   Gid: ( 1001/{a:>8})\n")


def _query_user(d: Draft, u: list[str]) -> str:
    d.pub("SESSIONNAME", "Administrator")
    rows = (" USERNAME              SESSIONNAME        ID  STATE   IDLE TIME  LOGON TIME\n"
            f">{u[0].lower():<21} console             1  Active      none   3/4/2025 8:55 AM\n"
            f" {u[1]:<21} rdp-tcp#3           2  Active         12  3/4/2025 9:40 AM\n"
            " Administrator                             3  Disc        1:02  3/3/2025 6:10 PM\n")
    d.pii(u[0].lower(), "USERNAME")
    return "C:\\> query user\n" + fence("text", rows)


def _repl(d: Draft, u: list[str]) -> str:
    a = _lo(d, u[0])
    d.pub("getpass.getuser()", "os.path.expanduser")
    return fence("pycon", f">>> import getpass, os\n>>> getpass.getuser()\n'{a}'\n"
                 f">>> os.path.expanduser('~')\n'/home/{a}'\n") + "\n" + fence(
        "js", f"> os.userInfo()\n{{ uid: 1001, gid: 1001, username: '{u[1]}', homedir: "
              f"'/Users/{u[1]}', shell: '/bin/zsh' }}")


def _cloud_init(d: Draft, u: list[str]) -> str:
    a, b = _lo(d, u[0]), _lo(d, u[1])
    d.pub("- default", "become_user: postgres")
    yml = (f"users:\n  - default\n  - name: {a}\n    groups: [sudo, docker]\n"
           f"    shell: /bin/bash\n# ansible\nremote_user: {b}\nbecome_user: postgres\n")
    return fence("yaml", yml)


def _systemd_unit(d: Draft, u: list[str]) -> str:
    a = _lo(d, u[0])
    d.pub("User=www-data")
    unit = (f"[Service]\nUser={a}\nGroup={a}\nWorkingDirectory=/home/{a}/apps/bot\n"
            f"ExecStart=/home/{a}/apps/bot/.venv/bin/python -m bot\n\n"
            "# the web unit runs as\n# User=www-data\n")
    return "bot.service:\n" + fence("ini", unit)


def _node_stack(d: Draft, u: list[str]) -> str:
    d.pub("node:internal/modules/cjs/loader", "/home/node/app")
    return fence("text", "Error: Cannot find module 'dotenv'\n"
                 f"    at Object.<anonymous> (/Users/{u[0]}/dev/shop/server/index.js:3:1)\n"
                 "    at Module._compile (node:internal/modules/cjs/loader:1376:14)\n"
                 "In the container the app lives in /home/node/app and works.\n")


def _win_acl(d: Draft, u: list[str]) -> str:
    d.pub("BUILTIN\\Administrators", "NT AUTHORITY\\SYSTEM")
    return fence("text", f"C:\\data\\exports CORP\\{u[0]}:(OI)(CI)(F)\n"
                 "                 BUILTIN\\Administrators:(OI)(CI)(F)\n"
                 "                 NT AUTHORITY\\SYSTEM:(OI)(CI)(F)\n"
                 f" Directory of C:\\Users\\{u[1]}\\Downloads\n")


def _conda(d: Draft, u: list[str]) -> str:
    a = _lo(d, u[0])
    d.pub("/opt/conda/envs/", "# conda environments:")
    return fence("text", "# conda environments:\n#\n"
                 f"base                  *  /home/{a}/miniconda3\n"
                 "torch                    /opt/conda/envs/torch\n"
                 f"ml                       C:\\Users\\{u[1]}\\anaconda3\\envs\\ml\n")


def _git_blame(d: Draft, u: list[str]) -> str:
    a, b = _lo(d, u[0]), _lo(d, u[1])
    d.pub("def retry(")
    return fence("text", f"^3f2a1c9 ({a:<12} 2024-11-02 10:12:33 +0100 41) def retry(fn, n=3):\n"
                 f"8e7d6c5b ({b:<12} 2025-01-17 16:40:02 +0100 42)     for i in range(n):\n")


def _perm_errors(d: Draft, u: list[str]) -> str:
    a = _lo(d, u[0])
    d.pub("PermissionError: [Errno 13]", "/var/lib/postgresql/")
    return fence("text", f"PermissionError: [Errno 13] Permission denied: '/home/{a}/.cache/"
                 "huggingface/hub'\nmkdir: cannot create directory '/var/lib/postgresql/16': "
                 f"Permission denied\nYou have new mail in /var/mail/{a}\n")


def _mixed_code(d: Draft, u: list[str]) -> str:
    a = _lo(d, u[0])
    d.pub("os.environ.get(\"USER\", \"nobody\")")
    code = (f'DATA_DIR = Path("/home/{a}/datasets/clicks")  # TODO: move off my home dir\n'
            'owner = os.environ.get("USER", "nobody")\n'
            f'CACHE = r"C:\\Users\\{u[1]}\\AppData\\Local\\Temp\\clicks"\n')
    return fence("python", code)


def _k8s_user(d: Draft, u: list[str]) -> str:
    a = _lo(d, u[0])
    d.pub("kubernetes-admin", "system:serviceaccount:")
    return fence("text", f"$ kubectl auth whoami\nATTRIBUTE   VALUE\nUsername    {a}\n"
                 "Groups      [developers system:authenticated]\n"
                 "$ kubectl config get-users\nNAME\nkubernetes-admin\n"
                 f"{a}@prod-eu\nsystem:serviceaccount:ci:deployer\n")


def _jenkins(d: Draft, u: list[str]) -> str:
    a = _lo(d, u[0])
    d.pub("Started by timer", "Running as SYSTEM")
    return fence("text", f"Started by user {a}\nRunning as SYSTEM\n"
                 f"Building in workspace /var/lib/jenkins/workspace/{a}-sandbox\n"
                 "Started by timer\n")


def _hidden_share(d: Draft, u: list[str]) -> str:
    d.pub("\\\\wsl$\\docker-desktop-data")
    return (f"Robocopy from \\\\filer\\{u[0].lower()}$ to \\\\wsl$\\docker-desktop-data fails;"
            f" the profile path in AD is \\\\filer\\profiles$\\{u[1]}.V6")


SNIPPETS: tuple[Snippet, ...] = (
    _py_trace, _mac_caches, _win_appdata, _vscode_json, _wsl, _tilde, _ls_l, _ps_aux, _top,
    _who_last, _id_groups, _auth_log, _journal, _cron_chown, _ssh_config, _scp_clone, _docker,
    _go_rust_java, _prompts, _zsh_prompt, _jupyter, _vscode_uri, _envs, _smb, _merge_commits,
    _review_events, _tickets_eu, _db_errors, _sudoers, _getent_stat, _query_user, _repl,
    _cloud_init, _systemd_unit, _node_stack, _win_acl, _conda, _git_blame, _perm_errors,
    _mixed_code, _k8s_user, _jenkins, _hidden_share, _tickets_asia, _pr_text,
    *shell_logs.SNIPPETS,
)
_PER_RECORD = 10
_ASKS = ("Can you tell what is wrong here?", "Why does this fail only on my machine?",
         "Please summarize what happened.", "How do I fix the permissions?",
         "Is something misconfigured?")


def handles_shell(d: Draft, i: int) -> Out:
    """Ten pasted fragments (command output, logs, configuration, tickets), each with logins of
    its own, so that every form has to be recognized where it stands."""
    n = len(SNIPPETS)
    picks = [SNIPPETS[(i * _PER_RECORD + k) % n] for k in range(_PER_RECORD)]
    parts = []
    for k, make in enumerate(picks):
        shapes = [_SHAPES[(i * 3 + k + j) % len(_SHAPES)] for j in range(3)]
        parts.append(make(d, [_login(d, s) for s in shapes]))
    ask = d.pick(_ASKS)
    pasted = "\n".join(parts)  # a login written only in another case is not planted as is
    d.sensitive = [s for s in d.sensitive if s["text"] in pasted]
    if i % 2:  # an agent that ran the commands: the last fragments come back as tool output
        head = "\n\n".join(parts[:3])
        tail = "\n\n".join(parts[3:])
        return "shell", "debug", [
            user(f"{head}\n\n{ask}"),
            calls(tool_call("call_1", "run_terminal", {"command": "collect-diagnostics"})),
            tool("call_1", tail),
        ]
    return "shell", "debug", [user("\n\n".join(parts) + f"\n\n{ask}")]
