"""Fake e-mail addresses and user names, in the style of the original (first.last, flast99...),
from names the caller draws.
"""

from __future__ import annotations

import re
import unicodedata
from random import Random

from proxy.veil.fakes.chars import DIGITS, LOWER, fake_chars, force_different


def _ascii_name(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z]", "", folded.lower())


def _name_parts(first: str, last: str, rng: Random) -> tuple[str, str]:
    f, la = _ascii_name(first or ""), _ascii_name(last or "")
    if not f:
        f = "".join(rng.choice(LOWER) for _ in range(5))
    if not la:
        la = "".join(rng.choice(LOWER) for _ in range(6))
    return f, la


def _digits_like(value: str, rng: Random) -> str:
    return "".join(rng.choice(DIGITS) for _ in value)


def _case_like(template: str, value: str) -> str:
    if template.isupper() and len(template) > 1:
        return value.upper()
    if template[:1].isupper():
        return value[:1].upper() + value[1:]
    return value


_STYLE_RE = re.compile(r"([A-Za-z]+)(?:([._\-])([A-Za-z]+))?(\d*)")


def _handle(original: str, first: str, last: str, rng: Random, email: bool = False) -> str:
    """A handle in the style of ``original`` (first.last, first_last, flast, firstl, first)."""
    m = _STYLE_RE.fullmatch(original)
    if not m:
        return ""
    a, sep, b, digits = m.groups()
    if sep:
        fake = _case_like(a, first) + sep + _case_like(b, last)
    else:
        # single token: flast / firstl / lastf / first / last / fir+las; the one closest in length
        if email:  # flast@ or first@, whichever is closer in length
            candidates = [first[0] + last, first]
        else:
            candidates = [
                first[0] + last,
                first,
                last + first[0],
                first + last[0],
                last,
                first[:3] + last[:3],
                first + last,
            ]
        fake = min(candidates, key=lambda c: abs(len(c) - len(a)))
        fake = _case_like(a, fake)
    return fake + _digits_like(digits, rng)


def fake_email(value: str, rng: Random, first: str, last: str) -> str:
    """``first.last@domain`` style kept from the original local part; the domain is kept."""
    local, at, domain = value.rpartition("@")
    if not at:
        return fake_chars(value, rng)
    tag = ""
    if "+" in local:
        local, _, tag = local.partition("+")
    f, la = _name_parts(first, last, rng)
    new_local = _handle(local, f, la, rng, email=True) or fake_chars(local, rng)
    if tag:
        new_local += "+" + fake_chars(tag, rng)
    if new_local.lower() == local.lower() or new_local.lower() == (local + "+" + tag).lower():
        new_local = fake_chars(local, rng)
    return new_local + "@" + domain


def fake_username(value: str, rng: Random, first: str, last: str) -> str:
    """A lowercase user name in the style of ``value`` (first.last, flast, firstl, ...)."""
    f, la = _name_parts(first, last, rng)
    if not any("a" <= c <= "z" for c in value.lower()):
        # a login in another script (a Windows profile "Ирина", "田中"): character substitution
        # changes no letter of it, so the dummy is a Latin login of the fake person
        return _handle("first.last" if len(value) > 4 else "flast", f, la, rng).lower()
    fake = _handle(value.lower(), f, la, rng) or fake_chars(value.lower(), rng)
    fake = fake.lower()
    if fake == value.lower():
        fake = force_different(value.lower(), fake, rng)
    return fake
