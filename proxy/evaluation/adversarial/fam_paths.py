"""Tuning family: logins and machine names inside paths, handles and tool output of every OS.

Crash reports and stack traces (Python, Node, Java, .NET, Go, Rust, macOS), Windows profiles
and ``%USERPROFILE%`` expansions, UNC shares, WSL, Docker bind mounts, editor and tool
configuration (``.vscode``, ``.idea``, ``.npmrc``, ``.gitconfig``, ``known_hosts``, ssh
config, kubeconfig, ``.pgpass``, ``.netrc``), shell prompts and history, CI runner logs, mount
tables, rsync/scp/sftp targets, systemd units and cron, ``ls``/``ps``/``who``/``last``,
Jupyter, conda, pip and npm caches.

Logins come as ``first.last``, ``flast``, with digits, coined, transliterated, and as ordinary
words (``maple``, ``otter42``; never one inside another, and no first names, which the dummies
may be). Machines are words, words with digits, coined names,
fleet names (``build-kravon-07``), NetBIOS capitals and names under private suffixes. The
same fragments carry the public paths every machine has (``/usr/lib/python3``,
``node_modules``, ``site-packages``, ``/private/var/folders``), counted as public strings.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from proxy.evaluation.adversarial import paths_more
from proxy.evaluation.adversarial import values as v
from proxy.evaluation.adversarial.draft import Draft, calls, fence, tool, tool_call, user
from proxy.evaluation.adversarial.fam_shells import _login

Out = tuple[str, str, list[dict[str, Any]]]
Snippet = Callable[[Draft, list[str], list[str]], str]

# logins people pick that are ordinary words (handles, pets, trees)
_WORD_LOGINS = ("maple", "otter", "pixel", "ranger", "cobalt", "tango", "sparrow", "badger",
                "comet", "quokka", "falcon", "nebula", "gizmo", "mango", "tofu", "walrus")
# machines named after things (a fleet's theme)
_WORD_HOSTS = ("orion", "kestrel", "bramble", "tundra", "lotus", "magpie", "quartz", "zephyr",
               "hermes", "nimbus", "cedar", "pluto", "fjord", "atlas", "heron", "sequoia")
_ROLES = ("build", "db", "gpu", "ci", "web", "nas", "fs", "ws", "dev", "etl", "jump")
_SUFFIXES = ("internal", "corp", "lan", "local", "intranet", "home.arpa", "localdomain")
_USER_SHAPES = ("first.last", "flast", "digits", "coin", "word", "translit", "wordnum",
                "first_last", "digits", "firstl")


def _user(d: Draft, shape: str) -> str:
    taken = {s["text"].lower() for s in d.sensitive}
    if shape in ("word", "wordnum", "coin"):
        while True:
            w = d.word() if shape == "coin" else d.pick(_WORD_LOGINS)
            if shape == "wordnum":
                w += str(d.rng.randint(1, 99))
            if not any(w in t or t in w for t in taken):  # no login inside another
                return d.pii(w, "USERNAME")
    return _login(d, shape)


def _host(d: Draft, shape: int) -> str:
    n = d.rng.randint(1, 40)
    w = d.word()
    out = (d.pick(_WORD_HOSTS), f"{d.pick(_WORD_HOSTS)}{n:02d}", w,
           f"{d.pick(_ROLES)}-{w}-{n:02d}", f"{w[:6].upper()}{n:02d}",
           f"{d.pick(_ROLES)}{n}.{d.word()}.{d.pick(_SUFFIXES)}",
           f"{w}-{d.pick(['node', 'runner', 'worker'])}{n}",
           f"{d.pick(_WORD_HOSTS)}.{d.pick(_SUFFIXES)}")[shape % 8]
    return d.pii(out, "HOSTNAME")


def _short(d: Draft, h: str) -> str:
    """The machine's first label, as prompts and logs print it."""
    return d.pii(h.split(".")[0], "HOSTNAME")


# -- stack traces and crash reports --------------------------------------------------------------

