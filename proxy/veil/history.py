"""What the veil remembers of the slots it has seen: agents resend the whole conversation on every
turn, so detection runs only on slots it has not seen before, and what went out for a message is
what goes out for it in every later turn.

Memory only, never on disk. Entries are keyed by a keyed hash of the slot's text (a key drawn
per process, so a key says nothing about the text outside it), bounded by an LRU on their
estimated size, and belong to one ``Veil`` (one tenant key, one policy version): a reloaded
policy starts with an empty cache.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from proxy.veil.tables import Tables

DEFAULT_CACHE_BYTES = 64 * 1024 * 1024
_ENTRY_OVERHEAD = 512  # dicts, tuples, the key: a rough constant per entry
_KEY_PIECE = 1 << 20  # characters hashed at a time


_serials = itertools.count(1)


@dataclass(frozen=True)
class State:
    """The dummies of one request, as it was sent: every value (with what the audit log keeps
    of it) and its dummy, the term words' bases, and the restore table. Shared by the slots that
    request sent first; never changed after it is made."""

    atoms: dict[str, Any]  # value -> _Atom (type, category, recognizer, bounded, count, score)
    dummies: dict[str, str]  # value -> dummy ("[TYPE]" for redactions)
    term_bases: dict[str, str]  # term or identifier word key -> its dummy word
    reverse: dict[str, str]  # the restore pairs (a later turn derives the JSON-escaped ones)
    restore_table: dict[str, str] = field(default_factory=dict)  # all of them, as used
    slots: frozenset[bytes] = frozenset()  # the slot keys of the request, all verified with it
    # this State's serial and those of the States it carried on (it holds all their values)
    serial: int = field(default_factory=lambda: next(_serials))
    ancestors: frozenset[int] = frozenset()

    @property
    def size(self) -> int:
        """Roughly the bytes it holds, for the cache's budget."""
        table = self.restore_table
        return ((sum(map(len, table)) + sum(map(len, table.values()))) * 4
                + 256 * len(self.atoms) + 64 * len(self.slots))


EMPTY = State({}, {}, {}, {})


@dataclass
class SlotRecord:
    """What the veil keeps of one slot: the recognizers' evidence for it and for the JSON strings
    inside it (``leaves``), and, once a request carrying it went out, the text sent for it and
    the State of that request."""

    evidence: tuple[tuple[Any, ...], ...]  # per unit (the slot, then each leaf): per recognizer
    leaves: tuple[str, ...]
    sent: str | None = None
    state: State | None = None
    size: int = field(default=0, compare=False)


class SlotCache:
    """A bounded LRU of SlotRecords by keyed hash of the slot text. Thread-safe: large requests
    are anonymized in worker threads."""

    def __init__(self, max_bytes: int = DEFAULT_CACHE_BYTES) -> None:
        self.max_bytes = max_bytes
        self._keyed = hashlib.sha256(os.urandom(32))
        self._entries: OrderedDict[bytes, SlotRecord] = OrderedDict()
        self._bytes = 0
        self._turns: OrderedDict[int, tuple[str, str, Tables | None, int]] = OrderedDict()
        self._turn_bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def key(self, text: str) -> bytes:
        # SHA-256 of the process key and the text (hardware-accelerated; the keyed start is
        # copied, not hashed again: an agent's request has hundreds of slots)
        h = self._keyed.copy()
        # a megabyte at a time: one encode of a 16 MB text would hold the GIL for long
        for i in range(0, len(text), _KEY_PIECE):
            h.update(text[i : i + _KEY_PIECE].encode("utf-8", "surrogatepass"))
        return h.digest()

    def has(self, key: bytes) -> bool:
        """Whether a slot is known, without counting a hit or a miss or touching the LRU."""
        with self._lock:
            return key in self._entries

    def sent_all(self, keys: Sequence[bytes]) -> list[bool]:
        """Whether each slot went out in a request this process anonymized (no hit or miss
        counted, the LRU untouched)."""
        with self._lock:
            get = self._entries.get
            return [(rec := get(k)) is not None and rec.sent is not None
                    and rec.state is not None for k in keys]

    def get(self, key: bytes) -> SlotRecord | None:
        with self._lock:
            rec = self._entries.get(key)
            if rec is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return rec

    def put(self, key: bytes, rec: SlotRecord, text_chars: int) -> None:
        # evidence and the sent text are each about the size of the text; leaves are extra
        rec.size = 3 * text_chars + sum(len(v) for v in rec.leaves) + _ENTRY_OVERHEAD
        if rec.size > self.max_bytes // 4:
            return  # one huge slot would flush everything else
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old.size
            self._entries[key] = rec
            self._bytes += rec.size
            while self._bytes > self.max_bytes and self._entries:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= dropped.size

    # What went out for a conversation's latest turn (in full and lower-cased) and its
    # replacement tables, by its State's serial: the next turn builds on them.

    def haystack(self, serial: int) -> tuple[str, str] | None:
        with self._lock:
            turn = self._turns.get(serial)
        return (turn[0], turn[1]) if turn is not None else None

    def tables(self, serial: int) -> Tables | None:
        with self._lock:
            turn = self._turns.get(serial)
        return turn[2] if turn is not None else None

    def keep_turn(self, serial: int, text: str, lower: str, tables: Tables | None) -> None:
        size = len(text) + len(lower) + (tables.size if tables is not None else 0)
        if size > self.max_bytes // 8:
            return
        with self._lock:
            self._turns[serial] = (text, lower, tables, size)
            self._turn_bytes += size
            while self._turn_bytes > self.max_bytes // 4 and self._turns:
                _, dropped = self._turns.popitem(last=False)
                self._turn_bytes -= dropped[3]

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def bytes(self) -> int:
        return self._bytes
