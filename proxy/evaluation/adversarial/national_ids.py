"""National identifiers with valid check digits, one maker per country the corpus writes in.

Each returns (type, text as people write it). The numbers are drawn at random; a valid check
digit is what tells a real identifier from a run of digits, so a detector that validates them
is held to real-looking values.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

_CN_AREAS = ["110101", "110105", "310104", "310115", "440305", "440106", "510107", "330106",
             "420106", "320102", "610113", "500103", "120101", "210102", "370202"]


def cn_resident_id(rng: random.Random) -> tuple[str, str]:
    birth = f"{rng.randint(1960, 2003)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    body = rng.choice(_CN_AREAS) + birth + f"{rng.randint(0, 999):03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    return "CN_RESIDENT_ID", body + check


def kr_rrn(rng: random.Random) -> tuple[str, str]:
    year = rng.randint(1955, 2005)
    digits = f"{year % 100:02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    digits += str(rng.choice([1, 2]) if year < 2000 else rng.choice([3, 4]))
    digits += f"{rng.randint(0, 99999):05d}"
    weights = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]
    check = (11 - sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11) % 10
    full = digits + str(check)
    return "KR_RRN", f"{full[:6]}-{full[6:]}"


def jp_my_number(rng: random.Random) -> tuple[str, str]:
    body = str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(10))
    total = 0
    for n in range(1, 12):
        p = int(body[-n])
        q = n + 1 if n <= 6 else n - 5
        total += p * q
    r = total % 11
    full = body + str(0 if r <= 1 else 11 - r)
    return "JP_MY_NUMBER", f"{full[:4]} {full[4:8]} {full[8:]}"


def de_tax_id(rng: random.Random) -> tuple[str, str]:
    while True:
        digits = rng.sample(range(10), 9)
        digits.append(rng.choice(digits))
        rng.shuffle(digits)
        if digits[0] != 0:
            break
    product = 10
    for d in digits:
        s = (d + product) % 10 or 10
        product = (s * 2) % 11
    check = 11 - product
    full = "".join(map(str, digits)) + str(0 if check == 10 else check)
    return "DE_TAX_ID", f"{full[:2]} {full[2:5]} {full[5:8]} {full[8:]}"


def fr_nir(rng: random.Random) -> tuple[str, str]:
    dept = rng.choice([d for d in range(1, 96) if d != 20])
    parts = [str(rng.choice([1, 2])), f"{rng.randint(50, 99):02d}", f"{rng.randint(1, 12):02d}",
             f"{dept:02d}", f"{rng.randint(1, 990):03d}", f"{rng.randint(1, 999):03d}"]
    key = 97 - int("".join(parts)) % 97
    return "FR_NIR", " ".join(parts) + f" {key:02d}"


def es_dni(rng: random.Random) -> tuple[str, str]:
    n = rng.randint(10_000_000, 99_999_999)
    return "ES_DNI", f"{n}{'TRWAGMYFPDXBNJZSQVHLCKE'[n % 23]}"


def br_cpf(rng: random.Random) -> tuple[str, str]:
    while True:
        d = [rng.randint(0, 9) for _ in range(9)]
        if len(set(d)) > 1:
            break
    for n in (10, 11):
        d.append(sum(x * (n - i) for i, x in enumerate(d)) * 10 % 11 % 10)
    s = "".join(map(str, d))
    return "BR_CPF", f"{s[:3]}.{s[3:6]}.{s[6:9]}-{s[9:]}"


def ru_snils(rng: random.Random) -> tuple[str, str]:
    s = f"{rng.randint(2_000_000, 999_999_999):09d}"
    total = sum(int(c) * (9 - i) for i, c in enumerate(s))
    check = total if total < 100 else 0 if total in (100, 101) else total % 101 % 100
    return "RU_SNILS", f"{s[:3]}-{s[3:6]}-{s[6:]} {check:02d}"


def us_ssn(rng: random.Random) -> tuple[str, str]:
    area = rng.choice([a for a in range(1, 900) if a != 666])
    return "US_SSN", f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


def uk_nino(rng: random.Random) -> tuple[str, str]:
    """A National Insurance number: no check digit, but prefix letters HMRC never issues."""
    first = rng.choice("ABCEGHJKLMNPRSTWXYZ")
    while True:
        second = rng.choice("ABCEGHJKLMNPRSTWXYZ")
        if second != "O" and first + second not in ("BG", "GB", "KN", "NK", "NT", "TN", "ZZ"):
            break
    d = "".join(str(rng.randint(0, 9)) for _ in range(6))
    return "UK_NINO", f"{first}{second} {d[:2]} {d[2:4]} {d[4:]} {rng.choice('ABCD')}"


def it_fiscal_code(rng: random.Random) -> tuple[str, str]:
    from stdnum.it import codicefiscale

    letters = "BCDFGHLMNPRSTVZ"
    body = ("".join(rng.choice(letters) for _ in range(6)) + f"{rng.randint(50, 99):02d}"
            + rng.choice("ABCDEHLMPRST") + f"{rng.randint(1, 28) + rng.choice([0, 40]):02d}"
            + rng.choice("ABCDEFGHILM") + f"{rng.randint(1, 999):03d}")
    return "IT_FISCAL_CODE", body + codicefiscale.calc_check_digit(body)


def es_nie(rng: random.Random) -> tuple[str, str]:
    lead = rng.choice("XYZ")
    n = f"{rng.randint(0, 9_999_999):07d}"
    letter = "TRWAGMYFPDXBNJZSQVHLCKE"[int(str("XYZ".index(lead)) + n) % 23]
    return "ES_NIE", f"{lead}{n}{letter}"


def pt_nif(rng: random.Random) -> tuple[str, str]:
    body = rng.choice("123") + "".join(str(rng.randint(0, 9)) for _ in range(7))
    check = 11 - sum(int(c) * (9 - i) for i, c in enumerate(body)) % 11
    return "PT_NIF", body + str(0 if check >= 10 else check)


def ru_inn(rng: random.Random) -> tuple[str, str]:
    """A person's INN: 10 digits and two check digits."""
    from stdnum.ru import inn

    body = f"{rng.randint(1, 99):02d}" + "".join(str(rng.randint(0, 9)) for _ in range(8))
    return "RU_INN", body + inn.calc_personal_check_digits(body)


