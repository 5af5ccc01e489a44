"""The weekly report on a seeded week: every section of the DOCX, its numbers against the database, the
Decree 30 layout, the XLSX sheets, and the PDF (Vietnamese text intact, fonts embedded, page 1 as PNG)."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter

import docx
import openpyxl
import pytest
from docx.shared import Cm, Pt

from reports import weekly_report
from reports.generate import weekly_key
from reports.labels import SENTIMENT_LABELS, STATE_LABELS, TOPIC_LABELS
from store import reports as store_reports
from tests.reports.conftest import ARTIFACTS, NOW, PROPOSALS, WEEK, db_scope, need, num, pdf_text, settings

# the default layout is the Party's: sections «I- …» as seed 002 and Hướng dẫn 36-HD/VPTW number them
SECTIONS = ["I- TỔNG QUAN", "II- CÁC VẤN ĐỀ ĐƯỢC DƯ LUẬN QUAN TÂM NHIỀU NHẤT", "III- THÔNG TIN THEO CHỦ ĐỀ VÀ ĐỊA BÀN",
            "IV- THÔNG TIN TIÊU CỰC CẦN LƯU Ý", "V- CẢNH BÁO VÀ KẾT QUẢ XỬ LÝ", "VI- ĐỀ XUẤT, KIẾN NGHỊ"]


@pytest.fixture(scope="module")
def report(seeded, tmp_path_factory):
    need("chromium", "pdftotext", "pdftoppm")
    db, info = seeded
    with db.write() as cur:
        store_reports.save_text(cur, "weekly", weekly_key(WEEK, ""), PROPOSALS, "nguyenvana", NOW)
    out = tmp_path_factory.mktemp("weekly")
    res = weekly_report(db, settings(), WEEK, out, now=NOW)
    assert res.errors == []
    return res, db, info


@pytest.fixture(scope="module")
def document(report):
    return docx.Document(str(report[0].files["docx"]))


def texts(d) -> list[str]:
    return [p.text for p in d.paragraphs]


def table_with(d, *headers: str):
    """The first table whose header row starts with these cells."""
    for t in d.tables:
        cells = [c.text.strip() for c in t.rows[0].cells]
        if cells[: len(headers)] == list(headers):
            return t
    raise AssertionError(f"no table with header {headers}")


def body_rows(t):
    return [[c.text for c in r.cells] for r in t.rows[1:]]


def test_three_files(report):
    res = report[0]
    assert set(res.files) == {"docx", "xlsx", "pdf"}
    for p in res.files.values():
        assert p.is_file() and p.stat().st_size > 2000
    assert res.files["docx"].name == f"bao-cao-tuan-{WEEK}.docx"


def test_every_section_in_order(document):
    paras = texts(document)
    idx = [paras.index(s) for s in SECTIONS]
    assert idx == sorted(idx)
    for s in SECTIONS:
        p = document.paragraphs[paras.index(s)]
        assert p.style.name.startswith("Heading"), s
    assert "PHỤ LỤC" in paras and paras.index("PHỤ LỤC") > idx[-1]
    assert any(t.startswith("Trên đây là báo cáo") and t.endswith("./.") for t in paras)


def test_party_header_title_and_closing(document):
    """Default layout, Hướng dẫn 36-HD/VPTW: superior body over the issuing body (bold) and "*"; top right
    "ĐẢNG CỘNG SẢN VIỆT NAM" with a rule, no national motto; "Số …-BC/…" without a colon; "K/T" signer."""
    head = document.tables[0]
    left, right = head.rows[0].cells[0].text, head.rows[0].cells[1].text
    assert [p.text for p in head.rows[0].cells[0].paragraphs] == ["TỈNH ỦY QUẢNG NINH", "BAN TUYÊN GIÁO VÀ DÂN VẬN", "*"]
    body = head.rows[0].cells[0].paragraphs[1].runs[0]
    assert body.bold and not head.rows[0].cells[0].paragraphs[0].runs[0].bold
    assert right.strip() == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert 'w:pBdr' in head.rows[0].cells[1]._tc.xml  # the rule under the heading
    assert "CỘNG HÒA" not in left + right and "Độc lập" not in document.element.xml
    assert "THÔNG TIN VÀ TRUYỀN THÔNG" not in document.element.xml and "STTTT" not in document.element.xml
    assert re.fullmatch(r"Số\s+-BC/BTGDVTU", head.rows[1].cells[0].text.strip())
    assert head.rows[1].cells[1].text.strip() == "Quảng Ninh, ngày 30 tháng 11 năm 2026"
    assert all(r.italic for r in head.rows[1].cells[1].paragraphs[0].runs)
    title = [p for p in document.paragraphs if p.text == "BÁO CÁO"][0]
    assert title.alignment == 1 and all(r.bold for r in title.runs)
    paras = texts(document)
    assert "phản ánh về tỉnh Quảng Ninh" in paras
    assert "(Tuần 47/2026, từ ngày 16/11/2026 đến ngày 22/11/2026)" in paras
    end = document.tables[[i for i, t in enumerate(document.tables) if "Nơi nhận:" in t.rows[0].cells[0].text][0]]
    nhan = end.rows[0].cells[0].paragraphs[0].runs[0]
    assert nhan.text == "Nơi nhận:" and nhan.underline and not nhan.bold
    assert "- Thường trực Tỉnh ủy (để báo cáo);" in end.rows[0].cells[0].text
    assert end.rows[0].cells[0].text.rstrip().endswith("- Lưu VT.")
    assert [p.text for p in end.rows[0].cells[1].paragraphs][:2] == ["K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN"]
    assert any(t.startswith("Trên đây là báo cáo") and "Ban Tuyên giáo và Dân vận Tỉnh ủy" in t for t in paras)
    assert any("Kèm theo Báo cáo số" in t and "-BC/BTGDVTU ngày" in t for t in paras)


STATE = dict(layout="state", parent_body="UBND TỈNH QUẢNG NINH", issuing_body="SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
             issuer_name="Sở Văn hóa, Thể thao và Du lịch", symbol="BC-SVHTTDL",
             signer_title=("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"), recipients=("Ủy ban nhân dân tỉnh (để báo cáo)",))


def test_state_layout_decree30_header_and_closing(report, tmp_path):
    """layout = "state", Nghị định 30/2020: national name and underlined motto, "Số: …/BC-…", "KT." signer,
    "Nơi nhận:" bold italic and "- Lưu: VT."."""
    from reports.docx_out import write_docx
    from reports.generate import build_weekly_report

    built, _ = build_weekly_report(report[1], settings(**STATE), WEEK, now=NOW)
    d = docx.Document(str(write_docx(built.doc, tmp_path / "state.docx")))
    head = d.tables[0]
    left, right = head.rows[0].cells[0].text, head.rows[0].cells[1].text
    # the issuing body on two lines: wider than its block, it printed «LỊCH» alone (round 22, test_ux22)
    assert "UBND TỈNH QUẢNG NINH" in left and "SỞ VĂN HÓA,\nTHỂ THAO VÀ DU LỊCH" in left and "*" not in left
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right and "Độc lập - Tự do - Hạnh phúc" in right
    assert "ĐẢNG CỘNG SẢN" not in d.element.xml
    motto = [r for p in head.rows[0].cells[1].paragraphs for r in p.runs if "Độc lập" in r.text][0]
    assert motto.underline and motto.bold
    assert re.fullmatch(r"Số:\s+/BC-SVHTTDL", head.rows[1].cells[0].text.strip())
    assert head.rows[1].cells[1].text.strip() == "Quảng Ninh, ngày 30 tháng 11 năm 2026"
    end = d.tables[[i for i, t in enumerate(d.tables) if "Nơi nhận:" in t.rows[0].cells[0].text][0]]
    nhan = end.rows[0].cells[0].paragraphs[0].runs[0]
    assert nhan.bold and nhan.italic and not nhan.underline
    assert "- Ủy ban nhân dân tỉnh (để báo cáo);" in end.rows[0].cells[0].text
    assert end.rows[0].cells[0].text.rstrip().endswith("- Lưu: VT.")
    assert "KT. GIÁM ĐỐC" in end.rows[0].cells[1].text and "PHÓ GIÁM ĐỐC" in end.rows[0].cells[1].text


@pytest.mark.parametrize("kw, word", [
    (dict(layout="party", symbol="BC-STTTT"), "BC/BTGDVTU"),
    (dict(layout="party", signer_title=["KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN"]), "T/M"),
    (dict(layout="state", symbol="BC/BTGDVTU"), "BC-SVHTTDL"),
    (dict(layout="state", symbol="BC-SVHTTDL", signer_title=["T/M BAN THƯỜNG VỤ", "BÍ THƯ"]), "TM."),
    (dict(layout="bogus"), "layout"),
])
def test_layout_settings_follow_their_rule(kw, word):
    from reports.settings import ReportSettings, check_layout
    from vocab.config import ConfigError

    with pytest.raises(ConfigError, match=re.escape(word)):
        check_layout(ReportSettings(**{k: tuple(v) if isinstance(v, list) else v for k, v in kw.items()}))


def test_page_font_and_margins(document):
    sec = document.sections[0]
    assert abs(sec.page_width - Cm(21.0)) < Cm(0.05) and abs(sec.page_height - Cm(29.7)) < Cm(0.05)
    assert abs(sec.left_margin - Cm(3.0)) < Cm(0.05) and abs(sec.right_margin - Cm(1.5)) < Cm(0.05)
    assert abs(sec.top_margin - Cm(2.0)) < Cm(0.05) and abs(sec.bottom_margin - Cm(2.0)) < Cm(0.05)
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(14)
    rfonts = normal.element.rPr.rFonts
    assert rfonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "Times New Roman"
    # no run anywhere asks for another font
    xml = document.element.xml
    assert "asciiTheme" not in document.styles.element.xml.split("<w:style ")[0]
    assert not re.search(r'w:ascii="(?!Times New Roman)', xml)
    # page numbers from page 2: different first page, PAGE field in the header
    assert sec.different_first_page_header_footer
    assert "PAGE" in sec.header._element.xml


def test_overview_numbers_match_database(report, document):
    _, db, _ = report
    sc = db_scope(db)
    now = Counter(r[1] for r in sc["rows"] if r[7])
    prev = Counter(r[1] for r in sc["rows"] if not r[7])
    t = table_with(document, "TT", "Nguồn tin", "Loại", "Tuần này", "Tuần trước")
    got = {}
    for row in body_rows(t):
        if row[0].strip():
            got[row[1]] = (num(row[3]), num(row[4]))
        if row[1] == "Tổng cộng":
            assert num(row[3]) == sum(now.values()) and num(row[4]) == sum(prev.values())
    assert got == {o: (now.get(o, 0), prev.get(o, 0)) for o in set(now) | set(prev)}
    n_now = sum(now.values())
    intro = [p for p in texts(document) if p.startswith("Trong tuần, hệ thống thu thập được")][0]
    assert f"thu thập được {sc['total_now']} tin" in intro and f"trong đó {n_now} tin, bài" in intro


def test_sentiment_and_topics_match_database(report, document):
    _, db, _ = report
    rows = [r for r in db_scope(db)["rows"] if r[7]]
    sent = Counter(r[4] for r in rows)
    t = table_with(document, "Sắc thái", "Tuần này", "Tỷ lệ")
    got = {r[0]: num(r[1]) for r in body_rows(t)}
    assert got == {SENTIMENT_LABELS[k]: v for k, v in sent.items()}
    topics = Counter(tp for r in rows for tp in (list(r[5]) or ["other"]))
    t = table_with(document, "TT", "Chủ đề", "Tuần này")
    got = {r[1]: num(r[2]) for r in body_rows(t) if num(r[2])}
    assert got == {TOPIC_LABELS[k]: v for k, v in topics.items()}
    # an item counts once under each 2025 unit it names: "TP Uông Bí cũ" under each of its three wards
    import json

    def units(r):  # a province is no 2025 unit (ux42): its items are the line under the table (fix38)
        return {u.strip() for e in json.loads(r[8] or "[]") if e.get("level") != "province"
                for u in (e.get("name_2025") or "").split(",")}

    places = Counter(u for r in rows for u in units(r))
    t = table_with(document, "TT", "Địa bàn", "Tuần này")
    assert all("," not in r[1] for r in body_rows(t)), [r[1] for r in body_rows(t)]  # no combined row
    for r in body_rows(t):
        assert num(r[2]) == places[r[1]]
    assert len(body_rows(t)) == min(len(places), settings().top_places)
    district = sum(any(json.loads(r[8] or "[]")[k].get("level") == "district_old"
                       for k in range(len(json.loads(r[8] or "[]")))) for r in rows)
    assert district > 0  # the seed has items naming only the old city


def test_stories_with_handling(report, document):
    _, db, info = report
    t = table_with(document, "TT", "Vấn đề", "Số tin / nguồn")
    rows = body_rows(t)
    titles = {s["title"] for s in info["stories"]}
    assert rows and {r[1] for r in rows} <= titles
    # the first alert was acknowledged, assigned, noted and resolved in the seed
    first = [s for s in info["stories"] if s["story_id"]][0]
    row = [r for r in rows if r[1] == first["title"]][0]
    assert num(row[2].split(" tin")[0]) == len(first["item_ids"])
    # handling: the alert's state and its handler by display name, nothing else; empty without an alert
    assert row[6] == f"{STATE_LABELS['resolved']} – Trần Thị Bình, Nguyễn Văn An"
    alerted = {s["title"] for s in info["stories"][:len(info["alerts"])]}
    assert all(r[6] == "" for r in rows if r[1] not in alerted)
    assert not any("Chưa phát sinh" in r[6] or "nguyenvana" in r[6] for r in rows)
    # places: at most three units, the 2025 name of an old ward, then "+N"; no "…, nay 13 phường, xã"
    for r in rows:
        names = r[4].split(" +")[0].split("; ")
        assert len(names) <= 3 and ", nay" not in r[4] and "cũ, nay" not in r[4], r[4]
        assert "phường Trưng Vương" not in r[4]
    widths = [c.width for c in t.columns]
    assert widths[1] == max(widths) and min(widths) == widths[0]


def test_places_brief():
    from reports.labels import places_brief

    assert places_brief(["TP Uông Bí cũ, nay phường Uông Bí, phường Vàng Danh, phường Yên Tử",
                         "phường Vàng Danh (TP Uông Bí cũ)", "tỉnh Quảng Ninh"]) == "phường Vàng Danh"
    assert places_brief(["phường Trưng Vương cũ, nay phường Uông Bí (TP Uông Bí cũ)",
                         "phường Quang Trung cũ, nay phường Uông Bí (TP Uông Bí cũ)",
                         "phường Bãi Cháy (TP Hạ Long cũ)", "phường Cẩm Phả (TP Cẩm Phả cũ)",
                         "phường Móng Cái 1 (TP Móng Cái cũ)", "TP Hạ Long cũ, nay 13 phường, xã"]) == \
        "phường Uông Bí; phường Bãi Cháy; phường Cẩm Phả +1"
    assert places_brief(["TP Hạ Long cũ, nay 13 phường, xã", "tỉnh Quảng Ninh"]) == "TP Hạ Long cũ"
    assert places_brief([]) == ""


def test_negative_items_have_links(report, document):
    t = table_with(document, "TT", "Thời gian", "Nguồn", "Tiêu đề (liên kết đến bài gốc)")
    rows = body_rows(t)
    assert 0 < len(rows) <= settings().negative_items
    links = [h for row in t.rows[1:] for p in row.cells[3].paragraphs for h in p.hyperlinks]
    assert len(links) == len(rows) and all(h.address.startswith("https://") for h in links)


def test_alerts_section(report, document):
    _, db, info = report
    t = table_with(document, "TT", "Mã", "Thời điểm", "Nội dung")
    rows = {r[1]: r for r in body_rows(t)}
    assert set(rows) == set(info["alerts"])
    assert rows["A000001"][5] == STATE_LABELS["resolved"]
    assert rows["A000003"][5] == STATE_LABELS["dismissed"] and "Tin cũ đăng lại" in rows["A000003"][7]
    assert rows["A000004"][5] == STATE_LABELS["new"]


def test_proposals_and_appendix(report, document):
    _, db, _ = report
    paras = texts(document)
    vi = paras.index(SECTIONS[5])
    assert paras[vi + 1] == PROPOSALS.splitlines()[0] and paras[vi + 2] == PROPOSALS.splitlines()[1]
    rows = [r for r in db_scope(db)["rows"] if r[7]]
    t = table_with(document, "TT", "Thời gian", "Nguồn", "Tiêu đề", "Chủ đề", "Sắc thái", "Liên kết")
    body = body_rows(t)
    assert len(body) == len(rows)
    assert Counter(r[3] for r in body) == Counter(r[3] for r in rows)
    assert [r[0] for r in body] == [str(i) for i in range(1, len(rows) + 1)]


def test_charts_embedded(report, document):
    assert len(document.inline_shapes) == 4  # sentiment, topics, places, days
    for s in document.inline_shapes:
        assert s.width <= Cm(16.6)


def test_xlsx_same_data(report):
    res, db, _ = report
    wb = openpyxl.load_workbook(res.files["xlsx"])
    assert wb.sheetnames == ["Tổng quan", "Theo nguồn", "Sắc thái", "Vấn đề nổi bật", "Chủ đề", "Địa bàn", "Theo ngày",
                             "Tin tiêu cực", "Cảnh báo", "Phản ánh", "Đề xuất", "Phụ lục"]
    rows = [r for r in db_scope(db)["rows"] if r[7]]
    app = list(wb["Phụ lục"].iter_rows(min_row=5, values_only=True))
    assert len(app) == len(rows)
    assert Counter(r[4] for r in app) == Counter(r[3] for r in rows)
    assert all(str(r[9]).startswith('=HYPERLINK("https://') for r in app)
    src = {r[1]: r[3] for r in wb["Theo nguồn"].iter_rows(min_row=5, values_only=True)}
    assert src == dict(Counter(r[1] for r in rows))
    ov = {r[0]: r[1] for r in wb["Tổng quan"].iter_rows(min_row=5, values_only=True)}
    assert ov["Tin, bài phản ánh về tỉnh Quảng Ninh"] == len(rows)
    assert [r[0] for r in wb["Đề xuất"].iter_rows(min_row=5, values_only=True)] == PROPOSALS.splitlines()


def test_pdf_vietnamese_fonts_and_page1_png(report):
    res = report[0]
    pdf = res.files["pdf"]
    text = pdf_text(pdf)
    for phrase in ("Ủy ban nhân dân", "dư luận xã hội", "ĐẢNG CỘNG SẢN VIỆT NAM", "TỈNH ỦY QUẢNG NINH",
                   "BAN TUYÊN GIÁO VÀ DÂN VẬN", "ĐỀ XUẤT, KIẾN NGHỊ", "PHỤ LỤC", "Tiêu cực"):
        assert phrase in text, phrase
    assert "\ufffd" not in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # emb column
    from reports.html_out import find_font

    family = find_font(settings().pdf_fonts)
    if family:  # the configured font files (not the browser's fallback) are the ones embedded
        stem = family["Regular"].name.split("-")[0].split(".")[0]
        assert all(stem in line for line in fonts), fonts
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    png_prefix = ARTIFACTS / "weekly-page1"
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(png_prefix)],
                   check=True, timeout=60)
    png = png_prefix.with_suffix(".png")
    assert png.stat().st_size > 20_000
    shutil.copy(pdf, ARTIFACTS / "weekly.pdf")


def test_pdf_layout_header_side_by_side_title_centred(report):
    """Word boxes from pdftotext -bbox: the two header blocks share a line, the title is centred."""
    html = pdf_text(report[0].files["pdf"], "-bbox", "-f", "1", "-l", "1")
    words = [(float(m[0]), float(m[1]), float(m[2]), m[4]) for m in
             re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]+)<', html)]

    def first(w):
        return next(x for x in words if x[3] == w)

    ubnd, cong = first("TỈNH"), first("ĐẢNG")
    assert abs(ubnd[1] - cong[1]) < 3 and cong[0] > ubnd[2] + 100
    bao = [x for x in words if x[3] in ("BÁO", "CÁO")][:2]
    centre = (bao[0][0] + bao[1][2]) / 2
    text_centre = (30 + (210 - 15)) / 2 / 25.4 * 72  # between the 30 mm and 15 mm margins
    assert abs(centre - text_centre) < 6
    assert bao[0][1] > cong[1] + 40  # title under the header


@pytest.mark.parametrize("over,said", [
    ({"chartz": False}, "[reports] không có thiết lập: chartz"),
    ({"charts": "yes"}, "[reports] charts phải là true hoặc false"),
    ({"top_stories": "mười"}, "[reports] top_stories phải là một số"),
    ({"schedule_time": "24:30"}, "[reports] schedule_time phải có dạng giờ:phút"),
    ({"schedule_weekday": 9}, "[reports] schedule_weekday phải là 0"),
    ({"pdf_engine": "word"}, "[reports] pdf_engine phải là"),
])
def test_report_setting_mistakes_are_said_in_vietnamese(tmp_path, over, said):
    """The [reports] section's mistakes were still answered in English ('unknown setting(s)', 'must be
    true or false', 'schedule_time must be HH:MM') when the rest of the settings spoke Vietnamese."""
    from reports.settings import ReportSettings
    from tests.conftest import make_config
    from vocab.config import ConfigError

    with pytest.raises(ConfigError) as err:
        ReportSettings.from_config(make_config(tmp_path, reports=over))
    assert said in str(err.value)


