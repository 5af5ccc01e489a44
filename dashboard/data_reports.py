"""Cached reads for the Báo cáo page, the rapid-report button and the report's Bảng 4 / 5 on Chủ đề & địa bàn (same
pattern as dashboard/data.py: `st.cache_data(ttl)` over named functions of store/reports.py and reports/; no SQL here)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import data
from reports.generate import build_weekly_report
from reports.html_out import render_html
from reports.settings import (ReportSettings, last_complete_week, recent_weeks, report_week, to_local, week_of,
                              week_period)
from store import reports as store_reports
from store.reports import Window

TTL = 10
PREVIEW_TTL = 60
PREVIEW_ROWS = 100  # rows of each table in the preview (the files have them all)
WEEKS_OFFERED = 12  # weeks the «Tuần» box of Báo cáo and Chủ đề & địa bàn offers, the current one first


def settings() -> ReportSettings:
    """The config's report settings with the admin's saved masking switch (as the files are written): the page's
    preview must not print what the pages mask."""
    return ReportSettings.from_config(data.config()).with_saved_masking(data.ui_settings())


def weeks(n: int = WEEKS_OFFERED) -> list[str]:
    """The current ISO week (Vietnam time) and the ones before it, newest first."""
    return recent_weeks(data.now(), n)


def default_week(s: ReportSettings) -> str:
    """The week the page opens on: the one the office files now (reports.settings.report_week), as the CLI and
    the schedule; `s` is the page's settings(), built once per draw."""
    return report_week(data.now(), s.schedule_weekday, s.schedule_time)


def ended_week() -> str:
    """The week Chủ đề & địa bàn opens its «Tuần báo cáo» on: the last one that has ended (Monday to Sunday)."""
    return last_complete_week(data.now())


def window(period: str) -> Window:
    """A period of Chủ đề & địa bàn as the report's window: an ISO week ('2026-W48', cut at now while it runs, as
    the report of the current week is) or the last N days ('7') against the N days before."""
    now = data.now()
    if period.isdigit():
        d = timedelta(days=int(period))
        return Window(start=now - d, end=now, prev_start=now - 2 * d, prev_end=now - d)
    return week_period(period, now).window


def week_cut(week: str) -> datetime | None:
    """Where the running week `week` is cut (now, Vietnam time), or None once it has ended. Why: its «Tuần trước»
    counts the week before only up to the same weekday and hour (`week_period`), not the whole of it."""
    p = week_period(week, data.now())
    return p.local_end if p.cut else None


def week_before(week: str) -> str:
    """The ISO week before `week` ('2027-W01' → '2026-W53'), as the «Tuần trước» bars count it."""
    return week_of(to_local(week_period(week, data.now()).window.prev_start))


@st.cache_data(ttl=TTL, show_spinner=False)
def latest_archived(week: str, area: str) -> dict[str, Any] | None:
    """The newest archived weekly report of `week` and `area` ({generated_at in Vietnam time, generated_by}), or None:
    Báo cáo says it is in Lưu trữ before staff make it again (round 23)."""
    with data.db().read() as cur:
        row = store_reports.latest_archived(cur, "weekly", week, area)
    return row and {**row, "generated_at": to_local(row["generated_at"])}


@st.cache_data(ttl=PREVIEW_TTL, show_spinner=False)  # 0.9 s at 50,000 items a week (seed_week)
def topics_and_places(period: str, in_area_only: bool) -> dict[str, Any]:
    """Bảng 4 and Bảng 5 of the weekly report for `period` (store.reports.topics_and_places, the report's own
    query), in the watched area or, with `in_area_only` off, every tagged item; as many places as Bảng 5 lists."""
    with data.db().read() as cur:
        return store_reports.topics_and_places(cur, window(period), None, in_area_only=in_area_only,
                                               top_places=settings().top_places)


@data.feed_text
@st.cache_data(ttl=PREVIEW_TTL, show_spinner=False)
def figure_items(period: str, in_area_only: bool, topic: str | None, unit: str | None, previous: bool = False,
                 limit: int = 200) -> tuple[pd.DataFrame, int]:
    """The items behind one topic's or one unit's figure of `topics_and_places` (newest first, at most `limit`) and
    how many there are, in the period or with `previous` the one before it; times in Vietnam time, @mentions masked
    as on the other pages."""
    with data.db().read() as cur:
        df, total = store_reports.scope_items(cur, window(period), None, in_area_only=in_area_only, topic=topic,
                                              unit=unit, previous=previous, limit=limit)
    return data.to_local(df, "published_at"), total


@st.cache_data(ttl=TTL, show_spinner=False)
def saved_text(kind: str, key: str) -> dict[str, Any] | None:
    with data.db().read() as cur:
        return store_reports.get_text(cur, kind, key)


SCHEDULE_FAILURE_DAYS = 14  # a failed scheduled report stays on Báo cáo this long unless a try archives it


@st.cache_data(ttl=TTL, show_spinner=False)
def schedule_failures() -> list[dict[str, Any]]:
    """Scheduled weekly reports not archived because their latest try failed (reports/schedule.py)."""
    with data.db().read() as cur:
        return store_reports.schedule_failures(cur, data.now() - timedelta(days=SCHEDULE_FAILURE_DAYS))


@st.cache_data(ttl=TTL, show_spinner=False)
def archive(kind: str | None = None, limit: int = 100) -> pd.DataFrame:
    with data.db().read() as cur:
        df = store_reports.list_archive(cur, kind, limit)
    return data.to_local(df, "generated_at")


@st.cache_data(ttl=PREVIEW_TTL, show_spinner="Đang dựng bản xem trước…")
def preview_html(week: str, area: str, proposals: str) -> tuple[str, int]:
    """The weekly report as HTML (long tables cut to PREVIEW_ROWS; charts are in the files) and its item count."""
    s = settings()
    built, _ = build_weekly_report(data.db(), s, week, area, now=data.now(), proposals=proposals)
    for im in built.doc.images():
        im.missing_text = f"({im.caption}: có trong tệp DOCX và PDF tải về.)"
    return render_html(built.doc, size=s.font_size, max_rows=PREVIEW_ROWS), built.n_items


@st.cache_data(ttl=TTL, show_spinner=False)
def rapid_archive(key: str) -> pd.DataFrame:
    df = archive("rapid", 500)
    return df[df["period"] == key] if len(df) else df
