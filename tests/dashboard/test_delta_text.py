"""Tổng quan's «so với TB …» (dash6's walk): the usual level with its unit and Vietnamese digits."""

from __future__ import annotations

from dashboard.labels import delta_text


def test_the_usual_level_has_its_unit_and_vietnamese_digits():
    assert delta_text(21, 13.4) == "+57% so với TB 13,4 tin"
    assert delta_text(1500, 1234.5) == "+22% so với TB 1.234,5 tin"  # «1234,5» had no thousands dot
    assert delta_text(2_000_000, 1_234_567.0) == "+62% so với TB 1.234.567 tin"  # «1,23457e+06»
    assert delta_text(0, 0) is None and delta_text(3, 0) == "mới xuất hiện"
