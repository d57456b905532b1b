"""Fake IPv4 and IPv6 addresses of the same class: private stays private, special-purpose
ranges keep their /24, the notation (compressed, case) is kept.
"""

from __future__ import annotations

import ipaddress
import re
from random import Random

from proxy.veil.fakes.chars import HEX_LOWER, HEX_UPPER, MAX_TRIES, fake_chars, force_different

_PUBLIC_FIRST_OCTETS = (
    23, 31, 34, 35, 37, 44, 46, 52, 54, 62, 64, 66, 74, 78, 80, 81, 85, 88, 91, 94, 104, 107,
    128, 134, 138, 141, 145, 151, 159, 162, 176, 178, 185, 188, 193, 195, 212, 213, 217,
)  # fmt: skip


def _octet(rng: Random, like: str, lo: int = 0, hi: int = 255) -> int:
    """A random octet in [lo, hi] with as many digits as ``like`` when that range allows it."""
    k = len(like)
    a, b = max(lo, 10 ** (k - 1) if k > 1 else 0), min(hi, 10**k - 1)
    return rng.randint(a, b) if a <= b else rng.randint(lo, hi)


def _ipv4_fake_octets(parts: list[str], rng: Random) -> list[int]:
    o = [int(x) for x in parts]
    a, b = o[0], o[1]
    if a == 10:
        new = [10, _octet(rng, parts[1]), _octet(rng, parts[2])]
    elif a == 172 and 16 <= b <= 31:
        new = [172, _octet(rng, parts[1], 16, 31), _octet(rng, parts[2])]
    elif a == 192 and b == 168:
        new = [192, 168, _octet(rng, parts[2])]
    elif a == 100 and 64 <= b <= 127:
        new = [100, _octet(rng, parts[1], 64, 127), _octet(rng, parts[2])]
    elif a == 169 and b == 254:
        new = [169, 254, _octet(rng, parts[2], 1, 254)]
    elif a == 127:
        new = [127, _octet(rng, parts[1]), _octet(rng, parts[2])]
    elif (a, b, o[2]) in ((192, 0, 2), (198, 51, 100), (203, 0, 113)):
        new = [a, b, o[2]]  # documentation ranges (RFC 5737) stay documentation
    elif a == 198 and b in (18, 19):
        new = [198, _octet(rng, parts[1], 18, 19), _octet(rng, parts[2])]
    elif a >= 224:
        new = [a, _octet(rng, parts[1]), _octet(rng, parts[2])]
    elif not ipaddress.ip_address(".".join(parts)).is_global:
        new = [a, b, o[2]]  # another special-purpose range (192.0.0/24, ...): keep its /24
    else:
        same_width = [x for x in _PUBLIC_FIRST_OCTETS if len(str(x)) == len(parts[0])]
        first = rng.choice(same_width or _PUBLIC_FIRST_OCTETS)
        new = [first, _octet(rng, parts[1]), _octet(rng, parts[2])]
    if o[3] in (0, 255):  # a network or broadcast address stays one
        new.append(o[3])
    else:
        new.append(_octet(rng, parts[3], 1, 254))
    return new


def fake_ipv4(value: str, rng: Random) -> str:
    """An IPv4 address of the same class and, where the class allows it, the same length.

    10/8, 172.16/12, 192.168/16, 100.64/10 (CGNAT), 169.254/16, 127/8 and the documentation
    ranges stay in their range; public addresses stay public-looking.
    """
    parts = value.split(".")
    if len(parts) != 4 or not all(p.isdigit() and int(p) <= 255 for p in parts):
        return fake_chars(value, rng)
    fake = value
    for _ in range(MAX_TRIES):
        fake = ".".join(str(x) for x in _ipv4_fake_octets(parts, rng))
        if fake != value:
            return fake
    # tiny ranges (a documentation /24 network address): move the third octet instead
    octets = [int(x) for x in parts]
    octets[2] = (octets[2] + 1 + rng.randrange(254)) % 256
    return ".".join(str(x) for x in octets)


def _fake_group(group: str, rng: Random, upper: bool) -> str:
    if not group:
        return group
    alphabet = HEX_UPPER if upper else HEX_LOWER
    if len(group) == 1:
        return group if group == "0" else rng.choice(alphabet[1:])
    return rng.choice(alphabet[1:]) + "".join(rng.choice(alphabet) for _ in group[1:])


def fake_ipv6(value: str, rng: Random) -> str:
    """Same prefix style (ULA ``fdXX`` stays ULA, ``fe80`` link-local, ``2001:db8``
    documentation), same ``::`` compression, group count and group lengths."""
    tail4 = ""
    body = value
    m = re.search(r":(\d{1,3}(?:\.\d{1,3}){3})$", value)
    if m:  # ::ffff:10.1.2.3
        body, tail4 = value[: m.start() + 1], fake_ipv4(m.group(1), rng)
    upper = any(ch in "ABCDEF" for ch in body) and not any(ch in "abcdef" for ch in body)
    groups = body.split(":")
    for _ in range(MAX_TRIES):
        out = [_fake_group(g, rng, upper) for g in groups]
        if groups[0]:
            g0 = groups[0].lower()
            g1 = groups[1].lower() if len(groups) > 1 else ""
            if g0 == "fe80":  # link-local
                out[0] = groups[0]
            elif g0 == "2001" and g1 == "db8":  # documentation prefix
                out[0], out[1] = groups[0], groups[1]
            elif len(g0) == 4 and g0[:2] in ("fd", "fc", "ff"):  # ULA, multicast
                out[0] = groups[0][:2] + out[0][2:]
            elif len(g0) == 4:  # 2xxx global unicast stays 2xxx
                out[0] = groups[0][0] + out[0][1:]
        fake = ":".join(out) + tail4
        if fake != value:
            return fake
    return force_different(value, value, rng)
