"""Report fixtures: a seeded week (through the owning parts' store functions), the reports made once per
module, and independent SQL to check the reports' numbers against the database."""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from vocab import config as config_mod
from devtools.sample_reports import seed_week
from reports import schedule
from reports.generate import Result
from reports.settings import ReportSettings, week_period
from store import reports as store_reports
from store.db import Database

WEEK = "2026-W47"
NOW = datetime(2026, 11, 30, 3, 0)  # after the week (naive UTC): the report covers the whole week
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "reports"
PROPOSALS = ("Đề nghị Ủy ban nhân dân phường Uông Bí chỉ đạo kiểm tra, xử lý dứt điểm tình trạng bụi than.\n"
             "Tăng cường cung cấp thông tin chính thống để định hướng dư luận xã hội.")


def need(*tools: str) -> None:
    for t in tools:
        if not shutil.which(t):
            pytest.skip(f"{t} is not installed (scripts/install-system-deps.sh installs it)")


def settings(**kw: Any) -> ReportSettings:
    return ReportSettings.from_config(config_mod.load(), **kw)


def fake_schedule(tmp_path, monkeypatch, made: list, notes: list[str], n_items: int = 5,  # type: ignore[no-untyped-def]
                  fail: list | None = None):
    """The schedule's archive writes only its archive row (with the late verdict it was given); pushes go to `notes`;
    `fail` lists the weeks whose next try raises (then succeeds). Friday 16:00, the whole area, pushed."""

    def archive(db_, s, week, *, area, generated_by, now, late=None, then=None):  # type: ignore[no-untyped-def]
        if fail and week in fail:
            fail.remove(week)
            raise OSError("ổ đĩa lưu trữ đầy")
        made.append((week, now))
        res = Result(files={"docx": tmp_path / "x.docx"}, n_items=n_items)
        with db_.write() as cur:  # as generate._record: the push in the archive row's transaction
            store_reports.add_archive(cur, kind="weekly", period=week, area=area, generated_at=now,
                                      generated_by=generated_by, dir=str(tmp_path), files=["x.docx"],
                                      n_items=n_items, seconds=1.0, late=late)
            if then is not None:
                then(cur, res)
        return res

    monkeypatch.setattr(schedule, "archive_weekly", archive)
    monkeypatch.setattr(schedule.store_notify, "enqueue_note", lambda cur, key, note, *a: notes.append(note))
    return settings(charts=False, schedule_weekday=5, schedule_time="16:00", schedule_areas=("",), schedule_notify=True)


@pytest.fixture(scope="package")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Database, dict[str, Any]]:
    path = tmp_path_factory.mktemp("reports-db") / "week.duckdb"
    db = Database(path)
    info = seed_week(db, WEEK, n_items=600)
    yield db, info
    db.close()


def pdf_text(path: Path, *extra: str) -> str:
    return subprocess.run(["pdftotext", *extra, str(path), "-"], check=True, capture_output=True, text=True,
                          timeout=60).stdout


def num(text: str) -> int:
    """'1.234' → 1234."""
    return int(text.replace(".", "").strip() or 0)


# --- independent queries (the report's own SQL lives in store/reports.py; these re-derive the figures) ---

def db_scope(db: Database, week: str = WEEK) -> dict[str, Any]:
    w = week_period(week, NOW).window
    with db.read() as cur:
        rows = cur.execute(
            """
            SELECT i.id, i.outlet, i.source_type, i.title, t.sentiment, t.topics, t.places, i.published_at >= ? AS now,
                   CAST(t.place_details AS VARCHAR) AS place_details
            FROM items i JOIN item_tags t ON t.item_id = i.id
            WHERE t.in_area AND ((i.published_at >= ? AND i.published_at < ?) OR (i.published_at >= ? AND i.published_at < ?))
            """,
            [w.start, w.start, w.end, w.prev_start, w.prev_end],
        ).fetchall()
        total_now = cur.execute("SELECT count(*) FROM items WHERE published_at >= ? AND published_at < ?",
                                [w.start, w.end]).fetchone()[0]
    return {"rows": rows, "total_now": total_now, "window": w}
