"""Tuning families: split secrets in compiled and scripting languages, secrets in escapes and
encodings, secrets bound by context in operations material, provider tokens in code.

Written from issue #11's wording and the formats developers use, independently of the
held-back families. Planting follows :mod:`.fam_split`: a split secret plants each fragment
(8+ characters of it), an encoded secret plants the encoded text as it is sent.
"""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import quote

from proxy.evaluation.adversarial import providers
from proxy.evaluation.adversarial import values as v
from proxy.evaluation.adversarial.draft import Draft, fence, user
from proxy.evaluation.adversarial.fam_context import rules_for
from proxy.evaluation.adversarial.fam_split import fragments

Out = tuple[str, str, list[dict[str, Any]]]


def _q(parts: list[str], quote_: str = '"') -> list[str]:
    return [f"{quote_}{p}{quote_}" for p in parts]


# -- split across literals, language by language ----------------------------------------------

def _java(name: str, p: list[str], k: int) -> tuple[str, str]:
    q = _q(p)
    forms = [
        f"String {name} = new StringBuilder()\n" + "".join(f"        .append({x})\n" for x in q)
        + "        .toString();",
        f'String {name} = String.join("", {", ".join(q)});',
        f"static final String {name} =\n    " + " +\n    ".join(q) + ";",
    ]
    return "java", forms[k % len(forms)]


def _kotlin(name: str, p: list[str], k: int) -> tuple[str, str]:
    q = _q(p)
    forms = [
        f'val {name} = listOf({", ".join(q)}).joinToString("")',
        f"val {name} = buildString {{\n" + "".join(f"    append({x})\n" for x in q) + "}",
        f"val {name} = " + " + ".join(q),
    ]
    return "kotlin", forms[k % len(forms)]


def _c(name: str, p: list[str], k: int) -> tuple[str, str]:
    q = _q(p)
    forms = [
        f"#define {name.upper()} " + " ".join(q),
        f"static const char *{name} =\n    " + "\n    ".join(q) + ";",
        f"char {name}[128];\nstrcpy({name}, {q[0]});\n"
        + "".join(f"strcat({name}, {x});\n" for x in q[1:]),
    ]
    return "c", forms[k % len(forms)]


def _cpp(name: str, p: list[str], k: int) -> tuple[str, str]:
    q = _q(p)
    forms = [
        f"std::string {name} = std::string({q[0]}) + " + " + ".join(q[1:]) + ";",
        f"std::string {name} = {q[0]};\n" + "".join(f"{name} += {x};\n" for x in q[1:]),
        "std::ostringstream os;\nos << " + " << ".join(q) + f";\nconst auto {name} = os.str();",
    ]
    return "cpp", forms[k % len(forms)]


def _rust(name: str, p: list[str], k: int) -> tuple[str, str]:
    q = _q(p)
    forms = [
        f"let mut {name} = String::from({q[0]});\n"
        + "".join(f"{name}.push_str({x});\n" for x in q[1:]),
        f"const {name.upper()}: &str = concat!({', '.join(q)});",
        f"let {name} = [{', '.join(q)}].concat();",
        f'let {name} = format!("{"{}" * len(q)}", {", ".join(q)});',
    ]
    return "rust", forms[k % len(forms)]


def _go(name: str, p: list[str], k: int) -> tuple[str, str]:
    q = _q(p)
    forms = [
        f'{name} := strings.Join([]string{{{", ".join(q)}}}, "")',
        f"{name} := " + " +\n\t".join(q),
        f'{name} := fmt.Sprintf("{"%s" * len(q)}", {", ".join(q)})',
    ]
    return "go", forms[k % len(forms)]


def _ruby(name: str, p: list[str], k: int) -> tuple[str, str]:
    q = _q(p, "'")
    forms = [
        f"{name} = +{q[0]}\n" + "".join(f"{name} << {x}\n" for x in q[1:]),
        f"{name} = [{', '.join(q)}].join",
        f"{name} = " + " + ".join(q),
    ]
    return "ruby", forms[k % len(forms)]


