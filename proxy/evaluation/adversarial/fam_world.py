"""Tuning families: phone numbers as the world writes them, national identifiers in many forms.

Phones: international and national forms of many regions (``0033 ...``, ``(+44) 20 ...``,
``+33 (0)1 ...``, ``030/1234567``, dotted and dashed groups) with extensions, in prose of the
languages of issue #11 item 13, e-mail signatures, vCards, ``tel:`` links and fixtures.
Identifiers: the national identifiers of those languages written with and without their
separators, and others (US SSN, UK NINO, Italian codice fiscale, Spanish NIE, Portuguese NIF,
Russian INN) in forms, fixtures and prose.
"""

from __future__ import annotations

import json
from typing import Any

from proxy.evaluation.adversarial import values as v
from proxy.evaluation.adversarial.draft import Draft, fence, user
from proxy.evaluation.adversarial.national_ids import BY_LANGUAGE, OTHERS

Out = tuple[str, str, list[dict[str, Any]]]

_STYLES = ["e164", "intl", "national", "00", "paren_cc", "trunk", "slash", "dot", "dash"]
_REGION = {"en": "GB", "de": "DE", "fr": "FR", "es": "ES", "pt": "BR", "ru": "RU", "zh": "CN",
           "ja": "JP", "ko": "KR", "it": "IT"}
# a sentence around a number and its extension, per language
_PROSE = {
    "en": "If the deploy breaks tonight, call me on {p} ext. {x}; the NOC is at {q}.",
    "de": "Bei Rückfragen erreichen Sie mich unter {p}, Durchwahl {x}. Die Zentrale: {q}.",
    "fr": "Si le déploiement plante, mon portable est le {p} (poste {x}), sinon le {q}.",
    "es": "Si falla el despliegue, mi móvil es el {p}, extensión {x}; guardia: {q}.",
    "pt": "Se o deploy falhar, meu celular é {p} ramal {x}. Plantão: {q}.",
    "ru": "Если деплой упадёт, мой номер {p}, доб. {x}; дежурный — {q}.",
    "zh": "如果部署失败，打我电话{p}转{x}，值班电话是{q}。",
    "ja": "デプロイが失敗したら{p}（内線{x}）までお電話ください。当番は{q}です。",
    "ko": "배포가 실패하면 {p} (내선 {x})로 연락 주세요. 당직 번호는 {q}입니다.",
    "it": "Se il deploy fallisce chiamami al {p}, interno {x}; reperibile: {q}.",
}


def _number(d: Draft, region: str, style: str | None = None) -> str:
    text = v.fmt_phone(v.phone(d.rng, region), style or d.pick(_STYLES))
    return d.pii(text, "PHONE")


