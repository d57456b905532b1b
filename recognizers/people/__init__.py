"""People's names in prompts about code: ``PERSON`` findings that span exactly the name.

Every run of capitalised words (``Sanjay Iyer``, ``Jürgen Weiß``, ``Siobhan O'Connell-McBride``,
``Ludwig van Beethoven``; CJK names after a label: ``作者: 王伟``) is a candidate. Its context
sets how much evidence the words themselves must bring:

* **strong**: a label (``Maintainer:``, ``Author:``, ``@author``, ``Owner:``, ``Contact:``,
  ``Reviewed-by:``, ``Signed-off-by:``, ``Co-authored-by:``, ``cc:``, ``Autor:``, ``作者:`` ...
  and the later names of its list), ``Name <email>`` / ``Name (email)`` (git log, package.json,
  ``LABEL maintainer=``), git blame ``(Name 2024-05-21 40)``, person keys (``full_name =``,
  ``"customer":``, ``author=``, ``<developer><name>``, ``authors = ["..", ".."]``), a YAML list
  under ``reviewers:`` / ``owners:``, greetings (``Hi Priya,``) and sign-offs (``— Tomás``, a
  name alone on the line after ``Thanks,``);
* **personal**: ``cc`` / ``thanks`` / ``ask`` / ``ping`` / ``thread with`` / ``reviewed by`` /
  ``ticket from`` ... before it, ``says`` / ``suggested`` / ``wants`` / ``thinks`` after it,
  ``Kenji's PR``, ``TODO(Name)``, ``user=Name`` in a log, ``I'm Name``, a timestamped chat line,
  an e-mail address nearby whose local part spells it (``("Chidi Okeke", "chidi.okeke@..")``,
  ``('rgallagher@..', 'Ruairi Gallagher')``);
* **medium**: shapes of data: the generic ``name`` key, a git log or shortlog line, ``Copyright
  2019 Name``, a field of a delimited row that also holds an e-mail address or a phone number
  (``WB-1|Svetlana Orlova|+44 7700 900354``), a string literal that is only a name (a fixture:
  ``PaymentRequest("Ezequiel Navarro", ...)``);
* **none**.

Other languages bring their own contexts (labels of tickets and minutes, titles such as ``Herr``,
``г-н``, ``doña``, ``Bey``, thanks, "reported by" and past tenses), surnames in capitals
(``ZHANG Xiulan``: judged as ``Zhang Xiulan``), Latin names that run into CJK text without a
space (``SHAO Xiulan说``), and a known first and last name in a sentence of another language,
where an English word is no word (``Ana Dias corrigiu``).

Words are judged with Faker's first- and last-name lists (all locales, with their romanized and
transliterated forms: :mod:`recognizers.people.romanize`) as evidence of a name,
English (words both GCIDE and Webster's list in lower case) and programming vocabulary, known
APIs (:func:`recognizers.code.vocabulary.is_public_name`) and tool names as evidence against,
org words (``Team``, ``Inc``, ``Service``), months and weekdays as vetoes. Code-like text (``_``,
dots, digits, camelCase, all caps) is never a name. A strong context takes any name-like word; a
personal one takes a single word that is no common word, or two words that look like a first
and a last name; a medium one only the latter; no context only a known first name followed by
a surname that is no English word (``card on file for Florian Rieger``). A lone word is never
taken without a personal or strong context.

**spaCy NER** (the Presidio analyzer of :mod:`recognizers.ner`) decides the candidates left
that are still plausible two-word names with a known first or last name in them (``The refund
for Jasper Kowalczyk``): only over prose sentences, comments and string literals (found with
:class:`~recognizers.context.DetectionContext`'s segments and lexed tokens), never over code
tokens, and only where such a candidate is; so most prompts never reach the model.

Once a name is found anywhere in a request (``analyze_request``), every occurrence of it in every
text is reported, and so is each part of it (``Tariq`` of ``Tariq Qureshi``) where it stands
alone and capitalised: everywhere when the part is no English word, only in a personal context
(``Park says``) when it is one. Escapes of JSON strings (tool-call arguments) are read as the
characters they stand for, with offsets unchanged.
"""

