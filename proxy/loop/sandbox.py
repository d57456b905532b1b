"""Running untrusted programs: never in the gateway process.

Each run is a fresh ``bwrap`` sandbox: every namespace unshared (no network), the runtime
read-only, a private tmpfs ``/tmp``, neutral path, user and host name, a cleared environment and
no capabilities.

Files are memory: the only writable mounts are two size-limited tmpfs, ``/tmp`` (3/4 of
``tmpfs_mb``) and ``/dev/shm`` (1/4), and the rest of ``/dev`` is read-only. ``tmpfs_mb``
(default a quarter of ``memory_mb``) comes out of the run's memory: the address-space limit is
``memory_mb - tmpfs_mb``, so a program that writes files instead of allocating gets no more than
``memory_mb`` either way (a write past it fails with ENOSPC). The address-space limit is per
process, like every rlimit; the process limit bounds how many there are.

Resource limits (``prlimit``: address space, CPU seconds, processes, file size,
open files) apply to everything inside; a wall-clock timer kills the whole process tree (the
sandbox has its own PID namespace and dies with its parent); stdout and stderr are capped.

No nested user namespaces (``--disable-userns``, bubblewrap 0.8 and later) and a seccomp filter
(``proxy/loop/seccomp.py``) over every system call: namespaces, mounts, ptrace, keyrings, bpf,
modules and the like fail with EPERM.

As root, each concurrent run gets its own unprivileged uid (``setpriv``), so the process limit
holds and nothing runs as root. Without bubblewrap the sandbox refuses to run unless the config
explicitly allows ``limits-only`` mode (limits, timeout and caps, but no isolation).

The verdict comes from the harness (``harness.py``), which never runs candidate code: the
program runs in a worker process of its own, and only the harness writes to the stdout read
here.

Languages plug in through ``LANGUAGES``: how to start the runner for a language. Python first.
"""

from __future__ import annotations

import abc
import asyncio
import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from proxy.loop import seccomp

HARNESS = Path(__file__).with_name("harness.py")
SANDBOX_HARNESS = "/opt/codeveil/harness.py"
WORKDIR = "/tmp/work"
UID_BASE = 61000


class SandboxUnavailable(RuntimeError):
    """No safe way to run code here; the message says what to install or configure."""


