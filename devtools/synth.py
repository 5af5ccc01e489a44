"""Synthetic but realistic data for dashboard tests, screenshots and the 1M-item bench.

    seed(db, n_items=600, n_stories=40, n_alerts=12, days=14)     # tests / screenshots
    seed(db, n_items=1_000_000, n_stories=20_000, n_alerts=2_000, days=730)   # bench/dashboard.py

Items are Vietnamese headlines about the things staff watch (GPMB, pollution, hospitals, extra
tutoring, youth fights, fake news…) in Uông Bí and elsewhere in Quảng Ninh, across press and social
outlets. Tags, stories, alerts and source health are written with them, straight
through Arrow in bulk. Nothing here runs in production code paths.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import pyarrow as pa

from store.db import Database, utcnow

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

# (display, name_2025, old name or None, level, in_area)
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
    ("phường Cẩm Phả (TP Cẩm Phả cũ)", "Phường Cẩm Phả", "Phường Cẩm Phú (TP Cẩm Phả)", "ward_old", False),
    ("phường Móng Cái 1 (TP Móng Cái cũ)", "Phường Móng Cái 1", "Phường Ka Long (TP Móng Cái)", "ward_old", False),
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


def _sha1(s: str) -> str:
    return hashlib.sha1(s.encode("utf-8")).hexdigest()


def _fold(s: str) -> str:
    from vocab.folding import fold

    return fold(s)


def _register(cur: Any, name: str, table: pa.Table) -> None:
    cur.register(name, table)


def seed(db: Database, *, n_items: int = 600, n_stories: int = 40, n_alerts: int = 12, days: float = 14,
         now: datetime | None = None, seed: int = 7, chunk: int = 200_000, progress: Any = None) -> dict[str, int]:
    """Write synthetic data; returns what was written per table."""
    now = now or utcnow()
    rng = np.random.default_rng(seed)
    counts: dict[str, int] = {}

    # ---- items, links, tags (in chunks, so 1M items fit in memory comfortably)
    span = timedelta(days=days).total_seconds()
    # a mild upward trend and a burst in the last day, so "today vs usual" has something to say
    ages = np.sort(rng.power(1.15, n_items) * span)[::-1]  # seconds before now, oldest first
    n_recent = min(max(n_items // 40, 5), n_items)
    ages[-n_recent:] = np.sort(rng.uniform(0, 6 * 3600, n_recent))[::-1]
    ages = np.sort(ages)[::-1]
    tmpl_idx = rng.integers(0, len(TEMPLATES), n_items)
    place_idx = rng.choice(len(PLACES), n_items, p=_place_p())
    outlet_idx = rng.choice(len(OUTLETS), n_items, p=_OUTLET_WEIGHTS / _OUTLET_WEIGHTS.sum())
    nums = rng.integers(2, 300, n_items)
    place_details = [json.dumps([{"name": p[2] or p[0], "level": p[3], "name_2025": p[1], "old_name": p[2],
                                  "in_area": p[4], "display": p[0]}], ensure_ascii=False) for p in PLACES]
    ids_all: list[str] = []
    for lo in range(0, n_items, chunk):
        hi = min(lo + chunk, n_items)
        cols: dict[str, list[Any]] = {k: [] for k in (
            "id", "canonical_url", "url", "content_hash", "source", "collector", "source_type", "outlet", "title",
            "summary", "author", "guid", "published_at", "published_estimated", "fetched_at")}
        tag: dict[str, list[Any]] = {k: [] for k in (
            "item_id", "topics", "sentiment", "in_area", "places", "place_details", "folded", "tagged_at")}
        for k in range(lo, hi):
            src, outlet, stype, domain = OUTLETS[outlet_idx[k]]
            topics, sent, ttl, summ = TEMPLATES[tmpl_idx[k]]
            pi = place_idx[k]
            title = ttl.format(p=_PLACE_SHORT[pi], n=int(nums[k]))
            summary = summ.format(p=_PLACE_SHORT[pi], n=int(nums[k]))
            url = f"https://{domain}/tin/{k:07d}-{_sha1(title)[:8]}.html"
            iid = _sha1(url)
            pub = now - timedelta(seconds=float(ages[k]))
            cols["id"].append(iid)
            cols["canonical_url"].append(url)
            cols["url"].append(url)
            cols["content_hash"].append(_sha1(f"{k}|{title}"))
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
            cols["fetched_at"].append(pub + timedelta(minutes=3))
            tag["item_id"].append(iid)
            tag["topics"].append(list(topics))
            tag["sentiment"].append(sent)
            in_area = PLACES[pi][4]
            tag["in_area"].append(in_area)
            tag["places"].append([PLACES[pi][0]])
            tag["place_details"].append(place_details[pi])
            tag["folded"].append(_fold(f"{title} {summary}"))
            tag["tagged_at"].append(min(pub + timedelta(minutes=4), now))  # tagged right after collection
        ids_all.extend(cols["id"])
        t_items = pa.table(cols)
        with db.write() as cur:
            _register(cur, "_si", t_items)
            cur.execute(
                """INSERT INTO items (id, canonical_url, url, content_hash, source, collector, source_type, outlet,
                       title, summary, author, guid, published_at, published_estimated, fetched_at, flags)
                   SELECT id, canonical_url, url, content_hash, source, collector, source_type, outlet, title,
                          summary, author, guid, published_at, published_estimated, fetched_at, []::VARCHAR[]
                   FROM _si"""
            )
            cur.execute("INSERT INTO item_links SELECT id, source, url, fetched_at FROM _si")
            # about one item in eight was also carried by a second outlet's feed
            cur.execute(
                """INSERT INTO item_links
                   SELECT id, CASE WHEN source = 'demo-vnexpress' THEN 'demo-dantri' ELSE 'demo-vnexpress' END,
                          url, fetched_at + INTERVAL 20 MINUTE
                   FROM _si WHERE hash(id) % 8 = 0 ON CONFLICT DO NOTHING"""
            )
            cur.unregister("_si")
            t_tags = pa.table({**tag, "model_version": ["synthetic"] * (hi - lo),
                               "lang": ["vi"] * (hi - lo), "no_diacritics": [False] * (hi - lo)})
            _register(cur, "_st", t_tags)
            cur.execute(
                """INSERT INTO item_tags (item_id, model_version, topics, sentiment, in_area, places, place_details,
                       lang, no_diacritics, folded, tagged_at)
                   SELECT item_id, model_version, topics, sentiment, in_area, places, place_details::JSON, lang,
                          no_diacritics, folded, tagged_at FROM _st"""
            )
            cur.unregister("_st")
        if progress:
            progress(hi)
    counts["items"] = n_items
    counts["item_tags"] = n_items
    with db.write() as cur:  # bulk rows bypass store.items.insert_items, which indexes for search
        from store import search

        search.index_missing(cur)
        search.compact(cur, now)

    # ---- sources: state, fetch log
    with db.write() as cur:
        for i, (src, _o, _t, _d) in enumerate(OUTLETS):
            failing = i == len(OUTLETS) - 1
            cur.execute(
                """INSERT INTO source_state (source, last_attempt_at, last_success_at, last_error_at, last_error_kind,
                       last_error, last_http_status, consecutive_failures, next_due_at, last_entries_seen,
                       last_items_new, last_skipped)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 20, 2, '{}') ON CONFLICT DO NOTHING""",
                [src, now - timedelta(minutes=2), now - timedelta(hours=30 if failing else 0, minutes=2),
                 now - timedelta(minutes=2) if failing else None, "http" if failing else None,
                 "HTTP 503 Service Unavailable" if failing else None, 503 if failing else 200,
                 4 if failing else 0, now + timedelta(minutes=10)],
            )
            cur.execute(
                """INSERT INTO fetch_log (source, started_at, finished_at, outcome, http_status, entries_seen, items_new,
                       skipped, error_kind, error) VALUES (?, ?, ?, ?, ?, 20, 2, 0, ?, ?)""",
                [src, now - timedelta(minutes=3), now - timedelta(minutes=2), "error" if failing else "ok",
                 503 if failing else 200, "http" if failing else None,
                 "HTTP 503 Service Unavailable" if failing else None],
            )

    # ---- stories and alerts
    if n_stories:
        counts.update(_seed_stories(db, rng, ids_all, n_stories, n_alerts, now))
    with db.write() as cur:
        cur.execute(
            "INSERT INTO source_alarms (source, kind, raised_at, cleared_at, reason, details) VALUES (?, ?, ?, NULL, ?, ?)",
            [OUTLETS[-1][0], "failing", now - timedelta(hours=28),
             "Nguồn Mastodon #QuangNinh lỗi liên tiếp 4 lần (HTTP 503) từ 28 giờ trước.", json.dumps({"failures": 4})],
        )
        cur.execute(
            "INSERT INTO source_alarms (source, kind, raised_at, cleared_at, reason, details) VALUES (?, ?, ?, NULL, ?, ?)",
            [OUTLETS[5][0], "volume_drop", now - timedelta(hours=5),
             "VietNamNet: 0 tin trong 6 giờ qua, thường 9 tin (giảm 100%).", json.dumps({"expected": 9, "seen": 0})],
        )
    counts["source_alarms"] = 2
    return counts


def _place_p() -> np.ndarray:
    w = np.array([14, 8, 10, 5, 6, 6, 6, 12, 12, 10, 8], dtype=float)
    return w / w.sum()


def _seed_stories(db: Database, rng: np.random.Generator, ids: list[str], n_stories: int, n_alerts: int,
                  now: datetime) -> dict[str, int]:
    with db.read() as cur:
        # newest items, grouped: about a fifth of the items belong to a story of 2–30 items
        pool = cur.execute(
            """SELECT i.id, i.published_at, i.source, i.outlet, i.source_type, i.title
               FROM items i ORDER BY i.published_at DESC LIMIT ?""",
            [min(len(ids), max(n_stories * 12, 50))],
        ).fetchall()
        tags = {}
        ids_pool = [r[0] for r in pool]
        for r in cur.execute(
            "SELECT item_id, topics, sentiment, in_area, places, folded FROM item_tags WHERE item_id IN (SELECT unnest(?::VARCHAR[]))",
            [ids_pool],
        ).fetchall():
            tags[r[0]] = r[1:]
    if not pool:
        return {}
    # items of one story share a template: group the pool by title prefix, then cut into stories
    by_title: dict[str, list[tuple]] = {}
    for r in pool:
        by_title.setdefault(r[5][:40], []).append(r)
    groups: list[list[tuple]] = []
    for rows in by_title.values():
        size = int(rng.integers(2, 12))
        for j in range(0, len(rows), size):
            groups.append(rows[j:j + size])
    groups.sort(key=lambda g: -len(g))
    groups = groups[:n_stories]
    st: dict[str, list[Any]] = {k: [] for k in (
        "story_id", "title", "first_seen", "last_seen", "n_items", "n_outlets", "n_sources", "source_types", "outlets",
        "topics", "places", "in_area", "n_negative", "n_neutral", "n_positive")}
    si: dict[str, list[Any]] = {k: [] for k in (
        "item_id", "story_id", "published_at", "source", "outlet", "source_type", "title", "folded", "topics",
        "sentiment", "in_area", "places")}
    for g in groups:
        g = sorted(g, key=lambda r: r[1])
        sid = g[0][0]
        tg = [tags.get(r[0], ([], "neutral", False, [], "")) for r in g]
        st["story_id"].append(sid)
        st["title"].append(g[0][5])
        st["first_seen"].append(g[0][1])
        st["last_seen"].append(g[-1][1])
        st["n_items"].append(len(g))
        st["n_outlets"].append(len({r[3] for r in g}))
        st["n_sources"].append(len({r[2] for r in g}))
        st["source_types"].append(sorted({r[4] for r in g}))
        st["outlets"].append(sorted({r[3] for r in g}))
        st["topics"].append(sorted({t for x in tg for t in (x[0] or [])}))
        st["places"].append(sorted({p for x in tg for p in (x[3] or [])}))
        st["in_area"].append(any(x[2] for x in tg))
        st["n_negative"].append(sum(x[1] == "negative" for x in tg))
        st["n_neutral"].append(sum(x[1] == "neutral" for x in tg))
        st["n_positive"].append(sum(x[1] == "positive" for x in tg))
        for r, x in zip(g, tg):
            si["item_id"].append(r[0])
            si["story_id"].append(sid)
            si["published_at"].append(r[1])
            si["source"].append(r[2])
            si["outlet"].append(r[3])
            si["source_type"].append(r[4])
            si["title"].append(r[5])
            si["folded"].append(x[4] or _fold(r[5]))
            si["topics"].append(list(x[0] or []))
            si["sentiment"].append(x[1])
            si["in_area"].append(bool(x[2]))
            si["places"].append(list(x[3] or []))
    out = {"stories": len(groups), "story_items": len(si["item_id"])}
    with db.write() as cur:
        _register(cur, "_ss", pa.table(st))
        cur.execute(
            """INSERT INTO stories (story_id, title, first_seen, last_seen, n_items, n_outlets, n_sources, source_types,
                   outlets, topics, places, in_area, n_negative, n_neutral, n_positive, updated_at)
               SELECT *, ? FROM _ss ON CONFLICT DO NOTHING""",
            [now],
        )
        cur.unregister("_ss")
        _register(cur, "_ssi", pa.table(si))
        cur.execute(
            """INSERT INTO story_items (item_id, story_id, published_at, source, outlet, source_type, title, folded,
                   mask, topics, sentiment, in_area, places, similarity, grouped_at)
               SELECT item_id, story_id, published_at, source, outlet, source_type, title, folded, []::VARCHAR[],
                      topics, sentiment, in_area, places, NULL, ? FROM _ssi ON CONFLICT DO NOTHING""",
            [now],
        )
        cur.unregister("_ssi")
    if n_alerts:
        out.update(_seed_alerts(db, rng, st, si, n_alerts, now))
    return out


def _seed_alerts(db: Database, rng: np.random.Generator, st: dict[str, list[Any]], si: dict[str, list[Any]],
                 n_alerts: int, now: datetime) -> dict[str, int]:
    members: dict[str, list[str]] = {}
    for iid, sid in zip(si["item_id"], si["story_id"]):
        members.setdefault(sid, []).append(iid)
    order = sorted(range(len(st["story_id"])), key=lambda k: (-st["n_negative"][k], -st["n_items"][k]))
    order = order[:n_alerts]
    al: dict[str, list[Any]] = {k: [] for k in (
        "alert_id", "seq", "kind", "story_id", "raised_at", "title", "topics", "places", "item_ids", "n_items",
        "n_outlets", "severity", "score", "reason", "details", "status", "priority", "assignee", "close_reason",
        "updated_at")}
    ev: dict[str, list[Any]] = {k: [] for k in ("alert_id", "at", "username", "action", "from_state", "to_state",
                                                 "note")}
    for seq, k in enumerate(order, start=1):
        aid = f"A{seq:06d}"
        n = st["n_items"][k]
        neg = st["n_negative"][k]
        sev = "high" if neg >= 4 or n >= 8 else ("medium" if neg >= 2 or n >= 4 else "low")
        status = ALERT_STATUSES[seq % len(ALERT_STATUSES)] if seq > 3 else "new"
        raised = min(st["last_seen"][k] + timedelta(minutes=10), now - timedelta(minutes=1))
        al["alert_id"].append(aid)
        al["seq"].append(seq)
        al["kind"].append("story")
        al["story_id"].append(st["story_id"][k])
        al["raised_at"].append(raised)
        al["title"].append(st["title"][k])
        al["topics"].append(st["topics"][k])
        al["places"].append(st["places"][k])
        al["item_ids"].append(members[st["story_id"][k]][:50])
        al["n_items"].append(n)
        al["n_outlets"].append(st["n_outlets"][k])
        al["severity"].append(sev)
        al["score"].append(float(round(n * 1.5 + neg * 2, 1)))
        al["reason"].append(
            f"{n} tin từ {st['n_outlets'][k]} nguồn trong 24 giờ (thường {max(n // 4, 1)}), {neg} tin tiêu cực"
            + (", có nhắc địa bàn theo dõi" if st["in_area"][k] else "") + ".")
        al["details"].append(json.dumps({"n_items": n, "n_negative": neg, "baseline": max(n // 4, 1)}))
        al["status"].append(status)
        al["priority"].append("high" if sev == "high" and seq % 2 else "normal")
        al["assignee"].append("demo" if status == "assigned" else None)
        al["close_reason"].append({"resolved": "Đã có thông tin chính thống phản hồi.",
                                   "dismissed": "Tin trùng, không thuộc địa bàn."}.get(status))
        al["updated_at"].append(raised)
        ev["alert_id"].append(aid)
        ev["at"].append(raised)
        ev["username"].append("system")
        ev["action"].append("raise")
        ev["from_state"].append(None)
        ev["to_state"].append("new")
        ev["note"].append(None)
        if status != "new":
            ev["alert_id"].append(aid)
            ev["at"].append(min(raised + timedelta(minutes=30), now - timedelta(seconds=30)))
            ev["username"].append("demo")
            ev["action"].append("transition")
            ev["from_state"].append("new")
            ev["to_state"].append(status)
            ev["note"].append(al["close_reason"][-1])
    with db.write() as cur:
        _register(cur, "_sa", pa.table(al))
        cur.execute(
            """INSERT INTO alerts (alert_id, seq, kind, story_id, raised_at, title, topics, places, item_ids, n_items,
                   n_outlets, severity, score, reason, details, status, priority, assignee, close_reason,
                   previous_alert_id, merged_into, updated_at)
               SELECT alert_id, seq, kind, story_id, raised_at, title, topics, places, item_ids, n_items, n_outlets,
                      severity, score, reason, details, status, priority, assignee, close_reason, NULL, NULL, updated_at
               FROM _sa"""
        )
        cur.unregister("_sa")
        _register(cur, "_se", pa.table(ev))
        cols = [r[0] for r in cur.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = 'alert_events' AND column_name <> 'id'"
            " ORDER BY column_index").fetchall()]
        names = ", ".join(f'"{c}"' for c in cols[:7])  # alert_id, time, username, action, from, to, note
        cur.execute(f"INSERT INTO alert_events ({names}) SELECT * FROM _se")
        cur.unregister("_se")
        try:
            cur.execute(f"SELECT setval('alert_seq', {len(order)})")
        except Exception:
            pass
    return {"alerts": len(order), "alert_events": len(ev["alert_id"])}


def add_item(db: Database, *, title: str, summary: str, url: str, outlet: str = "Nhóm Uông Bí 24h",
             source: str = "demo-fb-uongbi", source_type: str = "social", published_at: datetime | None = None,
             topics: list[str] | None = None, sentiment: str = "negative", in_area: bool = True,
             places: list[str] | None = None) -> str:
    """One hand-made item (e.g. a malicious one for the rendering test), with tags."""
    now = utcnow()
    pub = published_at or now
    iid = _sha1(url + title)
    with db.write() as cur:
        cur.execute(
            """INSERT INTO items (id, canonical_url, url, content_hash, source, collector, source_type, outlet, title,
                   summary, author, guid, published_at, published_estimated, fetched_at, flags)
               VALUES (?, ?, ?, ?, ?, 'rss', ?, ?, ?, ?, ?, ?, ?, FALSE, ?, [])""",
            [iid, f"{url}#{iid}", url, _sha1(title + summary), source, source_type, outlet, title, summary,
             "<b>author</b>", iid, pub, now],
        )
        cur.execute("INSERT INTO item_links VALUES (?, ?, ?, ?)", [iid, source, url, now])
        from store import search

        search.index_items(cur, [iid])
        cur.execute(
            """INSERT INTO item_tags (item_id, model_version, topics, sentiment, in_area, places, place_details, lang,
                   no_diacritics, folded, tagged_at) VALUES (?, 'synthetic', ?, ?, ?, ?, '[]', 'vi', FALSE, ?, ?)""",
            [iid, topics or ["misinformation_fraud"], sentiment, in_area, places or [], _fold(f"{title} {summary}"),
             now],
        )
    return iid
