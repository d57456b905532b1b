"""The collecting pass: every slot's segments, read for the names the prompt defines.

Code is lexed (the context's tokens), diffs and ``git blame`` output are lexed without their
prefixes, shell sessions and logs also give mentions of code in their text, prose gives file
paths and identifier-shaped words. References nothing declares or imports are kept and resolved
at the end of the request: with a proprietary word in them they name the project's own code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from recognizers.budget import check
from recognizers.code.lexer import (
    ATTRIBUTE,
    COMMENT,
    DEFINITION,
    IMPORT,
    REFERENCE,
    STRING,
    Token,
    lex,
)
from recognizers.code.vocabulary import is_public_name, is_stdlib_module, split_identifier
from recognizers.context import DetectionContext
from recognizers.identifiers.embedded import schema_names, sql_names, sql_strings
from recognizers.identifiers.imports import import_refs, scan_imports
from recognizers.identifiers.notebooks import notebook_cells, output_texts
from recognizers.identifiers.scan import (
    CodeToken,
    Internal,
    Scan,
    define,
    has_proprietary,
    identifier_words,
    kind_from_case,
)
from recognizers.identifiers.traces import (
    scan_fqns,
    scan_frames,
    scan_go_test,
    scan_paths,
    scan_traceback,
)
from recognizers.segment import (
    CODE,
    DIFF,
    INLINE_CODE,
    LOG,
    PROSE,
    SHELL,
    TRACEBACK,
    Segment,
    guess_language,
)

_SEMANTIC = frozenset({"python", "javascript", "typescript", "tsx", "java", "go", "kotlin",
                       "csharp", "rust", "ruby", "php", "c", "cpp", "scala", "swift", "dart",
                       "groovy"})
_GO_MODULE = re.compile(r"^module\s+([\w.-]+\.[\w.-]+/[\w./-]+)\s*$", re.M)
_BLAME = re.compile(r"^\^?[0-9a-f]{7,40}\s+(?:[\w./-]+\s+)?\([^()\n]*?\d+\)\s?")
# ASCII word characters only: in CJK and Korean prose a name touches the words around it
# ("PostgreSQL이고", "用fetch_rows函数")
_MENTION = re.compile(r"(?<![A-Za-z0-9_$-])[A-Za-z_$][A-Za-z0-9_$]*(?:[a-z0-9][A-Z]"
                      r"|[A-Za-z0-9]_[A-Za-z0-9])[A-Za-z0-9_$]*")
_HUNK = re.compile(r"@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@ ?")
_OUTPUT_LANGUAGES = frozenset({None, "text", "plaintext", "console", "log", "output", "txt"})
# data whose string values name code (a JSON log's logger, task and function names)
_DATA_LANGUAGES = frozenset({"json", "jsonl", "ndjson", "json5"})
_MENTION_LANGUAGES = frozenset({"r", "perl", "lua", "julia", "matlab", "octave", "tcl", "elixir",
                                "erlang", "haskell", "ocaml", "fsharp", "nim", "crystal"})
_JSON_VALUE = re.compile(r'[:\[,]\s*"((?:[^"\\\n]|\\.){3,500})"(?!\s*:)')
_ASSIGN = re.compile(r"\s*(?::=|=)\s*(?:new\s+|await\s+)?")
_C_NAME = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")
_KEBAB = re.compile(r"(?<![\w$./@-])[a-z][a-z0-9]*(?:-[a-z0-9]+)+(?![\w$/@-]|\.\w)")


class Collector:
    """Collects one request's definitions into a :class:`Scan`; ``internal`` is the policy's."""

    def __init__(self, internal: Internal) -> None:
        self.internal = internal

    def scan_text(self, ctx: DetectionContext, scan: Scan) -> list[CodeToken]:
        """Collect the definitions of one slot into ``scan``; return its code tokens."""
        text = ctx.text
        tokens: list[CodeToken] = []
        # C or C++ that includes only system or library headers (``<curl/curl.h>``): what the
        # code uses but never defines comes from those headers, and is public
        headers = _header_slot(text)
        if "module " in text:
            for m in _GO_MODULE.finditer(text):
                scan.module_prefixes.add(m.group(1).lower())
        if '"cell_type"' in text:
            self._scan_notebook(text, scan, tokens)
            scan_frames(text, 0, len(text), scan)  # the cells' error outputs
        for seg in ctx.segments:
            check()
            kind = seg.kind
            if kind == CODE:
                self._scan_code(text[seg.start:seg.end], seg.start, seg.language,
                                ctx.tokens(seg), scan, tokens, headers)
                if seg.language in _OUTPUT_LANGUAGES:  # a log or trace in a plain block
                    scan_fqns(text, seg, scan)
                    scan_frames(text, seg.start, seg.end, scan)
                    scan_paths(text, seg.start, seg.end, scan, project_only=True)
                    scan_go_test(text, seg.start, seg.end, scan)
                    self._scan_mentions(text, seg, scan, headers)
                elif seg.language in _DATA_LANGUAGES and '"cell_type"' not in text:
                    # JSON logs: the logger and task names in their values (keys are a
                    # format's own words: a notebook's nbformat_minor)
                    for m in _JSON_VALUE.finditer(text, seg.start, seg.end):
                        self._scan_mentions(text, seg._replace(start=m.start(1), end=m.end(1)),
                                            scan, headers)
            elif kind == DIFF:
                self._scan_diff(text, seg, scan, tokens)
            elif kind == SHELL:
                shell = seg._replace(language="shell")
                self._scan_code(text[seg.start:seg.end], seg.start, "shell", ctx.tokens(shell),
                                scan, tokens)
                self._scan_blame(text, seg, scan, tokens)
                self._scan_mentions(text, seg, scan, headers)
            elif kind == TRACEBACK:
                scan_traceback(text, seg, scan, tokens)
            elif kind == LOG:
                scan_fqns(text, seg, scan)
                scan_go_test(text, seg.start, seg.end, scan)
                scan_frames(text, seg.start, seg.end, scan)
                scan_paths(text, seg.start, seg.end, scan, project_only=True)
                self._scan_blame(text, seg, scan, tokens)
                self._scan_mentions(text, seg, scan, headers)
            elif kind == INLINE_CODE:
                for t in ctx.tokens(seg._replace(language=None)):
                    if t.kind == "identifier":
                        name = text[seg.start + t.start:seg.start + t.end]
                        tokens.append((seg.start + t.start, seg.start + t.end, name,
                                       REFERENCE if t.role == DEFINITION else t.role, "", None))
                        if t.role != ATTRIBUTE and _MENTION.fullmatch(name):
                            # a mention of code: the project's own when nothing public
                            scan.unresolved.append((name, None, kind_from_case(name), ""))
                scan_paths(text, seg.start, seg.end, scan, project_only=True)
            elif kind == PROSE:
                scan_paths(text, seg.start, seg.end, scan, project_only=True)
                scan_frames(text, seg.start, seg.end, scan)
                self._scan_mentions(text, seg, scan, headers)
        return tokens

    def _scan_code(self, code: str, base: int, language: str | None, toks: list[Token],
                   scan: Scan, tokens: list, headers: frozenset[str] | None = None) -> None:
        """``code`` starts at ``base`` in the slot; ``toks`` are its lexed tokens; ``headers``:
        where the slot includes only ``<...>`` headers, the names it defines in C."""
        if language in ("java", "kotlin", "scala", "groovy") and "package " in code:
            for m in re.finditer(r"^\s*package\s+([\w.]+)", code, re.M):
                scan.jvm_packages.add(".".join(m.group(1).split(".")[:2]))
        imports: list[Token] = []
        for t in toks:
            start, end, kind, role, detail = t
            if kind == "identifier":
                if role == IMPORT:
                    imports.append(t)
                    continue
                tokens.append((base + start, base + end, code[start:end], role, detail,
                               language))
            elif kind == STRING and role == IMPORT:
                imports.append(t)
            elif kind == COMMENT:
                scan_paths(code, start, end, scan, project_only=False)
        if imports:
            scan.imports.append((0, tuple(import_refs(code, imports, base)), language))
        if language != "sql":
            self._scan_embedded(code, base, toks, scan, tokens)
        # languages whose grammar tells a reference from a declaration well enough to trust
        # that a name nothing declares or imports comes from elsewhere in the project
        semantic = language in _SEMANTIC
        from_headers = headers is not None and language in ("c", "cpp", None)
        root = ""  # the first name of the current a.b.c chain
        prev_end = -1
        assigned = ""  # a variable just defined: ``c`` of ``c = Client(``
        for start, end, kind, role, detail in toks:
            if kind != "identifier":
                continue
            name = code[start:end]
            if role in (DEFINITION, IMPORT):
                scan.declared.add(name)
            if assigned and role == REFERENCE and _ASSIGN.fullmatch(code, prev_end, start) \
                    and code[end:end + 1] == "(":
                scan.instances.setdefault(assigned, name)
            assigned = name if role == DEFINITION and detail == "variable" else ""
            chained = role == ATTRIBUTE and prev_end >= 0 and \
                code[prev_end:start].strip() in (".", "?.", "->", "::")
            if not chained:
                root = name
            prev_end = end
            if language == "sql" and role in (REFERENCE, ATTRIBUTE):
                # a table or column of the prompt's own schema, or a function of the engine
                if len(name) >= 4:
                    scan.unresolved.append((name, language, kind_from_case(name), ""))
                continue
            if role == REFERENCE:
                if from_headers:
                    if name in headers:  # type: ignore[operator]
                        # defined by the text (typedef struct {...} x;): judged as before
                        scan.unresolved.append((name, language, kind_from_case(name), ""))
                    else:
                        scan.public_uses.add(name)
                    continue
                if semantic and len(name) >= 4 and name not in scan.imported:
                    scan.unresolved.append((name, language, kind_from_case(name), ""))
                elif language in _MENTION_LANGUAGES and _MENTION.fullmatch(name) and \
                        code[end:end + 1] != "(":
                    # no grammar to resolve names by (R's dplyr columns, Lua globals): a
                    # compound name is judged by its words, as a mention in prose is (not a
                    # call: a package's function, scale_fill_viridis_d())
                    scan.unresolved.append((name, None, kind_from_case(name), ""))
                continue
            if role == ATTRIBUTE and from_headers and chained and root in scan.public_uses:
                scan.public_uses.add(name)  # a member of a library struct: msg->data.result
                continue
            if role == ATTRIBUTE and semantic and chained and root not in scan.imported:
                # a member of something nothing declares or imports: ledgerpb.NewLedgerClient
                if len(name) >= 4 and (has_proprietary(name) or name.isalpha()):
                    scan.unresolved.append((name, language, kind_from_case(name), root))
                continue
            if role != DEFINITION:
                continue
            if detail in ("field", "method", "parameter"):
                scan.member_defs.add(name)
            if detail == "package" and not has_proprietary(name):
                continue  # a package path (com.getcapacitor) is public unless a word is not
            define(name, detail, language, scan)

    def _scan_notebook(self, text: str, scan: Scan, tokens: list) -> None:
        """The code cells of a notebook pasted as JSON, lexed as code; what they yield is
        moved back to where each character stands in the JSON. Names in the cells' outputs
        (a repr of the project's own class) are mentions of code."""
        for out in output_texts(text):
            for m in _MENTION.finditer(out):
                scan.unresolved.append((m.group(), None, kind_from_case(m.group()), ""))
        for code, offsets, language in notebook_cells(text):
            mine: list = []
            n_imports = len(scan.imports)
            self._scan_code(code, 0, language, lex(code, language), scan, mine)
            at = _offset_map(offsets)
            for s, e, *rest in mine:
                tokens.append((at(s), at(e - 1) + 1, *rest))
            for k in range(n_imports, len(scan.imports)):
                slot, refs, lang = scan.imports[k]
                scan.imports[k] = (slot, tuple(r._replace(start=at(r.start), end=at(r.end - 1) + 1)
                                               for r in refs), lang)

    def _scan_embedded(self, code: str, base: int, toks: list[Token], scan: Scan,
                       tokens: list) -> None:
        """SQL in the code's string literals, and schema names passed to migration calls."""
        seen: set[str] = set()
        for off, sql in sql_strings(code, toks):
            # every name of the statement is judged by its words, whatever its role: no parse
            # (a tree-sitter parse of each statement cost milliseconds)
            for s, e, name in sql_names(sql):
                tokens.append((base + off + s, base + off + e, name, REFERENCE, "", "sql"))
                if name not in seen:
                    seen.add(name)
                    scan.unresolved.append((name, "sql", kind_from_case(name), ""))
        for _s, _e, name in schema_names(code, toks):
            if len(name) >= 4:
                scan.unresolved.append((name, "sql", kind_from_case(name), ""))

    def _scan_mentions(self, text: str, seg: Segment, scan: Scan,
                       headers: frozenset[str] | None) -> None:
        """Identifier-shaped words of prose and logs (``the TreskelSearchIndexer crashed``,
        ``Task frembly_tasks.reconcile_batch received``): mentions of code."""
        for m in _MENTION.finditer(text, seg.start, seg.end):
            s, e = m.span()
            if (s > 0 and text[s - 1] in "@/\\") or (e < len(text) and text[e] == "@"):
                continue
            name = m.group()
            if headers is not None and _C_NAME.fullmatch(name) and name not in headers:
                scan.public_uses.add(name)  # curl_easy_setopt, CURLOPT_URL: from a header
                continue
            scan.unresolved.append((name, None, kind_from_case(name), ""))
        if self.internal.words and "-" in text[seg.start:seg.end]:
            # package names: haulwise-client (only with a word the policy lists)
            for m in _KEBAB.finditer(text, seg.start, seg.end):
                scan.unresolved.append((m.group(), None, "module", "-"))

    def _scan_blame(self, text: str, seg: Segment, scan: Scan, tokens: list) -> None:
        """`git blame` output: the code after each line's prefix."""
        body = text[seg.start:seg.end]
        if not _BLAME.search(body):
            return
        kept = []
        for line in body.split("\n"):
            m = _BLAME.match(line)
            kept.append(" " * m.end() + line[m.end():] if m else " " * len(line))
        stripped = "\n".join(kept)
        lang = guess_language(stripped)
        self._scan_code(stripped, seg.start, lang, lex(stripped, lang), scan, tokens)

    def _scan_diff(self, text: str, seg: Segment, scan: Scan, tokens: list) -> None:
        body = text[seg.start:seg.end]
        lines = body.split("\n")
        kept = []
        for line in lines:
            hunk = _HUNK.match(line)
            if hunk:
                # the hunk's header names the enclosing function or class: keep that code
                kept.append(" " * hunk.end() + line[hunk.end():])
            elif line.startswith(("+++", "---", "diff ", "index ", "@@")):
                m = re.match(r"(?:\+\+\+ b/|--- a/|diff --git a/)(\S+)", line)
                if m:
                    scan_paths(line, 0, len(line), scan, project_only=False)
                kept.append(" " * len(line))
            elif line[:1] in ("+", "-", " "):
                kept.append(" " + line[1:])
            else:
                kept.append(line)
        stripped = "\n".join(kept)
        lang = seg.language or guess_language(stripped)
        self._scan_code(stripped, seg.start, lang, lex(stripped, lang), scan, tokens)

    def resolve(self, scan: Scan, tokens: Sequence[list[CodeToken]] = ()) -> None:
        """Judge the imports of every slot (``tokens``: each slot's code tokens, to which the
        internal imports are added), then the references.

        References that nothing declares or imports, with a proprietary word in them, name
        the project's own code declared elsewhere (``MirabexSyncWorker(dsn)`` in a traceback,
        ``VantolixTemplates.toJson`` in a Java class of the same package)."""
        for i, refs, language in scan.imports:
            scan_imports(refs, language, scan, tokens[i] if i < len(tokens) else [],
                         self.internal)
        scan.imports.clear()
        # a name an import (of any slot) binds publicly is no private definition
        for name in [n for n in scan.defs if n in scan.public_names]:
            del scan.defs[name]
        for name, language, kind, receiver in scan.unresolved:
            if receiver and receiver != "-" and receiver not in scan.defs and (
                    receiver in scan.public_names or is_stdlib_module(receiver, language)):
                # reached through a public import (nn.Conv2d, F.relu), even where the prompt
                # has a name of the same spelling (self.relu)
                scan.public_uses.add(name)
                scan.public_members.add(name)
                continue
            if name in scan.defs or name in scan.imported:
                continue
            if receiver == "-":
                if any(w.lower() in self.internal.words for w in identifier_words(name)):
                    define(name, kind, language, scan)
                continue
            if receiver and scan.instances.get(receiver) in scan.defs and \
                    has_proprietary(name, scan.public_words) and _plausible(name):
                define(name, kind, language, scan)  # c.fetch_silae_frame, c a private class's
                continue
            if receiver and (receiver in scan.declared or receiver in scan.imported or
                             is_public_name(receiver, language, scan.public_names)):
                continue
            if is_public_name(name, language, scan.public_names):
                scan.public_uses.add(name)
                continue
            if has_proprietary(name, scan.public_words) and _plausible(name):
                define(name, kind, language, scan)
        scan.unresolved.clear()


def _offset_map(offsets: list[int]) -> Callable[[int], int]:
    """Decoded index -> offset in the slot (past the end: after the last character)."""
    def at(k: int) -> int:
        return offsets[k] if k < len(offsets) else offsets[-1] + 1
    return at


_C_DEFINED = re.compile(r"}\s*([A-Za-z_]\w*)\s*;|#\s*define\s+([A-Za-z_]\w*)")


def _header_slot(text: str) -> frozenset[str] | None:
    """Where C or C++ includes only system or library headers (``<curl/curl.h>``), what its code
    uses but never defines comes from those headers and is public: the names the text defines
    (``typedef struct {...} ring_t;``, ``#define X``, which the lexer may miss), else None."""
    if "#include <" not in text or '#include "' in text:
        return None
    return frozenset(a or b for a, b in _C_DEFINED.findall(text))


_VOWEL = re.compile(r"[aeiouyAEIOUY]")


def _plausible(name: str) -> bool:
    """Shaped like a name people chose, not like a random token (``g5QEqxofi40edx``)."""
    spans = split_identifier(name)
    singles = 0
    prev_digit = False
    prev_len = 0
    for s, e in spans:
        w = name[s:e]
        if w.isdigit():
            if prev_len == 1:
                return False  # g5...
            prev_digit = True
            prev_len = len(w)
            continue
        if prev_digit and w[0].islower():
            return False  # ...40edx
        if len(w) == 1:
            singles += 1
        elif not _VOWEL.search(w) and len(w) > 4:
            return False
        prev_digit = False
        prev_len = len(w)
    return singles <= 1

