"""IP addresses: ``IP_ADDRESS`` and ``IPV6_ADDRESS`` findings.

IPv4 needs four valid octets and a personal range: loopback, "this network", multicast, reserved,
link-local (``169.254.169.254`` is every cloud's metadata endpoint) and the public DNS resolvers
are left alone, and so is a version number (``version 1.2.3.4``, ``==1.2.3.4``). IPv6 is parsed by
``ipaddress``; slices and short pairs of digits (``1000::2000``) are no addresses.
"""

from __future__ import annotations

import ipaddress
import re

from recognizers.pii.scan import Span

_WELL_KNOWN_IPV4 = frozenset(
    "8.8.8.8 8.8.4.4 1.1.1.1 1.0.0.1 9.9.9.9 149.112.112.112 208.67.222.222 208.67.220.220".split()
)
_IPV4_RE = re.compile(r"(?<![\w.\-:])(\d{1,3}(?:\.\d{1,3}){3})(?![\w\-]|\.\d)")
_VERSION_CONTEXT_RE = re.compile(
    r"(?:(?:version|ver|release|tag|section|chapter|rfc)_*|==|>=|<=|~=|!=|\^|~|§)[\s\"'`:=,]{0,5}$",
    re.I,
)

_IPV6_TRIGGER_RE = re.compile(r":[0-9A-Fa-f]{0,4}:")
_IPV6_RE = re.compile(r"(?:[0-9A-Fa-f]{0,4}:){2,7}+[0-9A-Fa-f]{0,4}+(?![\w.])")
_HEX_COLON = frozenset("0123456789abcdefABCDEF:")


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


def ipv4_in_run(text: str, s: int, window: int, spans: list[Span]) -> None:
    """Personal IPv4 addresses in the run of digits and dots starting at ``s``."""
    for ip in _IPV4_RE.finditer(text, s, window):
        if not _ipv4_is_personal(ip.group(1)):
            continue
        if _VERSION_CONTEXT_RE.search(text, max(0, ip.start() - 20), ip.start()):
            continue
        spans.append((ip.start(1), ip.end(1), "IP_ADDRESS"))


def ipv6(text: str, spans: list[Span]) -> None:
    """IPv6 addresses other than loopback and unspecified."""
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
