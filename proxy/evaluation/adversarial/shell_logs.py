"""More fragments for :mod:`fam_shells`: system files, logs, tables and CLIs that name a login.

Each maker takes the draft and three fresh logins and returns one pasted fragment; the accounts
every machine or CI image has (``root``, ``runneradmin``, ``gitpod``, ``cloud-user``) are
written beside them as public strings.
"""

from __future__ import annotations

from proxy.evaluation.adversarial import values as v
from proxy.evaluation.adversarial.draft import Draft, fence


def lo(d: Draft, u: str) -> str:
    """The login as Unix tools print it (directory services fold case)."""
    return d.pii(u.lower(), "USERNAME")


def _accented(d: Draft) -> str:
    """A first name as a Windows profile folder keeps it: with its diacritics."""
    while True:
        first, _last, _ = v.person(d.rng, d.pick(["de_DE", "fr_FR", "es_ES", "pt_BR", "cs_CZ",
                                                  "pl_PL", "tr_TR", "sv_SE"]))
        if not first.isascii() and " " not in first:
            return d.pii(first, "USERNAME")


def win_profiles(d: Draft, u: list[str]) -> str:
    short = u[0].upper().replace(".", "").replace("_", "")[:6] + "~1"
    d.pii(short, "USERNAME")
    acc = _accented(d)
    d.pub(r"C:\Users\runneradmin\AppData\Local\Temp", r"C:\Users\Default\NTUSER.DAT")
    return fence("text", f"Temp dir: C:\\Users\\{short}\\AppData\\Local\\Temp\\pip-build-env-3k\n"
                 f"Saved to c:\\users\\{lo(d, u[1])}\\desktop\\report.xlsx\n"
                 f"Documents: C:\\Users\\{acc}\\Documents\\Angebote\n"
                 "CI: C:\\Users\\runneradmin\\AppData\\Local\\Temp and "
                 "C:\\Users\\Default\\NTUSER.DAT\n")


def json_escaped(d: Draft, u: list[str]) -> str:
    d.pub('"cwd": "/home/runner/work/api/api"')
    inner = f'{{\\"path\\": \\"C:\\\\\\\\Users\\\\\\\\{u[0]}\\\\\\\\repos\\\\\\\\api\\"}}'
    return ("The tool call log has\n" + fence("json", f'{{"arguments": "{inner}",\n'
                                              f' "cwd": "C:/Users/{u[1]}/work/api"}}\n'
                                              '{"cwd": "/home/runner/work/api/api"}'))


def domain_homes(d: Draft, u: list[str]) -> str:
    a, b, c = lo(d, u[0]), lo(d, u[1]), lo(d, u[2])
    d.pub("/home/gitpod/.cache", "/home/cloud-user/app")
    return fence("text", f"/home/CORP/{a}/projects/etl/.venv/bin/python\n"
                 f"/Volumes/Macintosh HD/Users/{u[1]}/Desktop/export.csv\n"
                 f"cd /scratch/{b}/runs/exp12 && sbatch train.sh\n"
                 f"/lustre/scratch/{c}/checkpoints/step_4000.pt\n"
                 "/home/gitpod/.cache/pip and /home/cloud-user/app are fine.\n")


def ls_variants(d: Draft, u: list[str]) -> str:
    a = lo(d, u[0])
    d.pub("root root", "lost+found")
    mixed = u[1] if not u[1].islower() else u[1].capitalize()
    d.pii(mixed, "USERNAME")
    rows = (f"-rw-r--r--  1 {a} domain users    0 Mar  3 10:12 notes.txt\n"
            f"-rw-r--r--. 1 {mixed} {mixed}   220 Mar  3 10:12 .bash_logout\n"
            "drwx------. 2 root root 16384 Jan 11 08:02 lost+found\n")
    return "$ ls -l /srv/share\n" + fence("text", "total 24\n" + rows)


