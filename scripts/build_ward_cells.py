"""Build dashboard/geo/quang_ninh_2025_cells.json: APPROXIMATE areas of the 54 post-2025 units of Quảng Ninh.

No openly licensed polygon set of the post-July-2025 wards was found on PyPI/npm (vietnamadminunits and
vietnam-provinces ship names, codes, centroids and areas only), so each unit is drawn as its Voronoi cell
around the published centroid, cut to a disc of the unit's published area (x1.3) so that cells do not spill
over the sea. The shapes are labelled "gần đúng" on the map; they are not official boundaries.

Run: /work/main/.venv/bin/python scripts/build_ward_cells.py   (needs shapely: the `geo` extra)
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

from shapely import MultiPoint, Point, voronoi_polygons
from shapely.affinity import scale
from shapely.geometry import mapping

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "nlp" / "data" / "admin_units" / "quang_ninh_2025_wards.csv"
OUT = ROOT / "dashboard" / "geo" / "quang_ninh_2025_cells.json"
KM_PER_DEG = 111.32
DISC = 1.3  # disc radius over the radius of a circle of the unit's area: cells stay near their unit
TOLERANCE_KM = 0.3


def main() -> None:
    rows = list(csv.DictReader(SRC.open(encoding="utf-8")))
    lat0 = sum(float(r["wardLat"]) for r in rows) / len(rows)
    kx = KM_PER_DEG * math.cos(math.radians(lat0))
    pts = [(float(r["wardLon"]) * kx, float(r["wardLat"]) * KM_PER_DEG) for r in rows]  # km, locally flat
    cells = voronoi_polygons(MultiPoint(pts), extend_to=MultiPoint(pts).buffer(200))
    features = []
    for r, (x, y) in zip(rows, pts):
        cell = next(c for c in cells.geoms if c.contains(Point(x, y)))
        radius = math.sqrt(float(r["wardAreaKm2"] or 20) / math.pi) * DISC
        shape = cell.intersection(Point(x, y).buffer(radius, quad_segs=8)).simplify(TOLERANCE_KM)
        shape = scale(shape, xfact=1 / kx, yfact=1 / KM_PER_DEG, origin=(0, 0))
        geom = mapping(shape)
        geom["coordinates"] = _round(geom["coordinates"])
        features.append({"type": "Feature", "id": r["ward"],
                         "properties": {"name_2025": r["ward"], "code": r["wardCode"],
                                        "area_km2": float(r["wardAreaKm2"] or 0),
                                        "lat": float(r["wardLat"]), "lon": float(r["wardLon"])},
                         "geometry": geom})
    OUT.write_text(json.dumps({"type": "FeatureCollection", "approximate": True, "features": features},
                              ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(features)} đơn vị, {OUT.stat().st_size / 1024:.0f} KB")


def _round(c: object) -> object:
    if isinstance(c, (list, tuple)) and c and isinstance(c[0], (int, float)):
        return [round(float(v), 4) for v in c]
    return [_round(x) for x in c]  # type: ignore[union-attr]


if __name__ == "__main__":
    main()
