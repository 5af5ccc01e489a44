"""What the second reports walk of round 14 left: each test fails without its fix (no /work/shared read)."""

from __future__ import annotations

from tests.reports.conftest import NOW, WEEK, settings
from tests.conftest import database


def _weekly(seeded, **kw):  # type: ignore[no-untyped-def]
    from reports.generate import build_weekly_report

    db, _ = seeded
    built, _ = build_weekly_report(db, settings(charts=False, **kw), WEEK, now=NOW, proposals="")
    return built


def _table(built, caption: str):  # type: ignore[no-untyped-def]
    """The table whose caption starts with `caption` ("Bảng 8.") or, in a week whose empty sections shift the
    numbers, ends with it ("Số tin, bài theo ngày")."""
    from reports.document import Table

    return next(b for b in built.doc.blocks
                if isinstance(b, Table) and (b.caption.startswith(caption) or b.caption.endswith(caption)))


def _cell_text(cell) -> str:  # type: ignore[no-untyped-def]
    from reports.document import Run

    if isinstance(cell, Run):
        return cell.text
    if isinstance(cell, (list, tuple)):
        return "".join(_cell_text(c) for c in cell)
    return str(cell)


def test_bang8_lists_a_note_given_with_a_status_change_or_an_assignment(seeded):
    """The sample handling acknowledges with «Đã nắm thông tin» and assigns with «Phối hợp UBND phường kiểm tra»
    (store.alerts keeps them after "Giao cho: …" in the event's note): Bảng 8 listed only separate notes."""
    built = _weekly(seeded)
    notes = [_cell_text(r[-1]) for r in _table(built, "Bảng 8.").rows]
    text = " | ".join(notes)
    assert "Đã nắm thông tin" in text and "Phối hợp UBND phường kiểm tra" in text
    assert "Giao cho:" not in text  # the assignee has its own column
    assert "Lý do: " not in text    # the close reason is printed once, as «Lý do đóng: …»
    sheet = next(s for s in built.sheets if s.name == "Cảnh báo")
    assert any("Đã nắm thông tin" in str(r[10]) for r in sheet.rows)


def test_the_workbook_change_column_is_a_signed_number(seeded, tmp_path):
    """«Tổng quan»'s "Tăng/giảm" held text ("−9,8%"), which Excel sorts as text: it is a number in a signed percent
    format; only a figure new this week (nothing the week before) stays the word "mới"."""
    import openpyxl

    from reports.xlsx_out import write_xlsx

    built = _weekly(seeded)
    ws = openpyxl.load_workbook(write_xlsx(built.sheets, tmp_path / "w.xlsx"))["Tổng quan"]
    assert ws["D4"].value == "Tăng/giảm"
    values = [(ws[f"B{r}"].value, ws[f"C{r}"].value, ws[f"D{r}"]) for r in range(5, 15) if ws[f"D{r}"].value is not None]
    assert len(values) >= 5
    for now, prev, cell in values:
        if prev:
            assert isinstance(cell.value, float) and abs(cell.value - (now - prev) / prev) < 1e-9, cell.value
            assert cell.number_format.startswith('"+"0.0%'), cell.number_format
        else:
            assert cell.value == ("mới" if now else 0)


def test_a_docx_that_fails_while_saving_leaves_no_partial_file(tmp_path, monkeypatch):
    """python-docx writes the zip as it goes: a save that failed half-way (a full disk) left a truncated .docx at the
    real name, which the archive offered. It is written through a '.part' file renamed at the end, as the XLSX."""
    import pytest
    from docx.document import Document

    from reports.docx_out import write_docx
    from tests.reports.test_filing_walk import _rapid_doc

    def half_save(self, path):  # type: ignore[no-untyped-def]
        with open(path, "wb") as fh:
            fh.write(b"PK\x03\x04 half a document")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Document, "save", half_save)
    with pytest.raises(OSError):
        write_docx(_rapid_doc("Sạt lở đất tại phường Vàng Danh"), tmp_path / "r.docx")
    assert list(tmp_path.iterdir()) == []


