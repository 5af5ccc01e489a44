"""`langnghe serve`: the one process that owns the database.

    ┌──────────────── langnghe serve (one process) ─────────────────┐
    │ Scheduler thread:  every schedule.tick_seconds → Runner.run_due │
    │                    every snapshot_every_minutes → db.snapshot   │
    │ Main thread:       Streamlit server (dashboard/app.py)          │
    │                    pages read through runtime.get_db() cursors  │
    └──────────────────────────┬────────────────────────────────────┘
                               ▼
                  var/langnghe.duckdb  (+ snapshot for other processes)

DuckDB allows one process per file, so collection and the dashboard share one handle here.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import threading
import time
from pathlib import Path
from typing import Callable

from collectors.runner import Runner
from langnghe import pipeline, runtime, sources_store
from langnghe.config import Config
from store.db import Database

log = logging.getLogger("langnghe.serve")
APP_PATH = Path(__file__).resolve().parents[1] / "dashboard" / "app.py"


class Scheduler(threading.Thread):
    """Collects due sources on a fixed tick and publishes snapshots, until stopped."""

    def __init__(self, cfg: Config, db: Database, *, runner: Runner | None = None):
        super().__init__(name="langnghe-scheduler", daemon=True)
        self.cfg = cfg
        self.db = db
        self.runner = runner or Runner(cfg, db, on_new_items=pipeline.processor(cfg, db))
        self._sources_base = self.runner.cfg  # langnghe.toml sources; dashboard edits are merged over them
        self._stop_event = threading.Event()  # not `_stop`: Thread.join() calls its own _stop()
        self.passes = 0
        self.hooks: list[Callable[[], None]] = []  # extra periodic jobs (alerts, retention…)

    def stop(self) -> None:
        self._stop_event.set()

    def run(self) -> None:
        loop = asyncio.new_event_loop()
        last_snapshot = 0.0
        try:
            while not self._stop_event.is_set():
                try:
                    # sources edited by admins in the dashboard (config store) apply from the next tick
                    self.runner.cfg = sources_store.effective_config(self._sources_base, self.db)
                    summary = loop.run_until_complete(self.runner.run_due())
                    if summary.outcomes:
                        log.info(
                            "collected %d sources: %d new items, %d errors",
                            len(summary.outcomes), summary.items_new, len(summary.errors),
                        )
                    for hook in self.hooks:
                        hook()
                except Exception:
                    log.exception("scheduler pass failed; retrying next tick")
                self.passes += 1
                every = self.cfg.storage.snapshot_every_minutes * 60
                if every > 0 and time.monotonic() - last_snapshot >= every:
                    try:
                        self.db.snapshot(self.cfg.storage.snapshot_path)
                        last_snapshot = time.monotonic()
                    except Exception:
                        log.exception("snapshot failed")
                self._stop_event.wait(self.cfg.schedule.tick_seconds)
        finally:
            loop.close()


def run_dashboard(cfg: Config) -> None:
    """Start Streamlit in this thread (blocks until the server stops)."""
    from streamlit.web import bootstrap

    flags = {
        "server_port": cfg.dashboard.port,
        "server_address": cfg.dashboard.host,
        "server_headless": True,
        "server_fileWatcherType": "none",
        "server_runOnSave": False,
        "browser_gatherUsageStats": False,
        "global_developmentMode": False,
        "client_toolbarMode": "minimal",
        "theme_base": "light",
    }
    bootstrap.load_config_options(flag_options=flags)  # without this, run() ignores the flags (port…)
    bootstrap.run(str(APP_PATH), False, [], flags)


# Periodic jobs run after each collection pass, in this order: (module, factory(cfg, db) -> callable).
# A job that fails to start is logged and skipped; serve runs on without it.
HOOKS: tuple[tuple[str, str, str], ...] = (
    ("nlp.service", "scheduler_hook", "tag stored items still untagged, or tagged by an older model"),
    ("nlp.detect_service", "scheduler_hook", "stories and emerging-issue alerts, every tick"),
    ("collectors.fulltext", "scheduler_hook", "full text a busy pass left out, then re-tag those items"),
    ("langnghe.reports.schedule", "weekly_hook", "weekly report into the archive at [reports] schedule"),
    ("langnghe.commands.retention", "hook", "retention purge, once a day"),
    ("langnghe.commands.search", "hook", "search index: index stragglers, re-sort the postings when needed"),
)


def install_hooks(scheduler: Scheduler, cfg: Config, db: Database) -> list[str]:
    installed = []
    for module, factory, what in HOOKS:
        try:
            scheduler.hooks.append(getattr(importlib.import_module(module), factory)(cfg, db))
            installed.append(module)
        except Exception:
            log.exception("periodic job not started: %s (%s.%s)", what, module, factory)
    return installed


def serve(cfg: Config, *, before_start: Callable[[Database], None] | None = None) -> int:
    db = Database(cfg.storage.db_path)
    runtime.install(cfg, db)
    if before_start:
        before_start(db)
    scheduler = Scheduler(cfg, db)
    install_hooks(scheduler, cfg, db)
    # Import the heavy libraries once, here, before any other thread exists: a module imported for the
    # first time by two threads at once can be seen half-initialised (seen: pandas under streamlit).
    import pandas  # noqa: F401
    import plotly.express  # noqa: F401
    import streamlit.web.bootstrap  # noqa: F401

    scheduler.start()
    url = f"http://{cfg.dashboard.host}:{cfg.dashboard.port}"
    print(f"Lắng Nghe đang chạy: mở {url} (Ctrl+C để dừng)", flush=True)
    try:
        run_dashboard(cfg)
    finally:
        scheduler.stop()
        scheduler.join(timeout=30)
        try:
            db.snapshot(cfg.storage.snapshot_path)
        except Exception:
            log.exception("final snapshot failed")
        db.close()
    return 0