def _py_mac(d: Draft, u: list[str], h: list[str]) -> str:
    d.pub("/opt/homebrew/Cellar/python@3.11/", "/private/var/folders/")
    return fence("text", "Traceback (most recent call last):\n"
                 f'  File "/Users/{u[0]}/miniconda3/envs/etl/lib/python3.11/site-packages/pandas'
                 '/io/parsers/readers.py", line 912, in read_csv\n'
                 '  File "/opt/homebrew/Cellar/python@3.11/3.11.8/Frameworks/Python.framework/'
                 'Versions/3.11/lib/python3.11/tempfile.py", line 371, in mkstemp\n'
                 "FileNotFoundError: [Errno 2] No such file or directory: '/private/var/folders/"
                 "7x/k2l9q_0n1w3b/T/tmpa81k.csv'\n")


def _node(d: Draft, u: list[str], h: list[str]) -> str:
    d.pub("node:internal/process/task_queues", "node_modules/express/lib/router")
    return fence("text", f"Error: getaddrinfo ENOTFOUND {h[0]}\n"
                 f"    at Layer.handle (C:\\Users\\{u[0]}\\dev\\shop\\node_modules\\express\\lib\\"
                 "router\\layer.js:95:5)\n"
                 "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)"
                 f"\n    at /home/{u[1]}/shop/node_modules/express/lib/router/index.js:284:7\n"
                 f"npm ERR! A complete log of this run can be found in: C:\\Users\\{u[0]}\\AppData"
                 "\\Local\\npm-cache\\_logs\\2025-03-04T09_12_44_019Z-debug-0.log\n")


def _java(d: Draft, u: list[str], h: list[str]) -> str:
    d.pub("org.springframework.boot", "/usr/lib/jvm/java-17-openjdk-amd64/")
    return fence("text", "org.springframework.boot.SpringApplication: Application run failed\n"
                 f"java.net.UnknownHostException: {h[0]}: Name or service not known\n"
                 "\tat java.base/java.net.InetAddress.getAllByName0(InetAddress.java:1534)\n"
                 f"Caused by: java.io.FileNotFoundException: /home/{u[0]}/.gradle/caches/"
                 "modules-2/files-2.1/app.jar (Permission denied)\n"
                 "# An error report file with more information is saved as:\n"
                 f"# /home/{u[1]}/work/billing/hs_err_pid4412.log\n"
                 "JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64/\n")


def _dotnet(d: Draft, u: list[str], h: list[str]) -> str:
    d.pub("Microsoft.Extensions.Hosting", "System.Net.Http.HttpRequestException")
    return fence("text", "Unhandled exception. System.Net.Http.HttpRequestException: No such host "
                 f"is known. ({h[0]}:443)\n"
                 f"   at Billing.Worker.RunAsync() in C:\\Users\\{u[0]}\\source\\repos\\Billing\\"
                 "Worker.cs:line 42\n"
                 "   at Microsoft.Extensions.Hosting.Internal.Host.StartAsync()\n"
                 f"   at Billing.Program.Main() in /Users/{u[1]}/Projects/Billing/"
                 "Program.cs:line 9\n")


def _go(d: Draft, u: list[str], h: list[str]) -> str:
    d.pub("/usr/local/go/src/runtime/panic.go", "goroutine 1 [running]:")
    return fence("text", f"panic: dial tcp: lookup {h[0]} on 127.0.0.53:53: no such host\n\n"
                 "goroutine 1 [running]:\nmain.mustConnect(...)\n"
                 f"\t/home/{u[0]}/src/ledger/cmd/ledger/main.go:42 +0x1d4\n"
                 "runtime.gopanic({0x8c1e40, 0xc000012345})\n"
                 "\t/usr/local/go/src/runtime/panic.go:770 +0x132\n"
                 f"exit status 2\nGOPATH=/Users/{u[1]}/go\n")


