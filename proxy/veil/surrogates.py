"""Realistic dummies, derived from the value with a per-tenant secret key.

Every dummy is a pure function of (key, type, value, attempt): the same value gets the same dummy
in every message, turn and replica, and nobody without the key can tell which value a dummy came
from. ``attempt`` moves to the next candidate when a dummy would collide with text already in
the request or with another value's dummy (the engine checks that).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import random
import re
from collections.abc import Callable

from faker import Faker

from proxy.veil import fakes
from recognizers.base import SECRET
from recognizers.code.vocabulary import split_identifier

_ONSETS = "b br c d dr f g gr h k kr l m n p pr qu r s st t tr v z".split()
_VOWELS = "a e i o u a e o ai ia eo".split()
_CODAS = ["", "", "", *"n r l s x m nd rn th".split()]

# Parts of host names that say nothing about the company and stay as they are.
GENERIC_LABELS = frozenset(
    "corp internal int intra intranet net com org io local lan prod production dev staging stg "
    "test qa uat svc cluster private priv ad office vpn cloud app apps api www mail eu us home"
    " pod co compute".split()
)
# an IPv4 address written into a label (ip-10-0-1-2, 10-0-1-2.<ns>.pod): replaced like the address
# an address written into a label: 10-0-1-2.svc, ip-10-0-1-2.ec2.internal, node-10-0-1-2-a
_DASHED_IPV4 = re.compile(r"(?<!\d)(?<!\d-)(\d{1,3})-(\d{1,3})-(\d{1,3})-(\d{1,3})(?!\d|-\d)")


# Words for renamed identifiers in `identifiers: all`: neutral, but still read as code.
_NEUTRAL = (
    "item record value entry node data task unit field block batch chunk source target result "
    "state event signal report token label group bucket slot frame layer stage step queue cache "
    "store index table column buffer payload message handler worker runner helper manager "
    "service client adapter builder parser mapper reader writer loader checker filter counter "
    "amount total count limit offset size width height level score weight ratio factor delta"
).split()
_VERBS = frozenset(
    "get set is has can should load save make build create update delete remove add apply "
    "check read write parse format fetch find compute calc calculate handle process run start "
    "stop init validate convert to from sort merge split count sum filter map reduce".split()
)


def _two_words(model: str, first: str, second: str) -> str:
    """``first`` and ``second`` joined in the convention of the one-word name ``model``."""
    if model.isupper():
        return f"{first}_{second.upper()}"
    if model[:1].isupper():
        return first + second.capitalize()
    return f"{first}_{second}"


def apply_case(model: str, word: str) -> str:
    """Give ``word`` the letter case of ``model`` (UPPER, lower, Title or position by position)."""
    letters = [c for c in model if c.isalpha()]
    if not letters:
        return word
    if all(c.isupper() for c in letters):
        return word.upper()
    if all(c.islower() for c in letters):
        return word.lower()
    if model[0].isupper() and all(c.islower() for c in letters[1:]):
        return word[:1].upper() + word[1:].lower()
    return "".join(
        c.upper() if i < len(model) and model[i].isupper() else c.lower()
        for i, c in enumerate(word)
    )


def pseudo_word(rng: random.Random, target_len: int) -> str:
    """A pronounceable, capitalised non-word of about ``target_len`` letters."""
    target = max(4, min(target_len, 12))
    while True:
        word = ""
        while len(word) < target - 1:
            word += rng.choice(_ONSETS) + rng.choice(_VOWELS)
        word += rng.choice(_CODAS)
        if abs(len(word) - target) <= 2 and len(word) >= 4:
            return word.capitalize()


# (attempts that keep a name's length, per round of dummies.MAX_ATTEMPTS)
_SHAPED_TRIES = (12, 24)


@functools.cache
def _names_by_length(locale: str) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """Faker's first and last names of a locale by length (0: all of them), drawn from directly:
    Faker's own weighted draw is slow, and a length-shaped name took dozens of draws."""
    provider = Faker(locale).provider("faker.providers.person")
    tables: list[dict[int, list[str]]] = []
    for names in (provider.first_names, provider.last_names):  # type: ignore[union-attr]
        table: dict[int, list[str]] = {0: sorted(set(names))}
        for name in table[0]:
            table.setdefault(len(name), []).append(name)
        tables.append(table)
    return tables[0], tables[1]


