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


def test_an_address_no_page_answers_is_landed_with_a_vietnamese_word():
    """/overview (the first page's own name: Streamlit serves it only at the root), a typo and a page the role
    may not open showed Streamlit's English «Page not found»; app.py and the login gate add a hidden page at
    such a path (tests/browser/test_local_only.py walks it in Chromium)."""
    from dashboard.labels import ROLE_LABELS

    served = ["alerts", "explorer"]
    assert nav.unknown_name("http://127.0.0.1:8501/overview", served) == "overview"
    assert nav.unknown_name("http://127.0.0.1:8501/khong-co/", served) == "khong-co"
    assert nav.unknown_name("http://127.0.0.1:8501/alerts", served) is None
    assert nav.unknown_name("http://127.0.0.1:8501/", served) is None and nav.unknown_name(None, served) is None
    assert nav.unknown_name(f"http://127.0.0.1:8501/{nav.HOME_PATH}", served) is None  # the first page's own
    # a Vietnamese address typed by staff: the browser sends it encoded, Streamlit looks the page up decoded
    assert nav.unknown_name("http://127.0.0.1:8501/c%E1%BA%A3nh-b%C3%A1o", served) == "cảnh-báo"
    assert nav.unknown_name("http://127.0.0.1:8501/%61lerts", served) is None
    for odd in ("a%2Fb", "%20", "%20x%20", "%2F"):  # each name becomes a hidden st.Page: never a url_path it
        name = nav.unknown_name(f"http://127.0.0.1:8501/{odd}", served)  # refuses (empty, "/") or strips
        assert name is None or (name and "/" not in name and name == name.strip()), (odd, name)
    assert nav.landing_notice("overview", "viewer", ROLE_LABELS) is None  # the same page: nothing to say
    assert nav.landing_notice("khong-co", "viewer", ROLE_LABELS) == (
        "Không có trang «/khong-co» (địa chỉ cũ hoặc gõ nhầm). Đang mở trang đầu «Tổng quan»; các trang khác ở "
        "thanh bên trái.")
    said = nav.landing_notice("admin", "analyst", ROLE_LABELS)
    assert said is not None and "cần vai trò Quản trị" in said and "vai trò Chuyên viên" in said


def test_audit_rows_name_roles_in_vietnamese():
    from dashboard.views.admin import _detail_text

    text = _detail_text(json.dumps({"role": {"trước": "analyst", "sau": "admin"}}))
    assert text == "vai trò: Chuyên viên → Quản trị"
    assert _detail_text(json.dumps({"role": "viewer"})) == "vai trò: Xem"


def test_watchlist_and_notification_audit_rows_read_in_vietnamese():
    """Round 10 walk-through: Quản trị showed "watchlist.create" and "query: …; source_types: []; min_items: 2;
    window_minutes: 60; severity: high" for the demo watchlist."""
    from dashboard.labels import ACTION_LABELS
    from dashboard.views.admin import _detail_text

    text = _detail_text(json.dumps({"name": "Sạt lở", "query": '"bãi thải"', "places": [], "topics": ["disaster"],
                                    "source_types": ["social"], "min_items": 2, "window_minutes": 60,
                                    "severity": "high"}))
    assert text == ('tên: Sạt lở; từ khóa: "bãi thải"; địa danh: —; chủ đề: Thiên tai, sự cố; loại nguồn: Mạng xã hội; '
                    "số tin tối thiểu: 2; trong vòng (phút): 60; mức độ: Cao")
    assert _detail_text(json.dumps({"đang theo dõi": {"trước": True, "sau": False}})) == "đang theo dõi: có → không"
    assert _detail_text(json.dumps({"mức tối thiểu": "medium", "bật": True})) == "mức tối thiểu: Trung bình; bật: có"
    for action in ("watchlist.create", "watchlist.edit", "watchlist.pause", "watchlist.resume",
                   "notify_subscription", "notify_subscription_delete", "survey_keep_personal_data"):
        assert action in ACTION_LABELS, action


def test_an_assigned_alert_cannot_be_taken_in_again():
    assert "acknowledge" not in allowed_actions("assigned") and "acknowledge" in allowed_actions("new")


