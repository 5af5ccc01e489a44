"""The survey report: a short body and numbered appendix tables, DOCX + XLSX, in the weekly report's frame.

    store.surveys (answers) ─▶ surveys.stats ─▶ SurveyTables (one table per appendix, typed)
        ─▶ Doc (reports.frame: the same heading block, layout and signing block as the weekly report)
           I. Mục đích · II. Đối tượng, phạm vi và phương pháp · III. Kết quả chủ yếu
           Phụ lục 1A… đặc điểm người trả lời · 2A… kết quả từng câu · 3A… phân tích chéo có ý nghĩa
           · 4A… so sánh hai đợt · 5 ý kiến tự do theo chủ đề
        ─▶ XLSX: every appendix table on its own sheet

Respondents are never named: tables hold counts and shares only, free-text examples are quoted without
anyone's name or number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any


from reports import frame
from reports.frame import Built
from reports.generate import Result, write_files
from reports.pdf_out import PdfError
from reports.document import Column, Heading, Para, Table
from reports.settings import ReportSettings, fold_slug, to_local
from reports.xlsx_out import Sheet
from store import surveys as store_surveys
from surveys.model import ROLE_LABELS, Question, Questionnaire
from vocab.labels import SENTIMENT_LABELS, TOPIC_LABELS
from vocab.numbers import fmt_num

if TYPE_CHECKING:
    from surveys import stats

FREE_TEXT_EXAMPLES = 3


@dataclass
class AppendixTable:
    number: str                      # "1A", "2C" …
    title: str                       # "Kết quả khảo sát câu C6: …"
    columns: list[tuple[str, float]]  # (header, relative width)
    rows: list[list[Any]]
    note: str = ""


@dataclass
class SurveyTables:
    title: str
    respondents: int
    wave: int
    findings: list[str] = field(default_factory=list)
    tables: list[AppendixTable] = field(default_factory=list)


def _ci(lo: float, hi: float) -> str:
    return f"{fmt_num(100 * lo, 1)}–{fmt_num(100 * hi, 1)}"


def _letters(i: int) -> str:
    return chr(ord("A") + i) if i < 26 else f"{i + 1}"


def _freq_rows(f: stats.Frequency) -> list[list[Any]]:
    rows = [[r.option, r.count, fmt_num(100 * r.share, 1), _ci(r.ci_low, r.ci_high)] for r in f.rows]
    rows.append(["Số người trả lời câu này", f.answered, "100", ""])
    if f.missing:
        rows.append(["Không trả lời", f.missing, "", ""])
    return rows


FREQ_COLS = [("Phương án trả lời", 5.0), ("Số phiếu", 1.4), ("Tỷ lệ (%)", 1.4), ("Khoảng tin cậy 95% (%)", 2.2)]


def _question_table(cur: Any, sid: int, q: Question, n: int, number: str) -> tuple[AppendixTable, str]:
    """One question's appendix table and the sentence it adds to the main findings."""
    from surveys import stats  # here: pandas, scipy and statsmodels (~2 s of CPU), for a report only

    title = f"Kết quả khảo sát câu {q.code}: {q.title}"
    if q.kind == "multi":
        f = stats.multi_frequency(store_surveys.answers_long(cur, sid, q.code), n, q.options)
        top = max(f.rows, key=lambda r: r.count, default=None)
        line = f"«{q.title}»: nhiều nhất là «{top.option}» ({stats.pct(top.share)} số người trả lời)." if top else ""
        return AppendixTable(number, title, FREQ_COLS, _freq_rows(f),
                             "Câu nhiều lựa chọn: tỷ lệ tính trên số người trả lời câu này, tổng có thể vượt 100%."), line
    answers = store_surveys.answers_wide(cur, sid, [q.code])[q.code]
    if q.kind == "number":
        s = stats.numbers(answers)
        rows = [["Số người trả lời", s.answered], ["Trung bình", fmt_num(s.mean, 1)], ["Trung vị", fmt_num(s.median, 1)],
                ["Thấp nhất", fmt_num(s.minimum, 1)], ["Cao nhất", fmt_num(s.maximum, 1)]]
        return (AppendixTable(number, title, [("Chỉ số", 4.0), ("Giá trị", 2.0)], rows),
                f"«{q.title}»: trung bình {fmt_num(s.mean, 1)}, trung vị {fmt_num(s.median, 1)} ({s.answered} người trả lời).")
    f = stats.frequency(answers, q.options)
    rows = _freq_rows(f)
    note = ""
    if q.kind == "likert":
        lk = stats.likert(answers, q.options)
        rows.append([f"Điểm trung bình (1 = «{q.options[0]}», {len(q.options)} = «{q.options[-1]}»)",
                     "", fmt_num(lk.mean, 2), ""])
        top = lk.top_words(q.options)
        rows.append([f"{top[0].upper()}{top[1:]} (tích cực nhất)", "", fmt_num(100 * lk.top2, 1), _ci(*lk.top2_ci)])
        line = (f"«{q.title}»: {stats.pct(lk.top2)} chọn {top}, "
                f"{stats.pct(lk.bottom2)} chọn {lk.bottom_words(q.options)} "
                f"(điểm trung bình {fmt_num(lk.mean, 2)}/{len(q.options)}).")
    else:
        top = max(f.rows, key=lambda r: r.count)
        line = f"«{q.title}»: «{top.option}» chiếm {stats.pct(top.share)} ({top.count}/{f.answered} người trả lời)."
    return AppendixTable(number, title, FREQ_COLS, rows, note), line


