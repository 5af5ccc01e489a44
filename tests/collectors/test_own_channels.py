"""facebook_page and zalo_oa beyond the shared contract: paging with the token kept out of URLs, only
what is new since the last poll, the APIs' own error codes on health, Messenger messages, replies, and
Zalo's token refresh that rotates both tokens into the secrets directory."""

from __future__ import annotations

import dataclasses
import json
import os
import stat

import httpx
import pytest

from collectors import facebook_page as fb
from collectors import zalo_oa as zalo
from collectors.base import ENTRIES_CUT, PermissionError_, RateLimitedError, TokenExpiredError
from kindhelpers import collect, fresh_gates, kserver, server, source  # noqa: F401
from kindspecs import FIX, OWN_CHANNEL
from tests.conftest import send
from vocab import config as config_mod

pytestmark = pytest.mark.usefixtures("fresh_gates")
FEED = "/v21.0/104512345678901/feed"


def fb_source(server, **opts):
    return source("facebook_page", server.url(FEED), options={**OWN_CHANNEL, **opts}, outlet="Phường Vàng Danh")


def test_paging_follows_next_without_the_token_and_keeps_the_since_marker(server):
    page1 = json.loads((FIX / "facebook_page/page_feed.json").read_text(encoding="utf-8"))
    page1["paging"]["next"] = server.url("/v21.0/104512345678901/feed2?access_token=BI-MAT&after=QVFIb")
    page2 = {"data": [{"id": "1045_2", "message": "Lịch tiếp công dân tháng 12.", "created_time": "2024-11-19T01:00:00+0000"}]}
    server.routes[FEED] = lambda r: send(r, 200, json.dumps(page1).encode(), "application/json")
    server.routes["/v21.0/104512345678901/feed2"] = lambda r: send(r, 200, json.dumps(page2).encode(), "application/json")
    batch = collect(fb_source(server))
    assert len(batch.items) == 4
    assert all("access_token" not in p for p in server.hits)                   # token never in a URL
    assert all(h.get("authorization") == "Bearer ma-thu-nghiem" for hs in server.request_headers.values() for h in hs)
    assert batch.last_modified == "1732069200"                                  # newest: the reply, 02:20 UTC
    comment = next(i for i in batch.items if "fb_comment" in i.flags)
    assert "reply_to:889900112233_5001" in comment.flags and comment.author == "Nguyễn Thị Hạnh"


@pytest.mark.parametrize("code,headers,error", [
    (190, {}, TokenExpiredError),
    (200, {}, PermissionError_),
    (4, {"X-Business-Use-Case-Usage": json.dumps({"1045": [{"estimated_time_to_regain_access": 7}]})},
     RateLimitedError),
])
def test_graph_error_codes_become_clear_errors(server, code, headers, error):
    body = json.dumps({"error": {"message": "Error validating access token", "type": "OAuthException", "code": code}})
    server.routes[FEED] = lambda r: send(r, 400, body.encode(), "application/json", headers)
    with pytest.raises(error) as ei:
        collect(fb_source(server))
    if code == 190:
        assert "«Phường Vàng Danh»" in str(ei.value) and "LANGNGHE_TEST_TOKEN" in str(ei.value)
    if code == 4:
        assert fb.regain_seconds(headers) == 420


def test_a_missing_token_says_where_to_put_it(server, monkeypatch):
    monkeypatch.delenv("LANGNGHE_TEST_TOKEN")
    with pytest.raises(TokenExpiredError, match="LANGNGHE_TEST_TOKEN"):
        collect(fb_source(server))


