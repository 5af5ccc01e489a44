-- One row per import run of a CSV/JSONL/XLSX file (idempotent: re-importing adds no items).
CREATE SEQUENCE import_log_seq;
CREATE TABLE import_log (
    id          BIGINT PRIMARY KEY DEFAULT nextval('import_log_seq'),
    run_at      TIMESTAMP NOT NULL,
    file_name   VARCHAR NOT NULL,
    file_sha1   VARCHAR NOT NULL,
    source      VARCHAR NOT NULL,
    mapping     VARCHAR NOT NULL,              -- JSON {field: column}
    rows_read   INTEGER NOT NULL,
    items_new   INTEGER NOT NULL,
    skipped     VARCHAR NOT NULL               -- JSON {reason: count}
);
