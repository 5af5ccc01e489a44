"""Báo cáo: the weekly summary (week and area pickers, the proposals box, a preview, DOCX / XLSX / PDF),
rapid reports on alerts, and the archive (scheduled and generated reports). Logic: reports/ (dashboard/report_actions.py, data_reports.py)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data, data_reports, gate, report_actions, ui
from dashboard.report_buttons import download_buttons, layout_name, rapid_report_button, report_steps
from reports.generate import weekly_key
from reports.schedule import GENERATED_BY, RETRY_MINUTES, RETRY_MOST, due_week
from reports.settings import WEEKDAYS, ReportSettings, parse_week, to_local, week_title
from vocab.numbers import fmt_num, number
from dashboard.labels import SEVERITY_LABELS, STATE_LABELS

PAGE = {"title": "Báo cáo", "icon": ":material/summarize:", "order": 60, "min_role": "viewer"}
WHOLE = "Toàn tỉnh"
OTHER = "Địa bàn khác…"


def schedule_words(weekday: int, at: str) -> str | None:
    """When the scheduled report is made, as the page's sentence says it: «16:00 thứ Sáu» (the time first, «thứ» in
    lower case mid-sentence, as the week box's help writes it; it read «vào Thứ Sáu 16:00»); None without a schedule."""
    if not weekday:
        return None
    day = WEEKDAYS[weekday - 1]
    return f"{at} {day[0].lower() + day[1:] if day.startswith('Thứ') else day}"


def period_label(kind: str, period: str) -> str:
    """An archived report's period as the week box names it («Tuần 49/2026 (30/11–06/12/2026)», not the ISO code
    «2026-W49» staff do not write); a rapid report's is its alert's code."""
    if kind != "weekly":
        return period
    try:
        return week_title(period)
    except ValueError:  # a hand-made archive row: shown as stored
        return period


def maker(by: str, late: object = None) -> str:
    """«Người tạo» of an archive row: a person's display name, «Lịch tự động», or «Lịch tự động (tạo muộn)» for a week
    the schedule made late (a server that was down on the day; round 22), so staff see why it came on a Monday.
    `late` is the schedule's verdict kept with the row when it was made (round 23: Lưu trữ judged it by today's
    schedule, so moving the report's day turned old on-time reports late); a row from before round 23 has none."""
    if by != GENERATED_BY:
        return data.person(by)
    return "Lịch tự động (tạo muộn)" if pd.notna(late) and bool(late) else "Lịch tự động"


def archived_words(row: dict, area: str, week: str) -> str:
    """The week's report is already in Lưu trữ (`data_reports.latest_archived`): said above the button, so staff do
    not make a second one by hand after the schedule's (round 23). The week by its number (round 24: «tuần này» read
    as the running week on a Monday, when the week offered is the last one)."""
    by = "theo lịch tự động" if row["generated_by"] == GENERATED_BY else data.named(row["generated_by"], "bởi {}")
    year, wk = parse_week(week)
    return (f"Báo cáo tuần {wk}/{year} ({area or WHOLE}) đã có ở thẻ «Lưu trữ»: tạo lúc "
            f"{row['generated_at']:%H:%M %d/%m/%Y}"
            + (f" {by}" if by else "") + ". Chỉ tạo lại khi cần số liệu mới hơn.")


def _failure_text(f: dict, due: str | None) -> str:
    """One Vietnamese sentence for a scheduled weekly report the schedule could not make. `due`: the week the schedule
    tries now (`schedule.due_week`); an older week's failure stays listed but is tried no more (the schedule moved to
    the next week at its due time, or was turned off), so it must not say it will be (round 22)."""
    week = period_label("weekly", f["period"])
    retry = (f"Hệ thống tự thử lại sau {RETRY_MINUTES} phút, rồi thưa dần (nhiều nhất "
             f"{fmt_num(RETRY_MOST.total_seconds() / 3600)} giờ một lần)"
             if f["period"] == due else "Hệ thống không còn tự thử lại báo cáo tuần này")
    return (f"Báo cáo {week[0].lower() + week[1:]} ({f['area'] or WHOLE}) theo lịch chưa tạo được: đã thử {f['tries']} lần, "
            f"lần gần nhất lúc {data.local(f['failed_at']):%H:%M %d/%m}. Lỗi: {f['error']}. {retry}; có thể tạo "
            "tay ở thẻ «Báo cáo tuần».")


