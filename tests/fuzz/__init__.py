"""Property-based fuzzing, run in CI with the derandomized ``ci`` profile (tests/conftest.py).

Each module fuzzes one target with a modest example count so that the suite stays well under a
minute on two cores. To search longer, with fresh random examples each run::

    HYPOTHESIS_PROFILE=explore FUZZ_EXAMPLES=5000 pytest tests/fuzz

``FUZZ_EXAMPLES`` multiplies nothing: it replaces each test's example count (see ``examples``).
"""

from __future__ import annotations

import os


def examples(ci: int) -> int:
    """The example count: ``ci`` in CI, or ``FUZZ_EXAMPLES`` when set (a longer search)."""
    return int(os.environ.get("FUZZ_EXAMPLES", ci))
