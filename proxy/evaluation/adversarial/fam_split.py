"""Families: secrets split across literals, and secrets in an encoding.

A split secret never occurs whole in the prompt, so each fragment is planted on its own (every
fragment holds at least 8 characters of the secret). An encoded secret is planted as the
encoded text that is sent (the base64 blob, the hex string, the URL-encoded password).
"""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import quote

from proxy.evaluation.adversarial import values as v
from proxy.evaluation.adversarial.draft import Draft, assistant, fence, user

Out = tuple[str, str, list[dict[str, Any]]]


def fragments(d: Draft, prefix: str, rest: str, type_: str, n: int | None = None) -> list[str]:
    """The secret ``prefix + rest`` cut into 2-4 pieces, each planted (8+ secret characters)."""
    n = max(1, min(n or d.rng.randint(2, 4), len(rest) // 8))
    sizes = [8] * n
    for _ in range(len(rest) - 8 * n):
        sizes[d.rng.randrange(n)] += 1
    parts, at = [], 0
    for size in sizes:
        parts.append(rest[at:at + size])
        at += size
    parts[0] = prefix + parts[0]
    for p in parts:
        d.secret(p, type_)
    return parts


def _pw_fragments(d: Draft) -> list[str]:
    pw = v.password(d.rng) + v.rand(d.rng, 4)
    return fragments(d, "", pw, "PASSWORD", 2)


# -- tuning: Python and shell ----------------------------------------------------------------

def split_python(d: Draft, i: int) -> Out:
    co = d.company()
    t, prefix, rest = v.provider_token(d.rng)
    parts = fragments(d, prefix, rest, t)
    const = d.pick(["API_TOKEN", "SERVICE_KEY", "UPSTREAM_SECRET", "AUTH_TOKEN"])
    style = i % 4
    if style == 0:
        lits = "\n".join(f'    "{p}"' for p in parts)
        decl = f"{const} = (\n{lits}\n)"
    elif style == 1:
        decl = f"{const} = " + " + ".join(f'"{p}"' for p in parts)
    elif style == 2:
        decl = "_CHUNKS = [\n" + "".join(f'    "{p}",\n' for p in parts) + "]\n"
        decl += f'{const} = "".join(_CHUNKS)'
    else:
        names = [f"_K{k}" for k in range(len(parts))]
        decl = "\n".join(f'{n} = "{p}"' for n, p in zip(names, parts, strict=True))
        decl += f'\n{const} = f"' + "".join("{" + n + "}" for n in names) + '"'
    d.pub("raise_for_status", "requests.get", "timeout=10", "resp.json()")
    code = f'''import requests

# {co} reporting job: pulls open invoices every hour
{decl}


def fetch_open_invoices(customer_id):
    resp = requests.get(
        f"https://api.example.com/v1/invoices?customer={{customer_id}}",
        headers={{"Authorization": f"Bearer {{{const}}}"}},
        timeout=10,
    )
    resp.raise_for_status()
    return resp.json()["data"]
'''
    ask = d.pick(["I split the key so the secret scanner stops complaining. Still get 401, why?",
                  "Is building the token like this OK? The job fails with 401 Unauthorized.",
                  "Refactor this to read the key from the environment instead."])
    return "python", "debug", [user(f"{ask}\n\n{fence('python', code)}")]


def split_shell(d: Draft, i: int) -> Out:
    pw = _pw_fragments(d)
    t, prefix, rest = v.provider_token(d.rng)
    tok = fragments(d, prefix, rest, t, 2)
    host = d.pii(f"db-{d.word()}-0{d.rng.randint(1, 9)}", "HOSTNAME")
    d.pub("pg_dump", "set -euo pipefail", "--format=custom")
    if i % 2:
        lines = f'PGPASSWORD="{pw[0]}""{pw[1]}"\nTOKEN=\'{tok[0]}\'"{tok[1]}"'
    else:
        lines = (f'P1="{pw[0]}"\nP2="{pw[1]}"\nexport PGPASSWORD="${{P1}}${{P2}}"\n'
                 f'T_A="{tok[0]}"; T_B="{tok[1]}"\nTOKEN="$T_A$T_B"')
    script = f"""#!/usr/bin/env bash
set -euo pipefail
{lines}
pg_dump -h {host} -U backup --format=custom app > /backups/app.dump
curl -fsS -H "Authorization: Bearer $TOKEN" -F file=@/backups/app.dump https://uploads.example.com/v2/files
"""
    return "shell", "ci_cd", [user(f"Nightly backup script, the upload step fails:\n\n"
                                   f"{fence('bash', script)}\nWhat is wrong with the quoting?")]


# -- held back: other languages ------------------------------------------------------------

def split_polyglot(d: Draft, i: int) -> Out:
    t, prefix, rest = v.provider_token(d.rng)
    parts = fragments(d, prefix, rest, t)
    q = ", ".join(f'"{p}"' for p in parts)
    style = i % 5
    if style == 0:
        lang, code = "javascript", (
            f"const parts = [{q}];\nconst apiKey = parts.join('');\n"
            f"export async function listRepos(org) {{\n"
            f"  const res = await fetch(`https://api.example.com/orgs/${{org}}/repos`, {{\n"
            f"    headers: {{ Authorization: `token ${{apiKey}}` }},\n  }});\n"
            f"  return res.json();\n}}\n")
        d.pub("res.json()", "export async function")
    elif style == 1:
        lang = "java"
        appends = "".join(f'\n        .append("{p}")' for p in parts)
        code = (f"public final class ApiCredentials {{\n"
                f"    static String key() {{\n        return new StringBuilder(){appends}\n"
                f"            .toString();\n    }}\n}}\n")
        d.pub("StringBuilder", "toString()", "public final class")
    elif style == 2:
        lang = "go"
        code = (f'package client\n\nimport "strings"\n\n'
                f"var apiKey = strings.Join([]string{{{q}}}, \"\")\n\n"
                f"func authHeader() string {{\n\treturn \"Bearer \" + apiKey\n}}\n")
        d.pub("strings.Join", "[]string", "func authHeader() string")
    elif style == 3:
        lang = "typescript"
        names = [f"k{k}" for k in range(len(parts))]
        decl = "\n".join(f"const {n} = '{p}';" for n, p in zip(names, parts, strict=True))
        code = (f"{decl}\nexport const token: string = `" + "".join("${" + n + "}" for n in names)
                + "`;\nexport const alt = " + f"'{parts[0]}'" + "".join(
                    f".concat('{p}')" for p in parts[1:]) + ";\n")
        d.pub("export const token: string")
    else:
        lang = "csharp"
        code = ("public static class Secrets\n{\n    public static readonly string ApiKey =\n"
                f"        string.Concat({q});\n}}\n")
        d.pub("string.Concat", "public static readonly string")
    ask = d.pick(["Can you simplify how the key is assembled here?",
                  "Code review please — anything risky in this file?",
                  "Why does the request fail with 403?"])
    return lang, "code_review", [user(f"{ask}\n\n{fence(lang, code)}")]


# -- tuning: kubeconfig, Kubernetes secrets, *_B64 variables ----------------------------------

def encoded_k8s(d: Draft, i: int) -> Out:
    co = d.company()
    style = i % 3
    if style == 0:
        dom = d.term(f"{co.lower()}.internal", "INTERNAL_DOMAIN")
        key = base64.b64encode(v.pem_body(d.rng).encode()).decode()
        d.secret(key, "BASE64_PRIVATE_KEY")
        ca = base64.b64encode(d.rng.randbytes(96)).decode()
        host = d.pii(f"k8s-api.{dom}", "HOSTNAME")
        user_name = d.pick(["ci-deployer", "admin", "readonly"])
        d.pub("client-key-data", "certificate-authority-data", "current-context", "kind: Config")
        doc = (f"apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n"
               f"    certificate-authority-data: {ca}\n    server: https://{host}:6443\n"
               f"  name: prod\ncontexts:\n- context:\n    cluster: prod\n    user: {user_name}\n"
               f"  name: prod\ncurrent-context: prod\nusers:\n- name: {user_name}\n  user:\n"
               f"    client-certificate-data: {ca[::-1]}\n    client-key-data: {key}\n")
        ask = "kubectl says `x509: certificate signed by unknown authority` with this kubeconfig:"
        return "yaml", "debug", [user(f"{ask}\n\n{fence('yaml', doc)}")]
    if style == 1:
        pw = v.password(d.rng)
        _, prefix, rest = v.provider_token(d.rng)
        b_pw = d.secret(base64.b64encode(pw.encode()).decode(), "BASE64_PASSWORD")
        b_tok = d.secret(base64.b64encode((prefix + rest).encode()).decode(), "BASE64_TOKEN")
        d.pub("kind: Secret", "type: Opaque", "secretKeyRef")
        doc = (f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: {co.lower()}-api\n"
               f"type: Opaque\ndata:\n  DB_PASSWORD: {b_pw}\n  UPSTREAM_TOKEN: {b_tok}\n---\n"
               f"# deployment excerpt\nenv:\n  - name: DB_PASSWORD\n    valueFrom:\n"
               f"      secretKeyRef:\n        name: {co.lower()}-api\n        key: DB_PASSWORD\n")
        return "yaml", "config_review", [user(f"Does this Secret look right?\n\n"
                                              f"{fence('yaml', doc)}")]
    sign = d.secret(base64.b64encode(d.rng.randbytes(32)).decode(), "BASE64_TOKEN")
    sa = json.dumps({"type": "service_account", "private_key_id": v.hex_token(d.rng),
                     "private_key": v.pem_body(d.rng, "PRIVATE KEY")})
    sa_b64 = d.secret(base64.b64encode(sa.encode()).decode(), "BASE64_PRIVATE_KEY")
    pw_b64 = d.secret(base64.b64encode(v.password(d.rng).encode()).decode(), "BASE64_PASSWORD")
    d.pub("base64.b64decode", "os.environ", "json.loads")
    env = (f"# {co} API\nJWT_SIGNING_KEY_B64={sign}\nGCP_SA_KEY_B64={sa_b64}\n"
           f"SMTP_PASSWORD_B64={pw_b64}\n")
    code = ("import base64, json, os\n\n"
            "signing_key = base64.b64decode(os.environ['JWT_SIGNING_KEY_B64'])\n"
            "sa_info = json.loads(base64.b64decode(os.environ['GCP_SA_KEY_B64']))\n")
    return "python", "debug", [user(f"My .env:\n\n{fence('dotenv', env)}\nand the loader:\n\n"
                                    f"{fence('python', code)}\n"
                                    f"I get `binascii.Error: Incorrect padding`.")]


# -- held back: hex, URL-encoding, JWT, JSON escapes ------------------------------------------

def encoded_inline(d: Draft, i: int) -> Out:
    style = i % 4
    if style == 0:
        _, prefix, rest = v.provider_token(d.rng)
        hx = d.secret((prefix + rest).encode().hex(), "HEX_ENCODED_SECRET")
        d.pub("bytes.fromhex", "decode()")
        code = (f'API_KEY = bytes.fromhex(\n    "{hx}"\n).decode()\n\n'
                "def headers():\n    return {'X-Api-Key': API_KEY}\n")
        return "python", "security_review", [user(
            "Is hex-encoding the key enough to keep it out of the repo?\n\n"
            + fence("python", code))]
    if style == 1:
        raw = v.password(d.rng)[:8] + d.pick(["@", "/", ":", "#", "?"]) + v.rand(d.rng, 6) + "%"
        enc = d.secret(quote(raw, safe=""), "PASSWORD")
        host = d.pii(f"{d.word()}-pg.{d.pick(['svc.cluster.local', 'prod.lan'])}", "HOSTNAME")
        url = d.secret(f"postgresql+psycopg://reporting:{enc}@{host}:5432/metrics", "DATABASE_URL")
        d.pub("create_engine", "pool_pre_ping=True")
        code = ("from sqlalchemy import create_engine\n\n"
                f'engine = create_engine("{url}", pool_pre_ping=True)\n')
        return "python", "debug", [user(f"I had to percent-encode the password. Still "
                                        f"`password authentication failed`:\n\n"
                                        f"{fence('python', code)}")]
    if style == 2:
        _, _, full = v.ascii_person(d.rng)
        token = d.secret(v.jwt(d.rng, {"sub": v.rand(d.rng, 12, v.LOWER_ALNUM),
                                        "name": full, "exp": 1900000000}), "JWT")
        sid = d.secret(v.rand(d.rng, 32, v.LOWER_ALNUM), "SESSION_ID")
        d.pub("HTTP/1.1 401 Unauthorized", "WWW-Authenticate")
        req = (f"GET /api/v3/reports HTTP/1.1\nHost: api.example.com\n"
               f"Authorization: Bearer {token}\nCookie: theme=dark; sid={sid}\n\n"
               "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer error=\"invalid_token\"\n")
        return "http", "debug", [user(f"Why is this token rejected? It hasn't expired.\n\n"
                                      f"{fence('http', req)}")]
    blob = base64.b64encode(d.rng.randbytes(30)).decode().replace("+", "/")
    if "/" not in blob:
        blob = blob[:10] + "/" + blob[11:]
    esc = d.secret(blob.replace("/", "\\/"), "BASE64_TOKEN")
    d.pub("json_decode", "$config")
    out = f'{{"client_id":"reports","client_secret":"{esc}","scopes":["read"]}}'
    return "php", "debug", [
        user(f"PHP's json_encode gave me this, and the OAuth server rejects the secret:\n\n"
             f"{fence('json', out)}\n\n$config = json_decode($raw, true);"),
        assistant("The escaped slashes are valid JSON; json_decode restores them."),
        user(f"Then why would `{esc}` be wrong on their side?"),
    ]
