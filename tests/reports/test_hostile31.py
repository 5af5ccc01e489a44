"""Round 28's hostile sweep (`hostile31`) on the weekly schedule: the server killed between a report's archive row
and its push. docs/SECURITY.md «Round 28 sweep»."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from reports import generate, schedule
from reports.generate import Result
from store import notify as store_notify
from store import reports as store_reports
from tests.conftest import database
from tests.reports.conftest import WEEK, settings


class Killed(BaseException):
    """kill -9 at that line: nothing after it runs, no `except Exception` sees it."""


def test_a_kill_between_the_archive_row_and_its_push_loses_neither(tmp_path, monkeypatch):
    """The push was written in a second transaction after the archive row's: killed between the two, the restarted
    server found the week archived and never pushed it. Now both are one transaction: a kill before its commit
    leaves neither, and the restart makes the report and pushes it, once."""
    db = database(tmp_path / "k.duckdb")
    with db.write() as cur:
        store_notify.save_subscription(cur, store_notify.Subscription(
            0, "chuyenvien", "console", "chuyenvien", "medium", (), (), (), "immediate", "07:30", "", "", True))

    def made(db_, s_, week, out, *, area, now, progress=None):  # type: ignore[no-untyped-def]
        out.mkdir(parents=True, exist_ok=True)
        (out / "bao-cao.docx").write_bytes(b"docx")
        return Result(files={"docx": out / "bao-cao.docx"}, n_items=3)

    monkeypatch.setattr(generate, "weekly_report", made)
    s = settings(charts=False, schedule_weekday=5, schedule_time="16:00", schedule_areas=("",), schedule_notify=True,
                 archive_dir=str(tmp_path / "archive"))
    tick = {"now": datetime(2026, 11, 20, 9, 0)}  # Friday 20/11 16:00 in Vietnam: W47 due, on time
    enqueue = store_notify.enqueue_note

    def killed(*a, **k):  # type: ignore[no-untyped-def]
        raise Killed()

    monkeypatch.setattr(schedule.store_notify, "enqueue_note", killed)
    with pytest.raises(Killed):
        schedule.weekly_hook(None, db, settings=s, clock=lambda: tick["now"])()  # type: ignore[arg-type]
    monkeypatch.setattr(schedule.store_notify, "enqueue_note", enqueue)
    tick["now"] += timedelta(minutes=2)  # the restarted server's first tick
    schedule.weekly_hook(None, db, settings=s, clock=lambda: tick["now"])()  # type: ignore[arg-type]
    with db.read() as cur:
        archived = store_reports.list_archive(cur, "weekly")
        pushes = cur.execute("SELECT event_key FROM outbox").fetchall()
    assert list(archived["period"]) == [WEEK]
    assert pushes == [(f"report:weekly:{WEEK}:",)]
    db.close()


def test_a_long_area_name_is_a_folder_the_disk_takes_and_a_typed_one_is_bounded(tmp_path):
    """An area typed on Báo cáo of 300 characters made a folder name past 255 bytes: OSError «File name too long»,
    the page's traceback (its generate caught ValueError only)."""
    from dashboard import report_actions
    from orchestration.accounts import User

    s = settings(archive_dir=str(tmp_path / "archive"))
    long_area = "Phường Vàng Danh " * 30
    folder = generate.archive_dir(s, "weekly", WEEK, long_area, datetime(2026, 11, 30, 3, 0))
    folder.mkdir(parents=True)  # was OSError: [Errno 36] File name too long
    assert folder.parent.name.startswith(f"{WEEK}-phuong-vang-danh-") and len(folder.parent.name.encode()) <= 255
    assert generate.archive_dir(s, "weekly", WEEK, "Uông Bí", datetime(2026, 11, 30)).parent.name == f"{WEEK}-uong-bi"
    db = database(tmp_path / "a.duckdb")
    with pytest.raises(ValueError, match=r"Tên địa bàn dài 510 ký tự: tối đa 100 ký tự"):
        report_actions.generate_weekly(db, s, User("chuyenvien", "Cán bộ", "analyst"), WEEK, long_area)
    db.close()


