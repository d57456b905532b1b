"""The English vocabulary, as compact tries shipped as package data.

As Python sets, the dictionary's 244,000 words took about 60 MB of every worker's memory (the
code vocabulary and the people lexicon each loaded their own copy); as marisa tries they take
1 MB and a lookup costs about 0.2 µs. ``python -m recognizers.english.generate`` makes them:

* the dictionaries, from the ``english-words`` package (MIT; GCIDE and Webster's Second);
* the words of today's English as written on the web, from ``wordfreq`` (its word lists are
  CC BY-SA 4.0, see PROVENANCE.md): the abbreviations and modern words code is written with
  (``conv``, ``chans``, ``pixel``, ``uconn``) that no dictionary of 1913 lists, while the coined
  words companies name their projects with (``zorvath``) are on neither.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import marisa_trie

# GCIDE, and the lower-case entries of Webster's Second (its capitalised ones are people and
# places).
ANY_FILE = "english_any.marisa"
# Words both list: either dictionary alone also holds rare and archaic entries that are common
# surnames and first names (``toft``, ``gorm``, ``freya``, ``arjun``).
BOTH_FILE = "english_both.marisa"
# Words of web English at least this frequent (Zipf scale: 1.5 is once per 30 million words).
WEB_FILE = "english_web.marisa"
WEB_MIN_ZIPF = 1.5


def _load(filename: str) -> marisa_trie.Trie:
    trie = marisa_trie.Trie()
    trie.frombytes(resources.files(__package__).joinpath(filename).read_bytes())
    return trie


@cache
def dictionary() -> marisa_trie.Trie:
    """Every English word either dictionary lists, lower case (``"word" in dictionary()``)."""
    return _load(ANY_FILE)


@cache
def common_dictionary() -> marisa_trie.Trie:
    """The English words both dictionaries list, lower case."""
    return _load(BOTH_FILE)


@cache
def web_words() -> marisa_trie.Trie:
    """Lower-case ASCII words of today's written English, rare ones too (see WEB_MIN_ZIPF)."""
    return _load(WEB_FILE)
