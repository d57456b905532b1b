"""Families: prompts written in Chinese, Japanese, Korean, German, French, Spanish, Portuguese and
Russian around code, with a password after the local word for it, people in the local script, a
local phone number and a national identifier with a valid check digit.
"""

from __future__ import annotations

from typing import Any

from proxy.evaluation.adversarial import values as v
from proxy.evaluation.adversarial.draft import Draft, fence, user
from proxy.evaluation.adversarial.national_ids import BY_LANGUAGE

Out = tuple[str, str, list[dict[str, Any]]]

LANGS = ["zh", "ja", "ko", "de", "fr", "es", "pt", "ru"]
_LOCALE = {"zh": "zh_CN", "ja": "ja_JP", "ko": "ko_KR", "de": "de_DE", "fr": "fr_FR",
           "es": "es_ES", "pt": "pt_BR", "ru": "ru_RU"}
_REGION = {"zh": "CN", "ja": "JP", "ko": "KR", "de": "DE", "fr": "FR", "es": "ES", "pt": "BR",
           "ru": "RU"}
# an ordinary word of each prompt that must reach the model as written
_PLAIN = {"zh": "数据库", "ja": "データベース", "ko": "데이터베이스", "de": "Verbindung",
          "fr": "connecter", "es": "producción", "pt": "produção", "ru": "подключается"}

_INLINE = {
    "zh": "帮我看看这段代码为什么连不上数据库。测试库的密码是{pw}，"
          "{name}说生产库的配置一样。有问题可以打"
          "{name2}的手机{phone}。另外，用户表里有一条测试数据的身份证号是{id}，能不能在日志里把它脱敏？",
    "ja": "このコードでデータベースに接続できない理由を教えてください。"
          "テスト環境のパスワードは{pw}です。"
          "{name}さんによると本番も同じ設定です。問い合わせは{name2}さん（{phone}）まで。"
          "テストデータのマイナンバー{id}をログでマスクしたいです。",
    "ko": "이 코드가 데이터베이스에 연결되지 않는 이유를 알려주세요. "
          "테스트 서버 비밀번호는 {pw}입니다. "
          "{name}님이 운영 서버도 같은 설정이라고 했어요. 문의는 {name2}님({phone})에게 해주세요. "
          "테스트 데이터의 주민등록번호 {id}를 로그에서 가리고 싶어요.",
    "de": "Kannst du dir ansehen, warum dieser Code keine Verbindung "
          "zur Datenbank bekommt? Das Passwort "
          "für die Testdatenbank ist {pw}. Laut {name} ist die Produktion "
          "genauso konfiguriert. Bei "
          "Fragen bitte {name2} anrufen: {phone}. Außerdem steht "
          "in den Testdaten die Steuer-ID {id}, "
          "die im Log maskiert werden soll.",
    "fr": "Peux-tu regarder pourquoi ce code n'arrive pas à se connecter "
          "à la base ? Le mot de passe de "
          "la base de test est {pw}. D'après {name}, la prod est "
          "configurée pareil. En cas de question, "
          "appelle {name2} au {phone}. Les données de test contiennent aussi le numéro de sécurité "
          "sociale {id}, à masquer dans les logs.",
    "es": "¿Puedes ver por qué este código no conecta con la base "
          "de datos? La contraseña de la base de "
          "pruebas es {pw}. Según {name}, producción está configurada igual. Si hay dudas, llama a "
          "{name2} al {phone}. En los datos de prueba está el DNI "
          "{id}, que hay que ocultar en los logs.",
    "pt": "Você pode ver por que este código não conecta no banco? "
          "A senha do banco de testes é {pw}. "
          "Segundo {name}, a produção está igual. Dúvidas, ligue "
          "para {name2} no {phone}. Nos dados "
          "de teste tem o CPF {id}, que precisa ser mascarado nos logs.",
    "ru": "Посмотри, почему этот код не подключается к базе. Пароль "
          "от тестовой базы: {pw}. По словам "
          "{name}, в проде всё настроено так же. Если что, звони "
          "{name2} по номеру {phone}. В тестовых "
          "данных есть СНИЛС {id}, его надо маскировать в логах.",
}