def test_a_pdf_the_browser_fails_to_finish_leaves_no_partial_file(tmp_path):
    """Chromium printed straight to the real name: a browser that failed or was killed at its timeout left a truncated
    PDF there. A stand-in browser writes half a file and fails; then one that hangs past the timeout. The stand-in
    runs even where the temp folder is mounted noexec (`runnable_script`; CI's /dev/shm may be), and it leaves a
    mark that it ran: on a noexec mount the test passed on a PermissionError before round 30, without any browser."""
    import os

    import pytest

    from reports.pdf_out import PdfError, start_pdf
    from tests.conftest import runnable_script

    html = tmp_path / "r.html"
    html.write_text("<p>Báo cáo</p>", encoding="utf-8")
    for n, body in enumerate(("exit 3", "exec sleep 30")):
        ran = tmp_path / f"ran-{n}"
        script = ("#!/bin/sh\nfor a in \"$@\"; do case $a in --print-to-pdf=*) printf '%%PDF-1.4 half' > "
                  f"\"${{a#--print-to-pdf=}}\";; esac; done\n: > '{ran}'\n{body}\n")
        out = tmp_path / "out"
        out.mkdir(exist_ok=True)
        with runnable_script(tmp_path, f"chromium-{n}", script) as fake:
            job = start_pdf(html, out / "r.pdf", engine="chromium", chromium=fake, timeout=1.0)
            with pytest.raises(PdfError):
                job.wait()
        assert ran.exists(), body  # the stand-in ran (a browser that cannot start is the next test's case)
        assert os.listdir(out) == [], body


def test_a_chromium_path_that_cannot_be_run_is_a_reason_not_a_traceback(tmp_path, monkeypatch):
    """[reports] chromium_path naming a file that cannot be run (no exec bit, a folder, a noexec mount): Popen's
    PermissionError ended the whole report with a traceback and left the browser's profile folder behind (round
    30). Now the PDF is refused with a reason and the other files are still written."""
    import tempfile

    import pytest

    from reports.pdf_out import PdfError, start_pdf

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    html = tmp_path / "r.html"
    html.write_text("<p>Báo cáo</p>", encoding="utf-8")
    plain = tmp_path / "chromium"
    plain.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    plain.chmod(0o644)
    for path in (plain, tmp_path):
        job = start_pdf(html, tmp_path / "r.pdf", engine="chromium", chromium=str(path), timeout=1.0)
        with pytest.raises(PdfError, match="Không chạy được Chromium") as ei:
            job.wait()
        assert str(path) in str(ei.value) and "chromium_path" in str(ei.value)
        assert "không có quyền chạy" in str(ei.value) and "Permission" not in str(ei.value)  # not the OS's English
    assert list((tmp_path / "tmp").iterdir()) == []  # no langnghe-pdf-… profile folder left
    assert not (tmp_path / "r.pdf").exists()


def test_the_rapid_report_heading_has_the_subject_under_the_type_and_no_alert_id(seeded, tmp_path):
    """36-HD/VPTW and Decree 30 put the trích yếu straight under "BÁO CÁO …" (seed 002: "BÁO CÁO / Tổng kết 10 năm
    …"); the report read "Về: <title>" and, under it, "(Cảnh báo A000134)", an id staff do not know. Both layouts."""
    import docx

    from reports.docx_out import write_docx
    from reports.rapid import build_rapid
    from store import reports as store_reports
    from tests.reports.test_weekly import STATE

    db, info = seeded
    aid = info["alerts"][0]
    with db.read() as cur:
        f = store_reports.rapid_figures(cur, alert_id=aid)
    for kw in ({}, STATE):
        built = build_rapid(f, settings(charts=False, **kw), "", NOW)
        paras = [p.text for p in docx.Document(str(write_docx(built.doc, tmp_path / "r.docx"))).paragraphs]
        k = paras.index("BÁO CÁO NHANH")
        assert paras[k + 1] == f["alert"]["title"], paras[k: k + 3]
        heading = paras[: paras.index(("I. " if kw else "I- ") + "TÌNH HÌNH SỰ VIỆC")]
        assert not [p for p in heading if p.startswith("Về:") or aid in p], heading
        assert any(aid in p for p in paras[k:])  # named once in section I, for looking the alert up


def _one_item_each(path, times):  # type: ignore[no-untyped-def]
    """A database with one item about the area at each of `times` (naive UTC): an empty week has no Bảng 6 (it
    says so in a sentence), so a test of the days in it needs an item in the week."""
    from devtools.rows import make_item, sha1, tag_row
    from store.items import insert_items
    from store.tags import save_tags

    db = database(path)
    items = [make_item(item_id=sha1("h", k), source="test", source_type="press", outlet="Báo Quảng Ninh",
                       url=f"https://baoquangninh.vn/h-{k}.html", title=f"Tin số {k} về phường Uông Bí", summary="",
                       published_at=t, fetched_at=t, content_hash=sha1("c", k)) for k, t in enumerate(times)]
    with db.write() as cur:
        insert_items(cur, items)
        save_tags(cur, [tag_row(i.id, model_version="test", topics=[], sentiment="neutral", in_area=True, places=[],
                                place_details=[], folded="") for i in items])
    return db


