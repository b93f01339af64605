"""Which address a request comes from: the one function every limit and log asks.

Behind a reverse proxy every request arrives from the proxy, which names the client in
``X-Forwarded-For``. Anyone can send that header, so it is believed only when the peer
that connected is one of ``MUTUAL_TRUSTED_PROXIES`` (addresses or networks). Then the
header is read from the right — each proxy appends the address it saw — past every entry
that is itself a trusted proxy; the first other entry is the client. Whatever a client
writes into the header itself stands further left and is never reached.

A list of addresses, rather than a count of hops, because it asks who actually
connected: a request that reaches an app process without passing the proxy has its
header ignored, and a proxy that replaces the header (docs/deploy.md) and one that
appends to it are read alike.

Used by allauth's throttles (``AccountAdapter.get_client_ip``), the API's limits and the
security log.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_address(value: str) -> IPAddress | None:
    """An address as a proxy or the server writes it (``[v6]:port`` and ``v4:port``
    included), IPv4 written as IPv6 as plain IPv4; ``None`` for anything else."""
    text = value.strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


@lru_cache(maxsize=8)
def _networks(trusted: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in trusted)


def trusted_networks() -> tuple[IPNetwork, ...]:
    return _networks(tuple(getattr(settings, "MUTUAL_TRUSTED_PROXIES", ())))


def _trusted(address: IPAddress, networks: Iterable[IPNetwork]) -> bool:
    return any(address.version == n.version and address in n for n in networks)


def client_address(request: HttpRequest) -> str | None:
    """The client's address, as a string; ``None`` when the server gave none."""
    peer = parse_address(str(request.META.get("REMOTE_ADDR") or ""))
    if peer is None:
        return None
    networks = trusted_networks()
    client = peer
    if _trusted(peer, networks):
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR") or "")
        hops = [hop for hop in forwarded.split(",") if hop.strip()]
        for hop in reversed(hops):
            address = parse_address(hop)
            if address is None:
                break  # not what a proxy of ours writes: the last one we trust stands
            client = address
            if not _trusted(address, networks):
                break
    return str(client)
