"""Tuning families: secrets split in scripting and less common languages, secrets encoded inline
on the wire and in byte literals, secrets bound by context in deployment and client files.

Written from issue #11's wording and the formats developers use, independently of the
held-back families. Planting follows :mod:`.fam_split`: a split secret plants each fragment
(8+ characters of it), an encoded secret plants the encoded text as it is sent. Each record
also carries public look-alikes (digests, commit SHAs, public GUIDs, placeholders) that must
come back unchanged.
"""

from __future__ import annotations

import base64
import codecs
import hashlib
import json
import re
import string
import uuid
from typing import Any
from urllib.parse import quote

from proxy.evaluation.adversarial import values as v
from proxy.evaluation.adversarial.draft import Draft, fence, user
from proxy.evaluation.adversarial.fam_split import fragments

Out = tuple[str, str, list[dict[str, Any]]]

_WORDS = ["harbor", "falcon", "winter", "summer", "maple", "rocket", "tiger", "silver", "orange",
          "garden", "dragon", "coffee", "sunset", "purple", "thunder", "pepper", "autumn",
          "castle", "monkey", "river", "banana", "shadow", "cookie", "planet"]


def word_password(d: Draft) -> str:
    """A password as people pick them: one or two words, a year or a number, maybe a symbol."""
    w = [d.pick(_WORDS) for _ in range(d.rng.randint(1, 2))]
    w = [x.capitalize() if d.rng.random() < 0.6 else x for x in w]
    num = str(d.pick([d.rng.randint(1, 99), d.rng.randint(1980, 2026)]))
    sym = d.pick(["", "!", "#", "@", "$", "*"])
    return "".join(w) + (sym + num if d.rng.random() < 0.5 else num + sym)


def aws_pair(d: Draft) -> tuple[str, str]:
    """(access key id, secret access key): the id is not secret on its own, the key is."""
    return "AKIA" + v.rand(d.rng, 16, string.ascii_uppercase + "234567"), v.rand(d.rng, 40, v.B64)


def slack_hook(d: Draft) -> str:
    """The secret path of a Slack incoming webhook (after ``/services/``)."""
    up = string.ascii_uppercase + string.digits
    return f"T{v.rand(d.rng, 8, up)}/B{v.rand(d.rng, 10, up)}/{v.rand(d.rng, 24)}"


def _digest(d: Draft, n: int = 64) -> str:
    return hashlib.sha256(d.word().encode()).hexdigest()[:n]


def _guid(d: Draft) -> str:
    return str(uuid.UUID(int=d.rng.getrandbits(128), version=4))


# -- split across literals --------------------------------------------------------------------

