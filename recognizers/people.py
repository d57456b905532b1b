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

Words are judged with Faker's first- and last-name lists (all locales) as evidence of a name,
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
import importlib
import pkgutil
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from typing import TYPE_CHECKING, NamedTuple

import regex as re

from recognizers.base import PII, Finding, Recognizer
from recognizers.code.lexer import COMMENT, STRING
from recognizers.context import DetectionContext, as_context
from recognizers.ner import DEFAULT_SPACY_MODEL, NerBackend, build_analyzer
from recognizers.segment import CODE, DIFF, INLINE_CODE

if TYPE_CHECKING:
    from presidio_analyzer import AnalyzerEngine

__all__ = ["PersonRecognizer", "first_names", "last_names"]

PERSON = "PERSON"

# strengths of a context: none, a code or data shape (git log line, a row with a phone
# number, a string literal that is only a name), a personal phrase (``thanks X``, ``X says``),
# a label or an address that names its owner
WEAK, MEDIUM, PERSONAL, STRONG = 1, 2, 3, 4
_SCORES = {WEAK: 0.6, MEDIUM: 0.75, PERSONAL: 0.85, STRONG: 0.95}

# --------------------------------------------------------------------------------------------
# Word knowledge
# --------------------------------------------------------------------------------------------


def _ws(text: str) -> frozenset[str]:
    return frozenset(text.split())


@cache
def _faker_names() -> tuple[dict[str, int], dict[str, int]]:
    """First and last names of every Faker person locale, with the number of locales each
    appears in (a name that only one locale lists and that is also an English word is weak
    evidence: the ``en`` list holds ``Author``, ``Council``, ``Will``)."""
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    try:
        import faker.providers.person as person
    except ImportError:  # pragma: no cover - Faker is a declared dependency
        return first, last

    def add(into: dict[str, int], names: object, seen: set[str]) -> None:
        if isinstance(names, dict):  # weighted lists are (ordered) dicts
            names = list(names)
        if not isinstance(names, (list, tuple, set, frozenset)):
            return
        for n in names:
            if isinstance(n, str) and n not in seen:
                seen.add(n)
                into[n] = into.get(n, 0) + 1

    for mod in pkgutil.iter_modules(person.__path__):
        try:
            provider = importlib.import_module(f"{person.__name__}.{mod.name}").Provider
        except (ImportError, AttributeError):  # pragma: no cover
            continue
        seen_first: set[str] = set()
        seen_last: set[str] = set()
        for attr in ("first_names", "first_names_male", "first_names_female",
                     "first_names_nonbinary"):
            add(first, getattr(provider, attr, None), seen_first)
        for attr in ("last_names", "last_names_male", "last_names_female"):
            add(last, getattr(provider, attr, None), seen_last)
    return first, last


def first_names() -> frozenset[str]:
    return frozenset(_faker_names()[0])


def last_names() -> frozenset[str]:
    return frozenset(_faker_names()[1])


@cache
def _vocab() -> tuple[frozenset[str], frozenset[str]]:
    """(English words, programming vocabulary), lower case.

    The English words are those both GCIDE and Webster's Second list in lower case: either
    dictionary alone also holds rare and archaic entries that are common surnames and first
    names (``toft``, ``gorm``, ``freya``, ``arjun``, ``siering``)."""
    from recognizers.code.vocabulary import programming_words

    try:
        from english_words import get_english_words_set
    except ImportError:  # pragma: no cover - a declared dependency
        return frozenset(), programming_words()
    gcide = get_english_words_set(["gcide"], alpha=True, lower=True)
    web2 = {w for w in get_english_words_set(["web2"], alpha=True) if w.islower()}
    return frozenset(gcide & web2), programming_words()


# Tools, products, languages and platforms that look like names (many are first names too).
_TECH = _ws(
    """
    ada alexa alpine amazon android angular ansible apache apollo arch argo astro athena aurora
    azure babel backbone bamboo bazel bootstrap buildkite cassandra celery chrome chromium
    circle claude clojure codex copilot cortana crystal cypress dart dash debian deno django
    docker drone druid eclipse elastic elixir ember envoy erlang express falcon fastly fedora
    firebase firefox flask flink flutter gatsby gemini gentoo git github gitlab gradle grafana
    groovy hadoop harbor helm heroku hive hugo istio jasmine java jenkins jest jetty jira julia
    jupyter kafka karma keras kibana kotlin kubernetes laravel linear linux llama lua mac macos
    mariadb maven mercurial mint mistral mocha mongo mongodb nest netlify next nginx node nomad
    notion numpy nuxt okta oracle packer pandas pants pascal perl phoenix php pinot polars
    postgres postman presto prometheus pulsar puppeteer python rails ray react redis redshift
    remix ruby rust safari sentry siri slack solr spark spring svelte swift symfony tableau
    terraform thrift tomcat travis trino ubuntu vagrant vault vercel vim vite vue webpack
    windows xcode yarn zig zoom zookeeper
    """
)

