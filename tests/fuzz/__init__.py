"""Property-based fuzzing, run in CI with the derandomized ``ci`` profile (tests/conftest.py).

Each module fuzzes one target with a modest example count so that the suite stays well under a
minute on two cores. To search longer, with fresh random examples each run::

    HYPOTHESIS_PROFILE=explore FUZZ_EXAMPLES=5000 pytest tests/fuzz

``FUZZ_EXAMPLES`` replaces each fuzz test's example count (see ``examples``); the ``explore``
profile drops the fixed seed, so each run searches new examples. A failure prints the example to
keep as an ``@example`` once the bug is fixed.
"""

from __future__ import annotations

import os


def examples(ci: int) -> int:
    """The example count: ``ci`` in CI, or ``FUZZ_EXAMPLES`` when set (a longer search)."""
    return int(os.environ.get("FUZZ_EXAMPLES", ci))
