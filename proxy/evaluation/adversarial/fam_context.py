"""Families: secrets known only by their context, and provider tokens from gitleaks' rules.

Context secrets have no prefix or checksum: a random value bound to a secret-like name (in a
config file, a header, a flag, a CI variable). Placeholders beside them (``${DB_PASSWORD}``,
``<your-api-key>``) are public and must stay as written.
"""

from __future__ import annotations

import json
from typing import Any

from proxy.evaluation.adversarial import providers
from proxy.evaluation.adversarial import values as v
from proxy.evaluation.adversarial.draft import Draft, calls, fence, tool, tool_call, user

Out = tuple[str, str, list[dict[str, Any]]]

_KEYS = [("password", "PASSWORD"), ("db_password", "PASSWORD"), ("passwd", "PASSWORD"),
         ("pwd", "PASSWORD"), ("client_secret", "CLIENT_SECRET"), ("api_key", "API_KEY"),
         ("auth_token", "TOKEN"), ("access_token", "TOKEN"), ("signing_key", "SIGNING_KEY"),
         ("session_secret", "SESSION_SECRET"), ("credential", "CREDENTIAL"),
         ("private_key_id", "PRIVATE_KEY_ID"), ("account_sid", "ACCOUNT_SID"),
         ("webhook_secret", "WEBHOOK_SECRET"), ("cookie_secret", "SESSION_SECRET")]
_PLACEHOLDERS = ["${DB_PASSWORD}", "<your-api-key>", "{{ .Values.redis.password }}",
                 "REPLACE_ME", "${{ secrets.DEPLOY_TOKEN }}", "%(SMTP_PASSWORD)s"]


def _value(d: Draft, type_: str) -> str:
    if type_ == "PASSWORD":
        return v.password(d.rng)
    if type_ == "ACCOUNT_SID":
        return "AC" + v.hex_token(d.rng, 32)
    if type_ == "PRIVATE_KEY_ID":
        return v.hex_token(d.rng, 40)
    if type_ in ("SIGNING_KEY", "SESSION_SECRET"):
        return v.rand(d.rng, 48, v.ALNUM + "-_")
    return v.rand(d.rng, d.rng.choice([24, 32, 40]), v.ALNUM)


def _pairs(d: Draft, n: int) -> list[tuple[str, str]]:
    chosen = d.rng.sample(_KEYS, n)
    return [(k, d.secret(_value(d, t), t)) for k, t in chosen]


def _render(syntax: str, pairs: list[tuple[str, str]], placeholder: str) -> tuple[str, str]:
    """(fence tag, file text) binding each key to its value in one syntax."""
    ph_key = "smtp_password"
    if syntax == "json":
        obj = {"service": {k: val for k, val in pairs}, ph_key: placeholder}
        return "json", json.dumps(obj, indent=2)
    if syntax == "yaml":
        body = "".join(f"  {k}: {val}\n" for k, val in pairs)
        return "yaml", f"service:\n{body}  {ph_key}: \"{placeholder}\"\n"
    if syntax == "toml":
        body = "".join(f'{k} = "{val}"\n' for k, val in pairs)
        return "toml", f"[service]\n{body}{ph_key} = \"{placeholder}\"\n"
    if syntax == "ini":
        body = "".join(f"{k} = {val}\n" for k, val in pairs)
        return "ini", f"[service]\n{body}{ph_key} = {placeholder}\n"
    if syntax == "env":
        body = "".join(f"{k.upper()}={val}\n" for k, val in pairs)
        return "dotenv", f"{body}{ph_key.upper()}={placeholder}\n"
    if syntax == "properties":
        body = "".join(f"service.{k.replace('_', '-')}={val}\n" for k, val in pairs)
        return "properties", f"{body}service.{ph_key}={placeholder}\n"
    if syntax == "xml":
        body = "".join(f"    <{k}>{val}</{k}>\n" for k, val in pairs)
        return "xml", f"<service>\n{body}    <{ph_key}>{placeholder}</{ph_key}>\n</service>\n"
    body = "".join(f'  {k} = "{val}"\n' for k, val in pairs)
    return "hcl", f'resource "app_service" "main" {{\n{body}  {ph_key} = "{placeholder}"\n}}\n'


