"""Trước giao ban: everything since a chosen time (by default the last briefing held): new and open
alerts with their status and notes, top stories, notable negative items. Prints cleanly (Ctrl+P);
"Đánh dấu đã giao ban" records the briefing, which moves the next default "since" to now."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pandas as pd
import streamlit as st

from dashboard import actions, data, gate, ui
from detection.queue import sort_queue
from reports.labels import places_brief
from dashboard.labels import (
    ACTION_LABELS, ALERT_ITEMS, ALERT_ITEMS_HELP, PRIORITY_LABELS, SEVERITY_LABELS, STATE_LABELS, as_list, cut_to_lines, md, names_in_note, number,
    numbered_steps, safe_link, topics_text, wrapped_lines,
)

PAGE = {"title": "Trước giao ban", "icon": ":material/event_note:", "order": 30, "min_role": "viewer"}


def _host(url: object) -> str | None:
    """The site of a link, for paper (a full URL would fill the column), without «www.»; None (printed «—») without
    one."""
    from urllib.parse import urlsplit

    return (urlsplit(str(url)).netloc.removeprefix("www.") or None) if isinstance(url, str) and url else None


# section III on A4, relative widths of the print copy (ui.print_table)
PRINT_NEGATIVE = {"Thời gian": 2.2, "Nguồn": 1.8, "Tiêu đề": 3.8, "Chủ đề": 2.0, "Địa bàn": 2.4, "Số nguồn đăng": 1.9,
                  "Liên kết": 2.7}


def _default_since(last: dict | None) -> tuple[datetime, str]:
    """(local time, why) of the default start of the period, from the `last` briefing held (None: none yet)."""
    if last:
        return data.local(last["held_at"]), f"lần giao ban trước ({data.local(last['held_at']):%H:%M %d/%m/%Y})"
    days = data.config().dashboard.briefing_default_days
    return data.local(data.now()) - timedelta(days=days), f"{days} ngày qua (chưa ghi nhận lần giao ban nào)"


def render() -> None:
    st.html(ui.PRINT_CSS)
    ui.flash()
    cfg = data.config()
    since = _period(cfg.area.name)
    b = data.briefing(since, cfg.dashboard.briefing_negative_items)
    st.subheader("I. Cảnh báo mới và đang mở")
    _alerts(b["alerts"], b["notes"], b["alert_counts"])
    st.subheader("II. Vấn đề được đăng nhiều nhất")
    _stories(b["stories"])
    st.subheader("III. Tin tiêu cực đáng chú ý")
    _negative(b["negative"])
    st.divider()
    _held_before()
    if gate.can("analyst"):
        _mark_held(since)


def _period(area: str) -> datetime:
    """The title, the 'from' boxes (default: the last briefing) and the period line; the start in UTC."""
    last = data.last_briefing()
    default, why = _default_since(last)
    st.title("Trước giao ban")
    c = st.columns([1, 1, 2.4])
    # keyed by the last briefing: one marked held gives new widgets, so the boxes show the new start (the browser
    # keeps a widget's old value when only its default changes). Not by the default itself: with no briefing held
    # it is «7 days ago», a new key every minute, and a date staff picked went back to it at the next click
    ver = f"{data.local(last['held_at']):%Y%m%d%H%M}" if last else "none"
    ui.keep(f"brief_day_{ver}", default.date())  # and kept while another page is open
    day = c[0].date_input("Từ ngày", format="DD/MM/YYYY", key=f"brief_day_{ver}")
    ui.keep(f"brief_time_{ver}", time(default.hour, default.minute))
    hm = c[1].time_input("Từ giờ", key=f"brief_time_{ver}", step=300)
    since_local = datetime.combine(day, hm)
    since = data.utc_from_local(since_local)
    now_local = data.local(data.now())
    # a hint for the screen, not the paper: the A4 copy said «Bấm Ctrl+P để in trang này» over its period line
    # (round 27); the period is the bold line under it, which is printed
    # a phone has no Ctrl key (ux34's walk at 390×844): the A4 copy is printed from a computer
    how = "Để in, mở trang này trên máy tính." if ui.on_phone() else "Bấm Ctrl+P để in trang này."
    c[2].container(key=ui.NO_PRINT + "brief_hint").caption(f"Mặc định: từ {why}. {how}")
    st.markdown(
        f"**Tình hình dư luận từ {since_local:%H:%M ngày %d/%m/%Y} đến {now_local:%H:%M ngày %d/%m/%Y}** — "
        f"{md(area)}"
    )
    return since


def _action_text(action: str, to_state: object) -> str:
    """A step's action as staff read it: a move names the state it went to, «Chuyển sang «Đã tiếp nhận»» (it read
    «Chuyển trạng thái», which said nothing of what was done)."""
    if action == "transition" and isinstance(to_state, str) and to_state in STATE_LABELS:
        return f"Chuyển sang «{STATE_LABELS[to_state]}»"
    return ACTION_LABELS.get(action, action)


def _last_steps(notes: pd.DataFrame) -> dict[str, list[str]]:
    """The last three handling steps of each alert in the period, one text each; dated with the year, as every date on
    the dashboard (ui.DATE_TIME_STRFTIME): a note of a period across the new year read «31/12» above «02/01»."""
    steps: dict[str, list[str]] = {}
    if len(notes):
        for aid, grp in notes.groupby("alert_id"):
            g = grp.sort_values("at")
            names = data.display_names()
            steps[aid] = [_step_text(r, data.person(r["username"]), names) for _, r in g.tail(3).iterrows()]
    return steps


def _step_text(r: pd.Series, who: str, names: dict[str, str]) -> str:
    """«07/12/2026 09:30 Nguyễn Văn An: Giao xử lý — Giao cho: Trần Thị Bình; kiểm tra»; with no one to name (a login no
    account has: the synthetic data's «demo»), no name and no «Giao cho» of that login (round 22)."""
    at = r["at"].strftime(ui.DATE_TIME_STRFTIME)
    note = names_in_note(r["note"], names, drop_unknown=True) if isinstance(r["note"], str) else ""
    return (f"{at} {who}: " if who else f"{at} ") + _action_text(r["action"], r.get("to_state")) + (f" — {note}" if note else "")


# Section I's grid on a desk. At 1366 × 768 with the sidebar open the page is 954 px wide; ten columns (the issue
# in 400 px, the reason in 420) made a grid of 1707 px that scrolled sideways past «Vì sao» (round 19). Now seven
# columns in pixels that add up to less (Streamlit stretches them to a wider page): the level, state, period raised
# and priority wrapped in one cell, «Tình trạng». Cells wrap in rows as tall as the longest reason needs (at
# least the four lines of «Tình trạng», at most six: Streamlit wraps cell text only in rows taller than 64 px); six
# rows show, then a scroll. The printed copy keeps nine columns (ui.print_table), a phone its own (ui.phone_grid).
# The whole alert's items are «Tổng số tin» (labels.ALERT_ITEMS), as on Cảnh báo: «Số tin» in 52 px read as the
# reason's count of 24 hours (ux41, round 32); its 86 px taken from the issue (190 → 168, its rows are four lines
# tall) and the steps (155 → 143), so the desk's 944 and the tablet's 729 px stand.
DESK_WIDTHS = {"Vấn đề": 168, "Vì sao": 250, "Tình trạng": 135, "Giao cho": 90, ALERT_ITEMS: 86,
               "Xử lý trong kỳ": 143, "Mã": 72}
# On a tablet (a page narrower than the 946 px the desk's grid needs: ui.desk_or_tablet) five of them in 717 px: the
# steps are listed under the grid («Xử lý trong kỳ, từng bước») and the code is in the printed copy; at 768 px the
# seven scrolled sideways (round 22)
TABLET_WIDTHS = {c: DESK_WIDTHS[c] for c in ("Vấn đề", "Vì sao", "Tình trạng", "Giao cho", ALERT_ITEMS)}
# On a phone (ux43) the issue, «Tình trạng» and the total in 350 px (ui.PHONE_GRID): ux41 measured the phone's grid of
# the issue, level, state, total and reason at 747 px in 356. The reasons are listed under it (_reasons_listed), the
# steps too; «Vì sao», «Mã», «Giao cho» and «Xử lý trong kỳ» stay in the grid's eye menu.
PHONE_ALERT_WIDTHS = {"Vấn đề": 150, "Tình trạng": 114, ALERT_ITEMS: 86}
PHONE_ALERT_ROW = 125  # px: five lines of «Tình trạng» in 114 px («Mức trung bình · Đang xử lý · phát sinh kỳ trước…»)
REASON_LINE_CHARS = 36  # characters of a reason on one line of its 250 px column
REASON_LINES = 6  # the most lines of a reason the desk grid's cell shows: a longer one is cut at a clause, «…»
REASON_LINE_PX = 19
REASON_ROW_HEIGHT = 140  # six lines and the cell's padding
STATE_LINES = 4  # «Tình trạng» wrapped: level, state, period raised, priority (72 characters at most)


def reason_row_height(reasons: list[str], least: int = 2) -> int:
    """The desk grid's row height for these reasons: their longest, in lines as the cell wraps them (at words), at
    least `least` (two: a row of 65 px or more wraps) and at most six."""
    longest = max((len(wrapped_lines(r, REASON_LINE_CHARS)) for r in reasons), default=0)
    lines = min(REASON_LINES, max(least, longest))
    return min(REASON_ROW_HEIGHT, 30 + REASON_LINE_PX * lines)


def state_text(severity: str, state: str, raised: str, priority: str) -> str:
    """«Tình trạng» of an alert on the desk grid: «Mức cao · Mới · phát sinh trong kỳ · ưu tiên khẩn», wrapped in its
    column (a grid cell shows no line break: "\\n" read as a space)."""
    return " · ".join((f"Mức {severity.lower()}", state, f"phát sinh {raised}", f"ưu tiên {priority.lower()}"))


def _alerts(alerts: pd.DataFrame, notes: pd.DataFrame, counts: dict[str, int]) -> None:
    """Section I: new and open alerts in queue order, with who handles them and what was done; the counts
    are of them all (the table holds the head of the queue)."""
    if not len(alerts):
        st.caption("Không có cảnh báo mới và không còn cảnh báo nào đang mở.")
        return
    alerts = sort_queue(alerts)
    steps = _last_steps(notes)
    view = pd.DataFrame({
        "Mã": alerts["alert_id"],
        "Vấn đề": alerts["title"],
        "Mức": [SEVERITY_LABELS.get(s, s) for s in alerts["severity"]],
        # raised since the last briefing or before it: a column of its own ("Mới (mới)" read as a stutter)
        "Phát sinh": ["trong kỳ" if n else "kỳ trước" for n in alerts["is_new"]],
        "Trạng thái": [STATE_LABELS.get(s, s) for s in alerts["status"]],
        "Ưu tiên": [PRIORITY_LABELS.get(p, p) for p in alerts["priority"]],
        "Giao cho": data.people(alerts["assignee"]),
        ALERT_ITEMS: alerts["n_items"],
        # one step a line on paper (ui.print_table: <br>); numbered on screen, where a grid cell has no line break
        "Xử lý trong kỳ": ["\n".join(steps.get(a, [])) for a in alerts["alert_id"]],
        # the sentence staff read aloud (detection's brief(), as Cảnh báo shows it): read here without opening each
        "Vì sao": [" ".join(str(r).split()) or None if isinstance(r, str) else None for r in alerts["reason"]],
    })
    # on paper the reason is a full-width line under its alert's row (a tenth column would be 3 cm wide)
    ui.print_table(view, {"Mã": 1.5, "Vấn đề": 3.6, "Mức": 1.1, "Phát sinh": 1.7, "Trạng thái": 1.9,
                          "Ưu tiên": 1.4, "Giao cho": 1.6, ALERT_ITEMS: 1.0, "Xử lý trong kỳ": 3.9}, below="Vì sao")
    # on screen the issue and its reason first, and on a phone wrapped with its level, state and count (the code
    # first cut it at 390 px, round 17); the printed A4 table above keeps the code first
    first = ["Vấn đề", "Vì sao"]
    screen = view[[*first, *[c for c in view.columns if c not in first]]].assign(**{"Tình trạng": [
        state_text(*r) for r in zip(view["Mức"], view["Trạng thái"], view["Phát sinh"], view["Ưu tiên"])],
        "Xử lý trong kỳ": [numbered_steps(steps.get(a, [])) for a in alerts["alert_id"]]})
    config = ({c: st.column_config.TextColumn(width=w) for c, w in DESK_WIDTHS.items() if c != ALERT_ITEMS}
              | {ALERT_ITEMS: st.column_config.NumberColumn(width=DESK_WIDTHS[ALERT_ITEMS], help=ALERT_ITEMS_HELP)})
    fit: dict = {"column_config": config}
    with st.container(key="brief_alerts"):  # named for the browser test that measures it at 1366 px
        if ui.on_phone():  # the issue wrapped, its state and its total (PHONE_ALERT_WIDTHS); the reasons listed below
            phone = screen.drop(columns=["Mức", "Phát sinh", "Trạng thái", "Ưu tiên"])  # all four in «Tình trạng»
            ui.dataframe(phone, hide_index=True, width="stretch", placeholder="—",
                         **ui.phone_grid(config, PHONE_ALERT_WIDTHS, len(phone), PHONE_ALERT_ROW))
            ui.phone_hidden(phone.columns, PHONE_ALERT_WIDTHS)
        else:  # a desk: seven columns, rows tall enough for the reason's lines; a tablet five (round 22)
            screen["Vì sao"] = [cut_to_lines(r, REASON_LINE_CHARS, REASON_LINES) for r in screen["Vì sao"]]
            row = reason_row_height(list(screen["Vì sao"]), least=STATE_LINES)
            fit |= {"row_height": row, "height": ui.table_height(len(screen), ui.HEADER_HEIGHT + 6 * row, row)}
            ui.desk_and_tablet("brief_alerts", screen, {"column_order": list(DESK_WIDTHS)},
                               {"column_order": list(TABLET_WIDTHS)},  # the same pixels, fewer columns
                               hide_index=True, width="stretch", placeholder="—", **fit)
    if ui.on_phone():
        _reasons_listed(view)
    else:
        _reasons_cut(view)
    _steps_listed(alerts, steps)
    st.caption(f"{number(counts['new'])} cảnh báo mới trong kỳ; {number(counts['open'])} đang mở."
               + (f" Bảng liệt kê {number(len(alerts))} cảnh báo đầu hàng đợi (mức cao, ưu tiên trước) trong "
                  f"{number(counts['total'])}; xem đủ ở trang Cảnh báo." if counts["total"] > len(alerts) else ""))


def _steps_listed(alerts: pd.DataFrame, steps: dict[str, list[str]]) -> None:
    """What was done in the period, one step a line under each alert that had one: the grid's cell is narrow and
    draws no line break, and a phone's grid has no such column. Folded (hidden on paper, whose table has them)."""
    done = [(a, t) for a, t in zip(alerts["alert_id"], alerts["title"]) if steps.get(a)]
    if not done:
        return
    with st.expander(f"Xử lý trong kỳ, từng bước ({number(len(done))} cảnh báo)", icon=":material/checklist:"):
        for aid, title in done:
            st.markdown(f"**{md(aid)} · {md(title)}**\n\n" + "\n".join(f"- {md(x)}" for x in steps[aid]))


PHONE_REASONS = 50  # a phone lists the reasons of the head of the queue (the grid holds them all)


def cut_reasons(reasons: list[str]) -> list[int]:
    """Positions of the reasons the desk grid's cell shows cut (`cut_to_lines`: more than its six lines as it wraps
    them at words; until round 23 a count of 216 characters, which said whole a reason of short words that wrapped
    to seven lines)."""
    return [i for i, r in enumerate(reasons) if len(wrapped_lines(r, REASON_LINE_CHARS)) > REASON_LINES]


def _reasons_cut(view: pd.DataFrame) -> None:
    """On a desk, the reasons the grid's cell cuts, whole, open under the grid: staff read them before the meeting,
    and at 1366 px a story alert's reason (300–400 characters) showed its first six lines, the rest only in the
    cell's pop-up on a click (round 22). Open, so nothing is clicked; folded by whoever has read it; not on paper,
    whose table has each reason under its row."""
    cut = cut_reasons(list(view["Vì sao"]))
    if not cut:
        return
    with st.expander(f"Vì sao, đầy đủ ({number(len(cut))} cảnh báo có lý do dài hơn ô của bảng)", expanded=True,
                     icon=":material/subject:"):
        for _, r in view.iloc[cut].iterrows():
            st.markdown(f"**{md(r['Vấn đề'])}** ({md(r['Mức'])}, {md(r['Trạng thái'])}): {md(r['Vì sao'])}")


def _reasons_listed(view: pd.DataFrame) -> None:
    """On a phone the grid's «Vì sao» is off the screen to the right, in rows of three lines: the reasons as text,
    folded under the grid, each after its issue."""
    shown = view.head(PHONE_REASONS)
    with st.expander(f"Vì sao có từng cảnh báo ({number(len(shown))})"):
        for _, r in shown.iterrows():
            st.markdown(f"**{md(r['Vấn đề'])}** ({md(r['Mức'])}, {md(r['Trạng thái'])}): {md(r['Vì sao'])}")
        if len(view) > len(shown):
            st.caption(f"Còn {number(len(view) - len(shown))} cảnh báo: kéo bảng sang phải hoặc xem ở trang Cảnh báo.")


# Sections II and III on a desk: columns in pixels that add up to less than the 954 px of a 1366 px page with the sidebar
# open (a «large» title and columns sized by their text made II 1,332 px wide, scrolling sideways; round 21), in rows
# of two lines, so that a title cut at its column's width reads whole. A phone scrolls them inside their frame.
STORY_WIDTHS = {"Vấn đề": 330, "Số tin": 60, "Số nguồn": 75, "Tiêu cực": 70, "Chủ đề": 150, "Địa bàn": 140,
                "Gần nhất": 115}
NEGATIVE_WIDTHS = {"Thời gian": 115, "Nguồn": 105, "Tiêu đề": 290, "Chủ đề": 125, "Địa bàn": 120,
                   "Số nguồn đăng": 100, "Liên kết": 85}
# On a tablet (ui.desk_or_tablet) fewer, in at most 730 px: at 768 px both scrolled sideways (round 22). II leaves out
# «Số nguồn» and «Gần nhất», III «Chủ đề» and «Số nguồn đăng» (on Tin bài and in the printed copy)
STORY_TABLET = {"Vấn đề": 310, "Số tin": 60, "Tiêu cực": 70, "Chủ đề": 150, "Địa bàn": 140}
# On a phone (ux43) II is the story wrapped, its count and its negatives in 340 px: the tablet's grid was 730 px in 356,
# scrolling sideways; the other columns in the eye menu. III is Tin bài's phone grid (ui.phone_items).
STORY_PHONE = {"Vấn đề": 210, "Số tin": 60, "Tiêu cực": 70}
NEGATIVE_TABLET = {"Thời gian": 115, "Nguồn": 105, "Tiêu đề": 290, "Địa bàn": 120, "Liên kết": 85}
DESK_GRID_HEIGHT = 520  # px: seven rows of two lines, then a scroll inside


def _desk_grid(widths: dict[str, int], config: dict, rows: int) -> dict:
    """st.dataframe's sizing arguments for a briefing grid: each column of `widths` in pixels (over `config`'s own
    column type), wrapped rows of two lines."""
    return ui.desk_grid(widths, config, rows, DESK_GRID_HEIGHT)


def _desk_and_tablet(key: str, view: pd.DataFrame, config: dict, desk: dict[str, int], tablet: dict[str, int]) -> None:
    """A briefing grid drawn with the desk's columns and with the tablet's; the page's CSS shows the one that fits
    (a phone gets the tablet's, scrolled inside its frame)."""
    ui.desk_and_tablet(key, view, _desk_grid(desk, config, len(view)),
                       {"column_order": list(tablet), **_desk_grid(tablet, config, len(view))},
                       hide_index=True, width="stretch", placeholder="—")


def _stories(stories: pd.DataFrame) -> None:
    """Section II: the most published stories of the period."""
    if not len(stories):
        st.caption("Không có vấn đề nào trong kỳ.")
        return
    view = pd.DataFrame({
        "Vấn đề": stories["title"],
        "Số tin": stories["n_items"],
        "Số nguồn": stories["n_outlets"],
        "Tiêu cực": stories["n_negative"],
        # a story or item with no topic or place reads «—» on screen and paper, not a blank cell (round 27)
        "Chủ đề": [topics_text(as_list(t)) or None for t in stories["topics"]],
        "Địa bàn": [places_brief(as_list(p)) or None for p in stories["places"]],
        "Gần nhất": stories["last_seen"],
    })
    ui.print_table(view, {"Vấn đề": 5.0, "Số tin": 1.2, "Số nguồn": 1.6, "Tiêu cực": 1.5, "Chủ đề": 2.6,
                          "Địa bàn": 3.0, "Gần nhất": 2.2})
    config = {"Gần nhất": st.column_config.DatetimeColumn(format=ui.DATE_TIME_FORMAT)}
    if ui.on_phone():
        ui.dataframe(view, hide_index=True, width="stretch", placeholder="—",
                     **ui.phone_grid(config, STORY_PHONE, len(view), ui.PHONE_ITEM_ROW))
        ui.phone_hidden(view.columns, STORY_PHONE)
        return
    _desk_and_tablet("brief_stories", view, config, STORY_WIDTHS, STORY_TABLET)


def _negative(neg: pd.DataFrame) -> None:
    """Section III: notable negative items (on paper the link shows only its site)."""
    if not len(neg):
        st.caption("Không có tin tiêu cực trong kỳ.")
        return
    view = pd.DataFrame({
        "Thời gian": neg["published_at"],
        "Nguồn": neg["outlet"],
        "Tiêu đề": neg["title"],
        "Chủ đề": [topics_text(as_list(t)) or None for t in neg["topics"]],
        "Địa bàn": [places_brief(as_list(p)) or None for p in neg["places"]],
        "Số nguồn đăng": neg["n_sources"],
        "Liên kết": [safe_link(u) for u in neg["url"]],
    })
    # «Liên kết» fits a newspaper's host at 9 pt (2.1 printed «baoquangninh.v / n», round 27); a longer one breaks
    # after a dot (`hosts`)
    ui.print_table(view.assign(**{"Liên kết": [_host(u) for u in view["Liên kết"]]}), PRINT_NEGATIVE,
                   hosts=("Liên kết",))
    if ui.on_phone():  # the title first and wrapped, then time and link, as Tin bài's items on a phone: the
        # tablet's grid put «Thời gian» and «Nguồn» first, the title started at 230 px and was cut at 356 (round 28)
        ui.phone_items(view)
        return
    _desk_and_tablet("brief_negative", view, ui.ITEM_COLUMNS, NEGATIVE_WIDTHS, NEGATIVE_TABLET)


def _held_before() -> None:
    """The last five briefings held, and by whom."""
    held = data.briefings(5)
    if len(held):
        st.caption("Các lần giao ban gần đây: " + "; ".join(
            f"{r['held_at']:%H:%M %d/%m/%Y}{data.named(r['username'], ' ({})')}" for _, r in held.iterrows()))


def _mark_held(since: datetime) -> None:
    """'Đánh dấu đã giao ban': record the briefing, then give the next visit fresh 'from' boxes."""
    with st.container(key="brief_actions"):
        # typed and not yet marked: kept, for this account, while staff look at another page (Cảnh báo, to check an
        # alert, was enough to empty it: Streamlit drops a widget's state in a run that does not draw it; round 27)
        # the box's key changes once a briefing is marked (`ui.renew_form`): taking the old key out of the session left
        # the note in the browser's box, and a second click saved it again with the next briefing (round 27)
        box = ui.form_key("brief") + "note"
        note = st.text_input("Ghi chú về buổi giao ban (không bắt buộc)", value=ui.drafts("briefing").get("note", ""),
                             key=box, on_change=ui.keep_draft, args=("briefing", "note", box))
        if st.button("Đánh dấu đã giao ban", type="primary", icon=":material/event_available:",
                     help="Ghi nhận buổi giao ban lúc này; lần sau trang sẽ tính từ thời điểm này."):
            try:
                actions.mark_briefing_held(data.db(), gate.current_user(), since, note)
            except (ValueError, PermissionError) as exc:
                ui.set_flash(str(exc), ok=False, where="held")
            else:
                ui.set_flash(held_text(data.local(data.now()), data.local(since)), where="held")
                for k in [k for k in st.session_state if str(k).startswith(("brief_day", "brief_time"))]:
                    st.session_state.pop(k, None)
                ui.renew_form("brief")
                ui.drafts("briefing").pop("note", None)
            data.refresh()
            st.rerun()
        ui.flash("held")  # under the button, at the end of a long page: the top is screens away at 1366×768 (round 26)


def held_text(now: datetime, since: datetime) -> str:
    """What «Đánh dấu đã giao ban» did, and how to get back what the page showed: the page starts again from
    now, empty, and staff who marked before printing did not know where the briefing went (round 21 walk)."""
    return (f"Đã ghi nhận buổi giao ban lúc {now:%H:%M %d/%m/%Y}. Trang này từ nay tính từ lúc đó; muốn xem lại "
            f"hoặc in kỳ vừa giao ban, chọn «Từ ngày» {since:%d/%m/%Y} và «Từ giờ» {since:%H:%M}.")