def _rust(d: Draft, u: list[str], h: list[str]) -> str:
    d.pub("note: run with `RUST_BACKTRACE=1`", "/rustc/")
    return fence("text", f"thread 'main' panicked at /home/{u[0]}/.cargo/registry/src/"
                 "index.crates.io-6f17d22bba15001f/tokio-1.36.0/src/runtime/blocking/shutdown.rs"
                 ":51:21:\n"
                 f"called `Result::unwrap()` on an `Err` value: failed to lookup address "
                 f"information for {h[0]}\n"
                 "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n"
                 "   0: std::panicking::begin_panic_handler\n"
                 "             at /rustc/90b35a6239c3d8bdabc530a6a0816f7ff89a0aaf/library/std/src/"
                 "panicking.rs:645:5\n"
                 f"   1: ingest::main\n             at /Users/{u[1]}/code/ingest/src/"
                 "main.rs:12:5\n")


def _mac_crash(d: Draft, u: list[str], h: list[str]) -> str:
    d.pub("/System/Library/Frameworks/", "Crashed Thread:")
    return fence("text", "Process:               Viewer [8812]\n"
                 f"Path:                  /Users/{u[0]}/Applications/Viewer.app/Contents/MacOS/"
                 "Viewer\nCode Type:             ARM-64 (Native)\n"
                 f"Anonymous UUID:        {v.rand(d.rng, 8, '0123456789ABCDEF')}\n"
                 "Crashed Thread:        0  Dispatch queue: com.apple.main-thread\n"
                 "0   AppKit  0x18f2  /System/Library/Frameworks/AppKit.framework/AppKit\n"
                 f"Saved to /Users/{u[0]}/Library/Logs/DiagnosticReports/Viewer-2025-03-04.ips "
                 f"on {_short(d, h[0])}.local\n")


# -- Windows, shares, WSL, containers ------------------------------------------------------------

def _win_env(d: Draft, u: list[str], h: list[str]) -> str:
    name = _short(d, h[0]).upper()
    d.pii(name, "HOSTNAME")
    d.pub("%USERPROFILE%\\.aws", "USERDOMAIN=CORP")
    return ("`%USERPROFILE%\\.aws\\credentials` is not found. What cmd shows:\n"
            + fence("text", f"C:\\> echo %USERPROFILE%\nC:\\Users\\{u[0]}\n"
                    f"C:\\> set\nCOMPUTERNAME={name}\nHOMEPATH=\\Users\\{u[0]}\n"
                    f"LOGONSERVER=\\\\DC{d.rng.randint(1, 9)}\nUSERDOMAIN=CORP\n"
                    f"PS> $env:USERPROFILE\nC:\\Users\\{u[1]}\n"))


def _unc(d: Draft, u: list[str], h: list[str]) -> str:
    d.pub("\\\\localhost\\c$")
    return (f"The report job writes to \\\\{h[0]}\\homes\\{u[0]}\\reports and reads "
            f"\\\\{_short(d, h[1])}\\users$\\{u[1]}\\Documents\\input.xlsx; "
            "\\\\localhost\\c$ works from the same box.")


def _wsl(d: Draft, u: list[str], h: list[str]) -> str:
    d.pub("/mnt/c/Program Files/", "/mnt/wslg/")
    return fence("console", f"{u[0]}@{_short(d, h[0])}:/mnt/c/Users/{u[1]}/Downloads$ ls\n"
                 "/mnt/c/Program Files/Docker/Docker/resources/bin/docker\n"
                 f"$ explorer.exe .  # opens \\\\wsl.localhost\\Ubuntu-22.04\\home\\{u[0]}\n"
                 "/mnt/wslg/runtime-dir is fine\n")


def _docker(d: Draft, u: list[str], h: list[str]) -> str:
    d.pub("-v /var/run/docker.sock:/var/run/docker.sock", "/root/.aws:ro")
    return fence("bash", f"docker run --rm -v /home/{u[0]}/projects/api:/app "
                 f"-v /Users/{u[1]}/.aws:/root/.aws:ro -v /var/run/docker.sock:/var/run/docker.sock"
                 f" api:dev\nDOCKER_HOST=ssh://{u[2]}@{h[0]} docker ps\n") + "\n" + fence(
        "yaml", f"services:\n  api:\n    volumes:\n      - /home/{u[0]}/data:/data\n"
                f"    extra_hosts:\n      - \"{h[1]}:10.20.{d.rng.randint(0, 9)}.4\"\n")


# -- editor and tool configuration ---------------------------------------------------------------