def _forms(name: str, p: list[str]) -> list[tuple[str, str]]:
    """(language, code) for the pieces ``p`` joined back in many languages' idioms."""
    dq = [f'"{x}"' for x in p]
    sq = [f"'{x}'" for x in p]
    up = re.sub(r"(?<=[a-z])(?=[A-Z])", "_", name).upper()  # dbPassword -> DB_PASSWORD
    consts = "".join(f'P{j} = "{x}"\n' for j, x in enumerate(p))
    refs = [f"P{j}" for j in range(len(p))]
    return [
        ("perl", f"my ${name} = " + " . ".join(sq) + ";"),
        ("perl", f"my ${name} = {sq[0]};\n" + "".join(f"${name} .= {x};\n" for x in sq[1:])),
        ("perl", f"my ${name} = sprintf('{'%s' * len(p)}', {', '.join(sq)});"),
        ("lua", f"local {name} = " + " .. ".join(dq)),
        ("lua", f"local {name} = table.concat({{{', '.join(dq)}}})"),
        ("lua", f'local {name} = string.format("{"%s" * len(p)}", {", ".join(dq)})'),
        ("swift", f"let {name} = [{', '.join(dq)}].joined()"),
        ("swift", "".join(f'let p{j} = "{x}"\n' for j, x in enumerate(p))
         + f'let {name} = "' + "".join(f"\\(p{j})" for j in range(len(p))) + '"'),
        ("scala", f"val {name} = List({', '.join(dq)}).mkString"),
        ("scala", "".join(f'val p{j} = "{x}"\n' for j, x in enumerate(p))
         + f'val {name} = s"' + "".join(f"$p{j}" for j in range(len(p))) + '"'),
        ("dart", f"const {name} = " + " ".join(sq) + ";"),
        ("dart", f"final {name} = [{', '.join(sq)}].join();"),
        ("elixir", f"{name} = Enum.join([{', '.join(dq)}])"),
        ("elixir", "".join(f'@p{j} "{x}"\n' for j, x in enumerate(p))
         + f'@{name} "' + "".join(f"#{{@p{j}}}" for j in range(len(p))) + '"'),
        ("groovy", f"def {name} = " + " + ".join(sq)),
        ("groovy", f"def {name} = [{', '.join(sq)}].join('')"),
        ("powershell", f"${name} = '{''.join(f'{{{j}}}' for j in range(len(p)))}' -f "
         + ",".join(sq)),
        ("powershell", f"${name} = [string]::Concat({', '.join(sq)})"),
        ("r", f'{name} <- paste({", ".join(dq)}, sep = "")'),
        ("r", f'{name} <- sprintf("{"%s" * len(p)}", {", ".join(dq)})'),
        ("haskell", f"{name} = " + " ++ ".join(dq)),
        ("haskell", f"{name} = concat [{', '.join(dq)}]"),
        # make reads '#' as a comment: such pieces go to Perl instead
        ("makefile", "".join(f"{r} := {x}\n" for r, x in zip(refs, p, strict=True))
         + f"{up} := " + "".join(f"$({r})" for r in refs)) if not any("#" in x for x in p)
        else ("perl", f"my ${name} = join('', {', '.join(sq)});"),
        ("sql", f"SET @{name} = " + " || ".join(sq) + ";"),
        ("ruby", consts + f'{up} = "' + "".join(f"#{{{r}}}" for r in refs) + '"'),
        ("ruby", f"{name} = format('{'%s' * len(p)}', {', '.join(sq)})"),
        ("php", f"${name} = sprintf('{'%s' * len(p)}', {', '.join(sq)});"),
        ("php", "".join(f"$p{j} = '{x}';\n" for j, x in enumerate(p))
         + f'${name} = "' + "".join(f"{{$p{j}}}" for j in range(len(p))) + '";'),
        ("rust", "".join(f'const P{j}: &str = "{x}";\n' for j, x in enumerate(p))
         + f'let {name} = format!("' + "".join(f"{{P{j}}}" for j in range(len(p))) + '");'),
        ("csharp", f'var {name} = String.Format("{"".join(f"{{{j}}}" for j in range(len(p)))}", '
         + ", ".join(dq) + ");"),
        ("csharp", f'var {name} = string.Join("", new[] {{ {", ".join(dq)} }});'),
        ("go", f"{name} := fmt.Sprint({', '.join(dq)})"),
        ("go", "const (\n" + "".join(f'\tp{j} = "{x}"\n' for j, x in enumerate(p)) + ")\n\n"
         f"var {name} = " + " + ".join(f"p{j}" for j in range(len(p)))),
        ("clojure", f"(def {name} (str {' '.join(dq)}))"),
        ("objectivec", f"NSString *{name} = [@[" + ", ".join("@" + x for x in dq)
         + '] componentsJoinedByString:@""];'),
        ("nim", f"let {name} = " + " & ".join(dq)),
        ("fsharp", f"let {name} =\n    " + " +\n    ".join(dq)),
        ("kotlin", f'val {name} = "%s' + "%s" * (len(p) - 1) + '".format(' + ", ".join(dq) + ")"),
        # heredocs and multi-line literals whose line breaks are removed
        ("ruby", f'{up} = <<~KEY.delete("\\n")\n' + "".join(f"  {x}\n" for x in p) + "KEY"),
        ("php", f'${name} = str_replace("\\n", "", <<<EOT\n' + "\n".join(p) + "\nEOT);"),
        ("python", f'{up} = textwrap.dedent("""\n' + "".join(f"    {x}\n" for x in p)
         + '""").replace("\\n", "")'),
        ("javascript", f"const {name} = `\n" + "\n".join(f"  {x}" for x in p)
         + "`.replace(/\\s+/g, '');"),
        ("shell", f"export {up}=$(tr -d '\\n' <<'EOF'\n" + "\n".join(p) + "\nEOF\n)"),
    ]


