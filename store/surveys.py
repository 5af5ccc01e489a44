"""Surveys' SQL: the survey rows, answers in long form, free-text tags. Named functions only.

A wave is written by `add_survey` + `add_answers` (chunks) + `set_respondents` inside ONE write
transaction by orchestration.surveys, so a failed or interrupted import leaves nothing behind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Sequence

from store.db import one

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa
    import pandas as pd


@dataclass(frozen=True)
class SurveyRow:
    id: int
    title: str
    series: str
    wave: int
    file_name: str
    imported_at: datetime
    imported_by: str
    respondents: int
    questionnaire: str
    area: str


_COLS = "id, title, series, wave, file_name, imported_at, imported_by, respondents, questionnaire, area"


def add_survey(cur: "duckdb.DuckDBPyConnection", *, title: str, series: str, wave: int, file_name: str,
               file_sha1: str, now: datetime, username: str, questionnaire: str, area: str) -> int:
    row = one(cur.execute(
        """INSERT INTO surveys (title, series, wave, file_name, file_sha1, imported_at, imported_by,
                                respondents, questionnaire, area)
           VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?) RETURNING id""",
        [title, series, wave, file_name, file_sha1, now, username, questionnaire, area]))
    return int(row[0])


def add_answers(cur: "duckdb.DuckDBPyConnection", survey_id: int, respondents: Sequence[int],
                codes: Sequence[str], values: Sequence[str]) -> None:
    """Append answers (three parallel columns) through Arrow: one statement per chunk."""
    import pyarrow as pa

    if not respondents:
        return
    t = pa.table({"respondent": pa.array(respondents, pa.int32()), "code": pa.array(codes, pa.string()),
                  "value": pa.array(values, pa.string())})
    cur.register("_survey_chunk", t)
    try:
        cur.execute("INSERT INTO survey_answers SELECT ?, respondent, code, value FROM _survey_chunk", [survey_id])
    finally:
        cur.unregister("_survey_chunk")


def set_respondents(cur: "duckdb.DuckDBPyConnection", survey_id: int, n: int) -> None:
    cur.execute("UPDATE surveys SET respondents = ? WHERE id = ?", [n, survey_id])


def next_wave(cur: "duckdb.DuckDBPyConnection", series: str) -> int:
    row = one(cur.execute("SELECT coalesce(max(wave), 0) + 1 FROM surveys WHERE series = ?", [series]))
    return int(row[0])


def find_by_sha1(cur: "duckdb.DuckDBPyConnection", file_sha1: str) -> int | None:
    row = one(cur.execute("SELECT id FROM surveys WHERE file_sha1 = ?", [file_sha1]))
    return int(row[0]) if row else None


SAME_MIN_RESPONDENTS = 5   # fewer forms can match another survey's by chance


def _digest(cur: "duckdb.DuckDBPyConnection", survey_id: int, upto: int) -> int:
    """Order-free fingerprint of a survey's answers of respondents 1…upto."""
    row = one(cur.execute("SELECT coalesce(sum(hash(respondent, code, value)), 0)::VARCHAR FROM survey_answers "
                          "WHERE survey_id = ? AND respondent <= ?", [survey_id, upto]))
    return int(row[0])


def same_answers(cur: "duckdb.DuckDBPyConnection", survey_id: int, respondents: int) -> "SurveyRow | None":
    """An earlier survey whose answers are this one's first respondents (the same file saved again, or
    an export downloaded again after more forms came in), if any."""
    rows = cur.execute(f"SELECT {_COLS} FROM surveys WHERE id <> ? AND respondents BETWEEN ? AND ? ORDER BY id",
                       [survey_id, SAME_MIN_RESPONDENTS, respondents]).fetchall()
    for r in map(lambda r: SurveyRow(*r), rows):
        if _digest(cur, r.id, r.respondents) == _digest(cur, survey_id, r.respondents):
            return r
    return None


def unmasked_surveys(cur: "duckdb.DuckDBPyConnection") -> list[tuple[int, str]]:
    """(id, questionnaire JSON) of the surveys imported before answers were masked at import (migration 131)."""
    return [(int(r[0]), r[1]) for r in
            cur.execute("SELECT id, questionnaire FROM surveys WHERE NOT answers_masked ORDER BY id").fetchall()]


def answer_values(cur: "duckdb.DuckDBPyConnection", survey_id: int, codes: Sequence[str]) -> list[tuple[int, str, str]]:
    """(respondent, code, value) of the given questions' stored answers."""
    return [(int(r[0]), r[1], r[2]) for r in cur.execute(
        "SELECT respondent, code, value FROM survey_answers WHERE survey_id = ? AND list_contains(?::VARCHAR[], code)",
        [survey_id, list(codes)]).fetchall()]


def replace_values(cur: "duckdb.DuckDBPyConnection", survey_id: int,
                   changes: Sequence[tuple[int, str, str, str]]) -> None:
    """Rewrite stored answers: (respondent, code, old value, new value), through Arrow."""
    import pyarrow as pa

    if changes:
        cols = list(zip(*changes))
        cur.register("_changes", pa.table({"respondent": pa.array(cols[0], pa.int32()), "code": list(cols[1]),
                                           "old": list(cols[2]), "new": list(cols[3])}))
        try:
            cur.execute("""UPDATE survey_answers a SET value = c.new FROM _changes c
                           WHERE a.survey_id = ? AND a.respondent = c.respondent AND a.code = c.code
                             AND a.value = c.old""", [survey_id])
        finally:
            cur.unregister("_changes")


