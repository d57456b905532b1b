"""Cut a prompt into prose and the kinds of code people paste into it.

``segment(text)`` returns :class:`Segment` spans that cover ``text`` end to end, in order:

* ``code``: the body of a fenced block (``` or ~~~; the fence lines themselves stay prose), an
  indented code block, or a whole message that is code (a tool result holding a file); the
  ``language`` comes from the fence tag, normalised (``py`` -> ``python``, ``tsx``, ``sh`` ->
  ``shell``, ``yml`` -> ``yaml``, ``golang`` -> ``go`` ...), or is guessed from the content;
* ``inline_code``: the inside of a `span`;
* ``traceback``: a Python traceback, a Java/JavaScript stack trace or a Go panic, with the
  language it came from;
* ``log``: CI and test logs, timestamped or levelled lines, other preformatted output;
* ``diff``: a unified diff (``language``: the language of the file it patches, when known);
* ``shell``: a terminal session with prompts (``$ cmd``, ``user@host:~/src$ cmd``);
* ``prose``: everything else.

It looks at each line once with one regular expression, so a 2 KB message takes well under a
millisecond.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from recognizers.code.guess import guess_language
from recognizers.code.languages import language_of_path, normalize_language, parse

PROSE = "prose"
CODE = "code"
INLINE_CODE = "inline_code"
TRACEBACK = "traceback"
LOG = "log"
DIFF = "diff"
SHELL = "shell"
KINDS = (PROSE, CODE, INLINE_CODE, TRACEBACK, LOG, DIFF, SHELL)


class Segment(NamedTuple):
    start: int
    end: int
    kind: str
    language: str | None = None


# -- fences --------------------------------------------------------------------------------------

_FENCE = re.compile(r"^([ \t]*)(`{3,}|~{3,})[ \t]*([^\n`]*?)[ \t]*$", re.M)

# -- line classes --------------------------------------------------------------------------------

_TS = (r"(?:\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2})?|\[?\d{2}:\d{2}:\d{2}[.,]\d+"
       r"|\[?\d{2}:\d{2}:\d{2}\]|[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}|\d{10}(?:\.\d+)?\s"
       r"|[IWEF]\d{4} \d{2}:\d{2}:\d{2})")
_LINE = re.compile(
    r"(?P<blank>[ \t]*$)"
    r"|(?P<pytb>Traceback \(most recent call last\):?[ \t]*$)"
    r"|(?P<pyframe>[ \t]+File \"[^\"]*\", line \d+)"
    r"|(?P<stack>[ \t]+at [\w$.<>/\\\[\]@:-]+(?: \[as [\w$]+\])?(?:\s*\(.*\)|\s+[\w./\\:@-]+:\d+"
    r"(?::\d+)?)?[ \t]*$|[ \t]*\.\.\. \d+ (?:more|common frames omitted)"
    r"|Caused by: [\w$.]+)"
    r"|(?P<gopanic>panic: |goroutine \d+ \[[\w ,]+\]:[ \t]*$|fatal error: )"
    r"|(?P<gofile>\t/\S+\.go:\d+)"
    r"|(?P<diffhdr>diff --git |--- (?:a/|/dev/null)|\+\+\+ (?:b/|/dev/null)|index [0-9a-f]{7,}\.\."
    r"|@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@)"
    r"|(?P<prompt>[ \t]*(?:\([\w.-]+\) )?(?:[\w.+-]+@[\w.-]+(?::[^\s$#]*)?[ \t]?[$#%>]|\$|PS [A-Z]:"
    r"[^>]*>|[A-Z]:\\[^>]*>|❯|➜ +\S+)[ \t]+\S)"
    r"|(?P<log>" + _TS + r"|\[(?:INFO|WARN|WARNING|ERROR|DEBUG|TRACE|FATAL|NOTICE|CRITICAL)\]"
    r"|(?:INFO|WARN|WARNING|ERROR|DEBUG|TRACE|FATAL|CRITICAL)[:\s]"
    r"|={3,} .* ={3,}$|_{3,} .* _{3,}$|-{3,} (?:Captured|live log)"
    r"|(?:FAILED|PASSED|ERROR|SKIPPED|XFAIL|XPASS) [\w/.-]+(?:::| )"
    r"|[\w/.-]+\.py::\w.* (?:PASSED|FAILED|ERROR|SKIPPED)|[\w/.-]+\.py [.FEsx]+"
    r"|#\d+ (?:\[|\d+\.\d+ |DONE|CACHED|ERROR)|Step \d+/\d+ : |npm (?:ERR!|WARN|notice)"
    r"|--- (?:FAIL|PASS|SKIP): |=== (?:RUN|PAUSE|CONT) |(?:ok|FAIL)\s+[\w./-]+\s+\d"
    r"|\s*(?:✓|✗|✔|✘|×|√) |Tests? (?:run|Suites?):|PASS |FAIL |##\[|::(?:error|warning|group)"
    r"|\[\d+/\d+\] |\s*\d+ (?:passing|failing|pending)\b|Error: Process completed"
    r"|>\s*Task :|BUILD (?:SUCCESS|FAILURE|SUCCESSFUL|FAILED)|make(?:\[\d+\])?: )"
    r"|(?P<indented>(?: {4}|\t)\S)"
)

_EXC_LINE = re.compile(r"[\w$.]+(?:Error|Exception|Warning|Exit|Interrupt|Fault|Failure|Throwable"
                       r"|Timeout\w*|Refused\w*)\b|[a-z_][\w.]*\.[A-Z]\w*(?::|$)|\w+: ")
_JAVA_EXC_HEAD = re.compile(r"(?:Exception in thread \"[^\"]*\" |Uncaught |Unhandled )?"
                            r"[\w$.]*(?:Error|Exception|Throwable)\b")

# -- code-likeness of a line ---------------------------------------------------------------------

_CODE_LINE = re.compile(
    r"^\s*(?:def |class |import |from [\w.]+ import |func |package |public |private |protected "
    r"|static |const |let |var |return\b|if\s*\(|for\s*\(|while\s*\(|switch\s*\(|try\s*\{|catch"
    r"|else\b|elif |except\b|with |async |await |export |interface |type \w+ |@\w+|#include"
    r"|SELECT |INSERT |UPDATE |DELETE |CREATE |ALTER |DROP |FROM |WHERE |JOIN |GROUP BY"
    r"|ORDER BY|[}\])]|<\/?[A-Za-z][\w.-]*[ />]|\w[\w.]*\s*(?:=|:=|\+=|-=)\s*\S"
    r"|\w[\w.]*\(.*\)\s*;?$"
    r"|[\"']?[\w.-]+[\"']?\s*:\s|- \w[\w-]*:\s|#!/)"
    r"|[;{}]\s*$|\)\s*(?:->.*)?:\s*$|=>|->|::|\w\(\)"
)


def _code_ratio(lines: list[str]) -> float:
    n = code = 0
    for line in lines:
        if not line.strip():
            continue
        n += 1
        if _CODE_LINE.search(line):
            code += 1
    return code / n if n else 0.0


# -- blocks of lines -----------------------------------------------------------------------------

def _lines(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    out = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        cls = _LINE.match(text, pos, stop)
        out.append((pos, stop, cls.lastgroup if cls else "other"))
        if nl < 0:
            break
        pos = nl + 1
    return out


_PY_TB_BODY = frozenset({"pyframe", "indented", "stack"})


def _blocks(text: str, start: int, end: int, fenced: bool) -> list[Segment]:
    """Traceback, diff, shell and log blocks among the lines of text[start:end]; the rest is
    returned as ``None``-kind gaps to be decided by the caller."""
    lines = _lines(text, start, end)
    out: list[Segment] = []
    i, n = 0, len(lines)
    while i < n:
        s, e, cls = lines[i]
        j = i
        kind = lang = None
        if cls == "pytb":
            kind, lang = TRACEBACK, "python"
            j = i + 1
            while j < n:
                c = lines[j][2]
                if c in _PY_TB_BODY:
                    j += 1
                    continue
                if c == "blank" and j + 1 < n and lines[j + 1][2] in ("other", "pytb", "log") \
                        and text.startswith(("During handling", "The above exception"),
                                            lines[j + 1][0]):
                    j += 2
                    continue
                if c == "pytb":
                    j += 1
                    continue
                if c in ("other", "log") and text.startswith(
                        ("During handling", "The above exception"), lines[j][0]):
                    j += 1
                    continue
                break
            # the exception line, and what hangs under it (indented, carets)
            if j < n and lines[j][2] in ("other", "log", "gopanic"):
                j += 1
                while (j < n and lines[j][2] in ("indented",)) or (
                        j < n and lines[j][2] == "other" and
                        text[lines[j][0]:lines[j][1]].startswith(("\t", " ", "LINE ", "^"))):
                    j += 1
        elif cls == "stack" or (cls in ("other", "log") and i + 1 < n and lines[i + 1][2] == "stack"
                                and _JAVA_EXC_HEAD.search(text, s, e)):
            kind = TRACEBACK
            j = i + 1
            while j < n and (lines[j][2] == "stack" or (
                    lines[j][2] in ("other", "log") and j + 1 < n and lines[j + 1][2] == "stack")):
                j += 1
            body = text[s:lines[j - 1][1]]
            lang = "javascript" if re.search(r"\.(?:m?js|ts|tsx|jsx):\d+|node:|<anonymous>",
                                             body) else "java"
        elif cls == "gopanic":
            kind, lang = TRACEBACK, "go"
            j = i + 1
            while j < n and lines[j][2] in ("gofile", "other", "blank", "gopanic", "indented"):
                c = lines[j][2]
                if c == "blank" and not (j + 1 < n and lines[j + 1][2] == "gopanic"):
                    break
                if c == "other" and not re.match(r"[\w./*()-]+\(.*\)\s*$|created by ",
                                                 text[lines[j][0]:lines[j][1]]):
                    break
                j += 1
        elif cls == "diffhdr":
            kind = DIFF
            j = i + 1
            while j < n:
                c = lines[j][2]
                t0 = text[lines[j][0]:lines[j][0] + 1]
                if c == "diffhdr" or t0 in ("+", "-", " ", "\\") or (
                        c == "blank" and j + 1 < n and text[lines[j + 1][0]:lines[j + 1][0] + 1]
                        in ("+", "-", " ", "@", "d")) or text.startswith(
                        ("new file", "deleted file", "similarity", "rename ", "old mode",
                         "new mode", "Binary files"), lines[j][0]):
                    j += 1
                    continue
                break
            m = re.search(r"^(?:\+\+\+ b/|--- a/|diff --git a/)(\S+)", text[s:lines[j - 1][1]],
                          re.M)
            lang = language_of_path(m.group(1)) if m else None
        elif cls == "prompt":
            kind = SHELL
            j = i + 1
            while j < n:
                c = lines[j][2]
                if c == "blank":
                    if j + 1 < n and lines[j + 1][2] == "prompt":
                        j += 1
                        continue
                    break
                if not fenced and c == "other" and lines[j - 1][2] == "blank":
                    break
                j += 1
            lang = "shell"
        elif cls == "log":
            j = i + 1
            while j < n and (lines[j][2] in ("log", "stack", "indented") or (
                    lines[j][2] in ("other", "blank") and j + 1 < n
                    and lines[j + 1][2] == "log" and (fenced or lines[j][2] == "other"))):
                j += 1
            if j - i >= 2 or fenced:
                kind = LOG
            else:
                j = i
        if kind is None:
            _add(out, Segment(s, _line_end(text, e, end), "", None))
            i += 1
            continue
        _add(out, Segment(s, _line_end(text, lines[j - 1][1], end), kind, lang))
        i = j
    return out


def _add(out: list[Segment], seg: Segment) -> None:
    if out and out[-1].kind == seg.kind and out[-1].language == seg.language and \
            seg.kind in ("", PROSE, LOG):
        prev = out[-1]
        out[-1] = Segment(prev.start, seg.end, prev.kind, prev.language)
    else:
        out.append(seg)


# -- inline code ---------------------------------------------------------------------------------

_INLINE = re.compile(r"(?<!`)(`+)(?!`)((?:(?!\1)[^\n])+?|(?:(?!\1)[^\n]|\n(?![ \t]*\n))+?)"
                     r"(?<!`)\1(?!`)")


def _prose(text: str, start: int, end: int, out: list[Segment]) -> None:
    pos = start
    if "`" in text[start:end]:
        for m in _INLINE.finditer(text, start, end):
            a, b = m.start(2), m.end(2)
            if a > pos:
                _add(out, Segment(pos, a, PROSE))
            elif a < pos:
                continue
            out.append(Segment(a, b, INLINE_CODE, None))
            pos = b
    if end > pos:
        _add(out, Segment(pos, end, PROSE))


# -- regions -------------------------------------------------------------------------------------

def _region(text: str, start: int, end: int, out: list[Segment], whole: bool) -> None:
    """Unfenced text: prose with inline code, tracebacks, logs, diffs, sessions, indented code;
    or code altogether when the whole message is code."""
    if start >= end:
        return
    chunk = text[start:end]
    if whole and "\n" in chunk.strip():
        lines = chunk.splitlines()
        ratio = _code_ratio(lines)
        first = next((ln for ln in lines if ln.strip()), "")
        if ratio >= 0.3 or (ratio >= 0.1 and _CODE_LINE.search(first)):
            lang = _clean_language(chunk, guess_language(chunk))
            if lang is not None:
                _add_code(text, start, end, out, lang)
                return
        if ratio >= 0.6 and not _looks_like_prose(chunk):
            blocks = _blocks(text, start, end, fenced=True)
            if not any(b.kind for b in blocks) or _only_code_gaps(blocks):
                _add_code(text, start, end, out, None)
                return
    blocks = _blocks(text, start, end, fenced=False)
    gap_start = -1
    gap_end = -1
    for b in blocks:
        if b.kind == "":
            if gap_start < 0:
                gap_start = b.start
            gap_end = b.end
            continue
        if gap_start >= 0:
            _gap(text, gap_start, gap_end, out)
            gap_start = -1
        out.append(b)
    if gap_start >= 0:
        _gap(text, gap_start, end, out)


_CLEAN_ALTERNATES = {"javascript": ("tsx",), "typescript": ("tsx",), "tsx": ("typescript",)}


def _parses_cleanly(code: str, language: str) -> bool:
    """The language's grammar reads the whole text without an error: it is code."""
    data = code.encode("utf-8", "surrogatepass")
    for lang in (language, *_CLEAN_ALTERNATES.get(language, ())):
        tree = parse(lang, data)
        if tree is not None and not tree.root_node.has_error:
            return True
    return False


