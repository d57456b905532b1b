"""recognizers/literals.py: the same matches, in the same order, as pyahocorasick's iter."""

from __future__ import annotations

import ahocorasick
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recognizers import literals
from recognizers.literals import Literals


def _reference(pairs: list[tuple[str, object]], text: str) -> list[tuple[int, object]]:
    ac = ahocorasick.Automaton()
    for w, p in pairs:
        if w:
            ac.add_word(w, p)
    if not len(ac):
        return []
    ac.make_automaton()
    return list(ac.iter(text))


_ALPHABET = "ab: =-\n"  # few letters: many overlapping matches and ties at one end


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.text(_ALPHABET, max_size=4), max_size=30),
       text=st.text(_ALPHABET + "é", max_size=200))
def test_same_matches_as_pyahocorasick(words: list[str], text: str) -> None:
    pairs = [(w, (i, w)) for i, w in enumerate(words)]
    assert Literals(pairs).iter(text) == _reference(pairs, text)
    assert Literals(pairs, use_hyperscan=False).iter(text) == _reference(pairs, text)


@pytest.mark.skipif(literals.hyperscan is None, reason="hyperscan is not installed here")
def test_hyperscan_serves_ascii_text() -> None:
    got = Literals([("user=", 1), ("er=", 2), ("=", 3)])
    assert got._db is not None
    # overlapping matches at one end: the longer first, as pyahocorasick gives them
    assert got.iter("user=jdoe") == [(4, 1), (4, 2), (4, 3)]


def test_non_ascii_text_and_words() -> None:
    pairs = [("пароль", "ru"), ("password", "en"), ("密码", "zh")]
    text = "пароль: x1, password: x2, 密码：x3"
    assert Literals(pairs).iter(text) == _reference(pairs, text)
    assert [p for _, p in Literals(pairs).iter("password only")] == ["en"]


def test_a_literal_given_twice_keeps_its_last_payload() -> None:
    got = Literals([("key", 1), ("key", 2)])
    assert got.iter("a key") == [(4, 2)]
    assert len(got) == 1


def test_empty() -> None:
    assert Literals([]).iter("anything") == []
    assert Literals([("", 1)]).iter("anything") == []


def test_a_huge_text_gives_the_same_matches() -> None:
    # above a megabyte pyahocorasick walks it (its matches come in order: no sort of millions
    # holding the GIL); the result is the same
    pairs = [("user=", 1), ("er=", 2), ("=", 3)]
    text = "user=jdoe; " * 100_000
    got = Literals(pairs).iter(text)
    assert len(text) > literals._BIG and got == _reference(pairs, text)


def test_find_any_in_a_huge_text() -> None:
    from recognizers.pii import scan
    words = ("user=", "login=", *(f"key{i}=" for i in range(30)))  # many words, and few
    text = "a user=x b login=y " * 60_000
    assert len(text) > scan._HUGE
    expected = sorted(i for w in words for i in range(len(text)) if text.startswith(w, i))
    assert scan.find_any(text, words) == expected
    assert scan.find_any(text, words[:2]) == [i for i in expected if text[i] in "ul"]