def _crosstab_table(cur: Any, sid: int, q: Question, d: Question, number: str) -> tuple[AppendixTable, stats.CrossTab]:
    from surveys import stats

    w = store_surveys.answers_wide(cur, sid, [q.code, d.code])
    ct = stats.crosstab(w[q.code], w[d.code], q.options, d.options, question=q.title, by=d.title)
    cols = [("Phương án", 4.0)] + [(str(g), 1.6) for g in ct.counts.columns] + [("Chung", 1.4)]
    total = ct.counts.sum(axis=1)
    rows = []
    for opt in ct.counts.index:
        cells = [f"{fmt_num(100 * ct.shares.loc[opt, g], 1)} ({ct.counts.loc[opt, g]})" for g in ct.counts.columns]
        rows.append([opt, *cells, fmt_num(100 * total[opt] / total.sum(), 1)])
    rows.append(["Số người trả lời", *[int(x) for x in ct.counts.sum(axis=0)], int(total.sum())])
    return AppendixTable(number, f"Câu {q.code} «{q.title}» theo {d.title.lower()} (%, số phiếu trong ngoặc)",
                         cols, rows, ct.note), ct


def _text_table(cur: Any, sid: int, q: Question, number: str) -> tuple[AppendixTable, str]:
    df = store_surveys.free_text(cur, sid, q.code)
    rows: list[list[Any]] = []
    if len(df):
        ex = df.explode("topics")
        ex["topics"] = ex["topics"].fillna("")
        for topic, grp in sorted(ex.groupby("topics"), key=lambda kv: -len(kv[1])):
            neg = int((grp["sentiment"] == "negative").sum())
            examples = "; ".join(f"«{t}»" for t in grp["text"].drop_duplicates().head(FREE_TEXT_EXAMPLES))
            rows.append([TOPIC_LABELS.get(topic, "Chưa xếp chủ đề") if topic else "Chưa xếp chủ đề",
                         len(grp), neg, examples])
    neg_all = int((df["sentiment"] == "negative").sum()) if len(df) else 0
    line = (f"«{q.title}»: {len(df)} ý kiến, {neg_all} ý kiến mang sắc thái {SENTIMENT_LABELS['negative'].lower()}."
            if len(df) else "")
    return AppendixTable(number, f"Ý kiến tự do câu {q.code}: {q.title}, theo chủ đề",
                         [("Chủ đề", 2.4), ("Số ý kiến", 1.2), ("Tiêu cực", 1.2), ("Ví dụ", 7.0)], rows,
                         "Một ý kiến có thể thuộc nhiều chủ đề."), line


