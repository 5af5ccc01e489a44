"""The weekly report on a schedule: a Scheduler hook (langnghe/service.py) that, once the configured day
and time of a week have passed (Vietnam time; default Friday 16:00), generates that week's report for each of
`schedule_areas` into the archive, once per week and area.

    every scheduler tick ── the latest week whose due time has passed (this week's, else last week's)
                            ── archived since it was due (by the schedule or by hand)? ── skip
                            ── a catch-up of a week due before the installation began? ── skip
                            ── generate ── record in report_archive, with «late» judged now
                                        └ [reports] schedule_notify, and the report not empty:
                                          push through the outbox («tạo muộn» when late), in
                                          the archive row's own transaction

Catch-up (round 22): a server down from Friday 16:00 until Monday never archived the week that ended, because only
the current week was looked at. Now the latest due week is made at the next tick when it is not archived, and only
that one: a server off for a month makes last week's report, not a backlog of four. A report made after its week
ended covers the whole week (Monday to Sunday 24:00), where the one made on time is cut at its due time. Its push
says «tạo muộn», and its archive row keeps that verdict (`late`, migration 052), so Lưu trữ does not judge it again
by a schedule changed since. Round 23: only a week due after the installation began is caught up (a new
installation, `make demo`, made last week's report, empty, at its first tick, and pushed it as news), a report staff
made by hand after the week was due counts as made, and an empty report is archived but not pushed.

A failed run is logged, recorded in report_schedule_failures (the Báo cáo page shows it until a later try
archives the report) and retried after `RETRY_MINUTES`, each next wait twice the last up to `RETRY_MOST`: since the
catch-up a week stays due for seven days, and a report that always fails was made again every 30 minutes all week
(336 runs of Chromium, collection paused for each); now 18 (round 22). The check costs one small query per area
and week, then nothing until the next week is due. Generation runs in the scheduler thread (a few seconds once a
week), so collection pauses meanwhile.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Callable

from vocab.config import Config
from reports.generate import Result, archive_weekly
from reports.settings import (WEEKDAYS, ReportSettings, dm, dmy, due_time, parse_week, to_local, to_utc, week_of,
                             week_period)
from store import notify as store_notify
from store import reports as store_reports
from store.db import Database, utcnow

if TYPE_CHECKING:
    import duckdb

log = logging.getLogger("reports.schedule")
RETRY_MINUTES = 30  # the first retry after a failure; each next waits twice as long (`retry_wait`)
RETRY_MOST = timedelta(hours=12)
GENERATED_BY = "schedule"
ARCHIVED = "already archived"
LATE_AFTER = timedelta(hours=1)  # a report made later than this after its due time says it was made late


def due_week(local: datetime, weekday: int, hhmm_text: str) -> str:
    """The latest week whose scheduled report is due at `local` (Vietnam time): this week once its time has passed,
    else last week (whose time has always passed by then; at "24:00" on Sunday it is this week's first minute).
    Until round 22 it was None before this week's time, so a week whose report a stopped server missed was never made."""
    week = week_of(local)
    if local >= due_time(week, weekday, hhmm_text):
        return week
    return week_of(local - timedelta(days=7))


def retry_wait(tries: int) -> timedelta:
    """How long after its `tries`-th failed try a week's report is tried again: 30 minutes, 1 hour, 2, 4, 8, then
    every 12 hours; bounded, and a fault fixed in the meantime (a full disk, a missing Chromium) is still caught."""
    return min(timedelta(minutes=RETRY_MINUTES) * 2 ** max(tries - 1, 0), RETRY_MOST)


def is_late(due: datetime, made: datetime) -> bool:
    """Whether a report made at `made` came later than its due time `due` allows (both in one time zone): a server
    that was down, or tries that failed; the push and the archive say so."""
    return made - due > LATE_AFTER


def made_late(week: str, made_local: datetime, weekday: int, hhmm_text: str) -> bool:
    """`is_late` for the scheduled report of `week` made at `made_local` (Vietnam time)."""
    return is_late(due_time(week, weekday, hhmm_text), made_local)


def late_words(week: str, weekday: int, hhmm_text: str) -> str:
    """«tạo muộn; theo lịch là 16:00 thứ Sáu 04/12/2026»: when it should have come, as the office set it ("24:00"
    stays Sunday's 24:00, not Monday's 00:00)."""
    year, wk = parse_week(week)
    day = WEEKDAYS[weekday - 1]
    day = day[0].lower() + day[1:] if day.startswith("Thứ") else day
    return f"tạo muộn; theo lịch là {hhmm_text.strip()} {day} {dmy(date.fromisocalendar(year, wk, weekday))}"


def ready_note(week: str, title: str, late: str = "") -> str:
    """The push when the schedule has archived a week's report: staff learn it is there without opening the page.
    `title` is the report's own area title (`ReportSettings.area_title`: «tỉnh Nghệ An», «thành phố Hải Phòng»,
    «phường Trường Vinh»; until fix38 the bare area or «toàn tỉnh», even for a city under the centre).
    `late` (`late_words`) when it was made late, so staff know why it comes now and not on the day they expect."""
    year, wk = parse_week(week)
    p = week_period(week)
    span = f"{dm(p.first_day) if p.first_day.year == p.last_day.year else dmy(p.first_day)}–{dmy(p.last_day)}"
    return (f"Lắng Nghe: báo cáo tuần {wk}/{year} ({span}), {title or 'toàn tỉnh'}, đã tạo xong"
            + (f" ({late})" if late else "") + "; tải DOCX, XLSX, PDF ở trang Báo cáo, thẻ «Lưu trữ».")


def weekly_hook(cfg: Config, db: Database, *, settings: ReportSettings | None = None,
                clock: Callable[[], datetime] = utcnow) -> Callable[[], None]:
    """A callable for Scheduler.hooks. `clock` (naive UTC) is for tests."""
    s = settings or ReportSettings.from_config(cfg)
    done: set[tuple[str, str]] = set()
    failed_at: dict[tuple[str, str], tuple[datetime, int]] = {}  # the last failed try and the count of them

    def hook() -> None:
        if not s.schedule_weekday:
            return
        now = clock()
        week = due_week(to_local(now), s.schedule_weekday, s.schedule_time)
        due = to_utc(due_time(week, s.schedule_weekday, s.schedule_time))
        for area in s.scheduled_areas():  # [""] is the office's own area, as Báo cáo's default (fix37)
            key = (week, area)
            if key in done:
                continue
            last, tries = failed_at.get(key, (None, 0))
            if last is not None and now - last < retry_wait(tries):
                continue
            late = is_late(due, now)  # UTC both: the due time already in hand
            with db.read() as cur:
                why_not = _not_to_make(cur, week, area, due, late=late, tried=key in failed_at)
            if why_not == ARCHIVED:  # by hand, maybe while this hook retried: no failure left to show on Báo cáo
                with db.write() as cur:
                    store_reports.clear_schedule_failure(cur, week, area)
            if why_not:
                log.info("weekly report %s %r not made: %s", week, area or "(toàn tỉnh)", why_not)
                done.add(key)
                continue
            def pushed(cur: "duckdb.DuckDBPyConnection", res: Result, week: str = week, area: str = area,
                       late: bool = late) -> None:
                """In the archive row's transaction: a kill after it, before a second one, lost the push for good
                (the next tick finds the week archived; round 28)."""
                store_reports.clear_schedule_failure(cur, week, area)
                if s.schedule_notify and res.n_items:  # an empty report is no news: archived, not pushed
                    words = late_words(week, s.schedule_weekday, s.schedule_time) if late else ""
                    store_notify.enqueue_note(cur, f"report:weekly:{week}:{area}",
                                              ready_note(week, s.area_title(area), words), "/reports", area, now)

            try:
                res = archive_weekly(db, s, week, area=area, generated_by=GENERATED_BY, now=now, late=late,
                                     then=pushed)
            except Exception as exc:  # noqa: BLE001 - keep the scheduler alive; retry later
                log.exception("scheduled weekly report %s %r failed", week, area)
                failed_at[key] = (now, tries + 1)
                _record_failure(db, week, area, now, f"{type(exc).__name__}: {exc}")
                continue
            for err in res.errors:
                log.warning("scheduled weekly report %s %r: %s", week, area, err)
            if res.files:  # archived, and pushed in the same transaction (`pushed`)
                done.add(key)
                failed_at.pop(key, None)
                log.info("weekly report %s %r archived in %.1f s%s, %d items%s: %s", week, area or "(toàn tỉnh)",
                         res.seconds, " (late)" if late else "", res.n_items, "" if res.n_items else " (not pushed)",
                         ", ".join(p.name for p in res.files.values()))
            else:
                failed_at[key] = (now, tries + 1)
                _record_failure(db, week, area, now, "; ".join(res.errors) or "không tạo được tệp nào")

    return hook


def _not_to_make(cur: "duckdb.DuckDBPyConnection", week: str, area: str, due: datetime, *, late: bool,
                 tried: bool) -> str:
    """Why the due `week`'s report for `area` is not to be made now (naive UTC `due`; `late`: made now, it would
    be made late), or "" to make it.
    Made already: by the schedule or by hand, once the week was due (a hand-made report of the week so far, on Friday
    morning, still leaves the schedule's own at 16:00; round 23: staff who made last week's on Monday morning got a
    second one from the catch-up). Not a catch-up of a week before the installation began (round 23: a new
    installation, `make demo`, made and pushed an empty report for last week at its first tick, and one started on
    Friday at 15:59 made two at once: last week's and, a minute later, this week's). `tried`: this hook tried the
    week already and failed; it goes on retrying."""
    if store_reports.archived(cur, "weekly", week, area, made_since=due):
        return ARCHIVED
    if tried or not late:
        return ""
    began = store_reports.install_began(cur)
    if began is None or began > due:
        return f"the installation began at {began} (UTC), after the week's report was due"
    return ""


def _record_failure(db: Database, week: str, area: str, now: datetime, error: str) -> None:
    """Shown on Báo cáo until a later try archives the report: staff waiting for Friday's report otherwise
    saw nothing, the error being only in the server log."""
    try:
        with db.write() as cur:
            store_reports.record_schedule_failure(cur, week, area, now, error)
    except Exception:  # noqa: BLE001 - the scheduler goes on; the log has the failure
        log.exception("could not record the failed weekly report %s %r", week, area)