_CLOSE = {"c": "cpp"}  # a language whose grammar may read what the guessed one's cannot


def _clean_language(code: str, language: str | None) -> str | None:
    """The language (the guessed one, or a close one) whose grammar reads all of ``code``."""
    for lang in (language, _CLOSE.get(language or "")):
        if lang is not None and _parses_cleanly(code, lang):
            return lang
    return None


# how source files begin: a comment, a docstring, a package, an import (not how prose does)
_SOURCE_START = re.compile(
    r"\s*(?:#|//|/\*|\"\"\"|\'\'\'|<\?|package [\w.]+;?\s*$|import [\w.{*'\"]|from [\w.]+ import "
    r"|using [\w.]+;|use \w+::|namespace [\w.]+|[\"']use strict|const \w+ = require\()")


def _source_file(text: str) -> str | None:
    """A message that is one source file, pasted bare, whose strings or comments hold what
    looks like markdown fences (a docstring's ```python example, an rst ``~~~`` underline): its
    language, else None. It begins the way source files begin, and the guessed language's
    grammar reads all of it (prose around a fenced block never parses)."""
    first = next((ln for ln in text[:2000].splitlines() if ln.strip()), "")
    if _FENCE.match(first) or not _SOURCE_START.match(first):
        return None
    if _code_ratio(text.splitlines()) < 0.1:  # the parse decides; this spares it for prose
        return None
    return _clean_language(text, guess_language(text))


