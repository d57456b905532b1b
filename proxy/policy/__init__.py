"""The security team's policy: what is detected and what happens to each finding.

Loaded from YAML (:mod:`.loader`) and validated against ``policies/schema.json`` (package data,
:mod:`.schema`) at start-up; every error names the file, the line, the key and what is wrong, and
the gateway does not start with a policy it cannot read. A policy may ``extends: base.yaml`` (a
path relative to the file): lists extend the base's lists, mappings override the base's keys one
by one, other values replace the base's.

The decision for one finding (:meth:`Policy.decide`), in order:

1. ``types: {TYPE: false}`` turns a type off (``categories`` turns a whole category off);
2. ``thresholds: {TYPE or category: 0.8}``: a finding scored below is ignored;
3. ``actions: {TYPE or category: ...}`` (a type overrides its category; default pseudonymize):
   pseudonymize (a realistic dummy, restored in the answer), redact (a ``[TYPE]`` marker),
   block (refuse the request), monitor (record the finding, change nothing), allow (ignore);
4. ``restore: {TYPE or category: false}``: the dummy stays in the answer (e.g. secrets).

Values on the ``allow`` list are never touched, whatever a recognizer says.
"""

from __future__ import annotations

from proxy.policy.issues import Issue, PolicyError
from proxy.policy.loader import check_policy, default_policy_path, load_policy
from proxy.policy.model import ACTIONS, IGNORED, Decision, Policy
from proxy.policy.schema import REGEX_FLAGS, rx_matches_empty, validate

__all__ = [
    "ACTIONS",
    "IGNORED",
    "REGEX_FLAGS",
    "Decision",
    "Issue",
    "Policy",
    "PolicyError",
    "check_policy",
    "default_policy_path",
    "load_policy",
    "rx_matches_empty",
    "validate",
]