def test_the_upload_box_limit_is_the_import_limit(tmp_path):
    from dashboard.views.imports import upload_limit_mb
    from langnghe.service import streamlit_flags

    cfg = make_config(tmp_path)
    assert streamlit_flags(cfg)["server_maxUploadSize"] == upload_limit_mb(cfg) == int(cfg.imports.max_uncompressed_mb)


def test_streamlits_menu_is_hidden_and_dates_read_day_first(tmp_path):
    """dash7: Streamlit's toolbar and main menu (English: «Rerun», «Settings», «Print», «About»…) are not drawn
    (`client.toolbarMode = "minimal"` with no menu item of ours, so no menu; tests/browser/test_briefing_print.py
    looks for it in Chromium), and every date box reads day first, «29/11/2026» (Streamlit's default is YYYY/MM/DD)."""
    import ast
    from pathlib import Path

    from langnghe.service import streamlit_flags

    assert streamlit_flags(make_config(tmp_path))["client_toolbarMode"] == "minimal"
    boxes = []
    for path in sorted((Path(__file__).resolve().parents[2] / "dashboard").rglob("*.py")):
        for call in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(call, ast.Call) and getattr(call.func, "attr", "") == "date_input":
                fmt = [k.value for k in call.keywords if k.arg == "format"]
                boxes.append((f"{path.name}:{call.lineno}",
                              fmt[0].value if fmt and isinstance(fmt[0], ast.Constant) else None))
    assert len(boxes) >= 3 and all(fmt == "DD/MM/YYYY" for _, fmt in boxes), boxes


def test_untranslatable_streamlit_and_plotly_english_is_hidden():
    css = ui.BASE_CSS
    assert "stFileUploaderDropzoneInstructions" in css and "modebar" in css and 'content: "Chọn tệp"' in css


# --- a generic check: English that Streamlit draws by default, and internal codes in tables -------------
def _codes() -> set[str]:
    from surveys.model import KINDS, ROLE_LABELS
    from vocab import cases as vc
    from vocab.labels import SOURCE_TYPES

    return ({*KINDS, *ROLE_LABELS, *vc.ACTION_LABELS, *vc.STATE_LABELS, *vc.CHANNEL_LABELS, *SOURCE_TYPES,
             "low", "medium", "high", "sent", "manual", "failed", "api", "system"})


def english_on_page(at) -> list[str]:  # type: ignore[no-untyped-def]
    """What staff would read in English on a page run by AppTest: a multiselect without a placeholder
    ("Choose options"), a selectbox with nothing chosen or nothing to choose and no placeholder ("Choose an
    option", "No options to select"), and a table cell (st.dataframe, st.data_editor) that is an internal
    code ('assign', 'single', 'sent') or a bare 'x: y' note made of them."""
    codes, found = _codes(), []
    for w in at.multiselect:
        if not w.proto.placeholder:
            found.append(f"multiselect «{w.label}» without placeholder")
    for w in at.selectbox:
        if not w.proto.placeholder and (w.value is None or not w.options):
            found.append(f"selectbox «{w.label}» shows Streamlit's English placeholder")
    for d in at.dataframe:
        for col in d.value.columns:
            for v in d.value[col]:
                if isinstance(v, str) and (v.strip() in codes or v.split(": ")[0] in codes - {""}):
                    found.append(f"table column «{col}»: {v!r}")
    return found


def test_the_generic_check_sees_english(env):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string(
        "import streamlit as st, pandas as pd\n"
        "st.multiselect('A', ['x'])\nst.selectbox('B', [], key='b')\n"
        "st.dataframe(pd.DataFrame({'Thao tác': ['assign'], 'Ghi chú': ['api: sent']}))\n").run()
    assert len(english_on_page(at)) == 4


