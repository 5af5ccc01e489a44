"""Khảo sát: public-opinion survey forms — list, one survey's overview, question charts, cross-tabs,
free-text themes, wave comparison, report files; and (analysts) importing a new wave.

    st.file_uploader ─data_surveys.preview─▶ proposed questionnaire in st.data_editor (kinds, option order)
        ─"Nhập"─▶ data_surveys.import_upload ─▶ orchestration.surveys.import_survey (one transaction)
    survey ─data_surveys (cached, surveys.stats)─▶ tables + plotly charts; reports.survey ─▶ DOCX/XLSX links
No SQL here; respondents are anonymous in every view.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pandas as pd
import plotly.express as px
import streamlit as st

from dashboard import data, data_surveys as ds, gate, ui
from dashboard.labels import md
from dashboard.report_buttons import download_buttons
from reports.settings import ReportSettings
from surveys.model import KIND_LABELS, KINDS, ROLE_LABELS, Question, Questionnaire, SurveyError
from surveys.stats import p_text, pct
from vocab.folding import fold
from vocab.labels import SENTIMENT_LABELS, TOPIC_LABELS
from vocab.numbers import fmt_num

PAGE = {"title": "Khảo sát", "icon": ":material/ballot:", "order": 55, "min_role": "viewer"}
# the editor shows kinds and roles by their Vietnamese names (staff never see "single" or "age_group");
# _from_editor maps them back to the codes the questionnaire keeps
KIND_BY_LABEL = {v: k for k, v in KIND_LABELS.items()}
ROLE_BY_LABEL = {v: k for k, v in ROLE_LABELS.items()}
ROLE_CHOICES = ["", *ROLE_LABELS.values()]


# where «Nhập khảo sát» and «Xóa» are confirmed (round 26; at the top of the page they were out of sight once staff had
# scrolled down the questionnaire to the button): under the import box, where the survey just imported, or the one
# shown once a survey is deleted, begins
AFTER_IMPORT = "surveys"


def render() -> None:
    st.title("Khảo sát dư luận xã hội")
    st.caption("Phiếu điều tra dư luận xã hội: nhập tệp xuất từ Google Forms, Microsoft Forms, KoboToolbox hoặc "
               "bảng gõ tay từ phiếu giấy; xem tần suất, phân tích chéo, so sánh các đợt; xuất báo cáo kèm phụ lục. "
               "Người trả lời luôn ẩn danh.")
    ui.flash()
    user = gate.current_user()
    rows = ds.surveys()
    if gate.role_allows(user.role, "analyst"):
        with st.expander("Nhập khảo sát (một đợt)", expanded=not rows, icon=":material/upload_file:"):
            _import(user, rows)
    ui.flash(AFTER_IMPORT)
    if not rows:
        ui.empty("Chưa có khảo sát nào. Nhập tệp kết quả ở trên, hoặc bằng lệnh `langnghe survey import TỆP`.")
        return
    ui.keep("sv_pick", rows[-1].id, [s.id for s in rows])  # kept while another page is open
    sid = st.selectbox("Khảo sát", [s.id for s in rows], key="sv_pick",
                       format_func=lambda i: _label(ds.survey(i)), placeholder="Chọn khảo sát")
    s = ds.survey(sid)
    q = ds.questionnaire(sid)
    tabs = ui.tabs(["Tổng quan", "Từng câu hỏi", "Phân tích chéo", "So sánh các đợt", "Ý kiến tự do", "Báo cáo"],
                   key="sv_tab")
    with tabs[0]:
        _overview(s, q)
        if gate.role_allows(user.role, "admin"):
            _delete(user, s)
    with tabs[1]:
        _questions(sid, q)
    with tabs[2]:
        _crosstab(sid, q)
    with tabs[3]:
        _waves(s, q, rows)
    with tabs[4]:
        _free_text(sid, q)
    with tabs[5]:
        _report(s, rows)


def _label(s) -> str:  # type: ignore[no-untyped-def]
    return f"{s.id}. {s.title} — đợt {s.wave} ({fmt_num(s.respondents)} phiếu)" if s else "?"


def _delete(user, s) -> None:  # type: ignore[no-untyped-def]
    """Undo a wrong import (or make room for a longer export of the same forms); admins, audited."""
    with st.expander("Xóa khảo sát này", icon=":material/delete:"):
        st.caption("Xóa đợt này cùng mọi câu trả lời của nó (nhập nhầm tệp, sai mô tả phiếu, hoặc để nhập lại tệp "
                   "đầy đủ hơn). Việc xóa được ghi nhật ký.")
        sure = st.checkbox(f"Tôi muốn xóa «{md(s.title)}», đợt {s.wave}", key=f"sv_del_ok_{s.id}")
        if st.button("Xóa", key=f"sv_del_{s.id}", disabled=not sure, icon=":material/delete:"):
            try:
                gone = ds.delete(user, s.id)
            except (SurveyError, PermissionError) as exc:
                st.error(f"Không xóa được: {md(exc)}")
                return
            st.session_state.pop("sv_pick", None)
            ui.set_flash(f"Đã xóa khảo sát số {gone.id} «{gone.title}», đợt {gone.wave} ({fmt_num(gone.respondents)} phiếu).",
                         where=AFTER_IMPORT)
            st.rerun()


def _overview(s, q: Questionnaire) -> None:  # type: ignore[no-untyped-def]
    c = st.columns(4)
    c[0].metric("Số phiếu", fmt_num(s.respondents))
    c[1].metric("Đợt", s.wave)
    c[2].metric("Câu hỏi", len([x for x in q.stored() if x.kind != "demographic"]))
    c[3].metric("Thông tin người trả lời", len(q.demographics()))
    st.caption(f"Tệp {md(s.file_name)}, nhập lúc {data.local(s.imported_at):%H:%M %d/%m/%Y}.")
    ui.dataframe(pd.DataFrame([{"Mã": x.code or "—", "Cột trong tệp": x.column, "Loại": KIND_LABELS[x.kind],
                                "Phương án": " | ".join(x.options)} for x in q.questions]),
                 hide_index=True, width="stretch")
    for d in q.demographics():
        _freq_chart(s.id, d, key=f"ov_{d.code}")


def _freq_chart(sid: int, x: Question, key: str) -> None:
    f = ds.frequency(sid, x.code)
    df = pd.DataFrame([{"Phương án": r.option, "Số phiếu": r.count, "Tỷ lệ (%)": round(100 * r.share, 1),
                        "Khoảng tin cậy 95%": f"{fmt_num(100 * r.ci_low, 1)}–{fmt_num(100 * r.ci_high, 1)}%"}
                       for r in f.rows])
    st.markdown(f"**{x.code}. {md(x.title)}** · {f.answered} người trả lời" + (f", {f.missing} bỏ trống" if f.missing else ""))
    c = st.columns([3, 2])
    fig = px.bar(df.assign(**{"Phương án": df["Phương án"].map(ui.chart_label)}), x="Tỷ lệ (%)", y="Phương án",
                 orientation="h", text="Tỷ lệ (%)",
                 error_x=[100 * (r.ci_high - r.share) for r in f.rows],
                 error_x_minus=[100 * (r.share - r.ci_low) for r in f.rows])
    # "%{x:.1f}": a bar's text is drawn as given («12.2»); only a format applies the separators («12,2»)
    fig.update_traces(texttemplate="%{x:.1f}", hovertemplate="%{y}: %{x:.1f}%<extra></extra>")
    fig.update_layout(separators=ui.SEPARATORS, height=70 + 38 * len(df), margin=dict(l=0, r=10, t=10, b=10), yaxis=dict(autorange="reversed", title=""))
    c[0].plotly_chart(fig, key=key, config={"displaylogo": False})
    with c[1]:
        ui.dataframe(df, hide_index=True, width="stretch")  # the options are the file's words


def _questions(sid: int, q: Questionnaire) -> None:
    for x in q.stored():
        if x.kind in ("single", "multi", "likert"):
            _freq_chart(sid, x, key=f"q_{x.code}")
            if x.kind == "multi":
                st.caption("Nhiều lựa chọn: tỷ lệ tính trên số người trả lời câu này, tổng có thể vượt 100%.")
            if x.kind == "likert":
                lk = ds.likert(sid, x.code)
                most = "hai mức" if lk.box == 2 else "mức"
                st.caption(f"Điểm trung bình {fmt_num(lk.mean, 2)}/{len(x.options)} · {most} tích cực nhất "
                           f"{pct(lk.top2)} (khoảng tin cậy 95%: {pct(lk.top2_ci[0])}–{pct(lk.top2_ci[1])}) · "
                           f"{most} tiêu cực nhất {pct(lk.bottom2)}")
        elif x.kind == "number":
            n = ds.numbers(sid, x.code)
            st.markdown(f"**{x.code}. {md(x.title)}** · {n.answered} người trả lời")
            st.caption(f"Trung bình {fmt_num(n.mean, 1)} · trung vị {fmt_num(n.median, 1)} · "
                       f"thấp nhất {fmt_num(n.minimum, 1)} · cao nhất {fmt_num(n.maximum, 1)}")
        st.divider()


def _crosstab(sid: int, q: Questionnaire) -> None:
    targets = [x for x in q.stored() if x.kind in ("single", "likert")]
    demo = q.demographics()
    if not targets or not demo:
        ui.empty("Cần ít nhất một câu hỏi một lựa chọn và một cột thông tin người trả lời để phân tích chéo.")
        return
    c = st.columns(2)
    codes, bys = [x.code for x in targets], [d.code for d in demo]
    first_q = next((x.code for x in targets if x.kind == "likert"), codes[0])   # opinions before facts
    first_by = next((d.code for d in demo if d.role == "ward"), bys[0])         # by unit first
    ui.keep("sv_ct_q", first_q, codes)  # both kept while another page is open; another survey's pick gives way
    ui.keep("sv_ct_by", first_by, bys)
    code = c[0].selectbox("Câu hỏi", codes, key="sv_ct_q", format_func=lambda k: f"{k}. {q.by_code(k).title}",
                          placeholder="Chọn câu hỏi")
    by = c[1].selectbox("Theo", bys, key="sv_ct_by", format_func=lambda k: q.by_code(k).title,
                        placeholder="Chọn câu hỏi")
    ct = ds.crosstab(sid, code, by)
    (st.success if ct.significant else st.info)(md(ct.note))  # names option and group words from the file
    shares = (100 * ct.shares).round(1)
    shares["Chung (%)"] = (100 * ct.counts.sum(axis=1) / max(1, ct.counts.to_numpy().sum())).round(1)
    ui.dataframe(shares.rename_axis("Phương án"), width="stretch")
    long = shares.drop(columns="Chung (%)").reset_index().melt(id_vars=shares.index.name or "index",
                                                               var_name="Nhóm", value_name="Tỷ lệ (%)")
    for col in (long.columns[0], "Nhóm"):  # options and groups are the file's words
        long[col] = long[col].map(ui.chart_label)
    fig = px.bar(long, x="Nhóm", y="Tỷ lệ (%)", color=long.columns[0], barmode="stack")
    fig.update_layout(separators=ui.SEPARATORS, height=360, margin=dict(l=0, r=0, t=10, b=10), legend_title_text="")
    st.plotly_chart(fig, key="sv_ct_chart", config={"displaylogo": False})
    # each group's number of answers, under its column of shares (it read «Số phiếu từng ô» until round 25: not a cell's)
    st.caption("Số phiếu mỗi nhóm: " + "; ".join(f"{md(g)}: {int(n)}" for g, n in ct.counts.sum(axis=0).items()))


def _waves(s, q: Questionnaire, rows) -> None:  # type: ignore[no-untyped-def]
    others = [r for r in rows if r.series == s.series and r.id != s.id]
    if not others:
        ui.empty("Khảo sát này mới có một đợt. Nhập đợt sau với «Đợt sau của» để so sánh.")
        return
    other = st.selectbox("So với đợt", [r.id for r in others], key="sv_wave", format_func=lambda i: _label(ds.survey(i)),
                         placeholder="Chọn đợt")
    a, b = (other, s.id) if ds.survey(other).wave < s.wave else (s.id, other)
    for x in (x for x in q.stored() if x.kind in ("single", "likert")):
        rows_ = ds.compare(a, b, x)
        if rows_ is None:
            continue  # the other wave did not ask it
        st.markdown(f"**{x.code}. {md(x.title)}**")
        ui.dataframe(pd.DataFrame([{"Phương án": r.option, f"Đợt {ds.survey(a).wave} (%)": round(100 * r.share_a, 1),
                                    f"Đợt {ds.survey(b).wave} (%)": round(100 * r.share_b, 1),
                                    "Kiểm định": (p_text(r.p) + (" (Fisher)" if r.exact else "")) if r.p == r.p else "",
                                    "Khác biệt có ý nghĩa": "Có" if r.significant else ""} for r in rows_]),
                     hide_index=True, width="stretch")


def _free_text(sid: int, q: Questionnaire) -> None:
    texts = [x for x in q.stored() if x.kind == "text"]
    if not texts:
        ui.empty("Phiếu này không có câu trả lời tự do.")
        return
    code = st.selectbox("Câu hỏi", [x.code for x in texts], key="sv_txt_q", format_func=lambda k: q.by_code(k).title,
                        placeholder="Chọn câu hỏi")
    query = st.text_input("Tìm trong ý kiến", key="sv_txt_search", placeholder="ví dụ: hoc phi")
    df = ds.free_text(sid, code, fold(query).strip())
    if df.empty:
        ui.empty("Không có ý kiến nào" + (f" chứa «{query}»." if query else "."))
        return
    ex = df.explode("topics")
    ex["Chủ đề"] = ex["topics"].map(lambda t: TOPIC_LABELS.get(t, "Chưa xếp chủ đề") if isinstance(t, str) and t else "Chưa xếp chủ đề")
    counts = ex.groupby("Chủ đề").agg(**{"Số ý kiến": ("respondent", "size"),
                                         "Tiêu cực": ("sentiment", lambda s: int((s == "negative").sum()))})
    ui.dataframe(counts.sort_values("Số ý kiến", ascending=False), width="stretch")
    for topic, grp in sorted(ex.groupby("Chủ đề"), key=lambda kv: -len(kv[1])):
        with st.expander(f"{topic} ({len(grp)})"):
            for _, r in grp.drop_duplicates("text").head(20).iterrows():
                # answers are the public's words: inert (no links, no images fetched from elsewhere)
                label = SENTIMENT_LABELS.get(r["sentiment"], "")
                st.markdown(f"- {md(r['text'])}" + (f"  \n  :gray[{label}]" if label else ""))


def _report(s, rows) -> None:  # type: ignore[no-untyped-def]
    before = [r for r in rows if r.series == s.series and r.wave < s.wave]
    compare = before[-1].id if before else None
    st.caption("Báo cáo DOCX (thể thức như báo cáo tuần) và XLSX (mỗi phụ lục một trang tính): mục đích, "
               "đối tượng và phương pháp, kết quả chủ yếu, các phụ lục «Phụ lục 1A…»."
               + (f" So sánh với đợt {before[-1].wave}." if before else ""))
    if st.button("Lập báo cáo khảo sát", key="sv_report", icon=":material/description:"):
        out = Path(ReportSettings.from_config(data.config()).archive_dir) / "survey"
        started = time.monotonic()
        with st.spinner("Đang lập báo cáo…"):
            files = list(ds.report_files(s.id, compare, str(out)).values())
        st.session_state["sv_files"] = (s.id, files, time.monotonic() - started)
    # the files of this survey's report only: they were kept for any survey picked after (round 25), and staff
    # downloaded another survey's report under this one's title; and a line that says it was made, as Báo cáo's
    made = st.session_state.get("sv_files")
    if made and made[0] == s.id:
        st.success(f"Đã lập báo cáo khảo sát trong {fmt_num(made[2], 1)} giây. Tải về:")
        download_buttons(made[1], key="sv_dl")


# ------------------------------------------------------------------------------------------ import
OPTIONS_COL = "Phương án theo thứ tự (ngăn bằng |)"


def _editor_frame(q: Questionnaire) -> pd.DataFrame:
    """The proposed questionnaire as the editor shows it, cells made inert (ui.csv_safe): the editor's toolbar
    downloads it as CSV, and column names and options come from the uploaded file ('=HYPERLINK(…)' as a
    header ran as a formula when that CSV was opened). _from_editor undoes it."""
    return ui.csv_safe(pd.DataFrame([{"Cột trong tệp": x.column, "Loại": KIND_LABELS.get(x.kind, x.kind),
                                      "Nhóm (thông tin người trả lời)": ROLE_LABELS.get(x.role, x.role),
                                      OPTIONS_COL: " | ".join(x.options), "Tách lựa chọn bằng": x.separator,
                                      "Giữ dữ liệu cá nhân": x.keep} for x in q.questions]))


def _from_editor(df: pd.DataFrame, q: Questionnaire, max_cell_chars: int) -> Questionnaire:
    """The questionnaire staff checked in the editor. What comes back is bounded (one row per question of `q`,
    no cell over [imports] max_cell_chars: a paste into a cell is not), and the inert marks of _editor_frame
    are undone: each row's file column is `q`'s own (the column is read-only), and an option or separator
    shown with the apostrophe comes back as the file's text."""
    if len(df) != len(q.questions):
        raise SurveyError(f"Mô tả phiếu có {len(df)} dòng nhưng tệp có {len(q.questions)} cột: mỗi cột một dòng, "
                          "không thêm, không bớt.")
    for col in df.columns:
        for v in df[col]:
            if isinstance(v, str) and len(v) > max_cell_chars:
                raise SurveyError(f"Ô «{col}» của mô tả phiếu dài {fmt_num(len(v))} ký tự, quá giới hạn "
                                  f"{fmt_num(max_cell_chars)} ký tự (imports.max_cell_chars).")
    qs = []
    for x, (_, r) in zip(q.questions, df.iterrows()):
        shown = {ui.inert_cell(o): o for o in x.options}
        opts = [shown.get(o, o) for o in (o.strip() for o in re.split(r"\s*\|\s*", str(r[OPTIONS_COL] or ""))) if o]
        sep = str(r["Tách lựa chọn bằng"] or "")
        role = str(r["Nhóm (thông tin người trả lời)"] or "")
        qs.append(Question(x.column, KIND_BY_LABEL.get(r["Loại"], r["Loại"]), options=opts,
                           separator=x.separator if sep == ui.inert_cell(x.separator) else sep,
                           role=ROLE_BY_LABEL.get(role, role), keep=bool(r["Giữ dữ liệu cá nhân"])))
    return Questionnaire(qs)


