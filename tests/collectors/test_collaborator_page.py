"""The "Báo cáo CTV" page: a collaborator's report becomes an item and goes through the pipeline.

The page reaches the database the way `serve` gives it one (`orchestration.runtime.install`, read back by
`dashboard.data.db()`) and the collaborator through the session, as the login gate leaves them. The AppTest
script imports the real `dashboard.views.collaborator` module (same process): it used to assign test
functions to the module's `_db_cfg` and `_user`, which stayed there after the test, so a later test of the
routed app in the same worker (`test_a_collaborator_logs_in_to_the_form_and_nothing_else`) read this
test's closed database ("Connection already closed"). Nothing here replaces a module attribute unrestored
(`tests/conftest.py` `dashboard_modules_left_as_found` fails a test that does).
"""

from __future__ import annotations

import pytest
import streamlit as st

from orchestration import runtime
from store import collab as store_collab
from tests.conftest import make_config
from kindhelpers import db  # noqa: F401


SCRIPT = "from dashboard.views import collaborator as page\npage.render()\n"
USER = {"username": "ctv07", "display_name": "CTV số 7", "role": "ctv"}


@pytest.fixture
def app(db, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    runtime.install(make_config(tmp_path, []), db)
    st.cache_resource.clear()
    st.cache_data.clear()
    processed: list[list[str]] = []
    monkeypatch.setattr("orchestration.ingest.processor", lambda cfg, d: processed.append)
    at = AppTest.from_string(SCRIPT, default_timeout=30)
    at.session_state["user"] = dict(USER)
    at.run()
    yield at, processed
    runtime.reset()  # closes `db`; the db fixture's close after it does nothing
    st.cache_resource.clear()
    st.cache_data.clear()


def test_page_meta():
    from dashboard.views import collaborator

    assert collaborator.PAGE == {"title": "Báo cáo CTV", "icon": ":material/edit_note:", "order": 60,
                                 "min_role": "ctv"}
    assert callable(collaborator.render)


def test_submit_creates_an_item_and_runs_the_pipeline(app, db):
    at, processed = app
    assert not at.exception
    assert at.title[0].value == "Báo cáo của cộng tác viên"
    at.text_area[0].input("Bà con khu 3 phường Vàng Danh bàn tán việc xe chở than gây bụi, nhiều người bức xúc.")
    at.text_input[0].input("phường Vàng Danh")
    at.selectbox[0].select("Nhóm Zalo")
    at.button[0].click().run()
    assert not at.exception
    assert "Đã ghi nhận báo cáo" in at.success[0].value
    with db.read() as cur:
        rows = store_collab.recent_reports(cur, reporter="ctv07")
    assert len(rows) == 1 and rows[0]["channel"] == "zalo" and rows[0]["place"] == "phường Vàng Danh"
    assert processed == [[rows[0]["item_id"]]]
    assert len(at.dataframe) == 1  # the collaborator's recent reports


def test_empty_text_is_refused_in_vietnamese(app, db):
    at, processed = app
    at.button[0].click().run()
    assert "Chưa gửi được" in at.error[0].value and "quá ngắn" in at.error[0].value
    with db.read() as cur:
        assert store_collab.count_reports(cur) == 0
    assert processed == []


def test_a_refused_report_keeps_what_was_typed_and_a_saved_one_empties_the_form(app, db):
    """A collaborator who typed a long report and a link without http:// lost the whole text when the
    form was refused (the form was cleared on every submit)."""
    at, _ = app
    text = "Bà con khu 3 phường Vàng Danh bàn tán việc xe chở than gây bụi, nhiều người bức xúc. " * 10
    at.text_area[0].input(text)
    at.text_input[0].input("phường Vàng Danh")
    at.text_input[1].input("www.facebook.com/groups/uongbi/posts/1")
    at.button[0].click().run()
    assert "liên kết phải bắt đầu" in at.error[0].value
    assert at.text_area[0].value == text
    assert at.text_input[0].value == "phường Vàng Danh"
    at.text_input[1].input("https://www.facebook.com/groups/uongbi/posts/1")
    at.button[0].click().run()
    assert "Đã ghi nhận báo cáo" in at.success[0].value
    assert at.text_area[0].value == "" and at.text_input[0].value == "" and at.text_input[1].value == ""
    with db.read() as cur:
        assert store_collab.count_reports(cur) == 1


def test_a_report_saved_while_the_connection_dropped_says_so_when_its_text_comes_back(app, db):
    """On a phone the connection dropped right after «Gửi báo cáo»: the report was saved, its confirmation went
    to the lost connection, and on reconnecting the browser put the text back in the box with no word that
    it was recorded (seen in Chromium through a cut proxy), so the collaborator sent it again."""
    at, _ = app
    text = "Bà con tổ 7 phường Vàng Danh bàn tán chuyện nước sinh hoạt bị đục mấy hôm nay, nhiều người bức xúc."
    at.text_area[0].input(text)
    at.button[0].click().run()
    assert "Đã ghi nhận báo cáo" in at.success[0].value
    at.session_state["ctv_text"] = text  # the reconnected browser's copy of the box; the flash was used up
    at.run()
    assert not at.exception
    assert [s.value for s in at.success] and "đã được ghi nhận lúc" in at.success[0].value
    assert "không cần gửi lại" in at.success[0].value
    at.session_state["ctv_text"] = text + " Thêm: chiều nay đã có nước trong."  # a new report: no such word
    at.run()
    assert not [s for s in at.success if "đã được ghi nhận lúc" in s.value]


def test_recent_reports_show_what_was_reported_first(app):
    """Round 15 (phone): the text came last, after time, channel and place, and a 390 px phone cut it off."""
    at, _ = app
    at.text_area[0].input("Người dân tổ 5 phản ánh đường ngập sau mưa.")
    at.button[0].click().run()
    assert not at.exception
    assert list(at.dataframe[0].value.columns)[0] == "Nội dung"


def test_an_oversized_report_is_refused_in_vietnamese_and_kept_in_the_box(app, db):
    """The form took fields of any size: a 1 MB paste (or a crafted request) was stored whole in
    collab_reports (the item itself is cut at storage.max_text_chars) and its place and link too. Now a
    field over its limit is refused with the limit named, the text stays in the box, nothing is stored."""
    from collectors import collab

    at, processed = app
    text = "Bà con phường Vàng Danh bức xúc vì bụi than. " * (collab.MAX_TEXT_CHARS // 40)
    assert len(text) > collab.MAX_TEXT_CHARS
    at.text_area[0].input(text)
    at.button[0].click().run()
    assert "quá dài" in at.error[0].value and f"{collab.MAX_TEXT_CHARS:,}".replace(",", ".") in at.error[0].value
    assert at.text_area[0].value == text
    with db.read() as cur:
        assert store_collab.count_reports(cur) == 0
    assert processed == []


@pytest.mark.parametrize("field", ["text", "place", "link"])
def test_oversized_fields_sent_around_the_form_are_refused(db, tmp_path, field):
    """The check is in ingest.submit_report (through collab.map_report), not only on the page: a request
    crafted around the form is refused too."""
    from collectors import collab
    from collectors.base import SkipItem
    from orchestration import ingest

    fields = {"text": "Bà con phường Vàng Danh bức xúc vì bụi than.", "place": "phường Vàng Danh",
              "link": "https://www.facebook.com/groups/uongbi/posts/1"}
    fields[field] += "x" * {"text": collab.MAX_TEXT_CHARS, "place": collab.MAX_PLACE_CHARS,
                            "link": collab.MAX_LINK_CHARS}[field]
    report = store_collab.NewReport(reporter="ctv07", text=fields["text"], place=fields["place"], channel="zalo",
                                    link=fields["link"], screenshot=None, screenshot_mime=None, screenshot_name=None)
    with pytest.raises(SkipItem, match="too long"):
        ingest.submit_report(db, make_config(tmp_path, []), report)
    with db.read() as cur:
        assert store_collab.count_reports(cur) == 0


def _report(n: int, reporter: str = "ctv07") -> store_collab.NewReport:
    return store_collab.NewReport(reporter=reporter, text=f"Bà con phường Vàng Danh bức xúc vì bụi than, lần {n}.",
                                  place="phường Vàng Danh", channel="zalo")


def test_a_collaborator_past_the_hourly_limit_is_refused_with_when_to_send_again(db, tmp_path, monkeypatch):
    """The form had no rate limit: a signed-in collaborator (or a script with their session) could post
    thousands of reports a minute. Past `[collab] max_reports_per_hour` the next one is refused in Vietnamese,
    saying when to send it; what was sent stays, a resend of a saved report is still answered as one, and
    another collaborator is not held back."""
    from orchestration import ingest

    monkeypatch.setattr("orchestration.ingest.processor", lambda cfg, d: lambda ids: None)
    cfg = make_config(tmp_path, [], collab={"max_reports_per_hour": 3})
    for n in range(3):
        assert not ingest.submit_report(db, cfg, _report(n)).duplicate_report
    with pytest.raises(ingest.ReportLimitError, match=r"tối đa 3 báo cáo một giờ.*sau \d\d:\d\d ngày \d\d/\d\d"):
        ingest.submit_report(db, cfg, _report(3))
    assert ingest.submit_report(db, cfg, _report(2)).duplicate_report  # a resend: answered, not refused
    assert not ingest.submit_report(db, cfg, _report(0, reporter="ctv08")).duplicate_report
    with db.read() as cur:
        assert store_collab.count_reports(cur) == 4
        assert store_collab.sent_since(cur, "ctv07", store_collab.datetime(2000, 1, 1))[0] == 3


def test_the_page_says_when_to_send_again_and_keeps_the_text(db, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from orchestration import ingest

    monkeypatch.setattr("orchestration.ingest.processor", lambda cfg, d: lambda ids: None)
    cfg = make_config(tmp_path, [], collab={"max_reports_per_hour": 1})
    ingest.submit_report(db, cfg, _report(0))
    runtime.install(cfg, db)
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        at = AppTest.from_string(SCRIPT, default_timeout=30)
        at.session_state["user"] = dict(USER)
        at.run()
        text = "Người dân phường Yên Tử phản ánh đường bị xe tải làm hỏng, đi lại khó khăn."
        at.text_area[0].input(text)
        at.button[0].click().run()
        assert not at.exception
        assert "Chưa gửi được" in at.error[0].value and "gửi báo cáo này sau" in at.error[0].value
        assert at.text_area[0].value == text
        with db.read() as cur:
            assert store_collab.count_reports(cur) == 1
    finally:
        runtime.reset()  # closes `db`
        st.cache_resource.clear()
        st.cache_data.clear()