# Words that make a sequence an organisation, a team, a place or a thing, never a person.
_ORG = _ws(
    """
    inc incorporated llc llp ltd limited gmbh ag sa sas sarl bv nv oy ab plc pty pvt corp
    corporation company co team teams group groups labs lab bot bots services service systems
    solutions technologies technology tech software hardware bank university college school
    institute foundation department dept support ops devops platform engineering security
    admin administrator project committee council board office agency ministry authority
    association club studio studios games health healthcare cloud data analytics payments
    logistics hospital clinic capital partners holdings ventures media network networks
    street avenue ave road rd lane drive boulevard blvd square plaza building floor suite
    center centre api sdk cli app apps server client service gateway proxy worker library
    framework engine console portal dashboard store shop market bot assistant
    user users admin tester example sample demo dummy fake anonymous unknown nobody someone
    somebody everyone guest robot system root noreply reply customer customers member account
    """
)

_CALENDAR = _ws(
    """
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday mon tue tues wed thu thur thurs fri sat sun today tomorrow yesterday
    christmas easter
    """
)

# Places that are also first names, and very common place words.
_PLACES = _ws(
    """
    paris london berlin austin dallas sydney florence georgia virginia victoria chelsea jordan
    india china israel kenya houston phoenix denver boston orlando charlotte madison lincoln
    vienna milan geneva dublin camden brooklyn cairo tokyo seoul frankfurt munich zurich
    madrid lisbon rome amsterdam stockholm oslo helsinki warsaw prague moscow delhi mumbai
    singapore manila jakarta dakota carolina nevada montana indiana arizona alabama
    california texas florida washington york jersey san santa los las st saint fort port mount
    lake north south east west new
    """
)

_PARTICLES = _ws(
    "van von de da das dos del della der den di du la le bin ibn al el ter ten zu af y e"
)

# Words that open a sentence or a clause and must not be taken for the first word of a name.
_LEADERS = _ws(
    """
    hi hello hey dear thanks thank cheers regards best ask asking asked ping cc see tell told
    email call contact notify page message dm per via from for with by and or but the a an
    this that these those my our your their his her its if when while why what how who where
    please could would should can will may might must does did do is are was were be been
    note also so then just only maybe perhaps yes no ok okay sure hmm well now today
    dr mr mrs ms mx prof sir dame herr frau mme mlle sr sra
    """
)


def _fold(word: str) -> str:
    """Lower case without accents: ``Jürgen`` -> ``jurgen``."""
    return "".join(
        c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c)
    )


class _Words:
    """Facts about single words, cached."""

    def __init__(self) -> None:
        self.first, self.last = _faker_names()
        self.dictionary, self.programming = _vocab()
        self._first_lower = frozenset(n.lower() for n in self.first)
        self._cache: dict[str, int] = {}

    # bit flags
    D, P, F, L, FR, LR, STOP, PLACE, CAL = 1, 2, 4, 8, 16, 32, 64, 128, 256

    def flags(self, word: str) -> int:
        got = self._cache.get(word)
        if got is not None:
            return got
        low = word.lower()
        f = 0
        if low in self.dictionary or low.replace("-", "") in self.dictionary:
            f |= self.D
        if low in self.programming or low in _TECH or _is_public(word):
            f |= self.P
        nf = self.first.get(word, 0)
        nl = self.last.get(word, 0)
        if nf:
            f |= self.F
            if not f & self.D or nf >= 2:
                f |= self.FR
        if nl:
            f |= self.L
            if not f & self.D or nl >= 2:
                f |= self.LR
        if low in _ORG:
            f |= self.STOP
        if low in _CALENDAR:  # "May", "June", "August" are first names too
            f |= self.STOP if low not in self._first_lower else self.CAL
        if low in _PLACES:
            f |= self.PLACE
        if len(self._cache) < 200_000:
            self._cache[word] = f
        return f

    def common(self, word: str) -> bool:
        """A word of English or of programming that is not also a reliable name."""
        f = self.flags(word)
        if f & (self.P | self.STOP | self.CAL):
            return True
        return bool(f & (self.D | self.PLACE)) and not f & (self.FR | self.LR)

    def unknown(self, word: str) -> bool:
        """No English word, no programming word, no stop word, no place: a rare name or a
        coined word."""
        return not self.flags(word) & (self.D | self.P | self.STOP | self.PLACE | self.CAL)


@cache
def _words() -> _Words:
    return _Words()


def _is_public(word: str) -> bool:
    from recognizers.code.vocabulary import is_public_name

    return is_public_name(word)


# --------------------------------------------------------------------------------------------
# Name shapes
# --------------------------------------------------------------------------------------------

_NW1 = r"(?:Mc|Mac|O['’]|D['’])?\p{Lu}\p{Ll}+"
# a name word: "Iyer", "Al-Amin", "O'Connell-McBride", "Min-jun", "MacKenzie"
_NW = r"(?:" + _NW1 + r"(?:-(?:" + _NW1 + r"|\p{Ll}+)|['’]\p{Lu}\p{Ll}+)*)"
_PART = r"(?:" + "|".join(sorted(_PARTICLES, key=len, reverse=True)) + r")"
_INITIAL = r"(?:\p{Lu}\.)"
_SEP = r"[ \u00a0]"
# up to two leading initials, then one to four name words; particles and a middle initial
# may stand between them: "J. R. Tolkien", "Ludwig van Beethoven", "Sanjay K. Iyer"
_NAME_SRC = (
    r"(?:" + _INITIAL + _SEP + r"?){0,2}" + _NW
    + r"(?:" + _SEP + r"(?:" + _PART + _SEP + r"){0,2}(?:" + _INITIAL + _SEP + r")?"
    + _NW + r"){0,3}"
)
_BEFORE = r"(?<![\p{L}\p{N}_$@#./\\-])"
_AFTER = r"(?![\p{L}\p{N}_(@]|[.\-]\p{L})"
_NAME_RE = re.compile(_BEFORE + r"(" + _NAME_SRC + r")" + _AFTER)
_CJK_NAME_RE = re.compile(r"[\p{Han}]{2,4}|[\p{Hangul}]{2,4}|[\p{Katakana}ー・]{2,12}")
_WORD_RE = re.compile(_NW)
_CODE_LIKE_RE = re.compile(r"[_()\[\]{}=<>/\\:;$#@0-9]|\p{Lu}{2}|\p{Ll}\p{Lu}")
_MC_RE = re.compile(r"(?<!\p{L})(?:Mc|Mac)(?=\p{Lu})")  # McDonald, MacKenzie are not camelCase

