"""Importing survey waves into a real DuckDB file: the demo's Google Forms CSV and XLSX waves, personal
data dropped (or kept by an admin, audited), and bad input refused with nothing half-imported."""

from __future__ import annotations

import io
from pathlib import Path
from dataclasses import replace

import pytest

from devtools import demo_survey
from orchestration import surveys as importer
from store import surveys as store_surveys
from store import users as store_users
from store.db import utcnow
from surveys.model import Questionnaire, SurveyError
from tests.conftest import database, make_config
from tests.surveys.conftest import csv_file

WAVE1 = demo_survey.DIR / demo_survey.WAVE_FILES[0]
WAVE2 = demo_survey.DIR / demo_survey.WAVE_FILES[1]


def _import(db, cfg, path, q=None, **kw):
    with open(path, "rb") as f:
        q = q or importer.preview(path.name, f, cfg.imports).questionnaire
        return importer.import_survey(db, cfg, path.name, f, q, title=kw.pop("title", demo_survey.TITLE),
                                      username="chuyenvien", now=utcnow(), tag=kw.pop("tag", False), **kw), q


def counts(db) -> tuple[int, int]:
    with db.read() as cur:
        return (cur.execute("SELECT count(*) FROM surveys").fetchone()[0],
                cur.execute("SELECT count(*) FROM survey_answers").fetchone()[0])


def test_two_waves_of_the_demo_survey(db, cfg):
    r1, q = _import(db, cfg, WAVE1)
    r2, _ = _import(db, cfg, WAVE2, q=q, series=r1.series)
    assert (r1.wave, r2.wave) == (1, 2) and r1.respondents == r2.respondents == 400
    assert r1.dropped_pii == ["Họ và tên (không bắt buộc)", "Số điện thoại liên hệ"]
    with db.read() as cur:
        values = {v for (v,) in cur.execute("SELECT DISTINCT value FROM survey_answers").fetchall()}
        multi = store_surveys.answers_long(cur, r1.survey_id, q.by_code("C7").code)
    assert not any(v.startswith("09") and v.isdigit() for v in values)          # no phone number stored
    assert not any(n in values for n in demo_survey.NAMES)                     # no name stored
    assert set(multi["value"]) == set(demo_survey.REASONS)                      # split on ", "
    with open(WAVE1, "rb") as f:
        with pytest.raises(SurveyError, match="đã được nhập"):
            importer.import_survey(db, cfg, WAVE1.name, f, q, title="x", username="u", now=utcnow())


def test_free_text_answers_are_tagged_by_the_nlp_pipeline(db, cfg):
    rows = [{"Giới tính": ["Nam", "Nữ"][i % 2], "Ý kiến khác": t} for i, t in enumerate(
        ["Bụi than từ bãi thải gây ô nhiễm nặng ở phường Vàng Danh", "Học phí học thêm quá cao",
         "Trường học thiếu phòng học, học sinh phải học ca ba", ""] * 3)]
    f = csv_file(rows)
    q = importer.preview("y-kien.csv", f, cfg.imports).questionnaire
    code = next(x.code for x in q.questions if x.kind == "text")
    res = importer.import_survey(db, cfg, "y-kien.csv", f, q, title="Ý kiến", username="u", now=utcnow())
    assert res.text_answers == 9
    with db.read() as cur:
        df = store_surveys.free_text(cur, res.survey_id, code)
        hits = store_surveys.free_text(cur, res.survey_id, code, "hoc phi")
    assert len(df) == 9 and "environment" in set(df["topics"].iloc[0])
    assert len(hits) == 3


