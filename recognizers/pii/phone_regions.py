"""Phone numbers in national form, read with the regions the text suggests: ``PHONE`` findings.

A national number (``090-1234-3482``, ``06 12 34 73 79``, ``8 (912) 345-16-98``) only means
something with its country, and the prompt says which: its script (kana: Japan; Hangul: Korea;
Cyrillic: Russia, Ukraine ...), the function words of its language (``und``, ``est``, ``você``),
the countries it names, the ``+CC`` prefixes and country-code top-level domains it holds. Each
run of digits is handed to ``phonenumbers``' ``PhoneNumberMatcher`` (leniency VALID: the number
must exist in that region's numbering plan) for each suggested region, within a small window.

A valid match counts when it is international (``+33 (0)1 ...``, ``0033 ...``,
``(+44) 020 ...``), when a phone word in any supported language stands before it (``手机``,
``連絡先``, ``Telefon``, ``appelle``, ``звони``; then, when no suggested region fits, any 8 to
15 digits do), or when it is written grouped (separators, not one run of digits) for a region
the text's language or script names. Regions are computed once per text, and only when a
candidate run exists, so most prompts pay a single regex scan.
"""

from __future__ import annotations

import bisect
import re

import phonenumbers as _pn
from phonenumbers import Leniency, PhoneNumberMatcher

from recognizers.function_words import LANG_SETS, WORD_RE
from recognizers.pii.scan import Span

# runs of digits and the separators phone numbers are written with (fullwidth parentheses too)
_RUN_RE = re.compile(r"[+(（]?\d[\d \t().\-/（）]{5,24}\d")
_DATE_RE = re.compile(r"\d{4}[-/.]\d\d[-/.]\d\d|\d\d[-/.]\d\d[-/.]\d{4}|\d\d:\d\d")
# 1.2.3 and 10.0.0.1 (versions, addresses), +35236450.6 (a signed decimal)
# (a decimal has no leading zero before more digits: 01512.3451956 is a dotted phone number)
_VERSIONISH_RE = re.compile(r"\d{1,3}(?:\.\d{1,3}){2,3}|[+(]?(?:0|[1-9]\d*)\.\d+")

_SCRIPTS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"[\u3040-\u30ff]"), ("JP",)),
    (re.compile(r"[\uac00-\ud7af]"), ("KR",)),
    (re.compile(r"[\u4e00-\u9fff]"), ("CN", "TW", "HK")),
    (re.compile(r"[\u0400-\u04ff]"), ("RU", "UA", "BY", "KZ")),
    (re.compile(r"[\u0600-\u06ff]"), ("SA", "AE", "EG", "MA")),
    (re.compile(r"[\u0590-\u05ff]"), ("IL",)),
    (re.compile(r"[\u0370-\u03ff]"), ("GR",)),
    (re.compile(r"[\u0900-\u097f]"), ("IN",)),
    (re.compile(r"[\u0e00-\u0e7f]"), ("TH",)),
)
# function words that tell Latin-script languages apart (two distinct hits make a language)
_LANG_SETS = LANG_SETS
_WORD_RE = WORD_RE

_COUNTRIES = {
    "germany": "DE", "deutschland": "DE", "german": "DE", "france": "FR", "french": "FR",
    "spain": "ES", "españa": "ES", "spanish": "ES", "brazil": "BR", "brasil": "BR",
    "portugal": "PT", "russia": "RU", "россия": "RU", "china": "CN", "中国": "CN",
    "japan": "JP", "日本": "JP", "korea": "KR", "한국": "KR", "india": "IN", "uk": "GB",
    "united kingdom": "GB", "england": "GB", "britain": "GB", "london": "GB", "usa": "US",
    "canada": "CA", "mexico": "MX", "méxico": "MX", "italy": "IT", "italia": "IT",
    "netherlands": "NL", "dutch": "NL", "poland": "PL", "polska": "PL", "australia": "AU",
    "switzerland": "CH", "schweiz": "CH", "suisse": "CH", "austria": "AT", "österreich": "AT",
    "belgium": "BE", "sweden": "SE", "norway": "NO", "denmark": "DK", "finland": "FI",
    "ireland": "IE", "turkey": "TR", "türkiye": "TR", "argentina": "AR", "chile": "CL",
    "colombia": "CO", "peru": "PE", "south africa": "ZA", "nigeria": "NG", "kenya": "KE",
    "egypt": "EG", "israel": "IL", "dubai": "AE", "saudi": "SA", "singapore": "SG",
    "hong kong": "HK", "taiwan": "TW", "indonesia": "ID", "malaysia": "MY",
    "philippines": "PH", "vietnam": "VN", "thailand": "TH", "new zealand": "NZ",
    "greece": "GR", "czech": "CZ", "hungary": "HU", "romania": "RO", "ukraine": "UA",
}
_MULTIWORD_COUNTRIES = tuple(c for c in _COUNTRIES if " " in c)
_CC_RE = re.compile(r"(?:\+|(?<![\d])00)([1-9]\d{0,2})")
_CCTLD_RE = re.compile(r"\.([a-z]{2})(?![\w.\-])")  # literal first: re skips ahead fast
_NON_LATIN_RE = re.compile(r"[\u0370-\u30ff\u4e00-\u9fff\uac00-\ud7af]")
_GENERIC_CCTLDS = frozenset("io co ai me tv ly sh gg to fm am so cc ws la is it md rs py js ts"
                            " go rb pl pm sa sc".split())  # file extensions and vanity domains
