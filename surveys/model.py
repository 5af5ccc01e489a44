"""The questionnaire description: what each column of a survey export is.

Kinds: single (one option), multi (several options joined by `separator`), likert (an ordered scale,
`options` from most negative to most positive), number, text (free text → NLP), demographic (a single
choice used to split the others: `role` age_group / gender / occupation / ward / other), and the two
kinds that are not stored: pii (personal data, dropped unless an admin keeps it) and skip (timestamps,
form ids, empty columns).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Literal

from vocab.folding import fold

Kind = Literal["single", "multi", "likert", "number", "text", "demographic", "pii", "skip"]
KINDS: tuple[Kind, ...] = ("single", "multi", "likert", "number", "text", "demographic", "pii", "skip")
STORED: frozenset[str] = frozenset({"single", "multi", "likert", "number", "text", "demographic"})
CHOICE: frozenset[str] = frozenset({"single", "multi", "likert", "demographic"})

KIND_LABELS: dict[str, str] = {
    "single": "Một lựa chọn", "multi": "Nhiều lựa chọn", "likert": "Thang đo (Likert)", "number": "Số",
    "text": "Trả lời tự do", "demographic": "Thông tin người trả lời", "pii": "Dữ liệu cá nhân (bỏ)",
    "skip": "Bỏ qua",
}
ROLE_LABELS: dict[str, str] = {
    "age_group": "Nhóm tuổi", "gender": "Giới tính", "occupation": "Nghề nghiệp", "ward": "Nơi ở",
    "other": "Khác",
}


class SurveyError(ValueError):
    """A survey file or description that cannot be used; the message is Vietnamese, for staff."""


@dataclass
class Question:
    column: str                      # the header as the file gives it
    kind: Kind
    code: str = ""                   # short id used in tables: C1, C2 … (assigned by Questionnaire)
    label: str = ""                  # the question text shown in tables (defaults to the header)
    options: list[str] = field(default_factory=list)   # answer order (choice kinds)
    separator: str = ""              # multi: what joins the chosen options
    role: str = ""                   # demographic: age_group / gender / occupation / ward / other
    keep: bool = False               # pii: an admin chose to keep it (audited)

    @property
    def stored(self) -> bool:
        return self.kind in STORED or (self.kind == "pii" and self.keep)

    @property
    def title(self) -> str:
        return self.label or self.column


@dataclass
class Questionnaire:
    questions: list[Question]

    def __post_init__(self) -> None:
        seen: set[str] = set()
        n = 0
        for q in self.questions:
            if q.column in seen:
                raise SurveyError(f"Cột «{q.column}» xuất hiện hai lần trong mô tả phiếu.")
            seen.add(q.column)
            if q.kind not in KINDS:
                raise SurveyError(f"Loại câu hỏi không hợp lệ cho cột «{q.column}»: {q.kind}.")
            if q.stored and not q.code:
                n += 1
                q.code = f"C{n}"
        if not any(q.kind in STORED and q.kind != "demographic" for q in self.questions):
            raise SurveyError("Tệp không có cột câu trả lời nào (chỉ có thông tin người trả lời, dữ liệu "
                              "cá nhân hoặc cột bỏ qua).")

    def stored(self) -> list[Question]:
        return [q for q in self.questions if q.stored]

    def by_code(self, code: str) -> Question:
        for q in self.questions:
            if q.code == code:
                return q
        raise SurveyError(f"Không có câu hỏi {code}.")

    def same_question(self, q: Question) -> Question | None:
        """This questionnaire's stored question over the same file column as `q` (another wave's), if any:
        waves are matched by column, because a question added to the form between waves shifts the codes."""
        key = fold(q.column)
        return next((x for x in self.stored() if fold(x.column) == key), None)

    def demographics(self) -> list[Question]:
        return [q for q in self.questions if q.kind == "demographic"]

    def to_json(self) -> str:
        return json.dumps([asdict(q) for q in self.questions], ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "Questionnaire":
        return cls([Question(**d) for d in json.loads(text)])
