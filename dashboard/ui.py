"""Small Streamlit drawing helpers shared by pages (no data access, no caching)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.labels import as_list, no_links, safe_link, sentiment_label, topics_text
from reports.labels import places_cell
from reports.settings import week_title
from vocab.numbers import fmt_num, number
from vocab.spreadsheet import CSV_FORMULA

BASE_CSS = """
<style>
[data-testid="stMainBlockContainer"], .main .block-container { padding-top: 2.2rem; padding-bottom: 2rem; }
/* the sidebar's width only while it is open: on a collapsed one (a tablet opens with it collapsed) the forced
   width kept a blank 250 px band at the left and pushed the page past the right edge */
section[data-testid="stSidebar"]:not([data-collapsed="true"]) { width: 250px !important; min-width: 250px !important; }
h1 { font-size: 2rem !important; padding-bottom: 0.3rem !important; }
/* Streamlit's own English that cannot be configured: the upload box's "Upload" button and its
   "200MB per file • CSV…" line (our labels say the limit in Vietnamese), and Plotly's toolbar
   ("Download plot as a PNG", "Zoom", "Pan"), which has no Vietnamese locale in Streamlit's bundle. */
[data-testid="stFileUploaderDropzoneInstructions"] { display: none !important; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] { display: none !important; }
[data-testid="stFileUploaderDropzone"] button span[data-has-shortcut]::after { content: "Chọn tệp"; }
.modebar-container, .modebar { display: none !important; }
[data-testid="stElementContainer"]:has([data-testid="stPlotlyChart"]) [data-testid="stElementToolbar"] {
  display: none !important; }
/* The dialog Streamlit's frontend opens when the connection drops (a phone on a weak network): its text
   ("Connection error", "Streamlit server is not responding. Are you connected to the internet?") is
   hard-coded. It is the only dialog this app shows (no page uses st.dialog, a test holds it; «Page not
   found» never shows, app.py answers every address), so its words are replaced here. */
[data-testid="stDialog"] section[role="dialog"] > h2 { font-size: 0 !important; }
[data-testid="stDialog"] section[role="dialog"] > h2::after { content: "Mất kết nối"; font-size: 1.5rem; }
[data-testid="stDialog"] section[role="dialog"] > h2 + div > div { font-size: 0 !important; }
[data-testid="stDialog"] section[role="dialog"] > h2 + div > div * { display: none !important; }
[data-testid="stDialog"] section[role="dialog"] > h2 + div > div::after { font-size: 1rem; content:
  "Chưa liên lạc được với máy chủ Lắng Nghe (mạng yếu hoặc mất sóng). Trang tự kết nối lại khi có mạng; những gì đang nhập vẫn giữ nguyên, đừng tải lại trang."; }
/* The status widget at the top right, hard-coded English too (Streamlit has no locale for its own texts, issue
   streamlit#1353): «Connecting» while the connection is down (a phone between two cells), «Error» once it gave
   up (told apart by its warning icon, whose path starts "M3.09"), and «Stop» / «Stopping...» beside the
   running figure while a page runs. Their hover hints («Connecting to Streamlit server») stay English: a phone
   has no hover. */
[data-testid="stConnectionStatus"] label { font-size: 0 !important; }
[data-testid="stConnectionStatus"] label::after { content: "Đang kết nối"; font-size: 0.875rem; }
[data-testid="stConnectionStatus"]:has(path[d^="M3.09"]) label::after { content: "Mất kết nối"; }
[data-testid="stStatusWidget"] [data-testid="stBaseButton-header"] { font-size: 0 !important; }
[data-testid="stStatusWidget"] [data-testid="stBaseButton-header"]::after { content: "Dừng"; font-size: 0.875rem; }
[data-testid="stStatusWidget"] [data-testid="stBaseButton-header"]:disabled::after { content: "Đang dừng…"; }
/* A grid sized for a desk (its columns up to 944 px, `desk_grid`) and its copy sized for a tablet (up to 730 px):
   only the one that fits the page is shown (`desk_or_tablet`). The desk's needs 946 px of page: a window of 1,106 px
   with the sidebar collapsed, 1,356 px with it open (Streamlit pads the page 5rem a side from 864 px of window,
   1rem under). A 768 px tablet scrolled «Tin mới nhất» and Trước giao ban's grids sideways (round 22). */
[class*="st-key-tablet-"] { display: none !important; }
@media (max-width: 1105.98px) {
  [class*="st-key-desk-"] { display: none !important; }
  [class*="st-key-tablet-"] { display: flex !important; } }
@media (max-width: 1355.98px) {
  body:has(section[data-testid="stSidebar"][data-collapsed="false"]) [class*="st-key-desk-"] { display: none !important; }
  body:has(section[data-testid="stSidebar"][data-collapsed="false"]) [class*="st-key-tablet-"] { display: flex !important; } }
/* A table wider than its frame shows its scroll bar: Streamlit paints every scroll bar transparent until hovered,
   so a table cut at the right edge looked whole (Chủ đề's topic table on a desk, any table on a touch screen). */
[data-testid="stDataFrame"] .dvn-scroller { scrollbar-color: rgba(49, 51, 63, 0.4) transparent; }
/* On a touch screen the table toolbar (eye, download, search, full screen) is always shown, 2.75rem above the
   table's top, over whatever was drawn there (a caption's last line, a box): the table makes room for it. */
@media (hover: none) {
  [data-testid="stElementContainer"]:has([data-testid="stDataFrame"] > [data-testid="stElementToolbar"]) {
    margin-top: 2.75rem; }
}
/* Tổng quan's open alerts, each a link to the alert (round 31, ux39) drawn as the line of text it was: its title
   wraps (a page link cuts it at one line), no page icon before the level's dot, no padding */
[class*="st-key-alertline-"] [data-testid="stPageLink-NavLink"] { padding: 0 !important; }
[class*="st-key-alertline-"] [data-testid="stPageLink-NavLink"] > span:has([data-testid="stIconMaterial"]) {
  display: none !important; }
[class*="st-key-alertline-"] [data-testid="stPageLink-NavLink"] * { white-space: normal !important;
  overflow: visible !important; }
[class*="st-key-alertline-"] [data-testid="stPageLink-NavLink"] p { font-size: 1rem; line-height: 1.6; }
/* A link reached with Tab (the sidebar's pages, «Xem tin hôm nay…», an open alert) showed its focus as Streamlit's
   15 % grey band, hardly seen (round 31, ux39, keyboard walk); buttons have a red ring: links get one too */
