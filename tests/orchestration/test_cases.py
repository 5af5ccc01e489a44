"""Complaint cases end to end on a real DuckDB file: opened from own-channel items on the ingest path,
due dates in working days, the lifecycle and its audit trail, replies through the channel's API (a local
stand-in), and the received / handled-on-time figures."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta

import httpx
import pytest

from collectors import facebook_page
from orchestration import cases
from store import cases as store_cases
from store.db import Database
from store.items import insert_items
from tests.conftest import make_config
from vocab.item import Item
from vocab.config import SourceConfig

FIX = __import__("pathlib").Path(__file__).resolve().parents[1] / "fixtures"
NOW = datetime(2026, 11, 27, 3, 0)      # Friday 10:00 Vietnam time


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("LANGNGHE_TEST_TOKEN", "ma-thu-nghiem")
    src = {"name": "fb-vangdanh", "kind": "facebook_page", "url": "http://graph.test/v21.0/104512345678901/feed",
           "outlet": "Phường Vàng Danh", "source_type": "social", "options": {"token_env": "LANGNGHE_TEST_TOKEN"}}
    cfg = make_config(tmp_path, sources=[src], cases={"holidays": ["2026-12-01"]})
    db = Database(cfg.storage.db_path)
    yield cfg, db
    db.close()


def fb_items(cfg) -> list[Item]:
    src: SourceConfig = next(s for s in cfg.sources if s.kind == "facebook_page")
    doc = json.loads((FIX / "facebook_page/page_feed.json").read_text(encoding="utf-8"))
    out = []
    for kind, entry, post, parent in facebook_page.entries_of_feed(doc):
        try:
            out.append(facebook_page.map_post(entry, src, NOW) if kind == "post"
                       else facebook_page.map_comment(entry, src, NOW, post_id=post, parent_id=parent))
        except Exception:
            pass
    return out


def store(db, items) -> list[str]:
    with db.write() as cur:
        return insert_items(cur, items)


def test_due_dates_count_working_days_and_holidays(env):
    cfg, _ = env
    s = cases.CaseSettings.from_config(cfg)
    # Friday 27/11 → Mon 30, (Tue 1/12 holiday), Wed 2, Thu 3, Fri 4, Mon 7 → end of Monday 7/12, Vietnam time
    assert cases.due_at(NOW, s) == datetime(2026, 12, 7, 16, 59, 59)
    assert cases.due_at(NOW, replace(s, holidays=frozenset())) == datetime(2026, 12, 4, 16, 59, 59)


def test_citizens_comments_open_cases_the_pages_own_post_does_not(env):
    cfg, db = env
    ids = store(db, fb_items(cfg))
    opened = cases.open_for_items(cfg, db, ids, now=NOW)
    assert len(opened) == 2                                   # the complaint and the reply under it
    assert cases.open_for_items(cfg, db, ids, now=NOW) == []   # never twice
    with db.read() as cur:
        rows = store_cases.list_cases(cur, now=NOW)
        events = store_cases.case_events(cur, opened[0])
    assert {r["channel"] for r in rows} == {"facebook_page"} and all(r["status"] == "new" for r in rows)
    assert events[0]["action"] == "opened"


def test_a_flagged_complaint_import_opens_a_case(env):
    cfg, db = env
    item = Item(id="x1", source="import-pakn", collector="import", source_type="social", outlet="Tệp nhập",
                url="urn:langnghe:import:1", canonical_url="urn:langnghe:import:1", title="Phản ánh tiếng ồn karaoke",
                summary="Karaoke tổ 3 hát đến 1 giờ sáng.", published_at=NOW, published_estimated=False, fetched_at=NOW,
                content_hash="h1", flags=("complaint",))
    assert cases.open_for_items(cfg, db, store(db, [item]), now=NOW)


def test_lifecycle_is_enforced_and_audited(env):
    cfg, db = env
    cid = cases.open_for_items(cfg, db, store(db, fb_items(cfg)), now=NOW)[0]
    with db.write() as cur:
        store_cases.assign(cur, cid, "chuyenvien", "quantri", NOW, "xử lý trong tuần")
        store_cases.transition(cur, cid, "in_progress", "chuyenvien", NOW)
        store_cases.add_note(cur, cid, "chuyenvien", "Đã gọi công ty nước.", NOW)
        with pytest.raises(store_cases.CaseError, match="Không thể chuyển"):
            store_cases.transition(cur, cid, "new", "chuyenvien", NOW)
    with db.read() as cur:
        c = store_cases.get_case(cur, cid)
        ev = store_cases.case_events(cur, cid)
    assert c["status"] == "in_progress" and c["assignee"] == "chuyenvien"
    assert [e["action"] for e in ev] == ["opened", "assign", "status", "note"]


def test_reply_through_the_graph_api_answers_the_case(env):
    cfg, db = env
    cid = cases.open_for_items(cfg, db, store(db, fb_items(cfg)), now=NOW)[0]
    posted = []

    def ok(req: httpx.Request) -> httpx.Response:
        posted.append((req.url.path, json.loads(req.content)))
        return httpx.Response(200, json={"id": "889900112233_9001"})

    status = cases.send_reply(cfg, db, cid, "Phường đã báo công ty cấp nước.", "chuyenvien",
                              client_factory=lambda: httpx.Client(transport=httpx.MockTransport(ok)),
                              now=NOW + timedelta(hours=2))
    assert status.startswith("sent") and posted[0][0].endswith("/comments")
    with db.read() as cur:
        c = store_cases.get_case(cur, cid)
        fig = store_cases.figures(cur, NOW - timedelta(days=1), NOW + timedelta(days=1), NOW + timedelta(days=1))
    assert c["status"] == "answered" and c["reply_via"] == "api" and c["answered_at"] == NOW + timedelta(hours=2)
    # answered two hours after it opened: on time, whatever the wall clock says (stamped by the pass's now)
    assert [(f["handled"], f["on_time"], f["median_hours"]) for f in fig] == [(1, 1, 2.0)]


def test_a_failed_reply_keeps_the_case_open_and_says_why(env):
    cfg, db = env
    cid = cases.open_for_items(cfg, db, store(db, fb_items(cfg)), now=NOW)[0]

    def expired(req: httpx.Request) -> httpx.Response:
        return httpx.Response(400, json={"error": {"code": 190, "message": "Session has expired"}})

    status = cases.send_reply(cfg, db, cid, "Trả lời", "chuyenvien",
                              client_factory=lambda: httpx.Client(transport=httpx.MockTransport(expired)))
    assert status.startswith("failed") and "hết hạn" in status
    with db.read() as cur:
        assert store_cases.get_case(cur, cid)["status"] == "new"
    assert cases.send_reply(cfg, db, cid, "Đã gọi điện trả lời.", "chuyenvien", manual=True) == "manual"
    with db.read() as cur:
        assert store_cases.get_case(cur, cid)["status"] == "answered"


def test_figures_received_on_time_overdue_and_median(env):
    cfg, db = env
    a, b = cases.open_for_items(cfg, db, store(db, fb_items(cfg)), now=NOW)
    with db.write() as cur:
        store_cases.record_reply(cur, a, "Đã xử lý", "manual", "manual", "u", NOW + timedelta(hours=5))
    later = NOW + timedelta(days=20)
    with db.read() as cur:
        f = store_cases.figures(cur, NOW - timedelta(days=1), later, later)
    assert f == [{"key": "facebook_page", "received": 2, "handled": 1, "on_time": 1, "overdue": 1,
                  "median_hours": 5.0}]


def test_retention_purges_a_case_with_its_item_and_history(env):
    from store import retention

    cfg, db = env
    ids = cases.open_for_items(cfg, db, store(db, fb_items(cfg)), now=NOW)
    with db.write() as cur:
        retention.purge(cur, now=NOW + timedelta(days=400), items_days=365, raw_payload_days=30)
        left = cur.execute("SELECT count(*) FROM cases").fetchone()[0], \
            cur.execute("SELECT count(*) FROM case_events").fetchone()[0]
    assert ids and left == (0, 0)
