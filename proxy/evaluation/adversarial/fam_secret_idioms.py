"""Tuning families: secrets joined from literals in many languages' idioms, and secrets told in
tickets, chats and e-mails in other languages.

``split_idioms``: one secret of a provider kind (an AWS or other cloud secret access key, a
GitHub, Slack, Stripe or GCP key, an Azure storage connection string, a database password) cut
into 2-4 pieces and joined back the way each language does it: operators (``+``, ``..``, ``.``,
``<>``, ``++``, ``||``, ``&``), interpolation, ``join``/``concat``/``format``/``sprintf``,
builders, arrays joined, line continuations and adjacent literals, in Ruby, PHP, Kotlin, Swift,
C#, Rust, Scala, Perl, PowerShell, Lua, R, Dart, Groovy/Gradle, Elixir, Haskell, Terraform,
Makefile, SQL, C, Go, Java, JavaScript and VB. The binding's name does not always say what the
value is (``blob``, ``k2``): a key id or a client call beside it does.

``secret_chats``: a password, a token, a key or a secret written in a sentence of German,
French, Spanish, Portuguese, Italian, Dutch, Polish, Russian, Turkish, Japanese, Chinese or
Korean, with the language's own words and turns ("das Kennwort lautet", "le mdp c'est",
"la clave es", "a palavra-passe é", "hasło to", "пароль такой", "şifresi", "パスワードを…に変更",
"密码改成了", "비밀번호를 …로"), in a ticket, a chat export or an e-mail.

Written from issue #11's wording, independently of the held-back families; each fragment of a
split secret is planted on its own (:func:`.fam_split.fragments`).
"""

from __future__ import annotations

import base64
import string
from typing import Any

from proxy.evaluation.adversarial import values as v
from proxy.evaluation.adversarial.draft import Draft, fence, user
from proxy.evaluation.adversarial.fam_polyglot import aws_pair, word_password
from proxy.evaluation.adversarial.fam_split import fragments

Out = tuple[str, str, list[dict[str, Any]]]

URLSAFE = v.ALNUM + "-_"


# -- split_idioms -------------------------------------------------------------------------------

def _secret(d: Draft, k: int) -> tuple[str, list[str], list[str], str]:
    """(type, candidate names, pieces, a context line or "") of one secret kind."""
    kind = k % 8
    if kind in (0, 1):  # cloud secret access keys: AWS, and the same shape elsewhere
        key_id, secret = aws_pair(d)
        parts = fragments(d, "", secret, "AWS_SECRET_ACCESS_KEY")
        names = ["secretAccessKey", "aws_secret_access_key", "AwsSecretKey", "s3Secret",
                 "SECRET_KEY", "accessSecret", "storage_secret", "awsSecret", "k2", "blob",
                 "AccessKeySecret", "R2_SECRET_ACCESS_KEY", "spacesSecret", "minioSecretKey",
                 "cosSecretKey", "hmacSecret", "sk", "creds2"]
        if d.rng.random() < 0.3:  # bound to a generic name, nothing near it says AWS
            return "AWS_SECRET_ACCESS_KEY", ["token", "apiKey", "API_KEY", "authKey",
                                             "clientSecret", "key"], parts, ""
        ctx = d.pick([f"access key id {key_id}", f"AWS_ACCESS_KEY_ID={key_id}",
                      f"IAM user deploy-bot, key {key_id}", "S3 uploads (eu-west-1)",
                      f"accessKeyId: {key_id}", "aws credentials for the backup bucket",
                      f"key pair {key_id}", "object storage for the media uploads",
                      f"region us-east-1, id {key_id}", "upload to the assets bucket"])
        return "AWS_SECRET_ACCESS_KEY", names, parts, ctx
    if kind == 2:
        tok = v.github_token(d.rng)
        return "GITHUB_TOKEN", ["githubToken", "gh_pat", "GH_TOKEN", "repoToken"], \
            fragments(d, "ghp_", tok[4:], "GITHUB_TOKEN"), ""
    if kind == 3:
        digits = f"{v.rand(d.rng, 11, string.digits)}-{v.rand(d.rng, 13, string.digits)}"
        rest = f"{digits}-{v.rand(d.rng, 24)}"
        return "SLACK_BOT_TOKEN", ["slackToken", "slack_bot_token", "botToken"], \
            fragments(d, "xoxb-", rest, "SLACK_BOT_TOKEN"), ""
    if kind == 4:
        return "STRIPE_SECRET_KEY", ["stripeKey", "stripe_secret", "paymentsKey"], \
            fragments(d, "sk_live_", v.rand(d.rng, 32), "STRIPE_SECRET_KEY"), ""
    if kind == 5:
        return "GCP_API_KEY", ["mapsApiKey", "gcp_api_key", "GOOGLE_API_KEY"], \
            fragments(d, "AIza", v.rand(d.rng, 35, URLSAFE), "GCP_API_KEY"), ""
    if kind == 6:  # an Azure storage connection string: the account key is the secret
        acct = d.word()
        key = base64.b64encode(d.rng.randbytes(64)).decode()
        parts = fragments(d, f"DefaultEndpointsProtocol=https;AccountName={acct};AccountKey=",
                          key, "AZURE_STORAGE_KEY")
        parts[-1] += ";EndpointSuffix=core.windows.net"
        return "AZURE_STORAGE_KEY", ["storageConn", "azure_connection_string",
                                     "AzureWebJobsStorage", "blobConn"], parts, ""
    pw = v.password(d.rng) + v.rand(d.rng, 4)
    return "PASSWORD", ["dbPassword", "db_pass", "PG_PASSWORD", "mysqlPwd", "adminPassword"], \
        fragments(d, "", pw, "PASSWORD", 2), ""


