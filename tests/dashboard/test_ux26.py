"""Round 26's staff findings, in AppTest: confirmations drawn under the control that caused them (Nguồn tin, Quản
trị…: at 1366×768 the top of a long page, where they were drawn, is out of sight once staff scrolled to the button);
a new office's empty pages say what will appear and what to do first; the briefing pages' wording."""

from __future__ import annotations

from typing import Any

from tests.dashboard.conftest import no_exception


def _kids(block: Any) -> list[Any]:
    return list(block.children.values())


def _holder(block: Any, is_control: Any) -> Any:
    """The block (tab, column, container…) among `block` and its descendants one of whose children `is_control`
    picks."""
    kids = _kids(block)
    if any(is_control(k) for k in kids):
        return block
    for k in kids:
        if hasattr(k, "children"):
            found = _holder(k, is_control)
            if found is not None:
                return found
    return None


def said_right_after(block: Any, is_control: Any, kind: str = "success") -> str:
    """The text of the `kind` message (success, error) drawn right after the control `is_control` picks (a button, a
    form, an expander) among `block`'s descendants: under the control, not at the top."""
    holder = _holder(block, is_control)
    assert holder is not None, "no such control"
    kids = _kids(holder)
    at = next(i for i, k in enumerate(kids) if is_control(k))
    after = kids[at + 1] if at + 1 < len(kids) else None
    assert after is not None and getattr(after, "type", None) == kind, (
        f"no {kind} under the control: {[getattr(k, 'type', k) for k in kids[at:at + 3]]}")
    return str(after.value)


def is_form(key: str) -> Any:
    return lambda k: getattr(k, "type", None) == "form" and getattr(getattr(k, "proto", None), "form", None) \
        and k.proto.form.form_id == key


def is_expander(label: str) -> Any:
    return lambda k: getattr(k, "type", None) == "expander" and getattr(k, "label", None) == label


def is_key(key: str) -> Any:
    return lambda k: getattr(k, "key", None) == key


# --- Nguồn tin ---------------------------------------------------------------------------------------------------

def test_a_source_added_paused_or_refused_is_confirmed_under_its_form_or_button(demo_env):
    """Nguồn tin drew «Đã lưu nguồn …» at the top of the page, two screens above «Thêm nguồn» at 1366×768 (round 26):
    the form seemed to do nothing but empty. Each message now sits under the form or button that caused it."""
    at = demo_env.page("sources", "admin").run()
    at.tabs[1].text_input[0].set_value("baoquangninh-xa-hoi")
    fields = {t.label: t for t in at.tabs[1].text_input}
    fields["Địa chỉ (http/https)"].set_value("https://baoquangninh.vn/rss/xa-hoi.rss")
    fields["Cơ quan, kênh hiển thị"].set_value("Báo Quảng Ninh")
    next(b for b in at.tabs[1].button if b.label == "Thêm nguồn").click().run()
    no_exception(at)
    assert said_right_after(at.tabs[1], is_form("src_add")) == "Đã lưu nguồn baoquangninh-xa-hoi."
    assert len(at.success) == 1
    fields = {t.label: t for t in at.tabs[1].text_input}  # the same name again: refused, under the same form
    fields["Tên nguồn (không dấu)"].set_value("baoquangninh-xa-hoi")
    next(b for b in at.tabs[1].button if b.label == "Thêm nguồn").click().run()
    assert said_right_after(at.tabs[1], is_form("src_add"), "error").startswith("Đã có nguồn tên")
    at.selectbox(key="src_pick").set_value("baoquangninh-xa-hoi").run()
    at.button(key="src_toggle_baoquangninh-xa-hoi").click().run()
    no_exception(at)
    said = said_right_after(at.tabs[0], is_key("src_toggle_baoquangninh-xa-hoi"))
    assert said == "Đã tạm dừng nguồn baoquangninh-xa-hoi." and len(at.success) == 1
    next(b for b in at.tabs[0].button if b.label == "Lưu thay đổi").click().run()
    assert said_right_after(at.tabs[0], is_form("src_edit_baoquangninh-xa-hoi")) == "Đã lưu nguồn baoquangninh-xa-hoi."


