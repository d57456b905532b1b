"""The vendored data sets (see README.md here): one place for tests and commands to find them.

Package data, so ``codeveil eval``, ``bench`` and ``secrets-report`` find them in a wheel install
too. Paths rather than resources: the readers open them with ``gzip.open`` and the CLI takes
them as defaults of path options.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

DATA = Path(str(resources.files(__name__)))

CORPUS = DATA / "corpus" / "dev.jsonl.gz"
HUMANEVAL = DATA / "humaneval" / "HumanEval.jsonl.gz"
HUMANEVAL_PLUS = DATA / "humanevalplus" / "HumanEvalPlus.jsonl.gz"
PUBLIC_CODE = DATA / "public_code" / "files.jsonl.gz"  # real public source files
SECRETS = DATA / "secrets"  # gitleaks/ and detect-secrets/, as `secrets-report --data` reads
