"""What is reported once the definitions are known: the replacement policy of each mode.

``proprietary``: the proprietary words of the private names, found at every occurrence in any
letter case at word and camelCase boundaries (plurals included). ``all``: every occurrence of the
whole private names, in code tokens (members only where the prompt defines them) and in text.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable
from functools import lru_cache

from recognizers.base import IDENTIFIER, Finding
from recognizers.code.lexer import ATTRIBUTE, PROPERTY_KEY
from recognizers.code.vocabulary import (
    is_ordinary_word,
    is_proprietary_word,
    is_public_name,
    split_identifier,
)
from recognizers.identifiers.builtins import is_builtin
from recognizers.identifiers.scan import Scan

# when one word comes from several definitions, the more telling kind names it
_TYPE_RANK = {"CLASS_NAME": 0, "TYPE_NAME": 1, "FUNCTION_NAME": 2, "CONSTANT_NAME": 3,
              "MODULE_NAME": 4, "VARIABLE_NAME": 5}


def proprietary_words(scan: Scan, internal: Container[str]) -> dict[str, str]:
    """lower-case proprietary word -> finding type."""
    words: dict[str, str] = {}
    members = {n.lower() for n in scan.public_members if n.isalpha()}  # ReLU: relu
    for name, d in scan.defs.items():
        for low in _own_words(name, d.language):
            if (low in scan.public_words or low in members) and low not in internal:
                continue
            prev = words.get(low)
            if prev is None or _TYPE_RANK[d.type] < _TYPE_RANK[prev]:
                words[low] = d.type
    if words:
        # convstream, written ConvStream elsewhere: judged by Conv and Stream
        candidates = [w for w in words if w not in internal]
        if candidates:
            rx = re.compile("|".join(map(re.escape, candidates)), re.IGNORECASE)
            names = [n for n in (*scan.defs, *scan.public_uses, *scan.public_names)
                     if rx.search(n) and not (n.islower() or n.isupper())]
            for w in spelled_in_parts(names) & set(candidates):
                del words[w]
    return words


@lru_cache(maxsize=65536)
def _own_words(name: str, language: str | None) -> tuple[str, ...]:
    """The lower-case words of a defined name that may be proprietary on their own account:
    no dictionary or public API word. Memoized: an agent's conversation brings back the same
    definitions on every turn."""
    out = []
    for s, e in split_identifier(name):
        w = name[s:e]
        low = w.lower()
        if not is_proprietary_word(w):
            continue
        if is_public_name(w, language) or is_public_name(low, None) or is_builtin(w) \
                or is_builtin(low):
            continue  # a public API name used as a word: isupper, setdefault
        out.append(low)
    return tuple(out)


def spelled_in_parts(names: Iterable[str]) -> set[str]:
    """Lower-case words that the code also writes as camelCase parts none of which is
    proprietary: ``vitmatte`` of ``configuration_vitmatte`` where a class is ``VitMatteConfig``,
    ``convstream`` where another is ``ConvStream``. The camelCase spelling tells where the
    lower-case run of letters splits, which no dictionary can (``Vit`` is too short to judge)."""
    out: set[str] = set()
    for name in names:
        if name.islower() or name.isupper():
            continue  # one case: no hump tells a split
        spans = split_identifier(name)
        for i in range(len(spans) - 1):
            for j in range(i + 1, min(i + 3, len(spans))):
                if spans[j - 1][1] != spans[j][0]:
                    break  # a separator between: not one word
                parts = [name[s:e] for s, e in spans[i:j + 1]]
                if all(p.isalpha() and not is_proprietary_word(p) for p in parts):
                    out.add("".join(parts).lower())
    return out


def all_findings(text: str, scan: Scan, index: int, recognizer: str) -> list[Finding]:
    """Every occurrence of the private names in ``text``, the ``index``-th slot."""
    defs = scan.defs
    if not defs:
        return []
    out: list[Finding] = []
    covered: set[tuple[int, int]] = set()
    for s, e, name, role, detail, _lang in scan.code_tokens[index]:
        d = defs.get(name)
        if d is None:
            continue
        if role in (ATTRIBUTE, PROPERTY_KEY):
            if name not in scan.member_defs:
                continue
            if detail.startswith("kwarg:"):
                callee = detail[6:]
                if callee not in defs and callee != "class":
                    continue
        out.append(Finding(s, e, d.type, IDENTIFIER, recognizer))
        covered.add((s, e))
    # mentions outside code tokens: strings, comments, prose, paths
    names = [n for n in defs if _identifier_like(n)]
    if names:
        rx = re.compile(r"(?<![\w$])(?:" + "|".join(
            re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")(?![\w$])")
        for m in rx.finditer(text):
            if (m.start(), m.end()) in covered:
                continue
            if m.start() > 0 and text[m.start() - 1] == "." and \
                    m.group() not in scan.member_defs and _in_code_token(m.start(), scan,
                                                                         index):
                continue
            out.append(Finding(m.start(), m.end(), defs[m.group()].type, IDENTIFIER,
                               recognizer))
    out.sort(key=lambda f: (f.start, f.end))
    return _dedupe(out)


def _in_code_token(pos: int, scan: Scan, index: int) -> bool:
    return any(s <= pos < e for s, e, *_ in scan.code_tokens[index])


def _dedupe(findings: list[Finding]) -> list[Finding]:
    out: list[Finding] = []
    last_end = -1
    for f in findings:
        if f.start < last_end:
            continue
        out.append(f)
        last_end = f.end
    return out


def _identifier_like(name: str) -> bool:
    """Worth finding in prose too: made of several words, or with a non-dictionary word."""
    spans = split_identifier(name)
    if len(spans) > 1 or any(not c.isalpha() for c in name):
        return True
    return not is_ordinary_word(name)



# -- reporting proprietary words -----------------------------------------------------------------

def word_findings(text: str, words: dict[str, str],
                  public: Container[str] = frozenset()) -> list[Finding]:
    """Every occurrence of the proprietary words in text, in any case, at word boundaries, but
    never inside an identifier that is public: one in ``public`` (reached through an import, a
    system header), or a builtin or keyword (``nn.Conv2d`` keeps its ``Conv`` even where the
    prompt's own ``conv_chans`` loses it)."""
    if not text:
        return []
    # only the words the text holds at all: a conversation's words grow every turn, and an
    # alternation of them all would be compiled again each time
    folded = text.casefold()  # a superset of what the case-insensitive regex matches
    present = [w for w in words if w.casefold() in folded]
    if not present:
        return []
    rx = _word_regex(tuple(sorted(present, key=len, reverse=True)))
    out: list[Finding] = []
    n = len(text)
    for m in rx.finditer(text):
        s, e = m.start(), m.end()
        if s > 0 and not _left_boundary(text[s - 1], text[s]):
            continue
        if e < n and not _right_boundary(text[e - 1], text, e):
            continue
        if _in_public_identifier(text, s, e, public):
            continue
        out.append(Finding(s, e, words[m.group().lower()], IDENTIFIER, "identifiers"))
    return out


def _in_public_identifier(text: str, s: int, e: int, public: Container[str]) -> bool:
    """Whether the match ``s:e`` is part of a longer identifier that is public."""
    n = len(text)
    left, right = s, e
    while left > 0 and (text[left - 1].isalnum() or text[left - 1] in "_$"):
        left -= 1
    while right < n and (text[right].isalnum() or text[right] in "_$"):
        right += 1
    if left == s and right == e:
        return False  # the whole identifier is the word: judged as a word
    ident = text[left:right]
    return ident in public or is_builtin(ident)


_REGEX_CACHE: dict[tuple[str, ...], re.Pattern[str]] = {}


def _word_regex(words: tuple[str, ...]) -> re.Pattern[str]:
    rx = _REGEX_CACHE.get(words)
    if rx is None:
        if len(_REGEX_CACHE) > 256:
            _REGEX_CACHE.clear()
        rx = _REGEX_CACHE[words] = re.compile("|".join(re.escape(w) for w in words),
                                              re.IGNORECASE)
    return rx


def _left_boundary(prev: str, first: str) -> bool:
    if not prev.isalpha() or prev >= "\u0370" > first:
        return True  # also a letter of another script (CJK prose has no spaces: 请看Cravix)
    return prev.islower() and first.isupper()  # camelCase hump


def _right_boundary(last: str, text: str, e: int) -> bool:
    nxt = text[e]
    if not nxt.isalpha() or nxt >= "\u0370" > last:
        return True
    if nxt.isupper() and not last.isupper():
        return True  # CravixPager
    if nxt.isupper() and last.isupper():
        # CRAVIXPager would be odd; SCREAMING words end at '_' anyway
        return e + 1 < len(text) and text[e + 1].islower()
    # a plural or possessive of the word: Cravixes, cravixs
    tail = re.match(r"(?:es|s)(?![A-Za-z])", text[e:e + 3])
    return tail is not None
