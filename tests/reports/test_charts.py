"""Report charts: every kind draws a PNG without a browser, including the empty and lopsided cases."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from reports import charts as C

PNG = b"\x89PNG\r\n\x1a\n"
T0 = datetime(2026, 11, 20, 6, 0)


@pytest.mark.parametrize("chart", [
    C.daily_chart([date(2026, 11, 16) + timedelta(days=k) for k in range(7)], [2215, 0, 5, 7, 8, 9, 1],
                  [1383, 3, 0, 4, 5, 6, 7]),
    C.hbar_chart(["Môi trường, tài nguyên", "phường Vàng Danh (TP Uông Bí cũ)" * 3], [5312, 12], [3700, 40]),
    C.hbar_chart(["Ủy ban nhân dân"], [7]),
    C.sentiment_chart(["Tiêu cực", "Trung tính", "Tích cực"], ["negative", "neutral", "positive"], [5, 0, 2]),
    C.sentiment_chart(["Tiêu cực"], ["negative"], [0]),  # nothing to share out: says so
    C.cumulative_chart([T0 + timedelta(minutes=13 * k) for k in range(5)], ["press", "social", "press", "social", "x"]),
    C.cumulative_chart([], []),
], ids=["daily", "hbars-prev", "hbars", "donut", "donut-empty", "steps", "steps-empty"])
def test_every_kind_draws_a_png(chart):
    png = C.to_png(chart)
    assert png.startswith(PNG) and len(png) > 2000


def test_renderer_draws_in_a_thread_and_reports_failures():
    ok = C.render({"a": C.hbar_chart(["x"], [1]), "b": C.sentiment_chart(["Tiêu cực"], ["negative"], [3])})
    assert set(ok[0]) == {"a", "b"} and ok[1] is None
    pngs, err = C.render({"bad": C.Chart("no-such-kind")})
    assert pngs == {} and err and "lỗi khi vẽ biểu đồ" in err
    assert C.render({}) == ({}, None)


def test_vietnamese_thousands():
    assert C._vn(5312) == "5.312" and C._vn(12) == "12" and C._vn(1234567.0) == "1.234.567"


def test_a_report_whose_query_fails_leaves_no_chart_thread_behind(tmp_path, monkeypatch):
    """The chart thread starts before the query (its matplotlib import overlaps it); a missing story left it
    importing behind the KeyError, and in the tests' process it changed `sys.modules` under a fixture two tests
    later (CI stop 44). `Renderer.cancel` joins it. The stand-in `_setup` is an import that ends half a second after
    the report gives up on its charts (a pause that starts then, not before the query: a slow query under load hid
    the leak)."""
    import threading
    import time

    from reports import rapid_report
    from tests.conftest import database
    from tests.reports.conftest import settings

    told = threading.Event()
    real_draw = C.Renderer.draw
    monkeypatch.setattr(C.Renderer, "draw", lambda self, charts: (told.set(), real_draw(self, charts)))
    monkeypatch.setattr(C, "_setup", lambda: (told.wait(30), time.sleep(0.5)))
    db = database(tmp_path / "r.duckdb")
    try:
        with pytest.raises(KeyError):
            rapid_report(db, settings(charts=True), tmp_path / "out", story_id="9", formats=("docx",))
    finally:
        db.close()
    assert not [t for t in threading.enumerate() if t.name == "report-charts"]
