"""XenForo forum RSS (voz.vn) and YouTube channel feeds: the items that come out of real-format fixtures."""

from __future__ import annotations

import pytest

from tests.conftest import send
from kindhelpers import collect, fresh_gates, kserver, server, source  # noqa: F401
from kindspecs import FIX

pytestmark = pytest.mark.usefixtures("fresh_gates")


def test_xenforo_first_post_without_quotes(server):
    server.routes["/f/17/index.rss"] = lambda r: send(r, 200, (FIX / "xenforo/voz_f17_index.rss").read_bytes())
    b = collect(source("xenforo", server.url("/f/17/index.rss"), outlet="Diễn đàn VOZ"))
    a, c = b.items
    assert a.title == "Ai ở Uông Bí cho hỏi vụ đền bù đường ven sông thế nào rồi?"
    assert a.summary == ("Nhà em ở phường Trưng Vương, nghe nói giá đền bù đất nông nghiệp thấp hơn dự kiến. "
                         "Các bác có ai biết thông tin chính thống không?")
    assert "trích dẫn" not in a.summary and "Read more" not in a.summary
    assert a.author == "thanh_uongbi" and "replies:23" in a.flags
    assert a.url == "https://voz.vn/t/ai-o-uong-bi-cho-hoi-vu-den-bu-duong-ven-song-the-nao-roi.1012345/"
    assert c.author == "minhhoang88" and c.source_type == "social"


def test_xenforo_keep_quotes_option(server):
    server.routes["/f/17/index.rss"] = lambda r: send(r, 200, (FIX / "xenforo/voz_f17_index.rss").read_bytes())
    b = collect(source("xenforo", server.url("/f/17/index.rss"), options={"keep_quotes": True}))
    assert "trích dẫn cũ không liên quan" in b.items[0].summary


def test_youtube_video_items(server):
    server.routes["/feeds/videos.xml"] = lambda r: send(r, 200, (FIX / "youtube/qtv_channel_feed.xml").read_bytes())
    b = collect(source("youtube", server.url("/feeds/videos.xml"), outlet="QTV Quảng Ninh (YouTube)"))
    v = b.items[0]
    assert v.url == "https://www.youtube.com/watch?v=Abc123xyz_0"
    assert v.title == "Uông Bí: Tập trung giải phóng mặt bằng các dự án trọng điểm | QTV"
    assert v.summary.startswith("QTV - Thành phố Uông Bí đang tập trung tháo gỡ vướng mắc")
    assert v.author == "QTV - Quảng Ninh TV" and "views:4312" in v.flags and v.guid == "yt:video:Abc123xyz_0"
    assert str(v.published_at) == "2024-11-20 04:00:12"
