"""`langnghe retention [--dry-run]`: purge raw payloads and old items as configured, and log it.

retention.raw_payload_days and retention.items_days set the ages. Every run writes what it purged
(or, with --dry-run, would purge) to the retention_log table and prints it.
"""

from __future__ import annotations

import argparse
import sys

from langnghe.config import Config
from store import retention as store_retention
from store.db import Database, DatabaseLocked, utcnow


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("retention", help="purge raw payloads and old items as configured (logged)")
    p.add_argument("--dry-run", action="store_true", help="count what would be purged; delete nothing")
    p.add_argument("--log", action="store_true", help="show the recent retention log instead")
    p.set_defaults(func=run)


def effective_days(cfg: Config, db: Database) -> tuple[int, int]:
    """(items_days, raw_payload_days): the admin page's saved values (ui_settings) over langnghe.toml."""
    try:
        from store import users as store_users

        with db.read() as cur:
            saved = store_users.get_settings(cur)
    except Exception:  # no settings table (dashboard part not installed): the config decides
        saved = {}
    return (int(saved.get("retention.items_days", cfg.retention.items_days)),
            int(saved.get("retention.raw_payload_days", cfg.retention.raw_payload_days)))


def run_retention(cfg: Config, db: Database, *, dry_run: bool = False) -> list[store_retention.Purged]:
    """The job itself."""
    items_days, raw_days = effective_days(cfg, db)
    with db.write() as cur:
        return store_retention.purge(cur, utcnow(), raw_payload_days=raw_days, items_days=items_days,
                                     dry_run=dry_run)


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


def run(args: argparse.Namespace, cfg: Config) -> int:
    try:
        db = Database(cfg.storage.db_path)
    except DatabaseLocked as exc:
        print(f"langnghe retention: {exc}", file=sys.stderr)
        return 3
    with db:
        if args.log:
            with db.read() as cur:
                for r in store_retention.recent_log(cur):
                    flag = " (thử)" if r["dry_run"] else ""
                    print(f"{r['run_at']:%Y-%m-%d %H:%M} {r['what']:28} {r['rows']:>8} dòng  trước {r['cutoff']:%Y-%m-%d}{flag}")
            return 0
        purged = run_retention(cfg, db, dry_run=args.dry_run)
    verb = "Sẽ xoá" if args.dry_run else "Đã xoá"
    for p in purged:
        print(f"{verb} {p.rows} dòng {p.what} (cũ hơn {p.cutoff:%Y-%m-%d %H:%M} UTC)")
    return 0
