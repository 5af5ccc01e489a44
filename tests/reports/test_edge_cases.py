"""Reports when there is nothing to report, when nothing is tagged yet, for one area, with staff
corrections, with hostile feed text, and with the WeasyPrint engine."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

import docx
import openpyxl
import pytest

from vocab.item import Item
from reports import weekly_report
from reports.generate import build_weekly_report, weekly_figures
from devtools.sample_reports import seed_week
from reports.settings import week_period
from store import reports as store_reports
from store.items import insert_items
from store.tags import add_human_label, save_tags
from tests.reports.conftest import NOW, WEEK, db_scope, need, num, pdf_text, settings
from tests.conftest import database


def _item(i: int, title: str, at: datetime, outlet: str = "Báo Quảng Ninh") -> Item:
    url = f"https://baoquangninh.vn/test-{i}.html"
    h = hashlib.sha1(url.encode()).hexdigest()
    return Item(id=h, source="test", collector="rss", source_type="press", outlet=outlet, url=url, canonical_url=url,
                title=title, summary=title, published_at=at, published_estimated=False, fetched_at=at,
                content_hash=h)


def test_empty_week_says_nothing_happened(tmp_path):
    need("chromium", "pdftotext")
    db = database(tmp_path / "empty.duckdb")
    res = weekly_report(db, settings(), "2026-W02", tmp_path / "out", now=NOW)
    assert set(res.files) == {"docx", "xlsx", "pdf"} and res.errors == [] and res.n_items == 0
    d = docx.Document(str(res.files["docx"]))
    paras = [p.text for p in d.paragraphs]
    assert any(p.startswith("Trong tuần không ghi nhận tin, bài nào phản ánh về tỉnh Quảng Ninh") for p in paras)
    assert "Trong tuần không có vấn đề nào về tỉnh Quảng Ninh được các nguồn phản ánh." in paras
    assert "Trong tuần không ghi nhận tin, bài tiêu cực về tỉnh Quảng Ninh." in paras
    assert "Trong tuần không phát sinh cảnh báo vấn đề mới nổi." in paras
    assert "(Tuần 2/2026, từ ngày 05/01/2026 đến ngày 11/01/2026)" in paras
    assert len(d.tables) == 2  # the heading block and the closing: no empty Bảng, no «PHỤ LỤC … 0 tin, bài»
    assert not any(p.startswith(("PHỤ LỤC", "Bảng")) for p in paras)
    assert len(d.inline_shapes) == 0  # no chart of nothing
    wb = openpyxl.load_workbook(res.files["xlsx"])
    assert list(wb["Phụ lục"].iter_rows(min_row=5, max_row=5, values_only=True)) == [(None,)] or \
        wb["Phụ lục"].max_row <= 6
    assert "không ghi nhận tin, bài nào" in pdf_text(res.files["pdf"])


def test_week_with_nothing_tagged_yet(tmp_path):
    """Items collected, none tagged, grouped or alerted on yet: a real state, reported as no data (the
    untagged items are counted), never as a part that is not there."""
    db = database(tmp_path / "bare.duckdb")
    w = week_period(WEEK, NOW).window
    with db.write() as cur:
        insert_items(cur, [_item(i, f"Tin số {i} về Uông Bí", w.start + timedelta(hours=i)) for i in range(5)])
    f = weekly_figures(db, settings(), week_period(WEEK, NOW))
    assert not {"caps", "missing", "tagged"} & set(f)
    assert f["totals"]["all_now"] == 5 and f["totals"]["tagged_now"] == 0
    res = weekly_report(db, settings(charts=False), WEEK, tmp_path / "out", now=NOW, formats=("docx", "xlsx"))
    assert res.errors == [] and res.n_items == 0
    paras = [p.text for p in docx.Document(str(res.files["docx"])).paragraphs]
    assert any(p.startswith("Có 5 tin, bài chưa được phân loại tự động") for p in paras)
    assert "Trong tuần không có vấn đề nào về tỉnh Quảng Ninh được các nguồn phản ánh." in paras
    assert "Trong tuần không phát sinh cảnh báo vấn đề mới nổi." in paras
    assert not any("chưa chạy" in p or p.startswith("Chưa có dữ liệu") for p in paras)


def test_area_filter_matches_old_and_new_names(seeded):
    db, _ = seeded
    p = week_period(WEEK, NOW)
    f = weekly_figures(db, settings(), p, "Uông Bí")
    rows = [r for r in db_scope(db)["rows"] if r[7]]
    want = [r for r in rows if any("uong bi" in store_reports.fold(x) for x in r[6])]
    assert 0 < len(want) < len(rows)
    assert len(f["appendix"]) == len(want)
    # "phường Trưng Vương cũ, nay phường Uông Bí" counts for Uông Bí; Bãi Cháy does not
    for v in f["appendix"]["places"]:
        assert any("Uông Bí" in x for x in v)
    places = {x for v in f["appendix"]["places"] for x in v}
    assert "phường Trưng Vương cũ, nay phường Uông Bí (TP Uông Bí cũ)" in places
    # a name is matched as whole words
    assert store_reports.area_regex("Uông Bí") == r"\buong\s+bi\b"
    built, _ = build_weekly_report(db, settings(), WEEK, "Uông Bí", now=NOW, proposals="")
    assert built.doc.title[-1] == "phản ánh về Uông Bí"


def test_staff_correction_overrides_the_model(tmp_path):
    db = database(tmp_path / "c.duckdb")
    seed_week(db, WEEK, n_items=120, n_stories=2, n_alerts=1, seed=3)
    p = week_period(WEEK, NOW)
    before = weekly_figures(db, settings(), p)
    neg = before["negative"].iloc[0]
    with db.write() as cur:
        add_human_label(cur, neg["id"], "sentiment", "positive", "tranthib")
    after = weekly_figures(db, settings(), p)
    s0 = dict(zip(before["sentiment"].sentiment, before["sentiment"].n_now))
    s1 = dict(zip(after["sentiment"].sentiment, after["sentiment"].n_now))
    assert s1["negative"] == s0["negative"] - 1 and s1["positive"] == s0["positive"] + 1
    with db.write() as cur:
        add_human_label(cur, neg["id"], "in_area", False, "tranthib")
    assert weekly_figures(db, settings(), p)["totals"]["scope_now"] == before["totals"]["scope_now"] - 1


def test_hostile_feed_text_stays_text(tmp_path):
    """A title that looks like a formula, with control characters, stays text in XLSX and DOCX."""
    db = database(tmp_path / "h.duckdb")
    w = week_period(WEEK, NOW).window
    bad = '=HYPERLINK("http://evil.example","bấm vào")\x0b <script>alert(1)</script>'
    it = _item(1, bad, w.start + timedelta(hours=3))
    with db.write() as cur:
        insert_items(cur, [it])
        save_tags(cur, [{"id": it.id, "topics": ["misinformation_fraud"], "sentiment": "negative", "in_area": True,
                         "places": ["tỉnh Quảng Ninh"], "place_details": []}])
    res = weekly_report(db, settings(charts=False), WEEK, tmp_path / "out", now=NOW, formats=("docx", "xlsx"))
    wb = openpyxl.load_workbook(res.files["xlsx"])
    cell = wb["Phụ lục"].cell(row=5, column=5)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK(")
    d = docx.Document(str(res.files["docx"]))
    cells = [c.text for t in d.tables for r in t.rows for c in r.cells]
    assert any(c.startswith('=HYPERLINK("http://evil.example"') and "<script>" in c for c in cells)
    from reports.generate import build_weekly_report
    from reports.html_out import render_html

    html = render_html(build_weekly_report(db, settings(charts=False), WEEK, now=NOW, proposals="")[0].doc)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Content-Security-Policy" in html


def test_weasyprint_engine(tmp_path):
    need("pdftotext")
    pytest.importorskip("weasyprint")
    db = database(tmp_path / "w.duckdb")
    w = week_period(WEEK, NOW).window
    it = _item(1, "Người dân phường Vàng Danh phản ánh bụi than", w.start + timedelta(hours=5))
    with db.write() as cur:
        insert_items(cur, [it])
        save_tags(cur, [{"id": it.id, "topics": ["environment"], "sentiment": "negative", "in_area": True,
                         "places": ["phường Vàng Danh (TP Uông Bí cũ)"], "place_details": []}])
    res = weekly_report(db, settings(charts=False, pdf_engine="weasyprint"), WEEK, tmp_path / "out", now=NOW,
                        formats=("pdf",))
    assert res.errors == [] and set(res.files) == {"pdf"}
    text = " ".join(pdf_text(res.files["pdf"]).split())
    assert "nắm bắt dư luận xã hội" in text and "Thường trực Tỉnh ủy" in text and "phản ánh bụi than" in text


def test_cut_week_compares_the_same_span():
    p = week_period(WEEK, datetime(2026, 11, 20, 9, 0))  # Friday 16:00 in Vietnam
    assert p.cut and p.local_end == datetime(2026, 11, 20, 16, 0)
    w = p.window
    assert w.end - w.start == w.prev_end - w.prev_start == timedelta(days=4, hours=16)
    assert w.start - w.prev_start == timedelta(days=7)


def test_numbers_helpers():
    from reports.settings import change, change_short, num as fmt, place_date

    assert fmt(12345) == "12.345" and change(120, 100) == "tăng 20,0%" and change(0, 0) == "không đổi"
    assert change(5, 0) == "mới xuất hiện" and change_short(90, 100) == "−10,0%"
    assert change_short(41, 41) == change_short(0, 0) == "0%"  # a bare "0" in the column read as a count
    assert place_date("Quảng Ninh", datetime(2026, 1, 5).date()) == "Quảng Ninh, ngày 05 tháng 01 năm 2026"
    assert place_date("Quảng Ninh", datetime(2026, 11, 30).date()) == "Quảng Ninh, ngày 30 tháng 11 năm 2026"
    assert num("1.234") == 1234


def test_long_appendix_is_capped_in_the_document_not_in_the_workbook(seeded):
    db, _ = seeded
    built, _ = build_weekly_report(db, settings(appendix_max_rows=40), WEEK, now=NOW, proposals="")
    n = len([r for r in db_scope(db)["rows"] if r[7]])
    table = [b for b in built.doc.appendix if hasattr(b, "rows")][0]
    assert len(table.rows) == 40 and [r[0] for r in table.rows] == [str(i) for i in range(1, 41)]
    assert all(r[5] == "Tiêu cực" for r in table.rows)  # negative items first
    notes = [b.plain for b in built.doc.appendix if hasattr(b, "plain")]
    assert any(f"Phụ lục liệt kê 40 trong số {n} tin, bài" in t for t in notes)
    sheet = [s for s in built.sheets if s.name == "Phụ lục"][0]
    assert len(sheet.rows) == n


def test_story_items_tags_stand_in_for_missing_item_tags(tmp_path):
    """`langnghe replay --tagger fixture` tags items only in story_items: the report still counts them."""
    db = database(tmp_path / "r.duckdb")
    info = seed_week(db, WEEK, n_items=100, n_stories=3, n_alerts=1, seed=4)
    with db.write() as cur:
        cur.execute("DELETE FROM item_tags")
    f = weekly_figures(db, settings(), week_period(WEEK, NOW))
    assert f["totals"]["tagged_now"] == f["totals"]["scope_now"] == info["n_story_items"]
    assert len(f["stories"]) == 3 and f["stories"]["alert_id"].notna().sum() == 1


def test_a_city_named_like_its_province_gets_its_own_items_only(tmp_path):
    """TP Bắc Giang, TP Lào Cai, TP Hải Dương share their province's name: the report of "Bắc Giang" counted
    every item placed in "tỉnh Bắc Giang cũ, nay tỉnh Bắc Ninh" (the whole old province) as the city's."""
    db = database(tmp_path / "city.duckdb")
    w = week_period(WEEK, NOW).window
    places = [["TP Bắc Giang cũ, nay 8 phường, xã"], ["phường Bắc Giang (TP Bắc Giang cũ)"],
              ["tỉnh Bắc Giang cũ, nay tỉnh Bắc Ninh"], ["tỉnh Bắc Giang cũ, nay tỉnh Bắc Ninh", "huyện Lục Ngạn cũ"]]
    items = [_item(i, f"Tin số {i}", w.start + timedelta(hours=i)) for i in range(len(places))]
    with db.write() as cur:
        insert_items(cur, items)
        save_tags(cur, [{"id": it.id, "topics": ["economy"], "sentiment": "neutral", "in_area": True, "places": p,
                         "place_details": [], "model_version": "t"} for it, p in zip(items, places)], now=NOW)
    f = weekly_figures(db, settings(), week_period(WEEK, NOW), "Bắc Giang")
    assert sorted(map(list, f["appendix"]["places"])) == sorted(places[:2])


