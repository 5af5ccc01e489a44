"""Only public addresses are fetched (SSRF guard), unless the deployment allows a host.

    every request the Fetcher sends (source, each redirect hop, article, robots.txt), and every
    notification channel request (orchestration/notify._client: check_sync, an unresolvable name refused)
    and every reply / token renewal of a complaint channel (orchestration/cases._client, the same),
    and every IMAP and SMTP connection (`dialer`: collectors/email_inbox, and notify/channels/email through
    the `dial` orchestration/notify.channel_settings hands it; TLS then verifies the configured name)
        │ host, port as httpx will connect to them
        ├─ listed in [http] allow_private_hosts ("host" or "host:port")  ──▶ sent, no lookup
        ├─ literal IP                                                    ──▶ checked as is
        └─ name ──▶ every address getaddrinfo gives (the event loop's, or an injected resolver)
    any address not public ──▶ BlockedAddressError (kind "blocked_address"): nothing is sent

Not public: loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7…), link-local (169.254/16 with
the cloud metadata service, fe80::/10), CGNAT 100.64/10, multicast, reserved, unspecified (0.0.0.0, ::),
documentation ranges. An IPv4 address carried in IPv6 (::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4
2002::/16) is judged by its IPv4 part.

DNS rebinding (a name with a zero TTL that answers a public address to the check and a private one
to the connect) is closed by connecting only to checked addresses: `async_transport` / `sync_transport`
give httpx a connection pool whose network backend (`GuardedBackend`, `GuardedSyncBackend`) resolves
the name, checks every address and dials one of those very addresses. TLS and the Host header still
use the name (httpcore takes them from the URL, not from the dialled address). The check before each
request stays: it gives the staff-facing refusal early and covers injected transports (tests). With
an HTTP(S) proxy in the environment (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY), the requests it carries are
connected by the proxy (only the check before the request applies to them); what it does not carry (the
other scheme, NO_PROXY hosts) still goes through the guarded pool (`proxy_mounts`).
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import socket
import ssl
import time
from typing import Any, Awaitable, Callable, Iterable, TypeVar

import httpcore
import httpx

from collectors.base import BlockedAddressError, DocumentError, TooLargeError, TransportError
from collectors.decoding import ASKED, BodyDecoder
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
    if not allows(allow, host, port):
        await connect_addresses(host, port, allow, resolve)


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
    return check_host_sync(host, port, allow, resolve, unresolved_ok=unresolved_ok)


def check_host_sync(host: str, port: int, allow: AllowList, resolve: SyncResolver | None = None, *,
                    unresolved_ok: bool = True) -> str | None:
    """`check_sync` for a host and port (a mail server's, which has no http URL)."""
    host = canonical_host(host)
    if allows(allow, host, port):
        return None
    if _is_ip(host):
        return refusal(host, port, [host])
    try:
        return refusal(host, port, (resolve or system_resolve_sync)(host, port))
    except OSError as exc:
        return None if unresolved_ok else f"Không tra được địa chỉ của {host} ({exc}): không gửi."


def _checked(host: str, port: int, allow: AllowList, addresses: list[str]) -> list[str]:
    if not allows(allow, host, port):
        message = refusal(host, port, addresses)
        if message:
            raise BlockedAddressError(message)
    return addresses


async def connect_addresses(host: str, port: int, allow: AllowList, resolve: Resolver | None = None) -> list[str]:
    """The addresses a connection to `host` may dial: every address the name resolves to, each one
    checked (BlockedAddressError if any is not public, as `check`); an allowed host's addresses unchecked."""
    if _is_ip(host):
        return _checked(host, port, allow, [host])
    try:
        return _checked(host, port, allow, await (resolve or system_resolve)(host, port))
    except OSError as exc:
        raise TransportError(f"DNS: {host}: {exc}") from None


def connect_addresses_sync(host: str, port: int, allow: AllowList,
                           resolve: SyncResolver | None = None) -> list[str]:
    """`connect_addresses` for the blocking notification client."""
    if _is_ip(host):
        return _checked(host, port, allow, [host])
    try:
        return _checked(host, port, allow, (resolve or system_resolve_sync)(host, port))
    except OSError as exc:
        raise TransportError(f"DNS: {host}: {exc}") from None


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Dials only addresses it has just resolved and checked, so no second lookup can swap them."""

    def __init__(self, allow: AllowList, resolve: Resolver | None = None,
                 inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self._allow, self._resolve = allow, resolve
        self._inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: Iterable | None = None) -> httpcore.AsyncNetworkStream:
        error: Exception | None = None
        for address in await connect_addresses(host, port, self._allow, self._resolve):
            try:
                return await self._inner.connect_tcp(address, port, timeout=timeout, local_address=local_address,
                                                     socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc  # the next address of the name, as a normal connect would
        raise error or httpcore.ConnectError(f"{host}: no address")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class GuardedSyncBackend(httpcore.NetworkBackend):
    """`GuardedBackend` for the blocking notification client. With `deadline_seconds`, a whole request
    (connect, send, every read of the answer) ends by then (`start_request` sets the clock at each request):
    httpx's timeout bounds each wait alone, so an address that answers a byte at a time held the caller
    for as long as it liked — the scheduler thread, for a notification."""

    def __init__(self, allow: AllowList, resolve: SyncResolver | None = None,
                 deadline_seconds: float | None = None) -> None:
        self._allow, self._resolve = allow, resolve
        self._inner = httpcore.SyncBackend()
        self.deadline_seconds = deadline_seconds
        self.deadline: float | None = None

    def start_request(self) -> None:
        self.deadline = time.monotonic() + self.deadline_seconds if self.deadline_seconds else None

    def left(self, timeout: float | None, error: type[Exception]) -> float | None:
        """The wait allowed now: httpx's per-step timeout, cut to what is left of the request's deadline."""
        if self.deadline is None:
            return timeout
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise error(f"no complete answer within {self.deadline_seconds:g} s (request deadline)")
        return remaining if timeout is None else min(timeout, remaining)

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable | None = None) -> httpcore.NetworkStream:
        error: Exception | None = None
        for address in connect_addresses_sync(host, port, self._allow, self._resolve):
            try:
                stream = self._inner.connect_tcp(address, port, timeout=self.left(timeout, httpcore.ConnectTimeout),
                                                 local_address=local_address, socket_options=socket_options)
                return _DeadlineStream(stream, self)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        raise error or httpcore.ConnectError(f"{host}: no address")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


Dial = Callable[[str, int, "float | None"], socket.socket]


def dial_sync(host: str, port: int, timeout: float | None, allow: AllowList, resolve: SyncResolver | None = None,
              refuse: Callable[[str], Exception] | None = None) -> socket.socket:
    """A TCP connection for the protocols httpx does not speak (IMAP for the complaints mailbox, SMTP for
    e-mail notifications): the name resolved once, every address judged as for a fetch (BlockedAddressError, or
    `refuse(message)`; a name that does not resolve is refused too), then only those addresses dialled. The
    caller starts TLS on the socket with the configured name (SNI and certificate check), never the address."""
    try:
        addresses = connect_addresses_sync(host, port, allow, resolve)
    except (BlockedAddressError, TransportError) as exc:
        if refuse is None:
            raise
        raise refuse(str(exc)) from None
    error: OSError | None = None
    for address in addresses:
        try:
            return socket.create_connection((address, port), timeout)
        except OSError as exc:
            error = exc  # the next address of the name, as a normal connect would
    raise error or OSError(f"{host}: no address")


def dialer(allow: AllowList, resolve: SyncResolver | None = None,
           refuse: Callable[[str], Exception] | None = None) -> Dial:
    """`dial_sync` with the deployment's allow-list bound: what the imaplib/smtplib subclasses call to connect."""

    def dial(host: str, port: int, timeout: float | None) -> socket.socket:
        return dial_sync(host, port, timeout, allow, resolve, refuse)

    return dial


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write waits at most until its backend's request deadline."""

    def __init__(self, inner: httpcore.NetworkStream, backend: GuardedSyncBackend) -> None:
        self._inner, self._backend = inner, backend

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._backend.left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._backend.left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(ssl_context, server_hostname, self._backend.left(timeout, httpcore.ConnectTimeout))
        return _DeadlineStream(inner, self._backend)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """The plain backend of an environment proxy's pool (the proxy is the office's, not checked by the
    guard), on the same request deadline as the guarded pool: a far end that trickles its answer through
    the proxy held the caller as long as it liked."""

    def __init__(self, clock: GuardedSyncBackend) -> None:
        self._clock, self._inner = clock, httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable | None = None) -> httpcore.NetworkStream:
        stream = self._inner.connect_tcp(host, port, timeout=self._clock.left(timeout, httpcore.ConnectTimeout),
                                         local_address=local_address, socket_options=socket_options)
        return _DeadlineStream(stream, self._clock)

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable | None = None) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not used")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


