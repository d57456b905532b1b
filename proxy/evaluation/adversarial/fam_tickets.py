"""Tuning families: tickets, chats, e-mails and reviews written in other languages.

``lang_chat``: one language per record (Chinese, Japanese, Korean, German, French, Spanish,
Portuguese, Russian, Italian, Dutch, Polish, Turkish) and one of four shapes: a bug ticket with
its fields, a chat export, an e-mail with headers and a signature, a commit with a review comment.
Each plants people (native script, romanized, surname first, with the language's honorifics,
lower-case chat handles), a username, a phone number in the local format, a national identifier
with a valid check digit, a password after the local word for it (``密码：``, ``パスワードは``,
``비밀번호:``, ``mot de passe :``), a provider token after the local word for a key or token, an
e-mail address and a private host. Decoys that must reach the model as written: product and
library names, versions, ticket numbers, dates, prices and the language's ordinary words.

``names_threads``: threads of international teams where most of what is private is people:
stand-up notes, review threads, meeting minutes and chats in several languages at once (Arabic
and Hindi too), with names in every form above beside tool names that are also surnames
(``Jenkins``, ``Kafka``) and the languages' weekday names.
"""

from __future__ import annotations

from typing import Any

from proxy.evaluation.adversarial import national_ids as nid
from proxy.evaluation.adversarial import values as v
from proxy.evaluation.adversarial.draft import Draft, fence, user
from proxy.evaluation.adversarial.people_world import Person, honorific, person

Out = tuple[str, str, list[dict[str, Any]]]

LANGS = ["zh", "ja", "ko", "de", "fr", "es", "pt", "ru", "it", "nl", "pl", "tr"]
_REGION = {"zh": "CN", "ja": "JP", "ko": "KR", "de": "DE", "fr": "FR", "es": "ES", "pt": "BR",
           "ru": "RU", "it": "IT", "nl": "NL", "pl": "PL", "tr": "TR"}
_ID = {**nid.BY_LANGUAGE, "it": nid.it_fiscal_code, "nl": nid.nl_bsn, "pl": nid.pl_pesel,
       "tr": nid.tr_tc_kimlik}
# how a password or token follows its word: full-width colons and no spaces in CJK
_COLON = {"zh": ["：", "：", ":", "是"], "ja": ["：", "：", "は"], "ko": [":", ": ", "는 "],
          "fr": [" : ", ":", ": "]}
_PRICE = {"zh": "¥3,980", "ja": "¥12,800", "ko": "₩49,000", "de": "49,90 €", "fr": "19,99 €",
          "es": "29,95 €", "pt": "R$ 129,90", "ru": "1 290 ₽", "it": "9,99 €", "nl": "€ 14,95",
          "pl": "89,99 zł", "tr": "₺349,90"}
_CJK = {"zh", "ja"}

