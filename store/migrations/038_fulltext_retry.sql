-- Full-text fetches that may pass get a bounded retry, as the after-tagging steps do (round 20). Why: a page that
-- timed out or answered 5xx was stored as final, so a site down for ten minutes lost its articles' full texts for
-- good; only robots_unreachable was tried again, and then without a bound within max_age_hours.
-- attempts: tries so far (every row stored before this migration was one try). retry_at: when a later run may try
-- again (NULL: final, whether a success, a refusal, or a failure tried [fulltext] max_attempts times);
-- collectors.fulltext decides which statuses may pass and when (store.fulltext.pending reads only retry_at).
ALTER TABLE item_fulltext ADD COLUMN attempts INTEGER DEFAULT 1;
ALTER TABLE item_fulltext ADD COLUMN retry_at TIMESTAMP;
-- backfill if rows in item_fulltext
-- robots_unreachable was tried again RETRY_AFTER (10 min) after it was stored: it keeps that try
UPDATE item_fulltext SET retry_at = extracted_at + INTERVAL 10 MINUTE WHERE status = 'robots_unreachable';
-- end backfill
