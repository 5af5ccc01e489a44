"""Item search (store/search.py, store/search_query.py): whole syllables, diacritics rules on both sides,
phrases, OR, exclusions, BM25 ranking, full text, index upkeep, and the cases of issue 14."""

from __future__ import annotations

from datetime import datetime, timedelta

import duckdb
import pytest

from collectors.base import Item
from store import fulltext as store_fulltext
from store import items as store_items
from store import search as S
from store.db import Database
from store.search_query import QueryError, fold, over_bounds, parse, syllables
from tests.conftest import press_id, press_item

NOW = datetime(2026, 11, 22, 3, 0)

CORPUS = {
    "lu": ("Lũ quét ở Vàng Danh", "Nước lũ dâng cao sau mưa lớn."),
    "ludovic": ("Ludovic Ly ghi bàn", "Cầu thủ Ludovic Ly giúp đội nhà thắng."),
    "luoi": ("Sự cố điện lưới ở Uông Bí", "Điện lưới mất nhiều giờ."),
    "lu2": ("Lú lẫn vì nắng nóng", "Người già dễ lú lẫn."),
    "onhiem": ("Bụi than gây ô nhiễm ở Vàng Danh", "Người dân phản ánh ô nhiễm kéo dài."),
    "bonhiem": ("Bổ nhiệm người thay thế giám đốc sở", "Tỉnh bổ nhiệm tân giám đốc."),
    "apart": ("Ô tô chở than gây bức xúc", "Nhiễm bẩn nguồn nước được xử lý."),
    "plain": ("Bui than o nhiem nang o Uong Bi", "Dan phan anh lu lut, bui than bay khap noi."),
    "thanbui": ("Than và bụi: chuyện cũ ở Cẩm Phả", "Xe chở than làm bụi mù."),
}


def item(key: str, title: str, summary: str, hours_ago: float = 1.0) -> Item:
    return press_item(key, title, summary, NOW - timedelta(hours=hours_ago))


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    d = Database(tmp_path_factory.mktemp("search") / "s.duckdb")
    with d.write() as cur:
        store_items.insert_items(cur, [item(k, t, s, hours_ago=i + 1) for i, (k, (t, s)) in enumerate(CORPUS.items())])
    yield d
    d.close()


def keys(db: Database, query: str, **kw) -> list[str]:
    ids = {press_id(k): k for k in CORPUS}
    ids.update({press_id(k): k for k in ("x1", "x2", "x3", "body")})
    with db.read() as cur:
        res = S.search(cur, query, **kw)
    return [ids[i] for i in res.items["id"]]


# --- the cases --------------------------------------------------------------------------

def test_lu_matches_only_the_syllable_lu(db):
    # was: substring match on folded text, so "lũ" found "Ludovic", "điện lưới", "lú lẫn"
    assert sorted(keys(db, "lũ")) == ["lu", "plain"]


def test_o_nhiem_does_not_match_bo_nhiem_and_ranks_the_phrase_first(db):
    got = keys(db, "ô nhiễm")
    assert "bonhiem" not in got
    assert set(got[:2]) == {"onhiem", "plain"} and got[2:] == ["apart"]  # "Ô tô … Nhiễm bẩn": both words, apart


def test_quoted_phrase_and_explicit_and(db):
    assert sorted(keys(db, '"bụi than"')) == ["onhiem", "plain"]
    assert sorted(keys(db, "than AND bụi")) == ["onhiem", "plain", "thanbui"]
    assert sorted(keys(db, '"than bụi"')) == []


# --- diacritics, both sides ----------------------------------------------------------------------

def test_query_without_diacritics_matches_every_syllable_that_folds_to_it(db):
    assert sorted(keys(db, "lu")) == ["lu", "lu2", "plain"]  # lũ, lú, plain "lu"; never Ludovic or lưới
    got = keys(db, "o nhiem")
    assert sorted(got[:2]) == ["onhiem", "plain"] and got[2:] == ["apart"]  # never "bổ nhiệm"


def test_query_with_diacritics_matches_the_exact_syllable_or_a_plain_item(db):
    assert sorted(keys(db, "lú")) == ["lu2", "plain"]  # "lú lẫn"; "lu" in the item without diacritics
    assert sorted(keys(db, "lưới")) == ["luoi"]
    assert sorted(keys(db, "ô")) == ["apart", "onhiem", "plain"]  # "Ô tô" (case-insensitive) and plain "o"
    assert sorted(keys(db, "Uông")) == ["luoi", "plain"]
    assert keys(db, "ư") == []


# --- syntax ---------------------------------------------------------------------------------------

