"""Language names and the tree-sitter grammars behind them.

``normalize_language`` maps the tags people put on markdown fences (``py``, ``tsx``, ``golang``,
``sh``, ``yml`` ...) to one canonical name. ``get_parser`` returns a tree-sitter parser for a
canonical name, or ``None`` when no grammar wheel is installed for it; languages and parsers are
created once per process and cached (a parser is not thread-safe, so each thread gets its own).
"""

from __future__ import annotations

import importlib
import threading
import warnings
from collections import OrderedDict
from functools import cache

from tree_sitter import Language, Parser, Tree

# fence tag / file extension -> canonical language name
_ALIASES: dict[str, str] = {
    "py": "python", "python": "python", "python3": "python", "py3": "python", "python2": "python",
    "pyi": "python", "ipython": "python", "pycon": "python", "sage": "python", "gyp": "python",
    "bzl": "python", "starlark": "python",
    "js": "javascript", "javascript": "javascript", "jsx": "javascript", "mjs": "javascript",
    "cjs": "javascript", "node": "javascript", "nodejs": "javascript", "es6": "javascript",
    "ecmascript": "javascript", "vue": "javascript", "svelte": "javascript",
    "ts": "typescript", "typescript": "typescript", "mts": "typescript", "cts": "typescript",
    "tsx": "tsx",
    "java": "java",
    "go": "go", "golang": "go",
    "sh": "shell", "bash": "shell", "zsh": "shell", "shell": "shell", "console": "shell",
    "shell-session": "shell", "shellsession": "shell", "terminal": "shell", "ksh": "shell",
    "fish": "shell", "sh-session": "shell", "bashsession": "shell", "cmd": "shell",
    "yml": "yaml", "yaml": "yaml",
    "json": "json", "jsonc": "json", "json5": "json", "jsonl": "json", "ndjson": "json",
    "geojson": "json",
    "sql": "sql", "psql": "sql", "postgres": "sql", "postgresql": "sql", "mysql": "sql",
    "sqlite": "sql", "plpgsql": "sql", "tsql": "sql", "plsql": "sql", "pgsql": "sql",
    "hql": "sql", "bigquery": "sql", "snowflake": "sql",
    "cs": "csharp", "csharp": "csharp", "c#": "csharp",
    "rs": "rust", "rust": "rust",
    "rb": "ruby", "ruby": "ruby", "gemfile": "ruby", "rake": "ruby",
    "php": "php",
    "c": "c", "h": "c",
    "cpp": "cpp", "c++": "cpp", "cc": "cpp", "cxx": "cpp", "hpp": "cpp", "hh": "cpp",
    "hxx": "cpp", "cu": "cpp", "cuda": "cpp", "objc": "cpp", "objective-c": "cpp",
    "kt": "kotlin", "kotlin": "kotlin", "kts": "kotlin",
    "dockerfile": "dockerfile", "docker": "dockerfile", "containerfile": "dockerfile",
    "toml": "toml",
    "ini": "ini", "cfg": "ini", "conf": "ini", "properties": "ini", "env": "ini", "dotenv": "ini",
    "editorconfig": "ini",
    "xml": "xml", "html": "html", "htm": "html", "xhtml": "html", "svg": "xml", "pom": "xml",
    "css": "css", "scss": "css", "less": "css",
    "makefile": "makefile", "make": "makefile", "mk": "makefile",
    "md": "markdown", "markdown": "markdown",
    "diff": "diff", "patch": "diff", "udiff": "diff",
    "text": "text", "txt": "text", "plaintext": "text", "plain": "text", "log": "text",
    "output": "text", "none": "text", "nohighlight": "text",
    "hcl": "hcl", "terraform": "hcl", "tf": "hcl",
    "graphql": "graphql", "gql": "graphql",
    "swift": "swift", "scala": "scala", "lua": "lua", "perl": "perl", "pl": "perl",
    "r": "r", "dart": "dart", "elixir": "elixir", "ex": "elixir", "exs": "elixir",
    "haskell": "haskell", "hs": "haskell", "clojure": "clojure", "clj": "clojure",
    "powershell": "powershell", "ps1": "powershell", "pwsh": "powershell",
    "groovy": "groovy", "gradle": "groovy", "proto": "protobuf", "protobuf": "protobuf",
    "nginx": "nginx", "apache": "apache",
}

# canonical name -> (module, function returning the language pointer)
_GRAMMARS: dict[str, tuple[str, str]] = {
    "python": ("tree_sitter_python", "language"),
    "javascript": ("tree_sitter_javascript", "language"),
    "typescript": ("tree_sitter_typescript", "language_typescript"),
    "tsx": ("tree_sitter_typescript", "language_tsx"),
    "java": ("tree_sitter_java", "language"),
    "go": ("tree_sitter_go", "language"),
    "shell": ("tree_sitter_bash", "language"),
    "sql": ("tree_sitter_sql", "language"),
    "yaml": ("tree_sitter_yaml", "language"),
    "json": ("tree_sitter_json", "language"),
    "csharp": ("tree_sitter_c_sharp", "language"),
    "rust": ("tree_sitter_rust", "language"),
    "ruby": ("tree_sitter_ruby", "language"),
    "php": ("tree_sitter_php", "language_php"),
    "c": ("tree_sitter_c", "language"),
    "cpp": ("tree_sitter_cpp", "language"),
    "kotlin": ("tree_sitter_kotlin", "language"),
    "dockerfile": ("tree_sitter_dockerfile", "language"),
    "toml": ("tree_sitter_toml", "language"),
}