def test_messenger_messages_when_asked(server):
    server.routes[FEED] = lambda r: send(r, 200, b'{"data": []}', "application/json")
    conv = {"data": [{"messages": {"data": [
        {"id": "m_1", "message": "Cho hỏi lịch tiêm phòng dại cho chó ở phường?", "created_time": "2024-11-20T03:00:00+0000",
         "from": {"id": "2468", "name": "Hoa"}},
        {"id": "m_2", "message": "Trạm y tế tiêm vào thứ Bảy.", "created_time": "2024-11-20T03:10:00+0000",
         "from": {"id": "104512345678901", "name": "Phường"}}]}}]}
    server.routes["/v21.0/104512345678901/conversations"] = lambda r: send(r, 200, json.dumps(conv).encode(), "application/json")
    batch = collect(fb_source(server, messages=True))
    assert [i.url for i in batch.items] == ["urn:langnghe:fb-msg:m_1"]
    assert "psid:2468" in batch.items[0].flags and batch.skipped["the page's own message"] == 1


def test_facebook_page_reads_max_entries_in_all_not_per_cursor_page(server):
    """[limits] max_entries bounds one facebook_page fetch as a whole, as Zalo's (round 22): with 5, two feed pages
    of 3 posts and 4 Messenger messages give the first 5 posts read and 5 counted. The cap was 5 × the pages for
    the feed (10: all 6 read) and 5 × the conversation pages for the messages (all 4): nothing was counted."""
    def posts(k: int) -> list[dict]:
        return [{"id": f"1045_{k}{i}", "message": f"Thông báo số {k}{i} về lịch cắt điện.",
                 "created_time": f"2024-11-19T0{k}:0{i}:00+0000"} for i in range(3)]

    page1 = {"data": posts(1), "paging": {"next": server.url("/v21.0/104512345678901/feed2?after=QVFIb")}}
    server.routes[FEED] = lambda r: send(r, 200, json.dumps(page1).encode(), "application/json")
    server.routes["/v21.0/104512345678901/feed2"] = lambda r: send(r, 200, json.dumps({"data": posts(2)}).encode(),
                                                                    "application/json")
    conv = {"data": [{"messages": {"data": [
        {"id": f"m_{i}", "message": f"Cho hỏi lịch tiêm phòng lần {i}?", "created_time": "2024-11-20T03:00:00+0000",
         "from": {"id": "2468", "name": "Hoa"}} for i in range(4)]}}]}
    server.routes["/v21.0/104512345678901/conversations"] = lambda r: send(r, 200, json.dumps(conv).encode(),
                                                                           "application/json")
    limits = dataclasses.replace(config_mod.DEFAULT_LIMITS, max_entries=5)
    batch = collect(fb_source(server, messages=True), limits=limits)
    assert batch.entries_seen == 10 and batch.skipped[ENTRIES_CUT] == 5
    assert [i.url.rsplit("/", 1)[-1] for i in batch.items] == ["1045_10", "1045_11", "1045_12", "1045_20", "1045_21"]


def test_replies_post_to_the_right_graph_objects():
    sent: list[tuple[str, dict]] = []

    def handler(req: httpx.Request) -> httpx.Response:
        sent.append((req.url.path, json.loads(req.content)))
        assert req.headers["authorization"] == "Bearer ma-thu-nghiem"
        return httpx.Response(200, json={"id": "new_1"})

    src = source("facebook_page", "http://graph.test/v21.0/104512345678901/feed", options=OWN_CHANNEL)
    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        assert fb.reply(client, src, ("own_channel", "reply_to:889900112233_5001"), "Phường đã tiếp nhận.") == "new_1"
        fb.reply(client, src, ("own_channel", "fb_message", "psid:2468"), "Thứ Bảy hằng tuần.")
    assert sent[0] == ("/v21.0/889900112233_5001/comments", {"message": "Phường đã tiếp nhận."})
    assert sent[1][0] == "/v21.0/104512345678901/messages"
    assert sent[1][1]["recipient"] == {"id": "2468"} and sent[1][1]["messaging_type"] == "RESPONSE"


def zalo_source(server, **opts):
    return source("zalo_oa", server.url("/v2.0/oa/listrecentchat"), options={**OWN_CHANNEL, **opts}, outlet="Phường Uông Bí")