def test_the_preview_fits_a_phone_and_the_paper_keeps_its_margins():
    """Báo cáo's preview on a 390 px phone kept the A4 margins (45 mm across) and left ~130 px of text; a
    narrow screen gets small margins, print (the PDF) keeps Decree 30's."""
    import re

    from reports.html_out import _css

    css = _css(14, None)
    narrow = re.search(r"@media screen and \(max-width: 600px\) \{(.*?)\} \}", css, re.S)
    assert narrow and ".sheet { padding: 4mm 3mm; }" in narrow.group(1)
    assert "table.hdr { table-layout: fixed;" in narrow.group(1)  # the motto's rule (7,4 cm) held a 358 px frame wider
    assert "@page { size: A4; margin: 20mm 15mm 20mm 30mm;" in css
    # after the rules it overrides (same weight: the later wins): placed before them, its 11pt letterhead lost to
    # `.hp.b`'s 15pt and ran past a 390 px phone in Chromium (round 30, ux38)
    for rule in (".hp { font-size", ".hp.b { font-size", "table.hdr td.l .hp.b { font-size", "p { margin",
                 "h1, h2, h3 { font-size"):
        assert css.index(rule) < narrow.start(), rule


HOSTILE_STARTS = ["=1+1", "+HYPERLINK(\"http://evil.example\")", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)",
                  "\t=cmd|' /C notepad'!A0", "\r=1+1"]


