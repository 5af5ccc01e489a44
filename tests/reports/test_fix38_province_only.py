"""fix38 (review36): since ux42 a province is no row of Bảng 5 (no 2025 unit), right; but the items that name only
the province then counted under no row, and Quảng Ninh's report said nothing of them. A line under the table (and
on its sheet) says how many."""

from __future__ import annotations

import json

from reports.generate import build_weekly_report
from reports.settings import week_period
from store import reports as R
from tests.reports.conftest import NOW, WEEK, db_scope, settings


def _only_province(details: str | None) -> bool:
    entries = json.loads(details) if details else []
    return bool(entries) and all(e.get("level") == "province" for e in entries)


def test_items_naming_only_the_province_are_counted_under_bang_5(seeded):
    db, _ = seeded
    w = week_period(WEEK, NOW).window
    with db.read() as cur:
        f = R.topics_and_places(cur, w, None, top_places=20)
    # independent count: the week's in-area items whose place details are the province alone
    expected = sum(1 for r in db_scope(db)["rows"] if r[7] and len(r[6]) and _only_province(r[8]))
    assert f["places_province_only"] == expected > 0
    assert "Tỉnh Quảng Ninh" not in set(f["places"]["place"])  # still no row (ux42)
    built, _ = build_weekly_report(db, settings(charts=False), WEEK, now=NOW, proposals="")
    line = (f"Ghi chú: ngoài bảng còn {expected} tin, bài chỉ nêu chung tỉnh Quảng Ninh, không nêu đơn vị hành chính "
            f"cấp xã cụ thể.")
    paras = [r.text for b in built.doc.blocks for r in getattr(b, "runs", [])]
    assert line in paras
    assert [s.note for s in built.sheets if s.name == "Địa bàn"] == [line]
    # a report of one ward counts no item that names only the province: no line
    ward, _ = build_weekly_report(db, settings(charts=False), WEEK, "Vàng Danh", now=NOW, proposals="")
    assert not [t for b in ward.doc.blocks for r in getattr(b, "runs", []) if "chỉ nêu chung" in (t := r.text)]
