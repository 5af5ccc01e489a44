"""Round 27 (ux29): what the walk of the same round (ux28) saw on paper and in the reports and left: the rapid report's and the
weekly appendix's «Sắc thái» column broke «Tiêu / cực» (read in the DOCX), and the weekly report named a login no
account has as it was («Đã xử lý xong – demo»), where the dashboard names nobody (dashboard.data.person)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest

from reports.docx_out import write_docx
from reports.rapid import build_rapid
from tests.reports.conftest import NOW, WEEK, settings

FONTS = Path("/usr/share/fonts/truetype/liberation2")  # Liberation Serif: Times New Roman's metrics, the PDF's font
TWIPS_PER_PT = 20
LABELS = ("Tiêu cực", "Trung tính", "Tích cực", "Chưa rõ")


def _font(size_pt: float):  # type: ignore[no-untyped-def]
    from PIL import ImageFont

    if not FONTS.is_dir():
        pytest.skip("fonts-liberation2 is not installed (scripts/install-system-deps.sh installs it)")
    return ImageFont.truetype(str(FONTS / "LiberationSerif-Regular.ttf"), 1000), size_pt / 1000


def _sentiment_room(path: Path) -> list[tuple[float, float]]:
    """(room in pt inside the cell, font size in pt) of every DOCX table's «Sắc thái» column whose cells hold one label
    each, read from the file: the grid column's width less the table's left and right cell margins."""
    import docx
    from docx.oxml.ns import qn

    out = []
    for t in docx.Document(str(path)).tables:
        head = [c.text for c in t.rows[0].cells]
        if "Sắc thái" not in head or len(t.rows) < 2:
            continue
        k = head.index("Sắc thái")
        cells = [r.cells[k].text for r in t.rows[1:]]
        if not all(c in LABELS for c in cells):
            continue  # Bảng 3 of the weekly report: «3 tiêu cực» over «2 trung tính» (tests/reports/test_ux31.py)
        tbl = t._tbl
        grid = [int(g.get(qn("w:w"))) for g in tbl.tblGrid.findall(qn("w:gridCol"))]
        mar = tbl.tblPr.find(qn("w:tblCellMar"))
        margins = sum(int(mar.find(qn(f"w:{side}")).get(qn("w:w"))) for side in ("left", "right"))
        size = t.rows[1].cells[k].paragraphs[0].runs[0].font.size.pt
        out.append(((grid[k] - margins) / TWIPS_PER_PT, size))
    return out


def _fits_every_label(rooms: list[tuple[float, float]]) -> None:
    assert rooms, "no «Sắc thái» column found"
    for room, size in rooms:
        font, scale = _font(size)
        for label in LABELS:
            need = font.getlength(label) * scale
            assert need <= room, f"«{label}» needs {need:.1f} pt at {size} pt, the column has {room:.1f}"


def _items(n: int = 4) -> pd.DataFrame:
    sents = ["negative", "neutral", "positive", "unknown"]
    return pd.DataFrame([dict(id=f"i{k}", published_at=pd.Timestamp(2026, 11, 20, 2) + timedelta(hours=k),
                              outlet="Báo Quảng Ninh", source_type="press", title=f"Tin thứ {k}",
                              url=f"https://baoquangninh.vn/{k}", summary="", sentiment=sents[k % 4], n_sources=1,
                              place_units=[], topics=[]) for k in range(n)])


EVENTS = ["alert_id", "at", "username", "action", "from_state", "to_state", "note", "display_name"]


def test_the_rapid_reports_sentiment_column_holds_each_label_on_one_line(tmp_path):
    """Bảng 1 of the rapid report, 12 pt: «Sắc thái» was 1.5 of 14.9 (1,41 cm inside its margins) and printed «Tiêu /
    cực» on two lines (PDF read with pdftotext, round 27); «Trung tính» is the longest label."""
    f = {"alert": None, "story": {"title": "Bụi than"}, "items": _items(), "events": pd.DataFrame(columns=EVENTS),
         "names": {}}
    path = write_docx(build_rapid(f, settings(), "", NOW).doc, tmp_path / "nhanh.docx")
    _fits_every_label(_sentiment_room(path))


def test_the_weekly_appendix_sentiment_column_holds_each_label_on_one_line(seeded, tmp_path):
    """The weekly report's appendix lists every item at 11 pt with the same 1.5 «Sắc thái» column: «Tiêu cực» broke
    there too."""
    from reports.generate import build_weekly_report

    db, _ = seeded
    built, _ = build_weekly_report(db, settings(), WEEK, now=NOW)
    path = write_docx(built.doc, tmp_path / "tuan.docx")
    _fits_every_label(_sentiment_room(path))


@pytest.fixture(scope="module")
def demo_week(tmp_path_factory):
    """A week of its own (an event added to the package's shared week would change other tests' figures) where a login
    no account has («demo», as synthetic and imported events carry) took an alert, wrote a note and was given one."""
    from devtools.sample_reports import seed_week
    from store import alerts as A
    from tests.conftest import database

    db = database(tmp_path_factory.mktemp("ux29") / "r.duckdb")
    info = seed_week(db, WEEK, n_items=150)
    with db.read() as cur:
        rows = cur.execute("SELECT alert_id, status, raised_at FROM alerts WHERE story_id IS NOT NULL "
                           "ORDER BY raised_at").fetchall()
    aid, status, raised = next(r for r in rows if r[1] in ("new", "acknowledged", "assigned", "reopened"))
    with db.write() as cur:
        A.add_note(cur, aid, "demo", "Theo dõi thêm", at=raised + timedelta(minutes=30))
        A.assign(cur, aid, "demo", "demo", note="Phối hợp", at=raised + timedelta(minutes=40))
    return db, info, aid


def test_a_login_no_account_has_is_named_by_nobody_in_the_reports(demo_week):
    """Bảng 3 «Xử lý» read «Đang xử lý – demo» and Bảng 8 «Người xử lý» «demo»: store.reports gave the login where
    no account has it (coalesce(display_name, login)); Trước giao ban names nobody there (data.person). The staff's
    note still counts; the accounts' people are still named."""
    from reports.generate import build_weekly_report
    from reports.document import Table
    from store import reports as store_reports

    db, info, aid = demo_week
    built, _ = build_weekly_report(db, settings(), WEEK, now=NOW)
    cells = [str(c) for b in built.doc.blocks if isinstance(b, Table) for r in b.rows for c in r]
    assert not [c for c in cells if "demo" in c.split(" – ")[-1].split(", ")], [c for c in cells if "demo" in c]
    assert any("Theo dõi thêm" in c for c in cells)  # the note itself is reported
    with db.read() as cur:
        f = store_reports.rapid_figures(cur, alert_id=aid)
    assert f["alert"]["assignee"] == "demo" and not f["alert"]["assignee_name"]
    mine = f["events"][f["events"]["username"] == "demo"]
    assert len(mine) == 2 and mine["display_name"].isna().all(), mine
    named = f["events"][~f["events"]["username"].isin(["demo", "system"])]
    assert named["display_name"].notna().all() and len(named) == len(named["display_name"].dropna())
    doc = build_rapid(f, settings(), "", NOW).doc
    text = " ".join([str(c) for b in doc.blocks if isinstance(b, Table) for r in b.rows for c in r]
                    + [str(getattr(b, "runs", "")) for b in doc.blocks])
    assert "demo" not in text, [c for c in text.split("'") if "demo" in c][:5]