# --- Quản trị ----------------------------------------------------------------------------------------------------

def test_an_account_created_edited_or_refused_and_retention_saved_are_confirmed_under_their_form(demo_env):
    """Quản trị drew «Đã tạo tài khoản …» at the top of the page, above its tabs: at 1366×768 «Tạo tài khoản», under
    the users' table, is below the fold, and the form only seemed to empty (round 26)."""
    at = demo_env.page("admin", "admin").run()
    users = at.tabs[1]
    left, right = users.columns[0], users.columns[1]
    left.text_input(key="ua_name").set_value("canbo-moi")
    left.text_input(key="ua_pw").set_value("mat-khau-dai-du-12345")
    next(b for b in left.button if b.label == "Tạo tài khoản").click().run()
    no_exception(at)
    left = at.tabs[1].columns[0]
    assert said_right_after(left, is_form("user_add")).startswith("Đã tạo tài khoản canbo-moi. ") and len(at.success) == 1
    left.text_input(key="ua_name").set_value("canbo-moi")  # the same name again: refused, under the same form
    left.text_input(key="ua_pw").set_value("mat-khau-dai-du-12345")
    next(b for b in left.button if b.label == "Tạo tài khoản").click().run()
    assert said_right_after(at.tabs[1].columns[0], is_form("user_add"), "error")
    right = at.tabs[1].columns[1]
    who = right.selectbox(key="user_pick").value
    next(b for b in right.button if b.label == "Lưu").click().run()
    no_exception(at)
    said = said_right_after(at.tabs[1].columns[1], is_form(f"user_edit_{who}"))
    assert said == f"Đã cập nhật tài khoản {who}." and len(at.success) == 1
    next(b for b in at.tabs[2].button if b.label == "Lưu thiết lập lưu trữ").click().run()
    no_exception(at)
    assert said_right_after(at.tabs[2], is_form("retention")) == "Đã lưu thiết lập lưu trữ." and len(at.success) == 1


# --- Tin bài, Phản ánh, Trước giao ban -----------------------------------------------------------------------------

def test_a_label_correction_is_confirmed_under_its_box(demo_env):
    """Tin bài drew «Đã lưu nhãn sửa: …» at the top of the page, a screen or two above the item's «Sửa nhãn» box
    (under the grid and the item's detail at 1366×768), and the box folds on the next run: staff saw nothing happen."""
    at = demo_env.page("explorer", "analyst").run()
    at.checkbox(key="x_in_area").uncheck().run()
    box = next(e for e in at.expander if e.label.startswith("Sửa nhãn của tin này"))
    box.checkbox[0].set_value(not box.checkbox[0].value)
    next(b for b in box.button if b.label == "Lưu nhãn đã sửa").click().run()
    no_exception(at)
    said = said_right_after(at.main, is_expander(box.label))
    assert said.startswith("Đã lưu nhãn sửa (thuộc địa bàn) của tin «") and len(at.success) == 1, said


def said_under_the_empty_queue(at: Any) -> None:
    """The one confirmation drawn under «Không có phản ánh nào trong nhóm này», once the last case left the list."""
    assert said_right_after(at.main, lambda k: getattr(k, "type", None) == "info"
                            and str(getattr(k, "value", "")).startswith("Không có phản ánh nào trong nhóm này"))
    assert len(at.success) == 1


def note_on_a_new_case(env: Any) -> tuple[Any, int]:
    """Phản ánh as an analyst, the newer seeded case picked and a note saved on it: (the AppTest, its id)."""
    from tests.dashboard.test_cases_page import open_new_case

    at, new = open_new_case(env)
    [t for t in at.text_input if t.label == "Ghi chú nội bộ"][0].input("Gọi điện cho người dân")
    [b for b in at.button if b.label == "Lưu"][0].click().run()
    no_exception(at)
    return at, new


