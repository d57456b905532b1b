"""A CPU budget for one request's detection: a request that would take longer is refused with a
clear error instead of holding a core (and, through the GIL, every other request) for minutes.

The budget is set around one request's anonymization (``within``) and checked cooperatively at
the points where detection loops over slots, segments and candidates (``check``); it counts the
CPU time of the thread doing the work, so waiting for the GIL does not use it up.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# (thread CPU time at which the budget runs out, the budget in seconds)
_deadline: ContextVar[tuple[float, float] | None] = ContextVar("veil_deadline", default=None)


class BudgetExceeded(RuntimeError):
    """Detection used up the request's CPU budget."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"over the {seconds:g} s CPU budget")
        self.seconds = seconds


@contextmanager
def within(seconds: float | None) -> Iterator[None]:
    """Detection inside this block may use ``seconds`` of CPU (None: no limit)."""
    token = _deadline.set((time.thread_time() + seconds, seconds) if seconds else None)
    try:
        yield
    finally:
        _deadline.reset(token)


def check() -> None:
    d = _deadline.get()
    if d is not None and time.thread_time() > d[0]:
        raise BudgetExceeded(d[1])
