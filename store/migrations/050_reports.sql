-- Reports: text staff enter in the dashboard before an export, and the archive of generated reports.
-- Times are naive UTC.

-- Proposals (weekly: "Đề xuất, kiến nghị"; rapid: "Đề xuất hướng xử lý"). One current text per report:
-- kind 'weekly' with key '<ISO week>|<area>' (area '' = the whole province), kind 'rapid' with key the alert id
-- (or 'story:<story_id>'). Saving replaces the text; who and when are kept.
CREATE TABLE report_texts (
    kind       VARCHAR NOT NULL,                -- 'weekly' | 'rapid'
    key        VARCHAR NOT NULL,
    body       VARCHAR NOT NULL,
    username   VARCHAR NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (kind, key)
);

-- Every generated report that was kept: by the weekly schedule, or from the dashboard.
CREATE SEQUENCE report_archive_seq;
CREATE TABLE report_archive (
    id           BIGINT PRIMARY KEY DEFAULT nextval('report_archive_seq'),
    kind         VARCHAR NOT NULL,              -- 'weekly' | 'rapid'
    period       VARCHAR NOT NULL,              -- ISO week '2026-W47', or the alert id / 'story:<id>'
    area         VARCHAR NOT NULL DEFAULT '',   -- '' = the whole province
    generated_at TIMESTAMP NOT NULL,
    generated_by VARCHAR NOT NULL,              -- 'schedule' or the user name
    dir          VARCHAR NOT NULL,              -- folder holding the files
    files        VARCHAR[] NOT NULL,            -- file names in `dir`
    n_items      INTEGER NOT NULL DEFAULT 0,
    seconds      DOUBLE                         -- time taken to generate
);
CREATE INDEX report_archive_period ON report_archive (kind, period);
