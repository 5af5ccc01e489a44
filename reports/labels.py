"""Vietnamese labels used in reports: the shared vocabulary, with the wording a filed report needs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

from vocab.alerts import SEVERITY_LABELS  # noqa: F401
# a title's first letter a capital: one function with the tagger's display titles (vocab/casing.py)
from vocab.casing import capitalized, unit_in_text  # noqa: F401
from vocab.alerts import STATE_LABELS as _STATE_LABELS
from vocab.labels import DISPLAY_SENTIMENT_LABELS, DISPLAY_TOPIC_LABELS, SENTIMENT_ORDER, SOURCE_TYPES  # noqa: F401
from vocab.labels import topics_text  # noqa: F401  (shared with the alert reasons; joins by TOPIC_SEPARATOR)

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

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
    import numpy as np
    import pandas as pd

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


def sentiment_label(code: Any) -> str:
    if code is None or (isinstance(code, float) and code != code):
        return SENTIMENT_LABELS["unknown"]
    return SENTIMENT_LABELS.get(str(code), str(code))


_WARD_PREFIXES = ("phường ", "xã ", "đặc khu ")


def _place_rank(name: str) -> int:
    """0 a commune-level unit (2025 or old), 1 an old district or city, 2 a province, 3 anything else."""
    low = name.lower()
    if low.startswith(_WARD_PREFIXES):
        return 0
    if low.startswith(("tp ", "thành phố ", "thị xã ", "huyện ")):
        return 1
    if low.startswith("tỉnh "):
        return 2
    return 3


def place_short(name: str) -> str:
    """The unit a place string names today, briefly: 'phường Trưng Vương cũ, nay phường Uông Bí (TP Uông Bí cũ)'
    → 'phường Uông Bí'; 'phường Vàng Danh (TP Uông Bí cũ)' → 'phường Vàng Danh'; an old district stays
    'TP Uông Bí cũ' (it is no unit today, and listing its 3–13 successors would fill the column)."""
    head, _, now = name.partition(", nay ")
    if now and _place_rank(head) == 0:
        return now.split(" (")[0].strip()
    if now:
        return head.strip()
    return name.split(" (")[0].strip()


def places_brief(places: Iterable[str], limit: int = 3) -> str:
    """At most `limit` units, the most specific first, then '+N' for the rest: 'phường Uông Bí; phường Vàng
    Danh; phường Bãi Cháy +2'. An old district or the province is left out when a unit inside it is named."""
    names = [str(p) for p in places if p]
    short: dict[str, int] = {}
    for n in sorted(names, key=_place_rank):
        s = place_short(n)
        short.setdefault(s, _place_rank(n))
    wards = [n for n in names if _place_rank(n) == 0]
    keep = [s for s, r in short.items()
            if not (r == 1 and any(f"({s})" in w for w in wards)) and not (r == 2 and len(short) > 1)]
    shown = "; ".join(keep[:limit])
    return shown + (f" +{len(keep) - limit}" if len(keep) > limit else "")
