-- Dashboard and access: users, login attempts, sessions, briefings, the dashboard's own audit trail,
-- sources managed by admins (the config store) and settings changed in the UI. Times are naive UTC.

CREATE TABLE users (
    username       VARCHAR PRIMARY KEY,          -- lower-case login name
    display_name   VARCHAR NOT NULL,
    role           VARCHAR NOT NULL,             -- 'viewer' | 'analyst' | 'admin'
    password_hash  VARCHAR NOT NULL,             -- bcrypt; the password itself is never stored
    active         BOOLEAN NOT NULL DEFAULT TRUE,
    created_at     TIMESTAMP NOT NULL,
    created_by     VARCHAR,
    updated_at     TIMESTAMP NOT NULL,
    last_login_at  TIMESTAMP
);

-- Every login attempt, for rate limiting and for the audit viewer.
CREATE SEQUENCE login_attempts_seq;
CREATE TABLE login_attempts (
    id        BIGINT PRIMARY KEY DEFAULT nextval('login_attempts_seq'),
    username  VARCHAR NOT NULL,
    client    VARCHAR,                           -- client address when known
    attempted_at TIMESTAMP NOT NULL,
    ok        BOOLEAN NOT NULL
);
CREATE INDEX login_attempts_user_time ON login_attempts (username, attempted_at);

-- A signed-in browser session. Only a SHA-256 of the token is stored.
CREATE TABLE user_sessions (
    token_hash    VARCHAR PRIMARY KEY,
    username      VARCHAR NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    last_seen_at  TIMESTAMP NOT NULL,
    expires_at    TIMESTAMP NOT NULL,
    revoked_at    TIMESTAMP
);

-- Briefings held (hội nghị giao ban); the newest one's held_at is the default "since" of the next.
CREATE SEQUENCE briefings_seq;
CREATE TABLE briefings (
    id        BIGINT PRIMARY KEY DEFAULT nextval('briefings_seq'),
    held_at   TIMESTAMP NOT NULL,
    since     TIMESTAMP,                         -- the period the briefing covered
    username  VARCHAR NOT NULL,
    note      VARCHAR
);

-- Dashboard actions other than alert review (which alert_events records): users, sources, settings,
-- label corrections, briefings, logins. who / when / what changed.
CREATE SEQUENCE dashboard_audit_seq;
CREATE TABLE dashboard_audit (
    id        BIGINT PRIMARY KEY DEFAULT nextval('dashboard_audit_seq'),
    logged_at TIMESTAMP NOT NULL,
    username  VARCHAR NOT NULL,
    action    VARCHAR NOT NULL,
    target    VARCHAR,
    detail    VARCHAR                            -- JSON of what changed
);
CREATE INDEX dashboard_audit_at ON dashboard_audit (logged_at);

-- Sources added or edited by admins in the dashboard. They override a langnghe.toml source of the
-- same name, or add a new one; `removed` hides a configured source.
CREATE TABLE managed_sources (
    name              VARCHAR PRIMARY KEY,
    kind              VARCHAR NOT NULL,
    url               VARCHAR NOT NULL,
    outlet            VARCHAR NOT NULL,
    source_type       VARCHAR NOT NULL,
    interval_minutes  DOUBLE NOT NULL DEFAULT 0,
    enabled           BOOLEAN NOT NULL DEFAULT TRUE,
    options           VARCHAR NOT NULL DEFAULT '{}',   -- JSON
    removed           BOOLEAN NOT NULL DEFAULT FALSE,
    updated_by        VARCHAR NOT NULL,
    updated_at        TIMESTAMP NOT NULL
);

-- Settings changed in the dashboard (e.g. retention), overriding langnghe.toml. key = 'section.name'.
CREATE TABLE ui_settings (
    key         VARCHAR PRIMARY KEY,
    value       VARCHAR NOT NULL,                -- JSON
    updated_by  VARCHAR NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