from __future__ import annotations

import bisect
import re as stdre
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import regex as re

from recognizers.base import PII, Finding, Recognizer
from recognizers.budget import check
from recognizers.context import DetectionContext
from recognizers.function_words import other_language
from recognizers.ner import DEFAULT_SPACY_MODEL, NerBackend, build_analyzer
from recognizers.people.contexts import LABEL_RE, chat_context, context, person_context
from recognizers.people.inverted import inverted_names
from recognizers.people.lexicon import (
    LEADERS,
    TYPEFACE,
    first_names,
    last_names,
    post_nominal,
    reliable_first_names,
    word_facts,
)
from recognizers.people.ner_pass import ner_pass
from recognizers.people.occurrences import occurrences, present
from recognizers.people.openers import cyrillic_openers
from recognizers.people.scripts import HAS_UNCASED_RE, script_names
from recognizers.people.shapes import (
    AFTER,
    CAPS_NAME_RE,
    CJK_NAME_RE,
    CODE_LIKE_RE,
    HAS_CJK_RE,
    INITIALS_RE,
    MC_RE,
    MEDIUM,
    NAME_RE,
    NAME_SRC,
    PERSONAL,
    SCORES,
    STRONG,
    WEAK,
    WORD_RE,
    Cand,
    could_hold_name,
)
from recognizers.people.tables import keyed_columns, person_header, tables
from recognizers.phrases import Phrases
from recognizers.terms import TermRecognizer

if TYPE_CHECKING:
    from presidio_analyzer import AnalyzerEngine

__all__ = ["PersonRecognizer", "first_names", "last_names"]

PERSON = "PERSON"


# per slot: the (start, end, strength) spans of the names accepted there, and those names
_Evidence = tuple[tuple[tuple[int, int, int], ...], dict[str, int]]


