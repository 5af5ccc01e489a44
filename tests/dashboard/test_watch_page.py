"""The Theo dõi page (dashboard/views/watch.py) and its actions: list, hits, create, edit, pause, audit."""

from __future__ import annotations

import pytest

from dashboard import actions
from orchestration.accounts import User
from store import users as store_users
from store import watchlists as store_watch
from store.db import utcnow
from tests.dashboard.conftest import no_exception, texts

ANALYST = User("chuyenvien", "Cán bộ chuyenvien", "analyst")
VIEWER = User("xem", "Cán bộ xem", "viewer")
NEW = {"name": "Bãi thải Vàng Danh", "query": '"bãi thải" -"Cẩm Phả"', "places": [], "topics": ["environment"],
       "source_types": [], "min_items": 2, "window_minutes": 120, "severity": "high"}


def _audit(env) -> list[dict]:
    with env.db.read() as cur:
        return [a for a in store_users.list_audit(cur) if a["action"].startswith("watchlist.")]


def test_create_edit_pause_are_audited_and_checked(env):
    wid = actions.save_watchlist(env.db, ANALYST, NEW)
    actions.save_watchlist(env.db, ANALYST, {**NEW, "min_items": 3}, wid)
    actions.set_watchlist_active(env.db, ANALYST, wid, False)
    log = _audit(env)
    assert [a["action"] for a in log] == ["watchlist.pause", "watchlist.edit", "watchlist.create"]
    assert all(a["username"] == "chuyenvien" and a["target"] == NEW["name"] for a in log)
    assert '"trước": 2' in log[1]["detail"] and '"sau": 3' in log[1]["detail"]
    with env.db.read() as cur:
        assert store_watch.get(cur, wid)["active"] is False
    with pytest.raises(PermissionError):
        actions.save_watchlist(env.db, VIEWER, {**NEW, "name": "khác"})
    with pytest.raises(ValueError, match="Đã có"):
        actions.save_watchlist(env.db, ANALYST, NEW)
    with pytest.raises(ValueError, match="không đọc được"):
        actions.save_watchlist(env.db, ANALYST, {**NEW, "name": "lỗi", "query": '"bãi thải'})
    assert len(_audit(env)) == 3  # refused changes leave no trace


def test_page_lists_defaults_and_analysts_add_one(env):
    env.add_users()
    at = env.page("watch", "analyst").run()
    no_exception(at)
    shown = at.dataframe[0].value
    assert {"Chùa Ba Vàng", "Giải phóng mặt bằng", "Bãi thải"} <= set(shown["Tên"])
    assert set(shown["Trạng thái"]) == {"Tạm dừng"}
    rules = dict(zip(shown["Tên"], shown["Cảnh báo khi"]))  # whole hours as hours: «1440 phút» was hard to read
    assert rules["Giải phóng mặt bằng"] == "3 tin trong 24 giờ (mức Trung bình)"
    assert rules["Bãi thải"] == "2 tin trong 6 giờ (mức Trung bình)"
    assert "Mọi danh sách đang tạm dừng" in texts(at)  # why nothing matched: the shipped lists start paused
    inputs = [t for t in at.text_input if t.label in ("Tên", "Từ khóa")][-2:]
    inputs[0].input("Chùa Yên Tử")
    inputs[1].input('"Yên Tử" OR "chua Yen Tu"')
    next(b for b in at.button if b.label == "Thêm danh sách").click().run()
    no_exception(at)
    assert "Đã thêm «Chùa Yên Tử»" in texts(at)
    with env.db.read() as cur:
        names = {w["name"]: w for w in store_watch.list_watchlists(cur)}
    assert names["Chùa Yên Tử"]["active"] and names["Chùa Yên Tử"]["created_by"] == "chuyenvien"
    assert "Mọi danh sách đang tạm dừng" not in texts(at)


def test_viewers_see_no_management(env):
    env.add_users()
    at = env.page("watch", "viewer").run()
    no_exception(at)
    assert "Quản lý danh sách theo dõi" not in texts(at)


