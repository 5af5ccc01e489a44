"""The office's own channels in the demo: a ward fanpage (Graph API shape) and a Zalo OA (Zalo API
shape), served by the demo feed server on 127.0.0.1, with team-written citizens' comments and messages.

    GET  /graph/v21.0/<PAGE_ID>/feed                 the page's post, citizens' comments released over time
    POST /graph/v21.0/<comment id>/comments          a reply from the Phản ánh page → {"id": …} (kept in `sent`)
    GET  /zalo/v2.0/oa/listrecentchat, /zalo/v2.0/oa/conversation   citizens' messages
    POST /zalo/v3.0/oa/message/cs                    a reply → {"error": 0, "data": {"message_id": …}}

Three citizens' opinions appear in the first minutes of `make demo`, so three cases open on Phản ánh:
a comment about water cuts (at once), a Zalo question about a broken street light (+2 min) and a
comment about coal-truck dust (+4 min). Names are invented.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

PAGE_ID = "100000000000001"
OA_ID = "4433221100"
FEED_PATH = f"/graph/v21.0/{PAGE_ID}/feed"
ZALO_RECENT = "/zalo/v2.0/oa/listrecentchat"
ZALO_CONV = "/zalo/v2.0/oa/conversation"
TOKEN_ENV = "LANGNGHE_DEMO_TOKEN"

POST = {"id": f"{PAGE_ID}_7001", "minutes": -60,
        "message": "Phường Vàng Danh thông báo: tạm ngừng cấp nước khu 3, khu 4 từ 8h đến 16h để sửa đường ống chính."}
COMMENTS = [
    {"id": f"{PAGE_ID}_7001_1", "minutes": 0, "from": ("9001", "Nguyễn Thị Hạnh"),
     "message": "Khu 4 mất nước từ hôm qua chứ không phải hôm nay, nhà có người già rất khổ, đề nghị phường kiểm tra."},
    {"id": f"{PAGE_ID}_7001_2", "minutes": 4, "from": ("9002", "Trần Văn Long"),
     "message": "Xe chở than chạy qua đường Vàng Danh không che bạt, bụi than bay vào nhà dân cả ngày, đề nghị xử lý."},
]
MESSAGES = [
    {"id": "zmsg-demo-1", "minutes": 2, "from": ("5566001", "Phạm Thu"),
     "message": "Đèn đường tổ 5 khu Nam Sơn phường Uông Bí hỏng cả tháng nay, tối đi rất nguy hiểm, mong phường sửa giúp."},
]


def _graph_time(t: datetime) -> str:
    return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+0000")


def feed(start: datetime, now: datetime, base_url: str = "") -> dict[str, Any]:
    comments = [{"id": c["id"], "message": c["message"], "created_time": _graph_time(start + timedelta(minutes=c["minutes"])),
                 "from": {"id": c["from"][0], "name": c["from"][1]},
                 "permalink_url": f"{base_url}/a/fanpage/{c['id']}.html"}
                for c in COMMENTS if start + timedelta(minutes=c["minutes"]) <= now]
    return {"data": [{"id": POST["id"], "message": POST["message"],
                      "created_time": _graph_time(start + timedelta(minutes=POST["minutes"])),
                      "permalink_url": f"{base_url}/a/fanpage/{POST['id']}.html",
                      "comments": {"data": comments}}]}


def recent(start: datetime, now: datetime) -> dict[str, Any]:
    data = [{"src": 1, "time": int((start + timedelta(minutes=m["minutes"])).timestamp() * 1000), "type": "text",
             "message": m["message"], "message_id": m["id"], "from_id": m["from"][0], "from_display_name": m["from"][1],
             "to_id": OA_ID} for m in MESSAGES if start + timedelta(minutes=m["minutes"]) <= now]
    return {"data": data, "error": 0, "message": "Success"}


def mount(server: Any) -> None:
    """Add the GET routes and POST answers to a DemoFeedServer."""
    js = "application/json; charset=utf-8"
    server.extra_routes[FEED_PATH] = lambda now: (js, json.dumps(feed(server.start, now, server.base_url), ensure_ascii=False).encode())
    server.extra_routes[ZALO_RECENT] = lambda now: (js, json.dumps(recent(server.start, now), ensure_ascii=False).encode())
    server.extra_routes[ZALO_CONV] = lambda now: (js, json.dumps(recent(server.start, now), ensure_ascii=False).encode())
    server.sent = []

    def answer(path: str, body: bytes) -> tuple[str, bytes]:
        server.sent.append((path, body))
        if path.startswith("/zalo/"):
            return js, json.dumps({"error": 0, "message": "Success", "data": {"message_id": f"demo-{len(server.sent)}"}}).encode()
        return js, json.dumps({"id": f"demo-reply-{len(server.sent)}"}).encode()

    server.post_handler = answer


def sources(base_url: str) -> list[dict[str, Any]]:
    """The [[sources]] entries for the demo config."""
    return [
        {"name": "demo-fanpage-vangdanh", "kind": "facebook_page", "url": base_url + FEED_PATH,
         "outlet": "Fanpage Phường Vàng Danh", "source_type": "social", "interval_minutes": 1,
         "options": {"token_env": TOKEN_ENV, "min_interval_seconds": 0.0}},
        {"name": "demo-zalo-uongbi", "kind": "zalo_oa", "url": base_url + ZALO_RECENT,
         "outlet": "Zalo OA Phường Uông Bí", "source_type": "social", "interval_minutes": 1,
         "options": {"token_env": TOKEN_ENV, "max_users": 5, "min_interval_seconds": 0.0}},
    ]
