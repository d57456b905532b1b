"""Tuning families: colleagues and customers in the languages of a team; private code in the
output of notebooks, test runners and loggers.

``names_colleagues``: tickets, e-mails, chat threads, meeting notes and review comments written
in one of sixteen languages (German, French, Spanish, Portuguese, Italian, Dutch, Polish, Czech,
Turkish, Russian, Ukrainian, Japanese, Chinese, Korean, Vietnamese, Indonesian). People appear
as the language puts them: as the subject or the object of a sentence, after a preposition, in
a greeting and under a sign-off, in the "assigned to" and "reported by" fields, in the attendee
list of minutes and in an action item; in full, by first name alone, or by surname after a
title (``Herr``, ``Mme``, ``Sra.``, ``pani``, ``господин``, ``さん``, ``님``, ``Pak``, ``chị``).
Decoys: the language's words, product names, ticket keys, weekdays and versions.

``idents_cells``: the company's own modules, classes and functions in IPython 8 tracebacks,
``unittest`` and ``pytest`` failure reports, pandas and dataclass reprs in cell output,
``logging`` lines (``%(name)s``, ``%(funcName)s``), ``?`` help output and ``%prun`` tables.
"""

from __future__ import annotations

import random
import re
from typing import Any

from proxy.evaluation.adversarial import values as v
from proxy.evaluation.adversarial.draft import Draft, fence, user
from proxy.evaluation.adversarial.people_world import Person, ascii_fold, person

Out = tuple[str, str, list[dict[str, Any]]]

