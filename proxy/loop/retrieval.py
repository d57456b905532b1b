"""Lexical retrieval from a local folder (and the team's stored corrections)."""

from __future__ import annotations

import math
import re
from collections import Counter
from pathlib import Path

WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]{2,}")
SUFFIXES = {".py", ".md", ".txt", ".rst", ".json", ".js", ".ts", ".go", ".java", ".rs"}


def tokens(text: str) -> list[str]:
    out: list[str] = []
    for w in WORD.findall(text):
        out.append(w.lower())
        out += [p.lower() for p in re.split(r"_|(?<=[a-z])(?=[A-Z])", w) if len(p) > 2]
    return out


def search(folders: list[Path], query: str, k: int = 2, max_chars: int = 1500,
           max_files: int = 2000) -> list[tuple[str, str]]:
    """(name, text) of the k files that best match the query (BM25 over words)."""
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
    hits = rank([(str(i), text) for i, (_, text, _) in enumerate(docs)], query, k,
                [c for _, _, c in docs])
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