def test_free_text_answers_are_read_as_comments(db, cfg):
    """A free-text answer is a reply to the question: it reaches the pipeline flagged as a comment, so the comment
    topic model reads it (round 18, nlp.steps.topics_by_comment_model)."""
    from nlp.steps import item_topics_by_comment_model

    class Recording:
        rows: list[dict] = []

        def tag(self, rows):
            self.rows.extend(rows)
            return [{"topics": [], "sentiment": "neutral", "places": []} for _ in rows]

    f = csv_file([{"Giới tính": "Nam", "Ý kiến khác": "Học phí học thêm quá cao"}] * 2)
    q = importer.preview("y-kien.csv", f, cfg.imports).questionnaire
    code = next(x.code for x in q.questions if x.kind == "text")
    res = importer.import_survey(db, cfg, "y-kien.csv", f, q, title="Ý kiến", username="u", now=utcnow(), tag=False)
    pipe = Recording()
    assert importer.tag_free_text(db, cfg, res.survey_id, [code], pipeline=pipe) == 2
    assert [item_topics_by_comment_model(r) for r in pipe.rows] == [True]  # the same text, tagged once


def test_each_distinct_answer_text_is_tagged_once_and_its_tags_go_to_every_answer_with_it(db, cfg, monkeypatch):
    """Real surveys repeat answers («Hài lòng»): until round 25 every answer went through the
    pipeline (the demo's 258 answers hold 39 texts). Repeats across the tagging chunks count too."""
    from collections import Counter

    class Counting:
        texts: Counter[str] = Counter()

        def tag(self, rows):
            self.texts.update(r["text"] for r in rows)
            return [{"topics": [f"t{len(r['text'])}"], "sentiment": ["negative", "positive"][len(r["text"]) % 2],
                     "places": [r["text"][:4]]} for r in rows]

    said = ["Hài lòng", "Cần thêm đèn đường", "Hài lòng", "Đường sá xuống cấp ở Vàng Danh", "Hài lòng",
            "Cần thêm đèn đường", "Hài lòng"]  # («Không có ý kiến» is not stored: is_no_opinion)
    f = csv_file([{"Giới tính": "Nam", "Ý kiến khác": t} for t in said])
    q = importer.preview("y-kien.csv", f, cfg.imports).questionnaire
    code = next(x.code for x in q.questions if x.kind == "text")
    res = importer.import_survey(db, cfg, "y-kien.csv", f, q, title="Ý kiến", username="u", now=utcnow(), tag=False)
    monkeypatch.setattr(importer, "TAG_CHUNK", 3)  # the repeats fall in other chunks than their first
    pipe = Counting()
    assert importer.tag_free_text(db, cfg, res.survey_id, [code], pipeline=pipe) == len(said)
    assert pipe.texts == Counter(set(said))  # once each
    with db.read() as cur:
        df = store_surveys.free_text(cur, res.survey_id, code)
    assert len(df) == len(said)
    for t, topics, sentiment, places in zip(df["text"], df["topics"], df["sentiment"], df["places"]):
        want = Counting().tag([{"text": t}])[0]
        assert (list(topics), sentiment, list(places)) == (want["topics"], want["sentiment"], want["places"])


def test_admin_keeping_personal_data_is_audited(db, cfg):
    with open(WAVE1, "rb") as f:
        q = importer.preview(WAVE1.name, f, cfg.imports).questionnaire
    q.questions[2].keep = True                                                  # Số điện thoại liên hệ
    res, _ = _import(db, cfg, WAVE1, q=q)
    assert res.kept_pii == ["Số điện thoại liên hệ"]
    with db.read() as cur:
        audit = store_users.list_audit(cur)
    assert [a["action"] for a in audit] == ["survey_keep_personal_data"]


@pytest.mark.parametrize("content,message", [
    (b"", "trống"),
    ("Giới tính,Câu 1\n".encode(), "không có phiếu"),
    ("Họ và tên,Dấu thời gian\nA,1\nB,2\n".encode(), "không có cột câu trả lời"),
])
def test_bad_files_get_a_clear_error(cfg, content, message):
    with pytest.raises(SurveyError, match=message):
        importer.preview("x.csv", io.BytesIO(content), cfg.imports)


def test_mixed_types_in_a_number_column_leave_words_out_of_the_base(db, cfg):
    rows = [{"Giới tính": "Nam", "Số con": v} for v in ["1", "2", "hai", "3", ""]]
    from surveys.model import Question, Questionnaire

    q = Questionnaire([Question("Giới tính", "demographic", role="gender", options=["Nam"]), Question("Số con", "number")])
    res = importer.import_survey(db, cfg, "m.csv", csv_file(rows), q, title="m", username="u", now=utcnow(), tag=False)
    with db.read() as cur:
        vals = store_surveys.answers_long(cur, res.survey_id, "C2")["value"].tolist()
    assert vals == ["1", "2", "3"]


