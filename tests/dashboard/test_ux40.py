"""Round 31's leftovers on the pages (ux40): what ux39's walk and review31 left. AppTest's side."""

from __future__ import annotations

from tests.dashboard.conftest import no_exception
from tests.dashboard.test_ux28 import _page_or_other


def _closed(env) -> str:  # type: ignore[no-untyped-def]
    with env.db.read() as cur:
        rows = cur.execute("SELECT alert_id FROM alerts WHERE status IN ('resolved', 'dismissed') "
                           "ORDER BY alert_id").fetchall()
    assert rows, "the seeded database has a closed alert"
    return rows[0][0]


def _away_and_back(at) -> None:  # type: ignore[no-untyped-def]
    """Another page (its address has no ?alert=), then Cảnh báo from the sidebar."""
    at.query_params.pop("alert", None)
    at.session_state["_away"] = True
    at.run()
    at.session_state["_away"] = False
    at.run()
    no_exception(at)


def test_a_links_move_of_the_filter_is_not_held(demo_env):
    """A push's link to a closed alert moved «Hiển thị» to «Đã xử lý / bỏ qua», and `ui.keep` held it: every later
    visit of Cảnh báo opened on closed alerts. The link's move lasts while the page is open; a later arrival without a
    link opens on «Đang mở»."""
    closed = _closed(demo_env)
    at = _page_or_other(demo_env, "alerts", "analyst")
    at.query_params["alert"] = closed
    at.run()
    no_exception(at)
    assert at.segmented_control(key="alert_filter").value == "Đã xử lý / bỏ qua"
    assert at.selectbox(key="alert_pick").value == closed
    at.run()  # a rerun on the page (an action, a click) keeps the link's group
    assert at.segmented_control(key="alert_filter").value == "Đã xử lý / bỏ qua"
    _away_and_back(at)
    assert at.segmented_control(key="alert_filter").value == "Đang mở"
    _away_and_back(at)
    assert at.segmented_control(key="alert_filter").value == "Đang mở"


def test_a_choice_staff_made_after_a_link_is_held(demo_env):
    closed = _closed(demo_env)
    at = _page_or_other(demo_env, "alerts", "analyst")
    at.query_params["alert"] = closed
    at.run()
    at.segmented_control(key="alert_filter").set_value("Tất cả").run()
    _away_and_back(at)
    assert at.segmented_control(key="alert_filter").value == "Tất cả"
    # and a choice made without any link, as before
    at.segmented_control(key="alert_filter").set_value("Đã xử lý / bỏ qua").run()
    _away_and_back(at)
    assert at.segmented_control(key="alert_filter").value == "Đã xử lý / bỏ qua"


def test_a_link_to_an_alert_past_the_queues_cut_opens_it(demo_env, monkeypatch):
    """A link to an alert past QUEUE_ROWS (an old resolved one in a two-year office) opened the head of the queue and
    said nothing. It is now added to «Mở cảnh báo», opened, and a caption says why it is not in the table."""
    from dashboard.views import alerts

    with demo_env.db.read() as cur:
        n = cur.execute("SELECT count(*) FROM alerts WHERE status IN ('resolved', 'dismissed')").fetchone()[0]
    assert n >= 2, "the seeded database has two closed alerts"
    monkeypatch.setattr(alerts, "QUEUE_ROWS", 1)
    at = _page_or_other(demo_env, "alerts", "analyst")
    at.session_state["alert_filter"] = "Đã xử lý / bỏ qua"
    at.run()
    (head,) = at.selectbox(key="alert_pick").options
    with demo_env.db.read() as cur:
        last = cur.execute("SELECT alert_id FROM alerts WHERE status IN ('resolved', 'dismissed') AND alert_id <> ? "
                           "ORDER BY alert_id LIMIT 1", [head.split(" ")[0]]).fetchone()[0]
    at = _page_or_other(demo_env, "alerts", "analyst")
    at.query_params["alert"] = last
    at.run()
    no_exception(at)
    assert at.selectbox(key="alert_pick").value == last
    assert any(c.value.startswith(f"Cảnh báo {last} (theo liên kết) không nằm trong 1 cảnh báo") for c in at.caption)
    at.run()  # a rerun on the page keeps it
    assert at.selectbox(key="alert_pick").value == last
    assert not at.warning


