"""Logins and machine names inside paths, handles and tool output (issue #11, items 7 and 9):
a machine's own name where nothing else stands, English words included (``jdoe@kestrel:~$``,
``Static hostname: sequoia``); name-resolution failures; CI agents, Ansible, Kubernetes and
Windows output; per-user folders tools make and session tools (screen, vim, Emacs); logins in
connection strings, UNC home shares, cron lines and ``.netrc``. Around them, the names every
machine has (localhost, root, tools, container ids) stay."""

from __future__ import annotations

import pytest

from proxy.policy import default_policy_path, load_policy
from proxy.veil.engine import Veil
from recognizers.context import DetectionContext
from recognizers.pii import PiiRecognizer

R = PiiRecognizer()


def found(text: str, type_: str) -> list[str]:
    return sorted({text[f.start:f.end] for f in R.analyze(DetectionContext(text))
                   if f.type == type_})


KEY = "AAAAC3NzaC1lZDI1NTE5AAAAIG9c20qm9guVUVtMupJCMaLTMFp2ZKCr0anpZ5zxXQk9"


@pytest.mark.parametrize(("text", "names"), [
    # a machine's own name: an English word counts there
    ("(base) rdoe@kestrel:~/src$ make\n", ["kestrel"]),
    ("Mar 04 10:00:01 tundra CRON[4412]: (rdoe) CMD (/home/rdoe/bin/backup.sh)\n", ["tundra"]),
    ("$ hostnamectl\n Static hostname: sequoia\n       Icon name: computer-vm\n", ["sequoia"]),
    ("$ cat /etc/hostname\nheron\n", ["heron"]),
    ("C:\\> set\nCOMPUTERNAME=ORION29\nLOGONSERVER=\\\\DCVRAX1\n", ["DCVRAX1", "ORION29"]),
    (f"[zephyr]:2222 ssh-ed25519 {KEY}\nmagpie,10.1.2.3 ssh-ed25519 {KEY}\n",
     ["magpie", "zephyr"]),
    ("Host jump\n  HostName kestrel\n  User rdoe\n", ["kestrel"]),
    ("machine cedar\n  login rdoe\n  password Fve*Y0Wp#VKX\n", ["cedar"]),
    ("Runner name: 'db-bruxioth-09'\nAgent machine name: 'quudrivor'\n",
     ["db-bruxioth-09", "quudrivor"]),
    ("$ who\nattilak   pts/1        2025-03-04 09:12 (pluto)\n$ last -n 1\n"
     "piero.moschino   pts/0        lotus18   Tue Mar  4 08:01   still logged in\n",
     ["lotus18", "pluto"]),
    ("pluto:/export/home/rdoe  /home/rdoe  nfs  defaults,_netdev  0 0\n"
     "atlas:/vol/projects on /mnt/projects type nfs4 (rw,relatime)\n", ["atlas", "pluto"]),
    ("Finder opens \\\\zephyr\\projects and smb://bramble/share", ["bramble", "zephyr"]),
    ("DOCKER_HOST=ssh://rdoe@kestrel docker ps\n", ["kestrel"]),
    ("    server: https://magpie:6443\n", ["magpie"]),
    ('psql "host=quartz user=rdoe dbname=app"\n', ["quartz"]),
    # name-resolution failures
    ("Error: getaddrinfo ENOTFOUND tundra29\n"
     "java.net.UnknownHostException: lastogon: Name or service not known\n"
     "panic: dial tcp: lookup KRAZOL11 on 127.0.0.53:53: no such host\n"
     "System.Net.Http.HttpRequestException: No such host is known. (hermes:443)\n",
     ["KRAZOL11", "hermes", "lastogon", "tundra29"]),
    # session tools: vim's swap file, screen, Emacs' lock, X authority
    ("         user name: rdoe   host name: bragraex-node30\n", ["bragraex-node30"]),
    ("There is a screen on:\n\t4412.pts-0.kriobrifer\t(Detached)\n", ["kriobrifer"]),
    ("lrwxrwxrwx 1 rdoe rdoe 32 Mar  4 09:12 .#views.py -> rdoe@orion26.4412:1709543564\n"
     "$ xauth list\nnimbus/unix:0  MIT-MAGIC-COOKIE-1  4f1c2e9b0d7a\n", ["nimbus", "orion26"]),
    # CI, HPC, configuration management, Kubernetes, mail
    ("/var/lib/buildkite-agent/builds/bramble-1/acme/api\n/var/log/remote/gpu-ryzon-29/syslog.log\n"
     "/etc/puppetlabs/puppet/ssl/certs/hermes.pem\n", ["bramble", "gpu-ryzon-29", "hermes"]),
    ("#SBATCH --nodelist=sequoia\n", ["sequoia"]),
    ("$ cat hostfile\ntundra slots=8\n", ["tundra"]),
    ("ok: [dioxyx]\nchanged: [fyven-node33] => (item=x)\nPLAY RECAP ****\n"
     "NALIO37                 : ok=3    changed=0    unreachable=0\n",
     ["NALIO37", "dioxyx", "fyven-node33"]),
    ("$ sudo salt '*' test.ping\nvriozh38:\n    True\n", ["vriozh38"]),
    ("Node:         fjord/10.0.3.7\n  Normal  Scheduled  default-scheduler  Successfully assigned "
     "prod/api-7f9c-x2k4q to magpie\n", ["fjord", "magpie"]),
    ("Running on runner-x7kq2b-project-41-concurrent-0 via lotus...\n", ["lotus"]),
    ("Building remotely on cedar (linux) in workspace /srv/x\nRunning on etl2 in /srv/y\n",
     ["cedar", "etl2"]),
    ("Received: from tundra (10.0.0.5) by heron with ESMTP id 4F1C2E9B\n", ["heron", "tundra"]),
    # Windows
    ("Host Name:                 QUARTZ\n   Host Name . . . . . . . . . . . . : QUARTZ\n"
     "\tWorkstation Name:\tMAEKRYGATH\n", ["MAEKRYGATH", "QUARTZ"]),
    ("Enter-PSSession -ComputerName SEQUOIA -Credential CORP\\rdoe\nmstsc /v:lulobar\n",
     ["SEQUOIA", "lulobar"]),
    # files and tables named after a machine
    ("$ restic snapshots\nID        Time                 Host        Paths\n"
     "4f1c2e9b  2025-03-03 02:00:01  KIKUX14     /home/rdoe\n", ["KIKUX14"]),
    ("$ borg list /srv/borg/repo\netl-jydrior-37-2025-03-03T02:00:01   Mon, 2025-03-03\n"
     "core.web-vrax-12.4412\n", ["etl-jydrior-37", "web-vrax-12"]),
    (">>> socket.gethostname()\n'dev15'\n", ["dev15"]),
    ("bertaw   5120  0.0  0.0  10044  4120 pts/3 S+   09:02   0:00 ssh -N -L 5432:localhost:5432"
     " hermes\n", ["hermes"]),
    ("cm-rdoe@heron37:22  config\nrdoe <rdoe@nimbus.(none)>\n", ["heron37", "nimbus"]),
    ("ansible-playbook -i zorvex21,kestrel, -u rdoe site.yml\n", ["kestrel", "zorvex21"]),
    # the machine of a login's handle, and of git's identity guessed from it
    ("Deploy started by rdoe@jaquy-build-10\nKey comment: tkral@nas-vorth-3\n",
     ["jaquy-build-10", "nas-vorth-3"]),
    ("$ git log -1 --format='%an <%ae>'\nrdoe <rdoe@cedar>\n", ["cedar"]),
    ("╭─rdoe@magpie ~/src/api ‹main›\n╰─$ make test\n", ["magpie"]),
])
def test_machine_names(text: str, names: list[str]) -> None:
    assert set(names) <= set(found(text, "HOSTNAME")), found(text, "HOSTNAME")


