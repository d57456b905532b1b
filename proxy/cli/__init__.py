"""The ``codeveil`` command: one module per command group, each adding its own parser.

serve · scan · eval · bench · secrets-report · policy (check, test, explain) · audit (list, show,
stats, export, verify) · loop. A command module imports what its work needs inside the command,
so that every other command, and ``--help``, starts without loading the recognizers.
"""

from __future__ import annotations

import argparse
import sys

from proxy.cli import audit, bench, loop, policy, scan, secrets, serve
from proxy.cli import eval as eval_

# In the order `codeveil --help` lists them.
GROUPS = (serve, scan, eval_, bench, secrets, policy, audit, loop)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="codeveil", description="CodeVeil privacy gateway")
    sub = ap.add_subparsers(dest="command", required=True)
    for group in GROUPS:
        group.add_parser(sub)
    args = ap.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
