"""Signs of the compiled languages for ``segment.guess_language``: Rust, C, C++ and C#, so that a
file of one pasted without a tag is lexed as what it is (guessed as JavaScript, a Rust file's
``let mut`` made ``mut`` a variable of the prompt's own).

Each regex is lines' starts (anchored) and tokens that begin with a literal; no alternative
begins with ``\\b``, which would make the engine try it at every position of a 4 KB sample.
"""

from __future__ import annotations

import re

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
        r"|printf\(|malloc\(|free\(|memcpy\(|memset\(|strlen\(|sizeof\(|NULL\b|->[a-z_]", re.M), 2),
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
