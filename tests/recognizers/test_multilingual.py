"""Detection beyond English and beyond plain code: passwords told in a sentence in many
languages, names in scripts without letter case (and CJK without spaces), SQL names in SQL
text, in string literals and in migration calls."""

from __future__ import annotations

import pytest

from proxy.veil.surrogates import Surrogates
from recognizers.identifiers import IdentifierRecognizer
from recognizers.people import PersonRecognizer
from recognizers.pii import PiiRecognizer
from recognizers.secrets import SecretRecognizer

PW = "Xk7!pQ2#zR9m"


def secrets(text: str) -> list[str]:
    return [text[f.start:f.end] for f in SecretRecognizer().analyze(text)]


@pytest.mark.parametrize("text", [
    f"The password for the test database is {PW}. Thanks",
    f"Das Passwort für die Testdatenbank ist {PW}. Laut Anna ist es gleich.",
    f"Le mot de passe de la base de test est {PW}. D'après Marie, oui.",
    f"La contraseña de la base de pruebas es {PW}. Según Juan, igual.",
    f"A senha do banco de testes é {PW}. Segundo Ana, igual.",
    f"Пароль от тестовой базы: {PW}. По словам Ивана, так же.",
    f"测试库的密码是{PW}，生产库的配置一样。",
    f"テスト環境のパスワードは{PW}です。",
    f"테스트 서버 비밀번호는 {PW}입니다.",
    f'Het wachtwoord is "{PW}".',
])
def test_password_in_a_sentence(text: str) -> None:
    assert PW in secrets(text)


@pytest.mark.parametrize("text", [
    "The password is incorrect, and the password is required for every login.",
    "The password is os.environ['PGPASSWORD'] and the token is settings.API_TOKEN.",
    "Das Passwort ist falsch. Le mot de passe est obligatoire. 密码是必填项。",
    "the password field is PASSWORD_MIN_LENGTH characters long",
    "password is <your-password-here> and passphrase is ${DB_PASSPHRASE}",
    "The reset link for the password is https://example.com/reset?x=1",
])
def test_password_words_without_a_secret(text: str) -> None:
    assert secrets(text) == []


@pytest.fixture(scope="module")
def people() -> PersonRecognizer:
    return PersonRecognizer(use_ner=False)


def names(people: PersonRecognizer, text: str) -> set[str]:
    return {text[f.start:f.end] for f in people.analyze(text)}


def test_names_in_uncased_scripts_in_code(people: PersonRecognizer) -> None:
    text = ('"""Fixtures.\n\nMaintainer: مهران بنو الأحمر\n"""\n'
            'USERS = [{"name": "বাঁধন রাও"}, {"name": "朱飞"}, {"name": "長谷川 直樹"}]\n'
            "// باسمة التوتنجي: keep the cap below the timeout\n"
            "name,team\nदर्शना अहलूवालिया,infra\nנהוראי אלבז,data\n")
    assert names(people, text) >= {
        "مهران بنو الأحمر", "বাঁধন রাও", "朱飞", "長谷川 直樹", "باسمة التوتنجي",
        "दर्शना अहलूवालिया", "נהוראי אלבז"}


def test_cjk_names_without_spaces(people: PersonRecognizer) -> None:
    zh = "测试库的配置，张东说生产库一样。有问题可以打杨小红的手机。"
    ja = "木村 あすかさんによると本番も同じです。問い合わせは藤井 亮介さんまで。"
    ko = "이선영님이 운영 서버도 같은 설정이라고 했어요. 문의는 차재호님에게 해주세요."
    assert names(people, zh) == {"张东", "杨小红"}
    assert names(people, ja) == {"木村 あすか", "藤井 亮介"}
    assert names(people, ko) == {"이선영", "차재호"}


@pytest.mark.parametrize("text", [
    "帮我看看这段代码为什么连不上数据库。王国的高性能数据库，李子和周末的日志。",
    "高明的做法是先分析执行计划。黄金分割点的计算方法是什么？",
    "このコードでデータベースに接続できない理由を教えてください。",
    "이 코드가 데이터베이스에 연결되지 않는 이유를 알려주세요. 정보를 이유를 주세요.",
    "مرحبا، هذا نص عادي عن قاعدة البيانات. نحن نستخدم محمد في الجملة",
    "नमस्ते यह डेटाबेस है। שלום עולם, זה טקסט רגיל",
])
def test_ordinary_text_in_uncased_scripts(people: PersonRecognizer, text: str) -> None:
    assert names(people, text) == set()


def test_same_script_dummies() -> None:
    s = Surrogates(b"k" * 32)
    zh = s.person_name("朱飞")
    assert len(zh) >= 2 and all("\u4e00" <= c <= "\u9fff" for c in zh)
    ar = s.person_name("مهران بنو الأحمر")
    assert all(not c.isascii() or c == " " for c in ar) and ar != "مهران بنو الأحمر"
    assert s.person_name("Ana Souza").isascii()  # Latin names keep Latin dummies