def _php(name: str, p: list[str], k: int) -> tuple[str, str]:
    q = _q(p, "'")
    forms = [
        f"${name} = " + " . ".join(q) + ";",
        f"${name} = {q[0]};\n" + "".join(f"${name} .= {x};\n" for x in q[1:]),
        f"${name} = implode('', [{', '.join(q)}]);",
    ]
    return "php", forms[k % len(forms)]


def _csharp(name: str, p: list[str], k: int) -> tuple[str, str]:
    q = _q(p)
    consts = [f"const string P{j} = {x};" for j, x in enumerate(q)]
    forms = [
        f"var {name} = string.Concat({', '.join(q)});",
        f"var {name} = " + " + ".join(q) + ";",
        "\n".join(consts) + f'\nvar {name} = $"' + "".join(f"{{P{j}}}" for j in range(len(q)))
        + '";',
        "var sb = new StringBuilder();\n" + "".join(f"sb.Append({x});\n" for x in q)
        + f"var {name} = sb.ToString();",
    ]
    return "csharp", forms[k % len(forms)]


def _js(name: str, p: list[str], k: int) -> tuple[str, str]:
    q = _q(p, "'")
    consts = [f"const p{j} = {x};" for j, x in enumerate(q)]
    forms = [
        f"const {name} = [{', '.join(q)}].join('');",
        f"const {name} = {q[0]}" + "".join(f".concat({x})" for x in q[1:]) + ";",
        "\n".join(consts) + f"\nconst {name} = `" + "".join(f"${{p{j}}}" for j in range(len(q)))
        + "`;",
    ]
    return "javascript", forms[k % len(forms)]


def _chunks(name: str, p: list[str], k: int) -> tuple[str, str]:
    """Pieces bound to names first, joined or formatted later, in a call or a map entry."""
    q = _q(p)
    sq = _q(p, "'")
    forms = [
        ("java", "private static final String[] PARTS = {" + ", ".join(q) + "};\n"
         'headers.put("X-Api-Key", String.join("", PARTS));'),
        ("go", "parts := []string{" + ", ".join(q) + "}\n"
         f'cfg := Config{{{name[0].upper() + name[1:]}: strings.Join(parts, "")}}'),
        ("javascript", "const parts = [" + ", ".join(q) + "];\n"
         f"const client = new Client({{ {name}: parts.join('') }});"),
        ("python", "".join(f"_P{j} = {x}\n" for j, x in enumerate(q))
         + f'settings["{name}"] = "{"%s" * len(q)}" % ('
         + ", ".join(f"_P{j}" for j in range(len(q))) + ")"),
        ("rust", "let parts = [" + ", ".join(q) + "];\n"
         f"let client = Client::new(Config {{ {name}: parts.concat(), ..Default::default() }});"),
        ("csharp", "var parts = new[] {" + ", ".join(q) + "};\n"
         f'options.{name[0].upper() + name[1:]} = string.Join("", parts);'),
        ("swift", f"let {name} = " + " + ".join(q)),
        ("lua", f"local {name} = " + " .. ".join(q)),
        ("powershell", f"${name} = " + " + ".join(sq)),
        ("scala", f"val {name} = Seq({', '.join(q)}).mkString"),
        ("python", f'{name} = "{"{}" * len(q)}".format({", ".join(q)})'),
        ("java", f'String {name} = String.format("{"%s" * len(q)}", {", ".join(q)});'),
        ("r", f"{name} <- paste0({', '.join(q)})"),
        ("elixir", f"{name} = " + " <> ".join(q)),
        ("julia", f"{name} = " + " * ".join(q)),
        ("vb", f"Dim {name} As String = " + " & ".join(q)),
        ("ocaml", f"let {name} = " + " ^ ".join(q)),
        ("sql", f"SET @{name} = CONCAT({', '.join(sq)});"),
        ("kotlin", f"val {name} = {q[0]}" + "".join(f".plus({x})" for x in q[1:])),
        ("powershell", f"${name} = @({', '.join(sq)}) -join ''"),
        ("java", f'props.setProperty("{name}", ' + " + ".join(q) + ");"),
    ]
    return forms[k % len(forms)]


