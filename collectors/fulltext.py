"""Full article text for press items, extracted with trafilatura, fetched politely.

    new press item ids (after their batch is committed)  or  `langnghe fulltext`
        │ store.fulltext.pending: items with no full-text row yet, fetched in the last max_age_hours
        ▼
    robots.txt check (collectors.robots) ─▶ Fetcher.get(article url)
        │ per-host spacing fulltext.per_host_spacing_seconds (on top of http's), global concurrency
        ▼
    extract_text (pure; trafilatura, no comments, precision first) ─▶ store.fulltext.save
        item_fulltext(item_id, text, status, url, extracted_at) beside the RSS summary

Failures are stored as a status ('robots', 'http_404', 'fetch_timeout', 'empty', 'not_html'), so an
article is tried once; the summary stays what NLP uses for it. NLP reads `store.fulltext.texts_for`.

`wrap_processor(cfg, db, inner)` returns the runner's on_new_items callback that first extracts the
full text of the new press items and then calls `inner` (the NLP processor), so places and topics see
the full text. Not a collector kind.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from dataclasses import dataclass, replace
from datetime import timedelta
from types import SimpleNamespace
from typing import Any, Callable, Iterable

import httpx

from collectors import robots
from collectors.base import FetchError, HttpStatusError
from collectors.encoding import decode
from collectors.http import Fetcher
from langnghe.config import Config, section
from store import fulltext as store_fulltext
from store.db import Database, utcnow

log = logging.getLogger("langnghe.fulltext")


@dataclass(frozen=True)
class FulltextSettings:
    enabled: bool = True
    per_host_spacing_seconds: float = 3.0
    max_per_run: int = 50
    max_age_hours: float = 48.0
    respect_robots: bool = True
    min_chars: int = 200
    source_types: tuple[str, ...] = ("press",)


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
    )


def extract_text(html: str, url: str | None = None, *, min_chars: int = 200) -> str | None:
    """Main text of an article page, or None. Pure (trafilatura on the given HTML)."""
    import trafilatura
    from trafilatura.settings import use_config

    conf = use_config()
    conf.set("DEFAULT", "min_extracted_size", str(max(min_chars, 1)))
    conf.set("DEFAULT", "extraction_timeout", "0")  # signals do not work off the main thread
    text = trafilatura.extract(
        html, url=url, include_comments=False, include_tables=False, favor_precision=True, config=conf
    )
    if not text or len(text.strip()) < min_chars:
        return None
    import unicodedata

    return unicodedata.normalize("NFC", text.strip())


async def fetch_one(fetch: Callable[..., Any], url: str, st: FulltextSettings) -> tuple[str | None, str]:
    """(text, status) for one article address."""
    ctx = SimpleNamespace(fetch=fetch)
    try:
        if st.respect_robots:
            ok, _note = await robots.is_allowed(ctx, url)
            if not ok:
                return None, "robots"
        fetched = await fetch(url)
    except HttpStatusError as exc:
        return None, f"http_{exc.http_status}"
    except FetchError as exc:
        return None, f"fetch_{exc.kind}"
    ctype = fetched.headers.get("content-type", "")
    if ctype and "html" not in ctype.lower():
        return None, "not_html"
    html, _enc = decode(fetched.body, ctype)
    text = await asyncio.to_thread(extract_text, html, fetched.url, min_chars=st.min_chars)
    return (text, "ok") if text else (None, "empty")


async def run(
    cfg: Config,
    db: Database,
    *,
    ids: Iterable[str] | None = None,
    limit: int | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Counter[str]:
    """Extract full text for pending items (all, or only `ids`); return counts per status."""
    st = settings(cfg)
    counts: Counter[str] = Counter()
    if not st.enabled:
        return counts
    now = utcnow()
    with db.read() as cur:
        todo = store_fulltext.pending(cur, limit=limit or st.max_per_run,
                                      since=now - timedelta(hours=st.max_age_hours),
                                      source_types=st.source_types, ids=ids)
    if not todo:
        return counts
    http = replace(cfg.http, per_host_spacing_seconds=max(cfg.http.per_host_spacing_seconds,
                                                          st.per_host_spacing_seconds))
    async with Fetcher(http, transport=transport) as fetcher:

        async def one(item_id: str, url: str) -> None:
            try:
                text, status = await fetch_one(fetcher.get, url, st)
            except Exception as exc:  # one odd page must not stop the rest
                log.warning("full text of %s failed: %s", url, exc)
                text, status = None, "error"
            counts[status] += 1

            def save() -> None:
                with db.write() as cur:
                    store_fulltext.save(cur, item_id, text=text, status=status, url=url, now=utcnow())

            await asyncio.to_thread(save)

        await asyncio.gather(*(one(i, u) for i, u in todo))
    log.info("full text: %s", dict(counts))
    return counts


def wrap_processor(
    cfg: Config, db: Database, inner: Callable[[list[str]], None] | None
) -> Callable[[list[str]], None] | None:
    """on_new_items callback: full text for the new press items first, then `inner` (NLP)."""
    st = settings(cfg)
    if not st.enabled:
        return inner

    def process(new_ids: list[str]) -> None:
        try:
            asyncio.run(run(cfg, db, ids=new_ids))
        except Exception:
            log.exception("full-text extraction failed; items keep their summaries")
        if inner is not None:
            inner(new_ids)

    return process
