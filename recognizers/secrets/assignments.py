"""Key/value assignments: the literal value of a key that names a secret.

A key whose name ends in a secret noun (password, passwd, pwd, pass, secret, token, api key,
credentials, ``<qualifier>_key``, npm ``_auth``, docker ``"auth"`` ...) followed by ``=``,
``:``, ``:=``, ``=>``, a setter call, an XML element, a CLI flag, ADO/ODBC ``Password=...;`` or
SQL ``PASSWORD '...'``. Only literal values are reported; identifiers, attribute paths,
calls, annotations, environment lookups and template placeholders are public code and stay."""

from __future__ import annotations

import re

from detect_secrets.filters.heuristic import is_sequential_string, is_templated_secret

from recognizers.secrets.entropy import (
    _ALNUM_RE,
    _ALPHA_RE,
    _DIGIT_RE,
    _LOWER_RE,
    _SPACE_RE,
    _SYMBOL_RE,
    _UPPER_RE,
    _Add,
    _entropy,
    _has_seq_run,
    _mixed,
    _mixed3,
    _words,
)

# "session" alone is common in prose and code: only its id spellings trigger
KV_KEYWORDS = (
    "pass", "pwd", "pw", "secret", "token", "key", "auth", "cred", "psw", "sid",
    "sessionid", "session_id", "session-id", "sessioncookie", "session_cookie",
)
# on the lower-cased text, right after a keyword: the rest of the key, a closing quote, the op
_KV_TAIL_RE = re.compile(
    r"(?P<rest>[a-z0-9_.\-]*)"
    r"(?P<close>\\?[\"'`]|\])?\]?"
    # (make's ?= and ::=, Ruby's ||=, JavaScript's ??= assign too)
    r"(?P<op>[ \t]*(?::=|=>|->|<-|==?|\?\??=|\|\|=|::=|:(?![:/]))[ \t]*|[ \t]*,[ \t]*|\(|>"
    r"|[ \t]+)"
)
_KEY_LEFT_REV_RE = re.compile(r"[a-z0-9_.$@\-]{0,64}")  # on the reversed lower-cased text
_WORD_RE = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
_VALUE_RE = re.compile(
    r"(?P<pfx>[rRbBuUfF]{1,2}(?=[\"'])|\[\]byte\(|@(?=\")|)"
    r"(?:(?P<bs>\\{1,3})(?P<eq>[\"'])"
    r"(?P<ev>(?:(?!(?P=eq))[^\\\n]|\\(?![\\\"'])[^\n]){0,500}?)(?P=bs)(?P=eq)"
    r"|(?P<q>[\"'`])(?P<qv>(?:\\.|(?!(?P=q))[^\\\n]){0,500}?)(?P=q)"
    r"|(?P<uv>[^\s\"'`,;\\()\[\]{}<>]{1,300}))"
)
_XML_VALUE_RE = re.compile(r"(?P<v>[^<\n]{1,300}?)</")
# Rust/TypeScript/Kotlin/Swift ``name: Type = "..."``, Go ``var name string = "..."``: only
# before a quoted value, so a YAML ``key: a=b`` stays one value
_TYPE_ANNOT_RE = re.compile(
    r"(?:&(?:'[a-z]+[ \t]+)?(?:mut[ \t]+)?[A-Za-z_][\w:]{0,40}"
    r"|(?:\[\])?(?:[A-Z][\w.:]{0,40}|str|string|bytes|any)(?:<[\w<>, :&']{0,40}>)?(?:\[\])?\??)"
    r"[ \t]*=(?![=>])[ \t]*(?=[\"'`])"
)
_FUNC_BEFORE_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*$")

