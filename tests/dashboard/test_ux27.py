"""Round 26's second staff walk (ux27), in AppTest: a new office's first collection is no usual level (Tổng quan and
Nguồn tin said «-100%» on the first day), the empty rapid-report tab, Tin bài's sort, a case's opening event, the
grids' blank cells and the import's confirmation."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pandas as pd
import pytest

from collectors.textutil import canonical_url, content_hash, sha1
from dashboard import clock
from store import items as store_items
from tests.dashboard.conftest import DEMO_SOURCES, no_exception, texts
from vocab.item import Item

NOW = datetime(2026, 12, 7, 5, 0)  # 12:00 in Vietnam
SOURCE = DEMO_SOURCES[0]["name"]


def _item(n: int, published: datetime, fetched: datetime) -> Item:
    url = f"https://bao.vn/tin-{n}"
    canon = canonical_url(url)
    title = f"Tin số {n} về Uông Bí"
    return Item(id=sha1(canon), source=SOURCE, collector="rss", source_type="press", outlet="Báo",
                url=url, canonical_url=canon, title=title, summary="tóm tắt", published_at=published,
                published_estimated=False, fetched_at=fetched, content_hash=content_hash(title, "tóm tắt", canon))


def _collect(env, fetched: datetime, n: int = 12) -> None:
    """`n` items published over the three days before yesterday's end, as one collection at `fetched` reads them."""
    items = [_item(k, NOW - timedelta(hours=20 + 5 * k), fetched) for k in range(n)]
    with env.db.write() as cur:
        store_items.insert_items(cur, items)


