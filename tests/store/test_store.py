"""Store: versioned migrations, idempotent inserts, transactions, snapshots."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pytest

from vocab.item import Item
from collectors.textutil import canonical_url, content_hash, sha1
from store import items as store_items
from store.db import Database, DatabaseLocked, migrations

NOW = datetime(2026, 11, 22, 3, 0)


def item(n: int, source: str = "s", title: str | None = None, url: str | None = None) -> Item:
    url = url or f"https://bao.vn/tin-{n}"
    title = title or f"Tin số {n} về Uông Bí"
    canon = canonical_url(url)
    return Item(id=sha1(canon), source=source, collector="rss", source_type="press", outlet="Báo",
                url=url, canonical_url=canon, title=title, summary="tóm tắt", published_at=NOW,
                published_estimated=False, fetched_at=NOW, content_hash=content_hash(title, "tóm tắt", canon))


def test_migrations_are_numbered_and_recorded(tmp_path):
    found = migrations()
    assert found[0][0] == 1 and [v for v, _, _ in found] == sorted(v for v, _, _ in found)
    with Database(tmp_path / "a.duckdb") as db:
        assert db.schema_version() == found[-1][0]
        assert db.migrate() == []  # idempotent


def test_insert_is_idempotent(tmp_path):
    with Database(tmp_path / "a.duckdb") as db:
        batch = [item(i) for i in range(100)]
        with db.write() as cur:
            new = store_items.insert_items(cur, batch)
        with db.write() as cur:
            again = store_items.insert_items(cur, batch + [item(100)])
        with db.read() as cur:
            assert store_items.count_items(cur) == 101
    assert len(new) == 100 and again == [item(100).id]


def test_same_content_other_url_links_to_one_item(tmp_path):
    with Database(tmp_path / "a.duckdb") as db:
        a = item(1, source="a")
        b = item(2, source="b", title=a.title, url="https://other.vn/copy")
        with db.write() as cur:
            store_items.insert_items(cur, [a])
            store_items.insert_items(cur, [b])
        with db.read() as cur:
            assert store_items.count_items(cur) == 1
            assert store_items.link_counts(cur) == {"a": 1, "b": 1}


def test_failed_transaction_leaves_nothing(tmp_path):
    with Database(tmp_path / "a.duckdb") as db:
        with pytest.raises(RuntimeError):
            with db.write() as cur:
                store_items.insert_items(cur, [item(1)])
                raise RuntimeError("boom")
        with db.read() as cur:
            assert store_items.count_items(cur) == 0


def test_snapshot_is_readable_by_another_connection(tmp_path):
    with Database(tmp_path / "a.duckdb") as db:
        with db.write() as cur:
            store_items.insert_items(cur, [item(i) for i in range(10)])
        db.snapshot(tmp_path / "snap.duckdb")
    con = duckdb.connect(str(tmp_path / "snap.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM items").fetchone()[0] == 10
    con.close()


def test_second_process_gets_a_clear_lock_error(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "a.duckdb"
    with Database(path):
        code = (
            "import sys\nfrom store.db import Database, DatabaseLocked\n"
            f"try:\n    Database({str(path)!r})\nexcept DatabaseLocked as e:\n    print('LOCKED', e); sys.exit(0)\nsys.exit(1)"
        )
        res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert "langnghe serve" in res.stdout
    assert DatabaseLocked  # exported


def test_source_health_counts_items_by_publication_time(tmp_path):
    """A first fetch of a feed's archive is not 'news of the last 24 h' (issue 15: 277 shown, 20 published)."""
    from dataclasses import replace
    from datetime import timedelta

    from store import sources as store_sources
    from vocab.config import SourceConfig

    old = [replace(item(i), published_at=NOW - timedelta(days=3)) for i in range(5)]
    fresh = [replace(item(i), published_at=NOW - timedelta(hours=2)) for i in range(5, 7)]
    with Database(tmp_path / "h.duckdb") as db:
        with db.write() as cur:
            store_items.insert_items(cur, old + fresh)  # all fetched (seen) now
        with db.read() as cur:
            (row,) = store_sources.health(cur, [SourceConfig(name="s", kind="rss", url="https://bao.vn/rss", outlet="Báo")],
                                          NOW + timedelta(minutes=5))
    assert row["items_24h"] == 2 and row["items_per_day_7d"] == 1.0


def test_sources_form_shows_whole_minutes():
    from dashboard.views.sources import interval_minutes

    assert interval_minutes(1.0) == 1 and interval_minutes(None) == 0 and isinstance(interval_minutes(15.0), int)


def test_a_write_on_a_read_only_handle_says_so_in_vietnamese(tmp_path):
    """It raised «… is open read-only» in English; nothing is written either way."""
    path = tmp_path / "r.duckdb"
    Database(path).close()
    with Database(path, read_only=True) as db:
        with pytest.raises(RuntimeError, match="chỉ để đọc") as err:
            with db.write():
                pass
        assert str(path) in str(err.value) and "read-only" not in str(err.value)


def test_source_health_windows_at_their_edges(tmp_path):
    """items_24h, items_per_day_7d and usual_per_day (Nguồn tin's TB/ngày) read one scan since round 27
    (store.sources._week): each window's edges, a microsecond either side. The 24 h window holds [now − 24 h, now];
    the week [now − 7 d, now]; the usual level the whole days before the last 24 h, (now − 8 d, now − 24 h), over
    seven days for a source first seen ten days ago; a future date counts nowhere."""
    from dataclasses import replace
    from datetime import timedelta

    from store import sources as store_sources
    from vocab.config import SourceConfig

    now, us, day = NOW, timedelta(microseconds=1), timedelta(days=1)
    published = [now, now - day, now - day - us, now - 7 * day, now - 7 * day - us, now - 8 * day, now + us]
    items = [replace(item(i), published_at=p, fetched_at=now - 10 * day) for i, p in enumerate(published)]
    with Database(tmp_path / "h.duckdb") as db:
        with db.write() as cur:
            store_items.insert_items(cur, items)
        with db.read() as cur:
            (row,) = store_sources.health(cur, [SourceConfig(name="s", kind="rss", url="https://bao.vn/rss", outlet="Báo")],
                                          now)
    assert row["items_24h"] == 2                          # now, now − 24 h
    assert row["items_per_day_7d"] == round(4 / 7, 2)     # and now − 24 h − 1 µs, now − 7 d
    assert row["usual_per_day"] == round(3 / 7, 2)        # now − 24 h − 1 µs, now − 7 d, now − 7 d − 1 µs
    assert row["first_seen_at"] == now - 10 * day
