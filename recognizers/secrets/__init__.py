"""Secret recognizer: credentials, API keys, private keys and passwords in prompts.

``SecretRecognizer().analyze(text)`` returns :class:`~recognizers.base.Finding` spans that cover
exactly the secret value to replace: the token itself, the password inside a connection string
(not the scheme, user or host), the value of ``password = "..."`` (not the key or the quotes),
the whole PEM block of a private key.

Rules, all compiled once at import, one module per family:

1. **Prefix tokens** (:mod:`.tokens`, formats as data in ``recognizers/rules/secrets.toml``):
   provider formats with a fixed prefix (``ghp_``, ``AKIA``, ``xoxb-``,
   ``sk_live_``, ``AIza``, ``SG.``, ``npm_``, ``pypi-``, ``glpat-`` and ~60 more after gitleaks'
   rule set). Matches are checked against placeholders (``xxxx``, ``EXAMPLE``) and a minimum
   Shannon entropy of the token. Then gitleaks' own maintained rule set (:mod:`.gitleaks`,
   ``recognizers/rules/gitleaks.toml.gz``, translated from RE2 at import) for the formats these
   miss, each rule with its keywords, entropy limit and allowlists.
1b. **Encoded secrets** (:mod:`.encoded`): a base64 blob that decodes to text in which this
   recognizer finds a secret (two levels deep at most) is reported whole.
2. **Structured secrets** (:mod:`.structured`): PEM / PuTTY private keys (also with
   JSON-escaped ``\\n``), JWTs (header and payload must decode to JSON),
   ``scheme://user:password@host`` URLs (only the password), Azure connection strings,
   ``Authorization: Basic/Bearer`` headers, password hashes (bcrypt, argon2, pbkdf2, crypt),
   Kubernetes ``kind: Secret`` data, ``curl -u``, ``mysql -p'...'``,
   ``sshpass -p``, ``echo ... | docker login``, ``.netrc``, SQL ``IDENTIFIED BY``, XML
   ``<add key="Password" value="..."/>``.
3. **Key/value assignments** (:mod:`.assignments`): a key whose name ends in a secret noun
   (password, passwd, pwd, pass, secret, token, api key, credentials, ``<qualifier>_key``,
   npm ``_auth``, docker ``"auth"`` ...) with any prefix or suffix, followed by ``=``, ``:``,
   ``:=``, ``=>``, a setter call (``setPassword("...")``, ``put("password", "...")``), an XML
   element
   (``<password>...</password>``), a CLI flag (``--password x``), ADO/ODBC ``Password=...;`` or a
   SQL-style ``PASSWORD '...'``. Only literal values are reported: quoted strings and bare values
   of ``.env`` / YAML / properties lines. Identifiers, attribute paths, calls, type annotations,
   environment lookups and template placeholders are left alone, so public code such as
   ``token = get_token()``, ``password=self.password`` or ``def check_password(self, password):``
   is never changed. Types: ``PASSWORD`` for password-like keys, ``API_KEY`` for api-key keys,
   ``HEX_TOKEN`` / ``BASE64_TOKEN`` by the value's alphabet, otherwise ``SECRET_VALUE``; specific
   types (``AWS_SECRET_ACCESS_KEY``, ``TWILIO_AUTH_TOKEN``, ``DJANGO_SECRET_KEY``,
   ``DOCKER_AUTH``, ``BASIC_AUTH``) when the key and the value say so. Ids of accounts and keys
   (``account_sid``, ``private_key_id``, ``session_id``) count when the value is token-shaped.

4. **Split across literals** (:mod:`.split`): constant string expressions (implicit and ``+``
   concatenation, f-string/template pieces of bound names, joins of lists, append chains, shell
   ``"$A$B"``) are evaluated, the joined value is scanned with the rules above after the key it
   is assigned to, and each fragment literal holding part of a secret is reported with its type.

Speed: one Aho-Corasick pass (pyahocorasick) over the lower-cased text finds every rule keyword
and every key/value keyword; only the rules whose keywords occur run their regexes, and every
regex starts with a literal so ``re`` can skip ahead. Case-insensitive regex groups are avoided
(they are ~10x slower in ``re``); case-insensitive matching runs on the lower-cased copy.
Quantifiers are bounded or possessive and token regexes only start at token boundaries, so
hostile input (``eyJeyJeyJ...``, thousands of ``BEGIN`` lines) stays linear.

What comes from detect-secrets (v1.5) and why:

* the token regexes of its ``RegexBasedDetector`` plugins for SendGrid, Discord, Square OAuth,
  GitLab (deploy, feed, runner, CI/CD, trigger, agent, OAuth ... tokens) and PyPI are taken from
  their ``denylist`` patterns at import (wrapped with our boundaries and keyword triggers; the
  PyPI length capped, the Discord signature length widened to 38 for newer tokens), so these
  formats stay in sync with a maintained scanner;
* the entropy measure of ``HighEntropyStringsPlugin.calculate_shannon_entropy`` (bits per
  character), re-implemented over ``collections.Counter`` because the plugin version loops over
  its whole charset and is several times slower;
* ``detect_secrets.filters.heuristic.is_sequential_string`` and ``is_templated_secret`` to drop
  placeholders such as ``ABCDEFGH...``, ``{password}``, ``<token>``, ``${TOKEN}``.

Its plugins are not run as such: they scan line by line, report values without offsets, miss
multi-line PEM blocks and JSON-escaped text, and the keyword plugin flags identifiers
(``password = password``), which the gateway must not change.
"""

