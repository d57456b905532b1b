"""Where NER decides: the candidates the context rules leave open, read by the NER backend of
:mod:`recognizers.ner` over their sentence only.

A sentence is taken from prose, a comment or a string literal (the context's segments and lexed
tokens say which), never from code tokens or inline code, and each sentence is sent once however
many candidates it holds.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

import regex as re

from recognizers.code.lexer import COMMENT, STRING
from recognizers.context import DetectionContext
from recognizers.ner import NerBackend
from recognizers.people.shapes import MEDIUM, Cand
from recognizers.segment import CODE, DIFF, INLINE_CODE

_SENTENCE_END_RE = re.compile(r"[.!?](?=\s)|\n")
_NESTED = 16  # tokens a string or comment may hold before the one a candidate starts in


def ner_pass(
    ner: NerBackend, views: Sequence[DetectionContext], pending: list[tuple[int, Cand]]
) -> list[tuple[int, Cand, int]]:
    """(text index, candidate, strength) of the pending candidates NER takes for a person."""
    texts = [v.text for v in views]
    regions: list[tuple[int, int, int]] = []  # (text index, region start, region end)
    owners: list[tuple[int, Cand, int]] = []  # (pending idx, cand, region idx)
    region_index: dict[tuple[int, int, int], int] = {}
    tok_starts: dict[int, list[int]] = {}  # a code segment's token starts, for bisection
    for k, (i, cand) in enumerate(pending):
        text = texts[i]
        segs = views[i].segments
        starts = [sg.start for sg in segs]
        j = bisect.bisect_right(starts, cand.start) - 1
        if j < 0:
            continue
        sg = segs[j]
        if cand.end > sg.end or sg.kind == INLINE_CODE:
            continue
        lo, hi = sg.start, sg.end
        if sg.kind in (CODE, DIFF):
            toks = views[i].tokens(sg)
            rel = cand.start - sg.start
            key_t = id(toks)
            if key_t not in tok_starts:
                tok_starts[key_t] = [t.start for t in toks]
            # the comment or string that holds it: tokens come in order, so it is among the
            # last ones that start at or before it
            tok = None
            at = bisect.bisect_right(tok_starts[key_t], rel) - 1
            for t in toks[max(0, at - _NESTED):at + 1][::-1]:  # (names inside an f-string)
                if t.kind in (COMMENT, STRING):
                    if cand.end - sg.start <= t.end:
                        tok = t
                    break  # strings and comments do not nest: an earlier one ended before
            if tok is None:
                continue  # a code token: never NER
            lo, hi = sg.start + tok.start, sg.start + tok.end
        r_lo, r_hi = _sentence(text, cand.start, cand.end, lo, hi)
        key = (i, r_lo, r_hi)
        r = region_index.get(key)
        if r is None:
            r = region_index[key] = len(regions)
            regions.append(key)
        owners.append((k, cand, r))
    if not regions:
        return []
    ents = ner.persons([texts[i][lo:hi] for i, lo, hi in regions])
    out: list[tuple[int, Cand, int]] = []
    for k, cand, r in owners:
        i, lo, _ = regions[r]
        for ent in ents[r]:
            es, ee = lo + ent.start, lo + ent.end
            covers = es <= cand.start and cand.end <= ee
            inside = cand.start <= es and ee <= cand.end
            if covers or (inside and (ee - es) * 2 >= cand.end - cand.start):
                out.append((pending[k][0], cand, max(cand.strength, MEDIUM)))
                break
    return out

# ---- spreading found names ---------------------------------------------------------------


def _sentence(text: str, s: int, e: int, lo: int, hi: int) -> tuple[int, int]:
    """The sentence (or line) of ``text[s:e]`` inside ``[lo, hi)``."""
    a = lo
    for m in _SENTENCE_END_RE.finditer(text, lo, s):
        a = m.end()
    b = hi
    m = _SENTENCE_END_RE.search(text, e, hi)
    if m:
        b = m.end()
    while a < b and text[a].isspace():
        a += 1
    return a, b