# languages whose code is lexed with another language's grammar
_GRAMMAR_OF = {"groovy": "java", "scala": "java", "dart": "java", "swift": "kotlin"}

# The code file extensions we recognise in paths (``src/app/cravix_pager.py``).
CODE_EXTENSIONS = frozenset({
    "py", "pyi", "js", "jsx", "mjs", "cjs", "ts", "tsx", "mts", "java", "go", "kt", "kts", "rs",
    "rb", "php", "cs", "c", "h", "cc", "cpp", "hpp", "cxx", "swift", "scala", "sh", "bash",
    "sql", "vue", "svelte", "dart", "lua", "ex", "exs", "groovy", "proto",
})


def normalize_language(tag: str | None) -> str | None:
    """The canonical name of a fence tag or file extension; ``None`` when it is empty."""
    if not tag:
        return None
    t = tag.strip().lower()
    # ```python title="x.py"``` / ```{python}``` / ```py:foo.py```
    t = t.strip("{}.").split()[0] if t.strip("{}.") else ""
    for sep in (":", ",", "{"):
        t = t.split(sep)[0]
    if not t:
        return None
    if t in _ALIASES:
        return _ALIASES[t]
    if "." in t:  # a file name used as the tag: ``main.go``
        ext = t.rsplit(".", 1)[1]
        if ext in _ALIASES:
            return _ALIASES[ext]
    if t.startswith("language-"):
        return normalize_language(t[9:])
    return t


def language_of_path(path: str) -> str | None:
    """The language of a file name (``worker.py`` -> python, ``Dockerfile`` -> dockerfile)."""
    name = path.rsplit("/", 1)[-1].lower()
    if name in ("dockerfile", "containerfile") or name.startswith("dockerfile."):
        return "dockerfile"
    if name in ("makefile", "gnumakefile"):
        return "makefile"
    if name in ("go.mod", "go.sum"):
        return "text"
    if "." not in name:
        return None
    ext = name.rsplit(".", 1)[1]
    lang = _ALIASES.get(ext)
    return lang


@cache
def get_language(language: str) -> Language | None:
    """The tree-sitter Language for a canonical name, or None without a grammar."""
    language = _GRAMMAR_OF.get(language, language)
    spec = _GRAMMARS.get(language)
    if spec is None:
        return None
    try:
        mod = importlib.import_module(spec[0])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            return Language(getattr(mod, spec[1])())
    except Exception:  # grammar wheel missing or built for another ABI
        return None


_local = threading.local()


def get_parser(language: str) -> Parser | None:
    """A cached parser for this thread, or None when there is no grammar for the language."""
    parsers: dict[str, Parser | None] | None = getattr(_local, "parsers", None)
    if parsers is None:
        parsers = _local.parsers = {}
    if language in parsers:
        return parsers[language]
    lang = get_language(language)
    parser = Parser(lang) if lang is not None else None
    parsers[language] = parser
    return parser


# The segmenter parses a message to see whether it is code, then the lexer walks the same
# text: the last few trees of each thread are kept for it (small texts only).
_TREES_KEPT = 4
_TREE_MAX_BYTES = 256 * 1024


def parse(language: str, data: bytes) -> Tree | None:
    """``data``'s syntax tree in ``language``, or None when there is no grammar for it."""
    parser = get_parser(language)
    if parser is None:
        return None
    if len(data) > _TREE_MAX_BYTES:
        return parser.parse(data)
    trees: OrderedDict[tuple[str, bytes], Tree] | None = getattr(_local, "trees", None)
    if trees is None:
        trees = _local.trees = OrderedDict()
    tree = trees.get((language, data))
    if tree is None:
        tree = trees[(language, data)] = parser.parse(data)
        if len(trees) > _TREES_KEPT:
            trees.popitem(last=False)
    return tree


def has_grammar(language: str | None) -> bool:
    return bool(language) and get_language(language) is not None  # type: ignore[arg-type]


@cache
def grammar_node_kinds() -> frozenset[str]:
    """Every node kind of every installed grammar: keywords (``WORKDIR``, ``elif``) and
    constructs (``entrypoint_instruction``), a language's own vocabulary."""
    kinds: set[str] = set()
    for language in _GRAMMARS:
        lang = get_language(language)
        if lang is not None:
            kinds.update(k for i in range(lang.node_kind_count) if (k := lang.node_kind_for_id(i)))
    return frozenset(kinds)

