"""People of many languages as colleagues write them: native script, romanized, with honorifics.

One ``Person`` carries the native and the romanized forms of a name; ``forms`` returns the ways a
ticket, a chat or an e-mail refers to that person, each with the part that is the name (what a
record plants): ``田中さん`` plants ``田中``, ``Frau Keller`` plants ``Keller``, ``yumiko:`` in a
chat log plants ``yumiko``.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

from proxy.evaluation.adversarial import values as v

LOCALE = {"zh": "zh_CN", "ja": "ja_JP", "ko": "ko_KR", "de": "de_DE", "fr": "fr_FR",
          "es": "es_ES", "pt": "pt_BR", "ru": "ru_RU", "it": "it_IT", "nl": "nl_NL",
          "pl": "pl_PL", "tr": "tr_TR", "ar": "ar_AA", "hi": "hi_IN"}
_GENDERED_LAST = {"ru", "pl"}

# Hangul syllable -> Revised Romanization (initial, vowel, final); the usual spellings of the
# common surnames, which people use instead of the strict romanization
_KO_INITIAL = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch",
               "k", "t", "p", "h"]
_KO_VOWEL = ["a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u",
             "wo", "we", "wi", "yu", "eu", "ui", "i"]
_KO_FINAL = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m",
             "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t"]
_KO_SURNAME = {"김": "Kim", "이": "Lee", "박": "Park", "최": "Choi", "정": "Jung", "강": "Kang",
               "조": "Cho", "윤": "Yoon", "장": "Jang", "임": "Lim", "한": "Han", "오": "Oh",
               "서": "Seo", "신": "Shin", "권": "Kwon", "황": "Hwang", "안": "Ahn", "송": "Song",
               "류": "Ryu", "홍": "Hong", "전": "Jeon", "고": "Ko", "문": "Moon", "양": "Yang"}
_CYR = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o",
                 "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e",
                 "yu", "ya"], strict=True))


def _hangul(s: str) -> str:
    out = []
    for ch in s:
        n = ord(ch) - 0xAC00
        if 0 <= n < 11172:
            out.append(_KO_INITIAL[n // 588] + _KO_VOWEL[n % 588 // 28] + _KO_FINAL[n % 28])
        else:
            out.append(ch)
    return "".join(out)


def _cyrillic(s: str) -> str:
    out = "".join(_CYR.get(c.lower(), c) if c.lower() in _CYR else c for c in s)
    return out[:1].upper() + out[1:]


_FOLD = str.maketrans({"ł": "l", "Ł": "L", "ı": "i", "ø": "o", "Ø": "O", "ß": "ss", "đ": "d"})


def ascii_fold(s: str) -> str:
    return unicodedata.normalize("NFKD", s.translate(_FOLD)).encode("ascii", "ignore").decode()


@dataclass(frozen=True)
class Person:
    lang: str
    first: str  # native script
    last: str
    female: bool
    roman_first: str  # Latin letters (the same words for Latin-script languages)
    roman_last: str

    @property
    def full(self) -> str:
        if self.lang in ("zh", "ko"):
            return self.last + self.first
        if self.lang == "ja":
            return f"{self.last} {self.first}"
        return f"{self.first} {self.last}"

    @property
    def roman(self) -> str:
        """Romanized, given name first (as e-mail display names and commit authors write it)."""
        return f"{self.roman_first} {self.roman_last}"

    @property
    def surname_first(self) -> str:
        """Romanized, surname first: ``TANAKA Hiroshi``, ``Kim Minsu``, ``Wang Wei``."""
        last = self.roman_last.upper() if self.lang in ("ja", "zh") else self.roman_last
        return f"{last} {self.roman_first}"

    @property
    def handle(self) -> str:
        """The lower-case first name of a chat display name (the native one where the script
        has no Latin form)."""
        return ascii_fold(self.roman_first).lower() or self.first

    def username(self, rng: random.Random) -> str:
        return v.username(rng, ascii_fold(self.roman_first), ascii_fold(self.roman_last))


def person(rng: random.Random, lang: str) -> Person:
    """A person of the language whose Latin forms are long enough to stand out in any text."""
    f = v.faker(LOCALE[lang])
    english = v.english()
    while True:
        f.seed_instance(rng.getrandbits(32))
        female = rng.random() < 0.5
        first = (f.first_name_female() if female else f.first_name_male()).split()[0]
        last = (f.last_name_female() if female else f.last_name_male()) \
            if lang in _GENDERED_LAST | {"ru"} else f.last_name()
        if lang in ("zh", "ja"):
            rf, rl = f.first_romanized_name(), f.last_romanized_name()
        elif lang == "ko":
            rf = _hangul(first).capitalize()
            rl = _KO_SURNAME.get(last, _hangul(last).capitalize())
        elif lang == "ru":
            rf, rl = _cyrillic(first), _cyrillic(last)
        elif lang in ("ar", "hi"):
            rf, rl = first, last  # written in their script only
        else:
            rf, rl = first, last
        latin = [ascii_fold(w) for w in (rf, rl)] if lang not in ("ar", "hi") else []
        if " " in last or any(len(w) < 4 or w.lower() in english for w in latin):
            continue
        if len(first) + len(last) < 3:
            continue
        return Person(lang, first, last, female, rf, rl)


# honorific forms: (template, which part is planted); {f}/{l} native first/last, {n} full
_HONORIFIC: dict[str, list[tuple[str, str]]] = {
    "zh": [("{n}老师", "n"), ("{n}经理", "n"), ("{n}同学", "n")],
    "ja": [("{l}さん", "l"), ("{l}先生", "l"), ("{l}{f}様", "lf")],
    "ko": [("{n}님", "n"), ("{n} 팀장님", "n"), ("{n} 선생님", "n")],
    "de": [("Herr {l}|Frau {l}", "l"), ("Dr. {l}", "l")],
    "fr": [("M. {l}|Mme {l}", "l"), ("Monsieur {l}|Madame {l}", "l")],
    "es": [("Sr. {l}|Sra. {l}", "l"), ("don {f}|doña {f}", "f")],
    "pt": [("Sr. {l}|Sra. {l}", "l"), ("seu {f}|dona {f}", "f")],
    "ru": [("г-н {l}|г-жа {l}", "l"), ("{n}", "n")],
    "it": [("Dott. {l}|Dott.ssa {l}", "l"), ("Ing. {l}", "l")],
    "nl": [("dhr. {l}|mevr. {l}", "l")],
    "pl": [("Pan {f}|Pani {f}", "f"), ("pan {l}|pani {l}", "l")],
    "tr": [("{f} Bey|{f} Hanım", "f")],
    "ar": [("الأستاذ {n}|الأستاذة {n}", "n")],
    "hi": [("{n} जी", "n")],
}


def honorific(rng: random.Random, p: Person) -> tuple[str, str]:
    """(the person as addressed politely, the name in it)."""
    tpl, part = rng.choice(_HONORIFIC[p.lang])
    if "|" in tpl:
        male, female = tpl.split("|")
        tpl = female if p.female else male
    name = {"n": p.full, "l": p.last, "f": p.first, "lf": p.last + p.first}[part]
    return tpl.format(n=p.full, l=p.last, f=p.first), name
