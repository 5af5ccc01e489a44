"""One bad byte never turns a feed into mojibake, and text an old wrong decode stored is repaired
by the next fetch of the same URL (collectors/encoding.plan_repairs, store.items.repair_texts)."""

from __future__ import annotations

import asyncio
from datetime import datetime

import httpx

from collectors.rss import map_entry, parse_feed
from collectors.runner import Runner
from vocab.config import SourceConfig
from store import items as store_items
from store import sources as store_sources
from store import tags as store_tags
from tests.conftest import database, make_config, rss_doc, rss_source

URL = "http://feeds.test/a.rss"
ITEMS = [
    {"title": "Tin thứ hai về bụi than", "link": "https://bao.vn/1", "description": "Người dân phường Vàng Danh phản ánh"},
    {"title": "Uông Bí mở rộng đường", "link": "https://bao.vn/2", "description": "Đường Trần Nhân Tông"},
    {"title": "Họp báo quý ba", "link": "https://bao.vn/3", "description": "Ủy ban nhân dân thành phố"},
]


async def _public_dns(host: str, port: int) -> list[str]:
    """feeds.test stands for a public feed host (the address guard resolves every name)."""
    return ["93.184.216.34"] if host == "feeds.test" else []


def _collect(cfg, db, body: bytes, seen: list[str] | None = None):
    transport = httpx.MockTransport(
        lambda req: httpx.Response(200, content=body, headers={"content-type": "application/rss+xml"})
    )
    runner = Runner(cfg, db, transport=transport, on_new_items=(seen.extend if seen is not None else None),
                    resolver=_public_dns)
    return asyncio.run(runner.run_due(force=True)).outcomes[0]


def _titles(db) -> dict[str, tuple[str, str]]:
    with db.read() as cur:
        return {r[0]: (r[1], r[2]) for r in cur.execute("SELECT url, title, summary FROM items").fetchall()}


def _health(cfg, db) -> dict:
    with db.read() as cur:
        return store_sources.health(cur, cfg.sources, datetime(2030, 1, 1))[0]


def test_one_bad_byte_in_one_title_leaves_the_others_intact(tmp_path):
    body = rss_doc(ITEMS).replace("thứ hai".encode(), b"th\xe1\xbb hai", 1)
    cfg = make_config(tmp_path, [rss_source("a", URL)])
    with database(cfg.storage.db_path) as db:
        outcome = _collect(cfg, db, body)
        stored = _titles(db)
        health = _health(cfg, db)
    assert stored["https://bao.vn/2"] == ("Uông Bí mở rộng đường", "Đường Trần Nhân Tông")
    assert stored["https://bao.vn/1"] == ("Tin th\ufffd hai về bụi than", "Người dân phường Vàng Danh phản ánh")
    assert outcome.items_new == 3 and outcome.decode_replaced == 1
    assert health["last_decode_replaced"] == 1


def test_corrected_refetch_repairs_the_replaced_characters_and_retags(tmp_path):
    bad = rss_doc(ITEMS).replace("thứ hai".encode(), b"th\xe1\xbb hai", 1)
    cfg = make_config(tmp_path, [rss_source("a", URL)])
    seen: list[str] = []
    with database(cfg.storage.db_path) as db:
        _collect(cfg, db, bad)
        outcome = _collect(cfg, db, rss_doc(ITEMS), seen)
        stored = _titles(db)
        health = _health(cfg, db)
    assert stored["https://bao.vn/1"][0] == "Tin thứ hai về bụi than"
    assert outcome.items_new == 0 and outcome.items_repaired == 1 and outcome.decode_replaced == 0
    assert len(stored) == 3 and len(seen) == 1
    assert (health["last_items_repaired"], health["last_decode_replaced"]) == (1, 0)


def _store_as_old_code_did(db, body: bytes) -> list[str]:
    """What the old decode stored for a UTF-8 feed with one bad byte: the whole body read as cp1252."""
    src = SourceConfig(name="a", kind="rss", url=URL, outlet="a")
    garbled = body.decode("cp1252", errors="replace").encode("utf-8")
    items = [map_entry(e, src, datetime(2026, 11, 22)) for e in parse_feed(garbled).entries]
    assert "á»" in items[1].title  # mojibake, as issue 11 describes
    with db.write() as cur:
        ids = store_items.insert_items(cur, items)
        store_tags.save_tags(cur, [{"id": i, "model_version": "v1", "places": []} for i in ids])
    return ids


def test_mojibake_stored_by_the_old_decode_is_repaired_not_skipped(tmp_path):
    fixed = [dict(ITEMS[0]), dict(ITEMS[1], description="Đường Trần Nhân Tông được mở rộng"), ITEMS[2]]
    cfg = make_config(tmp_path, [rss_source("a", URL)])
    seen: list[str] = []
    with database(cfg.storage.db_path) as db:
        ids = _store_as_old_code_did(db, rss_doc(ITEMS).replace("Họp".encode(), b"H\xe1\xbb p", 1))
        outcome = _collect(cfg, db, rss_doc(fixed), seen)
        stored = _titles(db)
        with db.read() as cur:
            tagged = {r[0] for r in cur.execute("SELECT item_id FROM item_tags").fetchall()}
            hashes = dict(cur.execute("SELECT url, content_hash FROM items").fetchall())
    # Item 1 and 3 were mojibake of the same text: repaired. Item 2's summary was also edited: left alone.
    assert stored["https://bao.vn/1"] == ("Tin thứ hai về bụi than", "Người dân phường Vàng Danh phản ánh")
    assert stored["https://bao.vn/3"] == ("Họp báo quý ba", "Ủy ban nhân dân thành phố")
    assert "á»" in stored["https://bao.vn/2"][0]
    assert outcome.items_new == 0 and outcome.items_repaired == 2 and len(stored) == 3
    repaired = {ids[0], ids[2]}
    assert set(seen) == repaired and tagged == {ids[1]}  # repaired items lost their stale tags
    src = SourceConfig(name="a", kind="rss", url=URL, outlet="a")
    expected = map_entry(parse_feed(rss_doc(fixed)).entries[0], src, datetime(2026, 11, 22)).content_hash
    assert hashes["https://bao.vn/1"] == expected


def test_repair_is_idempotent(tmp_path):
    cfg = make_config(tmp_path, [rss_source("a", URL)])
    with database(cfg.storage.db_path) as db:
        _store_as_old_code_did(db, rss_doc(ITEMS).replace("Họp".encode(), b"H\xe1\xbb p", 1))
        first = _collect(cfg, db, rss_doc(ITEMS))
        second = _collect(cfg, db, rss_doc(ITEMS))
    assert (first.items_repaired, second.items_repaired) == (3, 0)
