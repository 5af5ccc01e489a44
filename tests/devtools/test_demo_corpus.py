"""The shipped demo corpus keeps the invariants demo/corpus/README.md promises, and its live burst
arrives early enough that someone trying `make demo` sees an alert within minutes."""

from __future__ import annotations

import json
import unicodedata

from devtools.demo_server import CORPUS, FEEDS

FIELDS = ["id", "feed", "source_type", "offset_minutes", "title", "summary", "slug", "author", "topics",
          "sentiment", "places", "story"]
TOPICS = {"land", "environment", "health", "education", "public_order", "traffic", "economy", "governance",
          "religion", "misinformation_fraud", "disaster", "welfare", "culture_tourism"}


def rows() -> list[dict]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_rows_are_well_formed_sorted_and_unique():
    rs = rows()
    assert len(rs) == 355
    for k, r in enumerate(rs, 1):
        assert list(r) == FIELDS, r["id"]
        assert r["id"] == f"qn-{k:04d}"
        assert r["feed"] in FEEDS and FEEDS[r["feed"]][2] == r["source_type"]
        assert set(r["topics"]) <= TOPICS and r["sentiment"] in {"negative", "neutral", "positive"}
        for field in ("title", "summary"):
            assert unicodedata.normalize("NFC", r[field]) == r[field], r["id"]
        text = f"{r['title']} {r['summary']}".lower()
        assert all(p.lower() in text for p in r["places"]), r["id"]
    offsets = [r["offset_minutes"] for r in rs]
    assert offsets == sorted(offsets) and len(set(offsets)) == len(offsets)
    assert len({r["slug"] for r in rs}) == len(rs)
    assert -14 * 24 * 60 <= offsets[0] and offsets[-1] <= 150


def test_live_burst_starts_right_after_the_demo_starts():
    burst = [r for r in rows() if r["story"] == "burst-vangdanh"]
    assert len(burst) == 12 and all(r["offset_minutes"] > 0 for r in burst)
    assert burst[0]["offset_minutes"] <= 5
    first_three_feeds: list[str] = []
    for r in burst:
        if r["feed"] not in first_three_feeds:
            first_three_feeds.append(r["feed"])
        if len(first_three_feeds) == 3:
            assert r["offset_minutes"] <= 10  # 3 items from 3 sources: what the detector needs
            break
    assert {r["source_type"] for r in burst} == {"press", "social"}
