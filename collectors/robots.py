"""robots.txt, fetched through the same polite Fetcher and cached per site.

    kind wants https://site/path ──▶ ensure_allowed(ctx, url)
        cache hit (fresh)  ──▶ urllib.robotparser decides
        miss / stale       ──▶ ctx.fetch(https://site/robots.txt)
              200          ──▶ parsed rules (cached `ttl_seconds`, default 24 h)
              4xx (404…)   ──▶ no rules: everything allowed (RFC 9309 §2.3.1.3)
              5xx / network──▶ "unreachable": treated as full disallow, cached only 10 minutes
        blocked address    ──▶ BlockedAddressError raised as is (the site is not public; collectors/netguard.py)
        disallowed         ──▶ RobotsDisallowed (a FetchError with kind "robots"): the runner records it
                               on source health, so staff see "robots.txt không cho phép …" on the source page

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

from collectors.base import BlockedAddressError, FetchError, HttpStatusError
from collectors.encoding import decode

PRODUCT_TOKEN = "LangNghe"
DEFAULT_TTL = 24 * 3600.0
UNREACHABLE_TTL = 600.0
_UNREACHABLE = "không tải được robots.txt"  # how an unreachable robots.txt's note starts


class RobotsDisallowed(FetchError):
    """robots.txt of the site disallows this address for us."""

    kind = "robots"


@dataclass
class _Entry:
    parser: urllib.robotparser.RobotFileParser
    fetched: float
    ttl: float
    note: str


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
    now = time.monotonic()
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
            entry = _Entry(_disallow_all(), now, UNREACHABLE_TTL, f"{_UNREACHABLE} (HTTP {status}), tạm coi như bị cấm; sẽ thử lại sau")
    except BlockedAddressError:
        raise  # the site itself may not be fetched: say so, not "robots.txt unreachable"
    except FetchError as exc:
        entry = _Entry(_disallow_all(), now, UNREACHABLE_TTL, f"{_UNREACHABLE} ({exc.kind}), tạm coi như bị cấm; sẽ thử lại sau")
    _CACHE[key] = entry
    return entry


async def is_allowed(ctx: Any, url: str, *, ttl: float = DEFAULT_TTL) -> tuple[bool, str]:
    entry = await _load(ctx, url, ttl)
    return allowed_by(entry.parser, url), entry.note


async def ensure_allowed(ctx: Any, url: str, *, ttl: float = DEFAULT_TTL) -> None:
    """Raise RobotsDisallowed when robots.txt (or an unreachable robots.txt) forbids `url`. The message tells the two
    apart: staff read it on Nguồn tin, where "the site forbids us" asks for another source and "robots.txt did not
    answer" only for patience (it is asked again after UNREACHABLE_TTL)."""
    ok, note = await is_allowed(ctx, url, ttl=ttl)
    if not ok:
        if note.startswith(_UNREACHABLE):  # not the site's rule: robots.txt did not answer, asked again later
            raise RobotsDisallowed(f"Chưa thu thập {url}: {note}")
        raise RobotsDisallowed(f"robots.txt không cho phép thu thập {url} ({note})")
