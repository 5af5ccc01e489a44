"""Propose a questionnaire description from a survey export's headers and a sample of its rows.

Staff confirm or correct it on the Khảo sát page (the CLI takes it as proposed, or a saved one with
--like). Personal data is recognised by header (họ tên, số điện thoại, email, CCCD…) and by value
(e-mail addresses, phone numbers, 9/12-digit ids) and proposed as `pii`, which is not stored.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache
from typing import Any, Iterable, Mapping, Sequence

from surveys.model import Question, Questionnaire
from vocab.folding import fold, strip_marks

SAMPLE_ROWS = 500
# The sample also ends at the row that brings its cells past this many characters. A multiple-choice column whose
# every answer ticks 4,000 options of its own cost about 2 s and 23 MB per MB of sample (hostile34: 500 such rows,
# 45 MB, 92 s and 1 GB on the Khảo sát page inside serve): splitting and accent-folding every part. Real forms are
# far below it (the demo's 500 respondents: 0.11 MB); a sample cut short still holds the ~50 answers a proposal
# needs (OTHER_MIN_ANSWERS) unless rows average over 40,000 characters (fix34; docs/SCALE.md *Surveys*).
SAMPLE_MAX_CHARS = 2_000_000


def row_chars(row: Mapping[str, Any]) -> int:
    """The characters of a row's cells, as the sample's bound counts them (None and empty cells count 0)."""
    return sum(len(v) if isinstance(v, str) else (0 if v is None else len(str(v))) for v in row.values())


def sampled(rows: Iterable[Mapping[str, Any]]) -> Iterable[Mapping[str, Any]]:
    """The rows a proposal reads: the first SAMPLE_ROWS, ending early at the row that brings their characters past
    SAMPLE_MAX_CHARS (that row included: a first row of 3 MB is still a sample of one)."""
    chars = 0
    for i, row in enumerate(rows):
        if i >= SAMPLE_ROWS or chars >= SAMPLE_MAX_CHARS:
            return
        chars += row_chars(row)
        yield row

# form tools' own columns (Google Forms, Microsoft Forms, KoboToolbox), folded
_SKIP_HEADERS = {
    "dau thoi gian", "timestamp", "thoi gian bat dau", "thoi gian hoan thanh", "start time",
    "completion time", "id", "stt", "start", "end", "today", "deviceid", "_id", "_uuid", "_submission_time",
    "_index", "_validation_status", "_status", "_submitted_by", "__version__", "_version_", "_notes", "_tags",
    "_parent_index", "_submission__id", "_submission__uuid", "last modified time", "thoi gian sua doi lan cuoi",
    "meta/instanceid", "formhub/uuid",
}
_PII_WORDS = ("ho ten", "ho va ten", "ten nguoi", "name", "so dien thoai", "dien thoai", "sdt", "phone",
              "email", "e-mail", "thu dien tu", "cccd", "cmnd", "can cuoc", "dinh danh", "so nha", "dia chi nha",
              "dia chi cu the", "zalo", "facebook")
_DEMOGRAPHIC_WORDS: tuple[tuple[str, str], ...] = (
    ("do tuoi", "age_group"), ("nhom tuoi", "age_group"), ("tuoi", "age_group"), ("age", "age_group"),
    ("gioi tinh", "gender"), ("gender", "gender"), ("nghe nghiep", "occupation"), ("cong viec", "occupation"),
    ("occupation", "occupation"), ("phuong", "ward"), ("noi o", "ward"), ("noi sinh song", "ward"),
    ("dia ban", "ward"), ("khu dan cu", "ward"), ("to dan pho", "ward"), ("ward", "ward"),
    ("trinh do", "other"), ("dan toc", "other"),
)
# ordered scales, most negative first (folded)
LIKERT_SCALES: tuple[tuple[str, ...], ...] = (
    ("Rất không đồng ý", "Không đồng ý", "Phân vân", "Đồng ý", "Rất đồng ý"),
    ("Rất không đồng ý", "Không đồng ý", "Bình thường", "Đồng ý", "Rất đồng ý"),
    ("Hoàn toàn không đồng ý", "Không đồng ý", "Trung lập", "Đồng ý", "Hoàn toàn đồng ý"),
    ("Rất không hài lòng", "Không hài lòng", "Bình thường", "Hài lòng", "Rất hài lòng"),
    ("Rất không cần thiết", "Không cần thiết", "Bình thường", "Cần thiết", "Rất cần thiết"),
    ("Rất kém", "Kém", "Trung bình", "Tốt", "Rất tốt"),
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.I)
_PHONE = re.compile(r"^(\+?84|0)[\s.]?\d{2,3}[\s.]?\d{3}[\s.]?\d{3,4}$")
_IDNO = re.compile(r"^\d{9}$|^\d{12}$")
_NUMBER = re.compile(r"^-?\d+([.,]\d+)?$")
_LIKERT_HINT = ("muc do", "danh gia", "thang diem", "(1-5)", "1-5", "cham diem")
_SEPARATORS = (";", ", ")
_TEXT_HINT = ("y kien", "kien nghi", "gop y", "de xuat", "nhan xet", "ghi ro", "mong muon", "comment")


def text(v: Any) -> str:
    """A cell as NFC text without surrounding spaces ('' for empty)."""
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return unicodedata.normalize("NFC", str(v)).strip()


_TOTAL_WORDS = frozenset({"tong", "tong cong", "tong so", "tong so phieu", "cong", "total", "sum"})


def is_total_row(row: Mapping[str, Any]) -> bool:
    """A tally's totals row ("Tổng cộng", 20, 12 …) at the bottom of a typed-up sheet: its first filled cell
    says so. It is not a respondent, and its counts are not answers."""
    for v in row.values():
        t = text(v)
        if t:
            return fold(t).rstrip(" :.") in _TOTAL_WORDS
    return False


# what a respondent writes in an optional free-text box to say they have nothing to add (folded)
_NO_OPINION = frozenset({
    "", "khong", "ko", "k", "kg", "khong co", "ko co", "k co", "khong co y kien", "ko co y kien", "khong y kien",
    "khong co y kien gi", "khong co gi", "khong co gi them", "khong co y kien khac", "khong co kien nghi",
    "khong co de xuat", "khong co gop y", "khong gop y", "chua co", "chua co y kien", "het", "none", "no", "n/a",
    "na", "nothing", "khong co a", "khong a",
})


def is_no_opinion(value: str) -> bool:
    """«Không», «Không có ý kiến», «ko», «.», «-»: no opinion. Counted as not answered, so a report's
    «N ý kiến» counts opinions and the NLP pipeline does not give «Không có ý kiến» a topic."""
    if len(value) > 40:   # an opinion; the phrases below are shorter (and folding long texts is not free)
        return False
    return " ".join(re.sub(r"[^\w/ ]+", " ", fold(value)).split()) in _NO_OPINION


def _has(folded: str, words: Iterable[str]) -> bool:
    return any(re.search(rf"(^|[^a-z]){re.escape(w)}($|[^a-z])", folded) for w in words)


def _pii_values(values: list[str]) -> bool:
    if not values:
        return False
    hits = sum(1 for v in values if _EMAIL.match(v) or _PHONE.match(v) or _IDNO.match(v))
    return hits >= max(2, 0.5 * len(values))


def _likert_scale(values: set[str]) -> tuple[str, ...] | None:
    folded = {fold(v) for v in values}
    for scale in LIKERT_SCALES:
        if folded <= {fold(s) for s in scale}:
            return scale
    return None


@lru_cache(maxsize=64)
def _whole_options(sep: str, options: tuple[str, ...]) -> dict[int, frozenset[str]]:
    """Per number of parts, the folded options that hold the separator (computed once per question)."""
    whole: dict[int, set[str]] = {}
    for o in options:
        parts = [p.strip() for p in o.split(sep) if p.strip()]
        if len(parts) > 1:
            whole.setdefault(len(parts), set()).add(fold(sep.join(parts)))
    return {k: frozenset(v) for k, v in sorted(whole.items(), reverse=True)}


def split_choices(v: str, sep: str, options: Sequence[str] = ()) -> list[str]:
    """The options chosen in one multiple-choice answer. Google Forms joins them with ", " and does not
    escape an option that holds a comma itself ("Không có người trông, đón con"): such an option of the
    questionnaire is kept whole (compared accent-folded), not counted as two options."""
    parts = [p.strip() for p in v.split(sep) if p.strip()]
    whole = _whole_options(sep, tuple(options))
    if not whole:
        return parts
    out, i = [], 0
    while i < len(parts):
        k = next((k for k in whole if i + k <= len(parts) and fold(sep.join(parts[i:i + k])) in whole[k]), 1)
        out.append(sep.join(parts[i:i + k]))
        i += k
    return out


def _joined_options(values: list[str], sep: str) -> list[str]:
    """Options that hold the separator themselves, seen in the sample: a part that starts in lower case
    ("đón con") and always follows the same part is the rest of that option, not an option of its own."""
    answers = [[p.strip() for p in v.split(sep) if p.strip()] for v in values]
    counts = Counter(p for a in answers for p in a)
    before: dict[str, set[str]] = {}
    for a in answers:
        for i, p in enumerate(a):
            before.setdefault(p, set()).add(a[i - 1] if i else "")
    out: list[str] = []
    for a in answers:
        i = 0
        while i < len(a):
            j = i + 1
            while j < len(a) and a[j][:1].islower() and before[a[j]] == {a[j - 1]} and counts[a[j]] >= 2:
                j += 1
            if j > i + 1:
                out.append(sep.join(a[i:j]))
            i = j
    return list(dict.fromkeys(out))


def _scale_asked(scale: tuple[str, ...], values: set[str], answered: int) -> list[str]:
    """The scale the form offered: a five-point scale whose two ends nobody of many chose was a three-point
    question (Không đồng ý / Phân vân / Đồng ý) — shown as five, the report had two empty «Rất …» rows and a
    mean «/5» for a question that never offered them."""
    seen = {fold(v) for v in values}
    if len(scale) == 5 and answered >= OTHER_MIN_ANSWERS and not seen & {fold(scale[0]), fold(scale[-1])}:
        return list(scale[1:4])
    return list(scale)


def _split(values: list[str], sep: str) -> list[str]:
    joined = _joined_options(values, sep)
    return [p for v in values for p in split_choices(v, sep, joined)]


def _multi_separator(values: list[str]) -> str:
    """The separator of a multiple-choice column: many answers hold it and its parts recur."""
    for sep in _SEPARATORS:
        joined = [v for v in values if sep in v.strip().rstrip(";")]
        if len(joined) < max(2, 0.1 * len(values)):
            continue
        parts = Counter(_split(values, sep))
        if len(parts) <= 30 and sum(1 for c in parts.values() if c >= 2) >= 0.6 * len(parts):
            return sep
        if _mostly_recurring(parts, 30):   # Google Forms' «Khác»: a few options and many one-off answers
            return sep
    return ""


OTHER_MIN_ANSWERS = 50     # from this many sampled answers, an answer given once is a «Khác: …», not an option


def _mostly_recurring(counts: Counter[str], most: int) -> bool:
    """A choice column with «Khác» (free words) open: at most `most` answers recur, and they make 80% of all."""
    merged = _merge_spellings(counts)
    recurring = [c for c in merged.values() if c >= 2]
    return 2 <= len(recurring) <= most and sum(recurring) >= 0.8 * sum(merged.values())


def _options(values: list[str]) -> list[str]:
    """The options of a choice column: in a large sample, the answers given at least twice (the one-off
    answers typed into «Khác» are reported together as «Khác», stats.OTHER); in a small one, all but a
    one-off that starts in lower case (options are written capitalised, «con tôi …» was typed in)."""
    merged = _merge_spellings(Counter(values))
    small = len(values) < OTHER_MIN_ANSWERS
    keep = {fold(v) for v, c in merged.items() if c >= 2 or (small and not v[:1].islower())}
    return order_options([v for v in values if fold(v) in keep])


def _first_number(s: str) -> float:
    m = re.search(r"\d+", s)
    n = float(m.group()) if m else 1e9
    return n - 0.5 if fold(s).startswith(("duoi", "tu duoi", "nho hon")) else n


def _merge_spellings(counts: Counter[str]) -> Counter[str]:
    """One option per accent-folded spelling ("Đồng ý", "dong y", "ĐỒNG Ý"), written as the most common
    spelling with diacritics: the import counts the others as it (orchestration.surveys._canon)."""
    groups: dict[str, list[str]] = {}
    for v in counts:
        groups.setdefault(fold(v), []).append(v)
    out: Counter[str] = Counter()
    for variants in groups.values():
        best = max(variants, key=lambda v: (strip_marks(v) != v, counts[v]))
        out[best] = sum(counts[v] for v in variants)
    return out


def order_options(values: Iterable[str], role: str = "") -> list[str]:
    """Options in a sensible order: age groups and numbers by their first number, others by count."""
    counts = _merge_spellings(Counter(values))
    if role == "age_group" or all(re.search(r"\d", v) for v in counts):
        return sorted(counts, key=lambda v: (_first_number(v), v))
    return [v for v, _ in counts.most_common()]


def propose_column(column: str, values: list[str]) -> Question:
    """One column's proposed description from its non-empty sample values."""
    raw = fold(column).strip()
    if raw in _SKIP_HEADERS or raw.startswith("_") or not values:
        return Question(column, "skip")
    h = raw.replace("_", " ")   # KoboToolbox names: gioi_tinh
    if h in ("ten", "ho", "email", "name") or _has(h, _PII_WORDS) or _pii_values(values):
        return Question(column, "pii")
    distinct = set(values)
    scale = _likert_scale(distinct)
    # a rating ("Đánh giá … tại phường (1-5)", "Mức độ hài lòng … theo độ tuổi") names a place or an age
    # without asking for one: the scale or the rating words win over the demographic words
    if not scale and not _has(h, _LIKERT_HINT):
        for word, role in _DEMOGRAPHIC_WORDS:
            if _has(h, (word,)):
                return Question(column, "demographic", options=order_options(values, role), role=role)
    if scale:
        return Question(column, "likert", options=_scale_asked(scale, distinct, len(values)))
    if all(_NUMBER.match(v) for v in values):
        nums = {float(v.replace(",", ".")) for v in values}
        if all(n.is_integer() and 1 <= n <= 10 for n in nums) and (_has(h, _LIKERT_HINT) or max(nums) <= 5):
            top = 5 if max(nums) <= 5 else (7 if max(nums) <= 7 else 10)
            return Question(column, "likert", options=[str(i) for i in range(1, top + 1)])
        return Question(column, "number")
    if _has(h, _TEXT_HINT):
        return Question(column, "text")
    sep = _multi_separator(values)
    if sep:
        return Question(column, "multi", options=_options(_split(values, sep)), separator=sep)
    if sum(len(v) for v in values) / len(values) > 40:
        return Question(column, "text")
    if len(distinct) <= 25 and len(distinct) <= 0.5 * len(values):
        return Question(column, "single", options=_options(values))
    if len(values) >= OTHER_MIN_ANSWERS and _mostly_recurring(Counter(values), 25):
        return Question(column, "single", options=_options(values))
    return Question(column, "text")


def propose(columns: list[str], rows: Iterable[Mapping[str, Any]]) -> Questionnaire:
    """A questionnaire proposed from the header and the first SAMPLE_ROWS rows (fewer past SAMPLE_MAX_CHARS)."""
    sample: dict[str, list[str]] = {c: [] for c in columns}
    for row in sampled(rows):
        if is_total_row(row):
            continue
        for c in columns:
            v = text(row.get(c))
            if v:
                sample[c].append(v)
    return Questionnaire([propose_column(c, sample[c]) for c in columns])
