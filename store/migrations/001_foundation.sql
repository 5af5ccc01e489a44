-- Foundation schema: items, the sources that carried them, and source health.
-- Times are naive UTC.

CREATE TABLE items (
    id                  VARCHAR PRIMARY KEY,      -- sha1 of canonical_url
    canonical_url       VARCHAR NOT NULL UNIQUE,
    url                 VARCHAR NOT NULL,
    content_hash        VARCHAR NOT NULL,         -- same story text from another link → same item
    source              VARCHAR NOT NULL,         -- first source that carried it
    collector           VARCHAR NOT NULL,         -- collector kind, e.g. 'rss'
    source_type         VARCHAR NOT NULL,         -- 'press' | 'social'
    outlet              VARCHAR NOT NULL,
    title               VARCHAR NOT NULL,
    summary             VARCHAR NOT NULL,
    author              VARCHAR,
    guid                VARCHAR,
    published_at        TIMESTAMP NOT NULL,
    published_estimated BOOLEAN NOT NULL,         -- no usable date in the entry: fetch time used
    fetched_at          TIMESTAMP NOT NULL,
    flags               VARCHAR[]
);
CREATE INDEX items_content_hash ON items (content_hash);
CREATE INDEX items_published_at ON items (published_at);

-- Every (item, source) sighting, including the first. Same URL or same content from another feed links here.
CREATE TABLE item_links (
    item_id  VARCHAR NOT NULL,
    source   VARCHAR NOT NULL,
    url      VARCHAR NOT NULL,
    seen_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (item_id, source)
);

-- Compressed raw payloads for provenance, purged after retention.raw_payload_days.
CREATE TABLE item_raw (
    item_id    VARCHAR PRIMARY KEY,
    fetched_at TIMESTAMP NOT NULL,
    payload    BLOB NOT NULL
);

CREATE TABLE source_state (
    source               VARCHAR PRIMARY KEY,
    etag                 VARCHAR,
    last_modified        VARCHAR,
    last_attempt_at      TIMESTAMP,
    last_success_at      TIMESTAMP,
    last_error_at        TIMESTAMP,
    last_error_kind      VARCHAR,
    last_error           VARCHAR,
    last_http_status     INTEGER,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    next_due_at          TIMESTAMP,
    last_entries_seen    INTEGER,
    last_items_new       INTEGER,
    last_skipped         VARCHAR                  -- JSON {reason: count} of the last run
);

CREATE SEQUENCE fetch_log_seq;
CREATE TABLE fetch_log (
    id            BIGINT PRIMARY KEY DEFAULT nextval('fetch_log_seq'),
    source        VARCHAR NOT NULL,
    started_at    TIMESTAMP NOT NULL,
    finished_at   TIMESTAMP NOT NULL,
    outcome       VARCHAR NOT NULL,               -- 'ok' | 'not_modified' | 'error'
    http_status   INTEGER,
    entries_seen  INTEGER NOT NULL DEFAULT 0,
    items_new     INTEGER NOT NULL DEFAULT 0,
    skipped       INTEGER NOT NULL DEFAULT 0,
    error_kind    VARCHAR,
    error         VARCHAR
);
CREATE INDEX fetch_log_source_time ON fetch_log (source, started_at);
