"""Survey statistics against values computed by hand from the textbook formulas."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from surveys import stats

Z = 1.959963984540054


def wilson_by_hand(x: int, n: int) -> tuple[float, float]:
    p = x / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    return centre - half, centre + half


@pytest.mark.parametrize("x,n", [(2, 3), (0, 10), (45, 120), (400, 400)])
def test_wilson_interval(x, n):
    lo, hi = stats.wilson(x, n)
    elo, ehi = wilson_by_hand(x, n)
    assert lo == pytest.approx(elo, abs=1e-9) and hi == pytest.approx(ehi, abs=1e-9)


def test_frequency_counts_shares_and_missing_in_questionnaire_order():
    f = stats.frequency(pd.Series(["Có", "Không", "Có", None, "Có"]), ["Không", "Có", "Chưa rõ"])
    assert [(r.option, r.count) for r in f.rows] == [("Không", 1), ("Có", 3), ("Chưa rõ", 0)]
    assert f.answered == 4 and f.missing == 1
    assert f.rows[1].share == 0.75


def test_multi_choice_shares_are_of_respondents_who_answered():
    chosen = pd.DataFrame({"respondent": [1, 1, 2, 3, 3, 3], "value": ["A", "B", "A", "A", "B", "C"]})
    f = stats.multi_frequency(chosen, respondents=5, options=["A", "B", "C"])
    assert f.answered == 3 and f.missing == 2
    assert [round(r.share, 4) for r in f.rows] == [1.0, round(2 / 3, 4), round(1 / 3, 4)]


def test_likert_mean_and_top_two_box():
    lk = stats.likert(pd.Series(["1", "2", "5", "4", "4", None]), ["1", "2", "3", "4", "5"])
    assert lk.answered == 5
    assert lk.mean == pytest.approx(3.2)
    assert lk.top2 == pytest.approx(0.6) and lk.bottom2 == pytest.approx(0.4)
    assert lk.top2_ci == pytest.approx(wilson_by_hand(3, 5))


def test_chi_square_2x2_with_yates_by_hand():
    # O = [[60, 30], [40, 70]]; E = 45, 45, 55, 55; Yates: Σ(|O−E|−0.5)²/E = 14.5² (2/45 + 2/55)
    a = pd.Series(["Có"] * 60 + ["Không"] * 40 + ["Có"] * 30 + ["Không"] * 70)
    g = pd.Series(["Nam"] * 100 + ["Nữ"] * 100)
    ct = stats.crosstab(a, g, ["Có", "Không"], ["Nam", "Nữ"], by="Giới tính")
    assert ct.chi2 == pytest.approx(14.5 ** 2 * (2 / 45 + 2 / 55))
    assert ct.dof == 1 and ct.reliable and ct.significant
    assert "Có khác biệt có ý nghĩa thống kê theo giới tính" in ct.note
    assert "«Nam» chọn «Có» 60%" in ct.note
    assert ct.shares.loc["Có", "Nam"] == pytest.approx(0.6)


def test_small_cells_are_not_called_significant():
    a = pd.Series(["Có", "Không", "Có", "Có", "Không"] * 3)                     # groups of 5: shown, too few to judge
    g = pd.Series(["A"] * 5 + ["B"] * 5 + ["C"] * 5)
    ct = stats.crosstab(a, g, ["Có", "Không"], ["A", "B", "C"], by="Phường")
    assert not ct.reliable and not ct.significant
    assert "quá ít để kết luận" in ct.note


def test_no_difference_is_said_plainly():
    a = pd.Series(["Có", "Không"] * 100)
    g = pd.Series(["Nam"] * 100 + ["Nữ"] * 100)
    ct = stats.crosstab(a, g, ["Có", "Không"], ["Nam", "Nữ"], by="Giới tính")
    assert not ct.significant and ct.note.startswith("Không thấy khác biệt")


def test_two_waves_two_proportion_z_test_by_hand():
    # 60/100 vs 40/100: pooled 0.5, se = sqrt(0.25 · 2/100), z = 0.2 / se; p = 2(1 − Φ(z))
    rows = stats.compare_waves(pd.Series(["Có"] * 60 + ["Không"] * 40), pd.Series(["Có"] * 40 + ["Không"] * 60),
                               ["Có", "Không"])
    z = 0.2 / math.sqrt(0.25 * 2 / 100)
    p = math.erfc(z / math.sqrt(2))
    assert rows[0].option == "Có" and rows[0].share_a == 0.6 and rows[0].share_b == 0.4
    assert rows[0].p == pytest.approx(p) and rows[0].significant
    assert "«Có» 60% → 40%" in stats.wave_note(rows, "Câu 1")


def test_a_small_two_by_two_table_gets_fishers_exact_test():
    """12 forms, Nam 6 «Có» of 6, Nữ 1 of 6: cells expect < 5, so χ² could not judge it, and the clear
    difference was dropped as «too few forms». Fisher by hand: rows 7/5, groups 6/6; the tables as extreme
    are Nam 6 or 1 «Có»: p = (C(7,6)·C(5,0) + C(7,1)·C(5,5)) / C(12,6) = 14/924."""
    a = pd.Series(["Có"] * 6 + ["Có"] + ["Không"] * 5)
    g = pd.Series(["Nam"] * 6 + ["Nữ"] * 6)
    ct = stats.crosstab(a, g, ["Có", "Không"], ["Nam", "Nữ"], by="Giới tính")
    assert ct.exact and ct.reliable and ct.significant
    assert ct.p == pytest.approx(14 / 924)
    assert "kiểm định chính xác Fisher" in ct.note and "χ²" not in ct.note


def test_a_small_two_by_two_table_without_a_difference_is_not_significant():
    a = pd.Series(["Có", "Không", "Có", "Không", "Có", "Không", "Có", "Có", "Không", "Có"])
    g = pd.Series(["Nam"] * 5 + ["Nữ"] * 5)
    ct = stats.crosstab(a, g, ["Có", "Không"], ["Nam", "Nữ"], by="Giới tính")
    assert ct.exact and not ct.significant and ct.note.startswith("Không thấy khác biệt")


def test_answers_outside_the_options_are_one_other_row():
    """Each word typed into «Khác» was a row of its own: hundreds of rows of one person each."""
    a = pd.Series(["Có"] * 6 + ["Không"] * 3 + ["con tôi ở tổ 5", "ý kiến riêng"] + [None])
    f = stats.frequency(a, ["Có", "Không"])
    assert [(r.option, r.count) for r in f.rows] == [("Có", 6), ("Không", 3), (stats.OTHER, 2)]
    chosen = pd.DataFrame({"respondent": [1, 1, 1, 2, 3], "value": ["Có", "riêng 1", "riêng 2", "Không", "Có"]})
    m = stats.multi_frequency(chosen, 3, ["Có", "Không"])
    assert [(r.option, r.count) for r in m.rows] == [("Có", 2), ("Không", 1), (stats.OTHER, 1)]


def test_a_group_of_fewer_than_five_is_not_shown_apart():
    """One woman over 60 among 30: her column of the cross-tab was her own answer («100% (1)»), and with
    Fisher's test the note said «nhóm «Trên 60» chọn «Có» 100%»."""
    a = pd.Series(["Có"] + ["Không"] * 29)
    g = pd.Series(["Trên 60"] + ["Dưới 60"] * 29)
    ct = stats.crosstab(a, g, ["Có", "Không"], ["Dưới 60", "Trên 60"], by="Độ tuổi")
    assert "Trên 60" not in ct.counts.columns and not ct.significant
    assert "Nhóm dưới 5 phiếu không tách riêng" in ct.note and "«Trên 60»" in ct.note
    a = pd.Series(["Có", "Không"] * 10 + ["Có"] * 4)
    g = pd.Series(["Nam"] * 10 + ["Nữ"] * 10 + ["Khác"] * 4)
    ct = stats.crosstab(a, g, ["Có", "Không"], ["Nam", "Nữ", "Khác"], by="Giới tính")
    assert list(ct.counts.columns) == ["Nam", "Nữ"] and int(ct.counts.to_numpy().sum()) == 20


