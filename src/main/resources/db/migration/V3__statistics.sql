-- Statistics gathered from JSON endpoints by the gather-stats command.
--
-- statistic_fetch: one row per stored fetch of an endpoint. Its primary key makes storing the same
-- fetch twice (a CronJob that started twice) a no-op: the second run's insert finds the first's row,
-- waiting for it to commit if need be, and the run stores nothing more.
--
-- statistic: one row per numeric leaf of a fetched document, its key the dotted path to it
-- (asset_counts.by_institution.INSTA.completed). All rows of a fetch share its fetched_at and are
-- written in one transaction with the fetch's row. The primary key (endpoint, fetched_at, key) is
-- the unique key on endpoint, key and fetch time, ordered so that each new fetch is appended at the
-- end of its endpoint's range: storing stays as fast with years of history as on the first day.
-- Reads go through statistic_fetch: one fetch's rows are one index range, one key's series is one
-- index probe per fetch. (No foreign key to statistic_fetch: a check per row would cost as much as
-- the insert; the writer keeps the two together.)
--
-- COLLATE "C": key paths compare byte by byte, so a key prefix is an index range whatever the
-- database's collation. Lengths are characters; keep them in step with Statistic.ENDPOINT_LENGTH
-- and Statistic.KEY_LENGTH, which the gatherer checks before writing.
CREATE TABLE statistic_fetch (
    endpoint   varchar(512) COLLATE "C" NOT NULL,
    fetched_at timestamptz              NOT NULL,
    row_count  integer                  NOT NULL,
    skipped    integer                  NOT NULL,
    CONSTRAINT statistic_fetch_pkey PRIMARY KEY (endpoint, fetched_at)
);

CREATE TABLE statistic (
    endpoint      varchar(512) COLLATE "C" NOT NULL,
    key           varchar(512) COLLATE "C" NOT NULL,
    numeric_value numeric                  NOT NULL,
    fetched_at    timestamptz              NOT NULL,
    CONSTRAINT statistic_pkey PRIMARY KEY (endpoint, fetched_at, key)
);
