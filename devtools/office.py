"""A year of a real office's data: ~300,000 items from 68 sources, with stories, alerts, cases and watchlists.

    seed_office(db, n_items=300_000)          # bench/office_walk.py; deterministic for a given seed and `now`
    config_text(db_path, snapshot_path)       # a serve config with the 68 sources, all on 127.0.0.1

Built on devtools/synth.py (items, tags, stories, alerts, source health through the bulk path and the
store's own functions) with 68 outlets instead of 14: the demo's 14, 26 more press outlets
(national and provincial papers) and 28 social sources (Facebook groups of the wards, forums, YouTube,
TikTok, Zalo groups), spread over 365 days. On top: complaint cases on the office's own channels
(`store.cases.open_cases` and the lifecycle functions: about one in 200 items, over the year, most of them
closed, some overdue), and six watchlists with their hits (`store.watchlists.create`, `add_hits`: the items
whose title holds the watchlist's phrase). Nothing is fetched; the config's sources point at 127.0.0.1.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

from devtools import synth
from store import cases as store_cases
from store import watchlists as store_watch
from store.db import Database, utcnow
from store.search import search
from store.watchlists import Hit

_PRESS = [
    ("Nhân Dân", "nhandan.vn"), ("VOV", "vov.vn"), ("Znews", "znews.vn"), ("Pháp luật Việt Nam", "baophapluat.vn"),
    ("Công an Nhân dân", "cand.com.vn"), ("Quân đội Nhân dân", "qdnd.vn"), ("Giao thông", "baogiaothong.vn"),
    ("Tin tức", "baotintuc.vn"), ("Kinh tế & Đô thị", "kinhtedothi.vn"), ("Sức khỏe & Đời sống", "suckhoedoisong.vn"),
    ("Giáo dục & Thời đại", "giaoducthoidai.vn"), ("Lao Động Thủ đô", "laodongthudo.vn"), ("Đại biểu Nhân dân",
    "daibieunhandan.vn"), ("Tài nguyên & Môi trường", "baotainguyenmoitruong.vn"), ("Người Đưa Tin",
    "nguoiduatin.vn"), ("Vietnamplus", "vietnamplus.vn"), ("Báo Đầu tư", "baodautu.vn"), ("Kinh tế & Đô thị Hạ Long",
    "halong.kinhtedothi.vn"), ("Đài PT-TH Quảng Ninh", "qtv.vn"), ("Cổng TTĐT tỉnh Quảng Ninh", "quangninh.gov.vn"),
    ("Báo Hải Phòng", "baohaiphong.vn"), ("Báo Bắc Giang", "baobacgiang.vn"), ("Dân Việt", "danviet.vn"),
    ("Văn hóa", "baovanhoa.vn"), ("Công Thương", "congthuong.vn"), ("Thời báo Ngân hàng", "thoibaonganhang.vn"),
]
_SOCIAL = [
    ("Hội những người yêu Uông Bí", "facebook.com"), ("Uông Bí Online", "facebook.com"),
    ("Vàng Danh quê tôi", "facebook.com"), ("Cộng đồng Yên Tử", "facebook.com"), ("Hạ Long 24h", "facebook.com"),
    ("Cẩm Phả Online", "facebook.com"), ("Móng Cái Group", "facebook.com"), ("Đông Triều quê hương", "facebook.com"),
    ("Quảng Yên 24h", "facebook.com"), ("Chợ Uông Bí", "facebook.com"), ("Phụ huynh Uông Bí", "facebook.com"),
    ("Thợ mỏ Vàng Danh", "facebook.com"), ("Tin nóng Quảng Ninh", "facebook.com"), ("Review Quảng Ninh",
    "facebook.com"), ("Otofun Quảng Ninh", "otofun.net"), ("Webtretho Quảng Ninh", "webtretho.com"),
    ("Tinhte Quảng Ninh", "tinhte.vn"), ("Uông Bí TV (YouTube)", "youtube.com"), ("Hạ Long TV (YouTube)",
    "youtube.com"), ("Uông Bí 247 (TikTok)", "tiktok.com"), ("Quảng Ninh review (TikTok)", "tiktok.com"),
    ("Zalo nhóm Khu 5 Trưng Vương", "zalo.me"), ("Zalo nhóm Bắc Sơn", "zalo.me"), ("Threads Quảng Ninh",
    "threads.net"), ("Bluesky #QuangNinh", "bsky.app"), ("Reddit r/VietNam", "reddit.com"),
    ("Telegram Tin Quảng Ninh", "t.me"), ("Lemon8 Quảng Ninh", "lemon8-app.com"),
]

WATCHLISTS = [  # (name, a phrase in synth's titles, severity)
    ("Đền bù GPMB", '"đền bù"', "high"), ("Bụi than", '"bụi than"', "medium"),
    ("Bệnh viện Việt Nam – Thụy Điển", '"Thụy Điển"', "high"), ("Dạy thêm, học thêm", '"dạy thêm"', "medium"),
    ("Lừa đảo qua mạng", '"lừa đảo"', "high"), ("Ba Vàng (vong báo oán)", '"Ba Vàng"', "medium"),
]
_WATCH_PHRASES = {"Đền bù GPMB": "đền bù", "Bụi than": "Bụi than", "Bệnh viện Việt Nam – Thụy Điển": "Thụy Điển",
                  "Dạy thêm, học thêm": "dạy thêm", "Lừa đảo qua mạng": "lừa đảo", "Ba Vàng (vong báo oán)": "Ba Vàng"}


def outlets() -> list[tuple[str, str, str, str]]:
    """68 sources: synth's 14 (Mastodon, the one synth leaves failing, stays last) plus 26 press and 28 social."""
    press = [(f"office-press-{i:02d}", name, "press", dom) for i, (name, dom) in enumerate(_PRESS)]
    social = [(f"office-social-{i:02d}", name, "social", dom) for i, (name, dom) in enumerate(_SOCIAL)]
    return synth.OUTLETS[:-1] + press + social + synth.OUTLETS[-1:]


