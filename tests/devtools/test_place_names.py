"""The demo and sample place tables name 2025 units exactly as the official list does (the shipped
vietnamadminunits extract in nlp/data/admin_units), and their old names map to those units."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from devtools import sample_reports, synth

UNITS = Path(__file__).resolve().parents[2] / "nlp" / "data" / "admin_units"


def _rows(name: str) -> list[dict[str, str]]:
    with open(UNITS / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


WARDS_2025 = {r["ward"] for r in _rows("quang_ninh_2025_wards.csv")}
MAPPING = {(r["old_district"], r["old_ward"]): r["new_ward"] for r in _rows("quang_ninh_old_to_2025_mapping.csv")
           if r["relation"] == "whole" or r["divided_default"] == "default"}
DISTRICT = {"TP": "Thành phố", "huyện": "Huyện", "thị xã": "Thị xã"}


def _cap(name: str) -> str:
    """'phường Móng Cái 1' → 'Phường Móng Cái 1' (the official list capitalises the unit type)."""
    return name[:1].upper() + name[1:]


def _units_2025_in_display(display: str) -> list[str]:
    """The 2025 units a gazetteer display string names: after 'nay', or the head of a 2025 ward."""
    if ", nay " in display:
        now = display.split(", nay ", 1)[1].split(" (")[0]
        return [] if re.search(r"\d+ phường", now) else [_cap(x.strip()) for x in now.split(",")]
    head = display.split(" (")[0]
    return [_cap(head)] if head.lower().startswith(("phường ", "xã ", "đặc khu ")) else []


SYNTH = [(d, n2025, old, lvl) for d, n2025, old, lvl, _ in synth.PLACES]
SAMPLE = [(d, n2025, None, lvl) for d, _short, lvl, n2025, _ in sample_reports.PLACES]


@pytest.mark.parametrize("display, name_2025, old, level", SYNTH + SAMPLE)
def test_place_table_rows_match_the_official_2025_list(display, name_2025, old, level):
    for unit in name_2025.split(", "):
        if level != "province":
            assert unit in WARDS_2025, f"{unit!r} is not in the official 2025 list"
    for unit in _units_2025_in_display(display):
        assert unit in WARDS_2025, f"{display!r} names {unit!r}, not in the official 2025 list"
    if level == "ward_2025":
        assert ", nay " not in display and _cap(display.split(" (")[0]) == name_2025
    if level == "ward_old":
        assert ", nay " in display, f"{display!r}: an old ward is written 'phường X cũ, nay …'"
    if old and level in ("ward_old", "ward_2025"):
        m = re.fullmatch(r"(.+) \((TP|huyện|thị xã) (.+)\)", old)
        assert m, old
        key = (f"{DISTRICT[m.group(2)]} {m.group(3)}", m.group(1))
        assert MAPPING.get(key) == name_2025, f"{old} became {MAPPING.get(key)!r}, not {name_2025!r}"
    for m in re.finditer(r"\b(TP|huyện|thị xã|thành phố|quận) ([^,()]+)", display):
        assert m.group(2).endswith(" cũ"), f"{display!r} treats the abolished {m.group(0)!r} as current"


def test_the_district_check_can_fail():
    bad = re.search(r"\b(TP|huyện|thị xã|thành phố|quận) ([^,()]+)", "phường Vàng Danh (TP Uông Bí)")
    assert bad and not bad.group(2).endswith(" cũ")
