"""Presidio recognizer backed by a Flair ``SequenceTagger`` (optional NER backend).

Flair is an optional dependency (``pip install 'codeveil[flair]'``): this module imports without
it, and ``flair``/``torch`` are imported only when a tagger is loaded or trained.

Usage::

    from recognizers.flair_ner import FlairRecognizer

    rec = FlairRecognizer(model="/models/ner-english-fast.pt")  # or "flair/ner-english-fast"
    rec.analyze("Maintainer: Jane Doe", entities=["PERSON"])
    # [type: PERSON, start: 12, end: 20, score: 0.99...]

``model`` is either a local path to a tagger saved with ``SequenceTagger.save()`` (works
offline) or a model name such as ``flair/ner-english-fast``, which Flair fetches from its model
hub on first use (only where that hub is reachable). Flair's span labels are mapped to Presidio
entities (``PER`` -> ``PERSON``, ``LOC`` -> ``LOCATION``, ``ORG`` -> ``ORGANIZATION``), and
findings below ``min_score`` are dropped. Offsets are exact character offsets into the analyzed
text.

:func:`train_tiny_tagger` trains a very small tagger from BIO-tagged sentences without
downloading anything (one-hot word embeddings built from the training data plus character
embeddings with a character dictionary built locally). It is meant for tests and for trying the
backend offline, not for production quality.
"""

from __future__ import annotations

import logging
import os
import random
import re
import string
import threading
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

if TYPE_CHECKING:  # pragma: no cover
    from presidio_analyzer.nlp_engine import NlpArtifacts

__all__ = [
    "DEFAULT_LABEL_MAPPING",
    "FlairModelError",
    "FlairRecognizer",
    "train_tiny_tagger",
]

_log = logging.getLogger(__name__)

#: Flair span label -> Presidio entity type.
DEFAULT_LABEL_MAPPING: dict[str, str] = {
    "PER": "PERSON",
    "PERSON": "PERSON",
    "LOC": "LOCATION",
    "LOCATION": "LOCATION",
    "ORG": "ORGANIZATION",
    "ORGANIZATION": "ORGANIZATION",
}

_INSTALL_HINT = (
    "install the optional Flair backend with `pip install torch==<version> 'codeveil[flair]'` "
    "(install torch first so pip does not pull a CUDA build)"
)
_MODEL_HINT = (
    "Pass `model` as a local path to a tagger saved with `SequenceTagger.save()` (for a pretrained "
    "model: where the Flair/Hugging Face hub is reachable, run "
    "`SequenceTagger.load('flair/ner-english-fast').save('/models/ner-english-fast.pt')` once and "
    "reference that file), or a Flair model name when the hub is reachable from this machine. "
    "`recognizers.flair_ner.train_tiny_tagger()` trains a small offline model for tests."
)

# A non-empty line, without its line break. Text is tagged line by line: names never span lines,
# and short sequences keep the BiLSTM fast on long prompts full of code.
_LINE = re.compile(r"[^\r\n]+")
# Lines longer than this (minified code, base64 ...) are cut at whitespace into pieces.
_MAX_CHUNK = 2000