def test_every_text_cell_that_starts_a_formula_is_quoted_in_the_xlsx_and_control_characters_leave_the_docx(tmp_path):
    """Inline strings are text when the workbook opens, but a cell staff edit (F2, Enter) was read again as a formula:
    now every text cell starting with = + - @ tab or a line break carries Excel's quote prefix (a leading ' typed in
    Excel, not shown); the DOCX takes the same titles with every XML-invalid character (python-docx raises on them)."""
    db = database(tmp_path / "h.duckdb")
    w = week_period(WEEK, NOW).window
    junk = "\x01\x08\x0b\x0c\x1f\x7f\u202e\u200b\ufffe\uffff"
    items = [_item(i, t + junk + " phường Vàng Danh", w.start + timedelta(hours=3 + i), outlet=t)
             for i, t in enumerate(HOSTILE_STARTS)]
    with db.write() as cur:
        insert_items(cur, items)
        save_tags(cur, [{"id": it.id, "topics": ["misinformation_fraud"], "sentiment": "negative", "in_area": True,
                         "places": ["tỉnh Quảng Ninh"], "place_details": []} for it in items])
    res = weekly_report(db, settings(charts=False), WEEK, tmp_path / "out", now=NOW, formats=("docx", "xlsx"))
    assert res.errors == []
    wb = openpyxl.load_workbook(res.files["xlsx"])
    cells = [c for ws in wb for row in ws.iter_rows() for c in row]
    assert all(c.value.startswith('=HYPERLINK("https://baoquangninh.vn/') for c in cells if c.data_type == "f")  # ours
    texts = [c for c in cells if c.data_type == "s"]
    risky = [c for c in texts if c.value[:1] in ("=", "+", "-", "@", "\t", "\r", "\n")]
    assert len(risky) >= len(HOSTILE_STARTS)
    assert all(c.quotePrefix for c in risky), [c.value[:20] for c in risky if not c.quotePrefix]
    assert not any(c.quotePrefix for c in texts if c not in risky)
    d = docx.Document(str(res.files["docx"]))
    cells = " ".join(c.text for t in d.tables for r in t.rows for c in r.cells)
    assert "@SUM(1+1)" in cells and not any(ch in cells for ch in "\x01\x08\x0b\x0c\x1f\ufffe\uffff")


