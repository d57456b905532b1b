"""National identifiers with check digits: ``CN_RESIDENT_ID``, ``KR_RRN``, ``BR_CPF`` and others.

Each format is a shape (as people write it, separators included) and a validator: python-stdnum's
checksum and structure checks where stdnum has the number, a few lines of our own where it has
not (Russia's SNILS). A check digit alone is weak evidence (one random number in ten or eleven
passes), so a value counts only when

* its written shape is distinctive and the checksum holds (``143.867.300-01``,
  ``721107-2680530``, ``62695828J``, an 18-character Chinese resident ID with its birth date), or
* an identifier word in any of the supported languages stands near it (``身份证号``,
  ``マイナンバー``, ``Steuer-ID``, ``СНИЛС``, ``numéro de sécurité sociale`` ...) and a format of
  that length validates.

Every pass is gated by one scan for runs of digits, so text without long numbers costs nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from stdnum import exceptions as _stdnum_exceptions
from stdnum.au import tfn as _au_tfn
from stdnum.br import cnpj as _br_cnpj
from stdnum.br import cpf as _br_cpf
from stdnum.ca import sin as _ca_sin
from stdnum.cl import rut as _cl_rut
from stdnum.cn import ric as _cn_ric
from stdnum.de import idnr as _de_idnr
from stdnum.es import dni as _es_dni
from stdnum.es import nie as _es_nie
from stdnum.fi import hetu as _fi_hetu
from stdnum.fr import nir as _fr_nir
from stdnum.gb import nhs as _gb_nhs
from stdnum.in_ import aadhaar as _in_aadhaar
from stdnum.in_ import pan as _in_pan
from stdnum.it import codicefiscale as _it_cf
from stdnum.jp import in_ as _jp_in
from stdnum.kr import rrn as _kr_rrn_module
from stdnum.mx import curp as _mx_curp
from stdnum.nl import bsn as _nl_bsn
from stdnum.pl import pesel as _pl_pesel
from stdnum.pt import nif as _pt_nif
from stdnum.ru import inn as _ru_inn
from stdnum.se import personnummer as _se_pnr
from stdnum.tr import tckimlik as _tr_tck
from stdnum.us import ssn as _us_ssn

from recognizers.pii.scan import Span

_SEP = str.maketrans("", "", " .-/")


def _snils(value: str) -> bool:
    """Russia's SNILS: 9 digits and a 2-digit check (weights 9..1, mod 101, 100 -> 0)."""
    digits = value.translate(_SEP)
    if len(digits) != 11 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(9, 0, -1), strict=True))
    check = total % 101
    return (0 if check == 100 else check) == int(digits[9:])


# Province codes (GB/T 2260's first two digits): mainland provinces, Taiwan, Hong Kong, Macau
_CN_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64"
    " 65 71 81 82 83 91".split())


def _cn_resident_id(value: str) -> bool:
    """China's resident ID: checksum, birth date and province. stdnum also looks the county up
    in a table keyed by the birth year, which refuses real numbers (a county created after its
    holder's birth still issues numbers), so only the province is checked here."""
    number = value.replace(" ", "").upper()
    if len(number) != 18 or not number[:17].isdigit() or number[:2] not in _CN_PROVINCES:
        return False
    try:
        _cn_ric.get_birth_date(number)
    except (_stdnum_exceptions.ValidationError, ValueError):
        return False
    return _cn_ric.calc_check_digit(number) == number[-1]


def _kr_rrn(value: str) -> bool:
    """Korea's resident registration number: birth date, the century-and-sex digit and the
    check digit. stdnum also requires the old birth-place digits, which numbers issued since
    October 2020 no longer carry (they are random), so those are not checked."""
    digits = value.replace("-", "")
    if len(digits) != 13 or not digits.isdigit() or digits[6] not in "12345678":
        return False
    try:
        _kr_rrn_module.get_birth_date(digits)
    except (_stdnum_exceptions.ValidationError, ValueError):
        return False
    return _kr_rrn_module.calc_check_digit(digits) == digits[-1]


def _uk_nino(value: str) -> bool:
    """A UK National Insurance number: HMRC never issues D, F, I, Q, U, V as either prefix
    letter, O second, nor the prefixes BG, GB, KN, NK, NT, TN, ZZ. No check digit."""
    v = value.replace(" ", "").upper()
    return (len(v) == 9 and v[0] not in "DFIQUV" and v[1] not in "DFIQUVO"
            and v[:2] not in ("BG", "GB", "KN", "NK", "NT", "TN", "ZZ"))


def _valid(module: object) -> Callable[[str], bool]:
    def check(value: str) -> bool:
        try:
            return bool(module.is_valid(value))  # type: ignore[attr-defined]
        except (_stdnum_exceptions.ValidationError, ValueError):  # pragma: no cover
            return False
    return check


