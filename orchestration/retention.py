"""The retention job: purge raw payloads and old items at the ages admins set (or langnghe.toml's), and the
notifications' done outbox rows and send log after [retention] notify_days.

Run by `langnghe retention` and, once a day, by the scheduler (orchestration.jobs).
"""

from __future__ import annotations

from store import retention as store_retention
from store import users as store_users
from store.db import Database, utcnow
from vocab.config import Config


def effective_days(cfg: Config, db: Database) -> tuple[int, int]:
    """(items_days, raw_payload_days): the admin page's saved values (ui_settings) over langnghe.toml."""
    with db.read() as cur:
        saved = store_users.get_settings(cur)
    return (int(saved.get("retention.items_days", cfg.retention.items_days)),
            int(saved.get("retention.raw_payload_days", cfg.retention.raw_payload_days)))


def run_retention(cfg: Config, db: Database, *, dry_run: bool = False) -> list[store_retention.Purged]:
    """The job itself."""
    items_days, raw_days = effective_days(cfg, db)
    with db.write() as cur:
        return store_retention.purge(cur, utcnow(), raw_payload_days=raw_days, items_days=items_days,
                                     notify_days=cfg.retention.notify_days, dry_run=dry_run)


def hook(cfg: Config, db: Database, *, every_hours: float = 24.0):  # type: ignore[no-untyped-def]
    """A Scheduler hook (service.Scheduler.hooks) that runs the job at most once every `every_hours`."""
    state = {"last": None}

    def run_if_due() -> None:
        now = utcnow()
        if state["last"] is None:
            with db.read() as cur:
                state["last"] = store_retention.last_run_at(cur)
        if state["last"] is None or (now - state["last"]).total_seconds() >= every_hours * 3600:
            run_retention(cfg, db)
            state["last"] = now

    return run_if_due