def test_an_interrupted_or_failing_import_leaves_nothing(db, cfg, monkeypatch):
    monkeypatch.setattr(importer, "TAG_CHUNK", 10)
    cfg_small = replace(cfg, imports=replace(cfg.imports, chunk_rows=5))
    with pytest.raises(importer.SurveyInterrupted):
        _import(db, cfg_small, WAVE1, should_stop=lambda: True)
    assert counts(db) == (0, 0)

    def boom(*a, **kw):
        raise OSError("đĩa đầy")

    calls = {"n": 0}
    real = store_surveys.add_answers

    def fail_second(*a, **kw):
        calls["n"] += 1
        if calls["n"] == 2:
            boom()
        real(*a, **kw)

    monkeypatch.setattr(store_surveys, "add_answers", fail_second)
    with pytest.raises(OSError):
        _import(db, cfg_small, WAVE1)
    assert counts(db) == (0, 0)


def test_a_file_missing_the_saved_questionnaire_columns(db, cfg):
    _, q = _import(db, cfg, WAVE1)
    with pytest.raises(SurveyError, match="thiếu các cột"):
        importer.import_survey(db, cfg, "khac.csv", csv_file([{"Giới tính": "Nam"}]), q, title="x", username="u",
                               now=utcnow())


def test_a_long_file_is_streamed_in_chunks_with_progress(db, cfg, tmp_path):
    """100k rows are measured by bench/survey_import.py; here 2,000 rows with small chunks show the stream."""
    rows = []
    for seed in range(5):
        rows += demo_survey.responses(1, n=400, seed=seed)
    path = tmp_path / "dai.csv"
    path.write_bytes(demo_survey.csv_bytes(rows))
    seen: list[tuple[int, float | None]] = []
    res, _ = _import(db, replace(cfg, imports=replace(cfg.imports, chunk_rows=50)), path,
                     on_progress=lambda n, share: seen.append((n, share)))
    assert res.respondents == 2000
    assert len(seen) > 10 and [n for n, _ in seen] == sorted(n for n, _ in seen)
    assert all(s is None or 0 < s <= 1 for _, s in seen)


def test_cli_a_missing_file_is_said_in_vietnamese(tmp_path, monkeypatch, capsys):
    """`langnghe survey import` on a mistyped file name printed the OS's '[Errno 2] No such file or directory'."""
    from langnghe import cli

    monkeypatch.setenv("LANGNGHE_DB", str(tmp_path / "s.duckdb"))
    assert cli.main(["survey", "import", str(tmp_path / "khong-co.csv"), "--preview"]) == 2
    err = capsys.readouterr().err
    assert "không có tệp" in err and "Errno" not in err
    assert cli.main(["survey", "import", str(tmp_path), "--preview"]) == 2
    assert "là một thư mục" in capsys.readouterr().err


def test_answers_typed_without_diacritics_count_as_the_option(db, cfg):
    """A typed-up paper form or a phone keyboard gives "dong y", "Hai long": they were options of their own,
    left out of the Likert mean and the top-two box while the base counted them."""
    from surveys.model import Question, Questionnaire

    scale = ["Rất không hài lòng", "Không hài lòng", "Bình thường", "Hài lòng", "Rất hài lòng"]
    q = Questionnaire([Question("Mức độ hài lòng", "likert", options=scale),
                       Question("Vấn đề quan tâm", "multi", options=["Y tế", "Giáo dục"], separator=", ")])
    rows = [{"Mức độ hài lòng": v, "Vấn đề quan tâm": m} for v, m in
            [("Hài lòng", "Y tế"), ("hai long", "y te, Giao duc"), ("HÀI LÒNG", "Giáo dục"), ("Rat hai long", "Y tế")]]
    res = importer.import_survey(db, cfg, "k.csv", csv_file(rows), q, title="k", username="u", now=utcnow(), tag=False)
    with db.read() as cur:
        likert = store_surveys.answers_long(cur, res.survey_id, "C1")["value"].tolist()
        multi = store_surveys.answers_long(cur, res.survey_id, "C2")["value"].tolist()
    assert likert == ["Hài lòng", "Hài lòng", "Hài lòng", "Rất hài lòng"]
    assert sorted(multi) == ["Giáo dục", "Giáo dục", "Y tế", "Y tế", "Y tế"]