# the sentences of each language; {who} is a person in one of their forms
_L: dict[str, dict[str, str]] = {
    "zh": dict(
        pw="密码", tok="令牌", env="环境", rep="报告人", asg="负责人", plain="缓存",
        bug="升级到{ver}之后登录接口一直返回500",
        said="{who}说可能是缓存的问题",
        creds="测试库{host}的账号是{user}，{pw}{c}{secret}",
        tokl="CI用的{tok}{c}{token}，用完记得轮换",
        call="有问题可以打{who}的电话{phone}",
        idl="测试数据里混进了一个真实的身份证号{id}",
        price="套餐价格{price}不变",
        hello="{who}您好，", bye="谢谢！", ok="代码没问题，可以合并。"),
    "ja": dict(
        pw="パスワード", tok="トークン", env="環境", rep="起票者", asg="担当者",
        plain="キャッシュ",
        bug="{ver}にアップデートしてからログインAPIが500を返します",
        said="{who}によるとキャッシュが原因かもしれません",
        creds="検証DB（{host}）のユーザーは{user}、{pw}{c}{secret}です",
        tokl="CI用の{tok}{c}{token}（後でローテーションします）",
        call="ご不明点は{who}（{phone}）までお願いします",
        idl="テストデータに本物のマイナンバー{id}が混ざっていました",
        price="月額{price}のプランは変更なしです",
        hello="{who}、お疲れ様です。", bye="よろしくお願いいたします。",
        ok="LGTMです。マージしてください。"),
    "ko": dict(
        pw="비밀번호", tok="토큰", env="환경", rep="보고자", asg="담당자", plain="캐시",
        bug="{ver} 업데이트 이후 로그인 API가 500을 반환합니다",
        said="{who} 말로는 캐시 문제일 수도 있대요",
        creds="스테이징 DB {host} 계정은 {user}, {pw}{c}{secret} 입니다",
        tokl="CI {tok}{c}{token} (나중에 교체할게요)",
        call="문의는 {who}에게 {phone}로 연락 주세요",
        idl="테스트 데이터에 실제 주민등록번호 {id} 가 들어 있었어요",
        price="요금제 {price}는 그대로입니다",
        hello="{who}, 안녕하세요.", bye="감사합니다.", ok="LGTM입니다. 머지해 주세요."),
    "de": dict(
        pw="Passwort", tok="API-Schlüssel", env="Umgebung", rep="Melder", asg="Bearbeiter",
        plain="Rückfragen",
        bug="Login schlägt seit dem Update auf {ver} fehl",
        said="{who} meint, dass der Cache schuld ist",
        creds="Zugang zur Staging-DB {host}: Benutzer {user}, {pw}{c}{secret}",
        tokl="Der {tok} für die CI lautet {token}, bitte danach rotieren",
        call="Bei Rückfragen bitte {who} anrufen: {phone}",
        idl="In den Testdaten steht eine echte Steuer-ID: {id}",
        price="Der Tarif für {price} bleibt unverändert",
        hello="Hallo {who},", bye="Viele Grüße", ok="Sieht gut aus, danke! Kann gemergt werden."),
    "fr": dict(
        pw="mot de passe", tok="clé d'API", env="Environnement", rep="Rapporteur",
        asg="Assigné à", plain="recette",
        bug="La connexion échoue depuis la mise à jour vers {ver}",
        said="D'après {who}, c'est le cache",
        creds="Accès à la base de recette {host} : utilisateur {user}, {pw}{c}{secret}",
        tokl="La {tok} de la CI est {token}, à faire tourner ensuite",
        call="En cas de question, appelez {who} au {phone}",
        idl="Les données de test contiennent un vrai numéro de sécurité sociale : {id}",
        price="L'abonnement à {price} ne change pas",
        hello="Bonjour {who},", bye="Cordialement", ok="Ça me va, merci ! On peut merger."),
    "es": dict(
        pw="contraseña", tok="clave de API", env="Entorno", rep="Informador",
        asg="Asignado a", plain="actualización",
        bug="El login falla desde la actualización a {ver}",
        said="Según {who}, el problema es la caché",
        creds="Acceso a la BD de pruebas {host}: usuario {user}, {pw}{c}{secret}",
        tokl="La {tok} de la CI es {token}, luego hay que rotarla",
        call="Si hay dudas, llama a {who} al {phone}",
        idl="En los datos de prueba quedó un DNI real: {id}",
        price="El plan de {price} no cambia",
        hello="Hola {who},", bye="Un saludo", ok="Me parece bien, ¡gracias! Se puede mergear."),
    "pt": dict(
        pw="senha", tok="chave de API", env="Ambiente", rep="Relator", asg="Responsável",
        plain="homologação",
        bug="O login falha desde a atualização para {ver}",
        said="Segundo {who}, o problema é o cache",
        creds="Acesso ao banco de homologação {host}: usuário {user}, {pw}{c}{secret}",
        tokl="A {tok} da CI é {token}, depois precisa rotacionar",
        call="Dúvidas, ligue para {who} no {phone}",
        idl="Nos dados de teste ficou um CPF real: {id}",
        price="O plano de {price} continua igual",
        hello="Olá {who},", bye="Abraços", ok="Tudo certo, valeu! Pode fazer o merge."),
    "ru": dict(
        pw="пароль", tok="токен", env="Окружение", rep="Автор", asg="Исполнитель",
        plain="обновления",
        bug="После обновления до {ver} логин возвращает 500",
        said="{who} считает, что дело в кэше",
        creds="Доступ к тестовой БД {host}: пользователь {user}, {pw}{c}{secret}",
        tokl="Для CI {tok}{c}{token}, потом надо перевыпустить",
        call="Ответственный — {who}, телефон {phone}",
        idl="В тестовых данных оказался настоящий СНИЛС {id}",
        price="Тариф за {price} не меняется",
        hello="Здравствуйте, {who}!", bye="С уважением", ok="Выглядит хорошо, спасибо!"),
    "it": dict(
        pw="password", tok="chiave API", env="Ambiente", rep="Segnalato da",
        asg="Assegnato a", plain="collaudo",
        bug="Il login fallisce dopo l'aggiornamento a {ver}",
        said="Secondo {who} il problema è la cache",
        creds="Accesso al DB di collaudo {host}: utente {user}, {pw}{c}{secret}",
        tokl="La {tok} della CI è {token}, poi va ruotata",
        call="Per domande chiamate {who} al {phone}",
        idl="Nei dati di test c'è un codice fiscale vero: {id}",
        price="Il piano da {price} resta invariato",
        hello="Ciao {who},", bye="Un saluto", ok="Per me va bene, grazie! Si può fare il merge."),
    "nl": dict(
        pw="wachtwoord", tok="API-sleutel", env="Omgeving", rep="Melder",
        asg="Toegewezen aan", plain="testdata",
        bug="Inloggen mislukt sinds de update naar {ver}",
        said="Volgens {who} ligt het aan de cache",
        creds="Toegang tot de test-DB {host}: gebruiker {user}, {pw}{c}{secret}",
        tokl="De {tok} voor de CI is {token}, daarna roteren",
        call="Bij vragen {who} bellen: {phone}",
        idl="In de testdata staat een echt BSN: {id}",
        price="Het abonnement van {price} blijft gelijk",
        hello="Hoi {who},", bye="Met vriendelijke groet",
        ok="Ziet er goed uit, bedankt! Mag gemerged worden."),
    "pl": dict(
        pw="hasło", tok="klucz API", env="Środowisko", rep="Zgłaszający",
        asg="Przypisane do", plain="aktualizacji",
        bug="Logowanie nie działa od aktualizacji do {ver}",
        said="{who} twierdzi, że to wina cache'u",
        creds="Dostęp do testowej bazy {host}: użytkownik {user}, {pw}{c}{secret}",
        tokl="Do CI {tok}{c}{token}, potem trzeba go zrotować",
        call="W razie pytań: {who}, tel. {phone}",
        idl="W danych testowych jest prawdziwy PESEL: {id}",
        price="Abonament za {price} się nie zmienia",
        hello="Cześć {who},", bye="Pozdrawiam", ok="Wygląda dobrze, dzięki! Można mergować."),
    "tr": dict(
        pw="şifre", tok="API anahtarı", env="Ortam", rep="Bildiren", asg="Atanan",
        plain="önbellekte",
        bug="{ver} sürümüne güncellemeden beri giriş başarısız",
        said="{who} sorunun önbellekte olduğunu düşünüyor",
        creds="Test veritabanı {host} erişimi: kullanıcı {user}, {pw}{c}{secret}",
        tokl="CI için {tok}{c}{token}, sonra yenilenmeli",
        call="Sorular için {who} aranabilir: {phone}",
        idl="Test verisinde gerçek bir TC kimlik numarası var: {id}",
        price="{price} tutarındaki paket değişmiyor",
        hello="Merhaba {who},", bye="Saygılarımla", ok="Bence uygun, teşekkürler!"),
}
_PRODUCTS = ["PostgreSQL", "Redis", "Keycloak", "Spring Boot", "Django", "Next.js", "Grafana",
             "RabbitMQ", "Elasticsearch", "FastAPI", "Nginx", "Sentry"]
