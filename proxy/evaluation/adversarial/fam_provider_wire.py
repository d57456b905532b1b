"""Tuning family ``provider_wire``: provider tokens where code hands them to a client, and AWS
secrets built from pieces whose joined value has no secret-like name.

Tokens come only from the tuning part's gitleaks rules (``providers.for_part("tuning")``); each
is written where developers write tokens (a client's constructor, a constant, a header, a curl
call, a query string, an env file, a YAML block) in several languages, under names that do not
always say the provider's name (``liveKey``, ``TEST_TOKEN``). Public decoys stand beside them:
publishable keys named so, placeholders, digests, UUIDs and commit ids in docs.

Written from issue #11's wording (items 4-5), independently of the held-back families.
"""

from __future__ import annotations

import re
import string
from typing import Any

from proxy.evaluation.adversarial import providers
from proxy.evaluation.adversarial import values as v
from proxy.evaluation.adversarial.draft import Draft, fence, user
from proxy.evaluation.adversarial.fam_context import rules_for
from proxy.evaluation.adversarial.fam_split import fragments

Out = tuple[str, str, list[dict[str, Any]]]

_NOUNS = ("key", "token", "secret", "api_key", "access_token", "auth_token", "client_secret")
_QUALS = ("", "live", "prod", "test", "default", "primary", "backup", "svc")


def _names(d: Draft, keyword: str) -> tuple[str, str, str, str]:
    """snake, CONST, camel and Class spellings of a binding's name: the provider's keyword, a
    qualifier or both, before a secret noun."""
    kw = re.sub(r"[^A-Za-z0-9]+", "_", keyword).strip("_").lower() or "api"
    qual = d.pick(_QUALS)
    head = d.pick([kw, kw, qual or kw, f"{qual}_{kw}" if qual else kw])
    words = [w for w in f"{head}_{d.pick(_NOUNS)}".split("_") if w]
    snake = "_".join(words)
    camel = words[0] + "".join(w.capitalize() for w in words[1:])
    klass = "".join(w.capitalize() for w in kw.split("_"))
    return snake, snake.upper(), camel, klass


def _forms(d: Draft, keyword: str, tok: str) -> list[tuple[str, str]]:
    """(fence language, line) where the token is handed to code, one per syntax."""
    snake, const, camel, klass = _names(d, keyword)
    host = re.sub(r"[^a-z0-9]+", "", keyword.lower()) or "api"
    return [
        ("python", f'client = {klass}Client(api_key="{tok}", timeout=10)'),
        ("python", f'headers = {{"Authorization": "Bearer {tok}", "Accept": "application/json"}}'),
        ("javascript", f'const {camel} = "{tok}";'),
        ("typescript", f"export const {camel}: string = '{tok}';"),
        ("java", f'private static final String {const} = "{tok}";'),
        ("kotlin", f'val {camel} = "{tok}"'),
        ("csharp", f'var {camel} = "{tok}";'),
        ("go", f'{camel} := "{tok}"'),
        ("rust", f'let {snake} = "{tok}";'),
        ("ruby", f"{klass}.configure {{ |c| c.{snake} = '{tok}' }}"),
        ("php", f"$config['{snake}'] = '{tok}';"),
        ("swift", f'let {camel} = "{tok}"'),
        ("yaml", f"{host}:\n  {d.pick(['token', 'api_key', 'secret', 'key'])}: {tok}"),
        ("bash", f"export {const}={tok}"),
        ("bash", f"curl -s -H 'Authorization: Bearer {tok}' https://api.{host}.io/v1/me"),
        ("bash", f'curl "https://api.{host}.io/v2/items?limit=20&key={tok}"'),
        ("dotenv", f"{const}={tok}"),
        ("toml", f'{snake} = "{tok}"'),
        ("hcl", f'  {snake} = "{tok}"'),
        ("powershell", f'$env:{const} = "{tok}"'),
        ("dockerfile", f"ENV {const}={tok}"),
        ("properties", f"{host}.{snake.replace('_', '-')}={tok}"),
    ]


def _decoys(d: Draft) -> list[tuple[str, str]]:
    """Public values in the same syntaxes: publishable keys named so, placeholders, digests,
    UUIDs and commit ids that docs and lockfiles carry."""
    hexd = string.digits + "abcdef"
    pk = "pk_live_" + v.rand(d.rng, 24)
    sha = v.rand(d.rng, 64, hexd)
    commit = v.rand(d.rng, 40, hexd)
    uuid = "-".join(v.rand(d.rng, n, hexd) for n in (8, 4, 4, 4, 12))
    out = [
        ("javascript", f'const stripePublishableKey = "{pk}";', pk),
        ("python", 'client = Client(api_key="YOUR_API_KEY")', "YOUR_API_KEY"),
        ("yaml", f"  sha256: {sha}", sha),
        ("markdown", f"Pass the request id (for example `{uuid}`) to support.", uuid),
        ("bash", f"git checkout {commit}", commit),
        ("bash", "export API_TOKEN=<your-token>", "<your-token>"),
    ]
    picked = d.rng.sample(out, 3)
    for _, _, pub in picked:
        d.pub(pub)
    return [(lang, line) for lang, line, _ in picked]


