"""Secret recognizer: credentials, API keys, private keys and passwords in prompts.

``SecretRecognizer().analyze(text)`` returns :class:`~recognizers.base.Finding` spans that cover
exactly the secret value to replace: the token itself, the password inside a connection string
(not the scheme, user or host), the value of ``password = "..."`` (not the key or the quotes),
the whole PEM block of a private key.

Rules, all compiled once at import:

1. **Prefix tokens**: provider formats with a fixed prefix (``ghp_``, ``AKIA``, ``xoxb-``,
   ``sk_live_``, ``AIza``, ``SG.``, ``npm_``, ``pypi-``, ``glpat-`` and ~60 more after gitleaks'
   rule set). Matches are checked against placeholders (``xxxx``, ``EXAMPLE``) and a minimum
   Shannon entropy of the token.
2. **Structured secrets**: PEM / PuTTY private keys (also with JSON-escaped ``\\n``), JWTs (header
   and payload must decode to JSON), ``scheme://user:password@host`` URLs (only the password),
   Azure connection strings, ``Authorization: Basic/Bearer`` headers, password hashes (bcrypt,
   argon2, pbkdf2, crypt), Kubernetes ``kind: Secret`` data, ``curl -u``, ``mysql -p'...'``,
   ``sshpass -p``, ``echo ... | docker login``, ``.netrc``, SQL ``IDENTIFIED BY``, XML
   ``<add key="Password" value="..."/>``.
3. **Key/value assignments**: a key whose name ends in a secret noun (password, passwd, pwd,
   pass, secret, token, api key, credentials, ``<qualifier>_key``, npm ``_auth``, docker
   ``"auth"`` ...) with any prefix or suffix, followed by ``=``, ``:``, ``:=``, ``=>``, a setter
   call (``setPassword("...")``, ``put("password", "...")``), an XML element
   (``<password>...</password>``), a CLI flag (``--password x``), ADO/ODBC ``Password=...;`` or a
   SQL-style ``PASSWORD '...'``. Only literal values are reported: quoted strings and bare values
   of ``.env`` / YAML / properties lines. Identifiers, attribute paths, calls, type annotations,
   environment lookups and template placeholders are left alone, so public code such as
   ``token = get_token()``, ``password=self.password`` or ``def check_password(self, password):``
   is never changed. Types: ``PASSWORD`` for password-like keys, ``API_KEY`` for api-key keys,
   ``HEX_TOKEN`` / ``BASE64_TOKEN`` by the value's alphabet, otherwise ``SECRET_VALUE``; specific
   types (``AWS_SECRET_ACCESS_KEY``, ``TWILIO_AUTH_TOKEN``, ``DJANGO_SECRET_KEY``,
   ``DOCKER_AUTH``, ``BASIC_AUTH``) when the key and the value say so.

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

import base64
import binascii
import json
import math
import re
from collections import Counter
from collections.abc import Callable

import ahocorasick
from detect_secrets.filters.heuristic import is_sequential_string, is_templated_secret
from detect_secrets.plugins.discord import DiscordBotTokenDetector
from detect_secrets.plugins.gitlab_token import GitLabTokenDetector
from detect_secrets.plugins.pypi_token import PypiTokenDetector
from detect_secrets.plugins.sendgrid import SendGridDetector
from detect_secrets.plugins.square_oauth import SquareOAuthDetector

from recognizers.base import SECRET, Finding, Recognizer
from recognizers.context import DetectionContext, as_context

__all__ = ["SecretRecognizer"]

_NAME = "secrets"
_Add = Callable[..., None]

# --------------------------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------------------------


_XLOGX = [0.0] + [c * math.log2(c) for c in range(1, 4097)]


def _entropy(s: str) -> float:
    """Shannon entropy in bits per character (as detect-secrets computes it)."""
    n = len(s)
    if n == 0 or n > 4096:
        return 0.0 if n == 0 else _entropy(s[:4096])
    return math.log2(n) - sum(map(_XLOGX.__getitem__, Counter(s).values())) / n


_WORDCHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
_TOKCHARS = _WORDCHARS | {"-"}


def _left_ok(text: str, i: int, chars: frozenset[str] = _WORDCHARS) -> bool:
    """True when position ``i`` starts a token: no word char before it, or an escape ``\\n``."""
    if i == 0:
        return True
    c = text[i - 1]
    if c not in chars:
        return True
    return c in "nrt" and i >= 2 and text[i - 2] == "\\"


_PLACEHOLDER_RUN = re.compile(r"(?i)xxxx|\*\*\*|\.\.\.|…|#{4}|_{5}|0{8}|([a-z])\1{7}")
_SEQ_RUN_RE = re.compile(
    "|".join(
        re.escape(alpha[i:i + 8])
        for alpha in ("0123456789", "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        for i in range(len(alpha) - 7)
    )
)


def _has_seq_run(v: str) -> bool:
    """``abcdefgh``, ``12345678``: keyboard-walk fillers, not secrets."""
    return _SEQ_RUN_RE.search(v) is not None


def _token_plausible(tok: str, min_entropy: float) -> bool:
    """A provider token: no placeholder run, enough entropy."""
    if min_entropy and _PLACEHOLDER_RUN.search(tok):
        return False
    return _entropy(tok) >= min_entropy


_UPPER_RE = re.compile(r"[A-Z]")
_LOWER_RE = re.compile(r"[a-z]")
_DIGIT_RE = re.compile(r"[0-9]")
_ALPHA_RE = re.compile(r"[A-Za-z]")
_ALNUM_RE = re.compile(r"[A-Za-z0-9]")
_SYMBOL_RE = re.compile(r"[^A-Za-z0-9]")
_SPACE_RE = re.compile(r"\s")


def _mixed(tok: str) -> bool:
    """At least two of upper case, lower case, digits."""
    up = _UPPER_RE.search(tok) is not None
    lo = _LOWER_RE.search(tok) is not None
    di = _DIGIT_RE.search(tok) is not None
    return up + lo + di >= 2


def _mixed3(tok: str) -> bool:
    """Upper case, lower case and digits."""
    return bool(_UPPER_RE.search(tok) and _LOWER_RE.search(tok) and _DIGIT_RE.search(tok))


def _b64decode(s: str) -> bytes | None:
    s = s.rstrip("=").replace("+", "-").replace("/", "_")
    try:
        return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
    except (binascii.Error, ValueError):
        return None


def _b64_json(seg: str, loose: bool = False) -> bool:
    raw = _b64decode(seg)
    if raw is None:
        return False
    if loose:
        return raw[:1] == b"{"
    try:
        return isinstance(json.loads(raw), dict)
    except (ValueError, UnicodeDecodeError):
        return False


def _b64_has_colon(v: str) -> bool:
    raw = _b64decode(v)
    return raw is not None and b":" in raw


# --------------------------------------------------------------------------------------------
# 1. prefix tokens
# --------------------------------------------------------------------------------------------


class _Rule:
    """A provider token: keywords (lower case, for the Aho-Corasick trigger), a regex that
    starts with a literal, an optional ``before`` regex for the part in front of the literal."""

    __slots__ = (
        "before", "check", "group", "keywords", "left", "left_chars", "min_entropy", "regex",
        "type",
    )

    def __init__(
        self,
        type_: str,
        keywords: tuple[str, ...],
        pattern: str,
        *,
        min_entropy: float = 3.0,
        group: str | int = 0,
        left: bool = True,
        check: Callable[[str], bool] | None = None,
        before: str | None = None,
        left_chars: frozenset[str] = _WORDCHARS,
    ) -> None:
        self.type = type_
        self.left_chars = left_chars
        self.keywords = tuple(k.lower() for k in keywords)
        if left:
            pattern = _with_left_boundary(pattern)
        self.regex = re.compile(pattern)
        self.min_entropy = min_entropy
        self.group = group
        self.left = left
        self.check = check
        self.before = re.compile(before + "$") if before else None


_LITERAL_PREFIX_RE = re.compile(r"(?:[A-Za-z0-9_]|\\[.\-]|-)+")


def _with_left_boundary(pattern: str) -> str:
    """Insert a lookbehind after the pattern's literal prefix: the match must start a token
    (or follow an escaped ``\\n``). Keeping the literal first lets ``re`` search for it fast,
    and the lookbehind stops retries inside long runs (``eyJeyJeyJ...``) from going quadratic."""
    m = _LITERAL_PREFIX_RE.match(pattern)
    if not m or pattern[m.end():m.end() + 1] in ("?", "*", "+", "{"):
        return pattern  # the last literal char is quantified: keep the pattern as it is
    lit = m.group()
    return lit + rf"(?:(?<![A-Za-z0-9_\-]{lit})|(?<=\\[nrt]{lit}))" + pattern[len(lit):]


def _words(s: str) -> frozenset[str]:
    """A frozenset from a whitespace-separated word list."""
    return frozenset(s.split())


def _ds(detector: type, index: int = 0) -> str:
    """The pattern text of one of a detect-secrets plugin's denylist regexes."""
    return detector.denylist[index].pattern