# ---- contexts before a name (matched against the line up to the name) ---------------------

_LABELS = (
    r"maintainers?|authors?|owners?|contacts?|reviewers?|assignees?|reporters?|contributors?"
    r"|credits|developers?|written[ -]by|created[ -]by|reviewed[ -]by|signed-off-by"
    r"|co-authored-by|acked-by|tested-by|reported-by|suggested-by|helped-by|approved[ -]by"
    r"|requested[ -]by|on-?call|point[ -]of[ -]contact|poc|dri|tech[ -]lead|team[ -]lead"
    r"|lead|responsible|cc|assigned[ -]to|(?:requested|submitted|prepared|updated|edited)[ -]by"
    r"|attn|attention|sender|recipients?|patient|employee|student|applicant|interviewer"
    r"|attendees?|participants?|card[ -]?holder|account[ -]holder|beneficiary|payee|driver"
    r"|passenger|autor(?:in)?|autores|auteurs?|verfasser|betreuer|mantenedor"
    r"|responsable|entwickler|ansprechpartner|автор|разработчик|作者|作成者|著者|维护者|維護者"
    r"|负责人|負責人|开发者|開発者|联系人|担当者?|작성자|담당자"
)
_LABEL_RE = re.compile(
    r"(?i:(?<![\w-])(?:" + _LABELS + r"))\s*[:：=]\s*[\"'`]?"
    r"|(?<![\w])@(?:author|maintainer|reviewer|owner|contact|developer)[ \t]+"
    r"|__(?:author|maintainer|credits|contact)__\s*=\s*[\[(]?\s*[\"']"
    r"|\.\.\s+(?:module|section|code)?author::\s+"
    r"|^[ \t]*MAINTAINER[ \t]+"
)
# what may stand between a label and a later name of its list
_TITLES = r"(?:Dr|Mr|Mrs|Ms|Mx|Prof|Sir|Dame|Herr|Frau|Mme|Mlle|Sr|Sra)\.?"
_LIST_GAP_RE = re.compile(
    r"(?:\s*(?:" + _NAME_SRC + r"|" + _TITLES + r"|<[^<>\n]*>|\([^()\n]*\)|[,;&/]|and|und|et|y"
    r"|[\"'`]))*\s*$"
)

_PERSON_KEYS = (
    r"full_?name|display_?name|first_?name|last_?name|given_?name|family_?name|sur_?name"
    r"|real_?name|legal_?name|author(?:_?name)?|owner(?:_?name)?|maintainer|contact(?:_?name)?"
    r"|customer(?:_?name)?|client_?name|assignee|reporter|reviewer|requester|recipient(?:_?name)?"
    r"|sender(?:_?name)?|patient(?:_?name)?|employee(?:_?name)?|member_?name"
    r"|(?:card_?|account_?)?holder(?:_?name)?|beneficiary(?:_?name)?|payee(?:_?name)?"
    r"|payer(?:_?name)?|signer|signatory"
    r"|(?:created|updated|modified|approved|reviewed|requested|submitted|assigned|signed|checked"
    r"|verified|edited|deleted)_?by|consignee|shipper|contact_?person|approver|applicant"
    r"|guest_?name|user_?full_?name|person_?name|oncall|on_?call|developer|dev_?name"
    r"|(?:git_)?(?:author|committer)_?name|user\.name"
)
_KEY_RE = re.compile(
    r"(?i:(?<![\w])(" + _PERSON_KEYS + r"|name|user|person|who)\s?[\"'`]?"
    r"(?:\s*(?::|=|=>|->|:=)|(?<=user\.name)[ \t]))"
)
# between a key and its value: a quote, or the earlier names of a list (authors = ["A", "B"])
_QUOTE = r"(?:[uUbBfFrR]?[\"'`])"
_KEY_GAP_RE = re.compile(
    r"\s*(?:[\[(]\s*(?:" + _QUOTE + r"?(?:" + _TITLES + r"\s*)?" + _NAME_SRC
    + r"(?:\s*<[^<>\n]*>)?[\"'`]?\s*,\s*)*)?" + _QUOTE + r"?"
)
_PERSON_LISTS = (
    r"reviewers|owners|maintainers|authors|approvers|assignees|contributors|members"
    r"|developers|admins|people|contacts|on_?call|on-call|team_members|users|attendees"
    r"|participants|recipients|cc"
)
# a YAML list item under a key that lists people:  reviewers:\n  - Kofi Boateng
_YAML_PEOPLE_RE = re.compile(
    r"(?im:^[ \t]*[\"']?(?:" + _PERSON_LISTS + r")[\"']?[ \t]*:[ \t]*(?:#[^\n]*)?\n"
    r"(?:[ \t]*(?:-[ \t]+[^\n]*)?\n){0,30}[ \t]*-[ \t]+[\"']?)\Z"
)
_CHAT_BEFORE_RE = re.compile(
    r"^[ \t>]*(\[?\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]?[AaPp][Mm])?\]?[ \t]*)?<?$"
)
_CHAT_AFTER_RE = re.compile(r"(?:[ \t]*\(\d{1,2}:\d{2}\))?(?::|>)[ \t]")
_SELF_INTRO_RE = re.compile(r"(?i:(?<![\w])(?:I'm|I\s+am|my\s+name\s+is|name's|call\s+me))\s+$")
_DASH_BEFORE_RE = re.compile(r"\S[ \t]+[—–][ \t]*$")
_DATE_AFTER_RE = re.compile(r"[ \t]*[,(]?[ \t]*\d{4}-\d\d-\d\d")
_XML_KEY_RE = re.compile(r"(?i:<(" + _PERSON_KEYS + r"|name)>\s*$)")
_GENERIC_KEYS = frozenset({"name"})  # also names services, jobs, products
_USER_KEYS = frozenset({"user", "person", "who"})  # a person, or an account

