"""Regression gates: the dev corpus, the adversarial corpus (both parts) and the real public code,
each through a real gateway in front of the recording echo upstream (README, "Measuring").

The dev corpus is held at zero. The adversarial and public-code figures are gated at what was
measured when these gates were set (fixed seed, fixed gateway key, so a run is repeatable): a
change that leaks more or renames more public names fails here. When detection improves, LOWER
the numbers in BASELINE to the new figures (`codeveil eval --corpus adversarial:<part>` and
`codeveil eval --public-code` print them); never raise one to let a change through.
"""

from __future__ import annotations

import asyncio

import pytest

from proxy.evaluation.adversarial import DEFAULT_PER_FAMILY, DEFAULT_SEED, generate
from proxy.evaluation.corpus import load_corpus
from proxy.evaluation.evaluate import Figures, evaluate
from proxy.evaluation.public_code import ModeFigures, load_public_code, measure
from proxy.policy import default_policy_path, load_policy
from proxy.testing.data import CORPUS, PUBLIC_CODE

KEY = bytes(range(32))  # a fixed gateway key: dummies, and so the figures, repeat run to run

# ---- THE THRESHOLDS: measured on 2026-12-08, early morning (seed 20250, 8 records per family) ----
# Each number is the most that may leak / change. Lower them as detection improves.
BASELINE = {
    "tuning": {
        "kinds": {"secret": 0, "pii": 0, "term": 0, "identifier": 0},
        "families": {"split_python": 0, "split_shell": 0, "encoded_k8s": 0, "context_files": 0,
                     "provider_config": 0, "split_native": 0, "encoded_escapes": 0,
                     "context_services": 0, "provider_snippets": 0, "names_code": 0,
                     "names_prose_git": 0, "handles_repo": 0, "phones_fixtures": 0,
                     "hosts_cloud": 0, "idents_sql_repl": 0, "idents_trace_diff": 0,
                     "lang_inline": 0, "public_py_go": 0, "handles_ops": 0, "hosts_ops": 0,
                     "handles_web": 0, "hosts_infra": 0, "phones_world": 0, "ids_world": 0,
                     "idents_logs": 0, "split_scripting": 0, "encoded_wire": 0,
                     "context_deploy": 0, "hosts_lan": 0, "phones_chat": 0,
                     "lang_chat": 0, "names_threads": 0, "handles_shell": 0,
                     "provider_wire": 0, "names_places": 0, "names_colleagues": 0,
                     "idents_cells": 0, "paths_hosts": 0, "split_idioms": 0,
                     "secret_chats": 0},
        "over": 0,  # public strings changed (public_py_go: nn.Conv2d, appsv1.Deployment… kept)
        "strict": 0,  # secrets of which a 16-character piece reached the upstream
    },
    "held-back": {
        "kinds": {"secret": 3, "pii": 6, "term": 0, "identifier": 1},
        "families": {"split_polyglot": 3, "encoded_inline": 0, "context_ops": 0,
                     "provider_code": 0, "names_chat": 0, "handles_paths": 5,
                     "phones_prose": 0, "hosts_private": 0, "idents_notebook_trace": 1,
                     "lang_ticket": 1, "public_web_native": 0},
        "over": 0,
        "strict": 1,
    },
    # identifier occurrences changed in 55 real files x (fenced, bare): with the default policy
    # every identifier counts; with identifiers: all, the names a file does not define itself.
    "public_code": {
        "proprietary": {"changed": 16, "keywords": 0, "parse_broken": 0, "refused": 0},
        "all": {"changed": 660, "keywords": 0, "parse_broken": 0, "refused": 0},
    },
}
# -------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base_policy():
    return load_policy(default_policy_path())


def _adversarial(part: str, policy) -> Figures:
    records = generate(part, DEFAULT_SEED, DEFAULT_PER_FAMILY)
    return asyncio.run(evaluate(records, policy, key=KEY))


def _restored_everything(fig: Figures) -> list[str]:
    return [f"{mode}: {', '.join(fig.failures[mode][:5])}" for mode in fig.tried
            if fig.restored[mode] != fig.tried[mode]]


def test_dev_corpus_stays_at_zero(base_policy):
    fig = asyncio.run(evaluate(load_corpus(CORPUS), base_policy, key=KEY))
    leaked = {t: ex[:3] for t, ex in fig.examples.items()}
    assert fig.leaks["all"] == 0 and fig.strict_secret_leaks == 0, leaked
    assert fig.over == 0, fig.over_examples[:10]
    assert not _restored_everything(fig) and not fig.refused


@pytest.mark.parametrize("part", ["tuning", "held-back"])
def test_adversarial_part_does_not_regress(part, base_policy):
    fig = _adversarial(part, base_policy)
    want = BASELINE[part]
    assert not fig.refused, fig.refused[:3]
    assert not _restored_everything(fig)
    worse = {k: (fig.leaks[k], n) for k, n in want["kinds"].items() if fig.leaks[k] > n}
    worse |= {f: (fig.family_leaks[f], n) for f, n in want["families"].items()
              if fig.family_leaks[f] > n}
    assert not worse, f"more leaks than the baseline (now, allowed): {worse}"
    assert set(fig.family_items) == set(want["families"]), "families changed: update BASELINE"
    assert fig.over <= want["over"], fig.over_examples
    assert fig.strict_secret_leaks <= want["strict"]


def test_public_code_does_not_regress(base_policy):
    figs: list[ModeFigures] = asyncio.run(measure(load_public_code(PUBLIC_CODE), base_policy,
                                                  key=KEY))
    for fig in figs:
        d = fig.as_dict()
        want = BASELINE["public_code"][fig.mode]
        now = {"changed": d["changed"]["changed"], "keywords": d["keywords"]["changed"],
               "parse_broken": len(d["parse_broken"]), "refused": len(d["refused"])}
        worse = {k: (now[k], n) for k, n in want.items() if now[k] > n}
        assert not worse, (f"{fig.mode}: more changed than the baseline (now, allowed): {worse}; "
                           f"top: {d['top_renamed'][:8]}")
        # every file that was answered comes back to the client as it was sent
        assert len(d["not_restored"]) <= now["refused"], d["not_restored"]