def found(text: str) -> set[str]:
    return {text[f.start:f.end] for f in IdentifierRecognizer().analyze(text)}


def test_sql_referenced_tables_and_columns() -> None:
    sql = ("```sql\nSELECT a.id, avg(l.zorbax_score) FROM mytripo_accounts a\n"
           "LEFT JOIN ledger l ON l.account_id = a.id\n"
           "WHERE l.drigaem_flag AND created_at > now()\n"
           "GROUP BY a.id;\nSELECT table_name FROM information_schema.tables;\n"
           "SELECT * FROM pg_stat_activity;\n```")
    assert found(sql) == {"zorbax", "mytripo", "drigaem"}


def test_sql_in_string_literals_and_migrations() -> None:
    code = ('```python\ndef upgrade():\n'
            '    op.add_column("xuvrith_events", sa.Column("plorvek_flag", sa.Boolean()))\n\n'
            'def load(cursor):\n    cursor.execute("SELECT id FROM zantrel_jobs WHERE ready")\n'
            '    print("select the option from the menu")\n```')
    assert found(code) == {"xuvrith", "plorvek", "zantrel"}


def test_prose_in_strings_is_no_sql() -> None:
    code = ('```python\nprint("Update from trelvax server: %s" % x)\n'
            'logger.info("select the frobnar option from the menu")\n```')
    assert found(code) == set()


def test_names_after_words_of_other_languages(people: PersonRecognizer) -> None:
    text = ("Laut Jürgen Weiß ist das so. Selon Élodie Martin, c'est cassé. "
            "Pregunta a Javier Ruiz. Fale com Ana Beatriz Souza. Алексей сказал, что да.")
    got = names(people, text)
    assert {"Jürgen Weiß", "Élodie Martin", "Javier Ruiz", "Ana Beatriz Souza",
            "Алексей"} <= got
    assert not any(w in n for n in got for w in ("Laut", "Selon", "Pregunta", "Fale"))


def test_lower_case_first_names_in_chat(people: PersonRecognizer) -> None:
    text = "ask priya about the retry logic, tomasz agreed with her. thanks kenji!"
    assert names(people, text) == {"priya", "tomasz", "kenji"}
    # the same words without a personal phrase, and tools after one, stay
    assert names(people, "priya and tomasz are folders; ask claude, ping redis") == set()


def test_japanese_surname_with_honorific(people: PersonRecognizer) -> None:
    text = "田中さんと佐藤さんに確認しました。担当は山田 太郎です。同様に設定します。"
    assert names(people, text) == {"田中", "佐藤", "山田 太郎"}


def test_lower_case_dummy_for_lower_case_name() -> None:
    assert Surrogates(b"k" * 32).person_name("priya").islower()


def usernames(text: str) -> list[str]:
    return [text[f.start:f.end] for f in PiiRecognizer().analyze(text) if f.type == "USERNAME"]


def test_url_user_before_a_password() -> None:
    assert usernames("git clone https://jdoe_dev:hunter2xx@git.example.com/x.git") == ["jdoe_dev"]
    assert usernames("https://x-access-token:abc@github.com/a/b postgres://app:pw@db/x") == []


def test_notebook_cells_pasted_as_json() -> None:
    nb = ('```json\n{"cells": [{"cell_type": "code", "execution_count": 3, "source": '
          '["import pandas as pd\\n", "def compute_vextral_ratio(df):\\n", '
          '"    return df[\\"plonk_amount\\"] / df.shape[0]\\n"], "outputs": []}], '
          '"metadata": {"kernelspec": {"language": "python"}}}\n```')
    rec = IdentifierRecognizer()
    spans = {(nb[f.start:f.end]) for f in rec.analyze(nb)}
    assert spans == {"vextral"}
    # "all" mode reports whole names at their places in the JSON
    whole = {nb[f.start:f.end] for f in IdentifierRecognizer("all").analyze(nb)}
    assert "compute_vextral_ratio" in whole and not {"pd", "shape", "pandas"} & whole


def test_code_names_in_cjk_prose_without_spaces() -> None:
    # a private name touching Chinese characters is found; a public product name touching
    # Korean particles stays whole and public
    assert found("请看QuorvexLedger类和fetch_zorvath_rows函数") == {"Quorvex", "zorvath"}
    assert found("데이터베이스는 PostgreSQL이고 테이블은 ClickHouse에 있습니다") == set()
    assert found("The db is PostgreSQL, the cache is ClickHouse.") == set()


def test_titles_and_russian_cases(people: PersonRecognizer) -> None:
    text = ("Ruf bitte Herrn Becker an. Appelle Mme Lefèvre demain. Ligue para o Carlos hoje. "
            "Спроси у Ольги Петровой. Позвони Сергею завтра.")
    assert names(people, text) == {"Becker", "Lefèvre", "Carlos", "Ольги Петровой", "Сергею"}
    # the same words in ordinary Russian prose are no names
    assert names(people, "Позвони завтра. По словам документации, всё так.") == set()
