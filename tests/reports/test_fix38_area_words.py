"""fix38 (review36's optional findings on the office's area): a province written in lower case is not doubled, and
the scheduled report's push names the area as the report's own title does."""

from __future__ import annotations

from datetime import datetime

import pytest

from reports import schedule
from reports.settings import ReportSettings
from store import reports as store_reports
from tests.conftest import database, make_config
from tests.reports.conftest import WEEK


def office(tmp_path, area: dict, **reports) -> ReportSettings:  # type: ignore[no-untyped-def]
    return ReportSettings.from_config(make_config(tmp_path, area=area), charts=False, **reports)


@pytest.mark.parametrize("province,whole,parent", [
    ("tỉnh Nghệ An", "tỉnh Nghệ An", "Tỉnh ủy Nghệ An"),
    ("TỈNH Nghệ An", "tỉnh Nghệ An", "Tỉnh ủy Nghệ An"),
    ("Tỉnh Nghệ An", "tỉnh Nghệ An", "Tỉnh ủy Nghệ An"),
    ("Nghệ An", "tỉnh Nghệ An", "Tỉnh ủy Nghệ An"),
    ("thành phố Hải Phòng", "thành phố Hải Phòng", "Thành ủy Hải Phòng"),
    ("TP. Hải Phòng", "thành phố Hải Phòng", "Thành ủy Hải Phòng"),
])
def test_the_provinces_unit_word_is_stripped_whatever_its_case(tmp_path, province, whole, parent):
    s = office(tmp_path, {"province": province, "name": "phường Trường Vinh", "focus": "Vinh Phú"})
    assert s.area_title("") == whole             # «tỉnh tỉnh Nghệ An» before fix38
    assert s.parent_body.startswith(parent)


@pytest.mark.parametrize("area,title", [
    ({"province": "Hải Phòng", "name": "phường Hồng Bàng", "focus": "Vinh Phú"}, "thành phố Hải Phòng"),  # not «toàn tỉnh»
    ({"province": "Nghệ An", "name": "phường Trường Vinh", "focus": "Trường Vinh"}, "phường Trường Vinh"),
    ({"province": "Quảng Ninh", "name": "tỉnh Quảng Ninh", "focus": "Uông Bí"}, "tỉnh Quảng Ninh"),
])
def test_the_scheduled_push_names_the_area_as_the_reports_title(tmp_path, monkeypatch, area, title):
    notes: list[str] = []

    def archive(db_, s, week, *, area, generated_by, now, late=None, then=None):  # type: ignore[no-untyped-def]
        res = schedule.Result(files={"docx": tmp_path / "x.docx"}, n_items=3)
        with db_.write() as cur:
            store_reports.add_archive(cur, kind="weekly", period=week, area=area, generated_at=now,
                                      generated_by=generated_by, dir=str(tmp_path), files=["x.docx"], n_items=3,
                                      seconds=1.0, late=late)
            then(cur, res)
        return res

    monkeypatch.setattr(schedule, "archive_weekly", archive)
    monkeypatch.setattr(schedule.store_notify, "enqueue_note", lambda cur, key, note, *a: notes.append(note))
    s = office(tmp_path, area, schedule_weekday=5, schedule_time="16:00", schedule_areas=("",), schedule_notify=True)
    db = database(tmp_path / "s.duckdb")
    with db.write() as cur:  # the installation ran the week before
        store_reports.add_archive(cur, kind="weekly", period="2026-W46", area="", generated_at=datetime(2026, 11, 13, 9),
                                  generated_by="schedule", dir=str(tmp_path), files=[], n_items=0, seconds=1.0)
    schedule.weekly_hook(None, db, settings=s, clock=lambda: datetime(2026, 11, 20, 9, 1))()  # type: ignore[arg-type]
    assert len(notes) == 1 and f"(16/11–22/11/2026), {title}, đã tạo xong" in notes[0], notes
    assert s.area_title(s.report_area(None)) == title
