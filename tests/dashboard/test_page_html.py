"""The page Streamlit serves for `/` and every page's address, as `serve` sends it (dashboard.server.PageHtml):
Vietnamese (`lang="vi"`, the app's title) and the app's root named for the frontend, which otherwise took a page's
path (`/topics`) for the root first and logged two 404s (`/topics/_stcore/health`, `…/host-config`)."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import HTMLResponse, PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from dashboard.server import PageHtml, page_html

INDEX = ('<!DOCTYPE html>\n<html lang="en">\n  <head>\n    <meta charset="UTF-8" />\n    <title>Streamlit</title>\n'
         '  </head>\n  <body>' + "<div></div>" * 300 + "</body>\n</html>\n")  # over 1 KB, so Streamlit would gzip it


def _app() -> TestClient:
    """Streamlit's shape: index.html for any page path (gzipped by its own middleware), other answers beside it."""
    async def index(request):  # type: ignore[no-untyped-def]
        return HTMLResponse(INDEX)

    async def health(request):  # type: ignore[no-untyped-def]
        return PlainTextResponse("ok")

    inner = Starlette(routes=[Route("/_stcore/health", health), Route("/static/x.html", index),
                              Route("/{page:path}", index)],
                      middleware=[Middleware(GZipMiddleware, minimum_size=500)])
    return TestClient(PageHtml(inner))


def test_the_page_says_vietnamese_and_names_the_root_before_the_frontend_guesses():
    html = page_html(INDEX.encode(), "").decode()
    assert '<html lang="vi">' in html and "<title>Lắng Nghe</title>" in html
    head = html.index("<head>") + len("<head>")
    assert html[head:].startswith('<script>window.__streamlit={BACKEND_BASE_URL:location.origin+"/"};')
    assert 'location.origin+"/langnghe/"' in page_html(INDEX.encode(), "/langnghe").decode()  # behind a proxy's path
    assert "</script><script>" not in page_html(INDEX.encode(), "/</script><script>").decode()


def test_every_page_address_is_served_rewritten_and_gzipped_and_nothing_else_is_touched():
    client = _app()
    for path in ("/", "/topics", "/alerts?alert=A000001"):
        r = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert r.status_code == 200 and r.headers["content-encoding"] == "gzip"
        assert '<html lang="vi">' in r.text and "window.__streamlit" in r.text
    plain = client.get("/topics", headers={"Accept-Encoding": "identity"})
    assert "window.__streamlit" in plain.text and int(plain.headers["content-length"]) == len(plain.content)
    assert client.get("/_stcore/health").text == "ok"
    assert '<html lang="en">' in client.get("/static/x.html").text  # Streamlit's files pass as they are


def test_the_help_buttons_are_named_in_vietnamese():
    """The ⓘ buttons read «Help for Kỳ» to a screen reader (Streamlit's frontend writes it; no setting): the page
    renames them «Hướng dẫn: Kỳ» as they appear. Checked in Chromium by tests/browser (the rename itself is JS)."""
    html = page_html(INDEX.encode(), "").decode()
    script = html[html.index("<script>(()=>"):html.index("</head>")]
    assert "stTooltipIcon" in script and "Hướng dẫn: " in script and "MutationObserver" in script
    assert "innerHTML" not in script  # a label is page text from our code, yet written only as an attribute


def test_the_calendar_is_told_to_speak_vietnamese():
    """The date picker's months and weekdays follow the browser's language («November», «S M T W»… in an English
    Chrome): the page sets React Aria's locale before the bundle loads. Checked in Chromium by
    tests/browser/test_briefing_print.py (an English browser shows «Tháng 11» and «T2 … CN»)."""
    html = page_html(INDEX.encode(), "").decode()
    head = html.index("<head>") + len("<head>")
    first = html[head:html.index("</script>", head)]  # the first script of the page, before Streamlit's bundle
    assert "Object.defineProperty(navigator,'language',{get:()=>'vi-VN'})" in first


def test_the_tables_toolbar_and_column_menu_are_renamed_in_vietnamese():
    """The grid toolbar's «Show/hide columns», «Download as CSV», «Search», «Fullscreen» and a column menu's «Sort
    ascending»… are Streamlit's English with no setting (round 25): the page renames them as they appear, as
    attributes and text nodes only. In Chromium: tests/browser/test_grid_csv.py finds the buttons by these names."""
    from dashboard.server import TOOLBAR_WORDS

    html = page_html(INDEX.encode(), "").decode()
    script = html[html.index("<script>(()=>{const L="):html.index("</head>")]
    assert "MutationObserver" in script and "innerHTML" not in script
    for english in ("Show/hide columns", "Download as CSV", "Search", "Fullscreen", "Sort ascending", "Hide column"):
        assert f'"{english}": "{TOOLBAR_WORDS[english]}"' in script


def test_the_skip_link_is_renamed_in_vietnamese():
    """Streamlit 1.67 draws «Skip to main content» at the top left when a keyboard's Tab first reaches the page, the
    first thing a screen reader reads, English with no setting (round 27): the page renames its text node. The bundle
    installed still writes it so (a newer Streamlit that words it otherwise fails here, not silently on the page).
    In Chromium: tests/browser/test_local_only.py finds no «Skip to main content» in the page's text."""
    from pathlib import Path

    import streamlit

    from dashboard.server import TOOLBAR_WORDS

    html = page_html(INDEX.encode(), "").decode()
    script = html[html.index("<script>(()=>{const L="):html.index("</head>")]
    assert '"Skip to main content": "Chuyển đến nội dung chính"' in script
    assert '[data-testid=\\"stSkipToContent\\"]' in script
    assert TOOLBAR_WORDS["Skip to main content"] == "Chuyển đến nội dung chính"
    bundle = "".join(p.read_text(encoding="utf-8", errors="ignore")
                     for p in (Path(streamlit.__file__).parent / "static" / "static" / "js").glob("index.*.js"))
    assert "`stSkipToContent`" in bundle and "children:`Skip to main content`" in bundle


def test_the_hint_under_a_box_being_typed_in_is_vietnamese():
    """«Press Enter to apply» under Tin bài's search while staff type (round 28, ux32's walk), «Press Enter to submit
    form» in a form, «Press Ctrl+Enter to apply» under a text area: Streamlit's InputInstructions, English with no
    setting. The page renames its text nodes; the bundle installed still writes them so (a newer Streamlit that words
    them otherwise fails here)."""
    from pathlib import Path

    import streamlit

    from dashboard.server import TOOLBAR_WORDS

    html = page_html(INDEX.encode(), "").decode()
    script = html[html.index("<script>(()=>{const L="):html.index("</head>")]
    assert '[data-testid=\\"InputInstructions\\"]' in script
    for english, vietnamese in (("Press Enter to apply", "Nhấn Enter để áp dụng"),
                                ("Press Enter to submit form", "Nhấn Enter để gửi"),
                                ("Press Ctrl+Enter to apply", "Nhấn Ctrl+Enter để áp dụng"),
                                ("Press ⌘+Enter to submit form", "Nhấn ⌘+Enter để gửi")):
        assert TOOLBAR_WORDS[english] == vietnamese and f'"{english}": "{vietnamese}"' in script
    bundle = "".join(p.read_text(encoding="utf-8", errors="ignore")
                     for p in (Path(streamlit.__file__).parent / "static" / "static" / "js").glob("InputInstructions.*.js"))
    assert "`InputInstructions`" in bundle and "`submit form`:`apply`" in bundle
    assert "f(`Press ${r()?`⌘`:`Ctrl`}+Enter to ${e}`)" in bundle and "f(`Press Enter to ${e}`)" in bundle