# {who}: a person in one of their forms; <<m|f>>: the word for a man or a woman
_S: dict[str, dict[str, str]] = {
    "de": dict(
        subj="{who} hat das Deployment gestern Abend zurückgerollt",
        obj="Ich habe {who} die Logs vom Nachtlauf geschickt",
        prep="Das Thema habe ich heute früh mit {who} besprochen",
        said="{who} vermutet, dass der Fehler nur bei großen Exporten auftritt",
        cust="Der Kunde {who} hat sich gestern über die Verzögerung beschwert",
        act="{who} prüft bis Freitag die Timeouts",
        thanks="Vielen Dank für die schnelle Analyse, {who}",
        asg="Zugewiesen an", rep="Gemeldet von", hello="Hallo {who},", bye="Viele Grüße",
        att="Teilnehmer", day="Freitag", title="Herr {l}|Frau {l}"),
    "fr": dict(
        subj="{who} a annulé le déploiement hier soir",
        obj="J'ai envoyé les logs du batch de nuit à {who}",
        prep="J'en ai parlé ce matin avec {who}",
        said="{who} pense que l'erreur n'arrive qu'avec les gros exports",
        cust="Le client {who} s'est plaint hier du délai",
        act="{who} vérifie les timeouts d'ici vendredi",
        thanks="Merci à {who} pour l'analyse rapide",
        asg="Assigné à", rep="Signalé par", hello="Bonjour {who},", bye="Bien cordialement",
        att="Participants", day="vendredi", title="M. {l}|Mme {l}"),
    "es": dict(
        subj="{who} revirtió el despliegue anoche",
        obj="Le mandé a {who} los logs de la ejecución nocturna",
        prep="Lo hablé esta mañana con {who}",
        said="{who} cree que el error solo ocurre con exportaciones grandes",
        cust="El cliente {who} se quejó ayer del retraso",
        act="{who} revisa los timeouts antes del viernes",
        thanks="Gracias a {who} por el análisis tan rápido",
        asg="Asignado a", rep="Reportado por", hello="Hola {who},", bye="Saludos",
        att="Asistentes", day="viernes", title="Sr. {l}|Sra. {l}"),
    "pt": dict(
        subj="{who} reverteu o deploy ontem à noite",
        obj="Mandei para {who} os logs da execução noturna",
        prep="Conversei hoje de manhã com {who} sobre isso",
        said="{who} acha que o erro só acontece com exportações grandes",
        cust="O cliente {who} reclamou ontem do atraso",
        act="{who} vai revisar os timeouts até sexta",
        thanks="Obrigado a {who} pela análise rápida",
        asg="Responsável", rep="Aberto por", hello="Oi {who},", bye="Abraços",
        att="Participantes", day="sexta-feira", title="Sr. {l}|Sra. {l}"),
    "it": dict(
        subj="{who} ha annullato il rilascio ieri sera",
        obj="Ho mandato a {who} i log dell'esecuzione notturna",
        prep="Ne ho parlato stamattina con {who}",
        said="{who} pensa che l'errore capiti solo con gli export grandi",
        cust="Il cliente {who} si è lamentato ieri del ritardo",
        act="{who} controlla i timeout entro venerdì",
        thanks="Grazie a {who} per l'analisi veloce",
        asg="Assegnato a", rep="Segnalato da", hello="Ciao {who},", bye="Buona giornata",
        att="Partecipanti", day="venerdì", title="Dott. {l}|Dott.ssa {l}"),
    "nl": dict(
        subj="{who} heeft de deploy gisteravond teruggedraaid",
        obj="Ik heb de logs van de nachtrun naar {who} gestuurd",
        prep="Ik heb het vanochtend met {who} besproken",
        said="{who} denkt dat de fout alleen bij grote exports optreedt",
        cust="Klant {who} klaagde gisteren over de vertraging",
        act="{who} checkt de timeouts voor vrijdag",
        thanks="Dank aan {who} voor de snelle analyse",
        asg="Toegewezen aan", rep="Gemeld door", hello="Hoi {who},", bye="Groetjes",
        att="Aanwezig", day="vrijdag", title="dhr. {l}|mevr. {l}"),
    "pl": dict(
        subj="{who} <<wycofał|wycofała>> wczoraj wieczorem wdrożenie",
        obj="Logi z nocnego przebiegu ma już cały zespół, {who} też",
        prep="Rozmawialiśmy o tym rano, {who} się zgadza",
        said="{who} uważa, że błąd występuje tylko przy dużych eksportach",
        cust="Klient {who} skarżył się wczoraj na opóźnienie",
        act="{who} sprawdzi timeouty do piątku",
        thanks="Dzięki, {who}, za szybką analizę",
        asg="Przypisane do", rep="Zgłaszający", hello="Cześć {who},", bye="Pozdrawiam",
        att="Obecni", day="piątek", title="pan {l}|pani {l}"),
    "cs": dict(
        subj="{who} včera večer <<vrátil|vrátila>> nasazení",
        obj="Logy z nočního běhu už má celý tým, {who} taky",
        prep="Ráno jsme to probrali, {who} souhlasí",
        said="{who} si myslí, že chyba nastává jen u velkých exportů",
        cust="Zákazník {who} si včera stěžoval na zpoždění",
        act="{who} do pátku zkontroluje timeouty",
        thanks="Díky, {who}, za rychlou analýzu",
        asg="Přiřazeno", rep="Nahlásil", hello="Ahoj {who},", bye="S pozdravem",
        att="Účastníci", day="pátek", title="pan {l}|paní {l}"),
    "tr": dict(
        subj="{who} dün akşam deployu geri aldı",
        obj="Gece çalışmasının loglarını {who} ile paylaştım",
        prep="Bu konuyu sabah {who} ile konuştum",
        said="{who}, hatanın sadece büyük dışa aktarımlarda olduğunu söylüyor",
        cust="Müşteri {who} dün gecikmeden şikayet etti",
        act="{who} cumaya kadar timeout değerlerini kontrol edecek",
        thanks="Hızlı analiz için teşekkürler {who}",
        asg="Atanan", rep="Bildiren", hello="Merhaba {who},", bye="İyi çalışmalar",
        att="Katılımcılar", day="cuma", title="{f} Bey|{f} Hanım"),
    "ru": dict(
        subj="{who} вчера вечером <<откатил|откатила>> деплой",
        obj="Логи ночного прогона уже у всей команды, {who} тоже в курсе",
        prep="Утром обсудили это на созвоне, {who} не против",
        said="{who} считает, что ошибка бывает только на больших выгрузках",
        cust="Клиент {who} вчера жаловался на задержку",
        act="{who} до пятницы проверит таймауты",
        thanks="Спасибо, {who}, за быстрый разбор",
        asg="Исполнитель", rep="Автор", hello="Привет, {who}!", bye="С уважением",
        att="Участники", day="пятница", title="господин {l}|госпожа {l}"),
    "uk": dict(
        subj="{who} вчора ввечері <<відкотив|відкотила>> деплой",
        obj="Логи нічного прогону вже має вся команда, {who} теж",
        prep="Зранку обговорили це на дзвінку, {who} не заперечує",
        said="{who} вважає, що помилка буває тільки на великих вивантаженнях",
        cust="Клієнт {who} вчора скаржився на затримку",
        act="{who} до пʼятниці перевірить таймаути",
        thanks="Дякую, {who}, за швидкий розбір",
        asg="Виконавець", rep="Автор", hello="Привіт, {who}!", bye="З повагою",
        att="Учасники", day="пʼятниця", title="пан {l}|пані {l}"),
    "ja": dict(
        subj="{who}が昨夜デプロイをロールバックしました",
        obj="夜間バッチのログを{who}に送りました",
        prep="今朝{who}と相談しました",
        said="{who}によると、大きなエクスポートの時だけエラーになるそうです",
        cust="お客様の{who}から昨日、遅延について問い合わせがありました",
        act="{who}が金曜までにタイムアウトを確認します",
        thanks="素早い調査ありがとうございます、{who}",
        asg="担当者", rep="起票者", hello="{who}、お疲れ様です。", bye="よろしくお願いします。",
        att="出席者", day="金曜日", title="{l}さん"),
    "zh": dict(
        subj="{who}昨晚把部署回滚了",
        obj="我把夜间任务的日志发给了{who}",
        prep="今天上午我和{who}讨论过这个问题",
        said="据{who}说，只有大批量导出时才会出错",
        cust="客户{who}昨天投诉了延迟问题",
        act="{who}周五前检查超时配置",
        thanks="感谢{who}的快速分析",
        asg="负责人", rep="报告人", hello="{who}，你好：", bye="谢谢！",
        att="参会人", day="星期五", title="{n}老师|{n}老师"),
    "ko": dict(
        subj="어젯밤 배포 롤백은 {who} 님이 진행했습니다",
        obj="야간 배치 로그는 {who} 님에게 보냈습니다",
        prep="오늘 아침에 {who} 님과 이야기했습니다",
        said="{who} 님 말로는 큰 내보내기에서만 오류가 난다고 합니다",
        cust="고객 {who} 님이 어제 지연 문제로 문의하셨습니다",
        act="{who} 님이 금요일까지 타임아웃을 확인합니다",
        thanks="빠른 분석 감사합니다, {who} 님",
        asg="담당자", rep="보고자", hello="{who} 님, 안녕하세요.", bye="감사합니다.",
        att="참석자", day="금요일", title="{n}"),
    "vi": dict(
        subj="{who} đã rollback bản deploy tối qua",
        obj="Mình đã gửi log của job đêm cho {who}",
        prep="Sáng nay mình đã trao đổi với {who} về lỗi này",
        said="Theo {who}, lỗi chỉ xảy ra khi xuất dữ liệu lớn",
        cust="Khách hàng {who} hôm qua phàn nàn về độ trễ",
        act="{who} sẽ kiểm tra timeout trước thứ Sáu",
        thanks="Cảm ơn {who} đã phân tích nhanh",
        asg="Người phụ trách", rep="Người báo cáo", hello="Chào {who},", bye="Trân trọng",
        att="Người tham dự", day="thứ Sáu", title="anh {f}|chị {f}"),
    "id": dict(
        subj="{who} sudah rollback deploy tadi malam",
        obj="Log job malam sudah saya kirim ke {who}",
        prep="Tadi pagi saya sudah diskusi dengan {who}",
        said="Menurut {who}, error hanya muncul saat ekspor besar",
        cust="Pelanggan {who} kemarin komplain soal keterlambatan",
        act="{who} akan cek timeout sebelum Jumat",
        thanks="Terima kasih {who} atas analisisnya",
        asg="Penanggung jawab", rep="Pelapor", hello="Halo {who},", bye="Salam",
        att="Peserta", day="Jumat", title="Pak {f}|Bu {f}"),
}
LANGS = list(_S)
_CJK = {"ja", "zh", "ko"}
_EXTRA = {"cs": "cs_CZ", "uk": "uk_UA", "vi": "vi_VN", "id": "id_ID"}
_UK = str.maketrans({"і": "i", "ї": "yi", "є": "ye", "ґ": "g", "и": "y", "й": "i", "х": "kh",
                     "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ж": "zh", "ю": "yu",
                     "я": "ya", "ь": "", "ʼ": "", "'": ""})
