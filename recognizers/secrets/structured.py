"""Secrets with a structure: PEM and PuTTY private keys, JWTs, credentials in URLs, Azure
connection strings, ``Authorization`` headers, password hashes, Kubernetes ``kind: Secret``
data and the password arguments of common commands (``curl -u``, ``mysql -p``, ``sshpass``,
``docker login``, ``.netrc``, SQL ``IDENTIFIED BY``, XML ``<add key=... value=...>``).

Each family is switched on by a guard: a lower-case literal found by the recognizer's one
Aho-Corasick pass (``GUARDS``), so a text without ``private key`` never runs the PEM regexes."""

from __future__ import annotations

import re

from recognizers.secrets.assignments import (
    _B64_RE,
    _C_PASSWORD,
    _ENV_NAME_RE,
    _is_placeholder,
    _key_class,
    _key_words,
    _looks_random,
    _url_password_ok,
    _value_ok,
    _value_type,
)
from recognizers.secrets.entropy import (
    _TOKCHARS,
    _Add,
    _b64_has_colon,
    _b64_json,
    _left_ok,
    _mixed3,
    _token_plausible,
    _words,
)

_PEM_LABEL = r"(?P<label>[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?)"
_PEM_BEGIN_RE = re.compile(r"-{4,5} ?BEGIN " + _PEM_LABEL + r" ?-{4,5}")
_PEM_END_RE = re.compile(r"-{4,5} ?END " + _PEM_LABEL + r" ?-{4,5}")
_PEM_BODY_RE = re.compile(  # a block whose END line is missing (pasted truncated)
    r"(?:[A-Za-z0-9+/= \t\r\n]|\\[nr]|(?:Proc-Type|DEK-Info|Comment|Version):[^\n\\]*)*+"
)
_B64CHARS_RE = re.compile(r"[A-Za-z0-9+/]")
_PEM_PLACEHOLDER_RE = re.compile(r"(?i)xxxx|\.\.\.|…|<[^>]*>|\{\{")
_PUTTY_RE = re.compile(
    r"Private-Lines:\s*\d+(?:\r?\n|\\r?\\n)"
    r"(?P<v>(?:[A-Za-z0-9+/=]+(?:\r?\n|\\r?\\n))*[A-Za-z0-9+/=]+)"
)
_JWT_RE = re.compile(  # starts a token (or follows an escaped \n); possessive: no backtracking
    r"eyJ(?:(?<![A-Za-z0-9_\-]eyJ)|(?<=\\[nrt]eyJ))[A-Za-z0-9_\-]{10,}+={0,2}\."
    r"[A-Za-z0-9_\-]{4,}+={0,2}(?:\.[A-Za-z0-9_\-+/]*+={0,2})?"
)

_DB_SCHEMES = _words(
    "postgres postgresql pgsql psql mysql mariadb mongodb mongo redis rediss valkey amqp amqps "
    "mssql sqlserver oracle cockroachdb clickhouse couchdb cassandra neo4j bolt memcached "
    "kafka nats db2 snowflake presto trino sqlite influxdb elasticsearch opensearch rabbitmq "
    "jdbc odbc"
)
_URL_CRED_RE = re.compile(
    r"://(?P<user>[^\s:/?#@\"'`<>\[\]{}\\|]{0,128}):(?P<pw>[^\s/@\"'`<>\\|]{1,256})@"
    r"(?=[A-Za-z0-9\[_%])"
)
_URL_USER_TOKEN_RE = re.compile(r"://(?P<tok>[A-Za-z0-9_\-]{24,200})@(?=[A-Za-z0-9])")
_SCHEME_BEFORE_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]{0,30}$")