def reportable(rule: providers.Rule, secret: str) -> bool:
    """Whether gitleaks reports the token bound to its provider's keyword: planted under names
    that may not say the provider, it is still one gitleaks itself calls a secret."""
    return any(providers.found(rule, line + "\n", secret)
               for line in providers.contexts(rule, secret, "")[:-1])


def _aws_pair(d: Draft) -> tuple[str, str]:
    akid = "AKIA" + v.rand(d.rng, 16, string.ascii_uppercase + string.digits)
    while True:
        sk = v.rand(d.rng, 40, string.ascii_letters + string.digits + "/+")
        if any(c.isdigit() for c in sk) and any(c.isupper() for c in sk) and any(
                c.islower() for c in sk):
            return akid, sk


def _split(d: Draft, style: int) -> tuple[str, str, str]:
    """(fence language, code, what the prose calls it): a 40-character AWS secret built from
    pieces whose joined value has no secret-like name; an AKIA id or the word aws stands near."""
    akid, sk = _aws_pair(d)
    p = fragments(d, "", sk, "AWS_SECRET_ACCESS_KEY", d.rng.randint(3, 4))
    w = d.word()
    if style in (2, 5) and d.rng.random() < 0.5:  # no key id: only a word says what it is
        return _split_no_id(d, style, p, w)
    d.secret(akid, "AWS_ACCESS_KEY_ID")
    if style == 0:
        body = "\n".join(f'    .append("{x}")' for x in p)
        code = (f'String accessKeyId = "{akid}";\nString {w} = new StringBuilder()\n'
                f"{body}\n    .toString();\n"
                f"AwsBasicCredentials creds = AwsBasicCredentials.create(accessKeyId, {w});")
        return "java", code, "the credentials"
    if style == 1:
        items = ", ".join(f'"{x}"' for x in p)
        return "python", (f'AWS_ID = "{akid}"\n{w}_parts = [{items}]\n'
                          f'{w} = "".join({w}_parts)\n'
                          f"s3 = boto3.client('s3', aws_access_key_id=AWS_ID, "
                          f"aws_secret_access_key={w})"), "the S3 client"
    if style == 2:
        names = [f"{w}{k + 1}" for k in range(len(p))]
        decl = "\n".join(f'{n} = "{x}"' for n, x in zip(names, p, strict=True))
        return "python", (f'# aws key {akid}\n{decl}\nsigning = {" + ".join(names)}\n'
                          "session = make_session(signing)"), "the session"
    if style == 3:
        items = "\n".join(f"    - {x}" for x in p)
        return "yaml", (f"aws:\n  access_key_id: {akid}\n  {w}:\n{items}\n"
                        "  join: true"), "the loader"
    if style == 4:
        sets = "\n".join(f"set P{k + 1}={x}" for k, x in enumerate(p))
        refs = "".join(f"%P{k + 1}%" for k in range(len(p)))
        return "batch", (f"@echo off\nset AWS_ACCESS_KEY_ID={akid}\n{sets}\n"
                         f"set AWS_SECRET_ACCESS_KEY={refs}\naws s3 ls"), "the batch file"
    joined = " || ".join(f"'{x}'" for x in p)
    return "sql", (f"SELECT '{akid}' AS access_key_id,\n       {joined} AS secret\n"
                   "FROM dual;"), "the query"


def _split_no_id(d: Draft, style: int, p: list[str], w: str) -> tuple[str, str, str]:
    if style == 2:
        names = [f"_{w}_{k}" for k in range(len(p))]
        decl = "\n".join(f"{n} = '{x}'" for n, x in zip(names, p, strict=True))
        return "python", (f"# AWS signing material for the uploader\n{decl}\n"
                          f"{w} = {' + '.join(names)}\nuploader = Uploader({w})"), "the uploader"
    joined = " || ".join(f"'{x}'" for x in p)
    return "sql", (f"INSERT INTO vault_entries (name, value)\nSELECT '{w}', {joined} AS secret;"),\
        "the migration"


def provider_wire(d: Draft, i: int) -> Out:
    picked = rules_for(d, "tuning", i * 3 + 5, 9)
    blocks: dict[str, list[str]] = {}
    for k, (rule, raw, secret) in enumerate(picked):
        forms = _forms(d, rule.keyword, secret)
        start = (i * 7 + k * 5) % len(forms)
        lang, line = forms[start]
        if len(secret) < 16 or any(c in secret for c in "\n \"'") or not secret.isprintable() or (
                not reportable(rule, secret)):
            lang, line = "text", raw  # a password-like secret or one with quotes stays as drawn
        d.secret(secret, rule.type)
        blocks.setdefault(lang, []).append(line)
    for lang, line in _decoys(d):
        blocks.setdefault(lang, []).append(line)
    parts = [fence(lang, "\n".join(lines)) for lang, lines in blocks.items()]
    lang, code, what = _split(d, i % 6)
    ask = d.pick(["These snippets come from three services; which ones should move to Vault?",
                  "Our secret scanner flagged this PR. Can you help me clean it up?",
                  "Refactor these clients to read their credentials from the environment:"])
    return "mixed", "refactor", [
        user(ask + "\n\n" + "\n\n".join(parts)),
        user(f"And {what} here fails with SignatureDoesNotMatch:\n\n{fence(lang, code)}"),
    ]


__all__ = ["provider_wire"]
