-- An import is written in chunks: its log row is created first and updated in each chunk's transaction,
-- so it always says what was committed. status: running (or killed mid-run) · done · interrupted · error.
ALTER TABLE import_log ADD COLUMN status VARCHAR DEFAULT 'done';
ALTER TABLE import_log ADD COLUMN error VARCHAR;
ALTER TABLE import_log ADD COLUMN finished_at TIMESTAMP;
