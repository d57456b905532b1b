"""``python -m proxy.cli``: the ``codeveil`` command (the benchmark starts the gateway so)."""

from __future__ import annotations

import sys

from proxy.cli import main

sys.exit(main())