_LANGS = [_java, _kotlin, _c, _cpp, _rust, _go, _ruby, _php, _csharp, _js]
_NAMES = {"token": ["apiToken", "upstreamKey", "serviceToken", "authKey"],
          "password": ["dbPassword", "smtpPass", "adminPwd", "redisPassword"]}


def split_native(d: Draft, i: int) -> Out:
    co = d.company()
    blocks = []
    for n, lang_fn in enumerate((_LANGS[i % len(_LANGS)], _LANGS[(i * 3 + 5) % len(_LANGS)])):
        if n == 0:
            t, prefix, rest = v.provider_token(d.rng)
            parts = fragments(d, prefix, rest, t)
            name = d.pick(_NAMES["token"])
        else:
            parts = fragments(d, "", v.password(d.rng) + v.rand(d.rng, 4), "PASSWORD", 2)
            name = d.pick(_NAMES["password"])
        lang, code = lang_fn(name, parts, d.rng.randrange(4))
        blocks.append(fence(lang, f"// {co} client bootstrap\n{code}"))
    t, prefix, rest = v.provider_token(d.rng)
    if d.rng.random() < 0.5:
        parts, name = fragments(d, prefix, rest, t), d.pick(_NAMES["token"])
    else:
        parts = fragments(d, "", v.password(d.rng) + v.rand(d.rng, 4), "PASSWORD", 2)
        name = d.pick(_NAMES["password"])
    lang, code = _chunks(name, parts, i + d.rng.randrange(3) * 8)
    blocks.append(fence(lang, code))
    ask = d.pick(["We assemble the credentials at runtime so grep does not find them. "
                  "Is this good enough?", "Port these two snippets to Python, same behaviour.",
                  "The login fails after the refactor, can you spot the bug?"])
    return "java", "refactor", [user(ask + "\n\n" + "\n\n".join(blocks))]


# -- encodings and escapes --------------------------------------------------------------------

def _secret_text(d: Draft) -> tuple[str, str, str]:
    """(type, secret, a name it is bound to) of a token or a password."""
    if d.rng.random() < 0.6:
        t, prefix, rest = v.provider_token(d.rng)
        return t, prefix + rest, d.pick(["UPSTREAM_KEY", "API_TOKEN", "SERVICE_CRED"])
    return "PASSWORD", v.password(d.rng), d.pick(["DB_PASSWORD", "ADMIN_PASS", "SMTP_PWD"])


