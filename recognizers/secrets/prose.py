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

from recognizers.pii.scan import find_any, lines_matching
from recognizers.secrets.assignments import (
    _C_PASSWORD,
    _C_SECRET,
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
    "mdp", "pw", "비번", "wachtzin", "фраз", "fraza", "frase", "phrase", "パスフレーズ", "문구",
    "短语",
)
_WORDS = (
    r"passwor[dt]s?|passphrase|passcode|passwd|pwd|pw|mdp|mot\s+de\s+passe|kennwort"
    r"|contrase[ñn]as?|palavra[\s-]passe|senhas?|парол[ьяеию]|密码|密碼|口令|パスワード|暗証番号"
    r"|비밀번호|비번|암호|has[łl]o|wachtwoord|l[öo]senord|adgangskode|passord|salasana"
    r"|parola\s+d['’]ordine|parola(?:s[ıi])?|[şs]ifre(?:si|yi|niz)?|heslo|jelsz[óo]"
    r"|κωδικ[όο]ς?|סיסמ[הא]|كلمة\s+(?:المرور|السر)|पासवर्ड|m[ậa]t\s+kh[ẩa]u|รหัสผ่าน"
    # passphrases: the local words for one
    r"|phrase\s+secr[èe]te|frase\s+(?:de\s+paso|secreta|segreta)|frase[\s-]senha|wachtzin"
    r"|(?:кодов|парольн)\w{0,4}\s+фраз\w{0,3}|fraza\s+has[łl]a|parola\s+ifadesi|パスフレーズ"
    r"|암호\s?문구|(?:口令|密码)短语"
)
# what introduces the value: a copula (Latin, Cyrillic, ...), CJK particles, or a colon / equals
# ... and what a change of it says: "changed to X", "geändert auf X", "cambié a X", "на X"
_COPULA = (
    r"(?:[ \t](?:is|was|ist|war|lautet|est|[ée]tait|c['’]est|es|era|[ée]|è|är|er|jest|je|to|on|е"
    r"|это|είναι|हैं?|là|คือ|auf|in|en|a|na|naar|para|на)\s*[:：]?\s+"
    r"|\s*(?:是|为|為|改成了?|改为|は|が|を|는|은|이|를|을|:|：|=|—|–)\s*)"
)
# the word and the value with only a space between ("contraseña X", "hasło X", "PW X") is a
# password only where the value is one beyond doubt (_bare_ok)
_PHRASE = re.compile(
    r"(?<![A-Za-z\u00c0-\u024f\u0400-\u04ff_])(?P<w>" + _WORDS + r")(?![a-z])"
    r"(?:(?P<mid>(?:\s[^\n.。!?！？;；\"'`{}\[\]()<>=:@/\\]{0,47}?)?)(?P<sep>" + _COPULA + ")"
    r"|(?P<bare>[ \t]+))"
    + r"(?P<q>[\"'`「『“]?)(?P<v>[\x21-\x7e]{6,128})",
    re.IGNORECASE,
)
_BARE = re.compile(r"[ \t]+(?P<q>[\"'`「『“]?)(?P<v>[\x21-\x7e]{6,128})")
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
    "chiave", "sleutel", "klucz", "anahtar", "token",
)
_LOCAL_TOKEN = re.compile(
    r"(?:令牌|密钥|秘钥|金鑰|密鑰|トークン|(?:API|アクセス)?キー|シークレット|토큰|(?:API\s?)?키|시크릿"
    r"|(?<![^\W\d_])(?:(?:api-?)?schl(?:ü|ue)ssel|jetons?|cl[ée]s?|claves?|chaves?|токен[аы]?|ключ"
    r"|секрет|chiav[ei]|sleutel|klucz|anahtar[ıi]?"
    # "Zugriffstoken", "API-Token", "toegangstoken", "tokenı", "token dostępu": the word as
    # other languages borrow it
    r"|[^\W\d_]{0,24}-?token(?:s|[ıi]|u|y)?)(?![^\W\d_]))"
    r"(?:(?P<mid>(?:\s[^\n.。!?！？;；\"`{}\[\]()<>=:@/\\]{0,47}?)?)(?P<sep>" + _COPULA + r")"
    r"|(?P<bare>[ \t]+))(?P<q>[\"'`「『“]?)(?P<v>[\x21-\x7e]{16,200})",
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
    hits = find_any(lower, _TOKEN_TRIGGERS)
    if hits:  # the word token is everywhere in code: only the lines that hold one are read
        _local_tokens(text, hits, add)
    if "/" in text:
        hits = find_any(lower, _CRED_TRIGGERS)
        if hits:
            _cred_pairs(text, hits, add)
    if not any(t in lower for t in _TRIGGERS):
        return
    pos = 0
    while (m := _PHRASE.search(text, pos)) is not None:
        pos = m.end("w")  # a phrase rejected may hold the next one ("senha X, a frase-senha é Y")
        if m.group("bare") is None:
            if not m.group("mid") and _keyed(text, m):
                continue  # password=x, "password": x: a key and its value, the assignments' job
            if _phrase_value(m, add, False):
                pos = m.end()
                continue
            m = _BARE.match(text, pos)  # "senha X\na frase...": the value right after the word
            if m is None:
                continue
        if _phrase_value(m, add, True):
            pos = m.end()


def _phrase_value(m: re.Match[str], add: Callable[[int, int, str, float], None],
                  bare: bool) -> bool:
    v = _value(m)
    if v is None:
        return False  # code or data, not a word said in a sentence
    if not _is_password(v) or (bare and _classes(v) < 3):
        return False
    s = m.start("v")
    add(s, s + len(v), "PASSWORD", 0.9)
    return True


# "identifiants : admin / X", "inlog: admin / X", "login admin / X": a user and a password
# after a word for credentials or login, the password one beyond doubt
_CRED_TRIGGERS = (
    "login", "credential", "creds", "identifiant", "inlog", "zugang", "anmelde", "credencia",
    "credenzia", "logowania", "логин", "учётн", "учетн", "giriş", "ログイン", "账号", "帐号",
    "아이디", "계정",
)
_CRED_PAIR = re.compile(
    r"(?<![^\W\d_])(?:login|credentials?|creds|identifiants?|inlog(?:gegevens)?"
    r"|zugang(?:sdaten)?|anmeldedaten|credenciales|credenciais|credenziali|dane\s+logowania"
    r"|логин|уч[её]тн\w{0,4}\s+данн\w{0,3}|giriş(?:\s+bilgileri)?|ログイン(?:ID|情報)?"
    r"|账号|帐号|아이디|계정)(?![^\W\d_])[ \t]*[:：]?[ \t]*(?P<u>[\w.@+-]{2,64})[ \t]*[/／][ \t]*"
    r"(?P<v>[\x21-\x7e]{6,128})",
    re.IGNORECASE,
)


def _cred_pairs(text: str, hits: list[int], add: Callable[[int, int, str, float], None]) -> None:
    for m in lines_matching(text, hits, _CRED_PAIR):
        v = m.group("v")
        while v and v[-1] in _TRAIL:
            v = v[:-1]
        if _is_password(v) and _classes(v) >= 3 and "/" not in v:
            add(m.start("v"), m.start("v") + len(v), "PASSWORD", 0.9)


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


def _local_tokens(text: str, hits: list[int],
                  add: Callable[[int, int, str, float], None]) -> None:
    for m in lines_matching(text, hits, _LOCAL_TOKEN):
        if m.group("bare") is None and not m.group("mid").strip() and _keyed(text, m):
            continue  # token: x, key = x: the assignments' job
        v = _value(m)
        if v and ("(" in v or "[" in v):
            continue  # token = String.fromCharCode(…: code, not a value said
        # (a key may start with a slash: _C_SECRET tells a path from one by its segments)
        if v and _mixed3(v) and _token_plausible(v, 3.5) and _value_ok(_C_SECRET, v) \
                and not _ENV_NAME_RE.fullmatch(v) and not _DOTTED_RE.fullmatch(v):
            add(m.start("v"), m.start("v") + len(v), "SECRET_VALUE", 0.9)


def _is_password(v: str) -> bool:
    if not _value_ok(_C_PASSWORD, v) or not _looks_random(v):
        return False
    if _ENV_NAME_RE.fullmatch(v) or _DOTTED_RE.fullmatch(v) or "(" in v or "[" in v:
        return False  # os.environ['X'], settings.DB_PASSWORD: a reference, not the value
    return _classes(v) >= 2 and any(c.isalpha() for c in v)


def _classes(v: str) -> int:
    """How many of digits, upper case, lower case and symbols a value holds."""
    return sum((any(c.isdigit() for c in v), any(c.isupper() for c in v),
                any(c.islower() for c in v), any(not c.isalnum() for c in v)))
