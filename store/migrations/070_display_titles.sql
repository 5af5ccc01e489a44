-- Display titles (issue #13): a story is named by its most representative item written with
-- diacritics, press before forums before social posts; an item written without diacritics is shown
-- in its restored form. Stories, alerts and reports all read stories.title (store/stories.py).
ALTER TABLE item_tags ADD COLUMN title_restored VARCHAR;   -- the title with diacritics restored; NULL when it had them
ALTER TABLE story_items ADD COLUMN title_restored VARCHAR; -- copied from item_tags when grouped or re-tagged
ALTER TABLE story_items ADD COLUMN collector VARCHAR;      -- collector kind of the item (forums rank above other social posts)
UPDATE story_items SET collector = i.collector FROM items i WHERE i.id = story_items.item_id;
-- Stories grouped before: their display title by the same rule (store.stories.DISPLAY_TITLE; no restored
-- titles yet), and their alerts named by it.
UPDATE stories SET title = x.title FROM (
    SELECT s.story_id,
           arg_min(s.title, (CASE WHEN s.title <> strip_accents(s.title) OR regexp_matches(s.title, '[đĐ]') THEN 0 ELSE 2 END,
                             CASE WHEN s.source_type = 'press' THEN 0
                                  WHEN s.collector IN ('xenforo', 'reddit') THEN 1 ELSE 2 END,
                             -coalesce(s.similarity, 1.0), s.published_at, s.item_id))
               FILTER (WHERE trim(s.title) <> '') AS title
    FROM story_items s GROUP BY s.story_id
) x
WHERE stories.story_id = x.story_id AND x.title IS NOT NULL;
UPDATE alerts SET title = st.title FROM stories st WHERE alerts.story_id = st.story_id;
