"""private_hosts: hosts under private-use suffixes are internal, code that looks like one is not."""

from __future__ import annotations

import pytest

from proxy.policy import Policy
from proxy.veil.engine import Veil
from recognizers.private_hosts import PrivateHostRecognizer

R = PrivateHostRecognizer()


def hosts(text: str) -> list[str]:
    return [text[f.start:f.end] for f in R.analyze(text) if f.type == "INTERNAL_DOMAIN"]


@pytest.mark.parametrize(("text", "host"), [
    ("ssh deploy@build-07.lan 'systemctl restart api'", "build-07.lan"),
    ("the staging API lives at api.corp.local behind the VPN", "api.corp.local"),
    ("git clone git@gitlab.intranet:platform/billing.git", "gitlab.intranet"),
    ("Backups go to nas.home.arpa every night.", "nas.home.arpa"),
    ('DATABASE_HOST = "db03.corp.acme.internal"', "db03.corp.acme.internal"),
    ("curl -s https://grafana.intranet/d/abc", "grafana.intranet"),
    ("    url: http://ci.lan:8080/job/main", "ci.lan"),
    ("ping fs-2.localdomain", "fs-2.localdomain"),
    ("mail deploy@build-07.lan when done", "build-07.lan"),
    ("Join CORP.LOCAL with dc-01.CORP.LOCAL as the controller", "dc-01.CORP.LOCAL"),
    ("```python\nHOST = 'cache.eu.corp'  # redis\n```", "cache.eu.corp"),
    # one plain label before a suffix that no attribute or file name spells
    ("Our wiki is gitlab.intranet, backups on the NAS", "gitlab.intranet"),
    ("the printer at printer.localdomain jams", "printer.localdomain"),
    ("Acme's directory is acme.corp since 2019", "acme.corp"),
])
def test_finds_private_hosts(text: str, host: str) -> None:
    assert hosts(text) == [host]


@pytest.mark.parametrize("text", [
    "if self.local: return config.internal",
    "import os.path\nprint(os.path.join(a, b))",
    "window.location.href = url",
    "```python\nvalue = self.settings.local\n```",
    "Use `request.app.internal` for the handle.",
    "x.local()",
    "threading.local",
    "see https://example.com/local and www.python.org",
    "local.corp_name = 1",
    "```python\nnet = site.lan\n```",
    "copy settings.local to settings.py and set config.internal",
])
def test_leaves_public_code_alone(text: str) -> None:
    assert hosts(text) == []


def test_hosts_under_the_policys_own_domains_are_left_to_the_terms_recognizer() -> None:
    text = "primary db03.corp.acme.internal, replica db04.corp.other.internal"
    found = PrivateHostRecognizer(["acme.internal"]).analyze(text)
    assert [text[f.start:f.end] for f in found] == ["db04.corp.other.internal"]


def test_hidden_under_the_default_policy_and_restored() -> None:
    text = ("ssh deploy@build-07.lan, then push to api.corp.local; mirror at "
            "git@gitlab.intranet:x/y, backups on nas.home.arpa, primary db03.corp.acme.internal")
    veil = Veil(Policy.from_dict({"name": "default", "internal_domains": []}), b"k")
    [anon], mapping = veil.anonymize([text])
    for host in ("build-07", "api.corp", "gitlab.intranet", "nas.home", "db03.corp.acme"):
        assert host not in anon
    assert mapping.restore(anon) == text


@pytest.mark.parametrize(("text", "host"), [
    ("the runner on `vault.internal` keeps failing", "vault.internal"),
    ("try `ssh nas.lan` first", "nas.lan"),
    ("```diff\n-  host: vault.internal\n+  host: vaultx.internal\n```", "vaultx.internal"),
])
def test_inline_code_and_diffs_hold_hosts(text: str, host: str) -> None:
    assert host in hosts(text)


def test_an_email_under_a_private_host_does_not_keep_it() -> None:
    text = "mail deploy@build-07.lan or ana@mail.corp; build-07.lan is up"
    veil = Veil(Policy.from_dict({"name": "default", "internal_domains": []}), b"k")
    [anon], mapping = veil.anonymize([text])
    assert "build-07" not in anon and "mail.corp" not in anon
    assert mapping.restore(anon) == text
