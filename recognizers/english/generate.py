"""Regenerate the English tries from ``english-words`` and ``wordfreq`` (``pip install
wordfreq``: a generation-time dependency only, its 56 MB of word lists are not needed to run).

Run ``python -m recognizers.english.generate`` after upgrading either.
"""

from __future__ import annotations

from pathlib import Path

import marisa_trie
from english_words import get_english_words_set
from wordfreq import get_frequency_dict, zipf_frequency

from recognizers.english import ANY_FILE, BOTH_FILE, WEB_FILE, WEB_MIN_ZIPF

HERE = Path(__file__).resolve().parent


def main() -> None:
    gcide = get_english_words_set(["gcide"], alpha=True, lower=True)
    web2 = {w for w in get_english_words_set(["web2"], alpha=True) if w.islower()}
    web = web_words()
    for name, words in ((ANY_FILE, gcide | web2), (BOTH_FILE, gcide & web2), (WEB_FILE, web)):
        (HERE / name).write_bytes(marisa_trie.Trie(words).tobytes())
        print(f"{name}: {len(words)} words")


def web_words() -> set[str]:
    return {w for w in get_frequency_dict("en", "best")
            if w.isascii() and w.isalpha() and zipf_frequency(w, "en") >= WEB_MIN_ZIPF}


if __name__ == "__main__":
    main()