def _stdnum_valid(rng: random.Random, module: str, digits: int, lead: str = "") -> str:
    import importlib

    mod = importlib.import_module(f"stdnum.{module}")
    while True:
        text = lead + "".join(str(rng.randint(0, 9)) for _ in range(digits - len(lead)))
        if text[0] != "0" and mod.is_valid(text):
            return text


def nl_bsn(rng: random.Random) -> tuple[str, str]:
    return "NL_BSN", _stdnum_valid(rng, "nl.bsn", 9)


def pl_pesel(rng: random.Random) -> tuple[str, str]:
    birth = f"{rng.randint(60, 99):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    return "PL_PESEL", _stdnum_valid(rng, "pl.pesel", 11, birth)


def tr_tc_kimlik(rng: random.Random) -> tuple[str, str]:
    return "TR_TC_KIMLIK", _stdnum_valid(rng, "tr.tckimlik", 11)


#: language -> the national identifier people of that language paste most
BY_LANGUAGE: dict[str, Callable[[random.Random], tuple[str, str]]] = {
    "zh": cn_resident_id, "ko": kr_rrn, "ja": jp_my_number, "de": de_tax_id, "fr": fr_nir,
    "es": es_dni, "pt": br_cpf, "ru": ru_snils,
}


def valid(type_: str, text: str) -> bool:
    """Whether an identifier of this type has a valid check digit (as its issuer computes it)."""
    d = "".join(c for c in text if c.isdigit())
    if type_ == "CN_RESIDENT_ID":
        w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        return len(text) == 18 and text[17] == "10X98765432"[
            sum(int(c) * k for c, k in zip(text[:17], w, strict=True)) % 11]
    if type_ == "KR_RRN":
        w = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]
        return len(d) == 13 and int(d[12]) == (11 - sum(
            int(c) * k for c, k in zip(d[:12], w, strict=True)) % 11) % 10
    if type_ == "JP_MY_NUMBER":
        total = sum(int(d[-1 - n]) * (n + 1 if n <= 6 else n - 5) for n in range(1, 12))
        return len(d) == 12 and int(d[11]) == (0 if total % 11 <= 1 else 11 - total % 11)
    if type_ == "DE_TAX_ID":
        product = 10
        for c in d[:10]:
            product = ((int(c) + product) % 10 or 10) * 2 % 11
        return len(d) == 11 and int(d[10]) == (11 - product) % 10
    if type_ == "FR_NIR":
        return len(d) == 15 and int(d[13:]) == 97 - int(d[:13]) % 97
    if type_ == "ES_DNI":
        return len(text) == 9 and text[8] == "TRWAGMYFPDXBNJZSQVHLCKE"[int(text[:8]) % 23]
    if type_ == "BR_CPF":
        nums = [int(c) for c in d]
        ok = len(nums) == 11
        for n in (9, 10):
            check = sum(x * (n + 1 - i) for i, x in enumerate(nums[:n])) * 10 % 11 % 10
            ok = ok and nums[n] == check
        return ok
    if type_ == "RU_SNILS":
        total = sum(int(c) * (9 - i) for i, c in enumerate(d[:9]))
        check = total if total < 100 else 0 if total in (100, 101) else total % 101 % 100
        return len(d) == 11 and int(d[9:]) == check
    if type_ in _STDNUM:
        import importlib

        return bool(importlib.import_module(f"stdnum.{_STDNUM[type_]}").is_valid(text))
    if type_ == "UK_NINO":
        return re.fullmatch(r"[A-CEGHJ-PR-TW-Z]{2} ?\d\d ?\d\d ?\d\d ?[A-D]", text) is not None
    raise ValueError(type_)


_STDNUM = {"US_SSN": "us.ssn", "IT_FISCAL_CODE": "it.codicefiscale", "ES_NIE": "es.nie",
           "PT_NIF": "pt.nif", "RU_INN": "ru.inn", "NL_BSN": "nl.bsn", "PL_PESEL": "pl.pesel",
           "TR_TC_KIMLIK": "tr.tckimlik"}
#: more identifiers, written in any language's prose
OTHERS: tuple[Callable[[random.Random], tuple[str, str]], ...] = (
    us_ssn, uk_nino, it_fiscal_code, es_nie, pt_nif, ru_inn)
