"""The child process that anonymizes big requests for a gateway process (``offload.py``).

Started with ``python -m proxy.server.offload_child``: a fresh interpreter, so it inherits no
lock, thread or event loop from the gateway. It reads requests on stdin and answers each on
stdout, one at a time, until stdin closes (the gateway went away). Each tenant's Veil is built
here from the policy and surrogate key the gateway sends, the first time a request needs it and
again when the gateway's policy hash for the tenant changes (a hot reload); each has its own
detection cache, so a conversation that came here once is cheap here from then on.

Messages (both ways): a pickled header, then the blobs it announces. Texts travel as UTF-8
pieces of ``PIECE`` characters and tables as pickled rows of ``ROWS``: each side handles one
piece at a time, so the gateway's event loop is never held for long. Nothing is logged but
error types: never a prompt.
"""

from __future__ import annotations

import logging
import os
import pickle
import signal
import struct
import sys
import time
from collections.abc import Sequence
from typing import Any, BinaryIO

_LEN = struct.Struct("<Q")
PIECE = 1 << 18  # characters of text per blob
ROWS = 4096  # table rows per blob
TABLES = ("reverse", "forward", "origins", "findings")  # of the Mapping, in this order
NICE = 5  # this process's scheduling priority below the gateway's

log = logging.getLogger("codeveil")

Header = dict[str, Any]


def text_blobs(texts: Sequence[str]) -> tuple[list[int], list[bytes]]:
    """The texts as UTF-8 pieces, and how many pieces each has."""
    counts, blobs = [], []
    for t in texts:
        pieces = [t[i : i + PIECE].encode("utf-8", "surrogatepass")
                  for i in range(0, len(t), PIECE)]
        counts.append(len(pieces))
        blobs += pieces
    return counts, blobs


def row_blobs(rows: Sequence[Any]) -> list[bytes]:
    return [pickle.dumps(list(rows[i : i + ROWS])) for i in range(0, len(rows), ROWS)]


def frame(header: Header, blobs: Sequence[bytes]) -> list[bytes]:
    """One message as the byte strings to write, in order."""
    head = pickle.dumps({**header, "blobs": len(blobs)})
    out = [_LEN.pack(len(head)), head]
    for b in blobs:
        out += [_LEN.pack(len(b)), b]
    return out


def _read_exact(inp: BinaryIO, n: int) -> bytes:
    data = inp.read(n)
    if len(data) != n:
        raise EOFError
    return data


def read(inp: BinaryIO) -> tuple[Header, list[bytes]]:
    header = pickle.loads(_read_exact(inp, _LEN.unpack(_read_exact(inp, _LEN.size))[0]))
    blobs = [_read_exact(inp, _LEN.unpack(_read_exact(inp, _LEN.size))[0])
             for _ in range(header["blobs"])]
    return header, blobs


def write(out: BinaryIO, header: Header, blobs: Sequence[bytes] = ()) -> None:
    for part in frame(header, blobs):
        out.write(part)
    out.flush()


class Worker:
    """The veils of this child, and the handling of one request."""

    def __init__(self, setup: Header) -> None:
        from recognizers import ner

        ner.configure(setup.get("spacy_model"), setup.get("flair_model"))
        self.cache_bytes: int = setup["cache_bytes"]
        self.veils: dict[str, tuple[str, Any]] = {}
        for spec in setup.get("tenants", ()):
            self.prepare(spec)

    def prepare(self, spec: Header) -> None:
        """Build (and warm) a tenant's Veil from the policy and key the gateway sent."""
        from proxy.server.reload import WARM_UP
        from proxy.veil.engine import Veil
        from proxy.veil.history import SlotCache

        cache = SlotCache(self.cache_bytes) if self.cache_bytes > 0 else None
        veil = Veil(spec["policy"], spec["key"], cache=cache)
        veil.anonymize([WARM_UP])
        self.veils[spec["tenant"]] = (spec["tag"], veil)

    def handle(self, header: Header, blobs: list[bytes]) -> tuple[Header, list[bytes]]:
        from proxy.veil.engine import Blocked, BudgetExceeded

        if "policy" in header:
            try:
                self.prepare(header)
            except Exception as e:
                log.error("offload child could not build a veil", extra={"error": type(e).__name__})
                return {"status": "error", "error": type(e).__name__}, []
        known = self.veils.get(header["tenant"])
        if known is None or known[0] != header["tag"]:
            return {"status": "unknown"}, []
        texts, pos = [], 0
        for n in header["pieces"]:
            texts.append("".join(b.decode("utf-8", "surrogatepass")
                                 for b in blobs[pos : pos + n]))
            pos += n
        del blobs[:]
        try:
            anon, mapping = known[1].anonymize(texts, header["public"], header["cpu_seconds"],
                                               turns=header.get("turns", ()))
        except Blocked as e:
            return {"status": "blocked", "types": e.types, "findings": e.findings}, []
        except BudgetExceeded as e:
            return {"status": "budget", "seconds": e.seconds}, []
        except Exception as e:  # never the message: it could quote the prompt
            log.error("veil failure in the offload child", extra={"error": type(e).__name__})
            return {"status": "error", "error": type(e).__name__}, []
        counts, out = text_blobs(anon)
        tables: dict[str, int] = {}
        for name, rows in zip(TABLES, (list(mapping.reverse.table.items()),
                                       list(mapping.forward.items()),
                                       list(mapping.origins.items()), mapping.findings),
                              strict=True):
            chunk = row_blobs(rows)
            tables[name] = len(chunk)
            out += chunk
        return {"status": "ok", "pieces": counts, "tables": tables}, out


class _JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        import json

        out = {"ts": round(record.created, 3), "level": record.levelname.lower(),
               "msg": record.getMessage(), "process": "offload"}
        if hasattr(record, "error"):
            out["error"] = record.error
        return json.dumps(out)


def main() -> int:
    # The gateway stops this process (or closes stdin); Ctrl-C in its terminal is its to handle.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Bulk work: on a busy machine the serving process's small requests come first.
    os.nice(NICE)
    # Answers go to a private copy of stdout; anything a library prints goes to stderr.
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    inp = sys.stdin.buffer
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_JsonLines())
    log.handlers[:] = [handler]
    log.propagate = False
    try:
        setup, _ = read(inp)
        log.setLevel(str(setup.get("log_level", "WARNING")).upper())
        started = time.monotonic()
        worker = Worker(setup)
        write(out, {"status": "ready", "seconds": round(time.monotonic() - started, 3)})
        while True:
            header, blobs = read(inp)
            write(out, *worker.handle(header, blobs))
    except (EOFError, BrokenPipeError):
        return 0  # the gateway closed the pipe: its work is done
    except BaseException as e:  # one line, never a traceback that could show values
        log.error("offload child failed", extra={"error": type(e).__name__})
        return 1


if __name__ == "__main__":
    sys.exit(main())
