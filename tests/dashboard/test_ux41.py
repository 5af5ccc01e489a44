"""Round 32's leftovers and a new office's first week on the pages (ux41). AppTest's side."""

from __future__ import annotations

from tests.dashboard.conftest import no_exception
from tests.dashboard.test_ux28 import _page_or_other
from tests.dashboard.test_ux40 import _away_and_back


def _open(env) -> str:  # type: ignore[no-untyped-def]
    with env.db.read() as cur:
        rows = cur.execute("SELECT alert_id FROM alerts WHERE status NOT IN ('resolved', 'dismissed', 'merged') "
                           "ORDER BY alert_id").fetchall()
    assert rows, "the seeded database has an open alert"
    return rows[0][0]


def test_a_links_move_gives_back_the_earlier_choice(demo_env):
    """Staff on «Đã xử lý / bỏ qua»; a push's link to an open alert moved «Hiển thị» to «Đang mở»; a later visit
    without a link opened on «Đang mở» (the default), not on the choice they had made: now on their choice."""
    at = _page_or_other(demo_env, "alerts", "analyst")
    at.run()
    at.segmented_control(key="alert_filter").set_value("Đã xử lý / bỏ qua").run()
    at.session_state["_away"] = True
    at.run()
    wanted = _open(demo_env)
    at.query_params["alert"] = wanted
    at.session_state["_away"] = False
    at.run()
    no_exception(at)
    assert at.segmented_control(key="alert_filter").value == "Đang mở"
    assert at.selectbox(key="alert_pick").value == wanted
    at.run()  # a rerun on the page (an action, a click): ui.keep's copy of the choice follows the link's move
    assert at.segmented_control(key="alert_filter").value == "Đang mở"
    _away_and_back(at)
    assert at.segmented_control(key="alert_filter").value == "Đã xử lý / bỏ qua"
    _away_and_back(at)
    assert at.segmented_control(key="alert_filter").value == "Đã xử lý / bỏ qua"


def test_the_briefings_alert_count_says_it_is_the_whole_alerts(demo_env):
    """Trước giao ban's section I gave «Số tin» (the whole alert's items) beside «Vì sao», whose reason counts «… tin,
    bài trong 24 giờ», as Cảnh báo did before ux40: now «Tổng số tin», its help saying what the reason counts, and
    the desk's and the tablet's grids still fit (944 of 946 px, 729 of 730)."""
    import json

    from dashboard import ui
    from dashboard.views import briefing

    at = demo_env.page("briefing", "viewer").run()
    no_exception(at)
    desk, tablet = at.dataframe[0], at.dataframe[1]
    for grid in (desk, tablet):
        shown = list(grid.proto.column_order)
        assert "Tổng số tin" in shown and "Số tin" not in shown, shown
        config = json.loads(grid.proto.columns)
        assert "24 giờ" in config["Tổng số tin"]["help"]
    assert sum(briefing.DESK_WIDTHS.values()) <= 944 and sum(briefing.TABLET_WIDTHS.values()) <= ui.TABLET_GRID


PHONE_GRID_PX = 356  # a 390 × 844 phone's grid (measured in Chromium: tests/browser/test_ux41_walk.py)


def test_on_a_phone_the_topic_and_place_tables_fit(demo_env, monkeypatch):
    """Chủ đề's «Theo địa bàn» table was 560 px in a phone's 356 (ux40 left it scrolling sideways), the topic table
    434: on a phone each shows its name, this period, the change and the negatives (348 px with the selection box);
    the other columns stay in the data, and a caption says how to show them. A desk keeps its six."""
    import json

    from dashboard import ui

    def grids(at):  # type: ignore[no-untyped-def]
        return {g.value.columns[0]: g for g in at.dataframe if g.value.columns[0] in ("Chủ đề", "Đơn vị mới (2025)")}

    at = demo_env.page("topics", "viewer").run()
    no_exception(at)
    desk = grids(at)
    assert set(desk) == {"Chủ đề", "Đơn vị mới (2025)"}
    assert not any(g.proto.column_order for g in desk.values())
    monkeypatch.setattr(ui, "on_phone", lambda: True)
    at = demo_env.page("topics", "viewer").run()
    no_exception(at)
    for name, grid in grids(at).items():
        shown = list(grid.proto.column_order)
        assert shown == [name, "Kỳ này", "Thay đổi", "Tiêu cực"], shown
        config = json.loads(grid.proto.columns)
        assert 30 + sum(config[c]["width"] for c in shown) <= PHONE_GRID_PX, config
        assert grid.proto.row_height == ui.TWO_LINES_ROW  # a long name wraps rather than being cut
        assert "Kỳ trước" in grid.value.columns  # still there, for the eye menu
    assert any("«Tên cũ» được ẩn" in c.value for c in at.caption)


def test_the_areas_own_place_names_in_the_examples():
    """Another province's office read Quảng Ninh's names as examples and in a statement about its own data (ux41's
    walk: a Nghệ An ward office, «Tin nhắc tên cũ (phường Trưng Vương, TP Uông Bí…)»): the examples come from the
    configured area's own units; Quảng Ninh's are as they were."""
    from dashboard.places import QUANG_NINH_EXAMPLES, area_examples

    assert area_examples("Nghệ An", "Trường Vinh") == {
        "unit": "phường Trường Vinh", "old": "phường Bến Thủy, TP Vinh", "place": "Trường Vinh",
        "ward": "phường Trường Vinh", "town": "Trường Vinh", "issue": "rác thải", "talk": "rác thải không được thu gom",
        "watch": '"rác thải" OR "bãi rác" -"Anh Sơn"'}  # ux42: Theo dõi's example
    hd = area_examples("Thành phố Hải Phòng", "Hải Dương")
    assert hd["old"].endswith(", TP Hải Dương") and hd["place"] == "Hải Dương"
    assert area_examples("Nghệ An", "")["unit"] and area_examples("Atlantis", "") == {}
    assert area_examples("Quảng Ninh", "Uông Bí") == QUANG_NINH_EXAMPLES
    assert area_examples("Quảng Ninh", "Hạ Long")["old"].endswith(", TP Hạ Long")