_END = r"(?![A-Za-z0-9_])"
_END_DASH = r"(?![A-Za-z0-9_\-])"


def _aws_id_ok(tok: str) -> bool:
    return "EXAMPLE" not in tok and len(set(tok[4:])) >= 6


def _gitlab_patterns() -> list[tuple[str, str]]:
    """detect-secrets' GitLab patterns, split by literal prefix (keyword, pattern)."""
    out = []
    for rx in GitLabTokenDetector.denylist:
        pat = rx.pattern.replace(r"(?!\w)", "")
        lit = re.match(r"[A-Za-z0-9]+-?", pat)
        if lit and lit.group() not in ("glpat-",):
            out.append((lit.group(), pat))
        elif not lit:  # "(glpat|gldt|...)-" alternation
            for pre in re.findall(r"[a-z]+", pat.split(")")[0]):
                if pre != "glpat":
                    out.append((pre + "-", pre + "-" + pat.split(")-", 1)[1]))
    return out


_RULES: tuple[_Rule, ...] = (
    _Rule("AWS_ACCESS_KEY_ID", ("AKIA", "ASIA", "ABIA", "ACCA", "A3T"),
          r"A(?:3T[A-Z0-9]|KIA|SIA|BIA|CCA)[A-Z0-9]{16}" + _END,
          min_entropy=2.8, check=_aws_id_ok),
    _Rule("GITHUB_TOKEN", ("ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
          r"gh[pousr]_[A-Za-z0-9]{36,251}" + _END),
    _Rule("GITHUB_FINE_GRAINED_PAT", ("github_pat_",), r"github_pat_[A-Za-z0-9_]{40,255}" + _END),
    _Rule("GITLAB_TOKEN", ("glpat-",),
          r"glpat-[A-Za-z0-9_\-]{20,300}(?:\.[0-9a-z]{2}\.[0-9a-z]{7,9})?" + _END_DASH),
    *(
        _Rule("GITLAB_TOKEN", (kw,), pat + _END_DASH)
        for kw, pat in _gitlab_patterns()
    ),
    _Rule("SLACK_BOT_TOKEN", ("xoxb-",),
          r"xoxb-[0-9]{8,14}-(?:[0-9]{8,14}-)?[A-Za-z0-9]{18,40}(?![A-Za-z0-9_#\-])"),
    _Rule("SLACK_USER_TOKEN", ("xoxp-", "xoxa-", "xoxe-", "xoxo-", "xoxr-", "xoxs-"),
          r"xox[apeors]-(?:[0-9]{1,2}-)?[0-9]{8,14}(?:-[0-9]{8,14}){0,3}-[A-Za-z0-9]{8,64}"
          r"(?![A-Za-z0-9_#\-])", min_entropy=2.5),
    _Rule("SLACK_USER_TOKEN", ("xoxe",),
          r"xoxe(?:\.xox[bp]-\d-[A-Za-z0-9]{146,170}|-\d-[A-Za-z0-9]{140,150})" + _END),
    _Rule("SLACK_APP_TOKEN", ("xapp-",), r"xapp-\d-[A-Z0-9]{1,32}-\d{1,20}-[a-z0-9]{1,128}" + _END),
    _Rule("SLACK_WEBHOOK_URL", ("hooks.slack.com",),
          r"hooks\.slack\.com/(?:services|workflows|triggers)/(?P<v>[A-Za-z0-9+/_\-]{20,200})",
          group="v", left=False),
    _Rule("STRIPE_SECRET_KEY", ("sk_live_", "sk_test_"),
          r"sk_(?:live|test)_[0-9a-zA-Z]{10,247}" + _END),
    _Rule("STRIPE_RESTRICTED_KEY", ("rk_live_", "rk_test_"),
          r"rk_(?:live|test)_[0-9a-zA-Z]{10,247}" + _END),
    _Rule("STRIPE_WEBHOOK_SECRET", ("whsec_",), r"whsec_[A-Za-z0-9+/=]{24,200}" + _END),
    _Rule("GOOGLE_API_KEY", ("AIza",), r"AIza[0-9A-Za-z_\-]{35}" + _END_DASH),
    _Rule("GOOGLE_OAUTH_CLIENT_SECRET", ("GOCSPX-",), r"GOCSPX-[A-Za-z0-9_\-]{28}" + _END_DASH),
    _Rule("GOOGLE_OAUTH_TOKEN", ("ya29.",), r"ya29\.[0-9A-Za-z_\-]{30,600}" + _END_DASH),
    _Rule("ANTHROPIC_API_KEY", ("sk-ant-",),
          r"sk-ant-(?:api|admin|sid|oat)\d\d-[A-Za-z0-9_\-]{93}AA" + _END_DASH),
    _Rule("OPENAI_API_KEY", ("sk-",),
          r"sk-(?:(?:proj|svcacct|admin|None)-[A-Za-z0-9_\-]{20,300}"
          r"|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}"
          r"|(?!ant-)[A-Za-z0-9]{32,64})" + _END_DASH,
          check=_mixed3),
    _Rule("SENDGRID_API_KEY", ("SG.",), _ds(SendGridDetector) + _END_DASH),
    _Rule("TWILIO_API_KEY", ("SK",), r"SK[0-9a-fA-F]{32}" + _END),
    _Rule("NPM_TOKEN", ("npm_",), r"npm_[A-Za-z0-9]{36}" + _END),
    _Rule("PYPI_TOKEN", ("pypi-Ag",),
          (r"pypi-Ag(?:" + _ds(PypiTokenDetector, 0).removeprefix("pypi-Ag") + "|"
           + _ds(PypiTokenDetector, 1).removeprefix("pypi-Ag") + ")").replace("{70,}", "{70,600}")),
    _Rule("HUGGINGFACE_TOKEN", ("hf_",), r"hf_[A-Za-z0-9]{34,40}" + _END, check=_mixed3),
    _Rule("HUGGINGFACE_TOKEN", ("api_org_",), r"api_org_[A-Za-z0-9]{34}" + _END, check=_mixed3),
    _Rule("DATABRICKS_TOKEN", ("dapi",), r"dapi[a-f0-9]{32}(?:-\d)?" + _END),
    _Rule("DIGITALOCEAN_TOKEN", ("_v1_",), r"do[opr]_v1_[a-f0-9]{64}" + _END),
    _Rule("DOPPLER_TOKEN", ("dp.",), r"dp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,44}" + _END),
    _Rule("POSTMAN_API_KEY", ("PMAK-",), r"PMAK-[a-fA-F0-9]{24}-[a-fA-F0-9]{34}" + _END),
    _Rule("LINEAR_API_KEY", ("lin_api_",), r"lin_api_[A-Za-z0-9]{40}" + _END),
    _Rule("ATLASSIAN_API_TOKEN", ("ATATT3",), r"ATATT3[A-Za-z0-9_=\-]{100,300}" + _END_DASH),
    _Rule("AGE_SECRET_KEY", ("AGE-SECRET-KEY-1",),
          r"AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}" + _END, min_entropy=0.0),
    _Rule("TELEGRAM_BOT_TOKEN", (":AA",), r":AA[0-9A-Za-z_\-]{33}" + _END_DASH,
          left=False, before=r"(?<![0-9])[0-9]{8,10}"),
    _Rule("MAILCHIMP_API_KEY", ("-us",), r"-us\d{1,2}" + _END,
          left=False, min_entropy=0.0, before=r"(?<![0-9A-Za-z_])[0-9a-f]{32}"),
    _Rule("MAILGUN_API_KEY", ("key-",), r"key-[0-9a-f]{32}" + _END),
    _Rule("SHOPIFY_TOKEN", ("shpat_", "shpca_", "shppa_", "shpss_"),
          r"shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}" + _END),
    _Rule("HEROKU_API_KEY", ("HRKU-",), r"HRKU-AA[0-9A-Za-z_\-]{58}" + _END_DASH),
    _Rule("SQUARE_ACCESS_TOKEN", ("sq0atp-",), r"sq0atp-[0-9A-Za-z_\-]{22}" + _END_DASH),
    _Rule("SQUARE_ACCESS_TOKEN", ("EAAA",), r"EAAA[A-Za-z0-9_\-]{60}" + _END_DASH),
    _Rule("SQUARE_OAUTH_SECRET", ("sq0csp-",),
          _ds(SquareOAuthDetector).replace("\\\\", "") + _END_DASH),
    _Rule("FACEBOOK_ACCESS_TOKEN", ("EAAM", "EAAC"), r"EAA[MC][A-Za-z0-9]{100,600}" + _END),
    _Rule("SENTRY_TOKEN", ("sntrys_", "sntryu_"),
          r"sntry(?:s_eyJ[A-Za-z0-9+/=_\-]{30,600}|u_[a-f0-9]{64})" + _END),
    _Rule("NOTION_TOKEN", ("ntn_",), r"ntn_\d{11}[A-Za-z0-9]{35}" + _END, check=_mixed3),
    _Rule("PERPLEXITY_API_KEY", ("pplx-",), r"pplx-[A-Za-z0-9]{48}" + _END),
    _Rule("VAULT_TOKEN", ("hvs.", "hvb."), r"hv[sb]\.[A-Za-z0-9_\-]{24,300}" + _END_DASH),
    _Rule("GRAFANA_TOKEN", ("glc_", "glsa_"),
          r"gl(?:c_[A-Za-z0-9+/]{32,400}={0,2}|sa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})" + _END),
    _Rule("SOURCEGRAPH_TOKEN", ("sgp_",),
          r"sgp_(?:[a-fA-F0-9]{16}_|local_)?[a-fA-F0-9]{40}" + _END, min_entropy=3.3),
    _Rule("INFRACOST_API_KEY", ("ico-",), r"ico-[a-zA-Z0-9]{32}" + _END,
          left_chars=_WORDCHARS | {"."}),
    _Rule("CLOJARS_TOKEN", ("CLOJARS_",), r"CLOJARS_[a-z0-9]{60}" + _END),
    _Rule("SOFTLAYER_API_KEY", ("api.softlayer.com/",),
          r"api\.softlayer\.com/soap/v3(?:\.1)?/(?P<v>[a-z0-9]{64})" + _END, group="v",
          left=False),
    _Rule("PULUMI_TOKEN", ("pul-",), r"pul-[a-f0-9]{40}" + _END),
    _Rule("PREFECT_API_KEY", ("pnu_",), r"pnu_[a-zA-Z0-9]{36}" + _END),
    _Rule("README_API_KEY", ("rdme_",), r"rdme_[a-z0-9]{70}" + _END),
    _Rule("FLYIO_TOKEN", ("fo1_",), r"fo1_[\w\-]{43}" + _END_DASH),
    _Rule("FLYIO_TOKEN", ("fm1", "fm2"), r"fm[12][ar]?_[A-Za-z0-9+/]{100,1200}={0,3}" + _END),
    _Rule("TERRAFORM_API_TOKEN", (".atlasv1.",), r"\.atlasv1\.[A-Za-z0-9_=\-]{60,70}" + _END_DASH,
          left=False, before=r"(?<![A-Za-z0-9])[a-zA-Z0-9]{14}"),
    _Rule("ONEPASSWORD_TOKEN", ("ops_eyJ",), r"ops_eyJ[A-Za-z0-9+/]{250,2000}={0,3}"),
    _Rule("ONEPASSWORD_SECRET_KEY", ("A3-",),
          r"A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}"
          r"-[A-Z0-9]{5}" + _END),
    _Rule("CLOUDFLARE_ORIGIN_CA_KEY", ("v1.0-",), r"v1\.0-[a-f0-9]{24}-[a-f0-9]{146}" + _END),
    _Rule("INTRA42_CLIENT_SECRET", ("s-s4t2",), r"s-s4t2(?:ud|af)-[a-f0-9]{64}" + _END),
    _Rule("AWS_BEDROCK_API_KEY", ("ABSK",), r"ABSK[A-Za-z0-9+/]{109,269}={0,2}" + _END),
    _Rule("AWS_BEDROCK_API_KEY", ("bedrock-api-key-",),
          r"bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/=]{0,300}" + _END),
    _Rule("ARTIFACTORY_TOKEN", ("AKCp",), r"AKCp[A-Za-z0-9]{69}" + _END),
    _Rule("ARTIFACTORY_TOKEN", ("cmVmd",), r"cmVmd[A-Za-z0-9]{59}" + _END),
    _Rule("CLICKHOUSE_API_SECRET", ("4b1d",), r"4b1d[A-Za-z0-9]{38}" + _END, check=_mixed3),
    _Rule("NEW_RELIC_API_KEY", ("NRAK-",), r"NRAK-[A-Z0-9]{27}" + _END),
    _Rule("DYNATRACE_API_TOKEN", ("dt0c01.",), r"dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64}" + _END),
    _Rule("PLANETSCALE_TOKEN", ("pscale_",),
          r"pscale_(?:tkn|pw|oauth)_[A-Za-z0-9_.\-]{32,64}" + _END_DASH),
    _Rule("SUPABASE_TOKEN", ("sbp_",), r"sbp_[a-f0-9]{40}" + _END),
    _Rule("RUBYGEMS_API_KEY", ("rubygems_",), r"rubygems_[a-f0-9]{48}" + _END),
    _Rule("DOCKERHUB_TOKEN", ("dckr_pat_",), r"dckr_pat_[A-Za-z0-9_\-]{27}" + _END_DASH),
    _Rule("SHIPPO_API_KEY", ("shippo_",), r"shippo_(?:live|test)_[a-f0-9]{40}" + _END),
    _Rule("GROQ_API_KEY", ("gsk_",), r"gsk_[A-Za-z0-9]{52}" + _END),
    _Rule("REPLICATE_API_TOKEN", ("r8_",), r"r8_[A-Za-z0-9]{37}" + _END, check=_mixed3),
    _Rule("AZURE_AD_CLIENT_SECRET", ("Q~",), r"Q~[a-zA-Z0-9_~.\-]{31,34}(?=$|[\\'\"`<), \t\r\n])",
          left=False, check=_mixed3, before=r"(?:^|(?<=[\\'\"`>=:(, \t\r\n]))[a-zA-Z0-9_~.]{3}\d"),
)

_AWS_SECRET_NEAR_RE = re.compile(r"(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")
_TWILIO_TOKEN_RE = re.compile(r"(?P<q>[\"'])(?P<v>[0-9a-f]{32})\\?(?P=q)")

# rules without a multi-character keyword: run on every text that has their literal
_DISCORD_RE = re.compile(r"\.[A-Za-z0-9_\-]{6}\.[A-Za-z0-9_\-]{27,38}(?![A-Za-z0-9_\-])")
_DISCORD_BEFORE_RE = re.compile(_ds(DiscordBotTokenDetector).split(r"\.")[0] + "$")
_FB_APP_RE = re.compile(r"\|[0-9A-Za-z_\-]{27,40}(?![A-Za-z0-9_\-])")
_FB_APP_BEFORE_RE = re.compile(r"(?<![0-9])[0-9]{15,16}$")

# --------------------------------------------------------------------------------------------
# 2. structured secrets
# --------------------------------------------------------------------------------------------

_PEM_LABEL = r"(?P<label>[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?)"
_PEM_BEGIN_RE = re.compile(r"-{4,5} ?BEGIN " + _PEM_LABEL + r" ?-{4,5}")
_PEM_END_RE = re.compile(r"-{4,5} ?END " + _PEM_LABEL + r" ?-{4,5}")
_PEM_BODY_RE = re.compile(  # a block whose END line is missing (pasted truncated)
    r"(?:[A-Za-z0-9+/= \t\r\n]|\\[nr]|(?:Proc-Type|DEK-Info|Comment|Version):[^\n\\]*)*+"
)
_B64CHARS_RE = re.compile(r"[A-Za-z0-9+/]")
_PEM_PLACEHOLDER_RE = re.compile(r"(?i)xxxx|\.\.\.|…|<[^>]*>|\{\{")
_PUTTY_RE = re.compile(
    r"Private-Lines:\s*\d+(?:\r?\n|\\r?\\n)"
    r"(?P<v>(?:[A-Za-z0-9+/=]+(?:\r?\n|\\r?\\n))*[A-Za-z0-9+/=]+)"
)
_JWT_RE = re.compile(  # starts a token (or follows an escaped \n); possessive: no backtracking
    r"eyJ(?:(?<![A-Za-z0-9_\-]eyJ)|(?<=\\[nrt]eyJ))[A-Za-z0-9_\-]{10,}+={0,2}\."
    r"[A-Za-z0-9_\-]{4,}+={0,2}(?:\.[A-Za-z0-9_\-+/]*+={0,2})?"
)

_DB_SCHEMES = _words(
    "postgres postgresql pgsql psql mysql mariadb mongodb mongo redis rediss valkey amqp amqps "
    "mssql sqlserver oracle cockroachdb clickhouse couchdb cassandra neo4j bolt memcached "
    "kafka nats db2 snowflake presto trino sqlite influxdb elasticsearch opensearch rabbitmq "
    "jdbc odbc"
)
_URL_CRED_RE = re.compile(
    r"://(?P<user>[^\s:/?#@\"'`<>\[\]{}\\|]{0,128}):(?P<pw>[^\s/@\"'`<>\\|]{1,256})@"
    r"(?=[A-Za-z0-9\[_%])"
)
_URL_USER_TOKEN_RE = re.compile(r"://(?P<tok>[A-Za-z0-9_\-]{24,200})@(?=[A-Za-z0-9])")
_SCHEME_BEFORE_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]{0,30}$")

