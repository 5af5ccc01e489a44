"""Hashtags spelled out for the Places step (round 32, nlp/hashtags.py)."""

import pytest

from nlp.hashtags import MAX_HASHTAGS, hashtag_text, spell


@pytest.mark.parametrize("tag, spelled", [
    ("UongBi", "Uong Bi"), ("QuangNinh", "Quang Ninh"), ("uongbi", "uong bi"), ("uôngbí", "uông bí"),
    ("vang_danh", "vang danh"), ("TinTucUongBi", "Tin Tuc Uong Bi"), ("DongTrieu2024", "Dong Trieu"),
    ("ngậplụt", "ngập lụt"), ("phuongvangdanh", "phuong vang danh"),
])
def test_a_hashtag_is_cut_into_syllables(tag, spelled):
    assert spell(tag) == spelled


@pytest.mark.parametrize("tag", ["nhatrang", "baichay", "UBNDUongBi", "covid19", "hashtag", "x" * 80])
def test_a_hashtag_cut_two_ways_or_not_vietnamese_is_left_alone(tag):
    """«nhatrang» is «nha trang» or «nhat rang»: no guess."""
    assert spell(tag) == ""


def test_hashtag_text_one_paragraph_each_first_spelling_kept_and_bounded():
    assert hashtag_text("mưa #UongBi #QuangNinh a#b #uongbi #x") == "Uong Bi\n\nQuang Ninh"
    many = " ".join(f"#UongBi{i}" for i in range(MAX_HASHTAGS)) + " #QuangNinh"
    assert hashtag_text(many) == "Uong Bi"


def test_a_post_placed_only_by_its_hashtags_is_in_the_area(pipeline):
    rows = [{"id": "1", "title": "", "text": "Sáng nay mưa lớn, nhiều tuyến đường ngập sâu. #UongBi #QuangNinh",
             "source_type": "social"},
            {"id": "2", "title": "", "text": "Sang nay mua lon, duong ngap sau #vangdanh", "source_type": "social"},
            {"id": "3", "title": "", "text": "Sáng nay mưa lớn, nhiều tuyến đường ngập sâu. #TinTuc #MuaLu",
             "source_type": "social"}]
    a, b, c = pipeline.tag(rows)
    assert a["in_area"] and any("Uông Bí" in p for p in a["places"]), a
    assert b["in_area"] and any("Vàng Danh" in p for p in b["places"]), b
    assert not c["places"], c