def test_cases_page_has_no_english(env):
    from datetime import timedelta

    from store import cases as store_cases
    from store.db import utcnow
    from tests.dashboard.test_cases_page import seed
    from tests.dashboard.conftest import no_exception, texts

    env.add_users()
    _, new = seed(env)
    with env.db.write() as cur:
        store_cases.assign(cur, new, "chuyenvien", "quantri", utcnow(), note="Gọi điện")
        # a later due date, relative to the wall clock the page reads (23:59 Vietnam time, 5 days on)
        due = (utcnow() + timedelta(days=5)).replace(hour=16, minute=59, second=0, microsecond=0)
        store_cases.set_due(cur, new, due, "quantri", utcnow())
        store_cases.record_reply(cur, new, "Đã sửa.", "manual", "manual", "quantri", utcnow())
    at = env.page("cases", "analyst")
    at.session_state["case_filter"] = "Tất cả"  # the answered case is no longer "Đang mở"
    at.run()
    at.selectbox(key="case_pick").set_value(new).run()
    no_exception(at)
    assert english_on_page(at) == []
    history = next(d.value for d in at.dataframe if "Thao tác" in d.value.columns)
    assert list(history["Thao tác"]) == ["Tiếp nhận", "Giao xử lý", "Đổi hạn trả lời", "Trả lời", "Chuyển trạng thái"]
    assert "Cán bộ quantri" in set(history["Người thực hiện"]) and "quantri" not in set(history["Người thực hiện"])
    notes = list(history["Ghi chú"])
    assert notes[1] == "giao cho Cán bộ chuyenvien: Gọi điện" and notes[2] == f"hạn mới 23:59 {due + timedelta(hours=7):%d/%m/%Y}"
    assert notes[3] == "trả lời trực tiếp: đã ghi nhận"
    assert "Giao cho: Cán bộ chuyenvien" in texts(at) and "(ghi nhận trả lời trực tiếp, đã ghi nhận)" in texts(at)


def test_notifications_and_watch_pages_have_no_english(env):
    from tests.dashboard.conftest import no_exception

    env.add_users()
    for page in ("notifications", "watch"):
        at = env.page(page, "admin").run()
        no_exception(at)
        assert english_on_page(at) == [], page


def test_tin_bai_and_its_correction_form_have_no_english(demo_env):
    """Round 21: Tin bài's correction form said "Choose options" in its empty «Chủ đề» and "Choose or add options"
    in «Địa danh», under an item the model gave no topic."""
    from tests.dashboard.conftest import no_exception

    at = demo_env.page("explorer", "analyst").run()
    no_exception(at)
    assert [m.label for m in at.multiselect if m.label in ("Chủ đề", "Địa danh")]  # the form was drawn
    assert english_on_page(at) == []


