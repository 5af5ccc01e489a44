-- The address an outbox row was queued to, kept as it was (fix33). `address` is narrowed to the addresses still to
-- try (round 30) and, at the end, to those it did not reach (fix32), so store.notify.enqueue_for_alert's «queued
-- before for another subscription to the same place» compared a part of the list and queued a second copy for a
-- second subscription to it. 150–159 is the notifications' range.
ALTER TABLE outbox ADD COLUMN destination VARCHAR;
-- backfill if rows in outbox
-- rows queued before: their subscription's address when it is still there (a row is never narrowed to a list it was
-- not queued to), else the row's own
UPDATE outbox SET destination = coalesce((SELECT s.address FROM subscriptions s
                                          WHERE s.id = outbox.subscription_id AND s.channel = outbox.channel),
                                         address);
-- end backfill