_MAIL = {"zh": ["qq.com", "163.com"], "ja": ["yahoo.co.jp"], "ko": ["naver.com", "daum.net"],
         "de": ["web.de", "gmx.de"], "fr": ["orange.fr", "free.fr"], "es": ["gmail.com"],
         "pt": ["uol.com.br", "gmail.com"], "ru": ["yandex.ru", "mail.ru"], "it": ["libero.it"],
         "nl": ["ziggo.nl"], "pl": ["wp.pl", "onet.pl"], "tr": ["gmail.com"]}


class _Rec:
    """The planted values of one record, drawn as a template asks for them."""

    def __init__(self, d: Draft, lang: str) -> None:
        self.d, self.lang, self.L = d, lang, _L[lang]
        self._company = ""
        self.ver = f"{d.rng.randint(1, 9)}.{d.rng.randint(0, 24)}.{d.rng.randint(0, 12)}"
        self.product = d.pick(_PRODUCTS)
        self.key = f"{d.pick(['AUTH', 'PAY', 'OPS', 'CORE', 'WEB'])}-{d.rng.randint(100, 9999)}"
        self.date = f"2025-{d.rng.randint(1, 12):02d}-{d.rng.randint(10, 28):02d}"
        d.pub(f"{self.product} {self.ver}" if d.rng.random() < 0.5 else self.ver, self.key,
              self.L["plain"])

    @property
    def company(self) -> str:
        """The record's company, planted as a policy term when a template first uses it."""
        if not self._company:
            self._company = self.d.company()
        return self._company

    def person(self, lang: str | None = None) -> Person:
        taken = {s["text"] for s in self.d.sensitive}
        while True:
            p = person(self.d.rng, lang or self.lang)
            if p.full not in taken and p.handle not in taken and p.last not in taken:
                return p

    def name(self, text: str) -> str:
        return self.d.pii(text, "PERSON")

    def polite(self, p: Person) -> str:
        text, name = honorific(self.d.rng, p)
        self.name(name)
        return text

    def some_form(self, p: Person) -> str:
        """The person as a colleague mentions them: politely, in full, or romanized."""
        k = self.d.rng.randrange(3)
        if k == 0:
            return self.polite(p)
        if k == 1:
            return self.name(p.full)
        return self.name(p.surname_first if p.lang in ("zh", "ja", "ko") else p.roman)

    def user(self, p: Person) -> str:
        return self.d.pii(p.username(self.d.rng), "USERNAME")

    def email(self, p: Person, work: bool = True) -> str:
        dom = f"{self.company.lower()}.com" if work else self.d.pick(_MAIL[self.lang])
        return self.d.pii(f"{p.username(self.d.rng)}@{dom}", "EMAIL")

    def host(self) -> str:
        d = self.d
        name = f"{d.word()}-{d.pick(['db', 'pg', 'api', 'cache'])}{d.rng.randint(1, 9):02d}"
        return d.pii(f"{name}.{d.pick(v.PRIVATE_SUFFIXES)}", "HOSTNAME")

    def phone(self) -> str:
        style = self.d.pick(["national", "national", "intl", "e164"])
        text = v.fmt_phone(v.phone(self.d.rng, _REGION[self.lang], mobile=True), style)
        if self.lang == "zh" and style == "national":
            text = text.replace(" ", "")
        return self.d.pii(text, "PHONE")

    def ident(self) -> str:
        t, text = _ID[self.lang](self.d.rng)
        return self.d.pii(text, t)

    def colon(self) -> str:
        return self.d.pick(_COLON.get(self.lang, [": ", ":", ": "]))

    def creds(self, host: str, user: str) -> str:
        pw = self.d.secret(v.password(self.d.rng), "PASSWORD")
        return self.L["creds"].format(host=host, user=user, pw=self.L["pw"], c=self.colon(),
                                      secret=pw)

    def token_line(self) -> str:
        kind, prefix, rest = v.provider_token(self.d.rng)
        tok = self.d.secret(prefix + rest, kind)
        return self.L["tokl"].format(tok=self.L["tok"], c=self.colon(), token=tok)

    def price(self) -> str:
        self.d.pub(_PRICE[self.lang])
        return self.L["price"].format(price=_PRICE[self.lang])

    def say(self, key: str, **kw: str) -> str:
        return self.L[key].format(ver=self.ver, **kw)

    def join(self, *sentences: str) -> str:
        if self.lang in _CJK:
            return "".join(s if s.endswith(("。", "）")) else s + "。" for s in sentences)
        if self.lang == "ko":
            return " ".join(s if s.endswith(".") else s + "." for s in sentences)
        return " ".join(s if s.endswith((".", "!", "?")) else s + "." for s in sentences)


