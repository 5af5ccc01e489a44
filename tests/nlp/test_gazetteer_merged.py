"""Offices of a province that absorbed another on 1 July 2025 (Hải Dương into Hải Phòng, Bắc Giang into
Bắc Ninh): the absorbed province's old districts and wards are the area's; a neighbour's stay out."""

from __future__ import annotations

from functools import lru_cache

import pytest

from nlp.gazetteer import Gazetteer
from vocab.folding import strip_marks


@lru_cache(maxsize=None)
def gaz(province: str) -> Gazetteer:
    return Gazetteer(province)


CASES = [
    # (province, text, in_area, a place display that must be present or None)
    ("Hải Phòng", "Ngập sâu nhiều tuyến phố ở TP Hải Dương sau trận mưa lớn", True, "TP Hải Dương cũ"),
    ("Hải Phòng", "Chí Linh phát triển du lịch Côn Sơn - Kiếp Bạc", True, "TP Chí Linh cũ"),
    ("Hải Phòng", "Người dân phường Lê Thanh Nghị bức xúc vì rác thải", True, "phường Lê Thanh Nghị"),
    ("Hải Phòng", "Cháy nhà xưởng ở khu công nghiệp Đình Vũ, Hải Phòng", True, "TP Hải Phòng"),
    ("Hải Phòng", "Thái Bình ngập úng diện rộng sau bão", False, None),
    ("Bắc Ninh", "Người dân huyện Việt Yên phản ánh ô nhiễm khu công nghiệp", True, "TX Việt Yên cũ"),
    ("Bắc Ninh", "Nông dân Lục Ngạn trúng mùa vải thiều", True, "huyện Lục Ngạn cũ"),
    ("Bắc Ninh", "Ngập sâu ở TP Bắc Giang sau mưa lớn", True, "TP Bắc Giang cũ"),
    ("Bắc Ninh", "Cháy lớn tại chợ ở thành phố Thái Nguyên", False, None),
]


@pytest.mark.parametrize("accented", [True, False], ids=["diacritics", "no-diacritics"])
@pytest.mark.parametrize("province,text,in_area,place", CASES, ids=[c[1][:40] for c in CASES])
def test_absorbed_province_is_in_the_area(province, text, in_area, place, accented):
    t = text if accented else strip_marks(text).lower()
    r = gaz(province).resolve(t, accented=accented)
    assert r.in_area is in_area, r.places
    if place:
        assert place in r.places, r.places


def test_quang_ninh_absorbed_nothing():
    assert gaz("Quảng Ninh").area_provinces == {"Quảng Ninh"}
    assert gaz("Hải Phòng").area_provinces == {"Hải Phòng", "Hải Dương"}
