"""Fresh planted values from a seeded RNG: invented words, people, phones, tokens, keys.

Every maker takes the record's ``random.Random``, so a seed gives the same corpus and another
seed gives other values. People come from Faker's locale data, phones from ``phonenumbers``'
example numbers with their last digits redrawn until the number is valid again.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import string
import zlib
from functools import cache

import phonenumbers
from faker import Faker

ALNUM = string.ascii_letters + string.digits
LOWER_ALNUM = string.ascii_lowercase + string.digits
B64 = ALNUM + "+/"

_ONSETS = ["b", "br", "d", "dr", "f", "g", "gr", "k", "kr", "l", "m", "n", "p", "qu", "r", "s",
           "st", "t", "tr", "v", "vr", "z", "zh", "th", "x", "j"]
_VOWELS = ["a", "e", "i", "o", "u", "ae", "io", "y"]
_CODAS = ["", "", "n", "r", "x", "th", "l", "s", "k", "v", "m", "nd", "rt"]


@cache
def english() -> frozenset[str]:
    from english_words import get_english_words_set

    return frozenset(get_english_words_set(["web2", "gcide"], lower=True))


def coin(rng: random.Random, syllables: tuple[int, int] = (2, 3)) -> str:
    """An invented lower-case word of 5-10 letters that no English dictionary lists."""
    while True:
        n = rng.randint(*syllables)
        word = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(n))
        word += rng.choice(_CODAS)
        if 5 <= len(word) <= 10 and word not in english():
            return word


def rand(rng: random.Random, n: int, alphabet: str = ALNUM) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def password(rng: random.Random) -> str:
    """A password as people type them: words, digits and a symbol, 12-20 characters."""
    while True:
        core = rand(rng, rng.randint(10, 16), ALNUM + "!#%*+-_.")
        pw = (rng.choice(string.ascii_uppercase) + core + rng.choice("!#%*")
              + str(rng.randint(1, 99)))
        if any(c.isdigit() for c in pw) and any(c.islower() for c in pw):
            return pw


def hex_token(rng: random.Random, n: int = 40) -> str:
    return rand(rng, n, "0123456789abcdef")


def _base62(n: int, width: int) -> str:
    out = ""
    while n:
        n, r = divmod(n, 62)
        out = (string.digits + string.ascii_letters)[r] + out
    return out.rjust(width, "0")


def github_token(rng: random.Random) -> str:
    body = rand(rng, 30)
    return "ghp_" + body + _base62(zlib.crc32(body.encode()), 6)


def provider_token(rng: random.Random) -> tuple[str, str, str]:
    """(type, prefix, random rest) of one of the common provider token formats."""
    kind = rng.choice(["GITHUB_TOKEN", "STRIPE_SECRET_KEY", "SLACK_BOT_TOKEN", "OPENAI_API_KEY",
                       "AWS_SECRET_ACCESS_KEY", "GITLAB_TOKEN", "SENDGRID_API_KEY"])
    if kind == "GITHUB_TOKEN":
        tok = github_token(rng)
        return kind, "ghp_", tok[4:]
    if kind == "STRIPE_SECRET_KEY":
        return kind, "sk_live_", rand(rng, 40)
    if kind == "SLACK_BOT_TOKEN":
        digits = f"{rand(rng, 12, string.digits)}-{rand(rng, 13, string.digits)}"
        return kind, "xoxb-", f"{digits}-{rand(rng, 24)}"
    if kind == "OPENAI_API_KEY":
        return kind, "sk-proj-", rand(rng, 48, ALNUM + "-_")
    if kind == "GITLAB_TOKEN":
        return kind, "glpat-", rand(rng, 20, ALNUM + "-_")
    if kind == "SENDGRID_API_KEY":
        return kind, "SG.", f"{rand(rng, 22, ALNUM + '-_')}.{rand(rng, 43, ALNUM + '-_')}"
    return kind, "", rand(rng, 40, B64)


def jwt(rng: random.Random, claims: dict[str, object]) -> str:
    def seg(obj: object) -> str:
        raw = json.dumps(obj, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    head = seg({"alg": "HS256", "typ": "JWT"}) + "." + seg(claims)
    sig = hmac.new(rng.randbytes(32), head.encode(), hashlib.sha256).digest()
    return head + "." + base64.urlsafe_b64encode(sig).rstrip(b"=").decode()


def pem_body(rng: random.Random, label: str = "EC PRIVATE KEY", lines: int = 3) -> str:
    """A PEM block whose body is random base64 (64 columns): the shape, not a usable key."""
    body = base64.b64encode(rng.randbytes(48 * lines)).decode()
    rows = [body[i:i + 64] for i in range(0, len(body), 64)]
    return f"-----BEGIN {label}-----\n" + "\n".join(rows) + f"\n-----END {label}-----\n"


# -- people -----------------------------------------------------------------------------------

# locale -> how a full name is written there
LOCALES = {
    "zh_CN": "lf", "zh_TW": "lf", "ja_JP": "l f", "ko_KR": "lf", "ru_RU": "f l", "uk_UA": "f l",
    "ar_AA": "f l", "fa_IR": "f l", "hi_IN": "f l", "ne_NP": "f l", "bn_BD": "f l",
    "de_DE": "f l", "fr_FR": "f l", "es_ES": "f l", "es_MX": "f l", "pt_BR": "f l",
    "pt_PT": "f l", "pl_PL": "f l", "cs_CZ": "f l", "tr_TR": "f l", "el_GR": "f l",
    "he_IL": "f l", "vi_VN": "l f", "sv_SE": "f l", "hu_HU": "l f", "ro_RO": "f l",
    "it_IT": "f l", "nl_NL": "f l", "en_US": "f l", "en_GB": "f l", "en_IN": "f l",
}
GENDERED = {"ru_RU", "uk_UA", "pl_PL", "cs_CZ", "el_GR"}
LATIN = ["de_DE", "fr_FR", "es_ES", "es_MX", "pt_BR", "pt_PT", "pl_PL", "cs_CZ", "tr_TR",
         "vi_VN", "sv_SE", "ro_RO", "it_IT", "nl_NL", "en_US", "en_GB", "hu_HU"]
NON_LATIN = ["zh_CN", "zh_TW", "ja_JP", "ko_KR", "ru_RU", "uk_UA", "ar_AA", "fa_IR", "hi_IN",
             "ne_NP", "bn_BD", "el_GR", "he_IL"]


@cache
def faker(locale: str) -> Faker:
    return Faker(locale)


def person(rng: random.Random, locale: str) -> tuple[str, str, str]:
    """(first, last, full name as written in the locale)."""
    f = faker(locale)
    f.seed_instance(rng.getrandbits(32))
    if locale in GENDERED:
        male = rng.random() < 0.5
        first = f.first_name_male() if male else f.first_name_female()
        last = f.last_name_male() if male else f.last_name_female()
    else:
        first, last = f.first_name(), f.last_name()
    order = LOCALES[locale]
    full = order.replace("f", "\0").replace("l", last).replace("\0", first)
    return first, last, full


def ascii_person(rng: random.Random) -> tuple[str, str, str]:
    """A person from a Latin-script locale whose first name is not an English word."""
    while True:
        first, last, full = person(rng, rng.choice(LATIN))
        if " " not in first and first.lower() not in english() and len(first) > 3:
            return first, last, full


def username(rng: random.Random, first: str, last: str) -> str:
    a = _ascii(first) or coin(rng)
    b = _ascii(last) or coin(rng)
    style = rng.randrange(5)
    if style == 0:
        return (a[0] + b).lower()
    if style == 1:
        return f"{a}.{b}".lower()
    if style == 2:
        return f"{a}{b[0]}{rng.randint(1, 99)}".lower()
    if style == 3:
        return f"{b}{a[:2]}".lower()
    return f"{a}_{b}".lower()


def _ascii(s: str) -> str:
    import unicodedata

    out = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    return "".join(c for c in out if c.isalpha())


# -- phones -----------------------------------------------------------------------------------

PHONE_REGIONS = ["US", "CA", "GB", "IE", "FR", "DE", "AT", "CH", "BE", "NL", "ES", "PT", "IT",
                 "SE", "NO", "DK", "FI", "PL", "CZ", "HU", "RO", "GR", "TR", "RU", "UA", "IL",
                 "AE", "SA", "EG", "ZA", "NG", "KE", "IN", "PK", "CN", "HK", "TW", "JP", "KR",
                 "SG", "MY", "TH", "VN", "ID", "PH", "AU", "NZ", "BR", "MX", "AR", "CL", "CO"]


def phone(rng: random.Random, region: str, mobile: bool | None = None) -> phonenumbers.PhoneNumber:
    """A valid number of the region: its example number with the last digits redrawn."""
    kind = phonenumbers.PhoneNumberType
    if mobile is None:
        mobile = rng.random() < 0.6
    ex = phonenumbers.example_number_for_type(region, kind.MOBILE if mobile else kind.FIXED_LINE)
    if ex is None:
        ex = phonenumbers.example_number(region)
    digits = str(ex.national_number)
    for _ in range(200):
        k = min(4, len(digits) - 3)
        cand = digits[:-k] + rand(rng, k, string.digits)
        num = phonenumbers.parse("+" + str(ex.country_code) + cand)
        if phonenumbers.is_valid_number(num) and cand != digits:
            return num
    return ex


def fmt_phone(num: phonenumbers.PhoneNumber, style: str) -> str:
    f = phonenumbers.PhoneNumberFormat
    if style == "e164":
        return phonenumbers.format_number(num, f.E164)
    if style == "intl":
        return phonenumbers.format_number(num, f.INTERNATIONAL)
    if style == "national":
        return phonenumbers.format_number(num, f.NATIONAL)
    intl = phonenumbers.format_number(num, f.INTERNATIONAL)
    cc, _, rest = intl.partition(" ")
    national = phonenumbers.format_number(num, f.NATIONAL)
    if style == "00":  # 0033 1 23 45 67 89
        return "00" + cc[1:] + " " + rest
    if style == "paren_cc":  # (+44) 20 7946 0018
        return f"({cc}) {rest}"
    if style == "trunk":  # +33 (0)1 23 45 67 89: the trunk prefix kept in brackets
        if national.startswith("0"):
            return f"{cc} (0){national[1:].lstrip()}"
        return intl
    if style in ("slash", "dot", "dash"):
        sep = {"slash": "/", "dot": ".", "dash": "-"}[style]
        groups = rest.replace("-", " ").split()
        return cc + " " + sep.join(groups) if style != "slash" else national.replace(" ", "/", 1)
    return intl


# -- hosts and addresses ----------------------------------------------------------------------

AWS_REGIONS = ["us-east-2", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1",
               "ap-northeast-1", "sa-east-1", "ca-central-1", "eu-north-1", "ap-south-1"]
PRIVATE_SUFFIXES = ["internal", "corp", "local", "lan", "intranet", "home.arpa", "localdomain"]


def private_ip(rng: random.Random) -> str:
    first = rng.choice(["10", "172", "192"])
    if first == "10":
        return f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(2, 254)}"
    if first == "172":
        return f"172.{rng.randint(16, 31)}.{rng.randint(0, 255)}.{rng.randint(2, 254)}"
    return f"192.168.{rng.randint(0, 255)}.{rng.randint(2, 254)}"


def ipv6(rng: random.Random) -> str:
    return "fd" + rand(rng, 2, "0123456789abcdef") + ":" + ":".join(
        rand(rng, 4, "0123456789abcdef") for _ in range(3)) + "::" + rand(rng, 3, "123456789abcdef")
