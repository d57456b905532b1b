"""Known secrets in disguise: a value the veil already knows, spelled some other way.

Once a value is known as sensitive (the original behind a dummy), a text that carries it
reversed, spaced out, case-changed, base64/hex/URL/escape-encoded or cut into pieces still
carries it. :class:`Derivatives` is built from ``(value, dummy)`` pairs and finds all of these in
one scan per view of the text:

* the *squeezed* view: the text lower-cased (ASCII, so offsets hold) with every separator
  character dropped (whitespace and ``.,-_:;|'"`+/\\``), scanned by one Aho-Corasick automaton
  over every 8-character window of every long derivative (the value, its reverse, its hex, URL,
  ``\\x``/``\\u`` escapes and its base64 cores at the 3 byte alignments, standard and url-safe).
  Any fragment of 8+ characters contains a window, and dropping separators on both sides makes
  ``g h p _ R 8``, ``g.h.p``, ``g-h-p`` or a line per character the same string as ``ghp_R8``;
* the *plain* view (lower-cased only), for values shorter than 8 characters: the whole value,
  its reverse and its spelling with one separator between characters. Short values are not
  matched squeezed, where they would turn up by chance across word boundaries.

A span that is exactly one derivative of one whole value becomes the same derivative of the
dummy (reversed → reversed dummy, base64 → base64 of the dummy ...) where that keeps the text
meaningful; anything else (a fragment, overlapping forms) becomes :data:`MARKER`. A scan says
which pairs it hit (by index), so the caller can record their types, never the values.
"""

from __future__ import annotations

import base64
import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import quote, quote_plus

import ahocorasick

MARKER = "[REDACTED]"
WINDOW = 8  # fragments of this many characters and more count as the value
MIN_SHORT = 4  # shorter values have too many innocent look-alikes to hunt in disguise
SEPARATORS = frozenset(" \t\r\n\v\f.,-_:;|'\"`+/\\")
SPACERS = (" ", ".", "-", ",", "\n", "_", ", ", "\t", ":", "|")
_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


def _lower(text: str) -> str:
    return text.translate(_LOWER)  # ASCII only: one character for one, offsets hold


def _squeeze(text: str) -> tuple[str, list[int]]:
    """The text without separators (escaped line breaks and tabs, ``\\n``, count as ones),
    and each kept character's offset in the text."""
    keep: list[int] = []
    escaped = False
    for i, c in enumerate(text):
        if escaped:
            escaped = False
            if c in "ntr":
                continue
        if c == "\\":
            escaped = True
        if c not in SEPARATORS:
            keep.append(i)
    return "".join(text[i] for i in keep), keep