# a name in a script without letter case gets a dummy in the same script: an English name
# in Chinese or Arabic prose stands out, and a two-letter one collides with the text
_SCRIPT_LOCALES = (
    ("\uac00", "\ud7a3", "ko_KR"), ("\u3040", "\u30ff", "ja_JP"), ("\u4e00", "\u9fff", "zh_CN"),
    ("\u0600", "\u06ff", "ar_AA"), ("\u0590", "\u05ff", "he_IL"), ("\u0900", "\u097f", "hi_IN"),
    ("\u0980", "\u09ff", "bn_BD"), ("\u0e00", "\u0e7f", "th_TH"),
)
_PERSIAN = frozenset("پچژگکی")


def _script_locale(value: str) -> str | None:
    """The Faker locale whose names are written in the script of ``value``, if uncased."""
    if value.isascii():
        return None
    found = None
    for lo, hi, locale in _SCRIPT_LOCALES:
        if any(lo <= c <= hi for c in value):
            found = locale
            break  # Japanese before Chinese: kana says Japanese
    if found == "ar_AA" and any(c in _PERSIAN for c in value):
        return "fa_IR"
    if found == "zh_CN" and " " in value:
        return "ja_JP"  # Chinese names are written without a space, Japanese ones with one
    return found


class Surrogates:
    """Makes the dummy for one value; the engine decides which values and checks collisions."""

    def __init__(self, key: bytes, locale: str = "en_US") -> None:
        self._key = key
        self._locale = locale
        # every turn of a conversation reports its values again: memory only, bounded
        self._fingerprint = functools.lru_cache(maxsize=1 << 16)(self._fingerprint_of)
        # A dummy is a pure function of (key, kind, value, attempt), and the same values come
        # back request after request (an agent's history, a team's codebase): each is made once.
        # Memory only, bounded, gone with the Surrogates (a new key or policy).
        self.value = functools.lru_cache(maxsize=1 << 14)(self.value)  # type: ignore[method-assign]
        self.identifier = functools.lru_cache(maxsize=1 << 14)(  # type: ignore[method-assign]
            self.identifier)
        self.person_name = functools.lru_cache(maxsize=1 << 14)(  # type: ignore[method-assign]
            self.person_name)

    def rng(self, kind: str, value: str, attempt: int = 0) -> random.Random:
        digest = hmac.new(self._key, f"{kind}\0{value}\0{attempt}".encode(), hashlib.sha256)
        return random.Random(int.from_bytes(digest.digest()[:16], "big"))

    def fingerprint(self, kind: str, value: str) -> str:
        """A keyed fingerprint of a value for the audit log: comparable, not reversible."""
        return self._fingerprint(kind, value)

    def _fingerprint_of(self, kind: str, value: str) -> str:
        return hmac.new(self._key, f"fp\0{kind}\0{value}".encode(), hashlib.sha256).hexdigest()[:16]

    def term_word(self, key: str, length: int, attempt: int = 0) -> str:
        """The base dummy word of a policy term (or one word of it), about as long."""
        return pseudo_word(self.rng("TERM", key, attempt), length)

    def person(self, value: str, attempt: int = 0) -> tuple[str, str]:
        """A first and a last name to build a dummy e-mail address or user name from."""
        rng = self.rng("PERSON", value, attempt)
        firsts, lasts = _names_by_length(self._locale)
        return rng.choice(firsts[0]), rng.choice(lasts[0])

    def person_name(self, value: str, attempt: int = 0) -> str:
        """A Faker name shaped like the original: each part as long as the one it replaces
        (where Faker has one), so text that depends on lengths (a fixture, a test) still holds."""
        rng = self.rng("PERSON_NAME", value, attempt)
        locale = _script_locale(value)
        firsts, lasts = _names_by_length(locale or self._locale)
        # a length few names have (長谷川, Le) may offer only names the text holds already:
        # after half the attempts, a name of any length
        shaped = attempt % _SHAPED_TRIES[1] < _SHAPED_TRIES[0]
        if locale == "zh_CN" and value in _names_by_length("ja_JP")[1][0]:
            # a Japanese surname alone (田中さん): another one
            lasts = _names_by_length("ja_JP")[1]
            return rng.choice((shaped and lasts.get(len(value))) or lasts[0])
        if locale and " " not in value and locale in ("zh_CN", "ko_KR"):
            # written without a space: surname then given name
            return rng.choice(lasts[0]) + rng.choice(firsts.get(len(value) - 1) or firsts[0])
        family_first = locale in ("ja_JP", "zh_CN", "ko_KR")  # "長谷川 直樹": surname first
        out = []
        for i, part in enumerate(value.split(" ")):
            table = firsts if (i == 0) != family_first else lasts
            # a length only the part itself has (`Jo`) would give the value back: any length
            same = [n for n in table.get(len(part), ()) if n.lower() != part.lower()
                    ] if shaped else []
            name = rng.choice(same or table[0])
            out.append(apply_case(part, name) if part.isupper() else
                       name.lower() if part.islower() else name)  # "ask priya" in chat
        return " ".join(out)

    def domain(self, value: str, sub_terms: Callable[[str], str], attempt: int = 0) -> str:
        """An internal domain with its company parts replaced and its shape kept."""
        labels = [self._dashed_ipv4(label, attempt) for label in value.split(".")]
        out_labels: list[str] = []
        changed = False
        for li, label in enumerate(labels):
            parts = re.split(r"(-)", label)
            new_parts = []
            for part in parts:
                if part == "-" or not part:
                    new_parts.append(part)
                    continue
                replaced = sub_terms(part)
                is_tld = li == len(labels) - 1 > 0  # a lone label (a short name) has none
                if replaced != part:
                    new_parts.append(replaced)
                    changed = True
                elif part.lower() in GENERIC_LABELS or is_tld or part.isdigit():
                    new_parts.append(part)
                else:
                    word = pseudo_word(self.rng("DOMAIN_PART", part.lower(), attempt), len(part))
                    new_parts.append(apply_case(part, word))
                    changed = True
            out_labels.append("".join(new_parts))
        if not changed or attempt:
            # Nothing company-specific to swap (``corp.internal``), or a collision: vary a label.
            word = pseudo_word(self.rng("DOMAIN", value.lower(), attempt), 6).lower()
            out_labels[0] = apply_case(labels[0], word)
        return ".".join(out_labels)

    def _dashed_ipv4(self, label: str, attempt: int) -> str:
        """The label with an address in it replaced by the dummy its dotted form gets."""
        def swap(m: re.Match[str]) -> str:
            if any(int(o) > 255 for o in m.groups()):
                return m.group()
            dotted = ".".join(m.groups())
            return fakes.fake_ipv4(dotted, self.rng("IP_ADDRESS", dotted, attempt)).replace(
                ".", "-")

        return _DASHED_IPV4.sub(swap, label) if "-" in label else label

    def identifier(self, value: str, attempt: int = 0) -> str:
        """A neutral name of the same convention (``fetch_zorvath_pending`` → ``fetch_node_slot``).

        A leading common verb is kept so the model still reads what the code does.
        """
        rng = self.rng("IDENTIFIER", value, attempt)
        spans = split_identifier(value)
        if not spans:
            first = apply_case(value, rng.choice(_NEUTRAL))
            return _two_words(value, first, rng.choice(_NEUTRAL))
        # A leading verb is kept only when some other word is replaced: `handle_401` keeps
        # nothing else, and a dummy equal to the value would protect nothing.
        keep_verb = any(not value[s:e].isdigit() for s, e in spans[1:])
        out, pos = [], 0
        for i, (s, e) in enumerate(spans):
            out.append(value[pos:s])
            word = value[s:e]
            if (i == 0 and keep_verb and word.lower() in _VERBS) or word.isdigit():
                out.append(word)
            else:
                out.append(apply_case(word, rng.choice(_NEUTRAL)))
            pos = e
        out.append(value[pos:])
        dummy = "".join(out)
        if len(spans) == 1 and not value[spans[0][0] : spans[0][1]].isdigit():
            # One word alone would be a word the model writes in its own prose (`message`),
            # and restoring it there would turn the model's words into the private name.
            dummy = _two_words(value, dummy, rng.choice(_NEUTRAL))
        return dummy

    def value(self, type_: str, category: str, value: str, attempt: int = 0) -> str:
        """The dummy for a secret or a PII value of the given type."""
        rng = self.rng(type_, value, attempt)
        if category == SECRET:
            return fakes.fake_secret(value, type_, rng)
        if type_ == "EMAIL":
            first, last = self.person(value, attempt)
            return fakes.fake_email(value, rng, first, last)
        if type_ == "USERNAME":
            first, last = self.person(value, attempt)
            return fakes.fake_username(value, rng, first, last)
        if type_ == "PERSON":
            return self.person_name(value, attempt)
        if type_ == "PHONE":
            return fakes.fake_phone(value, rng)
        if type_ == "IP_ADDRESS":
            return fakes.fake_ipv4(value, rng)
        if type_ == "IPV6_ADDRESS":
            return fakes.fake_ipv6(value, rng)
        if type_ == "CREDIT_CARD":
            return fakes.fake_card(value, rng)
        if type_ == "IBAN":
            return fakes.fake_iban(value, rng)
        return fakes.fake_chars(value, rng)
