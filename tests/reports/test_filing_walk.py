"""What a staff walk of the filed reports found (round 14, walk 6): each test fails without its fix.

Layout is read from the DOCX with python-docx (no rendering). Widths are checked with the Times New Roman
advance widths (Adobe Times-Roman metrics, which Liberation Serif shares): a token wider than its column is
broken mid-word by Word and LibreOffice ("A000 134", "02/01/2 027")."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import docx
import pytest
import pandas as pd
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from reports.docx_out import write_docx
from reports.rapid import build_rapid
from tests.reports.conftest import NOW, settings
from tests.conftest import database

LONG_TITLE = ("Người dân khu 5 phường Trưng Vương (nay là phường Uông Bí) tiếp tục phản ánh việc chậm chi trả tiền "
              "bồi thường, hỗ trợ và tái định cư khi giải phóng mặt bằng dự án đường nối quốc lộ 18 với cao tốc Hạ "
              "Long – Hải Phòng, đề nghị UBND tỉnh Quảng Ninh và các sở, ngành liên quan sớm tổ chức đối thoại, công "
              "khai phương án và giải quyết dứt điểm kiến nghị kéo dài nhiều năm")

ITEM_COLS = ["id", "published_at", "outlet", "source_type", "title", "url", "summary", "sentiment", "n_sources",
             "place_units", "topics"]


def _rapid_doc(title: str, items: pd.DataFrame | None = None):  # type: ignore[no-untyped-def]
    f = {"alert": None, "story": {"title": title}, "items": items if items is not None else pd.DataFrame(columns=ITEM_COLS),
         "events": pd.DataFrame(columns=["alert_id", "at", "username", "action", "from_state", "to_state", "note",
                                         "display_name"]), "names": {}}
    return build_rapid(f, settings(charts=False), "", NOW).doc


def test_a_rapid_report_on_a_story_with_a_very_long_title_is_written(tmp_path):
    """The DOCX's core title is the report's title; python-docx refuses more than 255 characters."""
    assert len(LONG_TITLE) > 300
    path = write_docx(_rapid_doc(LONG_TITLE), tmp_path / "r.docx")
    d = docx.Document(str(path))
    assert len(d.core_properties.title) <= 255 and d.core_properties.title.startswith("Báo cáo nhanh – Người dân")
    assert d.core_properties.title.endswith("…")
    assert any(LONG_TITLE in p.text for p in d.paragraphs)  # the document itself keeps the whole title


def _closing_table(d):  # type: ignore[no-untyped-def]
    return next(t for t in d.tables if t.rows[0].cells[0].paragraphs[0].text.startswith("Nơi nhận"))


def test_the_closing_block_is_never_split_across_pages(tmp_path):
    """Nơi nhận and the signing block are one borderless row: LibreOffice split it (a 520-item rapid report ended
    with "- Các phòng thuộc Ban; - Lưu VT." alone on its last page). The row cannot split, and the closing sentence
    keeps with it."""
    d = docx.Document(str(write_docx(_rapid_doc("Bụi than ở phường Vàng Danh"), tmp_path / "r.docx")))
    row = _closing_table(d)._tbl.tr_lst[0]
    assert row.trPr is not None and row.trPr.find(qn("w:cantSplit")) is not None
    before = _closing_table(d)._tbl.getprevious()
    assert before.tag == qn("w:p")
    assert Paragraph(before, None).paragraph_format.keep_with_next
    assert Paragraph(before, None).text.startswith("Trên đây là báo cáo nhanh")


def test_the_pdf_keeps_the_closing_sentence_recipients_and_signature_on_one_page():
    """The PDF's HTML: the closing sentence and the Nơi nhận / signature table sit in one block that cannot break
    (Chromium put "Nơi nhận:" on one page and "- Lưu VT." on the next in three of nine walk reports)."""
    import re

    from reports.html_out import render_html

    html = render_html(_rapid_doc("Bụi than ở phường Vàng Danh"), size=14)
    start = html.find("<div class='keep'>")
    block = html[start:html.index("</table></div>", start)] if start >= 0 else ""
    assert "Trên đây là báo cáo nhanh" in block and "Nơi nhận:" in block and "Lưu VT" in block
    assert re.search(r"div\.keep \{ break-inside: avoid", html)


# Adobe Times-Roman advance widths (1/1000 em), regular and bold alike for these characters; Liberation Serif,
# which LibreOffice and the PDF use for Times New Roman, has the same metrics.
_TIMES = {**{d: 500 for d in "0123456789"}, "/": 278, ":": 278, "A": 722, "T": 611, "r": 333, "u": 500, "n": 500,
          "g": 500, "V": 722, "i": 278, "e": 444, "t": 278, "N": 722, "a": 444, "m": 778}
_CELL_MARGINS_TW = 2 * 70  # docx_out: w:tblCellMar left and right


def _token_pt(token: str, size_pt: float) -> float:
    return sum(_TIMES[c] for c in token) * size_pt / 1000


def _table_after(d, caption_start: str):  # type: ignore[no-untyped-def]
    """The table that follows the caption paragraph starting with `caption_start`."""
    body = list(d.element.body.iterchildren())
    for i, el in enumerate(body):
        if el.tag == qn("w:p") and Paragraph(el, None).text.startswith(caption_start):
            return next(e for e in body[i + 1:] if e.tag == qn("w:tbl"))
    raise AssertionError(caption_start)


def _column_text_pt(tbl, title: str) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """(text width in points of the column headed `title`, the table's font size in points)."""
    header = tbl.findall(qn("w:tr"))[0]
    titles = ["".join(t.text or "" for t in tc.iter(qn("w:t"))) for tc in header.findall(qn("w:tc"))]
    grid = [int(g.get(qn("w:w"))) for g in tbl.find(qn("w:tblGrid")).findall(qn("w:gridCol"))]
    size = int(header.find(".//" + qn("w:sz")).get(qn("w:val"))) / 2
    return (grid[titles.index(title)] - _CELL_MARGINS_TW) / 20, size


def _weekly_docx(seeded, tmp_path):  # type: ignore[no-untyped-def]
    from reports.generate import build_weekly_report
    from tests.reports.conftest import WEEK

    db, _ = seeded
    built, _ = build_weekly_report(db, settings(charts=False), WEEK, now=NOW, proposals="")
    return docx.Document(str(write_docx(built.doc, tmp_path / "w.docx")))


def test_bang3_first_seen_column_holds_a_date_with_its_year(seeded, tmp_path):
    """Bảng 3 writes "dd/mm/yyyy" when a story was first seen in another year than the week's first day (every
    week that spans 31/12, and stories older than the year); the column was 41 pt wide for a 55 pt date, and
    Word and LibreOffice printed "02/01/2 027"."""
    width, size = _column_text_pt(_table_after(_weekly_docx(seeded, tmp_path), "Bảng 3."), "Xuất hiện lần đầu")
    assert width >= _token_pt("00/00/0000", size), (width, _token_pt("00/00/0000", size))


def test_bang8_alert_id_column_holds_an_alert_id(seeded, tmp_path):
    """Bảng 8's "Mã" column was 32 pt wide for a 45 pt alert id: every filed weekly report read "A000 134"; and
    "Mức độ" held "Trung" with nothing to spare (LibreOffice printed "Trun g bình")."""
    table = _table_after(_weekly_docx(seeded, tmp_path), "Bảng 8.")
    width, size = _column_text_pt(table, "Mã")
    assert width >= _token_pt("A000000", size), (width, _token_pt("A000000", size))
    width, size = _column_text_pt(table, "Mức độ")
    assert width >= _token_pt("Trung", size) + 2, (width, _token_pt("Trung", size))


def _mention_items() -> pd.DataFrame:
    from datetime import datetime

    rows = [dict(id=f"i{k}", published_at=datetime(2026, 12, 8, 1 + k), outlet="Uông Bí Online", source_type="social",
                 title=f"@nguoidung{k} ơi, xe chở than gây bụi mù mịt đường Vàng Danh",
                 url=f"https://facebook.com/p/{k}", summary=f"@nguoidung{k} ơi, xe chở than gây bụi mù mịt, hỏi "
                 "@hoanganh.bsky.social xem", sentiment="negative", n_sources=1, place_units=["Phường Vàng Danh"],
                 topics=["environment"]) for k in range(3)]
    return pd.DataFrame(rows, columns=ITEM_COLS)


def _all_text(doc) -> str:  # type: ignore[no-untyped-def]
    from reports.document import Para, Table, cell_runs

    out = [doc.subtitle, *doc.title]
    for b in [*doc.blocks, *doc.appendix]:
        if isinstance(b, Para):
            out += [r.text for r in b.runs]
        elif isinstance(b, Table):
            out += [r.text for row in b.rows for c in row for r in cell_runs(c)]
    return "\n".join(out)


def test_reports_mask_mentions_of_people_as_the_dashboard_does():
    """[privacy] mask_mentions: "Mask @mentions of people inside post text in the UI and exports too". A social
    post's title is its first words and the rapid report quotes its text: both printed "@nguoidung4" in full."""
    f = {"alert": None, "story": {"title": "@nguoidung0 ơi, xe chở than gây bụi mù mịt đường Vàng Danh"},
         "items": _mention_items(), "events": pd.DataFrame(columns=["alert_id", "at", "username", "action", "from_state",
                                                                     "to_state", "note", "display_name"]), "names": {}}
    text = _all_text(build_rapid(f, settings(charts=False), "", NOW).doc)
    assert "@n***0 ơi, xe chở than" in text and "hỏi @h***l xem" in text
    assert "@nguoidung" not in text and "hoanganh" not in text
    assert not f["items"]["title"].str.contains(r"\*\*\*").any()  # the caller's figures are left as they were
    text = _all_text(build_rapid(f, settings(charts=False, mask_mentions=False), "", NOW).doc)
    assert "@nguoidung0 ơi" in text  # masking off ([retention] mask_author_handles = false): as written


def test_the_weekly_report_and_its_workbook_mask_mentions(tmp_path):
    from devtools.sample_reports import seed_week
    from reports.generate import build_weekly_report
    from tests.reports.conftest import WEEK

    db = database(tmp_path / "m.duckdb")
    seed_week(db, WEEK, n_items=80, n_stories=3, n_alerts=2)
    with db.write() as cur:  # every title and summary names somebody, as social posts do
        cur.execute("UPDATE items SET title = '@nguoidung ' || title, summary = 'hỏi @hoanganh: ' || summary")
        cur.execute("UPDATE stories SET title = '@nguoidung ' || title")
        cur.execute("UPDATE alerts SET title = '@nguoidung ' || title")
    built, _ = build_weekly_report(db, settings(charts=False), WEEK, now=NOW, proposals="")
    db.close()
    text = _all_text(built.doc)
    assert "@n***g" in text and "@nguoidung" not in text
    cells = [str(c) for sh in built.sheets for row in sh.rows for c in row]
    assert any("@n***g" in c for c in cells) and not [c for c in cells if "@nguoidung" in c or "@hoanganh" in c]


def test_the_workbook_answer_rate_is_a_percentage(tmp_path):
    """Phản ánh's "Tỷ lệ" column held 0.333 in the General format: "0,333" in a Vietnamese Excel, beside "33%" in the
    DOCX. It is a number formatted as a percentage (still a number, so staff can sum and sort it)."""
    import openpyxl

    from reports.cases_section import complaints
    from reports.xlsx_out import write_xlsx

    rows = [dict(key="zalo_oa", received=3, handled=1, on_time=1, overdue=0, median_hours=50.0)]
    _, sheets = complaints(rows, "Tuần 53/2026")
    ws = openpyxl.load_workbook(write_xlsx(sheets, tmp_path / "p.xlsx"))["Phản ánh"]
    assert ws["D4"].value == "Tỷ lệ"
    assert ws["D5"].number_format == "0%" and abs(ws["D5"].value - 1 / 3) < 0.001


def test_the_cli_counts_a_rapid_reports_items_without_an_appendix(tmp_path, capsys):
    """A rapid report has no appendix; the CLI said "520 tin, bài trong phụ lục" of it."""
    from devtools.sample_reports import seed_week
    from langnghe.cli import main
    from tests.reports.conftest import WEEK

    db = database(tmp_path / "c.duckdb")
    info = seed_week(db, WEEK, n_items=40, n_stories=1, n_alerts=1)
    db.close()
    rc = main(["report", "rapid", "--alert", info["alerts"][0], "--db", str(tmp_path / "c.duckdb"),
               "--out", str(tmp_path / "out"), "--no-charts", "--format", "docx"])
    err = capsys.readouterr().err
    assert rc == 0 and f"{len(info['stories'][0]['item_ids'])} tin, bài trong báo cáo;" in err and "phụ lục" not in err
    # round 21: the timings in Vietnamese words and a decimal comma («query_build 1.53s, …, total 7.31s» before)
    assert "giây (đọc dữ liệu " in err and "query_build" not in err and "total" not in err, err
    rc = main(["report", "rapid", "--alert", "A999999", "--db", str(tmp_path / "c.duckdb"), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert rc == 2 and "không có cảnh báo A999999" in err and "trang Cảnh báo" in err, err


def test_report_phases_read_in_vietnamese():
    from langnghe.commands.report import phases_text

    assert phases_text({"query_build": 1.53, "charts": 5.36, "docx": 0.43, "total": 7.31}) == (
        "mất 7,3 giây (đọc dữ liệu 1,5; vẽ biểu đồ 5,4; DOCX 0,4)")
    assert phases_text({"query_build": 0.8, "xlsx": 0.04, "total": 0.9}) == "mất 0,9 giây (đọc dữ liệu 0,8; XLSX dưới 0,1)"


def test_a_file_that_cannot_be_written_is_reported_and_the_others_are_still_written(tmp_path, capsys, monkeypatch):
    """docs/REPORTS.md: exit 1 when one file failed, the others still written, the reason printed. A DOCX that could
    not be written (the 255-character title, a full disk) ended the command in a Python traceback instead."""
    from devtools.sample_reports import seed_week
    from langnghe.cli import main
    from reports import generate
    from tests.reports.conftest import WEEK

    db = database(tmp_path / "c.duckdb")
    seed_week(db, WEEK, n_items=40, n_stories=1, n_alerts=1)
    db.close()

    def full_disk(*a, **k):  # type: ignore[no-untyped-def]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(generate, "write_docx", full_disk)
    out = tmp_path / "out"
    rc = main(["report", "weekly", "--week", WEEK, "--db", str(tmp_path / "c.duckdb"), "--out", str(out),
               "--no-charts", "--format", "docx,xlsx"])
    cap = capsys.readouterr()
    assert rc == 1 and (out / f"bao-cao-tuan-{WEEK}.xlsx").is_file() and f"xlsx\t{out}" in cap.out
    assert "Không ghi được tệp DOCX: ổ đĩa đã đầy" in cap.err and "No space left on device" in cap.err
    assert not (out / f"bao-cao-tuan-{WEEK}.docx").exists()


def test_the_appendix_source_column_holds_an_outlet_name(seeded, tmp_path):
    """The appendix's "Nguồn" column (11 pt) was 53.5 pt wide: "VietNamNet" (56 pt), a national outlet the
    collectors follow, printed as "VietNamNe t" on every row."""
    body = list(_weekly_docx(seeded, tmp_path).element.body.iterchildren())
    appendix = [e for e in body if e.tag == qn("w:tbl")][-1]  # after the closing, on its own pages
    width, size = _column_text_pt(appendix, "Nguồn")
    assert width >= _token_pt("VietNamNet", size), (width, _token_pt("VietNamNet", size))


def test_the_pdf_prints_the_recipients_at_the_size_of_the_layout():
    """36-HD/VPTW recipients at 12 pt, Decree 30 at 11 pt, as the DOCX prints them; the PDF used 11 pt for both."""
    import re

    from reports.html_out import render_html

    for layout, size in (("party", 12), ("state", 11)):
        s = settings(charts=False) if layout == "party" else settings(
            charts=False, layout="state", symbol="BC-SVHTTDL", signer_title=("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"))
        doc = build_rapid({"alert": None, "story": {"title": "Bụi than"}, "items": pd.DataFrame(columns=ITEM_COLS),
                           "events": pd.DataFrame(columns=["alert_id", "at", "username", "action", "from_state",
                                                           "to_state", "note", "display_name"]), "names": {}},
                          s, "", NOW).doc
        html = render_html(doc, size=14)
        rule = re.search(r"\.end \.rcp \{ font-size: (\d+)pt", html)
        assert rule and int(rule.group(1)) == size, (layout, rule and rule.group(0))


def test_reports_follow_the_masking_switch_an_admin_saved_in_the_dashboard(tmp_path):
    """The dashboard masks by the admin's saved "retention.mask_author_handles" over the config's; the reports read
    the config's only: an office with it off in langnghe.toml and turned on in Quản trị still printed the
    @mentions in every report. The saved switch now rules the reports as it rules the pages."""
    from devtools.sample_reports import seed_week
    from reports.generate import build_weekly_report
    from store import users as store_users
    from tests.reports.conftest import WEEK

    db = database(tmp_path / "m.duckdb")
    seed_week(db, WEEK, n_items=40, n_stories=1, n_alerts=1)
    with db.write() as cur:
        cur.execute("UPDATE items SET title = '@nguoidung ' || title")
        store_users.set_setting(cur, "retention.mask_author_handles", True, "quantri", NOW)
    built, _ = build_weekly_report(db, settings(charts=False, mask_mentions=False), WEEK, now=NOW, proposals="")
    db.close()
    text = _all_text(built.doc)
    assert "@n***g" in text and "@nguoidung" not in text


@pytest.mark.parametrize(("code", "said"), [(errno.ENOSPC, "ổ đĩa đã đầy"), (errno.EACCES, "không có quyền ghi"),
                                            (errno.EPERM, "không có quyền ghi"), (errno.EROFS, "ổ đĩa chỉ cho phép đọc"),
                                            (errno.ENAMETOOLONG, "tên tệp hoặc đường dẫn quá dài")])
def test_a_write_error_is_said_in_vietnamese_with_the_os_text_as_detail(code, said):
    """Staff read the OS's English ("[Errno 13] Permission denied") as the only reason a file was not made."""
    from reports import generate

    def fails() -> Path:
        raise OSError(code, os.strerror(code), "out/bao-cao.docx")

    res = generate.Result()
    generate._write(res, "docx", fails)
    [err] = res.errors
    assert err.startswith(f"Không ghi được tệp DOCX: {said}") and f"(chi tiết: [Errno {code}]" in err


def test_reports_mask_with_the_one_rule_the_pages_and_pushes_use():
    """reports.frame.masked kept its own list (title, summary in frames; only `title` in a dict) beside
    vocab.privacy.mask_mentions_in. It now is that rule: a dict's `summary` or `text` is masked too, in dicts nested
    at any depth (a rapid report's alert `details`), and what is not a post's text (outlet, places, staff notes,
    names) stays as written — acceptable for reports, which print those as they are. The alert's reason is masked
    since round 15: the rapid report prints it («Căn cứ:») as pushes send it."""
    from reports.frame import masked

    f = {"alert": {"title": "@nguoidung1 hỏi", "reason": "3 tin trong 5 phút, như @nguoidung5 viết", "outlet": "@baoquangninh",
                   "details": {"first": {"summary": "hỏi @hoanganh xem", "text": "@nguoidung2 nói"}}},
         "story": {"title": "@nguoidung0 ơi", "summary": "@nguoidung3 kể", "notes": "gọi @canbo"},
         "items": _mention_items(), "names": {"nguyenvana": "@nguyenvana"}}
    out = masked(f, settings(charts=False))
    assert out["alert"]["title"] == "@n***1 hỏi" and out["alert"]["details"]["first"] == {
        "summary": "hỏi @h***h xem", "text": "@n***2 nói"}
    assert out["story"] == {"title": "@n***0 ơi", "summary": "@n***3 kể", "notes": "gọi @canbo"}
    assert out["alert"]["outlet"] == "@baoquangninh" and out["names"] == f["names"]
    assert out["alert"]["reason"] == "3 tin trong 5 phút, như @n***5 viết"
    assert f["story"]["summary"] == "@nguoidung3 kể"                     # the caller's figures as they were
    assert masked(f, settings(charts=False, mask_mentions=False)) is f