def test_or_and_exclusions(db):
    assert sorted(keys(db, "lú lẫn OR Ludovic")) == ["lu2", "ludovic"]
    assert sorted(keys(db, "than -bụi")) == ["apart"]
    assert sorted(keys(db, 'than -"bụi than"')) == ["apart", "thanbui"]
    assert sorted(keys(db, '"bụi than" -"Uong Bi" OR lú lẫn')) == ["lu2", "onhiem"]  # the minus binds to its group


@pytest.mark.parametrize("query, why", [
    ('"bụi than', "ngoặc kép"),
    ("OR lũ", "OR"),
    ("lũ OR", "OR"),
    ("lũ OR OR ngập", "OR"),
    ("-lũ", "ít nhất một từ"),
    ('""', "không chứa chữ"),
    ("lũ -", "dấu trừ"),
])
def test_unreadable_queries_say_why(query, why):
    with pytest.raises(QueryError, match=why):
        parse(query)


def test_parse_forms():
    q = parse('bụi than OR "ô nhiễm" -lũ COVID-19')
    assert q is not None and len(q.groups) == 2
    assert [(t.words, t.negated, t.quoted) for t in q.groups[1]] == [
        (("ô", "nhiễm"), False, True), (("lũ",), True, False), (("covid", "19"), False, True)]
    assert parse("   ") is None and parse("!!") is None


def test_query_folding_agrees_with_the_index_sql():
    text = ("Àà Áá Ảả Ãã Ạạ Ăă Ằằ Ắắ Ẳẳ Ẵẵ Ặặ Ââ Ầầ Ấấ Ẩẩ Ẫẫ Ậậ Đđ Èè Éé Ẻẻ Ẽẽ Ẹẹ Êê Ềề Ếế Ểể Ễễ Ệệ Ìì Íí "
            "Ỉỉ Ĩĩ Ịị Òò Óó Ỏỏ Õõ Ọọ Ôô Ồồ Ốố Ổổ Ỗỗ Ộộ Ơơ Ờờ Ớớ Ởở Ỡỡ Ợợ Ùù Úú Ủủ Ũũ Ụụ Ưư Ừừ Ứứ Ửử Ữữ "
            "Ựự Ỳỳ Ýý Ỷỷ Ỹỹ Ỵỵ nghiêng_ngả COVID-19 m3/ngày")
    con = duckdb.connect()
    sql_toks = con.execute(r"SELECT regexp_extract_all(lower(?), '[\pL\pM\pN]+')", [text]).fetchone()[0]
    assert sql_toks == syllables(text)
    sql_fold = [con.execute("SELECT strip_accents(replace(?, 'đ', 'd'))", [t]).fetchone()[0] for t in sql_toks]
    assert sql_fold == [fold(t) for t in sql_toks]


# --- ranking, counts, filters -------------------------------------------------------------------

def test_bm25_ranks_more_occurrences_higher_and_total_counts_all_matches(tmp_path):
    with Database(tmp_path / "r.duckdb") as d:
        with d.write() as cur:
            store_items.insert_items(cur, [
                item("x1", "Ngập ở phố", "Mưa to.", hours_ago=1),
                item("x2", "Ngập ngập ngập", "Ngập sâu, ngập lâu.", hours_ago=3),
                item("x3", "Tin khác", "Không liên quan.", hours_ago=2),
            ])
        assert keys(d, "ngập") == ["x2", "x1"]
        assert keys(d, "ngập", order="newest") == ["x1", "x2"]
        with d.read() as cur:
            res = S.search(cur, "ngập", limit=1)
        assert res.total == 2 and len(res.items) == 1 and res.items["score"].iloc[0] > 0
        assert keys(d, "ngập", since=NOW - timedelta(hours=2)) == ["x1"]


def test_full_text_is_searched_once_saved_and_phrases_do_not_span_fields(tmp_path):
    with Database(tmp_path / "f.duckdb") as d:
        with d.write() as cur:
            store_items.insert_items(cur, [item("body", "Tiêu đề ngắn", "Tóm tắt", hours_ago=1)])
        assert keys(d, "sạt lở") == []
        with d.write() as cur:
            store_fulltext.save_many(cur, [store_fulltext.Extracted(press_id("body"),
                                                                    "Mưa lớn gây sạt lở đất.", "ok", "https://bao.vn/body")],
                                     now=NOW)
        assert keys(d, '"sạt lở"') == ["body"]
        assert keys(d, '"tóm tắt mưa"') == []  # summary end + body start are not a phrase
        with d.write() as cur:  # text replaced: the old body no longer matches
            store_fulltext.save_many(cur, [store_fulltext.Extracted(press_id("body"),
                                                                    "Nắng nóng kéo dài.", "ok", "https://bao.vn/body")],
                                     now=NOW)
        assert keys(d, "sạt") == [] and keys(d, "nắng") == ["body"]


