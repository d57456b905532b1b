"""Which recognizers run for a policy.

Each category of the policy maps to the recognizers that find it; a category the policy turns off
costs nothing at request time. New recognizers register here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from recognizers.base import IDENTIFIER, PII, SECRET, TERM, Recognizer
from recognizers.identifiers import IdentifierRecognizer
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
    if policy.enabled(IDENTIFIER) and policy.identifiers in ("proprietary", "all"):
        out.append(
            IdentifierRecognizer(policy.identifiers, policy.terms, policy.internal_packages)
        )
    return out
