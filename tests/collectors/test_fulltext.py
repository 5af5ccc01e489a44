"""Full article text: trafilatura on a real-format article page, stored beside the summary, politely."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import timedelta

import pytest

from collectors import fulltext
from collectors.rss import map_entry  # noqa: F401  (the press items come from the RSS kind)
from store import fulltext as store_fulltext
from store.db import utcnow
from store.items import insert_items
from tests.conftest import database, make_config, send
from kindhelpers import db, fresh_gates, kserver, server  # noqa: F401
from kindspecs import FIX

pytestmark = pytest.mark.usefixtures("fresh_gates")

ARTICLE = (FIX / "fulltext/baoquangninh_article.html").read_bytes()


def _item(url: str, n: int, source_type: str = "press"):
    from vocab.item import Item
    from collectors.textutil import canonical_url, sha1

    now = utcnow()
    return Item(id=sha1(canonical_url(url)), source="s", collector="rss", source_type=source_type, outlet="O",
                url=url, canonical_url=canonical_url(url), title=f"Bài {n}", summary=f"Tóm tắt số {n} khác nhau",
                published_at=now - timedelta(minutes=n), published_estimated=False, fetched_at=now,
                content_hash=sha1(f"h{n}"))


def test_extract_text_keeps_the_article_only():
    text = fulltext.extract_text(ARTICLE.decode("utf-8"), "https://baoquangninh.vn/x.html")
    assert text.startswith("Uông Bí đẩy nhanh tiến độ giải phóng mặt bằng")
    assert "254 hộ nhận tiền bồi thường" in text and "Trưng Vương" in text
    for noise in ("Bình luận", "Mong sớm hoàn thành", "Giấy phép số", "Tin liên quan", "Trang chủ"):
        assert noise not in text
    assert fulltext.extract_text("<html><body><p>ngắn</p></body></html>") is None


def test_run_fetches_stores_and_records_failures(server, db, tmp_path):
    server.routes["/bai-1.html"] = lambda r: send(r, 200, ARTICLE, "text/html; charset=utf-8")
    server.routes["/bai-2.html"] = lambda r: send(r, 200, b"<html><body>menu</body></html>", "text/html")
    server.routes["/private/bai-3.html"] = lambda r: send(r, 200, ARTICLE, "text/html")
    server.routes["/robots.txt"] = lambda r: send(r, 200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
    items = [_item(server.url("/bai-1.html"), 1), _item(server.url("/bai-2.html"), 2),
             _item(server.url("/private/bai-3.html"), 3), _item(server.url("/mat.html"), 4),
             _item(server.url("/social.html"), 5, source_type="social")]
    with db.write() as cur:
        insert_items(cur, items)
    cfg = make_config(tmp_path, [], fulltext={"per_host_spacing_seconds": 0.0})
    counts = asyncio.run(fulltext.run(cfg, db))
    assert counts == {"ok": 1, "empty": 1, "robots": 1, "http_404": 1}
    assert "/private/bai-3.html" not in server.hits and "/social.html" not in server.hits
    with db.read() as cur:
        texts = store_fulltext.texts_for(cur, [i.id for i in items])
        assert list(texts) == [items[0].id] and "312 hộ dân" in texts[items[0].id]
        assert store_fulltext.pending(cur, limit=10, since=utcnow() - timedelta(days=1)) == []
    # a second run tries nothing again
    assert asyncio.run(fulltext.run(cfg, db)) == {}
    assert server.hits["/bai-1.html"] == 1


def test_ingest_fetches_full_text_before_nlp(server, db, tmp_path, monkeypatch):
    from nlp import service
    from orchestration import ingest

    server.routes["/bai-1.html"] = lambda r: send(r, 200, ARTICLE, "text/html; charset=utf-8")
    it = _item(server.url("/bai-1.html"), 1)
    with db.write() as cur:
        insert_items(cur, [it])
    cfg = make_config(tmp_path, [], fulltext={"per_host_spacing_seconds": 0.0})
    seen = {}

    def nlp(cfg_, db_, ids, **_):
        with db.read() as cur:
            seen.update(store_fulltext.texts_for(cur, ids))

    monkeypatch.setattr(service, "tag_ids", nlp)
    ingest.processor(cfg, db)([it.id])
    assert "254 hộ" in seen[it.id]


def test_a_replay_on_a_simulated_clock_fetches_full_text_of_its_items(server, db, tmp_path, monkeypatch):
    """The ingest path's clock (a replay's, a bench's simulated time) sets the full-text window too: items
    fetched 30 days before the wall clock, on a clock of their own time, get their article (the window was read
    from the wall clock, so they were never fetched)."""
    from nlp import service
    from orchestration import ingest

    server.routes["/bai-1.html"] = lambda r: send(r, 200, ARTICLE, "text/html; charset=utf-8")
    it = _item(server.url("/bai-1.html"), 1)
    then = it.fetched_at - timedelta(days=30)
    it = dataclasses.replace(it, fetched_at=then, published_at=then)
    with db.write() as cur:
        insert_items(cur, [it])
    cfg = make_config(tmp_path, [], fulltext={"per_host_spacing_seconds": 0.0})
    monkeypatch.setattr(service, "tag_ids", lambda *a, **k: 0)
    ingest.processor(cfg, db, clock=lambda: then + timedelta(minutes=5))([it.id])
    assert server.hits.get("/bai-1.html") == 1
    with db.read() as cur:
        assert "254 hộ" in store_fulltext.texts_for(cur, [it.id])[it.id]


def test_ingest_with_full_text_disabled_fetches_nothing(server, db, tmp_path, monkeypatch):
    from nlp import service
    from orchestration import ingest

    it = _item(server.url("/bai-1.html"), 1)
    with db.write() as cur:
        insert_items(cur, [it])
    cfg = make_config(tmp_path, [], fulltext={"enabled": False})
    tagged = []
    monkeypatch.setattr(service, "tag_ids", lambda c, d, ids, **_: tagged.extend(ids))
    ingest.processor(cfg, db)([it.id])
    assert tagged == [it.id] and not server.hits.get("/bai-1.html")


def test_catchup_hook_fetches_what_a_pass_left_retags_and_updates_stories(server, tmp_path, monkeypatch):
    """A pass stops at max_per_run; the serve hook fetches the rest later, re-tags those items with
    their full text, and their stories follow (full schema: tags and stories installed)."""
    from store import stories as store_stories
    from store import tags as store_tags
    from nlp import service
    from orchestration import ingest, jobs

    class Stub:  # what the pipeline would conclude, from the words it is given
        model_version = "stub"

        def tag(self, rows):
            return [{"id": r["id"], "topics": ["land"] if "bồi thường" in r["text"] else [], "sentiment": "neutral",
                     "in_area": "Trưng Vương" in r["text"], "places": ["phường Trưng Vương"] if "Trưng Vương"
                     in r["text"] else [], "place_details": [], "lang": "vi", "no_diacritics": False,
                     "folded": r["title"].lower(), "model_version": "stub"} for r in rows]

    monkeypatch.setattr(service, "get_pipeline", lambda cfg: Stub())
    server.routes["/bai-1.html"] = lambda r: send(r, 200, ARTICLE, "text/html; charset=utf-8")
    server.routes["/bai-2.html"] = lambda r: send(r, 200, ARTICLE, "text/html; charset=utf-8")
    cfg = make_config(tmp_path, [], fulltext={"per_host_spacing_seconds": 0.0, "max_per_run": 1,
                                              "catchup_minutes": 10})
    items = [_item(server.url("/bai-1.html"), 1), _item(server.url("/bai-2.html"), 2)]
    with database(tmp_path / "full.duckdb") as db:
        with db.write() as cur:
            insert_items(cur, items)
        ingest.processor(cfg, db)([i.id for i in items])  # the pass
        with db.read() as cur:
            assert len(store_fulltext.texts_for(cur, [i.id for i in items])) == 1  # max_per_run = 1
            left = next(i for i in items if not store_tags.get_tags(cur, i.id)["topics"])
        now = utcnow()
        with db.write() as cur:  # grouped before its full text came, with the summary's tags
            store_stories.add_story_items(cur, [{
                "item_id": left.id, "story_id": left.id, "published_at": left.published_at, "source": "s",
                "outlet": "O", "source_type": "press", "title": left.title, "folded": "x", "mask": [],
                "topics": [], "sentiment": "neutral", "in_area": False, "places": [], "similarity": None,
                "grouped_at": now}])
            store_stories.refresh_stories(cur, [left.id], now)
        hook = jobs.fulltext_catchup(cfg, db)
        hook()
        hook()  # within catchup_minutes: nothing more is fetched
        with db.read() as cur:
            assert len(store_fulltext.texts_for(cur, [i.id for i in items])) == 2
            tags = store_tags.get_tags(cur, left.id)
            story = cur.execute("SELECT topics, places, in_area FROM stories WHERE story_id = ?",
                                [left.id]).fetchone()
    assert tags["topics"] == ["land"] and tags["in_area"] is True
    assert story == (["land"], ["phường Trưng Vương"], True)
    assert server.hits["/bai-1.html"] == 1 and server.hits["/bai-2.html"] == 1


def test_the_configured_article_caps_are_the_ones_a_run_reads_under(server, db, tmp_path):
    """[limits] max_article_chars and max_article_mb reach full text from the Config `run` is given (round 20: they
    were module constants): the same page keeps its last paragraph under the shipped caps, and is cut before it
    under a smaller character cap (the text kept up to there) or a byte cap (too little left: «empty»)."""
    last = "Ông Nguyễn Văn Bình"
    at = ARTICLE.decode("utf-8").find(last)
    for n in (1, 2, 3):
        server.routes[f"/bai-{n}.html"] = lambda r: send(r, 200, ARTICLE, "text/html; charset=utf-8")
    items = [_item(server.url(f"/bai-{n}.html"), n) for n in (1, 2, 3)]
    with db.write() as cur:
        insert_items(cur, items)
    base = {"fulltext": {"per_host_spacing_seconds": 0.0, "respect_robots": False}}
    runs = [({}, {"ok": 1}), ({"max_article_chars": at}, {"ok": 1}), ({"max_article_mb": 500 / 1048576}, {"empty": 1})]
    for item, (limits, counts) in zip(items, runs):
        cfg = make_config(tmp_path, [], limits=limits, **base)
        assert asyncio.run(fulltext.run(cfg, db, ids=[item.id])) == counts
    with db.read() as cur:
        texts = store_fulltext.texts_for(cur, [i.id for i in items])
    assert last in texts[items[0].id]
    assert "312 hộ dân" in texts[items[1].id] and last not in texts[items[1].id]
    assert items[2].id not in texts
