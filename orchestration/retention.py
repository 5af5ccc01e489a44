"""The retention job: purge raw payloads and old items at the ages admins set (or langnghe.toml's), and the
notifications' done outbox rows and send log after [retention] notify_days, and the fetch log after
[retention] fetch_log_days (but the newest rows Nguồn tin shows: store.retention.purge_fetch_log).

    run_retention(stop=)   one transaction: notifications, fetch log, raw payloads (each one statement)
                           then old items, [retention] chunk_items at a time, oldest fetched first, each chunk a
                           transaction that deletes its items whole (store.retention.purge_items) and adds its
                           counts to the run's retention_log rows
                           `stop` set between two chunks: the run ends there, a "stopped" row says how many old
                           items are left, and the next run (next start of serve, or the next command) purges them

Run by `langnghe retention` (Ctrl+C ends it between two chunks) and, once a day, by the scheduler
(orchestration.jobs, JobSpec stoppable: a stop of serve ends it between two chunks as other long jobs end).
Until round 20 the whole purge was one transaction, which a stop of serve could not end.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from store import retention as store_retention
from store import users as store_users
from store.db import Database, utcnow
from vocab.config import Config

log = logging.getLogger("langnghe.retention")


def effective_days(cfg: Config, db: Database) -> tuple[int, int]:
    """(items_days, raw_payload_days): the admin page's saved values (ui_settings) over langnghe.toml."""
    with db.read() as cur:
        saved = store_users.get_settings(cur)
    return (int(saved.get("retention.items_days", cfg.retention.items_days)),
            int(saved.get("retention.raw_payload_days", cfg.retention.raw_payload_days)))


def run_retention(cfg: Config, db: Database, *, dry_run: bool = False, stop: threading.Event | None = None,
                  now: datetime | None = None) -> list[store_retention.Purged]:
    """The job itself: what was purged (or, dry_run, would be: counted in one read of each table, nothing chunked),
    one entry per kind of data; a run `stop` ended has a last entry `store_retention.STOPPED` whose rows are the old
    items left. `now` (the wall clock by default) is the run's time and the cutoffs' origin."""
    now = now or utcnow()
    items_days, raw_days = effective_days(cfg, db)
    if dry_run:
        with db.write() as cur:
            return store_retention.purge(cur, now, raw_payload_days=raw_days, items_days=items_days,
                                         notify_days=cfg.retention.notify_days,
                                         fetch_log_days=cfg.retention.fetch_log_days, dry_run=True)
    with db.write() as cur:
        done = store_retention.purge_notify(cur, now - timedelta(days=cfg.retention.notify_days), False)
        done.append(store_retention.purge_fetch_log(cur, now - timedelta(days=cfg.retention.fetch_log_days)))
        done.append(store_retention.purge_raw(cur, now - timedelta(days=raw_days)))
        store_retention.log_purged(cur, now, done, False)
    done += _purge_items(cfg, db, now, now - timedelta(days=items_days), stop)
    return _merged(done)


def _purge_items(cfg: Config, db: Database, now: datetime, cutoff: datetime,
                 stop: threading.Event | None) -> list[store_retention.Purged]:
    """Old items chunk by chunk until none is left or `stop` is set between two chunks."""
    size = cfg.retention.chunk_items
    done: list[store_retention.Purged] = []
    while True:
        if stop is not None and stop.is_set():
            with db.write() as cur:
                left = store_retention.Purged(store_retention.STOPPED, cutoff,
                                              store_retention.count_old_items(cur, cutoff))
                store_retention.log_purged(cur, now, [left], False)
            log.info("retention stopped on request: %d old items left for the next run", left.rows)
            return done + [left]
        with db.write() as cur:
            part = store_retention.purge_items(cur, now, cutoff, limit=size)
            store_retention.log_purged(cur, now, part, False)
        done += part
        if next(p.rows for p in part if p.what == "items") < size:
            return done


def _merged(purged: list[store_retention.Purged]) -> list[store_retention.Purged]:
    """One entry per kind of data, rows summed over the chunks, in the order first met."""
    rows: dict[str, store_retention.Purged] = {}
    for p in purged:
        had = rows.get(p.what)
        rows[p.what] = p if had is None else store_retention.Purged(p.what, had.cutoff, had.rows + p.rows)
    return list(rows.values())


def stopped_left(purged: list[store_retention.Purged]) -> int | None:
    """How many old items a stopped run left (None: the run finished)."""
    return next((p.rows for p in purged if p.what == store_retention.STOPPED), None)


def hook(cfg: Config, db: Database, *, every_hours: float = 24.0,
         stop: threading.Event | None = None):  # type: ignore[no-untyped-def]
    """A Scheduler hook (service.Scheduler.hooks) that runs the job at most once every `every_hours`. `stop` (serve
    stopping) ends a run between two chunks of items; such a run does not count as the day's (store.retention
    last_run_at), so the next start purges the rest."""
    state = {"last": None}

    def run_if_due() -> None:
        now = utcnow()
        if state["last"] is None:
            with db.read() as cur:
                state["last"] = store_retention.last_run_at(cur)
        if state["last"] is None or (now - state["last"]).total_seconds() >= every_hours * 3600:
            if stopped_left(run_retention(cfg, db, stop=stop, now=now)) is None:
                state["last"] = now

    return run_if_due