def _import(user, rows) -> None:  # type: ignore[no-untyped-def]
    up = st.file_uploader("Tệp kết quả khảo sát (CSV, XLSX)", type=["csv", "tsv", "txt", "xlsx"], key="sv_file")
    if up is None:
        st.caption("Mỗi dòng một người trả lời, mỗi cột một câu hỏi. Cột họ tên, số điện thoại, email, số CCCD được "
                   "nhận ra và bỏ đi; chỉ quản trị viên được giữ lại (có ghi nhật ký).")
        return
    try:
        pv = ds.preview(up.name, up)
    except (SurveyError, ValueError) as exc:
        st.error(f"Không dùng được tệp: {md(exc)}")  # names the file's columns
        return
    series = {r.series: r for r in rows}
    c = st.columns(2)
    like = c[1].selectbox("Đợt sau của", ["", *series], key="sv_like",
                          format_func=lambda k: series[k].title if k else "— khảo sát mới", placeholder="Chọn khảo sát")
    q = Questionnaire.from_json(series[like].questionnaire) if like else pv.questionnaire
    title = c[0].text_input("Tên khảo sát", value=series[like].title if like else ds.title_from_file(up.name), key="sv_title")
    st.caption("Mô tả phiếu đề xuất từ tệp: kiểm tra loại câu hỏi và thứ tự phương án trước khi nhập.")
    edited = st.data_editor(
        _editor_frame(q), hide_index=True, width="stretch", key=f"sv_editor_{like}", num_rows="fixed",
        placeholder=ui.MISSING,  # «Nhóm» of a question without a group: Streamlit wrote «None»
        disabled=["Cột trong tệp"] + ([] if gate.role_allows(user.role, "admin") else ["Giữ dữ liệu cá nhân"]),
        column_config={"Loại": st.column_config.SelectboxColumn(options=[KIND_LABELS[k] for k in KINDS], required=True,
                                                                 help="Loại câu hỏi: " + ", ".join(KIND_LABELS.values())),
                       "Nhóm (thông tin người trả lời)": st.column_config.SelectboxColumn(options=ROLE_CHOICES)})
    with st.expander("Xem trước 5 dòng đầu (đã bỏ cột dữ liệu cá nhân)"):
        hidden = {x.column for x in q.questions if x.kind == "pii"}
        ui.dataframe(pd.DataFrame(pv.sample).drop(columns=[c for c in hidden if c in pv.columns], errors="ignore"),
                     hide_index=True)
    if st.button("Nhập khảo sát", type="primary", key="sv_go", icon=":material/upload:"):
        bar = st.progress(0.0, text="Đang nhập…")
        try:
            res = ds.import_upload(user, up.name, up, _from_editor(edited, q, data.config().imports.max_cell_chars),
                                   title=title, series=like or None,
                                   on_progress=lambda n, share: bar.progress(min(1.0, share or 0.0),
                                                                             text=f"Đã đọc {fmt_num(n)} phiếu"))
        except (SurveyError, PermissionError, ValueError) as exc:
            st.error(f"Không nhập được: {md(exc)} Không có gì được ghi.")
            return
        st.session_state["sv_pick"] = res.survey_id  # show the wave just imported, not the one picked before
        ui.set_flash(f"Đã nhập «{title}», đợt {res.wave}: {fmt_num(res.respondents)} phiếu"
                     + (f"; đã bỏ {len(res.dropped_pii)} cột dữ liệu cá nhân." if res.dropped_pii else ".")
                     + (" Các cột không có trong mô tả phiếu đã lưu, không được nhập: "
                        + ", ".join(f"«{c}»" for c in res.unknown_columns) + "." if res.unknown_columns else ""),
                     where=AFTER_IMPORT)
        st.rerun()
