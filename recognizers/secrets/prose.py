"""Passwords told in a sentence, in many languages: "the password for the test db is X",
"Das Passwort für die Testdatenbank ist X", "测试库的密码是X", "パスワードはXです",
"비밀번호는 X입니다", "Пароль от базы: X"; and in English "the API key is X" for a
token-shaped X.

The local word for password opens the phrase; within the same sentence a copula (is, ist,
est, es, é, är, jest, 是, 为, は, 는 ...) or a colon introduces the value, which must look like a
password (letters with digits or symbols, no word, path, placeholder or code reference). A colon
right after the word is a key of code (``password: x``, the assignments' job) only where the
word is English and opens its line or follows a quote: ``utente x, password:X``, ``密码：X`` and
``contraseña: X`` are sentences. Other languages' words for a key or a token (``トークン：``,
``API-Schlüssel ... lautet``, ``clé d'API ... est``) take a token-shaped value the same way.
Pre-filtered by plain substring checks, so text without any such word costs a few scans.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from recognizers.secrets.assignments import (
    _C_PASSWORD,
    _DOTTED_RE,
    _ENV_NAME_RE,
    _looks_random,
    _value_ok,
)
from recognizers.secrets.entropy import _mixed3, _token_plausible

# on the lower-cased text: any of these means a password word may be there
_TRIGGERS = (
    "pass", "pwd", "kennwort", "contrase", "senha", "пароль", "парол", "密码", "密碼", "口令",
    "パスワード", "暗証番号", "비밀번호", "암호", "hasło", "haslo", "wachtwoord", "lösenord",
    "losenord", "adgangskode", "passord", "salasana", "parola", "şifre", "sifre", "heslo",
    "jelszó", "κωδικ", "סיסמ", "كلمة المرور", "كلمة السر", "पासवर्ड", "mật khẩu", "รหัสผ่าน",
)
_WORDS = (
    r"passwor[dt]s?|passphrase|passcode|passwd|pwd|mot\s+de\s+passe|kennwort|contrase[ñn]as?"
    r"|senhas?|парол[ьяеию]|密码|密碼|口令|パスワード|暗証番号|비밀번호|암호|has[łl]o|wachtwoord"
    r"|l[öo]senord|adgangskode|passord|salasana|parola|[şs]ifre(?:si)?|heslo|jelsz[óo]"
    r"|κωδικ[όο]ς?|סיסמ[הא]|كلمة\s+(?:المرور|السر)|पासवर्ड|m[ậa]t\s+kh[ẩa]u|รหัสผ่าน"
)
# what introduces the value: a copula (Latin, Cyrillic, ...), CJK particles, or a colon / equals
_COPULA = (
    r"(?:\s(?:is|was|ist|war|lautet|est|[ée]tait|es|era|[ée]|è|är|er|jest|je|is|on|е|это"
    r"|είναι|हैं?|là|คือ)\s*[:：]?\s+"
    r"|\s*(?:是|为|為|は|が|는|은|이|:|：|=|—|–)\s*)"
)
_PHRASE = re.compile(
    r"(?<![A-Za-z\u00c0-\u024f\u0400-\u04ff_])(?:" + _WORDS + r")(?![a-z])"
    r"(?P<mid>(?:\s[^\n.。!?！？;；\"'`{}\[\]()<>=:@/\\]{0,47}?)?)(?P<sep>" + _COPULA + ")"
    + r"(?P<q>[\"'`「『“]?)(?P<v>[\x21-\x7e]{6,128})",
    re.IGNORECASE,
)
# English "the API key is X", "the token was X": a token-shaped value (no prose word could be one).
# Found from the copula (str.find) and the value after it; the key word is looked for before.
_COPULAS_EN = (" is ", " was ")
_TOKEN_VALUE_RE = re.compile(r"[ \t]*:?[ \t]*(?P<q>[\"'`]?)(?P<v>[a-z0-9_\-.+/=]{16,200})")
_TOKEN_WORD_RE = re.compile(
    r"(?<![a-z_])(?:api[ _-]?key|access[ _-]?key|secret[ _-]?key|client[ _-]?secret|token|secret)"
    r"s?(?![a-z])(?:\s[^\n.!?;\"'`{}\[\]()<>=:@/\\]{0,40}?)?$")
# Other languages' "the key for the CI is X", "CI用のトークン：X", "토큰:X", "API-Schlüssel ...
# lautet X": a local word for a key or token, the same copulas and colons as passwords, and a
# token-shaped value (16+ characters of three classes, enough entropy: no word says that).
_TOKEN_TRIGGERS = (
    "令牌", "密钥", "秘钥", "金鑰", "密鑰", "トークン", "キー", "シークレット",
    "토큰", "키", "시크릿",
    "schlüssel", "schluessel", "jeton", "clé", "clave", "chave", "токен", "ключ", "секрет",
    "chiave", "sleutel", "klucz", "anahtar",
)
_LOCAL_TOKEN = re.compile(
    r"(?:令牌|密钥|秘钥|金鑰|密鑰|トークン|(?:API|アクセス)?キー|シークレット|토큰|(?:API\s?)?키|시크릿"
    r"|(?<![^\W\d_])(?:(?:api-?)?schl(?:ü|ue)ssel|jetons?|cl[ée]s?|claves?|chaves?|токен[аы]?|ключ"
    r"|секрет|chiavi?|sleutel|klucz|anahtar[ıi]?)(?![^\W\d_]))"
    r"(?P<mid>(?:\s[^\n.。!?！？;；\"`{}\[\]()<>=:@/\\]{0,47}?)?)(?P<sep>" + _COPULA + r")"
    r"(?P<q>[\"'`「『“]?)(?P<v>[\x21-\x7e]{16,200})",
    re.IGNORECASE,
)
_CLOSE = {'"': '"', "'": "'", "`": "`", "「": "」", "『": "』", "“": "”"}
_TRAIL = ".,;:)]}>'\"`"


def scan_prose_passwords(
    text: str, lower: str, add: Callable[[int, int, str, float], None]
) -> None:
    """Report the values of "password ... is X" phrases through ``add``."""
    for cop in _COPULAS_EN:
        i = lower.find(cop)
        while i >= 0:
            vm = _TOKEN_VALUE_RE.match(lower, i + len(cop))
            if vm is not None and _TOKEN_WORD_RE.search(lower, max(0, i - 64), i):
                v = text[vm.start("v"):vm.end("v")].rstrip(".")
                if _mixed3(v) and _token_plausible(v, 3.5) and _value_ok(_C_PASSWORD, v):
                    add(vm.start("v"), vm.start("v") + len(v), "SECRET_VALUE", 0.9)
            i = lower.find(cop, i + 1)
    if any(t in lower for t in _TOKEN_TRIGGERS):
        _local_tokens(text, add)
    if not any(t in lower for t in _TRIGGERS):
        return
    for m in _PHRASE.finditer(text):
        if not m.group("mid") and _keyed(text, m):
            continue  # password=x, "password": x: a key and its value, the assignments' job
        v = _value(m)
        if v is None:
            continue  # code or data, not a word said in a sentence
        s = m.start("v")
        if _is_password(v):
            add(s, s + len(v), "PASSWORD", 0.9)


def _keyed(text: str, m: re.Match[str]) -> bool:
    """``password=x``, ``password: x`` as a key and its value (a config line, a literal): the
    assignments' job. Not in a sentence ("utente jdoe, password:X", "Le mot de passe: X"), nor
    after another language's word, which no key of code is."""
    sep = m.group("sep").strip()
    if sep not in (":", "="):
        return False
    if sep == ":":
        if not m.group().isascii():
            return False
        before = text[text.rfind("\n", 0, m.start()) + 1:m.start()].rstrip()
        if before and (before[-1] in ",;" or before[-1].isalpha()):
            return False
    return True


