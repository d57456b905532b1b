"""One-pass replacement, whole and streamed: every chunking gives the whole-text result."""

from hypothesis import given, settings
from hypothesis import strategies as st

from proxy.veil.restore import Replacer


def leftmost_longest(table: dict[str, str], text: str) -> str:
    """Reference semantics, written the slow and obvious way."""
    out, i = [], 0
    keys = sorted(table, key=len, reverse=True)
    while i < len(text):
        for k in keys:
            if text.startswith(k, i):
                out.append(table[k])
                i += len(k)
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def stream_all(r: Replacer, chunks: list[str]) -> str:
    s = r.stream()
    return "".join(s.feed(c) for c in chunks) + s.flush()


def chunked(text: str, sizes: list[int]) -> list[str]:
    """``text`` cut into pieces of these sizes (and the rest)."""
    chunks, i = [], 0
    for n in sizes:
        chunks.append(text[i : i + n])
        i += n
    return [*chunks, text[i:]]


keys = st.text(alphabet="abc", min_size=1, max_size=5)
tables = st.dictionaries(keys, st.text(alphabet="XYZ", max_size=4), min_size=1, max_size=6)


@settings(max_examples=400, deadline=None)
@given(tables, st.text(alphabet="abcd", max_size=40))
def test_replace_is_leftmost_longest(table, text):
    assert Replacer(table).replace(text) == leftmost_longest(table, text)


@settings(max_examples=400, deadline=None)
@given(tables, st.text(alphabet="abcd", max_size=40), st.lists(st.integers(1, 6), max_size=30))
def test_stream_equals_whole_for_random_chunkings(table, text, sizes):
    r = Replacer(table)
    assert stream_all(r, chunked(text, sizes)) == r.replace(text)


def test_every_split_position_of_a_dummy():
    table = {"KelvaBillingClient": "VeltrixBillingClient", "Kelva": "Veltrix", "KELVA": "VELTRIX"}
    r = Replacer(table)
    text = "use KelvaBillingClient or KELVA_URL, Kelva!"
    expected = "use VeltrixBillingClient or VELTRIX_URL, Veltrix!"
    assert r.replace(text) == expected
    for i in range(len(text) + 1):
        for j in range(i, len(text) + 1):
            assert stream_all(r, [text[:i], text[i:j], text[j:]]) == expected


def test_stream_releases_text_that_cannot_become_a_key():
    s = Replacer({"Kelva": "Veltrix", "KelvaOps": "VeltrixOps"}).stream()
    assert s.feed("hello wor") == "hello wor"
    assert s.feed("ld Kel") == "ld "
    assert s.feed("vb") == "Kelvb"
    assert s.feed("Kelva") == ""  # complete, but could still grow into KelvaOps
    assert s.feed("O") == ""
    assert s.feed("x") == "VeltrixOx"
    assert s.feed("KelvaOps") == "VeltrixOps"  # the longest key cannot grow: released at once
    assert s.flush() == ""


def test_empty_table_is_identity():
    r = Replacer({})
    assert r.replace("abc") == "abc"
    assert stream_all(r, ["a", "bc"]) == "abc"


@settings(max_examples=300, deadline=None)
@given(tables, st.text(alphabet="abcd", max_size=60), st.integers(1, 4))
def test_matches_sorted_in_batches_are_the_same(table, text, batch):
    """Big answers are matched a batch at a time (bounded GIL holds): same result, with a
    whole-word rule too."""
    import proxy.veil.restore as restore

    def accept(t: str, s: int, e: int) -> bool:
        return (s == 0 or t[s - 1] != "d") and (e == len(t) or t[e] != "d")

    whole = Replacer(table).matches(text), Replacer(table, accept).matches(text)
    saved, restore._BATCH = restore._BATCH, batch
    try:
        assert Replacer(table).matches(text) == whole[0]
        assert Replacer(table, accept).matches(text) == whole[1]
        assert Replacer(table).replace(text) == leftmost_longest(table, text)
    finally:
        restore._BATCH = saved


@settings(max_examples=400, deadline=None)
@given(tables, st.lists(tables, min_size=1, max_size=4), st.text(alphabet="abcd", max_size=50),
       st.lists(st.integers(1, 6), max_size=20), st.integers(1, 3))
def test_extended_replacer_is_the_whole_tables_replacer(first, additions, text, sizes, batch):
    """A conversation's tables grow a few pairs a turn, added beside the first automaton
    (a changed value, or too many pairs beside it, builds anew): matches, replacement,
    partial keys and streaming are those of one automaton over the whole table."""
    import proxy.veil.restore as restore

    saved = restore._EXTRA_MIN, restore._BATCH
    restore._EXTRA_MIN, restore._BATCH = 3, batch  # both layouts, and batches, get exercised
    try:
        r, table = Replacer(first), dict(first)
        for pairs in additions:
            r = r.extended(pairs)
            table.update(pairs)
        whole = Replacer(table)
        assert r.table == table
        assert r.matches(text) == whole.matches(text)
        assert r.replace(text) == leftmost_longest(table, text)
        for i in range(len(text) + 1):
            assert r.is_partial(text[i:]) == whole.is_partial(text[i:])
        assert stream_all(r, chunked(text, sizes)) == whole.replace(text)
    finally:
        restore._EXTRA_MIN, restore._BATCH = saved


def test_extending_leaves_the_earlier_replacer_as_it_was():
    r = Replacer({"Kelva": "Veltrix"})
    r2 = r.extended({"Orbis": "Tandem"})
    assert r.replace("Kelva Orbis") == "Veltrix Orbis"
    assert r2.replace("Kelva Orbis") == "Veltrix Tandem"
    assert r2.extended({"Kelva": "Quill"}).replace("Kelva Orbis") == "Quill Tandem"
