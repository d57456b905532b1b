"""A cheap guess of the language of a snippet that comes without a tag: per language, a regular
expression of lines only that language writes, weighted; the best score wins."""

from __future__ import annotations

import re

from recognizers.code.languages import language_of_path

_GUESS = [
    ("python", re.compile(
        r"^\s*def \w+\s*\(.*\)\s*(?:->\s*[^:]+)?:\s*$|^\s*class \w+(?:\([^)]*\))?:\s*$"
        r"|^\s*from [\w.]+ import [\w*(]|^import [\w.]+(?: as \w+)?(?:, *[\w.]+)*\s*$"
        r"|^\s*(?:elif |except\b.*:$|with .+ as \w+:$)|\bself\.\w|^\s*@\w[\w.]*(?:\(.*\))?\s*$"
        r"|\bprint\(|\bNone\b|__\w+__|^\s*if .+:\s*$|^\s*for \w+(?:, \w+)* in .+:\s*$"
        r"|^\s*async def ", re.M), 2),
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
    ("rust", re.compile(
        r"^\s*(?:pub(?:\([\w:]+\))? )?(?:async |const |unsafe )?fn \w+[<(]"
        r"|^\s*(?:pub(?:\([\w:]+\))? )?(?:struct|enum|trait|mod) \w+|^\s*impl\b"
        r"|^\s*(?:pub )?use (?:\w+::)+[\w{*]|\blet (?:mut )?\w+(?::[^=]+)? = |&mut \w|&self\b"
        r"|^\s*#!?\[(?:derive|cfg|allow|test|inline)|\w!\(|->\s*(?:Result|Option|Self)\b"
        r"|\bSome\(|\bOk\(|\bmatch \w[\w.]* \{", re.M), 3),
    ("c", re.compile(
        r"^\s*#\s*(?:include\s*[<\"]|define \w|ifn?def \w|endif\b|pragma )"
        r"|\b(?:printf|fprintf|malloc|free|memcpy|memset|strlen|sizeof)\(|\bstruct \w+ ?\*"
        r"|\b(?:int|void|char|size_t|static) \*?\w+\((?:void|const |int |char |size_t |struct "
        r"|\))|\bNULL\b|->\w", re.M), 2),
    ("cpp", re.compile(
        r"\bstd::|^\s*(?:namespace \w+|template\s*<|(?:public|private|protected):\s*$)"
        r"|#include <(?:iostream|vector|string|memory|map|algorithm|gtest/gtest\.h)>"
        r"|\bnullptr\b|\w::~?\w+\(|\bconst \w+&|\bvirtual \w|\bcout\b|^\s*class \w+ *(?::|\{|$)"
        r"|\bTEST(?:_F)?\(", re.M), 3),
    # only what Java never writes: Java's own pattern matches C#'s modifiers and classes too
    ("csharp", re.compile(
        r"^\s*using (?:static )?System\b|^\s*namespace [\w.]+\s*[;{]?\s*$"
        r"|\b(?:public|private|internal|protected) (?:(?:static|readonly|override|async|sealed"
        r"|partial|virtual|unsafe) )*(?:partial|override|readonly|sealed|async Task|string|bool"
        r"|struct|record)\b|\{ ?get; ?(?:(?:private |init; ?)?set; ?)?\}|\bnameof\("
        r"|\bforeach ?\(var |^\s*\[(?:assembly|Fact|Test|Serializable)\b|\binternal\b"
        r"|^\s*/// <|\) : (?:base|this)\(", re.M), 4),
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
    for lang, rx, weight in _GUESS:
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