_DEFAULT = ("US", "GB")
_MAX_REGIONS = 8


# a phone word shortly before the number, in the languages the gateway's users write
_PHONE_WORDS = (
    "phone", "tel", "tel.", "telephone", "mobile", "cell", "call", "fax", "whatsapp", "sms",
    "reach", "ring", "dial", "contact",
    "电话", "手机", "联系", "電話", "手機", "聯絡", "携帯", "連絡", "問い合わせ", "전화", "연락",
    "휴대폰", "핸드폰", "문의",
    "telefon", "handy", "mobil", "anrufen", "ruf", "erreichbar", "durchwahl",
    "téléphone", "tél", "portable", "appelle", "appeler", "appelez", "joindre",
    "teléfono", "telefono", "móvil", "movil", "llama", "llamar", "celular", "telefone",
    "ligue", "ligar", "contato", "cellulare", "chiama", "bellen", "telefoon",
    "телефон", "тел", "номер", "звони", "позвони", "моб",
    "aranabilir", "arayın", "arayabilirsiniz", "cep", "numaram", "zadzwoń", "dzwoń", "komórka",
    "komórkowy", "chiamate", "chiamare", "bel me", "هاتف", "جوال", "اتصل", "फ़ोन", "फोन",
    "मोबाइल",
    # "my number" and its kin (a bare "number" or "numéro" is any number's word)
    "my number", "mon numéro", "mon numero", "mi número", "mi numero", "meu número",
    "meu numero", "rufnummer", "numer telefonu", "text me", "llámame", "llamame", "liga",
    "me liga", "whats", "bel", "mobiel", "toestel", "zadzwoń", "zadzwon", "komórka", "komorka",
    "kom.", "座机", "打我",
)
# the phone words of one language, and its regions: a German "Durchwahl" says the numbers
# around it are German ones even where the text has too few function words to say so
_WORD_REGIONS = (
    (("DE", "AT", "CH"), ("handy", "anrufen", "ruf ", "erreichbar", "durchwahl", "rufnummer")),
    (("FR", "BE", "CH"), ("téléphone", "portable", "appelle", "appeler", "appelez", "joindre",
                          "numéro", " poste ")),
    (("ES", "MX", "AR", "CO"), ("teléfono", "móvil", "llama", "llámame", "número")),
    (("BR", "PT"), ("telefone", "ligue", "ligar", "me liga", "ramal", "celular")),
    (("IT",), ("cellulare", "chiama", "interno")),
    (("NL", "BE"), ("bellen", "telefoon", "bel me", "mobiel", "toestel")),
    (("PL",), ("zadzwoń", "zadzwon", "komórka", "komorka", "numer telefonu", "wew.")),
)
_PHONE_WORD_RE = re.compile("|".join(re.escape(w) for w in sorted(_PHONE_WORDS, key=len,
                                                                  reverse=True)))
_WINDOW_AFTER = 16  # room for an extension: "ext. 204", "x204", "доб. 12"
# an extension right after a number: only a phone number has one
_EXTENSION_RE = re.compile(
    r"[ \t]*[(,（]?[ \t]*(?:ext|extn|extension|x|доб|poste|durchwahl|app|ramal|interno|int"
    r"|wew|toestel|内線|内线|转|轉|분기|내선|分机)\.?[ \t]*\d{1,5}(?!\d)",
    re.I,
)
_CHAIN_GAP = 24  # "call 030 123456 or 0151 2345678": a number right after a phone is one too


