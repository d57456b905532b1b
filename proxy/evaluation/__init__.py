"""Measuring the gateway: ``codeveil eval`` (leaks, over-anonymization and restoration on a
corpus), ``codeveil bench`` (added latency and memory) and ``codeveil secrets-report`` (recall
and needless masks on labelled secrets). Each runs the real gateway against the test doubles of
:mod:`proxy.testing`."""

from __future__ import annotations
