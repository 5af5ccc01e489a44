"""Reddit, Mastodon, Bluesky and Telegram: items from real-format fixtures, rate-limit budgets, odd entries."""

from __future__ import annotations

import json
import time

import pytest

from collectors import _social, mastodon, reddit, telegram
from collectors.base import HttpStatusError, SkipItem
from tests.conftest import send
from kindhelpers import collect, fresh_gates, kserver, server, source  # noqa: F401
from kindspecs import FIX, NOW

pytestmark = pytest.mark.usefixtures("fresh_gates")


def _json(name: str):
    return json.loads((FIX / name).read_text(encoding="utf-8"))


def test_reddit_search_listing(server):
    body = (FIX / "reddit/search_quang_ninh.json").read_bytes()
    server.routes["/search.json"] = lambda r: send(r, 200, body, "application/json")
    b = collect(source("reddit", server.url("/search.json"), options={"min_interval_seconds": 0}))
    assert [i.title for i in b.items] == [
        "Đi Yên Tử (Quảng Ninh) cuối tuần này có ổn không?",
        "Quảng Ninh: xử phạt chủ tài khoản đăng tin sai sự thật về dịch bệnh",
    ]
    post, link = b.items
    assert post.url == "https://www.reddit.com/r/VietNam/comments/1gvx2ab/di_yen_tu_quang_ninh_cuoi_tuan_nay_co_on_khong/"
    assert post.author == "u/saigon_hiker" and "cáp treo" in post.summary
    assert str(post.published_at) == "2024-11-20 08:00:00" and "r/VietNam" in post.flags
    assert "link:baoquangninh.vn" in link.flags
    assert b.skipped == {"deleted or removed post": 1}
    # the User-Agent of the deployment goes out (Reddit blocks generic ones)
    assert "LangNghe" in server.request_headers["/search.json"][0]["user-agent"]


def test_reddit_skips_nsfw_and_non_posts():
    src = source("reddit", "http://x/")
    child = _json("reddit/search_quang_ninh.json")["data"]["children"][0]
    nsfw = {"kind": "t3", "data": {**child["data"], "over_18": True}}
    with pytest.raises(SkipItem, match="NSFW"):
        reddit.map_reddit_post(nsfw, src, NOW)
    with pytest.raises(SkipItem, match="not a post"):
        reddit.map_reddit_post({"kind": "t1", "data": {}}, src, NOW)


def test_mastodon_hashtag_timeline(server):
    body = (FIX / "mastodon/tag_quangninh.json").read_bytes()
    server.routes["/api/v1/timelines/tag/quangninh"] = lambda r: send(r, 200, body, "application/json")
    b = collect(source("mastodon", server.url("/api/v1/timelines/tag/quangninh"),
                       options={"min_interval_seconds": 0}))
    a, cw, boost = b.items
    assert a.url == "https://mastodon.social/@halong_news/113514321098765432"
    assert a.summary.startswith("Mưa lớn gây ngập nhiều tuyến phố ở #HạLong")
    assert a.author == "@halong_news@mastodon.social" and "lang:vi" in a.flags
    assert cw.summary.startswith("Tai nạn giao thông Va chạm") and "cw" in cw.flags and cw.summary.endswith("Hiện trường")
    assert boost.url == "https://mstdn.example/@lan/113511000000000003" and "boost" in boost.flags
    assert boost.author == "@lan@mstdn.example"


def test_mastodon_search_shape_and_private_posts():
    src = source("mastodon", "http://x/")
    statuses = _json("mastodon/tag_quangninh.json")
    assert mastodon.statuses_of({"accounts": [], "statuses": statuses, "hashtags": []}) == statuses
    with pytest.raises(SkipItem, match="not a public post"):
        mastodon.map_status({**statuses[0], "visibility": "direct"}, src, NOW)


def test_bluesky_search_posts(server):
    body = (FIX / "bluesky/search_posts_quang_ninh.json").read_bytes()
    server.routes["/xrpc/app.bsky.feed.searchPosts"] = lambda r: send(r, 200, body, "application/json")
    b = collect(source("bluesky", server.url("/xrpc/app.bsky.feed.searchPosts"), options={"min_interval_seconds": 0}))
    p1, p2 = b.items
    assert p1.url == "https://bsky.app/profile/hoanganh.bsky.social/post/3lbf2xkabcd2k"
    assert p1.title == "Đường lên Yên Tử hôm nay tắc từ sáng, ai đi lễ nhớ xuất phát sớm. #QuangNinh"
    assert p1.author == "@hoanganh.bsky.social" and str(p1.published_at) == "2024-11-20 03:45:12.345000"
    assert "Xử phạt 3 tài khoản đăng tin sai sự thật" in p2.summary and "link" in p2.flags


def test_bluesky_error_object_is_a_visible_skip(server):
    body = json.dumps({"error": "InvalidRequest", "message": "Search is unavailable"}).encode()
    server.routes["/xrpc/app.bsky.feed.searchPosts"] = lambda r: send(r, 200, body, "application/json")
    b = collect(source("bluesky", server.url("/xrpc/app.bsky.feed.searchPosts"), options={"min_interval_seconds": 0}))
    assert b.items == [] and list(b.skipped) == ["AppView answered an error: InvalidRequest Search is unavailable"]


