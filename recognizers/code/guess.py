"""The language of a snippet without a tag, guessed from its signs: a regex of telling lines and
tokens per language, each match counted (up to 12) and weighted.

Rust, C, C++ and C# are among them so that a file of one pasted without a tag is lexed as what
it is (guessed as JavaScript, a Rust file's ``let mut`` made ``mut`` a variable of the prompt's
own). Their regexes are lines' starts (anchored) and tokens that begin with a literal; no
alternative begins with ``\\b``, which would make the engine try it at every position of a 4 KB
sample.
"""

from __future__ import annotations

import re

from recognizers.code.languages import language_of_path
from recognizers.regex_literals import alternatives, parse_pattern, required

SYSTEMS_LANGUAGES: list[tuple[str, re.Pattern[str], int]] = [
    ("rust", re.compile(
        r"^[ \t]*(?:(?:pub(?:\([\w:]+\))? )?(?:(?:async|const|unsafe) )?(?:fn \w+[<(]"
        r"|struct \w|enum \w|trait \w|mod \w|use \w+::)|impl\b|let (?:mut )?\w+(?::[^=\n]+)? = "
        r"|#!?\[(?:derive|cfg|allow|test|inline)|match \w[\w.]* \{)"
        r"|&mut |&self\b|-> ?(?:Result|Option|Self)\b|Some\(|Ok\(|println!\(|format!\(|vec!\[",
        re.M), 3),
    ("c", re.compile(
        r"^[ \t]*(?:#[ \t]*(?:include\s*[<\"]|define \w|ifn?def \w|endif\b|pragma )"
        r"|(?:static )?(?:int|void|char|size_t) \*?\w+\((?:void|const |int |char |size_t "
        r"|struct |\)))"
        # (not `->`: PHP and Perl call methods with it, and their stack traces are no C)
        r"|printf\(|malloc\(|free\(|memcpy\(|memset\(|strlen\(|sizeof\(|NULL\b", re.M), 2),
    ("cpp", re.compile(
        r"^[ \t]*(?:namespace \w+|template\s*<|(?:public|private|protected):\s*$"
        r"|class \w+ *(?::|\{|$)|TEST(?:_F)?\(|virtual \w"
        r"|#include <(?:iostream|vector|string|memory|map|algorithm|gtest/gtest\.h)>)"
        r"|std::|nullptr\b|::~?\w+\(|cout\b", re.M), 3),
    # only what Java never writes: Java's own signs match C#'s modifiers and classes too
    ("csharp", re.compile(
        r"^[ \t]*(?:using (?:static )?System\b|namespace [\w.]+\s*[;{]?\s*$|/// <"
        r"|\[(?:assembly|Fact|Test|Serializable)\b|internal "
        r"|(?:public|private|protected) (?:(?:static|readonly|override|async|sealed|partial"
        r"|virtual|unsafe) )*(?:partial|override|readonly|sealed|async Task|string|bool|struct"
        r"|record|internal)\b)"
        r"|\{ ?get; ?(?:(?:private |init; ?)?set; ?)?\}|nameof\(|foreach ?\(var |\) : base\("
        r"|\) : this\(", re.M), 4),
]

