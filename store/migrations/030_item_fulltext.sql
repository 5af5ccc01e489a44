-- Full article text of press items, extracted with trafilatura beside the RSS summary.
-- status: 'ok' (text present), or why not: 'robots', 'http_<code>', 'fetch_<kind>', 'empty', 'not_html'.
CREATE TABLE item_fulltext (
    item_id      VARCHAR PRIMARY KEY,
    text         VARCHAR,
    status       VARCHAR NOT NULL,
    url          VARCHAR,
    extracted_at TIMESTAMP NOT NULL
);
