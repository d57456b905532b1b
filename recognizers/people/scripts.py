"""Names in scripts without letter case: Arabic, Persian, Hebrew, Devanagari, Bengali and other
Indic scripts, Thai, and CJK (where names are written without spaces).

Capitalisation, the main cue for Latin, Cyrillic or Greek names, says nothing here, so the
lexicon does the work: Faker's first and last names of every locale, written in these scripts.

* Space-separated scripts (and CJK names written "長谷川 直樹"): a known first name followed by a
  known last name (one or more words: ``بنو الأحمر``) is a name wherever it stands; a lone
  known name only in a person's context (a label, a person key, ``TODO(..)``).
* CJK text without spaces: a known surname followed by a known given name is a name when both
  of its ends are marked: the edge of the CJK run (quotes, punctuation, a field), a Japanese or
  Korean honorific (さん, 様, 님, 씨), or a Chinese word that sits next to people (说, 的,
  先生, 问, 联系, 打给 ...). Words that only start like a surname (王国, 高性能) never match both.
"""

from __future__ import annotations

import re as stdre
from collections.abc import Iterator
from functools import cache

import regex as re

from recognizers.people.lexicon import _faker_names

# one word of an uncased script: letters and combining marks, ZWJ/ZWNJ inside (Indic, Persian)
_SCRIPTS = (r"\p{Arabic}\p{Hebrew}\p{Devanagari}\p{Bengali}\p{Gurmukhi}\p{Gujarati}\p{Tamil}"
            r"\p{Telugu}\p{Kannada}\p{Malayalam}\p{Thai}\p{Sinhala}\p{Ethiopic}")
# a geresh inside a Hebrew name (ג'ורי, תורג'מן), often typed as an ASCII apostrophe
_UWORD = (r"[" + _SCRIPTS + r"](?:[" + _SCRIPTS + r"\p{M}\u200c\u200d]"
          r"|['\u05f3\u2019](?=[" + _SCRIPTS + r"])"
          r"|(?<=\p{Hebrew})['\u05f3\u2019](?![\w'\u2019])"
          # initials with dots (Nepali के.सी.); a sentence's full stop is trimmed on lookup
          r"|\.(?=[" + _SCRIPTS + r"])|(?<=[" + _SCRIPTS + r"\p{M}])\.(?![\w.]))*")
# a later word may stand in parentheses: Nepali surnames are written so ("तेजश्‍वी (श्रेष्‍ठ)"),
# and so are clan names and transliterations; the lexicon is asked about the bare word
_URUN_RE = re.compile(_UWORD + r"(?:[ \u00a0](?:" + _UWORD + r"|\(" + _UWORD + r"\)))*")
_CJK = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}ー々"
_CJK_RUN_RE = re.compile(r"[" + _CJK + r"]+(?:[ \u3000][" + _CJK + r"]+)*")
# a cheap test first (the standard library's re scans a plain class of ranges far faster)
HAS_UNCASED_RE = stdre.compile(
    "[\u0590-\u05ff\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\u0900-\u0dff\u0e00-\u0e7f"
    "\u1200-\u137f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
    "\ufb1d-\ufdff\ufe70-\ufeff]")