def _upper(name: str) -> str:
    """dbPassword -> DB_PASSWORD; a name in capitals stays."""
    if name.isupper():
        return name
    return "".join("_" + c if c.isupper() else c.upper() for c in name).lstrip("_")


def _joins(name: str, p: list[str]) -> list[tuple[str, str]]:
    """(fence language, code) for the pieces ``p`` joined back in many languages' idioms."""
    dq = [f'"{x}"' for x in p]
    sq = [f"'{x}'" for x in p]
    n = len(p)
    up = _upper(name)
    pcs = [f"part{j}" for j in range(n)]
    return [
        ("ruby", f"{name} = " + " \\\n  ".join(dq)),
        ("ruby", f"{name} = %w[{' '.join(p)}].join"),
        ("ruby", f"{name} = {dq[0]}" + "".join(f".concat({x})" for x in dq[1:])),
        ("php", f"define('{up}', " + " . ".join(sq) + ");"),
        ("php", f"${name} = implode('', [{', '.join(sq)}]);"),
        ("kotlin", f"val {name} = buildString {{\n"
         + "".join(f"    append({x})\n" for x in dq) + "}"),
        ("kotlin", "".join(f'private const val P{j} = "{x}"\n' for j, x in enumerate(p))
         + f'val {name} = "' + "".join(f"${{P{j}}}" for j in range(n)) + '"'),
        ("kotlin", f'val {name} = listOf({", ".join(dq)}).joinToString(separator = "")'),
        ("swift", f"let {name} = " + " +\n    ".join(dq)),
        ("swift", f'let {name} = String(format: "{"%@" * n}", {", ".join(dq)})'),
        ("csharp", "".join(f'const string P{j} = "{x}";\n' for j, x in enumerate(p))
         + f'var {name} = $"' + "".join(f"{{P{j}}}" for j in range(n)) + '";'),
        ("csharp", f"var {name} = new StringBuilder()"
         + "".join(f"\n    .Append({x})" for x in dq) + "\n    .ToString();"),
        ("csharp", f"var {name} = string.Concat({', '.join(dq)});"),
        ("rust", f"const {up}: &str = concat!({', '.join(dq)});"),
        ("rust", f"let {name} = [{', '.join(dq)}].concat();"),
        ("rust", f'let {name} = String::from({dq[0]})' + "".join(f" + {x}" for x in dq[1:]) + ";"),
        ("scala", f'val {name} = Seq({", ".join(dq)}).mkString("")'),
        ("scala", f"val {name} = " + " +\n  ".join(dq)),
        ("perl", f"my ${name} = join('', {', '.join(sq)});"),
        ("perl", "".join(f"my ${c} = '{x}';\n" for c, x in zip(pcs, p, strict=True))
         + f'my ${name} = "' + "".join(f"${{{c}}}" for c in pcs) + '";'),
        ("powershell", f"${name} = -join ({', '.join(sq)})"),
        ("powershell", f"${name} = {sq[0]} + `\n    " + " + `\n    ".join(sq[1:])),
        ("powershell", "".join(f"${c} = '{x}'\n" for c, x in zip(pcs, p, strict=True))
         + f'${name} = "' + "".join(f"${c}" for c in pcs) + '"'),
        ("lua", f"local {name} = table.concat({{ {', '.join(dq)} }}, \"\")"),
        ("lua", f"local {name} = {dq[0]}\n" + "".join(f"{name} = {name} .. {x}\n"
                                                        for x in dq[1:])),
        ("r", f"{name} <- paste0({', '.join(dq)})"),
        ("r", f'{name} <- paste(c({", ".join(dq)}), collapse = "")'),
        ("dart", f"final {name} = " + "\n    ".join(sq) + ";"),
        ("dart", "".join(f"const {c} = '{x}';\n" for c, x in zip(pcs, p, strict=True))
         + f"final {name} = '" + "".join(f"${c}" for c in pcs) + "';"),
        ("dart", f"final {name} = (StringBuffer()"
         + "".join(f"..write({x})" for x in sq) + ").toString();"),
        ("groovy", f"buildConfigField 'String', '{up}', '\"' + " + " + ".join(sq) + " + '\"'"),
        ("groovy", "".join(f"def {c} = '{x}'\n" for c, x in zip(pcs, p, strict=True))
         + f'def {name} = "' + "".join(f"${{{c}}}" for c in pcs) + '"'),
        ("elixir", f"{name} = " + " <> ".join(dq)),
        ("elixir", f"{name} = IO.iodata_to_binary([{', '.join(dq)}])"),
        ("haskell", f"{name} :: String\n{name} = mconcat [{', '.join(dq)}]"),
        ("haskell", f"{name} = T.concat [{', '.join(dq)}]"),
        ("hcl", f'locals {{\n  {name} = join("", [{", ".join(dq)}])\n}}'),
        ("hcl", f'locals {{\n  {name} = format("{"%s" * n}", {", ".join(dq)})\n}}'),
        ("hcl", "locals {\n" + "".join(f'  {c} = "{x}"\n' for c, x in zip(pcs, p, strict=True))
         + f'  {name} = "' + "".join(f"${{local.{c}}}" for c in pcs) + '"\n}'),
        ("sql", f"SELECT CONCAT({', '.join(sq)}) AS {name};"),
        ("sql", f"DECLARE @{name} NVARCHAR(128) = " + " + ".join(sq) + ";"),
        ("c", f"#define {up} \\\n    " + " \\\n    ".join(dq)),
        ("c", f"static const char *{name} =\n    " + "\n    ".join(dq) + ";"),
        ("go", f"var {name} = strings.Join([]string{{{', '.join(dq)}}}, \"\")"),
        ("java", f'String {name} = String.join("", {", ".join(dq)});'),
        ("java", f"String {name} = new StringBuilder({dq[0]})"
         + "".join(f".append({x})" for x in dq[1:]) + ".toString();"),
        ("javascript", f"const {name} = {dq[0]}" + "".join(f".concat({x})" for x in dq[1:]) + ";"),
        ("javascript", "".join(f"const {c} = '{x}';\n" for c, x in zip(pcs, p, strict=True))
         + f"const {name} = `" + "".join(f"${{{c}}}" for c in pcs) + "`;"),
        ("vbnet", f"Dim {name} As String = " + " & _\n    ".join(dq)),
        ("python", f"{up} = (\n" + "".join(f"    {x}\n" for x in dq) + ")"),
        *_more_joins(name, up, p, dq, sq),
    ]