def etc_files(d: Draft, u: list[str]) -> str:
    a, b, c = lo(d, u[0]), lo(d, u[1]), lo(d, u[2])
    d.pub("%admin ALL=(ALL) ALL", "docker:x:999:")
    return fence("text", f"$ getent group docker\ndocker:x:999:{a},{b},ubuntu\n"
                 f"$ sudo cat /etc/sudoers.d/90-devs\n{c} ALL=(ALL) NOPASSWD: ALL\n"
                 "%admin ALL=(ALL) ALL\n"
                 f"$ cat /etc/subuid\n{b}:100000:65536\n"
                 f"$ sudo passwd -S {a}\n{a} P 03/04/2025 0 99999 7 -1\n")


def auth_more(d: Draft, u: list[str]) -> str:
    a, b, c = lo(d, u[0]), lo(d, u[1]), lo(d, u[2])
    ip = d.pii(v.private_ip(d.rng), "IP_ADDRESS")
    d.pub("CMD (/usr/local/bin/backup.sh)", "[preauth]")
    log = (f"sshd[2214]: Connection closed by authenticating user {a} {ip} port 22 [preauth]\n"
           f"sshd[2215]: Disconnected from user {b} {ip} port 52144\n"
           f"CRON[1234]: ({c}) CMD (/usr/local/bin/backup.sh)\n"
           f"useradd[812]: new user: name={a}, UID=1004, GID=1004, home=/srv/h, shell=/bin/bash\n"
           f"usermod[813]: add '{b}' to group 'docker'\n"
           f"passwd[912]: pam_unix(passwd:chauthtok): password changed for {c}\n")
    return fence("text", log)


def audit_event(d: Draft, u: list[str]) -> str:
    a = lo(d, u[0])
    d.pub("NULL SID", 'exe="/usr/sbin/sshd"')
    audit = (f"type=USER_LOGIN msg=audit(1709546121.123:812): pid=2214 uid=0 auid=1001 ses=3 "
             f"msg='op=login acct=\"{a}\" exe=\"/usr/sbin/sshd\" hostname=? terminal=ssh "
             "res=success'\n")
    event = ("An account failed to log on.\n\nAccount For Which Logon Failed:\n"
             f"\tSecurity ID:\t\tNULL SID\n\tAccount Name:\t\t{u[1]}\n\tAccount Domain:\t\tCORP\n")
    return fence("text", audit) + "\nand in the Windows event log:\n" + fence("text", event)


def system_crontab(d: Draft, u: list[str]) -> str:
    a = lo(d, u[0])
    d.pub("run-parts --report /etc/cron.hourly")
    tab = ("# /etc/crontab\nSHELL=/bin/sh\n"
           "17 *    * * *   root    cd / && run-parts --report /etc/cron.hourly\n"
           f"*/5 *   * * *   {a} /usr/bin/php /srv/app/artisan schedule:run\n")
    return fence("text", tab)


def owner_options(d: Draft, u: list[str]) -> str:
    a, b, c = lo(d, u[0]), lo(d, u[1]), lo(d, u[2])
    d.pub("COPY --chown=node:node", "docker login -u AWS")
    return (fence("dockerfile", f"FROM python:3.12\nCOPY --chown={a}:staff . /app\n"
                  "COPY --chown=node:node package.json /srv/\n")
            + "\n" + fence("bash", f"install -o {b} -g staff -m 0644 app.conf /etc/app/\n"
                           f"rsync -a --chown={c}:users src/ /srv/app/\n"
                           f"ssh -o User={a} bastion uptime\n"
                           f"docker login -u {b} registry.example.net\n"
                           "docker login -u AWS --password-stdin 1234.dkr.ecr.aws\n"))


def sshd_config(d: Draft, u: list[str]) -> str:
    a, b, c = lo(d, u[0]), lo(d, u[1]), lo(d, u[2])
    d.pub("Match User git", "PermitRootLogin no")
    conf = (f"PermitRootLogin no\nAllowUsers {a} {b}@10.0.0.* git\n"
            f"Match User {c}\n    ForceCommand internal-sftp\nMatch User git\n"
            "    AllowTcpForwarding no\n")
    keys = f"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBk0g1pB1xq {a}@thinkpad-x1\n"
    return fence("text", conf) + "\nauthorized_keys:\n" + fence("text", keys)


