"""What every collector kind shares: the `Item` it produces, the `Collector` protocol, and its errors.

    SourceConfig ──▶ Collector.collect(source, ctx) ──▶ Batch(items, skipped, etag…)
                          │ uses ctx.fetch (politeness, limits, conditional GET)
                          └─ raw entry ──map_*()──▶ Item   (a pure function per kind, tested on fixtures)
                                                   └─ dated_item: the id, the content hash and the effective date

    FetchError                  the fetch or the document failed; the runner records it on source health
      ├── HttpStatusError       4xx/5xx (retry_after set from Retry-After on 429/503)
      ├── FetchTimeout          connect/read timeout, or the whole-fetch deadline
      ├── TransportError        DNS, refused connection, TLS, too many redirects
      ├── TooLargeError         body over http.max_body_mb
      ├── BudgetSpentError      the bytes all fetches in flight may hold (http.max_bodies_mb) are spent
      ├── BlockedAddressError   the host is (or resolves to) a non-public address (collectors/netguard.py)
      ├── DocumentError         not a feed (HTML page), undecodable, unparseable
      └── ApiError              an API answered with its own error (Graph API, Zalo OA, IMAP)
            ├── TokenExpiredError   the access token expired or was revoked: say which source and how to renew
            ├── PermissionError_    the token lacks a permission the request needs
            └── RateLimitedError    the API's usage limit is reached (retry_after from its headers)
    SkipItem                    one entry is unusable; counted with its reason, the rest go on
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cached_property
from datetime import datetime
from typing import TYPE_CHECKING, Awaitable, Callable, ClassVar, Iterable, Protocol, TypeVar, runtime_checkable

from collectors.encoding import Decoded, decode_full
from collectors.textutil import content_hash, effective_published, sha1
from vocab.config import LimitsConfig
from vocab.item import Item

if TYPE_CHECKING:
    import socket

    from vocab.config import SourceConfig


@dataclass
class Batch:
    """What one collection of one source produced."""

    items: list[Item] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    not_modified: bool = False
    http_status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    entries_seen: int = 0
    # Invalid byte sequences the decoder replaced with U+FFFD (collectors/encoding.py), shown on health.
    decode_replaced: int = 0
    # Run by the runner once the batch is committed (not after a failed or interrupted store): a mailbox
    # marks its messages seen only when they are safely stored (collectors/email_inbox.py).
    after_commit: list[Callable[[], None]] = field(default_factory=list)


class FetchError(Exception):
    """A source could not be collected this time. `kind` is a short stable code shown to staff."""

    kind: ClassVar[str] = "error"

    def __init__(self, message: str, *, retry_after: float | None = None, http_status: int | None = None,
                 body: bytes = b""):
        super().__init__(message)
        self.retry_after = retry_after
        self.http_status = http_status
        self.body = body  # the first ERROR_BODY_BYTES of an error response (APIs explain themselves there)
        # a 401's WWW-Authenticate scheme, lower case ("basic", "digest", "bearer"…; "" when none): the Fetcher sets it,
        # the runner says what a login source's refusal or a source without a login means (fix36)
        self.auth_scheme = ""


class HttpStatusError(FetchError):
    kind = "http_status"


class FetchTimeout(FetchError):
    kind = "timeout"


class TransportError(FetchError):
    kind = "transport"


class TooLargeError(FetchError):
    kind = "too_large"


class BudgetSpentError(FetchError):
    """The process-wide body budget is spent by other fetches (collectors/budget.py); the next pass retries."""

    kind = "memory_budget"


class BlockedAddressError(FetchError):
    """Refused before connecting: the address is loopback/private/link-local/reserved (SSRF guard)."""

    kind = "blocked_address"


class DocumentError(FetchError):
    kind = "document"


class ApiError(FetchError):
    kind = "api_error"


class TokenExpiredError(ApiError):
    kind = "token_expired"


class PermissionError_(ApiError):  # noqa: N801 - not the builtin PermissionError
    kind = "permission"


class RateLimitedError(ApiError):
    kind = "rate_limited"


class SkipItem(Exception):
    """Raised by a mapping function for one unusable entry; the message is the counted reason."""


# a failed fetch's kind (FetchError.kind, and the runner's own "crash", "store", "interrupted"), kept as a code in
# fetch_log and source_state → what staff read on Nguồn tin and in messages
ERROR_KIND_LABELS: dict[str, str] = {
    "http_status": "máy chủ trả lỗi HTTP",
    "timeout": "hết thời gian chờ",
    "transport": "không kết nối được",
    "too_large": "nội dung quá lớn",
    "memory_budget": "hết bộ nhớ dành cho tải về",
    "blocked_address": "địa chỉ nội bộ, bị chặn",
    "document": "nội dung hỏng hoặc sai định dạng",
    "api_error": "API báo lỗi",
    "token_expired": "mã truy cập hết hạn",
    "permission": "không có quyền truy cập",
    "rate_limited": "bị giới hạn tần suất",
    "robots": "robots.txt không cho phép",
    "robots_unreachable": "không tải được robots.txt (thử lại sau)",
    "crash": "lỗi chương trình",
    "store": "lỗi khi lưu",
    "interrupted": "dừng giữa chừng",
    "config": "cấu hình nguồn sai",  # not fetched: its saved interval_minutes (runner, fix30)
}


def error_kind_label(kind: str | None) -> str:
    """A fetch error's kind in Vietnamese; a kind without a label (a new collector's own) is shown as it is."""
    return ERROR_KIND_LABELS.get(kind or "", kind or "")


# why an entry or a row was skipped (SkipItem reasons, kept as codes in fetch and import logs) → what staff read
# ENTRIES_CUT: past [limits] max_entries (CollectContext.limits), entries of one answer are counted, not mapped:
# each becomes an Item with its raw payload, so 1.5 million tiny entries in one body were gigabytes.
ENTRIES_CUT = "over the entries one answer may hold"
SKIP_LABELS: dict[str, str] = {
    ENTRIES_CUT: "vượt số tin một lần tải được đọc",
    "left for the next poll (download budget spent)": "để lần thu sau (hết bộ nhớ dành cho tải về)",
    "no title or text": "không có tiêu đề và nội dung",
    "not JSON": "dòng không phải JSON",
    "not an object": "dòng JSON không phải một đối tượng",
    "nested too deeply": "phần tử JSON lồng nhau quá sâu",
    "no http(s) link": "liên kết không phải http(s)",
}


def skip_label(reason: str) -> str:
    """A skip reason in Vietnamese; a reason without a label is shown as it is (a new collector's own)."""
    return SKIP_LABELS.get(reason, reason)


@dataclass(frozen=True)
class Fetched:
    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    not_modified: bool = False

    @cached_property
    def decoded(self) -> Decoded:
        """The body as NFC text with the replaced-sequence count, decoded once however many readers ask."""
        return decode_full(self.body, self.headers.get("content-type"))


FetchFn = Callable[..., Awaitable[Fetched]]


class BodyBudget(Protocol):
    """What a kind that reads bytes without the Fetcher (IMAP) takes them from: collectors/budget.py's ByteBudget.
    Declared here rather than imported from there: budget.py raises this module's BudgetSpentError, and the
    contract every kind sees names what it is given without depending on the module that provides it."""

    total: int

    def try_take(self, n: int) -> bool: ...

    def take_blocking(self, n: int, held: int, wait_until: float, *, then: str = ...) -> None: ...

    def give(self, n: int) -> None: ...


@dataclass
class CollectContext:
    """What the runner hands a collector: a polite fetch, the clock, and the source's saved state."""

    fetch: FetchFn
    now: datetime
    etag: str | None = None
    last_modified: str | None = None
    future_tolerance_minutes: float = 60.0
    # how a kind that speaks no HTTP (IMAP) opens a TCP connection: (host, port, timeout) -> socket, through the
    # public-address guard with the deployment's allow-list (netguard.dialer; the runner gives it). None: the
    # guard with no allow-list, public addresses only
    dial: Callable[[str, int, float | None], "socket.socket"] | None = None
    # the process-wide body budget (`http.max_bodies_mb`, collectors/budget.py) of a kind that reads bytes without
    # the Fetcher (IMAP); the runner gives its Fetcher's. None: only the kind's own per-message cap
    budget: BodyBudget | None = None
    # what the kind makes of one answer at most ([limits]: entries, feed and JSON sizes, page characters, a mail's
    # bytes): the deployment's, which the runner gives; no default, so that no caller reads under other numbers
    # than the toml's by forgetting them (tests pass the shipped ones, vocab.config's)
    limits: LimitsConfig = field(kw_only=True)


@runtime_checkable
class Collector(Protocol):
    kind: ClassVar[str]
    label: ClassVar[str]        # the kind's Vietnamese name on the Nguồn tin page ("Báo điện tử (RSS)")
    description: ClassVar[str]  # one Vietnamese line for staff adding a source: what it brings in, its limits

    async def collect(self, source: "SourceConfig", ctx: CollectContext) -> Batch: ...


T = TypeVar("T")


def map_all(
    entries: Iterable[T],
    fn: Callable[[T], Item],
    raw: Callable[[T], bytes] | None = None,
    *,
    limit: int | None = None,
) -> tuple[list[Item], Counter[str]]:
    """Map every entry; a SkipItem or any error in one entry is a counted reason, never a crash. With `limit`
    ([limits] max_entries, from CollectContext.limits), the entries past it are counted as ENTRIES_CUT, not mapped."""
    items: list[Item] = []
    skipped: Counter[str] = Counter()
    for n, entry in enumerate(entries):
        if limit is not None and n >= limit:
            skipped[ENTRIES_CUT] += 1
            continue
        try:
            item = fn(entry)
        except SkipItem as exc:
            skipped[str(exc)] += 1
            continue
        except Exception as exc:  # changed entry shape: count it, go on
            skipped[f"mapping error: {type(exc).__name__}"] += 1
            continue
        if raw is not None:
            try:
                item = replace(item, raw=raw(entry))
            except Exception:
                pass
        items.append(item)
    return items, skipped


def dated_item(source: SourceConfig, *, url: str, canonical: str, title: str, text: str, published: datetime | None,
               fetched_at: datetime, future_tolerance_minutes: float, outlet: str, guid: str | None,
               author: str | None, flags: Iterable[str] = ()) -> Item:
    """The Item a mapper ends with, its link, title and text already checked: id and content hash from the
    canonical URL, and a missing or future date made effective and flagged (`effective_published`). rss.map_entry and
    _social.make_item (every other kind) each wrote these steps until round 26: what makes two items the same item
    is decided in one place."""
    out_flags = list(flags)
    published, estimated, date_flag = effective_published(published, fetched_at, future_tolerance_minutes)
    if date_flag:
        out_flags.append(date_flag)
    return Item(
        id=sha1(canonical),
        source=source.name,
        collector=source.kind,
        source_type=source.source_type,
        outlet=outlet,
        url=url,
        canonical_url=canonical,
        title=title,
        summary=text,
        published_at=published,
        published_estimated=estimated,
        fetched_at=fetched_at,
        content_hash=content_hash(title, text, canonical),
        guid=guid,
        author=author,
        flags=tuple(out_flags),
    )
