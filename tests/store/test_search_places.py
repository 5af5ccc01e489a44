"""Search and watchlists over place names typed with marks where a marked item writes them without ("Vàng Danh"
→ "Sáng nay ở Vang Danh lại mất điện"): the item's Places step read the name (`place_reads`, migration 162), so
the name typed with marks finds it; "vang danh" = famed in a marked text is no place read and is not found.
The tags are written as the Places step returns them (tests/nlp/test_mixed.py checks the step itself)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from collectors.textutil import canonical_url, sha1
from detection import watch
from store import items as store_items
from store import search as S
from store import tags as store_tags
from store import watchlists as store_watch
from store.db import Database
from store.search_query import name_spans, parse, phrase_spans, place_readings
from tests.store.test_search import NOW, item

# key → (title, summary, the names the Places step read where the text has no marks)
ITEMS = {
    "mix": ("Sáng nay ở Vang Danh lại mất điện", "Người dân phản ánh.", ["vàng danh"]),
    "unit": ("Mất điện cả buổi ở phường vang danh", "Bà con bức xúc.", ["vàng danh"]),
    "famed": ("Ngôi chùa vang danh khắp nơi", "Du khách đông vui.", []),       # famed: no place
    "lower": ("Tối qua ở vang danh lại mất điện", "Không ai báo trước.", ["vàng danh"]),  # after "ở" (round 17)
    "marked": ("Chiều nay ở Vàng Danh lại mất điện", "Điện lực đang sửa.", []),
    "plain": ("Sang nay o vang danh lai mat dien", "Nguoi dan phan anh.", []),
    "hb": ("Đường lên hoanh bo bị sạt lở", "Xe không qua được.", ["hoành bồ"]),
    "cp": ("Bụi than ở cam pha nhiều quá", "Ai cũng ho.", ["cẩm phả"]),       # after "ở": the city (round 17)
    "cw": ("Nước cam pha sẵn bán ngoài chợ", "Rẻ mà ngon.", []),            # "cam pha" = orange juice mixed: words
    "bt": ("Người dân phản ánh bai thai than sạt lở", "Rất nguy hiểm.", []),  # not a place: today's rule
    "bv": ("Chùa Ba Vang hôm nay đông khách", "Xe xếp hàng dài.", ["chùa ba vàng"]),
}
KEYS = {sha1(canonical_url(f"https://bao.vn/{k}")): k for k in ITEMS}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    d = Database(tmp_path_factory.mktemp("places") / "p.duckdb")
    with d.write() as cur:
        store_items.insert_items(cur, [item(k, t, s, hours_ago=i + 1) for i, (k, (t, s, _)) in enumerate(ITEMS.items())])
        store_tags.save_tags(cur, [{"id": sha1(canonical_url(f"https://bao.vn/{k}")), "place_reads": reads}
                                   for k, (_, _, reads) in ITEMS.items()], NOW)
    yield d
    d.close()


def found(db: Database, query: str, **kw) -> set[str]:
    with db.read() as cur:
        return {KEYS[i] for i in S.search(cur, query, limit=100, **kw).items["id"]}


def watched(db: Database, query: str) -> set[str]:
    with db.read() as cur:
        docs = watch.docs_of(store_watch.item_docs(cur, list(KEYS)).to_dict("records"))
    wl = watch.compile_watchlist({"id": 1, "name": "t", "query": query})
    return {KEYS[d.item_id] for d in docs if watch.match(wl, d) is not None}


@pytest.mark.parametrize("query, keys", [
    ("Vàng Danh", {"mix", "unit", "lower", "marked", "plain"}),    # not "famed"
    ('"Vàng Danh"', {"mix", "unit", "lower", "marked", "plain"}),
    ("vàng danh", {"mix", "unit", "lower", "marked", "plain"}),    # case does not matter
    ("vang danh", {"mix", "unit", "famed", "lower", "marked", "plain"}),  # typed without marks: as before
    ('"phường Vàng Danh"', {"unit"}),                              # a phrase holding the name
    ('"ở Vàng Danh"', {"mix", "lower", "marked", "plain"}),        # round 17: "ở vang danh" in a marked text
    ("Vàng Danh mất điện", {"mix", "unit", "lower", "marked", "plain"}),
    ("Hoành Bồ", {"hb"}),
    ("Cẩm Phả", {"cp"}),                                           # after "ở" the city; "nước cam pha" the words
    ("bãi thải", set()),                                           # not a place: only the marked words
    ("bai thai", {"bt"}),
    ('"Chùa Ba Vàng"', {"bv"}),
    ("Chùa Ba Vàng", {"bv"}),
    ("vàng", {"marked", "plain"}),                                 # one word is no place name
    ('Vàng Danh -"bức xúc"', {"mix", "lower", "marked", "plain"}),
    ('mất điện -"Vàng Danh"', set()),                              # the name excluded however it is written
    ("Vàng Danh OR Hoành Bồ", {"mix", "unit", "lower", "marked", "plain", "hb"}),
])
def test_a_place_name_typed_with_marks_finds_it_written_without_in_a_marked_item(db, query, keys):
    assert found(db, query) == keys
    assert watched(db, query) == keys  # the watchlist finds the same items


def test_the_name_read_ranks_with_the_items_that_write_it(db):
    with db.read() as cur:
        res = S.search(cur, "Vàng Danh", limit=100)
    scores = dict(zip((KEYS[i] for i in res.items["id"]), res.items["score"]))
    assert scores["mix"] > 0 and scores["unit"] > 0 and res.total == 5
    # as long as "marked" and holding each word once, as it does: the same score ("danh" is not counted twice)
    assert scores["mix"] == pytest.approx(scores["marked"])


def test_the_reading_counts_only_inside_the_window(db):
    assert found(db, "Vàng Danh", since=NOW - timedelta(hours=1.5)) == {"mix"}
    assert found(db, "Vàng Danh", since=NOW - timedelta(hours=2.5), until=NOW - timedelta(hours=1.5)) == {"unit"}


def test_the_words_a_watchlist_reports_are_the_text_as_written(db):
    with db.read() as cur:
        (doc,) = watch.docs_of(store_watch.item_docs(cur, [sha1(canonical_url("https://bao.vn/mix"))]).to_dict("records"))
    # "danh" has no mark: it matches as written too
    assert watch.match(watch.compile_watchlist({"id": 1, "name": "t", "query": "Vàng Danh"}), doc) == ("vang danh", "danh")
    assert watch.match(watch.compile_watchlist({"id": 1, "name": "t", "query": '"ở Vàng Danh"'}), doc) == ("ở vang danh",)


def test_a_query_naming_no_place_read_is_the_query_of_before(db):
    """Only a query whose words may spell a name read by some item in the window gets the extra lookup."""
    with db.read() as cur:
        assert S._read_docs(cur, ["bãi thải", "ô nhiễm"], NOW - timedelta(days=30), NOW) == ([], [])
        docs, names = S._read_docs(cur, ["vàng danh", "bãi thải"], NOW - timedelta(days=30), NOW)
        assert names == ["vàng danh"] * 3 and len(set(docs)) == 3  # mix, unit, lower


def test_place_readings_from_what_the_places_step_read():
    d = [{"name": "Phường Vàng Danh", "matched_text": "Vàng Danh"}]
    assert place_readings("Sáng nay ở Vang Danh lại mất điện", d) == ["vàng danh"]   # confirmed by nlp/mixed.py
    assert place_readings("Sáng nay ở Vàng Danh lại mất điện", d) == []             # written with its marks
    plain = [{"name": "Phường Vàng Danh", "matched_text": "vang danh"}]
    assert place_readings("Sang nay o vang danh mất dien", plain) == ["vàng danh"]   # read without diacritics
    assert place_readings("Sang nay o vang danh mat dien", plain) == []   # no mark at all: the folded name matches
    ocr = [{"name": "Phường Vàng Danh", "matched_text": "Vang Dauh"}]
    assert place_readings("Sáng nay ở Vang Dauh mất điện", ocr) == []   # a guess: "vang danh" would not find it
    assert place_readings("Xã Chờ hôm nay", [{"name": "Thị trấn Chờ", "matched_text": "Chờ"}]) == []  # one syllable


def test_runs_of_query_words_that_may_spell_a_name():
    assert name_spans(parse("Vàng Danh")) == [("vàng", "danh")]
    assert name_spans(parse("vang danh")) == []                   # typed without marks: folding finds it already
    assert name_spans(parse('"Vàng Danh" lũ')) == []              # a phrase is looked at on its own (phrase_spans)
    assert ("danh", "lũ") in name_spans(parse("Vàng Danh lũ -Cẩm Phả"))
    assert ("phả",) not in name_spans(parse("Vàng Danh lũ -Cẩm Phả"))
    assert phrase_spans(("phường", "vàng", "danh")) == [(0, 2), (0, 3), (1, 3)]


def test_tags_keep_the_readings(db):
    with db.read() as cur:
        rows = dict(cur.execute("SELECT item_id, place_reads FROM item_tags").fetchall())
    assert rows[sha1(canonical_url("https://bao.vn/mix"))] == ["vàng danh"]
    assert rows[sha1(canonical_url("https://bao.vn/famed"))] is None


def test_many_items_reading_a_name_are_looked_up_by_one_scan(db, monkeypatch):
    """Past _READ_IDS_BY_KEY items the doc numbers come from one scan instead of key lookups: the same items."""
    monkeypatch.setattr(S, "_READ_IDS_BY_KEY", 0)
    assert found(db, "Vàng Danh") == {"mix", "unit", "lower", "marked", "plain"}
    assert found(db, '"phường Vàng Danh"') == {"unit"}
