"""Trước giao ban shows staff by display name, on screen and in its print copy: "Giao cho", the notes in
"Xử lý trong kỳ" and the recent briefings; login names appear only on Quản trị."""

from __future__ import annotations

import re

from dashboard import actions
from orchestration.accounts import User
from tests.dashboard.conftest import alert_history, no_exception, texts

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
    steps = [x.strip() for x in re.split(r"[①②③]", view[view["Mã"] == aid].iloc[0]["Xử lý trong kỳ"]) if x.strip()]
    assert steps and all(re.match(r"\d\d/\d\d/\d{4} \d\d:\d\d Cán bộ ", x) for x in steps), steps


def test_each_handling_step_reads_on_its_own(demo_env):
    """Round 21: «Xử lý trong kỳ» joined an alert's steps with line breaks, which a grid cell draws as spaces: the
    steps ran together into one sentence. On screen each is numbered in the cell, and listed one a line under the
    grid (a phone's grid has no such column); on paper each is a line of its cell."""
    me = User("chuyenvien", "Cán bộ chuyenvien", "analyst")
    with demo_env.db.read() as cur:
        aid = cur.execute("SELECT alert_id FROM alerts WHERE status = 'new' ORDER BY alert_id LIMIT 1").fetchone()[0]
    actions.alert_action(demo_env.db, me, aid, "acknowledge")
    actions.alert_action(demo_env.db, me, aid, "note", note="Đã xác minh tại chỗ")
    at = demo_env.page("briefing", "analyst").run()
    no_exception(at)
    cell = at.dataframe[0].value.set_index("Mã").loc[aid, "Xử lý trong kỳ"]
    assert "\n" not in cell and re.fullmatch(r"① \d\d/\d\d/\d{4} .+: Chuyển sang «Đã tiếp nhận» ② .+: Ghi chú — Đã xác minh tại chỗ",
                                             cell), cell
    box = next(e for e in at.expander if e.label.startswith("Xử lý trong kỳ, từng bước"))
    listed = next(m.value for m in box.markdown if aid in m.value)
    items = [ln for ln in listed.splitlines() if ln.startswith("- ")]
    assert len(items) == 2 and "Đã xác minh tại chỗ" in items[1] and "Đã xác minh" not in items[0], listed
    printed = "".join(h.value for h in at.get("html"))
    assert re.search(r"<br>\d\d/\d\d/\d{4} \d\d:\d\d Cán bộ chuyenvien: Ghi chú — Đã xác minh tại chỗ", printed)


def test_alert_history_names_people_by_display_name(demo_env):
    demo_env.auth.create_user("nv.an", "mat-khau-thu-nghiem", "analyst", display_name="Nguyễn Văn An")
    me = User("chuyenvien", "Cán bộ chuyenvien", "analyst")
    with demo_env.db.read() as cur:
        aid = cur.execute("SELECT alert_id FROM alerts WHERE status = 'new' ORDER BY alert_id LIMIT 1").fetchone()[0]
    actions.alert_action(demo_env.db, me, aid, "assign", assignee="nv.an", note="Kiểm tra tại chỗ")
    hist = alert_history(demo_env, aid, "analyst")
    assert "Cán bộ chuyenvien" in set(hist["Người thực hiện"]) and "chuyenvien" not in set(hist["Người thực hiện"])
    assert "Giao cho: Nguyễn Văn An; Kiểm tra tại chỗ" in set(hist["Nội dung"])


def test_names_in_note_keeps_unknown_logins_and_other_text():
    from dashboard.labels import names_in_note

    names = {"nv.an": "Nguyễn Văn An"}
    assert names_in_note("Giao cho: nv.an", names) == "Giao cho: Nguyễn Văn An"
    assert names_in_note("Giao cho: ai.do; gọi lại", names) == "Giao cho: ai.do; gọi lại"
    assert names_in_note(None, names) == "" and names_in_note("Đã xác minh", names) == "Đã xác minh"


def test_synthetic_events_by_a_login_no_account_has_name_no_one(demo_env):
    """Round 22: the synthetic data's events are by «demo», a login no account has here: Trước giao ban showed
    «07/12/2026 09:30 demo: Chuyển sang …», «Giao cho: demo» and «demo» in «Giao cho». Now nothing is named for
    them."""
    with demo_env.db.read() as cur:
        n_demo = cur.execute("SELECT count(*) FROM alert_events WHERE username = 'demo'").fetchone()[0]
        aid = cur.execute("SELECT alert_id FROM alerts WHERE status = 'new' ORDER BY alert_id LIMIT 1").fetchone()[0]
    assert n_demo > 0  # the synthetic handling this test is about
    actions.alert_action(demo_env.db, User("chuyenvien", "Cán bộ chuyenvien", "analyst"), aid, "note", note="Đã xác minh")
    at = demo_env.page("briefing", "analyst").run()
    no_exception(at)
    view = at.dataframe[0].value
    cells = [str(v) for c in ("Giao cho", "Xử lý trong kỳ") for v in view[c]]
    assert not [c for c in cells if re.search(r"\bdemo\b", c)], [c for c in cells if "demo" in c][:3]
    assert any(re.search(r"\d\d:\d\d Chuyển sang «", c) for c in cells)  # the step stays, with no one named
    assert "Cán bộ chuyenvien: Ghi chú — Đã xác minh" in view.set_index("Mã").loc[aid, "Xử lý trong kỳ"]
    printed = "".join(h.value for h in at.get("html"))
    assert not re.search(r"\bdemo\b", printed)


def test_names_in_note_can_drop_an_unknown_login():
    from dashboard.labels import names_in_note

    names = {"nv.an": "Nguyễn Văn An"}
    assert names_in_note("Giao cho: demo; gọi lại", names, drop_unknown=True) == "gọi lại"
    assert names_in_note("Giao cho: demo", names, drop_unknown=True) == ""
    assert names_in_note("Giao cho: nv.an; gọi lại", names, drop_unknown=True) == "Giao cho: Nguyễn Văn An; gọi lại"