def _b64_cores(raw: bytes, alphabet: Callable[[bytes], bytes]) -> list[tuple[int, str]]:
    """The base64 characters determined by ``raw`` alone wherever it starts in a longer input:
    for each alignment k, the encoding of the whole 3-byte groups from byte k on."""
    out = []
    for k in range(3):
        part = raw[k:]
        part = part[: len(part) // 3 * 3]
        if part:
            out.append((k, alphabet(part).decode()))
    return out


def forms(value: str) -> dict[str, str]:
    """Every disguise of ``value`` this module knows, by name (the name tells the dummy's)."""
    raw = value.encode()
    out = {
        "plain": value,
        "reversed": value[::-1],
        "hex": raw.hex(),
        "url": quote(value, safe=""),
        "url_plus": quote_plus(value, safe=""),
        "url_all": "".join(f"%{b:02x}" for b in raw),
        "escape_x": "".join(f"\\x{b:02x}" for b in raw),
        "escape_u": "".join(f"\\u{ord(c):04x}" for c in value if ord(c) < 0x10000),
        "json": json.dumps(value)[1:-1],
        "json_ascii": json.dumps(value, ensure_ascii=True)[1:-1],
        "reversed_hex": raw[::-1].hex(),
    }
    for name, fn in (("b64", base64.b64encode), ("b64url", base64.urlsafe_b64encode)):
        for k, core in _b64_cores(raw, fn):
            out[f"{name}{k}"] = core
    return out


def _dummy_form(kind: str, dummy: str) -> str | None:
    """The dummy in the same disguise, where the disguise has a meaning of its own."""
    if kind in ("plain", "json", "json_ascii"):
        return dummy
    if kind == "reversed":
        return dummy[::-1]
    if kind == "hex":
        return dummy.encode().hex()
    if kind in ("url", "url_plus", "url_all"):
        return quote(dummy, safe="")
    if kind in ("b64", "b64url"):  # whole value from a group boundary: the whole dummy
        fn = base64.b64encode if kind == "b64" else base64.urlsafe_b64encode
        return fn(dummy.encode()).decode().rstrip("=")
    return None


@dataclass(frozen=True)
class _Form:
    pair: int
    kind: str
    whole: bool  # the pattern is the whole form (not a window of it)
    length: int  # of the key, as scanned


@dataclass
class Scan:
    """What one scan replaced: the text, and how many spans of which values (their index in
    ``Derivatives.pairs``: memory only, never to be written out)."""

    text: str
    hits: Counter[int]


class Derivatives:
    """Finds the known values of ``(value, dummy, type, fragments)`` in disguise.

    ``fragments``: whether 8-character pieces of the value count as the value. Meant for
    secrets, whose every piece is a piece of the secret; a host name or a person's name is
    made of ordinary words (``internal``, ``ledger``) that a prompt may well use on its own, so
    those are found whole, in every disguise, but not in pieces."""

    def __init__(self, pairs: Iterable[tuple[str, str, str, bool]]) -> None:
        kept = [p for p in dict.fromkeys(pairs) if len(p[0]) >= MIN_SHORT and p[0] != p[1]]
        self.pairs = [(v, d, t) for v, d, t, _ in kept]
        pieces = [f for *_, f in kept]
        self._squeezed = ahocorasick.Automaton()
        self._plain = ahocorasick.Automaton()
        n_sq = n_pl = 0
        for i, (value, _dummy, _type) in enumerate(self.pairs):
            for kind, form in forms(value).items():
                key, _ = _squeeze(_lower(form))
                if len(key) >= WINDOW:
                    self._add(self._squeezed, key, _Form(i, kind, True, len(key)))
                    # A window spells 8 characters of the value: longer in wordier encodings
                    # (16 hex digits, 11 base64 characters), so 4 bytes of a public prefix
                    # (``ghp_``, which the dummy shares) never count.
                    size = -(-WINDOW * len(key) // max(len(_squeeze(_lower(value))[0]), 1))
                    for s in range(len(key) - size + 1 if pieces[i] else 0):
                        self._add(self._squeezed, key[s:s + size], _Form(i, kind, False, size))
                    n_sq += 1
                elif kind in ("plain", "reversed"):
                    low = _lower(form)
                    self._add(self._plain, low, _Form(i, kind, True, len(low)))
                    for sep in SPACERS:
                        spaced = sep.join(low)
                        self._add(self._plain, spaced, _Form(i, "spaced", True, len(spaced)))
                    n_pl += 1
        self._squeezed = self._squeezed if n_sq else None
        self._plain = self._plain if n_pl else None
        for ac in (self._squeezed, self._plain):
            if ac is not None:
                ac.make_automaton()

    @staticmethod
    def _add(ac: ahocorasick.Automaton, key: str, form: _Form) -> None:
        have = ac.get(key, None)
        # A key several values (or forms) share is kept once; whole forms win over windows.
        if have is None or (form.whole and not have.whole):
            ac.add_word(key, form)

    def __bool__(self) -> bool:
        return bool(self.pairs)

    def _spans(self, text: str) -> list[tuple[int, int, _Form]]:
        low = _lower(text)
        spans: list[tuple[int, int, _Form]] = []
        if self._squeezed is not None:
            sq, where = _squeeze(low)
            for end, form in self._squeezed.iter(sq):
                spans.append((where[end - form.length + 1], where[end] + 1, form))
        if self._plain is not None:
            spans += [(end - f.length + 1, end + 1, f) for end, f in self._plain.iter(low)]
        return spans

    def scan(self, text: str) -> Scan:
        """``text`` with every disguised known value replaced, and which values were."""
        hits: Counter[int] = Counter()
        if not self.pairs or not text:
            return Scan(text, hits)
        spans = sorted(self._spans(text), key=lambda s: (s[0], -s[1]))
        merged: list[list] = []  # [start, end, forms]
        for start, end, form in spans:
            if merged and start < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
                merged[-1][2].append((start, end, form))
            else:
                merged.append([start, end, [(start, end, form)]])
        out, last = [], 0
        for start, end, found in merged:
            out.append(text[last:start])
            out.append(self._replacement(start, end, found))
            hits.update({f.pair for _, _, f in found})
            last = end
        out.append(text[last:])
        return Scan("".join(out), hits)

    def _replacement(self, start: int, end: int, found: list[tuple[int, int, _Form]]) -> str:
        whole = [f for s, e, f in found if f.whole and (s, e) == (start, end)]
        if whole and len({f.pair for _, _, f in found}) == 1:
            f = whole[0]
            value, dummy_value, _ = self.pairs[f.pair]
            kind = f.kind
            if kind in ("b640", "b64url0") and len(value.encode()) % 3 == 0:
                kind = kind[:-1]  # the whole value from a group boundary, no padding
            dummy = _dummy_form(kind, dummy_value)
            if dummy is not None:
                return dummy
        return MARKER