def build_tables(cur: Any, survey_id: int, compare_to: int | None = None) -> SurveyTables:
    """Every appendix table of one wave (and its comparison with an earlier wave)."""
    s = store_surveys.get_survey(cur, survey_id)
    if s is None:
        raise ValueError(f"Không có khảo sát số {survey_id}.")
    q = Questionnaire.from_json(s.questionnaire)
    out = SurveyTables(s.title, s.respondents, s.wave)
    demo = q.demographics()
    for i, d in enumerate(demo):
        t, _ = _question_table(cur, survey_id, d, s.respondents, f"1{_letters(i)}")
        t.title = f"Đặc điểm người trả lời: {ROLE_LABELS.get(d.role, d.title).lower()} ({d.title})"
        out.tables.append(t)
    main = [x for x in q.stored() if x.kind in ("single", "multi", "likert", "number")]
    for i, x in enumerate(main):
        t, line = _question_table(cur, survey_id, x, s.respondents, f"2{_letters(i)}")
        out.tables.append(t)
        if line:
            out.findings.append(line)
    k = 0
    for x in (m for m in main if m.kind in ("single", "likert")):
        for d in demo:
            t, ct = _crosstab_table(cur, survey_id, x, d, f"3{_letters(k)}")
            if ct.significant:
                out.tables.append(t)
                out.findings.append(f"«{x.title}» — {ct.note}")
                k += 1
    if compare_to is not None:
        _compare(cur, out, q, survey_id, compare_to, main)
    for i, x in enumerate(x for x in q.stored() if x.kind == "text"):
        t, line = _text_table(cur, survey_id, x, f"5{_letters(i)}")
        out.tables.append(t)
        if line:
            out.findings.append(line)
    return out


def _compare(cur: Any, out: SurveyTables, q: Questionnaire, sid: int, other: int, main: list[Question]) -> None:
    from surveys import stats

    o = store_surveys.get_survey(cur, other)
    if o is None:
        raise ValueError(f"Không có khảo sát số {other} để so sánh.")
    # the same question in the other wave by its column, not its code: a question added to the form between
    # waves shifts the codes (C3 of wave 2 can be C2 of wave 1), and a question only one wave asked is left out
    theirs = Questionnaire.from_json(o.questionnaire)
    pairs = [(x, y) for x in main if x.kind in ("single", "likert") and (y := theirs.same_question(x))]
    for i, (x, y) in enumerate(pairs):
        a = store_surveys.answers_wide(cur, other, [y.code])[y.code]
        b = store_surveys.answers_wide(cur, sid, [x.code])[x.code]
        rows_ = stats.compare_waves(a, b, x.options)
        rows = [[r.option, fmt_num(100 * r.share_a, 1), fmt_num(100 * r.share_b, 1),
                 fmt_num(100 * (r.share_b - r.share_a), 1),
                 (stats.p_text(r.p) + (" (Fisher)" if r.exact else "")) if r.p == r.p else "",
                 "Có" if r.significant else "Không"] for r in rows_]
        note = stats.wave_note(rows_, x.title)
        out.tables.append(AppendixTable(
            f"4{_letters(i)}", f"Câu {x.code} «{x.title}»: đợt {o.wave} so với đợt {out.wave}",
            [("Phương án", 4.0), (f"Đợt {o.wave} (%)", 1.3), (f"Đợt {out.wave} (%)", 1.3), ("Chênh lệch (điểm %)", 1.5),
             ("Kiểm định", 1.6), ("Có ý nghĩa", 1.2)], rows, note))
        if any(r.significant for r in rows_):
            out.findings.append(note)


def _subject(title: str) -> str:
    """"Khảo sát dư luận xã hội về dạy thêm, học thêm" → "dạy thêm, học thêm"."""
    return title.split(" về ", 1)[1] if " về " in title else title[:1].lower() + title[1:]


