"""What staff tripped over in the weekly schedule, left from round 22 (round 23): a new installation made and pushed
an empty report for the week before it existed (and, started on Friday at 15:59, two at once); a report made by hand
did not stop the catch-up; Lưu trữ said «tạo muộn» by today's schedule, not by the one in force when it was made."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd

from collectors.textutil import canonical_url, content_hash, sha1
from reports import schedule
from store import reports as store_reports
from store.items import insert_items
from tests.conftest import database
from tests.reports.conftest import WEEK, fake_schedule
from vocab.item import Item

MONDAY_9 = datetime(2026, 11, 23, 2, 0)    # Monday 23/11 09:00 in Vietnam: W47's report was due Friday 20/11 16:00
FRIDAY_1559 = datetime(2026, 11, 20, 8, 59)  # Friday 20/11 15:59 in Vietnam, a minute before W47's is due


def _fetched(db, at: datetime) -> None:  # type: ignore[no-untyped-def]
    """One item fetched at `at` (naive UTC): the installation's first collection."""
    url = f"https://bao.vn/tin-{at:%Y%m%d%H%M}"
    item = Item(id=sha1(url), source="a", collector="rss", source_type="press", outlet="A", url=url,
                canonical_url=canonical_url(url), title="tin về bãi thải", summary="Người dân phản ánh.",
                published_at=at, published_estimated=False, fetched_at=at, content_hash=content_hash(url, "", url))
    with db.write() as cur:
        insert_items(cur, [item])


def _by_hand(db, tmp_path: Path, week: str, at: datetime, who: str = "nv.an") -> None:  # type: ignore[no-untyped-def]
    with db.write() as cur:
        store_reports.add_archive(cur, kind="weekly", period=week, area="", generated_at=at, generated_by=who,
                                  dir=str(tmp_path), files=["x.docx"], n_items=5, seconds=1.0)


def _hook(db, s, clock: dict):  # type: ignore[no-untyped-def]
    return schedule.weekly_hook(None, db, settings=s, clock=lambda: clock["now"])  # type: ignore[arg-type]


# --- 1. a new installation ------------------------------------------------------------------------------------------

def test_a_new_installation_makes_no_report_of_the_week_before_it(tmp_path, monkeypatch):
    """`make demo` on a Monday: the catch-up saw last week's report «due and not archived» and made it, empty, and
    pushed it as news on day one. The database (made now, in real time: after the test's November weeks) has no item
    before that week's due time, so the week is not caught up, and a later tick does not ask again."""
    db = database(tmp_path / "n.duckdb")
    made: list = []
    notes: list[str] = []
    s = fake_schedule(tmp_path, monkeypatch, made, notes)
    clock = {"now": MONDAY_9}
    hook = _hook(db, s, clock)
    hook()
    clock["now"] += timedelta(minutes=10)
    hook()
    assert made == [] and notes == []


def test_an_installation_that_was_there_when_the_week_was_due_still_catches_up(tmp_path, monkeypatch):
    db = database(tmp_path / "o.duckdb")
    _fetched(db, datetime(2026, 11, 10, 3, 0))  # collecting since 10/11: W47's report was missed, not never due
    made: list = []
    notes: list[str] = []
    _hook(db, fake_schedule(tmp_path, monkeypatch, made, notes), {"now": MONDAY_9})()
    assert made == [(WEEK, MONDAY_9)] and len(notes) == 1 and "tạo muộn" in notes[0]


def test_started_on_friday_at_15_59_makes_one_report_not_two(tmp_path, monkeypatch):
    """Started at 15:59 on Friday, the first tick saw last week's report due and made it, and a minute later this
    week's: two reports (and pushes) at once. The installation began this week: only this week's is made, at 16:00."""
    db = database(tmp_path / "f.duckdb")
    _fetched(db, FRIDAY_1559)  # the first poll
    made: list = []
    notes: list[str] = []
    clock = {"now": FRIDAY_1559}
    hook = _hook(db, fake_schedule(tmp_path, monkeypatch, made, notes), clock)
    for _ in range(3):
        hook()
        clock["now"] += timedelta(minutes=1)
    assert [w for w, _ in made] == [WEEK] and len(notes) == 1 and "muộn" not in notes[0]


def test_an_empty_report_is_archived_but_not_pushed(tmp_path, monkeypatch):
    db = database(tmp_path / "e.duckdb")
    made: list = []
    notes: list[str] = []
    clock = {"now": datetime(2026, 11, 20, 9, 1)}  # Friday 16:01, on time
    _hook(db, fake_schedule(tmp_path, monkeypatch, made, notes, n_items=0), clock)()
    assert [w for w, _ in made] == [WEEK] and notes == []


