"""Each tenant's running veil, and the hot reload that swaps it.

:class:`Tenants` owns the state: handlers ask it for a tenant's veil per request, and
:meth:`Tenants.watch` polls every tenant's policy files and swaps in a valid edit. A bad edit is
logged and the running policy stays. The new veil is built and warmed in a thread, so requests
never wait for a recompile. :meth:`Tenants.reload_now` (``codeveil serve`` calls it on SIGHUP)
makes the watcher rebuild every tenant at once, changed on disk or not.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
from typing import Any

from proxy.audit import policy_hash
from proxy.config import DEFAULT_DETECTION_CACHE, Config
from proxy.policy import PolicyError, load_policy
from proxy.veil.engine import Veil
from proxy.veil.history import SlotCache

log = logging.getLogger("codeveil")

WARM_UP = "warm-up: admin@example.com 10.1.2.3 password='Warm-Up-42!'"


def _stamps(files: tuple[str, ...]) -> tuple[Any, ...]:
    out = []
    for f in files:
        try:
            st = os.stat(f)
            out.append((st.st_mtime_ns, st.st_size))
        except OSError:
            out.append(None)
    return tuple(out)


def build_veil(path: str, key: bytes, config: Config | None = None) -> Veil:
    """A ready Veil for a policy file; PolicyError when the file cannot be used."""
    policy = load_policy(path)
    target = (policy.route_local or {}).get("upstream")
    if target is not None and config is not None:
        up = config.upstream(target)
        if up is None or not up.local:
            raise PolicyError(
                f"{path}: key 'route_local.upstream': '{target}' must name an upstream with "
                "local: true"
            )
    veil = Veil(policy, key, cache=slot_cache(config))
    veil.anonymize([WARM_UP])  # compile everything now, off the event loop
    return veil


def slot_cache(config: Config | None) -> SlotCache | None:
    """A new (empty) detection cache for one tenant's veil: a new policy starts a new one."""
    size = config.detection_cache_bytes if config is not None else DEFAULT_DETECTION_CACHE
    return SlotCache(size) if size > 0 else None


class Tenants:
    """The running veil (policy and surrogate key) of every tenant; ``default`` always exists."""

    def __init__(self, config: Config, veil: Veil | None = None) -> None:
        self._config = config
        # Each tenant has its own policy and surrogate key, so its dummies differ.
        self._keys = {"default": config.key} | {n: t.key for n, t in config.tenants.items()}
        self._veils = {
            "default": veil or Veil(config.policy, config.key, cache=slot_cache(config))
        } | {
            name: Veil(t.policy, t.key, cache=slot_cache(config))
            for name, t in config.tenants.items()
        }
        self._hashes = {name: policy_hash(v.policy) for name, v in self._veils.items()}
        self._now = asyncio.Event()  # set by reload_now: the watcher's next round is forced
        self._injected = veil  # built in code (tests): an offload child cannot build the same

    def reload_now(self) -> None:
        """Rebuild every tenant's veil from its policy files now (SIGHUP), not on a change."""
        self._now.set()

    def veil(self, tenant: str) -> Veil:
        return self._veils[tenant]

    def key(self, tenant: str) -> bytes:
        return self._keys[tenant]

    def offloadable(self, tenant: str, veil: Veil) -> bool:
        """Whether an offload child builds this veil (from its policy and the tenant's key)."""
        return tenant in self._keys and veil is not self._injected

    def offloadable_veils(self) -> list[tuple[str, Veil, bytes]]:
        """(tenant, veil, key) of every running veil an offload child can build."""
        return [(name, v, self._keys[name]) for name, v in self._veils.items()
                if self.offloadable(name, v)]

    def policy_hash(self, tenant: str) -> str | None:
        return self._hashes.get(tenant)

    def warm_up(self) -> None:
        """Compile every recognizer and load every generator now, not on the first request."""
        for veil in self._veils.values():
            veil.anonymize([WARM_UP])

    def _swap(self, tenant: str, veil: Veil) -> None:
        self._veils[tenant] = veil
        self._hashes[tenant] = policy_hash(veil.policy)
        if gc.get_freeze_count():
            # `codeveil serve` froze the heap at start-up: free the old veil's cycles, and
            # freeze the new one (one pause per policy edit, not one per full collection)
            gc.unfreeze()
            gc.collect()
            gc.freeze()

    async def watch(self, interval: float = 1.0) -> None:
        """Poll the policy files of every tenant until cancelled."""
        watched: dict[str, tuple[str, tuple[str, ...], tuple[Any, ...]]] = {}
        for name, veil in self._veils.items():
            policy = veil.policy
            if policy.source and name in self._keys:
                files = policy.files or (policy.source,)
                watched[name] = (policy.source, files, _stamps(files))
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._now.wait(), interval)
            forced = self._now.is_set()
            self._now.clear()
            for name, (source, files, seen) in list(watched.items()):
                now = _stamps(files)
                if now == seen and not forced:
                    continue
                try:
                    veil = await asyncio.to_thread(
                        build_veil, source, self._keys[name], self._config
                    )
                except Exception as e:  # any failure keeps the running policy
                    reason = str(e) if isinstance(e, PolicyError) else type(e).__name__
                    log.error(
                        f"policy reload FAILED for tenant '{name}' ({source}); "
                        "keeping the running policy",
                        extra={"error": reason},
                    )
                    watched[name] = (source, files, now)
                    continue
                self._swap(name, veil)
                new_files = veil.policy.files or (source,)
                watched[name] = (source, new_files, _stamps(new_files))
                log.warning(f"policy reloaded for tenant '{name}' ({source})")
