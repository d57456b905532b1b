"""Policy lists compiled into automata find what the regexes they replace found.

The references below are the regex implementations the automata replaced (terms, deny lists,
allow lists): every case compares the two, on tricky inputs and on generated ones.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from proxy.evaluation.bench_policy import codenames
from proxy.policy import Policy
from proxy.veil.engine import Veil, _allowed_at
from recognizers.custom import CustomRecognizer
from recognizers.identifiers.scan import Internal, Words
from recognizers.people import PersonRecognizer
from recognizers.phrases import Phrases, fold
from recognizers.terms import TermRecognizer, term_pattern


class OldTerms:
    """The regex alternation TermRecognizer was (terms in its order, so ties agree)."""

    def __init__(self, terms: list[str], domains: list[str]) -> None:
        self.terms = TermRecognizer(terms).terms
        self.domains = sorted({d.strip(".") for d in domains if d.strip(".")}, key=len,
                              reverse=True)
        parts = [f"(?P<d{i}>{re.escape(d)})" for i, d in enumerate(self.domains)]
        parts += [f"(?P<t{i}>{term_pattern(t)})" for i, t in enumerate(self.terms)]
        self.re = re.compile("|".join(parts), re.IGNORECASE) if parts else None
        self.terms_re = (re.compile("|".join(term_pattern(t) for t in self.terms),
                                    re.IGNORECASE) if self.terms else None)

    def analyze(self, text: str) -> list[tuple[int, int, str]]:
        out: list[tuple[int, int, str]] = []
        for m in self.re.finditer(text) if self.re else ():
            if (m.lastgroup or "").startswith("d"):
                out.append((m.start(), m.end(), "INTERNAL_DOMAIN"))
                for t in self.terms_re.finditer(text, m.start(), m.end()) if self.terms_re else ():
                    out.append((t.start(), t.end(), "TERM"))
            else:
                out.append((m.start(), m.end(), "TERM"))
        return out

    def canonical_term(self, occurrence: str) -> str | None:
        for t in self.terms:
            if re.fullmatch(term_pattern(t), occurrence, re.IGNORECASE):
                return t
        return None


def new(rec: TermRecognizer, text: str) -> list[tuple[int, int, str]]:
    return [(f.start, f.end, f.type) for f in rec.analyze(text)]


WORDS_40 = [f"{b}{i}" for b in ("Wren", "Finch", "Kestrel", "Heron") for i in range(10)]
WORDS_40[0], WORDS_40[10], WORDS_40[20] = "Wren", "Finch", "Kestrel"
TRICKY = [
    # multi-word terms with mixed separators, joined, camel case, in identifiers
    (["Blue Harbor", "Veltrix"], [],
     "blue harbor BlueHarbor blue_harbor BLUE-HARBOR blue.harbor blue\tharbor blue  harbor "
     "VeltrixBlueHarborClient veltrix_blue-harbor_sync VELTRIX_URL veltrix2 xveltrixx"),
    (["Red Sky Ops", "sky ops", "Ops"], [], "RedSkyOps red-sky_ops red sky.ops sky-ops OPS ops."),
    # overlapping terms: the longer wins at a start, the next starts after it
    (["Orvanta", "Orvanta Sync", "anta", "Sync Labs"], [],
     "orvanta sync labs OrvantaSyncLabs orvantasync anta-sync syncLabs"),
    # a term inside a domain is reported too; a domain wins at its start
    (["Brenmoor", "corp"], ["corp.brenmoor.internal", "brenmoor.net"],
     "db.corp.brenmoor.internal api.brenmoor.net Brenmoor BRENMOOR.NET corp.brenmoor.netx"),
    # unicode case: dotted and dotless i, long s, final sigma, sharp s, Kelvin sign
    (["İstanbul Ops", "Straße", "Σίσυφος", "kelvin", "mission"], [],
     "istanbul-ops İSTANBUL_OPS ıstanbul ops STRASSE straße STRAẞE σίσυφοσ ΣΊΣΥΦΟΣ "
     "\u212aelvin ſtraße miſſion MİSSİON"),
    # separators only, term with its own separators, leading/trailing spaces
    (["--", " Kelbrook Freight ", "acme.io", "x_y"], ["acme.io"],
     "kelbrook freight KelbrookFreight ACME.IO acme-io acmeio x-y xy x__y"),
    # a domain wins over a longer term at its start
    (["Acme Io Team", "team"], ["acme.io"], "ACME.IO team, acme io team, acmeioteam"),
    # many terms of one prefix (looked up by whole key)
    ([f"Project {w}" for w in WORDS_40] + ["Projectile"], [],
     "project_wren PROJECT-FINCH projectile projectw projectkestrel10 Project  Kestrel"),
]


def test_tricky_cases_find_what_the_regexes_found() -> None:
    for terms, domains, text in TRICKY:
        old, rec = OldTerms(terms, domains), TermRecognizer(terms, domains)
        expected = old.analyze(text)
        assert new(rec, text) == [f for f in expected if f[0] < f[1]], (terms, text)
        assert new(rec, text) == reference(terms, domains, text)
        for s, e, kind in expected:
            if kind == "TERM" and s < e:
                assert rec.canonical_term(text[s:e]) == old.canonical_term(text[s:e])


def test_a_shorter_match_of_a_longer_spelling_gives_way_to_the_longest_match() -> None:
    # The alternation tried terms by spelling length, so "a b c d" (7 characters) matched
    # "abcd" of "abcdef" and left "ef"; the automaton keeps the longest match.
    rec = TermRecognizer(["Ka Lo Mi Ru", "kalomirus"])
    assert new(rec, "x KALOMIRUS y") == [(2, 11, "TERM")]


# few words, so terms overlap and share starts often; Greek, dotted I and sharp s for case
WORDS = ["ka", "lo", "rix", "Σος", "İn", "ß"]
SEPS = ["", " ", "_", "-", ".", "  ", "/", "x"]


def reference(terms: list[str], domains: list[str], text: str) -> list[tuple[int, int, str]]:
    """The rule by definition, one start at a time: a domain (the longest) wins at its start
    and the terms inside it are reported too; else the longest term match starts there."""
    term_rx = [re.compile(term_pattern(t), re.IGNORECASE) for t in terms if term_pattern(t)]
    domain_rx = [re.compile(re.escape(d), re.IGNORECASE) for d in domains]

    def longest(rxs: list[re.Pattern[str]], p: int, end: int) -> int | None:
        return max((m.end() for rx in rxs if (m := rx.match(text, p, end))), default=None)

    out: list[tuple[int, int, str]] = []
    pos = 0
    for p in range(len(text)):
        if p < pos:
            continue
        d = longest(domain_rx, p, len(text))
        if d is not None:
            out.append((p, d, "INTERNAL_DOMAIN"))
            inner = p
            for q in range(p, d):
                t = longest(term_rx, q, d) if q >= inner else None
                if t is not None:
                    out.append((q, t, "TERM"))
                    inner = t
            pos = d
        elif (t := longest(term_rx, p, len(text))) is not None:
            out.append((p, t, "TERM"))
            pos = t
    return out


@settings(max_examples=150, deadline=None)
@given(
    terms=st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join),
                   min_size=1, max_size=6),
    pieces=st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPS)), max_size=12),
    upper=st.booleans(),
)
def test_generated_texts_find_the_longest_match_at_each_start(terms, pieces, upper) -> None:
    text = "".join(w + s for w, s in pieces)
    text = text.upper() if upper else text
    old, rec = OldTerms(terms, ["rix.ka"]), TermRecognizer(terms, ["rix.ka"])
    assert new(rec, text) == reference(terms, ["rix.ka"], text)
    for s, e, kind in new(rec, text):
        if kind == "TERM":
            assert rec.canonical_term(text[s:e]) == old.canonical_term(text[s:e])


def test_fold_joins_every_character_re_takes_for_another() -> None:
    # A character re.IGNORECASE matches to another must fold alike, or the automaton would
    # miss an occurrence the regex found (the check after it drops anything it should not).
    cased = [chr(i) for i in range(0x20000)
             if not 0xD800 <= i < 0xE000 and (chr(i).lower() != chr(i) or chr(i).upper() != chr(i))]
    blob = "".join(cased)
    assert len(fold(blob)) == len(blob)
    for c in cased:
        for d in re.findall(re.escape(c), blob, re.IGNORECASE):
            assert fold(d) == fold(c), (c, d)


def old_deny(values: list[str], ignore_case: bool, text: str) -> list[tuple[int, int]]:
    deny = sorted({w for w in values if w.strip()}, key=len, reverse=True)
    rx = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in deny) + r")(?!\w)",
                    re.IGNORECASE if ignore_case else 0)
    return [m.span() for m in rx.finditer(text)]


def test_deny_lists_find_what_the_regex_found() -> None:
    values = ["Project X", "project", "C++", "#ops", "ops", "Ærø", "x y", "ÆRØ base"]
    text = ("project x, Project X1, PROJECT-X, c++ and C++11, #ops ops#ops, ærø, xops, "
            "x y z, ÆRØ BASE, projectx")
    for ignore_case in (True, False):
        rec = CustomRecognizer({"name": "d", "type": "CODENAME", "category": "term",
                                "deny_list": values, "ignore_case": ignore_case})
        got = [(f.start, f.end) for f in rec.analyze(text)]
        assert got == old_deny(values, ignore_case, text)
        assert got  # the list is found at all


def old_allowed_at(allow: frozenset[str], text: str, start: int, end: int) -> bool:
    for phrase in allow:
        n = len(phrase)
        if n < end - start:
            continue
        pos = text.find(phrase, max(0, end - n), start + n)
        while pos != -1 and pos <= start:
            if pos + n >= end:
                return True
            pos = text.find(phrase, pos + 1, start + n)
    return False


@settings(max_examples=100, deadline=None)
@given(
    allow=st.frozensets(st.text("abc ", min_size=1, max_size=4), min_size=1, max_size=6),
    text=st.text("abc ", max_size=20),
    span=st.tuples(st.integers(0, 20), st.integers(0, 6)),
)
def test_allow_lists_cover_what_the_loop_covered(allow, text, span) -> None:
    start = min(span[0], len(text))
    end = min(start + span[1], len(text))
    assert _allowed_at(allow, text, start, end) == old_allowed_at(allow, text, start, end)


def test_phrases_in_any_case_or_as_written() -> None:
    p = Phrases(["Veltrix", "VELTRIX ops", "ß"])
    assert p.find("a veltrix OPS b ẞ") == [(2, 13), (16, 17)]
    assert Phrases(["Veltrix"], ignore_case=False).find("veltrix Veltrix") == [(8, 15)]


def test_people_share_the_term_automaton_and_keep_literal_terms_out() -> None:
    terms = TermRecognizer(["Velmora Hask"])
    people = PersonRecognizer(use_ner=False, terms=terms)
    assert people._terms is terms
    text = "Reviewed by: Velmora Hask\nReviewed by: Dana Whitfield"
    names = {text[f.start:f.end] for f in people.analyze(text)}
    assert "Dana Whitfield" in names and not any("Velmora" in n for n in names)


def test_internal_packages_and_words_answer_as_the_set_and_prefixes_did() -> None:
    internal = Internal(words=Words(["veltrix", "haulwise"]), prefixes=("acme_", "@acme/", "a"))
    assert "veltrix" in internal.words and "haulwise" in internal.words
    assert "veltri" not in internal.words and 3 not in internal.words
    for module in ("acme_sdk", "@acme/ui", "acme", "b", "", "@acm"):
        assert internal.under_prefix(module) == module.startswith(internal.prefixes)
    assert not Words()


def test_a_policy_of_100000_terms_builds_and_finds_its_terms() -> None:
    terms = codenames(100_000)
    veil = Veil(Policy(terms=tuple(terms)), b"k" * 32)
    last, multi = terms[-1], next(t for t in reversed(terms) if " " in t)
    text = f"ping {last.upper()} about {multi.replace(' ', '_').lower()} today"
    (anon,), mapping = veil.anonymize([text])
    assert last.lower() not in anon.lower()
    assert multi.split()[0].lower() not in anon.lower()
    assert mapping.restore(anon) == text
