-- Search index keyed by integer document numbers (issue 14: search at 1M items). 160–169 is this range.
-- Every join, set operation and group-by of a search hashed the 40-character item id of each posting;
-- now `item_search.doc` numbers the indexed items and `search_postings.doc` refers to it, so they hash
-- plain integers and the item id is read for the page of results only. Doc numbers are handed out from
-- `search_state.next_doc` and never reused (a purged item's number stays unused).
--
-- Converts the index 060 built (postings by item_id) in place of rebuilding it: no re-tokenising, one
-- sort. Written to also run where 060 already made the new shape (a database first created with this
-- version): the ALTERs add what is missing, so the same statements apply to both.

ALTER TABLE item_search ADD COLUMN IF NOT EXISTS doc INTEGER;
ALTER TABLE search_postings ADD COLUMN IF NOT EXISTS doc INTEGER;
ALTER TABLE search_postings ADD COLUMN IF NOT EXISTS item_id VARCHAR;
ALTER TABLE search_state ADD COLUMN IF NOT EXISTS next_doc BIGINT;

CREATE TABLE item_search_v160 (
    doc          INTEGER NOT NULL,   -- the item's number in search_postings
    item_id      VARCHAR PRIMARY KEY,
    published_at TIMESTAMP NOT NULL,
    plain        BOOLEAN NOT NULL,
    n_tokens     INTEGER NOT NULL,
    n_full       INTEGER NOT NULL,
    fulltext     BOOLEAN NOT NULL
);
-- numbered oldest first, so doc order is roughly time order (rows stay in doc order: lookups prune)
INSERT INTO item_search_v160
    SELECT coalesce(doc, row_number() OVER (ORDER BY published_at, item_id))::INTEGER AS d, item_id, published_at,
           plain, n_tokens, n_full, fulltext
    FROM item_search ORDER BY d;

CREATE TABLE search_postings_v160 (
    term         VARCHAR NOT NULL,
    doc          INTEGER NOT NULL,
    field        TINYINT NOT NULL,
    tf           INTEGER NOT NULL,
    pos          INTEGER[] NOT NULL,
    plain        BOOLEAN NOT NULL,
    published_at TIMESTAMP NOT NULL
);
-- postings of items no longer in item_search (none expected) are dropped. Sorted one range of terms at
-- a time (by first letters; marked letters sort after z), so the sort holds one range in memory, not
-- every posting at once (46M postings at 1M items: ~6 GB in one sort).
INSERT INTO search_postings_v160
    SELECT p.term, coalesce(p.doc, s.doc) AS d, p.field, p.tf, p.pos, p.plain, p.published_at
    FROM search_postings p LEFT JOIN item_search_v160 s ON s.item_id = p.item_id
    WHERE p.term >= '' AND p.term < 'b' AND coalesce(p.doc, s.doc) IS NOT NULL
    ORDER BY p.term, p.plain, p.published_at;
INSERT INTO search_postings_v160
    SELECT p.term, coalesce(p.doc, s.doc) AS d, p.field, p.tf, p.pos, p.plain, p.published_at
    FROM search_postings p LEFT JOIN item_search_v160 s ON s.item_id = p.item_id
    WHERE p.term >= 'b' AND p.term < 'c' AND coalesce(p.doc, s.doc) IS NOT NULL
    ORDER BY p.term, p.plain, p.published_at;
INSERT INTO search_postings_v160
    SELECT p.term, coalesce(p.doc, s.doc) AS d, p.field, p.tf, p.pos, p.plain, p.published_at
    FROM search_postings p LEFT JOIN item_search_v160 s ON s.item_id = p.item_id
    WHERE p.term >= 'c' AND p.term < 'ch' AND coalesce(p.doc, s.doc) IS NOT NULL
    ORDER BY p.term, p.plain, p.published_at;
INSERT INTO search_postings_v160
    SELECT p.term, coalesce(p.doc, s.doc) AS d, p.field, p.tf, p.pos, p.plain, p.published_at
    FROM search_postings p LEFT JOIN item_search_v160 s ON s.item_id = p.item_id
    WHERE p.term >= 'ch' AND p.term < 'd' AND coalesce(p.doc, s.doc) IS NOT NULL
    ORDER BY p.term, p.plain, p.published_at;
INSERT INTO search_postings_v160
    SELECT p.term, coalesce(p.doc, s.doc) AS d, p.field, p.tf, p.pos, p.plain, p.published_at
    FROM search_postings p LEFT JOIN item_search_v160 s ON s.item_id = p.item_id
    WHERE p.term >= 'd' AND p.term < 'g' AND coalesce(p.doc, s.doc) IS NOT NULL
    ORDER BY p.term, p.plain, p.published_at;
INSERT INTO search_postings_v160
    SELECT p.term, coalesce(p.doc, s.doc) AS d, p.field, p.tf, p.pos, p.plain, p.published_at
    FROM search_postings p LEFT JOIN item_search_v160 s ON s.item_id = p.item_id
    WHERE p.term >= 'g' AND p.term < 'h' AND coalesce(p.doc, s.doc) IS NOT NULL
    ORDER BY p.term, p.plain, p.published_at;
INSERT INTO search_postings_v160
    SELECT p.term, coalesce(p.doc, s.doc) AS d, p.field, p.tf, p.pos, p.plain, p.published_at
    FROM search_postings p LEFT JOIN item_search_v160 s ON s.item_id = p.item_id
    WHERE p.term >= 'h' AND p.term < 'k' AND coalesce(p.doc, s.doc) IS NOT NULL
    ORDER BY p.term, p.plain, p.published_at;
INSERT INTO search_postings_v160
    SELECT p.term, coalesce(p.doc, s.doc) AS d, p.field, p.tf, p.pos, p.plain, p.published_at
    FROM search_postings p LEFT JOIN item_search_v160 s ON s.item_id = p.item_id
    WHERE p.term >= 'k' AND p.term < 'l' AND coalesce(p.doc, s.doc) IS NOT NULL
    ORDER BY p.term, p.plain, p.published_at;
INSERT INTO search_postings_v160
    SELECT p.term, coalesce(p.doc, s.doc) AS d, p.field, p.tf, p.pos, p.plain, p.published_at
    FROM search_postings p LEFT JOIN item_search_v160 s ON s.item_id = p.item_id
    WHERE p.term >= 'l' AND p.term < 'm' AND coalesce(p.doc, s.doc) IS NOT NULL
    ORDER BY p.term, p.plain, p.published_at;
INSERT INTO search_postings_v160
    SELECT p.term, coalesce(p.doc, s.doc) AS d, p.field, p.tf, p.pos, p.plain, p.published_at
    FROM search_postings p LEFT JOIN item_search_v160 s ON s.item_id = p.item_id
    WHERE p.term >= 'm' AND p.term < 'n' AND coalesce(p.doc, s.doc) IS NOT NULL
    ORDER BY p.term, p.plain, p.published_at;
INSERT INTO search_postings_v160
    SELECT p.term, coalesce(p.doc, s.doc) AS d, p.field, p.tf, p.pos, p.plain, p.published_at
    FROM search_postings p LEFT JOIN item_search_v160 s ON s.item_id = p.item_id
    WHERE p.term >= 'n' AND p.term < 'ng' AND coalesce(p.doc, s.doc) IS NOT NULL
    ORDER BY p.term, p.plain, p.published_at;
INSERT INTO search_postings_v160
    SELECT p.term, coalesce(p.doc, s.doc) AS d, p.field, p.tf, p.pos, p.plain, p.published_at
    FROM search_postings p LEFT JOIN item_search_v160 s ON s.item_id = p.item_id
    WHERE p.term >= 'ng' AND p.term < 'nh' AND coalesce(p.doc, s.doc) IS NOT NULL
    ORDER BY p.term, p.plain, p.published_at;
INSERT INTO search_postings_v160
    SELECT p.term, coalesce(p.doc, s.doc) AS d, p.field, p.tf, p.pos, p.plain, p.published_at
    FROM search_postings p LEFT JOIN item_search_v160 s ON s.item_id = p.item_id
    WHERE p.term >= 'nh' AND p.term < 'p' AND coalesce(p.doc, s.doc) IS NOT NULL
    ORDER BY p.term, p.plain, p.published_at;
INSERT INTO search_postings_v160
    SELECT p.term, coalesce(p.doc, s.doc) AS d, p.field, p.tf, p.pos, p.plain, p.published_at
    FROM search_postings p LEFT JOIN item_search_v160 s ON s.item_id = p.item_id
    WHERE p.term >= 'p' AND p.term < 'q' AND coalesce(p.doc, s.doc) IS NOT NULL
    ORDER BY p.term, p.plain, p.published_at;
INSERT INTO search_postings_v160
    SELECT p.term, coalesce(p.doc, s.doc) AS d, p.field, p.tf, p.pos, p.plain, p.published_at
    FROM search_postings p LEFT JOIN item_search_v160 s ON s.item_id = p.item_id
    WHERE p.term >= 'q' AND p.term < 's' AND coalesce(p.doc, s.doc) IS NOT NULL
    ORDER BY p.term, p.plain, p.published_at;
INSERT INTO search_postings_v160
    SELECT p.term, coalesce(p.doc, s.doc) AS d, p.field, p.tf, p.pos, p.plain, p.published_at
    FROM search_postings p LEFT JOIN item_search_v160 s ON s.item_id = p.item_id
    WHERE p.term >= 's' AND p.term < 't' AND coalesce(p.doc, s.doc) IS NOT NULL
    ORDER BY p.term, p.plain, p.published_at;
INSERT INTO search_postings_v160
    SELECT p.term, coalesce(p.doc, s.doc) AS d, p.field, p.tf, p.pos, p.plain, p.published_at
    FROM search_postings p LEFT JOIN item_search_v160 s ON s.item_id = p.item_id
    WHERE p.term >= 't' AND p.term < 'th' AND coalesce(p.doc, s.doc) IS NOT NULL
    ORDER BY p.term, p.plain, p.published_at;
INSERT INTO search_postings_v160
    SELECT p.term, coalesce(p.doc, s.doc) AS d, p.field, p.tf, p.pos, p.plain, p.published_at
    FROM search_postings p LEFT JOIN item_search_v160 s ON s.item_id = p.item_id
    WHERE p.term >= 'th' AND p.term < 'tr' AND coalesce(p.doc, s.doc) IS NOT NULL
    ORDER BY p.term, p.plain, p.published_at;
INSERT INTO search_postings_v160
    SELECT p.term, coalesce(p.doc, s.doc) AS d, p.field, p.tf, p.pos, p.plain, p.published_at
    FROM search_postings p LEFT JOIN item_search_v160 s ON s.item_id = p.item_id
    WHERE p.term >= 'tr' AND p.term < 'u' AND coalesce(p.doc, s.doc) IS NOT NULL
    ORDER BY p.term, p.plain, p.published_at;
INSERT INTO search_postings_v160
    SELECT p.term, coalesce(p.doc, s.doc) AS d, p.field, p.tf, p.pos, p.plain, p.published_at
    FROM search_postings p LEFT JOIN item_search_v160 s ON s.item_id = p.item_id
    WHERE p.term >= 'u' AND p.term < 'v' AND coalesce(p.doc, s.doc) IS NOT NULL
    ORDER BY p.term, p.plain, p.published_at;
INSERT INTO search_postings_v160
    SELECT p.term, coalesce(p.doc, s.doc) AS d, p.field, p.tf, p.pos, p.plain, p.published_at
    FROM search_postings p LEFT JOIN item_search_v160 s ON s.item_id = p.item_id
    WHERE p.term >= 'v' AND p.term < 'x' AND coalesce(p.doc, s.doc) IS NOT NULL
    ORDER BY p.term, p.plain, p.published_at;
INSERT INTO search_postings_v160
    SELECT p.term, coalesce(p.doc, s.doc) AS d, p.field, p.tf, p.pos, p.plain, p.published_at
    FROM search_postings p LEFT JOIN item_search_v160 s ON s.item_id = p.item_id
    WHERE p.term >= 'x' AND p.term < 'y' AND coalesce(p.doc, s.doc) IS NOT NULL
    ORDER BY p.term, p.plain, p.published_at;
INSERT INTO search_postings_v160
    SELECT p.term, coalesce(p.doc, s.doc) AS d, p.field, p.tf, p.pos, p.plain, p.published_at
    FROM search_postings p LEFT JOIN item_search_v160 s ON s.item_id = p.item_id
    WHERE p.term >= 'y' AND p.term < 'z' AND coalesce(p.doc, s.doc) IS NOT NULL
    ORDER BY p.term, p.plain, p.published_at;
INSERT INTO search_postings_v160
    SELECT p.term, coalesce(p.doc, s.doc) AS d, p.field, p.tf, p.pos, p.plain, p.published_at
    FROM search_postings p LEFT JOIN item_search_v160 s ON s.item_id = p.item_id
    WHERE p.term >= 'z' AND coalesce(p.doc, s.doc) IS NOT NULL
    ORDER BY p.term, p.plain, p.published_at;

DROP TABLE search_postings;
ALTER TABLE search_postings_v160 RENAME TO search_postings;
DROP TABLE item_search;
ALTER TABLE item_search_v160 RENAME TO item_search;

DELETE FROM search_state;
INSERT INTO search_state (sorted_rows, compacted_at, next_doc)
    SELECT (SELECT count(*) FROM search_postings), NULL, (SELECT coalesce(max(doc), 0) + 1 FROM item_search);