def test_a_case_saved_or_answered_is_confirmed_under_its_form(env):
    """Phản ánh drew «Đã cập nhật phản ánh #2.» and «Phản ánh #2: đã ghi nhận trả lời.» at the top of the page, above
    the queue: the case's forms are under it, below the fold at 1366×768 (round 26)."""
    at, new = note_on_a_new_case(env)
    assert said_right_after(at.main, is_form(f"case_act_{new}")) == f"Đã cập nhật phản ánh #{new}."
    assert len(at.success) == 1
    at.text_area[0].input("Đã báo điện lực sửa trong tuần.")
    [b for b in at.button if b.label == "Ghi nhận đã trả lời"][0].click().run()
    no_exception(at)  # answered, the case left «Đang mở»: said where its detail stood, above the next case's
    assert said_right_after(at.main, is_key("case_pick")) == f"Phản ánh #{new}: đã ghi nhận trả lời."
    assert len(at.success) == 1 and at.selectbox(key="case_pick").value != new
    at.text_area[0].input("Đã sửa xong.")  # the last open case answered: said under the empty queue's word
    [b for b in at.button if b.label == "Ghi nhận đã trả lời"][0].click().run()
    no_exception(at)
    said_under_the_empty_queue(at)


def test_a_briefing_marked_held_is_confirmed_under_the_button(demo_env):
    """Trước giao ban drew «Đã ghi nhận buổi giao ban lúc …» at the top of the page: «Đánh dấu đã giao ban» is at its
    end, screens below at 1366×768, and the page, now empty from this moment, seemed to have lost the briefing."""
    at = demo_env.page("briefing", "analyst").run()
    at.button(key=next(b.key for b in at.button if b.label == "Đánh dấu đã giao ban")).click().run()
    no_exception(at)
    said = said_right_after(at.main, lambda k: getattr(k, "label", None) == "Đánh dấu đã giao ban")
    assert said.startswith("Đã ghi nhận buổi giao ban lúc") and len(at.success) == 1


# --- a new office's first day ------------------------------------------------------------------------------------

def test_a_new_office_is_told_the_watchlists_are_paused_examples_and_how_to_turn_one_on(env):
    """Theo dõi on a new office's database said, in grey under the table, «Mọi danh sách đang tạm dừng: tin mới không
    được đối chiếu.»: not that the three lists are examples, nor what to do (round 26's first-day walk). Now a box
    with the next step (an analyst's: where to turn one on or add one; a viewer's: who does), and the picked list's
    empty hits say it is paused."""
    from tests.dashboard.conftest import texts

    env.add_users()
    at = env.page("watch", "analyst").run()
    no_exception(at)
    said = [i.value for i in at.info]
    assert len(said) == 1 and "các danh sách có sẵn khi cài đặt là danh sách mẫu" in said[0], said
    assert "bấm «Tiếp tục theo dõi»" in said[0] and "«Thêm danh sách»" in said[0]
    assert "Danh sách này đang tạm dừng: tin mới không được đối chiếu" in texts(at)
    at = env.page("watch", "viewer").run()
    assert "Chuyên viên bật danh sách" in at.info[0].value and "Tiếp tục theo dõi" not in at.info[0].value


def test_a_new_offices_admin_is_told_to_create_accounts_above_the_tabs(env):
    """Quản trị opens on «Nhật ký thao tác»: the word that a new office has only the first admin's account, and where to
    create the staff's own, sat in the second tab, unseen until clicked (round 26's first-day walk). It is drawn above
    the tabs, naming the tab; gone once a second account exists."""
    from dashboard.views.admin import ONE_ACCOUNT

    env.auth.create_user("quantri", "mat-khau-thu-nghiem", "admin", display_name="Cán bộ quantri")
    at = env.page("admin", "admin").run()
    no_exception(at)
    top = [k for k in _kids(at.main) if getattr(k, "type", None) == "info"]
    assert [i.value for i in top] == [ONE_ACCOUNT] and "thẻ «Người dùng và quyền»" in ONE_ACCOUNT
    assert not any(i.value == ONE_ACCOUNT for t in at.tabs for i in t.info)  # said once
    env.auth.create_user("chuyenvien", "mat-khau-thu-nghiem", "analyst")
    import streamlit as st

    st.cache_data.clear()
    at = env.page("admin", "admin").run()
    assert not any(i.value == ONE_ACCOUNT for i in at.info)


