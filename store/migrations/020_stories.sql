-- Stories: items about the same event across outlets and social posts, grouped by nlp/stories.py.
-- Times are naive UTC. No foreign keys to items or item_tags: the stories layer keeps the item
-- features it needs (story_items) so detection reads one table.

CREATE TABLE stories (
    story_id      VARCHAR PRIMARY KEY,            -- id of the item that started the story
    title         VARCHAR NOT NULL,               -- title of the first item
    first_seen    TIMESTAMP NOT NULL,             -- earliest published_at of its items
    last_seen     TIMESTAMP NOT NULL,             -- latest published_at of its items
    n_items       INTEGER NOT NULL DEFAULT 0,
    n_outlets     INTEGER NOT NULL DEFAULT 0,
    n_sources     INTEGER NOT NULL DEFAULT 0,
    source_types  VARCHAR[],                      -- 'press', 'social'
    outlets       VARCHAR[],
    topics        VARCHAR[],
    places        VARCHAR[],
    in_area       BOOLEAN NOT NULL DEFAULT FALSE,
    n_negative    INTEGER NOT NULL DEFAULT 0,
    n_neutral     INTEGER NOT NULL DEFAULT 0,
    n_positive    INTEGER NOT NULL DEFAULT 0,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX stories_last_seen ON stories (last_seen);

-- One row per grouped item: which story it joined and the features detection counts.
CREATE TABLE story_items (
    item_id       VARCHAR PRIMARY KEY,
    story_id      VARCHAR NOT NULL,
    published_at  TIMESTAMP NOT NULL,
    source        VARCHAR NOT NULL,
    outlet        VARCHAR NOT NULL,
    source_type   VARCHAR NOT NULL,
    title         VARCHAR NOT NULL,
    folded        VARCHAR NOT NULL,               -- accent-folded text the grouping compared
    mask          VARCHAR[],                      -- folded place mentions masked before comparing
    topics        VARCHAR[],
    sentiment     VARCHAR,
    in_area       BOOLEAN NOT NULL DEFAULT FALSE,
    places        VARCHAR[],
    similarity    DOUBLE,                         -- cosine to the story when it joined (NULL: it started it)
    grouped_at    TIMESTAMP NOT NULL
);
CREATE INDEX story_items_story ON story_items (story_id);
CREATE INDEX story_items_published ON story_items (published_at);

-- Bumped when stories change outside the grouping (a merge), so in-memory indexes reload.
CREATE TABLE stories_meta (
    key    VARCHAR PRIMARY KEY,
    value  BIGINT NOT NULL
);
INSERT INTO stories_meta VALUES ('generation', 0);
