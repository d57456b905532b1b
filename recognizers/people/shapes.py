"""The shapes of a name and of a candidate: capitalised name words with their particles and
initials, CJK names, what makes text code-like, and how strong a candidate's context is.

Patterns use the ``regex`` module for Unicode classes (``\\p{Lu}``, ``\\p{Han}``).
"""

from __future__ import annotations

from typing import NamedTuple

import regex as re

# strengths of a context: none, a code or data shape (git log line, a row with a phone
# number, a string literal that is only a name), a personal phrase (``thanks X``, ``X says``),
# a label or an address that names its owner
WEAK, MEDIUM, PERSONAL, STRONG = 1, 2, 3, 4
SCORES = {WEAK: 0.6, MEDIUM: 0.75, PERSONAL: 0.85, STRONG: 0.95}

_PARTICLES = frozenset(
    "van von de da das dos del della der den di du la le bin binti bint ibn ben al el ter ten"
    " zu af y e".split()
)

# an apostrophe inside a name (Ukrainian Марʼяна, Пʼятаченко, Мар'яна): U+02BC anywhere, a
# quote only before three letters or more (John's, Jane'll are a name and a suffix)
_NW1 = r"(?:Mc|Mac|O['’]|D['’])?\p{Lu}(?:\p{Ll}+(?:ʼ\p{Ll}+|['’]\p{Ll}{3,})?|ʼ\p{Ll}{2,})"
# a name word: "Iyer", "Al-Amin", "O'Connell-McBride", "Min-jun", "MacKenzie"
_NW = r"(?:" + _NW1 + r"(?:-(?:" + _NW1 + r"|\p{Ll}+)|['’]\p{Lu}\p{Ll}+)*)"
# Dutch "van 't Erve", "van 't Hof": the article elided
_PART = r"(?:" + "|".join(sorted(_PARTICLES, key=len, reverse=True)) + r"|['’]t)"
# an elided or joined particle written in lower case before a later name word: "Giulietta
# d'Anguissola", "Ahmed al-Rashid", "Amr el-Masry"
_GLUED = r"(?:d['’]|al-|el-)"
_INITIAL = r"(?:\p{Lu}\.)"
_SEP = r"[ \u00a0]"
# up to two leading initials, then one to four name words; particles and a middle initial
# may stand between them: "J. R. Tolkien", "Ludwig van Beethoven", "Sanjay K. Iyer"
NAME_SRC = (
    r"(?:" + _INITIAL + _SEP + r"?){0,2}" + _NW
    + r"(?:" + _SEP + r"(?:" + _PART + _SEP + r"){0,2}(?:" + _INITIAL + _SEP + r")?"
    + _GLUED + r"?" + _NW + r"){0,3}"
)
# A Latin or Cyrillic name runs into CJK text without a space ("SHAO Xiulan说", "Kimさん"):
# a CJK character next to a name that does not end in one is a word boundary too.
_CJK_CHAR = r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]"
BEFORE = (r"(?:(?<=" + _CJK_CHAR + r")(?!" + _CJK_CHAR + r")|(?<![\p{L}\p{N}_$@#./\\-]))")
AFTER = (r"(?:(?<!" + _CJK_CHAR + r")(?=" + _CJK_CHAR + r")|(?![\p{L}\p{N}_(@]|[.\-]\p{L}))")
NAME_RE = re.compile(BEFORE + r"(" + NAME_SRC + r")" + AFTER)
CJK_NAME_RE = re.compile(r"[\p{Han}]{2,4}|[\p{Hangul}]{2,4}|[\p{Katakana}ー・]{2,12}")
WORD_RE = re.compile(_NW)
# a surname written in capitals before or after the given name, as forms, passports and many
# Asian and French writers do: "ZHANG Xiulan", "TANAKA Hiroshi", "Jean DUPONT"
_CAPS = r"\p{Lu}{2,}(?:-\p{Lu}{2,})?"
CAPS_NAME_RE = re.compile(
    BEFORE + r"(" + _CAPS + _SEP + _NW + r"(?:" + _SEP + _NW + r")?|" + _NW + _SEP + _CAPS + r")"
    + AFTER)
CODE_LIKE_RE = re.compile(r"[_()\[\]{}=<>/\\:;$#@0-9]|\p{Lu}{2}|\p{Ll}\p{Lu}")
MC_RE = re.compile(r"(?<!\p{L})(?:Mc|Mac)(?=\p{Lu})")  # McDonald, MacKenzie are not camelCase
INITIALS_RE = re.compile(r"(?<!\p{L})\p{Lu}\.(?=[ \u00a0])")
HAS_CJK_RE = re.compile(r"[\p{Han}\p{Hangul}\p{Katakana}]")


class Cand(NamedTuple):
    start: int
    end: int
    strength: int  # WEAK / MEDIUM / PERSONAL / STRONG, from the context
    # a lone first name suffices: a field of a delimited record that holds contact data, or a
    # word after a title that also means something else ("seu Josué")
    row: bool = False
    value: str = ""  # the name as judged, where it differs from the text (a surname in capitals)


_UPPER_RE = re.compile(r"\p{Lu}\p{Ll}|[\p{Han}\p{Hangul}\p{Katakana}]")


def could_hold_name(text: str) -> bool:
    return _UPPER_RE.search(text) is not None