def git_people(d: Draft, u: list[str]) -> str:
    a, b, c = lo(d, u[0]), lo(d, u[1]), lo(d, u[2])
    d.pub("dependabot[bot]")
    out = (f"$ git shortlog -sn --since=2025-01-01\n    42\t{a}\n    17\t{b}\n"
           "     9\tdependabot[bot]\n$ git remote -v\n"
           f"origin\tssh://{c}@git.example.net:7999/plat/api.git (fetch)\n")
    return fence("text", out)


def cli_whoami(d: Draft, u: list[str]) -> str:
    a, b, c = lo(d, u[0]), lo(d, u[1]), lo(d, u[2])
    d.pub("Token scopes:")
    return fence("text", f"$ gh auth status\ngithub.com\n  ✓ Logged in to github.com account {a} "
                 f"(keyring)\n  - Token scopes: 'repo', 'read:org'\n"
                 f"$ gh auth status --hostname ghe.example.net\n"
                 f"  ✓ Logged in to ghe.example.net as {b} (oauth_token)\n"
                 f"$ npm whoami\n{c}\nC:\\> echo %USERNAME%\n{u[0]}\n")


def ldap(d: Draft, u: list[str]) -> str:
    a, b, c = lo(d, u[0]), lo(d, u[1]), lo(d, u[2])
    d.pub("objectClass: posixGroup", "dc=example,dc=com")
    return (f'ldapsearch -x -D "uid={a},ou=people,dc=example,dc=com" -W "(cn=devs)"\n'
            + fence("ldif", f"dn: cn=devs,ou=groups,dc=example,dc=com\n"
                    f"objectClass: posixGroup\nmemberUid: {b}\nmemberUid: {c}\n"
                    f"sAMAccountName: {a}\n")
            + f"\n$ klist\nDefault principal: {b}@EXAMPLE.NET\n")


def runtime_props(d: Draft, u: list[str]) -> str:
    a, b = lo(d, u[0]), lo(d, u[1])
    d.pub("java.vendor = Eclipse Adoptium", "GOOS='linux'")
    return fence("text", "$ java -XshowSettings:properties -version 2>&1 | grep user\n"
                 f"    java.vendor = Eclipse Adoptium\n    user.name = {a}\n"
                 f"$ go env | grep -E 'GOPATH|GOOS'\nGOOS='linux'\nGOPATH='/home/{b}/go'\n")


def access_log(d: Draft, u: list[str]) -> str:
    a = lo(d, u[0])
    ip = d.pii(v.private_ip(d.rng), "IP_ADDRESS")
    d.pub('"GET / HTTP/1.1" 200')
    log = (f'{ip} - {a} [04/Mar/2025:10:12:01 +0000] "GET /admin/ HTTP/1.1" 403 512 "-" '
           '"Mozilla/5.0"\n'
           f'{ip} - - [04/Mar/2025:10:12:02 +0000] "GET / HTTP/1.1" 200 99 "-" "curl/8.5.0"\n')
    return "nginx access.log:\n" + fence("text", log)


def db_tables(d: Draft, u: list[str]) -> str:
    a, b = lo(d, u[0]), lo(d, u[1])
    d.pub("mysql.sys", "| postgres")
    psql = (" pid  | usename    | datname | state\n------+------------+---------+--------\n"
            f" 2214 | {a:<10} | shop    | active\n 2290 | postgres   | shop    | idle\n")
    my = ("+--------------+-----------+\n| user         | host      |\n"
          "+--------------+-----------+\n"
          f"| {b:<12} | %         |\n| mysql.sys    | localhost |\n+--------------+-----------+\n")
    return fence("text", psql) + "\n" + fence("text", my)