# honorifics and titles: after a surname and a given name, a name whatever stands before it
_HONORIFICS = (
    "さん", "様", "さま", "氏", "君", "くん", "ちゃん", "先生", "殿", "部長", "課長", "社長",
    "님", "씨", "선생", "께서", "대리", "과장", "팀장", "先生", "女士", "老师", "老師",
)
# what else may stand right after a CJK name (Chinese words about people, punctuation)
_AFTER = (
    *_HONORIFICS, "에게", "한테",
    # Korean particles and the copula right after a name (송선영입니다, 김영순이, 박아름의)
    "입니다", "이에요", "예요", "이고", "이랑", "랑", "와", "과", "의", "이", "가", "은",
    "는", "을", "를", "도", "께", "说", "說", "讲", "的", "经理", "經理", "总", "同学", "表示",
    "认为", "提到", "告诉", "负责", "同意", "觉得", "建议", "确认", "回复", "和", "跟", "也",
    "写", "做", "讨论", "提交", "修改", "改", "发", "提", "已经", "刚", "会", "要", "想", "在",
    "今天", "昨天", "：", ":", "（", "(", "、", "，", ",", "。",
    # what a person did to a ticket (陈龙报告了, 王倩发布了)
    "报告", "反馈", "发布", "上线", "修复", "发现", "提出", "刚才", "review",
    # when someone will do it or did it (姜建平周五前检查, 颜春梅昨晚回滚了)
    "周", "星期", "昨晚", "今晚", "明天", "下周", "上午", "下午",
)
# what marks a two-character Chinese name (1 + 1), which is an ordinary word as often
_PERSONAL_AFTER = (
    *_HONORIFICS, "说", "說", "讲", "认为", "表示", "提到", "告诉", "负责", "同意", "觉得", "建议",
    "确认", "回复", "写", "讨论", "提交", "修改", "经理", "經理",
    "总", "同学", "昨天", "今天", "刚才", "已经", "报告", "反馈", "发布", "上线", "修复", "发现",
    "提出",
    # the possessive before what only a person has: 罗佳的手机, 李洋的邮箱
    *(f"的{w}" for w in ("手机", "电话", "手機", "電話", "邮箱", "郵箱", "微信", "号码", "號碼",
                         "工号", "账号", "帳號", "同事", "经理", "意见", "建议", "老板", "团队",
                         "电脑", "電腦", "环境", "環境", "机器", "機器", "笔记本", "分支", "工单")),
)
_PERSONAL_BEFORE = (
    "问", "問", "找", "联系", "聯繫", "打给", "给", "请", "請", "让", "叫", "向", "跟", "和",
    "与", "與", "由", "被", "同", "帮", "替", "我是", "@", "：", ":",
    "谢谢", "謝謝", "感谢", "感謝",
)
# honorifics that follow a Japanese surname alone (田中さん); 様 and 君 also end words (同様)
_SURNAME_HONORIFICS = ("さん", "氏", "先生", "くん", "ちゃん", "部長", "課長", "社長")
# what may stand right before one (Chinese verbs and prepositions addressed to a person)
_BEFORE = ("问", "問", "找", "联系", "聯繫", "打给", "打", "给", "請", "请", "和", "跟", "与", "與",
           "由", "让", "叫", "向", "对", "是", "被", "同", "把", "等", "帮", "替", "@", "、", "：",
           ":", "谢谢", "謝謝", "感谢", "感謝", "昨天", "今天", "刚才",
           # a customer, a user, "according to", "sent to" (客户阎红梅, 据王伟说, 发给了张敏)
           "客户", "客戶", "用户", "用戶", "据", "據", "给了", "給了")


# the roles that a name follows without a colon (联系人 张斌, 工单创建人罗军)
_ROLES = ("创建人", "联系人", "负责人", "提交人", "报告人", "处理人", "经办人", "申请人", "审批人",
          "对接人", "發起人", "联络人", "聯絡人", "担当者", "依頼者", "담당자", "요청자")
# verbs that address a person right before their name (Chinese: ask, let, call, thank ...)
_ADDRESSING = ("请", "請", "让", "讓", "叫", "问", "問", "找", "联系", "聯繫", "打给",
               "谢谢", "謝謝", "感谢", "感謝", "@", *_ROLES)


@cache
def _lexicon() -> tuple[frozenset[str], frozenset[str], int, int]:
    """(first names, last names, longest first, longest last) in uncased scripts."""
    first, last = _faker_names()
    fu = frozenset(n for n in first if HAS_UNCASED_RE.search(n))
    lu = frozenset(n for n in last if HAS_UNCASED_RE.search(n))
    return fu, lu, max(map(len, fu), default=0), max(map(len, lu), default=0)