def test_a_three_point_scale_has_a_top_box_not_a_top_two():
    """On «Không đồng ý / Phân vân / Đồng ý» the top two counted «Phân vân» as agreeing: 70% «agreed»
    where 30% did."""
    scale = ["Không đồng ý", "Phân vân", "Đồng ý"]
    lk = stats.likert(pd.Series(["Đồng ý"] * 3 + ["Phân vân"] * 4 + ["Không đồng ý"] * 3), scale)
    assert (lk.box, lk.top2, lk.bottom2) == (1, pytest.approx(0.3), pytest.approx(0.3))
    assert lk.top_words(scale) == "mức «Đồng ý»"
    five = ["Rất không đồng ý", "Không đồng ý", "Phân vân", "Đồng ý", "Rất đồng ý"]
    assert stats.likert(pd.Series(["Đồng ý"]), five).top_words(five) == "hai mức «Đồng ý»/«Rất đồng ý»"


def test_two_small_waves_are_compared_with_fishers_exact_test():
    """«Rất đồng ý» 0 of 10 in wave 1, 4 of 10 in wave 2: the z-test said p = 0,025, a significant change, on
    cells expecting 2 forms. Fisher by hand: 4 successes of 20, P(0 in wave 1) = P(4) = C(10,4)/C(20,4)
    = 210/4845, p = 420/4845 ≈ 0,087: not significant."""
    a = pd.Series(["Đồng ý"] * 10)
    b = pd.Series(["Rất đồng ý"] * 4 + ["Đồng ý"] * 6)
    row = next(r for r in stats.compare_waves(a, b, ["Đồng ý", "Rất đồng ý"]) if r.option == "Rất đồng ý")
    assert row.exact and row.p == pytest.approx(420 / 4845) and not row.significant