def _choice_boxes_without_placeholder() -> list[str]:
    """Every st.selectbox / st.multiselect call in dashboard/ that passes no `placeholder=`, as "file:line"."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "dashboard"
    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("selectbox", "multiselect")
                    and not any(k.arg == "placeholder" for k in node.keywords)):
                found.append(f"{path.relative_to(root.parent)}:{node.lineno}")
    return found


def test_every_choice_box_has_a_vietnamese_placeholder():
    """A box with nothing chosen, or nothing to choose, shows Streamlit's "Choose an option", "Choose options" or "No
    options to select" unless given a placeholder; AppTest sees only the boxes a page draws in the state it is run
    in (Tin bài's item box once a filter empties it, a form under an item), so the source is read: every one has one."""
    assert _choice_boxes_without_placeholder() == []


def test_surveys_page_and_its_editor_have_no_english(env):
    from devtools import demo_survey
    from dashboard.views import surveys
    from surveys.model import Question, Questionnaire
    from tests.dashboard.conftest import no_exception

    env.add_users()
    demo_survey.load(env.cfg, env.db, tag=False)
    at = env.page("surveys", "analyst").run()
    no_exception(at)
    assert english_on_page(at) == []
    # the import editor (AppTest cannot upload a file): kinds and roles by name, codes kept underneath
    q = Questionnaire([Question("Tuổi", "demographic", options=["18-30"], role="age_group"),
                       Question("Hài lòng?", "likert", options=["Rất không", "Rất hài lòng"])])
    frame = surveys._editor_frame(q)
    assert list(frame["Loại"]) == ["Thông tin người trả lời", "Thang đo (Likert)"]
    assert list(frame["Nhóm (thông tin người trả lời)"]) == ["Nhóm tuổi", ""]
    back = surveys._from_editor(frame, q, 1000)
    assert [(x.kind, x.role) for x in back.questions] == [("demographic", "age_group"), ("likert", "")]


def test_count_charts_tick_whole_numbers_and_one_hour_is_not_the_whole_chart():
    """Round 10 walk-through: an alert of 3 items in one hour drew one bar across the chart under
    "14h 05/12, 14h 05/12, 15h 05/12, 15h 05/12" and ticks at 0.5 and 1.5 items."""
    from datetime import datetime

    import plotly.graph_objects as go

    y = ui.count_axis(3)
    assert y["tickformat"] == ",d" and y["dtick"] == 1 and y["rangemode"] == "tozero"
    assert "dtick" not in ui.count_axis(250)
    h = datetime(2026, 12, 5, 8)
    x = ui.hour_axis([h], tickformat="%Hh %d/%m")
    assert x["dtick"] == ui.HOUR_MS and x["tickformat"] == "%Hh %d/%m"
    assert [str(t) for t in x["range"]] == ["2026-12-05 07:00:00", "2026-12-05 09:00:00"]
    assert ui.hour_axis([datetime(2026, 12, 1), datetime(2026, 12, 5)])["dtick"] == ui.HOUR_MS * 13  # 98 h / 8
    go.Figure(go.Bar(x=[h], y=[3])).update_layout(xaxis=x, yaxis=y).to_plotly_json()  # valid for Plotly


def test_thousands_dot_on_nullable_and_empty_integer_columns():
    """Walk at 300k items: Nguồn tin › Lỗi thu thập gần đây crashed ("boolean value of NA is ambiguous") on
    an HTTP-status column of nullable integers that were all empty."""
    import pandas as pd

    from dashboard import ui

    empty = pd.DataFrame({"Mã HTTP": pd.array([None, None], dtype="Int64"), "Lỗi": ["a", "b"]})
    assert ui.thousands_dot(empty) is empty
    mixed = pd.DataFrame({"n": pd.array([None, 1500], dtype="Int64")})
    styled = ui.thousands_dot(mixed)
    assert styled is not mixed and "1.500" in styled.to_html()


def test_thousands_dot_leaves_tables_too_big_to_style_as_they_are():
    """pandas refuses to style more than styler.render.max_elements cells: the page showed its English error."""
    import pandas as pd

    from dashboard import ui

    n = pd.get_option("styler.render.max_elements") // 2 + 1
    big = pd.DataFrame({"a": [1500] * n, "b": [2] * n})
    assert ui.thousands_dot(big) is big
    small = big.head(10)
    assert ui.thousands_dot(small) is not small


def shown_cells(grid) -> "pd.DataFrame":  # type: ignore[no-untyped-def]  # noqa: F821
    """The text a st.dataframe shows in each cell: the Styler's display values (ui.thousands_dot), which the frontend
    draws instead of the raw number where the column has no format of its own; the raw values as text otherwise."""
    import pyarrow as pa

    raw = grid.proto.arrow_data.styler.display_values
    if not raw:
        return grid.value.astype(str)
    return pa.ipc.open_stream(raw).read_all().to_pandas()


def test_decimals_are_written_with_the_vietnamese_comma():
    """Round 21: Nguồn tin's «TB/ngày» read «11.43»; Vietnamese writes «11,4»."""
    import pandas as pd

    from dashboard import ui

    df = pd.DataFrame({"TB/ngày": [11.43, 0.0, 1250.5, 0.04, None], "Lỗi mã hóa": [3, None, None, None, 1]})
    html = ui.thousands_dot(df).to_html()
    for shown in (">11,4<", ">0<", ">1.250,5<", ">0,04<", ">3<"):
        assert shown in html, (shown, html)
    assert "11.43" not in html and "3.0" not in html
    assert ui.decimal_text(11.43) == "11,4" and ui.decimal_text(7.0) == "7"


def test_sources_page_shows_the_daily_mean_with_the_comma(demo_env):
    import re

    from tests.dashboard.conftest import no_exception

    at = demo_env.page("sources", "viewer").run()
    no_exception(at)
    grid = at.dataframe[0]
    col = "TB/ngày"
    means = grid.value[col]
    assert means.dtype.kind == "f" and (means % 1 != 0).any()  # still numbers (they sort as numbers), some not whole
    shown = shown_cells(grid)
    shown = shown[col]
    for v, text in zip(means, shown):
        if v != v:  # a source not yet collected a whole day has no usual level (round 26): the grid's «—»
            continue
        assert text == ui.decimal_text(v) and re.fullmatch(r"\d+(,\d)?", text), (v, text)


def test_thousands_dot_leaves_years_codes_and_ids_as_plain_digits():
    """A year column written "2.026" reads as two thousand and twenty-six of something; so do codes and IDs."""
    import pandas as pd

    from dashboard import ui

    df = pd.DataFrame({"Năm": [2025, 2026], "Mã số": [1203, 1204], "survey_id": [1001, 1002],
                       "Số tin": [1500, 20]})
    html = ui.thousands_dot(df).to_html()
    assert "1.500" in html  # a count still gets the dot
    assert "2026" in html and "2.026" not in html
    assert "1203" in html and "1.203" not in html and "1.001" not in html
    assert ui.is_label_number("năm") and ui.is_label_number("ID") and not ui.is_label_number("Số tin")
    assert ui.thousands_dot(pd.DataFrame({"Năm": [2026]})).__class__ is pd.DataFrame  # nothing to style


def test_the_connection_lost_dialog_speaks_vietnamese():
    """On a phone the connection drops; Streamlit's frontend then opens its English dialog («Connection error
    … Streamlit server is not responding»), whose text no option changes. ui.BASE_CSS relabels every
    stDialog, which is right only while no page opens a dialog of its own (st.dialog)."""
    import re
    from pathlib import Path

    from dashboard import ui

    assert 'content: "Mất kết nối"' in ui.BASE_CSS and "Chưa liên lạc được với máy chủ" in ui.BASE_CSS
    root = Path(__file__).resolve().parents[2] / "dashboard"
    own = [p.name for p in root.rglob("*.py") if re.search(r"@st\.dialog\b|\.dialog\(", p.read_text("utf-8"))]
    assert own == [], f"a page opens st.dialog: its title and text would read as «Mất kết nối» (ui.BASE_CSS): {own}"


def test_percent_columns_show_the_decimal_comma():
    """Round 21 walk, Khảo sát: «Tỷ lệ (%)» showed 12.2 beside «9,4–15,8%» in the same row."""
    import pandas as pd

    from dashboard import ui

    df = pd.DataFrame({"Phương án": ["Có", "Không"], "Số phiếu": [49, 182], "Tỷ lệ (%)": [12.2, 45.5]})
    html = ui.thousands_dot(df).to_html()
    assert "12,2" in html and "45,5" in html and "12.2" not in html
    assert "0,5" in ui.thousands_dot(pd.DataFrame({"Tỷ lệ": [0.5]})).to_html()  # every decimal column (dash8)


def test_survey_bars_write_their_share_with_the_comma(env):
    from devtools import demo_survey

    env.add_users()
    demo_survey.load(env.cfg, env.db, tag=False)
    at = env.page("surveys", "viewer").run()
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart") if c.key and c.key.startswith("ov_")]
    assert specs and all(t["texttemplate"] == "%{x:.1f}" for s in specs for t in s["data"])
    assert all(s["layout"]["separators"] == ui.SEPARATORS for s in specs)


def test_the_sidebar_names_the_role_once():
    from dashboard.gate import signed_in_text

    assert signed_in_text("Chuyên viên (demo)", "Chuyên viên") == "Đăng nhập: **Chuyên viên \\(demo\\)**"
    assert signed_in_text("Trần Thị Bình", "Chuyên viên") == "Đăng nhập: **Trần Thị Bình** (Chuyên viên)"
    assert signed_in_text("Cán bộ xem", "Xem") == "Đăng nhập: **Cán bộ xem** (Xem)"


def test_an_empty_item_list_says_what_to_try():
    """Round 21 walk, Tin bài: «Không có tin nào khớp bộ lọc.» whatever had emptied the list."""
    from dashboard.views.explorer import no_match_text

    said = no_match_text("xyzzy", ["địa bàn"], "7 ngày qua")
    assert said.startswith("Không có tin nào khớp «xyzzy». Thử: bỏ bớt bộ lọc đang bật (địa bàn) ở «Bộ lọc»")
    assert "«Thời gian» dài hơn" in said and "gõ không dấu" in said
    assert no_match_text("", [], "Tất cả") == "Không có tin nào khớp bộ lọc."
    assert "\\*" in no_match_text("*đậm*", [], "Tất cả")  # the query is markdown-escaped
