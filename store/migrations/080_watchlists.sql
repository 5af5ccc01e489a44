-- Watchlists (Theo dõi từ khóa, store/watchlists.py): named queries in the search syntax, matched once
-- against every new item in the ingest path; the matches are stored and raise ordinary alerts.
-- 080–089 is the watchlist range.

CREATE SEQUENCE watchlist_seq;
CREATE TABLE watchlists (
    id             INTEGER PRIMARY KEY DEFAULT nextval('watchlist_seq'),
    name           VARCHAR NOT NULL,             -- unique among watchlists (checked in code: names can be edited)
    query          VARCHAR NOT NULL,             -- search syntax (store/search_query.py)
    places         VARCHAR[] NOT NULL,           -- narrow to items tagged with any of these places ([]: any)
    topics         VARCHAR[] NOT NULL,           -- ... any of these topic codes ([]: any)
    source_types   VARCHAR[] NOT NULL,           -- ... any of these source types ([]: any)
    min_items      INTEGER NOT NULL,             -- alert at this many uncovered hits (1: at the first item)
    window_minutes INTEGER NOT NULL,             -- ... published within this window
    severity       VARCHAR NOT NULL,             -- severity of the alerts it raises
    active         BOOLEAN NOT NULL,             -- paused watchlists match nothing
    created_by     VARCHAR NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_by     VARCHAR NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);

-- One row per (watchlist, item) that matched, written once when the item came in. alert_id is the alert
-- that reported the hit (NULL: not reported yet, e.g. fewer than min_items in the window so far).
CREATE TABLE watch_hits (
    watchlist_id   INTEGER NOT NULL,
    item_id        VARCHAR NOT NULL,
    published_at   TIMESTAMP NOT NULL,
    matched_at     TIMESTAMP NOT NULL,
    words          VARCHAR[] NOT NULL,           -- the item's syllables that matched the query
    alert_id       VARCHAR,
    PRIMARY KEY (watchlist_id, item_id)
);

-- Defaults from the area, shipped paused: an analyst turns them on (and tunes them) on the Theo dõi page.
INSERT INTO watchlists (name, query, places, topics, source_types, min_items, window_minutes, severity, active,
                        created_by, created_at, updated_by, updated_at)
VALUES
    ('Chùa Ba Vàng', '"chùa Ba Vàng" OR "Ba Vàng"', [], [], [], 1, 60, 'medium', FALSE,
     '(mặc định)', make_timestamp(epoch_us(now())), '(mặc định)', make_timestamp(epoch_us(now()))),
    ('Giải phóng mặt bằng', '"giải phóng mặt bằng" OR GPMB', [], [], [], 3, 1440, 'medium', FALSE,
     '(mặc định)', make_timestamp(epoch_us(now())), '(mặc định)', make_timestamp(epoch_us(now()))),
    ('Bãi thải', '"bãi thải" OR "đất đá thải" OR "sạt thải"', [], [], [], 2, 360, 'medium', FALSE,
     '(mặc định)', make_timestamp(epoch_us(now())), '(mặc định)', make_timestamp(epoch_us(now())));
