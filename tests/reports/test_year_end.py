"""Round 10 walk-through: the weekly report around the year end (ISO week 53 of 2026, week 1 of 2026 that
starts in 2025), tables and charts numbered without gaps when a section has nothing, and Bảng 7's places
as brief as Bảng 3's. Built without files (build_weekly_report), so the tests stay fast."""

from __future__ import annotations

import re
from datetime import datetime

from reports.document import Image, Table
from reports.generate import build_weekly_report
from store.db import Database
from tests.reports.conftest import NOW, WEEK, settings


def _paras(built) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.text for b in built.doc.blocks for r in getattr(b, "runs", [])]


def _build(db: Database, week: str, now: datetime):  # type: ignore[no-untyped-def]
    built, _ = build_weekly_report(db, settings(charts=False), week, now=now, proposals="")
    return built


def _text(built) -> str:  # type: ignore[no-untyped-def]
    return "\n".join([built.doc.subtitle, *_paras(built)])


def test_week_one_that_starts_in_december_is_named_by_its_iso_year(tmp_path):
    db = Database(tmp_path / "empty.duckdb")
    built = _build(db, "2026-W01", datetime(2026, 2, 1))
    text = _text(built)
    assert "(Tuần 1/2026, từ ngày 29/12/2025 đến ngày 04/01/2026)" in text, text[:600]
    assert "tuần 1 năm 2026 của" in text and "Tuần 1/2025" not in text and "năm 2025 của" not in text
    built = _build(db, "2026-W53", datetime(2027, 1, 10))
    text = _text(built)
    assert "(Tuần 53/2026, từ ngày 28/12/2026 đến ngày 03/01/2027)" in text
    assert "tuần 53 năm 2026 của" in text
    db.close()


def test_tables_and_charts_are_numbered_without_gaps(tmp_path, seeded):
    db, _ = seeded
    for built in (_build(Database(tmp_path / "empty.duckdb"), "2026-W02", NOW),  # no stories, negatives, alerts
                  _build(db, WEEK, NOW)):
        for kind, cls in (("Bảng", Table), ("Biểu đồ", Image)):
            nos = [int(m.group(1)) for b in built.doc.blocks if isinstance(b, cls)
                   if (m := re.match(rf"{kind} (\d+)\. ", b.caption))]
            assert nos == list(range(1, len(nos) + 1)), (kind, nos)
        assert any(isinstance(b, Table) and b.caption.startswith("Bảng 1. ") for b in built.doc.blocks)


def test_negative_items_name_places_briefly_as_the_stories_do(seeded):
    db, _ = seeded
    built = _build(db, WEEK, NOW)
    neg = next(b for b in built.doc.blocks if isinstance(b, Table) and "tiêu cực cần lưu ý" in b.caption)
    places = [row[4] for row in neg.rows]
    assert places and all(", nay " not in p and " cũ)" not in p for p in places), places
    assert any(p for p in places)