def _encode(d: Draft, style: int, secret: str, name: str) -> tuple[str, str, str]:
    """(fence language, snippet, the encoded text sent) for one encoding style."""
    raw = secret.encode()
    if style == 0:
        enc = raw.hex()
        return "python", f'{name.lower()} = bytes.fromhex("{enc}").decode()', enc
    if style == 1:
        enc = "".join(f"\\x{b:02x}" for b in raw)
        return "c", f'static const char {name.lower()}[] = "{enc}";', enc
    if style == 2:
        enc = "".join(f"\\u{b:04x}" for b in raw)
        return "javascript", f'const {name.lower()} = "{enc}";', enc
    if style == 3:
        enc = "".join(f"%{b:02X}" for b in raw)
        return "shell", (f'curl -sS "https://api.example.com/v1/login?user=svc&{name.lower()}='
                         f'{enc}"'), enc
    if style == 4:
        enc = ", ".join(f"0x{b:02x}" for b in raw)
        return "java", f"byte[] {name.lower()} = new byte[] {{{enc}}};", enc
    if style == 5:
        enc = ", ".join(str(b) for b in raw)
        return "javascript", f"const {name.lower()} = String.fromCharCode({enc});", enc
    if style == 6:
        enc = base64.b32encode(raw).decode()
        return "python", f'{name.lower()} = base64.b32decode("{enc}").decode()', enc
    if style == 7:
        enc = base64.urlsafe_b64encode(raw).decode().rstrip("=")
        return "shell", f"curl 'https://hooks.example.com/ingest?auth={enc}&v=2'", enc
    if style == 8:
        enc = base64.b64encode(raw).decode()
        doc = json.dumps({"service": "billing", "credentials": {"encoding": "base64",
                                                                 "value": enc}}, indent=2)
        return "json", doc, enc
    if style == 9:
        enc = ", ".join(f"'{c}'" for c in secret)
        return "c", f"const char {name.lower()}[] = {{{enc}, '\\0'}};", enc
    if style == 10:
        enc = "".join(f"\\{b:03o}" for b in raw)
        return "shell", f"printf '{enc}' > /run/secrets/{name.lower()}", enc
    if style == 11:
        enc = ", ".join(str(b) for b in raw)
        return "python", f"{name.lower()} = bytes([{enc}]).decode()", enc
    enc = "".join(f"&#{ord(c)};" for c in secret)
    return "html", f'<input type="hidden" name="{name.lower()}" value="{enc}">', enc


def encoded_escapes(d: Draft, i: int) -> Out:
    co = d.company()
    blocks = []
    for style in (i % 13, (i + 5) % 13 if i % 2 else (i * 7 + 3) % 13):
        t, secret, name = _secret_text(d)
        lang, snippet, enc = _encode(d, style, secret, name)
        d.secret(enc, f"ENCODED_{t}")
        blocks.append(fence(lang, snippet))
    ask = d.pick([f"{co}'s scanner flags nothing here, so I guess these are fine to commit?",
                  f"Why does the decoded value come out wrong in the {co} build?",
                  f"Convert these {co} settings to environment variables please."])
    d.pub("api.example.com")
    return "python", "debug", [user(ask + "\n\n" + "\n\n".join(blocks))]


# -- secrets by context in operations material -------------------------------------------------

