"""Places in OCR'd text without diacritics: near-misses of the area's strong names are found, and the
bounded pass invents nothing in clean text (team-written strings in the shapes of the real OCR seed)."""

from __future__ import annotations

import pytest

from nlp.gazetteer import Gazetteer, _ocr_norm, _within_one


@pytest.fixture(scope="module")
def g():
    return Gazetteer("Quảng Ninh")


@pytest.mark.parametrize("text", [
    "Ban Thuong vu Thanh uy Ubng Bi tran trong bao cao./.",
    "Thanh uy Udng Bi chi dao cac nganh xay dung ke hoach.",
    "Thanh pho Uong Bi1 15 1 14 0 14 1",
    "Nhan dan thanh pho Ha Lonq phan anh ve rac thai.",
    "Can cu van ban cua Thanh uy Ubng\nBi, Hoi dong Nhan dan thanh pho.",
])
def test_ocr_names_of_the_area_are_found(g, text):
    r = g.resolve(text, accented=False)
    assert r.in_area, (text, r.places)


@pytest.mark.parametrize("text", [
    "Cuoi tuan di Do Son, nuoc duc. Mong Hai Phong co bien phap.",   # not an OCR'd Móng Cái
    "thanh uy ubng bi chi dao",                                       # OCR keeps capitals; lower case is not a name
    "Ong Bing noi voi ong Bi ve chuyen lam an.",                       # person names, not Uông Bí
])
def test_nothing_is_invented(g, text):
    assert not g.resolve(text, accented=False).in_area, text


def test_accented_text_is_never_matched_loosely(g):
    assert not g.resolve("Thành ủy Ubng Bí chỉ đạo", accented=True).in_area


def test_helpers():
    assert _ocr_norm("Bi1") == "bi" and _ocr_norm("Rnong") == "mong" and _ocr_norm("2021") == "2021"
    assert _within_one("ubng", "uong") and _within_one("lonq", "long") and _within_one("ong", "uong")
    assert not _within_one("ubnq", "uong")