@dataclass(frozen=True)
class IdFormat:
    type: str
    shape: re.Pattern[str]  # fullmatch on the value as written
    valid: Callable[[str], bool]
    strong: bool  # the written shape and the checksum suffice, no context needed


def _f(type_: str, shape: str, valid: Callable[[str], bool], strong: bool = False) -> IdFormat:
    return IdFormat(type_, re.compile(shape), valid, strong)


# Most specific first: the first format that validates names the type.
FORMATS: tuple[IdFormat, ...] = (
    _f("CN_RESIDENT_ID", r"\d{17}[\dXx]|\d{6} \d{8} \d{3}[\dXx]", _cn_resident_id, strong=True),
    _f("KR_RRN", r"\d{6}-\d{7}", _kr_rrn, strong=True),
    _f("BR_CPF", r"\d{3}\.\d{3}\.\d{3}-\d{2}", _valid(_br_cpf), strong=True),
    _f("BR_CNPJ", r"\d{2}\.\d{3}\.\d{3}/\d{4}-\d{2}", _valid(_br_cnpj), strong=True),
    _f("RU_SNILS", r"\d{3}-\d{3}-\d{3}[ \-]\d{2}", _snils, strong=True),
    _f("FR_NIR", r"[12] \d{2} \d{2} (?:\d{2}|2[AB]) \d{3} \d{3} \d{2}", _valid(_fr_nir),
       strong=True),
    _f("ES_DNI", r"\d{8}-?[A-Z]", _valid(_es_dni), strong=True),
    _f("ES_NIE", r"[XYZ]-?\d{7}-?[A-Z]", _valid(_es_nie), strong=True),
    _f("IT_FISCAL_CODE", r"[A-Z]{6}\d{2}[A-Z]\d{2}[A-Z]\d{3}[A-Z]", _valid(_it_cf), strong=True),
    _f("MX_CURP", r"[A-Z]{4}\d{6}[HM][A-Z]{5}[0-9A-Z]\d", _valid(_mx_curp), strong=True),
    _f("FI_HETU", r"\d{6}[\-+A]\d{3}[0-9A-Y]", _valid(_fi_hetu), strong=True),
    _f("CL_RUT", r"\d{1,2}\.\d{3}\.\d{3}-[\dkK]", _valid(_cl_rut), strong=True),
    # shapes that plain numbers share: only beside an identifier word
    _f("KR_RRN", r"\d{13}", _kr_rrn),
    _f("FR_NIR", r"[12]\d{4}(?:\d{2}|2[AB])\d{8}", _valid(_fr_nir)),
    _f("JP_MY_NUMBER", r"\d{4}[ \-]?\d{4}[ \-]?\d{4}", _valid(_jp_in)),
    _f("IN_AADHAAR", r"\d{4}[ \-]?\d{4}[ \-]?\d{4}", _valid(_in_aadhaar)),
    _f("DE_TAX_ID", r"\d{2} ?\d{3} ?\d{3} ?\d{3}", _valid(_de_idnr)),
    _f("BR_CPF", r"\d{11}", _valid(_br_cpf)),
    _f("RU_SNILS", r"\d{11}|\d{9} \d{2}", _snils),
    _f("PL_PESEL", r"\d{11}", _valid(_pl_pesel)),
    _f("TR_TC_KIMLIK", r"\d{11}", _valid(_tr_tck)),
    _f("RU_INN", r"\d{10}|\d{12}", _valid(_ru_inn)),
    _f("PT_NIF", r"[1-35689]\d{8}", _valid(_pt_nif)),
    _f("US_SSN", r"\d{3}-\d{2}-\d{4}|\d{9}", _valid(_us_ssn)),
    _f("UK_NHS", r"\d{3}[ \-]?\d{3}[ \-]?\d{4}", _valid(_gb_nhs)),
    _f("CA_SIN", r"\d{3}[ \-]?\d{3}[ \-]?\d{3}", _valid(_ca_sin)),
    _f("AU_TFN", r"\d{3} ?\d{3} ?\d{2,3}", _valid(_au_tfn)),
    _f("NL_BSN", r"\d{4}\.?\d{2}\.?\d{3}|\d{9}", _valid(_nl_bsn)),
    _f("SE_PERSONNUMMER", r"(?:\d{2})?\d{6}[\-+]?\d{4}", _valid(_se_pnr)),
    _f("IN_PAN", r"[A-Z]{5}\d{4}[A-Z]", _valid(_in_pan)),
    _f("UK_NINO", r"[A-Z]{2}\d{6}[A-D]", _uk_nino),
)
# The NINO written in its groups (``QQ 12 34 56 C``): a shape no other number has
_NINO_SPACED_RE = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2} \d\d \d\d \d\d [A-D](?![A-Za-z0-9])")
TYPES = tuple(dict.fromkeys(f.type for f in FORMATS))

