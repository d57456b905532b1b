"""The function words of the Latin-script languages the gateway's users write: they tell a
German, French or Portuguese sentence from an English one (two distinct hits make a language).

Phone numbers read national numbers with the regions a language suggests; names read English
dictionary words as names where the sentence is not English (``Ana Dias corrigiu o bug``: ana is
an English word, but not in Portuguese).
"""

from __future__ import annotations

import re

#: regions -> the function words of their language
LANG_WORDS = {
    ("DE", "AT", "CH"): "und ist nicht der die das mit für ich bitte auch wir sie eine warum",
    ("FR", "BE", "CH", "CA"): "le la les est pas une pour avec je vous au des du pourquoi merci",
    ("ES", "MX", "AR", "CO"): "el los las es por para una con que del al puedes porque gracias",
    ("BR", "PT"): "você não é do da para uma com que no na os obrigado porque",
    ("IT",): "il di che non per una sono della perché grazie anche gli",
    ("NL", "BE"): "het een niet van voor met ik je waarom ook zijn wij",
    ("PL",): "nie jest się na dla że jak czy dlaczego proszę",
    ("TR",): "bir ve bu için ile değil neden ama çok",
    ("SE",): "och att det är inte för med jag varför",
}
LANG_SETS = tuple((regions, frozenset(words.split())) for regions, words in LANG_WORDS.items())
_ENGLISH = frozenset("the and is are to of for with this that it you we not in on".split())
WORD_RE = re.compile(r"[^\W\d_]+")


def other_language(text: str) -> bool:
    """Whether ``text`` (a line or a sentence) is written in a Latin-script language other
    than English: two distinct function words of one of them, more than English ones."""
    words = set(WORD_RE.findall(text.lower()))
    english = len(words & _ENGLISH)
    return any(len(hits) >= 2 and len(hits) > english
               for hits in (words & lang for _, lang in LANG_SETS))
