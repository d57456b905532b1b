"""The master of ``codeveil serve --workers N``: starts N workers, keeps them running, passes
signals on. It serves no request and loads no recognizer; every worker is a whole gateway.

- Start: every worker at once. One that exits before it is up, while the first start is not
  complete, stops the whole gateway with its exit status (a bad audit path, say): the same
  fail-fast start as a single process. A worker is *up* when its metrics socket exists
  (``proxy/server/workers.py``), which it creates once its startup is done.
- A worker that dies later is started again: at once if it had run for ``STABLE_S``, else after
  a delay that doubles up to ``MAX_DELAY_S`` (a worker that cannot start does not spin).
- SIGHUP goes to every worker that is up: each reloads its policies (``Tenants.reload_now``).
- SIGTERM or SIGINT: SIGTERM to each worker, which stops accepting, finishes the requests in
  flight (aiohttp's shutdown) and exits; after ``STOP_GRACE_S`` the rest are killed; exit 0. A
  second SIGTERM or SIGINT while stopping kills them at once.

Workers run in their own process group, so a Ctrl-C in a terminal reaches only the master, and
each worker gets exactly one SIGTERM (a second one would cut aiohttp's graceful shutdown short).
A worker whose master is gone stops by itself.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from proxy.server.workers import socket_path

log = logging.getLogger("codeveil")

STABLE_S = 10.0
MAX_DELAY_S = 30.0
STOP_GRACE_S = 30.0
STOP = (signal.SIGTERM, signal.SIGINT)


@dataclass
class _Slot:
    index: int
    proc: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    up: bool = False
    ever_up: bool = False
    failures: int = 0  # deaths in a row within STABLE_S of starting
    start_at: float = 0.0


def port_taken(host: str, port: int) -> bool:
    """Whether something listens on ``host:port`` already (a bind without SO_REUSEPORT fails)."""
    family, kind, proto, _name, addr = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(addr)
        except OSError as e:
            return e.errno == errno.EADDRINUSE
    return False


def reserve_port(host: str) -> tuple[socket.socket, int]:
    """``listen.port: 0`` with several workers: one free port for all of them. The socket stays
    bound (never listening, so it gets no connections) while the master runs, so no other
    program takes the port between the workers' starts."""
    family, kind, proto, _name, addr = socket.getaddrinfo(host, 0, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(addr)
    return sock, sock.getsockname()[1]


class Master:
    """``command(index, directory)`` is the argv of worker ``index``."""

    def __init__(self, command: Callable[[int, Path], list[str]], count: int) -> None:
        self.command = command
        self.slots = [_Slot(i) for i in range(count)]
        self.directory = Path()

    def run(self) -> int:
        # The metrics sockets' directory: mkdtemp makes it 0700, owned by this user.
        self.directory = Path(tempfile.mkdtemp(prefix="codeveil-"))
        wake_r, wake_w = os.pipe()
        for fd in (wake_r, wake_w):
            os.set_blocking(fd, False)
        # Signals only write their number to the pipe; the loop below reads and acts on them.
        previous = signal.set_wakeup_fd(wake_w)
        handlers = {s: signal.signal(s, lambda *_: None) for s in (*STOP, signal.SIGHUP,
                                                                   signal.SIGCHLD)}
        try:
            return self._loop(wake_r)
        finally:
            self._kill_all()
            signal.set_wakeup_fd(previous)
            for s, h in handlers.items():
                signal.signal(s, h)
            os.close(wake_r)
            os.close(wake_w)
            shutil.rmtree(self.directory, ignore_errors=True)

    def _loop(self, wake: int) -> int:
        log.info("master started", extra={"workers": len(self.slots), "pid": os.getpid()})
        for slot in self.slots:
            self._start(slot)
        while True:
            got = _signals(wake, 0.5)
            if got & set(STOP):
                return self._stop(wake)
            if signal.SIGHUP in got:
                up = [s for s in self.slots if s.up and s.proc is not None]
                log.warning("SIGHUP: reloading the policies in every worker",
                            extra={"workers": len(up)})
                for s in up:
                    _signal(s, signal.SIGHUP)
            now = time.monotonic()
            for slot in self.slots:
                if slot.proc is not None and (rc := slot.proc.poll()) is not None:
                    failed = self._died(slot, rc, now)
                    if failed is not None:
                        self._stop(wake)
                        return failed
                if slot.proc is None:
                    if now >= slot.start_at:
                        self._start(slot)
                elif not slot.up and socket_path(self.directory, slot.index).exists():
                    slot.up = slot.ever_up = True
                    log.info("worker up", extra={"worker": slot.index, "pid": slot.proc.pid})
            self._reap_orphans()

    def _reap_orphans(self) -> None:
        """As PID 1 of a container the master inherits orphans (the children of a worker that
        was killed): reap them, so no zombie piles up. Its own workers are left to ``poll``."""
        ours = {s.proc.pid for s in self.slots if s.proc is not None}
        while True:
            try:
                info = os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT)
            except ChildProcessError:
                return
            if info is None or info.si_pid in ours:
                return
            with contextlib.suppress(ChildProcessError):
                os.waitpid(info.si_pid, 0)

    def _start(self, slot: _Slot) -> None:
        with contextlib.suppress(FileNotFoundError):  # a killed worker leaves its socket
            socket_path(self.directory, slot.index).unlink()
        slot.proc = subprocess.Popen(
            self.command(slot.index, self.directory), stdin=subprocess.DEVNULL, process_group=0
        )
        slot.started, slot.up = time.monotonic(), False
        log.info("worker started", extra={"worker": slot.index, "pid": slot.proc.pid})

    def _died(self, slot: _Slot, rc: int, now: float) -> int | None:
        """Schedule the restart; an exit status for the master when the first start failed."""
        assert slot.proc is not None
        pid, slot.proc, slot.up = slot.proc.pid, None, False
        if not slot.ever_up and not all(s.ever_up for s in self.slots):
            log.error("worker failed to start; stopping",
                      extra={"worker": slot.index, "pid": pid, "returncode": rc})
            return rc if rc > 0 else 1
        slot.failures = 0 if now - slot.started >= STABLE_S else slot.failures + 1
        delay = 0.0 if not slot.failures else min(MAX_DELAY_S, 0.5 * 2 ** (slot.failures - 1))
        slot.start_at = now + delay
        log.error("worker exited; starting it again", extra={
            "worker": slot.index, "pid": pid, "returncode": rc, "delay_s": delay})
        return None

    def _stop(self, wake: int) -> int:
        alive = [s for s in self.slots if s.proc is not None and s.proc.poll() is None]
        log.info("stopping: workers finish the requests in flight",
                 extra={"workers": len(alive)})
        for s in alive:
            _signal(s, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_S
        while time.monotonic() < deadline:
            if all(s.proc is None or s.proc.poll() is not None for s in self.slots):
                break
            if _signals(wake, 0.2) & set(STOP):
                log.warning("stopping now: the requests in flight are cut")
                break
        self._kill_all()
        log.info("stopped")
        return 0

    def _kill_all(self) -> None:
        for s in self.slots:
            if s.proc is not None and s.proc.poll() is None:
                s.proc.kill()
            if s.proc is not None:
                s.proc.wait()
                s.proc = None


def _signal(slot: _Slot, sig: int) -> None:
    if slot.proc is not None:
        with contextlib.suppress(ProcessLookupError):
            slot.proc.send_signal(sig)


def _signals(wake: int, timeout: float) -> set[int]:
    """The signals received, waiting up to ``timeout`` for the first."""
    select.select([wake], [], [], timeout)
    got: set[int] = set()
    with contextlib.suppress(BlockingIOError):
        while data := os.read(wake, 256):
            got.update(data)
    return got
