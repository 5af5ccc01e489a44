-- Reports from public-opinion collaborators (cộng tác viên DLXH): what they heard offline or saw in
-- closed groups. Each report is also an item (collector 'collab') so it goes through NLP and alerts.
CREATE TABLE collab_reports (
    id              VARCHAR PRIMARY KEY,       -- same as the item id
    item_id         VARCHAR NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    reporter        VARCHAR NOT NULL,          -- the signed-in staff/collaborator account
    text            VARCHAR NOT NULL,
    place           VARCHAR,
    channel         VARCHAR NOT NULL,          -- where it was heard: 'offline', 'zalo', 'facebook', …
    link            VARCHAR,
    screenshot      BLOB,
    screenshot_mime VARCHAR,
    screenshot_name VARCHAR
);