def hpc_queues(d: Draft, u: list[str]) -> str:
    a, b = lo(d, u[0]), lo(d, u[1])
    d.pub("NODELIST(REASON)")
    pbs = ("Job id            Name             User              Time Use S Queue\n"
           "----------------  ---------------- ----------------  -------- - -----\n"
           f"4121.pbs01        sim              {a:<16}  01:12:01 R batch\n")
    slurm = ("JOBID PARTITION     NAME     USER ST       TIME  NODES NODELIST(REASON)\n"
             f"  812       gpu    train {b:>8}  R    3:01:12      1 gpu-a01\n")
    return fence("text", pbs) + "\n" + fence("text", slurm)


def ci_env(d: Draft, u: list[str]) -> str:
    a, b, c = lo(d, u[0]), lo(d, u[1]), lo(d, u[2])
    d.pub("RUNNER_OS=Linux", "ENV USER=node")
    env = (f"GITHUB_ACTOR={a}\nRUNNER_OS=Linux\nGITLAB_USER_LOGIN={b}\n"
           f"JUPYTERHUB_USER={c}\nSUDO_USER={a}\n")
    return (fence("text", env) + "\n" + fence("dockerfile", f"ENV USER {b}\nENV USER=node\n")
            + "\nand in my .cshrc: " + f"`setenv USER {c}`")


def smb_more(d: Draft, u: list[str]) -> str:
    a, b, c = lo(d, u[0]), lo(d, u[1]), lo(d, u[2])
    d.pub("full address:s:", "_netdev")
    return (fence("text", f"//nas/homes/{a} /mnt/h cifs credentials=/etc/smbcred,uid={a},"
                  "_netdev 0 0\n") + f"\n`smbclient //nas/share -U {b}%` asks again, and "
            "the .rdp file has\n" + fence("text", "full address:s:ts01.example.net\n"
                                          f"username:s:CORP\\{c}\n"))


def win_tables(d: Draft, u: list[str]) -> str:
    d.pub("Built-in account for administering", "Guest              False")
    rows = ("Name               Enabled Description\n----               ------- -----------\n"
            "Administrator      False   Built-in account for administering the computer\n"
            f"{u[0]:<18} True\n"
            "Guest              False   Built-in account for guest access\n")
    return "PS> Get-LocalUser\n" + fence("text", rows)


def code_compare(d: Draft, u: list[str]) -> str:
    a, b, c = lo(d, u[0]), lo(d, u[1]), lo(d, u[2])
    d.pub('"displayName"', "DEBUG = True")
    code = (f'if getpass.getuser() == "{a}":\n    DEBUG = True\n'
            f'ALLOWED_USERS = ["{b}", "{c}"]\n')
    js = f'{{"assignee": {{"name": "{c}", "displayName": "-", "active": true}}}}'
    return fence("python", code) + "\nJira returns\n" + fence("json", js)


def timeline(d: Draft, u: list[str]) -> str:
    a, b, c = lo(d, u[0]), lo(d, u[1]), lo(d, u[2])
    d.pub("dependabot opened this pull request")
    return (f"{a} committed 3 days ago\n{b} opened this issue on Mar 4\n"
            f"{c} approved these changes\ndependabot opened this pull request\n")


def tickets_more(d: Draft, u: list[str]) -> str:
    a, b, c = lo(d, u[0]), lo(d, u[1]), lo(d, u[2])
    d.pub("Priorität: hoch")
    rows = d.pick([f"Zugewiesen an: {a}\nErsteller: {b}\nPriorität: hoch\n",
                   f"Assegnato a: {a}\nSegnalato da: {b}\nPriorità: alta\n",
                   f"Toegewezen aan: {a}\nMelder: {b}\nPrioriteit: hoog\n",
                   f"Przypisany do: {a}\nZgłaszający: {b}\nPriorytet: wysoki\n",
                   f"Atanan: {a}\nRaporlayan: {b}\nÖncelik: yüksek\n"])
    if "Priorität" not in rows:
        rows += "Priorität: hoch\n"
    return fence("text", rows + f"Watchers: {c}\n")