def phones_world(d: Draft, i: int) -> Out:
    style = i % 4
    lang = list(_PROSE)[(i // 4 + i) % len(_PROSE)]
    region = _REGION[lang]
    if style == 0:
        p, q = _number(d, region), _number(d, d.pick(v.PHONE_REGIONS))
        d.pub("deploy")
        text = _PROSE[lang].format(p=p, q=q, x=d.rng.randint(10, 9999))
        return "text", "chat", [user(text + "\n\n" + fence("bash", "kubectl rollout undo "
                                                                   "deploy/api"))]
    if style == 1:
        p = _number(d, region, d.pick(["trunk", "paren_cc", "00", "dot"]))
        q = _number(d, d.pick(v.PHONE_REGIONS), d.pick(["intl", "slash", "dash"]))
        d.pub("Best regards")
        sig = (f"Best regards\n--\n{d.company()} GmbH | Platform team\n"
               f"T {p}\nM: {q}\n")
        return "text", "docs", [user(f"Strip signatures like this one before indexing mails:\n"
                                     f"{fence('text', sig)}\nA regex for the whole block?")]
    if style == 2:
        p = _number(d, region, "e164")
        q = _number(d, d.pick(v.PHONE_REGIONS), d.pick(["intl", "national"]))
        d.pub("VCARD", "href")
        card = (f"BEGIN:VCARD\nVERSION:3.0\nTEL;TYPE=CELL:{p}\nTEL;TYPE=WORK,VOICE:{q}\n"
                "END:VCARD\n")
        html = f'<a href="tel:{p}">Call support</a>\n'
        return "text", "debug", [user(f"{fence('text', card)}\n{fence('html', html)}\n"
                                      "iOS imports only the first number. Why?")]
    regions = d.rng.sample(v.PHONE_REGIONS, 3)
    nums = [_number(d, r) for r in regions]
    d.pub("INSERT INTO", "customers")
    sql = "INSERT INTO customers (id, country, phone) VALUES\n" + ",\n".join(
        f"  ({k + 1}, '{r}', '{n}')" for k, (r, n) in enumerate(zip(regions, nums, strict=True)))
    return "sql", "unit_tests", [user(f"{fence('sql', sql + ';')}\n"
                                      "Normalize the phone column to E.164 in a migration.")]


def _compact(type_: str, text: str) -> str:
    """The same identifier as people also type it: without separators, or with others."""
    if type_ in ("CN_RESIDENT_ID",):
        return f"{text[:6]} {text[6:14]} {text[14:]}"
    if type_ == "JP_MY_NUMBER":
        return text.replace(" ", "-")
    if type_ in ("KR_RRN", "DE_TAX_ID", "FR_NIR", "BR_CPF", "RU_SNILS"):
        return "".join(c for c in text if c.isalnum())
    return text


_ID_PROSE = {
    "zh": ("这是测试环境的用户表，第二行的身份证号码{a}是真实数据，"
           "另一行还有{b}，请帮我写个脱敏函数。"),
    "ja": ("テストデータの個人番号（{a}）と別の行の{b}を、"
           "ログ出力前にマスクする関数を書いてください。"),
    "ko": "테스트 데이터에 주민등록번호 {a} 와 {b} 가 남아 있어요. 마스킹 함수를 만들어 주세요.",
    "de": "In der Testtabelle stehen die Steueridentifikationsnummer {a} und {b}. "
          "Schreib mir bitte eine Maskierungsfunktion.",
    "fr": "Dans la table de test il reste le numéro INSEE {a} et aussi {b}. "
          "Écris une fonction pour les masquer.",
    "es": "En la tabla de pruebas quedó el documento {a} y también {b}. "
          "Escribe una función para enmascararlos.",
    "pt": "Na tabela de testes ficou o documento {a} e também {b}. "
          "Escreva uma função para mascarar.",
    "ru": "В тестовой таблице остались номер СНИЛС {a} и ещё {b}. Напиши функцию маскирования.",
}
# a label for the other identifiers, as forms and fixtures write them
_OTHER_KEY = {"US_SSN": "ssn", "UK_NINO": "ni_number", "IT_FISCAL_CODE": "codice_fiscale",
              "ES_NIE": "nie", "PT_NIF": "nif", "RU_INN": "inn"}


def ids_world(d: Draft, i: int) -> Out:
    style = i % 2
    lang = list(_ID_PROSE)[i % len(_ID_PROSE)]
    t1, a = BY_LANGUAGE[lang](d.rng)
    t2, b = BY_LANGUAGE[lang](d.rng)
    b = _compact(t2, b)
    d.pii(a, t1)
    d.pii(b, t2)
    if style == 0:
        d.pub("def mask")
        code = "def mask(value: str) -> str:\n    ...\n"
        return "python", "code_review", [user(_ID_PROSE[lang].format(a=a, b=b) + "\n\n"
                                              + fence("python", code))]
    others = [maker(d.rng) for maker in d.rng.sample(OTHERS, 3)]
    rows = [{"name": "test user", _OTHER_KEY[t]: x} for t, x in others]
    for t, x in others:
        d.pii(x, t)
    d.pub("fixtures")
    prose = _ID_PROSE[lang].format(a=a, b=b)
    return "json", "unit_tests", [user(f"{prose}\n\nfixtures/people.json:\n"
                                       f"{fence('json', json.dumps(rows, indent=2))}")]
