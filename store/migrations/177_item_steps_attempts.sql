-- How often an item's after-tagging steps (complaint cases, watchlist matching) failed, and when they were given
-- up. Why: the catch-up (orchestration.ingest.finish_tagged) stopped at the first batch whose step failed and tried
-- that same oldest batch again every tick, so a step that always failed on one item held back every item behind
-- it. A failed batch is now tried item by item; an item that failed store.tags.STEP_ATTEMPTS times keeps its row
-- with `failed_at` set (logged once, counted by `langnghe status`): not retried, never silently dropped.
ALTER TABLE item_steps_pending ADD COLUMN attempts INTEGER DEFAULT 0;
ALTER TABLE item_steps_pending ADD COLUMN failed_at TIMESTAMP;
