"""Public names and ordinary words: what an identifier may contain without being a secret.

* ``split_identifier(name)``: the word spans of an identifier in any naming convention
  (camelCase, PascalCase, snake_case, SCREAMING_SNAKE, kebab-case, digits, acronyms:
  ``HTTPServer`` -> ``HTTP``, ``Server``).
* ``is_ordinary_word(word)``: an English dictionary word (with its inflections) or programming
  vocabulary (``api``, ``ctx``, ``kwargs``, ``webhook``, ``kafka`` ...). The dictionary is the
  union of GCIDE and Webster's Second (the ``english-words`` package), without the entries
  Webster's lists only capitalised (proper nouns: people's and places' names).
* ``is_proprietary_word(word)``: a word of 4 letters or more that is not ordinary: the part of
  ``CravixDocumentMapper`` that gives a company away.
* ``is_public_name(name, language, imports)``: keywords, builtins, standard-library modules and
  their members (Python: taken from the interpreter, see ``gen_data.py``), curated API lists for
  JavaScript/TypeScript, Java and Go, and names the code imported from public packages.

Everything loads lazily, once per process.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Collection, Container
from functools import cache, lru_cache
from importlib import resources

from recognizers.code.keywords import keywords
from recognizers.english import common_dictionary, dictionary, web_words
from recognizers.wordlists import read_words

_DATA = "recognizers.code.data"

def _ws(text: str) -> frozenset[str]:
    """The whitespace-separated words of a string."""
    return frozenset(text.split())


# -- splitting -----------------------------------------------------------------------------------

_WORD_RE = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


def split_identifier(name: str) -> list[tuple[int, int]]:
    """(start, end) spans of the words of ``name``; separators (``_``, ``-``, ``.``) are skipped."""
    if name.isascii():
        return [m.span() for m in _WORD_RE.finditer(name)]
    return _split_unicode(name)


def _split_unicode(name: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    i, n = 0, len(name)
    while i < n:
        c = name[i]
        if c.isdigit():
            j = i + 1
            while j < n and name[j].isdigit():
                j += 1
        elif c.isalpha():
            j = i + 1
            if c.isupper():
                while j < n and name[j].isupper():
                    j += 1
                if j - i > 1 and j < n and name[j].isalpha() and name[j].islower():
                    j -= 1  # HTTPServer: the last capital starts the next word
                if j == i + 1 or (j < n and name[j].islower()):
                    while j < n and name[j].isalpha() and name[j].islower():
                        j += 1
            else:
                while j < n and name[j].isalpha() and name[j].islower():
                    j += 1
                while j < n and name[j].isalpha() and not name[j].isupper() and \
                        not name[j].islower():
                    j += 1  # scripts without case
        else:
            i += 1
            continue
        spans.append((i, j))
        i = j
    return spans


def identifier_words(name: str) -> list[str]:
    return [name[s:e] for s, e in split_identifier(name)]


# -- ordinary words ------------------------------------------------------------------------------

def _read_words(filename: str) -> frozenset[str]:
    try:
        return read_words(_DATA, filename)
    except (FileNotFoundError, ModuleNotFoundError):
        return frozenset()


@cache
def programming_words() -> frozenset[str]:
    """The curated list, plus the words of real public vocabularies: every keyword and node
    kind of the grammars we parse with (``WORKDIR``, ``ENTRYPOINT``, ``tinyint``) and every
    public name of Python's standard library (``AF_UNIX``, ``getcwd``)."""
    curated = frozenset(w.lower() for w in _read_words("programming_words.txt"))
    return curated | _grammar_words() | _stdlib_words()


def _words_of_names(names: Collection[str]) -> frozenset[str]:
    return frozenset(
        w for name in names for s, e in split_identifier(name)
        if len(w := name[s:e].lower()) >= MIN_PROPRIETARY_LEN and w.isalpha()
    )


@cache
def _grammar_words() -> frozenset[str]:
    from recognizers.code.languages import grammar_node_kinds

    return _words_of_names(grammar_node_kinds())


@cache
def _stdlib_words() -> frozenset[str]:
    return _words_of_names(_python_stdlib()[1])


def _dictionary() -> Container[str]:
    return dictionary()


_PREFIXES = ("un", "re", "pre", "de", "non", "sub", "multi", "co", "dis", "mis", "over",
             "under", "inter", "micro", "auto", "post", "super", "meta", "anti", "mid", "out",
             "up", "down", "self", "cross", "bi", "tri", "semi", "in", "im")
_DOUBLE = re.compile(r"([bcdfgklmnprstvz])\1$")


