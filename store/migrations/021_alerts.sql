-- Emerging-issue alerts, their lifecycle audit trail, and source-health alarms. Times are naive UTC.

CREATE SEQUENCE alert_seq;
CREATE TABLE alerts (
    alert_id           VARCHAR PRIMARY KEY,        -- 'A000123'
    seq                BIGINT NOT NULL,
    kind               VARCHAR NOT NULL,           -- 'story' (emerging issue)
    story_id           VARCHAR,
    raised_at          TIMESTAMP NOT NULL,         -- detection time (simulated time in replay)
    title              VARCHAR NOT NULL,
    topics             VARCHAR[],
    places             VARCHAR[],
    item_ids           VARCHAR[],                  -- the story's items when raised (grows on merge)
    n_items            INTEGER NOT NULL,
    n_outlets          INTEGER NOT NULL,
    severity           VARCHAR NOT NULL,           -- 'low' | 'medium' | 'high'
    score              DOUBLE NOT NULL,
    reason             VARCHAR NOT NULL,           -- Vietnamese explanation with numbers
    details            VARCHAR,                    -- JSON of the figures behind the reason
    status             VARCHAR NOT NULL,           -- new | acknowledged | assigned | resolved | dismissed | reopened | merged
    priority           VARCHAR NOT NULL DEFAULT 'normal',
    assignee           VARCHAR,
    close_reason       VARCHAR,                    -- why it was dismissed / resolved
    previous_alert_id  VARCHAR,                    -- a re-alert after dismissal points to the dismissed alert
    merged_into        VARCHAR,
    updated_at         TIMESTAMP NOT NULL
);
CREATE INDEX alerts_story ON alerts (story_id);
CREATE INDEX alerts_status ON alerts (status);

CREATE SEQUENCE alert_event_seq;
CREATE TABLE alert_events (
    id          BIGINT PRIMARY KEY DEFAULT nextval('alert_event_seq'),
    alert_id    VARCHAR NOT NULL,
    "at"        TIMESTAMP NOT NULL,
    username    VARCHAR NOT NULL,                  -- 'system' for detection
    action      VARCHAR NOT NULL,                  -- raise | transition | assign | priority | note | merge
    from_state  VARCHAR,
    to_state    VARCHAR,
    note        VARCHAR
);
CREATE INDEX alert_events_alert ON alert_events (alert_id, "at");

CREATE SEQUENCE source_alarm_seq;
CREATE TABLE source_alarms (
    id          BIGINT PRIMARY KEY DEFAULT nextval('source_alarm_seq'),
    source      VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,                  -- 'volume_drop' | 'failing'
    raised_at   TIMESTAMP NOT NULL,
    cleared_at  TIMESTAMP,                         -- NULL while the condition holds
    reason      VARCHAR NOT NULL,
    details     VARCHAR                            -- JSON figures
);
CREATE INDEX source_alarms_open ON source_alarms (source, kind, cleared_at);

-- When each periodic check last ran (detection state that must survive restarts).
CREATE TABLE detect_state (
    key      VARCHAR PRIMARY KEY,
    mark_at  TIMESTAMP NOT NULL
);
