"""Coordinates and approximate shapes of the 2025 wards of the province, for the offline map (no tiles, no network)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

WARDS_2025 = Path(__file__).resolve().parents[1] / "nlp" / "data" / "admin_units" / "quang_ninh_2025_wards.csv"


def ward_coordinates(path: Path = WARDS_2025) -> pd.DataFrame:
    """name_2025 ('Phường Uông Bí'), lat, lon, ward type; empty if the shipped list is missing."""
    if not path.exists():
        return pd.DataFrame(columns=["name_2025", "lat", "lon", "type"])
    df = pd.read_csv(path, dtype=str)
    return pd.DataFrame({
        "name_2025": df["ward"],
        "lat": pd.to_numeric(df["wardLat"], errors="coerce"),
        "lon": pd.to_numeric(df["wardLon"], errors="coerce"),
        "type": df["wardType"],
    }).dropna(subset=["lat", "lon"])


CELLS_2025 = Path(__file__).resolve().parent / "geo" / "quang_ninh_2025_cells.json"


def ward_cells(path: Path = CELLS_2025) -> dict | None:
    """The shipped GeoJSON of approximate unit shapes (scripts/build_ward_cells.py), or None if missing."""
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))
