"""The ASGI app `langnghe serve` runs: the Streamlit dashboard (dashboard/app.py) plus one route of ours,
`/download/<signed>`, which serves generated report files to the signed-in session a link was made for
(dashboard/downloads.py). Streamlit's own `/media/` serves anything to anyone, so reports never go there.
Its frontend bundle under `/static/` is gzipped by us (`GzipStatic`): Streamlit leaves it uncompressed. The page
itself (index.html) says it is Vietnamese and where the app's root is, and names the help buttons in Vietnamese
(`PageHtml`).

    langnghe/service.py: bootstrap.run_asgi_app(APP_PATH, "dashboard.server:app", …)
"""

from __future__ import annotations

import json
from pathlib import Path

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from dashboard import downloads
from orchestration.accounts import SESSION_COOKIE, AuthService, AuthSettings

APP_PATH = Path(__file__).resolve().parent / "app.py"
NO_STORE = {"Cache-Control": "no-store, private", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


def _grant(signed: str, cookie: str | None) -> downloads.Grant | None:
    from orchestration import runtime
    auth = AuthService(runtime.get_db(), AuthSettings.from_config(runtime.get_config()))
    return downloads.resolve(signed, cookie, auth)


async def download(request: Request) -> Response:
    grant = await run_in_threadpool(_grant, request.path_params["signed"], request.cookies.get(SESSION_COOKIE))
    if grant is None:
        return PlainTextResponse(downloads.DENIED, status_code=403, headers=NO_STORE)
    return FileResponse(grant.path, media_type=grant.mime, filename=grant.path.name, headers=NO_STORE)


routes = [Route(downloads.PREFIX + "{signed}", download, methods=["GET"])]

STATIC_PREFIX = "/static/"


def _gzipped(app: ASGIApp) -> GZipMiddleware:
    """`app` answering gzipped to a browser that accepts it: bodies from 1 KB, level 6 (one setting for both uses)."""
    return GZipMiddleware(app, minimum_size=1024, compresslevel=6)


class GzipStatic:
    """Gzip Streamlit's frontend files (`/static/…`) for browsers that accept it. Streamlit serves them
    uncompressed (it expects a proxy to compress): Tổng quan's first load was 9.2 MB, 4.6 MB of it Plotly's
    bundle, a minute and more on a phone's 3G; gzipped about 70 % less. The files are content-hashed and
    cached for a year, so each browser fetches them once; Starlette compresses large bodies in a thread.
    Other paths (pages, websocket, `/download/` files) pass untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.gzip = _gzipped(app)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and str(scope.get("path", "")).startswith(STATIC_PREFIX):
            await self.gzip(scope, receive, send)
        else:
            await self.app(scope, receive, send)


# paths that are never the page (index.html): Streamlit's API, files, websocket, our downloads
NOT_PAGES = (STATIC_PREFIX, "/_stcore/", "/media/", "/component/", "/app/static/", downloads.PREFIX)


def page_html(html: bytes, root_path: str) -> bytes:
    """index.html as Streamlit ships it, with `lang="vi"` (it said "en": Chrome offered to translate the page «from
    English» and a screen reader read Vietnamese with English sounds), our title, and the app's root given to the
    frontend (`window.__streamlit.BACKEND_BASE_URL`, read before it guesses). A page opened by its address
    (`/topics`) otherwise first took the page's path for the app's root: two 404s in the console
    (`/topics/_stcore/health`, `/topics/_stcore/host-config`) before it tried `/`. And the browser's language as
    Vietnamese (BROWSER_LOCALE), for the date picker's calendar."""
    root = json.dumps(root_path.rstrip("/") + "/").replace("<", "\\u003c")
    script = f"<script>window.__streamlit={{BACKEND_BASE_URL:location.origin+{root}}};{BROWSER_LOCALE}</script>"
    return (html.replace(b'<html lang="en">', b'<html lang="vi">', 1)
            .replace(b"<title>Streamlit</title>", "<title>Lắng Nghe</title>".encode(), 1)
            .replace(b"<head>", b"<head>" + script.encode(), 1)
            .replace(b"</head>", (HELP_LABELS + "\n" + TOOLBAR_LABELS + "\n" + NAV_AFTER_COMMIT).encode()
                     + b"</head>", 1))


# The date picker's calendar (React Aria's, in Streamlit 1.67) names months and weekdays in the browser's language:
# «November», «S M T W T F S» from Sunday in an English Chrome, «Tháng 11», «T2 … CN» from Monday in a Vietnamese
# one. Streamlit's frontend hands React Aria `window.navigator.language` and has no setting for it, so the page
# says Vietnamese there before the bundle (a module script) runs: every browser then shows what a Vietnamese one
# does (the locale Streamlit also reports to the server, `st.context.locale`, which no page reads).
BROWSER_LOCALE = ("Object.defineProperty(navigator,'language',{get:()=>'vi-VN'});"
                  "Object.defineProperty(navigator,'languages',{get:()=>['vi-VN','vi']});")


# The ⓘ buttons beside a widget with `help=` are named «Help for <label>» for a screen reader: Streamlit (1.67) writes
# that English in its frontend and has no setting for it. This rewrites the name when the button appears (or React
# sets it again): «Hướng dẫn: <label>». Labels are read and written as attributes, never as HTML. Only names
# Streamlit wrote: a button given `help=` sits in the same tooltip box with no aria-label (its name is its text,
# «Đánh dấu đã giao ban»), and renaming it too hid that name from screen readers and from the tests (round 23).
HELP_LABELS = ("<script>(()=>{const q='[data-testid=\"stTooltipIcon\"] button[aria-label^=\"Help\"]';"
               "const fix=()=>{for(const b of document.querySelectorAll(q)){const l=b.getAttribute('aria-label');"
               "b.setAttribute('aria-label',l==='Help'?'Hướng dẫn':'Hướng dẫn: '+l.replace(/^Help for /,''))}};"
               "new MutationObserver(fix).observe(document,{subtree:true,childList:true,attributes:true,"
               "attributeFilter:['aria-label']})})();</script>")


# The tables' toolbar (Streamlit 1.67's, above a grid on hover, always on a touch screen): its buttons are icons whose
# names and hover hints Streamlit writes in English in its frontend («Show/hide columns», «Download as CSV», «Search»,
# «Fullscreen», «Close fullscreen»), with no setting, locale or parameter of st.dataframe to change or drop them; so
# is a column's menu (a click on its header: «Sort ascending», «Hide column», «Statistics», «Format»…). The toolbar
# is kept: it is the only way staff have to save a table as CSV, find a word in a long one or read it full screen
# (no page offers a Vietnamese button for these, round 25). This renames, as they appear, each toolbar button (its
# aria-label, which a screen reader reads and the tests find it by) and the text of its hover hint (the tooltip
# Streamlit draws from that label), the eye menu's «Select all», and a column menu's items, names and submenus
# (number and date formats, statistics): attributes and the text of existing text nodes, never HTML, and only text
# that is exactly one of these words (a column is named by the page, in Vietnamese). The search box's buttons are
# renamed too, and its count (round 26): Streamlit 1.67's grid writes it as one string in its frontend,
# `${n} result${n===1?"":"s"}` or «over 1000», prefixed `${i} of ` once a match is selected («1 of 3 results»), and
# «Type to search» before anything is typed; `SEARCH_COUNT` rewrites the text node under «.gdg-search-status» to
# «1 / 3 kết quả», «hơn 1.000», «Gõ để tìm». Only text that is exactly one of those shapes: a newer Streamlit that words
# it otherwise is left English, never garbled. React sets the node's text in place on the next count (a character
# change, which the observer watches too); the rewrite then matches nothing and stops.
# And the page's first link (round 27): Streamlit 1.67 draws «Skip to main content» at the top left when a keyboard's
# Tab first reaches the page (hidden until then; a screen reader reads it first), English with no setting; its text
# node is renamed the same way, «Chuyển đến nội dung chính» (the words Vietnamese sites use for it).
TOOLBAR_WORDS = {
    "Show/hide columns": "Ẩn/hiện cột", "Download as CSV": "Tải bảng về máy (CSV)", "Search": "Tìm trong bảng",
    "Fullscreen": "Xem toàn màn hình", "Close fullscreen": "Thu nhỏ lại", "Select all": "Chọn tất cả",
    "Dataframe column menu": "Menu của cột", "Copy column name": "Chép tên cột", "Sort ascending": "Sắp xếp tăng dần",
    "Sort descending": "Sắp xếp giảm dần", "Statistics": "Thống kê", "Format": "Định dạng",
    "Autosize": "Tự chỉnh độ rộng", "Pin column": "Ghim cột", "Unpin column": "Bỏ ghim cột", "Hide column": "Ẩn cột",
    "Automatic": "Tự động", "Localized": "Theo ngôn ngữ", "Plain": "Số thường", "Compact": "Rút gọn",
    "Percent": "Phần trăm", "Scientific": "Dạng khoa học", "Accounting": "Kế toán", "Duration": "Khoảng thời gian",
    "Distance": "Cách đây bao lâu", "Calendar": "Theo lịch", "Values": "Số giá trị", "Empty": "Trống",
    "Distinct": "Số giá trị khác nhau", "Average": "Trung bình", "Median": "Trung vị", "Minimum": "Nhỏ nhất",
    "Maximum": "Lớn nhất", "Sum": "Tổng", "Range": "Khoảng", "Standard deviation": "Độ lệch chuẩn",
    "25th percentile": "Phân vị 25", "75th percentile": "Phân vị 75", "Average length": "Độ dài trung bình",
    "Minimum length": "Độ dài nhỏ nhất", "Maximum length": "Độ dài lớn nhất",
    "Previous Result": "Kết quả trước", "Next Result": "Kết quả sau", "Close Search": "Đóng ô tìm",
    "Type to search": "Gõ để tìm",
    "Skip to main content": "Chuyển đến nội dung chính",
    # the hint under a box being typed in (round 28, ux32: «Press Enter to apply» under Tin bài's search, the box staff
    # type in most); Streamlit 1.67's InputInstructions writes one of these, `Press ${⌘ or Ctrl}+Enter` in a text area
    **{f"Press {key}Enter to {what}": f"Nhấn {key}Enter để {doing}" for key in ("", "⌘+", "Ctrl+")
       for what, doing in (("apply", "áp dụng"), ("submit form", "gửi"))},
    # a toast's long text is cut with a «view more» / «view less» link, and its × is labelled «Close»: refusals were
    # said in a toast in round 29 (ux35); since round 30 (ux38) no page toasts, kept for one that would
    "view more": "xem thêm", "view less": "thu gọn", "Close": "Đóng",
    # what a keyboard or a screen reader meets first (round 31, ux39: Tab from the sign-in page's top reached «Link to
    # heading», then «Show password»): a heading's anchor, the password box's eye, the sidebar's fold buttons
    # (the eye's words leave out «mật khẩu»: a search by label for the box, «Mật khẩu», found the button too)
    "Link to heading": "Liên kết đến mục này", "Show password": "Hiện các ký tự đã gõ",
    "Hide password": "Ẩn các ký tự đã gõ",
    "Collapse sidebar": "Thu gọn thanh bên", "Expand sidebar": "Mở thanh bên",
}
# the search box's count, as a JavaScript function of its text (see above): «1 of 3 results» → «1 / 3 kết quả»,
# «1 result» → «1 kết quả», «over 1000» → «hơn 1.000», «2 of over 1000» → «2 / hơn 1.000»; other text as it is
# (N: a count's shape or null; «N of X» only where X is itself one: «2 of 3 matches» stays English, not half rewritten)
SEARCH_COUNT = ("const N=s=>{if(s==='over 1000')return 'hơn 1.000';const m=/^(\\d+) results?$/.exec(s);"
                "return m?m[1]+' kết quả':null};"
                "const C=s=>{const m=/^(\\d+) of (.+)$/.exec(s);if(m){const x=N(m[2]);return x===null?s:m[1]+' / '+x}"
                "const x=N(s);return x!==null?x:Object.hasOwn(L,s)?L[s]:s};")
_TOOLBAR_NAMED = ('[data-testid="stElementToolbarButton"] button[aria-label],'
                  '[data-testid="stDataFrameColumnMenu"] [aria-label],.gdg-search-bar button[aria-label],'
                  '[data-testid="stToast"] button[aria-label],[data-testid="stHeaderActionElements"] a[aria-label],'
                  '[data-testid="stTextInputRootElement"] button[aria-label],'
                  '[data-testid="stSidebarCollapseButton"] button[aria-label],[data-testid="stExpandSidebarButton"][aria-label]')
_TOOLBAR_TEXTS = ('[data-testid="stSkipToContent"],[data-testid="InputInstructions"],[data-testid="stToastViewButton"],'
                  '[data-testid="stTooltipContent"],[data-testid="stDataFrameColumnVisibilityMenu"],'
                  '[data-testid="stDataFrameColumnMenu"],[data-testid="stDataFrameColumnFormattingMenu"],'
                  '[data-testid="stDataFrameStatisticsMenu"]')
TOOLBAR_LABELS = ("<script>(()=>{const L=" + json.dumps(TOOLBAR_WORDS, ensure_ascii=False) + ","
                  "b=" + json.dumps(_TOOLBAR_NAMED) + ",t=" + json.dumps(_TOOLBAR_TEXTS) + ";" + SEARCH_COUNT +
                  "const fix=()=>{for(const e of document.querySelectorAll(b)){const l=e.getAttribute('aria-label');"
                  "const i=l.indexOf(': '),k=i<0?l:l.slice(0,i);if(L[k])e.setAttribute('aria-label',L[k]+(i<0?'':l.slice(i)))}"
                  "for(const r of document.querySelectorAll(t)){const w=document.createTreeWalker(r,NodeFilter.SHOW_TEXT);"
                  "for(let n=w.nextNode();n;n=w.nextNode()){const v=L[n.nodeValue.trim()];if(v)n.nodeValue=v}}"
                  "for(const r of document.querySelectorAll('.gdg-search-status')){"
                  "const w=document.createTreeWalker(r,NodeFilter.SHOW_TEXT);"
                  "for(let n=w.nextNode();n;n=w.nextNode()){const v=C(n.nodeValue.trim());"
                  "if(v!==n.nodeValue.trim())n.nodeValue=v}}};"
                  "new MutationObserver(fix).observe(document,{subtree:true,childList:true,characterData:true,"
                  "attributes:true,attributeFilter:['aria-label']})})();</script>")


# A click on a page's name (the sidebar, a page link) just after typing in a text box was lost (round 30, ux38): leaving
# the box commits its text, and Streamlit 1.67's frontend sends that commit 10–30 ms after the box loses focus (more on
# a busy machine), tagged with the page it was typed on; a click quicker than that (a touchpad's tap, a fast click: 0 of
# 6 landed in Chromium on Tin bài's search, then «Cảnh báo») sent the page change first, and the server, folding the two
# requests into one, kept the later one's page. The page stayed, the search applied. So such a click waits (at most
# 600 ms) until the commit has gone out, then is made again: the page change is the later request and wins, and the
# typed text is kept as it would be by any other click. Only after a text box left with a change; nothing is read or
# sent but Streamlit's own messages, which it only counts. Not a box in a form or a select's filter (they send nothing
# on leaving: every click waited 600 ms), not a click with a modifier (a new tab), one held click at a time (a
# double-click made two page changes), and the link found again when a rerun drew it anew (review30).
NAV_AFTER_COMMIT = (
    "<script>(()=>{let sent=0,left=-1e9,seen=0,dirty=null,again=false,pending=false;const send=WebSocket.prototype.send;"
    "WebSocket.prototype.send=function(){sent++;return send.apply(this,arguments)};"
    "const L='[data-testid=\"stSidebarNav\"] a,[data-testid=\"stPageLink\"] a';"
    "const typed=e=>e&&(e.tagName==='TEXTAREA'||(e.tagName==='INPUT'&&/^(text|search|email|url|tel|password|number)$/"
    ".test(e.type)))&&!e.closest('[data-testid=\"stForm\"],[data-baseweb=\"select\"]');"
    "document.addEventListener('input',e=>{if(typed(e.target))dirty=e.target},true);"
    "document.addEventListener('keydown',e=>{if(e.key==='Enter'&&e.target===dirty&&e.target.tagName==='INPUT')"
    "dirty=null},true);"
    "document.addEventListener('focusout',e=>{if(e.target===dirty){dirty=null;left=performance.now();seen=sent}},true);"
    "document.addEventListener('click',e=>{const a=!again&&e.target.closest&&e.target.closest(L);"
    "if(!a||e.button||e.ctrlKey||e.metaKey||e.shiftKey||e.altKey)return;"
    "if(pending){e.preventDefault();e.stopImmediatePropagation();return}"
    "if(performance.now()-left>600||sent>seen)return;e.preventDefault();e.stopImmediatePropagation();"
    "pending=true;const t0=performance.now();const go=()=>{if(sent>seen||performance.now()-t0>600){left=-1e9;"
    "pending=false;again=true;const b=a.isConnected?a:[...document.querySelectorAll(L)].find(x=>x.href===a.href);"
    "try{b&&b.click()}finally{again=false}}else setTimeout(go,20)};setTimeout(go,20)},true)})();</script>")


class PageHtml:
    """Serve the page (Streamlit's index.html, answered for `/` and every page's address) through `page_html`.
    Only a GET of an HTML answer outside `NOT_PAGES` is read; the body is a few kilobytes. Streamlit's own
    middleware gzips it, so it is asked for plain and gzipped here after the rewrite."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.gzip = _gzipped(self._rewritten)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] != "http" or scope.get("method") != "GET" or path.startswith(NOT_PAGES):
            await self.app(scope, receive, send)
        else:
            await self.gzip(scope, receive, send)

    async def _rewritten(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope = {**scope, "headers": [(k, v) for k, v in scope.get("headers", []) if k.lower() != b"accept-encoding"]}
        start: dict = {}
        body = bytearray()

        async def rewrite(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers") or [])
                if not headers.get(b"content-type", b"").startswith(b"text/html") or b"content-encoding" in headers:
                    start["pass"] = True
                    await send(message)
                else:
                    start.update(message)
                return
            if start.get("pass"):
                await send(message)
                return
            body.extend(message.get("body", b""))
            if message.get("more_body"):
                return
            html = page_html(bytes(body), str(scope.get("root_path", "")))
            headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
            await send({**start, "headers": [*headers, (b"content-length", str(len(html)).encode())]})
            await send({"type": "http.response.body", "body": html})

        await self.app(scope, receive, rewrite)


def __getattr__(name: str) -> st.App:
    """`app`, built on first use: importing the routes (tests) must not set up a Streamlit app."""
    if name == "app":
        globals()["app"] = built = st.App(APP_PATH, routes=routes,
                                          middleware=[Middleware(GzipStatic), Middleware(PageHtml)])
        return built
    raise AttributeError(name)
