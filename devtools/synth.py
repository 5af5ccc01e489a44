"""Synthetic but realistic data for dashboard tests, screenshots and the 1M-item bench.

    seed(db, n_items=600, n_stories=40, n_alerts=12, days=14)     # tests / screenshots
    seed(db, n_items=1_000_000, n_stories=20_000, n_alerts=2_000, days=730)   # bench/dashboard.py

Items are Vietnamese headlines about the things staff watch (GPMB, pollution, hospitals, extra
tutoring, youth fights, fake news…) in Uông Bí and elsewhere in Quảng Ninh, across press and social
outlets. Tags, stories, alerts and source health are written with them, only through named store
functions: items and tags through the bulk path (`store.items.bulk_load_arrow`,
`store.tags.bulk_load_arrow`), stories through `store.stories.add_story_items` / `refresh_stories`,
alerts through `store.alerts.raise_alert` and the lifecycle functions, source health through
`store.sources.record_outcome` and `store.alerts.raise_source_alarm`. Nothing here runs in production
code paths.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import pyarrow as pa

from devtools.rows import make_item, sha1, tag_row
from store import alerts as A
from store import search
from store.db import Database, utcnow
from store.items import bulk_load_arrow as load_items
from store.items import insert_items
from store.sources import Outcome, record_outcome
from store.stories import add_story_items, refresh_stories
from store.tags import bulk_load_arrow as load_tags
from store.tags import save_tags
from vocab.folding import fold as _fold
from vocab.alerts import NewAlert

# feed → (outlet, source_type, domain)
OUTLETS = [
    ("demo-baoquangninh", "Báo Quảng Ninh", "press", "baoquangninh.vn"),
    ("demo-vnexpress", "VnExpress", "press", "vnexpress.net"),
    ("demo-tuoitre", "Tuổi Trẻ", "press", "tuoitre.vn"),
    ("demo-dantri", "Dân trí", "press", "dantri.com.vn"),
    ("demo-thanhnien", "Thanh Niên", "press", "thanhnien.vn"),
    ("demo-vietnamnet", "VietNamNet", "press", "vietnamnet.vn"),
    ("demo-laodong", "Lao Động", "press", "laodong.vn"),
    ("demo-vtv", "VTV News", "press", "vtv.vn"),
    ("demo-tienphong", "Tiền Phong", "press", "tienphong.vn"),
    ("demo-nguoilaodong", "Người Lao Động", "press", "nld.com.vn"),
    ("demo-fb-uongbi", "Nhóm Uông Bí 24h", "social", "facebook.com"),
    ("demo-forum-voz", "Diễn đàn VOZ", "social", "voz.vn"),
    ("demo-yt-qtv", "QTV Quảng Ninh (YouTube)", "social", "youtube.com"),
    ("demo-mastodon", "Mastodon #QuangNinh", "social", "mastodon.social"),
]
_OUTLET_WEIGHTS = np.array([16, 10, 8, 8, 7, 6, 5, 4, 3, 4, 14, 8, 6, 8], dtype=float)

# (display, name_2025, old name or None, level, in_area); names as in nlp/data/admin_units (tests/devtools/test_place_names.py)
PLACES = [
    ("phường Trưng Vương cũ, nay phường Uông Bí (TP Uông Bí cũ)", "Phường Uông Bí", "Phường Trưng Vương (TP Uông Bí)",
     "ward_old", True),
    ("phường Quang Trung cũ, nay phường Uông Bí (TP Uông Bí cũ)", "Phường Uông Bí", "Phường Quang Trung (TP Uông Bí)",
     "ward_old", True),
    ("phường Vàng Danh (TP Uông Bí cũ)", "Phường Vàng Danh", "Phường Vàng Danh (TP Uông Bí)", "ward_2025", True),
    ("phường Bắc Sơn cũ, nay phường Vàng Danh (TP Uông Bí cũ)", "Phường Vàng Danh", "Phường Bắc Sơn (TP Uông Bí)",
     "ward_old", True),
    ("phường Phương Đông cũ, nay phường Yên Tử (TP Uông Bí cũ)", "Phường Yên Tử", "Phường Phương Đông (TP Uông Bí)",
     "ward_old", True),
    ("Chùa Ba Vàng (phường Uông Bí)", "Phường Uông Bí", None, "landmark", True),
    ("Khu di tích Yên Tử (phường Yên Tử)", "Phường Yên Tử", None, "landmark", True),
    ("TP Uông Bí cũ, nay phường Uông Bí, phường Vàng Danh, phường Yên Tử", "Phường Uông Bí", "Thành phố Uông Bí",
     "district_old", True),
    ("phường Bãi Cháy (TP Hạ Long cũ)", "Phường Bãi Cháy", "Phường Bãi Cháy (TP Hạ Long)", "ward_2025", False),
    ("phường Cẩm Phả (TP Cẩm Phả cũ)", "Phường Cẩm Phả", "Phường Cẩm Trung (TP Cẩm Phả)", "ward_2025", False),
    ("phường Móng Cái 1 (TP Móng Cái cũ)", "Phường Móng Cái 1", "Phường Trần Phú (TP Móng Cái)", "ward_2025", False),
]
_PLACE_SHORT = ["phường Trưng Vương", "phường Quang Trung", "phường Vàng Danh", "phường Bắc Sơn", "phường Phương Đông",
                "chùa Ba Vàng", "Yên Tử", "TP Uông Bí", "Bãi Cháy", "Cẩm Phả", "Móng Cái"]

# (topics, sentiment, title template, summary template); {p} = a place, {n} = a number
TEMPLATES = [
    (["land"], "negative", "Người dân {p} bức xúc vì chậm chi trả đền bù giải phóng mặt bằng",
     "Nhiều hộ dân phản ánh dự án đã thu hồi đất hơn {n} tháng nhưng chưa nhận tiền bồi thường."),
    (["land", "governance"], "neutral", "UBND công bố phương án GPMB mở rộng quốc lộ 18 qua {p}",
     "Phương án bồi thường, hỗ trợ tái định cư cho {n} hộ được niêm yết công khai."),
    (["environment"], "negative", "Bụi than phủ kín đường dân sinh ở {p}, dân kêu ô nhiễm",
     "Xe chở than chạy đêm, người dân phản ánh ô nhiễm không khí kéo dài {n} ngày."),
    (["environment"], "negative", "Phát hiện khai thác than trái phép tại {p}",
     "Lực lượng chức năng thu giữ {n} tấn than không rõ nguồn gốc."),
    (["environment", "governance"], "positive", "Xử lý dứt điểm điểm ô nhiễm nước thải mỏ tại {p}",
     "TKV đầu tư hệ thống xử lý nước thải công suất {n} m3/ngày."),
    (["health"], "negative", "Gia đình bệnh nhân tử vong tại Bệnh viện Việt Nam – Thụy Điển Uông Bí đề nghị làm rõ",
     "Người nhà cho rằng bệnh viện chậm cấp cứu; Sở Y tế đã yêu cầu báo cáo trong {n} ngày."),
    (["health"], "positive", "Tiêm vắc xin cho trẻ nhỏ ở {p} đạt {n}%",
     "Trung tâm y tế cho biết chiến dịch tiêm chủng diễn ra an toàn."),
    (["education"], "negative", "Phụ huynh ở {p} phản ánh tình trạng dạy thêm, học thêm tràn lan",
     "Khảo sát {n} phụ huynh cho thấy nhiều em phải học thêm buổi tối."),
    (["education"], "positive", "Học sinh {p} đoạt {n} giải học sinh giỏi cấp tỉnh",
     "Ngành giáo dục thành phố khen thưởng các em đạt thành tích cao."),
    (["public_order"], "negative", "Hai nhóm thanh niên hẹn đánh nhau qua mạng xã hội ở {p}",
     "Công an đã ngăn chặn kịp thời, tạm giữ {n} đối tượng cùng hung khí."),
    (["public_order", "religion"], "negative", "Dư luận bức xúc quanh hoạt động thu tiền \"vong báo oán\" ở chùa Ba Vàng",
     "Nhiều bài đăng trên mạng xã hội chia sẻ lại vụ việc, thu hút {n} bình luận."),
    (["religion", "culture_tourism"], "positive", "Khai mạc khóa tu mùa hè tại {p}",
     "Khoảng {n} bạn trẻ tham gia khóa tu, chương trình kéo dài một tuần."),
    (["misinformation_fraud"], "negative", "Cảnh báo tin giả về việc thu hồi đất ở {p} lan truyền trên Facebook",
     "Ban chỉ đạo 35 khẳng định thông tin sai sự thật, đã có {n} lượt chia sẻ."),
    (["misinformation_fraud"], "negative", "Người dân {p} bị lừa đảo qua mạng mất {n} triệu đồng",
     "Đối tượng giả danh cán bộ công an gọi điện yêu cầu chuyển tiền."),
    (["traffic"], "negative", "Xe tải chở than gây tai nạn trên đường qua {p}",
     "Vụ va chạm khiến {n} người bị thương, giao thông ùn tắc nhiều giờ."),
    (["economy"], "positive", "TKV tuyển dụng {n} lao động cho các mỏ than ở {p}",
     "Thu nhập bình quân của thợ lò đạt trên 20 triệu đồng mỗi tháng."),
    (["economy"], "neutral", "Giá nhà đất khu vực {p} tăng nhẹ sau sáp nhập",
     "Các sàn giao dịch ghi nhận {n} giao dịch trong tháng."),
    (["governance"], "neutral", "Hội nghị báo cáo viên tháng này ở {p} nắm bắt dư luận xã hội",
     "Báo cáo viên thông tin về {n} vấn đề dư luận quan tâm."),
    (["governance"], "negative", "Người dân {p} phản ánh cán bộ phường chậm giải quyết hồ sơ",
     "Có {n} hồ sơ quá hạn; lãnh đạo phường đã tiếp nhận và chỉ đạo xử lý."),
    (["disaster"], "negative", "Mưa lớn gây sạt lở đất ở {p}",
     "Khoảng {n} hộ dân phải di dời khẩn cấp."),
    (["welfare"], "positive", "Trao {n} suất quà cho hộ nghèo ở {p}",
     "Mặt trận Tổ quốc phối hợp các doanh nghiệp trao quà dịp lễ."),
    (["culture_tourism"], "positive", "Lễ hội xuân Yên Tử đón {n} nghìn lượt khách",
     "Công tác đảm bảo an ninh trật tự tại {p} được tăng cường."),
    ([], "neutral", "Thời tiết {p} hôm nay: trời nhiều mây, nhiệt độ {n} độ C",
     "Dự báo không mưa, gió nhẹ."),
]

ALERT_STATUSES = ["new", "new", "acknowledged", "assigned", "resolved", "dismissed", "reopened"]


ITEM_SCHEMA = pa.schema([
    ("id", pa.string()), ("canonical_url", pa.string()), ("url", pa.string()), ("content_hash", pa.string()),
    ("source", pa.string()), ("collector", pa.string()), ("source_type", pa.string()), ("outlet", pa.string()),
    ("title", pa.string()), ("summary", pa.string()), ("author", pa.string()), ("guid", pa.string()),
    ("published_at", pa.timestamp("us")), ("published_estimated", pa.bool_()), ("fetched_at", pa.timestamp("us")),
])
LINK_SCHEMA = pa.schema([("item_id", pa.string()), ("source", pa.string()), ("url", pa.string()),
                         ("seen_at", pa.timestamp("us"))])
TAG_SCHEMA = pa.schema([
    ("item_id", pa.string()), ("model_version", pa.string()), ("topics", pa.list_(pa.string())),
    ("sentiment", pa.string()), ("in_area", pa.bool_()), ("places", pa.list_(pa.string())),
    ("place_details", pa.string()), ("lang", pa.string()), ("no_diacritics", pa.bool_()), ("folded", pa.string()),
    ("tagged_at", pa.timestamp("us")),
])


def seed(db: Database, *, n_items: int = 600, n_stories: int = 40, n_alerts: int = 12, days: float = 14,
         now: datetime | None = None, seed: int = 7, chunk: int = 200_000, progress: Any = None,
         outlets: list[tuple[str, str, str, str]] | None = None,
         outlet_weights: np.ndarray | None = None, burst: int | None = None,
         model_version: str = "synthetic") -> dict[str, int]:
    """Write synthetic data; returns what was written per table. `outlets` (feed, outlet, source_type,
    domain) and their weights replace the 14 demo outlets (devtools/office.py passes 60+); `burst` items
    (default: the newest 1/40) are moved into the last 6 hours. `model_version` stamps the tags: "synthetic"
    makes `serve` re-tag every item with the real model at its first tick; `nlp.version.current_stamp(cfg)`
    makes them count as tagged already (tests/dashboard/served.py, whose walks test pages, not tagging)."""
    now = now or utcnow()
    outlets = outlets or OUTLETS
    weights = _OUTLET_WEIGHTS if outlet_weights is None else np.asarray(outlet_weights, dtype=float)
    rng = np.random.default_rng(seed)
    counts: dict[str, int] = {}

    # ---- items, links, tags (in chunks, so 1M items fit in memory comfortably)
    span = timedelta(days=days).total_seconds()
    # a mild upward trend and a burst in the last day, so "today vs usual" has something to say
    ages = np.sort(rng.power(1.15, n_items) * span)[::-1]  # seconds before now, oldest first
    if burst is None:  # the newest 1/40 moved into the last 6 hours (a 14-day span keeps its shape)
        n_recent = min(max(n_items // 40, 5), n_items)
        ages[-n_recent:] = np.sort(rng.uniform(0, 6 * 3600, n_recent))[::-1]
    else:  # `burst` items drawn from anywhere: a year's newest 1/40 would leave the last two weeks empty
        pick = rng.choice(n_items, min(burst, n_items), replace=False)
        ages[pick] = rng.uniform(0, 6 * 3600, len(pick))
    ages = np.sort(ages)[::-1]
    tmpl_idx = rng.integers(0, len(TEMPLATES), n_items)
    place_idx = rng.choice(len(PLACES), n_items, p=_place_p())
    outlet_idx = rng.choice(len(outlets), n_items, p=weights / weights.sum())
    nums = rng.integers(2, 300, n_items)
    place_details = [json.dumps([{"name": p[2] or p[0], "level": p[3], "name_2025": p[1], "old_name": p[2],
                                  "in_area": p[4], "display": p[0]}], ensure_ascii=False) for p in PLACES]
    # the newest items are the story pool: keep what grouping needs of them
    pool_lo = n_items - min(n_items, max(n_stories * 12, 50)) if n_stories else n_items
    pool: list[dict[str, Any]] = []
    for lo in range(0, n_items, chunk):
        hi = min(lo + chunk, n_items)
        cols: dict[str, list[Any]] = {k: [] for k in ITEM_SCHEMA.names}
        links: dict[str, list[Any]] = {k: [] for k in LINK_SCHEMA.names}
        tag: dict[str, list[Any]] = {k: [] for k in (
            "item_id", "topics", "sentiment", "in_area", "places", "place_details", "folded", "tagged_at")}
        for k in range(lo, hi):
            src, outlet, stype, domain = outlets[outlet_idx[k]]
            topics, sent, ttl, summ = TEMPLATES[tmpl_idx[k]]
            pi = place_idx[k]
            title = ttl.format(p=_PLACE_SHORT[pi], n=int(nums[k]))
            summary = summ.format(p=_PLACE_SHORT[pi], n=int(nums[k]))
            url = f"https://{domain}/tin/{k:07d}-{sha1(title)[:8]}.html"
            iid = sha1(url)
            pub = now - timedelta(seconds=float(ages[k]))
            fetched = pub + timedelta(minutes=3)
            cols["id"].append(iid)
            cols["canonical_url"].append(url)
            cols["url"].append(url)
            cols["content_hash"].append(sha1(f"{k}|{title}"))
            cols["source"].append(src)
            cols["collector"].append("rss")
            cols["source_type"].append(stype)
            cols["outlet"].append(outlet)
            cols["title"].append(title)
            cols["summary"].append(summary)
            cols["author"].append(None if stype == "press" else f"user{k % 997}")
            cols["guid"].append(url)
            cols["published_at"].append(pub)
            cols["published_estimated"].append(False)
            cols["fetched_at"].append(fetched)
            if int(iid[:8], 16) % 8 == 0:  # about one item in eight was also carried by a second outlet's feed
                links["item_id"].append(iid)
                links["source"].append("demo-dantri" if src == "demo-vnexpress" else "demo-vnexpress")
                links["url"].append(url)
                links["seen_at"].append(fetched + timedelta(minutes=20))
            in_area = PLACES[pi][4]
            folded = _fold(f"{title} {summary}")
            tag["item_id"].append(iid)
            tag["topics"].append(list(topics))
            tag["sentiment"].append(sent)
            tag["in_area"].append(in_area)
            tag["places"].append([PLACES[pi][0]])
            tag["place_details"].append(place_details[pi])
            tag["folded"].append(folded)
            tag["tagged_at"].append(min(pub + timedelta(minutes=4), now))  # tagged right after collection
            if k >= pool_lo:
                pool.append({"item_id": iid, "published_at": pub, "source": src, "outlet": outlet,
                             "source_type": stype, "title": title, "folded": folded, "topics": list(topics),
                             "sentiment": sent, "in_area": in_area, "places": [PLACES[pi][0]]})
        n = hi - lo
        t_tags = pa.table({**tag, "model_version": [model_version] * n, "lang": ["vi"] * n,
                           "no_diacritics": [False] * n}).select(TAG_SCHEMA.names).cast(TAG_SCHEMA)
        with db.write() as cur:
            load_items(cur, pa.table(cols, schema=ITEM_SCHEMA), pa.table(links, schema=LINK_SCHEMA))
            load_tags(cur, t_tags)
        if progress:
            progress(hi)
    counts["items"] = n_items
    counts["item_tags"] = n_items
    with db.write() as cur:  # the bulk path does not index for search as store.items.insert_items does
        search.index_missing(cur)
        search.compact(cur, now)

    # ---- sources: state, fetch log (as the runner records a fetch)
    with db.write() as cur:
        for i, (src, _o, _t, _d) in enumerate(outlets):
            _seed_source(cur, src, now, failing=i == len(outlets) - 1)

    # ---- stories and alerts
    if n_stories:
        pool.reverse()  # newest first
        counts.update(_seed_stories(db, rng, pool, n_stories, n_alerts, now))
    with db.write() as cur:
        A.raise_source_alarm(cur, outlets[-1][0], "failing", now - timedelta(hours=28),
                             "Nguồn Mastodon #QuangNinh lỗi liên tiếp 4 lần (HTTP 503) từ 28 giờ trước.",
                             {"failures": 4})
        A.raise_source_alarm(cur, outlets[5][0], "volume_drop", now - timedelta(hours=5),
                             "VietNamNet: 0 tin trong 6 giờ qua, thường 9 tin (giảm 100%).", {"expected": 9, "seen": 0})
    counts["source_alarms"] = 2
    return counts


def _seed_source(cur: Any, src: str, now: datetime, *, failing: bool) -> None:
    """A source that fetched fine two minutes ago, or (failing) last fine 30 hours ago and failing 4 times since."""
    ok_at = now - timedelta(hours=30 if failing else 0, minutes=2)
    record_outcome(cur, Outcome(source=src, started_at=ok_at - timedelta(minutes=1), finished_at=ok_at, outcome="ok",
                                next_due_at=now + timedelta(minutes=10), http_status=200, entries_seen=20,
                                items_new=2, skipped={}))
    if not failing:
        return
    for j in range(4):
        at = now - timedelta(minutes=2 + 30 * (3 - j))
        record_outcome(cur, Outcome(source=src, started_at=at - timedelta(minutes=1), finished_at=at, outcome="error",
                                    next_due_at=now + timedelta(minutes=10), http_status=503, error_kind="http",
                                    error="HTTP 503 Service Unavailable"))


def _place_p() -> np.ndarray:
    w = np.array([14, 8, 10, 5, 6, 6, 6, 12, 12, 10, 8], dtype=float)
    return w / w.sum()


def _seed_stories(db: Database, rng: np.random.Generator, pool: list[dict[str, Any]], n_stories: int,
                  n_alerts: int, now: datetime) -> dict[str, int]:
    """Group the newest items (`pool`, newest first) into stories of 2–11 items sharing a template."""
    if not pool:
        return {}
    by_title: dict[str, list[dict[str, Any]]] = {}
    for r in pool:
        by_title.setdefault(r["title"][:40], []).append(r)
    groups: list[list[dict[str, Any]]] = []
    for rows in by_title.values():
        size = int(rng.integers(2, 12))
        for j in range(0, len(rows), size):
            groups.append(rows[j:j + size])
    groups.sort(key=lambda g: -len(g))
    groups = groups[:n_stories]
    stories: list[dict[str, Any]] = []
    story_rows: list[dict[str, Any]] = []
    for g in groups:
        g = sorted(g, key=lambda r: r["published_at"])
        sid = g[0]["item_id"]
        stories.append({
            "story_id": sid, "title": g[0]["title"], "last_seen": g[-1]["published_at"], "n_items": len(g),
            "n_outlets": len({r["outlet"] for r in g}),
            "topics": sorted({t for r in g for t in r["topics"]}), "places": sorted({p for r in g for p in r["places"]}),
            "in_area": any(r["in_area"] for r in g), "n_negative": sum(r["sentiment"] == "negative" for r in g),
            "item_ids": [r["item_id"] for r in g]})
        story_rows.extend({**r, "story_id": sid, "mask": [], "similarity": None, "grouped_at": now} for r in g)
    with db.write() as cur:
        add_story_items(cur, story_rows)
        refresh_stories(cur, [s["story_id"] for s in stories], now)
    out = {"stories": len(stories), "story_items": len(story_rows)}
    if n_alerts:
        out.update(_seed_alerts(db, stories, n_alerts, now))
    return out


_CLOSE_REASONS = {"resolved": "Đã có thông tin chính thống phản hồi.", "dismissed": "Tin trùng, không thuộc địa bàn."}


def _seed_alerts(db: Database, stories: list[dict[str, Any]], n_alerts: int, now: datetime) -> dict[str, int]:
    """Raise alerts on the most negative stories and walk some through the lifecycle as staff would."""
    order = sorted(stories, key=lambda s: (-s["n_negative"], -s["n_items"]))[:n_alerts]
    n_events = 0
    with db.write() as cur:
        for seq, s in enumerate(order, start=1):
            n, neg = s["n_items"], s["n_negative"]
            sev = "high" if neg >= 4 or n >= 8 else ("medium" if neg >= 2 or n >= 4 else "low")
            status = ALERT_STATUSES[seq % len(ALERT_STATUSES)] if seq > 3 else "new"
            raised = min(s["last_seen"] + timedelta(minutes=10), now - timedelta(minutes=1))
            aid = A.raise_alert(cur, NewAlert.of(**{
                "story_id": s["story_id"], "title": s["title"], "topics": s["topics"], "places": s["places"],
                "item_ids": s["item_ids"][:50], "n_items": n, "n_outlets": s["n_outlets"], "severity": sev,
                "score": float(round(n * 1.5 + neg * 2, 1)),
                "priority": "high" if sev == "high" and seq % 2 else "normal",
                # worded as detection words a story alert: the staff sentence, and the figures as «Chi tiết»
                "reason": f"{n} tin, bài trong 24 giờ, gấp {n // max(n // 4, 1)} lần mức thường ngày (khoảng "
                          f"{max(n // 4, 1)} tin/ngày); {neg} tin tiêu cực; lan trên {s['n_outlets']} nguồn."
                          + (" Có nhắc địa bàn theo dõi." if s["in_area"] else ""),
                "details": {"n_items": n, "n_negative": neg, "baseline": max(n // 4, 1),
                            "detail": f"{n} tin từ {s['n_outlets']} nguồn trong 24 giờ, nền {max(n // 4, 1)} tin/ngày "
                                      f"(dữ liệu mẫu); {neg} tin tiêu cực"},
            }), raised)
            n_events += 1 + _handle(cur, aid, status, raised, now)
    return {"alerts": len(order), "alert_events": n_events}


def _handle(cur: Any, aid: str, status: str, raised: datetime, now: datetime) -> int:
    """Bring a new alert to `status` through the lifecycle functions; returns the events written."""
    at = min(raised + timedelta(minutes=30), now - timedelta(seconds=30))
    if status == "new":
        return 0
    if status == "assigned":
        A.assign(cur, aid, "demo", "demo", at=at)
    elif status == "reopened":
        A.transition(cur, aid, "resolved", "demo", reason=_CLOSE_REASONS["resolved"], at=at)
        A.transition(cur, aid, "reopened", "demo", at=min(at + timedelta(minutes=10), now))
        return 2
    else:
        A.transition(cur, aid, status, "demo", reason=_CLOSE_REASONS.get(status), at=at)
    return 1


def add_item(db: Database, *, title: str, summary: str, url: str, outlet: str = "Nhóm Uông Bí 24h",
             source: str = "demo-fb-uongbi", source_type: str = "social", published_at: datetime | None = None,
             topics: list[str] | None = None, sentiment: str = "negative", in_area: bool = True,
             places: list[str] | None = None, model_version: str = "synthetic") -> str:
    """One hand-made item (e.g. a malicious one for the rendering test), with tags, written as collection and
    tagging write theirs (`insert_items`, `save_tags`); `model_version` as `seed`'s."""
    now = utcnow()
    iid = sha1(url + title)
    item = make_item(item_id=iid, url=url, canonical_url=f"{url}#{iid}", title=title, summary=summary, source=source,
                     outlet=outlet, source_type=source_type, published_at=published_at or now, fetched_at=now,
                     content_hash=sha1(title + summary), guid=iid, author="<b>author</b>")
    with db.write() as cur:
        insert_items(cur, [item])
        save_tags(cur, [tag_row(iid, topics=topics or ["misinformation_fraud"], sentiment=sentiment,
                                in_area=in_area, places=places or [], folded=_fold(f"{title} {summary}"),
                                model_version=model_version)], now=now)
    return iid
