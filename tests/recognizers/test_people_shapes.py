"""Person names the context rules find by shape and structure: lower-case first names with
diacritics in chat, speakers of timestamped chat lines, surname-first pairs, apostrophes inside
names, names in parentheses and of several words in uncased scripts, Chinese names before a
possessive, and names in the columns of data tables."""

from __future__ import annotations

import pytest

from recognizers.people import PersonRecognizer
from recognizers.people.tables import person_header, tables


@pytest.fixture(scope="module")
def rules() -> PersonRecognizer:
    return PersonRecognizer(use_ner=False)


def names(r: PersonRecognizer, text: str) -> set[str]:
    return {text[f.start:f.end] for f in r.analyze(text)}


@pytest.mark.parametrize("text, expected", [
    # lower-case first names with diacritics, after a context word or as a chat line's speaker
    ("[10:02] stéphanie: the retry storm is back\n", {"stéphanie"}),
    ("LGTM if the cap stays, agreed with gülgüzel on the jitter", {"gülgüzel"}),
    ("the on-call nejdet restarted it", {"nejdet"}),
    # surname first (Vietnamese, Hungarian) under a name key
    ('{"name": "Nguyễn Jane"}', {"Nguyễn Jane"}),
    # an apostrophe inside a name, Dutch 't
    ("@author Марʼяна Талан", {"Марʼяна Талан"}),
    ("Reviewed-by: Ярина Пʼятаченко", {"Ярина Пʼятаченко"}),
    ("// TODO(Willem van 't Erve) jitter", {"Willem van 't Erve"}),
    # uncased scripts: a surname in parentheses, a geresh, a two-word first name
    ("// तेजश्‍वी (श्रेष्‍ठ): keep the cap", {"तेजश्‍वी (श्रेष्‍ठ)"}),
    ("reviewer: ג'ורי עזרא", {"ג'ורי עזרא"}),
    ("- عبد التّواب ابو عيد", {"عبد التّواب ابو عيد"}),
    ("Reported-by: बिनिता के.सी.\n", {"बिनिता के.सी."}),
    ("यह रवि शर्मा.", {"रवि शर्मा"}),
    # a Chinese two-character name before the possessive of a phone
    ("有问题可以打罗佳的手机13123455183。", {"罗佳"}),
    # German puts the verb after the name
    ("Bei Fragen bitte Undine Gertz anrufen.", {"Undine Gertz"}),
    ("Rückfragen bitte an Gertrud Barth.", {"Gertrud Barth"}),
    # a role noun or an imperative opening the sentence is no part of the name
    ("Ревьюер Милица Новикова одобрил PR.", {"Милица Новикова"}),
    ("Contactez Adèle Guichard pour l'accès.", {"Adèle Guichard"}),
    ("Contacta con Albino Diéguez para el acceso.", {"Albino Diéguez"}),
    # Korean particles and the copula after a name
    ("리뷰어는 송선영입니다.", {"송선영"}),
])
def test_names_by_shape(rules: PersonRecognizer, text: str, expected: set[str]) -> None:
    assert names(rules, text) == expected


@pytest.mark.parametrize("text", [
    "nejdet: 5\nretries: 3\n",  # a YAML key is no chat speaker without a time
    "the owner field is required",
    "Kenji's PR",  # the possessive stays outside the name (checked below)
    "VALUES ('שלום')",
    "name = 'Billing Service'",
    "민감한 지원을 확인하세요",  # a surname-like syllable ending a word is no name's start
    # a field of a query plan, shaped like a chat line, says nothing in words
    "Gather  (cost=1000.00..48213.11 rows=1 width=64)\n  Workers Planned: 2\n",
])
def test_no_names_by_shape(rules: PersonRecognizer, text: str) -> None:
    found = names(rules, text)
    if text == "Kenji's PR":
        assert found <= {"Kenji"}
    else:
        assert found == set()


def test_a_closing_quote_is_no_geresh(rules: PersonRecognizer) -> None:
    text = "VALUES ('יחזקאל חזן')"
    assert names(rules, text) == {"יחזקאל חזן"}


def test_columns_under_a_person_header_and_columns_of_names() -> None:
    r = PersonRecognizer(use_ner=False)
    csv = "name,team,start\nIsabella Coppola,data,2023-02-01\nKovács Zsolt,infra,2023-04-01\n"
    assert names(r, csv) == {"Isabella Coppola", "Kovács Zsolt"}
    # "Us" is an English word: the column of names makes a name of the cell
    md = ("| week | first | second |\n|---|---|---|\n"
          "| W10 | Phillip Hamilton | Оксана Швайка |\n"
          "| W11 | Оксана Швайка | Us Akçay |\n"
          "| W12 | Us Akçay | Phillip Hamilton |\n")
    assert "Us Akçay" in names(r, md)
    # a column of services under a "name" header stays
    services = "name,port\nBilling Service,8080\nRedis Cache,6379\nAuth Gateway,443\n"
    assert names(r, services) == set()


def test_tables_and_person_headers() -> None:
    text = "intro\n| a | b |\n|---|---|\n| 1 | x |\n| 2 | y |\nafter\nf(a, b)\ng(c, d)\nh(e, f)\n"
    found = list(tables(text))
    assert len(found) == 1  # calls in code are no rows
    assert [[text[s:e] for s, e in row] for row in found[0]] == [
        ["a", "b"], ["1", "x"], ["2", "y"]]
    assert person_header("Primary Name") and person_header("on-call") and person_header("owner")
    assert not person_header("hostname") and not person_header("team")


def test_values_of_a_recurring_key_with_names_for_peers() -> None:
    r = PersonRecognizer(use_ner=False)
    # "Floor" is an English word: the other values of the key make a name of it
    fixture = ('[{"name": "Isabella Coppola"}, {"name": "Floor Appelman"}, '
               '{"name": "Liwia Wałaszek"}]')
    assert names(r, fixture) == {"Isabella Coppola", "Floor Appelman", "Liwia Wałaszek"}
    # one name among services is not enough to make a column of names
    mixed = '[{"name": "Billing"}, {"name": "Floor Plan"}, {"name": "Liwia Wałaszek"}]'
    assert names(r, mixed) == {"Liwia Wałaszek"}


def test_a_long_table_of_names_is_read_in_one_pass(rules: PersonRecognizer) -> None:
    # (once quadratic: every cell against every finding, every name searched on its own)
    first = ["Maria", "Jonas", "Priya", "Kenji", "Amara", "Lucas", "Sofia", "Mateo"]
    last = ["Keller", "Novak", "Raman", "Sato", "Okafor", "Moreau", "Rossi", "Silva"]
    rows = [f"{i},{first[i % 8]} {last[i // 8 % 8]},team{i % 5}" for i in range(64)]
    text = "```csv\nid,name,team\n" + "\n".join(rows) + "\n```\n"
    found = names(rules, text)
    assert {f"{a} {b}" for a in first for b in last} <= found
    assert not any(v.startswith("team") for v in found)
