"""The reader's address, as far as it can be trusted: for rate limits and the decline
breaker only (it is never stored; ratelimit keeps a keyed hash of it for one window).

The peer of the connection (REMOTE_ADDR) is the client unless it is one of our own proxies,
READERFUND_TRUSTED_PROXIES (addresses or CIDRs; loopback by default, for nginx or Caddy on
the same machine). Only a trusted peer's headers are read:

- READERFUND_CLIENT_IP_HEADER set (a CDN's `CF-Connecting-IP`, `True-Client-IP`): that
  header names the client;
- otherwise `X-Forwarded-For`, read from the right: each proxy appends the address it saw,
  so the right-most address that is not a trusted proxy is the client. Whatever a client
  writes into the header itself sits to the left of that, and is never believed.

A header sent by anyone else (the app port reached directly) is ignored, so a forged
header cannot choose a rate-limit bucket.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def client_ip(request) -> str:
    """The client's address for this request (see the module's docstring)."""
    peer = request.META.get("REMOTE_ADDR", "")
    trusted = trusted_networks(tuple(settings.READERFUND_TRUSTED_PROXIES))
    if not _is_trusted(peer, trusted):
        return peer
    header = settings.READERFUND_CLIENT_IP_HEADER
    if header:
        named = _address(request.META.get(_meta_name(header), ""))
        return named or peer
    return _from_forwarded_for(request.META.get("HTTP_X_FORWARDED_FOR", ""), trusted) or peer


def _from_forwarded_for(value: str, trusted: tuple[Network, ...]) -> str:
    """The right-most address of the chain that is not a trusted proxy; the left-most when
    every one is; "" when the header is empty."""
    last_trusted = ""
    for entry in reversed([part.strip() for part in value.split(",") if part.strip()]):
        address = _address(entry)
        if not address:  # garbage can only come from the client: the hop after it saw it
            return last_trusted
        if not _is_trusted(address, trusted):
            return address
        last_trusted = address
    return last_trusted


@lru_cache(maxsize=8)
def trusted_networks(values: tuple[str, ...]) -> tuple[Network, ...]:
    """The networks of READERFUND_TRUSTED_PROXIES. Raises ValueError on a bad entry."""
    return tuple(ipaddress.ip_network(value.strip(), strict=False) for value in values if value)


def _is_trusted(address: str, trusted: tuple[Network, ...]) -> bool:
    parsed = _parsed(address)
    return parsed is not None and any(parsed in network for network in trusted)


def _address(value: str) -> str:
    """`value` as a normalised address, or "" when it is not one (ports and brackets
    dropped, as some proxies write `[::1]:443` or `1.2.3.4:5678`)."""
    parsed = _parsed(value.strip())
    return str(parsed) if parsed is not None else ""


def _parsed(value: str):
    candidates = [value]
    if value.startswith("["):
        candidates.append(value[1:].split("]", 1)[0])
    elif value.count(":") == 1:
        candidates.append(value.split(":", 1)[0])
    for candidate in candidates:
        try:
            address = ipaddress.ip_address(candidate)
        except ValueError:
            continue
        mapped = getattr(address, "ipv4_mapped", None)
        return mapped or address
    return None


def _meta_name(header: str) -> str:
    return "HTTP_" + header.strip().upper().replace("-", "_")