_GREETING_RE = re.compile(
    r"(?:^|[>\"'(])\s*(?i:hi|hello|hey|dear|hiya|yo|morning|good\s+(?:morning|afternoon|evening)"
    r"|thanks|thank\s+you|thx|cheers|ta)[ \t,]+$"
)
_SIGNOFF_BEFORE_RE = re.compile(r"^[ \t>]*(?:[—–~]|--)[ \t]*$")
_VALEDICTION_RE = re.compile(
    r"^[ \t>]*(?i:thanks|thank\s+you|many\s+thanks|thanks\s+again|cheers|best|best\s+regards"
    r"|kind\s+regards|warm\s+regards|regards|all\s+the\s+best|sincerely|br|thx|ta|talk\s+soon"
    r"|best\s+wishes)[ \t]*[,!.]?[ \t]*$"
)
_VERB_BEFORE_RE = re.compile(
    r"(?i:(?<![\w])(?:cc|/cc|thanks(?:\s+to)?|thank\s+you|thx|ask(?:ed|ing)?|ping(?:ed|ing)?"
    r"|e-?mail(?:ed|ing)?|messag(?:e|ed|ing)|dm(?:ed)?|tell|told|talk(?:ed)?\s+to|talk(?:ed)?"
    r"\s+with|sp(?:oke|eak)\s+(?:to|with)|check(?:ed)?\s+with|sync(?:ed)?\s+with|thread\s+with"
    r"|chat(?:ted)?\s+with|call\s+with|meeting\s+with|work(?:s|ed|ing)?\s+with|pair(?:ed)?\s+with"
    r"|assigned\s+to|(?:owned|written|reviewed|approved|reported|requested|created|maintained"
    r"|authored|filed|raised|flagged|suggested|signed|added|introduced|committed|merged|pushed"
    r"|changed|fixed|built|wrote|opened|closed|proposed|escalated)\s+by|according\s+to"
    r"|loop(?:ed|ing)?\s+in|reach(?:ed)?\s+out\s+to|escalat(?:e|ed)\s+to|hand(?:ed)?\s+(?:it\s+)?"
    r"(?:off\s+|over\s+)?to|contact(?:ed)?|notif(?:y|ied)|pag(?:e|ed)|mention(?:ed)?|cc'?d"
    r"|(?:ticket|e-?mail|message|note|request|pr|mr|feedback|complaint|call|report|question"
    r"|review|approval|sign-off|reply|answer|comment|dm|ping|text|heads-up|patch)s?\s+from"
    r"|met|meet(?:ing)?|invit(?:e|ed)|hir(?:e|ed)|welcome|introduc(?:e|ed)|onboard(?:ed)?"
    r"|congrats|congratulations|(?:kudos|shout-?out|props|credit)\s+to"
    r"|(?:you|me)\s+and|colleague|coworker|co-worker|teammate|manager|boss|engineer|developer|lead|intern"
    r"|customer|patient|user|mr\.?|mrs\.?|ms\.?|dr\.?|prof\.?)\s+$)"
)
_TODO_RE = re.compile(r"(?<![\w])(?:TODO|FIXME|XXX|HACK|NOTE|BUG|OPTIMIZE|REVIEW)\(\s*@?$")
_BLAME_BEFORE_RE = re.compile(r"\(\s*$")
_LOG_BEFORE_RE = re.compile(r"^[ \t*|/\\]*[0-9a-f]{7,40}\s+(?:\(.*?\)\s+)?(?:\d{4}-\d\d-\d\d\s+)?$")
_SHORTLOG_BEFORE_RE = re.compile(r"^[ \t]*\d+\t$")
_COPYRIGHT_RE = re.compile(
    r"(?i:copyright|\(c\)|©)\s*(?:\(c\)|©)?\s*(?:\d{4}(?:\s*[-–,]\s*\d{4})*)?,?\s*(?:by\s+)?$"
)
_ROW_DELIM_BEFORE_RE = re.compile(r"(?:^|[|\t;,])[ \t]*[\"']?$")

