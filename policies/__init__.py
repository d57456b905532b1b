"""The policies shipped with CodeVeil (default, strict, monitor and the examples) and the policy
schema. A package only so that they install as package data: read them with
``importlib.resources.files("policies")``."""

from __future__ import annotations