def test_compaction_keeps_results_and_sorts_the_tail(db):
    before = {q: keys(db, q) for q in ("lũ", "ô nhiễm", "than -bụi")}
    with db.write() as cur:
        assert S.tail_rows(cur) > 0
        S.compact(cur, NOW)
        assert S.tail_rows(cur) == 0
        assert S.index_missing(cur) == 0
    assert {q: keys(db, q) for q in before} == before


def test_compaction_in_ranges_covers_every_posting_once_and_ends_sorted(db):
    before = {q: keys(db, q) for q in ("lũ", "ô nhiễm", "than -bụi", '"bụi than"')}
    with db.read() as cur:
        total = S.postings(cur)
        mark = S.tail_mark(cur)
        plan = S.compact_plan(cur, chunk_rows=10)
    assert len(plan) > 3 and plan[0][0] == "" and plan[-1][1] is None
    assert all(a[1] == b[0] for a, b in zip(plan, plan[1:]))  # ranges meet end to start
    moved = 0
    for lo, hi in plan:  # one short transaction each
        with db.write() as cur:
            moved += S.compact_range(cur, lo, hi)
    with db.write() as cur:
        S.compact_done(cur, mark, NOW)
        assert S.tail_rows(cur) == 0
        terms = [r[0] for r in cur.execute("SELECT term FROM search_postings").fetchall()]
    assert moved == total == len(terms) and terms == sorted(terms)
    assert {q: keys(db, q) for q in before} == before


def test_existing_items_are_indexed_by_the_migration(tmp_path):
    path = tmp_path / "old.duckdb"
    with Database(path) as d:
        with d.write() as cur:
            store_items.insert_items(cur, [item("lu", *CORPUS["lu"])])
            cur.execute("DROP MACRO TABLE search_postings_of")
            cur.execute("DROP MACRO TABLE search_docs")
            for t in ("search_postings", "item_search", "search_state"):
                cur.execute(f"DROP TABLE {t}")
            cur.execute("DELETE FROM schema_migrations WHERE version = 60")
    with Database(path) as d:  # reopening applies 060 again, which indexes what is there
        assert keys(d, "lũ") == ["lu"]


# --- hostile queries (round 18, docs/SECURITY.md "Forms and pages") ------------------------------------------

@pytest.mark.parametrize("query, why", [
    ("a" * 100_000, "tối đa 1.000 ký tự"),  # a 100 kB paste: refused before it is read
    (" ".join(f'"{a} {b}"' for a in ("bụi", "than", "ô") for b in ("nhiễm", "lũ", "mưa", "gió", "bay", "mù", "dày",
                                                                  "đặc", "kín"))[:999], "tối đa 24 từ hoặc cụm từ"),
    ('"' + "bụi than " * 17 + '"', "tối đa 32 âm tiết"),
    ("!" * 2_000, "tối đa 1.000 ký tự"),  # nothing to find, and still too long
])
def test_a_query_too_long_to_search_quickly_says_why(query, why):
    """A word typed 64 times took 9.9 s, a 100 kB paste 32 s and then a DuckDB «max expression depth» error.
    A query read without the bounds (a watchlist saved before them) is judged by them without reading it again."""
    with pytest.raises(QueryError, match=why) as refused:
        parse(query)
    assert over_bounds(query, parse(query, bounded=False)) == str(refused.value)
    assert over_bounds("bụi than", parse("bụi than", bounded=False)) is None


def test_the_same_word_many_times_is_one_term(db):
    q = parse("bụi " * 200)
    assert q is not None and [[t.words for t in g] for g in q.groups] == [[("bụi",)]]
    assert sorted(keys(db, "than " * 200)) == sorted(keys(db, "than"))


@pytest.mark.parametrize("query, same_as", [
    (".* [a-z]+ (bụi|than) \\d+ ^$", "a z bụi than d"), ("than'; DROP TABLE items;", "than drop table items"),
    ("than' OR '1'='1", "than OR 1"), ("\u202ethan\u200b\u2066 \u2069", "than"), ("than\x00", "than"),
    ("than \ud83d", "than"), ("😡 than 🔥", "than"), ("%_ than \\", "than"), ("(((( than ))))", "than"),
])
def test_regex_sql_and_invisible_characters_are_plain_text(db, query, same_as):
    """Words go into the SQL as escaped literals of their syllables: regex and SQL are only punctuation, and
    bidi, zero-width, NUL and half an emoji are not syllables."""
    with db.read() as cur:
        before = cur.execute("SELECT count(*) FROM items").fetchone()[0]
    assert sorted(keys(db, query)) == sorted(keys(db, same_as))
    with db.read() as cur:
        assert cur.execute("SELECT count(*) FROM items").fetchone()[0] == before
