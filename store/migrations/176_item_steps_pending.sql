-- Items tagged for the first time whose after-tagging steps (complaint cases, watchlist matching:
-- orchestration/ingest.py) have not run yet. Why a marker: a stop of serve between tagging batches, or a crash
-- between a batch's tags and those steps, left items tagged (by the catch-up at the next start) that never got
-- their case or their watchlist hit and push. store.tags.save_tags writes the row in the tags' own transaction
-- (only for an item that had no tags: a re-tag is no new item); orchestration.ingest deletes it once both steps
-- have run, and the catch-up at start (and the tag job each tick) runs them for the rows left. Small: only the
-- items between their tagging and their steps. No backfill: items stored before this migration count as done
-- (matching the whole history against today's watchlists would push old posts). Retention purges rows of
-- purged items like any table with an item_id.
CREATE TABLE item_steps_pending (
    item_id    VARCHAR PRIMARY KEY,
    tagged_at  TIMESTAMP NOT NULL
);