def _line_end(text: str, pos: int, limit: int) -> int:
    """Past the newline that ends the line at pos (if it is before limit)."""
    if pos < limit and text[pos] == "\n":
        return pos + 1
    return pos


def _only_code_gaps(blocks: list[Segment]) -> bool:
    return all(b.kind in ("", LOG) for b in blocks) and sum(b.kind == LOG for b in blocks) <= 1


_PROSE_WORDS = re.compile(r"[A-Za-z]+(?:'[a-z]+)?[,.!?]? ")


def _looks_like_prose(chunk: str) -> bool:
    """Many sentences: a message with a code-looking line or two is still prose."""
    sentences = len(re.findall(r"[a-z][.!?](?:\s|$)", chunk))
    words = len(_PROSE_WORDS.findall(chunk))
    return sentences >= 3 and words > len(chunk) / 12


_INDENTED_CODE = re.compile(r"(?:^|\n)[ \t]*\n((?:(?: {4}|\t)[^\n]*\n?|[ \t]*\n)+)")


def _gap(text: str, start: int, end: int, out: list[Segment]) -> None:
    """Prose, possibly with markdown indented code blocks."""
    if start >= end:
        return
    pos = start
    chunk = text[start:end]
    if "\n    " in chunk or "\n\t" in chunk:
        for m in _INDENTED_CODE.finditer(text, start, end):
            a, b = m.start(1), m.end(1)
            body = text[a:b]
            lines = [ln for ln in body.splitlines() if ln.strip()]
            if len(lines) < 2 or _code_ratio(lines) < 0.6 or re.match(r"\s*(?:[-*+]|\d+\.) ",
                                                                       lines[0]):
                continue
            if a > pos:
                _prose(text, pos, a, out)
            _add_code(text, a, b, out, None)
            pos = b
    _prose(text, pos, end, out)