def test_the_subscription_form_says_when_the_server_cannot_send_e_mail(env, tmp_path):
    """A new install has no SMTP relay ([notify.email] host ""); Thông báo's form opens on «Thư điện tử (SMTP)», and a
    subscription saved there failed at every push, unsaid until the retries gave up a day later (round 26's first-day
    walk). The form says so; with a relay configured it says nothing."""
    from dashboard.views.notifications import NO_SMTP, NO_SMTP_STAFF
    from tests.dashboard.conftest import Env

    env.add_users()
    at = env.page("notifications", "analyst").run()
    no_exception(at)
    form = next(f for f in at.get("form") if f.proto.form.form_id == "nt_form")
    assert [w.value for w in form.info] == [NO_SMTP_STAFF]  # the config key is for an admin (ux40)
    assert next(s for s in at.selectbox if s.label == "Kênh").value == "email"
    env.close()
    relay = Env(tmp_path / "relay", notify={"email": {"host": "smtp.so-vhttdl.quangninh.gov.vn"}})
    try:
        relay.add_users()
        at = relay.page("notifications", "analyst").run()
        no_exception(at)
        assert not {NO_SMTP, NO_SMTP_STAFF} & {w.value for w in at.info}
    finally:
        relay.close()


# --- preparing a briefing: Phản ánh, Tin bài, Chủ đề ---------------------------------------------------------------

def test_the_case_picker_reads_the_title_as_written_and_the_channel_is_named_once(env):
    """Phản ánh's «Xem phản ánh» listed «#2 · Phản ánh số 21\\: đèn đường tổ 21 hỏng» (the title escaped for markdown, in a
    box that shows plain text), and the case read «Kênh: Tệp nhập (Tệp nhập)» (round 26's walk)."""
    from tests.dashboard.test_cases_page import seed

    env.add_users()
    old, _new = seed(env)
    at = env.page("cases", "analyst").run()
    no_exception(at)
    options = at.selectbox(key="case_pick").options
    assert f"#{old} · Phản ánh số 1: đèn đường tổ 1 hỏng" in options and not any("\\" in o for o in options), options
    said = next(c.value for c in at.caption if c.value.startswith("Kênh: "))
    assert said.startswith("Kênh: Tệp nhập · Trạng thái: ") and "(Tệp nhập)" not in said, said


def test_a_saved_correction_names_its_item_when_it_leaves_the_list(demo_env):
    """With «Chủ đề: Môi trường» filtered, removing the item's topics took it out of the list: the next run showed
    another item's detail, and «Đã lưu nhãn sửa: Chủ đề.» under its box read as that item's (round 26's walk). The
    message names the item corrected, and its fields in lower case inside the sentence."""
    at = demo_env.page("explorer", "analyst").run()
    at.multiselect(key="x_topics").set_value(["environment"]).run()
    box = next(e for e in at.expander if e.label.startswith("Sửa nhãn của tin này"))
    title = next(m.value for m in at.markdown if m.value.startswith("#### ")).removeprefix("#### ")
    box.multiselect[0].set_value([])
    next(b for b in box.button if b.label == "Lưu nhãn đã sửa").click().run()
    no_exception(at)
    shown = next(m.value for m in at.markdown if m.value.startswith("#### ")).removeprefix("#### ")
    assert shown != title  # the corrected item left the filtered list
    said = said_right_after(at.main, is_expander(box.label))
    assert said == f"Đã lưu nhãn sửa (chủ đề) của tin «{title}».", (said, title)


