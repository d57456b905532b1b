"""More fragments for :mod:`fam_paths`: identities tools derive from a login and a machine.

Git's automatic identity, ssh's control sockets, Ansible and Salt runs, Kubernetes' scheduling
events, GitLab's runner line, Windows' ``systeminfo``, ``ipconfig``, event log and remoting
commands, backups named after hosts, Subversion logs and mail headers. Each maker takes the
draft, three logins and three machines (``short`` gives a machine's first label, planted).
"""

from __future__ import annotations

from collections.abc import Callable

from proxy.evaluation.adversarial import values as v
from proxy.evaluation.adversarial.draft import Draft, fence

Short = Callable[[Draft, str], str]


def git_ident(d: Draft, u: list[str], h: list[str], short: Short) -> str:
    a, b = short(d, h[0]), short(d, h[1])
    d.pub("Your name and email address were configured automatically")
    return fence("text", "Your name and email address were configured automatically based\n"
                 "on your username and hostname. Please check that they are accurate.\n"
                 f"$ git log -2 --format='%an <%ae>'\n{u[0]} <{u[0]}@{a}.(none)>\n"
                 f"{u[1]} <{u[1]}@{b}.local>\n")


def control_sockets(d: Draft, u: list[str], h: list[str], short: Short) -> str:
    a = short(d, h[0])
    d.pub("ControlPersist 10m", "ControlPath ~/.ssh/cm-%r@%h:%p")
    return fence("ssh-config", "Host *\n  ControlMaster auto\n  ControlPath ~/.ssh/cm-%r@%h:%p\n"
                 "  ControlPersist 10m\n") + "\n" + fence(
        "text", f"$ ls ~/.ssh/\ncm-{u[0]}@{a}:22  config  id_ed25519  known_hosts\n"
                f"Control socket connect(/home/{u[1]}/.ssh/cm-{u[0]}@{a}:22): Connection refused\n")


def ansible_run(d: Draft, u: list[str], h: list[str], short: Short) -> str:
    a, b, c = (short(d, x) for x in h)
    d.pub("PLAY RECAP", "TASK [Gathering Facts]")
    return fence("text", "TASK [Gathering Facts] *********************************************\n"
                 f"ok: [{a}]\nfatal: [{b}]: UNREACHABLE! => {{\"changed\": false, \"msg\": "
                 f"\"Failed to connect to the host via ssh: {u[0]}@{b}: Permission denied\"}}\n"
                 f"changed: [{c}] => (item=/home/{u[1]}/.bashrc)\n"
                 "PLAY RECAP *********************************************************\n"
                 f"{a:<24}: ok=3    changed=0    unreachable=0    failed=0\n"
                 f"{b:<24}: ok=0    changed=0    unreachable=1    failed=0\n")


def salt_chef(d: Draft, u: list[str], h: list[str], short: Short) -> str:
    a, b = short(d, h[0]), short(d, h[1])
    d.pub("test.ping", "Chef Infra Client")
    return fence("text", f"$ sudo salt '*' test.ping\n{a}:\n    True\n{b}:\n    Minion did not "
                 "return. [No response]\n"
                 f"Starting Chef Infra Client, version 18.4.2\n[{b}] Run as user {u[0]}\n")


def k8s_events(d: Draft, u: list[str], h: list[str], short: Short) -> str:
    a, b = short(d, h[0]), short(d, h[1])
    ip = d.pii(v.private_ip(d.rng), "IP_ADDRESS")
    d.pub("Successfully assigned", "default-scheduler")
    return fence("text", f"$ kubectl describe pod api-7f9c-x2k4q\nNode:         {a}/{ip}\n"
                 "Events:\n  Type    Reason     From               Message\n"
                 "  Normal  Scheduled  default-scheduler  Successfully assigned "
                 f"prod/api-7f9c-x2k4q to {b}\n$ kubectl cordon {a}\nnode/{a} cordoned\n")


def gitlab_via(d: Draft, u: list[str], h: list[str], short: Short) -> str:
    a = short(d, h[0])
    d.pub("Preparing the \"docker\" executor")
    return fence("text", "Running with gitlab-runner 16.9.1 (782c6ecb)\n"
                 f"  on {a}-docker x7kQ2b, system ID: s_4f1c2e9b0d7a\n"
                 "Preparing the \"docker\" executor\n"
                 f"Running on runner-x7kq2b-project-41-concurrent-0 via {a}...\n")


def win_sysinfo(d: Draft, u: list[str], h: list[str], short: Short) -> str:
    a = short(d, h[0]).upper()
    d.pii(a, "HOSTNAME")
    d.pub("Primary Dns Suffix", "OS Name:")
    return fence("text", f"C:\\> systeminfo\nHost Name:                 {a}\n"
                 "OS Name:                   Microsoft Windows 11 Enterprise\n"
                 f"Registered Owner:          {u[0]}\nLogon Server:              \\\\DC01\n"
                 "C:\\> ipconfig /all\n"
                 f"   Host Name . . . . . . . . . . . . : {a}\n"
                 "   Primary Dns Suffix  . . . . . . . : \n")


def win_remoting(d: Draft, u: list[str], h: list[str], short: Short) -> str:
    a, b = short(d, h[0]).upper(), short(d, h[1])
    d.pii(a, "HOSTNAME")
    d.pub("-Credential", "Get-Service")
    return fence("powershell", f"Enter-PSSession -ComputerName {a} -Credential CORP\\{u[0]}\n"
                 f"Invoke-Command -ComputerName {b} -ScriptBlock {{ Get-Service }}\n"
                 f"mstsc /v:{b}\n")