_AZURE_KEYS = (
    ("AccountKey=", re.compile(r"[A-Za-z0-9+/]{86}=="), "AZURE_STORAGE_KEY"),
    ("SharedAccessKey=", re.compile(r"[A-Za-z0-9+/]{42,43}="), "AZURE_CONNECTION_STRING"),
    ("SharedAccessSignature=", re.compile(r"[^;\"'\s\\]*sig=[^;\"'\s\\]+"),
     "AZURE_CONNECTION_STRING"),
    ("sig=", re.compile(r"[A-Za-z0-9%+/=]{30,}"), "AZURE_SAS_TOKEN"),
)

# on the lower-cased text
_AUTH_HEADER_RE = re.compile(
    r"authorization(?:\\?[\"'`]?[ \t]*[:=]|\\?[\"'][ \t]*,)[ \t]*\\?[\"'`]?[ \t]*"
    r"(?:(?P<scheme>basic|bearer|token|api-?token|api-?key|sso-key|jwt|otp|key)[ \t]+)?"
    r"(?P<v>[a-z0-9._~+/=:@!#%&*\-]{8,})"
)
_BASIC_RE = re.compile(r"Basic[ \t]+(?P<v>[A-Za-z0-9+/]{12,}={0,2})(?![A-Za-z0-9+/=])")
_HASH_RES = (
    re.compile(
        r"\$(?:2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}"
        r"|argon2(?:id|i|d)\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]{8,}\$[A-Za-z0-9+/]{16,}"
        r"|pbkdf2(?:-sha(?:1|256|512))?\$\d+\$[A-Za-z0-9./+]+\$[A-Za-z0-9./+]{20,}"
        r"|[56]\$(?:rounds=\d+\$)?[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{43,86}"
        r"|1\$[./A-Za-z0-9]{1,8}\$[./A-Za-z0-9]{22}"
        r"|scrypt\$[^\s\"'$]{4,}\$[A-Za-z0-9+/.]{8,}\$[A-Za-z0-9+/.]{20,})"
    ),
    re.compile(r"pbkdf2_sha(?:1|256|512)\$\d+\$[A-Za-z0-9./+]+\$[A-Za-z0-9./+]{20,}={0,2}"),
    re.compile(r"\{S?SHA(?:256|512)?\}[A-Za-z0-9+/]{20,}={0,2}"),
)
_CURL_USER_RE = re.compile(
    r"-(?:u|-user)(?:[ \t]+|=)(?P<arg>\"[^\"\n]*\"(?::\"[^\"\n]*\")?|'[^'\n]*'|[^\s\"']\S*)"
)
_MYSQL_P_RE = re.compile(r"-p(?P<q>['\"])(?P<v>[^'\"\n]{3,200})(?P=q)")
_MYSQL_P_BARE_RE = re.compile(
    r"(?:mysql|mysqldump|mysqladmin|mariadb|mariadb-dump)\b[^\n]*?\s-p(?P<v>[^\s'\"]{4,200})"
)
_SSHPASS_RE = re.compile(r"sshpass\s+-p\s*(?P<q>['\"]?)(?P<v>[^\s'\"]{3,200})(?P=q)")
_ECHO_LOGIN_RE = re.compile(
    r"echo\s+(?:-n\s+)?(?P<q>\\?[\"']?)(?P<v>[^\s\"'\\|]{4,200})(?P=q)\s*\|\s*"
    r"(?:sudo\s+)?(?:[^\n|]*?--password-stdin|(?:docker|podman|nerdctl|buildah|skopeo|helm|oras)"
    r"\b[^\n|]*?\blogin\b)"
)
_NETRC_RE = re.compile(r"machine\s+\S+\s+login\s+\S+\s+password\s+(?P<v>\S+)")
_IDENTIFIED_RE = re.compile(  # on the lower-cased text
    r"identified\s+(?:with\s+\w+\s+)?by\s+(?:password\s+)?(?P<q>['\"])(?P<v>[^'\"\n]{1,200})(?P=q)"
)
_XML_ATTR_RE = re.compile(  # on the lower-cased text
    r"<(?:add|property|entry|param|setting|parameter|var)\b[^>]*?\b(?:key|name)\s*=\s*"
    r"\\?\"(?P<k>[^\"\\]{1,80})\\?\"[^>]*?\bvalue\s*=\s*\\?\"(?P<v>[^\"\\]{1,300})\\?\""
)
_AUTH_PAIR_RE = re.compile(  # on the lower-cased text: auth=("user", "pass"), BasicAuth("u", "p")
    r"auth[ \t]*(?:=[ \t]*)?[(\[][ \t]*\\?(?P<q1>['\"])[^'\"\\\n]{1,100}\\?(?P=q1)[ \t]*,"
    r"[ \t]*\\?(?P<q>['\"])(?P<v>[^'\"\\\n]{4,200})\\?(?P=q)[ \t]*[)\]]"
)
_TF_DEFAULT_RE = re.compile(
    r"variable[ \t]+\"(?P<k>[^\"\n]{1,80})\"[ \t]*\{[^{}]{0,300}?\bdefault[ \t]*=[ \t]*"
    r"\"(?P<v>[^\"\n]{1,300})\""
)
_CLI_PASSWORD_RES = (  # redis-cli -a x, docker login -p x
    re.compile(r"redis-cli\b[^\n|;]*?\s-a[ \t]+(?P<q>['\"]?)(?P<v>[^\s'\"]{4,200})(?P=q)"),
    re.compile(r"login\b[^\n|;]*?\s-p[ \t]+(?P<q>['\"]?)(?P<v>[^\s'\"]{4,200})(?P=q)"),
)
_K8S_KIND_RE = re.compile(r"kind:[ \t]*['\"]?secret['\"]?[ \t]*(?:\r?\n|$)")  # lower-cased
_K8S_DATA_RE = re.compile(r"data:[ \t]*(?=\r?\n)")
_K8S_LINE_RE = re.compile(r"(?P<ind>[ \t]*)(?P<k>[\w.\-]+):[ \t]*(?P<v>[^\n]*)")


