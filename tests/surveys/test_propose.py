"""Proposing the questionnaire from the exports staff get: Google Forms, Microsoft Forms, KoboToolbox and
a spreadsheet typed up from paper forms, with Vietnamese headers, separators, blanks and personal data."""

from __future__ import annotations

import pytest

from surveys.model import Question, Questionnaire, SurveyError
from surveys.propose import propose, propose_column

AGREE = ["Rất không đồng ý", "Không đồng ý", "Phân vân", "Đồng ý", "Rất đồng ý"]


def kinds(q: Questionnaire) -> dict[str, str]:
    return {x.column: x.kind for x in q.questions}


def google_rows(n: int = 30) -> list[dict[str, str]]:
    reasons = ["Củng cố kiến thức", "Luyện thi vào lớp 10", "Giáo viên gợi ý"]
    return [{
        "Dấu thời gian": f"15/09/2025 08:{i:02d}:00",
        "Họ và tên": "Nguyễn Văn A" if i % 7 == 0 else "",
        "Số điện thoại": f"09{12345670 + i}" if i % 5 == 0 else "",
        "Giới tính": ["Nam", "Nữ"][i % 2],
        "Độ tuổi": ["Trên 60 tuổi", "Dưới 30 tuổi", "Từ 30 đến 45 tuổi"][i % 3],
        "Phường nơi ở": ["Phường Uông Bí", "Phường Vàng Danh"][i % 2],
        "Anh/chị có đồng ý không?": AGREE[i % 5] if i % 9 else "",
        "Lý do (chọn nhiều)": ", ".join(reasons[: 1 + i % 3]),
        "Chi phí mỗi tháng": str(300 + 100 * (i % 4)),
        "Ý kiến khác": "Đề nghị công khai danh sách lớp học thêm" if i % 4 == 0 else "",
    } for i in range(n)]


def test_google_forms_export():
    q = propose(list(google_rows()[0]), google_rows())
    assert kinds(q) == {
        "Dấu thời gian": "skip", "Họ và tên": "pii", "Số điện thoại": "pii", "Giới tính": "demographic",
        "Độ tuổi": "demographic", "Phường nơi ở": "demographic", "Anh/chị có đồng ý không?": "likert",
        "Lý do (chọn nhiều)": "multi", "Chi phí mỗi tháng": "number", "Ý kiến khác": "text",
    }
    by = {x.column: x for x in q.questions}
    assert by["Anh/chị có đồng ý không?"].options == AGREE            # the scale's order, not by count
    assert by["Độ tuổi"].options == ["Dưới 30 tuổi", "Từ 30 đến 45 tuổi", "Trên 60 tuổi"]
    assert by["Độ tuổi"].role == "age_group" and by["Phường nơi ở"].role == "ward"
    assert by["Lý do (chọn nhiều)"].separator == ", "
    assert [x.code for x in q.stored()] == [f"C{i}" for i in range(1, 8)]


def test_microsoft_forms_export_semicolon_multi_choice_and_email():
    rows = [{"ID": str(i), "Thời gian bắt đầu": "1/9/25 8:00:00", "Thời gian hoàn thành": "1/9/25 8:05:00",
             "Email": f"nguoi{i}@example.vn", "Tên": "Trần B", "Kênh thông tin anh/chị hay xem": ";".join(
                 ["Báo in", "Facebook", "Zalo"][: 1 + i % 3]) + ";",
             "Mức độ hài lòng": ["Hài lòng", "Bình thường", "Rất hài lòng"][i % 3]} for i in range(20)]
    q = propose(list(rows[0]), rows)
    assert kinds(q) == {"ID": "skip", "Thời gian bắt đầu": "skip", "Thời gian hoàn thành": "skip", "Email": "pii",
                        "Tên": "pii", "Kênh thông tin anh/chị hay xem": "multi", "Mức độ hài lòng": "likert"}
    multi = q.questions[5]
    assert multi.separator == ";" and multi.options[0] == "Báo in"


def test_kobotoolbox_columns_and_values_that_are_personal_data():
    rows = [{"start": "2025-09-01T08:00", "end": "2025-09-01T08:10", "gioi_tinh": ["Nam", "Nữ"][i % 2],
             "lien_he": f"09{88000000 + i}", "danh_gia": str(1 + i % 5), "_id": str(i), "_uuid": f"u{i}",
             "_submission_time": "2025-09-01"} for i in range(12)]
    q = propose(list(rows[0]), rows)
    k = kinds(q)
    assert k["start"] == k["end"] == k["_id"] == k["_uuid"] == k["_submission_time"] == "skip"
    assert k["lien_he"] == "pii"                    # phone numbers, whatever the header says
    assert k["gioi_tinh"] == "demographic"
    assert k["danh_gia"] == "likert" and q.questions[4].options == ["1", "2", "3", "4", "5"]


def test_typed_up_paper_forms_with_blanks():
    rows = [{"STT": str(i + 1), "Giới tính": ["Nam", "Nữ", ""][i % 3], "Câu 1": ["Có", "Không", ""][i % 3]}
            for i in range(15)]
    q = propose(list(rows[0]), rows)
    assert kinds(q) == {"STT": "skip", "Giới tính": "demographic", "Câu 1": "single"}
    assert q.by_code("C2").options == ["Có", "Không"]


