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


def test_the_console_channel_is_offered_only_in_the_demo_or_when_configured(tmp_path):
    """ux41's walk: a real install's Thông báo offered «Màn hình máy chủ (demo)», which prints on the server's console
    and reaches no one. Shipped config ([notify.console] enabled = false): neither the subscription form nor the
    admin's «Gửi thử» offers it, and a save to it is refused; the demo's config turns it on (devtools/demo.toml)."""
    import pytest

    from dashboard import data_notify as dn
    from devtools import DEMO_CONFIG_PATH
    from orchestration.accounts import User
    from orchestration.notify import channel_offered
    from store import notify as store_notify
    from tests.dashboard.conftest import Env, discard, no_exception
    from vocab import config as config_mod

    e = Env(tmp_path, notify={"console": {"enabled": False}})
    try:
        e.add_users()
        at = e.page("notifications", "admin").run()
        no_exception(at)
        kinds = [s for s in at.selectbox if s.label == "Kênh"]
        assert len(kinds) == 2 and all("Màn hình máy chủ (demo)" not in s.options for s in kinds), kinds
        assert "Thư điện tử (SMTP)" in kinds[0].options
        with pytest.raises(ValueError, match="không dùng được"):
            dn.save(User("chuyenvien", "Cán bộ chuyenvien", "analyst"),
                    store_notify.Subscription(0, "chuyenvien", "console", "chuyenvien"))
        assert not channel_offered(e.cfg, "console") and channel_offered(e.cfg, "email")
    finally:
        discard(e)
    shipped = make_config(tmp_path / "shipped")
    assert not channel_offered(shipped, "console")
    assert channel_offered(config_mod.load(DEMO_CONFIG_PATH), "console")
