"""The one polite way collectors touch the network.

    Fetcher.get(url, etag=…, last_modified=…)
      ├─ global semaphore      http.max_concurrency fetches in flight
      ├─ public addresses only every hop checked before it is sent (collectors/netguard.py), except
      │                        the hosts in http.allow_private_hosts; redirects are followed here;
      │                        the connection dials only the addresses it checked (no DNS rebinding)
      ├─ per-host spacing      http.per_host_spacing_seconds between requests to one host
      ├─ whole-fetch deadline  http.fetch_deadline_seconds (a body that never ends cannot hang a worker)
      ├─ streamed body cap     http.max_body_mb (Content-Length checked first, then counted while reading;
      │                        gzip/deflate undone by collectors/decoding.py under the same cap)
      ├─ process-wide budget   http.max_bodies_mb shared by every body being read (collectors/budget.py):
      │                        a declared length is reserved before reading, a streamed body as it comes
      ├─ conditional GET       If-None-Match / If-Modified-Since → Fetched(not_modified=True) on 304
      └─ a source's login      get(url, login=BasicLogin): HTTP Basic on each hop to the login's own origin
                               (scheme, host, port of the source's url) and on no other hop: not on a redirect
                               to another origin (nor on httpx's http→https upgrade, which keeps it), not on
                               a hop that comes back elsewhere; full-text fetches of linked articles use a
                               Fetcher of their own, with no login (fix36)

The network is injected: pass an `httpx.AsyncClient` or a transport (tests use `httpx.MockTransport`
or a server on 127.0.0.1, listed in allow_private_hosts), and a resolver for the address check.
"""

from __future__ import annotations

import asyncio
import base64
import email.utils
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import AsyncIterator
from urllib.parse import urlsplit

import httpx

from collectors import budget as budgets
from collectors import netguard
from collectors.base import (
    DocumentError,
    Fetched,
    FetchTimeout,
    HttpStatusError,
    TooLargeError,
    TransportError,
)
from collectors.decoding import ASKED, BodyDecoder
from vocab import secrets
from vocab.config import HttpConfig

DEFAULT_PORTS = {"http": 80, "https": 443}


def origin(url: str | httpx.URL) -> tuple[str, str, int | None]:
    """(scheme, host, port) of an address as httpx sends it: lower case, the host IDNA-encoded, the scheme's
    default port when none is written (http://h/ and http://h:80/ are one origin)."""
    u = url if isinstance(url, httpx.URL) else httpx.URL(url)
    scheme = u.scheme.lower()
    return scheme, u.host.lower(), u.port if u.port is not None else DEFAULT_PORTS.get(scheme)


_BASIC_CHALLENGE = re.compile(r"(?:^|,)\s*basic\b", re.I)


def auth_scheme(challenge: str) -> str:
    """The scheme a 401's WWW-Authenticate asks for, lower case: «basic» when Basic is among several (httpx joins
    repeated headers: an IIS intranet's «Negotiate, NTLM, Basic realm="noibo"» was read «negotiate,» and its login
    source told only Basic was supported; review36), else the first scheme."""
    if _BASIC_CHALLENGE.search(challenge):
        return "basic"
    return challenge.strip().split(" ", 1)[0].rstrip(",").lower()[:20]


@dataclass(frozen=True)
class BasicLogin:
    """A source's HTTP Basic login and the one origin it is sent to (its url's). The header is kept out of repr,
    and its value is added to what vocab.secrets' log filter hides, as the password is."""

    origin: tuple[str, str, int | None]
    header: str = field(repr=False)

    @classmethod
    def for_url(cls, url: str, username: str, password: str) -> "BasicLogin":
        token = base64.b64encode(f"{username}:{password}".encode("utf-8")).decode("ascii")
        secrets.hide(token)
        return cls(origin(url), f"Basic {token}")

    def covers(self, url: httpx.URL) -> bool:
        try:
            return origin(url) == self.origin
        except (httpx.InvalidURL, UnicodeError):
            return False


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date); None if absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # «²» passes isdigit() and float() refuses it: a crash (round 32)
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    now_ts = now if now is not None else time.time()
    return max(0.0, when.timestamp() - now_ts)


