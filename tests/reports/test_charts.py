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
