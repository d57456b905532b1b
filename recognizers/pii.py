"""Pattern based recognizer for personal and infrastructure data in source code and prose.

Types: ``EMAIL``, ``PHONE``, ``IP_ADDRESS``, ``IPV6_ADDRESS``, ``CREDIT_CARD``, ``IBAN`` and
``USERNAME``. Every finding spans exactly the value to replace (the user segment of
``/home/<user>/``, not the whole path). No NER: each type is a regex plus a validator (octet
ranges, Luhn, ISO 13616 mod-97, ``ipaddress``, ``phonenumbers`` possible-number check) or, for
user names, a strong context (home directories, ``TODO(<user>)``, shell prompts, ssh targets,
``owner:`` keys, IAM user ARNs ...). All regexes are compiled once at import time and each pass is
gated by a cheap substring test, so a 2 KB text is scanned in well under a millisecond.
"""

from __future__ import annotations

import bisect
import ipaddress
import re
from collections.abc import Callable, Iterator

from recognizers.base import PII, Finding, Recognizer
from recognizers.context import DetectionContext, as_context

try:  # phonenumbers ships with presidio; the recognizer degrades gracefully without it
    import phonenumbers as _phonenumbers
except ImportError:  # pragma: no cover
    _phonenumbers = None

__all__ = [
    "SYSTEM_ACCOUNTS",
    "PiiRecognizer",
    "iban_is_valid",
    "luhn_is_valid",
]

# --------------------------------------------------------------------------------------------
# Shared vocabularies
# --------------------------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Accounts that exist on every machine or image (and placeholders): never personal data.
SYSTEM_ACCOUNTS = _words(
    """
    root git admin administrator ubuntu debian centos fedora alpine ec2-user azureuser opc core
    www-data www nobody daemon bin sys sync mail ftp postgres mysql redis mongodb oracle nginx
    apache httpd runner node app appuser build builder buildkite jenkins deploy deployer vagrant
    docker gitlab-runner circleci travis vscode codespace codespaces coder jovyan pi linuxbrew
    site service svc ci user users username guest test tester demo example default shared public
    all anonymous nonroot me you your yourname youruser your-user your_user myuser someone
    dev developer operator ansible terraform kube kubernetes system local localhost
    """
)

# Common words (English and programming) that look like a user name but are not one. Used by the
# weaker contexts (``(<user>)`` in a comment, ``pinned by <user>``, ``<user>'s laptop``).
_COMMON_WORDS = _words(
    """
    a an the this that these those it its they them their there here we us our you your he him
    his she her i me my mine one ones some any all each every other another both either neither
    no none nothing something anything everything someone anyone everyone somebody anybody
    nobody who whom whose which what when where why how and or but not nor so if then else than
    as at by for from in into of off on onto out over per to up via with without within about
    above after again against before below between during under until upon also only just
    still yet already always never ever often sometimes now later soon today tomorrow yesterday
    is are was were be been being am do does did done has have had having can could may might
    must shall should will would ok okay yes true false null nil undefined nan inf
    see ref note todo fixme hack bug issue ticket wip tbd etc sic ie eg vs approx aka
    default optional required deprecated legacy experimental beta alpha stable unstable
    internal external public private protected static final abstract virtual override
    readonly immutable mutable lazy eager async sync blocking nonblocking unsafe safe
    inclusive exclusive unused ignored cached temporary temp tmp fallback retry retries
    noop idempotent nullable recursive iterative optional optionally unknown misc general
    local remote global prod production staging stage dev develop development test tests
    testing mock mocks stub stubs fake fakes dummy sample samples example examples demo
    fix feat feature chore docs doc refactor perf style revert build ci release hotfix
    linux windows macos mac darwin ios android web mobile desktop server client browser
    admin user users guest owner owners team teams group groups org company customer
    customers vendor partner partners colleague colleagues coworker manager boss friend
    person people caller callee sender receiver author reviewer maintainer maintainers
    engineer engineers developer developers ops devops sre oncall support security
    bytes byte bits bit kb mb gb tb ms us ns sec secs second seconds min mins minute minutes
    hour hours day days week weeks month months year years utc gmt local percent pct
    int integer float double str string bool boolean char list dict tuple set map array
    object number bigint decimal long short void any never unknown self cls this super
    json yaml yml xml csv html css toml ini env txt md sql py js ts go java rb rs
    file files path paths dir directory folder config settings setup options option
    key keys value values name names id ids type types data info item items entry entries
    token tokens secret secrets password passwords session sessions cookie cookies auth
    login logout account accounts profile profiles role roles permission permissions
    request requests response responses header headers body query params param args kwargs
    input output inputs outputs result results error errors exception exceptions warning
    log logs logger logging debug trace verbose quiet silent
    start stop end begin init main run runs running exec call calls return returns
    create read update delete insert select upsert get put post patch head fetch send
    open close load save store cache flush commit rollback merge push pull clone checkout
    new old first last next prev previous current latest oldest newest
    left right top bottom up down front back inner outer upper lower
    min max avg sum count total size length width height depth limit offset page
    small medium large big huge tiny full empty partial
    fast slow quick slowly quickly
    good bad best worst better worse ok fine broken fixed
    high low mid middle
    on off enabled disabled enable disable active inactive
    primary secondary replica master main trunk origin upstream downstream
    source target destination dest src dst
    red green blue black white gray grey yellow orange purple pink brown
    http https tcp udp ssh ssl tls dns ftp smtp api apis sdk cli gui ui ux url urls uri
    db database databases table tables column columns row rows index indexes schema
    cpu gpu ram disk memory network net io thread threads process processes worker workers
    job jobs task tasks queue queues event events message messages stream streams
    module modules package packages library libraries class classes function functions
    method methods field fields property properties variable variables constant constants
    interface interfaces struct structs enum enums trait traits impl macro macros
    line lines word words char chars text texts code codes
    original initial additional manual actual special normal abnormal formal informal literal
    minimal maximal critical typical logical physical official personal natural visual annual
    mutual conditional functional incremental fundamental horizontal vertical diagonal digital
    signal journal terminal canonical lexical traditional orthogonal real complex simple single
    multiple singular plural lowercase uppercase invalid valid resource pickle descriptor
    keyword keywords suffix suffixes prefix prefixes across sigh oops ugh hmm meh yikes
    gutter branch home interrupt exit sequence metaclass distance odd even sub followup
    slower faster cubic radius square epsilon heuristic zeros ones alphabet remainder tilde
    candidate wide narrow bell failure success enter parent child children mismatch twice
    marble significant predecessor successor checksum percentage truncate truncates delimiter
    architecture broadcasts casts stdlib mono stereo
    """
)

