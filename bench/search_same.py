"""Same results with and without the pair terms (migration 161): for each query, search once with the
pair lookups and once with every phrase answered by the join of positions (the way before 161), and
compare totals, the ranked ids and the scores (to 1e-9). Prints one line per query and exits 1 on any
difference.

    .venv/bin/python bench/search_same.py                      # the test corpora, in memory
    .venv/bin/python bench/search_same.py --db /tmp/s1m/s2p.duckdb   # the bench queries at 1M (read-only)
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timedelta
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BENCH_QUERIES = [
    ("than", None), ("than", 7), ('"bụi than" OR "ô nhiễm" -"Cẩm Phả"', None),
    ('"bụi than" OR "ô nhiễm" -"Cẩm Phả"', 7), ("o nhiem uong bi", 30), ("ô nhiễm", None), ('"bui than"', None),
    ('"than bụi"', None), ("bụi than -\"cẩm phả\"", 30), ('"Uông Bí" OR "vàng danh"', None), ("lũ lụt", 30),
]

TEST_QUERIES = [
    "lũ", "ô nhiễm", '"bụi than"', "than AND bụi", '"than bụi"', '"bui than"', "bui than", '"bụi thân"',
    '"o nhiễm"', '"ô nhiem"', "o nhiem", '"ô nhiễm" -"bổ nhiệm"', "ô nhiễm -\"bụi than\"", '"uông bí"',
    '"uong bi"', 'lũ OR "sạt lở"', '"vàng danh" OR "cẩm phả"', "than -bụi", '"bụi than bay"', "bụi than bay",
    '"lũ quét"', '"lu quet"', '"điện lưới"', '"dien luoi"', '"đien lưới"', "giám đốc", '"giám đốc sở"',
    '"phản ánh"', '"phan anh" OR "lu lut"', "nước lũ", '"nước lũ"', '"lú lẫn"', '"lu lan"', '"ludovic ly"',
]


def compare(cur, queries: list[tuple[str, int | None]], now: datetime) -> int:
    from store import search as S

    bad = 0
    for q, days in queries:
        since = now - timedelta(days=days) if days else None
        new = S.search(cur, q, since=since, limit=500, now=now)
        with mock.patch.object(S, "_pair_sql", lambda *a, **k: None):
            old = S.search(cur, q, since=since, limit=500, now=now)
        same = (new.total == old.total and list(new.items["id"]) == list(old.items["id"])
                and list(new.items["together"]) == list(old.items["together"])
                and all(abs(a - b) <= 1e-9 for a, b in zip(new.items["score"], old.items["score"])))
        bad += not same
        print(f"{'same' if same else 'DIFFERENT'}  {q!r} {days or 'all'}: total {new.total} / {old.total}")
    return bad


def test_corpora():
    """An in-memory database with the items of tests/store/test_search*.py (and a full text)."""
    sys.path.insert(0, str(ROOT / "tests" / "store"))
    import test_search as T  # noqa: E402
    import test_search_docs as D  # noqa: E402
    from store import fulltext as store_fulltext
    from store import items as store_items
    from store.db import Database

    db = Database(":memory:")
    items = [T.item(k, t, s, hours_ago=i + 1) for i, (k, (t, s)) in enumerate(T.CORPUS.items())]
    items += [D.item("d" + k, t, s, d) for k, t, s, d in D.CORPUS]
    with db.write() as cur:
        store_items.insert_items(cur, items)
    with db.write() as cur:  # a body: pairs of field 1, in an item whose title has no diacritics
        plain = next(i for i in items if i.title.startswith("Bui than"))
        store_fulltext.save_many(cur, [store_fulltext.Extracted(
            plain.id, "Bụi than bay khắp nơi, người dân phản ánh ô nhiễm ở Uông Bí.", "ok", plain.url)], now=T.NOW)
    return db, T.NOW


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", help="a 1M-item database from bench/dashboard.py (else: the test corpora)")
    args = ap.parse_args()
    if args.db:
        from store.db import Database, utcnow

        db, now, queries = Database(Path(args.db), read_only=True), utcnow(), BENCH_QUERIES
    else:
        db, now = test_corpora()
        queries = [(q, None) for q in TEST_QUERIES]
    with db.read() as cur:
        bad = compare(cur, queries, now)
    print(f"{len(queries) - bad} same, {bad} different")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