def win_events(d: Draft, u: list[str], h: list[str], short: Short) -> str:
    a = short(d, h[0]).upper()
    d.pii(a, "HOSTNAME")
    d.pub("An account failed to log on.", "Logon Type:")
    return fence("text", "An account failed to log on.\nSubject:\n\tSecurity ID:\t\tNULL SID\n"
                 f"Account For Which Logon Failed:\n\tAccount Name:\t\t{u[0]}\n"
                 "\tAccount Domain:\t\tCORP\nNetwork Information:\n"
                 f"\tWorkstation Name:\t{a}\n\tLogon Type:\t\t3\n")


def backups(d: Draft, u: list[str], h: list[str], short: Short) -> str:
    a, b = short(d, h[0]), short(d, h[1])
    d.pub("Archive name", "restic snapshots")
    return fence("text", f"$ borg list /srv/borg/repo\n{a}-2025-03-03T02:00:01   Mon, 2025-03-03\n"
                 f"$ restic snapshots\nID        Time                 Host        Paths\n"
                 f"4f1c2e9b  2025-03-03 02:00:01  {b:<10}  /home/{u[0]}\n")


def svn_gpg(d: Draft, u: list[str], h: list[str], short: Short) -> str:
    a = short(d, h[0])
    d.pub("svn+ssh://", "[ultimate]")
    return fence("text", f"$ svn log -l 2 svn+ssh://{u[0]}@{a}/repos/billing\n"
                 "------------------------------------------------------------------------\n"
                 f"r1412 | {u[1]} | 2025-03-04 09:12:44 +0100 (Tue, 04 Mar 2025) | 1 line\n"
                 f"$ gpg -k\nuid           [ultimate] {u[2]} <{u[2]}@{a}>\n")


def mail_headers(d: Draft, u: list[str], h: list[str], short: Short) -> str:
    a, b = short(d, h[0]), short(d, h[1])
    ip = d.pii(v.private_ip(d.rng), "IP_ADDRESS")
    d.pub("Received: from", "with ESMTP id")
    return fence("text", f"Received: from {a} ({ip}) by {b} with ESMTP id 4F1C2E9B\n"
                 f"From: Cron Daemon <{u[0]}@{b}>\nSubject: Cron <{u[0]}@{b}> /home/{u[0]}/bin/"
                 "backup.sh\n")


def repl_host(d: Draft, u: list[str], h: list[str], short: Short) -> str:
    a = short(d, h[0])
    d.pub("socket.gethostname()", "os.getlogin()")
    return fence("pycon", f">>> import os, socket\n>>> socket.gethostname()\n'{a}'\n"
                 f">>> os.getlogin()\n'{u[0]}'\n")


def client_logins(d: Draft, u: list[str], h: list[str], short: Short) -> str:
    a, b, c = (short(d, x) for x in h)
    d.pub("Database=app;", "dbname=app")
    return ("Connections that work from my desk:\n" + fence(
        "text", f"Server={a};Database=app;User Id={u[0]};\n"
                f"psql \"host={b} user={u[1]} dbname=app\"\n"
                f"export PGHOST={c} PGUSER={u[2]}\n") + "\n~/.my.cnf\n" + fence(
        "ini", f"[client]\nuser={u[1]}\nhost={b}\n") + "\n" + fence(
        "bash", f"ansible-playbook -i {a},{c}, -u {u[0]} site.yml\n"
                f"echo '{b} ansible_user={u[2]}' >> hosts\n"
                f"copy %SystemDrive%\\Users\\{u[0]}\\Desktop\\app.cfg .\n"))


def handles_hosts(d: Draft, u: list[str], h: list[str], short: Short) -> str:
    a, b = short(d, h[0]), short(d, h[1])
    d.pub("Using keyboard-interactive authentication.", "public_html")
    return fence("text", f"login as: {u[0]}\nUsing keyboard-interactive authentication.\n"
                 f"$ kinit -k -t /etc/krb5.keytab {u[1]}\n"
                 f"$ git log -1 --format='%an <%ae>'\n{u[2]} <{u[2]}@{a}>\n"
                 f"Deploy started by {u[0]}@{b}\n"
                 f"$ ls /srv/www/{u[1]}/public_html\n") + "\n" + fence(
        "console", f"╭─{u[2]}@{b} ~/src/api ‹main›\n╰─$ make test\n")


def site_homes(d: Draft, u: list[str], h: list[str], short: Short) -> str:
    a = short(d, h[0]).upper()
    d.pii(a, "HOSTNAME")
    d.pub("/home/staff/", "Folder Redirection")
    return (f"On the cluster my files are in /home/staff/{u[0]}/runs and the interns' in "
            f"/home/students/{u[1]}/; the old ones in /home2/{u[2]}/archive.\n" + fence(
                "text", f"Folder Redirection: \\\\{a}\\redirected\\{u[0]}\\Desktop\n"
                        f"Home folder: \\\\{a}\\homes$\\{u[1]}\n"
                        f"Profile: \\\\{a}\\UserHomes\\{u[2]}\n"))


SNIPPETS = (git_ident, control_sockets, ansible_run, salt_chef, k8s_events, gitlab_via,
            win_sysinfo, win_remoting, win_events, backups, svn_gpg, mail_headers, repl_host,
            client_logins, handles_hosts, site_homes)