_SPLIT_NAMES = {"PASSWORD": ["dbPassword", "adminPass", "smtp_password", "redisPass"],
                "AWS_SECRET_ACCESS_KEY": ["awsSecretKey", "aws_secret", "secretAccessKey"],
                "HEX_KEY": ["hmacKey", "encryption_key", "signingSecret"],
                "SESSION_ID": ["sessionId", "session_cookie", "sid"],
                "SLACK_WEBHOOK_URL": ["slackWebhook", "alertHook", "notifyUrl"]}


def _split_secret(d: Draft, k: int) -> tuple[str, str, list[str], str]:
    """(type, name, fragments, a line that goes with it) of one secret kind."""
    kind = ["PASSWORD", "AWS_SECRET_ACCESS_KEY", "HEX_KEY", "SESSION_ID", "SLACK_WEBHOOK_URL",
            "TOKEN", "PASSWORD"][k % 7]
    extra = ""
    if kind == "PASSWORD":
        pw = word_password(d) if k % 2 else v.password(d.rng)
        parts = fragments(d, "", pw, kind, 2) if len(pw) >= 16 else [d.secret(pw, kind)]
    elif kind == "AWS_SECRET_ACCESS_KEY":
        key_id, secret = aws_pair(d)
        parts = fragments(d, "", secret, kind)
        if d.rng.random() < 0.5:  # its key id beside it; the name then need not say "aws"
            extra = d.pick([f"accessKeyId = {key_id}", f"key id {key_id}, secret below",
                            f"IAM user ci-upload ({key_id})"])
            name = d.pick(["blob", "k2", "s3Secret", "uploadCred", "secret"])
            return kind, name, parts, extra
    elif kind == "HEX_KEY":
        parts = fragments(d, "", v.hex_token(d.rng, 64), kind)
    elif kind == "SESSION_ID":
        parts = fragments(d, "", v.rand(d.rng, 32, v.LOWER_ALNUM), kind, 2)
    elif kind == "SLACK_WEBHOOK_URL":
        parts = fragments(d, "https://hooks.slack.com/services/", slack_hook(d), kind, 2)
    else:
        t, prefix, rest = v.provider_token(d.rng)
        parts, kind = fragments(d, prefix, rest, t), t
    name = d.pick(_SPLIT_NAMES.get(kind, ["apiToken", "serviceKey", "upstream_token"]))
    return kind, name, parts, extra


def split_scripting(d: Draft, i: int) -> Out:
    co = d.company()
    blocks = []
    for n in range(3):
        _kind, name, parts, extra = _split_secret(d, i + n * 3)
        if len(parts) == 1:  # too short to split: a plain assignment in a config line
            blocks.append(fence("ini", f"[{co.lower()}]\n{name} = {parts[0]}"))
            continue
        forms = _forms(name, parts)
        lang, code = forms[(i * 5 + n * 11 + d.rng.randrange(3)) % len(forms)]
        if extra:
            code = f"-- {extra}\n{code}" if lang in ("lua", "sql", "haskell") else \
                f"# {extra}\n{code}"
        blocks.append(fence(lang, code))
    # decoys: public values built from pieces the same way
    digest = _digest(d)
    sha = _digest(d, 40)
    d.pub(digest, sha)
    decoy = d.pick([
        ("lua", f'local image = "registry.example.com/web" .. "@sha256:" .. "{digest}"'),
        ("perl", f"my $commit = '{sha}';\nmy $url = 'https://github.com/' . $org . '/tree/' "
                 ". $commit;"),
        ("groovy", f"def checksum = '{digest}'\nsh \"echo '${{checksum}}  app.tar.gz' | "
                   "sha256sum -c -\""),
        ("powershell", f"$expected = '{digest.upper()}'\n"
                       "if ((Get-FileHash .\\setup.exe).Hash -ne $expected) { throw 'bad' }"),
    ])
    if decoy[0] == "powershell":
        d.pub(digest.upper())
    blocks.append(fence(*decoy))
    ask = d.pick([f"Our {co} services are in different languages; the keys are glued at runtime "
                  "so the scanner misses them. Can you unify this into one config module?",
                  f"Translate these {co} snippets to TypeScript, same values.",
                  f"Why does the {co} login work locally but not in CI?"])
    return "ruby", "refactor", [user(ask + "\n\n" + "\n\n".join(blocks))]


