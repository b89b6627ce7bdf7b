-- Statistics gathered from JSON endpoints by the gather-stats command: one row per numeric leaf of a
-- fetched document, its key the dotted path to it (asset_counts.by_institution.INSTA.completed).
-- All rows of one fetch share fetched_at and are written in one transaction.
--
-- The primary key is the unique key (endpoint, key, fetched_at): storing the same fetch again adds
-- nothing. Its order serves the per-key reads (series, latest value per key, key prefixes).
-- COLLATE "C": key paths compare byte by byte, so LIKE 'prefix%' can use the index whatever the
-- database's collation. Lengths are characters; keep them in step with Statistic.ENDPOINT_LENGTH
-- and Statistic.KEY_LENGTH, which the gatherer checks before writing.
CREATE TABLE statistic (
    endpoint      varchar(512) COLLATE "C" NOT NULL,
    key           varchar(512) COLLATE "C" NOT NULL,
    numeric_value numeric                  NOT NULL,
    fetched_at    timestamptz              NOT NULL,
    CONSTRAINT statistic_pkey PRIMARY KEY (endpoint, key, fetched_at)
);

-- One fetch of an endpoint (has it been stored already?), and rows by time (list, from/to).
CREATE INDEX statistic_fetch_idx ON statistic (endpoint, fetched_at);
