-- NLP results per item (one row per item, replaced when re-tagged) and staff corrections.
-- Times are naive UTC.

CREATE TABLE item_tags (
    item_id       VARCHAR PRIMARY KEY,
    model_version VARCHAR NOT NULL,
    topics        VARCHAR[],
    sentiment     VARCHAR,
    in_area       BOOLEAN,
    places        VARCHAR[],
    place_details JSON,
    lang          VARCHAR,
    no_diacritics BOOLEAN,
    folded        VARCHAR,                  -- accent-folded lowercase title + text, for search
    tagged_at     TIMESTAMP NOT NULL
);

-- Staff corrections: the latest row per (item, field) wins; `langnghe train` folds them in.
CREATE SEQUENCE human_labels_seq;
CREATE TABLE human_labels (
    id         BIGINT PRIMARY KEY DEFAULT nextval('human_labels_seq'),
    item_id    VARCHAR NOT NULL,
    field      VARCHAR NOT NULL,            -- 'topics' | 'sentiment' | 'places' | 'in_area'
    value      JSON NOT NULL,
    username   VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL
);
