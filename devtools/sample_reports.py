"""A synthetic but realistic week (and the week before) for report tests, the bench and screenshots.

    seed_week(db, "2026-W47", n_items=600)       tests: items, tags, stories, alerts with handling
    seed_week(db, "2026-W47", n_items=50_000)    bench/report.py

Everything is written through the owning parts' store functions (store.items.insert_items,
store.tags.save_tags, store.stories.add_story_items / refresh_stories, store.alerts.raise_alert /
transition / assign / add_note), so the data has exactly the shape production writes. Deterministic
for a given seed. Not used by production code.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from devtools.rows import make_item, tag_row
from devtools.rows import sha1 as _h
from reports.settings import week_period
from store import alerts as A
from store.db import Database
from store.items import insert_items
from store.reports import fold
from store.stories import add_story_items, list_stories, refresh_stories
from store.tags import save_tags
from store.users import add_user, get_user
from vocab.item import Item
from vocab.alerts import NewAlert

OUTLETS = [  # (source, outlet, source_type, domain, weight)
    ("baoquangninh-home", "Báo Quảng Ninh", "press", "baoquangninh.vn", 14),
    ("vnexpress-thoi-su", "VnExpress", "press", "vnexpress.net", 9),
    ("tuoitre-thoi-su", "Tuổi Trẻ", "press", "tuoitre.vn", 7),
    ("dantri-xa-hoi", "Dân trí", "press", "dantri.com.vn", 7),
    ("thanhnien-thoi-su", "Thanh Niên", "press", "thanhnien.vn", 6),
    ("vietnamnet-thoi-su", "VietNamNet", "press", "vietnamnet.vn", 5),
    ("laodong", "Lao Động", "press", "laodong.vn", 4),
    ("fb-uongbi-24h", "Nhóm Uông Bí 24h", "social", "facebook.com", 12),
    ("voz-forum", "Diễn đàn VOZ", "social", "voz.vn", 6),
    ("yt-qtv", "QTV Quảng Ninh (YouTube)", "social", "youtube.com", 5),
    ("mastodon-qn", "Mastodon #QuangNinh", "social", "mastodon.social", 4),
    ("tiktok-qn", "TikTok Quảng Ninh", "social", "tiktok.com", 6),
]

# (display as the gazetteer writes it, short name for headlines, level, name_2025, Uông Bí?)
PLACES = [
    ("phường Trưng Vương cũ, nay phường Uông Bí (TP Uông Bí cũ)", "phường Trưng Vương", "ward_old", "Phường Uông Bí", True),
    ("phường Quang Trung cũ, nay phường Uông Bí (TP Uông Bí cũ)", "phường Quang Trung", "ward_old", "Phường Uông Bí", True),
    ("phường Vàng Danh (TP Uông Bí cũ)", "phường Vàng Danh", "ward_2025", "Phường Vàng Danh", True),
    ("phường Bắc Sơn cũ, nay phường Vàng Danh (TP Uông Bí cũ)", "phường Bắc Sơn", "ward_old", "Phường Vàng Danh", True),
    ("phường Phương Đông cũ, nay phường Yên Tử (TP Uông Bí cũ)", "phường Phương Đông", "ward_old", "Phường Yên Tử", True),
    ("Chùa Ba Vàng (phường Uông Bí)", "chùa Ba Vàng", "landmark", "Phường Uông Bí", True),
    ("TP Uông Bí cũ, nay phường Uông Bí, phường Vàng Danh, phường Yên Tử", "TP Uông Bí", "district_old",
     "Phường Uông Bí, Phường Vàng Danh, Phường Yên Tử", True),
    ("phường Bãi Cháy (TP Hạ Long cũ)", "phường Bãi Cháy", "ward_2025", "Phường Bãi Cháy", False),
    ("phường Cẩm Phả (TP Cẩm Phả cũ)", "phường Cẩm Phả", "ward_2025", "Phường Cẩm Phả", False),
    ("phường Móng Cái 1 (TP Móng Cái cũ)", "phường Móng Cái 1", "ward_2025", "Phường Móng Cái 1", False),
    ("tỉnh Quảng Ninh", "Quảng Ninh", "province", "Tỉnh Quảng Ninh", False),
]

TEMPLATES = [  # (topics, sentiment, title)
    (["land"], "negative", "Người dân {p} bức xúc vì chậm chi trả đền bù giải phóng mặt bằng"),
    (["land", "governance"], "neutral", "Công khai phương án GPMB mở rộng quốc lộ 18 qua {p}"),
    (["environment"], "negative", "Bụi than phủ kín đường dân sinh ở {p}, dân kêu ô nhiễm"),
    (["environment"], "negative", "Phát hiện khai thác than trái phép tại {p}"),
    (["environment", "governance"], "positive", "Xử lý dứt điểm điểm ô nhiễm nước thải mỏ tại {p}"),
    (["health"], "negative", "Gia đình bệnh nhân ở {p} đề nghị làm rõ việc chậm cấp cứu"),
    (["health"], "positive", "Tiêm vắc xin cho trẻ nhỏ ở {p} đạt kết quả cao"),
    (["education"], "negative", "Phụ huynh ở {p} phản ánh tình trạng dạy thêm, học thêm tràn lan"),
    (["public_order"], "negative", "Hỗn chiến giữa hai nhóm thanh niên hẹn nhau qua mạng xã hội tại {p}"),
    (["misinformation_fraud"], "negative", "Cảnh báo thủ đoạn lừa đảo qua mạng nhắm vào người dân {p}"),
    (["religion", "culture_tourism"], "neutral", "Khóa tu mùa hè thu hút đông đảo thanh thiếu niên tại {p}"),
    (["traffic"], "negative", "Xe tải chở than gây mất an toàn giao thông qua {p}"),
    (["economy"], "positive", "Doanh nghiệp ở {p} tuyển hàng trăm lao động dịp cuối năm"),
    (["welfare"], "positive", "Trao quà hỗ trợ hộ nghèo, gia đình chính sách tại {p}"),
    (["disaster"], "neutral", "Chủ động phòng chống mưa lũ, sạt lở đất tại {p}"),
    ([], "neutral", "Ý kiến bạn đọc về đời sống ở {p}"),
]
OUT_OF_AREA = ["Hà Nội", "TP Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Lạng Sơn"]
USERS = ("nguyenvana", "tranthib", "leminhc")
# reports name people by display name (login names belong to Quản trị)
DISPLAY_NAMES = {"nguyenvana": "Nguyễn Văn An", "tranthib": "Trần Thị Bình", "leminhc": "Lê Minh Cường"}


def _detail(place: tuple) -> dict[str, Any]:
    display, short, level, name_2025, _ = place
    return {"name": short, "level": level, "name_2025": name_2025, "province": "Quảng Ninh", "matched_text": short,
            "old_name": None, "in_area": True, "display": display}


def seed_week(db: Database, week: str = "2026-W47", *, n_items: int = 600, prev_ratio: float = 0.8,
              in_area_share: float = 0.5, n_stories: int = 8, n_alerts: int = 4, seed: int = 7,
              batch: int = 20_000) -> dict[str, Any]:
    """Fill `db` with `n_items` items in ISO week `week` and about `prev_ratio` × as many the week before.
    Returns {'week', 'n_now', 'n_prev', 'stories': [...], 'alerts': [...]}."""
    rng = random.Random(seed)
    period = week_period(week)
    start, prev_start = period.window.start, period.window.prev_start
    week_s = 7 * 86400
    weights = [o[4] for o in OUTLETS]
    items: list[Item] = []
    tags: list[dict[str, Any]] = []
    k = 0

    def make(at: datetime, title: str, outlet: tuple, topics: list[str], sentiment: str, places: list[tuple],
             in_area: bool, summary: str = "") -> str:
        nonlocal k
        k += 1
        src, name, stype, domain, _ = outlet
        url = f"https://{domain}/{fold(title)[:40].replace(' ', '-')}-{k}.html"
        iid = _h(url)
        items.append(make_item(item_id=iid, source=src, source_type=stype, outlet=name, url=url, title=title,
                               summary=summary or f"{title}. Nội dung chi tiết bài số {k}.", published_at=at,
                               fetched_at=at + timedelta(minutes=5), content_hash=_h("c", k, title)))
        tags.append(tag_row(iid, model_version="sample", topics=topics, sentiment=sentiment, in_area=in_area,
                            places=[p[0] for p in places], place_details=[_detail(p) for p in places],
                            folded=fold(title)))
        return iid

    def background(t0: datetime, n: int) -> None:
        for _ in range(n):
            at = t0 + timedelta(seconds=rng.randrange(week_s))
            topics, sentiment, tpl = rng.choice(TEMPLATES)
            outlet = rng.choices(OUTLETS, weights)[0]
            if rng.random() < in_area_share:
                place = rng.choice(PLACES)
                places = [place] if rng.random() < 0.85 else [place, rng.choice(PLACES)]
                if places[0] == places[-1]:
                    places = places[:1]
                make(at, tpl.format(p=place[1]), outlet, topics, sentiment, places, True)
            else:
                make(at, tpl.format(p=rng.choice(OUT_OF_AREA)), outlet, topics, sentiment, [], False)

    stories: list[dict[str, Any]] = []
    story_rows: list[dict[str, Any]] = []
    for s in range(n_stories):
        topics, sentiment, tpl = TEMPLATES[s % len(TEMPLATES)]
        place = PLACES[s % 7]  # stories are about Uông Bí
        title = tpl.format(p=place[1])
        size = max(3, int(rng.randint(6, 30) * max(1.0, n_items / 2000) ** 0.5))
        t0 = start + timedelta(hours=rng.randrange(0, 100))
        ids = []
        times = sorted(t0 + timedelta(minutes=rng.randrange(0, 48 * 60)) for _ in range(size))
        for j, at in enumerate(times):
            outlet = OUTLETS[(s + j) % len(OUTLETS)]
            sent = sentiment if rng.random() < 0.8 else "neutral"
            iid = make(at, f"{title} ({outlet[1]} đưa tin)" if j else title, outlet, list(topics), sent, [place], True)
            ids.append(iid)
            story_rows.append({"item_id": iid, "story_id": ids[0], "published_at": at, "source": outlet[0],
                               "outlet": outlet[1], "source_type": outlet[2], "title": items[-1].title,
                               "folded": fold(items[-1].title), "mask": [], "topics": list(topics), "sentiment": sent,
                               "in_area": True, "places": [place[0]], "similarity": None if j == 0 else 0.6,
                               "grouped_at": at})
        stories.append({"story_id": ids[0], "title": title, "item_ids": ids, "topics": list(topics),
                        "places": [place[0]], "first": t0})
    n_story_items = len(items)
    background(start, max(0, n_items - n_story_items))
    n_now = len(items)
    background(prev_start, int(n_items * prev_ratio))
    n_prev = len(items) - n_now

    for i in range(0, len(items), batch):
        with db.write() as cur:
            insert_items(cur, items[i:i + batch])
    for i in range(0, len(tags), batch):
        with db.write() as cur:
            save_tags(cur, tags[i:i + batch], now=start)
    alerts: list[str] = []
    with db.write() as cur:
        add_story_items(cur, story_rows)
        refresh_stories(cur, [s["story_id"] for s in stories], start + timedelta(days=7))
        listed = list_stories(cur, datetime(1970, 1, 1), limit=len(stories) + 1)
        named = dict(zip(listed["story_id"], listed["title"]))
    for s in stories:  # the store names a story by its display title (a press item when one has joined)
        s["title"] = named.get(s["story_id"], s["title"])
    with db.write() as cur:
        for login, name in DISPLAY_NAMES.items():
            if get_user(cur, login) is None:
                add_user(cur, login, name, "analyst", "!", None, start)
        for n, s in enumerate(stories[:n_alerts]):
            at = max(it.published_at for it in items if it.id in set(s["item_ids"][:3])) + timedelta(minutes=20)
            aid = A.raise_alert(cur, NewAlert.of(**{
                "story_id": s["story_id"], "title": s["title"], "topics": s["topics"], "places": s["places"],
                "item_ids": s["item_ids"], "n_items": len(s["item_ids"]), "n_outlets": min(len(s["item_ids"]), 12),
                "severity": ("high", "medium", "low")[n % 3], "score": 40.0 - 5 * n,
                "reason": f"{len(s['item_ids'])} tin từ nhiều nguồn trong 24 giờ, phần lớn tiêu cực, về địa bàn.",
            }), at)
            alerts.append(aid)
            u = USERS[n % len(USERS)]
            if n % 4 == 0:
                A.transition(cur, aid, "acknowledged", u, note="Đã nắm thông tin", at=at + timedelta(hours=1))
                A.assign(cur, aid, USERS[(n + 1) % 3], u, note="Phối hợp UBND phường kiểm tra",
                         at=at + timedelta(hours=2))
                A.add_note(cur, aid, USERS[(n + 1) % 3], "Đã liên hệ UBND phường, đang xác minh",
                           at=at + timedelta(hours=5))
                A.transition(cur, aid, "resolved", USERS[(n + 1) % 3], reason="Đã có thông tin chính thống",
                             at=at + timedelta(hours=20))
            elif n % 4 == 1:
                A.transition(cur, aid, "acknowledged", u, at=at + timedelta(hours=3))
                A.add_note(cur, aid, u, "Theo dõi thêm phản ứng trên mạng xã hội", at=at + timedelta(hours=4))
            elif n % 4 == 2:
                A.transition(cur, aid, "dismissed", u, reason="Tin cũ đăng lại, không phát sinh mới",
                             at=at + timedelta(hours=2))
    return {"week": period.week, "n_now": n_now, "n_prev": n_prev, "stories": stories, "alerts": alerts,
            "n_story_items": n_story_items}