class Fetcher:
    def __init__(
        self,
        cfg: HttpConfig,
        *,
        client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        resolver: netguard.Resolver | None = None,
        budget: budgets.ByteBudget | None = None,
    ):
        self.cfg = cfg
        self._allow = netguard.parse_allow(cfg.allow_private_hosts)
        self.allow = self._allow  # for the kinds that dial themselves (CollectContext.dial)
        self._resolve = resolver  # None: the event loop's getaddrinfo
        self.budget = budget or budgets.shared(int(cfg.max_bodies_mb * 1024 * 1024))
        self._own_client = client is None
        limits = httpx.Limits(max_connections=max(cfg.max_concurrency, 1) * 2)
        mounts: dict = {}
        if client is None and transport is None:
            transport = netguard.async_transport(self._allow, resolver, limits)  # dials checked addresses only
            mounts = netguard.proxy_mounts(lambda url: httpx.AsyncHTTPTransport(proxy=url, limits=limits))
        self.client = client or httpx.AsyncClient(
            transport=transport,
            mounts=mounts,  # the environment's proxies; what they do not carry goes through `transport`
            follow_redirects=False,  # _send follows them, checking each hop's address
            max_redirects=cfg.max_redirects,
            timeout=httpx.Timeout(
                connect=cfg.connect_timeout_seconds,
                read=cfg.read_timeout_seconds,
                write=cfg.read_timeout_seconds,
                pool=cfg.fetch_deadline_seconds,
            ),
            headers={"User-Agent": cfg.user_agent, "Accept-Encoding": ASKED},
            limits=limits,
        )
        self._sem = asyncio.Semaphore(max(cfg.max_concurrency, 1))
        self._host_locks: dict[str, asyncio.Lock] = {}
        self._host_last: dict[str, float] = {}

    async def aclose(self) -> None:
        if self._own_client:
            await self.client.aclose()

    async def __aenter__(self) -> "Fetcher":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def _wait_turn(self, host: str) -> None:
        lock = self._host_locks.setdefault(host, asyncio.Lock())
        async with lock:
            last = self._host_last.get(host)
            if last is not None:
                delay = self.cfg.per_host_spacing_seconds - (time.monotonic() - last)
                if delay > 0:
                    await asyncio.sleep(delay)
            self._host_last[host] = time.monotonic()

    async def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        headers: dict[str, str] | None = None,
        login: BasicLogin | None = None,
    ) -> Fetched:
        """`login`: the source's HTTP Basic, sent only to its origin (BasicLogin.covers), unless the caller gives
        its own Authorization header (an API token), which then stays the caller's."""
        host = urlsplit(url).hostname or ""
        req_headers = dict(headers or {})
        if etag:
            req_headers["If-None-Match"] = etag
        if last_modified:
            req_headers["If-Modified-Since"] = last_modified
        async with self._sem:
            await self._wait_turn(host)
            # a fetch waiting for budget gives up a little before its deadline, to say why
            wait_until = time.monotonic() + self.cfg.fetch_deadline_seconds * 0.9
            try:
                async with asyncio.timeout(self.cfg.fetch_deadline_seconds):
                    return await self._get(url, req_headers, wait_until, login)
            except TimeoutError:
                raise FetchTimeout(
                    f"không nhận đủ câu trả lời trong {self.cfg.fetch_deadline_seconds:g} giây (fetch_deadline_seconds)"
                ) from None
            except httpx.TimeoutException as exc:
                raise FetchTimeout(f"{type(exc).__name__}: hết thời gian chờ") from None
            except httpx.TransportError as exc:
                raise TransportError(f"{type(exc).__name__}: {exc or 'không kết nối được'}") from None
            except (httpx.InvalidURL, UnicodeError) as exc:  # an octal IPv4, a name IDNA cannot encode (redirect)
                raise TransportError(f"địa chỉ không hợp lệ, không gửi yêu cầu: {exc}") from None

    async def _send(self, url: str, headers: dict[str, str], login: BasicLogin | None = None) -> httpx.Response:
        """The final response (streaming, caller closes it), following redirects by hand so that every
        hop's address is checked before anything is sent to it, and the login is on the hops to its origin only
        (httpx drops an Authorization header on a redirect to another origin but keeps it on an http→https upgrade
        of the same host, and never puts it back on a hop that returns: not relied on, decided here each hop)."""
        request = self.client.build_request("GET", url, headers=headers)
        own_auth = any(k.lower() == "authorization" for k in headers)
        for _hop in range(self.cfg.max_redirects + 1):
            await netguard.check(request.url, self._allow, self._resolve)
            if login is not None and not own_auth:
                if login.covers(request.url):
                    request.headers["Authorization"] = login.header
                else:
                    request.headers.pop("Authorization", None)
            resp = await self.client.send(request, stream=True, follow_redirects=False)
            if resp.next_request is None:
                return resp
            await resp.aclose()
            request = resp.next_request
        raise TransportError(f"chuyển hướng quá {self.cfg.max_redirects} lần (max_redirects)")

    async def _get(self, url: str, headers: dict[str, str], wait_until: float,  # noqa: C901
                   login: BasicLogin | None = None) -> Fetched:
        limit = int(self.cfg.max_body_mb * 1024 * 1024)
        resp = await self._send(url, headers, login)
        held = 0  # bytes taken from the process-wide budget, given back however the fetch ends
        try:
            final = str(resp.url)
            hdrs = {k.lower(): v for k, v in resp.headers.items()}
            if resp.status_code == 304:
                return Fetched(url=final, status=304, headers=hdrs, body=b"", not_modified=True)
            if resp.status_code >= 400:
                retry = parse_retry_after(resp.headers.get("retry-after"))
                reason = resp.reason_phrase or ""
                err = HttpStatusError(
                    f"HTTP {resp.status_code} {reason}".strip()
                    + (f"; Retry-After {retry:g} s" if retry is not None else ""),
                    retry_after=retry,
                    http_status=resp.status_code,
                    body=await _error_body(resp),
                )
                err.auth_scheme = auth_scheme(resp.headers.get("www-authenticate", ""))
                raise err
            length = resp.headers.get("content-length", "")
            declared = int(length) if length.isascii() and length.isdigit() else None
            if declared is not None and declared > limit:
                raise TooLargeError(
                    f"nội dung {declared / 1e6:.1f} MB vượt giới hạn {self.cfg.max_body_mb:g} MB (max_body_mb)",
                    http_status=resp.status_code,
                )
            if declared is not None and not resp.headers.get("content-encoding"):
                await self.budget.take(declared, 0, wait_until)
                held = declared
            decoder = _decoder(resp, limit, f"{self.cfg.max_body_mb:g} MB")
            chunks: list[bytes] = []
            size = 0
            async for raw in _raw(resp):
                for chunk in decoder.feed(raw):
                    size += len(chunk)
                    if size > limit:
                        raise TooLargeError(
                            f"nội dung vượt giới hạn {self.cfg.max_body_mb:g} MB (max_body_mb; đã ngừng đọc)",
                            http_status=resp.status_code,
                        )
                    if size > held:
                        await self.budget.take(size - held, held, wait_until)
                        held = size
                    chunks.append(chunk)
            decoder.finish()
            return Fetched(url=final, status=resp.status_code, headers=hdrs, body=b"".join(chunks))
        finally:
            self.budget.give(held)
            await resp.aclose()


