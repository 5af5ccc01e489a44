"""Alert lifecycle in the store: allowed transitions, Vietnamese refusals, and one audit row per change."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from store import alerts as A
from tests.conftest import database
from vocab.alerts import NewAlert

T = datetime(2025, 9, 10, 2, 0)


@pytest.fixture
def db(tmp_path):
    d = database(tmp_path / "a.duckdb")  # a copy of the worker's migrated file
    yield d
    d.close()


def raise_one(db, story="s1", items=("i1", "i2", "i3"), at=T) -> str:
    with db.write() as cur:
        return A.raise_alert(cur, NewAlert.of(**{"story_id": story, "title": "Sạt lở bãi thải", "topics": ["disaster"],
                                   "places": ["phường Vàng Danh"], "item_ids": list(items), "n_items": len(items),
                                   "n_outlets": 3, "severity": "medium", "score": 27.0,
                                   "reason": "3 tin từ 3 nguồn trong 41 phút"}), at)


def events(db, alert_id):
    with db.read() as cur:
        df = A.audit_log(cur)
    return df[df.alert_id == alert_id].iloc[::-1].reset_index(drop=True)  # oldest first


def test_full_lifecycle_writes_who_when_from_to_note(db):
    aid = raise_one(db)
    with db.write() as cur:
        A.transition(cur, aid, "acknowledged", "bt.tuyengiao", note="Đã xem", at=T + timedelta(minutes=5))
        A.assign(cur, aid, "ctv.hung", "bt.tuyengiao", note="Xác minh tại tổ 5", at=T + timedelta(minutes=6))
        A.set_priority(cur, aid, "urgent", "bt.tuyengiao", at=T + timedelta(minutes=7))
        A.add_note(cur, aid, "ctv.hung", "Đã gọi tổ trưởng tổ 5", at=T + timedelta(minutes=30))
        A.transition(cur, aid, "resolved", "ctv.hung", reason="Đã có thông tin chính thống", at=T + timedelta(hours=2))
        A.transition(cur, aid, "reopened", "bt.tuyengiao", note="Có thêm bài mới", at=T + timedelta(hours=5))
        A.transition(cur, aid, "dismissed", "bt.tuyengiao", reason="trùng tin", at=T + timedelta(hours=6))
        a = A.get_alert(cur, aid)
    assert a["status"] == "dismissed" and a["assignee"] == "ctv.hung" and a["priority"] == "urgent"
    assert a["close_reason"] == "trùng tin"
    ev = events(db, aid)
    assert list(ev.action) == ["raise", "transition", "assign", "priority", "note", "transition", "transition",
                               "transition"]
    from_states = [x if isinstance(x, str) else None for x in ev.from_state]
    assert list(zip(from_states, ev.to_state)) == [
        (None, "new"), ("new", "acknowledged"), ("acknowledged", "assigned"), ("assigned", "assigned"),
        ("assigned", "assigned"), ("assigned", "resolved"), ("resolved", "reopened"), ("reopened", "dismissed")]
    assert list(ev.username) == ["system", "bt.tuyengiao", "bt.tuyengiao", "bt.tuyengiao", "ctv.hung", "ctv.hung",
                                 "bt.tuyengiao", "bt.tuyengiao"]
    assert ev["at"].is_monotonic_increasing
    assert "Giao cho: ctv.hung" in ev.note[2] and "Khẩn" in ev.note[3]
    assert ev.note[4] == "Đã gọi tổ trưởng tổ 5" and "trùng tin" in ev.note[7]


@pytest.mark.parametrize("path,bad", [
    ((), "reopened"),                       # new → reopened
    (("resolved",), "acknowledged"),         # resolved → only reopened
    (("dismissed",), "resolved"),
    (("acknowledged",), "new"),
])
def test_disallowed_transitions_raise_vietnamese_error_and_write_nothing(db, path, bad):
    aid = raise_one(db)
    with db.write() as cur:
        for st in path:
            A.transition(cur, aid, st, "u", reason="lý do")
    before = len(events(db, aid))
    with pytest.raises(ValueError, match="Không thể chuyển cảnh báo"):
        with db.write() as cur:
            A.transition(cur, aid, bad, "u", reason="x")
    assert len(events(db, aid)) == before


def test_every_allowed_transition_is_accepted(db):
    for src, targets in A.ALLOWED.items():
        for dst in targets:
            aid = raise_one(db, story=f"{src}-{dst}")
            path = {"new": [], "acknowledged": ["acknowledged"], "assigned": ["assigned"],
                    "resolved": ["resolved"], "dismissed": ["dismissed"], "reopened": ["dismissed", "reopened"],
                    "merged": None}[src]
            if path is None:
                continue
            with db.write() as cur:
                for st in path + [dst]:
                    A.transition(cur, aid, st, "u", reason="lý do")
                assert A.get_alert(cur, aid)["status"] == dst


def test_dismiss_needs_a_reason(db):
    aid = raise_one(db)
    with pytest.raises(ValueError, match="lý do"):
        with db.write() as cur:
            A.transition(cur, aid, "dismissed", "u", note="không quan trọng")
    with db.read() as cur:
        assert A.get_alert(cur, aid)["status"] == "new"


def test_unknown_alert_and_missing_user_are_refused(db):
    aid = raise_one(db)
    with pytest.raises(ValueError, match="Không tìm thấy"):
        with db.write() as cur:
            A.transition(cur, "A999999", "acknowledged", "u")
    with pytest.raises(ValueError, match="người thực hiện"):
        with db.write() as cur:
            A.transition(cur, aid, "acknowledged", "")
    with pytest.raises(ValueError, match="ưu tiên"):
        with db.write() as cur:
            A.set_priority(cur, aid, "rất cao", "u")


def test_merge_moves_items_and_marks_the_other_merged(db):
    keep = raise_one(db, story="s1", items=("a", "b", "c"))
    other = raise_one(db, story="s2", items=("c", "d", "e"))
    with db.write() as cur:
        A.merge(cur, keep, other, "bt.tuyengiao", note="cùng một vụ")
        k, o = A.get_alert(cur, keep), A.get_alert(cur, other)
        items, gone = A.alert_items(cur, keep), A.alert_items_gone(cur, keep)
        listed = A.list_alerts(cur, statuses=["new"])
    assert list(k["item_ids"]) == ["a", "b", "c", "d", "e"] and k["n_items"] == 5
    assert o["status"] == "merged" and o["merged_into"] == keep
    # these ids were never stored as items: the alert keeps them, the item list has nothing to draw for them
    assert items.empty and gone == 5
    assert list(listed.alert_id) == [keep]
    ev_keep, ev_other = events(db, keep), events(db, other)
    assert ev_keep.action.iloc[-1] == "merge" and ev_other.to_state.iloc[-1] == "merged"
    with pytest.raises(ValueError, match="gộp"):
        with db.write() as cur:
            A.transition(cur, other, "acknowledged", "u")


def test_list_and_filter(db):
    a1 = raise_one(db, story="s1", at=T)
    a2 = raise_one(db, story="s2", at=T + timedelta(hours=1))
    with db.write() as cur:
        A.transition(cur, a1, "dismissed", "u", reason="không liên quan")
        all_ = A.list_alerts(cur)
        open_ = A.list_alerts(cur, statuses=list(A.OPEN_STATES))
        since = A.audit_log(cur, since=T + timedelta(minutes=30))
    assert list(all_.alert_id) == [a2, a1]
    assert list(open_.alert_id) == [a2]
    assert {"alert_id", "at", "username", "action", "from_state", "to_state", "note"} <= set(since.columns)


def _item(n: int, published: datetime, fetched: datetime):  # type: ignore[no-untyped-def]
    from vocab.item import Item
    from collectors.textutil import canonical_url, content_hash, sha1

    url = f"https://bao.vn/tin-{n}"
    return Item(id=sha1(url), source="a", collector="rss", source_type="press", outlet="A", url=url,
                canonical_url=canonical_url(url), title=f"tin {n}", summary="", published_at=published,
                published_estimated=False, fetched_at=fetched, content_hash=content_hash(f"tin {n}", "", url))


def test_retention_recounts_stories_and_drops_emptied_ones(db):
    from store import retention
    from store import stories as S
    from store.items import insert_items

    now = T + timedelta(days=800)
    items = [_item(k, T - timedelta(days=k), T) for k in range(4)]
    rows = [{"item_id": it.id, "story_id": "old" if k < 2 else "mixed", "published_at": it.published_at,
             "source": "a", "outlet": "A", "source_type": "press", "title": it.title, "folded": "t", "mask": [],
             "topics": [], "sentiment": None, "in_area": False, "places": [], "similarity": None, "grouped_at": T}
            for k, it in enumerate(items)]
    young = _item(9, now, now)
    rows.append({**rows[-1], "item_id": young.id, "published_at": now, "title": young.title})
    with db.write() as cur:
        insert_items(cur, [*items, young])
        S.add_story_items(cur, rows)
        S.refresh_stories(cur, ["old", "mixed"], T)
        gen = S.generation(cur)
        dry = {p.what: p.rows for p in retention.purge(cur, now, raw_payload_days=30, items_days=730,
                                                            dry_run=True)}
        assert dry["stories"] == 1 and S.generation(cur) == gen
        got = {p.what: p.rows for p in retention.purge(cur, now, raw_payload_days=30, items_days=730)}
        assert got["items"] == 4 and got["item_rows:story_items"] == 4 and got["stories"] == 1
        left = cur.execute("SELECT story_id, n_items FROM stories").fetchall()
        assert left == [("mixed", 1)] and S.generation(cur) == gen + 1


def test_queue_order_is_applied_before_the_cut(db):
    """Cảnh báo read the 2.000 newest alerts and sorted them after: an older open high-severity alert fell out
    of the list. order="queue" sorts in SQL as detection.queue.sort_queue does, so the cut keeps the head."""
    from detection.queue import sort_queue

    newer = [raise_one(db, story=f"s{k}", at=T + timedelta(hours=k)) for k in range(1, 5)]  # medium, new
    with db.write() as cur:
        old_high = A.raise_alert(cur, NewAlert.of(title="Cũ mà nặng", severity="high", reason="thử"), T)
        closed_high = A.raise_alert(cur, NewAlert.of(title="Đã xong", severity="high", reason="thử"),
                                    T + timedelta(hours=9))
        A.transition(cur, closed_high, "resolved", "u", note="xong")
        A.set_priority(cur, newer[0], "urgent", "u")
        head = A.list_alerts(cur, limit=3, order="queue")
        every = A.list_alerts(cur, limit=100, order="queue")
        newest = A.list_alerts(cur, limit=3)
    assert list(head.alert_id) == [old_high, newer[0], newer[3]]
    assert old_high not in list(newest.alert_id)  # what the page read before
    assert list(every.alert_id) == list(sort_queue(every.sample(frac=1, random_state=1)).alert_id)
    assert every.alert_id.iloc[-1] == closed_high  # closed after every open one, however severe
