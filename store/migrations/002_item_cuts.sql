-- Items stored with a title or text cut to [storage] max_title_chars / max_text_chars, per source.
-- Shown on source health; the items themselves carry a 'cut:title' / 'cut:text' flag.
CREATE TABLE item_cuts (
    source      VARCHAR NOT NULL,
    field       VARCHAR NOT NULL,               -- 'title' | 'text'
    items       BIGINT NOT NULL,                -- items stored cut, since the counter began
    last_cut_at TIMESTAMP NOT NULL,             -- naive UTC
    PRIMARY KEY (source, field)
);
