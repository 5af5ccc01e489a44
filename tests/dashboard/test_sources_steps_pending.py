"""The Nguồn tin page warns of items tagged but not yet matched (cases, watchlists: item_steps_pending), and says
nothing when none are (the normal state between passes). `langnghe status`: tests/langnghe/test_status_steps_pending.py.
Items given up are a red line, and admins (only) put them back in the queue there, serve running (round 20)."""

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


def _given_up(env, *ids: str) -> None:
    from store.db import utcnow

    with env.db.write() as cur:
        tag_store.save_tags(cur, [{"id": i, "model_version": "v", "topics": [], "sentiment": "neutral"} for i in ids])
        for i in ids:
            for _ in range(tag_store.STEP_ATTEMPTS):
                tag_store.step_failed(cur, i, utcnow(), "watchlists", "lỗi thử")
    st.cache_data.clear()


def _pending(env) -> tuple[int, int]:
    with env.db.read() as cur:
        return tag_store.count_steps_pending(cur), tag_store.count_steps_failed(cur)


def test_an_admin_puts_the_given_up_items_back_from_the_page_after_ticking_the_box(env):
    """`langnghe steps --retry` writes the database, so it needed serve stopped; an admin now does it on Nguồn tin,
    through dashboard.actions (store.tags.retry_steps_failed, audited), once a box says the cause is fixed."""
    _given_up(env, "a", "b")
    at = env.page("sources", role="admin").run()
    assert not at.exception and any("đã dừng thử: 2" in e.value for e in at.error)
    assert at.button(key="steps_retry").disabled  # not before the box is ticked
    at.checkbox(key="steps_retry_ok").check().run()
    at.button(key="steps_retry").click().run()
    assert not at.exception
    assert _pending(env) == (2, 0)  # back in the queue, owed again: the next tag job runs them
    assert any("Đã đưa 2 tin vào lại hàng chờ" in s.value for s in at.success)
    assert not any("đã dừng thử" in e.value for e in at.error)
    assert not [b for b in at.button if b.key == "steps_retry"]  # nothing given up: no button
    with env.db.read() as cur:
        assert cur.execute("SELECT username, detail FROM dashboard_audit WHERE action = 'steps.retry'").fetchall() == [
            ("quantri", '{"tin": 2}')]


def test_only_admins_see_the_retry_and_the_action_refuses_others(env):
    import pytest

    from dashboard import actions
    from orchestration.accounts import User

    _given_up(env, "a")
    for role in ("viewer", "analyst"):
        at = env.page("sources", role=role).run()
        assert not at.exception and any("đã dừng thử: 1" in e.value for e in at.error)
        assert not [b for b in at.button if b.key == "steps_retry"] and not [
            c for c in at.checkbox if c.key == "steps_retry_ok"]
    with pytest.raises(PermissionError, match="quyền quản trị"):
        actions.retry_given_up_steps(env.db, User("chuyenvien", "Cán bộ chuyenvien", "analyst"))
    assert _pending(env) == (0, 1)  # still given up
