-- Round 18: what rebuilding the grouping index needs of each grouped item, kept beside it so the rebuild reads
-- story_items alone (it joined the whole items table for the guid on every start and after every merge):
-- the item's guid (a Facebook post's id, which the replies to it name) and the thread key its address or
-- "Re:" title gives (detection.stories.thread_key; NULL for items grouped before: computed in Python).
ALTER TABLE story_items ADD COLUMN IF NOT EXISTS guid VARCHAR;
ALTER TABLE story_items ADD COLUMN IF NOT EXISTS thread VARCHAR;
-- backfill if rows in story_items
UPDATE story_items SET guid = i.guid FROM items i WHERE i.id = story_items.item_id AND i.guid IS NOT NULL;
-- end backfill
