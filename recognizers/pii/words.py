"""The words a user-name context must not take for a user name.

The long lists are package data beside this module (``*.txt``), read once at import.
"""

from __future__ import annotations

import re

from recognizers.wordlists import read_words

_PACKAGE = "recognizers.pii"

#: Accounts that exist on every machine or image (and placeholders): never personal data.
SYSTEM_ACCOUNTS = read_words(_PACKAGE, "system_accounts.txt")
COMMON_WORDS = read_words(_PACKAGE, "common_words.txt")
TOOL_WORDS = read_words(_PACKAGE, "tool_words.txt")
FILE_EXTENSIONS = read_words(_PACKAGE, "file_extensions.txt")
TYPE_WORDS = read_words(_PACKAGE, "type_words.txt")
PROJECT_WORDS = read_words(_PACKAGE, "project_words.txt")
PLACEHOLDER_WORDS = read_words(_PACKAGE, "placeholder_words.txt")
_PARTS = re.compile(r"[a-z]+")

TLDS = frozenset("com org net io dev app edu gov co uk de fr eu info biz me ai cloud internal local"
                 .split())
# the object of a dotted name in a comment: "(sys.prefix)" is code, not a user
CODE_QUALIFIERS = frozenset(
    "self this cls sys os re io np pd tf json math time config settings app db obj ctx req res"
    " resp request response module object window document process console".split()
)

# English suffixes that real user names (initials + surname, first.last, clipped forms) rarely
# end with; used only by the weakest context (a bare ``(<word>)`` in a comment).
ENGLISH_SUFFIX = re.compile(
    r"(?:ing|ings|ed|ly|tion|tions|sion|sions|ment|ments|ness|able|ible|ful|less|ous|ive|ize"
    r"|ise|ity|ies|ary|ory|est|ism|ist|ists|ware|like|wise|ship|hood|dom|ward|wards)$"
)

# The suffixes of service and role accounts (app_ro, etl_writer): not a person's login
SERVICE_SUFFIX_RE = re.compile(
    r"[._\-](?:app|svc|service|user|ro|rw|admin|bot|api|worker|reader|writer|readonly|owner"
    r"|migrator|migrations|etl|ci|deploy|test|dev|prod|staging)$"
)


def is_system(user: str) -> bool:
    """A machine's account (root, www-data) or a placeholder (my-name, your_user, test.user)."""
    low = user.lower()
    if low in SYSTEM_ACCOUNTS:
        return True
    parts = _PARTS.findall(low)
    # placeholders, and Windows' profiles "All Users" and "Default User"
    return len(parts) > 1 and all(p in PLACEHOLDER_WORDS or p in SYSTEM_ACCOUNTS for p in parts)


def looks_like_word(user: str) -> bool:
    """True for words that a weak context must not take for a user name."""
    low = user.lower()
    if len(low) < 3 or sum(ch.isalpha() for ch in low) < 2:
        return True
    for word in (low, low[:-1] if low.endswith("s") else low):
        if word in COMMON_WORDS or word in SYSTEM_ACCOUNTS or word in TYPE_WORDS:
            return True
        if word in TOOL_WORDS:
            return True
    return False
