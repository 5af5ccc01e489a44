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