def test_the_hits_box_opens_on_the_watchlist_with_hits():
    """Round 10 walk-through: the box opened on "Bãi thải" (a paused default, nothing matched) and said
    "Chưa có tin nào khớp danh sách này." under a chart of the demo watchlist's 14 hits."""
    from dashboard.views.watch import first_with_hits

    wls = [{"id": 1, "active": False}, {"id": 2, "active": False}, {"id": 4, "active": True}, {"id": 5, "active": True}]
    assert first_with_hits(wls, {4: 14, 5: 3}) == 4
    assert first_with_hits(wls, {5: 3}) == 5
    assert first_with_hits(wls, {}) == 4  # nothing matched yet: the first active one
    assert first_with_hits(wls[:2], {}) == 1


def test_a_watch_window_is_worded_in_hours_when_whole():
    from dashboard.views.watch import span

    assert [span(m) for m in (45, 60, 90, 360, 1440, 4320)] == [
        "45 phút", "1 giờ", "90 phút", "6 giờ", "24 giờ", "72 giờ"]


def test_hits_show_the_year(env):
    """Theo dõi's hits read «05/12 20:33» though the list reaches back 90 days (over New Year); the year is shown as on
    Tin bài and Cảnh báo (ui.DATE_TIME_FORMAT)."""
    import json

    from dashboard import data

    env.add_users()
    env.seed(n_items=60, n_stories=0, n_alerts=0, days=5)
    actions.save_watchlist(env.db, ANALYST, {**NEW, "name": "Mọi tin về phường", "query": "phường", "topics": []})
    env.match_watchlists()
    data.refresh()
    at = env.page("watch", "analyst").run()
    no_exception(at)
    hits = next(d for d in at.dataframe if "Lúc đăng" in d.value.columns)
    assert json.loads(hits.proto.columns)["Lúc đăng"]["type_config"]["format"] == "DD/MM/YYYY HH:mm"


# a phrase of 34 syllables: past MAX_PHRASE_SYLLABLES, but only two distinct words (what the matcher still reads)
LONG = '"' + " ".join(["bụi", "than"] * 17) + '"'


def test_a_watchlist_saved_before_the_limits_keeps_its_query_through_other_edits(env):
    """Round 18's search limits refused every save of a watchlist stored before them (even its severity) until its
    query was shortened; now an edit that keeps the query saves, and a query typed anew must meet the limits."""
    with env.db.write() as cur:  # stored before the limits existed: no check on the way in
        wid = store_watch.create(cur, {**NEW, "query": LONG}, "cu", utcnow())
    actions.save_watchlist(env.db, ANALYST, {**NEW, "query": LONG, "severity": "low", "name": "Bụi than"}, wid)
    with env.db.read() as cur:
        saved = store_watch.get(cur, wid)
    assert (saved["severity"], saved["name"], saved["query"]) == ("low", "Bụi than", LONG)
    with pytest.raises(ValueError, match="Cụm từ quá dài"):
        actions.save_watchlist(env.db, ANALYST, {**NEW, "query": LONG + " bụi", "name": "Bụi than"}, wid)
    with pytest.raises(ValueError, match="Cụm từ quá dài"):  # a new list gets no such leave
        actions.save_watchlist(env.db, ANALYST, {**NEW, "query": LONG, "name": "mới"})
    assert actions.query_over_limits(LONG) and actions.query_over_limits(NEW["query"]) is None


def test_the_page_says_a_stored_query_is_over_the_limits(env):
    env.add_users()
    with env.db.write() as cur:
        wid = store_watch.create(cur, {**NEW, "query": LONG}, "cu", utcnow())
    at = env.page("watch", "analyst").run()
    next(s for s in at.selectbox if s.label == "Danh sách").select(wid).run()
    no_exception(at)
    warned = " ".join(w.value for w in at.warning)
    assert "vượt giới hạn tìm kiếm" in warned and "rút gọn" in warned and "32 âm tiết" in warned