_TWILIO_TOKEN_RE = re.compile(r"(?P<q>[\"'])(?P<v>[0-9a-f]{32})\\?(?P=q)")

(
    _G_PEM, _G_PUTTY, _G_JWT, _G_URL, _G_AZURE, _G_AUTHZ, _G_BASIC, _G_HASH, _G_CURL, _G_MYSQL_Q,
    _G_MYSQL, _G_SSHPASS, _G_ECHO, _G_NETRC, _G_IDENT, _G_XML, _G_K8S, _G_AUTH_PAIR, _G_TWILIO,
    _G_TF, _G_CLI_PW,
) = range(21)
# lower-case literals that switch on the structured rules
GUARDS = {
    "private key": _G_PEM, "private-lines:": _G_PUTTY, "eyj": _G_JWT, "://": _G_URL,
    "accountkey=": _G_AZURE, "sharedaccess": _G_AZURE, "sig=": _G_AZURE,
    "authorization": _G_AUTHZ, "basic ": _G_BASIC, "basic\t": _G_BASIC,
    "$2": _G_HASH, "$argon2": _G_HASH, "pbkdf2": _G_HASH, "$1$": _G_HASH, "$5$": _G_HASH,
    "$6$": _G_HASH, "$scrypt$": _G_HASH, "{ssha": _G_HASH, "{sha": _G_HASH,
    "curl": _G_CURL, "--header": _G_CURL, "-p'": _G_MYSQL_Q, '-p"': _G_MYSQL_Q, "mysql": _G_MYSQL,
    "mariadb": _G_MYSQL, "sshpass": _G_SSHPASS, "echo": _G_ECHO, "machine": _G_NETRC,
    "identified": _G_IDENT, "<add ": _G_XML, "<property ": _G_XML, "<entry ": _G_XML,
    "<param": _G_XML, "<setting": _G_XML, "<var ": _G_XML, "kind:": _G_K8S,
    "auth(": _G_AUTH_PAIR, "auth=(": _G_AUTH_PAIR, "auth = (": _G_AUTH_PAIR,
    "auth=[": _G_AUTH_PAIR, "auth: (": _G_AUTH_PAIR, "twilio": _G_TWILIO,
    "variable \"": _G_TF, "redis-cli": _G_CLI_PW, "login ": _G_CLI_PW,
}


