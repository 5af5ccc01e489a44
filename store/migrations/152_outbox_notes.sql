-- Outbox rows for events that are not alerts (the scheduled weekly report archived: reports/schedule.py),
-- sent through the same outbox so they get the same retries, digests and quiet hours. 150–159 is the
-- notifications' range.
ALTER TABLE outbox ADD COLUMN note VARCHAR;        -- the message line; NULL for an alert's row
ALTER TABLE outbox ADD COLUMN note_path VARCHAR;   -- its page under [notify] public_url, e.g. '/reports'
