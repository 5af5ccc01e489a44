"""Report widgets other pages embed: `rapid_report_button(alert_id)` for an alert's detail view, and
`download_buttons(paths)` for generated files.

    from dashboard.report_buttons import rapid_report_button
    rapid_report_button(alert_id)      # "Tạo báo cáo nhanh": proposals box, generate, download DOCX / PDF
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

import streamlit as st

from dashboard import data, data_reports, downloads, gate, report_actions, ui
from orchestration.accounts import AuthSettings
from reports.generate import rapid_key
from reports.settings import ReportSettings
from reports.steps import Progress, step_words
from vocab.numbers import fmt_num

# the layout `[reports] layout` chose (the default is a Party body's), as Báo cáo's caption and the rapid report's
# button name it: both used to name Decree 30 always
LAYOUT_NAMES = {"party": "văn bản của Đảng (Hướng dẫn 36-HD/VPTW)",
                "state": "văn bản hành chính (Nghị định 30/2020/NĐ-CP)"}


def layout_name(layout: str) -> str:
    return LAYOUT_NAMES.get(layout, LAYOUT_NAMES["state"])


LABEL = {".docx": "Tải DOCX (Word)", ".xlsx": "Tải XLSX (Excel)", ".pdf": "Tải PDF"}
ICON = {".docx": ":material/description:", ".xlsx": ":material/table_chart:", ".pdf": ":material/picture_as_pdf:"}


def download_buttons(paths: Iterable[Path], key: str) -> None:
    """Links to the files, valid for this signed-in session only (dashboard/downloads.py). Not
    st.download_button: its bytes are served at /media/ to anyone, even after sign-out."""
    paths = [Path(p) for p in paths if Path(p).is_file() and Path(p).suffix in downloads.MIME]
    if not paths:
        st.caption("Không còn tệp nào trên máy chủ.")
        return
    token = st.session_state.get("auth_token")
    row = ui.button_row()  # together at the left, as wide as their labels (they were stretched over the page)
    order = {".docx": 0, ".xlsx": 1, ".pdf": 2}
    for p in sorted(paths, key=lambda x: order.get(x.suffix, 9)):
        row.link_button(LABEL.get(p.suffix, p.name), downloads.link(p, token) if token else downloads.PREFIX,
                        icon=ICON.get(p.suffix), disabled=not token,
                        help=f"{p.name}: liên kết chỉ dùng được trong phiên đăng nhập này, trong "
                             f"{fmt_num(AuthSettings.from_config(data.config()).download_link_minutes, 1)} phút.")


@contextmanager
def report_steps(what: str) -> Iterator[Progress]:
    """A status box that names the step running («Đang tạo báo cáo: vẽ biểu đồ…») and writes one line per step done
    with its time: a report takes 5–20 s, and a bare spinner that long read as a hang (ux21's walk). The reports
    layer calls the yielded callback; it knows nothing of Streamlit. `what`: «báo cáo», «báo cáo nhanh»."""
    with st.status(f"Đang tạo {what}…", expanded=True) as box:
        def on(step: str, seconds: float | None) -> None:
            words = step_words(step)
            if seconds is None:
                box.update(label=f"Đang tạo {what}: {words}…")
            else:
                box.markdown(f"✓ {words[0].upper() + words[1:]}: {fmt_num(seconds, 1)} giây")
        try:
            yield on
        except BaseException:
            box.update(label=f"Chưa tạo được {what}", state="error")
            raise
        box.update(label=f"Các bước tạo {what}", state="complete", expanded=False)


def rapid_report_button(alert_id: str, s: ReportSettings | None = None) -> None:
    """'Tạo báo cáo nhanh' for one alert: the proposed handling (saved), generate into the archive, download. `s`:
    the page's data_reports.settings() if it has built them (once per draw; for the layout named here, the file made
    now and the archive's folder)."""
    flag = f"rr_open_{alert_id}"
    s = s or data_reports.settings()
    if st.button("Tạo báo cáo nhanh", key=f"rr_btn_{alert_id}", icon=":material/summarize:",
                 help=f"Báo cáo nhanh (DOCX, PDF) theo thể thức {layout_name(s.layout)}"):
        st.session_state[flag] = not st.session_state.get(flag, False)
    if not st.session_state.get(flag):
        return
    with st.container(border=True):
        st.markdown(f"**Báo cáo nhanh về cảnh báo {alert_id}**")
        analyst = gate.can("analyst")
        saved = data_reports.saved_text("rapid", rapid_key(alert_id))
        drafts = ui.drafts("rapid")  # typed, not saved: kept when another alert is opened
        body = st.text_area("Đề xuất hướng xử lý (mục VI của báo cáo)",
                            value=drafts.get(alert_id, saved["body"] if saved else ""),
                            key=f"rr_text_{alert_id}", height=120, disabled=not analyst,
                            on_change=ui.keep_draft, args=("rapid", alert_id, f"rr_text_{alert_id}"),
                            placeholder="Ví dụ: Đề nghị UBND phường phối hợp xác minh, cung cấp thông tin chính thống…")
        if saved:
            st.caption(f"Lưu lần cuối{data.named(saved['username'], ' bởi {}')} lúc {data.local(saved['updated_at']):%H:%M %d/%m/%Y}.")
        if st.button("Lưu và tạo tệp", key=f"rr_go_{alert_id}", type="primary", disabled=not analyst,
                     icon=":material/play_arrow:"):
            user = gate.current_user()
            try:
                if body != (saved["body"] if saved else ""):
                    report_actions.save_rapid_text(data.db(), user, alert_id, body)
                drafts.pop(alert_id, None)
                with report_steps("báo cáo nhanh") as on:
                    res = report_actions.generate_rapid(data.db(), s, user, alert_id, on)
            except (ValueError, PermissionError) as exc:
                st.error(str(exc))
            else:
                st.session_state[f"rr_files_{alert_id}"] = [str(p) for p in res.files.values()]
                # as the weekly report says it: the buttons alone appeared under a spinner that had just gone
                st.success(f"Đã tạo báo cáo nhanh trong {fmt_num(res.seconds, 1)} giây.")
                for err in res.errors:
                    st.warning(err)
                data.refresh()
        if not analyst:
            st.caption("Tài khoản xem chỉ tải được báo cáo đã tạo; chuyên viên mới tạo được báo cáo mới.")
        files = st.session_state.get(f"rr_files_{alert_id}")
        if not files:
            arch = data_reports.rapid_archive(rapid_key(alert_id))
            if len(arch):
                row = arch.iloc[0]
                st.caption(f"Bản gần nhất: {row['generated_at']:%H:%M %d/%m/%Y}{data.named(row['generated_by'], ', do {} tạo')}.")
                files = [str(p) for p in report_actions.archived_files(row["dir"], list(row["files"]), s.archive_dir)]
        if files:
            download_buttons(files, key=f"rr_dl_{alert_id}")
        elif not analyst:
            ui.empty("Chưa có báo cáo nhanh nào cho cảnh báo này.")
