"""Nguồn tin says, per source, what became of its articles' full text (got it, waiting, refused by robots.txt,
failed to load), in the words `langnghe fulltext` prints; and a source whose last fetch held more entries than
one answer is read for ([limits] max_entries) says how many it skipped («bỏ qua N mục vượt giới hạn»).
Until dash7 the first was said only by the CLI and the second by no one."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from collectors import fulltext
from collectors.base import ENTRIES_CUT
from vocab.config import DEFAULT_LIMITS
from devtools.rows import make_item
from store import fulltext as store_fulltext
from store.db import utcnow
from store.items import insert_items
from store.sources import Outcome, record_outcome
from tests.dashboard.conftest import no_exception

PRESS = "demo-baoquangninh"
OTHER = "demo-vnexpress"
# item → (source, stored status or None for no row, hours since it was fetched)
ITEMS = {
    "ok1": (PRESS, "ok", 1), "ok2": (PRESS, "ok", 2), "rob": (PRESS, "robots", 3),
    "late": (PRESS, "robots_unreachable", 3), "t503": (PRESS, "http_503", 4), "tout": (PRESS, "fetch_timeout", 5),
    "wait": (PRESS, None, 1), "old": (PRESS, None, 72), "empty": (OTHER, "empty", 2), "ok3": (OTHER, "ok", 2),
}


def _seed(db) -> None:  # type: ignore[no-untyped-def]
    now = utcnow()
    rows = []
    with db.write() as cur:
        for iid, (source, status, hours) in ITEMS.items():
            at = now - timedelta(hours=hours)
            insert_items(cur, [make_item(item_id=iid, url=f"https://bao.example.vn/{iid}", title=f"Bài {iid}",
                                         summary="Tóm tắt", source=source, outlet="Báo", source_type="press",
                                         published_at=at, fetched_at=at)])
            if status:
                # robots.txt that did not answer waits for its next try; the timeout has spent its tries
                again = now + timedelta(minutes=10) if status == "robots_unreachable" else None
                rows.append(store_fulltext.Extracted(iid, "Văn bản" if status == "ok" else None, status, "",
                                                     retry_at=again))
        # not counted: a social post (no full text is fetched for it), an item fetched before the week
        insert_items(cur, [make_item(item_id="post", url="https://m.example.vn/p", title="Bài đăng", summary="x",
                                     source=PRESS, outlet="Nhóm", source_type="social", published_at=now,
                                     fetched_at=now),
                           make_item(item_id="week", url="https://bao.example.vn/week", title="Bài cũ", summary="x",
                                     source=PRESS, outlet="Báo", source_type="press",
                                     published_at=now - timedelta(days=9), fetched_at=now - timedelta(days=9))])
        store_fulltext.save_many(cur, rows, now=now)


def test_the_store_counts_each_sources_items_by_status(env):
    _seed(env.db)
    now = utcnow()
    with env.db.read() as cur:
        rows = store_fulltext.status_by_source(cur, since=now - timedelta(days=7),
                                               window_start=now - timedelta(hours=48), source_types=("press",))
    got = {(r.source, r.status): r.items for r in rows}
    assert got == {(PRESS, "ok"): 2, (PRESS, "robots"): 1, (PRESS, "robots_unreachable"): 1, (PRESS, "http_503"): 1,
                   (PRESS, "fetch_timeout"): 1, (PRESS, store_fulltext.WAITING): 1, (PRESS, store_fulltext.TOO_OLD): 1,
                   (OTHER, "empty"): 1, (OTHER, "ok"): 1}


def test_the_groups_and_the_words_are_the_clis():
    rows = [store_fulltext.SourceStatus(PRESS, s, n, retrying) for s, n, retrying in
            (("ok", 5, False), ("http_503", 2, False), ("fetch_timeout", 1, False), ("robots", 1, False),
             ("robots_unreachable", 1, True), (store_fulltext.WAITING, 3, False), (store_fulltext.TOO_OLD, 4, False),
             ("not_html", 1, False), ("error", 1, False))]
    (one,) = fulltext.by_source(rows)
    assert (one.ok, one.waiting, one.robots, one.failed, one.other) == (5, 4, 1, 4, 5)
    # a failure that may pass waits while a later run will try it again, and has failed once its tries are spent
    again = fulltext.by_source([store_fulltext.SourceStatus(PRESS, "fetch_timeout", 2, True),
                                store_fulltext.SourceStatus(PRESS, "fetch_timeout", 3, False),
                                store_fulltext.SourceStatus(PRESS, "robots_unreachable", 1, False)])
    assert (again[0].waiting, again[0].failed) == (2, 4)
    assert one.detail.startswith(f"{fulltext.status_label(store_fulltext.TOO_OLD)}: 4; ")
    for status in ("http_503", "fetch_timeout", "robots", "robots_unreachable", "not_html", "error"):
        assert f"{fulltext.status_label(status)}: " in one.detail
    assert "máy chủ trả lỗi HTTP 503: 2" in one.detail and "đã lấy toàn văn" not in one.detail
    assert not any(code in one.detail for code in ("http_", "fetch_", "pending", "too_old"))


def _table(at, first: str) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    return next(d.value for d in at.dataframe if list(d.value.columns)[:2] == ["Nguồn", first])


def test_nguon_tin_shows_full_text_per_source(env):
    _seed(env.db)
    st.cache_data.clear()
    at = env.page("sources", role="viewer").run()
    no_exception(at)
    assert any(h.value == "Toàn văn bài báo" for h in at.subheader)
    table = _table(at, "Đã lấy toàn văn").set_index("Nguồn")
    assert list(table.columns) == ["Đã lấy toàn văn", "Đang chờ lấy", "robots.txt không cho phép", "Tải lỗi", "Khác",
                                   "Chi tiết"]
    assert list(table.index) == [PRESS, OTHER]  # in the health table's order
    assert list(table.loc[PRESS])[:5] == [2, 2, 1, 2, 1]
    assert "hết thời gian chờ: 1" in table.loc[PRESS, "Chi tiết"]
    assert "máy chủ trả lỗi HTTP 503: 1" in table.loc[PRESS, "Chi tiết"]
    assert table.loc[OTHER, "Chi tiết"] == "không tách được nội dung: 1"


def test_nguon_tin_says_when_full_text_is_off(tmp_path):
    from tests.dashboard.conftest import Env

    env = Env(tmp_path, fulltext={"enabled": False})
    at = env.page("sources", role="viewer").run()
    no_exception(at)
    assert any("Không lấy toàn văn bài báo" in c.value for c in at.caption)
    env.db.close()


def _fetched(db, source: str, seen: int, cut: int) -> None:  # type: ignore[no-untyped-def]
    now = utcnow()
    with db.write() as cur:
        record_outcome(cur, Outcome(source=source, started_at=now, finished_at=now, outcome="ok",
                                    next_due_at=now + timedelta(minutes=15), http_status=200, entries_seen=seen,
                                    items_new=12, skipped={ENTRIES_CUT: cut} if cut else {}))


def test_a_feed_over_the_cap_says_what_it_skipped(env):
    _fetched(env.db, PRESS, DEFAULT_LIMITS.max_entries + 250, 250)
    _fetched(env.db, OTHER, 40, 0)
    st.cache_data.clear()
    from dashboard.views.sources import DETAIL_TOGGLE

    at = env.page("sources", role="viewer").run()
    next(t for t in at.toggle if t.label == DETAIL_TOGGLE).set_value(True).run()  # the grid is sent what it shows
    no_exception(at)
    health = _table(at, "Cơ quan, kênh").set_index("Nguồn")
    assert health.loc[PRESS, "Lần tải gần nhất"] == "1.250 mục, 12 tin mới; bỏ qua 250 mục vượt giới hạn"
    assert health.loc[OTHER, "Lần tải gần nhất"] == "40 mục, 12 tin mới"
    (warned,) = [w.value for w in at.warning if "vượt" in w.value]
    assert f"{PRESS} (bỏ qua 250 mục)" in warned and OTHER not in warned and "1.000 mục" in warned


def test_no_word_when_no_feed_is_over_the_cap(env):
    _fetched(env.db, OTHER, 40, 0)
    st.cache_data.clear()
    at = env.page("sources", role="viewer").run()
    no_exception(at)
    assert not [w for w in at.warning if "vượt" in w.value]


def test_a_failure_past_the_fetch_window_is_not_said_to_wait(env):
    """An article whose retry falls due after its item left [fulltext] max_age_hours is never fetched again
    (store.fulltext.pending reads only the window): Nguồn tin counts it failed, not waiting for ever (review12)."""
    now = utcnow()
    at = now - timedelta(hours=72)
    with env.db.write() as cur:
        insert_items(cur, [make_item(item_id="gone", url="https://bao.example.vn/gone", title="Bài cũ", summary="x",
                                     source=PRESS, outlet="Báo", source_type="press", published_at=at,
                                     fetched_at=at)])
        store_fulltext.save_many(cur, [store_fulltext.Extracted("gone", None, "fetch_timeout", "", 1,
                                                                now - timedelta(minutes=1))], now=now)
    window = now - timedelta(hours=48)
    with env.db.read() as cur:
        assert store_fulltext.pending(cur, limit=10, since=window, now=now) == []  # never tried again
        rows = store_fulltext.status_by_source(cur, since=now - timedelta(days=7), window_start=window,
                                               source_types=("press",))
        outcomes = store_fulltext.outcomes_since(cur, window)  # what `langnghe fulltext` prints
    (one,) = fulltext.by_source(rows)
    assert (one.waiting, one.failed) == (0, 1)
    assert [(o.status, o.waiting) for o in outcomes] == [("fetch_timeout", False)]


def test_the_caption_says_timeouts_and_5xx_wait_for_another_try(env):
    """Since round 20 a timeout, a failed connection or a 5xx answer is tried again (collectors.fulltext
    RETRY_STATUSES) and counts as «Đang chờ lấy» until its tries are spent: the caption under the table said they
    were «Tải lỗi» (dash7's words, written before ops9's retries; review12)."""
    _seed(env.db)
    st.cache_data.clear()
    at = env.page("sources", role="viewer").run()
    no_exception(at)
    (cap,) = [c.value for c in at.caption if "«Đang chờ lấy»" in c.value]
    waiting, failed = cap.split("«Tải lỗi»")[0], cap.split("«Tải lỗi»")[1].split("«Khác»")[0]
    assert "hết thời gian chờ" in waiting and "5xx" in waiting
    assert "hết thời gian chờ" not in failed.split("hết số lần thử")[0]


def test_the_over_cap_word_names_the_size_cap_too():
    """An RSS answer cut at [limits] max_feed_mb counts its entries past the cut as ENTRIES_CUT too, with fewer
    than max_entries entries in all: «có nhiều hơn 1.000 mục» was then false; the word names both caps (review12)."""
    from orchestration import status

    health = [{"source": PRESS, "last_skipped": {ENTRIES_CUT: 120}}]
    text = status.over_cap_text(health, DEFAULT_LIMITS)
    assert "1.000 mục" in text and f"{DEFAULT_LIMITS.max_feed_mb:g} MB" in text and "nhiều hơn" not in text
