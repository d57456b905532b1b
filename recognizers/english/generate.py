"""Regenerate the English tries from the ``english-words`` package (a development dependency).

Run ``python -m recognizers.english.generate`` after upgrading ``english-words``.
"""

from __future__ import annotations

from pathlib import Path

import marisa_trie
from english_words import get_english_words_set

from recognizers.english import ANY_FILE, BOTH_FILE

HERE = Path(__file__).resolve().parent


def main() -> None:
    gcide = get_english_words_set(["gcide"], alpha=True, lower=True)
    web2 = {w for w in get_english_words_set(["web2"], alpha=True) if w.islower()}
    for name, words in ((ANY_FILE, gcide | web2), (BOTH_FILE, gcide & web2)):
        (HERE / name).write_bytes(marisa_trie.Trie(words).tobytes())
        print(f"{name}: {len(words)} words")


if __name__ == "__main__":
    main()