def chat_handoff(d: Draft, u: list[str]) -> str:
    a, b, c = lo(d, u[0]), lo(d, u[1]), lo(d, u[2])
    ip = d.pii(v.private_ip(d.rng), "IP_ADDRESS")
    d.pub("npm i lodash@latest", "**Status:** open")
    return (f"@{a} can you take this one? It failed for {b}@gpu-07 and for {c}@{ip} too.\n\n"
            f"**Assignee:** {b}\n**Status:** open\n\nThe job ran as {c} on ci-03, then "
            f"it was reassigned from {a} to the infra team. (Reproduce with npm i lodash@latest.)")


def md_ticket(d: Draft, u: list[str]) -> str:
    a, b, c = lo(d, u[0]), lo(d, u[1]), lo(d, u[2])
    d.pub("| Priority | P2 |")
    return ("| Field | Value |\n|---|---|\n"
            f"| **Assignee** | {a} |\n| Priority | P2 |\n\n*Reporter*: {b}\nOwner — {c}\n"
            f"The bug is assigned to {a} and blocked on the VPN.\n")


def chat_log(d: Draft, u: list[str]) -> str:
    a, b, c = lo(d, u[0]), lo(d, u[1]), lo(d, u[2])
    d.pub("anyone seen this?", "Thanks everyone!")
    irc = (f"[10:12] <{a}> anyone seen this?\n10:13 {b}: the deploy is stuck again\n"
           f"{c} [10:15 AM]\nrolled back\n")
    return (fence("text", irc) + f"\nThanks everyone! cc: {a}, {b}\n{c} is on call this week."
            f"\n\nOn Mon, Mar 3, 2025 at 10:12 AM {b} wrote:\n> it fails on my box")


def acl_admin(d: Draft, u: list[str]) -> str:
    a, b, c = lo(d, u[0]), lo(d, u[1]), lo(d, u[2])
    d.pub("user::rwx", "loginctl list-sessions")
    cmds = (f"find /srv -user {a} -name '*.tmp' -delete\nsudo setfacl -m u:{b}:rx /srv/data\n"
            f"sudo loginctl enable-linger {c}\nloginctl list-sessions\nps -fu {b}\n")
    acl = f"# file: srv/data\n# owner: root\nuser::rwx\nuser:{b}:r-x\ngroup::r-x\n"
    procs = f"sshd: {a} [priv]\nsshd: {a}@pts/3\n"
    return fence("bash", cmds) + "\n" + fence("text", acl) + "\n" + fence("text", procs)


def account_talk(d: Draft, u: list[str]) -> str:
    a, b, c = lo(d, u[0]), lo(d, u[1]), lo(d, u[2])
    d.pub("/etc/sudoers.d/README", "log in as usual")
    return (f"Log in as {a} on the jump host, then the home dir of {b} is full again and "
            f"{c}'s home directory too. It only works with the {a} account; the drop-in "
            f"/etc/sudoers.d/{b} has mode 0440 (see /etc/sudoers.d/README). Otherwise log in "
            "as usual.")


def branches(d: Draft, u: list[str]) -> str:
    a, b, c = lo(d, u[0]), lo(d, u[1]), lo(d, u[2])
    d.pub("feature/login-page", "dependabot/npm_and_yarn/lodash-4.17.21")
    out = (f"$ git checkout -b {a}/fix-login\n$ git branch\n* {a}/fix-login\n  main\n"
           f"  feature/login-page\n$ git push origin {b}/retry-backoff\n"
           f"remote branch origin/{c}/export-csv was deleted\n"
           "remote branch origin/dependabot/npm_and_yarn/lodash-4.17.21 was deleted\n")
    return fence("console", out)


SNIPPETS = (win_profiles, json_escaped, domain_homes, ls_variants, etc_files, auth_more,
            audit_event, system_crontab, owner_options, sshd_config, git_people, cli_whoami,
            ldap, runtime_props, access_log, db_tables, hpc_queues, ci_env, smb_more,
            win_tables, code_compare, timeline, tickets_more, chat_handoff, md_ticket, chat_log,
            acl_admin, account_talk, branches)