def test_zalo_reads_each_recent_users_conversation_once(server):
    server.routes["/v2.0/oa/listrecentchat"] = lambda r: send(r, 200, (FIX / "zalo_oa/listrecentchat.json").read_bytes(),
                                                                "application/json")
    conv = {"data": [{"src": 1, "time": 1732060000000, "type": "text", "message": "Tin cũ hơn: hỏi về giờ làm việc.",
                      "message_id": "old1", "from_id": "5566778899001", "to_id": "4433221100"}], "error": 0}
    server.routes["/v2.0/oa/conversation"] = lambda r: send(r, 200, json.dumps(conv).encode(), "application/json")
    batch = collect(zalo_source(server, max_users=5))
    assert sorted(i.guid for i in batch.items) == ["a1b2c3d4e5", "f6e5d4c3b2", "old1"]
    assert all(h["access_token"] == "ma-thu-nghiem" for hs in server.request_headers.values() for h in hs)


def test_zalo_expired_token_and_rate_limit(server):
    server.routes["/v2.0/oa/listrecentchat"] = lambda r: send(r, 200, b'{"error": -216, "message": "Access token is invalid"}',
                                                                "application/json")
    with pytest.raises(TokenExpiredError, match="«Phường Uông Bí»"):
        collect(zalo_source(server))
    server.routes["/v2.0/oa/listrecentchat"] = lambda r: send(r, 200, b'{"error": -32, "message": "Exceed rate limit"}',
                                                                "application/json")
    with pytest.raises(RateLimitedError):
        collect(zalo_source(server))


def test_zalo_refresh_rotates_both_tokens_into_a_private_file(tmp_path, monkeypatch):
    monkeypatch.setenv("LANGNGHE_ZALO_REFRESH", "rt-cu")
    monkeypatch.setenv("LANGNGHE_ZALO_SECRET_KEY", "khoa")
    seen = {}

    def handler(req: httpx.Request) -> httpx.Response:
        seen["headers"], seen["body"] = dict(req.headers), req.content.decode()
        return httpx.Response(200, json={"access_token": "at-moi", "refresh_token": "rt-moi", "expires_in": "90000"})

    src = source("zalo_oa", "http://zalo.test/v2.0/oa/listrecentchat",
                 options={"token_env": "ZT", "app_id": "123", "oauth_base": "http://oauth.test"})
    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        zalo.refresh(client, src, directory=str(tmp_path))
    assert seen["headers"]["secret_key"] == "khoa" and "refresh_token=rt-cu" in seen["body"]
    for name, value in (("ZT", "at-moi"), ("LANGNGHE_ZALO_REFRESH", "rt-moi")):
        p = tmp_path / name
        assert p.read_text() == value and stat.S_IMODE(os.stat(p).st_mode) == 0o600


def test_zalo_reads_max_entries_messages_in_all_not_per_conversation(server):
    """[limits] max_entries bounds one Zalo fetch as a whole: with 5, the recent list's 3 messages and two
    conversations of 6 give 5 read and 10 counted (the cap was 5 × (1 + users) = 15: nothing was counted)."""
    server.routes["/v2.0/oa/listrecentchat"] = lambda r: send(r, 200, (FIX / "zalo_oa/listrecentchat.json").read_bytes(),
                                                                "application/json")
    conv = {"data": [{"src": 1, "time": 1732060000000 + i, "type": "text", "message": f"Tin nhắn thứ {i} về đèn đường.",
                      "message_id": f"m{i}", "from_id": "5566778899001", "to_id": "4433221100"} for i in range(6)],
            "error": 0}
    server.routes["/v2.0/oa/conversation"] = lambda r: send(r, 200, json.dumps(conv).encode(), "application/json")
    batch = collect(zalo_source(server), limits=dataclasses.replace(config_mod.DEFAULT_LIMITS, max_entries=5))
    assert batch.entries_seen == 15 and batch.skipped[ENTRIES_CUT] == 10
    assert len(batch.items) == 4  # the first 5: 3 from the recent list (one is the OA's own reply) and m0, m1
