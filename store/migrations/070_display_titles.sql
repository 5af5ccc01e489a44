-- Display titles (issue #13): a story is named by its most representative item written with
-- diacritics, press before forums before social posts; an item written without diacritics is shown
-- in its restored form. Stories, alerts and reports all read stories.title (store/stories.py).
ALTER TABLE item_tags ADD COLUMN title_restored VARCHAR;   -- the title with diacritics restored; NULL when it had them
ALTER TABLE story_items ADD COLUMN title_restored VARCHAR; -- copied from item_tags when grouped or re-tagged
