"""Project-private identifiers in code: the names a prompt's code declares for itself.

``IdentifierRecognizer`` segments a text (prose, fenced and inline code, tracebacks, logs, diffs,
shell sessions), lexes the code, and collects the names the prompt DEFINES (classes, functions,
variables, constants, types, modules, fields, parameters; the project frames of tracebacks; the
modules named by file paths) or imports from internal packages. A name that is public (keyword,
builtin, standard library, well-known API, or imported from a public package) is never reported.

Modes:

* ``off`` and ``terms``: nothing (terms are the term recognizer's job);
* ``proprietary`` (default): the proprietary WORDS of private identifiers, i.e. the words that
  are neither English nor programming vocabulary (``Cravix`` in ``CravixDocumentMapper``,
  ``zorvath`` in ``fetch_zorvath_pending``), reported at every occurrence anywhere in the text,
  in any letter case (identifiers, strings, comments, prose, paths, host names). Identifiers made
  of ordinary words only (``calculate_total``, ``UserRepository``) are left alone;
* ``all``: every occurrence of every whole private identifier.

``analyze_request(ctxs)`` does the same over the slots of one request at once, so a class defined
in the first message is also found where a later message only mentions it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from recognizers.base import IDENTIFIER, Finding, Recognizer
from recognizers.code.lexer import preload as preload_lexer
from recognizers.code.vocabulary import preload
from recognizers.context import DetectionContext
from recognizers.identifiers.collect import Collector
from recognizers.identifiers.incremental import Resolved
from recognizers.identifiers.report import all_findings, proprietary_words, word_findings
from recognizers.identifiers.scan import CodeToken, Internal, Scan, Words, identifier_words

__all__ = ["MODES", "IdentifierRecognizer"]

MODES = ("off", "terms", "proprietary", "all")
_PARTS = re.compile(r"[\s/@.:]+")
_ONE_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+|[0-9]+")  # what identifier_words keeps whole


def _words(names: Iterable[str]) -> Iterator[str]:
    """The lower-case words of terms and package names: each part and its identifier words."""
    for name in names:
        for part in _PARTS.split(name.strip()):
            if part:
                yield part.lower()
                if not _ONE_WORD.fullmatch(part):  # most terms: one word, nothing to split
                    yield from (w.lower() for w in identifier_words(part))


# per slot: its own scan and code tokens (None when the mode finds nothing)
_Evidence = tuple[Scan, tuple[CodeToken, ...]] | None


class IdentifierRecognizer(Recognizer):
    """Finds project-private identifiers (category IDENTIFIER)."""

    name = "identifiers"
    category = IDENTIFIER

    def __init__(self, mode: str = "proprietary", terms: Iterable[str] = (),
                 internal_packages: Iterable[str] = ()) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown identifier mode {mode!r}; expected one of {MODES}")
        self.mode = mode
        self._internal = Internal(
            words=Words(w for w in _words([*terms, *internal_packages]) if len(w) >= 3),
            prefixes=tuple(sorted({p.strip().lower() for p in internal_packages if p.strip()})),
        )
        self._collector = Collector(self._internal)
        self._resolved = Resolved()
        if mode in ("proprietary", "all"):
            preload()
            preload_lexer()

    # -- API -----------------------------------------------------------------------------------

    def analyze(self, ctx: DetectionContext | str) -> list[Finding]:
        return self.analyze_request([ctx])[0]

    def evidence(self, ctxs: Sequence[DetectionContext]) -> list[_Evidence]:
        """Per slot: what its code defines, imports and references (judged in ``combine``), and
        its code tokens (kept in ``all`` mode only, which reports at token positions)."""
        if self.mode in ("off", "terms"):
            return [None for _ in ctxs]
        out: list[_Evidence] = []
        for ctx in ctxs:
            scan = Scan()
            tokens = self._collector.scan_text(ctx, scan)
            out.append((scan, tuple(tokens) if self.mode == "all" else ()))
        return out

    def combine(
        self, evidence: Sequence[_Evidence], targets: Sequence[tuple[int, DetectionContext]]
    ) -> list[list[Finding]]:
        if self.mode in ("off", "terms"):
            return [[] for _ in targets]
        if self.mode == "all":
            scan = Scan()
            for i, ev in enumerate(evidence):
                if ev is not None:
                    scan.merge(ev[0], i)
            tokens = [list(ev[1]) if ev is not None else [] for ev in evidence]
            self._collector.resolve(scan, tokens)
            scan.code_tokens = tokens
            return [all_findings(ctx.text, scan, i, self.name) for i, ctx in targets]
        scan = self._resolved.extend(evidence, self._collector.resolve)
        words = proprietary_words(scan, self._internal.words)
        if not words:
            return [[] for _ in targets]
        public = (scan.public_uses | scan.public_paths | scan.public_names) - scan.defs.keys()
        return [word_findings(ctx.text, words, public) for _, ctx in targets]
