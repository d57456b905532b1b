"""Names of other scripts as they are written in Latin letters, for the name lexicon.

People write their own names in Latin letters in e-mail display names, commit authors, chats
and tickets: Лидия Осипова is Lidiya Osipova, 김민수 is Kim Minsu or Kim Min-su. Faker lists
them in their script only (its Japanese and Chinese romanized lists aside), so the lexicon adds
these forms: one common transliteration of Cyrillic (passports' and e-mail addresses' more than
scholars'), the Revised Romanization of Korean given names, and the usual spellings of Korean
surnames (Kim, Lee, Park: not the strict Gim, I, Bak).
"""

from __future__ import annotations

_CYRILLIC = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "і": "i",
    "ї": "yi", "є": "ye", "ґ": "g", "ў": "u",
})
CYRILLIC_LOCALES = frozenset({"ru_RU", "uk_UA", "bg_BG", "by_BY"})


def cyrillic(name: str) -> str:
    """``Осипова`` -> ``Osipova``."""
    out = name.lower().translate(_CYRILLIC)
    return out[:1].upper() + out[1:]


# Hangul syllable = (initial * 21 + vowel) * 28 + final, from U+AC00
_KO_INITIAL = ("g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch",
               "k", "t", "p", "h")
_KO_VOWEL = ("a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u",
             "wo", "we", "wi", "yu", "eu", "ui", "i")
_KO_FINAL = ("", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m",
             "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t")
# the spellings Koreans use for the common surnames (and the strict one beside them)
KO_SURNAMES = {
    "김": ("Kim",), "이": ("Lee", "Yi", "Rhee"), "박": ("Park", "Pak"), "최": ("Choi", "Choe"),
    "정": ("Jung", "Jeong", "Chung"), "강": ("Kang",), "조": ("Cho", "Jo"), "윤": ("Yoon", "Yun"),
    "장": ("Jang", "Chang"), "임": ("Lim", "Im"), "한": ("Han",), "오": ("Oh",), "서": ("Seo",),
    "신": ("Shin", "Sin"), "권": ("Kwon",), "황": ("Hwang",), "안": ("Ahn", "An"),
    "송": ("Song",), "류": ("Ryu", "Yoo"), "유": ("Yoo", "Yu"), "홍": ("Hong",),
    "전": ("Jeon", "Chun"), "고": ("Ko", "Go"), "문": ("Moon", "Mun"), "양": ("Yang",),
    "손": ("Son",), "배": ("Bae",), "백": ("Baek",), "허": ("Heo", "Huh"), "남": ("Nam",),
    "노": ("Noh", "Roh"), "하": ("Ha",), "곽": ("Kwak",), "성": ("Sung", "Seong"),
    "차": ("Cha",), "주": ("Joo", "Ju"), "우": ("Woo",), "구": ("Koo", "Gu"), "민": ("Min",),
    "진": ("Jin",), "나": ("Na", "Ra"), "변": ("Byun",), "엄": ("Um", "Eom"), "원": ("Won",),
}


def _rr(syllable: str) -> str:
    n = ord(syllable) - 0xAC00
    return _KO_INITIAL[n // 588] + _KO_VOWEL[n % 588 // 28] + _KO_FINAL[n % 28]


def hangul_given(name: str) -> tuple[str, ...]:
    """A Korean given name in Latin letters, joined and hyphenated: 민수 -> Minsu, Min-su."""
    if not name or not all("\uac00" <= c <= "\ud7a3" for c in name):
        return ()
    parts = [_rr(c) for c in name]
    joined = "".join(parts).capitalize()
    return (joined,) if len(parts) < 2 else (joined, "-".join(parts).capitalize())


def hangul_surname(name: str) -> tuple[str, ...]:
    if not name or not all("\uac00" <= c <= "\ud7a3" for c in name):
        return ()
    strict = "".join(_rr(c) for c in name).capitalize()
    return tuple(dict.fromkeys((*KO_SURNAMES.get(name, ()), strict)))
