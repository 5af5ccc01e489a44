"""Rapid reports, the `langnghe report` command, the weekly schedule, proposals text and the archive."""

from __future__ import annotations

from datetime import datetime, timedelta

import docx
import pytest

from langnghe.cli import main
from reports import rapid_report
from reports.generate import rapid_key
from devtools.sample_reports import seed_week
from reports.schedule import due_time, weekly_hook
from reports.labels import STATE_LABELS
from store import reports as store_reports
from tests.reports.conftest import NOW, WEEK, need, pdf_text, settings
from tests.conftest import database

RAPID_SECTIONS = ["I- TÌNH HÌNH SỰ VIỆC", "II- DIỄN BIẾN", "III- NGUỒN TIN VÀ MỨC ĐỘ LAN TRUYỀN",
                  "IV- SẮC THÁI DƯ LUẬN VÀ ĐỊA BÀN", "V- CÔNG TÁC XỬ LÝ", "VI- ĐỀ XUẤT HƯỚNG XỬ LÝ"]


def test_rapid_report_for_an_alert(seeded, tmp_path):
    need("chromium", "pdftotext")
    db, info = seeded
    aid = info["alerts"][0]
    with db.write() as cur:
        store_reports.save_text(cur, "rapid", rapid_key(aid), "Đề nghị UBND phường Uông Bí họp báo cung cấp thông tin.",
                                "tranthib", NOW)
        n_events = cur.execute("SELECT count(*) FROM alert_events WHERE alert_id = ?", [aid]).fetchone()[0]
        users = {r[0] for r in cur.execute("SELECT DISTINCT u.display_name FROM alert_events e JOIN users u USING "
                                           "(username) WHERE alert_id = ?", [aid]).fetchall()}
        n_auto = cur.execute("SELECT count(*) FROM alert_events WHERE alert_id = ? AND username = 'system'",
                             [aid]).fetchone()[0]
    res = rapid_report(db, settings(), tmp_path, alert_id=aid, now=NOW)
    assert res.errors == [] and set(res.files) == {"docx", "pdf"}
    d = docx.Document(str(res.files["docx"]))
    paras = [p.text for p in d.paragraphs]
    idx = [paras.index(s) for s in RAPID_SECTIONS]
    assert idx == sorted(idx)
    story = info["stories"][0]
    assert paras[paras.index("BÁO CÁO NHANH") + 1] == story["title"] and not any(p.startswith("Về:") for p in paras)
    assert any(p.startswith(f"Hệ thống phát sinh cảnh báo {aid} lúc") for p in paras)
    timeline = [t for t in d.tables if len(t.columns) > 3 and t.rows[0].cells[3].text == "Loại"][0]
    assert len(timeline.rows) - 1 == min(len(story["item_ids"]), settings().rapid_items)
    log = [t for t in d.tables if len(t.columns) > 2 and t.rows[0].cells[2].text == "Người thực hiện"][0]
    assert len(log.rows) - 1 == n_events
    log_text = "\n".join(c.text for r in log.rows for c in r.cells)
    assert users and all(u in log_text for u in users) and STATE_LABELS["resolved"] in log_text
    # staff actions and the system's are counted apart; people by display name, never login names
    assert n_auto == 1 and users == {"Nguyễn Văn An", "Trần Thị Bình"}
    assert (f"Nhật ký xử lý trên hệ thống ghi nhận {n_events - n_auto} thao tác của cán bộ (Nguyễn Văn An, Trần Thị Bình) và "
            f"1 thao tác tự động của hệ thống (phát sinh cảnh báo)") in " ".join(paras)
    assert "nguyenvana" not in log_text and "Hệ thống (tự động)" in log_text
    # the closing names the incident, not the internal alert id
    assert f"Trên đây là báo cáo nhanh về vụ việc «{story['title']}» của Ban Tuyên giáo và Dân vận Tỉnh ủy./." in paras
    assert not any(aid in p for p in paras if p.startswith("Trên đây"))
    assert paras[paras.index(RAPID_SECTIONS[5]) + 1] == "Đề nghị UBND phường Uông Bí họp báo cung cấp thông tin."
    assert len(d.inline_shapes) == 1
    text = " ".join(pdf_text(res.files["pdf"]).split())
    assert "BÁO CÁO NHANH" in text and "CÔNG TÁC XỬ LÝ" in text and "Thường trực Tỉnh ủy" in text


