-- Item search (store/search.py): an inverted index of whole syllables over title, summary and full text.
-- 060–069 is the search range. Tokenising is SQL here (one definition for the first build below and for
-- every later insert), so the query side (store/search_query.py) must fold and split the same way.

-- One row per indexed item: what BM25 needs (length) and what matching needs (written without diacritics).
-- (The tables here have the shape migration 160 gave them: a database created since indexes by doc number
-- from the start, and 160 then finds nothing to convert.)
CREATE TABLE item_search (
    doc          INTEGER NOT NULL,   -- the item's number in search_postings (search_state.next_doc hands them out)
    item_id      VARCHAR PRIMARY KEY,
    published_at TIMESTAMP NOT NULL,
    plain        BOOLEAN NOT NULL,   -- title + summary have no Vietnamese diacritic letter
    n_tokens     INTEGER NOT NULL,   -- syllables in title + summary
    n_full       INTEGER NOT NULL,   -- syllables in the stored full text (0: none indexed)
    fulltext     BOOLEAN NOT NULL    -- the stored full text is indexed
);

-- Postings: one row per (term, item, field). A term is a lower-case syllable folded (no marks, đ→d), or,
-- for syllables with diacritics, also the exact lower-case syllable; the two never collide because an
-- exact term always carries a mark. Positions let phrases be checked. Kept sorted by term up to
-- search_state.sorted_rows (rows appended since are the unsorted tail; store.search.compact re-sorts),
-- so a term lookup reads only the row groups holding that term.
CREATE TABLE search_postings (
    term         VARCHAR NOT NULL,
    doc          INTEGER NOT NULL,   -- item_search.doc
    field        TINYINT NOT NULL,   -- 0 title + summary, 1 full text
    tf           INTEGER NOT NULL,
    pos          INTEGER[] NOT NULL, -- 1-based syllable positions within the field
    plain        BOOLEAN NOT NULL,
    published_at TIMESTAMP NOT NULL
);

CREATE TABLE search_state (
    sorted_rows  BIGINT NOT NULL,
    compacted_at TIMESTAMP,
    next_doc     BIGINT              -- the next item_search.doc to hand out
);

-- Documents to index: field 0 is title + summary (a NULL between keeps a phrase from spanning them),
-- field 1 the full text. `ids` NULL means every item.
CREATE MACRO search_docs(ids, with_title, with_full) AS TABLE
    WITH it AS (
        SELECT i.id, i.published_at, i.title, i.summary,
               NOT regexp_matches(lower(i.title || ' ' || i.summary),
                   '[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]') AS plain
        FROM items i
        WHERE ids IS NULL OR i.id IN (SELECT unnest(ids))
    )
    SELECT id AS item_id, 0::TINYINT AS field, published_at, plain,
           regexp_extract_all(lower(title), '[\pL\pM\pN]+') || [NULL::VARCHAR]
               || regexp_extract_all(lower(summary), '[\pL\pM\pN]+') AS toks
    FROM it WHERE with_title
    UNION ALL
    SELECT it.id, 1::TINYINT, it.published_at, it.plain, regexp_extract_all(lower(f.text), '[\pL\pM\pN]+')
    FROM it JOIN item_fulltext f ON f.item_id = it.id
    WHERE with_full AND f.status = 'ok' AND f.text IS NOT NULL;

-- Postings of those documents (folded term for every syllable, exact term for those with marks).
CREATE MACRO search_postings_of(ids, with_title, with_full) AS TABLE
    WITH t AS (
        SELECT item_id, field, published_at, plain, unnest(toks) AS tok,
               unnest(range(1, len(toks) + 1))::INTEGER AS pos
        FROM search_docs(ids, with_title, with_full)
    ), f AS (
        SELECT *, strip_accents(replace(tok, 'đ', 'd')) AS folded FROM t WHERE tok IS NOT NULL
    )
    SELECT folded AS term, item_id, field, count(*)::INTEGER AS tf, list(pos ORDER BY pos) AS pos,
           any_value(plain) AS plain, any_value(published_at) AS published_at
    FROM f GROUP BY folded, item_id, field
    UNION ALL
    SELECT tok, item_id, field, count(*)::INTEGER, list(pos ORDER BY pos), any_value(plain), any_value(published_at)
    FROM f WHERE tok <> folded GROUP BY tok, item_id, field;

-- The first build, for a database that already holds items (store.search.index_items does the same).
CREATE TEMP TABLE _search_new AS SELECT * FROM search_postings_of(NULL, TRUE, TRUE);
INSERT INTO item_search
    SELECT row_number() OVER (ORDER BY i.published_at, i.id)::INTEGER AS d, i.id, i.published_at,
           coalesce(s.plain, TRUE), coalesce(s.n_title, 0), coalesce(s.n_full, 0), coalesce(s.n_full, 0) > 0
    FROM items i LEFT JOIN (
        SELECT item_id, bool_or(plain) AS plain,
               sum(m) FILTER (WHERE field = 0)::INTEGER AS n_title, sum(m) FILTER (WHERE field = 1)::INTEGER AS n_full
        FROM (SELECT item_id, field, any_value(plain) AS plain, max(list_max(pos)) AS m
              FROM _search_new GROUP BY item_id, field)
        GROUP BY item_id
    ) s ON s.item_id = i.id
    ORDER BY d;
INSERT INTO search_postings
    SELECT n.term, s.doc, n.field, n.tf, n.pos, n.plain, n.published_at
    FROM _search_new n JOIN item_search s ON s.item_id = n.item_id
    ORDER BY n.term, n.plain, n.published_at;
DROP TABLE _search_new;
INSERT INTO search_state SELECT count(*), NULL, (SELECT coalesce(max(doc), 0) + 1 FROM item_search) FROM search_postings;
