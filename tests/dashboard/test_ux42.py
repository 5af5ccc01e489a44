"""ux42 (round 32): what ux41's new-office walk left on the pages. Each test fails on the code before it."""

from __future__ import annotations

import json
from datetime import timedelta

from devtools import synth
from store import dashboard as q
from store.db import utcnow
from store.reports import place_units
from tests.conftest import database, make_config

PROVINCE = {"name": "Tỉnh Nghệ An", "level": "province", "name_2025": "Tỉnh Nghệ An", "province": "Nghệ An",
            "in_area": True, "display": "tỉnh Nghệ An"}
WARD = {"name": "Phường Trường Vinh", "level": "ward_2025", "name_2025": "Phường Trường Vinh", "in_area": True,
        "display": "phường Trường Vinh (TP Vinh cũ)"}


def test_a_province_is_no_row_of_the_2025_units(tmp_path):
    """ux41's walk: a Nghệ An office read «Tỉnh Nghệ An» as a row of Chủ đề's «Đơn vị mới (2025)» (the tagger gives
    the province its own place entry, level "province"): it counted every item naming the province. Left out of the
    page's table (store.dashboard.place_trends), the map's click (unit_place_names) and Bảng 5 (place_units)."""
    cfg = make_config(tmp_path)
    now = utcnow()
    with database(cfg.storage.db_path) as d:
        for title, details in (("Tỉnh và phường", [PROVINCE, WARD]), ("Chỉ tỉnh", [PROVINCE])):
            iid = synth.add_item(d, title=title, summary=title, url=f"https://x.vn/{len(details)}",
                                 places=[e["display"] for e in details])
            with d.write() as cur:
                cur.execute("UPDATE item_tags SET place_details = ?::JSON WHERE item_id = ?",
                            [json.dumps(details, ensure_ascii=False), iid])
        with d.read() as cur:
            df = q.place_trends(cur, now - timedelta(days=14), now - timedelta(days=7), now + timedelta(minutes=1))
            clicked = q.unit_place_names(cur, ["Tỉnh Nghệ An"], now - timedelta(days=14))
    assert list(df["name_2025"]) == ["Phường Trường Vinh"] and list(df["n_now"]) == [1]
    assert clicked == []
    assert place_units(["tỉnh Nghệ An", "phường Trường Vinh (TP Vinh cũ)"], [PROVINCE, WARD]) == ["Phường Trường Vinh"]
    assert place_units(["tỉnh Nghệ An"], [PROVINCE]) == []  # not its label either
    assert place_units(["phường Trường Vinh"], [PROVINCE, WARD], corrected=True) == ["phường Trường Vinh"]
