"""Coordinates and approximate shapes of the 2025 wards of the province, for the offline map (no tiles, no network).

Coordinates come from the national 2025 list, for whichever province [area] names; the approximate shapes
are shipped for Quảng Ninh only (scripts/build_ward_cells.py), so another province's map shows its units as
points without shapes rather than Quảng Ninh's."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

WARDS_2025 = Path(__file__).resolve().parents[1] / "nlp" / "data" / "admin_units" / "vn_2025_34prov_wards.csv"


def _short(province: str) -> str:
    """'Tỉnh Bắc Ninh', 'Thành phố Hải Phòng', 'bắc ninh' → 'bắc ninh' (compared without type and case)."""
    p = province.strip()
    for t in ("Tỉnh ", "Thành phố ", "tỉnh ", "thành phố "):
        p = p.removeprefix(t)
    return p.strip().casefold()


def ward_coordinates(province: str = "Quảng Ninh", path: Path = WARDS_2025) -> pd.DataFrame:
    """name_2025 ('Phường Uông Bí'), lat, lon, ward type of the province's 2025 units; empty if the shipped
    list is missing."""
    if not path.exists():
        return pd.DataFrame(columns=["name_2025", "lat", "lon", "type"])
    df = pd.read_csv(path, dtype=str, comment="#")
    df = df[df["province"].map(_short) == _short(province)]
    return pd.DataFrame({
        "name_2025": df["ward"],
        "lat": pd.to_numeric(df["wardLat"], errors="coerce"),
        "lon": pd.to_numeric(df["wardLon"], errors="coerce"),
        "type": df["wardType"],
    }).dropna(subset=["lat", "lon"]).reset_index(drop=True)


CELLS_2025 = Path(__file__).resolve().parent / "geo" / "quang_ninh_2025_cells.json"


def ward_cells(province: str = "Quảng Ninh", path: Path = CELLS_2025) -> dict | None:
    """The shipped GeoJSON of approximate unit shapes (scripts/build_ward_cells.py) when they are the
    province's units; None if missing or another province's (never Quảng Ninh's shapes under Bắc Ninh)."""
    if not path.exists():
        return None
    cells = json.loads(path.read_text(encoding="utf-8"))
    names = set(ward_coordinates(province)["name_2025"])
    if not names or not {f["id"] for f in cells["features"]} <= names:
        return None
    return cells


MAPPING = WARDS_2025.parent / "vn_old_to_2025_mapping.csv"
# how the pages write a unit's type before its name in running text («phường Bến Thủy, TP Vinh»)
_TYPE_WORDS = (("Thành phố ", "TP "), ("Thị xã ", "TX "), ("Thị trấn ", "thị trấn "), ("Phường ", "phường "),
               ("Huyện ", "huyện "), ("Xã ", "xã "), ("Quận ", "quận "), ("Đặc khu ", "đặc khu "))
QUANG_NINH_EXAMPLES = {"unit": "phường Uông Bí", "old": "phường Trưng Vương, TP Uông Bí", "place": "Vàng Danh",
                       "ward": "phường Vàng Danh", "town": "Uông Bí", "issue": "bụi than",
                       "talk": "xe chở than gây bụi", "watch": '"bãi thải" OR "đất đá thải" -"Cẩm Phả"',
                       "meaning": "nghĩa là nổi tiếng"}


def _in_text(name: str) -> str:
    for full, short in _TYPE_WORDS:
        if name.startswith(full):
            return short + name[len(full):]
    return name


def area_examples(province: str, focus: str, path: Path = MAPPING) -> dict[str, str]:
    """Place names of the watched area for the pages' examples, where they named Quảng Ninh's whatever the area
    (ux41, round 32: a Nghệ An office read «Tin nhắc tên cũ (phường Trưng Vương, TP Uông Bí…)» and «Đề nghị UBND
    phường Uông Bí…»): `unit`, a 2025 unit («phường Trường Vinh»); `old`, an old unit counted in it with its old
    district («phường Bến Thủy, TP Vinh»); `place`, a name to type (the focus, else the unit's name); `ward`, a unit
    a collaborator writes and `talk`, what people there say; `town`, a name to search, `issue`, a phrase to search;
    `watch`, a watchlist's query leaving another old district out (Theo dõi, ux42); `meaning`, Quảng Ninh's only, what
    the place's name means unmarked («vang danh»: nổi tiếng; Tin bài's search help). The focus's own units first. Quảng Ninh keeps the examples its pages always gave; {} when the list has nothing of the area."""
    if _short(province) == "quảng ninh" and _short(focus) in ("uông bí", ""):
        return dict(QUANG_NINH_EXAMPLES)
    if not path.exists():
        return {}
    df = pd.read_csv(path, dtype=str, comment="#").fillna("")
    df = df[(df["new_province"].map(_short) == _short(province)) & (df["old_ward"] != df["new_ward"])
            & (df["old_ward"] != "")]
    if not len(df):
        return {}
    f = focus.strip().casefold()
    everywhere = df
    if f:
        own = df[df["old_district"].str.casefold().str.endswith(" " + f)
                 | df["new_ward"].str.casefold().str.endswith(" " + f)]
        df = own if len(own) else df
    r = df.iloc[0]
    unit = _in_text(r["new_ward"])
    old = _in_text(r["old_ward"]) + (f", {_in_text(r['old_district'])}" if r["old_district"] else "")
    place = focus.strip() or r["new_ward"].split(" ", 1)[-1]
    # a name to leave out of a watchlist (Theo dõi's «Ví dụ: … -"Cẩm Phả"»): another old district of the province
    others = [d for d in dict.fromkeys(everywhere["old_district"]) if d and d != r["old_district"]
              and not d.casefold().endswith(" " + f)] if len(everywhere) else []
    other = _in_text(others[0]).split(" ", 1)[-1] if others else ""
    watch = '"rác thải" OR "bãi rác"' + (f' -"{other}"' if other else "")
    return {"unit": unit, "old": old, "place": place, "ward": unit, "town": place, "issue": "rác thải",
            "talk": "rác thải không được thu gom", "watch": watch}
