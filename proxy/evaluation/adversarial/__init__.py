"""The adversarial corpus: template families that write records in the dev corpus's format.

Each class of failure (split secrets, encoded secrets, secrets by context, provider tokens,
people, handles, phones, hosts, private identifiers, other languages, public names) has at least
two families with different templates: in the TUNING part and in the HELD-BACK part. The split
is fixed here, by family, so nobody tunes detection to the held-back templates: look at tuning
records when improving detection, and read only the held-back part's figures.

``generate(part, seed)`` is deterministic per seed; another seed gives fresh values.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from proxy.evaluation.adversarial import (
    fam_accounts,
    fam_code_people,
    fam_colleagues,
    fam_context,
    fam_devlogs,
    fam_infra,
    fam_lang,
    fam_native,
    fam_networks,
    fam_paths,
    fam_people,
    fam_people_places,
    fam_polyglot,
    fam_provider_wire,
    fam_public,
    fam_secret_idioms,
    fam_shells,
    fam_split,
    fam_tickets,
    fam_world,
)
from proxy.evaluation.adversarial.draft import Draft, TemplateError

PARTS = ("tuning", "held-back")
DEFAULT_SEED = 20250
DEFAULT_PER_FAMILY = 8

Make = Callable[[Draft, int], tuple[str, str, list[dict[str, Any]]]]


@dataclass(frozen=True)
class Family:
    name: str
    part: str
    klass: str  # the class of issue #11 it measures
    make: Make


FAMILIES: tuple[Family, ...] = (
    Family("split_python", "tuning", "secret/split", fam_split.split_python),
    Family("split_shell", "tuning", "secret/split", fam_split.split_shell),
    Family("split_polyglot", "held-back", "secret/split", fam_split.split_polyglot),
    Family("encoded_k8s", "tuning", "secret/encoded", fam_split.encoded_k8s),
    Family("encoded_inline", "held-back", "secret/encoded", fam_split.encoded_inline),
    Family("context_files", "tuning", "secret/context", fam_context.context_files),
    Family("context_ops", "held-back", "secret/context", fam_context.context_ops),
    Family("provider_config", "tuning", "secret/provider", fam_context.provider_config),
    Family("provider_code", "held-back", "secret/provider", fam_context.provider_code),
    Family("split_native", "tuning", "secret/split", fam_native.split_native),
    Family("encoded_escapes", "tuning", "secret/encoded", fam_native.encoded_escapes),
    Family("context_services", "tuning", "secret/context", fam_native.context_services),
    Family("provider_snippets", "tuning", "secret/provider", fam_native.provider_snippets),
    Family("names_code", "tuning", "pii/person", fam_people.names_code),
    Family("names_chat", "held-back", "pii/person", fam_people.names_chat),
    Family("names_prose_git", "tuning", "pii/person", fam_code_people.names_prose_git),
    Family("handles_repo", "tuning", "pii/username", fam_people.handles_repo),
    Family("handles_paths", "held-back", "pii/username", fam_people.handles_paths),
    Family("phones_fixtures", "tuning", "pii/phone", fam_people.phones_fixtures),
    Family("phones_prose", "held-back", "pii/phone", fam_people.phones_prose),
    Family("hosts_cloud", "tuning", "pii/host", fam_infra.hosts_cloud),
    Family("hosts_private", "held-back", "pii/host", fam_infra.hosts_private),
    Family("idents_sql_repl", "tuning", "identifier", fam_infra.idents_sql_repl),
    Family("idents_notebook_trace", "held-back", "identifier", fam_infra.idents_notebook_trace),
    Family("idents_trace_diff", "tuning", "identifier", fam_code_people.idents_trace_diff),
    Family("lang_inline", "tuning", "language", fam_lang.lang_inline),
    Family("lang_ticket", "held-back", "language", fam_lang.lang_ticket),
    Family("public_py_go", "tuning", "public", fam_public.public_py_go),
    Family("public_web_native", "held-back", "public", fam_public.public_web_native),
    # more tuning families for accounts, hosts, phones and identifiers (written later, without
    # reading the held-back ones: the held-back part stays as it was)
    Family("handles_ops", "tuning", "pii/username", fam_accounts.handles_ops),
    Family("hosts_ops", "tuning", "pii/host", fam_accounts.hosts_ops),
    Family("handles_web", "tuning", "pii/username", fam_accounts.handles_web),
    Family("hosts_infra", "tuning", "pii/host", fam_accounts.hosts_infra),
    Family("phones_world", "tuning", "pii/phone", fam_world.phones_world),
    Family("ids_world", "tuning", "language", fam_world.ids_world),
    Family("idents_logs", "tuning", "identifier", fam_devlogs.idents_logs),
    # scripting languages, inline encodings and deployment files (issue #11, items 1-5)
    Family("split_scripting", "tuning", "secret/split", fam_polyglot.split_scripting),
    Family("encoded_wire", "tuning", "secret/encoded", fam_polyglot.encoded_wire),
    Family("context_deploy", "tuning", "secret/context", fam_polyglot.context_deploy),
    Family("hosts_lan", "tuning", "pii/host", fam_networks.hosts_lan),
    Family("phones_chat", "tuning", "pii/phone", fam_networks.phones_chat),
    Family("lang_chat", "tuning", "language", fam_tickets.lang_chat),
    Family("names_threads", "tuning", "pii/person", fam_tickets.names_threads),
    Family("handles_shell", "tuning", "pii/username", fam_shells.handles_shell),
    # provider tokens handed to clients in many languages; AWS secrets joined from pieces
    Family("provider_wire", "tuning", "secret/provider", fam_provider_wire.provider_wire),
    # people where developers paste them: notes, rotations, issue JSON, headers, fixtures
    Family("names_places", "tuning", "pii/person", fam_people_places.names_places),
    # colleagues in sixteen languages; private code in notebook, test and logging output
    Family("names_colleagues", "tuning", "pii/person", fam_colleagues.names_colleagues),
    Family("idents_cells", "tuning", "identifier", fam_colleagues.idents_cells),
    # logins and machines inside paths, traces, tool configuration and output of every OS
    Family("paths_hosts", "tuning", "pii/username", fam_paths.paths_hosts),
    # secrets joined in many languages' idioms; secrets told in other languages' sentences
    Family("split_idioms", "tuning", "secret/split", fam_secret_idioms.split_idioms),
    Family("secret_chats", "tuning", "secret/context", fam_secret_idioms.secret_chats),
)


def families(part: str) -> list[Family]:
    if part not in PARTS:
        raise ValueError(f"unknown part {part!r}: one of {', '.join(PARTS)}")
    return [f for f in FAMILIES if f.part == part]


def generate(part: str, seed: int = DEFAULT_SEED,
             per_family: int = DEFAULT_PER_FAMILY) -> list[dict[str, Any]]:
    """The records of one part: ``per_family`` records of each of its families."""
    out = []
    for fam in families(part):
        for i in range(per_family):
            rng = random.Random(f"{seed}:{fam.name}:{i}")
            d = Draft(family=fam.name, rng=rng)
            language, scenario, messages = fam.make(d, i)
            rid = f"adv-{fam.name}-{seed}-{i:03d}"
            out.append(d.finish(rid, language, scenario, messages))
    return out


__all__ = ["DEFAULT_PER_FAMILY", "DEFAULT_SEED", "FAMILIES", "PARTS", "Family", "TemplateError",
           "families", "generate"]
