"""The SSRF guard (I/O: name resolution): a feed URL may only reach public http(s) addresses.

Checked on every hop, redirects included, before any connection; feeds marked `allow_private`
in config (the demo, tests) skip the address check but never the scheme check. The guarded
resolver also sits in the HTTP client, so the address connected to is the address checked
(a name that resolves to a public address once and a private one the next time gains nothing).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver

Resolve = Callable[[str], Awaitable[list[str]]]
"""Resolves a host name to its IP addresses (as text)."""


class BlockedURL(Exception):
    """The URL may not be fetched: wrong scheme, or its host is (or resolves to) a private one."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"refused {url}: {reason}")
        self.url = url
        self.reason = reason


def address_problem(address: str) -> str | None:
    """Why `address` is not a public unicast address, or None when it is."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return f"{address!r} is not an IP address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    checks = (
        ("loopback", ip.is_loopback),
        ("private", ip.is_private),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
        ("unspecified", ip.is_unspecified),
    )
    for name, hit in checks:
        if hit:
            return f"{ip} is a {name} address"
    if not ip.is_global:
        return f"{ip} is not a public address"
    return None


async def system_resolve(host: str) -> list[str]:
    """The host's addresses from the system resolver (getaddrinfo, off the event loop)."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


async def guard_url(url: str, allow_private: bool, resolve: Resolve = system_resolve) -> None:
    """Return when `url` may be fetched; raises BlockedURL otherwise.

    Only http and https are allowed. Unless `allow_private`, the host (a literal address or
    every address its name resolves to) must be public: not loopback, private, link-local,
    multicast, reserved or unspecified. A name that does not resolve raises OSError.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise BlockedURL(url, f"scheme {parts.scheme or 'none'!r} is not http or https")
    host = parts.hostname
    if not host:
        raise BlockedURL(url, "no host")
    if allow_private:
        return
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
        addresses = [host]
    except ValueError:
        addresses = await resolve(host)
    if not addresses:
        raise BlockedURL(url, f"{host} has no address")
    for address in addresses:
        problem = address_problem(address)
        if problem is not None:
            raise BlockedURL(url, problem)


class GuardedResolver(AbstractResolver):
    """aiohttp's threaded resolver, refusing names that resolve to non-public addresses."""

    def __init__(self) -> None:
        self._inner = ThreadedResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await self._inner.resolve(host, port, family)
        for result in results:
            problem = address_problem(str(result["host"]))
            if problem is not None:
                raise OSError(f"refused {host}: {problem}")
        return results

    async def close(self) -> None:
        await self._inner.close()
