"""Full article text for press items, extracted with trafilatura, fetched politely.

    new press item ids (after their batch is committed)  or  `langnghe fulltext`
        │ store.fulltext.pending: items with no full-text row yet (or one to retry), fetched in the last max_age_hours
        ▼
    robots.txt check (collectors.robots) ─▶ Fetcher.get(article url)
        │ per-host spacing fulltext.per_host_spacing_seconds (on top of http's), global concurrency
        ▼
    extract_text (pure; trafilatura, no comments, precision first) ─▶ store.fulltext.save_many
        item_fulltext(item_id, text, status, url, extracted_at, attempts, retry_at) beside the RSS summary

Failures are stored as a status ('robots', 'http_404', 'fetch_timeout', 'fetch_blocked_address' for a
link to a non-public address, 'empty', 'not_html') with no text; the summary stays what NLP uses for it. Most are
final (an article is tried once). Those that may pass (`may_pass`: robots.txt did not answer, the page timed out or
its connection failed, a 5xx answer, the process's body budget was held by other fetches) are tried again by a later
run, RETRY_AFTER after the first try and twice as long after each next, up to [fulltext] max_attempts tries, within
max_age_hours (`next_try`, stored as `retry_at`). Staff read
the statuses in Vietnamese (`status_label`, vocab.labels.FULLTEXT_STATUS_LABELS): `langnghe fulltext` after a run,
Nguồn tin per source (`by_source`, from store.fulltext.status_by_source). NLP reads the summary and then the
first `nlp.fulltext_chars` of the text (`store.tags.items_for_tagging`).

`orchestration.ingest` runs `run(cfg, db, ids=new_ids)` on every batch of new items before NLP, so
places and topics see the full text. A pass brings at most `max_per_run` articles; the catch-up job
(`orchestration.jobs`) fetches the rest every `catchup_minutes` and has them re-tagged. Not a
collector kind; it never tags or groups itself.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any, Callable, Iterable

import httpx

from collectors import robots
from collectors.base import FetchError, HttpStatusError, error_kind_label
from collectors.encoding import decode
from collectors.http import Fetcher
from collectors.textutil import without_scripts
from vocab.config import DEFAULT_LIMITS, Config, LimitsConfig, section
from vocab.labels import FULLTEXT_STATUS_LABELS
from vocab.numbers import number
from collectors.netguard import Resolver
from store import fulltext as store_fulltext
from store.db import Database, utcnow

log = logging.getLogger("langnghe.fulltext")


# What an article page is read for is [limits] max_article_chars (characters handed to trafilatura, after its scripts
# and styles are dropped: its time grows faster than the page, 2.7 MB of paragraphs 22 s, 10 MB over 10 minutes, in
# the ingest path) and max_article_mb (bytes decoded at all: 79 MB decoded whole was +448 MB); `run` takes them from
# the Config it is given, as LimitsConfig.


# Failures that may pass, tried again by a later run (the catch-up job, every catchup_minutes) while the item is within
# max_age_hours, up to [fulltext] max_attempts tries in all, RETRY_AFTER after the first and twice as long after each
# next (10, 20, 40 min…): robots.txt did not answer (5xx, 429, timeout, connection error), so the disallow was ours,
# not the site's; the page timed out, its connection failed, or its server answered 5xx (round 20; until then final);
# [http] max_bodies_mb was held by other fetches until the deadline (fetch_memory_budget: our own memory, not the page;
# a body that could never fit is fetch_too_large first, as max_body_mb <= max_bodies_mb is checked at load).
# Every other status is final (an article is tried once): 4xx, a refusal by robots.txt, a blocked address, a body
# over the cap, a page without text.
ROBOTS_UNREACHABLE = "robots_unreachable"
RETRY_STATUSES: tuple[str, ...] = (ROBOTS_UNREACHABLE, "fetch_timeout", "fetch_transport", "fetch_memory_budget")
RETRY_AFTER = timedelta(seconds=robots.UNREACHABLE_TTL)  # robots.py asks an unreachable robots.txt again after this


def may_pass(status: str) -> bool:
    """Whether a failure with this status is worth another try later (RETRY_STATUSES, or a 5xx answer)."""
    return status in RETRY_STATUSES or (status.startswith("http_5") and len(status) == 8)


def next_try(status: str, tries: int, now: datetime, max_attempts: int) -> datetime | None:
    """When a later run may try an article again after its `tries`-th try ended with `status`: None when final (a
    success, a failure that will not pass, or the last of max_attempts tries)."""
    if not may_pass(status) or tries >= max_attempts:
        return None
    return now + RETRY_AFTER * 2 ** (tries - 1)


@dataclass(frozen=True)
class FulltextSettings:
    enabled: bool = True
    per_host_spacing_seconds: float = 3.0
    max_per_run: int = 50
    max_age_hours: float = 48.0
    respect_robots: bool = True
    min_chars: int = 200
    source_types: tuple[str, ...] = ("press",)
    catchup_minutes: float = 10.0
    max_attempts: int = 3


def settings(cfg: Config) -> FulltextSettings:
    s = section(cfg, "fulltext")
    d = FulltextSettings()
    return FulltextSettings(
        enabled=bool(s.get("enabled", d.enabled)),
        per_host_spacing_seconds=float(s.get("per_host_spacing_seconds", d.per_host_spacing_seconds)),
        max_per_run=int(s.get("max_per_run", d.max_per_run)),
        max_age_hours=float(s.get("max_age_hours", d.max_age_hours)),
        respect_robots=bool(s.get("respect_robots", d.respect_robots)),
        min_chars=int(s.get("min_chars", d.min_chars)),
        source_types=tuple(s.get("source_types", d.source_types)),
        catchup_minutes=float(s.get("catchup_minutes", d.catchup_minutes)),
        max_attempts=int(s.get("max_attempts", d.max_attempts)),
    )


def extract_text(html: str, url: str | None = None, *, min_chars: int = 200,
                 max_html_chars: int = DEFAULT_LIMITS.max_article_chars) -> str | None:
    """Main text of an article page, or None. Pure (trafilatura on the given HTML, cut to `max_html_chars` once its
    scripts and styles are dropped; the shipped [limits] max_article_chars unless given: `fetch_one` gives the
    deployment's)."""
    import trafilatura
    from trafilatura.settings import use_config

    conf = use_config()
    conf.set("DEFAULT", "min_extracted_size", str(max(min_chars, 1)))
    conf.set("DEFAULT", "extraction_timeout", "0")  # signals do not work off the main thread
    if len(html) > max_html_chars:
        html = without_scripts(html)[:max_html_chars]
    text = trafilatura.extract(
        html, url=url, include_comments=False, include_tables=False, favor_precision=True, config=conf
    )
    if not text or len(text.strip()) < min_chars:
        return None
    import unicodedata

    return unicodedata.normalize("NFC", text.strip())


async def fetch_one(fetch: Callable[..., Any], url: str, st: FulltextSettings,
                    fetched_hook: Callable[[], None] | None, limits: LimitsConfig) -> tuple[str | None, str]:
    """(text, status) for one article address. `fetched_hook` is called once the page is in, before extraction;
    `limits` bounds what of the page is decoded and extracted ([limits] max_article_mb, max_article_chars)."""
    ctx = SimpleNamespace(fetch=fetch)
    try:
        if st.respect_robots:
            v = await robots.verdict(ctx, url)
            if not v.allowed:  # the site's refusal is final; a robots.txt that did not answer is asked again later
                return None, ROBOTS_UNREACHABLE if v.unreachable else "robots"
        fetched = await fetch(url)
    except HttpStatusError as exc:
        return None, f"http_{exc.http_status}"
    except FetchError as exc:
        return None, f"fetch_{exc.kind}"
    if fetched_hook is not None:
        fetched_hook()
    ctype = fetched.headers.get("content-type", "")
    if ctype and "html" not in ctype.lower():
        return None, "not_html"
    html, _enc = decode(fetched.body[:limits.article_bytes], ctype)  # a cut multi-byte character is one U+FFFD
    text = await asyncio.to_thread(extract_text, html, fetched.url, min_chars=st.min_chars,
                                   max_html_chars=limits.max_article_chars)
    return (text, "ok") if text else (None, "empty")


class _Writer:
    """Saves finished articles from the event loop: those that finish while a write runs go together in the next
    one (`store.fulltext.save_many`: a fixed number of statements per transaction, however many articles)."""

    def __init__(self, db: Database, clock: Callable[[], datetime]):
        self.db = db
        self.clock = clock
        self._waiting: list[store_fulltext.Extracted] = []
        self._lock = asyncio.Lock()

    async def save(self, row: store_fulltext.Extracted) -> None:
        """Returns once `row` is committed with the others that were waiting. A failed write fails the run; its
        articles have no row, so they stay pending and are fetched again next time."""
        self._waiting.append(row)
        await self.flush()

    async def flush(self) -> None:
        """Write what waits (rows whose saver was cancelled by a stop included), after the write in progress."""
        async with self._lock:
            rows, self._waiting = self._waiting, []
            if rows:
                await asyncio.to_thread(self._write, rows)

    def _write(self, rows: list[store_fulltext.Extracted]) -> None:
        with self.db.write() as cur:
            store_fulltext.save_many(cur, rows, now=self.clock())


async def _until_done_or_stopped(tasks: dict[str, "asyncio.Future[None]"], fetched: set[str],
                                 stop: threading.Event | None) -> int:
    """Wait for every task (by item id), or, once `stop` is set, cancel those whose page is not in yet (`fetched`:
    the others only extract and save, bounded by [limits] max_article_chars) and wait for the rest; returns how many were
    cancelled. The first task that fails fails the run (the others are cancelled)."""
    pending = set(tasks.values())
    cancelled = 0
    try:
        while pending:
            done, pending = await asyncio.wait(pending, timeout=None if stop is None else 0.1,
                                               return_when=asyncio.FIRST_COMPLETED)
            for fut in done:
                if not fut.cancelled():
                    fut.result()
            if stop is not None and stop.is_set() and not cancelled:
                for item_id, fut in tasks.items():
                    if item_id not in fetched and not fut.done():
                        fut.cancel()
                        cancelled += 1
    finally:
        for fut in pending:
            fut.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
    return cancelled


async def run(
    cfg: Config,
    db: Database,
    *,
    ids: Iterable[str] | None = None,
    limit: int | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    ok_ids: list[str] | None = None,
    resolver: Resolver | None = None,
    now: datetime | None = None,
    stop: threading.Event | None = None,
) -> Counter[str]:
    """Extract full text for pending items (all, or only `ids`); return counts per status. The ids of
    the items that got a text are appended to `ok_ids` when given. `now` is the ingest path's clock (a
    replay's simulated time): the `max_age_hours` window is read from it, as the items' `fetched_at` was.
    `stop` (serve stopping) ends the run between articles: fetches in flight are dropped (those articles have no
    row, so the next run fetches them), the articles already fetched are saved."""
    st = settings(cfg)
    counts: Counter[str] = Counter()
    if not st.enabled:
        return counts
    clock: Callable[[], datetime] = (lambda: now) if now is not None else utcnow
    now = clock()
    with db.read() as cur:
        todo = store_fulltext.pending(cur, limit=limit or st.max_per_run,
                                      since=now - timedelta(hours=st.max_age_hours),
                                      source_types=st.source_types, ids=ids, now=now)
    if not todo:
        return counts
    http = replace(cfg.http, per_host_spacing_seconds=max(cfg.http.per_host_spacing_seconds,
                                                          st.per_host_spacing_seconds))
    writer = _Writer(db, clock)
    async with Fetcher(http, transport=transport, resolver=resolver) as fetcher:

        async def one(todo: store_fulltext.Pending) -> None:
            item_id, url = todo.item_id, todo.url
            try:
                text, status = await fetch_one(fetcher.get, url, st, lambda: fetched.add(item_id), cfg.limits)
            except Exception as exc:  # one odd page must not stop the rest
                log.warning("full text of %s failed: %s", url, exc)
                text, status = None, "error"
            counts[status] += 1
            if status == "ok" and ok_ids is not None:
                ok_ids.append(item_id)
            tries = todo.tries + 1
            await writer.save(store_fulltext.Extracted(item_id, text, status, url, tries,
                                                       next_try(status, tries, clock(), st.max_attempts)))

        fetched: set[str] = set()  # pages in: a stop lets their extraction and save finish
        tasks = {p.item_id: asyncio.ensure_future(one(p)) for p in todo}
        left = await _until_done_or_stopped(tasks, fetched, stop)
        await writer.flush()
    if left:
        log.info("full text stopped on request: %d articles left for the next run", left)
    log.info("full text: %s", dict(counts))
    return counts


def retry_lines(rows: Iterable[store_fulltext.Outcomes], max_attempts: int) -> list[str]:
    """What `langnghe fulltext` says of the failures that may pass (store.fulltext.outcomes_since): those waiting for
    another try, and those given up after max_attempts, each by status and tries. Nothing when there are none."""
    waiting = [r for r in rows if r.waiting]
    given_up = [r for r in rows if not r.waiting and may_pass(r.status)]
    out: list[str] = []
    for part, title in ((waiting, f"Bài lỗi tạm thời chờ thử lại (tối đa {max_attempts} lần, "
                                  "ở lượt lấy bù của serve hoặc lần chạy lệnh này sau đó)"),
                        (given_up, "Bài lỗi tạm thời đã thôi thử lại")):
        if part:
            out.append(f"{title}: {sum(r.items for r in part)}")
            out += [f"  {status_label(r.status)} — đã thử {r.tries} lần: {r.items}" for r in part]
    return out


def status_label(status: str) -> str:
    """A full-text status as staff read it (`langnghe fulltext`): the fixed ones from vocab.labels, 'http_<code>'
    and 'fetch_<kind>' from the fetch error labels; an unknown one as it is."""
    if status in FULLTEXT_STATUS_LABELS:
        return FULLTEXT_STATUS_LABELS[status]
    if status.startswith("http_"):
        return f"máy chủ trả lỗi HTTP {status[5:]}"
    if status.startswith("fetch_"):
        return error_kind_label(status[6:])
    return status


@dataclass(frozen=True)
class SourceFulltext:
    """One source's items by full-text outcome, in the groups Nguồn tin shows: got a text, waiting for a run (no row
    yet in the fetch window, or robots.txt that did not answer, tried again), refused by robots.txt, failed to load
    (a timeout or another fetch error, an HTTP error, a page that broke the extractor), and the rest (no text in the
    page, not HTML, too old to be tried). `detail` says every status but 'ok' as `langnghe fulltext` does."""

    source: str
    ok: int = 0
    waiting: int = 0
    robots: int = 0
    failed: int = 0
    other: int = 0
    detail: str = ""


def status_group(status: str, retrying: bool = False) -> str:
    """The SourceFulltext field a stored status (or store.fulltext's WAITING / TOO_OLD) counts in: a failure that a
    later run tries again waits; once its tries are spent (no `retry_at`) it has failed."""
    if status in ("ok", "robots"):
        return status
    if retrying or status == store_fulltext.WAITING:
        return "waiting"
    if status in ("error", ROBOTS_UNREACHABLE) or status.startswith(("http_", "fetch_")):
        return "failed"
    return "other"


def by_source(rows: Iterable[store_fulltext.SourceStatus]) -> list[SourceFulltext]:
    """store.fulltext.status_by_source's rows as one SourceFulltext a source, in the rows' order of sources."""
    counts: dict[str, Counter[str]] = {}
    groups_of: dict[str, Counter[str]] = {}
    for r in rows:
        counts.setdefault(r.source, Counter())[r.status] += r.items
        groups_of.setdefault(r.source, Counter())[status_group(r.status, r.retrying)] += r.items
    out = []
    for source, c in counts.items():
        groups = groups_of[source]
        detail = "; ".join(f"{status_label(k)}: {number(n)}" for k, n in c.most_common() if k != "ok")
        out.append(SourceFulltext(source, detail=detail, **groups))
    return out