# -- encoded inline ---------------------------------------------------------------------------

def _basic(d: Draft, host: str) -> tuple[str, str, str]:
    """A Basic auth header of ``user:password`` in one client's syntax; (lang, code, blob)."""
    user_ = d.pick(["svc-deploy", "admin", "ci", "report", "grafana"])
    pw = word_password(d) if d.rng.random() < 0.4 else v.password(d.rng)
    blob = base64.b64encode(f"{user_}:{pw}".encode()).decode()
    forms = [
        ("go", f'req.Header.Set("Authorization", "Basic {blob}")'),
        ("nginx", f'location /metrics {{\n    proxy_pass http://{host}:9090;\n'
                  f'    proxy_set_header Authorization "Basic {blob}";\n}}'),
        ("powershell", f"$headers = @{{ Authorization = 'Basic {blob}' }}\n"
                       f"Invoke-WebRequest -Uri https://{host}/api -Headers $headers"),
        ("ruby", f"http.request(Net::HTTP::Get.new(uri, {{ 'Authorization' => 'Basic {blob}' }}))"),
        ("yaml", f"scrape_configs:\n  - job_name: app\n    static_configs:\n"
                 f"      - targets: ['{host}:9100']\n    headers:\n"
                 f"      Authorization: Basic {blob}\n"),
        ("php", f"curl_setopt($ch, CURLOPT_HTTPHEADER, ['Authorization: Basic {blob}']);"),
        ("swift", f'request.setValue("Basic {blob}", forHTTPHeaderField: "Authorization")'),
        ("text", f"wget --header='Authorization: Basic {blob}' https://{host}/backup.tgz"),
    ]
    lang, code = d.pick(forms)
    return lang, code, blob


