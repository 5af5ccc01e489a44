"""Shared pieces of the non-RSS kinds: JSON/HTML decoding, Item building, per-API rate gates.

    RateGate.fetch_json (the open APIs) / fetch_page (robots.txt first; the HTML kinds) ─▶ Fetched
    Fetched ─decode_json / decode_html─▶ document ─kind's pure map_*()─▶ Item
                                                     └─ SkipItem(reason) counted by map_all
    RateGate: one per API (Reddit, Mastodon, Bluesky…), keyed by host. It spaces requests by the
    source's `min_interval_seconds` and reads the API's own budget headers (X-RateLimit-Remaining /
    Reset and the IETF `ratelimit-*` ones); when the budget is spent it raises HttpStatusError with
    retry_after instead of hammering, so the runner backs off exactly like on a 429.

Not a kind (its name starts with "_", so the registry does not import it as one).
"""

from __future__ import annotations

import asyncio
import gzip
import json
import re
import time
from datetime import datetime, timezone
from collections import Counter
from typing import Any, Callable, Iterable, Mapping, Sequence, TypeVar
from urllib.parse import urlsplit

from collectors.base import (  # noqa: F401 (DocumentError, HttpStatusError, SkipItem re-exported)
    ApiError, Batch, CollectContext, DocumentError, Fetched, HttpStatusError, Item, SkipItem, dated_item, map_all,
)
from collectors import robots
from collectors.textutil import (  # noqa: F401 (as_text re-exported: the collectors read JSON fields with it)
    as_text, canonical_url, is_http_url, tidy, visible, without_scripts,
)
from vocab.config import LimitsConfig, SourceConfig
from vocab.numbers import fmt_num
from vocab.timefmt import VN_TZ

T = TypeVar("T")

_HTML_HINT = re.compile(r"^\s*(<!doctype html|<html[\s>])", re.I)
_VN = VN_TZ


def decode_json(fetched: Fetched, limits: LimitsConfig) -> Any:
    """Body → JSON value, whatever charset it came in. An HTML page or broken JSON is a DocumentError, and so is
    an answer over `limits` max_json_mb or max_json_values (a string as long as the body is a copy or two of it
    once parsed and mapped; each value a Python object of 28–64 bytes or more: vocab/langnghe.toml [limits])."""
    if len(fetched.body) > limits.json_bytes:
        raise DocumentError(f"câu trả lời JSON {len(fetched.body) / 1048576:.1f} MB: lớn bất thường (quá "
                            f"{limits.max_json_mb:g} MB, [limits] max_json_mb), không đọc")
    text = fetched.decoded.text
    if not text.strip():
        raise DocumentError("empty response body (expected JSON)")
    if _HTML_HINT.match(text[:200]):
        raise DocumentError("not JSON: the address returned an HTML page (login wall or changed API?)")
    values = text.count(",") + text.count("[") + text.count("{")  # at least the values json.loads would make
    if values > limits.max_json_values:
        raise DocumentError(f"câu trả lời JSON có hơn {fmt_num(limits.max_json_values)} giá trị (khoảng "
                            f"{fmt_num(values)}; [limits] max_json_values): lớn bất thường, không đọc")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DocumentError(f"not JSON: {exc.msg} at line {exc.lineno}") from None
    except RecursionError:  # `[[[[…`: a hostile or broken answer, not a bug of the kind
        raise DocumentError("not JSON: mảng/đối tượng lồng nhau quá sâu (nested too deeply)") from None


def loads(text: str | bytes) -> Any:
    """JSON text → value, or None when it is not JSON (broken, not UTF-8, nested deeper than Python parses):
    for the small extras read beside an answer (an error body, a usage header), where unreadable means unknown."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def answer_json(r: Any, api: str) -> Mapping[str, Any]:
    """A blocking request's answer (an httpx.Response: a reply, a token renewal) as a JSON object, {} when empty.
    Anything else (an HTML page from a proxy, a cut body, a list, `[[[[…`) is an ApiError saying what came back,
    cut short: it was a ValueError or RecursionError out of the reply, past its `except FetchError`."""
    if not r.content:
        return {}
    doc = loads(r.content)
    if isinstance(doc, Mapping):
        return doc
    text = " ".join(r.content.decode("utf-8", "replace").split())
    raise ApiError(f"{api} trả lời không phải JSON như mong đợi (HTTP {r.status_code}): "
                   f"«{text if len(text) <= 120 else text[:120] + '…'}»", http_status=r.status_code)


def obj(value: Any) -> Mapping[str, Any]:
    """`value` if it is a JSON object, else {}: an API's answer read field by field whatever its shape."""
    return value if isinstance(value, Mapping) else {}


def seq(value: Any) -> list[Any]:
    """`value` if it is a JSON array, else [] (a string or an object where a list belongs is no list of entries)."""
    return value if isinstance(value, list) else []