def _doc(t: SurveyTables, s: ReportSettings, now: datetime) -> Any:
    today = to_local(now)
    doc = frame.document(s, today, ["BÁO CÁO", f"Kết quả {t.title[0].lower() + t.title[1:]}"],
                         f"(Đợt {t.wave}, {fmt_num(t.respondents)} phiếu)", f"Báo cáo {t.title}", created=now)
    doc.blocks += [
        Heading(1, s.section(1, "MỤC ĐÍCH, YÊU CẦU")),
        Para.text(f"Nắm bắt tâm trạng, ý kiến của Nhân dân về {_subject(t.title)}, "
                  "làm cơ sở tham mưu cấp ủy, chính quyền có giải pháp phù hợp."),
        Heading(1, s.section(2, "ĐỐI TƯỢNG, PHẠM VI VÀ PHƯƠNG PHÁP")),
        Para.text(f"Phát ra và thu về {fmt_num(t.respondents)} phiếu hợp lệ (đợt {t.wave}). Người trả lời ẩn danh; "
                  "các cột có thông tin cá nhân (họ tên, số điện thoại…) không được lưu."),
        Para.text("Tỷ lệ phần trăm tính trên số người trả lời từng câu. Khoảng tin cậy 95% tính theo phương pháp "
                  "Wilson. Khác biệt giữa các nhóm được kiểm định khi bình phương (χ²) ở mức ý nghĩa 5%, chỉ khi "
                  "số phiếu trong các ô đủ lớn (bảng hai nhóm, hai phương án ít phiếu: kiểm định chính xác Fisher); "
                  "khác biệt giữa hai đợt được kiểm định hai tỷ lệ (ít phiếu: kiểm định chính xác Fisher)."),
        Heading(1, s.section(3, "KẾT QUẢ CHỦ YẾU")),
    ]
    doc.blocks += [Para.text(f"- {line}") for line in t.findings] or [Para.text("Không có kết quả.")]
    for tb in t.tables:  # the renderers start the appendix on a new page
        doc.appendix.append(Para.text(f"Phụ lục {tb.number}", bold=True, align="right", indent=False))
        doc.appendix.append(Table([Column(h, w, "left" if i == 0 else "center") for i, (h, w) in enumerate(tb.columns)],
                                  [[("" if c is None else str(c)) for c in r] for r in tb.rows],
                                  caption=tb.title))
        if tb.note:
            doc.appendix.append(Para.text(tb.note, italic=True, indent=False))
    return doc


_VN_NUMBER = re.compile(r"^-?\d+(,\d+)?$")


def _cell(v: Any) -> Any:
    """A share or mean written for the DOCX («53,3») as a number for the XLSX: text cells could not be
    summed or charted, and Excel flagged each one «number stored as text»."""
    return float(v.replace(",", ".")) if isinstance(v, str) and _VN_NUMBER.match(v) else v


def _sheets(t: SurveyTables) -> list[Sheet]:
    out = [Sheet("Kết quả chủ yếu", f"Kết quả chủ yếu: {t.title}", [("Kết quả", 120.0)],
                 [[x] for x in t.findings], subtitle=f"Đợt {t.wave}, {t.respondents} phiếu")]
    for tb in t.tables:
        width = [max(12.0, 8.0 * w) for _, w in tb.columns]
        out.append(Sheet(f"PL {tb.number}", f"Phụ lục {tb.number}: {tb.title}",
                         [(h, wd) for (h, _), wd in zip(tb.columns, width)], [[_cell(c) for c in r] for r in tb.rows],
                         note=tb.note))
    return out


def write_survey_report(cfg: Any, db: Any, survey_id: int, out_dir: str | Path, formats: tuple[str, ...] = ("docx", "xlsx"),
                        *, compare_to: int | None = None, now: datetime) -> dict[str, Path]:
    """Write the report files through the weekly report's writer (one Doc for DOCX and PDF); returns
    {format: path}. Raises PdfError when the PDF was asked for and could not be printed."""
    s = ReportSettings.from_config(cfg)
    with db.read() as cur:
        t = build_tables(cur, survey_id, compare_to)
    res = Result(title=t.title)
    write_files(Built(doc=_doc(t, s, now), sheets=_sheets(t)), s, Path(out_dir),
                f"khao-sat-{survey_id}-{fold_slug(t.title)[:40]}", set(formats), res)
    if res.errors:
        raise PdfError("; ".join(res.errors))
    return res.files


def previous_wave(cur: Any, survey_id: int) -> int | None:
    """The wave before this one of the same survey, if any (the default comparison)."""
    s = store_surveys.get_survey(cur, survey_id)
    if s is None:
        return None
    before = [w for w in store_surveys.waves(cur, s.series) if w.wave < s.wave]
    return before[-1].id if before else None


__all__ = ["build_tables", "write_survey_report", "previous_wave", "SurveyTables", "AppendixTable"]
