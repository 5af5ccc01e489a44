"""Round 30 (fix30): Nguồn tin's edit form for a source saved with an interval no source may have (a row saved before
fix29's bound, or edited in the database) drew Streamlit's «The `value` 1000000000 is greater than the `max_value`
1440» instead of the form, so the source could not be fixed on the page. Now the form opens with 0 (the default)
and a warning says why the source is not collected; saving it fixes the row."""

from __future__ import annotations

import streamlit as st

from store import users as store_users
from store.db import utcnow


def test_a_source_saved_with_a_bad_interval_can_be_fixed_on_the_page(env):
    with env.db.write() as cur:
        store_users.upsert_managed_source(cur, {
            "name": "khong-lo", "kind": "rss", "url": "https://khong-lo.vn/rss", "outlet": "Không Lồ",
            "source_type": "press", "interval_minutes": 1e9, "enabled": False, "options": {}, "removed": False},
            "quantri", utcnow())
    st.cache_data.clear()
    at = env.page("sources", role="admin").run()
    at = at.selectbox(key="src_pick").set_value("khong-lo").run()
    assert not at.exception, at.exception
    assert any("Chu kỳ thu thập 1.000.000.000 phút không dùng được" in w.value and "không được thu thập cho tới khi sửa"
               in w.value for w in at.warning), [w.value for w in at.warning]
    box = next(n for n in at.number_input if n.label.startswith("Chu kỳ") and n.value == 0)
    assert box.value == 0
    at = at.button(key="FormSubmitter:src_edit_khong-lo-Lưu thay đổi").click().run()
    assert not at.exception, at.exception
    with env.db.read() as cur:
        row = next(r for r in store_users.list_managed_sources(cur) if r["name"] == "khong-lo")
    assert row["interval_minutes"] == 0  # fixed: the default


def test_a_source_with_a_good_interval_shows_no_warning(env):
    at = env.page("sources", role="admin").run()
    assert not at.exception
    assert not any("không dùng được" in w.value for w in at.warning)