def _encoded(d: Draft, style: int, host: str) -> tuple[str, str, str]:
    """(fence language, snippet, the encoded text sent) for one style."""
    if style == 0:
        return _basic(d, host)
    if d.rng.random() < 0.4:
        secret = v.password(d.rng)
    else:
        _, prefix, rest = v.provider_token(d.rng)
        secret = prefix + rest
    raw = secret.encode()
    forms: list[tuple[str, str]]
    if style == 1:  # base64 of a JSON document holding the key
        doc = json.dumps({"client_id": d.word(), "client_secret": secret, "scope": "read"})
        enc = base64.b64encode(doc.encode()).decode()
        forms = [("shell", f"export GATEWAY_CONFIG_B64='{enc}'"),
                 ("yaml", f"env:\n  - name: OAUTH_CLIENT\n    value: {enc}\n"),
                 ("kotlin", f'val cfg = String(Base64.getDecoder().decode("{enc}"))')]
    elif style == 2:  # hex in a decode call, as one word, spaced, colon-separated, 0x-led
        enc = raw.hex()
        spaced, colon, up = raw.hex(" "), raw.hex(":"), enc.upper()
        return d.pick([
            ("javascript", f"const key = Buffer.from('{enc}', 'hex').toString();", enc),
            ("go", f'key, _ := hex.DecodeString("{enc}")', enc),
            ("php", f"$key = hex2bin('{enc}');", enc),
            ("ruby", f"key = ['{enc}'].pack('H*')", enc),
            ("perl", f"my $key = pack('H*', '{enc}');", enc),
            ("python", f'KEY = bytes.fromhex("{spaced}").decode()', spaced),
            ("csharp", f'var key = Encoding.UTF8.GetString(Convert.FromHexString("{up}"));', up),
            ("text", f"$ xxd -p -c 256 key.bin | sed 's/../&:/g'\n{colon}", colon),
            ("text", f"the vault returned 0x{enc} for the upstream key", enc)])
    elif style == 3:  # byte array literals
        hx = ", ".join(f"0x{b:02x}" for b in raw)
        dec = ", ".join(str(b) for b in raw)
        return d.pick([
            ("go", f"var apiKey = string([]byte{{{hx}}})", hx),
            ("csharp", f"var key = Encoding.ASCII.GetString(new byte[] {{ {hx} }});", hx),
            ("swift", f"let key = String(bytes: [UInt8]([{hx}]), encoding: .utf8)!", hx),
            ("rust", f"let key = String::from_utf8(vec![{dec}]).unwrap();", dec),
            ("kotlin", f"val key = byteArrayOf({dec}).decodeToString()", dec)])
    elif style == 4:  # a password percent-encoded inside a connection URL
        pw = v.password(d.rng) + d.pick(["@", "/", ":", "#", "?"]) + v.rand(d.rng, 3)
        enc = quote(pw, safe="")
        d.pub(host)
        forms = [("text", f"DATABASE_URL=postgresql://app:{enc}@{host}:5432/app"),
                 ("python", f'BROKER = "amqp://worker:{enc}@{host}:5672/%2F"'),
                 ("yaml", "spring:\n  data:\n    mongodb:\n"
                          f"      uri: mongodb://api:{enc}@{host}/orders\n")]
    elif style == 5:  # unicode escapes in a string literal
        enc = "".join(f"\\u{b:04x}" for b in raw)
        forms = [("java", f'private static final String KEY = "{enc}";'),
                 ("csharp", f'const string Key = "{enc}";'),
                 ("json", json.dumps({"upstream": {"key": "@@"}}).replace("@@", enc))]
    elif style == 6:  # character arrays
        enc = ", ".join(f"'{c}'" for c in secret)
        forms = [("kotlin", f"val key = String(charArrayOf({enc}))"),
                 ("csharp", f"var key = new string(new[] {{ {enc} }});"),
                 ("java", f"String key = new String(new char[] {{{enc}}});")]
    elif style == 7:  # rot13, the oldest trick
        enc = codecs.encode(secret, "rot13")
        forms = [("python", f"API_KEY = codecs.decode('{enc}', 'rot13')"),
                 ("shell", f"export TOKEN=$(echo '{enc}' | tr 'A-Za-z' 'N-ZA-Mn-za-m')")]
    else:  # base64 decoded in place
        enc = base64.b64encode(raw).decode()
        forms = [("powershell", "$tok = [Text.Encoding]::UTF8.GetString("
                                f"[Convert]::FromBase64String('{enc}'))"),
                 ("javascript", f"const token = atob('{enc}');"),
                 ("shell", f"echo '{enc}' | base64 -d > ~/.config/app/token")]
    lang, code = d.pick(forms)
    return lang, code, enc