# ---- contexts after a name ---------------------------------------------------------------

_EMAIL_AFTER_RE = re.compile(
    r"[ \t]*(?:<\s*(?:mailto:)?[^<>\s@]+@[^<>\s]+\s*>|\(\s*[^()\s@]+@[^()\s]+\s*\))"
)
_BLAME_AFTER_RE = re.compile(r"\s+(?:<[^<>\n]*>\s+)?\d{4}-\d\d-\d\d")
_LOG_AFTER_RE = re.compile(r"\s*(?:<|\||,\s|\s-\s|\s\d{4}-\d\d-\d\d|\s\(\d|$)", re.M)
_END_OF_LINE_RE = re.compile(r"[ \t]*(?:\r?\n|$)")
_GREETING_AFTER_RE = re.compile(r"\s*(?:[,!:;.—–]|-\s|\r?\n|$)")
_CLOSE_PAREN_RE = re.compile(r"\s*[):,]")
_ROW_DELIM_AFTER_RE = re.compile(r"[ \t]*[\"']?[ \t]*(?:[|\t;,]|\r?\n|$)")
_HUMAN_VERBS = (
    r"suggested|suggests|says|said|thinks|thought|proposed|proposes|worries|worried|asked|asks"
    r"|mentioned|mentions|noted|notes|believes|believed|agreed|agrees|disagrees|disagreed"
    r"|recommended|recommends|argues|argued|insists|insisted|feels|felt|claims|claimed"
    r"|pointed\s+out|told|tells|explained|explains|objected|objects|complained|confirmed"
    r"|confirms|replied|responded|commented|noticed|prefers|preferred|wants|wanted|wrote"
    r"|reckons|warned|warns|promised|offered|volunteered|is\s+(?:out|away|OOO|on\s+(?:leave|"
    r"vacation|holiday|PTO|call))|will\s+(?:review|be\s+(?:out|back|away))|and\s+I\b|and\s+me\b"
)
_OTHER_VERBS = (
    r"owns|owned|fixed|reviewed|approved|merged|pushed|committed|implemented|left|joined"
    r"|raised|flagged|reported|discovered|set\s+up|signed\s+off|took\s+over|handed\s+over"
)
_ADVERBS = (
    r"(?:\s+(?:also|just|already|still|really|originally|actually|then|now|never|always"
    r"|probably|previously|recently|initially|apparently|strongly|kindly|(?:has|had)\s+been))?"
)
_HUMAN_AFTER_RE = re.compile(_ADVERBS + r"\s+(?:" + _HUMAN_VERBS + r")\b")
_VERB_AFTER_RE = re.compile(_ADVERBS + r"\s+(?:" + _OTHER_VERBS + r")\b")
_POSSESSIVE_RE = re.compile(
    r"['’]s\s+(?:PR|MR|branch|commits?|changes?|merge|patch|fix|review|laptop|machine|desk"
    r"|workstation|dotfiles|account|calendar|manager|comments?|suggestion|idea|question|fork"
    r"|email|e-mail|message|reply|answer|point)\b"
)

_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LOCAL_SPLIT_RE = re.compile(r"[._+\-\d]+")
_INITIALS_RE = re.compile(r"(?<!\p{L})\p{Lu}\.(?=[ \u00a0])")
_HAS_CJK_RE = re.compile(r"[\p{Han}\p{Hangul}\p{Katakana}]")
_PHONE_RE = re.compile(r"(?<![\w.])\+?\(?\d[\d ().-]{6,}\d(?![\w])")
_SENTENCE_END_RE = re.compile(r"[.!?](?=\s)|\n")

_LOOK = 160  # how far a context looks back or ahead on a line


class _Cand(NamedTuple):
    start: int
    end: int
    strength: int  # WEAK / MEDIUM / PERSONAL / STRONG, from the context
    row: bool = False  # a field of a delimited record that holds contact data