@dataclass
class Limits:
    memory_mb: int = 512
    cpu_s: int = 10
    procs: int = 32
    file_mb: int = 16
    open_files: int = 64
    wall_s: float = 20.0
    test_s: float = 5.0
    output_kb: int = 256
    tmpfs_mb: int | None = None  # the writable mounts together; None: memory_mb // 4

    def files_mb(self) -> int:
        return max(4, self.tmpfs_mb if self.tmpfs_mb is not None else self.memory_mb // 4)

    def address_space_mb(self) -> int:
        return max(32, self.memory_mb - self.files_mb())


@dataclass
class SandboxConfig:
    mode: str = "bwrap"  # bwrap | limits-only
    allow_limits_only: bool = False
    python: str | None = None
    concurrency: int = 4
    uid_base: int = UID_BASE  # as root: run k of a concurrent batch runs as uid_base + k
    limits: Limits = field(default_factory=Limits)

    @classmethod
    def from_dict(cls, spec: dict[str, Any] | None) -> SandboxConfig:
        spec = dict(spec or {})
        limits = Limits(**(spec.pop("limits", None) or {}))
        known = {k: spec[k] for k in ("mode", "allow_limits_only", "python", "concurrency",
                                                "uid_base")
                 if k in spec}
        return cls(limits=limits, **known)


@dataclass
class RawResult:
    stdout: str
    stderr: str
    returncode: int | None
    timed_out: bool = False
    truncated: bool = False
    wall_s: float = 0.0


def _python(cfg: SandboxConfig) -> str:
    if cfg.python:
        return cfg.python
    return "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable


def _prefix_of(interp: str) -> str | None:
    """The install prefix to bind read-only when the interpreter lives outside /usr."""
    real = os.path.realpath(interp)
    if real.startswith("/usr/"):
        return None
    return str(Path(real).parent.parent)


class Sandbox:
    def __init__(self, cfg: SandboxConfig | None = None) -> None:
        self.cfg = cfg or SandboxConfig()
        self.bwrap = shutil.which("bwrap")
        self.prlimit = shutil.which("prlimit")
        self.setpriv = shutil.which("setpriv")
        self._slots: asyncio.Queue[int] | None = None
        self._userns_switch: bool | None = None

    def disables_userns(self) -> bool:
        """Whether this bubblewrap has ``--disable-userns`` (0.8.0 and later)."""
        if self._userns_switch is None:
            try:
                out = subprocess.run([self.bwrap or "bwrap", "--version"], capture_output=True,
                                     text=True, timeout=10).stdout
            except (OSError, subprocess.SubprocessError):
                out = ""
            m = re.search(r"(\d+)\.(\d+)", out)
            self._userns_switch = bool(m) and (int(m[1]), int(m[2])) >= (0, 8)
        return self._userns_switch

    @property
    def isolated(self) -> bool:
        return self.cfg.mode != "limits-only" and self.bwrap is not None

    def check(self) -> None:
        if self.prlimit is None:
            raise SandboxUnavailable("prlimit (util-linux) is needed to limit resources")
        if self.isolated:
            return
        if not self.cfg.allow_limits_only:
            raise SandboxUnavailable(
                "bubblewrap (bwrap) is not installed, so CodeVeil will not run generated code; "
                "install it (apt-get install -y bubblewrap) or set "
                "loop.sandbox.allow_limits_only: true to accept limits without isolation"
            )

    def _limits(self) -> list[str]:
        lim = self.cfg.limits
        return [
            self.prlimit or "prlimit",
            f"--as={lim.address_space_mb() * 1024 * 1024}",
            f"--cpu={lim.cpu_s}",
            f"--fsize={lim.file_mb * 1024 * 1024}",
            f"--nofile={lim.open_files}",
            "--core=0",
            *([f"--nproc={lim.procs}"] if os.geteuid() == 0 else []),
            "--",
        ]

    def _drop(self, slot: int) -> list[str]:
        if os.geteuid() != 0 or self.setpriv is None:
            return []
        uid = self.cfg.uid_base + slot
        return [self.setpriv, f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
                "--inh-caps=-all", "--bounding-set=-all", "--"]

    def _bwrap(self, argv: list[str], seccomp_fd: int | None) -> list[str]:
        interp = argv[0]
        cmd = [self.bwrap or "bwrap", "--unshare-all", "--die-with-parent", "--new-session"]
        if self.disables_userns():
            cmd += ["--unshare-user", "--disable-userns"]
        if seccomp_fd is not None:
            cmd += ["--seccomp", str(seccomp_fd)]
        cmd += ["--ro-bind", "/usr", "/usr"]
        for name in ("bin", "lib", "lib64", "sbin"):
            p = Path("/") / name
            if p.is_symlink():
                cmd += ["--symlink", os.readlink(p), str(p)]
            elif p.exists():
                cmd += ["--ro-bind", str(p), str(p)]
        prefix = _prefix_of(interp)
        if prefix:
            cmd += ["--ro-bind", prefix, prefix]
        files = self.cfg.limits.files_mb() * 1024 * 1024
        cmd += [
            "--ro-bind", str(HARNESS), SANDBOX_HARNESS,
            "--size", str(files * 3 // 4), "--tmpfs", "/tmp", "--dir", WORKDIR,
            "--proc", "/proc", "--dev", "/dev",
            "--size", str(files // 4), "--tmpfs", "/dev/shm", "--remount-ro", "/dev",
            "--hostname", "sandbox", "--clearenv",
            "--setenv", "PATH", "/usr/local/bin:/usr/bin:/bin",
            "--setenv", "HOME", WORKDIR, "--setenv", "LANG", "C.UTF-8",
            "--setenv", "PYTHONDONTWRITEBYTECODE", "1", "--setenv", "PYTHONHASHSEED", "0",
            "--remount-ro", "/", "--chdir", WORKDIR, "--cap-drop", "ALL", "--",
        ]
        return cmd + argv

    async def _slot(self) -> asyncio.Queue[int]:
        if self._slots is None:
            self._slots = asyncio.Queue()
            for i in range(max(1, self.cfg.concurrency)):
                self._slots.put_nowait(i)
        return self._slots

    async def run_argv(self, argv: list[str], stdin: bytes = b"") -> RawResult:
        """Run ``argv`` (paths as seen inside the sandbox) under the limits."""
        self.check()
        slots = await self._slot()
        slot = await slots.get()
        tmp = None
        fds: list[int] = []
        try:
            if self.isolated:
                if seccomp.available():  # bwrap reads the filter from a pipe it inherits
                    rfd, wfd = os.pipe()
                    fds.append(rfd)
                    os.write(wfd, seccomp.program())
                    os.close(wfd)
                cmd = self._limits() + self._drop(slot) + self._bwrap(argv, fds[0] if fds
                                                                      else None)
                cwd, env = "/", {"PATH": "/usr/bin:/bin"}
            else:
                tmp = tempfile.mkdtemp(prefix="cv-run-")
                os.chmod(tmp, 0o777)
                argv = [HARNESS.as_posix() if a == SANDBOX_HARNESS else a for a in argv]
                cmd = self._limits() + self._drop(slot) + argv
                cwd, env = tmp, {"PATH": "/usr/bin:/bin", "HOME": tmp, "LANG": "C.UTF-8",
                                 "PYTHONDONTWRITEBYTECODE": "1"}
            return await self._exec(cmd, cwd, env, stdin, fds)
        finally:
            for fd in fds:
                os.close(fd)
            slots.put_nowait(slot)
            if tmp:
                shutil.rmtree(tmp, ignore_errors=True)

    async def _exec(self, cmd: list[str], cwd: str, env: dict[str, str],
                    stdin: bytes, pass_fds: list[int]) -> RawResult:
        lim = self.cfg.limits
        cap = lim.output_kb * 1024
        started = time.perf_counter()
        proc = await asyncio.create_subprocess_exec(
            *cmd, cwd=cwd, env=env, stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            start_new_session=True, pass_fds=pass_fds,
        )
        truncated = False

        def kill() -> None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)

        async def read(stream: asyncio.StreamReader) -> bytes:
            nonlocal truncated
            buf = bytearray()
            while chunk := await stream.read(65536):
                if truncated:
                    continue  # drain until the killed tree closes the pipe
                if len(buf) + len(chunk) > cap:
                    buf += chunk[: cap - len(buf)]
                    truncated = True
                    kill()
                    continue
                buf += chunk
            return bytes(buf)

        async def feed() -> None:
            assert proc.stdin is not None
            try:
                proc.stdin.write(stdin)
                await proc.stdin.drain()
                proc.stdin.close()
            except (BrokenPipeError, ConnectionResetError):
                pass

        assert proc.stdout is not None and proc.stderr is not None
        work = asyncio.gather(feed(), read(proc.stdout), read(proc.stderr), proc.wait())
        timed_out = False
        try:
            _, out, err, _ = await asyncio.wait_for(asyncio.shield(work), lim.wall_s)
        except TimeoutError:
            timed_out = True
            kill()
            _, out, err, _ = await work
        finally:
            if proc.returncode is None:
                kill()
        return RawResult(
            stdout=out.decode("utf-8", "replace"),
            stderr=err.decode("utf-8", "replace"),
            returncode=proc.returncode,
            timed_out=timed_out,
            truncated=truncated,
            wall_s=time.perf_counter() - started,
        )


# -- languages ---------------------------------------------------------------------------------


@dataclass
class Language(abc.ABC):
    """How to evaluate a program in one language: the runner to start inside the sandbox."""

    name: str
    fence: tuple[str, ...]

    @abc.abstractmethod
    def argv(self, sandbox: Sandbox) -> list[str]:
        """The command that runs the harness for this language inside the sandbox."""


class Python(Language):
    def argv(self, sandbox: Sandbox) -> list[str]:
        return [_python(sandbox.cfg), "-I", "-B", SANDBOX_HARNESS]


LANGUAGES: dict[str, Language] = {"python": Python("python", ("python", "py", "python3"))}


def language_for(fence: str) -> Language | None:
    fence = fence.lower()
    return next((lang for lang in LANGUAGES.values() if fence in lang.fence), None)


@dataclass
class Evaluation:
    """One program against its tests, as the harness saw it."""

    load_ok: bool
    load_error: str
    tests: list[dict[str, Any]]
    stderr: str
    timed_out: bool
    truncated: bool
    wall_s: float

    def passed(self, ids: set[str] | None = None) -> set[str]:
        return {t["id"] for t in self.tests if t.get("ok") and (ids is None or t["id"] in ids)}


async def evaluate(sandbox: Sandbox, language: Language, program: str,
                   tests: list[dict[str, Any]]) -> Evaluation:
    marker = "@@CV-RESULT-" + secrets.token_hex(8) + "@@"
    job = {"program": program, "tests": tests, "timeout": sandbox.cfg.limits.test_s,
           "marker": marker}
    raw = await sandbox.run_argv(language.argv(sandbox), json.dumps(job).encode())
    _head, found, tail = raw.stdout.rpartition(marker)
    try:
        res = json.loads(tail) if found else None
    except ValueError:
        res = None
    if res is None:
        why = ("the program ran past the time limit and was killed" if raw.timed_out else
               "the program's output went past the limit" if raw.truncated else
               f"the program died (exit status {raw.returncode})")
        err = (raw.stderr.strip() + "\n" + why).strip()
        return Evaluation(False, err, [{"id": t["id"], "ok": False, "kind": "exception",
                                        "error": err} for t in tests],
                          raw.stderr, raw.timed_out, raw.truncated, raw.wall_s)
    return Evaluation(res["load"]["ok"], res["load"].get("error", ""), res["tests"],
                      raw.stderr, raw.timed_out, raw.truncated, raw.wall_s)