def test_public_holidays_are_marked_in_the_daily_table_and_the_comparison(tmp_path):
    """Volumes drop on a day off; nothing in Bảng 6 or the week-on-week comparison said 01/01 was one. Week 53 of
    2026 holds 01/01/2027; week 1 of 2027 is compared with it; week 47 has none (nor the week before)."""
    from datetime import datetime

    from reports.generate import build_weekly_report

    db = _one_item_each(tmp_path / "three.duckdb", [datetime(2026, 12, 29, 3), datetime(2027, 1, 5, 3),
                                                    datetime(2026, 11, 18, 3)])

    def build(week: str, now: datetime):  # type: ignore[no-untyped-def]
        built, _ = build_weekly_report(db, settings(charts=False), week, now=now, proposals="")
        paras = [r.text for b in built.doc.blocks for r in getattr(b, "runs", [])]
        days = [_cell_text(r[0]) for r in _table(built, "Số tin, bài theo ngày").rows]
        sheet = next(s for s in built.sheets if s.name == "Theo ngày")
        return paras, days, sheet

    paras, days, sheet = build("2026-W53", datetime(2027, 1, 10))
    assert "Thứ Sáu, 01/01/2027 (nghỉ lễ)" in days and sum("nghỉ lễ" in d for d in days) == 1, days
    assert any("tuần này: 01/01 – Tết Dương lịch" in p for p in paras), paras
    assert sheet.columns[-1][0] == "Ghi chú" and [r[-1] for r in sheet.rows].count("Nghỉ lễ: Tết Dương lịch") == 1
    paras, days, _ = build("2027-W01", datetime(2027, 1, 17))
    assert any("tuần trước: 01/01 – Tết Dương lịch" in p for p in paras) and not any("nghỉ lễ" in d for d in days)
    paras, days, sheet = build(WEEK, NOW)
    assert not any("nghỉ lễ" in p for p in paras + days) and sheet.columns[-1][0] == "Cộng"
    db.close()


def test_the_holiday_lookup_sits_in_vocab_and_the_case_calendar_uses_it():
    """reports/ may not import orchestration/: the lookup moved down to vocab/, and orchestration.workdays keeps using
    the same days (30/4 is off, and Tết follows the lunar calendar)."""
    from datetime import date

    from orchestration.workdays import WorkCalendar
    from vocab.public_holidays import holiday_name, statutory

    assert holiday_name(date(2027, 4, 30)) and holiday_name(date(2027, 5, 4)) is None
    assert date(2026, 2, 17) in statutory(2026)[0] and not WorkCalendar().is_working_day(date(2026, 2, 17))


def test_bang4_says_it_counts_only_items_about_the_area(seeded):
    """The dashboard's «Chủ đề & địa bàn» counted 757 «An ninh trật tự» items in a week, Bảng 4 672 (only items about
    the area): neither said which. Bảng 4 and its sheet now say what they count and why the page's figure differs."""
    from reports.document import Para

    built = _weekly(seeded)
    blocks = built.doc.blocks
    k = blocks.index(_table(built, "Bảng 4."))
    note = blocks[k + 1]
    assert isinstance(note, Para) and "chỉ tính tin, bài phản ánh về" in note.plain and "«Chủ đề & địa bàn»" in note.plain
    assert "«Tuần báo cáo»" in note.plain and "cho đúng số liệu của bảng này" in note.plain  # where the page shows it
    sheet = next(s for s in built.sheets if s.name == "Chủ đề")
    assert sheet.note == note.plain