def test_rapid_report_for_a_story_without_alert(seeded, tmp_path):
    db, info = seeded
    story = info["stories"][-1]  # only the first n_alerts stories have alerts
    res = rapid_report(db, settings(charts=False), tmp_path, story_id=story["story_id"], now=NOW, formats=("docx",))
    paras = [p.text for p in docx.Document(str(res.files["docx"])).paragraphs]
    assert "Chưa có thao tác xử lý nào được ghi nhận trên hệ thống." in paras
    assert res.n_items == len(story["item_ids"])
    with pytest.raises(KeyError):
        rapid_report(db, settings(charts=False), tmp_path, alert_id="A999999", now=NOW)


def test_rapid_report_counts_an_old_city_item_under_each_of_its_units(seeded, tmp_path):
    """A story about "TP Uông Bí" (an abolished city): the places line names each 2025 ward it became,
    never the combined "TP Uông Bí cũ, nay phường Uông Bí, phường Vàng Danh, phường Yên Tử"."""
    db, info = seeded
    story = [s for s in info["stories"] if s["places"][0].startswith("TP Uông Bí cũ")][0]
    res = rapid_report(db, settings(charts=False), tmp_path, story_id=story["story_id"], now=NOW, formats=("docx",))
    line = [p.text for p in docx.Document(str(res.files["docx"])).paragraphs if p.text.startswith("Địa bàn được nêu")][0]
    n = len(story["item_ids"])
    assert line == (f"Địa bàn được nêu: phường Uông Bí ({n} tin, bài); phường Vàng Danh ({n} tin, bài); "
                    f"phường Yên Tử ({n} tin, bài)."), line


@pytest.fixture()
def small_db(tmp_path):
    path = tmp_path / "small.duckdb"
    db = database(path)
    info = seed_week(db, WEEK, n_items=80, n_stories=2, n_alerts=2, seed=11)
    db.close()
    return path, info


def test_cli_weekly_and_rapid(small_db, tmp_path, capsys):
    path, info = small_db
    out = tmp_path / "out"
    rc = main(["report", "weekly", "--week", WEEK, "--db", str(path), "--out", str(out), "--no-charts",
               "--format", "docx,xlsx"])
    assert rc == 0
    assert sorted(p.name for p in out.iterdir()) == [f"bao-cao-tuan-{WEEK}.docx", f"bao-cao-tuan-{WEEK}.xlsx"]
    assert f"docx\t{out}/bao-cao-tuan-{WEEK}.docx" in capsys.readouterr().out
    rc = main(["report", "weekly", "--week", WEEK, "--area", "Uông Bí", "--db", str(path), "--out", str(out),
               "--no-charts", "--format", "docx"])
    assert rc == 0 and (out / f"bao-cao-tuan-{WEEK}-uong-bi.docx").is_file()
    rc = main(["report", "rapid", "--alert", info["alerts"][0], "--db", str(path), "--out", str(out), "--no-charts",
               "--format", "docx"])
    assert rc == 0 and (out / f"bao-cao-nhanh-{info['alerts'][0]}.docx").is_file()
    assert main(["report", "weekly", "--week", "2026-W60", "--db", str(path), "--out", str(out)]) == 2
    # a week that has not begun: refused, not a report of zeros dated before its period
    assert main(["report", "weekly", "--week", "2099-W10", "--db", str(path), "--out", str(out)]) == 2
    assert "tuần 2099-W10 chưa bắt đầu (từ ngày 02/03/2099)" in capsys.readouterr().err
    assert main(["report", "rapid", "--alert", "A999999", "--db", str(path), "--out", str(out)]) == 2
    assert main(["report", "weekly", "--db", str(tmp_path / "none.duckdb"), "--out", str(out)]) == 2
    assert main(["report", "weekly", "--week", WEEK, "--db", str(path), "--out", str(out), "--format", "odt"]) == 2


def test_the_schedule_due_week_and_sunday_24_00():
    """A report scheduled at "24:00" on Sunday covers the whole week and is due at Monday's first minute — which
    is in the next week, so the hook must then reach back to the week just ended (it was read as Sunday 00:00)."""
    from reports.schedule import due_week

    # Friday 04/12 (2026-W49), local time: W49's not yet; the latest due is W48's (archived a week ago, normally)
    assert due_week(datetime(2026, 12, 4, 15, 59), 5, "16:00") == "2026-W48"
    assert due_week(datetime(2026, 12, 4, 16, 0), 5, "16:00") == "2026-W49"
    # Monday: W49's was due last Friday. Until round 22 this was None, so a server down from Friday 16:00 until
    # Monday never made W49's report; now the hook makes it at its next tick when the archive does not have it
    assert due_week(datetime(2026, 12, 7, 9, 0), 5, "16:00") == "2026-W49"
    assert due_week(datetime(2026, 12, 11, 15, 59), 5, "16:00") == "2026-W49"  # until W50's own time
    assert due_week(datetime(2026, 12, 11, 16, 0), 5, "16:00") == "2026-W50"
    assert due_week(datetime(2027, 1, 4, 9, 0), 5, "16:00") == "2026-W53"  # a month off: the last week, no backlog
    assert due_week(datetime(2026, 12, 6, 23, 59), 7, "24:00") == "2026-W48"  # already archived last Monday
    assert due_week(datetime(2026, 12, 7, 0, 0), 7, "24:00") == "2026-W49"
    assert due_week(datetime(2026, 12, 10, 12, 0), 7, "24:00") == "2026-W49"  # a serve down on Monday catches up