_TICKET = {
    "zh": "【故障报告】\n报告人：{name}\n联系电话：{phone}\n"
          "问题描述：登录接口返回 500，见下方日志。\n"
          "复现账号：test01，口令：{pw}\n备注：客户{name2}的身份证号{id}在错误日志里明文出现了。",
    "ja": "件名：ログインAPIの500エラー\n報告者：{name}\n連絡先：{phone}\n"
          "再現用アカウント：test01 / "
          "パスワード：{pw}\n補足：顧客{name2}様の個人番号{id}がエラーログに平文で出ています。データベースの問題でしょうか。",
    "ko": "제목: 로그인 API 500 오류\n보고자: {name}\n연락처: {phone}\n"
          "재현 계정: test01 / 암호: {pw}\n"
          "참고: 고객 {name2}님의 주민번호 {id}가 에러 로그에 그대로 찍힙니다. "
          "데이터베이스 문제일까요?",
    "de": "Betreff: Login-API liefert 500\nGemeldet von: {name}\nTelefon: {phone}\n"
          "Testkonto: test01, "
          "Kennwort: {pw}\nHinweis: Die Steuer-ID {id} von Kundin {name2} steht im Klartext im "
          "Fehlerlog. Liegt es an der Verbindung zur Datenbank?",
    "fr": "Objet : l'API de connexion renvoie 500\nSignalé par : {name}\nTél. : {phone}\nCompte de "
          "test : test01, mdp : {pw}\n"
          "Remarque : le NIR {id} du client {name2} apparaît en clair dans "
          "le journal d'erreurs. Impossible de se connecter depuis ce matin.",
    "es": "Asunto: la API de login devuelve 500\nReportado por: {name}\nTeléfono: {phone}\n"
          "Cuenta de "
          "prueba: test01, clave: {pw}\n"
          "Nota: el DNI {id} del cliente {name2} aparece en claro en el "
          "log de errores de producción.",
    "pt": "Assunto: API de login retorna 500\nReportado por: {name}\nTelefone: {phone}\n"
          "Conta de teste: "
          "test01, senha: {pw}\n"
          "Obs.: o CPF {id} do cliente {name2} aparece em texto puro no log de "
          "erros de produção.",
    "ru": "Тема: API входа возвращает 500\nСообщил: {name}\nТелефон: {phone}\n"
          "Тестовая учётка: test01, "
          "пароль — {pw}\nПримечание: СНИЛС {id} клиента {name2} пишется в лог ошибок открытым "
          "текстом. Сервис не подключается к базе.",
}


def _values(d: Draft, lang: str, phone_style: str) -> dict[str, str]:
    pw = d.secret(v.password(d.rng), "PASSWORD")
    names = set()
    while len(names) < 2:
        names.add(v.person(d.rng, _LOCALE[lang])[2])
    name, name2 = sorted(names)
    d.pii(name, "PERSON")
    d.pii(name2, "PERSON")
    num = v.phone(d.rng, _REGION[lang], mobile=True)
    text = v.fmt_phone(num, phone_style)
    if lang == "zh" and phone_style == "national":
        text = text.replace(" ", "")  # Chinese mobiles are mostly written as 11 digits
    phone = d.pii(text, "PHONE")
    id_type, id_text = BY_LANGUAGE[lang](d.rng)
    d.pii(id_text, id_type)
    d.pub(_PLAIN[lang])
    return {"pw": pw, "name": name, "name2": name2, "phone": phone, "id": id_text}


def lang_inline(d: Draft, i: int) -> Out:
    lang = LANGS[i % len(LANGS)]
    vals = _values(d, lang, "national")
    d.pub("psycopg.connect", "os.environ")
    code = ("import os\nimport psycopg\n\nconn = psycopg.connect(\n    host=os.environ['PGHOST'],\n"
            "    dbname='app',\n    user='app',\n    password=os.environ['PGPASSWORD'],\n)\n")
    return "python", "debug", [user(_INLINE[lang].format(**vals) + "\n\n" + fence("python", code))]


def lang_ticket(d: Draft, i: int) -> Out:
    lang = LANGS[(i + 3) % len(LANGS)]
    vals = _values(d, lang, d.pick(["national", "intl"]))
    d.pub("NullPointerException", "LoginController")
    log = ("ERROR 2025-03-04 10:12:09 [http-nio-8080-exec-4] c.e.auth.LoginController "
           "- login failed\n"
           "java.lang.NullPointerException: Cannot invoke \"String.length()\" "
           "because \"token\" is null\n"
           "\tat com.example.auth.LoginController.login(LoginController.java:57)\n")
    return "java", "debug", [user(_TICKET[lang].format(**vals) + "\n\n" + fence("log", log))]