def set_answers_masked(cur: "duckdb.DuckDBPyConnection", survey_id: int) -> None:
    cur.execute("UPDATE surveys SET answers_masked = true WHERE id = ?", [survey_id])


def list_surveys(cur: "duckdb.DuckDBPyConnection") -> list[SurveyRow]:
    rows = cur.execute(f"SELECT {_COLS} FROM surveys ORDER BY series, wave").fetchall()
    return [SurveyRow(*r) for r in rows]


def get_survey(cur: "duckdb.DuckDBPyConnection", survey_id: int) -> SurveyRow | None:
    r = one(cur.execute(f"SELECT {_COLS} FROM surveys WHERE id = ?", [survey_id]))
    return SurveyRow(*r) if r else None


def waves(cur: "duckdb.DuckDBPyConnection", series: str) -> list[SurveyRow]:
    rows = cur.execute(f"SELECT {_COLS} FROM surveys WHERE series = ? ORDER BY wave", [series]).fetchall()
    return [SurveyRow(*r) for r in rows]


def delete_survey(cur: "duckdb.DuckDBPyConnection", survey_id: int) -> None:
    for table in ("survey_text_tags", "survey_answers"):
        cur.execute(f"DELETE FROM {table} WHERE survey_id = ?", [survey_id])
    cur.execute("DELETE FROM surveys WHERE id = ?", [survey_id])


def answers_wide(cur: "duckdb.DuckDBPyConnection", survey_id: int, codes: Sequence[str]) -> pd.DataFrame:
    """One row per respondent, one column per (single-answer) question code; NaN where unanswered."""
    import pandas as pd

    n = one(cur.execute("SELECT respondents FROM surveys WHERE id = ?", [survey_id]))
    idx = pd.RangeIndex(1, int(n[0]) + 1 if n else 1, name="respondent")
    if not codes:
        return pd.DataFrame(index=idx)
    long = cur.execute(
        "SELECT respondent, code, value FROM survey_answers WHERE survey_id = ? AND code IN (SELECT unnest(?))",
        [survey_id, list(codes)]).df()
    wide = long.pivot_table(index="respondent", columns="code", values="value", aggfunc="first") if len(long) else pd.DataFrame()
    return wide.reindex(index=idx, columns=list(codes))


def answers_long(cur: "duckdb.DuckDBPyConnection", survey_id: int, code: str) -> pd.DataFrame:
    """respondent, value for one question (several rows per respondent for multiple choice)."""
    return cur.execute("SELECT respondent, value FROM survey_answers WHERE survey_id = ? AND code = ? "
                       "ORDER BY respondent", [survey_id, code]).df()


def save_text_tags(cur: "duckdb.DuckDBPyConnection", survey_id: int, rows: Sequence[tuple[int, str, list[str], str, list[str]]]) -> None:
    """(respondent, code, topics, sentiment, places) per free-text answer, through Arrow in one statement (as
    `add_answers`): `executemany` ran one INSERT a row, 6.5 ms of CPU each (1.7 s for the demo survey's 260 answers,
    paid by every `langnghe demo` start and every survey import; round 24)."""
    import pyarrow as pa

    if not rows:
        return
    # one row a (respondent, code), the last as executemany's replaces left it: one statement may not replace twice
    cols = list(zip(*{(r[0], r[1]): r for r in rows}.values()))
    words = pa.list_(pa.string())
    t = pa.table({"respondent": pa.array(cols[0], pa.int32()), "code": pa.array(cols[1], pa.string()),
                  "topics": pa.array(cols[2], words), "sentiment": pa.array(cols[3], pa.string()),
                  "places": pa.array(cols[4], words)})
    cur.register("_text_tags", t)
    try:
        cur.execute("INSERT OR REPLACE INTO survey_text_tags "
                    "SELECT ?, respondent, code, topics, sentiment, places FROM _text_tags", [survey_id])
    finally:
        cur.unregister("_text_tags")


def free_text(cur: "duckdb.DuckDBPyConnection", survey_id: int, code: str, query_folded: str = "") -> pd.DataFrame:
    """A free-text question's answers with their tags; `query_folded` keeps those containing it
    (whole words, on the accent-folded text)."""
    sql = """SELECT a.respondent, a.value AS text, coalesce(t.topics, []) AS topics,
                    coalesce(t.sentiment, 'neutral') AS sentiment, coalesce(t.places, []) AS places
             FROM survey_answers a LEFT JOIN survey_text_tags t
               ON t.survey_id = a.survey_id AND t.respondent = a.respondent AND t.code = a.code
             WHERE a.survey_id = ? AND a.code = ?"""
    params: list[Any] = [survey_id, code]
    if query_folded:
        sql += " AND regexp_matches(strip_accents(lower(replace(replace(a.value, 'đ', 'd'), 'Đ', 'D'))), ?)"
        params.append(rf"(^|\W){re.escape(query_folded)}($|\W)")
    return cur.execute(sql + " ORDER BY a.respondent", params).df()
