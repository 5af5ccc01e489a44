-- A scheduled weekly report that could not be generated, shown on Báo cáo until a later try archives it
-- (reports/schedule.py). Before, a failed run only went to the server log. 050–059 is the reports' range.
CREATE TABLE report_schedule_failures (
    period     VARCHAR NOT NULL,              -- ISO week '2026-W49'
    area       VARCHAR NOT NULL DEFAULT '',   -- '' = the whole province
    failed_at  TIMESTAMP NOT NULL,            -- the latest failed try (naive UTC)
    tries      INTEGER NOT NULL DEFAULT 1,
    error      VARCHAR NOT NULL,
    PRIMARY KEY (period, area)
);
