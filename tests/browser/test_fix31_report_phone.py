"""fix31: Báo cáo's preview on a phone broke words in the data tables' narrow columns («Tuầ / n này», «+12 / 1,4%»,
«phườn / g»): their columns are fixed in shares of the width and `overflow-wrap: anywhere` cut words to fit
(round 30's walk). On a screen up to 600 px the words stay whole and a table wider than the screen scrolls sideways
by itself, not the page; on a wide screen and in print (the PDF) the tables are as before. Real headless Chromium at
390×844 (and 358 px, the preview's frame on that phone), the weekly report of a seeded week. docs/REPORTS.md."""

from __future__ import annotations

import pytest

from devtools.sample_reports import seed_week
from reports.generate import build_weekly_report
from reports.html_out import render_html
from store.db import Database
from tests.reports.conftest import NOW, WEEK, settings

pytestmark = [pytest.mark.browser]

# not `is_mobile`: Báo cáo shows the preview in an iframe (st.iframe), whose width is its viewport; a page of its own
# with no viewport meta would be laid out 980 px wide on a mobile browser
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True}
# each word of the data tables' cells drawn on more than one line (a URL breaks at its zero-width spaces, on
# purpose: split there); the page's width against the window's; the tables that scroll sideways
MEASURE = """() => { const broken = [];
  for (const cell of document.querySelectorAll('table.data th, table.data td')) {
    const w = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT); let n;
    while ((n = w.nextNode())) { const re = /[^\\s\\u200b]+/g; let m;
      while ((m = re.exec(n.data))) { const r = document.createRange(); r.setStart(n, m.index);
        r.setEnd(n, m.index + m[0].length);
        if (new Set([...r.getClientRects()].map(x => Math.round(x.top))).size > 1) broken.push(m[0]); } } }
  const tables = [...document.querySelectorAll('table.data')];
  return {broken, page: document.documentElement.scrollWidth, window: window.innerWidth,
          tables: tables.length, display: getComputedStyle(tables[0]).display,
          layout: getComputedStyle(tables[0]).tableLayout}; }"""


@pytest.fixture(scope="module")
def preview(tmp_path_factory) -> str:  # type: ignore[no-untyped-def]
    db = Database(tmp_path_factory.mktemp("fix31") / "week.duckdb")
    seed_week(db, WEEK, n_items=300)
    built, _ = build_weekly_report(db, settings(), WEEK, now=NOW)
    db.close()
    return render_html(built.doc, size=14, max_rows=10)  # as Báo cáo's preview (PREVIEW_ROWS)


@pytest.mark.parametrize("width", [390, 358])
def test_on_a_phone_the_report_tables_keep_their_words_whole(chromium, preview, width):
    page = chromium.new_context(**{**PHONE, "viewport": {"width": width, "height": 844}}).new_page()
    page.set_content(preview)
    got = page.evaluate(MEASURE)
    assert got["tables"] >= 5
    assert got["broken"] == [], got["broken"][:20]  # was «Tuần», «trước», «Tăng/giảm», «+45,8%», «phường»…
    assert got["page"] <= got["window"], got  # a wide table scrolls by itself, not the page


def test_on_a_desk_and_in_print_the_tables_are_as_before(chromium, preview):
    page = chromium.new_context(viewport={"width": 1366, "height": 768}).new_page()
    page.set_content(preview)
    assert page.evaluate(MEASURE)["display"] == "table"
    page.set_viewport_size({"width": 390, "height": 844})
    page.emulate_media(media="print")  # the PDF: Chromium prints the same page with print media
    got = page.evaluate(MEASURE)
    assert (got["display"], got["layout"]) == ("table", "fixed")