# tools, languages, platforms and units that show up in "(python)", "docker's ...", ...
_TOOL_WORDS = _words(
    """
    python python3 node nodejs npm npx yarn pnpm pip pipx conda poetry pipenv uv venv git svn
    hg docker podman compose kubectl helm kubernetes k8s minikube kind aws azure gcp gcloud
    github gitlab bitbucket jenkins travis circleci terraform ansible vagrant redis postgres
    postgresql mysql mariadb sqlite mongo mongodb kafka rabbitmq nginx apache tomcat jetty
    flask django fastapi rails spring express react vue angular svelte next nuxt jupyter
    java javascript typescript golang rust ruby perl php kotlin scala swift dart elixir
    bash zsh fish sh powershell cmd vim neovim emacs vscode intellij chrome firefox safari
    edge linux windows macos ubuntu debian alpine centos rhel fedora arch wsl homebrew brew
    maven gradle sbt cargo rustup go gcc clang llvm make cmake bazel webpack vite babel eslint
    prettier jest mocha pytest unittest junit vitest cypress playwright selenium openai
    utf8 utf16 ascii latin1 unicode base64 hex sha1 sha256 md5 eur usd gbp jpy chf cad aud
    pst pdt est edt cet cest ist jst kib mib gib kbps mbps rps qps tps
    """
)

# English suffixes that real user names (initials + surname, first.last, clipped forms) rarely
# end with; used only by the weakest context (a bare ``(<word>)`` in a comment).
_ENGLISH_SUFFIX = re.compile(
    r"(?:ing|ings|ed|ly|tion|tions|sion|sions|ment|ments|ness|able|ible|ful|less|ous|ive|ize"
    r"|ise|ity|ies|ary|ory|est|ism|ist|ists|ware|like|wise|ship|hood|dom|ward|wards)$"
)

_TLDS = _words("com org net io dev app edu gov co uk de fr eu info biz me ai cloud internal local")

_FILE_EXTENSIONS = _words(
    """
    png jpg jpeg gif svg webp ico bmp tiff avif js mjs cjs ts tsx jsx py pyc rb go rs java kt
    kts scala swift c h cc cpp hpp cs php pl sh bash zsh ps1 bat cmd json yaml yml toml ini cfg
    conf xml html htm css scss sass less md rst txt csv tsv log lock sql db sqlite proto
    gradle pom jar war zip gz tgz tar bz2 xz whl egg map wasm so dll dylib exe bin dat pem crt
    key pub der p12 pfx env vue svelte lua dart ex exs erl hs ml fs vb r jl nim zig sol pdf
    doc docx xls xlsx ppt pptx
    """
)

# --------------------------------------------------------------------------------------------
# Validators
# --------------------------------------------------------------------------------------------