def outlet_weights() -> np.ndarray:
    """The demo outlets keep their weights; the others are smaller (a long tail, as in a real office)."""
    base = list(synth._OUTLET_WEIGHTS[:-1])
    tail = [3.0 - 2.5 * i / len(_PRESS) for i in range(len(_PRESS))] + [4.0 - 3.5 * i / len(_SOCIAL)
                                                                        for i in range(len(_SOCIAL))]
    return np.array(base + tail + [synth._OUTLET_WEIGHTS[-1]], dtype=float)


def seed_office(db: Database, *, n_items: int = 300_000, days: float = 365, now: datetime | None = None,
                seed: int = 11, progress: Any = None) -> dict[str, int]:
    """Write a year of data; returns what was written per table (stories ≈ items/60, alerts ≈ items/300)."""
    now = now or utcnow()
    counts = synth.seed(db, n_items=n_items, n_stories=max(n_items // 60, 40), n_alerts=max(n_items // 300, 12),
                        days=days, now=now, seed=seed, progress=progress, outlets=outlets(),
                        outlet_weights=outlet_weights(), burst=max(n_items // 2000, 20))
    counts["sources"] = len(outlets())
    counts["cases"] = _seed_cases(db, np.random.default_rng(seed + 1), n_items // 200, now)
    counts.update(_seed_watchlists(db, now))
    return counts


def _seed_cases(db: Database, rng: np.random.Generator, n: int, now: datetime) -> int:
    """Cases on social items of the year, opened at the item's time; older ones mostly closed."""
    with db.read() as cur:  # a deterministic sample of the year's social items: every k-th, newest first
        found = search(cur, "", since=now - timedelta(days=366), until=now + timedelta(days=1),
                       source_types=["social"], order="newest", limit=10_000_000).items
    if found.empty or n <= 0:
        return 0
    rows = list(found[["id", "source", "published_at"]].itertuples(index=False, name=None))
    pick = [rows[i] for i in np.linspace(0, len(rows) - 1, min(n, len(rows))).astype(int)]
    pick = [(iid, src, pd.Timestamp(pub).to_pydatetime()) for iid, src, pub in pick]
    channels = ("facebook_page", "zalo_oa", "email_inbox", "collab")
    new = [store_cases.NewCase(iid, channels[k % 4], src, pub, pub + timedelta(days=7),
                               place="Phường Uông Bí") for k, (iid, src, pub) in enumerate(pick)]
    with db.write() as cur:
        case_ids = store_cases.open_cases(cur, new, username="(office)")
        for cid, c in zip(case_ids, new):
            age = (now - c.opened_at).days
            roll = rng.random()
            if age < 3 and roll < 0.6:
                continue  # new, not yet handled
            at = c.opened_at + timedelta(hours=2)
            store_cases.assign(cur, cid, "chuyenvien", "quantri", at)
            if age < 10 and roll < 0.5:
                continue  # assigned; past its due date when older than 7 days
            store_cases.record_reply(cur, cid, "Cảm ơn anh/chị đã phản ánh; UBND phường đã tiếp nhận và xử lý.",
                                     "manual", "manual", "chuyenvien", at + timedelta(days=2))
            if roll < 0.85:
                store_cases.transition(cur, cid, "closed", "chuyenvien", at + timedelta(days=3))
    return len(case_ids)


def _seed_watchlists(db: Database, now: datetime) -> dict[str, int]:
    """Six watchlists, and a hit for every item whose title holds the watchlist's phrase."""
    n_hits = 0
    with db.write() as cur:
        for name, query, sev in WATCHLISTS:
            wid = store_watch.create(cur, {"name": name, "query": query, "places": [], "topics": [],
                                           "source_types": [], "min_items": 3, "window_minutes": 120,
                                           "severity": sev}, "(office)", now - timedelta(days=365))
            found = search(cur, query, since=now - timedelta(days=366), until=now + timedelta(days=1),
                           order="newest", limit=10_000_000).items
            words = tuple(_WATCH_PHRASES[name].lower().split())
            n_hits += store_watch.add_hits(cur, [Hit(wid, iid, pd.Timestamp(pub).to_pydatetime(), words)
                                                 for iid, pub in zip(found["id"], found["published_at"])], now)
    return {"watchlists": len(WATCHLISTS), "watch_hits": n_hits}


def config_text(db_path: str, snapshot_path: str, port: int = 18799) -> str:
    """A serve config for the office database: its 68 sources (at 127.0.0.1:`port`, where nothing answers;
    the scheduler ticks hourly, so the walk sees the seeded health), quick bcrypt."""
    lines = ["[storage]", f'db_path = "{db_path}"', f'snapshot_path = "{snapshot_path}"',
             "snapshot_every_minutes = 0", "[schedule]", "tick_seconds = 3600", "[fulltext]", "enabled = false",
             "[http]", f'allow_private_hosts = ["127.0.0.1:{port}"]', "[auth]", "bcrypt_rounds = 4"]
    for src, outlet, stype, _dom in outlets():
        lines += ["[[sources]]", f'name = "{src}"', 'kind = "rss"', f'url = "http://127.0.0.1:{port}/{src}.rss"',
                  f'outlet = "{outlet}"', f'source_type = "{stype}"', "interval_minutes = 60"]
    return "\n".join(lines) + "\n"