# --------------------------------------------------------------------------------------------
# The recognizer
# --------------------------------------------------------------------------------------------


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
        terms: Iterable[str] = (),
    ) -> None:
        """``analyzer``: a Presidio analyzer to take NER from (default: ``build_analyzer(
        spacy_model)``, shared per model); ``use_ner=False`` runs the context rules alone;
        ``terms``: the policy's company names and codenames, never taken for a name."""
        self._words = _words()
        self._ner: NerBackend | None = None
        if use_ner:
            self._ner = NerBackend(
                analyzer if analyzer is not None else build_analyzer(spacy_model)
            )
        words = sorted({t.strip() for t in terms if t and t.strip()}, key=len, reverse=True)
        self._terms = (
            re.compile(r"(?i:" + "|".join(re.escape(t) for t in words) + r")") if words else None
        )

    def preload(self) -> None:
        """Load the word lists now instead of on the first request (NER loads in __init__)."""
        self._words.flags("Preload")

    # ---- public API -------------------------------------------------------------------------

    def analyze(self, ctx: DetectionContext | str) -> list[Finding]:
        return self.analyze_request([ctx])[0]

    def analyze_request(self, ctxs: Sequence[DetectionContext | str]) -> list[list[Finding]]:
        """Findings per text; a name found in one text is reported in all of them."""
        # the contexts read with JSON escapes opened, offsets unchanged
        views = [as_context(c).unescaped for c in ctxs]
        texts = [v.text for v in views]
        names: dict[str, int] = {}  # accepted name -> strength
        direct: list[list[tuple[int, int, int]]] = []
        pending: list[tuple[int, _Cand]] = []  # candidates for the NER pass
        for i, text in enumerate(texts):
            spans: list[tuple[int, int, int]] = []
            if text and _could_hold_name(text):
                for cand in self._candidates(text):
                    verdict = self._judge(text, cand)
                    if verdict is True:
                        spans.append((cand.start, cand.end, cand.strength))
                        value = text[cand.start:cand.end]
                        names[value] = max(names.get(value, 0), cand.strength)
                    elif verdict is None:
                        pending.append((i, cand))
            direct.append(spans)
        if pending and self._ner is not None:
            for i, cand, strength in self._ner_pass(views, pending):
                direct[i].append((cand.start, cand.end, strength))
                value = texts[i][cand.start:cand.end]
                names[value] = max(names.get(value, 0), strength)
        spread = self._spread(texts, names) if names else [[] for _ in texts]
        out: list[list[Finding]] = []
        for spans, more in zip(direct, spread, strict=True):
            out.append(self._resolve(spans + more))
        return out

    # ---- candidates and their contexts ------------------------------------------------------

    def _candidates(self, text: str) -> Iterable[_Cand]:
        hopeless = self._hopeless
        for m in _NAME_RE.finditer(text):
            if hopeless(m.group(1)):
                continue
            s, e = self._trim(text, *m.span(1), leaders_only=True)
            if s >= e:
                continue
            cand = self._context(text, s, e)
            if cand.strength < STRONG:
                # not at a label or an address: drop sentence openers ("Yesterday Ifeoma")
                s2, e2 = self._trim(text, s, e, leaders_only=False)
                if s2 >= e2:
                    continue
                if (s2, e2) != (s, e):
                    cand = self._context(text, s2, e2)
            yield cand
        if _HAS_CJK_RE.search(text):  # CJK names only right after a label
            for m in _LABEL_RE.finditer(text):
                c = _CJK_NAME_RE.match(text, m.end())
                if c:
                    yield _Cand(c.start(), c.end(), STRONG)

    def _hopeless(self, value: str) -> bool:
        """No context could make a name of it: every word is common and none is a known name
        (``The``, ``Exception``, ``Thanks``, ``Hope This Helps``). Checked before any context."""
        W = self._words
        for w in _WORD_RE.findall(value):
            f = W.flags(w)
            if f & (W.F | W.L) or not W.common(w):
                return False
        return True

    def _trim(self, text: str, s: int, e: int, leaders_only: bool) -> tuple[int, int]:
        """Drop words that open a sentence (``Thanks``, ``See``, ``Please``; with
        ``leaders_only=False`` any common word without a name's evidence: ``Yesterday``,
        ``Create``) before a name, and org or calendar words after it."""
        W = self._words
        parts = [m.span() for m in _WORD_RE.finditer(text, s, e)]
        while parts:
            w = text[parts[0][0]:parts[0][1]]
            f = W.flags(w)
            if (w.lower() in _LEADERS and not f & W.FR) or (
                not leaders_only and len(parts) > 1 and W.common(w) and not f & (W.F | W.L)
            ):
                parts.pop(0)
            else:
                break
        while len(parts) > 1 and W.flags(text[parts[-1][0]:parts[-1][1]]) & W.STOP:
            parts.pop()
        if not parts:
            return s, s
        return parts[0][0], parts[-1][1]

    def _context(self, text: str, s: int, e: int) -> _Cand:
        """How strongly the text around ``text[s:e]`` says that it is a person's name."""
        ls = text.rfind("\n", max(0, s - _LOOK), s) + 1
        if ls == 0 and s > _LOOK:
            ls = s - _LOOK
        le = text.find("\n", e, e + _LOOK)
        if le < 0:
            le = min(len(text), e + _LOOK)
        before = text[ls:s]
        after = text[e:le + 1]

        # -- strong: labels, addresses, blame, person keys, greetings, sign-offs --
        if _EMAIL_AFTER_RE.match(after):
            return _Cand(s, e, STRONG)
        if _BLAME_BEFORE_RE.search(before) and _BLAME_AFTER_RE.match(after):
            return _Cand(s, e, STRONG)
        label = None
        for label in _LABEL_RE.finditer(before):  # noqa: B007 - the last one counts
            pass
        if label is not None and _LIST_GAP_RE.fullmatch(before, label.end()):
            return _Cand(s, e, STRONG)
        if _GREETING_RE.search(before) and _GREETING_AFTER_RE.match(after):
            return _Cand(s, e, STRONG)
        if (
            before.lstrip(" \t").startswith("-")
            and _ROW_DELIM_AFTER_RE.match(after)
            and _YAML_PEOPLE_RE.search(text, max(0, s - 600), s)
        ):
            return _Cand(s, e, STRONG)
        if _END_OF_LINE_RE.match(after):
            if _SIGNOFF_BEFORE_RE.match(before):
                return _Cand(s, e, STRONG)
            if not before.strip() and ls >= 2:
                prev = text.rfind("\n", 0, ls - 1) + 1
                if _VALEDICTION_RE.match(text[prev:ls - 1]):
                    return _Cand(s, e, STRONG)

        # -- keys of records: full_name=, "customer":, <name> --
        key = None
        for key in _KEY_RE.finditer(before):  # noqa: B007 - the last one counts
            pass
        if key is not None and not _KEY_GAP_RE.fullmatch(before, key.end()):
            key = None
        key = key or _XML_KEY_RE.search(before)
        generic_key = False
        if key is not None:
            k = key.group(1).lower()
            if k not in _GENERIC_KEYS:
                return _Cand(s, e, PERSONAL if k in _USER_KEYS else STRONG)
            generic_key = True

        # -- personal phrases; an address that spells the name on this line or the next or
        # previous one (``<name>..</name>`` then ``<email>..</email>``) --
        lo = text.rfind("\n", max(0, ls - _LOOK), max(0, ls - 1)) + 1 if ls else 0
        hi = text.find("\n", le + 1, le + 1 + _LOOK)
        if self._email_spells(text, lo, hi if hi >= 0 else min(len(text), le + _LOOK), text[s:e]):
            return _Cand(s, e, PERSONAL)
        if (
            _VERB_BEFORE_RE.search(before)
            or _HUMAN_AFTER_RE.match(after)
            or _POSSESSIVE_RE.match(after)
        ):
            return _Cand(s, e, PERSONAL)
        if generic_key:
            return _Cand(s, e, MEDIUM)
        if _SELF_INTRO_RE.search(before):
            return _Cand(s, e, PERSONAL)
        chat = _CHAT_BEFORE_RE.match(before)
        if chat and _CHAT_AFTER_RE.match(after):
            return _Cand(s, e, PERSONAL if chat.group(1) else MEDIUM)
        if _TODO_RE.search(before) and _CLOSE_PAREN_RE.match(after):
            return _Cand(s, e, PERSONAL)

        # -- shapes of data --
        if _LOG_BEFORE_RE.match(before) and _LOG_AFTER_RE.match(after):
            return _Cand(s, e, MEDIUM)
        if _SHORTLOG_BEFORE_RE.match(before) and _END_OF_LINE_RE.match(after):
            return _Cand(s, e, MEDIUM)
        if _COPYRIGHT_RE.search(before):
            return _Cand(s, e, MEDIUM)
        if _VERB_AFTER_RE.match(after) or _DATE_AFTER_RE.match(after):
            return _Cand(s, e, MEDIUM)
        if _DASH_BEFORE_RE.search(before) and _END_OF_LINE_RE.match(after):
            return _Cand(s, e, MEDIUM)  # "LGTM — Kofi Boateng"
        if (
            _ROW_DELIM_BEFORE_RE.search(before)
            and _ROW_DELIM_AFTER_RE.match(after)
            and _row_has_contact(text[ls:le])
        ):
            return _Cand(s, e, MEDIUM, row=True)
        if before[-1:] in ("\"", "'", "`") and after[:1] == before[-1]:
            return _Cand(s, e, MEDIUM)  # a string literal that is only a name: a fixture
        return _Cand(s, e, WEAK)

    @staticmethod
    def _email_spells(text: str, ls: int, le: int, value: str) -> bool:
        """An e-mail address on the line whose local part spells the name (``chidi.okeke``,
        ``rgallagher``, ``jasper_kowalczyk46``, ``dmitri``)."""
        if "@" not in text[ls:le]:
            return False
        names = [_fold(w) for w in _WORD_RE.findall(value)]
        if not names:
            return False
        for m in _EMAIL_RE.finditer(text, ls, le):
            local = _fold(m.group(0).split("@", 1)[0])
            tokens = [t for t in _LOCAL_SPLIT_RE.split(local) if t]
            joined = "".join(tokens)
            if any(len(t) >= 3 and t in names for t in tokens):
                return True
            if len(names) >= 2:
                first, last = names[0], names[-1]
                if joined in (first[0] + last, first + last, first + last[0], last + first[0],
                              last + first, first[0] + "".join(names[1:])):
                    return True
            elif len(names[0]) >= 3 and joined == names[0]:
                return True
        return False

    # ---- judging a candidate ----------------------------------------------------------------

    def _judge(self, text: str, cand: _Cand) -> bool | None:
        """True: a name. False: not one. None: plausible; NER decides."""
        value = text[cand.start:cand.end]
        if _CJK_NAME_RE.fullmatch(value):
            return cand.strength == STRONG
        if _CODE_LIKE_RE.search(_MC_RE.sub("", _INITIALS_RE.sub("", value))):
            return False
        if self._terms is not None and self._terms.search(value):
            return False  # a company term or codename of the policy
        words = _WORD_RE.findall(value)
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
        # NER decides only where some word is a known name: two coined words side by side
        # are a company and its product far more often than a person
        if (first_ok or ff & W.FR) and (last_sure or last_maybe) and (ff & W.F or fl & W.L):
            return None
        return False

    # ---- NER --------------------------------------------------------------------------------

    def _ner_pass(
        self, views: Sequence[DetectionContext], pending: list[tuple[int, _Cand]]
    ) -> list[tuple[int, _Cand, int]]:
        texts = [v.text for v in views]
        regions: list[tuple[int, int, int]] = []  # (text index, region start, region end)
        owners: list[tuple[int, _Cand, int]] = []  # (pending idx, cand, region idx)
        region_index: dict[tuple[int, int, int], int] = {}
        for k, (i, cand) in enumerate(pending):
            text = texts[i]
            segs = views[i].segments
            starts = [sg.start for sg in segs]
            j = bisect.bisect_right(starts, cand.start) - 1
            if j < 0:
                continue
            sg = segs[j]
            if cand.end > sg.end or sg.kind == INLINE_CODE:
                continue
            lo, hi = sg.start, sg.end
            if sg.kind in (CODE, DIFF):
                toks = views[i].tokens(sg)
                rel = cand.start - sg.start
                tok = next(
                    (t for t in toks if t.kind in (COMMENT, STRING)
                     and t.start <= rel and cand.end - sg.start <= t.end),
                    None,
                )
                if tok is None:
                    continue  # a code token: never NER
                lo, hi = sg.start + tok.start, sg.start + tok.end
            r_lo, r_hi = _sentence(text, cand.start, cand.end, lo, hi)
            key = (i, r_lo, r_hi)
            r = region_index.get(key)
            if r is None:
                r = region_index[key] = len(regions)
                regions.append(key)
            owners.append((k, cand, r))
        if not regions:
            return []
        assert self._ner is not None
        ents = self._ner.persons([texts[i][lo:hi] for i, lo, hi in regions])
        out: list[tuple[int, _Cand, int]] = []
        for k, cand, r in owners:
            i, lo, _ = regions[r]
            for ent in ents[r]:
                es, ee = lo + ent.start, lo + ent.end
                covers = es <= cand.start and cand.end <= ee
                inside = cand.start <= es and ee <= cand.end
                if covers or (inside and (ee - es) * 2 >= cand.end - cand.start):
                    out.append((pending[k][0], cand, max(cand.strength, MEDIUM)))
                    break
        return out

    # ---- spreading found names ---------------------------------------------------------------

    def _spread(
        self, texts: Sequence[str], names: dict[str, int]
    ) -> list[list[tuple[int, int, int]]]:
        """Every occurrence of every found name, and of its parts, in all the texts."""
        W = self._words
        free: dict[str, int] = {}  # reported wherever it stands
        guarded: dict[str, int] = {}  # reported in a person context only
        for value, strength in names.items():
            words = [] if _CJK_NAME_RE.fullmatch(value) else _WORD_RE.findall(value)
            if len(words) == 1 and W.flags(words[0]) & W.D:
                guarded[value] = max(guarded.get(value, 0), strength)  # "Grace", "Mark"
            else:
                free[value] = max(free.get(value, 0), strength)
            if len(words) < 2:
                continue
            for part in words:
                f = W.flags(part)
                if len(part) < 2 or f & (W.P | W.STOP) or (len(part) < 3 and not f & W.LR):
                    continue
                into = guarded if f & W.D else free
                into[part] = max(into.get(part, 0), strength)
        for part in [p for p in guarded if p in free]:
            del guarded[part]
        pattern = _alternation(free)
        gpattern = _alternation(guarded)
        out: list[list[tuple[int, int, int]]] = []
        for text in texts:
            spans: list[tuple[int, int, int]] = []
            if pattern is not None:
                spans.extend((m.start(), m.end(), free[m.group(0)]) for m in pattern.finditer(text))
            if gpattern is not None:
                for m in gpattern.finditer(text):
                    if self._person_context(text, m.start(), m.end()):
                        spans.append((m.start(), m.end(), guarded[m.group(0)]))
            out.append(spans)
        return out

    def _person_context(self, text: str, s: int, e: int) -> bool:
        before = text[max(0, s - _LOOK):s]
        after = text[e:e + _LOOK]
        return bool(
            _VERB_BEFORE_RE.search(before)
            or _HUMAN_AFTER_RE.match(after)
            or (_GREETING_RE.search(before) and _GREETING_AFTER_RE.match(after))
            or _EMAIL_AFTER_RE.match(after)
            or _POSSESSIVE_RE.match(after)
        )

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
        return [Finding(s, e, PERSON, PII, self.name, _SCORES[k]) for s, e, k in kept]