def _ops(d: Draft, style: int, pw: str, tok: str, host: str) -> tuple[str, str]:
    """(fence language, snippet) binding a password and a token in one ops syntax."""
    if style == 0:
        return "shell", (f"docker run -d --name api -e DB_PASSWORD={pw} \\\n"
                         f"  -e API_TOKEN='{tok}' -p 8080:8080 registry.example.com/api:1.4")
    if style == 1:
        return "shell", (f"kubectl create secret generic api-creds \\\n"
                         f"  --from-literal=db-password='{pw}' \\\n"
                         f"  --from-literal=api-token={tok}")
    if style == 2:
        return "shell", (f"helm upgrade --install api ./chart \\\n"
                         f"  --set postgresql.auth.password={pw} \\\n"
                         f"  --set api.token={tok}")
    if style == 3:
        return "hcl", (f'db_password = "{pw}"\n'
                       f'datadog_api_key = "{tok}"\nregion = "eu-west-1"\n')
    if style == 4:
        return "yaml", (f"# group_vars/prod.yml\nmysql_root_password: \"{pw}\"\n"
                        f"deploy_token: {tok}\nnginx_port: 443\n")
    if style == 5:
        return "ini", (f"[Service]\nEnvironment=\"DB_PASSWORD={pw}\"\n"
                       f"Environment=API_TOKEN={tok}\nExecStart=/usr/bin/api\n")
    if style == 6:
        return "nginx", (f"location /upstream/ {{\n    proxy_pass https://{host};\n"
                         f"    proxy_set_header Authorization \"Bearer {tok}\";\n"
                         f"    proxy_set_header X-Db-Pass {pw};\n}}")
    if style == 7:
        return "ini", (f"//registry.npmjs.org/:_authToken={tok}\n"
                       f"; ~/.pypirc\n[pypi]\nusername = __token__\npassword = {pw}\n")
    if style == 8:
        return "text", (f"# ~/.netrc\nmachine {host} login deploy password {pw}\n"
                        f"# ~/.pgpass\n{host}:5432:app:app:{tok}\n")
    if style == 9:
        return "shell", (f"git clone https://deploy:{tok}@{host}/platform/api.git\n"
                         f"redis-cli -h {host} -a '{pw}' ping")
    if style == 10:
        return "properties", (f"spring.datasource.url=jdbc:postgresql://{host}:5432/app"
                              f"?user=app&password={pw}\napi.client.token={tok}\n")
    if style == 11:
        return "yaml", (f"jobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:\n"
                        f"      DEPLOY_PASSWORD: {pw}\n    steps:\n"
                        f"      - uses: example/deploy-action@v2\n        with:\n"
                        f"          api-token: {tok}\n")
    if style == 12:
        return "sql", (f"CREATE USER 'report'@'%' IDENTIFIED BY '{pw}';\n"
                       f"ALTER ROLE api WITH LOGIN PASSWORD '{tok}';")
    if style == 13:
        return "text", (f"haproxy.cfg:\n  http-request set-header X-Api-Key {tok}\n"
                        f"  stats auth admin:{pw}\n")
    if style == 14:
        har = {"log": {"entries": [{"request": {"method": "GET", "url": f"https://{host}/v1/me",
                                                "headers": [{"name": "Authorization",
                                                             "value": f"Token {tok}"},
                                                            {"name": "Cookie",
                                                             "value": f"session={pw}"}]}}]}}
        return "json", json.dumps(har, indent=1)
    if style == 15:
        return "shell", (f"redis-cli -h {host}\n{host}:6379> AUTH {pw}\nOK\n"
                         f"$ export VAULT_TOKEN={tok}")
    return _ops_more(style - 16, pw, tok, host)


def _ops_more(style: int, pw: str, tok: str, host: str) -> tuple[str, str]:
    """More of the places issue #11 names: Dockerfiles, CI variables, CLI flags, raw HTTP,
    URL query parameters, curl and wget options, JVM properties, compose files, Windows."""
    if style == 0:
        return "dockerfile", (f"FROM python:3.12-slim\nARG PIP_INDEX_TOKEN={tok}\n"
                              f"ENV DB_PASSWORD {pw}\nCMD [\"gunicorn\", \"app:app\"]")
    if style == 1:
        return "yaml", (f"variables:\n  DEPLOY_TOKEN: \"{tok}\"\n  MYSQL_ROOT_PASSWORD: '{pw}'\n"
                        f"deploy:\n  script:\n    - ./deploy.sh\n")
    if style == 2:
        return "shell", (f"./bin/migrate --host {host} --user app --password '{pw}' "
                         f"--api-key={tok} --dry-run")
    if style == 3:
        return "http", (f"GET /v1/me HTTP/1.1\nHost: {host}\nX-Auth-Token: {tok}\n"
                        f"Cookie: theme=dark; sid={pw}\nAccept: */*\n")
    if style == 4:
        return "text", (f"https://{host}/v1/export?format=csv&access_token={tok}\n"
                        f"https://{host}/files/report.pdf?expires=1712000000&sig={pw}")
    if style == 10:  # a form body: values URL-encoded, as clients send them
        return "http", (f"POST /oauth/token HTTP/1.1\nHost: {host}\n"
                        f"Content-Type: application/x-www-form-urlencoded\n\n"
                        f"grant_type=password&username=svc&password={pw}&client_secret={tok}")
    if style == 5:
        return "shell", (f"curl -b 'session_id={tok}' https://{host}/v1/me\n"
                         f"wget --user=deploy --password='{pw}' https://{host}/backup.tar.gz")
    if style == 6:
        return "shell", (f"java -Dspring.datasource.password={pw} -Dapi.token={tok} "
                         f"-jar app.jar")
    if style == 7:
        return "yaml", (f"services:\n  db:\n    image: postgres:16\n    environment:\n"
                        f"      - POSTGRES_PASSWORD={pw}\n      - API_TOKEN={tok}\n")
    if style == 8:
        return "powershell", (f"$env:API_TOKEN = \"{tok}\"\n"
                              f"set DB_PASSWORD={pw}\n")
    if style == 9:
        return "python", (f'conn = psycopg2.connect(host="{host}", user="app", '
                          f'password="{pw}")\nclient = Client(api_key="{tok}")')
    if style == 11:
        return "shell", (f"gh secret set DEPLOY_TOKEN --body '{tok}'\n"
                         f"vault kv put secret/app db_password='{pw}'")
    if style == 12:
        return "shell", (f"openssl pkcs12 -export -in cert.pem -passout pass:{pw} -out c.p12\n"
                         f"vault login {tok}")
    if style == 13:
        return "powershell", (f'$p = ConvertTo-SecureString "{pw}" -AsPlainText -Force\n'
                              f"Invoke-RestMethod -Uri https://{host}/v1 -Headers "
                              f"@{{Authorization = \"Bearer {tok}\"}}")
    return "java", (f'conn.setRequestProperty("Authorization", "Bearer {tok}");\n'
                    f'jdbc:mysql://{host}:3306/app?user=app&password={pw}')


