"""``codeveil eval --public-code``: what the gateway changes in real public source files.

The files (``proxy/testing/data/public_code``: well-known open-source projects, vendored with
their licences) hold no private names, so every identifier the gateway changes is
over-anonymization. Each file goes through the real gateway in front of the echo upstream,
fenced in a markdown message and bare, under the default policy and with ``identifiers: all``.
Measured: identifier occurrences changed (per language and shape), keywords and directives
changed, the names changed most often, whether the anonymized code still parses wherever the
original did, and whether the answer restores to the original.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import secrets
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import aiohttp

from proxy.config import Config, Upstream
from proxy.evaluation.code_tokens import IDENTIFIER, KEYWORD, KINDS, PROSE, PUBLIC, compare, parses
from proxy.evaluation.evaluate import start_app
from proxy.policy import Policy, default_policy_path, load_policy
from proxy.server.app import build_app
from proxy.testing.echo import RECORDED, build_echo_app

SHAPES = ("fenced", "bare")
MODES = ("proprietary", "all")
_FENCE_TAG = {"csharp": "csharp", "cpp": "cpp", "tsx": "tsx"}
_ASK = "Can you explain what this file does?\n\n"


def load_public_code(path: Path) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def message(rec: dict[str, Any], shape: str) -> str:
    if shape == "bare":
        return rec["text"]
    tag = _FENCE_TAG.get(rec["language"], rec["language"])
    return f"{_ASK}```{tag}\n{rec['text'].rstrip(chr(10))}\n```"


def code_of(sent: str, shape: str) -> str | None:
    """The code part of what reached the upstream (None when the fence did not survive)."""
    if shape == "bare":
        return sent
    start = sent.find("```")
    first_nl = sent.find("\n", start)
    end = sent.rfind("\n```")
    if start < 0 or first_nl < 0 or end <= first_nl:
        return None
    return sent[first_nl + 1:end] + "\n"


@dataclass
class Outcome:
    path: str
    language: str
    shape: str
    total: dict[str, int]
    changed: dict[str, int]
    renamed: list[tuple[str, str, str]]
    parsed_before: bool | None
    parsed_after: bool | None
    restored: bool
    refused: str = ""


@dataclass
class ModeFigures:
    mode: str
    outcomes: list[Outcome] = field(default_factory=list)

    def totals(self, key: Any = None) -> dict[Any, dict[str, list[int]]]:
        """key(outcome) -> kind -> [changed, total]."""
        agg: dict[Any, dict[str, list[int]]] = defaultdict(lambda: {k: [0, 0] for k in KINDS})
        for o in self.outcomes:
            for k in KINDS:
                for group in ("all", key(o) if key else None):
                    if group is None:
                        continue
                    agg[group][k][0] += o.changed[k]
                    agg[group][k][1] += o.total[k]
        return agg

    def parse_broken(self) -> list[str]:
        return [f"{o.path} ({o.shape})" for o in self.outcomes
                if o.parsed_before and o.parsed_after is False]

    def top_renamed(self, n: int = 20) -> list[tuple[str, int, str]]:
        """The measured names changed most often (with ``all``: the public ones only)."""
        counts: Counter[str] = Counter()
        example: dict[str, str] = {}
        for o in self.outcomes:
            for kind, name, became in o.renamed:
                if self.mode == "all" and kind != PUBLIC:
                    continue
                counts[name] += 1
                example.setdefault(name, became)
        return [(name, c, example[name]) for name, c in counts.most_common(n)]

    @property
    def measured(self) -> str:
        """What must not change: under the default policy every identifier (the files hold no
        private name); with ``identifiers: all`` the names the file does not define itself."""
        return PUBLIC if self.mode == "all" else IDENTIFIER

    def as_dict(self) -> dict[str, Any]:
        by_lang = self.totals(lambda o: (o.language, o.shape))
        by_shape = self.totals(lambda o: o.shape)
        m = self.measured
        return {
            "mode": self.mode,
            "measured": m,
            "files": len({o.path for o in self.outcomes}),
            "changed": _pair(by_lang["all"][m]),
            "identifiers": _pair(by_lang["all"][IDENTIFIER]),
            "public_identifiers": _pair(by_lang["all"][PUBLIC]),
            "keywords": _pair(by_lang["all"][KEYWORD]),
            "comment_and_string_words": _pair(by_lang["all"][PROSE]),
            "by_shape": {s: _pair(by_shape[s][m]) for s in SHAPES},
            "by_language": {f"{lang}/{shape}": _pair(v[m])
                            for (lang, shape), v in sorted((k, v) for k, v in by_lang.items()
                                                            if k != "all")},
            "parse_broken": self.parse_broken(),
            "not_restored": [f"{o.path} ({o.shape})" for o in self.outcomes if not o.restored],
            "refused": [f"{o.path} ({o.shape}): {o.refused}" for o in self.outcomes if o.refused],
            "top_renamed": self.top_renamed(),
        }


def _pair(p: list[int]) -> dict[str, float]:
    return {"changed": p[0], "total": p[1], "rate": p[0] / max(1, p[1])}


async def measure(records: list[dict[str, Any]], base: Policy, modes: tuple[str, ...] = MODES,
                  shapes: tuple[str, ...] = SHAPES,
                  key: bytes | None = None) -> list[ModeFigures]:
    echo_runner, echo_url = await start_app(build_echo_app())
    recorded = echo_runner.app[RECORDED]
    key = key or secrets.token_bytes(32)
    out = []
    try:
        async with aiohttp.ClientSession() as session:
            for mode in modes:
                config = Config(
                    source=Path.cwd() / "eval", host="127.0.0.1", port=0,
                    upstreams=(Upstream("echo", f"{echo_url}/v1"),),
                    policy_path=default_policy_path(),
                    policy=replace(base, name=f"{base.name}+{mode}", identifiers=mode),
                    audit_path=None, key=key,
                )
                runner, url = await start_app(build_app(config))
                fig = ModeFigures(mode)
                try:
                    for rec in records:
                        for shape in shapes:
                            fig.outcomes.append(await _one(session, url, rec, shape, recorded))
                finally:
                    await runner.cleanup()
                out.append(fig)
    finally:
        await echo_runner.cleanup()
    return out


async def _one(session: aiohttp.ClientSession, url: str, rec: dict[str, Any], shape: str,
               recorded: list[dict[str, Any]]) -> Outcome:
    lang, original = rec["language"], rec["text"]
    content = message(rec, shape)
    body = {"model": "echo", "messages": [{"role": "user", "content": content}], "stream": False}
    recorded.clear()
    async with session.post(url + "/v1/chat/completions", json=body,
                            headers={"Authorization": "Bearer eval"}) as r:
        answer = await r.json()
        status = r.status
    before = parses(lang, original)
    if status != 200 or not recorded:
        empty = dict.fromkeys(KINDS, 0)
        return Outcome(rec["path"], lang, shape, empty, empty, [], before, None, False,
                       refused=f"{status} {json.dumps(answer)[:160]}")
    sent = recorded[-1]["body"]["messages"][0]["content"]
    code = code_of(sent, shape)
    if code is None:  # the fence itself was changed: count every token as changed
        code = ""
    if shape == "fenced":
        original = original.rstrip("\n") + "\n"
    ch = compare(lang, original, code)
    restored = answer["choices"][0]["message"].get("content") == content
    return Outcome(rec["path"], lang, shape, ch.total, ch.changed, ch.renamed, before,
                   parses(lang, code) if before else None, restored)


def report(figs: list[ModeFigures], show: int = 20) -> str:
    lines: list[str] = []
    for fig in figs:
        d = fig.as_dict()
        kw, prose = d["keywords"], d["comment_and_string_words"]
        what = ("identifier occurrences" if d["measured"] == IDENTIFIER
                else "public identifier occurrences (names the file does not define)")
        lines += [
            f"public code, identifiers: {fig.mode} — {d['files']} files, fenced and bare",
            f"  {what} changed: {_fmt(d['changed'])}   fenced {_fmt(d['by_shape']['fenced'])}   "
            f"bare {_fmt(d['by_shape']['bare'])}",
            f"  of which public (not defined in the file): {_fmt(d['public_identifiers'])}"
            if d["measured"] == IDENTIFIER else
            f"  all identifiers (the file's own are renamed by design): {_fmt(d['identifiers'])}",
            f"  keywords and directives changed: {kw['changed']}/{kw['total']} ({kw['rate']:.2%})",
            f"  words in comments and strings changed (may hold real names): "
            f"{prose['changed']}/{prose['total']} ({prose['rate']:.2%})",
            f"  parse broken (parsed before, not after): {len(d['parse_broken'])}"
            + (f": {', '.join(d['parse_broken'][:show])}" if d["parse_broken"] else ""),
            f"  not restored: {len(d['not_restored'])}   refused: {len(d['refused'])}",
            f"  {'language':<12}{'fenced':>22}{'bare':>22}",
        ]
        langs = sorted({k.split('/')[0] for k in d["by_language"]})
        none = {"changed": 0, "total": 0, "rate": 0.0}
        for lang in langs:
            lines.append(f"  {lang:<12}" + "".join(
                f"{_fmt(d['by_language'].get(f'{lang}/{s}', none)):>22}" for s in SHAPES))
        if d["top_renamed"]:
            lines.append("  measured names changed most often (original xN -> one replacement):")
            lines += [f"    {n} x{c} -> {b}" for n, c, b in d["top_renamed"][:show]]
        for r in d["refused"][:show]:
            lines.append(f"  refused: {r}")
        lines.append("")
    return "\n".join(lines)


def _fmt(p: dict[str, float]) -> str:
    return f"{int(p['changed'])}/{int(p['total'])} ({p['rate']:.2%})"


def run_public_code(path: Path, json_out: str | None, show: int, modes: tuple[str, ...] = MODES,
                    limit: int | None = None) -> list[ModeFigures]:
    records = load_public_code(path)[:limit]
    base = load_policy(default_policy_path())
    figs = asyncio.run(measure(records, base, modes))
    print(report(figs, show))
    if json_out:
        Path(json_out).write_text(json.dumps([f.as_dict() for f in figs], indent=2))
    return figs
