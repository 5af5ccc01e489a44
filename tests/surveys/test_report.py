"""The survey report read back: DOCX with python-docx, XLSX with openpyxl; and the CLI end to end."""

from __future__ import annotations

import docx
import openpyxl
import pytest

from devtools import demo_survey
from langnghe import cli
from reports.survey import build_tables, previous_wave, write_survey_report
from store import surveys as store_surveys
from store.db import utcnow
from surveys import stats
from surveys.model import Questionnaire


@pytest.fixture
def loaded(db, cfg):
    ids = demo_survey.load(cfg, db, tag=False)
    return ids


def test_tables_match_the_statistics_and_find_the_built_in_skews(db, loaded):
    with db.read() as cur:
        t = build_tables(cur, loaded[1], previous_wave(cur, loaded[1]))
        q = Questionnaire.from_json(store_surveys.get_survey(cur, loaded[1]).questionnaire)
        agree = store_surveys.answers_wide(cur, loaded[1], ["C6"])["C6"]
    numbers = [x.number for x in t.tables]
    assert numbers[:4] == ["1A", "1B", "1C", "1D"] and "2A" in numbers and "4B" in numbers
    f = stats.frequency(agree, q.by_code("C6").options)
    row = next(x for x in t.tables if x.number == "2B").rows[3]                 # «Đồng ý»
    assert row[0] == "Đồng ý" and row[1] == f.rows[3].count
    assert any("Phường Vàng Danh" in line and "Có khác biệt" in line for line in t.findings)   # ward skew
    assert any("thay đổi có ý nghĩa thống kê" in line for line in t.findings)                   # wave change


def test_docx_and_xlsx_read_back(db, cfg, loaded, tmp_path):
    with db.read() as cur:
        prev = previous_wave(cur, loaded[1])
    files = write_survey_report(cfg, db, loaded[1], tmp_path, compare_to=prev, now=utcnow())
    d = docx.Document(str(files["docx"]))
    text = "\n".join(p.text for p in d.paragraphs)
    for needed in ("BÁO CÁO", "III- KẾT QUẢ CHỦ YẾU", "Phụ lục 1A", "Phụ lục 2B", "Phụ lục 4B", "Wilson"):
        assert needed in text, needed
    assert "Nguyễn Văn An" not in text and "09" not in "".join(c.text for t in d.tables for r in t.rows for c in r.cells
                                                               if c.text.isdigit() and len(c.text) == 10)
    head = [c.text for c in d.tables[-1].rows[0].cells] if d.tables else []
    assert head
    wb = openpyxl.load_workbook(files["xlsx"], read_only=True)
    assert "PL 2B" in wb.sheetnames and wb.sheetnames[0] == "Kết quả chủ yếu"
    rows = list(wb["PL 2B"].iter_rows(values_only=True))
    assert any(r and r[0] == "Rất đồng ý" for r in rows)
    # shares and means are numbers Excel can sum and chart, not text «53,3» (the interval stays text)
    agree = next(r for r in rows if r and r[0] == "Rất đồng ý")
    assert isinstance(agree[1], int) and isinstance(agree[2], float) and isinstance(agree[3], str)
    assert any(r and str(r[0]).startswith("Điểm trung bình") and isinstance(r[2], float) for r in rows)


def test_cli_import_list_report(tmp_path, cfg, capsys, monkeypatch):
    conf = tmp_path / "c.toml"
    conf.write_text(f'[storage]\ndb_path = "{cfg.storage.db_path}"\nsnapshot_path = "{tmp_path}/s.duckdb"\n',
                    encoding="utf-8")
    base = ["--config", str(conf), "survey"]
    w1, w2 = (str(demo_survey.DIR / n) for n in demo_survey.WAVE_FILES)
    assert cli.main([*base, "import", w1, "--preview"]) == 0
    assert "Thang đo (Likert)" in capsys.readouterr().out
    assert cli.main([*base, "import", w1, "--title", "Dạy thêm"]) == 0
    assert cli.main([*base, "import", w2, "--like", "1"]) == 0
    out = capsys.readouterr().out
    assert "đợt 2: 400 phiếu" in out
    assert cli.main([*base, "list"]) == 0
    assert "Dạy thêm — đợt 2" in capsys.readouterr().out
    assert cli.main([*base, "report", "2", "--out", str(tmp_path / "out")]) == 0
    assert ".docx" in capsys.readouterr().out
    assert cli.main([*base, "report", "9"]) == 2
    assert "không có khảo sát số 9" in capsys.readouterr().err


def test_waves_are_compared_question_by_question_when_the_form_gained_a_question(db, cfg):
    """Wave 2's form asks «Nghề nghiệp» after «Giới tính», so its codes shift by one: the comparison set
    wave 2's «Hài lòng?» (C3) against wave 1's C3, another question, and called the change significant."""
    from orchestration import surveys as importer
    from tests.surveys.conftest import csv_file

    def wave(rows, name):
        f = csv_file(rows)
        q = importer.preview(name, f, cfg.imports).questionnaire
        return importer.import_survey(db, cfg, name, f, q, title="Khảo sát về y tế", username="u", now=utcnow(),
                                      tag=False).survey_id

    w1 = wave([{"Giới tính": ["Nam", "Nữ"][i % 2], "Có con đi học thêm?": "Có" if i % 5 else "Không",
                "Hài lòng với trạm y tế?": "Có" if i % 2 else "Không"} for i in range(100)], "dot1.csv")
    w2 = wave([{"Giới tính": ["Nam", "Nữ"][i % 2], "Nghề nghiệp": ["Công nhân", "Hưu trí"][i % 2],
                "Có con đi học thêm?": "Có" if i % 5 else "Không",
                "Hài lòng với trạm y tế?": "Có" if i % 2 else "Không"} for i in range(100)], "dot2.csv")
    with db.read() as cur:
        t = build_tables(cur, w2, w1)
    compared = [x for x in t.tables if x.number.startswith("4")]
    assert [x.title for x in compared] == ["Câu C3 «Có con đi học thêm?»: đợt 1 so với đợt 2",
                                           "Câu C4 «Hài lòng với trạm y tế?»: đợt 1 so với đợt 2"]
    assert all(r[5] == "Không" for x in compared for r in x.rows)          # the same answers: no change
    assert not any("thay đổi có ý nghĩa" in line for line in t.findings)
