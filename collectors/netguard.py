"""Only public addresses are fetched (SSRF guard), unless the deployment allows a host.

    every request the Fetcher sends (source, each redirect hop, article, robots.txt), and every
    notification channel request (orchestration/notify._client: check_sync, an unresolvable name refused)
        │ host, port as httpx will connect to them
        ├─ listed in [http] allow_private_hosts ("host" or "host:port")  ──▶ sent, no lookup
        ├─ literal IP                                                    ──▶ checked as is
        └─ name ──▶ every address getaddrinfo gives (the event loop's, or an injected resolver)
    any address not public ──▶ BlockedAddressError (kind "blocked_address"): nothing is sent

Not public: loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7…), link-local (169.254/16 with
the cloud metadata service, fe80::/10), CGNAT 100.64/10, multicast, reserved, unspecified (0.0.0.0, ::),
documentation ranges. An IPv4 address carried in IPv6 (::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4
2002::/16) is judged by its IPv4 part.

Residual window (DNS rebinding): the name is resolved here and resolved again when httpx connects.
A name with a zero TTL that answers a public address to the check and a private one to the connect
gets through; httpx has no public way to make the connection use the checked address. Literal IPs and
redirects are not affected (checked exactly as connected).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from typing import Awaitable, Callable, Iterable

import httpx

from collectors.base import BlockedAddressError, TransportError
from vocab.config import canonical_host, parse_host_entries

Resolver = Callable[[str, int], Awaitable[list[str]]]
SyncResolver = Callable[[str, int], list[str]]
AllowList = frozenset[tuple[str, int | None]]

_DEFAULT_PORTS = {"http": 80, "https": 443}
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def parse_allow(entries: Iterable[str]) -> AllowList:
    """[http] allow_private_hosts as {(host, port or None)}; ValueError if an entry is malformed."""
    return parse_host_entries(entries)


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def host_port(url: str | httpx.URL) -> tuple[str, int]:
    """Host and port exactly as httpx parses them (the same parser that connects), ASCII host."""
    u = url if isinstance(url, httpx.URL) else httpx.URL(url)
    return canonical_host(u.raw_host.decode("ascii")), u.port or _DEFAULT_PORTS.get(u.scheme, 0)


def allows(allow: AllowList, host: str, port: int) -> bool:
    host = canonical_host(host)
    return (host, None) in allow or (host, port) in allow


def why_not_public(address: str) -> str | None:
    """A short Vietnamese label of why `address` is not a public address, or None when it is."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone (fe80::1%eth0)
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour
        if inner is None and ip in _NAT64:
            inner = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if inner is not None:
            return why_not_public(str(inner))
    if ip.is_loopback:
        return "địa chỉ máy cục bộ (loopback)"
    if ip.is_unspecified:
        return "địa chỉ không xác định"
    if ip.is_link_local:
        return "địa chỉ link-local (gồm dịch vụ metadata của máy chủ đám mây)"
    if ip in _CGNAT:
        return "địa chỉ CGNAT 100.64.0.0/10"
    if ip.is_multicast:
        return "địa chỉ multicast"
    if ip.is_private:
        return "địa chỉ mạng nội bộ"
    if ip.is_reserved or not ip.is_global:
        return "địa chỉ dành riêng, không định tuyến công khai"
    return None


def refusal(host: str, port: int, addresses: Iterable[str]) -> str | None:
    """The staff-facing message if any of the addresses of `host` is not public, else None."""
    for address in addresses:
        why = why_not_public(address)
        if why is not None:
            shown = host if host == address else f"{host} ({address})"
            entry = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
            return (f"Chặn truy cập {shown}: {why}, không phải địa chỉ công khai trên Internet. "
                    f"Nếu đây là máy chủ tin cậy của đơn vị, thêm \"{entry}\" vào "
                    "[http] allow_private_hosts.")
    return None


async def system_resolve(host: str, port: int) -> list[str]:
    """Every address of `host`, from the event loop's getaddrinfo (the resolver httpx/anyio use)."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [info[4][0] for info in infos]


def system_resolve_sync(host: str, port: int) -> list[str]:
    return [info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


async def check(url: str | httpx.URL, allow: AllowList, resolve: Resolver | None = None) -> None:
    """Raise BlockedAddressError unless `url` may be fetched; TransportError if its name does not resolve."""
    host, port = host_port(url)
    if allows(allow, host, port):
        return
    if _is_ip(host):
        addresses = [host]
    else:
        try:
            addresses = await (resolve or system_resolve)(host, port)
        except OSError as exc:
            raise TransportError(f"DNS: {host}: {exc}") from None
    message = refusal(host, port, addresses)
    if message:
        raise BlockedAddressError(message)


def check_sync(url: str, allow: AllowList, resolve: SyncResolver | None = None, *,
               unresolved_ok: bool = True) -> str | None:
    """The refusal message, or None. For forms (admins adding a source) a name that does not resolve
    now is accepted (the fetch checks again each time); just before a request is sent
    (`unresolved_ok=False`) it is refused, since httpx resolves again to connect and a name whose
    lookup fails for the check but answers a private address for the connect would get through."""
    try:
        host, port = host_port(url)
    except (httpx.InvalidURL, UnicodeError):
        return None  # the form's own URL check reports it
    if allows(allow, host, port):
        return None
    if _is_ip(host):
        return refusal(host, port, [host])
    try:
        return refusal(host, port, (resolve or system_resolve_sync)(host, port))
    except OSError as exc:
        return None if unresolved_ok else f"Không tra được địa chỉ của {host} ({exc}): không gửi."
