"""Fake secrets: public prefixes, checksums (GitHub CRC32), PEM and JWT structure and URL
userinfo kept; every secret character replaced within its alphabet.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from random import Random

from proxy.veil.fakes.chars import (
    BASE32,
    BASE62,
    CONSONANTS_LOWER,
    DIGITS,
    MAX_TRIES,
    VOWELS_LOWER,
    fake_chars,
    fake_in_alphabet,
    force_different,
)
from recognizers.secrets import codecs

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
    for _ in range(MAX_TRIES):
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
    for _ in range(MAX_TRIES):
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
    for _ in range(MAX_TRIES):
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
    return force_different(value, value, rng)


def _differ_everywhere(original: str, fake: str, rng: Random) -> str:
    """Each letter and digit of ``fake`` unlike the original's at its place: an encoding spells
    every character in several (``0x6b, ``), so one kept by chance keeps a long run."""
    out = list(fake)
    for i, (a, b) in enumerate(zip(original, fake, strict=False)):
        if a == b and a.isascii() and a.isalnum():
            pool = DIGITS if a.isdigit() else "abcdefghijklmnopqrstuvwxyz"
            c = rng.choice([p for p in pool if p != a.lower()])
            out[i] = c.upper() if a.isupper() else c
    return "".join(out)


def _shares_run(a: str, b: str, n: int) -> bool:
    runs = {a[i:i + n] for i in range(len(a) - n + 1)}
    return any(b[i:i + n] in runs for i in range(len(b) - n + 1))


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
        return force_different(value, fake, rng)

    if _GITHUB_CLASSIC_RE.fullmatch(value):
        return _fake_github_classic(value, rng)

    if _AWS_KEY_ID_RE.fullmatch(value):
        if all(ch in BASE32 for ch in value[4:]):  # real key ids are base32
            return value[:4] + fake_in_alphabet(value[4:], BASE32, rng)
        return fake_chars(value, rng, keep_prefix=4)

    if _TWILIO_RE.fullmatch(value):
        return value[:2] + fake_chars(value[2:], rng)

    jwt = _JWT_RE.fullmatch(value)
    if jwt:
        header, payload, signature = jwt.groups()
        keep = 3 if payload.startswith("eyJ") else 0
        new_payload = fake_chars(payload, rng, keep_prefix=keep) if payload else payload
        new_signature = fake_chars(signature, rng) if signature else signature
        return force_different(value, f"{header}.{new_payload}.{new_signature}", rng)

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
        return force_different(value, fake, rng)

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

    if kind.startswith("ENCODED_"):
        # hex, escapes, percent-encoding, byte lists (recognizers/secrets/codecs.py): the same
        # encoding of a fake secret, so the dummy still decodes
        codec = codecs.kind_of(value)
        decoded = codecs.decode(codec, value) if codec else None
        if codec and decoded is not None:
            # every character faked (no public prefix kept), and no run of 3 of the original's
            # characters anywhere: an encoding spells each character in several, so a short
            # run kept by chance is a long one sent
            for _ in range(MAX_TRIES):
                text = _differ_everywhere(decoded, fake_chars(decoded, rng), rng)
                if len(decoded) > 256 or not _shares_run(decoded, text, 3):
                    break
            fake = codecs.encode(codec, text, like=value)
            if fake != value:
                return fake
        return fake_chars(value, rng)

    if kind.startswith("BASE64_") and kind not in ("BASE64_TOKEN", "BASE64_BASIC_AUTH"):
        # a blob that encodes a secret (recognizers/secrets/encoded.py): a dummy that decodes
        # would share the encoding of its public parts (PEM armour, JSON keys) with the blob
        return fake_chars(value, rng)

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