class PersonRecognizer(Recognizer):
    """Finds ``PERSON`` names in prose, comments, string literals, logs and VCS output."""

    name = "people"
    category = PII

    def __init__(
        self,
        analyzer: AnalyzerEngine | None = None,
        spacy_model: str = DEFAULT_SPACY_MODEL,
        *,
        use_ner: bool = True,
        terms: Iterable[str] | TermRecognizer = (),
    ) -> None:
        """``analyzer``: a Presidio analyzer to take NER from (default: ``build_analyzer(
        spacy_model)``, shared per model); ``use_ner=False`` runs the context rules alone;
        ``terms``: the policy's company names and codenames, never taken for a name (or the
        veil's :class:`TermRecognizer` of them, whose automaton is then shared)."""
        self._words = word_facts()
        self._forms_memo: dict[str, tuple[tuple[str, bool], ...]] = {}
        self._ner: NerBackend | None = None
        if use_ner:
            self._ner = NerBackend(
                analyzer if analyzer is not None else build_analyzer(spacy_model)
            )
        # The term recognizer's automaton, shared (a policy may list 100,000 terms); a term of
        # separators only is no term to it, and is looked for here.
        self._terms = terms if isinstance(terms, TermRecognizer) else TermRecognizer(terms)
        self._odd_terms = Phrases(
            (t.strip() for t in self._terms.separators_only), rule=_literal)

    def preload(self) -> None:
        """Load the word lists now instead of on the first request (NER loads in __init__)."""
        self._words.flags("Preload")

    # ---- public API -------------------------------------------------------------------------

    def analyze(self, ctx: DetectionContext | str) -> list[Finding]:
        return self.analyze_request([ctx])[0]

    def evidence(self, ctxs: Sequence[DetectionContext]) -> list[_Evidence]:
        """Per slot: the names accepted there (by context, or by NER for the doubtful ones)."""
        # the contexts read with JSON escapes opened, offsets unchanged
        views = [c.unescaped for c in ctxs]
        direct: list[list[tuple[int, int, int]]] = []
        pending: list[tuple[int, Cand]] = []  # candidates for the NER pass
        for i, view in enumerate(views):
            text = view.text
            spans: list[tuple[int, int, int]] = []
            if text and could_hold_name(text):
                for cand in self._candidates(text):
                    check()
                    verdict = self._judge(text, cand)
                    if verdict is True:
                        spans.append((cand.start, cand.end, cand.strength))
                    elif verdict is None:
                        pending.append((i, cand))
            if text and HAS_UNCASED_RE.search(text):
                spans += _script_spans(text)
            if text:
                spans += self._lower_names(text, spans)
                spans += inverted_names(text)  # "Doe, Jane" <jdoe@..>, CN=Doe\, Jane
                if "\n" in text or '"' in text or "'" in text:
                    spans += self._column_names(text, spans)
            direct.append(spans)
        if pending and self._ner is not None:
            # one NER batch over every slot's doubtful candidates
            for i, cand, strength in ner_pass(self._ner, views, pending):
                direct[i].append((cand.start, cand.end, strength))
        out: list[_Evidence] = []
        for view, spans in zip(views, direct, strict=True):
            names: dict[str, int] = {}
            for s, e, strength in spans:
                value = view.text[s:e]
                names[value] = max(names.get(value, 0), strength)
            out.append((tuple(spans), names))
        return out

    def combine(
        self, evidence: Sequence[_Evidence], targets: Sequence[tuple[int, DetectionContext]]
    ) -> list[list[Finding]]:
        """A name accepted in any slot is reported in every target slot."""
        names: dict[str, int] = {}
        for _spans, found in evidence:
            for value, strength in found.items():
                names[value] = max(names.get(value, 0), strength)
        texts = [ctx.unescaped.text for _, ctx in targets]
        spread = self._spread(texts, names) if names else [[] for _ in texts]
        return [
            self._resolve([*evidence[i][0], *more])
            for (i, _), more in zip(targets, spread, strict=True)
        ]

    # ---- candidates and their contexts ------------------------------------------------------

    def _candidates(self, text: str) -> Iterable[Cand]:
        hopeless = self._hopeless
        for m in NAME_RE.finditer(text):
            if hopeless(m.group(1)) or _typeface(text, m.start(1), m.end(1)):
                continue
            s, e = self._trim(text, *m.span(1), leaders_only=True)
            if s >= e:
                continue
            cand = context(text, s, e)
            if cand.strength < STRONG:
                # not at a label or an address: drop sentence openers ("Yesterday Ifeoma")
                s2, e2 = self._trim(text, s, e, leaders_only=False)
                if s2 >= e2:
                    continue
                if (s2, e2) != (s, e):
                    cand = context(text, s2, e2)
            yield cand
        yield from self._caps_candidates(text)
        if "@" in text:  # a mention by display name, as chat clients paste it: "@Jane Doe"
            for m in _AT_NAME_RE.finditer(text):
                if " " in m.group(1) or "\u00a0" in m.group(1):
                    yield Cand(m.start(1), m.end(1), PERSONAL)
        if HAS_CJK_RE.search(text):  # CJK names only right after a label
            for m in LABEL_RE.finditer(text):
                c = CJK_NAME_RE.match(text, m.end())
                if c:
                    yield Cand(c.start(), c.end(), STRONG)

    def _caps_candidates(self, text: str) -> Iterable[Cand]:
        """A surname in capitals beside a given name (``ZHANG Xiulan``, ``Jean DUPONT``), judged
        as the name written in the usual case."""
        done = -1
        n = len(text)
        for m in _CAPS_RUN_RE.finditer(text):  # the lines worth the full pattern
            start, end = m.span()
            if start < done:
                continue
            if not (end + 2 < n and text[end] in " \u00a0" and text[end + 1].isupper()
                    and text[end + 2].islower()) and not (
                    start > 1 and text[start - 1] in " \u00a0" and text[start - 2].islower()):
                continue
            # the name around the run: a window of its line, not the whole line
            ls = max(text.rfind("\n", 0, start) + 1, start - 64)
            le = text.find("\n", end, end + 96)
            done = le = min(n, end + 96) if le < 0 else le
            yield from self._caps_in(text, ls, le)

    def _caps_in(self, text: str, ls: int, le: int) -> Iterable[Cand]:
        W = self._words
        for m in CAPS_NAME_RE.finditer(text, ls, le):
            words = m.group(1).split()
            caps = [w for w in words if w.isupper()]
            if len(caps) != 1:
                continue
            # a known surname, or a known first name beside it (INOUE Hideki): not SQL Server
            if not W.flags(caps[0].title()) & W.L and not any(
                    W.flags(w) & W.FR for w in words if not w.isupper()):
                continue
            value = " ".join(w.title() if w.isupper() else w for w in words)
            s, e = m.span(1)
            cand = context(text, s, e)
            # the capitals are a convention of names (forms, passports): a shape of data at least
            yield cand._replace(value=value, strength=max(cand.strength, MEDIUM))

    def _lower_names(self, text: str, found: list[tuple[int, int, int]]
                     ) -> list[tuple[int, int, int]]:
        """First names alone in chat-style prose, in lower case (``ask priya``, ``tomasz
        agreed``, ``thanks kenji``) or capitalised (``Kasimir will handle it``, ``waiting on
        Ilse``): a reliable first name that is no English, programming or tool word, in a
        personal phrase only."""
        # the few words of the text that are such names, found with set operations (a regex
        # over every word of 20 KB costs milliseconds)
        low = text.lower()
        words = {w.strip(_PUNCT) for w in low.split()}  # capitalised ones too
        names = reliable_first_names()
        hits = set(names.intersection(words))
        if "'s" in low or "’s" in low:
            hits.update(names.intersection(w[:-2] for w in words if w.endswith(("'s", "’s"))))
        out = []
        for name in hits:
            # each part of it in either case (Ralf-Peter, ralf-peter)
            spelled = "-".join("[" + p[0].upper() + p[0] + "]" + p[1:] for p in name.split("-"))
            for m in re.finditer(r"(?<![\w@#$./\\-])" + spelled
                                 + r"(?![\w@(/\\-]|\.\w)", text):
                caps = text[m.start()].isupper()
                if caps and any(a <= m.start() and m.end() <= b for a, b, _ in found):
                    continue  # part of a name found already ("Ingrid Lindqvist")
                # capitalised, it may also stand in a chat's looser phrases ("waiting on Ilse")
                if person_context(text, m.start(), m.end()) or (
                        caps and chat_context(text, m.start(), m.end())):
                    out.append((m.start(), m.end(), PERSONAL))
        if _HAS_CYRILLIC_RE.search(text):
            out += cyrillic_openers(text, words, PERSONAL)
        return out

    def _column_names(self, text: str, found: list[tuple[int, int, int]]
                      ) -> list[tuple[int, int, int]]:
        """Names in table columns (:mod:`recognizers.people.tables`): under a header that names
        people, each cell judged as data shaped like a name; in a column most of whose cells
        are names already, every other cell that has a name's shape."""
        out: list[tuple[int, int, int]] = []
        columns: list[tuple[bool, list[tuple[int, int]]]] = []
        for rows in tables(text) if "\n" in text else ():
            for c in range(len(rows[0])):
                col = [r[c] for r in rows if c < len(r)]
                if person_header(text[col[0][0]:col[0][1]]):
                    columns.append((True, col[1:]))
                else:
                    columns.append((False, col))
        if "'" in text or '"' in text:
            # the values of a recurring key: only by their peers (a "name" key is a context of
            # its own already)
            columns += [(False, cells) for cells in keyed_columns(text)]
        spans = sorted((s, e) for s, e, _ in found)
        starts = [s for s, _ in spans]
        for by_header, body in columns:
            if not body:
                continue
            # the cells a finding covers most of (findings by start: a cell looks at its own)
            named = set()
            for cell in body:
                k = bisect.bisect_left(starts, cell[0])
                while k < len(spans) and spans[k][0] < cell[1]:
                    s, e = spans[k]
                    if e <= cell[1] and 2 * (e - s) > cell[1] - cell[0]:
                        named.add(cell)
                        break
                    k += 1
            by_peers = len(named) >= 2 and 2 * len(named) >= len(body)
            if not (by_header or by_peers):
                continue
            for s, e in body:
                if (s, e) in named or s >= e or not NAME_RE.fullmatch(text, s, e):
                    continue
                value = text[s:e]
                peer = by_peers and not self._hopeless(value) and not CODE_LIKE_RE.search(
                    MC_RE.sub("", INITIALS_RE.sub("", value)))
                if peer or (by_header and self._judge(text, Cand(s, e, MEDIUM)) is True):
                    out.append((s, e, MEDIUM))
        return out

    def _hopeless(self, value: str) -> bool:
        """No context could make a name of it: every word is common and none is a known name
        (``The``, ``Exception``, ``Thanks``, ``Hope This Helps``). Checked before any context."""
        if post_nominal(value):
            return True  # "B.Sc" of "Harro Graf B.Sc.": a degree after the name
        W = self._words
        for w in WORD_RE.findall(value):
            f = W.flags(w)
            if f & (W.F | W.L) or not W.common(w):
                return False
        return True

    def _trim(self, text: str, s: int, e: int, leaders_only: bool) -> tuple[int, int]:
        """Drop words that open a sentence (``Thanks``, ``See``, ``Please``; with
        ``leaders_only=False`` any common word without a name's evidence: ``Yesterday``,
        ``Create``) before a name, and org or calendar words after it."""
        W = self._words
        parts = [m.span() for m in WORD_RE.finditer(text, s, e)]
        first = parts[0] if parts else None
        while parts:
            w = text[parts[0][0]:parts[0][1]]
            f = W.flags(w)
            if (w.lower() in LEADERS and not f & W.FR) or (
                not leaders_only and len(parts) > 1 and W.common(w) and not f & (W.F | W.L)
            ):
                parts.pop(0)
            else:
                break
        while len(parts) > 1 and (W.flags(text[parts[-1][0]:parts[-1][1]]) & W.STOP
                                  or text[parts[-1][0]:parts[-1][1]] in _TITLES_AFTER):
            parts.pop()
        if not parts:
            return s, s
        # leading initials stay with the name when no word before them went ("J. R. Smith");
        # a lone "M." is the French title (Monsieur)
        keep = parts[0] == first and text[s:parts[0][0]].strip() != "M."
        return (s if keep else parts[0][0]), parts[-1][1]


    def _judge(self, text: str, cand: Cand) -> bool | None:
        """True: a name. False: not one. None: plausible; NER decides."""
        value = cand.value or text[cand.start:cand.end]
        if CJK_NAME_RE.fullmatch(value):
            return cand.strength == STRONG
        if CODE_LIKE_RE.search(MC_RE.sub("", INITIALS_RE.sub("", value))):
            return False
        if self._terms.literal_in(value, _literal) or self._odd_terms.search(value):
            return False  # a company term or codename of the policy
        words = WORD_RE.findall(value)
        if not words:
            return False
        W = self._words
        flags = [W.flags(w) for w in words]
        strength = cand.strength
        if any(f & W.STOP for f in flags):
            return False
        if len(words) == 1:
            w, f = words[0], flags[0]
            if f & W.P:
                return False
            if strength == STRONG:
                return not W.common(w) or bool(f & W.F)
            if strength == PERSONAL:
                return not W.common(w)
            if INITIALS_RE.match(value):  # "R. K. Contrafatto": the initials stand for names
                surname = bool(f & W.LR and not f & (W.D | W.PLACE)) or W.unknown(w)
                if strength >= MEDIUM:
                    return surname
                return None if surname else False  # NER decides
            if cand.row:  # one field of a record with a phone or an address: a first name
                return bool(f & W.FR) and not f & (W.D | W.PLACE | W.CAL)
            return False  # a lone word needs a context: NER alone is not enough
        if strength == STRONG:  # any word with a name's evidence
            return any(f & (W.F | W.L) or W.unknown(w) for w, f in zip(words, flags, strict=True))
        if all(f & W.P for f in flags):
            return False
        first, last = words[0], words[-1]
        ff, fl = flags[0], flags[-1]
        first_ok = bool(ff & W.FR and not ff & W.P) or W.unknown(first)
        if ff & W.PLACE and strength == WEAK:
            first_ok = False  # "Santa Clara", "Austin Texas": a place unless NER says otherwise
        last_sure = bool(fl & W.LR and not fl & W.PLACE) or W.unknown(last)
        last_maybe = bool(fl & (W.L | W.F)) and not fl & W.P
        if first_ok:
            if strength >= MEDIUM and last_sure:
                return True
            if strength >= MEDIUM and last_maybe and ff & W.FR and not ff & W.D:
                return True  # "François Mace": a sure first name
            if strength == PERSONAL and last_maybe:
                return True
            # no context: a known first name that is no English word, then a surname that
            # is none either
            if ff & W.FR and not ff & (W.P | W.D | W.PLACE) and W.unknown(last):
                return True
        if strength >= PERSONAL and ff & W.FR and fl & W.LR and not fl & (W.P | W.D | W.PLACE):
            return True  # "aberto por Julia Machado": a first name that also names a tool
        if strength >= PERSONAL and ff & W.F and not ff & W.P and (
                last_sure or fl & W.L) and (ff & W.FR or not fl & W.P):
            # "call Undine Gertz", "ask Constance Junk": in a person's context, a first and a
            # last name of the lexicon, though each is also an English word
            return True
        if strength >= MEDIUM and len(words) == 2 and ff & W.LR and fl & W.FR and \
                not (ff | fl) & (W.P | W.PLACE) and not (ff & W.D and fl & W.D):
            return True  # surname first (Nguyễn Jane, Kovács Anna, Tanaka Yuki)
        if len(words) == 2 and ff & W.LR and fl & W.FR and not (ff | fl) & (
                W.P | W.PLACE | W.D | W.CAL):
            return True  # the same without a context, where neither is an English word (Choi Yejun)
        if len(words) == 2 and ff & W.FR and fl & W.LR and not fl & (W.D | W.P | W.PLACE) \
                and not (ff | fl) & (W.STOP | W.CAL) and _in_other_language(text, cand):
            return True  # an English word is no word in "Ana Dias corrigiu o bug ontem"
        # NER decides only where some word is a known name: two coined words side by side
        # are a company and its product far more often than a person
        if (first_ok or ff & W.FR) and (last_sure or last_maybe) and (ff & W.F or fl & W.L):
            return None
        return False

    # ---- NER --------------------------------------------------------------------------------


    def _spread(
        self, texts: Sequence[str], names: dict[str, int]
    ) -> list[list[tuple[int, int, int]]]:
        """Every occurrence of every found name, and of its parts, in all the texts."""
        free: dict[str, int] = {}  # reported wherever it stands
        guarded: dict[str, int] = {}  # reported in a person context only
        for value, strength in names.items():
            for part, is_guarded in self._forms(value):
                into = guarded if is_guarded else free
                into[part] = max(into.get(part, 0), strength)
        for part in [p for p in guarded if p in free]:
            del guarded[part]
        # only the names that occur at all: a conversation's names change from turn to turn,
        # the few in its new message much less (and a smaller alternation compiles faster)
        found = present("\x00".join(texts), (*free, *guarded))
        free = {v: s for v, s in free.items() if v in found}
        guarded = {v: s for v, s in guarded.items() if v in found}
        out: list[list[tuple[int, int, int]]] = []
        for text in texts:
            spans = occurrences(text, free)
            spans += [(s, e, k) for s, e, k in occurrences(text, guarded)
                      if person_context(text, s, e)]
            out.append(spans)
        return out

    def _forms(self, value: str) -> tuple[tuple[str, bool], ...]:
        """A found name and the parts of it found on their own: (text, only in a person's
        context). Memoized: a conversation's names come back on every turn."""
        forms = self._forms_memo.get(value)
        if forms is not None:
            return forms
        W = self._words
        words = [] if CJK_NAME_RE.fullmatch(value) else WORD_RE.findall(value)
        out = [(value, len(words) == 1 and bool(W.flags(words[0]) & W.D))]  # "Grace", "Mark"
        if _HANGUL_NAME_RE.fullmatch(value):
            out.append((value[1:], True))  # 윤성수 goes by 성수 (님, 씨) among colleagues
        if len(words) >= 2:
            for part in words:
                f = W.flags(part)
                if len(part) < 2 or f & (W.P | W.STOP) or (len(part) < 3 and not f & W.LR):
                    continue
                out.append((part, bool(f & W.D)))
        forms = tuple(out)
        if len(self._forms_memo) > 65536:
            self._forms_memo.clear()
        self._forms_memo[value] = forms
        return forms

    # ---- overlaps -----------------------------------------------------------------------------

    def _resolve(self, spans: list[tuple[int, int, int]]) -> list[Finding]:
        if not spans:
            return []
        ordered = sorted(set(spans), key=lambda s: (s[0] - s[1], -s[2], s[0]))
        starts: list[int] = []
        kept: list[tuple[int, int, int]] = []
        for span in ordered:
            s, e, _ = span
            i = bisect.bisect_left(starts, s)
            if (i and kept[i - 1][1] > s) or (i < len(kept) and kept[i][0] < e):
                continue
            starts.insert(i, s)
            kept.insert(i, span)
        return [Finding(s, e, PERSON, PII, self.name, SCORES[k]) for s, e, k in kept]



