-- Complaint cases (issue 18, page Phản ánh): one row per citizen's opinion that must be handled, and
-- every change to it. A case points at the item it came from (and so at its story and alerts).
CREATE SEQUENCE case_seq;
CREATE TABLE cases (
    id            INTEGER PRIMARY KEY DEFAULT nextval('case_seq'),
    item_id       VARCHAR NOT NULL UNIQUE,
    channel       VARCHAR NOT NULL,
    source        VARCHAR NOT NULL,
    status        VARCHAR NOT NULL DEFAULT 'new',
    assignee      VARCHAR,
    opened_at     TIMESTAMP NOT NULL,
    due_at        TIMESTAMP NOT NULL,
    answered_at   TIMESTAMP,
    closed_at     TIMESTAMP,
    reply_text    VARCHAR,
    reply_via     VARCHAR,                  -- api | manual
    reply_status  VARCHAR,                  -- sent | failed: <error> | manual
    reply_ref     VARCHAR,                  -- the channel's target (comment id, user id) for an API reply
    place         VARCHAR NOT NULL DEFAULT ''
);
CREATE INDEX cases_status ON cases (status, due_at);
CREATE SEQUENCE case_event_seq;
CREATE TABLE case_events (
    id         BIGINT PRIMARY KEY DEFAULT nextval('case_event_seq'),
    case_id    INTEGER NOT NULL,
    logged_at  TIMESTAMP NOT NULL,
    username   VARCHAR NOT NULL,
    action     VARCHAR NOT NULL,            -- opened, status, assign, note, due, reply
    from_state VARCHAR,
    to_state   VARCHAR,
    note       VARCHAR
);
CREATE INDEX case_events_case ON case_events (case_id, logged_at);