def _ticket(r: _Rec) -> Out:
    a, b, c = r.person(), r.person(), r.person()
    L, host, ub = r.L, r.host(), r.user(b)
    body = r.join(r.say("said", who=r.some_form(c)), r.creds(host, ub),
                  r.say("call", who=r.polite(a), phone=r.phone()), r.say("idl", id=r.ident()),
                  r.price())
    log = (f"{r.date}T09:14:07Z ERROR auth.login user={ub} status=500 latency=812ms\n"
           f"{r.date}T09:14:09Z WARN  pool host={host} retries=3\n")
    r.d.pub("auth.login", "latency=812ms")
    text = (f"**[{r.key}] {r.say('bug')}**\n\n| | |\n|---|---|\n| {L['rep']} | {r.some_form(a)} |\n"
            f"| {L['asg']} | @{ub} |\n| {L['env']} | {r.product} {r.ver} |\n\n{body}\n\n"
            f"{fence('log', log)}")
    return "text", "debug", [user(text)]


def _chat(r: _Rec) -> Out:
    a, b, c = r.person(), r.person(), r.person()
    ha = r.name(a.handle) if r.d.rng.random() < 0.6 or r.lang not in ("zh", "ja", "ko") \
        else r.name(a.full)
    hb = r.name(b.handle)
    lines = [
        (ha, r.say("bug")),
        (hb, r.say("said", who=r.some_form(c))),
        (ha, r.token_line()),
        (hb, r.say("call", who=r.some_form(a), phone=r.phone())),
        (ha, "👍 " + r.price()),
    ]
    log = "\n".join(f"[{9 + k // 3:02d}:{14 + 2 * k:02d}] {who}: {msg}"
                    for k, (who, msg) in enumerate(lines))
    r.d.pub("kubectl rollout restart")
    return "text", "chat", [user(f"{fence('text', log)}\n\n"
                                 f"{fence('bash', 'kubectl rollout restart deploy/auth')}")]