def script_names(text: str, lone: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Spans of names in uncased scripts: first name + last name, anywhere. ``lone`` gets the
    spans of single known names, for the caller to accept in a person's context only."""
    if not HAS_UNCASED_RE.search(text):
        return
    first, last, _, _ = _lexicon()
    for m in _URUN_RE.finditer(text):
        run = m.group()
        if run[-1] in _QUOTE and m.start() and text[m.start() - 1] == run[-1]:
            run = run[:-1]  # 'גלי חאג': the literal's closing quote, no geresh
        yield from _spaced(run.split(" "), m.start(), first, last, lone)
    for m in _CJK_RUN_RE.finditer(text):
        words = m.group().replace("\u3000", " ").split(" ")
        if len(words) > 1:
            yield from _spaced(words, m.start(), first, last, lone)
        yield from _packed(text, m.start(), m.end(), first, last, lone)
        if "\uac00" <= m.group()[0] <= "\ud7a3":
            _korean_given(words, m.start(), first, lone)


def _korean_given(words: list[str], base: int, first: frozenset[str],
                  lone: list[tuple[int, int]]) -> None:
    """A Korean given name alone (서윤 님, 민지 씨, a sign-off 서영): a known one before 님
    or 씨, or the whole run; its context decides."""
    pos = base
    for k, w in enumerate(words):
        if len(w) == 2 and w in first and (
                len(words) == 1 or (k + 1 < len(words) and words[k + 1][:1] in "님씨")):
            lone.append((pos, pos + 2))
        pos += len(w) + 1


_QUOTE = "'\u05f3\u2019"
_TRIMMED = _QUOTE + "."


def _spaced(words: list[str], base: int, first: frozenset[str], last: frozenset[str],
            lone: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    starts = []
    pos = base
    for w in words:
        starts.append(pos)
        pos += len(w) + 1
    i = 0
    while i < len(words):
        # a first name of one word or two (Arabic عبد التّواب, تاج الدّين)
        trim = 0  # a closing quote the last word took along: 'יחזקאל חזן'
        for k in (i, i + 1):
            if k >= len(words) or " ".join(words[i:k + 1]) not in first:
                continue
            end = None
            for j in range(k + 1, min(len(words), k + 5)):
                last_words = " ".join(words[k + 1:j + 1])
                if last_words in last or words[j].strip("()") in last:
                    end, trim = j, 0
                elif last_words[-1] in _TRIMMED and last_words[:-1] in last:
                    end, trim = j, 1
            if end is not None:
                break
        else:
            end = None
        if end is not None:
            yield starts[i], starts[end] + len(words[end]) - trim
            i = end + 1
            continue
        if len(words) == 1 and (words[i] in first or words[i] in last):
            lone.append((starts[i], starts[i] + len(words[i])))
        i += 1


def _packed(text: str, s: int, e: int, first: frozenset[str], last: frozenset[str],
            lone: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Surname + given name inside a CJK run (a space between them or none), both ends
    marked."""
    run = text[s:e]
    i = 0
    while i < len(run) - 1:
        a = s + i
        found = None
        left = _left_ok(text, a, s)
        if left or _any_honorific(run, i) or " " in run or "\u3000" in run:
            for k in (1, 2, 3):
                sur = run[i:i + k]
                if len(sur) < k or " " in sur or "\u3000" in sur:
                    break
                if sur not in last:
                    continue
                j = i + k
                spaced = j < len(run) and run[j] in " \u3000"
                if spaced:
                    j += 1
                end = _given(text, run, j, s, e, first, spaced,
                             loose=k == 1 and text.endswith(_ADDRESSING, 0, a))
                if end and end - a == 2 and not spaced and not (a == s and end == e) and \
                        not _personal(text, a, end):
                    # two characters (高明, 周明) are a word as often as a name: unless they are the
                    # whole run (a field, a quoted string), a person's word must stand by them
                    end = None
                # a Korean name is a word of its own: its surname starts one (민감한 지원을 is none)
                if end and (left or (not "\uac00" <= sur[0] <= "\ud7a3" and (
                        spaced or text.startswith(_HONORIFICS, end)))):
                    found = end
                elif not spaced and text.startswith(_SURNAME_HONORIFICS, a + k) and \
                        not "\uac00" <= sur[0] <= "\ud7a3":
                    found = found or a + k  # 田中さん, 王先生: a surname alone
        if found:
            yield a, found
            i = found - s
        else:
            i += 1


def _given(text: str, run: str, j: int, s: int, e: int, first: frozenset[str],
           spaced: bool = False, loose: bool = False) -> int | None:
    """The end of the longest given name at ``run[j]`` whose right end is marked (after a
    space between surname and given name, a Japanese particle marks it too: 山田 太郎です).
    ``loose``: a verb that addresses a person stands before the surname (请娄小红看一下): a
    given name of two characters needs no mark after it."""
    best = None
    hangul = j < len(run) and "\uac00" <= run[j] <= "\ud7a3"
    for n in (1, 2, 3, 4):
        given = run[j:j + n]
        if len(given) < n or " " in given or "\u3000" in given:
            break
        if hangul and n < 2:
            continue  # Korean given names are two syllables, nearly always
        if given in first and (_right_ok(text, s + j + n, e) or (
                spaced and "\u3040" <= text[s + j + n] <= "\u309f") or (loose and n == 2)):
            best = s + j + n
    return best


def _any_honorific(run: str, i: int) -> bool:
    """An honorific a few characters on (a cheap test before the lexicon's)."""
    window = run[i + 1:i + 9]
    return any(h in window for h in _HONORIFICS)


def _personal(text: str, a: int, end: int) -> bool:
    return text.startswith(_PERSONAL_AFTER, end) or any(
        text.endswith(b, 0, a) for b in _PERSONAL_BEFORE) or text.endswith(
        _ROLES, 0, a - 1 if a and text[a - 1] in " \u3000是为為" else a)


def _left_ok(text: str, a: int, run_start: int) -> bool:
    if a == run_start or text[a - 1] in " \u3000":
        return True
    if "\uac00" <= text[a] <= "\ud7a3":
        return False  # Korean separates words with spaces: a name starts a word
    return any(text.endswith(b, 0, a) for b in _BEFORE) or text.endswith(_ROLES, 0, a)


def _right_ok(text: str, end: int, run_end: int) -> bool:
    return end >= run_end or text[end] in " \u3000" or text.startswith(_AFTER, end)