def _stems(w: str) -> list[str]:
    """Candidate base forms of an inflected or derived word."""
    out: list[str] = []
    n = len(w)

    def add(stem: str, min_len: int = 3) -> None:
        if len(stem) >= min_len:
            out.append(stem)
            if _DOUBLE.search(stem):
                out.append(stem[:-1])

    if w.endswith("ies") and n > 4:
        add(w[:-3] + "y")
    if w.endswith("es") and w[:-2].endswith(("s", "x", "z", "ch", "sh", "o")):
        add(w[:-2])  # boxes, matches, goes; `gides` is no plural of `gid`
    if w.endswith("s") and not w.endswith("ss"):
        add(w[:-1])
    if w.endswith("ied"):
        add(w[:-3] + "y")
    if w.endswith("ed"):
        add(w[:-2])
        add(w[:-1])
    if w.endswith("ing"):
        add(w[:-3])
        add(w[:-3] + "e")
    for suf in ("ers", "er", "ors", "or"):
        if w.endswith(suf):
            add(w[:-len(suf)])
            add(w[:-len(suf)] + "e")
            break
    # derivational suffixes common in code; not the ones brand names are coined with
    # (-wise, -ward, -dom, -ship, -age, -ive, -ia, -ix ...)
    for suf in ("ly", "able", "ible", "ness", "ment", "ments", "less", "ful", "ity", "ize",
                "ise", "izes", "ized", "izing", "ization", "izer", "izers", "al", "ally", "ic",
                "ical", "ion", "ions", "ation", "ations", "est"):
        if w.endswith(suf) and n - len(suf) >= 4:
            base = w[:-len(suf)]
            add(base)
            add(base + "e")
            if base.endswith("i"):
                add(base[:-1] + "y")
    return out


@lru_cache(maxsize=65536)
def is_ordinary_word(word: str) -> bool:
    """An English word (or an inflection of one) or programming vocabulary."""
    w = word.lower()
    if not w or w.isdigit() or len(w) <= 2:
        return True
    if not w.isalpha():
        return all(is_ordinary_word(word[s:e]) for s, e in split_identifier(word))
    prog = programming_words()
    if w in prog:
        return True
    d = _dictionary()
    if w in d or w in web_words():
        return True
    web = web_words()
    # a derived form stands on a word both dictionaries list: Webster's alone holds enough rare
    # words (krama, gros) to make a coined name of almost anything
    common = common_dictionary()
    for stem in _stems(w):
        if stem in common or stem in prog or stem in web:
            return True
    for p in _PREFIXES:
        if w.startswith(p) and len(w) - len(p) >= 4:
            rest = w[len(p):]
            if rest in common or rest in prog or any(s in common for s in _stems(rest)):
                return True
    # A one-letter prefix on a programming word: cargs, hconn, rurl, nargs (C's and Go's habit)
    if len(w) >= 4 and w[1:] in prog:
        return True
    return _compound(w, prog)


# Verbs code names things with (getcapacitor, isvalid), besides the programming vocabulary.
_CODE_VERBS = frozenset("get set is has can make new add del put run load save read write init "
                        "on to from do use find list".split())


def _compound(w: str, prog: frozenset[str], parts: int = 3, longest: int = 0,
              code: bool = False) -> bool:
    """Ordinary words written together (``getcapacitor``, ``handlecount``, ``origcols``): at
    most ``parts`` of them, each of three letters or more and common English (both dictionaries
    list it), programming vocabulary or (from five letters) web English, one of five or more
    (or two of four), and one a code verb or programming vocabulary.
    A coined name does not split so: ``zorvath`` not at all, ``torvex`` only into short words."""
    if parts < 2 or len(w) < 6:
        return False
    common, web = common_dictionary(), web_words()

    def part(p: str) -> bool:  # web English only from five letters: its short words are noise
        return p in common or p in prog or (len(p) >= 5 and p in web)

    for i in range(2, len(w) - 2):
        head, tail = w[:i], w[i:]
        head_code = head in prog or head in _CODE_VERBS
        if head_code or (i >= 3 and part(head)):
            most = max(longest, i)
            # short parts only when both are plain words, one of code (tmpdir, rawurl)
            # (a short English tail only after a head of three letters or more, and of four
            # or more itself or after a verb: `tobend` and `gitart` are coined, `tojson`,
            # `rawurl` and `addrow` are not)
            long_enough = max(most, len(tail)) >= 5 or (not longest and (
                min(i, len(tail)) >= 4 or ((head_code or tail in prog) and (
                    head_code or head in common) and (tail in prog or (
                        tail in common and i >= 3 and (len(tail) >= 4 or head in _CODE_VERBS))))))
            # One part at least is programming vocabulary: `tidewick` and `ferrowind`, English
            # words run together, are the company's coinages.
            coded = code or head_code or tail in prog or any(t in prog for t in _stems(tail))
            if (part(tail) or any(part(t) for t in _stems(tail))) and long_enough and coded:
                return True
            if _compound(tail, prog, parts - 1, most, code or head_code):
                return True
    return False


