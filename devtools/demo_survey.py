"""The demo survey: "dạy thêm, học thêm" in the three wards of the former TP Uông Bí, two waves.

    python -m devtools.demo_survey            # (re)writes demo/survey/*.csv|xlsx from this file
    load(cfg, db)                             # `make demo` imports both waves once

Team-written: the questions, the answer options, the free-text opinions (FREE_TEXT) and the way answers
are drawn are ours; no real respondent is behind any row. The draws are seeded, so the files are stable.
Built-in skews, for the cross-tab and the wave comparison to find:
- Phường Vàng Danh (mining shifts, parents with little time to help children) agrees much less with
  restricting extra classes than Uông Bí and Yên Tử;
- wave 2 (six months later) agrees more and is more satisfied with how schools apply the rule.
Wave 1 is a Google Forms CSV export; wave 2 the same form downloaded as XLSX.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

DIR = Path(__file__).resolve().parent.parent / "demo" / "survey"
WAVE_FILES = ("day-them-hoc-them-dot-1.csv", "day-them-hoc-them-dot-2.xlsx")
TITLE = "Khảo sát dư luận xã hội về dạy thêm, học thêm"

H_TIME = "Dấu thời gian"
H_NAME = "Họ và tên (không bắt buộc)"
H_PHONE = "Số điện thoại liên hệ"
H_GENDER = "Giới tính"
H_AGE = "Độ tuổi"
H_JOB = "Nghề nghiệp"
H_WARD = "Phường nơi ở"
H_CHILD = "Con anh/chị có đang học thêm ngoài giờ không?"
H_AGREE = "Anh/chị có đồng ý với quy định hạn chế dạy thêm, học thêm theo Thông tư 29/2024/TT-BGDĐT không?"
H_REASON = "Lý do cho con học thêm (có thể chọn nhiều)"
H_COST = "Chi phí học thêm mỗi tháng (nghìn đồng)"
H_SATISFIED = "Mức độ hài lòng với việc thực hiện quy định tại trường của con"
H_OPINION = "Ý kiến, kiến nghị khác"
HEADERS = [H_TIME, H_NAME, H_PHONE, H_GENDER, H_AGE, H_JOB, H_WARD, H_CHILD, H_AGREE, H_REASON, H_COST,
           H_SATISFIED, H_OPINION]

WARDS = ("Phường Uông Bí", "Phường Vàng Danh", "Phường Yên Tử")
AGES = ("Dưới 30 tuổi", "Từ 30 đến 45 tuổi", "Từ 46 đến 60 tuổi", "Trên 60 tuổi")
JOBS = ("Công nhân mỏ", "Cán bộ - công chức - viên chức", "Kinh doanh - buôn bán", "Lao động tự do",
        "Nghỉ hưu", "Khác")
AGREE = ("Rất không đồng ý", "Không đồng ý", "Phân vân", "Đồng ý", "Rất đồng ý")
SATISFIED = ("Rất không hài lòng", "Không hài lòng", "Bình thường", "Hài lòng", "Rất hài lòng")
REASONS = ("Củng cố kiến thức", "Luyện thi vào lớp 10", "Giáo viên gợi ý", "Không có thời gian kèm con",
           "Con muốn học cùng bạn")
NAMES = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Vũ Thị Hoa")

FREE_TEXT = (
    "Đề nghị nhà trường tổ chức phụ đạo miễn phí cho học sinh yếu.",
    "Ca làm ở mỏ kéo dài, bố mẹ không kèm con được nên vẫn phải cho đi học thêm.",
    "Cấm dạy thêm là đúng, nhiều thầy cô ép học sinh đi học ở nhà mình.",
    "Học phí học thêm quá cao so với thu nhập công nhân.",
    "Mong có lớp ôn thi vào 10 do trường tổ chức, thu phí công khai.",
    "Con tôi học thêm vì thích học cùng bạn, không ai ép.",
    "Nên kiểm tra các trung tâm dạy thêm không phép ở khu dân cư.",
    "Từ khi có quy định mới, cô giáo chủ nhiệm không còn gợi ý học thêm nữa, rất tốt.",
    "Chương trình nặng quá, không học thêm thì con theo không kịp.",
    "Đề nghị phường phổ biến rõ quy định để phụ huynh nắm được.",
    "Trường làm tốt, thông báo đầy đủ cho phụ huynh.",
    "Ở Vàng Danh xa trung tâm, ít lựa chọn lớp học thêm có phép.",
    "Tôi lo con thi vào lớp 10 trượt nếu không học thêm.",
    "Cần giảm số học sinh mỗi lớp để thầy cô dạy kỹ hơn trên lớp.",
    "Không có ý kiến gì thêm.",
    "Giáo viên lương thấp nên mới phải dạy thêm, cần tăng lương cho giáo viên.",
    "Học thêm nhiều làm các cháu mệt mỏi, không còn thời gian vui chơi.",
    "Đề nghị công khai danh sách cơ sở dạy thêm được cấp phép trên địa bàn phường.",
    "Thực hiện quy định còn hình thức, vẫn có lớp học thêm trá hình.",
    "Hài lòng với cách nhà trường tổ chức các câu lạc bộ học tập sau giờ học.",
)


def _weights(base: tuple[float, ...], shift: float) -> list[float]:
    """Move agreement up by `shift` (0…1) of the negative side's weight."""
    w = list(base)
    moved = (w[0] + w[1]) * shift
    w[0] *= 1 - shift
    w[1] *= 1 - shift
    w[3] += moved * 0.6
    w[4] += moved * 0.4
    return w


