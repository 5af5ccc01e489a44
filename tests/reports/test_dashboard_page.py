"""The Báo cáo page and the rapid-report button, as Streamlit AppTests on a temp database."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from reports.generate import rapid_key, weekly_key
from devtools.sample_reports import seed_week
from reports.settings import last_complete_week, report_week, to_local, to_utc, week_of, week_title
from store import reports as store_reports
from dashboard import data as page_data
from tests.dashboard.conftest import Env, no_exception, texts


pytestmark = pytest.mark.usefixtures("stopped_dashboard_clock")  # tests/conftest.py


def utcnow():  # type: ignore[no-untyped-def]
    """The clock the page reads (stopped by `stopped_dashboard_clock`)."""
    return page_data.now()


@pytest.fixture
def env(tmp_path):
    e = Env(tmp_path, reports={"charts": False, "archive_dir": str(tmp_path / "archive")})
    e.add_users()
    yield e
    e.close()


def _this_week() -> str:
    return week_of(to_local(utcnow()))


def _clock_start() -> datetime:
    """Now, or an hour before this local week ends, whichever is first: a retry 31 minutes on must fall in the
    same ISO week as the page's real clock (at 23:40 on a Sunday in Vietnam it fell into the next one)."""
    now = utcnow()
    local = to_local(now)
    monday = (local - timedelta(days=local.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    return min(now, to_utc(monday + timedelta(days=7, hours=-1)))


def _last_week() -> str:
    """The week the page opens on: the one the office files now (the page reads the real clock; Friday 16:00)."""
    return report_week(utcnow())


def test_page_on_empty_database(env):
    at = env.page("reports", "viewer").run()
    no_exception(at)
    body = texts(at)
    assert "Báo cáo" in [t.value for t in at.title]
    assert "Chưa có báo cáo nào trong lưu trữ" in body
    assert "Chưa có cảnh báo nào để lập báo cáo nhanh." in body
    assert "0 tin, bài trong phụ lục" in body
    # said before an empty report is filed (dash6's walk: the preview of a new office showed a report of nothing)
    assert "Kỳ này chưa có tin, bài nào phản ánh về địa bàn đã chọn: báo cáo tạo ra sẽ không có số liệu." in body
    # the page names the layout the reports are made in (Party by default), not always Decree 30
    assert "Hướng dẫn 36-HD/VPTW" in body and "Nghị định 30" not in body
    assert all(b.disabled for b in at.button if b.key in ("rep_save", "rep_go"))
    assert at.text_area(key=f"rep_text_{weekly_key(_last_week(), '')}").disabled


def test_the_page_opens_on_the_week_that_has_ended_and_offers_the_current_one_first(tmp_path):
    """With the schedule off, the page opens on the week that has ended (Monday–Sunday); until round 13 it opened
    on the unfinished current week. The current week is the first option, one click away."""
    e = Env(tmp_path, reports={"charts": False, "archive_dir": str(tmp_path / "archive"), "schedule_weekday": 0})
    e.add_users()
    try:
        at = e.page("reports", "viewer").run()
        no_exception(at)
        box = at.selectbox(key="rep_week")
        assert box.value == last_complete_week(utcnow()) != _this_week()
        assert box.options[0].startswith(f"Tuần {int(_this_week()[-2:])}/")
        assert box.options[0].endswith("— đang diễn ra") and "đang diễn ra" not in box.options[1]
        box.select(_this_week()).run()  # one click away
        no_exception(at)
        assert at.text_area(key=f"rep_text_{weekly_key(_this_week(), '')}") is not None
    finally:
        e.close()


def test_from_the_report_time_the_page_opens_on_the_current_week(tmp_path):
    """Once the office's report time of this week has passed ([reports] schedule_weekday / schedule_time, the
    scheduled archive's), the week staff file is the current one: the page, the CLI and the schedule agree."""
    today = to_local(utcnow()).isoweekday()
    e = Env(tmp_path, reports={"charts": False, "archive_dir": str(tmp_path / "archive"),
                               "schedule_weekday": today, "schedule_time": "00:00"})
    e.add_users()
    try:
        at = e.page("reports", "viewer").run()
        no_exception(at)
        assert at.selectbox(key="rep_week").value == _this_week()
    finally:
        e.close()


def test_analyst_saves_proposals_and_generates(env):
    week = _last_week()
    seed_week(env.db, week, n_items=60, n_stories=1, n_alerts=1, seed=5)
    at = env.page("reports", "analyst").run()
    no_exception(at)
    assert [o for o in at.selectbox(key="rep_area_pick").options] == ["Toàn tỉnh", "Uông Bí", "Địa bàn khác…"]
    key = weekly_key(week, "")
    at.text_area(key=f"rep_text_{key}").input("Đề nghị Ủy ban nhân dân phường xử lý bụi than.")
    at.button(key="rep_save").click().run()
    no_exception(at)
    with env.db.read() as cur:
        saved = store_reports.get_text(cur, "weekly", key)
    assert saved["body"] == "Đề nghị Ủy ban nhân dân phường xử lý bụi than." and saved["username"] == "chuyenvien"
    at.button(key="rep_go").click().run(timeout=120)
    no_exception(at)
    assert "Đã tạo báo cáo trong" in texts(at)
    made = next(t for t in texts(at).split("\n") if "Đã tạo báo cáo trong" in t)
    assert re.search(r"trong \d+(,\d)? giây", made), made  # Vietnamese decimal comma
    _shows_the_steps(at, "báo cáo", ["Đọc dữ liệu", "XLSX", "DOCX"])
    with env.db.read() as cur:
        arch = store_reports.list_archive(cur)
    assert len(arch) == 1 and arch.iloc[0].generated_by == "chuyenvien" and arch.iloc[0].period == week
    # the archive tab lists it with its files, its week named as the week box names it, not «2026-W49»
    pick = f"rep_arch_pick_{arch.iloc[0].id}"  # keyed by the newest report (round 27)
    assert any(sb.key == pick for sb in at.selectbox)
    assert list(next(d.value for d in at.dataframe if "Kỳ / cảnh báo" in d.value.columns)["Kỳ / cảnh báo"]) == [
        week_title(week)]
    assert at.selectbox(key=pick).options[0].startswith(f"{week_title(week)} · Toàn tỉnh · ")


def _shows_the_steps(at: AppTest, what: str, steps: list[str]) -> None:
    """A status box with one line per step and its time, not a bare spinner for ~17 s (ux21's walk, round 21)."""
    assert [b.label for b in at.status] == [f"Các bước tạo {what}"] and at.status[0].state == "complete"
    lines = [m.value for m in at.status[0].markdown]
    for step in steps:
        assert any(re.fullmatch(rf"✓ {step}: \d+(,\d)? giây", line) for line in lines), (step, lines)


def test_area_other_and_preview(env):
    week = _this_week()
    seed_week(env.db, week, n_items=60, n_stories=0, n_alerts=0, seed=6)
    at = env.page("reports", "viewer").run()
    at.selectbox(key="rep_area_pick").select("Địa bàn khác…").run()
    at.text_input(key="rep_area_other").input("Vàng Danh").run()
    no_exception(at)
    assert "tin, bài trong phụ lục" in texts(at)


def test_rapid_report_button(env):
    week = week_of(to_local(utcnow() - timedelta(days=7)))
    info = seed_week(env.db, week, n_items=60, n_stories=2, n_alerts=2, seed=8)
    aid = info["alerts"][0]
    script = f"from dashboard.report_buttons import rapid_report_button\nrapid_report_button({aid!r})\n"
    at = AppTest.from_string(script, default_timeout=60)
    at.session_state["user"] = {"username": "chuyenvien", "display_name": "CV", "role": "analyst"}
    at.run()
    no_exception(at)
    assert [b.label for b in at.button] == ["Tạo báo cáo nhanh"]
    at.button(key=f"rr_btn_{aid}").click().run()
    at.text_area(key=f"rr_text_{aid}").input("Đề nghị họp báo.")
    at.button(key=f"rr_go_{aid}").click().run(timeout=120)
    no_exception(at)
    assert "Đã tạo báo cáo nhanh trong" in texts(at)  # said, as the weekly report says it (dash6)
    _shows_the_steps(at, "báo cáo nhanh", ["Đọc dữ liệu", "DOCX"])
    with env.db.read() as cur:
        assert store_reports.get_text(cur, "rapid", rapid_key(aid))["body"] == "Đề nghị họp báo."
        arch = store_reports.list_archive(cur, "rapid")
    assert list(arch.period) == [aid]
    assert sorted(arch.iloc[0].files) == [f"bao-cao-nhanh-{aid}.docx", f"bao-cao-nhanh-{aid}.pdf"]
    # a viewer sees the button, cannot generate, and can download the archived report
    at2 = AppTest.from_string(script, default_timeout=60)
    at2.session_state["user"] = {"username": "xem", "display_name": "X", "role": "viewer"}
    at2.run()
    at2.button(key=f"rr_btn_{aid}").click().run()
    no_exception(at2)
    assert at2.button(key=f"rr_go_{aid}").disabled
    assert "Bản gần nhất:" in texts(at2)


@pytest.mark.parametrize("role", ["viewer", "analyst", "admin"])
def test_page_on_the_dashboard_demo_data(env, role):
    """The dashboard part's synthetic data (devtools/synth.py), a different writer than ours."""
    env.seed()
    at = env.page("reports", role).run()
    no_exception(at)
    assert "tin, bài trong phụ lục" in texts(at)


def test_the_week_box_names_a_week_briefly_and_a_year_end_week_with_both_years():
    """The box cut "Tuần 49/2026 (từ ngày 30/11/2026 đến ngày 06/12/2026)" off at 1366 px (round 10 walk-through)."""
    # the name both pages' box gives a week (dashboard.ui.week_picker)
    assert week_title("2026-W49") == "Tuần 49/2026 (30/11–06/12/2026)"
    assert week_title("2026-W53") == "Tuần 53/2026 (28/12/2026–03/01/2027)"
    assert week_title("2026-W01") == "Tuần 1/2026 (29/12/2025–04/01/2026)"


def test_the_schedule_is_worded_as_a_sentence_says_it(env):
    """«Báo cáo tuần được tự động tạo vào Thứ Sáu 16:00 hằng tuần»: the day's capital mid-sentence and the order
    differed from the week box's own help («16:00 thứ Sáu»)."""
    from dashboard.views.reports import schedule_words

    assert schedule_words(5, "16:00") == "16:00 thứ Sáu"
    assert schedule_words(7, "07:30") == "07:30 Chủ nhật"
    assert schedule_words(0, "16:00") is None
    at = env.page("reports", "viewer").run()
    no_exception(at)
    assert "được tự động tạo vào 16:00 thứ Sáu hằng tuần" in texts(at)
    assert "nếu lúc đó máy chủ không chạy, báo cáo của tuần ấy được tạo khi máy chủ chạy lại" in texts(at)  # round 22


def test_a_failed_scheduled_report_shows_on_the_page_until_a_try_archives_it(env, monkeypatch):
    """A scheduled weekly run that failed went only to the server log: staff waiting for Friday's report
    saw nothing on Báo cáo. Now the page says which week failed, how often, when and why, until a later
    try archives it."""
    from reports import schedule
    from reports.generate import archive_weekly
    from reports.settings import ReportSettings

    clock = {"now": _clock_start()}
    due = to_local(clock["now"])  # due this minute: a try on time (the seeded database is younger than this Monday)
    s = ReportSettings.from_config(env.cfg)
    s = type(s)(**{**s.__dict__, "schedule_weekday": due.isoweekday(), "schedule_time": f"{due:%H:%M}",
                   "schedule_areas": ("",)})

    def broken(*a, **kw):  # type: ignore[no-untyped-def]
        raise OSError("ổ đĩa lưu trữ đầy")

    monkeypatch.setattr(schedule, "archive_weekly", broken)
    hook = schedule.weekly_hook(env.cfg, env.db, settings=s, clock=lambda: clock["now"])
    hook()
    at = env.page("reports", "viewer").run()
    no_exception(at)
    (err,) = [e.value for e in at.error]
    week = week_title(_this_week())  # «Tuần 49/2026 (30/11–06/12/2026)», not «2026-W49»
    assert f"Báo cáo t{week[1:]} (Toàn tỉnh) theo lịch chưa tạo được" in err and "ổ đĩa lưu trữ đầy" in err
    monkeypatch.setattr(schedule, "archive_weekly", archive_weekly)
    clock["now"] += timedelta(minutes=schedule.RETRY_MINUTES + 1)
    hook()
    with env.db.read() as cur:
        assert store_reports.latest_archived(cur, "weekly", _this_week(), "")["generated_by"] == "schedule"
        assert store_reports.schedule_failures(cur, clock["now"] - timedelta(days=1)) == []
    st.cache_data.clear()                                        # the page's 10 s cache, as a reload after it
    at = env.page("reports", "viewer").run()
    no_exception(at)
    assert not at.error, [e.value for e in at.error]


def test_a_scheduled_weekly_report_is_pushed_to_subscribers_once_through_the_outbox(tmp_path, capsys):
    """The schedule archived the week's report and told no one: staff learnt of it only by opening Báo cáo.
    Now each subscriber's destination gets one short message with the link, through the outbox (retries,
    digests, quiet hours as for alerts); a place-filtered subscription only for its own area's report."""
    from orchestration import notify
    from reports import schedule
    from reports.settings import ReportSettings
    from store import notify as store_notify

    due = to_local(utcnow())  # due this minute, on time; seeded (the last 6 hours too): an empty report is not pushed
    e = Env(tmp_path, seeded=True, reports={"charts": False, "archive_dir": str(tmp_path / "archive"),
                               "schedule_weekday": due.isoweekday(), "schedule_time": f"{due:%H:%M}"},
            notify={"public_url": "http://127.0.0.1:8501"})
    try:
        with e.db.write() as cur:
            for who, places in (("chuyenvien", ()), ("quantri", ("Vàng Danh",))):
                store_notify.save_subscription(cur, store_notify.Subscription(0, who, "console", who, "high",
                                                                              places=places))
        hook = schedule.weekly_hook(e.cfg, e.db, settings=ReportSettings.from_config(e.cfg), clock=utcnow)
        hook()
        hook()
        capsys.readouterr()
        assert notify.deliver(e.cfg, e.db) == {"sent": 2, "retried": 0}
        out = capsys.readouterr().out
        assert out.count("📣") == 2 and out.count(f"báo cáo tuần {int(_this_week()[-2:])}/") == 2
        assert "tỉnh Quảng Ninh, đã tạo xong" in out and "Xem: http://127.0.0.1:8501/reports" in out
        schedule.weekly_hook(e.cfg, e.db, clock=utcnow)()        # a restart finds it archived: nothing again
        assert notify.deliver(e.cfg, e.db) == {"sent": 0, "retried": 0}
        with e.db.write() as cur:                                # an area's report: the Vàng Danh filter only
            store_notify.enqueue_note(cur, "report:weekly:X:Phường Vàng Danh", "tuần X", "/reports",
                                      "Phường Vàng Danh", utcnow())
            store_notify.enqueue_note(cur, "report:weekly:X:Phường Bắc Sơn", "tuần X", "/reports",
                                      "Phường Bắc Sơn", utcnow())
            got = cur.execute("SELECT event_key, address FROM outbox WHERE event_key LIKE '%:X:%' ORDER BY 1, 2").fetchall()
        assert got == [("report:weekly:X:Phường Bắc Sơn", "chuyenvien"),
                       ("report:weekly:X:Phường Vàng Danh", "chuyenvien"), ("report:weekly:X:Phường Vàng Danh", "quantri")]
    finally:
        e.close()


def test_an_archived_report_is_found_after_the_installation_moved(env, tmp_path):
    """A row keeps the absolute folder it was written to; restored on another machine or path (`var/reports/`
    copied along), the Lưu trữ tab said «Không còn tệp nào trên máy chủ» and the files were unreachable."""
    folder = tmp_path / "archive" / "weekly" / "2026-W49" / "20261206-023737"
    folder.mkdir(parents=True)
    (folder / "bao-cao-tuan-2026-W49.docx").write_bytes(b"PK")
    with env.db.write() as cur:
        store_reports.add_archive(cur, kind="weekly", period="2026-W49", area="", generated_at=utcnow(),
                                  generated_by="schedule", dir="/srv/may-cu/var/reports/weekly/2026-W49/20261206-023737",
                                  files=["bao-cao-tuan-2026-W49.docx"], n_items=3, seconds=1.0)
    at = env.page("reports", "viewer").run()
    no_exception(at)
    assert "Không còn tệp nào trên máy chủ." not in texts(at)
    assert any(getattr(b, "label", "") for b in at.get("link_button"))


def test_unsaved_proposals_survive_switching_the_area_and_back(env):
    """Round 17's walk: proposals typed for the whole province and not yet saved were gone after a look at another
    area (the box is keyed by week and area; Streamlit forgets a box no longer drawn). Nothing is saved until asked."""
    at = env.page("reports", "analyst").run()
    key = weekly_key(at.selectbox(key="rep_week").value, "")
    at.text_area(key=f"rep_text_{key}").input("Đề nghị kiểm tra bụi than.").run()
    at.selectbox(key="rep_area_pick").select("Uông Bí").run()
    assert "Đề xuất đang soạn chưa lưu" not in texts(at)
    at.selectbox(key="rep_area_pick").select("Toàn tỉnh").run()
    no_exception(at)
    assert at.text_area(key=f"rep_text_{key}").value == "Đề nghị kiểm tra bụi than."
    assert "Đề xuất đang soạn chưa lưu" in texts(at)
    with env.db.read() as cur:
        assert store_reports.get_text(cur, "weekly", key) is None
    at.button(key="rep_save").click().run()
    assert "Đề xuất đang soạn chưa lưu" not in texts(at)
    with env.db.read() as cur:
        assert store_reports.get_text(cur, "weekly", key)["body"] == "Đề nghị kiểm tra bụi than."


def test_unsaved_proposals_are_not_shown_to_the_next_account_of_the_session(env):
    """The browser's session outlives a sign-out (a shared office computer): what one account typed and did not save
    was shown in the next account's box, to be saved under its name. Kept per account: the first sees it again."""
    at = env.page("reports", "analyst").run()
    key = weekly_key(at.selectbox(key="rep_week").value, "")
    at.text_area(key=f"rep_text_{key}").input("Đề nghị kiểm tra bụi than.").run()
    at.selectbox(key="rep_area_pick").select("Uông Bí").run()
    at.session_state["user"] = {"username": "quantri", "display_name": "Cán bộ quantri", "role": "admin"}
    at.selectbox(key="rep_area_pick").select("Toàn tỉnh").run()
    no_exception(at)
    assert at.text_area(key=f"rep_text_{key}").value == ""
    assert "Đề xuất đang soạn chưa lưu" not in texts(at)
    at.selectbox(key="rep_area_pick").select("Uông Bí").run()
    at.session_state["user"] = {"username": "chuyenvien", "display_name": "Cán bộ chuyenvien", "role": "analyst"}
    at.selectbox(key="rep_area_pick").select("Toàn tỉnh").run()
    assert at.text_area(key=f"rep_text_{key}").value == "Đề nghị kiểm tra bụi than."


def test_unsaved_rapid_proposals_survive_opening_another_alert(env):
    """Round 17: proposals typed for one alert's rapid report were gone after another alert was opened (the box is
    keyed by the alert; Streamlit forgets a box no longer drawn)."""
    week = week_of(to_local(utcnow() - timedelta(days=7)))
    first = seed_week(env.db, week, n_items=60, n_stories=2, n_alerts=2, seed=8)["alerts"][0]
    second = "A999999"  # the box of another alert is drawn instead (no such alert is needed for that)
    script = ("import streamlit as st\nfrom dashboard.report_buttons import rapid_report_button\n"
              f"rapid_report_button(st.session_state.get('pick', {first!r}))\n")
    at = AppTest.from_string(script, default_timeout=60)
    at.session_state["user"] = {"username": "chuyenvien", "display_name": "CV", "role": "analyst"}
    at.run()
    at.button(key=f"rr_btn_{first}").click().run()
    at.text_area(key=f"rr_text_{first}").input("Đề nghị họp báo.").run()
    at.session_state["pick"] = second
    at.run()
    at.session_state["pick"] = first
    at.run()
    no_exception(at)
    assert at.text_area(key=f"rr_text_{first}").value == "Đề nghị họp báo."


def test_a_failure_of_a_week_the_schedule_moved_on_from_does_not_promise_a_retry(env):
    """The schedule tries only the latest due week; a failure of an older week stays listed (14 days) but is tried no
    more, and the page said «Hệ thống tự thử lại sau mỗi 30 phút» of it all the same (round 22). The due week's
    failure keeps the promise."""
    from reports.schedule import due_week

    now = utcnow()
    due = due_week(to_local(now), 5, "16:00")  # the page's settings: the default schedule, Friday 16:00
    old = week_of(to_local(now) - timedelta(days=14))
    with env.db.write() as cur:
        store_reports.record_schedule_failure(cur, old, "", now - timedelta(hours=2), "OSError: ổ đĩa lưu trữ đầy")
        store_reports.record_schedule_failure(cur, due, "", now - timedelta(hours=1), "OSError: ổ đĩa lưu trữ đầy")
    at = env.page("reports", "viewer").run()
    no_exception(at)
    said = {e.value.split(" theo lịch")[0]: e.value for e in at.error}
    now_week, old_week = week_title(due), week_title(old)
    assert "Hệ thống tự thử lại sau 30 phút" in said[f"Báo cáo t{now_week[1:]} (Toàn tỉnh)"]
    assert "Hệ thống không còn tự thử lại báo cáo tuần này; có thể tạo tay" in said[f"Báo cáo t{old_week[1:]} (Toàn tỉnh)"]
