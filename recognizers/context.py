"""What the recognizers read about one text slot, computed once and only when first asked for.

The engine builds one :class:`DetectionContext` per slot and hands it to every recognizer (as
Presidio hands ``nlp_artifacts`` to each ``analyze``). Segmenting a prompt into prose and code,
and lexing its code, cost more than most recognizers; before this object existed two recognizers
did both again for the same text. Every view is lazy: a policy whose recognizers never read the
segments never pays for them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cached_property
from typing import Protocol

from recognizers.code.lexer import COMMENT, STRING, Token, lex
from recognizers.segment import CODE, DIFF, Segment, segment

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_ESCAPE_RE = re.compile(r"\\([\"nrt\\/])")
_ESCAPES = {"n": " \n", "r": "  ", "t": "  ", '"': ' "', "\\": "\\\\", "/": " /"}


class KeywordAutomaton(Protocol):
    """A literal set (``recognizers.literals.Literals``, or a pyahocorasick automaton): ``iter``
    yields (end index, payload)."""

    def iter(self, text: str) -> Iterable[tuple[int, object]]: ...


class DetectionContext:
    """One text slot and its derived views; offsets in every view are offsets into ``text``."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._lexed: dict[tuple[int, int, str | None], list[Token]] = {}
        self._hits: dict[int, list[tuple[int, object]]] = {}

    def __repr__(self) -> str:
        return f"DetectionContext(<{len(self.text)} chars>)"

    @cached_property
    def lower(self) -> str:
        """Lower-cased copy of the same length, so its offsets stay valid: case-insensitive
        regex groups are ~10x slower in ``re``, so recognizers match on this instead."""
        low = self.text.lower()
        return low if len(low) == len(self.text) else self.text.translate(_ASCII_LOWER)

    @cached_property
    def unescaped(self) -> DetectionContext:
        """The text with the escapes of a JSON or code string (``\\n``, ``\\"``) replaced by what
        they stand for, padded to the same length, so that a name inside tool-call arguments
        reads as it would in plain text. ``self`` when there is no escape."""
        if "\\" not in self.text:
            return self
        return DetectionContext(_ESCAPE_RE.sub(lambda m: _ESCAPES[m.group(1)], self.text))

    @cached_property
    def segments(self) -> list[Segment]:
        """Prose, fenced and inline code, tracebacks, logs, diffs and shell sessions, in order."""
        return segment(self.text)

    @cached_property
    def language(self) -> str | None:
        """The language of the largest code segment (None when the slot holds no known code)."""
        sized = [(s.end - s.start, s.language) for s in self.segments if s.language]
        return max(sized, key=lambda p: p[0])[1] if sized else None

    def tokens(self, seg: Segment) -> list[Token]:
        """The lexed tokens of one segment in ``seg.language`` (offsets relative to
        ``seg.start``), shared by every recognizer that asks. To lex a span as another language,
        pass ``seg._replace(language=...)``."""
        key = (seg.start, seg.end, seg.language)
        toks = self._lexed.get(key)
        if toks is None:
            toks = self._lexed[key] = lex(self.text[seg.start:seg.end], seg.language)
        return toks

    @cached_property
    def literal_spans(self) -> list[tuple[int, int, str]]:
        """(start, end, kind) of every string literal and comment in the code and diff
        segments, in text order: the places in code where prose (and names) may stand."""
        out: list[tuple[int, int, str]] = []
        for seg in self.segments:
            if seg.kind in (CODE, DIFF):
                out += [(seg.start + t.start, seg.start + t.end, t.kind)
                        for t in self.tokens(seg) if t.kind in (STRING, COMMENT)]
        return out

    @cached_property
    def string_spans(self) -> list[tuple[int, int]]:
        return [(s, e) for s, e, k in self.literal_spans if k == STRING]

    @cached_property
    def comment_spans(self) -> list[tuple[int, int]]:
        return [(s, e) for s, e, k in self.literal_spans if k == COMMENT]

    def keyword_hits(self, automaton: KeywordAutomaton) -> list[tuple[int, object]]:
        """One Aho-Corasick pass of ``automaton`` over :attr:`lower`, kept for the next asker."""
        hits = self._hits.get(id(automaton))
        if hits is None:
            hits = self._hits[id(automaton)] = list(automaton.iter(self.lower))
        return hits


def as_context(text: DetectionContext | str) -> DetectionContext:
    """Callers that hold a bare string (the CLI, the veil's dummy checks) still get findings."""
    return text if isinstance(text, DetectionContext) else DetectionContext(text)