_AZURE_KEYS = (
    ("AccountKey=", re.compile(r"[A-Za-z0-9+/]{86}=="), "AZURE_STORAGE_KEY"),
    ("SharedAccessKey=", re.compile(r"[A-Za-z0-9+/]{42,43}="), "AZURE_CONNECTION_STRING"),
    ("SharedAccessSignature=", re.compile(r"[^;\"'\s\\]*sig=[^;\"'\s\\]+"),
     "AZURE_CONNECTION_STRING"),
    ("sig=", re.compile(r"[A-Za-z0-9%+/=]{30,}"), "AZURE_SAS_TOKEN"),
)

# on the lower-cased text
_AUTH_HEADER_RE = re.compile(
    r"authorization\\?[\"']?[ \t]*[:=][ \t]*\\?[\"']?[ \t]*"
    r"(?:(?P<scheme>basic|bearer|token|api-?token|api-?key|sso-key|jwt|otp|key)[ \t]+)?"
    r"(?P<v>[a-z0-9._~+/=:@!#%&*\-]{8,})"
)
_BASIC_RE = re.compile(r"Basic[ \t]+(?P<v>[A-Za-z0-9+/]{12,}={0,2})(?![A-Za-z0-9+/=])")
_HASH_RES = (
    re.compile(
        r"\$(?:2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}"
        r"|argon2(?:id|i|d)\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]{8,}\$[A-Za-z0-9+/]{16,}"
        r"|pbkdf2(?:-sha(?:1|256|512))?\$\d+\$[A-Za-z0-9./+]+\$[A-Za-z0-9./+]{20,}"
        r"|[56]\$(?:rounds=\d+\$)?[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{43,86}"
        r"|1\$[./A-Za-z0-9]{1,8}\$[./A-Za-z0-9]{22}"
        r"|scrypt\$[^\s\"'$]{4,}\$[A-Za-z0-9+/.]{8,}\$[A-Za-z0-9+/.]{20,})"
    ),
    re.compile(r"pbkdf2_sha(?:1|256|512)\$\d+\$[A-Za-z0-9./+]+\$[A-Za-z0-9./+]{20,}={0,2}"),
    re.compile(r"\{S?SHA(?:256|512)?\}[A-Za-z0-9+/]{20,}={0,2}"),
)
_CURL_USER_RE = re.compile(
    r"-(?:u|-user)(?:[ \t]+|=)(?P<arg>\"[^\"\n]*\"(?::\"[^\"\n]*\")?|'[^'\n]*'|[^\s\"']\S*)"
)
_MYSQL_P_RE = re.compile(r"-p(?P<q>['\"])(?P<v>[^'\"\n]{3,200})(?P=q)")
_MYSQL_P_BARE_RE = re.compile(
    r"(?:mysql|mysqldump|mysqladmin|mariadb|mariadb-dump)\b[^\n]*?\s-p(?P<v>[^\s'\"]{4,200})"
)
_SSHPASS_RE = re.compile(r"sshpass\s+-p\s*(?P<q>['\"]?)(?P<v>[^\s'\"]{3,200})(?P=q)")
_ECHO_LOGIN_RE = re.compile(
    r"echo\s+(?:-n\s+)?(?P<q>\\?[\"']?)(?P<v>[^\s\"'\\|]{4,200})(?P=q)\s*\|\s*"
    r"(?:sudo\s+)?(?:[^\n|]*?--password-stdin|(?:docker|podman|nerdctl|buildah|skopeo|helm|oras)"
    r"\b[^\n|]*?\blogin\b)"
)
_NETRC_RE = re.compile(r"machine\s+\S+\s+login\s+\S+\s+password\s+(?P<v>\S+)")
_IDENTIFIED_RE = re.compile(  # on the lower-cased text
    r"identified\s+(?:with\s+\w+\s+)?by\s+(?:password\s+)?(?P<q>['\"])(?P<v>[^'\"\n]{1,200})(?P=q)"
)
_XML_ATTR_RE = re.compile(  # on the lower-cased text
    r"<(?:add|property|entry|param|setting|parameter|var)\b[^>]*?\b(?:key|name)\s*=\s*"
    r"\\?\"(?P<k>[^\"\\]{1,80})\\?\"[^>]*?\bvalue\s*=\s*\\?\"(?P<v>[^\"\\]{1,300})\\?\""
)
_AUTH_PAIR_RE = re.compile(  # on the lower-cased text: auth=("user", "pass"), BasicAuth("u", "p")
    r"auth[ \t]*(?:=[ \t]*)?[(\[][ \t]*\\?(?P<q1>['\"])[^'\"\\\n]{1,100}\\?(?P=q1)[ \t]*,"
    r"[ \t]*\\?(?P<q>['\"])(?P<v>[^'\"\\\n]{4,200})\\?(?P=q)[ \t]*[)\]]"
)
_TF_DEFAULT_RE = re.compile(
    r"variable[ \t]+\"(?P<k>[^\"\n]{1,80})\"[ \t]*\{[^{}]{0,300}?\bdefault[ \t]*=[ \t]*"
    r"\"(?P<v>[^\"\n]{1,300})\""
)
_CLI_PASSWORD_RES = (  # redis-cli -a x, docker login -p x
    re.compile(r"redis-cli\b[^\n|;]*?\s-a[ \t]+(?P<q>['\"]?)(?P<v>[^\s'\"]{4,200})(?P=q)"),
    re.compile(r"login\b[^\n|;]*?\s-p[ \t]+(?P<q>['\"]?)(?P<v>[^\s'\"]{4,200})(?P=q)"),
)
_K8S_KIND_RE = re.compile(r"kind:[ \t]*['\"]?secret['\"]?[ \t]*(?:\r?\n|$)")  # lower-cased
_K8S_DATA_RE = re.compile(r"data:[ \t]*(?=\r?\n)")
_K8S_LINE_RE = re.compile(r"(?P<ind>[ \t]*)(?P<k>[\w.\-]+):[ \t]*(?P<v>[^\n]*)")