def responses(wave: int, n: int = 400, seed: int = 2025) -> list[dict[str, Any]]:
    """n respondents of one wave, as a form export gives them (header → cell)."""
    rng = random.Random(seed + wave)
    start = datetime(2025, 9, 15, 8) if wave == 1 else datetime(2026, 3, 16, 8)
    out = []
    for i in range(n):
        ward = rng.choices(WARDS, (0.42, 0.33, 0.25))[0]
        agree_base = (0.16, 0.34, 0.2, 0.2, 0.1) if ward == "Phường Vàng Danh" else (0.05, 0.13, 0.2, 0.39, 0.23)
        agree = rng.choices(AGREE, _weights(agree_base, 0.0 if wave == 1 else 0.35))[0]
        sat = rng.choices(SATISFIED, (0.1, 0.22, 0.38, 0.23, 0.07) if wave == 1 else (0.05, 0.12, 0.33, 0.36, 0.14))[0]
        child = rng.choices(("Có", "Không", "Không có con đang đi học"), (0.55, 0.3, 0.15))[0]
        job = rng.choices(JOBS, (0.45, 0.15, 0.12, 0.14, 0.08, 0.06) if ward == "Phường Vàng Danh"
                          else (0.12, 0.25, 0.22, 0.18, 0.15, 0.08))[0]
        reasons = [r for r in REASONS if rng.random() < (0.55 if r != "Không có thời gian kèm con" or
                                                          ward != "Phường Vàng Danh" else 0.8)] if child == "Có" else []
        if child == "Có" and not reasons:
            reasons = [rng.choice(REASONS)]
        row = {
            H_TIME: (start + timedelta(minutes=37 * i + rng.randint(0, 30))).strftime("%d/%m/%Y %H:%M:%S"),
            H_NAME: rng.choice(NAMES) if rng.random() < 0.08 else "",
            H_PHONE: f"09{rng.randint(10_000_000, 99_999_999)}" if rng.random() < 0.1 else "",
            H_GENDER: rng.choices(("Nam", "Nữ"), (0.46, 0.54))[0],
            H_AGE: rng.choices(AGES, (0.15, 0.45, 0.3, 0.1))[0],
            H_JOB: job,
            H_WARD: ward,
            H_CHILD: child,
            H_AGREE: agree if rng.random() > 0.02 else "",   # a few left it blank
            H_REASON: ", ".join(reasons),
            H_COST: str(rng.choice((300, 400, 500, 600, 800, 1000, 1200, 1500))) if child == "Có" else "",
            H_SATISFIED: sat,
            H_OPINION: rng.choice(FREE_TEXT) if rng.random() < 0.3 else "",
        }
        out.append(row)
    return out


def csv_bytes(rows: list[dict[str, Any]]) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=HEADERS)
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def xlsx_bytes(rows: list[dict[str, Any]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Câu trả lời biểu mẫu 1"
    ws.append(HEADERS)
    for r in rows:
        ws.append([int(r[h]) if h == H_COST and r[h] else r[h] for h in HEADERS])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_files(directory: Path = DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    a, b = directory / WAVE_FILES[0], directory / WAVE_FILES[1]
    a.write_bytes(csv_bytes(responses(1)))
    b.write_bytes(xlsx_bytes(responses(2)))
    return [a, b]


def load(cfg: Any, db: Any, *, tag: bool = True) -> list[int]:
    """Import both shipped waves unless they are there (`langnghe demo`: serve's `at_start`, in the scheduler thread)."""
    from orchestration import surveys as importer
    from store.db import utcnow
    from store.surveys import list_surveys
    from surveys.model import Questionnaire

    with db.read() as cur:
        if list_surveys(cur):
            return []
    ids: list[int] = []
    questionnaire: Questionnaire | None = None
    for name in WAVE_FILES:
        with open(DIR / name, "rb") as f:
            if questionnaire is None:
                questionnaire = importer.preview(name, f, cfg.imports).questionnaire
            res = importer.import_survey(db, cfg, name, f, questionnaire, title=TITLE, username="hệ thống",
                                         now=utcnow(), tag=tag)
            ids.append(res.survey_id)
    return ids


if __name__ == "__main__":
    for p in write_files():
        print(p)
