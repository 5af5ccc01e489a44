"""robots.txt, fetched through the same polite Fetcher and cached per site.

    kind wants https://site/path ──▶ ensure_allowed(ctx, url)
        cache hit (fresh)  ──▶ urllib.robotparser decides
        miss / stale       ──▶ ctx.fetch(https://site/robots.txt)
              200          ──▶ parsed rules (cached `ttl_seconds`, default 24 h)
              4xx (404…)   ──▶ no rules: everything allowed (RFC 9309 §2.3.1.3)
              5xx / 429    ──▶ "unreachable": treated as full disallow, asked again after 10 minutes
              timeout / connection error ──▶ the same disallow, asked again after 1 minute, then 2, 4, 8, at
                               most 10 while it keeps failing (one timeout at start-up under load kept a
                               source dark for 10 minutes)
        blocked address    ──▶ BlockedAddressError raised as is (the site is not public; collectors/netguard.py)
        disallowed         ──▶ RobotsDisallowed (a FetchError with kind "robots"): the runner records it
                               on source health, so staff see "robots.txt không cho phép …" on the source page
        unreachable        ──▶ RobotsUnreachable (kind "robots_unreachable"), told apart by the Verdict's
                               `unreachable`, never by reading the note: "robots.txt did not answer" asks for
                               patience, "the site forbids us" for another source

Which kinds check: the scrapers of web pages (`html_list`, `telegram`) and full-text extraction. Feeds
and documented JSON APIs are published to be polled and do not consult robots.txt; any source can
opt in or out with the option `respect_robots = true|false`.

Our product token in robots.txt is "LangNghe" (rules for `User-agent: LangNghe` or `*` apply).
"""

from __future__ import annotations

import time
import urllib.robotparser
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from collectors.base import BlockedAddressError, FetchError, HttpStatusError, error_kind_label
from collectors.encoding import decode

PRODUCT_TOKEN = "LangNghe"
DEFAULT_TTL = 24 * 3600.0
UNREACHABLE_TTL = 600.0  # an unreachable robots.txt is asked again after at most this (a 5xx or 429: after this)
RETRY_FIRST_TTL = 60.0  # after a first timeout or connection error; doubled while it keeps failing
_QUICK_RETRY = ("timeout", "transport")  # FetchError kinds asked again sooner: the site may only be slow this once
_clock = time.monotonic  # a function: tests move the clock instead of waiting
_UNREACHABLE = "không tải được robots.txt"  # how an unreachable robots.txt's note starts


class RobotsDisallowed(FetchError):
    """robots.txt of the site disallows this address for us."""

    kind = "robots"


class RobotsUnreachable(RobotsDisallowed):
    """robots.txt did not answer (5xx, 429, timeout, connection error): a disallow for now, asked again later."""

    kind = "robots_unreachable"


@dataclass(frozen=True)
class Verdict:
    """What robots.txt says of one address: allowed or not, the note staff read, and whether robots.txt could not
    be read at all (then the disallow is ours, for now, not the site's rule)."""

    allowed: bool
    note: str
    unreachable: bool = False


@dataclass
class _Entry:
    parser: urllib.robotparser.RobotFileParser
    fetched: float
    ttl: float
    note: str
    failures: int = 0  # timeouts or connection errors in a row, for the next wait
    unreachable: bool = False  # robots.txt did not answer: the disallow-all is a stand-in


_CACHE: dict[str, _Entry] = {}


def clear_cache() -> None:
    _CACHE.clear()


def robots_url(url: str) -> str:
    p = urlsplit(url)
    return urlunsplit((p.scheme, p.netloc, "/robots.txt", "", ""))


def parse_rules(text: str) -> urllib.robotparser.RobotFileParser:
    rp = urllib.robotparser.RobotFileParser()
    rp.parse(text.splitlines())
    return rp


def _allow_all() -> urllib.robotparser.RobotFileParser:
    rp = urllib.robotparser.RobotFileParser()
    rp.allow_all = True
    return rp


def _disallow_all() -> urllib.robotparser.RobotFileParser:
    rp = urllib.robotparser.RobotFileParser()
    rp.disallow_all = True
    return rp


def allowed_by(rp: urllib.robotparser.RobotFileParser, url: str, agent: str = PRODUCT_TOKEN) -> bool:
    """Pure decision on parsed rules."""
    return rp.can_fetch(agent, url)


async def _load(ctx: Any, url: str, ttl: float) -> _Entry:
    key = robots_url(url)
    hit = _CACHE.get(key)
    now = _clock()
    if hit is not None and now - hit.fetched < hit.ttl:
        return hit
    try:
        fetched = await ctx.fetch(key)
        text, _ = decode(fetched.body, fetched.headers.get("content-type"))
        entry = _Entry(parse_rules(text), now, ttl, "theo robots.txt của trang")
    except HttpStatusError as exc:
        status = exc.http_status or 0
        if 400 <= status < 500 and status != 429:
            entry = _Entry(_allow_all(), now, ttl, f"robots.txt trả về HTTP {status}: không có quy tắc")
        else:
            entry = _Entry(_disallow_all(), now, UNREACHABLE_TTL,
                           f"{_UNREACHABLE} (HTTP {status}), tạm coi như bị cấm; sẽ thử lại sau", unreachable=True)
    except BlockedAddressError:
        raise  # the site itself may not be fetched: say so, not "robots.txt unreachable"
    except FetchError as exc:
        wait, failures = _retry_after(exc, hit)
        why = error_kind_label(exc.kind)
        entry = _Entry(_disallow_all(), now, wait, f"{_UNREACHABLE} ({why}), tạm coi như bị cấm; sẽ thử lại sau",
                       failures, unreachable=True)
    _CACHE[key] = entry
    return entry


def _retry_after(exc: FetchError, hit: _Entry | None) -> tuple[float, int]:
    """How long an unreachable robots.txt stays "disallow all", and the failures in a row so far. A timeout or a
    connection error is asked again after RETRY_FIRST_TTL, doubled at each failure in a row up to UNREACHABLE_TTL:
    a slow start-up costs a minute, a dead robots.txt is asked at most every 10 minutes. Other failures: the 10."""
    if exc.kind not in _QUICK_RETRY:
        return UNREACHABLE_TTL, 0
    failures = (hit.failures if hit is not None else 0) + 1
    return min(UNREACHABLE_TTL, RETRY_FIRST_TTL * 2 ** min(failures - 1, 16)), failures


async def verdict(ctx: Any, url: str, *, ttl: float = DEFAULT_TTL) -> Verdict:
    entry = await _load(ctx, url, ttl)
    return Verdict(allowed_by(entry.parser, url), entry.note, entry.unreachable)


async def ensure_allowed(ctx: Any, url: str, *, ttl: float = DEFAULT_TTL) -> None:
    """Raise RobotsDisallowed when robots.txt forbids `url`, RobotsUnreachable when robots.txt could not be read:
    staff read them on Nguồn tin, where "the site forbids us" asks for another source and "robots.txt did not
    answer" only for patience (it is asked again after a minute or more, at most UNREACHABLE_TTL)."""
    v = await verdict(ctx, url, ttl=ttl)
    if v.allowed:
        return
    if v.unreachable:
        raise RobotsUnreachable(f"Chưa thu thập {url}: {v.note}")
    raise RobotsDisallowed(f"robots.txt không cho phép thu thập {url} ({v.note})")
