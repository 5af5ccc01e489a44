-- Adjacent-syllable pairs as terms (issue 14: the all-time boolean search at 1M items). 161–169 is this range.
-- A two-word phrase ("bụi than", "ô nhiễm") was an equi-join of the two words' unnested positions
-- (130k positions a side for a common word at 1M items); now it is one lookup of a pair term in
-- `search_pairs`, a row per pair occurrence (doc, field), sorted by term like search_postings. Keys, as
-- for single syllables: the folded pair ("bui than") for every pair, and the pair as written ("bụi thân")
-- when either syllable has a mark. store.search reads it for two-word phrases typed fully without marks
-- (folded key), fully with marks (exact key, plus the folded key in items without diacritics), or with
-- marks on the first word only (a range of exact keys starting with that word, filtered on the second
-- word's folded form); other phrases keep the join of positions. A pair never spans the title/summary gap.

CREATE TABLE search_pairs (
    term         VARCHAR NOT NULL,   -- "syllable syllable", folded or as written
    doc          INTEGER NOT NULL,   -- item_search.doc
    field        TINYINT NOT NULL,   -- 0 title + summary, 1 full text
    plain        BOOLEAN NOT NULL,
    published_at TIMESTAMP NOT NULL
);

-- Pair terms of the documents in the table named `docs` (rows of search_docs with their doc number:
-- doc, field, published_at, plain, toks), so an insert tokenises its items once for postings and pairs. A row per
-- pair occurrence, not grouped (a lookup takes the distinct doc numbers; grouping cost as much as all
-- the rest).
CREATE MACRO search_pairs_in(docs) AS TABLE
    WITH d AS (
        SELECT *, list_transform(toks, lambda x: strip_accents(replace(x, 'đ', 'd'))) AS folded
        FROM query_table(docs)
    ), t AS (
        SELECT doc, field, published_at, plain, unnest(toks[1:len(toks) - 1]) AS a, unnest(toks[2:len(toks)]) AS b,
               unnest(folded[1:len(toks) - 1]) AS fa, unnest(folded[2:len(toks)]) AS fb
        FROM d
    ), f AS MATERIALIZED (
        SELECT *, fa || ' ' || fb AS folded, a || ' ' || b AS exact FROM t WHERE a IS NOT NULL AND b IS NOT NULL
    )
    SELECT folded AS term, doc, field, plain, published_at FROM f
    UNION ALL
    SELECT exact, doc, field, plain, published_at FROM f WHERE exact <> folded;

-- Postings of the documents in the table named `docs`: the same as search_postings_of (060), which
-- tokenises by item ids itself.
CREATE MACRO search_postings_in(docs) AS TABLE
    WITH t AS (
        SELECT item_id, field, published_at, plain, unnest(toks) AS tok,
               unnest(range(1, len(toks) + 1))::INTEGER AS pos
        FROM query_table(docs)
    ), f AS (
        SELECT *, strip_accents(replace(tok, 'đ', 'd')) AS folded FROM t WHERE tok IS NOT NULL
    )
    SELECT folded AS term, item_id, field, count(*)::INTEGER AS tf, list(pos ORDER BY pos) AS pos,
           any_value(plain) AS plain, any_value(published_at) AS published_at
    FROM f GROUP BY folded, item_id, field
    UNION ALL
    SELECT tok, item_id, field, count(*)::INTEGER, list(pos ORDER BY pos), any_value(plain), any_value(published_at)
    FROM f WHERE tok <> folded GROUP BY tok, item_id, field;

-- The first build, in bounded memory: the items are tokenised in sixteen ranges of doc numbers into an
-- unsorted stage, which is then sorted into search_pairs one range of first letters at a time. Left out
-- by store.db when item_search is empty (a new database): planning these statements cost 0.1 s.
-- backfill if rows in item_search
CREATE TABLE search_pairs_stage AS SELECT * FROM search_pairs WHERE FALSE;
CREATE OR REPLACE TEMP TABLE _search_pair_docs AS SELECT s.doc, d.* FROM search_docs(
    (SELECT coalesce(list(item_id), []::VARCHAR[]) FROM item_search, (SELECT max(doc) AS m FROM item_search) x
     WHERE doc > 0 * x.m / 16 AND doc <= 1 * x.m / 16), TRUE, TRUE) d JOIN item_search s ON s.item_id = d.item_id;
INSERT INTO search_pairs_stage SELECT * FROM search_pairs_in('_search_pair_docs');
CREATE OR REPLACE TEMP TABLE _search_pair_docs AS SELECT s.doc, d.* FROM search_docs(
    (SELECT coalesce(list(item_id), []::VARCHAR[]) FROM item_search, (SELECT max(doc) AS m FROM item_search) x
     WHERE doc > 1 * x.m / 16 AND doc <= 2 * x.m / 16), TRUE, TRUE) d JOIN item_search s ON s.item_id = d.item_id;
INSERT INTO search_pairs_stage SELECT * FROM search_pairs_in('_search_pair_docs');
CREATE OR REPLACE TEMP TABLE _search_pair_docs AS SELECT s.doc, d.* FROM search_docs(
    (SELECT coalesce(list(item_id), []::VARCHAR[]) FROM item_search, (SELECT max(doc) AS m FROM item_search) x
     WHERE doc > 2 * x.m / 16 AND doc <= 3 * x.m / 16), TRUE, TRUE) d JOIN item_search s ON s.item_id = d.item_id;
INSERT INTO search_pairs_stage SELECT * FROM search_pairs_in('_search_pair_docs');
CREATE OR REPLACE TEMP TABLE _search_pair_docs AS SELECT s.doc, d.* FROM search_docs(
    (SELECT coalesce(list(item_id), []::VARCHAR[]) FROM item_search, (SELECT max(doc) AS m FROM item_search) x
     WHERE doc > 3 * x.m / 16 AND doc <= 4 * x.m / 16), TRUE, TRUE) d JOIN item_search s ON s.item_id = d.item_id;
INSERT INTO search_pairs_stage SELECT * FROM search_pairs_in('_search_pair_docs');
CREATE OR REPLACE TEMP TABLE _search_pair_docs AS SELECT s.doc, d.* FROM search_docs(
    (SELECT coalesce(list(item_id), []::VARCHAR[]) FROM item_search, (SELECT max(doc) AS m FROM item_search) x
     WHERE doc > 4 * x.m / 16 AND doc <= 5 * x.m / 16), TRUE, TRUE) d JOIN item_search s ON s.item_id = d.item_id;
INSERT INTO search_pairs_stage SELECT * FROM search_pairs_in('_search_pair_docs');
CREATE OR REPLACE TEMP TABLE _search_pair_docs AS SELECT s.doc, d.* FROM search_docs(
    (SELECT coalesce(list(item_id), []::VARCHAR[]) FROM item_search, (SELECT max(doc) AS m FROM item_search) x
     WHERE doc > 5 * x.m / 16 AND doc <= 6 * x.m / 16), TRUE, TRUE) d JOIN item_search s ON s.item_id = d.item_id;
INSERT INTO search_pairs_stage SELECT * FROM search_pairs_in('_search_pair_docs');
CREATE OR REPLACE TEMP TABLE _search_pair_docs AS SELECT s.doc, d.* FROM search_docs(
    (SELECT coalesce(list(item_id), []::VARCHAR[]) FROM item_search, (SELECT max(doc) AS m FROM item_search) x
     WHERE doc > 6 * x.m / 16 AND doc <= 7 * x.m / 16), TRUE, TRUE) d JOIN item_search s ON s.item_id = d.item_id;
INSERT INTO search_pairs_stage SELECT * FROM search_pairs_in('_search_pair_docs');
CREATE OR REPLACE TEMP TABLE _search_pair_docs AS SELECT s.doc, d.* FROM search_docs(
    (SELECT coalesce(list(item_id), []::VARCHAR[]) FROM item_search, (SELECT max(doc) AS m FROM item_search) x
     WHERE doc > 7 * x.m / 16 AND doc <= 8 * x.m / 16), TRUE, TRUE) d JOIN item_search s ON s.item_id = d.item_id;
INSERT INTO search_pairs_stage SELECT * FROM search_pairs_in('_search_pair_docs');
CREATE OR REPLACE TEMP TABLE _search_pair_docs AS SELECT s.doc, d.* FROM search_docs(
    (SELECT coalesce(list(item_id), []::VARCHAR[]) FROM item_search, (SELECT max(doc) AS m FROM item_search) x
     WHERE doc > 8 * x.m / 16 AND doc <= 9 * x.m / 16), TRUE, TRUE) d JOIN item_search s ON s.item_id = d.item_id;
INSERT INTO search_pairs_stage SELECT * FROM search_pairs_in('_search_pair_docs');
CREATE OR REPLACE TEMP TABLE _search_pair_docs AS SELECT s.doc, d.* FROM search_docs(
    (SELECT coalesce(list(item_id), []::VARCHAR[]) FROM item_search, (SELECT max(doc) AS m FROM item_search) x
     WHERE doc > 9 * x.m / 16 AND doc <= 10 * x.m / 16), TRUE, TRUE) d JOIN item_search s ON s.item_id = d.item_id;
INSERT INTO search_pairs_stage SELECT * FROM search_pairs_in('_search_pair_docs');
CREATE OR REPLACE TEMP TABLE _search_pair_docs AS SELECT s.doc, d.* FROM search_docs(
    (SELECT coalesce(list(item_id), []::VARCHAR[]) FROM item_search, (SELECT max(doc) AS m FROM item_search) x
     WHERE doc > 10 * x.m / 16 AND doc <= 11 * x.m / 16), TRUE, TRUE) d JOIN item_search s ON s.item_id = d.item_id;
INSERT INTO search_pairs_stage SELECT * FROM search_pairs_in('_search_pair_docs');
CREATE OR REPLACE TEMP TABLE _search_pair_docs AS SELECT s.doc, d.* FROM search_docs(
    (SELECT coalesce(list(item_id), []::VARCHAR[]) FROM item_search, (SELECT max(doc) AS m FROM item_search) x
     WHERE doc > 11 * x.m / 16 AND doc <= 12 * x.m / 16), TRUE, TRUE) d JOIN item_search s ON s.item_id = d.item_id;
INSERT INTO search_pairs_stage SELECT * FROM search_pairs_in('_search_pair_docs');
CREATE OR REPLACE TEMP TABLE _search_pair_docs AS SELECT s.doc, d.* FROM search_docs(
    (SELECT coalesce(list(item_id), []::VARCHAR[]) FROM item_search, (SELECT max(doc) AS m FROM item_search) x
     WHERE doc > 12 * x.m / 16 AND doc <= 13 * x.m / 16), TRUE, TRUE) d JOIN item_search s ON s.item_id = d.item_id;
INSERT INTO search_pairs_stage SELECT * FROM search_pairs_in('_search_pair_docs');
CREATE OR REPLACE TEMP TABLE _search_pair_docs AS SELECT s.doc, d.* FROM search_docs(
    (SELECT coalesce(list(item_id), []::VARCHAR[]) FROM item_search, (SELECT max(doc) AS m FROM item_search) x
     WHERE doc > 13 * x.m / 16 AND doc <= 14 * x.m / 16), TRUE, TRUE) d JOIN item_search s ON s.item_id = d.item_id;
INSERT INTO search_pairs_stage SELECT * FROM search_pairs_in('_search_pair_docs');
CREATE OR REPLACE TEMP TABLE _search_pair_docs AS SELECT s.doc, d.* FROM search_docs(
    (SELECT coalesce(list(item_id), []::VARCHAR[]) FROM item_search, (SELECT max(doc) AS m FROM item_search) x
     WHERE doc > 14 * x.m / 16 AND doc <= 15 * x.m / 16), TRUE, TRUE) d JOIN item_search s ON s.item_id = d.item_id;
INSERT INTO search_pairs_stage SELECT * FROM search_pairs_in('_search_pair_docs');
CREATE OR REPLACE TEMP TABLE _search_pair_docs AS SELECT s.doc, d.* FROM search_docs(
    (SELECT coalesce(list(item_id), []::VARCHAR[]) FROM item_search, (SELECT max(doc) AS m FROM item_search) x
     WHERE doc > 15 * x.m / 16 AND doc <= 16 * x.m / 16), TRUE, TRUE) d JOIN item_search s ON s.item_id = d.item_id;
INSERT INTO search_pairs_stage SELECT * FROM search_pairs_in('_search_pair_docs');
DROP TABLE _search_pair_docs;

INSERT INTO search_pairs SELECT * FROM search_pairs_stage WHERE term >= '' AND term < 'b' ORDER BY term, plain, published_at;
INSERT INTO search_pairs SELECT * FROM search_pairs_stage WHERE term >= 'b' AND term < 'c' ORDER BY term, plain, published_at;
INSERT INTO search_pairs SELECT * FROM search_pairs_stage WHERE term >= 'c' AND term < 'ch' ORDER BY term, plain, published_at;
INSERT INTO search_pairs SELECT * FROM search_pairs_stage WHERE term >= 'ch' AND term < 'd' ORDER BY term, plain, published_at;
INSERT INTO search_pairs SELECT * FROM search_pairs_stage WHERE term >= 'd' AND term < 'g' ORDER BY term, plain, published_at;
INSERT INTO search_pairs SELECT * FROM search_pairs_stage WHERE term >= 'g' AND term < 'h' ORDER BY term, plain, published_at;
INSERT INTO search_pairs SELECT * FROM search_pairs_stage WHERE term >= 'h' AND term < 'k' ORDER BY term, plain, published_at;
INSERT INTO search_pairs SELECT * FROM search_pairs_stage WHERE term >= 'k' AND term < 'l' ORDER BY term, plain, published_at;
INSERT INTO search_pairs SELECT * FROM search_pairs_stage WHERE term >= 'l' AND term < 'm' ORDER BY term, plain, published_at;
INSERT INTO search_pairs SELECT * FROM search_pairs_stage WHERE term >= 'm' AND term < 'n' ORDER BY term, plain, published_at;
INSERT INTO search_pairs SELECT * FROM search_pairs_stage WHERE term >= 'n' AND term < 'ng' ORDER BY term, plain, published_at;
INSERT INTO search_pairs SELECT * FROM search_pairs_stage WHERE term >= 'ng' AND term < 'nh' ORDER BY term, plain, published_at;
INSERT INTO search_pairs SELECT * FROM search_pairs_stage WHERE term >= 'nh' AND term < 'p' ORDER BY term, plain, published_at;
INSERT INTO search_pairs SELECT * FROM search_pairs_stage WHERE term >= 'p' AND term < 'q' ORDER BY term, plain, published_at;
INSERT INTO search_pairs SELECT * FROM search_pairs_stage WHERE term >= 'q' AND term < 's' ORDER BY term, plain, published_at;
INSERT INTO search_pairs SELECT * FROM search_pairs_stage WHERE term >= 's' AND term < 't' ORDER BY term, plain, published_at;
INSERT INTO search_pairs SELECT * FROM search_pairs_stage WHERE term >= 't' AND term < 'th' ORDER BY term, plain, published_at;
INSERT INTO search_pairs SELECT * FROM search_pairs_stage WHERE term >= 'th' AND term < 'tr' ORDER BY term, plain, published_at;
INSERT INTO search_pairs SELECT * FROM search_pairs_stage WHERE term >= 'tr' AND term < 'u' ORDER BY term, plain, published_at;
INSERT INTO search_pairs SELECT * FROM search_pairs_stage WHERE term >= 'u' AND term < 'v' ORDER BY term, plain, published_at;
INSERT INTO search_pairs SELECT * FROM search_pairs_stage WHERE term >= 'v' AND term < 'x' ORDER BY term, plain, published_at;
INSERT INTO search_pairs SELECT * FROM search_pairs_stage WHERE term >= 'x' AND term < 'y' ORDER BY term, plain, published_at;
INSERT INTO search_pairs SELECT * FROM search_pairs_stage WHERE term >= 'y' AND term < 'z' ORDER BY term, plain, published_at;
INSERT INTO search_pairs SELECT * FROM search_pairs_stage WHERE term >= 'z' ORDER BY term, plain, published_at;
DROP TABLE search_pairs_stage;
-- end backfill
