"""The English vocabulary shipped as tries: what the generator makes from english-words, the
distinction the people lexicon relies on, and what makes a word of code ordinary."""

from __future__ import annotations

import marisa_trie
import pytest
from english_words import get_english_words_set

from recognizers.code.vocabulary import is_ordinary_word
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


def test_web_english_knows_the_abbreviations_code_uses_but_no_coined_name():
    from recognizers.english import web_words

    for word in ("conv", "chans", "pixel", "uconn"):
        assert word in web_words()
    for coined in ("zorvath", "quorvex", "vekrufex", "kuvram"):
        assert coined not in web_words()


@pytest.mark.parametrize(("word", "ordinary"), [
    ("getcapacitor", True), ("handlecount", True), ("memcache", True), ("backtrace", True),
    ("pixel", True), ("conv", True),
    ("zorvath", False), ("quorvex", False), ("torvex", False), ("gtlt", False),
])
def test_a_word_is_ordinary_when_it_or_its_parts_are_english(word, ordinary):
    assert is_ordinary_word(word) is ordinary