def test_another_provinces_pages_give_its_own_names(tmp_path):
    """Báo cáo's proposals box, Thông báo's «Địa bàn», Chủ đề's old-name caption, Báo cáo CTV's boxes and Tin bài's
    search box, for an office in Nghệ An: its names, none of Quảng Ninh's."""
    from tests.dashboard.conftest import Env, texts

    env = Env(tmp_path, seeded=True, area={"province": "Nghệ An", "name": "phường Trường Vinh",
                                           "focus": "Trường Vinh"})
    try:
        said = []
        for module in ("reports", "notifications", "topics", "collaborator", "explorer"):
            at = env.page(module, "admin").run()
            no_exception(at)
            # the pages' own words; Tin bài's and Báo cáo CTV's list the seeded items (Quảng Ninh's): their boxes only
            said += ([] if module in ("collaborator", "explorer") else [texts(at)]) + [
                str(w.proto.placeholder) for w in (*at.text_area, *at.text_input)]
        joined = "\n".join(said)
        assert "Đề nghị UBND phường Trường Vinh" in joined, joined[-2000:]
        assert "Tin nhắc tên cũ (phường Bến Thủy, TP Vinh…)" in joined, joined[-2000:]
        assert 'Ví dụ: "rác thải" Trường Vinh -"bổ nhiệm"' in joined and "Bà con khu 3 phường Trường Vinh" in joined
        for qn in ("Uông Bí", "Vàng Danh", "Trưng Vương"):
            assert qn not in joined, (qn, [s for s in said if qn in s][:1])
    finally:
        env.close()


def test_an_empty_overview_with_no_source_says_who_adds_one(env, monkeypatch):
    """A new office's Tổng quan, no source configured yet: it said «Bộ thu thập chạy theo lịch; xem «Tình trạng nguồn
    tin» bên dưới…», as if items were on their way. Now who adds a source, and where; with sources, as before."""
    from dashboard import data
    from dashboard.views import overview
    from tests.dashboard.conftest import texts

    env.add_users()
    configured = data.source_health
    monkeypatch.setattr(data, "source_health", lambda: [])
    for role, said in (("admin", overview.NO_SOURCE_ADMIN), ("viewer", overview.NO_SOURCE)):
        at = env.page("overview", role).run()
        no_exception(at)
        assert said in texts(at) and overview.NO_ITEMS not in texts(at), role
    assert "«Thêm nguồn»" in overview.NO_SOURCE_ADMIN and "quản trị viên" in overview.NO_SOURCE
    monkeypatch.setattr(data, "source_health", configured)
    at = env.page("overview", "viewer").run()  # the test config's demo sources: collection is on its way
    no_exception(at)
    assert overview.NO_ITEMS in texts(at)


def test_a_new_account_says_what_the_admin_does_next(demo_env):
    """A new office's admin created a colleague's account and read «Đã tạo tài khoản tran.binh.»: nothing is sent to
    anyone, and nothing said so. The role line named three of the four roles in «Vai trò» (not «Cộng tác viên»)."""
    from dashboard.views import admin
    from orchestration.accounts import ROLE_LABELS
    from tests.dashboard.conftest import texts

    at = demo_env.page("admin", "admin").run()
    left = at.tabs[1].columns[0]
    left.text_input(key="ua_name").set_value("tran.binh")
    left.text_input(key="ua_pw").set_value("mat-khau-dai-du-12345")
    next(b for b in left.button if b.label == "Tạo tài khoản").click().run()
    no_exception(at)
    assert [s.value for s in at.success] == [f"Đã tạo tài khoản tran.binh. {admin.HAND_OVER}"]
    assert "không tự gửi" in admin.HAND_OVER and "mật khẩu ban đầu" in admin.HAND_OVER
    assert all(f"{label}:" in texts(at) for label in ROLE_LABELS.values()), ROLE_LABELS


def test_full_text_off_names_the_config_key_to_an_admin_only(tmp_path):
    """Nguồn tin said «… (tắt trong cấu hình, [fulltext] enabled) …» to every role (the walk's office turned full text
    off): a viewer or analyst reads that the administrator turned it off; an admin keeps the key."""
    from dashboard.views.sources import FULLTEXT_OFF, FULLTEXT_OFF_STAFF
    from tests.dashboard.conftest import Env

    env = Env(tmp_path, seeded=True, fulltext={"enabled": False})
    try:
        for role, said in (("viewer", FULLTEXT_OFF_STAFF), ("analyst", FULLTEXT_OFF_STAFF), ("admin", FULLTEXT_OFF)):
            at = env.page("sources", role).run()
            no_exception(at)
            captions = [c.value for c in at.caption]
            assert said in captions, (role, captions)
            assert role == "admin" or not any("[fulltext]" in c for c in captions), role
    finally:
        env.close()