def _add_code(text: str, start: int, end: int, out: list[Segment], language: str | None) -> None:
    out.append(Segment(start, end, CODE, language or guess_language(text[start:end])))


def _fenced(text: str, start: int, end: int, tag: str, out: list[Segment]) -> None:
    lang = normalize_language(tag)
    if start >= end:
        return
    if lang == "diff":
        out.append(Segment(start, end, DIFF, _diff_language(text, start, end)))
        return
    if lang in (None, "text", "shell", "markdown"):
        blocks = _blocks(text, start, end, fenced=True)
        kinds = {b.kind for b in blocks}
        if lang == "shell" and SHELL not in kinds:
            out.append(Segment(start, end, CODE, "shell"))
            return
        if kinds == {""}:
            body = text[start:end]
            guess = guess_language(body) if lang != "text" else None
            if lang == "markdown":
                _region(text, start, end, out, whole=False)
            elif guess is not None and (lang is None or _code_ratio(body.splitlines()) >= 0.5):
                out.append(Segment(start, end, CODE, guess))
            else:
                out.append(Segment(start, end, LOG, None))
            return
        # mixed preformatted output: logs, traces, sessions; the rest is log text too
        for b in blocks:
            _add(out, b if b.kind else Segment(b.start, b.end, LOG, None))
        return
    # a tagged fence; a traceback pasted under ```python is still a traceback
    head = text[start:min(end, start + 200)].lstrip()
    if head.startswith("Traceback (most recent call last)"):
        _fenced(text, start, end, "", out)
        return
    out.append(Segment(start, end, CODE, lang))


