"""Issue 15, "the last English": roles in Vietnamese, /admin for an analyst, the upload limit, the toolbar."""

from __future__ import annotations

import json

from dashboard import nav, ui
from detection.queue import allowed_actions
from tests.conftest import make_config


def test_an_analyst_opening_admin_is_told_the_page_needs_the_admin_role():
    page = nav.denied_page("http://127.0.0.1:8501/admin", "analyst")
    assert page is not None and page.name == "admin" and page.min_role == "admin"
    assert nav.denied_page("http://127.0.0.1:8501/admin", "admin") is None
    assert nav.denied_page("http://127.0.0.1:8501/", "viewer") is None


def test_audit_rows_name_roles_in_vietnamese():
    from dashboard.views.admin import _detail_text

    text = _detail_text(json.dumps({"role": {"trước": "analyst", "sau": "admin"}}))
    assert text == "vai trò: Chuyên viên → Quản trị"
    assert _detail_text(json.dumps({"role": "viewer"})) == "vai trò: Xem"


def test_an_assigned_alert_cannot_be_taken_in_again():
    assert "acknowledge" not in allowed_actions("assigned") and "acknowledge" in allowed_actions("new")


def test_the_upload_box_limit_is_the_import_limit(tmp_path):
    from dashboard.views.imports import upload_limit_mb
    from langnghe.service import streamlit_flags

    cfg = make_config(tmp_path)
    assert streamlit_flags(cfg)["server_maxUploadSize"] == upload_limit_mb(cfg) == int(cfg.imports.max_uncompressed_mb)


def test_untranslatable_streamlit_and_plotly_english_is_hidden():
    css = ui.BASE_CSS
    assert "stFileUploaderDropzoneInstructions" in css and "modebar" in css and 'content: "Chọn tệp"' in css
