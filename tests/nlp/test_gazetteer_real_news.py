"""Round 15: area names in national news that are not places here — a maker's or a brand's name, a person's
name, a quay street of TP.HCM — while the area's own companies and places still count. Sentences written by
the team in the manner of the false places found on real news (docs/NLP_ROUNDS.md, "Round 15")."""

from __future__ import annotations

import pytest

NOT_PLACES = [
    # a maker or a brand
    "Sản phẩm bánh kẹo giả mạo của Công ty Hải Hà làm giảm sản lượng của công ty",
    "Kẹo Hải Hà vẫn bán chạy trong dịp Tết năm nay",
    "Giá dầu ăn Cái Lân tăng thêm 5% từ đầu tháng",
    "Công ty dầu thực vật Cái Lân tài trợ hội thi nấu ăn của phụ nữ",
    "Xí nghiệp xuất khẩu Hải Hà tuyển thêm 200 công nhân may",
    "Bánh kẹo của các hãng Kinh Đô, Hải Hà, Hải Châu vẫn chiếm lĩnh thị trường",
    "Bia Hạ Long ra mắt dòng sản phẩm mới",
    # a person
    "Anh Phạm Đông Triều, thủ môn của đội, bị chấn thương",
    "Chị Nguyễn Thị Hải Hà được khen thưởng vì thành tích học tập",
    "Đông Triều, chủ một hiệu thuốc, mua xe mới. Đông Triều lý giải: \"Đi xe máy nắng lắm\".",
    # a street of TP.HCM
    "Một vụ cháy nhà xảy ra trên đường Bến Vân Đồn, phường 12, quận 4, TP.HCM",
    # an address in another province: its district names it
    "Một cơ sở đồ sắt ở phường Tân Lập, Buôn Ma Thuột bị lừa; một người bán chiếu ở chợ phường Tân An cũng vậy",
]

STILL_PLACES = [
    ("Công ty Than Uông Bí tổ chức hội thao cho công nhân", "Than Uông Bí (phường Uông Bí)"),
    ("Công đoàn Công ty Than Mông Dương thăm hỏi công nhân bị nạn", "Mỏ than Mông Dương"),
    ("Cảng Cái Lân đón tàu hàng 50.000 tấn", "Cảng Cái Lân"),
    ("Nước mắm Cái Rồng, đặc sản của Vân Đồn, được công nhận sản phẩm OCOP", "huyện Vân Đồn cũ"),
    ("Du lịch Hạ Long đông khách dịp nghỉ lễ", "TP Hạ Long cũ"),
    ("Quảng Ninh cho biết: sẽ mở thêm đường bay đến Vân Đồn", "tỉnh Quảng Ninh"),
    ("Người dân phường Trưng Vương, TP Uông Bí phản ánh bụi than", "phường Trưng Vương cũ"),
    ("Công ty ABC, Hạ Long, Quảng Ninh bị xử phạt vì xả thải", "TP Hạ Long cũ"),
    ("Sạt lở tại bến Cái Rồng, Vân Đồn sau mưa lớn", "huyện Vân Đồn cũ"),
    ("Phường Tân An, Quảng Yên tổ chức đối thoại với người dân", "phường Tân An cũ"),
]


@pytest.mark.parametrize("text", NOT_PLACES, ids=[t[:40] for t in NOT_PLACES])
def test_brand_person_and_street_uses_are_not_places(gazetteer, text):
    r = gazetteer.resolve(text)
    assert r.in_area is False, r.places


@pytest.mark.parametrize("text,place", STILL_PLACES, ids=[t[0][:40] for t in STILL_PLACES])
def test_the_areas_own_companies_and_places_still_count(gazetteer, text, place):
    r = gazetteer.resolve(text)
    assert r.in_area is True, r.places
    assert any(p.startswith(place) for p in r.places), r.places


def test_a_brand_use_leaves_the_same_name_as_a_place_elsewhere_in_the_text(gazetteer):
    r = gazetteer.resolve("Dầu ăn Cái Lân tăng giá, trong khi cảng Cái Lân đón thêm tàu hàng")
    assert r.in_area is True
    assert any(p.startswith("Cảng Cái Lân") for p in r.places), r.places


def test_a_speaking_name_is_a_person_only_in_its_own_text(gazetteer):
    assert gazetteer.resolve("Đông Triều kể: \"Tôi mở hiệu thuốc từ năm 2000\".").in_area is False
    assert gazetteer.resolve("Đông Triều có nhiều di tích thời Trần").in_area is True


def test_an_address_shows_the_province_it_names(gazetteer):
    r = gazetteer.resolve("Người dân phường Tân An, TP Buôn Ma Thuột phản ánh tiếng ồn")
    assert r.in_area is False
    assert "tỉnh Đắk Lắk" in r.places, r.places


def test_ben_without_marks_is_not_a_street_word(gazetteer):
    """"ben" unmarked is more often "bên": "Yen Tu ben Bac Giang" is Yên Tử on the Bắc Giang side."""
    r = gazetteer.resolve("len tay yen tu ben bac giang, duong di bo rat mat", accented=False)
    assert r.in_area is False, r.places


def test_a_beer_named_after_another_province_does_not_count_as_that_province(gazetteer):
    r = gazetteer.resolve("Quán nhậu ở phường Quang Trung bán bia Hà Nội giá rẻ")
    assert not any("Hà Nội" in p for p in r.places), r.places


def test_a_person_named_like_a_place_in_marked_text_with_the_name_unmarked(pipeline):
    """Through the Places step: "Quang Ninh" typed without marks after a family name is a person, not the
    province the unmarked-name reading (nlp/mixed.py) would restore."""
    out = pipeline.tag([{"id": 1, "title": "Khởi tố trợ lý huấn luyện viên",
                         "text": "Cơ quan điều tra đã triệu tập ông Lê Quang Ninh, trợ lý huấn luyện viên đội bóng."}])
    assert out[0]["in_area"] is False, out[0]["places"]


# Round 16: the brand rule's comma list reads another province as it reads an area name. An item before or after
# the name that is itself a place means the list names places, not brands (the rule asked this of area names only).
LIST_OF_PLACES = [
    ("Đàn bò sữa Sơn La, {}, Củ Chi đều tăng trong năm nay", "an earlier item is a place"),
    ("Đàn bò sữa Mộc Châu, {}, Lâm Đồng đều tăng trong năm nay", "the next item is a place"),
]


@pytest.mark.parametrize("template,why", LIST_OF_PLACES, ids=[w for _, w in LIST_OF_PLACES])
def test_a_list_of_places_after_a_product_word_keeps_another_province_as_it_keeps_an_area_name(
        gazetteer, template, why):
    area = gazetteer.resolve(template.format("Đông Triều"))
    assert any(p.startswith("TP Đông Triều cũ") for p in area.places), area.places
    other = gazetteer.resolve(template.format("Hà Nội"))
    assert "TP Hà Nội" in other.places, (why, other.places)


def test_a_list_of_brands_after_a_product_word_still_drops_another_province(gazetteer):
    r = gazetteer.resolve("Quán bán bia Huda, Hà Nội, Tiger giá rẻ")
    assert not any("Hà Nội" in p for p in r.places), r.places
