"""Trước giao ban shows staff by display name, on screen and in its print copy: "Giao cho", the notes in
"Xử lý trong kỳ" and the recent briefings; login names appear only on Quản trị."""

from __future__ import annotations

import re

from dashboard import actions
from orchestration.accounts import User
from tests.dashboard.conftest import no_exception, texts

LOGIN_NOTE = re.compile(r"\d\d:\d\d chuyenvien:")  # "03/12 20:34 chuyenvien: Giao xử lý" is the login name


def test_briefing_names_people_by_display_name(demo_env):
    demo_env.auth.create_user("nv.an", "mat-khau-thu-nghiem", "analyst", display_name="Nguyễn Văn An")
    me = User("chuyenvien", "Cán bộ chuyenvien", "analyst")
    with demo_env.db.read() as cur:
        aid = cur.execute("SELECT alert_id FROM alerts ORDER BY alert_id LIMIT 1").fetchone()[0]
    actions.alert_action(demo_env.db, me, aid, "assign", assignee="nv.an", note="Kiểm tra tại chỗ")
    at = demo_env.page("briefing", "analyst").run()
    no_exception(at)
    view = at.dataframe[0].value
    row = view[view["Mã"] == aid].iloc[0]
    assert row["Giao cho"] == "Nguyễn Văn An"
    assert "Cán bộ chuyenvien: " in row["Xử lý trong kỳ"] and not LOGIN_NOTE.search(row["Xử lý trong kỳ"])
    assert "Giao cho: Nguyễn Văn An; Kiểm tra tại chỗ" in row["Xử lý trong kỳ"]
    printed = "".join(h.value for h in at.get("html"))
    assert "Nguyễn Văn An" in printed and ">nv.an<" not in printed and "nv.an" not in printed and not LOGIN_NOTE.search(printed)
    next(b for b in at.button if b.label == "Đánh dấu đã giao ban").click().run()
    at.run()
    assert "(Cán bộ chuyenvien)" in texts(at) and "(chuyenvien)" not in texts(at)


def test_briefing_notes_are_dated_with_the_year(demo_env):
    """«Xử lý trong kỳ» dated its steps «03/12 20:34», without the year every other date on the dashboard has."""
    me = User("chuyenvien", "Cán bộ chuyenvien", "analyst")
    with demo_env.db.read() as cur:
        aid = cur.execute("SELECT alert_id FROM alerts ORDER BY alert_id LIMIT 1").fetchone()[0]
    actions.alert_action(demo_env.db, me, aid, "note", note="Đã xác minh")
    at = demo_env.page("briefing", "analyst").run()
    no_exception(at)
    view = at.dataframe[0].value
    lines = view[view["Mã"] == aid].iloc[0]["Xử lý trong kỳ"].splitlines()
    assert lines and all(re.match(r"\d\d/\d\d/\d{4} \d\d:\d\d Cán bộ ", ln) for ln in lines), lines


def test_alert_history_names_people_by_display_name(demo_env):
    demo_env.auth.create_user("nv.an", "mat-khau-thu-nghiem", "analyst", display_name="Nguyễn Văn An")
    me = User("chuyenvien", "Cán bộ chuyenvien", "analyst")
    with demo_env.db.read() as cur:
        aid = cur.execute("SELECT alert_id FROM alerts WHERE status = 'new' ORDER BY alert_id LIMIT 1").fetchone()[0]
    actions.alert_action(demo_env.db, me, aid, "assign", assignee="nv.an", note="Kiểm tra tại chỗ")
    at = demo_env.page("alerts", "analyst")
    at.session_state["alert_filter"] = "Tất cả"
    at.run()
    at.selectbox(key="alert_pick").set_value(aid).run()
    no_exception(at)
    hist = next(d.value for d in at.dataframe if "Người thực hiện" in d.value.columns)
    assert "Cán bộ chuyenvien" in set(hist["Người thực hiện"]) and "chuyenvien" not in set(hist["Người thực hiện"])
    assert "Giao cho: Nguyễn Văn An; Kiểm tra tại chỗ" in set(hist["Nội dung"])


def test_names_in_note_keeps_unknown_logins_and_other_text():
    from dashboard.labels import names_in_note

    names = {"nv.an": "Nguyễn Văn An"}
    assert names_in_note("Giao cho: nv.an", names) == "Giao cho: Nguyễn Văn An"
    assert names_in_note("Giao cho: ai.do; gọi lại", names) == "Giao cho: ai.do; gọi lại"
    assert names_in_note(None, names) == "" and names_in_note("Đã xác minh", names) == "Đã xác minh"