def _more_joins(name: str, up: str, p: list[str], dq: list[str],
                sq: list[str]) -> list[tuple[str, str]]:
    """Less common operators and library calls that glue pieces."""
    n = len(p)
    return [
        ("julia", f"const {up} = " + " * ".join(dq)),
        ("julia", f"{name} = string({', '.join(dq)})"),
        ("d", f"immutable {name} = " + " ~ ".join(dq) + ";"),
        ("fortran", f"character(len=*), parameter :: {name} = " + " // ".join(sq)),
        ("ocaml", f"let {name} = " + " ^ ".join(dq)),
        ("ocaml", f'let {name} = String.concat "" [{"; ".join(dq)}]'),
        ("zig", f"const {name} = " + " ++ ".join(dq) + ";"),
        ("matlab", f"{name} = [{' '.join(sq)}];"),
        ("matlab", f"{name} = strcat({', '.join(sq)});"),
        ("java", f"String {name} = Stream.of({', '.join(dq)}).collect(Collectors.joining());"),
        ("java", f"String {name} = {dq[0]}" + "".join(f".concat({x})" for x in dq[1:]) + ";"),
        ("kotlin", f"val {name} = {dq[0]}" + "".join(f".plus({x})" for x in dq[1:])),
        ("kotlin", f'val {name} = arrayOf({", ".join(dq)}).joinToString("")'),
        ("csharp", f"var {name} = string.Join(string.Empty, {', '.join(dq)});"),
        ("csharp", f"var {name} = @{dq[0]}" + "".join(f" + @{x}" for x in dq[1:]) + ";"),
        ("javascript", f"const {name} = [{', '.join(sq)}].reduce((a, b) => a + b, '');"),
        ("typescript", f"export const {name}: string = [\n"
         + "".join(f"  {x},\n" for x in sq) + "].join('');"),
        ("go", "var b strings.Builder\n" + "".join(f"b.WriteString({x})\n" for x in dq)
         + f"{name} := b.String()"),
        ("go", f'{name} := fmt.Sprintf("{"%s" * n}", {", ".join(dq)})'),
        ("objectivec", f'NSString *{name} = [NSString stringWithFormat:@"{"%@" * n}", '
         + ", ".join("@" + x for x in dq) + "];"),
        ("objectivec", f"NSString *{name} = @" + " @".join(dq) + ";"),
        ("cpp", f"const std::string {name} = std::string({dq[0]})"
         + "".join(f" + {x}" for x in dq[1:]) + ";"),
        ("cpp", f"const std::string {name} = absl::StrCat({', '.join(dq)});"),
        ("erlang", f"{up.capitalize()} = lists:concat([{', '.join(dq)}])."),
        ("clojure", f"(def {name} (apply str [{' '.join(dq)}]))"),
        ("tcl", "".join(f"set p{j} {{{x}}}\n" for j, x in enumerate(p))
         + f'set {name} "' + "".join(f"$p{j}" for j in range(n)) + '"'),
        ("crystal", f"{up} = {dq[0]}" + "".join(f" \\\n  {x}" for x in dq[1:])),
        ("php", f"${name} = vsprintf('{'%s' * n}', [{', '.join(sq)}]);"),
        ("swift", f"let {name} = [{', '.join(dq)}].joined(separator: \"\")"),
        ("scala", f'val {name} = Array({", ".join(dq)}).mkString'),
        ("rust", f'let {name} = [{", ".join(dq)}].join("");'),
        ("rust", f'let {name} = format!("{"{}" * n}", {", ".join(dq)});'),
    ]


