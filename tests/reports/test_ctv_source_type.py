"""Collaborators' in-person reports (source type 'ctv', «CTV / trực tiếp») are counted apart wherever a report
or chart splits by source type: weekly Bảng 1, Bảng 6 and the overview sheet, the rapid report's section III,
and the charts. Small hand-made frames, no database."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from reports import charts as C
from reports import weekly as W
from reports.document import Para, Table
from reports.rapid import build_rapid
from reports.settings import week_period
from tests.reports.conftest import NOW, WEEK, settings

CTV = "CTV / trực tiếp"


def _week(now_n: int, prev_n: int) -> W._Week:
    return W._week({"scope_now": now_n, "scope_prev": prev_n}, settings(), week_period(WEEK, NOW), "", NOW)


def _cells(t: Table) -> list[list[str]]:
    return [[c if isinstance(c, str) else getattr(c, "text", str(c)) for c in row] for row in t.rows]


OUTLETS = pd.DataFrame([("press", "Báo Quảng Ninh", 5, 4), ("social", "Nhóm Uông Bí", 3, 1),
                        ("ctv", "Cộng tác viên DLXH", 2, 0)], columns=["source_type", "outlet", "n_now", "n_prev"])


def test_weekly_table1_and_text_count_ctv_apart():
    by_type = W._by_type(OUTLETS)
    assert by_type["ctv"] == (2, 0)
    part = W._section_sources(_week(10, 5), OUTLETS, by_type)
    text = " ".join(b.plain for b in part.blocks if isinstance(b, Para))
    assert f"{CTV} 2 tin" in text
    rows = _cells(next(b for b in part.blocks if isinstance(b, Table)))
    assert ["3", "Cộng tác viên DLXH", CTV, "2", "0", "mới"] in rows
    assert any(r[1] == f"Cộng {CTV}" and r[3] == "2" for r in rows)
    assert [r[1] for r in rows][-1] == "Tổng cộng"
    assert [CTV, 2, 0] == part.sheets[0].rows[2][2:]


def test_weekly_text_without_ctv_says_nothing_of_it():
    part = W._section_sources(_week(8, 5), OUTLETS[OUTLETS.source_type != "ctv"], W._by_type(OUTLETS.iloc[:2]))
    assert CTV not in " ".join(b.plain for b in part.blocks if isinstance(b, Para))


def test_weekly_overview_sheet_has_a_ctv_row():
    sheet = W._overview_sheet(_week(10, 5), "t", {"all_now": 20, "all_prev": 9}, W._by_type(OUTLETS), {}, 0, 0)
    assert [f"– {CTV}", 2, 0, "mới"] in sheet.rows


def test_weekly_daily_table_and_chart_split_ctv_and_add_up():
    w = _week(10, 5)
    d0 = w.p.days()[0]
    daily = pd.DataFrame([(d0, "press", 5), (d0, "social", 3), (d0, "ctv", 2)], columns=["day", "source_type", "n"])
    part = W._section_daily(w, daily)
    t = next(b for b in part.blocks if isinstance(b, Table))
    assert [c.title for c in t.columns] == ["Ngày", "Báo chí", "Mạng xã hội", CTV, "Cộng"]
    assert _cells(t)[0][1:] == ["5", "3", "2", "10"]
    assert part.sheets[0].rows[0][1:] == [5, 3, 2, 10]
    assert [s[0] for s in part.figs["daily"].data["series"]] == ["Báo chí", "Mạng xã hội", CTV]
    # a week without in-person reports keeps the two columns
    part = W._section_daily(w, daily[daily.source_type != "ctv"])
    assert CTV not in [c.title for c in next(b for b in part.blocks if isinstance(b, Table)).columns]


def test_charts_ctv_series_and_line():
    days = [date(2026, 11, 16), date(2026, 11, 17)]
    assert len(C.daily_chart(days, [1, 2], [3, 4]).data["series"]) == 2
    assert C.daily_chart(days, [1, 2], [3, 4], [0, 1]).data["series"][2][0] == CTV
    t = [datetime(2026, 11, 16, h) for h in (1, 2, 3)]
    names = [ln[0] for ln in C.cumulative_chart(t, ["press", "ctv", "social"]).data["lines"]]
    assert names == ["Báo chí", "Mạng xã hội", CTV]
    assert C.to_png(C.daily_chart(days, [1, 2], [3, 4], [0, 1]))[:4] == b"\x89PNG"


def test_rapid_section_iii_counts_ctv_apart():
    t0 = datetime(2026, 11, 20, 1)
    items = pd.DataFrame([
        dict(id=f"i{k}", published_at=t0 + pd.Timedelta(hours=k), outlet=o, source_type=st, title=f"Tin {k}", url=u,
             summary="", sentiment="negative", n_sources=1, place_units=[], topics=[])
        for k, (o, st, u) in enumerate([("Báo Quảng Ninh", "press", "https://baoquangninh.vn/a"),
                                        ("Nhóm Uông Bí", "social", "https://facebook.com/x"),
                                        ("Cộng tác viên DLXH", "ctv", "")])])
    events = pd.DataFrame(columns=["at", "username", "display_name", "action", "from_state", "to_state", "note"])
    f = {"alert": None, "story": {"title": "Bụi than ở Vàng Danh"}, "items": items, "events": events}
    built = build_rapid(f, settings(), "", NOW)
    paras = [b.plain for b in built.doc.blocks if isinstance(b, Para)]
    iii = next(p for p in paras if p.startswith("Báo chí: "))
    assert "Báo chí: 1 tin, bài; mạng xã hội: 1 bài đăng; CTV / trực tiếp: 1 tin" in iii
    assert [ln[0] for ln in built.figs["timeline"].data["lines"]] == ["Báo chí", "Mạng xã hội", CTV]


def test_an_in_person_report_says_it_has_no_link():
    assert W._link_text("urn:langnghe:collab:abc") == W._link_cell("urn:langnghe:collab:abc") == "không có liên kết"
    assert W._link_text("https://baoquangninh.vn/a.html").replace(W.ZWSP, "").replace(W.WJ, "") == "baoquangninh.vn/a.html"
    assert W._link_cell("https://baoquangninh.vn/a.html").url == "https://baoquangninh.vn/a.html"