def test_the_queues_count_says_it_is_the_whole_alerts(demo_env):
    """Cảnh báo gave «Số tin» (the whole alert's items, 13) beside a reason that counts «5 tin, bài trong 24 giờ»: two
    counts under one word. The column now says «Tổng số tin», and its help says what the reason counts instead."""
    from dashboard.views import alerts

    at = demo_env.page("alerts", "viewer").run()
    no_exception(at)
    grids = [d for d in at.dataframe if "Vấn đề" in d.value.columns]
    assert grids and all("Tổng số tin" in d.value.columns and "Số tin" not in d.value.columns for d in grids)
    assert "24 giờ" in alerts.QUEUE_COLUMNS["Tổng số tin"]["help"]
    assert sum(alerts.QUEUE_WIDTHS.values()) <= 937 and sum(alerts.QUEUE_TABLET.values()) <= 730


def test_thong_bao_names_the_config_key_to_an_admin_only(env):
    """«… (mục [notify.email] host trong langnghe.toml)» was said to every role; staff cannot open langnghe.toml. A
    viewer or analyst reads that the administrator must configure the mail server; an admin keeps the key."""
    from dashboard.views.notifications import NO_SMTP, NO_SMTP_STAFF

    env.add_users()
    for role, said in (("viewer", NO_SMTP_STAFF), ("analyst", NO_SMTP_STAFF), ("admin", NO_SMTP)):
        at = env.page("notifications", role).run()
        no_exception(at)
        form = next(f for f in at.get("form") if f.proto.form.form_id == "nt_form")
        assert [w.value for w in form.info] == [said], role
    assert "[notify.email]" not in NO_SMTP_STAFF and "quản trị viên cần cấu hình máy chủ thư" in NO_SMTP_STAFF
    assert "[notify.email] host" in NO_SMTP


def test_the_place_table_on_topics_fits_its_half_of_a_desk(demo_env):
    """Chủ đề's «Theo địa bàn» table: its last column, headed «Tên cũ được nhắc» in 110 px, ran past the table's edge
    at 1366 px (564 px of table: ux39's walk), header and names cut with no «…». Now «Tên cũ» (its help says the rest)
    in 124 px, the row's names wrapping in two lines; with the selection box (30 px) the columns add up to 558."""
    import json

    from dashboard import ui
    from dashboard.views import topics

    at = demo_env.page("topics", "viewer").run()
    no_exception(at)
    (grid,) = [d for d in at.dataframe if "Đơn vị mới (2025)" in d.value.columns]
    assert list(grid.value.columns)[-1] == "Tên cũ" and "Tên cũ được nhắc" not in grid.value.columns
    assert grid.proto.row_height == ui.TWO_LINES_ROW
    config = json.loads(grid.proto.columns)
    widths = {c: config[c]["width"] for c in grid.value.columns}
    assert widths["Tên cũ"] == topics.OLD_NAMES_WIDTH and "trước 1/7/2025" in config["Tên cũ"]["help"]
    assert 30 + sum(widths.values()) <= 564, widths


def test_the_maps_shape_colours_are_said(demo_env):
    """Chủ đề's map coloured its shapes by this period's count with no scale (the one drawn is the circles'): the
    caption under it now says what the blue means, and the darkest."""
    at = demo_env.page("topics", "viewer").run()
    no_exception(at)
    (said,) = [c.value for c in at.caption if "Màu các ô:" in c.value]
    assert "xanh càng đậm càng nhiều tin kỳ này (đậm nhất: " in said and "ô xám: không có tin" in said, said


def test_the_map_shades_text():
    from dashboard.labels import map_shades_text

    assert map_shades_text({"Phường Uông Bí": 1250, "Phường Yên Tử": 3}).startswith(
        "Màu các ô: xanh càng đậm càng nhiều tin kỳ này (đậm nhất: 1.250 tin, Phường Uông Bí); ô xám")
    assert "(đậm nhất: 4 tin, 2 đơn vị)" in map_shades_text({"A": 4, "B": 4, "C": 1})
    assert map_shades_text({"A": 0}) == map_shades_text({}) == "Màu các ô: chưa đơn vị nào có tin trong kỳ này (ô xám)."


def test_an_import_killed_mid_run_says_why_on_the_import_page():
    """fix34 marks a killed import's row interrupted with a note at the next start; the page said only «đã dừng
    giữa chừng», as for a Ctrl-C, and not that the process had died (the written chunks kept)."""
    from dashboard.views.imports import _status
    from orchestration.imports import ABANDONED

    assert _status({"status": "interrupted", "error": ABANDONED}) == f"đã dừng giữa chừng ({ABANDONED})"
    assert _status({"status": "interrupted", "error": None}) == "đã dừng giữa chừng"
    assert _status({"status": "running"}) == "đang nhập (hoặc bị ngắt)"