def encoded_wire(d: Draft, i: int) -> Out:
    co = d.company()
    host = f"{d.word()}.example.net"
    blocks = []
    for style in (i % 9, (i * 4 + 3) % 9):
        lang, code, enc = _encoded(d, style, host)
        d.secret(enc, "ENCODED_SECRET")
        blocks.append(fence(lang, code))
    # decoys: encodings of public things
    sri = base64.b64encode(hashlib.sha384(d.word().encode()).digest()).decode()
    hello = b"Hello, world".hex()
    header = base64.urlsafe_b64encode(b'{"alg":"RS256","typ":"JWT"}').decode().rstrip("=")
    decoy = d.pick([
        ("html", f'<script src="https://cdn.example.com/lib.min.js" '
                 f'integrity="sha384-{sri}" crossorigin="anonymous"></script>', f"sha384-{sri}"),
        ("javascript", f"assert.equal(Buffer.from('{hello}', 'hex').toString(), 'Hello, world');",
         hello),
        ("text", f"Every RS256 token starts with {header} (the header).", header),
        ("text", "https://example.com/search?q=caf%C3%A9%20cr%C3%A8me&lang=fr",
         "q=caf%C3%A9%20cr%C3%A8me"),
        ("shell", 'curl -H "Authorization: Basic ${BASIC_AUTH}" https://example.com/api',
         "Basic ${BASIC_AUTH}"),
    ])
    d.pub(decoy[2])
    blocks.append(fence(decoy[0], decoy[1]))
    ask = d.pick([f"Nobody can read these {co} values since they are encoded, right?",
                  f"Decode these for me, the {co} client sends the wrong credentials.",
                  f"Rewrite this {co} code to load the values from the environment."])
    return "go", "debug", [user(ask + "\n\n" + "\n\n".join(blocks))]


# -- secrets by context in deployment and client files ----------------------------------------

def _pw(d: Draft) -> str:
    return d.secret(word_password(d) if d.rng.random() < 0.5 else v.password(d.rng), "PASSWORD")


def _tok(d: Draft, n: int = 32) -> str:
    return d.secret(v.rand(d.rng, n, v.ALNUM), "TOKEN")


def _webhook(d: Draft) -> str:
    """A chat webhook URL whose path is the secret (planted: the secret part)."""
    k = d.rng.randrange(3)
    if k == 0:
        hook = d.secret(slack_hook(d), "SLACK_WEBHOOK_URL")
        return f"https://hooks.slack.com/services/{hook}"
    if k == 1:
        hook = d.secret(f"{v.rand(d.rng, 18, string.digits)}/{v.rand(d.rng, 68, v.ALNUM + '-_')}",
                        "DISCORD_WEBHOOK_URL")
        return f"https://discord.com/api/webhooks/{hook}"
    hook = d.secret(f"{_guid(d)}@{_guid(d)}/IncomingWebhook/{v.hex_token(d.rng, 32)}/{_guid(d)}",
                    "TEAMS_WEBHOOK_URL")
    return f"https://{d.word()}.webhook.office.com/webhookb2/{hook}"


