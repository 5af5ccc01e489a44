"""Report actions staff take in the dashboard, without Streamlit: save the proposals text, generate a
report into the archive. Each checks the role itself (analysts and admins write; everyone may download).
Errors are ValueError / PermissionError with a Vietnamese message for the page to show."""

from __future__ import annotations

import tempfile
from pathlib import Path

from dashboard import clock
from dashboard.actions import REPORT_TEXT_MAX_CHARS, bounded
from orchestration.accounts import User, role_allows
from reports.generate import (
    Result, archive_rapid, archive_weekly, rapid_key, rapid_report, weekly_key, weekly_report,
)
from reports.settings import ReportSettings, parse_week
from reports.steps import Progress
from store import reports as store_reports
from store.db import Database

AREA_MAX_CHARS = 100  # «Tên địa bàn» typed on Báo cáo: a place's name (as a subscription's «Địa bàn»)


def _need_analyst(user: User) -> None:
    if not role_allows(user.role, "analyst"):
        raise PermissionError("Cần quyền chuyên viên để thao tác với báo cáo.")


def save_weekly_text(db: Database, user: User, week: str, area: str, body: str) -> str:
    _need_analyst(user)
    bounded(body, REPORT_TEXT_MAX_CHARS, "Đề xuất, kiến nghị")
    parse_week(week)
    if db.read_only:
        raise ValueError("Cơ sở dữ liệu đang mở chỉ đọc; chưa lưu được nội dung đề xuất.")
    with db.write() as cur:
        store_reports.save_text(cur, "weekly", weekly_key(week, area), body, user.username, clock.now())
    return "Đã lưu nội dung đề xuất, kiến nghị."


def save_rapid_text(db: Database, user: User, alert_id: str, body: str) -> str:
    _need_analyst(user)
    bounded(body, REPORT_TEXT_MAX_CHARS, "Đề xuất hướng xử lý")
    if db.read_only:
        raise ValueError("Cơ sở dữ liệu đang mở chỉ đọc; chưa lưu được nội dung đề xuất.")
    with db.write() as cur:
        store_reports.save_text(cur, "rapid", rapid_key(alert_id), body, user.username, clock.now())
    return "Đã lưu đề xuất hướng xử lý."


def generate_weekly(db: Database, s: ReportSettings, user: User, week: str, area: str,
                    progress: Progress | None = None) -> Result:
    """Into the archive (recorded), or into a temporary folder when the database is read-only. `progress`: told each
    step as it starts and ends (the page's status box)."""
    _need_analyst(user)
    parse_week(week)
    bounded(area, AREA_MAX_CHARS, "Tên địa bàn")
    if db.read_only:
        return weekly_report(db, s, week, tempfile.mkdtemp(prefix="langnghe-report-"), area=area, progress=progress)
    return archive_weekly(db, s, week, area=area, generated_by=user.username, progress=progress)


def generate_rapid(db: Database, s: ReportSettings, user: User, alert_id: str,
                   progress: Progress | None = None) -> Result:
    _need_analyst(user)
    try:
        if db.read_only:
            return rapid_report(db, s, tempfile.mkdtemp(prefix="langnghe-report-"), alert_id=alert_id,
                                progress=progress)
        return archive_rapid(db, s, alert_id=alert_id, generated_by=user.username, progress=progress)
    except KeyError:
        raise ValueError(f"Không tìm thấy cảnh báo {alert_id}.") from None


def archived_files(dir: str, files: list[str], root: str | None = None) -> list[Path]:
    """The files of an archive row that still exist on disk. A row keeps the absolute folder it was written to;
    after the installation moved (another machine or path, `var/reports/` copied along) that folder is gone, so
    the same `kind/period/time` folder is looked for under today's `[reports] archive_dir` (`root`)."""
    folder = Path(dir)
    if not folder.is_dir() and root and len(folder.parts) >= 3:
        folder = Path(root).resolve().joinpath(*folder.parts[-3:])
    return [p for p in (folder / f for f in files) if p.is_file()]
