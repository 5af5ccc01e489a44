"""Login names appear only on Quản trị; every other page names staff by display name (dash6's walk found the login
name in Tin bài's «Người sửa», Báo cáo's «Lưu lần cuối bởi …» and «Người tạo», the rapid report's caption and
Thông báo's admin warnings)."""

from __future__ import annotations

import streamlit as st

from dashboard import actions
from orchestration.accounts import User
from reports.generate import weekly_key
from reports.settings import report_week
from store import reports as store_reports
from store.db import utcnow
from tests.dashboard.conftest import Env, alert_history, no_exception, texts

ANALYST = User("chuyenvien", "Cán bộ chuyenvien", "analyst")


def test_tin_bai_names_who_corrected_a_label_by_display_name(demo_env):
    at = demo_env.page("explorer", "viewer").run()
    item_id = at.selectbox(key="x_item").value
    actions.correct_labels(demo_env.db, ANALYST, item_id, {"sentiment": "positive"})
    st.cache_data.clear()
    at.run()
    no_exception(at)
    hist = next(d.value for d in at.dataframe if "Người sửa" in d.value.columns)
    assert set(hist["Người sửa"]) == {"Cán bộ chuyenvien"}


def test_bao_cao_names_who_saved_and_who_generated_by_display_name(tmp_path):
    e = Env(tmp_path, reports={"charts": False, "archive_dir": str(tmp_path / "archive")})
    try:
        e.add_users()
        now = utcnow()
        with e.db.write() as cur:
            store_reports.save_text(cur, "weekly", weekly_key(report_week(now), ""), "Đề nghị kiểm tra.",
                                    "chuyenvien", now)
            store_reports.add_archive(cur, kind="weekly", period=report_week(now), area="", generated_at=now,
                                      generated_by="chuyenvien", dir=str(tmp_path / "archive"), files=[], n_items=3,
                                      seconds=1.0)
        at = e.page("reports", "viewer").run()
        no_exception(at)
        assert "Lưu lần cuối bởi Cán bộ chuyenvien lúc" in texts(at)
        assert "bởi chuyenvien" not in texts(at)
        arch = next(d.value for d in at.dataframe if "Người tạo" in d.value.columns)
        assert list(arch["Người tạo"]) == ["Cán bộ chuyenvien"]
    finally:
        e.close()


def test_the_rapid_reports_last_copy_names_who_made_it_by_display_name(tmp_path):
    from streamlit.testing.v1 import AppTest

    from reports.generate import rapid_key

    e = Env(tmp_path, reports={"charts": False, "archive_dir": str(tmp_path / "archive")})
    try:
        e.add_users()
        with e.db.write() as cur:
            store_reports.add_archive(cur, kind="rapid", period=rapid_key("A000001"), area="", generated_at=utcnow(),
                                      generated_by="chuyenvien", dir=str(tmp_path / "archive"), files=[], n_items=3,
                                      seconds=1.0)
        at = AppTest.from_string("from dashboard.report_buttons import rapid_report_button\n"
                                 "rapid_report_button('A000001')\n", default_timeout=60)
        at.session_state["user"] = {"username": "xem", "display_name": "Cán bộ xem", "role": "viewer"}
        at.run()
        at.button(key="rr_btn_A000001").click().run()
        no_exception(at)
        assert "do Cán bộ chuyenvien tạo." in texts(at)
    finally:
        e.close()


def test_the_systems_steps_read_he_thong_on_canh_bao_as_on_truoc_giao_ban(demo_env):
    """Cảnh báo's history said «hệ thống», Trước giao ban and Phản ánh «Hệ thống»: one `data.person` for all."""
    from store import alerts as store_alerts

    with demo_env.db.write() as cur:
        aid = cur.execute("SELECT alert_id FROM alerts ORDER BY alert_id LIMIT 1").fetchone()[0]
        store_alerts.add_note(cur, aid, "system", "Ghi chú tự động", at=utcnow())
    hist = alert_history(demo_env, aid, "viewer")
    assert "Hệ thống" in set(hist["Người thực hiện"]) and "hệ thống" not in set(hist["Người thực hiện"])
