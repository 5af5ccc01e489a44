"""Nguồn tin: source health (last success, errors, volume vs usual), the source-volume alarms, recent
errors; admins add, pause or edit sources here, written to the config store (managed_sources) that
the scheduler merges over langnghe.toml on its next tick."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from collectors.base import error_kind_label
from dashboard import actions, data, gate, ui
from dashboard.labels import (
    CONFIGURED_SOURCE_TYPES, HEALTH_STATUS, SOURCE_TYPES, WHOLE_DAYS_ONLY, fmt_num, number, safe_link, too_new_text,
)
from orchestration import sources as sources_store
from orchestration import status
from vocab.config import source_interval_refusal

PAGE = {"title": "Nguồn tin", "icon": ":material/rss_feed:", "order": 60, "min_role": "viewer"}
ALARM_KINDS = {"volume_drop": "Lượng tin giảm bất thường", "failing": "Lỗi kéo dài"}
# what a new office sees, with its next step: who adds a source, and where files from other tools go
NO_SOURCE_ADMIN = ("Chưa cấu hình nguồn tin nào. Thêm nguồn (RSS, trang báo, kênh…) ở mục «Quản lý nguồn tin» → "
                   "«Thêm nguồn» bên dưới; bài đăng xuất từ công cụ khác thì nhập ở trang «Nhập dữ liệu».")
NO_SOURCE = ("Chưa cấu hình nguồn tin nào. Đề nghị quản trị viên thêm nguồn ở trang này; bài đăng xuất từ công cụ "
             "khác thì chuyên viên nhập ở trang «Nhập dữ liệu».")
# tried, never fetched anything: every try so far failed (round 29; it read «Lần thu thập gần nhất» with a failed try)
NEVER_GOT = "Chưa thu thập được lần nào: mọi lần thử đều lỗi (lỗi của từng nguồn ở bảng dưới)."
NEVER_COLLECTED = ("Chưa thu thập lần nào. Máy chủ (`langnghe serve`) tự thu thập theo lịch của từng nguồn; tin "
                   "hiện ra sau lượt thu thập đầu tiên.")


def _volume_text(today: int, per_day: float | None, seen: bool = True) -> str:
    """The last 24 h against the source's usual day; «chưa đủ dữ liệu» while it has not been collected a whole day
    before them (store.baseline: a first collection's backlog is no usual level, round 26), «—» if never."""
    if per_day is None:
        return TOO_NEW_CELL if seen else ui.MISSING
    if per_day <= 0:
        return "—" if today == 0 else "mới có tin"
    return f"{(today - per_day) / per_day * 100:+.0f}%"


def _cut_text(cut: dict[str, int], mail_mb: float) -> str:
    """Items stored with a title or text cut to the length caps ([storage] max_*_chars), and complaint e-mails
    read only up to their first `mail_mb` ([limits] max_mail_mb)."""
    parts = [f"{label} {cut[k]}" for k, label in (("title", "tiêu đề"), ("text", "nội dung"),
                                                  ("mail", f"thư quá {fmt_num(mail_mb, 1)} MB")) if cut.get(k)]
    return ", ".join(parts) or "—"


def render() -> None:
    st.title("Nguồn tin")
    ui.flash()
    health = data.source_health()
    managed = {m["name"] for m in data.managed_sources()}
    if not health:
        ui.empty(NO_SOURCE_ADMIN if gate.can("admin") else NO_SOURCE)
    else:
        health = _health(health, managed)
    st.subheader("Cảnh báo nguồn tin")
    _alarms()
    _errors()
    _fulltext(health)
    last = data.last_success_at()  # a failed try is no collection (round 29): the table gives each source's errors
    st.caption(f"Lần thu thập thành công gần nhất: {last:%d/%m/%Y %H:%M:%S}" if last
               else NEVER_GOT if data.last_collection_at() else NEVER_COLLECTED)
    # One container always drawn, whether or not a note is due: a note that comes and goes between two runs (the
    # catch-up finishing while staff work) would shift every element below it, and Streamlit's frontend then takes
    # the tabs of «Quản lý nguồn tin» for new ones and opens their first tab (tests/browser/test_tabs_stay.py).
    with st.container():
        pending, failed = data.steps_owed()
        if pending:  # 0 between passes: said only when the matching is owed
            st.warning(status.steps_pending_text(pending))
        if failed:  # given up after store.tags.STEP_ATTEMPTS: seen, not silently lost
            st.error(status.steps_failed_text(failed))
            if gate.can("admin"):
                _retry_steps(failed)
        ui.flash("retry")  # outside the `if`: once every item is back in the queue the button is gone
    if gate.can("admin"):
        _manage(health)


def _retry_steps(failed: int) -> None:
    """Admins put the given-up items back in the queue from here, without stopping serve (`langnghe steps --retry`
    writes the file, so it needs serve stopped): a box to tick first, as the cause should be fixed before."""
    sure = st.checkbox(f"Đã khắc phục nguyên nhân lỗi, đưa {fmt_num(failed)} tin vào lại hàng chờ đối chiếu",
                       key="steps_retry_ok")
    if not st.button("Thử lại các tin đã dừng", key="steps_retry", disabled=not sure, icon=":material/replay:"):
        return
    try:
        n = actions.retry_given_up_steps(data.db(), gate.current_user())
    except PermissionError as exc:
        ui.set_flash(str(exc), ok=False, where="retry")
    else:
        ui.set_flash(f"Đã đưa {fmt_num(n)} tin vào lại hàng chờ; máy chủ đối chiếu hồ sơ phản ánh và danh sách theo dõi "
                     "cho chúng ở lượt gán nhãn kế tiếp." if n else
                     "Không còn tin nào đang dừng thử (có thể đã được đưa lại).", where="retry")
    data.refresh()
    st.rerun()


# The health table in two groups of columns, each in pixels that fit the 954 px of a 1366 px page with the sidebar open:
# the fourteen columns side by side were 1,749 px wide and scrolled sideways (round 21). The state of each source by
# default; what the last fetch read, the source's outlet and type, cut items and where it is edited on demand.
HEALTH_WIDTHS = {"Nguồn": 160, "Trạng thái": 95, "Thành công gần nhất": 130, "Lỗi liên tiếp": 85, "Lỗi gần nhất": 215,
                 "Tin 24 giờ": 75, "TB/ngày": 65, "So với thường lệ": 110}
HEALTH_DETAIL_WIDTHS = {"Nguồn": 160, "Cơ quan, kênh": 140, "Loại": 90, "Lần tải gần nhất": 230, "Lỗi mã hóa": 80,
                        "Tin bị cắt bớt": 110, "Sửa trên giao diện": 130}
# on a tablet (a page narrower than the desk's 946 px: ui.desk_or_tablet) each group in at most 730 px; the desk's
# scrolled sideways at 768 px (round 22). The state: the source, whether it works, when it last did and why not
HEALTH_TABLET = {c: HEALTH_WIDTHS[c] for c in ("Nguồn", "Trạng thái", "Thành công gần nhất", "Lỗi gần nhất", "Tin 24 giờ")}
HEALTH_DETAIL_TABLET = {c: HEALTH_DETAIL_WIDTHS[c] for c in ("Nguồn", "Lần tải gần nhất", "Lỗi mã hóa", "Tin bị cắt bớt",
                                                             "Sửa trên giao diện")}
# and the other tables of the page (935, 920 and 935 px) in at most 730 px: the alarms without «Hết lúc», the errors
# without «HTTP», the full texts without «Chi tiết», the longest texts narrower (a click on a cell shows them whole)
ALARMS_TABLET = {"Nguồn": 160, "Loại": 170, "Đang diễn ra": 95, "Từ lúc": 120, "Nội dung": 185}
ERRORS_TABLET = {"Lúc": 120, "Nguồn": 160, "Loại lỗi": 160, "Chi tiết": 290}
# On a phone (390 px: a 356 px frame) the tablet's 675 px of health and 730 of alarms scrolled sideways (ux41 measured
# them; ux43): the source wrapped and two columns, in at most ui.PHONE_GRID px; the others in the grid's eye menu.
HEALTH_PHONE = {"Nguồn": 150, "Trạng thái": 110, "Tin 24 giờ": 80}
HEALTH_DETAIL_PHONE = {"Nguồn": 140, "Lần tải gần nhất": 210}
ALARMS_PHONE = {"Nguồn": 130, "Loại": 130, "Đang diễn ra": 90}
ERRORS_PHONE = {"Lúc": 110, "Nguồn": 110, "Loại lỗi": 130}
FULLTEXT_PHONE = {"Nguồn": 130, "Đã lấy toàn văn": 115, "Tải lỗi": 60}
DETAIL_TOGGLE = "Xem chi tiết lần tải (cơ quan, loại, số mục, lỗi mã hóa, tin bị cắt bớt)"
TOO_NEW_CELL = "chưa đủ dữ liệu"
USUAL_HELP = ("Trung bình số tin mỗi ngày (theo giờ đăng) trong tối đa 7 ngày trước 24 giờ qua, chỉ tính những ngày "
              "đã thu thập trọn ngày: tin cũ đọc được ở lần thu thập đầu tiên không phải mức thường lệ. Nguồn mới "
              "thu thập chưa được một ngày trọn: «—» và «chưa đủ dữ liệu».")
HEALTH_COLUMNS = {
    "Thành công gần nhất": st.column_config.DatetimeColumn(format=ui.DATE_TIME_FORMAT),
    "Tin 24 giờ": st.column_config.NumberColumn(
        help="Số tin có thời gian đăng trong 24 giờ qua (không phải số tin vừa tải về)."),
    "TB/ngày": st.column_config.NumberColumn(help=USUAL_HELP),
    "So với thường lệ": st.column_config.TextColumn(help="Số tin 24 giờ qua so với «TB/ngày». " + USUAL_HELP),
    "Lỗi gần nhất": st.column_config.TextColumn(help="Bấm vào ô để đọc hết thông báo lỗi."),
}


def _health(health: list[dict], managed: set[str]) -> list[dict]:
    """The count of sources per state, then one row per source, problems first; returns them in that order."""
    counts = status.state_counts(health)
    cols = st.columns(len(HEALTH_STATUS))
    for col, (k, label) in zip(cols, HEALTH_STATUS.items()):
        col.metric(label, counts.get(k, 0))
    health = status.problems_first(health)
    limits = data.config().limits
    table = pd.DataFrame({
        "Nguồn": [h["source"] for h in health],
        "Cơ quan, kênh": [h["outlet"] for h in health],
        "Loại": [SOURCE_TYPES.get(h["source_type"], h["source_type"]) for h in health],
        "Trạng thái": [HEALTH_STATUS.get(h["status"], h["status"]) for h in health],
        "Thành công gần nhất": [h["last_success_at"] for h in health],
        # entries read, new items, and those past the cap of one answer ([limits] max_entries), counted and until dash7 unsaid
        "Lần tải gần nhất": [status.last_run_text(h) or None for h in health],
        "Lỗi liên tiếp": [h["consecutive_failures"] for h in health],
        "Lỗi gần nhất": [(h["last_error"] or "")[:160] or None for h in health],  # None: «—»
        # bytes the last fetch could not decode (shown as "�" in the text), see docs/SOURCES.md#encoding
        "Lỗi mã hóa": [h.get("last_decode_replaced") or None for h in health],
        "Tin 24 giờ": [h["items_24h"] for h in health],
        "TB/ngày": [h["usual_per_day"] for h in health],
        "So với thường lệ": [_volume_text(h["items_24h"], h["usual_per_day"], h["first_seen_at"] is not None)
                             for h in health],
        "Tin bị cắt bớt": [_cut_text(h.get("items_cut") or {}, limits.max_mail_mb) for h in health],
        "Sửa trên giao diện": ["✓" if h["source"] in managed else "" for h in health],
    })
    detail = st.toggle(DETAIL_TOGGLE, key="src_health_detail", help="Bảng chỉ hiện một nhóm cột, để vừa màn hình; "
                       "gạt lại để về tình trạng. Bấm vào một ô để đọc hết nội dung.")
    groups = (HEALTH_DETAIL_WIDTHS, HEALTH_DETAIL_TABLET) if detail else (HEALTH_WIDTHS, HEALTH_TABLET)
    desk, tablet = ({"column_order": list(w), "column_config": ui.sized_columns(w, HEALTH_COLUMNS)} for w in groups)
    ui.desk_and_tablet("src_health", table, desk, tablet, HEALTH_DETAIL_PHONE if detail else HEALTH_PHONE,
                       hide_index=True, width="stretch", placeholder="—", height=ui.table_height(len(health), 420))
    with st.container():  # always drawn: a word that comes and goes would shift what is below it
        over = status.over_cap_text(health, limits)
        if over:
            st.warning(over, icon=":material/warning:")
        new = [h["first_seen_at"] for h in health if h["usual_per_day"] is None and h["first_seen_at"] is not None]
        if new:
            st.caption(f"«So với thường lệ» của {fmt_num(len(new))} nguồn: {too_new_text(data.local(min(new)))}; "
                       f"{WHOLE_DAYS_ONLY}.")
    return health


def _alarms() -> None:
    """Source alarms (failing for long, volume dropped), the open ones and those already over."""
    alarms = data.source_alarms()
    if not len(alarms):
        st.caption("Không có cảnh báo nào về nguồn tin.")
        return
    ui.desk_and_tablet_grid("src_alarms", pd.DataFrame({
        "Nguồn": alarms["source"],
        "Loại": [ALARM_KINDS.get(k, k) for k in alarms["kind"]],
        "Đang diễn ra": ["có" if o else "đã hết" for o in alarms["open"]],
        "Từ lúc": alarms["raised_at"],
        "Hết lúc": alarms["cleared_at"],
        "Nội dung": alarms["reason"],
    }), {"Nguồn": {"width": 160}, "Loại": {"width": 170}, "Đang diễn ra": {"width": 95},
         "Từ lúc": st.column_config.DatetimeColumn(format=ui.DATE_TIME_FORMAT, width=120),
         "Hết lúc": st.column_config.DatetimeColumn(format=ui.DATE_TIME_FORMAT, width=120),
         "Nội dung": st.column_config.TextColumn(width=270)},  # 935 px: «large» made it 957 in 954
        ALARMS_TABLET, ALARMS_PHONE, hide_index=True, width="stretch", placeholder="—")


def _errors() -> None:
    """The last 30 fetch errors, folded away in an expander."""
    errors = data.recent_errors(30)
    if not len(errors):
        return
    with st.expander(f"Lỗi thu thập gần đây ({len(errors)})"):
        ui.desk_and_tablet_grid("src_errors", pd.DataFrame({
            "Lúc": errors["started_at"], "Nguồn": errors["source"], "HTTP": errors["http_status"],
            "Loại lỗi": errors["error_kind"].map(error_kind_label, na_action="ignore"), "Chi tiết": errors["error"],
        }), {  # 920 px: fits a 1366 px desk
            "Lúc": st.column_config.DatetimeColumn(format=ui.DATE_TIME_FORMAT, width=120), "Nguồn": {"width": 160},
            "HTTP": {"width": 60}, "Loại lỗi": {"width": 160}, "Chi tiết": {"width": 420}},
            ERRORS_TABLET, ERRORS_PHONE, hide_index=True, width="stretch", placeholder="—")


FULLTEXT_DAYS = 7  # Nguồn tin's full-text table counts the items fetched in the last week
DETAIL_WIDTH = 270  # px: the table then fits a 1366 px desk (935 px in all); a click on a cell shows its whole text
FULLTEXT_WIDTHS = (115, 100, 170, 60, 60)  # the five counts, each as wide as its label
FULLTEXT_COLUMNS = {"ok": "Đã lấy toàn văn", "waiting": "Đang chờ lấy", "robots": "robots.txt không cho phép",
                    "failed": "Tải lỗi", "other": "Khác"}


# Full text turned off: the config key is the administrator's; staff read who turned it off (ux41, as ux40's Thông báo)
FULLTEXT_OFF = "Không lấy toàn văn bài báo (tắt trong cấu hình, [fulltext] enabled): tin chỉ có phần tóm tắt của nguồn."
FULLTEXT_OFF_STAFF = ("Không lấy toàn văn bài báo (quản trị viên đã tắt trong cấu hình): tin chỉ có phần tóm tắt của "
                      "nguồn.")


def _fulltext(health: list[dict]) -> None:
    """Per source, its articles by full-text outcome (collectors.fulltext.SourceFulltext), in the words
    `langnghe fulltext` prints: until dash7 only that command said them."""
    st.subheader("Toàn văn bài báo")
    fs = data.fulltext_settings()
    if not fs.enabled:
        st.caption(FULLTEXT_OFF if gate.can("admin") else FULLTEXT_OFF_STAFF)
        return
    rows = data.fulltext_by_source(FULLTEXT_DAYS)
    if not rows:
        st.caption(f"Không có tin nào cần lấy toàn văn trong {FULLTEXT_DAYS} ngày qua.")
        return
    order = {h["source"]: i for i, h in enumerate(health)}
    rows = sorted(rows, key=lambda r: order.get(r.source, len(order)))
    counts = {label: w for label, w in zip(FULLTEXT_COLUMNS.values(), FULLTEXT_WIDTHS)}
    ui.desk_and_tablet_grid(
        "src_fulltext", pd.DataFrame({"Nguồn": [r.source for r in rows]}
                                     | {label: [getattr(r, k) for r in rows] for k, label in FULLTEXT_COLUMNS.items()}
                                     | {"Chi tiết": [r.detail or None for r in rows]}),
        {"Nguồn": {"width": 160}, **{label: {"width": w} for label, w in counts.items()},
         "Chi tiết": {"width": DETAIL_WIDTH}},
        {"Nguồn": 160, **counts},  # a tablet: the counts; «Chi tiết» is `langnghe fulltext`'s words for them
        FULLTEXT_PHONE, hide_index=True, width="stretch", placeholder="—", height=ui.table_height(len(rows), 420))
    st.caption(f"Tin, bài thu thập trong {FULLTEXT_DAYS} ngày qua. Toàn văn được lấy trong "
               f"{fmt_num(fs.max_age_hours, 1)} giờ sau khi thu thập, tối đa {number(fs.max_per_run)} bài một lượt. "
               "«Đang chờ lấy» gồm cả bài lỗi tạm thời sẽ được thử lại (robots.txt của trang chưa trả lời, hết thời "
               f"gian chờ, không kết nối được, máy chủ trả lỗi 5xx; tối đa {number(fs.max_attempts)} lần); "
               "«Tải lỗi»: lỗi tạm thời đã hết số lần thử, máy chủ trả lỗi HTTP khác hoặc lỗi khi xử lý trang; "
               "«Khác»: trang không có "
               "nội dung, không phải HTML, hoặc tin đã quá hạn. «Chi tiết» ghi từng trạng thái như lệnh "
               "`langnghe fulltext` báo.")


def _manage(health: list[dict]) -> None:
    st.subheader("Quản lý nguồn tin")
    st.caption("Thay đổi được lưu vào cơ sở dữ liệu (ghi đè hoặc bổ sung danh sách trong langnghe.toml) và có hiệu "
               "lực từ lượt thu thập kế tiếp. Mọi thay đổi được ghi nhật ký.")
    srcs = {s.name: sources_store.as_row(s) for s in data.effective_sources()}
    kinds = data.collector_kinds()
    _kinds_help()
    tab_edit, tab_add = ui.tabs(["Sửa / tạm dừng", "Thêm nguồn"], key="src_tab")
    with tab_edit:
        if not srcs:
            st.caption("Chưa có nguồn nào.")
        else:
            name = st.selectbox("Nguồn", list(srcs), key="src_pick",
                                format_func=lambda n: f"{n} · {srcs[n]['outlet']}"
                                + ("" if srcs[n]["enabled"] else " (tạm dừng)"), placeholder="Chọn nguồn")
            cur = srcs[name]
            link = safe_link(cur["url"])
            if link:
                st.caption(f"Địa chỉ hiện tại: {link}")
            paused = not cur["enabled"]
            if st.button("Tiếp tục thu thập" if paused else "Tạm dừng nguồn này", key=f"src_toggle_{name}",
                         icon=":material/play_arrow:" if paused else ":material/pause:"):
                # confirmed under the control clicked: at 1366×768 these forms sit two screens below the page's top
                ui.save_and_rerun(lambda: actions.set_source_enabled(data.db(), gate.current_user(), cur, paused,
                                                                     kinds, data.config().http.allow_private_hosts),
                                  f"Đã {'tiếp tục' if paused else 'tạm dừng'} nguồn {name}.", data.refresh, "toggle")
            ui.flash("toggle")
            _form(f"src_edit_{name}", cur, kinds, editing=True)
            ui.flash("edit")
    with tab_add:
        _form("src_add", {"name": "", "kind": "rss", "url": "", "outlet": "", "source_type": "press",
                          "interval_minutes": 0.0, "enabled": True, "options": {}, "username": "", "password_env": ""},
              kinds, editing=False)
        ui.flash("add")


def _kinds_help() -> None:
    """What each kind of collector brings in and its limits, in the kind's own words (collectors/<kind>.py):
    staff choosing a kind for a new source saw names like "xenforo" only."""
    described = data.collector_kind_descriptions()
    with st.expander("Các loại bộ thu thập: mỗi loại lấy được gì", icon=":material/help:"):
        ui.dataframe(pd.DataFrame({
            "Loại": [label for label, _ in described.values()],
            "Mã loại": list(described),
            "Lấy được gì, giới hạn": [text or "—" for _, text in described.values()],
        }), hide_index=True, width="stretch",
            column_config={"Lấy được gì, giới hạn": st.column_config.TextColumn(width="large")})


def kind_label(kind: str) -> str:
    """A kind as the form's box shows it: "Báo điện tử (RSS) · rss" (the code is what the config file uses)."""
    label = data.collector_kind_descriptions().get(kind, (kind, ""))[0]
    return kind if label == kind else f"{label} · {kind}"


def interval_minutes(value: float | None) -> int:
    """A collection interval as whole minutes for the form (the store keeps a float; 1.0 showed as "1.00"). One no
    source may have (a row saved before fix29's bound, or edited in the database: 1e9, NaN) is 0, the default: the
    form's box holds 0–1440, and the page drew Streamlit's «value … is greater than the max_value» instead of the
    form, so the source could not be fixed here (round 30, fix30)."""
    if source_interval_refusal(value or 0):
        return 0
    return int(round(float(value or 0)))


# a feed behind a login (fix36): the user name and the name of the secret holding the password; the password itself
# is never typed here (it would be stored, audited and backed up with the row), it is set on the server
ADDRESS_HELP = ("Không ghi tên đăng nhập hay mật khẩu vào địa chỉ («https://ten:matkhau@…» bị từ chối): nguồn phải "
                "đăng nhập thì điền hai ô bên dưới.")
USERNAME_HELP = ("Chỉ cho nguồn phải đăng nhập (RSS của cổng thông tin nội bộ…): tên đăng nhập HTTP Basic (username "
                 "trong langnghe.toml), gửi kèm mật khẩu chỉ tới đúng máy chủ của địa chỉ nguồn (cùng http/https, tên "
                 "máy và cổng), không gửi khi bị chuyển hướng sang nơi khác. Để trống cả hai ô nếu nguồn công khai.")
PASSWORD_ENV_HELP = ("Tên biến môi trường hoặc tệp bí mật chứa mật khẩu (password_env), dạng LANGNGHE_TEN_BIEN, "
                     "không phải mật khẩu. Quản trị máy chủ đặt mật khẩu vào biến môi trường đó của serve, hoặc vào "
                     "tệp cùng tên trong thư mục [secrets] dir (chmod 600); trang này không nhận và không lưu mật "
                     "khẩu. Thiếu mật khẩu thì dòng của nguồn ở bảng trên báo tên biến cần đặt.")


def _form(key: str, cur: dict, kinds: list[str], *, editing: bool) -> None:
    refused = source_interval_refusal(cur.get("interval_minutes") or 0) if editing else None
    if refused:  # the runner does not fetch it, and its health line says the same (collectors.runner)
        st.warning(f"{refused}: nguồn này không được thu thập cho tới khi sửa. Ô «Chu kỳ» dưới đây đặt sẵn 0 (theo chu "
                   "kỳ mặc định); chỉnh nếu cần rồi bấm «Lưu thay đổi».", icon=":material/warning:")
    with st.form(key, enter_to_submit=False):
        c = st.columns([1.2, 1, 1])
        name = c[0].text_input("Tên nguồn (không dấu)", value=cur["name"], disabled=editing)
        kind = c[1].selectbox("Loại bộ thu thập", kinds, index=kinds.index(cur["kind"]) if cur["kind"] in kinds else 0,
                              format_func=kind_label, help="Mỗi loại lấy được gì: xem «Các loại bộ thu thập» ở trên.",
                              placeholder="Chọn loại bộ thu thập")
        configurable = list(CONFIGURED_SOURCE_TYPES)  # "ctv" is only for collaborators' in-person reports
        stype = c[2].selectbox("Loại nguồn", configurable, format_func=SOURCE_TYPES.get,
                               index=configurable.index(cur["source_type"]) if cur["source_type"] in configurable else 0,
                               placeholder="Chọn loại nguồn")
        url = st.text_input("Địa chỉ (http/https)", value=cur["url"], help=ADDRESS_HELP)
        c = st.columns(2)
        username = c[0].text_input("Tên đăng nhập", value=cur.get("username") or "", help=USERNAME_HELP,
                                   placeholder="để trống nếu nguồn không cần đăng nhập")
        password_env = c[1].text_input("Biến môi trường chứa mật khẩu", value=cur.get("password_env") or "",
                                       help=PASSWORD_ENV_HELP, placeholder="LANGNGHE_…")
        c = st.columns([1.6, 1, 1])
        outlet = c[0].text_input("Cơ quan, kênh hiển thị", value=cur["outlet"])
        interval = c[1].number_input("Chu kỳ (phút, 0 = mặc định)", min_value=0, max_value=sources_store.SOURCE_INTERVAL_MAX_MINUTES,
                                     value=interval_minutes(cur["interval_minutes"]), step=5, format="%d")
        enabled = c[2].checkbox("Đang thu thập", value=bool(cur["enabled"]))
        options = st.text_area("Tùy chọn riêng của loại nguồn (JSON)", value=json.dumps(cur.get("options") or {},
                                                                                     ensure_ascii=False), height=68)
        submitted = st.form_submit_button("Lưu thay đổi" if editing else "Thêm nguồn", type="primary")
    if submitted:
        where = "edit" if editing else "add"
        try:
            opts = json.loads(options or "{}")
            if not isinstance(opts, dict):
                raise ValueError
        except ValueError:
            example = json.dumps({"query": data.area_examples()["town"]}, ensure_ascii=False)  # the area's (ux42)
            ui.set_flash(f"Tùy chọn phải là một đối tượng JSON, ví dụ {example}.", ok=False, where=where)
            st.rerun()
        new = {"name": cur["name"] if editing else name, "kind": kind, "url": url, "outlet": outlet,
               "source_type": stype, "interval_minutes": interval, "enabled": enabled, "options": opts,
               "username": username, "password_env": password_env}
        if not editing and new["name"].strip().lower() in {s.name for s in data.effective_sources()}:
            ui.set_flash(f"Đã có nguồn tên {new['name']!r}; hãy sửa nguồn đó.", ok=False, where=where)
            st.rerun()
        ui.save_and_rerun(lambda: actions.save_source(data.db(), gate.current_user(), new, kinds,
                                                      before=cur if editing else None,
                                                      allow_private_hosts=data.config().http.allow_private_hosts,
                                                      logins=data.config().source_logins),
                          f"Đã lưu nguồn {new['name']}.", data.refresh, where)
