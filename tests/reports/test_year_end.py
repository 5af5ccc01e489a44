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
from tests.conftest import database


def _paras(built) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.text for b in built.doc.blocks for r in getattr(b, "runs", [])]


def _build(db: Database, week: str, now: datetime):  # type: ignore[no-untyped-def]
    built, _ = build_weekly_report(db, settings(charts=False), week, now=now, proposals="")
    return built


def _text(built) -> str:  # type: ignore[no-untyped-def]
    return "\n".join([built.doc.subtitle, *_paras(built)])


def test_week_one_that_starts_in_december_is_named_by_its_iso_year(tmp_path):
    db = database(tmp_path / "empty.duckdb")
    built = _build(db, "2026-W01", datetime(2026, 2, 1))
    text = _text(built)
    assert "(Tuần 1/2026, từ ngày 29/12/2025 đến ngày 04/01/2026)" in text, text[:600]
    assert "tuần 1 năm 2026 của" in text and "Tuần 1/2025" not in text and "năm 2025 của" not in text
    built = _build(db, "2026-W53", datetime(2027, 1, 10))
    text = _text(built)
    assert "(Tuần 53/2026, từ ngày 28/12/2026 đến ngày 03/01/2027)" in text
    assert "tuần 53 năm 2026 của" in text
    # every XLSX sheet's subtitle names the week as the document does, not "Tuần 2026-W53"
    assert {sh.subtitle.split(" (")[0] for sh in built.sheets} == {"Tuần 53/2026"}, built.sheets[0].subtitle
    db.close()


def test_tables_and_charts_are_numbered_without_gaps(tmp_path, seeded):
    db, _ = seeded
    for built in (_build(database(tmp_path / "empty.duckdb"), "2026-W02", NOW),  # no stories, negatives, alerts
                  _build(db, WEEK, NOW)):
        if built.n_items == 0:  # an empty week says so in sentences: no table at all (test_reports3_walk)
            assert not [b for b in built.doc.blocks if isinstance(b, (Table, Image))]
            continue
        for kind, cls in (("Bảng", Table), ("Biểu đồ", Image)):
            nos = [int(m.group(1)) for b in built.doc.blocks if isinstance(b, cls)
                   if (m := re.match(rf"{kind} (\d+)\. ", b.caption))]
            assert nos == list(range(1, len(nos) + 1)), (kind, nos)
        assert any(isinstance(b, Table) and b.caption.startswith("Bảng 1. ") for b in built.doc.blocks)
        assert not [b.caption for b in built.doc.blocks if isinstance(b, Table) and "(0 " in b.caption]


def test_negative_items_name_places_briefly_as_the_stories_do(seeded):
    db, _ = seeded
    built = _build(db, WEEK, NOW)
    neg = next(b for b in built.doc.blocks if isinstance(b, Table) and "tiêu cực cần lưu ý" in b.caption)
    places = [row[4] for row in neg.rows]
    assert places and all(", nay " not in p and " cũ)" not in p for p in places), places
    assert any(p for p in places)


def test_a_watchlist_alert_of_the_week_is_in_section_v(tmp_path):
    """The demo's watchlist alert (Cảnh báo page, briefing, notification) was missing from the weekly report,
    whose section V said no alert had been raised that week."""
    from datetime import timedelta

    from reports.settings import week_period
    from store import alerts as store_alerts
    from vocab.alerts import NewAlert

    db = database(tmp_path / "w.duckdb")
    with db.write() as cur:
        store_alerts.raise_alert(cur, NewAlert.of("Theo dõi “Sạt lở bãi thải”: bãi thải than sạt", "high", "2 tin",
                                                  kind="watchlist", story_id="W4", item_ids=["a", "b"], n_items=2,
                                                  n_outlets=2),
                                 week_period(WEEK, NOW).window.start + timedelta(days=2))
    built = _build(db, WEEK, NOW)
    text = _text(built)
    assert "Trong tuần không phát sinh cảnh báo" not in text
    assert "phát sinh 1 cảnh báo (0 vấn đề mới nổi, 1 theo danh sách từ khóa theo dõi): " in text, text
    table = next(b for b in built.doc.blocks if isinstance(b, Table) and "Cảnh báo phát sinh" in b.caption)
    assert [r[1] for r in table.rows] == ["A000001"]
    assert built.sheets[0].rows[-2][:2] == ["Cảnh báo phát sinh", 1]
    db.close()


def test_the_first_item_of_a_rapid_report_quotes_a_post_on_one_line_as_written():
    """Round 10 walk-through: section I put a restored post title, then the same words unaccented, with a line
    break inside them."""
    from reports.rapid import first_summary

    title = "mưa to quá, đường lên Vàng Danh ngập hết rồi…"
    raw = "mua to qua, duong len vang danh\nngap het roi mn oi"
    assert first_summary(title, raw) == ". Nguyên văn: «mua to qua, duong len vang danh ngap het roi mn oi»"
    assert first_summary("Sạt lở bãi thải ở Vàng Danh", "Sáng nay,\n bùn đất  tràn xuống.") == \
        ". Sáng nay, bùn đất tràn xuống."
    assert first_summary("Tiêu đề", None) == "" and first_summary("Tiêu đề", " \n ") == ""


def test_the_rapid_report_of_a_watchlist_alert_whose_item_is_not_tagged_yet(tmp_path):
    """A watchlist matches an item whether or not it is tagged or grouped yet; its rapid report stopped on the
    untagged item's missing places (TypeError: 'NAType' object is not iterable)."""
    from datetime import timedelta

    from devtools.rows import make_item, tag_row
    from reports.rapid import build_rapid
    from store import alerts as store_alerts
    from store import reports as store_reports
    from store.items import insert_items
    from store.tags import save_tags
    from vocab.alerts import NewAlert

    db = database(tmp_path / "r.duckdb")
    t0 = datetime(2026, 11, 20, 3)
    with db.write() as cur:
        insert_items(cur, [make_item(url=f"https://x.example/{k}", title=t, summary=t, source="s", outlet="Báo X",
                                     source_type="press", published_at=t0, fetched_at=t0, item_id=k)
                           for k, t in (("i0", "Sạt lở bãi thải than ở Vàng Danh"), ("i1", "Bãi thải than sạt"))])
        save_tags(cur, [tag_row("i0", topics=["disaster"], sentiment="negative", in_area=True,
                                places=["phường Vàng Danh"], folded="x", model_version="t")])
        aid = store_alerts.raise_alert(cur, NewAlert.of("Theo dõi “Sạt lở”: bãi thải", "high", "2 tin",
                                                        kind="watchlist", story_id="W4", item_ids=["i0", "i1"],
                                                        n_items=2, n_outlets=1), t0 + timedelta(hours=1))
        f = store_reports.rapid_figures(cur, alert_id=aid)
    assert list(f["items"]["place_units"]) == [["phường Vàng Danh"], []]
    assert build_rapid(f, settings(charts=False), "", t0 + timedelta(hours=2)).n_items == 2
    db.close()
