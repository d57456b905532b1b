"""Resolving a conversation's scan turn by turn instead of from scratch.

Agents resend the whole conversation on every turn. The merged, resolved scan of the slots a
previous request carried is kept (a few, most recent first); a request that carries all of those
slots and more starts from a copy of it and merges and resolves only its new slots. What the new
slots teach about the old ones (an import that makes a name an earlier slot referenced public) is
not applied to the old slots' references: they stay definitions, which only hides more.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from recognizers.identifiers.scan import Scan

_KEEP = 16


class Resolved:
    """The last few resolved scans, each with the slot evidence it was built from."""

    def __init__(self) -> None:
        # (ids of the evidence, the evidence itself (keeps the ids unique), the resolved scan)
        self._entries: list[tuple[frozenset[int], list[Any], Scan]] = []
        self._lock = threading.Lock()

    def extend(self, evidence: Sequence[Any], resolve: Callable[[Scan], None]) -> Scan:
        """The resolved scan of ``evidence`` (each slot's (scan, tokens) or None)."""
        ids = frozenset(id(ev) for ev in evidence if ev is not None)
        with self._lock:
            best = max(
                (e for e in self._entries if e[0] <= ids), key=lambda e: len(e[0]), default=None
            )
        scan = best[2].copy() if best is not None else Scan()
        done = best[0] if best is not None else frozenset()
        for i, ev in enumerate(evidence):
            if ev is not None and id(ev) not in done:
                scan.merge(ev[0], i)
        resolve(scan)
        with self._lock:
            self._entries.insert(0, (ids, [ev for ev in evidence if ev is not None], scan))
            del self._entries[_KEEP:]
        return scan