T = TypeVar("T")


def proxy_mounts(proxy_transport: Callable[[str], T]) -> dict[str, T | None]:
    """The environment's proxies as httpx `mounts`, read as httpx reads them (it ignores them once a transport is
    passed): a proxied pattern gets `proxy_transport(proxy_url)` (the proxy connects to the source); a NO_PROXY
    host maps to None, that is the client's own transport — the guarded pool — as does any scheme no proxy
    carries. Empty without proxies."""
    from httpx._utils import get_environment_proxies  # noqa: PLC2701 - httpx's own reading; no public one

    return {pattern: (proxy_transport(url) if url else None) for pattern, url in get_environment_proxies().items()}


@functools.cache
def ssl_context() -> ssl.SSLContext:
    """httpx's default TLS context (its CA bundle, SSL_CERT_FILE/DIR as read at first use), built once per
    process and shared by every pool: loading the CA bundle costs ≈ 20 ms of CPU, and each collect pass, full-text
    pass and notification client built two (the transport's own, then the guarded pool's): ≈ 0.45 s of a demo
    tick. Sharing is safe: our pools all speak HTTP/1.1, the one setting httpcore writes into it per connection."""
    return httpx.create_ssl_context()


def _pool_kwargs(limits: httpx.Limits) -> dict:
    return {"ssl_context": ssl_context(), "max_connections": limits.max_connections,
            "max_keepalive_connections": limits.max_keepalive_connections,
            "keepalive_expiry": limits.keepalive_expiry}