def test_a_file_without_answer_columns_is_refused():
    rows = [{"Họ và tên": "A", "Dấu thời gian": "x", "Giới tính": "Nam"}] * 3
    with pytest.raises(SurveyError, match="không có cột câu trả lời"):
        propose(list(rows[0]), rows)


def test_questionnaire_round_trips_as_json_and_refuses_duplicates():
    q = propose(list(google_rows()[0]), google_rows())
    assert Questionnaire.from_json(q.to_json()) == q
    with pytest.raises(SurveyError, match="hai lần"):
        Questionnaire([Question("A", "single"), Question("A", "text")])


def test_one_option_per_spelling_with_or_without_diacritics():
    """«Có» and «co» were two options of a proposed one-choice question."""
    q = propose_column("Gia đình có con học thêm không?", ["Có", "Không", "co", "Có", "khong", "Có", "Không"] * 3)
    assert q.kind == "single" and q.options == ["Có", "Không"]


@pytest.mark.parametrize("header,values,options", [
    ("Đánh giá chất lượng dịch vụ y tế tại phường (1-5)", ["1", "2", "3", "4", "5"] * 4, [str(i) for i in range(1, 6)]),
    ("Anh/chị có đồng ý việc sáp nhập tổ dân phố không?", ["Đồng ý", "Không đồng ý", "Rất đồng ý"] * 4,
     ["Rất không đồng ý", "Không đồng ý", "Phân vân", "Đồng ý", "Rất đồng ý"]),
])
def test_a_rating_that_names_a_place_is_a_likert_question_not_the_respondents_ward(header, values, options):
    """A header with «phường» or «tổ dân phố» made the question the respondent profile's «Nơi ở»: the rating
    had no result of its own in the report."""
    q = propose_column(header, values)
    assert (q.kind, q.options) == ("likert", options)


def test_a_ward_question_is_still_demographic():
    q = propose_column("Phường nơi anh/chị sinh sống", ["Phường Uông Bí", "Phường Vàng Danh", "Phường Yên Tử"] * 4)
    assert (q.kind, q.role) == ("demographic", "ward")


def test_a_multiple_choice_option_with_a_comma_stays_one_option():
    """Google Forms joins the chosen options with ", " and an option «Không có người trông, đón con» was
    proposed as two options, «Không có người trông» and «đón con», each counted."""
    reasons = ["Con học yếu", "Ôn thi vào lớp 10", "Không có người trông, đón con", "Theo phong trào"]
    values = [", ".join(reasons[j] for j in range(4) if (i >> j) & 1) for i in range(1, 16)] * 2
    q = propose_column("Lý do cho con học thêm", values)
    assert q.kind == "multi" and sorted(q.options) == sorted(reasons)


def test_a_choice_question_with_google_forms_other_answers_stays_a_choice_question():
    """Google Forms puts the words typed into «Khác» among the chosen options: with one answer in fifty
    doing so, the checkbox question was proposed as free text (no table, no percentages)."""
    reasons = ["Con học yếu", "Ôn thi vào lớp 10", "Theo phong trào"]
    values = [", ".join(reasons[j] for j in range(3) if ((i % 7) + 1) >> j & 1) for i in range(500)]
    values[::50] = [v + f", lý do riêng số {i} của gia đình" for i, v in enumerate(values[::50])]
    q = propose_column("Lý do cho con học thêm", values)
    assert (q.kind, sorted(q.options)) == ("multi", sorted(reasons))
    single = [["Có", "Không", "Chưa rõ"][i % 3] for i in range(500)]
    single[::20] = [f"ý khác số {i}" for i in range(25)]
    q = propose_column("Gia đình có cho con học thêm?", single)
    assert (q.kind, sorted(q.options)) == ("single", sorted(["Có", "Không", "Chưa rõ"]))


def test_a_three_option_agreement_question_is_a_three_point_scale():
    values = ["Đồng ý", "Không đồng ý", "Phân vân"] * 20
    assert propose_column("Anh/chị có đồng ý hạn chế dạy thêm?", values).options == ["Không đồng ý", "Phân vân", "Đồng ý"]
    assert len(propose_column("Anh/chị có đồng ý hạn chế dạy thêm?", values[:30]).options) == 5   # few: unsure
    assert len(propose_column("Anh/chị có đồng ý?", values + ["Rất đồng ý"]).options) == 5


def test_in_a_small_survey_a_lower_case_one_off_is_an_other_answer():
    """30 forms: «con tôi thích học cô Lan ở tổ 5» typed into «Khác» was an option (a row of one person)."""
    values = ["Con học yếu, Theo phong trào", "Ôn thi vào lớp 10", "Con học yếu"] * 9 + [
        "Con học yếu, con tôi thích học cô Lan ở tổ 5", "Học cùng bạn"]
    q = propose_column("Lý do cho con học thêm", values)
    assert q.kind == "multi"
    assert sorted(q.options) == sorted(["Con học yếu", "Theo phong trào", "Ôn thi vào lớp 10", "Học cùng bạn"])