def scan_structured(text: str, low: str, guards: set[int], add: _Add) -> None:
    if _G_PEM in guards:
        _pem(text, add)
    if _G_PUTTY in guards:
        for m in _PUTTY_RE.finditer(text):
            add(*m.span("v"), "PRIVATE_KEY")
    if _G_JWT in guards:
        _jwt(text, add)
    if _G_URL in guards:
        _urls(text, add)
    if _G_AZURE in guards:
        _azure(text, add)
    if _G_AUTHZ in guards:
        _auth_header(text, low, add)
    if _G_BASIC in guards:
        for m in _BASIC_RE.finditer(text):
            v = m.group("v")
            if _left_ok(text, m.start()) and not _is_placeholder(v) and _b64_has_colon(v):
                add(*m.span("v"), "BASIC_AUTH")
    if _G_HASH in guards:
        for rx in _HASH_RES:
            for m in rx.finditer(text):
                add(*m.span(), "PASSWORD_HASH")
    if _G_CURL in guards and "-u" in text:
        _curl(text, add)
    if _G_CURL in guards and ("-H" in text or "--header" in text):
        _curl_headers(text, add)
    if _G_MYSQL_Q in guards:
        for m in _MYSQL_P_RE.finditer(text):
            if m.start() and text[m.start() - 1].isspace():
                _add_password(m, add)
    if _G_MYSQL in guards and "-p" in text:
        for m in _MYSQL_P_BARE_RE.finditer(low):
            v = text[m.start("v"):m.end("v")]
            if not v.startswith(("-", "$")) and _value_ok(_C_PASSWORD, v):
                add(*m.span("v"), "PASSWORD")
    if _G_SSHPASS in guards:
        for m in _SSHPASS_RE.finditer(text):
            _add_password(m, add)
    if _G_ECHO in guards and ("login" in low or "password-stdin" in low):
        for m in _ECHO_LOGIN_RE.finditer(text):
            _add_password(m, add)
    if _G_NETRC in guards:
        for m in _NETRC_RE.finditer(text):
            _add_password(m, add)
    if _G_IDENT in guards:
        for m in _IDENTIFIED_RE.finditer(low):
            v = text[m.start("v"):m.end("v")]
            if _value_ok(_C_PASSWORD, v):
                add(*m.span("v"), "PASSWORD")
    if _G_XML in guards:
        for m in _XML_ATTR_RE.finditer(low):
            cls = _key_class(_key_words(text[m.start("k"):m.end("k")]))
            v = text[m.start("v"):m.end("v")]
            if cls and _value_ok(cls, v):
                add(*m.span("v"), _value_type(cls, v), 0.9)
    if _G_K8S in guards:
        _k8s_secret(text, low, add)
    if _G_TF in guards:
        for m in _TF_DEFAULT_RE.finditer(text):
            cls = _key_class(_key_words(m.group("k")))
            v = m.group("v")
            if cls and _value_ok(cls, v):
                add(*m.span("v"), _value_type(cls, v), 0.9)
    if _G_CLI_PW in guards:
        for rx in _CLI_PASSWORD_RES:
            for m in rx.finditer(text):
                _add_password(m, add)
    if _G_TWILIO in guards:
        for m in _TWILIO_TOKEN_RE.finditer(text):
            if _token_plausible(m.group("v"), 3.0):
                add(*m.span("v"), "TWILIO_AUTH_TOKEN")
    if _G_AUTH_PAIR in guards:
        for m in _AUTH_PAIR_RE.finditer(low):
            v = text[m.start("v"):m.end("v")]
            if not v.startswith("$") and _value_ok(_C_PASSWORD, v):
                add(*m.span("v"), "PASSWORD")