MIN_PROPRIETARY_LEN = 4


_VOWEL = re.compile(r"[aeiouyAEIOUY]")


def is_proprietary_word(word: str) -> bool:
    """A word that names something of the company's own: not English, not programming jargon,
    and not an abbreviation: a word written in lower case without a vowel is one (``gtlt``,
    ``xfrm``, ``pkts``): names people coin for a product are spoken, so they have vowels.
    Capitals are another matter: ``BRKT`` may be a product's code."""
    return (len(word) >= MIN_PROPRIETARY_LEN and word.isalpha()
            and (_VOWEL.search(word) is not None or word.isupper())
            and not is_ordinary_word(word))


# -- public names --------------------------------------------------------------------------------

_PY_KEYWORDS = _ws("""
    False None True and as assert async await break class continue def del elif else except
    finally for from global if import in is lambda nonlocal not or pass raise return try while
    with yield match case type _
    """)


@cache
def _python_stdlib() -> tuple[frozenset[str], frozenset[str], dict[str, frozenset[str]]]:
    """(module names, every public member name, members per module)."""
    import builtins

    modules = set(sys.stdlib_module_names)
    members: dict[str, frozenset[str]] = {}
    names: set[str] = set(dir(builtins))
    try:
        raw = resources.files(_DATA).joinpath("python_stdlib.json").read_text(encoding="utf-8")
        data = json.loads(raw)
        modules |= set(data.get("modules", ()))
        names |= set(data.get("builtins", ()))
        for mod, mem in data.get("members", {}).items():
            members[mod] = frozenset(mem)
            names.update(mem)
    except (FileNotFoundError, ValueError, ModuleNotFoundError):
        pass
    modules |= {m.split(".")[0] for m in members}
    return frozenset(modules), frozenset(names), members


@cache
def _curated(language: str) -> frozenset[str]:
    return frozenset(_read_words(f"{language}_public.txt"))


_LANG_LIST = {"python": "python", "javascript": "javascript", "typescript": "javascript",
              "tsx": "javascript", "java": "java", "kotlin": "java", "scala": "java",
              "groovy": "java", "go": "go"}


def python_stdlib_modules() -> frozenset[str]:
    return _python_stdlib()[0]


def python_module_members(module: str) -> frozenset[str]:
    return _python_stdlib()[2].get(module, frozenset())


def is_stdlib_module(module: str, language: str | None) -> bool:
    """A module path of the language's standard library (``os.path``, ``java.util``, ``net/http``,
    ``node:fs``)."""
    if not module:
        return False
    lang = _LANG_LIST.get(language or "", language or "")
    if lang == "python":
        return module.split(".")[0] in python_stdlib_modules()
    if lang == "javascript":
        m = module.removeprefix("node:")
        return m.split("/")[0] in _NODE_MODULES or module.startswith("node:")
    if lang == "java":
        return module.startswith(("java.", "javax.", "jakarta.", "jdk.", "sun.", "kotlin."))
    if lang == "go":
        first = module.split("/")[0]
        return "." not in first
    if lang == "rust":
        return module.split("::")[0] in ("std", "core", "alloc")
    return False


_NODE_MODULES = _ws("""
    assert async_hooks buffer child_process cluster console constants crypto dgram dns domain
    events fs http http2 https inspector module net os path perf_hooks process punycode
    querystring readline repl stream string_decoder timers tls trace_events tty url util v8 vm
    wasi worker_threads zlib test
    """)


def is_public_name(name: str, language: str | None = None,
                   imports: Collection[str] = ()) -> bool:
    """A keyword, builtin, standard-library or well-known API name, or a name ``imports``
    (names bound by imports from public packages) holds."""
    if not name:
        return True
    if name in imports:
        return True
    lang = _LANG_LIST.get(language or "", "")
    if lang == "python" or not lang:
        if name in _PY_KEYWORDS:
            return True
        if name.startswith("__") and name.endswith("__"):
            return True
        modules, members, _ = _python_stdlib()
        if name in modules or name in members or name in _curated("python"):
            return True
        if lang:
            return False
    if lang:
        return name in keywords(language or "") or name in _curated(lang)
    return any(name in _curated(k) for k in ("javascript", "java", "go")) or \
        name in keywords("")


def preload() -> None:
    """Load the word lists and API tables now (about half a second, once per process)."""
    _dictionary()
    programming_words()
    _python_stdlib()
    for lang in ("python", "javascript", "java", "go"):
        _curated(lang)
