"""Build nlp/data/admin_units/vn_old_to_2025_mapping.csv: every legacy ward → its 2025 ward(s), all provinces.

    vietnamadminunits-1.0.4 wheel (MIT; PROVENANCE.md)  data/converter_2025.json
        DICT_PROVINCE_WARD_NO_DIVIDED  new province → new ward key → [old "province_district_ward" keys]
        DICT_PROVINCE_WARD_DIVIDED     new province → old key → [{newWardKey, isDefaultNewWard}]
    + the two national lists already shipped (names and codes by key)
        ▼
    new_province, old_district, old_ward, old_ward_code, new_ward, new_ward_code, relation, divided_default
    (the columns of quang_ninh_old_to_2025_mapping.csv, with the 2025 province first)

The gazetteer reads an area's rows from it when no `<province>_old_to_2025_mapping.csv` of its own is
shipped (only Quảng Ninh has one, checked by hand; this script reproduces it). Run:

    pip download --no-deps vietnamadminunits==1.0.4 -d /tmp/vau && unzip -o /tmp/vau/*.whl -d /tmp/vau
    python scripts/build_ward_mapping.py /tmp/vau/vietnamadminunits/data/converter_2025.json
"""

from __future__ import annotations

import csv
import json
import sys
import unicodedata
from pathlib import Path

ADMIN = Path(__file__).resolve().parents[1] / "nlp" / "data" / "admin_units"
OUT = ADMIN / "vn_old_to_2025_mapping.csv"
COLUMNS = ["new_province", "old_district", "old_ward", "old_ward_code", "new_ward", "new_ward_code", "relation",
           "divided_default"]


def _plain(key: str) -> str:
    """'xãcẩmgiàng' (one key of the converter keeps its accents) → 'xacamgiang', as the other keys."""
    key = key.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", key) if unicodedata.category(c) != "Mn").lower()


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(ln for ln in fh if not ln.startswith("#")))


def build(converter: dict) -> list[dict[str, str]]:
    """The mapping rows, in the order of the 2025 province, old district, old ward."""
    legacy = {f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey']}": r
              for r in _rows(ADMIN / "vn_legacy_63prov_district_wards.csv")}
    new = {(r["provinceKey"], r["wardKey"]): r for r in _rows(ADMIN / "vn_2025_34prov_wards.csv")}
    out: list[dict[str, str]] = []

    def add(pkey: str, old_key: str, new_key: str, relation: str, default: str) -> None:
        o, n = legacy.get(old_key), new.get((pkey, _plain(new_key)))
        if o is None or n is None:  # a key the lists do not hold (Hoàng Sa's empty ward): nothing to map
            return
        district = o["district"].replace("Thị Xã ", "Thị xã ", 1)  # as nlp.gazetteer reads the legacy list
        out.append({"new_province": n["province"], "old_district": district, "old_ward": o["ward"],
                    "old_ward_code": o["wardCode"], "new_ward": n["ward"], "new_ward_code": n["wardCode"],
                    "relation": relation, "divided_default": default})

    for pkey, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_key, olds in wards.items():
            for old_key in olds:
                add(pkey, old_key, new_key, "whole", "")
    for pkey, olds in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, news in olds.items():
            for n in news:
                add(pkey, old_key, n["newWardKey"], "divided", "default" if n["isDefaultNewWard"] else "")
    out.sort(key=lambda r: (r["new_province"], r["old_district"], r["old_ward"], r["new_ward"]))
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    rows = build(json.loads(Path(argv[0]).read_text(encoding="utf-8")))
    with open(OUT, "w", encoding="utf-8", newline="") as fh:
        fh.write("# Built by scripts/build_ward_mapping.py from vietnamadminunits 1.0.4 (MIT), converter_2025.json\n")
        w = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"{len(rows)} dòng → {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