def async_transport(allow: AllowList, resolve: Resolver | None, limits: httpx.Limits) -> httpx.AsyncHTTPTransport:
    """httpx's transport with its connection pool on `GuardedBackend`. httpx (0.29) has no parameter for
    a network backend (encode/httpx PR 3749, open), so the pool it built is replaced after __init__."""
    transport = httpx.AsyncHTTPTransport(limits=limits, verify=ssl_context())  # its own pool: dropped below
    transport._pool = httpcore.AsyncConnectionPool(  # noqa: SLF001 - no public hook; see docstring
        network_backend=GuardedBackend(allow, resolve), **_pool_kwargs(limits))
    return transport


def sync_transport(allow: AllowList, resolve: SyncResolver | None, limits: httpx.Limits,
                   backend: GuardedSyncBackend | None = None) -> httpx.HTTPTransport:
    """`async_transport` for the blocking notification client."""
    transport = httpx.HTTPTransport(limits=limits, verify=ssl_context())  # its own pool: dropped below
    transport._pool = httpcore.ConnectionPool(  # noqa: SLF001
        network_backend=backend or GuardedSyncBackend(allow, resolve), **_pool_kwargs(limits))
    return transport


# The largest answer the blocking client reads, on the wire and once decoded, is [limits] max_answer_mb (1 MB;
# `guarded_client(answer_max_bytes=…)`, given by orchestration from its Config): the APIs it talks to (Telegram,
# Zalo, Graph, a subscriber's webhook) answer a few kilobytes of JSON. Unbounded, httpx read a webhook's answer whole
# and inflated it, so 3 KB sent as "gzip, gzip" became gigabytes in the serve process
# (tests/notify/test_answer_bounds.py).


class _BoundedAnswers(httpx.BaseTransport):
    """Each answer read here, at most `max_bytes` on the wire and once decoded (collectors/decoding.py),
    and handed on already decoded; over the cap, or in a coding we did not ask for, `refuse(message)`."""

    def __init__(self, inner: httpx.BaseTransport, refuse: Callable[[str], Exception], max_bytes: int) -> None:
        self._inner, self._refuse, self._max = inner, refuse, max_bytes

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        resp = self._inner.handle_request(request)
        said = f"{self._max / (1 << 20):.3g} MB"
        try:
            decoder = BodyDecoder(", ".join(resp.headers.get_list("content-encoding")), self._max, said)
            body, wire = bytearray(), 0
            for raw in resp.stream:
                wire += len(raw)
                if wire > self._max:
                    raise TooLargeError(f"câu trả lời của {request.url.host} vượt giới hạn {said}: ngừng đọc")
                body += b"".join(decoder.feed(raw))
            decoder.finish()
        except (TooLargeError, DocumentError) as exc:
            raise self._refuse(f"{request.url.host}: {exc}") from None
        finally:
            resp.close()
        headers = [(k, v) for k, v in resp.headers.raw if k.lower() not in (b"content-encoding", b"content-length")]
        return httpx.Response(resp.status_code, headers=headers, content=bytes(body), extensions=resp.extensions,
                              request=request)

    def close(self) -> None:
        self._inner.close()


def guarded_client(allow: AllowList, timeout: float, refuse: Callable[[str], Exception],
                   deadline_seconds: float | None = None, *, answer_max_bytes: int) -> httpx.Client:
    """The blocking client of requests to addresses that settings or users give (notification channels, complaint
    replies, token renewals): every request checked just before it is sent — a refusal raises `refuse(message)`,
    and a name that does not resolve now is refused too —, then only checked addresses dialled; the
    environment's proxies mounted over it (`proxy_mounts`). With `deadline_seconds`, each request is over by then,
    however slowly the far end answers, directly (`GuardedSyncBackend`) or through a proxy (`_DeadlineBackend`).
    Every answer is read under `answer_max_bytes` ([limits] max_answer_mb), also once decoded (`_BoundedAnswers`)."""
    backend = GuardedSyncBackend(allow, None, deadline_seconds)

    def guard(request: httpx.Request) -> None:
        why = check_sync(str(request.url), allow, unresolved_ok=False)
        if why:
            raise refuse(why)
        backend.start_request()

    limits = httpx.Limits()

    def proxied(url: str) -> httpx.BaseTransport:
        transport = httpx.HTTPTransport(proxy=url, limits=limits)
        if deadline_seconds:  # httpx has no parameter for the proxy pool's backend either (see async_transport)
            transport._pool._network_backend = _DeadlineBackend(backend)  # noqa: SLF001
        return _BoundedAnswers(transport, refuse, answer_max_bytes)

    return httpx.Client(timeout=timeout, event_hooks={"request": [guard]}, headers={"Accept-Encoding": ASKED},
                        transport=_BoundedAnswers(sync_transport(allow, None, limits, backend), refuse,
                                                  answer_max_bytes),
                        mounts=proxy_mounts(proxied))