class _Regions:
    """The regions a text suggests, computed on first use."""

    def __init__(self, text: str, low: str) -> None:
        self.text, self.low = text, low
        self._hinted: tuple[str, ...] | None = None

    @property
    def hinted(self) -> tuple[str, ...]:
        if self._hinted is None:
            self._hinted = _hints(self.text, self.low)
        return self._hinted


def _hints(text: str, low: str) -> tuple[str, ...]:
    out: list[str] = []
    if _NON_LATIN_RE.search(text):
        for pattern, regions in _SCRIPTS:
            if pattern.search(text):
                out.extend(regions)
    words = set(_WORD_RE.findall(low, 0, 20_000))  # one pass; then set lookups
    if not out:  # a Latin-script text: its language, by function words
        for regions, lang_words in _LANG_SETS:
            if len(words & lang_words) >= 2:
                out.extend(regions)
    for regions, phone_words in _WORD_REGIONS:
        if any(w in low for w in phone_words):
            out.extend(regions)
    out.extend(_COUNTRIES[w] for w in words if w in _COUNTRIES)
    out.extend(_COUNTRIES[c] for c in _MULTIWORD_COUNTRIES if c in low)
    for m in _CC_RE.finditer(text):
        region = _pn.region_code_for_country_code(int(m.group(1)))
        if region != "ZZ":
            out.append(region)
    for m in _CCTLD_RE.finditer(low):
        tld = m.group(1)
        if m.start() and low[m.start() - 1].isalnum() and tld not in _GENERIC_CCTLDS:
            out.append("GB" if tld == "uk" else tld.upper())
    known = _pn.SUPPORTED_REGIONS
    return tuple(r for r in dict.fromkeys(out) if r in known)[:_MAX_REGIONS]


# a row's own country: a quoted or comma-separated ISO code on the number's line
# (``(3, 'SE', '070-123 52 05')``, ``AT,0664 122233``)
_ROW_REGION_RE = re.compile(
    r"(?:(?<=['\"])[A-Z]{2}(?=['\"])|(?<=[,;|\t])[ \t]*[A-Z]{2}[ \t]*(?=[,;|\t]))"
)
# a signature's or a card's label for a number: "M: 090-…", "T +49 …", "Tel. …", "Fax …"
_LABEL_RE = re.compile(r"(?:^|\n)[ \t]*(?:[TMFPC]|tel|mob|fax|cell|ph|tél)[.:]?[ \t]+$", re.I)


def _row_regions(text: str, s: int) -> tuple[str, ...]:
    ls = text.rfind("\n", 0, s) + 1
    le = text.find("\n", s)
    line = text[ls:le if le >= 0 else len(text)]
    if len(line) > 400:
        return ()
    known = _pn.SUPPORTED_REGIONS
    return tuple(dict.fromkeys(r for m in _ROW_REGION_RE.finditer(line)
                               if (r := m.group().strip(" \t")) in known))


def _column_says_phone(low: str, s: int) -> bool:
    """The value stands in a phone column: the column list of the INSERT it belongs to, or
    the header line of its CSV block, names a phone."""
    ls = low.rfind("\n", 0, s) + 1
    ins = low.rfind("insert into", max(0, ls - 4000), ls)
    if ins >= 0:
        vals = low.find("values", ins, ls + 1)
        if vals >= 0 and _PHONE_WORD_RE.search(low, ins, vals):
            return True
    fence = low.rfind("```", max(0, ls - 4000), ls)
    if fence >= 0:  # a CSV block: its first line is the header
        h0 = low.find("\n", fence) + 1
        h1 = low.find("\n", h0)
        if 0 < h0 < ls and h1 >= 0 and "," in low[h0:h1]:
            return _PHONE_WORD_RE.search(low, h0, h1) is not None
    return False


def national_phones(text: str, low: str, spans: list[Span]) -> None:
    """Append the PHONE spans of numbers in national or international form."""
    regions: _Regions | None = None
    phone_ends = sorted(_chain_end(text, e) for _, e, t in spans if t == "PHONE")
    # the numbers another pass found already (international ones, without an extension, which
    # this pass would add): not matched again
    found = sorted((a, b) for a, b, t in spans
                   if t == "PHONE" and _EXTENSION_RE.match(text, b) is None)
    for m in _RUN_RE.finditer(text):
        s, e = m.span()
        if found:
            i = bisect.bisect_right(found, (s, len(text))) - 1
            if i >= 0 and found[i][1] >= e:
                continue
        run = m.group()
        ndigits = sum(ch.isdigit() for ch in run)
        if ndigits < 7 or ndigits > 17 or (s and text[s - 1].isalnum() and text[s - 1].isascii()):
            continue
        if _in_token(text, s, e):
            continue  # the digits of a name: claude-haiku-4-5-20251001, build_2024-07-1113
        if _DATE_RE.search(run) and ndigits <= 14:
            continue
        if _VERSIONISH_RE.fullmatch(run) and not _has_phone_word(low, s) and not (
                _EXTENSION_RE.match(text, e)):
            continue  # a version or an address, unless a phone word says otherwise
        if regions is None:
            regions = _Regions(text, low)
        chained = _after_phone(text, phone_ends, s)
        if _match_run(text, low, s, e, regions, spans, chained):
            bisect.insort(phone_ends, _chain_end(text, spans[-1][1]))


