"""The English dictionary shipped as tries: what the generator makes from english-words, and
the distinction the people lexicon relies on."""

from __future__ import annotations

import marisa_trie
from english_words import get_english_words_set

from recognizers.english import common_dictionary, dictionary


def test_the_shipped_tries_hold_what_english_words_lists():
    gcide = get_english_words_set(["gcide"], alpha=True, lower=True)
    web2 = {w for w in get_english_words_set(["web2"], alpha=True) if w.islower()}
    assert dictionary().tobytes() == marisa_trie.Trie(gcide | web2).tobytes()
    assert common_dictionary().tobytes() == marisa_trie.Trie(gcide & web2).tobytes()


def test_rare_entries_that_are_first_names_are_only_in_one_dictionary():
    assert "request" in dictionary() and "request" in common_dictionary()
    assert "freya" in dictionary() and "freya" not in common_dictionary()
    assert "zorvath" not in dictionary()
