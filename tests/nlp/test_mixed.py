"""Place names typed without marks inside a text that has them (nlp/mixed.py, the Places step)."""

from __future__ import annotations

import pytest


def _places(pipeline, text: str) -> tuple[bool, str]:
    out = pipeline.tag([{"id": "m", "title": "", "text": text, "source_type": "social"}])[0]
    return out["in_area"], " | ".join(out["places"])


@pytest.mark.parametrize("text, name", [
    ("Bệnh viện uong bi đông nghẹt người", "Uông Bí"),           # "uong" is no word without its marks
    ("Đường lên yen tu đông quá, tắc cả tiếng", "Yên Tử"),
    ("mn oi đường ở phường trung vuong ngập hết rồi", "Trưng Vương"),  # a unit word before it
    ("Nhà hàng ở Ha Long rất ngon, giá hợp lý", "Hạ Long"),       # capitals: a name
    ("Sạt lở ở Vang Danh hôm nay, bùn đất tràn vào nhà", "Vàng Danh"),
    ("Sạt lở ở vang danh hôm nay", "Vàng Danh"),                  # round 17: right after "ở", a name
    ("Tối qua ở vang danh lại mất điện", "Vàng Danh"),
    ("Mất điện tại vang danh từ sáng", "Vàng Danh"),
    ("Nhà hàng ở ha long rất ngon", "Hạ Long"),
    ("Cô ấy học ở cam pha từ nhỏ", "Cẩm Phả"),
    ("Làm vang danh đất mỏ ở vang danh", "Vàng Danh"),            # the second one, after "ở"
])
def test_a_name_typed_without_marks_in_a_marked_post_is_found(pipeline, text, name):
    """Before round 13 a text with marks was read accent-exact only: each of these named no place."""
    in_area, places = _places(pipeline, text)
    assert in_area and name in places


@pytest.mark.parametrize("text", [
    "Tiếng đàn vang danh cả vùng",                    # "vang danh" = famed: words, lowercase, no unit word
    "Ngôi chùa vang danh khắp nơi",
    "Làm vang danh đất mỏ",                           # famed comes after its subject or "làm", never after "ở"
    "Nhà hàng ha long rất ngon",
    "Sạt lở o vang danh hôm nay",                     # "o" without its mark is no preposition of place
])
def test_unmarked_words_that_are_words_need_a_capital_a_unit_word_or_a_preposition(pipeline, text):
    assert _places(pipeline, text) == (False, "")


def test_marked_names_and_other_provinces_read_as_before(pipeline):
    assert "Vàng Danh" in _places(pipeline, "Sạt lở ở phường Vàng Danh hôm nay")[1]
    in_area, places = _places(pipeline, "Lũ quét ở yen bai, nhiều nhà bị cuốn trôi")
    assert not in_area and "Yên Bái" in places  # another province, named by its unmarked name: not the area


@pytest.mark.parametrize("text, reads", [
    ("Sạt lở ở Vang Danh hôm nay, bùn đất tràn vào nhà", ["vàng danh"]),
    ("mn oi đường ở phường trung vuong ngập hết rồi", ["trưng vương"]),
    ("Sạt lở ở phường Vàng Danh hôm nay", []),       # written with its marks: search finds it as written
    ("Tiếng đàn vang danh cả vùng", []),              # famed: no place, nothing read
    ("Tối qua ở vang danh lại mất điện", ["vàng danh"]),  # after "ở": the ward (round 17), found by `Vàng Danh`
    ("Sat lo o Vang Danh hom nay, bun dat tran vao nha", []),  # no mark at all: search folds the name already
    ("Sat lo o Vang Danh hom nay, bùn dat tran vao nha", ["vàng danh"]),  # a mark or two: read without diacritics
])
def test_the_places_step_returns_the_names_it_read_with_marks(pipeline, text, reads):
    """`place_reads`: what search and watchlists match a name typed with marks against (store.search_query)."""
    out = pipeline.tag([{"id": "m", "title": "", "text": text, "source_type": "social"}])[0]
    assert out["place_reads"] == reads