def _add_password(m: re.Match[str], add: _Add) -> None:
    v = m.group("v")
    if not v.startswith("$") and _value_ok(_C_PASSWORD, v):
        add(*m.span("v"), "PASSWORD")

def _pem(text: str, add: _Add) -> None:
    begins = list(_PEM_BEGIN_RE.finditer(text))
    for k, m in enumerate(begins):
        s = m.start()
        limit = begins[k + 1].start() if k + 1 < len(begins) else len(text)
        limit = min(limit, m.end() + 20000)
        end = _PEM_END_RE.search(text, m.end(), limit)
        if end is not None and end.group("label") == m.group("label"):
            body = text[m.end():end.start()]
            if len(_B64CHARS_RE.findall(body)) >= 40 and not _PEM_PLACEHOLDER_RE.search(body):
                add(s, end.end(), "PRIVATE_KEY")
            continue
        bm = _PEM_BODY_RE.match(text, m.end(), limit)
        e = bm.end() if bm else m.end()
        while e > s and text[e - 1] in " \t\r\n":
            e -= 1
        while e - s > 2 and text[e - 2:e] in ("\\n", "\\r"):
            e -= 2
        if len(_B64CHARS_RE.findall(text, m.end(), e)) >= 40:
            add(s, e, "PRIVATE_KEY")

def _jwt(text: str, add: _Add) -> None:
    for m in _JWT_RE.finditer(text):
        if not _left_ok(text, m.start(), _TOKCHARS):
            continue
        parts = m.group().split(".")
        if _b64_json(parts[0]) and _b64_json(parts[1], loose=True):
            add(m.start(), m.end(), "JWT")

def _urls(text: str, add: _Add) -> None:
    if "@" not in text:
        return
    for m in _URL_CRED_RE.finditer(text):
        user, pw = m.group("user"), m.group("pw")
        sm = _SCHEME_BEFORE_RE.search(text, max(0, m.start() - 31), m.start())
        if sm is None or not _url_password_ok(user, pw):
            continue
        base = sm.group().lower().split("+", 1)[0].rsplit(":", 1)[-1].rsplit(".", 1)[-1]
        t = "DATABASE_URL" if base in _DB_SCHEMES else "URL_WITH_CREDENTIALS"
        add(*m.span("pw"), t)
    for m in _URL_USER_TOKEN_RE.finditer(text):
        tok = m.group("tok")
        if _mixed3(tok) and _token_plausible(tok, 3.5):
            add(*m.span("tok"), "URL_WITH_CREDENTIALS")

def _azure(text: str, add: _Add) -> None:
    for lit, rx, type_ in _AZURE_KEYS:
        i = text.find(lit)
        while i >= 0:
            s = i + len(lit)
            mm = rx.match(text, s)
            i = text.find(lit, s)
            if mm is None:
                continue
            v = mm.group()
            if type_ == "AZURE_CONNECTION_STRING" and lit.startswith("SharedAccessSignature"):
                ok = not _is_placeholder(v)
            elif type_ == "AZURE_SAS_TOKEN":
                ok = ("sv=" in text or "se=" in text) and _token_plausible(v, 3.5)
            else:
                ok = _token_plausible(v, 4.0) and "EXAMPLE" not in v
            if ok:
                add(s, mm.end(), type_)

def _auth_header(text: str, low: str, add: _Add) -> None:
    for m in _AUTH_HEADER_RE.finditer(low):
        s, e = m.span("v")
        v = text[s:e]
        scheme = m.group("scheme") or ""
        if not scheme and m.group("v") in ("basic", "bearer", "token", "digest", "negotiate"):
            continue
        if _is_placeholder(v) or len(set(v)) < 5:
            continue
        if scheme == "basic":
            if _B64_RE.fullmatch(v):
                add(s, e, "BASIC_AUTH")
        elif v.startswith("eyJ"):
            add(s, e, "JWT")
        elif _looks_random(v) and not _ENV_NAME_RE.fullmatch(v):
            add(s, e, "BEARER_TOKEN")

