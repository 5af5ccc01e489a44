"""Importing a survey wave: the one place where a form export becomes stored answers.

    collectors.imports.open_table (streamed, bounded) ─▶ surveys.propose (or a saved questionnaire)
        ─▶ ONE write transaction: surveys row + answers in chunks (store.surveys), Ctrl-C or any error
           rolls it all back, so a survey is never half-imported
        ─▶ free-text answers through the NLP pipeline (topics, sentiment, places), in chunks

Personal-data columns (kind pii) are never read into the store unless an admin kept them on purpose
(`keep=True`), and that choice is written to the dashboard audit log. The CLI (`langnghe survey
import`) and the Khảo sát page both call `import_survey`. Surveys imported before answers were masked at import
are masked once at serve's start (`mask_stored_answers`, the `survey_masking` start job).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, BinaryIO, Callable, Iterable, Mapping

from collectors import imports as imp
from collectors.textutil import one_line
from store import surveys as store_surveys
from store import users as store_users
from surveys.model import CHOICE, Question, Questionnaire, SurveyError
from surveys.propose import is_no_opinion, is_total_row, propose, sampled, split_choices, text
from vocab.folding import fold
from vocab.privacy import mask_personal_text
from vocab.numbers import too_long

log = logging.getLogger("langnghe.surveys")
ProgressFn = Callable[[int, float | None], None]   # respondents read, share of the file read (or None)
TAG_CHUNK = 500
MEMO_VALUES = 5000   # distinct values remembered per choice column (one-off «Khác» answers are not many more)


class SurveyInterrupted(Exception):
    """The import was stopped (Ctrl-C, Hủy); nothing of it was stored."""


@dataclass
class Preview:
    columns: list[str]
    questionnaire: Questionnaire
    sample: list[dict[str, Any]]


@dataclass
class SurveyImport:
    survey_id: int
    series: str
    wave: int
    respondents: int
    answers: int
    text_answers: int
    dropped_pii: list[str] = field(default_factory=list)
    kept_pii: list[str] = field(default_factory=list)
    empty_rows: int = 0
    unknown_columns: list[str] = field(default_factory=list)   # in the file, not in the (saved) questionnaire
    title: str = ""   # as stored (cleaned, or its fallback): what the CLI says it imported


def preview(file_name: str, stream: BinaryIO, limits: Any, *, sheet: str | None = None, rows: int = 5) -> Preview:
    """Read the header and a sample, and propose the questionnaire (writes nothing)."""
    stream.seek(0, 2)
    if stream.tell() == 0:
        raise SurveyError("Tệp trống.")
    stream.seek(0)
    try:
        return _preview(file_name, stream, limits, sheet, rows)
    except imp.ImportFormatError as exc:
        raise SurveyError(f"Không đọc được tệp: {exc}") from None


def _preview(file_name: str, stream: BinaryIO, limits: Any, sheet: str | None, rows: int) -> Preview:
    with imp.open_table(file_name, stream, limits, sheet=sheet) as table:
        if not table.columns:
            raise SurveyError("Tệp trống hoặc không có dòng tiêu đề.")
        sample: list[dict[str, Any]] = []
        head: list[dict[str, Any]] = []
        # the first SAMPLE_ROWS rows, fewer past SAMPLE_MAX_CHARS (surveys.propose.sampled; fix34: 45 MB of answers
        # were read whole into the sample and proposed from, 92 s and 1 GB)
        for i, row in enumerate(sampled(table.rows)):
            sample.append(dict(row))
            if i < rows:  # every column: a CSV row carries only the columns it reaches (collectors.imports.csv_rows)
                head.append({c: text(row.get(c)) for c in table.columns})
        if not sample:
            raise SurveyError("Tệp chỉ có dòng tiêu đề, không có phiếu trả lời nào.")
        _title_row(table, len(sample))
        return Preview(list(table.columns), propose(list(table.columns), sample), head)


def _title_row(table: imp.Table, n_sampled: int) -> None:
    """A sheet typed up from paper often opens with the form's title (merged across the columns) or
    question names in merged cells over a row of options: the first row then names fewer columns than
    most rows fill. Say so and how to fix it, rather than «no answer column»."""
    if table.notes.get("extra_fields", 0) * 2 < n_sampled:
        return
    first = ", ".join(f"«{c}»" for c in table.columns[:3] if c)
    raise SurveyError(f"Dòng đầu của tệp chỉ có {len(table.columns)} tên cột ({first}) nhưng phần lớn các dòng "
                      "có nhiều ô hơn: dòng đầu có lẽ là tiêu đề của phiếu, hoặc tên câu hỏi nằm trong ô gộp. "
                      "Dòng đầu tiên phải là tên các câu hỏi, mỗi câu một cột, mỗi dòng sau là một phiếu: xóa các "
                      "dòng tiêu đề phía trên, bỏ gộp ô, rồi nhập lại.")


def _check(questionnaire: Questionnaire, columns: list[str]) -> None:
    missing = [q.column for q in questionnaire.stored() if q.column not in columns]
    if missing:
        raise SurveyError("Tệp thiếu các cột của mô tả phiếu: " + ", ".join(f"«{c}»" for c in missing) + ". "
                          "Nếu phiếu đã được sửa (đổi tên hoặc bỏ câu hỏi), nhập tệp như khảo sát mới với cùng tên "
                          "khảo sát: tệp vẫn là đợt sau của khảo sát đó, và các câu giữ nguyên được so sánh giữa hai đợt.")


def _canon(q: Question) -> dict[str, str]:
    """Folded option → the option as the questionnaire writes it: answers typed without diacritics or in
    another case ("dong y", "hai long") count as the option, not as an option of their own."""
    return {fold(o): o for o in reversed(q.options)} if q.kind in CHOICE else {}   # the first one wins


def _option(v: str, canon: Mapping[str, str] | None) -> str:
    """The questionnaire's option, or the answer as typed («Khác: …» of Google Forms) with any phone, e-mail
    or name in it masked."""
    return (canon or {}).get(fold(v)) or mask_personal_text(v)


def _answers(q: Question, raw: Any, canon: Mapping[str, str] | None = None) -> list[str]:
    v = text(raw)
    if not v:
        return []
    if q.kind == "text":
        return [] if is_no_opinion(v) else [mask_personal_text(v)]
    if q.kind == "multi" and q.separator:
        return [_option(p, canon) for p in split_choices(v, q.separator, q.options)]
    if q.kind in CHOICE:
        return [_option(v, canon)]
    if q.kind == "number":
        try:
            float(v.replace(",", "."))
        except ValueError:
            return []   # mixed types: a word in a number column is left out of the base, counted as missing
    return [v]


def _write(cur: Any, survey_id: int, rows: Iterable[Mapping[str, Any]], stored: list[Question], chunk: int,
           on_progress: ProgressFn | None, position: Callable[[], float | None],
           should_stop: Callable[[], bool] | None) -> tuple[int, int, int, int]:
    n = answers = texts = empty = 0
    resp: list[int] = []
    codes: list[str] = []
    values: list[str] = []
    canon = {q.code: _canon(q) for q in stored}
    memo: dict[str, dict[Any, list[str]]] = {q.code: {} for q in stored if q.kind in CHOICE}

    def read(q: Question, raw: Any) -> list[str]:
        """A choice column repeats a few values: each is read (folded, split, matched) once."""
        seen = memo.get(q.code)
        if seen is None or not isinstance(raw, (str, int, float)):
            return _answers(q, raw, canon[q.code])
        got = seen.get(raw)
        if got is None:
            got = _answers(q, raw, canon[q.code])
            if len(seen) < MEMO_VALUES:
                seen[raw] = got
        return got

    for row in rows:
        if is_total_row(row):
            empty += 1
            continue
        got = [(q.code, v, q.kind) for q in stored for v in read(q, row.get(q.column))]
        if not got:
            empty += 1
            continue
        n += 1
        for code, v, kind in got:
            resp.append(n)
            codes.append(code)
            values.append(v)
            texts += kind == "text"
        if len(resp) >= chunk:
            store_surveys.add_answers(cur, survey_id, resp, codes, values)
            answers += len(resp)
            resp, codes, values = [], [], []
            if on_progress:
                on_progress(n, position())
            if should_stop and should_stop():
                raise SurveyInterrupted()
    store_surveys.add_answers(cur, survey_id, resp, codes, values)
    return n, answers + len(resp), texts, empty


def _refuse_same_answers(cur: Any, survey_id: int, n: int) -> None:
    """The same forms imported again under another file's bytes (an XLSX saved again, a CSV re-exported)
    or inside a longer export downloaded after more forms came in: they would be counted twice."""
    o = store_surveys.same_answers(cur, survey_id, n)
    if o is None:
        return
    if o.respondents == n:
        raise SurveyError(f"Các phiếu của tệp này đã được nhập (khảo sát số {o.id}, tệp «{o.file_name}»): cùng "
                          "các câu trả lời dù tệp đã được lưu lại; không nhập lại.")
    raise SurveyError(f"{o.respondents} phiếu đầu của tệp này đã được nhập ở khảo sát số {o.id} (tệp "
                      f"«{o.file_name}»), có lẽ tệp được tải lại sau khi có thêm phiếu. Không nhập để các phiếu đó "
                      f"không bị đếm hai lần; muốn thay bằng tệp mới, quản trị viên xóa khảo sát số {o.id} (trang "
                      f"Khảo sát, thẻ Tổng quan, hoặc langnghe survey delete {o.id}) rồi nhập lại.")


def title_from_file(file_name: str) -> str:
    """The title the page and the CLI propose for a new survey, and the one stored when the title given has nothing
    visible: its file's stored name without the extension, its dashes and underscores as spaces and its first
    letter capital («day-them-hoc-them-dot-1.csv» → «Day them hoc them dot 1»: it named the survey in every list and
    report as the file did unless staff retyped it, round 25), else «Khảo sát»."""
    name = imp.stored_name(file_name)
    stem = name.rsplit(".", 1)[0].strip(". ") if name != imp.NO_FILE_NAME else ""  # ".csv" is no stem
    words = " ".join(stem.replace("_", " ").replace("-", " ").split())
    return (words[:1].upper() + words[1:]) if words else "Khảo sát"


# The longest title (or series name) a survey keeps, in characters (round 28, `hostile31`): a 1 MB title typed or pasted
# on Khảo sát, or given to `survey import --title`, was stored and named the survey in every list, message and report.
TITLE_MAX_CHARS = 300


def import_survey(db: Any, cfg: Any, file_name: str, stream: BinaryIO, questionnaire: Questionnaire, *,
                  title: str, username: str, now: datetime, series: str | None = None, sheet: str | None = None,
                  on_progress: ProgressFn | None = None, should_stop: Callable[[], bool] | None = None,
                  tag: bool = True) -> SurveyImport:
    """Store one wave. `series` names the survey the wave belongs to (default: the title); its wave
    number is the next one. Raises SurveyError (Vietnamese) for a file that cannot be used."""
    digest = imp.file_sha1(stream)
    stream.seek(0)
    title = one_line(title) or title_from_file(file_name)  # «\u200b» alone was a title "" in a series ""
    series = one_line(series) or title
    for what, text in (("Tên khảo sát", title), ("Tên loạt khảo sát", series)):
        why = too_long(text, TITLE_MAX_CHARS, what)
        if why:
            raise SurveyError(why)
    stored = questionnaire.stored()
    with db.read() as cur:
        dup = store_surveys.find_by_sha1(cur, digest)
    if dup is not None:
        raise SurveyError(f"Tệp này đã được nhập (khảo sát số {dup}); không nhập lại.")
    with imp.open_table(file_name, stream, cfg.imports, sheet=sheet) as table:
        _check(questionnaire, list(table.columns))
        described = {q.column for q in questionnaire.questions}
        unknown = [c for c in table.columns if c and c not in described]   # a question added to the form
        with db.write() as cur:
            wave = store_surveys.next_wave(cur, series)
            sid = store_surveys.add_survey(cur, title=title, series=series, wave=wave,
                                           file_name=imp.stored_name(file_name), file_sha1=digest, now=now,
                                           username=username, questionnaire=questionnaire.to_json(),
                                           area=cfg.area.name if hasattr(cfg, "area") else "")
            n, answers, texts, empty = _write(cur, sid, table.rows, stored, cfg.imports.chunk_rows * 10,
                                              on_progress, table.position, should_stop)
            if n == 0:
                raise SurveyError("Tệp không có phiếu nào có câu trả lời.")
            store_surveys.set_respondents(cur, sid, n)
            _refuse_same_answers(cur, sid, n)
            kept = [q.column for q in questionnaire.questions if q.kind == "pii" and q.keep]
            for col in kept:
                store_users.audit(cur, username, "survey_keep_personal_data", f"survey:{sid}",
                                  {"giữ cột dữ liệu cá nhân": col}, now)
    res = SurveyImport(sid, series, wave, n, answers, texts,
                       dropped_pii=[q.column for q in questionnaire.questions if q.kind == "pii" and not q.keep],
                       kept_pii=kept, empty_rows=empty, unknown_columns=unknown, title=title)
    if tag and texts:
        tag_free_text(db, cfg, sid, [q.code for q in stored if q.kind == "text"])
    return res


def delete_survey(db: Any, survey_id: int, *, username: str, now: datetime) -> store_surveys.SurveyRow:
    """Undo an import (wrong file, wrong description, an export to be replaced by a longer one): the survey,
    its answers and tags go in one transaction, written to the audit log. SurveyError if there is none."""
    with db.write() as cur:
        s = store_surveys.get_survey(cur, survey_id)
        if s is None:
            raise SurveyError(f"Không có khảo sát số {survey_id}.")
        store_surveys.delete_survey(cur, survey_id)
        store_users.audit(cur, username, "survey_delete", f"survey:{survey_id}",
                          {"tên": s.title, "đợt": s.wave, "tệp": s.file_name, "số phiếu": s.respondents}, now)
    return s


def tag_free_text(db: Any, cfg: Any, survey_id: int, codes: list[str], pipeline: Any = None) -> int:
    """Topics, sentiment and places of the free-text answers (the items' pipeline), in chunks; returns how many
    answers were tagged. Each distinct text (NFC, stripped) of a question is tagged once and its tags go to every
    answer that has it: real surveys repeat answers («Hài lòng», «Cần thêm đèn đường»), and the demo's two waves'
    258 answers hold 39 texts (round 25: the pipeline read 258 rows, now 39; the same stored tags). The texts seen
    are kept per question, no more than the question's answers already read."""
    from nlp.service import get_pipeline

    pipeline = pipeline or get_pipeline(cfg)
    done = 0
    for code in codes:
        with db.read() as cur:
            df = store_surveys.answers_long(cur, survey_id, code)
        tagged: dict[str, _TextTags] = {}
        for start in range(0, len(df), TAG_CHUNK):
            part = df.iloc[start:start + TAG_CHUNK]
            answers = [(int(r), text(v)) for r, v in zip(part["respondent"], part["value"])]
            _tag_new_texts(pipeline, tagged, answers, f"s{survey_id}", code)
            tags = [(r, code, *tagged[t]) for r, t in answers]
            with db.write() as cur:
                store_surveys.save_text_tags(cur, survey_id, tags)
            done += len(tags)
    return done


_TextTags = tuple[list[str], str, list[str]]  # topics, sentiment, places of one answer text


def _tag_new_texts(pipeline: Any, tagged: dict[str, _TextTags], answers: list[tuple[int, str]], survey: str,
                   code: str) -> None:
    """Tag, in one call, the texts of `answers` (respondent, text) not in `tagged` yet, and add them to it; each
    goes to the pipeline once, under the id of its first answer (`survey`-respondent-`code`)."""
    first: dict[str, int] = {}
    for r, t in answers:
        if t not in tagged:
            first.setdefault(t, r)
    if not first:
        return
    # an answer is an opinion in a few words, a reply to the question: the comment topic model reads it
    # (flag survey_answer, nlp.steps.COMMENT_FLAGS; round 18)
    rows = [{"id": f"{survey}-{r}-{code}", "title": "", "text": t, "source_type": "social", "flags": ["survey_answer"]}
            for t, r in first.items()]
    for t, o in zip(first, pipeline.tag(rows)):
        tagged[t] = (list(o.get("topics") or []), str(o.get("sentiment") or "neutral"), list(o.get("places") or []))


def _masked_value(q: Question, value: str) -> str:
    """A stored answer as an import since round 14 stores it: free text masked; a choice's option kept, a
    write-in («Khác: …») masked. Masking twice changes nothing, so this may run on any answer again."""
    if q.kind == "text" or (q.kind in CHOICE and value not in q.options):
        return mask_personal_text(value)
    return value


def mask_stored_answers(db: Any) -> int:
    """Once, for surveys imported before answers were masked at import (migration 131: `answers_masked` false):
    mask their stored free-text answers and write-ins as an import does now, each survey in its own transaction,
    and mark it done. Returns how many answers changed; says so in a Vietnamese log line when any survey was
    masked. Why: the phone numbers, e-mails, ID numbers and signed names of older answers stayed readable.
    The answers are read and masked outside the write lock (5–10 s for 100,000 answers, and the dashboard's writes
    would wait); the write replaces a value only if it is still the one read (store_surveys.replace_values)."""
    with db.read() as cur:
        todo = store_surveys.unmasked_surveys(cur)
    changed = 0
    for survey_id, qjson in todo:
        questions = {q.code: q for q in Questionnaire.from_json(qjson).questions
                     if q.stored and (q.kind == "text" or q.kind in CHOICE)}
        with db.read() as cur:
            rows = store_surveys.answer_values(cur, survey_id, list(questions))
        changes = [(r, c, v, new) for r, c, v in rows if (new := _masked_value(questions[c], v)) != v]
        del rows
        with db.write() as cur:
            store_surveys.replace_values(cur, survey_id, changes)
            store_surveys.set_answers_masked(cur, survey_id)
        changed += len(changes)
    if todo:
        log.warning("Đã che số điện thoại, e-mail, số giấy tờ và họ tên tự ghi trong %d câu trả lời của %d khảo sát "
                    "nhập trước khi có bước che thông tin cá nhân (chỉ làm một lần).", changed, len(todo))
    return changed