_RU = dict(zip("абвгдезклмнопрстуфэ", "abvgdezklmnoprstufe", strict=True))
_GENDER_RE = re.compile(r"<<([^|<>]*)\|([^|<>]*)>>")
_PRODUCTS = ["PostgreSQL", "Kafka", "Keycloak", "Airflow", "Grafana", "Metabase", "ClickHouse",
             "Superset", "Jenkins", "Sentry"]


def _uk_roman(s: str) -> str:
    out = "".join(_RU.get(c, c) for c in s.lower().translate(_UK))
    return out[:1].upper() + out[1:]


class _FamilyFirst(Person):
    """A Vietnamese name: the family name, a middle name, the given name."""

    @property
    def full(self) -> str:
        return f"{self.last} {self.first}"


def _person(rng: random.Random, lang: str) -> Person:
    if lang not in _EXTRA:
        return person(rng, lang)
    f = v.faker(_EXTRA[lang])
    english = v.english()
    while True:
        f.seed_instance(rng.getrandbits(32))
        female = rng.random() < 0.5
        first = f.first_name_female() if female else f.first_name_male()
        last = f.last_name_female() if female else f.last_name_male()
        if lang == "vi":  # family name first, a middle name, the given name last
            middle = rng.choice(["Thị"] if female else ["Văn", "Đức", "Minh", "Quang"])
            first = f"{middle} {first}"
        rf, rl = (_uk_roman(first), _uk_roman(last)) if lang == "uk" else (first, last)
        words = [ascii_fold(w) for w in (rf.split()[-1], rl)]
        if " " in last or any(len(w) < 3 or w.lower() in english for w in words):
            continue
        return (_FamilyFirst if lang == "vi" else Person)(lang, first, last, female, rf, rl)