def _ide(d: Draft, u: list[str], h: list[str]) -> str:
    d.pub("$USER_HOME$/.pyenv", '"request": "launch"')
    return ".vscode/launch.json and .idea/workspace.xml:\n" + fence(
        "json", '{"configurations": [{"request": "launch", "program": "${file}",\n'
                f'  "cwd": "/home/{u[0]}/src/api", "envFile": "/home/{u[0]}/.env.local"}}]}}') + \
        "\n" + fence("xml", '<option name="SDK_HOME" value="$USER_HOME$/.pyenv/versions/3.11/bin/'
                     'python" />\n<option name="INTERPRETER" value="sftp://'
                     f'{u[1]}@{h[0]}:22/home/{u[1]}/venvs/api/bin/python" />\n')


def _npm_git(d: Draft, u: list[str], h: list[str]) -> str:
    d.pub("registry=https://registry.npmjs.org/", "[safe]")
    return "~/.npmrc\n" + fence("ini", "registry=https://registry.npmjs.org/\n"
                                f"cache=/home/{u[0]}/.npm-cache\nprefix=/Users/{u[0]}/.npm-global\n"
                                ) + "\n~/.gitconfig\n" + fence(
        "ini", f"[include]\n\tpath = /home/{u[1]}/.gitconfig-work\n[safe]\n"
               f"\tdirectory = /home/{u[1]}/src/portal\n"
               f"[url \"ssh://git@{h[0]}:7999/\"]\n\tinsteadOf = https://{h[0]}/scm/\n")


def _ssh_files(d: Draft, u: list[str], h: list[str]) -> str:
    d.pub("IdentitiesOnly yes")
    key = "AAAAC3NzaC1lZDI1NTE5AAAAI" + v.rand(d.rng, 43)
    return "~/.ssh/known_hosts and ~/.ssh/config:\n" + fence(
        "text", f"{h[0]},10.1.{d.rng.randint(0, 9)}.3 ssh-ed25519 {key}\n"
                f"[{h[1]}]:2222 ssh-ed25519 {key[:-4]}Qk9z\n") + "\n" + fence(
        "ssh-config", f"Host jump\n  HostName {h[2]}\n  User {u[0]}\n"
                      f"  IdentityFile /home/{u[0]}/.ssh/id_ed25519\n  IdentitiesOnly yes\n")


def _kube(d: Draft, u: list[str], h: list[str]) -> str:
    d.pub("certificate-authority-data", "current-context")
    return fence("yaml", f"clusters:\n- cluster:\n    server: https://{h[0]}:6443\n"
                 "    certificate-authority-data: LS0tLS1CRUdJTi...\n  name: onprem\n"
                 f"users:\n- name: {u[0]}-onprem\n  user:\n"
                 f"    client-certificate: /home/{u[0]}/.minikube/profiles/onprem/client.crt\n"
                 "current-context: onprem\n")


def _pgpass_netrc(d: Draft, u: list[str], h: list[str]) -> str:
    d.pub("PGPASSFILE", "machine api.github.com")
    pw1, pw2 = d.secret(v.password(d.rng), "PASSWORD"), d.secret(v.password(d.rng), "PASSWORD")
    return "~/.pgpass\n" + fence("text", f"{h[0]}:5432:billing:{u[0]}:{pw1}\n") + \
        "\n~/.netrc\n" + fence("text", f"machine {h[1]}\n  login {u[1]}\n  password {pw2}\n"
                               "machine api.github.com login x-access-token\n") + \
        f"\nPGPASSFILE=/home/{u[0]}/.pgpass is set."


# -- shells ------------------------------------------------------------------------------------

def _prompts(d: Draft, u: list[str], h: list[str]) -> str:
    d.pub("root@", "(base) ")
    a, b, c = (_short(d, x) for x in h)
    return fence("console", f"(base) {u[0]}@{a}:~/src$ make\n"
                 f"[{u[1]}@{b} ~]$ sudo -i\nroot@{b}:~# exit\n"
                 f"{u[2]}@{c} ~/proj> git pull   # fish\n"
                 f"{u[0]}@{a} ~ % brew upgrade\n"
                 f"PS C:\\Users\\{u[1]}\\repo> dotnet test\n")