_PUNCT = ".,;:!?()[]{}<>\"'`*_~"
_HAS_CYRILLIC_RE = stdre.compile("[\u0400-\u04ff]")
# a Korean name of three syllables: a one-syllable surname and a two-syllable given name
_HANGUL_NAME_RE = re.compile(r"[\uac00-\ud7a3]{3}")
# titles written after the name (Turkish): "Emre Bey", "Ayşe Hanım" name Emre and Ayşe
_TITLES_AFTER = frozenset({"Bey", "Hanım", "Hanim", "Hoca", "Beyefendi", "Hanımefendi"})


# a run of capitals (the standard library's scan skips fast over a narrow class); a surname in
# capitals is one beside a capitalised word or after a lower-case one (ZHANG Xiulan, Jean DUPONT)
_CAPS_RUN_RE = stdre.compile("[A-ZÀ-ÖØ-ÞА-ЯЁ]{2,}")


def _script_spans(text: str) -> list[tuple[int, int, int]]:
    """Names in scripts without letter case: a first and a last name anywhere, a lone known
    name in a person's context (``Maintainer: रवि``, ``TODO(민준)``)."""
    lone: list[tuple[int, int]] = []
    spans = [(s, e, PERSONAL) for s, e in script_names(text, lone)]
    for s, e in lone:
        strength = context(text, s, e).strength
        if strength >= PERSONAL:
            spans.append((s, e, strength))
    return spans


def _in_other_language(text: str, cand: Cand) -> bool:
    """The text around the candidate is written in a Latin-script language other than
    English."""
    return other_language(text[max(0, cand.start - 300):cand.end + 300])


@lru_cache(maxsize=8192)
def _literal(term: str) -> re.Pattern[str]:
    """A term in any case as ``regex`` reads it (unlike ``re``, İ and ı are not i to it)."""
    return re.compile(r"(?i:" + re.escape(term) + r")")


_NEXT_WORD = re.compile(r"[ \t]+([A-Za-z]+)")


def _typeface(text: str, start: int, end: int) -> bool:
    """A typeface's name ("Hedvig Letters Sans", "Rethink Sans" in a font list), not a person's:
    a word of it, or the word right after it, says so."""
    after = _NEXT_WORD.match(text, end)
    words = [*WORD_RE.findall(text, start, end), *(after.groups() if after else ())]
    return any(w.lower() in TYPEFACE for w in words)


_AT_NAME_RE = re.compile(r"(?<![\w.@])@(" + NAME_SRC + r")" + AFTER)


