"""``codeveil policy check | test | explain``: tools for the people who write policies.

``check FILE...``
    Every problem of each policy (and of the files it extends) as ``FILE:LINE: key: message``;
    exit 1 when there is any, 0 when every file is valid.

``test FILE --cases CASES.yaml``
    Runs the outcomes a team expects against the policy and reports pass/fail per case; exit 1
    on any failure (2 when the policy or the cases file cannot be read). The cases file is a
    list of cases (or a mapping with a ``cases:`` list)::

        - name: an AWS key is masked
          text: "aws_access_key_id = AKIAQ7ZB3XK2MV4PLT9R"
          expect:
            masked:                       # replaced or redacted, and not in the upstream text
              - {type: AWS_ACCESS_KEY_ID, text: AKIAQ7ZB3XK2MV4PLT9R}   # type optional
            unchanged: [aws_access_key_id]  # must reach the upstream as written
            monitored:                    # found and logged, but not changed
              - {type: EMAIL, text: a@example.org}
            blocked: false                # true: the request must be refused

    ``blocked`` defaults to false: a case whose request is refused fails unless it says
    ``blocked: true``.

``explain FILE TEXT``  (TEXT ``-`` reads standard input)
    Each finding with its recognizer, type, score, the rule that decided and what happened to
    it (replaced, redacted, blocked, monitored, allowed, ignored), then the verdict.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from proxy.policy import Policy, PolicyError, check_policy, load_policy

# The veil loads every recognizer: imported where a command needs it, so that the other
# commands (and --help) do not wait for it.
if TYPE_CHECKING:
    from proxy.veil.engine import Veil

TEST_KEY = b"codeveil policy test key"
_DONE = {
    "pseudonymize": "replaced",
    "redact": "redacted",
    "block": "blocked",
    "monitor": "monitored",
    "allow": "allowed",
    "off": "ignored (type off)",
    "below_threshold": "ignored (score below threshold)",
}


# -- check -------------------------------------------------------------------------------------


def run_check(files: list[str], out: Any = None) -> int:
    out = out or sys.stdout
    bad = 0
    for f in files:
        issues = check_policy(f)
        for issue in issues:
            print(issue, file=out)
        if issues:
            bad += 1
        else:
            print(f"{f}: ok", file=out)
    return 1 if bad else 0


# -- test --------------------------------------------------------------------------------------


@dataclass
class CaseResult:
    name: str
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


def _as_expected(item: Any) -> tuple[str | None, str]:
    if isinstance(item, dict):
        return item.get("type"), str(item["text"])
    return None, str(item)


def run_case(veil: Veil, case: dict[str, Any]) -> CaseResult:
    from proxy.veil.engine import Blocked, Mapping

    name = str(case.get("name") or case.get("text", "")[:40])
    result = CaseResult(name)
    expect = case.get("expect") or {}
    text = str(case.get("text", ""))
    try:
        (anon,), mapping = veil.anonymize([text])
        blocked: list[str] = []
    except Blocked as e:
        anon, mapping, blocked = None, Mapping(), e.types
    want_blocked = bool(expect.get("blocked", False))
    if want_blocked and not blocked:
        result.failures.append("expected the request to be blocked, it was forwarded")
    if blocked and not want_blocked:
        result.failures.append(f"the request was blocked ({', '.join(blocked)})")
    if anon is None:
        return result
    for item in expect.get("masked") or ():
        type_, value = _as_expected(item)
        origin = mapping.origins.get(value)
        if origin is None or origin[4] == "monitor" or value in anon:
            result.failures.append(f"{value!r} was not masked")
        elif type_ and origin[0] != type_:
            result.failures.append(f"{value!r} was masked as {origin[0]}, expected {type_}")
    for item in expect.get("monitored") or ():
        type_, value = _as_expected(item)
        origin = mapping.origins.get(value)
        if origin is None or origin[4] != "monitor":
            result.failures.append(f"{value!r} was not monitored")
        elif type_ and origin[0] != type_:
            result.failures.append(f"{value!r} was monitored as {origin[0]}, expected {type_}")
    for item in expect.get("unchanged") or ():
        _, value = _as_expected(item)
        if value not in anon:
            result.failures.append(f"{value!r} did not pass unchanged")
    return result


def load_cases(path: str | Path) -> list[dict[str, Any]]:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise ValueError(f"{path}: cannot read the cases: {e}") from e
    if isinstance(data, dict):
        data = data.get("cases")
    if not isinstance(data, list) or not all(
        isinstance(c, dict) and isinstance(c.get("text"), str) for c in data
    ):
        raise ValueError(f"{path}: the cases must be a list of mappings, each with a text")
    for c in data:
        expect = c.get("expect") or {}
        unknown = set(expect) - {"masked", "unchanged", "monitored", "blocked"}
        if unknown:
            raise ValueError(f"{path}: case {c.get('name')!r}: unknown expect keys {unknown}")
    return data


def run_test(policy_file: str, cases_file: str, out: Any = None) -> int:
    from proxy.veil.engine import Veil

    out = out or sys.stdout
    try:
        policy = load_policy(policy_file)
        cases = load_cases(cases_file)
    except (PolicyError, ValueError) as e:
        print(f"codeveil: {e}", file=out)
        return 2
    veil = Veil(policy, TEST_KEY)
    results = [run_case(veil, c) for c in cases]
    for r in results:
        print(f"{'PASS' if r.passed else 'FAIL'}  {r.name}", file=out)
        for f in r.failures:
            print(f"      - {f}", file=out)
    failed = sum(not r.passed for r in results)
    print(f"{len(results) - failed} passed, {failed} failed", file=out)
    return 1 if failed else 0


# -- explain -----------------------------------------------------------------------------------


def explain(policy: Policy, text: str) -> dict[str, Any]:
    """Every finding in ``text`` and what the policy did with it."""
    from proxy.veil.engine import Blocked, Mapping, Veil, _allowed_at

    veil = Veil(policy, TEST_KEY)
    try:
        (anon,), mapping = veil.anonymize([text])
        blocked: list[str] = []
    except Blocked as e:
        anon, mapping, blocked = None, Mapping(), e.types
    rows = []
    raw = sorted(veil.detect(text), key=lambda f: (f.start, -f.length, f.recognizer))
    for f in raw:
        value = text[f.start : f.end]
        d = policy.decide(f.type, f.category, f.score)
        action, rule, outcome = d.action, d.rule, _DONE.get(d.action, d.action)
        if value in policy.allow or (
            policy.allow and _allowed_at(policy.allow, text, f.start, f.end)
        ):
            action, rule, outcome = "allow", "allow list", "allowed"
        origin = mapping.origins.get(value)
        row: dict[str, Any] = {
            "start": f.start, "end": f.end, "text": value, "recognizer": f.recognizer,
            "type": f.type, "category": f.category, "score": round(f.score, 3),
            "rule": rule, "action": action, "outcome": outcome,
            "restored": d.restore if action == "pseudonymize" else False,
        }
        if origin is not None and origin[0] != f.type:
            row["outcome"] = f"{_DONE.get(origin[4], origin[4])} as {origin[0]} (more specific)"
            row["action"] = origin[4]
        if action == "block" and not blocked:
            row["outcome"] = "blocked"
        if value in mapping.forward and action != "allow":
            row["replacement"] = mapping.forward[value]
        rows.append(row)
    return {"policy": policy.name, "blocked": blocked, "findings": rows, "upstream_text": anon}


def run_explain(policy_file: str, text: str, as_json: bool = False, out: Any = None) -> int:
    out = out or sys.stdout
    try:
        policy = load_policy(policy_file)
    except PolicyError as e:
        print(f"codeveil: {e}", file=out)
        return 2
    if text == "-":
        text = sys.stdin.read()
    report = explain(policy, text)
    if as_json:
        print(json.dumps(report, indent=2, ensure_ascii=False), file=out)
        return 0
    rows = report["findings"]
    print(f"policy '{report['policy']}': {len(rows)} findings", file=out)
    for r in rows:
        extra = f" -> {r['replacement']}" if "replacement" in r else ""
        if r["action"] == "pseudonymize" and not r["restored"]:
            extra += " (not restored in answers)"
        print(
            f"  {r['start']}-{r['end']} {r['text']!r}: {r['type']} ({r['category']}) "
            f"by {r['recognizer']}, score {r['score']:.2f}; rule {r['rule']} => "
            f"{r['outcome']}{extra}",
            file=out,
        )
    if report["blocked"]:
        print(f"verdict: BLOCKED ({', '.join(report['blocked'])})", file=out)
    else:
        print("verdict: forwarded; upstream text:", file=out)
        print(report["upstream_text"], file=out)
    return 0


# -- the command -------------------------------------------------------------------------------


def cmd_policy(args: argparse.Namespace) -> int:
    if args.policy_command == "check":
        return run_check(args.files)
    if args.policy_command == "test":
        return run_test(args.file, args.cases)
    return run_explain(args.file, args.text, as_json=args.json)


def add_parser(sub: Any) -> None:
    p = sub.add_parser("policy", help="check, test and explain policy files")
    p.set_defaults(func=cmd_policy)
    ps = p.add_subparsers(dest="policy_command", required=True)
    c = ps.add_parser("check", help="every error of a policy, as FILE:LINE: key: message")
    c.add_argument("files", nargs="+", metavar="FILE")
    t = ps.add_parser("test", help="run expected outcomes (a cases file) against a policy")
    t.add_argument("file", metavar="FILE")
    t.add_argument("--cases", required=True, help="the cases YAML file")
    e = ps.add_parser("explain", help="which rule fired on what, for a text")
    e.add_argument("file", metavar="FILE")
    e.add_argument("text", metavar="TEXT", help="the text, or - for standard input")
    e.add_argument("--json", action="store_true", help="machine-readable output")