def luhn_is_valid(digits: str) -> bool:
    """Luhn (mod 10) check of a string of decimal digits."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _card_brand_ok(digits: str) -> bool:
    """Known issuer prefix (IIN) with a length that issuer uses."""
    n = len(digits)
    p2 = int(digits[:2])
    p3 = int(digits[:3])
    p4 = int(digits[:4])
    if digits[0] == "4":  # Visa
        return n in (13, 16, 19)
    if 51 <= p2 <= 55 or 2221 <= p4 <= 2720:  # Mastercard
        return n == 16
    if p2 in (34, 37):  # American Express
        return n == 15
    if p4 == 6011 or p2 == 65 or 644 <= p3 <= 649:  # Discover
        return 16 <= n <= 19
    if 3528 <= p4 <= 3589:  # JCB
        return 16 <= n <= 19
    if 300 <= p3 <= 305 or p2 in (36, 38, 39) or p4 == 3095:  # Diners Club
        return 14 <= n <= 19
    return False


#: ISO 13616 IBAN lengths per country (SWIFT IBAN registry).
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22,
    "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32,
    "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24,
    "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31,
    "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28, "TL": 23,
    "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}  # fmt: skip


def iban_is_valid(value: str) -> bool:
    """ISO 13616: known country, right length, mod-97 of the rearranged number equals 1."""
    compact = value.replace(" ", "").upper()
    if len(compact) < 5 or IBAN_LENGTHS.get(compact[:2]) != len(compact):
        return False
    if not compact[2:4].isdigit() or not compact.isalnum() or not compact.isascii():
        return False
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(number) % 97 == 1


def _ipv4_is_personal(value: str) -> bool:
    parts = value.split(".")
    if len(parts) != 4:
        return False
    octets = []
    for p in parts:
        if not p.isdigit() or len(p) > 3 or (len(p) > 1 and p[0] == "0"):
            return False
        o = int(p)
        if o > 255:
            return False
        octets.append(o)
    first = octets[0]
    # unspecified / "this network", loopback, netmasks and broadcast, multicast and reserved,
    # link-local (169.254.169.254 is every cloud's metadata endpoint), public DNS resolvers
    if first in (0, 127) or first >= 224 or (first == 169 and octets[1] == 254):
        return False
    return value not in _WELL_KNOWN_IPV4


_WELL_KNOWN_IPV4 = _words(
    "8.8.8.8 8.8.4.4 1.1.1.1 1.0.0.1 9.9.9.9 149.112.112.112 208.67.222.222 208.67.220.220"
)


# --------------------------------------------------------------------------------------------
# Regexes (compiled once)
#
# Python's ``re`` scans fast only for patterns that start with a literal, so every pass is
# driven by a cheap trigger (``str.find`` or a literal-prefixed regex) and the detailed
# pattern is then matched at the trigger position.
# --------------------------------------------------------------------------------------------

# runs of digits, separators and capitals: IPv4, NANP phones, cards and IBANs, in one pass
_RUN_RE = re.compile(r"[\dA-Z][\d .\-A-Z]{5,}\d")
_DIGIT_RUN_RE = re.compile(r"\d[\d .\-]{5,}\d")
_IBAN_START_RE = re.compile(r"[A-Z]{2}\d\d")
_HAS_UPPER_RE = re.compile(r"[A-Z]")

_LOCAL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
_DOMAIN_RE = re.compile(
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+([A-Za-z]{2,24})(?![\w\-])"
)
_HOST_RE = re.compile(r"[A-Za-z0-9][\w\-]*(?:\.[\w\-]+)*")
_SCP_PATH_RE = re.compile(r"[~/.]|[\w.\-]+/")  # user@host:~/x, git@host:org/repo.git

_PHONE_INTL_RE = re.compile(r"\+\d{1,3}(?:[ .\-]?\(?\d{1,5}\)?){1,6}(?![\w])")
_PLUS_DIGIT_RE = re.compile(r"\+\d")
_SIGNED_DECIMAL_RE = re.compile(r"\+\d+\.\d+")  # Decimal('+35236450.6')
_PHONE_NANP_PAREN_RE = re.compile(r"\(([2-9]\d\d)\)[ ]?([2-9]\d\d)[\-. ](\d{4})(?![\w]|[.\-]\d)")
_PAREN3_RE = re.compile(r"\(\d{3}\)")
_PHONE_NANP_RE = re.compile(
    r"(?<![\w.+\-/:])(?:1([.\-]))?([2-9]\d\d)([.\-])([2-9]\d\d)\3(\d{4})(?![\w]|[.\-:]\d)"
)

# a number right after a phone label: "phone": "020 7946 0958", Tel: 06 60 36 31 33, fax=...
_PHONE_LABEL_RE = re.compile(
    r"(?<![\w])(?:phone|tel|telephone|mobile|cell|fax|sms|whatsapp)(?:[_ \-]?(?:number|no|num|nr))?"
    r"[\"']?[ \t]*[:=]?[ \t]*[\"']?(\(\d{1,4}\)[ \t]?)?$",
    re.I,
)
_IPV4_RE = re.compile(r"(?<![\w.\-:])(\d{1,3}(?:\.\d{1,3}){3})(?![\w\-]|\.\d)")
_VERSION_CONTEXT_RE = re.compile(
    r"(?:(?:version|ver|release|tag|section|chapter|rfc)_*|==|>=|<=|~=|!=|\^|~|§)[\s\"'`:=,]{0,5}$",
    re.I,
)

_IPV6_TRIGGER_RE = re.compile(r":[0-9A-Fa-f]{0,4}:")
_IPV6_RE = re.compile(r"(?:[0-9A-Fa-f]{0,4}:){2,7}+[0-9A-Fa-f]{0,4}+(?![\w.])")
_HEX_COLON = frozenset("0123456789abcdefABCDEF:")

_CARD_RE = re.compile(
    r"(?<![\w.,\-])(\d{3,19}(?:([ \-])\d{3,7}(?:\2\d{3,7}){1,4})?)(?![\w\-]|[.,]\d)"
)

# ---- USERNAME contexts -----------------------------------------------------------------

_USER = r"[A-Za-z][A-Za-z0-9._\-]{0,31}"
_LUSER = r"[a-z][a-z0-9]*(?:[._\-][a-z0-9]+){0,3}"
_LUSER_RE = re.compile(_LUSER)

_HOME_RE = re.compile(
    r"/(?:home|Users|export/home|usr/home)/(" + _USER + r")(?=[/\\\"'\s:)\]},;`]|$)", re.M
)
_WIN_HOME_RE = re.compile(
    r"(?<![\w])[A-Za-z]:(?:\\\\|\\|/)(?:Users|Documents and Settings)(?:\\\\|\\|/)"
    r"([A-Za-z][A-Za-z0-9._\- ]{0,31}?)(?=\\|/|[\"'\s>:;,)\]]|$)",
    re.M,
)
_TILDE_RE = re.compile(r"~(" + _LUSER + r")(?=/[A-Za-z0-9._\-])")
_PAREN_RE = re.compile(r"\((@?)(" + _LUSER + r")([,)])")
_TODO_BEFORE_RE = re.compile(r"(?<![\w])(?:TODO|FIXME|XXX|HACK|NOTE|BUG|OPTIMIZE|REVIEW)$")
_PAREN_USER_RE = re.compile(r"[a-z][a-z0-9]{2,19}(?:\.[a-z][a-z0-9]{1,19})?")
_PAREN_AFTER_RE = re.compile(r"[ \t]*(?::|--|-->|\*/|$)", re.M)
_COMMENT_MARK_RE = re.compile(
    r"(?:^|[ \t])(?:#|//|/\*|<!--|--)(?:[ \t]|$)|^[ \t]*(?:#|//|\*|;)", re.M
)
# jdoe@laptop:~/src$ , (venv) jdoe@box:/srv# , zsh: jdoe@laptop ~/src %
_PROMPT_RE = re.compile(
    r"[ \t]*(?:\([\w.\-]+\)[ \t]*)?(" + _LUSER + r")@[A-Za-z0-9][\w.\-]*(?::[ \t]*|[ \t]+)"
    r"[~/][^\s$#%]*[ \t]*[$#%](?=[ \t]|$)",
    re.M,
)
_BRACKET_PROMPT_RE = re.compile(r"\[(" + _LUSER + r")@[A-Za-z0-9][\w.\-]*[ \t][^\]\n]{0,80}\][$#]")
_SSH_CMD_RE = re.compile(r"(?<![\w\-])(?:ssh|scp|sftp|rsync|mosh|autossh|ssh-copy-id|sshpass)\b")
_ARN_USER_RE = re.compile(r"arn:aws[\w\-]*:iam::\d{12}:user/(?:[\w+=,.@\-]+/)*([\w+=,.@\-]+)")
_SSH_CONFIG_USER_RE = re.compile(r"^[ \t]*User[ \t]+(" + _LUSER + r")[ \t]*$", re.M)
_SSH_LOGIN_OPT_RE = re.compile(r"[ \t]-l[ \t]*(" + _LUSER + r")(?=[ \t]|$)", re.M)
_ENV_USER_RE = re.compile(r"(?:USER|LOGNAME|USERNAME)=([\"']?)(" + _LUSER + r")\1(?![\w.\-@/])")
# "cc @jdoe", "thanks @jdoe": matched backwards from " @"
_MENTION_BEFORE_RE = re.compile(
    r"(?<![\w])(?:cc|/cc|ping|pinging|paging|thanks|thx|ask|asked|hey|hi)[:,]?[ \t]+$", re.I
)
_MENTION_RE = re.compile(r"@(" + _LUSER + r")(?=[\s,;:)!?]|\.(?:\s|$)|$)", re.M)
_AUTHOR_HANDLE_RE = re.compile(r"@author[ \t]+(" + _LUSER + r")[ \t]*(?:\*/)?[ \t]*$", re.M)
# GitLab CI checkout of a personal copy: /builds/<group>/<project>-<user>
_BUILDS_RE = re.compile(
    r"/builds/[\w.\-]+/(?:[\w.\-]+/)*?[\w.\-]*?-([a-z][a-z0-9]*(?:[._][a-z0-9]+)?)"
    r"(?=[/\s\"'`]|$)",
    re.M,
)

_KEY_TRIGGERS = (
    "owner", "user", "login", "slack", "github", "assignee", "author", "Author", "maintainer",
    "reviewer", "created_by", "updated_by", "oncall", "remote_user", "ansible_user", "ssh_user",
)  # fmt: skip
_KV_AT_RE = re.compile(
    r"(?:owner|username|user_name|userName|user|login|slack_handle|slack|github_user|github"
    r"|assignee|author|Author|maintainer|reviewer|created_by|updated_by|oncall|remote_user"
    r"|ansible_user|ssh_user)"
    r"([\"']?)[ \t]*([:=])[ \t]*([\"']?)(" + _LUSER + r")(?![\w.\-@])"
)
_EMAIL_AFTER_RE = re.compile(r"[ \t]+<[^<>\s@]+@[^<>\s]+>")  # Author: jdoe <jdoe@example.com>
_YAML_KEY_PREFIX_RE = re.compile(r"[ \t]*(?:-[ \t]+)?[\"']?")
_LINE_TAIL_RE = re.compile(r"[ \t]*(?:#.*)?$", re.M)
_INLINE_TAIL_RE = re.compile(r"[ \t]*(?:\)|,|;|--|$)", re.M)
_SERVICE_SUFFIX_RE = re.compile(
    r"[._\-](?:app|svc|service|user|ro|rw|admin|bot|api|worker|reader|writer|readonly|owner"
    r"|migrator|migrations|etl|ci|deploy|test|dev|prod|staging)$"
)

_BY_VERB_RE = re.compile(
    r"(?<![\w])(?:pinned|reported|requested|reviewed|approved|owned|maintained|authored|signed"
    r"|filed|bumped|vendored|patched|forked)[ \t]+$"
)
_TO_VERB_RE = re.compile(
    r"(?<![\w])(?:issued|granted|assigned|belongs|handed|delegated|reassigned)[ \t]+$"
)
_BY_USER_RE = re.compile(
    r"[ \t]+@?(" + _LUSER + r")(?=[ \t]*(?:[,;):]|--|$|\.(?:\s|$)|[ \t]\())", re.M
)
# "issued to <user> (expires ...)": an infinitive ("issued to satisfy") never has these after it
_TO_USER_RE = re.compile(r"[ \t]+@?(" + _LUSER + r")(?=[ \t]*(?:[,;)]|--|[ \t]\())")
_TICKET_RE = re.compile(r"(?:issue|bug|bpo|gh|pr|msg|rfc|cve|pep|ticket|case|jira)[\-_]?\d+$")
_CODE_QUALIFIERS = _words(
    "self this cls sys os re io np pd tf json math time config settings app db obj ctx req res"
    " resp request response module object window document process console"
)
_POSSESSIVE_TAIL_RE = re.compile(
    r"(?:old[ \t]+|work[ \t]+|dev[ \t]+|personal[ \t]+|local[ \t]+)?"
    r"(?:laptop|machine|session|workstation|desktop|box|computer|macbook|mac|pc|vm|account"
    r"|dotfiles|sandbox|fork|workspace|credentials)\b"
)
_POSSESSIVE_HEAD_RE = re.compile(r"(?:^|(?<=[\s(\"'`]))(" + _LUSER + r")$")
_DETERMINER_RE = re.compile(
    r"(?<![\w])(?:the|a|an|my|your|our|their|his|her|its|this|that|each|every|some|any|other"
    r"|another)[ \t]+$",
    re.I,
)

_TYPE_WORDS = _words(
    """
    str string int integer number float double bool boolean bytes dict list tuple set any
    object none null nil optional unknown void never undefined date datetime uuid text char
    long short record map array self this true false yes no required
    """
)

# last segments of CI project directories that name a component, not a person
_PROJECT_WORDS = _words(
    """
    api apis app apps web ui ux frontend backend front back server servers client clients
    service services svc worker workers gateway proxy core common shared utils util lib libs
    tools tooling infra deploy deployment deployments monorepo platform portal cli sdk docs
    site website bot bots admin dashboard mobile ios android etl pipeline pipelines jobs
    scripts config configs charts helm terraform ansible operator controller agent agents
    collector exporter ingest ingestion importer parser sync async ledger billing payments
    payment auth search checkout cart orders order store shop catalog inventory analytics
    reports reporting metrics monitoring alerts notifications notifier mailer email sms
    scheduler cron batch stream streaming events queue consumer producer cache db data
    models model ml ai engine runtime plugin plugins extension extensions integration
    integrations tests test e2e qa bench benchmarks examples demo sandbox playground
    legacy next v1 v2 v3 main master dev staging prod release hotfix fork mirror
    """
)


def _is_system(user: str) -> bool:
    return user.lower() in SYSTEM_ACCOUNTS


def _looks_like_word(user: str) -> bool:
    """True for words that a weak context must not take for a user name."""
    low = user.lower()
    if len(low) < 3 or sum(ch.isalpha() for ch in low) < 2:
        return True
    for word in (low, low[:-1] if low.endswith("s") else low):
        if word in _COMMON_WORDS or word in SYSTEM_ACCOUNTS or word in _TYPE_WORDS:
            return True
        if word in _TOOL_WORDS:
            return True
    return False


_LOOKBACK = 512  # no context rule looks further back on a line (keeps huge lines linear)


def _line_start(text: str, pos: int) -> int:
    lo = max(0, pos - _LOOKBACK)
    nl = text.rfind("\n", lo, pos)
    return nl + 1 if nl >= 0 else lo


class _LineFirst:
    """Whether a line has a match of ``regex`` (a comment mark, an ssh command) before a
    position. The first match of each line is computed once; inside very long lines (minified
    JSON) only the last ``_LOOKBACK`` characters count. ``markers`` are substrings every match
    contains, tested first because ``str`` scans are much faster than regex scans."""

    __slots__ = ("cache", "markers", "regex", "text")

    def __init__(self, text: str, regex: re.Pattern[str], markers: tuple[str, ...]) -> None:
        self.text, self.regex, self.markers = text, regex, markers
        self.cache: dict[int, re.Match[str] | None] = {}

    def _search(self, start: int, end: int) -> re.Match[str] | None:
        segment = self.text[start:end]
        if not any(marker in segment for marker in self.markers):
            return None
        return self.regex.search(self.text, start, end)

    def before(self, pos: int) -> re.Match[str] | None:
        """A match on the line of ``pos`` that ends at or before ``pos``."""
        text = self.text
        lo = max(0, pos - _LOOKBACK)
        nl = text.rfind("\n", lo, pos)
        if nl < 0 and lo > 0:  # deep inside a long line: bounded and uncached
            return self._search(lo, pos)
        line_start = nl + 1
        if line_start not in self.cache:
            end = text.find("\n", line_start)
            self.cache[line_start] = self._search(line_start, len(text) if end < 0 else end)
        m = self.cache[line_start]
        return m if m is not None and m.end() <= pos else None


_SSH_MARKERS = ("ssh", "scp", "sftp", "rsync", "mosh")
_COMMENT_MARKERS = ("#", "//", "/*", "*", "<!--", "--", ";")


def _has_ssh(text: str) -> bool:
    return any(cmd in text for cmd in _SSH_MARKERS)


def _find_all(text: str, needle: str) -> Iterator[int]:
    i = text.find(needle)
    while i >= 0:
        yield i
        i = text.find(needle, i + 1)


# --------------------------------------------------------------------------------------------
# The recognizer
# --------------------------------------------------------------------------------------------

_Span = tuple[int, int, str]
_Add = Callable[..., None]


class PiiRecognizer(Recognizer):
    """Finds EMAIL, PHONE, IP_ADDRESS, IPV6_ADDRESS, CREDIT_CARD, IBAN and USERNAME values."""

    name = "pii"
    category = PII

    def analyze(self, ctx: DetectionContext | str) -> list[Finding]:
        text = as_context(ctx).text
        spans: list[_Span] = []
        if "@" in text:
            self._at_signs(text, spans)
        self._usernames(text, spans)
        self._numbers(text, spans)
        if "+" in text:
            self._intl_phones(text, spans)
        if "(" in text:
            for m in _PAREN3_RE.finditer(text):
                p = _PHONE_NANP_PAREN_RE.match(text, m.start())
                if p and (m.start() == 0 or not (text[m.start() - 1].isalnum())):
                    spans.append((p.start(), p.end(), "PHONE"))
        if ":" in text:
            self._ipv6(text, spans)
        return self._resolve(spans)

    # ---- overlap resolution -------------------------------------------------------------

    def _resolve(self, spans: list[_Span]) -> list[Finding]:
        if not spans:
            return []
        # longest first, then earliest; drop spans overlapping an already kept one. The kept
        # spans are disjoint, so checking the neighbours in start order is enough.
        ordered = sorted(set(spans), key=lambda s: (s[0] - s[1], s[0]))
        starts: list[int] = []
        kept: list[_Span] = []
        for span in ordered:
            s, e, _ = span
            if e <= s:
                continue
            i = bisect.bisect_left(starts, s)
            if (i and kept[i - 1][1] > s) or (i < len(kept) and kept[i][0] < e):
                continue
            starts.insert(i, s)
            kept.insert(i, span)
        return [Finding(s, e, t, PII, self.name) for s, e, t in kept]

    # ---- '@': e-mail addresses, ssh / scp targets, shell prompts --------------------------

    def _at_signs(self, text: str, spans: list[_Span]) -> None:
        prompts: dict[int, re.Match[str] | None] = {}  # one prompt match per line
        ssh = _LineFirst(text, _SSH_CMD_RE, _SSH_MARKERS) if _has_ssh(text) else None
        for at in _find_all(text, "@"):
            j = at
            while j > 0 and at - j < 64 and text[j - 1] in _LOCAL_CHARS:
                j -= 1
            while j < at and not text[j].isalnum():
                j += 1
            if j == at:
                continue
            local = text[j:at]
            before = text[j - 1] if j else ""
            if before == ":":
                lo = max(0, j - 256)
                tok = max(text.rfind(ch, lo, j) for ch in " \t\n\"'`(<[{") + 1
                if "://" in text[tok:j]:
                    continue  # scheme://user:password@host: the secret recognizers' job
            if text[max(0, j - 2) : j] == "//":
                continue  # scheme://user@host
            user_ok = _LUSER_RE.fullmatch(local) is not None
            host = _HOST_RE.match(text, at + 1)
            if user_ok and host:
                line_start = _line_start(text, j)
                as_user = False
                if text[host.end() : host.end() + 1] == ":" and _SCP_PATH_RE.match(
                    text, host.end() + 1
                ):
                    as_user = True  # user@host:path (scp, git, rsync, shell prompt)
                elif before == "[" and _BRACKET_PROMPT_RE.match(text, j - 1):
                    as_user = True
                elif text.startswith((" MINGW", " MSYS", " UCRT"), host.end()):
                    as_user = True  # Git Bash: jdoe@LAPTOP-7 MINGW64 ~/src
                else:
                    if line_start not in prompts:
                        prompts[line_start] = _PROMPT_RE.match(text, line_start)
                    prompt = prompts[line_start]
                    if prompt and prompt.start(1) == j:
                        as_user = True
                    else:
                        cmd = ssh.before(j) if ssh else None
                        if cmd and not any(s in text[cmd.end() : j] for s in ("|", ";", "&&")):
                            as_user = True
                if as_user:
                    if not _is_system(local):
                        spans.append((j, at, "USERNAME"))
                    continue
            dom = _DOMAIN_RE.match(text, at + 1)
            if not dom or dom.group(1).lower() in _FILE_EXTENSIONS:
                continue
            if local[-1] == "." or ".." in local:
                continue
            spans.append((j, dom.end(), "EMAIL"))

    # ---- USERNAME -------------------------------------------------------------------------

    def _usernames(self, text: str, spans: list[_Span]) -> None:
        def add(start: int, end: int, weak: bool = False) -> None:
            user = text[start:end]
            if not user or _is_system(user) or (weak and _looks_like_word(user)):
                return
            spans.append((start, end, "USERNAME"))

        comments = _LineFirst(text, _COMMENT_MARK_RE, _COMMENT_MARKERS)
        if "/home/" in text or "/Users/" in text or "/export/home/" in text or "/usr/home/" in text:
            for m in _HOME_RE.finditer(text):
                s = m.start()
                if s == 0 or not (text[s - 1].isalnum() or text[s - 1] in "._"):
                    add(m.start(1), m.end(1))
        if "Users\\" in text or ":/Users/" in text or "Settings\\" in text:
            for m in _WIN_HOME_RE.finditer(text):
                add(m.start(1), m.end(1))
        if "~" in text:
            for m in _TILDE_RE.finditer(text):
                s = m.start()
                if s == 0 or not (text[s - 1].isalnum() or text[s - 1] in "_)]~\\"):
                    add(m.start(1), m.end(1), weak=True)
        if "(" in text:
            self._parens(text, add, comments)
        if "arn:aws" in text:
            for m in _ARN_USER_RE.finditer(text):
                add(m.start(1), m.end(1))
        if "User " in text or "User\t" in text:
            for m in _SSH_CONFIG_USER_RE.finditer(text):
                add(m.start(1), m.end(1))
        if " -l" in text and _has_ssh(text):
            ssh = _LineFirst(text, _SSH_CMD_RE, _SSH_MARKERS)
            for m in _SSH_LOGIN_OPT_RE.finditer(text):  # ssh -l jdoe host
                if ssh.before(m.start()):
                    add(m.start(1), m.end(1))
        for needle in ("USER=", "LOGNAME="):
            for p in _find_all(text, needle):
                if p and (text[p - 1].isalnum() or text[p - 1] in "_.-$"):
                    continue  # POSTGRES_USER=, DB_USER=
                m = _ENV_USER_RE.match(text, p)
                if m:
                    add(m.start(2), m.end(2), weak=True)
        if "@" in text:
            for needle in (" @", "\t@"):
                for p in _find_all(text, needle):
                    if _MENTION_BEFORE_RE.search(text, max(0, p - 10), p + 1):
                        m = _MENTION_RE.match(text, p + 1)
                        if m:
                            add(m.start(1), m.end(1), weak=True)
            if "@author" in text:
                for m in _AUTHOR_HANDLE_RE.finditer(text):
                    add(m.start(1), m.end(1), weak=True)
        if "/builds/" in text:
            for m in _BUILDS_RE.finditer(text):
                if m.group(1).lower() not in _PROJECT_WORDS:
                    add(m.start(1), m.end(1), weak=True)
        for key in _KEY_TRIGGERS:
            for p in _find_all(text, key):
                self._key_value(text, p, add, comments)
        for needle, verbs, after in (
            (" by ", _BY_VERB_RE, _BY_USER_RE),
            (" to ", _TO_VERB_RE, _TO_USER_RE),
        ):
            for p in _find_all(text, needle):
                if verbs.search(text, max(0, p - 14), p + 1):
                    m = after.match(text, p + 3)
                    if m and "_" not in m.group(1):  # current_thread is code
                        add(m.start(1), m.end(1), weak=True)
        for p in _find_all(text, "'s "):
            head = _POSSESSIVE_HEAD_RE.search(text, max(0, p - 40), p)
            if not head or not _POSSESSIVE_TAIL_RE.match(text, p + 3) or "_" in head.group(1):
                continue
            if _DETERMINER_RE.search(text, max(0, head.start(1) - 10), head.start(1)):
                continue  # "the user's laptop": a noun phrase, not a name
            add(head.start(1), head.end(1), weak=True)

    @staticmethod
    def _parens(text: str, add: _Add, comments: _LineFirst) -> None:
        for m in _PAREN_RE.finditer(text):
            s = m.start()
            if _TODO_BEFORE_RE.search(text, max(0, s - 9), s):
                add(m.start(2), m.end(2), weak=True)  # TODO(user), FIXME(user, 2024-05)
                continue
            # "(user)" at the end of a comment: "# token for local testing (jdoe):"
            if m.group(1) or m.group(3) != ")" or s == 0 or text[s - 1] not in " \t":
                continue
            user = m.group(2)
            if not _PAREN_USER_RE.fullmatch(user) or _looks_like_word(user):
                continue
            if "." not in user and (_ENGLISH_SUFFIX.search(user) or _TICKET_RE.match(user)):
                continue
            if "." in user:
                head, tail = user.split(".", 1)
                if tail in _FILE_EXTENSIONS or tail in _TLDS or head in _CODE_QUALIFIERS:
                    continue  # config.yaml, example.com, sys.prefix
            if not _PAREN_AFTER_RE.match(text, m.end()):
                continue
            if not comments.before(s):
                continue
            add(m.start(2), m.end(2), weak=True)

    @staticmethod
    def _key_value(text: str, p: int, add: _Add, comments: _LineFirst) -> None:
        if p and (text[p - 1].isalnum() or text[p - 1] in "_.-"):
            return  # db_user, superuser, pg.user
        m = _KV_AT_RE.match(text, p)
        if not m:
            return
        key_quote, sep, value_quote = m.group(1), m.group(2), m.group(3)
        user = m.group(4)
        if _SERVICE_SUFFIX_RE.search(user) or user in _TYPE_WORDS:
            return
        if value_quote:
            if text[m.end() : m.end() + 1] == value_quote:  # "owner": "jdoe"
                add(m.start(4), m.end(4), weak=True)
            return
        if sep != ":" or key_quote:
            return  # user=current_user is code
        if _EMAIL_AFTER_RE.match(text, m.end()):
            add(m.start(4), m.end(4), weak=True)  # git log: "Author: jdoe <jdoe@example.com>"
            return
        line_start = _line_start(text, p)
        if _YAML_KEY_PREFIX_RE.fullmatch(text, line_start, p) and _LINE_TAIL_RE.match(
            text, m.end()
        ):
            add(m.start(4), m.end(4), weak=True)  # YAML: "  owner: jdoe"
            return
        before = text[p - 1] if p else ""
        inline = before == "(" or comments.before(p)
        if inline and _INLINE_TAIL_RE.match(text, m.end()):
            add(m.start(4), m.end(4), weak=True)  # (owner: jdoe) / # owner: jdoe -- export

    # ---- digits: IPv4, NANP phones, cards, IBAN -------------------------------------------

    def _numbers(self, text: str, spans: list[_Span]) -> None:
        for m in _RUN_RE.finditer(text):
            s, e = m.span()
            if _HAS_UPPER_RE.search(m.group()):
                for ib in _IBAN_START_RE.finditer(text, s, e):
                    self._iban_at(text, ib.start(), spans)
                for run in _DIGIT_RUN_RE.finditer(text, s, e):
                    self._digit_run(text, run.start(), run.end(), spans)
            else:
                self._digit_run(text, s, e, spans)

    @staticmethod
    def _digit_run(text: str, s: int, e: int, spans: list[_Span]) -> None:
        seg = text[s:e]
        window = min(len(text), e + 2)
        if "." in seg:
            for ip in _IPV4_RE.finditer(text, s, window):
                if not _ipv4_is_personal(ip.group(1)):
                    continue
                if _VERSION_CONTEXT_RE.search(text, max(0, ip.start() - 20), ip.start()):
                    continue
                spans.append((ip.start(1), ip.end(1), "IP_ADDRESS"))
        ndigits = len(seg) - seg.count(" ") - seg.count(".") - seg.count("-")
        if ndigits >= 10 and ("-" in seg or "." in seg):
            for ph in _PHONE_NANP_RE.finditer(text, s, window):
                spans.append((ph.start(), ph.end(), "PHONE"))
        if 7 <= ndigits <= 15 and (s == 0 or text[s - 1] != "+"):
            label = _PHONE_LABEL_RE.search(text, max(0, s - 30), s)
            if label and (e == len(text) or not text[e].isalnum()):
                spans.append((label.start(1) if label.group(1) else s, e, "PHONE"))
        if ndigits >= 13:
            for card in _CARD_RE.finditer(text, s, window):
                digits = card.group(1).replace(" ", "").replace("-", "")
                if 13 <= len(digits) <= 19 and _card_brand_ok(digits) and luhn_is_valid(digits):
                    spans.append((card.start(1), card.end(1), "CREDIT_CARD"))

    @staticmethod
    def _iban_at(text: str, start: int, spans: list[_Span]) -> None:
        if start and (text[start - 1].isalnum() or text[start - 1] == "_"):
            return
        length = IBAN_LENGTHS.get(text[start : start + 2])
        if length is None:
            return
        n = len(text)
        i = start + 4
        count = 4
        spaced = i < n and text[i] == " "
        while count < length and i < n:
            ch = text[i]
            if ch == " ":
                if not spaced or count % 4 or text[i - 1] == " ":
                    break
                i += 1
                continue
            if not (ch.isascii() and (ch.isdigit() or ch.isupper())):
                break
            count += 1
            i += 1
        if count != length or (i < n and (text[i].isalnum() or text[i] == "_")):
            return
        if iban_is_valid(text[start:i]):
            spans.append((start, i, "IBAN"))

    # ---- international phone numbers ------------------------------------------------------

    def _intl_phones(self, text: str, spans: list[_Span]) -> None:
        for t in _PLUS_DIGIT_RE.finditer(text):
            s = t.start()
            if s and (text[s - 1].isalnum() or text[s - 1] in "_)]+"):
                continue  # a + 1234567 arithmetic, 1e+10
            m = _PHONE_INTL_RE.match(text, s)
            if m and not _SIGNED_DECIMAL_RE.fullmatch(m.group(0)):
                length = self._intl_phone(m.group(0))
                if length:
                    spans.append((s, s + length, "PHONE"))

    @staticmethod
    def _intl_phone(candidate: str) -> int:
        """Length of the longest prefix of ``candidate`` that is a plausible phone number."""
        cuts = [i for i in range(1, len(candidate)) if candidate[i] in " .-"] + [len(candidate)]
        for cut in reversed(cuts):
            value = candidate[:cut].rstrip(" .-(")
            if value.count("(") != value.count(")"):
                continue
            digits = "".join(ch for ch in value if ch.isdigit())
            if not 8 <= len(digits) <= 15:
                continue
            if re.search(r"[ .\-]{2}", value):
                continue
            if digits[0] == "1":  # NANP: area code and exchange start with 2-9
                national = digits[1:]
                if len(national) != 10 or national[0] in "01" or national[3] in "01":
                    continue
                return len(value)
            if _phonenumbers is None:
                return len(value)
            try:
                number = _phonenumbers.parse(value, None)
            except _phonenumbers.NumberParseException:
                continue
            if _phonenumbers.is_possible_number(number):
                return len(value)
        return 0

    # ---- IPv6 -----------------------------------------------------------------------------

    def _ipv6(self, text: str, spans: list[_Span]) -> None:
        done = -1
        for t in _IPV6_TRIGGER_RE.finditer(text):
            if t.start() < done:
                continue
            s = t.start()
            lo = max(0, done, s - 45)  # the longest IPv6 text is 45 characters
            while s > lo and text[s - 1] in _HEX_COLON:
                s -= 1
            if s and (text[s - 1].isalnum() or text[s - 1] in "_."):
                done = t.end()
                continue
            m = _IPV6_RE.match(text, s)
            if not m:
                done = t.end()
                continue
            done = max(m.end(), t.end())
            value, start = m.group(0), m.start()
            if value.endswith(":") and not value.endswith("::"):
                value = value[:-1]
            if value.startswith(":") and not value.startswith("::"):
                value, start = value[1:], start + 1
            groups = [g for g in value.split(":") if g]
            if len(groups) < 2 or (len(groups) == 2 and (len(groups[0]) < 3 or value.isdigit())):
                continue
            if len(groups) == 2 and not any(c.isalpha() for c in value):
                continue  # 1000::2000, slices
            try:
                addr = ipaddress.IPv6Address(value)
            except ValueError:
                continue
            if addr.is_loopback or addr.is_unspecified:
                continue
            spans.append((start, start + len(value), "IPV6_ADDRESS"))
