"""Which recognizers run for a policy.

Each category of the policy maps to the recognizers that find it; a category the policy turns off
costs nothing at request time. The policy's own ``recognizers`` (regexes, deny lists) run after
the built-in ones, each under its category's switch. New recognizers register here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from recognizers import ner
from recognizers.base import IDENTIFIER, PII, SECRET, TERM, Recognizer
from recognizers.custom import CustomRecognizer
from recognizers.identifiers import IdentifierRecognizer
from recognizers.people import PersonRecognizer
from recognizers.pii import PiiRecognizer
from recognizers.secrets import SecretRecognizer
from recognizers.terms import TermRecognizer

if TYPE_CHECKING:
    from proxy.policy import Policy


def build_recognizers(policy: Policy, terms: TermRecognizer | None = None) -> list[Recognizer]:
    out: list[Recognizer] = []
    if policy.enabled(TERM):
        out.append(terms or TermRecognizer(policy.terms, policy.internal_domains))
    if policy.enabled(SECRET):
        out.append(SecretRecognizer())
    if policy.enabled(PII):
        out.append(PiiRecognizer())
        if policy.types.get("PERSON", True):
            # Names in prose, comments and strings: context patterns, then NER (spaCy, and a
            # Flair tagger when the config names one) on those places only, never on code.
            out.append(PersonRecognizer(analyzer=ner.default_analyzer(), terms=policy.terms))
    if policy.enabled(IDENTIFIER) and policy.identifiers in ("proprietary", "all"):
        out.append(
            IdentifierRecognizer(policy.identifiers, policy.terms, policy.internal_packages)
        )
    for spec in policy.recognizers:
        if policy.enabled(spec["category"]) and policy.types.get(spec["type"], True):
            out.append(CustomRecognizer(spec))
    return out
