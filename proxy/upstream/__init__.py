"""Calling the upstream models: ``client`` (retries, timeouts) and ``headers`` (auth per kind)."""

from __future__ import annotations
