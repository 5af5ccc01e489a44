-- The send log tells a row not sent on purpose (its alert dismissed, its subscription turned off or deleted
-- while it waited: outbox 'dropped') from a send: before, such a line was ok = TRUE and the admin's page
-- showed «được» for it. 150–159 is the notifications' range.
ALTER TABLE notify_log ADD COLUMN dropped BOOLEAN NOT NULL DEFAULT FALSE;
-- lines logged before: orchestration/notify.py wrote every drop's detail starting «không gửi:»
UPDATE notify_log SET dropped = TRUE WHERE ok AND starts_with(detail, 'không gửi:');