_GUESS = [
    ("python", re.compile(
        r"^\s*def \w+\s*\(.*\)\s*(?:->\s*[^:]+)?:\s*$|^\s*class \w+(?:\([^)]*\))?:\s*$"
        r"|^\s*from [\w.]+ import [\w*(]|^import [\w.]+(?: as \w+)?(?:, *[\w.]+)*\s*$"
        r"|^\s*(?:elif |except\b.*:$|with .+ as \w+:$)|\bself\.\w|^\s*@\w[\w.]*(?:\(.*\))?\s*$"
        r"|\bprint\(|\bNone\b|__\w+__|^\s*if .+:\s*$|^\s*for \w+(?:, \w+)* in .+:\s*$"
        r"|^\s*async def |\[[^\[\]\n]* for \w+(?:, \w+)* in |^[ \t]+(?:\"\"\"|\'\'\')", re.M), 2),
    ("go", re.compile(
        r"^package \w+\s*$|^func (?:\([^)]*\) )?\w+\(|:= |^import \(\s*$|\bfmt\.\w+\(|err != nil"
        r"|^type \w+ (?:struct|interface) \{|\bchan\b|\bgo func\(", re.M), 3),
    ("java", re.compile(
        r"^\s*(?:public|private|protected)\s+(?:static\s+|final\s+|abstract\s+)*(?:class|interface"
        r"|enum|record|void|[\w<>\[\], ]+\s+\w+\s*\()|^package [\w.]+;\s*$|^import (?:static )?"
        r"[\w.]+(?:\.\*)?;\s*$|@Override|System\.out\.|\bnew \w+(?:<[^>]*>)?\(|\bString\[\]"
        r"|^\s*@(?:Service|Component|RestController|Autowired|Test|Entity|Bean)\b", re.M), 3),
    ("typescript", re.compile(
        r"^\s*(?:export )?interface \w+|^\s*(?:export )?type \w+(?:<[^>]*>)? = "
        r"|:\s*(?:string|number"
        r"|boolean|any|void|unknown|never|Record<|Promise<)\b|\bas const\b|\b(?:private|public|"
        r"readonly) \w+\s*[:(]|\w+\?: |<\w+(?:\[\])?>\(|\): \w[\w<>\[\]|]*\s*(?:=>|\{)", re.M), 2),
    ("javascript", re.compile(
        r"\b(?:const|let|var) \w+\s*=|=>|\bfunction\s*\w*\s*\(|\brequire\(|module\.exports"
        r"|console\.\w+\(|^\s*import .* from ['\"]|^\s*export (?:default|const|function|class)"
        r"|\bawait \w|\bdocument\.|\bwindow\.|===|!==", re.M), 1),
    *SYSTEMS_LANGUAGES,  # Rust, C, C++, C#
    ("sql", re.compile(
        r"^\s*(?:SELECT|INSERT INTO|UPDATE|DELETE FROM|CREATE (?:OR REPLACE )?(?:TABLE|VIEW|INDEX"
        r"|FUNCTION|UNIQUE|MATERIALIZED|SCHEMA|ROLE|TYPE|EXTENSION|TRIGGER|PROCEDURE)|ALTER TABLE"
        r"|DROP |WITH \w+ AS|BEGIN;|COMMIT;|GRANT |EXPLAIN)\b|^\s*(?:FROM|WHERE|JOIN|LEFT JOIN"
        r"|GROUP BY|ORDER BY|LIMIT)\b", re.M | re.I), 2),
    ("shell", re.compile(
        r"^#!/(?:usr/)?bin/(?:env )?(?:ba|z)?sh|^\s*\$ \S"
        r"|^\s*(?:export \w+=|echo |cd |sudo |apt(?:-get)? "
        r"|pip3? install|npm (?:install|run|ci)|yarn |docker |kubectl |curl |git |source |set -e"
        r"|chmod |mkdir |ssh |scp |rsync )|\$\{?\w+\}?|&&\s*\\?$|^\s*fi\s*$|^\s*done\s*$"
        r"|^[\w.+-]+@[\w.-]+:\S*[$#] ", re.M), 1),
    ("dockerfile", re.compile(
        r"^(?:FROM \S+|RUN |COPY |CMD \[|ENTRYPOINT |WORKDIR |EXPOSE \d|ARG \w|ENV \w|ADD |USER "
        r"|LABEL |HEALTHCHECK )", re.M), 3),
    ("yaml", re.compile(r"^\s*(?:- )?[\w.\"'-]+:(?:[ \t]+[^{\s][^\n]*[^,;{(\s]|[ \t]*)$"
                        r"|^\s*- \S|^---\s*$", re.M), 1),
    ("xml", re.compile(r"^\s*<\?xml|^\s*<(\w[\w:.-]*)[^>]*>.*</\1>\s*$"
                       r"|^\s*</?\w[\w:.-]*[^>]*/?>\s*$",
                       re.M), 2),
    ("toml", re.compile(r"^\s*\[\[?[\w.\"-]+\]\]?\s*$"
                        r"|^\s*[\w.-]+\s*=\s*(?:\"|'|\d|\[|\{|true|false)",
                        re.M), 1),
    ("makefile", re.compile(r"^[\w./%-]+:(?: [^=\n]*)?$\n\t|^\.PHONY:", re.M), 4),
]