def _value(m: re.Match[str]) -> str | None:
    """The value of a phrase: inside its quotes, or without the sentence's punctuation."""
    q, v = m.group("q"), m.group("v")
    if q:
        close = v.find(_CLOSE[q]) if _CLOSE[q] in v else -1
        return v[:close] if close > 0 else v
    while v and v[-1] in _TRAIL:
        v = v[:-1]
    return None if any(c in v for c in "\"'`{}\\") else v


def _local_tokens(text: str, add: Callable[[int, int, str, float], None]) -> None:
    for m in _LOCAL_TOKEN.finditer(text):
        if not m.group("mid") and _keyed(text, m):
            continue  # token: x, key=x: the assignments' job
        v = _value(m)
        if v and _mixed3(v) and _token_plausible(v, 3.5) and _value_ok(_C_PASSWORD, v) \
                and not _ENV_NAME_RE.fullmatch(v) and not _DOTTED_RE.fullmatch(v):
            add(m.start("v"), m.start("v") + len(v), "SECRET_VALUE", 0.9)


def _is_password(v: str) -> bool:
    if not _value_ok(_C_PASSWORD, v) or not _looks_random(v):
        return False
    if _ENV_NAME_RE.fullmatch(v) or _DOTTED_RE.fullmatch(v) or "(" in v or "[" in v:
        return False  # os.environ['X'], settings.DB_PASSWORD: a reference, not the value
    classes = sum((any(c.isdigit() for c in v), any(c.isupper() for c in v),
                   any(c.islower() for c in v), any(not c.isalnum() for c in v)))
    return classes >= 2 and any(c.isalpha() for c in v)