# -- tuning: config files in many syntaxes, curl -------------------------------------------------

def context_files(d: Draft, i: int) -> Out:
    syntaxes = ["json", "yaml", "toml", "ini", "env", "properties", "xml", "hcl"]
    first = syntaxes[i % len(syntaxes)]
    second = d.pick([s for s in syntaxes if s != first])
    parts = []
    for syntax in (first, second):
        ph = d.pick(_PLACEHOLDERS)
        d.pub(ph)
        tag, text = _render(syntax, _pairs(d, d.rng.randint(2, 3)), ph)
        parts.append(fence(tag, text))
    if i % 3 == 0:
        tok = d.secret(v.rand(d.rng, 40, v.ALNUM + "-_"), "TOKEN")
        parts.append(fence("bash", f'curl -sS -H "X-Api-Key: {tok}" -H "Accept: application/json" '
                                   "https://api.example.com/v1/status"))
        d.pub("Accept: application/json")
    ask = d.pick(["We are moving these settings from one format to the "
                  "other. Can you check nothing "
                  "got lost?", "Which of these values should go into the vault?",
                  "The service starts with the first file but not the second, why?"])
    return first, "config_review", [user(ask + "\n\n" + "\n\n".join(parts))]


# -- held back: Dockerfile, CI, CLI flags, raw HTTP, HAR ----------------------------------------

def context_ops(d: Draft, i: int) -> Out:
    style = i % 5
    if style == 0:
        pw = d.secret(v.password(d.rng), "PASSWORD")
        tok = d.secret(v.rand(d.rng, 32, v.ALNUM), "TOKEN")
        d.pub("FROM python:3.12-slim", "pip install --no-cache-dir")
        text = (f"FROM python:3.12-slim\nARG PIP_INDEX_TOKEN={tok}\nENV DB_PASSWORD={pw} \\\n"
                "    APP_ENV=production\nRUN pip install --no-cache-dir -r requirements.txt\n")
        return "dockerfile", "security_review", [user(f"Review this image:\n\n"
                                                      f"{fence('dockerfile', text)}")]
    if style == 1:
        tok = d.secret(v.rand(d.rng, 36, v.ALNUM), "TOKEN")
        pw = d.secret(v.password(d.rng), "PASSWORD")
        d.pub("runs-on: ubuntu-latest", "actions/checkout@v4")
        text = (f"name: deploy\non: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n"
                f"    env:\n      REGISTRY_PASSWORD: {pw}\n      SONAR_TOKEN: {tok}\n"
                "    steps:\n      - uses: actions/checkout@v4\n      - run: make deploy\n")
        return "yaml", "ci_cd", [user(f"Our workflow:\n\n{fence('yaml', text)}\n"
                                      f"Why is the login step flaky?")]
    if style == 2:
        pw = d.secret(v.password(d.rng), "PASSWORD")
        key = d.secret(v.rand(d.rng, 32, v.ALNUM), "API_KEY")
        pw2 = d.secret(v.password(d.rng), "PASSWORD")
        d.pub("mysqldump", "--single-transaction", "helm upgrade --install")
        text = (f"mysqldump -u backup -p'{pw}' --single-transaction shop > shop.sql\n"
                f"./bin/sync --api-key={key} --region eu\n"
                f"helm upgrade --install cache bitnami/redis --set auth.password={pw2}\n")
        cid = "call_" + v.rand(d.rng, 10)
        return "shell", "agent", [
            user("Run the nightly maintenance steps and tell me what failed."),
            calls(tool_call(cid, "run_shell", {"command": text})),
            tool(cid, "mysqldump: Got error: 1045: Access denied for user 'backup'@'localhost'"),
            user("What does the error mean?"),
        ]
    if style == 3:
        tok = d.secret(v.rand(d.rng, 40, v.ALNUM + "-_"), "TOKEN")
        sig = d.secret(v.rand(d.rng, 43, v.ALNUM + "-_"), "URL_SIGNATURE")
        cookie = d.secret(v.rand(d.rng, 32, v.LOWER_ALNUM), "SESSION_ID")
        d.pub("Set-Cookie", "HttpOnly", "SameSite=Lax")
        text = (f"GET /export.csv?access_token={tok}&sig={sig}&expires=1767225600 HTTP/1.1\n"
                "Host: files.example.com\n\nHTTP/1.1 302 Found\n"
                f"Set-Cookie: session={cookie}; Path=/; HttpOnly; SameSite=Lax\n")
        return "http", "debug", [user(f"The download link stops working after a redirect:\n\n"
                                      f"{fence('http', text)}")]
    auth = d.secret(v.rand(d.rng, 40, v.ALNUM), "TOKEN")
    sess = d.secret(v.rand(d.rng, 32, v.LOWER_ALNUM), "SESSION_ID")
    har = {"log": {"version": "1.2", "entries": [{"request": {
        "method": "POST", "url": "https://api.example.com/graphql",
        "headers": [{"name": "Authorization", "value": f"Bearer {auth}"},
                    {"name": "Content-Type", "value": "application/json"}],
        "cookies": [{"name": "sessionid", "value": sess}]},
        "response": {"status": 500, "statusText": "Internal Server Error"}}]}}
    d.pub("Internal Server Error", "Content-Type")
    return "json", "debug", [user("Exported from devtools, the request that fails:\n\n"
                                  + fence("json", json.dumps(har, indent=1)))]