def _mail(r: _Rec) -> Out:
    a, b = r.person(), r.person()
    ea, eb = r.email(a, work=r.d.rng.random() < 0.5), r.email(b)
    host = r.host()
    display = r.name(a.roman if r.lang not in ("zh", "ja", "ko") else r.d.pick(
        [a.roman, a.surname_first]))
    body = r.join(r.creds(host, r.user(a)), r.say("idl", id=r.ident()))
    sig = f"{r.name(a.full)}\n{r.company} | Platform\nTel. {r.phone()}"
    text = (f"From: {display} <{ea}>\nTo: {eb}\nDate: {r.date}\n"
            f"Subject: Re: [{r.key}] {r.say('bug')}\n\n{r.say('hello', who=r.polite(b))}\n\n"
            f"{body}\n\n{r.L['bye']}\n{sig}\n")
    return "text", "docs", [user(f"{fence('eml', text)}\n\nSummarize this thread in English.")]


def _review(r: _Rec) -> Out:
    a, b, c = r.person(), r.person(), r.person()
    author = r.name(r.d.pick([a.roman, a.surname_first]))
    ub = r.user(b)
    sha = v.hex_token(r.d.rng, 40)
    commit = (f"commit {sha}\nAuthor: {author} <{r.email(a)}>\nDate:   {r.date}\n\n"
              f"    fix(auth): refresh the session before retrying ({r.key})\n\n"
              f"    {r.say('said', who=r.some_form(c))}\n\n"
              f"    Co-authored-by: {r.name(c.roman)} <{r.email(c)}>\n")
    yaml = (f"database:\n  host: {r.host()}\n  pool_size: 20\n"
            f"cache:\n  backend: redis\n  ttl: 300\n")
    comment = r.join(r.say("ok"), r.token_line())
    r.d.pub("pool_size: 20", "fix(auth)")
    return "text", "code_review", [user(
        f"{fence('text', commit)}\n\nconfig/staging.yaml:\n{fence('yaml', yaml)}\n\n"
        f"@{ub}: {comment}\n\n{r.price()}")]


