"""Full article text: trafilatura on a real-format article page, stored beside the summary, politely."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from collectors import fulltext
from collectors.rss import map_entry  # noqa: F401  (the press items come from the RSS kind)
from store import fulltext as store_fulltext
from store.db import utcnow
from store.items import insert_items
from tests.conftest import make_config, send
from kindhelpers import db, fresh_gates, kserver, own_schema, server  # noqa: F401
from kindspecs import FIX

pytestmark = pytest.mark.usefixtures("fresh_gates")

ARTICLE = (FIX / "fulltext/baoquangninh_article.html").read_bytes()


def _item(url: str, n: int, source_type: str = "press"):
    from collectors.base import Item
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


def test_wrap_processor_runs_before_nlp(server, db, tmp_path):
    server.routes["/bai-1.html"] = lambda r: send(r, 200, ARTICLE, "text/html; charset=utf-8")
    it = _item(server.url("/bai-1.html"), 1)
    with db.write() as cur:
        insert_items(cur, [it])
    cfg = make_config(tmp_path, [], fulltext={"per_host_spacing_seconds": 0.0})
    seen = {}

    def nlp(ids):
        with db.read() as cur:
            seen.update(store_fulltext.texts_for(cur, ids))

    fulltext.wrap_processor(cfg, db, nlp)([it.id])
    assert "254 hộ" in seen[it.id]


def test_disabled_returns_inner(tmp_path, own_schema):
    cfg = make_config(tmp_path, [], fulltext={"enabled": False})
    inner = lambda ids: None  # noqa: E731
    assert fulltext.wrap_processor(cfg, None, inner) is inner