# --------------------------------------------------------------------------------------------
# 3. key/value assignments
# --------------------------------------------------------------------------------------------

_KV_KEYWORDS = ("pass", "pwd", "pw", "secret", "token", "key", "auth", "cred", "psw")
# on the lower-cased text, right after a keyword: the rest of the key, a closing quote, the op
_KV_TAIL_RE = re.compile(
    r"(?P<rest>[a-z0-9_.\-]*)"
    r"(?P<close>\\?[\"'`]|\])?\]?"
    r"(?P<op>[ \t]*(?::=|=>|->|<-|==?|:(?![:/]))[ \t]*|[ \t]*,[ \t]*|\(|>|[ \t]+)"
)
_KEY_LEFT_REV_RE = re.compile(r"[a-z0-9_.$@\-]{0,64}")  # on the reversed lower-cased text
_WORD_RE = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
_VALUE_RE = re.compile(
    r"(?P<pfx>[rRbBuUfF]{1,2}(?=[\"'])|\[\]byte\(|@(?=\")|)"
    r"(?:(?P<bs>\\{1,3})(?P<eq>[\"'])"
    r"(?P<ev>(?:(?!(?P=eq))[^\\\n]|\\(?![\\\"'])[^\n]){0,500}?)(?P=bs)(?P=eq)"
    r"|(?P<q>[\"'`])(?P<qv>(?:\\.|(?!(?P=q))[^\\\n]){0,500}?)(?P=q)"
    r"|(?P<uv>[^\s\"'`,;\\()\[\]{}<>]{1,300}))"
)
_XML_VALUE_RE = re.compile(r"(?P<v>[^<\n]{1,300}?)</")
_FUNC_BEFORE_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*$")

_PASSWORD_WORDS = _words(
    "password passwd pwd pass pw psw pswd passphrase passcode pword passwort contrasena "
    "contraseña senha motdepasse"
)
_PASSWORD_SUFFIXES = ("password", "passwd", "passphrase", "passcode", "pwd")
_KEY_QUALIFIERS = (
    "secret", "private", "priv", "access", "signing", "sign", "encryption", "encrypt", "enc",
    "master", "account", "client", "app", "application", "license", "licence", "session",
    "hmac", "jwt", "crypto", "cipher", "aes", "shared", "storage", "service", "admin", "root",
    "webhook", "consumer", "subscription", "deploy", "sas", "primary", "secondary", "mac",
    "auth", "db", "database", "instrumentation", "ingestion", "write", "read", "server",
    "connection", "token", "gpg", "pgp", "ssh", "rsa", "signature", "verification", "cookie",
    "integration", "partner", "merchant", "management", "personal", "sendgrid", "stripe",
    "twilio", "mailgun", "datadog", "dd", "openai", "anthropic", "slack", "github", "gitlab",
    "npm", "pypi", "aws", "gcp", "azure", "ibm", "iam", "cloud", "cos",
)
_HARMLESS_SUFFIX = _words(
    "value val prod production dev development staging stage test local live b64 base64 hex raw "
    "plain plaintext encoded old new current confirm confirmation again repeat hash digest "
    "default"
)
_NO_SECRET_WORDS = _words("public publishable pub csrf xsrf authenticity hashed")
_CALL_VERBS_OK = frozenset(("set", "with", "put", "use"))
_COMMA_FUNCS = (
    "put", "set", "setproperty", "setdefault", "putenv", "setenv", "getenv", "get", "add",
    "header", "setheader", "set_header", "append", "getproperty", "addheader", "define",
)

