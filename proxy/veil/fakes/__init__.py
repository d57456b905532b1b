"""Format-preserving fake values.

Every generator takes the original value and a ``random.Random`` seeded by the caller (from a
keyed hash of the value, so the same value always gets the same fake) and draws randomness from
that instance only. A fake keeps the format of the original (length, character classes,
separators, public prefixes, checksums, address class) and shares none of its sensitive content:
the result always differs from the original.

Names for e-mail addresses and user names come from the caller (``first``, ``last``); this module
does not import Faker.
"""

from __future__ import annotations

from proxy.veil.fakes.chars import fake_chars
from proxy.veil.fakes.finance import fake_card, fake_iban, iban_check_digits, luhn_check_digit
from proxy.veil.fakes.network import fake_ipv4, fake_ipv6
from proxy.veil.fakes.people import fake_email, fake_username
from proxy.veil.fakes.phones import fake_phone
from proxy.veil.fakes.secrets import fake_password, fake_secret, github_checksum

__all__ = [
    "fake_card",
    "fake_chars",
    "fake_email",
    "fake_iban",
    "fake_ipv4",
    "fake_ipv6",
    "fake_password",
    "fake_phone",
    "fake_secret",
    "fake_username",
    "github_checksum",
    "iban_check_digits",
    "luhn_check_digit",
]
