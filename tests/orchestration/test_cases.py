"""Complaint cases end to end on a real DuckDB file: opened from own-channel items on the ingest path,
due dates in working days, the lifecycle and its audit trail, replies through the channel's API (a local
stand-in), and the received / handled-on-time figures."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, timedelta

import httpx
import pytest

from collectors import facebook_page
from orchestration import cases
from store import cases as store_cases
from store.items import insert_items
from tests.conftest import database, make_config
from vocab.item import Item
from vocab.config import ConfigError, SourceConfig

FIX = __import__("pathlib").Path(__file__).resolve().parents[1] / "fixtures"
NOW = datetime(2026, 11, 27, 3, 0)      # Friday 10:00 Vietnam time


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("LANGNGHE_TEST_TOKEN", "ma-thu-nghiem")
    src = {"name": "fb-vangdanh", "kind": "facebook_page", "url": "http://graph.test/v21.0/104512345678901/feed",
           "outlet": "Phường Vàng Danh", "source_type": "social", "options": {"token_env": "LANGNGHE_TEST_TOKEN"}}
    cfg = make_config(tmp_path, sources=[src], cases={"holidays": ["2026-12-01"]})
    db = database(cfg.storage.db_path)
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


def vn(y, m, d, hour=10):
    """A Vietnam-time hour as the naive UTC the product stores."""
    return datetime(y, m, d, hour) - timedelta(hours=7)


def end_of(y, m, d):
    return datetime(y, m, d, 16, 59, 59)     # 23:59:59 Vietnam time


def test_due_dates_skip_tet_and_the_may_holidays_of_2027_with_the_shipped_settings(tmp_path):
    s = cases.CaseSettings.from_config(make_config(tmp_path))
    # Wed 3/2/2027: Tết is Thu 4 – Wed 10/2 (mùng 1 on Sat 6/2) → Thu 11, Fri 12, Mon 15, Tue 16, Wed 17
    assert cases.due_at(vn(2027, 2, 3), s) == end_of(2027, 2, 17)
    # Thu 29/4/2027: Fri 30/4 off, Sat 1/5 moved to Mon 3/5 → Tue 4, Wed 5, Thu 6, Fri 7, Mon 10
    assert cases.due_at(vn(2027, 4, 29), s) == end_of(2027, 5, 10)
    # Giỗ Tổ Hùng Vương 2027 (10/3 lunar) is Fri 16/4: Thu 15/4 → Mon 19 … Fri 23
    assert cases.due_at(vn(2027, 4, 15), s) == end_of(2027, 4, 23)


def test_configured_extra_days_off_and_a_worked_saturday_count(tmp_path):
    # (a bare TOML date, 2027-02-12 without quotes, is read as a date and taken as well)
    cfg = make_config(tmp_path, cases={"holidays": ["2027-02-11", date(2027, 2, 12)], "working_days": ["2027-02-20"]})
    s = cases.CaseSettings.from_config(cfg)
    # a longer Tết decided by the government: Thu 11 and Fri 12/2 off too → Mon 15 … Fri 19
    assert cases.due_at(vn(2027, 2, 3), s) == end_of(2027, 2, 19)
    # Thu 18/2 → Fri 19, Sat 20 (worked), Mon 22, Tue 23, Wed 24
    assert cases.due_at(vn(2027, 2, 18), s) == end_of(2027, 2, 24)
    assert cases.due_at(vn(2027, 2, 18), replace(s, working_days=frozenset())) == end_of(2027, 2, 25)


@pytest.mark.parametrize("setting, value", [
    ("holidays", ["2027-02-08", "08/02/2027"]),
    ("holidays", ["2027-02-30"]),
    ("working_days", ["2027-2-20"]),
    ("working_days", "2027-02-20"),
])
def test_a_day_that_is_not_yyyy_mm_dd_fails_at_load_in_vietnamese(tmp_path, setting, value):
    with pytest.raises(ConfigError, match=rf"^\[cases\] {setting}.*(không phải|phải là)"):
        make_config(tmp_path, cases={setting: value})


def test_a_day_both_off_and_worked_fails_at_load(tmp_path):
    with pytest.raises(ConfigError, match="cùng có ngày 2027-02-20"):
        make_config(tmp_path, cases={"holidays": ["2027-02-20"], "working_days": ["2027-02-20"]})


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


def test_a_reply_to_a_private_address_is_refused_by_the_ssrf_guard(env):
    """A reply goes to the address in the source's settings (an admin can add a source from the dashboard): like
    every fetch, it is sent only to a public address; here nothing is sent and the case says why."""
    from collectors import netguard

    cfg, db = env
    cid = cases.open_for_items(cfg, db, store(db, fb_items(cfg)), now=NOW)[0]
    src = replace(cfg.sources[0], url="http://127.0.0.1:9/v21.0/104512345678901/feed")
    cfg = replace(cfg, sources=[src], http=replace(cfg.http, allow_private_hosts=()))  # the tests allow 127.0.0.1
    status = cases.send_reply(cfg, db, cid, "Trả lời", "chuyenvien")
    assert status == "failed: " + netguard.refusal("127.0.0.1", 9, ["127.0.0.1"])
    with db.read() as cur:
        assert store_cases.get_case(cur, cid)["status"] == "new"
