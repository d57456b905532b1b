"""Word lists shipped as package data: whitespace-separated words, ``#`` starts a comment.

Long vocabularies (system accounts, common words, months, places ...) live in ``.txt`` files
beside the recognizer that reads them, so a reviewer edits a list without reading Python and the
wheel carries them as package data (read with ``importlib.resources``, never from the checkout).
"""

from __future__ import annotations

from importlib import resources


def read_words(package: str, filename: str) -> frozenset[str]:
    """The words of ``filename`` in ``package``; a missing file raises (a broken install)."""
    text = resources.files(package).joinpath(filename).read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() for w in line.split("#", 1)[0].split())