def test_a_typed_up_tally_with_a_totals_row_and_blank_rows(db, cfg):
    """A paper tally typed into Excel ends with «Tổng cộng» and the column totals: it was a 21st respondent,
    and «20» an answer option of every question."""
    import csv

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["STT", "Giới tính", "Anh/chị có đồng ý hạn chế dạy thêm?"])
    for i in range(20):
        w.writerow([i + 1, ["Nam", "Nữ"][i % 2], ["Đồng ý", "Không đồng ý", "Phân vân", "Đồng ý"][i % 4]])
        if i == 9:
            w.writerow(["", "", ""])
    w.writerow(["Tổng cộng:", "20", "20"])
    f = io.BytesIO(buf.getvalue().encode("utf-8"))
    q = importer.preview("kiem-dem.csv", f, cfg.imports).questionnaire
    assert all("20" not in x.options for x in q.questions)
    res = importer.import_survey(db, cfg, "kiem-dem.csv", f, q, title="t", username="u", now=utcnow(), tag=False)
    assert (res.respondents, res.empty_rows) == (20, 2)
    with db.read() as cur:
        assert "20" not in set(store_surveys.answers_long(cur, res.survey_id, "C1")["value"])


def test_a_name_or_phone_written_into_an_answer_is_not_stored(db, cfg):
    """Respondents sign their opinion («Tôi là …, sđt …») or type it into Google Forms' «Khác»: it was stored
    and quoted as it was in the report's free-text examples and the page."""
    from surveys.model import Question, Questionnaire

    q = Questionnaire([Question("Lý do", "multi", options=["Con học yếu", "Ôn thi"], separator=", "),
                       Question("Ý kiến khác", "text")])
    rows = [{"Lý do": "Con học yếu, nhờ gọi 0912 345 678", "Ý kiến khác":
             "Tôi là Nguyễn Văn Hùng, sđt 0912345678, email hung.nv@gmail.com, đề nghị xử lý việc ép học thêm"},
            {"Lý do": "Ôn thi", "Ý kiến khác": "Học phí 500000 đồng một tháng là quá cao"}]
    res = importer.import_survey(db, cfg, "p.csv", csv_file(rows), q, title="p", username="u", now=utcnow(), tag=False)
    with db.read() as cur:
        stored = " | ".join(cur.execute("SELECT value FROM survey_answers WHERE survey_id = ?",
                                        [res.survey_id]).df()["value"])
    for secret in ("Nguyễn Văn Hùng", "0912345678", "0912 345 678", "hung.nv@gmail.com"):
        assert secret not in stored
    assert "Tôi là [họ tên], sđt [số điện thoại], email [email], đề nghị xử lý việc ép học thêm" in stored
    assert "Học phí 500000 đồng một tháng là quá cao" in stored and "nhờ gọi [số điện thoại]" in stored


def test_a_chosen_option_holding_the_separator_is_counted_once(db, cfg):
    from surveys.model import Question, Questionnaire

    q = Questionnaire([Question("Lý do", "multi", options=["Con học yếu", "Không có người trông, đón con"],
                                separator=", ")])
    rows = [{"Lý do": "Con học yếu, Không có người trông, đón con"}, {"Lý do": "khong co nguoi trong, don con"}]
    res = importer.import_survey(db, cfg, "m.csv", csv_file(rows), q, title="m", username="u", now=utcnow(), tag=False)
    with db.read() as cur:
        vals = store_surveys.answers_long(cur, res.survey_id, "C1")["value"].tolist()
    assert vals == ["Con học yếu", "Không có người trông, đón con", "Không có người trông, đón con"]


