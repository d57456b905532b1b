"""The audit log: one record per request, what was found and done, never the values.

:mod:`.record` is the record and the figures filled into it, :mod:`.chain` the hash chain that
makes an edit, a deletion or a record added by hand visible, :mod:`.backends` SQLite and
PostgreSQL, :mod:`.store` the writer thread and the queries, and :mod:`.report` the summaries
that ``codeveil audit`` and the admin page show.
"""

from __future__ import annotations

from proxy.audit.backends import AuditError
from proxy.audit.chain import GENESIS, Verdict, chain_hash
from proxy.audit.record import (
    COLUMNS,
    OPTIONAL,
    AuditRecord,
    canonical,
    code_chars,
    policy_hash,
    productivity,
    row_values,
    usage_of,
)
from proxy.audit.store import AuditStore, Filters

__all__ = [
    "COLUMNS",
    "GENESIS",
    "OPTIONAL",
    "AuditError",
    "AuditRecord",
    "AuditStore",
    "Filters",
    "Verdict",
    "canonical",
    "chain_hash",
    "code_chars",
    "policy_hash",
    "productivity",
    "row_values",
    "usage_of",
]