def http_date(dt: datetime) -> str:
    return email.utils.format_datetime(dt.replace(tzinfo=timezone.utc), usegmt=True)


# Bytes of an error answer kept to explain it (an API's own message): a constant, what is shown, not what is read.
ERROR_BODY_BYTES = 16384


def _decoder(resp: httpx.Response, limit: int, cap_label: str) -> BodyDecoder:
    """The response's Content-Encoding undone under `limit` (none left for an answer httpx already read)."""
    header = None if resp.is_stream_consumed else ", ".join(resp.headers.get_list("content-encoding"))
    return BodyDecoder(header, limit, cap_label)


async def _raw(resp: httpx.Response) -> AsyncIterator[bytes]:
    """The body as it came over the wire (not aiter_bytes: httpx inflates each read with no bound). An
    injected transport's ready-made answer (tests' MockTransport) is already read and decoded: given whole."""
    if resp.is_stream_consumed:
        yield resp.content
        return
    async for raw in resp.aiter_raw():
        yield raw


async def _error_body(resp: httpx.Response) -> bytes:
    """The start of an error response's body (Graph and Zalo put the error code there), bounded, also
    once decompressed; an undecodable one is empty (the status says enough)."""
    out = b""
    try:
        decoder = _decoder(resp, ERROR_BODY_BYTES * 4, f"{ERROR_BODY_BYTES * 4} B")
        async for raw in _raw(resp):
            out += b"".join(decoder.feed(raw))  # at most 64 KB: the decoder's own cap
            if len(out) >= ERROR_BODY_BYTES:
                break
    except (httpx.HTTPError, DocumentError, TooLargeError):
        pass
    return out[:ERROR_BODY_BYTES]
