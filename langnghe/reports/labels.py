"""Vietnamese labels used in reports. The nlp and alerts parts own the codes; these are fallbacks."""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np
import pandas as pd

TOPIC_LABELS: dict[str, str] = {
    "land": "Đất đai, GPMB", "environment": "Môi trường, tài nguyên", "health": "Y tế, sức khỏe",
    "education": "Giáo dục", "public_order": "An ninh trật tự", "traffic": "Giao thông",
    "economy": "Kinh tế, việc làm", "governance": "Chính quyền, cán bộ", "religion": "Tôn giáo, tín ngưỡng",
    "misinformation_fraud": "Tin giả, lừa đảo", "disaster": "Thiên tai, sự cố", "welfare": "An sinh xã hội",
    "culture_tourism": "Văn hóa, du lịch",
}
SENTIMENT_LABELS: dict[str, str] = {"negative": "Tiêu cực", "neutral": "Trung tính", "positive": "Tích cực"}
try:
    from nlp.labels import SENTIMENT_LABELS as _S
    from nlp.labels import TOPIC_LABELS as _T

    TOPIC_LABELS.update(_T)
    SENTIMENT_LABELS.update(_S)
except ImportError:  # pragma: no cover - nlp part not installed
    pass
TOPIC_LABELS["other"] = "Chưa phân loại"
SENTIMENT_LABELS["unknown"] = "Chưa rõ"
SENTIMENT_ORDER = ("negative", "neutral", "positive", "unknown")

STATE_LABELS: dict[str, str] = {
    "new": "Mới, chưa tiếp nhận", "acknowledged": "Đã tiếp nhận", "assigned": "Đã giao xử lý",
    "resolved": "Đã xử lý xong", "dismissed": "Bỏ qua", "reopened": "Mở lại", "merged": "Đã gộp",
}
try:
    from store.alerts import STATE_LABELS as _SL

    STATE_LABELS.update({k: v for k, v in _SL.items() if k != "new"})
except ImportError:  # pragma: no cover - alerts part not installed
    pass
SEVERITY_LABELS = {"high": "Cao", "medium": "Trung bình", "low": "Thấp"}
SOURCE_TYPES = {"press": "Báo chí", "social": "Mạng xã hội"}
ACTION_LABELS = {
    "raise": "Hệ thống phát sinh cảnh báo", "transition": "Chuyển trạng thái", "assign": "Giao xử lý",
    "priority": "Đổi mức ưu tiên", "note": "Ghi chú", "merge": "Gộp cảnh báo",
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
