"""HumanEval through the chat alias: the fake model's first drafts always raise; only a request
that carries the error back gets the canonical solution (renamed to the dummies it saw)."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator

import pytest

from proxy.cli.loop import run_humaneval
from proxy.testing.data import HUMANEVAL
from tests.conftest import Running, start_gateway
from tests.test_loop import Fake, start_fake

DATA = HUMANEVAL
pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None or not DATA.exists(),
                                reason="needs bubblewrap and the HumanEval data")


@pytest.fixture(scope="module")
def he() -> Iterator[tuple[Fake, Running]]:
    import tempfile
    from pathlib import Path

    fake = start_fake("--humaneval", str(DATA))
    gw = start_gateway(Path(tempfile.mkdtemp()), fake.url, extra="loop:\n  rounds: 2\n")
    yield fake, gw
    gw.stop()
    fake.stop()


def test_humaneval_tasks_are_solved_after_the_error_goes_back(he):
    fake, gw = he
    out = io.StringIO()
    summary = run_humaneval(gw.url, "codeveil-loop/fake", DATA, limit=10, out=out)
    print(out.getvalue())
    assert summary["tasks"] == 10 and summary["solved"] == 10, out.getvalue()
    assert all(r["rounds"] == 1 for r in summary["rows"])
    fix = [r for r in fake.recorded() if r["body"]["messages"][0]["content"].endswith("error]")]
    assert len(fix) == 10
    assert all("NotImplementedError" in r["body"]["messages"][1]["content"] for r in fix)
    assert json.dumps(summary)  # the figures are reportable