def render() -> None:
    st.title("Báo cáo")
    ui.flash()
    s = data_reports.settings()
    when = schedule_words(s.schedule_weekday, s.schedule_time)
    st.caption(
        "Báo cáo tổng hợp thông tin báo chí, mạng xã hội theo tuần và báo cáo nhanh theo thể thức "
        f"{layout_name(s.layout)}: tải về DOCX để chỉnh sửa, ký số; XLSX để tính toán; "
        "PDF để gửi."
        + (f" Báo cáo tuần được tự động tạo vào {when} hằng tuần và lưu ở thẻ «Lưu trữ»; nếu lúc đó máy chủ không "
           "chạy, báo cáo của tuần ấy được tạo khi máy chủ chạy lại." if when else "")
    )
    due = due_week(to_local(data.now()), s.schedule_weekday, s.schedule_time) if s.schedule_weekday else None
    for f in data_reports.schedule_failures():  # a failed scheduled run went only to the server log
        st.error(_failure_text(f, due), icon=":material/error:")
    weekly, rapid, archive = ui.tabs(["Báo cáo tuần", "Báo cáo nhanh", "Lưu trữ"], key="rep_tab")
    with weekly:
        _weekly(s)
    with rapid:
        _rapid(s)
    with archive:
        _archive(s)


