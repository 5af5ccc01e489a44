-- What the retention job purged, one row per run and kind of data.
CREATE SEQUENCE retention_log_seq;
CREATE TABLE retention_log (
    id       BIGINT PRIMARY KEY DEFAULT nextval('retention_log_seq'),
    run_at   TIMESTAMP NOT NULL,
    what     VARCHAR NOT NULL,        -- 'raw_payloads' | 'items' | 'item_rows:<table>' | 'uploads'
    cutoff   TIMESTAMP NOT NULL,      -- rows older than this were purged
    rows     BIGINT NOT NULL,
    dry_run  BOOLEAN NOT NULL DEFAULT false
);