_PASSWORD_WORDS = _words(
    "password passwd pwd pass pw psw pswd passphrase passcode pword passwort contrasena "
    "contraseña senha motdepasse requirepass masterauth"  # the last two: redis.conf
)
_PASSWORD_SUFFIXES = ("password", "passwd", "passphrase", "passcode", "pwd")
_KEY_QUALIFIERS = (
    "secret", "private", "priv", "access", "signing", "sign", "encryption", "encrypt", "enc",
    "master", "account", "client", "app", "application", "license", "licence", "session",
    "hmac", "jwt", "crypto", "cipher", "aes", "shared", "storage", "service", "admin", "root",
    "webhook", "consumer", "subscription", "deploy", "sas", "primary", "secondary", "mac",
    "auth", "db", "database", "instrumentation", "ingestion", "write", "read", "server",
    "connection", "token", "gpg", "pgp", "ssh", "rsa", "signature", "verification", "cookie",
    "integration", "partner", "merchant", "management", "personal", "sendgrid", "stripe",
    "twilio", "mailgun", "datadog", "dd", "openai", "anthropic", "slack", "github", "gitlab",
    "npm", "pypi", "aws", "gcp", "azure", "ibm", "iam", "cloud", "cos",
)
_HARMLESS_SUFFIX = _words(
    "value val prod production dev development staging stage test local live b64 base64 hex raw "
    "plain plaintext encoded enc b32 base32 escaped bytes old new current confirm confirmation "
    "base again repeat hash digest "
    "default"
)
_NO_SECRET_WORDS = _words("public publishable pub csrf xsrf authenticity hashed")
_CALL_VERBS_OK = frozenset(("set", "with", "put", "use"))
# Android's buildConfigField "String", "API_KEY", "\"x\"": the key is the second argument
_GRADLE_FIELD_RE = re.compile(
    r"\b(?:buildConfigField|resValue)[ \t]*\(?[ \t]*[\"'][\w.]+[\"'][ \t]*,$")
_COMMA_FUNCS = (
    "put", "set", "setproperty", "setdefault", "putenv", "setenv", "getenv", "get", "add",
    "header", "setheader", "set_header", "append", "getproperty", "addheader", "define",
)