def _diff_language(text: str, start: int, end: int) -> str | None:
    m = re.search(r"^(?:\+\+\+ b/|--- a/|diff --git a/)(\S+)", text[start:end], re.M)
    return language_of_path(m.group(1)) if m else None


def segment(text: str) -> list[Segment]:
    """Segments covering ``text`` from 0 to len(text), in order, without overlaps."""
    out: list[Segment] = []
    if not text:
        return out
    pos = 0
    opened: re.Match[str] | None = None
    fences = _FENCE.finditer(text) if ("```" in text or "~~~" in text) else iter(())
    if "\n" in text.strip() and ("```" in text or "~~~" in text):
        lang = _source_file(text)
        if lang is not None:
            return [Segment(0, len(text), CODE, lang)]
    any_fence = False
    for m in fences:
        if opened is None:
            opened = m
            continue
        # a closing fence: same character, at least as long, no tag
        o = opened.group(2)
        c = m.group(2)
        if c[0] != o[0] or len(c) < len(o) or m.group(3):
            if c[0] == o[0] and m.group(3) and len(c) >= len(o):
                pass  # ```python inside an open block: just a line of the body
            continue
        any_fence = True
        _region(text, pos, opened.start(), out, whole=False)
        body_start = min(opened.end() + 1, len(text))
        body_end = m.start()
        _add(out, Segment(opened.start(), body_start, PROSE))
        if body_end > body_start:
            _fenced(text, body_start, body_end, opened.group(3), out)
        pos = body_end
        opened = None
    if opened is not None:  # unclosed fence: the code runs to the end
        any_fence = True
        _region(text, pos, opened.start(), out, whole=False)
        body_start = min(opened.end() + 1, len(text))
        _add(out, Segment(opened.start(), body_start, PROSE))
        _fenced(text, body_start, len(text), opened.group(3), out)
        pos = len(text)
    _region(text, pos, len(text), out, whole=not any_fence)
    return _finish(out, len(text))


def _finish(out: list[Segment], n: int) -> list[Segment]:
    """Fill any hole with prose and merge neighbouring prose (a safety net)."""
    res: list[Segment] = []
    pos = 0
    for seg in out:
        if seg.end <= seg.start:
            continue
        if seg.start > pos:
            _add(res, Segment(pos, seg.start, PROSE))
        elif seg.start < pos:
            if seg.end <= pos:
                continue
            seg = Segment(pos, seg.end, seg.kind, seg.language)
        kind = seg.kind or PROSE
        _add(res, Segment(seg.start, seg.end, kind, seg.language if kind != PROSE else None))
        pos = seg.end
    if pos < n:
        _add(res, Segment(pos, n, PROSE))
    return res