def _history(d: Draft, u: list[str], h: list[str]) -> str:
    d.pub("history | tail", "rsync -avz --delete")
    return "$ history | tail\n" + fence("text", f"  501  ssh {u[0]}@{h[0]}\n"
                                        f"  502  rsync -avz --delete ./dist/ {u[1]}@{h[1]}:"
                                        f"/var/www/\n  503  scp {h[2]}:/home/{u[2]}/dump.sql .\n"
                                        f"  504  sftp -P 2222 {u[0]}@{h[1]}\n") + "\n" + fence(
        "text", f": 1712345678:0;rsync -e 'ssh -p 2222' -av {u[2]}@{h[0]}:/home/{u[2]}/results/ "
                "./results/\n")


def _sftp(d: Draft, u: list[str], h: list[str]) -> str:
    d.pub("sftp> pwd", "Remote working directory:")
    return fence("text", f"$ sftp {u[0]}@{h[0]}\nConnected to {h[0]}.\nsftp> pwd\n"
                 f"Remote working directory: /home/{u[0]}\nsftp> put report.csv\n"
                 f"Uploading report.csv to /home/{u[0]}/report.csv\n")


# -- CI, mounts, services ----------------------------------------------------------------------

def _ci(d: Draft, u: list[str], h: list[str]) -> str:
    d.pub("/home/gitlab-runner/builds/", "Running with gitlab-runner")
    a, b = _short(d, h[0]), _short(d, h[1])
    return fence("text", f"Current runner version: '2.314.1'\nRunner name: '{a}'\n"
                 f"Machine name: '{a}'\n"
                 f"/home/{u[0]}/actions-runner/_work/api/api\n"
                 "Running with gitlab-runner 16.9.1 (782c6ecb)\n"
                 f"Running on {b} via runner-xk2-{d.rng.randint(10, 99)}...\n"
                 "Fetching changes to /home/gitlab-runner/builds/x1/platform/api\n"
                 f"Building remotely on {b} (linux) in workspace /home/{u[1]}/jenkins/"
                 "workspace/api\n")


def _mounts(d: Draft, u: list[str], h: list[str]) -> str:
    d.pub("/dev/nvme0n1p2", "tmpfs")
    return "/etc/fstab and mount:\n" + fence(
        "text", f"{h[0]}:/export/home/{u[0]}  /home/{u[0]}  nfs  defaults,_netdev  0 0\n"
                f"//{_short(d, h[1])}/{u[1]}  /mnt/{u[1]}  cifs  "
                f"credentials=/home/{u[1]}/.smbcred  0 0\n"
                "/dev/nvme0n1p2  /  ext4  errors=remount-ro  0 1\n"
                "tmpfs  /tmp  tmpfs  defaults  0 0\n"
                f"$ mount | grep nfs\n{h[2]}:/vol/projects on /mnt/projects type nfs4 "
                "(rw,relatime)\n"
                f"$ df -h /home/{u[0]}\n{h[0]}:/export/home/{u[0]}  2.0T  1.1T  900G  55% "
                f"/home/{u[0]}\n")


def _systemd_cron(d: Draft, u: list[str], h: list[str]) -> str:
    d.pub("WantedBy=multi-user.target", "CRON[")
    a = _short(d, h[0])
    return fence("ini", f"[Service]\nUser={u[0]}\nEnvironment=HOME=/home/{u[0]}\n"
                 f"ExecStart=/home/{u[0]}/bin/sync.sh\n\n[Install]\n"
                 "WantedBy=multi-user.target\n") + "\n" + fence(
        "text", f"*/5 * * * * {u[1]} /usr/local/bin/rotate.sh\n"
                f"Mar 04 10:00:01 {a} CRON[4412]: ({u[2]}) CMD (/home/{u[2]}/bin/backup.sh)\n")