def test_the_offices_own_days_off_are_marked_as_the_packages_are(tmp_path):
    """Bảng 6 and the week-on-week note asked only the `holidays` package; a day off the office lists in [cases]
    holidays (the government's yearly decision, a bridged day) went unmarked though case due dates skip it. One
    calendar (vocab.public_holidays.WorkCalendar) now answers both; a listed working day is never marked."""
    from datetime import date, datetime

    from reports.generate import build_weekly_report
    from reports.settings import ReportSettings
    from tests.conftest import make_config
    from vocab.public_holidays import OFFICE_DAY_OFF

    cfg = make_config(tmp_path, cases={"holidays": ["2026-11-18"], "working_days": []})
    s = ReportSettings.from_config(cfg, charts=False)
    db = _one_item_each(tmp_path / "one.duckdb", [datetime(2026, 11, 17, 3)])
    built, _ = build_weekly_report(db, s, WEEK, now=NOW, proposals="")
    paras = [r.text for b in built.doc.blocks for r in getattr(b, "runs", [])]
    days = [_cell_text(r[0]) for r in _table(built, "Số tin, bài theo ngày").rows]
    assert "Thứ Tư, 18/11/2026 (nghỉ lễ)" in days and sum("nghỉ lễ" in d for d in days) == 1, days
    assert any(f"tuần này: 18/11 – {OFFICE_DAY_OFF}" in p for p in paras), paras
    sheet = next(x for x in built.sheets if x.name == "Theo ngày")
    assert [r[-1] for r in sheet.rows].count(f"Nghỉ lễ: {OFFICE_DAY_OFF}") == 1
    db.close()
    assert s.days_off.day_off_name(date(2027, 1, 1)) == "Tết Dương lịch"       # the package's days stay
    worked = ReportSettings.from_config(make_config(tmp_path, cases={"holidays": [], "working_days": ["2027-01-01"]}))
    assert worked.days_off.day_off_name(date(2027, 1, 1)) is None


def test_appendix_links_wrap_after_the_site_and_keep_their_full_target(seeded, tmp_path):
    """LibreOffice broke the appendix's shown link at every "/" and "-": «baoquangninh.vn/» «nguoi-dan-phuong-» and
    «…» alone on a third line. The shown text now has one break opportunity (a zero-width space after the site's
    "/"), word joiners after every other mark, and each line fits the 3.4 cm column (checked with soffice --headless
    --convert-to pdf: two lines each); the hyperlink's target stays the full address."""
    import docx
    from docx.oxml.ns import qn

    from reports import weekly as W
    from reports.docx_out import write_docx
    from reports.generate import build_weekly_report

    db, _ = seeded
    built, _ = build_weekly_report(db, settings(charts=False), WEEK, now=NOW, proposals="")
    d = docx.Document(str(write_docx(built.doc, tmp_path / "r.docx")))
    rels = d.part.rels
    links = [(("".join(t.text or "" for t in h.iter(qn("w:t")))), rels[h.get(qn("r:id"))].target_ref)
             for h in d.tables[-1]._tbl.iter(qn("w:hyperlink"))]                  # the appendix
    long_ones = [(t, u) for t, u in links if len(u) > 40]
    assert long_ones, links[:3]
    for text, url in long_ones:
        assert url.startswith("http") and "…" not in url
        assert text.count(W.ZWSP) == 1, repr(text)
        site, path = text.split(W.ZWSP)
        assert site.endswith("/") and len(site.replace(W.WJ, "")) <= W.LINK_HOST + 1
        assert len(path.replace(W.WJ, "")) <= W.LINK_PATH
        for i, c in enumerate(path[:-1]):                      # no break opportunity inside the path's line
            if not c.isalnum() and c != W.WJ:
                assert path[i + 1] == W.WJ, repr(path)
        shown = text.replace(W.ZWSP, "").replace(W.WJ, "").rstrip("…")
        assert url.split("://", 1)[1].removeprefix("www.").startswith(shown), (shown, url)


def test_sections_are_numbered_in_one_style_per_layout(seeded, tmp_path):
    """Seed 002 (a Thành ủy's report, the Party layout staff file) and Hướng dẫn 36-HD/VPTW itself number their
    sections «I- …»; the reports wrote «I. …» in both layouts. Party «I-», state (Nghị định 30) «I.», in the DOCX
    and the HTML the PDF is printed from, never mixed in one document (ReportSettings.section)."""
    import re

    import docx

    from reports.docx_out import write_docx
    from reports.html_out import render_html
    from reports.rapid import build_rapid
    from store import reports as store_reports
    from tests.reports.test_weekly import STATE

    db, info = seeded
    with db.read() as cur:
        f = store_reports.rapid_figures(cur, alert_id=info["alerts"][0])
    for kw, mark in (({}, "-"), (STATE, ".")):
        built = build_rapid(f, settings(charts=False, **kw), "", NOW)
        d = docx.Document(str(write_docx(built.doc, tmp_path / "r.docx")))
        heads = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
        html = re.findall(r"<h1>(.*?)</h1>", render_html(built.doc))
        romans = ["I", "II", "III", "IV", "V", "VI"]
        assert [h.split(" ", 1)[0] for h in heads] == [f"{r}{mark}" for r in romans], heads
        assert heads == html, html
