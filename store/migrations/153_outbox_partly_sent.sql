-- A message a mail server took for some addresses of a subscription's list and not for others (round 31, fix32).
-- `reached`: some address of the row's list took it in an earlier try (its later tries go to the others alone: the
-- row's address is narrowed to them, fix30). `refused`: the addresses of the list refused for good (SMTP 5xx) while
-- others are still tried, never tried again. A row that ends with either is 'partial' («gửi được một phần»), its
-- address then the addresses that did not get it; before, a row deferred (4xx) up to [notify] max_attempts ended
-- 'failed' though the others had it, and one with a 5xx among its addresses 'sent'. 150–159 is the notifications'
-- range.
-- (no NOT NULL: DuckDB refuses one on a table with an index, outbox_due; store.notify reads NULL as FALSE)
ALTER TABLE outbox ADD COLUMN reached BOOLEAN DEFAULT FALSE;
ALTER TABLE outbox ADD COLUMN refused VARCHAR;
-- rows fix30 narrowed to the addresses deferred (their last error opens with orchestration.notify.PARTLY_NOTE)
UPDATE outbox SET reached = TRUE WHERE starts_with(last_error, 'các địa chỉ khác của đăng ký đã nhận tin');
UPDATE outbox SET status = 'partial' WHERE status = 'failed' AND reached;
