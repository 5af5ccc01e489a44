-- Public-opinion surveys (issue 17): one row per imported file (a wave), its answers in long form,
-- and the NLP tags of free-text answers. Respondents are numbered in file order; nothing else
-- identifies them (personal-data columns are dropped before they reach here unless an admin kept them).
CREATE SEQUENCE survey_seq;
CREATE TABLE surveys (
    id             INTEGER PRIMARY KEY DEFAULT nextval('survey_seq'),
    title          VARCHAR NOT NULL,
    series         VARCHAR NOT NULL,          -- waves of the same survey share it
    wave           INTEGER NOT NULL,
    file_name      VARCHAR NOT NULL,
    file_sha1      VARCHAR NOT NULL,
    imported_at    TIMESTAMP NOT NULL,
    imported_by    VARCHAR NOT NULL,
    respondents    INTEGER NOT NULL,
    questionnaire  VARCHAR NOT NULL,          -- JSON, surveys.model.Questionnaire
    area           VARCHAR NOT NULL DEFAULT '',
    UNIQUE (series, wave)
);
CREATE TABLE survey_answers (
    survey_id   INTEGER NOT NULL,
    respondent  INTEGER NOT NULL,
    code        VARCHAR NOT NULL,             -- question code C1, C2 …
    value       VARCHAR NOT NULL              -- one row per chosen option for multiple choice
);
CREATE INDEX survey_answers_survey ON survey_answers (survey_id, code);
CREATE TABLE survey_text_tags (
    survey_id   INTEGER NOT NULL,
    respondent  INTEGER NOT NULL,
    code        VARCHAR NOT NULL,
    topics      VARCHAR[] NOT NULL,
    sentiment   VARCHAR NOT NULL,
    places      VARCHAR[] NOT NULL,
    PRIMARY KEY (survey_id, respondent, code)
);