def test_no_opinion_in_a_free_text_box_is_not_an_opinion(db, cfg):
    """«Không», «Không có ý kiến.», «ko», «-» were counted as opinions («N ý kiến» in the report) and given a
    topic by the NLP pipeline."""
    from surveys.model import Question, Questionnaire

    q = Questionnaire([Question("Giới tính", "demographic", role="gender", options=["Nam", "Nữ"]),
                       Question("Ý kiến khác", "text")])
    rows = [{"Giới tính": "Nam", "Ý kiến khác": t} for t in
            ["Không", "Không có ý kiến.", "ko", "-", "Không có gì thêm!", "Không đồng ý với việc ép học thêm",
             "Học phí cao"]]
    res = importer.import_survey(db, cfg, "n.csv", csv_file(rows), q, title="n", username="u", now=utcnow(), tag=False)
    assert (res.respondents, res.text_answers) == (7, 2)
    with db.read() as cur:
        assert store_surveys.answers_long(cur, res.survey_id, "C2")["value"].tolist() == [
            "Không đồng ý với việc ép học thêm", "Học phí cao"]


def test_a_sheet_opening_with_the_forms_title_gets_a_way_to_fix_it(cfg):
    """A tally typed into Excel opens with «PHIẾU ĐIỀU TRA …» merged over the columns: the first row named
    one column, and staff read «Tệp không có cột câu trả lời nào», which says nothing of the title row."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["PHIẾU ĐIỀU TRA DƯ LUẬN XÃ HỘI - PHƯỜNG VÀNG DANH"])
    ws.merge_cells("A1:D1")
    ws.append(["STT", "Giới tính", "Anh/chị có đồng ý hạn chế dạy thêm?", "Ý kiến khác"])
    for i in range(10):
        ws.append([i + 1, ["Nam", "Nữ"][i % 2], ["Đồng ý", "Không đồng ý"][i % 2], "Học phí cao"])
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(SurveyError, match="dòng đầu có lẽ là tiêu đề của phiếu"):
        importer.preview("kiem-dem.xlsx", buf, cfg.imports)


def test_the_same_forms_under_other_bytes_or_in_a_longer_export_are_refused(db, cfg, tmp_path, capsys):
    """The file check compared bytes: the same CSV saved again (CRLF), or the Google Forms export downloaded
    again after 10 more forms came in, was imported as wave 2 and every form counted twice."""
    from langnghe import cli

    def lines(n: int, eol: str) -> bytes:
        rows = ["Giới tính,Anh/chị có đồng ý hạn chế dạy thêm?"]
        rows += [f"{['Nam', 'Nữ'][i % 2]},{['Đồng ý', 'Không đồng ý', 'Phân vân'][i % 3]}" for i in range(n)]
        return eol.join(rows).encode() + eol.encode()

    def imp(data: bytes, name: str):
        f = io.BytesIO(data)
        q = importer.preview(name, f, cfg.imports).questionnaire
        return importer.import_survey(db, cfg, name, f, q, title="Dạy thêm", username="u", now=utcnow(), tag=False)

    first = imp(lines(30, "\n"), "khao-sat.csv")
    with pytest.raises(SurveyError, match="đã được nhập \\(khảo sát số 1, tệp «khao-sat.csv»\\)"):
        imp(lines(30, "\r\n"), "khao-sat (1).csv")
    with pytest.raises(SurveyError, match="30 phiếu đầu của tệp này đã được nhập ở khảo sát số 1"):
        imp(lines(40, "\n"), "khao-sat-moi.csv")
    assert counts(db)[0] == 1
    db.close()
    conf = tmp_path / "c.toml"
    conf.write_text(f'[storage]\ndb_path = "{cfg.storage.db_path}"\nsnapshot_path = "{tmp_path}/s.duckdb"\n',
                    encoding="utf-8")
    assert cli.main(["--config", str(conf), "survey", "delete", str(first.survey_id)]) == 0
    assert "Đã xóa khảo sát số 1 «Dạy thêm», đợt 1 (30 phiếu" in capsys.readouterr().out
    again = database(cfg.storage.db_path)
    with again.read() as cur:
        assert cur.execute("SELECT count(*) FROM survey_answers").fetchone()[0] == 0
        assert [a["action"] for a in store_users.list_audit(cur)] == ["survey_delete"]
    again.close()


def test_a_later_wave_whose_form_gained_or_renamed_a_question(db, cfg):
    """With the saved questionnaire (--like, «Đợt sau của»), a question added to the form was dropped without
    a word, and a renamed one stopped the import with no way forward."""
    first = csv_file([{"Giới tính": ["Nam", "Nữ"][i % 2], "Hài lòng?": "Có"} for i in range(10)])
    q = importer.preview("d1.csv", first, cfg.imports).questionnaire
    importer.import_survey(db, cfg, "d1.csv", first, q, title="Y tế", username="u", now=utcnow(), tag=False)
    grown = csv_file([{"Giới tính": "Nam", "Hài lòng?": "Không", "Nghề nghiệp": "Hưu trí"} for _ in range(10)])
    res = importer.import_survey(db, cfg, "d2.csv", grown, Questionnaire.from_json(q.to_json()), title="Y tế",
                                 username="u", now=utcnow(), tag=False)
    assert (res.wave, res.unknown_columns) == (2, ["Nghề nghiệp"])
    renamed = csv_file([{"Giới tính": "Nam", "Anh/chị có hài lòng?": "Có"} for _ in range(10)])
    with pytest.raises(SurveyError, match="nhập tệp như khảo sát mới với cùng tên khảo sát"):
        importer.import_survey(db, cfg, "d3.csv", renamed, q, title="Y tế", username="u", now=utcnow(), tag=False)


def test_an_amount_of_money_in_an_answer_is_not_taken_for_an_id_number():
    """«Tiền đền bù 350000000 đồng quá thấp» was stored as «[số giấy tờ] đồng quá thấp»."""
    from vocab.privacy import mask_personal_text

    assert mask_personal_text("Tiền đền bù 350000000 đồng quá thấp, chỉ 120000000đ") == \
        "Tiền đền bù 350000000 đồng quá thấp, chỉ 120000000đ"
    assert mask_personal_text("CCCD 022190001234, gọi 0912 345 678") == "CCCD [số giấy tờ], gọi [số điện thoại]"


def _survey_before_masking(tmp_path, monkeypatch, q, rows, columns, values):  # type: ignore[no-untyped-def]
    """A database made by the release before migration 131 (answers not masked at import) holding one survey
    with these answers: (its path, the survey's id)."""
    from store import db as db_mod
    from store.db import Database

    path = tmp_path / "cu.duckdb"
    known = db_mod.migrations()
    with monkeypatch.context() as m:
        m.setattr(db_mod, "migrations", lambda: [x for x in known if x[0] < 131])
        with Database(path) as old, old.write() as cur:  # migrated here: not the worker's (fully migrated) copy
            sid = store_surveys.add_survey(cur, title="p", series="p", wave=1, file_name="p.csv", file_sha1="x",
                                           now=utcnow(), username="u", questionnaire=q.to_json(), area="")
            store_surveys.add_answers(cur, sid, rows, columns, values)
    return path, sid

def test_answers_stored_before_masking_at_import_are_masked_once_at_start(tmp_path, monkeypatch, caplog):
    """walk7 masked phones, e-mails, ID numbers and signed names at import; surveys imported before kept them. A
    database made by the older release (migrations below 131) with such answers: serve's start job masks free
    text and write-ins once (options stay), says how many in Vietnamese, and a second run changes nothing."""
    import logging

    from orchestration.jobs import survey_masking
    from surveys.model import Question

    q = Questionnaire([Question("Lý do", "multi", options=["Con học yếu", "Ôn thi"], separator=", "),
                       Question("Ý kiến khác", "text")])
    path, sid = _survey_before_masking(tmp_path, monkeypatch, q, [1, 1, 1, 2, 2], ["C1", "C1", "C2", "C1", "C2"], [
        "Con học yếu", "nhờ gọi 0912 345 678",
        "Tôi là Nguyễn Văn Hùng, sđt 0912345678, email hung.nv@gmail.com, đề nghị xử lý việc ép học thêm",
        "Ôn thi", "Học phí 500000 đồng một tháng là quá cao"])
    cfg = make_config(tmp_path)
    with database(path) as db:
        caplog.set_level(logging.INFO, logger="langnghe.surveys")
        job = survey_masking(cfg, db)
        job()
        with db.read() as cur:
            stored = sorted(cur.execute("SELECT value FROM survey_answers WHERE survey_id = ?", [sid]).df()["value"])
        assert stored == sorted(["Con học yếu", "nhờ gọi [số điện thoại]", "Tôi là [họ tên], sđt [số điện thoại], "
                                 "email [email], đề nghị xử lý việc ép học thêm", "Ôn thi",
                                 "Học phí 500000 đồng một tháng là quá cao"])
        assert "Đã che số điện thoại, e-mail, số giấy tờ và họ tên tự ghi trong 2 câu trả lời của 1 khảo sát" \
            in caplog.text
        caplog.clear()
        assert importer.mask_stored_answers(db) == 0 and "Đã che" not in caplog.text
        with db.read() as cur:
            assert sorted(cur.execute("SELECT value FROM survey_answers WHERE survey_id = ?",
                                      [sid]).df()["value"]) == stored
            assert store_surveys.unmasked_surveys(cur) == []


def test_old_answers_are_masked_without_holding_the_write_lock(tmp_path, monkeypatch):
    """Masking is Python regular expressions over every free-text answer: 5–10 s for a survey of 100,000 answers,
    during which the dashboard's writes (a login, an alert's status) waited on the lock at serve's start."""
    from orchestration import surveys as importer_mod
    from surveys.model import Question

    q = Questionnaire([Question("Ý kiến khác", "text")])
    path, sid = _survey_before_masking(tmp_path, monkeypatch, q, [1], ["C1"], ["gọi 0912 345 678"])
    with database(path) as db:
        real, locked = importer_mod._masked_value, []

        def masked(question, value):
            locked.append(db._write_lock.locked())
            return real(question, value)

        monkeypatch.setattr(importer_mod, "_masked_value", masked)
        assert importer_mod.mask_stored_answers(db) == 1
        with db.read() as cur:
            assert cur.execute("SELECT value FROM survey_answers").fetchone() == ("gọi [số điện thoại]",)
            assert store_surveys.unmasked_surveys(cur) == []
    assert locked == [False]


@pytest.mark.parametrize("title,file_name,series,expected", [
    ("\u200b\u202e", "Phiếu  y tế.csv", None, "Phiếu y tế"),   # nothing visible: the file's cleaned name
    ("", "\u200b.csv", "\u2066", "Khảo sát"),                    # nor in the name: «Khảo sát»
    ("  Ý kiến\n\u200bngười dân ", "k.csv", None, "Ý kiến người dân"),
])
def test_a_title_with_nothing_visible_is_not_stored_empty(db, cfg, title, file_name, series, expected):
    """Round 22 review: a title of invisible characters only was cleaned to "" and the wave joined series "";
    now the title falls back to the file's stored name (no extension), as the page and the CLI propose, or to
    «Khảo sát», and the series to the title."""
    from surveys.model import Question

    q = Questionnaire([Question("Số con", "number")])
    res = importer.import_survey(db, cfg, file_name, csv_file([{"Số con": "2"}]), q, title=title, series=series,
                                 username="u", now=utcnow(), tag=False)
    with db.read() as cur:
        row = store_surveys.get_survey(cur, res.survey_id)
    assert (row.title, row.series, res.series) == (expected, expected, expected)


def test_a_file_name_and_a_title_are_made_one_line_by_one_function():
    """`" ".join(visible(x).split())` was written in collectors.imports.items and orchestration.surveys: one
    function now, at the lower layer (collectors.textutil.one_line); HTML entities stay as typed."""
    from collectors.imports import stored_name
    from collectors.textutil import one_line

    assert one_line(" a\u200b\n\tb  &amp; c\x1b ") == "a b &amp; c"
    assert stored_name("thư mục/a\u202e\n b.csv") == one_line("a\u202e\n b.csv") == "a b.csv"
    assert "visible(" not in Path(importer.__file__).read_text(encoding="utf-8")