# a request header a command line sets (curl -H "X-Api-Key: ...", --header 'Token:...'); its
# name says whether it carries a credential (Authorization has its own rule)
_HEADER_ARG_RE = re.compile(
    r"(?<!\S)(?:-H|--header)(?:[ \t]*=?[ \t]*)(?P<q>[\"']?)(?P<name>[A-Za-z][\w-]{0,40})[ \t]*:"
    r"[ \t]*(?P<v>[^\s\"'\\]{6,300})"
)
_CREDENTIAL_HEADER_RE = re.compile(r"token|key|secret|session|passw|signature|credential")


def _curl_headers(text: str, add: _Add) -> None:
    for m in _HEADER_ARG_RE.finditer(text):
        name = m.group("name").lower()
        if "authorization" in name or not _CREDENTIAL_HEADER_RE.search(name):
            continue
        v = m.group("v")
        if v[:1] in "$%{<" or _is_placeholder(v) or _ENV_NAME_RE.fullmatch(v):
            continue
        if _looks_random(v):
            add(*m.span("v"), "API_KEY")


def _curl(text: str, add: _Add) -> None:
    for m in _CURL_USER_RE.finditer(text):
        if m.start() and not text[m.start() - 1].isspace():
            continue
        ls = text.rfind("\n", 0, m.start())
        lo = max(0, ls - 400) if ls > 0 and text[ls - 1] == "\\" else ls + 1
        if "curl" not in text[lo:m.start()]:
            continue
        arg = m.group("arg")
        if any(c in arg for c in "<>[]"):
            continue
        plain = arg.replace('"', "").replace("'", "")
        if ":" not in plain:
            continue
        user, pw = plain.split(":", 1)
        target = pw or user
        inner = target.strip("{}")
        if not inner or inner.startswith("$"):
            continue
        if (inner != target or not pw) and not (_mixed3(inner) and len(inner) >= 8):
            continue
        if not _url_password_ok(user if pw else "", inner):
            continue
        idx = arg.rfind(inner) if pw else arg.find(inner)
        if idx >= 0:
            s = m.start("arg") + idx
            add(s, s + len(inner), "PASSWORD")

def _k8s_secret(text: str, low: str, add: _Add) -> None:
    if not _K8S_KIND_RE.search(low):
        return
    for dm in _K8S_DATA_RE.finditer(text):
        ls = text.rfind("\n", 0, dm.start()) + 1
        prefix = text[ls:dm.start()]
        if prefix.strip():
            continue
        doc_start = low.rfind("\n---", 0, ls)
        doc_end = low.find("\n---", dm.end())
        doc_end = doc_end if doc_end >= 0 else len(low)
        if not _K8S_KIND_RE.search(low, max(doc_start, 0), doc_end):
            continue
        indent = len(prefix.expandtabs(4))
        pos = dm.end() + 1
        block_indent: int | None = None
        while pos < len(text):
            eol = text.find("\n", pos)
            eol = len(text) if eol < 0 else eol
            line = text[pos:eol]
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                pos = eol + 1
                continue
            ind = len(line) - len(line.lstrip(" \t"))
            ind_w = len(line[:ind].expandtabs(4))
            if ind_w <= indent:
                break
            if block_indent is not None and ind_w > block_indent:
                add(pos + ind, pos + len(line.rstrip()), "BASE64_TOKEN", 0.9)
                pos = eol + 1
                continue
            block_indent = None
            lm = _K8S_LINE_RE.match(line)
            if lm:
                v = lm.group("v").rstrip()
                vs = pos + lm.start("v")
                if v in ("|", ">", "|-", ">-"):
                    block_indent = ind_w
                else:
                    if len(v) >= 2 and v[0] == v[-1] and v[0] in "'\"":
                        v = v[1:-1]
                        vs += 1
                    if len(v) >= 10 and _B64_RE.fullmatch(v) and not _is_placeholder(v):
                        add(vs, vs + len(v), "BASE64_TOKEN", 0.9)
            pos = eol + 1