# --- 2. a report made by hand ---------------------------------------------------------------------------------------

def test_a_report_made_by_hand_after_the_week_was_due_stops_the_catch_up(tmp_path, monkeypatch):
    """Staff made last week's report by hand on Monday at 08:00, then the server started at 09:00: the catch-up
    looked only for the schedule's own row and made a second one."""
    db = database(tmp_path / "h.duckdb")
    _fetched(db, datetime(2026, 11, 10, 3, 0))
    _by_hand(db, tmp_path, WEEK, datetime(2026, 11, 23, 1, 0))
    made: list = []
    notes: list[str] = []
    _hook(db, fake_schedule(tmp_path, monkeypatch, made, notes), {"now": MONDAY_9})()
    assert made == [] and notes == []


def test_a_report_made_by_hand_while_the_schedule_retries_stops_the_retry(tmp_path, monkeypatch):
    """The other order: the schedule's try on Monday fails, staff make the report by hand, the retry 30 minutes on
    finds it and makes no second one; the failure no longer shows on Báo cáo."""
    db = database(tmp_path / "r.duckdb")
    _fetched(db, datetime(2026, 11, 10, 3, 0))
    made: list = []
    notes: list[str] = []
    clock = {"now": MONDAY_9}
    hook = _hook(db, fake_schedule(tmp_path, monkeypatch, made, notes, fail=[WEEK]), clock)
    hook()
    with db.read() as cur:
        assert len(store_reports.schedule_failures(cur, MONDAY_9)) == 1
    _by_hand(db, tmp_path, WEEK, MONDAY_9 + timedelta(minutes=10))
    clock["now"] += timedelta(minutes=schedule.RETRY_MINUTES + 1)
    hook()
    assert made == [] and notes == []
    with db.read() as cur:
        assert store_reports.schedule_failures(cur, MONDAY_9) == []


def test_a_report_of_the_week_so_far_made_by_hand_leaves_the_schedules_own(tmp_path, monkeypatch):
    """A report staff made on Friday morning covers the week until then: the schedule still makes the week's at
    16:00."""
    db = database(tmp_path / "m.duckdb")
    _by_hand(db, tmp_path, WEEK, datetime(2026, 11, 20, 2, 0))  # Friday 09:00
    made: list = []
    _hook(db, fake_schedule(tmp_path, monkeypatch, made, []), {"now": datetime(2026, 11, 20, 9, 1)})()
    assert [w for w, _ in made] == [WEEK]


def test_the_page_says_the_weeks_report_is_already_archived():
    from dashboard.views.reports import archived_words

    said = archived_words({"generated_at": datetime(2026, 11, 23, 9, 0), "generated_by": "schedule"}, "", "2026-W47")
    assert said == ("Báo cáo tuần 47/2026 (Toàn tỉnh) đã có ở thẻ «Lưu trữ»: tạo lúc 09:00 23/11/2026 theo lịch tự "
                    "động. Chỉ tạo lại khi cần số liệu mới hơn.")


# --- 3. «tạo muộn» as judged when the report was made ---------------------------------------------------------------

def test_the_archive_keeps_the_late_verdict_of_the_schedule_then_in_force(tmp_path, monkeypatch):
    """W47 made on time on Friday 16:01 and W48 made late on Monday: then the office moves its report to Monday
    10:00. Lưu trữ judged every row by today's schedule, so W47 (made on the Friday after «its Monday 10:00») read
    «tạo muộn» and W48 (Monday 09:00, before it) did not. The verdict kept with each row stays."""
    from dashboard.views.reports import maker

    db = database(tmp_path / "l.duckdb")
    _fetched(db, datetime(2026, 11, 10, 3, 0))
    made: list = []
    s = fake_schedule(tmp_path, monkeypatch, made, [])
    clock = {"now": datetime(2026, 11, 20, 9, 1)}
    hook = _hook(db, s, clock)
    hook()
    clock["now"] = datetime(2026, 11, 30, 2, 0)  # Monday 30/11 09:00: W48's, due Friday 27/11, made late
    hook()
    with db.read() as cur:
        arch = store_reports.list_archive(cur, "weekly")
    said = dict(zip(arch["period"], (maker(g, late) for g, late in zip(arch["generated_by"], arch["late"]))))
    assert said == {WEEK: "Lịch tự động", "2026-W48": "Lịch tự động (tạo muộn)"}
    assert maker("schedule", None) == maker("schedule", pd.NA) == "Lịch tự động"  # before round 23: not known
