"""Vietnamese labels used in reports: the shared vocabulary, with the wording a filed report needs."""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np
import pandas as pd

from vocab.alerts import SEVERITY_LABELS  # noqa: F401
from vocab.alerts import STATE_LABELS as _STATE_LABELS
from vocab.labels import DISPLAY_SENTIMENT_LABELS, DISPLAY_TOPIC_LABELS, SENTIMENT_ORDER, SOURCE_TYPES  # noqa: F401

TOPIC_LABELS: dict[str, str] = DISPLAY_TOPIC_LABELS
SENTIMENT_LABELS: dict[str, str] = DISPLAY_SENTIMENT_LABELS
# A report reads on paper: the new state says what it means for the office.
STATE_LABELS: dict[str, str] = {**_STATE_LABELS, "new": "Mới, chưa tiếp nhận"}
ACTION_LABELS = {
    "raise": "Hệ thống phát sinh cảnh báo", "transition": "Chuyển trạng thái", "assign": "Giao xử lý",
    "priority": "Đổi mức ưu tiên", "note": "Ghi chú", "merge": "Gộp cảnh báo",
    "severity": "Hệ thống đánh giá lại mức độ",
}


def as_list(v: Any) -> list[Any]:
    """A DuckDB list cell (list, numpy array, None) as a Python list."""
    if v is None:
        return []
    if isinstance(v, np.ndarray):
        return v.tolist()
    if isinstance(v, (list, tuple)):
        return list(v)
    try:
        if pd.isna(v):  # NaN, NA, NaT
            return []
    except (TypeError, ValueError):
        pass
    return [v]


def topics_text(codes: Iterable[str]) -> str:
    return ", ".join(TOPIC_LABELS.get(c, c) for c in codes)


def sentiment_label(code: Any) -> str:
    if code is None or (isinstance(code, float) and code != code):
        return SENTIMENT_LABELS["unknown"]
    return SENTIMENT_LABELS.get(str(code), str(code))