def _context(d: Draft, style: int, host: str) -> tuple[str, str]:
    """(fence language, snippet) with secrets bound by their place in one ops format."""
    if style == 0:
        return "ini", (f"[Service]\nUser=app\nEnvironment=\"PGPASSWORD={_pw(d)}\" "
                       f"\"SENTRY_TOKEN={_tok(d)}\"\nExecStart=/opt/app/bin/server\n")
    if style == 1:
        return "text", (f"userlist admins\n    user admin insecure-password {_pw(d)}\n"
                        f"backend api\n    http-request set-header X-Api-Key {_tok(d)}\n"
                        f"    server api1 {host}:8080 check\n")
    if style == 2:
        return "yaml", (f"- name: create the app database user\n  community.mysql.mysql_user:\n"
                        f"    name: app\n    password: \"{_pw(d)}\"\n    priv: 'app.*:ALL'\n"
                        f"  vars:\n    ansible_become_pass: {_pw(d)}\n")
    if style == 3:
        key_id, secret = aws_pair(d)
        d.secret(secret, "AWS_SECRET_ACCESS_KEY")
        return "hcl", (f'variable "db_password" {{\n  type      = string\n'
                       f'  default   = "{_pw(d)}"\n  sensitive = true\n}}\n\n'
                       f'provider "aws" {{\n  region     = "eu-central-1"\n'
                       f'  access_key = "{key_id}"\n  secret_key = "{secret}"\n}}\n')
    if style == 4:
        return "yaml", (f"postgresql:\n  auth:\n    postgresPassword: {_pw(d)}\n"
                        f"    username: app\nredis:\n  auth:\n    enabled: true\n"
                        f"    password: '{_pw(d)}'\n")
    if style == 5:
        return "yaml", (f"services:\n  queue:\n    image: rabbitmq:3-management\n"
                        f"    environment:\n      - \"RABBITMQ_DEFAULT_PASS={_pw(d)}\"\n"
                        f"  cache:\n    image: redis:7\n"
                        f"    command: redis-server --requirepass {_pw(d)}\n")
    if style == 6:
        return "yaml", (f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: api\ntype: Opaque\n"
                        f"stringData:\n  SESSION_KEY: {d.secret(v.hex_token(d.rng, 64), 'HEX_KEY')}"
                        f"\n  SMTP_PASS: \"{_pw(d)}\"\n")
    if style == 7:
        key_id, secret = aws_pair(d)
        d.secret(secret, "AWS_SECRET_ACCESS_KEY")
        sha = _digest(d, 40)
        d.pub(f"actions/checkout@{sha}")
        return "yaml", (f"jobs:\n  publish:\n    runs-on: ubuntu-latest\n    env:\n"
                        f"      AWS_ACCESS_KEY_ID: {key_id}\n"
                        f"      AWS_SECRET_ACCESS_KEY: {secret}\n"
                        f"    steps:\n      - uses: actions/checkout@{sha}\n")
    if style == 8:
        d.pub("credentialsId: 'nexus-deploy'")
        return "groovy", (f"pipeline {{\n  environment {{\n"
                          f"    SONAR_TOKEN = '{_tok(d, 40)}'\n  }}\n"
                          f"  stages {{ stage('notify') {{ steps {{\n"
                          f"    withCredentials([usernamePassword(credentialsId: 'nexus-deploy', "
                          "usernameVariable: 'U', passwordVariable: 'P')]) { sh './publish.sh' }\n"
                          f"    slackSend(channel: '#deploys', webhookUrl: '{_webhook(d)}')\n"
                          f"  }} }} }}\n}}\n")
    if style == 9:
        return "text", (f"# ~/.netrc\nmachine {host}\n    login deploy\n    password {_pw(d)}\n\n"
                        f"# ~/.pgpass\n*:*:*:replicator:{_pw(d)}\n")
    if style == 10:
        return "ini", (f"# /etc/pip.conf\n[global]\n"
                       f"index-url = https://__token__:{_tok(d, 40)}@{host}/simple\n\n"
                       f"# .npmrc\n//{host}/npm/:_authToken={_tok(d, 36)}\nalways-auth=true\n")
    if style == 11:
        return "shell", ("git config --global url.\"https://x-access-token:"
                         f"{_tok(d, 40)}@github.com/\""
                         ".insteadOf \"https://github.com/\"\n"
                         f"git config http.extraHeader \"Authorization: Bearer {_tok(d, 40)}\"")
    if style == 12:
        return "properties", (f"db.url=jdbc:sqlserver://{host}:1433;databaseName=app;user=sa;"
                              f"password={_pw(d)};encrypt=true\n"
                              f"legacy.url=jdbc:oracle:thin:scott/{_pw(d)}@{host}:1521/ORCL\n")
    if style == 13:
        return "shell", (f"mysqldump -uroot -p{_pw(d)} -h {host} app > app.sql\n"
                         f"PGPASSWORD={_pw(d)} pg_restore -h {host} -U app -d app app.dump")
    if style == 14:
        return "text", (f"# redis.conf\nbind 0.0.0.0\nrequirepass {_pw(d)}\nmasterauth {_pw(d)}\n")
    if style == 15:
        return "shell", (f"curl -fsS -u admin:{_pw(d)} https://{host}/api/health\n"
                         f"wget --user=backup --password={_pw(d)} https://{host}/dump.gz")
    if style == 16:
        sid = d.secret(v.rand(d.rng, 26, v.LOWER_ALNUM), "SESSION_ID")
        jsid = d.secret(v.hex_token(d.rng, 32).upper(), "SESSION_ID")
        return "http", (f"GET /account HTTP/1.1\nHost: {host}\n"
                        f"Cookie: PHPSESSID={sid}; JSESSIONID={jsid}; lang=en\n")
    if style == 17:
        sid = d.secret(v.rand(d.rng, 32, v.LOWER_ALNUM), "SESSION_ID")
        return "python", (f'r = requests.get("https://{host}/dashboard", '
                          f'cookies={{"sessionid": "{sid}", "theme": "dark"}})')
    if style == 18:
        key_id, secret = aws_pair(d)
        d.secret(secret, "AWS_SECRET_ACCESS_KEY")
        return "text", ("User name,Password,Access key ID,Secret access key,Console login link\n"
                        f"ci-bot,,{key_id},{secret},https://{v.rand(d.rng, 12, string.digits)}"
                        ".signin.aws.amazon.com/console\n")
    if style == 19:
        secret = d.secret(aws_pair(d)[1], "AWS_SECRET_ACCESS_KEY")
        return "shell", f"aws configure set aws_secret_access_key {secret} --profile ci"
    if style == 20:
        return "yaml", (f"receivers:\n  - name: oncall\n    slack_configs:\n"
                        f"      - api_url: {_webhook(d)}\n        channel: '#alerts'\n")
    if style == 21:
        hx = d.secret(v.hex_token(d.rng, 64), "HEX_KEY")
        iv = v.hex_token(d.rng, 32)  # an IV is no secret: not planted
        return "shell", f"openssl enc -aes-256-cbc -K {hx} -iv {iv} -in db.sql -out db.sql.enc"
    if style == 22:
        return "shell", (f"sshpass -p '{_pw(d)}' ssh root@{host}\n"
                         f"rabbitmqctl add_user metrics {_pw(d)}\n"
                         f"htpasswd -b -c /etc/nginx/.htpasswd ops {_pw(d)}")
    return "powershell", (f"net user svc_backup {_pw(d)} /add\n"
                          f"docker login -u ci -p {_pw(d)} registry.example.com")