def test_a_push_that_fails_takes_its_reports_files_with_the_rolled_back_row(tmp_path, monkeypatch):
    """The archive row and the push share a transaction: a push that fails (an error, not a kill) rolls the row back
    and the schedule retries, each retry writing a new folder that no row named (the review's find, round 28). The
    report's files go with the row; a file another report left in the same folder stays."""
    db = database(tmp_path / "p.duckdb")
    out = tmp_path / "archive" / "weekly" / WEEK / "20261120-160000"

    def made(db_, s_, week, out_, *, area, now, progress=None):  # type: ignore[no-untyped-def]
        out_.mkdir(parents=True, exist_ok=True)
        (out_ / "bao-cao.docx").write_bytes(b"docx")
        return Result(files={"docx": out_ / "bao-cao.docx"}, n_items=3)

    def failed(cur, res):  # type: ignore[no-untyped-def]
        raise RuntimeError("the outbox refused it")

    monkeypatch.setattr(generate, "weekly_report", made)
    monkeypatch.setattr(generate, "archive_dir", lambda *a: out)
    s = settings(charts=False, archive_dir=str(tmp_path / "archive"))
    with pytest.raises(RuntimeError):
        generate.archive_weekly(db, s, WEEK, generated_by="lich", then=failed)
    assert not out.exists()
    out.mkdir(parents=True)
    (out / "khac.xlsx").write_bytes(b"another report's")
    with pytest.raises(RuntimeError):
        generate.archive_weekly(db, s, WEEK, generated_by="lich", then=failed)
    assert [p.name for p in out.iterdir()] == ["khac.xlsx"]
    with db.read() as cur:
        assert not len(store_reports.list_archive(cur, "weekly"))
    db.close()


def test_two_reports_archived_in_the_same_second_keep_their_own_folders(tmp_path, monkeypatch):
    """The folder is stamped to the second: a second weekly report of the same week and area in that second wrote
    over the first's files (the same names), and a failed row of it then deleted them (round 28's note)."""
    db = database(tmp_path / "s.duckdb")
    now = datetime(2026, 11, 20, 9, 0, 0)

    def made(db_, s_, week, out_, *, area, now, progress=None):  # type: ignore[no-untyped-def]
        out_.mkdir(parents=True, exist_ok=True)
        (out_ / "bao-cao.docx").write_bytes(str(out_).encode())
        return Result(files={"docx": out_ / "bao-cao.docx"}, n_items=3)

    def failed(cur, res):  # type: ignore[no-untyped-def]
        raise RuntimeError("the outbox refused it")

    monkeypatch.setattr(generate, "weekly_report", made)
    s = settings(charts=False, archive_dir=str(tmp_path / "archive"))
    first = generate.archive_weekly(db, s, WEEK, generated_by="a", now=now)
    second = generate.archive_weekly(db, s, WEEK, generated_by="b", now=now)
    with pytest.raises(RuntimeError):
        generate.archive_weekly(db, s, WEEK, generated_by="lich", now=now, then=failed)
    a, b = first.files["docx"], second.files["docx"]
    assert a.parent != b.parent and b.parent.name == a.parent.name + "-2", (a, b)
    assert a.read_bytes() == str(a.parent).encode() and b.read_bytes() == str(b.parent).encode()
    with db.read() as cur:
        assert sorted(r["dir"] for r in store_reports.list_archive(cur, "weekly").to_dict("records")) == sorted(
            [str(a.parent), str(b.parent)])
    db.close()


def test_claim_dir_says_why_an_archive_folder_cannot_be_made(tmp_path):
    """A folder that cannot be made is said by the claim, in Vietnamese (round 30's sweep, hostile33: it was left to
    the file writers, whose first step, the folder's mkdir, raised «[Errno 20] Not a directory», a traceback on Báo
    cáo; tests/reports/test_hostile33.py)."""
    blocker = tmp_path / "tep"
    blocker.write_text("x")
    out = blocker / "weekly" / "20261120-090000"
    with pytest.raises(generate.ArchiveFolderError, match="một phần của đường dẫn là tệp, không phải thư mục"):
        generate.claim_dir(out)


def test_a_report_that_fails_leaves_no_empty_folder_and_no_chart_thread(tmp_path, monkeypatch):
    """claim_dir makes the folder before the query: a report that raised left an empty stamped folder at each try;
    and only a failed query ended the chart thread, not a failure after it (the folder, the progress listener)
    (review29, 3 and 4)."""
    import threading

    db = database(tmp_path / "f.duckdb")
    s = settings(charts=True, archive_dir=str(tmp_path / "archive"))
    before = set(threading.enumerate())

    def broken_listener(step, seconds):  # type: ignore[no-untyped-def]
        if seconds is not None:
            raise RuntimeError("the page went away")

    with pytest.raises(RuntimeError, match="went away"):
        generate.archive_weekly(db, s, WEEK, generated_by="a", progress=broken_listener)
    assert not list((tmp_path / "archive").glob("weekly/*/*"))  # no stamped folder (its week's may stay, empty)
    assert not [t for t in threading.enumerate() if t not in before and t.is_alive()]
    db.close()