_PLACEHOLDER_WORDS = _words(
    """password passwd pass pwd secret secrets token apikey api_key key changeme change_me
    change-me changeit changethis example sample placeholder redacted removed hidden dummy fake
    test testing foo bar baz foobar none null nil undefined true false empty todo fixme tbd
    mypassword my_password my-password yourpassword your_password your-password mysecret
    my_secret my-secret yoursecret your_secret your-secret mytoken my_token your_token
    your-token yourtoken default string str value required optional secret123 password123
    notasecret not_a_secret not-a-secret sekret s3cr3t xxx"""
)
_PLACEHOLDER_SUBSTR_RE = re.compile(  # on the lower-cased value
    r"\$\{|\{\{|\}\}|\$\(|%\([\w.]+\)[sdr]|#\{|example|xxxx|\*\*\*|\.\.\.|…|####"
    r"|your[_\-\s.]?(?:own[_\-\s.]?)?(?:api|key|token|secret|pass|app|client|access|auth|db)"
    r"|[_\-\s]here\b|[_\-]here$|^here[_\-]|insert[_\-\s]|replace[_\-\s]?me|put[_\-\s]your"
    r"|dummy|placeholder|redacted|sample|fake|not[_\-\s]?a[_\-\s]?real|<[^<>]*>|^\[[^\]]*\]$"
    r"|^%[\w.]+%$|^%[sd]$|^\$[A-Za-z_][\w.:]*$|^\{[\w.\s\-]*\}$"
)
_ENV_NAME_RE = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")
_ENV_KEY_RE = re.compile(r"[A-Z][A-Z0-9_]*")
_IDENT_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DOTTED_RE = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*(?:(?:\.|\?\.|->|::)[A-Za-z_][A-Za-z0-9_]*)+")
_DOTTED_SPLIT_RE = re.compile(r"\.|\?\.|->|::")
_HEX_RE = re.compile(r"[0-9a-fA-F]+")
_B64_RE = re.compile(r"[A-Za-z0-9+/_\-]+={0,2}")
_AWS_SECRET_RE = re.compile(r"[A-Za-z0-9/+]{40}")
_AWS_ID_RE = re.compile(r"A(?:KIA|SIA)[A-Z0-9]{16}")
_UUID_RE = re.compile(r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")
_WORDY_RE = re.compile(r"[a-z]+(?:[\-_. ][a-z]+)*|[A-Za-z][a-z]+(?:[A-Z][a-z]+)*")
_PATHY_RE = re.compile(
    r"(?:~|\.{1,2})?(?:/[\w.\-]+)+/?|[A-Za-z]:\\\S*|[a-z][a-z0-9+.\-]*://\S*"
    r"|[\w.\-/]*\.(?:pem|key|crt|cer|der|p12|pfx|jks|json|ya?ml|txt|env|ini|cfg|conf|toml|xml"
    r"|py|js|ts|sh|log|csv|db|sqlite)"
)
_LITERALS = _words(
    "none null nil undefined true false nan yes no on off void self this"
)
_YAML_MARK_RE = re.compile(r"[*&][A-Za-z_][\w\-]*|!!?[A-Za-z][\w\-]*|[$@]\{?[A-Za-z_][\w.:\-]*\}?")
_LINE_PREFIX_RE = re.compile(
    r"(?:^|\n|\\n|\\r)[ \t]*(?:(?:export|set|ENV|ARG|setx|declare|local|readonly)[ \t]+"
    r"|-[ \t]+)?$"
)

# key classes, and the shortest value each can take
_C_PASSWORD = 1
_C_SECRET = 2
_C_API = 3
_C_WEAK = 4
_C_AUTH = 5
_C_ID = 6  # the id of an account or a key: secret-ish only when it is token-shaped
_C_URL_KEY = 7  # ``?key=``/``&key=`` in a URL: an API key, checked as one
_MIN_LEN = (0, 6, 8, 8, 17, 12, 16, 12)  # weak: _token_shaped bounds each shape
# ``<qualifier>_key_id`` names the id of a secret key (``private_key_id``), not of any key
_KEY_ID_QUALIFIERS = _words("private priv secret signing encryption master hmac client")
_ID_WORDS = _words("sid session sessionid")  # account_sid, AccountSid, sessionid


_KEY_CACHE: dict[str, tuple[list[str], int]] = {}


def _key_words(key: str) -> list[str]:
    words: list[str] = []
    for w in _WORD_RE.findall(key):
        w = w.lower()
        if w.isdigit() and words and words[-1] + w in _HARMLESS_SUFFIX:
            words[-1] += w  # "B64" is one word (an encoding), not "b" and "64"
        else:
            words.append(w)
    return words


def _key_class(words: list[str]) -> int:
    """What a key name says about its value: password, secret, api key, weak key, auth, none."""
    while len(words) > 1 and (words[-1].isdigit() or words[-1] in _HARMLESS_SUFFIX):
        words = words[:-1]
    if not words or any(w in _NO_SECRET_WORDS for w in words):
        return 0
    last = words[-1]
    prev = words[-2] if len(words) > 1 else ""
    if last in _PASSWORD_WORDS or last.endswith(_PASSWORD_SUFFIXES):
        return _C_PASSWORD
    if last.endswith(("secret", "token")) or last in ("credential", "credentials", "creds", "cred"):
        return 0 if last.startswith(("csrf", "xsrf")) else _C_SECRET
    if last.endswith("apikey") or (last == "key" and prev == "api"):
        return _C_API
    if last == "auth":
        return _C_AUTH
    if last in _ID_WORDS or (last in ("id", "cookie") and prev == "session") or (
        last == "id" and prev == "key" and len(words) > 2 and words[-3] in _KEY_ID_QUALIFIERS
    ):
        return _C_ID
    if last.endswith("key"):
        stem = last[:-3] if len(last) > 3 else prev
        if stem and stem.endswith(_KEY_QUALIFIERS):
            return _C_SECRET
        return _C_WEAK
    return 0


def _is_placeholder(v: str) -> bool:
    low = v.lower()
    if low in _PLACEHOLDER_WORDS or len(set(v)) <= 2 or is_templated_secret(v):
        return True
    if _PLACEHOLDER_SUBSTR_RE.search(low):
        return True
    return len(v) >= 8 and is_sequential_string(v)


def _path_like(v: str) -> bool:
    """A path, not a token that holds slashes (an AWS secret may start with one): a segment
    of 16+ random characters (upper and lower case and digits) is no directory's name."""
    if _PATHY_RE.fullmatch(v) is None:
        return False
    return not any(len(p) >= 16 and _mixed3(p) and _entropy(p) >= 3.5 for p in v.split("/"))


def _looks_random(v: str) -> bool:
    """A secret-ish literal (not words, a path or a name)."""
    if _WORDY_RE.fullmatch(v) or _path_like(v):
        return False
    has_digit = _DIGIT_RE.search(v) is not None
    has_upper = _UPPER_RE.search(v) is not None
    has_lower = _LOWER_RE.search(v) is not None
    has_sym = _SYMBOL_RE.search(v) is not None
    if has_digit + has_upper + has_lower + has_sym < 2:
        return len(v) >= 16 and _entropy(v) >= 3.5 and not has_sym
    return _entropy(v) >= 2.5


def _token_shaped(v: str) -> bool:
    """Strong token shape, for keys that are only weakly secret (``key``)."""
    n = len(v)
    if n >= 32 and _HEX_RE.fullmatch(v):
        return bool(_DIGIT_RE.search(v) and _ALPHA_RE.search(v)) and _entropy(v) >= 3.0
    if n >= 24 and _B64_RE.fullmatch(v) and not _has_seq_run(v) and _mixed3(v) and (
            _entropy(v) >= (3.5 if n >= 32 else 4.0)):
        return True
    if _PAIR_RE.fullmatch(v):  # id:secret (a gem server's BUNDLE_..._KEY=1a2b3c4d:5e6f7a8b)
        return all(_DIGIT_RE.search(p) and _ALPHA_RE.search(p) for p in v.split(":")) and (
            _entropy(v) >= 3.0)
    return n >= 20 and _drawn(v)


_URL_SAFE_RE = re.compile(r"[A-Za-z0-9_\-.~=+/:]+")
_PAIR_RE = re.compile(r"[A-Za-z0-9]{8,64}:[A-Za-z0-9]{8,64}")
_TOKEN_ALPHABET_RE = re.compile(r"[A-Za-z0-9_\-.=+/~]+")
_SWITCH_RE = re.compile(r"(?<=[0-9])[A-Za-z]|(?<=[A-Za-z])[0-9]")


def _drawn(v: str) -> bool:
    """Letters and digits drawn at random in a token's alphabet, whatever its punctuation
    (``live_5mg...i_9v9=qn9``): many switches between letters and digits, no path, no name."""
    if not _TOKEN_ALPHABET_RE.fullmatch(v) or _path_like(v) or _DOTTED_RE.fullmatch(v):
        return False
    switches = len(_SWITCH_RE.findall(v))
    return switches >= max(4, len(v) // 5) and _entropy(v) >= 3.7 and not _has_seq_run(v)


def _value_type(cls: int, v: str) -> str:
    if cls == _C_PASSWORD:
        return "PASSWORD"
    if cls in (_C_API, _C_URL_KEY):
        return "API_KEY"
    if len(v) >= 16 and _HEX_RE.fullmatch(v) and _ALPHA_RE.search(v):
        return "HEX_TOKEN"
    if len(v) >= 16 and _B64_RE.fullmatch(v) and _mixed3(v):
        return "BASE64_TOKEN"
    return "SECRET_VALUE"


def _value_ok(cls: int, v: str) -> bool:
    """Whether a literal assigned to a key of class ``cls`` is a secret worth replacing."""
    n = len(v)
    if n < 4 or n > 1000 or _SPACE_RE.search(v):
        return False
    if not _ALNUM_RE.search(v) or _ENV_NAME_RE.fullmatch(v) or _is_placeholder(v):
        return False
    if cls == _C_PASSWORD:
        return n >= 6 and not _PATHY_RE.fullmatch(v)
    if cls in (_C_SECRET, _C_API):
        if n < 8:
            return False
        if v.isdigit():  # a numeric client id or PIN-like key bound to a secret's name
            return n >= 12 and len(set(v)) >= 6 and not is_sequential_string(v)
        return _UUID_RE.fullmatch(v) is not None or _looks_random(v)
    if cls == _C_AUTH:
        return n >= 12 and _B64_RE.fullmatch(v) is not None and _mixed(v) and _entropy(v) >= 3.0
    if cls == _C_ID:
        return _id_shaped(v)
    if cls == _C_URL_KEY:
        # a token's alphabet (not a path or words): letters and digits well mixed
        return _UUID_RE.fullmatch(v) is not None or (
            _URL_SAFE_RE.fullmatch(v) is not None and not _PAIR_RE.fullmatch(v)
            and _looks_random(v)
            and (_mixed3(v) or len(_SWITCH_RE.findall(v)) >= 3))
    return _token_shaped(v)


_ID_RE = re.compile(r"[A-Za-z0-9_\-]{16,200}")
_ID_WORDS_RE = re.compile(r"[A-Za-z][a-z]{2,}[_\-][A-Za-z][a-z]{2,}")


def _id_shaped(v: str) -> bool:
    """A random id: hex with digits and letters, or mixed-case letters and digits (not
    ``user_profile_2024`` or a name). Not a UUID: web frameworks' session cookies are not
    written so (Django, Rails, PHP, Java and ASP.NET use their own alphabets), while clients'
    session and thread ids in request metadata are (a coding agent's ``session_id``), and they
    grant nothing."""
    if _UUID_RE.fullmatch(v):
        return False
    if _ID_RE.fullmatch(v) is None or _has_seq_run(v) or _ID_WORDS_RE.search(v):
        return False
    if _HEX_RE.fullmatch(v):
        return _DIGIT_RE.search(v) is not None and _ALPHA_RE.search(v) is not None
    if len(v) >= 20 and v.isalnum() and (v.islower() or v.isupper()):
        # PHP's and ASP.NET's session ids: one case, letters and digits well mixed
        digits = sum(c.isdigit() for c in v)
        return 3 <= digits <= len(v) - 3 and _entropy(v) >= 3.5
    return _mixed3(v) and _entropy(v) >= 3.5


def _unquoted_is_code(v: str, nxt: str, line_level: bool, cls: int) -> bool:
    """Bare values that are identifiers, expressions or references rather than literals."""
    if nxt and nxt in "([{":
        return True
    if v.lower() in _LITERALS or _YAML_MARK_RE.fullmatch(v):
        return True
    if "->" in v or "::" in v or "?." in v or "||" in v or "&&" in v:
        return True
    if _DOTTED_RE.fullmatch(v):
        return not any(len(p) >= 16 and _mixed3(p) for p in _DOTTED_SPLIT_RE.split(v))
    if v.isdigit():
        return not line_level or (cls != _C_PASSWORD and (cls not in (_C_SECRET, _C_API)
                                                          or len(v) < 12))
    if _IDENT_RE.fullmatch(v):
        if len(v) >= 16 and _HEX_RE.fullmatch(v) and _DIGIT_RE.search(v):
            return False
        if len(v) >= 16 and _mixed3(v) and _entropy(v) >= 3.5:
            return False
        if len(v) >= 20 and len(_SWITCH_RE.findall(v)) >= 6 and _entropy(v) >= 3.5:
            return False  # letters and digits drawn at random: no name is written so
        if line_level and len(v) >= 20 and v.isalpha() and _random_letters(v):
            return False  # FOO_SECRET=QxZfVbLr...: letters drawn at random, no name's words
        if len(v) < 6 or not _DIGIT_RE.search(v) or not _ALPHA_RE.search(v):
            return True
        if "_" in v and (v.islower() or v.isupper()):
            return True
        mixed_case = bool(_UPPER_RE.search(v) and _LOWER_RE.search(v))
        return not (mixed_case or line_level)
    return False


_CASE_WORD_RE = re.compile(r"[A-Z][a-z]*|[a-z]+")


def _random_letters(v: str) -> bool:
    """Mixed-case letters without the words of a name: CamelCase starts each word with one
    capital and a run of small letters; random letters cut it into many pieces of 1-2."""
    words = _CASE_WORD_RE.findall(v)
    short = sum(len(w) <= 2 for w in words)
    return short >= 4 and short >= 0.4 * len(words) and _entropy(v) >= 3.8


def _line_level(text: str, kstart: int, vend: int) -> bool:
    """Key at the start of its line and value running to the end of it (config files)."""
    if kstart and not _LINE_PREFIX_RE.search(text, max(0, kstart - 40), kstart):
        return False
    rest = text[vend:vend + 2]
    return rest == "" or rest[0] in "\r\n \t#" or rest in ("\\n", "\\r")


_URL_PW_PLACEHOLDERS = _words(
    """password pass passwd pwd secret token pw p apikey api_key key changeme changeit
    yourpassword your_password mypassword my_password pass123 xxx test"""
)


def _url_password_ok(user: str, pw: str) -> bool:
    if len(pw) < 3 or len(set(pw)) <= 2:
        return False
    low = pw.lower()
    if low in _URL_PW_PLACEHOLDERS or low == user.lower():
        return False
    if (pw.isdigit() and len(pw) <= 5) or pw[0] in "$%{<[:":
        return False
    return not _PLACEHOLDER_SUBSTR_RE.search(low)




def scan_assignments(
    text: str, low: str, hits: list[tuple[int, int]], add: _Add
) -> None:
    done_to = -1
    aws_ids: list[int] | None = None
    rlow = ""
    n = len(low)
    for kw_start, kw_end in hits:
        if kw_start < done_to:
            continue
        tm = _KV_TAIL_RE.match(low, kw_end)
        if tm is None:
            continue
        kend = tm.end("rest")
        done_to = kend
        if not rlow:
            rlow = low[::-1]
        lm = _KEY_LEFT_REV_RE.match(rlow, n - kw_start)
        kstart = kw_start - (lm.end() - lm.start())
        if low[kstart:kstart + 1] in ("n", "r", "t") and kstart and low[kstart - 1] == "\\":
            kstart += 1
        if tm.group("op").strip(" \t") == "" and low[kstart:kstart + 1] != "-" and (
            low[tm.end():tm.end() + 1] not in ("'", '"', "\\")
        ) and not _TYPE_ANNOT_RE.match(text, tm.end()) and not _opens_line(text, kstart):
            continue
        key = text[kstart:kend].lstrip("$@-.:")
        kc = _KEY_CACHE.get(key)
        if kc is None:
            words = _key_words(key)
            kc = (words, _key_class(words))
            if len(_KEY_CACHE) < 4096:
                _KEY_CACHE[key] = kc
        words, cls = kc
        if not cls:
            continue
        if cls == _C_WEAK and kstart and text[kstart - 1] in "?&" and key.lower() == "key":
            cls = _C_URL_KEY  # ?key=: a URL's API key (maps, video, search APIs)
        res = _kv_value(text, tm, kstart, key, words, cls)
        if res is None:
            continue
        s, e, v = res
        done_to = max(done_to, e)
        if aws_ids is None and cls != _C_PASSWORD:
            aws_ids = [a.start() for a in _AWS_ID_RE.finditer(text)] if "A" in text else []
        add(s, e, _kv_type(text, cls, words, key, v, s, aws_ids or []), 0.9)

def _opens_line(text: str, i: int) -> bool:
    """Whether only blanks stand between the line's start and ``i``."""
    j = i
    while j and text[j - 1] in " \t":
        j -= 1
    return j == 0 or text[j - 1] == "\n"


def _kv_value(
    text: str, tm: re.Match[str], kstart: int, key: str, words: list[str], cls: int
) -> tuple[int, int, str] | None:
    """The literal value of one key/value candidate: (start, end, value) or None."""
    op = tm.group("op")
    opc = op.strip()
    close = tm.group("close") or ""
    vpos = tm.end()
    before = text[kstart - 1] if kstart else ""
    directive = False
    if opc in (":", ""):  # a declared type between the name and "=": key: &str = "x"
        am = _TYPE_ANNOT_RE.match(text, vpos)
        if am is not None:
            vpos, opc, op = am.end(), "=", "="
    if opc == "(":  # setPassword("x"), .token("x")
        seg = _key_words(key.rsplit(".", 1)[-1])
        if len(seg) > 1 and seg[0] not in _CALL_VERBS_OK:
            return None
    elif opc == ",":  # put("password", "x"), getenv("DB_PASSWORD", "x")
        if close[-1:] not in ('"', "'") or before != close[-1]:
            return None
        j = kstart - 2
        if j >= 0 and text[j] == "\\":
            j -= 1
        while j >= 0 and text[j] in " \t":
            j -= 1
        if j >= 0 and text[j] == "," and _GRADLE_FIELD_RE.search(text, max(0, j - 60), j + 1):
            if text.startswith(('"\\"', "'\\'"), vpos):  # the field's value is a literal of code
                vpos += 1
        elif j < 0 or text[j] != "(":
            return None
        else:
            fm = _FUNC_BEFORE_RE.search(text, max(0, j - 40), j)
            if not fm or not fm.group().lower().endswith(_COMMA_FUNCS):
                return None
    elif opc == ">":  # <password>x</password>
        if close or before not in ("<", ":"):
            return None
        if before == ":" and "<" not in text[max(0, kstart - 20):kstart]:
            return None
        xm = _XML_VALUE_RE.match(text, vpos)
        if not xm:
            return None
        v = xm.group("v").strip()
        if not v or not _value_ok(cls, v):
            return None
        s = vpos + xm.group("v").index(v)
        return s, s + len(v), v
    elif opc == "==":  # ADO/ODBC "Password==x;" (a password starting with "=")
        if before != ";" or cls != _C_PASSWORD:
            return None
        vpos -= 1
        while vpos and text[vpos - 1] != "=":
            vpos -= 1
    elif opc == "":  # whitespace: SQL ``PASSWORD 'x'``, CLI ``--password x``
        directive = cls == _C_PASSWORD and not close and _opens_line(text, kstart)
        if text[kstart:kstart + 1] != "-" and not directive and not (
            len(words) == 1 and words[0] in ("password", "passwd", "pwd") and not close
        ):
            return None
        if close and text[kstart:kstart + 1] == "-":
            return None
        if directive and text[kstart:kstart + 1] != "-":
            # a config directive (redis.conf ``masterauth x``): the value is the line's rest
            vm = _VALUE_RE.match(text, vpos)
            if vm is None or text[vm.end():text.find("\n", vm.end()) % (len(text) + 1)].strip():
                return None

    vm = _VALUE_RE.match(text, vpos)
    if not vm:
        return None
    if vm.group("ev") is not None:
        g, quoted = "ev", True
    elif vm.group("qv") is not None:
        g, quoted = "qv", True
    else:
        g, quoted = "uv", False
    v = vm.group(g)
    if len(v) < _MIN_LEN[cls]:
        return None
    s, e = vm.span(g)
    pfx = vm.group("pfx")
    if quoted:
        if "f" in pfx.lower() and "{" in v:
            return None
        if vm.group("q") == "`" and "${" in v:
            return None
        after = text[vm.end():vm.end() + 3].lstrip(" \t")
        if after[:1] in ("+", "%") and cls != _C_PASSWORD:
            return None
    else:
        if opc in ("(", ",") or pfx:
            return None
        if v.startswith("!!") and text[e:e + 1] == " ":  # YAML tag: "key: !!binary xyz"
            vm2 = _VALUE_RE.match(text, e + 1)
            if vm2 is None or vm2.group("uv") is None:
                return None
            v = vm2.group("uv")
            s, e = vm2.span("uv")
        cli = opc == "" and text[kstart:kstart + 1] == "-"
        if opc == "" and not cli and not directive:
            return None
        if key == "PASS" and opc == ":":
            return None  # "--- PASS: TestX (0.01s)" in test logs
        if op == ":" and not _line_level(text, kstart, e):
            return None  # "group:artifact:1.2", "host:port", "a[i:j]"
        if before in ("?", "&"):  # URL query parameter (a password's "#" is no fragment:
            # JDBC and ODBC URLs carry them raw)
            cut = min((i for i in (v.find("&"), -1 if cls == _C_PASSWORD else v.find("#"))
                       if i >= 0), default=-1)
            if cut >= 0:
                v, e = v[:cut], s + cut
        if not v:
            return None
        nxt = text[e] if e < len(text) else ""
        # FOO_PASSWORD=value (shell, .env, docker -e) and --password=value are literals
        literal_ctx = cli or before in (";", "=", "?", "&") or (
            op == "=" and (key[:1] == "-" or _ENV_KEY_RE.fullmatch(key) is not None)
        )
        line_level = literal_ctx or _line_level(text, kstart, e)
        if _unquoted_is_code(v, nxt, line_level, cls):
            return None
        if cli and (_PATHY_RE.fullmatch(v) or not _looks_random(v)):
            return None
    if not _value_ok(cls, v):
        return None
    return s, e, v

def _kv_type(
    text: str, cls: int, words: list[str], key: str, v: str, pos: int, aws_ids: list[int]
) -> str:
    if key.startswith("_auth"):  # .npmrc
        return "NPM_TOKEN" if v.startswith("npm_") else "BASIC_AUTH"
    if cls == _C_AUTH or key in ("identitytoken", "identityToken"):
        return "DOCKER_AUTH" if text[pos - 1:pos] in ('"', "'") else "BASIC_AUTH"
    if cls == _C_PASSWORD:
        return "PASSWORD"
    if cls == _C_ID:
        return ("PRIVATE_KEY_ID" if words[-1] == "id" and "key" in words
                else "ACCOUNT_SID" if "account" in words else "SESSION_ID")
    joined = "_".join(words)
    if len(v) == 40 and _AWS_SECRET_RE.fullmatch(v) and _mixed3(v) and (
        "aws" in words
        or "secret_access" in joined
        or any(abs(pos - a) < 400 for a in aws_ids)
    ):
        return "AWS_SECRET_ACCESS_KEY"
    if len(v) == 32 and _HEX_RE.fullmatch(v) and (
        "twilio" in joined or "twilio" in text[max(0, pos - 400):pos].lower()
    ):
        return "TWILIO_AUTH_TOKEN"
    if joined.endswith("secret_key") and not _HEX_RE.fullmatch(v) and (
        v.startswith("django-insecure-") or len(v) >= 40
    ):
        return "DJANGO_SECRET_KEY"
    return _value_type(cls, v)