def context_services(d: Draft, i: int) -> Out:
    co = d.company()
    host = f"{d.word()}-{d.rng.randint(1, 9):02d}.example.net"  # a secret family: not planted
    blocks = []
    for style in (i * 2 % 16, (i * 2 + 1) % 16, 16 + (i + d.rng.randrange(2) * 8) % 15):
        pw = v.password(d.rng)
        if style == 20:  # a URL's signature: base64 of an HMAC, URL-encoded
            pw = quote(base64.b64encode(d.rng.randbytes(32)).decode(), safe="")
        elif style == 26:  # a form body: URL-encoded
            pw = quote(pw, safe="")
        d.secret(pw, "SIGNATURE" if style == 20 else "PASSWORD")
        tok = d.secret(v.rand(d.rng, d.rng.choice([32, 40]), v.ALNUM), "TOKEN")
        lang, snippet = _ops(d, style, pw, tok, host)
        blocks.append(fence(lang, snippet))
    ask = d.pick([f"Here is how {co} deploys the API. Anything insecure?",
                  f"Turn this {co} setup into a Kubernetes manifest.",
                  f"Why does the {co} login step fail?"])
    return "shell", "ops", [user(ask + "\n\n" + "\n\n".join(blocks))]


# -- provider tokens in source code (the tuning half of gitleaks' rules) ------------------------

def _code_forms(keyword: str, secret: str) -> list[str]:
    kw = "".join(c if c.isalnum() else "_" for c in keyword).strip("_") or "api"
    camel = kw.split("_")[0].lower() + "".join(w.capitalize() for w in kw.split("_")[1:])
    return [
        f'private static final String {kw.upper()}_TOKEN = "{secret}";',
        f'const {camel}ApiKey = "{secret}"',
        f"    {camel}Secret: '{secret}',",
        f'client := {camel}.New("{secret}")',
    ]


def provider_snippets(d: Draft, i: int) -> Out:
    lines = []
    for k, (rule, raw, secret) in enumerate(rules_for(d, "tuning", i + 3, 10)):
        forms = _code_forms(rule.keyword, secret)
        order = forms[k % len(forms):] + forms[:k % len(forms)]
        line = next((f for f in order if providers.found(rule, f + "\n", secret)), raw)
        d.secret(secret, rule.type)
        lines.append(line)
    return "java", "refactor", [user("Move these hard-coded credentials to a secrets manager:"
                                     "\n\n" + fence("java", "\n".join(lines)))]