def test_schedule_time_is_read_like_the_other_times_of_day():
    """One reader of a time of day: quiet hours and digest time took "7h30" and "24:00", the report
    schedule refused them (two readers with different acceptance)."""
    from reports.settings import parse_hhmm
    from store import notify as store_notify

    for typed, want in (("07:30", (7, 30)), ("7h30", (7, 30)), ("16g00", (16, 0)), ("24:00", (0, 0))):
        assert parse_hhmm(typed) == want == store_notify.hhmm(typed)


@pytest.mark.parametrize("area,parent,place,issuer", [
    ({}, "Tỉnh ủy Quảng Ninh", "Quảng Ninh", "Ban Tuyên giáo và Dân vận Tỉnh ủy"),
    ({"province": "Bắc Ninh", "name": "tỉnh Bắc Ninh", "focus": ""},
     "Tỉnh ủy Bắc Ninh", "Bắc Ninh", "Ban Tuyên giáo và Dân vận Tỉnh ủy"),
    ({"province": "Hải Phòng", "name": "thành phố Hải Phòng", "focus": "Hải Dương"},
     "Thành ủy Hải Phòng", "Hải Phòng", "Ban Tuyên giáo và Dân vận Thành ủy"),
])
def test_issuer_block_follows_the_area(tmp_path, area, parent, place, issuer):
    """An office that set only [area] (Bắc Ninh, Hải Phòng) filed reports headed "TỈNH ỦY QUẢNG NINH",
    dated "Quảng Ninh, ngày …": the shipped issuer texts were Quảng Ninh's, not the area's."""
    from reports.settings import ReportSettings
    from tests.conftest import make_config

    s = ReportSettings.from_config(make_config(tmp_path, area=area))
    assert (s.parent_body, s.place, s.issuer_name) == (parent, place, issuer)
    assert s.recipients[0] == f"Thường trực {parent.split(' ')[0]} {parent.split(' ')[1]} (để báo cáo)"
    own = ReportSettings.from_config(make_config(tmp_path, area=area, reports={"parent_body": "UBND TỈNH X",
                                                                                "place": ""}))
    assert (own.parent_body, own.place) == ("UBND TỈNH X", "")   # an office's own text is kept as written
