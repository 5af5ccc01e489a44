"""Runs the due sources: fetch concurrently, write each source's batch in its own transaction.

    run_due(now) ─▶ for each enabled source whose next_due_at has passed (or all, with force):
        registry.get(kind).collect(source, ctx) ──▶ Batch ──▶ store (items + links + health, one txn)
        FetchError / crash ──▶ store (health only): consecutive_failures+1, back-off, error text

A failing source is never disabled: it backs off exponentially (base = its interval, capped at
schedule.max_backoff_hours), honours Retry-After, and its state is on the health table.
New item ids go to `on_new_items` (the NLP pipeline) after the batch is committed.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Callable, Iterable

import httpx

from collectors import registry
from collectors.base import CollectContext, FetchError, Item
from collectors.encoding import plan_repairs
from collectors.http import Fetcher
from langnghe.config import Config, SourceConfig
from store import items as store_items
from store import sources as store_sources
from store.db import Database, utcnow

if TYPE_CHECKING:
    import duckdb

log = logging.getLogger("langnghe.collect")


@dataclass
class RunSummary:
    outcomes: list[store_sources.Outcome] = field(default_factory=list)

    @property
    def items_new(self) -> int:
        return sum(o.items_new for o in self.outcomes)

    @property
    def errors(self) -> list[store_sources.Outcome]:
        return [o for o in self.outcomes if o.outcome == "error"]


def interval_seconds(cfg: Config, source: SourceConfig) -> float:
    minutes = source.interval_minutes or cfg.schedule.default_interval_minutes
    return max(minutes * 60.0, 1.0)


def backoff_seconds(cfg: Config, source: SourceConfig, failures: int, retry_after: float | None) -> float:
    """Delay before the next try after `failures` consecutive failures (this one included)."""
    cap = cfg.schedule.max_backoff_hours * 3600.0
    base = max(interval_seconds(cfg, source), 60.0)
    delay = base * (2 ** max(failures - 1, 0))
    if retry_after is not None:
        delay = max(delay, retry_after)
    return min(delay, cap)


class Runner:
    def __init__(
        self,
        cfg: Config,
        db: Database,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        client: httpx.AsyncClient | None = None,
        on_new_items: Callable[[list[str]], None] | None = None,
        clock: Callable[[], datetime] = utcnow,
    ):
        self.cfg = cfg
        self.db = db
        self.transport = transport
        self.client = client
        self.on_new_items = on_new_items
        self.clock = clock

    def due(self, now: datetime, *, force: bool = False, only: Iterable[str] | None = None) -> list[SourceConfig]:
        return self._due(now, force=force, only=only)[0]

    def _due(
        self, now: datetime, *, force: bool, only: Iterable[str] | None
    ) -> tuple[list[SourceConfig], dict[str, store_sources.SourceState]]:
        """The sources to run now, and the states they were chosen by (their ETags, failure counts)."""
        wanted = set(only) if only else None
        with self.db.read() as cur:
            states = store_sources.get_states(cur)
        out = []
        for src in self.cfg.sources:
            if wanted is not None and src.name not in wanted:
                continue
            if not src.enabled and wanted is None:
                continue
            st = states.get(src.name)
            if force or st is None or st.next_due_at is None or st.next_due_at <= now:
                out.append(src)
        return out, states

    async def run_due(
        self,
        *,
        force: bool = False,
        only: Iterable[str] | None = None,
        progress: Callable[[store_sources.Outcome], None] | None = None,
    ) -> RunSummary:
        now = self.clock()
        sources, states = self._due(now, force=force, only=only)
        summary = RunSummary()
        if not sources:
            return summary
        async with Fetcher(self.cfg.http, client=self.client, transport=self.transport) as fetcher:
            tasks = [self._one(fetcher, src, states.get(src.name)) for src in sources]
            for fut in asyncio.as_completed(tasks):
                outcome = await fut
                summary.outcomes.append(outcome)
                if progress:
                    progress(outcome)
        return summary

    async def _one(
        self, fetcher: Fetcher, src: SourceConfig, state: store_sources.SourceState | None
    ) -> store_sources.Outcome:
        started = self.clock()
        ctx = CollectContext(
            fetch=fetcher.get,
            now=started,
            etag=state.etag if state else None,
            last_modified=state.last_modified if state else None,
            future_tolerance_minutes=self.cfg.http.future_tolerance_minutes,
        )
        failures = (state.consecutive_failures if state else 0) + 1
        try:
            collector = registry.get(src.kind)
            batch = await collector.collect(src, ctx)
        except FetchError as exc:
            return await self._save_error(src, started, exc.kind, str(exc), exc.http_status, exc.retry_after, failures)
        except Exception as exc:  # a bug in one collector must not stop the others
            log.exception("collector %s crashed on %s", src.kind, src.name)
            return await self._save_error(src, started, "crash", f"{type(exc).__name__}: {exc}", None, None, failures)
        finished = self.clock()
        outcome = store_sources.Outcome(
            source=src.name,
            started_at=started,
            finished_at=finished,
            outcome="not_modified" if batch.not_modified else "ok",
            next_due_at=finished + timedelta(seconds=interval_seconds(self.cfg, src)),
            http_status=batch.http_status,
            entries_seen=batch.entries_seen,
            skipped=dict(batch.skipped),
            etag=batch.etag,
            last_modified=batch.last_modified,
            decode_replaced=batch.decode_replaced,
        )

        def save() -> tuple[list[str], list[str]]:
            with self.db.write() as cur:
                repaired = _repair_garbled(cur, batch.items)
                new_ids = store_items.insert_items(cur, batch.items)
                store_sources.record_outcome(
                    cur, _with(outcome, items_new=len(new_ids), items_repaired=len(repaired))
                )
            return new_ids, repaired

        new_ids, repaired = await asyncio.to_thread(save)
        if batch.decode_replaced:
            log.warning("source %s: %d invalid byte sequences replaced while decoding", src.name, batch.decode_replaced)
        # Repaired items (already stored, so never among new_ids) lost their tags: re-tag them with the new ones.
        todo = new_ids + repaired
        if todo and self.on_new_items:
            try:
                await asyncio.to_thread(self.on_new_items, todo)
            except Exception:
                log.exception("processing new items from %s failed; they stay pending", src.name)
        return _with(outcome, items_new=len(new_ids), items_repaired=len(repaired))

    async def _save_error(
        self,
        src: SourceConfig,
        started: datetime,
        kind: str,
        message: str,
        http_status: int | None,
        retry_after: float | None,
        failures: int,
    ) -> store_sources.Outcome:
        finished = self.clock()
        delay = backoff_seconds(self.cfg, src, failures, retry_after)
        outcome = store_sources.Outcome(
            source=src.name,
            started_at=started,
            finished_at=finished,
            outcome="error",
            next_due_at=finished + timedelta(seconds=delay),
            http_status=http_status,
            error_kind=kind,
            error=message[:2000],
        )
        log.warning("source %s failed (%s): %s; next try in %.0f s", src.name, kind, message, delay)

        def save() -> None:
            with self.db.write() as cur:
                store_sources.record_outcome(cur, outcome)

        await asyncio.to_thread(save)
        return outcome


def _repair_garbled(cur: "duckdb.DuckDBPyConnection", items: list[Item]) -> list[str]:
    """Stored items whose text an old wrong decode garbled take the text of their refetch (same URL);
    without this a corrected feed adds nothing and repairs nothing. Returns the repaired ids."""
    stored = store_items.stored_texts(cur, [it.canonical_url for it in items])
    return store_items.repair_texts(cur, plan_repairs(stored, items))


def _with(o: store_sources.Outcome, **changes: object) -> store_sources.Outcome:
    return replace(o, **changes)