def _ls_who(d: Draft, u: list[str], h: list[str]) -> str:
    d.pub("lost+found", "reboot   system boot")
    return fence("text", f"$ ls -l /home\ndrwxr-x--- 12 {u[0]} {u[0]} 4096 Mar  3 10:12 {u[0]}\n"
                 "drwx------  2 root root 16384 Jan 11 08:02 lost+found\n"
                 f"$ who\n{u[1]}   pts/1        2025-03-04 09:12 ({h[0]})\n"
                 f"$ last -n 2\n{u[2]}   pts/0        {_short(d, h[1])}   Tue Mar  4 08:01   still "
                 "logged in\nreboot   system boot  6.8.0-41-generic Mon Mar  3 21:58\n")


def _ps(d: Draft, u: list[str], h: list[str]) -> str:
    d.pub("/usr/sbin/sshd -D", "postgres: checkpointer")
    return fence("text", "USER         PID %CPU %MEM    VSZ   RSS TTY   STAT START   TIME COMMAND\n"
                 "root         812  0.0  0.1  15432  9120 ?     Ss   Mar01   0:00 "
                 "/usr/sbin/sshd -D\n"
                 "postgres     901  0.0  0.2 215332 31210 ?     Ss   Mar01   0:02 "
                 "postgres: checkpointer\n"
                 f"{u[0]:<9}  4412 98.0 12.1 981234 670221 ?     Rl   08:14 312:10 "
                 f"/home/{u[0]}/.local/bin/jupyter-lab --port 8888\n"
                 f"{u[1]:<9}  5120  0.0  0.0  10044  4120 pts/3 S+   09:02   0:00 "
                 f"ssh -N -L 5432:localhost:5432 {h[0]}\n")


def _envs(d: Draft, u: list[str], h: list[str]) -> str:
    d.pub("/opt/conda/pkgs", "/usr/local/share/jupyter")
    return fence("text", f"$ jupyter --paths\nconfig:\n    /Users/{u[0]}/.jupyter\n"
                 "    /usr/local/etc/jupyter\ndata:\n"
                 f"    /Users/{u[0]}/Library/Jupyter\n    /usr/local/share/jupyter\n"
                 f"$ conda info\n       user config file : /home/{u[1]}/.condarc\n"
                 f"       envs directories : /home/{u[1]}/.conda/envs\n"
                 "                          /opt/conda/envs\n"
                 f"          package cache : /opt/conda/pkgs\n"
                 f"$ pip cache dir\nC:\\Users\\{u[2]}\\AppData\\Local\\pip\\Cache\n"
                 f"$ npm config get cache\n/Users/{u[0]}/.npm\n")


def _host_files(d: Draft, u: list[str], h: list[str]) -> str:
    d.pub("Operating System: Ubuntu 22.04.4 LTS", "Static hostname:")
    a, b = _short(d, h[0]), _short(d, h[1])
    return fence("text", f"$ hostnamectl\n Static hostname: {a}\n       Icon name: computer-vm\n"
                 "Operating System: Ubuntu 22.04.4 LTS\n"
                 f"$ cat /etc/hostname\n{a}\n$ uname -a\nLinux {b} 6.8.0-41-generic #41-Ubuntu "
                 "SMP x86_64 GNU/Linux\n")


# -- per-user and per-host files tools make ------------------------------------------------------

def _vim_swap(d: Draft, u: list[str], h: list[str]) -> str:
    d.pub("E325: ATTENTION", "While opening file")
    return fence("text", "E325: ATTENTION\nFound a swap file by the name \".settings.py.swp\"\n"
                 f"          owned by: {u[0]}   dated: Tue Mar  4 09:12:44 2025\n"
                 f"         file name: ~{u[0]}/src/api/settings.py\n          modified: YES\n"
                 f"         user name: {u[0]}   host name: {_short(d, h[0])}\n"
                 "        process ID: 4412\nWhile opening file \"settings.py\"\n")


def _emacs_x11(d: Draft, u: list[str], h: list[str]) -> str:
    d.pub("MIT-MAGIC-COOKIE-1", "/tmp/.X11-unix/")
    a = _short(d, h[0])
    return fence("text", f"$ ls -la src/\nlrwxrwxrwx 1 {u[0]} {u[0]} 32 Mar  4 09:12 .#views.py -> "
                 f"{u[0]}@{a}.4412:1709543564\n"
                 f"$ xauth list\n{a}/unix:0  MIT-MAGIC-COOKIE-1  {v.hex_token(d.rng, 32)}\n"
                 f"$ echo $DISPLAY\n{a}:0\n$ ls /tmp/.X11-unix/\nX0\n")