def lang_chat(d: Draft, i: int) -> Out:
    lang = LANGS[i % len(LANGS)]
    shape = (_ticket, _chat, _mail, _review)[(i + i // 4) % 4]
    return shape(_Rec(d, lang))


# -- names_threads --------------------------------------------------------------------------------

# per language: a stand-up line, a thanks, weekday names (decoys), a "minutes" label
_THREAD: dict[str, dict[str, str]] = {
    "zh": dict(did="{who}昨天修好了重试逻辑，今天看{tool}的告警", thanks="谢谢{who}！",
               day="星期三", minutes="参会人：{names}"),
    "ja": dict(did="{who}は昨日リトライ処理を直して、今日は{tool}のアラートを確認します",
               thanks="{who}、ありがとうございます！", day="水曜日", minutes="出席者：{names}"),
    "ko": dict(did="{who} 어제 재시도 로직 수정 완료, 오늘은 {tool} 알림 확인",
               thanks="{who} 감사합니다!", day="수요일", minutes="참석자: {names}"),
    "de": dict(did="{who} hat gestern die Retry-Logik repariert und schaut heute nach {tool}",
               thanks="Danke, {who}!", day="Mittwoch", minutes="Teilnehmende: {names}"),
    "fr": dict(did="{who} a corrigé la logique de retry hier et regarde {tool} aujourd'hui",
               thanks="Merci {who} !", day="mercredi", minutes="Participants : {names}"),
    "es": dict(did="{who} arregló ayer los reintentos y hoy revisa {tool}",
               thanks="¡Gracias, {who}!", day="miércoles", minutes="Asistentes: {names}"),
    "pt": dict(did="{who} corrigiu ontem os retries e hoje olha o {tool}",
               thanks="Valeu, {who}!", day="quarta-feira", minutes="Participantes: {names}"),
    "ru": dict(did="{who} вчера починил ретраи, сегодня разбирается с {tool}",
               thanks="Спасибо, {who}!", day="среда", minutes="Присутствовали: {names}"),
    "it": dict(did="{who} ieri ha sistemato i retry e oggi guarda {tool}",
               thanks="Grazie {who}!", day="mercoledì", minutes="Partecipanti: {names}"),
    "nl": dict(did="{who} heeft gisteren de retries gefikst en kijkt vandaag naar {tool}",
               thanks="Bedankt {who}!", day="woensdag", minutes="Aanwezig: {names}"),
    "pl": dict(did="{who} wczoraj naprawił retry, dziś sprawdza {tool}",
               thanks="Dzięki, {who}!", day="środa", minutes="Obecni: {names}"),
    "tr": dict(did="{who} dün retry mantığını düzeltti, bugün {tool} uyarılarına bakıyor",
               thanks="Teşekkürler {who}!", day="çarşamba", minutes="Katılımcılar: {names}"),
    "ar": dict(did="{who} أصلح منطق إعادة المحاولة أمس واليوم يراجع تنبيهات {tool}",
               thanks="شكرًا {who}!", day="الأربعاء", minutes="الحضور: {names}"),
    "hi": dict(did="{who} ने कल retry लॉजिक ठीक किया, आज {tool} के अलर्ट देखेंगे",
               thanks="धन्यवाद {who}!", day="बुधवार", minutes="उपस्थित: {names}"),
}
# tools that are also surnames or words of other languages: they must stay as written
_TOOLS = ["Jenkins", "Kafka", "Grafana", "Sentry", "Celery", "Terraform", "Prometheus",
          "Ansible", "Hadoop", "Traefik"]


def _thread_people(r: _Rec, langs: list[str]) -> list[Person]:
    return [r.person(lang) for lang in langs]


def names_threads(d: Draft, i: int) -> Out:
    langs = d.rng.sample(list(_THREAD), 3)
    r = _Rec(d, langs[0] if langs[0] in _L else "de")
    ppl = _thread_people(r, langs)
    tools = d.rng.sample(_TOOLS, 2)
    shape = i % 4
    if shape == 0:  # stand-up notes, one line per person in their language
        rows = []
        for p, tool in zip(ppl, tools + tools[:1], strict=True):
            who = r.polite(p) if p.lang not in ("zh", "ja", "ko") or d.rng.random() < 0.5 \
                else r.name(p.full)
            rows.append(f"- {_THREAD[p.lang]['did'].format(who=who, tool=tool)}")
        day = _THREAD[langs[0]]["day"]
        d.pub(day, *tools)
        return "text", "chat", [user(f"Standup {day}:\n" + "\n".join(rows)
                                     + "\n\nTurn this into a short English status update.")]
    if shape == 1:  # a review thread: handles, then thanks by first name or honorific
        a, b, c = ppl
        ha, hb = r.name(a.handle), r.name(b.handle)
        thanks = _THREAD[c.lang]["thanks"].format(who=r.some_form(c))
        d.pub(*tools)
        text = (f"**{ha}** commented on `retry.py` line 42:\n> Why not use {tools[0]}'s "
                f"built-in backoff?\n\n**{hb}** replied:\n> {tools[1]} already retries, "
                f"see {r.key}.\n\n**{ha}**: {thanks}\n")
        return "text", "code_review", [user(text + "\nWho is right? Answer briefly.")]
    if shape == 2:  # meeting minutes with a list of attendees in mixed forms
        forms = [r.name(p.full) if k == 0 else r.name(
            p.surname_first if p.lang in ("zh", "ja", "ko") else p.roman)
            for k, p in enumerate(ppl)]
        sep = "、" if langs[0] in _CJK else ", "
        minutes = _THREAD[langs[0]]["minutes"].format(names=sep.join(forms))
        day = _THREAD[langs[1]]["day"]
        d.pub(day, r.date)
        text = (f"{minutes}\n{r.date} ({day})\n\n1. {tools[0]} → {tools[1]}\n"
                f"2. {_THREAD[langs[2]]['thanks'].format(who=r.polite(ppl[2]))}\n")
        d.pub(tools[0])
        return "text", "docs", [user(f"{fence('md', text)}\nExtract the action items.")]
    # a chat export where people write to each other by lower-case handle
    a, b, c = ppl
    ha, hb = r.name(a.handle), r.name(b.handle)
    lines = [f"[{10 + k}:0{k}] {who}: {msg}" for k, (who, msg) in enumerate([
        (ha, f"@{hb} {tools[0]} is red again"),
        (hb, _THREAD[c.lang]["did"].format(who=r.some_form(c), tool=tools[1])),
        (ha, _THREAD[a.lang]["thanks"].format(who=hb)),
    ])]
    d.pub(*tools)
    return "text", "chat", [user(fence("text", "\n".join(lines)) + "\nSummarize in English.")]