@pytest.mark.parametrize("text", [
    "Error: getaddrinfo ENOTFOUND redis\nError: getaddrinfo ENOTFOUND postgres\n",
    "root@5f2c9d1e8a77:/app# ls\n",
    "[ubuntu@localhost ~]$ ls\n Static hostname: localhost\n",
    "ok: [localhost]\nchanged: [localhost] => (item=x)\n",
    "server: production\nnode: leader\ninstance: primary\n",
    "host=localhost user=postgres dbname=app\n",
    "core.nginx.4412\nRunning on docker via gitlab-runner...\n",
    "File \"/usr/lib/python3.11/ssl.py\", line 1342\n/opt/conda/envs/torch\nnode_modules/express\n",
    "machine learning is fun\nlogin page\n",
])
def test_public_names_stay(text: str) -> None:
    assert found(text, "HOSTNAME") == []


@pytest.mark.parametrize(("text", "names"), [
    ("reads \\\\ws-kiopa-05\\users$\\leopoldob\\Documents and \\\\kravix\\homes\\rdcz\\reports",
     ["leopoldob", "rdcz"]),
    ("C:\\> dir \\\\QUARTZ26\\c$\\Users\\cobalt\\Desktop\n", ["cobalt"]),
    ("copy %SystemDrive%\\Users\\zdenekv\\Desktop\\app.cfg .\n", ["zdenekv"]),
    ("*/5 * * * * tango76 /usr/local/bin/rotate.sh\n", ["tango76"]),
    ("machine build.lan\n  login cobalt\n  password Fve*Y0Wp#VKX\n", ["cobalt"]),
    ("ERROR: /private/var/tmp/_bazel_lvicente/4f1c2e9b0d7a/external/x\n"
     "hadoop.tmp.dir=/tmp/hadoop-jerzykn64\nCreated local directory: /tmp/hive/tfulop72/7f1c\n",
     ["jerzykn64", "lvicente", "tfulop72"]),
    ("1 Socket in /run/screen/S-cstejskal.\n          owned by: gizmo75   dated: Tue Mar  4\n"
     "         user name: amude   host name: kestrel\n", ["amude", "cstejskal", "gizmo75"]),
    (".#views.py -> silind@orion26.4412:1709543564\n", ["silind"]),
    ("NAME                 READY   STATUS    AGE\njupyter-rwgabor       1/1     Running   2d\n"
     "    hub.jupyter.org/username: cdehmel\n", ["cdehmel", "rwgabor"]),
    ("edgubay99 <edgubay99@driofyfyv.(none)>\n"
     "r1412 | dionisiam | 2025-03-04 09:12:44 +0100 (Tue)\n",
     ["dionisiam", "edgubay99"]),
    ("Enter-PSSession -ComputerName X1 -Credential CORP\\malinad\n", ["malinad"]),
    ("Server=db01;Database=app;User Id=vkrejci;\nexport PGHOST=db02 PGUSER=hbalazs\n"
     "echo 'web3 ansible_user=tnovak' >> hosts\n", ["hbalazs", "tnovak", "vkrejci"]),
    ("[client]\nuser=ozelenka\nhost=db03\n", ["ozelenka"]),
    (">>> os.getlogin()\n'drasibraen'\n", ["drasibraen"]),
    ("login as: vojtak\nUsing keyboard-interactive authentication.\n", ["vojtak"]),
    ("$ kinit -k -t /etc/krb5.keytab mhorak42\n", ["mhorak42"]),
    ("$ ls /srv/www/jzelen/public_html\n", ["jzelen"]),
    ("╭─prochazk@magpie ~/src/api ‹main›\n╰─$ make test\n", ["prochazk"]),
    ("*/5 * * * * badger /usr/local/bin/rotate.sh\n", ["badger"]),
    # homes grouped by site, numbered, or redirected to a file server
    ("/home/staff/tkovar/runs and /home/corp.example.com/mdvor/x and /home2/jnovak3/archive\n",
     ["jnovak3", "mdvor", "tkovar"]),
    ("\\\\FS01\\redirected\\pbenes\\Desktop \\\\FS01\\homes$\\lsvob "
     "\\\\FS01\\UserHomes\\kmarek\n", ["kmarek", "lsvob", "pbenes"]),
])
def test_logins_in_paths_and_tools(text: str, names: list[str]) -> None:
    assert set(names) <= set(found(text, "USERNAME")), found(text, "USERNAME")


@pytest.mark.parametrize("text", [
    "0 3 * * * flock /tmp/x.lock /usr/local/bin/job.sh\n*/5 * * * * curl /dev/null\n",
    "[client]\nuser=root\n",
    "ls /tmp/hadoop-common /opt/hive/lib\n",
])
def test_tool_words_are_no_logins(text: str) -> None:
    assert found(text, "USERNAME") == []


def test_a_login_with_a_short_suffix_is_no_domain_folder() -> None:
    assert found("/home/anna.li/src and /home/users/tkovar/x", "USERNAME") == ["anna.li",
                                                                              "tkovar"]


def test_a_word_host_is_replaced_everywhere_and_restored() -> None:
    text = ("jdoe@kestrel:~$ uptime\nMar 04 10:00:01 kestrel sshd[1]: x\n"
            "ping kestrel works, so does redis:6379\n")
    veil = Veil(load_policy(default_policy_path()), b"k" * 32)
    [out], mapping = veil.anonymize([text])
    assert "kestrel" not in out
    assert "redis:6379" in out
    assert mapping.restore(out) == text