def _chunks(text: str, max_chars: int = _MAX_CHUNK) -> Iterator[tuple[int, str]]:
    """Yield ``(offset, piece)`` for the non-blank lines of ``text``, long lines cut at spaces."""
    for match in _LINE.finditer(text):
        start, line = match.start(), match.group()
        while len(line) > max_chars:
            cut = line.rfind(" ", max_chars // 2, max_chars)
            cut = max_chars if cut < 0 else cut + 1
            if not line[:cut].isspace():
                yield start, line[:cut]
            start, line = start + cut, line[cut:]
        if line and not line.isspace():
            yield start, line


class FlairModelError(RuntimeError):
    """The Flair tagger could not be loaded (missing file, unreachable hub, not installed)."""


def _import_flair() -> Any:
    try:
        import flair
        from flair.models import SequenceTagger  # noqa: F401
    except ImportError as exc:  # pragma: no cover - exercised only without flair
        raise ImportError(f"FlairRecognizer needs the `flair` package: {_INSTALL_HINT}") from exc
    return flair


def _looks_like_path(model: str) -> bool:
    return (
        model.endswith((".pt", ".pth", ".bin"))
        or model.startswith((".", "~", os.sep))
        or (os.sep != "/" and os.sep in model)
        or model.count("/") > 1
    )


class FlairRecognizer(EntityRecognizer):
    """Presidio ``EntityRecognizer`` that runs a Flair ``SequenceTagger``.

    :param model: local path to a saved tagger (``.pt``), or a Flair model name
        (e.g. ``flair/ner-english-fast``) fetched from Flair's hub where one is reachable.
    :param supported_entities: Presidio entities to report (default ``["PERSON"]``).
    :param label_mapping: Flair label -> Presidio entity (default :data:`DEFAULT_LABEL_MAPPING`);
        labels missing from the mapping are ignored.
    :param min_score: findings with a lower Flair confidence are dropped.
    :param lazy: if true, the tagger is loaded on the first ``analyze()`` call instead of in the
        constructor (Presidio calls ``load()`` from ``EntityRecognizer.__init__``).
    :param mini_batch_size: lines tagged per forward pass.
    """

    def __init__(
        self,
        model: str | os.PathLike[str],
        supported_entities: Sequence[str] | None = None,
        label_mapping: Mapping[str, str] | None = None,
        min_score: float = 0.5,
        *,
        supported_language: str = "en",
        name: str = "FlairRecognizer",
        lazy: bool = False,
        mini_batch_size: int = 32,
    ) -> None:
        self.model_name = os.fspath(model)
        self.label_mapping = dict(DEFAULT_LABEL_MAPPING if label_mapping is None else label_mapping)
        self.min_score = float(min_score)
        self.mini_batch_size = int(mini_batch_size)
        self.tagger: Any = None
        self._lazy = lazy
        self._lock = threading.Lock()
        super().__init__(
            supported_entities=list(supported_entities or ["PERSON"]),
            name=name,
            supported_language=supported_language,
        )

    # -- loading --------------------------------------------------------------------------------

    def load(self) -> None:
        """Load the tagger (imports flair); idempotent. Raises :class:`FlairModelError`."""
        if self._lazy:  # the call made by EntityRecognizer.__init__: defer to first use
            self._lazy = False
            return
        with self._lock:
            if self.tagger is None:
                self.tagger = self._load_tagger()

    def _load_tagger(self) -> Any:
        model = self.model_name
        path = Path(model).expanduser()
        if _looks_like_path(model) and not path.is_file():
            raise FlairModelError(
                f"Flair model file {model!r} does not exist (no such file). {_MODEL_HINT}"
            )
        _import_flair()
        from flair.models import SequenceTagger

        try:
            tagger = SequenceTagger.load(str(path) if path.is_file() else model)
        except Exception as exc:
            raise FlairModelError(
                f"Could not load Flair model {model!r} ({type(exc).__name__}: {exc}). {_MODEL_HINT}"
            ) from exc
        tagger.eval()
        return tagger

    # -- analysis -------------------------------------------------------------------------------

    def analyze(
        self,
        text: str,
        entities: Sequence[str] | None = None,
        nlp_artifacts: NlpArtifacts | None = None,
    ) -> list[RecognizerResult]:
        """Tag ``text`` and return the requested entities with exact character offsets."""
        wanted = set(self.supported_entities)
        if entities:
            wanted &= set(entities)
        if not wanted or not text or text.isspace():
            return []
        if self.tagger is None:
            self.load()
        from flair.data import Sentence

        sentences_with_offsets = [(offset, Sentence(piece)) for offset, piece in _chunks(text)]
        sentences_with_offsets = [(offset, s) for offset, s in sentences_with_offsets if len(s)]
        if not sentences_with_offsets:
            return []
        with self._lock:
            self.tagger.predict(
                [s for _, s in sentences_with_offsets],
                mini_batch_size=self.mini_batch_size,
                label_name="_codeveil_ner",
            )
        results: list[RecognizerResult] = []
        for offset, sentence in sentences_with_offsets:
            for span in sentence.get_spans("_codeveil_ner"):
                label = span.get_label("_codeveil_ner")
                entity = self.label_mapping.get(label.value)
                if entity not in wanted or label.score < self.min_score:
                    continue
                start, end = offset + span.start_position, offset + span.end_position
                results.append(
                    RecognizerResult(
                        entity_type=entity,
                        start=start,
                        end=end,
                        score=float(label.score),
                        analysis_explanation=self._explanation(entity, label.value, label.score),
                        recognition_metadata={
                            RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                        },
                    )
                )
        return results

    def _explanation(self, entity: str, label: str, score: float) -> AnalysisExplanation:
        return AnalysisExplanation(
            recognizer=self.__class__.__name__,
            original_score=float(score),
            textual_explanation=f"Flair {self.model_name!r} tagged {label} as {entity}",
        )


# --------------------------------------------------------------------------------------------
# Offline training of a tiny tagger
# --------------------------------------------------------------------------------------------


def _bio_spans(tags: Sequence[str]) -> Iterator[tuple[int, int, str]]:
    """Yield ``(start, end, type)`` token spans from BIO (or IOB1) tags; ``end`` is exclusive."""
    start: int | None = None
    kind = ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, label = tag.partition("-")
        if prefix not in {"B", "I", "O"} or (prefix != "O" and not label):
            raise ValueError(f"bad BIO tag {tag!r} (expected O, B-TYPE or I-TYPE)")
        if start is not None and (prefix != "I" or label != kind):
            yield start, i, kind
            start = None
        if start is None and prefix != "O":
            start, kind = i, label


def train_tiny_tagger(
    sentences: list[list[tuple[str, str]]],
    path: Path,
    epochs: int = 10,
    *,
    seed: int = 13,
    hidden_size: int = 64,
    word_dim: int = 32,
    char_dim: int = 8,
    min_word_freq: int = 2,
    learning_rate: float = 0.02,
    mini_batch_size: int = 8,
) -> Path:
    """Train a very small Flair ``SequenceTagger`` on BIO-tagged sentences and save it to ``path``.

    ``sentences`` is a list of sentences, each a list of ``(token, tag)`` pairs with tags ``O``,
    ``B-PER``, ``I-PER`` (any type: ``LOC``, ``ORG`` ...). Tokenize the way Flair's default
    tokenizer does at prediction time (punctuation split from words: ``["Maintainer", ":",
    "Jane", "Doe"]``). Nothing is downloaded: the model stacks one-hot word embeddings over the
    training vocabulary and character embeddings over a locally built character dictionary
    (capitalisation, name-like shapes), under a small BiLSTM-CRF. The vocabulary holds only words
    tagged ``O`` at least ``min_word_freq`` times; entity tokens map to ``<unk>``, which teaches
    the model to find names it has never seen from their context. Training is seeded and runs
    Adam for ``epochs`` passes (about 1 s per epoch for 100 short sentences on one CPU thread;
    ``torch.set_num_threads(1)`` is much faster than more threads for a model this small).
    Returns ``path``, loadable with ``FlairRecognizer(model=str(path))``.
    """
    _import_flair()
    import flair
    import torch
    from flair.data import Corpus, Dictionary, Sentence
    from flair.datasets import FlairDatapointDataset
    from flair.embeddings import CharacterEmbeddings, OneHotEmbeddings, StackedEmbeddings
    from flair.models import SequenceTagger
    from flair.training_utils import store_embeddings

    if not sentences:
        raise ValueError("train_tiny_tagger needs at least one sentence")
    flair.set_seed(seed)
    rng = random.Random(seed)

    flair_sentences: list[Sentence] = []
    for pairs in sentences:
        if not pairs:
            continue
        tokens = [token for token, _ in pairs]
        sentence = Sentence(tokens)
        for start, end, kind in _bio_spans([tag for _, tag in pairs]):
            sentence[start:end].add_label("ner", kind)
        flair_sentences.append(sentence)
    corpus: Corpus = Corpus(
        train=FlairDatapointDataset(flair_sentences), sample_missing_splits=False
    )
    tag_dictionary = corpus.make_label_dictionary("ner", add_unk=False)

    # The word vocabulary holds context words only: tokens inside entities stay out of it (they map
    # to <unk>), so the tagger learns to find names it has never seen from context and spelling.
    vocab = Dictionary(add_unk=True)
    counts = Counter(token for pairs in sentences for token, tag in pairs if tag == "O")
    for word, count in counts.most_common():
        if count >= min_word_freq:
            vocab.add_item(word)
    chars = Dictionary(add_unk=True)
    for char in sorted(set(string.printable) | {c for s in flair_sentences for c in s.text}):
        chars.add_item(char)

    # overwrite_names=False: Flair concatenates token embeddings sorted by name, and a reloaded
    # OneHotEmbeddings gets its default name back, so "0-"/"1-" prefixes given at training time
    # would swap the feature order after save/load (Flair 0.15) and silently ruin the model.
    embeddings = StackedEmbeddings(
        [
            OneHotEmbeddings(vocab, embedding_length=word_dim),
            CharacterEmbeddings(chars, char_embedding_dim=char_dim, hidden_size_char=char_dim),
        ],
        overwrite_names=False,
    )
    tagger = SequenceTagger(
        embeddings=embeddings,
        tag_dictionary=tag_dictionary,
        tag_type="ner",
        hidden_size=hidden_size,
        use_crf=True,
        word_dropout=0.1,
        locked_dropout=0.2,
    )
    optimizer = torch.optim.Adam(tagger.parameters(), lr=learning_rate)
    tagger.train()
    order = list(range(len(flair_sentences)))
    for epoch in range(max(1, epochs)):
        rng.shuffle(order)
        total, seen = 0.0, 0
        for i in range(0, len(order), mini_batch_size):
            batch = [flair_sentences[j] for j in order[i : i + mini_batch_size]]
            optimizer.zero_grad()
            loss, count = tagger.forward_loss(batch)
            (loss / max(count, 1)).backward()
            torch.nn.utils.clip_grad_norm_(tagger.parameters(), 5.0)
            optimizer.step()
            store_embeddings(batch, "none")
            total, seen = total + loss.item(), seen + int(count)
        _log.info("train_tiny_tagger: epoch %d loss %.4f", epoch + 1, total / max(seen, 1))
    tagger.eval()

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tagger.save(path)
    return path