def test_progress_is_told_each_step_as_it_starts_and_ends(tmp_path):
    """Round 21: the dashboard showed a bare spinner for a report's ~17 s. The reports layer tells a `progress`
    callback each step's start (None) and end (its time, as `Result.timings` holds it), in order, so the page can
    show what runs; the same words as the CLI's timings line (`reports.steps`)."""
    from reports.steps import STEP_WORDS

    db = database(tmp_path / "p.duckdb")
    seen: list[tuple[str, float | None]] = []
    res = weekly_report(db, settings(charts=False), WEEK, tmp_path / "out", now=NOW, formats=("docx", "xlsx"),
                        progress=lambda step, secs: seen.append((step, secs)))
    assert [(s, t is None) for s, t in seen] == [("query_build", True), ("query_build", False), ("xlsx", True),
                                                ("xlsx", False), ("docx", True), ("docx", False)]
    assert {s: t for s, t in seen if t is not None} == {k: v for k, v in res.timings.items() if k != "total"}
    assert set(res.timings) - {"total"} <= set(STEP_WORDS)


def test_both_reports_section_vi_is_the_staffs_lines_or_where_to_enter_them():
    """Section VI of the rapid and the weekly report, one helper since round 28 (reports.frame.proposals_section; the
    two reports wrote it each): a paragraph a non-empty line, or an italic line saying where to enter the text."""
    from types import SimpleNamespace

    from reports import rapid, weekly
    from reports.document import Heading
    from reports.settings import ReportSettings

    s = ReportSettings()
    week = SimpleNamespace(s=s, sub="Tuần 47")
    for blocks, heading in ((rapid._proposals(" Đề nghị A \n\n Đề nghị B", s), "ĐỀ XUẤT HƯỚNG XỬ LÝ"),
                            (weekly._section_proposals(week, " Đề nghị A \n\n Đề nghị B").blocks, "ĐỀ XUẤT, KIẾN NGHỊ")):
        assert isinstance(blocks[0], Heading) and blocks[0].text.endswith(heading)
        assert [[r.text for r in p.runs] for p in blocks[1:]] == [["Đề nghị A"], ["Đề nghị B"]]
    empty_rapid = rapid._proposals("", s)
    empty_week = weekly._section_proposals(week, "  \n")
    assert empty_rapid[1].runs[0].italic and "nhập tại cảnh báo trên Lắng Nghe" in empty_rapid[1].runs[0].text
    assert empty_week.blocks[1].runs[0].italic and "nhập tại trang Báo cáo" in empty_week.blocks[1].runs[0].text
    assert empty_week.sheets[0].note == "Chưa có nội dung đề xuất, kiến nghị." and len(empty_week.blocks) == 2
