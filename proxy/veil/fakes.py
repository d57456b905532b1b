"""Format-preserving fake values.

Every generator takes the original value and a ``random.Random`` seeded by the caller (from a
keyed hash of the value, so the same value always gets the same fake) and draws randomness from
that instance only. A fake keeps the format of the original (length, character classes,
separators, public prefixes, checksums, address class) and shares none of its sensitive content:
the result always differs from the original.

Names for e-mail addresses and user names come from the caller (``first``, ``last``); this module
does not import Faker.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
import string
import unicodedata
import zlib
from random import Random

__all__ = [
    "fake_card",
    "fake_chars",
    "fake_email",
    "fake_iban",
    "fake_ipv4",
    "fake_ipv6",
    "fake_password",
    "fake_phone",
    "fake_secret",
    "fake_username",
    "github_checksum",
    "iban_check_digits",
    "luhn_check_digit",
]

DIGITS = string.digits
LOWER = string.ascii_lowercase
UPPER = string.ascii_uppercase
HEX_LOWER = "0123456789abcdef"
HEX_UPPER = "0123456789ABCDEF"
BASE62 = DIGITS + UPPER + LOWER  # GitHub's checksum alphabet: 0-9, A-Z, a-z
BASE32 = UPPER + "234567"  # AWS key ids
CONSONANTS_LOWER = "bcdfghjklmnprstvwz"
VOWELS_LOWER = "aeiou"

_MAX_TRIES = 16


# --------------------------------------------------------------------------------------------
# Character-class substitution
# --------------------------------------------------------------------------------------------


def _is_hex(value: str, alphabet: str) -> bool:
    """All characters from ``alphabet`` and hex-looking (a hash, not a word like "face")."""
    if not value or any(ch not in alphabet for ch in value):
        return False
    has_digit = any(ch.isdigit() for ch in value)
    has_letter = any(not ch.isdigit() for ch in value)
    return has_letter and ((has_digit and len(value) >= 4) or len(value) >= 16)


_ALNUM_RUN_RE = re.compile(r"[0-9A-Za-z]+|[^0-9A-Za-z]+")


def _substitute(value: str, rng: Random) -> str:
    """Character-class substitution, run by run: a hex run stays hex (xoxp-...-<hex>)."""
    return "".join(_substitute_run(run, rng) for run in _ALNUM_RUN_RE.findall(value))


def _substitute_run(value: str, rng: Random) -> str:
    if _is_hex(value, HEX_LOWER):
        return "".join(rng.choice(HEX_LOWER) for _ in value)
    if _is_hex(value, HEX_UPPER):
        return "".join(rng.choice(HEX_UPPER) for _ in value)
    out = []
    for ch in value:
        if ch.isascii() and ch.isdigit():
            out.append(rng.choice(DIGITS))
        elif ch.isascii() and ch.islower():
            out.append(rng.choice(LOWER))
        elif ch.isascii() and ch.isupper():
            out.append(rng.choice(UPPER))
        else:
            out.append(ch)
    return "".join(out)


def _force_different(original: str, fake: str, rng: Random) -> str:
    """If ``fake`` equals ``original``, change one alphanumeric character (within its class)."""
    if fake != original:
        return fake
    positions = [i for i, ch in enumerate(fake) if ch.isascii() and ch.isalnum()]
    if not positions:
        return fake
    i = rng.choice(positions)
    ch = fake[i]
    if ch in HEX_LOWER and _is_hex(original, HEX_LOWER):
        pool = HEX_LOWER
    elif ch in HEX_UPPER and _is_hex(original, HEX_UPPER):
        pool = HEX_UPPER
    else:
        pool = DIGITS if ch.isdigit() else LOWER if ch.islower() else UPPER
    pool = pool.replace(ch, "")
    return fake[:i] + rng.choice(pool) + fake[i + 1 :]


def fake_chars(value: str, rng: Random, keep_prefix: int = 0) -> str:
    """Character-class substitution: digit -> digit, lower -> lower, upper -> upper.

    Everything else (punctuation, ``+/=-_``, whitespace, non-ASCII) is kept, so a base64, hex,
    base62 or base32 value stays in its alphabet; an all-hex value (lower or upper case) gets
    hex characters of the same case. The first ``keep_prefix`` characters are kept verbatim.
    """
    keep_prefix = max(0, min(keep_prefix, len(value)))
    head, tail = value[:keep_prefix], value[keep_prefix:]
    for _ in range(_MAX_TRIES):
        fake = _substitute(tail, rng)
        if fake != tail:
            return head + fake
    return head + _force_different(tail, _substitute(tail, rng), rng)


def _fake_in_alphabet(value: str, alphabet: str, rng: Random) -> str:
    for _ in range(_MAX_TRIES):
        fake = "".join(rng.choice(alphabet) if ch in alphabet else ch for ch in value)
        if fake != value:
            return fake
    return fake_chars(value, rng)


# --------------------------------------------------------------------------------------------
# Secrets
# --------------------------------------------------------------------------------------------

# public prefixes kept verbatim (longest first matters: sk-ant-api03- before sk-)
_SECRET_PREFIXES = (
    "sk-ant-api03-",
    "sk-ant-admin01-",
    "sk-ant-",
    "sk-proj-",
    "sk-svcacct-",
    "sk-admin-",
    "github_pat_",
    "pypi-AgEIcHlwaS5vcmc",
    "pypi-AgENdGVzdC5weXBpLm9yZw",
    "django-insecure-",
    "sk_live_",
    "sk_test_",
    "rk_live_",
    "rk_test_",
    "pk_live_",
    "pk_test_",
    "whsec_",
    "dop_v1_",
    "doo_v1_",
    "dor_v1_",
    "glpat-",
    "gldt-",
    "glptt-",
    "glrt-",
    "xoxb-",
    "xoxp-",
    "xoxa-",
    "xoxr-",
    "xoxs-",
    "xoxe-",
    "xapp-",
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "npm_",
    "hf_",
    "AIza",
    "SG.",
    "sk-",
)
_AWS_KEY_ID_RE = re.compile(
    r"(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA|ABIA|ACCA|APKA)[A-Z0-9]{12,}"
)
_TWILIO_RE = re.compile(r"(?:SK|AC)[0-9a-fA-F]{32}")
_GITHUB_CLASSIC_RE = re.compile(r"gh[pousr]_[0-9A-Za-z]{36}")
_PEM_RE = re.compile(
    r"(-----BEGIN [A-Z0-9 ]+-----)((?:\\n|\\r\\n|\r?\n))(.*?)((?:\\n|\\r\\n|\r?\n)?)"
    r"(-----END [A-Z0-9 ]+-----)",
    re.S,
)
_PEM_MAGIC = ("b3BlbnNzaC1rZXktdjEAAAAA", "MII", "MHc", "MIG", "MC4")
_JWT_RE = re.compile(r"(eyJ[A-Za-z0-9_\-]*)\.([A-Za-z0-9_\-]*)\.([A-Za-z0-9_\-]*)")
_URL_USERINFO_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*://)([^:@/\s]*):([^@\s]*)@")
_MODULAR_CRYPT_RE = re.compile(r"\$(?:2[abxy]?|argon2(?:id|i|d)|[156]|pbkdf2[\w\-]*|scrypt)\$")
_KV_SECRET_RE = re.compile(
    r"((?:AccountName|AccountKey|SharedAccessKeyName|SharedAccessKey|SharedAccessSignature"
    r"|sig|Password|Pwd|User ID|Uid)=)([^;&\s]+)",
    re.I,
)
# an unknown vendor prefix such as lin_api_ or shpat_: short, lowercase, before a long body
_GENERIC_PREFIX_RE = re.compile(r"(?=[a-z_\-]{3,12}[A-Za-z0-9]{16})(?:[a-z]{2,6}[_\-]){1,2}")
_PASSWORD_TYPES = frozenset({"PASSWORD", "DB_PASSWORD"})


def github_checksum(body: str) -> str:
    """The 6-character base62 CRC32 checksum GitHub appends to a 30-character token body."""
    n = zlib.crc32(body.encode("ascii"))
    out = ""
    while n:
        n, r = divmod(n, 62)
        out = BASE62[r] + out
    return out.rjust(6, "0")


def _fake_github_classic(value: str, rng: Random) -> str:
    prefix, body, check = value[:4], value[4:34], value[34:]
    if github_checksum(body) != check:  # no valid checksum to keep: plain substitution
        return fake_chars(value, rng, keep_prefix=4)
    for _ in range(_MAX_TRIES):
        new_body = "".join(rng.choice(BASE62) for _ in body)
        if new_body != body:
            break
    return prefix + new_body + github_checksum(new_body)


def _fake_pem(match: re.Match[str], rng: Random) -> str:
    begin, nl, body, nl_end, end = match.groups()
    lines = re.split(r"(\\r\\n|\\n|\r?\n)", body)
    out = []
    first = True
    for part in lines:
        if re.fullmatch(r"\\r\\n|\\n|\r?\n", part) or not part:
            out.append(part)
            continue
        if ":" in part and " " in part:  # Proc-Type: / DEK-Info: headers of encrypted PEMs
            out.append(part)
            continue
        keep = 0
        if first:
            keep = next((len(m) for m in _PEM_MAGIC if part.startswith(m)), 0)
            first = False
        out.append(fake_chars(part, rng, keep_prefix=keep))
    return begin + nl + "".join(out) + nl_end + end


def _fake_basic_auth(value: str, rng: Random) -> str | None:
    """base64("user:password") -> base64(fake user : fake password), same lengths."""
    if len(value) % 4 or not re.fullmatch(r"[A-Za-z0-9+/]+={0,2}", value):
        return None
    try:
        decoded = base64.b64decode(value, validate=True).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if ":" not in decoded or not decoded.isprintable():
        return None
    user, _, password = decoded.partition(":")
    for _ in range(_MAX_TRIES):
        fake_user = fake_chars(user, rng) if user else user
        fake = fake_user + ":" + fake_password(password, rng)
        encoded = base64.b64encode(fake.encode("ascii")).decode("ascii")
        if encoded != value and len(encoded) == len(value):
            return encoded
    return None


def _fake_with_prefix(value: str, rng: Random) -> str:
    for prefix in _SECRET_PREFIXES:
        if value.startswith(prefix) and len(value) > len(prefix):
            rest = value[len(prefix) :]
            if prefix == "SG.":  # SG.<22>.<43>: dots kept by fake_chars
                return prefix + fake_chars(rest, rng)
            if prefix == "sk-ant-api03-" and rest.endswith("AA"):
                return prefix + fake_chars(rest[:-2], rng) + "AA"
            if prefix.startswith("sk-") and "T3BlbkFJ" in rest:  # OpenAI's base64("OpenAI")
                a, _, b = rest.partition("T3BlbkFJ")
                return prefix + _fake_parts([a, "T3BlbkFJ", b], {1}, rng)
            return prefix + fake_chars(rest, rng)
    return ""


def _fake_parts(parts: list[str], keep: set[int], rng: Random) -> str:
    out = [p if i in keep or not p else fake_chars(p, rng) for i, p in enumerate(parts)]
    return "".join(out)


def fake_password(value: str, rng: Random) -> str:
    """Same length and character classes; letter runs become pronounceable pseudo-words.

    ``Copper!Badger32`` -> ``Tovisa!Mureko58``-like: each letter keeps its case, digits stay
    digits, symbols are kept (so quoting and URL-escaping rules of the context still hold).
    """
    for _ in range(_MAX_TRIES):
        out = []
        run = 0
        for ch in value:
            if ch.isascii() and ch.isalpha():
                pool = CONSONANTS_LOWER if run % 2 == 0 else VOWELS_LOWER
                c = rng.choice(pool)
                out.append(c.upper() if ch.isupper() else c)
                run += 1
            else:
                run = 0
                out.append(rng.choice(DIGITS) if ch.isascii() and ch.isdigit() else ch)
        fake = "".join(out)
        if fake != value:
            return fake
    return _force_different(value, value, rng)


def fake_secret(value: str, type: str, rng: Random) -> str:
    """A fake secret of the same format: public prefixes, separators and checksums kept.

    Known formats: AWS key ids, GitHub classic tokens (valid CRC32 checksum when the original
    had one), fine-grained PATs, GitLab, Slack tokens and webhooks, Stripe, Google, OpenAI,
    Anthropic, SendGrid, Twilio, npm, PyPI, Hugging Face, DigitalOcean, PEM blocks (BEGIN/END
    lines, newlines and line lengths kept, also with JSON-escaped ``\\n``), JWTs (header kept),
    URLs with credentials (user name and password faked, the host kept), modular-crypt
    password hashes (``$2b$12$`` kept), Azure
    connection strings, base64 ``user:password`` credentials and passwords. Anything else gets
    :func:`fake_chars`.
    """
    if not value:
        return value
    kind = (type or "").upper()

    if "-----BEGIN " in value and _PEM_RE.search(value):
        fake = _PEM_RE.sub(lambda m: _fake_pem(m, rng), value)
        return _force_different(value, fake, rng)

    if _GITHUB_CLASSIC_RE.fullmatch(value):
        return _fake_github_classic(value, rng)

    if _AWS_KEY_ID_RE.fullmatch(value):
        if all(ch in BASE32 for ch in value[4:]):  # real key ids are base32
            return value[:4] + _fake_in_alphabet(value[4:], BASE32, rng)
        return fake_chars(value, rng, keep_prefix=4)

    if _TWILIO_RE.fullmatch(value):
        return value[:2] + fake_chars(value[2:], rng)

    jwt = _JWT_RE.fullmatch(value)
    if jwt:
        header, payload, signature = jwt.groups()
        keep = 3 if payload.startswith("eyJ") else 0
        new_payload = fake_chars(payload, rng, keep_prefix=keep) if payload else payload
        new_signature = fake_chars(signature, rng) if signature else signature
        return _force_different(value, f"{header}.{new_payload}.{new_signature}", rng)

    if value.startswith("https://hooks.slack.com/"):
        head, _, rest = value.partition("/services/")
        if rest:
            segments = rest.split("/")
            faked = [fake_chars(s, rng, keep_prefix=1 if s[:1] in "TB" else 0) for s in segments]
            return head + "/services/" + "/".join(faked)

    url = _URL_USERINFO_RE.search(value)
    if url and url.group(3):
        # scheme://user:password@host/...: the user name and the password are faked, the host
        # is left to the caller (host names and internal domains are findings of their own)
        user = fake_chars(url.group(2), rng) if url.group(2) else ""
        password = fake_password(url.group(3), rng)
        return value[: url.start(2)] + user + ":" + password + value[url.end(3) :]

    if _KV_SECRET_RE.search(value):
        fake = _KV_SECRET_RE.sub(lambda m: m.group(1) + fake_chars(m.group(2), rng), value)
        return _force_different(value, fake, rng)

    if _MODULAR_CRYPT_RE.match(value):
        # $2b$12$<22 salt><31 hash>; $argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash>
        bcrypt = value.startswith(("$2a$", "$2b$", "$2y$", "$2x$"))
        keep = 7 if bcrypt else value.rfind("$", 0, len(value) - 1) + 1
        if not bcrypt and value.count("$") > 4:
            keep = value.rfind("$", 0, keep - 1) + 1  # fake the salt as well as the hash
        return fake_chars(value, rng, keep_prefix=min(keep, len(value) - 1))

    prefixed = _fake_with_prefix(value, rng)
    if prefixed:
        return prefixed

    if kind in ("BASIC_AUTH", "DOCKER_AUTH") or (kind not in _PASSWORD_TYPES and "=" in value):
        basic = _fake_basic_auth(value, rng)
        if basic:
            return basic

    if kind in _PASSWORD_TYPES:
        return fake_password(value, rng)

    generic = _GENERIC_PREFIX_RE.match(value)
    if generic and kind not in ("HEX_TOKEN", "BASE64_TOKEN"):
        return fake_chars(value, rng, keep_prefix=generic.end())
    return fake_chars(value, rng)


# --------------------------------------------------------------------------------------------
# E-mail addresses and user names
# --------------------------------------------------------------------------------------------


def _ascii_name(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z]", "", folded.lower())


def _name_parts(first: str, last: str, rng: Random) -> tuple[str, str]:
    f, la = _ascii_name(first or ""), _ascii_name(last or "")
    if not f:
        f = "".join(rng.choice(LOWER) for _ in range(5))
    if not la:
        la = "".join(rng.choice(LOWER) for _ in range(6))
    return f, la


def _digits_like(value: str, rng: Random) -> str:
    return "".join(rng.choice(DIGITS) for _ in value)


def _case_like(template: str, value: str) -> str:
    if template.isupper() and len(template) > 1:
        return value.upper()
    if template[:1].isupper():
        return value[:1].upper() + value[1:]
    return value


_STYLE_RE = re.compile(r"([A-Za-z]+)(?:([._\-])([A-Za-z]+))?(\d*)")


def _handle(original: str, first: str, last: str, rng: Random, email: bool = False) -> str:
    """A handle in the style of ``original`` (first.last, first_last, flast, firstl, first)."""
    m = _STYLE_RE.fullmatch(original)
    if not m:
        return ""
    a, sep, b, digits = m.groups()
    if sep:
        fake = _case_like(a, first) + sep + _case_like(b, last)
    else:
        # single token: flast / firstl / lastf / first / last / fir+las; the one closest in length
        if email:  # flast@ or first@, whichever is closer in length
            candidates = [first[0] + last, first]
        else:
            candidates = [
                first[0] + last,
                first,
                last + first[0],
                first + last[0],
                last,
                first[:3] + last[:3],
                first + last,
            ]
        fake = min(candidates, key=lambda c: abs(len(c) - len(a)))
        fake = _case_like(a, fake)
    return fake + _digits_like(digits, rng)


def fake_email(value: str, rng: Random, first: str, last: str) -> str:
    """``first.last@domain`` style kept from the original local part; the domain is kept."""
    local, at, domain = value.rpartition("@")
    if not at:
        return fake_chars(value, rng)
    tag = ""
    if "+" in local:
        local, _, tag = local.partition("+")
    f, la = _name_parts(first, last, rng)
    new_local = _handle(local, f, la, rng, email=True) or fake_chars(local, rng)
    if tag:
        new_local += "+" + fake_chars(tag, rng)
    if new_local.lower() == local.lower() or new_local.lower() == (local + "+" + tag).lower():
        new_local = fake_chars(local, rng)
    return new_local + "@" + domain


def fake_username(value: str, rng: Random, first: str, last: str) -> str:
    """A lowercase user name in the style of ``value`` (first.last, flast, firstl, ...)."""
    f, la = _name_parts(first, last, rng)
    fake = _handle(value.lower(), f, la, rng) or fake_chars(value.lower(), rng)
    fake = fake.lower()
    if fake == value.lower():
        fake = _force_different(value.lower(), fake, rng)
    return fake


# --------------------------------------------------------------------------------------------
# Phone numbers
# --------------------------------------------------------------------------------------------

_AREA_CODES = (
    "201", "202", "206", "212", "213", "214", "303", "305", "312", "313", "314", "404", "412",
    "415", "425", "469", "503", "504", "512", "602", "612", "617", "646", "650", "702", "713",
    "720", "737", "747", "773", "786", "801", "808", "818", "832", "858", "901", "904", "917",
    "919", "929", "971",
)  # fmt: skip


def _nanp_digits(original: str, rng: Random) -> str:
    """Ten NANP digits in the fictional 555-01xx range with a real area code."""
    for _ in range(_MAX_TRIES):
        fake = rng.choice(_AREA_CODES) + "5550" + "1" + "".join(rng.choice(DIGITS) for _ in "xx")
        if fake != original:
            return fake
    return fake


def _refill(template: str, digits: str) -> str:
    it = iter(digits)
    return "".join(next(it) if ch.isdigit() else ch for ch in template)


def _country_code_length(digits: str) -> int:
    if digits[:1] in ("1", "7"):
        return 1
    try:
        import phonenumbers  # optional: ships with presidio

        for n in (2, 3):
            if int(digits[:n]) in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
                return n
    except ImportError:  # pragma: no cover
        pass
    return 2


def fake_phone(value: str, rng: Random) -> str:
    """Same format: country code, digit count and separators kept; never the original.

    US/NANP numbers (10 digits, optionally ``+1``/``1``) become ``<area>-555-01xx``.
    International numbers keep the country code and the first national digit (mobile or
    landline prefix); the other digits are random.
    """
    digits = "".join(ch for ch in value if ch.isdigit())
    if not digits:
        return value
    stripped = value.lstrip()
    plus = stripped.startswith("+")
    if plus:
        # country code: the first digit group, or the known code of a compact number
        m = re.match(r"\s*\+(\d{1,3})(?=\D)", value)
        cc_len = len(m.group(1)) if m else _country_code_length(digits)
    else:
        cc_len = 1 if len(digits) == 11 and digits[0] == "1" else 0
    cc, national = digits[:cc_len], digits[cc_len:]
    nanp = len(national) == 10 and national[0] in "23456789" and national[3] in "23456789"
    if cc in ("", "1") and nanp:
        new_national = _nanp_digits(national, rng)
    else:
        new_national = national
        for _ in range(_MAX_TRIES):
            keep = 1 if len(national) > 4 else 0
            new_national = national[:keep] + "".join(rng.choice(DIGITS) for _ in national[keep:])
            if new_national != national:
                break
        if new_national == national:
            new_national = _force_different(national, new_national, rng)
    return _refill(value, cc + new_national)


# --------------------------------------------------------------------------------------------
# IP addresses
# --------------------------------------------------------------------------------------------

_PUBLIC_FIRST_OCTETS = (
    23, 31, 34, 35, 37, 44, 46, 52, 54, 62, 64, 66, 74, 78, 80, 81, 85, 88, 91, 94, 104, 107,
    128, 134, 138, 141, 145, 151, 159, 162, 176, 178, 185, 188, 193, 195, 212, 213, 217,
)  # fmt: skip


def _octet(rng: Random, like: str, lo: int = 0, hi: int = 255) -> int:
    """A random octet in [lo, hi] with as many digits as ``like`` when that range allows it."""
    k = len(like)
    a, b = max(lo, 10 ** (k - 1) if k > 1 else 0), min(hi, 10**k - 1)
    return rng.randint(a, b) if a <= b else rng.randint(lo, hi)


def _ipv4_fake_octets(parts: list[str], rng: Random) -> list[int]:
    o = [int(x) for x in parts]
    a, b = o[0], o[1]
    if a == 10:
        new = [10, _octet(rng, parts[1]), _octet(rng, parts[2])]
    elif a == 172 and 16 <= b <= 31:
        new = [172, _octet(rng, parts[1], 16, 31), _octet(rng, parts[2])]
    elif a == 192 and b == 168:
        new = [192, 168, _octet(rng, parts[2])]
    elif a == 100 and 64 <= b <= 127:
        new = [100, _octet(rng, parts[1], 64, 127), _octet(rng, parts[2])]
    elif a == 169 and b == 254:
        new = [169, 254, _octet(rng, parts[2], 1, 254)]
    elif a == 127:
        new = [127, _octet(rng, parts[1]), _octet(rng, parts[2])]
    elif (a, b, o[2]) in ((192, 0, 2), (198, 51, 100), (203, 0, 113)):
        new = [a, b, o[2]]  # documentation ranges (RFC 5737) stay documentation
    elif a == 198 and b in (18, 19):
        new = [198, _octet(rng, parts[1], 18, 19), _octet(rng, parts[2])]
    elif a >= 224:
        new = [a, _octet(rng, parts[1]), _octet(rng, parts[2])]
    elif not ipaddress.ip_address(".".join(parts)).is_global:
        new = [a, b, o[2]]  # another special-purpose range (192.0.0/24, ...): keep its /24
    else:
        same_width = [x for x in _PUBLIC_FIRST_OCTETS if len(str(x)) == len(parts[0])]
        first = rng.choice(same_width or _PUBLIC_FIRST_OCTETS)
        new = [first, _octet(rng, parts[1]), _octet(rng, parts[2])]
    if o[3] in (0, 255):  # a network or broadcast address stays one
        new.append(o[3])
    else:
        new.append(_octet(rng, parts[3], 1, 254))
    return new


def fake_ipv4(value: str, rng: Random) -> str:
    """An IPv4 address of the same class and, where the class allows it, the same length.

    10/8, 172.16/12, 192.168/16, 100.64/10 (CGNAT), 169.254/16, 127/8 and the documentation
    ranges stay in their range; public addresses stay public-looking.
    """
    parts = value.split(".")
    if len(parts) != 4 or not all(p.isdigit() and int(p) <= 255 for p in parts):
        return fake_chars(value, rng)
    fake = value
    for _ in range(_MAX_TRIES):
        fake = ".".join(str(x) for x in _ipv4_fake_octets(parts, rng))
        if fake != value:
            return fake
    # tiny ranges (a documentation /24 network address): move the third octet instead
    octets = [int(x) for x in parts]
    octets[2] = (octets[2] + 1 + rng.randrange(254)) % 256
    return ".".join(str(x) for x in octets)


def _fake_group(group: str, rng: Random, upper: bool) -> str:
    if not group:
        return group
    alphabet = HEX_UPPER if upper else HEX_LOWER
    if len(group) == 1:
        return group if group == "0" else rng.choice(alphabet[1:])
    return rng.choice(alphabet[1:]) + "".join(rng.choice(alphabet) for _ in group[1:])


def fake_ipv6(value: str, rng: Random) -> str:
    """Same prefix style (ULA ``fdXX`` stays ULA, ``fe80`` link-local, ``2001:db8``
    documentation), same ``::`` compression, group count and group lengths."""
    tail4 = ""
    body = value
    m = re.search(r":(\d{1,3}(?:\.\d{1,3}){3})$", value)
    if m:  # ::ffff:10.1.2.3
        body, tail4 = value[: m.start() + 1], fake_ipv4(m.group(1), rng)
    upper = any(ch in "ABCDEF" for ch in body) and not any(ch in "abcdef" for ch in body)
    groups = body.split(":")
    for _ in range(_MAX_TRIES):
        out = [_fake_group(g, rng, upper) for g in groups]
        if groups[0]:
            g0 = groups[0].lower()
            g1 = groups[1].lower() if len(groups) > 1 else ""
            if g0 == "fe80":  # link-local
                out[0] = groups[0]
            elif g0 == "2001" and g1 == "db8":  # documentation prefix
                out[0], out[1] = groups[0], groups[1]
            elif len(g0) == 4 and g0[:2] in ("fd", "fc", "ff"):  # ULA, multicast
                out[0] = groups[0][:2] + out[0][2:]
            elif len(g0) == 4:  # 2xxx global unicast stays 2xxx
                out[0] = groups[0][0] + out[0][1:]
        fake = ":".join(out) + tail4
        if fake != value:
            return fake
    return _force_different(value, value, rng)


# --------------------------------------------------------------------------------------------
# Cards and IBANs
# --------------------------------------------------------------------------------------------


def luhn_check_digit(payload: str) -> str:
    """The digit that makes ``payload + digit`` Luhn-valid."""
    total = 0
    for i, ch in enumerate(reversed(payload)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def _iin_length(digits: str) -> int:
    """How many leading digits name the issuer (kept so the fake stays the same brand)."""
    if digits[:1] == "4":  # Visa
        return 1
    if (
        digits[:4] == "6011" or digits[:1] == "2" or digits[:2] == "35"
    ):  # Discover, MC 2-series, JCB
        return 4
    if digits[:3] in ("644", "645", "646", "647", "648", "649") or digits[:2] == "30":
        return 3  # Discover 644-649, Diners 300-305
    return 2  # Amex 34/37, Mastercard 51-55, Discover 65, Diners 36/38


def fake_card(value: str, rng: Random) -> str:
    """Same issuer prefix (first 1-4 digits), length and grouping; Luhn-valid; not the original."""
    digits = "".join(ch for ch in value if ch.isdigit())
    if len(digits) < 2:
        return fake_chars(value, rng)
    keep = min(_iin_length(digits), len(digits) - 1)
    fake = digits
    for _ in range(_MAX_TRIES):
        payload = digits[:keep] + "".join(rng.choice(DIGITS) for _ in digits[keep:-1])
        fake = payload + luhn_check_digit(payload)
        if fake != digits:
            break
    return _refill(value, fake)


def _iban_number(text: str) -> int:
    return int("".join(str(int(ch, 36)) for ch in text))


def iban_check_digits(country: str, bban: str) -> str:
    """ISO 13616 check digits for ``country`` + ``bban``."""
    return f"{98 - _iban_number(bban + country + '00') % 97:02d}"


def fake_iban(value: str, rng: Random) -> str:
    """Same country code, length and grouping (spaces kept); valid mod-97 check digits."""
    compact = value.replace(" ", "")
    if len(compact) < 5 or not compact[:2].isalpha():
        return fake_chars(value, rng)
    country = compact[:2].upper()
    bban = compact[4:]
    fake = compact
    for _ in range(_MAX_TRIES):
        # digits stay digits and letters letters: BBAN formats fix which positions are which
        new_bban = "".join(
            rng.choice(DIGITS) if ch.isdigit() else rng.choice(UPPER) if ch.isalpha() else ch
            for ch in bban.upper()
        )
        fake = compact[:2] + iban_check_digits(country, new_bban) + new_bban
        if fake != compact:
            break
    it = iter(fake)
    return "".join(ch if ch == " " else next(it) for ch in value)