from __future__ import annotations

from recognizers.base import SECRET, Finding, Recognizer
from recognizers.context import DetectionContext, as_context
from recognizers.literals import Literals
from recognizers.secrets import gitleaks
from recognizers.secrets.assignments import KV_KEYWORDS, scan_assignments
from recognizers.secrets.encoded import scan_encoded
from recognizers.secrets.pairs import scan_pairs
from recognizers.secrets.prose import scan_prose_passwords
from recognizers.secrets.split import scan_split
from recognizers.secrets.structured import GUARDS, scan_structured
from recognizers.secrets.tokens import RULES, scan_discord, scan_facebook_app, scan_tokens

__all__ = ["SecretRecognizer"]

_NAME = "secrets"


def _build_automaton() -> Literals:
    """One trigger for all families: (0, rule index), (1, guard), (2, keyword length),
    (3, gitleaks rule index)."""
    tags: dict[str, list[tuple[int, int]]] = {}
    for i, rule in enumerate(RULES):
        for kw in rule.keywords:
            tags.setdefault(kw, []).append((0, i))
    for i, gl in enumerate(gitleaks.RULES):
        for kw in gl.keywords:
            tags.setdefault(kw, []).append((3, i))
    for kw, g in GUARDS.items():
        tags.setdefault(kw, []).append((1, g))
    for kw in KV_KEYWORDS:
        tags.setdefault(kw, []).append((2, len(kw)))
    return Literals((kw, tuple(t)) for kw, t in tags.items())


_AC = _build_automaton()


class SecretRecognizer(Recognizer):
    """Finds secrets and credentials; each Finding spans exactly the value to replace.

    No constructor arguments. ``analyze(ctx)`` is thread-safe (no state between calls).
    """

    name = _NAME
    category = SECRET

    def analyze(self, ctx: DetectionContext | str) -> list[Finding]:
        ctx = as_context(ctx)
        if len(ctx.text) < 8:
            return []
        out = self._collect(ctx, 0)
        # a secret built from several literals: each fragment is reported with its type
        scan_split(ctx, lambda t: self._scan(DetectionContext(t), 0),
                   lambda s, e, t, sc: _add(out, s, e, t, sc))
        return _finish(out)

    def _scan(self, ctx: DetectionContext, depth: int) -> list[Finding]:
        """The findings in one text; ``depth`` counts the base64 decodings that led to it."""
        if len(ctx.text) < 8:
            return []
        return _finish(self._collect(ctx, depth))

    def _collect(self, ctx: DetectionContext, depth: int) -> dict[tuple[int, int], Finding]:
        """What the rules find in one text, by span (before :func:`_finish`)."""
        text = ctx.text
        rules: set[int] = set()
        gl_rules: set[int] = set()
        guards: set[int] = set()
        kv_hits: list[tuple[int, int]] = []
        for end, tags in ctx.keyword_hits(_AC):
            for kind, val in tags:  # type: ignore[attr-defined]
                if kind == 0:
                    rules.add(val)
                elif kind == 1:
                    guards.add(val)
                elif kind == 3:
                    gl_rules.add(val)
                else:
                    kv_hits.append((end + 1 - val, end + 1))

        out: dict[tuple[int, int], Finding] = {}

        def add(start: int, end: int, type_: str, score: float = 1.0) -> None:
            _add(out, start, end, type_, score)

        # first, so that a blob another scan also finds is typed by what it encodes
        by_context = scan_encoded(text, lambda t, d: self._scan(as_context(t), d), depth, add)
        if rules:
            scan_tokens(text, sorted(rules), add)
        if "." in text:
            scan_discord(text, add)
        if "|" in text:
            scan_facebook_app(text, add)
        if guards:
            scan_structured(text, ctx.lower, guards, add)
        if kv_hits:
            scan_assignments(text, ctx.lower, kv_hits, add)
        scan_pairs(text, ctx.lower, kv_hits, lambda t: self._scan(as_context(t), depth + 1), add)
        scan_prose_passwords(text, ctx.lower, add)
        if gl_rules:  # after our own rules: where both find a token, ours names its type
            gitleaks.scan_gitleaks(text, ctx.lower, sorted(gl_rules), add)
        for s, e, type_ in by_context:  # last: a rule that reads the blob itself names it,
            old = out.get((s, e))  # but a bare key/value finding does not (keep the codec)
            if old is not None and old.score < 1.0:
                del out[(s, e)]
            add(s, e, type_)
        return out


def _add(out: dict[tuple[int, int], Finding], start: int, end: int, type_: str,
         score: float = 1.0) -> None:
    if end > start and (start, end) not in out:
        out[(start, end)] = Finding(start, end, type_, SECRET, _NAME, score)


def _finish(out: dict[tuple[int, int], Finding]) -> list[Finding]:
    findings = sorted(out.values(), key=lambda f: (f.start, -f.end))
    if len(findings) < 2:
        return findings
    # a key/value finding (score < 1) inside a specific one adds nothing
    specific = [f for f in findings if f.score >= 1.0]
    return [
        f
        for f in findings
        if f.score >= 1.0
        or not any(g.start <= f.start and f.end <= g.end for g in specific)
    ]
