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
    printed = "".join(h.value for h in at.get("html"))
    assert "Nguyễn Văn An" in printed and ">nv.an<" not in printed and not LOGIN_NOTE.search(printed)
    next(b for b in at.button if b.label == "Đánh dấu đã giao ban").click().run()
    at.run()
    assert "(Cán bộ chuyenvien)" in texts(at) and "(chuyenvien)" not in texts(at)