def _sockets(d: Draft, u: list[str], h: list[str]) -> str:
    d.pub("/run/user/1001/", "/tmp/tmux-1001/default")
    return fence("text", f"$ screen -ls\nThere is a screen on:\n\t4412.pts-0.{_short(d, h[0])}\t"
                 f"(Detached)\n1 Socket in /run/screen/S-{u[0]}.\n"
                 "$ ls /tmp/tmux-1001/default /run/user/1001/bus\n"
                 f"$ ls -d /tmp/*-{u[2]}\n/tmp/hadoop-{u[2]}  /tmp/pytest-of-{u[2]}\n")


def _build_caches(d: Draft, u: list[str], h: list[str]) -> str:
    d.pub("external/bazel_tools", "hadoop.tmp.dir")
    return fence("text", f"ERROR: /private/var/tmp/_bazel_{u[0]}/4f1c2e9b0d7a/external/"
                 "bazel_tools/tools/cpp/BUILD:58:19: Compiling failed\n"
                 f"24/03/04 09:12:01 INFO util.GSet: hadoop.tmp.dir=/tmp/hadoop-{u[1]}\n"
                 f"24/03/04 09:12:02 INFO SessionState: Created local directory: /tmp/hive/{u[2]}"
                 "/7f1c2e9b\n")


def _kerberos(d: Draft, u: list[str], h: list[str]) -> str:
    realm = d.word().upper() + ".CORP"
    d.pub("Ticket cache: FILE:/tmp/krb5cc_", "krbtgt/")
    return fence("text", "$ klist\nTicket cache: FILE:/tmp/krb5cc_1001\n"
                 f"Default principal: {u[0]}@{realm}\n\n"
                 "  Valid starting     Expires            Service principal\n"
                 f"03/04/25 09:12:01  03/04/25 19:12:01  krbtgt/{realm}@{realm}\n"
                 f"03/04/25 09:13:44  03/04/25 19:12:01  host/{_short(d, h[0])}.{realm.lower()}@"
                 f"{realm}\n")


def _hub(d: Draft, u: list[str], h: list[str]) -> str:
    d.pub("hub.jupyter.org/username", "jupyterhub/singleuser")
    return fence("text", "$ kubectl get pods -n jhub\nNAME                 READY   STATUS    AGE\n"
                 f"jupyter-{u[0]}       1/1     Running   2d\n"
                 f"jupyter-{u[1]}       1/1     Running   4h\n"
                 "hub-7c9f6d5b8-x2k4q  1/1     Running   9d\n"
                 f"$ kubectl get pod jupyter-{u[0]} -o yaml | grep username\n"
                 f"    hub.jupyter.org/username: {u[0]}\n"
                 "    image: jupyterhub/singleuser:4.0\n")


def _host_dirs(d: Draft, u: list[str], h: list[str]) -> str:
    d.pub("/var/log/remote/", "/etc/puppetlabs/puppet/ssl/certs/")
    a, b, c = (_short(d, x) for x in h)
    return fence("text", f"/var/log/remote/{a}/syslog.log\n"
                 f"/var/lib/buildkite-agent/builds/{b}-1/acme/api\n"
                 f"/etc/puppetlabs/puppet/ssl/certs/{c}.pem\n"
                 f"/var/lib/jenkins/nodes/{b}/config.xml\n"
                 f"core.{a}.4412\n")


def _hpc(d: Draft, u: list[str], h: list[str]) -> str:
    d.pub("#SBATCH --time=", "slots=8")
    a, b = _short(d, h[0]), _short(d, h[1])
    return fence("bash", f"#SBATCH --time=04:00:00\n#SBATCH --nodelist={a}\n"
                 f"#SBATCH --output=/scratch/{u[0]}/logs/%j.out\n") + "\n" + fence(
        "text", f"$ cat hostfile\n{a} slots=8\n{b} slots=8\n"
                f"$ squeue -u {u[0]}\n  JOBID PARTITION  NAME     USER ST   TIME  NODES "
                f"NODELIST(REASON)\n 881234       gpu train {u[0]:>8}  R  2:01:44      1 {b}\n")