def _make(name: str, p: list[str]) -> tuple[str, str]:
    """A Makefile variable built from others (``#`` would start a comment there)."""
    up = _upper(name)
    refs = [f"_K{j}" for j in range(len(p))]
    return "makefile", ("".join(f"{r} = {x}\n" for r, x in zip(refs, p, strict=True))
                        + f"export {up} ?= " + "".join(f"$({r})" for r in refs))


_COMMENT = {"lua": "--", "sql": "--", "haskell": "--", "vbnet": "'", "c": "//", "csharp": "//",
            "kotlin": "//", "swift": "//", "rust": "//", "scala": "//", "dart": "//",
            "groovy": "//", "java": "//", "go": "//", "javascript": "//", "php": "//",
            "typescript": "//", "cpp": "//", "objectivec": "//", "d": "//", "zig": "//",
            "fortran": "!", "matlab": "%", "erlang": "%", "clojure": ";;", "ocaml": "(*"}


# the tags people put on fences besides the language's name
_TAGS = {"ruby": ["rb"], "kotlin": ["kt", "kts"], "csharp": ["cs", "c#"], "powershell": ["ps1",
         "pwsh"], "elixir": ["ex", "exs"], "haskell": ["hs"], "hcl": ["tf", "terraform"],
         "perl": ["pl"], "groovy": ["gradle"], "rust": ["rs"], "objectivec": ["objc", "m"],
         "vbnet": ["vb"], "julia": ["jl"], "javascript": ["js", "node"], "typescript": ["ts"],
         "makefile": ["make", "mk"], "sql": ["tsql", "mysql"], "fortran": ["f90"],
         "ocaml": ["ml"], "erlang": ["erl"], "clojure": ["clj"], "cpp": ["c++", "cc"]}


