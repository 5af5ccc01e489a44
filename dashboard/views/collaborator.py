"""Báo cáo CTV: collaborators log what they heard offline or saw in closed groups.

    st.form (nội dung, địa bàn, nguồn thông tin, liên kết, ảnh chụp màn hình)
        │ orchestration.ingest.submit_report: item + report row in one write transaction,
        ▼ then the one ingest path (full text, NLP, stories and alerts) like a collected item

No SQL here: reads and writes are named functions in store/collab.py.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from collectors.base import SkipItem
from collectors.collab import CHANNELS, MAX_LINK_CHARS, MAX_PLACE_CHARS, MAX_TEXT_CHARS
from collectors.textutil import tidy
from dashboard import data, ui
from orchestration import ingest
from vocab.config import Config
from store.collab import MAX_SCREENSHOT_BYTES, NewReport
from store.db import Database
from vocab.numbers import fmt_num
from vocab.timefmt import fmt_local, to_local

SCREENSHOT_MB = MAX_SCREENSHOT_BYTES // (1024 * 1024)

PAGE = {"title": "Báo cáo CTV", "icon": ":material/edit_note:", "order": 60, "min_role": "ctv"}

FIELD_KEYS = ("ctv_text", "ctv_place", "ctv_link")  # the form's text fields, emptied after a saved report

IMAGE_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "webp": "image/webp"}


def _user() -> tuple[str, str]:
    from dashboard import gate

    u = gate.current_user()
    if u.username:
        return u.username, u.display_name or u.username
    return "ctv", "Cộng tác viên"


def _db_cfg() -> tuple[Database, Config]:
    return data.db(), data.config()


def render() -> None:
    st.title("Báo cáo của cộng tác viên")
    st.caption(
        "Ghi lại điều anh/chị nghe được ngoài đời hoặc thấy trong các nhóm kín (Zalo, Facebook…) mà hệ thống "
        "không tự thu thập được. Báo cáo được phân tích địa bàn, chủ đề, sắc thái và cảnh báo như tin thu thập tự động."
    )
    msg = st.session_state.pop("_ctv_flash", None)
    if msg:
        (st.success if msg[0] == "ok" else st.error)(msg[1])
    db, cfg = _db_cfg()
    username, display = _user()
    if st.session_state.pop("_ctv_sent", False):  # emptied only once saved: a refused report keeps its text
        for k in FIELD_KEYS:  # set, not deleted: the browser would send its old value back
            st.session_state[k] = ""
        st.session_state["ctv_channel"] = next(iter(CHANNELS.values()))
        st.session_state["_ctv_form_no"] = st.session_state.get("_ctv_form_no", 0) + 1  # a new, empty uploader

    labels = list(CHANNELS.values())
    keys = list(CHANNELS.keys())
    said = st.container()  # above the form: whether what the box holds is already recorded
    with st.form("ctv_report", clear_on_submit=False):
        text = st.text_area(
            "Nội dung *",
            key="ctv_text",
            height=160,
            placeholder=(f"Ví dụ: Bà con khu 3 {data.area_examples()['ward']} bàn tán về việc "
                         f"{data.area_examples()['talk']}, nhiều người bức xúc…"),
            help="Không ghi họ tên, số điện thoại hay địa chỉ của người dân.",
        )
        c1, c2 = st.columns(2)
        place = c1.text_input("Địa bàn", key="ctv_place", placeholder=f"{data.area_examples()['ward']}, khu 3 (tên cũ hay mới đều được)")
        channel_label = c2.selectbox("Nghe/thấy ở đâu *", labels, index=0, key="ctv_channel",
                                     placeholder="Chọn nơi nghe, thấy")
        link = st.text_input("Liên kết (nếu có)", placeholder="https://…", key="ctv_link")
        shot = st.file_uploader(f"Ảnh chụp màn hình (nếu có; PNG, JPG; tối đa {SCREENSHOT_MB} MB)",
                                type=list(IMAGE_TYPES), max_upload_size=SCREENSHOT_MB,
                                key=f"ctv_shot_{st.session_state.get('_ctv_form_no', 0)}")
        sent = st.form_submit_button("Gửi báo cáo", type="primary", icon=":material/send:")

    if sent:
        data_bytes = shot.getvalue() if shot is not None else None
        ext = (shot.name.rsplit(".", 1)[-1].lower() if shot is not None and "." in shot.name else "")
        report = NewReport(
            reporter=username,
            text=text,
            place=place,
            channel=keys[labels.index(channel_label)],
            link=link.strip() or None,
            screenshot=data_bytes,
            screenshot_mime=IMAGE_TYPES.get(ext) if data_bytes else None,
            screenshot_name=shot.name if shot is not None else None,
        )
        try:
            saved = ingest.submit_report(db, cfg, report)
        except (SkipItem, ValueError) as exc:
            st.session_state["_ctv_flash"] = ("error", f"Chưa gửi được: {_vi_reason(str(exc))}")
        else:
            if saved.duplicate_report:
                text_ok = "Báo cáo này đã được gửi trước đó; không tạo bản trùng."
            elif saved.new_item:
                text_ok = "Đã ghi nhận báo cáo. Hệ thống đang phân tích địa bàn, chủ đề và sắc thái."
            else:
                text_ok = "Đã ghi nhận báo cáo; liên kết này đã có trong hệ thống nên báo cáo được gắn vào tin sẵn có."
            st.session_state["_ctv_flash"] = ("ok", text_ok)
            st.session_state["_ctv_sent"] = True
            data.refresh()
        st.rerun()

    st.subheader("Báo cáo gần đây của anh/chị")
    rows = data.my_reports(username)
    if not msg and rows and _same_text(text, rows[0]["text"]):
        said.success(f"Báo cáo có nội dung này đã được ghi nhận lúc {fmt_local(rows[0]['created_at'])}; "
                     "không cần gửi lại.", icon=":material/check_circle:")
    if not rows:
        st.info(f"{display} chưa gửi báo cáo nào.", icon=":material/info:")
        return
    _table(rows)


def _table(rows: list[dict[str, Any]]) -> None:
    import pandas as pd

    ui.dataframe(
        pd.DataFrame({
            "Nội dung": [r["text"][:160] for r in rows],  # first: what was reported (a phone cuts the rest)
            "Thời gian": [to_local(r["created_at"]) for r in rows],
            "Nguồn thông tin": [CHANNELS.get(r["channel"], r["channel"]) for r in rows],
            "Địa bàn": [r["place"] or "" for r in rows],
            "Ảnh": ["có" if r["has_screenshot"] else "" for r in rows],
        }),
        hide_index=True,
        width="stretch",
        **ui.fit_columns(REPORT_COLUMNS, "Nội dung", ["Thời gian", "Địa bàn"]),
    )


REPORT_COLUMNS = {"Nội dung": st.column_config.TextColumn(width="large"),
                  "Thời gian": st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm")}


def _same_text(typed: str | None, saved: str | None) -> bool:
    """Whether the box still holds the newest saved report. On a phone the connection can drop right after
    «Gửi báo cáo»: the report is saved, but the confirmation goes to the lost connection, and on reconnecting
    the browser puts its copy of the text back in the box; without this the collaborator sees the text, no
    confirmation, and sends it again (stored as one report within store.collab.RESEND_MINUTES, a second after)."""
    return bool(typed and saved and tidy(typed)) and tidy(typed) == tidy(saved)


_REASONS = {
    "report text is empty or too short": "nội dung trống hoặc quá ngắn.",
    "link is not an http(s) address": "liên kết phải bắt đầu bằng http:// hoặc https://.",
    "screenshot larger than 5 MB": "ảnh lớn hơn 5 MB.",
    "report text is too long": f"nội dung quá dài (tối đa {fmt_num(MAX_TEXT_CHARS)} ký tự); hãy tóm tắt hoặc gửi thành "
                               "vài báo cáo.",
    "place is too long": f"địa bàn quá dài (tối đa {fmt_num(MAX_PLACE_CHARS)} ký tự).",
    "link is too long": f"liên kết quá dài (tối đa {fmt_num(MAX_LINK_CHARS)} ký tự).",
}


def _vi_reason(reason: str) -> str:
    return _REASONS.get(reason, reason)
