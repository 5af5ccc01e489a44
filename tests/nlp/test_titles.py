"""A social item's title as shown: the place names the Places step read in it capitalised, its first letter a
capital (nlp/titles.py, stored in `title_restored`); press titles never change; a name that is also a common word
is capitalised only where it is read as a place."""

from __future__ import annotations

import pytest

from nlp.titles import display_title, names_in
from reports.labels import capitalized as report_capitalized
from vocab.casing import capitalized


def _tag(pipeline, title: str, text: str, source_type: str = "social") -> dict:
    return pipeline.tag([{"id": "1", "title": title, "text": text, "source_type": source_type}])[0]


@pytest.mark.parametrize("title,text,shown", [
    # with diacritics, all in lower case (a post's first words)
    ("mất điện ở vàng danh từ sáng…", "mất điện ở vàng danh từ sáng nay mọi người ơi",
     "Mất điện ở Vàng Danh từ sáng…"),
    # without diacritics: the restored title, the name with its own marks
    ("mat dien o vang danh tu sang…", "mat dien o vang danh tu sang nay moi nguoi oi",
     "Mất điện ở Vàng Danh từ sáng…"),
    # "bãi cháy" read as a place is capitalised, the verb "cháy" is not
    ("cháy nhà ở bãi cháy tối qua", "cháy nhà ở bãi cháy tối qua, cháy to lắm", "Cháy nhà ở Bãi Cháy tối qua"),
    # "hồng hà" here is no place (hoa hồng Hà Lan): only the first letter
    ("hoa hồng hà lan đẹp quá", "hoa hồng hà lan đẹp quá mọi người", "Hoa hồng hà lan đẹp quá"),
    # a name typed without marks in a marked title: capitals only, the writer's letters kept
    ("Tối qua ở vang danh lại mất điện", "Tối qua ở vang danh lại mất điện", "Tối qua ở Vang Danh lại mất điện"),
])
def test_social_titles_show_place_names_capitalised(pipeline, title, text, shown):
    assert _tag(pipeline, title, text)["title_restored"] == shown


def test_a_common_word_read_as_a_place_is_capitalised_only_then(pipeline):
    assert _tag(pipeline, "ngập ở phường hồng hà", "ngập sâu ở phường hồng hà")["title_restored"] == \
        "Ngập ở phường Hồng Hà"
    assert _tag(pipeline, "bán hoa hồng hà lan", "bán hoa hồng hà lan giá rẻ")["title_restored"] == \
        "Bán hoa hồng hà lan"


def test_press_titles_never_change(pipeline):
    row = _tag(pipeline, "mất điện ở vàng danh từ sáng", "mất điện ở vàng danh từ sáng nay", "press")
    assert row["title_restored"] == "" and row["places"]
    # a press title without diacritics keeps its plain restored form, as before
    row = _tag(pipeline, "mat dien o vang danh tu sang", "mat dien o vang danh tu sang nay", "press")
    assert row["title_restored"] == "mất điện ở vàng danh từ sáng"


def test_a_title_already_as_shown_stores_nothing(pipeline):
    assert _tag(pipeline, "Mất điện ở Vàng Danh", "Mất điện ở Vàng Danh từ sáng")["title_restored"] == ""


def test_a_name_read_only_in_the_text_is_not_capitalised_in_the_title():
    spans = [(40, 49, ("vàng", "danh"))]
    assert names_in(spans, 20) == []
    assert display_title("ngôi chùa vang danh khắp nơi", names_in(spans, 20)) == "Ngôi chùa vang danh khắp nơi"


def test_display_title_rules():
    names = [("bãi", "cháy")]
    assert display_title("cháy ở bai chay", names) == "Cháy ở Bãi Cháy"
    assert display_title("cháy ở bai chay", names, keep_letters=True) == "Cháy ở Bai Chay"
    assert display_title("CHÁY Ở BÃI CHÁY", names) == "CHÁY Ở BÃI CHÁY"  # capitals stay
    assert display_title("cháy ở bãi, cháy", names) == "Cháy ở bãi, cháy"  # not one name over a comma
    assert display_title("cháy ở bãi cháyx", names) == "Cháy ở bãi cháyx"  # whole words only


def test_a_landmark_is_capitalised_as_the_gazetteer_writes_it_mid_sentence(pipeline):
    assert display_title("đi khám ở bệnh viện bãi cháy", [("bệnh", "viện", "Bãi", "Cháy")]) == \
        "Đi khám ở bệnh viện Bãi Cháy"
    assert _tag(pipeline, "lễ hội đền cửa ông đông quá", "lễ hội đền cửa ông đông quá mọi người ơi")[
        "title_restored"] == "Lễ hội đền Cửa Ông đông quá"
    assert pipeline.res.gazetteer.written[("vàng", "danh")] == ("Vàng", "Danh")


def test_one_capital_first_letter_for_reports_and_tagger():
    assert report_capitalized is capitalized
    assert capitalized("đường lên vàng danh") == "Đường lên vàng danh"
    assert capitalized("«mưa to»") == "«mưa to»" and capitalized("") == ""