def test_a_saved_corrections_title_is_said_as_written_not_escaped_twice():
    """saved_text escaped the title (md) and ui.flash escapes again since round 28 (labels.no_links): «TP.HCM» and
    «2.000» were shown with backslashes, as most press titles hold a dot, a dash or a colon (round 28's review)."""
    from dashboard.labels import no_links
    from dashboard.views.explorer import saved_text

    title = "TP.HCM: giá vàng tăng 2.000 đồng (mới) - 12:30"
    assert no_links(saved_text(["topics"], title)) == f"Đã lưu nhãn sửa (chủ đề) của tin «{title}»."


def test_a_short_bars_share_is_written_level_and_full_size(demo_env):
    """Chủ đề's «Theo cơ quan, kênh»: the share on a short bar («7%») was shrunk to fit inside and turned on its side,
    three pixels tall at 1366×768 (round 26's walk; Plotly's defaults). Every share-of-voice and sentiment bar asks
    for level text at the chart's size, past the bar's end when it does not fit inside (ui.BAR_SHARE_TEXT)."""
    import json

    from dashboard import ui

    for page, keys in (("topics", {"tr_outlet", "tr_type"}), ("overview", None)):
        at = demo_env.page(page, "viewer").run()
        no_exception(at)
        bars = [t for c in at.get("plotly_chart") if keys is None or c.key in keys
                for t in json.loads(c.proto.spec)["data"] if t.get("type") == "bar" and t.get("orientation") == "h"]
        assert bars and len(bars) >= (len(keys) if keys else 1), page
        for t in bars:
            assert {k: t.get(k) for k in ui.BAR_SHARE_TEXT} == ui.BAR_SHARE_TEXT, (page, t.get("name"))


# --- the other pages that confirmed at the top ---------------------------------------------------------------------

def _row_holding(key: str) -> Any:
    """A block (a row of buttons) one of whose children is the widget keyed `key`."""
    return lambda k: hasattr(k, "children") and any(getattr(c, "key", None) == key for c in _kids(k))


def test_saved_proposals_are_confirmed_under_the_buttons(demo_env):
    """Báo cáo's «Lưu đề xuất» said «Đã lưu…» at the top of the page, above the tabs (round 26)."""
    at = demo_env.page("reports", "analyst").run()
    box = next(t for t in at.text_area if t.key and t.key.startswith("rep_text_"))
    box.input("Đề nghị Ủy ban nhân dân phường xử lý bụi than.")
    at.button(key="rep_save").click().run()
    no_exception(at)
    said = said_right_after(at.main, _row_holding("rep_save"))
    assert said.startswith("Đã lưu") and len(at.success) == 1, said


def test_an_import_is_confirmed_under_its_button(tmp_path, monkeypatch):
    """Nhập dữ liệu said «Đã nhập …» at the top of the page, above the mapping and the preview (round 26)."""
    from orchestration import ingest
    from tests.dashboard.conftest import Env
    from tests.dashboard.test_ux24 import XLSX_ROWS, _xlsx

    monkeypatch.setattr(ingest, "processor", lambda *_a, **_k: None)  # what is said, not what is tagged
    env = Env(tmp_path)
    try:
        at = env.page("imports", "analyst").run()
        at.file_uploader(key="imp_file").set_value(("xuat-nhom.xlsx", _xlsx(XLSX_ROWS), "application/octet-stream")).run()
        at.button(key="imp_go").click().run()
        no_exception(at)
        said = said_right_after(at.main, is_key("imp_go"))
        assert said.startswith("Đã nhập") and len(at.success) == 1, said
    finally:
        env.close()