def as_int(value: Any) -> int | None:
    """An integer field (123, 123.0, "123", "-32"), or None when it is none (a list, "abc", 1e999, true)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None  # inf and nan are not integers
    digits = value.strip().lstrip("-") if isinstance(value, str) else ""
    if len(digits) <= 20 and digits.isascii() and digits.isdigit():  # a bounded int(); «²» and «١٢» pass isdigit()
        return int(value.strip())  # and int() refuses the first: a ValueError out of the map (round 32, hostile35)
    return None


async def fetch_page(source: SourceConfig, ctx: Any) -> tuple[Fetched, str]:
    """The source's web page as the HTML collectors read it (html_list, telegram): robots.txt asked first unless the
    source sets `respect_robots = false`, then the answer and its text (decode_html)."""
    if opt(source, "respect_robots", True):
        await robots.ensure_allowed(ctx, source.url)
    fetched = await ctx.fetch(source.url)
    return fetched, decode_html(fetched, ctx.limits)


def decode_html(fetched: Fetched, limits: LimitsConfig) -> str:
    """Body → NFC text of an HTML page (UTF-8, Windows-1258, mislabelled Latin-1…), cut to `limits` max_page_chars
    after its scripts and styles are dropped (as full text does for trafilatura): lexbor keeps a node per element,
    so 5 MB of `<li><a>…</a></li>` was +300 MB and 172,000 rows (bench/hostile_parse.py)."""
    text = fetched.decoded.text
    if len(text) > limits.max_page_chars:
        text = without_scripts(text)[:limits.max_page_chars]
    return text


def parse_iso(value: Any) -> datetime | None:
    """ISO 8601 (with Z, offset, or fractions of any length) or epoch seconds → naive UTC; None if unusable."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(float(value), tz=timezone.utc).replace(tzinfo=None)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    s = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    m = re.match(r"^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2})?)(\.\d+)?(.*)$", s)
    if m:  # fromisoformat in 3.11 accepts 3 or 6 fraction digits only
        frac = (m.group(2) or "")[:7].ljust(7, "0") if m.group(2) else ""
        s = m.group(1) + frac + m.group(3)
    try:
        dt = datetime.fromisoformat(s)
    except ValueError:
        return None
    if dt.tzinfo is None:
        return dt
    try:
        return dt.astimezone(timezone.utc).replace(tzinfo=None)
    except OverflowError:  # «9999-12-31T23:00:00-14:00», «0001-01-01T00:00+14:00»: no UTC time. The post was lost
        return None  # (mapping error), an imported row too (round 32, hostile35); now undated: dated at the fetch


def title_from_text(text: str, limit: int = 120) -> str:
    """A post has no title: its first line, cut at a word boundary."""
    first = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    first = tidy(first)
    if len(first) <= limit:
        return first
    cut = first[:limit].rsplit(" ", 1)[0]
    return (cut or first[:limit]) + "…"


def gz_json(obj: Any) -> bytes:
    return gzip.compress(json.dumps(obj, ensure_ascii=False, default=str).encode("utf-8"))


JSON_ACCEPT = {"Accept": "application/json"}


def to_batch(
    fetched: Fetched,
    entries: Sequence[Any] | None,
    map_one: Callable[..., Item],
    source: SourceConfig,
    ctx: CollectContext,
    *,
    why_none: str | None,
) -> Batch:
    """The common tail of every non-RSS collect(): each entry through the kind's pure
    `map_one(entry, source, fetched_at, future_tolerance_minutes=…)`, skips counted. No entry list at
    all means the response shape changed: one skip counted with `why_none` (None: a plain empty answer)."""
    if entries is None:
        return Batch(skipped=Counter({why_none: 1} if why_none else {}), http_status=fetched.status)
    items, skipped = map_all(
        entries,
        lambda e: map_one(e, source, ctx.now, future_tolerance_minutes=ctx.future_tolerance_minutes),
        gz_json,
        limit=ctx.limits.max_entries,
    )
    return Batch(items=items, skipped=skipped, http_status=fetched.status, entries_seen=len(entries),
                 decode_replaced=fetched.decoded.replaced)


def make_item(
    source: SourceConfig,
    *,
    url: str,
    title: str,
    text: str,
    published: datetime | None,
    fetched_at: datetime,
    future_tolerance_minutes: float = 60.0,
    author: str | None = None,
    guid: str | None = None,
    outlet: str | None = None,
    flags: Iterable[str] = (),
    canonical: str | None = None,
) -> Item:
    """The common tail of every map_*: validate, estimate a missing/future date, hash, NFC."""
    url = tidy(url)
    if not is_http_url(url) and not url.startswith("urn:"):
        raise SkipItem("no http(s) link")
    title = tidy(title)
    text = visible(text).strip()
    if not title and not text:
        raise SkipItem("no title or text")
    if not title:
        title = title_from_text(text)
    canon = canonical or (canonical_url(url) if is_http_url(url) else url)
    return dated_item(source, url=url, canonical=canon, title=title, text=text, published=published,
                      fetched_at=fetched_at, future_tolerance_minutes=future_tolerance_minutes,
                      outlet=tidy(outlet) or source.outlet, guid=guid, author=tidy(author) or None, flags=flags)


