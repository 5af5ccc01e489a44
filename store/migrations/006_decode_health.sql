-- Encoding health (collectors/encoding.py): invalid byte sequences replaced by U+FFFD in a fetch, and
-- stored items whose garbled text (an old wrong decode) a fetch repaired.
-- DuckDB cannot add a column to a table that has an index, so fetch_log's index is rebuilt around it.
DROP INDEX fetch_log_source_time;
ALTER TABLE fetch_log ADD COLUMN decode_replaced INTEGER NOT NULL DEFAULT 0;
ALTER TABLE fetch_log ADD COLUMN items_repaired INTEGER NOT NULL DEFAULT 0;
CREATE INDEX fetch_log_source_time ON fetch_log (source, started_at);
ALTER TABLE source_state ADD COLUMN last_decode_replaced INTEGER NOT NULL DEFAULT 0;
ALTER TABLE source_state ADD COLUMN last_items_repaired INTEGER NOT NULL DEFAULT 0;
