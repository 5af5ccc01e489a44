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
        assert any(p.startswith(place) for p in r.places), r.places


def test_quang_ninh_absorbed_nothing():
    assert gaz("Quảng Ninh").area_provinces == {"Quảng Ninh"}
    assert gaz("Hải Phòng").area_provinces == {"Hải Phòng", "Hải Dương"}


def test_old_units_outside_quang_ninh_show_their_2025_unit():
    """Only Quảng Ninh shipped an old → 2025 mapping: elsewhere an old ward showed no "nay …", an old district
    no 2025 units (the reports counted "Thành phố Hải Dương" as if it were a unit today)."""
    r = gaz("Hải Phòng").resolve("Người dân phường Trần Phú, TP Hải Dương phản ánh ngập úng")
    assert "phường Trần Phú cũ, nay phường Lê Thanh Nghị (TP Hải Dương cũ)" in r.places, r.places
    d = gaz("Hải Phòng").resolve("Ngập sâu ở TP Hải Dương")
    dist = [x for x in d.details if x["level"] == "district_old"][0]
    assert "Phường Lê Thanh Nghị" in dist["name_2025"] and "Phường Hải Dương" in dist["name_2025"]


def test_national_mapping_reproduces_the_hand_checked_quang_ninh_file():
    import csv

    from nlp.gazetteer import ADMIN

    def rows(path, keep=lambda r: True):
        with open(path, encoding="utf-8") as fh:
            return {(r["old_district"], r["old_ward"], r["old_ward_code"], r["new_ward"], r["new_ward_code"],
                     r["relation"], r["divided_default"])
                    for r in csv.DictReader(ln for ln in fh if not ln.startswith("#")) if keep(r)}

    qn = rows(ADMIN / "vn_old_to_2025_mapping.csv", lambda r: r["new_province"] == "Tỉnh Quảng Ninh")
    assert qn == rows(ADMIN / "quang_ninh_old_to_2025_mapping.csv") and len(qn) == 184


def test_an_old_ward_is_not_folded_into_a_namesake_of_another_district():
    """Quảng Ninh too: phường Hải Hòa (TP Móng Cái) was read as xã Hải Hòa (ex-Tiên Yên), the 2025 ward of
    the same name, which the old ward never became."""
    r = gaz("Quảng Ninh").resolve("Người dân phường Hải Hòa (Móng Cái) phản ánh mộ phần")
    assert any(p.startswith("phường Hải Hòa cũ, nay phường Móng Cái 1") for p in r.places), r.places


@pytest.mark.parametrize("province,text", [
    ("Bắc Ninh", "người dân đang chờ kết quả xử lý của cơ quan chức năng"),     # thị trấn Chờ (Yên Phong)
    ("Bắc Ninh", "rác thải ven hồ gây ô nhiễm, người dân bức xúc"),             # phường Hồ (Thuận Thành)
    ("Bắc Ninh", "Sạt lở đất ở phường Bắc Sơn sau mưa lớn"),   # not Bảo Sơn (ex-Lục Nam) read approximately
])
def test_common_words_and_near_spellings_are_no_places(province, text):
    """A one-syllable unit name ("Chờ", "Hồ", "Lim") is nearly always a common word: it counted alone, so
    every "đang chờ" put an item in Bắc Ninh (205 of 15,653 demo/training texts); and the absorbed
    province's thousand old names are matched exactly, never as OCR misspellings."""
    r = gaz(province).resolve(text)
    assert not r.in_area and not r.places, r.places


def test_one_syllable_unit_still_counts_after_its_type_word():
    r = gaz("Bắc Ninh").resolve("Thị trấn Chờ tổ chức lễ hội")
    assert r.in_area and any("Chờ" in p for p in r.places), r.places


def test_a_lower_case_area_name_does_not_hide_another_province():
    """Bắc Giang's old wards made «an Hà» (xã An Hà, ex-Lạng Giang) an area name for Bắc Ninh; in «Công an Hà
    Nội» it took the tokens of Hà Nội though resolve drops a lower-case area name in mixed-case text, so
    the item lost its other province (which keeps weak area names elsewhere in it out)."""
    r = gaz("Bắc Ninh").resolve("Công an Hà Nội triệu tập người tung tin thất thiệt về cắt nước.")
    assert r.places == ["TP Hà Nội"] and not r.in_area


def test_an_absorbed_provinces_old_unit_is_never_an_ocr_reading_even_when_a_2025_ward_shares_its_name():
    """xã Lục Nam (2025, Bắc Ninh's own) may be matched approximately; huyện Lục Nam (ex-Bắc Giang) may not —
    but an approximate match returned every area reading of the name, so «Lục Nà» read as the old district."""
    r = gaz("Bắc Ninh").resolve("Lễ hội Đình Lục Nà của người Tày Bình Liêu")
    assert not any(p.startswith("huyện Lục Nam") for p in r.places), r.places


def test_a_name_does_not_run_across_a_paragraph_break():
    """A line break may split a name in OCR'd text, a blank line may not: the gap check's `$` also matched
    before a trailing newline, so a title's last word and the body's first joined — «Yên Tử» / «Công an»
    read as xã Tự Cường (ex-Tiên Lãng) for Hải Phòng. One line break still joins (ocr_places)."""
    text = ("Bắt nhóm đối tượng móc túi tại lễ hội Yên Tử\n\nCông an TP Uông Bí bắt giữ ba đối tượng chuyên trà "
            "trộn vào đám đông để trộm cắp tài sản của du khách tại khu vực chùa Giải Oan.")
    assert not gaz("Hải Phòng").resolve(text).in_area
    assert gaz("Quảng Ninh").resolve("Thanh uy Uông\nBí họp bàn").in_area