@pytest.fixture
def at_noon(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


# --- 1a: the usual level of a new office -----------------------------------------------------------------------------

def test_a_first_collections_backlog_is_no_usual_level_on_the_overview(env, at_noon):
    """After a new office's first collection Tổng quan read «Tin hôm nay 0 ↓ -100% so với TB 3,1 tin»: the usual
    level was one read of the feeds' backlog (round 26). Until a whole day is collected there is no comparison, said
    in words with the time collection began."""
    _collect(env, NOW - timedelta(hours=1))
    at = env.page("overview", "viewer").run()
    no_exception(at)
    assert not any("%" in str(m.proto.delta) for m in at.metric), [m.proto.delta for m in at.metric]
    assert "So với thường lệ: chưa đủ dữ liệu để so sánh (mới thu thập từ 07/12/2026 11:00)" in texts(at)


def test_the_overview_compares_with_the_days_collected_once_there_is_one(env, at_noon):
    """Three days in, the usual level is the mean of the whole days collected, not of 28 (nor of the backlog's)."""
    _collect(env, NOW - timedelta(days=3))
    at = env.page("overview", "viewer").run()
    no_exception(at)
    national = next(m for m in at.metric if m.label == "Toàn quốc hôm nay")
    # 2 whole days collected (from 12:00 on the 4th to the 7th's midnight); 6 items in those days' first 12 hours
    # (over 28 days, with the backlog's before them: 7 / 28 = 0,25)
    assert national.proto.delta == "-100% so với TB 3 tin", national.proto.delta
    assert "chưa đủ dữ liệu" not in texts(at)


def test_a_new_sources_backlog_is_no_usual_level_on_sources(env, at_noon):
    """Nguồn tin's «So với thường lệ» read «-100%» for the same reason; the source has not been collected a whole
    day before the last 24 h: «chưa đủ dữ liệu», its «TB/ngày» «—», and a caption says since when."""
    _collect(env, NOW - timedelta(hours=1))
    at = env.page("sources", "viewer").run()
    no_exception(at)
    health = at.dataframe[0].value
    row = health[health["Nguồn"] == SOURCE].iloc[0]
    assert row["So với thường lệ"] == "chưa đủ dữ liệu" and pd.isna(row["TB/ngày"]), row
    others = health[health["Nguồn"] != SOURCE]
    assert set(others["So với thường lệ"]) <= {"—"}, set(others["So với thường lệ"])  # never ran: nothing to compare
    assert ("«So với thường lệ» của 1 nguồn: chưa đủ dữ liệu để so sánh (mới thu thập từ 07/12/2026 11:00)"
            in texts(at))


def test_a_source_collected_for_days_is_compared_with_those_days(env, at_noon):
    _collect(env, NOW - timedelta(days=3))
    at = env.page("sources", "viewer").run()
    no_exception(at)
    health = at.dataframe[0].value
    row = health[health["Nguồn"] == SOURCE].iloc[0]
    # the last 24 h: 1 item (20 h ago); the 2 whole days collected before them: 10 items (25 to 70 h before now)
    assert row["TB/ngày"] == 5 and row["So với thường lệ"] == "-80%", (row["So với thường lệ"], row["TB/ngày"])
    assert "chưa đủ dữ liệu" not in texts(at)


# --- 1b: the empty rapid-report tab ----------------------------------------------------------------------------------

def test_the_empty_rapid_report_tab_says_a_report_is_made_from_an_alert_and_where(env):
    """«Chưa có cảnh báo nào để lập báo cáo nhanh.» did not say that a rapid report is made for an alert, here or
    with «Tạo báo cáo nhanh» on Cảnh báo (round 26)."""
    at = env.page("reports", "viewer").run()
    no_exception(at)
    body = texts(at)
    assert "Báo cáo nhanh được lập cho một cảnh báo" in body
    assert "trang Cảnh báo và bấm «Tạo báo cáo nhanh»" in body


# --- 1c: Tin bài's sort without a search -----------------------------------------------------------------------------

def test_the_sort_box_without_a_search_says_newest_first_and_why(demo_env):
    """«Sắp xếp» was greyed out on «Phù hợp nhất» until something was searched, with no hint why, while the list was
    newest first (round 26). Without a search it reads «Mới nhất», and its help says relevance needs a search;
    a pick made for a search comes back with the search."""
    at = demo_env.page("explorer", "viewer").run()
    no_exception(at)
    box = next(b for b in at.selectbox if b.label == "Sắp xếp")
    assert box.disabled and box.value == "Mới nhất", (box.disabled, box.value)
    assert "chỉ có nghĩa khi tìm" in box.help and "mới nhất trước" in box.help
    at.text_input(key="x_query").set_value("than").run()
    box = at.selectbox(key="x_order")
    assert not box.disabled and box.value == "Phù hợp nhất"
    box.set_value("Mới nhất").run()
    at.text_input(key="x_query").set_value("").run()
    at.text_input(key="x_query").set_value("bụi").run()
    no_exception(at)
    assert at.selectbox(key="x_order").value == "Mới nhất"


# --- 1d, 1e: Phản ánh's history and queue, blank cells ---------------------------------------------------------------

def _blank_cells(df: pd.DataFrame) -> list[str]:
    """The columns with an empty-text cell: drawn blank, where a missing value reads «—» (ui.MISSING)."""
    return [c for c in df.columns if any(isinstance(v, str) and not v.strip() for v in df[c])]


def test_a_cases_opening_event_names_who_opened_it_and_no_history_cell_is_blank(env):
    """A case's history showed a blank «Người thực hiện» for the opening event (recorded as «hệ thống», no account),
    and a blank «Sang» for a note (round 26). The opening row names the system and the channel; a cell with nothing
    to say reads «—»."""
    from tests.dashboard.test_ux26 import note_on_a_new_case

    at, _new = note_on_a_new_case(env)
    hist = next(d.value for d in at.dataframe if "Người thực hiện" in d.value.columns)
    opened = hist[hist["Thao tác"] == "Tiếp nhận"].iloc[0]
    assert opened["Người thực hiện"] == "Hệ thống (từ Tệp nhập)", list(hist["Người thực hiện"])
    assert "Cán bộ chuyenvien" in list(hist["Người thực hiện"])
    assert not _blank_cells(hist), hist.to_dict("records")


def test_the_case_queue_fits_a_1366_px_desk_with_its_times(env):
    """At 1366 px the queue's last column «Nhận lúc» was cut at the right (round 26): each column has its pixels, all
    within the page, both times whole («06/12/26 09:30»), rows of two lines; an unassigned case reads «—»."""
    import json

    from dashboard.views.cases import QUEUE_WIDTHS
    from tests.dashboard.test_cases_page import seed
    from tests.dashboard.test_pages import _fits_the_desk

    env.add_users()
    seed(env)
    at = env.page("cases", "viewer").run()
    no_exception(at)
    grid = next(d for d in at.dataframe if "Số" in d.value.columns)
    assert _fits_the_desk(grid) == list(grid.value.columns) == list(QUEUE_WIDTHS)
    cols = json.loads(grid.proto.columns)
    assert cols["Nhận lúc"]["width"] >= 120 and cols["Nhận lúc"]["type_config"]["format"] == "DD/MM/YY HH:mm"
    assert grid.proto.row_height > 64
    assert not _blank_cells(grid.value.drop(columns=["Quá hạn"])), grid.value.to_dict("records")  # a flag: blank is «no»


def test_a_source_without_an_error_reads_a_dash_not_a_blank_cell(env):
    """Nguồn tin's «Lỗi gần nhất» was an empty cell for a source without an error (an empty text, which the grid's «—»
    placeholder does not cover)."""
    at = env.page("sources", "viewer").run()
    no_exception(at)
    health = at.dataframe[0].value
    assert len(health) and health["Lỗi gần nhất"].isna().all(), list(health["Lỗi gần nhất"])
    assert not _blank_cells(health), [c for c in _blank_cells(health)]


def test_an_alerts_history_and_the_briefing_have_no_blank_cells(demo_env):
    """The other grids with people, states and notes: a step by the system, a step without a note or a state, an
    alert nobody was given read «—», not a blank cell (round 26)."""
    at = demo_env.page("alerts", "admin").run()
    no_exception(at)
    hist = next(d.value for d in at.dataframe if "Người thực hiện" in d.value.columns)
    assert len(hist) and not _blank_cells(hist), hist.to_dict("records")
    assert not _blank_cells(at.dataframe[0].value)
    at = demo_env.page("briefing", "viewer").run()
    no_exception(at)
    for grid in at.dataframe:
        assert not _blank_cells(grid.value.drop(columns=["Xử lý trong kỳ"], errors="ignore")), list(grid.value.columns)


# --- 1f: Nhập dữ liệu's confirmation when the page stops early -------------------------------------------------------

def test_an_import_is_confirmed_when_the_next_run_stops_before_the_button(tmp_path, monkeypatch):
    """«Đã nhập …» is drawn under «Nhập N mục»; the run after the import returned before the button when the source
    name was refused by then (a source of that name added on Nguồn tin meanwhile), and the import was never
    confirmed (round 26). It is said where that run stopped, under the refusal."""
    from orchestration import imports as importer, ingest
    from collectors.imports import ImportFormatError
    from tests.dashboard.conftest import Env
    from tests.dashboard.test_ux24 import XLSX_ROWS, _xlsx

    monkeypatch.setattr(ingest, "processor", lambda *_a, **_k: None)  # what is said, not what is tagged
    env = Env(tmp_path)
    check = importer.check_source_name
    imported = [False]

    def taken_after_the_import(cfg, db, name):  # type: ignore[no-untyped-def]
        if imported[0]:
            raise ImportFormatError(f"«{name}» đã là tên của một nguồn tin đang thu thập.")
        check(cfg, db, name)

    monkeypatch.setattr(importer, "check_source_name", taken_after_the_import)
    real_import = importer.import_file

    def import_file(*a, **k):  # type: ignore[no-untyped-def]
        out = real_import(*a, **k)
        imported[0] = True
        return out

    monkeypatch.setattr(importer, "import_file", import_file)
    try:
        at = env.page("imports", "analyst").run()
        at.file_uploader(key="imp_file").set_value(("xuat-nhom.xlsx", _xlsx(XLSX_ROWS), "application/octet-stream")).run()
        at.button(key="imp_go").click().run()
        no_exception(at)
        assert [e.value for e in at.error][0].startswith("Tên nguồn chưa dùng được")
        assert len(at.success) == 1 and at.success[0].value.startswith("Đã nhập"), [s.value for s in at.success]
    finally:
        env.close()


def test_todays_figures_the_nlp_decides_read_a_dash_while_todays_items_wait_for_it(env, at_noon):
    """«Tin hôm nay» (the area) and «Tin tiêu cực hôm nay» need the NLP's tags: «—» with why while today's items are
    untagged; «Toàn quốc hôm nay» counts them already (one helper draws the three since round 28)."""
    with env.db.write() as cur:
        store_items.insert_items(cur, [_item(k, NOW - timedelta(hours=1 + k), NOW) for k in range(3)])
    at = env.page("overview", "viewer").run()
    no_exception(at)
    figures = {m.label: m for m in at.metric}
    assert figures["Tin hôm nay"].value == "—" and "để biết tin nào về địa bàn" in figures["Tin hôm nay"].help
    assert figures["Tin tiêu cực hôm nay"].value == "—" and "NLP" in figures["Tin tiêu cực hôm nay"].help
    assert figures["Toàn quốc hôm nay"].value == "3" and "Mọi tin từ 0 giờ hôm nay" in figures["Toàn quốc hôm nay"].help