def _row_has_contact(line: str) -> bool:
    """The line holds an e-mail address or a phone number (a record of a person)."""
    return ("@" in line and _EMAIL_RE.search(line) is not None) or (
        _PHONE_RE.search(line) is not None
    )


def _alternation(values: dict[str, int]) -> re.Pattern[str] | None:
    return _compiled_alternation(frozenset(values)) if values else None


@lru_cache(maxsize=1024)
def _compiled_alternation(values: frozenset[str]) -> re.Pattern[str]:
    alts = "|".join(re.escape(v) for v in sorted(values, key=lambda v: (-len(v), v)))
    return re.compile(_BEFORE + r"(?:" + alts + r")" + _AFTER)


def _sentence(text: str, s: int, e: int, lo: int, hi: int) -> tuple[int, int]:
    """The sentence (or line) of ``text[s:e]`` inside ``[lo, hi)``."""
    a = lo
    for m in _SENTENCE_END_RE.finditer(text, lo, s):
        a = m.end()
    b = hi
    m = _SENTENCE_END_RE.search(text, e, hi)
    if m:
        b = m.end()
    while a < b and text[a].isspace():
        a += 1
    return a, b


_UPPER_RE = re.compile(r"\p{Lu}\p{Ll}|[\p{Han}\p{Hangul}\p{Katakana}]")


def _could_hold_name(text: str) -> bool:
    return _UPPER_RE.search(text) is not None