_PLACEHOLDER_WORDS = _words(
    """password passwd pass pwd secret secrets token apikey api_key key changeme change_me
    change-me changeit changethis example sample placeholder redacted removed hidden dummy fake
    test testing foo bar baz foobar none null nil undefined true false empty todo fixme tbd
    mypassword my_password my-password yourpassword your_password your-password mysecret
    my_secret my-secret yoursecret your_secret your-secret mytoken my_token your_token
    your-token yourtoken default string str value required optional secret123 password123
    notasecret not_a_secret not-a-secret sekret s3cr3t xxx"""
)
_PLACEHOLDER_SUBSTR_RE = re.compile(  # on the lower-cased value
    r"\$\{|\{\{|\}\}|\$\(|%\([\w.]+\)[sdr]|#\{|example|xxxx|\*\*\*|\.\.\.|…|####"
    r"|your[_\-\s.]?(?:own[_\-\s.]?)?(?:api|key|token|secret|pass|app|client|access|auth|db)"
    r"|[_\-\s]here\b|[_\-]here$|^here[_\-]|insert[_\-\s]|replace[_\-\s]?me|put[_\-\s]your"
    r"|dummy|placeholder|redacted|sample|fake|not[_\-\s]?a[_\-\s]?real|<[^<>]*>|^\[[^\]]*\]$"
    r"|^%[\w.]+%$|^%[sd]$|^\$[A-Za-z_][\w.:]*$|^\{[\w.\s\-]*\}$"
)
_ENV_NAME_RE = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")
_ENV_KEY_RE = re.compile(r"[A-Z][A-Z0-9_]*")
_IDENT_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DOTTED_RE = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*(?:(?:\.|\?\.|->|::)[A-Za-z_][A-Za-z0-9_]*)+")
_DOTTED_SPLIT_RE = re.compile(r"\.|\?\.|->|::")
_HEX_RE = re.compile(r"[0-9a-fA-F]+")
_B64_RE = re.compile(r"[A-Za-z0-9+/_\-]+={0,2}")
_AWS_SECRET_RE = re.compile(r"[A-Za-z0-9/+]{40}")
_AWS_ID_RE = re.compile(r"A(?:KIA|SIA)[A-Z0-9]{16}")
_UUID_RE = re.compile(r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")
_WORDY_RE = re.compile(r"[a-z]+(?:[\-_. ][a-z]+)*|[A-Za-z][a-z]+(?:[A-Z][a-z]+)*")
_PATHY_RE = re.compile(
    r"(?:~|\.{1,2})?(?:/[\w.\-]+)+/?|[A-Za-z]:\\\S*|[a-z][a-z0-9+.\-]*://\S*"
    r"|[\w.\-/]*\.(?:pem|key|crt|cer|der|p12|pfx|jks|json|ya?ml|txt|env|ini|cfg|conf|toml|xml"
    r"|py|js|ts|sh|log|csv|db|sqlite)"
)
_LITERALS = _words(
    "none null nil undefined true false nan yes no on off void self this"
)
_YAML_MARK_RE = re.compile(r"[*&][A-Za-z_][\w\-]*|!!?[A-Za-z][\w\-]*|[$@]\{?[A-Za-z_][\w.:\-]*\}?")
_LINE_PREFIX_RE = re.compile(
    r"(?:^|\n|\\n|\\r)[ \t]*(?:(?:export|set|ENV|ARG|setx|declare|local|readonly)[ \t]+"
    r"|-[ \t]+)?$"
)

# key classes, and the shortest value each can take
_C_PASSWORD = 1
_C_SECRET = 2
_C_API = 3
_C_WEAK = 4
_C_AUTH = 5
_MIN_LEN = (0, 6, 8, 8, 24, 12)


_KEY_CACHE: dict[str, tuple[list[str], int]] = {}


def _key_words(key: str) -> list[str]:
    return [w.lower() for w in _WORD_RE.findall(key)]


def _key_class(words: list[str]) -> int:
    """What a key name says about its value: password, secret, api key, weak key, auth, none."""
    while len(words) > 1 and (words[-1].isdigit() or words[-1] in _HARMLESS_SUFFIX):
        words = words[:-1]
    if not words or any(w in _NO_SECRET_WORDS for w in words):
        return 0
    last = words[-1]
    prev = words[-2] if len(words) > 1 else ""
    if last in _PASSWORD_WORDS or last.endswith(_PASSWORD_SUFFIXES):
        return _C_PASSWORD
    if last.endswith(("secret", "token")) or last in ("credential", "credentials", "creds"):
        return 0 if last.startswith(("csrf", "xsrf")) else _C_SECRET
    if last.endswith("apikey") or (last == "key" and prev == "api"):
        return _C_API
    if last == "auth":
        return _C_AUTH
    if last.endswith("key"):
        stem = last[:-3] if len(last) > 3 else prev
        if stem and stem.endswith(_KEY_QUALIFIERS):
            return _C_SECRET
        return _C_WEAK
    return 0


def _is_placeholder(v: str) -> bool:
    low = v.lower()
    if low in _PLACEHOLDER_WORDS or len(set(v)) <= 2 or is_templated_secret(v):
        return True
    if _PLACEHOLDER_SUBSTR_RE.search(low):
        return True
    return len(v) >= 8 and is_sequential_string(v)


def _looks_random(v: str) -> bool:
    """A secret-ish literal (not words, a path or a name)."""
    if _WORDY_RE.fullmatch(v) or _PATHY_RE.fullmatch(v):
        return False
    has_digit = _DIGIT_RE.search(v) is not None
    has_upper = _UPPER_RE.search(v) is not None
    has_lower = _LOWER_RE.search(v) is not None
    has_sym = _SYMBOL_RE.search(v) is not None
    if has_digit + has_upper + has_lower + has_sym < 2:
        return len(v) >= 16 and _entropy(v) >= 3.5 and not has_sym
    return _entropy(v) >= 2.5


def _token_shaped(v: str) -> bool:
    """Strong token shape, for keys that are only weakly secret (``key``)."""
    n = len(v)
    if n >= 32 and _HEX_RE.fullmatch(v):
        return bool(_DIGIT_RE.search(v) and _ALPHA_RE.search(v)) and _entropy(v) >= 3.0
    if n >= 24 and _B64_RE.fullmatch(v) and not _has_seq_run(v):
        return _mixed3(v) and _entropy(v) >= (3.5 if n >= 32 else 4.0)
    return False


def _value_type(cls: int, v: str) -> str:
    if cls == _C_PASSWORD:
        return "PASSWORD"
    if cls == _C_API:
        return "API_KEY"
    if len(v) >= 16 and _HEX_RE.fullmatch(v) and _ALPHA_RE.search(v):
        return "HEX_TOKEN"
    if len(v) >= 16 and _B64_RE.fullmatch(v) and _mixed3(v):
        return "BASE64_TOKEN"
    return "SECRET_VALUE"


def _value_ok(cls: int, v: str) -> bool:
    """Whether a literal assigned to a key of class ``cls`` is a secret worth replacing."""
    n = len(v)
    if n < 4 or n > 1000 or _SPACE_RE.search(v):
        return False
    if not _ALNUM_RE.search(v) or _ENV_NAME_RE.fullmatch(v) or _is_placeholder(v):
        return False
    if cls == _C_PASSWORD:
        return n >= 6 and not _PATHY_RE.fullmatch(v)
    if cls in (_C_SECRET, _C_API):
        if n < 8:
            return False
        return _UUID_RE.fullmatch(v) is not None or _looks_random(v)
    if cls == _C_AUTH:
        return n >= 12 and _B64_RE.fullmatch(v) is not None and _mixed(v) and _entropy(v) >= 3.0
    return _token_shaped(v)


def _unquoted_is_code(v: str, nxt: str, line_level: bool, cls: int) -> bool:
    """Bare values that are identifiers, expressions or references rather than literals."""
    if nxt and nxt in "([{":
        return True
    if v.lower() in _LITERALS or _YAML_MARK_RE.fullmatch(v):
        return True
    if "->" in v or "::" in v or "?." in v or "||" in v or "&&" in v:
        return True
    if _DOTTED_RE.fullmatch(v):
        return not any(len(p) >= 16 and _mixed3(p) for p in _DOTTED_SPLIT_RE.split(v))
    if v.isdigit():
        return not line_level or cls != _C_PASSWORD
    if _IDENT_RE.fullmatch(v):
        if len(v) >= 16 and _HEX_RE.fullmatch(v) and _DIGIT_RE.search(v):
            return False
        if len(v) >= 16 and _mixed3(v) and _entropy(v) >= 3.5:
            return False
        if len(v) < 6 or not _DIGIT_RE.search(v) or not _ALPHA_RE.search(v):
            return True
        if "_" in v and (v.islower() or v.isupper()):
            return True
        mixed_case = bool(_UPPER_RE.search(v) and _LOWER_RE.search(v))
        return not (mixed_case or line_level)
    return False


def _line_level(text: str, kstart: int, vend: int) -> bool:
    """Key at the start of its line and value running to the end of it (config files)."""
    if kstart and not _LINE_PREFIX_RE.search(text, max(0, kstart - 40), kstart):
        return False
    rest = text[vend:vend + 2]
    return rest == "" or rest[0] in "\r\n \t#" or rest in ("\\n", "\\r")


_URL_PW_PLACEHOLDERS = _words(
    """password pass passwd pwd secret token pw p apikey api_key key changeme changeit
    yourpassword your_password mypassword my_password pass123 xxx test"""
)


def _url_password_ok(user: str, pw: str) -> bool:
    if len(pw) < 3 or len(set(pw)) <= 2:
        return False
    low = pw.lower()
    if low in _URL_PW_PLACEHOLDERS or low == user.lower():
        return False
    if (pw.isdigit() and len(pw) <= 5) or pw[0] in "$%{<[:":
        return False
    return not _PLACEHOLDER_SUBSTR_RE.search(low)


# --------------------------------------------------------------------------------------------
# the Aho-Corasick trigger
# --------------------------------------------------------------------------------------------

(
    _G_PEM, _G_PUTTY, _G_JWT, _G_URL, _G_AZURE, _G_AUTHZ, _G_BASIC, _G_HASH, _G_CURL, _G_MYSQL_Q,
    _G_MYSQL, _G_SSHPASS, _G_ECHO, _G_NETRC, _G_IDENT, _G_XML, _G_K8S, _G_AUTH_PAIR, _G_TWILIO,
    _G_TF, _G_CLI_PW,
) = range(21)
# lower-case literals that switch on the structured rules
_GUARDS = {
    "private key": _G_PEM, "private-lines:": _G_PUTTY, "eyj": _G_JWT, "://": _G_URL,
    "accountkey=": _G_AZURE, "sharedaccess": _G_AZURE, "sig=": _G_AZURE,
    "authorization": _G_AUTHZ, "basic ": _G_BASIC, "basic\t": _G_BASIC,
    "$2": _G_HASH, "$argon2": _G_HASH, "pbkdf2": _G_HASH, "$1$": _G_HASH, "$5$": _G_HASH,
    "$6$": _G_HASH, "$scrypt$": _G_HASH, "{ssha": _G_HASH, "{sha": _G_HASH,
    "curl": _G_CURL, "-p'": _G_MYSQL_Q, '-p"': _G_MYSQL_Q, "mysql": _G_MYSQL,
    "mariadb": _G_MYSQL, "sshpass": _G_SSHPASS, "echo": _G_ECHO, "machine": _G_NETRC,
    "identified": _G_IDENT, "<add ": _G_XML, "<property ": _G_XML, "<entry ": _G_XML,
    "<param": _G_XML, "<setting": _G_XML, "<var ": _G_XML, "kind:": _G_K8S,
    "auth(": _G_AUTH_PAIR, "auth=(": _G_AUTH_PAIR, "auth = (": _G_AUTH_PAIR,
    "auth=[": _G_AUTH_PAIR, "auth: (": _G_AUTH_PAIR, "twilio": _G_TWILIO,
    "variable \"": _G_TF, "redis-cli": _G_CLI_PW, "login ": _G_CLI_PW,
}


def _build_automaton() -> ahocorasick.Automaton:
    tags: dict[str, list[tuple[int, int]]] = {}
    for i, rule in enumerate(_RULES):
        for kw in rule.keywords:
            tags.setdefault(kw, []).append((0, i))
    for kw, g in _GUARDS.items():
        tags.setdefault(kw, []).append((1, g))
    for kw in _KV_KEYWORDS:
        tags.setdefault(kw, []).append((2, len(kw)))
    ac = ahocorasick.Automaton()
    for kw, t in tags.items():
        ac.add_word(kw, tuple(t))
    ac.make_automaton()
    return ac


_AC = _build_automaton()

# --------------------------------------------------------------------------------------------
# the recognizer
# --------------------------------------------------------------------------------------------


class SecretRecognizer(Recognizer):
    """Finds secrets and credentials; each Finding spans exactly the value to replace.

    No constructor arguments. ``analyze(text)`` is thread-safe (no state between calls).
    """

    name = _NAME
    category = SECRET

    def analyze(self, ctx: DetectionContext | str) -> list[Finding]:
        ctx = as_context(ctx)
        text = ctx.text
        if len(text) < 8:
            return []
        low = ctx.lower
        rules: set[int] = set()
        guards: set[int] = set()
        kv_hits: list[tuple[int, int]] = []
        for end, tags in ctx.keyword_hits(_AC):  # type: ignore[misc]
            for kind, val in tags:
                if kind == 0:
                    rules.add(val)
                elif kind == 1:
                    guards.add(val)
                else:
                    kv_hits.append((end + 1 - val, end + 1))

        out: dict[tuple[int, int], Finding] = {}

        def add(start: int, end: int, type_: str, score: float = 1.0) -> None:
            if end > start and (start, end) not in out:
                out[(start, end)] = Finding(start, end, type_, SECRET, _NAME, score)

        if rules:
            self._prefix_tokens(text, sorted(rules), add)
        if "." in text:
            self._discord(text, add)
        if "|" in text:
            self._facebook_app(text, add)
        if guards:
            self._structured(text, low, guards, add)
        if kv_hits:
            self._key_values(text, low, kv_hits, add)
        return self._finish(out)

    # ---- 1. prefix tokens -------------------------------------------------------------------

    @staticmethod
    def _prefix_tokens(text: str, rule_ids: list[int], add: _Add) -> None:
        for i in rule_ids:
            rule = _RULES[i]
            for m in rule.regex.finditer(text):
                s, e = m.span(rule.group)
                if rule.left and not _left_ok(text, s, rule.left_chars):
                    continue
                if rule.before is not None:
                    b = rule.before.search(text, max(0, s - 40), s)
                    if b is None:
                        continue
                    s = b.start()
                tok = text[s:e]
                if rule.check is not None and not rule.check(tok):
                    continue
                if not _token_plausible(tok, rule.min_entropy):
                    continue
                add(s, e, rule.type)
                if rule.type == "AWS_ACCESS_KEY_ID":  # its secret often follows (credentials.csv)
                    for sm in _AWS_SECRET_NEAR_RE.finditer(text, e, min(len(text), e + 300)):
                        v = sm.group()
                        if _mixed3(v) and _entropy(v) >= 4.0 and "EXAMPLE" not in v:
                            add(*sm.span(), "AWS_SECRET_ACCESS_KEY")

    @staticmethod
    def _discord(text: str, add: _Add) -> None:
        for m in _DISCORD_RE.finditer(text):
            b = _DISCORD_BEFORE_RE.search(text, max(0, m.start() - 26), m.start())
            if b is None:
                continue
            tok = text[b.start():m.end()]
            if _mixed3(tok) and _token_plausible(tok, 3.5):
                add(b.start(), m.end(), "DISCORD_BOT_TOKEN")

    @staticmethod
    def _facebook_app(text: str, add: _Add) -> None:
        for m in _FB_APP_RE.finditer(text):
            b = _FB_APP_BEFORE_RE.search(text, max(0, m.start() - 16), m.start())
            if b is not None and _mixed3(m.group()) and _token_plausible(m.group(), 3.0):
                add(b.start(), m.end(), "FACEBOOK_ACCESS_TOKEN")

    # ---- 2. structured ----------------------------------------------------------------------

    def _structured(self, text: str, low: str, guards: set[int], add: _Add) -> None:
        if _G_PEM in guards:
            self._pem(text, add)
        if _G_PUTTY in guards:
            for m in _PUTTY_RE.finditer(text):
                add(*m.span("v"), "PRIVATE_KEY")
        if _G_JWT in guards:
            self._jwt(text, add)
        if _G_URL in guards:
            self._urls(text, add)
        if _G_AZURE in guards:
            self._azure(text, add)
        if _G_AUTHZ in guards:
            self._auth_header(text, low, add)
        if _G_BASIC in guards:
            for m in _BASIC_RE.finditer(text):
                v = m.group("v")
                if _left_ok(text, m.start()) and not _is_placeholder(v) and _b64_has_colon(v):
                    add(*m.span("v"), "BASIC_AUTH")
        if _G_HASH in guards:
            for rx in _HASH_RES:
                for m in rx.finditer(text):
                    add(*m.span(), "PASSWORD_HASH")
        if _G_CURL in guards and "-u" in text:
            self._curl(text, add)
        if _G_MYSQL_Q in guards:
            for m in _MYSQL_P_RE.finditer(text):
                if m.start() and text[m.start() - 1].isspace():
                    self._add_password(m, add)
        if _G_MYSQL in guards and "-p" in text:
            for m in _MYSQL_P_BARE_RE.finditer(low):
                v = text[m.start("v"):m.end("v")]
                if not v.startswith(("-", "$")) and _value_ok(_C_PASSWORD, v):
                    add(*m.span("v"), "PASSWORD")
        if _G_SSHPASS in guards:
            for m in _SSHPASS_RE.finditer(text):
                self._add_password(m, add)
        if _G_ECHO in guards and ("login" in low or "password-stdin" in low):
            for m in _ECHO_LOGIN_RE.finditer(text):
                self._add_password(m, add)
        if _G_NETRC in guards:
            for m in _NETRC_RE.finditer(text):
                self._add_password(m, add)
        if _G_IDENT in guards:
            for m in _IDENTIFIED_RE.finditer(low):
                v = text[m.start("v"):m.end("v")]
                if _value_ok(_C_PASSWORD, v):
                    add(*m.span("v"), "PASSWORD")
        if _G_XML in guards:
            for m in _XML_ATTR_RE.finditer(low):
                cls = _key_class(_key_words(text[m.start("k"):m.end("k")]))
                v = text[m.start("v"):m.end("v")]
                if cls and _value_ok(cls, v):
                    add(*m.span("v"), _value_type(cls, v), 0.9)
        if _G_K8S in guards:
            self._k8s_secret(text, low, add)
        if _G_TF in guards:
            for m in _TF_DEFAULT_RE.finditer(text):
                cls = _key_class(_key_words(m.group("k")))
                v = m.group("v")
                if cls and _value_ok(cls, v):
                    add(*m.span("v"), _value_type(cls, v), 0.9)
        if _G_CLI_PW in guards:
            for rx in _CLI_PASSWORD_RES:
                for m in rx.finditer(text):
                    self._add_password(m, add)
        if _G_TWILIO in guards:
            for m in _TWILIO_TOKEN_RE.finditer(text):
                if _token_plausible(m.group("v"), 3.0):
                    add(*m.span("v"), "TWILIO_AUTH_TOKEN")
        if _G_AUTH_PAIR in guards:
            for m in _AUTH_PAIR_RE.finditer(low):
                v = text[m.start("v"):m.end("v")]
                if not v.startswith("$") and _value_ok(_C_PASSWORD, v):
                    add(*m.span("v"), "PASSWORD")

    @staticmethod
    def _add_password(m: re.Match[str], add: _Add) -> None:
        v = m.group("v")
        if not v.startswith("$") and _value_ok(_C_PASSWORD, v):
            add(*m.span("v"), "PASSWORD")

    @staticmethod
    def _pem(text: str, add: _Add) -> None:
        begins = list(_PEM_BEGIN_RE.finditer(text))
        for k, m in enumerate(begins):
            s = m.start()
            limit = begins[k + 1].start() if k + 1 < len(begins) else len(text)
            limit = min(limit, m.end() + 20000)
            end = _PEM_END_RE.search(text, m.end(), limit)
            if end is not None and end.group("label") == m.group("label"):
                body = text[m.end():end.start()]
                if len(_B64CHARS_RE.findall(body)) >= 40 and not _PEM_PLACEHOLDER_RE.search(body):
                    add(s, end.end(), "PRIVATE_KEY")
                continue
            bm = _PEM_BODY_RE.match(text, m.end(), limit)
            e = bm.end() if bm else m.end()
            while e > s and text[e - 1] in " \t\r\n":
                e -= 1
            while e - s > 2 and text[e - 2:e] in ("\\n", "\\r"):
                e -= 2
            if len(_B64CHARS_RE.findall(text, m.end(), e)) >= 40:
                add(s, e, "PRIVATE_KEY")

    @staticmethod
    def _jwt(text: str, add: _Add) -> None:
        for m in _JWT_RE.finditer(text):
            if not _left_ok(text, m.start(), _TOKCHARS):
                continue
            parts = m.group().split(".")
            if _b64_json(parts[0]) and _b64_json(parts[1], loose=True):
                add(m.start(), m.end(), "JWT")

    @staticmethod
    def _urls(text: str, add: _Add) -> None:
        if "@" not in text:
            return
        for m in _URL_CRED_RE.finditer(text):
            user, pw = m.group("user"), m.group("pw")
            sm = _SCHEME_BEFORE_RE.search(text, max(0, m.start() - 31), m.start())
            if sm is None or not _url_password_ok(user, pw):
                continue
            base = sm.group().lower().split("+", 1)[0].rsplit(":", 1)[-1].rsplit(".", 1)[-1]
            t = "DATABASE_URL" if base in _DB_SCHEMES else "URL_WITH_CREDENTIALS"
            add(*m.span("pw"), t)
        for m in _URL_USER_TOKEN_RE.finditer(text):
            tok = m.group("tok")
            if _mixed3(tok) and _token_plausible(tok, 3.5):
                add(*m.span("tok"), "URL_WITH_CREDENTIALS")

    @staticmethod
    def _azure(text: str, add: _Add) -> None:
        for lit, rx, type_ in _AZURE_KEYS:
            i = text.find(lit)
            while i >= 0:
                s = i + len(lit)
                mm = rx.match(text, s)
                i = text.find(lit, s)
                if mm is None:
                    continue
                v = mm.group()
                if type_ == "AZURE_CONNECTION_STRING" and lit.startswith("SharedAccessSignature"):
                    ok = not _is_placeholder(v)
                elif type_ == "AZURE_SAS_TOKEN":
                    ok = ("sv=" in text or "se=" in text) and _token_plausible(v, 3.5)
                else:
                    ok = _token_plausible(v, 4.0) and "EXAMPLE" not in v
                if ok:
                    add(s, mm.end(), type_)

    @staticmethod
    def _auth_header(text: str, low: str, add: _Add) -> None:
        for m in _AUTH_HEADER_RE.finditer(low):
            s, e = m.span("v")
            v = text[s:e]
            scheme = m.group("scheme") or ""
            if not scheme and m.group("v") in ("basic", "bearer", "token", "digest", "negotiate"):
                continue
            if _is_placeholder(v) or len(set(v)) < 5:
                continue
            if scheme == "basic":
                if _B64_RE.fullmatch(v):
                    add(s, e, "BASIC_AUTH")
            elif v.startswith("eyJ"):
                add(s, e, "JWT")
            elif _looks_random(v) and not _ENV_NAME_RE.fullmatch(v):
                add(s, e, "BEARER_TOKEN")

    @staticmethod
    def _curl(text: str, add: _Add) -> None:
        for m in _CURL_USER_RE.finditer(text):
            if m.start() and not text[m.start() - 1].isspace():
                continue
            ls = text.rfind("\n", 0, m.start())
            lo = max(0, ls - 400) if ls > 0 and text[ls - 1] == "\\" else ls + 1
            if "curl" not in text[lo:m.start()]:
                continue
            arg = m.group("arg")
            if any(c in arg for c in "<>[]"):
                continue
            plain = arg.replace('"', "").replace("'", "")
            if ":" not in plain:
                continue
            user, pw = plain.split(":", 1)
            target = pw or user
            inner = target.strip("{}")
            if not inner or inner.startswith("$"):
                continue
            if (inner != target or not pw) and not (_mixed3(inner) and len(inner) >= 8):
                continue
            if not _url_password_ok(user if pw else "", inner):
                continue
            idx = arg.rfind(inner) if pw else arg.find(inner)
            if idx >= 0:
                s = m.start("arg") + idx
                add(s, s + len(inner), "PASSWORD")

    @staticmethod
    def _k8s_secret(text: str, low: str, add: _Add) -> None:
        if not _K8S_KIND_RE.search(low):
            return
        for dm in _K8S_DATA_RE.finditer(text):
            ls = text.rfind("\n", 0, dm.start()) + 1
            prefix = text[ls:dm.start()]
            if prefix.strip():
                continue
            doc_start = low.rfind("\n---", 0, ls)
            doc_end = low.find("\n---", dm.end())
            doc_end = doc_end if doc_end >= 0 else len(low)
            if not _K8S_KIND_RE.search(low, max(doc_start, 0), doc_end):
                continue
            indent = len(prefix.expandtabs(4))
            pos = dm.end() + 1
            block_indent: int | None = None
            while pos < len(text):
                eol = text.find("\n", pos)
                eol = len(text) if eol < 0 else eol
                line = text[pos:eol]
                stripped = line.strip()
                if not stripped or stripped.startswith("#"):
                    pos = eol + 1
                    continue
                ind = len(line) - len(line.lstrip(" \t"))
                ind_w = len(line[:ind].expandtabs(4))
                if ind_w <= indent:
                    break
                if block_indent is not None and ind_w > block_indent:
                    add(pos + ind, pos + len(line.rstrip()), "BASE64_TOKEN", 0.9)
                    pos = eol + 1
                    continue
                block_indent = None
                lm = _K8S_LINE_RE.match(line)
                if lm:
                    v = lm.group("v").rstrip()
                    vs = pos + lm.start("v")
                    if v in ("|", ">", "|-", ">-"):
                        block_indent = ind_w
                    else:
                        if len(v) >= 2 and v[0] == v[-1] and v[0] in "'\"":
                            v = v[1:-1]
                            vs += 1
                        if len(v) >= 10 and _B64_RE.fullmatch(v) and not _is_placeholder(v):
                            add(vs, vs + len(v), "BASE64_TOKEN", 0.9)
                pos = eol + 1

    # ---- 3. key/value -----------------------------------------------------------------------

    def _key_values(
        self, text: str, low: str, hits: list[tuple[int, int]], add: _Add
    ) -> None:
        done_to = -1
        aws_ids: list[int] | None = None
        rlow = ""
        n = len(low)
        for kw_start, kw_end in hits:
            if kw_start < done_to:
                continue
            tm = _KV_TAIL_RE.match(low, kw_end)
            if tm is None:
                continue
            kend = tm.end("rest")
            done_to = kend
            if not rlow:
                rlow = low[::-1]
            lm = _KEY_LEFT_REV_RE.match(rlow, n - kw_start)
            kstart = kw_start - (lm.end() - lm.start())
            if low[kstart:kstart + 1] in ("n", "r", "t") and kstart and low[kstart - 1] == "\\":
                kstart += 1
            if tm.group("op").strip(" \t") == "" and low[kstart:kstart + 1] != "-" and (
                low[tm.end():tm.end() + 1] not in ("'", '"', "\\")
            ):
                continue
            key = text[kstart:kend].lstrip("$@-.:")
            kc = _KEY_CACHE.get(key)
            if kc is None:
                words = _key_words(key)
                kc = (words, _key_class(words))
                if len(_KEY_CACHE) < 4096:
                    _KEY_CACHE[key] = kc
            words, cls = kc
            if not cls:
                continue
            res = self._kv_value(text, tm, kstart, key, words, cls)
            if res is None:
                continue
            s, e, v = res
            done_to = max(done_to, e)
            if aws_ids is None and cls != _C_PASSWORD:
                aws_ids = [a.start() for a in _AWS_ID_RE.finditer(text)] if "A" in text else []
            add(s, e, self._kv_type(text, cls, words, key, v, s, aws_ids or []), 0.9)

    @staticmethod
    def _kv_value(
        text: str, tm: re.Match[str], kstart: int, key: str, words: list[str], cls: int
    ) -> tuple[int, int, str] | None:
        """The literal value of one key/value candidate: (start, end, value) or None."""
        op = tm.group("op")
        opc = op.strip()
        close = tm.group("close") or ""
        vpos = tm.end()
        before = text[kstart - 1] if kstart else ""
        if opc == "(":  # setPassword("x"), .token("x")
            seg = _key_words(key.rsplit(".", 1)[-1])
            if len(seg) > 1 and seg[0] not in _CALL_VERBS_OK:
                return None
        elif opc == ",":  # put("password", "x"), getenv("DB_PASSWORD", "x")
            if close[-1:] not in ('"', "'") or before != close[-1]:
                return None
            j = kstart - 2
            if j >= 0 and text[j] == "\\":
                j -= 1
            while j >= 0 and text[j] in " \t":
                j -= 1
            if j < 0 or text[j] != "(":
                return None
            fm = _FUNC_BEFORE_RE.search(text, max(0, j - 40), j)
            if not fm or not fm.group().lower().endswith(_COMMA_FUNCS):
                return None
        elif opc == ">":  # <password>x</password>
            if close or before not in ("<", ":"):
                return None
            if before == ":" and "<" not in text[max(0, kstart - 20):kstart]:
                return None
            xm = _XML_VALUE_RE.match(text, vpos)
            if not xm:
                return None
            v = xm.group("v").strip()
            if not v or not _value_ok(cls, v):
                return None
            s = vpos + xm.group("v").index(v)
            return s, s + len(v), v
        elif opc == "==":  # ADO/ODBC "Password==x;" (a password starting with "=")
            if before != ";" or cls != _C_PASSWORD:
                return None
            vpos -= 1
            while vpos and text[vpos - 1] != "=":
                vpos -= 1
        elif opc == "":  # whitespace: SQL ``PASSWORD 'x'``, CLI ``--password x``
            if text[kstart:kstart + 1] != "-" and not (
                len(words) == 1 and words[0] in ("password", "passwd", "pwd") and not close
            ):
                return None
            if close and text[kstart:kstart + 1] == "-":
                return None

        vm = _VALUE_RE.match(text, vpos)
        if not vm:
            return None
        if vm.group("ev") is not None:
            g, quoted = "ev", True
        elif vm.group("qv") is not None:
            g, quoted = "qv", True
        else:
            g, quoted = "uv", False
        v = vm.group(g)
        if len(v) < _MIN_LEN[cls]:
            return None
        s, e = vm.span(g)
        pfx = vm.group("pfx")
        if quoted:
            if "f" in pfx.lower() and "{" in v:
                return None
            if vm.group("q") == "`" and "${" in v:
                return None
            after = text[vm.end():vm.end() + 3].lstrip(" \t")
            if after[:1] in ("+", "%") and cls != _C_PASSWORD:
                return None
        else:
            if opc in ("(", ",") or pfx:
                return None
            if v.startswith("!!") and text[e:e + 1] == " ":  # YAML tag: "key: !!binary xyz"
                vm2 = _VALUE_RE.match(text, e + 1)
                if vm2 is None or vm2.group("uv") is None:
                    return None
                v = vm2.group("uv")
                s, e = vm2.span("uv")
            cli = opc == "" and text[kstart:kstart + 1] == "-"
            if opc == "" and not cli:
                return None
            if key == "PASS" and opc == ":":
                return None  # "--- PASS: TestX (0.01s)" in test logs
            if op == ":" and not _line_level(text, kstart, e):
                return None  # "group:artifact:1.2", "host:port", "a[i:j]"
            if before in ("?", "&"):  # URL query parameter
                cut = min((i for i in (v.find("&"), v.find("#")) if i >= 0), default=-1)
                if cut >= 0:
                    v, e = v[:cut], s + cut
            if not v:
                return None
            nxt = text[e] if e < len(text) else ""
            # FOO_PASSWORD=value (shell, .env, docker -e) and --password=value are literals
            literal_ctx = cli or before in (";", "=") or (
                op == "=" and (key[:1] == "-" or _ENV_KEY_RE.fullmatch(key) is not None)
            )
            line_level = literal_ctx or _line_level(text, kstart, e)
            if _unquoted_is_code(v, nxt, line_level, cls):
                return None
            if cli and (_PATHY_RE.fullmatch(v) or not _looks_random(v)):
                return None
        if not _value_ok(cls, v):
            return None
        return s, e, v

    @staticmethod
    def _kv_type(
        text: str, cls: int, words: list[str], key: str, v: str, pos: int, aws_ids: list[int]
    ) -> str:
        if key.startswith("_auth"):  # .npmrc
            return "NPM_TOKEN" if v.startswith("npm_") else "BASIC_AUTH"
        if cls == _C_AUTH or key in ("identitytoken", "identityToken"):
            return "DOCKER_AUTH" if text[pos - 1:pos] in ('"', "'") else "BASIC_AUTH"
        if cls == _C_PASSWORD:
            return "PASSWORD"
        joined = "_".join(words)
        if len(v) == 40 and _AWS_SECRET_RE.fullmatch(v) and _mixed3(v) and (
            "aws" in words
            or "secret_access" in joined
            or any(abs(pos - a) < 400 for a in aws_ids)
        ):
            return "AWS_SECRET_ACCESS_KEY"
        if len(v) == 32 and _HEX_RE.fullmatch(v) and (
            "twilio" in joined or "twilio" in text[max(0, pos - 400):pos].lower()
        ):
            return "TWILIO_AUTH_TOKEN"
        if joined.endswith("secret_key") and not _HEX_RE.fullmatch(v) and (
            v.startswith("django-insecure-") or len(v) >= 40
        ):
            return "DJANGO_SECRET_KEY"
        return _value_type(cls, v)

    # ---- output -----------------------------------------------------------------------------

    @staticmethod
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