[data-testid="stSidebarNavLink"]:focus-visible, [data-testid="stPageLink-NavLink"]:focus-visible {
  outline: 2px solid rgba(197, 57, 72, 0.8) !important; outline-offset: 1px; }
/* the script that brings a refusal into sight (`ui.flash`) is no element of the page: no gap under the message */
[data-testid="stElementContainer"]:has(.ln-into-view) { display: none !important; }
</style>
"""

ALERT_LINE = "alertline-"  # the key prefix of Tổng quan's open alert lines (their CSS in BASE_CSS)
NO_PRINT = "noprint_"  # a key's prefix: `st.container(key=NO_PRINT + "…")` is drawn on screen, not on paper (PRINT_CSS)
PRINT_CSS = """
<style>
.print-only { display: none; }
@media print {
  @page { size: A4 portrait; margin: 12mm 10mm 12mm 15mm; }
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"],
  [data-testid="stDecoration"], .stButton, .stDateInput, .stTimeInput, .stCheckbox, .stTextInput,
  [data-testid="stExpander"], .no-print, [class*="st-key-noprint_"] { display: none !important; }
  .main .block-container, [data-testid="stMainBlockContainer"] { padding: 0 !important; max-width: 100% !important; }
  [data-testid="stMain"], [data-testid="stAppViewContainer"] { overflow: visible !important; }
  body { font-family: "Times New Roman", serif; font-size: 12pt; }
  /* the canvas grids keep their screen width and lose the right-hand columns on paper: print the
     HTML copy of each table instead, fitted to the page width */
  [data-testid="stDataFrame"] { display: none !important; }
  .print-only { display: block !important; }
  table.print-table { width: 100%; table-layout: fixed; border-collapse: collapse; font-size: 9pt; }
  table.print-table th, table.print-table td { border: 0.5pt solid #000; padding: 1pt 3pt; vertical-align: top;
    overflow-wrap: anywhere; word-break: normal; text-align: left; }
  table.print-table th { background: #eee; }
  table.print-table thead { display: table-header-group; }
  table.print-table tr, table.print-table tbody.with-below { break-inside: avoid; }
  h1, h2, h3 { break-after: avoid; }
}
</style>
"""


def print_table(df: pd.DataFrame, widths: dict[str, float] | None = None, below: str | None = None,
                hosts: tuple[str, ...] = ()) -> None:
    """A print-only HTML copy of a table, sized in relative column widths (A4 portrait has about 18 cm);
    every cell is escaped text (feed text is untrusted); datetimes with the year (DATE_TIME_STRFTIME): a printed
    list of stories or alerts can reach back past New Year. `below` names a column of long text (an alert's
    «Vì sao») printed as a full-width line under its row, «Vì sao: …», not as a column: a narrow column of
    300 characters on A4 ran to fifteen lines a row; the row and its line are not split across pages. `hosts` names
    columns of a site's host («baoquangninh.vn»): a host too long for its column breaks after a dot, not mid-word (the
    print CSS breaks anywhere as a last resort, and printed «baoquangninh.v / n», round 27)."""
    from html import escape

    cols = [c for c in df.columns if c != below]
    w = [float((widths or {}).get(c, 1.0)) for c in cols]
    total = sum(w) or 1.0
    head = "".join(f'<col style="width:{x / total * 100:.1f}%">' for x in w)
    th = "".join(f"<th>{escape(str(c))}</th>" for c in cols)

    def cell(v: Any) -> str:
        if v is None or (isinstance(v, float) and v != v) or v is pd.NaT:
            return MISSING  # «—» as on the screen's grid (its placeholder): paper left a blank «Giao cho» (round 27)
        if isinstance(v, pd.Timestamp) or hasattr(v, "strftime"):
            return v.strftime(DATE_TIME_STRFTIME)
        return escape(str(v)).replace("\n", "<br>")

    def host(v: Any) -> str:
        text = cell(v)
        return text if text == MISSING else text.replace(".", ".<wbr>")

    def rows_of(r: dict[str, Any]) -> str:
        row = "<tr>" + "".join(f"<td>{host(r[c]) if c in hosts else cell(r[c])}</td>" for c in cols) + "</tr>"
        if not below:
            return row
        text = cell(r[below])
        line = (f'<tr class="below"><td colspan="{len(cols)}"><b>{escape(str(below))}:</b> {text}</td></tr>'
                if text and text != MISSING else "")  # no «Vì sao: —» line
        return f'<tbody class="with-below">{row}{line}</tbody>'  # one block per row: kept on one page

    rows = "".join(rows_of(r) for r in df.to_dict("records"))
    if not below:
        rows = f"<tbody>{rows}</tbody>"
    st.html(f'<div class="print-only"><table class="print-table"><colgroup>{head}</colgroup>'
            f"<thead><tr>{th}</tr></thead>{rows}</table></div>")


FLASH_SECONDS = 20.0
# Brings the message drawn just before it into sight (`flash`): its element is the one before the script's own, and
# the page scrolls no more than needed to show it whole (`block: "nearest"`: nothing moves when it is already in sight).
# Once the run has ended and the message has stood still in the page between two polls (100 ms apart), and again if
# what is drawn above it moves it within 3 s: a table drawn by the same run above it (Thông báo's send log, its first
# row after «Gửi thử») grows once its grid is laid out, after the run, and pushed the message back under the edge
# when it was scrolled at once (Chromium, 390×844: 736–904 px). Its place is read in the page, not on the screen, so
# staff scrolling away is not undone. A script of ours, as the cookie's (gate._write_cookie): no outside text in it.
# Its element is hidden (BASE_CSS). Its timer ends with its own element too: Streamlit's next run empties the element
# without clearing timers, and it polled on for up to 3 s (review30).
INTO_VIEW = ('<span class="ln-into-view"></span><script>(()=>{const me=document.currentScript;const box=me'
             '?.closest(\'[data-testid="stElementContainer"]\');const msg=box?.previousElementSibling;if(!msg)return;'
             'let last=null,done=null,n=0;const t=setInterval(()=>{'
             'const s=document.querySelector(\'[data-testid="stApp"]\')?.getAttribute("data-test-script-state");'
             'const main=document.querySelector(\'[data-testid="stMain"]\');const r=msg.getBoundingClientRect();'
             'const at=Math.round(r.top+(main?main.scrollTop:0)+window.scrollY)+","+Math.round(r.height);'
             'const still=at===last&&s!=="running"&&s!=="rerunRequested";last=at;n++;'
             'if((still||n===30)&&at!==done&&msg.isConnected){done=at;msg.scrollIntoView({block:"nearest"})}'
             'if(n>=30||!msg.isConnected||!me.isConnected)clearInterval(t)},100)})()</script>')


def flash(where: str = "") -> bool:
    """Show the message the last action on this page left (for a little while, so that a rerun caused by
    any other widget does not wipe the confirmation before it is read). A message set with a `where` (the control
    that made it: «add», «form») is drawn only by `flash(where)` under that control: at 1366×768 the top of a long
    page, where `flash()` draws, is out of sight once staff scrolled down to the button (round 25). Whether it drew
    one: a page that may stop before its control draws the message where it stopped instead."""
    import time

    msg = st.session_state.get("_flash")
    if not msg:
        return False
    kind, text, page, at, place = msg
    if page != _page_key() or time.monotonic() - at > FLASH_SECONDS:
        st.session_state.pop("_flash", None)
        return False
    if place != where:
        return False
    # no_links: the texts hold what staff typed (a watchlist's name, a survey's title, a time «07:30») and exceptions'
    # words; «![x](https://…)» typed there was drawn as an image the browser fetched from outside (round 28)
    (st.success if kind == "ok" else st.error)(no_links(text))
    if kind != "ok" and st.session_state.get("_flash_shown") != at:
        # a refusal drawn under its form stood at the screen's bottom edge or below it (Phản ánh's reply past 5.000
        # characters at 1366×768, «Gửi thử» on a phone: 879–1.047 px of an 844 px screen), and staff saw the button do
        # nothing (round 29, ux35). The page now scrolls it into sight, once (a later run within its seconds leaves the
        # page where staff put it). Round 29 said it again in a toast, 10 s in the corner (ux35, ux36): on a phone it
        # covered 130 px of the page's top, controls included, and a screen reader met an unnamed dialog in a region
        # named in English («Notifications»); the message here is an `alert`, its Vietnamese text read (ux38).
        st.session_state["_flash_shown"] = at
        st.html(INTO_VIEW, unsafe_allow_javascript=True)
    return True


def save_and_rerun(fn: Any, ok_text: str, refresh: Any, where: str = "") -> None:
    """Run one audited write; say how it went on the next run (a ValueError/PermissionError in Vietnamese), at the
    top of the page or, with `where`, where the page calls `flash(where)`."""
    try:
        fn()
    except (ValueError, PermissionError) as exc:
        set_flash(str(exc), ok=False, where=where)
    else:
        set_flash(ok_text, where=where)
    refresh()
    st.rerun()


def set_flash(text: str, ok: bool = True, where: str = "") -> None:
    import time

    st.session_state["_flash"] = ("ok" if ok else "error", text, _page_key(), time.monotonic(), where)


def _page_key() -> str:
    try:
        return str(st.context.url or "")  # the page's address: a message stays on the page that made it
    except Exception:
        return ""


def empty(text: str) -> None:
    st.info(text, icon=":material/info:")


def collected_text(collected_at: Any, now: Any, failed_try_at: Any = None) -> str:
    """«Máy chủ thu thập lần gần nhất lúc 20:46:58.» (the day too when not today's), or that it never has: under the
    live pages' «read at» line (Tổng quan, Tin bài), so a screen left open tells a server that collects from one that
    stopped without scrolling to Tổng quan's last line (round 28, ux32). `collected_at` is the last fetch that
    succeeded; `failed_try_at`, the latest try when every source's latest failed since (`status.last_failed_try`): then
    both are said, when it last got something and that it still tries. The line gave the last fetch, failed or not, so
    a server whose every source failed read as fresh (round 29, ux35)."""
    if failed_try_at is not None:
        tried = f"lần thử gần nhất lúc {failed_try_at:%H:%M:%S}{_day_unless_today(failed_try_at, now)}"
        if collected_at is None:
            return f"Máy chủ chưa thu thập được tin lần nào: đã thử nhưng lỗi ở mọi nguồn, {tried}."
        return (f"Máy chủ thu thập được tin lần gần nhất lúc {collected_at:%H:%M:%S}"
                f"{_day_unless_today(collected_at, now)}; từ đó vẫn thử nhưng lỗi ở mọi nguồn, {tried}.")
    if collected_at is None:
        return "Máy chủ chưa thu thập lần nào."
    return f"Máy chủ thu thập lần gần nhất lúc {collected_at:%H:%M:%S}{_day_unless_today(collected_at, now)}."


def _day_unless_today(at: Any, now: Any) -> str:
    """« ngày 06/12/2026» after a time of another day than `now`'s, "" for today's: the collection lines' dates."""
    return "" if at.date() == now.date() else f" ngày {at:%d/%m/%Y}"


def collected_late_text(collected_at: Any, now: Any, got_at: Any = None, failed_before: bool = False) -> str:
    """The warning that replaces `collected_text` when the server has stopped collecting by its own schedule
    (`data.collection().late`): since when (`collected_at`: its last try), what it means for the page, what to do.
    «Máy chủ thu thập lần gần nhất lúc 08:10» read at 15:00 drew no eye, and staff believed the quiet screen (round
    28, ux33). `failed_before`: every source's latest try had failed before it stopped; then when it last got
    something (`got_at`, None: never) is said too (round 29)."""
    from detection.explain import fmt_duration

    ago = fmt_duration(max((now - collected_at).total_seconds() / 60.0, 0.0))
    since = f"{collected_at:%H:%M}{_day_unless_today(collected_at, now)}"
    before = ""
    if failed_before:
        got = (f"lần thu thập được tin gần nhất lúc {got_at:%H:%M}{_day_unless_today(got_at, now)}"
               if got_at is not None else "chưa thu thập được tin lần nào")
        before = f"; trước đó đã lỗi ở mọi nguồn, {got}"
    return (f"Máy chủ đã ngừng thu thập tin từ {since} (đã {ago}){before}: tin mới không về, số liệu và danh sách trên "
            "trang dừng ở lúc đó. Hãy báo quản trị viên kiểm tra máy chủ Lắng Nghe (lệnh `langnghe status` cho biết lần "
            "thu thập gần nhất và nguồn nào lỗi).")


def collected_note(c: Any, now: Any) -> str:
    """What the live pages' line says of collection (`c`: `data.collection()`), or "" when it is late
    (`collected_late_warning` says it)."""
    return "" if c.late and c.tried_at is not None else collected_text(c.got_at, now, c.failed_try_at)


def collected_late_warning(c: Any, now: Any) -> None:
    """The stopped-server warning, or, when the server still runs but every source fails (`c.failing`: whether and
    since when), that one: the quiet screen explained either way."""
    if c.late and c.tried_at is not None:
        st.warning(collected_late_text(c.tried_at, now, c.got_at, c.failed_try_at is not None),
                   icon=":material/sync_problem:")
    elif c.failing[0]:
        st.warning(failing_text(c.failing[1], now), icon=":material/cloud_off:")


def failing_text(since: Any, now: Any) -> str:
    """«Máy chủ vẫn chạy nhưng không lấy được tin từ nguồn nào …»: every source failing, since its last success. A
    network cut left the page quiet with no word, the stopped-server rule counting each failed try (round 28)."""
    if since is None:
        when = "chưa lấy được tin lần nào"
    else:
        when = f"lần lấy được gần nhất lúc {since:%H:%M}{_day_unless_today(since, now)}"
    return (f"Máy chủ vẫn chạy nhưng không lấy được tin từ nguồn nào: mọi nguồn đang lỗi ({when}). Tin mới không về "
            "cho đến khi sửa được. Hãy báo quản trị viên kiểm tra kết nối mạng của máy chủ; trang Nguồn tin cho biết "
            "lỗi của từng nguồn.")


def items_view(df: pd.DataFrame, *, with_tags: bool = True, extra: dict[str, Any] | None = None) -> pd.DataFrame:
    """Items as a Vietnamese table: title first (what staff read; on a phone the columns after it are off the
    screen), then time, outlet, topics, sentiment, places, link."""
    view = pd.DataFrame({
        "Tiêu đề": df["title"],
        "Thời gian": df["published_at"],
        "Nguồn": df["outlet"],
    })
    # an item with no topic or no place reads «—» (MISSING), not a blank cell: an empty text is no missing value to the
    # grid's placeholder, and a blank read as a cell not loaded (round 27; round 26 did it for people and states)
    if with_tags and "topics" in df:
        view["Chủ đề"] = [topics_text(as_list(t)) or None for t in df["topics"]]
    if with_tags and "sentiment" in df:
        view["Sắc thái"] = [sentiment_label(s) for s in df["sentiment"]]
    if with_tags and "places" in df:
        # a ward named old and new, «phường Trưng Vương cũ, nay phường Uông Bí (TP Uông Bí cũ)», took five lines of
        # the 110 px column and was cut in its fourth: «phường Uông Bí (Trưng Vương cũ)» now, both names (round 28)
        view["Địa bàn"] = [places_cell(as_list(p)) or None for p in df["places"]]
    for k, v in (extra or {}).items():
        view[k] = v
    view["Liên kết"] = [safe_link(u) for u in df["url"]]
    return view


RUNNING_WEEK = " — đang diễn ra"


def week_picker(box: Any, weeks: list[str], default: str, key: str, help: str) -> str:
    """The «Tuần» box of Báo cáo and Chủ đề & địa bàn, one for both so that a week is named alike on the two
    pages: ISO weeks newest first, each as the report names it (reports.settings.week_title), the first, still
    running, saying so; `default` chosen at first (the newest if it is not offered). `box` is st or a column.
    A week staff chose is kept while another page is open (`keep`); one left at the default follows the default
    (Báo cáo's moves on to the running week at the report time), and a kept week no longer offered gives way to it."""
    keep(key, default if default in weeks or not weeks else weeks[0], weeks)
    return box.selectbox("Tuần", weeks, key=key, help=help,
                         format_func=lambda w: week_title(w) + (RUNNING_WEEK if w == weeks[0] else ""),
                         placeholder="Chọn tuần")


KEPT = "_kept_"  # session keys holding a widget's value while its page is not drawn (`keep`)
_KEPT_DEFAULTS: dict[str, Any] = {}  # each key `keep` has held, with its default (`hold_kept`)


def hold_kept() -> None:
    """At the start of every run, whatever page it draws (dashboard/app.py): each kept widget's value, as `keep`
    holds it. `keep` runs when its page draws, but a click on another page right after typing in Tin bài's search
    folds the box's commit and the page change into one run of the other page (dashboard.server.NAV_AFTER_COMMIT
    orders them; a busy server still folds them): Tin bài never ran with the text, and its state was deleted with
    that run (Chromium under load, round 30's review: «ô nhiễm» typed, «Cảnh báo» clicked, Tin bài came back
    empty). The widgets' states the browser sent are all here at the run's start."""
    for key, default in list(_KEPT_DEFAULTS.items()):
        if key in st.session_state:
            _hold(key, default)


RAN_PAGE = "_ran_page"  # the page the session's last run drew (`address_of`)


def address_of(page: str) -> None:
    """At the start of a run that opens another page than the last run drew, with no address parameters of its own
    (dashboard/app.py): the browser's address is told again that it has none. A click on a page's name right after
    typing in Tin bài's search (held by dashboard.server.NAV_AFTER_COMMIT until the search's commit has gone out)
    ended on «/alerts?q=…» 4 times in 6 (Chromium, round 31: ux39): the search's run wrote `q` to the address, and
    Streamlit 1.67's frontend, which had cleared the address for the page change, took that late query back and put it
    on the new page's address. Streamlit sends a query only when it changes, and this run's query is empty as it
    was; `clear` sends it anyway, after the late one, and a browser whose address has none does nothing with it. A
    page opened with its own parameters (a chart's click, «?alert=…») keeps them."""
    last = st.session_state.get(RAN_PAGE)
    st.session_state[RAN_PAGE] = page
    if last is not None and last != page and not len(st.query_params):
        st.query_params.clear()


def _hold(key: str, default: Any) -> None:
    """The drawn widget `key`'s value held under KEPT + key; none held at its default (which may move on)."""
    if st.session_state[key] == default:
        st.session_state.pop(KEPT + key, None)
    else:
        st.session_state[KEPT + key] = st.session_state[key]


def keep(key: str, default: Any, options: Sequence[Any] | None = None) -> None:
    """Before drawing the widget `key`, which is then drawn without a default of its own: the value the user left
    it at on an earlier visit of the page, else `default`. Streamlit deletes a widget's state in a run that does
    not draw it (a visit to another page, e.g. Tin bài after a click on a bar), so the page came back to its
    defaults (round 17: Chủ đề's 30 days back to 7). Only a value other than the default is held, so a default
    that moves on (a week, today's date range) is followed; a held or shown value no longer in `options` gives way to
    it."""
    _KEPT_DEFAULTS[key] = default
    copy = KEPT + key
    if key in st.session_state and options is not None and not _offered(st.session_state[key], options):
        st.session_state[key] = default  # a pick no longer offered (another survey's question, an item filtered out)
    if key in st.session_state:
        _hold(key, default)
        return
    kept = st.session_state.get(copy, default)
    st.session_state[key] = kept if options is None or _offered(kept, options) else default


def _offered(value: Any, options: Sequence[Any]) -> bool:
    """Whether a held value is still a choice: one option, or (a multiselect's) a list of options."""
    if isinstance(value, (list, tuple)):
        return all(v in options for v in value)
    return value in options


def tabs(labels: Sequence[str], key: str) -> Sequence[Any]:
    """st.tabs whose open tab is kept while another page is open: Streamlit 1.67's tabs are browser-side state
    unless they track it (`on_change="rerun"`: a click then reruns the page, and `session_state[key]` holds the
    label), and like any widget's that state is dropped in a run that does not draw them, so `keep` holds it. A
    staff member on Nguồn tin's «Thêm nguồn» who looked at another page came back on «Sửa / tạm dừng» (dash6's
    walk). The query string (`bind="query-params"`) was not used: the sidebar's links carry no query, so the tab
    would still be lost, and it put the label in every address."""
    keep(key, labels[0], labels)
    return st.tabs(list(labels), key=key, on_change="rerun")


DRAFTS = "_drafts_"  # session keys of texts typed and not yet saved (`drafts`)


def drafts(kind: str) -> dict[str, str]:
    """The texts typed in `kind`'s boxes ("weekly", "rapid") and not yet saved, by box key, of the signed-in account.
    Why kept: Streamlit forgets a box's state once another box is drawn in its place (another week, area or alert).
    Why by account: the browser's session outlives a sign-out on a shared office computer, and the next account was
    shown, and could save under its own name, what the last one had typed."""
    user = str((st.session_state.get("user") or {}).get("username") or "")
    return st.session_state.setdefault(DRAFTS + kind, {}).setdefault(user, {})


def form_key(scope: str) -> str:
    """Prefix of a form's widget keys («<scope>_<n>_»). It changes with `renew_form` after a successful action, so the
    browser draws new, empty widgets: taking the old keys out of the session left their text in the box (Cảnh báo's
    action form; Trước giao ban's note, whose second click saved it again, round 27)."""
    return f"{scope}_{st.session_state.get(f'form_gen_{scope}', 0)}_"


def renew_form(scope: str) -> None:
    """After a successful action: the next run draws `scope`'s widgets under new keys, and the old ones are dropped."""
    old = form_key(scope)
    st.session_state[f"form_gen_{scope}"] = st.session_state.get(f"form_gen_{scope}", 0) + 1
    for k in [k for k in st.session_state if str(k).startswith(old)]:
        del st.session_state[k]


def keep_draft(kind: str, key: str, box: str) -> None:
    """A draft box's on_change: what was typed in the box keyed `box` kept under `key` in `kind`'s `drafts`, beyond
    the box (switching the week, the area or the alert draws another box, and Streamlit forgets this one's state)."""
    drafts(kind)[key] = st.session_state.get(box, "")


def button_row() -> Any:
    """A row of buttons side by side at the left, each as wide as its label, wrapping on a phone. Not st.columns:
    their weights spread the buttons over the width with a wide gap on a desk and stack them below 640 px."""
    return st.container(horizontal=True, horizontal_alignment="left", gap="small")


# A list that can reach back past this year (Tin bài over every period, a year's alert or case queue) shows the
# year: "05/12 20:33" was both last December and this one.
DATE_TIME_FORMAT = "DD/MM/YYYY HH:mm"
DATE_TIME_STRFTIME = "%d/%m/%Y %H:%M"  # the same, for text written in Python (printed tables)

ITEM_COLUMNS = {
    "Tiêu đề": st.column_config.TextColumn(width="large"),
    "Thời gian": st.column_config.DatetimeColumn(format=DATE_TIME_FORMAT, width=110),
    "Nguồn": st.column_config.TextColumn(width="small"),
    "Chủ đề": st.column_config.TextColumn(width="small"),
    "Sắc thái": st.column_config.TextColumn(width="small"),
    "Địa bàn": st.column_config.TextColumn(width="small"),
    "Liên kết": st.column_config.LinkColumn(display_text="Mở bài gốc", width="small"),
}


HOUR_MS = 3_600_000  # a date axis counts in milliseconds
# Plotly's number format for every chart: decimal comma, thousands dot, as Vietnamese writes numbers and as
# the metrics and tables of the pages do ("60,5", "1.250"); Plotly's default is "60.5" and "1,250".
SEPARATORS = ",."
# px above the plot of a chart with a title in Plotly (its title is centred in that margin): at 24 the top of a
# stacked mark was cut, Cảnh báo's «Diễn biến số tin» read «Diên biến số tin» at 1366 px and on a phone (round 28)
TITLE_TOP = 36
# A bar's share written on it («7%»), level and at the chart's font size: Plotly's defaults shrank the text of a short
# bar and turned it on its side to fit it inside (Chủ đề's «Theo cơ quan, kênh», 26 px bars: a vertical «7%» three
# pixels tall, round 26). Inside the bar when it fits, else just past its end.
BAR_SHARE_TEXT = {"textposition": "auto", "textangle": 0, "constraintext": "none", "cliponaxis": False}


def count_axis(max_count: float, **kw: Any) -> dict[str, Any]:
    """An axis of item counts: whole numbers only (with few items Plotly put ticks at 0.5 and 1.5 "tin"), with
    the thousands dot from 1.000 on (Plotly's own ticks wrote "1500"), and 0…1 when there is nothing to count
    (Plotly drew −1…1)."""
    return {**kw, "rangemode": "tozero", "tickformat": ",d", **({"dtick": 1} if max_count <= 6 else {}),
            **({"range": [0, 1]} if max_count <= 0 else {})}


def hour_axis(hours: list[Any], **kw: Any) -> dict[str, Any]:
    """An x axis of hourly bars: an hour either side and a tick per hour (or per few hours), so one or two
    bars are not drawn across the whole chart under repeated labels ("14h 05/12, 14h 05/12, 15h 05/12")."""
    lo, hi = pd.Timestamp(min(hours)), pd.Timestamp(max(hours))
    span_h = (hi - lo) / pd.Timedelta(hours=1) + 2
    step = max(1, int(-(-span_h // 8)))  # at most about 8 ticks
    return {**kw, "range": [lo - pd.Timedelta(hours=1), hi + pd.Timedelta(hours=1)], "dtick": HOUR_MS * step}


def inert_cell(v: Any) -> Any:
    """Text that would start a spreadsheet formula, kept as text by a leading apostrophe (the OWASP CSV
    injection rule). Numbers, dates and ordinary text are returned as they are. The rule is vocab.spreadsheet's
    CSV_FORMULA (shared with the report XLSX): "=", tab, CR, LF, NUL always; "+", "-", "@" only before a call, a
    pipe, a sheet reference or an "=", since staff see these cells on screen too."""
    return "'" + v if isinstance(v, str) and CSV_FORMULA.match(v) else v


def csv_safe(data: Any) -> Any:
    """`data` with every text cell, column name and index label made inert (inert_cell): the table's own
    download button writes cells as they are, and feed titles, imported rows, survey answers and audit
    notes come from outside ('=HYPERLINK("http://…?"&A1,"Xem")' leaks the sheet when opened in Excel)."""
    if not isinstance(data, pd.DataFrame):
        return data
    out = data.copy(deep=False)
    for c in out.columns:
        if _texty(out[c].dtype):
            out[c] = out[c].map(inert_cell)
    if not isinstance(out.columns, pd.MultiIndex):
        out.columns = [inert_cell(c) for c in out.columns]
    if _texty(out.index.dtype) and not isinstance(out.index, pd.MultiIndex):
        out.index = out.index.map(inert_cell).rename(out.index.name)
    return out


def _texty(dtype: Any) -> bool:
    return pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype) or \
        isinstance(dtype, pd.CategoricalDtype)


def chart_label(v: Any) -> str:
    """Text from outside (survey options, outlet names) as a Plotly label: Plotly draws '<a href=…>', '<b>'
    and '<br>' in axis, legend and hover text, so a page named '<a href="http://…">…</a>' would be a link
    on the chart. Its entities (&lt;) show as the characters they stand for."""
    return html.escape(str(v), quote=False)


# what a grid shows in a cell with no value: Streamlit writes «None» (Python's English) unless told otherwise (round 25:
# Khảo sát's questionnaire editor showed «None» in «Nhóm» for every question without a group)
MISSING = "—"


def dataframe(data: Any, **kw: Any) -> Any:
    """st.dataframe for every table of the dashboard (its download button makes a CSV): cells csv_safe, whole
    numbers from 1.000 on with the thousands dot and decimals with the comma (thousands_dot), an empty cell «—»
    (MISSING) rather than Streamlit's «None»."""
    kw.setdefault("placeholder", MISSING)
    return st.dataframe(thousands_dot(csv_safe(data)), **kw)


def _at_least_1000(col: pd.Series) -> bool:
    """Whether a (nullable) integer column holds a value of 1.000 or more; an all-empty one does not (its max
    is NA, whose truth value raises)."""
    top = col.abs().max()
    return bool(pd.notna(top) and top >= 1000)


# Integer columns that name a thing rather than count it, by the column's first word: a year ("Năm": 2026,
# never "2.026"), a code or an ID ("Mã", "Mã số", "ID", "Số hiệu", or an English `…_id` / `id` / `year` /
# `code` before the page renames it). Their digits are shown as they are.
LABEL_NUMBER_WORDS = ("năm", "mã", "id", "số hiệu", "year", "code")


def is_label_number(column: Any) -> bool:
    """Whether an integer column holds years, codes or IDs (LABEL_NUMBER_WORDS, or a name ending in `_id`):
    the thousands dot would misread 2026 as "2.026" there."""
    name = " ".join(str(column).split()).casefold()
    return name.endswith("_id") or any(name == w or name.startswith(w + " ") for w in LABEL_NUMBER_WORDS)


def decimal_text(v: float) -> str:
    """A decimal as staff read it: one place, the Vietnamese comma, the thousands dot («11,4», «1.250,5»; «11» for
    11.0); two places below 0,1, which one place would show as «0»."""
    return fmt_num(v, 1 if v == 0 or abs(v) >= 0.1 else 2)


def thousands_dot(df: Any) -> Any:
    """A table whose integer columns hold 1.000 or more, or that has decimal columns, as a Styler that shows them
    "1.266" and "11,4" (st.dataframe wrote "1266" and "11.43" — Nguồn tin's «TB/ngày» until round 21 — and a
    NumberColumn format has only the comma or the browser's locale; Khảo sát's «Tỷ lệ (%)» read «12.2» beside
    «9,4–15,8%»); the values stay numbers, so the columns still sort as numbers. Years, codes and IDs
    (is_label_number) keep their plain digits. A column given a NumberColumn format of its own keeps it (Streamlit
    shows the Styler's text only where no format is set). Other tables are returned as they are."""
    if not isinstance(df, pd.DataFrame) or not len(df) or df.size > pd.get_option("styler.render.max_elements"):
        return df  # pandas refuses to style more cells than that (an English error on the page): plain numbers
    big = [c for c in df.columns if pd.api.types.is_integer_dtype(df[c].dtype) and not is_label_number(c)
           and _at_least_1000(df[c])]
    decimals = [c for c in df.columns if pd.api.types.is_float_dtype(df[c].dtype) and df[c].notna().any()]
    if not big and not decimals:
        return df
    styler = df.style
    if big:
        styler = styler.format(lambda v: number(v) if pd.notna(v) else "", subset=big)
    if decimals:
        styler = styler.format(lambda v: decimal_text(v) if pd.notna(v) else "", subset=decimals)
    return styler


# On a phone ------------------------------------------------------------------------------------------------
# A table's grid is drawn on a canvas: CSS cannot narrow or hide its columns, so the page decides from the
# browser's User-Agent, the one thing the server knows of the screen (Streamlit tells it no width). Phones say
# "Mobi" in it (MDN's advice for telling a phone apart; Android tablets and iPads do not, and a tablet's 768 px
# shows the title column whole).
PHONE_TITLE_WIDTH = 240  # px: with the time beside it (110 px) the two fill a 390 px phone's 358 px grid
# Streamlit wraps cell text only in rows taller than 4rem (64 px, its DataFrame.tsx); 84 px holds a title's
# three lines
PHONE_ROW_HEIGHT = 84
PHONE_TABLE_HEIGHT = 480  # px: five wrapped rows; a phone scrolls the page, not a small box inside it
ROW_HEIGHT = 35  # px: Streamlit's own row (2.1875rem), on a desk and a tablet
# px: Streamlit's header row (35) and the grid's two 1 px borders (its DataFrame's auto height), and 1 px to spare
HEADER_HEIGHT = 38


def table_height(rows: int, most: int, row_height: int = ROW_HEIGHT) -> int:
    """A grid's height: the header and every row when they fit in `most` px, else `most` and a scroll inside. The
    one formula of the dashboard's tables, on a desk (35 px rows) and on a phone (PHONE_ROW_HEIGHT)."""
    return min(most, HEADER_HEIGHT + row_height * rows)


def is_phone_agent(user_agent: str | None) -> bool:
    """Whether a User-Agent is a phone's ("Mobi" in it, as Android phones, iPhones and Firefox for phones send)."""
    return "Mobi" in (user_agent or "")


def on_phone() -> bool:
    """Whether this session's browser is a phone (is_phone_agent); False outside a browser (AppTest, bare mode)."""
    try:
        return is_phone_agent(st.context.headers.get("User-Agent"))
    except Exception:  # no session context
        return False


def fit_columns(config: dict[str, Any], title: str, phone_keep: list[str]) -> dict[str, Any]:
    """st.dataframe's column arguments for this screen: `config` as it is on a desk or a tablet; on a phone the
    title column wraps at PHONE_TITLE_WIDTH in taller rows and only `phone_keep` follow it (the others stay in the
    data, out of the grid: the table's eye menu shows them on demand)."""
    if not on_phone():
        return {"column_config": config}
    title_col = {**config.get(title, st.column_config.TextColumn()), "width": PHONE_TITLE_WIDTH}
    return {"column_config": {**config, title: title_col}, "column_order": [title, *phone_keep],
            "row_height": PHONE_ROW_HEIGHT}


def fit_table(config: dict[str, Any], title: str, phone_keep: list[str], rows: int,
              desk_height: int | None) -> dict[str, Any]:
    """fit_columns and the grid's height, the one phone-or-desk choice of the tables that wrap on a phone (Tin
    bài's items, Cảnh báo's queue): on a phone the header and every wrapped row when they fit, else five rows and
    a scroll; on a desk `desk_height` as the page chose it ("auto" when None)."""
    fit = fit_columns(config, title, phone_keep)
    phone = "row_height" in fit
    height = table_height(rows, PHONE_TABLE_HEIGHT, PHONE_ROW_HEIGHT) if phone else desk_height
    return {**fit, "height": height or "auto"}


# Streamlit wraps a cell's text only in rows taller than 64 px (its DataFrame.tsx): rows of two lines, so that a value
# cut at its column's width («Môi trường,», «Nhóm Uông») reads whole
TWO_LINES_ROW = 68  # px


# A phone's grid in pixels (ux43, round 32): ux41 measured at 390 × 844 Tổng quan's «Tin mới nhất», Tin bài and Trước
# giao ban's items at 500 px (the title's 240, the time's 110, «Nguồn» and «Liên kết» 75 each), Trước giao ban's alerts
# at 747 and its stories at 730, Nguồn tin's health at 675 and its alarms at 730, each in a 356 px frame, scrolling
# sideways. As Chủ đề's tables (ux41): the name column wrapped and the two or three columns staff need, each in pixels
# that add up to at most PHONE_GRID; the others stay in the data, in the grid's «Ẩn/hiện cột» menu, and a caption under
# the grid says so (phone_hidden).
PHONE_GRID = 350  # px: a 390 px phone's grid frame is 356 px (the page's padding and the grid's borders)
# the items' title, their time and the way to the source; «Nguồn», «Chủ đề», «Sắc thái», «Địa bàn» in the eye menu
PHONE_ITEM_WIDTHS = {"Tiêu đề": 165, "Thời gian": 110, "Liên kết": 75}
PHONE_ITEM_COLUMNS = [c for c in PHONE_ITEM_WIDTHS if c != "Tiêu đề"]  # after the title: when, and the way to it
PHONE_ITEM_ROW = 106  # px: four lines of a title in 165 px (about 90 characters), with the cell's padding
PHONE_HIDDEN = "Trên điện thoại, cột {cols} được ẩn: hiện lại bằng nút «Ẩn/hiện cột» (hình con mắt) trên bảng."


def phone_grid(config: dict[str, Any], widths: dict[str, int], rows: int | None = None,
               row_height: int = TWO_LINES_ROW, most: int = PHONE_TABLE_HEIGHT) -> dict[str, Any]:
    """st.dataframe's column arguments for a phone: the columns of `widths`, in that order, each at its pixels over
    `config`'s own column type (the first, the name, wraps in rows of `row_height`), and, given the `rows`, the
    height of them all up to `most` px. Send the whole frame: the columns left out are the eye menu's."""
    fit = {"column_config": {**config, **sized_columns(widths, config)}, "column_order": list(widths),
           "row_height": row_height}
    return fit | ({"height": table_height(rows, most, row_height)} if rows is not None else {})


def hidden_text(columns: Sequence[Any], shown: Sequence[Any]) -> str:
    """PHONE_HIDDEN for the `columns` of a grid's data that a phone's `shown` leaves out: «cột «A» và «B» được ẩn…»;
    "" when none is."""
    hidden = [f"«{c}»" for c in columns if c not in shown]
    if not hidden:
        return ""
    return PHONE_HIDDEN.format(cols=hidden[0] if len(hidden) == 1 else f"{', '.join(hidden[:-1])} và {hidden[-1]}")


def phone_hidden(columns: Sequence[Any], shown: Sequence[Any]) -> None:
    """The caption under a phone's grid naming the columns it hides (hidden_text), if any."""
    text = hidden_text(columns, shown)
    if text:
        st.caption(text)




def sized_columns(widths: dict[str, int], config: dict[str, Any]) -> dict[str, Any]:
    """A column_config of each column of `widths` at its width in pixels, over `config`'s own column type."""
    return {c: {**config.get(c, {}), "width": w} for c, w in widths.items()}


def desk_grid(widths: dict[str, int], config: dict[str, Any], rows: int, most: int) -> dict[str, Any]:
    """st.dataframe's sizing arguments for a grid that must fit a 1366 px desk (954 px of page with the sidebar
    open): each column of `widths` in pixels (sized_columns), rows of two lines, the header and every row when they
    fit in `most` px. Columns sized by their text ran past the page and scrolled sideways."""
    return {"column_config": {**config, **sized_columns(widths, config)}, "row_height": TWO_LINES_ROW,
            "height": table_height(rows, most, TWO_LINES_ROW)}


TABLET_GRID = 730  # px: the most a tablet's grid may add up to (a 768 px tablet upright shows 734 px of it)


def desk_or_tablet(key: str) -> tuple[Any, Any]:
    """Two containers, one for a grid's desk columns and one for its tablet columns (fewer, up to TABLET_GRID px);
    the page's CSS (BASE_CSS) shows the one that fits. A grid's columns are pixels on a canvas and the server is
    told no width, so both are drawn; the tables that do this are short (the newest items, the briefing's)."""
    return st.container(key=f"desk-{key}"), st.container(key=f"tablet-{key}")


def desk_and_tablet(key: str, data: Any, desk: dict[str, Any], tablet: dict[str, Any],
                    phone: dict[str, int] | None = None, **kw: Any) -> None:
    """One table drawn twice (`desk_or_tablet`): with st.dataframe's arguments `kw` and `desk` for a desk, `kw` and
    `tablet` (its fewer columns) for a tablet; the page's CSS shows the one that fits. Each copy is sent only
    the columns it shows, in its order (`shown_columns`; round 23 cut the tablet's, whose whole frames were half of the
    grid data of Tổng quan, Trước giao ban and Nguồn tin, `bench/tabs_and_copies.py`; round 24 the desk's).
    On a phone, given `phone` (its columns in pixels, PHONE_GRID at most), one grid of those (`phone_grid`, over the
    desk's column_config), sent the whole frame for the eye menu, and the caption naming the others (ux43)."""
    if phone and on_phone() and isinstance(data, pd.DataFrame):
        with st.container(key=f"phone-{key}"):
            dataframe(data, **(kw | phone_grid(desk.get("column_config") or {}, phone, len(data))))
            phone_hidden(data.columns, phone)
        return
    for box, own in zip(desk_or_tablet(key), (desk, tablet)):
        with box:
            dataframe(shown_columns(data, own.get("column_order")), **(kw | own))


def shown_columns(data: Any, order: Any) -> Any:
    """`data` cut to the columns of `order` (a grid's column_order), in that order; `data` as it is without one. Why:
    a grid is sent its whole frame, and the columns its column_order leaves out stayed in the browser, where the
    table's eye menu shows them again and its CSV download then writes them. Until round 24 only the tablet copies
    were cut (round 23), in the frame's order; the desk copy of Trước giao ban's alerts still sent «Mức», «Phát
    sinh», «Trạng thái» and «Ưu tiên» beside the «Tình trạng» that holds them. A phone's grid is not cut
    (`fit_columns`): its few columns are a choice for the width, and the eye menu shows the others on demand."""
    if not order or not isinstance(data, pd.DataFrame):
        return data
    shown = [c for c in dict.fromkeys(order) if c in data.columns]
    return data[shown] if shown else data


def desk_and_tablet_grid(key: str, data: Any, config: dict[str, Any], tablet: dict[str, int],
                         phone: dict[str, int] | None = None, **kw: Any) -> None:
    """One table drawn with its desk `config` and, for a tablet (`desk_or_tablet`), only the columns of `tablet` at
    those pixel widths; on a phone those of `phone`, if given (desk_and_tablet)."""
    desk_and_tablet(key, data, {"column_config": config},
                    {"column_order": list(tablet), "column_config": {**config, **sized_columns(tablet, config)}},
                    phone, **kw)


def items_table(df: pd.DataFrame, *, height: int | None = None, key: str | None = None,
                widths: dict[str, int] | None = None, tablet: dict[str, int] | None = None, **kw: Any) -> None:
    """`widths`: the columns in pixels on a desk, in rows of two lines (`desk_grid`, `height` the most); `tablet`:
    those shown, in pixels, where the desk's do not fit (`desk_or_tablet`); a phone keeps its own narrow choice."""
    view = items_view(df, **kw)
    if on_phone():
        phone_items(view, key)
        return
    fit = fit_table(ITEM_COLUMNS, "Tiêu đề", PHONE_ITEM_COLUMNS, len(df), height)
    desk = bool(widths)
    if widths and desk:
        fit = desk_grid(widths, ITEM_COLUMNS, len(df), height or 520)
        if set(widths) != set(view.columns):  # fewer than the view's (Cảnh báo's five): those, in `widths`' order
            fit |= {"column_order": list(widths)}
        if tablet:
            desk_and_tablet(key or "items", view, fit | {"key": key},
                            {"key": f"{key}_tablet" if key else None, "column_order": list(tablet),
                             **desk_grid(tablet, ITEM_COLUMNS, len(df), height or 520)},
                            hide_index=True, width="stretch", placeholder="—")
            return
    dataframe(shown_columns(view, fit.get("column_order")) if desk else view, hide_index=True, width="stretch",
              key=key, placeholder="—", **fit)


def phone_items(view: pd.DataFrame, key: str | None = None) -> None:
    """Items (`items_view`) on a phone: the title wrapped, its time and link (PHONE_ITEM_WIDTHS, 350 px: the grid was
    500 px in 356 until ux43), the other columns in the eye menu, as the caption under it says."""
    dataframe(view, hide_index=True, width="stretch", key=key, placeholder="—",
              **phone_grid(ITEM_COLUMNS, PHONE_ITEM_WIDTHS, len(view), PHONE_ITEM_ROW))
    phone_hidden(view.columns, PHONE_ITEM_WIDTHS)


CHART_DATA_LABEL = "Số liệu của biểu đồ (bảng)"


def chart_data(table: pd.DataFrame, **kw: Any) -> None:
    """A chart's figures as a table, folded under it: the chart's text alternative (a screen reader reads no bars,
    and fourteen stacked colours are hard to tell apart); hidden on paper with the other expanders."""
    with st.expander(CHART_DATA_LABEL, icon=":material/table_view:"):
        dataframe(table, hide_index=True, width="stretch", **kw)


def page_link(name: str, label: str, query_params: dict[str, str] | None = None,
              icon: str | None = ":material/arrow_forward:") -> bool:
    """A link to another page of the navigation (registered by app.py), if this user has that page; whether drawn."""
    page = st.session_state.get("_pages", {}).get(name)
    if page is not None:
        st.page_link(page, label=label, icon=icon, query_params=query_params)
    return page is not None


def open_items(filters: dict[str, str | list[str]]) -> None:
    """Drill-down: open Tin bài filtered by `filters` (its query parameters: topic, place, unit, type,
    outlet, sent, q, period, prev), so the address bar holds the filter and the link can be shared."""
    params = {k: v for k, v in filters.items() if v not in (None, "", [])}
    page = st.session_state.get("_pages", {}).get("explorer")
    if page is None:  # a single-page run (tests): keep the filter in the address bar only
        st.query_params.from_dict(params)
        return
    st.switch_page(page, query_params=params)
