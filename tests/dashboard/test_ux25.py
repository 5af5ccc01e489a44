"""Round 25's staff findings, in AppTest: an import that fails for a reason other than the file's (a bug, a disk
error) is said in Vietnamese with what was kept, never as a traceback, and the page stays usable."""

from __future__ import annotations

import logging

import pytest

from tests.dashboard.conftest import Env, no_exception
from tests.dashboard.test_ux24 import XLSX_ROWS, _xlsx


@pytest.fixture
def chunk_env(tmp_path, monkeypatch):
    """An Env whose imports commit one row per chunk, without the NLP step (orchestration.ingest.processor None):
    the test is about what is written and said, not tagged."""
    from orchestration import ingest

    monkeypatch.setattr(ingest, "processor", lambda *_a, **_k: None)
    e = Env(tmp_path, imports={"chunk_rows": 1})
    yield e
    e.close()


def _stored(env: Env) -> tuple[int, list[tuple[str, str | None]]]:
    with env.db.read() as cur:
        items = cur.execute("SELECT count(*) FROM items WHERE source = 'import-xuat-nhom'").fetchone()[0]
        runs = cur.execute("SELECT status, error FROM import_log ORDER BY id").fetchall()
    return items, runs


def test_an_unexpected_error_mid_import_is_said_in_vietnamese_and_the_chunks_before_it_are_kept(
        chunk_env, monkeypatch, caplog):
    """A RuntimeError while the second chunk is stored (not an ImportFormatError) drew Python's traceback over the
    import page. Now: the preview emptied, a Vietnamese error under the button saying the first chunk's item is kept
    whole and the one in flight rolled back, the traceback in the log, and the run's import_log row «error»."""
    from tests.conftest import break_second_insert

    break_second_insert(monkeypatch, "ổ đĩa trả lỗi bất ngờ")
    at = chunk_env.page("imports", "analyst").run()
    at.file_uploader(key="imp_file").set_value(("xuat-nhom.xlsx", _xlsx(XLSX_ROWS), "application/octet-stream")).run()
    assert {m.label: m.value for m in at.metric}["Nhập được"] == "2"
    with caplog.at_level(logging.ERROR, logger="langnghe.dashboard.imports"):
        at.button(key="imp_go").click().run()
    no_exception(at)
    assert not at.metric and not at.dataframe  # the preview no longer reads as imported
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0].startswith("Chưa nhập xong: có lỗi ngoài dự kiến"), errors
    assert "1 mục mới của các khối ghi trước lỗi được giữ lại" in errors[0] and "RuntimeError" not in errors[0]
    assert any(r.exc_info and "ổ đĩa trả lỗi bất ngờ" in str(r.exc_info[1]) for r in caplog.records), caplog.records
    items, runs = _stored(chunk_env)
    assert items == 1  # the first chunk, whole; the second rolled back
    assert runs[-1][0] == "error" and "RuntimeError" in (runs[-1][1] or "")
    at.run()  # any click: the page as before, the file's preview again
    assert at.metric and not at.error and not at.exception


def test_an_unexpected_error_opening_the_upload_is_said_and_the_box_stays(chunk_env, monkeypatch, caplog):
    """A failure opening the upload that is not the file's known fault (here an OSError from the temporary copy)."""
    from dashboard import data

    def broken(_up):  # type: ignore[no-untyped-def]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(data, "import_opened", broken)
    at = chunk_env.page("imports", "analyst").run()
    with caplog.at_level(logging.ERROR, logger="langnghe.dashboard.imports"):
        at.file_uploader(key="imp_file").set_value(("xuat-nhom.csv", b"tieu de\nmot\n", "text/csv")).run()
    no_exception(at)
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "xuat-nhom.csv" in errors[0].replace("\\", "") and "chưa có gì được ghi" in errors[0]
    assert "No space" not in errors[0]
    assert at.file_uploader(key="imp_file")  # the page is still there to pick another file
    assert any(r.exc_info for r in caplog.records)
    assert _stored(chunk_env) == (0, [])


def test_a_watchlist_action_is_confirmed_under_the_control_clicked(env):
    """Theo dõi drew «Đã bật lại «Bãi thải».» at the top of the page: at 1366×768 «Tiếp tục theo dõi» and «Lưu thay
    đổi» sit below the fold, so the click seemed to do nothing but relabel the button (round 25's walk, as Cảnh báo's
    buttons in round 24). The message is drawn under the button or form that was clicked, in its tab."""
    env.add_users()
    at = env.page("watch", "analyst").run()
    toggle = next(b for b in at.button if b.key and b.key.startswith("w_toggle_"))
    assert toggle.label == "Tiếp tục theo dõi"
    toggle.click().run()
    no_exception(at)
    edit_tab, add_tab = at.tabs[0], at.tabs[1]
    said = [s.value for s in edit_tab.success]
    assert len(said) == 1 and said[0].startswith("Đã bật lại «") and len(at.success) == 1, [s.value for s in at.success]
    kids = list(edit_tab.children.values())
    at_button = next(i for i, k in enumerate(kids) if getattr(k, "key", None) == toggle.key)
    assert getattr(kids[at_button + 1], "value", None) == said[0]  # right under the button
    inputs = [t for t in add_tab.text_input if t.label in ("Tên", "Từ khóa")]
    inputs[0].input("Chùa Yên Tử")
    inputs[1].input('"Yên Tử" OR "chua Yen Tu"')
    next(b for b in add_tab.button if b.label == "Thêm danh sách").click().run()
    no_exception(at)
    assert [s.value for s in at.tabs[1].success] == ["Đã thêm «Chùa Yên Tử»."] and len(at.success) == 1


def test_an_empty_cell_reads_a_dash_not_none_in_every_grid_and_the_questionnaire_editor(demo_env):
    """Khảo sát's questionnaire editor showed «None» (Streamlit's word for a missing value) in «Nhóm (thông tin người
    trả lời)» for every question without a group, right after a wave was chosen (round 25's walk); a grid drawn
    without `placeholder` did the same. ui.dataframe gives every grid «—» (ui.MISSING) and the editor asks for it."""
    from tests.dashboard.test_surveys_page import _formula_survey_csv

    at = demo_env.page("surveys", "analyst").run()
    at.file_uploader(key="sv_file").set_value(("cong-thuc.csv", _formula_survey_csv(), "text/csv")).run()
    no_exception(at)
    editor = at.get("data_editor")[0]
    assert (editor.value["Nhóm (thông tin người trả lời)"] == "").any()  # a choice box's empty cell read «None»
    assert editor.proto.placeholder == "—"
    for name in ("watch", "sources", "briefing"):
        page = demo_env.page(name, "analyst").run()
        no_exception(page)
        assert page.dataframe and all(d.proto.placeholder == "—" for d in page.dataframe), name


def test_the_subscription_form_offers_a_channel_that_delivers_first_and_the_demo_console_last(env):
    """Thông báo's «Kênh» opened on «Màn hình máy chủ (demo)» (the channels were listed by name, «console» first): a
    staff member who typed an e-mail address in «Gửi tới» and saved got «Đã lưu đăng ký…» for pushes printed on the
    server's console, reaching no one (round 25's walk). The channels that deliver come first, the console last."""
    env.add_users()
    at = env.page("notifications", "analyst").run()
    no_exception(at)
    channel = next(s for s in at.selectbox if s.label == "Kênh")
    assert channel.value != "console" and channel.options[-1] == "Màn hình máy chủ (demo)", channel.options
    assert channel.value == "email"  # «Thư điện tử (SMTP)», the first that reaches a person