class _Rec:
    def __init__(self, d: Draft, lang: str) -> None:
        self.d, self.lang, self.S = d, lang, _S[lang]
        self.key = f"{d.pick(['SUP', 'OPS', 'DATA', 'BILL', 'CRM'])}-{d.rng.randint(100, 9999)}"
        self.product = d.pick(_PRODUCTS)
        self.ver = f"{d.rng.randint(1, 9)}.{d.rng.randint(0, 30)}.{d.rng.randint(0, 9)}"
        self.date = f"2025-{d.rng.randint(1, 12):02d}-{d.rng.randint(10, 28):02d}"
        d.pub(self.key, self.product, self.S["day"])
        self._people: list[Person] = []

    def person(self) -> Person:
        taken = {s["text"] for s in self.d.sensitive}
        while True:
            p = _person(self.d.rng, self.lang)
            parts = {p.full, p.first, p.last, self.given(p)}
            if not parts & taken and all(q.last != p.last for q in self._people):
                self._people.append(p)
                return p

    def name(self, text: str) -> str:
        return self.d.pii(text, "PERSON")

    @staticmethod
    def given(p: Person) -> str:
        """What colleagues call someone: the given name (the last word in Vietnamese)."""
        return p.first.split()[-1] if p.lang == "vi" else p.first

    def full(self, p: Person) -> str:
        return self.name(p.full)

    def title(self, p: Person) -> str:
        tpl = self.S["title"]
        if "|" in tpl:
            tpl = tpl.split("|")[p.female]
        key = next(k for k in ("{l}", "{f}", "{n}") if k in tpl)
        part = {"{l}": p.last, "{f}": self.given(p), "{n}": p.full}[key]
        self.name(part)
        return tpl.format(l=p.last, f=self.given(p), n=p.full)

    def first(self, p: Person) -> str:
        if self.lang == "zh":  # a Chinese colleague goes by the full name
            return self.full(p)
        if self.lang == "ja":  # and a Japanese one by the surname
            return self.name(p.last) + "さん"
        return self.name(self.given(p))

    def any(self, p: Person) -> str:
        return self.d.pick([self.full, self.title, self.first])(p)

    def say(self, key: str, p: Person, form: str = "any") -> str:
        who = getattr(self, form)(p)
        return _GENDER_RE.sub(lambda m: m.group(2 if p.female else 1), self.S[key]).format(
            who=who)

    def join(self, *sentences: str) -> str:
        if self.lang in ("ja", "zh"):
            return "".join(s if s.endswith(("。", "！", "：")) else s + "。" for s in sentences)
        return " ".join(s if s.endswith((".", "!", "?", ",")) else s + "." for s in sentences)

    def login(self, p: Person) -> str:
        return self.d.pii(v.username(self.d.rng, ascii_fold(p.roman_first.split()[-1]),
                                     ascii_fold(p.roman_last)), "USERNAME")