def test_schedule_generates_once_per_week_at_the_configured_time(small_db, tmp_path):
    need("chromium")
    path, _ = small_db
    db = database(path)
    s = settings(charts=False, archive_dir=str(tmp_path / "archive"), schedule_weekday=5, schedule_time="16:00")
    assert due_time(WEEK, 5, "16:00") == datetime(2026, 11, 20, 16, 0)
    clock = {"now": datetime(2026, 11, 20, 8, 59)}  # 15:59 Friday in Vietnam
    with db.write() as cur:  # the server ran last week: W46's report is archived, so there is nothing to catch up
        store_reports.add_archive(cur, kind="weekly", period="2026-W46", area="", generated_at=datetime(2026, 11, 13, 9),
                                  generated_by="schedule", dir=str(tmp_path), files=[], n_items=0, seconds=1.0)
    hook = weekly_hook(None, db, settings=s, clock=lambda: clock["now"])  # type: ignore[arg-type]
    hook()
    with db.read() as cur:
        assert len(store_reports.list_archive(cur)) == 1
    clock["now"] = datetime(2026, 11, 20, 9, 1)
    hook()
    hook()
    with db.read() as cur:
        arch = store_reports.list_archive(cur, "weekly")
        assert store_reports.archived(cur, "weekly", WEEK, "")
    assert len(arch) == 2
    row = arch[arch["period"] == WEEK].iloc[0]
    assert row.period == WEEK and row.generated_by == "schedule" and row.n_items > 0
    files = sorted(row.files)
    assert files == [f"bao-cao-tuan-{WEEK}.docx", f"bao-cao-tuan-{WEEK}.pdf", f"bao-cao-tuan-{WEEK}.xlsx"]
    d = docx.Document(str(tmp_path / "archive" / "weekly" / WEEK / "20261120-160100" / files[0]))
    assert any("đến 16 giờ 01 ngày 20/11/2026" in p.text for p in d.paragraphs)  # the week so far
    # a new hook (service restarted) finds the archived report and does not generate again
    weekly_hook(None, db, settings=s, clock=lambda: clock["now"] + timedelta(hours=1))()  # type: ignore[arg-type]
    with db.read() as cur:
        assert len(store_reports.list_archive(cur)) == 2
    off = weekly_hook(None, db, settings=settings(schedule_weekday=0), clock=lambda: clock["now"])  # type: ignore[arg-type]
    off()
    db.close()


def test_proposals_text_is_replaced_not_appended(tmp_path):
    db = database(tmp_path / "t.duckdb")
    with db.write() as cur:
        store_reports.save_text(cur, "weekly", "2026-W47|", "Lần 1", "a", NOW)
        store_reports.save_text(cur, "weekly", "2026-W47|", "  Lần 2\n", "b", NOW + timedelta(minutes=1))
        store_reports.save_text(cur, "weekly", "2026-W47|Uông Bí", "Khác", "b", NOW)
    with db.read() as cur:
        t = store_reports.get_text(cur, "weekly", "2026-W47|")
        assert t["body"] == "Lần 2" and t["username"] == "b"
        assert store_reports.get_text(cur, "rapid", "A1") is None
    with pytest.raises(ValueError):
        with db.write() as cur:
            store_reports.save_text(cur, "weekly", "k", "x", "", NOW)


def test_cli_proposals_file_missing_or_saved_as_windows_1258(small_db, tmp_path, capsys):
    """A mistyped --proposals-file ended in a Python traceback (FileNotFoundError), and one saved by
    Notepad/Word as Windows-1258 in a UnicodeDecodeError traceback."""
    path, _ = small_db
    out = tmp_path / "out"
    args = ["report", "weekly", "--week", WEEK, "--db", str(path), "--out", str(out), "--no-charts", "--format", "docx"]
    assert main([*args, "--proposals-file", str(tmp_path / "khong-co.txt")]) == 2
    assert "không có tệp" in capsys.readouterr().err
    legacy = tmp_path / "de-xuat.txt"
    # "Kiến nghị kiểm tra xe chở than ở Vàng Danh." in Windows-1258 (base letters + combining tone marks)
    legacy.write_bytes(b"Ki\xea\xecn nghi\xf2 ki\xea\xd2m tra xe ch\xf5\xd2 than \xf5\xd2 V\xe0ng Danh.")
    assert main([*args, "--proposals-file", str(legacy)]) == 0
    body = "\n".join(p.text for p in docx.Document(str(out / f"bao-cao-tuan-{WEEK}.docx")).paragraphs)
    assert "Kiến nghị kiểm tra xe chở than ở Vàng Danh." in body


