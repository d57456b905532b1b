"""Sealing the loop's text at rest: AES-256-GCM under a key derived from the tenant's surrogate key.

Runs, their events and people's corrections hold the team's real code and task, so none is ever
stored in plaintext. The key is derived by HKDF-SHA256 from the tenant's surrogate key, with the
purpose and the tenant in ``info``; the associated data names the tenant and the record (and, for
an event, its place in the run), so a sealed value copied to another tenant, run or position does
not open. Only a gateway holding the surrogate key can read them: every replica needs the same
key (``veil.key_env`` or ``key_file``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = ["InvalidTag", "Sealer", "derive_key", "tenant_tag"]


def derive_key(surrogate_key: bytes, tenant: str, purpose: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=f"codeveil/{purpose}/v1/{tenant}".encode()).derive(surrogate_key)


def tenant_tag(tenant: str) -> str:
    """What the store keys a tenant's rows by: not the tenant's name."""
    return hashlib.sha256(tenant.encode()).hexdigest()[:24]


class Sealer:
    """One tenant's values for one purpose (``loop-runs``, ``loop-corrections``)."""

    def __init__(self, surrogate_key: bytes, tenant: str, purpose: str) -> None:
        self.tenant = tenant
        self._aes = AESGCM(derive_key(surrogate_key, tenant, purpose))

    def _aad(self, name: str) -> bytes:
        return f"{self.tenant}\x00{name}".encode()

    def seal(self, obj: Any, name: str) -> dict[str, str]:
        nonce = os.urandom(12)
        ct = self._aes.encrypt(nonce, json.dumps(obj).encode(), self._aad(name))
        return {"nonce": base64.b64encode(nonce).decode(), "ct": base64.b64encode(ct).decode()}

    def open(self, sealed: dict[str, Any], name: str) -> Any:
        """The value; InvalidTag (or ValueError, KeyError) when it is not this tenant's ``name``."""
        plain = self._aes.decrypt(base64.b64decode(sealed["nonce"]),
                                  base64.b64decode(sealed["ct"]), self._aad(name))
        return json.loads(plain)

    def seal_text(self, obj: Any, name: str) -> str:
        return json.dumps({"v": 1, **self.seal(obj, name)})

    def open_text(self, text: str, name: str) -> Any:
        return self.open(json.loads(text), name)
