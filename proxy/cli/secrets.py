"""``codeveil secrets-report``: recall and needless masks on labelled secrets (see
:mod:`proxy.evaluation.secrets_report`)."""

from __future__ import annotations

import argparse
from typing import Any

from proxy.testing.data import SECRETS


def cmd_secrets_report(args: argparse.Namespace) -> int:
    from proxy.evaluation.secrets_report import run_secrets_report

    return run_secrets_report(args)


def add_parser(sub: Any) -> None:
    p = sub.add_parser("secrets-report", help="recall and needless masks on labelled secrets")
    p.add_argument("--data", default=str(SECRETS))
    p.set_defaults(func=cmd_secrets_report)