def test_cli_out_that_is_a_file_is_a_clear_error(small_db, tmp_path, capsys):
    """`report weekly --out` naming an existing file ended in a FileExistsError traceback."""
    path, _ = small_db
    taken = tmp_path / "bao-cao"
    taken.write_text("x")
    assert main(["report", "weekly", "--week", WEEK, "--db", str(path), "--out", str(taken), "--no-charts"]) == 2
    err = capsys.readouterr().err
    assert "là một tệp, không phải thư mục" in err and "Traceback" not in err


def test_cli_weekly_defaults_to_the_week_the_office_files(small_db, tmp_path):
    """The Báo cáo page and `langnghe report weekly` without --week default to the same week: the one the office
    files now (reports.settings.report_week with the shipped Friday 16:00)."""
    from reports.settings import report_week
    from store.db import utcnow

    path, _ = small_db
    out = tmp_path / "default"
    before = report_week(utcnow())
    assert main(["report", "weekly", "--db", str(path), "--out", str(out), "--no-charts", "--format", "docx"]) == 0
    # the CLI reads the real clock: a run across Friday 16:00 or Monday 00:00 (Vietnam) files either week
    weeks = {before, report_week(utcnow())}
    assert [p.name for p in out.iterdir()] in [[f"bao-cao-tuan-{w}.docx"] for w in weeks]


def test_the_report_week_turns_at_the_office_report_time():
    """Friday 16:00 (Vietnam) by default, when the schedule archives the week: before it the week that has ended,
    from it the current week (cut at the time of the report); the schedule off, always the week that has ended."""
    from reports.settings import report_week

    # Friday 04/12/2026 15:59 and 16:00 in Việt Nam (08:59 / 09:00 UTC), 2026-W49
    assert report_week(datetime(2026, 12, 4, 8, 59)) == "2026-W48"
    assert report_week(datetime(2026, 12, 4, 9, 0)) == "2026-W49"
    assert report_week(datetime(2026, 12, 6, 16, 59)) == "2026-W49"  # Sunday 23:59
    assert report_week(datetime(2026, 12, 6, 17, 0)) == "2026-W49"  # Monday 00:00: W49 has ended, W50's time not yet
    assert report_week(datetime(2026, 12, 4, 9, 0), 0) == "2026-W48"
    assert report_week(datetime(2026, 12, 7, 1, 0), 1, "7h30") == "2026-W50"  # Monday 08:00, report time 7h30
    # "24:00" on Sunday is the end of the week (it was read as Sunday 00:00, a day early), here and for the schedule
    assert report_week(datetime(2026, 12, 6, 16, 59), 7, "24:00") == "2026-W48"
    assert report_week(datetime(2026, 12, 6, 17, 0), 7, "24:00") == "2026-W49"
    assert due_time("2026-W49", 7, "24:00") == datetime(2026, 12, 7, 0, 0)


def test_the_last_complete_week_turns_at_monday_midnight_vietnam_time():
    from reports.settings import last_complete_week

    # Sunday 06/12/2026 23:59 in Việt Nam (16:59 UTC): week 49 is not over, week 48 is the last complete one
    assert last_complete_week(datetime(2026, 12, 6, 16, 59)) == "2026-W48"
    # Monday 07/12/2026 00:00 in Việt Nam (Sunday 17:00 UTC): week 49 has just ended
    assert last_complete_week(datetime(2026, 12, 6, 17, 0)) == "2026-W49"
    assert last_complete_week(datetime(2027, 1, 4, 17, 0)) == "2026-W53"  # Tuesday of 2027-W01: a 53-week year


def test_a_week_cut_at_midnight_ends_at_24_00_of_the_day_before():
    """A report made at 00:00 Sunday (Vietnam) read «đến 00 giờ 00 ngày 06/12»: offices write the day's end."""
    from reports.settings import week_period
    from reports.weekly import period_text

    p = week_period("2026-W49", datetime(2026, 12, 5, 17, 0))  # Sunday 06/12/2026 00:00 in Việt Nam
    assert period_text(p) == "từ ngày 30/11/2026 đến 24 giờ 00 ngày 05/12/2026"
    p = week_period("2026-W49", datetime(2026, 12, 5, 17, 1))
    assert period_text(p) == "từ ngày 30/11/2026 đến 00 giờ 01 ngày 06/12/2026"