def _block(d: Draft, lang: str, code: str) -> str:
    """A snippet as pasted: a fence with the language's name or another tag, a bare fence, or
    no fence at all."""
    k = d.rng.random()
    if k < 0.3 and lang in _TAGS:
        return fence(d.pick(_TAGS[lang]), code)
    if k < 0.4:
        return fence("", code)
    if k < 0.5 and "`\n" not in code:  # (unfenced, PowerShell's `-continued lines read as
        return code                    # Markdown inline code, as a renderer shows them)
    return fence(lang, code)


def split_idioms(d: Draft, i: int) -> Out:
    co = d.company()
    blocks = []
    for n in range(2):
        _kind, names, parts, ctx = _secret(d, i * 2 + n + (i // 4))
        name = d.pick(names)
        forms = _joins(name, parts)
        if not any("#" in x for x in parts):
            forms.append(_make(name, parts))
        lang, code = forms[(i * 7 + n * 13 + d.rng.randrange(5)) % len(forms)]
        if ctx:
            mark = _COMMENT.get(lang, "#")
            code = f"{mark} {ctx}{' *)' if mark == '(*' else ''}\n{code}"
        blocks.append(_block(d, lang, code))
    # public values built from pieces the same way: they must come back as written
    sha = v.hex_token(d.rng, 40)
    d.pub(sha, "api/v2/users")
    blocks.append(fence("kotlin", f'val commitUrl = "https://github.com/" + org + "/commit/" '
                                  f'+ "{sha}"\nval path = "api/" + "v2/" + "users"'))
    ask = d.pick([f"These {co} snippets glue the credentials at runtime. Move them to a secret "
                  "manager and show me the code for each language.",
                  f"Port these {co} snippets to Go, keep the values.",
                  f"The {co} build fails to authenticate in CI but works on my laptop; any idea?"])
    return "text", "refactor", [user(ask + "\n\n" + "\n\n".join(blocks))]


# -- secret_chats -------------------------------------------------------------------------------

# per language: the phrases that carry a password ({pw}) and a token or key ({tok}); the
# request, a greeting and a ticket label as context
_SAY: dict[str, dict[str, list[str] | str]] = {
    "de": dict(pw=["das neue Kennwort lautet {pw}", "Passwort für den Testserver: {pw}",
                   "Zugang: Benutzer admin, PW {pw}", "ich habe das Passwort auf {pw} geändert"],
               tok=["der API-Token ist {tok}", "geheimer Schlüssel: {tok}",
                    "das Zugriffstoken lautet {tok}", "die Passphrase ist {tok}"],
               ask="Kannst du bitte prüfen, warum der Login fehlschlägt?", hi="Hallo zusammen,"),
    "fr": dict(pw=["le mdp c'est {pw}", "mot de passe provisoire : {pw}",
                   "j'ai changé le mot de passe en {pw}", "identifiants : admin / {pw}"],
               tok=["le jeton d'accès est {tok}", "la clé secrète : {tok}",
                    "voici le token : {tok}", "la phrase secrète est {tok}"],
               ask="Pouvez-vous regarder pourquoi la connexion échoue ?", hi="Bonjour à tous,"),
    "es": dict(pw=["la contraseña nueva es {pw}", "la clave del servidor es {pw}",
                   "usuario: admin, contraseña {pw}", "cambié la contraseña a {pw}"],
               tok=["el token de acceso es {tok}", "la clave secreta: {tok}",
                    "te paso el token: {tok}", "la frase de paso es {tok}"],
               ask="¿Podéis revisar por qué falla el inicio de sesión?", hi="Hola equipo,"),
    "pt": dict(pw=["a senha nova é {pw}", "a palavra-passe é {pw}",
                   "usuário admin e senha {pw}", "troquei a senha para {pw}"],
               tok=["o token de acesso é {tok}", "a chave secreta: {tok}",
                    "segue o token: {tok}", "a frase-senha é {tok}"],
               ask="Alguém pode ver por que o login falha?", hi="Oi pessoal,"),
    "it": dict(pw=["la nuova password è {pw}", "la parola d'ordine è {pw}",
                   "utente admin, password {pw}", "ho cambiato la password in {pw}"],
               tok=["il token di accesso è {tok}", "la chiave segreta: {tok}",
                    "ecco il token: {tok}", "la passphrase è {tok}"],
               ask="Potete controllare perché il login non funziona?", hi="Ciao a tutti,"),
    "nl": dict(pw=["het nieuwe wachtwoord is {pw}", "wachtwoord voor de testomgeving: {pw}",
                   "inlog: admin / {pw}", "ik heb het wachtwoord veranderd in {pw}"],
               tok=["het toegangstoken is {tok}", "de geheime sleutel: {tok}",
                    "hier is het token: {tok}", "de wachtzin is {tok}"],
               ask="Kan iemand kijken waarom het inloggen mislukt?", hi="Hoi allemaal,"),
    "pl": dict(pw=["nowe hasło to {pw}", "hasło do serwera testowego: {pw}",
                   "login admin, hasło {pw}", "zmieniłem hasło na {pw}"],
               tok=["token dostępu to {tok}", "tajny klucz: {tok}",
                    "podsyłam token: {tok}", "fraza hasła to {tok}"],
               ask="Czy ktoś może sprawdzić, dlaczego logowanie nie działa?", hi="Cześć,"),
    "ru": dict(pw=["новый пароль такой: {pw}", "пароль от тестового сервера — {pw}",
                   "логин admin, пароль {pw}", "я поменял пароль на {pw}"],
               tok=["токен доступа: {tok}", "секретный ключ — {tok}",
                    "вот токен {tok}", "кодовая фраза: {tok}"],
               ask="Посмотрите, пожалуйста, почему не работает вход?", hi="Коллеги, привет!"),
    "tr": dict(pw=["yeni şifre {pw}", "test sunucusunun parolası: {pw}",
                   "kullanıcı admin, şifresi {pw}", "şifreyi {pw} olarak değiştirdim"],
               tok=["erişim tokenı: {tok}", "gizli anahtar: {tok}",
                    "token şu: {tok}", "parola ifadesi {tok}"],
               ask="Girişin neden başarısız olduğuna bakabilir misiniz?", hi="Merhaba ekip,"),
    "ja": dict(pw=["新しいパスワードは{pw}です", "検証サーバーのパスワード：{pw}",
                   "パスワードを{pw}に変更しました", "ログインID admin／パスワード {pw}"],
               tok=["アクセストークンは{tok}です", "シークレットキー：{tok}",
                    "APIキーは {tok} です", "パスフレーズ：{tok}"],
               ask="ログインが失敗する原因を確認していただけますか。", hi="お疲れさまです。"),
    "zh": dict(pw=["新密码是{pw}", "测试服务器的密码：{pw}", "密码改成了{pw}",
                   "账号admin，密码{pw}"],
               tok=["访问令牌是{tok}", "密钥：{tok}", "API Key是{tok}", "口令短语：{tok}"],
               ask="麻烦看一下为什么登录失败？", hi="大家好，"),
    "ko": dict(pw=["새 비밀번호는 {pw}입니다", "테스트 서버 비밀번호: {pw}",
                   "비밀번호를 {pw}로 바꿨어요", "아이디 admin / 비번 {pw}"],
               tok=["액세스 토큰은 {tok}입니다", "시크릿 키: {tok}", "API 키는 {tok} 입니다",
                    "암호 문구: {tok}"],
               ask="로그인이 왜 실패하는지 확인해 주실 수 있나요?", hi="안녕하세요,"),
}
LANGS = list(_SAY)


def _token(d: Draft) -> tuple[str, str]:
    """(value, type): an opaque token or key as services issue them (no provider prefix)."""
    k = d.rng.randrange(4)
    if k == 0:
        return v.rand(d.rng, 32), "API_TOKEN"
    if k == 1:
        return v.rand(d.rng, 40, v.B64), "SECRET_KEY"
    if k == 2:
        return v.rand(d.rng, 24, URLSAFE) + v.rand(d.rng, 4, string.digits), "ACCESS_TOKEN"
    return v.hex_token(d.rng, 12) + v.rand(d.rng, 20, string.ascii_uppercase + string.digits), \
        "API_TOKEN"


def secret_chats(d: Draft, i: int) -> Out:
    lang = LANGS[i % len(LANGS)]
    say = _SAY[lang]
    co = d.company()
    pw = d.secret(word_password(d) if d.rng.random() < 0.4 else v.password(d.rng), "PASSWORD")
    tok, ttype = _token(d)
    d.secret(tok, ttype)
    pw_line = str(d.pick(say["pw"])).format(pw=pw)
    tok_line = str(d.pick(say["tok"])).format(tok=tok)
    ticket = f"{co.upper()}-{d.rng.randint(100, 9999)}"
    ver = f"v{d.rng.randint(1, 9)}.{d.rng.randint(0, 20)}.{d.rng.randint(0, 9)}"
    d.pub(ticket, ver)
    shape = (i // len(LANGS) + i) % 3
    if shape == 0:  # a ticket with its fields
        text = (f"**{ticket}** {say['ask']}\n\n| | |\n|---|---|\n| Version | {ver} |\n"
                f"| Status | open |\n\n{say['hi']}\n{pw_line}\n{tok_line}\n")
    elif shape == 1:  # a chat export
        text = fence("text", f"[09:12] ops: {say['hi']} {ticket}\n[09:13] ops: {pw_line}\n"
                             f"[09:15] dev: {say['ask']} ({ver})\n[09:16] ops: {tok_line}")
    else:  # an e-mail
        text = fence("eml", f"Subject: {ticket} {ver}\n\n{say['hi']}\n\n{say['ask']}\n"
                            f"{pw_line}\n{tok_line}\n\n--\n{co} IT")
    return "text", "debug", [user(text + "\n\nSummarize this in English and say what to do.")]
