"""fix37 (ux41's find): a ward or district office's reports say the area they count.

An office with `[area] name = "phường Trường Vinh"`, `focus = "Trường Vinh"` got, on Báo cáo, «Địa bàn» on «Toàn
tỉnh», and `schedule_areas = [""]` made Friday's report of the whole province; both were titled «… phản ánh về phường
Trường Vinh» and counted all of Nghệ An. Now a report of the whole province is titled with the province, and an
office whose name names its focus reports on the focus by default: one rule (`ReportSettings.report_area`) for the
page, `langnghe report weekly` and the schedule. Here a ward office of the seeded Quảng Ninh week: «phường Vàng Danh»."""

from __future__ import annotations

from datetime import datetime

import docx
import pytest

from langnghe.cli import main
from devtools.sample_reports import seed_week
from reports import schedule
from reports.generate import Result, build_weekly_report
from reports.settings import ReportSettings
from store import reports as store_reports
from tests.conftest import database, make_config
from tests.reports.conftest import NOW, WEEK

WARD = {"province": "Quảng Ninh", "name": "phường Vàng Danh", "focus": "Vàng Danh"}


def office(tmp_path, area: dict | None = None, **reports) -> ReportSettings:  # type: ignore[no-untyped-def]
    cfg = make_config(tmp_path, area=area) if area else make_config(tmp_path)
    return ReportSettings.from_config(cfg, charts=False, **reports)


@pytest.mark.parametrize("area,whole,own,own_title,parent", [
    # the province's own office: as before (the shipped defaults; Hải Phòng's README example)
    (None, "tỉnh Quảng Ninh", "", "tỉnh Quảng Ninh", "Tỉnh ủy Quảng Ninh"),
    ({"province": "Hải Phòng", "name": "thành phố Hải Phòng", "focus": "Hải Dương"},
     "thành phố Hải Phòng", "", "thành phố Hải Phòng", "Thành ủy Hải Phòng"),
    ({"province": "Quảng Ninh", "name": "Tỉnh Quảng Ninh", "focus": "Uông Bí"},
     "Tỉnh Quảng Ninh", "", "Tỉnh Quảng Ninh", "Tỉnh ủy Quảng Ninh"),
    # a ward's office (ux41's), folded and unit words aside; a ward of a city under the centre is under its Thành ủy
    ({"province": "Nghệ An", "name": "phường Trường Vinh", "focus": "Trường Vinh"},
     "tỉnh Nghệ An", "Trường Vinh", "phường Trường Vinh", "Tỉnh ủy Nghệ An"),
    ({"province": "Nghệ An", "name": "Phường TRƯỜNG VINH", "focus": "phường Trường Vinh"},
     "tỉnh Nghệ An", "phường Trường Vinh", "Phường TRƯỜNG VINH", "Tỉnh ủy Nghệ An"),
    ({"province": "Hải Phòng", "name": "phường Hồng Bàng", "focus": "Hồng Bàng"},
     "thành phố Hải Phòng", "Hồng Bàng", "phường Hồng Bàng", "Thành ủy Hải Phòng"),
    # «quận» is a unit word only with its marks: «Quan Hoa» keeps its «Quan»
    ({"province": "Hà Nội", "name": "phường Quan Hoa", "focus": "Quan Hoa"},
     "thành phố Hà Nội", "Quan Hoa", "phường Quan Hoa", "Thành ủy Hà Nội"),
    # a mismatch: the name names neither; the whole province by its own name, never the office's
    ({"province": "Nghệ An", "name": "phường Trường Vinh", "focus": "Vinh Phú"},
     "tỉnh Nghệ An", "", "tỉnh Nghệ An", "Tỉnh ủy Nghệ An"),
    ({"province": "Quảng Ninh", "name": "thành phố Uông Bí", "focus": ""},
     "tỉnh Quảng Ninh", "", "tỉnh Quảng Ninh", "Tỉnh ủy Quảng Ninh"),
])
def test_the_title_names_the_area_counted_for_each_kind_of_office(tmp_path, area, whole, own, own_title, parent):
    s = office(tmp_path, area)
    assert s.area_title("") == whole             # a report of the whole province
    assert s.report_area(None) == s.report_area("") == own   # the office's own area: Báo cáo, CLI, schedule
    assert s.area_title(s.report_area(None)) == own_title
    assert s.scheduled_areas() == (own,)         # schedule_areas' default [""]
    assert s.report_area("Toàn tỉnh") == s.report_area(" toan  TINH ") == ""   # the whole province, said
    assert s.report_area(" Cẩm Phả ") == "Cẩm Phả" and s.area_title("Cẩm Phả") == "Cẩm Phả"
    assert s.parent_body == parent


def test_an_explicit_schedule_list_is_kept_and_area_label_still_titles_the_whole_province(tmp_path):
    s = office(tmp_path, WARD, schedule_areas=("Vàng Danh", "toàn tỉnh", "", "Yên Tử"))
    assert s.scheduled_areas() == ("Vàng Danh", "", "Yên Tử")   # "" is the office's own, made once
    s = office(tmp_path, WARD, area_label="địa bàn tỉnh Quảng Ninh")
    assert s.area_title("") == "địa bàn tỉnh Quảng Ninh" and s.area_title("Vàng Danh") == "phường Vàng Danh"