def opt(source: SourceConfig, key: str, default: T) -> T:
    """A kind option with its type checked against the default (a wrong type is a config error)."""
    value = source.options.get(key, default)
    if default is not None and not isinstance(value, type(default)):
        if isinstance(default, float) and isinstance(value, int) and not isinstance(value, bool):
            return float(value)  # type: ignore[return-value]
        raise ValueError(f"source {source.name}: option {key!r} must be {type(default).__name__}, got {value!r}")
    return value


# ---------------------------------------------------------------------------------------------------
# Rate gates


def _header_reset(headers: Mapping[str, str], now_epoch: float) -> float | None:
    """Seconds until the API's budget resets, from whichever header style it uses."""
    for key in ("x-ratelimit-reset", "ratelimit-reset"):
        v = headers.get(key)
        if not v:
            continue
        v = v.strip()
        try:
            num = float(v)
        except ValueError:
            dt = parse_iso(v)  # Mastodon: ISO 8601 time
            if dt is None:
                continue
            return max(0.0, dt.replace(tzinfo=timezone.utc).timestamp() - now_epoch)
        # Reddit sends seconds-until-reset; Bluesky an epoch time. Epochs are huge.
        return max(0.0, num - now_epoch) if num > 10**9 else max(0.0, num)
    return None


def _header_remaining(headers: Mapping[str, str]) -> float | None:
    for key in ("x-ratelimit-remaining", "ratelimit-remaining"):
        v = headers.get(key)
        if v is None:
            continue
        try:
            return float(v.strip())
        except ValueError:
            continue
    return None


class RateGate:
    """Per-host spacing and budget for one API, shared by every source of that kind in this process."""

    def __init__(self, name: str):
        self.name = name
        self._last: dict[str, float] = {}
        self._blocked_until: dict[str, float] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    def reset(self) -> None:
        self._last.clear()
        self._blocked_until.clear()
        self._locks.clear()

    async def wait(self, url: str, min_interval: float, *, max_wait: float = 30.0) -> None:
        host = urlsplit(url).hostname or ""
        now = time.time()
        blocked = self._blocked_until.get(host, 0.0)
        if blocked > now:
            wait = blocked - now
            if wait > max_wait:
                raise HttpStatusError(
                    f"{self.name}: rate-limit budget spent; resets in {wait:.0f} s", retry_after=wait, http_status=429
                )
            await asyncio.sleep(wait)
        lock = self._locks.setdefault(host, asyncio.Lock())
        async with lock:
            last = self._last.get(host)
            if last is not None and min_interval > 0:
                delay = min_interval - (time.monotonic() - last)
                if delay > 0:
                    await asyncio.sleep(min(delay, max_wait))
            self._last[host] = time.monotonic()

    def note(self, url: str, headers: Mapping[str, str]) -> None:
        """Read the budget headers of a response; a spent budget blocks the host until its reset."""
        host = urlsplit(url).hostname or ""
        now = time.time()
        remaining = _header_remaining(headers)
        if remaining is not None and remaining < 1:
            reset = _header_reset(headers, now)
            self._blocked_until[host] = now + (reset if reset is not None else 60.0)

    async def fetch(self, ctx: Any, url: str, source: SourceConfig, default_interval: float, **kw: Any) -> Fetched:
        """ctx.fetch through this gate."""
        await self.wait(url, opt(source, "min_interval_seconds", float(default_interval)))
        try:
            fetched = await ctx.fetch(url, **kw)
        except HttpStatusError as exc:
            if exc.http_status == 429:
                host = urlsplit(url).hostname or ""
                self._blocked_until[host] = time.time() + (exc.retry_after or 60.0)
            raise
        self.note(url, fetched.headers)
        return fetched

    async def fetch_json(self, ctx: Any, source: SourceConfig, default_interval: float) -> tuple[Fetched, Any]:
        """The source's address asked for JSON through this gate: the answer and its decoded document (the open
        APIs' collectors, Bluesky, Mastodon and Reddit, each did these two steps)."""
        fetched = await self.fetch(ctx, source.url, source, default_interval, headers=JSON_ACCEPT)
        return fetched, decode_json(fetched, ctx.limits)


_GATES: dict[str, RateGate] = {}


def gate(name: str) -> RateGate:
    """The process-wide gate of one API (created on first use)."""
    g = _GATES.get(name)
    if g is None:
        g = _GATES[name] = RateGate(name)
    return g


def reset_gates() -> None:
    """Forget every gate's timing and budget (tests; a restart does the same)."""
    for g in _GATES.values():
        g.reset()
