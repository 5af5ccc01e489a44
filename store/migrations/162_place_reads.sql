-- Place names typed without marks (docs/DASHBOARD.md "Search"): the names the Places step read with their marks where
-- the item writes them without ("Sáng nay ở Vang Danh…" → 'vàng danh'), lower-case syllables joined by a space.
-- A search or watchlist typing the name with marks matches them (store/search.py `_reads_sql`, detection/watch.py).
-- NULL for items tagged before this migration: nlp/version.py PIPELINE_REVISION 5 has serve re-tag them.
ALTER TABLE item_tags ADD COLUMN place_reads VARCHAR[];
