"""What staff tripped over in reports, left from round 21 (round 22): each file timed from its own start, the
weekly report a stopped server missed made late, the Decree 30 page layout measured in the DOCX."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

from reports import generate
from reports import schedule
from reports.generate import Result, weekly_report
from reports.settings import week_period
from store import reports as store_reports
from tests.conftest import database
from tests.reports.conftest import NOW, WEEK, settings


def test_each_file_is_timed_from_its_own_start(tmp_path, monkeypatch):
    """The XLSX and the DOCX were both timed from one start, so «DOCX» also counted the XLSX's seconds (the CLI's
    timings line and the page's «✓ DOCX: …» said the DOCX took as long as both). A fake clock that only the fake
    writers move: the XLSX takes 10 «seconds», the DOCX 1."""
    clock = SimpleNamespace(now=0.0)
    monkeypatch.setattr(generate, "time", SimpleNamespace(perf_counter=lambda: clock.now))

    def writer(seconds: float):  # type: ignore[no-untyped-def]
        def write(_what, path: Path, **_kw) -> Path:  # type: ignore[no-untyped-def]
            clock.now += seconds
            path.write_bytes(b"x")
            return path
        return write

    monkeypatch.setattr(generate, "write_xlsx", writer(10.0))
    monkeypatch.setattr(generate, "write_docx", writer(1.0))
    db = database(tmp_path / "t.duckdb")
    res = weekly_report(db, settings(charts=False), WEEK, tmp_path / "out", now=NOW, formats=("docx", "xlsx"))
    assert res.timings["xlsx"] == 10.0 and res.timings["docx"] == 1.0, res.timings
    assert res.timings["total"] == 11.0


def test_a_weekly_report_missed_over_a_weekend_is_made_late_at_the_next_tick(tmp_path, monkeypatch):
    """A server down from Friday 16:00 until Monday never archived the week that ended: the hook looked only at the
    current week. Now the latest due week not archived is made at the next tick, whole, and its push says it is late;
    the next Friday makes the new week's on time, and nothing is made twice."""
    db = database(tmp_path / "s.duckdb")
    made: list[tuple[str, datetime]] = []
    notes: list[str] = []

    def archive(db_, s, week, *, area, generated_by, now):  # type: ignore[no-untyped-def]
        made.append((week, now))
        with db_.write() as cur:
            store_reports.add_archive(cur, kind="weekly", period=week, area=area, generated_at=now,
                                      generated_by=generated_by, dir=str(tmp_path), files=["x.docx"], n_items=1,
                                      seconds=1.0)
        return Result(files={"docx": tmp_path / "x.docx"})

    monkeypatch.setattr(schedule, "archive_weekly", archive)
    monkeypatch.setattr(schedule.store_notify, "enqueue_note", lambda cur, key, note, *a: notes.append(note))
    s = settings(charts=False, schedule_weekday=5, schedule_time="16:00", schedule_areas=("",), schedule_notify=True)
    with db.write() as cur:  # the server ran the week before: W46's report is archived
        store_reports.add_archive(cur, kind="weekly", period="2026-W46", area="", generated_at=datetime(2026, 11, 13, 9),
                                  generated_by="schedule", dir=str(tmp_path), files=[], n_items=0, seconds=1.0)
    clock = {"now": datetime(2026, 11, 23, 2, 0)}  # Monday 23/11 09:00 in Vietnam; W47's was due Friday 20/11 16:00
    hook = schedule.weekly_hook(None, db, settings=s, clock=lambda: clock["now"])  # type: ignore[arg-type]
    hook()
    hook()
    assert made == [(WEEK, clock["now"])]
    assert not week_period(WEEK, clock["now"]).cut  # made after its week: Monday to Sunday 24:00, whole
    assert notes == ["Lắng Nghe: báo cáo tuần 47/2026 (16/11–22/11/2026), toàn tỉnh, đã tạo xong (tạo muộn; theo lịch "
                     "là 16:00 thứ Sáu 20/11/2026); tải DOCX, XLSX, PDF ở trang Báo cáo, thẻ «Lưu trữ»."]
    clock["now"] = datetime(2026, 11, 27, 9, 2)  # Friday 27/11 16:02: W48's on time, said without «muộn»
    hook()
    assert [w for w, _ in made] == [WEEK, "2026-W48"] and "muộn" not in notes[-1]
    schedule.weekly_hook(None, db, settings=s, clock=lambda: clock["now"] + timedelta(days=3))()  # type: ignore[arg-type]
    assert len(made) == 2  # a restart on Monday finds W48's archived


def test_late_is_said_only_past_the_grace_and_24_00_stays_sunday():
    assert not schedule.made_late("2026-W49", datetime(2026, 12, 4, 16, 30), 5, "16:00")  # a failed try retried
    assert schedule.made_late("2026-W49", datetime(2026, 12, 4, 17, 1), 5, "16:00")
    assert schedule.late_words("2026-W49", 7, "24:00") == "tạo muộn; theo lịch là 24:00 Chủ nhật 06/12/2026"


def test_the_archive_says_which_scheduled_report_came_late():
    import pandas as pd

    from dashboard.views.reports import maker

    s = settings(schedule_weekday=5, schedule_time="16:00")
    assert maker("schedule", "2026-W49", pd.Timestamp(2026, 12, 7, 9, 0), s) == "Lịch tự động (tạo muộn)"
    assert maker("schedule", "2026-W49", pd.Timestamp(2026, 12, 4, 16, 1), s) == "Lịch tự động"
    assert maker("schedule", "tay", pd.Timestamp(2026, 12, 4, 16, 1), s) == "Lịch tự động"  # a hand-made row
