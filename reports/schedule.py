"""The weekly report on a schedule: a Scheduler hook (langnghe/service.py) that, once the configured day
and time of the current week have passed (Vietnam time; default Friday 16:00), generates that week's
report for each of `schedule_areas` into the archive, once per week and area.

    every scheduler tick ── now ≥ this week's due time? ── already archived by the schedule? ── generate
                                                                                               └ record in report_archive
                                                                                               └ [reports] schedule_notify:
                                                                                                 push through the outbox

A failed run is logged, recorded in report_schedule_failures (the Báo cáo page shows it until a later try
archives the report) and retried after `RETRY_MINUTES`. The check itself costs nothing until the due time,
then one small query per area until the report exists. Generation runs in the scheduler thread (a few
seconds once a week), so collection pauses meanwhile.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Callable

from vocab.config import Config
from reports.generate import archive_weekly
from reports.settings import ReportSettings, dm, dmy, due_time, parse_week, to_local, week_of, week_period
from store import notify as store_notify
from store import reports as store_reports
from store.db import Database, utcnow

log = logging.getLogger("reports.schedule")
RETRY_MINUTES = 30
GENERATED_BY = "schedule"


def due_week(local: datetime, weekday: int, hhmm_text: str) -> str | None:
    """The week whose scheduled report is due at `local` (Vietnam time): this week once its time has passed;
    at "24:00" on Sunday that time is the next week's first minute, so then the week just ended; else None."""
    week = week_of(local)
    if local >= due_time(week, weekday, hhmm_text):
        return week
    prev = week_of(local - timedelta(days=7))
    if due_time(prev, weekday, hhmm_text) >= week_period(week).local_start:  # last week's time is this week's start
        return prev
    return None


def ready_note(week: str, area: str) -> str:
    """The push when the schedule has archived a week's report: staff learn it is there without opening the page."""
    year, wk = parse_week(week)
    p = week_period(week)
    span = f"{dm(p.first_day) if p.first_day.year == p.last_day.year else dmy(p.first_day)}–{dmy(p.last_day)}"
    return (f"Lắng Nghe: báo cáo tuần {wk}/{year} ({span}), {area or 'toàn tỉnh'}, đã tạo xong; tải DOCX, XLSX, "
            "PDF ở trang Báo cáo, thẻ «Lưu trữ».")


def weekly_hook(cfg: Config, db: Database, *, settings: ReportSettings | None = None,
                clock: Callable[[], datetime] = utcnow) -> Callable[[], None]:
    """A callable for Scheduler.hooks. `clock` (naive UTC) is for tests."""
    s = settings or ReportSettings.from_config(cfg)
    done: set[tuple[str, str]] = set()
    failed_at: dict[tuple[str, str], datetime] = {}

    def hook() -> None:
        if not s.schedule_weekday:
            return
        now = clock()
        week = due_week(to_local(now), s.schedule_weekday, s.schedule_time)
        if week is None:
            return
        for area in s.schedule_areas:
            key = (week, area)
            if key in done:
                continue
            last = failed_at.get(key)
            if last is not None and now - last < timedelta(minutes=RETRY_MINUTES):
                continue
            with db.read() as cur:
                if store_reports.archived(cur, "weekly", week, area, GENERATED_BY):
                    done.add(key)
                    continue
            try:
                res = archive_weekly(db, s, week, area=area, generated_by=GENERATED_BY, now=now)
            except Exception as exc:  # noqa: BLE001 - keep the scheduler alive; retry later
                log.exception("scheduled weekly report %s %r failed", week, area)
                failed_at[key] = now
                _record_failure(db, week, area, now, f"{type(exc).__name__}: {exc}")
                continue
            for err in res.errors:
                log.warning("scheduled weekly report %s %r: %s", week, area, err)
            if res.files:
                done.add(key)
                failed_at.pop(key, None)
                with db.write() as cur:
                    store_reports.clear_schedule_failure(cur, week, area)
                    if s.schedule_notify:
                        store_notify.enqueue_note(cur, f"report:weekly:{week}:{area}", ready_note(week, area),
                                                  "/reports", area, now)
                log.info("weekly report %s %r archived in %.1f s: %s", week, area or "(toàn tỉnh)", res.seconds,
                         ", ".join(p.name for p in res.files.values()))
            else:
                failed_at[key] = now
                _record_failure(db, week, area, now, "; ".join(res.errors) or "không tạo được tệp nào")

    return hook


def _record_failure(db: Database, week: str, area: str, now: datetime, error: str) -> None:
    """Shown on Báo cáo until a later try archives the report: staff waiting for Friday's report otherwise
    saw nothing, the error being only in the server log."""
    try:
        with db.write() as cur:
            store_reports.record_schedule_failure(cur, week, area, now, error)
    except Exception:  # noqa: BLE001 - the scheduler goes on; the log has the failure
        log.exception("could not record the failed weekly report %s %r", week, area)