def _weekly(s: ReportSettings) -> None:
    cfg = data.config()
    c1, c2, c3 = st.columns([1.4, 1, 1])
    # the week the office files now: the current one from the report time (Friday 16:00 by default), else the
    # one that has ended; the other is one click away
    week = ui.week_picker(c1, data_reports.weeks(), data_reports.default_week(s), "rep_week",
                          help="Mặc định là tuần đang diễn ra nếu đã đến giờ lập báo cáo tuần (mặc định 16:00 "
                               "thứ Sáu, như báo cáo tự động vào kho), nếu chưa thì tuần đã kết thúc gần nhất "
                               "(thứ Hai đến hết Chủ nhật, giờ Việt Nam). Báo cáo của tuần đang diễn ra chỉ tính "
                               "đến lúc lập.")
    focus = cfg.area.focus.strip()
    options = [WHOLE] + ([focus] if focus else []) + [OTHER]
    # the office's own area, as `langnghe report weekly` and the schedule take it (ReportSettings.report_area): the
    # focus for a ward office named after it, else the whole province (fix37: «Toàn tỉnh» under a ward's title)
    own = s.report_area(None)
    # kept while another page is open, as the week is
    ui.keep("rep_area_pick", own if own in options else WHOLE, options)
    pick = c2.selectbox("Địa bàn", options, key="rep_area_pick",
                        help="Toàn tỉnh: các tin được bộ phân tích xác định thuộc địa bàn tỉnh. Một địa bàn cụ thể: "
                             "các tin nêu tên địa bàn đó (cả tên cũ trước 01/7/2025)."
                             + (f" Mặc định là {own}, địa bàn của cơ quan." if own else ""), placeholder="Chọn địa bàn")
    area = ""
    if pick == OTHER:
        ui.keep("rep_area_other", "")
        area = s.report_area(c3.text_input("Tên địa bàn", key="rep_area_other",
                                           placeholder=f"Ví dụ: {data.area_examples()['place']}"))
    elif pick != WHOLE:
        area = pick
    analyst = gate.can("analyst")
    key = weekly_key(week, area)
    saved = data_reports.saved_text("weekly", key)
    saved_body = saved["body"] if saved else ""
    drafts = ui.drafts("weekly")  # unsaved, per report key: the box is keyed by week and area
    st.markdown("**Đề xuất, kiến nghị** (mục VI của báo cáo)")
    box = f"rep_text_{key}"
    body = st.text_area("Đề xuất, kiến nghị", value=drafts.get(key, saved_body), key=box, height=140,
                        label_visibility="collapsed", disabled=not analyst, on_change=ui.keep_draft,
                        args=("weekly", key, box),
                        placeholder=f"Mỗi dòng là một đoạn. Ví dụ: Đề nghị UBND {data.area_examples()['unit']} chỉ đạo "
                                    "kiểm tra…")
    if saved:
        st.caption(f"Lưu lần cuối{data.named(saved['username'], ' bởi {}')} lúc {data.local(saved['updated_at']):%H:%M %d/%m/%Y}.")
    if body != saved_body:
        st.caption("Đề xuất đang soạn chưa lưu: được giữ khi đổi tuần, địa bàn hay trang trong phiên này; bấm «Lưu "
                   "đề xuất» để lưu vào báo cáo.")
    row = ui.button_row()  # the two buttons together at the left (column weights set them a third of the page apart)
    if row.button("Lưu đề xuất", key="rep_save", disabled=not analyst, icon=":material/save:"):
        try:
            ui.set_flash(report_actions.save_weekly_text(data.db(), gate.current_user(), week, area, body), where="save")
            drafts.pop(key, None)
        except (ValueError, PermissionError) as exc:
            ui.set_flash(str(exc), ok=False, where="save")
        data.refresh()
        st.rerun()
    if row.button("Tạo báo cáo (DOCX, XLSX, PDF)", key="rep_go", type="primary", disabled=not analyst,
                 icon=":material/play_arrow:"):
        try:
            if body != saved_body:
                report_actions.save_weekly_text(data.db(), gate.current_user(), week, area, body)
                drafts.pop(key, None)
            with report_steps("báo cáo") as on:
                res = report_actions.generate_weekly(data.db(), s, gate.current_user(), week, area, on)
        except (ValueError, PermissionError) as exc:
            st.error(str(exc))
        else:
            st.session_state["rep_files"] = {"key": key, "files": [str(p) for p in res.files.values()],
                                             "errors": res.errors, "seconds": res.seconds}
            data.refresh()
    ui.flash("save")  # under «Lưu đề xuất»: the top of the page is above the box of proposals (round 26)
    made = st.session_state.get("rep_files")
    just_made = bool(made and made["key"] == key)
    have = data_reports.latest_archived(week, area)
    if have and not just_made:  # the one just made is said below: «Đã tạo…» and its files (round 24: both were said,
        st.caption(archived_words(have, area, week))  # «Chỉ tạo lại khi…» under the click that made it, a reproach)
    if not analyst:
        st.caption("Tài khoản xem chỉ tải được báo cáo đã tạo (thẻ «Lưu trữ»); chuyên viên mới tạo được báo cáo.")
    if just_made:
        st.success(f"Đã tạo báo cáo trong {fmt_num(made['seconds'], 1)} giây.")  # 2,2 giây, not 2.2
        for err in made["errors"]:
            st.warning(err)
        download_buttons(made["files"], key="rep_dl")
    st.markdown("**Xem trước**")
    html, n = data_reports.preview_html(week, area, body)
    st.caption(f"{number(n)} tin, bài trong phụ lục. Bản xem trước cắt các bảng dài ở {data_reports.PREVIEW_ROWS} dòng; "
               "biểu đồ có trong tệp tải về.")
    if not n:  # a new office, or a week before collection began: say it before staff file an empty report
        ui.empty("Kỳ này chưa có tin, bài nào phản ánh về địa bàn đã chọn: báo cáo tạo ra sẽ không có số liệu. "
                 "Chọn tuần hoặc địa bàn khác; nếu chưa có tin nào, xem trang Nguồn tin.")
    st.iframe(html, height=900)  # our own HTML: every feed text escaped, scripts barred by its CSP


# a rapid report is made from one alert: a new office, with none yet, was not told so nor where (round 26)
NO_ALERT_YET = ("Chưa có cảnh báo nào để lập báo cáo nhanh. Báo cáo nhanh được lập cho một cảnh báo: khi có cảnh báo, "
                "chọn nó ở đây, hoặc mở nó ở trang Cảnh báo và bấm «Tạo báo cáo nhanh» dưới chi tiết. Cảnh báo được "
                "tạo khi một vấn đề nổi lên bất thường trong tin bài hoặc khớp một danh sách theo dõi (trang Theo dõi).")


