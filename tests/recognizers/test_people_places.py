"""People's names where developers paste them: ``Last, First`` display names and directory
entries, particles glued to a surname, leading initials, and the handles of chat exports and
task lists."""

from __future__ import annotations

import pytest

from recognizers.people import PersonRecognizer
from recognizers.pii import PiiRecognizer


@pytest.fixture(scope="module")
def rules() -> PersonRecognizer:
    return PersonRecognizer(use_ner=False)


def names(r: PersonRecognizer, text: str) -> set[str]:
    return {text[f.start:f.end] for f in r.analyze(text)}


@pytest.mark.parametrize("text, expected", [
    # surname first with a comma: a quoted display name before its address, an LDAP DN
    ('From: "Beltrán, Rocío" <rbeltran@example.com>', {"Beltrán, Rocío"}),
    ("ldap bind CN=Allison\\, Paige,OU=Engineering,DC=corp,DC=local", {"Allison\\, Paige"}),
    # particles: Arabic and Hebrew "ben", elided "d'", joined "al-"
    ("owner: Eszter ben Szabó", {"Eszter ben Szabó"}),
    ("Attendees: Giulietta d'Anguissola, Jan Novak", {"Giulietta d'Anguissola", "Jan Novak"}),
    ("Reviewed-by: Ahmed al-Rashid", {"Ahmed al-Rashid"}),
    # leading initials stay with the surname, after a label and in a column of names
    ("Contact: B. T. Sýkora", {"B. T. Sýkora"}),
    ("id,full_name,team\n100,R. K. Contrafatto,Data\n101,Marta Sousa,Web\n",
     {"R. K. Contrafatto", "Marta Sousa"}),
    # the owner of an action item, who attended a meeting
    ("AI: Kasimir to check the runbook\nAI (Ilse): draft the RFC\n", {"Kasimir", "Ilse"}),
    ("Present: R. P. Syldatk (PM), Markéta Pavlíková (Eng)",
     {"R. P. Syldatk", "Markéta Pavlíková"}),
    # chat pastes: Teams speakers surname first, untimed speakers, mentions by display name
    ("[10:42 AM] Villalobos, Dorotea\nthe deploy is stuck\n", {"Villalobos, Dorotea"}),
    ("Ilse: can you check?\nKasimir: sure\n", {"Ilse", "Kasimir"}),
    ("cc @Kasimir Brandl and @jdoe", {"Kasimir Brandl"}),
    # ticket fields and thanks in more languages
    ("Người phụ trách: Nguyễn Văn Thành", {"Nguyễn Văn Thành"}),
    ("Řešitel: Jiří Dvořák", {"Jiří Dvořák"}),
    ("Виконавець: Олена Шевченко", {"Олена Шевченко"}),
    ("Cảm ơn Minh Anh,", {"Minh Anh"}),
    # a capitalised first name alone in a chat's looser phrases
    ("waiting on Dorotea for the review", {"Dorotea"}),
    ("Kasimir, can you check?", {"Kasimir"}),
    # an address whose local part is the surname and two letters of the given name
    ("  (7, 'Elif Kramer', 'kramerel@example.dev', 'admin');", {"Elif Kramer"}),
])
def test_names_in_pasted_formats(rules: PersonRecognizer, text: str, expected: set[str]) -> None:
    assert names(rules, text) == expected


@pytest.mark.parametrize("text", [
    "CN=Build Agents,OU=Groups,DC=corp,DC=local",  # a group, not a person
    'greet("Hello, World") # (prints)',
    'subject = "Grace period, Mark as read" (UI copy)',
    "Smith, John and the others signed.",  # a list as often as one name: not from the comma
])
def test_comma_pairs_that_are_no_name(rules: PersonRecognizer, text: str) -> None:
    assert not any("," in n for n in names(rules, text))


@pytest.mark.parametrize("text", [
    "AI: Use caching here", "ACTION: Deploy", "class Present:\n    pass",
    "Absent: none. Present: everyone",
    "Note: check this\nWarning: it fails\nJenkins: build failed again\n",
    "[10:42] Hello, World", "@Override\npublic void run()", "@Test Public",
    "Hugo is a static site generator", "Julia can call C", "Sphinx, can you build?",
])
def test_meeting_labels_before_ordinary_words(rules: PersonRecognizer, text: str) -> None:
    assert names(rules, text) == set()




def users(text: str) -> set[str]:
    return {text[f.start:f.end] for f in PiiRecognizer().analyze(text) if f.type == "USERNAME"}


def test_handles_of_chat_exports_and_task_lists() -> None:
    assert users('"user_profile": {"real_name": "X", "display_name": "zoltan_bodnar"}') \
        == {"zoltan_bodnar"}
    assert users("<@U024BE7LH|dorotea.villalobos> can you look") == {"dorotea.villalobos"}
    assert "gulenal" in users("Action items:\n- [ ] @gulenal — rotate the key\n")
    assert "gulenal" in users("- [x] @gulenal: write the postmortem\n")
    # a decorator in code is no mention
    assert not users("@app.route('/x')\ndef index():\n    return 1\n")


def test_logins_of_directory_entries() -> None:
    assert users("dn: uid=reva_sachdev,ou=people,dc=corp\nuid: rsach\n") == {
        "reva_sachdev", "rsach"}
    assert users('ldapsearch -b ou=people,dc=corp "(uid=jdoe)"') == {"jdoe"}
    assert not users("if (uid=cur) { return; }")  # an assignment in code
