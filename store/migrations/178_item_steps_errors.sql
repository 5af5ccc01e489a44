-- Which after-tagging step of an item failed last, with what error and when. Why: an item given up after
-- store.tags.STEP_ATTEMPTS runs was counted by `langnghe status`, but the reason was only in the serve log and the
-- way back into the queue was hand-written SQL; `langnghe steps` now lists what is owed and given up by step with
-- the last error, and `langnghe steps --retry` puts the given-up items back (store.tags.retry_steps_failed).
ALTER TABLE item_steps_pending ADD COLUMN last_step VARCHAR;
ALTER TABLE item_steps_pending ADD COLUMN last_error VARCHAR;
ALTER TABLE item_steps_pending ADD COLUMN last_failed_at TIMESTAMP;
