"""Cached reads for the Khảo sát page (same pattern as dashboard/data.py: st.cache_data over named
functions of store/surveys.py and surveys/stats.py; no SQL here) and its one write, the import."""

from __future__ import annotations

from typing import Any, BinaryIO

import pandas as pd
import streamlit as st

from dashboard import data
from orchestration import surveys as importer
from orchestration.accounts import User, role_allows
from store import surveys as store_surveys
from surveys import stats
from surveys.model import Question, Questionnaire, SurveyError

TTL = 30
title_from_file = importer.title_from_file  # the title proposed for a new survey (the CLI proposes the same)


@st.cache_data(ttl=TTL, show_spinner=False)
def surveys() -> list[store_surveys.SurveyRow]:
    with data.db().read() as cur:
        return store_surveys.list_surveys(cur)


def survey(sid: int) -> store_surveys.SurveyRow | None:
    return next((s for s in surveys() if s.id == sid), None)


def questionnaire(sid: int) -> Questionnaire:
    s = survey(sid)
    if s is None:
        raise SurveyError(f"Không có khảo sát số {sid}.")
    return Questionnaire.from_json(s.questionnaire)


@st.cache_data(ttl=TTL, show_spinner=False)
def wide(sid: int, codes: tuple[str, ...]) -> pd.DataFrame:
    with data.db().read() as cur:
        return store_surveys.answers_wide(cur, sid, list(codes))


@st.cache_data(ttl=TTL, show_spinner=False)
def chosen(sid: int, code: str) -> pd.DataFrame:
    with data.db().read() as cur:
        return store_surveys.answers_long(cur, sid, code)


@st.cache_data(ttl=TTL, show_spinner=False)
def free_text(sid: int, code: str, query_folded: str = "") -> pd.DataFrame:
    with data.db().read() as cur:
        return store_surveys.free_text(cur, sid, code, query_folded)


def frequency(sid: int, code: str) -> stats.Frequency:
    q = questionnaire(sid).by_code(code)
    if q.kind == "multi":
        s = survey(sid)
        return stats.multi_frequency(chosen(sid, code), s.respondents if s else 0, q.options)
    return stats.frequency(wide(sid, (code,))[code], q.options)


def likert(sid: int, code: str) -> stats.Likert:
    return stats.likert(wide(sid, (code,))[code], questionnaire(sid).by_code(code).options)


def numbers(sid: int, code: str) -> stats.Numbers:
    return stats.numbers(wide(sid, (code,))[code])


def crosstab(sid: int, code: str, by: str) -> stats.CrossTab:
    qn = questionnaire(sid)
    q, d = qn.by_code(code), qn.by_code(by)
    w = wide(sid, (code, by))
    return stats.crosstab(w[code], w[by], q.options, d.options, question=q.title, by=d.title)


def compare(sid_a: int, sid_b: int, x: Question) -> list[stats.WaveRow] | None:
    """Question `x` in wave A and wave B, matched by column (codes shift when the form gained a question);
    None when one wave did not ask it."""
    qa, qb = questionnaire(sid_a).same_question(x), questionnaire(sid_b).same_question(x)
    if qa is None or qb is None:
        return None
    return stats.compare_waves(wide(sid_a, (qa.code,))[qa.code], wide(sid_b, (qb.code,))[qb.code], qb.options)


def preview(file_name: str, stream: BinaryIO) -> importer.Preview:
    return importer.preview(file_name, stream, data.config().imports)


def import_upload(user: User, file_name: str, stream: BinaryIO, q: Questionnaire, *, title: str,
                  series: str | None, on_progress: Any = None) -> importer.SurveyImport:
    """Analysts import; keeping a personal-data column needs an admin (and is audited by the import)."""
    if not role_allows(user.role, "analyst"):
        raise PermissionError("Cần vai trò phân tích viên để nhập khảo sát.")
    if any(x.kind == "pii" and x.keep for x in q.questions) and not role_allows(user.role, "admin"):
        raise PermissionError("Chỉ quản trị viên được giữ cột dữ liệu cá nhân.")
    res = importer.import_survey(data.db(), data.config(), file_name, stream, q, title=title, series=series,
                                 username=user.username, now=data.now(), on_progress=on_progress)
    st.cache_data.clear()
    return res


def delete(user: User, sid: int) -> store_surveys.SurveyRow:
    """Admins only: undo an import (audited by the orchestration)."""
    if not role_allows(user.role, "admin"):
        raise PermissionError("Chỉ quản trị viên được xóa khảo sát.")
    s = importer.delete_survey(data.db(), sid, username=user.username, now=data.now())
    st.cache_data.clear()
    return s


def report_files(sid: int, compare_to: int | None, out_dir: str) -> dict[str, Any]:
    from reports.survey import write_survey_report

    return write_survey_report(data.config(), data.db(), sid, out_dir, ("docx", "xlsx"), compare_to=compare_to,
                               now=data.now())