_CONTEXT_STYLES = 24


def context_deploy(d: Draft, i: int) -> Out:
    co = d.company()
    host = f"{d.word()}-{d.rng.randint(1, 9):02d}.example.net"  # not planted: a secret family
    blocks = []
    for n in range(3):
        lang, snippet = _context(d, (i * 3 + n + (i // 8) * 5) % _CONTEXT_STYLES, host)
        blocks.append(fence(lang, snippet))
    # decoys: placeholders and public digests beside the real ones
    digest = _digest(d)
    guid = "{4d36e972-e325-11ce-bfc1-08002be10318}"
    decoy = d.pick([
        ("yaml", f"image: nginx@sha256:{digest}\nenv:\n  DB_PASSWORD: ${{DB_PASSWORD}}\n",
         [f"nginx@sha256:{digest}", "${DB_PASSWORD}"]),
        ("text", "# README: set the password to <your-password> and the token to "
                 "<your-token> before the first start.", ["<your-password>", "<your-token>"]),
        ("text", f"{digest}  terraform_1.9.5_linux_amd64.zip", [digest]),
        ("powershell", f"Get-PnpDevice -ClassGuid '{guid}'", [guid]),
        ("yaml", "mysql_root_password: \"{{ vault_mysql_root_password }}\"\n",
         ["{{ vault_mysql_root_password }}"]),
    ])
    d.pub(*decoy[2])
    blocks.append(fence(decoy[0], decoy[1]))
    ask = d.pick([f"This is how {co} deploys; move every credential into Vault please.",
                  f"Review the {co} ops files before we open-source the repo.",
                  f"Why can't the {co} worker connect after the migration?"])
    return "yaml", "ops", [user(ask + "\n\n" + "\n\n".join(blocks))]