def _chain_end(text: str, e: int) -> int:
    """Where a phone number ends for the next one's sake: after its extension, if any."""
    m = _EXTENSION_RE.match(text, e)
    return m.end() if m else e


def _in_token(text: str, s: int, e: int) -> bool:
    """The run continues a word through a joiner (``haiku-4-5-2025…``, ``v_1234567``) or goes
    on into one: an identifier's digits, not a number standing alone."""
    before = s >= 2 and text[s - 1] in "-_." and text[s - 2].isalpha()
    # Only a Latin letter continues a token: in CJK and Korean a number runs straight into
    # the next word or particle (電話は090-1234-5678です, 010-1234-5678로).
    after = e < len(text) and (_latin(text[e]) or (
        text[e] in "-_" and e + 1 < len(text) and text[e + 1].isalpha()))
    return before or after


def _latin(ch: str) -> bool:
    return ch.isalpha() and ch < "\u0250"


def _after_phone(text: str, phone_ends: list[int], s: int) -> bool:
    """A phone number ends shortly before ``s`` on the same line: a list of numbers."""
    i = bisect.bisect_right(phone_ends, s) - 1
    return i >= 0 and s - phone_ends[i] <= _CHAIN_GAP and "\n" not in text[phone_ends[i]:s]


def _match_run(text: str, low: str, s: int, e: int, regions: _Regions,
               spans: list[Span], chained: bool = False) -> bool:
    """Append the number in the run, if one; whether one was."""
    intl = text.startswith(("+", "00", "(+", "（+"), s)
    worded = _has_phone_word(low, s) or _EXTENSION_RE.match(text, e) is not None or (
        _LABEL_RE.search(text, max(0, s - 12), s) is not None)
    row = _row_regions(text, s) if "'" in text or "," in text else ()
    context = worded or chained or (bool(row) and _column_says_phone(low, s))
    hinted = tuple(dict.fromkeys(row + regions.hinted))
    if not (intl or context or hinted):
        return False  # an English text's national numbers: the NANP and label rules' (phone.py)
    tried = hinted + tuple(r for r in _DEFAULT if r not in hinted)
    lo = max(0, s - 2)
    window = text[lo:min(len(text), e + _WINDOW_AFTER)]
    for region in tried:
        for pm in PhoneNumberMatcher(window, region, leniency=Leniency.VALID):
            a, b = _trim(window, pm.start, pm.end)
            raw = window[a:b]
            grouped = any(not ch.isdigit() for ch in raw.lstrip("+"))
            if intl or context or (grouped and region in hinted):
                spans.append((lo + a, lo + b, "PHONE"))
                return True
    if worded:
        # a phone word before it, but no region the text suggests fits: some region's plan
        # would call almost any 8-15 digit number valid, so the word is the evidence (a
        # number after another one must still be valid somewhere the text suggests)
        a, b = _trim(text, s, e)
        if 8 <= sum(ch.isdigit() for ch in text[a:b]) <= 15:
            spans.append((a, b, "PHONE"))
            return True
    return False


def _has_phone_word(low: str, s: int) -> bool:
    for m in _PHONE_WORD_RE.finditer(low, max(0, s - 40), s):
        a, b = m.span()
        word = m.group()
        if word.isascii() and ((a and low[a - 1].isalpha()) or (
                len(word) < 5 and b < len(low) and low[b].isalpha())):
            continue  # "tel" in "hotel", "call" in "callback"; telefonu, Telefonnummer count
        return True
    return False


def _trim(window: str, a: int, b: int) -> tuple[int, int]:
    """Drop an opening bracket the number does not close: "（090-1234-3482" in "（090-...）"."""
    raw = window[a:b]
    while b > a and window[b - 1] in " \t-./(（":
        b -= 1
    if raw[:1] in "(（" and raw.count("(") + raw.count("（") > raw.count(")") + raw.count("）"):
        a += 1
    return a, b