# Words that name a national identifier, in the languages the gateway's users write (matched
# on the lower-cased text, no word boundary: CJK has none).
CONTEXT_WORDS = (
    # zh, ja, ko
    "身份证", "身分證", "证件号", "證件號", "居民身份", "マイナンバー", "個人番号", "住民票",
    "주민등록번호", "주민번호", "외국인등록번호",
    # de, fr, es, pt, it, nl, pl, sv, fi, tr, ru
    "steuer-id", "steuerid", "steuer-identifikationsnummer", "steueridentifikationsnummer",
    "identifikationsnummer", "idnr", "personalausweis", "sozialversicherungsnummer",
    "nir", "sécurité sociale", "securite sociale", "numéro de sécu", "insee",
    "dni", "nie", "nif", "contribuinte", "documento nacional", "cpf", "cnpj", "rg",
    "codice fiscale",
    "documento", "identidade", "identidad", "identité", "ausweisnummer", "удостоверени",
    "bsn", "burgerservicenummer", "pesel", "personnummer", "henkilötunnus", "hetu",
    "kimlik", "curp", "rut", "снилс", "инн", "паспорт", "inn", "snils",
    # en and English abbreviations
    "ssn", "social security", "national id", "national insurance", "nino", "ni number",
    "ni_number", "ni no", "nhs", "aadhaar", "आधार",
    "pan", "tfn", "tax file", "tax id", "taxpayer", "sin", "resident id", "identity number",
    "id number", "id no", "id card", "my number",
)
_CONTEXT_RE = re.compile("|".join(re.escape(w) for w in sorted(CONTEXT_WORDS, key=len,
                                                                reverse=True)))
_ASCII_WORD = re.compile(r"[a-z]")
_BEFORE, _AFTER = 48, 24

# candidates: digits with the separators IDs are written with, and the letters some carry
# (ASCII boundaries: in CJK prose the number touches the words around it)
_CANDIDATE_RE = re.compile(
    r"(?<![A-Za-z0-9_.\-/+])(?:[A-Z]{1,6}-?\d[\d .\-/]{5,22}|\d[\d .\-/]{5,22}|[A-Z]{4,6}\d\d"
    r"[\dA-Z]{2,12})[\dA-Z](?![A-Za-z0-9_])"
)
_DIGITS_RE = re.compile(r"\d{2}[\d .\-/]{3,}\d")  # six: a NINO holds six digits
# every format's shape in one pattern: most prefixes of a run fit none (one test, not 31)
_ANY_SHAPE = re.compile("|".join(f"(?:{f.shape.pattern})" for f in FORMATS))


def national_ids(text: str, low: str, spans: list[Span]) -> None:
    """Append the national identifiers of ``text`` (``low``: its lower-cased copy)."""
    if not _DIGITS_RE.search(text):
        return
    for m in _NINO_SPACED_RE.finditer(text):
        if _uk_nino(m.group()):
            spans.append((m.start(), m.end(), "UK_NINO"))
    for m in _CANDIDATE_RE.finditer(text):
        s, e = m.span()
        _candidate(text, low, s, e, spans)


def _candidate(text: str, low: str, s: int, e: int, spans: list[Span]) -> None:
    """The longest prefix of text[s:e] that is an identifier (a run may carry trailing words
    or numbers: "62695828J, que", "721107-2680530 를")."""
    value = text[s:e]
    cuts = [len(value)] + [i for i in range(len(value) - 1, 5, -1) if value[i] in " .-/"]
    context: bool | None = None
    for cut in cuts:
        v = value[:cut].rstrip(" .-/")
        if not v or not _ANY_SHAPE.fullmatch(v):
            continue
        for fmt in FORMATS:
            if not fmt.shape.fullmatch(v):
                continue
            if not fmt.strong:
                if context is None:
                    context = _has_context(low, s, s + len(v))
                if not context:
                    continue
            if fmt.valid(v):
                spans.append((s, s + len(v), fmt.type))
                return


def _has_context(low: str, s: int, e: int) -> bool:
    for m in _CONTEXT_RE.finditer(low, max(0, s - _BEFORE), min(len(low), e + _AFTER)):
        word = m.group()
        if _ASCII_WORD.match(word):  # a Latin word must stand alone: "pan" in "company" is not
            a, b = m.span()
            if (a and low[a - 1].isalpha()) or (b < len(low) and low[b].isalpha()):
                continue
        return True
    return False
