-- Notifications (issue 16): who wants what (subscriptions), what must be sent (outbox, written in the
-- alert's own transaction), and what happened when it was sent (notify_log).
CREATE SEQUENCE subscription_seq;
CREATE TABLE subscriptions (
    id            INTEGER PRIMARY KEY DEFAULT nextval('subscription_seq'),
    username      VARCHAR NOT NULL,
    channel       VARCHAR NOT NULL,          -- console | email | telegram | webhook | zalo
    address       VARCHAR NOT NULL,          -- e-mail address, Telegram chat id, webhook URL, Zalo user id
    min_severity  VARCHAR NOT NULL DEFAULT 'medium',
    topics        VARCHAR[] NOT NULL DEFAULT [],
    places        VARCHAR[] NOT NULL DEFAULT [],
    watchlists    INTEGER[] NOT NULL DEFAULT [],
    mode          VARCHAR NOT NULL DEFAULT 'immediate',   -- immediate | hourly | daily
    daily_at      VARCHAR NOT NULL DEFAULT '07:30',       -- HH:MM Vietnam time, for daily
    quiet_start   VARCHAR NOT NULL DEFAULT '',            -- HH:MM; only high severity passes inside
    quiet_end     VARCHAR NOT NULL DEFAULT '',
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    UNIQUE (username, channel, address)
);
CREATE SEQUENCE outbox_seq;
CREATE TABLE outbox (
    id              BIGINT PRIMARY KEY DEFAULT nextval('outbox_seq'),
    event_key       VARCHAR NOT NULL,        -- e.g. alert:A000001
    subscription_id INTEGER NOT NULL,
    channel         VARCHAR NOT NULL,
    address         VARCHAR NOT NULL,
    alert_id        VARCHAR,
    created_at      TIMESTAMP NOT NULL,
    due_at          TIMESTAMP NOT NULL,      -- immediate: now; digest: the next digest time
    status          VARCHAR NOT NULL DEFAULT 'pending',   -- pending | sent | failed (gave up)
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    sent_at         TIMESTAMP,
    last_error      VARCHAR,
    UNIQUE (event_key, subscription_id)      -- never twice to the same recipient for the same event
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE SEQUENCE notify_log_seq;
CREATE TABLE notify_log (
    id         BIGINT PRIMARY KEY DEFAULT nextval('notify_log_seq'),
    logged_at  TIMESTAMP NOT NULL,
    channel    VARCHAR NOT NULL,
    address    VARCHAR NOT NULL,
    outbox_ids BIGINT[] NOT NULL,
    ok         BOOLEAN NOT NULL,
    detail     VARCHAR NOT NULL
);
