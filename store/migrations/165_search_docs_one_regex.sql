-- search_docs (060) tokenised with one regular expression instead of three (round 27, perf30). Why: DuckDB compiles a
-- constant pattern for every regexp_extract_all in a statement, once when it binds it and again for each thread
-- that runs it, and '[\pL\pM\pN]+' (every Unicode letter, mark and digit) takes about 1–2 ms to compile. The
-- macro held it three times (title, summary, full text), so tokenising one new item cost ~9 ms of which ~7 were
-- compiling; an insert of one item (the live tick, a replay step) paid it every time. Here the texts of a row
-- are a list and one lambda applies the pattern to each: the same tokens, with NULL between the title's and the
-- summary's as before (a row's list holds one text for a full text, so nothing is put between). Same columns,
-- same rows (tests/store/test_search_docs_one_regex.py compares both definitions).
CREATE OR REPLACE MACRO search_docs(ids, with_title, with_full) AS TABLE
    WITH it AS (
        SELECT i.id, i.published_at, i.title, i.summary,
               NOT regexp_matches(lower(i.title || ' ' || i.summary),
                   '[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]') AS plain
        FROM items i
        WHERE ids IS NULL OR i.id IN (SELECT unnest(ids))
    ), texts AS (
        SELECT id AS item_id, 0::TINYINT AS field, published_at, plain, [lower(title), lower(summary)] AS texts
        FROM it WHERE with_title
        UNION ALL
        SELECT it.id, 1::TINYINT, it.published_at, it.plain, [lower(f.text)]
        FROM it JOIN item_fulltext f ON f.item_id = it.id
        WHERE with_full AND f.status = 'ok' AND f.text IS NOT NULL
    )
    SELECT item_id, field, published_at, plain,
           list_reduce(list_transform(texts, lambda x: regexp_extract_all(x, '[\pL\pM\pN]+')),
                       lambda a, b: a || [NULL::VARCHAR] || b) AS toks
    FROM texts;
