"""Test doubles: stand-ins for the outside world, for the tests, ``codeveil eval`` and ``bench``.

Nothing here is part of the gateway. ``echo`` is a recording upstream that speaks every wire
format the gateway serves, ``scripted_model`` a code model that answers from a script (the
loop's tests), ``planted`` the format-valid fakes every end-to-end test plants, and ``data``
the vendored corpora and labelled sets the tests and measurements read.
"""

from __future__ import annotations
