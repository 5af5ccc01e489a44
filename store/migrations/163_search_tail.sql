-- The unsorted tail of the search postings counted where it grows and shrinks (round 20). Why: the tail was read as
-- count(*) of search_postings minus search_state.sorted_rows, so once retention purged postings of sorted items the
-- tail read short (to 0 with millions of rows unsorted) and the sort that keeps lookups on their term's row groups
-- waited for as many new postings as were purged. Now every append of postings adds a row here per (doc, field) with
-- its count, a purge or a replaced full text deletes its docs' rows, and a finished sort deletes the rows it covered
-- (seq up to the one read when the sort was planned): store.search.tail_rows is sum(n), right after any purge.
-- search_state.sorted_rows is no longer read.
CREATE TABLE search_tail (
    doc   INTEGER,          -- item_search.doc; NULL only on the row below (the tail this migration found)
    field TINYINT,          -- search_postings.field
    n     BIGINT NOT NULL,  -- postings appended for (doc, field) and not sorted since
    seq   BIGINT NOT NULL   -- which append (search_state.tail_seq, one number per store.search._append_new call)
);
ALTER TABLE search_state ADD COLUMN tail_seq BIGINT DEFAULT 0;  -- the last seq handed out (never reused)
-- backfill if rows in search_postings
-- The tail as the old count read it (which docs it holds is not known): gone at the next sort.
INSERT INTO search_tail
    SELECT NULL, NULL, p.total - coalesce(s.sorted_rows, 0), 0
    FROM (SELECT count(*) AS total FROM search_postings) p LEFT JOIN search_state s ON TRUE
    WHERE p.total > coalesce(s.sorted_rows, 0);
-- end backfill
