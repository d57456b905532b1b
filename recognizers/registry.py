"""Which recognizers run for a policy: one table, read top to bottom.

Each :class:`Entry` names a recognizer, the category the policy switches it with, the finding
types it reports, how to build it from the policy and when the policy wants it. A category the
policy turns off costs nothing at request time. The policy's own ``recognizers`` (regexes, deny
lists) run after the built-in ones, each under its category's switch.

Fail closed: a category the policy enables and asks for that ends with no recognizer is an error
when the veil is built (at start-up or on reload), never a request that passes unscanned.

To add a recognizer: write ``recognizers/<name>.py`` (a :class:`~recognizers.base.Recognizer`
whose ``name`` is the file stem) and append one ``Entry`` here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from recognizers import ner
from recognizers.base import CATEGORIES, IDENTIFIER, PII, SECRET, TERM, Recognizer
from recognizers.custom import CustomRecognizer
from recognizers.identifiers import IdentifierRecognizer
from recognizers.people import PersonRecognizer
from recognizers.pii import PiiRecognizer
from recognizers.pii.national_ids import TYPES as NATIONAL_ID_TYPES
from recognizers.private_hosts import PrivateHostRecognizer
from recognizers.secrets import SecretRecognizer
from recognizers.terms import TermRecognizer


class PolicySettings(Protocol):
    """The part of a policy the registry reads (``proxy.policy.Policy`` has it)."""

    @property
    def terms(self) -> tuple[str, ...]: ...
    @property
    def internal_domains(self) -> tuple[str, ...]: ...
    @property
    def internal_packages(self) -> tuple[str, ...]: ...
    @property
    def identifiers(self) -> str: ...
    @property
    def types(self) -> Mapping[str, bool]: ...
    @property
    def recognizers(self) -> tuple[dict[str, Any], ...]: ...

    def enabled(self, category: str) -> bool: ...


class RegistryError(RuntimeError):
    """The policy asks for a category no recognizer covers: refuse to start."""


def _always(policy: PolicySettings) -> bool:
    return True


@dataclass(frozen=True)
class Entry:
    name: str  # = Recognizer.name = the file stem under recognizers/
    category: str
    types: tuple[str, ...]  # the finding types it reports
    # from the policy and the policy's TermRecognizer (one automaton of its terms, shared)
    factory: Callable[[PolicySettings, TermRecognizer], Recognizer]
    wanted: Callable[[PolicySettings], bool] = _always  # besides its category's switch

    def enabled(self, policy: PolicySettings) -> bool:
        return policy.enabled(self.category) and self.wanted(policy)


def _person_on(policy: PolicySettings) -> bool:
    return policy.types.get("PERSON", True)


def _identifier_mode_on(policy: PolicySettings) -> bool:
    return policy.identifiers in ("proprietary", "all")


def _people(policy: PolicySettings, terms: TermRecognizer) -> Recognizer:
    # Names in prose, comments and strings: context patterns, then NER (spaCy, and a Flair
    # tagger when the config names one) on those places only, never on code.
    return PersonRecognizer(analyzer=ner.default_analyzer(), terms=terms)


REGISTRY: tuple[Entry, ...] = (
    Entry("policy_terms", TERM, ("TERM", "INTERNAL_DOMAIN"),
          lambda p, terms: terms),
    Entry("private_hosts", TERM, ("INTERNAL_DOMAIN",),
          lambda p, terms: PrivateHostRecognizer(p.internal_domains)),
    Entry("secrets", SECRET, ("*",), lambda p, terms: SecretRecognizer()),
    Entry("pii", PII, ("EMAIL", "PHONE", "IP_ADDRESS", "IPV6_ADDRESS", "CREDIT_CARD", "IBAN",
                       "USERNAME", "HOSTNAME", *NATIONAL_ID_TYPES),
          lambda p, terms: PiiRecognizer()),
    Entry("people", PII, ("PERSON",), _people, wanted=_person_on),
    Entry("identifiers", IDENTIFIER, ("CLASS_NAME", "TYPE_NAME", "FUNCTION_NAME",
                                      "CONSTANT_NAME", "VARIABLE_NAME", "MODULE_NAME"),
          lambda p, terms: IdentifierRecognizer(p.identifiers, p.terms, p.internal_packages),
          wanted=_identifier_mode_on),
)

# A category the policy enables but asks nothing of: identifiers in mode off or terms (the
# policy's terms are found by the terms recognizer).
_ASKS: dict[str, Callable[[PolicySettings], bool]] = {IDENTIFIER: _identifier_mode_on}


def build_recognizers(
    policy: PolicySettings, terms: TermRecognizer | None = None
) -> list[Recognizer]:
    """The recognizers ``policy`` wants, in table order. ``terms``: the veil's own
    TermRecognizer (it also vets dummies), reused rather than built twice; the people
    recognizer shares it too."""
    if terms is None:
        terms = TermRecognizer(policy.terms, policy.internal_domains)
    out: list[Recognizer] = [e.factory(policy, terms) for e in REGISTRY if e.enabled(policy)]
    for spec in policy.recognizers:
        if policy.enabled(spec["category"]) and policy.types.get(spec["type"], True):
            out.append(CustomRecognizer(spec))
    missing = [
        c for c in CATEGORIES
        if policy.enabled(c) and _ASKS.get(c, _always)(policy)
        and not any(r.category == c for r in out)
    ]
    if missing:
        raise RegistryError(f"no recognizer for enabled categories: {', '.join(missing)}")
    return out
