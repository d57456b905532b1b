"""Policy hot reload: a valid edit of a policy file swaps that tenant's veil; a bad one is logged
and the running policy stays."""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any

from proxy.policy import PolicyError, load_policy
from proxy.veil.engine import Veil

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


def build_veil(path: str, key: bytes, config: Any = None) -> Veil:
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
    veil = Veil(policy, key)
    veil.anonymize([WARM_UP])  # compile everything now, off the event loop
    return veil


async def watch_policies(gateway: Any, interval: float = 1.0) -> None:
    """Poll the policy files of every tenant; swap in a valid edit, keep the old on a bad one.

    ``gateway`` has ``config`` (keys, tenants, upstreams) and ``veils`` (tenant -> Veil).
    """
    config = gateway.config
    keys = {"default": config.key} | {n: t.key for n, t in config.tenants.items()}
    watched: dict[str, tuple[str, tuple[str, ...], tuple[Any, ...]]] = {}
    for name, veil in gateway.veils.items():
        policy = veil.policy
        if policy.source and name in keys:
            files = policy.files or (policy.source,)
            watched[name] = (policy.source, files, _stamps(files))
    while True:
        await asyncio.sleep(interval)
        for name, (source, files, seen) in list(watched.items()):
            now = _stamps(files)
            if now == seen:
                continue
            try:
                veil = await asyncio.to_thread(build_veil, source, keys[name], config)
            except Exception as e:  # any failure keeps the running policy
                reason = str(e) if isinstance(e, PolicyError) else type(e).__name__
                log.error(
                    f"policy reload FAILED for tenant '{name}' ({source}); "
                    "keeping the running policy",
                    extra={"error": reason},
                )
                watched[name] = (source, files, now)
                continue
            gateway.veils[name] = veil
            if name == "default":
                gateway.veil = veil
            hashes = getattr(gateway, "policy_hashes", None)
            if isinstance(hashes, dict):
                from proxy.audit import policy_hash

                hashes[name] = policy_hash(veil.policy)
            new_files = veil.policy.files or (source,)
            watched[name] = (source, new_files, _stamps(new_files))
            log.warning(f"policy reloaded for tenant '{name}' ({source})")