def _share_urls(d: Draft, u: list[str], h: list[str]) -> str:
    d.pub("smb://", "-fstype=nfs")
    a, b = _short(d, h[0]), _short(d, h[1])
    return (f"Finder connects to smb://{a}/projects and afp://{b}/TimeMachine; "
            f"`sshfs {u[0]}@{a}:/data /mnt/data` works.\n" + fence(
                "text", f"/etc/auto.home:\n*  -fstype=nfs,rw  {b}:/export/home/&\n"
                        f"$ showmount -e {b}\nExport list for {b}:\n/export/home *\n"))


def _win_admin(d: Draft, u: list[str], h: list[str]) -> str:
    d.pub("The command completed successfully.")
    a = _short(d, h[0]).upper()
    d.pii(a, "HOSTNAME")
    dom = d.pick(["CORP", "AD", "EMEA"])
    return fence("text", f"C:\\> whoami\n{dom.lower()}\\{u[0]}\n"
                 f"C:\\> dir \\\\{a}\\c$\\Users\\{u[1]}\\Desktop\n"
                 f"C:\\> runas /user:{dom}\\{u[2]} cmd\n"
                 f"C:\\> net use Z: \\\\{a}\\data /user:{dom}\\{u[0]}\n"
                 "The command completed successfully.\n")


def _agents(d: Draft, u: list[str], h: list[str]) -> str:
    d.pub("Agent name:", "##[section]Starting:")
    a, b = _short(d, h[0]), _short(d, h[1])
    return fence("text", f"##[section]Starting: Initialize job\nAgent name: '{a}'\n"
                 f"Agent machine name: '{a}'\nCurrent agent version: '3.236.1'\n"
                 f"Running on {b} in /home/{u[0]}/agent/_work/1/s\n"
                 f"BUILDKITE_AGENT_NAME={b}-1\n")


SNIPPETS: tuple[Snippet, ...] = (
    _py_mac, _node, _java, _dotnet, _go, _rust, _mac_crash, _win_env, _unc, _wsl, _docker, _ide,
    _npm_git, _ssh_files, _kube, _pgpass_netrc, _prompts, _history, _sftp, _ci, _mounts,
    _systemd_cron, _ls_who, _ps, _envs, _host_files, _vim_swap, _emacs_x11, _sockets,
    _build_caches, _kerberos, _hub, _host_dirs, _hpc, _share_urls, _win_admin, _agents,
    *(lambda d, u, h, make=make: make(d, u, h, _short) for make in paths_more.SNIPPETS),
)
_PER_RECORD = 12
_ASKS = ("What is going on here?", "Why does this only fail on this machine?",
         "Can you explain these paths?", "How do I fix this setup?")


def paths_hosts(d: Draft, i: int) -> Out:
    """Twelve pasted fragments, each with logins and machines of its own."""
    n = len(SNIPPETS)
    parts = []
    for k in range(_PER_RECORD):
        make = SNIPPETS[(i * _PER_RECORD + k) % n]
        shapes = [_USER_SHAPES[(i * 5 + k * 3 + j) % len(_USER_SHAPES)] for j in range(3)]
        hosts = [_host(d, i * 3 + k + j) for j in range(3)]
        parts.append(make(d, [_user(d, s) for s in shapes], hosts))
    pasted = "\n\n".join(parts)
    d.sensitive = [s for s in d.sensitive if s["text"] in pasted]
    ask = d.pick(_ASKS)
    if i % 2:
        return "shell", "debug", [
            user(f"{parts[0]}\n\n{ask}"),
            calls(tool_call("call_1", "run_terminal", {"command": "collect-diagnostics"})),
            tool("call_1", "\n\n".join(parts[1:])),
        ]
    return "shell", "debug", [user(f"{pasted}\n\n{ask}")]