def test_a_ward_office_s_whole_province_report_is_titled_with_the_province(seeded, tmp_path):
    """The report of «Toàn tỉnh» counts every item of the province: its title named the ward office (ux41)."""
    db, _ = seeded
    s = office(tmp_path, WARD)
    whole, _ = build_weekly_report(db, s, WEEK, "", now=NOW, proposals="")
    assert whole.doc.title[-1] == "phản ánh về tỉnh Quảng Ninh"   # «phường Vàng Danh» before
    assert whole.doc.meta_title.endswith("tuần 47/2026 – tỉnh Quảng Ninh")
    ward, _ = build_weekly_report(db, s, WEEK, s.report_area(None), now=NOW, proposals="")
    assert ward.doc.title[-1] == "phản ánh về phường Vàng Danh"
    assert 0 < ward.n_items < whole.n_items
    # the ward's report counts what a report of «Vàng Danh» counts, the office's name aside
    qn, _ = build_weekly_report(db, office(tmp_path), WEEK, "Vàng Danh", now=NOW, proposals="")
    assert qn.n_items == ward.n_items and qn.doc.title[-1] == "phản ánh về Vàng Danh"


def test_the_cli_takes_the_office_s_area_as_the_page_does(tmp_path, capsys):
    path = tmp_path / "small.duckdb"
    db = database(path)
    seed_week(db, WEEK, n_items=80, n_stories=2, n_alerts=2, seed=11)
    db.close()
    conf = tmp_path / "phuong.toml"
    conf.write_text('[area]\nprovince = "Quảng Ninh"\nname = "phường Vàng Danh"\nfocus = "Vàng Danh"\n',
                    encoding="utf-8")
    out = tmp_path / "out"
    args = ["--config", str(conf), "report", "weekly", "--week", WEEK, "--db", str(path), "--out", str(out),
            "--no-charts", "--format", "docx"]
    assert main(args) == 0
    ward = "\n".join(p.text for p in docx.Document(str(out / f"bao-cao-tuan-{WEEK}-vang-danh.docx")).paragraphs)
    assert "phản ánh về phường Vàng Danh" in ward and "tỉnh Quảng Ninh" not in ward.split("I- TỔNG QUAN")[0]
    said = capsys.readouterr().err
    assert main([*args, "--area", "toàn tỉnh"]) == 0
    whole = "\n".join(p.text for p in docx.Document(str(out / f"bao-cao-tuan-{WEEK}.docx")).paragraphs)
    assert "phản ánh về tỉnh Quảng Ninh" in whole and "phường Vàng Danh" not in whole.split("I- TỔNG QUAN")[0]
    db = database(path)
    try:  # the ward's items, as the page's report of its default area counts them
        built, _ = build_weekly_report(db, office(tmp_path, WARD), WEEK, "Vàng Danh", now=NOW)
    finally:
        db.close()
    assert 0 < built.n_items and f"{built.n_items} tin, bài trong phụ lục" in said


def test_the_schedule_makes_the_ward_office_s_report_of_its_ward(tmp_path, monkeypatch):
    made: list[str] = []

    def archive(db_, s, week, *, area, generated_by, now, late=None, then=None):  # type: ignore[no-untyped-def]
        made.append(area)
        with db_.write() as cur:
            store_reports.add_archive(cur, kind="weekly", period=week, area=area, generated_at=now,
                                      generated_by=generated_by, dir=str(tmp_path), files=[], n_items=0, seconds=1.0,
                                      late=late)
        return Result(files={"docx": tmp_path / "x.docx"}, n_items=0)

    monkeypatch.setattr(schedule, "archive_weekly", archive)
    db = database(tmp_path / "t.duckdb")
    with db.write() as cur:  # the server ran last week: nothing to catch up
        store_reports.add_archive(cur, kind="weekly", period="2026-W46", area="Vàng Danh",
                                  generated_at=datetime(2026, 11, 13, 9), generated_by="schedule", dir=str(tmp_path),
                                  files=[], n_items=0, seconds=1.0)
    s = office(tmp_path, WARD, schedule_weekday=5, schedule_time="16:00", schedule_areas=("",), schedule_notify=False)
    schedule.weekly_hook(None, db, settings=s, clock=lambda: datetime(2026, 11, 20, 9, 1))()  # type: ignore[arg-type]
    assert made == ["Vàng Danh"]
    with db.read() as cur:
        assert store_reports.archived(cur, "weekly", WEEK, "Vàng Danh")
    db.close()


@pytest.mark.usefixtures("stopped_dashboard_clock")
@pytest.mark.parametrize("area,pick", [(WARD, "Vàng Danh"), (None, "Toàn tỉnh")])
def test_bao_cao_opens_on_the_office_s_area(tmp_path, area, pick):
    """Báo cáo's «Địa bàn» opened on «Toàn tỉnh» for the ward office, under its ward's title (ux41); the province's
    own office keeps «Toàn tỉnh»."""
    from reports.generate import weekly_key
    from reports.settings import report_week
    from dashboard import data as page_data
    from tests.dashboard.conftest import Env, no_exception

    e = Env(tmp_path, **({"area": area} if area else {}), reports={"charts": False,
                                                                     "archive_dir": str(tmp_path / "archive")})
    e.add_users()
    try:
        at = e.page("reports", "analyst").run()
        no_exception(at)
        box = at.selectbox(key="rep_area_pick")
        assert box.value == pick
        assert ("Mặc định là Vàng Danh, địa bàn của cơ quan." in box.proto.help) == (area is not None)
        # the proposals box and the report made are the area's: the same key as the CLI's and the schedule's
        week = report_week(page_data.now())
        at.text_area(key=f"rep_text_{weekly_key(week, pick if area else '')}")
    finally:
        e.close()