def _ticket(r: _Rec) -> Out:
    a, b, c, cust = r.person(), r.person(), r.person(), r.person()
    S = r.S
    body = r.join(r.say("cust", cust, "full"), r.say("said", c), r.say("obj", b))
    comment = r.join(r.say("subj", c), r.say("thanks", a))
    text = (f"[{r.key}] {r.product} {r.ver}: timeout\n{S['rep']}: {r.any(a)}\n"
            f"{S['asg']}: {r.full(b)}\n\n{body}\n\n---\n{r.date} 14:02 {r.full(c)}:\n{comment}\n")
    r.d.pub(r.ver)
    return "text", "debug", [user(f"{fence('text', text)}\n\nSummarize the ticket in English.")]


def _mail(r: _Rec) -> Out:
    a, b, c = r.person(), r.person(), r.person()
    S = r.S
    hello = S["hello"].format(who=r.d.pick([r.title, r.first])(b))
    body = r.join(r.say("prep", c), r.say("act", c), r.say("subj", r.person()))
    sign = r.d.pick([r.full, r.first])(a)
    text = f"Subject: {r.key} {r.product}\n\n{hello}\n\n{body}\n\n{S['bye']}\n{sign}\n"
    return "text", "docs", [user(f"{fence('eml', text)}\n\nDraft a short reply in English.")]


def _chat(r: _Rec) -> Out:
    a, b, c = r.person(), r.person(), r.person()
    na, nb = r.full(a), r.full(b)
    lines = [(na, r.say("subj", c, "first")), (nb, r.say("prep", a, "first")),
             (na, r.say("act", b, "first")), (nb, r.say("thanks", c, "title"))]
    log = "\n".join(f"[{9 + k}:{10 + 7 * k:02d}] {who}: {msg}" for k, (who, msg) in
                    enumerate(lines))
    return "text", "chat", [user(f"{fence('text', log)}\n\nWhat was decided?")]


def _minutes(r: _Rec) -> Out:
    ppl = [r.person() for _ in range(3)]
    S = r.S
    sep = "、" if r.lang in ("ja", "zh") else ", "
    att = sep.join(r.d.pick([r.full, r.title])(p) for p in ppl)
    items = "\n".join(f"- {r.say(k, p)}" for k, p in zip(("act", "said", "obj"), ppl,
                                                          strict=True))
    text = f"# {r.product} — {r.date} ({S['day']})\n{S['att']}: {att}\n\n{items}\n"
    r.d.pub(r.date)
    return "text", "docs", [user(f"{fence('md', text)}\n\nList the action items in English.")]


def _review(r: _Rec) -> Out:
    a, b, c = r.person(), r.person(), r.person()
    la = r.login(a)
    text = (f"**{la}** commented on `sync/export.py` line 88:\n\n"
            f"> {r.join(r.say('said', b), r.say('prep', c))}\n\n"
            f"**{r.login(b)}** replied:\n\n> {r.join(r.say('thanks', a, 'first'))}\n")
    return "text", "code_review", [user(text + "\nWho should fix it? Answer in English.")]


