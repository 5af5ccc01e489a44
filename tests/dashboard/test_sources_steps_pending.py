"""The Nguồn tin page warns of items tagged but not yet matched (cases, watchlists: item_steps_pending), and says
nothing when none are (the normal state between passes). `langnghe status`: tests/langnghe/test_status_steps_pending.py."""

from __future__ import annotations

import streamlit as st

from store import tags as tag_store


def test_the_sources_page_warns_of_items_that_still_owe_their_matching(env):
    at = env.page("sources", role="viewer").run()
    assert not at.exception
    assert not any("chưa đối chiếu" in w.value for w in at.warning)
    with env.db.write() as cur:  # first tags mark the item as owing its steps
        tag_store.save_tags(cur, [{"id": "a", "model_version": "v", "topics": [], "sentiment": "neutral"}])
    st.cache_data.clear()
    at = env.page("sources", role="viewer").run()
    assert not at.exception
    assert any("chưa đối chiếu hồ sơ phản ánh và danh sách theo dõi: 1" in w.value for w in at.warning)


def test_the_sources_page_says_items_whose_matching_was_given_up(env):
    from store.db import utcnow

    with env.db.write() as cur:
        tag_store.save_tags(cur, [{"id": "a", "model_version": "v", "topics": [], "sentiment": "neutral"}])
        for _ in range(tag_store.STEP_ATTEMPTS):
            tag_store.step_failed(cur, "a", utcnow())
    st.cache_data.clear()
    at = env.page("sources", role="viewer").run()
    assert not at.exception
    assert not any("chưa đối chiếu" in w.value for w in at.warning)
    assert any("đã dừng thử: 1" in e.value for e in at.error)