def test_telegram_channel_preview(server):
    body = (FIX / "telegram/s_uongbi24h.html").read_bytes()
    server.routes["/s/uongbi24h"] = lambda r: send(r, 200, body, "text/html; charset=utf-8")
    b = collect(source("telegram", server.url("/s/uongbi24h"), outlet="Uông Bí 24h"))
    a, c = b.items
    assert a.url == "https://t.me/uongbi24h/1201"
    assert a.title == "Người dân tổ 5 phường Trưng Vương phản ánh nước sinh hoạt có mùi lạ suốt 3 ngày nay."
    assert "Đề nghị đơn vị cấp nước kiểm tra gấp!" in a.summary and "views:2400" in a.flags
    assert c.author == "Admin Hải" and "media" in c.flags and str(c.published_at) == "2024-11-20 08:06:40"
    assert b.skipped == {"service message": 1}
    assert server.hits.get("/robots.txt") == 1  # robots.txt asked first (404 here: no rules)


def test_telegram_views_parsing():
    assert telegram._views("2.4K") == 2400 and telegram._views("15") == 15 and telegram._views("1.2M") == 1_200_000
    assert telegram._views("") is None


def test_json_api_returning_html_is_a_document_error(server):
    server.routes["/search.json"] = lambda r: send(r, 200, b"<!DOCTYPE html><html><body>blocked</body></html>",
                                                   "text/html")
    from collectors.base import DocumentError

    with pytest.raises(DocumentError, match="HTML page"):
        collect(source("reddit", server.url("/search.json"), options={"min_interval_seconds": 0}))


def test_spent_budget_blocks_the_next_request(server):
    """X-Ratelimit-Remaining: 0 with a reset far away → the next call raises instead of hammering."""
    body = (FIX / "reddit/search_quang_ninh.json").read_bytes()
    server.routes["/search.json"] = lambda r: send(r, 200, body, "application/json",
                                                   {"X-Ratelimit-Remaining": "0", "X-Ratelimit-Reset": "300"})
    src = source("reddit", server.url("/search.json"), options={"min_interval_seconds": 0})
    assert len(collect(src).items) == 2
    with pytest.raises(HttpStatusError) as ei:
        collect(src)
    assert ei.value.http_status == 429 and 250 < ei.value.retry_after <= 300
    assert server.hits["/search.json"] == 1  # the second call never reached the server


def test_429_blocks_the_host_for_retry_after(server):
    server.routes["/api/v1/timelines/tag/x"] = lambda r: send(r, 429, b"slow down", "text/plain",
                                                              {"Retry-After": "90"})
    src = source("mastodon", server.url("/api/v1/timelines/tag/x"), options={"min_interval_seconds": 0})
    for _ in range(2):
        with pytest.raises(HttpStatusError) as ei:
            collect(src)
        assert ei.value.retry_after == pytest.approx(90, abs=2)
    assert server.hits["/api/v1/timelines/tag/x"] == 1


def test_min_interval_spaces_requests(server):
    body = json.dumps({"posts": []}).encode()
    server.routes["/xrpc/app.bsky.feed.searchPosts"] = lambda r: send(r, 200, body, "application/json")
    src = source("bluesky", server.url("/xrpc/app.bsky.feed.searchPosts"), options={"min_interval_seconds": 0.3})
    t0 = time.monotonic()
    collect(src)
    collect(src)
    assert time.monotonic() - t0 >= 0.3


def test_reset_header_styles():
    now = 1_700_000_000.0
    assert _social._header_reset({"x-ratelimit-reset": "42"}, now) == 42  # Reddit: seconds
    assert _social._header_reset({"ratelimit-reset": str(int(now) + 60)}, now) == 60  # Bluesky: epoch
    iso = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(now + 120))
    assert _social._header_reset({"x-ratelimit-reset": iso}, now) == pytest.approx(120)  # Mastodon: ISO


def test_bluesky_author_feed_shape(server):
    posts = _json("bluesky/search_posts_quang_ninh.json")["posts"]
    body = json.dumps({"feed": [{"post": posts[1]}], "cursor": "x"}).encode()
    server.routes["/xrpc/app.bsky.feed.getAuthorFeed"] = lambda r: send(r, 200, body, "application/json")
    b = collect(source("bluesky", server.url("/xrpc/app.bsky.feed.getAuthorFeed"), options={"min_interval_seconds": 0}))
    assert [i.url for i in b.items] == ["https://bsky.app/profile/quangninh-news.bsky.social/post/3lbe9zz0001aa"]


def test_mastodon_and_bluesky_replies_carry_the_reply_flag():
    """Names: a reply in a thread (Mastodon `in_reply_to_id`, Bluesky's record `reply`) is flagged `reply`, which
    the NLP reads as a comment (nlp.steps.is_comment: the comment topic model, tests/nlp/test_topics_route.py); a
    post is not. The title stays a copy of the text's first line, as the comment route asks."""
    from collectors import bluesky
    from vocab.item import REPLY_FLAG

    reply, post = (mastodon.map_status(s, source("mastodon", "http://x/"), NOW)
                   for s in _json("mastodon/replies_quangninh.json"))
    b_reply, b_post = (bluesky.map_post(p, source("bluesky", "http://x/"), NOW)
                       for p in _json("bluesky/replies_quang_ninh.json")["posts"])
    for r in (reply, b_reply):
        assert REPLY_FLAG in r.flags and r.summary.startswith(r.title.rstrip("…"))
    for p in (post, b_post):
        assert REPLY_FLAG not in p.flags
    # the boosts and posts of the older fixtures stay posts
    assert not any("reply" in mastodon.map_status(s, source("mastodon", "http://x/"), NOW).flags
                   for s in _json("mastodon/tag_quangninh.json"))
    # a reply's parent given in another shape (not an object) is no reply
    rec = _json("bluesky/replies_quang_ninh.json")["posts"][0]
    odd = {**rec, "record": {**rec["record"], "reply": "x"}}
    assert "reply" not in bluesky.map_post(odd, source("bluesky", "http://x/"), NOW).flags