def names_colleagues(d: Draft, i: int) -> Out:
    lang = LANGS[(i * 5 + d.rng.randrange(len(LANGS))) % len(LANGS)]
    shape = (_ticket, _mail, _chat, _minutes, _review)[i % 5]
    return shape(_Rec(d, lang))


# -- idents_cells ---------------------------------------------------------------------------------

_RULE = "-" * 75


def _names(d: Draft) -> tuple[str, str, str, str]:
    """A package, a class, a function and a helper, in the shapes a company names them."""
    w1, w2, w3, w4 = d.word(), d.word(), d.word(), d.word()
    pkg = d.pick([w1, f"{w1}_core", f"{w1}lib", f"{w1}_{w2}"])
    cls = d.pick([f"{w2.capitalize()}{w3.capitalize()}", f"{w2.capitalize()}Client",
                  f"{w2.capitalize()}"])
    fn = d.pick([f"{w3}_{w4}", f"build_{w3}", f"{w3}ify", f"compute_{w3}_{w4}"])
    helper = d.pick([f"_{w4}_row", f"{w4}", f"norm_{w4}"])
    return pkg, cls, fn, helper


def _plant(d: Draft, *idents: tuple[str, str]) -> None:
    for text, type_ in idents:
        d.ident(text, type_)


def idents_cells(d: Draft, i: int) -> Out:
    pkg, cls, fn, helper = _names(d)
    style = i % 8
    if style == 0:  # IPython 8 traceback of a notebook cell
        _plant(d, (pkg, "MODULE_NAME"), (fn, "FUNCTION_NAME"), (helper, "FUNCTION_NAME"))
        d.pub("Traceback (most recent call last)", "Cell In[7], line 3")
        out = (f"{_RULE}\nKeyError{' ' * 34}Traceback (most recent call last)\n"
               f"Cell In[7], line 3\n      1 from {pkg}.features import {fn}\n"
               f"----> 3 feats = {fn}(df, window=7)\n\n"
               f"File ~/work/{pkg}/features.py:88, in {fn}(frame, window)\n"
               f"     86 def {fn}(frame, window):\n"
               f"---> 88     return frame.groupby(\"sku\").apply({helper})\n\n"
               f"KeyError: 'sku'\n")
        return "python", "debug", [user(f"{fence('text', out)}\nThe column is there, why?")]
    if style == 1:  # unittest failure
        _plant(d, (pkg, "MODULE_NAME"), (cls, "CLASS_NAME"), (fn, "FUNCTION_NAME"))
        d.pub("Ran 12 tests", "FAILED (failures=1)")
        out = (f"F...........\n{'=' * 70}\nFAIL: test_rollover ({pkg}.tests.test_ledger."
               f"{cls}Tests.test_rollover)\n{'-' * 70}\nTraceback (most recent call last):\n"
               f'  File "/srv/{pkg}/tests/test_ledger.py", line 41, in test_rollover\n'
               f"    self.assertEqual({fn}(rows), 3)\nAssertionError: 2 != 3\n\n{'-' * 70}\n"
               f"Ran 12 tests in 0.031s\n\nFAILED (failures=1)\n")
        return "python", "debug", [user(f"python -m unittest says:\n{fence('text', out)}")]
    if style == 2:  # pytest with assertion rewriting
        _plant(d, (cls, "CLASS_NAME"), (fn, "FUNCTION_NAME"), (pkg, "MODULE_NAME"))
        d.pub("AssertionError", "short test summary info")
        out = (f"{'_' * 25} Test{cls}.test_merge {'_' * 25}\n\n    def test_merge(self):\n"
               f">       assert {fn}([1, 2], [2, 3]) == [1, 2, 3]\n"
               f"E       assert [1, 2, 2, 3] == [1, 2, 3]\n"
               f"E        +  where [1, 2, 2, 3] = {fn}([1, 2], [2, 3])\n\n"
               f"tests/{pkg}/test_merge.py:23: AssertionError\n"
               f"{'=' * 20} short test summary info {'=' * 20}\n"
               f"FAILED tests/{pkg}/test_merge.py::Test{cls}::test_merge - assert [1, 2...\n")
        return "python", "debug", [user(f"{fence('text', out)}\nShould it deduplicate?")]
    if style == 3:  # a pandas frame whose cells hold the company's objects
        _plant(d, (pkg, "MODULE_NAME"), (cls, "CLASS_NAME"), (fn, "FUNCTION_NAME"))
        d.pub("dtype: object", "handler")
        out = (f"In [4]: jobs.head(3)\nOut[4]:\n"
               f"   id                                   handler  retries\n"
               f"0   7  <function {fn} at 0x7f3a2c1d5e50>        3\n"
               f"1   8  <{pkg}.jobs.{cls} object at 0x7f3a2c0b8d90>        0\n"
               f"2   9  <function {fn} at 0x7f3a2c1d5e50>        1\n\n"
               f"In [5]: jobs.handler.map(type)\nOut[5]:\n0          <class 'function'>\n"
               f"1    <class '{pkg}.jobs.{cls}'>\n2          <class 'function'>\n"
               f"Name: handler, dtype: object\n")
        return "python", "debug", [user(f"{fence('ipython', out)}\nWhy is row 1 different?")]
    if style == 4:  # logging output with the logger's name and the function
        _plant(d, (pkg, "MODULE_NAME"), (fn, "FUNCTION_NAME"), (cls, "CLASS_NAME"))
        d.pub("WARNING", "retry budget exhausted")
        out = (f"2025-03-02 10:11:12,345 INFO [{pkg}.scheduler:{fn}:77] picked 40 rows\n"
               f"2025-03-02 10:11:13,002 WARNING [{pkg}.scheduler:{fn}:91] retry budget "
               f"exhausted\nWARNING:{pkg}.worker:{cls} gave up after 3 tries\n"
               f"ERROR:{pkg}.worker:Unhandled error in {cls}.run\n")
        return "text", "debug", [user(f"{fence('text', out)}\nWhat do these logs tell you?")]
    if style == 5:  # a dataclass repr and a bound method in cell output
        _plant(d, (cls, "CLASS_NAME"), (pkg, "MODULE_NAME"), (fn, "FUNCTION_NAME"))
        d.pub("bound method")
        out = (f"In [9]: q = load(42); q\nOut[9]: {cls}(id=42, state='open', lines=3)\n\n"
               f"In [10]: q.{fn}\nOut[10]: <bound method {cls}.{fn} of {cls}(id=42, "
               f"state='open', lines=3)>\n\nIn [11]: type(q)\nOut[11]: {pkg}.models.{cls}\n")
        return "python", "debug", [user(f"{fence('ipython', out)}\nHow do I call it lazily?")]
    if style == 6:  # the help of IPython's ?
        _plant(d, (fn, "FUNCTION_NAME"), (pkg, "MODULE_NAME"), (cls, "CLASS_NAME"))
        d.pub("Signature:", "Docstring:")
        out = (f"Signature: {fn}(frame: 'pd.DataFrame', window: 'int' = 7) -> '{cls}'\n"
               f"Docstring: Rolling features per SKU.\n"
               f"File:      ~/work/{pkg}/features.py\nType:      function\n")
        return "python", "docs", [user(f"In [3]: {fn}?\n{fence('text', out)}\n"
                                       "Write a docstring with examples.")]
    # the profile of %prun
    _plant(d, (fn, "FUNCTION_NAME"), (helper, "FUNCTION_NAME"), (pkg, "MODULE_NAME"))
    d.pub("ncalls  tottime", "{built-in method builtins.sorted}")
    out = (f"         48213 function calls in 1.204 seconds\n\n   Ordered by: internal time\n\n"
           f"   ncalls  tottime  percall  cumtime  percall filename:lineno(function)\n"
           f"    12000    0.612    0.000    0.901    0.000 {pkg}.py:40({helper})\n"
           f"        1    0.203    0.203    1.204    1.204 {pkg}.py:12({fn})\n"
           f"    12000    0.150    0.000    0.150    0.000 {{built-in method builtins.sorted}}\n")
    return "python", "debug", [user(f"%prun {fn}(df)\n{fence('text', out)}\nWhat is slow?")]