def _rapid(s: ReportSettings) -> None:
    df = data.alerts(None, 500)
    if not len(df):
        ui.empty(NO_ALERT_YET)
        return
    labels = {a: rapid_pick_label(a, t, sev, status) for a, t, sev, status in
              zip(df["alert_id"], df["title"], df["severity"], df["status"])}
    # the box follows the newest alert until staff pick one themselves: every tab is drawn at each run, so it was
    # made when the page opened and stayed on the alert then newest once another was raised (ux29's walk). A pick of
    # their own is kept (across pages too) while the alert is listed.
    pick = rapid_pick(ui.drafts(RAPID_CHOSEN).get("alert"), list(labels))
    if st.session_state.get("rep_rapid_pick") != pick:
        st.session_state["rep_rapid_pick"] = pick
    alert_id = st.selectbox("Cảnh báo", list(labels), key="rep_rapid_pick", format_func=labels.get,
                            placeholder="Chọn cảnh báo", on_change=_rapid_chosen)
    if alert_id:
        rapid_report_button(alert_id, s)


# the alert staff picked themselves in «Báo cáo nhanh»'s box, kept as a draft is: per account (ui.drafts), since the
# browser's session outlives a sign-out on a shared office computer and the next account found the last one's pick
RAPID_CHOSEN = "rapid_chosen"


def _rapid_chosen() -> None:
    """The box's on_change (a pick by hand, not a run's): remember it for this account."""
    ui.drafts(RAPID_CHOSEN)["alert"] = st.session_state.get("rep_rapid_pick")


def rapid_pick(chosen: object, ids: list[str]) -> str:
    """The alert «Báo cáo nhanh»'s box shows: the one staff picked while it is listed, else the newest (`ids[0]`)."""
    return chosen if isinstance(chosen, str) and chosen in ids else ids[0]


def rapid_pick_label(alert_id: str, title: object, severity: object, status: object) -> str:
    """An alert in «Báo cáo nhanh»'s box, «A000009 [Cao · Đã tiếp nhận] · title»: the box lists every alert, newest
    first, closed ones too, and said only «A000009 · title» (Cảnh báo's box gives the level; round 27)."""
    tags = " · ".join(x for x in (SEVERITY_LABELS.get(str(severity), ""), STATE_LABELS.get(str(status), "")) if x)
    return f"{alert_id}{f' [{tags}]' if tags else ''} · {' '.join(str(title or '').split())[:110]}"


def _archive(s: ReportSettings) -> None:
    arch = data_reports.archive(None, 200)
    if not len(arch):
        ui.empty("Chưa có báo cáo nào trong lưu trữ. Báo cáo tuần tự động và báo cáo tạo tại đây được lưu vào đây.")
        return
    ui.dataframe(
        pd.DataFrame({
            "Loại": ["Báo cáo tuần" if k == "weekly" else "Báo cáo nhanh" for k in arch["kind"]],
            "Kỳ / cảnh báo": [period_label(k, p) for k, p in zip(arch["kind"], arch["period"])],
            "Địa bàn": [a or WHOLE for a in arch["area"]],
            "Tạo lúc": arch["generated_at"],
            "Người tạo": [maker(g, late) for g, late in zip(arch["generated_by"], arch["late"])],
            "Số tin": arch["n_items"],
        }),
        hide_index=True, width="stretch", height=ui.table_height(len(arch), 320),
        column_config={"Tạo lúc": st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm")},
    )
    labels = {int(r.id): f"{period_label(r.kind, r.period)} · {r.area or WHOLE} · {r.generated_at:%d/%m/%Y %H:%M}"
              for r in arch.itertuples()}
    # keyed by the newest report: every tab is drawn at each run, so the box was made when the page opened and stayed
    # on the report then newest once another was made (its «Tải DOCX» gave the older figures; round 27)
    pick = st.selectbox("Tải báo cáo", list(labels), format_func=labels.get, key=f"rep_arch_pick_{next(iter(labels))}",
                        placeholder="Chọn báo cáo")
    if pick is not None:
        row = arch[arch["id"] == pick].iloc[0]
        files = report_actions.archived_files(row["dir"], list(row["files"]), s.archive_dir)
        download_buttons(files, key=f"rep_arch_{pick}")
