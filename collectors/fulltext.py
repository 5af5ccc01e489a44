"""Full article text for press items, extracted with trafilatura, fetched politely.

    new press item ids (after their batch is committed)  or  `langnghe fulltext`
        │ store.fulltext.pending: items with no full-text row yet (or one to retry), fetched in the last max_age_hours
        ▼
    robots.txt check (collectors.robots) ─▶ Fetcher.get(article url)
        │ per-host spacing fulltext.per_host_spacing_seconds (on top of http's), global concurrency
        ▼
    extract_text (pure; trafilatura, no comments, precision first) ─▶ store.fulltext.save
        item_fulltext(item_id, text, status, url, extracted_at) beside the RSS summary

Failures are stored as a status ('robots', 'http_404', 'fetch_timeout', 'fetch_blocked_address' for a
link to a non-public address, 'empty', 'not_html') with no text, so an article is tried once; the
summary stays what NLP uses for it. The exception is 'robots_unreachable' (robots.txt did not answer, so the
site refused nothing): tried again by a later run once RETRY_AFTER has gone by, within max_age_hours. Staff read
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
from vocab.config import Config, section
from vocab.labels import FULLTEXT_STATUS_LABELS
from vocab.numbers import number
from collectors.netguard import Resolver
from store import fulltext as store_fulltext
from store.db import Database, utcnow

log = logging.getLogger("langnghe.fulltext")


# Characters of an article page handed to trafilatura, after its scripts and styles are dropped: its time grows
# faster than the page (1.4 MB of paragraphs 4 s, 2.7 MB 22 s, 10 MB over 10 minutes, in the ingest path). Real
# article pages are far below; NLP reads only the first nlp.fulltext_chars of the text anyway.
MAX_HTML_CHARS = 500_000
# Bytes of an article page decoded at all: the first 8 MB (a page's scripts come before its text, rarely 1 MB of
# them). Decoded whole, 79 MB of paragraphs held the text twice more (lower-cased, then without scripts): +448 MB.
MAX_HTML_BYTES = 8 * 1024 * 1024


# Statuses that may pass, tried again by a later run (the catch-up job, every catchup_minutes) while the item is
# within max_age_hours, once RETRY_AFTER has gone by: robots.txt did not answer (5xx, 429, timeout, connection
# error), so the disallow was ours, not the site's. Every other status is final (an article is tried once).
ROBOTS_UNREACHABLE = "robots_unreachable"
RETRY_STATUSES: tuple[str, ...] = (ROBOTS_UNREACHABLE,)
RETRY_AFTER = timedelta(seconds=robots.UNREACHABLE_TTL)  # robots.py asks an unreachable robots.txt again after this


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
    )


def extract_text(html: str, url: str | None = None, *, min_chars: int = 200) -> str | None:
    """Main text of an article page, or None. Pure (trafilatura on the given HTML)."""
    import trafilatura
    from trafilatura.settings import use_config

    conf = use_config()
    conf.set("DEFAULT", "min_extracted_size", str(max(min_chars, 1)))
    conf.set("DEFAULT", "extraction_timeout", "0")  # signals do not work off the main thread
    if len(html) > MAX_HTML_CHARS:
        html = without_scripts(html)[:MAX_HTML_CHARS]
    text = trafilatura.extract(
        html, url=url, include_comments=False, include_tables=False, favor_precision=True, config=conf
    )
    if not text or len(text.strip()) < min_chars:
        return None
    import unicodedata

    return unicodedata.normalize("NFC", text.strip())


async def fetch_one(fetch: Callable[..., Any], url: str, st: FulltextSettings,
                    fetched_hook: Callable[[], None] | None = None) -> tuple[str | None, str]:
    """(text, status) for one article address. `fetched_hook` is called once the page is in, before extraction."""
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
    html, _enc = decode(fetched.body[:MAX_HTML_BYTES], ctype)  # a cut multi-byte character is one U+FFFD
    text = await asyncio.to_thread(extract_text, html, fetched.url, min_chars=st.min_chars)
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
    the others only extract and save, bounded by MAX_HTML_CHARS) and wait for the rest; returns how many were
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
                                      source_types=st.source_types, ids=ids,
                                      retry=RETRY_STATUSES, retry_before=now - RETRY_AFTER)
    if not todo:
        return counts
    http = replace(cfg.http, per_host_spacing_seconds=max(cfg.http.per_host_spacing_seconds,
                                                          st.per_host_spacing_seconds))
    writer = _Writer(db, clock)
    async with Fetcher(http, transport=transport, resolver=resolver) as fetcher:

        async def one(item_id: str, url: str) -> None:
            try:
                text, status = await fetch_one(fetcher.get, url, st, lambda: fetched.add(item_id))
            except Exception as exc:  # one odd page must not stop the rest
                log.warning("full text of %s failed: %s", url, exc)
                text, status = None, "error"
            counts[status] += 1
            if status == "ok" and ok_ids is not None:
                ok_ids.append(item_id)
            await writer.save(store_fulltext.Extracted(item_id, text, status, url))

        fetched: set[str] = set()  # pages in: a stop lets their extraction and save finish
        tasks = {i: asyncio.ensure_future(one(i, u)) for i, u in todo}
        left = await _until_done_or_stopped(tasks, fetched, stop)
        await writer.flush()
    if left:
        log.info("full text stopped on request: %d articles left for the next run", left)
    log.info("full text: %s", dict(counts))
    return counts


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


def status_group(status: str) -> str:
    """The SourceFulltext field a stored status (or store.fulltext's WAITING / TOO_OLD) counts in."""
    if status in ("ok", "robots"):
        return status
    if status in (store_fulltext.WAITING, *RETRY_STATUSES):
        return "waiting"
    if status == "error" or status.startswith(("http_", "fetch_")):
        return "failed"
    return "other"


def by_source(rows: Iterable[store_fulltext.SourceStatus]) -> list[SourceFulltext]:
    """store.fulltext.status_by_source's rows as one SourceFulltext a source, in the rows' order of sources."""
    counts: dict[str, Counter[str]] = {}
    for r in rows:
        counts.setdefault(r.source, Counter())[r.status] += r.items
    out = []
    for source, c in counts.items():
        groups: Counter[str] = Counter()
        for status, n in c.items():
            groups[status_group(status)] += n
        detail = "; ".join(f"{status_label(k)}: {number(n)}" for k, n in c.most_common() if k != "ok")
        out.append(SourceFulltext(source, detail=detail, **groups))
    return out