def test_a_survey_deleted_is_confirmed_where_the_surveys_begin(env):
    """Khảo sát said «Đã xóa khảo sát số 1 …» at the top of the page; «Xóa» is at the end of the survey's overview.
    It is said under the import box, where the survey shown next (or the empty page's word) begins (round 26)."""
    import io

    from orchestration import surveys as importer
    from store.db import utcnow

    env.add_users()
    for n, title in ((10, "Đợt đúng"), (12, "Nhập nhầm")):  # two files: the same one is refused the second time
        data = io.BytesIO("\n".join(["Giới tính,Hài lòng?"] + [f"{['Nam', 'Nữ'][i % 2]},{'Có' if n == 10 else 'Không'}" for i in range(n)]).encode())
        q = importer.preview("sai.csv", data, env.cfg.imports).questionnaire
        importer.import_survey(env.db, env.cfg, "sai.csv", data, q, title=title, username="u", now=utcnow(), tag=False)
    at = env.page("surveys", "admin").run()
    at.selectbox(key="sv_pick").set_value(2).run()
    at.checkbox(key="sv_del_ok_2").check().run()
    at.button(key="sv_del_2").click().run()
    no_exception(at)
    said = said_right_after(at.main, is_expander("Nhập khảo sát (một đợt)"))
    assert said.startswith("Đã xóa khảo sát số 2 «Nhập nhầm»") and len(at.success) == 1, said


def test_failed_pushes_resent_are_confirmed_where_their_warning_stood(env):
    """Thông báo said «Đã đưa 2 tin lỗi vào hàng đợi…» at the top of the page; the warning and its «Gửi lại các tin
    lỗi» are gone once the rows wait again, and the message is drawn where they stood, above the form (round 26)."""
    from tests.dashboard.test_notifications_page import _failed_rows

    env.add_users()
    sid = _failed_rows(env, "chuyenvien", (2, 1))
    at = env.page("notifications", "analyst").run()
    at.button(key=f"nt_resend_{sid}").click().run()
    no_exception(at)
    kids = _kids(at.main)
    form = next(i for i, k in enumerate(kids) if is_form("nt_form")(k))
    assert getattr(kids[form - 1], "type", None) == "success", [getattr(k, "type", None) for k in kids[:form]]
    assert kids[form - 1].value.startswith("Đã đưa 2 tin lỗi vào hàng đợi") and len(at.success) == 1


def test_a_case_closed_with_save_is_confirmed_where_its_detail_stood(env):
    """«Chuyển sang: Đã đóng» + «Lưu» takes the case out of «Đang mở» as an answer does: its message was drawn under the
    next case's form (the wrong case), and under nothing once the last open case was closed (the reviewer's find,
    round 26). Said where the case's detail starts, as a reply's is."""
    from tests.dashboard.test_cases_page import open_new_case

    at, new = open_new_case(env)
    at.selectbox(key=f"case_to_{new}").set_value("closed")
    [b for b in at.button if b.label == "Lưu"][0].click().run()
    no_exception(at)
    assert said_right_after(at.main, is_key("case_pick")) == f"Đã cập nhật phản ánh #{new}."
    assert len(at.success) == 1 and at.selectbox(key="case_pick").value != new
    last = at.selectbox(key="case_pick").value
    at.selectbox(key=f"case_to_{last}").set_value("closed")
    [b for b in at.button if b.label == "Lưu"][0].click().run()
    no_exception(at)
    said_under_the_empty_queue(at)


def test_a_correction_that_empties_the_filtered_list_is_still_confirmed(demo_env):
    """The last item of «Chủ đề: Giao thông» corrected out of its topics left no list, and the message was drawn only
    under the item's box, which is not drawn without items: staff saw nothing (the reviewer's find, round 26). Said
    under the empty list's words."""
    at = demo_env.page("explorer", "analyst").run()
    at.multiselect(key="x_topics").set_value(["traffic"]).run()
    for _ in range(20):  # seven items in the demo; a correction takes one out of the list (under AppTest a click now
        # and then saves nothing, the box's value not yet set: hence more tries than items)
        box = next((e for e in at.expander if e.label.startswith("Sửa nhãn của tin này")), None)
        if box is None:
            break
        title = next(m.value for m in at.markdown if m.value.startswith("#### ")).removeprefix("#### ")
        box.multiselect[0].set_value([])
        next(b for b in box.button if b.label == "Lưu nhãn đã sửa").click().run()
        no_exception(at)
    assert box is None, "the list never emptied"
    said = said_right_after(at.main, lambda k: getattr(k, "type", None) == "info")
    assert said == f"Đã lưu nhãn sửa (chủ đề) của tin «{title}».", (said, title)