# -- provider tokens (gitleaks' rules; each part has its own half of them) ------------------------

def rules_for(d: Draft, part: str, i: int, n: int) -> list[tuple[providers.Rule, str, str]]:
    pool = providers.for_part(part)
    order = sorted(pool, key=lambda r: r.id)
    start = (i * n) % len(order)
    out = []
    for rule in (order + order)[start:start + n]:
        drawn = providers.draw(rule, d.rng)
        if drawn and all(c.isprintable() for c in drawn[0]):
            out.append((rule, drawn[0], drawn[1]))
    return out


def _bind(rule: providers.Rule, secret: str, raw: str, prefer: list[int]) -> str:
    """The first context line (in ``prefer`` order) that the rule reports the secret in."""
    forms = providers.contexts(rule, secret, raw)
    for k in [*prefer, len(forms) - 1]:
        if providers.found(rule, forms[k] + "\n", secret):
            return forms[k]
    return raw


def provider_config(d: Draft, i: int) -> Out:
    picked = rules_for(d, "tuning", i, 14)
    syntax = ["env", "yaml", "json"][i % 3]
    lines = []
    for rule, raw, secret in picked:
        d.secret(secret, rule.type)
        lines.append(_bind(rule, secret, raw, {"env": [0, 3], "yaml": [1], "json": [2]}[syntax]))
    body = "\n".join(lines)
    tag = {"env": "dotenv", "yaml": "yaml", "json": "json"}[syntax]
    if syntax == "json":
        body = "{\n" + body + '\n"region": "eu-west-1"\n}'
    d.pub("eu-west-1" if syntax == "json" else "integrations")
    text = f"# integrations\n{body}" if syntax != "json" else body
    return syntax, "config_review", [user(
        f"Here are our third-party integrations. Which of these can be rotated without downtime?"
        f"\n\n{fence(tag, text)}")]


def provider_code(d: Draft, i: int) -> Out:
    picked = rules_for(d, "held-back", i, 14)
    lines, prose = [], []
    for k, (rule, raw, secret) in enumerate(picked):
        d.secret(secret, rule.type)
        if providers.found(rule, f"token {secret} expired\n", secret) and k % 2:
            prose.append(secret)
        else:
            lines.append(_bind(rule, secret, raw, [0, 3]))
    code = "\n".join(lines)
    msgs = [user(f"This settings module fails to import on the build server:\n\n"
                 f"{fence('python', code)}")]
    if prose:
        cid = "call_" + v.rand(d.rng, 10)
        log = "\n".join(f"WARN auth: token {s} expired, retrying" for s in prose)
        msgs += [calls(tool_call(cid, "read_logs", {"service": "sync", "lines": 50})),
                 tool(cid, log + "\n"), user("And what about these warnings in the logs?")]
    d.pub("retrying")
    return "python", "debug", msgs
