"""Vietnamese labels used in reports: the shared vocabulary, with the wording a filed report needs."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Callable, Iterable

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


def places_brief(places: Iterable[str], limit: int | None = 3) -> str:
    """At most `limit` units (None: all), the most specific first, then '+N' for the rest: 'phường Uông Bí; phường
    Vàng Danh; phường Bãi Cháy +2'. An old district or the province is left out when a unit inside it is named."""
    return _brief(places, limit, place_short)


_OLD_WARD = re.compile(r"^(?P<old>.+?) cũ, nay (?P<new>[^,()]+?) \((?P<district>[^()]+) cũ\)$")
_UNIT_TYPES = ("phường", "xã", "thị trấn", "đặc khu")


def place_cell(name: str) -> str:
    """A place as a grid's cell names it (Tin bài, Tổng quan): `place_short`, but an old ward keeps its old name
    after the new unit, the type said once when it is the same: 'phường Trưng Vương cũ, nay phường Uông Bí (TP Uông
    Bí cũ)' → 'phường Uông Bí (Trưng Vương cũ)'; 'xã Thượng Yên Công cũ, nay phường Yên Tử (TP Uông Bí cũ)' →
    'phường Yên Tử (xã Thượng Yên Công cũ)'. The press and staff still say the old name, and the filter beside
    the grid offers it: the cell shows both, in two lines of 110 px where the whole wording took five."""
    m = _OLD_WARD.match(name.strip())
    if not m:
        return place_short(name)
    old, new = m["old"].strip(), m["new"].strip()
    old_type = next((t for t in _UNIT_TYPES if old.lower().startswith(t + " ")), "")
    if old_type and new.lower().startswith(old_type + " "):
        old = old[len(old_type) + 1:]
    return f"{new} ({old} cũ)"


def places_cell(places: Iterable[str]) -> str:
    """Every place of an item as a grid cell: `place_cell` each, the most specific first, an old district or the
    province left out when a unit inside it is named (as `places_brief`), joined by '; '."""
    return _brief(places, None, place_cell)


def _brief(places: Iterable[str], limit: int | None, shorten: Callable[[str], str]) -> str:
    names = [str(p) for p in places if p]
    short: dict[str, tuple[int, str]] = {}  # shown text → (rank, place_short: what a ward's parenthesis names)
    for n in sorted(names, key=_place_rank):
        short.setdefault(shorten(n), (_place_rank(n), place_short(n)))
    wards = [n for n in names if _place_rank(n) == 0]
    keep = [s for s, (r, brief) in short.items()
            if not (r == 1 and any(f"({brief})" in w for w in wards)) and not (r == 2 and len(short) > 1)]
    if limit is None or len(keep) <= limit:
        return "; ".join(keep)
    return "; ".join(keep[:limit]) + f" +{len(keep) - limit}"