_FILE_COMMENT = re.compile(r"(?:#|//|--|/\*|<!--)\s*((?:[\w.@-]+/)*[\w.-]+\.\w+|Dockerfile)\b")


class _Signs:
    """One language's signs, tried on a sample with only the alternatives whose literals the
    sample holds: an alternative that needs a literal the sample lacks matches nowhere, so the
    matches are the same, found without trying every alternative at every position."""

    def __init__(self, regex: re.Pattern[str]) -> None:
        self.regex = regex
        # a back-reference would change meaning with the groups before it gone
        self._alts = alternatives(regex.pattern) if not regex.groups else [regex.pattern]
        self._needs = [tuple(sorted(required(parse_pattern(a, regex.flags), 2)))
                       for a in self._alts]
        self._caseless = bool(regex.flags & re.I)
        self._subsets: dict[tuple[int, ...], re.Pattern[str]] = {}

    def regex_for(self, lowered: str, ascii_only: bool, has: dict[str, bool]
                  ) -> re.Pattern[str] | None:
        """The regex to run on a sample (``lowered``: it lower-cased), None when nothing can
        match. ``has``: which literals the sample holds, shared by the languages."""
        if self._caseless and not ascii_only:
            return self.regex  # Unicode case folding is re's own: no pre-filter
        keep = []
        for i, needs in enumerate(self._needs):
            for lit in needs:
                if lit not in has:
                    has[lit] = lit in lowered
                if not has[lit]:
                    break
            else:
                keep.append(i)
        if len(keep) == len(self._alts):
            return self.regex
        if not keep:
            return None
        key = tuple(keep)
        rx = self._subsets.get(key)
        if rx is None:
            rx = re.compile("|".join(self._alts[i] for i in keep), self.regex.flags)
            if len(self._subsets) < 256:
                self._subsets[key] = rx
        return rx


_SIGNS = [(lang, _Signs(rx), weight) for lang, rx, weight in _GUESS]


def guess_language(code: str) -> str | None:
    """A cheap guess of the language of a snippet without a tag, or None."""
    sample = code[:4000]
    s = sample.lstrip()
    if not s:
        return None
    if s[0] in "{[" and s.rstrip()[-1:] in "}]" and '":' in s:
        return "json"
    # a first-line comment naming the file: `# app/settings.py`, `// src/store.ts`
    m = _FILE_COMMENT.match(s)
    if m:
        by_path = language_of_path(m.group(1))
        if by_path and by_path not in ("text", "markdown"):
            return by_path
    scores: dict[str, float] = {}
    lowered, ascii_only, has = sample.lower(), sample.isascii(), {}
    for lang, signs, weight in _SIGNS:
        rx = signs.regex_for(lowered, ascii_only, has)
        if rx is None:
            continue
        n = 0
        for _ in rx.finditer(sample):
            n += 1
            if n >= 12:
                break
        if n:
            scores[lang] = n * weight
    if not scores:
        return None
    if "typescript" in scores and "javascript" in scores:
        scores["typescript"] += scores["javascript"] / 2
    if "javascript" in scores and scores.get("typescript", 0) < 4 and "java" in scores:
        scores["java"] += 2  # `new X(`, `;` ... Java looks like JS
    if "yaml" in scores and ("python" in scores or "go" in scores or "java" in scores
                             or "typescript" in scores or "javascript" in scores):
        scores["yaml"] /= 3  # dict literals and type annotations look like YAML keys
    if "toml" in scores and "python" in scores:
        scores["toml"] /= 2
    lang = max(scores, key=lambda k: scores[k])
    if scores[lang] < 2:
        return None
    if lang in ("typescript", "javascript") and re.search(r"</\w+>|<\w+[^<>]*/>", sample):
        return "tsx" if lang == "typescript" else "javascript"
    return lang
