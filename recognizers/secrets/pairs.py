"""Secrets by context in operations material, where the name and the value are not written
``name = value``:

* **name/value records**: ``{"name": "Authorization", "value": "Token ..."}`` (HAR, Postman,
  OpenAPI examples), Kubernetes ``- name: DB_PASSWORD`` / ``value: ...``: the pair is read as
  ``name: value`` and scanned with the ordinary rules;
* **directives**: ``<directive> <secret name> <value>`` at the end of a line (nginx
  ``proxy_set_header X-Api-Key v;``, haproxy ``set-header``, Apache ``RequestHeader set``),
  ``Authorization "Bearer v"`` without a colon, ``auth user:password`` (haproxy ``stats
  auth``) and the redis ``AUTH password`` command;
* **cookies**: in a ``Cookie:``/``Set-Cookie:`` header, the value of a session-like cookie;
* **.pgpass lines**: ``host:port:database:user:password``;
* **signed URLs**: the ``sig=`` / ``signature=`` / ``X-Amz-Signature=`` query parameter.
* **command lines** that take a secret by position: openssl ``-passout pass:x``, ``-k x`` and
  ``-K <hex key>``, ``rabbitmqctl add_user u x``, ``net user u x``, Oracle's ``u/x@db``,
  ``gh secret set N --body x``, ``az keyvault secret set --value x``,
  ``htpasswd -b file user x``, ``echo x | sudo -S``, ``<tool> login <token>``,
  ``--with-token <<< x``, PowerShell ``ConvertTo-SecureString "x" -AsPlainText``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from recognizers.base import Finding
from recognizers.secrets.assignments import (
    _C_AUTH,
    _C_PASSWORD,
    _is_placeholder,
    _key_class,
    _key_words,
    _looks_random,
    _value_ok,
)
from recognizers.secrets.entropy import _Add, _mixed3, _token_plausible

Scan = Callable[[str], list[Finding]]

_PAIR_RE = re.compile(
    r"(?:name|key|header)(?P<q>[\"']?)[ \t]*[:=][ \t]*(?P<q2>[\"']?)"
    r"(?P<n>[A-Za-z][\w.\-]{1,80})(?P=q2)[ \t]*,?[ \t]*(?:\r?\n[ \t]*)?"
    r"(?P<q3>[\"']?)value(?P=q3)[ \t]*[:=][ \t]*(?P<q4>[\"']?)(?P<v>[^\"'\n\\]{1,400}?)(?P=q4)"
    r"[ \t]*(?=[,}\r\n]|$)"
)
# a signed URL's signature (S3/GCS presigned URLs, SAS, signed webhooks): a query parameter
_URL_SIG_RE = re.compile(r"sig(?:nature)?=(?P<v>[a-z0-9%+/=_\-.~]{16,512})")  # literal-led
_HEX_SIG_RE = re.compile(r"[0-9a-f]{32,}")  # a hex HMAC (AWS SigV4)
# command lines whose argument is a password or a token by its position: (guard, regex, type)
_CLI_RES = (
    ("pass", re.compile(r"-pass(?:in|out|word)?[ \t]+(?P<q>['\"]?)(?:pass|env)?:?"
                        r"(?P<v>[^\s'\"]{4,200})(?P=q)"), "PASSWORD"),
    ("openssl", re.compile(r"\bopenssl\b[^\n|;]{0,200}?\s-k[ \t]+(?P<q>['\"]?)"
                           r"(?P<v>[^\s'\"]{4,200})(?P=q)"), "PASSWORD"),
    ("htpasswd", re.compile(r"\bhtpasswd[ \t]+-\w*b\w*[ \t]+(?:-\w+[ \t]+)*\S+[ \t]+\S+[ \t]+"
                            r"(?P<q>['\"]?)(?P<v>[^\s'\"]{4,200})(?P=q)"), "PASSWORD"),
    ("sudo", re.compile(r"\becho[ \t]+(?:-n[ \t]+)?(?P<q>['\"]?)(?P<v>[^\s'\"|]{4,200})(?P=q)"
                        r"[ \t]*\|[ \t]*sudo[ \t]+(?:-\w+[ \t]+)*?-\w*S"), "PASSWORD"),
    ("login", re.compile(r"\blogin[ \t]+(?:-\S+[ \t]+)*(?P<q>['\"]?)(?P<v>[A-Za-z0-9_\-.]{20,200})"
                         r"(?P=q)[ \t]*(?=\n|$)"), "TOKEN"),
    ("asplaintext", re.compile(r"ConvertTo-SecureString[ \t]+(?:-String[ \t]+)?(?P<q>['\"])"
                               r"(?P<v>[^'\"\n]{4,200})(?P=q)[ \t]+-AsPlainText"), "PASSWORD"),
    # secret stores set from the command line: gh secret set N --body v, az keyvault secret set
    # --value v, aws ssm put-parameter --value v
    ("secret", re.compile(r"\b(?:gh[ \t]+secret[ \t]+set|az[ \t]+keyvault[ \t]+secret[ \t]+set"
                          r"|aws[ \t]+ssm[ \t]+put-parameter)[^\n|;]{0,200}?[ \t]"
                          r"(?:--body|-b|--value)(?:[ \t]+|=)(?P<q>['\"]?)"
                          r"(?P<v>[^\s'\"]{8,200})(?P=q)"), "SECRET_VALUE"),
    # openssl enc -K: the raw key in hex (-k is the passphrase)
    ("openssl", re.compile(r"\bopenssl\b[^\n|;]{0,200}?\s-K[ \t]+(?P<q>['\"]?)"
                           r"(?P<v>[0-9A-Fa-f]{32,128})(?P=q)(?![\w])"), "HEX_KEY"),
    ("rabbitmqctl", re.compile(r"\brabbitmqctl[ \t]+(?:-\S+[ \t]+)*(?:add_user|change_password)"
                               r"[ \t]+\S+[ \t]+(?P<q>['\"]?)(?P<v>[^\s'\"]{4,200})(?P=q)"),
     "PASSWORD"),
    # Windows: net user NAME PASSWORD [/add]
    ("net user", re.compile(r"\bnet[ \t]+user[ \t]+(?P<u>[^\s/]+)[ \t]+(?P<q>['\"]?)"
                            r"(?P<v>[^\s'\"/*][^\s'\"]{3,200})(?P=q)(?=[ \t]+/|[ \t]*(?:\n|$))"),
     "PASSWORD"),
    # Oracle's user/password@service (sqlplus, JDBC thin URLs)
    ("oracle:", re.compile(r"jdbc:oracle:\w+:[\w$#.]+/(?P<q>)(?P<v>[^@\s/'\"]{3,200})@"),
     "PASSWORD"),
    ("sqlplus", re.compile(r"\bsqlplus[ \t]+(?:-\w+[ \t]+)*[\w$#.]+/(?P<q>['\"]?)"
                           r"(?P<v>[^@\s/'\"]{3,200})(?P=q)@"), "PASSWORD"),
    ("with-token", re.compile(r"--with-token[ \t]*<<<[ \t]*(?P<q>['\"]?)(?P<v>[^\s'\"]{16,200})"
                              r"(?P=q)"), "TOKEN"),
)
_VALUE_FIELD_RE = re.compile(r"value[\"']?[ \t]*[:=]")
# one line: anything, a name, whitespace, one value (quoted: may hold spaces), an optional ";"
_DIRECTIVE_RE = re.compile(
    r"(?P<k>[A-Za-z][\w\-]{1,60})[ \t]+(?:(?P<q>[\"'])(?P<qv>[^\"'\n$`]{6,300})(?P=q)"
    r"|(?P<v>[^\s\"';$`(){}\[\]<>]{6,300}))[ \t]*;?[ \t]*$"
)
_USER_PASS_RE = re.compile(r"[\w.\-@]{1,64}:(?P<pw>\S{4,200})")
_COOKIE_RE = re.compile(r"cookie[\"']?[ \t]*[:=][ \t]*[\"']?")
_COOKIE_PAIR_RE = re.compile(r"[ \t]*(?P<n>[\w.\-]{1,64})=(?P<v>[^;,\s\"']{1,500})[ \t]*;?")
_COOKIE_SECRET_RE = re.compile(r"sess|sid|token|auth|jwt|remember|login|secret")
_PGPASS_RE = re.compile(
    r"[ \t]*[A-Za-z0-9.\-*\[\]]{1,255}:(?:\d{1,5}|\*):[^:\s]{1,64}:[^:\s]{1,64}:"
    r"(?P<v>[^\s]{6,200})[ \t]*(?=\r?\n|$)")
_PGPASS_GATE_RE = re.compile(r":(?:\d{1,5}|\*):[^:\s]{1,64}:[^:\s]{1,64}:")  # from its colons


def scan_pairs(text: str, low: str, kv_hits: list[tuple[int, int]], scan: Scan,
               add: _Add) -> None:
    if "sig" in low:
        for m in _URL_SIG_RE.finditer(low):
            b = m.start()
            while b > 0 and (low[b - 1].isalnum() or low[b - 1] == "-") and m.start() - b < 40:
                b -= 1  # X-Amz-Signature: the parameter's whole name
            if not b or low[b - 1] not in "?&" or (b < m.start() and low[m.start() - 1] != "-"):
                continue  # a query parameter named sig, signature or *-signature only
            v = text[m.start("v"):m.end("v")]
            shaped = _mixed3(v) or (_HEX_SIG_RE.fullmatch(v) is not None
                                    and not v.isdigit() and not v.isalpha())
            if shaped and _token_plausible(v, 3.5) and not _is_placeholder(v):
                add(*m.span("v"), "URL_SIGNATURE", 0.9)
    for guard, rx, type_ in _CLI_RES:
        if guard in low:
            for m in rx.finditer(text):
                v = m.group("v")
                if _value_ok(_C_PASSWORD, v) and _looks_random(v) and (
                        type_ in ("PASSWORD", "SECRET_VALUE")
                        or (_mixed3(v) and _token_plausible(v, 3.5))
                        or (type_ == "HEX_KEY" and _token_plausible(v, 3.0))):
                    add(*m.span("v"), type_, 0.9)
    if "value" in low:
        _pairs(text, scan, add)
    if "cookie" in low:
        _cookies(text, low, add)
    if kv_hits:
        _directives(text, kv_hits, scan, add)
    for g in _PGPASS_GATE_RE.finditer(text):
        m = _PGPASS_RE.match(text, text.rfind("\n", 0, g.start()) + 1)
        if m is not None and g.start() < m.start("v"):
            v = m.group("v")
            if _value_ok(_C_PASSWORD, v) and _looks_random(v):
                add(*m.span("v"), "PASSWORD", 0.9)


def _mapped(scan: Scan, synth: str, v0: int, vlen: int, at: int, add: _Add) -> None:
    """Scan ``synth`` and report what it finds inside the value (at ``v0``), at ``at``."""
    for f in scan(synth):
        s, e = max(f.start, v0) - v0, min(f.end, v0 + vlen) - v0
        if e > s:
            add(at + s, at + e, f.type, f.score)


def _pairs(text: str, scan: Scan, add: _Add) -> None:
    done = 0
    for f in _VALUE_FIELD_RE.finditer(text):  # from the value fields: a literal, found fast
        le = text.find("\n", f.end())
        # a pair around this value field, not one further on the line (each search bounded)
        m = _PAIR_RE.search(text, max(done, f.start() - 200),
                            min(len(text) if le < 0 else le, f.end() + 420))
        if m is None or m.start("v") < f.end():
            continue
        done = m.end()
        if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] == "_"):
            continue  # hostname:, api_key: (a key of its own, read by the assignment rules)
        name, v = m.group("n"), m.group("v")
        synth = f"{name}: {v}"
        _mapped(scan, synth, len(name) + 2, len(v), m.start("v"), add)


def _cookies(text: str, low: str, add: _Add) -> None:
    for m in _COOKIE_RE.finditer(low):
        b = m.start() - 4 if low.endswith("set-", 0, m.start()) else m.start()
        if b and not (low[b - 1].isspace() or low[b - 1] in "\"'"):
            continue  # a word ending in cookie (a cookie's name, a function)
        at = m.end()
        for c in _COOKIE_PAIR_RE.finditer(text, at, text.find("\n", at) % (len(text) + 1)):
            if c.start() != at:
                break
            at = c.end()
            v = c.group("v")
            if (_COOKIE_SECRET_RE.search(c.group("n").lower()) and len(v) >= 8
                    and not _is_placeholder(v) and _looks_random(v)):
                add(*c.span("v"), "SESSION_COOKIE", 0.9)


def _directives(text: str, kv_hits: list[tuple[int, int]], scan: Scan, add: _Add) -> None:
    done = -1
    n = len(text)
    for ks, ke in kv_hits:
        if ks < done:
            continue
        while ke < n and (text[ke].isalnum() or text[ke] in "_-"):
            ke += 1
        if ke >= n or text[ke] not in " \t":
            continue  # key=value, key: value: the assignment rules' (most hits end here)
        ls = text.rfind("\n", 0, ks) + 1
        le = text.find("\n", ks)
        le = len(text) if le < 0 else le
        done = le
        k0 = ks
        while k0 > ls and (text[k0 - 1].isalnum() or text[k0 - 1] in "_-"):
            k0 -= 1
        if k0 > ls and not text[k0 - 1].isspace():
            continue  # -field=token x, a.token x: not a directive's argument
        m = _DIRECTIVE_RE.match(text, k0, le)
        if m is None:
            continue
        key = m.group("k")
        vg = "qv" if m.group("qv") is not None else "v"
        v = m.group(vg)
        if key.lower() == "authorization":
            _mapped(scan, f"Authorization: {v}", 15, len(v), m.start(vg), add)
            continue
        if key.lower() == "auth":
            up = _USER_PASS_RE.fullmatch(v)
            if up is not None and _value_ok(_C_PASSWORD, up.group("pw")):
                add(m.start(vg) + up.start("pw"), m.end(vg), "PASSWORD", 0.9)
            elif key == "AUTH" and _value_ok(_C_PASSWORD, v) and _looks_random(v):
                add(*m.span(vg), "PASSWORD", 0.9)  # the redis command
            continue
        if " " in v:
            continue
        cls = _key_class(_key_words(key))
        if cls and cls != _C_AUTH and _value_ok(cls, v) and _looks_random(v):
            add(*m.span(vg), "PASSWORD" if cls == _C_PASSWORD else "SECRET_VALUE", 0.9)
